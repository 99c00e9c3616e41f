/*
 * store_stats_sync.c — the derived data the statistics read, kept current
 * (store_stats.h): the working-day ordinals (stats_days, from the district's
 * calendar) and one narrow row per submitted application (stats_facts,
 * migration 0053). This file is their one writer; store_stats.c and
 * store_stats_sup.c only read.
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

/* stats_facts ----------------------------------------------------------------- */

/* A fact row is derived the same way by both statements below, for one
 * application (the touch: subqueries, unsettled) and for a range of a
 * district's applications (the rebuild: joins of grouped rows, settled at
 * once on the current ordinals). A license: the first issued on the
 * application; a window hand-over: the current hand-over record of any
 * version of it. cli/demo_history.sh checks that the two agree. */
#define FACTS_COLS                                                                            \
	"INSERT INTO stats_facts (district, application_id, submitted_on, month, industry, "  \
	"status, kind, notice_hash, walk_in, rounds, paused, time_limit, prefilled, shared, " \
	"licensed_on, window_handover, days, settled) "                                       \
	"SELECT a.district, a.id, a.clock_start, substr(a.clock_start, 1, 7), a.industry, "   \
	"a.status, a.kind, a.notice_hash, a.walk_in, a.rounds, a.clock_paused, "              \
	"a.clock_limit, CASE WHEN a.prefilled = '[]' THEN 0 ELSE length(a.prefilled) - "      \
	"length(replace(a.prefilled, ',', '')) + 1 END, "

int store_stats_touch(struct store_conn *c, const char *district, int64_t app_id, struct yerr *err)
{
	return store_exec(
	    c,
	    FACTS_COLS
	    "(SELECT count(*) FROM application_shared_materials m WHERE m.district = a.district "
	    "AND m.application_id = a.id), "
	    "(SELECT min(l.issued_on) FROM licenses l WHERE l.district = a.district AND "
	    "l.application_id = a.id), "
	    "(SELECT count(*) FROM licenses l JOIN license_handovers h ON h.district = "
	    "l.district AND h.number = l.number AND h.version = l.version AND h.is_current = 1 "
	    "AND h.method = 'window' WHERE l.district = a.district AND l.application_id = a.id), "
	    "NULL, 0 FROM applications a WHERE a.clock_start IS NOT NULL AND a.district = ? "
	    "AND a.id = ? ON CONFLICT (district, application_id) DO UPDATE SET "
	    "submitted_on = excluded.submitted_on, month = excluded.month, industry = "
	    "excluded.industry, status = excluded.status, kind = excluded.kind, notice_hash = "
	    "excluded.notice_hash, walk_in = excluded.walk_in, rounds = excluded.rounds, paused = "
	    "excluded.paused, time_limit = excluded.time_limit, prefilled = excluded.prefilled, "
	    "shared = excluded.shared, licensed_on = excluded.licensed_on, window_handover = "
	    "excluded.window_handover, days = NULL, settled = 0",
	    (struct store_param[]){SP_TEXT(district), SP_INT(app_id)}, 2, NULL, err);
}

int store_stats_touch_license(struct store_conn *c, const char *district, const char *number,
			      int version, struct yerr *err)
{
	int64_t app_id = 0;
	int rc = store_query_int(
	    c,
	    "SELECT application_id FROM licenses WHERE district = ? AND number = ? AND version = ?",
	    (struct store_param[]){SP_TEXT(district), SP_TEXT(number), SP_INT(version)}, 3, 0,
	    &app_id, err);

	if (rc < 0 || app_id <= 0)
		return rc;
	return store_stats_touch(c, district, app_id, err);
}

/* Applications per statement of the rebuild: each statement stays well
 * inside the PostgreSQL statement_timeout (30 s by default) whatever the
 * district's size; a million applications take some 25 s in all there
 * (index upkeep of the two wide indexes), about 5 s on SQLite. */
#define FACTS_CHUNK 50000

/* The district's rows from their sources, all of them, settled on the
 * current ordinals, and the mark that they were: after an upgrade, a change
 * of the calendar, `yiye statistics rebuild`, or many unsettled rows. */
