/*
 * h_applications.c — applications (docs/api-applications.md), and what
 * every application handler shares (applications.h):
 *   POST  /api/v1/applications                    from a completed guide
 *   GET   /api/v1/applications?status=&limit=&offset=
 *   GET   /api/v1/applications/{id}               with timeline, holder, due date
 *   PATCH /api/v1/applications/{id}               the one form (draft saves)
 *   POST  /api/v1/applications/{id}/precheck      审前服务: everything missing at once
 *   POST  /api/v1/applications/{id}/commitments   告知承诺
 * The transitions (submit, accept, …), tasks and notifications are in
 * h_app_flow.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "core/form.h"
#include "http/applications.h"
#include "store/store_account.h"
#include "store/store_catalog.h"

/* shared ------------------------------------------------------------------------ */

int app_today(const struct req *r)
{
	const char *t = r->app->cfg.today;
	int day;

	if (t[0] && date_parse(t, strlen(t), &day) == 0)
		return day;
	return date_today_shanghai(time(NULL));
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

/* JSON ------------------------------------------------------------------------------ */

static json_t *day_json(int day)
{
	char buf[16];

	store_day_text(day, buf);
	return buf[0] ? json_string(buf) : json_null();
}

static json_t *time_json(int64_t t)
{
	return t ? json_integer(t) : json_null();
}

static json_t *text_json(const char *text, const char *dflt)
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
	return json_pack("{s:o,s:s,s:I,s:I,s:b}", "due_date", day_json(due), "state",
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
		    out,
		    json_pack("{s:s,s:s,s:s,s:o,s:s?,s:s?,s:o,s:I}", "code", d->code, "review",
			      workflow_review_name(d->review), "inspect",
			      workflow_inspect_name(d->inspect), "rectify_due",
			      d->inspect == WF_INSPECT_RECTIFY ? day_json(d->rectify_due)
							       : json_null(),
			      "reason", x->reason, "legal_basis", x->legal_basis, "decided_at",
			      time_json(x->decided_at), "review_days", (json_int_t)d->review_days));
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
				   text_json(h[i].detail, "{}"), "at", (json_int_t)h[i].at));
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
	    t->permit[0] ? t->permit : NULL, "state", t->state, "due_date", day_json(t->due_day),
	    "deadline_state",
	    t->due_day >= 0 && strcmp(t->state, "open") == 0 ? deadline_state_name(st) : NULL,
	    "days_left", (json_int_t)left, "created_at", (json_int_t)t->created_at, "closed_at",
	    time_json(t->closed_at));
}

