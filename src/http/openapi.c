/*
 * openapi.c — the OpenAPI 3.1 document, generated from the route table so
 * it always lists exactly the routes the server answers, each with the
 * permission it requires (x-permission) and the audit event it records.
 */
#include <stdio.h>
#include <string.h>

#include "http/auth.h"
#include "http/handlers.h"
#include "http/internal.h"

static json_t *error_response(const char *description)
{
	return json_pack("{s:s,s:{s:{s:{s:s}}}}", "description", description, "content",
			 "application/json", "schema", "$ref", "#/components/schemas/Error");
}

/* An error answer that carries a Retry-After header (429, 503 busy). */
static json_t *retry_response(const char *description, const char *header)
{
	json_t *o = error_response(description);

	json_object_set_new(o, "headers",
			    json_pack("{s:{s:s,s:{s:s,s:i}}}", "Retry-After", "description", header,
				      "schema", "type", "integer", "minimum", 1));
	return o;
}

/* Handlers answered on an I/O thread from memory alone (catalog, calendar,
 * counters): they never reach the database, so never answer 503 for it. A
 * new handler missing here is described as possibly answering 503 — an
 * overstatement, never an omission. */
static int without_store(route_handler h)
{
	static const route_handler handlers[] = {
	    h_metrics,           h_openapi,        h_version,      h_validate,
	    h_calendar_workdays, h_calendar_years, h_catalog_info, h_industries_search,
	    h_industry_get,      h_guide,          h_keys_json, /* lic-keys */
	    h_trusted_keys_json, /* share-exempt: files of the data directory */
	};

	for (size_t i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++)
		if (handlers[i] == h)
			return 1;
	return 0;
}

/* Handlers that need an active catalog version: without one they answer
 * 503 catalog_unavailable. */
static int needs_catalog(route_handler h)
{
	return h == h_catalog_info || h == h_industries_search || h == h_industry_get ||
	       h == h_guide || h == h_application_create;
}

/* The route's 503 answer, naming every cause it can have, or NULL when it
 * has none. */
static json_t *unavailable_response(const struct route *rt)
{
	char desc[512] = "";
	size_t n = 0;

	if (rt->handler == h_healthz)
		/* the health report itself, not an error object */
		return json_pack("{s:s,s:{s:{s:{s:s}}},s:{s:{s:s,s:{s:s,s:i}}}}", "description",
				 "数据库读或写失败（正文同成功时，指明失败项）；或服务器繁忙",
				 "content", "application/json", "schema", "type", "object",
				 "headers", "Retry-After", "description",
				 "服务器繁忙时：建议等待的秒数", "schema", "type", "integer",
				 "minimum", 1);
	if (rt->flags & ROUTE_HASHES)
		n += (size_t)snprintf(desc + n, sizeof(desc) - n, "%s",
				      "服务器繁忙（busy：等待计算密码哈希的请求已达上限）");
	else if (rt->flags & ROUTE_UPLOAD)
		n += (size_t)snprintf(desc + n, sizeof(desc) - n, "%s",
				      "服务器繁忙（busy：等待保存的上传已达上限）");
	else if (rt->flags & ROUTE_RENDERS)
		n += (size_t)snprintf(desc + n, sizeof(desc) - n, "%s",
				      "服务器繁忙（busy：等待生成的许可证 PDF 已达上限）");
	else if (route_on_worker(rt, rt->method))
		n += (size_t)snprintf(desc + n, sizeof(desc) - n, "%s",
				      "服务器繁忙（busy：此类请求的等待队列已满）");
	if (!without_store(rt->handler))
		n += (size_t)snprintf(desc + n, sizeof(desc) - n, "%s%s", n ? "；或" : "",
				      "数据库暂不可用（db_unavailable、db_busy、db_locked 等）");
	if (needs_catalog(rt->handler))
		n += (size_t)snprintf(desc + n, sizeof(desc) - n, "%s%s", n ? "；或" : "",
				      "行业目录尚未启用任何版本（catalog_unavailable）");
	if (n == 0)
		return NULL;
	if (route_on_worker(rt, rt->method))
		return retry_response(desc, "busy 时：建议等待的秒数");
	return error_response(desc);
}

