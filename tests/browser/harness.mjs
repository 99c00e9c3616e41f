// Shared helpers of the browser tests: launch Debian's chromium through
// playwright-core (never a downloaded browser), open pages that record every
// console error, uncaught exception and Content-Security-Policy violation, and
// save screenshots. Not a test file itself (node --test only runs *.test.mjs).
import { createRequire } from 'node:module'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

// playwright-core is installed with the UI's packages (web/package.json), so one
// `npm ci` in web/ serves both the build and these tests.
const require = createRequire(new URL('../../web/package.json', import.meta.url))
const { chromium } = require('playwright-core')

export const BASE_URL = (process.env.YIYE_URL || '').replace(/\/+$/, '')
export const SHOTS = process.env.YIYE_SHOTS || ''
const EXECUTABLE = process.env.YIYE_CHROMIUM || '/usr/bin/chromium'

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync'
]

// API paths whose non-2xx answers are expected and harmless: the browser logs
// "Failed to load resource" for them, which is not a fault of the page.
// /api/v1/me answers 401 when a stale yiye_csrf cookie outlived its session
// (the UI does not ask /me at all without that cookie).
const EXPECTED_FAILURES = [/^\/api\/v1\/me$/]

// launchBrowser: a headless chromium with a fresh temporary profile. Returns
// { context, close }; close() also removes the profile directory.
export async function launchBrowser() {
  if (!BASE_URL) throw new Error('YIYE_URL is not set (run tests/browser/run.sh)')
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'yiye-chromium-'))
  let context
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: EXECUTABLE,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 900 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      baseURL: BASE_URL
    })
  } catch (err) {
    fs.rmSync(profile, { recursive: true, force: true })
    throw err
  }
  return {
    context,
    async close() {
      await context.close().catch(() => {})
      fs.rmSync(profile, { recursive: true, force: true })
    }
  }
}

// openPage: a new page that collects problems into page.problems (strings):
// console errors, uncaught page errors and CSP violations (both the console
// message chromium prints and the securitypolicyviolation DOM event, reported
// through a binding installed before any page script runs).
// options.expectedFailures: more RegExps of API paths whose non-2xx answers the
// test expects (e.g. an endpoint that may not exist yet).
export async function openPage(context, options = {}) {
  const page = await context.newPage()
  const allowed = [...EXPECTED_FAILURES, ...(options.expectedFailures || [])]
  const problems = []
  page.problems = problems

  await page.exposeBinding('__yiyeReportCsp', (_source, v) => {
    problems.push(`CSP violation: ${v.directive} blocked ${v.blocked || '(inline)'} at ${v.source || ''}:${v.line || 0}`)
  })
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__yiyeReportCsp({
        directive: e.effectiveDirective || e.violatedDirective,
        blocked: e.blockedURI,
        source: e.sourceFile,
        line: e.lineNumber
      })
    })
  })
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`))
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return
    const text = msg.text()
    if (/^Failed to load resource/.test(text)) {
      const where = msg.location() && msg.location().url
      let pathname = ''
      try {
        pathname = new URL(where).pathname
      } catch {
        pathname = ''
      }
      if (allowed.some((re) => re.test(pathname))) return
    }
    problems.push(`console error: ${text}`)
  })
  return page
}

// screenshot: save a full-page PNG under YIYE_SHOTS (when set) as NAME.png.
export async function screenshot(page, name) {
  if (!SHOTS) return
  fs.mkdirSync(SHOTS, { recursive: true })
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true, animations: 'disabled' })
}

// demoPassword: the password `yiye init --demo` gave a demo account, read from
// YIYE_DEMO_ACCOUNTS (set by run.sh). Throws when the file or account is missing.
export function demoPassword(username) {
  const file = process.env.YIYE_DEMO_ACCOUNTS || ''
  if (!file || !fs.existsSync(file)) throw new Error(`demo accounts file not found (YIYE_DEMO_ACCOUNTS=${file})`)
  const list = JSON.parse(fs.readFileSync(file, 'utf8'))
  const entry = (Array.isArray(list) ? list : list.accounts || []).find((a) => a.username === username)
  if (!entry) throw new Error(`no demo account ${username}`)
  return entry.password
}

// apiAvailable: true when METHOD PATH is a route of the running server (its
// OpenAPI document lists it). Lets a journey skip, naming the endpoint, while a
// backend piece has not landed yet.
export async function apiAvailable(method, pathname) {
  const res = await fetch(`${BASE_URL}/api/v1/openapi.json`)
  if (!res.ok) return false
  const doc = await res.json()
  const item = doc.paths && doc.paths[pathname]
  return !!(item && item[method.toLowerCase()])
}

// login: sign in through the 登录 page as a user would and wait until the header
// names the user. Returns the page's path after login.
export async function login(page, username, password) {
  await page.goto('/login')
  await page.getByRole('heading', { level: 1, name: '登录' }).waitFor()
  await page.getByRole('textbox', { name: '用户名' }).fill(username)
  await page.getByLabel('密码', { exact: true }).fill(password)
  await page.getByRole('button', { name: '登录', exact: true }).click()
  await page.getByRole('button', { name: '退出登录' }).waitFor()
  await page.waitForURL((u) => u.pathname !== '/login')
  return new URL(page.url()).pathname
}

// logout: the header's 退出登录, back to the public header.
export async function logout(page) {
  await page.getByRole('button', { name: '退出登录' }).click()
  await page.getByRole('banner').getByRole('link', { name: '登录' }).waitFor()
}

// navItems: the texts of the main navigation's entries.
export async function navItems(page) {
  const items = page.getByRole('navigation', { name: '主导航' }).getByRole('menuitem')
  return (await items.allInnerTexts()).map((t) => t.trim()).filter(Boolean)
}

// navClick: open a page from the main navigation by its menu text, opening the
// submenu (e.g. 事中事后监管) it is listed under when it is not a top-level entry.
export async function navClick(page, label, group = '事中事后监管') {
  const nav = page.getByRole('navigation', { name: '主导航' })
  const top = nav.getByRole('menuitem', { name: label, exact: true })
  if (await top.count()) return top.click()
  await nav.getByRole('menuitem', { name: group }).hover()
  await page.locator('.gov-submenu').getByRole('menuitem', { name: label, exact: true }).click()
}
