/*
 * store_restore.c — replacing a database with a backup (`yiye restore`).
 *
 * SQLite: the backup (a database file written by the online backup API) is
 * copied next to the live file, checked (it must be an intact yiye database:
 * quick_check ok and a schema_migrations table), and renamed over the live
 * file, so at every moment the path holds either the old or the new database.
 * Before that the live database is opened with an exclusive lock: a running
 * `yiye serve` keeps its connections open, so this fails and the restore is
 * refused (409 db_in_use) rather than pulling the file from under a server.
 *
 * PostgreSQL: pg_restore, in store_pg.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/backend.h"

/* Copies src to dest (created, truncated) and fsyncs it. */
static int copy_file(const char *src, const char *dest, struct yerr *err)
{
	char buf[65536];
	int in = open(src, O_RDONLY), out;
	ssize_t n;

	if (in < 0)
		return yerr_set(err, 400, "restore_input", "in", "无法打开备份文件 %s：%s", src,
				strerror(errno));
	out = open(dest, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (out < 0) {
		close(in);
		return yerr_set(err, 500, "restore_failed", "", "无法写入 %s：%s", dest,
				strerror(errno));
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n) {
			n = -1;
			break;
		}
	if (n < 0 || fsync(out) < 0) {
		close(in);
		close(out);
		unlink(dest);
		return yerr_set(err, 500, "restore_failed", "", "复制备份文件失败：%s",
				strerror(errno));
	}
	close(in);
	close(out);
	return 0;
}

/* Is path an intact yiye database? Opened read-write because it is our own
 * copy (a WAL database may need its -shm file). Closing it folds any WAL back
 * into the file. */
static int check_yiye_db(const char *path, const char *shown, struct yerr *err)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int ok = 0;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW &&
	    strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0) {
		sqlite3_finalize(st);
		st = NULL;
		ok = sqlite3_prepare_v2(db, "SELECT count(*) FROM schema_migrations", -1, &st,
					NULL) == SQLITE_OK &&
		     sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) > 0;
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	if (!ok)
		return yerr_set(err, 400, "restore_input", "in",
				"%s 不是完好的 Yiye SQLite 数据库备份", shown);
	return 0;
}

/* Takes and drops an exclusive lock on the live database: fails while any
 * other process has it open (WAL readers hold shared locks all along). */
static int check_not_in_use(const char *path, struct yerr *err)
{
	sqlite3 *db = NULL;
	int rc;

	if (access(path, F_OK) < 0)
		return 0;
	rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_busy_timeout(db, 200);
		rc = sqlite3_exec(db,
				  "PRAGMA locking_mode=EXCLUSIVE; BEGIN EXCLUSIVE; COMMIT; "
				  "PRAGMA wal_checkpoint(TRUNCATE);",
				  NULL, NULL, NULL);
	}
	sqlite3_close(db);
	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		return yerr_set(err, 409, "db_in_use", "",
				"数据库 %s 正在使用中：请先停止 yiye serve 再恢复", path);
	if (rc != SQLITE_OK)
		return yerr_set(err, 500, "restore_failed", "", "无法打开数据库 %s：%s", path,
				sqlite3_errstr(rc));
	return 0;
}

static int sqlite_restore(const char *path, const char *src, struct yerr *err)
{
	char tmp[4200], side[4200];
	int rc;

	if (snprintf(tmp, sizeof(tmp), "%s.restore-tmp", path) >= (int)sizeof(tmp))
		return yerr_set(err, 400, "path_too_long", "db", "数据库路径过长");
	if ((rc = check_not_in_use(path, err)) < 0)
		return rc;
	unlink(tmp);
	if ((rc = copy_file(src, tmp, err)) < 0)
		return rc;
	if ((rc = check_yiye_db(tmp, src, err)) < 0) {
		unlink(tmp);
		return rc;
	}
	snprintf(side, sizeof(side), "%s.restore-tmp-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s.restore-tmp-shm", path);
	unlink(side);
	/* The live database was closed cleanly (its WAL folded in and removed);
	 * leftovers would be replayed into the restored file, so none may stay. */
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
	if (rename(tmp, path) < 0) {
		unlink(tmp);
		return yerr_set(err, 500, "restore_failed", "", "替换数据库文件失败：%s",
				strerror(errno));
	}
	return 0;
}

int store_restore(const char *url, const char *src, struct yerr *err)
{
	if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0)
		return store_pg_restore(url, src, err);
	return sqlite_restore(url, src, err);
}
