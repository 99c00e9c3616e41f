/*
 * h_admin.c — administration (see docs/api-accounts.md):
 *   users        GET/POST /api/v1/users, GET/PATCH /api/v1/users/{id},
 *                POST /api/v1/users/{id}/password-reset      (users.manage)
 *   departments  GET /api/v1/departments (public), POST, PATCH /{code}
 *                                                   (departments.manage)
 *                GET /api/v1/departments/{code}/users   (department.members,
 *                scoped: staff see their own department only, 404 otherwise)
 *   API tokens   POST/GET /api/v1/tokens, DELETE /api/v1/tokens/{id}
 *                                                        (tokens.manage)
 *   calendar     POST /api/v1/calendar/years           (calendar.manage)
 * Every change writes its audit entry in the transaction of the change.
 */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "http/accounts.h"
#include "store/store_calendar.h"

#define USERS_PAGE_MAX 200
#define TOKEN_MAX_LIFETIME (3LL * 366 * 86400)
#define TOKEN_DEFAULT_LIFETIME (365LL * 86400)

/* A department code must exist; replies 400 naming `field` otherwise. */
static int check_department(struct req *r, struct store_conn *c, const char *code,
			    const char *field)
{
	struct store_department d;
	struct yerr e = {0};
	int rc = store_department_get(c, code, &d, &e);

	if (rc == STORE_ENOTFOUND) {
		reply_error(r, 400, "unknown_department", field, "部门 %s 不存在", code);
		return -1;
	}
	if (rc < 0) {
		reply_yerr(r, &e);
		return -1;
	}
	return 0;
}

/* Staff roles act for a department; accounts without staff roles have none. */
static int check_roles_department(struct req *r, unsigned roles, const char *dept)
{
	if ((roles & ROLES_STAFF) && (dept == NULL || !*dept)) {
		reply_error(r, 400, "department_required", "department",
			    "窗口、审核、检查、制证、监管、目录管理角色须指定所属部门");
		return -1;
	}
	return 0;
}

/* users ------------------------------------------------------------------ */

void h_users_list(struct req *r)
{
	const char *q = req_query(r, "q");
	struct store_user *users = NULL;
	struct store_conn *c;
	struct yerr e = {0};
	int64_t total = 0;
	int limit, offset, n = 0, rc;
	json_t *items;

	if (acct_paging(r, 50, USERS_PAGE_MAX, &limit, &offset) < 0)
		return;
	if (q && strlen(q) > 64)
		return reply_error(r, 400, "too_long", "q", "检索词过长（最多 64 个字节）");
	if (acct_acquire(r, &c) < 0)
		return;
	rc = store_users_list(c, q, limit, offset, &users, &n, &total, &e);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, acct_user_json(&users[i]));
	free(users);
	reply_json(r, 200,
		   json_pack("{s:o,s:I,s:i,s:i}", "items", items, "total", (json_int_t)total,
			     "limit", limit, "offset", offset));
}

void h_user_get(struct req *r)
{
	struct store_user u;
	struct store_conn *c;
	struct yerr e = {0};
	int64_t id;
	int rc;

	if (acct_path_id(r, &id) < 0 || acct_acquire(r, &c) < 0)
		return;
	rc = store_user_get(c, id, &u, &e);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	reply_json(r, 200, json_pack("{s:o}", "user", acct_user_json(&u)));
}

