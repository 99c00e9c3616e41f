/*
 * store_stats.c — the SQL of the statistics (store_stats.h): the application
 * cohort's one grouped scan, the license events and the labels. The
 * supervision figures are in store_stats_sup.c; the derived data they read
 * (working-day ordinals, fact rows) is kept by store_stats_sync.c.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_stats.h"

/* The cohort's WHERE clause on the fact rows `f` (after "WHERE "), with its
 * parameters appended to p from *np. The months bound the index seek (the
 * index is led by the month); the days then trim the first and last month.
 * Street: the form's F_site_street as the compact JSON text stores it (the
 * value is checked to be a plain code by the caller, so the pattern needs no
 * escaping beyond LIKE's own). */
struct cohort {
	char from_month[8], to_month[8], like[128];
};

static void cohort_where(const char *district, const struct stats_range *f, char *sql, size_t sqlsz,
			 struct store_param *p, int *np, struct cohort *k)
{
	snprintf(k->from_month, sizeof(k->from_month), "%.7s", f->from);
	snprintf(k->to_month, sizeof(k->to_month), "%.7s", f->to);
	sql[0] = '\0';
	store_where_add(sql, sqlsz, "f.district = ?", p, np, SP_TEXT(district));
	store_where_add(sql, sqlsz, " AND f.month >= ?", p, np, SP_TEXT(k->from_month));
	store_where_add(sql, sqlsz, " AND f.month <= ?", p, np, SP_TEXT(k->to_month));
	store_where_add(sql, sqlsz, " AND f.submitted_on >= ?", p, np, SP_TEXT(f->from));
	store_where_add(sql, sqlsz, " AND f.submitted_on <= ?", p, np, SP_TEXT(f->to));
	if (f->industry && *f->industry)
		store_where_add(sql, sqlsz, " AND f.industry = ?", p, np, SP_TEXT(f->industry));
	if (f->department && *f->department)
		store_where_add(sql, sqlsz,
				" AND EXISTS (SELECT 1 FROM application_departments ad WHERE "
				"ad.application_id = f.application_id AND ad.department = ?)",
				p, np, SP_TEXT(f->department));
	if (f->street && *f->street) {
		snprintf(k->like, sizeof(k->like), "%%\"F_site_street\":\"%s\"%%", f->street);
		store_where_add(sql, sqlsz,
				" AND EXISTS (SELECT 1 FROM applications a WHERE a.district = "
				"f.district AND a.id = f.application_id AND a.form LIKE ?)",
				p, np, SP_TEXT(k->like));
	}
}

/* Adds n to the counter named key (a new one when absent and room left). */
static void count_add(struct stats_count *arr, int *n, const char *key, int64_t v)
{
	for (int i = 0; i < *n; i++)
		if (strcmp(arr[i].key, key) == 0) {
			arr[i].n += v;
			return;
		}
	if (*n < STATS_MAX_GROUPS) {
		snprintf(arr[*n].key, sizeof(arr[*n].key), "%s", key);
		arr[(*n)++].n = v;
	}
}

/* Adds n applications to the notice named hash. */
static void notice_count(struct stats_apps *a, const char *hash, int64_t n, int *cap)
{
	for (int i = 0; i < a->nnotices; i++)
		if (strcmp(a->notices[i].hash, hash) == 0) {
			a->notices[i].n += n;
			return;
		}
	if (a->nnotices == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		a->notices = realloc(a->notices, sizeof(*a->notices) * (size_t)*cap);
		if (a->notices == NULL)
			abort();
	}
	snprintf(a->notices[a->nnotices].hash, sizeof(a->notices[0].hash), "%s", hash);
	a->notices[a->nnotices++].n = n;
}

void store_stats_apps_free(struct stats_apps *a)
{
	free(a->notices);
	a->notices = NULL;
	a->nnotices = 0;
}

/* THE query of the statistics: one grouped pass over the cohort's fact rows
 * (store_stats_sync.c keeps them). Each group is (month, status, kind, net
 * working days or NULL, frozen notice: few distinct values each); the rest
 * is summed inside the group, so the answer is a few thousand rows whatever
 * the cohort's size, and the percentiles come from the per-day histogram.
 * The groups lead with the month because the index does: the pass reads the
 * index in group order and needs no sort. */
