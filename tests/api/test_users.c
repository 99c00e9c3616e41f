/*
 * test_users.c — applicant self-registration (every field's error), user
 * administration, departments, department isolation, API tokens (scopes,
 * read-only, revocation) and adding a calendar year.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include "core/roles.h"

static struct server srv;
static char uscc[32];

static void as(const char *user)
{
	srv.cookies[0] = srv.csrf[0] = srv.bearer[0] = '\0';
	assert_int_equal(login(&srv, user, demo_password(&srv, user)), 0);
}

static json_t *reg(const char *username, const char *pw, const char *code, const char *name,
		   const char *phone)
{
	json_t *o = json_object();

	if (username)
		json_object_set_new(o, "username", json_string(username));
	if (pw)
		json_object_set_new(o, "password", json_string(pw));
	if (code)
		json_object_set_new(o, "uscc", json_string(code));
	if (name)
		json_object_set_new(o, "name", json_string(name));
	if (phone)
		json_object_set_new(o, "phone", json_string(phone));
	return o;
}

static void expect(json_t *body, long status, const char *code, const char *field)
{
	struct resp r;

	http_json(&srv, "POST", "/api/v1/registrations", body, &r);
	assert_error(&r, status, code, field);
	resp_free(&r);
}

static void test_registration(void **state)
{
	struct resp r;
	const char *pw = "Good-Pass-2026";

	(void)state;
	srv.cookies[0] = srv.csrf[0] = '\0';
	/* every field, in turn */
	expect(reg(NULL, pw, uscc, "某某公司", "13800138000"), 400, "required", "username");
	expect(reg("A b", pw, uscc, "某某公司", "13800138000"), 400, "invalid_username",
	       "username");
	expect(reg("newco", NULL, uscc, "某某公司", "13800138000"), 400, "required", "password");
	expect(reg("newco", "short", uscc, "某某公司", "13800138000"), 400, "too_short",
	       "password");
	expect(reg("newco", "onlylowercase", uscc, "某某公司", "13800138000"), 400, "weak",
	       "password");
	expect(reg("newco", "Newco-Pass-2026", uscc, "某某公司", "13800138000"), 400,
	       "contains_username", "password");
	expect(reg("newco", pw, "91310104MA1G4Y2K0", "某某公司", "13800138000"), 400, "length",
	       "uscc");
	expect(reg("newco", pw, "91310104ma1g4y2k0x", "某某公司", "13800138000"), 400, "lowercase",
	       "uscc");
	char badcheck[32];

	snprintf(badcheck, sizeof(badcheck), "%s", uscc);
	badcheck[17] = badcheck[17] == '0' ? '1' : '0';
	expect(reg("newco", pw, badcheck, "某某公司", "13800138000"), 400, "check", "uscc");
	expect(reg("newco", pw, uscc, NULL, "13800138000"), 400, "required", "name");
	expect(reg("newco", pw, uscc, "某某公司", NULL), 400, "required", "phone");
	expect(reg("newco", pw, uscc, "某某公司", "12345"), 400, "invalid_phone", "phone");
	json_t *extra = reg("newco", pw, uscc, "某某公司", "13800138000");

	json_object_set_new(extra, "role", json_string("system_admin"));
	expect(extra, 400, "unknown_field", "role");
	/* the applicant demo entity already has the code */
	expect(reg("newco", pw, uscc, "某某公司", "13800138000"), 409, "uscc_exists", "uscc");
	expect(reg("admin", pw, NULL, "某某公司", "13800138000"), 409, "username_exists",
	       "username");

	/* a person about to found an entity: no code */
	http_json(&srv, "POST", "/api/v1/registrations",
		  reg("founder1", pw, NULL, "李四", "13900139000"), &r);
	assert_int_equal(r.status, 201);
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(r.json, "user"), "username")),
	    "founder1");
	resp_free(&r);
	assert_int_equal(login(&srv, "founder1", pw), 0);
	http_req(&srv, "GET", "/api/v1/me", NULL, NULL, 0, NULL, &r);
	assert_string_equal(json_string_value(json_array_get(json_object_get(r.json, "roles"), 0)),
			    "applicant");
	resp_free(&r);
}

