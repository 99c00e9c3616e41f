/*
 * test_supervision_registers.c — the shared base of supervision (issue 13,
 * sup-core; docs/api-supervision.md "Registers" and "Export"), on both
 * backends:
 *   - the check-item lists served from the catalog (public, modelled marks);
 *   - the inspector register: who may add and change whom (a supervisor
 *     their own department, the administrator any), its refusals, the audit
 *     entry of each change, and a refused change leaving nothing behind;
 *   - conflicts of interest: declared and withdrawn by the inspector, seen by
 *     the supervisors of their department, the administrator and auditors;
 *   - the entity register: a licensed entity with its industry, licenses and
 *     credit grade, the filters, and an entity leaving it when its license
 *     is revoked;
 *   - the export: the cursor, limits, an API token with supervision:read,
 *     `yiye supervision export`, and every event exactly once, in seq order,
 *     for a reader paging while several writers append at once.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness_license.h"
#include "store/store.h"
#include "store/store_supervision.h"

static struct server srv;

#define as(u) lic_as(&srv, (u))
#define str lic_str

static long user_id(const char *username)
{
	char sql[160];

	snprintf(sql, sizeof(sql), "SELECT id FROM users WHERE username = '%s'", username);
	return server_sql_long(&srv, sql);
}

/* method path body → expected status (and error code / field when given);
 * *out keeps the answer when not NULL. */
static void call(const char *method, const char *path, json_t *body, long status, const char *code,
		 const char *field, struct resp *out)
{
	struct resp r;

	if (body != NULL)
		http_json(&srv, method, path, body, &r);
	else
		http_req(&srv, method, path, NULL, NULL, 0, NULL, &r);
	if (r.status != status || getenv("SUP_TEST_VERBOSE") != NULL)
		fprintf(stderr, "%s %s: %ld %s\n", method, path, r.status, r.body ? r.body : "");
	if (code != NULL)
		assert_error(&r, status, code, field);
	else
		assert_int_equal(r.status, status);
	if (out != NULL)
		*out = r;
	else
		resp_free(&r);
}

static size_t items_n(const struct resp *r)
{
	return json_array_size(json_object_get(r->json, "items"));
}

static json_t *item(const struct resp *r, size_t i)
{
	return json_array_get(json_object_get(r->json, "items"), i);
}

/* The test's own store on the server's database (for direct appends). */
static struct store *open_store(void)
{
	char url[1024];
	struct store *st = NULL;
	struct yerr e = {0};

	if (srv.db_url[0])
		snprintf(url, sizeof(url), "%s", srv.db_url);
	else
		snprintf(url, sizeof(url), "%s/yiye.db", srv.dir);
	/* waits for the write lock generously: a loaded machine slows the
	 * writers, it must not fail them */
	assert_int_equal(store_open(&st, url, 8,
				    &(struct store_options){.busy_timeout_ms = 60000,
							    .pg_statement_timeout_ms = 120000},
				    &e),
			 0);
	return st;
}

static void append(struct store *st, const char *kind, const char *ref, const char *uscc)
{
	struct store_conn *c;
	struct yerr e = {0};
	json_t *d = json_pack("{s:s,s:s?}", "what", ref, "uscc", uscc);

	assert_int_equal(store_acquire(st, &c, &e), 0);
	assert_int_equal(store_begin(c, &e), 0);
	assert_int_equal(sup_event_append(c, STORE_DEFAULT_DISTRICT, kind, ref, d, &e), 0);
	assert_int_equal(store_commit(c, &e), 0);
	store_release(c);
	json_decref(d);
}

/* ---- check items ---- */

