// Who is using the UI: the logged-in user (from GET /api/v1/me) or the public.
//
// The store is one reactive object shared by the whole app. Until accounts exist,
// /api/v1/me answers 401 or 404 and everybody is 'public'. Once it answers 200 the
// body is expected to be either {"user": null} (anonymous) or a user object such as
// {"id": 7, "name": "张三", "roles": ["reviewer"], "department": "区市场监管局"}
// (a bare user object without the "user" wrapper is accepted too).
import { reactive, readonly } from 'vue'
import { api, ApiError } from './api.js'

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

const state = reactive({
  loaded: false, // true once loadSession() has settled, whatever the answer
  user: null, // the user object from /api/v1/me, or null for the public
  roles: ['public'] // always contains 'public': a logged-in user sees public pages too
})

export const session = readonly(state)

// setUser: install a user (or null) as the current session. Unknown role names are
// kept: the route table decides what they may see, and unknown roles see nothing extra.
export function setUser(user) {
  state.user = user || null
  const roles = user && Array.isArray(user.roles) ? user.roles.filter((r) => typeof r === 'string') : []
  state.roles = Array.from(new Set([...roles, 'public']))
}

let pending = null

// loadSession: ask the server who we are, once; later calls share the first answer.
// 401 and 404 mean "public"; any other failure also falls back to public so the
// public pages keep working while the server is unwell.
export function loadSession() {
  if (!pending) {
    pending = api
      .get('/api/v1/me')
      .then((body) => {
        const user = body && typeof body === 'object' && 'user' in body ? body.user : body
        setUser(user && typeof user === 'object' ? user : null)
      })
      .catch((err) => {
        if (!(err instanceof ApiError)) throw err
        setUser(null)
      })
      .finally(() => {
        state.loaded = true
      })
  }
  return pending
}

// canSee: true when the current session holds at least one of the roles a route or
// menu entry declares. A route that declares no roles is visible to nobody: every
// route must say who sees it (default deny, as on the server).
export function canSee(roles) {
  if (!Array.isArray(roles) || roles.length === 0) return false
  return roles.some((r) => state.roles.includes(r))
}