void h_user_create(struct req *r)
{
	static const char *const keys[] = {"username", "display_name", "roles",       "department",
					   "phone",    "uscc",         "entity_name", NULL};
	const char *username, *display, *dept, *phone, *uscc, *entity_name;
	char pw[PASSWORD_GEN_LEN + 1], object[48];
	struct store_user u;
	struct store_conn *c;
	struct yerr e = {0};
	int64_t now = (int64_t)time(NULL), entity_id = 0;
	unsigned roles;
	int rc;

	if (acct_body_keys(r, keys) < 0 || acct_username(r, &username) < 0)
		return;
	if (acct_str(r, "display_name", 1, DISPLAY_NAME_MAX, &display) < 0 ||
	    acct_roles(r, "roles", &roles) < 0 ||
	    acct_str(r, "department", 0, DEPT_CODE_MAX, &dept) < 0 ||
	    acct_str(r, "phone", 0, PHONE_MAX, &phone) < 0 || acct_uscc(r, &uscc) < 0 ||
	    acct_str(r, "entity_name", 0, ENTITY_NAME_MAX, &entity_name) < 0)
		return;
	if (check_roles_department(r, roles, dept) < 0)
		return;
	if ((uscc || entity_name) && !(roles & ROLE_BIT(ROLE_APPLICANT)))
		return reply_error(r, 400, "entity_not_applicant", "uscc",
				   "只有申请人账号可以关联市场主体");
	memset(&u, 0, sizeof(u));
	snprintf(u.username, sizeof(u.username), "%s", username);
	snprintf(u.display_name, sizeof(u.display_name), "%s", display);
	snprintf(u.department, sizeof(u.department), "%s", dept ? dept : "");
	snprintf(u.phone, sizeof(u.phone), "%s", phone ? phone : "");
	u.roles = roles;
	u.must_change_password = 1;
	password_generate(username, pw);
	if (auth_password_hash(r->app, pw, u.password_hash) < 0)
		return reply_error(r, 503, "busy", NULL, "系统繁忙，请稍后重试");
	if (acct_acquire(r, &c) < 0)
		return;
	if (dept && check_department(r, c, dept, "department") < 0) {
		store_release(c);
		return;
	}
	rc = store_begin(c, &e);
	if (rc == 0 && (roles & ROLE_BIT(ROLE_APPLICANT)) && (uscc || entity_name))
		rc = store_entity_insert(c, uscc, entity_name ? entity_name : display, now,
					 &entity_id, &e);
	u.entity_id = entity_id;
	if (rc == 0)
		rc = store_user_insert(c, &u, now, &e);
	if (rc == 0) {
		snprintf(object, sizeof(object), "user:%" PRId64, u.id);
		rc = req_audit(r, c, object, NULL, &e);
	}
	if (rc == 0)
		rc = store_commit(c, &e);
	if (rc == 0)
		rc = store_user_get(c, u.id, &u, &e);
	store_release(c);
	if (rc < 0) {
		sodium_memzero(pw, sizeof(pw));
		return reply_yerr(r, &e);
	}
	reply_json(r, 201, json_pack("{s:o,s:s}", "user", acct_user_json(&u), "password", pw));
	sodium_memzero(pw, sizeof(pw));
}

