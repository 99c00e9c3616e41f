/*
 * h_reviews.c — parallel review (一并审批) and the deadline dashboards
 * (docs/api-applications.md, "Review, inspection and deadlines"):
 *   POST /api/v1/applications/{id}/reviews/{department}   applications.review
 *   GET  /api/v1/deadlines?due=&department=&limit=&offset= deadlines.read
 * and what the inspection routes (h_inspection.c) share with them: one
 * workflow action as one transaction (review_run), and the department's view
 * of an application (review_department_view) that the application GET
 * applies for reviewers and inspectors.
 *
 * Two reviewers deciding at once: store_app_get takes the application's row
 * lock (FOR UPDATE on PostgreSQL, the write lock on SQLite), so the second
 * waits, then reads the first one's decision and answers 409
 * already_decided; a decision of another department made meanwhile is on
 * top of the state it read, never overwritten. The version guard of
 * store_app_transition backs this up.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "http/handlers.h"
#include "http/reviews.h"

#define REASON_MAX 2000      /* characters of a reason */
#define DEADLINE_NEAR_DAYS 3 /* working days left that make a task near due */

int review_today(void)
{
	return date_today_shanghai(time(NULL));
}

struct wf_actor review_actor(const struct req *r, const struct store_app *a)
{
	struct wf_actor who = {.roles = r->who.roles,
			       .department = r->who.department,
			       .owner = r->who.kind != PRINCIPAL_TOKEN && r->who.id > 0 &&
					r->who.id == a->applicant_id};

	return who;
}

static json_t *day_json(int day)
{
	char s[16];

	if (day < 0 || date_format(day, s, sizeof(s)) != 0)
		return json_null();
	return json_string(s);
}

json_t *review_app_json(const struct store_app *a)
{
	json_t *depts = json_array();

	for (size_t i = 0; i < a->wf.ndepts; i++) {
		const struct wf_dept *d = &a->wf.depts[i];
		const struct store_app_dept *x = &a->dinfo[i];

		json_array_append_new(
		    depts, json_pack("{s:s,s:s,s:s,s:s?,s:s?,s:o,s:o}", "code", d->code, "review",
				     workflow_review_name(d->review), "inspect",
				     workflow_inspect_name(d->inspect), "reason", x->reason,
				     "legal_basis", x->legal_basis, "rectify_due",
				     d->inspect == WF_INSPECT_RECTIFY ? day_json(d->rectify_due)
								      : json_null(),
				     "reviewer_id",
				     x->reviewer_id ? json_integer(x->reviewer_id) : json_null()));
	}
	return json_pack("{s:I,s:s,s:s,s:s,s:I,s:i,s:b,s:o,s:s,s:o}", "id", (json_int_t)a->id,
			 "number", a->number, "status", workflow_status_name(a->wf.status),
			 "status_label", workflow_status_label(a->wf.status), "version",
			 (json_int_t)a->version, "review_round", a->review_round,
			 "inspection_scheduled", a->wf.inspection_scheduled, "due_day",
			 day_json(a->due_day), "holder", a->holder, "departments", depts);
}

void review_run(struct req *r, int64_t id, struct review_action *ra)
{
	struct store_app a;
	struct store_conn *c;
	struct wf_effects fx;
	struct wf_app next;
	struct wf_actor who;
	struct yerr e = {0};
	struct store_app_event ev;
	char object[48], *detail = NULL;
	int64_t now = (int64_t)time(NULL);
	int rc;

	memset(&a, 0, sizeof(a));
	ra->rq.today = review_today();
	if (req_acquire(r, &c) < 0)
		return;
	rc = store_begin(c, &e);
	if (rc == 0)
		rc = store_app_get(c, req_district(r), id, true, &a, &e);
	if (rc == 0 && ra->prepare)
		rc = ra->prepare(r, c, &a, ra, &e);
	if (rc == 0) {
		who = review_actor(r, &a);
		rc = workflow_apply(&a.wf, &who, &ra->rq, &next, &fx, &e);
	}
	if (rc == 0) {
		a.wf = next;
		if (ra->write)
			rc = ra->write(r, c, &a, &fx, ra->ctx, &e);
	}
	if (rc == 0) {
		detail = ra->detail ? json_dumps(ra->detail, JSON_COMPACT) : NULL;
		ev = (struct store_app_event){.action = ra->history,
					      .from = fx.from,
					      .to = fx.to,
					      .actor_id = r->who.id,
					      .actor_name = r->who.name,
					      .actor_role = "",
					      .department = ra->rq.department,
					      .reason = ra->rq.reason,
					      .detail = detail};
		for (int k = 0; k < ROLE_COUNT; k++)
			if (r->who.roles & ROLE_BIT(k) & ROLES_STAFF) {
				ev.actor_role = role_name((enum role)k);
				break;
			}
		pthread_rwlock_rdlock(&r->app->cal_lock);
		rc = store_app_transition(c, req_district(r), &a, a.version, &fx, &ev, r->app->cal,
					  ra->rq.today, now, &e);
		pthread_rwlock_unlock(&r->app->cal_lock);
	}
	snprintf(object, sizeof(object), "application:%lld", (long long)id);
	if (rc == 0)
		rc = req_audit_commit(r, c, object, detail, &e);
	store_release(c);
	free(detail);
	if (rc < 0) {
		store_app_free(&a);
		return reply_yerr(r, &e);
	}
	reply_json(r, 200, json_pack("{s:o}", "application", review_app_json(&a)));
	store_app_free(&a);
}

