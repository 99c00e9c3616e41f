/*
 * h_annual_reports.c — annual reports (年报公示) and the abnormal list
 * (经营异常名录); issue 13 point 6; docs/api-supervision.md "Annual reports":
 *   GET  /api/v1/supervision/annual-reports/form  annual_reports.file (the
 *        holder): the year due, the window, the industry's fields
 *   POST /api/v1/supervision/annual-reports       annual_reports.file
 *   GET  /api/v1/public/annual-reports            anyone (no personal data)
 *   GET  /api/v1/public/abnormal-list             anyone (current entries)
 *   POST /api/v1/supervision/credit/jobs/run      credit.jobs: the daily
 *        job now (credit_jobs.c; the catalog watch thread runs it daily)
 * The report for year Y is filed from 1 January to 30 June of Y+1 (today
 * from app_config: YIYE_TODAY in tests). After 30 June it is accepted only
 * from an entity listed for Y (补报): the filing takes it off the list.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "core/form.h"
#include "http/credit.h"
#include "store/store_supervision.h"

/* A field the public view leaves out: a person's identity or phone, or a
 * field the catalog marks personal. */
static bool field_personal(const struct catalog_field *f)
{
	return strcmp(f->type, "idcard") == 0 || strcmp(f->type, "phone") == 0 ||
	       json_is_true(json_object_get(f->json, "personal"));
}

/* The entity of the calling holder and what it needs to file: 0, or -1
 * with e filled. */
static int holder_entity(struct req *r, struct store_conn *c, const char *want, char uscc[32],
			 char industry[64], char *name, size_t namesz, struct yerr *e)
{
	bool licensed = false;
	int rc;

	if ((rc = credit_holder_pick(r, c, want, uscc, e)) < 0)
		return rc;
	if ((rc = credit_entity_industry(c, req_district(r), uscc, industry, &licensed, e)) < 0)
		return rc;
	if (industry[0] == '\0')
		return yerr_set(e, 409, "not_licensed", NULL,
				"本主体没有行业综合许可证，无须通过本平台报送年度报告");
	return credit_entity_name(c, req_district(r), uscc, name, namesz, e);
}

/* Copies the JSON of the industry's annual-report fields (*fields, new
 * reference) under the catalog lock. 409 catalog_unavailable. */
static int industry_fields(struct req *r, const char *industry, json_t **fields, struct yerr *e)
{
	const struct catalog_industry *ind;

	*fields = json_array();
	pthread_rwlock_rdlock(&r->app->catalog_lock);
	ind = r->app->catalog ? catalog_industry_find(r->app->catalog, industry) : NULL;
	for (size_t i = 0; ind && i < ind->nannual_fields; i++)
		json_array_append_new(*fields, json_deep_copy(ind->annual_fields[i].json));
	pthread_rwlock_unlock(&r->app->catalog_lock);
	if (ind == NULL)
		return yerr_set(e, 409, "catalog_unavailable", NULL, "目录中没有该行业：%s",
				industry);
	return 0;
}

/* Validates fields (an object) against the industry's annual-report
 * fields as an application form is validated (core/form.c: every required
 * field filled, every value right, no unknown key); fills the public copy.
 * 400 naming "fields.<id>". */
static int validate_fields(struct req *r, const char *industry, const json_t *fields,
			   json_t *public_copy, struct yerr *e)
{
	const struct catalog_industry *ind;
	const struct catalog_field **ptrs = NULL;
	struct form_report rep = {0};
	int rc = 0;

	pthread_rwlock_rdlock(&r->app->catalog_lock);
	ind = r->app->catalog ? catalog_industry_find(r->app->catalog, industry) : NULL;
	if (ind == NULL) {
		pthread_rwlock_unlock(&r->app->catalog_lock);
		return yerr_set(e, 409, "catalog_unavailable", NULL, "目录中没有该行业：%s",
				industry);
	}
	ptrs = calloc(ind->nannual_fields + 1, sizeof(*ptrs));
	if (ptrs == NULL)
		abort();
	for (size_t i = 0; i < ind->nannual_fields; i++)
		ptrs[i] = &ind->annual_fields[i];
	if (!json_is_object(fields))
		rc = yerr_set(e, 400, "invalid_fields", "fields", "年度报告内容须为对象");
	else if (form_precheck(ptrs, ind->nannual_fields, fields, NULL, 0, NULL, 0, app_today(r),
			       &rep) < 0)
		abort();
	if (rc == 0 && rep.n > 0) {
		const struct yerr *first = &rep.items[0].err;

		*e = *first;
		if (strncmp(first->field, "form.", 5) == 0)
			snprintf(e->field, sizeof(e->field), "fields.%s", first->field + 5);
		rc = -1;
	}
	for (size_t i = 0; rc == 0 && i < ind->nannual_fields; i++) {
		json_t *v = json_object_get(fields, ind->annual_fields[i].id);

		if (v && !field_personal(&ind->annual_fields[i]))
			json_object_set(public_copy, ind->annual_fields[i].id, v);
	}
	pthread_rwlock_unlock(&r->app->catalog_lock);
	form_report_free(&rep);
	free(ptrs);
	return rc;
}

