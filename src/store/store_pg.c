/*
 * store_pg.c — the PostgreSQL backend (libpq).
 *
 * Statements arrive in the portable dialect of store.h: `?` placeholders,
 * which are rewritten to $1, $2, … (outside quoted strings, identifiers and
 * comments) and sent with PQexecParams as text parameters of unknown type, so
 * the server infers each type from its context exactly as SQLite's loose
 * typing lets callers assume. (`? IS NULL` has no context: write
 * `CAST(? AS TEXT) IS NULL`, which both backends accept.)
 *
 * Writers. store_begin opens a READ COMMITTED transaction and takes no lock
 * of its own: transactions that write different rows (different users,
 * departments, districts) run in parallel on every node. What keeps them
 * correct is row-level: unique constraints for "exactly once" (usernames,
 * version numbers, calendar years), single-statement updates
 * (`version = version + 1`, INSERT … ON CONFLICT DO UPDATE for the login
 * counters, `… AND status = 'pending'` for a decision), `SELECT … FOR UPDATE`
 * on the row a read-modify-write rewrites (a user), store_lock_key where a
 * change depends on a set of rows (a district's catalog versions), and the
 * row lock on the district's audit chain head taken last (store_audit.c).
 * Reads outside a transaction never wait. Waits are bounded by lock_timeout
 * (→ 503 db_locked) and statement_timeout. docs/deployment.md explains it.
 *
 * No transparent retry: a transaction is composed by its handler, so only a
 * replay of the request could retry it. Serialization failures cannot arise
 * at READ COMMITTED, and the fixed lock order (store.h) leaves no cycle for
 * a deadlock; should either happen all the same, nothing was written and the
 * client is told to retry (409 concurrent_update).
 *
 * Failures map to store codes: 23505 unique_violation → STORE_ECONFLICT 409
 * "conflict"; 40001 serialization_failure and 40P01 deadlock → 409
 * "concurrent_update"; connection loss (class 08, 57P01..57P03, a bad
 * PQstatus) → STORE_EUNAVAIL 503 "db_unavailable". A connection is never
 * hung on: connect_timeout, TCP keepalives and tcp_user_timeout bound a dead
 * network, and `alive` notices a server that went away while the connection
 * sat in the pool, so the pool reconnects on the next request.
 */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <libpq-fe.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store/backend.h"

#define PG_MAX_PARAMS 256
#define MSG_UNAVAIL "数据库暂时无法连接，请稍后重试；如持续出现请联系系统管理员"

/* An option of struct store_options, or its default when unset (0). */
static int opt_or(int v, int dflt)
{
	return v > 0 ? v : dflt;
}

/* Maps a failed result (or a connection-level failure when res is NULL) to a
 * store code, filling err. */
static int pg_error(PGconn *conn, const PGresult *res, struct yerr *err)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(conn);

	if (state == NULL || PQstatus(conn) != CONNECTION_OK || strncmp(state, "08", 2) == 0 ||
	    strcmp(state, "57P01") == 0 || strcmp(state, "57P02") == 0 ||
	    strcmp(state, "57P03") == 0 || strcmp(state, "53300") == 0) {
		fprintf(stderr, "yiye: postgresql unavailable (%s): %s", state ? state : "-",
			msg ? msg : "\n");
		yerr_set(err, 503, "db_unavailable", "", MSG_UNAVAIL);
		return STORE_EUNAVAIL;
	}
	if (strcmp(state, "23505") == 0) {
		yerr_set(err, 409, "conflict", "", "记录已存在");
		return STORE_ECONFLICT;
	}
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0) {
		yerr_set(err, 409, "concurrent_update", "", "数据刚被他人修改，请刷新后重试");
		return STORE_ECONFLICT;
	}
	if (strncmp(state, "23", 2) == 0) {
		/* The server's text names tables and columns: it goes to the log,
		 * the user gets a sentence. */
		fprintf(stderr, "yiye: postgresql constraint %s: %s\n", state,
			PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY));
		yerr_set(err, 409, "constraint", "",
			 "数据与已有记录冲突或引用了不存在的记录，请核对后重试");
		return STORE_ECONFLICT;
	}
	if (strcmp(state, "55P03") == 0 || strcmp(state, "57014") == 0) {
		/* lock_timeout / statement_timeout */
		yerr_set(err, 503, "db_locked", "",
			 "数据库正忙（所需记录被长时间锁定），请稍后重试");
		return STORE_EUNAVAIL;
	}
	if (strcmp(state, "53100") == 0) {
		yerr_set(err, 503, "db_full", "", "存储空间已满，暂时无法保存，请联系系统管理员");
		return STORE_EUNAVAIL;
	}
	if (strcmp(state, "25006") == 0) {
		yerr_set(err, 503, "db_readonly", "",
			 "数据库当前只读，暂时无法保存，请联系系统管理员");
		return STORE_EUNAVAIL;
	}
	if (strncmp(state, "22", 2) == 0) {
		yerr_set(err, 400, "invalid_value", "", "数据格式不正确");
		return STORE_EINTERNAL;
	}
	fprintf(stderr, "yiye: postgresql error %s: %s", state, msg);
	yerr_set(err, 500, "db_error", "", "数据库内部错误");
	return STORE_EINTERNAL;
}

