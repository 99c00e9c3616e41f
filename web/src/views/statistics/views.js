// The statistics views the dashboard shows (GET /api/v1/statistics/views/{view},
// docs/api-statistics.md) and how each is drawn. Every view answers one table
// shape: {view, title, filter, columns:[{key, label, unit?, modelled?}], rows:[…]}.
// The first column names the rows (a month, an industry, a department …); the
// chart draws the numeric columns a view prefers (`prefer`, matched against the
// column keys), else every numeric column sharing the first one's unit, so no
// chart mixes days with percentages on one axis. Columns the server marks
// `modelled` (catalog values that are modelled, not confirmed) are labelled
// 模型取值 in the legend, the tooltip and the table header.

export const VIEWS = [
  { view: 'trends', title: '按月趋势', chart: 'line', prefer: [/^applications?(_total)?$/, /submitted/, /licen[cs]es?_issued|^issued$/, /licensed/] },
  { view: 'industries', title: '行业对比', chart: 'bar', prefer: [/^applications?(_total)?$/, /licen[cs]es?_issued|^issued$/] },
  { view: 'departments', title: '部门按时办结率', chart: 'bar', prefer: [/on_time/] },
  { view: 'savings', title: '承诺与实测压减对比', chart: 'bar', prefer: [/promised/, /measured/] },
  { view: 'supervision', title: '监管覆盖', chart: 'bar', prefer: [/coverage/, /covered/] },
  { view: 'satisfaction', title: '满意度（好差评）', chart: 'bar', prefer: [/satisfied_rate/, /^ratings?$/, /count/] },
  { view: 'streets', title: '街道分布', chart: 'bar', prefer: [/^applications?(_total)?$/, /licen[cs]es?_issued|^issued$/] }
]

// The filters every view and download takes, from the dashboard's form.
export function filterQuery(f) {
  const q = {}
  if (Array.isArray(f.range) && f.range[0] && f.range[1]) {
    q.from = f.range[0]
    q.to = f.range[1]
  }
  for (const k of ['industry', 'department', 'street']) if (f[k]) q[k] = f[k]
  return q
}

export function withQuery(path, q) {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(q)) if (v !== '' && v !== undefined && v !== null) p.append(k, v)
  const s = p.toString()
  return s ? `${path}?${s}` : path
}

const isNum = (v) => typeof v === 'number' && Number.isFinite(v)

// The columns a view's chart draws: [{key,label,unit,modelled}].
export function chartColumns(spec, table) {
  const cols = (table && table.columns) || []
  const rows = (table && table.rows) || []
  const numeric = cols.slice(1).filter((c) => rows.some((r) => isNum(r[c.key])))
  const picked = []
  for (const re of spec.prefer || []) {
    for (const c of numeric) if (re.test(c.key) && !picked.includes(c)) picked.push(c)
  }
  if (picked.length) {
    const unit = picked[0].unit || ''
    return picked.filter((c) => (c.unit || '') === unit).slice(0, 4)
  }
  if (!numeric.length) return []
  const unit = numeric[0].unit || ''
  return numeric.filter((c) => (c.unit || '') === unit).slice(0, 4)
}

// A column's header: its label, its unit, and the modelled mark.
export function columnLabel(c) {
  let s = c.label || c.key
  if (c.unit) s += `（${c.unit}）`
  return s
}

// A cell for people: numbers with at most two decimals, booleans in words, the
// rest as text; null / missing as a dash.
export function formatCell(v) {
  if (v === null || v === undefined || v === '') return '—'
  if (typeof v === 'boolean') return v ? '是' : '否'
  if (isNum(v)) return Number.isInteger(v) ? String(v) : String(Math.round(v * 100) / 100)
  if (typeof v === 'object') return JSON.stringify(v)
  return String(v)
}

// A rate from the API (a share between 0 and 1) as a percentage.
export function formatRate(v) {
  if (!isNum(v)) return '—'
  return `${Math.round(v * 1000) / 10}%`
}
