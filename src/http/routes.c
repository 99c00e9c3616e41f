/*
 * routes.c — THE route table. Every endpoint of the platform is one row:
 * method, path pattern, handler, required permission, audit event, flags,
 * and its OpenAPI description. The router (router.c), the permission check
 * (auth.c), the audit trail and GET /api/v1/openapi.json all read this table,
 * so they cannot drift apart. Add a route here and nowhere else.
 *
 * Rows use designated initializers so a field cannot be swapped for another
 * silently; a field left out is NULL / 0 (no audit event, no flags, no query
 * parameters).
 */
#include "http/handlers.h"

/* lic-core: the body of suspend, reinstate and revoke */
#define LICENSE_SANCTION_BODY                                                            \
	"{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"reason\","  \
	"\"basis\"],\"properties\":{\"reason\":{\"type\":\"string\",\"maxLength\":500}," \
	"\"basis\":{\"type\":\"string\",\"maxLength\":500}}}"

/* sup-plans: the body of a new spot-check plan */
#define SPOT_PLAN_BODY                                                                             \
	"{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"title\","             \
	"\"departments\",\"ratios\",\"inspectors_per_check\",\"period\",\"check_items\"],"         \
	"\"properties\":{\"title\":{\"type\":\"string\",\"maxLength\":100},"                       \
	"\"departments\":{\"type\":\"array\",\"minItems\":1,\"maxItems\":8,\"items\":{\"type\":"   \
	"\"string\"}},"                                                                            \
	"\"industries\":{\"type\":\"array\",\"maxItems\":64,\"items\":{\"type\":\"string\"}},"     \
	"\"grades\":{\"type\":\"array\",\"maxItems\":4,\"items\":{\"enum\":[\"A\",\"B\",\"C\","    \
	"\"D\"]}},"                                                                                \
	"\"streets\":{\"type\":\"array\",\"maxItems\":64,\"items\":{\"type\":\"string\"}},"        \
	"\"ratios\":{\"type\":\"object\",\"required\":[\"A\",\"B\",\"C\",\"D\"],\"description\":"  \
	"\"千分比\"},"                                                                          \
	"\"inspectors_per_check\":{\"type\":\"integer\",\"minimum\":2,\"maximum\":16},"            \
	"\"period\":{\"type\":\"object\",\"required\":[\"from\",\"to\"],\"properties\":{\"from\":" \
	"{\"type\":\"string\",\"format\":\"date\"},\"to\":{\"type\":\"string\",\"format\":"        \
	"\"date\"}}},"                                                                             \
	"\"check_items\":{\"type\":\"array\",\"minItems\":1,\"maxItems\":100,\"items\":{\"type\":" \
	"\"object\",\"required\":[\"code\",\"name\"]}},"                                           \
	"\"targeted\":{\"type\":\"array\",\"maxItems\":100,\"items\":{\"type\":\"object\","        \
	"\"required\":[\"uscc\",\"reason\",\"inspectors\"]}}}}"

