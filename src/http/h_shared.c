/*
 * h_shared.c — shared reads by 统一社会信用代码 for a data consumer's token
 * (issue 14; docs/api-sharing.md):
 *   GET /api/v1/shared/entities/{uscc}/licenses        (licenses:read)
 *   GET …/annual-reports (reports:read), …/penalties and …/inspections
 *   (supervision:read), …/credit (credit:read), …/applications
 *   (applications:read)
 *   PUT /api/v1/tokens/{id}/sharing   a token's department, purposes, rate
 *
 * The route table has decided the scope before the handler runs (each route's
 * permission maps to exactly one scope in roles.c; default deny). A read then
 * goes: the uscc's form (400) → the stated purpose (400 purpose_required /
 * unknown_purpose) → the token's rate (429 + Retry-After) → the token's
 * allowed purposes (403 purpose_not_allowed) → the rows → the access-log
 * entry, queued before the answer leaves (a full queue refuses the read, 503)
 * and committed by the appender within one commit's time (h_shared.h). Refusals after the token is
 * known (403, 404) are logged too; 400 and 429 are not (nothing was looked at, and a flood of
 * refused requests must not become a flood of writes).
 *
 * "Nothing of that kind for this uscc" and "no such entity" are one answer,
 * 404 not_found, so a token cannot learn from one scope whether an entity
 * exists in another.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "core/ident.h"
#include "http/accounts.h"
#include "http/applications.h"
#include "http/h_shared.h"
#include "http/verify_cache.h"
#include "store/store_account.h"
#include "store/store_sharing.h"

/* The documented purposes (docs/api-sharing.md "Tokens, scopes, purposes"). */
static const struct {
	const char *code, *label;
} purposes[] = {
    {"approval", "行政审批（办件受理与审查核验）"},
    {"supervision", "事中事后监管（检查、抽查）"},
    {"enforcement", "行政执法（案件办理）"},
    {"credit", "信用监管（信用评价、联合奖惩）"},
    {"service", "政务服务（一网通办、免于提交）"},
    {"statistics", "统计分析（不针对具体主体的汇总）"},
    {"audit", "审计监督"},
};
#define NPURPOSES (int)(sizeof(purposes) / sizeof(purposes[0]))

int sharing_purpose_index(const char *code, size_t len)
{
	for (int i = 0; i < NPURPOSES; i++)
		if (strlen(purposes[i].code) == len && strncmp(purposes[i].code, code, len) == 0)
			return i;
	return -1;
}

json_t *sharing_purposes_json(void)
{
	json_t *a = json_array();

	for (int i = 0; i < NPURPOSES; i++)
		json_array_append_new(a, json_pack("{s:s,s:s}", "code", purposes[i].code, "label",
						   purposes[i].label));
	return a;
}

/* 1 when code is one of the space-separated codes of list. */
static int purpose_allowed(const char *list, const char *code)
{
	size_t n = strlen(code);

	if (list == NULL)
		return 0;
	while (*list) {
		size_t w = strcspn(list, " ");

		if (w == n && strncmp(list, code, n) == 0)
			return 1;
		list += w;
		while (*list == ' ')
			list++;
	}
	return 0;
}

/* The stated purpose: X-Purpose, else ?purpose=, as "<code>[; text]" (a
 * comma, or ; without a blank, separates as well). */
struct purpose {
	char code[32];
	const char *text; /* NULL: none; points into the request */
};

static int purpose_arg(struct req *r, struct purpose *p)
{
	const char *v = req_header(r, "X-Purpose"), *field = "X-Purpose", *rest;
	struct yerr e = {0};
	size_t n;

	memset(p, 0, sizeof(*p));
	if (v == NULL || strspn(v, " \t") == strlen(v)) {
		v = req_query(r, "purpose");
		field = "purpose";
	}
	if (v == NULL || strspn(v, " \t") == strlen(v)) {
		reply_error(r, 400, "purpose_required", "purpose",
			    "须说明用途：请求头 X-Purpose 或参数 purpose，格式为“用途代码; 说明”");
		return -1;
	}
	v += strspn(v, " \t");
	n = strcspn(v, ";, \t");
	if (sharing_purpose_index(v, n) < 0) {
		reply_error(r, 400, "unknown_purpose", field,
			    "未知的用途代码（可选：approval、supervision、enforcement、credit、"
			    "service、statistics、audit）");
		return -1;
	}
	memcpy(p->code, v, n);
	p->code[n] = '\0';
	rest = v + n;
	rest += strspn(rest, ";, \t");
	if (args_query_text(field, *rest ? rest : NULL, SHARING_PURPOSE_TEXT_MAX, &p->text, &e) <
	    0) {
		reply_yerr(r, &e);
		return -1;
	}
	return 0;
}

