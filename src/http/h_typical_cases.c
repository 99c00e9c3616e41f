/*
 * h_typical_cases.c — typical cases (典型案例), issue 15 point 3;
 * docs/api-statistics.md "Ratings and typical cases":
 *   POST  /api/v1/typical-cases               typical_cases.write: staff who
 *         can see a completed application mark it with a write-up (a draft)
 *   GET   /api/v1/typical-cases[/{id}]        typical_cases.read (drafts too)
 *   PATCH /api/v1/typical-cases/{id}          typical_cases.write (drafts)
 *   POST  /api/v1/typical-cases/{id}/publish|unpublish
 *         typical_cases.publish: the 审改办 reviews and publishes
 *   GET   /api/v1/public/typical-cases[/{id}] public: published cases only
 * A public answer carries the write-up, the industry and the outcome: never
 * the application number, the applicant or the form. The write-up itself is
 * checked for personal data (case_check_personal) whenever it is saved or
 * published.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "http/applications.h"
#include "http/ratings.h"
#include "store/store_ratings.h"

/* Length of the run of ASCII digits at s. */
static size_t digits_at(const char *s)
{
	size_t n = 0;

	while (isdigit((unsigned char)s[n]))
		n++;
	return n;
}

/*
 * Whether text holds something shaped like an identity number (a run of 15
 * or more digits: 15 or 18, or 17 and an X) or a phone number (a mobile
 * number: 11 digits from a 1; a fixed line: 0 and 2–3 digits, a dash, 7–8
 * digits). Numbers written otherwise (amounts, days, years) pass.
 */
static bool looks_personal(const char *text)
{
	for (const char *p = text; *p;) {
		size_t n = digits_at(p);

		if (n == 0) {
			p++;
			continue;
		}
		if (n >= 15)
			return true;
		if (n == 11 && p[0] == '1')
			return true;
		if ((n == 3 || n == 4) && p[0] == '0' && p[n] == '-') {
			size_t m = digits_at(p + n + 1);

			if (m == 7 || m == 8)
				return true;
		}
		p += n;
	}
	return false;
}

/* 400 personal_data naming the first of title, summary, body (any may be
 * NULL: not changed) that holds a personal text of application app_id or
 * looks like an identity or phone number. */
static int case_check_personal(struct store_conn *c, const char *district, int64_t app_id,
			       const char *title, const char *summary, const char *body,
			       struct yerr *e)
{
	const char *const parts[3] = {title, summary, body};
	static const char *const names[3] = {"title", "summary", "body"};
	char **texts = NULL;
	size_t n = 0;
	int rc = store_case_personal_texts(c, district, app_id, &texts, &n, e);

	for (int i = 0; rc == 0 && i < 3; i++) {
		bool hit = parts[i] && looks_personal(parts[i]);

		for (size_t k = 0; !hit && parts[i] && k < n; k++)
			hit = strstr(parts[i], texts[k]) != NULL;
		if (hit)
			rc = yerr_set(e, 400, "personal_data", names[i],
				      "典型案例不得含有个人信息（申请人或经办人员姓名、身份证号、电"
				      "话、地址、企业名称等），请改用概括的表述");
	}
	store_strings_free(texts, n);
	return rc;
}

/* The public shape; full adds the body. */
static json_t *case_public_json(struct req *r, const struct store_case *k, bool full)
{
	char iname[256], day[16] = "";
	json_t *o;

	ratings_industry_name(r->app, k->industry, iname, sizeof(iname));
	if (k->published_at > 0)
		date_format(date_today_shanghai((time_t)k->published_at), day, sizeof(day));
	o = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:o}", "id", (json_int_t)k->id, "title",
		      k->title ? k->title : "", "summary", k->summary ? k->summary : "", "industry",
		      k->industry, "industry_name", iname, "outcome", k->app_status,
		      "outcome_label", ratings_status_label(k->app_status), "published_on",
		      day[0] ? json_string(day) : json_null());
	if (full)
		json_object_set_new(o, "body", json_string(k->body ? k->body : ""));
	return o;
}

/* The staff shape: the public one plus the application and the review
 * state. */
