/*
 * h_sup_inspectors.c — the inspector register (执法检查人员名录库) and the
 * conflicts of interest (利害关系申报) (issue 13, sup-core;
 * docs/api-supervision.md "Registers"):
 *   GET   /api/v1/supervision/inspectors            supervision.registers
 *   POST  /api/v1/supervision/inspectors            supervision.inspectors
 *   GET   /api/v1/supervision/inspectors/{user_id}  supervision.registers
 *   PATCH /api/v1/supervision/inspectors/{user_id}  supervision.inspectors
 *   GET   /api/v1/supervision/conflicts             supervision.conflicts.read
 *   POST  /api/v1/supervision/conflicts             supervision.conflicts.declare
 *   DELETE /api/v1/supervision/conflicts/{id}       supervision.conflicts.declare
 * A supervisor keeps the register of their own department; the system
 * administrator any. An inspector declares and withdraws their own
 * conflicts; the supervisors of their department, the administrator and
 * auditors read them. Every change writes its audit entry in its
 * transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/ident.h"
#include "http/accounts.h"
#include "http/handlers.h"
#include "http/supervision.h"

#define QUAL_MAX 20
#define QUAL_CHARS 100
#define NOTE_CHARS 500
#define REASON_CHARS 500

static bool has_role(const struct req *r, enum role role)
{
	return (r->who.roles & ROLE_BIT(role)) != 0;
}

/* Sees every department's inspectors and conflicts. */
static bool sees_all(const struct req *r)
{
	return has_role(r, ROLE_SYSTEM_ADMIN) || has_role(r, ROLE_AUDITOR) ||
	       r->who.kind == PRINCIPAL_TOKEN;
}

static json_t *inspector_json(const struct sup_inspector *i)
{
	json_t *q = i->qualifications ? json_loads(i->qualifications, 0, NULL) : NULL;

	return json_pack("{s:I,s:s,s:s,s:s,s:o,s:b,s:s?,s:i,s:I,s:I}", "user_id",
			 (json_int_t)i->user_id, "username", i->username, "display_name",
			 i->display_name, "department", i->department, "qualifications",
			 json_is_array(q) ? q : (json_decref(q), json_array()), "active", i->active,
			 "note", i->note, "conflicts", i->conflicts, "created_at",
			 (json_int_t)i->created_at, "updated_at", (json_int_t)i->updated_at);
}

static json_t *inspector_item(const void *i)
{
	return inspector_json(i);
}

static json_t *conflict_json(const struct sup_conflict *k)
{
	return json_pack("{s:I,s:I,s:s,s:s,s:s,s:I,s:o}", "id", (json_int_t)k->id, "user_id",
			 (json_int_t)k->user_id, "department", k->department, "uscc", k->uscc,
			 "reason", k->reason ? k->reason : "", "declared_at",
			 (json_int_t)k->declared_at, "withdrawn_at",
			 k->withdrawn_at ? json_integer(k->withdrawn_at) : json_null());
}

static json_t *conflict_item(const void *k)
{
	return conflict_json(k);
}

/* qualifications: an array of at most QUAL_MAX non-blank strings of at most
 * QUAL_CHARS characters; *out the compact JSON text (caller frees), NULL
 * when absent. 0, or -1 after replying 400. */
static int read_qualifications(struct req *r, char **out)
{
	json_t *v = json_object_get(r->json, "qualifications"), *s;
	struct yerr e = {0};
	size_t i;

	*out = NULL;
	if (v == NULL)
		return 0;
	if (!json_is_array(v) || json_array_size(v) > QUAL_MAX) {
		reply_error(r, 400, "invalid_qualifications", "qualifications",
			    "qualifications 应为至多 %d 项的字符串数组", QUAL_MAX);
		return -1;
	}
	json_array_foreach (v, i, s) {
		json_t *wrap = json_pack("{s:O}", "q", s);
		const char *text = NULL;
		int rc = args_text(wrap, "q", ARG_REQUIRED, QUAL_CHARS, &text, &e);

		json_decref(wrap);
		if (rc < 0) {
			char field[48];

			snprintf(field, sizeof(field), "qualifications[%zu]", i);
			reply_error(r, 400, e.code, field, "资格第 %zu 项：%s", i + 1, e.message);
			return -1;
		}
	}
	if ((*out = json_dumps(v, JSON_COMPACT)) == NULL) {
		reply_error(r, 500, "out_of_memory", NULL, "内存不足");
		return -1;
	}
	return 0;
}

