/*
 * h_app_flow.c — the transitions of an application at the applicant's end
 * and the window (docs/api-applications.md), the inbox of tasks and the
 * notifications:
 *   POST /api/v1/applications/{id}/submit | resubmit | withdraw
 *   POST /api/v1/applications/{id}/accept | refuse | request-supplement
 *   GET  /api/v1/tasks
 *   GET  /api/v1/notifications, POST /api/v1/notifications/{id}/read
 * Every transition goes through app_transition: one transaction writes the
 * state (version-guarded), the history row, the tasks, the notifications and
 * the audit entry.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/form.h"
#include "http/app_life.h"
#include "http/applications.h"

/* The role the caller acts in for an action (the history's actor_role). */
static const char *acting_role(const struct req *r, const struct store_app *a,
			       enum wf_action action)
{
	switch (action) {
	case WF_ACCEPT:
	case WF_REFUSE:
	case WF_REQUEST_SUPPLEMENT:
		return "window_clerk";
	case WF_REVIEW:
		return "reviewer";
	case WF_SCHEDULE_INSPECTION:
	case WF_INSPECTION_RESULT:
		return "inspector";
	default:
		return (r->who.roles & ROLE_BIT(ROLE_APPLICANT)) && a->applicant_id == r->who.id
			   ? "applicant"
			   : "window_clerk";
	}
}

void app_transition(struct req *r, struct wf_request *req, const char *detail, app_hook hook,
		    void *ud)
{
	struct wf_effects fx;
	struct wf_actor actor;
	struct wf_app next;
	struct store_app a;
	struct store_conn *c;
	struct yerr e = {0};
	int64_t id, expected, now = app_now(r->app);
	int rc;

	memset(&fx, 0, sizeof(fx));
	if (req_acquire(r, &c) < 0)
		return;
	if (store_begin(c, &e) < 0) {
		store_release(c);
		return reply_yerr(r, &e);
	}
	if (app_load(r, c, true, &id, &a) < 0) {
		store_release(c);
		return;
	}
	expected = a.version;
	app_actor(r, &a, &actor);
	req->today = app_today(r);
	rc = workflow_apply(&a.wf, &actor, req, &next, &fx, &e);
	if (rc == 0) {
		a.wf = next;
		if (hook)
			rc = hook(r, c, &a, &fx, ud, &e);
	}
	if (rc == 0) {
		struct store_app_event ev = {.action = workflow_action_name(req->action),
					     .from = fx.from,
					     .to = fx.to,
					     .actor_id = r->who.id,
					     .actor_name = r->who.name,
					     .actor_role = acting_role(r, &a, req->action),
					     .department = req->department,
					     .reason = req->reason,
					     .detail = detail};

		pthread_rwlock_rdlock(&r->app->cal_lock);
		rc = store_app_transition(c, req_district(r), &a, expected, &fx, &ev, r->app->cal,
					  req->today, now, &e);
		pthread_rwlock_unlock(&r->app->cal_lock);
	}
	/* a cancellation ends its license when it is approved (h_app_life.c) */
	if (rc == 0 && fx.to == APP_APPROVED && fx.from != APP_APPROVED)
		rc = app_life_on_approved(r, c, &a, &e);
	app_finish(r, c, &a, rc, detail, 200, &e);
}

/* submit, resubmit: the same completeness check as the precheck ------------------ */

/* complete_hook refuses a submission the precheck would not pass: 400
 * incomplete_application naming the first problem and how many there are
 * (POST …/precheck lists them all). */
