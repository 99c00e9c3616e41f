/*
 * test_sharing.c — shared reads by 统一社会信用代码 (issue 14, share-reads;
 * docs/api-sharing.md), on both backends: a purpose is required and must be
 * one the token was granted; a scope reads exactly its data and never
 * personal data; an unknown entity and one with nothing in the token's scope
 * answer alike; every read is in the access log, whose chain verifies and
 * whose tampered row `yiye sharing verify` names; 429 + Retry-After past a
 * token's rate; last_used_at kept; the log read per department; the CSV.
 *
 * The data read is written with SQL into the server's database (the columns
 * issuance and the supervision module write): these tests are about who may
 * read it, not how it came to be.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct server srv;
static char uscc_a[19], uscc_b[19], uscc_none[19];
static char last_secret[128]; /* a token of test_access_log, for later tests */

static void as_user(const char *user)
{
	srv.bearer[0] = srv.cookies[0] = srv.csrf[0] = '\0';
	assert_int_equal(login(&srv, user, demo_password(&srv, user)), 0);
}

static void as_token(const char *secret)
{
	srv.cookies[0] = srv.csrf[0] = '\0';
	snprintf(srv.bearer, sizeof(srv.bearer), "%s", secret);
}

/* Creates a token with scopes (space-separated) and its sharing settings as
 * the administrator; *id and secret receive it. */
static void make_token(const char *name, const char *scopes, const char *dept,
		       const char *purposes_json, const char *rate, int64_t *id, char secret[128])
{
	char body[512], path[64];
	json_t *sc = json_array();
	struct resp r;
	char buf[128];

	snprintf(buf, sizeof(buf), "%s", scopes);
	for (char *t = strtok(buf, " "); t; t = strtok(NULL, " "))
		json_array_append_new(sc, json_string(t));
	as_user("admin");
	http_json(&srv, "POST", "/api/v1/tokens",
		  json_pack("{s:s,s:o}", "name", name, "scopes", sc), &r);
	assert_int_equal(r.status, 201);
	*id = json_integer_value(json_object_get(json_object_get(r.json, "token"), "id"));
	snprintf(secret, 128, "%s", json_string_value(json_object_get(r.json, "secret")));
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/tokens/%lld/sharing", (long long)*id);
	snprintf(body, sizeof(body),
		 "{\"department\":\"%s\",\"purposes\":%s,\"rate_per_minute\":%s}", dept,
		 purposes_json, rate);
	http_req(&srv, "PUT", path, NULL, body, strlen(body), NULL, &r);
	if (r.status != 200)
		fprintf(stderr, "%s\n", r.body);
	assert_int_equal(r.status, 200);
	resp_free(&r);
}

/* Entries in the access log, through the API (which first waits for what
 * the node has queued to be committed: docs/api-sharing.md "Access log"). */
