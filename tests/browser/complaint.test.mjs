// Journey (issue 13, 投诉举报): on a phone-sized screen and without an account, a
// member of the public finds a licensed bookshop, files a complaint about one of
// its supervision matters and is shown the ticket and lookup key once; the
// culture bureau's supervisor finds it in 投诉举报处理 with the reporter's contact
// and closes it as substantiated with a reply; the ticket page then shows the
// outcome and the reply, and never the contact. The licensed bookshop is made
// through the API first (application → acceptance → reviews → issuance).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { BASE_URL, launchBrowser, openPage, screenshot, demoPassword, login, logout, apiAvailable, navClick } from './harness.mjs'

const PHONE = { width: 390, height: 844 }
const DESKTOP = { width: 1366, height: 900 }
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n')
const SHOP = '浏览器投诉测试书店'
const CONTACT = '13900139000'
const REPLY = '经现场核查，反映情况属实，已责令改正。'

let browser
let page
let missing = ''
let number = ''

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
    as: async (user) => {
      jar.clear()
      await call('POST', '/api/v1/session', { username: user, password: demoPassword(user) })
    },
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
    case 'uscc':
      return code
    case 'idcard':
      return '11010519491231002X'
    case 'phone':
      return '13800138000'
    case 'date':
      return '2026-01-05'
    case 'enum':
      return f.options[0].value
    case 'number':
    case 'area': {
      const lo = Number(f.min) || 0
      const hi = f.max !== undefined ? Number(f.max) : lo + 100
      return Math.max(Math.floor((lo + hi) / 2), 1)
    }
    case 'address':
      return '徐汇区漕溪北路1号'
    default:
      return '测试'
  }
}

// A licensed 书店 (出版物经营许可 + 户外招牌), the license issued through the API.
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
  const issued = await api.post(`/api/v1/applications/${a.id}/license`)
  return (issued.license || issued).number
}

before(async () => {
  for (const [m, p] of [
    ['POST', '/api/v1/public/complaints'],
    ['POST', '/api/v1/supervision/complaints/{ticket}/close'],
    ['POST', '/api/v1/applications/{id}/license']
  ]) {
    if (!missing && !(await apiAvailable(m, p))) missing = `${m} ${p}`
  }
  if (missing) return
  number = await licensedBookshop(client(), 9400, SHOP)
  browser = await launchBrowser()
  page = await openPage(browser.context)
  page.setDefaultTimeout(15000)
})

after(async () => {
  if (browser) await browser.close()
})

test('a complaint filed on a phone is closed by the department and its outcome shown on the ticket page', async (t) => {
  if (missing) return t.skip(`API missing: ${missing}`)

  // the public form, at 390 px, without an account
  await page.setViewportSize(PHONE)
  await page.goto('/complaints/new')
  await page.getByRole('heading', { level: 1, name: '投诉举报' }).waitFor()
  await page.getByLabel('被投诉举报的经营主体').fill(SHOP)
  await page.getByRole('button', { name: '查找', exact: true }).click()
  await page.getByText(`已选择：${SHOP}`).waitFor()
  await page.getByRole('radio', { name: '出版物零售' }).check({ force: true })
  await page.getByLabel('问题描述').fill('店内在售的图书疑似盗版，未见出版物经营许可证件。')
  await page.getByLabel('联系方式（选填）').fill(CONTACT)
  const width = await page.evaluate(() => document.documentElement.scrollWidth)
  assert.ok(width <= PHONE.width, `the form fits 390 px (scrollWidth ${width})`)
  await screenshot(page, 'complaint-form-390')
  const answer = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/public/complaints' && r.request().method() === 'POST')
  await page.getByRole('button', { name: '提交', exact: true }).click()
  assert.equal((await answer).status(), 201)
  const ticket = (await page.getByTestId('ticket').innerText()).trim()
  const key = (await page.getByTestId('key').innerText()).trim()
  assert.match(ticket, /^TS[0-9A-Z]{10}$/)
  assert.ok(key.length >= 20)
  await page.getByText('区文化旅游局').first().waitFor()
  await screenshot(page, 'complaint-filed-390')

  // the culture bureau's supervisor closes it as substantiated
  await page.setViewportSize(DESKTOP)
  await login(page, 'supervisor_whlyj', demoPassword('supervisor_whlyj'))
  await navClick(page, '投诉举报处理')
  await page.getByRole('heading', { level: 1, name: '投诉举报处理' }).waitFor()
  await page.getByRole('button', { name: ticket, exact: true }).click()
  const dialog = page.getByRole('dialog', { name: `投诉举报 ${ticket}` })
  await dialog.getByText(CONTACT).waitFor()
  await dialog.getByRole('button', { name: '办结', exact: true }).click()
  await dialog.getByRole('radio', { name: '属实（计入信用记录）' }).check({ force: true })
  await dialog.getByLabel('答复（举报人凭查询码可见）').fill(REPLY)
  const closed = page.waitForResponse((r) => new URL(r.url()).pathname === `/api/v1/supervision/complaints/${ticket}/close`)
  await dialog.getByRole('button', { name: '确认办结' }).click()
  assert.equal((await closed).status(), 200)
  await dialog.getByText('已办结').waitFor()
  await screenshot(page, 'complaint-closed-1366')
  await page.keyboard.press('Escape')
  await logout(page)

  // the reporter reads the outcome with the ticket and key; no contact
  await page.setViewportSize(PHONE)
  await page.goto(`/complaints/lookup?ticket=${ticket}`)
  await page.getByRole('heading', { level: 1, name: '投诉举报查询' }).waitFor()
  await page.getByLabel('查询码').fill(key)
  await page.getByRole('button', { name: '查询', exact: true }).click()
  await page.getByTestId('outcome').getByText('情况属实').waitFor()
  await page.getByTestId('reply').getByText(REPLY).waitFor()
  assert.ok(!(await page.content()).includes(CONTACT), 'the ticket page never shows the contact')
  await screenshot(page, 'complaint-lookup-390')
  assert.deepEqual(page.problems, [], page.problems.join('\n'))
})

test('the public verify page links to 投诉举报 with the license already chosen', async (t) => {
  if (missing) return t.skip(`API missing: ${missing}`)
  await page.setViewportSize(PHONE)
  await page.goto(`/v/${encodeURIComponent(number)}`)
  await page.getByTestId('verify-status').waitFor()
  await page.getByRole('link', { name: '投诉举报', exact: true }).click()
  await page.getByRole('heading', { level: 1, name: '投诉举报' }).waitFor()
  assert.equal(new URL(page.url()).searchParams.get('license'), number)
  await page.getByText(`已选择：${SHOP}`).waitFor()
  await screenshot(page, 'complaint-from-verify-390')
  assert.deepEqual(page.problems, [], page.problems.join('\n'))
})
