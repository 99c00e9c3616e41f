/*
 * test_pg_recovery.c — PostgreSQL goes away under a running server and comes
 * back: meanwhile /healthz and every request that needs the database answer
 * 503 quickly with a clear error (no hang, no crash), and the server heals
 * itself once the database is back. PostgreSQL backend only (skipped on
 * SQLite). It stops its own private cluster, never the shared test cluster.
 * Also: a write waiting for the write lock gives up after lock_timeout (503).
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

static struct server srv;
static char state[256];

static int pgctl(const char *verb)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "%s/tests/pg/pgctl.sh %s %s >/dev/null",
		 getenv("YIYE_SOURCE_DIR"), verb, state);
	return system(cmd) == 0 ? 0 : -1;
}

static double now_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int setup(void **st)
{
	(void)st;
	if (!harness_is_pg())
		return 0;
	snprintf(state, sizeof(state), "/tmp/yiye-pgrec-XXXXXX");
	if (mkdtemp(state) == NULL || pgctl("start") < 0)
		return -1;
	/* The harness creates the server's database in the cluster named here. */
	setenv("YIYE_PG_STATE", state, 1);
	/* Writers wait at most 1 s for the write lock (test_write_lock_wait_bounded). */
	setenv("YIYE_BUSY_TIMEOUT_MS", "1000", 1);
	return server_start(&srv, 1, NULL);
}

static int teardown(void **st)
{
	(void)st;
	if (!harness_is_pg())
		return 0;
	server_stop(&srv, 0);
	pgctl("stop");
	return 0;
}

static int server_running(void)
{
	int status;

	return waitpid(srv.pid, &status, WNOHANG) == 0;
}

/* One request that must read the database: a login attempt (401 when the
 * database answers, 503 when it does not). Returns the status. */
static long login_status(void)
{
	struct resp r;
	long status;

	assert_int_equal(
	    http_json(&srv, "POST", "/api/v1/session",
		      json_pack("{s:s,s:s}", "username", "nobody", "password", "wrong-password-1"),
		      &r),
	    0);
	status = r.status;
	if (status == 503)
		assert_error(&r, 503, "db_unavailable", NULL);
	resp_free(&r);
	return status;
}

static void test_outage_and_recovery(void **st)
{
	struct resp r;
	double t0;
	int have_login;

	(void)st;
	if (!harness_is_pg())
		skip();
	assert_int_equal(http_req(&srv, "GET", "/healthz", NULL, NULL, 0, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	resp_free(&r);
	have_login = login_status() != 404;

	assert_int_equal(pgctl("halt"), 0);
	for (int i = 0; i < 3; i++) {
		t0 = now_sec();
		assert_int_equal(http_req(&srv, "GET", "/healthz", NULL, NULL, 0, NULL, &r), 0);
		assert_true(now_sec() - t0 < 10.0);
		assert_int_equal(r.status, 503);
		assert_string_equal(json_string_value(json_object_get(r.json, "status")), "down");
		assert_non_null(strstr(r.body, "数据库暂时无法连接"));
		resp_free(&r);
		if (have_login) {
			t0 = now_sec();
			assert_int_equal(login_status(), 503);
			assert_true(now_sec() - t0 < 10.0);
		}
	}
	/* Requests that do not need the database still work. */
	assert_int_equal(http_req(&srv, "GET", "/api/v1/version", NULL, NULL, 0, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	resp_free(&r);
	assert_true(server_running());

	assert_int_equal(pgctl("resume"), 0);
	/* The pool reconnects by itself: healthy again within seconds. */
	t0 = now_sec();
	for (;;) {
		assert_int_equal(http_req(&srv, "GET", "/healthz", NULL, NULL, 0, NULL, &r), 0);
		if (r.status == 200)
			break;
		resp_free(&r);
		assert_true(now_sec() - t0 < 20.0);
		usleep(200 * 1000);
	}
	resp_free(&r);
	if (have_login)
		assert_int_equal(login_status(), 401);
	/* Every pooled connection died with the old server; none is kept. */
	for (int i = 0; i < 20; i++) {
		assert_int_equal(http_req(&srv, "GET", "/healthz", NULL, NULL, 0, NULL, &r), 0);
		assert_int_equal(r.status, 200);
		resp_free(&r);
	}
	assert_true(server_running());
}

/* Another session holding the row a write needs (as a long write
 * transaction of another node would: here the health probe's row): the
 * write waits lock_timeout, then answers 503 db_locked; reads go on. */
static void test_write_lock_wait_bounded(void **st)
{
	struct resp r;
	PGconn *db;
	PGresult *res;
	double t0;

	(void)st;
	if (!harness_is_pg())
		skip();
	db = PQconnectdb(srv.db_url);
	assert_int_equal(PQstatus(db), CONNECTION_OK);
	res = PQexec(db, "BEGIN");
	assert_int_equal(PQresultStatus(res), PGRES_COMMAND_OK);
	PQclear(res);
	res = PQexec(db, "SELECT probes FROM health_probe WHERE id = 1 FOR UPDATE");
	assert_int_equal(PQresultStatus(res), PGRES_TUPLES_OK);
	PQclear(res);
	t0 = now_sec();
	assert_int_equal(http_req(&srv, "GET", "/healthz", NULL, NULL, 0, NULL, &r), 0);
	assert_true(now_sec() - t0 < 10.0);
	assert_int_equal(r.status, 503);
	assert_string_equal(json_string_value(json_object_get(r.json, "status")), "degraded");
	assert_non_null(strstr(r.body, "数据库正忙"));
	resp_free(&r);
	PQfinish(db); /* ends the transaction: releases the lock */
	assert_int_equal(http_req(&srv, "GET", "/healthz", NULL, NULL, 0, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_outage_and_recovery),
	    cmocka_unit_test(test_write_lock_wait_bounded),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