static long log_total(void)
{
	char saved[sizeof(srv.bearer)];
	struct resp r;
	long n;

	snprintf(saved, sizeof(saved), "%s", srv.bearer);
	as_user("auditor");
	http_req(&srv, "GET", "/api/v1/shared/access-log?limit=1", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	n = (long)json_integer_value(json_object_get(r.json, "total"));
	resp_free(&r);
	srv.cookies[0] = srv.csrf[0] = '\0';
	snprintf(srv.bearer, sizeof(srv.bearer), "%s", saved);
	return n;
}

static long shared_get(const char *uscc, const char *kind, const char *purpose, struct resp *r)
{
	char path[160], hdr[200];
	const char *const headers[] = {hdr, NULL};

	snprintf(path, sizeof(path), "/api/v1/shared/entities/%s/%s", uscc, kind);
	snprintf(hdr, sizeof(hdr), "X-Purpose: %s", purpose ? purpose : "");
	http_req(&srv, "GET", path, NULL, NULL, 0, purpose ? headers : NULL, r);
	return r->status;
}

#define SQL(...)                                       \
	do {                                           \
		char q_[2048];                         \
		snprintf(q_, sizeof(q_), __VA_ARGS__); \
		server_sql_long(&srv, q_);             \
	} while (0)

static void seed(void)
{
	test_uscc(4101, uscc_a);
	test_uscc(4102, uscc_b);
	test_uscc(4103, uscc_none);
	SQL("INSERT INTO licenses (district, number, version, is_current, eid, status, "
	    "holder_name, "
	    "holder_uscc, legal_rep, address, industry, industry_name, year, serial, valid_from, "
	    "valid_until, issued_on, doc, sig, kid, issued_at, updated_at) VALUES ('310104', "
	    "'XK-310104-2026-004101', 1, 1, 'e1', 'valid', '共享测试便利店', '%s', '张三', "
	    "'徐汇区某路1号', 'bianlidian', '便利店', 2026, 4101, '2026-12-02', '2031-12-01', "
	    "'2026-12-02', '{\"permits\":[{\"code\":\"spjy\",\"name\":\"食品经营许可\"}],"
	    "\"holder\":{\"legal_rep\":\"张三\"}}', 'sig', 'k', 100, 100)",
	    uscc_a);
	SQL("INSERT INTO annual_reports (district, uscc, entity_name, year, fields, public_fields, "
	    "filed_on, filed_at) VALUES ('310104', '%s', '共享测试便利店', 2026, "
	    "'{\"F_phone\":\"13912345678\",\"F_staff\":3}', '{\"F_staff\":3}', '2027-03-01', 100)",
	    uscc_a);
	SQL("INSERT INTO penalties (district, decision_no, uscc, entity_name, department, facts, "
	    "basis, kind, amount, decided_on, created_at) VALUES ('310104', "
	    "'徐市监罚〔2026〕4101号', "
	    "'%s', '共享测试书店', 'scjgj', '未按规定公示', '某条', 'warning', 0, '2026-11-01', "
	    "100)",
	    uscc_b);
}

/* Purpose: required, from the documented list, and granted to the token. */
static void test_purpose(void **state)
{
	char secret[128];
	int64_t id;
	struct resp r;

	(void)state;
	seed();
	make_token("证照共享", "licenses:read", "scjgj", "[\"approval\"]", "null", &id, secret);
	as_token(secret);
	assert_int_equal(shared_get(uscc_a, "licenses", NULL, &r), 400);
	assert_error(&r, 400, "purpose_required", "purpose");
	resp_free(&r);
	assert_int_equal(shared_get(uscc_a, "licenses", "fishing; 看看", &r), 400);
	assert_error(&r, 400, "unknown_purpose", "X-Purpose");
	resp_free(&r);
	assert_int_equal(shared_get(uscc_a, "licenses", "supervision", &r), 403);
	assert_error(&r, 403, "purpose_not_allowed", "purpose");
	resp_free(&r);
	assert_int_equal(shared_get("91310104XXXXXXXXX1", "licenses", "approval", &r), 400);
	assert_error(&r, 400, "invalid_uscc", "uscc");
	resp_free(&r);

	/* the purpose parameter serves as well as the header */
	{
		char path[160];

		snprintf(path, sizeof(path), "/api/v1/shared/entities/%s/licenses?purpose=approval",
			 uscc_a);
		http_req(&srv, "GET", path, NULL, NULL, 0, NULL, &r);
		assert_int_equal(r.status, 200);
		resp_free(&r);
	}
	assert_int_equal(shared_get(uscc_a, "licenses", "approval; 核验申请材料", &r), 200);
	{
		json_t *it = json_array_get(json_object_get(r.json, "items"), 0);

		assert_string_equal(json_string_value(json_object_get(it, "number")),
				    "XK-310104-2026-004101");
		assert_true(json_is_true(json_object_get(it, "current")));
		assert_string_equal(json_string_value(json_object_get(
					json_array_get(json_object_get(it, "permits"), 0), "code")),
				    "spjy");
		assert_null(json_object_get(it, "doc"));
		assert_string_equal(
		    json_string_value(json_object_get(json_object_get(r.json, "purpose"), "text")),
		    "核验申请材料");
	}
	resp_free(&r);
}

/* Each scope reads exactly its data; unknown and out-of-scope answer alike. */
static void test_scopes_and_404(void **state)
{
	char secret[128], body404[2][512];
	int64_t id;
	struct resp r;

	(void)state;
	make_token("监管共享", "supervision:read reports:read", "scjgj",
		   "[\"supervision\",\"enforcement\"]", "null", &id, secret);
	as_token(secret);
	assert_int_equal(shared_get(uscc_b, "penalties", "enforcement", &r), 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 1);
	assert_int_equal(json_integer_value(json_object_get(
			     json_array_get(json_object_get(r.json, "items"), 0), "amount")),
			 0);
	resp_free(&r);
	/* licenses are outside this token's scopes: the route is refused */
	assert_int_equal(shared_get(uscc_a, "licenses", "supervision", &r), 403);
	resp_free(&r);
	/* annual reports: the disclosed fields only, never the contact phone */
	assert_int_equal(shared_get(uscc_a, "annual-reports", "supervision", &r), 200);
	assert_null(strstr(r.body, "13912345678"));
	assert_non_null(strstr(r.body, "F_staff"));
	resp_free(&r);
	/* uscc_a has no penalty, uscc_none is unknown: one answer */
	assert_int_equal(shared_get(uscc_a, "penalties", "supervision", &r), 404);
	assert_error(&r, 404, "not_found", "uscc");
	snprintf(body404[0], sizeof(body404[0]), "%s", r.body);
	resp_free(&r);
	assert_int_equal(shared_get(uscc_none, "penalties", "supervision", &r), 404);
	snprintf(body404[1], sizeof(body404[1]), "%s", r.body);
	resp_free(&r);
	assert_string_equal(body404[0], body404[1]);
	assert_int_equal(shared_get(uscc_none, "inspections", "supervision", &r), 404);
	resp_free(&r);
}

/* 429 past the token's rate, with Retry-After; not counted, not logged. */
static void test_rate_limit(void **state)
{
	char secret[128], ra[16];
	int64_t id;
	long before;
	int allowed;
	struct resp r;

	(void)state;
	make_token("限流", "credit:read", "scjgj", "[\"credit\"]", "3", &id, secret);
	before = log_total();
	as_token(secret);
	/* windows are calendar minutes: if one ends during the loop the count
	   restarts, so a refusal comes after 3 to 6 reads, never later */
	for (allowed = 0; allowed < 7; allowed++) {
		if (shared_get(uscc_none, "credit", "credit", &r) == 429)
			break;
		assert_int_equal(r.status, 404);
		resp_free(&r);
	}
	assert_true(allowed >= 3 && allowed <= 6);
	assert_error(&r, 429, "rate_limited", NULL);
	assert_int_equal(resp_header(&r, "Retry-After", ra, sizeof(ra)), 0);
	assert_true(atoi(ra) >= 1 && atoi(ra) <= 60);
	resp_free(&r);
	/* the allowed reads are logged, the refusal is not */
	assert_int_equal(log_total(), before + allowed);
	/* last_used_at is kept */
	{
		char q[128];

		snprintf(q, sizeof(q),
			 "SELECT count(*) FROM api_tokens WHERE id = %lld AND "
			 "last_used_at IS NOT NULL",
			 (long long)id);
		assert_int_equal(server_sql_long(&srv, q), 1);
	}
}

/* Token settings: bad input is 400 with the field; the list shows them. */
static void test_token_settings(void **state)
{
	static const struct {
		const char *body, *code, *field;
		long status;
	} bad[] = {
	    {"{\"department\":\"scjgj\",\"purposes\":[\"fun\"]}", "unknown_purpose", "purposes[0]",
	     400},
	    {"{\"department\":\"nosuch\",\"purposes\":[]}", "unknown_department", "department",
	     400},
	    {"{\"department\":\"scjgj\",\"purposes\":[],\"rate_per_minute\":0}", "invalid_rate",
	     "rate_per_minute", 400},
	    {"{\"department\":\"scjgj\"}", "required", "purposes", 400},
	    {"{\"department\":\"scjgj\",\"purposes\":[],\"x\":1}", "unknown_field", "x", 400},
	};
	struct resp r;

	(void)state;
	as_user("admin");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		http_req(&srv, "PUT", "/api/v1/tokens/1/sharing", NULL, bad[i].body,
			 strlen(bad[i].body), NULL, &r);
		assert_error(&r, bad[i].status, bad[i].code, bad[i].field);
		resp_free(&r);
	}
	{
		const char *b = "{\"department\":\"scjgj\",\"purposes\":[]}";

		http_req(&srv, "PUT", "/api/v1/tokens/999999/sharing", NULL, b, strlen(b), NULL,
			 &r);
	}
	assert_int_equal(r.status, 404);
	resp_free(&r);
	http_req(&srv, "GET", "/api/v1/tokens", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "\"purposes\""));
	assert_non_null(strstr(r.body, "\"rate_per_minute\""));
	assert_non_null(strstr(r.body, "\"last_used_at\""));
	resp_free(&r);
	http_req(&srv, "GET", "/api/v1/shared/purposes", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "items")), 7);
	resp_free(&r);
}

