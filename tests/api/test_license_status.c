/*
 * test_license_status.c — the statuses of a license (issue 12;
 * docs/api-licenses.md): every answer of the public verification (valid,
 * suspended, revoked, superseded, expired), each with its reason and day and
 * nothing personal; the supervisors' suspend / reinstate / revoke with their
 * refusals; a new version through the store superseding the old one; expiry
 * by date before any job marks it.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/license.h"
#include "core/payload.h"
#include "io/keys.h"
#include "harness_app.h"
#include "harness_license.h"
#include "store/store_license.h"

static struct server srv;

#define str lic_str

static void as(const char *user)
{
	lic_as(&srv, user);
}

static void post(const char *path, json_t *body, long status, const char *code, struct resp *out)
{
	lic_post(&srv, path, body, status, code, out);
}

static void get(const char *path, long status, struct resp *out)
{
	lic_get(&srv, path, status, out);
}

/* ---- verification and sanctions ---- */

static void sanction(const char *number, const char *action, json_t *body, long status,
		     const char *code)
{
	char path[128];

	snprintf(path, sizeof(path), "/api/v1/licenses/%s/%s", number, action);
	post(path, body, status, code, NULL);
}

static json_t *why(const char *reason)
{
	return json_pack("{s:s,s:s}", "reason", reason, "basis", "《行政许可法》第六十九条");
}

static void test_verify_and_sanctions(void **state)
{
	struct lic_holder h;
	json_t *lic = lic_issue(&srv, lic_approved_shudian(&srv, "核验状态书店", &h)), *v;
	const char *number = str(lic, "number");
	char path[128];
	struct resp r;

	(void)state;
	v = lic_verify(&srv, number, NULL);
	assert_string_equal(str(v, "status"), "valid");
	assert_string_equal(str(v, "number"), number);
	assert_string_equal(str(json_object_get(v, "holder"), "name"), h.name);
	assert_string_equal(str(json_object_get(v, "holder"), "uscc"), h.uscc);
	assert_int_equal(json_array_size(json_object_get(v, "permits")), 2);
	assert_true(json_is_string(json_array_get(json_object_get(v, "permits"), 0)));
	assert_string_equal(str(v, "at"), LIC_TODAY);
	/* nothing personal beyond the printed license */
	{
		char *text = json_dumps(v, 0);

		assert_null(strstr(text, "13800138000"));
		assert_null(strstr(text, "310104199001011"));
		free(text);
	}
	assert_null(json_object_get(json_object_get(v, "holder"), "legal_rep"));
	json_decref(v);

	/* who may: a supervisor of a department owning one of the permits */
	as("applicant");
	sanction(number, "suspend", why("检查发现问题"), 403, "forbidden");
	as("supervisor"); /* 区市场监管局: owns neither permit */
	sanction(number, "suspend", why("检查发现问题"), 403, "wrong_department");
	as("supervisor_whlyj");
	/* a valid license cannot be reinstated */
	sanction(number, "reinstate", why("整改完毕"), 409, "invalid_state");
	sanction(number, "suspend", json_pack("{s:s}", "basis", "某法"), 400, "reason_required");
	sanction(number, "suspend", json_pack("{s:s,s:s}", "reason", "  ", "basis", "某法"), 400,
		 "reason_required");
	sanction(number, "suspend", json_pack("{s:s}", "reason", "理由"), 400, "basis_required");
	sanction(number, "suspend",
		 json_pack("{s:s,s:s,s:s}", "reason", "理由", "basis", "某法", "extra", "x"), 400,
		 "unknown_field");
	v = lic_verify(&srv, number, NULL);
	assert_string_equal(str(v, "status"), "valid");
	json_decref(v);

	as("supervisor_whlyj");
	sanction(number, "suspend", why("超范围经营，责令整改"), 200, NULL);
	sanction(number, "suspend", why("再次暂停"), 409, "invalid_state");
	v = lic_verify(&srv, number, NULL);
	assert_string_equal(str(v, "status"), "suspended");
	assert_string_equal(str(v, "reason"), "超范围经营，责令整改");
	assert_true(str(v, "at")[0] != '\0');
	json_decref(v);
	/* the holder is told */
	as("applicant");
	snprintf(path, sizeof(path), "/api/v1/licenses/%s", number);
	get(path, 200, &r);
	assert_string_equal(str(json_object_get(r.json, "license"), "status"), "suspended");
	assert_string_equal(str(json_object_get(r.json, "license"), "status_basis"),
			    "《行政许可法》第六十九条");
	resp_free(&r);

	as("supervisor_lhsrj"); /* the other department may act too */
	sanction(number, "reinstate", why("整改完毕"), 200, NULL);
	v = lic_verify(&srv, number, NULL);
	assert_string_equal(str(v, "status"), "valid");
	json_decref(v);
	as("supervisor_lhsrj");
	sanction(number, "revoke", why("以欺骗手段取得许可"), 200, NULL);
	sanction(number, "reinstate", why("恢复"), 409, "invalid_state");
	sanction(number, "suspend", why("暂停"), 409, "invalid_state");
	v = lic_verify(&srv, number, NULL);
	assert_string_equal(str(v, "status"), "revoked");
	assert_string_equal(str(v, "reason"), "以欺骗手段取得许可");
	json_decref(v);
	/* every change is one event, in order */
	{
		char sql[256];

		snprintf(sql, sizeof(sql),
			 "SELECT count(*) FROM license_events WHERE number = '%s' AND kind IN "
			 "('suspend', 'reinstate', 'revoke')",
			 number);
		assert_int_equal(server_sql_long(&srv, sql), 3);
	}
	/* verify of unknown numbers */
	as(NULL);
	http_req(&srv, "GET", "/api/v1/licenses/XK-310104-2026-999999/verify", NULL, NULL, 0, NULL,
		 &r);
	assert_error(&r, 404, "license_not_found", "*");
	resp_free(&r);
	json_decref(lic);
}