/* Whether uscc is listed (not removed) for year. */
static int listed_for(struct store_conn *c, const char *district, const char *uscc, int year,
		      bool *listed, struct yerr *e)
{
	struct abnormal_entry *items = NULL;
	size_t n = 0;
	int64_t total;
	int rc = abnormal_list_read(c, district, uscc, true, 100, 0, &items, &n, &total, e);

	*listed = false;
	for (size_t i = 0; rc == 0 && i < n; i++)
		*listed |= items[i].year == year;
	free(items);
	return rc;
}

void h_annual_report_form(struct req *r)
{
	struct annual_report *mine = NULL;
	struct store_conn *c;
	struct yerr e = {0};
	char uscc[32], industry[64], name[256], from[16], to[16];
	json_t *fields = NULL, *filed;
	const char *want = NULL;
	int today = app_today(r), y, m, d, year, rc;
	size_t n = 0;
	int64_t total;
	bool listed = false;

	date_to_ymd(today, &y, &m, &d);
	year = y - 1;
	snprintf(from, sizeof(from), "%04d-01-01", y);
	snprintf(to, sizeof(to), "%04d-06-30", y);
	if (req_query_text(r, "uscc", 18, &want) < 0 || req_acquire(r, &c) < 0)
		return;
	rc = holder_entity(r, c, want, uscc, industry, name, sizeof(name), &e);
	if (rc == 0)
		rc = annual_report_list(c, req_district(r), 0, uscc, 20, 0, &mine, &n, &total, &e);
	if (rc == 0)
		rc = listed_for(c, req_district(r), uscc, year, &listed, &e);
	store_release(c);
	if (rc == 0)
		rc = industry_fields(r, industry, &fields, &e);
	if (rc < 0) {
		json_decref(fields);
		annual_reports_free(mine, n);
		return reply_yerr(r, &e);
	}
	filed = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(filed,
				      json_pack("{s:i,s:s,s:b}", "year", mine[i].year, "filed_on",
						mine[i].filed_on, "late", mine[i].late));
	annual_reports_free(mine, n);
	reply_json(r, 200,
		   json_pack("{s:s,s:s,s:s,s:i,s:{s:s,s:s},s:b,s:b,s:o,s:o,s:b}", "uscc", uscc,
			     "name", name, "industry", industry, "year", year, "window", "from",
			     from, "to", to, "open", m <= 6, "listed", listed, "filed", filed,
			     "fields", fields, "modelled", 1));
}

void h_annual_report_create(struct req *r)
{
	static const char *const keys[] = {"uscc", "year", "fields", NULL};
	const char *want = NULL;
	struct annual_report a = {0};
	struct store_conn *c;
	struct yerr e = {0};
	json_t *yv, *fields, *pub = json_object(), *ev;
	char name[256], object[96], *ftext = NULL, *ptext = NULL;
	int today = app_today(r), y, m, d, rc;
	bool listed = false;

	if (req_body_keys(r, keys) < 0 || req_text(r, "uscc", 0, 18, &want) < 0) {
		json_decref(pub);
		return;
	}
	date_to_ymd(today, &y, &m, &d);
	yv = json_object_get(r->json, "year");
	if (yv && !json_is_null(yv) &&
	    (!json_is_integer(yv) || json_integer_value(yv) < 2000 ||
	     json_integer_value(yv) > 9999)) {
		json_decref(pub);
		return reply_error(r, 400, "invalid_year", "year", "年度须为四位数年份");
	}
	a.year = json_is_integer(yv) ? (int)json_integer_value(yv) : y - 1;
	fields = json_object_get(r->json, "fields");
	if (req_acquire(r, &c) < 0) {
		json_decref(pub);
		return;
	}
	rc = store_begin(c, &e);
	if (rc == 0)
		rc = holder_entity(r, c, want, a.uscc, a.industry, name, sizeof(name), &e);
	if (rc == 0 && a.year >= y)
		rc = yerr_set(&e, 409, "outside_window", "year",
			      "%d 年度报告须在 %d 年 1 月 1 日至 6 月 30 日报送", a.year,
			      a.year + 1);
	if (rc == 0) {
		/* the first report is for the year after the entity was licensed */
		char first[16] = "", last[16];

		snprintf(last, sizeof(last), "%04d-12-31", a.year);
		rc = credit_entity_first_licensed(c, req_district(r), a.uscc, first, &e);
		if (rc == 0 && first[0] && strcmp(first, last) > 0)
			rc = yerr_set(&e, 409, "not_due", "year",
				      "本主体 %.10s 取得许可，无须报送 %d 年度报告", first, a.year);
	}
	if (rc == 0 && (a.year < y - 1 || m > 6)) {
		/* past the window: only a listed entity files (补报), to come off */
		rc = listed_for(c, req_district(r), a.uscc, a.year, &listed, &e);
		if (rc == 0 && !listed)
			rc = yerr_set(&e, 409, "outside_window", "year",
				      "%d 年度报告的报送期限（%d 年 6 月 30 日）已过", a.year,
				      a.year + 1);
	}
	if (rc == 0)
		rc = validate_fields(r, a.industry, fields ? fields : json_null(), pub, &e);
	if (rc == 0) {
		ftext = json_dumps(fields, JSON_COMPACT | JSON_SORT_KEYS);
		ptext = json_dumps(pub, JSON_COMPACT | JSON_SORT_KEYS);
		a.fields = ftext;
		a.public_fields = ptext;
		a.entity_name = name;
		a.late = listed;
		a.filed_at = app_now(r->app);
		store_day_text(today, a.filed_on);
		rc = annual_report_insert(c, req_district(r), &a, r->who.id, &e);
	}
	if (rc == 0 && listed)
		rc = abnormal_list_remove(c, req_district(r), a.uscc, a.year, "已补报年度报告",
					  today, a.filed_at, NULL, &e);
	if (rc == 0) {
		char ref[32];

		snprintf(ref, sizeof(ref), "%lld", (long long)a.id);
		ev = json_pack("{s:s,s:s,s:i,s:s,s:b,s:O}", "uscc", a.uscc, "name", name, "year",
			       a.year, "filed_on", a.filed_on, "late", a.late, "fields", pub);
		rc = sup_event_append(c, req_district(r), "annual_report", ref, ev, &e);
		json_decref(ev);
	}
	if (rc == 0) {
		snprintf(object, sizeof(object), "annual_report:%s:%d", a.uscc, a.year);
		rc = req_audit_commit(r, c, object, NULL, &e);
	}
	store_release(c);
	free(ftext);
	free(ptext);
	if (rc < 0) {
		json_decref(pub);
		return reply_yerr(r, &e);
	}
	reply_json(r, 201,
		   json_pack("{s:{s:I,s:s,s:s,s:i,s:s,s:b,s:o},s:b}", "report", "id",
			     (json_int_t)a.id, "uscc", a.uscc, "name", name, "year", a.year,
			     "filed_on", a.filed_on, "late", a.late, "public_fields", pub,
			     "removed_from_abnormal_list", listed));
}

