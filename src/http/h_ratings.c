/*
 * h_ratings.c — ratings (好差评) and their follow-up tasks (差评整改), issue
 * 15 point 2; docs/api-statistics.md "Ratings and typical cases":
 *   GET  /api/v1/applications/{id}/rating     applications.read: the rating
 *        with the departments' replies (whoever may see the application),
 *        null before it is rated, and whether the caller may rate it now
 *   POST /api/v1/applications/{id}/rating     ratings.submit: the applicant
 *        rates their completed application once (level 1..5, comment)
 *   GET  /api/v1/ratings/followups            ratings.followups: the queue of
 *        the caller's department (auditors: every department)
 *   GET  /api/v1/ratings/followups/{id}       ratings.followups
 *   POST /api/v1/ratings/followups/{id}/reply ratings.reply: the department
 *        concerned records its reply, which the applicant then reads
 * The applicant's identity is never part of a follow-up: the department
 * reads the rating, the application number and the comment.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "http/applications.h"
#include "http/complaints.h"
#include "http/ratings.h"
#include "store/store_ratings.h"

void ratings_industry_name(struct app *app, const char *code, char *out, size_t outsz)
{
	const struct catalog_industry *ind;

	pthread_rwlock_rdlock(&app->catalog_lock);
	ind = app->catalog ? catalog_industry_find(app->catalog, code) : NULL;
	snprintf(out, outsz, "%s", ind && ind->name ? ind->name : code);
	pthread_rwlock_unlock(&app->catalog_lock);
}

const char *ratings_status_label(const char *status)
{
	int s = workflow_status_parse(status);

	return s >= 0 ? workflow_status_label((enum app_status)s) : status;
}

static json_t *dept_json(struct req *r, const char *code)
{
	char name[256];

	complaint_dept_name(r->app, code, name, sizeof(name));
	return json_pack("{s:s,s:s}", "code", code, "name", name);
}

static json_t *text_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* The API shape of a follow-up task. */
static json_t *followup_json(struct req *r, const struct store_followup *f)
{
	char today[16], iname[256];
	bool open = strcmp(f->state, "open") == 0;

	date_format(app_today(r), today, sizeof(today));
	ratings_industry_name(r->app, f->industry, iname, sizeof(iname));
	return json_pack(
	    "{s:I,s:I,s:{s:I,s:s,s:s,s:s,s:s,s:s},s:o,s:s,s:s,s:s,s:b,s:o,s:o,s:{s:i,s:s,s:o,s:s}}",
	    "id", (json_int_t)f->id, "rating_id", (json_int_t)f->rating_id, "application", "id",
	    (json_int_t)f->application_id, "number", f->number, "industry", f->industry,
	    "industry_name", iname, "status", f->app_status, "status_label",
	    ratings_status_label(f->app_status), "department", dept_json(r, f->department), "state",
	    f->state, "created_on", f->created_on, "due_date", f->due_day, "overdue",
	    open && strcmp(f->due_day, today) < 0, "reply", text_or_null(f->reply), "replied_on",
	    f->replied_on[0] ? json_string(f->replied_on) : json_null(), "rating", "level",
	    f->level, "level_label",
	    rating_level_label(f->level) ? rating_level_label(f->level) : "", "comment",
	    text_or_null(f->comment), "rated_on", f->rated_on);
}

/* The API shape of a rating with its follow-up tasks. */
static json_t *rating_json(struct req *r, const struct store_rating *g,
			   const struct store_followup *fs, size_t n)
{
	json_t *depts = json_array(), *followups = json_array();
	char buf[sizeof(g->departments)], *save = NULL, *tok;

	snprintf(buf, sizeof(buf), "%s", g->departments);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		json_array_append_new(depts, dept_json(r, tok));
	for (size_t i = 0; i < n; i++)
		json_array_append_new(followups, followup_json(r, &fs[i]));
	return json_pack("{s:I,s:I,s:i,s:s,s:o,s:I,s:s,s:s,s:s,s:o,s:o}", "id", (json_int_t)g->id,
			 "application_id", (json_int_t)g->application_id, "level", g->level,
			 "level_label", rating_level_label(g->level), "comment",
			 text_or_null(g->comment), "rated_at", (json_int_t)g->rated_at, "rated_on",
			 g->rated_on, "app_status", g->app_status, "industry", g->industry,
			 "departments", depts, "followups", followups);
}

