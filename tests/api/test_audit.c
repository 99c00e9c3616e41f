/*
 * test_audit.c — the audit trail: entries for changes, logins and refusals;
 * listing and CSV export; `yiye audit verify` on an intact chain and on one
 * whose entry was edited in the database; a write while another connection
 * holds the SQLite write lock answers 503 and leaves nothing behind; no
 * password, token, session id or identity number in the server log or the
 * audit table.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define SECRET_PW "Very-Secret-Pass-42"
#define ID_NUMBER "360426199101010071"

static struct server srv;

static void as(const char *user)
{
	srv.cookies[0] = srv.csrf[0] = srv.bearer[0] = '\0';
	assert_int_equal(login(&srv, user, demo_password(&srv, user)), 0);
}

static int sqlite_backend(void)
{
	return srv.db_url[0] == '\0';
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (f == NULL)
		return strdup("");
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = calloc(1, (size_t)n + 1);
	if (fread(buf, 1, (size_t)n, f) != (size_t)n)
		buf[0] = '\0';
	fclose(f);
	return buf;
}

static void test_entries(void **state)
{
	struct resp r;
	json_t *items, *e;
	size_t i;
	int login_ok = 0, login_failed = 0, denied = 0, created = 0;

	(void)state;
	/* a failed login, a refused change, a successful change */
	srv.cookies[0] = srv.csrf[0] = '\0';
	http_json(&srv, "POST", "/api/v1/session",
		  json_pack("{s:s,s:s}", "username", "clerk", "password", "Wrong-Pass-123"), &r);
	resp_free(&r);
	http_json(&srv, "POST", "/api/v1/departments",
		  json_pack("{s:s,s:s}", "code", "q1", "name", "x"), &r);
	assert_int_equal(r.status, 401);
	resp_free(&r);
	as("reviewer");
	http_json(&srv, "POST", "/api/v1/departments",
		  json_pack("{s:s,s:s}", "code", "q2", "name", "x"), &r);
	assert_int_equal(r.status, 403);
	resp_free(&r);
	as("admin");
	http_json(&srv, "POST", "/api/v1/departments",
		  json_pack("{s:s,s:s}", "code", "q3", "name", "审计测试部门"), &r);
	assert_int_equal(r.status, 201);
	resp_free(&r);

	as("auditor");
	http_req(&srv, "GET", "/api/v1/audit?limit=500", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	items = json_object_get(r.json, "items");
	assert_true(json_array_size(items) > 0);
	json_array_foreach (items, i, e) {
		const char *action = json_string_value(json_object_get(e, "action"));
		const char *outcome = json_string_value(json_object_get(e, "outcome"));
		const char *actor = json_string_value(json_object_get(e, "actor"));

		assert_non_null(json_object_get(e, "request_id"));
		assert_non_null(json_object_get(e, "client"));
		assert_int_equal(strlen(json_string_value(json_object_get(e, "hash"))), 64);
		if (strcmp(action, "session.login") == 0 && strcmp(outcome, "ok") == 0)
			login_ok++;
		if (strcmp(action, "session.login") == 0 && strcmp(outcome, "failed:401") == 0 &&
		    strcmp(actor, "clerk") == 0)
			login_failed++;
		if (strcmp(action, "department.create") == 0 && strncmp(outcome, "denied:", 7) == 0)
			denied++;
		if (strcmp(action, "department.create") == 0 && strcmp(outcome, "ok") == 0 &&
		    strcmp(actor, "admin") == 0) {
			assert_string_equal(json_string_value(json_object_get(e, "object")),
					    "department:q3");
			assert_string_equal(json_string_value(json_object_get(e, "role")),
					    "system_admin");
			created++;
		}
	}
	assert_true(login_ok >= 3);
	assert_int_equal(login_failed, 1);
	assert_int_equal(denied, 2);
	assert_int_equal(created, 1);
	resp_free(&r);

	/* filters */
	http_req(&srv, "GET", "/api/v1/audit?actor=admin&action=department.create", NULL, NULL, 0,
		 NULL, &r);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 1);
	resp_free(&r);
	http_req(&srv, "GET", "/api/v1/audit?from=2000-01-01&to=2000-12-31", NULL, NULL, 0, NULL,
		 &r);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 0);
	resp_free(&r);
	http_req(&srv, "GET", "/api/v1/audit?from=yesterday", NULL, NULL, 0, NULL, &r);
	assert_error(&r, 400, "invalid_date", "from");
	resp_free(&r);

	/* CSV for Excel: BOM, quoted fields */
	char ct[128];

	http_req(&srv, "GET", "/api/v1/audit.csv?action=department.create", NULL, NULL, 0, NULL,
		 &r);
	assert_int_equal(r.status, 200);
	resp_header(&r, "Content-Type", ct, sizeof(ct));
	assert_non_null(strstr(ct, "text/csv"));
	assert_memory_equal(r.body, "\xEF\xBB\xBF\"序号\",\"时间\"", 3 + 16);
	assert_non_null(strstr(r.body, "\"department:q3\""));
	resp_free(&r);
}