static json_t *case_json(struct req *r, const struct store_case *k)
{
	json_t *o = case_public_json(r, k, true);

	json_object_update_new(
	    o, json_pack("{s:I,s:s,s:s,s:I,s:I,s:o}", "application_id",
			 (json_int_t)k->application_id, "number", k->number, "status", k->status,
			 "created_at", (json_int_t)k->created_at, "updated_at",
			 (json_int_t)k->updated_at, "published_at",
			 k->published_at ? json_integer(k->published_at) : json_null()));
	return o;
}

/* Ends a change of case id: audit, commit, answer the case as it is now. */
static void finish(struct req *r, struct store_conn *c, int64_t id, int rc, struct yerr *e,
		   int status)
{
	struct store_case k;

	if (rc == 0)
		rc = req_audit_commit(r, c, r->audit_object, NULL, e);
	if (rc == 0)
		rc = store_case_get(c, req_district(r), id, false, &k, e);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, e);
	reply_json(r, status, json_pack("{s:o}", "case", case_json(r, &k)));
	store_case_free(&k);
}

void h_case_create(struct req *r)
{
	static const char *const keys[] = {"application_id", "title", "summary", "body", NULL};
	const char *title, *summary, *body;
	struct store_conn *c;
	struct store_app a;
	struct yerr e = {0};
	int64_t app_id, id = 0;
	json_t *v;
	int rc;

	if (req_body_keys(r, keys) < 0)
		return;
	v = json_object_get(r->json, "application_id");
	if (!json_is_integer(v) || json_integer_value(v) < 1)
		return reply_error(r, 400, "invalid_application", "application_id",
				   "请填写办件编号（application_id）");
	app_id = (int64_t)json_integer_value(v);
	if (req_text(r, "title", ARG_REQUIRED, CASE_TITLE_MAX, &title) < 0 ||
	    req_text(r, "summary", ARG_REQUIRED | ARG_MULTILINE, CASE_SUMMARY_MAX, &summary) < 0 ||
	    req_text(r, "body", ARG_REQUIRED | ARG_MULTILINE, CASE_BODY_MAX, &body) < 0)
		return;
	if (req_acquire(r, &c) < 0)
		return;
	rc = store_begin(c, &e);
	/* Only staff who can see the application mark it (the same 404 as a
	 * missing one otherwise). */
	if (rc == 0) {
		rc = store_app_get(c, req_district(r), app_id, true, &a, &e);
		if (rc == 0) {
			if (!app_visible(r, &a))
				rc = yerr_set(&e, 404, "application_not_found", NULL, "申请不存在");
			store_app_free(&a);
		}
		if (rc < 0 && e.status == 404)
			snprintf(e.field, sizeof(e.field), "application_id");
	}
	if (rc == 0)
		rc = case_check_personal(c, req_district(r), app_id, title, summary, body, &e);
	if (rc == 0)
		rc = store_case_insert(c, req_district(r), app_id, title, summary, body, r->who.id,
				       app_now(r->app), &id, &e);
	snprintf(r->audit_object, sizeof(r->audit_object), "typical_case:%lld", (long long)id);
	finish(r, c, id, rc, &e, 201);
}

void h_cases_list(struct req *r)
{
	struct store_case *items = NULL;
	const char *status = NULL, *industry = NULL;
	struct req_page page;
	struct store_conn *c;
	struct yerr e = {0};
	int64_t total = 0;
	size_t n = 0;
	json_t *arr;
	int rc;

	if (req_paging(r, REQ_PAGE_DEFAULT, REQ_PAGE_MAX, &page) < 0 ||
	    req_query_text(r, "status", 10, &status) < 0 ||
	    req_query_text(r, "industry", 64, &industry) < 0)
		return;
	if (status && strcmp(status, "published") != 0 && strcmp(status, "draft") != 0)
		return reply_error(r, 400, "invalid_status", "status",
				   "status 须为 draft（草稿）或 published（已公开）");
	if (req_acquire(r, &c) < 0)
		return;
	rc = store_case_list(c, req_district(r), status, industry, page.limit, page.offset, &items,
			     &n, &total, &e);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, case_json(r, &items[i]));
	store_cases_free(items, n);
	reply_json(r, 200, req_list_json(arr, total, &page));
}

/* Case {id} of the path (*id out); -1 when it answered. */
static int case_id(struct req *r, int64_t *id)
{
	if (req_path_id(r, "id", "case_not_found", id) < 0)
		return -1;
	snprintf(r->audit_object, sizeof(r->audit_object), "typical_case:%lld", (long long)*id);
	return 0;
}

