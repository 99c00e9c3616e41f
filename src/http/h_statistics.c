/*
 * h_statistics.c — the statistics routes (docs/api-statistics.md):
 *   GET /api/v1/statistics/overview[.csv|.xlsx]    statistics.read
 *   GET /api/v1/statistics/views/{view}[.csv|.xlsx] statistics.read
 * Filters ?from=&to=&industry=&department=&street=. Staff of one department
 * (reviewer, inspector, supervisor: a role tied to a department)
 * see their department's figures only: the department filter is theirs
 * whatever they ask, and another department is 403. The district-wide roles
 * (window, issuer, catalog and system administrators, auditors, tokens with
 * reports:read) see every department.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/args.h"
#include "http/handlers.h"
#include "http/statistics.h"

enum stats_format { FMT_JSON, FMT_CSV, FMT_XLSX };

/* Roles whose figures are the whole district's. */
#define DISTRICT_WIDE                                                                         \
	(ROLE_BIT(ROLE_WINDOW_CLERK) | ROLE_BIT(ROLE_ISSUER) | ROLE_BIT(ROLE_CATALOG_ADMIN) | \
	 ROLE_BIT(ROLE_SYSTEM_ADMIN) | ROLE_BIT(ROLE_AUDITOR))

/* Reads the filter from the query and applies the caller's department
 * limit; replies and returns -1 on a bad value. */
static int filter_read(struct req *r, struct stats_filter *f)
{
	const char *dept = req_query(r, "department");
	const struct principal *p = &r->who;
	struct yerr e = {0};

	if (p->kind != PRINCIPAL_TOKEN && !(p->roles & DISTRICT_WIDE) && p->department[0]) {
		if (dept && *dept && strcmp(dept, p->department) != 0) {
			reply_error(r, 403, "forbidden_department", "department",
				    "只能查看本部门的统计数据");
			return -1;
		}
		dept = p->department;
	}
	if (stats_filter_init(f, req_query(r, "from"), req_query(r, "to"), req_query(r, "industry"),
			      dept, req_query(r, "street"), app_now(r->app), &e) < 0) {
		reply_yerr(r, &e);
		return -1;
	}
	return 0;
}

static void reply_table(struct req *r, json_t *table, const char *name, enum stats_format fmt)
{
	char disp[160], *bytes = NULL;
	size_t len = 0;
	struct yerr e = {0};

	if (fmt == FMT_JSON)
		return reply_json(r, 200, table);
	if (fmt == FMT_CSV)
		stats_csv(table, &bytes, &len);
	else if (stats_xlsx(&table, 1, &bytes, &len, &e) < 0) {
		json_decref(table);
		return reply_yerr(r, &e);
	}
	json_decref(table);
	snprintf(disp, sizeof(disp), "attachment; filename=\"yiye-statistics-%s.%s\"", name,
		 fmt == FMT_CSV ? "csv" : "xlsx");
	reply_header(r, "Content-Disposition", disp);
	reply_raw(r, 200,
		  fmt == FMT_CSV
		      ? "text/csv; charset=utf-8"
		      : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		  bytes, len);
	free(bytes);
}

/* Runs fn with the connection and the active catalog (labels) held. */
static int with_store(struct req *r, struct stats_filter *f, const char *view, json_t **out)
{
	struct store_conn *c;
	struct yerr e = {0};
	int rc;

	if (req_acquire(r, &c) < 0)
		return -1;
	pthread_rwlock_rdlock(&r->app->catalog_lock);
	f->cat = r->app->catalog;
	rc = view ? stats_view(c, req_district(r), view, f, out, &e)
		  : stats_overview(c, req_district(r), f, out, &e);
	f->cat = NULL;
	pthread_rwlock_unlock(&r->app->catalog_lock);
	store_release(c);
	if (rc < 0) {
		reply_yerr(r, &e);
		return -1;
	}
	return 0;
}

static void overview(struct req *r, enum stats_format fmt)
{
	struct stats_filter f;
	json_t *ov = NULL;

	if (filter_read(r, &f) < 0 || with_store(r, &f, NULL, &ov) < 0)
		return;
	if (fmt == FMT_JSON)
		return reply_json(r, 200, ov);
	if (fmt == FMT_CSV) {
		json_t *t = stats_overview_table(ov);

		json_decref(ov);
		return reply_table(r, t, "overview", FMT_CSV);
	}
	/* the workbook: 概览, then one sheet per view */
	{
		json_t *tables[16] = {0};
		char *bytes = NULL;
		size_t len = 0;
		struct yerr e = {0};
		int n = 0, rc = 0;

		tables[n++] = stats_overview_table(ov);
		json_decref(ov);
		for (int i = 0; i < stats_view_count && rc == 0; i++)
			rc = with_store(r, &f, stats_view_names[i], &tables[n++]);
		if (rc == 0 && stats_xlsx(tables, n, &bytes, &len, &e) < 0) {
			reply_yerr(r, &e);
			rc = -1;
		}
		for (int i = 0; i < n; i++)
			json_decref(tables[i]);
		if (rc < 0)
			return;
		reply_header(r, "Content-Disposition",
			     "attachment; filename=\"yiye-statistics-overview.xlsx\"");
		reply_raw(r, 200,
			  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
			  bytes, len);
		free(bytes);
	}
}

void h_statistics_overview(struct req *r)
{
	overview(r, FMT_JSON);
}

void h_statistics_overview_csv(struct req *r)
{
	overview(r, FMT_CSV);
}

void h_statistics_overview_xlsx(struct req *r)
{
	overview(r, FMT_XLSX);
}

/* {view}, {view}.csv or {view}.xlsx */
void h_statistics_view(struct req *r)
{
	const char *p = req_param(r, "view");
	enum stats_format fmt = FMT_JSON;
	struct stats_filter f;
	json_t *t = NULL;
	char view[32];
	size_t n = p ? strlen(p) : 0;

	if (n > 4 && strcmp(p + n - 4, ".csv") == 0) {
		fmt = FMT_CSV;
		n -= 4;
	} else if (n > 5 && strcmp(p + n - 5, ".xlsx") == 0) {
		fmt = FMT_XLSX;
		n -= 5;
	}
	if (n == 0 || n >= sizeof(view))
		return reply_error(r, 404, "unknown_view", "view", "没有这个统计视图");
	memcpy(view, p, n);
	view[n] = '\0';
	for (int i = 0;; i++) {
		if (i == stats_view_count)
			return reply_error(r, 404, "unknown_view", "view", "没有这个统计视图");
		if (strcmp(view, stats_view_names[i]) == 0)
			break;
	}
	if (filter_read(r, &f) < 0 || with_store(r, &f, view, &t) < 0)
		return;
	reply_table(r, t, view, fmt);
}