static void test_check_items(void **state)
{
	struct resp r;
	json_t *first, *it;

	(void)state;
	as(NULL);
	call("GET", "/api/v1/supervision/check-items?industry=bianlidian", NULL, 200, NULL, NULL,
	     &r);
	assert_true(items_n(&r) >= 4);
	first = item(&r, 0);
	assert_string_equal(str(first, "department"), "scjgj"); /* the lead first */
	assert_string_equal(str(first, "department_name"), "区市场监管局");
	it = json_array_get(json_object_get(first, "check_items"), 0);
	assert_string_equal(str(it, "code"), "FOOD-01");
	assert_true(str(it, "basis")[0] != '\0');
	assert_true(json_is_true(json_object_get(it, "modelled")));
	resp_free(&r);
	call("GET", "/api/v1/supervision/check-items?department=ycj", NULL, 200, NULL, NULL, &r);
	assert_true(items_n(&r) >= 1);
	for (size_t i = 0; i < items_n(&r); i++)
		assert_string_equal(str(item(&r, i), "department"), "ycj");
	resp_free(&r);
	call("GET", "/api/v1/supervision/check-items?industry=nope", NULL, 404,
	     "industry_not_found", "industry", NULL);
}

/* ---- inspector register ---- */

static json_t *add_body(long uid, const char *dep)
{
	return json_pack("{s:i,s:s?,s:[s]}", "user_id", (json_int_t)uid, "department", dep,
			 "qualifications", "执法证 31010400001");
}

/* `yiye init --demo` puts every demo inspector on the register (their
 * department, a demo qualification, active), audited as init's own; the
 * register is then emptied so the tests below start from a blank one. */
static void test_demo_inspectors(void **state)
{
	static const char *const names[] = {"inspector", "inspector_scjgj", "inspector_scjgj_2",
					    "inspector_whlyj"};
	static const char *const deps[] = {"scjgj", "scjgj", "scjgj", "whlyj"};
	long demo;
	struct resp r;

	(void)state;
	as("inspector");
	call("GET", "/api/v1/supervision/inspectors?active=true", NULL, 200, NULL, NULL, &r);
	demo = server_sql_long(&srv, "SELECT count(*) FROM users WHERE username LIKE 'inspector%'");
	assert_true(demo >= 4);
	assert_int_equal((long)items_n(&r), demo);
	for (size_t n = 0; n < sizeof(names) / sizeof(names[0]); n++) {
		long uid = user_id(names[n]);
		int found = 0;

		for (size_t i = 0; i < items_n(&r); i++) {
			json_t *it = item(&r, i);

			if (json_integer_value(json_object_get(it, "user_id")) != uid)
				continue;
			found = 1;
			assert_string_equal(str(it, "department"), deps[n]);
			assert_string_equal(json_string_value(json_array_get(
						json_object_get(it, "qualifications"), 0)),
					    "行政执法证（演示）");
		}
		assert_true(found);
	}
	resp_free(&r);
	assert_int_equal(server_sql_long(&srv,
					 "SELECT count(*) FROM audit_log WHERE action = "
					 "'supervision.inspector_add' AND actor = 'yiye-init'"),
			 demo);
	server_sql_long(&srv, "DELETE FROM inspectors");
}