static void test_user_admin(void **state)
{
	struct resp r;
	char path[128], pw[64];
	long long id;

	(void)state;
	as("admin");
	/* create a staff member: department required, must exist */
	http_json(&srv, "POST", "/api/v1/users",
		  json_pack("{s:s,s:s,s:[s]}", "username", "wang", "display_name", "王五", "roles",
			    "reviewer"),
		  &r);
	assert_error(&r, 400, "department_required", "department");
	resp_free(&r);
	http_json(&srv, "POST", "/api/v1/users",
		  json_pack("{s:s,s:s,s:[s],s:s}", "username", "wang", "display_name", "王五",
			    "roles", "reviewer", "department", "nosuch"),
		  &r);
	assert_error(&r, 400, "unknown_department", "department");
	resp_free(&r);
	http_json(&srv, "POST", "/api/v1/users",
		  json_pack("{s:s,s:s,s:[s]}", "username", "wang", "display_name", "王五", "roles",
			    "pope"),
		  &r);
	assert_error(&r, 400, "unknown_role", "roles[0]");
	resp_free(&r);
	http_json(&srv, "POST", "/api/v1/users",
		  json_pack("{s:s,s:s,s:[s],s:s}", "username", "wang", "display_name", "王五",
			    "roles", "reviewer", "department", "wjw"),
		  &r);
	assert_int_equal(r.status, 201);
	snprintf(pw, sizeof(pw), "%s", json_string_value(json_object_get(r.json, "password")));
	id = json_integer_value(json_object_get(json_object_get(r.json, "user"), "id"));
	assert_true(strlen(pw) >= 10);
	resp_free(&r);
	http_json(&srv, "POST", "/api/v1/users",
		  json_pack("{s:s,s:s,s:[s],s:s}", "username", "wang", "display_name", "王五",
			    "roles", "reviewer", "department", "wjw"),
		  &r);
	assert_error(&r, 409, "username_exists", "username");
	resp_free(&r);

	/* list with search and bounded paging */
	http_req(&srv, "GET", "/api/v1/users?q=wang&limit=10", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 1);
	assert_null(strstr(r.body, "argon2"));
	resp_free(&r);
	http_req(&srv, "GET", "/api/v1/users?limit=100000", NULL, NULL, 0, NULL, &r);
	assert_error(&r, 400, "invalid_number", "limit");
	resp_free(&r);

	/* update roles/department/name; disable */
	snprintf(path, sizeof(path), "/api/v1/users/%lld", id);
	http_json(&srv, "PATCH", path,
		  json_pack("{s:[s,s],s:s,s:s}", "roles", "reviewer", "supervisor", "department",
			    "scjgj", "display_name", "王五（市场监管）"),
		  &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_array_size(json_object_get(json_object_get(r.json, "user"), "roles")),
			 2);
	resp_free(&r);
	http_json(&srv, "PATCH", "/api/v1/users/999999", json_pack("{s:b}", "disabled", 1), &r);
	assert_error(&r, 404, "user_not_found", NULL);
	resp_free(&r);
	/* the administrator cannot disable themselves */
	http_req(&srv, "GET", "/api/v1/me", NULL, NULL, 0, NULL, &r);
	char self[64];

	snprintf(self, sizeof(self), "/api/v1/users/%lld",
		 (long long)json_integer_value(json_object_get(r.json, "id")));
	resp_free(&r);
	http_json(&srv, "PATCH", self, json_pack("{s:b}", "disabled", 1), &r);
	assert_error(&r, 409, "cannot_modify_self", NULL);
	resp_free(&r);

	/* new user must change the one-time password first */
	srv.cookies[0] = srv.csrf[0] = '\0';
	assert_int_equal(login(&srv, "wang", pw), 0);
	http_req(&srv, "GET", "/api/v1/departments/scjgj/users", NULL, NULL, 0, NULL, &r);
	assert_error(&r, 403, "password_change_required", NULL);
	resp_free(&r);

	/* disabling logs the user out everywhere */
	as("admin");
	http_json(&srv, "PATCH", path, json_pack("{s:b}", "disabled", 1), &r);
	assert_int_equal(r.status, 200);
	resp_free(&r);
	srv.cookies[0] = srv.csrf[0] = '\0';
	http_json(&srv, "POST", "/api/v1/session",
		  json_pack("{s:s,s:s}", "username", "wang", "password", pw), &r);
	assert_error(&r, 403, "account_disabled", NULL);
	resp_free(&r);
}

/* Two administrators edit the same user: the second edit, based on the
 * version both read, is refused with 409 instead of silently overwriting. */
