// Journey: the public looks an industry up in 行业目录. The list must come from
// the server: while GET /api/v1/industries does not exist (404) the page says the
// service is unavailable; once it exists, searching 便利店 (and the one-character
// query 药) must find the industry. Either way no console error or CSP violation.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { launchBrowser, openPage, screenshot } from './harness.mjs'

let browser
let page

before(async () => {
  browser = await launchBrowser()
  page = await openPage(browser.context, { expectedFailures: [/^\/api\/v1\/industries$/] })
  page.setDefaultTimeout(10000)
})

after(async () => {
  if (browser) await browser.close()
})

test('行业目录 lists industries from the server or says the service is unavailable', async () => {
  await page.goto('/')
  const answer = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/industries')
  await page.getByRole('navigation', { name: '主导航' }).getByRole('menuitem', { name: '行业目录' }).click()
  await page.getByRole('heading', { level: 1, name: '行业目录' }).waitFor()
  const first = await answer

  if (first.status() === 404) {
    const alert = page.getByTestId('industries-error')
    await alert.waitFor()
    assert.match(await alert.innerText(), /服务暂不可用/)
    assert.equal(await page.locator('.industry-table').count(), 0, 'no list is shown without the service')
    await screenshot(page, 'industries-unavailable')
  } else {
    assert.equal(first.status(), 200)
    for (const [query, expected] of [['便利店', '便利店'], ['药', '药店']]) {
      const box = page.getByRole('textbox', { name: '行业名称' })
      await box.fill(query)
      const searched = page.waitForResponse((r) => new URL(r.url()).searchParams.get('q') === query)
      await page.getByRole('button', { name: '查询' }).click()
      assert.equal((await searched).status(), 200)
      await page.locator('.industry-table').getByText(expected, { exact: false }).first().waitFor()
      assert.equal(new URL(page.url()).searchParams.get('q'), query, 'the query is kept in the address')
    }
    // every industry says where it stands; codes are not shown; a planned one offers no guide
    await page.getByRole('textbox', { name: '行业名称' }).fill('')
    const all = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/industries')
    await page.getByRole('button', { name: '查询' }).click()
    assert.equal((await all).status(), 200)
    const table = page.locator('.industry-table')
    await table.getByText('乡村民宿').first().waitFor()
    const headers = await table.locator('th').allInnerTexts()
    assert.ok(!headers.some((h) => /代码|批次/.test(h)), `no code or batch column: ${headers.join(' ')}`)
    assert.ok(headers.some((h) => /实施状态/.test(h)), 'a status column')
    const text = await table.innerText()
    assert.ok(!/bianlidian|scjgj/.test(text), 'no pinyin or department code shown')
    const planned = table.locator('tr').filter({ hasText: '乡村民宿' })
    assert.match(await planned.innerText(), /计划实施/)
    assert.equal(await planned.getByRole('link', { name: '一键导航' }).count(), 0)
    const inForce = table.locator('tr').filter({ hasText: '便利店' }).first()
    assert.match(await inForce.innerText(), /已实施/)
    assert.equal(await inForce.getByRole('link', { name: '一键导航' }).count(), 1)
    await screenshot(page, 'industries')
  }
  assert.deepEqual(page.problems, [], page.problems.join('\n'))
})