static void test_verify_and_tamper(void **state)
{
	const char *verify[] = {"audit", "verify", NULL};
	char *out = NULL, db[400], cmd[700];

	(void)state;
	assert_int_equal(server_cli(&srv, &out, verify), 0);
	assert_non_null(strstr(out, "完整"));
	free(out);
	if (!sqlite_backend())
		return; /* editing the table directly is done on SQLite */
	snprintf(db, sizeof(db), "%s/yiye.db", srv.dir);
	snprintf(cmd, sizeof(cmd),
		 "sqlite3 '%s' \"PRAGMA busy_timeout=5000; UPDATE audit_log SET actor = 'mallory' "
		 "WHERE seq = 3\" > /dev/null",
		 db);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(server_cli(&srv, &out, verify), 1);
	assert_non_null(strstr(out, "seq=3"));
	free(out);
	/* put it back: the chain verifies again */
	snprintf(
	    cmd, sizeof(cmd),
	    "sqlite3 '%s' \"PRAGMA busy_timeout=5000; UPDATE audit_log SET actor = 'yiye-init' "
	    "WHERE seq = 3\" > /dev/null",
	    db);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(server_cli(&srv, &out, verify), 0);
	free(out);
	/* deleting the newest entry shows at the head */
	snprintf(
	    cmd, sizeof(cmd),
	    "sqlite3 '%s' \"PRAGMA busy_timeout=5000; CREATE TABLE keep AS SELECT * FROM audit_log "
	    "WHERE seq = (SELECT max(seq) FROM audit_log); DELETE FROM audit_log WHERE seq = "
	    "(SELECT "
	    "max(seq) FROM audit_log)\" > /dev/null",
	    db);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(server_cli(&srv, &out, verify), 1);
	free(out);
	snprintf(
	    cmd, sizeof(cmd),
	    "sqlite3 '%s' \"PRAGMA busy_timeout=5000; INSERT INTO audit_log SELECT * FROM keep; "
	    "DROP TABLE keep\" > /dev/null",
	    db);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(server_cli(&srv, &out, verify), 0);
	free(out);
}

/* Another connection holds the write lock: the change answers 503 and
 * neither the department nor an audit entry is half-written. */
static void test_locked_database(void **state)
{
	sqlite3 *db = NULL;
	char path[400];
	struct resp r;
	int64_t before, after;
	sqlite3_stmt *st;

	(void)state;
	if (!sqlite_backend())
		return;
	as("admin");
	snprintf(path, sizeof(path), "%s/yiye.db", srv.dir);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	sqlite3_prepare_v2(db, "SELECT seq FROM audit_head", -1, &st, NULL);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	before = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	http_json(&srv, "POST", "/api/v1/departments",
		  json_pack("{s:s,s:s}", "code", "locked", "name", "锁测试"), &r);
	assert_int_equal(r.status, 503);
	assert_error(&r, 503, "db_locked", NULL);
	resp_free(&r);
	assert_int_equal(sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_prepare_v2(db, "SELECT count(*) FROM departments WHERE code = 'locked'", -1, &st,
			   NULL);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int64(st, 0), 0);
	sqlite3_finalize(st);
	sqlite3_prepare_v2(db, "SELECT seq FROM audit_head", -1, &st, NULL);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	after = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	assert_true(after == before);
	sqlite3_close(db);
	/* and afterwards the same request succeeds, chain intact */
	http_json(&srv, "POST", "/api/v1/departments",
		  json_pack("{s:s,s:s}", "code", "locked", "name", "锁测试"), &r);
	assert_int_equal(r.status, 201);
	resp_free(&r);
	const char *verify[] = {"audit", "verify", NULL};

	assert_int_equal(server_cli(&srv, NULL, verify), 0);
}