static int facts_rebuild(struct store_conn *c, const char *district, struct yerr *err)
{
	int64_t lo = 0, hi = 0;
	int rc = store_exec(c, "DELETE FROM stats_facts WHERE district = ?",
			    (struct store_param[]){SP_TEXT(district)}, 1, NULL, err);
	struct store_result *r = NULL;

	if (rc == 0)
		rc = store_exec(c, "SELECT min(id), max(id) FROM applications WHERE district = ?",
				(struct store_param[]){SP_TEXT(district)}, 1, &r, err);
	if (rc == 0 && r->rows > 0) {
		lo = store_cell_int(r, 0, 0, 0);
		hi = store_cell_int(r, 0, 1, -1);
	}
	store_result_free(r);
	/* PostgreSQL plans the joins below from the tables' statistics, which
	 * a bulk load leaves empty or stale until autovacuum comes round; on
	 * no statistics it nests loops over every chunk (minutes). Sampling
	 * them takes about a second, inside this transaction. SQLite plans
	 * these joins on its indexes alone. */
	if (rc == 0 && store_conn_kind(c) == STORE_PG)
		rc = store_exec(c,
				"ANALYZE applications, licenses, license_handovers, "
				"application_shared_materials, stats_days",
				NULL, 0, NULL, err);
	for (int64_t from = lo; rc == 0 && from <= hi; from += FACTS_CHUNK) {
		int64_t to = from + FACTS_CHUNK;

		rc = store_exec(
		    c,
		    FACTS_COLS
		    "coalesce(m.n, 0), l.issued_on, coalesce(l.win, 0), e.ord - s.ord - "
		    "a.clock_paused, 1 FROM applications a "
		    "LEFT JOIN (SELECT district, application_id, count(*) AS n FROM "
		    "application_shared_materials WHERE district = ? AND application_id >= ? AND "
		    "application_id < ? GROUP BY district, application_id) m ON m.district = "
		    "a.district AND m.application_id = a.id "
		    "LEFT JOIN (SELECT l.district, l.application_id, "
		    "min(l.issued_on) AS issued_on, count(h.id) AS win FROM licenses l "
		    "LEFT JOIN license_handovers h ON h.district = l.district AND "
		    "h.number = l.number AND h.version = l.version AND h.is_current = 1 "
		    "AND h.method = 'window' WHERE l.district = ? AND "
		    "l.application_id >= ? AND l.application_id < ? GROUP BY l.district, "
		    "l.application_id) l ON l.district = a.district AND l.application_id = a.id "
		    "LEFT JOIN stats_days e ON e.district = a.district AND e.day = l.issued_on "
		    "LEFT JOIN stats_days s ON l.issued_on IS NOT NULL AND s.district = a.district "
		    "AND s.day = a.clock_start "
		    "WHERE a.clock_start IS NOT NULL AND a.district = ? AND a.id >= ? AND a.id < ? "
		    /* a row a concurrent touch wrote after the DELETE is newer;
		     * it is settled by the next request */
		    "ON CONFLICT (district, application_id) DO NOTHING",
		    (struct store_param[]){SP_TEXT(district), SP_INT(from), SP_INT(to),
					   SP_TEXT(district), SP_INT(from), SP_INT(to),
					   SP_TEXT(district), SP_INT(from), SP_INT(to)},
		    9, NULL, err);
	}
	if (rc == 0)
		rc = store_exec(
		    c,
		    "INSERT INTO stats_facts_meta (district, built_at) VALUES (?, ?) ON "
		    "CONFLICT (district) DO UPDATE SET built_at = excluded.built_at",
		    (struct store_param[]){SP_TEXT(district), SP_INT((int64_t)time(NULL))}, 2, NULL,
		    err);
	return rc;
}

/* Unsettled rows above this are rebuilt with the rest rather than settled
 * one by one (a statement per row's two look-ups would outlast the
 * statement timeout on PostgreSQL). */
#define SETTLE_MAX 20000

/* The working days of the unsettled rows, in one statement: a row touched
 * meanwhile is either waited for and settled with its new values, or left
 * unsettled for the next request. net = ord(license day) - ord(submission
 * day) - paused working days: the working days d with submission < d <=
 * license day that the clock ran (NULL when either day has no ordinal). */