static void test_inspector_register(void **state)
{
	long insp = user_id("inspector"), insp_wh = user_id("inspector_whlyj");
	long reviewer = user_id("reviewer");
	char path[96];
	struct resp r;

	(void)state;
	assert_true(insp > 0 && insp_wh > 0 && reviewer > 0);
	as("supervisor"); /* 区市场监管局 */
	call("POST", "/api/v1/supervision/inspectors", add_body(insp, NULL), 201, NULL, NULL, &r);
	assert_string_equal(str(json_object_get(r.json, "inspector"), "department"), "scjgj");
	assert_true(json_is_true(json_object_get(json_object_get(r.json, "inspector"), "active")));
	resp_free(&r);
	/* again, with other qualifications: refused, and nothing changed */
	call("POST", "/api/v1/supervision/inspectors",
	     json_pack("{s:i,s:[s]}", "user_id", (json_int_t)insp, "qualifications", "改"), 409,
	     "inspector_exists", "user_id", NULL);
	snprintf(path, sizeof(path), "/api/v1/supervision/inspectors/%ld", insp);
	call("GET", path, NULL, 200, NULL, NULL, &r);
	assert_string_equal(
	    json_string_value(json_array_get(
		json_object_get(json_object_get(r.json, "inspector"), "qualifications"), 0)),
	    "执法证 31010400001");
	resp_free(&r);
	/* another department's inspector, the supervisor's own department by default */
	call("POST", "/api/v1/supervision/inspectors", add_body(insp_wh, NULL), 422,
	     "department_mismatch", "department", NULL);
	call("POST", "/api/v1/supervision/inspectors", add_body(insp_wh, "whlyj"), 403,
	     "other_department", "department", NULL);
	call("POST", "/api/v1/supervision/inspectors", add_body(reviewer, NULL), 422,
	     "not_inspector", "user_id", NULL);
	call("POST", "/api/v1/supervision/inspectors", add_body(999999, NULL), 404,
	     "user_not_found", NULL, NULL);
	call("POST", "/api/v1/supervision/inspectors",
	     json_pack("{s:i,s:[s]}", "user_id", (json_int_t)insp, "qualifications", " "), 400,
	     "required", "qualifications[0]", NULL);
	call("POST", "/api/v1/supervision/inspectors",
	     json_pack("{s:i,s:s}", "user_id", (json_int_t)insp, "qualifications", "x"), 400,
	     "invalid_qualifications", "qualifications", NULL);
	call("POST", "/api/v1/supervision/inspectors", json_pack("{s:i}", "x", 1), 400,
	     "unknown_field", "x", NULL);
	/* the administrator: any department, which must be named and exist */
	as("admin");
	call("POST", "/api/v1/supervision/inspectors", add_body(insp_wh, NULL), 400, "required",
	     "department", NULL);
	call("POST", "/api/v1/supervision/inspectors", add_body(insp_wh, "nope"), 404,
	     "department_not_found", NULL, NULL);
	call("POST", "/api/v1/supervision/inspectors", add_body(insp_wh, "whlyj"), 201, NULL, NULL,
	     NULL);
	/* a reviewer of the market regulator is not an inspector */
	call("POST", "/api/v1/supervision/inspectors", add_body(reviewer, "scjgj"), 422,
	     "not_inspector", "user_id", NULL);
	/* changes: the supervisor only their own department's */
	as("supervisor");
	snprintf(path, sizeof(path), "/api/v1/supervision/inspectors/%ld", insp_wh);
	call("PATCH", path, json_pack("{s:b}", "active", 0), 403, "other_department", NULL, NULL);
	snprintf(path, sizeof(path), "/api/v1/supervision/inspectors/%ld", insp);
	call("PATCH", path, json_object(), 400, "empty_update", NULL, NULL);
	call("PATCH", path, json_pack("{s:s}", "active", "no"), 400, "invalid_type", "active",
	     NULL);
	call("PATCH", path, json_pack("{s:b,s:s}", "active", 0, "note", "病假"), 200, NULL, NULL,
	     &r);
	assert_false(json_is_true(json_object_get(json_object_get(r.json, "inspector"), "active")));
	assert_string_equal(str(json_object_get(r.json, "inspector"), "note"), "病假");
	resp_free(&r);
	call("PATCH", "/api/v1/supervision/inspectors/999999", json_pack("{s:b}", "active", 1), 404,
	     "inspector_not_found", NULL, NULL);
	/* the lists */
	as("inspector");
	call("GET", "/api/v1/supervision/inspectors", NULL, 200, NULL, NULL, &r);
	assert_int_equal(items_n(&r), 2);
	resp_free(&r);
	call("GET", "/api/v1/supervision/inspectors?active=true", NULL, 200, NULL, NULL, &r);
	assert_int_equal(items_n(&r), 1);
	assert_int_equal(json_integer_value(json_object_get(item(&r, 0), "user_id")), insp_wh);
	resp_free(&r);
	call("GET", "/api/v1/supervision/inspectors?active=false&department=scjgj", NULL, 200, NULL,
	     NULL, &r);
	assert_int_equal(items_n(&r), 1);
	assert_int_equal(json_integer_value(json_object_get(item(&r, 0), "user_id")), insp);
	resp_free(&r);
	call("GET", "/api/v1/supervision/inspectors?active=maybe", NULL, 400, "invalid_boolean",
	     "active", NULL);
	/* back on duty for the conflicts below */
	as("supervisor");
	call("PATCH", path, json_pack("{s:b,s:n}", "active", 1, "note"), 200, NULL, NULL, NULL);
	/* every change audited */
	assert_int_equal(server_sql_long(&srv, "SELECT count(*) FROM audit_log WHERE action = "
					       "'supervision.inspector_add' AND outcome = 'ok' "
					       "AND actor <> 'yiye-init'"),
			 2);
	assert_true(server_sql_long(&srv,
				    "SELECT count(*) FROM audit_log WHERE action = "
				    "'supervision.inspector_update' AND outcome = 'ok'") >= 2);
}

