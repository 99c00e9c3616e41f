/*
 * store_sqlite.c — the SQLite backend.
 *
 * Durability: WAL with synchronous=FULL, so a COMMIT that returned has been
 * fsynced and survives a crash or power loss. foreign_keys=ON. Writers take
 * the lock at BEGIN (IMMEDIATE) and wait up to busy_timeout for it; past that
 * the request fails with 503 rather than hanging.
 *
 * Each connection keeps a small cache of prepared statements keyed by the SQL
 * text, since the same few statements run on every request.
 */
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/backend.h"

#define STMT_CACHE 256
#define STMT_WAYS 4
#define BUSY_TIMEOUT_MS_DEFAULT 3000
/* 1 GiB of the database file mapped per connection (sq_connect) */
#define SQ_MMAP_SIZE "1073741824"

struct sq_conn {
	sqlite3 *db;
	struct {
		char *sql;
		sqlite3_stmt *stmt;
	} cache[STMT_CACHE];
	unsigned evict; /* which way a full miss replaces next */
};

/* Maps an SQLite failure to a store code and a message the user can act on. */
static int sq_error(sqlite3 *db, int rc, struct yerr *err)
{
	int ext = db ? sqlite3_extended_errcode(db) : rc;
	const char *detail = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);

	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		yerr_set(err, 503, "db_locked", "", "数据库正忙（写锁被长时间占用），请稍后重试");
		return STORE_EUNAVAIL;
	case SQLITE_FULL:
		yerr_set(err, 503, "db_full", "", "存储空间已满，暂时无法保存，请联系系统管理员");
		return STORE_EUNAVAIL;
	case SQLITE_READONLY:
		yerr_set(err, 503, "db_readonly", "",
			 "数据库当前只读，暂时无法保存，请联系系统管理员");
		return STORE_EUNAVAIL;
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
	case SQLITE_PERM:
		yerr_set(err, 503, "db_io", "", "数据库读写失败，暂时无法保存，请联系系统管理员");
		return STORE_EUNAVAIL;
	case SQLITE_CONSTRAINT:
		if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY) {
			yerr_set(err, 409, "conflict", "", "记录已存在");
			return STORE_ECONFLICT;
		}
		fprintf(stderr, "yiye: sqlite constraint %d: %s\n", ext, detail);
		yerr_set(err, 409, "constraint", "",
			 "数据与已有记录冲突或引用了不存在的记录，请核对后重试");
		return STORE_ECONFLICT;
	default:
		yerr_set(err, 500, "db_error", "", "数据库内部错误");
		fprintf(stderr, "yiye: sqlite error %d: %s\n", ext, detail);
		return STORE_EINTERNAL;
	}
}

static int sq_connect(const char *url, const struct store_options *opt, void **out,
		      struct yerr *err)
{
	struct sq_conn *c = calloc(1, sizeof(*c));
	int busy = opt->busy_timeout_ms;
	char *errmsg = NULL;
	int rc;

	if (c == NULL)
		abort();
	rc = sqlite3_open_v2(
	    url, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		rc = sq_error(c->db, rc, err);
		sqlite3_close(c->db);
		free(c);
		return rc;
	}
	sqlite3_busy_timeout(c->db, busy > 0 ? busy : BUSY_TIMEOUT_MS_DEFAULT);
	/* mmap_size: reads of the database file map its pages instead of
	 * copying each one into the connection's 2 MB page cache with pread,
	 * which made the statistics' grouped pass over a million applications
	 * measurably cheaper (docs/benchmarks.md "Statistics"). The
	 * mapping is address space shared through the OS page cache, not
	 * memory per connection; pages still in the WAL are read as before. */
	rc = sqlite3_exec(
	    c->db,
	    "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; "
	    "PRAGMA mmap_size=" SQ_MMAP_SIZE ";",
	    NULL, NULL, &errmsg);
	sqlite3_free(errmsg);
	if (rc != SQLITE_OK) {
		rc = sq_error(c->db, rc, err);
		sqlite3_close(c->db);
		free(c);
		return rc;
	}
	*out = c;
	return 0;
}

static void sq_disconnect(void *conn)
{
	struct sq_conn *c = conn;

	for (int i = 0; i < STMT_CACHE; i++) {
		sqlite3_finalize(c->cache[i].stmt);
		free(c->cache[i].sql);
	}
	sqlite3_close(c->db);
	free(c);
}

static int sq_alive(void *conn)
{
	(void)conn;
	return 1;
}

static unsigned hash_str(const char *s)
{
	unsigned h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/* Returns a reset, unbound statement for sql from the cache, preparing it on
 * a miss. A statement may sit in any of STMT_WAYS slots from its hash, so
 * two statements of one request whose hashes collide do not evict each
 * other on every request (a prepare costs more than the statement); a miss
 * with the ways full finalises one of them in turn. */
static int sq_prepare(struct sq_conn *c, const char *sql, sqlite3_stmt **out, struct yerr *err)
{
	unsigned base = hash_str(sql), slot = STMT_CACHE;
	int rc;

	for (unsigned w = 0; w < STMT_WAYS; w++) {
		unsigned i = (base + w) % STMT_CACHE;

		if (c->cache[i].sql == NULL) {
			if (slot == STMT_CACHE)
				slot = i;
			continue;
		}
		if (strcmp(c->cache[i].sql, sql) == 0) {
			*out = c->cache[i].stmt;
			return 0;
		}
	}
	if (slot == STMT_CACHE)
		slot = (base + c->evict++ % STMT_WAYS) % STMT_CACHE;
	sqlite3_finalize(c->cache[slot].stmt);
	free(c->cache[slot].sql);
	c->cache[slot].sql = NULL;
	c->cache[slot].stmt = NULL;
	rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, out, NULL);
	if (rc != SQLITE_OK)
		return sq_error(c->db, rc, err);
	c->cache[slot].sql = store_strdup(sql);
	c->cache[slot].stmt = *out;
	return 0;
}

