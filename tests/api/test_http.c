/*
 * test_http.c — the HTTP layer's promises: keep-alive, every error status in
 * the standard error shape, body limit, content types, the OpenAPI document
 * generated from the route table, health, metrics, the access log, static
 * files with their caching and security headers, and clean shutdown.
 */
#include <pthread.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "http/http.h"

static struct server srv;

static int setup(void **state)
{
	/* One I/O thread: a handler blocking it would stall every request,
	 * which test_slow_work_does_not_block relies on to prove it does not. */
	const char *args[] = {"--body-limit", "4096", "--threads", "1", NULL};

	(void)state;
	return server_start(&srv, 0, args);
}

static int teardown(void **state)
{
	(void)state;
	server_stop(&srv, 0);
	return 0;
}

static void test_keepalive(void **state)
{
	struct resp a, b;

	(void)state;
	assert_int_equal(http_req(&srv, "GET", "/api/v1/version", NULL, NULL, 0, NULL, &a), 0);
	assert_int_equal(http_req(&srv, "GET", "/api/v1/calendar/years", NULL, NULL, 0, NULL, &b),
			 0);
	assert_int_equal(a.status, 200);
	assert_int_equal(b.status, 200);
	/* the second request reused the first one's connection */
	assert_int_equal(b.new_connections, 0);
	resp_free(&a);
	resp_free(&b);
	/* also after a POST with a body */
	assert_int_equal(http_req(&srv, "POST", "/api/v1/validate", NULL,
				  "{\"kind\":\"uscc\",\"value\":\"x\"}", 27, NULL, &a),
			 0);
	assert_int_equal(http_req(&srv, "GET", "/api/v1/version", NULL, NULL, 0, NULL, &b), 0);
	assert_int_equal(a.status, 200);
	assert_int_equal(b.new_connections, 0);
	resp_free(&a);
	resp_free(&b);
}

static void test_not_found(void **state)
{
	struct resp r;

	(void)state;
	http_req(&srv, "GET", "/api/v1/nothing-here", NULL, NULL, 0, NULL, &r);
	assert_error(&r, 404, "not_found", NULL);
	resp_free(&r);
}

static void test_method_not_allowed(void **state)
{
	struct resp r;
	char allow[64];

	(void)state;
	http_req(&srv, "DELETE", "/api/v1/validate", NULL, NULL, 0, NULL, &r);
	assert_error(&r, 405, "method_not_allowed", NULL);
	assert_int_equal(resp_header(&r, "Allow", allow, sizeof(allow)), 0);
	assert_string_equal(allow, "POST");
	resp_free(&r);
}

static void test_body_limit(void **state)
{
	struct resp r;
	char *big = malloc(10000);

	(void)state;
	memset(big, ' ', 10000);
	big[0] = '{';
	big[9999] = '}';
	http_req(&srv, "POST", "/api/v1/validate", NULL, big, 10000, NULL, &r);
	assert_error(&r, 413, "payload_too_large", NULL);
	resp_free(&r);
	/* chunked upload without a Content-Length is cut off as well */
	{
		const char *hdr[] = {"Transfer-Encoding: chunked", NULL};

		http_req(&srv, "POST", "/api/v1/validate", "application/json", big, 10000, hdr, &r);
		assert_error(&r, 413, "payload_too_large", NULL);
		resp_free(&r);
	}
	free(big);
	/* the server is still fine */
	http_req(&srv, "GET", "/api/v1/version", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	resp_free(&r);
}

static void test_content_type(void **state)
{
	struct resp r;

	(void)state;
	http_req(&srv, "POST", "/api/v1/validate", "text/plain", "{}", 2, NULL, &r);
	assert_error(&r, 415, "unsupported_media_type", NULL);
	resp_free(&r);
	http_req(&srv, "POST", "/api/v1/validate", "application/jsonx", "{}", 2, NULL, &r);
	assert_error(&r, 415, "unsupported_media_type", NULL);
	resp_free(&r);
	http_req(&srv, "POST", "/api/v1/validate", "application/json; charset=utf-8",
		 "{\"kind\":\"uscc\",\"value\":\"91110000600037341L\"}", 44, NULL, &r);
	assert_int_equal(r.status, 200);
	resp_free(&r);
}

static void test_malformed_json(void **state)
{
	static const char *bad[] = {
	    "{", "{\"kind\":}", "[1,2", "{\"kind\":\"uscc\",\"kind\":\"idcard\"}", "\xff\xfe", ""};
	struct resp r;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		http_req(&srv, "POST", "/api/v1/validate", NULL, bad[i], strlen(bad[i]), NULL, &r);
		assert_error(&r, 400, "invalid_json", NULL);
		resp_free(&r);
	}
}