static void test_user_stale_version(void **state)
{
	struct resp r;
	char path[128];
	long long id, v;

	(void)state;
	as("admin");
	http_json(&srv, "POST", "/api/v1/users",
		  json_pack("{s:s,s:s,s:[s],s:s}", "username", "zhao", "display_name", "赵六",
			    "roles", "inspector", "department", "scjgj"),
		  &r);
	assert_int_equal(r.status, 201);
	id = json_integer_value(json_object_get(json_object_get(r.json, "user"), "id"));
	v = json_integer_value(json_object_get(json_object_get(r.json, "user"), "version"));
	assert_true(v >= 1);
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/users/%lld", id);

	http_json(&srv, "PATCH", path,
		  json_pack("{s:s,s:I}", "display_name", "赵六（甲）", "version", v), &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(
	    json_integer_value(json_object_get(json_object_get(r.json, "user"), "version")), v + 1);
	resp_free(&r);
	http_json(&srv, "PATCH", path,
		  json_pack("{s:s,s:I}", "display_name", "赵六（乙）", "version", v), &r);
	assert_error(&r, 409, "stale_version", "version");
	resp_free(&r);
	http_req(&srv, "GET", path, NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "赵六（甲）"));
	resp_free(&r);

	http_json(&srv, "PATCH", path, json_pack("{s:I}", "version", v + 1), &r);
	assert_error(&r, 400, "empty_update", NULL);
	resp_free(&r);
	http_json(&srv, "PATCH", path, json_pack("{s:s,s:s}", "display_name", "x", "version", "2"),
		  &r);
	assert_error(&r, 400, "invalid_type", "version");
	resp_free(&r);
}

static void test_departments(void **state)
{
	struct resp r;

	(void)state;
	srv.cookies[0] = srv.csrf[0] = '\0';
	http_req(&srv, "GET", "/api/v1/departments", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_true(json_integer_value(json_object_get(r.json, "total")) >= 17);
	assert_non_null(strstr(r.body, "区市场监管局"));
	resp_free(&r);
	as("admin");
	http_json(&srv, "POST", "/api/v1/departments",
		  json_pack("{s:s,s:s}", "code", "scjgj", "name", "重复"), &r);
	assert_error(&r, 409, "department_exists", "code");
	resp_free(&r);
	http_json(&srv, "POST", "/api/v1/departments",
		  json_pack("{s:s,s:s}", "code", "Bad Code", "name", "x"), &r);
	assert_error(&r, 400, "invalid_code", "code");
	resp_free(&r);
	http_json(&srv, "POST", "/api/v1/departments",
		  json_pack("{s:s,s:s}", "code", "mzj", "name", "区民政局"), &r);
	assert_int_equal(r.status, 201);
	resp_free(&r);
	http_json(&srv, "PATCH", "/api/v1/departments/mzj",
		  json_pack("{s:s}", "name", "徐汇区民政局"), &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(r.json, "department"), "name")),
	    "徐汇区民政局");
	resp_free(&r);
	http_json(&srv, "PATCH", "/api/v1/departments/nosuch", json_pack("{s:b}", "disabled", 1),
		  &r);
	assert_error(&r, 404, "department_not_found", NULL);
	resp_free(&r);
}

/* Text limits count characters, as the UI does (src/http/args.c): a
 * department name of DEPT_NAME_MAX Chinese characters (288 bytes) is taken,
 * one more is too long; control characters are refused naming the field;
 * paged lists answer limit and offset. */
static void test_text_rules(void **state)
{
	char name[97 * 3 + 1] = "";
	struct resp r;

	(void)state;
	as("admin");
	for (int i = 0; i < 96; i++)
		strcat(name, "局");
	http_json(&srv, "POST", "/api/v1/departments",
		  json_pack("{s:s,s:s}", "code", "chars96", "name", name), &r);
	assert_int_equal(r.status, 201);
	resp_free(&r);
	strcat(name, "局");
	http_json(&srv, "POST", "/api/v1/departments",
		  json_pack("{s:s,s:s}", "code", "chars97", "name", name), &r);
	assert_error(&r, 400, "too_long", "name");
	resp_free(&r);
	http_json(&srv, "POST", "/api/v1/departments",
		  json_pack("{s:s,s:s}", "code", "ctrl", "name", "区\n民政局"), &r);
	assert_error(&r, 400, "invalid_characters", "name");
	resp_free(&r);
	http_json(&srv, "PATCH", "/api/v1/departments/chars96", json_pack("{s:s}", "name", "  "),
		  &r);
	assert_error(&r, 400, "required", "name"); /* a name is changed, not blanked */
	resp_free(&r);
	http_req(&srv, "GET", "/api/v1/users?limit=2&offset=1", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "limit")), 2);
	assert_int_equal(json_integer_value(json_object_get(r.json, "offset")), 1);
	resp_free(&r);
	http_req(&srv, "GET", "/api/v1/users?limit=%2B5", NULL, NULL, 0, NULL, &r);
	assert_error(&r, 400, "invalid_number", "limit");
	resp_free(&r);
}