void h_case_get(struct req *r)
{
	struct store_conn *c;
	struct store_case k;
	struct yerr e = {0};
	int64_t id;
	int rc;

	if (case_id(r, &id) < 0 || req_acquire(r, &c) < 0)
		return;
	rc = store_case_get(c, req_district(r), id, false, &k, &e);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	reply_json(r, 200, json_pack("{s:o}", "case", case_json(r, &k)));
	store_case_free(&k);
}

void h_case_update(struct req *r)
{
	static const char *const keys[] = {"title", "summary", "body", NULL};
	const char *title, *summary, *body;
	struct store_conn *c;
	struct store_case k;
	struct yerr e = {0};
	int64_t id;
	int rc;

	if (req_body_keys(r, keys) < 0 ||
	    req_text(r, "title", ARG_NOT_BLANK, CASE_TITLE_MAX, &title) < 0 ||
	    req_text(r, "summary", ARG_NOT_BLANK | ARG_MULTILINE, CASE_SUMMARY_MAX, &summary) < 0 ||
	    req_text(r, "body", ARG_NOT_BLANK | ARG_MULTILINE, CASE_BODY_MAX, &body) < 0 ||
	    case_id(r, &id) < 0 || req_acquire(r, &c) < 0)
		return;
	rc = store_begin(c, &e);
	if (rc == 0)
		rc = store_case_get(c, req_district(r), id, false, &k, &e);
	if (rc == 0) {
		if (strcmp(k.status, "draft") != 0)
			rc = yerr_set(&e, 409, "case_published", NULL,
				      "已公开的典型案例不能直接修改，请先撤回公开");
		if (rc == 0)
			rc = case_check_personal(c, req_district(r), k.application_id, title,
						 summary, body, &e);
		store_case_free(&k);
	}
	if (rc == 0)
		rc = store_case_update(c, req_district(r), id, title, summary, body,
				       app_now(r->app), &e);
	finish(r, c, id, rc, &e, 200);
}

/* publish or take back case {id}. */
static void set_published(struct req *r, bool publish)
{
	struct store_conn *c;
	struct store_case k;
	struct yerr e = {0};
	int64_t id;
	int rc;

	if (case_id(r, &id) < 0 || req_acquire(r, &c) < 0)
		return;
	rc = store_begin(c, &e);
	if (rc == 0)
		rc = store_case_get(c, req_district(r), id, false, &k, &e);
	if (rc == 0) {
		/* the application may have changed since the write-up was saved */
		if (publish)
			rc = case_check_personal(c, req_district(r), k.application_id, k.title,
						 k.summary, k.body, &e);
		store_case_free(&k);
	}
	if (rc == 0)
		rc = store_case_publish(c, req_district(r), id, publish, r->who.id, app_now(r->app),
					&e);
	finish(r, c, id, rc, &e, 200);
}

void h_case_publish(struct req *r)
{
	set_published(r, true);
}

void h_case_unpublish(struct req *r)
{
	set_published(r, false);
}

/* public ------------------------------------------------------------------------- */

void h_cases_public(struct req *r)
{
	struct store_case *items = NULL;
	const char *industry = NULL;
	struct req_page page;
	struct store_conn *c;
	struct yerr e = {0};
	int64_t total = 0;
	size_t n = 0;
	json_t *arr;
	int rc;

	if (req_paging(r, REQ_PAGE_DEFAULT, REQ_PAGE_MAX, &page) < 0 ||
	    req_query_text(r, "industry", 64, &industry) < 0 || req_acquire(r, &c) < 0)
		return;
	rc = store_case_list(c, req_district(r), "published", industry, page.limit, page.offset,
			     &items, &n, &total, &e);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, case_public_json(r, &items[i], false));
	store_cases_free(items, n);
	reply_json(r, 200, req_list_json(arr, total, &page));
}

void h_case_public(struct req *r)
{
	struct store_conn *c;
	struct store_case k;
	struct yerr e = {0};
	int64_t id;
	int rc;

	if (req_path_id(r, "id", "case_not_found", &id) < 0 || req_acquire(r, &c) < 0)
		return;
	rc = store_case_get(c, req_district(r), id, true, &k, &e);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	reply_json(r, 200, json_pack("{s:o}", "case", case_public_json(r, &k, true)));
	store_case_free(&k);
}