static int64_t now_ms(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

/* Queues the access-log entry (h_shared.h: the appender commits it within
 * one commit's time); -1 when the queue is full. */
static int log_access(struct req *r, const struct sharing_token *t, const char *uscc,
		      const char *kind, const struct purpose *p, int status)
{
	struct sharing_entry en = {
	    .ts_ms = now_ms(),
	    .token_id = t->id,
	    .token_name = t->name,
	    .department = t->department,
	    .uscc = uscc,
	    .kind = kind,
	    .purpose = p->code,
	    .purpose_text = p->text ? p->text : "",
	    .status = status,
	    .request_id = r->rid,
	};

	return sharing_log_enqueue(r->app->sharing, req_district(r), &en);
}

/* One row of a shared read as the API object: integer columns as numbers,
 * JSON text columns parsed, "doc" reduced to its permits, "_" columns left
 * out. */
static json_t *row_json(const struct store_result *res, int i, const char *ints)
{
	json_t *o = json_object();

	for (int k = 0; k < res->cols; k++) {
		const char *name = res->names[k], *v = store_cell(res, i, k);
		size_t n = strlen(name);
		const char *hit = strstr(ints, name);
		int is_int =
		    hit && (hit == ints || hit[-1] == ' ') && (hit[n] == ' ' || hit[n] == '\0');

		if (name[0] == '_')
			continue;
		if (v == NULL)
			json_object_set_new(o, name, json_null());
		else if (is_int)
			json_object_set_new(o, name, json_integer(store_cell_int(res, i, k, 0)));
		else if (strcmp(name, "doc") == 0 || strcmp(name, "public_fields") == 0 ||
			 strcmp(name, "check_items") == 0) {
			json_t *j = json_loads(v, JSON_REJECT_DUPLICATES, NULL);
			json_t *keep = j;

			if (strcmp(name, "doc") == 0) {
				keep = json_object_get(j, "permits");
				keep = keep ? json_incref(keep) : json_array();
				json_decref(j);
				name = "permits";
			}
			json_object_set_new(o, name, keep ? keep : json_null());
		} else
			json_object_set_new(o, name, json_string(v));
	}
	if (json_object_get(o, "current"))
		json_object_set_new(
		    o, "current", json_boolean(json_integer_value(json_object_get(o, "current"))));
	return o;
}

/* src into dst[n], cut like store_cell_copy cuts a cell. */
static void copy_text(char *dst, size_t n, const char *src)
{
	size_t len = strnlen(src, n - 1);

	memcpy(dst, src, len);
	dst[len] = '\0';
}

/* The caller's sharing settings: those auth.c read when it identified the
 * token (its token cache: no store), else the row. */
static int token_of(struct req *r, struct sharing_token *t, struct yerr *e)
{
	struct store_conn *c;
	int rc;

	if (r->token && r->token->id == r->who.id) {
		memset(t, 0, sizeof(*t));
		t->id = r->token->id;
		copy_text(t->name, sizeof(t->name), r->token->name);
		copy_text(t->department, sizeof(t->department), r->token->department);
		copy_text(t->purposes, sizeof(t->purposes), r->token->purposes);
		t->rate_per_minute = r->token->rate_per_minute;
		t->last_used_at = r->token->last_used_at;
		return 0;
	}
	if (store_acquire(r->app->store, &c, e) < 0)
		return -1;
	rc = store_sharing_token_get(c, req_district(r), r->who.id, t, e);
	store_release(c);
	return rc < 0 ? -1 : 0;
}

/* The rows of a read as the middle of the answer, "F" (rows found) or "E"
 * (none) followed by "items":[…],"total":N — the part that depends only on
 * kind and uscc, never on the token (the route decided the scope), so it
 * can be shared between tokens. */
static char *rows_text(const struct store_result *res, enum sharing_kind kind)
{
	json_t *items = json_array();
	char *text, *out;
	size_t n;

	for (int i = 0; i < res->rows; i++)
		json_array_append_new(items, row_json(res, i, sharing_kind_int_columns(kind)));
	text = json_dumps(json_pack("{s:o,s:I}", "items", items, "total", (json_int_t)res->rows),
			  JSON_COMPACT);
	if (text == NULL)
		abort();
	/* {"items":…,"total":N} → F"items":…,"total":N */
	n = strlen(text);
	if ((out = malloc(n)) == NULL)
		abort();
	out[0] = res->rows > 0 ? 'F' : 'E';
	memcpy(out + 1, text + 1, n - 2);
	out[n - 1] = '\0';
	free(text);
	return out;
}

/* The rows of kind for uscc (rows_text), or NULL with e set. License rows
 * are kept for at most a second in the verify cache under its generation,
 * so they are dropped the moment this node changes any license
 * (r->licenses_changed, http_run_handler) exactly like the verify answers;
 * the day is part of the key like verify's. The other kinds change through
 * handlers that do not announce it, so they are read every time. */
static char *rows_read(struct req *r, enum sharing_kind kind, const char *uscc, struct yerr *e)
{
	struct verify_cache *vc = r->app->verify_cache;
	struct store_result *res = NULL;
	struct store_conn *c;
	char key[96], *text = NULL;
	size_t len;
	uint64_t gen = verify_cache_gen(vc);
	int cache = kind == SHARING_LICENSES, rc;

	snprintf(key, sizeof(key), "shared|%s|%s|%d", sharing_kind_name(kind), uscc, app_today(r));
	if (cache && verify_cache_get(vc, key, &text, &len)) {
		char *z = realloc(text, len + 1);

		if (z == NULL)
			abort();
		z[len] = '\0';
		return z;
	}
	if (store_acquire(r->app->store, &c, e) < 0)
		return NULL;
	rc = store_sharing_read(c, req_district(r), kind, uscc, &res, e);
	store_release(c);
	if (rc < 0)
		return NULL;
	text = rows_text(res, kind);
	store_result_free(res);
	if (cache)
		verify_cache_put(vc, key, gen, text, strlen(text));
	return text;
}

/* A growing answer (reply_rows): two json_dumps per read were a third of
 * the handler's time, so the envelope is written here. */
struct out {
	char *p;
	size_t len, cap;
};

static void out_add(struct out *o, const char *s, size_t n)
{
	if (o->len + n + 1 > o->cap) {
		o->cap = (o->len + n + 1) * 2;
		if ((o->p = realloc(o->p, o->cap)) == NULL)
			abort();
	}
	memcpy(o->p + o->len, s, n);
	o->len += n;
	o->p[o->len] = '\0';
}

static void out_str(struct out *o, const char *s)
{
	out_add(o, s, strlen(s));
}

/* s as a JSON string: '"' and '\\' escaped, control characters as \u00XX;
 * the rest is UTF-8 the argument parsers already checked. */
static void out_json_string(struct out *o, const char *s)
{
	out_add(o, "\"", 1);
	while (*s) {
		size_t plain = 0;

		while (s[plain] && s[plain] != '"' && s[plain] != '\\' &&
		       (unsigned char)s[plain] >= 0x20)
			plain++;
		out_add(o, s, plain);
		s += plain;
		if (*s) {
			char esc[8];

			if (*s == '"' || *s == '\\')
				snprintf(esc, sizeof(esc), "\\%c", *s);
			else
				snprintf(esc, sizeof(esc), "\\u%04x", (unsigned char)*s);
			out_str(o, esc);
			s++;
		}
	}
	out_add(o, "\"", 1);
}

/* {"uscc","kind",<rows>,"purpose":{"code","text"},"request_id"} */
static void reply_rows(struct req *r, const char *uscc, const char *kname, const char *rows,
		       const struct purpose *p)
{
	struct out o = {0};

	out_str(&o, "{\"uscc\":");
	out_json_string(&o, uscc);
	out_str(&o, ",\"kind\":");
	out_json_string(&o, kname);
	out_add(&o, ",", 1);
	out_str(&o, rows);
	out_str(&o, ",\"purpose\":{\"code\":");
	out_json_string(&o, p->code);
	out_str(&o, ",\"text\":");
	if (p->text)
		out_json_string(&o, p->text);
	else
		out_str(&o, "null");
	out_str(&o, "},\"request_id\":");
	out_json_string(&o, r->rid);
	out_add(&o, "}", 1);
	reply_raw_take(r, 200, "application/json; charset=utf-8", o.p, o.len);
}

/* The licenses route runs on the I/O thread for a token
 * (ROUTE_TOKEN_INLINE): the token and its rows come from memory; what is
 * left is the purpose, the rate, the purposes allowed and queueing the
 * access-log entry, every time. The other kinds run on the worker pool. */
static void shared_read(struct req *r, enum sharing_kind kind)
{
	const char *uscc = req_param(r, "uscc"), *kname = sharing_kind_name(kind);
	struct sharing_token t;
	struct ident_result id;
	struct purpose p;
	struct yerr e = {0};
	int64_t now = (int64_t)time(NULL);
	int wait, status;
	char *rows = NULL;

	if (r->who.kind != PRINCIPAL_TOKEN)
		return reply_error(r, 403, "forbidden", NULL, "共享数据接口仅供接口访问令牌调用");
	ident_check_uscc(uscc ? uscc : "", uscc ? strlen(uscc) : 0, &id);
	if (!id.valid)
		return reply_error(r, 400, "invalid_uscc", "uscc", "%s", id.message);
	if (purpose_arg(r, &p) < 0)
		return;
	if (token_of(r, &t, &e) < 0)
		return reply_yerr(r, &e);
	wait = sharing_rate_take(
	    r->app->sharing, t.id,
	    t.rate_per_minute > 0 ? t.rate_per_minute : r->app->cfg.sharing_rate, now);
	if (wait > 0) {
		char ra[16];

		snprintf(ra, sizeof(ra), "%d", wait);
		reply_error(r, 429, "rate_limited", NULL,
			    "该令牌的请求超过每分钟上限，请 %d 秒后再试", wait);
		return reply_header(r, "Retry-After", ra);
	}
	if (!purpose_allowed(t.purposes, p.code))
		status = 403;
	else if ((rows = rows_read(r, kind, uscc, &e)) == NULL)
		return reply_yerr(r, &e);
	else
		status = rows[0] == 'F' ? 200 : 404;
	if (log_access(r, &t, uscc, kname, &p, status) < 0) {
		/* nothing is disclosed that the log would not show */
		free(rows);
		reply_error(r, 503, "busy", NULL, "共享访问日志繁忙，请稍后再试");
		return reply_header(r, "Retry-After", "1");
	}
	if (status == 403)
		return reply_error(r, 403, "purpose_not_allowed", "purpose",
				   "该令牌未获准以此用途（%s）读取共享数据", p.code);
	if (status == 404) {
		free(rows);
		return reply_error(r, 404, "not_found", "uscc",
				   "未找到该统一社会信用代码的可共享数据");
	}
	reply_rows(r, uscc, kname, rows + 1, &p);
	free(rows);
}

void h_shared_licenses(struct req *r)
{
	shared_read(r, SHARING_LICENSES);
}

void h_shared_annual_reports(struct req *r)
{
	shared_read(r, SHARING_ANNUAL_REPORTS);
}

void h_shared_penalties(struct req *r)
{
	shared_read(r, SHARING_PENALTIES);
}

void h_shared_credit(struct req *r)
{
	shared_read(r, SHARING_CREDIT);
}

void h_shared_applications(struct req *r)
{
	shared_read(r, SHARING_APPLICATIONS);
}

void h_shared_inspections(struct req *r)
{
	shared_read(r, SHARING_INSPECTIONS);
}

/* PUT /api/v1/tokens/{id}/sharing {"department","purposes":[…],
 * "rate_per_minute"}: every member required (null rate: the default), so the
 * answer is the token's whole sharing setting. */
void h_token_sharing_set(struct req *r)
{
	static const char *const keys[] = {"department", "purposes", "rate_per_minute", NULL};
	json_t *list = json_object_get(r->json, "purposes"), *item,
	       *rate = json_object_get(r->json, "rate_per_minute");
	char stored[SHARING_PURPOSES_MAX] = "";
	struct store_department d;
	struct sharing_token t;
	struct store_conn *c;
	struct yerr e = {0};
	const char *dept;
	long long per_min = 0;
	int64_t id;
	size_t i;
	int rc;

	if (req_path_id(r, "id", "token_not_found", &id) < 0 || req_body_keys(r, keys) < 0 ||
	    req_text(r, "department", ARG_REQUIRED, DEPT_CODE_MAX, &dept) < 0)
		return;
	if (!json_is_array(list) || json_array_size(list) > (size_t)NPURPOSES)
		return reply_error(r, 400, list ? "invalid_purposes" : "required", "purposes",
				   "purposes 须为用途代码的数组（至多 %d 个）", NPURPOSES);
	json_array_foreach (list, i, item) {
		const char *code = json_is_string(item) ? json_string_value(item) : "";
		char field[32];

		snprintf(field, sizeof(field), "purposes[%zu]", i);
		if (sharing_purpose_index(code, strlen(code)) < 0)
			return reply_error(r, 400, "unknown_purpose", field,
					   "未知的用途代码（可选：approval、supervision、"
					   "enforcement、credit、service、statistics、audit）");
		if (!purpose_allowed(stored, code))
			snprintf(stored + strlen(stored), sizeof(stored) - strlen(stored), "%s%s",
				 stored[0] ? " " : "", code);
	}
	if (rate && !json_is_null(rate)) {
		per_min = json_is_integer(rate) ? json_integer_value(rate) : 0;
		if (per_min < 1 || per_min > 1000000)
			return reply_error(
			    r, 400, "invalid_rate", "rate_per_minute",
			    "rate_per_minute 须为 1 至 1000000 的整数，或 null（默认）");
	}
	snprintf(r->audit_object, sizeof(r->audit_object), "token:%" PRId64, id);
	if (req_acquire(r, &c) < 0)
		return;
	rc = store_department_get(c, req_district(r), dept, &d, &e);
	if (rc == STORE_ENOTFOUND)
		yerr_set(&e, 400, "unknown_department", "department", "部门不存在");
	if (rc == 0)
		rc = store_begin(c, &e);
	if (rc == 0)
		rc =
		    store_sharing_token_set(c, req_district(r), id, dept, stored, (int)per_min, &e);
	if (rc == 0)
		rc = req_audit_commit(r, c, r->audit_object, stored, &e);
	if (rc == 0)
		rc = store_sharing_token_get(c, req_district(r), id, &t, &e);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	list = json_array();
	for (const char *s = t.purposes; *s;) {
		size_t w = strcspn(s, " ");

		json_array_append_new(list, json_stringn(s, w));
		s += w;
		s += strspn(s, " ");
	}
	reply_json(r, 200,
		   json_pack("{s:I,s:s,s:o,s:o,s:i}", "id", (json_int_t)t.id, "department",
			     t.department, "purposes", list, "rate_per_minute",
			     t.rate_per_minute ? json_integer(t.rate_per_minute) : json_null(),
			     "default_rate_per_minute", r->app->cfg.sharing_rate));
}

/* share-events: the gate of a shared read without a uscc (h_shared.h). */
int sharing_gate_open(struct req *r, const char *kind, struct sharing_gate *g)
{
	struct purpose p;
	struct yerr e = {0};
	int wait;

	memset(g, 0, sizeof(*g));
	g->kind = kind;
	if (r->who.kind != PRINCIPAL_TOKEN)
		return reply_error(r, 403, "forbidden", NULL, "共享数据接口仅供接口访问令牌调用"),
		       -1;
	if (purpose_arg(r, &p) < 0)
		return -1;
	snprintf(g->purpose, sizeof(g->purpose), "%s", p.code);
	snprintf(g->purpose_text, sizeof(g->purpose_text), "%s", p.text ? p.text : "");
	if (token_of(r, &g->token, &e) < 0)
		return reply_yerr(r, &e), -1;
	wait = sharing_rate_take(r->app->sharing, g->token.id,
				 g->token.rate_per_minute > 0 ? g->token.rate_per_minute
							      : r->app->cfg.sharing_rate,
				 (int64_t)time(NULL));
	if (wait > 0) {
		char ra[16];

		snprintf(ra, sizeof(ra), "%d", wait);
		reply_error(r, 429, "rate_limited", NULL,
			    "该令牌的请求超过每分钟上限，请 %d 秒后再试", wait);
		reply_header(r, "Retry-After", ra);
		return -1;
	}
	if (!purpose_allowed(g->token.purposes, g->purpose)) {
		if (sharing_gate_log(r, g, 403) < 0)
			return -1;
		reply_error(r, 403, "purpose_not_allowed", "purpose",
			    "该令牌未获准以此用途（%s）读取共享数据", g->purpose);
		return -1;
	}
	return 0;
}

int sharing_gate_log(struct req *r, const struct sharing_gate *g, int status)
{
	struct purpose p;

	memset(&p, 0, sizeof(p));
	snprintf(p.code, sizeof(p.code), "%s", g->purpose);
	p.text = g->purpose_text[0] ? g->purpose_text : NULL;
	if (log_access(r, &g->token, "", g->kind, &p, status) < 0) {
		reply_error(r, 503, "busy", NULL, "共享访问日志繁忙，请稍后再试");
		reply_header(r, "Retry-After", "1");
		return -1;
	}
	return 0;
}
