// Journey: after `yiye init --demo` (which runs a demo processing history), the
// auditor opens 统计分析: the headline figures and the charts show data (the
// monthly trend and the industry comparison drawn by ECharts on canvases); each
// chart turns into a table; filtering by an industry narrows every view to it;
// the Excel file of the filtered views downloads (an xlsx: a zip holding the
// workbook) and the monthly report answers a PDF.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import { launchBrowser, openPage, screenshot, demoPassword, login, logout, navItems, navClick, apiAvailable } from './harness.mjs'

let browser
let page
let missing = ''

before(async () => {
  browser = await launchBrowser()
  page = await openPage(browser.context)
  // Generous: the statistics run on an ASan build on a shared machine (a view
  // took up to 16 s there); this bounds a hang, it times nothing.
  page.setDefaultTimeout(60000)
  for (const [m, p] of [
    ['GET', '/api/v1/statistics/overview'],
    ['GET', '/api/v1/statistics/views/{view}'],
    ['GET', '/api/v1/statistics/reports/monthly']
  ]) {
    if (!missing && !(await apiAvailable(m, p))) missing = `${m} ${p}`
  }
})

after(async () => {
  if (browser) await browser.close()
})

// The answer of GET /api/v1/statistics/views/{view} (or the overview) the page
// receives next, for the given filter value of `industry` ('' = none).
function viewAnswer(view, industry = '') {
  return page.waitForResponse((r) => {
    const u = new URL(r.url())
    const want = view === 'overview' ? '/api/v1/statistics/overview' : `/api/v1/statistics/views/${view}`
    return u.pathname === want && (u.searchParams.get('industry') || '') === industry
  })
}

test('the dashboard shows the demo history, filters by industry and downloads Excel', async (t) => {
  if (missing) return t.skip(`API missing: ${missing}`)
  await login(page, 'auditor', demoPassword('auditor'))
  assert.ok((await navItems(page)).includes('统计'), 'the auditor holds statistics.read: 统计 is in the menu')

  const first = Promise.all([viewAnswer('overview'), viewAnswer('trends'), viewAnswer('industries')])
  await navClick(page, '统计')
  await page.getByRole('heading', { level: 1, name: '统计分析' }).waitFor()
  const [ov, trends, inds] = await Promise.all((await first).map((r) => r.json()))
  assert.ok(ov.applications.total > 0, `init --demo must leave a history to look at (applications.total = ${ov.applications.total})`)
  assert.ok(trends.rows.length > 1, 'the monthly trend has several months')

  // The headline figure on the page is the API's.
  const total = page.locator('[data-figure="applications"] dd')
  await total.waitFor()
  assert.equal((await total.innerText()).trim(), String(ov.applications.total))

  // Charts with data: ECharts draws on a canvas inside each chart.
  for (const view of ['trends', 'industries', 'departments']) {
    const chart = page.locator(`[data-testid="stats-chart"][data-view="${view}"]`)
    await chart.locator('canvas').first().waitFor()
    assert.ok(Number(await chart.getAttribute('data-points')) > 0, `${view} chart has data points`)
  }

  // A chart as a table: the same rows.
  const trendsPanel = page.getByTestId('stats-panel-trends')
  await trendsPanel.getByText('表格', { exact: true }).click()
  const rows = trendsPanel.locator('.el-table__body-wrapper tbody tr')
  await rows.first().waitFor()
  assert.equal(await rows.count(), trends.rows.length)
  await screenshot(page, 'statistics')

  // Filter by the industry with the most applications.
  const nameKey = inds.columns[0].key
  const countKey = (inds.columns.find((c) => /^applications?(_total)?$/.test(c.key)) || inds.columns[1]).key
  const top = [...inds.rows].sort((a, b) => (b[countKey] || 0) - (a[countKey] || 0))[0]
  const industries = await (await page.request.get('/api/v1/industries')).json()
  const industry = industries.items.find((i) => i.name === top[nameKey] || i.code === top[nameKey])
  assert.ok(industry, `industry row ${top[nameKey]} names a catalog industry`)
  await page.getByRole('combobox', { name: '行业' }).click()
  await page.getByRole('option', { name: industry.name, exact: true }).click()
  const filtered = Promise.all([viewAnswer('overview', industry.code), viewAnswer('industries', industry.code)])
  await page.getByRole('button', { name: '查询' }).click()
  const [fov, finds] = await Promise.all((await filtered).map((r) => r.json()))
  assert.ok(fov.applications.total > 0 && fov.applications.total <= ov.applications.total, 'the industry is part of the whole')
  assert.ok(finds.rows.length >= 1 && finds.rows.every((r) => r[nameKey] === top[nameKey]), 'the industry view lists only that industry')
  await page.waitForFunction(
    (n) => document.querySelector('[data-figure="applications"] dd')?.textContent.trim() === String(n),
    fov.applications.total
  )

  // The Excel file of the filtered views.
  const link = page.getByTestId('xlsx-overview')
  const href = new URL(await link.getAttribute('href'), 'http://x')
  assert.equal(href.pathname, '/api/v1/statistics/overview.xlsx')
  assert.equal(href.searchParams.get('industry'), industry.code)
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()])
  const file = await download.path()
  const bytes = fs.readFileSync(file)
  assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', 'an xlsx is a zip')
  assert.ok(bytes.includes(Buffer.from('xl/workbook.xml')), 'the zip holds a workbook')
  assert.match(download.suggestedFilename(), /\.xlsx$/)

  // The monthly report: a PDF.
  const report = await page.getByTestId('monthly-report').getAttribute('href')
  const pdf = await page.evaluate(async (h) => {
    const r = await fetch(h, { credentials: 'same-origin' })
    const b = new Uint8Array(await r.arrayBuffer())
    return { status: r.status, type: r.headers.get('content-type'), head: String.fromCharCode(...b.slice(0, 5)) }
  }, report)
  assert.equal(pdf.status, 200)
  assert.equal(pdf.type, 'application/pdf')
  assert.equal(pdf.head, '%PDF-')

  await logout(page)
  assert.deepEqual(page.problems, [], page.problems.join('\n'))
})