/* A reviewer sees the staff of their own department only; another
 * department answers exactly like one that does not exist. */
static void test_department_isolation(void **state)
{
	struct resp r, missing;
	size_t i;
	json_t *u;

	(void)state;
	as("reviewer"); /* scjgj */
	http_req(&srv, "GET", "/api/v1/departments/scjgj/users", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	json_array_foreach (json_object_get(r.json, "items"), i, u)
		assert_string_equal(json_string_value(json_object_get(u, "department")), "scjgj");
	assert_non_null(strstr(r.body, "\"inspector\""));
	assert_null(strstr(r.body, "reviewer2"));
	resp_free(&r);
	http_req(&srv, "GET", "/api/v1/departments/whlyj/users", NULL, NULL, 0, NULL, &r);
	http_req(&srv, "GET", "/api/v1/departments/nosuch/users", NULL, NULL, 0, NULL, &missing);
	assert_error(&r, 404, "department_not_found", NULL);
	assert_int_equal(missing.status, 404);
	assert_string_equal(r.body, missing.body);
	resp_free(&r);
	resp_free(&missing);
	as("reviewer2"); /* whlyj */
	http_req(&srv, "GET", "/api/v1/departments/scjgj/users", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 404);
	resp_free(&r);
	/* the system administrator sees every department */
	as("admin");
	http_req(&srv, "GET", "/api/v1/departments/whlyj/users", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "reviewer2"));
	resp_free(&r);
}

static void test_tokens(void **state)
{
	struct resp r;
	char secret[128], path[64];
	long long id;

	(void)state;
	as("admin");
	http_json(&srv, "POST", "/api/v1/tokens",
		  json_pack("{s:s,s:[s]}", "name", "区大数据中心", "scopes", "licenses:write"), &r);
	assert_error(&r, 400, "unknown_scope", "scopes[0]");
	resp_free(&r);
	http_json(
	    &srv, "POST", "/api/v1/tokens",
	    json_pack("{s:s,s:[s],s:i}", "name", "x", "scopes", "audit:read", "expires_at", 5), &r);
	assert_error(&r, 400, "invalid_expiry", "expires_at");
	resp_free(&r);
	http_json(&srv, "POST", "/api/v1/tokens",
		  json_pack("{s:s,s:[s,s]}", "name", "区大数据中心", "scopes", "audit:read",
			    "catalog:read"),
		  &r);
	assert_int_equal(r.status, 201);
	snprintf(secret, sizeof(secret), "%s",
		 json_string_value(json_object_get(r.json, "secret")));
	id = json_integer_value(json_object_get(json_object_get(r.json, "token"), "id"));
	resp_free(&r);
	/* the list never shows a secret */
	http_req(&srv, "GET", "/api/v1/tokens", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_null(strstr(r.body, secret));
	assert_null(strstr(r.body, "secret"));
	/* …and offers every scope a token may carry, with its Chinese label */
	{
		json_t *scopes = json_object_get(r.json, "scopes"), *s0;

		assert_true(json_is_array(scopes) && json_array_size(scopes) == SCOPE_COUNT);
		s0 = json_array_get(scopes, 0);
		assert_string_equal(json_string_value(json_object_get(s0, "name")), "catalog:read");
		assert_string_equal(json_string_value(json_object_get(s0, "label")), "行业目录");
	}
	resp_free(&r);

	/* use it: only what its scopes allow */
	srv.cookies[0] = srv.csrf[0] = '\0';
	snprintf(srv.bearer, sizeof(srv.bearer), "%s", secret);
	http_req(&srv, "GET", "/api/v1/audit", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	resp_free(&r);
	http_req(&srv, "GET", "/api/v1/users", NULL, NULL, 0, NULL, &r);
	assert_error(&r, 403, "forbidden", NULL);
	resp_free(&r);
	http_req(&srv, "GET", "/api/v1/me", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "auth")), "token");
	resp_free(&r);
	/* read-only: no POST, even where a user could; no CSRF needed to say so */
	http_json(&srv, "POST", "/api/v1/departments",
		  json_pack("{s:s,s:s}", "code", "tok", "name", "x"), &r);
	assert_error(&r, 403, "forbidden", NULL);
	resp_free(&r);
	http_json(&srv, "POST", "/api/v1/me/password",
		  json_pack("{s:s,s:s}", "old_password", "a", "new_password", "b"), &r);
	assert_error(&r, 403, "forbidden", NULL);
	resp_free(&r);
	/* a wrong token is 401 */
	snprintf(srv.bearer, sizeof(srv.bearer), "yiye_not-a-token");
	http_req(&srv, "GET", "/api/v1/audit", NULL, NULL, 0, NULL, &r);
	assert_error(&r, 401, "token_invalid", NULL);
	resp_free(&r);

	/* revoke: it stops working at once */
	srv.bearer[0] = '\0';
	as("admin");
	snprintf(path, sizeof(path), "/api/v1/tokens/%lld", id);
	http_req(&srv, "DELETE", path, NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(r.json, "token"), "status")),
	    "revoked");
	resp_free(&r);
	http_req(&srv, "DELETE", "/api/v1/tokens/999999", NULL, NULL, 0, NULL, &r);
	assert_error(&r, 404, "token_not_found", NULL);
	resp_free(&r);
	srv.cookies[0] = srv.csrf[0] = '\0';
	snprintf(srv.bearer, sizeof(srv.bearer), "%s", secret);
	http_req(&srv, "GET", "/api/v1/audit", NULL, NULL, 0, NULL, &r);
	assert_error(&r, 401, "token_invalid", NULL);
	resp_free(&r);
	srv.bearer[0] = '\0';
}