/* ---------------------------------------------------------------- reviews */

struct decide_ctx {
	const char *department;
	const char *reason;
};

/* The legal basis of a department's decision: its permits' bases as frozen
 * in the notice, joined by "；". Malloc'd, NULL when none. */
static char *dept_legal_basis(const struct store_app *a, const char *department)
{
	json_t *notice = json_loads(a->notice ? a->notice : "{}", 0, NULL), *p;
	size_t i, len = 0;
	char *out = NULL;

	json_array_foreach (json_object_get(notice, "permits"), i, p) {
		const json_t *d = json_object_get(p, "department");
		const char *code = json_is_object(d) ? json_string_value(json_object_get(d, "code"))
						     : json_string_value(d);
		const char *basis = json_string_value(json_object_get(p, "legal_basis"));
		size_t add;
		char *grown;

		if (code == NULL || strcmp(code, department) != 0 || basis == NULL || !*basis)
			continue;
		add = strlen(basis) + (len ? strlen("；") : 0);
		grown = realloc(out, len + add + 1);
		if (grown == NULL)
			abort();
		out = grown;
		snprintf(out + len, add + 1, "%s%s", len ? "；" : "", basis);
		len += add;
	}
	json_decref(notice);
	return out;
}

static int decide_write(struct req *r, struct store_conn *c, struct store_app *a,
			const struct wf_effects *fx, void *ctx, struct yerr *e)
{
	struct decide_ctx *d = ctx;

	(void)c, (void)fx, (void)e;
	for (size_t i = 0; i < a->wf.ndepts; i++) {
		struct store_app_dept *x = &a->dinfo[i];

		if (strcmp(a->wf.depts[i].code, d->department) != 0)
			continue;
		free(x->reason);
		free(x->legal_basis);
		x->reason = d->reason ? strdup(d->reason) : NULL;
		x->legal_basis = dept_legal_basis(a, d->department);
		x->reviewer_id = r->who.id;
		x->decided_at = (int64_t)time(NULL);
		if ((d->reason && x->reason == NULL))
			abort();
	}
	return 0;
}

void h_review_decide(struct req *r)
{
	static const char *const keys[] = {"decision", "reason", NULL};
	struct review_action ra = {0};
	struct decide_ctx ctx;
	const char *decision = NULL, *reason = NULL, *dept = req_param(r, "department");
	int64_t id;

	if (req_path_id(r, "id", "application_not_found", &id) < 0 || req_body_keys(r, keys) < 0 ||
	    req_text(r, "decision", 0, 16, &decision) < 0 ||
	    req_text(r, "reason", ARG_MULTILINE, REASON_MAX, &reason) < 0)
		return;
	ctx = (struct decide_ctx){dept, reason};
	ra.rq = (struct wf_request){
	    .action = WF_REVIEW, .department = dept, .decision = decision, .reason = reason};
	ra.history = "review";
	ra.write = decide_write;
	ra.ctx = &ctx;
	ra.detail = json_pack("{s:s?,s:s?}", "decision", decision, "department", dept);
	review_run(r, id, &ra);
	json_decref(ra.detail);
}

/* -------------------------------------------------------------- deadlines */

