// Journey: a member of the public opens the platform, reads what 一业一证 is and
// how it works, sees the convenience-store figures, then uses the identifier
// checker and the working-day calculator. Any console error, uncaught exception
// or Content-Security-Policy violation on the way fails the test.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { launchBrowser, openPage, screenshot } from './harness.mjs'

const CHAIN = ['一次告知', '一表申请', '一口受理', '一书承诺', '一同核查', '一并审批', '一证准营', '一码监管']

let browser
let page

before(async () => {
  browser = await launchBrowser()
  page = await openPage(browser.context)
  page.setDefaultTimeout(10000)
})

after(async () => {
  if (browser) await browser.close()
})

function assertNoProblems(where) {
  assert.deepEqual(page.problems, [], `problems on ${where}:\n${page.problems.join('\n')}`)
}

test('home page explains the reform, its chain and its results', async () => {
  const response = await page.goto('/')
  assert.ok(response.ok(), `GET / answered ${response.status()}`)
  const csp = response.headers()['content-security-policy'] || ''
  assert.match(csp, /script-src 'self'/, 'the page is served with the platform CSP')

  await page.getByRole('heading', { level: 1, name: '徐汇区“一业一证”综合许可平台' }).waitFor()
  assert.equal(await page.title(), '徐汇区“一业一证”综合许可平台')

  const steps = await page.locator('[data-testid="reform-chain"] .chain__name').allTextContents()
  assert.deepEqual(steps.map((s) => s.trim()), CHAIN)

  const canvas = page.locator('[data-testid="reform-chart"] canvas')
  await canvas.first().waitFor()
  const box = await canvas.first().boundingBox()
  assert.ok(box && box.width > 100 && box.height > 100, 'the chart canvas is drawn with a real size')
  const results = await page.locator('.stat-list').innerText()
  for (const figure of ['95', '313', '98', '53', '10']) assert.ok(results.includes(figure), `figure ${figure} shown`)
  // the figures and the example come from the catalog, marked as published data
  const example = await page.getByTestId('home-example').innerText()
  assert.match(example, /便利店/)
  assert.match(example, /5 项许可/)
  for (const name of ['食品经营许可', '酒类商品零售许可', '烟草专卖零售许可']) assert.ok(example.includes(name), `${name} named`)
  await page.locator('.source-note').getByText('公开数据').waitFor()

  // nothing is promised that the platform does not do yet
  const text = await page.locator('.home').innerText()
  for (const claim of [/亮证/, /电子证照.{0,6}同步生成/, /随时查看办理进度/, /自动带出/, /平台.{0,8}数据共享获取/, /已经?共享的信息/]) {
    assert.doesNotMatch(text, claim, `the home page claims ${claim}`)
  }

  const nav = page.getByRole('navigation', { name: '主导航' })
  for (const label of ['首页', '行业目录', '办事指南', '便民工具']) {
    await nav.getByRole('menuitem', { name: label }).waitFor()
  }
  await screenshot(page, 'home')
  assertNoProblems('the home page')
})

test('办事指南 claims nothing the platform does not do and says where to apply', async () => {
  await page.getByRole('navigation', { name: '主导航' }).getByRole('menuitem', { name: '办事指南' }).click()
  await page.getByRole('heading', { level: 1, name: '办事指南' }).waitFor()
  await page.getByTestId('service-info').waitFor()
  const text = await page.locator('.guide').innerText()
  for (const claim of [/亮证/, /电子证照.{0,6}同步生成/, /查看办理进度/, /在线填写/, /上传/, /平台.{0,8}数据共享获取/]) {
    assert.doesNotMatch(text, claim, `the guide claims ${claim}`)
  }
  assert.match(await page.getByTestId('service-info').locator('dd[data-item="phone"]').innerText(), /待确认/)
  assertNoProblems('the guide page')
})

test('identifier checker tells a valid code from an invalid one', async () => {
  await page.getByRole('navigation', { name: '主导航' }).getByRole('menuitem', { name: '便民工具' }).click()
  await page.getByRole('heading', { level: 1, name: '证照号码校验与工作日计算' }).waitFor()
  assert.match(new URL(page.url()).pathname, /^\/tools$/)

  const result = page.getByTestId('checker-result')
  const value = page.getByRole('textbox', { name: '统一社会信用代码' })
  await value.fill('91110000600037341L')
  await page.getByRole('button', { name: '校验' }).click()
  await result.getByText(/^有效/).waitFor()
  assert.match(await result.innerText(), /有效/)
  assert.doesNotMatch(await result.innerText(), /^无效/m)

  await value.fill('91110000600037341A')
  await page.getByRole('button', { name: '校验' }).click()
  await result.getByText(/^无效/).waitFor()
  assert.match(await result.innerText(), /校验/)
  await screenshot(page, 'checker-invalid-uscc')

  // Element Plus draws its own radio over the native input: click the label, as a user does.
  await page.locator('label').filter({ has: page.getByRole('radio', { name: '居民身份证号码' }) }).click()
  assert.ok(await page.getByRole('radio', { name: '居民身份证号码' }).isChecked())
  const id = page.getByRole('textbox', { name: '居民身份证号码' })
  await id.fill('360426199101010071')
  await page.getByRole('button', { name: '校验' }).click()
  await result.getByText(/^有效/).waitFor()
  assert.doesNotMatch(await result.innerText(), /^无效/m)

  // The typed value never reaches the URL or the browser's storage.
  assert.ok(!page.url().includes('360426199101010071'))
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }))
  assert.ok(!stored.includes('360426199101010071'), 'nothing typed is stored')
  assertNoProblems('the checker')
})

test('working-day calculator skips the National Day holiday', async () => {
  const from = page.getByRole('combobox', { name: '起算日期' })
  await from.fill('2026-09-30')
  await from.press('Enter')
  const add = page.getByRole('spinbutton', { name: '工作日天数' })
  await add.fill('1')
  await add.press('Tab')
  await page.getByRole('button', { name: '计算' }).click()
  const result = page.getByTestId('workdays-result')
  await result.getByText('2026-10-08').waitFor()
  assert.match(await result.innerText(), /2026-10-08/)
  await screenshot(page, 'workdays')
  assertNoProblems('the working-day calculator')
})
