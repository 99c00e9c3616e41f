// The license journey of issue 12, from the 便利店 application the applications
// journey walks to 准予许可: the application is driven to approved through the
// API (application-journey.test.mjs walks those steps through the UI already),
// then everything of the license happens in the UI — the issuer issues it from
// the 发证 queue, the window records the hand-over, the holder finds it under
// 我的许可证 and downloads the PDF (a real PDF), the public verify page says 有效,
// a supervisor of the market regulator revokes it with reason and basis, and the
// public verify page says 撤销. Screenshots at 390 and 1366 px.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import { launchBrowser, openPage, screenshot, demoPassword, login, logout, apiAvailable } from './harness.mjs'

let browser
let page
let missing = ''
let appId = 0
let number = ''

const DESKTOP = { width: 1366, height: 900 }
const PHONE = { width: 390, height: 844 }
const PDF = '%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'
const ANSWERS = { q_alcohol: false, q_tobacco: false, q_drug: false, q_device2: false, q_hot_food: false, q_area: 80, q_sign: false }

async function shots(name) {
  for (const [size, label] of [[PHONE, '390'], [DESKTOP, '1366']]) {
    await page.setViewportSize(size)
    await page.locator('.el-loading-mask').waitFor({ state: 'detached' }).catch(() => {})
    if (size === PHONE) {
      // the menu folds its entries into … once it has observed the new width
      await page.waitForFunction(() => document.documentElement.scrollWidth <= window.innerWidth, null, { timeout: 5000 }).catch(() => {})
      const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
      assert.ok(over <= 0, `${name} scrolls sideways by ${over}px on a phone`)
    }
    await screenshot(page, `license-${name}-${label}`)
  }
  await page.setViewportSize(DESKTOP)
}

async function as(user) {
  if (await page.getByRole('button', { name: '退出登录' }).isVisible()) await logout(page)
  return login(page, user, demoPassword(user))
}

// One API call from the page as whoever is logged in (session cookie + CSRF
// header, as the UI sends them). Resolves to { status, body }.
async function call(method, path, body, raw) {
  return page.evaluate(async ({ method, path, body, raw }) => {
    const csrf = decodeURIComponent((document.cookie.match(/(?:^|; )yiye_csrf=([^;]*)/) || [])[1] || '')
    const headers = { 'X-CSRF-Token': csrf }
    let payload
    if (raw !== undefined) {
      headers['Content-Type'] = 'application/pdf'
      payload = raw
    } else if (body !== undefined) {
      headers['Content-Type'] = 'application/json'
      payload = JSON.stringify(body)
    }
    const res = await fetch(path, { method, headers, body: payload })
    const text = await res.text()
    let json = null
    try { json = JSON.parse(text) } catch { json = null }
    return { status: res.status, body: json }
  }, { method, path, body, raw })
}

async function ok(method, path, body, raw) {
  const r = await call(method, path, body, raw)
  assert.ok(r.status >= 200 && r.status < 300, `${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`)
  return r.body
}

function valueFor(f) {
  switch (f.type) {
    case 'number':
    case 'area': return Math.max(Number(f.min) || 50, 50)
    case 'date': return '2025-06-01'
    case 'enum': return f.options && f.options[0] && f.options[0].value
    case 'uscc': return '91310104MA1G4Y2K4G'
    case 'idcard': return '110101199003078515'
    case 'phone': return '13800138000'
    default:
      if (f.maxlen && f.maxlen < 8) return '200030'.slice(0, f.maxlen)
      if (/名称/.test(f.label || '')) return '徐汇示范便利店有限公司'
      if (/姓名|代表人|负责人/.test(f.label || '')) return '王示范'
      return '徐汇区示范路1号'
  }
}

