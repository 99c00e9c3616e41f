// Journey: the supervision registers (一单两库, issue 13). The public reads the check-item
// list of an industry with its 模型取值 marks; the market regulator's supervisor finds the
// demo inspector on the inspector register (put there by yiye init --demo) and records a
// qualification; the inspector declares a
// conflict of interest with an entity and withdraws it; the supervisor sees the entity
// register.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { launchBrowser, openPage, screenshot, demoPassword, login, logout, apiAvailable } from './harness.mjs'

const USCC = '91310104MA1FL8XQ10'
let browser
let page
let missing = ''

before(async () => {
  browser = await launchBrowser()
  page = await openPage(browser.context)
  page.setDefaultTimeout(10000)
  for (const [m, p] of [
    ['GET', '/api/v1/supervision/check-items'],
    ['POST', '/api/v1/supervision/inspectors'],
    ['POST', '/api/v1/supervision/conflicts']
  ]) {
    if (!missing && !(await apiAvailable(m, p))) missing = `${m} ${p}`
  }
})

after(async () => {
  if (browser) await browser.close()
})

test('check items, the inspector register and a declared conflict', async (t) => {
  if (missing) return t.skip(`API missing: ${missing}`)
  // the public: the check-item list of 便利店
  await page.goto('/supervision/check-items')
  await page.getByRole('heading', { level: 1, name: '随机抽查事项清单' }).waitFor()
  await page.getByRole('heading', { level: 2, name: '区市场监管局' }).waitFor()
  await page.getByRole('cell', { name: 'FOOD-01', exact: true }).waitFor()
  assert.ok((await page.getByText('模型取值', { exact: true }).count()) > 0)
  await screenshot(page, 'supervision-check-items')

  // the demo inspector of the department is on the register already (yiye init
  // --demo registers every demo inspector); the supervisor records the real
  // qualification
  await login(page, 'supervisor', demoPassword('supervisor'))
  await page.goto('/supervision/inspectors')
  await page.getByRole('heading', { level: 1, name: '执法检查人员名录库' }).waitFor()
  const row = page.locator('.el-table__body-wrapper tbody tr').filter({ has: page.getByText('inspector', { exact: true }) })
  await row.getByText('行政执法证（演示）').waitFor()
  await row.getByRole('button', { name: '修改' }).click()
  const dialog = page.getByRole('dialog', { name: '修改 执法检查员（演示）' })
  await dialog.getByLabel('执法资格（每行一项，如执法证号、专业领域）').fill('执法证 31010400001')
  let answer = page.waitForResponse((r) => new URL(r.url()).pathname.startsWith('/api/v1/supervision/inspectors/') && r.request().method() === 'PATCH')
  await dialog.getByRole('button', { name: '保存' }).click()
  assert.equal((await answer).status(), 200)
  await dialog.waitFor({ state: 'hidden' })
  await page.getByText('执法证 31010400001').waitFor()
  await screenshot(page, 'supervision-inspectors')
  await page.goto('/supervision/entities')
  await page.getByRole('heading', { level: 1, name: '检查对象名录库' }).waitFor()
  await logout(page)

  // the inspector declares a conflict, then withdraws it
  await login(page, 'inspector', demoPassword('inspector'))
  await page.goto('/supervision/conflicts')
  await page.getByRole('heading', { level: 1, name: '利害关系申报' }).waitFor()
  await page.getByLabel('市场主体统一社会信用代码').fill(USCC)
  await page.getByLabel('利害关系说明').fill('配偶在该店任职')
  answer = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/supervision/conflicts' && r.request().method() === 'POST')
  await page.getByRole('button', { name: '申报', exact: true }).click()
  assert.equal((await answer).status(), 201)
  await page.getByRole('cell', { name: USCC, exact: true }).waitFor()
  await page.getByText('回避中').waitFor()
  await page.getByRole('button', { name: '撤回' }).click()
  answer = page.waitForResponse((r) => new URL(r.url()).pathname.startsWith('/api/v1/supervision/conflicts/') && r.request().method() === 'DELETE')
  await page.getByRole('dialog', { name: '撤回申报' }).getByRole('button', { name: '撤回' }).click()
  assert.equal((await answer).status(), 200)
  await page.getByText('暂无申报').waitFor()
  await logout(page)
  assert.deepEqual(page.problems, [], page.problems.join('\n'))
})
