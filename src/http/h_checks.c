/*
 * h_checks.c — check tasks and their results (issue 13; docs/api-supervision.md
 * "Check tasks and results"):
 *   GET  /api/v1/supervision/tasks                 supervision.tasks (?mine=1: mine)
 *   GET  /api/v1/supervision/tasks/{id}            supervision.tasks
 *   POST /api/v1/supervision/tasks/{id}/result     supervision.check (its inspectors)
 *   POST /api/v1/supervision/tasks/{id}/publish    supervision.plans (plan's departments)
 *   GET  /api/v1/supervision/results               public: published results
 * A 责令整改 result opens a follow-up check due on its deadline; every result
 * is due for publication 20 working days after it is recorded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "core/deadline.h"
#include "core/roles.h"
#include "http/accounts.h"
#include "http/applications.h"
#include "http/plans.h"
#include "store/store_credit.h"

static const char *const results[] = {"passed", "rectify", "failed", "not_found"};

static int assigned(const struct store_check *t, int64_t user)
{
	for (size_t i = 0; i < t->ninspectors; i++)
		if (t->inspectors[i].user_id == user)
			return 1;
	return 0;
}

static int task_visible(const struct req *r, const struct store_check *t, const char *departments)
{
	return assigned(t, r->who.id) ||
	       ((r->who.roles & ROLE_BIT(ROLE_SUPERVISOR)) && plan_concerns_me(r, departments));
}

static json_t *load_or_null(const char *text)
{
	json_t *v = text ? json_loads(text, 0, NULL) : NULL;

	return v ? v : json_null();
}

static json_t *task_json(const struct store_check *t, int today, int public_view)
{
	const char *pstate = "not_due";
	json_t *o, *ins;
	int due;

	if (t->published_at)
		pstate = "published";
	else if (t->publish_due[0])
		pstate =
		    date_parse(t->publish_due, strlen(t->publish_due), &due) == 0 && today > due
			? "overdue"
			: "pending";
	o = json_pack("{s:I,s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o}", "id", (json_int_t)t->id,
		      "plan_id", (json_int_t)t->plan_id, "plan", t->plan_code, "kind", t->kind,
		      "uscc", t->uscc, "entity_name", t->entity_name ? t->entity_name : "",
		      "industry", t->industry ? t->industry : "", "grade", t->grade, "status",
		      t->status, "due_on", t->due_on, "check_items", load_or_null(t->check_items));
	json_object_set_new(o, "outcome", t->outcome[0] ? json_string(t->outcome) : json_null());
	json_object_set_new(o, "results", load_or_null(t->results));
	json_object_set_new(o, "done_on", t->done_on[0] ? json_string(t->done_on) : json_null());
	json_object_set_new(o, "parent_id",
			    t->parent_id ? json_integer(t->parent_id) : json_null());
	json_object_set_new(o, "draw_id", t->draw_id ? json_integer(t->draw_id) : json_null());
	json_object_set_new(o, "published_at",
			    t->published_at ? json_integer(t->published_at) : json_null());
	if (public_view) /* the outcome, not the notes or who inspected */
		return o;
	ins = json_array();
	for (size_t i = 0; i < t->ninspectors; i++)
		json_array_append_new(ins, json_pack("{s:I,s:s}", "user_id",
						     (json_int_t)t->inspectors[i].user_id,
						     "department", t->inspectors[i].department));
	json_object_set_new(o, "inspectors", ins);
	json_object_set_new(o, "reason", t->reason ? json_string(t->reason) : json_null());
	json_object_set_new(o, "notes", t->notes ? json_string(t->notes) : json_null());
	json_object_set_new(o, "publish_due",
			    t->publish_due[0] ? json_string(t->publish_due) : json_null());
	json_object_set_new(o, "publication", json_string(pstate));
	return o;
}

static void reply_tasks(struct req *r, const struct store_check_filter *f, int public_view)
{
	struct store_check *ts = NULL;
	struct store_conn *c;
	struct req_page page;
	struct yerr e = {0};
	int64_t total = 0;
	int n = 0, rc, today = app_today(r);
	json_t *items;

	if (req_paging(r, REQ_PAGE_DEFAULT, REQ_PAGE_MAX, &page) < 0 || req_acquire(r, &c) < 0)
		return;
	rc = store_checks_list(c, req_district(r), f, page.limit, page.offset, &ts, &n, &total, &e);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, task_json(&ts[i], today, public_view));
	store_checks_free(ts, n);
	reply_json(r, 200, req_list_json(items, total, &page));
}

