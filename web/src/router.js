// The page table of the UI: every page is one entry in `routes`.
//
// Each route declares in `meta`:
//   title  – the page title (document title, breadcrumb, menu text unless navLabel);
//   permission – who may open it: a permission name of the server's permission
//            table (src/core/roles.c, the `x-permission` of the API routes the page
//            calls), held by the user according to GET /api/v1/me, or one of the
//            pseudo-permissions 'public' (everybody), 'authenticated' (any
//            logged-in user), 'anonymous' (only visitors not logged in);
//   nav    – true to list it in the main navigation (in the order of this table);
//   navLabel – optional shorter text for the menu;
//   navGroup – optional submenu the entry is listed under (NAV_GROUPS), so a role
//            with many pages keeps a menu that fits 1366 px;
//   navParent – the menu entry highlighted for a page that is not in the menu;
//   passwordChange – the page stays reachable while the password must be changed.
// The navigation (layouts/GovLayout.vue) and the access guard below are both built
// from this one table, so a page cannot be shown in the menu to a role that the
// guard would refuse. The server checks permissions again on every API call: the
// guard only keeps the UI tidy, it is not the security boundary.
import { createRouter, createWebHistory } from 'vue-router'
import { loadSession, may, mustChangePassword, session } from './session.js'
import { workspacePath } from './views/applications/workspace.js'

export const SITE_NAME = '徐汇区“一业一证”综合许可平台'

// The submenus of the main navigation: navGroup key → the submenu's text. A group
// a session sees only one page of is shown as that page alone.
export const NAV_GROUPS = { supervision: '事中事后监管' }

// stats-ratings: the rating pages share one chunk (views/ratings/pages.js)
const ratingsPage = (name) => () => import('./views/ratings/pages.js').then((m) => m[name])

