// 跨地区互认 on the public verify page (docs/api-sharing.md "Other districts"): a
// license payload signed by another district's key is refused (签名无效) while
// that district is not trusted; once its key set is in DATA/trust (what `yiye
// trust add` writes; the server reads the directory at each request) the page
// shows it as 长宁区签发 with the payload's fields, verified in the browser, and
// says the issuing district keeps its online status. The key pair is made here
// (Ed25519, node:crypto): a second deployment's key, without a second server.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { launchBrowser, openPage, screenshot, apiAvailable } from './harness.mjs'

const NUMBER = 'XK-310105-2026-000007'

let browser
let page
let missing = ''

before(async () => {
  if (!(await apiAvailable('GET', '/.well-known/yiye/trusted-keys.json'))) {
    missing = 'GET /.well-known/yiye/trusted-keys.json not available yet'
    return
  }
  browser = await launchBrowser()
  // the number is unknown to this platform: its verify API answers 404
  page = await openPage(browser.context, { expectedFailures: [/^\/api\/v1\/licenses\/XK-310105-/] })
})

after(async () => {
  if (browser) await browser.close()
})

test('a trusted district’s license verifies offline on the verify page', async (t) => {
  if (missing) return t.skip(missing)
  // the other district's key has the id of our current key: ids are not
  // unique across deployments (each one's first key is k<date>a)
  const own = await (await fetch(new URL('/.well-known/yiye/keys.json', process.env.YIYE_URL))).json()
  const KID = own.keys.find((k) => k.status === 'current').kid
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519')
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32)
  const msg = `YL1.${NUMBER}.1.91310104MA1G4Y2K4G.2026-03-02.-.${KID}`
  const payload = `${msg}.${crypto.sign(null, Buffer.from(msg), privateKey).toString('base64url')}`
  const url = `/v/${NUMBER}#${payload}`

  // not trusted yet: the signature is not ours
  await page.goto(url)
  await page.getByTestId('signature').or(page.getByText('查无此许可证')).first().waitFor()
  assert.equal(await page.getByTestId('verify-trusted').count(), 0)

  const dataDir = path.dirname(process.env.YIYE_DEMO_ACCOUNTS || '')
  fs.mkdirSync(path.join(dataDir, 'trust'), { recursive: true, mode: 0o700 })
  const file = path.join(dataDir, 'trust', '310105.json')
  fs.writeFileSync(file, JSON.stringify({
    district: '310105',
    name: '长宁区',
    origin: 'browser test',
    added_at: Math.floor(Date.now() / 1000),
    keys: [{ kid: KID, alg: 'Ed25519', public_key: raw.toString('base64url'), status: 'current' }]
  }))
  try {
    await page.goto('/')
    await page.goto(url)
    const verdict = page.getByTestId('verify-trusted')
    await verdict.waitFor()
    assert.match(await verdict.innerText(), /长宁区签发/)
    await page.getByTestId('signature').getByText('长宁区（310105）').waitFor()
    await page.getByText('请到签发地平台查询').waitFor()
    await page.getByText(NUMBER).first().waitFor()
    assert.equal(await page.getByText('查无此许可证').count(), 0)
    await screenshot(page, 'verify-trusted-district')
    assert.deepEqual(page.problems, [])
  } finally {
    fs.rmSync(file, { force: true })
  }
})
