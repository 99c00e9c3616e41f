// The application journey of issue 11 end to end, through the UI only: an
// applicant applies for 便利店 from the guide (一键导航 → 一次性告知单 → 在线申请 →
// the one form, materials, pre-check, submit); the window clerk asks for a
// supplement (补正) of one material and one field; the applicant supplies it and
// resubmits; the clerk accepts; the market regulator's inspector schedules the
// joint inspection (一同核查) with the tobacco bureau, both record a pass; every
// department's reviewer approves; the applicant's tracking page says 准予许可.
// Each role lands on its own workspace after login. Screenshots at 390 and 1366 px.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { launchBrowser, openPage, screenshot, demoPassword, login, logout, apiAvailable } from './harness.mjs'

let browser
let page
let missing = ''
let appId = 0
let appNumber = ''
let departments = []

const DESKTOP = { width: 1366, height: 900 }
const PHONE = { width: 390, height: 844 }

// 便利店 with tobacco and nothing else optional: food sale + tobacco retail, both
// with an on-site inspection, so the inspection is a joint one of two departments.
function answerFor(text) {
  if (/烟草/.test(text)) return true
  if (/面积/.test(text)) return 80
  return false
}

// a value each field type accepts (the server checks them: idcard and uscc checksums)
function valueFor(type, min) {
  switch (type) {
    case 'idcard': return '11010519491231002X'
    case 'phone': return '13800138000'
    case 'uscc': return '91310104MA1G4Y2K4G'
    case 'date': return '2026-01-01'
    case 'area': return '80'
    case 'number': return String(Math.max(Number(min) || 1, 1))
    default: return '徐汇区示范路1号'
  }
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n')

function isoDaysFromNow(days) {
  const d = new Date(Date.now() + days * 86400000)
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(d)
}

// On a phone a page never scrolls sideways, and a list's name column stays in
// view and uncovered whether its other columns are scrolled left or right.
async function phoneProblems() {
  return page.evaluate(async () => {
    const problems = []
    const over = document.documentElement.scrollWidth - window.innerWidth
    if (over > 0) {
      const wide = [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.el-table'))
      const first = wide[wide.length - 1]
      problems.push(`the page scrolls sideways by ${over}px (${first ? first.tagName + '.' + first.className + ': ' + (first.textContent || '').slice(0, 40) : ''})`)
    }
    const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))
    for (const table of document.querySelectorAll('.el-table')) {
      const cell = table.querySelector('.el-table__body-wrapper tbody tr td.list-name .cell')
      if (!cell || !table.getClientRects().length) continue // none, or a hidden step's
      const wrap = table.querySelector('.el-table__body-wrapper .el-scrollbar__wrap')
      for (const left of [0, 1e6]) {
        if (wrap) wrap.scrollLeft = left
        await frame()
        window.scrollBy(0, cell.getBoundingClientRect().top - window.innerHeight / 2)
        await frame()
        const r = cell.getBoundingClientRect()
        const hit = document.elementFromPoint(r.left + Math.min(r.width / 2, 30), r.top + r.height / 2)
        if (r.width < 40 || r.left < -1 || r.right > window.innerWidth + 1 || !(hit && cell.contains(hit))) {
          problems.push(`${table.getAttribute('aria-label') || 'a table'}: the name cell is not readable (${left ? 'scrolled right' : 'scrolled left'})`)
        }
      }
      if (wrap) wrap.scrollLeft = 0
    }
    window.scrollTo(0, 0)
    return problems
  })
}

async function shots(name) {
  for (const [size, label] of [[PHONE, '390'], [DESKTOP, '1366']]) {
    await page.setViewportSize(size)
    await page.locator('.el-loading-mask').waitFor({ state: 'detached' }).catch(() => {})
    if (size === PHONE) {
      // the menu folds its entries into … once it has observed the new width
      await page.waitForFunction(() => document.documentElement.scrollWidth <= window.innerWidth, null, { timeout: 5000 }).catch(() => {})
      assert.deepEqual(await phoneProblems(), [], `${name} on a phone`)
    }
    await screenshot(page, `application-${name}-${label}`)
  }
  await page.setViewportSize(DESKTOP)
}