/* A JSON route's body is described by its own schema (the row's .body),
 * which names its members: not the bare "object" a route without one gets. */
static void openapi_check_body(const struct route *rt, json_t *op)
{
	json_t *content = json_object_get(json_object_get(op, "requestBody"), "content");
	json_t *schema = json_object_get(json_object_get(content, "application/json"), "schema");
	json_t *own, *props;

	if (rt->body == NULL)
		fail_msg("%s %s takes a JSON body but describes none (.body)", rt->method,
			 rt->pattern);
	own = json_loads(rt->body, 0, NULL);
	if (own == NULL)
		fail_msg("%s %s: .body is not valid JSON", rt->method, rt->pattern);
	/* the document serves the row's schema as written */
	assert_true(json_equal(schema, own));
	json_decref(own);
	assert_string_equal(json_string_value(json_object_get(schema, "type")), "object");
	props = json_object_get(schema, "properties");
	if (!json_is_object(props) || json_object_size(props) == 0)
		fail_msg("%s %s: the body schema names no members", rt->method, rt->pattern);
}

static void test_openapi(void **state)
{
	struct resp r;
	json_t *paths, *item, *op, *ids = json_object();
	const char *path, *method;
	int ops = 0;

	(void)state;
	http_req(&srv, "GET", "/api/v1/openapi.json", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "openapi")), "3.1.0");
	paths = json_object_get(r.json, "paths");
	json_object_foreach (paths, path, item) {
		json_object_foreach (item, method, op) {
			const char *id = json_string_value(json_object_get(op, "operationId"));

			assert_true(json_is_string(json_object_get(op, "x-permission")));
			/* operation ids are unique and URL-safe */
			assert_non_null(id);
			assert_int_equal(strspn(id, "abcdefghijklmnopqrstuvwxyz0123456789_-."),
					 strlen(id));
			assert_null(json_object_get(ids, id));
			json_object_set_new(ids, id, json_true());
			ops++;
		}
	}
	json_decref(ids);
	/* the document lists exactly the routes the server answers */
	assert_int_equal(ops, routes_count);
	for (int i = 0; i < routes_count; i++) {
		char m[8];
		size_t k;

		for (k = 0; routes[i].method[k]; k++)
			m[k] = (char)(routes[i].method[k] | 0x20);
		m[k] = '\0';
		op = json_object_get(json_object_get(paths, routes[i].pattern), m);
		assert_non_null(op);
		assert_string_equal(json_string_value(json_object_get(op, "x-permission")),
				    routes[i].permission);
		{
			json_t *resp = json_object_get(op, "responses");
			int public = strcmp(routes[i].permission, "public") == 0;
			/* a body: JSON, or a file (ROUTE_UPLOAD) */
			unsigned body = routes[i].flags & (ROUTE_JSON_BODY | ROUTE_UPLOAD);

			assert_non_null(json_object_get(resp, "2XX"));
			assert_int_equal(json_object_get(resp, "401") != NULL, !public);
			assert_int_equal(json_object_get(resp, "403") != NULL, !public);
			/* a login or a token, or nobody for a public route */
			assert_int_equal(json_array_size(json_object_get(op, "security")) > 0,
					 !public);
			assert_int_equal(json_object_get(resp, "415") != NULL, body != 0);
			assert_int_equal(json_object_get(op, "requestBody") != NULL, body != 0);
			if (routes[i].flags & ROUTE_JSON_BODY)
				openapi_check_body(&routes[i], op);
			/* Password hashes, uploads, slow routes and every route
			 * that identifies the caller wait for a worker in a
			 * bounded queue: when it is full they answer 503 busy
			 * with Retry-After (server.c). */
			if ((routes[i].flags & (ROUTE_HASHES | ROUTE_UPLOAD | ROUTE_SLOW)) ||
			    !public)
				assert_non_null(json_object_get(
				    json_object_get(json_object_get(resp, "503"), "headers"),
				    "Retry-After"));
		}
	}
	/* the login is throttled: 429 with Retry-After */
	op = json_object_get(json_object_get(paths, "/api/v1/session"), "post");
	assert_non_null(json_object_get(
	    json_object_get(json_object_get(json_object_get(op, "responses"), "429"), "headers"),
	    "Retry-After"));
	resp_free(&r);
}

static void test_health_and_metrics(void **state)
{
	struct resp r;

	(void)state;
	http_req(&srv, "GET", "/healthz", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "status")), "ok");
	resp_free(&r);
	http_req(&srv, "GET", "/api/v1/nothing", NULL, NULL, 0, NULL, &r);
	resp_free(&r);
	http_req(&srv, "GET", "/metrics", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(
	    r.body, "yiye_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"}"));
	assert_non_null(strstr(r.body, "status=\"404\""));
	assert_non_null(strstr(r.body, "yiye_http_request_duration_seconds_bucket{le=\"+Inf\"}"));
	assert_non_null(strstr(r.body, "yiye_db_errors_total"));
	resp_free(&r);
}

