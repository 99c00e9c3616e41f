// How catalog data reads on the public pages: whether a value is confirmed,
// modelled or still to be confirmed, an industry's roll-out status, and a
// question followed by its answer. One place, so every page says it the same way.

// provenanceLabel: the tag shown next to a value ('' for a confirmed one).
export function provenanceLabel(status) {
  if (status === 'modelled' || status === 'modeled') return '模型取值'
  if (status === 'to_confirm') return '待确认'
  return ''
}

// isModelled: obj.modelled lists key (see docs/catalog.md, "Honest data").
export function isModelled(obj, key) {
  return !!obj && Array.isArray(obj.modelled) && obj.modelled.includes(key)
}

export const STATUS_LABELS = {
  planned: '计划实施',
  piloting: '试点实施',
  in_force: '已实施',
  suspended: '暂停实施'
}

// statusLabel: an industry's roll-out status in Chinese ('' when unknown).
export function statusLabel(status) {
  return STATUS_LABELS[status] || ''
}

// offered: the guide (一键导航) is offered for industries in force or piloting only.
export function offered(status) {
  return status === 'in_force' || status === 'piloting'
}

// withAnswer: "question：answer" without doubled punctuation ("是否销售酒类商品？：是"
// reads "是否销售酒类商品？是").
export function withAnswer(text, answer) {
  const t = String(text || '')
  if (/[？?：:。]$/.test(t)) return `${t}${answer}`
  return `${t}：${answer}`
}

// permitDays: the time limit of a permit as words; a filing (备案) with no time
// limit says so instead of showing 0.
export function permitDays(days, kind = '承诺') {
  if (days === 0 || days === null || days === undefined) return kind === '法定' ? '无审批时限（备案，当场办结）' : '当场办结'
  return `${kind} ${days} 个工作日`
}
