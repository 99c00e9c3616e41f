// Journey: the system administrator manages departments: adds one, renames it,
// disables it after confirming (and enables it again). A code the server refuses is shown next to
// its field.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { launchBrowser, openPage, screenshot, demoPassword, login, logout, apiAvailable } from './harness.mjs'

const CODE = 'browser_dept'
const NAME = '浏览器测试办公室'
const RENAMED = '浏览器测试服务办公室'

let browser
let page
let missing = ''

before(async () => {
  browser = await launchBrowser()
  // the refused code (400) and the refused action (503) are answers the journey provokes on purpose
  page = await openPage(browser.context, { expectedFailures: [/^\/api\/v1\/departments$/, new RegExp(`^/api/v1/departments/${CODE}$`)] })
  page.setDefaultTimeout(10000)
  for (const [m, p] of [['POST', '/api/v1/departments'], ['PATCH', '/api/v1/departments/{code}']]) {
    if (!missing && !(await apiAvailable(m, p))) missing = `${m} ${p}`
  }
})

after(async () => {
  if (browser) await browser.close()
})

const rowOf = (p, code) => p.getByRole('row').filter({ has: p.getByRole('cell', { name: code, exact: true }) })

test('the administrator adds, renames, disables and enables a department', async (t) => {
  if (missing) return t.skip(`API missing: ${missing}`)
  await login(page, 'admin', demoPassword('admin'))
  await page.getByRole('navigation', { name: '主导航' }).getByRole('menuitem', { name: '部门管理' }).click()
  await page.getByRole('heading', { level: 1, name: '部门管理' }).waitFor()
  await page.getByRole('cell', { name: '区市场监管局', exact: true }).first().waitFor()

  // a code the server refuses is shown next to the field and nothing is added
  await page.getByRole('button', { name: '新增部门' }).click()
  let dialog = page.getByRole('dialog', { name: '新增部门' })
  await dialog.getByLabel('部门代码', { exact: true }).fill('坏代码')
  await dialog.getByLabel('部门名称', { exact: true }).fill(NAME)
  let answer = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/departments' && r.request().method() === 'POST')
  await dialog.getByRole('button', { name: '保存' }).click()
  assert.equal((await answer).status(), 400)
  await dialog.locator('.el-form-item__error').first().waitFor()

  await dialog.getByLabel('部门代码', { exact: true }).fill(CODE)
  answer = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/departments' && r.request().method() === 'POST')
  await dialog.getByRole('button', { name: '保存' }).click()
  assert.equal((await answer).status(), 201)
  await dialog.waitFor({ state: 'hidden' })
  await rowOf(page, CODE).getByRole('cell', { name: NAME, exact: true }).waitFor()
  await rowOf(page, CODE).getByText('启用', { exact: true }).waitFor()

  await rowOf(page, CODE).getByRole('button', { name: '修改名称' }).click()
  dialog = page.getByRole('dialog', { name: `修改部门 ${CODE}` })
  await dialog.getByLabel('部门名称', { exact: true }).fill(RENAMED)
  answer = page.waitForResponse((r) => new URL(r.url()).pathname === `/api/v1/departments/${CODE}` && r.request().method() === 'PATCH')
  await dialog.getByRole('button', { name: '保存' }).click()
  assert.equal((await answer).status(), 200)
  await dialog.waitFor({ state: 'hidden' })
  await rowOf(page, CODE).getByRole('cell', { name: RENAMED, exact: true }).waitFor()

  // disabling asks first, and says what it does not do; cancelling sends nothing
  await rowOf(page, CODE).getByRole('button', { name: '停用' }).click()
  let confirm = page.getByRole('dialog', { name: '停用部门' })
  assert.match(await confirm.innerText(), /账户仍可登录/)
  await confirm.getByRole('button', { name: '取消' }).click()
  await confirm.waitFor({ state: 'hidden' })
  await rowOf(page, CODE).getByText('启用', { exact: true }).waitFor()
  answer = page.waitForResponse((r) => new URL(r.url()).pathname === `/api/v1/departments/${CODE}` && r.request().method() === 'PATCH')
  await rowOf(page, CODE).getByRole('button', { name: '停用' }).click()
  confirm = page.getByRole('dialog', { name: '停用部门' })
  await confirm.getByRole('button', { name: '停用' }).click()
  assert.equal((await answer).status(), 200)
  await rowOf(page, CODE).getByText('已停用').waitFor()
  await screenshot(page, 'admin-departments')

  // the server keeps it disabled
  const listed = await page.evaluate(async () => (await (await fetch('/api/v1/departments')).json()).items)
  const mine = listed.find((d) => d.code === CODE)
  assert.equal(mine && mine.name, RENAMED)
  assert.equal(mine && mine.disabled, true)

  answer = page.waitForResponse((r) => new URL(r.url()).pathname === `/api/v1/departments/${CODE}` && r.request().method() === 'PATCH')
  await rowOf(page, CODE).getByRole('button', { name: '启用' }).click()
  await page.getByRole('dialog', { name: '启用部门' }).getByRole('button', { name: '启用' }).click()
  assert.equal((await answer).status(), 200)
  await rowOf(page, CODE).getByText('启用', { exact: true }).waitFor()

  // a refused action shows the server's message above the list and leaves the row as it was
  const path = `**/api/v1/departments/${CODE}`
  await page.route(path, (route) =>
    route.request().method() === 'PATCH'
      ? route.fulfill({
          status: 503,
          contentType: 'application/json',
          body: JSON.stringify({ error: { code: 'busy', message: '系统繁忙，请稍后重试', field: '' } })
        })
      : route.continue()
  )
  await rowOf(page, CODE).getByRole('button', { name: '停用' }).click()
  await page.getByRole('dialog', { name: '停用部门' }).getByRole('button', { name: '停用' }).click()
  await page.getByRole('alert').filter({ hasText: '系统繁忙，请稍后重试' }).waitFor()
  await rowOf(page, CODE).getByText('启用', { exact: true }).waitFor()
  await page.unroute(path)
  await logout(page)
  assert.deepEqual(page.problems, [], page.problems.join('\n'))
})