static void secret_hash(const char *secret, char out[65])
{
	unsigned char h[32];

	crypto_generichash(h, sizeof(h), (const unsigned char *)secret, strlen(secret), NULL, 0);
	sodium_bin2hex(out, 65, h, sizeof(h));
}

/* A token and a session of district 310101, written as its node would. */
static void other_district_session(long user)
{
	char q[512], h[65];

	secret_hash("yiye_other-district-token", h);
	snprintf(
	    q, sizeof(q),
	    "INSERT INTO api_tokens (district, name, secret_hash, scopes, created_at, "
	    "expires_at) VALUES ('310101', '黄浦区只读令牌', '%s', 'audit:read users:read', 1, "
	    "4102444800)",
	    h);
	server_sql_long(&srv, q);
	secret_hash("other-district-session", h);
	snprintf(q, sizeof(q),
		 "INSERT INTO sessions (token_hash, user_id, csrf, created_at, last_seen, "
		 "expires_at, client) VALUES ('%s', %ld, 'c', %ld, %ld, 4102444800, '127.0.0.1')",
		 h, user, (long)time(NULL), (long)time(NULL));
	server_sql_long(&srv, q);
}

/* Two districts may share one database: every write by id names the node's
 * district, so a token or user of another district is "not found" here and
 * left untouched, exactly as an id that does not exist. The rows of district
 * 310101 are written straight into the database, as its own node would. */
