/*
 * routes.c — THE route table. Every endpoint of the platform is one row:
 * method, path pattern, handler, required permission, audit event, flags,
 * and its OpenAPI description. The router (router.c), the permission check
 * (auth.c), the audit trail and GET /api/v1/openapi.json all read this table,
 * so they cannot drift apart. Add a route here and nowhere else.
 */
#include "http/handlers.h"

const struct route routes[] = {
    /* system */
    {"GET", "/healthz", h_healthz, "public", NULL, ROUTE_SLOW, "system",
     "健康检查（含数据库读写探测）", NULL},
    {"GET", "/metrics", h_metrics, "public", NULL, 0, "system", "Prometheus 指标", NULL},
    {"GET", "/api/v1/openapi.json", h_openapi, "public", NULL, 0, "system",
     "本接口文档（OpenAPI 3.1）", NULL},
    {"GET", "/api/v1/version", h_version, "public", NULL, 0, "system", "版本信息", NULL},

    /* public tools */
    {"POST", "/api/v1/validate", h_validate, "public", NULL, ROUTE_JSON_BODY | ROUTE_INLINE,
     "tools", "校验统一社会信用代码或居民身份证号", NULL},
    {"GET", "/api/v1/calendar/workdays", h_calendar_workdays, "public", NULL, 0, "calendar",
     "工作日计算：from+add 求期限日，from+to 求间隔工作日数", "from:date,add:integer,to:date"},
    {"GET", "/api/v1/calendar/years", h_calendar_years, "public", NULL, 0, "calendar",
     "已载入的法定节假日年份", NULL},

    /* accounts, sessions, tokens, audit — routes of h_account.c, h_admin.c, h_audit.c */
    {"POST", "/api/v1/session", h_session_create, "public", "session.login", ROUTE_JSON_BODY,
     "accounts", "登录（用户名 + 密码），设置会话与防伪 Cookie", NULL},
    {"DELETE", "/api/v1/session", h_session_delete, "authenticated", "session.logout", 0,
     "accounts", "退出登录", NULL},
    {"GET", "/api/v1/me", h_me, "authenticated", NULL, 0, "accounts", "当前用户：角色、部门、权限",
     NULL},
    {"POST", "/api/v1/me/password", h_me_password, "authenticated", "user.password_change",
     ROUTE_JSON_BODY, "accounts", "修改本人密码（须提供原密码；其他会话随即失效）", NULL},
    {"POST", "/api/v1/registrations", h_registration_create, "public", "registration.create",
     ROUTE_JSON_BODY, "accounts", "申请人自助注册（市场主体或拟设立主体）", NULL},
    {"GET", "/api/v1/users", h_users_list, "users.manage", NULL, 0, "accounts", "用户列表",
     "q:string,limit:integer,offset:integer"},
    {"POST", "/api/v1/users", h_user_create, "users.manage", "user.create", ROUTE_JSON_BODY,
     "accounts", "新建用户（返回一次性初始密码）", NULL},
    {"GET", "/api/v1/users/{id}", h_user_get, "users.manage", NULL, 0, "accounts", "用户详情",
     NULL},
    {"PATCH", "/api/v1/users/{id}", h_user_update, "users.manage", "user.update", ROUTE_JSON_BODY,
     "accounts", "修改用户的角色、部门、姓名、停用状态", NULL},
    {"POST", "/api/v1/users/{id}/password-reset", h_user_password_reset, "users.manage",
     "user.password_reset", 0, "accounts", "重置密码（返回一次性密码，下次登录须修改）", NULL},
    {"GET", "/api/v1/departments", h_departments_list, "public", NULL, 0, "accounts", "部门列表",
     NULL},
    {"POST", "/api/v1/departments", h_department_create, "departments.manage", "department.create",
     ROUTE_JSON_BODY, "accounts", "新增部门", NULL},
    {"PATCH", "/api/v1/departments/{code}", h_department_update, "departments.manage",
     "department.update", ROUTE_JSON_BODY, "accounts", "修改部门名称或停用部门", NULL},
    {"GET", "/api/v1/departments/{code}/users", h_department_users, "department.members", NULL, 0,
     "accounts", "本部门人员（只能查看本部门）", "limit:integer,offset:integer"},
    {"POST", "/api/v1/tokens", h_token_create, "tokens.manage", "token.create", ROUTE_JSON_BODY,
     "accounts", "创建接口访问令牌（密钥只显示一次）", NULL},
    {"GET", "/api/v1/tokens", h_tokens_list, "tokens.manage", NULL, 0, "accounts",
     "接口访问令牌列表（不含密钥）", NULL},
    {"DELETE", "/api/v1/tokens/{id}", h_token_revoke, "tokens.manage", "token.revoke", 0,
     "accounts", "吊销接口访问令牌", NULL},
    {"POST", "/api/v1/calendar/years", h_calendar_year_create, "calendar.manage",
     "calendar.year.create", ROUTE_JSON_BODY, "calendar",
     "新增一年的法定节假日安排（格式同 catalog/calendar/2026.json）", NULL},
    {"GET", "/api/v1/audit", h_audit_list, "audit.read", NULL, ROUTE_SLOW, "audit", "审计日志查询",
     "actor:string,action:string,from:string,to:string,limit:integer,offset:integer"},
    {"GET", "/api/v1/audit.csv", h_audit_csv, "audit.read", NULL, ROUTE_SLOW, "audit",
     "审计日志导出（CSV，UTF-8 带 BOM）", "actor:string,action:string,from:string,to:string"},
    /* @@accounts-routes@@ */

    /* catalog and guide — routes of h_catalog.c, h_catalog_admin.c */
    {"GET", "/api/v1/catalog", h_catalog_info, "public", NULL, 0, "catalog",
     "当前生效的行业目录版本及其规模", NULL},
    {"GET", "/api/v1/industries", h_industries_search, "public", NULL, 0, "catalog",
     "检索行业（名称、别名、拼音首字母；一两个汉字亦可）", "q:string"},
    {"GET", "/api/v1/industries/{code}", h_industry_get, "public", NULL, 0, "catalog",
     "行业办事指南：牵头与协同部门、许可事项、准入条件、申请材料、情形、时限", NULL},
    {"POST", "/api/v1/guide", h_guide, "public", NULL, ROUTE_JSON_BODY | ROUTE_INLINE, "catalog",
     "智能导办：按情形回答得出一单告知", NULL},
    {"GET", "/api/v1/catalog/versions", h_catalog_versions_list, "catalog.propose", NULL,
     ROUTE_SLOW, "catalog", "目录版本列表", "limit:integer,offset:integer"},
    {"POST", "/api/v1/catalog/versions", h_catalog_version_create, "catalog.manage",
     "catalog.version.publish", ROUTE_JSON_BODY | ROUTE_LARGE_BODY, "catalog",
     "发布新的目录版本（整个目录文档，须通过全部检查与规则用例）", NULL},
    {"GET", "/api/v1/catalog/versions/{v}/document", h_catalog_version_document, "catalog.manage",
     NULL, ROUTE_SLOW, "catalog", "某一目录版本的完整文档（v 可为 active）", NULL},
    {"GET", "/api/v1/catalog/versions/{v}/diff", h_catalog_version_diff, "catalog.propose", NULL,
     ROUTE_SLOW, "catalog", "两个目录版本之间的变化", "against:integer"},
    {"POST", "/api/v1/catalog/versions/{v}/activate", h_catalog_version_activate, "catalog.manage",
     "catalog.version.activate", 0, "catalog", "启用某一目录版本", NULL},
    {"POST", "/api/v1/catalog/proposals", h_catalog_proposal_create, "catalog.propose",
     "catalog.proposal.create", ROUTE_JSON_BODY, "catalog", "提出目录新增、调整建议", NULL},
    {"GET", "/api/v1/catalog/proposals", h_catalog_proposals_list, "catalog.propose", NULL,
     ROUTE_SLOW, "catalog", "目录建议列表（本部门的；目录管理员看全部）",
     "status:string,limit:integer,offset:integer"},
    {"POST", "/api/v1/catalog/proposals/{id}/decision", h_catalog_proposal_decide, "catalog.manage",
     "catalog.proposal.decide", ROUTE_JSON_BODY, "catalog", "对目录建议作出决定（同意 / 不同意）",
     NULL},
    /* @@catalog-routes@@ */
};

const int routes_count = (int)(sizeof(routes) / sizeof(routes[0]));
