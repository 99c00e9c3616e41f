// Journey: the staff pages on a phone (390 px wide) and at 1366 px, and the
// printed notice on A4 portrait.
// - Every list reads on a phone: the page itself never scrolls sideways, the
//   table scrolls inside its frame, and the column naming each row stays in view
//   (no pinned column covers it), checked by what the browser actually draws at
//   the name cell's centre.
// - At 1366 px the main navigation of every staff role fits on one line with
//   nothing hidden behind the "more" button: the supervision pages sit under
//   one submenu 事中事后监管.
// - Form labels sit on top of their inputs and are never squeezed to one
//   character per line.
// - The notice printed to A4 portrait loses nothing on the right: the PDF's page
//   is A4 portrait and the text of the rightmost column of each table is in it.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { launchBrowser, openPage, screenshot, demoPassword, login, logout } from './harness.mjs'

const PHONE = { width: 390, height: 844 }
const DESKTOP = { width: 1366, height: 900 }

let browser

before(async () => {
  browser = await launchBrowser()
})

after(async () => {
  if (browser) await browser.close()
})

// sideways: how many pixels the page is wider than the screen.
const sideways = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)

// nameVisible: the first row's name cell (the column marked "list-name") is on
// screen and is what the browser draws at its centre (no pinned column on top of
// it); checked with the table scrolled fully left and then fully right, so the
// name stays in view while the other columns scroll. Pinned columns may take at
// most half of the table's width.
async function nameVisible(page) {
  return page.evaluate(async () => {
    const table = document.querySelector('.el-table')
    const cell = table.querySelector('.el-table__body-wrapper tbody tr td.list-name .cell')
    if (!cell) return 'no name column'
    const wrap = table.querySelector('.el-table__body-wrapper .el-scrollbar__wrap')
    const problems = []
    const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))
    for (const left of [0, 1e6]) {
      if (wrap) wrap.scrollLeft = left
      await frame()
      // bring the row to the middle of the screen (vertically only)
      window.scrollBy(0, cell.getBoundingClientRect().top - window.innerHeight / 2)
      await frame()
      const r = cell.getBoundingClientRect()
      const where = left ? 'scrolled right' : 'scrolled left'
      if (r.width < 40) problems.push(`${where}: name column only ${r.width}px wide`)
      else if (r.left < -1 || r.right > window.innerWidth + 1) problems.push(`${where}: name cell at ${r.left}..${r.right}`)
      else {
        const hit = document.elementFromPoint(r.left + Math.min(r.width / 2, 30), r.top + r.height / 2)
        if (!(hit && cell.contains(hit))) problems.push(`${where}: covered by ${hit && hit.className}`)
      }
    }
    if (wrap) wrap.scrollLeft = 0
    const firstRow = table.querySelector('.el-table__body-wrapper tbody tr')
    const pinned = [...firstRow.querySelectorAll('td[class*="el-table-fixed-column"]')].reduce((w, td) => w + td.getBoundingClientRect().width, 0)
    if (pinned > table.getBoundingClientRect().width / 2) problems.push(`pinned columns take ${pinned}px of ${table.getBoundingClientRect().width}px`)
    return problems.join('; ')
  })
}

// squeezedLabels: form labels narrower than two characters (so wrapping one
// character per line) among the visible ones.
const squeezedLabels = (page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('.el-form-item__label, .toolbar__field, .el-descriptions__label')]
      .filter((l) => l.offsetParent !== null && l.textContent.trim().length > 1)
      .filter((l) => l.getBoundingClientRect().width < 2 * parseFloat(getComputedStyle(l).fontSize))
      .map((l) => l.textContent.trim())
  )

const LISTS = [
  // [user, page, h1, a text the list shows]
  ['admin', '/admin/users', '用户管理', '（演示）'], // newest first: the per-department demo staff fill page one
  ['admin', '/admin/departments', '部门管理', '区市场监管局'],
  ['admin', '/admin/tokens', '接口令牌', ''],
  ['admin', '/admin/subscriptions', '事件订阅', ''], // share-events
  ['admin', '/audit', '审计日志', '登录'],
  ['catalog_admin', '/catalog/versions', '目录版本管理', '第 1 版'],
  ['catalog_admin', '/catalog/proposals', '目录调整建议', '']
]