static int complete_hook(struct req *r, struct store_conn *c, struct store_app *a,
			 const struct wf_effects *fx, void *ud, struct yerr *e)
{
	const struct catalog_material **mats = NULL;
	struct form_report rep = {0};
	struct app_notice n;
	char **ids = NULL;
	size_t nids = 0;
	json_t *form;
	long issues;
	bool life = false;
	int rc;

	(void)fx;
	(void)ud;
	/* a lifecycle application checks the materials of its change instead */
	if ((rc = app_life_complete(r, c, a, &life, e)) < 0 || life)
		return rc;
	if ((rc = store_app_material_ids(c, req_district(r), a->id, &ids, &nids, e)) < 0)
		return rc;
	if (app_notice_open(r, c, a, &n, e) < 0) {
		app_notice_close(r, &n);
		store_strings_free(ids, nids);
		return -1;
	}
	mats = calloc(n.g.nmaterials ? n.g.nmaterials : 1, sizeof(*mats));
	if (mats == NULL)
		abort();
	for (size_t i = 0; i < n.g.nmaterials; i++)
		mats[i] = n.g.materials[i].material;
	form = json_loads(a->form ? a->form : "{}", 0, NULL);
	issues = form_precheck(n.g.fields, n.g.nfields, form, mats, n.g.nmaterials,
			       (const char *const *)ids, nids, app_today(r), &rep);
	if (issues > 0)
		rc = yerr_set(e, 400, "incomplete_application", rep.items[0].err.field,
			      "申请尚不完整（共 %ld 项），首项：%s", issues,
			      rep.items[0].err.message);
	else if (issues < 0)
		rc = yerr_set(e, 500, "out_of_memory", "", "内存不足");
	form_report_free(&rep);
	json_decref(form);
	free(mats);
	app_notice_close(r, &n);
	store_strings_free(ids, nids);
	return rc;
}

void h_application_submit(struct req *r)
{
	struct wf_request req = {.action = WF_SUBMIT};

	app_transition(r, &req, NULL, complete_hook, NULL);
}

void h_application_resubmit(struct req *r)
{
	struct wf_request req = {.action = WF_RESUBMIT};

	app_transition(r, &req, NULL, complete_hook, NULL);
}

void h_application_withdraw(struct req *r)
{
	struct wf_request req = {.action = WF_WITHDRAW};

	app_transition(r, &req, NULL, NULL, NULL);
}

void h_application_accept(struct req *r)
{
	struct wf_request req = {.action = WF_ACCEPT};

	app_transition(r, &req, NULL, NULL, NULL);
}

void h_application_refuse(struct req *r)
{
	static const char *const keys[] = {"reason", NULL};
	struct wf_request req = {.action = WF_REFUSE};

	if (req_body_keys(r, keys) < 0 ||
	    req_text(r, "reason", ARG_MULTILINE, 1000, &req.reason) < 0)
		return;
	app_transition(r, &req, NULL, NULL, NULL);
}

/* request-supplement ---------------------------------------------------------------- */

#define SUPPLEMENT_MAX 128

struct supplement {
	const char *materials[SUPPLEMENT_MAX], *fields[SUPPLEMENT_MAX];
	size_t nmaterials, nfields;
};

/* string_list reads the array member key (absent: empty) into out. */
static int string_list(struct req *r, const char *key, const char **out, size_t *n)
{
	json_t *a = json_object_get(r->json, key), *v;
	size_t i;

	*n = 0;
	if (a == NULL || json_is_null(a))
		return 0;
	if (!json_is_array(a) || json_array_size(a) > SUPPLEMENT_MAX) {
		reply_error(r, 400, "invalid_list", key, "%s 应为不超过 %d 个编号的数组", key,
			    SUPPLEMENT_MAX);
		return -1;
	}
	json_array_foreach (a, i, v) {
		if (!json_is_string(v) || json_string_length(v) == 0 ||
		    json_string_length(v) > 64) {
			char field[48];

			snprintf(field, sizeof(field), "%s[%zu]", key, i);
			reply_error(r, 400, "invalid_list", field, "编号应为非空字符串");
			return -1;
		}
		out[(*n)++] = json_string_value(v);
	}
	return 0;
}

/* Every id of the list must be a material / field of the notice: the
 * one-time notice names exactly what to supply. */
