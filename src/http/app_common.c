/*
 * app_common.c — what every application handler shares (applications.h):
 * today, who may see an application, the caller as the workflow sees them,
 * loading {id}, the notice re-derived from the frozen catalog version and
 * answers, refusals naming the current state, and the JSON shapes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "http/app_life.h"
#include "http/applications.h"
#include "store/store_catalog.h"

/* shared ------------------------------------------------------------------------ */

int app_today(const struct req *r)
{
	const char *t = r->app->cfg.today;
	int day;

	if (t[0] && date_parse(t, strlen(t), &day) == 0)
		return day;
	return date_today_shanghai(app_now(r->app));
}

static bool involves(const struct store_app *a, const char *department)
{
	for (size_t i = 0; department && department[0] && i < a->wf.ndepts; i++)
		if (strcmp(a->wf.depts[i].code, department) == 0)
			return true;
	return false;
}

bool app_visible(const struct req *r, const struct store_app *a)
{
	const struct principal *p = &r->who;

	if (p->kind == PRINCIPAL_TOKEN)
		return true;
	if ((p->roles & ROLE_BIT(ROLE_APPLICANT)) && a->applicant_id == p->id)
		return true;
	if ((p->roles & ROLE_BIT(ROLE_WINDOW_CLERK)) &&
	    (a->wf.status != APP_DRAFT || a->created_by == p->id))
		return true;
	/* lic-core: the issuer (政务服务办) licenses the approved applications
	 * of the whole district, whichever departments reviewed them, and sees
	 * the others coming (not drafts). */
	if ((p->roles & ROLE_BIT(ROLE_ISSUER)) && a->wf.status != APP_DRAFT)
		return true;
	if ((p->roles & (ROLE_BIT(ROLE_REVIEWER) | ROLE_BIT(ROLE_INSPECTOR) |
			 ROLE_BIT(ROLE_ISSUER) | ROLE_BIT(ROLE_SUPERVISOR))) &&
	    a->wf.status != APP_DRAFT && involves(a, p->department))
		return true;
	return false;
}

void app_actor(const struct req *r, const struct store_app *a, struct wf_actor *actor)
{
	actor->roles = r->who.roles;
	actor->department = r->who.department;
	actor->owner = r->who.kind != PRINCIPAL_TOKEN && a->applicant_id == r->who.id;
}

int app_load(struct req *r, struct store_conn *c, bool lock, int64_t *id, struct store_app *a)
{
	struct yerr e = {0};

	memset(a, 0, sizeof(*a));
	if (req_path_id(r, "id", "application_not_found", id) < 0)
		return -1;
	snprintf(r->audit_object, sizeof(r->audit_object), "application:%lld", (long long)*id);
	if (store_app_get(c, req_district(r), *id, lock, a, &e) < 0) {
		reply_yerr(r, &e);
		return -1;
	}
	if (!app_visible(r, a)) {
		store_app_free(a);
		reply_error(r, 404, "application_not_found", NULL, "申请不存在");
		return -1;
	}
	return 0;
}

int app_notice_open(struct req *r, struct store_conn *c, const struct store_app *a,
		    struct app_notice *n, struct yerr *e)
{
	json_t *answers;

	memset(n, 0, sizeof(*n));
	pthread_rwlock_rdlock(&r->app->catalog_lock);
	if (r->app->catalog != NULL && r->app->catalog_version == a->catalog_version) {
		n->cat = r->app->catalog;
		n->locked = true;
	} else {
		char *doc = NULL;
		long v = 0;

		pthread_rwlock_unlock(&r->app->catalog_lock);
		if (store_catalog_document(c, req_district(r), a->catalog_version, &doc, &v, e) <
			0 ||
		    catalog_parse_document(doc, strlen(doc), &n->owned, e) < 0) {
			free(doc);
			return -1;
		}
		free(doc);
		n->cat = n->owned;
	}
	answers = json_loads(a->answers ? a->answers : "{}", 0, NULL);
	if (guide_run(n->cat, a->industry, answers, &n->g, e) < 0) {
		json_decref(answers);
		return -1;
	}
	json_decref(answers);
	n->have_g = true;
	return 0;
}

void app_notice_close(struct req *r, struct app_notice *n)
{
	if (n->have_g)
		guide_result_free(&n->g);
	if (n->locked)
		pthread_rwlock_unlock(&r->app->catalog_lock);
	catalog_free(n->owned);
	memset(n, 0, sizeof(*n));
}

void app_reply_err(struct req *r, const struct yerr *e, const struct store_app *a)
{
	json_t *body;

	if (a == NULL || strcmp(e->code, "invalid_state") != 0)
		return reply_yerr(r, e);
	body = http_error_body(e->code, e->message, e->field);
	json_object_set_new(json_object_get(body, "error"), "status",
			    json_string(workflow_status_name(a->wf.status)));
	reply_json(r, e->status, body);
}

static void reply_application(struct req *r, struct store_conn *c, const struct store_app *a,
			      int status);