async function as(user) {
  if (await page.getByRole('button', { name: '退出登录' }).isVisible()) await logout(page)
  return login(page, user, demoPassword(user))
}

async function openApp() {
  await page.goto(`/applications/${appId}`)
  await page.getByTestId('app-status').waitFor()
}

async function status() {
  return (await page.getByTestId('app-status').innerText()).trim()
}

async function appJson() {
  return page.evaluate(async (id) => (await (await fetch(`/api/v1/applications/${id}`)).json()).application, appId)
}

before(async () => {
  for (const [m, p] of [
    ['POST', '/api/v1/applications'],
    ['PUT', '/api/v1/applications/{id}/materials/{material_id}'],
    ['POST', '/api/v1/applications/{id}/inspection'],
    ['POST', '/api/v1/applications/{id}/reviews/{department}']
  ]) {
    if (!(await apiAvailable(m, p))) missing = missing || `${m} ${p}`
  }
  browser = await launchBrowser()
  // the stale-version save of the supplement step answers 409 on purpose
  page = await openPage(browser.context, { expectedFailures: [/^\/api\/v1\/applications\/\d+$/] })
  page.setDefaultTimeout(20000)
})

after(async () => {
  if (browser) await browser.close()
})

test('the applicant applies for 便利店 from the guide through submission', async (t) => {
  if (missing) return t.skip(`API missing: ${missing}`)
  assert.equal(await as('applicant'), '/applications', 'the applicant lands on 我的申请')
  await page.getByRole('heading', { level: 1, name: '我的申请' }).waitFor()

  await page.goto('/guide/bianlidian')
  for (let i = 0; i < 20; i++) {
    const card = page.getByTestId('guide-question')
    const done = page.getByTestId('guide-complete')
    await Promise.race([card.waitFor(), done.waitFor()])
    if (await done.isVisible()) break
    const text = (await card.getByTestId('question-text').innerText()).trim()
    const answer = answerFor(text)
    if (typeof answer === 'boolean') await card.getByRole('button', { name: answer ? '是' : '否', exact: true }).click()
    else {
      await card.getByRole('spinbutton').fill(String(answer))
      await card.getByRole('button', { name: '下一步' }).click()
    }
    await page.getByTestId('guide-answered').getByText(text).waitFor()
  }
  await page.getByRole('button', { name: '查看一次性告知单' }).click()
  await page.getByTestId('guide-notice').waitFor()
  await page.getByTestId('notice-apply').click()
  await page.getByRole('heading', { level: 1, name: /在线申请/ }).waitFor()
  await page.getByRole('button', { name: '创建申请并填写' }).click()
  await page.waitForURL(/\/applications\/\d+$/)
  appId = Number(new URL(page.url()).pathname.split('/').pop())
  await page.getByRole('heading', { level: 2, name: /第 1 步/ }).waitFor()
  assert.equal(await status(), '草稿')
  appNumber = (await appJson()).number

  // 智慧填报: the entity's name and code are there, marked
  assert.ok((await page.getByTestId('prefilled').count()) >= 2, 'prefilled fields are marked')
  assert.equal(await page.locator('[data-field="F_uscc"] input').inputValue(), '91310104MA1G4Y2K4G')

  // the one form, every field by its type
  const items = page.locator('.app-form [data-field]')
  const n = await items.count()
  assert.ok(n > 20, `the merged form has ${n} fields`)
  for (let i = 0; i < n; i++) {
    const item = items.nth(i)
    const type = await item.getAttribute('data-type')
    if (type === 'enum') {
      await item.locator('.el-radio').first().click()
      continue
    }
    const input = item.locator('input, textarea').first()
    if (await input.inputValue()) continue
    await input.fill(valueFor(type, await item.getAttribute('data-min')))
  }
  await page.getByTestId('save-state').getByText('草稿已自动保存').waitFor()
  await shots('form')

  // straight to the pre-check: every missing material listed at once
  for (let i = 0; i < 3; i++) await page.getByRole('button', { name: '下一步' }).click()
  const missingList = page.getByTestId('precheck-missing')
  await missingList.waitFor()
  const ids = [...new Set(await page.locator('[data-testid^="upload-"]').evaluateAll((els) => els.map((e) => e.dataset.testid.slice('upload-'.length))))].filter((id) => id.startsWith('M_'))
  const needed = ids.length
  assert.ok(needed >= 3, 'materials to upload')
  assert.equal(await missingList.locator('li').count(), needed, 'the pre-check lists every missing material at once')
  await shots('precheck')

  await page.getByRole('button', { name: '上一步' }).click()
  await page.getByRole('button', { name: '上一步' }).click()
  await page.getByRole('heading', { level: 2, name: /上传材料/ }).waitFor()
  assert.ok((await page.getByText('免于提交').count()) >= 1, 'exempt materials are shown as 免于提交')
  for (const id of ids) {
    const done = page.waitForResponse((r) => r.url().endsWith(`/materials/${id}`) && r.request().method() === 'PUT')
    await page.getByTestId(`upload-${id}`).first().setInputFiles({ name: `${id}.pdf`, mimeType: 'application/pdf', buffer: PDF })
    assert.equal((await done).status(), 200)
  }
  await page.locator('.el-table__body-wrapper').getByText('已上传', { exact: true }).nth(needed - 1).waitFor()
  await shots('materials')

  await page.getByRole('button', { name: '下一步' }).click()
  await page.getByRole('heading', { level: 2, name: /告知承诺/ }).waitFor()
  await shots('commitments')
  await page.getByRole('button', { name: '下一步' }).click()
  await page.getByTestId('precheck-complete').waitFor()
  await page.getByRole('button', { name: '下一步' }).click()
  await page.getByRole('button', { name: '提交申请' }).click()
  await page.getByTestId('app-status').getByText('已提交待受理').waitFor()
  assert.match(await page.getByTestId('app-holder').innerText(), /窗口/)
  assert.match(await page.getByTestId('app-due').innerText(), /^\d{4}-\d{2}-\d{2}$/)
  await shots('submitted')
  assert.deepEqual(page.problems, [], page.problems.join('\n'))
})