/* Answers {"rating": …|null, "can_rate": bool} for application a. */
static void reply_rating(struct req *r, struct store_conn *c, const struct store_app *a, int status)
{
	struct store_followup *fs = NULL;
	struct store_rating g;
	struct yerr e = {0};
	size_t n = 0;
	json_t *rating = json_null();
	int rc = store_rating_get(c, req_district(r), a->id, &g, &e);
	bool mine = r->who.kind != PRINCIPAL_TOKEN && a->applicant_id == r->who.id &&
		    (r->who.roles & ROLE_BIT(ROLE_APPLICANT));

	if (rc == 0) {
		rc = store_followups_of_rating(c, req_district(r), g.id, &fs, &n, &e);
		if (rc == 0)
			rating = rating_json(r, &g, fs, n);
		store_followups_free(fs, n);
		store_rating_free(&g);
	} else if (e.status == 404) {
		rc = 0;
	}
	store_release(c);
	if (rc < 0) {
		json_decref(rating);
		return reply_yerr(r, &e);
	}
	reply_json(r, status,
		   json_pack("{s:o,s:b}", "rating", rating, "can_rate",
			     mine && json_is_null(rating) &&
				 rating_app_completed(workflow_status_name(a->wf.status))));
}

void h_rating_get(struct req *r)
{
	struct store_conn *c;
	struct store_app a;
	int64_t id;

	if (req_acquire(r, &c) < 0)
		return;
	if (app_load(r, c, false, &id, &a) < 0) {
		store_release(c);
		return;
	}
	reply_rating(r, c, &a, 200);
	store_app_free(&a);
}

void h_rating_create(struct req *r)
{
	static const char *const keys[] = {"level", "comment", NULL};
	const char *comment;
	struct store_conn *c;
	struct store_app a;
	struct yerr e = {0};
	json_t *v;
	int64_t id;
	int rc;

	if (req_body_keys(r, keys) < 0)
		return;
	v = json_object_get(r->json, "level");
	if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 5)
		return reply_error(r, 400, "invalid_level", "level",
				   "请选择评价等级：非常满意、满意、基本满意、不满意或非常不满意");
	if (req_text(r, "comment", ARG_MULTILINE, RATING_COMMENT_MAX, &comment) < 0)
		return;
	if (req_path_id(r, "id", "application_not_found", &id) < 0)
		return;
	snprintf(r->audit_object, sizeof(r->audit_object), "application:%lld", (long long)id);
	if (req_acquire(r, &c) < 0)
		return;
	rc = store_begin(c, &e);
	if (rc == 0)
		rc = rating_submit(c, req_district(r), id, r->who.id, (int)json_integer_value(v),
				   comment, app_now(r->app), &e);
	if (rc == 0) {
		char detail[64];

		snprintf(detail, sizeof(detail), "{\"level\":%d}", (int)json_integer_value(v));
		rc = req_audit_commit(r, c, r->audit_object, detail, &e);
	}
	if (rc == 0)
		rc = store_app_get(c, req_district(r), id, false, &a, &e);
	if (rc < 0) {
		store_release(c);
		return reply_yerr(r, &e);
	}
	reply_rating(r, c, &a, 201);
	store_app_free(&a);
}

/* follow-ups ---------------------------------------------------------------- */

