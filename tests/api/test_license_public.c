/*
 * test_license_public.c — the license's public side (issue 12, lic-public):
 * hand-over (window/post/electronic, the collector's ID masked, 409 on a
 * second record, correction with a reason, the holder sees no collector),
 * the export cursor (each change exactly once, `next`, token scope), the
 * public disclosure list (nothing personal) and the license lists, and the
 * public 亮证 endpoint refusing a license whose holder did not switch it on.
 *
 * The licenses are written straight into the store (as test_materials
 * writes its materials), so these tests do not depend on issuance; the
 * issuance path itself is test_licenses.c's and the browser journey's.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct server srv;
static long applicant_id;

static void as(const char *user)
{
	srv.cookies[0] = srv.csrf[0] = srv.bearer[0] = '\0';
	if (user)
		assert_int_equal(login(&srv, user, demo_password(&srv, user)), 0);
}

static const char *jstr(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* One current license version and its issue event (seq = the district's
 * next), as store_license_insert would leave them. */
static void insert_license(const char *number, int version, long holder, const char *name,
			   const char *uscc, const char *status)
{
	char sql[3072];
	const char *doc = "{\"type\":\"行业综合许可证\",\"issuer\":{\"department\":\"zwfwb\","
			  "\"name\":\"上海市徐汇区政务服务办公室\"},\"permits\":[{\"code\":\"p1\","
			  "\"name\":\"食品经营许可\",\"department\":\"scjgj\",\"department_name\":"
			  "\"区市场监管局\",\"basis\":\"《食品安全法》第三十五条\"}],"
			  "\"legal_rep\":\"张三\"}";

	snprintf(
	    sql, sizeof(sql),
	    "INSERT INTO licenses (district, number, version, is_current, eid, status, "
	    "holder_user_id, holder_name, holder_uscc, legal_rep, address, industry, "
	    "industry_name, year, serial, valid_from, valid_until, issued_on, doc, sig, kid, "
	    "pdf_sha256, issued_at, updated_at) VALUES ('310104', '%s', %d, 1, 'EID-%s', '%s', "
	    "%ld, '%s', '%s', '张三', '徐汇区某路1号', 'bianlidian', '便利店', 2026, 1, "
	    "'2026-12-02', '2031-12-01', '2026-12-02', '%s', 'sig', 'k1', "
	    "'abababababababababababababababababababababababababababababababab', 100, 100)",
	    number, version, number, status, holder, name, uscc, doc);
	server_sql_long(&srv, sql);
	snprintf(
	    sql, sizeof(sql),
	    "INSERT INTO license_events (district, seq, number, version, kind, status, actor, "
	    "at) SELECT '310104', COALESCE(MAX(seq), 0) + 1, '%s', %d, 'issue', '%s', 'issuer', "
	    "100 FROM license_events WHERE district = '310104'",
	    number, version, status);
	server_sql_long(&srv, sql);
}

static void post(const char *path, json_t *body, long status, const char *code, const char *field)
{
	struct resp r;

	http_json(&srv, "POST", path, body, &r);
	if (code)
		assert_error(&r, status, code, field);
	else {
		if (r.status != status)
			fprintf(stderr, "%s: %s\n", path, r.body);
		assert_int_equal(r.status, status);
	}
	resp_free(&r);
}

#define HO "/api/v1/licenses/XK-310104-2026-000001/handover"

