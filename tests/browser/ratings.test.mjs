// Journey of 好差评 (issue 15 point 2): a 书店 application is refused by the window
// (through the API: the applications journeys walk those steps in the UI); its
// applicant rates the service 不满意 with a comment on the application page; the
// window's 差评整改 queue (menu 好差评) lists the task with its reply deadline; the
// clerk records the reply; the applicant reads it on the application page. The
// clerk then writes a typical case about the application (personal data is
// refused), the 审改办 publishes it, the public reads it without the application
// number, and reaches 典型案例 from 信息公开. Screenshots at 1366 px and on a phone.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { launchBrowser, openPage, screenshot, demoPassword, login, logout, navClick, apiAvailable } from './harness.mjs'

let browser
let page
let missing = ''
let appId = 0
let number = ''

const DESKTOP = { width: 1366, height: 900 }
const PHONE = { width: 390, height: 844 }
const PDF = '%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'
const ANSWERS = { q_food: false, q_area: 120, q_sign: true, q_sign_area: 3 }
const COMMENT = '窗口没有说明不予受理的具体理由'
const REPLY = '已核实：窗口补充说明了经营场所不符合要求的具体条款，并改进了一次性告知。'

async function shots(name) {
  for (const [size, label] of [[PHONE, '390'], [DESKTOP, '1366']]) {
    await page.setViewportSize(size)
    await page.locator('.el-loading-mask').waitFor({ state: 'detached' }).catch(() => {})
    await screenshot(page, `ratings-${name}-${label}`)
  }
  await page.setViewportSize(DESKTOP)
}

async function as(user) {
  if (await page.getByRole('button', { name: '退出登录' }).isVisible()) await logout(page)
  return login(page, user, demoPassword(user))
}