static int facts_settle(struct store_conn *c, const char *district, struct yerr *err)
{
	return store_exec(
	    c,
	    "UPDATE stats_facts SET days = (SELECT e.ord FROM stats_days e WHERE "
	    "e.district = stats_facts.district AND e.day = stats_facts.licensed_on) - "
	    "(SELECT s.ord FROM stats_days s WHERE s.district = stats_facts.district "
	    "AND s.day = stats_facts.submitted_on) - paused, settled = 1 WHERE "
	    "district = ? AND settled = 0",
	    (struct store_param[]){SP_TEXT(district)}, 1, NULL, err);
}

/* What is out of date: the ordinals (their fingerprint differs), the facts
 * (never built for the district), unsettled rows (how many, up to one past
 * SETTLE_MAX). */
struct stale {
	int days, facts;
	int64_t unsettled;
};

static int stale_of(struct store_conn *c, const char *district, const char *fp, struct stale *s,
		    struct yerr *err)
{
	int64_t n = 0;
	int yes = 0, rc = days_current(c, district, fp, &yes, err);

	s->days = !yes;
	if (rc == 0)
		rc = store_query_int(c, "SELECT count(*) FROM stats_facts_meta WHERE district = ?",
				     (struct store_param[]){SP_TEXT(district)}, 1, 0, &n, err);
	s->facts = n == 0;
	if (rc == 0)
		rc = store_query_int(
		    c,
		    "SELECT count(*) FROM (SELECT 1 FROM stats_facts WHERE "
		    "district = ? AND settled = 0 LIMIT ?) u",
		    (struct store_param[]){SP_TEXT(district), SP_INT(SETTLE_MAX + 1)}, 2, 0,
		    &s->unsettled, err);
	return rc;
}

/* The work itself, serialised in this process by the caller: one write
 * transaction, under a keyed lock so other nodes (PostgreSQL) do it once
 * too and no settle runs beside a rebuild of the ordinals. Everything is
 * read again inside it, so what is written matches what it was derived from
 * even when the calendar or the sources changed meanwhile. New ordinals
 * (the calendar changed) rebuild every fact: every duration was counted on
 * the old calendar. */
static int sync_locked(struct store_conn *c, const char *district, struct yerr *err)
{
	struct store_result *rows = NULL;
	struct stale s = {0};
	char fp[65];
	int rc;

	rc = store_begin(c, err);
	if (rc < 0)
		return rc; /* no transaction to roll back */
	rc = store_lock_key(c, "stats_days", district, err);
	if (rc == 0)
		rc = calendar_fingerprint(c, district, fp, &rows, err);
	if (rc == 0)
		rc = stale_of(c, district, fp, &s, err);
	if (rc == 0 && s.days)
		rc = days_rebuild(c, district, rows, fp, err);
	store_result_free(rows);
	if (rc == 0 && (s.days || s.facts || s.unsettled > SETTLE_MAX))
		rc = facts_rebuild(c, district, err);
	else if (rc == 0 && s.unsettled > 0)
		rc = facts_settle(c, district, err);
	if (rc == 0)
		return store_commit(c, err);
	store_rollback(c);
	return rc;
}

int store_stats_sync(struct store_conn *c, const char *district, struct yerr *err)
{
	struct store_result *rows = NULL;
	struct stale s = {0};
	char fp[65];
	int rc;

	rc = calendar_fingerprint(c, district, fp, &rows, err);
	store_result_free(rows);
	if (rc == 0)
		rc = stale_of(c, district, fp, &s, err);
	if (rc < 0 || !(s.days || s.facts || s.unsettled > 0))
		return rc;
	/* The first request of this process does the work; the others wait
	 * here for it (not for the write lock, which times out), then find
	 * little or nothing left to do. */
	store_rebuild_lock(c);
	rc = sync_locked(c, district, err);
	store_rebuild_unlock(c);
	return rc;
}

int store_stats_rebuild(struct store_conn *c, const char *district, struct yerr *err)
{
	int rc = store_exec(c, "DELETE FROM stats_facts_meta WHERE district = ?",
			    (struct store_param[]){SP_TEXT(district)}, 1, NULL, err);

	return rc < 0 ? rc : store_stats_sync(c, district, err);
}
