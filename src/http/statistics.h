/*
 * statistics.h — the figures of issue 15 as the API answers them
 * (docs/api-statistics.md): the overview and the per-view tables, built from
 * the store's aggregates (store/store_stats.h), plus their CSV and xlsx
 * renderings. The handlers (h_statistics.c) and the monthly report call the
 * same functions, so a figure has one definition wherever it appears.
 */
#ifndef YIYE_HTTP_STATISTICS_H
#define YIYE_HTTP_STATISTICS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/catalog.h"
#include "core/error.h"
#include "store/store.h"

/* The filter of every figure. from/to: 'YYYY-MM-DD', inclusive; industry,
 * department, street: NULL or "" for all (street: a code of the catalog's
 * F_site_street field). cat: the active catalog for labels (industry and
 * street names), may be NULL. now: the time written as generated_at. */
struct stats_filter {
	char from[11], to[11];
	const char *industry;
	const char *department;
	const char *street;
	const struct catalog *cat;
	int64_t now;
};

/* The views of GET /api/v1/statistics/views/{view}, in sheet order. */
extern const char *const stats_view_names[];
extern const int stats_view_count;

/* Checks and completes a filter from query values (any may be NULL):
 * from/to default to the 12 months up to today (Asia/Shanghai, from `now`);
 * 400 invalid_date (field from / to), invalid_range (to before from, or
 * more than 10 years), invalid_code (industry, department, street: 1..32
 * characters [A-Za-z0-9_-]). The text pointers are kept, not copied. */
int stats_filter_init(struct stats_filter *f, const char *from, const char *to,
		      const char *industry, const char *department, const char *street, int64_t now,
		      struct yerr *err);

/* The headline figures (shape in docs/api-statistics.md "Overview"). *out is
 * a new reference. Runs plain reads on c (no transaction open), except that
 * it first brings the working-day ordinals up to date (store_stats.h). */
int stats_overview(struct store_conn *c, const char *district, const struct stats_filter *f,
		   json_t **out, struct yerr *err);

/* One view as a table {"view","title","filter","columns","rows"}; 404
 * unknown_view for a name not in stats_view_names. */
int stats_view(struct store_conn *c, const char *district, const char *view,
	       const struct stats_filter *f, json_t **out, struct yerr *err);

/* The overview as a table of the same shape (view "overview", title 概览,
 * one row per figure: key, label, value, unit), for CSV and the 概览 sheet.
 * A new reference. */
json_t *stats_overview_table(const json_t *overview);

/* A table as CSV: UTF-8 with a BOM (Excel opens it as UTF-8), CRLF lines,
 * the Chinese labels as the header row; every cell quoted when it needs it
 * and a text cell starting with = + - @ TAB or CR prefixed with ' so a
 * spreadsheet never runs it as a formula. *out malloc'd (caller frees). */
int stats_csv(const json_t *table, char **out, size_t *len);

/* Tables as one xlsx workbook, one sheet per table (sheet name = title),
 * Chinese headers, numbers as numbers. *out malloc'd (caller frees).
 * Returns 0, or -1 with err set (500 export_failed). */
int stats_xlsx(json_t *const *tables, int n, char **out, size_t *len, struct yerr *err);

#endif