/* ---- conflicts ---- */

static void test_conflicts(void **state)
{
	long insp = user_id("inspector"), insp_wh = user_id("inspector_whlyj");
	char a[19], b[19], path[96];
	long long id;
	struct resp r;

	(void)state;
	test_uscc(7101, a);
	test_uscc(7102, b);
	as("inspector");
	call("POST", "/api/v1/supervision/conflicts",
	     json_pack("{s:s,s:s}", "uscc", a, "reason", "配偶任该公司股东"), 201, NULL, NULL, &r);
	id = json_integer_value(json_object_get(json_object_get(r.json, "conflict"), "id"));
	assert_true(id > 0);
	assert_string_equal(str(json_object_get(r.json, "conflict"), "department"), "scjgj");
	resp_free(&r);
	call("POST", "/api/v1/supervision/conflicts",
	     json_pack("{s:s,s:s}", "uscc", a, "reason", "again"), 409, "conflict_exists", "uscc",
	     NULL);
	call("POST", "/api/v1/supervision/conflicts",
	     json_pack("{s:s,s:s}", "uscc", "913101040000000000", "reason", "x"), 400,
	     "invalid_uscc", "uscc", NULL);
	call("POST", "/api/v1/supervision/conflicts", json_pack("{s:s}", "uscc", a), 400,
	     "required", "reason", NULL);
	as("inspector_whlyj");
	call("POST", "/api/v1/supervision/conflicts",
	     json_pack("{s:s,s:s}", "uscc", b, "reason", "曾在该店任职"), 201, NULL, NULL, NULL);
	as("inspector_scjgj_2"); /* not in the register */
	call("POST", "/api/v1/supervision/conflicts",
	     json_pack("{s:s,s:s}", "uscc", b, "reason", "x"), 404, "inspector_not_found", NULL,
	     NULL);
	/* who sees what */
	as("supervisor");
	call("GET", "/api/v1/supervision/conflicts", NULL, 200, NULL, NULL, &r);
	assert_int_equal(items_n(&r), 1);
	assert_string_equal(str(item(&r, 0), "uscc"), a);
	resp_free(&r);
	call("GET", "/api/v1/supervision/conflicts?department=whlyj", NULL, 403, "other_department",
	     "department", NULL);
	snprintf(path, sizeof(path), "/api/v1/supervision/inspectors/%ld", insp);
	call("GET", path, NULL, 200, NULL, NULL, &r);
	assert_int_equal(
	    json_integer_value(json_object_get(json_object_get(r.json, "inspector"), "conflicts")),
	    1);
	assert_non_null(json_object_get(json_object_get(r.json, "inspector"), "conflict_list"));
	resp_free(&r);
	as("inspector_whlyj");
	call("GET", path, NULL, 200, NULL, NULL, &r); /* a colleague elsewhere: no list */
	assert_null(json_object_get(json_object_get(r.json, "inspector"), "conflict_list"));
	resp_free(&r);
	call("GET", "/api/v1/supervision/conflicts", NULL, 200, NULL, NULL, &r);
	assert_int_equal(items_n(&r), 1);
	assert_string_equal(str(item(&r, 0), "uscc"), b);
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/supervision/conflicts?user_id=%ld", insp);
	call("GET", path, NULL, 403, "not_own", "user_id", NULL);
	as("auditor");
	call("GET", "/api/v1/supervision/conflicts", NULL, 200, NULL, NULL, &r);
	assert_int_equal(items_n(&r), 2);
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/supervision/conflicts?user_id=%ld", insp_wh);
	call("GET", path, NULL, 200, NULL, NULL, &r);
	assert_int_equal(items_n(&r), 1);
	resp_free(&r);
	/* withdrawal: only one's own */
	snprintf(path, sizeof(path), "/api/v1/supervision/conflicts/%lld", id);
	as("inspector_whlyj");
	call("DELETE", path, NULL, 404, "conflict_not_found", NULL, NULL);
	as("inspector");
	call("DELETE", path, NULL, 200, NULL, NULL, NULL);
	call("DELETE", path, NULL, 404, "conflict_not_found", NULL, NULL);
	call("GET", "/api/v1/supervision/conflicts", NULL, 200, NULL, NULL, &r);
	assert_int_equal(items_n(&r), 0);
	resp_free(&r);
	call("GET", "/api/v1/supervision/conflicts?withdrawn=true", NULL, 200, NULL, NULL, &r);
	assert_int_equal(items_n(&r), 1);
	assert_true(json_is_integer(json_object_get(item(&r, 0), "withdrawn_at")));
	resp_free(&r);
	/* declared again: standing once more, the same row */
	call("POST", "/api/v1/supervision/conflicts",
	     json_pack("{s:s,s:s}", "uscc", a, "reason", "配偶任该公司股东"), 201, NULL, NULL, &r);
	assert_int_equal(
	    json_integer_value(json_object_get(json_object_get(r.json, "conflict"), "id")), id);
	resp_free(&r);
	assert_int_equal(server_sql_long(&srv,
					 "SELECT count(*) FROM audit_log WHERE action = "
					 "'supervision.conflict_withdraw' AND outcome = 'ok'"),
			 1);
}