static json_t *app_json_opt(struct req *r, struct store_conn *c, const struct store_app *a,
			    bool full, bool notice);

void app_finish(struct req *r, struct store_conn *c, struct store_app *a, int rc,
		const char *detail, int status, struct yerr *e)
{
	if (rc == 0)
		rc = req_audit_commit(r, c, r->audit_object, detail, e);
	if (rc < 0)
		app_reply_err(r, e, a->id ? a : NULL);
	else
		reply_application(r, c, a, status);
	store_release(c);
	store_app_free(a);
}

/* The answer of a write: {"application": …} with the frozen notice copied in
 * as the text it is stored as, last. Parsing the notice (about 8 kB) only to
 * print it again was a fifth of the cost of creating an application. */
static void reply_application(struct req *r, struct store_conn *c, const struct store_app *a,
			      int status)
{
	json_t *o = json_pack("{s:o}", "application", app_json_opt(r, c, a, true, false));
	char *head = json_dumps(o, JSON_COMPACT);
	const char *notice = a->notice && a->notice[0] ? a->notice : "{}";
	size_t hlen, nlen = strlen(notice), len;
	char *body;

	json_decref(o); /* it leaked with every write's answer */
	if (head == NULL)
		abort();
	/* head ends with the "}}" closing the application and the body */
	hlen = strlen(head);
	len = hlen - 2 + strlen(",\"notice\":") + nlen + 2;
	body = malloc(len + 1);
	if (body == NULL || hlen < 2 || strcmp(head + hlen - 2, "}}") != 0)
		abort();
	snprintf(body, len + 1, "%.*s,\"notice\":%s}}", (int)(hlen - 2), head, notice);
	free(head);
	reply_raw(r, status, "application/json; charset=utf-8", body, len);
	free(body);
}

/* JSON ------------------------------------------------------------------------------ */

json_t *app_day_json(int day)
{
	char buf[16];

	store_day_text(day, buf);
	return buf[0] ? json_string(buf) : json_null();
}

json_t *app_time_json(int64_t t)
{
	return t ? json_integer(t) : json_null();
}

json_t *app_text_json(const char *text, const char *dflt)
{
	json_t *v = json_loads(text ? text : dflt, JSON_DECODE_ANY, NULL);

	return v ? v : json_loads(dflt, JSON_DECODE_ANY, NULL);
}

static const char *holder_label(const char *holder)
{
	if (strcmp(holder, "applicant") == 0)
		return "申请人（待补充或修改）";
	if (strcmp(holder, "window") == 0)
		return "综合受理窗口";
	return holder[0] ? "审查部门" : "无（已办结）";
}

static json_t *deadline_json(struct req *r, const struct store_app *a)
{
	bool paused = a->wf.status == APP_SUPPLEMENT_REQUESTED || a->wf.status == APP_RETURNED;
	int today = app_today(r), due;
	enum deadline_state st;
	long left = 0;

	pthread_rwlock_rdlock(&r->app->cal_lock);
	due = store_app_due(a, r->app->cal, today);
	st = deadline_classify(r->app->cal, due, today, APP_NEAR_DAYS, paused, &left);
	pthread_rwlock_unlock(&r->app->cal_lock);
	if (due < 0)
		return json_null();
	return json_pack("{s:o,s:s,s:I,s:I,s:b}", "due_date", app_day_json(due), "state",
			 a->clock_stopped ? "stopped" : deadline_state_name(st), "days_left",
			 (json_int_t)(a->clock_stopped ? 0 : left), "time_limit_days",
			 (json_int_t)a->time_limit_days, "paused", paused);
}

static json_t *depts_json(const struct store_app *a)
{
	json_t *out = json_array();

	for (size_t i = 0; i < a->wf.ndepts; i++) {
		const struct wf_dept *d = &a->wf.depts[i];
		const struct store_app_dept *x = &a->dinfo[i];

		json_array_append_new(
		    out, json_pack("{s:s,s:s,s:s,s:o,s:s?,s:s?,s:o,s:I}", "code", d->code, "review",
				   workflow_review_name(d->review), "inspect",
				   workflow_inspect_name(d->inspect), "rectify_due",
				   d->inspect == WF_INSPECT_RECTIFY ? app_day_json(d->rectify_due)
								    : json_null(),
				   "reason", x->reason, "legal_basis", x->legal_basis, "decided_at",
				   app_time_json(x->decided_at), "review_days",
				   (json_int_t)d->review_days));
	}
	return out;
}

static json_t *permits_json(const struct store_app *a)
{
	json_t *out = json_array();

	for (size_t i = 0; i < a->wf.npermits; i++) {
		const struct wf_permit *p = &a->wf.permits[i];

		json_array_append_new(out, json_pack("{s:s,s:s,s:I,s:I}", "code", p->code,
						     "department", p->department, "committed",
						     (json_int_t)p->committed, "verify_days",
						     (json_int_t)p->verify_days));
	}
	return out;
}