/* Opens one connection. Defaults come first so the URL may override them
 * (libpq keeps the last value of a repeated keyword). */
static int pg_connect(const char *url, const struct store_options *opt, void **out,
		      struct yerr *err)
{
	char ctimeout[16], options[160];
	const char *keys[] = {"connect_timeout",  "keepalives",
			      "keepalives_idle",  "keepalives_interval",
			      "keepalives_count", "tcp_user_timeout",
			      "application_name", "options",
			      "dbname",           NULL};
	const char *vals[] = {ctimeout, "1", "10", "5", "3", "15000", "yiye", options, url, NULL};
	PGconn *conn;

	snprintf(ctimeout, sizeof(ctimeout), "%d", opt_or(opt->pg_connect_timeout_s, 5));
	snprintf(options, sizeof(options),
		 "-c statement_timeout=%d -c lock_timeout=%d "
		 "-c idle_in_transaction_session_timeout=%d -c client_encoding=UTF8",
		 opt_or(opt->pg_statement_timeout_ms, 30000), opt_or(opt->busy_timeout_ms, 10000),
		 60000);
	*out = NULL;
	conn = PQconnectdbParams(keys, vals, 1);
	if (conn == NULL)
		abort();
	if (PQstatus(conn) != CONNECTION_OK) {
		fprintf(stderr, "yiye: postgresql connect: %s", PQerrorMessage(conn));
		PQfinish(conn);
		yerr_set(err, 503, "db_unavailable", "", MSG_UNAVAIL);
		return STORE_EUNAVAIL;
	}
	*out = conn;
	return 0;
}

static void pg_disconnect(void *conn)
{
	PQfinish(conn);
}

/* A pooled connection is alive when libpq thinks so, it is not inside a
 * transaction, and the server has sent nothing since the last reply: an idle
 * connection that became readable was told goodbye (admin shutdown, restart)
 * or hit end of file. */
static int pg_alive(void *conn)
{
	struct pollfd p;

	if (PQstatus(conn) != CONNECTION_OK || PQtransactionStatus(conn) != PQTRANS_IDLE)
		return 0;
	p.fd = PQsocket(conn);
	p.events = POLLIN;
	p.revents = 0;
	if (p.fd < 0)
		return 0;
	return poll(&p, 1, 0) == 0;
}

/* Rewrites `?` to $n outside '…' strings, "…" identifiers and -- comments.
 * Returns a new string and the number of placeholders. */
static char *pg_placeholders(const char *sql, int *count)
{
	size_t cap = strlen(sql) * 4 + 16, len = 0;
	char *out = malloc(cap);
	int n = 0;
	char quote = 0;

	if (out == NULL)
		abort();
	for (const char *p = sql; *p; p++) {
		if (len + 16 >= cap) {
			cap *= 2;
			out = realloc(out, cap);
			if (out == NULL)
				abort();
		}
		if (quote) {
			if (*p == quote)
				quote = 0;
			out[len++] = *p;
		} else if (*p == '\'' || *p == '"') {
			quote = *p;
			out[len++] = *p;
		} else if (*p == '-' && p[1] == '-') {
			while (*p && *p != '\n')
				out[len++] = *p++;
			if (*p == '\0')
				break;
			out[len++] = *p;
		} else if (*p == '?') {
			len += (size_t)snprintf(out + len, cap - len, "$%d", ++n);
		} else {
			out[len++] = *p;
		}
	}
	out[len] = '\0';
	*count = n;
	return out;
}

static int pg_exec(void *conn, const char *sql, const struct store_param *params, int nparams,
		   struct store_result **res, struct yerr *err)
{
	char *text, ints[PG_MAX_PARAMS][24];
	const char *values[PG_MAX_PARAMS];
	PGresult *pr;
	int want, rc = 0;

