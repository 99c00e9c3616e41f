// What the rating pages share: the five levels of 好差评 (5 非常满意 … 1 非常不满意,
// the server's rating_level_label), the tag colour of each, and the statuses after
// which an application may be rated (办结: licensed, rejected, refused, withdrawn).
export const LEVELS = [
  { value: 5, label: '非常满意' },
  { value: 4, label: '满意' },
  { value: 3, label: '基本满意' },
  { value: 2, label: '不满意' },
  { value: 1, label: '非常不满意' }
]
export const levelType = (level) => (level >= 4 ? 'success' : level === 3 ? 'info' : 'danger')
export const COMPLETED = ['licensed', 'rejected', 'refused', 'withdrawn']
// the working days a department has to reply to a 差评 (RATING_FOLLOWUP_DAYS)
export const FOLLOWUP_DAYS = 15