/* 亮证: ?d= carries a display token naming the version; an expired one is
 * 410, a forged or foreign one 400. Tokens are made with the server's own
 * keyring (the test shares its data directory). */
static void test_display_token(void **state)
{
	struct lic_holder h;
	json_t *lic = lic_issue(&srv, lic_approved_shudian(&srv, "亮证书店", &h)), *v;
	const char *number = str(lic, "number");
	struct keyring *k = NULL;
	struct yerr e = {0};
	char *tok, path[1024], query[900];
	struct resp r;
	long long now = (long long)time(NULL);

	(void)state;
	assert_int_equal(keyring_open(srv.dir, &k, &e), 0);
	tok = keyring_display_token(k, number, 1, now + DISPLAY_TOKEN_TTL, &e);
	assert_non_null(tok);
	snprintf(query, sizeof(query), "?d=%s", tok);
	v = lic_verify(&srv, number, query);
	assert_string_equal(str(v, "status"), "valid");
	assert_int_equal(json_integer_value(json_object_get(v, "version")), 1);
	json_decref(v);
	/* one character changed: forged */
	tok[strlen(tok) - 3] = tok[strlen(tok) - 3] == 'A' ? 'B' : 'A';
	snprintf(path, sizeof(path), "/api/v1/licenses/%s/verify?d=%s", number, tok);
	as(NULL);
	http_req(&srv, "GET", path, NULL, NULL, 0, NULL, &r);
	assert_error(&r, 400, "display_invalid", "*");
	resp_free(&r);
	free(tok);
	/* expired a second ago */
	tok = keyring_display_token(k, number, 1, now - 1, &e);
	snprintf(path, sizeof(path), "/api/v1/licenses/%s/verify?d=%s", number, tok);
	http_req(&srv, "GET", path, NULL, NULL, 0, NULL, &r);
	assert_error(&r, 410, "display_expired", "*");
	resp_free(&r);
	free(tok);
	/* a genuine token of another license */
	tok = keyring_display_token(k, "XK-310104-2026-999999", 1, now + DISPLAY_TOKEN_TTL, &e);
	snprintf(path, sizeof(path), "/api/v1/licenses/%s/verify?d=%s", number, tok);
	http_req(&srv, "GET", path, NULL, NULL, 0, NULL, &r);
	assert_error(&r, 400, "display_invalid", "d");
	resp_free(&r);
	free(tok);
	keyring_close(k);
	json_decref(lic);
}

/* A new version through the store (as the lifecycle writes one): the old
 * version verifies as superseded and names its successor. */
