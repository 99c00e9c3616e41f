// Journey: a reviewer of 区市场监管局 proposes a change to the 便利店 entry of the
// catalog; the catalog administrator (区审改办) sees the catalog versions, compares
// nothing-changed versions, and approves the proposal.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { launchBrowser, openPage, screenshot, demoPassword, login, logout, navItems, apiAvailable } from './harness.mjs'

let browser
let page
let missing = ''
const TITLE = '便利店增加现制现售饮品的说明'

before(async () => {
  browser = await launchBrowser()
  page = await openPage(browser.context)
  page.setDefaultTimeout(10000)
  for (const [m, p] of [['GET', '/api/v1/catalog/versions'], ['POST', '/api/v1/catalog/proposals'], ['POST', '/api/v1/session']]) {
    if (!missing && !(await apiAvailable(m, p))) missing = `${m} ${p}`
  }
})

after(async () => {
  if (browser) await browser.close()
})

test('a reviewer proposes a catalog change', async (t) => {
  if (missing) return t.skip(`API missing: ${missing}`)
  await login(page, 'reviewer', demoPassword('reviewer'))
  const items = await navItems(page)
  assert.ok(items.includes('调整建议') && !items.includes('目录版本'), `reviewer menu: ${items}`)
  await page.getByRole('navigation', { name: '主导航' }).getByRole('menuitem', { name: '调整建议' }).click()
  await page.getByRole('heading', { level: 1, name: '目录调整建议' }).waitFor()
  await page.getByRole('combobox', { name: '行业' }).click()
  await page.getByRole('option', { name: '便利店', exact: true }).click()
  await page.getByLabel('标题', { exact: true }).fill(TITLE)
  await page.getByLabel('理由和依据', { exact: true }).fill('现制现售饮品在便利店普遍存在，告知单应提示所需材料。')
  const sent = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/catalog/proposals' && r.request().method() === 'POST')
  await page.getByRole('button', { name: '提交建议' }).click()
  assert.equal((await sent).status(), 201)
  await page.getByText('建议已提交').waitFor()
  await page.getByRole('cell', { name: new RegExp(TITLE) }).waitFor()
  await logout(page)
  assert.deepEqual(page.problems, [], page.problems.join('\n'))
})

test('the catalog administrator reviews versions and approves the proposal', async (t) => {
  if (missing) return t.skip(`API missing: ${missing}`)
  await login(page, 'catalog_admin', demoPassword('catalog_admin'))
  await page.getByRole('navigation', { name: '主导航' }).getByRole('menuitem', { name: '目录版本' }).click()
  await page.getByRole('heading', { level: 1, name: '目录版本管理' }).waitFor()
  await page.getByRole('cell', { name: '第 1 版' }).waitFor()
  await page.getByText('当前启用').first().waitFor()
  // the version `yiye init` imported says what it is, never where it lay on the server
  const first = page.getByRole('row').filter({ has: page.getByRole('cell', { name: '第 1 版' }) })
  await first.getByText('初始导入：随平台提供的行业目录').waitFor()
  await first.getByText('平台初始化').waitFor()
  assert.doesNotMatch(await first.innerText(), /\//, 'no server path in the version list')
  await screenshot(page, 'catalog-versions')

  await page.getByRole('navigation', { name: '主导航' }).getByRole('menuitem', { name: '调整建议' }).click()
  await page.getByRole('heading', { level: 1, name: '目录调整建议' }).waitFor()
  const row = page.getByRole('row').filter({ hasText: TITLE })
  await row.getByRole('button', { name: '审议' }).click()
  const dialog = page.getByRole('dialog')
  await dialog.getByLabel('说明（可选）').fill('同意，纳入下一版目录。')
  const decided = page.waitForResponse((r) => /\/decision$/.test(new URL(r.url()).pathname))
  await dialog.getByRole('button', { name: '提交' }).click()
  assert.equal((await decided).status(), 200)
  await row.getByText('已同意').waitFor()
  await screenshot(page, 'catalog-proposals')
  await logout(page)
  assert.deepEqual(page.problems, [], page.problems.join('\n'))
})
