// Journey: the system administrator subscribes another department's system to
// events: a bad address is flagged at its field, the kinds offered are the
// server's, the signing secret is shown once and never listed, the delivery
// history opens, and the subscription is deactivated. (Delivery itself, with
// retries, dead letters and redelivery, is tests/api/test_events.c.)
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { launchBrowser, openPage, screenshot, demoPassword, login, logout, apiAvailable } from './harness.mjs'

const NAME = '浏览器测试·执法办案系统'

let browser
let page
let missing = ''

before(async () => {
  browser = await launchBrowser()
  page = await openPage(browser.context)
  page.setDefaultTimeout(10000)
  for (const [m, p] of [['POST', '/api/v1/subscriptions'], ['GET', '/api/v1/subscriptions/{id}/deliveries']]) {
    if (!missing && !(await apiAvailable(m, p))) missing = `${m} ${p}`
  }
})

after(async () => {
  if (browser) await browser.close()
})

const rowOf = (p) => p.locator('.el-table__body-wrapper tbody tr').filter({ hasText: NAME })

test('the administrator subscribes a system, sees the secret once, then deactivates it', async (t) => {
  if (missing) return t.skip(`API missing: ${missing}`)
  await login(page, 'admin', demoPassword('admin'))
  const listed = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/subscriptions' && r.request().method() === 'GET')
  await page.getByRole('navigation', { name: '主导航' }).getByRole('menuitem', { name: '订阅', exact: true }).click()
  await page.getByRole('heading', { level: 1, name: '事件订阅' }).waitFor()
  const offered = (await (await listed).json()).event_kinds
  assert.ok(Array.isArray(offered) && offered.includes('license.issued'), 'the server lists the kinds')

  await page.getByRole('button', { name: '新建订阅' }).click()
  const dialog = page.getByRole('dialog', { name: '新建订阅' })
  await dialog.getByLabel('名称（接收系统）', { exact: true }).fill(NAME)
  // a bad address is refused at its field, nothing sent
  await dialog.getByLabel('接收地址', { exact: true }).fill('ftp://zf.example/hook')
  await dialog.getByRole('button', { name: '创建' }).click()
  await dialog.getByText('请输入完整的 http:// 或 https:// 地址。').waitFor()
  await dialog.getByLabel('接收地址', { exact: true }).fill('https://zf.example.invalid/yiye/hook')
  // two kinds instead of all, by their Chinese names, as many as the server offers
  await dialog.locator('label').filter({ hasText: '全部事件' }).click()
  const boxes = dialog.getByRole('group', { name: '订阅的事件' }).locator('label')
  assert.equal(await boxes.count(), offered.length)
  await boxes.filter({ hasText: '许可证核发' }).click()
  await boxes.filter({ hasText: '许可证吊销' }).click()
  const created = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/subscriptions' && r.request().method() === 'POST')
  await dialog.getByRole('button', { name: '创建' }).click()
  const body = await (await created).json()
  assert.deepEqual(body.kinds, ['license.issued', 'license.revoked'])

  const shown = page.getByRole('dialog', { name: '签名密钥' })
  await shown.getByText('此内容只显示这一次').waitFor()
  const secret = await shown.getByRole('textbox', { name: '密钥' }).inputValue()
  assert.match(secret, /^whsec_[0-9a-f]{48}$/)
  await screenshot(page, 'admin-subscription-created')
  await shown.getByRole('button', { name: '我已妥善保存，关闭' }).click()
  await shown.waitFor({ state: 'hidden' })

  await rowOf(page).getByText('许可证核发').waitFor()
  await rowOf(page).getByText('启用', { exact: true }).waitFor()
  assert.ok(!(await page.locator('main').innerText()).includes(secret), 'the list never shows the secret')

  // the delivery history: nothing yet
  await rowOf(page).getByRole('button', { name: '投递记录' }).click()
  const history = page.getByRole('dialog', { name: `投递记录：${NAME}` })
  await history.getByText('暂无数据').waitFor()
  await history.getByRole('radio', { name: '死信' }).check({ force: true })
  await history.getByText('暂无数据').waitFor()
  await screenshot(page, 'admin-subscription-history')
  await history.getByRole('button', { name: 'Close' }).or(history.locator('.el-dialog__headerbtn')).first().click()
  await history.waitFor({ state: 'hidden' })

  // deactivated: asked first, then shown as such
  await rowOf(page).getByRole('button', { name: '停用' }).click()
  const confirm = page.getByRole('dialog', { name: '停用订阅' })
  const patched = page.waitForResponse((r) => /^\/api\/v1\/subscriptions\/\d+$/.test(new URL(r.url()).pathname) && r.request().method() === 'PATCH')
  await confirm.getByRole('button', { name: '停用' }).click()
  assert.equal((await patched).status(), 200)
  await rowOf(page).getByText('停用', { exact: true }).waitFor()
  await logout(page)
  assert.deepEqual(page.problems, [], page.problems.join('\n'))
})
