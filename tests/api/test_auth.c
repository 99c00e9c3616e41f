/*
 * test_auth.c — sessions and passwords: login/logout, /me, wrong passwords,
 * throttling per account and per address, idle and absolute session expiry,
 * CSRF, password change (other sessions end), administrator reset (change
 * forced at next login), the default argon2id cost, and the identity gateway
 * from a trusted and an untrusted address.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "harness.h"

#define BODY_XX "{\"code\":\"xx\",\"name\":\"某部门\"}"

static void forget_session(struct server *s)
{
	s->cookies[0] = '\0';
	s->csrf[0] = '\0';
	s->bearer[0] = '\0';
}

static long post_login(struct server *s, const char *u, const char *p, struct resp *r)
{
	http_json(s, "POST", "/api/v1/session",
		  json_pack("{s:s,s:s}", "username", u, "password", p), r);
	return r->status;
}

static long get_status(struct server *s, const char *path)
{
	struct resp r;
	long st;

	http_req(s, "GET", path, NULL, NULL, 0, NULL, &r);
	st = r.status;
	resp_free(&r);
	return st;
}

static void test_login_me_logout(void **state)
{
	struct server srv;
	struct resp r;
	char cookie[512];
	json_t *me;

	(void)state;
	assert_int_equal(server_start(&srv, 1, NULL), 0);
	/* unauthenticated */
	http_req(&srv, "GET", "/api/v1/me", NULL, NULL, 0, NULL, &r);
	assert_error(&r, 401, "unauthenticated", NULL);
	resp_free(&r);

	assert_int_equal(post_login(&srv, "reviewer", demo_password(&srv, "reviewer"), &r), 200);
	/* cookies: session HttpOnly + SameSite=Strict, CSRF readable by scripts */
	assert_non_null(strstr(r.headers, "yiye_session="));
	for (const char *h = r.headers; (h = strstr(h, "Set-Cookie: ")) != NULL; h++) {
		snprintf(cookie, sizeof(cookie), "%.*s", (int)strcspn(h, "\r\n"), h);
		assert_non_null(strstr(cookie, "SameSite=Strict"));
		assert_non_null(strstr(cookie, "Path=/"));
		if (strstr(cookie, "yiye_session="))
			assert_non_null(strstr(cookie, "HttpOnly"));
		else
			assert_null(strstr(cookie, "HttpOnly"));
	}
	resp_free(&r);

	http_req(&srv, "GET", "/api/v1/me", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	me = r.json;
	assert_string_equal(json_string_value(json_object_get(me, "username")), "reviewer");
	assert_string_equal(json_string_value(json_array_get(json_object_get(me, "roles"), 0)),
			    "reviewer");
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(me, "department"), "code")), "scjgj");
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(me, "department"), "name")),
	    "区市场监管局");
	assert_string_equal(json_string_value(json_object_get(me, "auth")), "session");
	assert_true(json_is_array(json_object_get(me, "permissions")));
	assert_null(json_object_get(me, "password_hash"));
	resp_free(&r);

	/* logout ends the session on the server, not only in the browser */
	char saved[4096], saved_csrf[512];

	snprintf(saved, sizeof(saved), "%s", srv.cookies);
	snprintf(saved_csrf, sizeof(saved_csrf), "%s", srv.csrf);
	http_req(&srv, "DELETE", "/api/v1/session", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.headers, "Max-Age=0"));
	resp_free(&r);
	snprintf(srv.cookies, sizeof(srv.cookies), "%s", saved);
	snprintf(srv.csrf, sizeof(srv.csrf), "%s", saved_csrf);
	http_req(&srv, "GET", "/api/v1/me", NULL, NULL, 0, NULL, &r);
	assert_error(&r, 401, "session_expired", NULL);
	resp_free(&r);

	/* wrong password and unknown user: the same answer */
	forget_session(&srv);
	assert_int_equal(post_login(&srv, "reviewer", "Wrong-password-1", &r), 401);
	assert_error(&r, 401, "invalid_credentials", NULL);
	resp_free(&r);
	assert_int_equal(post_login(&srv, "nobody", "Wrong-password-1", &r), 401);
	assert_error(&r, 401, "invalid_credentials", NULL);
	resp_free(&r);
	/* missing fields */
	http_json(&srv, "POST", "/api/v1/session", json_pack("{s:s}", "username", "reviewer"), &r);
	assert_error(&r, 400, "required", "password");
	resp_free(&r);
	server_stop(&srv, 0);
}

