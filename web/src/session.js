// Who is using the UI: the logged-in user (from GET /api/v1/me) or the public.
//
// The store is one reactive object shared by the whole app. GET /api/v1/me answers
// 200 {id, username, display_name, roles, department, must_change_password,
// permissions, auth} for a session and 401 without one. A browser without the CSRF
// cookie `yiye_csrf` (set together with the session cookie at login) has no
// session, so /me is not asked at all: the public never sees a failed request in
// the console.
//
// What the user may do comes from the server: `permissions` lists the named
// permissions of the route table (src/core/roles.c) the user holds, and pages
// are gated by those names (`may`), never by role lists copied into the UI.
// Besides the server's names, `may` knows the route table's pseudo-permissions:
//   public        – everybody, logged in or not;
//   authenticated – any logged-in user;
//   anonymous     – only visitors who are not logged in (注册).
import { reactive, readonly } from 'vue'
import { api, ApiError, readCookie } from './api.js'

export const ROLES = {
  applicant: '申请人',
  window_clerk: '窗口受理人员',
  reviewer: '部门审核人员',
  inspector: '执法检查人员',
  issuer: '制证人员',
  supervisor: '监管人员',
  catalog_admin: '目录管理员',
  system_admin: '系统管理员',
  auditor: '审计人员',
  public: '公众'
}

// The roles an account can hold (the pseudo-role public is not assignable).
export const ACCOUNT_ROLES = [
  'applicant',
  'window_clerk',
  'reviewer',
  'inspector',
  'issuer',
  'supervisor',
  'catalog_admin',
  'system_admin',
  'auditor'
]

const state = reactive({
  loaded: false, // true once loadSession() has settled, whatever the answer
  user: null, // the user object from /api/v1/me, or null for the public
  roles: [], // the user's roles (for display: names in the header and 我的账户)
  permissions: [] // the server's permission names the user holds
})

export const session = readonly(state)

const strings = (v) => (Array.isArray(v) ? v.filter((x) => typeof x === 'string') : [])

// setUser: install a user (or null) as the current session.
export function setUser(user) {
  state.user = user && typeof user === 'object' ? user : null
  state.roles = state.user ? strings(state.user.roles) : []
  state.permissions = state.user ? strings(state.user.permissions) : []
}

// displayName: how the header and pages name a user object.
export function displayName(user) {
  if (!user) return ''
  return user.display_name || user.name || user.username || ''
}

// mustChangePassword: the account was given a password by someone else (or the
// demo set-up) and must choose its own before using anything else.
export function mustChangePassword() {
  return !!(state.user && state.user.must_change_password)
}

let pending = null

// fetchMe: ask the server who we are. 401/403/404 mean "public"; any other API
// failure also falls back to public so the public pages keep working while the
// server is unwell. Without the CSRF cookie there is no session to ask about.
async function fetchMe() {
  if (!readCookie('yiye_csrf')) {
    setUser(null)
    return
  }
  try {
    setUser(await api.get('/api/v1/me'))
  } catch (err) {
    if (!(err instanceof ApiError)) throw err
    setUser(null)
  }
}

// loadSession: the first call asks the server; later calls share that answer.
export function loadSession() {
  if (!pending) {
    pending = fetchMe().finally(() => {
      state.loaded = true
    })
  }
  return pending
}

// refreshSession: ask again (after login, password change, or a 401).
export function refreshSession() {
  pending = fetchMe().finally(() => {
    state.loaded = true
  })
  return pending
}

// login: POST /api/v1/session, then refresh from /me (which carries the
// permissions). Throws ApiError (401 wrong credentials, 429 throttled, 400 with
// field) for the form to show.
export async function login(username, password) {
  await api.post('/api/v1/session', { username, password })
  await refreshSession()
  return state.user
}

// logout: DELETE /api/v1/session; the local session is dropped whatever the answer.
export async function logout() {
  try {
    await api.del('/api/v1/session')
  } catch {
    // the session may already have expired: nothing to undo
  }
  setUser(null)
  pending = Promise.resolve()
}

// may: true when the current session holds `permission` (a name of the server's
// permission table, or one of the pseudo-permissions above). No permission means
// nobody: every page must say who sees it (default deny, as on the server).
export function may(permission) {
  if (typeof permission !== 'string' || !permission) return false
  if (permission === 'public') return true
  if (permission === 'anonymous') return !state.user
  if (permission === 'authenticated') return !!state.user
  return state.permissions.includes(permission)
}