test('the window clerk asks for one supplement of a material and a field', async (t) => {
  if (missing || !appId) return t.skip(missing ? `API missing: ${missing}` : 'no application')
  assert.equal(await as('clerk'), '/window', 'the clerk lands on 窗口受理')
  await page.getByRole('heading', { level: 1, name: '窗口受理' }).waitFor()
  await page.locator('.el-table__body-wrapper').getByText(appNumber).waitFor()
  await shots('window')
  await page.getByRole('link', { name: '便利店' }).first().waitFor()
  await openApp()
  const panel = page.getByTestId('acceptance')
  await panel.getByText('一次性告知补正').click()
  await panel.getByRole('button', { name: '发送补正通知' }).click()
  await panel.getByText('请说明需要补正的理由').waitFor()
  await panel.locator('.el-checkbox', { hasText: '经营场所平面布局图' }).click()
  await panel.locator('.el-checkbox', { hasText: '法定代表人（负责人）联系电话' }).click()
  await panel.getByLabel('补正理由').fill('平面布局图未标明功能分区；联系电话无法接通。')
  await shots('acceptance')
  await panel.getByRole('button', { name: '发送补正通知' }).click()
  await page.getByTestId('app-status').getByText('待补正').waitFor()
  assert.deepEqual(page.problems, [], page.problems.join('\n'))
})

