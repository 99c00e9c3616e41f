// Labels shared by the supervision pages (issue 13, 双随机、一公开): what the API
// answers as codes, said in Chinese.
export const GRADES = ['A', 'B', 'C', 'D']
export const GRADE_LABELS = { A: 'A 级（低风险）', B: 'B 级（一般风险）', C: 'C 级（较高风险）', D: 'D 级（高风险）' }
export const PLAN_STATUS = { draft: '草稿', frozen: '已冻结（待抽取）', drawn: '已抽取' }
export const TASK_KINDS = { random: '随机抽取', targeted: '定向检查', follow_up: '整改复查' }
export const RESULTS = { passed: '合格', rectify: '责令整改', failed: '不合格', not_found: '未发现经营' }
export const PUBLICATION = { not_due: '未录入结果', pending: '待公示', overdue: '公示超期', published: '已公示' }

// per mille as a percentage for people: 50 → "5%"
export function perMille(v) {
  return `${(Number(v) / 10).toLocaleString('zh-CN', { maximumFractionDigits: 1 })}%`
}