static void test_csrf(void **state)
{
	struct server srv;
	struct resp r;
	const char *bad[] = {"X-CSRF-Token: not-the-token", NULL};

	(void)state;
	assert_int_equal(server_start(&srv, 1, NULL), 0);
	assert_int_equal(login(&srv, "admin", demo_password(&srv, "admin")), 0);
	/* no header */
	char csrf[512];

	snprintf(csrf, sizeof(csrf), "%s", srv.csrf);
	srv.csrf[0] = '\0';
	http_req(&srv, "POST", "/api/v1/departments", NULL, BODY_XX, strlen(BODY_XX), NULL, &r);
	assert_error(&r, 403, "csrf", NULL);
	resp_free(&r);
	/* wrong header */
	http_req(&srv, "POST", "/api/v1/departments", NULL, BODY_XX, strlen(BODY_XX), bad, &r);
	assert_error(&r, 403, "csrf", NULL);
	resp_free(&r);
	/* right header */
	snprintf(srv.csrf, sizeof(srv.csrf), "%s", csrf);
	http_req(&srv, "POST", "/api/v1/departments", NULL, BODY_XX, strlen(BODY_XX), NULL, &r);
	assert_int_equal(r.status, 201);
	resp_free(&r);
	/* reads need no token */
	srv.csrf[0] = '\0';
	assert_int_equal(get_status(&srv, "/api/v1/users"), 200);
	server_stop(&srv, 0);
}

static void test_throttling(void **state)
{
	struct server srv;
	struct resp r;
	char ra[32];

	(void)state;
	setenv("YIYE_LOGIN_MAX_FAILURES", "3", 1);
	setenv("YIYE_LOGIN_MAX_FAILURES_ADDR", "6", 1);
	assert_int_equal(server_start(&srv, 1, NULL), 0);
	unsetenv("YIYE_LOGIN_MAX_FAILURES");
	unsetenv("YIYE_LOGIN_MAX_FAILURES_ADDR");
	/* per account: 3 failures lock the account, even for the right password */
	for (int i = 0; i < 3; i++) {
		assert_int_equal(post_login(&srv, "clerk", "Wrong-password-1", &r), 401);
		resp_free(&r);
	}
	assert_int_equal(post_login(&srv, "clerk", demo_password(&srv, "clerk"), &r), 429);
	assert_error(&r, 429, "too_many_attempts", NULL);
	assert_non_null(
	    strstr(json_string_value(json_object_get(json_object_get(r.json, "error"), "message")),
		   "分钟后再试"));
	assert_int_equal(resp_header(&r, "Retry-After", ra, sizeof(ra)), 0);
	assert_true(atoi(ra) > 0);
	resp_free(&r);
	/* another account from the same address still works */
	assert_int_equal(post_login(&srv, "issuer", demo_password(&srv, "issuer"), &r), 200);
	resp_free(&r);
	forget_session(&srv);
	/* per address: 6 failures over different accounts lock the address */
	for (int i = 0; i < 3; i++) {
		char user[32];

		snprintf(user, sizeof(user), "nosuchuser%d", i);
		assert_int_equal(post_login(&srv, user, "Wrong-password-1", &r), 401);
		resp_free(&r);
	}
	assert_int_equal(post_login(&srv, "auditor", demo_password(&srv, "auditor"), &r), 429);
	assert_non_null(
	    strstr(json_string_value(json_object_get(json_object_get(r.json, "error"), "message")),
		   "网络地址"));
	resp_free(&r);
	server_stop(&srv, 0);
}