export const routes = [
  {
    path: '/',
    name: 'home',
    component: () => import('./views/HomeView.vue'),
    meta: { title: '首页', permission: 'public', nav: true }
  },
  {
    path: '/industries',
    name: 'industries',
    component: () => import('./views/IndustriesView.vue'),
    meta: { title: '行业目录', permission: 'public', nav: true }
  },
  {
    path: '/industries/:code',
    name: 'industry',
    component: () => import('./views/IndustryView.vue'),
    meta: { title: '行业办事指南', permission: 'public', nav: false, navParent: '/industries' }
  },
  {
    path: '/guide',
    name: 'guide',
    component: () => import('./views/GuideView.vue'),
    meta: { title: '办事指南', permission: 'public', nav: true }
  },
  {
    path: '/guide/:code',
    name: 'guide-wizard',
    component: () => import('./views/GuideWizardView.vue'),
    meta: { title: '一键导航', permission: 'public', nav: false, navParent: '/industries' }
  },
  {
    path: '/notice/:code',
    name: 'notice',
    component: () => import('./views/NoticeView.vue'),
    meta: { title: '一次性告知单', permission: 'public', nav: false, navParent: '/industries' }
  },
  {
    path: '/tools',
    name: 'tools',
    component: () => import('./views/ToolsView.vue'),
    meta: { title: '证照号码校验与工作日计算', navLabel: '便民工具', permission: 'public', nav: true }
  },
  // applications (issue 11): the workspaces, one application, notifications
  {
    path: '/applications',
    name: 'my-applications',
    component: () => import('./views/applications/MyApplicationsView.vue'),
    meta: { title: '我的申请', permission: 'applications.withdraw', nav: true }
  },
  {
    path: '/applications/new/:code',
    name: 'application-new',
    component: () => import('./views/applications/NewApplicationView.vue'),
    meta: { title: '在线申请', permission: 'applications.create', nav: false, navParent: '/applications' }
  },
  {
    path: '/applications/:id(\\d+)',
    name: 'application',
    component: () => import('./views/applications/ApplicationView.vue'),
    meta: { title: '申请详情', permission: 'applications.read', nav: false, navParent: '/applications' }
  },
  {
    path: '/window',
    name: 'window',
    component: () => import('./views/applications/WindowInboxView.vue'),
    meta: { title: '窗口受理', permission: 'applications.accept', nav: true }
  },
  {
    path: '/reviews',
    name: 'reviews',
    component: () => import('./views/applications/TaskInboxView.vue'),
    meta: { title: '审查待办', permission: 'applications.review', nav: true, kind: 'review' }
  },
  {
    path: '/inspections',
    name: 'inspections',
    component: () => import('./views/applications/TaskInboxView.vue'),
    meta: { title: '现场核查', permission: 'applications.inspect', nav: true, kind: 'inspection' }
  },
  {
    path: '/deadlines',
    name: 'deadlines',
    component: () => import('./views/applications/DeadlinesView.vue'),
    meta: { title: '时限预警', permission: 'deadlines.read', nav: true }
  },
  {
    path: '/notifications',
    name: 'notifications',
    component: () => import('./views/applications/NotificationsView.vue'),
    meta: { title: '消息', permission: 'notifications.read', nav: false }
  },
  // licenses (issue 12): issuing, the license page, hand-over, 亮证, verification, disclosure
  {
    path: '/licenses/queue',
    name: 'license-queue',
    component: () => import('./views/licenses/IssuerQueueView.vue'),
    meta: { title: '发证', permission: 'licenses.issue', nav: true }
  },
  {
    path: '/licenses',
    name: 'licenses',
    component: () => import('./views/licenses/LicensesView.vue'),
    meta: { title: '许可证', navLabel: '许可证', permission: 'licenses.read', nav: true }
  },
  {
    path: '/licenses/:number',
    name: 'license',
    component: () => import('./views/licenses/LicenseView.vue'),
    meta: { title: '许可证详情', permission: 'licenses.read', nav: false, navParent: '/licenses' }
  },
  {
    path: '/v/:number',
    name: 'verify',
    component: () => import('./views/licenses/VerifyView.vue'),
    meta: { title: '许可证核验', permission: 'public', nav: false }
  },
  {
    path: '/show/:number',
    name: 'show',
    component: () => import('./views/licenses/ShowView.vue'),
    meta: { title: '亮证', permission: 'public', nav: false }
  },
  {
    path: '/disclosure',
    name: 'disclosure',
    component: () => import('./views/licenses/DisclosureView.vue'),
    meta: { title: '行政许可信息公示', navLabel: '许可公示', permission: 'public', nav: false, navParent: '/public' }
  },
  {
    // the one public menu entry for every public disclosure page (许可公示,
    // 抽查公示, 行政处罚公示, 经营异常名录, 抽查事项清单, 投诉举报): the menu stays
    // short for every role (tests/browser/accounts-nav, phone-print)
    path: '/public',
    name: 'public',
    component: () => import('./views/PublicView.vue'),
    meta: { title: '信息公开', permission: 'public', nav: true }
  },
  {
    // after login: each role's own workspace (views/applications/workspace.js)
    path: '/workspace',
    name: 'workspace',
    component: () => import('./views/HomeView.vue'),
    beforeEnter: () => workspacePath(),
    meta: { title: '工作台', permission: 'authenticated', nav: false }
  },
  // sup-plans (issue 13): spot-check plans, draws, check tasks, public draw records and results
  {
    path: '/supervision/plans',
    name: 'spot-plans',
    component: () => import('./views/supervision/PlanListView.vue'),
    meta: { title: '双随机抽查计划', navLabel: '抽查计划', permission: 'supervision.plans', nav: true, navGroup: 'supervision' }
  },
  {
    path: '/supervision/plans/new',
    name: 'spot-plan-new',
    component: () => import('./views/supervision/PlanWizardView.vue'),
    meta: { title: '新建抽查计划', permission: 'supervision.plans', nav: false, navParent: '/supervision/plans' }
  },
  {
    path: '/supervision/plans/:id(\\d+)',
    name: 'spot-plan',
    component: () => import('./views/supervision/PlanDetailView.vue'),
    meta: { title: '抽查计划', permission: 'supervision.plans', nav: false, navParent: '/supervision/plans' }
  },
  {
    path: '/supervision/results',
    name: 'check-results',
    component: () => import('./views/supervision/CheckResultsView.vue'),
    meta: { title: '检查结果公示', navLabel: '结果公示', permission: 'supervision.plans', nav: true, navGroup: 'supervision' }
  },
  {
    path: '/supervision/checks',
    name: 'my-checks',
    component: () => import('./views/supervision/MyChecksView.vue'),
    meta: { title: '我的检查任务', navLabel: '检查任务', permission: 'supervision.check', nav: true, navGroup: 'supervision' }
  },
  {
    path: '/supervision/checks/:id(\\d+)',
    name: 'check-result',
    component: () => import('./views/supervision/CheckResultView.vue'),
    meta: { title: '检查结果录入', permission: 'supervision.tasks', nav: false, navParent: '/supervision/checks' }
  },
  {
    path: '/public/draws',
    name: 'public-draws',
    component: () => import('./views/supervision/PublicDrawsView.vue'),
    // not in the menu itself: listed on 信息公开 (/public), linked from the plan
    // pages, the public draw pages and the credit pages' 公示信息
    meta: { title: '双随机抽查公示', navLabel: '抽查公示', permission: 'public', nav: false, navParent: '/public' }
  },
  {
    path: '/public/draws/:id(\\d+)',
    name: 'public-draw',
    component: () => import('./views/supervision/PublicDrawView.vue'),
    meta: { title: '抽取记录', permission: 'public', nav: false, navParent: '/public/draws' }
  },
  // supervision (issue 13, sup-core): the registers 一单两库
  {
    path: '/supervision/check-items',
    name: 'supervision-check-items',
    component: () => import('./views/supervision/CheckItemsRegisterView.vue'),
    // not in the menu itself: listed on 信息公开 (/public), linked from the registers
    meta: { title: '随机抽查事项清单', navLabel: '抽查事项', permission: 'public', nav: false, navParent: '/public' }
  },
  {
    path: '/supervision/entities',
    name: 'supervision-entities',
    component: () => import('./views/supervision/EntityRegisterView.vue'),
    meta: { title: '检查对象名录库', navLabel: '检查对象', permission: 'supervision.registers', nav: true, navGroup: 'supervision' }
  },
  {
    path: '/supervision/inspectors',
    name: 'supervision-inspectors',
    component: () => import('./views/supervision/InspectorRegisterView.vue'),
    meta: { title: '执法检查人员名录库', navLabel: '检查人员', permission: 'supervision.registers', nav: true, navGroup: 'supervision' }
  },
  {
    path: '/supervision/conflicts',
    name: 'supervision-conflicts',
    component: () => import('./views/supervision/ConflictsRegisterView.vue'),
    // not in the menu (its width: tests/browser/phone-print); linked from 执法检查人员名录库
    meta: { title: '利害关系申报', navLabel: '回避申报', permission: 'supervision.conflicts.read', nav: false, navParent: '/supervision/inspectors' }
  },
  // sup-credit (issue 13 points 5–8): credit pages, penalties, annual reports,
  // the abnormal list
  {
    path: '/supervision/credit',
    name: 'supervision-credit',
    component: () => import('./views/supervision/CreditView.vue'),
    meta: { title: '信用监管', permission: 'credit.manage', nav: true, navGroup: 'supervision' }
  },
  {
    path: '/supervision/penalties/new',
    name: 'penalty-new',
    component: () => import('./views/supervision/PenaltyFormView.vue'),
    meta: { title: '登记行政处罚决定', navLabel: '行政处罚', permission: 'penalties.decide', nav: true, navGroup: 'supervision' }
  },
  {
    path: '/verifications',
    name: 'verifications',
    component: () => import('./views/supervision/VerificationsView.vue'),
    meta: { title: '承诺核查', permission: 'verification.record', nav: true, navGroup: 'supervision' }
  },
  {
    path: '/my-credit',
    name: 'my-credit',
    component: () => import('./views/supervision/CreditView.vue'),
    meta: { title: '我的信用', navLabel: '信用', permission: 'annual_reports.file', nav: true, mine: true }
  },
  {
    path: '/annual-report',
    name: 'annual-report',
    component: () => import('./views/supervision/AnnualReportView.vue'),
    meta: { title: '年度报告', permission: 'annual_reports.file', nav: true }
  },
  {
    path: '/public/penalties',
    name: 'public-penalties',
    component: () => import('./views/supervision/PenaltiesView.vue'),
    meta: { title: '行政处罚公示', permission: 'public', nav: false, navParent: '/public' }
  },
  {
    path: '/public/abnormal-list',
    name: 'public-abnormal-list',
    component: () => import('./views/supervision/AbnormalListView.vue'),
    meta: { title: '经营异常名录', permission: 'public', nav: false, navParent: '/public' }
  },
  // stats-ui (issue 15): the statistics dashboards and the monthly report
  {
    path: '/statistics',
    name: 'statistics',
    component: () => import('./views/statistics/StatisticsView.vue'),
    meta: { title: '统计分析', navLabel: '统计', permission: 'statistics.read', nav: true }
  },
  {
    path: '/catalog/versions',
    name: 'catalog-versions',
    component: () => import('./views/catalog/VersionsView.vue'),
    meta: { title: '目录版本管理', navLabel: '目录版本', permission: 'catalog.manage', nav: true }
  },
  {
    path: '/catalog/proposals',
    name: 'catalog-proposals',
    component: () => import('./views/catalog/ProposalsView.vue'),
    meta: { title: '目录调整建议', navLabel: '调整建议', permission: 'catalog.propose', nav: true }
  },
  {
    path: '/admin/users',
    name: 'admin-users',
    component: () => import('./views/admin/UsersView.vue'),
    meta: { title: '用户管理', permission: 'users.manage', nav: true }
  },
  {
    path: '/admin/departments',
    name: 'admin-departments',
    component: () => import('./views/admin/DepartmentsView.vue'),
    meta: { title: '部门管理', permission: 'departments.manage', nav: true }
  },
  {
    path: '/admin/tokens',
    name: 'admin-tokens',
    component: () => import('./views/admin/TokensView.vue'),
    meta: { title: '接口令牌', permission: 'tokens.manage', nav: true }
  },
  // share-reads (issue 14): the shared-read access log, for the auditor, the
  // system administrator and supervisors; listed under 事中事后监管, which each
  // of them already has, so no role's menu grows (1366 px)
  {
    path: '/sharing/access-log',
    name: 'sharing-access-log',
    component: () => import('./views/sharing/AccessLogView.vue'),
    meta: { title: '共享访问日志', navLabel: '共享日志', permission: 'sharing.log', nav: true, navGroup: 'supervision' }
  },
  {
    path: '/audit',
    name: 'audit',
    component: () => import('./views/AuditView.vue'),
    meta: { title: '审计日志', permission: 'audit.read', nav: true }
  },
  // share-events: event subscriptions and their delivery history (issue 14);
  // a short menu text: the administrator's menu fills 1366 px
  {
    path: '/admin/subscriptions',
    name: 'admin-subscriptions',
    component: () => import('./views/admin/SubscriptionsView.vue'),
    meta: { title: '事件订阅', navLabel: '订阅', permission: 'subscriptions.manage', nav: true }
  },
  // sup-complaints: complaints and reports (public form, ticket lookup,
  // handling queue) and risk signals (issue 13)
  {
    path: '/complaints/new',
    name: 'complaint-form',
    component: () => import('./views/supervision/ComplaintFormView.vue'),
    // listed on 信息公开 (/public) like the other public pages of issue 13;
    // linked from 投诉举报查询 and the public verify page
    meta: { title: '投诉举报', permission: 'public', nav: false, navParent: '/public' }
  },
  {
    path: '/complaints/lookup',
    name: 'complaint-lookup',
    component: () => import('./views/supervision/ComplaintLookupView.vue'),
    meta: { title: '投诉举报查询', permission: 'public', nav: false, navParent: '/public' }
  },
  {
    path: '/supervision/complaints',
    name: 'supervision-complaints',
    component: () => import('./views/supervision/ComplaintsView.vue'),
    meta: { title: '投诉举报处理', permission: 'complaints.read', nav: true, navGroup: 'supervision' }
  },
  {
    path: '/supervision/risk',
    name: 'supervision-risk',
    component: () => import('./views/supervision/RiskView.vue'),
    meta: { title: '风险提示', permission: 'risk.read', nav: true, navGroup: 'supervision' }
  },
  // stats-ratings (issue 15): 好差评 for staff (差评整改 and 典型案例 as tabs,
  // ?tab=cases) and the public 典型案例 (listed on 信息公开; /:id one case). One
  // chunk and two rows, so the first load of every page stays within its budget
  // (tests/browser/first-load).
  { path: '/ratings', component: ratingsPage('RatingsView'), meta: { title: '好差评', permission: 'typical_cases.read', nav: true } },
  { path: '/public/typical-cases/:id(\\d+)?', component: ratingsPage('PublicCasesView'), meta: { title: '典型案例', permission: 'public', nav: false, navParent: '/public' } },
  {
    path: '/login',
    name: 'login',
    component: () => import('./views/LoginView.vue'),
    meta: { title: '登录', permission: 'public', nav: false }
  },
  {
    path: '/register',
    name: 'register',
    component: () => import('./views/RegisterView.vue'),
    meta: { title: '申请人注册', permission: 'anonymous', nav: false }
  },
  {
    path: '/account',
    name: 'account',
    component: () => import('./views/AccountView.vue'),
    meta: { title: '我的账户', permission: 'authenticated', nav: false, passwordChange: true }
  },
  {
    path: '/:pathMatch(.*)*',
    name: 'not-found',
    component: () => import('./views/NotFoundView.vue'),
    meta: { title: '页面不存在', permission: 'public', nav: false }
  }
]