/* Who may call the route (components.securitySchemes): anyone for a
 * public route; otherwise a login session — whose writes echo its CSRF
 * token — or an API token. The identity-gateway header, configured per
 * deployment and trusted only from the proxy's address, is not listed. */
static json_t *route_security(const struct route *rt)
{
	if (strcmp(rt->permission, "public") == 0)
		return json_array();
	if (strcmp(rt->method, "GET") == 0)
		return json_pack("[{s:[]},{s:[]}]", "session", "token");
	return json_pack("[{s:[],s:[]},{s:[]}]", "session", "csrf", "token");
}

static json_t *security_schemes(void)
{
	return json_pack("{s:{s:s,s:s,s:s,s:s},s:{s:s,s:s,s:s,s:s},s:{s:s,s:s,s:s}}", "session",
			 "type", "apiKey", "in", "cookie", "name", AUTH_SESSION_COOKIE,
			 "description", "登录会话（POST /api/v1/session 设置）", "csrf", "type",
			 "apiKey", "in", "header", "name", "X-CSRF-Token", "description",
			 "防伪令牌：会话的写请求须回送 " AUTH_CSRF_COOKIE " Cookie 的值", "token",
			 "type", "http", "scheme", "bearer", "description",
			 "接口访问令牌（POST /api/v1/tokens 创建），按其权限范围（scopes）授权");
}

/* "post_users_id_password-reset" for POST /api/v1/users/{id}/password-reset:
 * unique (tests/api/test_http.c) and made of URL-safe characters only, so
 * generated clients can use it as a name. */
static void operation_id(char *out, size_t size, const char *method, const char *pattern)
{
	size_t n = (size_t)snprintf(out, size, "%s", method);

	if (strncmp(pattern, "/api/v1/", 8) == 0)
		pattern += 7;
	for (const char *p = pattern; *p && n + 1 < size; p++)
		if (*p != '{' && *p != '}')
			out[n++] = *p == '/' ? '_' : *p;
	out[n < size ? n : size - 1] = '\0';
}

/* Path parameters {name} become required string parameters. */
static void add_path_params(json_t *params, const char *pattern)
{
	for (const char *p = strchr(pattern, '{'); p; p = strchr(p + 1, '{')) {
		const char *e = strchr(p, '}');
		char name[64];

		if (e == NULL || (size_t)(e - p - 1) >= sizeof(name))
			break;
		snprintf(name, sizeof(name), "%.*s", (int)(e - p - 1), p + 1);
		json_array_append_new(params,
				      json_pack("{s:s,s:s,s:b,s:{s:s}}", "name", name, "in", "path",
						"required", 1, "schema", "type", "string"));
	}
}

/* Query parameters from the table's "name:type,…" description. */
static void add_query_params(json_t *params, const char *query)
{
	char buf[512], *save = NULL;

	if (query == NULL)
		return;
	snprintf(buf, sizeof(buf), "%s", query);
	for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *colon = strchr(tok, ':');
		const char *type = colon ? colon + 1 : "string";
		json_t *schema;

		if (colon)
			*colon = '\0';
		if (strcmp(type, "date") == 0)
			schema = json_pack("{s:s,s:s}", "type", "string", "format", "date");
		else
			schema = json_pack("{s:s}", "type", type);
		json_array_append_new(params, json_pack("{s:s,s:s,s:b,s:o}", "name", tok, "in",
							"query", "required", 0, "schema", schema));
	}
}

