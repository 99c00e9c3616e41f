/*
 * h_report.c — the monthly report (月度报告, issue 15, stats-ui):
 * GET /api/v1/statistics/reports/monthly?month=YYYY-MM answers the PDF
 * (docs/api-statistics.md "Dashboards and the monthly report"), and the
 * gathering of its figures that `yiye report monthly` shares.
 *
 * The figures come from stats_overview and stats_view, the functions the
 * statistics API answers with, never from SQL of its own: a figure in the
 * PDF is the API's figure for the same month. The route renders on the
 * render worker class (ROUTE_RENDERS): cairo and Pango take tens of
 * milliseconds, so at most YIYE_RENDER_WORKERS run at once and past the
 * queue the caller gets 503 busy, never an unbounded wait.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "core/date.h"
#include "http/args.h"
#include "http/handlers.h"
#include "http/http.h"
#include "http/report.h"
#include "http/statistics.h"
#include "render/render_report.h"
#include "store/store_stats.h"

/* The views the report draws; trends is asked over 12 months. */
static const char *const month_views[] = {"industries", "departments", "savings", "supervision",
					  "satisfaction"};

int report_month_parse(const char *month, char from[11], char to[11], char trend_from[11],
		       struct yerr *err)
{
	int y, m, ty, tm;

	if (month == NULL || strlen(month) != 7 || month[4] != '-' ||
	    sscanf(month, "%4d-%2d", &y, &m) != 2 || y < 2000 || y > 2999 || m < 1 || m > 12 ||
	    strspn(month, "0123456789-") != 7)
		return yerr_set(err, 400, "invalid_month", "month",
				"月份格式应为 YYYY-MM，例如 2026-11");
	/* Unsigned and bounded, so the compiler sees the dates fit 11 bytes. */
	snprintf(from, 11, "%04u-%02u-01", (unsigned)y % 10000u, (unsigned)m % 100u);
	snprintf(to, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
		 (unsigned)date_days_in_month(y, m) % 100u);
	ty = m == 12 ? y : y - 1;
	tm = m == 12 ? 1 : m + 1;
	snprintf(trend_from, 11, "%04u-%02u-01", (unsigned)ty % 10000u, (unsigned)tm % 100u);
	return 0;
}

/* The filter of the whole district (or of department) over [from, to]. */
static int report_filter(struct stats_filter *f, const char *from, const char *to,
			 const struct catalog *cat, const char *department, int64_t now,
			 struct yerr *err)
{
	if (stats_filter_init(f, from, to, NULL, department, NULL, now, err) < 0)
		return -1;
	f->cat = cat;
	return 0;
}

/* report.scope: 本区全部部门, or the department's name (its code when the
 * district has no such department). */
static int report_scope(struct store_conn *c, const char *district, const char *department,
			json_t *report, struct yerr *err)
{
	struct stats_label *labels = NULL;
	char scope[200];
	int n = 0;

	if (department == NULL || !*department) {
		json_object_set_new(report, "scope", json_string("本区全部部门"));
		return 0;
	}
	if (store_stats_departments(c, district, &labels, &n, err) < 0)
		return -1;
	snprintf(scope, sizeof(scope), "%s", department);
	for (int i = 0; i < n; i++)
		if (strcmp(labels[i].code, department) == 0)
			snprintf(scope, sizeof(scope), "%s", labels[i].name);
	free(labels);
	json_object_set_new(report, "scope", json_string(scope));
	return 0;
}

int report_monthly_build(struct store_conn *c, const char *district, const struct catalog *cat,
			 const char *department, const char *month, int64_t now, json_t **out,
			 struct yerr *err)
{
	char from[11], to[11], trend_from[11], today[11], period[40];
	struct stats_filter f;
	json_t *report = NULL, *views, *v = NULL;