static void test_no_personal_data(void **state)
{
	struct resp r;
	char token[128], cookie[256] = "", *log, *csv;
	const char *s;

	(void)state;
	srv.cookies[0] = srv.csrf[0] = '\0';
	http_json(&srv, "POST", "/api/v1/registrations",
		  json_pack("{s:s,s:s,s:s,s:s}", "username", "secretive", "password", SECRET_PW,
			    "name", "王某", "phone", "13700137000"),
		  &r);
	assert_int_equal(r.status, 201);
	resp_free(&r);
	http_json(&srv, "POST", "/api/v1/session",
		  json_pack("{s:s,s:s}", "username", "secretive", "password", "Wrong-" SECRET_PW),
		  &r);
	resp_free(&r);
	assert_int_equal(login(&srv, "secretive", SECRET_PW), 0);
	if ((s = strstr(srv.cookies, "yiye_session=")) != NULL)
		snprintf(cookie, sizeof(cookie), "%.*s", (int)strcspn(s + 13, ";"), s + 13);
	assert_true(strlen(cookie) > 20);
	http_json(&srv, "POST", "/api/v1/validate",
		  json_pack("{s:s,s:s}", "kind", "idcard", "value", ID_NUMBER), &r);
	resp_free(&r);
	as("admin");
	http_json(&srv, "POST", "/api/v1/tokens",
		  json_pack("{s:s,s:[s]}", "name", "t", "scopes", "audit:read"), &r);
	snprintf(token, sizeof(token), "%s", json_string_value(json_object_get(r.json, "secret")));
	resp_free(&r);
	as("auditor");
	http_req(&srv, "GET", "/api/v1/audit.csv", NULL, NULL, 0, NULL, &r);
	csv = r.body;
	{
		/* every request above is in the log once the last one is */
		char rid[40], needle[80];

		assert_int_equal(resp_header(&r, "X-Request-Id", rid, sizeof(rid)), 0);
		snprintf(needle, sizeof(needle), "\"rid\":\"%s\"", rid);
		log = server_log_wait(&srv, needle);
		assert_non_null(strstr(log, needle));
	}
	const char *needles[] = {SECRET_PW, ID_NUMBER, token, cookie, "argon2"};

	for (size_t i = 0; i < sizeof(needles) / sizeof(needles[0]); i++) {
		if (strstr(log, needles[i]) || strstr(csv, needles[i]))
			fprintf(stderr, "found secret #%zu in the %s\n", i,
				strstr(log, needles[i]) ? "server log" : "audit trail");
		assert_null(strstr(log, needles[i]));
		assert_null(strstr(csv, needles[i]));
	}
	free(log);
	resp_free(&r);
	if (sqlite_backend()) {
		/* nothing in clear in the database either: sessions and tokens hashed */
		char cmd[600], *dump;

		snprintf(cmd, sizeof(cmd), "sqlite3 '%s/yiye.db' .dump > '%s/dump.sql'", srv.dir,
			 srv.dir);
		assert_int_equal(system(cmd), 0);
		snprintf(cmd, sizeof(cmd), "%s/dump.sql", srv.dir);
		dump = slurp(cmd);
		assert_null(strstr(dump, SECRET_PW));
		assert_null(strstr(dump, token));
		assert_null(strstr(dump, cookie));
		free(dump);
	}
}

static int setup(void **state)
{
	(void)state;
	setenv("YIYE_BUSY_TIMEOUT_MS", "300", 1);
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
	    cmocka_unit_test(test_entries),
	    cmocka_unit_test(test_verify_and_tamper),
	    cmocka_unit_test(test_locked_database),
	    cmocka_unit_test(test_no_personal_data),
	};

	curl_global_init(CURL_GLOBAL_DEFAULT);
	return cmocka_run_group_tests(tests, setup, teardown);
}