const struct route routes[] = {
    /* system */
    {.method = "GET",
     .pattern = "/healthz",
     .handler = h_healthz,
     .permission = "public",
     .flags = ROUTE_SLOW,
     .tag = "system",
     .summary = "健康检查（含数据库读写探测）"},
    {.method = "GET",
     .pattern = "/metrics",
     .handler = h_metrics,
     .permission = "public",
     .tag = "system",
     .summary = "Prometheus 指标"},
    {.method = "GET",
     .pattern = "/api/v1/openapi.json",
     .handler = h_openapi,
     .permission = "public",
     .tag = "system",
     .summary = "本接口文档（OpenAPI 3.1）"},
    {.method = "GET",
     .pattern = "/api/v1/version",
     .handler = h_version,
     .permission = "public",
     .tag = "system",
     .summary = "版本信息"},

    /* public tools */
    {.method = "POST",
     .pattern = "/api/v1/validate",
     .handler = h_validate,
     .permission = "public",
     .flags = ROUTE_JSON_BODY | ROUTE_INLINE,
     .tag = "tools",
     .summary = "校验统一社会信用代码或居民身份证号",
     .body = "{\"type\":\"object\",\"required\":[\"kind\",\"value\"],"
	     "\"properties\":{\"kind\":{\"type\":\"string\",\"enum\":[\"uscc\",\"idcard\"]},"
	     "\"value\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":256,"
	     "\"description\":\"要校验的号码（最多 256 字节；不记录、不回显）\"}}}"},
    {.method = "GET",
     .pattern = "/api/v1/calendar/workdays",
     .handler = h_calendar_workdays,
     .permission = "public",
     .tag = "calendar",
     .summary = "工作日计算：from+add 求期限日，from+to 求间隔工作日数",
     .query = "from:date,add:integer,to:date"},
    {.method = "GET",
     .pattern = "/api/v1/calendar/years",
     .handler = h_calendar_years,
     .permission = "public",
     .tag = "calendar",
     .summary = "已载入的法定节假日年份"},

    /* accounts, sessions, tokens, audit — routes of h_account.c, h_users.c,
       h_departments.c, h_tokens.c, h_calendar.c, h_audit.c */
    {.method = "POST",
     .pattern = "/api/v1/session",
     .handler = h_session_create,
     .permission = "public",
     .audit = "session.login",
     .flags = ROUTE_JSON_BODY | ROUTE_BEFORE_PASSWORD_CHANGE | ROUTE_HASHES,
     .tag = "accounts",
     .summary = "登录（用户名 + 密码），设置会话与防伪 Cookie",
     .body = "{\"type\":\"object\",\"required\":[\"username\",\"password\"],"
	     "\"properties\":{\"username\":{\"type\":\"string\",\"minLength\":1,"
	     "\"maxLength\":64,\"description\":\"用户名（不区分大小写）\"},"
	     "\"password\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":128}},"
	     "\"additionalProperties\":false}"},
    {.method = "DELETE",
     .pattern = "/api/v1/session",
     .handler = h_session_delete,
     .permission = "authenticated",
     .audit = "session.logout",
     .flags = ROUTE_BEFORE_PASSWORD_CHANGE,
     .tag = "accounts",
     .summary = "退出登录"},
    {.method = "GET",
     .pattern = "/api/v1/me",
     .handler = h_me,
     .permission = "authenticated",
     .flags = ROUTE_BEFORE_PASSWORD_CHANGE,
     .tag = "accounts",
     .summary = "当前用户：角色、部门、权限"},
    {.method = "POST",
     .pattern = "/api/v1/me/password",
     .handler = h_me_password,
     .permission = "authenticated",
     .audit = "user.password_change",
     .flags = ROUTE_JSON_BODY | ROUTE_BEFORE_PASSWORD_CHANGE | ROUTE_HASHES,
     .tag = "accounts",
     .summary = "修改本人密码（须提供原密码；其他会话随即失效）",
     .body = "{\"type\":\"object\",\"required\":[\"old_password\",\"new_password\"],"
	     "\"properties\":{\"old_password\":{\"type\":\"string\",\"minLength\":1,"
	     "\"maxLength\":128},\"new_password\":{\"type\":\"string\",\"minLength\":10,"
	     "\"maxLength\":128,"
	     "\"description\":\"至少 10 个字符、最多 128 "
	     "字节，含小写字母、大写字母、数字、符号中的三类，不得包含用户名，且不同于原密码\"}},"
	     "\"additionalProperties\":false}"},
    {.method = "POST",
     .pattern = "/api/v1/registrations",
     .handler = h_registration_create,
     .permission = "public",
     .audit = "registration.create",
     .flags = ROUTE_JSON_BODY | ROUTE_HASHES,
     .tag = "accounts",
     .summary = "申请人自助注册（市场主体或拟设立主体）",
     .body = "{\"type\":\"object\",\"required\":[\"username\",\"password\",\"name\","
	     "\"phone\"],\"properties\":{\"username\":{\"type\":\"string\","
	     "\"pattern\":\"^[a-z][a-z0-9._-]{2,31}$\","
	     "\"description\":\"3 至 32 个小写字母、数字或 . _ -，以字母开头\"},"
	     "\"password\":{\"type\":\"string\",\"minLength\":10,\"maxLength\":128,"
	     "\"description\":\"至少 10 个字符、最多 128 "
	     "字节，含小写字母、大写字母、数字、符号中的三类，不得包含用户名\"},"
	     "\"uscc\":{\"type\":[\"string\",\"null\"],\"maxLength\":64,"
	     "\"description\":\"统一社会信用代码（18 位，校验码须正确）；拟设立主体不填\"},"
	     "\"name\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":192,"
	     "\"description\":\"市场主体名称（拟设立的填拟用名称）\"},"
	     "\"phone\":{\"type\":\"string\",\"pattern\":\"^1[3-9][0-9]{9}$\","
	     "\"description\":\"11 位手机号\"}},\"additionalProperties\":false}"},
    {.method = "GET",
     .pattern = "/api/v1/users",
     .handler = h_users_list,
     .permission = "users.manage",
     .tag = "accounts",
     .summary = "用户列表",
     .query = "q:string,limit:integer,offset:integer"},
    {.method = "POST",
     .pattern = "/api/v1/users",
     .handler = h_user_create,
     .permission = "users.manage",
     .audit = "user.create",
     .flags = ROUTE_JSON_BODY | ROUTE_HASHES,
     .tag = "accounts",
     .summary = "新建用户（返回一次性初始密码）",
     .body = "{\"type\":\"object\",\"required\":[\"username\",\"display_name\",\"roles\"],"
	     "\"properties\":{\"username\":{\"type\":\"string\","
	     "\"pattern\":\"^[a-z][a-z0-9._-]{2,31}$\","
	     "\"description\":\"3 至 32 个小写字母、数字或 . _ -，以字母开头\"},"
	     "\"display_name\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":96},"
	     "\"roles\":{\"type\":\"array\",\"minItems\":1,\"maxItems\":9,"
	     "\"items\":{\"type\":\"string\",\"enum\":[\"applicant\",\"window_clerk\","
	     "\"reviewer\",\"inspector\",\"issuer\",\"supervisor\",\"catalog_admin\","
	     "\"system_admin\",\"auditor\"]}},\"department\":{\"type\":[\"string\","
	     "\"null\"],\"maxLength\":24,"
	     "\"description\":\"部门代码；窗口、审核、检查、制证、监管、目录管理角色必填\"},"
	     "\"phone\":{\"type\":[\"string\",\"null\"],\"maxLength\":20},"
	     "\"uscc\":{\"type\":[\"string\",\"null\"],\"maxLength\":64,"
	     "\"description\":\"统一社会信用代码（18 位，校验码须正确）；仅申请人\"},"
	     "\"entity_name\":{\"type\":[\"string\",\"null\"],\"maxLength\":192,"
	     "\"description\":\"市场主体名称；仅申请人，缺省取 display_name\"}},"
	     "\"additionalProperties\":false}"},
    {.method = "GET",
     .pattern = "/api/v1/users/{id}",
     .handler = h_user_get,
     .permission = "users.manage",
     .tag = "accounts",
     .summary = "用户详情"},
    {.method = "PATCH",
     .pattern = "/api/v1/users/{id}",
     .handler = h_user_update,
     .permission = "users.manage",
     .audit = "user.update",
     .flags = ROUTE_JSON_BODY,
     .tag = "accounts",
     .summary = "修改用户的角色、部门、姓名、停用状态",
     .body = "{\"type\":\"object\",\"properties\":{\"roles\":{\"type\":\"array\","
	     "\"minItems\":1,\"maxItems\":9,\"items\":{\"type\":\"string\","
	     "\"enum\":[\"applicant\",\"window_clerk\",\"reviewer\",\"inspector\","
	     "\"issuer\",\"supervisor\",\"catalog_admin\",\"system_admin\",\"auditor\"]}},"
	     "\"department\":{\"type\":[\"string\",\"null\"],\"maxLength\":24,"
	     "\"description\":\"部门代码；null 取消所属部门\"},"
	     "\"display_name\":{\"type\":[\"string\",\"null\"],\"minLength\":1,"
	     "\"maxLength\":96},\"disabled\":{\"type\":\"boolean\"},"
	     "\"version\":{\"type\":\"integer\",\"minimum\":1,"
	     "\"description\":\"读取用户时得到的版本号；已被他人修改时答复 409 stale_version\"}},"
	     "\"additionalProperties\":false,\"minProperties\":1,"
	     "\"description\":\"至少提供 roles、department、display_name、disabled 之一\"}"},
    {.method = "POST",
     .pattern = "/api/v1/users/{id}/password-reset",
     .handler = h_user_password_reset,
     .permission = "users.manage",
     .audit = "user.password_reset",
     .flags = ROUTE_HASHES,
     .tag = "accounts",
     .summary = "重置密码（返回一次性密码，下次登录须修改）"},
    {.method = "GET",
     .pattern = "/api/v1/departments",
     .handler = h_departments_list,
     .permission = "public",
     .tag = "accounts",
     .summary = "部门列表"},
    {.method = "POST",
     .pattern = "/api/v1/departments",
     .handler = h_department_create,
     .permission = "departments.manage",
     .audit = "department.create",
     .flags = ROUTE_JSON_BODY,
     .tag = "accounts",
     .summary = "新增部门",
     .body = "{\"type\":\"object\",\"required\":[\"code\",\"name\"],"
	     "\"properties\":{\"code\":{\"type\":\"string\","
	     "\"pattern\":\"^[a-z][a-z0-9_]{1,23}$\","
	     "\"description\":\"2 至 24 个小写字母、数字或下划线，以字母开头\"},"
	     "\"name\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":96}},"
	     "\"additionalProperties\":false}"},
    {.method = "PATCH",
     .pattern = "/api/v1/departments/{code}",
     .handler = h_department_update,
     .permission = "departments.manage",
     .audit = "department.update",
     .flags = ROUTE_JSON_BODY,
     .tag = "accounts",
     .summary = "修改部门名称或停用部门",
     .body = "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":[\"string\",\"null\"],"
	     "\"minLength\":1,\"maxLength\":96},\"disabled\":{\"type\":\"boolean\"}},"
	     "\"additionalProperties\":false,\"minProperties\":1}"},
    {.method = "GET",
     .pattern = "/api/v1/departments/{code}/users",
     .handler = h_department_users,
     .permission = "department.members",
     .tag = "accounts",
     .summary = "本部门人员（只能查看本部门）",
     .query = "limit:integer,offset:integer"},
    {.method = "POST",
     .pattern = "/api/v1/tokens",
     .handler = h_token_create,
     .permission = "tokens.manage",
     .audit = "token.create",
     .flags = ROUTE_JSON_BODY,
     .tag = "accounts",
     .summary = "创建接口访问令牌（密钥只显示一次）",
     .body = "{\"type\":\"object\",\"required\":[\"name\",\"scopes\"],"
	     "\"properties\":{\"name\":{\"type\":\"string\",\"minLength\":1,"
	     "\"maxLength\":96},\"scopes\":{\"type\":\"array\",\"minItems\":1,"
	     "\"maxItems\":8,\"items\":{\"type\":\"string\",\"enum\":[\"catalog:read\","
	     "\"applications:read\",\"licenses:read\",\"supervision:read\",\"credit:read\","
	     "\"reports:read\",\"users:read\",\"audit:read\"]}},"
	     "\"expires_at\":{\"oneOf\":[{\"type\":\"integer\","
	     "\"description\":\"Unix 秒数\"},{\"type\":\"string\",\"format\":\"date\","
	     "\"description\":\"该日（北京时间）结束时失效\"},{\"type\":\"null\"}],"
	     "\"description\":\"缺省一年；须晚于现在且不超过三年\"}},"
	     "\"additionalProperties\":false}"},
    {.method = "GET",
     .pattern = "/api/v1/tokens",
     .handler = h_tokens_list,
     .permission = "tokens.manage",
     .tag = "accounts",
     .summary = "接口访问令牌列表（不含密钥）"},
    {.method = "DELETE",
     .pattern = "/api/v1/tokens/{id}",
     .handler = h_token_revoke,
     .permission = "tokens.manage",
     .audit = "token.revoke",
     .tag = "accounts",
     .summary = "吊销接口访问令牌"},
    {.method = "POST",
     .pattern = "/api/v1/calendar/years",
     .handler = h_calendar_year_create,
     .permission = "calendar.manage",
     .audit = "calendar.year.create",
     .flags = ROUTE_JSON_BODY,
     .tag = "calendar",
     .summary = "新增一年的法定节假日安排（格式同 catalog/calendar/2026.json）",
     .body = "{\"type\":\"object\",\"required\":[\"year\",\"source\",\"holidays\","
	     "\"workdays\"],\"properties\":{\"year\":{\"type\":\"integer\",\"minimum\":1900,"
	     "\"maximum\":2200},\"source\":{\"type\":\"string\",\"minLength\":1,"
	     "\"description\":\"来源（节假日安排通知）\"},\"note\":{\"type\":\"string\"},"
	     "\"holidays\":{\"type\":\"array\",\"items\":{\"type\":\"object\","
	     "\"additionalProperties\":false,\"required\":[\"date\",\"name\"],"
	     "\"properties\":{\"date\":{\"type\":\"string\",\"format\":\"date\"},"
	     "\"name\":{\"type\":\"string\",\"minLength\":1}}},"
	     "\"description\":\"放假日期（须在该年内，不得重复）\"},"
	     "\"workdays\":{\"type\":\"array\",\"items\":{\"type\":\"object\","
	     "\"additionalProperties\":false,\"required\":[\"date\",\"name\"],"
	     "\"properties\":{\"date\":{\"type\":\"string\",\"format\":\"date\"},"
	     "\"name\":{\"type\":\"string\",\"minLength\":1}}},"
	     "\"description\":\"调休上班日（须为周六或周日）\"}},"
	     "\"additionalProperties\":false}"},
    {.method = "GET",
     .pattern = "/api/v1/audit",
     .handler = h_audit_list,
     .permission = "audit.read",
     .flags = ROUTE_SLOW,
     .tag = "audit",
     .summary = "审计日志查询",
     .query = "actor:string,action:string,from:string,to:string,limit:integer,offset:integer"},
    {.method = "GET",
     .pattern = "/api/v1/audit.csv",
     .handler = h_audit_csv,
     .permission = "audit.read",
     .flags = ROUTE_SLOW,
     .tag = "audit",
     .summary = "审计日志导出（CSV，UTF-8 带 BOM）",
     .query = "actor:string,action:string,from:string,to:string"},

    /* @@accounts-routes@@ */

    /* catalog and guide — routes of h_catalog.c, h_catalog_admin.c */
    {.method = "GET",
     .pattern = "/api/v1/catalog",
     .handler = h_catalog_info,
     .permission = "public",
     .tag = "catalog",
     .summary = "当前生效的行业目录版本及其规模"},
    {.method = "GET",
     .pattern = "/api/v1/industries",
     .handler = h_industries_search,
     .permission = "public",
     .tag = "catalog",
     .summary = "检索行业（名称、别名、拼音首字母；一两个汉字亦可）",
     .query = "q:string"},
    {.method = "GET",
     .pattern = "/api/v1/industries/{code}",
     .handler = h_industry_get,
     .permission = "public",
     .tag = "catalog",
     .summary = "行业办事指南：牵头与协同部门、许可事项、准入条件、申请材料、情形、时限"},
    {.method = "POST",
     .pattern = "/api/v1/guide",
     .handler = h_guide,
     .permission = "public",
     .flags = ROUTE_JSON_BODY | ROUTE_INLINE,
     .tag = "catalog",
     .summary = "智能导办：按情形回答得出一单告知",
     .body = "{\"type\":\"object\",\"required\":[\"industry\"],"
	     "\"properties\":{\"industry\":{\"type\":\"string\",\"minLength\":1,"
	     "\"description\":\"行业代码\"},\"answers\":{\"type\":[\"object\",\"null\"],"
	     "\"description\":\"{问题编号: 回答}；回答的类型由该行业的问题决定\"}},"
	     "\"additionalProperties\":false}"},
    {.method = "GET",
     .pattern = "/api/v1/catalog/versions",
     .handler = h_catalog_versions_list,
     .permission = "catalog.propose",
     .flags = ROUTE_SLOW,
     .tag = "catalog",
     .summary = "目录版本列表",
     .query = "limit:integer,offset:integer"},
    {.method = "POST",
     .pattern = "/api/v1/catalog/versions",
     .handler = h_catalog_version_create,
     .permission = "catalog.manage",
     .audit = "catalog.version.publish",
     .flags = ROUTE_JSON_BODY | ROUTE_LARGE_BODY,
     .tag = "catalog",
     .summary = "发布新的目录版本（整个目录文档，须通过全部检查与规则用例）",
     .body = "{\"type\":\"object\",\"required\":[\"document\"],"
	     "\"properties\":{\"document\":{\"type\":\"object\","
	     "\"description\":\"整个目录的单一文档（格式同 GET "
	     "/api/v1/catalog/versions/{v}/document）\"},"
	     "\"note\":{\"type\":[\"string\",\"null\"],\"maxLength\":500},"
	     "\"activate\":{\"type\":[\"boolean\",\"null\"],"
	     "\"description\":\"发布后立即启用\"},\"proposals\":{\"type\":[\"array\","
	     "\"null\"],\"maxItems\":200,\"items\":{\"type\":\"integer\",\"minimum\":1},"
	     "\"description\":\"纳入的建议编号；缺省纳入全部已同意的建议\"}},"
	     "\"additionalProperties\":false}"},
    {.method = "GET",
     .pattern = "/api/v1/catalog/versions/{v}/document",
     .handler = h_catalog_version_document,
     .permission = "catalog.manage",
     .flags = ROUTE_SLOW,
     .tag = "catalog",
     .summary = "某一目录版本的完整文档（v 可为 active）"},
    {.method = "GET",
     .pattern = "/api/v1/catalog/versions/{v}/diff",
     .handler = h_catalog_version_diff,
     .permission = "catalog.propose",
     .flags = ROUTE_SLOW,
     .tag = "catalog",
     .summary = "两个目录版本之间的变化",
     .query = "against:integer"},
    {.method = "POST",
     .pattern = "/api/v1/catalog/versions/{v}/activate",
     .handler = h_catalog_version_activate,
     .permission = "catalog.manage",
     .audit = "catalog.version.activate",
     .tag = "catalog",
     .summary = "启用某一目录版本"},
    {.method = "POST",
     .pattern = "/api/v1/catalog/proposals",
     .handler = h_catalog_proposal_create,
     .permission = "catalog.propose",
     .audit = "catalog.proposal.create",
     .flags = ROUTE_JSON_BODY,
     .tag = "catalog",
     .summary = "提出目录新增、调整建议",
     .body = "{\"type\":\"object\",\"required\":[\"kind\",\"title\",\"reason\"],"
	     "\"properties\":{\"kind\":{\"type\":\"string\",\"enum\":[\"add\",\"change\"],"
	     "\"description\":\"add 新增建议，change 调整建议\"},"
	     "\"industry\":{\"type\":[\"string\",\"null\"],\"maxLength\":64,"
	     "\"description\":\"行业代码；调整建议必填\"},\"title\":{\"type\":\"string\","
	     "\"minLength\":1,\"maxLength\":100},\"reason\":{\"type\":\"string\","
	     "\"minLength\":1,\"maxLength\":2000},\"detail\":{\"type\":[\"string\","
	     "\"null\"],\"maxLength\":10000}},\"additionalProperties\":false,"
	     "\"if\":{\"required\":[\"kind\"],"
	     "\"properties\":{\"kind\":{\"const\":\"change\"}}},"
	     "\"then\":{\"required\":[\"industry\"],"
	     "\"properties\":{\"industry\":{\"type\":\"string\",\"minLength\":1}}}}"},
    {.method = "GET",
     .pattern = "/api/v1/catalog/proposals",
     .handler = h_catalog_proposals_list,
     .permission = "catalog.propose",
     .flags = ROUTE_SLOW,
     .tag = "catalog",
     .summary = "目录建议列表（本部门的；目录管理员看全部）",
     .query = "status:string,limit:integer,offset:integer"},
    {.method = "POST",
     .pattern = "/api/v1/catalog/proposals/{id}/decision",
     .handler = h_catalog_proposal_decide,
     .permission = "catalog.manage",
     .audit = "catalog.proposal.decide",
     .flags = ROUTE_JSON_BODY,
     .tag = "catalog",
     .summary = "对目录建议作出决定（同意 / 不同意）",
     .body = "{\"type\":\"object\",\"required\":[\"decision\"],"
	     "\"properties\":{\"decision\":{\"type\":\"string\",\"enum\":[\"approve\","
	     "\"reject\"]},\"comment\":{\"type\":[\"string\",\"null\"],\"maxLength\":2000,"
	     "\"description\":\"不同意时必填\"}},\"additionalProperties\":false,"
	     "\"if\":{\"required\":[\"decision\"],"
	     "\"properties\":{\"decision\":{\"const\":\"reject\"}}},"
	     "\"then\":{\"required\":[\"comment\"],"
	     "\"properties\":{\"comment\":{\"type\":\"string\",\"minLength\":1}}}}"},

    /* @@catalog-routes@@ */

    /* license: lists, hand-over, export, disclosure, 亮证 — routes of
       h_license_public.c and h_license_display.c (issue 12, lic-public;
       docs/api-licenses.md). These rows stay ABOVE the /licenses/{number}
       rows: the router takes the first match, and "export" would otherwise
       be read as a license number. */
    {.method = "GET",
     .pattern = "/api/v1/licenses",
     .handler = h_licenses_list,
     .permission = "licenses.read",
     .tag = "licenses",
     .summary =
	 "许可证列表（持证人：本人的；工作人员：本区的），可按号码、名称、信用代码与状态查询",
     .query = "q:string,status:string,limit:integer,offset:integer"},
    {.method = "GET",
     .pattern = "/api/v1/licenses/export",
     .handler = h_licenses_export,
     .permission = "licenses.export",
     .tag = "licenses",
     .summary = "电子证照库增量导出：after 之后的每次证照变更（元数据记录）与下一游标 next",
     .query = "after:integer,limit:integer"},
    {.method = "GET",
     .pattern = "/api/v1/licenses/{number}/handover",
     .handler = h_license_handover_get,
     .permission = "licenses.read",
     .tag = "licenses",
     .summary = "许可证发放记录（持证人看不到领取人信息）"},
    {.method = "POST",
     .pattern = "/api/v1/licenses/{number}/handover",
     .handler = h_license_handover_create,
     .permission = "licenses.handover",
     .audit = "license.handover",
     .flags = ROUTE_JSON_BODY,
     .tag = "licenses",
     .summary = "登记许可证发放（窗口领取、邮寄或仅电子证照）与纸质档案位置；更正须写明原因",
     .body = "{\"type\":\"object\",\"required\":[\"method\"],\"properties\":{"
	     "\"method\":{\"type\":\"string\",\"enum\":[\"window\",\"post\",\"electronic\"]},"
	     "\"collector_name\":{\"type\":\"string\",\"maxLength\":64},"
	     "\"collector_id_type\":{\"type\":\"string\",\"enum\":[\"idcard\",\"passport\","
	     "\"hk_macao_permit\",\"taiwan_permit\",\"other\"]},"
	     "\"collector_id_number\":{\"type\":\"string\",\"maxLength\":32,"
	     "\"description\":\"只保存遮蔽后的号码\"},"
	     "\"carrier\":{\"type\":\"string\",\"maxLength\":32},"
	     "\"tracking_no\":{\"type\":\"string\",\"maxLength\":40},"
	     "\"archive_location\":{\"type\":\"string\",\"maxLength\":100},"
	     "\"note\":{\"type\":\"string\",\"maxLength\":500},"
	     "\"correction_reason\":{\"type\":\"string\",\"maxLength\":500}},"
	     "\"additionalProperties\":false}"},
    {.method = "GET",
     .pattern = "/api/v1/licenses/{number}/display",
     .handler = h_license_display_get,
     .permission = "licenses.display",
     .tag = "licenses",
     .summary = "亮证：当前 5 分钟有效的展示令牌与二维码（持证人）"},
    {.method = "PUT",
     .pattern = "/api/v1/licenses/{number}/display",
     .handler = h_license_display_set,
     .permission = "licenses.display",
     .audit = "license.display",
     .flags = ROUTE_JSON_BODY,
     .tag = "licenses",
     .summary = "开启或关闭公开亮证页（/show/{number}）",
     .body = "{\"type\":\"object\",\"required\":[\"public\"],\"properties\":{"
	     "\"public\":{\"type\":\"boolean\"}},\"additionalProperties\":false}"},
    {.method = "GET",
     .pattern = "/api/v1/public/licenses",
     .handler = h_public_licenses,
     .permission = "public",
     .tag = "licenses",
     .summary = "行政许可信息公示：已发、变更、注销、撤销的许可证（不含个人信息）",
     .query = "q:string,status:string,limit:integer,offset:integer"},
    {.method = "GET",
     .pattern = "/api/v1/public/licenses/{number}/display",
     .handler = h_public_license_display,
     .permission = "public",
     /* signs a token and draws a QR: on the worker pool, whose bounded
	class answers 503 busy when flooded, not on an I/O thread */
     .flags = ROUTE_SLOW,
     .tag = "licenses",
     .summary = "公开亮证页取新的展示令牌（仅限持证人已开启亮证的有效许可证）"},

    /* applications — routes of h_applications.c and h_app_flow.c (issue 11;
       docs/api-applications.md). Reviews, inspections and materials are
       added by their own handlers. */
    {.method = "POST",
     .pattern = "/api/v1/applications",
     .handler = h_application_create,
     .permission = "applications.create",
     .audit = "application.create",
     .flags = ROUTE_JSON_BODY,
     .tag = "applications",
     .summary = "从已完成的智能导办创建申请（窗口可代为录入）；或许可证的变更、延续、注销、补办",
     .body = "{\"type\":\"object\","
	     "\"properties\":{\"industry\":{\"type\":\"string\",\"minLength\":1,"
	     "\"maxLength\":63,\"description\":\"行业代码（须已完成智能导办）\"},"
	     "\"answers\":{\"type\":[\"object\",\"null\"],"
	     "\"description\":\"智能导办的回答 {问题编号: 回答}\"},"
	     "\"applicant\":{\"type\":[\"string\",\"null\"],\"maxLength\":32,"
	     "\"description\":\"窗口代录：申请人账号\"},\"entity\":{\"type\":[\"string\","
	     "\"null\"],\"maxLength\":18,\"description\":\"窗口代录：统一社会信用代码\"},"
	     /* lic-life: lifecycle kinds (h_app_life.c) */
	     "\"kind\":{\"type\":\"string\",\"enum\":[\"new\",\"change\",\"extend\","
	     "\"cancel\",\"reissue\"],\"description\":\"申请类型，缺省 new（新办）\"},"
	     "\"license\":{\"type\":\"string\",\"maxLength\":39,"
	     "\"description\":\"许可证编号（非新办）\"},"
	     "\"reason\":{\"type\":[\"string\",\"null\"],\"maxLength\":1000,"
	     "\"description\":\"理由（补办必填）\"},"
	     "\"cause\":{\"type\":[\"string\",\"null\"],"
	     "\"enum\":[\"lost\",\"damaged\",null],\"description\":\"补办原因\"},"
	     "\"change\":{\"type\":[\"object\",\"null\"],\"additionalProperties\":false,"
	     "\"description\":\"变更内容\",\"properties\":{"
	     "\"name\":{\"type\":[\"string\",\"null\"],\"maxLength\":200},"
	     "\"legal_rep\":{\"type\":[\"string\",\"null\"],\"maxLength\":50},"
	     "\"address\":{\"type\":[\"string\",\"null\"],\"maxLength\":200},"
	     "\"permits_add\":{\"type\":\"array\",\"maxItems\":32,"
	     "\"items\":{\"type\":\"string\"}},"
	     "\"permits_remove\":{\"type\":\"array\",\"maxItems\":32,"
	     "\"items\":{\"type\":\"string\"}}}}},"
	     "\"additionalProperties\":false}"},
    {.method = "GET",
     .pattern = "/api/v1/applications",
     .handler = h_applications_list,
     .permission = "applications.read",
     .flags = ROUTE_SLOW,
     .tag = "applications",
     .summary = "申请列表（申请人看自己的，窗口看已提交的，部门看涉及本部门的）",
     .query = "status:string,limit:integer,offset:integer"},
    {.method = "GET",
     .pattern = "/api/v1/applications/{id}",
     .handler = h_application_get,
     .permission = "applications.read",
     .flags = ROUTE_SLOW,
     .tag = "applications",
     .summary = "申请详情（含告知单、表单、办理进程、当前办理方与办结期限）"},
    {.method = "PATCH",
     .pattern = "/api/v1/applications/{id}",
     .handler = h_application_update,
     .permission = "applications.edit",
     .audit = "application.update",
     .flags = ROUTE_JSON_BODY,
     .tag = "applications",
     .summary = "保存表单（一表申请；须带所依据的版本号）",
     .body = "{\"type\":\"object\",\"required\":[\"form\",\"version\"],"
	     "\"properties\":{\"form\":{\"type\":\"object\",\"additionalProperties\":true,"
	     "\"description\":\"{字段编号: 值}\"},\"version\":{\"type\":\"integer\","
	     "\"description\":\"所依据的申请版本号\"}},\"additionalProperties\":false}"},
    {.method = "POST",
     .pattern = "/api/v1/applications/{id}/precheck",
     .handler = h_application_precheck,
     .permission = "applications.edit",
     .audit = "application.precheck",
     .tag = "applications",
     .summary = "审前服务：一次列出全部缺项（字段与材料）"},
    {.method = "POST",
     .pattern = "/api/v1/applications/{id}/commitments",
     .handler = h_application_commitments,
     .permission = "applications.edit",
     .audit = "application.commitments",
     .flags = ROUTE_JSON_BODY,
     .tag = "applications",
     .summary = "告知承诺：签署的承诺条件",
     .body = "{\"type\":\"object\",\"required\":[\"commitments\"],"
	     "\"properties\":{\"commitments\":{\"type\":\"array\",\"maxItems\":256,"
	     "\"items\":{\"type\":\"string\"},\"description\":\"签署的承诺条件编号\"},"
	     "\"version\":{\"type\":\"integer\","
	     "\"description\":\"所依据的申请版本号；给出时须与当前版本一致\"}},"
	     "\"additionalProperties\":false}"},
    {.method = "POST",
     .pattern = "/api/v1/applications/{id}/submit",
     .handler = h_application_submit,
     .permission = "applications.edit",
     .audit = "application.submit",
     .tag = "applications",
     .summary = "提交申请"},
    {.method = "POST",
     .pattern = "/api/v1/applications/{id}/accept",
     .handler = h_application_accept,
     .permission = "applications.accept",
     .audit = "application.accept",
     .tag = "applications",
     .summary = "窗口受理（全部条件已承诺的当场准予许可）"},
    {.method = "POST",
     .pattern = "/api/v1/applications/{id}/refuse",
     .handler = h_application_refuse,
     .permission = "applications.accept",
     .audit = "application.refuse",
     .flags = ROUTE_JSON_BODY,
     .tag = "applications",
     .summary = "不予受理（须说明理由）",
     .body = "{\"type\":\"object\",\"required\":[\"reason\"],"
	     "\"properties\":{\"reason\":{\"type\":\"string\",\"minLength\":1,"
	     "\"maxLength\":1000}},\"additionalProperties\":false}"},
    {.method = "POST",
     .pattern = "/api/v1/applications/{id}/request-supplement",
     .handler = h_application_request_supplement,
     .permission = "applications.accept",
     .audit = "application.request_supplement",
     .flags = ROUTE_JSON_BODY,
     .tag = "applications",
     .summary = "一次性告知补正（材料与字段清单、理由；期限暂停计算）",
     .body = "{\"type\":\"object\",\"required\":[\"reason\"],"
	     "\"properties\":{\"reason\":{\"type\":\"string\",\"minLength\":1,"
	     "\"maxLength\":1000},\"materials\":{\"type\":[\"array\",\"null\"],"
	     "\"maxItems\":128,\"items\":{\"type\":\"string\",\"minLength\":1,"
	     "\"maxLength\":64},\"description\":\"须补正的材料编号\"},"
	     "\"fields\":{\"type\":[\"array\",\"null\"],\"maxItems\":128,"
	     "\"items\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":64},"
	     "\"description\":\"须补正的字段编号\"}},\"additionalProperties\":false}"},
    {.method = "POST",
     .pattern = "/api/v1/applications/{id}/resubmit",
     .handler = h_application_resubmit,
     .permission = "applications.edit",
     .audit = "application.resubmit",
     .tag = "applications",
     .summary = "补正或退回后重新提交"},
    {.method = "POST",
     .pattern = "/api/v1/applications/{id}/withdraw",
     .handler = h_application_withdraw,
     .permission = "applications.withdraw",
     .audit = "application.withdraw",
     .tag = "applications",
     .summary = "申请人撤回申请（作出决定前）"},
    {.method = "GET",
     .pattern = "/api/v1/tasks",
     .handler = h_tasks_list,
     .permission = "tasks.read",
     .flags = ROUTE_SLOW,
     .tag = "applications",
     .summary = "我的待办（含期限与临期、逾期标识）",
     .query = "kind:string,limit:integer,offset:integer"},
    {.method = "GET",
     .pattern = "/api/v1/notifications",
     .handler = h_notifications_list,
     .permission = "notifications.read",
     .flags = ROUTE_SLOW,
     .tag = "applications",
     .summary = "站内通知（含未读数）",
     .query = "unread:boolean,limit:integer,offset:integer"},
    {.method = "POST",
     .pattern = "/api/v1/notifications/{id}/read",
     .handler = h_notification_read,
     .permission = "notifications.read",
     .audit = "notification.read",
     .tag = "applications",
     .summary = "标记通知为已读"},
    {.method = "POST",
     .pattern = "/api/v1/notifications/read-all",
     .handler = h_notifications_read_all,
     .permission = "notifications.read",
     .audit = "notification.read_all",
     .tag = "applications",
     .summary = "全部标记为已读（仅本人的通知）"},
    /* @@applications-routes@@ */

    /* review, inspection and deadlines (issue 11) — routes of h_reviews.c, h_inspection.c */
    {.method = "POST",
     .pattern = "/api/v1/applications/{id}/reviews/{department}",
     .handler = h_review_decide,
     .permission = "applications.review",
     .audit = "application.review",
     .flags = ROUTE_JSON_BODY,
     .tag = "applications",
     .summary = "部门审查决定（准予 / 不予许可 / 退回）",
     .body = "{\"type\":\"object\",\"required\":[\"decision\"],"
	     "\"properties\":{\"decision\":{\"type\":\"string\",\"enum\":[\"approve\","
	     "\"reject\",\"send_back\"]},\"reason\":{\"type\":[\"string\",\"null\"],"
	     "\"maxLength\":2000,\"description\":\"不予许可、退回时必填\"}},"
	     "\"additionalProperties\":false,\"if\":{\"required\":[\"decision\"],"
	     "\"properties\":{\"decision\":{\"enum\":[\"reject\",\"send_back\"]}}},"
	     "\"then\":{\"required\":[\"reason\"],"
	     "\"properties\":{\"reason\":{\"type\":\"string\",\"minLength\":1}}}}"},
    {.method = "POST",
     .pattern = "/api/v1/applications/{id}/inspection",
     .handler = h_inspection_schedule,
     .permission = "applications.inspect",
     .audit = "application.inspection",
     .flags = ROUTE_JSON_BODY,
     .tag = "applications",
     .summary = "安排联合现场核查（一同核查）",
     .body = "{\"type\":\"object\",\"required\":[\"at\",\"inspectors\"],"
	     "\"properties\":{\"at\":{\"type\":\"string\",\"minLength\":1,"
	     "\"format\":\"date\",\"description\":\"核查日期\"},"
	     "\"inspectors\":{\"type\":\"array\",\"minItems\":1,\"maxItems\":256,"
	     "\"items\":{\"type\":\"integer\",\"minimum\":1},"
	     "\"description\":\"检查人员的用户编号\"}},\"additionalProperties\":false}"},
    {.method = "GET",
     .pattern = "/api/v1/applications/{id}/inspection",
     .handler = h_inspection_get,
     .permission = "applications.read",
     .tag = "applications",
     .summary = "本轮现场核查记录"},
    {.method = "GET",
     .pattern = "/api/v1/applications/{id}/inspectors",
     .handler = h_inspection_candidates,
     .permission = "applications.inspect",
     .tag = "applications",
     .summary = "可参加联合核查的检查人员（各需核查部门）"},
    {.method = "POST",
     .pattern = "/api/v1/applications/{id}/inspection/{department}",
     .handler = h_inspection_result,
     .permission = "applications.inspect",
     .audit = "application.inspection_result",
     .flags = ROUTE_JSON_BODY,
     .tag = "applications",
     .summary = "录入本部门的现场核查结论（通过 / 限期整改 / 不通过）",
     .body = "{\"type\":\"object\",\"required\":[\"result\"],"
	     "\"properties\":{\"result\":{\"type\":\"string\",\"enum\":[\"pass\","
	     "\"rectify\",\"fail\"]},\"findings\":{\"type\":[\"string\",\"null\"],"
	     "\"maxLength\":2000,\"description\":\"限期整改、不通过时必填\"},"
	     "\"deadline\":{\"type\":[\"string\",\"null\"],\"format\":\"date\","
	     "\"description\":\"整改期限（晚于今天）；限期整改时必填\"},"
	     "\"items\":{\"type\":\"array\","
	     "\"description\":\"核查清单逐项结论；仅当本部门核查清单为空时可省略\","
	     "\"items\":{\"type\":\"object\",\"required\":[\"id\",\"result\"],"
	     "\"properties\":{\"id\":{\"type\":\"string\"},\"result\":{\"type\":\"string\","
	     "\"enum\":[\"ok\",\"not_ok\",\"na\"]},\"note\":{\"type\":\"string\","
	     "\"maxLength\":2000},\"photos\":{\"type\":\"array\","
	     "\"items\":{\"type\":\"string\"},\"maxItems\":32}}}}},"
	     "\"additionalProperties\":false,\"allOf\":[{\"if\":{\"required\":[\"result\"],"
	     "\"properties\":{\"result\":{\"enum\":[\"rectify\",\"fail\"]}}},"
	     "\"then\":{\"required\":[\"findings\"],"
	     "\"properties\":{\"findings\":{\"type\":\"string\",\"minLength\":1}}}},"
	     "{\"if\":{\"required\":[\"result\"],"
	     "\"properties\":{\"result\":{\"const\":\"rectify\"}}},"
	     "\"then\":{\"required\":[\"deadline\"],"
	     "\"properties\":{\"deadline\":{\"type\":\"string\",\"format\":\"date\"}}}}]}"},
    {.method = "GET",
     .pattern = "/api/v1/deadlines",
     .handler = h_deadlines_list,
     .permission = "deadlines.read",
     .tag = "applications",
     .summary = "临近到期与已超期的事项（按部门）",
     .query = "due:string,department:string,limit:integer,offset:integer"},
    /* @@review-routes@@ */

    /* materials — routes of h_materials.c (issue 11 §3; docs/api-applications.md
       "Materials"). PUT takes the file itself as the body (ROUTE_UPLOAD). */
    {.method = "PUT",
     .pattern = "/api/v1/applications/{id}/materials/{material_id}",
     .handler = h_material_put,
     .permission = "applications.edit",
     .audit = "application.material_upload",
     .flags = ROUTE_UPLOAD,
     .tag = "applications",
     .summary = "上传一份申请材料（PDF、JPEG、PNG、OFD，按内容判断，10 MiB 以内）"},
    {.method = "GET",
     .pattern = "/api/v1/applications/{id}/materials/{material_id}",
     .handler = h_material_get,
     .permission = "applications.read",
     .flags = ROUTE_SLOW,
     .tag = "applications",
     .summary = "下载一份申请材料（以附件形式，类型按内容判定）"},
    {.method = "DELETE",
     .pattern = "/api/v1/applications/{id}/materials/{material_id}",
     .handler = h_material_delete,
     .permission = "applications.edit",
     .audit = "application.material_delete",
     .tag = "applications",
     .summary = "删除一份已上传的申请材料（可编辑状态下）"},
    {.method = "PUT",
     .pattern = "/api/v1/applications/{id}/inspection/{department}/photos/{n}",
     .handler = h_inspection_photo_put,
     .permission = "applications.inspect",
     .audit = "application.inspection_photo",
     .flags = ROUTE_UPLOAD,
     .tag = "applications",
     .summary = "上传本部门的现场核查照片（第 n 张，1–32；JPEG、PNG、PDF、OFD）"},
    {.method = "GET",
     .pattern = "/api/v1/applications/{id}/inspection/{department}/photos/{n}",
     .handler = h_inspection_photo_get,
     .permission = "applications.read",
     .flags = ROUTE_SLOW,
     .tag = "applications",
     .summary = "下载现场核查照片（以附件形式）"},

    /* lic-keys: the license's public signing keys (issue 12) — route of h_keys.c */
    {.method = "GET",
     .pattern = "/.well-known/yiye/keys.json",
     .handler = h_keys_json,
     .permission = "public",
     .tag = "licenses",
     .summary = "许可证签名公钥列表（当前与已停用的 Ed25519 公钥，供离线验证）"},
    /* licenses (issue 12, lic-core) — routes of h_licenses.c. First match
       wins: a literal path under /api/v1/licenses/ (export, …) must come
       before the {number} rows. */
    {.method = "POST",
     .pattern = "/api/v1/applications/{id}/license",
     .handler = h_license_issue,
     .permission = "licenses.issue",
     .audit = "license.issue",
     .flags = ROUTE_RENDERS,
     .tag = "licenses",
     .summary = "核发行业综合许可证（申请须为准予许可；签名、生成并存档 PDF）"},
    {.method = "GET",
     .pattern = "/api/v1/licenses/{number}",
     .handler = h_license_get,
     .permission = "licenses.read",
     .tag = "licenses",
     .summary = "许可证详情（持证人本人或工作人员；?version= 查看历史版本）",
     .query = "version:integer"},
    {.method = "GET",
     .pattern = "/api/v1/licenses/{number}/pdf",
     .handler = h_license_pdf,
     .permission = "licenses.read",
     .flags = ROUTE_SLOW,
     .tag = "licenses",
     .summary = "下载许可证 PDF（核发时生成的存档文件）",
     .query = "version:integer"},
    {.method = "GET",
     .pattern = "/api/v1/licenses/{number}/qr.png",
     .handler = h_license_qr,
     .permission = "licenses.read",
     .flags = ROUTE_SLOW,
     .tag = "licenses",
     .summary = "许可证二维码（PNG，与 PDF 上印的相同）",
     .query = "version:integer"},
    {.method = "GET",
     .pattern = "/api/v1/licenses/{number}/verify",
     .handler = h_license_verify,
     .permission = "public",
     .tag = "licenses",
     .summary = "公开核验许可证状态（有效、暂停、吊销、注销、过期、被取代）",
     .query = "version:integer,d:string"},
    {.method = "POST",
     .pattern = "/api/v1/licenses/{number}/suspend",
     .handler = h_license_suspend,
     .permission = "licenses.sanction",
     .audit = "license.suspend",
     .flags = ROUTE_JSON_BODY,
     .tag = "licenses",
     .summary = "暂停许可证（所含许可事项主管部门的监管人员）",
     .body = LICENSE_SANCTION_BODY},
    {.method = "POST",
     .pattern = "/api/v1/licenses/{number}/reinstate",
     .handler = h_license_reinstate,
     .permission = "licenses.sanction",
     .audit = "license.reinstate",
     .flags = ROUTE_JSON_BODY,
     .tag = "licenses",
     .summary = "恢复被暂停的许可证",
     .body = LICENSE_SANCTION_BODY},
    {.method = "POST",
     .pattern = "/api/v1/licenses/{number}/revoke",
     .handler = h_license_revoke,
     .permission = "licenses.sanction",
     .audit = "license.revoke",
     .flags = ROUTE_JSON_BODY,
     .tag = "licenses",
     .summary = "吊销许可证",
     .body = LICENSE_SANCTION_BODY},
    /* lic-life — routes of h_entities.c (the registration link) */
    {.method = "GET",
     .pattern = "/api/v1/entities/{uscc}",
     .handler = h_entity_get,
     .permission = "entities.manage",
     .flags = ROUTE_SLOW,
     .tag = "licenses",
     .summary = "市场主体登记信息及其持有的许可证（含需变更、已注销登记标记）"},
    {.method = "PUT",
     .pattern = "/api/v1/entities/{uscc}",
     .handler = h_entity_put,
     .permission = "entities.manage",
     .audit = "entity.put",
     .flags = ROUTE_JSON_BODY,
     .tag = "licenses",
     .summary = "录入市场主体登记信息（名称、法定代表人、地址、登记状态）",
     .body = "{\"type\":\"object\",\"required\":[\"name\"],"
	     "\"properties\":{\"name\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":200},"
	     "\"legal_rep\":{\"type\":[\"string\",\"null\"],\"maxLength\":50},"
	     "\"address\":{\"type\":[\"string\",\"null\"],\"maxLength\":200},"
	     "\"status\":{\"type\":[\"string\",\"null\"],\"enum\":[\"registered\","
	     "\"deregistered\",null],\"description\":\"登记状态，缺省 registered\"}},"
	     "\"additionalProperties\":false}"},

    /* sup-plans: spot-check plans, draws, check tasks and results (issue 13,
       双随机、一公开) — routes of h_plans.c, h_plan_draw.c, h_checks.c;
       docs/api-supervision.md "Plans" */
    {.method = "POST",
     .pattern = "/api/v1/supervision/plans",
     .handler = h_plan_create,
     .permission = "supervision.plans",
     .audit = "spot_plan.create",
     .flags = ROUTE_JSON_BODY,
     .tag = "supervision",
     .summary = "新建双随机抽查计划（单部门或联合）",
     .body = SPOT_PLAN_BODY},
    {.method = "GET",
     .pattern = "/api/v1/supervision/plans",
     .handler = h_plans_list,
     .permission = "supervision.plans",
     .tag = "supervision",
     .summary = "本部门参与的抽查计划",
     .query = "limit:integer,offset:integer"},
    {.method = "GET",
     .pattern = "/api/v1/supervision/plans/{id}",
     .handler = h_plan_get,
     .permission = "supervision.plans",
     .tag = "supervision",
     .summary = "抽查计划详情（冻结后含承诺值）"},
    {.method = "GET",
     .pattern = "/api/v1/supervision/plans/{id}/preview",
     .handler = h_plan_preview,
     .permission = "supervision.plans",
     .flags = ROUTE_SLOW,
     .tag = "supervision",
     .summary = "预览各信用等级的主体数与预计抽取数"},
    {.method = "POST",
     .pattern = "/api/v1/supervision/plans/{id}/freeze",
     .handler = h_plan_freeze,
     .permission = "supervision.plans",
     .audit = "spot_plan.freeze",
     .tag = "supervision",
     .summary = "冻结计划并公布承诺值（抽取输入与密钥哈希）"},
    {.method = "POST",
     .pattern = "/api/v1/supervision/plans/{id}/draw",
     .handler = h_plan_draw,
     .permission = "supervision.plans",
     .audit = "spot_plan.draw",
     .flags = ROUTE_JSON_BODY,
     .tag = "supervision",
     .summary = "以公开随机值抽取并生成检查任务",
     .body = "{\"type\":\"object\",\"additionalProperties\":false,\"required\":["
	     "\"public_value\",\"source\"],\"properties\":{\"public_value\":{\"type\":"
	     "\"string\",\"minLength\":1,\"maxLength\":1024,\"description\":\"冻结后才产生的"
	     "公开值（如开奖号码）\"},\"source\":{\"type\":\"string\",\"minLength\":1,"
	     "\"maxLength\":64,\"description\":\"公开值的来源\"}}}"},
    {.method = "GET",
     .pattern = "/api/v1/supervision/draws",
     .handler = h_draws_list,
     .permission = "public",
     .flags = ROUTE_SLOW,
     .tag = "supervision",
     .summary = "已公布的抽取记录",
     .query = "limit:integer,offset:integer"},
    {.method = "GET",
     .pattern = "/api/v1/supervision/draws/{id}",
     .handler = h_draw_get,
     .permission = "public",
     .flags = ROUTE_SLOW,
     .tag = "supervision",
     .summary = "抽取结果及服务器的复核（draw_verify）"},
    {.method = "GET",
     .pattern = "/api/v1/supervision/draws/{id}/record",
     .handler = h_draw_record,
     .permission = "public",
     .flags = ROUTE_SLOW,
     .tag = "supervision",
     .summary = "抽取记录（yiye draw verify 校验的文件）"},
    {.method = "GET",
     .pattern = "/api/v1/supervision/tasks",
     .handler = h_checks_list,
     .permission = "supervision.tasks",
     .tag = "supervision",
     .summary = "检查任务（mine=1：本人的；监管人员：本部门计划的，含公示是否超期）",
     .query = "mine:integer,plan:integer,publication:string,limit:integer,offset:integer"},
    {.method = "GET",
     .pattern = "/api/v1/supervision/tasks/{id}",
     .handler = h_check_get,
     .permission = "supervision.tasks",
     .tag = "supervision",
     .summary = "检查任务详情"},
    {.method = "POST",
     .pattern = "/api/v1/supervision/tasks/{id}/result",
     .handler = h_check_result,
     .permission = "supervision.check",
     .audit = "check_task.result",
     .flags = ROUTE_JSON_BODY,
     .tag = "supervision",
     .summary = "逐项录入检查结果（合格 / 责令整改 / 不合格 / 未发现经营）",
     .body = "{\"type\":\"object\",\"additionalProperties\":false,\"required\":["
	     "\"items\"],\"properties\":{\"notes\":{\"type\":\"string\",\"maxLength\":2000},"
	     "\"items\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"required\":["
	     "\"code\",\"result\"],\"properties\":{\"code\":{\"type\":\"string\"},"
	     "\"result\":{\"enum\":[\"passed\",\"rectify\",\"failed\",\"not_found\"]},"
	     "\"note\":{\"type\":\"string\",\"maxLength\":2000},\"deadline\":{\"type\":"
	     "\"string\",\"format\":\"date\",\"description\":\"责令整改时必填\"}}}}}}"},
    {.method = "POST",
     .pattern = "/api/v1/supervision/tasks/{id}/publish",
     .handler = h_check_publish,
     .permission = "supervision.plans",
     .audit = "check_task.publish",
     .tag = "supervision",
     .summary = "公示检查结果（录入后 20 个工作日内）"},
    {.method = "GET",
     .pattern = "/api/v1/supervision/results",
     .handler = h_results_public,
     .permission = "public",
     .flags = ROUTE_SLOW,
     .tag = "supervision",
     .summary = "已公示的抽查结果",
     .query = "uscc:string,limit:integer,offset:integer"},
    /* sup-core (issue 13): the registers and the 互联网+监管 export — routes
       of h_supervision.c and h_sup_inspectors.c */
    {.method = "GET",
     .pattern = "/api/v1/supervision/entities",
     .handler = h_sup_entities,
     .permission = "supervision.registers",
     .flags = ROUTE_SLOW,
     .tag = "supervision",
     .summary = "检查对象名录库：持证主体及其行业、许可证、信用等级",
     .query = "industry:string,grade:string,street:string,flag:string,q:string,limit:integer,"
	      "offset:integer"},
    {.method = "GET",
     .pattern = "/api/v1/supervision/check-items",
     .handler = h_sup_check_items,
     .permission = "public",
     .tag = "supervision",
     .summary = "随机抽查事项清单：各行业各监管部门的检查事项及法律依据（来自行业目录）",
     .query = "industry:string,department:string"},
    {.method = "GET",
     .pattern = "/api/v1/supervision/inspectors",
     .handler = h_sup_inspectors_list,
     .permission = "supervision.registers",
     .tag = "supervision",
     .summary = "执法检查人员名录库",
     .query = "department:string,active:boolean"},
    {.method = "POST",
     .pattern = "/api/v1/supervision/inspectors",
     .handler = h_sup_inspector_create,
     .permission = "supervision.inspectors",
     .audit = "supervision.inspector_add",
     .flags = ROUTE_JSON_BODY,
     .tag = "supervision",
     .summary = "将本部门的执法检查人员列入名录库（监管人员：本部门；系统管理员：任一部门）",
     .body = "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"user_id\"],"
	     "\"properties\":{\"user_id\":{\"type\":\"integer\",\"minimum\":1},"
	     "\"department\":{\"type\":\"string\",\"maxLength\":24,\"description\":"
	     "\"缺省为监管人员本人的部门；系统管理员必填\"},\"qualifications\":{\"type\":"
	     "\"array\",\"maxItems\":20,\"items\":{\"type\":\"string\",\"minLength\":1,"
	     "\"maxLength\":100}},\"active\":{\"type\":\"boolean\"},\"note\":{\"type\":"
	     "[\"string\",\"null\"],\"maxLength\":500}}}"},
    {.method = "GET",
     .pattern = "/api/v1/supervision/inspectors/{user_id}",
     .handler = h_sup_inspector_get,
     .permission = "supervision.registers",
     .tag = "supervision",
     .summary = "名录库中的一名执法检查人员（本人、本部门监管人员与系统管理员另见其利害关系申报）"},
    {.method = "PATCH",
     .pattern = "/api/v1/supervision/inspectors/{user_id}",
     .handler = h_sup_inspector_update,
     .permission = "supervision.inspectors",
     .audit = "supervision.inspector_update",
     .flags = ROUTE_JSON_BODY,
     .tag = "supervision",
     .summary = "修改执法检查人员的资格、在岗状态、备注",
     .body = "{\"type\":\"object\",\"additionalProperties\":false,\"minProperties\":1,"
	     "\"properties\":{\"qualifications\":{\"type\":\"array\",\"maxItems\":20,"
	     "\"items\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":100}},"
	     "\"active\":{\"type\":\"boolean\"},\"note\":{\"type\":[\"string\",\"null\"],"
	     "\"maxLength\":500}}}"},
    {.method = "GET",
     .pattern = "/api/v1/supervision/conflicts",
     .handler = h_sup_conflicts_list,
     .permission = "supervision.conflicts.read",
     .tag = "supervision",
     .summary = "利害关系申报（执法检查人员：本人；监管人员：本部门；系统管理员、审计人员：全部）",
     .query = "department:string,user_id:integer,withdrawn:boolean"},
    {.method = "POST",
     .pattern = "/api/v1/supervision/conflicts",
     .handler = h_sup_conflict_declare,
     .permission = "supervision.conflicts.declare",
     .audit = "supervision.conflict_declare",
     .flags = ROUTE_JSON_BODY,
     .tag = "supervision",
     .summary = "执法检查人员申报与某一主体的利害关系（抽取时回避）",
     .body = "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"uscc\","
	     "\"reason\"],\"properties\":{\"uscc\":{\"type\":\"string\",\"maxLength\":18},"
	     "\"reason\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":500}}}"},
    {.method = "DELETE",
     .pattern = "/api/v1/supervision/conflicts/{id}",
     .handler = h_sup_conflict_withdraw,
     .permission = "supervision.conflicts.declare",
     .audit = "supervision.conflict_withdraw",
     .tag = "supervision",
     .summary = "撤回本人的利害关系申报（已冻结的计划不受影响）"},
    {.method = "GET",
     .pattern = "/api/v1/supervision/export",
     .handler = h_sup_export,
     .permission = "supervision.export",
     .flags = ROUTE_SLOW,
     .tag = "supervision",
     .summary =
	 "互联网+监管 增量导出：seq 大于 after 的监管记录（计划、抽取、结果、处罚…），按提交顺序",
     .query = "after:integer,limit:integer"},

    /* sup-complaints: complaints and reports, risk signals (issue 13) —
       routes of h_complaints.c and h_risk.c. The literal .../entities comes
       before .../{ticket}. */
    {.method = "GET",
     .pattern = "/api/v1/public/complaints/entities",
     .handler = h_complaint_entities,
     .permission = "public",
     .flags = ROUTE_SLOW,
     .tag = "complaints",
     .summary = "投诉举报：按名称、许可证编号或统一社会信用代码查找持证经营主体及可投诉的监管事项",
     .query = "q:string"},
    {.method = "POST",
     .pattern = "/api/v1/public/complaints",
     .handler = h_complaint_file,
     .permission = "public",
     .audit = "complaint.file",
     .flags = ROUTE_JSON_BODY,
     .tag = "complaints",
     .summary = "提交投诉举报（无需账号；同一网络地址每小时有次数限制，超过 429）",
     .body = "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"matter\","
	     "\"description\"],\"properties\":{\"license_number\":{\"type\":\"string\","
	     "\"maxLength\":39},\"uscc\":{\"type\":\"string\",\"maxLength\":18},"
	     "\"matter\":{\"type\":\"string\",\"maxLength\":100},\"description\":{"
	     "\"type\":\"string\",\"minLength\":5,\"maxLength\":2000},\"contact\":{"
	     "\"type\":\"string\",\"maxLength\":100}}}"},
    {.method = "GET",
     .pattern = "/api/v1/public/complaints/{ticket}",
     .handler = h_complaint_lookup,
     .permission = "public",
     .flags = ROUTE_SLOW,
     .tag = "complaints",
     .summary = "凭受理编号和查询码查询投诉举报的办理进度和结果（不含个人信息）",
     .query = "key:string"},
    {.method = "GET",
     .pattern = "/api/v1/supervision/complaints",
     .handler = h_complaints_list,
     .permission = "complaints.read",
     .tag = "complaints",
     .summary = "本部门承办的投诉举报（审计人员：全部）",
     .query = "status:string,overdue:integer,uscc:string,limit:integer,offset:integer"},
    {.method = "GET",
     .pattern = "/api/v1/supervision/complaints/{ticket}",
     .handler = h_complaint_get,
     .permission = "complaints.read",
     .tag = "complaints",
     .summary = "投诉举报详情（举报人联系方式仅承办部门可见）"},
    {.method = "POST",
     .pattern = "/api/v1/supervision/complaints/{ticket}/accept",
     .handler = h_complaint_accept,
     .permission = "complaints.handle",
     .audit = "complaint.accept",
     .tag = "complaints",
     .summary = "承办部门受理投诉举报"},
    {.method = "POST",
     .pattern = "/api/v1/supervision/complaints/{ticket}/transfer",
     .handler = h_complaint_transfer,
     .permission = "complaints.handle",
     .audit = "complaint.transfer",
     .flags = ROUTE_JSON_BODY,
     .tag = "complaints",
     .summary = "转交其他部门办理",
     .body = "{\"type\":\"object\",\"additionalProperties\":false,\"required\":["
	     "\"department\",\"reason\"],\"properties\":{\"department\":{\"type\":"
	     "\"string\",\"maxLength\":24},\"reason\":{\"type\":\"string\","
	     "\"maxLength\":500}}}"},
    {.method = "POST",
     .pattern = "/api/v1/supervision/complaints/{ticket}/close",
     .handler = h_complaint_close,
     .permission = "complaints.handle",
     .audit = "complaint.close",
     .flags = ROUTE_JSON_BODY,
     .tag = "complaints",
     .summary = "办结投诉举报（结果与答复告知举报人；属实的计入信用记录）",
     .body = "{\"type\":\"object\",\"additionalProperties\":false,\"required\":["
	     "\"outcome\",\"reply\"],\"properties\":{\"outcome\":{\"type\":\"string\","
	     "\"enum\":[\"substantiated\",\"unsubstantiated\",\"not_ours\"]},\"reply\":{"
	     "\"type\":\"string\",\"maxLength\":2000}}}"},
    {.method = "GET",
     .pattern = "/api/v1/supervision/risk",
     .handler = h_risk_list,
     .permission = "risk.read",
     .flags = ROUTE_SLOW,
     .tag = "supervision",
     .summary = "风险提示：本部门监管的经营主体中触发风险规则的，逐条说明原因",
     .query = "department:string"},
    {.method = "GET",
     .pattern = "/api/v1/supervision/risk/{uscc}",
     .handler = h_risk_entity,
     .permission = "risk.read",
     .tag = "supervision",
     .summary = "一个经营主体的风险提示及原因",
     .query = "department:string"},
    /* sup-credit — routes of h_credit.c, h_penalties.c, h_annual_reports.c,
       h_verifications.c (issue 13 points 5–8) */
    {.method = "GET",
     .pattern = "/api/v1/supervision/credit/rules",
     .handler = h_credit_rules,
     .permission = "public",
     .tag = "supervision",
     .summary = "信用分级规则（模型规则：分值、有效期、阈值）"},
    {.method = "GET",
     .pattern = "/api/v1/supervision/my-credit",
     .handler = h_credit_mine,
     .permission = "credit.read",
     .tag = "supervision",
     .summary = "本主体的信用：等级、形成等级的记录、历史",
     .query = "uscc:string"},
    {.method = "GET",
     .pattern = "/api/v1/supervision/credit/{uscc}",
     .handler = h_credit_get,
     .permission = "credit.read",
     .tag = "supervision",
     .summary = "市场主体的信用：等级、形成等级的记录、全部记录、等级历史"},
    {.method = "POST",
     .pattern = "/api/v1/supervision/credit/{uscc}/records",
     .handler = h_credit_record_create,
     .permission = "credit.manage",
     .audit = "credit.record",
     .flags = ROUTE_JSON_BODY,
     .tag = "supervision",
     .summary = "监管人员记录一条信用记录（须写明理由）",
     .body = "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"severity\","
	     "\"reason\"],\"properties\":{\"severity\":{\"type\":\"string\",\"enum\":[\"minor\","
	     "\"general\",\"serious\"]},\"reason\":{\"type\":\"string\",\"maxLength\":500},\"ref\":"
	     "{\"type\":\"string\",\"maxLength\":64}}}"},
    {.method = "POST",
     .pattern = "/api/v1/supervision/penalties",
     .handler = h_penalty_create,
     .permission = "penalties.decide",
     .audit = "penalty.create",
     .flags = ROUTE_JSON_BODY,
     .tag = "supervision",
     .summary = "登记行政处罚决定（吊销许可证件时同时吊销许可证）",
     .body = "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"decision_no\","
	     "\"uscc\",\"facts\",\"basis\",\"kind\",\"decided_on\"],\"properties\":{\"decision_"
	     "no\":{\"type\":\"string\",\"maxLength\":64},\"uscc\":{\"type\":\"string\"},\"facts\":"
	     "{\"type\":\"string\",\"maxLength\":2000},\"basis\":{\"type\":\"string\","
	     "\"maxLength\":2000},\"kind\":{\"type\":\"string\"},\"amount\":{\"type\":\"integer\","
	     "\"minimum\":0},\"decided_on\":{\"type\":\"string\",\"format\":\"date\"},\"license_"
	     "number\":{\"type\":\"string\"}}}"},
    {.method = "GET",
     .pattern = "/api/v1/public/penalties",
     .handler = h_penalties_public,
     .permission = "public",
     .tag = "supervision",
     .summary = "公示的行政处罚决定（不含个人信息）",
     .query = "uscc:string,department:string,limit:integer,offset:integer"},
    {.method = "GET",
     .pattern = "/api/v1/supervision/annual-reports/form",
     .handler = h_annual_report_form,
     .permission = "annual_reports.file",
     .tag = "supervision",
     .summary = "年度报告：应报年度、报送期限和本行业的报告项目",
     .query = "uscc:string"},
    {.method = "POST",
     .pattern = "/api/v1/supervision/annual-reports",
     .handler = h_annual_report_create,
     .permission = "annual_reports.file",
     .audit = "annual_report.file",
     .flags = ROUTE_JSON_BODY,
     .tag = "supervision",
     .summary = "报送上一年度的年度报告（1 月 1 日至 6 月 30 日；逾期仅限补报移出经营异常名录）",
     .body = "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"fields\"],"
	     "\"properties\":{\"uscc\":{\"type\":\"string\"},\"year\":{\"type\":\"integer\"},"
	     "\"fields\":{\"type\":\"object\"}}}"},
    {.method = "GET",
     .pattern = "/api/v1/public/annual-reports",
     .handler = h_annual_reports_public,
     .permission = "public",
     .tag = "supervision",
     .summary = "公示的年度报告（不含个人信息）",
     .query = "uscc:string,year:integer,limit:integer,offset:integer"},
    {.method = "GET",
     .pattern = "/api/v1/public/abnormal-list",
     .handler = h_abnormal_list_public,
     .permission = "public",
     .tag = "supervision",
     .summary = "经营异常名录（当前列入的市场主体）",
     .query = "uscc:string,limit:integer,offset:integer"},
    {.method = "POST",
     .pattern = "/api/v1/supervision/credit/jobs/run",
     .handler = h_credit_job_run,
     .permission = "credit.jobs",
     .audit = "credit.job",
     .tag = "supervision",
     .summary = "立即运行每日信用任务（7 月 1 日起列入经营异常名录；记录到期重新评级）"},
    {.method = "POST",
     .pattern = "/api/v1/supervision/verifications/{id}",
     .handler = h_verification_record,
     .permission = "verification.record",
     .audit = "verification.record",
     .flags = ROUTE_JSON_BODY,
     .tag = "supervision",
     .summary = "记录告知承诺核查结果（承诺不实：吊销许可证并记入信用）",
     .body = "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"result\"],"
	     "\"properties\":{\"result\":{\"type\":\"string\",\"enum\":[\"true\",\"false_"
	     "commitment\"]},\"note\":{\"type\":\"string\",\"maxLength\":500},\"basis\":{\"type\":"
	     "\"string\",\"maxLength\":500}}}"},
};

const int routes_count = (int)(sizeof(routes) / sizeof(routes[0]));
