// Journey: two people with different roles log in and each sees only the pages
// of their role. The system administrator sees 用户管理, 部门管理, 接口令牌 and
// 审计日志 but not the catalog admin's pages; the applicant sees none of these,
// and opening an admin page by its address is refused with a notice.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { launchBrowser, openPage, screenshot, demoPassword, login, logout, navItems, apiAvailable } from './harness.mjs'

// 信息公开 gathers every public disclosure page (许可公示, 抽查公示, 行政处罚公示…)
const PUBLIC = ['首页', '行业目录', '办事指南', '便民工具', '信息公开']
const ADMIN_ONLY = ['用户管理', '部门管理', '接口令牌', '审计日志']
const CATALOG_ONLY = ['目录版本', '调整建议']

let browser
let page
let missing = ''

before(async () => {
  browser = await launchBrowser()
  page = await openPage(browser.context)
  page.setDefaultTimeout(10000)
  if (!(await apiAvailable('POST', '/api/v1/session'))) missing = 'POST /api/v1/session'
})

after(async () => {
  if (browser) await browser.close()
})

test('the public sees the public pages and 登录/注册 in the header', async () => {
  await page.goto('/')
  await page.getByRole('heading', { level: 1 }).first().waitFor()
  assert.deepEqual(await navItems(page), PUBLIC)
  await page.getByRole('banner').getByRole('link', { name: '登录' }).waitFor()
  await page.getByRole('banner').getByRole('link', { name: '注册' }).waitFor()
  assert.deepEqual(page.problems, [], page.problems.join('\n'))
})

test('信息公开 gathers every public page in one menu entry', async () => {
  await page.goto('/')
  await page.getByRole('heading', { level: 1 }).first().waitFor()
  await page.getByRole('navigation', { name: '主导航' }).getByRole('menuitem', { name: '信息公开' }).click()
  await page.getByRole('heading', { level: 1, name: '信息公开' }).waitFor()
  const list = page.getByRole('navigation', { name: '公开信息' })
  const pages = [
    ['许可公示', '/disclosure', '行政许可信息公示'],
    ['抽查公示', '/public/draws', '双随机抽查公示'],
    ['行政处罚公示', '/public/penalties', '行政处罚公示'],
    ['经营异常名录', '/public/abnormal-list', '经营异常名录'],
    ['随机抽查事项清单', '/supervision/check-items', '随机抽查事项清单'],
    ['投诉举报', '/complaints/new', '投诉举报'],
    ['投诉举报查询', '/complaints/lookup', '投诉举报查询']
  ]
  for (const [label, path] of pages) {
    assert.equal(await list.getByRole('link', { name: new RegExp('^' + label) }).first().getAttribute('href'), path, label)
  }
  await screenshot(page, 'public-info')
  for (const [label, path, h1] of pages) {
    await page.goto('/public')
    await list.getByRole('link', { name: new RegExp('^' + label) }).first().click()
    await page.getByRole('heading', { level: 1, name: h1, exact: true }).waitFor()
    assert.equal(new URL(page.url()).pathname, path)
    // the page keeps 信息公开 highlighted in the menu
    await page.locator('.gov-menu .el-menu-item.is-active', { hasText: '信息公开' }).waitFor()
  }
  // the home page links to it too
  await page.goto('/')
  await page.getByRole('link', { name: /^全部公开信息/ }).click()
  await page.getByRole('heading', { level: 1, name: '信息公开' }).waitFor()
  assert.deepEqual(page.problems, [], page.problems.join('\n'))
})

test('the system administrator sees the administration pages', async (t) => {
  if (missing) return t.skip(`accounts API missing: ${missing}`)
  await login(page, 'admin', demoPassword('admin'))
  await page.getByTestId('current-user').getByText('系统管理员').waitFor()
  const items = await navItems(page)
  for (const label of [...PUBLIC, ...ADMIN_ONLY]) assert.ok(items.includes(label), `admin sees ${label} (has ${items})`)
  for (const label of CATALOG_ONLY) assert.ok(!items.includes(label), `admin does not see ${label}`)

  await page.getByRole('navigation', { name: '主导航' }).getByRole('menuitem', { name: '用户管理' }).click()
  await page.getByRole('heading', { level: 1, name: '用户管理' }).waitFor()
  // the demo has more accounts than one page holds (one reviewer and inspector per department)
  await page.getByRole('textbox', { name: '用户名或姓名' }).fill('applicant')
  await page.getByRole('button', { name: '查询' }).click()
  await page.getByRole('cell', { name: 'applicant', exact: true }).waitFor()
  await screenshot(page, 'admin-users')
  await logout(page)
  assert.deepEqual(await navItems(page), PUBLIC)
  assert.deepEqual(page.problems, [], page.problems.join('\n'))
})

test('the applicant sees none of the administration pages and is refused them', async (t) => {
  if (missing) return t.skip(`accounts API missing: ${missing}`)
  await login(page, 'applicant', demoPassword('applicant'))
  await page.getByTestId('current-user').getByText('申请人').waitFor()
  const items = await navItems(page)
  for (const label of PUBLIC) assert.ok(items.includes(label), `applicant sees ${label}`)
  for (const label of [...ADMIN_ONLY, ...CATALOG_ONLY]) assert.ok(!items.includes(label), `applicant does not see ${label}`)

  await page.goto('/admin/users')
  await page.getByText('您当前的身份无权访问所请求的页面').waitFor()
  assert.equal(new URL(page.url()).pathname, '/')

  await page.getByRole('banner').getByRole('link', { name: '我的账户' }).click()
  await page.getByRole('heading', { level: 1, name: '我的账户' }).waitFor()
  await page.getByRole('cell', { name: 'applicant', exact: true }).waitFor()
  await screenshot(page, 'applicant-account')
  await logout(page)
  assert.deepEqual(page.problems, [], page.problems.join('\n'))
})