static void test_other_district_rows(void **state)
{
	struct resp r;
	char path[96], q[256];
	long tok, user;

	(void)state;
	tok = server_sql_long(&srv, "INSERT INTO api_tokens (district, name, secret_hash, scopes, "
				    "created_at, expires_at) VALUES ('310101', '黄浦区令牌', "
				    "'other-district-secret', 'audit:read', 1, 4102444800) "
				    "RETURNING id");
	user = server_sql_long(&srv, "INSERT INTO users (district, username, display_name, "
				     "password_hash, created_at, updated_at) VALUES ('310101', "
				     "'huangpu_staff', '黄浦区职员', 'x', 1, 1) RETURNING id");
	assert_true(tok > 0 && user > 0);

	/* its credentials do not open this district: a token and a session of
	 * district 310101 (the stored hash is the unkeyed BLAKE2b of the secret,
	 * as auth_secret_hash computes it) */
	other_district_session(user);
	srv.cookies[0] = srv.csrf[0] = '\0';
	snprintf(srv.bearer, sizeof(srv.bearer), "yiye_other-district-token");
	http_req(&srv, "GET", "/api/v1/me", NULL, NULL, 0, NULL, &r);
	assert_error(&r, 401, "token_invalid", NULL);
	resp_free(&r);
	srv.bearer[0] = '\0';
	snprintf(srv.cookies, sizeof(srv.cookies), "yiye_session=other-district-session");
	http_req(&srv, "GET", "/api/v1/me", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 401);
	resp_free(&r);
	srv.cookies[0] = '\0';

	as("admin");

	snprintf(path, sizeof(path), "/api/v1/tokens/%ld", tok);
	http_req(&srv, "DELETE", path, NULL, NULL, 0, NULL, &r);
	assert_error(&r, 404, "token_not_found", NULL);
	resp_free(&r);
	snprintf(q, sizeof(q),
		 "SELECT count(*) FROM api_tokens WHERE id = %ld AND revoked_at IS NULL", tok);
	assert_int_equal(server_sql_long(&srv, q), 1);
	/* nor listed here */
	http_req(&srv, "GET", "/api/v1/tokens", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_null(strstr(r.body, "黄浦区令牌"));
	resp_free(&r);

	snprintf(path, sizeof(path), "/api/v1/users/%ld", user);
	http_json(&srv, "PATCH", path, json_pack("{s:b}", "disabled", 1), &r);
	assert_error(&r, 404, "user_not_found", NULL);
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/users/%ld/password-reset", user);
	http_req(&srv, "POST", path, NULL, NULL, 0, NULL, &r);
	assert_error(&r, 404, "user_not_found", NULL);
	resp_free(&r);
	snprintf(q, sizeof(q),
		 "SELECT count(*) FROM users WHERE id = %ld AND disabled = 0 AND password_hash = "
		 "'x' AND must_change_password = 0",
		 user);
	assert_int_equal(server_sql_long(&srv, q), 1);
}

static void test_calendar_year(void **state)
{
	struct resp r;
	const char *y2027 =
	    "{\"year\":2027,\"source\":\"测试\",\"holidays\":[{\"date\":\"2027-01-01\","
	    "\"name\":\"元旦\"}],\"workdays\":[]}";

	(void)state;
	as("admin");
	http_req(&srv, "POST", "/api/v1/calendar/years", NULL, "{\"year\":2027}", 13, NULL, &r);
	assert_error(&r, 400, "invalid_calendar", NULL);
	resp_free(&r);
	http_req(&srv, "POST", "/api/v1/calendar/years", NULL, y2027, strlen(y2027), NULL, &r);
	assert_int_equal(r.status, 201);
	resp_free(&r);
	http_req(&srv, "POST", "/api/v1/calendar/years", NULL, y2027, strlen(y2027), NULL, &r);
	assert_error(&r, 409, "year_exists", "year");
	resp_free(&r);
	http_req(&srv, "GET", "/api/v1/calendar/years", NULL, NULL, 0, NULL, &r);
	assert_non_null(strstr(r.body, "2027"));
	resp_free(&r);
	/* reloaded: 2027-01-01 is now a holiday, not provisional */
	http_req(&srv, "GET", "/api/v1/calendar/workdays?from=2026-12-31&to=2027-01-01", NULL, NULL,
		 0, NULL, &r);
	assert_int_equal(json_integer_value(json_object_get(r.json, "workdays")), 0);
	assert_true(json_is_false(json_object_get(r.json, "provisional")));
	resp_free(&r);
}

static int setup(void **state)
{
	json_t *me;
	struct resp r;

	(void)state;
	if (server_start(&srv, 1, NULL) < 0)
		return -1;
	as("applicant");
	http_req(&srv, "GET", "/api/v1/me", NULL, NULL, 0, NULL, &r);
	me = json_object_get(json_object_get(r.json, "entity"), "uscc");
	snprintf(uscc, sizeof(uscc), "%s", json_string_value(me) ? json_string_value(me) : "");
	resp_free(&r);
	return strlen(uscc) == 18 ? 0 : -1;
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
	    cmocka_unit_test(test_registration),         cmocka_unit_test(test_user_admin),
	    cmocka_unit_test(test_user_stale_version),   cmocka_unit_test(test_departments),
	    cmocka_unit_test(test_department_isolation), cmocka_unit_test(test_tokens),
	    cmocka_unit_test(test_other_district_rows),  cmocka_unit_test(test_calendar_year),
	    cmocka_unit_test(test_text_rules),
	};

	curl_global_init(CURL_GLOBAL_DEFAULT);
	return cmocka_run_group_tests(tests, setup, teardown);
}