#define APPS_SQL_HEAD                                                                \
	"SELECT f.status, f.kind, f.days, count(*), sum(f.walk_in), sum(f.rounds), " \
	"sum(f.paused), sum(CASE WHEN f.days <= f.time_limit THEN 1 ELSE 0 END), "   \
	"sum(f.prefilled), sum(f.window_handover), f.notice_hash, sum(f.shared) "    \
	"FROM stats_facts f WHERE "
#define APPS_SQL_TAIL " GROUP BY f.month, f.status, f.kind, f.days, f.notice_hash"

int store_stats_apps(struct store_conn *c, const char *district, const struct stats_range *f,
		     struct stats_apps *out, struct yerr *err)
{
	struct store_param p[8];
	struct store_result *r = NULL;
	struct cohort k = {0};
	char where[640], sql[2048];
	int np = 0, rc, cap = 0;

	memset(out, 0, sizeof(*out));
	cohort_where(district, f, where, sizeof(where), p, &np, &k);
	snprintf(sql, sizeof(sql), "%s%s%s", APPS_SQL_HEAD, where, APPS_SQL_TAIL);
	/* PostgreSQL hashes the groups unless told otherwise, twice as slow
	 * over a million rows as aggregating them in the order the index
	 * delivers them (0.45 s against 0.25 s, docs/benchmarks.md): it
	 * underrates hashing five keys a row. SQLite uses the index order. */
	rc = store_exec_pg_planned(c, (const char *const[]){"enable_hashagg = off", NULL}, sql, p,
				   np, &r, err);
	if (rc < 0)
		return rc;
	for (int i = 0; i < r->rows; i++) {
		int64_t n = store_cell_int(r, i, 3, 0), d;

		notice_count(out, store_cell(r, i, 10) ? store_cell(r, i, 10) : "", n, &cap);
		out->total += n;
		count_add(out->by_status, &out->nstatus, store_cell(r, i, 0), n);
		count_add(out->by_kind, &out->nkind, store_cell(r, i, 1), n);
		out->walk_in += store_cell_int(r, i, 4, 0);
		out->rounds += store_cell_int(r, i, 5, 0);
		out->prefilled += store_cell_int(r, i, 8, 0);
		out->shared += store_cell_int(r, i, 11, 0);
		if (store_cell(r, i, 2) == NULL)
			continue;
		d = store_cell_int(r, i, 2, 0);
		out->licensed += n;
		out->days_sum += n * d;
		out->hist[d < 0 ? 0 : d > STATS_MAX_DAYS ? STATS_MAX_DAYS : d] += n;
		out->rounds_lic += store_cell_int(r, i, 5, 0);
		out->paused_sum += store_cell_int(r, i, 6, 0);
		out->on_time += store_cell_int(r, i, 7, 0);
		out->window_handovers += store_cell_int(r, i, 9, 0);
	}
	store_result_free(r);
	return 0;
}

int store_stats_notices(struct store_conn *c, const char *district, const struct stats_apps *a,
			stats_notice_fn fn, void *ctx, struct yerr *err)
{
	int rc = 0;

	for (int i = 0; rc == 0 && i < a->nnotices; i++) {
		struct store_result *r = NULL;

		rc = store_exec(
		    c, "SELECT notice FROM application_notices WHERE district = ? AND hash = ?",
		    (struct store_param[]){SP_TEXT(district), SP_TEXT(a->notices[i].hash)}, 2, &r,
		    err);
		if (rc == 0 && r->rows > 0)
			rc = fn(ctx, store_cell(r, 0, 0), a->notices[i].n);
		store_result_free(r);
	}
	return rc;
}

/* The event kinds counted, in the order of struct stats_licenses. Naming
 * them (bound, in LICENSE_KINDS_IN) lets the index (district, kind, at) seek
 * each kind's time range. */
static const char *const license_kinds[] = {"issue",  "version", "cancel",
					    "revoke", "suspend", "expire"};
#define LICENSE_KINDS_N (sizeof(license_kinds) / sizeof(license_kinds[0]))
#define LICENSE_KINDS_IN "ev.kind IN (?, ?, ?, ?, ?, ?)"

int store_stats_licenses(struct store_conn *c, const char *district, const struct stats_range *f,
			 struct stats_licenses *out, struct yerr *err)
{
	struct store_param p[4 + LICENSE_KINDS_N + 3];
	struct store_result *r = NULL;
	char sql[1024], like[128];
	int np = 0, rc;
	bool join = (f->industry && *f->industry) || (f->department && *f->department) ||
		    (f->street && *f->street);
	int64_t *const slots[] = {&out->issued,  &out->changed,   &out->cancelled,
				  &out->revoked, &out->suspended, &out->expired};

