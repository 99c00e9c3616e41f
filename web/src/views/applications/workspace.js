// Where each role lands after login (its workspace), decided from the
// permissions GET /api/v1/me lists, never from role names: the window clerk (who
// accepts) → 窗口受理; a reviewer → 审查待办; an inspector → 现场核查; whoever
// reads deadlines without deciding anything (the supervisor) → 时限预警; an
// applicant (who may withdraw) → 我的申请; the issuer (who issues licenses) → 发证; everybody else → the home page.
import { may } from '../../session.js'

export function workspacePath() {
  if (may('applications.accept')) return '/window'
  if (may('applications.review')) return '/reviews'
  if (may('applications.inspect')) return '/inspections'
  if (may('deadlines.read')) return '/deadlines'
  if (may('licenses.issue')) return '/licenses/queue'
  if (may('applications.withdraw')) return '/applications'
  return '/'
}