/* ---- entity register ---- */

static void test_entity_register(void **state)
{
	struct lic_holder h;
	char path[256], part[16];
	const char *number;
	json_t *lic, *en;
	struct resp r;

	(void)state;
	lic = lic_issue(&srv, lic_approved_shudian(&srv, "徐汇监管示范书店有限公司", &h));
	number = str(lic, "number");
	as("supervisor");
	call("GET", "/api/v1/supervision/entities", NULL, 200, NULL, NULL, &r);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 1);
	en = item(&r, 0);
	assert_string_equal(str(en, "uscc"), h.uscc);
	assert_string_equal(str(en, "name"), h.name);
	assert_string_equal(str(en, "credit_grade"), "A"); /* no credit records: A */
	assert_true(json_array_size(json_object_get(r.json, "streets")) > 0);
	assert_string_equal(str(json_array_get(json_object_get(r.json, "streets"), 0), "label"),
			    "天平路街道");
	assert_true(json_is_array(json_object_get(en, "risk_flags")));
	assert_int_equal(json_array_size(json_object_get(en, "risk_flags")), 0);
	assert_string_equal(str(json_array_get(json_object_get(en, "industries"), 0), "code"),
			    "shudian");
	assert_string_equal(str(json_array_get(json_object_get(en, "licenses"), 0), "number"),
			    number);
	assert_string_equal(str(json_array_get(json_object_get(en, "licenses"), 0), "status"),
			    "valid");
	resp_free(&r);
	/* filters */
	static const struct {
		const char *query;
		json_int_t total;
	} cases[] = {
	    {"industry=shudian", 1},
	    {"industry=bianlidian", 0},
	    {"grade=A", 1},
	    {"grade=C", 0},
	    {"q=%E7%9B%91%E7%AE%A1", 1}, /* 监管 */
	    {"q=zzz", 0},
	    {"flag=abnormal_list", 0},
	    {"industry=shudian&grade=A&limit=1", 1},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(path, sizeof(path), "/api/v1/supervision/entities?%s", cases[i].query);
		call("GET", path, NULL, 200, NULL, NULL, &r);
		if (json_integer_value(json_object_get(r.json, "total")) != cases[i].total)
			fprintf(stderr, "%s: %s\n", path, r.body);
		assert_int_equal(json_integer_value(json_object_get(r.json, "total")),
				 cases[i].total);
		resp_free(&r);
	}
	/* the street the application named (the harness fills an enum with a valid option) */
	call("GET", "/api/v1/supervision/entities", NULL, 200, NULL, NULL, &r);
	snprintf(path, sizeof(path), "/api/v1/supervision/entities?street=%s",
		 str(item(&r, 0), "street"));
	assert_true(str(item(&r, 0), "street")[0] != '\0');
	assert_true(str(item(&r, 0), "street_name")[0] != '\0');
	resp_free(&r);
	call("GET", path, NULL, 200, NULL, NULL, &r);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 1);
	resp_free(&r);
	call("GET", "/api/v1/supervision/entities?street=nowhere", NULL, 200, NULL, NULL, &r);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 0);
	resp_free(&r);
	snprintf(part, sizeof(part), "%.8s", h.uscc);
	snprintf(path, sizeof(path), "/api/v1/supervision/entities?q=%s", part);
	call("GET", path, NULL, 200, NULL, NULL, &r);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 1);
	resp_free(&r);
	call("GET", "/api/v1/supervision/entities?grade=E", NULL, 400, "invalid_grade", "grade",
	     NULL);
	call("GET", "/api/v1/supervision/entities?limit=0", NULL, 400, "invalid_number", "limit",
	     NULL);
	/* a revoked license takes the entity out of the register */
	as("supervisor_whlyj");
	snprintf(path, sizeof(path), "/api/v1/licenses/%s/revoke", number);
	call("POST", path,
	     json_pack("{s:s,s:s}", "reason", "测试吊销", "basis", "《出版管理条例》"), 200, NULL,
	     NULL, NULL);
	as("auditor");
	call("GET", "/api/v1/supervision/entities", NULL, 200, NULL, NULL, &r);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 0);
	resp_free(&r);
	json_decref(lic);
}

