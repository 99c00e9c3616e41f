// Helpers shared by the application pages (issue 11): Chinese names for the
// workflow's codes, the raw-body material upload, the industry names, and the
// department names an application's frozen notice carries.
import { ref } from 'vue'
import { api, ApiError, readCookie } from '../../api.js'
import { listOf } from '../../format.js'

// Status names as the server labels them (status_label); used where a list or a
// task carries only the code.
export const STATUS = {
  draft: '草稿',
  submitted: '已提交待受理',
  supplement_requested: '待补正',
  refused: '不予受理',
  under_review: '审查中',
  inspection: '现场核查中',
  approved: '准予许可',
  rejected: '不予许可',
  returned: '已退回',
  withdrawn: '已撤回',
  licensed: '已发证'
}

export const STATUS_TYPE = {
  draft: 'info',
  submitted: 'primary',
  supplement_requested: 'warning',
  refused: 'danger',
  under_review: 'primary',
  inspection: 'primary',
  approved: 'success',
  rejected: 'danger',
  returned: 'warning',
  withdrawn: 'info',
  licensed: 'success'
}

export const statusLabel = (s) => STATUS[s] || s || ''

// Timeline actions (application_history.action).
export const ACTIONS = {
  create: '创建申请',
  update: '保存表单',
  commitments: '签署告知承诺',
  material_upload: '上传材料',
  material_delete: '删除材料',
  submit: '提交申请',
  accept: '窗口受理',
  refuse: '不予受理',
  'request-supplement': '一次性告知补正',
  resubmit: '补正后重新提交',
  withdraw: '撤回申请',
  review: '部门审查',
  inspection: '安排联合现场核查',
  'inspection-result': '录入现场核查结论'
}
export const actionLabel = (a) => ACTIONS[a] || ACTIONS[String(a).replace(/_/g, '-')] || a

export const TASK_KINDS = {
  acceptance: '窗口受理',
  supplement: '补正',
  review: '部门审查',
  inspection: '现场核查',
  verification: '告知承诺核查'
}

export const DEADLINE = {
  on_time: { label: '正常', type: 'success' },
  near_due: { label: '临近到期', type: 'warning' },
  overdue: { label: '已超期', type: 'danger' },
  paused: { label: '已暂停计时（补正中）', type: 'info' },
  stopped: { label: '已停止计时', type: 'info' }
}

export const DECISIONS = { approve: '准予', reject: '不予许可', send_back: '退回补充' }
export const REVIEW_STATE = { pending: '待审查', approved: '已准予', rejected: '不予许可', sent_back: '已退回', none: '无需' }
export const INSPECT_STATE = { pending: '待核查', pass: '核查通过', rectify: '限期整改', fail: '核查不通过', none: '无需现场核查' }
export const ITEM_RESULTS = { ok: '符合', not_ok: '不符合', na: '不适用' }

// Department names from the application's frozen notice ({code,name} in the
// permits and inspection departments), so no extra request is needed.
export function deptNames(app) {
  const names = {}
  const n = (app && app.notice) || {}
  for (const p of n.permits || []) if (p.department && p.department.code) names[p.department.code] = p.department.name
  for (const d of n.inspection_departments || []) if (d && d.code) names[d.code] = d.name
  return (code) => names[code] || code || ''
}

export function permitNames(app) {
  const names = {}
  for (const p of ((app && app.notice) || {}).permits || []) names[p.code] = p.name
  return (code) => names[code] || code || ''
}

// Industry names (GET /api/v1/industries), loaded once for every list.
const industries = ref(null)
let loading = null
export function useIndustryNames() {
  if (!loading) {
    loading = api
      .get('/api/v1/industries')
      .then((b) => {
        const m = {}
        for (const i of listOf(b)) m[i.code] = i.name
        industries.value = m
      })
      .catch(() => {
        industries.value = {}
        loading = null
      })
  }
  return (code) => (industries.value && industries.value[code]) || code || ''
}

// uploadMaterial: PUT the file itself as the body (the server judges the type by
// content); same credentials and CSRF header as every other call.
export async function uploadMaterial(appId, materialId, file) {
  const headers = { Accept: 'application/json', 'Content-Type': file.type || 'application/octet-stream' }
  const token = readCookie('yiye_csrf')
  if (token) headers['X-CSRF-Token'] = token
  let res
  try {
    res = await fetch(`/api/v1/applications/${appId}/materials/${encodeURIComponent(materialId)}`, {
      method: 'PUT',
      headers,
      body: file,
      credentials: 'same-origin'
    })
  } catch {
    throw new ApiError({ status: 0, code: 'network_error', message: '网络连接失败，请检查网络后重试。' })
  }
  let data = null
  try {
    data = await res.json()
  } catch {
    data = null
  }
  if (!res.ok) {
    const e = (data && data.error) || {}
    throw new ApiError({ status: res.status, code: e.code || `http_${res.status}`, message: e.message, field: e.field, details: e })
  }
  return data
}

// The application's address for the role at hand.
export const appLink = (id) => `/applications/${id}`

// 免于提交 (docs/api-sharing.md): the materials the platform really obtained
// by sharing (from the entity register), by material id; every other exempt
// material is checked by the approving department, and the UI says so.
export function sharedMaterials(app) {
  return new Map(((app && app.shared_materials) || []).map((s) => [s.material_id, s]))
}
// The form fields the entity register pre-filled (ids).
export function registerFields(app) {
  const out = new Set()
  for (const s of (app && app.shared_materials) || []) for (const f of (s.record && s.record.fields) || []) out.add(f)
  return out
}

// myDepartment: the code of the department the session acts for here — the
// application's department_view, else the account's department (GET /api/v1/me
// gives it as {code,name}).
export function myDepartment(app, user) {
  if (app && app.department_view) return app.department_view
  const d = user && user.department
  return (d && typeof d === 'object' ? d.code : d) || ''
}