// One API call from the page as whoever is logged in (session cookie + CSRF).
async function ok(method, path, body, raw) {
  const r = await page.evaluate(async ({ method, path, body, raw }) => {
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
      if (/名称/.test(f.label || '')) return '徐汇示范书店有限公司'
      if (/姓名|代表人|负责人/.test(f.label || '')) return '王示范'
      return '徐汇区示范路1号'
  }
}

before(async () => {
  for (const [m, p] of [
    ['POST', '/api/v1/applications/{id}/rating'],
    ['GET', '/api/v1/ratings/followups'],
    ['POST', '/api/v1/ratings/followups/{id}/reply']
  ]) {
    if (!(await apiAvailable(m, p))) missing = missing || `${m} ${p}`
  }
  browser = await launchBrowser()
  // the typical case with personal data is refused (400) on purpose
  page = await openPage(browser.context, { expectedFailures: [/^\/api\/v1\/typical-cases$/] })
  page.setDefaultTimeout(20000)
})

after(async () => {
  if (browser) await browser.close()
})

test('the applicant rates a refused application 不满意', async (t) => {
  if (missing) return t.skip(`API missing: ${missing}`)
  await as('applicant')
  const created = await ok('POST', '/api/v1/applications', { industry: 'shudian', answers: ANSWERS })
  appId = created.application.id
  number = created.application.number
  const app = (await ok('GET', `/api/v1/applications/${appId}`)).application
  const form = {}
  for (const f of app.notice.fields) if (f.required) form[f.id] = valueFor(f)
  await ok('PATCH', `/api/v1/applications/${appId}`, { form, version: app.version })
  for (const m of app.notice.materials) {
    if (!m.exempt) await ok('PUT', `/api/v1/applications/${appId}/materials/${m.id}`, undefined, PDF + `% ${m.id}\n`)
  }
  await ok('POST', `/api/v1/applications/${appId}/submit`)
  await as('clerk')
  await ok('POST', `/api/v1/applications/${appId}/refuse`, { reason: '经营场所不符合要求' })

  await as('applicant')
  await page.goto(`/applications/${appId}`)
  const panel = page.getByTestId('rating')
  await panel.getByRole('heading', { name: '服务评价（好差评）' }).waitFor()
  await panel.getByRole('button', { name: '提交评价' }).click()
  await panel.getByText('请选择评价等级。').waitFor()
  await panel.getByText('不满意', { exact: true }).click()
  await panel.getByLabel('评价内容（选填）').fill(COMMENT)
  await shots('rate')
  await panel.getByRole('button', { name: '提交评价' }).click()
  await panel.getByTestId('rating-level').getByText('不满意').waitFor()
  await panel.getByText(COMMENT).waitFor()
  // a 差评 opens a task for the window that refused it
  await panel.getByTestId('rating-followups').getByRole('cell', { name: '整改中' }).waitFor()
  await shots('rated')
  assert.deepEqual(page.problems, [], page.problems.join('\n'))
})

test('the window finds the task under 好差评 and replies', async (t) => {
  if (missing || !appId) return t.skip(missing ? `API missing: ${missing}` : 'no rating')
  await as('clerk')
  await navClick(page, '好差评')
  await page.getByRole('heading', { level: 1, name: '好差评与典型案例' }).waitFor()
  const row = page.locator('.el-table__body-wrapper tbody tr', { hasText: number })
  await row.getByText(COMMENT).waitFor()
  await row.getByText('待回复').waitFor()
  await shots('queue')
  await row.getByRole('button', { name: number }).click()
  const dialog = page.getByRole('dialog')
  await dialog.getByText(COMMENT).waitFor()
  await dialog.getByRole('button', { name: '提交回复' }).click()
  await dialog.getByText('请填写整改情况和答复。').waitFor()
  await dialog.getByLabel('整改情况与答复（申请人可见）').fill(REPLY)
  await dialog.getByRole('button', { name: '提交回复' }).click()
  await dialog.getByTestId('followup-reply').getByText(REPLY).waitFor()
  await shots('replied')
  await page.keyboard.press('Escape')
  await dialog.waitFor({ state: 'hidden' })
  // the open queue no longer lists it
  await page.locator('.el-table__body-wrapper tbody tr', { hasText: number }).waitFor({ state: 'detached' })
  assert.deepEqual(page.problems, [], page.problems.join('\n'))
})

test('the applicant reads the reply on the application page', async (t) => {
  if (missing || !appId) return t.skip(missing ? `API missing: ${missing}` : 'no rating')
  await as('applicant')
  await page.goto(`/applications/${appId}`)
  const table = page.getByTestId('rating').getByTestId('rating-followups')
  await table.getByText(REPLY).waitFor()
  await table.getByRole('cell', { name: '已回复' }).waitFor()
  await shots('reply-seen')
  await logout(page)
  assert.deepEqual(page.problems, [], page.problems.join('\n'))
})

test('the window writes a typical case, the 审改办 publishes it, the public reads it', async (t) => {
  if (missing || !appId) return t.skip(missing ? `API missing: ${missing}` : 'no application')
  const title = '经营场所不符合要求的一次性告知'
  await as('clerk')
  await page.goto(`/applications/${appId}`)
  await page.getByTestId('rating').getByRole('link', { name: '将本办件标记为典型案例' }).click()
  await page.waitForURL(/\/ratings\/cases/)
  const dialog = page.getByRole('dialog', { name: '新增典型案例' })
  await dialog.getByLabel('标题').fill(title)
  await dialog.getByLabel('摘要').fill('窗口不予受理时说明具体条款，并告知整改后再次申请的途径。')
  // personal data is refused, next to the field
  await dialog.getByLabel('案例正文').fill('法定代表人王示范到窗口办理。')
  await dialog.getByRole('button', { name: '保存' }).click()
  await dialog.getByText(/不得含有个人信息/).waitFor()
  await dialog.getByLabel('案例正文').fill('申请人提交的经营场所不符合书店经营要求。窗口当场说明依据和整改方向，申请人整改后可再次申请，无需重复提交其他材料。')
  await dialog.getByRole('button', { name: '保存' }).click()
  await dialog.waitFor({ state: 'hidden' })
  await page.locator('.el-table__body-wrapper tbody tr', { hasText: title }).getByText('草稿').waitFor()

  await as('catalog_admin')
  await navClick(page, '好差评')
  const row = page.locator('.el-table__body-wrapper tbody tr', { hasText: title })
  await shots('cases')
  await row.getByRole('button', { name: '审核公开' }).click()
  await row.getByText('已公开').waitFor()
  await logout(page)

  await page.goto('/public/typical-cases')
  await page.getByRole('link', { name: title }).click()
  await page.getByRole('heading', { level: 1, name: title }).waitFor()
  await page.getByTestId('case-body').getByText(/无需重复提交其他材料/).waitFor()
  assert.ok(!(await page.locator('body').innerText()).includes(number), 'the public page names no application number')
  await shots('public-case')
  assert.deepEqual(page.problems, [], page.problems.join('\n'))
})

test('the public reaches 典型案例 from 信息公开', async () => {
  await page.goto('/public')
  await page.getByRole('navigation', { name: '公开信息' }).getByRole('link', { name: /^典型案例/ }).click()
  await page.getByRole('heading', { level: 1, name: '典型案例' }).waitFor()
  assert.equal(new URL(page.url()).pathname, '/public/typical-cases')
  await page.locator('.gov-menu .el-menu-item.is-active', { hasText: '信息公开' }).waitFor()
  await shots('public-cases')
  assert.deepEqual(page.problems, [], page.problems.join('\n'))
})