void h_user_update(struct req *r)
{
	static const char *const keys[] = {"roles",    "department", "display_name",
					   "disabled", "version",    NULL};
	json_t *dis = json_object_get(r->json, "disabled");
	json_t *ver = json_object_get(r->json, "version");
	json_t *dep = json_object_get(r->json, "department");
	const char *display, *dept = NULL;
	struct store_user u;
	struct store_conn *c;
	struct yerr e = {0};
	int64_t id, now = (int64_t)time(NULL);
	unsigned roles = 0;
	int rc;

	if (acct_path_id(r, &id) < 0)
		return;
	snprintf(r->audit_object, sizeof(r->audit_object), "user:%" PRId64, id);
	if (acct_body_keys(r, keys) < 0)
		return;
	if (ver && (!json_is_integer(ver) || json_integer_value(ver) < 1))
		return reply_error(r, 400, "invalid_type", "version",
				   "version 必须是正整数（读取用户时得到的版本号）");
	if (json_object_size(r->json) == (ver ? 1u : 0u))
		return reply_error(r, 400, "empty_update", NULL,
				   "请至少提供 roles、department、display_name、disabled 之一");
	if (json_object_get(r->json, "roles") && acct_roles(r, "roles", &roles) < 0)
		return;
	if (acct_str(r, "display_name", 0, DISPLAY_NAME_MAX, &display) < 0)
		return;
	if (dep && !json_is_null(dep) && acct_str(r, "department", 1, DEPT_CODE_MAX, &dept) < 0)
		return;
	if (dis && !json_is_boolean(dis))
		return reply_error(r, 400, "invalid_type", "disabled",
				   "disabled 必须是 true 或 false");
	if (acct_acquire(r, &c) < 0)
		return;
	/* Read inside the write transaction with the row locked: it is written
	 * back whole, so a copy read before another node's change commits would
	 * undo it (tests/api/test_pg_twonode.c). store_release rolls back on
	 * early exits. */
	rc = store_begin(c, &e);
	if (rc == 0)
		rc = store_user_lock(c, id, &e);
	if (rc == 0)
		rc = store_user_get(c, id, &u, &e);
	if (rc < 0) {
		store_release(c);
		return reply_yerr(r, &e);
	}
	/* The editor based the change on `version`: someone else changed the
	 * user since, so applying it would silently overwrite their change. */
	if (ver && json_integer_value(ver) != u.version) {
		store_release(c);
		return reply_error(r, 409, "stale_version", "version",
				   "该用户已被他人修改（当前版本 %" PRId64 "），请刷新后重试",
				   u.version);
	}
	if (json_object_get(r->json, "roles"))
		u.roles = roles;
	if (display)
		snprintf(u.display_name, sizeof(u.display_name), "%s", display);
	if (dep)
		snprintf(u.department, sizeof(u.department), "%s", dept ? dept : "");
	if (dis)
		u.disabled = json_is_true(dis);
	/* An administrator cannot lock themselves out by accident. */
	if (u.id == r->who.id && (u.disabled || !(u.roles & ROLE_BIT(ROLE_SYSTEM_ADMIN)))) {
		store_release(c);
		return reply_error(r, 409, "cannot_modify_self", NULL,
				   "不能停用自己的账号或取消自己的系统管理员角色");
	}
	if (check_roles_department(r, u.roles, u.department) < 0 ||
	    (dept && check_department(r, c, dept, "department") < 0)) {
		store_release(c);
		return;
	}
	rc = store_user_update(c, &u, now, &e);
	if (rc == 0 && u.disabled) /* a disabled account is logged out everywhere */
		rc = store_sessions_revoke_user(c, u.id, NULL, now, &e);
	if (rc == 0)
		rc = req_audit(r, c, r->audit_object, NULL, &e);
	if (rc == 0)
		rc = store_commit(c, &e);
	if (rc == 0)
		rc = store_user_get(c, id, &u, &e);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	reply_json(r, 200, json_pack("{s:o}", "user", acct_user_json(&u)));
}

void h_user_password_reset(struct req *r)
{
	char pw[PASSWORD_GEN_LEN + 1], hash[PASSWORD_HASH_SIZE];
	struct store_user u;
	struct store_conn *c;
	struct yerr e = {0};
	int64_t id, now = (int64_t)time(NULL);
	int rc;

	if (acct_path_id(r, &id) < 0)
		return;
	snprintf(r->audit_object, sizeof(r->audit_object), "user:%" PRId64, id);
	if (acct_acquire(r, &c) < 0)
		return;
	rc = store_user_get(c, id, &u, &e);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	password_generate(u.username, pw);
	if (auth_password_hash(r->app, pw, hash) < 0)
		return reply_error(r, 503, "busy", NULL, "系统繁忙，请稍后重试");
	if (acct_acquire(r, &c) < 0)
		return;
	rc = store_begin(c, &e);
	if (rc == 0)
		rc = store_user_set_password(c, id, hash, 1, now, &e);
	if (rc == 0)
		rc = store_sessions_revoke_user(c, id, NULL, now, &e);
	if (rc == 0)
		rc = store_login_clear(c, "user", u.username, &e);
	if (rc == 0)
		rc = req_audit(r, c, r->audit_object, NULL, &e);
	if (rc == 0)
		rc = store_commit(c, &e);
	store_release(c);
	sodium_memzero(hash, sizeof(hash));
	if (rc < 0) {
		sodium_memzero(pw, sizeof(pw));
		return reply_yerr(r, &e);
	}
	reply_json(r, 200, json_pack("{s:s,s:b}", "password", pw, "must_change_password", 1));
	sodium_memzero(pw, sizeof(pw));
}

/* departments ------------------------------------------------------------- */

static json_t *dept_json(const struct store_department *d)
{
	return json_pack("{s:s,s:s,s:b}", "code", d->code, "name", d->name, "disabled",
			 d->disabled);
}

void h_departments_list(struct req *r)
{
	struct store_department *ds;
	struct store_conn *c;
	struct yerr e = {0};
	int n, rc;
	json_t *items;

	if (acct_acquire(r, &c) < 0)
		return;
	rc = store_departments_list(c, &ds, &n, &e);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, dept_json(&ds[i]));
	free(ds);
	reply_json(r, 200, json_pack("{s:o,s:i}", "items", items, "total", n));
}

