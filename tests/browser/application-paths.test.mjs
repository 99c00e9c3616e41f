// The application paths the journey (application-journey.test.mjs) does not walk,
// each through the UI of the person deciding and of the applicant who then reads
// the outcome: the window's 不予受理 with its reason; a reviewer's 退回 and 不予许可
// with reasons; an inspection that asks for 限期整改 and then passes, or fails;
// the 告知承诺 path (approved at acceptance); the applicant's 撤回; and 全部已读 in
// the inbox. What the journey already walks in the UI (the guide, filling the one
// form, uploading materials, scheduling the joint inspection) is set up here
// through the API, as the same demo accounts.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { BASE_URL, launchBrowser, openPage, screenshot, demoPassword, login, logout, apiAvailable } from './harness.mjs'

let browser
let page
let missing = ''

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n')
// 便利店 without any optional business: one permit of the market regulator
const BIANLIDIAN = { q_alcohol: false, q_tobacco: false, q_drug: false, q_device2: false, q_hot_food: false, q_area: 80, q_sign: false }
// 烘焙店 with cream cakes, no dine-in: the market regulator inspects on site
const HONGBEI = { q_cream: true, q_dine_in: false, q_drain: false, q_sign: false }
// 书店 without food or a sign: every condition of its permit may be committed (告知承诺)
const SHUDIAN = { q_food: false, q_area: 60, q_sign: false }

function isoDaysFromNow(days) {
  const d = new Date(Date.now() + days * 86400000)
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(d)
}

// ---- the API as a demo account (setup only) ----

