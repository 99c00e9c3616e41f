// 免于提交 as it really is (docs/api-sharing.md "免于提交"): while the demo
// applicant's entity is only what their account says, the wizard shows 营业执照
// as 免于提交 · 由审批部门核验 and claims no sharing; once the window clerk enters
// the entity as registration knows it (PUT /api/v1/entities/{uscc}: it is then
// in the entity register), a new application shows 营业执照 as 已通过信息共享获取
// with source and time, and the legal representative pre-filled and marked
// 登记信息. Runs after the application journey (file order), which expects the
// demo entity outside the register.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { launchBrowser, openPage, screenshot, demoPassword, login, logout, apiAvailable } from './harness.mjs'

const ANSWERS = { q_alcohol: false, q_tobacco: false, q_drug: false, q_device2: false, q_hot_food: false, q_area: 80, q_sign: false }

let browser
let page
let missing = ''

async function as(user) {
  if (await page.getByRole('button', { name: '退出登录' }).isVisible()) await logout(page)
  return login(page, user, demoPassword(user))
}

// One API call from the page as whoever is logged in (as the UI sends it).
async function call(method, path, body) {
  return page.evaluate(async ({ method, path, body }) => {
    const csrf = decodeURIComponent((document.cookie.match(/(?:^|; )yiye_csrf=([^;]*)/) || [])[1] || '')
    const headers = { 'X-CSRF-Token': csrf }
    if (body !== undefined) headers['Content-Type'] = 'application/json'
    const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
    return { status: res.status, body: await res.json().catch(() => null) }
  }, { method, path, body })
}

// A 便利店 draft of the applicant, opened at its materials step.
async function draftAtMaterials() {
  const r = await call('POST', '/api/v1/applications', { industry: 'bianlidian', answers: ANSWERS })
  assert.equal(r.status, 201, JSON.stringify(r.body))
  const app = r.body.application
  await page.goto(`/applications/${app.id}`)
  await page.getByRole('heading', { level: 2, name: /第 1 步/ }).waitFor()
  return app
}

async function toMaterials() {
  await page.getByRole('button', { name: '下一步' }).click()
  await page.getByRole('heading', { level: 2, name: /上传材料/ }).waitFor()
}

before(async () => {
  for (const [m, p] of [['PUT', '/api/v1/entities/{uscc}'], ['POST', '/api/v1/applications']]) {
    if (!(await apiAvailable(m, p))) missing = `${m} ${p} not available yet`
  }
  if (missing) return
  browser = await launchBrowser()
  page = await openPage(browser.context)
  await page.goto('/')
})

after(async () => {
  if (browser) await browser.close()
})

test('营业执照 is obtained by sharing only for an entity in the register', async (t) => {
  if (missing) return t.skip(missing)
  await as('applicant')
  let app = await draftAtMaterials()
  const uscc = app.form.F_uscc
  const name = app.form.F_ent_name
  await toMaterials()
  await page.getByTestId('exempt-M_yyzz').waitFor()
  assert.equal(await page.getByTestId('shared-M_yyzz').count(), 0)
  assert.equal(await page.getByText('已通过信息共享获取').count(), 0, 'nothing claims sharing')
  await page.getByText('由审批部门核验', { exact: false }).first().waitFor()

  await as('clerk')
  const put = await call('PUT', `/api/v1/entities/${uscc}`, { name, legal_rep: '张登记', address: '上海市徐汇区漕溪北路1号' })
  assert.ok(put.status === 200 || put.status === 201, JSON.stringify(put.body))

  await as('applicant')
  app = await draftAtMaterials()
  assert.equal(app.shared_materials.length, 1)
  const legal = page.locator('[data-field="F_legal_name"]')
  assert.equal(await legal.locator('input').inputValue(), '张登记')
  await legal.getByTestId('prefilled').getByText('登记信息').waitFor()
  await toMaterials()
  const shared = page.getByTestId('shared-M_yyzz')
  await shared.waitFor()
  assert.equal(await shared.innerText(), '已通过信息共享获取')
  await page.getByText('市场主体登记信息共享（区大数据中心），').first().waitFor()
  await screenshot(page, 'exempt-materials-shared')
  assert.deepEqual(page.problems, [])
})