/* ---- export ---- */

static void test_export(void **state)
{
	struct store *st = open_store();
	char token[256], *out = NULL;
	long long base;
	struct resp r;
	const char *args[] = {"supervision", "export", "--after", NULL, NULL};
	char after[96];

	(void)state;
	as("supervisor");
	call("GET", "/api/v1/supervision/export", NULL, 200, NULL, NULL, &r);
	base = json_integer_value(json_object_get(r.json, "next"));
	resp_free(&r);
	append(st, "penalty", "徐市监罚〔2026〕1号", "91310104MA1FL0001X");
	append(st, "draw", "plan-1", NULL);
	append(st, "result", "task-1", "91310104MA1FL0002Y");
	snprintf(after, sizeof(after), "/api/v1/supervision/export?after=%lld&limit=2", base);
	call("GET", after, NULL, 200, NULL, NULL, &r);
	assert_int_equal(items_n(&r), 2);
	assert_int_equal(json_integer_value(json_object_get(item(&r, 0), "seq")), base + 1);
	assert_string_equal(str(item(&r, 0), "kind"), "penalty");
	assert_string_equal(str(item(&r, 0), "ref"), "徐市监罚〔2026〕1号");
	assert_string_equal(str(item(&r, 0), "uscc"), "91310104MA1FL0001X");
	assert_true(json_is_null(json_object_get(item(&r, 1), "uscc")));
	assert_string_equal(str(json_object_get(item(&r, 1), "detail"), "what"), "plan-1");
	assert_int_equal(json_integer_value(json_object_get(r.json, "next")), base + 2);
	assert_true(json_is_true(json_object_get(r.json, "more")));
	resp_free(&r);
	snprintf(after, sizeof(after), "/api/v1/supervision/export?after=%lld", base + 2);
	call("GET", after, NULL, 200, NULL, NULL, &r);
	assert_int_equal(items_n(&r), 1);
	assert_false(json_is_true(json_object_get(r.json, "more")));
	assert_int_equal(json_integer_value(json_object_get(r.json, "next")), base + 3);
	resp_free(&r);
	call("GET", "/api/v1/supervision/export?after=-1", NULL, 400, "invalid_number", "after",
	     NULL);
	call("GET", "/api/v1/supervision/export?limit=1001", NULL, 400, "invalid_number", "limit",
	     NULL);
	as("inspector");
	call("GET", "/api/v1/supervision/export", NULL, 403, NULL, NULL, NULL);
	/* a data consumer's token: supervision:read reads it, another scope does not */
	as("admin");
	call("POST", "/api/v1/tokens",
	     json_pack("{s:s,s:[s]}", "name", "互联网+监管", "scopes", "supervision:read"), 201,
	     NULL, NULL, &r);
	snprintf(token, sizeof(token), "%s", str(r.json, "secret"));
	resp_free(&r);
	call("POST", "/api/v1/tokens",
	     json_pack("{s:s,s:[s]}", "name", "审计", "scopes", "audit:read"), 201, NULL, NULL, &r);
	as(NULL);
	snprintf(srv.bearer, sizeof(srv.bearer), "%s", str(r.json, "secret"));
	resp_free(&r);
	call("GET", "/api/v1/supervision/export", NULL, 403, NULL, NULL, NULL);
	snprintf(srv.bearer, sizeof(srv.bearer), "%s", token);
	call("GET", "/api/v1/supervision/export", NULL, 200, NULL, NULL, &r);
	assert_int_equal(items_n(&r), base + 3 > 100 ? 100 : base + 3);
	resp_free(&r);
	call("GET", "/api/v1/supervision/entities", NULL, 200, NULL, NULL, NULL);
	call("POST", "/api/v1/supervision/conflicts",
	     json_pack("{s:s,s:s}", "uscc", "91310104MA1FL0001X", "reason", "x"), 403, NULL, NULL,
	     NULL);
	srv.bearer[0] = '\0';
	/* the command line: JSON lines after --after */
	snprintf(after, sizeof(after), "%lld", base + 1);
	args[3] = after;
	assert_int_equal(server_cli(&srv, &out, args), 0);
	{
		/* stdout and stderr come mixed: the events are the lines with a seq */
		static const char *const kinds[] = {"draw", "result"};
		size_t k = 0;

		for (char *save = NULL, *l = strtok_r(out, "\n", &save); l != NULL;
		     l = strtok_r(NULL, "\n", &save)) {
			json_t *o = json_loads(l, 0, NULL);

			if (json_is_integer(json_object_get(o, "seq"))) {
				assert_true(k < 2);
				assert_int_equal(json_integer_value(json_object_get(o, "seq")),
						 base + 2 + (long long)k);
				assert_string_equal(str(o, "kind"), kinds[k]);
				k++;
			}
			json_decref(o);
		}
		assert_int_equal(k, 2);
	}
	free(out);
	store_close(st);
}