async function apiAs(username) {
  const res = await fetch(`${BASE_URL}/api/v1/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: demoPassword(username) })
  })
  assert.equal(res.status, 200, `login of ${username}`)
  const cookies = res.headers.getSetCookie().map((c) => c.split(';')[0])
  const csrf = decodeURIComponent((cookies.find((c) => c.startsWith('yiye_csrf=')) || '').slice('yiye_csrf='.length))
  const headers = { Cookie: cookies.join('; '), 'X-CSRF-Token': csrf }
  async function call(method, path, body, type = 'application/json') {
    const r = await fetch(`${BASE_URL}${path}`, {
      method,
      headers: body === undefined ? headers : { ...headers, 'Content-Type': type },
      body: body === undefined ? undefined : type === 'application/json' ? JSON.stringify(body) : body
    })
    const text = await r.text()
    let json = null
    try {
      json = JSON.parse(text)
    } catch {
      json = null
    }
    if (!r.ok) throw new Error(`${username}: ${method} ${path} answered ${r.status}: ${text.slice(0, 300)}`)
    return json
  }
  return { call }
}

// a value each field type accepts (the server checks identity and credit code checksums)
function valueFor(f) {
  switch (f.type) {
    case 'number':
    case 'area': return Math.max(Number(f.min) || 0, 50)
    case 'date': return '2025-06-01'
    case 'enum': return f.options[0].value
    case 'uscc': return '91310104MA1G4Y2K4G'
    case 'idcard': return '110101199003078515'
    case 'phone': return '13800138000'
    default: return '徐汇区示范路1号'
  }
}

// A submitted application of the demo applicant: created from the guide's
// answers, every required field filled, every material not 免于提交 uploaded,
// then submitted unless `draft`; with `commit`, every commitment signed first.
async function submitted(industry, answers, { draft = false, commit = false } = {}) {
  const me = await apiAs('applicant')
  let a = (await me.call('POST', '/api/v1/applications', { industry, answers })).application
  if (commit) {
    const ids = (a.notice.commitments || []).map((c) => c.condition || c.id)
    a = (await me.call('POST', `/api/v1/applications/${a.id}/commitments`, { commitments: ids })).application
  }
  const form = {}
  for (const f of a.notice.fields) if (f.required && (a.form[f.id] === undefined || a.form[f.id] === '')) form[f.id] = valueFor(f)
  a = (await me.call('PATCH', `/api/v1/applications/${a.id}`, { form, version: a.version })).application
  for (const m of a.notice.materials) {
    if (!m.exempt) await me.call('PUT', `/api/v1/applications/${a.id}/materials/${m.id}`, PDF, 'application/pdf')
  }
  if (!draft) a = (await me.call('POST', `/api/v1/applications/${a.id}/submit`)).application
  return a
}

// The same, accepted at the window: one review task per department.
async function accepted(industry, answers) {
  const a = await submitted(industry, answers)
  const clerk = await apiAs('clerk')
  return (await clerk.call('POST', `/api/v1/applications/${a.id}/accept`)).application
}

// ---- the UI ----

async function as(user) {
  if (await page.getByRole('button', { name: '退出登录' }).isVisible()) await logout(page)
  return login(page, user, demoPassword(user))
}

async function openApp(id) {
  await page.goto(`/applications/${id}`)
  await page.getByTestId('app-status').waitFor()
}

async function statusIs(label) {
  await page.getByTestId('app-status').getByText(label, { exact: true }).waitFor()
}

async function outcomeSays(title, reason) {
  const box = page.getByTestId('app-outcome')
  await box.getByText(title).waitFor()
  if (reason) await box.getByText(reason).waitFor()
}

function clean() {
  assert.deepEqual(page.problems, [], page.problems.join('\n'))
}

before(async () => {
  for (const [m, p] of [
    ['POST', '/api/v1/applications'],
    ['PUT', '/api/v1/applications/{id}/materials/{material_id}'],
    ['POST', '/api/v1/applications/{id}/refuse'],
    ['POST', '/api/v1/applications/{id}/reviews/{department}'],
    ['POST', '/api/v1/applications/{id}/inspection/{department}'],
    ['POST', '/api/v1/notifications/read-all']
  ]) {
    if (!(await apiAvailable(m, p))) missing = missing || `${m} ${p}`
  }
  browser = await launchBrowser()
  page = await openPage(browser.context)
  page.setDefaultTimeout(20000)
})

after(async () => {
  if (browser) await browser.close()
})

test('the window refuses to accept (不予受理) with a reason; the applicant reads it and marks every message read', async (t) => {
  if (missing) return t.skip(`API missing: ${missing}`)
  const a = await submitted('bianlidian', BIANLIDIAN)
  await as('clerk')
  await openApp(a.id)
  const panel = page.getByTestId('acceptance')
  // the live precheck: the same completeness check the submission passed
  await panel.getByTestId('acceptance-precheck').getByText(/审前检查：齐全/).waitFor()
  await panel.getByText('不予受理', { exact: true }).click()
  await panel.getByRole('button', { name: '确认不予受理' }).click()
  await panel.getByText('不予受理须说明理由').waitFor()
  await panel.getByLabel('不予受理理由').fill('经营场所位于居民住宅楼内，不属于本窗口受理范围。')
  await screenshot(page, 'paths-refuse')
  await panel.getByRole('button', { name: '确认不予受理' }).click()
  await statusIs('不予受理')
  await page.getByTestId('timeline').getByText('经营场所位于居民住宅楼内').waitFor()

  await as('applicant')
  await openApp(a.id)
  await outcomeSays('窗口不予受理', '经营场所位于居民住宅楼内，不属于本窗口受理范围。')
  assert.equal(await page.getByRole('button', { name: '撤回申请' }).count(), 0, 'a refused application cannot be withdrawn')
  await screenshot(page, 'paths-refused-applicant')

  // 全部已读: the header's count goes, and the inbox says every message is read
  const link = page.getByTestId('notifications-link')
  assert.match(await link.getAttribute('aria-label'), /条未读/)
  await link.click()
  await page.getByRole('heading', { level: 1, name: '消息' }).waitFor()
  await page.getByRole('button', { name: new RegExp(`${a.number} 不予受理`) }).first().waitFor()
  const done = page.waitForResponse((r) => r.url().endsWith('/api/v1/notifications/read-all') && r.request().method() === 'POST')
  await page.getByTestId('read-all').click()
  assert.equal((await done).status(), 200)
  await page.waitForFunction(() => document.querySelector('[data-testid="notifications-link"]').getAttribute('aria-label') === '消息')
  assert.equal(await page.locator('.el-table__body-wrapper').getByText('未读', { exact: true }).count(), 0, 'no message is unread')
  assert.ok(await page.getByTestId('read-all').isDisabled(), 'nothing left to mark')
  await screenshot(page, 'paths-read-all')
  clean()
})

test('a reviewer sends the application back (退回); the applicant corrects and resubmits; a reviewer then rejects it (不予许可)', async (t) => {
  if (missing) return t.skip(`API missing: ${missing}`)
  const a = await accepted('bianlidian', BIANLIDIAN)
  const code = a.departments[0].code
  await as(`reviewer_${code}`)
  await openApp(a.id)
  const panel = page.getByTestId('review')
  await panel.getByText('退回申请人修改').click()
  await panel.getByRole('button', { name: '提交审查决定' }).click()
  await panel.getByText('不予许可或退回须说明理由').waitFor()
  await panel.getByLabel('审查意见').fill('经营场所面积与平面布局图不一致，请核实后修改。')
  await panel.getByRole('button', { name: '提交审查决定' }).click()
  await statusIs('已退回')

  await as('applicant')
  await openApp(a.id)
  const notice = page.getByTestId('supplement-notice')
  await notice.getByText('审查部门退回').waitFor()
  await notice.getByText('经营场所面积与平面布局图不一致，请核实后修改。').waitFor()
  await page.getByRole('row', { name: /已退回/ }).getByText('经营场所面积与平面布局图不一致').waitFor()
  await screenshot(page, 'paths-returned-applicant')
  for (let i = 0; i < 4; i++) await page.getByRole('button', { name: '下一步' }).click()
  await page.getByRole('button', { name: '重新提交' }).click()
  await statusIs('已提交待受理')

  const clerk = await apiAs('clerk')
  await clerk.call('POST', `/api/v1/applications/${a.id}/accept`)
  await as(`reviewer_${code}`)
  await openApp(a.id)
  await panel.getByText('不予许可', { exact: true }).click()
  await panel.getByLabel('审查意见').fill('食品安全管理制度不符合要求。')
  await panel.getByRole('button', { name: '提交审查决定' }).click()
  await statusIs('不予许可')

  await as('applicant')
  await openApp(a.id)
  await outcomeSays('不予许可', '食品安全管理制度不符合要求。')
  await page.getByTestId('timeline').getByText('经营场所面积与平面布局图不一致').waitFor()
  await screenshot(page, 'paths-rejected-applicant')
  clean()
})

// Schedules the joint inspection through the API (the journey walks it in the UI).
async function inspectionScheduled(industry, answers) {
  const a = await accepted(industry, answers)
  const code = a.departments.find((d) => d.inspect !== 'none').code
  const inspector = await apiAs(`inspector_${code}`)
  const cands = (await inspector.call('GET', `/api/v1/applications/${a.id}/inspectors`)).departments
  const ids = cands.map((d) => d.inspectors[0].user_id)
  await inspector.call('POST', `/api/v1/applications/${a.id}/inspection`, { at: isoDaysFromNow(3), inspectors: ids })
  return { a, code }
}

async function recordInspection(result, findings, deadline) {
  const record = page.getByTestId('inspection-record')
  await record.getByRole('button', { name: '提交本部门核查结论' }).waitFor()
  if (result !== 'pass') await record.locator('.app-items li').first().getByText('不符合', { exact: true }).click()
  else await record.locator('.app-items li').first().getByText('符合', { exact: true }).click()
  await record.getByRole('radiogroup', { name: '核查结论' }).getByText({ pass: '通过', rectify: '限期整改', fail: '不通过' }[result], { exact: true }).click()
  if (findings) await record.locator('#inspection-findings').fill(findings)
  if (deadline) await record.locator('#inspection-deadline').fill(deadline)
  const saved = page.waitForResponse((r) => /\/inspection\/[a-z]+$/.test(r.url()) && r.request().method() === 'POST')
  await record.getByRole('button', { name: '提交本部门核查结论' }).click()
  assert.equal((await saved).status(), 200)
}

test('an inspection asks for 限期整改, then passes', async (t) => {
  if (missing) return t.skip(`API missing: ${missing}`)
  const { a, code } = await inspectionScheduled('hongbeidian', HONGBEI)
  const due = isoDaysFromNow(14)
  await as(`inspector_${code}`)
  await openApp(a.id)
  // 限期整改 needs findings and a deadline
  const record = page.getByTestId('inspection-record')
  await record.getByRole('radiogroup', { name: '核查结论' }).getByText('限期整改', { exact: true }).click()
  await record.getByRole('button', { name: '提交本部门核查结论' }).click()
  await record.getByText('限期整改或不通过须填写核查发现的问题').waitFor()
  await record.getByText('请选择整改期限').waitFor()
  await recordInspection('rectify', '裱花间未设置独立的空气消毒设施。', due)
  await record.getByText(`整改期限 ${due}`).waitFor()
  await statusIs('现场核查中')

  await as('applicant')
  await openApp(a.id)
  await page.getByRole('row', { name: /限期整改/ }).getByText(`整改期限 ${due}`).waitFor()
  await page.getByTestId('inspection-record').getByText('裱花间未设置独立的空气消毒设施。').waitFor()
  await screenshot(page, 'paths-rectify-applicant')

  await as(`inspector_${code}`)
  await openApp(a.id)
  await recordInspection('pass')
  await page.getByRole('row', { name: /核查通过/ }).first().waitFor()
  await as('applicant')
  await openApp(a.id)
  await page.getByRole('row', { name: /核查通过/ }).first().waitFor()
  assert.notEqual((await page.getByTestId('app-status').innerText()).trim(), '不予许可')
  clean()
})

test('an inspection asks for 限期整改, then fails: the application is rejected and the applicant reads why', async (t) => {
  if (missing) return t.skip(`API missing: ${missing}`)
  const { a, code } = await inspectionScheduled('hongbeidian', HONGBEI)
  await as(`inspector_${code}`)
  await openApp(a.id)
  await recordInspection('rectify', '操作间与销售区未分隔。', isoDaysFromNow(10))
  await openApp(a.id)
  await recordInspection('fail', '整改期限届满仍未分隔操作间与销售区。')
  await statusIs('不予许可')

  await as('applicant')
  await openApp(a.id)
  await outcomeSays('不予许可', '整改期限届满仍未分隔操作间与销售区。')
  await page.getByRole('row', { name: /核查不通过/ }).waitFor()
  await screenshot(page, 'paths-inspection-failed-applicant')
  clean()
})

test('告知承诺: the applicant signs every commitment, and the window\'s acceptance approves at once', async (t) => {
  if (missing) return t.skip(`API missing: ${missing}`)
  const a = await submitted('shudian', SHUDIAN, { draft: true })
  assert.ok((a.notice.commitments || []).length >= 1, 'the permit has conditions that may be committed')
  await as('applicant')
  await openApp(a.id)
  for (let i = 0; i < 2; i++) await page.getByRole('button', { name: '下一步' }).click()
  await page.getByRole('heading', { level: 2, name: /告知承诺/ }).waitFor()
  const boxes = page.locator('.app-commit .el-checkbox')
  const n = await boxes.count()
  assert.equal(n, a.notice.commitments.length)
  for (let i = 0; i < n; i++) await boxes.nth(i).click()
  await page.getByRole('button', { name: '保存承诺' }).click()
  await page.getByText(`已签署 ${n} 项承诺。`).waitFor()
  await screenshot(page, 'paths-commitments')
  await page.getByRole('button', { name: '下一步' }).click()
  await page.getByTestId('precheck-complete').waitFor()
  await page.getByRole('button', { name: '下一步' }).click()
  await page.getByRole('button', { name: '提交申请' }).click()
  await statusIs('已提交待受理')

  await as('clerk')
  await openApp(a.id)
  await page.getByTestId('acceptance').getByRole('button', { name: '确认受理' }).click()
  await statusIs('准予许可')

  await as('applicant')
  await openApp(a.id)
  await statusIs('准予许可')
  await page.getByTestId('timeline').getByText('签署告知承诺').waitFor()
  const verification = await page.evaluate(async (id) => {
    const app = (await (await fetch(`/api/v1/applications/${id}`)).json()).application
    return app.tasks.filter((t) => t.kind === 'verification' && t.state === 'open').length
  }, a.id)
  assert.ok(verification >= 1, 'a post-approval verification (核查) is scheduled')
  await screenshot(page, 'paths-committed-approved')
  clean()
})

test('the applicant withdraws (撤回) a submitted application', async (t) => {
  if (missing) return t.skip(`API missing: ${missing}`)
  const a = await submitted('bianlidian', BIANLIDIAN)
  await as('applicant')
  await openApp(a.id)
  page.once('dialog', (d) => d.accept())
  await page.getByRole('button', { name: '撤回申请' }).click()
  await statusIs('已撤回')
  await outcomeSays('申请已撤回')
  assert.equal(await page.getByRole('button', { name: '撤回申请' }).count(), 0)
  await page.getByTestId('timeline').getByText('撤回申请').waitFor()
  await screenshot(page, 'paths-withdrawn')

  // the window no longer has it to accept
  await as('clerk')
  await openApp(a.id)
  await statusIs('已撤回')
  assert.equal(await page.getByTestId('acceptance').count(), 0)
  clean()
})
