#ifndef YIYE_HTTP_REPORT_H
#define YIYE_HTTP_REPORT_H
/*
 * report.h — the monthly report (月度报告, issue 15): its figures gathered
 * through the statistics functions the API answers with (stats_overview,
 * stats_view of src/http/statistics.h), so the PDF and the API agree, then
 * drawn by render_report_pdf (src/render/render_report.h). Shared by
 * GET /api/v1/statistics/reports/monthly (h_report.c) and
 * `yiye report monthly` (src/cli/cmd_report.c).
 */
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/catalog.h"
#include "core/error.h"
#include "store/store.h"

/*
 * report_month_parse checks month ("YYYY-MM", 2000-01 … 2999-12) and writes
 * the month's first and last day (from, to) and the first day of the 12
 * months ending with it (trend_from), each "YYYY-MM-DD". Returns 0, or -1
 * with err (400 invalid_month, field "month").
 */
int report_month_parse(const char *month, char from[11], char to[11], char trend_from[11],
		       struct yerr *err);

/*
 * report_monthly_build gathers the report of `month` for district on c
 * (plain reads, no transaction of its own): the overview of the month, the
 * trend of the 12 months ending with it, and the month's views (industries,
 * departments, savings, supervision, satisfaction), with `now` (unix
 * seconds) as the date it was generated; cat (the active catalog, may be
 * NULL) names industries and streets, as in the API. department: NULL for
 * the whole district, else the report of that department alone (what a
 * department's staff may see, as GET …/overview narrows them). *out is the object
 * render_report_pdf takes (the caller decrefs it). Returns 0, or -1 with err.
 */
int report_monthly_build(struct store_conn *c, const char *district, const struct catalog *cat,
			 const char *department, const char *month, int64_t now, json_t **out,
			 struct yerr *err);

/* report_monthly_pdf: report_monthly_build + render_report_pdf; *pdf is
 * malloc'd (the caller frees it). */
int report_monthly_pdf(struct store_conn *c, const char *district, const struct catalog *cat,
		       const char *department, const char *month, int64_t now, unsigned char **pdf,
		       size_t *len, struct yerr *err);

#endif