json_t *openapi_document(void)
{
	json_t *paths = json_object(), *doc;

	for (int i = 0; i < routes_count; i++) {
		const struct route *rt = &routes[i];
		json_t *item = json_object_get(paths, rt->pattern);
		json_t *op, *params = json_array(), *responses;
		char method[8], opid[160];
		size_t k;

		if (item == NULL) {
			item = json_object();
			json_object_set_new(paths, rt->pattern, item);
		}
		for (k = 0; k < sizeof(method) - 1 && rt->method[k]; k++)
			method[k] = (char)(rt->method[k] | 0x20);
		method[k] = '\0';
		operation_id(opid, sizeof(opid), method, rt->pattern);
		add_path_params(params, rt->pattern);
		add_query_params(params, rt->query);
		/* 2XX: reads answer 200, creations 201. Only routes that need a
		 * login can answer 401/403; only writes can conflict. */
		responses =
		    json_pack("{s:{s:s},s:o,s:o,s:o*}", "2XX", "description", "成功", "400",
			      error_response("请求有误（code、message、field 说明原因）"), "404",
			      error_response("不存在"), "503", unavailable_response(rt));
		/* Logins are throttled per account and per address. */
		if (rt->handler == h_session_create)
			json_object_set_new(
			    responses, "429",
			    retry_response("尝试次数过多，暂时锁定（too_many_attempts）",
					   "锁定剩余的秒数"));
		if (strcmp(rt->permission, "public") != 0) {
			json_object_set_new(responses, "401", error_response("未登录或登录已失效"));
			json_object_set_new(responses, "403",
					    error_response("无权限，或缺少防伪令牌"));
		}
		if (strcmp(rt->method, "GET") != 0)
			json_object_set_new(responses, "409", error_response("与现有数据冲突"));
		op = json_pack("{s:s,s:s,s:[s],s:o,s:o,s:s,s:s?}", "operationId", opid, "summary",
			       rt->summary ? rt->summary : "", "tags", rt->tag ? rt->tag : "misc",
			       "parameters", params, "responses", responses, "x-permission",
			       rt->permission, "x-audit-event", rt->audit);
		json_object_set_new(op, "security", route_security(rt));
		if (rt->flags & ROUTE_JSON_BODY) {
			/* Every JSON route describes its body (.body, a JSON
			 * schema; tests/api/test_http.c holds them to it). */
			json_t *schema = rt->body ? json_loads(rt->body, 0, NULL) : NULL;

			if (schema == NULL)
				schema = json_pack("{s:s}", "type", "object");
			json_object_set_new(op, "requestBody",
					    json_pack("{s:b,s:{s:{s:o}}}", "required", 1, "content",
						      "application/json", "schema", schema));
			json_object_set_new(responses, "413", error_response("请求体过大"));
			json_object_set_new(responses, "415", error_response("内容类型错误"));
		}
		if (rt->flags & ROUTE_UPLOAD) {
			/* A raw file, judged by its bytes, not by its type. */
			json_object_set_new(op, "requestBody",
					    json_pack("{s:b,s:{s:{s:{s:s,s:s,s:I}}}}", "required",
						      1, "content", "application/octet-stream",
						      "schema", "type", "string", "format",
						      "binary", "maxLength",
						      (json_int_t)ROUTE_UPLOAD_LIMIT));
			json_object_set_new(responses, "413", error_response("文件过大"));
			json_object_set_new(responses, "415",
					    error_response("不是 PDF、JPEG、PNG 或 OFD 文件"));
		}
		json_object_set_new(item, method, op);
	}
	doc = json_pack("{s:s,s:{s:s,s:s,s:s},s:[{s:s}],s:o,s:{s:{s:{s:s,s:[s],s:{s:{s:s,s:[s,s,s]"
			",s:{s:{s:s},s:{s:s},s:{s:[s,s]}}}}}}}}",
			"openapi", "3.1.0", "info", "title", "Yiye 一业一证综合许可平台 API",
			"version", YIYE_VERSION, "description",
			"所有错误均以 {\"error\":{\"code\",\"message\",\"field\"}} "
			"返回；x-permission 为所需权限。",
			"servers", "url", "/", "paths", paths, "components", "schemas", "Error",
			"type", "object", "required", "error", "properties", "error", "type",
			"object", "required", "code", "message", "field", "properties", "code",
			"type", "string", "message", "type", "string", "field", "type", "string",
			"null");
	json_object_set_new(json_object_get(doc, "components"), "securitySchemes",
			    security_schemes());
	return doc;
}