static int sq_exec(void *conn, const char *sql, const struct store_param *params, int nparams,
		   struct store_result **res, struct yerr *err)
{
	struct sq_conn *c = conn;
	sqlite3_stmt *st;
	struct store_result *r = NULL;
	int rc, cols;

	if ((rc = sq_prepare(c, sql, &st, err)) < 0)
		return rc;
	for (int i = 0; i < nparams; i++) {
		switch (params[i].type) {
		case STORE_PTEXT:
			if (params[i].text)
				sqlite3_bind_text(st, i + 1, params[i].text, -1, SQLITE_STATIC);
			else
				sqlite3_bind_null(st, i + 1);
			break;
		case STORE_PINT:
			sqlite3_bind_int64(st, i + 1, params[i].i);
			break;
		case STORE_PNULL:
			sqlite3_bind_null(st, i + 1);
			break;
		}
	}
	cols = sqlite3_column_count(st);
	if (res) {
		r = store_result_new(cols);
		for (int i = 0; i < cols; i++)
			r->names[i] = store_strdup(sqlite3_column_name(st, i));
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char *row[cols ? cols : 1];

		if (r == NULL)
			continue;
		for (int i = 0; i < cols; i++) {
			const unsigned char *t = sqlite3_column_text(st, i);

			row[i] = t ? store_strdup((const char *)t) : NULL;
		}
		store_result_add_row(r, row);
	}
	if (rc != SQLITE_DONE) {
		rc = sq_error(c->db, rc, err);
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		store_result_free(r);
		return rc;
	}
	if (r)
		r->changes = sqlite3_changes64(c->db);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (res)
		*res = r;
	return 0;
}

static int sq_exec_script(void *conn, const char *sql, struct yerr *err)
{
	struct sq_conn *c = conn;
	char *msg = NULL;
	int rc = sqlite3_exec(c->db, sql, NULL, NULL, &msg);

	if (rc != SQLITE_OK) {
		fprintf(stderr, "yiye: %s\n", msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return sq_error(c->db, rc, err);
	}
	return 0;
}

/* Online backup with the SQLite backup API into DEST.tmp, fsynced, then
 * renamed over DEST so a crash never leaves a half-written backup. */
static int sq_backup(const char *url, void *conn, const char *dest, struct yerr *err)
{
	struct sq_conn *c = conn;
	sqlite3 *out = NULL;
	sqlite3_backup *b;
	char tmp[4096];
	int rc, fd;

	(void)url;
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", dest) >= (int)sizeof(tmp))
		return yerr_set(err, 400, "path_too_long", "dest", "备份路径过长");
	unlink(tmp);
	rc = sqlite3_open_v2(tmp, &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		sqlite3_close(out);
		return yerr_set(err, 500, "backup_open", "dest", "无法创建备份文件 %s", tmp);
	}
	b = sqlite3_backup_init(out, "main", c->db, "main");
	if (b == NULL) {
		sqlite3_close(out);
		return yerr_set(err, 500, "backup_init", "", "备份初始化失败");
	}
	while ((rc = sqlite3_backup_step(b, 256)) == SQLITE_OK || rc == SQLITE_BUSY ||
	       rc == SQLITE_LOCKED)
		if (rc != SQLITE_OK)
			sqlite3_sleep(50);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		sqlite3_close(out);
		unlink(tmp);
		return yerr_set(err, 500, "backup_failed", "", "备份失败：%s", sqlite3_errstr(rc));
	}
	sqlite3_close(out);
	fd = open(tmp, O_RDONLY);
	if (fd < 0 || fsync(fd) < 0 || rename(tmp, dest) < 0) {
		if (fd >= 0)
			close(fd);
		unlink(tmp);
		return yerr_set(err, 500, "backup_failed", "", "备份写入失败：%s", strerror(errno));
	}
	close(fd);
	return 0;
}

static char *sq_dialect(const char *sql)
{
	static const char *const pairs[] = {
	    "{{ID}}",
	    "INTEGER PRIMARY KEY AUTOINCREMENT",
	    "{{BLOB}}",
	    "BLOB",
	    /* a line for one backend only (store.h) */
	    "{{SQLITE}}",
	    "",
	    "{{PG}}",
	    "-- ",
	    NULL,
	};
	return store_replace_tokens(sql, pairs);
}

const struct store_backend store_sqlite_backend = {
    .name = "sqlite",
    .connect = sq_connect,
    .disconnect = sq_disconnect,
    .alive = sq_alive,
    .exec = sq_exec,
    .exec_script = sq_exec_script,
    .begin_sql = "BEGIN IMMEDIATE",
    .backup = sq_backup,
    .dialect = sq_dialect,
};