static int supplement_hook(struct req *r, struct store_conn *c, struct store_app *a,
			   const struct wf_effects *fx, void *ud, struct yerr *e)
{
	const struct supplement *s = ud;
	struct app_notice n;
	int rc = 0;

	(void)fx;
	if (app_notice_open(r, c, a, &n, e) < 0) {
		app_notice_close(r, &n);
		return -1;
	}
	for (size_t i = 0; rc == 0 && i < s->nmaterials; i++) {
		bool found = false;

		for (size_t k = 0; !found && k < n.g.nmaterials; k++)
			found = strcmp(n.g.materials[k].material->id, s->materials[i]) == 0;
		if (!found) {
			char field[48];

			snprintf(field, sizeof(field), "materials[%zu]", i);
			rc = yerr_set(e, 400, "unknown_material", field,
				      "材料 %s 不在本申请的告知单中", s->materials[i]);
		}
	}
	for (size_t i = 0; rc == 0 && i < s->nfields; i++) {
		bool found = false;

		for (size_t k = 0; !found && k < n.g.nfields; k++)
			found = strcmp(n.g.fields[k]->id, s->fields[i]) == 0;
		if (!found) {
			char field[48];

			snprintf(field, sizeof(field), "fields[%zu]", i);
			rc = yerr_set(e, 400, "unknown_field", field, "字段 %s 不在本申请的表单中",
				      s->fields[i]);
		}
	}
	app_notice_close(r, &n);
	return rc;
}

void h_application_request_supplement(struct req *r)
{
	static const char *const keys[] = {"reason", "materials", "fields", NULL};
	struct wf_request req = {.action = WF_REQUEST_SUPPLEMENT};
	struct supplement s;
	json_t *detail;
	char *text;

	if (req_body_keys(r, keys) < 0 ||
	    req_text(r, "reason", ARG_MULTILINE, 1000, &req.reason) < 0 ||
	    string_list(r, "materials", s.materials, &s.nmaterials) < 0 ||
	    string_list(r, "fields", s.fields, &s.nfields) < 0)
		return;
	req.materials = s.materials;
	req.nmaterials = s.nmaterials;
	req.fields = s.fields;
	req.nfields = s.nfields;
	/* the round's list, kept in the history */
	detail = json_object();
	for (int k = 0; k < 2; k++) {
		const char *key = k == 0 ? "materials" : "fields";
		json_t *list = json_object_get(r->json, key);

		json_object_set_new(detail, key,
				    json_is_array(list) ? json_deep_copy(list) : json_array());
	}
	text = json_dumps(detail, JSON_COMPACT);
	json_decref(detail);
	app_transition(r, &req, text, supplement_hook, &s);
	free(text);
}

/* GET /api/v1/tasks ------------------------------------------------------------------- */

void h_tasks_list(struct req *r)
{
	const char *kind = req_query(r, "kind");
	struct store_task *items = NULL;
	struct store_conn *c;
	struct req_page page;
	struct yerr e = {0};
	int64_t total = 0;
	size_t n = 0;
	json_t *arr;
	int rc, k;

	if (req_paging(r, REQ_PAGE_DEFAULT, REQ_PAGE_MAX, &page) < 0)
		return;
	for (k = 0; kind && k < WF_TASK_KIND_COUNT; k++)
		if (strcmp(workflow_task_kind_name((enum wf_task_kind)k), kind) == 0)
			break;
	if (kind && k == WF_TASK_KIND_COUNT)
		return reply_error(r, 400, "invalid_kind", "kind", "未知的任务类型 %.32s", kind);
	if (req_acquire(r, &c) < 0)
		return;
	rc = store_tasks_inbox(c, req_district(r), &r->who, kind, page.limit, page.offset, &items,
			       &n, &total, &e);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, app_task_json(r, &items[i]));
	free(items);
	reply_json(r, 200, req_list_json(arr, total, &page));
}

