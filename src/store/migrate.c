/*
 * migrate.c — applies the numbered migrations embedded in the binary.
 *
 * All pending migrations run in one transaction that first takes a
 * database-wide lock (SQLite BEGIN IMMEDIATE; PostgreSQL the migration
 * advisory lock, the one lock of its kind left: ordinary writes take row
 * locks only), so several processes starting at once apply each migration
 * exactly once and a failed migration leaves the schema as it was.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "store/backend.h"
#include "store/migrate.h"
#include "store/store.h"

#define MIGRATION_LOCK_KEY "727001"

int store_migrate(struct store *s, struct yerr *err)
{
	const struct store_backend *be = store_backend_of(s);
	struct store_conn *c;
	int rc;

	if ((rc = store_acquire(s, &c, err)) < 0)
		return rc;
	if ((rc = store_begin(c, err)) < 0)
		goto out;
	if (store_kind(s) == STORE_PG &&
	    (rc = store_exec(c, "SELECT pg_advisory_xact_lock(" MIGRATION_LOCK_KEY ")", NULL, 0,
			     NULL, err)) < 0)
		goto out;
	rc = store_exec(
	    c,
	    "CREATE TABLE IF NOT EXISTS schema_migrations ("
	    " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
	    NULL, 0, NULL, err);
	if (rc < 0)
		goto out;
	for (int i = 0; i < migrations_count; i++) {
		const struct migration *m = &migrations[i];
		int64_t have;
		char *sql;

		rc = store_query_int(c, "SELECT count(*) FROM schema_migrations WHERE version = ?",
				     (struct store_param[]){SP_INT(m->version)}, 1, 0, &have, err);
		if (rc < 0)
			goto out;
		if (have)
			continue;
		sql = be->dialect(m->sql);
		rc = be->exec_script(store_conn_handle(c), sql, err);
		free(sql);
		if (rc < 0) {
			fprintf(stderr, "yiye: migration %s failed: %s\n", m->name, err->message);
			goto out;
		}
		rc = store_exec(c,
				"INSERT INTO schema_migrations (version, name, applied_at) "
				"VALUES (?, ?, ?)",
				(struct store_param[]){SP_INT(m->version), SP_TEXT(m->name),
						       SP_INT(time(NULL))},
				3, NULL, err);
		if (rc < 0)
			goto out;
	}
	rc = store_commit(c, err);
out:
	store_release(c);
	return rc;
}