// 便利店 to 准予许可 through the API: create, fill, upload, submit (applicant);
// accept (clerk); inspection where the catalog asks for one; every department
// approves.
async function approvedApplication() {
  await as('applicant')
  const created = await ok('POST', '/api/v1/applications', { industry: 'bianlidian', answers: ANSWERS })
  const id = created.application.id
  let app = (await ok('GET', `/api/v1/applications/${id}`)).application
  const form = {}
  for (const f of app.notice.fields) if (f.required) form[f.id] = valueFor(f)
  await ok('PATCH', `/api/v1/applications/${id}`, { form, version: app.version })
  for (const m of app.notice.materials) {
    if (m.exempt) continue
    await ok('PUT', `/api/v1/applications/${id}/materials/${m.id}`, undefined, PDF + `% ${m.id}\n`)
  }
  await ok('POST', `/api/v1/applications/${id}/submit`)
  await as('clerk')
  await ok('POST', `/api/v1/applications/${id}/accept`)
  app = (await ok('GET', `/api/v1/applications/${id}`)).application
  const inspected = app.departments.filter((d) => d.inspect !== 'none').map((d) => d.code)
  if (inspected.length) {
    await as(`inspector_${inspected[0]}`)
    const cands = (await ok('GET', `/api/v1/applications/${id}/inspectors`)).departments
    const ids = cands.filter((d) => inspected.includes(d.department)).map((d) => d.inspectors[0].user_id)
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(Date.now() + 7 * 86400000))
    await ok('POST', `/api/v1/applications/${id}/inspection`, { at: day, inspectors: ids })
    for (const code of inspected) {
      await as(`inspector_${code}`)
      const sec = (await ok('GET', `/api/v1/applications/${id}/inspection`)).inspection.sections.find((s) => s.department === code)
      await ok('POST', `/api/v1/applications/${id}/inspection/${code}`, { result: 'pass', items: sec.items.map((it) => ({ id: it.id, result: 'ok' })) })
    }
  }
  for (const d of app.departments) {
    await as(`reviewer_${d.code}`)
    await ok('POST', `/api/v1/applications/${id}/reviews/${d.code}`, { decision: 'approve' })
  }
  await as('clerk')
  app = (await ok('GET', `/api/v1/applications/${id}`)).application
  assert.equal(app.status, 'approved')
  return id
}

before(async () => {
  for (const [m, p] of [
    ['POST', '/api/v1/applications/{id}/license'],
    ['GET', '/api/v1/licenses/{number}/verify'],
    ['GET', '/api/v1/licenses/{number}/pdf'],
    ['POST', '/api/v1/licenses/{number}/revoke'],
    ['POST', '/api/v1/licenses/{number}/handover']
  ]) {
    if (!(await apiAvailable(m, p))) missing = missing || `${m} ${p}`
  }
  browser = await launchBrowser()
  // the forged 亮证 token's verify answers 400 on purpose
  page = await openPage(browser.context, { expectedFailures: [/\/verify$/] })
  page.setDefaultTimeout(20000)
})

after(async () => {
  if (browser) await browser.close()
})

test('the issuer issues the 便利店 license from the 发证 queue', async (t) => {
  if (missing) return t.skip(`API missing: ${missing}`)
  appId = await approvedApplication()
  assert.equal(await as('issuer'), '/licenses/queue', 'the issuer lands on 发证')
  await page.getByRole('heading', { level: 1, name: '发证' }).waitFor()
  await page.getByTestId(`issue-${appId}`).waitFor()
  await shots('queue')
  await page.getByTestId(`issue-${appId}`).click()
  await page.getByRole('dialog').getByRole('button', { name: '发证' }).click()
  await page.waitForURL(/\/licenses\/XK-/)
  number = decodeURIComponent(new URL(page.url()).pathname.split('/').pop())
  assert.match(number, /^XK-\d{6}-\d{4}-\d{6}$/)
  await page.getByTestId('license-status').getByText('有效').waitFor()
  await page.getByRole('cell', { name: '食品经营许可' }).first().waitFor()
  await shots('issued')
  assert.deepEqual(page.problems, [], page.problems.join('\n'))
})