static void test_access_log(void **state)
{
	struct resp r;
	char rid[40], needle[80], *log = NULL;

	(void)state;
	http_req(&srv, "POST", "/api/v1/validate", NULL,
		 "{\"kind\":\"idcard\",\"value\":\"360426199101010071\"}", 46, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(resp_header(&r, "X-Request-Id", rid, sizeof(rid)), 0);
	resp_free(&r);
	snprintf(needle, sizeof(needle), "\"rid\":\"%s\"", rid);
	log = server_log_wait(&srv, needle);
	assert_non_null(strstr(log, needle));
	assert_non_null(strstr(log, "\"route\":\"/api/v1/validate\",\"status\":200"));
	/* personal data never reaches the log */
	assert_null(strstr(log, "360426199101010071"));
	free(log);
}

static void test_static_ui(void **state)
{
	struct resp r;
	char v[512];

	(void)state;
	http_req(&srv, "GET", "/", NULL, NULL, 0, NULL, &r);
	if (r.status == 404) { /* UI not built in this tree */
		resp_free(&r);
		skip();
	}
	assert_int_equal(r.status, 200);
	resp_header(&r, "Content-Type", v, sizeof(v));
	assert_string_equal(v, "text/html; charset=utf-8");
	resp_header(&r, "Cache-Control", v, sizeof(v));
	assert_string_equal(v, "no-cache");
	resp_header(&r, "Content-Security-Policy", v, sizeof(v));
	assert_non_null(strstr(v, "script-src 'self'"));
	assert_null(strstr(v, "unsafe-eval"));
	/* a hashed asset referenced by the page is cached for long */
	{
		const char *a = strstr(r.body, "/assets/");
		char path[256];

		assert_non_null(a);
		snprintf(path, sizeof(path), "%.*s", (int)strcspn(a, "\""), a);
		resp_free(&r);
		http_req(&srv, "GET", path, NULL, NULL, 0, NULL, &r);
		assert_int_equal(r.status, 200);
		resp_header(&r, "Cache-Control", v, sizeof(v));
		assert_non_null(strstr(v, "max-age=31536000"));
		resp_header(&r, "Content-Type", v, sizeof(v));
		assert_true(strstr(v, "javascript") || strstr(v, "css"));
	}
	resp_free(&r);
	/* client-side routes fall back to the page; missing assets are 404 */
	http_req(&srv, "GET", "/tools/check", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	resp_free(&r);
	http_req(&srv, "GET", "/assets/missing-123.js", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 404);
	resp_free(&r);
	http_req(&srv, "GET", "/../../etc/passwd", NULL, NULL, 0, NULL, &r);
	assert_true(r.status == 404 || r.status == 200);
	assert_null(strstr(r.body, "root:"));
	resp_free(&r);
}

/* A writer holding the database lock for longer than the busy timeout makes
 * writes fail with 503 while reads go on; /healthz says what is wrong. */
static void test_db_locked(void **state)
{
	sqlite3 *db;
	struct resp r;

	(void)state;
	if (srv.db_url[0])
		skip(); /* SQLite-specific; the PostgreSQL suite stops the server instead */
	db = hold_write_lock(&srv);
	http_req(&srv, "GET", "/healthz", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 503);
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(r.json, "database"), "write")),
	    "error");
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(r.json, "database"), "read")), "ok");
	assert_non_null(strstr(
	    json_string_value(json_object_get(json_object_get(r.json, "database"), "detail")),
	    "锁"));
	resp_free(&r);
	http_req(&srv, "GET", "/api/v1/calendar/workdays?from=2026-09-30&add=1", NULL, NULL, 0,
		 NULL, &r);
	assert_int_equal(r.status, 200);
	resp_free(&r);
	release_write_lock(db);
	http_req(&srv, "GET", "/healthz", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	resp_free(&r);
}

struct slow_call {
	struct server copy;
	long status;
	int done;
};

