/*
 * backend.h — what a storage backend provides to store.c. Private to src/store.
 */
#ifndef YIYE_STORE_BACKEND_H
#define YIYE_STORE_BACKEND_H

#include "store/store.h"

struct store_backend {
	const char *name;
	/* Opens one connection; *conn is the backend's own handle. opt is
	 * never NULL (zero fields: defaults). */
	int (*connect)(const char *url, const struct store_options *opt, void **conn,
		       struct yerr *err);
	void (*disconnect)(void *conn);
	/* Is the connection still usable (PostgreSQL: socket alive)? */
	int (*alive)(void *conn);
	int (*exec)(void *conn, const char *sql, const struct store_param *params, int nparams,
		    struct store_result **res, struct yerr *err);
	/* Runs a script of several statements without parameters (migrations). */
	int (*exec_script)(void *conn, const char *sql, struct yerr *err);
	const char *begin_sql;
	/* Optional: opens a write transaction in a way begin_sql cannot; when
	 * NULL, store_begin runs begin_sql. */
	int (*begin)(void *conn, struct yerr *err);
	int (*backup)(const char *url, void *conn, const char *dest, struct yerr *err);
	/* Rewrites backend-neutral tokens in migration SQL ({{ID}}, …). A line
	 * that starts with {{SQLITE}} or {{PG}} runs on that backend only (the
	 * other's rewrite turns the token into a comment): for the rare index a
	 * planner needs in its own shape. */
	char *(*dialect)(const char *sql);
};

extern const struct store_backend store_sqlite_backend;
extern const struct store_backend store_pg_backend;

/* PostgreSQL restore (pg_restore of a pg_dump -Fc file), used by store_restore. */
int store_pg_restore(const char *url, const char *src, struct yerr *err);

/* Helpers shared by the backends (store.c). */
struct store_result *store_result_new(int cols);
int store_result_add_row(struct store_result *r, char **cells_taken);
char *store_strdup(const char *s);
char *store_replace_tokens(const char *sql, const char *const *pairs);
const struct store_backend *store_backend_of(const struct store *s);
void *store_conn_handle(struct store_conn *c);

#endif