	if (nparams < 0 || nparams > PG_MAX_PARAMS)
		return yerr_set(err, 500, "db_error", "", "数据库内部错误（参数过多）");
	text = pg_placeholders(sql, &want);
	if (want != nparams) {
		fprintf(stderr, "yiye: %d placeholders but %d parameters: %s\n", want, nparams,
			sql);
		free(text);
		yerr_set(err, 500, "db_error", "", "数据库内部错误");
		return STORE_EINTERNAL;
	}
	for (int i = 0; i < nparams; i++) {
		switch (params[i].type) {
		case STORE_PTEXT:
			values[i] = params[i].text;
			break;
		case STORE_PINT:
			snprintf(ints[i], sizeof(ints[i]), "%lld", (long long)params[i].i);
			values[i] = ints[i];
			break;
		case STORE_PNULL:
			values[i] = NULL;
			break;
		}
	}
	pr = PQexecParams(conn, text, nparams, NULL, values, NULL, NULL, 0);
	free(text);
	if (pr == NULL ||
	    (PQresultStatus(pr) != PGRES_COMMAND_OK && PQresultStatus(pr) != PGRES_TUPLES_OK)) {
		rc = pg_error(conn, pr, err);
		PQclear(pr);
		return rc;
	}
	if (res) {
		int rows = PQntuples(pr), cols = PQnfields(pr);
		struct store_result *r = store_result_new(cols);

		for (int c = 0; c < cols; c++)
			r->names[c] = store_strdup(PQfname(pr, c));
		for (int i = 0; i < rows; i++) {
			char *row[cols ? cols : 1];

			for (int c = 0; c < cols; c++)
				row[c] = PQgetisnull(pr, i, c) ? NULL
							       : store_strdup(PQgetvalue(pr, i, c));
			store_result_add_row(r, row);
		}
		r->changes = strtoll(PQcmdTuples(pr), NULL, 10);
		*res = r;
	}
	PQclear(pr);
	return 0;
}

static int pg_exec_script(void *conn, const char *sql, struct yerr *err)
{
	PGresult *pr = PQexec(conn, sql);
	int rc = 0;

	if (pr == NULL || PQresultStatus(pr) != PGRES_COMMAND_OK) {
		if (pr)
			fprintf(stderr, "yiye: %s", PQresultErrorMessage(pr));
		rc = pg_error(conn, pr, err);
	}
	PQclear(pr);
	return rc;
}

/* The newest installed PostgreSQL client program `name` (pg_dump must be at
 * least as new as the server): Debian keeps them in
 * /usr/lib/postgresql/VERSION/bin; else PATH. */
static void pg_tool(const char *name, char *out, size_t outsz)
{
	glob_t g;

	snprintf(out, outsz, "%s", name);
	if (glob("/usr/lib/postgresql/*/bin", 0, NULL, &g) == 0) {
		const char *best = NULL;
		int bestv = -1;

		for (size_t i = 0; i < g.gl_pathc; i++) {
			int v = atoi(g.gl_pathv[i] + strlen("/usr/lib/postgresql/"));

			if (v > bestv) {
				bestv = v;
				best = g.gl_pathv[i];
			}
		}
		if (best)
			snprintf(out, outsz, "%s/%s", best, name);
	}
	globfree(&g);
}

/* Runs a PostgreSQL client program with the connection parameters of url in
 * its environment (PGHOST, PGPASSWORD, …), never on its command line, where
 * any user could read a password. Returns the exit status or -1. */