static void test_handover(void **state)
{
	struct resp r;
	json_t *h;

	(void)state;
	/* only the window records it */
	as("applicant");
	post(HO, json_pack("{s:s}", "method", "electronic"), 403, "forbidden", NULL);
	as("clerk");
	/* every field's error */
	post(HO, json_pack("{s:s}", "method", "pigeon"), 400, "invalid_method", "method");
	post(HO, json_pack("{s:s,s:s}", "method", "window", "archive_location", "柜1"), 400,
	     "required", "collector_name");
	post(HO,
	     json_pack("{s:s,s:s,s:s,s:s,s:s}", "method", "window", "collector_name", "李四",
		       "collector_id_type", "idcard", "collector_id_number", "110101199003070000",
		       "archive_location", "柜1"),
	     400, "invalid_idcard", "collector_id_number");
	post(HO,
	     json_pack("{s:s,s:s,s:s,s:s,s:s}", "method", "window", "collector_name", "李四",
		       "collector_id_type", "badge", "collector_id_number", "X1",
		       "archive_location", "柜1"),
	     400, "invalid_id_type", "collector_id_type");
	post(HO, json_pack("{s:s,s:s}", "method", "post", "archive_location", "柜1"), 400,
	     "required", "carrier");
	post(HO,
	     json_pack("{s:s,s:s,s:s}", "method", "window", "collector_name", "李四",
		       "collector_id_type", "passport"),
	     400, "required", "collector_id_number");
	post(HO, json_pack("{s:s,s:s}", "method", "electronic", "color", "red"), 400,
	     "unknown_field", "color");
	post("/api/v1/licenses/XK-310104-2026-999999/handover",
	     json_pack("{s:s}", "method", "electronic"), 404, "license_not_found", NULL);
	post(HO,
	     json_pack("{s:s,s:s,s:s,s:s}", "method", "window", "collector_name", "李四",
		       "collector_id_type", "idcard", "collector_id_number", "11010119900307803X"),
	     400, "required", "archive_location");
	/* collected at the window: the ID is stored masked only */
	post(HO,
	     json_pack("{s:s,s:s,s:s,s:s,s:s}", "method", "window", "collector_name", "李四",
		       "collector_id_type", "idcard", "collector_id_number", "11010119900307803X",
		       "archive_location", "3 号档案柜 / 第 12 盒"),
	     201, NULL, NULL);
	assert_int_equal(server_sql_long(&srv, "SELECT count(*) FROM license_handovers WHERE "
					       "collector_id_masked = '1101**********803X'"),
			 1);
	assert_int_equal(server_sql_long(&srv, "SELECT count(*) FROM license_handovers WHERE "
					       "collector_id_masked LIKE '%19900307%'"),
			 0);
	/* a second record of the same version: 409, unless it is a correction */
	post(HO, json_pack("{s:s}", "method", "electronic"), 409, "handover_exists", NULL);
	post(HO,
	     json_pack("{s:s,s:s,s:s,s:s,s:s}", "method", "post", "carrier", "中国邮政",
		       "tracking_no", "EMS1234567890", "archive_location", "3 号档案柜 / 第 12 盒",
		       "correction_reason", "持证人改为邮寄"),
	     201, NULL, NULL);
	/* the audit entry of each change */
	assert_int_equal(server_sql_long(&srv, "SELECT count(*) FROM audit_log WHERE action = "
					       "'license.handover' AND outcome = 'ok'"),
			 2);
	/* staff see both records, the current first */
	http_req(&srv, "GET", HO, NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	h = json_object_get(r.json, "handover");
	assert_string_equal(jstr(h, "method"), "post");
	assert_string_equal(jstr(h, "correction_reason"), "持证人改为邮寄");
	assert_int_equal(json_array_size(json_object_get(r.json, "items")), 2);
	assert_string_equal(
	    jstr(json_array_get(json_object_get(r.json, "items"), 1), "collector_id_masked"),
	    "1101**********803X");
	resp_free(&r);
	/* the holder sees how, never who collected it or where it is archived */
	as("applicant");
	http_req(&srv, "GET", HO, NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_null(strstr(r.body, "collector"));
	assert_null(strstr(r.body, "李四"));
	assert_null(strstr(r.body, "档案柜"));
	resp_free(&r);
	/* a revoked license is not handed over */
	as("clerk");
	post("/api/v1/licenses/XK-310104-2026-000003/handover",
	     json_pack("{s:s}", "method", "electronic"), 409, "license_not_valid", NULL);
	as("applicant");
	/* another holder's license is as absent */
	http_req(&srv, "GET", "/api/v1/licenses/XK-310104-2026-000002/handover", NULL, NULL, 0,
		 NULL, &r);
	assert_error(&r, 404, "license_not_found", NULL);
	resp_free(&r);
}

/* Reads the export from `after` as `who` (a session) or with the token. */
static json_t *export_from(long after, long limit)
{
	char path[128];
	struct resp r;
	json_t *o;

	snprintf(path, sizeof(path), "/api/v1/licenses/export?after=%ld&limit=%ld", after, limit);
	http_req(&srv, "GET", path, NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	o = json_incref(r.json);
	resp_free(&r);
	return o;
}

static void test_export(void **state)
{
	long next = 0, seen = 0, last = 0, total;
	char secret[256];
	struct resp r;
	json_t *o, *x;

	(void)state;
	as("applicant");
	http_req(&srv, "GET", "/api/v1/licenses/export", NULL, NULL, 0, NULL, &r);
	assert_error(&r, 403, "forbidden", NULL);
	resp_free(&r);
	/* a licenses:read token of the e-license library */
	as("admin");
	http_json(&srv, "POST", "/api/v1/tokens",
		  json_pack("{s:s,s:[s]}", "name", "电子证照库", "scopes", "licenses:read"), &r);
	assert_int_equal(r.status, 201);
	snprintf(secret, sizeof(secret), "%s", jstr(r.json, "secret"));
	resp_free(&r);
	as(NULL);
	snprintf(srv.bearer, sizeof(srv.bearer), "%s", secret);
	total = server_sql_long(&srv, "SELECT count(*) FROM license_events");
	assert_true(total >= 4);
	/* page by 2: every seq once, increasing, no gap */
	do {
		size_t i, n;

		o = export_from(next, 2);
		n = json_array_size(json_object_get(o, "items"));
		json_array_foreach (json_object_get(o, "items"), i, x) {
			long seq = (long)json_integer_value(json_object_get(x, "seq"));

			assert_int_equal(seq, last + 1);
			last = seq;
			seen++;
			assert_non_null(jstr(x, "number"));
			assert_non_null(jstr(x, "event"));
			assert_string_equal(jstr(x, "type"), "行业综合许可证");
			assert_string_equal(jstr(json_object_get(x, "issuer"), "name"),
					    "上海市徐汇区政务服务办公室");
			assert_non_null(jstr(x, "file_sha256"));
			/* nothing personal: the collector is not exported */
			assert_null(json_object_get(x, "collector_name"));
		}
		next = (long)json_integer_value(json_object_get(o, "next"));
		json_decref(o);
		if (n == 0)
			break;
	} while (1);
	assert_int_equal(seen, total);
	assert_int_equal(next, last);
	/* nothing new: the same cursor back, no items */
	o = export_from(next, 100);
	assert_int_equal(json_array_size(json_object_get(o, "items")), 0);
	assert_int_equal(json_integer_value(json_object_get(o, "next")), next);
	json_decref(o);
	/* a new change appears once, after the cursor */
	insert_license("XK-310104-2026-000004", 1, applicant_id, "徐汇第四便利店",
		       "91310104MA1FL4XX4X", "valid");
	o = export_from(next, 100);
	assert_int_equal(json_array_size(json_object_get(o, "items")), 1);
	assert_string_equal(jstr(json_array_get(json_object_get(o, "items"), 0), "number"),
			    "XK-310104-2026-000004");
	json_decref(o);
	http_req(&srv, "GET", "/api/v1/licenses/export?after=-1", NULL, NULL, 0, NULL, &r);
	assert_error(&r, 400, "invalid_number", "after");
	resp_free(&r);
	srv.bearer[0] = '\0';
}

static void test_export_cli(void **state)
{
	const char *args[] = {"licenses", "export", "--after", "1", NULL};
	char *out = NULL;
	int lines = 0, rc;

	(void)state;
	rc = server_cli(&srv, &out, args);
	if (rc != 0)
		fprintf(stderr, "yiye licenses export: %s\n", out ? out : "");
	assert_int_equal(rc, 0);
	for (char *p = out; (p = strstr(p, "{\"")) != NULL; p++)
		if (p == out || p[-1] == '\n')
			lines++;
	assert_int_equal(lines, server_sql_long(&srv, "SELECT count(*) FROM license_events") - 1);
	assert_non_null(strstr(out, "next="));
	free(out);
}

static void test_disclosure(void **state)
{
	struct resp r;
	json_t *it;

	(void)state;
	as(NULL);
	http_req(&srv, "GET", "/api/v1/public/licenses", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_true(json_integer_value(json_object_get(r.json, "total")) >= 3);
	/* nothing personal: no legal representative, address, ID or phone */
	assert_null(strstr(r.body, "张三"));
	assert_null(strstr(r.body, "徐汇区某路"));
	assert_null(strstr(r.body, "legal_rep"));
	assert_null(strstr(r.body, "phone"));
	resp_free(&r);
	http_req(&srv, "GET", "/api/v1/public/licenses?status=revoked", NULL, NULL, 0, NULL, &r);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 1);
	it = json_array_get(json_object_get(r.json, "items"), 0);
	assert_string_equal(jstr(it, "number"), "XK-310104-2026-000003");
	assert_string_equal(jstr(json_object_get(it, "issuer"), "name"),
			    "上海市徐汇区政务服务办公室");
	assert_string_equal(jstr(json_array_get(json_object_get(it, "permits"), 0), "name"),
			    "食品经营许可");
	resp_free(&r);
	http_req(&srv, "GET", "/api/v1/public/licenses?q=%E7%AC%AC%E4%BA%8C", NULL, NULL, 0, NULL,
		 &r);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 1);
	resp_free(&r);
	http_req(&srv, "GET", "/api/v1/public/licenses?status=lost", NULL, NULL, 0, NULL, &r);
	assert_error(&r, 400, "invalid_status", "status");
	resp_free(&r);
}

static void test_lists(void **state)
{
	struct resp r;

	(void)state;
	/* a holder: their own only */
	as("applicant");
	http_req(&srv, "GET", "/api/v1/licenses", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "XK-310104-2026-000001"));
	assert_null(strstr(r.body, "XK-310104-2026-000002"));
	resp_free(&r);
	/* staff: the district's, searchable */
	as("issuer");
	http_req(&srv, "GET", "/api/v1/licenses?q=000002", NULL, NULL, 0, NULL, &r);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 1);
	resp_free(&r);
}