static void *slow_healthz(void *arg)
{
	struct slow_call *c = arg;
	struct resp r;

	c->copy.curl = curl_easy_init();
	http_req(&c->copy, "GET", "/healthz", NULL, NULL, 0, NULL, &r);
	c->status = r.status;
	resp_free(&r);
	curl_easy_cleanup(c->copy.curl);
	__atomic_store_n(&c->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

/* While a slow request waits on the database lock (several seconds of busy
 * timeout) on the worker pool, the single I/O thread keeps answering: a quick
 * request started later finishes first. Ordering, not timing, is checked. */
static void test_slow_work_does_not_block(void **state)
{
	sqlite3 *db;
	struct slow_call call;
	pthread_t t;
	struct resp r;

	(void)state;
	if (srv.db_url[0])
		skip();
	db = hold_write_lock(&srv);
	memset(&call, 0, sizeof(call));
	call.copy = srv;
	assert_int_equal(pthread_create(&t, NULL, slow_healthz, &call), 0);
	usleep(300 * 1000);
	for (int i = 0; i < 5; i++) {
		http_req(&srv, "GET", "/api/v1/calendar/workdays?from=2026-09-30&add=1", NULL, NULL,
			 0, NULL, &r);
		assert_int_equal(r.status, 200);
		resp_free(&r);
	}
	assert_int_equal(__atomic_load_n(&call.done, __ATOMIC_SEQ_CST), 0);
	release_write_lock(db);
	pthread_join(t, NULL);
	/* it waited for the lock: 200 once released, 503 had it waited too long */
	assert_true(call.status == 200 || call.status == 503);
}

/* A full disk (simulated by a file-size limit of 0 on the running server,
 * so every write that SQLite attempts fails) makes /healthz report the write
 * failure while reads keep working; the server recovers once space is back. */
static void test_disk_full(void **state)
{
	struct rlimit none = {0, RLIM_INFINITY}, old;
	struct resp r;

	(void)state;
	if (srv.db_url[0])
		skip();
	assert_int_equal(prlimit(srv.pid, RLIMIT_FSIZE, NULL, &old), 0);
	assert_int_equal(prlimit(srv.pid, RLIMIT_FSIZE, &none, NULL), 0);
	http_req(&srv, "GET", "/healthz", NULL, NULL, 0, NULL, &r);
	assert_int_equal(prlimit(srv.pid, RLIMIT_FSIZE, &old, NULL), 0);
	assert_int_equal(r.status, 503);
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(r.json, "database"), "write")),
	    "error");
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(r.json, "database"), "read")), "ok");
	resp_free(&r);
	http_req(&srv, "GET", "/api/v1/calendar/years", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	resp_free(&r);
	http_req(&srv, "GET", "/healthz", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	resp_free(&r);
}

/* SIGTERM while a request waits on the worker pool: the request still gets
 * its answer and the server then exits 0 (in-flight requests finish). */
static void test_shutdown_with_request_in_flight(void **state)
{
	sqlite3 *db;
	struct slow_call call;
	pthread_t t;
	int status;

	(void)state;
	if (srv.db_url[0])
		skip();
	db = hold_write_lock(&srv);
	memset(&call, 0, sizeof(call));
	call.copy = srv;
	assert_int_equal(pthread_create(&t, NULL, slow_healthz, &call), 0);
	usleep(300 * 1000);
	kill(srv.pid, SIGTERM);
	usleep(300 * 1000);
	release_write_lock(db);
	pthread_join(t, NULL);
	assert_true(call.status == 200 || call.status == 503);
	assert_int_equal(waitpid(srv.pid, &status, 0), srv.pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	srv.pid = 0;
	assert_int_equal(server_restart(&srv, NULL), 0);
}

/* SIGTERM lets the server finish and exit 0 with the database closed. */
static void test_clean_shutdown(void **state)
{
	struct resp r;
	int status;
	char *out = NULL;
	const char *check[] = {"calendar", "--help", NULL};

	(void)state;
	kill(srv.pid, SIGTERM);
	assert_int_equal(waitpid(srv.pid, &status, 0), srv.pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	srv.pid = 0;
	/* the data dir is reusable right away */
	assert_int_equal(server_cli(&srv, &out, check), 0);
	free(out);
	assert_int_equal(server_restart(&srv, NULL), 0);
	http_req(&srv, "GET", "/healthz", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_keepalive),
	    cmocka_unit_test(test_not_found),
	    cmocka_unit_test(test_method_not_allowed),
	    cmocka_unit_test(test_body_limit),
	    cmocka_unit_test(test_content_type),
	    cmocka_unit_test(test_malformed_json),
	    cmocka_unit_test(test_openapi),
	    cmocka_unit_test(test_health_and_metrics),
	    cmocka_unit_test(test_access_log),
	    cmocka_unit_test(test_static_ui),
	    cmocka_unit_test(test_db_locked),
	    cmocka_unit_test(test_slow_work_does_not_block),
	    cmocka_unit_test(test_disk_full),
	    cmocka_unit_test(test_shutdown_with_request_in_flight),
	    cmocka_unit_test(test_clean_shutdown),
	};
	return cmocka_run_group_tests_name("api.http", tests, setup, teardown);
}