void h_followups_list(struct req *r)
{
	struct store_followup_filter f = {0};
	struct store_followup *items = NULL;
	const char *state = NULL, *overdue = NULL;
	char today[16];
	struct req_page page;
	struct store_conn *c;
	struct yerr e = {0};
	int64_t total = 0;
	size_t n = 0;
	json_t *arr;
	int rc;

	if (req_paging(r, REQ_PAGE_DEFAULT, REQ_PAGE_MAX, &page) < 0 ||
	    req_query_text(r, "state", 10, &state) < 0 ||
	    req_query_text(r, "overdue", 5, &overdue) < 0)
		return;
	if (state && strcmp(state, "open") != 0 && strcmp(state, "replied") != 0)
		return reply_error(r, 400, "invalid_state_filter", "state",
				   "state 须为 open（待回复）或 replied（已回复）");
	if (overdue && strcmp(overdue, "true") != 0 && strcmp(overdue, "false") != 0)
		return reply_error(r, 400, "invalid_boolean", "overdue",
				   "overdue 须为 true 或 false");
	date_format(app_today(r), today, sizeof(today));
	f.department = principal_department_scope(&r->who);
	f.state = state;
	f.open_due_before = overdue && strcmp(overdue, "true") == 0 ? today : NULL;
	f.limit = page.limit;
	f.offset = page.offset;
	if (req_acquire(r, &c) < 0)
		return;
	rc = store_followup_list(c, req_district(r), &f, &items, &n, &total, &e);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, followup_json(r, &items[i]));
	store_followups_free(items, n);
	reply_json(r, 200, req_list_json(arr, total, &page));
}

/* Loads follow-up {id} for the caller: 404 unless it is their department's
 * (auditors: any). -1 when it answered. */
static int followup_visible(struct req *r, struct store_conn *c, bool lock,
			    struct store_followup *f)
{
	const char *scope = principal_department_scope(&r->who);
	struct yerr e = {0};
	int64_t id;

	if (req_path_id(r, "id", "followup_not_found", &id) < 0)
		return -1;
	snprintf(r->audit_object, sizeof(r->audit_object), "rating_followup:%lld", (long long)id);
	if (store_followup_get(c, req_district(r), id, lock, f, &e) < 0) {
		reply_yerr(r, &e);
		return -1;
	}
	if (scope != NULL && strcmp(scope, f->department) != 0) {
		store_followup_free(f);
		reply_error(r, 404, "followup_not_found", NULL, "整改任务不存在");
		return -1;
	}
	return 0;
}

void h_followup_get(struct req *r)
{
	struct store_followup f;
	struct store_conn *c;

	if (req_acquire(r, &c) < 0)
		return;
	if (followup_visible(r, c, false, &f) < 0) {
		store_release(c);
		return;
	}
	store_release(c);
	reply_json(r, 200, json_pack("{s:o}", "followup", followup_json(r, &f)));
	store_followup_free(&f);
}

void h_followup_reply(struct req *r)
{
	static const char *const keys[] = {"reply", NULL};
	const char *reply;
	struct store_followup f;
	struct store_conn *c;
	struct yerr e = {0};
	char day[16];
	int rc;

	if (req_body_keys(r, keys) < 0 ||
	    req_text(r, "reply", ARG_REQUIRED | ARG_MULTILINE, RATING_REPLY_MAX, &reply) < 0)
		return;
	date_format(app_today(r), day, sizeof(day));
	if (req_acquire(r, &c) < 0)
		return;
	rc = store_begin(c, &e);
	if (rc < 0) {
		store_release(c);
		return reply_yerr(r, &e);
	}
	if (followup_visible(r, c, true, &f) < 0) {
		store_release(c);
		return;
	}
	rc = store_followup_reply(c, req_district(r), f.id, reply, r->who.id, day, app_now(r->app),
				  &e);
	if (rc == 0)
		rc = req_audit_commit(r, c, r->audit_object, NULL, &e);
	if (rc == 0) {
		int64_t id = f.id;

		store_followup_free(&f);
		rc = store_followup_get(c, req_district(r), id, false, &f, &e);
		if (rc < 0)
			memset(&f, 0, sizeof(f));
	}
	store_release(c);
	if (rc < 0) {
		store_followup_free(&f);
		return reply_yerr(r, &e);
	}
	reply_json(r, 200, json_pack("{s:o}", "followup", followup_json(r, &f)));
	store_followup_free(&f);
}