test('the applicant sees the notification, supplies what was asked and resubmits', async (t) => {
  if (missing || !appId) return t.skip(missing ? `API missing: ${missing}` : 'no application')
  await as('applicant')
  const badge = page.getByTestId('notifications-link')
  await badge.getByText(/^[1-9]/).waitFor()
  await badge.click()
  await page.getByRole('heading', { level: 1, name: '消息' }).waitFor()
  await shots('notifications')
  await page.getByRole('button', { name: new RegExp(`${appNumber} 需要补正`) }).first().click()
  await page.waitForURL(new RegExp(`/applications/${appId}$`))
  const notice = page.getByTestId('supplement-notice')
  await notice.getByText('平面布局图未标明功能分区').waitFor()
  await page.locator('[data-field="F_legal_phone"] .el-tag').getByText('需补正').waitFor()
  // someone saves in between (another tab): the page's version is stale, its
  // save gets 409 stale_version, reloads and sends the typed value again
  const other = await page.evaluate(async (id) => {
    const csrf = decodeURIComponent((document.cookie.match(/(?:^|; )yiye_csrf=([^;]*)/) || [])[1] || '')
    const app = (await (await fetch(`/api/v1/applications/${id}`)).json()).application
    const res = await fetch(`/api/v1/applications/${id}`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify({ form: { F_legal_name: '王示范' }, version: app.version })
    })
    return res.status
  }, appId)
  assert.equal(other, 200)
  const stale = page.waitForResponse((r) => r.url().endsWith(`/applications/${appId}`) && r.request().method() === 'PATCH' && r.status() === 409)
  await page.locator('[data-field="F_legal_phone"] input').fill('13900139000')
  await stale
  await page.getByText('申请表已在别处被修改').waitFor()
  await page.getByTestId('save-state').getByText('草稿已自动保存').waitFor()
  const saved = await appJson()
  assert.equal(saved.form.F_legal_phone, '13900139000', 'the typed value was saved after the reload')
  assert.equal(saved.form.F_legal_name, '王示范', 'the other save was kept')
  assert.equal(await page.locator('[data-field="F_legal_name"] input').inputValue(), '王示范', 'the page shows the other save')
  await page.getByRole('button', { name: '下一步' }).click()
  const done = page.waitForResponse((r) => r.url().endsWith('/materials/M_site_layout') && r.request().method() === 'PUT')
  await page.getByTestId('upload-M_site_layout').first().setInputFiles({ name: 'layout.pdf', mimeType: 'application/pdf', buffer: Buffer.concat([PDF, Buffer.from('% v2\n')]) })
  assert.equal((await done).status(), 200)
  for (let i = 0; i < 3; i++) await page.getByRole('button', { name: '下一步' }).click()
  await page.getByRole('button', { name: '重新提交' }).click()
  await page.getByTestId('app-status').getByText('已提交待受理').waitFor()
  await page.getByTestId('timeline').getByText('一次性告知补正').waitFor()
  assert.deepEqual(page.problems, [], page.problems.join('\n'))
})

test('the clerk accepts; one review task per department', async (t) => {
  if (missing || !appId) return t.skip(missing ? `API missing: ${missing}` : 'no application')
  await as('clerk')
  await openApp()
  await page.getByTestId('acceptance').getByRole('button', { name: '确认受理' }).click()
  await page.getByTestId('app-status').getByText('审查中').waitFor()
  departments = (await appJson()).departments
  assert.ok(departments.filter((d) => d.inspect !== 'none').length >= 2, 'a joint inspection of two departments')
  assert.deepEqual(page.problems, [], page.problems.join('\n'))
})

test('the inspectors hold one joint inspection and each records a pass', async (t) => {
  if (missing || !appId) return t.skip(missing ? `API missing: ${missing}` : 'no application')
  const inspected = departments.filter((d) => d.inspect !== 'none').map((d) => d.code)
  assert.equal(await as(`inspector_${inspected[0]}`), '/inspections', 'the inspector lands on 现场核查')
  await page.getByRole('heading', { level: 1, name: '现场核查' }).waitFor()
  await page.locator('.el-table__body-wrapper').getByText(appNumber).waitFor()
  await shots('inspections')
  await openApp()
  const form = page.getByTestId('inspection-schedule')
  await form.locator('#inspection-at').fill(isoDaysFromNow(7))
  for (const group of await form.locator('.el-checkbox-group').all()) await group.locator('.el-checkbox').first().click()
  await shots('inspection-schedule')
  await form.getByRole('button', { name: '确认安排' }).click()
  await page.getByTestId('app-status').getByText('现场核查中').waitFor()
  for (const code of inspected) {
    if (code !== inspected[0]) {
      await as(`inspector_${code}`)
      await openApp()
    }
    const record = page.getByTestId('inspection-record')
    await record.getByRole('button', { name: '提交本部门核查结论' }).waitFor()
    if (code === inspected[0]) await shots('inspection-record')
    await record.getByRole('button', { name: '提交本部门核查结论' }).click()
    await record.getByRole('button', { name: '提交本部门核查结论' }).waitFor({ state: 'detached' })
  }
  assert.deepEqual(page.problems, [], page.problems.join('\n'))
})

