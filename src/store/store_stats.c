/*
 * store_stats.c — the SQL of the statistics (store_stats.h): the working-day
 * ordinals (stats_days) and the application cohort's one grouped scan. The
 * supervision figures are in store_stats_sup.c.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "store/store_stats.h"

/* stats_days covers these years: every day an application can have been
 * submitted or licensed on. A day outside has no ordinal, so its
 * application simply has no duration (documented). */
#define DAYS_FIRST_YEAR 2000
#define DAYS_LAST_YEAR 2059
/* Rows per INSERT of the rebuild (two parameters each): few statements,
 * under the PostgreSQL backend's 256 bound parameters (store_pg.c). */
#define DAYS_BATCH 120

/* The fingerprint of the calendar rows stats_days is derived from: the
 * version of the derivation, the covered years and every listed day. */
static int calendar_fingerprint(struct store_conn *c, const char *district, char out[65],
				struct store_result **rows, struct yerr *err)
{
	crypto_hash_sha256_state st;
	unsigned char h[crypto_hash_sha256_BYTES];
	char head[64];
	int rc;

	rc = store_exec(c, "SELECT day, kind FROM calendar_days WHERE district = ? ORDER BY day",
			(struct store_param[]){SP_TEXT(district)}, 1, rows, err);
	if (rc < 0)
		return rc;
	crypto_hash_sha256_init(&st);
	snprintf(head, sizeof(head), "stats_days v1 %d-%d|", DAYS_FIRST_YEAR, DAYS_LAST_YEAR);
	crypto_hash_sha256_update(&st, (const unsigned char *)head, strlen(head));
	for (int i = 0; i < (*rows)->rows; i++) {
		const char *d = store_cell(*rows, i, 0), *k = store_cell(*rows, i, 1);

		crypto_hash_sha256_update(&st, (const unsigned char *)d, strlen(d));
		crypto_hash_sha256_update(&st, (const unsigned char *)k, strlen(k));
		crypto_hash_sha256_update(&st, (const unsigned char *)";", 1);
	}
	crypto_hash_sha256_final(&st, h);
	sodium_bin2hex(out, 65, h, sizeof(h));
	return 0;
}

/* Whether the stored fingerprint is fp. */
static int days_current(struct store_conn *c, const char *district, const char *fp, int *yes,
			struct yerr *err)
{
	struct store_result *r = NULL;
	int rc = store_exec(c, "SELECT fingerprint FROM stats_days_meta WHERE district = ?",
			    (struct store_param[]){SP_TEXT(district)}, 1, &r, err);

	*yes = rc == 0 && r->rows > 0 && strcmp(store_cell(r, 0, 0), fp) == 0;
	store_result_free(r);
	return rc;
}

/* One calendar listing looked up by day number (rows are sorted by day). */
static int listed_kind(const struct store_result *rows, int *next, int day)
{
	while (*next < rows->rows) {
		int d;
		const char *s = store_cell(rows, *next, 0);

		if (date_parse(s, strlen(s), &d) != 0 || d < day) {
			(*next)++;
			continue;
		}
		if (d > day)
			return 0;
		return strcmp(store_cell(rows, *next, 1), "holiday") == 0 ? 1 : 2;
	}
	return 0;
}

/* Deletes and rewrites the district's ordinals, inside the caller's
 * transaction. A day is a working day exactly as calendar_is_workday says:
 * a listed holiday rests, a listed make-up day works, otherwise weekdays
 * work (also in years the calendar does not know). */
static int days_rebuild(struct store_conn *c, const char *district, const struct store_result *rows,
			const char *fp, struct yerr *err)
{
	int first = date_from_ymd(DAYS_FIRST_YEAR, 1, 1),
	    last = date_from_ymd(DAYS_LAST_YEAR, 12, 31);
	size_t cap = 64 + (size_t)DAYS_BATCH * 24;
	char *sql = malloc(cap);
	struct store_param *p = malloc(sizeof(*p) * DAYS_BATCH * 2);
	int next = 0, rc;
	long ord = 0;

	if (sql == NULL || p == NULL)
		abort();
	rc = store_exec(c, "DELETE FROM stats_days WHERE district = ?",
			(struct store_param[]){SP_TEXT(district)}, 1, NULL, err);
	/* day texts live in this buffer for the batch's parameters */
	char(*days)[11] = malloc(sizeof(*days) * DAYS_BATCH);
	if (days == NULL)
		abort();
	for (int day = first; rc == 0 && day <= last;) {
		size_t len = (size_t)snprintf(
		    sql, cap, "INSERT INTO stats_days (district, day, ord) VALUES ");
		int n = 0;

		for (; n < DAYS_BATCH && day <= last; n++, day++) {
			int kind = listed_kind(rows, &next, day);
			int work = kind == 2 || (kind == 0 && !date_is_weekend(day));

			ord += work;
			date_format(day, days[n], sizeof(days[n]));
			len += (size_t)snprintf(sql + len, cap - len, "%s(?, ?, %ld)",
						n ? ", " : "", ord);
			p[2 * n] = SP_TEXT(district);
			p[2 * n + 1] = SP_TEXT(days[n]);
		}
		rc = store_exec(c, sql, p, 2 * n, NULL, err);
	}
	if (rc == 0)
		rc = store_exec(
		    c,
		    "INSERT INTO stats_days_meta (district, fingerprint, built_at) VALUES "
		    "(?, ?, ?) ON CONFLICT (district) DO UPDATE SET fingerprint = "
		    "excluded.fingerprint, built_at = excluded.built_at",
		    (struct store_param[]){SP_TEXT(district), SP_TEXT(fp),
					   SP_INT((int64_t)time(NULL))},
		    3, NULL, err);
	free(days);
	free(p);
	free(sql);
	return rc;
}

