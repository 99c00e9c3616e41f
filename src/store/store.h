/*
 * store.h — the one storage interface of Yiye.
 *
 * Callers speak portable SQL with `?` placeholders; a backend (SQLite or
 * PostgreSQL) runs it. Results are materialised as text cells, which keeps
 * the interface identical for both backends and is cheap at the row counts a
 * request touches (lists are always paged).
 *
 * Connections come from a small pool owned by `struct store`: a thread
 * acquires one for the duration of a request and releases it. A connection is
 * never shared between threads at the same time.
 *
 * Errors: every function returns 0 (or a row count) on success and a negative
 * STORE_E* code on failure, filling the caller's struct yerr with an HTTP
 * status, a stable code and a Chinese message:
 *   STORE_EUNAVAIL  the database cannot be reached or written -> 503
 *                   db_unavailable (server down), db_locked / db_busy (a
 *                   lock held too long), db_full, db_readonly, db_io
 *   STORE_ECONFLICT a uniqueness, constraint or concurrent-update conflict
 *                   -> 409 (conflict, constraint, concurrent_update, or the
 *                   module's own code such as username_exists)
 *   STORE_ENOTFOUND store_query_row found no row -> the status and code the
 *                   caller passed (404 user_not_found, 401 for a session, …)
 *   STORE_EINTERNAL anything else (a bug) -> 500 db_error
 * Store modules (store_<thing>.c) may also fail with a 4xx of their own
 * (409 stale_version, 404 unknown_proposal, …) and return -1.
 */
#ifndef YIYE_STORE_H
#define YIYE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

enum {
	STORE_EINTERNAL = -1,
	STORE_EUNAVAIL = -2,
	STORE_ECONFLICT = -3,
	STORE_ENOTFOUND = -4,
};

enum store_kind { STORE_SQLITE, STORE_PG };

struct store;
struct store_conn;

/* One bound parameter. `text` NULL with type STORE_PTEXT binds SQL NULL. */
enum store_ptype { STORE_PTEXT, STORE_PINT, STORE_PNULL };
struct store_param {
	enum store_ptype type;
	const char *text;
	int64_t i;
};
#define SP_TEXT(s) ((struct store_param){.type = STORE_PTEXT, .text = (s)})
#define SP_INT(n) ((struct store_param){.type = STORE_PINT, .i = (int64_t)(n)})
#define SP_NULL ((struct store_param){.type = STORE_PNULL})

/* A materialised result: rows x cols cells, each a NUL-terminated string or
 * NULL for SQL NULL. Owned by the caller; free with store_result_free. */
struct store_result {
	int rows;
	int cols;
	char **cells;    /* rows*cols entries */
	char **names;    /* cols column names */
	int64_t changes; /* rows changed by an INSERT/UPDATE/DELETE */
};

/* Tuning of a store, filled from struct app_config (app.c reads the
 * environment once). A zero field takes the backend's default. */
struct store_options {
	int busy_timeout_ms;         /* SQLite busy wait (3000); PostgreSQL lock_timeout (10000) */
	int pg_connect_timeout_s;    /* PostgreSQL connect_timeout (5) */
	int pg_statement_timeout_ms; /* PostgreSQL statement_timeout (30000) */
};

/* Opens a store. `url` is a file path (SQLite) or a postgresql:// URL.
 * `pool_size` connections at most are opened, lazily. opt may be NULL
 * (defaults); it is copied. */
int store_open(struct store **out, const char *url, int pool_size, const struct store_options *opt,
	       struct yerr *err);
void store_close(struct store *s);
enum store_kind store_kind(const struct store *s);
/* The backend of the store c belongs to. */
enum store_kind store_conn_kind(const struct store_conn *c);
const char *store_describe(const struct store *s); /* for logs: never a password */

/* Pool. store_acquire waits up to a few seconds for a free connection, then
 * fails with STORE_EUNAVAIL. A connection released inside an open transaction
 * is rolled back. */
int store_acquire(struct store *s, struct store_conn **out, struct yerr *err);
void store_release(struct store_conn *c);

/* Transactions. SQLite: store_begin takes the file's write lock at once
 * (BEGIN IMMEDIATE) so a transaction never fails half-way for lock upgrades;
 * one writer per file. PostgreSQL: a READ COMMITTED transaction with no lock
 * of its own: writes to different rows proceed in parallel, and a
 * read-modify-write locks what it depends on (`… FOR UPDATE` on the rows,
 * store_lock_key for a thing with no row), in the order object rows, then
 * named keys, then the audit chain head (store_audit_append, last) so two
 * transactions never wait on each other in a cycle. */
int store_begin(struct store_conn *c, struct yerr *err);
int store_commit(struct store_conn *c, struct yerr *err);
void store_rollback(struct store_conn *c);

