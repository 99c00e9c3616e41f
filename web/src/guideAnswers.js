// The answers of the guide (一键导航) in the page address, so a link reproduces
// the same questions and the same 一次性告知单.
//
// Each answer is one query parameter named after the question id whose value is
// the answer as JSON: ?q_alcohol=true&q_area=120&q_kind="chain"&q_goods=["a","b"].
// Booleans and numbers read naturally; strings and lists stay exact. Parameters
// that are not valid JSON are ignored (the server then asks the question again).
// Only question ids made of letters, digits and _ are read, so other parameters
// of the page cannot be mistaken for answers.
const QID = /^[A-Za-z][A-Za-z0-9_]{0,63}$/

// answersFromQuery: route.query → {qid: value}.
export function answersFromQuery(query) {
  const out = {}
  for (const [key, raw] of Object.entries(query || {})) {
    if (!QID.test(key)) continue
    const text = Array.isArray(raw) ? raw[raw.length - 1] : raw
    if (typeof text !== 'string' || text.length > 2000) continue
    try {
      const v = JSON.parse(text)
      if (v !== null && typeof v !== 'object') out[key] = v
      else if (Array.isArray(v) && v.every((e) => typeof e === 'string')) out[key] = v
    } catch {
      // not an answer
    }
  }
  return out
}

// answersToQuery: {qid: value} → query object for router.push / URLSearchParams.
export function answersToQuery(answers) {
  const q = {}
  for (const [key, v] of Object.entries(answers || {})) {
    if (v === undefined || v === null || !QID.test(key)) continue
    q[key] = JSON.stringify(v)
  }
  return q
}

// answerLabel: how an answer reads in Chinese, for the question it answers.
export function answerLabel(question, value) {
  if (value === true) return '是'
  if (value === false) return '否'
  const opts = (question && question.options) || []
  const label = (v) => (opts.find((o) => o.value === v) || {}).label || String(v)
  if (Array.isArray(value)) return value.length ? value.map(label).join('、') : '（都不是）'
  if (question && (question.type === 'choice' || question.type === 'multi')) return label(value)
  return String(value)
}

// runGuide: POST /api/v1/guide with the answers. An answer the server refuses
// because its question is no longer asked (an earlier answer changed) is dropped
// and the call repeated, so changing "是否销售酒类" to 否 quietly forgets
// "是否销售散装酒"; answers from an edited link that are not valid are dropped the
// same way. The answer to `keep` (the question just answered) is never dropped:
// its error is thrown for the form to show. Returns { result, answers } with the
// answers actually used; other errors are thrown (ApiError).
export async function runGuide(api, industry, answers, keep = '') {
  let current = { ...answers }
  for (let i = 0; i < 64; i++) {
    try {
      const result = await api.post('/api/v1/guide', { industry, answers: current })
      return { result, answers: current }
    } catch (err) {
      const m = /^answers\.(.+)$/.exec((err && err.field) || '')
      const droppable = err && ['question_not_asked', 'unknown_question', 'invalid_answer'].includes(err.code)
      if (!m || !droppable || !(m[1] in current) || m[1] === keep) throw err
      const next = { ...current }
      delete next[m[1]]
      current = next
    }
  }
  throw new Error('guide: too many refused answers')
}