test('every department approves; the applicant\'s tracking page says approved', async (t) => {
  if (missing || !appId) return t.skip(missing ? `API missing: ${missing}` : 'no application')
  for (const [i, d] of departments.entries()) {
    assert.equal(await as(`reviewer_${d.code}`), '/reviews', 'the reviewer lands on 审查待办')
    await page.locator('.el-table__body-wrapper').getByText(appNumber).waitFor()
    if (i === 0) await shots('reviews')
    await openApp()
    const panel = page.getByTestId('review')
    await panel.getByRole('button', { name: '提交审查决定' }).waitFor()
    if (i === 0) await shots('review')
    const decided = page.waitForResponse((r) => r.url().endsWith(`/reviews/${d.code}`) && r.request().method() === 'POST')
    await panel.getByRole('button', { name: '提交审查决定' }).click()
    assert.equal((await decided).status(), 200)
    // the department's row says approved (the panel leaves once the last one decides)
    await page.getByRole('row', { name: /已准予/ }).first().waitFor()
  }
  assert.equal(await as('supervisor_scjgj'), '/deadlines', 'the supervisor lands on 时限预警')
  await page.getByRole('heading', { level: 1, name: '时限预警' }).waitFor()
  await page.locator('.el-table__body-wrapper tbody tr, .el-table__empty-text').first().waitFor()
  await shots('deadlines')

  await as('applicant')
  await openApp()
  assert.equal(await status(), '准予许可')
  await page.getByTestId('timeline').getByText('部门审查').first().waitFor()
  await shots('approved')
  await page.goto('/applications')
  await page.locator('.el-table__body-wrapper').getByText(appNumber).waitFor()
  await shots('mine')
  assert.deepEqual(page.problems, [], page.problems.join('\n'))
})

test('the window clerk enters a walk-in application for an applicant who came in person', async (t) => {
  if (missing) return t.skip(`API missing: ${missing}`)
  await as('clerk')
  await page.getByRole('combobox', { name: '现场申请的行业' }).click()
  await page.getByRole('option', { name: '便利店', exact: true }).click()
  await page.getByRole('button', { name: '开始一键导航' }).click()
  for (let i = 0; i < 20; i++) {
    const card = page.getByTestId('guide-question')
    const done = page.getByTestId('guide-complete')
    await Promise.race([card.waitFor(), done.waitFor()])
    if (await done.isVisible()) break
    const text = (await card.getByTestId('question-text').innerText()).trim()
    const answer = answerFor(text)
    if (typeof answer === 'boolean') await card.getByRole('button', { name: answer ? '是' : '否', exact: true }).click()
    else {
      await card.getByRole('spinbutton').fill(String(answer))
      await card.getByRole('button', { name: '下一步' }).click()
    }
    await page.getByTestId('guide-answered').getByText(text).waitFor()
  }
  await page.getByRole('button', { name: '查看一次性告知单' }).click()
  await page.getByTestId('notice-apply').getByText('窗口代为录入').click()
  await page.getByRole('heading', { level: 1, name: /窗口代为录入申请/ }).waitFor()
  await page.getByRole('button', { name: '创建现场申请' }).click()
  await page.getByText('请填写申请人的用户名或统一社会信用代码').waitFor()
  await page.getByLabel('申请人（用户名或统一社会信用代码）').fill('applicant')
  await page.getByRole('button', { name: '创建现场申请' }).click()
  await page.waitForURL(/\/applications\/\d+$/)
  await page.getByRole('heading', { level: 2, name: /第 1 步/ }).waitFor()
  await page.getByText('窗口现场申请').waitFor()
  await shots('walk-in')
  assert.deepEqual(page.problems, [], page.problems.join('\n'))
})
