// Journey: the system administrator opens an account for a new window clerk.
// The initial password is shown once, with a copy button and the warning that it
// cannot be shown again; the new clerk logs in with it, is made to choose a
// password of their own, and then sees the platform.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { launchBrowser, openPage, screenshot, demoPassword, login, logout, apiAvailable } from './harness.mjs'

let browser
let page
let missing = ''
let initial = ''

before(async () => {
  browser = await launchBrowser()
  page = await openPage(browser.context)
  page.setDefaultTimeout(10000)
  if (!(await apiAvailable('POST', '/api/v1/users'))) missing = 'POST /api/v1/users'
})

after(async () => {
  if (browser) await browser.close()
})

test('admin creates a user and sees the one-time password', async (t) => {
  if (missing) return t.skip(`accounts API missing: ${missing}`)
  await login(page, 'admin', demoPassword('admin'))
  await page.getByRole('navigation', { name: '主导航' }).getByRole('menuitem', { name: '用户管理' }).click()
  await page.getByRole('heading', { level: 1, name: '用户管理' }).waitFor()
  await page.getByRole('button', { name: '新建用户' }).click()

  const dialog = page.getByRole('dialog', { name: '新建用户' })
  await dialog.getByLabel('用户名', { exact: true }).fill('clerk_new')
  await dialog.getByLabel('姓名', { exact: true }).fill('王晓')
  await dialog.locator('label').filter({ hasText: '窗口受理人员' }).click()
  await dialog.getByRole('combobox', { name: '所属部门' }).click()
  await page.getByRole('option', { name: '区行政服务中心' }).click()
  const created = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/users' && r.request().method() === 'POST')
  await dialog.getByRole('button', { name: '创建' }).click()
  assert.equal((await created).status(), 201)

  const secret = page.getByRole('dialog', { name: '用户已创建' })
  await secret.getByText('此内容只显示这一次').waitFor()
  await secret.getByRole('button', { name: '复制' }).waitFor()
  initial = await secret.getByRole('textbox', { name: '临时密码' }).inputValue()
  assert.ok(initial.length >= 8, 'an initial password is shown')
  await screenshot(page, 'admin-user-created')
  await secret.getByRole('button', { name: '我已妥善保存，关闭' }).click()
  await secret.waitFor({ state: 'hidden' })
  assert.equal(await page.getByTestId('one-time-secret').count(), 0, 'the password is gone once closed')

  await page.getByRole('textbox', { name: '用户名或姓名' }).fill('clerk_new')
  const searched = page.waitForResponse((r) => new URL(r.url()).searchParams.get('q') === 'clerk_new')
  await page.getByRole('button', { name: '查询' }).click()
  assert.equal((await searched).status(), 200)
  const row = page.getByRole('row').filter({ has: page.getByRole('cell', { name: 'clerk_new', exact: true }) })
  await row.getByRole('cell', { name: '区行政服务中心' }).waitFor()
  await row.getByText('待改密码').waitFor()
  await logout(page)
  assert.deepEqual(page.problems, [], page.problems.join('\n'))
})

test('the new user must change the given password at first login', async (t) => {
  if (missing || !initial) return t.skip(missing ? `accounts API missing: ${missing}` : 'no user was created')
  const where = await login(page, 'clerk_new', initial)
  assert.equal(where, '/account')
  await page.getByTestId('force-password').waitFor()
  // Any other page sends the user back here until the password is changed.
  await page.getByRole('navigation', { name: '主导航' }).getByRole('menuitem', { name: '行业目录' }).click()
  await page.getByTestId('force-password').waitFor()
  assert.equal(new URL(page.url()).pathname, '/account')

  // the policy is checked before anything is sent (the same rules as the registration)
  let sent = 0
  const count = (r) => {
    if (new URL(r.url()).pathname === '/api/v1/me/password') sent++
  }
  page.on('request', count)
  await page.getByLabel('当前密码', { exact: true }).fill(initial)
  await page.getByLabel('新密码', { exact: true }).fill('onlylowercase1')
  await page.getByLabel('确认新密码', { exact: true }).fill('onlylowercase1')
  await page.getByRole('button', { name: '修改密码' }).click()
  await page.getByText('密码须包含小写字母、大写字母、数字、其他字符中的至少三类。').waitFor()
  page.off('request', count)
  assert.equal(sent, 0, 'a password against the policy is not sent')

  await page.getByLabel('新密码', { exact: true }).fill('Clerk-own-2026')
  await page.getByLabel('确认新密码', { exact: true }).fill('Clerk-own-2026')
  await page.getByRole('button', { name: '修改密码' }).click()
  await page.waitForURL((u) => u.pathname === '/')
  await page.getByTestId('current-user').getByText('窗口受理人员').waitFor()
  assert.deepEqual(page.problems, [], page.problems.join('\n'))
})