/* Every read is in the log; staff see their department's tokens only; CSV. */
static void test_access_log(void **state)
{
	char secret[128], path[128];
	int64_t id;
	struct resp r;
	long n;

	(void)state;
	make_token("文旅共享", "licenses:read", "whlyj", "[\"service\"]", "null", &id, secret);
	snprintf(last_secret, sizeof(last_secret), "%s", secret);
	as_token(secret);
	assert_int_equal(shared_get(uscc_a, "licenses", "service; 一网通办核验", &r), 200);
	resp_free(&r);

	n = log_total();
	assert_true(n >= 10);
	assert_int_equal(server_sql_long(&srv, "SELECT count(*) FROM sharing_log"), n);
	as_user("auditor");
	http_req(&srv, "GET", "/api/v1/shared/access-log?limit=500", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), n);
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/shared/access-log?token=%lld&uscc=%s", (long long)id,
		 uscc_a);
	http_req(&srv, "GET", path, NULL, NULL, 0, NULL, &r);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 1);
	{
		json_t *e = json_array_get(json_object_get(r.json, "items"), 0);

		assert_string_equal(json_string_value(json_object_get(e, "department")), "whlyj");
		assert_string_equal(json_string_value(json_object_get(e, "kind")), "licenses");
		assert_string_equal(json_string_value(json_object_get(e, "purpose")), "service");
		assert_string_equal(json_string_value(json_object_get(e, "purpose_text")),
				    "一网通办核验");
		assert_int_equal(json_integer_value(json_object_get(e, "status")), 200);
	}
	resp_free(&r);
	http_req(&srv, "GET", "/api/v1/shared/access-log?from=2026-13-01", NULL, NULL, 0, NULL, &r);
	assert_error(&r, 400, "invalid_date", "from");
	resp_free(&r);

	/* the market regulator's supervisor: its own tokens' entries only */
	as_user("supervisor");
	http_req(&srv, "GET", "/api/v1/shared/access-log?limit=500", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), n - 1);
	assert_null(strstr(r.body, "whlyj"));
	resp_free(&r);
	as_user("applicant");
	http_req(&srv, "GET", "/api/v1/shared/access-log", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 403);
	resp_free(&r);

	as_user("auditor");
	http_req(&srv, "GET", "/api/v1/shared/access-log.csv", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_true(r.len > 3 && memcmp(r.body, "\xEF\xBB\xBF\"序号\"", 9) == 0);
	assert_non_null(strstr(r.body, "一网通办核验"));
	resp_free(&r);
}

