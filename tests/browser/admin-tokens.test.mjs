// Journey: the system administrator issues an API token for another system: the
// scopes offered are the server's, the secret is shown once, the token is listed
// (without its secret), it works against the API, and once revoked it no longer
// does.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { launchBrowser, openPage, screenshot, demoPassword, login, logout, apiAvailable, BASE_URL } from './harness.mjs'

const NAME = '浏览器测试·目录同步'

let browser
let page
let missing = ''
let secret = ''

before(async () => {
  browser = await launchBrowser()
  page = await openPage(browser.context)
  page.setDefaultTimeout(10000)
  for (const [m, p] of [['POST', '/api/v1/tokens'], ['DELETE', '/api/v1/tokens/{id}']]) {
    if (!missing && !(await apiAvailable(m, p))) missing = `${m} ${p}`
  }
})

after(async () => {
  if (browser) await browser.close()
})

// asToken: GET path with the token, as the other system would (no cookies).
async function asToken(path, token) {
  const res = await fetch(`${BASE_URL}${path}`, { headers: { Authorization: `Bearer ${token}` } })
  return res.status
}

const rowOf = (p) => p.getByRole('row').filter({ hasText: NAME })

test('the administrator creates a token and sees its secret once', async (t) => {
  if (missing) return t.skip(`API missing: ${missing}`)
  await login(page, 'admin', demoPassword('admin'))
  const listed = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/tokens' && r.request().method() === 'GET')
  await page.getByRole('navigation', { name: '主导航' }).getByRole('menuitem', { name: '接口令牌' }).click()
  await page.getByRole('heading', { level: 1, name: '接口令牌' }).waitFor()
  const offered = (await (await listed).json()).scopes
  assert.ok(Array.isArray(offered) && offered.length > 0, 'the server lists the scopes')

  await page.getByRole('button', { name: '新建令牌' }).click()
  const dialog = page.getByRole('dialog', { name: '新建接口令牌' })
  // exactly the server's scopes, by their Chinese labels
  const boxes = (await dialog.getByRole('group', { name: '可读取的数据' }).locator('label').allInnerTexts()).map((s) => s.trim())
  assert.deepEqual(boxes, offered.map((s) => s.label))
  await dialog.getByLabel('名称（用途）', { exact: true }).fill(NAME)
  await dialog.locator('label').filter({ hasText: '行业目录' }).click()
  const until = new Date(Date.now() + 30 * 86400000).toISOString().slice(0, 10)
  const picker = dialog.getByRole('combobox', { name: '有效期至' })
  await picker.fill(until)
  await picker.press('Enter')
  const created = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/tokens' && r.request().method() === 'POST')
  await dialog.getByRole('button', { name: '创建' }).click()
  const body = await (await created).json()
  assert.deepEqual(body.token.scopes, ['catalog:read'])

  const shown = page.getByRole('dialog', { name: '令牌已创建' })
  await shown.getByText('此内容只显示这一次').waitFor()
  secret = await shown.getByRole('textbox', { name: '令牌' }).inputValue()
  assert.match(secret, /^yiye_/)
  await screenshot(page, 'admin-token-created')
  await shown.getByRole('button', { name: '我已妥善保存，关闭' }).click()
  await shown.waitFor({ state: 'hidden' })
  assert.equal(await page.getByTestId('one-time-secret').count(), 0, 'the secret is gone once closed')

  // listed, with its scope in words, active, and without the secret
  await rowOf(page).getByText('有效', { exact: true }).waitFor()
  await rowOf(page).getByText('行业目录').waitFor()
  assert.ok(!(await page.locator('main').innerText()).includes(secret), 'the list never shows the secret')
  assert.deepEqual(page.problems, [], page.problems.join('\n'))
})

test('the token reads what its scope allows, and nothing once revoked', async (t) => {
  if (missing || !secret) return t.skip(missing ? `API missing: ${missing}` : 'no token was created')
  assert.equal(await asToken('/api/v1/catalog/versions', secret), 200)
  assert.equal(await asToken('/api/v1/users', secret), 403, 'a scope it does not hold')

  await rowOf(page).getByRole('button', { name: '吊销' }).click()
  const confirm = page.getByRole('dialog', { name: '吊销令牌' })
  const revoked = page.waitForResponse((r) => /^\/api\/v1\/tokens\/\d+$/.test(new URL(r.url()).pathname) && r.request().method() === 'DELETE')
  await confirm.getByRole('button', { name: '吊销' }).click()
  assert.equal((await revoked).status(), 200)
  await rowOf(page).getByText('已吊销').waitFor()
  assert.equal(await rowOf(page).getByRole('button', { name: '吊销' }).count(), 0)

  assert.equal(await asToken('/api/v1/catalog/versions', secret), 401, 'a revoked token is refused')
  await screenshot(page, 'admin-token-revoked')
  await logout(page)
  assert.deepEqual(page.problems, [], page.problems.join('\n'))
})
