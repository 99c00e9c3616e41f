// Journey: the auditor reads the audit trail: logins are recorded and shown by
// their Chinese names (never the raw action code), the list can be filtered by
// actor and action, and the CSV export link carries the filter.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { launchBrowser, openPage, screenshot, demoPassword, login, logout, navItems, apiAvailable } from './harness.mjs'

let browser
let page
let missing = ''

before(async () => {
  browser = await launchBrowser()
  page = await openPage(browser.context)
  page.setDefaultTimeout(10000)
  for (const [m, p] of [['GET', '/api/v1/audit'], ['POST', '/api/v1/session']]) {
    if (!missing && !(await apiAvailable(m, p))) missing = `${m} ${p}`
  }
})

after(async () => {
  if (browser) await browser.close()
})

test('the auditor filters the audit trail and exports it', async (t) => {
  if (missing) return t.skip(`API missing: ${missing}`)
  await login(page, 'auditor', demoPassword('auditor'))
  const items = await navItems(page)
  assert.ok(items.includes('审计日志') && !items.includes('用户管理'), `auditor menu: ${items}`)
  await page.getByRole('navigation', { name: '主导航' }).getByRole('menuitem', { name: '审计日志' }).click()
  await page.getByRole('heading', { level: 1, name: '审计日志' }).waitFor()
  await page.getByRole('cell', { name: '登录', exact: true }).first().waitFor()
  const shown = await page.locator('.el-table__body').innerText()
  assert.doesNotMatch(shown, /session\.login|user\.create|department\.create|department:|user:\d|yiye-init/, 'raw codes in the audit list')

  await page.getByRole('textbox', { name: '操作人' }).fill('auditor')
  await page.getByRole('combobox', { name: '操作类型' }).click()
  await page.getByRole('option', { name: '登录', exact: true }).click()
  const listed = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/audit' && new URL(r.url()).searchParams.get('actor') === 'auditor')
  await page.getByRole('button', { name: '查询' }).click()
  assert.equal((await listed).status(), 200)
  await page.getByRole('cell', { name: 'auditor' }).first().waitFor()
  const actors = await page.locator('.el-table__body tr td:nth-child(3)').allInnerTexts()
  assert.ok(actors.length > 0 && actors.every((a) => a.startsWith('auditor')), `only the auditor's entries: ${actors}`)

  const href = await page.getByTestId('audit-csv').getAttribute('href')
  const url = new URL(href, 'http://x')
  assert.equal(url.pathname, '/api/v1/audit.csv')
  assert.equal(url.searchParams.get('actor'), 'auditor')
  assert.equal(url.searchParams.get('action'), 'session.login')
  const csv = await page.evaluate(async (h) => {
    const r = await fetch(h, { credentials: 'same-origin' })
    return { status: r.status, type: r.headers.get('content-type'), text: (await r.text()).slice(0, 400) }
  }, href)
  assert.equal(csv.status, 200)
  assert.match(csv.type, /text\/csv/)
  assert.match(csv.text, /session\.login/)
  await screenshot(page, 'audit')
  await logout(page)
  assert.deepEqual(page.problems, [], page.problems.join('\n'))
})

test('every audited route has a Chinese name for the audit page', async () => {
  // AuditView names actions from the OpenAPI document (web/src/auditActions.js):
  // each operation's x-audit-event with its summary cut at the first bracket.
  const { actionsFromOpenApi } = await import('../../web/src/auditActions.js')
  const doc = await (await fetch(`${process.env.YIYE_URL}/api/v1/openapi.json`)).json()
  const events = new Set()
  for (const item of Object.values(doc.paths)) for (const op of Object.values(item)) if (op['x-audit-event']) events.add(op['x-audit-event'])
  assert.ok(events.has('session.login'))
  const named = actionsFromOpenApi(doc)
  assert.deepEqual(named.map((a) => a.action).sort(), [...events].sort())
  const unnamed = named.filter((a) => !/[\u4e00-\u9fff]/.test(a.label) || a.label === a.action)
  assert.deepEqual(unnamed, [], 'actions without a Chinese name')
  assert.equal(named.find((a) => a.action === 'session.login').label, '登录')
})