test('every list reads on a phone and at 1366 px', async () => {
  const page = await openPage(browser.context)
  page.setDefaultTimeout(10000)
  let who = ''
  for (const [user, where, h1, text] of LISTS) {
    if (who !== user) {
      await page.setViewportSize(DESKTOP)
      if (who) await logout(page)
      await login(page, user, demoPassword(user))
      who = user
    }
    for (const [size, label] of [[DESKTOP, 'desktop'], [PHONE, 'phone']]) {
      await page.setViewportSize(size)
      await page.goto(where)
      await page.getByRole('heading', { level: 1, name: h1 }).waitFor()
      // lists another journey fills (tokens, proposals) may still be empty
      await page.locator('.el-table__body-wrapper tbody tr, .el-table__empty-text').first().waitFor()
      if (text) await page.locator('.el-table__body-wrapper tbody').getByText(text).first().waitFor()
      await page.locator('.el-loading-mask').waitFor({ state: 'detached' })
      const rows = await page.locator('.el-table__body-wrapper tbody tr').count()
      await screenshot(page, `list${where.replace(/\//g, '-')}-${label}`)
      assert.ok((await sideways(page)) <= 0, `${h1} (${label}) scrolls sideways by ${await sideways(page)}px`)
      if (rows) assert.equal(await nameVisible(page), '', `${h1} (${label}): the name column`)
      assert.deepEqual(await squeezedLabels(page), [], `${h1} (${label}): squeezed labels`)
    }
  }
  await page.setViewportSize(DESKTOP)
  await logout(page)
  assert.deepEqual(page.problems, [], page.problems.join('\n'))
  await page.close()
})

test('the main navigation fits 1366 px for every staff role', async () => {
  const page = await openPage(browser.context)
  page.setDefaultTimeout(10000)
  await page.setViewportSize(DESKTOP)
  for (const user of ['admin', 'supervisor_whlyj', 'inspector_whlyj', 'clerk', 'issuer', 'catalog_admin', 'applicant']) {
    await login(page, user, demoPassword(user))
    const menu = page.getByRole('navigation', { name: '主导航' }).locator('.gov-menu')
    await menu.waitFor()
    const [scroll, client] = await menu.evaluate((m) => [m.scrollWidth, m.clientWidth])
    assert.ok(scroll <= client, `${user}: the menu is ${scroll}px wide in ${client}px`)
    // nothing folded into Element Plus's "more" (…) submenu
    const more = await menu.locator(':scope > .el-sub-menu').allInnerTexts()
    assert.ok(more.every((t) => t.trim() === '事中事后监管'), `${user}: folded menu entries (${more})`)
    await logout(page)
  }
  // the supervisor's pages are one hover away
  await login(page, 'supervisor_whlyj', demoPassword('supervisor_whlyj'))
  await page.getByRole('navigation', { name: '主导航' }).getByRole('menuitem', { name: '事中事后监管' }).hover()
  await page.locator('.gov-submenu').getByRole('menuitem', { name: '抽查计划', exact: true }).click()
  await page.getByRole('heading', { level: 1, name: '双随机抽查计划' }).waitFor()
  await page.locator('.gov-menu > .el-sub-menu.is-active', { hasText: '事中事后监管' }).waitFor()
  await screenshot(page, 'nav-supervisor-1366')
  await logout(page)
  assert.deepEqual(page.problems, [], page.problems.join('\n'))
  await page.close()
})

