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
	{"POST", "/api/v1/validate", h_validate, "public", NULL, ROUTE_JSON_BODY, "tools",
	 "校验统一社会信用代码或居民身份证号", NULL},
	{"GET", "/api/v1/calendar/workdays", h_calendar_workdays, "public", NULL, 0, "calendar",
	 "工作日计算：from+add 求期限日，from+to 求间隔工作日数", "from:date,add:integer,to:date"},
	{"GET", "/api/v1/calendar/years", h_calendar_years, "public", NULL, 0, "calendar",
	 "已载入的法定节假日年份", NULL},

	/* accounts, sessions, tokens, audit — routes of h_account.c, h_admin.c, h_audit.c */
	/* @@accounts-routes@@ */

	/* catalog and guide — routes of h_catalog.c, h_catalog_admin.c */
	/* @@catalog-routes@@ */
};

const int routes_count = (int)(sizeof(routes) / sizeof(routes[0]));