test('the window records the hand-over; the ID is shown masked', async (t) => {
  if (missing || !number) return t.skip(missing ? `API missing: ${missing}` : 'no license')
  await as('clerk')
  await page.goto(`/licenses/${number}`)
  await page.getByRole('heading', { level: 3, name: '登记发放' }).waitFor()
  await page.getByLabel('领取人姓名').fill('李四')
  await page.getByLabel('证件号码').fill('11010119900307803X')
  await page.getByLabel('档案位置').fill('3 号档案柜 / 第 12 盒')
  await page.getByRole('button', { name: '登记发放' }).click()
  await page.getByTestId('handover-record').getByText('1101**********803X', { exact: false }).waitFor()
  assert.equal(await page.getByText('11010119900307803X').count(), 0, 'the full ID is never shown')
  await shots('handover')
  assert.deepEqual(page.problems, [], page.problems.join('\n'))
})

test('the holder finds it under 我的许可证 and downloads the PDF', async (t) => {
  if (missing || !number) return t.skip(missing ? `API missing: ${missing}` : 'no license')
  await as('applicant')
  await page.goto('/licenses')
  await page.getByRole('heading', { level: 1, name: '我的许可证' }).waitFor()
  await page.getByRole('link', { name: number }).click()
  await page.getByTestId('license-status').getByText('有效').waitFor()
  await page.getByTestId('handover-record').getByText('窗口领取').waitFor()
  assert.equal(await page.getByText('李四').count(), 0, 'the holder does not see who collected it')
  await shots('holder')
  const download = page.waitForEvent('download')
  await page.getByTestId('pdf-download').click()
  const file = await (await download).path()
  const head = fs.readFileSync(file).subarray(0, 5).toString('latin1')
  assert.equal(head, '%PDF-', 'the download is a PDF')
  assert.deepEqual(page.problems, [], page.problems.join('\n'))
})

test('the holder shows the license (亮证): a public page with a QR that verifies for five minutes', async (t) => {
  if (missing || !number) return t.skip(missing ? `API missing: ${missing}` : 'no license')
  await as('applicant')
  await page.goto(`/licenses/${number}`)
  await page.getByRole('button', { name: '显示亮证二维码' }).click()
  await page.getByAltText('亮证二维码').waitFor()
  await page.locator('.switch .el-switch').click()
  await page.getByText('已开启公开亮证页').waitFor()
  await logout(page)
  // the public page needs no session
  await page.goto(`/show/${number}`)
  await page.getByAltText('亮证二维码').waitFor()
  await shots('show')
  const shown = await call('GET', `/api/v1/public/licenses/${encodeURIComponent(number)}/display`)
  assert.equal(shown.status, 200)
  const qr = new URL(shown.body.qr_text)
  assert.equal(qr.pathname, `/v/${number}`)
  await page.goto(`${qr.pathname}${qr.search}`)
  await page.getByTestId('verify-status').getByText('有效').waitFor()
  await page.getByText('亮证二维码有效').waitFor()
  // a forged token is refused
  const token = qr.searchParams.get('d')
  await page.goto(`/v/${number}?d=${encodeURIComponent(token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA'))}`)
  await page.getByTestId('verify-status').getByText('无效').waitFor()
  assert.deepEqual(page.problems, [], page.problems.join('\n'))
})