json_t *app_json(struct req *r, struct store_conn *c, const struct store_app *a, bool full)
{
	json_t *o = json_pack(
	    "{s:I,s:s,s:s,s:s,s:I,s:s,s:I,s:I,s:b,s:s,s:s,s:o,s:i,s:I,s:o,s:o,s:I}", "id",
	    (json_int_t)a->id, "number", a->number, "status", workflow_status_name(a->wf.status),
	    "status_label", workflow_status_label(a->wf.status), "version", (json_int_t)a->version,
	    "industry", a->industry, "catalog_version", (json_int_t)a->catalog_version,
	    "applicant_id", (json_int_t)a->applicant_id, "walk_in", a->walk_in, "holder", a->holder,
	    "holder_label", holder_label(a->holder), "deadline", deadline_json(r, a), "rounds",
	    a->wf.rounds, "created_at", (json_int_t)a->created_at, "submitted_at",
	    time_json(a->submitted_at), "decided_at", time_json(a->decided_at), "updated_at",
	    (json_int_t)a->updated_at);
	struct store_task *tasks = NULL;
	struct yerr e = {0};
	char **ids = NULL;
	size_t n = 0;
	json_t *arr;

	if (!full)
		return o;
	json_object_set_new(o, "answers", text_json(a->answers, "{}"));
	json_object_set_new(o, "notice", text_json(a->notice, "{}"));
	json_object_set_new(o, "form", text_json(a->form, "{}"));
	json_object_set_new(o, "prefilled", text_json(a->prefilled, "[]"));
	json_object_set_new(o, "commitments", text_json(a->commitments, "[]"));
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

/* POST /api/v1/applications ------------------------------------------------------- */

/* Who the application is for: the caller, or for a window clerk's walk-in
 * entry the named applicant account or market entity. */
static int resolve_applicant(struct req *r, struct store_conn *c, int64_t *applicant,
			     int64_t *entity, bool *walk_in)
{
	const char *username = NULL, *uscc = NULL;
	struct store_user u;
	struct yerr e = {0};

	*walk_in = false;
	if (req_text(r, "applicant", 0, USERNAME_MAX, &username) < 0 ||
	    req_text(r, "entity", 0, 18, &uscc) < 0)
		return -1;
	if (r->who.roles & ROLE_BIT(ROLE_APPLICANT)) {
		if (username || uscc) {
			reply_error(r, 400, "unknown_field", username ? "applicant" : "entity",
				    "只有窗口人员代为录入时才能指定申请人");
			return -1;
		}
		*applicant = r->who.id;
		*entity = r->who.entity_id;
		return 0;
	}
	if (!username && !uscc) {
		reply_error(
		    r, 400, "applicant_required", "applicant",
		    "窗口代为录入须指定申请人账号（applicant）或统一社会信用代码（entity）");
		return -1;
	}
	if (username && store_user_get_by_name(c, username, &u, &e) < 0) {
		if (e.status != 404)
			return reply_yerr(r, &e), -1;
		reply_error(r, 400, "unknown_applicant", "applicant", "申请人账号 %s 不存在",
			    username);
		return -1;
	}
	if (!username && store_app_applicant_by_uscc(c, req_district(r), uscc, &u.id, &e) < 0) {
		if (e.status != 404)
			return reply_yerr(r, &e), -1;
		reply_error(r, 400, "unknown_entity", "entity",
			    "统一社会信用代码 %s 没有对应的申请人账号", uscc);
		return -1;
	}
	if (!username && store_user_get(c, req_district(r), u.id, &u, &e) < 0)
		return reply_yerr(r, &e), -1;
	if (!(u.roles & ROLE_BIT(ROLE_APPLICANT)) || u.disabled) {
		reply_error(r, 400, "unknown_applicant", "applicant",
			    "账号 %s 不是可用的申请人账号", u.username);
		return -1;
	}
	*applicant = u.id;
	*entity = u.entity_id;
	*walk_in = true;
	return 0;
}

/* The draft from the guide: notice, workflow state, pre-filled form.
 * Holds the catalog lock only while it runs. */
static int draft_from_guide(struct req *r, const char *industry, const json_t *answers,
			    const char *entity_src, const char *latest_src, struct store_app *a)
{
	const json_t *sources[2];
	struct guide_result g;
	struct yerr e = {0};
	json_t *notice, *form, *prefilled;
	size_t nsrc = 0;
	long version;

	if (entity_src && (sources[nsrc] = json_loads(entity_src, 0, NULL)))
		nsrc++;
	if (latest_src && (sources[nsrc] = json_loads(latest_src, 0, NULL)))
		nsrc++;
	pthread_rwlock_rdlock(&r->app->catalog_lock);
	if (r->app->catalog == NULL) {
		pthread_rwlock_unlock(&r->app->catalog_lock);
		yerr_set(&e, 503, "catalog_unavailable", NULL, "行业目录尚未导入或未启用任何版本");
		goto fail;
	}
	version = r->app->catalog_version;
	if (guide_run(r->app->catalog, industry, answers, &g, &e) < 0) {
		pthread_rwlock_unlock(&r->app->catalog_lock);
		goto fail;
	}
	if (!g.complete) {
		char field[96];

		snprintf(field, sizeof(field), "answers.%s", g.next_questions[0]->id);
		yerr_set(&e, 400, "incomplete_guide", field, "请先回答导办问题：%s（%s）",
			 g.next_questions[0]->text, g.next_questions[0]->id);
	} else if (workflow_init(&a->wf, &g, NULL, 0, NULL, 0, APP_VERIFY_DAYS_DEFAULT,
				 APP_ACCEPTANCE_DAYS, &e) == 0) {
		form = json_object();
		prefilled = json_array();
		form_prefill(g.fields, g.nfields, form, sources, nsrc, app_today(r), prefilled);
		notice = guide_result_to_json(&g, version);
		a->notice = json_dumps(notice, JSON_COMPACT);
		a->answers = json_dumps(g.answers, JSON_COMPACT);
		a->form = json_dumps(form, JSON_COMPACT);
		a->prefilled = json_dumps(prefilled, JSON_COMPACT);
		a->commitments = strdup("[]");
		a->catalog_version = version;
		a->time_limit_days = g.time_limit_days;
		snprintf(a->industry, sizeof(a->industry), "%s", g.industry->code);
		json_decref(notice);
		json_decref(form);
		json_decref(prefilled);
		e.status = 0;
	}
	guide_result_free(&g);
	pthread_rwlock_unlock(&r->app->catalog_lock);
	if (e.status == 0) {
		for (size_t i = 0; i < nsrc; i++)
			json_decref((json_t *)sources[i]);
		return 0;
	}
fail:
	for (size_t i = 0; i < nsrc; i++)
		json_decref((json_t *)sources[i]);
	reply_yerr(r, &e);
	return -1;
}

void h_application_create(struct req *r)
{
	static const char *const keys[] = {"industry", "answers", "applicant", "entity", NULL};
	const char *industry;
	char *entity_src = NULL, *latest_src = NULL, detail[96];
	json_t *answers = json_object_get(r->json, "answers");
	struct store_app a;
	struct store_conn *c;
	struct yerr e = {0};
	int64_t now = (int64_t)time(NULL);
	int rc, month, mday;

	memset(&a, 0, sizeof(a));
	if (req_body_keys(r, keys) < 0 ||
	    req_text(r, "industry", ARG_REQUIRED, APP_INDUSTRY_MAX - 1, &industry) < 0)
		return;
	if (json_is_null(answers))
		answers = NULL;
	if (req_acquire(r, &c) < 0)
		return;
	if (resolve_applicant(r, c, &a.applicant_id, &a.entity_id, &a.walk_in) < 0 ||
	    store_app_prefill_sources(c, req_district(r), a.applicant_id, 0, &entity_src,
				      &latest_src, &e) < 0) {
		store_release(c);
		free(entity_src);
		free(latest_src);
		if (!r->replied)
			reply_yerr(r, &e);
		return;
	}
	rc = draft_from_guide(r, industry, answers, entity_src, latest_src, &a);
	free(entity_src);
	free(latest_src);
	if (rc < 0) {
		store_release(c);
		store_app_free(&a);
		return;
	}
	a.created_by = r->who.id;
	a.wf.status = APP_DRAFT;
	date_to_ymd(app_today(r), &a.year, &month, &mday);
	rc = store_begin(c, &e);
	if (rc == 0)
		rc = store_app_insert(c, req_district(r), &a, now, &e);
	if (rc == 0) {
		struct store_app_event ev = {.action = "create",
					     .from = APP_DRAFT,
					     .to = APP_DRAFT,
					     .actor_id = r->who.id,
					     .actor_name = r->who.name,
					     .actor_role = a.walk_in ? "window_clerk" : "applicant",
					     .detail = a.walk_in ? "{\"walk_in\":true}" : NULL};

		rc = store_app_history_add(c, req_district(r), a.id, &ev, now, &e);
	}
	if (rc == 0) {
		snprintf(r->audit_object, sizeof(r->audit_object), "application:%lld",
			 (long long)a.id);
		snprintf(detail, sizeof(detail), "{\"number\":\"%s\",\"walk_in\":%s}", a.number,
			 a.walk_in ? "true" : "false");
		rc = req_audit_commit(r, c, r->audit_object, detail, &e);
	}
	if (rc < 0) {
		store_release(c);
		store_app_free(&a);
		return reply_yerr(r, &e);
	}
	reply_json(r, 201, json_pack("{s:o}", "application", app_json(r, c, &a, true)));
	store_release(c);
	store_app_free(&a);
}

/* GET /api/v1/applications ---------------------------------------------------------- */

static json_t *summary_item(const void *p)
{
	const struct store_app_summary *s = p;
	int st = workflow_status_parse(s->status);

	return json_pack(
	    "{s:I,s:s,s:s,s:s?,s:s,s:I,s:I,s:s,s:b,s:o,s:s,s:I,s:o,s:I}", "id", (json_int_t)s->id,
	    "number", s->number, "status", s->status, "status_label",
	    st >= 0 ? workflow_status_label((enum app_status)st) : NULL, "industry", s->industry,
	    "version", (json_int_t)s->version, "applicant_id", (json_int_t)s->applicant_id,
	    "applicant_name", s->applicant_name, "walk_in", s->walk_in, "due_date",
	    day_json(s->due_day), "holder", s->holder, "created_at", (json_int_t)s->created_at,
	    "submitted_at", time_json(s->submitted_at), "updated_at", (json_int_t)s->updated_at);
}

void h_applications_list(struct req *r)
{
	const char *status = req_query(r, "status");
	struct store_app_filter f = {.viewer_id = r->who.id, .status = status};
	struct store_app_summary *items = NULL;
	const struct principal *p = &r->who;
	struct store_conn *c;
	struct req_page page;
	struct yerr e = {0};
	int64_t total = 0;
	size_t n = 0;
	int rc;

	if (req_paging(r, REQ_PAGE_DEFAULT, REQ_PAGE_MAX, &page) < 0)
		return;
	if (status && workflow_status_parse(status) < 0)
		return reply_error(r, 400, "invalid_status", "status", "未知的申请状态 %.32s",
				   status);
	if (p->kind == PRINCIPAL_TOKEN)
		; /* a read token: the whole district */
	else if (p->roles & ROLE_BIT(ROLE_APPLICANT))
		f.applicant_id = p->id;
	else if (p->roles & ROLE_BIT(ROLE_WINDOW_CLERK))
		f.window = true;
	else
		f.department = p->department;
	if (req_acquire(r, &c) < 0)
		return;
	rc =
	    store_app_list(c, req_district(r), &f, page.limit, page.offset, &items, &n, &total, &e);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	reply_json(r, 200, req_list(items, n, sizeof(*items), summary_item, total, &page));
	free(items);
}

/* Department staff who are neither the window nor the applicant see only
 * what their permits use (workflow_department_view). */
static bool department_only(const struct req *r)
{
	const unsigned wide = ROLE_BIT(ROLE_APPLICANT) | ROLE_BIT(ROLE_WINDOW_CLERK);

	return r->who.kind != PRINCIPAL_TOKEN && !(r->who.roles & wide);
}

/* department_filter removes from o's form, notice fields, notice materials
 * and uploaded materials what the caller's department may not see. */
static int department_filter(struct req *r, struct store_conn *c, const struct store_app *a,
			     json_t *o, struct yerr *e)
{
	json_t *form = json_object_get(o, "form"), *notice = json_object_get(o, "notice");
	json_t *fields = json_array(), *mats = json_array(), *uploaded = json_array(), *v;
	bool *vm, *vf;
	struct app_notice n;
	size_t i;

	if (app_notice_open(r, c, a, &n, e) < 0) {
		app_notice_close(r, &n);
		json_decref(fields);
		json_decref(mats);
		json_decref(uploaded);
		return -1;
	}
	vm = calloc(n.g.nmaterials + 1, sizeof(*vm));
	vf = calloc(n.g.nfields + 1, sizeof(*vf));
	if (vm == NULL || vf == NULL)
		abort();
	workflow_department_view(&n.g, r->who.department, vm, vf);
	for (i = 0; i < n.g.nfields; i++) {
		if (vf[i])
			json_array_append_new(fields, json_deep_copy(n.g.fields[i]->json));
		else
			json_object_del(form, n.g.fields[i]->id);
	}
	json_array_foreach (json_object_get(notice, "materials"), i, v)
		if (i < n.g.nmaterials && vm[i])
			json_array_append(mats, v);
	json_array_foreach (json_object_get(o, "materials"), i, v)
		for (size_t k = 0; k < n.g.nmaterials; k++)
			if (vm[k] &&
			    strcmp(n.g.materials[k].material->id, json_string_value(v)) == 0)
				json_array_append(uploaded, v);
	json_object_set_new(notice, "fields", fields);
	json_object_set_new(notice, "materials", mats);
	json_object_set_new(o, "materials", uploaded);
	json_object_set_new(o, "department_view", json_string(r->who.department));
	free(vm);
	free(vf);
	app_notice_close(r, &n);
	return 0;
}

void h_application_get(struct req *r)
{
	struct store_app a;
	struct store_conn *c;
	struct yerr e = {0};
	int64_t id;
	json_t *o;

	if (req_acquire(r, &c) < 0)
		return;
	if (app_load(r, c, false, &id, &a) < 0) {
		store_release(c);
		return;
	}
	o = app_json(r, c, &a, true);
	if (department_only(r) && department_filter(r, c, &a, o, &e) < 0) {
		json_decref(o);
		store_release(c);
		store_app_free(&a);
		return reply_yerr(r, &e);
	}
	reply_json(r, 200, json_pack("{s:o}", "application", o));
	store_release(c);
	store_app_free(&a);
}

/* PATCH /api/v1/applications/{id} ----------------------------------------------------- */

/* The workflow's verdict on an edit-like action (state, role, ownership). */
static int check_action(struct req *r, const struct store_app *a, enum wf_action action)
{
	struct wf_request req = {.action = action, .today = app_today(r)};
	struct wf_effects fx;
	struct wf_actor actor;
	struct wf_app next;
	struct yerr e = {0};

	app_actor(r, a, &actor);
	if (workflow_apply(&a->wf, &actor, &req, &next, &fx, &e) < 0) {
		app_reply_err(r, &e, a);
		return -1;
	}
	return 0;
}

/* merge_form puts patch into form: a null or blank value clears a field; a
 * field the applicant touches is no longer marked pre-filled. */
static void merge_form(json_t *form, json_t *prefilled, const json_t *patch)
{
	const char *k;
	json_t *v;

	json_object_foreach ((json_t *)patch, k, v) {
		size_t i;
		json_t *p;

		if (json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0))
			json_object_del(form, k);
		else
			json_object_set(form, k, v);
		json_array_foreach (prefilled, i, p)
			if (json_is_string(p) && strcmp(json_string_value(p), k) == 0) {
				json_array_remove(prefilled, i);
				break;
			}
	}
}

