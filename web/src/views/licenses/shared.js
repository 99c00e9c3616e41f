// What the license pages share: the Chinese names of statuses, hand-over methods,
// ID types and lifecycle kinds, and the tag colour of each status.
export const LICENSE_STATUS = {
  valid: '有效',
  suspended: '暂停',
  revoked: '撤销',
  cancelled: '注销',
  expired: '过期',
  superseded: '已被新版本替代'
}
export const LICENSE_STATUS_TYPE = {
  valid: 'success',
  suspended: 'warning',
  revoked: 'danger',
  cancelled: 'info',
  expired: 'info',
  superseded: 'info'
}
export const HANDOVER_METHOD = { window: '窗口领取', post: '邮寄送达', electronic: '仅电子证照' }
export const ID_TYPES = {
  idcard: '居民身份证',
  passport: '护照',
  hk_macao_permit: '港澳居民来往内地通行证',
  taiwan_permit: '台湾居民来往大陆通行证',
  other: '其他证件'
}
// 变更/延续/注销/补办: created as applications with kind + license
// (POST /api/v1/applications; the workflow of each kind is the server's).
export const LIFECYCLE = {
  change: { label: '变更', hint: '名称、法定代表人、经营场所地址或许可事项变化时申请变更；地址变更需重新现场核查。' },
  extend: { label: '延续', hint: '有效期届满前，在目录规定的延续申请期内申请延续。' },
  cancel: { label: '注销', hint: '不再从事该行业经营时申请注销许可证。' },
  reissue: { label: '补办', hint: '许可证遗失或损毁时申请补办，补发后原版本失效。' }
}
export const statusLabel = (s) => LICENSE_STATUS[s] || s || '—'
export const permitNames = (l) => ((l && l.permits) || []).map((p) => (typeof p === 'string' ? p : p.name)).join('、')
export const licensePath = (n) => `/licenses/${encodeURIComponent(n)}`