static void test_superseded(void **state)
{
	struct lic_holder h;
	json_t *lic = lic_issue(&srv, lic_approved_shudian(&srv, "换发新版书店", &h)), *v;
	const char *number = str(lic, "number");
	struct store_license old, next;
	struct store *st;
	struct store_conn *c;
	struct yerr e = {0};
	char url[700], eid[LICENSE_EID_SIZE];
	struct license_no no;

	(void)state;
	if (srv.db_url[0])
		snprintf(url, sizeof(url), "%s", srv.db_url);
	else
		snprintf(url, sizeof(url), "%s/yiye.db", srv.dir);
	assert_int_equal(store_open(&st, url, 1, NULL, &e), 0);
	assert_int_equal(store_acquire(st, &c, &e), 0);
	assert_int_equal(store_begin(c, &e), 0);
	assert_int_equal(store_license_get(c, "310104", number, 0, true, &old, &e), 0);
	assert_int_equal(license_number_parse(number, &no, &e), 0);
	assert_int_equal(license_eid_build("310104", no.year, no.serial, 2, eid, sizeof(eid), &e),
			 0);
	next = old;
	next.version = 2;
	next.application_id = 0;
	snprintf(next.eid, sizeof(next.eid), "%s", eid);
	next.issued_at = 0;
	assert_int_equal(store_license_insert(c, "310104", &next, 0, "test", 1767225600, &e), 0);
	/* version 2 again: the current version is 2 now */
	next.version = 2;
	assert_int_not_equal(store_license_insert(c, "310104", &next, 0, "test", 1767225600, &e),
			     0);
	store_rollback(c);
	assert_int_equal(store_begin(c, &e), 0);
	next.version = 2;
	assert_int_equal(store_license_insert(c, "310104", &next, 0, "test", 1767225600, &e), 0);
	assert_int_equal(store_commit(c, &e), 0);
	store_release(c);
	store_close(st);
	store_license_free(&old); /* next shared its strings: freed once */

	v = lic_verify(&srv, number, "?version=1");
	assert_string_equal(str(v, "status"), "superseded");
	assert_int_equal(json_integer_value(json_object_get(v, "superseded_by")), 2);
	assert_non_null(strstr(str(v, "reason"), "2"));
	json_decref(v);
	v = lic_verify(&srv, number, NULL);
	assert_string_equal(str(v, "status"), "valid");
	assert_int_equal(json_integer_value(json_object_get(v, "version")), 2);
	json_decref(v);
	/* a superseded version takes no sanction: only the current one does */
	as("supervisor_whlyj");
	{
		char path[128];
		struct resp r;

		snprintf(path, sizeof(path), "/api/v1/licenses/%s?version=1", number);
		get(path, 200, &r);
		assert_string_equal(str(json_object_get(r.json, "license"), "status"),
				    "superseded");
		resp_free(&r);
	}
	json_decref(lic);
}

/* A license with a term (食品经营许可, 5 years) is expired once today passes
 * valid_until, before any job marks it. Runs last: it restarts the server
 * on a later day. */
static void test_expired(void **state)
{
	struct lic_holder h;
	json_t *lic = lic_issue(&srv, lic_approved_hongbei(&srv, "过期测试烘焙店", &h)), *v;
	char number[LICENSE_NUMBER_SIZE];

	(void)state;
	snprintf(number, sizeof(number), "%s", str(lic, "number"));
	assert_string_equal(str(lic, "valid_until"), "2031-03-01");
	v = lic_verify(&srv, number, NULL);
	assert_string_equal(str(v, "status"), "valid");
	json_decref(v);
	json_decref(lic);
	server_stop(&srv, 1);
	setenv("YIYE_TODAY", "2031-03-01", 1);
	assert_int_equal(server_restart(&srv, NULL), 0);
	v = lic_verify(&srv, number, NULL);
	assert_string_equal(str(v, "status"), "valid"); /* the last day still counts */
	json_decref(v);
	server_stop(&srv, 1);
	setenv("YIYE_TODAY", "2031-03-02", 1);
	assert_int_equal(server_restart(&srv, NULL), 0);
	v = lic_verify(&srv, number, NULL);
	assert_string_equal(str(v, "status"), "expired");
	assert_string_equal(str(v, "at"), "2031-03-02");
	assert_non_null(strstr(str(v, "reason"), "2031-03-01"));
	json_decref(v);
	/* an expired license takes no suspension */
	as("supervisor_scjgj");
	sanction(number, "suspend", why("暂停"), 409, "invalid_state");
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
	    cmocka_unit_test(test_verify_and_sanctions), cmocka_unit_test(test_superseded),
	    cmocka_unit_test(test_display_token),
	    cmocka_unit_test(test_expired), /* last: it restarts the server on a later day */
	};

	curl_global_init(CURL_GLOBAL_DEFAULT);
	return cmocka_run_group_tests(tests, setup, teardown);
}
