/*
 * h_departments.c — departments (see docs/api-accounts.md):
 *   GET   /api/v1/departments                 public
 *   POST  /api/v1/departments                 departments.manage
 *   PATCH /api/v1/departments/{code}          departments.manage
 *   GET   /api/v1/departments/{code}/users    department.members (scoped:
 *         staff see their own department only, 404 otherwise)
 * Every change writes its audit entry in the transaction of the change.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http/accounts.h"

/* departments ------------------------------------------------------------- */

static json_t *dept_json(const struct store_department *d)
{
	return json_pack("{s:s,s:s,s:b}", "code", d->code, "name", d->name, "disabled",
			 d->disabled);
}

static json_t *dept_item(const void *d)
{
	return dept_json(d);
}

void h_departments_list(struct req *r)
{
	struct store_department *ds;
	struct store_conn *c;
	struct yerr e = {0};
	int n, rc;

	if (req_acquire(r, &c) < 0)
		return;
	rc = store_departments_list(c, req_district(r), &ds, &n, &e);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	reply_json(r, 200, req_list(ds, (size_t)n, sizeof(*ds), dept_item, n, NULL));
	free(ds);
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

	if (req_body_keys(r, keys) < 0 ||
	    req_text(r, "code", ARG_REQUIRED, DEPT_CODE_MAX, &code) < 0)
		return;
	if (!dept_code_ok(code))
		return reply_error(r, 400, "invalid_code", "code",
				   "部门代码须为 2 至 24 个小写字母、数字或下划线，并以字母开头");
	if (req_text(r, "name", ARG_REQUIRED, DEPT_NAME_MAX, &name) < 0)
		return;
	snprintf(object, sizeof(object), "department:%s", code);
	if (req_acquire(r, &c) < 0)
		return;
	rc = store_begin(c, &e);
	if (rc == 0)
		rc = store_department_insert(c, req_district(r), code, name, app_now(r->app), &e);
	if (rc == 0)
		rc = req_audit_commit(r, c, object, NULL, &e);
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
	if (req_body_keys(r, keys) < 0)
		return;
	if (json_object_size(r->json) == 0)
		return reply_error(r, 400, "empty_update", NULL, "请至少提供 name、disabled 之一");
	if (req_text(r, "name", ARG_NOT_BLANK, DEPT_NAME_MAX, &name) < 0)
		return;
	if (dis && !json_is_boolean(dis))
		return reply_error(r, 400, "invalid_type", "disabled",
				   "disabled 必须是 true 或 false");
	if (strlen(code) > DEPT_CODE_MAX)
		return reply_error(r, 404, "department_not_found", NULL, "部门不存在");
	if (req_acquire(r, &c) < 0)
		return;
	rc = store_begin(c, &e);
	if (rc == 0)
		rc = store_department_update(c, req_district(r), code, name,
					     dis ? json_is_true(dis) : -1, app_now(r->app), &e);
	if (rc == 0)
		rc = req_audit_commit(r, c, r->audit_object, NULL, &e);
	if (rc == 0)
		rc = store_department_get(c, req_district(r), code, &d, &e);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	reply_json(r, 200, json_pack("{s:o}", "department", dept_json(&d)));
}

/* A colleague sees who is who, not phone numbers or entities. */
static json_t *member_item(const void *u)
{
	json_t *o = acct_user_json(u);

	json_object_del(o, "phone");
	json_object_del(o, "entity");
	return o;
}

void h_department_users(struct req *r)
{
	const char *code = req_param(r, "code");
	struct store_user *users = NULL;
	struct store_department d;
	struct store_conn *c;
	struct req_page page;
	struct yerr e = {0};
	int64_t total = 0;
	int n = 0, rc;
	json_t *out;

	if (req_paging(r, REQ_PAGE_DEFAULT, REQ_PAGE_MAX, &page) < 0)
		return;
	if (strlen(code) > DEPT_CODE_MAX)
		return reply_error(r, 404, "department_not_found", NULL, "部门不存在");
	if (req_acquire(r, &c) < 0)
		return;
	rc = store_users_in_department(c, req_district(r), &r->who, code, page.limit, page.offset,
				       &users, &n, &total, &e);
	if (rc == 0)
		rc = store_department_get(c, req_district(r), code, &d, &e);
	store_release(c);
	if (rc < 0) {
		free(users);
		return reply_yerr(r, &e);
	}
	out = req_list(users, (size_t)n, sizeof(*users), member_item, total, &page);
	free(users);
	json_object_set_new(out, "department", dept_json(&d));
	reply_json(r, 200, out);
}