static void test_display_off(void **state)
{
	struct resp r;

	(void)state;
	as(NULL);
	/* the holder has not switched the public display on */
	http_req(&srv, "GET", "/api/v1/public/licenses/XK-310104-2026-000001/display", NULL, NULL,
		 0, NULL, &r);
	assert_error(&r, 404, "display_off", NULL);
	resp_free(&r);
	http_req(&srv, "GET", "/api/v1/public/licenses/XK-310104-2026-999999/display", NULL, NULL,
		 0, NULL, &r);
	assert_error(&r, 404, "display_off", NULL);
	resp_free(&r);
	/* only the holder switches it */
	as("issuer");
	http_json(&srv, "PUT", "/api/v1/licenses/XK-310104-2026-000001/display",
		  json_pack("{s:b}", "public", 1), &r);
	assert_error(&r, 403, "forbidden", NULL);
	resp_free(&r);
	as("applicant");
	http_json(&srv, "PUT", "/api/v1/licenses/XK-310104-2026-000002/display",
		  json_pack("{s:b}", "public", 1), &r);
	assert_error(&r, 404, "license_not_found", NULL);
	resp_free(&r);
	http_json(&srv, "PUT", "/api/v1/licenses/XK-310104-2026-000001/display",
		  json_pack("{s:s}", "public", "yes"), &r);
	assert_error(&r, 400, "invalid_type", "public");
	resp_free(&r);
}

