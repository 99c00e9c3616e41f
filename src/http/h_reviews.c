/*
 * h_reviews.c — parallel review (一并审批) and the deadline dashboards
 * (docs/api-applications.md, "Review, inspection and deadlines"):
 *   POST /api/v1/applications/{id}/reviews/{department}   applications.review
 *   GET  /api/v1/deadlines?due=&department=&limit=&offset= deadlines.read
 *
 * A decision is one app_transition (http/applications.h). Two reviewers
 * deciding at once: the application is read with its row lock (FOR UPDATE
 * on PostgreSQL, the write lock on SQLite), so the second waits, then reads
 * the first one's decision and answers 409 already_decided; a decision of
 * another department made meanwhile is on top of the state it read, never
 * overwritten. The version guard of store_app_transition backs this up.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "http/applications.h"
#include "http/reviews.h"
#include "store/store_review.h"

#define REASON_MAX 2000 /* characters of a reason */

static json_t *day_json(int day)
{
	char s[16];

	if (day < 0 || date_format(day, s, sizeof(s)) != 0)
		return json_null();
	return json_string(s);
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

/* reviews.h; the dinfo entry is written by the transition that follows. */
void review_record(struct store_app *a, const char *department, const char *reason,
		   int64_t reviewer_id, int64_t now)
{
	for (size_t i = 0; i < a->wf.ndepts; i++) {
		struct store_app_dept *x = &a->dinfo[i];

		if (strcmp(a->wf.depts[i].code, department) != 0)
			continue;
		free(x->reason);
		free(x->legal_basis);
		x->reason = reason ? strdup(reason) : NULL;
		if (reason && x->reason == NULL)
			abort();
		x->legal_basis = dept_legal_basis(a, department);
		x->reviewer_id = reviewer_id;
		x->decided_at = now;
	}
}

/* Records who decided for the department, why, and on what legal basis. */
static int decide_hook(struct req *r, struct store_conn *c, struct store_app *a,
		       const struct wf_effects *fx, void *ctx, struct yerr *e)
{
	struct decide_ctx *d = ctx;

	(void)c, (void)fx, (void)e;
	review_record(a, d->department, d->reason, r->who.id, app_now(r->app));
	return 0;
}

void h_review_decide(struct req *r)
{
	static const char *const keys[] = {"decision", "reason", NULL};
	struct wf_request rq;
	struct decide_ctx ctx;
	const char *decision = NULL, *reason = NULL, *dept = req_param(r, "department");
	json_t *detail;
	char *text;

	if (req_body_keys(r, keys) < 0 || req_text(r, "decision", 0, 16, &decision) < 0 ||
	    req_text(r, "reason", ARG_MULTILINE, REASON_MAX, &reason) < 0)
		return;
	ctx = (struct decide_ctx){dept, reason};
	rq = (struct wf_request){
	    .action = WF_REVIEW, .department = dept, .decision = decision, .reason = reason};
	detail = json_pack("{s:s?,s:s?}", "decision", decision, "department", dept);
	text = json_dumps(detail, JSON_COMPACT);
	json_decref(detail);
	app_transition(r, &rq, text, decide_hook, &ctx);
	free(text);
}

/* -------------------------------------------------------------- deadlines */

/*
 * GET /api/v1/deadlines: open staff tasks of the caller's department by due
 * day. due = overdue (past the due day), near_due (due today or within
 * APP_NEAR_DAYS working days), or all (default). A window clerk sees the
 * window's tasks (they carry no department). Staff see only their own
 * department, as they see only its applications (app_visible).
 */
void h_deadlines_list(struct req *r)
{
	const char *due = req_query(r, "due"), *dept = req_query(r, "department");
	struct store_due_filter f = {.department = r->who.department, .from_day = -1, .to_day = -1};
	struct store_task *items = NULL;
	struct req_page page;
	struct store_conn *c;
	struct yerr e = {0};
	int64_t total = 0;
	size_t n = 0;
	int today = app_today(r), near = -1, rc;
	json_t *list, *arr;

	if (req_paging(r, REQ_PAGE_DEFAULT, REQ_PAGE_MAX, &page) < 0)
		return;
	if (due == NULL || *due == '\0')
		due = "all";
	if (strcmp(due, "overdue") != 0 && strcmp(due, "near_due") != 0 && strcmp(due, "all") != 0)
		return reply_error(r, 400, "invalid_due", "due",
				   "due 只能是 overdue（已超期）、near_due（临近到期）或 all");
	if (dept != NULL && *dept != '\0' && strcmp(dept, r->who.department) != 0)
		return reply_error(r, 403, "wrong_department", "department",
				   "只能查看本部门（%s）的办理时限",
				   r->who.department[0] ? r->who.department : "无");
	if (r->who.roles & ROLE_BIT(ROLE_WINDOW_CLERK))
		f.department = NULL;
	else if (r->who.department[0] == '\0')
		return reply_error(r, 403, "wrong_department", "department",
				   "当前账号不属于任何部门");
	pthread_rwlock_rdlock(&r->app->cal_lock);
	if (strcmp(due, "overdue") == 0) {
		f.to_day = today - 1;
	} else if (strcmp(due, "near_due") == 0) {
		f.from_day = today;
		rc = deadline_add(r->app->cal, today, APP_NEAR_DAYS, &near, NULL, &e);
		if (rc < 0) {
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
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, app_task_json(r, &items[i]));
	free(items);
	list = req_list_json(arr, total, &page);
	json_object_set_new(list, "due", json_string(due));
	json_object_set_new(list, "department",
			    f.department ? json_string(f.department) : json_null());
	json_object_set_new(list, "today", day_json(today));
	json_object_set_new(list, "near_days", json_integer(APP_NEAR_DAYS));
	reply_json(r, 200, list);
}
