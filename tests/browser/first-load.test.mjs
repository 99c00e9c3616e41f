// First load: what a newcomer's browser transfers to show the home page and the
// guide, with an empty cache. The server sends the build's brotli/gzip copies
// (src/http/static.c) and the pages load only the Element Plus and ECharts parts
// they use, so each page must stay under BUDGET bytes on the wire (response
// headers and bodies as encoded, summed from chromium's own network events).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { launchBrowser, openPage } from './harness.mjs'

const BUDGET = 300 * 1000

let browser

before(async () => {
  browser = await launchBrowser()
})

after(async () => {
  if (browser) await browser.close()
})

// transferred: open PATH in a fresh page with the cache disabled, wait for
// `ready(page)`, then for the network to go quiet; returns the bytes chromium
// received (encodedDataLength of every finished request) and the responses.
async function transferred(path, ready) {
  const page = await openPage(browser.context)
  page.setDefaultTimeout(15000)
  const cdp = await browser.context.newCDPSession(page)
  await cdp.send('Network.enable')
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true })
  const urls = new Map()
  const encodings = new Map()
  const bodies = new Map() // bytes of the body as sent
  let bytes = 0
  cdp.on('Network.responseReceived', (e) => {
    urls.set(e.requestId, e.response.url)
    const h = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), v]))
    encodings.set(e.requestId, h['content-encoding'] || '')
    bodies.set(e.requestId, Number(h['content-length'] || 0))
  })
  const sizes = []
  cdp.on('Network.loadingFinished', (e) => {
    bytes += e.encodedDataLength
    sizes.push({ url: urls.get(e.requestId), bytes: e.encodedDataLength, body: bodies.get(e.requestId), encoding: encodings.get(e.requestId) })
  })
  await page.goto(path, { waitUntil: 'networkidle' })
  await ready(page)
  await page.waitForLoadState('networkidle')
  await cdp.detach()
  return { page, bytes, sizes }
}

function report(sizes) {
  return sizes
    .sort((a, b) => b.bytes - a.bytes)
    .map((s) => `${s.bytes}\t${s.encoding || 'identity'}\t${s.url}`)
    .join('\n')
}

for (const [path, name, ready] of [
  ['/', '首页', async (page) => page.locator('[data-testid="reform-chart"] canvas').first().waitFor()],
  ['/guide', '办事指南', async (page) => page.getByRole('heading', { level: 1, name: '办事指南' }).waitFor()]
]) {
  test(`${name} (${path}) transfers under ${BUDGET / 1000} kB on first load, compressed`, async () => {
    const { page, bytes, sizes } = await transferred(path, ready)
    const detail = report(sizes)
    assert.ok(bytes < BUDGET, `${path} transferred ${bytes} bytes (budget ${BUDGET}):\n${detail}`)
    // every script and stylesheet of the UI worth compressing came compressed
    // (the build leaves files under 512 bytes as they are)
    const plain = sizes.filter((s) => /\/assets\/.*\.(js|css)$/.test(new URL(s.url).pathname) && s.body >= 512 && !s.encoding)
    assert.deepEqual(plain, [], `sent uncompressed:\n${report(plain)}`)
    console.log(`${path}: ${bytes} bytes in ${sizes.length} requests\n${detail}`)
    assert.deepEqual(page.problems, [], page.problems.join('\n'))
    await page.close()
  })
}

test('a page without a chart does not fetch ECharts', async () => {
  const { page, sizes } = await transferred('/tools', async (p) =>
    p.getByRole('heading', { level: 1, name: '证照号码校验与工作日计算' }).waitFor()
  )
  const charts = sizes.filter((s) => /\/assets\/(ReformChart|charts)-/.test(s.url))
  assert.deepEqual(charts, [], `fetched chart code:\n${report(charts)}`)
  assert.deepEqual(page.problems, [], page.problems.join('\n'))
  await page.close()
})