// navRoutes: the routes the current session may see in the main navigation.
export function navRoutes() {
  return routes.filter((r) => r.meta && r.meta.nav && may(r.meta.permission))
}

export const router = createRouter({
  history: createWebHistory('/'),
  routes,
  scrollBehavior(to, from, saved) {
    if (saved) return saved
    if (to.hash) return { el: to.hash, top: 72 }
    return { top: 0 }
  }
})

// Access guard: wait for the session once, then
//  - a user who must change the password is kept on 我的账户 until it is done;
//  - a page the session may not open sends the public to 登录 (coming back after
//    login through ?redirect=) and a logged-in user home with ?denied= for a notice.
router.beforeEach(async (to) => {
  await loadSession()
  if (mustChangePassword() && !(to.meta && to.meta.passwordChange)) {
    return { name: 'account', query: { force: '1' } }
  }
  const permission = to.meta && to.meta.permission
  if (!may(permission)) {
    if (!session.user && permission && permission !== 'anonymous') {
      return { name: 'login', query: { redirect: to.fullPath } }
    }
    return to.name === 'home' ? false : { name: 'home', query: { denied: to.fullPath } }
  }
  return true
})

router.afterEach((to) => {
  const title = to.meta && to.meta.title
  document.title = title && to.name !== 'home' ? `${title} - ${SITE_NAME}` : SITE_NAME
})