/* active: absent -1, else 0/1; -2 after replying 400. */
static int read_active(struct req *r)
{
	json_t *v = json_object_get(r->json, "active");

	if (v == NULL)
		return -1;
	if (!json_is_boolean(v)) {
		reply_error(r, 400, "invalid_type", "active", "active 必须是 true 或 false");
		return -2;
	}
	return json_is_true(v) ? 1 : 0;
}

/* note: absent → NULL and *has 0; null → "" … stored as NULL. */
static int read_note(struct req *r, const char **note)
{
	json_t *v = json_object_get(r->json, "note");

	*note = NULL;
	if (v == NULL)
		return 0;
	if (json_is_null(v)) {
		*note = "";
		return 0;
	}
	if (req_text(r, "note", ARG_MULTILINE, NOTE_CHARS, note) < 0)
		return -1;
	if (*note == NULL)
		*note = "";
	return 0;
}

void h_sup_inspectors_list(struct req *r)
{
	struct sup_inspector *items = NULL;
	const char *department, *active;
	struct store_conn *c;
	struct yerr e = {0};
	size_t n = 0;
	int rc;

	if (req_query_text(r, "department", 24, &department) < 0 ||
	    req_query_text(r, "active", 5, &active) < 0)
		return;
	if (active != NULL && strcmp(active, "true") != 0 && strcmp(active, "false") != 0)
		return reply_error(r, 400, "invalid_boolean", "active",
				   "active 应为 true 或 false");
	if (req_acquire(r, &c) < 0)
		return;
	rc = sup_inspectors_list(c, req_district(r), department,
				 active != NULL && strcmp(active, "true") == 0, &items, &n, &e);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	if (active != NULL && strcmp(active, "false") == 0) {
		size_t k = 0;
		for (size_t i = 0; i < n; i++) {
			if (items[i].active) {
				sup_inspector_free(&items[i]);
				continue;
			}
			items[k++] = items[i];
		}
		n = k;
	}
	reply_json(r, 200, req_list(items, n, sizeof(*items), inspector_item, (int64_t)n, NULL));
	sup_inspectors_free(items, n);
}

/* The department a change of the register acts for: a supervisor's own;
 * the administrator's must be named. NULL after replying. */
static const char *register_department(struct req *r, const char *named)
{
	if (has_role(r, ROLE_SYSTEM_ADMIN)) {
		if (named == NULL)
			reply_error(r, 400, "required", "department", "请指定部门");
		return named;
	}
	if (r->who.department[0] == '\0') {
		reply_error(r, 403, "no_department", NULL, "您的账号不属于任何部门");
		return NULL;
	}
	if (named != NULL && strcmp(named, r->who.department) != 0) {
		reply_error(r, 403, "other_department", "department",
			    "只能管理本部门的执法检查人员名录");
		return NULL;
	}
	return r->who.department;
}

void h_sup_inspector_create(struct req *r)
{
	static const char *const keys[] = {"user_id", "department", "qualifications",
					   "active",  "note",       NULL};
	json_t *uid = json_object_get(r->json, "user_id");
	struct sup_inspector out = {0};
	struct store_department d;
	const char *named, *dep, *note;
	char *quals = NULL, object[64];
	struct store_conn *c;
	struct yerr e = {0};
	int active, rc;
	bool created = false;

	if (req_body_keys(r, keys) < 0)
		return;
	if (!json_is_integer(uid) || json_integer_value(uid) < 1)
		return reply_error(r, 400, "required", "user_id", "请指定用户（user_id）");
	if (req_text(r, "department", 0, 24, &named) < 0 ||
	    (dep = register_department(r, named)) == NULL)
		return;
	if ((active = read_active(r)) == -2 || read_note(r, &note) < 0 ||
	    read_qualifications(r, &quals) < 0)
		return;
	snprintf(object, sizeof(object), "inspector:%lld", (long long)json_integer_value(uid));
	if (req_acquire(r, &c) < 0) {
		free(quals);
		return;
	}
	rc = store_begin(c, &e);
	if (rc == 0)
		rc = store_department_get(c, req_district(r), dep, &d, &e);
	if (rc == 0)
		rc = sup_inspector_put(
		    c, req_district(r),
		    &(struct sup_inspector_in){.user_id = json_integer_value(uid),
					       .department = dep,
					       .qualifications = quals,
					       .active = active,
					       .note = note != NULL && *note ? note : NULL,
					       .actor_id = r->who.id,
					       .now = app_now(r->app)},
		    &created, &e);
	if (rc == 0 && !created)
		rc = yerr_set(&e, 409, "inspector_exists", "user_id", "该人员已在名录中");
	if (rc == 0)
		rc = req_audit_commit(r, c, object, NULL, &e);
	if (rc == 0)
		rc =
		    sup_inspector_get(c, req_district(r), json_integer_value(uid), false, &out, &e);
	store_release(c);
	free(quals);
	if (rc < 0)
		return reply_yerr(r, &e);
	reply_json(r, 201, json_pack("{s:o}", "inspector", inspector_json(&out)));
	sup_inspector_free(&out);
}