/* ---- exactly once under concurrent writers ---- */

#define WRITERS 4
#define PER_WRITER 40

struct writer {
	struct store *st;
	int n;
	int failed;
};

static void *writer_main(void *arg)
{
	struct writer *w = arg;

	for (int i = 0; i < PER_WRITER && !w->failed; i++) {
		struct store_conn *c = NULL;
		struct yerr e = {0};
		char ref[32];
		json_t *d;

		snprintf(ref, sizeof(ref), "w%d-%d", w->n, i);
		d = json_pack("{s:s}", "ref", ref);
		if (store_acquire(w->st, &c, &e) < 0 || store_begin(c, &e) < 0 ||
		    sup_event_append(c, STORE_DEFAULT_DISTRICT, "result", ref, d, &e) < 0 ||
		    store_exec(c, "SELECT 1", NULL, 0, NULL, &e) < 0 || store_commit(c, &e) < 0) {
			fprintf(stderr, "writer %d: %s %s\n", w->n, e.code, e.message);
			w->failed = 1;
		}
		if (c != NULL)
			store_release(c);
		json_decref(d);
	}
	return NULL;
}

struct reader {
	struct store *st;
	int64_t after;
	volatile int *writers_done;
	int64_t *seqs;
	char (*refs)[32];
	size_t n, cap;
	int failed;
};

/* Reads batches while the writers write; once they are done, one more pass
 * reads what is left. Each batch is checked against the last seq seen. */