test('the holder applies for a re-issue (补办) from the license page', async (t) => {
  if (missing || !number) return t.skip(missing ? `API missing: ${missing}` : 'no license')
  if (!(await apiAvailable('POST', '/api/v1/applications'))) return t.skip('no applications API')
  await as('applicant')
  await page.goto(`/licenses/${number}`)
  await page.getByTestId('lifecycle-change').click()
  // a change must name what changes
  await page.getByTestId('lifecycle-send-change').click()
  await page.getByText('请至少填写一项变更内容').waitFor()
  await page.getByRole('dialog', { name: /申请变更/ }).getByRole('button', { name: '取消' }).click()
  await page.getByTestId('lifecycle-reissue').click()
  const dialog = page.getByRole('dialog', { name: /申请补办/ })
  await dialog.locator('.el-radio', { hasText: '损毁' }).click()
  await dialog.locator('textarea').fill('许可证正本受潮损毁')
  await shots('reissue')
  await page.getByTestId('lifecycle-send-reissue').click()
  await page.waitForURL(/\/applications\/\d+$/)
  const id = Number(new URL(page.url()).pathname.split('/').pop())
  const app = await ok('GET', `/api/v1/applications/${id}`)
  assert.equal(app.application.kind, 'reissue')
  assert.equal(app.application.license, number)
  // withdrawn again, so the rest of the journey finds the license as it was
  await ok('POST', `/api/v1/applications/${id}/withdraw`)
  assert.deepEqual(page.problems, [], page.problems.join('\n'))
})

test('the public verify page says 有效', async (t) => {
  if (missing || !number) return t.skip(missing ? `API missing: ${missing}` : 'no license')
  await as('applicant')
  const qrText = (await ok('GET', `/api/v1/licenses/${encodeURIComponent(number)}`)).license.qr_text
  await logout(page)
  // what a phone opens from the printed QR: the signed payload rides in the fragment
  const qr = new URL(qrText)
  assert.match(qr.hash, /^#YL1\./)
  await page.goto(`${qr.pathname}${qr.hash}`)
  await page.getByTestId('verify-status').getByText('有效').waitFor()
  await page.getByTestId('payload-match').getByText('一致').waitFor()
  await page.getByTestId('signature').getByText('签名有效').waitFor()
  await shots('verify-valid')
  // a payload that does not match the record (another version) says so
  const parts = qr.hash.slice(1).split('.')
  parts[2] = String(Number(parts[2]) + 1)
  await page.goto(`${qr.pathname}#${parts.join('.')}`)
  await page.getByTestId('payload-match').getByText('不一致').waitFor()
  await page.getByTestId('signature').getByText('签名无效').waitFor()
  assert.deepEqual(page.problems, [], page.problems.join('\n'))
})

test('a supervisor of the market regulator revokes it; the verify page says 撤销, the disclosure list too', async (t) => {
  if (missing || !number) return t.skip(missing ? `API missing: ${missing}` : 'no license')
  await as('supervisor_scjgj')
  await page.goto(`/licenses/${number}`)
  await page.getByTestId('license-status').getByText('有效').waitFor()
  await page.getByRole('heading', { level: 2, name: '监管处置' }).waitFor()
  await page.getByTestId('status-reason').fill('以欺骗手段取得许可')
  await page.getByTestId('status-basis').fill('《中华人民共和国行政许可法》第六十九条')
  await shots('revoke')
  await page.getByTestId('status-revoke').click()
  await page.getByRole('dialog').getByRole('button', { name: '撤销' }).click()
  await page.getByTestId('license-status').getByText('撤销').waitFor()
  await logout(page)
  await page.goto(`/v/${number}`)
  await page.getByTestId('verify-status').getByText('撤销').waitFor()
  await page.getByText('以欺骗手段取得许可').waitFor()
  await shots('verify-revoked')
  // 行政许可信息公示: listed as revoked with its legal basis, nothing personal
  await page.goto('/disclosure')
  await page.getByRole('heading', { level: 1, name: '行政许可信息公示' }).waitFor()
  const row = page.getByRole('row', { name: new RegExp(number) })
  await row.getByText('撤销').waitFor()
  await row.getByText('第六十九条', { exact: false }).waitFor()
  assert.equal(await page.getByText('以欺骗手段取得许可').count(), 0, 'the free-text reason is not published')
  assert.equal(await page.getByText('王示范').count(), 0, 'no legal representative')
  await shots('disclosure')
  assert.deepEqual(page.problems, [], page.problems.join('\n'))
})
