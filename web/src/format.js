// Display helpers shared by the pages.

// formatTime: a timestamp from the API (unix seconds, unix milliseconds or an
// ISO 8601 string) as "YYYY-MM-DD HH:mm" in Shanghai time; '' for none.
export function formatTime(v) {
  if (v === null || v === undefined || v === '') return ''
  let d
  if (typeof v === 'number') d = new Date(v < 1e12 ? v * 1000 : v)
  else d = new Date(v)
  if (Number.isNaN(d.getTime())) return String(v)
  const parts = new Intl.DateTimeFormat('zh-CN', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false
  }).formatToParts(d)
  const get = (t) => (parts.find((p) => p.type === t) || {}).value || ''
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`
}

// deptLabel: a department as the API gives it ({code,name}, a code, or null).
export function deptLabel(d) {
  if (!d) return ''
  if (typeof d === 'object') return d.name || d.code || ''
  return String(d)
}

// listOf: the rows of a list answer. Every list the server answers has one shape,
// {"items":[…],"total":N,…} (docs/development.md); anything else is a fault,
// reported like a failed request rather than shown as an empty list.
export function listOf(body) {
  if (body && typeof body === 'object' && Array.isArray(body.items)) return body.items
  throw new Error('服务暂不可用：返回的数据格式不符，请稍后重试。')
}

// unavailable: the Chinese message for a failed load; a bare 404 (a route the
// server does not offer yet, so no error body) reads as "service unavailable".
export function unavailable(err, what) {
  if (err && err.status === 404 && err.code === 'http_404') {
    return `服务暂不可用：${what}服务尚未开通，请稍后再试。`
  }
  return (err && err.message) || '服务暂不可用，请稍后重试。'
}