void h_application_update(struct req *r)
{
	static const char *const keys[] = {"form", "version", NULL};
	json_t *patch = json_object_get(r->json, "form");
	json_t *ver = json_object_get(r->json, "version");
	struct app_notice n;
	struct store_app a;
	struct store_conn *c;
	struct yerr e = {0};
	json_t *form, *prefilled;
	int64_t id, version;
	int rc;

	if (req_body_keys(r, keys) < 0)
		return;
	if (!json_is_integer(ver))
		return reply_error(r, 400, "version_required", "version",
				   "请提供所依据的申请版本号（version）");
	if (!json_is_object(patch))
		return reply_error(r, 400, "invalid_form", "form",
				   "form 应为 {字段编号: 值} 形式的对象");
	version = json_integer_value(ver);
	if (req_acquire(r, &c) < 0)
		return;
	/* The notice is frozen: validate against it before taking any lock. */
	if (app_load(r, c, false, &id, &a) < 0 || check_action(r, &a, WF_EDIT) < 0) {
		store_release(c);
		return store_app_free(&a);
	}
	if (app_notice_open(r, c, &a, &n, &e) < 0) {
		app_notice_close(r, &n);
		store_release(c);
		store_app_free(&a);
		return reply_yerr(r, &e);
	}
	rc = form_validate(n.g.fields, n.g.nfields, patch, app_today(r), NULL, &e);
	app_notice_close(r, &n);
	store_app_free(&a);
	if (rc < 0) {
		store_release(c);
		return reply_yerr(r, &e);
	}
	rc = store_begin(c, &e);
	if (rc == 0)
		rc = store_app_get(c, req_district(r), id, true, &a, &e);
	if (rc == 0 && a.version != version)
		rc = yerr_set(&e, 409, "stale_version", "version",
			      "申请已被他人修改（当前版本 %lld），请刷新后重试",
			      (long long)a.version);
	if (rc == 0) {
		form = text_json(a.form, "{}");
		prefilled = text_json(a.prefilled, "[]");
		merge_form(form, prefilled, patch);
		free(a.form);
		free(a.prefilled);
		a.form = json_dumps(form, JSON_COMPACT);
		a.prefilled = json_dumps(prefilled, JSON_COMPACT);
		json_decref(form);
		json_decref(prefilled);
		rc = store_app_update(c, req_district(r), &a, version, (int64_t)time(NULL), &e);
	}
	if (rc == 0)
		rc = req_audit_commit(r, c, r->audit_object, NULL, &e);
	if (rc < 0) {
		store_release(c);
		store_app_free(&a);
		return reply_yerr(r, &e);
	}
	reply_json(r, 200, json_pack("{s:o}", "application", app_json(r, c, &a, true)));
	store_release(c);
	store_app_free(&a);
}