void h_checks_list(struct req *r)
{
	struct store_check_filter f = {0};
	long long mine = 0, plan = 0;

	const char *pub = NULL;
	char today[11];

	if (req_query_int(r, "mine", 0, 0, 1, &mine) < 0 ||
	    req_query_int(r, "plan", 0, 0, INT64_MAX, &plan) < 0 ||
	    req_query_text(r, "publication", 16, &pub) < 0)
		return;
	if (pub && strcmp(pub, "pending") != 0 && strcmp(pub, "overdue") != 0)
		return reply_error(r, 400, "invalid_publication", "publication",
				   "publication 须为 pending（待公示）或 overdue（公示超期）");
	date_format(app_today(r), today, sizeof(today));
	f.unpublished = pub != NULL;
	f.due_before = pub && strcmp(pub, "overdue") == 0 ? today : NULL;
	/* an inspector sees the checks they are on; a supervisor their
	   department's plans' checks (or, with mine=1, their own if any) */
	if (mine || !(r->who.roles & ROLE_BIT(ROLE_SUPERVISOR)) || !r->who.department[0])
		f.inspector = r->who.id > 0 ? r->who.id : -1;
	else
		f.department = r->who.department;
	if (f.inspector < 0)
		return reply_json(r, 200, req_list_json(json_array(), 0, NULL));
	f.plan_id = plan;
	reply_tasks(r, &f, 0);
}

void h_results_public(struct req *r)
{
	struct store_check_filter f = {.published_only = 1};
	const char *uscc = NULL;

	if (req_query_text(r, "uscc", 18, &uscc) < 0)
		return;
	f.uscc = uscc;
	reply_tasks(r, &f, 1);
}

/* Loads task {id} visible to the caller: 404 otherwise (403 for a task of
 * other departments). departments receives the plan's (owned). */
static int task_load(struct req *r, struct store_conn *c, int for_update, struct store_check *t,
		     struct store_plan *p, struct yerr *e)
{
	int64_t id;

	memset(t, 0, sizeof(*t));
	memset(p, 0, sizeof(*p));
	if (args_int(req_param(r, "id"), 1, INT64_MAX, (long long *)&id) < 0)
		return yerr_set(e, 404, "task_not_found", NULL, "检查任务不存在");
	snprintf(r->audit_object, sizeof(r->audit_object), "check_task:%lld", (long long)id);
	if (store_check_get(c, req_district(r), id, for_update, t, e) < 0)
		return -1;
	if (store_plan_get(c, req_district(r), t->plan_id, 0, p, e) < 0)
		return -1;
	if (!task_visible(r, t, p->departments))
		return yerr_set(e, 403, "not_your_task", NULL, "这不是您或您部门的检查任务");
	return 0;
}

void h_check_get(struct req *r)
{
	struct store_check t = {0};
	struct store_plan p = {0};
	struct store_conn *c;
	struct yerr e = {0};
	int rc;

	if (req_acquire(r, &c) < 0)
		return;
	rc = task_load(r, c, 0, &t, &p, &e);
	store_release(c);
	if (rc == 0)
		reply_json(r, 200, json_pack("{s:o}", "task", task_json(&t, app_today(r), 0)));
	else
		reply_yerr(r, &e);
	store_check_free(&t);
	store_plan_free(&p);
}

/* The items of a result, one per check item of the task, in its order:
 * [{"code","result","note","deadline"}] → the stored array (with names) and
 * the overall outcome (failed > rectify > not_found > passed) and the last
 * rectification deadline. */