static void test_session_idle_expiry(void **state)
{
	struct server srv;
	struct resp r;

	(void)state;
	setenv("YIYE_SESSION_IDLE", "3", 1); /* whole seconds: 1 s steps stay below it */
	assert_int_equal(server_start(&srv, 1, NULL), 0);
	unsetenv("YIYE_SESSION_IDLE");
	assert_int_equal(login(&srv, "reviewer", demo_password(&srv, "reviewer")), 0);
	/* activity keeps it alive */
	for (int i = 0; i < 4; i++) {
		usleep(1000 * 1000);
		assert_int_equal(get_status(&srv, "/api/v1/me"), 200);
	}
	sleep(5);
	http_req(&srv, "GET", "/api/v1/me", NULL, NULL, 0, NULL, &r);
	assert_error(&r, 401, "session_expired", NULL);
	assert_non_null(strstr(r.body, "未操作"));
	resp_free(&r);
	server_stop(&srv, 0);
}

static void test_session_absolute_expiry(void **state)
{
	struct server srv;
	struct resp r;

	(void)state;
	setenv("YIYE_SESSION_ABSOLUTE", "3", 1);
	assert_int_equal(server_start(&srv, 1, NULL), 0);
	unsetenv("YIYE_SESSION_ABSOLUTE");
	assert_int_equal(login(&srv, "reviewer", demo_password(&srv, "reviewer")), 0);
	/* activity does not extend it past the absolute limit */
	for (int i = 0; i < 2; i++) {
		usleep(900 * 1000);
		assert_int_equal(get_status(&srv, "/api/v1/me"), 200);
	}
	sleep(2);
	http_req(&srv, "GET", "/api/v1/me", NULL, NULL, 0, NULL, &r);
	assert_error(&r, 401, "session_expired", NULL);
	assert_non_null(strstr(r.body, "最长时限"));
	resp_free(&r);
	server_stop(&srv, 0);
}