static void test_display(void **state)
{
	struct resp r;
	const char *tok;
	char prefix[64];

	(void)state;
	as("applicant");
	http_req(&srv, "GET", "/api/v1/licenses/XK-310104-2026-000001/display", NULL, NULL, 0, NULL,
		 &r);
	assert_int_equal(r.status, 200);
	tok = jstr(r.json, "token");
	assert_non_null(tok);
	/* YD1.<number>.<version>.<expires>.<kid>.<sig> */
	assert_int_equal(strncmp(tok, "YD1.XK-310104-2026-000001.1.", 28), 0);
	assert_true(json_integer_value(json_object_get(r.json, "expires_at")) > 0);
	assert_non_null(strstr(jstr(r.json, "qr_text"), "/v/XK-310104-2026-000001?d=YD1."));
	assert_int_equal(strncmp(jstr(r.json, "qr_png"), "data:image/png;base64,iVBOR", 27), 0);
	assert_true(json_is_false(json_object_get(r.json, "public")));
	resp_free(&r);
	/* staff do not show a holder's license */
	as("issuer");
	http_req(&srv, "GET", "/api/v1/licenses/XK-310104-2026-000001/display", NULL, NULL, 0, NULL,
		 &r);
	assert_error(&r, 403, "forbidden", NULL);
	resp_free(&r);
	/* switched on: the public page gets fresh tokens without a session */
	as("applicant");
	http_json(&srv, "PUT", "/api/v1/licenses/XK-310104-2026-000001/display",
		  json_pack("{s:b}", "public", 1), &r);
	assert_int_equal(r.status, 200);
	resp_free(&r);
	as(NULL);
	http_req(&srv, "GET", "/api/v1/public/licenses/XK-310104-2026-000001/display", NULL, NULL,
		 0, NULL, &r);
	assert_int_equal(r.status, 200);
	snprintf(prefix, sizeof(prefix), "%s", "YD1.XK-310104-2026-000001.1.");
	assert_int_equal(strncmp(jstr(r.json, "token"), prefix, strlen(prefix)), 0);
	assert_string_equal(jstr(json_object_get(r.json, "holder"), "name"),
			    "徐汇示范便利店有限公司");
	assert_null(json_object_get(r.json, "public"));
	resp_free(&r);
	/* a license that is not valid is not displayed, switched on or not */
	server_sql_long(&srv, "INSERT INTO license_displays (district, number, public, updated_at) "
			      "VALUES ('310104', 'XK-310104-2026-000003', 1, 1)");
	http_req(&srv, "GET", "/api/v1/public/licenses/XK-310104-2026-000003/display", NULL, NULL,
		 0, NULL, &r);
	assert_error(&r, 409, "license_not_valid", NULL);
	resp_free(&r);
	/* switched off again: no more tokens */
	as("applicant");
	http_json(&srv, "PUT", "/api/v1/licenses/XK-310104-2026-000001/display",
		  json_pack("{s:b}", "public", 0), &r);
	assert_int_equal(r.status, 200);
	resp_free(&r);
	assert_int_equal(server_sql_long(&srv, "SELECT count(*) FROM audit_log WHERE action = "
					       "'license.display' AND outcome = 'ok'"),
			 2);
	as(NULL);
	http_req(&srv, "GET", "/api/v1/public/licenses/XK-310104-2026-000001/display", NULL, NULL,
		 0, NULL, &r);
	assert_error(&r, 404, "display_off", NULL);
	resp_free(&r);
}

