/*
 * store_stats.h — the SQL of the statistics (issue 15, docs/api-statistics.md).
 *
 * Every function takes the caller's connection and district, runs plain
 * reads (no transaction of its own, except the writers of the derived data
 * in store_stats_sync.c) and answers plain structs: the figures are
 * aggregated inside the database (one grouped scan of the cohort's narrow
 * fact rows, a few small counts) so the cost is one pass over one index's
 * entries of the date range, whatever their number. JSON belongs to
 * src/http/.
 *
 * The cohort of the application figures is "applications whose clock
 * started (first submission) on a day in [from, to]", narrowed by the
 * filter; license, supervision and complaint figures count events whose own
 * day lies in [from, to].
 */
#ifndef YIYE_STORE_STATS_H
#define YIYE_STORE_STATS_H

#include <stdint.h>

#include "core/error.h"
#include "store/store.h"

/* PostgreSQL planner settings (store_exec_pg_planned) for a count that an
 * index of its own serves (the license events by kind, the licenses in
 * force by holder): with random_page_cost 4 the planner rates reading that
 * index above a sequential scan of every row and picks the scan, measured
 * 1.5-2.5 times as slow over 700,000 rows (docs/benchmarks.md). */
#define STATS_PG_READ_INDEX \
	((const char *const[]){"enable_seqscan = off", "enable_bitmapscan = off", NULL})

/* The filter of every figure. from/to: inclusive 'YYYY-MM-DD'; industry,
 * department, street: NULL or "" for all. from_at/to_at: the same range in
 * unix seconds, Asia/Shanghai midnights [from 00:00, to+1 00:00). */
struct stats_range {
	char from[11], to[11];
	int64_t from_at, to_at;
	const char *industry;
	const char *department;
	const char *street;
};

/* Distinct statuses and kinds an application can have (workflow.c,
 * lifecycle.c): fixed bounds for the arrays below. */
#define STATS_MAX_GROUPS 64
/* Net working days above this are counted in the last bucket. */
#define STATS_MAX_DAYS 400

struct stats_count {
	char key[32];
	int64_t n;
};

/* Applications of the cohort per frozen notice (application_notices.hash). */
struct stats_notice_count {
	char hash[80];
	int64_t n;
};

/* The grouped scan of the cohort. */
struct stats_apps {
	int64_t total;
	struct stats_count by_status[STATS_MAX_GROUPS];
	int nstatus;
	struct stats_count by_kind[STATS_MAX_GROUPS];
	int nkind;
	int64_t walk_in;   /* applications submitted at the window */
	int64_t rounds;    /* 补正 rounds of every application */
	int64_t prefilled; /* field ids in applications.prefilled */
	/* materials obtained by sharing instead of from the applicant
	 * (application_shared_materials, migration 0042: written by 免于提交
	 * when the entity is in the register) */
	int64_t shared;
	/* Licensed ones (a license row names the application): */
	int64_t licensed;
	int64_t days_sum;                   /* net working days, submission to license */
	int64_t on_time;                    /* net working days <= the committed limit */
	int64_t paused_sum;                 /* working days paused in 补正 */
	int64_t rounds_lic;                 /* 补正 rounds of the licensed ones */
	int64_t window_handovers;           /* their licenses collected at the window */
	int64_t hist[STATS_MAX_DAYS + 1];   /* licensed applications by net working days */
	struct stats_notice_count *notices; /* malloc'd: store_stats_apps_free */
	int nnotices;
};
void store_stats_apps_free(struct stats_apps *a);

/* Brings the derived data the statistics read up to date: stats_days with
 * the district's calendar rows (rebuilt when their fingerprint changed,
 * which unsettles every licensed fact), stats_facts (rebuilt from the
 * sources when the district has none yet: an older database, or
 * store_stats_rebuild), and the working days of the unsettled facts. A few
 * reads when all is current; otherwise one transaction by the first request
 * of this process (store_rebuild_lock; the others wait for it and then only
 * read, so concurrent first requests all succeed) and of the cluster (a
 * keyed lock on PostgreSQL). Call it before the other functions, outside a
 * transaction. */
int store_stats_sync(struct store_conn *c, const char *district, struct yerr *err);

/* Re-derives the fact row of one application from its sources (migration
 * 0053), unsettled: call it in the transaction of every change to what the
 * statistics read of an application (its save, its license, a hand-over of
 * that license, a material obtained by sharing). A draft (no clock) has no
 * row. _license: the application the license number/version was issued on,
 * if any. */
int store_stats_touch(struct store_conn *c, const char *district, int64_t app_id, struct yerr *err);
int store_stats_touch_license(struct store_conn *c, const char *district, const char *number,
			      int version, struct yerr *err);

/* Rebuilds the district's facts from their sources now (`yiye statistics
 * rebuild`): for rows written past the workflow (an import, a bench's
 * generator). Outside a transaction. */
int store_stats_rebuild(struct store_conn *c, const char *district, struct yerr *err);

int store_stats_apps(struct store_conn *c, const char *district, const struct stats_range *f,
		     struct stats_apps *out, struct yerr *err);

/* The frozen notices a's cohort points at: fn is called once per distinct
 * notice with its JSON text and the number of applications of the cohort
 * that point at it. Returns 0 or a STORE_E* code. */
typedef int (*stats_notice_fn)(void *ctx, const char *notice, int64_t count);
int store_stats_notices(struct store_conn *c, const char *district, const struct stats_apps *a,
			stats_notice_fn fn, void *ctx, struct yerr *err);

struct stats_licenses {
	int64_t issued, changed, cancelled, revoked, suspended, expired;
};
int store_stats_licenses(struct store_conn *c, const char *district, const struct stats_range *f,
			 struct stats_licenses *out, struct yerr *err);

struct stats_supervision {
	int64_t plans, plans_drawn, draws, checks_drawn;
	int64_t checks, checks_done, findings, passed;
	int64_t followups, followups_on_time;
	int64_t penalties, penalty_amount;
	int64_t complaints, complaints_closed, complaints_closed_on_time, complaint_days_sum;
	int64_t report_year, reports_expected, reports_filed, reports_late;
	/* coverage by credit grade: entities of the grade, entities checked */
	int64_t grade_entities[4], grade_checked[4];
};
int store_stats_supervision(struct store_conn *c, const char *district, const struct stats_range *f,
			    struct stats_supervision *out, struct yerr *err);

/* 好差评 rated in the range (ratings.rated_on), by level 1..5, and the 差评整改
 * follow-ups of those ratings still open. */
struct stats_satisfaction {
	int64_t ratings, by_level[6], followups, followups_open;
};
int store_stats_satisfaction(struct store_conn *c, const char *district,
			     const struct stats_range *f, struct stats_satisfaction *out,
			     struct yerr *err);

/* Labels: the departments of the district (code, name), in code order.
 * *out is malloc'd (caller frees). */
struct stats_label {
	char code[64];
	char name[128];
};
int store_stats_departments(struct store_conn *c, const char *district, struct stats_label **out,
			    int *n, struct yerr *err);
/* The industries that appear in the applications of the district. */
int store_stats_industries(struct store_conn *c, const char *district, struct stats_label **out,
			   int *n, struct yerr *err);

#endif
