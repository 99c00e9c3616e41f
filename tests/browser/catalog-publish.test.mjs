// Journey: the catalog administrator (区审改办) publishes a new catalog version in the
// UI. They download the active version's document (a blob: download under the
// CSP), edit it (便利店 → 便利店（试行）), publish it with a note, the approved
// proposals and 立即启用, and the public guide API answers with the new name at
// once. A broken document (a permit of an unknown department, an industry naming an
// unknown permit) is refused: every problem is listed and no version is added.
// Finally the previous version is activated again, so the journeys after this one
// (guide, industries) see the catalog as `yiye init` imported it.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { launchBrowser, openPage, screenshot, demoPassword, login, logout, apiAvailable } from './harness.mjs'

let browser
let page
let missing = ''
let tmp = ''
let original = null // the downloaded document, parsed
let activeBefore = 0 // the version active when the journey started
let published = 0 // the version this journey published

const TRIAL_NAME = '便利店（试行）'

before(async () => {
  browser = await launchBrowser()
  // The broken document's 400 catalog_invalid is expected; the browser logs it.
  page = await openPage(browser.context, { expectedFailures: [/^\/api\/v1\/catalog\/versions$/] })
  page.setDefaultTimeout(15000)
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'yiye-publish-'))
  for (const [m, p] of [
    ['GET', '/api/v1/catalog/versions'],
    ['POST', '/api/v1/catalog/versions'],
    ['GET', '/api/v1/catalog/versions/{v}/document'],
    ['POST', '/api/v1/catalog/versions/{v}/activate'],
    ['GET', '/api/v1/catalog/proposals']
  ]) {
    if (!missing && !(await apiAvailable(m, p))) missing = `${m} ${p}`
  }
})

after(async () => {
  if (browser) await browser.close()
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true })
})

// getJson: a GET made by the page itself (its session cookie), parsed.
async function getJson(url) {
  return page.evaluate(async (u) => {
    const res = await fetch(u, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
    return { status: res.status, body: await res.json() }
  }, url)
}

async function openVersions() {
  await page.getByRole('navigation', { name: '主导航' }).getByRole('menuitem', { name: '目录版本' }).click()
  await page.getByRole('heading', { level: 1, name: '目录版本管理' }).waitFor()
  await page.getByRole('row').filter({ hasText: '当前启用' }).first().waitFor()
}

// Element Plus draws a table's header and body as separate <table>s inside the
// element that carries the aria-label.
const versionRow = (v) => page.locator('[aria-label="目录版本列表"]').getByRole('row').filter({ hasText: `第 ${v} 版` })

// openPublish: open 发布新版本, pick FILE and return the dialog.
async function openPublish(file) {
  await page.getByRole('button', { name: '发布新版本' }).click()
  const dialog = page.getByRole('dialog', { name: '发布新版本' })
  await dialog.waitFor()
  await dialog.getByLabel('目录文件（JSON）').setInputFiles(file)
  return dialog
}

test('the catalog administrator downloads the active version and publishes an edited one', async (t) => {
  if (missing) return t.skip(`API missing: ${missing}`)
  await login(page, 'catalog_admin', demoPassword('catalog_admin'))
  await openVersions()

  const list = await getJson('/api/v1/catalog/versions?limit=200')
  assert.equal(list.status, 200)
  activeBefore = list.body.active
  const totalBefore = list.body.total
  assert.ok(activeBefore >= 1, `active version: ${activeBefore}`)

  // 下载目录文件: a blob: download, which the CSP must let through.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    versionRow(activeBefore).getByRole('button', { name: '下载目录文件' }).click()
  ])
  assert.equal(download.suggestedFilename(), `catalog-v${activeBefore}.json`)
  const saved = path.join(tmp, download.suggestedFilename())
  await download.saveAs(saved)
  original = JSON.parse(fs.readFileSync(saved, 'utf8'))
  for (const key of ['catalog', 'departments', 'materials', 'fields', 'permits', 'industries']) {
    assert.ok(original[key], `downloaded document has ${key}`)
  }
  const served = await getJson(`/api/v1/catalog/versions/${activeBefore}/document`)
  assert.deepEqual(original, served.body, 'the file holds the document the server serves')

  // Edit it: 便利店 becomes 便利店（试行）.
  const edited = structuredClone(original)
  const shop = edited.industries.find((i) => i.code === 'bianlidian')
  assert.ok(shop, 'the document has 便利店')
  shop.name = TRIAL_NAME
  const editedFile = path.join(tmp, 'catalog-bianlidian-trial.json')
  fs.writeFileSync(editedFile, JSON.stringify(edited, null, 2))

  // A file that is not JSON is refused in the page, before anything is sent.
  const textFile = path.join(tmp, 'notes.txt')
  fs.writeFileSync(textFile, '不是目录文件')
  let dialog = await openPublish(textFile)
  await dialog.getByText('请选择 JSON 格式的目录文件').waitFor()
  await dialog.getByLabel('目录文件（JSON）').setInputFiles(editedFile)
  await dialog.getByText('已读取 catalog-bianlidian-trial.json').waitFor()

  // The approved, not yet included proposals are offered, all ticked.
  const approved = await getJson('/api/v1/catalog/proposals?status=approved&limit=200')
  assert.equal(approved.status, 200)
  const approvedIds = approved.body.items.map((p) => p.id)
  for (const p of approved.body.items) {
    const box = dialog.getByRole('checkbox', { name: new RegExp(`第 ${p.id} 号`) })
    assert.ok(await box.isChecked(), `proposal ${p.id} is ticked`)
  }
  if (!approvedIds.length) await dialog.getByText('暂无已同意、待纳入的建议').waitFor()

  await dialog.getByLabel('版本说明').fill('便利店更名试行（浏览器测试）')
  await dialog.getByText('发布后立即启用').click()
  assert.ok(await dialog.getByRole('checkbox', { name: /发布后立即启用/ }).isChecked())
  await screenshot(page, 'catalog-publish-dialog')

  const posted = page.waitForResponse(
    (r) => new URL(r.url()).pathname === '/api/v1/catalog/versions' && r.request().method() === 'POST'
  )
  await dialog.getByRole('button', { name: '发布', exact: true }).click()
  const answer = await posted
  assert.equal(answer.status(), 201)
  const sent = answer.request().postDataJSON()
  assert.equal(sent.activate, true)
  assert.equal(sent.note, '便利店更名试行（浏览器测试）')
  assert.deepEqual([...sent.proposals].sort(), [...approvedIds].sort())
  const out = await answer.json()
  published = out.version
  assert.equal(published, totalBefore + 1)
  assert.equal(out.status, 'active')
  assert.ok(out.changes.some((c) => c.entity === 'industry' && c.id === 'bianlidian' && c.keys.includes('name')))

  await dialog.waitFor({ state: 'hidden' })
  await page.getByTestId('publish-result').getByText(`已发布版本 ${published}，已生效`).waitFor()
  await versionRow(published).getByText('当前启用').waitFor()
  await versionRow(activeBefore).getByText('已停用').waitFor()
  await screenshot(page, 'catalog-published')

  // The public guide answers from the new version at once.
  const search = await getJson('/api/v1/industries?q=' + encodeURIComponent('便利'))
  assert.equal(search.status, 200)
  assert.equal(search.body.catalog_version, published)
  const names = search.body.items.map((i) => i.name)
  assert.ok(names.includes(TRIAL_NAME), `industries: ${names}`)
  assert.ok(!names.includes('便利店'), `industries: ${names}`)

  // The included proposals are no longer waiting.
  for (const id of approvedIds) {
    const left = await getJson('/api/v1/catalog/proposals?status=included&limit=200')
    const p = left.body.items.find((x) => x.id === id)
    assert.ok(p && p.included_in === published, `proposal ${id} included in ${published}`)
  }
  assert.deepEqual(page.problems, [], page.problems.join('\n'))
})

