// The page table of the UI: every page is one entry in `routes`.
//
// Each route declares in `meta`:
//   title  – the page title (document title, breadcrumb, menu text unless navLabel);
//   roles  – which roles may open it (see ROLES in session.js); 'public' = everybody;
//   nav    – true to list it in the main navigation (in the order of this table);
//   navLabel – optional shorter text for the menu.
// The navigation (layouts/GovLayout.vue) and the access guard below are both built
// from this one table, so a page cannot be shown in the menu to a role that the
// guard would refuse. The server checks permissions again on every API call: the
// guard only keeps the UI tidy, it is not the security boundary.
import { createRouter, createWebHistory } from 'vue-router'
import { canSee, loadSession } from './session.js'

export const SITE_NAME = '徐汇区“一业一证”综合许可平台'

export const routes = [
  {
    path: '/',
    name: 'home',
    component: () => import('./views/HomeView.vue'),
    meta: { title: '首页', roles: ['public'], nav: true }
  },
  {
    path: '/industries',
    name: 'industries',
    component: () => import('./views/IndustriesView.vue'),
    meta: { title: '行业目录', roles: ['public'], nav: true }
  },
  {
    path: '/guide',
    name: 'guide',
    component: () => import('./views/GuideView.vue'),
    meta: { title: '办事指南', roles: ['public'], nav: true }
  },
  {
    path: '/tools',
    name: 'tools',
    component: () => import('./views/ToolsView.vue'),
    meta: { title: '证照号码校验与工作日计算', navLabel: '便民工具', roles: ['public'], nav: true }
  },
  {
    path: '/:pathMatch(.*)*',
    name: 'not-found',
    component: () => import('./views/NotFoundView.vue'),
    meta: { title: '页面不存在', roles: ['public'], nav: false }
  }
]

// navRoutes: the routes the current session may see in the main navigation.
export function navRoutes() {
  return routes.filter((r) => r.meta && r.meta.nav && canSee(r.meta.roles))
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

// Access guard: wait for the session once, then refuse pages the session's roles
// may not see (sent home with the refused path kept in ?denied= for a message).
router.beforeEach(async (to) => {
  await loadSession()
  const roles = to.meta && to.meta.roles
  if (!canSee(roles)) {
    return to.name === 'home' ? false : { name: 'home', query: { denied: to.fullPath } }
  }
  return true
})

router.afterEach((to) => {
  const title = to.meta && to.meta.title
  document.title = title && to.name !== 'home' ? `${title} - ${SITE_NAME}` : SITE_NAME
})
