/*
 * h_users.c — user administration (users.manage; see docs/api-accounts.md):
 *   GET/POST  /api/v1/users
 *   GET/PATCH /api/v1/users/{id}
 *   POST      /api/v1/users/{id}/password-reset
 * Every change writes its audit entry in the transaction of the change.
 */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http/accounts.h"

/* A department code must exist; replies 400 naming `field` otherwise. */
static int check_department(struct req *r, struct store_conn *c, const char *code,
			    const char *field)
{
	struct store_department d;
	struct yerr e = {0};
	int rc = store_department_get(c, req_district(r), code, &d, &e);

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

static json_t *user_item(const void *u)
{
	return acct_user_json(u);
}

void h_users_list(struct req *r)
{
	const char *q;
	struct store_user *users = NULL;
	struct store_conn *c;
	struct req_page page;
	struct yerr e = {0};
	int64_t total = 0;
	int n = 0, rc;

	if (req_paging(r, REQ_PAGE_DEFAULT, REQ_PAGE_MAX, &page) < 0 ||
	    req_query_text(r, "q", 64, &q) < 0)
		return;
	if (req_acquire(r, &c) < 0)
		return;
	rc = store_users_list(c, req_district(r), q, page.limit, page.offset, &users, &n, &total,
			      &e);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	reply_json(r, 200, req_list(users, (size_t)n, sizeof(*users), user_item, total, &page));
	free(users);
}

void h_user_get(struct req *r)
{
	struct store_user u;
	struct store_conn *c;
	struct yerr e = {0};
	int64_t id;
	int rc;

	if (req_path_id(r, "id", "not_found", &id) < 0 || req_acquire(r, &c) < 0)
		return;
	rc = store_user_get(c, req_district(r), id, &u, &e);
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
	int64_t now = app_now(r->app), entity_id = 0;
	unsigned roles;
	int rc;

	if (req_body_keys(r, keys) < 0 || acct_username(r, &username) < 0)
		return;
	if (req_text(r, "display_name", ARG_REQUIRED, DISPLAY_NAME_MAX, &display) < 0 ||
	    acct_roles(r, "roles", &roles) < 0 ||
	    req_text(r, "department", 0, DEPT_CODE_MAX, &dept) < 0 ||
	    req_text(r, "phone", 0, PHONE_MAX, &phone) < 0 || acct_uscc(r, &uscc) < 0 ||
	    req_text(r, "entity_name", 0, ENTITY_NAME_MAX, &entity_name) < 0)
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
	if (req_acquire(r, &c) < 0)
		return;
	if (dept && check_department(r, c, dept, "department") < 0) {
		store_release(c);
		return;
	}
	rc = store_begin(c, &e);
	if (rc == 0 && (roles & ROLE_BIT(ROLE_APPLICANT)) && (uscc || entity_name))
		rc = store_entity_insert(c, req_district(r), uscc,
					 entity_name ? entity_name : display, now, &entity_id, &e);
	u.entity_id = entity_id;
	if (rc == 0)
		rc = store_user_insert(c, req_district(r), &u, now, &e);
	if (rc == 0) {
		snprintf(object, sizeof(object), "user:%" PRId64, u.id);
		rc = req_audit_commit(r, c, object, NULL, &e);
	}
	if (rc == 0)
		rc = store_user_get(c, req_district(r), u.id, &u, &e);
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
	int64_t id, now = app_now(r->app);
	unsigned roles = 0;
	int rc;

	if (req_path_id(r, "id", "not_found", &id) < 0)
		return;
	snprintf(r->audit_object, sizeof(r->audit_object), "user:%" PRId64, id);
	if (req_body_keys(r, keys) < 0)
		return;
	if (ver && (!json_is_integer(ver) || json_integer_value(ver) < 1))
		return reply_error(r, 400, "invalid_type", "version",
				   "version 必须是正整数（读取用户时得到的版本号）");
	if (json_object_size(r->json) == (ver ? 1u : 0u))
		return reply_error(r, 400, "empty_update", NULL,
				   "请至少提供 roles、department、display_name、disabled 之一");
	if (json_object_get(r->json, "roles") && acct_roles(r, "roles", &roles) < 0)
		return;
	if (req_text(r, "display_name", ARG_NOT_BLANK, DISPLAY_NAME_MAX, &display) < 0)
		return;
	if (dep && !json_is_null(dep) &&
	    req_text(r, "department", ARG_REQUIRED, DEPT_CODE_MAX, &dept) < 0)
		return;
	if (dis && !json_is_boolean(dis))
		return reply_error(r, 400, "invalid_type", "disabled",
				   "disabled 必须是 true 或 false");
	if (req_acquire(r, &c) < 0)
		return;
	/* Read inside the write transaction with the row locked: it is written
	 * back whole, so a copy read before another node's change commits would
	 * undo it (tests/api/test_pg_twonode.c). store_release rolls back on
	 * early exits. */
	rc = store_begin(c, &e);
	if (rc == 0)
		rc = store_user_lock(c, req_district(r), id, &e);
	if (rc == 0)
		rc = store_user_get(c, req_district(r), id, &u, &e);
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
	rc = store_user_update(c, req_district(r), &u, now, &e);
	if (rc == 0 && u.disabled) /* a disabled account is logged out everywhere */
		rc = store_sessions_revoke_user(c, req_district(r), u.id, NULL, &e);
	if (rc == 0)
		rc = req_audit_commit(r, c, r->audit_object, NULL, &e);
	if (rc == 0)
		rc = store_user_get(c, req_district(r), id, &u, &e);
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
	int64_t id, now = app_now(r->app);
	int rc;

	if (req_path_id(r, "id", "not_found", &id) < 0)
		return;
	snprintf(r->audit_object, sizeof(r->audit_object), "user:%" PRId64, id);
	if (req_acquire(r, &c) < 0)
		return;
	rc = store_user_get(c, req_district(r), id, &u, &e);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	password_generate(u.username, pw);
	if (auth_password_hash(r->app, pw, hash) < 0)
		return reply_error(r, 503, "busy", NULL, "系统繁忙，请稍后重试");
	if (req_acquire(r, &c) < 0)
		return;
	rc = store_begin(c, &e);
	if (rc == 0)
		rc = store_user_set_password(c, req_district(r), id, hash, 1, now, &e);
	if (rc == 0)
		rc = store_sessions_revoke_user(c, req_district(r), id, NULL, &e);
	if (rc == 0)
		rc = store_login_clear(c, "user", u.username, &e);
	if (rc == 0)
		rc = req_audit_commit(r, c, r->audit_object, NULL, &e);
	store_release(c);
	sodium_memzero(hash, sizeof(hash));
	if (rc < 0) {
		sodium_memzero(pw, sizeof(pw));
		return reply_yerr(r, &e);
	}
	reply_json(r, 200, json_pack("{s:s,s:b}", "password", pw, "must_change_password", 1));
	sodium_memzero(pw, sizeof(pw));
}