/* The chain verifies; a tampered row is named. Last: it breaks the chain. */
static void test_verify_and_tamper(void **state)
{
	char *out = NULL;
	const char *const args[] = {"sharing", "verify", NULL};

	struct resp r;
	long n;

	(void)state;
	n = log_total(); /* and every queued entry committed */
	assert_true(n > 3);
	/* a read answered just before a graceful stop is in the log after it:
	   the node writes what it queued before it exits */
	as_token(last_secret);
	assert_int_equal(shared_get(uscc_a, "licenses", "service", &r), 200);
	resp_free(&r);
	server_stop(&srv, 1);
	assert_int_equal(server_sql_long(&srv, "SELECT count(*) FROM sharing_log"), n + 1);
	assert_int_equal(server_restart(&srv, NULL), 0);
	assert_int_equal(server_cli(&srv, &out, args), 0);
	assert_non_null(strstr(out, "共享访问日志完整"));
	free(out);
	server_sql_long(&srv, "UPDATE sharing_log SET uscc = '91310104000000000X' WHERE seq = 3");
	assert_int_equal(server_cli(&srv, &out, args), 1);
	assert_non_null(strstr(out, "seq=3"));
	free(out);
}

/* fix-shared: the identified token and a uscc's license rows are kept in
 * memory for a second; a license changed on this node shows at once in the
 * shared read, and a revoked token is refused by the very next request. */