test('the administrator resets a password; the old one stops working', async (t) => {
  if (missing || !initial) return t.skip(missing ? `accounts API missing: ${missing}` : 'no user was created')
  await login(page, 'admin', demoPassword('admin'))
  await page.getByRole('navigation', { name: '主导航' }).getByRole('menuitem', { name: '用户管理' }).click()
  await page.getByRole('textbox', { name: '用户名或姓名' }).fill('clerk_new')
  await page.getByRole('button', { name: '查询' }).click()
  const row = page.getByRole('row').filter({ has: page.getByRole('cell', { name: 'clerk_new', exact: true }) })
  await row.getByRole('button', { name: '重置密码' }).click()
  const reset = page.waitForResponse((r) => new URL(r.url()).pathname.endsWith('/password-reset'))
  await page.getByRole('button', { name: '重置', exact: true }).click()
  assert.equal((await reset).status(), 200)
  const secret = page.getByRole('dialog', { name: '密码已重置' })
  const fresh = await secret.getByRole('textbox', { name: '临时密码' }).inputValue()
  assert.ok(fresh.length >= 8 && fresh !== initial, 'a new one-time password is shown')
  await secret.getByRole('button', { name: '我已妥善保存，关闭' }).click()
  await logout(page)

  // the password the clerk chose no longer works; the new one does, and must be changed
  const refused = await page.evaluate(async () => (await fetch('/api/v1/session', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'clerk_new', password: 'Clerk-own-2026' })
  })).status)
  assert.equal(refused, 401)
  assert.equal(await login(page, 'clerk_new', fresh), '/account')
  await page.getByTestId('force-password').waitFor()
  // the refused login above is expected to log a 401
  assert.deepEqual(page.problems.filter((p) => !p.includes('status of 401')), [], page.problems.join('\n'))
})

test('the administrator disables an account after confirming, and enables it again', async (t) => {
  if (missing || !initial) return t.skip(missing ? `accounts API missing: ${missing}` : 'no user was created')
  const earlier = page.problems.length // the journey before this one expected a 401
  await logout(page) // clerk_new, signed in at the end of the journey before
  await login(page, 'admin', demoPassword('admin'))
  await page.getByRole('navigation', { name: '主导航' }).getByRole('menuitem', { name: '用户管理' }).click()
  await page.getByRole('textbox', { name: '用户名或姓名' }).fill('clerk_new')
  await page.getByRole('button', { name: '查询' }).click()
  const row = page.getByRole('row').filter({ has: page.getByRole('cell', { name: 'clerk_new', exact: true }) })
  const patched = () => page.waitForResponse((r) => /^\/api\/v1\/users\/\d+$/.test(new URL(r.url()).pathname) && r.request().method() === 'PATCH')

  let answer = patched()
  await row.getByRole('button', { name: '停用' }).click()
  const confirm = page.getByRole('dialog', { name: '停用用户' })
  assert.match(await confirm.innerText(), /无法登录/)
  await confirm.getByRole('button', { name: '停用' }).click()
  assert.equal((await answer).status(), 200)
  await row.getByText('已停用').waitFor()

  answer = patched()
  await row.getByRole('button', { name: '启用' }).click()
  await page.getByRole('dialog', { name: '启用用户' }).getByRole('button', { name: '启用' }).click()
  assert.equal((await answer).status(), 200)
  await row.getByText('已停用').waitFor({ state: 'detached' })
  await logout(page)
  assert.deepEqual(page.problems.slice(earlier), [], page.problems.join('\n'))
})
