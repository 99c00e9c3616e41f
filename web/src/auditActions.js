// The Chinese name of each audit action ("session.login" → 登录).
//
// Every action the audit trail records is the audit event of a route in the
// server's route table (src/http/routes.c; the command line only records the same
// events), and the server's OpenAPI document names each operation's event
// (`x-audit-event`) next to its Chinese summary. So the names are read from there
// instead of being copied into the UI: a new route brings its own name. The
// summary is cut at its first bracket or comma ("登录（用户名 + 密码），设置…" →
// 登录); an action the document does not know is shown as it is.
import { api } from './api.js'

let pending = null

export function shortSummary(summary) {
  return String(summary || '').split(/[（(，,；;]/)[0].trim()
}

// actionsFromOpenApi: [{ action, label }] in route-table order, one per event.
export function actionsFromOpenApi(doc) {
  const out = []
  const seen = new Set()
  for (const item of Object.values((doc && doc.paths) || {})) {
    for (const op of Object.values(item || {})) {
      const action = op && op['x-audit-event']
      if (typeof action !== 'string' || !action || seen.has(action)) continue
      seen.add(action)
      out.push({ action, label: shortSummary(op.summary) || action })
    }
  }
  return out
}

// loadAuditActions: the list, fetched once per page load and shared.
export function loadAuditActions() {
  if (!pending) {
    pending = api.get('/api/v1/openapi.json').then(actionsFromOpenApi, (err) => {
      pending = null
      throw err
    })
  }
  return pending
}