static int dept_code_ok(const char *s)
{
	size_t n = strlen(s);

	if (n < 2 || n > DEPT_CODE_MAX || !(s[0] >= 'a' && s[0] <= 'z'))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

void h_department_create(struct req *r)
{
	static const char *const keys[] = {"code", "name", NULL};
	struct store_department d = {0};
	const char *code, *name;
	struct store_conn *c;
	struct yerr e = {0};
	char object[64];
	int rc;

	if (acct_body_keys(r, keys) < 0 || acct_str(r, "code", 1, DEPT_CODE_MAX, &code) < 0)
		return;
	if (!dept_code_ok(code))
		return reply_error(r, 400, "invalid_code", "code",
				   "部门代码须为 2 至 24 个小写字母、数字或下划线，并以字母开头");
	if (acct_str(r, "name", 1, DEPT_NAME_MAX, &name) < 0)
		return;
	snprintf(object, sizeof(object), "department:%s", code);
	if (acct_acquire(r, &c) < 0)
		return;
	rc = store_begin(c, &e);
	if (rc == 0)
		rc = store_department_insert(c, code, name, (int64_t)time(NULL), &e);
	if (rc == 0)
		rc = req_audit(r, c, object, NULL, &e);
	if (rc == 0)
		rc = store_commit(c, &e);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	snprintf(d.code, sizeof(d.code), "%s", code);
	snprintf(d.name, sizeof(d.name), "%s", name);
	reply_json(r, 201, json_pack("{s:o}", "department", dept_json(&d)));
}

void h_department_update(struct req *r)
{
	static const char *const keys[] = {"name", "disabled", NULL};
	const char *code = req_param(r, "code"), *name;
	json_t *dis = json_object_get(r->json, "disabled");
	struct store_department d;
	struct store_conn *c;
	struct yerr e = {0};
	int rc;

	snprintf(r->audit_object, sizeof(r->audit_object), "department:%.60s", code);
	if (acct_body_keys(r, keys) < 0)
		return;
	if (json_object_size(r->json) == 0)
		return reply_error(r, 400, "empty_update", NULL, "请至少提供 name、disabled 之一");
	if (acct_str(r, "name", 0, DEPT_NAME_MAX, &name) < 0)
		return;
	if (dis && !json_is_boolean(dis))
		return reply_error(r, 400, "invalid_type", "disabled",
				   "disabled 必须是 true 或 false");
	if (strlen(code) > DEPT_CODE_MAX)
		return reply_error(r, 404, "department_not_found", NULL, "部门不存在");
	if (acct_acquire(r, &c) < 0)
		return;
	rc = store_begin(c, &e);
	if (rc == 0)
		rc = store_department_update(c, code, name, dis ? json_is_true(dis) : -1,
					     (int64_t)time(NULL), &e);
	if (rc == 0)
		rc = req_audit(r, c, r->audit_object, NULL, &e);
	if (rc == 0)
		rc = store_commit(c, &e);
	if (rc == 0)
		rc = store_department_get(c, code, &d, &e);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	reply_json(r, 200, json_pack("{s:o}", "department", dept_json(&d)));
}

void h_department_users(struct req *r)
{
	const char *code = req_param(r, "code");
	struct store_user *users = NULL;
	struct store_department d;
	struct store_conn *c;
	struct yerr e = {0};
	int64_t total = 0;
	int limit, offset, n = 0, rc;
	json_t *items;

	if (acct_paging(r, 50, USERS_PAGE_MAX, &limit, &offset) < 0)
		return;
	if (strlen(code) > DEPT_CODE_MAX)
		return reply_error(r, 404, "department_not_found", NULL, "部门不存在");
	if (acct_acquire(r, &c) < 0)
		return;
	rc = store_users_in_department(c, &r->who, code, limit, offset, &users, &n, &total, &e);
	if (rc == 0)
		rc = store_department_get(c, code, &d, &e);
	store_release(c);
	if (rc < 0) {
		free(users);
		return reply_yerr(r, &e);
	}
	items = json_array();
	for (int i = 0; i < n; i++) {
		json_t *u = acct_user_json(&users[i]);

		/* a colleague sees who is who, not phone numbers or entities */
		json_object_del(u, "phone");
		json_object_del(u, "entity");
		json_array_append_new(items, u);
	}
	free(users);
	reply_json(r, 200,
		   json_pack("{s:o,s:o,s:I}", "department", dept_json(&d), "items", items, "total",
			     (json_int_t)total));
}

/* API tokens ------------------------------------------------------------------ */

static json_t *token_json(const struct store_token *t)
{
	json_t *scopes = json_array();
	int64_t now = (int64_t)time(NULL);

	for (int i = 0; i < SCOPE_COUNT; i++)
		if (t->scopes & SCOPE_BIT(i))
			json_array_append_new(scopes, json_string(scope_name(i)));
	return json_pack(
	    "{s:I,s:s,s:o,s:I,s:I,s:o,s:o,s:o,s:s}", "id", (json_int_t)t->id, "name", t->name,
	    "scopes", scopes, "created_at", (json_int_t)t->created_at, "expires_at",
	    (json_int_t)t->expires_at, "revoked_at",
	    t->revoked_at ? json_integer(t->revoked_at) : json_null(), "last_used_at",
	    t->last_used_at ? json_integer(t->last_used_at) : json_null(), "created_by",
	    t->created_by_name[0] ? json_string(t->created_by_name) : json_null(), "status",
	    t->revoked_at          ? "revoked"
	    : t->expires_at <= now ? "expired"
				   : "active");
}

/* expires_at: unix seconds, or "YYYY-MM-DD" (the end of that day, Beijing
 * time); absent → one year. Must lie in the future, at most three years. */
static int token_expiry(struct req *r, int64_t now, int64_t *out)
{
	json_t *v = json_object_get(r->json, "expires_at");
	int day;

	*out = now + TOKEN_DEFAULT_LIFETIME;
	if (v == NULL || json_is_null(v))
		return 0;
	if (json_is_integer(v))
		*out = (int64_t)json_integer_value(v);
	else if (json_is_string(v) &&
		 date_parse(json_string_value(v), json_string_length(v), &day) == 0)
		*out = (int64_t)(day + 1) * 86400 - 8 * 3600 - 1;
	else {
		reply_error(r, 400, "invalid_expiry", "expires_at",
			    "expires_at 须为 Unix 秒数或 YYYY-MM-DD 日期");
		return -1;
	}
	if (*out <= now || *out > now + TOKEN_MAX_LIFETIME) {
		reply_error(r, 400, "invalid_expiry", "expires_at",
			    "有效期须晚于现在，且不超过三年");
		return -1;
	}
	return 0;
}

void h_token_create(struct req *r)
{
	static const char *const keys[] = {"name", "scopes", "expires_at", NULL};
	json_t *scopes = json_object_get(r->json, "scopes"), *item;
	char secret[64] = "yiye_", hash[AUTH_SECRET_HEX], object[48];
	struct store_token t = {0};
	struct store_conn *c;
	struct yerr e = {0};
	int64_t now = (int64_t)time(NULL);
	const char *name;
	size_t i;
	int rc;

	if (acct_body_keys(r, keys) < 0 || acct_str(r, "name", 1, TOKEN_NAME_MAX, &name) < 0)
		return;
	if (!json_is_array(scopes) || json_array_size(scopes) == 0 ||
	    json_array_size(scopes) > SCOPE_COUNT)
		return reply_error(r, 400, scopes ? "invalid_scopes" : "required", "scopes",
				   "scopes 须为 1 至 %d 个权限范围的数组（如 \"licenses:read\"）",
				   SCOPE_COUNT);
	json_array_foreach (scopes, i, item) {
		int s = json_is_string(item) ? scope_parse(json_string_value(item)) : -1;

		if (s < 0) {
			char field[32];

			snprintf(field, sizeof(field), "scopes[%zu]", i);
			return reply_error(r, 400, "unknown_scope", field,
					   "未知的权限范围（可选：catalog:read、applications:read、"
					   "licenses:read、supervision:read、credit:read、"
					   "reports:read、users:read、audit:read）");
		}
		t.scopes |= SCOPE_BIT(s);
	}
	if (token_expiry(r, now, &t.expires_at) < 0)
		return;
	snprintf(t.name, sizeof(t.name), "%s", name);
	t.created_by = r->who.kind == PRINCIPAL_TOKEN ? 0 : r->who.id;
	t.created_at = now;
	auth_random_secret(secret + 5, sizeof(secret) - 5);
	auth_secret_hash(secret, hash);
	if (acct_acquire(r, &c) < 0)
		return;
	rc = store_begin(c, &e);
	if (rc == 0)
		rc = store_token_insert(c, &t, hash, &e);
	if (rc == 0) {
		snprintf(object, sizeof(object), "token:%" PRId64, t.id);
		rc = req_audit(r, c, object, t.name, &e);
	}
	if (rc == 0)
		rc = store_commit(c, &e);
	if (rc == 0)
		rc = store_token_get(c, t.id, &t, &e);
	store_release(c);
	if (rc < 0) {
		sodium_memzero(secret, sizeof(secret));
		return reply_yerr(r, &e);
	}
	reply_json(r, 201, json_pack("{s:o,s:s}", "token", token_json(&t), "secret", secret));
	sodium_memzero(secret, sizeof(secret));
}

void h_tokens_list(struct req *r)
{
	struct store_token *ts;
	struct store_conn *c;
	struct yerr e = {0};
	int n, rc;
	json_t *items;

	if (acct_acquire(r, &c) < 0)
		return;
	rc = store_tokens_list(c, &ts, &n, &e);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, token_json(&ts[i]));
	free(ts);
	reply_json(r, 200, json_pack("{s:o,s:i}", "items", items, "total", n));
}