static json_t *report_public_json(const void *item)
{
	const struct annual_report *a = item;
	json_t *pub = json_loads(a->public_fields ? a->public_fields : "{}", 0, NULL);

	return json_pack("{s:s,s:s,s:i,s:s,s:s,s:b,s:o}", "uscc", a->uscc, "name", a->entity_name,
			 "year", a->year, "industry", a->industry, "filed_on", a->filed_on, "late",
			 a->late, "fields", pub ? pub : json_object());
}

void h_annual_reports_public(struct req *r)
{
	struct annual_report *items = NULL;
	struct req_page page;
	struct store_conn *c;
	struct yerr e = {0};
	const char *uscc = NULL;
	long long year = 0;
	int64_t total = 0;
	size_t n = 0;
	int rc;

	if (req_paging(r, REQ_PAGE_DEFAULT, REQ_PAGE_MAX, &page) < 0 ||
	    req_query_text(r, "uscc", 18, &uscc) < 0 ||
	    req_query_int(r, "year", 0, 0, 9999, &year) < 0 || req_acquire(r, &c) < 0)
		return;
	rc = annual_report_list(c, req_district(r), (int)year, uscc, page.limit, page.offset,
				&items, &n, &total, &e);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	reply_json(r, 200, req_list(items, n, sizeof(*items), report_public_json, total, &page));
	annual_reports_free(items, n);
}

static json_t *abnormal_json(const void *item)
{
	const struct abnormal_entry *a = item;

	return json_pack("{s:s,s:s,s:i,s:s,s:s}", "uscc", a->uscc, "name", a->entity_name, "year",
			 a->year, "reason", a->reason, "listed_on", a->listed_on);
}

void h_abnormal_list_public(struct req *r)
{
	struct abnormal_entry *items = NULL;
	struct req_page page;
	struct store_conn *c;
	struct yerr e = {0};
	const char *uscc = NULL;
	int64_t total = 0;
	size_t n = 0;
	int rc;

	if (req_paging(r, REQ_PAGE_DEFAULT, REQ_PAGE_MAX, &page) < 0 ||
	    req_query_text(r, "uscc", 18, &uscc) < 0 || req_acquire(r, &c) < 0)
		return;
	rc = abnormal_list_read(c, req_district(r), uscc, true, page.limit, page.offset, &items, &n,
				&total, &e);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	reply_json(r, 200, req_list(items, n, sizeof(*items), abnormal_json, total, &page));
	free(items);
}

void h_credit_job_run(struct req *r)
{
	struct credit_job_result res = {0};
	struct yerr e = {0};

	if (credit_job_run(r->app->store, req_district(r), app_today(r), true, &res, &e) < 0)
		return reply_yerr(r, &e);
	reply_json(r, 200,
		   json_pack("{s:b,s:i,s:i}", "ran", res.ran, "listed", res.listed, "regraded",
			     res.regraded));
}