/* The rebuild itself, serialised in this process by the caller: one write
 * transaction, under a keyed lock so other nodes (PostgreSQL) build it once
 * too. The calendar is read again inside it, so the ordinals written match
 * the fingerprint written even when the calendar changed meanwhile. */
static int days_sync_locked(struct store_conn *c, const char *district, struct yerr *err)
{
	struct store_result *rows = NULL;
	char fp[65];
	int rc, yes = 0;

	rc = store_begin(c, err);
	if (rc < 0)
		return rc; /* no transaction to roll back */
	rc = store_lock_key(c, "stats_days", district, err);
	if (rc == 0)
		rc = calendar_fingerprint(c, district, fp, &rows, err);
	if (rc == 0)
		rc = days_current(c, district, fp, &yes, err);
	if (rc == 0 && !yes)
		rc = days_rebuild(c, district, rows, fp, err);
	store_result_free(rows);
	if (rc == 0)
		return store_commit(c, err);
	store_rollback(c);
	return rc;
}

int store_stats_days_sync(struct store_conn *c, const char *district, struct yerr *err)
{
	struct store_result *rows = NULL;
	char fp[65];
	int rc, yes = 0;

	rc = calendar_fingerprint(c, district, fp, &rows, err);
	store_result_free(rows);
	rows = NULL;
	if (rc == 0)
		rc = days_current(c, district, fp, &yes, err);
	if (rc < 0 || yes)
		return rc;
	/* Stale: the first request of this process rebuilds; the others wait
	 * here for it (not for the write lock, which times out) and then find
	 * the ordinals current and only read. */
	store_rebuild_lock(c);
	rc = calendar_fingerprint(c, district, fp, &rows, err);
	store_result_free(rows);
	if (rc == 0)
		rc = days_current(c, district, fp, &yes, err);
	if (rc == 0 && !yes)
		rc = days_sync_locked(c, district, err);
	store_rebuild_unlock(c);
	return rc;
}

/* The cohort's WHERE clause on applications `a` (after "WHERE "), with its
 * parameters appended to p from *np. Street: the form's F_site_street as
 * the compact JSON text stores it (the value is checked to be a plain code
 * by the caller, so the pattern needs no escaping beyond LIKE's own). */
static void cohort_where(const char *district, const struct stats_range *f, char *sql, size_t sqlsz,
			 struct store_param *p, int *np, char *like, size_t likesz)
{
	size_t len = (size_t)snprintf(
	    sql, sqlsz, "%s", "a.district = ? AND a.clock_start >= ? AND a.clock_start <= ?");

