// Journey (issue 13, 双随机、一公开): a supervisor of the market regulator builds a
// joint plan with the culture bureau in the plan wizard, sees the preview, freezes
// the plan (the commitment is shown) and draws it with a public value; an
// inspector finds the check in the inbox 现场核查 and records a result per check item on a
// phone-sized screen; the public draw page shows the record and the server's
// re-verification, and tells readers how to re-run it with `yiye draw verify`.
// The licensed entities the plan draws from are made through the API first
// (application → acceptance → reviews → issuance, as the license tests do).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { BASE_URL, launchBrowser, openPage, screenshot, demoPassword, login, logout, apiAvailable, navClick } from './harness.mjs'

const DESKTOP = { width: 1366, height: 900 }
const PHONE = { width: 390, height: 844 }
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n')
const TITLE = '书店联合抽查（浏览器测试）'

let browser
let page
let missing = ''
let drawId = 0

// ---- a small API client (cookies and the CSRF header), for the set-up only ----
function client() {
  const jar = new Map()
  async function call(method, path, body, type) {
    const headers = { Cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') }
    if (jar.get('yiye_csrf')) headers['X-CSRF-Token'] = decodeURIComponent(jar.get('yiye_csrf'))
    let payload
    if (body !== undefined) {
      headers['Content-Type'] = type || 'application/json'
      payload = type ? body : JSON.stringify(body)
    }
    const res = await fetch(`${BASE_URL}${path}`, { method, headers, body: payload })
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';')
      const i = pair.indexOf('=')
      jar.set(pair.slice(0, i), pair.slice(i + 1))
    }
    const text = await res.text()
    const json = text && text.startsWith('{') ? JSON.parse(text) : null
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`)
    return json
  }
  return {
    as: async (user) => { jar.clear(); await call('POST', '/api/v1/session', { username: user, password: demoPassword(user) }) },
    get: (p) => call('GET', p),
    post: (p, b) => call('POST', p, b),
    patch: (p, b) => call('PATCH', p, b),
    put: (p, bytes, type) => call('PUT', p, bytes, type)
  }
}

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
// A valid 统一社会信用代码 from a serial (GB 11714 and GB 32100 check characters).
function uscc(serial) {
  const org = String(serial).padStart(8, '0')
  const ow = [3, 7, 9, 10, 5, 8, 4, 2]
  let s = 0
  for (let i = 0; i < 8; i++) s += Number(org[i]) * ow[i]
  const c = 11 - (s % 11)
  const first17 = `91310104${org}${c === 10 ? 'X' : c === 11 ? '0' : c}`
  const uw = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
  let t = 0
  for (let i = 0; i < 17; i++) t += ALPHABET.indexOf(first17[i]) * uw[i]
  return first17 + ALPHABET[(31 - (t % 31)) % 31]
}

function valueFor(f, code) {
  switch (f.type) {
    case 'uscc': return code
    case 'idcard': return '11010519491231002X'
    case 'phone': return '13800138000'
    case 'date': return '2026-01-05'
    case 'enum': return f.options[0].value
    case 'number':
    case 'area': {
      const lo = Number(f.min) || 0
      const hi = f.max !== undefined ? Number(f.max) : lo + 100
      return Math.max(Math.floor((lo + hi) / 2), 1)
    }
    case 'address': return '徐汇区漕溪北路1号'
    default: return '测试'
  }
}

// A licensed 书店 (出版物经营许可 + 户外招牌): the license issued through the API.
async function licensedBookshop(api, serial, name) {
  await api.as('applicant')
  let a = (await api.post('/api/v1/applications', { industry: 'shudian', answers: { q_food: false, q_area: 120, q_sign: true, q_sign_area: 3 } })).application
  a = (await api.get(`/api/v1/applications/${a.id}`)).application
  const form = {}
  for (const f of a.notice.fields) form[f.id] = valueFor(f, uscc(serial))
  form.F_ent_name = name
  await api.patch(`/api/v1/applications/${a.id}`, { form, version: a.version })
  for (const m of a.notice.materials) {
    if (m.exempt) continue
    await api.put(`/api/v1/applications/${a.id}/materials/${m.id}`, Buffer.concat([PDF, Buffer.from(`% ${serial} ${m.id}\n`)]), 'application/pdf')
  }
  await api.post(`/api/v1/applications/${a.id}/submit`)
  await api.as('clerk')
  await api.post(`/api/v1/applications/${a.id}/accept`)
  for (const d of ['whlyj', 'lhsrj']) {
    await api.as(`reviewer_${d}`)
    await api.post(`/api/v1/applications/${a.id}/reviews/${d}`, { decision: 'approve' })
  }
  await api.as('issuer')
  await api.post(`/api/v1/applications/${a.id}/license`)
}

before(async () => {
  for (const [m, p] of [
    ['POST', '/api/v1/supervision/plans'],
    ['POST', '/api/v1/supervision/plans/{id}/draw'],
    ['GET', '/api/v1/supervision/draws/{id}/record'],
    ['POST', '/api/v1/applications/{id}/license']
  ]) {
    if (!missing && !(await apiAvailable(m, p))) missing = `${m} ${p}`
  }
  if (missing) return
  const api = client()
  for (let i = 0; i < 3; i++) await licensedBookshop(api, 9300 + i, `浏览器测试书店${i + 1}`)
  browser = await launchBrowser()
  page = await openPage(browser.context)
  page.setDefaultTimeout(15000)
})

after(async () => {
  if (browser) await browser.close()
})

test('a supervisor builds a joint plan, freezes it and draws', async (t) => {
  if (missing) return t.skip(`API missing: ${missing}`)
  await page.setViewportSize(DESKTOP)
  await login(page, 'supervisor', demoPassword('supervisor'))
  await navClick(page, '抽查计划')
  await page.getByRole('heading', { level: 1, name: '双随机抽查计划' }).waitFor()
  await page.getByRole('button', { name: '新建抽查计划' }).click()
  await page.getByRole('heading', { level: 1, name: '新建抽查计划' }).waitFor()

  await page.getByLabel('计划名称').fill(TITLE)
  // joint: the culture bureau joins the market regulator (preselected: the user's own)
  await page.locator('.el-select', { has: page.getByRole('combobox', { name: '参与部门' }) }).click()
  await page.keyboard.type('文化旅游')
  await page.getByRole('option', { name: '区文化旅游局' }).click()
  await page.getByRole('heading', { level: 1, name: '新建抽查计划' }).click() // closes the list
  await page.getByText('联合抽查：每次检查由各部门各派一名检查人员。').waitFor()
  await page.locator('.el-select', { has: page.getByRole('combobox', { name: '行业' }) }).click()
  await page.keyboard.type('书店')
  await page.getByRole('option', { name: '书店', exact: true }).click()
  await page.getByRole('heading', { level: 1, name: '新建抽查计划' }).click() // closes the list
  await page.getByRole('spinbutton', { name: 'A 级抽查比例' }).fill('1000')
  await page.getByLabel('开始日期').fill('2026-12-01')
  await page.getByLabel('结束日期').fill('2026-12-31')
  await page.getByLabel('检查事项 1 编码').fill('PUB-01')
  await page.getByLabel('检查事项 1 名称').fill('出版物经营许可证件有效、亮证经营')
  await page.getByRole('button', { name: '增加检查事项' }).click()
  await page.getByLabel('检查事项 2 编码').fill('SIGN-01')
  await page.getByLabel('检查事项 2 名称').fill('户外招牌设置与许可一致')
  await screenshot(page, 'supervision-plan-wizard')
  let answer = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/supervision/plans' && r.request().method() === 'POST')
  await page.getByRole('button', { name: '保存计划' }).click()
  assert.equal((await answer).status(), 201)

  // the plan page: the preview per grade before the freeze
  await page.getByRole('heading', { level: 1, name: TITLE }).waitFor()
  await page.getByText('预览：各信用等级预计抽取数').waitFor()
  await page.getByText(/预计抽取 [1-9]\d* 个/).waitFor()
  await screenshot(page, 'supervision-plan-preview')

  answer = page.waitForResponse((r) => /\/freeze$/.test(new URL(r.url()).pathname))
  await page.getByRole('button', { name: '冻结计划并公布承诺值' }).click()
  assert.equal((await answer).status(), 200)
  const commitment = (await page.getByTestId('commitment').innerText()).trim()
  assert.match(commitment, /^[0-9a-f]{64}$/)

  await page.getByLabel('公开随机值').fill('26140 期 04 12 19 27 33 + 02 08')
  await page.getByLabel('来源', { exact: true }).fill('超级大乐透第 26140 期开奖公告')
  answer = page.waitForResponse((r) => /\/draw$/.test(new URL(r.url()).pathname))
  await page.getByRole('button', { name: '抽取', exact: true }).click()
  const drawn = await answer
  assert.equal(drawn.status(), 201)
  drawId = (await drawn.json()).draw.id
  await page.getByRole('link', { name: '查看公开的抽取记录及校验结果' }).waitFor()
  await page.getByRole('cell', { name: '随机抽取' }).first().waitFor()
  await screenshot(page, 'supervision-plan-drawn')
  assert.deepEqual(page.problems, [], page.problems.join('\n'))
  await logout(page)
})

test('an inspector records a result on a phone', async (t) => {
  if (missing) return t.skip(`API missing: ${missing}`)
  if (!drawId) return t.skip('no draw')
  await page.setViewportSize(PHONE)
  await login(page, 'inspector', demoPassword('inspector'))
  // the inspector starts from the inbox 现场核查, which lists the open spot checks
  // and the open 承诺核查 beside the application tasks
  await page.goto('/inspections')
  await page.getByRole('heading', { level: 1, name: '现场核查' }).waitFor()
  const other = page.getByTestId('other-work')
  await other.getByRole('heading', { name: '事中事后监管待办' }).waitFor()
  await other.getByText('随机抽取').first().waitFor()
  await other.getByRole('link', { name: '前往承诺核查' }).waitFor()
  await screenshot(page, 'supervision-inbox-phone')
  await other.getByRole('link', { name: '录入检查结果' }).first().click()
  await page.getByText('出版物经营许可证件有效、亮证经营').waitFor()
  await page.getByRole('radiogroup', { name: '出版物经营许可证件有效、亮证经营 结果' }).getByText('合格', { exact: true }).click()
  await page.getByRole('radiogroup', { name: '户外招牌设置与许可一致 结果' }).getByText('合格', { exact: true }).click()
  const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  assert.ok(over <= 0, `the result form scrolls sideways by ${over}px on a phone`)
  await screenshot(page, 'supervision-result-phone')
  const answer = page.waitForResponse((r) => /\/result$/.test(new URL(r.url()).pathname))
  await page.getByRole('button', { name: '提交检查结果' }).click()
  assert.equal((await answer).status(), 200)
  await page.getByRole('heading', { level: 1, name: '我的检查任务' }).waitFor()
  await page.getByText('合格').first().waitFor()
  assert.deepEqual(page.problems, [], page.problems.join('\n'))
  await logout(page)
})

test('the supervisor publishes the result within its deadline', async (t) => {
  if (missing) return t.skip(`API missing: ${missing}`)
  if (!drawId) return t.skip('no draw')
  await page.setViewportSize(DESKTOP)
  await login(page, 'supervisor', demoPassword('supervisor'))
  await navClick(page, '结果公示')
  await page.getByRole('heading', { level: 1, name: '检查结果公示' }).waitFor()
  const row = page.getByRole('row').filter({ hasText: '待公示' }).first()
  await row.waitFor()
  await row.getByRole('button', { name: '公示' }).click()
  const answer = page.waitForResponse((r) => /\/publish$/.test(new URL(r.url()).pathname))
  await page.getByRole('dialog', { name: '公示检查结果' }).getByRole('button', { name: '公示' }).click()
  assert.equal((await answer).status(), 200)
  await page.getByText('已公示。').waitFor()
  assert.deepEqual(page.problems, [], page.problems.join('\n'))
  await logout(page)
})

test('the public draw page shows the record and its verification', async (t) => {
  if (missing) return t.skip(`API missing: ${missing}`)
  if (!drawId) return t.skip('no draw')
  await page.setViewportSize(DESKTOP)
  await page.goto(`/public/draws/${drawId}`)
  await page.getByRole('heading', { level: 1, name: `抽取记录：${TITLE}` }).waitFor()
  await page.getByText('服务器复核通过').waitFor()
  await page.getByText('超级大乐透第 26140 期开奖公告').waitFor()
  await page.getByText('yiye draw verify draw-record.json').waitFor()
  const href = await page.getByRole('link', { name: '抽取记录（JSON）' }).getAttribute('href')
  const record = await (await fetch(`${BASE_URL}${href}`)).json()
  assert.equal(record.format, 'yiye-draw-record/1')
  assert.ok(record.selection.length >= 1)
  for (const check of record.selection) assert.equal(check.inspectors.length, 2)
  await screenshot(page, 'supervision-public-draw')
  // the published result is on the public list
  await page.getByRole('link', { name: '全部抽取记录和检查结果' }).click()
  await page.getByRole('heading', { level: 1, name: '双随机抽查公示' }).waitFor()
  await page.getByRole('cell', { name: '合格', exact: true }).first().waitFor()
  assert.deepEqual(page.problems, [], page.problems.join('\n'))
})
