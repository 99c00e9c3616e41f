/*
 * h_account.c — sessions, the caller's own account and applicant
 * self-registration (see docs/api-accounts.md):
 *   POST   /api/v1/session         log in
 *   DELETE /api/v1/session         log out
 *   GET    /api/v1/me              who am I: the user (without "disabled";
 *                                   "department" as {"code","name"}), its
 *                                   "permissions" and "auth"; for a token
 *                                   {"auth":"token","token":{…},"permissions"}
 *   POST   /api/v1/me/password     change my password
 *   POST   /api/v1/registrations   applicant self-registration
 * Passwords are hashed on the worker pool (these routes are not GET) and
 * never logged, echoed or audited.
 */
#include <ctype.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/ident.h"
#include "core/password.h"
#include "http/accounts.h"
#include "store/store_audit.h"

/* shared helpers ------------------------------------------------------------ */

json_t *acct_user_json(const struct store_user *u)
{
	json_t *roles = json_array();

	for (int i = 0; i < ROLE_COUNT; i++)
		if (u->roles & ROLE_BIT(i))
			json_array_append_new(roles, json_string(role_name(i)));
	return json_pack(
	    "{s:I,s:s,s:s,s:o,s:o,s:o,s:o,s:b,s:b,s:I,s:I,s:I}", "id", (json_int_t)u->id,
	    "username", u->username, "display_name", u->display_name, "roles", roles, "department",
	    u->department[0] ? json_string(u->department) : json_null(), "entity",
	    u->entity_id
		? json_pack("{s:I,s:o,s:s}", "id", (json_int_t)u->entity_id, "uscc",
			    u->uscc[0] ? json_string(u->uscc) : json_null(), "name", u->entity_name)
		: json_null(),
	    "phone", u->phone[0] ? json_string(u->phone) : json_null(), "disabled", u->disabled,
	    "must_change_password", u->must_change_password, "created_at",
	    (json_int_t)u->created_at, "updated_at", (json_int_t)u->updated_at, "version",
	    (json_int_t)u->version);
}

int acct_roles(struct req *r, const char *key, unsigned *roles)
{
	json_t *v = json_object_get(r->json, key), *item;
	size_t i;

	*roles = 0;
	if (!json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > ROLE_COUNT) {
		reply_error(r, 400, v ? "invalid_roles" : "required", key,
			    "roles 须为 1 至 %d 个角色名的数组", ROLE_COUNT);
		return -1;
	}
	json_array_foreach (v, i, item) {
		int role = json_is_string(item) ? role_parse(json_string_value(item)) : -1;

		if (role < 0) {
			char field[32];

			snprintf(field, sizeof(field), "%s[%zu]", key, i);
			reply_error(
			    r, 400, "unknown_role", field,
			    "未知角色（可选：applicant、window_clerk、reviewer、inspector、issuer、"
			    "supervisor、catalog_admin、system_admin、auditor）");
			return -1;
		}
		*roles |= ROLE_BIT(role);
	}
	return 0;
}

static int username_ok(const char *u)
{
	size_t n = strlen(u);

	if (n < 3 || n > USERNAME_MAX || !(u[0] >= 'a' && u[0] <= 'z'))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((u[i] >= 'a' && u[i] <= 'z') || (u[i] >= '0' && u[i] <= '9') || u[i] == '.' ||
		      u[i] == '_' || u[i] == '-'))
			return 0;
	return 1;
}

int acct_username(struct req *r, const char **out)
{
	if (req_text(r, "username", ARG_REQUIRED, 64, out) < 0)
		return -1;
	if (!username_ok(*out)) {
		reply_error(r, 400, "invalid_username", "username",
			    "用户名须为 3 至 32 个小写字母、数字或 . _ -，并以字母开头");
		return -1;
	}
	return 0;
}

int acct_uscc(struct req *r, const char **out)
{
	struct ident_result ir;

	if (req_text(r, "uscc", 0, 64, out) < 0)
		return -1;
	if (*out == NULL)
		return 0;
	ident_check_uscc(*out, strlen(*out), &ir);
	if (!ir.valid) {
		reply_error(r, 400, ir.reason, "uscc", "%s", ir.message);
		return -1;
	}
	return 0;
}

/* sessions ------------------------------------------------------------------ */

/* Answers 429 with Retry-After and a message saying how long to wait. */
static void reply_throttled(struct req *r, int64_t until, int per_address)
{
	int64_t wait = until - (int64_t)time(NULL);
	char ra[24];

	if (wait < 1)
		wait = 1;
	snprintf(ra, sizeof(ra), "%" PRId64, wait);
	reply_error(r, 429, "too_many_attempts", NULL,
		    per_address ? "该网络地址登录失败次数过多，请 %" PRId64 " 分钟后再试"
				: "该账号登录失败次数过多，已暂时锁定，请 %" PRId64 " 分钟后再试",
		    (wait + 59) / 60);
	reply_header(r, "Retry-After", ra);
}