/* POST …/precheck ----------------------------------------------------------------------- */

void h_application_precheck(struct req *r)
{
	struct form_report rep = {0};
	struct app_notice n;
	struct store_app a;
	struct store_conn *c;
	struct yerr e = {0};
	char **ids = NULL;
	size_t nids = 0;
	json_t *form, *out;
	const struct catalog_material **mats;
	int64_t id;

	if (req_acquire(r, &c) < 0)
		return;
	if (app_load(r, c, false, &id, &a) < 0 || check_action(r, &a, WF_PRECHECK) < 0) {
		store_release(c);
		return store_app_free(&a);
	}
	if (store_app_material_ids(c, req_district(r), id, &ids, &nids, &e) < 0) {
		store_release(c);
		store_app_free(&a);
		return reply_yerr(r, &e);
	}
	if (app_notice_open(r, c, &a, &n, &e) < 0) {
		app_notice_close(r, &n);
		store_strings_free(ids, nids);
		store_release(c);
		store_app_free(&a);
		return reply_yerr(r, &e);
	}
	store_release(c);
	mats = calloc(n.g.nmaterials ? n.g.nmaterials : 1, sizeof(*mats));
	if (mats == NULL)
		abort();
	for (size_t i = 0; i < n.g.nmaterials; i++)
		mats[i] = n.g.materials[i].material;
	form = text_json(a.form, "{}");
	form_precheck(n.g.fields, n.g.nfields, form, mats, n.g.nmaterials, (const char *const *)ids,
		      nids, app_today(r), &rep);
	out = form_report_to_json(&rep);
	form_report_free(&rep);
	json_decref(form);
	free(mats);
	app_notice_close(r, &n);
	store_strings_free(ids, nids);
	if (out == NULL)
		abort();
	json_object_set_new(out, "application_id", json_integer(id));
	json_object_set_new(out, "status", json_string(workflow_status_name(a.wf.status)));
	store_app_free(&a);
	reply_json(r, 200, json_pack("{s:o}", "precheck", out));
}