static json_t *timeline_json(struct req *r, struct store_conn *c, int64_t id)
{
	struct store_app_history *h = NULL;
	struct yerr e = {0};
	json_t *out = json_array();
	size_t n = 0;

	if (store_app_history_list(c, req_district(r), id, &h, &n, &e) < 0)
		return out;
	for (size_t i = 0; i < n; i++)
		json_array_append_new(
		    out, json_pack("{s:i,s:s,s:s?,s:s?,s:{s:I,s:s,s:s},s:s?,s:s?,s:o,s:I}", "seq",
				   h[i].seq, "action", h[i].action, "from", h[i].from_status, "to",
				   h[i].to_status, "actor", "id", (json_int_t)h[i].actor_id, "name",
				   h[i].actor_name ? h[i].actor_name : "", "role",
				   h[i].actor_role ? h[i].actor_role : "", "department",
				   h[i].department, "reason", h[i].reason, "detail",
				   app_text_json(h[i].detail, "{}"), "at", (json_int_t)h[i].at));
	store_app_history_free(h, n);
	return out;
}

json_t *app_task_json(struct req *r, const struct store_task *t)
{
	int today = app_today(r);
	enum deadline_state st;
	long left = 0;

	pthread_rwlock_rdlock(&r->app->cal_lock);
	st = deadline_classify(r->app->cal, t->due_day, today, APP_NEAR_DAYS, false, &left);
	pthread_rwlock_unlock(&r->app->cal_lock);
	return json_pack(
	    "{s:I,s:{s:I,s:s,s:s,s:s},s:s,s:s,s:s?,s:s?,s:s,s:o,s:s?,s:I,s:I,s:o}", "id",
	    (json_int_t)t->id, "application", "id", (json_int_t)t->application_id, "number",
	    t->number, "industry", t->industry, "status", t->status, "kind", t->kind, "role",
	    t->role, "department", t->department[0] ? t->department : NULL, "permit",
	    t->permit[0] ? t->permit : NULL, "state", t->state, "due_date",
	    app_day_json(t->due_day), "deadline_state",
	    t->due_day >= 0 && strcmp(t->state, "open") == 0 ? deadline_state_name(st) : NULL,
	    "days_left", (json_int_t)left, "created_at", (json_int_t)t->created_at, "closed_at",
	    app_time_json(t->closed_at));
}

json_t *app_json(struct req *r, struct store_conn *c, const struct store_app *a, bool full)
{
	return app_json_opt(r, c, a, full, full);
}

/* notice: include the frozen notice (parsed); reply_application copies it
 * in as text instead. */
static json_t *app_json_opt(struct req *r, struct store_conn *c, const struct store_app *a,
			    bool full, bool notice)
{
	json_t *o = json_pack(
	    "{s:I,s:s,s:s,s:s,s:I,s:s,s:I,s:I,s:b,s:s,s:s,s:o,s:i,s:I,s:o,s:o,s:I}", "id",
	    (json_int_t)a->id, "number", a->number, "status", workflow_status_name(a->wf.status),
	    "status_label", workflow_status_label(a->wf.status), "version", (json_int_t)a->version,
	    "industry", a->industry, "catalog_version", (json_int_t)a->catalog_version,
	    "applicant_id", (json_int_t)a->applicant_id, "walk_in", a->walk_in, "holder", a->holder,
	    "holder_label", holder_label(a->holder), "deadline", deadline_json(r, a), "rounds",
	    a->wf.rounds, "created_at", (json_int_t)a->created_at, "submitted_at",
	    app_time_json(a->submitted_at), "decided_at", app_time_json(a->decided_at),
	    "updated_at", (json_int_t)a->updated_at);
	struct store_task *tasks = NULL;
	struct yerr e = {0};
	char **ids = NULL;
	size_t n = 0;
	json_t *arr;

	if (!full)
		return o;
	app_life_json(r, c, a, o); /* kind, license, change */
	json_object_set_new(o, "answers", app_text_json(a->answers, "{}"));
	if (notice)
		json_object_set_new(o, "notice", app_text_json(a->notice, "{}"));
	json_object_set_new(o, "form", app_text_json(a->form, "{}"));
	json_object_set_new(o, "prefilled", app_text_json(a->prefilled, "[]"));
	json_object_set_new(o, "commitments", app_text_json(a->commitments, "[]"));
	json_object_set_new(o, "all_committed", json_boolean(a->wf.all_committed));
	json_object_set_new(o, "departments", depts_json(a));
	json_object_set_new(o, "permits", permits_json(a));
	json_object_set_new(o, "timeline", timeline_json(r, c, a->id));
	arr = json_array();
	if (store_tasks_of_app(c, req_district(r), a->id, &tasks, &n, &e) == 0)
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, app_task_json(r, &tasks[i]));
	free(tasks);
	json_object_set_new(o, "tasks", arr);
	arr = json_array();
	if (store_app_material_ids(c, req_district(r), a->id, &ids, &n, &e) == 0)
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, json_string(ids[i]));
	store_strings_free(ids, n);
	json_object_set_new(o, "materials", arr);
	return o;
}
