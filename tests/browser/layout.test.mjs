// The frame every page shares: deep links reload, unknown paths get a Chinese
// "page not found", printing hides the navigation, small screens stay usable,
// and the harness's CSP detector really reports a violation.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { launchBrowser, openPage, screenshot } from './harness.mjs'

let browser

before(async () => {
  browser = await launchBrowser()
})

after(async () => {
  if (browser) await browser.close()
})

test('a deep link loads its page directly and unknown paths say 页面不存在', async () => {
  const page = await openPage(browser.context)
  page.setDefaultTimeout(10000)
  const response = await page.goto('/tools')
  assert.ok(response.ok(), `GET /tools answered ${response.status()}`)
  await page.getByRole('heading', { level: 1, name: '证照号码校验与工作日计算' }).waitFor()
  assert.match(await page.title(), /^证照号码校验与工作日计算 - 徐汇区“一业一证”综合许可平台$/)

  await page.goto('/no/such/page')
  await page.getByText('页面不存在').first().waitFor()
  await page.getByRole('button', { name: '返回首页' }).click()
  await page.getByRole('heading', { level: 1, name: '徐汇区“一业一证”综合许可平台' }).waitFor()
  assert.deepEqual(page.problems, [], page.problems.join('\n'))
  await page.close()
})

test('printing keeps the content and hides the navigation', async () => {
  const page = await openPage(browser.context)
  page.setDefaultTimeout(10000)
  await page.goto('/guide')
  await page.getByRole('heading', { level: 1, name: '办事指南' }).waitFor()
  await page.emulateMedia({ media: 'print' })
  assert.equal(await page.getByRole('navigation', { name: '主导航' }).isVisible(), false)
  assert.equal(await page.locator('footer').isVisible(), false)
  assert.ok(await page.getByRole('heading', { level: 1, name: '办事指南' }).isVisible())
  await page.emulateMedia({ media: 'screen' })
  assert.ok(await page.getByRole('navigation', { name: '主导航' }).isVisible())
  assert.deepEqual(page.problems, [], page.problems.join('\n'))
  await page.close()
})

test('on a phone-sized screen the home page does not scroll sideways', async () => {
  const page = await openPage(browser.context)
  page.setDefaultTimeout(10000)
  await page.setViewportSize({ width: 390, height: 844 })
  await page.goto('/')
  await page.locator('[data-testid="reform-chart"] canvas').first().waitFor()
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`)
  await screenshot(page, 'home-phone')
  assert.deepEqual(page.problems, [], page.problems.join('\n'))
  await page.close()
})

test('the CSP detector of the harness reports an inline script', async () => {
  const page = await openPage(browser.context)
  await page.goto('/')
  await page.getByRole('heading', { level: 1 }).first().waitFor()
  await page.evaluate(() => {
    const s = document.createElement('script')
    s.textContent = 'window.__inline = 1'
    document.body.appendChild(s)
  })
  for (let i = 0; i < 50 && !page.problems.some((p) => p.startsWith('CSP violation')); i++) {
    await new Promise((r) => setTimeout(r, 50))
  }
  assert.ok(page.problems.some((p) => p.startsWith('CSP violation')), `no CSP violation seen: ${page.problems}`)
  assert.equal(await page.evaluate(() => window.__inline), undefined, 'the inline script did not run')
  await page.close()
})