static void test_password_change_and_reset(void **state)
{
	struct server srv, other;
	struct resp r;
	char pw[64], one_time[64], id[32];
	json_t *me;

	(void)state;
	assert_int_equal(server_start(&srv, 1, NULL), 0);
	snprintf(pw, sizeof(pw), "%s", demo_password(&srv, "supervisor"));
	/* two sessions of the same user */
	other = srv;
	other.curl = curl_easy_init();
	assert_int_equal(login(&srv, "supervisor", pw), 0);
	assert_int_equal(login(&other, "supervisor", pw), 0);

	/* policy messages name what is missing */
	http_json(&srv, "POST", "/api/v1/me/password",
		  json_pack("{s:s,s:s}", "old_password", pw, "new_password", "short"), &r);
	assert_error(&r, 400, "too_short", "new_password");
	resp_free(&r);
	http_json(&srv, "POST", "/api/v1/me/password",
		  json_pack("{s:s,s:s}", "old_password", pw, "new_password", "alllowercaseletters"),
		  &r);
	assert_error(&r, 400, "weak", "new_password");
	assert_non_null(strstr(r.body, "大写字母"));
	resp_free(&r);
	http_json(&srv, "POST", "/api/v1/me/password",
		  json_pack("{s:s,s:s}", "old_password", pw, "new_password", "Supervisor-2026x"),
		  &r);
	assert_error(&r, 400, "contains_username", "new_password");
	resp_free(&r);
	http_json(&srv, "POST", "/api/v1/me/password",
		  json_pack("{s:s,s:s}", "old_password", "Wrong-old-pw-1", "new_password",
			    "New-Password-2026"),
		  &r);
	assert_error(&r, 400, "wrong_password", "old_password");
	resp_free(&r);
	http_json(&srv, "POST", "/api/v1/me/password",
		  json_pack("{s:s,s:s}", "old_password", pw, "new_password", "New-Password-2026"),
		  &r);
	assert_int_equal(r.status, 200);
	resp_free(&r);
	/* this session lives on, the other one ended */
	assert_int_equal(get_status(&srv, "/api/v1/me"), 200);
	assert_int_equal(get_status(&other, "/api/v1/me"), 401);
	curl_easy_cleanup(other.curl);
	forget_session(&srv);
	assert_int_equal(post_login(&srv, "supervisor", pw, &r), 401);
	resp_free(&r);
	assert_int_equal(login(&srv, "supervisor", "New-Password-2026"), 0);

	/* administrator reset: one-time password, change forced at next login */
	http_req(&srv, "GET", "/api/v1/me", NULL, NULL, 0, NULL, &r);
	snprintf(id, sizeof(id), "%lld",
		 (long long)json_integer_value(json_object_get(r.json, "id")));
	resp_free(&r);
	forget_session(&srv);
	assert_int_equal(login(&srv, "admin", demo_password(&srv, "admin")), 0);
	char path[128];

	snprintf(path, sizeof(path), "/api/v1/users/%s/password-reset", id);
	http_req(&srv, "POST", path, NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	snprintf(one_time, sizeof(one_time), "%s",
		 json_string_value(json_object_get(r.json, "password")));
	assert_true(json_is_true(json_object_get(r.json, "must_change_password")));
	resp_free(&r);
	forget_session(&srv);
	assert_int_equal(login(&srv, "supervisor", one_time), 0);
	http_req(&srv, "GET", "/api/v1/me", NULL, NULL, 0, NULL, &r);
	me = r.json;
	assert_true(json_is_true(json_object_get(me, "must_change_password")));
	resp_free(&r);
	/* everything else waits for the change */
	http_req(&srv, "GET", "/api/v1/departments/scjgj/users", NULL, NULL, 0, NULL, &r);
	assert_error(&r, 403, "password_change_required", NULL);
	resp_free(&r);
	http_json(
	    &srv, "POST", "/api/v1/me/password",
	    json_pack("{s:s,s:s}", "old_password", one_time, "new_password", "Another-Pass-77"),
	    &r);
	assert_int_equal(r.status, 200);
	resp_free(&r);
	assert_int_equal(get_status(&srv, "/api/v1/departments/scjgj/users"), 200);
	server_stop(&srv, 0);
}

/* Without YIYE_PWHASH_FAST: the platform's argon2id cost is used, and a
 * hash of an earlier cost is upgraded at login. */
static void test_default_hash_cost(void **state)
{
	struct server srv;
	struct resp r;
	char *fast = getenv("YIYE_PWHASH_FAST") ? strdup(getenv("YIYE_PWHASH_FAST")) : NULL;

	(void)state;
	unsetenv("YIYE_PWHASH_FAST");
	assert_int_equal(server_start(&srv, 0, NULL), 0);
	http_json(&srv, "POST", "/api/v1/registrations",
		  json_pack("{s:s,s:s,s:s,s:s}", "username", "slowhash", "password",
			    "Slow-Hash-Pass-1", "name", "张三", "phone", "13800138000"),
		  &r);
	assert_int_equal(r.status, 201);
	resp_free(&r);
	assert_int_equal(login(&srv, "slowhash", "Slow-Hash-Pass-1"), 0);
	server_stop(&srv, 1);
	/* the stored hash carries the moderate parameters (m=262144 KiB) */
	char db[400], cmd[600], *line = NULL;
	size_t cap = 0;
	FILE *p;

	snprintf(db, sizeof(db), "%s/yiye.db", srv.dir);
	if (srv.db_url[0] == '\0') {
		snprintf(
		    cmd, sizeof(cmd),
		    "sqlite3 '%s' \"SELECT password_hash FROM users WHERE username='slowhash'\"",
		    db);
		p = popen(cmd, "r");
		assert_non_null(p);
		assert_true(getline(&line, &cap, p) > 0);
		pclose(p);
		assert_non_null(strstr(line, "$argon2id$"));
		assert_non_null(
		    strstr(line, "$m=65536,t=3,p=1$")); /* PASSWORD_MEMLIMIT, _OPSLIMIT */
		free(line);
		line = NULL;

		/* A hash of the earlier cost (libsodium's "moderate" limits) still
		 * logs in, and the login stores it again at today's cost. */
		char old[crypto_pwhash_STRBYTES];

		assert_int_equal(crypto_pwhash_str(old, "Slow-Hash-Pass-1", 16,
						   crypto_pwhash_OPSLIMIT_MODERATE,
						   crypto_pwhash_MEMLIMIT_MODERATE),
				 0);
		sqlite3 *h;

		/* through the library: the hash's '$' would mean something to a shell */
		snprintf(cmd, sizeof(cmd),
			 "UPDATE users SET password_hash='%s' WHERE username='slowhash'", old);
		assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
		assert_int_equal(sqlite3_exec(h, cmd, NULL, NULL, NULL), SQLITE_OK);
		sqlite3_close(h);
		assert_int_equal(server_restart(&srv, NULL), 0);
		assert_int_equal(login(&srv, "slowhash", "Slow-Hash-Pass-1"), 0);
		server_stop(&srv, 1);
		snprintf(
		    cmd, sizeof(cmd),
		    "sqlite3 '%s' \"SELECT password_hash FROM users WHERE username='slowhash'\"",
		    db);
		p = popen(cmd, "r");
		assert_non_null(p);
		assert_true(getline(&line, &cap, p) > 0);
		pclose(p);
		assert_non_null(strstr(line, "$m=65536,t=3,p=1$"));
	}
	free(line);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", srv.dir);
	assert_int_equal(system(cmd), 0);
	if (fast)
		setenv("YIYE_PWHASH_FAST", fast, 1);
	free(fast);
}

static void test_identity_gateway(void **state)
{
	struct server trusted, untrusted;
	struct resp r;
	const char *as_reviewer[] = {"X-Yiye-Identity: reviewer", NULL};
	const char *as_ghost[] = {"X-Yiye-Identity: ghost", NULL};

	(void)state;
	setenv("YIYE_IDENTITY_HEADER", "X-Yiye-Identity", 1);
	setenv("YIYE_TRUSTED_PROXIES", "10.9.9.9, 127.0.0.1", 1);
	assert_int_equal(server_start(&trusted, 1, NULL), 0);
	setenv("YIYE_TRUSTED_PROXIES", "10.9.9.9", 1);
	assert_int_equal(server_start(&untrusted, 1, NULL), 0);
	unsetenv("YIYE_IDENTITY_HEADER");
	unsetenv("YIYE_TRUSTED_PROXIES");

	/* from a trusted address the header names the user */
	http_req(&trusted, "GET", "/api/v1/me", NULL, NULL, 0, as_reviewer, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "username")), "reviewer");
	assert_string_equal(json_string_value(json_object_get(r.json, "auth")), "gateway");
	resp_free(&r);
	/* an unknown user is refused, not created */
	http_req(&trusted, "GET", "/api/v1/me", NULL, NULL, 0, as_ghost, &r);
	assert_error(&r, 401, "gateway_user_unknown", NULL);
	resp_free(&r);
	/* from any other address the header is ignored */
	http_req(&untrusted, "GET", "/api/v1/me", NULL, NULL, 0, as_reviewer, &r);
	assert_error(&r, 401, "unauthenticated", NULL);
	resp_free(&r);
	http_req(&untrusted, "GET", "/api/v1/users", NULL, NULL, 0,
		 (const char *[]){"X-Yiye-Identity: admin", NULL}, &r);
	assert_error(&r, 401, "unauthenticated", NULL);
	resp_free(&r);
	server_stop(&untrusted, 0);
	server_stop(&trusted, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_login_me_logout),
	    cmocka_unit_test(test_csrf),
	    cmocka_unit_test(test_throttling),
	    cmocka_unit_test(test_session_idle_expiry),
	    cmocka_unit_test(test_session_absolute_expiry),
	    cmocka_unit_test(test_password_change_and_reset),
	    cmocka_unit_test(test_default_hash_cost),
	    cmocka_unit_test(test_identity_gateway),
	};

	curl_global_init(CURL_GLOBAL_DEFAULT);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