/* POST …/commitments -------------------------------------------------------------------- */

void h_application_commitments(struct req *r)
{
	static const char *const keys[] = {"commitments", "version", NULL};
	json_t *list = json_object_get(r->json, "commitments");
	const char *ids[256];
	struct app_notice n;
	struct store_app a;
	struct wf_app init;
	struct store_conn *c;
	struct yerr e = {0};
	size_t nids = 0, i;
	int64_t id;
	json_t *v;
	int rc;

	if (req_body_keys(r, keys) < 0)
		return;
	if (!json_is_array(list))
		return reply_error(r, 400, "invalid_commitments", "commitments",
				   "commitments 应为承诺条件编号的数组");
	if (json_array_size(list) > sizeof(ids) / sizeof(ids[0]))
		return reply_error(r, 400, "invalid_input", "commitments", "承诺条件过多");
	json_array_foreach (list, i, v) {
		if (!json_is_string(v)) {
			char field[48];

			snprintf(field, sizeof(field), "commitments[%zu]", i);
			return reply_error(r, 400, "invalid_commitment", field,
					   "承诺条件编号应为字符串");
		}
		ids[nids++] = json_string_value(v);
	}
	if (req_acquire(r, &c) < 0)
		return;
	if (app_load(r, c, false, &id, &a) < 0 || check_action(r, &a, WF_EDIT) < 0) {
		store_release(c);
		return store_app_free(&a);
	}
	if (app_notice_open(r, c, &a, &n, &e) < 0) {
		app_notice_close(r, &n);
		store_release(c);
		store_app_free(&a);
		return reply_yerr(r, &e);
	}
	memset(&init, 0, sizeof(init));
	rc = workflow_init(&init, &n.g, ids, nids, NULL, 0, APP_VERIFY_DAYS_DEFAULT,
			   APP_ACCEPTANCE_DAYS, &e);
	app_notice_close(r, &n);
	store_app_free(&a);
	if (rc < 0) {
		store_release(c);
		return reply_yerr(r, &e);
	}
	rc = store_begin(c, &e);
	if (rc == 0)
		rc = store_app_get(c, req_district(r), id, true, &a, &e);
	if (rc == 0 && json_is_integer(json_object_get(r->json, "version")) &&
	    json_integer_value(json_object_get(r->json, "version")) != a.version)
		rc = yerr_set(&e, 409, "stale_version", "version",
			      "申请已被他人修改（当前版本 %lld），请刷新后重试",
			      (long long)a.version);
	/* Commitments change the departments' inspections and the 告知承诺
	 * path; the status and the rounds stay what they are. */
	if (rc == 0 && a.wf.status != APP_DRAFT && a.wf.status != APP_SUPPLEMENT_REQUESTED &&
	    a.wf.status != APP_RETURNED)
		rc = yerr_set(
		    &e, 409, "invalid_state", "status", "申请当前状态为“%s”（%s），不能修改承诺",
		    workflow_status_label(a.wf.status), workflow_status_name(a.wf.status));
	if (rc == 0) {
		init.status = a.wf.status;
		init.rounds = a.wf.rounds;
		a.wf = init;
		free(a.commitments);
		a.commitments = json_dumps(list, JSON_COMPACT);
		rc = store_app_update(c, req_district(r), &a, a.version, (int64_t)time(NULL), &e);
	}
	if (rc == 0) {
		struct store_app_event ev = {.action = "commitments",
					     .from = a.wf.status,
					     .to = a.wf.status,
					     .actor_id = r->who.id,
					     .actor_name = r->who.name,
					     .actor_role = (r->who.roles & ROLE_BIT(ROLE_APPLICANT))
							       ? "applicant"
							       : "window_clerk",
					     .detail = a.commitments};

		rc = store_app_history_add(c, req_district(r), a.id, &ev, (int64_t)time(NULL), &e);
	}
	if (rc == 0)
		rc = req_audit_commit(r, c, r->audit_object, a.commitments, &e);
	if (rc < 0) {
		store_release(c);
		app_reply_err(r, &e, a.id ? &a : NULL);
		return store_app_free(&a);
	}
	reply_json(r, 200, json_pack("{s:o}", "application", app_json(r, c, &a, true)));
	store_release(c);
	store_app_free(&a);
}