test('a broken document is refused with every problem listed', async (t) => {
  if (missing) return t.skip(`API missing: ${missing}`)
  assert.ok(original && published, 'the previous test published a version')
  const before = await getJson('/api/v1/catalog/versions?limit=200')

  const broken = structuredClone(original)
  broken.permits[0].department = 'no_such_dept'
  broken.industries.find((i) => i.code === 'bianlidian').permits.push('P_no_such_permit')
  const brokenFile = path.join(tmp, 'catalog-broken.json')
  fs.writeFileSync(brokenFile, JSON.stringify(broken, null, 2))

  const dialog = await openPublish(brokenFile)
  await dialog.getByText('已读取 catalog-broken.json').waitFor()
  await dialog.getByLabel('版本说明').fill('不应发布')
  const posted = page.waitForResponse(
    (r) => new URL(r.url()).pathname === '/api/v1/catalog/versions' && r.request().method() === 'POST'
  )
  await dialog.getByRole('button', { name: '发布', exact: true }).click()
  const answer = await posted
  assert.equal(answer.status(), 400)
  const err = (await answer.json()).error
  assert.equal(err.code, 'catalog_invalid')

  const problems = dialog.locator('[aria-label="检查发现的问题"]')
  await problems.waitFor()
  await dialog.getByText(`共 ${err.problems_total} 个问题`).waitFor()
  const dept = problems.getByRole('row').filter({ hasText: 'no_such_dept' })
  const permit = problems.getByRole('row').filter({ hasText: 'P_no_such_permit' })
  await dept.first().waitFor()
  await permit.first().waitFor()
  assert.ok(await dept.first().getByText('permits.json').isVisible())
  assert.ok(await permit.first().getByText(/industries\/bianlidian\.json/).isVisible())
  assert.equal(await problems.getByRole('row').count(), err.problems.length + 1) // + the header row
  assert.ok(await dialog.isVisible(), 'the dialog stays open')
  await dialog.getByText('未选择文件').waitFor() // the corrected file must be picked again
  await screenshot(page, 'catalog-publish-problems')

  await dialog.getByRole('button', { name: '取消' }).click()
  await dialog.waitFor({ state: 'hidden' })
  const after = await getJson('/api/v1/catalog/versions?limit=200')
  assert.equal(after.body.total, before.body.total, 'no version was added')
  assert.equal(after.body.active, published)
  assert.deepEqual(page.problems, [], page.problems.join('\n'))
})

test('the previous version is activated again', async (t) => {
  if (missing) return t.skip(`API missing: ${missing}`)
  assert.ok(activeBefore && published, 'the first test published a version')
  await versionRow(activeBefore).getByRole('button', { name: '启用' }).click()
  const confirm = page.getByRole('dialog', { name: `启用第 ${activeBefore} 版` })
  await confirm.getByRole('button', { name: '确定启用' }).click()
  await versionRow(activeBefore).getByText('当前启用').waitFor()
  const search = await getJson('/api/v1/industries?q=' + encodeURIComponent('便利'))
  assert.equal(search.body.catalog_version, activeBefore)
  assert.ok(search.body.items.some((i) => i.name === '便利店'))
  await logout(page)
  assert.deepEqual(page.problems, [], page.problems.join('\n'))
})