static int result_items(struct req *r, const struct store_check *t, int today, json_t **out,
			const char **outcome, int *deadline, json_t **rect_items)
{
	json_t *given = json_object_get(r->json, "items"), *items, *it;
	int worst = 0; /* index into rank */
	static const char *const rank[] = {"passed", "not_found", "rectify", "failed"};
	size_t i;

	items = json_loads(t->check_items ? t->check_items : "[]", 0, NULL);
	*out = json_array();
	*rect_items = json_array();
	*deadline = 0;
	if (!json_is_array(given) || json_array_size(given) != json_array_size(items)) {
		json_decref(items);
		reply_error(r, 400, "invalid_items", "items",
			    "请对本任务的每个检查事项（共 %zu 项）逐项录入结果",
			    json_array_size(items));
		return -1;
	}
	json_array_foreach (items, i, it) {
		const char *code = json_string_value(json_object_get(it, "code"));
		json_t *g = NULL, *x;
		const char *res, *note = NULL, *dl;
		struct yerr e = {0};
		char field[48];
		size_t k;
		int known = 0, day = 0;

		json_array_foreach (given, k, x)
			if (json_is_object(x) && json_string_value(json_object_get(x, "code")) &&
			    strcmp(json_string_value(json_object_get(x, "code")), code) == 0)
				g = x;
		snprintf(field, sizeof(field), "items[%zu]", i);
		if (g == NULL) {
			json_decref(items);
			reply_error(r, 400, "missing_item", field, "缺少检查事项 %s 的结果", code);
			return -1;
		}
		res = json_string_value(json_object_get(g, "result"));
		for (k = 0; res && k < sizeof(results) / sizeof(results[0]); k++)
			known |= strcmp(res, results[k]) == 0;
		if (!known || args_text(g, "note", ARG_MULTILINE, 2000, &note, &e) < 0) {
			json_decref(items);
			reply_error(
			    r, 400, known ? e.code : "invalid_result", field,
			    "结果须为 passed（合格）、rectify（责令整改）、failed（不合格）或 "
			    "not_found（未发现经营），备注至多 2000 字");
			return -1;
		}
		dl = json_string_value(json_object_get(g, "deadline"));
		if (strcmp(res, "rectify") == 0 &&
		    (dl == NULL || date_parse(dl, strlen(dl), &day) != 0 || day <= today)) {
			json_decref(items);
			reply_error(r, 400, "invalid_deadline", field,
				    "责令整改须给出晚于今天的整改期限（YYYY-MM-DD）");
			return -1;
		}
		for (k = 0; k < 4; k++)
			if (strcmp(rank[k], res) == 0 && (int)k > worst)
				worst = (int)k;
		if (day > *deadline)
			*deadline = day;
		json_t *row = json_pack("{s:s,s:s,s:s,s:s}", "code", code, "name",
					json_string_value(json_object_get(it, "name")), "basis",
					json_string_value(json_object_get(it, "basis"))
					    ? json_string_value(json_object_get(it, "basis"))
					    : "",
					"result", res);

		json_object_set_new(row, "note", note ? json_string(note) : json_null());
		json_object_set_new(row, "deadline", day ? json_string(dl) : json_null());
		json_array_append_new(*out, row);
		if (day)
			json_array_append(*rect_items, it);
	}
	json_decref(items);
	*outcome = rank[worst];
	return 0;
}

