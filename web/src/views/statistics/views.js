// The statistics views the dashboard shows (GET /api/v1/statistics/views/{view},
// docs/api-statistics.md) and how each is drawn. Every view answers one table
// shape: {view, title, filter, columns:[{key, label, unit?, modelled?}], rows:[…]}.
// The rows are named by the column `name` (else `label`, else the first: a month).
// A chart draws, as series, the columns a view prefers (`prefer`, exact keys),
// else every numeric column sharing the first one's unit, so no chart mixes days
// with counts on one axis; `relative` draws each value as a share of the row's
// `relative` column (= 100) — the savings, whose rows are measures in different
// units; `figures` draws the rows of a figure table whose key starts with it (the
// coverage rates of the supervision view). Shares (unit 比例, 0..1) are shown as
// percentages. Columns the server marks `modelled` (catalog values that are
// modelled, not confirmed) are labelled 模型取值. The monthly report
// (src/render/render_report.c) draws its charts by the same rules.

export const VIEWS = [
  { view: 'trends', title: '按月趋势', chart: 'line', prefer: ['applications', 'licensed'] },
  { view: 'industries', title: '行业对比', chart: 'bar', prefer: ['applications', 'licensed'] },
  { view: 'departments', title: '部门按时办结率', chart: 'bar', prefer: ['on_time_rate'] },
  { view: 'savings', title: '承诺与实测对比（以改革前为 100）', chart: 'bar', prefer: ['before', 'promised', 'measured'], relative: 'before' },
  { view: 'supervision', title: '监管覆盖（按信用等级）', chart: 'bar', figures: 'coverage.', seriesLabel: '检查覆盖率' },
  { view: 'satisfaction', title: '满意度（好差评）', chart: 'bar', prefer: ['count'] },
  { view: 'streets', title: '街道对比', chart: 'bar', prefer: ['applications', 'licensed'] }
]

export const SHARE = '比例' // the unit of shares between 0 and 1

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

// The key of the column naming a table's rows.
export function categoryKey(table) {
  const cols = (table && table.columns) || []
  const named = cols.find((c) => c.key === 'name') || cols.find((c) => c.key === 'label')
  return named ? named.key : cols[0] ? cols[0].key : null
}

// A view as a chart: { categories: [..], unit, series: [{ label, modelled,
// values: [drawn number|null], texts: [printed] }] }; series is empty when there
// is nothing to draw.
export function chartData(spec, table) {
  const cols = (table && table.columns) || []
  const all = (table && table.rows) || []
  const cat = categoryKey(table)
  const out = { categories: [], unit: '', series: [] }
  if (!cat) return out
  if (spec.figures) {
    const rows = all.filter((r) => typeof r.key === 'string' && r.key.startsWith(spec.figures))
    if (!rows.length) return out
    out.categories = rows.map((r) => formatCell(r[cat]))
    out.unit = rows[0].unit === SHARE ? '%' : rows[0].unit || ''
    out.series = [
      {
        label: spec.seriesLabel || '数值',
        modelled: false,
        values: rows.map((r) => (isNum(r.value) ? (r.unit === SHARE ? r.value * 100 : r.value) : null)),
        texts: rows.map((r) => formatCell(r.value, r.unit))
      }
    ]
    return out
  }
  const numeric = cols.filter((c) => c.key !== cat && all.some((r) => isNum(r[c.key])))
  let picked = (spec.prefer || []).map((k) => numeric.find((c) => c.key === k)).filter(Boolean)
  if (!picked.length && !spec.relative) {
    const unit = numeric.length ? numeric[0].unit || '' : ''
    picked = numeric.filter((c) => (c.unit || '') === unit)
  }
  picked = picked.slice(0, 4)
  if (!picked.length || (spec.relative && picked.length < 2)) return out
  out.categories = all.map((r) => formatCell(r[cat]))
  out.unit = spec.relative ? '改革前 = 100' : picked[0].unit === SHARE ? '%' : picked[0].unit || ''
  out.series = picked.map((c) => ({
    label: c.modelled ? `${c.label || c.key}（模型取值）` : c.label || c.key,
    modelled: !!c.modelled,
    values: all.map((r) => {
      const v = r[c.key]
      if (!isNum(v)) return null
      if (spec.relative) {
        const base = r[spec.relative]
        return isNum(base) && base > 0 ? Math.round((v / base) * 1000) / 10 : null
      }
      return c.unit === SHARE ? Math.round(v * 1000) / 10 : v
    }),
    texts: all.map((r) => formatCell(r[c.key], c.unit) + (spec.relative && r.unit ? ` ${r.unit}` : ''))
  }))
  return out
}

// A column's header: its label and its unit (shares as %).
export function columnLabel(c) {
  let s = c.label || c.key
  if (c.unit) s += `（${c.unit === SHARE ? '%' : c.unit}）`
  return s
}

// A cell for people: shares as percentages with one decimal, other numbers with
// at most two decimals, booleans in words, the rest as text; null as a dash.
export function formatCell(v, unit) {
  if (v === null || v === undefined || v === '') return '—'
  if (typeof v === 'boolean') return v ? '是' : '否'
  if (isNum(v) && unit === SHARE) return formatRate(v)
  if (isNum(v)) return Number.isInteger(v) ? String(v) : String(Math.round(v * 100) / 100)
  if (typeof v === 'object') return JSON.stringify(v)
  return String(v)
}

// A share from the API (between 0 and 1) as a percentage with one decimal.
export function formatRate(v) {
  if (!isNum(v)) return '—'
  return `${(v * 100).toFixed(1)}%`
}