static json_t *due_task_json(const struct store_task *t, const struct calendar *cal, int today)
{
	long left = 0;
	enum deadline_state st =
	    deadline_classify(cal, t->due_day, today, DEADLINE_NEAR_DAYS, false, &left);

	return json_pack("{s:I,s:I,s:s,s:s,s:s,s:s,s:s?,s:s?,s:o,s:s,s:I}", "id", (json_int_t)t->id,
			 "application_id", (json_int_t)t->application_id, "number", t->number,
			 "industry", t->industry, "status", t->status, "kind", t->kind,
			 "department", t->department[0] ? t->department : NULL, "permit",
			 t->permit[0] ? t->permit : NULL, "due_day", day_json(t->due_day), "due",
			 deadline_state_name(st), "days_left", (json_int_t)left);
}

/*
 * GET /api/v1/deadlines: open staff tasks by due day. due = overdue (past
 * the due day), near_due (due today or within DEADLINE_NEAR_DAYS working
 * days), or all (default). A window clerk sees the window's tasks, other
 * staff their department's; a supervisor may name any department or "all".
 */
void h_deadlines_list(struct req *r)
{
	const char *due = req_query(r, "due"), *dept = req_query(r, "department");
	const bool supervisor = (r->who.roles & ROLE_BIT(ROLE_SUPERVISOR)) != 0;
	struct store_due_filter f = {.department = r->who.department, .from_day = -1, .to_day = -1};
	struct store_task *items = NULL;
	struct req_page page;
	struct store_conn *c;
	struct yerr e = {0};
	int64_t total = 0;
	size_t n = 0;
	int today = review_today(), near = -1, rc;
	json_t *list, *arr;

	if (req_paging(r, REQ_PAGE_DEFAULT, REQ_PAGE_MAX, &page) < 0)
		return;
	if (due == NULL || *due == '\0')
		due = "all";
	if (strcmp(due, "overdue") != 0 && strcmp(due, "near_due") != 0 && strcmp(due, "all") != 0)
		return reply_error(r, 400, "invalid_due", "due",
				   "due 只能是 overdue（已超期）、near_due（临近到期）或 all");
	if (dept != NULL && *dept != '\0' && strcmp(dept, r->who.department) != 0) {
		if (!supervisor)
			return reply_error(r, 403, "wrong_department", "department",
					   "只能查看本部门（%s）的时限",
					   r->who.department[0] ? r->who.department : "无");
		if (strcmp(dept, "all") == 0)
			f.all_departments = true;
		else
			f.department = dept;
	}
	/* The window's tasks carry no department: a window clerk's own list. */
	if (!f.all_departments && f.department == r->who.department &&
	    (r->who.roles & ROLE_BIT(ROLE_WINDOW_CLERK)))
		f.department = NULL;
	pthread_rwlock_rdlock(&r->app->cal_lock);
	if (strcmp(due, "overdue") == 0) {
		f.to_day = today - 1;
	} else if (strcmp(due, "near_due") == 0) {
		f.from_day = today;
		if (deadline_add(r->app->cal, today, DEADLINE_NEAR_DAYS, &near, NULL, &e) < 0) {
			pthread_rwlock_unlock(&r->app->cal_lock);
			return reply_yerr(r, &e);
		}
		f.to_day = near;
	}
	pthread_rwlock_unlock(&r->app->cal_lock);
	if (req_acquire(r, &c) < 0)
		return;
	rc = store_tasks_due(c, req_district(r), &f, page.limit, page.offset, &items, &n, &total,
			     &e);
	store_release(c);
	if (rc < 0) {
		free(items);
		return reply_yerr(r, &e);
	}
	arr = json_array();
	pthread_rwlock_rdlock(&r->app->cal_lock);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, due_task_json(&items[i], r->app->cal, today));
	pthread_rwlock_unlock(&r->app->cal_lock);
	free(items);
	list = req_list_json(arr, total, &page);
	json_object_set_new(list, "due", json_string(due));
	json_object_set_new(list, "department",
			    f.all_departments ? json_string("all")
			    : f.department    ? json_string(f.department)
					      : json_null());
	json_object_set_new(list, "today", day_json(today));
	json_object_set_new(list, "near_days", json_integer(DEADLINE_NEAR_DAYS));
	reply_json(r, 200, list);
}

/* ------------------------------------------------------- department view */

static const char *permit_dept(const json_t *p)
{
	const json_t *d = json_object_get(p, "department");

	return json_is_object(d) ? json_string_value(json_object_get(d, "code"))
				 : json_string_value(d);
}