/* notifications -------------------------------------------------------------------------- */

void h_notifications_list(struct req *r)
{
	const char *unread_q = req_query(r, "unread");
	struct store_notification *items = NULL;
	bool unread_only = unread_q && strcmp(unread_q, "true") == 0;
	struct store_conn *c;
	struct req_page page;
	struct yerr e = {0};
	int64_t total = 0, unread = 0;
	size_t n = 0;
	json_t *arr, *out;
	int rc;

	if (req_paging(r, REQ_PAGE_DEFAULT, REQ_PAGE_MAX, &page) < 0)
		return;
	if (unread_q && !unread_only && strcmp(unread_q, "false") != 0)
		return reply_error(r, 400, "invalid_boolean", "unread",
				   "unread 应为 true 或 false");
	if (req_acquire(r, &c) < 0)
		return;
	rc = store_notifications_list(c, req_district(r), r->who.id, unread_only, page.limit,
				      page.offset, &items, &n, &total, &unread, &e);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(
		    arr, json_pack("{s:I,s:s,s:s,s:s,s:o,s:I,s:o,s:b}", "id",
				   (json_int_t)items[i].id, "event", items[i].event, "title",
				   items[i].title, "link", items[i].link, "application_id",
				   items[i].application_id ? json_integer(items[i].application_id)
							   : json_null(),
				   "created_at", (json_int_t)items[i].created_at, "read_at",
				   items[i].read_at ? json_integer(items[i].read_at) : json_null(),
				   "read", items[i].read_at != 0));
	store_notifications_free(items, n);
	out = req_list_json(arr, total, &page);
	json_object_set_new(out, "unread", json_integer(unread));
	reply_json(r, 200, out);
}

void h_notification_read(struct req *r)
{
	struct store_notification *items = NULL;
	struct store_conn *c;
	struct yerr e = {0};
	int64_t id, total = 0, unread = 0;
	size_t n = 0;
	int rc;

	if (req_path_id(r, "id", "notification_not_found", &id) < 0)
		return;
	snprintf(r->audit_object, sizeof(r->audit_object), "notification:%lld", (long long)id);
	if (req_acquire(r, &c) < 0)
		return;
	rc = store_begin(c, &e);
	if (rc == 0)
		rc =
		    store_notification_read(c, req_district(r), r->who.id, id, app_now(r->app), &e);
	if (rc == 0)
		rc = req_audit_commit(r, c, r->audit_object, NULL, &e);
	if (rc == 0)
		rc = store_notifications_list(c, req_district(r), r->who.id, true, 1, 0, &items, &n,
					      &total, &unread, &e);
	store_release(c);
	store_notifications_free(items, n);
	if (rc < 0)
		return reply_yerr(r, &e);
	reply_json(r, 200,
		   json_pack("{s:{s:I,s:b},s:I}", "notification", "id", (json_int_t)id, "read", 1,
			     "unread", (json_int_t)unread));
}

/* POST /api/v1/notifications/read-all: 全部已读, the caller's own only. */
void h_notifications_read_all(struct req *r)
{
	struct store_conn *c;
	struct yerr e = {0};
	int64_t marked = 0;
	char detail[48] = "";
	int rc;

	snprintf(r->audit_object, sizeof(r->audit_object), "user:%lld", (long long)r->who.id);
	if (req_acquire(r, &c) < 0)
		return;
	rc = store_begin(c, &e);
	if (rc == 0)
		rc = store_notifications_read_all(c, req_district(r), r->who.id, app_now(r->app),
						  &marked, &e);
	if (rc == 0) {
		snprintf(detail, sizeof(detail), "{\"marked\":%lld}", (long long)marked);
		rc = req_audit_commit(r, c, r->audit_object, detail, &e);
	}
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	reply_json(r, 200, json_pack("{s:I,s:I}", "marked", (json_int_t)marked, "unread", 0));
}