/* May the caller see id's conflicts: themselves, the supervisors of their
 * department, the administrator, auditors and data consumers. */
static bool sees_conflicts_of(const struct req *r, const struct sup_inspector *i)
{
	return sees_all(r) || r->who.id == i->user_id ||
	       (has_role(r, ROLE_SUPERVISOR) && strcmp(r->who.department, i->department) == 0);
}

void h_sup_inspector_get(struct req *r)
{
	struct sup_conflict *ks = NULL;
	struct sup_inspector i = {0};
	struct store_conn *c;
	struct yerr e = {0};
	int64_t id;
	size_t nk = 0;
	json_t *o;
	int rc;

	if (req_path_id(r, "user_id", "inspector_not_found", &id) < 0)
		return;
	if (req_acquire(r, &c) < 0)
		return;
	rc = sup_inspector_get(c, req_district(r), id, false, &i, &e);
	if (rc == 0 && sees_conflicts_of(r, &i))
		rc = sup_conflicts_scope(c, req_district(r), NULL, 0, id, true, &ks, &nk, &e);
	store_release(c);
	if (rc < 0) {
		sup_inspector_free(&i);
		return reply_yerr(r, &e);
	}
	o = inspector_json(&i);
	if (sees_conflicts_of(r, &i))
		json_object_set_new(
		    o, "conflict_list",
		    req_list(ks, nk, sizeof(*ks), conflict_item, (int64_t)nk, NULL));
	reply_json(r, 200, json_pack("{s:o}", "inspector", o));
	sup_inspector_free(&i);
	sup_conflicts_free(ks, nk);
}

void h_sup_inspector_update(struct req *r)
{
	static const char *const keys[] = {"qualifications", "active", "note", NULL};
	struct sup_inspector cur = {0}, out = {0};
	char *quals = NULL;
	const char *note;
	struct store_conn *c;
	struct yerr e = {0};
	int64_t id;
	int active, rc;

	if (req_path_id(r, "user_id", "inspector_not_found", &id) < 0)
		return;
	snprintf(r->audit_object, sizeof(r->audit_object), "inspector:%lld", (long long)id);
	if (req_body_keys(r, keys) < 0)
		return;
	if (json_object_size(r->json) == 0)
		return reply_error(r, 400, "empty_update", NULL,
				   "请至少提供 qualifications、active、note 之一");
	if ((active = read_active(r)) == -2 || read_note(r, &note) < 0 ||
	    read_qualifications(r, &quals) < 0)
		return;
	if (req_acquire(r, &c) < 0) {
		free(quals);
		return;
	}
	rc = store_begin(c, &e);
	if (rc == 0)
		rc = sup_inspector_get(c, req_district(r), id, true, &cur, &e);
	if (rc == 0 && !has_role(r, ROLE_SYSTEM_ADMIN) &&
	    strcmp(cur.department, r->who.department) != 0)
		rc =
		    yerr_set(&e, 403, "other_department", NULL, "只能管理本部门的执法检查人员名录");
	if (rc == 0)
		rc = sup_inspector_put(c, req_district(r),
				       &(struct sup_inspector_in){.user_id = id,
								  .qualifications = quals,
								  .active = active,
								  .note = note,
								  .actor_id = r->who.id,
								  .now = app_now(r->app)},
				       NULL, &e);
	if (rc == 0)
		rc = req_audit_commit(r, c, r->audit_object, NULL, &e);
	if (rc == 0)
		rc = sup_inspector_get(c, req_district(r), id, false, &out, &e);
	store_release(c);
	free(quals);
	sup_inspector_free(&cur);
	if (rc < 0)
		return reply_yerr(r, &e);
	reply_json(r, 200, json_pack("{s:o}", "inspector", inspector_json(&out)));
	sup_inspector_free(&out);
}