static int pg_run_tool(const char *url, char *const argv[], char *errbuf, size_t errsz)
{
	PQconninfoOption *opts;
	char *perr = NULL;
	int pipefd[2], status;
	size_t len = 0;
	pid_t pid;

	errbuf[0] = '\0';
	opts = PQconninfoParse(url, &perr);
	if (opts == NULL) {
		snprintf(errbuf, errsz, "%s", perr ? perr : "invalid URL");
		PQfreemem(perr);
		return -1;
	}
	if (pipe(pipefd) < 0) {
		PQconninfoFree(opts);
		return -1;
	}
	pid = fork();
	if (pid == 0) {
		for (PQconninfoOption *o = opts; o->keyword; o++)
			if (o->envvar && o->val && *o->val)
				setenv(o->envvar, o->val, 1);
		setenv("PGAPPNAME", "yiye-backup", 1);
		dup2(pipefd[1], 2);
		close(pipefd[0]);
		close(pipefd[1]);
		execv(argv[0], argv);
		fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	PQconninfoFree(opts);
	close(pipefd[1]);
	if (pid < 0) {
		close(pipefd[0]);
		return -1;
	}
	for (;;) {
		ssize_t n = read(pipefd[0], errbuf + len, errsz - len - 1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		if (len + 1 >= errsz) {
			char sink[512];

			while (read(pipefd[0], sink, sizeof(sink)) > 0)
				;
			break;
		}
	}
	errbuf[len] = '\0';
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* pg_dump -Fc into DEST.tmp, then renamed over DEST so a failed dump never
 * replaces a good one. */
static int pg_backup(const char *url, void *conn, const char *dest, struct yerr *err)
{
	char tool[512], tmp[4096], msg[2048];
	int rc, fd;

	(void)conn;
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", dest) >= (int)sizeof(tmp))
		return yerr_set(err, 400, "path_too_long", "dest", "备份路径过长");
	pg_tool("pg_dump", tool, sizeof(tool));
	unlink(tmp);
	rc = pg_run_tool(url,
			 (char *[]){tool, "--format=custom", "--no-owner", "--no-privileges",
				    "--file", tmp, NULL},
			 msg, sizeof(msg));
	if (rc != 0) {
		unlink(tmp);
		fprintf(stderr, "yiye: pg_dump: %s\n", msg);
		return yerr_set(err, 500, "backup_failed", "", "备份失败（pg_dump）：%s", msg);
	}
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

/* Restores a pg_dump -Fc file into the database of url, replacing the
 * objects it contains, in one transaction. Refuses while another yiye
 * process is connected to the database. */
int store_pg_restore(const char *url, const char *src, struct yerr *err)
{
	char tool[512], msg[2048], magic[5] = {0};
	struct yerr e = {0};
	void *conn;
	PGresult *pr;
	const char *dbname;
	char db[256];
	FILE *f;
	int rc;

	f = fopen(src, "rb");
	if (f == NULL)
		return yerr_set(err, 400, "restore_input", "in", "无法打开备份文件 %s：%s", src,
				strerror(errno));
	if (fread(magic, 1, 5, f) != 5 || memcmp(magic, "PGDMP", 5) != 0) {
		fclose(f);
		return yerr_set(err, 400, "restore_input", "in",
				"%s 不是 PostgreSQL 备份文件（pg_dump 自定义格式）", src);
	}
	fclose(f);
	if ((rc = pg_connect(url, &(struct store_options){0}, &conn, &e)) < 0) {
		*err = e;
		return rc;
	}
	pr = PQexec(conn, "SELECT current_database(), (SELECT count(*) FROM pg_stat_activity "
			  "WHERE datname = current_database() AND pid <> pg_backend_pid() "
			  "AND application_name = 'yiye')");
	if (PQresultStatus(pr) != PGRES_TUPLES_OK) {
		rc = pg_error(conn, pr, err);
		PQclear(pr);
		PQfinish(conn);
		return rc;
	}
	dbname = PQgetvalue(pr, 0, 0);
	snprintf(db, sizeof(db), "%s", dbname);
	rc = atoi(PQgetvalue(pr, 0, 1));
	PQclear(pr);
	PQfinish(conn);
	if (rc > 0)
		return yerr_set(
		    err, 409, "db_in_use", "",
		    "数据库 %s 正被 %d 个 yiye 连接使用：请先停止所有 yiye serve 再恢复", db, rc);
	pg_tool("pg_restore", tool, sizeof(tool));
	rc = pg_run_tool(url,
			 (char *[]){tool, "--clean", "--if-exists", "--no-owner", "--no-privileges",
				    "--single-transaction", "--exit-on-error", "--dbname", db,
				    (char *)src, NULL},
			 msg, sizeof(msg));
	if (rc != 0) {
		fprintf(stderr, "yiye: pg_restore: %s\n", msg);
		return yerr_set(err, 500, "restore_failed", "", "恢复失败（pg_restore）：%s", msg);
	}
	return 0;
}

static char *pg_dialect(const char *sql)
{
	static const char *const pairs[] = {
	    "{{ID}}",
	    "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
	    "{{BLOB}}",
	    "BYTEA",
	    /* a line for one backend only (store.h) */
	    "{{SQLITE}}",
	    "-- ",
	    "{{PG}}",
	    "",
	    NULL,
	};
	return store_replace_tokens(sql, pairs);
}

const struct store_backend store_pg_backend = {
    .name = "pg",
    .connect = pg_connect,
    .disconnect = pg_disconnect,
    .alive = pg_alive,
    .exec = pg_exec,
    .exec_script = pg_exec_script,
    .begin_sql = "BEGIN ISOLATION LEVEL READ COMMITTED",
    .backup = pg_backup,
    .dialect = pg_dialect,
};
