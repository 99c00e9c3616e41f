/*
 * openapi.c — the OpenAPI 3.1 document, generated from the route table so
 * it always lists exactly the routes the server answers, each with the
 * permission it requires (x-permission) and the audit event it records.
 */
#include <stdio.h>
#include <string.h>

#include "http/http.h"

static json_t *error_response(const char *description)
{
	return json_pack("{s:s,s:{s:{s:{s:s}}}}", "description", description, "content",
			 "application/json", "schema", "$ref", "#/components/schemas/Error");
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
	json_t *paths = json_object();

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
		snprintf(opid, sizeof(opid), "%s %s", rt->method, rt->pattern);
		add_path_params(params, rt->pattern);
		add_query_params(params, rt->query);
		/* 2XX: reads answer 200, creations 201. Only routes that need a
		 * login can answer 401/403; only writes can conflict. */
		responses =
		    json_pack("{s:{s:s},s:o,s:o,s:o}", "2XX", "description", "成功", "400",
			      error_response("请求有误（code、message、field 说明原因）"), "404",
			      error_response("不存在"), "503", error_response("数据库暂不可用"));
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
		if (rt->flags & ROUTE_JSON_BODY) {
			/* A route may describe its body (.body, a JSON schema);
			 * otherwise it is some object. */
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
	return json_pack("{s:s,s:{s:s,s:s,s:s},s:[{s:s}],s:o,s:{s:{s:{s:s,s:[s],s:{s:{s:s,s:[s,s,s]"
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
}