void h_token_revoke(struct req *r)
{
	struct store_token t;
	struct store_conn *c;
	struct yerr e = {0};
	int64_t id;
	int rc;

	if (acct_path_id(r, &id) < 0)
		return;
	snprintf(r->audit_object, sizeof(r->audit_object), "token:%" PRId64, id);
	if (acct_acquire(r, &c) < 0)
		return;
	rc = store_begin(c, &e);
	if (rc == 0)
		rc = store_token_revoke(c, id, (int64_t)time(NULL), &e);
	if (rc == 0)
		rc = req_audit(r, c, r->audit_object, NULL, &e);
	if (rc == 0)
		rc = store_commit(c, &e);
	if (rc == 0)
		rc = store_token_get(c, id, &t, &e);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	reply_json(r, 200, json_pack("{s:o}", "token", token_json(&t)));
}

/* calendar ------------------------------------------------------------------------ */

void h_calendar_year_create(struct req *r)
{
	struct calendar cal;
	struct store_conn *c;
	struct yerr e = {0};
	char msg[256] = "", object[32];
	int rc, holidays = 0, workdays = 0, year;

	calendar_init(&cal);
	if (calendar_load_json(&cal, r->body ? r->body : "", r->body_len, msg, sizeof(msg)) < 0) {
		calendar_free(&cal);
		return reply_error(r, 400, "invalid_calendar", NULL, "%s", msg);
	}
	year = cal.years[0].year;
	for (int i = 0; i < 366; i++) {
		holidays += cal.years[0].kind[i] == CAL_HOLIDAY;
		workdays += cal.years[0].kind[i] == CAL_WORKDAY;
	}
	snprintf(object, sizeof(object), "calendar:%d", year);
	snprintf(r->audit_object, sizeof(r->audit_object), "%s", object);
	if (acct_acquire(r, &c) < 0) {
		calendar_free(&cal);
		return;
	}
	rc = store_begin(c, &e);
	if (rc == 0)
		rc = store_calendar_insert_year_conn(c, STORE_DEFAULT_DISTRICT, &cal.years[0], &e);
	if (rc == 0)
		rc = req_audit(r, c, object, NULL, &e);
	if (rc == 0)
		rc = store_commit(c, &e);
	store_release(c);
	calendar_free(&cal);
	if (rc < 0)
		return reply_yerr(r, &e);
	if (app_calendar_reload(r->app, &e) < 0)
		return reply_yerr(r, &e);
	reply_json(
	    r, 201,
	    json_pack("{s:i,s:i,s:i}", "year", year, "holidays", holidays, "workdays", workdays));
}