/* ---- conflicts ---- */

void h_sup_conflicts_list(struct req *r)
{
	const char *department, *withdrawn, *deps[1];
	struct sup_conflict *ks = NULL;
	long long user_id;
	struct store_conn *c;
	struct yerr e = {0};
	size_t n = 0, ndeps = 0;
	int rc;

	if (req_query_text(r, "department", 24, &department) < 0 ||
	    req_query_int(r, "user_id", 0, 1, INT64_MAX / 10, &user_id) < 0 ||
	    req_query_text(r, "withdrawn", 5, &withdrawn) < 0)
		return;
	if (withdrawn != NULL && strcmp(withdrawn, "true") != 0 && strcmp(withdrawn, "false") != 0)
		return reply_error(r, 400, "invalid_boolean", "withdrawn",
				   "withdrawn 应为 true 或 false");
	if (sees_all(r)) {
		/* every department */
	} else if (has_role(r, ROLE_SUPERVISOR)) {
		if (department != NULL && strcmp(department, r->who.department) != 0)
			return reply_error(r, 403, "other_department", "department",
					   "只能查看本部门执法检查人员的申报");
		department = r->who.department;
	} else {
		/* an inspector: their own declarations only */
		if (user_id != 0 && user_id != r->who.id)
			return reply_error(r, 403, "not_own", "user_id", "只能查看本人的申报");
		user_id = r->who.id;
	}
	if (department != NULL)
		deps[ndeps++] = department;
	if (req_acquire(r, &c) < 0)
		return;
	rc = sup_conflicts_scope(c, req_district(r), deps, ndeps, (int64_t)user_id,
				 withdrawn != NULL && strcmp(withdrawn, "true") == 0, &ks, &n, &e);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	reply_json(r, 200, req_list(ks, n, sizeof(*ks), conflict_item, (int64_t)n, NULL));
	sup_conflicts_free(ks, n);
}

void h_sup_conflict_declare(struct req *r)
{
	static const char *const keys[] = {"uscc", "reason", NULL};
	struct sup_conflict out = {0};
	struct ident_result ir;
	const char *uscc, *reason;
	struct store_conn *c;
	struct yerr e = {0};
	char object[64];
	int rc;

	if (req_body_keys(r, keys) < 0 || req_text(r, "uscc", ARG_REQUIRED, 18, &uscc) < 0 ||
	    req_text(r, "reason", ARG_REQUIRED | ARG_MULTILINE, REASON_CHARS, &reason) < 0)
		return;
	ident_check_uscc(uscc, strlen(uscc), &ir);
	if (!ir.valid)
		return reply_error(r, 400, "invalid_uscc", "uscc", "统一社会信用代码无效：%s",
				   ir.message ? ir.message : "");
	if (req_acquire(r, &c) < 0)
		return;
	rc = store_begin(c, &e);
	if (rc == 0)
		rc = sup_conflict_declare(c, req_district(r), r->who.id, uscc, reason,
					  app_now(r->app), &out, &e);
	snprintf(object, sizeof(object), "conflict:%lld", (long long)out.id);
	if (rc == 0)
		rc = req_audit_commit(r, c, object, NULL, &e);
	store_release(c);
	if (rc < 0) {
		free(out.reason);
		return reply_yerr(r, &e);
	}
	reply_json(r, 201, json_pack("{s:o}", "conflict", conflict_json(&out)));
	free(out.reason);
}

void h_sup_conflict_withdraw(struct req *r)
{
	struct store_conn *c;
	struct yerr e = {0};
	int64_t id;
	int rc;

	if (req_path_id(r, "id", "conflict_not_found", &id) < 0)
		return;
	snprintf(r->audit_object, sizeof(r->audit_object), "conflict:%lld", (long long)id);
	if (req_acquire(r, &c) < 0)
		return;
	rc = store_begin(c, &e);
	if (rc == 0)
		rc = sup_conflict_withdraw(c, req_district(r), r->who.id, id, app_now(r->app), &e);
	if (rc == 0)
		rc = req_audit_commit(r, c, r->audit_object, NULL, &e);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	reply_json(r, 200, json_pack("{s:I,s:b}", "id", (json_int_t)id, "withdrawn", 1));
}