void h_check_result(struct req *r)
{
	static const char *const keys[] = {"items", "notes", NULL};
	struct store_check t = {0};
	struct store_plan p = {0};
	struct store_conn *c;
	struct yerr e = {0};
	const char *notes = NULL, *outcome = NULL;
	json_t *items = NULL, *rect = NULL;
	char *t_items = NULL, *t_rect = NULL, done_on[11], pdue[11], deadline_s[11];
	int today = app_today(r), deadline = 0, due = 0, rc;
	bool provisional = false;
	int64_t follow = 0;

	if (req_body_keys(r, keys) < 0 || req_text(r, "notes", ARG_MULTILINE, 2000, &notes) < 0)
		return;
	if (req_acquire(r, &c) < 0)
		return;
	rc = store_begin(c, &e);
	if (rc == 0)
		rc = task_load(r, c, 1, &t, &p, &e);
	if (rc == 0 && !assigned(&t, r->who.id))
		rc = yerr_set(&e, 403, "not_assigned", NULL, "只有本任务的检查人员可以录入结果");
	if (rc == 0 && strcmp(t.status, "open") != 0)
		rc = yerr_set(&e, 409, "task_done", NULL, "该检查任务已录入结果");
	if (rc == 0 && result_items(r, &t, today, &items, &outcome, &deadline, &rect) < 0) {
		store_release(c);
		goto out; /* answered */
	}
	if (rc == 0) {
		/* publication within 20 working days of the result */
		pthread_rwlock_rdlock(&r->app->cal_lock);
		rc = deadline_add(r->app->cal, today, PLAN_PUBLISH_DAYS, &due, &provisional, &e);
		pthread_rwlock_unlock(&r->app->cal_lock);
	}
	if (rc == 0) {
		date_format(today, done_on, sizeof(done_on));
		date_format(due, pdue, sizeof(pdue));
		t_items = json_dumps(items, JSON_COMPACT);
		rc = store_check_result(c, req_district(r), t.id, outcome, t_items, notes, done_on,
					pdue, r->who.id, app_now(r->app), &e);
	}
	if (rc == 0 && deadline) {
		/* 责令整改: the follow-up check, by the same inspectors, on the deadline */
		struct store_check_in in = {.plan_id = t.plan_id,
					    .draw_id = t.draw_id,
					    .parent_id = t.id,
					    .kind = "follow_up",
					    .uscc = t.uscc,
					    .entity_name = t.entity_name,
					    .industry = t.industry,
					    .grade = t.grade,
					    .reason = "责令整改后复查",
					    .due_on = deadline_s};

		date_format(deadline, deadline_s, sizeof(deadline_s));
		in.check_items = t_rect = json_dumps(rect, JSON_COMPACT);
		in.ninspectors = t.ninspectors;
		memcpy(in.inspectors, t.inspectors, sizeof(in.inspectors));
		rc = store_check_insert(c, req_district(r), &in, app_now(r->app), &follow, &e);
	}
	if (rc == 0 && strcmp(outcome, "failed") == 0) {
		/* a failed check is a credit record of the entity (sup-credit) */
		struct credit_record_in cr = {.uscc = t.uscc,
					      .kind = "failed_check",
					      .ref = r->audit_object,
					      .department =
						  r->who.department[0] ? r->who.department : NULL,
					      .summary = "双随机抽查结果为不合格",
					      .day = today,
					      .today = today,
					      .created_by = r->who.id,
					      .now = app_now(r->app)};

		rc = credit_record_add(c, req_district(r), &cr, &e);
	}
	if (rc == 0)
		rc = req_audit_commit(r, c, r->audit_object, NULL, &e);
	if (rc == 0) {
		store_check_free(&t);
		store_plan_free(&p);
		rc = task_load(r, c, 0, &t, &p, &e);
	}
	store_release(c);
	if (rc < 0)
		reply_yerr(r, &e);
	else {
		json_t *o = json_pack("{s:o}", "task", task_json(&t, today, 0));

		json_object_set_new(o, "follow_up", follow ? json_integer(follow) : json_null());
		reply_json(r, 200, o);
	}
out:
	store_check_free(&t);
	store_plan_free(&p);
	json_decref(items);
	json_decref(rect);
	free(t_items);
	free(t_rect);
}

void h_check_publish(struct req *r)
{
	struct store_check t = {0};
	struct store_plan p = {0};
	struct store_conn *c;
	struct yerr e = {0};
	char *detail = NULL;
	int rc;

	if (req_acquire(r, &c) < 0)
		return;
	rc = store_begin(c, &e);
	if (rc == 0)
		rc = task_load(r, c, 1, &t, &p, &e);
	if (rc == 0 && !plan_concerns_me(r, p.departments))
		rc = yerr_set(&e, 403, "not_your_department", NULL,
			      "只有计划所涉部门的监管人员可以公示结果");
	if (rc == 0)
		rc = store_check_publish(c, req_district(r), t.id, app_now(r->app), &e);
	if (rc == 0) {
		json_t *ev =
		    json_pack("{s:I,s:s,s:s,s:s,s:s}", "task_id", (json_int_t)t.id, "plan",
			      t.plan_code, "uscc", t.uscc, "kind", t.kind, "outcome", t.outcome);

		detail = json_dumps(ev, JSON_COMPACT);
		json_decref(ev);
		rc = store_plans_event(c, req_district(r), "result", r->audit_object, detail, &e);
	}
	if (rc == 0)
		rc = req_audit_commit(r, c, r->audit_object, NULL, &e);
	if (rc == 0) {
		store_check_free(&t);
		store_plan_free(&p);
		rc = task_load(r, c, 0, &t, &p, &e);
	}
	store_release(c);
	if (rc < 0)
		reply_yerr(r, &e);
	else
		reply_json(r, 200, json_pack("{s:o}", "task", task_json(&t, app_today(r), 0)));
	store_check_free(&t);
	store_plan_free(&p);
	free(detail);
}