test('forms keep their labels on top on a phone', async () => {
  await browser.context.clearCookies() // the public's forms first, whatever came before
  const page = await openPage(browser.context)
  page.setDefaultTimeout(10000)
  await page.setViewportSize(PHONE)
  for (const [where, h1] of [['/login', '登录'], ['/register', '申请人注册'], ['/tools', '证照号码校验与工作日计算']]) {
    await page.goto(where)
    await page.getByRole('heading', { level: 1, name: h1 }).waitFor()
    assert.ok((await sideways(page)) <= 0, `${where} scrolls sideways`)
    assert.deepEqual(await squeezedLabels(page), [], `${where}: squeezed labels`)
    await screenshot(page, `form-${where.slice(1)}-phone`)
  }
  await login(page, 'admin', demoPassword('admin'))
  await page.goto('/account')
  await page.getByRole('heading', { level: 1, name: '我的账户' }).waitFor()
  assert.ok((await sideways(page)) <= 0, '/account scrolls sideways')
  assert.deepEqual(await squeezedLabels(page), [], '/account: squeezed labels')
  await screenshot(page, 'form-account-phone')
  await page.goto('/admin/users')
  await page.getByRole('button', { name: '新建用户' }).click()
  const dialog = page.getByRole('dialog', { name: '新建用户' })
  await dialog.getByLabel('用户名', { exact: true }).waitFor()
  const box = await page.locator('.el-dialog').filter({ hasText: '新建用户' }).boundingBox()
  assert.ok(box && box.x >= 0 && box.x + box.width <= PHONE.width + 1, `the dialog fits the screen: ${JSON.stringify(box)}`)
  assert.deepEqual(await squeezedLabels(page), [], 'user dialog: squeezed labels')
  await screenshot(page, 'form-user-dialog-phone')
  await dialog.getByRole('button', { name: '取消' }).click()
  await page.setViewportSize(DESKTOP)
  await logout(page)
  assert.deepEqual(page.problems, [], page.problems.join('\n'))
  await page.close()
})

// pdfText: the text of a PDF (poppler's pdftotext, keeping the layout).
function pdfText(pdf) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yiye-pdf-'))
  try {
    const file = path.join(dir, 'notice.pdf')
    fs.writeFileSync(file, pdf)
    return {
      text: execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }),
      // every word with its box on the page, in points
      boxes: execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8' }),
      info: execFileSync('pdfinfo', [file], { encoding: 'utf8' })
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

const havePoppler = (() => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()

test('the notice prints on A4 portrait with nothing cut off on the right', async (t) => {
  if (!havePoppler) return t.skip('pdftotext missing (apt-get install poppler-utils)')
  const page = await openPage(browser.context)
  page.setDefaultTimeout(15000)
  await page.setViewportSize(DESKTOP)
  // the notice of a 便利店 selling alcohol, tobacco, devices and hot food: every
  // table of the notice filled (the answers are in the address, docs/web.md)
  await page.goto(
    '/notice/bianlidian?q_alcohol=true&q_alcohol_bulk=false&q_tobacco=true&q_drug=false' +
      '&q_device2=true&q_hot_food=true&q_area=120&q_sign=false'
  )
  await page.getByTestId('guide-notice').waitFor()
  await page.locator('main table').first().waitFor()
  // the last column's texts of every table, as the screen shows them
  const rightmost = await page.evaluate(() =>
    [...document.querySelectorAll('main table')]
      .map((tb) => [...tb.querySelectorAll('tr')].map((tr) => tr.lastElementChild && tr.lastElementChild.innerText.trim()).filter(Boolean))
      .flat()
      .map((s) => s.split('\n')[0].trim())
      .filter((s) => s.length >= 2)
  )
  assert.ok(rightmost.length > 0, 'the notice has tables')
  await page.emulateMedia({ media: 'print' })
  const overflow = await page.evaluate(() => {
    const main = document.querySelector('main')
    return [...main.querySelectorAll('*')]
      .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
      .slice(0, 5)
      .map((e) => `${e.tagName}.${e.className}`)
  })
  const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true })
  await page.emulateMedia({ media: 'screen' })
  const { text, boxes, info } = pdfText(pdf)
  const size = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info)
  assert.ok(size, info)
  assert.ok(Math.abs(+size[1] - 595.3) < 2 && Math.abs(+size[2] - 841.9) < 2, `A4 portrait, got ${size[1]} x ${size[2]}`)
  // no word runs past the page's right edge (text clipped there is still in the
  // PDF's text, so its position is what tells)
  const outside = [...boxes.matchAll(/<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<\/word>/g)]
    .filter((m) => +m[2] > +size[1] - 1 || +m[1] < 0)
    .map((m) => `${m[3]} @${m[1]}..${m[2]}`)
  assert.deepEqual(outside.slice(0, 10), [], `words beyond the page (${outside.length})`)
  const flat = text.replace(/\s+/g, '')
  const lost = rightmost.filter((s) => !flat.includes(s.replace(/\s+/g, '').slice(0, 12)))
  assert.deepEqual(lost, [], `cut off when printed (elements past the edge: ${overflow.join(', ')})`)
  assert.deepEqual(page.problems, [], page.problems.join('\n'))
  await page.close()
})