	p[(*np)++] = SP_TEXT(district);
	p[(*np)++] = SP_TEXT(f->from);
	p[(*np)++] = SP_TEXT(f->to);
	if (f->industry && *f->industry) {
		len += (size_t)snprintf(sql + len, sqlsz - len, " AND a.industry = ?");
		p[(*np)++] = SP_TEXT(f->industry);
	}
	if (f->department && *f->department) {
		len += (size_t)snprintf(sql + len, sqlsz - len,
					" AND EXISTS (SELECT 1 FROM application_departments ad "
					"WHERE ad.application_id = a.id AND ad.department = ?)");
		p[(*np)++] = SP_TEXT(f->department);
	}
	if (f->street && *f->street) {
		snprintf(like, likesz, "%%\"F_site_street\":\"%s\"%%", f->street);
		snprintf(sql + len, sqlsz - len, " AND a.form LIKE ?");
		p[(*np)++] = SP_TEXT(like);
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

/* THE query of the statistics: one grouped pass over the cohort. Each group
 * is (status, kind, net working days or NULL, frozen notice: few distinct
 * values each); everything else is summed
 * inside the group, so the answer is a few hundred rows whatever the
 * cohort's size, and the percentiles come from the per-day histogram.
 * net = ord(license day) - ord(submission day) - paused working days: the
 * working days d with submission < d <= license day the clock ran. */
#define APPS_SQL_HEAD                                                                        \
	"SELECT a.status, a.kind, e.ord - s.ord - a.clock_paused AS d, count(*), "           \
	"sum(a.walk_in), sum(a.rounds), sum(a.clock_paused), "                               \
	"sum(CASE WHEN e.ord - s.ord - a.clock_paused <= a.clock_limit THEN 1 ELSE 0 END), " \
	"sum(CASE WHEN a.prefilled = '[]' THEN 0 ELSE length(a.prefilled) - "                \
	"length(replace(a.prefilled, ',', '')) + 1 END), count(h.id), a.notice_hash "        \
	"FROM applications a "                                                               \
	"LEFT JOIN licenses l ON l.district = a.district AND l.application_id = a.id "       \
	"LEFT JOIN stats_days s ON l.issued_on IS NOT NULL AND s.district = a.district "     \
	"AND s.day = a.clock_start "                                                         \
	"LEFT JOIN stats_days e ON e.district = l.district AND e.day = l.issued_on "         \
	"LEFT JOIN license_handovers h ON h.district = l.district AND h.number = l.number "  \
	"AND h.version = l.version AND h.is_current = 1 AND h.method = 'window' WHERE "
#define APPS_SQL_TAIL " GROUP BY a.status, a.kind, e.ord - s.ord - a.clock_paused, a.notice_hash"

int store_stats_apps(struct store_conn *c, const char *district, const struct stats_range *f,
		     struct stats_apps *out, struct yerr *err)
{
	struct store_param p[8];
	struct store_result *r = NULL;
	char where[512], like[128], sql[2048];
	int np = 0, rc, cap = 0;

	memset(out, 0, sizeof(*out));
	cohort_where(district, f, where, sizeof(where), p, &np, like, sizeof(like));
	snprintf(sql, sizeof(sql), "%s%s%s", APPS_SQL_HEAD, where, APPS_SQL_TAIL);
	rc = store_exec(c, sql, p, np, &r, err);
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

int store_stats_shared(struct store_conn *c, const char *district, const struct stats_range *f,
		       int64_t *out, struct yerr *err)
{
	struct store_param p[8];
	char where[512], like[128], sql[1024];
	int np = 0;

	cohort_where(district, f, where, sizeof(where), p, &np, like, sizeof(like));
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM application_shared_materials m JOIN applications a "
		 "ON a.district = m.district AND a.id = m.application_id WHERE %s",
		 where);
	return store_query_int(c, sql, p, np, 0, out, err);
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

int store_stats_licenses(struct store_conn *c, const char *district, const struct stats_range *f,
			 struct stats_licenses *out, struct yerr *err)
{
	struct store_param p[8];
	struct store_result *r = NULL;
	char sql[1024], like[128];
	size_t len;
	int np = 0, rc;

	memset(out, 0, sizeof(*out));
	len =
	    (size_t)snprintf(sql, sizeof(sql),
			     "SELECT ev.kind, count(*) FROM license_events ev "
			     "JOIN licenses l ON l.district = ev.district AND l.number = ev.number "
			     "AND l.version = ev.version "
			     "LEFT JOIN applications a ON a.id = l.application_id "
			     "WHERE ev.district = ? AND ev.at >= ? AND ev.at < ?");
	p[np++] = SP_TEXT(district);
	p[np++] = SP_INT(f->from_at);
	p[np++] = SP_INT(f->to_at);
	if (f->industry && *f->industry) {
		len += (size_t)snprintf(sql + len, sizeof(sql) - len, " AND l.industry = ?");
		p[np++] = SP_TEXT(f->industry);
	}
	if (f->department && *f->department) {
		len += (size_t)snprintf(sql + len, sizeof(sql) - len,
					" AND EXISTS (SELECT 1 FROM application_departments ad "
					"WHERE ad.application_id = a.id AND ad.department = ?)");
		p[np++] = SP_TEXT(f->department);
	}
	if (f->street && *f->street) {
		snprintf(like, sizeof(like), "%%\"F_site_street\":\"%s\"%%", f->street);
		len += (size_t)snprintf(sql + len, sizeof(sql) - len, " AND a.form LIKE ?");
		p[np++] = SP_TEXT(like);
	}
	snprintf(sql + len, sizeof(sql) - len, " GROUP BY ev.kind");
	rc = store_exec(c, sql, p, np, &r, err);
	for (int i = 0; rc == 0 && i < r->rows; i++) {
		const char *k = store_cell(r, i, 0);
		int64_t n = store_cell_int(r, i, 1, 0);

		if (strcmp(k, "issue") == 0)
			out->issued += n;
		else if (strcmp(k, "version") == 0)
			out->changed += n;
		else if (strcmp(k, "cancel") == 0)
			out->cancelled += n;
		else if (strcmp(k, "revoke") == 0)
			out->revoked += n;
		else if (strcmp(k, "suspend") == 0)
			out->suspended += n;
		else if (strcmp(k, "expire") == 0)
			out->expired += n;
	}
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
