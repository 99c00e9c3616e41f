// Journey: a business registers as an applicant. A mistyped 统一社会信用代码 is
// caught as soon as it is complete (live check through /api/v1/validate) and the
// message stands next to that input; nothing is sent until it is fixed. With a
// valid code the registration succeeds and the new account can log in.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { launchBrowser, openPage, screenshot, login, apiAvailable } from './harness.mjs'

let browser
let page
let missing = ''

before(async () => {
  browser = await launchBrowser()
  page = await openPage(browser.context)
  page.setDefaultTimeout(10000)
  if (!(await apiAvailable('POST', '/api/v1/registrations'))) missing = 'POST /api/v1/registrations'
})

after(async () => {
  if (browser) await browser.close()
})

const formItem = (label) => page.locator('.el-form-item').filter({ has: page.getByLabel(label, { exact: true }) })

test('a bad 统一社会信用代码 shows the error next to the field', async () => {
  await page.goto('/')
  await page.getByRole('banner').getByRole('link', { name: '注册' }).click()
  await page.getByRole('heading', { level: 1, name: '申请人注册' }).waitFor()
  const checked = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/validate')
  await page.getByLabel('统一社会信用代码', { exact: true }).fill('91110000600037341A')
  assert.equal((await checked).status(), 200)
  const error = formItem('统一社会信用代码').locator('.el-form-item__error')
  await error.waitFor()
  assert.match(await error.innerText(), /校验/)

  // Submitting with the bad code sends no registration.
  let sent = false
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/api/v1/registrations') sent = true
  })
  await page.getByLabel('市场主体名称', { exact: true }).fill('上海徐汇便利测试有限公司')
  await page.getByLabel('手机号码', { exact: true }).fill('13800138000')
  await page.getByLabel('用户名', { exact: true }).fill('shop_reg_1')
  await page.getByLabel('密码', { exact: true }).fill('Shop-pass-2026')
  await page.getByLabel('确认密码', { exact: true }).fill('Shop-pass-2026')
  await page.getByRole('button', { name: '注册', exact: true }).click()
  await error.waitFor()
  assert.equal(sent, false, 'no registration is sent with a bad code')
  await screenshot(page, 'register-bad-uscc')
  assert.deepEqual(page.problems, [], page.problems.join('\n'))
})

test('with a valid code the registration succeeds and the account logs in', async (t) => {
  if (missing) return t.skip(`accounts API missing: ${missing}`)
  await page.getByLabel('统一社会信用代码', { exact: true }).fill('91110000600037341L')
  await page.getByTestId('uscc-ok').waitFor()
  await formItem('统一社会信用代码').locator('.el-form-item__error').waitFor({ state: 'detached' })
  const answer = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/registrations')
  await page.getByRole('button', { name: '注册', exact: true }).click()
  assert.equal((await answer).status(), 201)
  await page.getByText('注册成功').waitFor()

  await login(page, 'shop_reg_1', 'Shop-pass-2026')
  await page.getByTestId('current-user').getByText('申请人').waitFor()
  assert.deepEqual(page.problems, [], page.problems.join('\n'))
})