static void lowercase(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

void h_session_create(struct req *r)
{
	static const char *const keys[] = {"username", "password", NULL};
	const struct auth_config *cfg = auth_config(r->app);
	const char *username_in, *pw;
	char username[USERNAME_MAX * 2 + 1], object[48] = "";
	char upgraded[PASSWORD_HASH_SIZE] = "", old_hash[PASSWORD_HASH_SIZE] = "";
	struct store_user u;
	struct store_conn *c;
	struct yerr e = {0};
	int64_t now = (int64_t)time(NULL), until_user = 0, until_addr = 0, lock;
	int rc, found = 0, ok = 0;

	if (req_body_keys(r, keys) < 0 ||
	    req_text(r, "username", ARG_REQUIRED, 64, &username_in) < 0 ||
	    req_text(r, "password", ARG_REQUIRED, PASSWORD_MAX_BYTES, &pw) < 0)
		return;
	snprintf(username, sizeof(username), "%s", username_in);
	lowercase(username);
	if (req_acquire(r, &c) < 0)
		return;
	rc = store_login_locked(c, "user", username, now, &until_user, &e);
	if (rc == 0)
		rc = store_login_locked(c, "addr", r->client, now, &until_addr, &e);
	if (rc == 0) {
		rc = store_user_get_by_name(c, username, &u, &e);
		/* usernames are unique city-wide, but this node serves one
		 * district: an account of another one is unknown here */
		found = rc == 0 && strcmp(u.district, req_district(r)) == 0;
		if (rc == STORE_ENOTFOUND)
			rc = 0;
	}
	store_release(c); /* not held while hashing */
	if (rc < 0)
		return reply_yerr(r, &e);
	if (found)
		snprintf(object, sizeof(object), "user:%" PRId64, u.id);
	if (until_user || until_addr) {
		reply_throttled(r, until_user > until_addr ? until_user : until_addr, !until_user);
		req_audit_own(r, found ? u.username : "-", object, "throttled:429", NULL);
		return;
	}
	if (found)
		ok = auth_password_verify(r->app, u.password_hash, pw);
	else {
		auth_password_dummy(r->app, pw);
		ok = 0;
	}
	/* A hash made at an earlier cost is redone now, while the password is
	 * at hand. */
	if (ok && !u.disabled && auth_password_upgrade(r->app, u.password_hash, pw, upgraded) == 1)
		memcpy(old_hash, u.password_hash, sizeof(old_hash));
	sodium_memzero(u.password_hash, sizeof(u.password_hash));
	if (req_acquire(r, &c) < 0)
		return;
	if (!ok || u.disabled) {
		/* Count the failure (per account and per address) and audit it in
		 * one transaction. */
		const char *detail = !found ? "unknown_user" : !ok ? "wrong_password" : "disabled";
		struct audit_entry ae;

		rc = store_begin(c, &e);
		if (rc == 0 && !ok)
			rc = store_login_failure(c, "user", username, now, cfg->window_sec,
						 cfg->max_failures, cfg->lock_sec, &lock, &e);
		if (rc == 0 && !ok)
			rc = store_login_failure(c, "addr", r->client, now, cfg->window_sec,
						 cfg->max_failures_addr, cfg->lock_sec, &lock, &e);
		memset(&ae, 0, sizeof(ae));
		ae.ts_ms = (int64_t)time(NULL) * 1000;
		ae.actor = found ? u.username : "-";
		ae.role = "";
		ae.department = "";
		ae.action = r->route->audit;
		ae.object = object;
		ae.request_id = r->rid;
		ae.outcome = ok ? "failed:403" : "failed:401";
		ae.client = r->client;
		ae.district = req_district(r);
		ae.detail = detail;
		if (rc == 0)
			rc = store_audit_append(c, &ae, NULL, &e);
		if (rc == 0)
			rc = store_commit(c, &e);
		store_release(c);
		r->audited = 2;
		if (rc < 0)
			return reply_yerr(r, &e);
		if (ok)
			return reply_error(r, 403, "account_disabled", NULL,
					   "账号已停用，请联系系统管理员");
		return reply_error(r, 401, "invalid_credentials", NULL, "用户名或密码错误");
	}
	store_user_principal(&u, PRINCIPAL_SESSION, &r->who);
	rc = store_begin(c, &e);
	if (rc == 0)
		rc = store_login_clear(c, "user", username, &e);
	if (rc == 0 && upgraded[0] && old_hash[0])
		rc = store_user_upgrade_password(c, u.district, u.id, old_hash, upgraded, &e);
	sodium_memzero(old_hash, sizeof(old_hash));
	sodium_memzero(upgraded, sizeof(upgraded));
	if (rc == 0)
		rc = auth_session_start(r, c, u.id, &e);
	if (rc == 0)
		rc = req_audit_commit(r, c, object, NULL, &e);
	store_release(c);
	if (rc < 0) {
		r->resp_headers = 0; /* no cookies for a session that was not stored */
		return reply_yerr(r, &e);
	}
	reply_json(r, 200, json_pack("{s:o}", "user", acct_user_json(&u)));
}

void h_session_delete(struct req *r)
{
	struct store_conn *c;
	struct yerr e = {0};
	int rc;

	if (req_acquire(r, &c) < 0)
		return;
	rc = store_begin(c, &e);
	if (rc == 0 && r->session_hash[0])
		rc = store_session_delete(c, r->session_hash, &e);
	if (rc == 0)
		rc = req_audit_commit(r, c, "session", NULL, &e);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	auth_session_clear_cookies(r);
	reply_json(r, 200, json_pack("{s:b}", "ok", 1));
}

static void add_perm(const char *perm, void *ud)
{
	json_array_append_new(ud, json_string(perm));
}

void h_me(struct req *r)
{
	static const char *const kinds[] = {"none", "session", "gateway", "token"};
	json_t *perms = json_array(), *out;
	struct store_conn *c;
	struct store_user u;
	struct yerr e = {0};
	int rc;

	roles_permissions_each(&r->who, add_perm, perms);
	if (r->who.kind == PRINCIPAL_TOKEN) {
		json_t *scopes = json_array();

		for (int i = 0; i < SCOPE_COUNT; i++)
			if (r->who.scopes & SCOPE_BIT(i))
				json_array_append_new(scopes, json_string(scope_name(i)));
		return reply_json(r, 200,
				  json_pack("{s:s,s:{s:I,s:o},s:o}", "auth", "token", "token", "id",
					    (json_int_t)r->who.id, "scopes", scopes, "permissions",
					    perms));
	}
	if (req_acquire(r, &c) < 0) {
		json_decref(perms);
		return;
	}
	rc = store_user_get(c, req_district(r), r->who.id, &u, &e);
	if (rc == 0 && u.department[0]) {
		struct store_department d;

		if (store_department_get(c, req_district(r), u.department, &d, &e) == 0) {
			store_release(c);
			out = acct_user_json(&u);
			json_object_set_new(out, "department",
					    json_pack("{s:s,s:s}", "code", d.code, "name", d.name));
			goto done;
		}
	}
	store_release(c);
	if (rc < 0) {
		json_decref(perms);
		return reply_yerr(r, &e);
	}
	out = acct_user_json(&u);
	if (u.department[0])
		json_object_set_new(
		    out, "department",
		    json_pack("{s:s,s:s}", "code", u.department, "name", u.department));
done:
	json_object_set_new(out, "permissions", perms);
	json_object_set_new(out, "auth", json_string(kinds[r->who.kind]));
	json_object_del(out, "disabled");
	reply_json(r, 200, out);
}

void h_me_password(struct req *r)
{
	static const char *const keys[] = {"old_password", "new_password", NULL};
	const struct auth_config *cfg = auth_config(r->app);
	const char *old_pw, *new_pw, *code;
	char msg[256], hash[PASSWORD_HASH_SIZE], object[48];
	struct store_user u;
	struct store_conn *c;
	struct yerr e = {0};
	int64_t now = (int64_t)time(NULL), lock;
	int rc;

	if (r->who.kind != PRINCIPAL_SESSION)
		return reply_error(r, 403, "forbidden", NULL,
				   "通过统一身份认证登录的用户请在统一身份认证平台修改密码");
	snprintf(object, sizeof(object), "user:%" PRId64, r->who.id);
	snprintf(r->audit_object, sizeof(r->audit_object), "%s", object);
	if (req_body_keys(r, keys) < 0 ||
	    req_text(r, "old_password", ARG_REQUIRED, PASSWORD_MAX_BYTES, &old_pw) < 0 ||
	    req_text(r, "new_password", ARG_REQUIRED, PASSWORD_MAX_BYTES, &new_pw) < 0)
		return;
	if (password_check_policy(new_pw, r->who.name, &code, msg, sizeof(msg)) < 0)
		return reply_error(r, 400, code, "new_password", "%s", msg);
	if (strcmp(old_pw, new_pw) == 0)
		return reply_error(r, 400, "password_unchanged", "new_password",
				   "新密码不能与原密码相同");
	if (req_acquire(r, &c) < 0)
		return;
	rc = store_user_get(c, req_district(r), r->who.id, &u, &e);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	if (!auth_password_verify(r->app, u.password_hash, old_pw)) {
		/* a wrong old password counts as a failed login of the account */
		if (req_acquire(r, &c) < 0)
			return;
		(void)store_login_failure(c, "user", u.username, now, cfg->window_sec,
					  cfg->max_failures, cfg->lock_sec, &lock, &e);
		store_release(c);
		return reply_error(r, 400, "wrong_password", "old_password", "原密码不正确");
	}
	if (auth_password_hash(r->app, new_pw, hash) < 0)
		return reply_error(r, 503, "busy", NULL, "系统繁忙，请稍后重试");
	if (req_acquire(r, &c) < 0)
		return;
	rc = store_begin(c, &e);
	if (rc == 0)
		rc = store_user_set_password(c, req_district(r), u.id, hash, 0, now, &e);
	if (rc == 0) /* every other session of the user ends */
		rc = store_sessions_revoke_user(c, req_district(r), u.id, r->session_hash, &e);
	if (rc == 0)
		rc = req_audit_commit(r, c, object, NULL, &e);
	store_release(c);
	sodium_memzero(hash, sizeof(hash));
	if (rc < 0)
		return reply_yerr(r, &e);
	reply_json(r, 200, json_pack("{s:b}", "ok", 1));
}

/* registration -------------------------------------------------------------- */

static int phone_ok(const char *p)
{
	if (strlen(p) != 11 || p[0] != '1' || p[1] < '3' || p[1] > '9')
		return 0;
	for (int i = 0; i < 11; i++)
		if (p[i] < '0' || p[i] > '9')
			return 0;
	return 1;
}

void h_registration_create(struct req *r)
{
	static const char *const keys[] = {"username", "password", "uscc", "name", "phone", NULL};
	const char *username, *pw, *uscc, *name, *phone, *code;
	char msg[256], object[48];
	struct store_user u;
	struct store_conn *c;
	struct yerr e = {0};
	int64_t now = app_now(r->app), entity_id = 0;
	int rc, exists = 0;

	if (req_body_keys(r, keys) < 0 || acct_username(r, &username) < 0)
		return;
	if (req_text(r, "password", ARG_REQUIRED, 1024, &pw) < 0)
		return;
	if (password_check_policy(pw, username, &code, msg, sizeof(msg)) < 0)
		return reply_error(r, 400, code, "password", "%s", msg);
	if (acct_uscc(r, &uscc) < 0)
		return;
	if (req_text(r, "name", ARG_REQUIRED, ENTITY_NAME_MAX, &name) < 0 ||
	    req_text(r, "phone", ARG_REQUIRED, PHONE_MAX, &phone) < 0)
		return;
	if (!phone_ok(phone))
		return reply_error(r, 400, "invalid_phone", "phone",
				   "手机号须为 11 位数字，以 13 至 19 开头");
	/* Cheap duplicate checks before the expensive hash; the unique indexes
	 * decide in the end. */
	if (req_acquire(r, &c) < 0)
		return;
	rc = store_username_taken(c, username, &exists, &e);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	if (exists)
		return reply_error(r, 409, "username_exists", "username", "用户名 %s 已被使用",
				   username);
	memset(&u, 0, sizeof(u));
	snprintf(u.username, sizeof(u.username), "%s", username);
	snprintf(u.display_name, sizeof(u.display_name), "%s", name);
	snprintf(u.phone, sizeof(u.phone), "%s", phone);
	u.roles = ROLE_BIT(ROLE_APPLICANT);
	if (auth_password_hash(r->app, pw, u.password_hash) < 0)
		return reply_error(r, 503, "busy", NULL, "系统繁忙，请稍后重试");
	if (req_acquire(r, &c) < 0)
		return;
	rc = store_begin(c, &e);
	if (rc == 0)
		rc = store_entity_insert(c, req_district(r), uscc, name, now, &entity_id, &e);
	u.entity_id = entity_id;
	if (rc == 0)
		rc = store_user_insert(c, req_district(r), &u, now, &e);
	if (rc == 0) {
		snprintf(object, sizeof(object), "user:%" PRId64, u.id);
		rc = req_audit_commit(r, c, object, uscc ? uscc : "founder", &e);
	}
	store_release(c);
	sodium_memzero(u.password_hash, sizeof(u.password_hash));
	if (rc < 0)
		return reply_yerr(r, &e);
	snprintf(u.uscc, sizeof(u.uscc), "%s", uscc ? uscc : "");
	snprintf(u.entity_name, sizeof(u.entity_name), "%s", name);
	reply_json(r, 201, json_pack("{s:o}", "user", acct_user_json(&u)));
}