	memset(out, 0, sizeof(*out));
	/* the license and its application only when a filter reads them */
	snprintf(
	    sql, sizeof(sql), "%s",
	    join ? "SELECT ev.kind, count(*) FROM license_events ev "
		   "JOIN licenses l ON l.district = ev.district AND l.number = "
		   "ev.number AND l.version = ev.version "
		   "LEFT JOIN applications a ON a.id = l.application_id "
		   "WHERE ev.district = ? AND " LICENSE_KINDS_IN " AND ev.at >= ? AND ev.at < ?"
		 : "SELECT ev.kind, count(*) FROM license_events ev "
		   "WHERE ev.district = ? AND " LICENSE_KINDS_IN " AND ev.at >= ? AND ev.at < ?");
	_Static_assert(LICENSE_KINDS_N == 6, "LICENSE_KINDS_IN names one ? per kind");
	p[np++] = SP_TEXT(district);
	for (size_t k = 0; k < LICENSE_KINDS_N; k++)
		p[np++] = SP_TEXT(license_kinds[k]);
	p[np++] = SP_INT(f->from_at);
	p[np++] = SP_INT(f->to_at);
	if (f->industry && *f->industry)
		store_where_add(sql, sizeof(sql), " AND l.industry = ?", p, &np,
				SP_TEXT(f->industry));
	if (f->department && *f->department)
		store_where_add(sql, sizeof(sql),
				" AND EXISTS (SELECT 1 FROM application_departments ad WHERE "
				"ad.application_id = a.id AND ad.department = ?)",
				p, &np, SP_TEXT(f->department));
	if (f->street && *f->street) {
		snprintf(like, sizeof(like), "%%\"F_site_street\":\"%s\"%%", f->street);
		store_where_add(sql, sizeof(sql), " AND a.form LIKE ?", p, &np, SP_TEXT(like));
	}
	strncat(sql, " GROUP BY ev.kind", sizeof(sql) - strlen(sql) - 1);
	/* Unfiltered, the events are read from their index (district, kind,
	 * at): 0.1 s against a sequential scan's 0.15 s over 700,000 events
	 * on PostgreSQL. A filter joins the licenses and applications, left
	 * to the planner. */
	rc = join ? store_exec(c, sql, p, np, &r, err)
		  : store_exec_pg_planned(c, STATS_PG_READ_INDEX, sql, p, np, &r, err);
	for (int i = 0; rc == 0 && i < r->rows; i++)
		for (size_t k = 0; k < LICENSE_KINDS_N; k++)
			if (strcmp(store_cell(r, i, 0), license_kinds[k]) == 0)
				*slots[k] += store_cell_int(r, i, 1, 0);
	store_result_free(r);
	return rc;
}

static int labels(struct store_conn *c, const char *sql, const char *district,
		  struct stats_label **out, int *n, struct yerr *err)
{
	struct store_result *r = NULL;
	int rc = store_exec(c, sql, (struct store_param[]){SP_TEXT(district)}, 1, &r, err);

	*out = NULL;
	*n = 0;
	if (rc < 0)
		return rc;
	*out = calloc((size_t)r->rows + 1, sizeof(**out));
	if (*out == NULL)
		abort();
	for (int i = 0; i < r->rows; i++) {
		store_cell_copy(r, i, 0, (*out)[i].code, sizeof((*out)[i].code));
		store_cell_copy(r, i, 1, (*out)[i].name, sizeof((*out)[i].name));
	}
	*n = r->rows;
	store_result_free(r);
	return 0;
}

int store_stats_departments(struct store_conn *c, const char *district, struct stats_label **out,
			    int *n, struct yerr *err)
{
	return labels(c, "SELECT code, name FROM departments WHERE district = ? ORDER BY code",
		      district, out, n, err);
}

int store_stats_industries(struct store_conn *c, const char *district, struct stats_label **out,
			   int *n, struct yerr *err)
{
	return labels(c,
		      "SELECT DISTINCT industry, industry FROM applications WHERE district = ? "
		      "ORDER BY industry",
		      district, out, n, err);
}