static void *reader_main(void *arg)
{
	struct reader *rd = arg;
	int last_pass = 0;

	for (;;) {
		struct sup_event *ev = NULL;
		struct store_conn *c = NULL;
		struct yerr e = {0};
		size_t n = 0;
		int done = __atomic_load_n(rd->writers_done, __ATOMIC_ACQUIRE);

		if (store_acquire(rd->st, &c, &e) < 0 ||
		    sup_events_after(c, STORE_DEFAULT_DISTRICT, rd->after, 7, &ev, &n, &e) < 0) {
			fprintf(stderr, "reader: %s %s\n", e.code, e.message);
			rd->failed = 1;
		}
		if (c != NULL)
			store_release(c);
		for (size_t i = 0; i < n && rd->n < rd->cap; i++) {
			rd->seqs[rd->n] = ev[i].seq;
			snprintf(rd->refs[rd->n], sizeof(rd->refs[0]), "%s", ev[i].ref);
			rd->n++;
			rd->after = ev[i].seq;
		}
		sup_events_free(ev, n);
		if (rd->failed || (n == 0 && last_pass))
			break;
		if (n == 0 && done)
			last_pass = 1;
	}
	return NULL;
}

static void test_export_exactly_once(void **state)
{
	struct store *st = open_store();
	struct writer w[WRITERS];
	pthread_t wt[WRITERS], rt;
	volatile int done = 0;
	struct reader rd = {0};
	struct store_conn *c;
	struct yerr e = {0};
	int64_t base = 0;
	size_t total = WRITERS * PER_WRITER;

	(void)state;
	assert_int_equal(store_acquire(st, &c, &e), 0);
	assert_int_equal(store_query_int(c,
					 "SELECT max(seq) FROM supervision_events WHERE "
					 "district = ?",
					 (struct store_param[]){SP_TEXT(STORE_DEFAULT_DISTRICT)}, 1,
					 0, &base, &e),
			 0);
	store_release(c);
	rd.st = st;
	rd.after = base;
	rd.writers_done = &done;
	rd.cap = total + 16;
	rd.seqs = calloc(rd.cap, sizeof(*rd.seqs));
	rd.refs = calloc(rd.cap, sizeof(*rd.refs));
	assert_non_null(rd.seqs);
	assert_non_null(rd.refs);
	assert_int_equal(pthread_create(&rt, NULL, reader_main, &rd), 0);
	for (int i = 0; i < WRITERS; i++) {
		w[i] = (struct writer){.st = st, .n = i};
		assert_int_equal(pthread_create(&wt[i], NULL, writer_main, &w[i]), 0);
	}
	for (int i = 0; i < WRITERS; i++) {
		pthread_join(wt[i], NULL);
		assert_false(w[i].failed);
	}
	__atomic_store_n(&done, 1, __ATOMIC_RELEASE);
	pthread_join(rt, NULL);
	assert_false(rd.failed);
	/* every event exactly once, in seq order, with no gap */
	assert_int_equal(rd.n, total);
	for (size_t i = 0; i < rd.n; i++)
		assert_int_equal(rd.seqs[i], base + 1 + (int64_t)i);
	for (int wi = 0; wi < WRITERS; wi++)
		for (int k = 0; k < PER_WRITER; k++) {
			char ref[32];
			int seen = 0;

			snprintf(ref, sizeof(ref), "w%d-%d", wi, k);
			for (size_t i = 0; i < rd.n; i++)
				seen += strcmp(rd.refs[i], ref) == 0;
			assert_int_equal(seen, 1);
		}
	free(rd.seqs);
	free(rd.refs);
	store_close(st);
}

static int setup(void **state)
{
	(void)state;
	setenv("YIYE_TODAY", LIC_TODAY, 1);
	return server_start(&srv, 1, NULL) != 0 ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	server_stop(&srv, 0);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_check_items),
	    cmocka_unit_test(test_demo_inspectors),
	    cmocka_unit_test(test_inspector_register),
	    cmocka_unit_test(test_conflicts), /* after the register */
	    cmocka_unit_test(test_entity_register),
	    cmocka_unit_test(test_export),
	    cmocka_unit_test(test_export_exactly_once),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