/* Serialises the transactions that name the same (space, key) until they
 * end, for a change that depends on a set of rows rather than one (e.g. the
 * next catalog version number of a district). PostgreSQL: a
 * transaction-scoped advisory lock on a hash of space and key; SQLite:
 * nothing to do (the transaction already holds the file's write lock).
 * Call it inside store_begin … store_commit, before reading the rows. */
int store_lock_key(struct store_conn *c, const char *space, const char *key, struct yerr *err);

/* This process's one rebuild at a time: derived data that many requests may
 * find stale at once (the statistics' working-day ordinals) is rebuilt by
 * the first under this mutex while the others wait for it without a
 * deadline, then find it current and only read. Without it they would queue
 * for the write lock behind the rebuild and time out (503). Take it outside
 * any transaction, before store_begin; never hold it across a request. */
void store_rebuild_lock(struct store_conn *c);
void store_rebuild_unlock(struct store_conn *c);

/* Runs one statement. `res` may be NULL when no rows are wanted; otherwise
 * *res receives a result the caller frees. Returns 0 or STORE_E*.
 * A SELECT may end in " FOR UPDATE" (lock the rows read until the transaction
 * ends): SQLite, whose transaction already holds the write lock, runs it
 * without the clause. */
int store_exec(struct store_conn *c, const char *sql, const struct store_param *params, int nparams,
	       struct store_result **res, struct yerr *err);
/* Appends one condition of a filter to a WHERE clause being built: the
 * fixed fragment (" AND actor = ?") to sql, its value to p[(*n)++]. Only
 * fixed fragments are concatenated; every value is bound. Size sql for
 * every fragment: one that does not fit aborts (a dropped condition would
 * widen the result). */
void store_where_add(char *sql, size_t sqlsz, const char *fragment, struct store_param *p, int *n,
		     struct store_param value);

/* store_exec with PostgreSQL planner settings for this one statement
 * (`SET LOCAL` each of the NULL-terminated settings, in a transaction of its
 * own, so the pooled connection keeps its defaults); on SQLite plain
 * store_exec. For the few statements whose best plan the planner's
 * estimates miss, each with the measurement that justifies it beside the
 * call (store_stats.c, store_stats_sup.c). Outside a transaction. */
int store_exec_pg_planned(struct store_conn *c, const char *const *settings, const char *sql,
			  const struct store_param *params, int nparams, struct store_result **res,
			  struct yerr *err);

/* Runs a query that must return a row: on success *res holds the result
 * (at least one row, caller frees); no row gives STORE_ENOTFOUND with err set
 * to `status` (404, or 401 for a session), `code` and `message`. */
int store_query_row(struct store_conn *c, const char *sql, const struct store_param *params,
		    int nparams, struct store_result **res, int status, const char *code,
		    const char *message, struct yerr *err);

/* Convenience: the first column of the first row as an integer (or `dflt`
 * when no row / NULL). */
int store_query_int(struct store_conn *c, const char *sql, const struct store_param *params,
		    int nparams, int64_t dflt, int64_t *out, struct yerr *err);

const char *store_cell(const struct store_result *r, int row, int col);
/* A malloc'd copy of a cell (caller frees), NULL for SQL NULL. */
char *store_cell_dup(const struct store_result *r, int row, int col);
/* Copies a cell into dst (cut to dstsz - 1 bytes; "" for SQL NULL): for the
 * fixed-size members of the structs store functions answer. */
void store_cell_copy(const struct store_result *r, int row, int col, char *dst, size_t dstsz);
/* A "contains q" LIKE pattern: q's LIKE metacharacters escaped with a
 * backslash (use with ESCAPE '\\'), wrapped in % … %; cut to fit outsz. */
void store_like_pattern(const char *q, char *out, size_t outsz);
int64_t store_cell_int(const struct store_result *r, int row, int col, int64_t dflt);
void store_result_free(struct store_result *r);

/* Applies pending migrations (see migrate.c). Safe to run from several
 * processes at once. */
int store_migrate(struct store *s, struct yerr *err);

/* Health: a read and a write probe; fills `detail` with what is wrong. */
int store_health(struct store *s, int *read_ok, int *write_ok, char *detail, size_t detailsz);

/* Online backup to a file (SQLite) or a dump (PostgreSQL). */
int store_backup(struct store *s, const char *dest, struct yerr *err);

/* Replaces the database at url (a SQLite file path or a postgresql:// URL)
 * with the backup src made by store_backup. No yiye process may use the
 * database meanwhile: refused with 409 db_in_use when one visibly does. */
int store_restore(const char *url, const char *src, struct yerr *err);

/* Count of database errors since start (for /metrics). */
uint64_t store_error_count(const struct store *s);

/* The district every row defaults to. */
#define STORE_DEFAULT_DISTRICT "310104"

#endif