static void test_cache_invalidation(void **state)
{
	const char *number = "XK-310104-2026-004104";
	char secret[128], uscc[19], path[160];
	int64_t id;
	struct resp r;

	(void)state;
	test_uscc(4104, uscc);
	SQL("INSERT INTO licenses (district, number, version, is_current, eid, status, "
	    "holder_name, holder_uscc, legal_rep, address, industry, industry_name, year, serial, "
	    "valid_from, valid_until, issued_on, doc, sig, kid, issued_at, updated_at) VALUES "
	    "('310104', '%s', 1, 1, 'e4104', 'valid', '缓存测试便利店', '%s', '李四', "
	    "'徐汇区某路4号', 'bianlidian', '便利店', 2026, 4104, '2026-01-02', '2031-12-01', "
	    "'2026-01-02', '{\"permits\":[{\"code\":\"spjy\",\"name\":\"食品经营许可\","
	    "\"department\":\"scjgj\"}]}', 'sig', 'k', 100, 100)",
	    number, uscc);
	make_token("缓存", "licenses:read", "scjgj", "[\"approval\"]", "null", &id, secret);
	as_token(secret);
	/* twice: the second answer comes from the caches */
	for (int i = 0; i < 2; i++) {
		assert_int_equal(shared_get(uscc, "licenses", "approval; 核验", &r), 200);
		assert_string_equal(
		    json_string_value(json_object_get(
			json_array_get(json_object_get(r.json, "items"), 0), "status")),
		    "valid");
		assert_string_equal(
		    json_string_value(json_object_get(json_object_get(r.json, "purpose"), "text")),
		    "核验");
		resp_free(&r);
	}
	as_user("supervisor_scjgj");
	snprintf(path, sizeof(path), "/api/v1/licenses/%s/suspend", number);
	http_json(&srv, "POST", path,
		  json_pack("{s:s,s:s}", "reason", "检查发现问题", "basis", "《行政许可法》"), &r);
	if (r.status != 200)
		fprintf(stderr, "%s\n", r.body);
	assert_int_equal(r.status, 200);
	resp_free(&r);
	as_token(secret);
	assert_int_equal(shared_get(uscc, "licenses", "approval", &r), 200);
	assert_string_equal(json_string_value(json_object_get(
				json_array_get(json_object_get(r.json, "items"), 0), "status")),
			    "suspended");
	resp_free(&r);
	/* a purpose withdrawn from the token is refused at once too */
	as_user("admin");
	snprintf(path, sizeof(path), "/api/v1/tokens/%lld/sharing", (long long)id);
	http_json(&srv, "PUT", path,
		  json_pack("{s:s,s:[s]}", "department", "scjgj", "purposes", "service"), &r);
	assert_int_equal(r.status, 200);
	resp_free(&r);
	as_token(secret);
	assert_int_equal(shared_get(uscc, "licenses", "approval", &r), 403);
	assert_error(&r, 403, "purpose_not_allowed", "purpose");
	resp_free(&r);
	assert_int_equal(shared_get(uscc, "licenses", "service", &r), 200);
	resp_free(&r);
	/* revoked: the next request is refused */
	as_user("admin");
	snprintf(path, sizeof(path), "/api/v1/tokens/%lld", (long long)id);
	http_req(&srv, "DELETE", path, NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	resp_free(&r);
	as_token(secret);
	assert_int_equal(shared_get(uscc, "licenses", "service", &r), 401);
	assert_error(&r, 401, "token_invalid", NULL);
	resp_free(&r);
}

static int setup(void **state)
{
	(void)state;
	return server_start(&srv, 1, NULL);
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
	    cmocka_unit_test(test_purpose),
	    cmocka_unit_test(test_scopes_and_404),
	    cmocka_unit_test(test_rate_limit),
	    cmocka_unit_test(test_token_settings),
	    cmocka_unit_test(test_access_log),
	    cmocka_unit_test(test_verify_and_tamper),
	    cmocka_unit_test(test_cache_invalidation),
	};

	curl_global_init(CURL_GLOBAL_DEFAULT);
	return cmocka_run_group_tests(tests, setup, teardown);
}