/* ------------------------------------------------- export under concurrent writes */

#define WRITERS 3
#define WRITES 12

struct writer {
	struct server s;
	char number[32];
	int failures;
	int *finished; /* incremented when this writer's last answer arrived */
};

/* One clerk's session correcting the hand-over of its own license, again
 * and again: every correction is one license event, committed while the
 * export is being read. */
static void *write_events(void *p)
{
	struct writer *w = p;
	char path[96];

	snprintf(path, sizeof(path), "/api/v1/licenses/%s/handover", w->number);
	for (int i = 0; i < WRITES; i++) {
		struct resp r;

		http_json(
		    &w->s, "POST", path,
		    json_pack("{s:s,s:s}", "method", "electronic", "correction_reason", "更正"),
		    &r);
		w->failures += r.status != 201;
		resp_free(&r);
	}
	__atomic_add_fetch(w->finished, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static void test_export_concurrent(void **state)
{
	struct writer w[WRITERS];
	pthread_t t[WRITERS];
	char secret[256];
	struct resp r;
	long next, last, total, seen = 0;
	int finished = 0;

	(void)state;
	/* three valid licenses, each handed over once */
	for (int i = 0; i < WRITERS; i++) {
		char num[32], name[64], code[32], path[96];

		snprintf(num, sizeof(num), "XK-310104-2026-00010%d", i);
		snprintf(name, sizeof(name), "并发便利店%d", i);
		snprintf(code, sizeof(code), "91310104MA1FLC%02dXX", i);
		insert_license(num, 1, 999999, name, code, "valid");
		as("clerk");
		snprintf(path, sizeof(path), "/api/v1/licenses/%s/handover", num);
		post(path, json_pack("{s:s}", "method", "electronic"), 201, NULL, NULL);
		memcpy(&w[i].s, &srv, sizeof(srv));
		w[i].s.curl = curl_easy_init();
		w[i].s.cookies[0] = w[i].s.csrf[0] = w[i].s.bearer[0] = '\0';
		assert_int_equal(login(&w[i].s, "clerk", demo_password(&srv, "clerk")), 0);
		snprintf(w[i].number, sizeof(w[i].number), "%s", num);
		w[i].failures = 0;
		w[i].finished = &finished;
	}
	/* the reader: a licenses:read token, starting after everything so far */
	as("admin");
	http_json(&srv, "POST", "/api/v1/tokens",
		  json_pack("{s:s,s:[s]}", "name", "并发导出", "scopes", "licenses:read"), &r);
	assert_int_equal(r.status, 201);
	snprintf(secret, sizeof(secret), "%s", jstr(r.json, "secret"));
	resp_free(&r);
	as(NULL);
	snprintf(srv.bearer, sizeof(srv.bearer), "%s", secret);
	next = last = server_sql_long(&srv, "SELECT max(seq) FROM license_events");
	for (int i = 0; i < WRITERS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, write_events, &w[i]), 0);
	/* page while they write, small pages; once all are done (seen before
	   a read), a read that finds nothing new ends it */
	while (1) {
		int done = __atomic_load_n(&finished, __ATOMIC_SEQ_CST) == WRITERS;
		json_t *o = export_from(next, 3), *x;
		size_t i, n = json_array_size(json_object_get(o, "items"));

		json_array_foreach (json_object_get(o, "items"), i, x) {
			long seq = (long)json_integer_value(json_object_get(x, "seq"));

			/* never a gap, never twice: the cursor cannot pass a seq
			   that commits later */
			assert_int_equal(seq, last + 1);
			last = seq;
			seen++;
		}
		next = (long)json_integer_value(json_object_get(o, "next"));
		json_decref(o);
		if (n == 0 && done)
			break;
	}
	for (int i = 0; i < WRITERS; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < WRITERS; i++) {
		assert_int_equal(w[i].failures, 0);
		curl_easy_cleanup(w[i].s.curl);
	}
	total = server_sql_long(&srv, "SELECT count(*) FROM license_events WHERE kind = 'handover' "
				      "AND number LIKE 'XK-310104-2026-00010%'");
	assert_int_equal(total, WRITERS * (WRITES + 1));
	assert_int_equal(seen, WRITERS * WRITES);
	assert_int_equal(last, server_sql_long(&srv, "SELECT max(seq) FROM license_events"));
	srv.bearer[0] = '\0';
}

static int setup(void **state)
{
	struct resp r;

	(void)state;
	if (server_start(&srv, 1, NULL) < 0)
		return -1;
	as("applicant");
	http_req(&srv, "GET", "/api/v1/me", NULL, NULL, 0, NULL, &r);
	applicant_id =
	    (long)json_integer_value(json_object_get(json_object_get(r.json, "user"), "id"));
	if (applicant_id == 0)
		applicant_id = (long)json_integer_value(json_object_get(r.json, "id"));
	resp_free(&r);
	insert_license("XK-310104-2026-000001", 1, applicant_id, "徐汇示范便利店有限公司",
		       "91310104MA1FL0XX1X", "valid");
	insert_license("XK-310104-2026-000002", 1, 999999, "徐汇第二便利店", "91310104MA1FL2XX2X",
		       "valid");
	insert_license("XK-310104-2026-000003", 1, 999999, "徐汇第三便利店", "91310104MA1FL3XX3X",
		       "revoked");
	return applicant_id > 0 ? 0 : -1;
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
	    cmocka_unit_test(test_handover),   cmocka_unit_test(test_export),
	    cmocka_unit_test(test_export_cli), cmocka_unit_test(test_disclosure),
	    cmocka_unit_test(test_lists),      cmocka_unit_test(test_display_off),
	    cmocka_unit_test(test_display),    cmocka_unit_test(test_export_concurrent),
	};

	curl_global_init(CURL_GLOBAL_DEFAULT);
	return cmocka_run_group_tests(tests, setup, teardown);
}