static bool in_array(const json_t *arr, const char *s)
{
	size_t i;
	json_t *v;

	json_array_foreach (arr, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
			return true;
	return false;
}

/* Is field listed by a permit of the notice (any) / of department (own)? */
static void field_owners(const json_t *permits, const struct catalog *cat, const char *department,
			 const char *field, bool *any, bool *own)
{
	size_t i, k;
	json_t *p;

	*any = *own = false;
	json_array_foreach (permits, i, p) {
		const struct catalog_permit *cp =
		    cat ? catalog_permit_find(cat, json_string_value(json_object_get(p, "code")))
			: NULL;
		const char *d = permit_dept(p);

		for (k = 0; cp != NULL && k < cp->nfields; k++) {
			if (strcmp(cp->fields[k], field) != 0)
				continue;
			*any = true;
			*own |= d != NULL && strcmp(d, department) == 0;
			break;
		}
	}
}

/* Id of a material or field entry: a string, or an object's id / material_id. */
static const char *entry_id(const json_t *v)
{
	const char *id;

	if (json_is_string(v))
		return json_string_value(v);
	id = json_string_value(json_object_get(v, "material_id"));
	return id ? id : json_string_value(json_object_get(v, "id"));
}

/* Keeps the entries of arr whose id is in visible. */
static void filter_array(json_t *arr, const json_t *visible)
{
	for (size_t i = json_array_size(arr); i-- > 0;) {
		const char *id = entry_id(json_array_get(arr, i));

		if (id == NULL || !in_array(visible, id))
			json_array_remove(arr, i);
	}
}

static void filter_object(json_t *obj, const json_t *visible)
{
	const char *key;
	json_t *v, *drop = json_array();
	void *tmp;
	size_t i;

	json_object_foreach_safe(obj, tmp, key, v) if (!in_array(visible, key))
	    json_array_append_new(drop, json_string(key));
	json_array_foreach (drop, i, v)
		json_object_del(obj, json_string_value(v));
	json_decref(drop);
}

size_t review_department_view(json_t *application, const struct catalog *cat,
			      const char *department)
{
	json_t *notice = json_object_get(application, "notice");
	json_t *permits = json_object_get(notice, "permits"), *p, *m, *f;
	json_t *mats = json_array(), *fields = json_array(), *uploaded;
	size_t i, j, mine = 0;

	json_array_foreach (permits, i, p) {
		const char *d = permit_dept(p);

		mine += department != NULL && d != NULL && strcmp(d, department) == 0;
	}
	if (mine == 0) {
		json_decref(mats);
		json_decref(fields);
		return 0;
	}
	/* A material: required by one of the department's permits, or by no
	 * permit of the notice (the industry's own). */
	json_array_foreach (json_object_get(notice, "materials"), i, m) {
		json_t *req = json_object_get(m, "required_by"), *code;
		bool any = false, own = false;

		json_array_foreach (req, j, code) {
			size_t k;

			json_array_foreach (permits, k, p) {
				const char *pc = json_string_value(json_object_get(p, "code"));
				const char *d = permit_dept(p);

				if (pc == NULL || !json_is_string(code) ||
				    strcmp(pc, json_string_value(code)) != 0)
					continue;
				any = true;
				own |= d != NULL && strcmp(d, department) == 0;
			}
		}
		if ((own || !any) && entry_id(m))
			json_array_append_new(mats, json_string(entry_id(m)));
	}
	/* A field: listed by one of the department's permits, or by no permit
	 * of the notice (the industry's own and rule-added ones). */
	json_array_foreach (json_object_get(notice, "fields"), i, f) {
		const char *id = entry_id(f);
		bool any, own;

		if (id == NULL)
			continue;
		field_owners(permits, cat, department, id, &any, &own);
		if (own || !any)
			json_array_append_new(fields, json_string(id));
	}
	filter_array(json_object_get(notice, "materials"), mats);
	filter_array(json_object_get(notice, "fields"), fields);
	if (json_is_object(json_object_get(application, "form")))
		filter_object(json_object_get(application, "form"), fields);
	if (json_is_array(json_object_get(application, "prefilled")))
		filter_array(json_object_get(application, "prefilled"), fields);
	uploaded = json_object_get(application, "materials");
	if (json_is_array(uploaded))
		filter_array(uploaded, mats);
	else if (json_is_object(uploaded))
		filter_object(uploaded, mats);
	json_object_set_new(application, "view",
			    json_pack("{s:s,s:o,s:o}", "department", department, "materials", mats,
				      "fields", fields));
	return mine;
}
