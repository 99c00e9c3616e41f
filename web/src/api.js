// The one way the UI talks to the Yiye JSON API.
//
// Every call goes through request(): same-origin credentials (the session cookie),
// JSON in and out, and the CSRF header on state-changing methods. A non-2xx answer
// becomes an ApiError carrying the server's {"error":{"code","message","field"}},
// so a form can show the Chinese message next to the field named by `field`.
// Nothing here logs request or response bodies: some of them carry personal data.

const CSRF_COOKIE = 'yiye_csrf'
const CSRF_HEADER = 'X-CSRF-Token'
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

// Messages used when the server did not send its own error body (proxy error,
// server not yet offering the endpoint, network down).
const STATUS_MESSAGES = {
  400: '请求内容有误，请检查后重试。',
  401: '请先登录。',
  403: '您没有权限执行此操作。',
  404: '服务暂不可用：未找到所请求的资源。',
  409: '数据已被他人修改，请刷新后重试。',
  413: '提交的内容过大。',
  429: '请求过于频繁，请稍后再试。',
  500: '服务器内部错误，请稍后重试。',
  502: '服务暂不可用，请稍后重试。',
  503: '服务暂不可用，请稍后重试。',
  504: '服务响应超时，请稍后重试。'
}

// ApiError: what every failed call throws. `status` is the HTTP status (0 when the
// request never reached the server), `code` the stable English code, `message` the
// Chinese text for the user, `field` the JSON path of the input at fault ('' if none),
// `details` the whole error object of the answer ({} if none) for errors that carry
// more, e.g. catalog_invalid's {problems:[…], problems_total}.
export class ApiError extends Error {
  constructor({ status = 0, code = 'unknown_error', message, field = '', details = {} } = {}) {
    super(message || STATUS_MESSAGES[status] || '请求失败，请稍后重试。')
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.field = field || ''
    this.details = details || {}
  }
}

// readCookie: the value of one cookie of this origin, or '' when absent.
export function readCookie(name) {
  const prefix = name + '='
  for (const part of document.cookie ? document.cookie.split(';') : []) {
    const item = part.trim()
    if (item.startsWith(prefix)) return decodeURIComponent(item.slice(prefix.length))
  }
  return ''
}

// buildUrl: path plus query parameters; undefined, null and '' values are left out
// so an empty search box does not send `q=`.
function buildUrl(path, query) {
  if (!query) return path
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue
    params.append(key, String(value))
  }
  const text = params.toString()
  return text ? `${path}${path.includes('?') ? '&' : '?'}${text}` : path
}

// request: perform one API call and return the parsed JSON body (or null for an
// empty body). Throws ApiError on network failure or any non-2xx status.
// options: { query, body, signal, headers }.
export async function request(method, path, options = {}) {
  const upper = method.toUpperCase()
  const headers = { Accept: 'application/json', ...(options.headers || {}) }
  const init = { method: upper, headers, credentials: 'same-origin', signal: options.signal }
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json'
    init.body = JSON.stringify(options.body)
  }
  if (!SAFE_METHODS.has(upper)) {
    const token = readCookie(CSRF_COOKIE)
    if (token) headers[CSRF_HEADER] = token
  }

  let response
  try {
    response = await fetch(buildUrl(path, options.query), init)
  } catch (err) {
    if (err && err.name === 'AbortError') throw err
    throw new ApiError({ status: 0, code: 'network_error', message: '网络连接失败，请检查网络后重试。' })
  }

  const text = await response.text()
  let data = null
  if (text) {
    try {
      data = JSON.parse(text)
    } catch {
      data = undefined // not JSON: handled below
    }
  }

  if (!response.ok) {
    const e = data && typeof data === 'object' && data.error && typeof data.error === 'object' ? data.error : {}
    throw new ApiError({
      status: response.status,
      code: typeof e.code === 'string' && e.code ? e.code : `http_${response.status}`,
      message: typeof e.message === 'string' && e.message ? e.message : STATUS_MESSAGES[response.status],
      field: typeof e.field === 'string' ? e.field : '',
      details: e
    })
  }
  if (data === undefined) {
    throw new ApiError({ status: response.status, code: 'bad_response', message: '服务器返回的数据格式有误。' })
  }
  return data
}

export const api = {
  get: (path, query, options = {}) => request('GET', path, { ...options, query }),
  post: (path, body, options = {}) => request('POST', path, { ...options, body }),
  put: (path, body, options = {}) => request('PUT', path, { ...options, body }),
  patch: (path, body, options = {}) => request('PATCH', path, { ...options, body }),
  del: (path, options = {}) => request('DELETE', path, options)
}

// fieldErrors: turn an ApiError into { fieldName: message } for a form whose inputs
// are named after the API's JSON fields ("value", "items[0].name" …). An error with
// no field, or a field the form does not have, lands under '' (the form-level alert).
export function fieldErrors(err, knownFields = []) {
  if (!(err instanceof ApiError)) return { '': '操作失败，请稍后重试。' }
  const field = err.field && knownFields.includes(err.field) ? err.field : ''
  return { [field]: err.message }
}