	*out = NULL;
	if (report_month_parse(month, from, to, trend_from, err) < 0)
		return -1;
	if (date_format(date_today_shanghai((time_t)now), today, sizeof(today)) < 0)
		today[0] = '\0';
	snprintf(period, sizeof(period), "%s 至 %s", from, to);
	report = json_pack("{s:s, s:s, s:s, s:o}", "month", month, "period", period, "title",
			   "“一业一证”改革成效月度报告", "views", json_object());
	if (report == NULL)
		return yerr_set(err, 500, "internal", "", "内存不足");
	if (today[0])
		json_object_set_new(report, "generated_on", json_string(today));
	if (report_scope(c, district, department, report, err) < 0)
		goto fail;
	views = json_object_get(report, "views");

	if (report_filter(&f, from, to, cat, department, now, err) < 0 ||
	    stats_overview(c, district, &f, &v, err) < 0)
		goto fail;
	json_object_set_new(report, "overview", v);
	if (report_filter(&f, trend_from, to, cat, department, now, err) < 0 ||
	    stats_view(c, district, "trends", &f, &v, err) < 0)
		goto fail;
	json_object_set_new(views, "trends", v);
	if (report_filter(&f, from, to, cat, department, now, err) < 0)
		goto fail;
	for (size_t i = 0; i < sizeof(month_views) / sizeof(month_views[0]); i++) {
		if (stats_view(c, district, month_views[i], &f, &v, err) < 0)
			goto fail;
		json_object_set_new(views, month_views[i], v);
	}
	*out = report;
	return 0;
fail:
	json_decref(report);
	return -1;
}

int report_monthly_pdf(struct store_conn *c, const char *district, const struct catalog *cat,
		       const char *department, const char *month, int64_t now, unsigned char **pdf,
		       size_t *len, struct yerr *err)
{
	json_t *report = NULL;
	int rc = report_monthly_build(c, district, cat, department, month, now, &report, err);

	*pdf = NULL;
	*len = 0;
	if (rc == 0)
		rc = render_report_pdf(report, pdf, len, err);
	json_decref(report);
	return rc;
}

/* Roles whose report is the whole district's: the DISTRICT_WIDE of
 * h_statistics.c, which the statistics routes apply; the report must narrow
 * exactly as they do, so keep the two lists equal. */
#define REPORT_DISTRICT_WIDE                                                                  \
	(ROLE_BIT(ROLE_WINDOW_CLERK) | ROLE_BIT(ROLE_ISSUER) | ROLE_BIT(ROLE_CATALOG_ADMIN) | \
	 ROLE_BIT(ROLE_SYSTEM_ADMIN) | ROLE_BIT(ROLE_AUDITOR))

/* The department the caller's report is limited to, or NULL for the
 * district: staff of one department (reviewer, inspector, supervisor) see
 * their department's figures only, as in GET /api/v1/statistics/overview. */
static const char *report_department(const struct req *r)
{
	const struct principal *p = &r->who;

	if (p->kind != PRINCIPAL_TOKEN && !(p->roles & REPORT_DISTRICT_WIDE) && p->department[0])
		return p->department;
	return NULL;
}

void h_statistics_report_monthly(struct req *r)
{
	const char *month = req_query(r, "month");
	char from[11], to[11], trend_from[11], disp[96];
	struct store_conn *c;
	struct yerr e = {0};
	unsigned char *pdf = NULL;
	size_t len = 0;
	int rc;

	/* The month is judged before a connection is taken. */
	if (report_month_parse(month, from, to, trend_from, &e) < 0)
		return reply_yerr(r, &e);
	if (req_acquire(r, &c) < 0)
		return;
	/* The active catalog names industries and streets; held shared, as
	 * the guide holds it, for the length of the gathering. */
	pthread_rwlock_rdlock(&r->app->catalog_lock);
	rc = report_monthly_pdf(c, req_district(r), r->app->catalog, report_department(r), month,
				app_now(r->app), &pdf, &len, &e);
	pthread_rwlock_unlock(&r->app->catalog_lock);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	snprintf(disp, sizeof(disp), "attachment; filename=\"monthly-report-%s.pdf\"", month);
	reply_header(r, "Content-Disposition", disp);
	reply_raw(r, 200, "application/pdf", pdf, len);
	free(pdf);
}
