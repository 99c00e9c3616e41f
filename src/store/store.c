/*
 * store.c — backend-independent part of the store: the connection pool,
 * results, transactions and error accounting. See store.h for the contract.
 */
#include "store/store.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/backend.h"

#define POOL_MAX 64
#define ACQUIRE_WAIT_SEC 5

struct store_conn {
	struct store *store;
	void *handle; /* backend connection, NULL until first use */
	int in_tx;    /* a transaction is open */
	int busy;     /* handed out by store_acquire */
	int writer;   /* holds the store's writer mutex (SQLite) */
};

struct store {
	const struct store_backend *be;
	enum store_kind kind;
	char *url;
	struct store_options opt;
	char describe[160];
	pthread_mutex_t mu;
	pthread_cond_t cv;
	/* SQLite: this process's writers queue here before BEGIN IMMEDIATE.
	 * SQLite's own busy handler polls with sleeps of 1, 2, 5, 10 … ms, so
	 * a writer that finds the lock held sleeps long after it is free again
	 * (a commit takes well under a millisecond on a quiet disk); a mutex
	 * hands the lock over at once. Other processes still meet the file
	 * lock and the busy timeout. */
	pthread_mutex_t writer;
	/* store_rebuild_lock: rare work one request does for every other one
	 * (store_stats_sync's rebuild); waited for without a deadline. */
	pthread_mutex_t rebuild;
	int size;
	struct store_conn conns[POOL_MAX];
	uint64_t errors; /* atomically incremented */
};

char *store_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = malloc(n);

	if (p == NULL)
		abort();
	memcpy(p, s, n);
	return p;
}

/* Describes the store for logs without the password of a PostgreSQL URL. */
static void describe_url(char *out, size_t outsz, const char *url, enum store_kind kind)
{
	const char *at, *scheme;

	if (kind == STORE_SQLITE) {
		snprintf(out, outsz, "sqlite:%s", url);
		return;
	}
	scheme = strstr(url, "://");
	at = strrchr(url, '@');
	if (scheme && at && at > scheme)
		snprintf(out, outsz, "postgresql://%s", at + 1);
	else
		snprintf(out, outsz, "%s", url);
}

int store_open(struct store **out, const char *url, int pool_size, const struct store_options *opt,
	       struct yerr *err)
{
	struct store *s;

	*out = NULL;
	if (url == NULL || *url == '\0')
		return yerr_set(err, 500, "db_url", "", "未配置数据库");
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		abort();
	if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0) {
#ifdef YIYE_HAVE_PG
		s->be = &store_pg_backend;
		s->kind = STORE_PG;
#else
		free(s);
		return yerr_set(err, 500, "db_backend", "", "此版本不支持 PostgreSQL");
#endif
	} else {
		s->be = &store_sqlite_backend;
		s->kind = STORE_SQLITE;
	}
	s->url = store_strdup(url);
	if (opt)
		s->opt = *opt;
	describe_url(s->describe, sizeof(s->describe), url, s->kind);
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	pthread_mutex_init(&s->writer, NULL);
	pthread_mutex_init(&s->rebuild, NULL);
	s->size = pool_size < 1 ? 1 : pool_size > POOL_MAX ? POOL_MAX : pool_size;
	for (int i = 0; i < s->size; i++)
		s->conns[i].store = s;
	*out = s;
	return 0;
}

void store_close(struct store *s)
{
	if (s == NULL)
		return;
	for (int i = 0; i < s->size; i++)
		if (s->conns[i].handle)
			s->be->disconnect(s->conns[i].handle);
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->cv);
	pthread_mutex_destroy(&s->writer);
	pthread_mutex_destroy(&s->rebuild);
	free(s->url);
	free(s);
}

enum store_kind store_kind(const struct store *s)
{
	return s->kind;
}

enum store_kind store_conn_kind(const struct store_conn *c)
{
	return store_kind(c->store);
}

void store_where_add(char *sql, size_t sqlsz, const char *fragment, struct store_param *p, int *n,
		     struct store_param value)
{
	size_t len = strlen(sql), fl = strlen(fragment);

	/* a filter left out would widen what the caller may see: a buffer
	 * sized too small is a bug, never a shorter statement */
	if (len + fl >= sqlsz)
		abort();
	memcpy(sql + len, fragment, fl + 1);
	p[(*n)++] = value;
}

int store_exec_pg_planned(struct store_conn *c, const char *const *settings, const char *sql,
			  const struct store_param *params, int nparams, struct store_result **res,
			  struct yerr *err)
{
	char set[160];
	int rc;

	if (c->store->kind != STORE_PG)
		return store_exec(c, sql, params, nparams, res, err);
	if ((rc = store_begin(c, err)) < 0)
		return rc;
	for (int i = 0; rc == 0 && settings[i]; i++) {
		snprintf(set, sizeof(set), "SET LOCAL %s", settings[i]);
		rc = store_exec(c, set, NULL, 0, NULL, err);
	}
	if (rc == 0)
		rc = store_exec(c, sql, params, nparams, res, err);
	if (rc == 0 && (rc = store_commit(c, err)) == 0)
		return 0;
	if (res) {
		store_result_free(*res);
		*res = NULL;
	}
	store_rollback(c);
	return rc;
}

const char *store_describe(const struct store *s)
{
	return s->describe;
}
uint64_t store_error_count(const struct store *s)
{
	return __atomic_load_n(&s->errors, __ATOMIC_RELAXED);
}

static int count_error(struct store *s, int rc)
{
	if (rc < 0 && rc != STORE_ECONFLICT && rc != STORE_ENOTFOUND)
		__atomic_fetch_add(&s->errors, 1, __ATOMIC_RELAXED);
	return rc;
}

/* Hands out a free connection, opening it on first use and reopening it when
 * the backend says it died (PostgreSQL restarted): the pool heals itself. */
int store_acquire(struct store *s, struct store_conn **out, struct yerr *err)
{
	struct store_conn *c = NULL;
	struct timespec deadline;
	int rc;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += ACQUIRE_WAIT_SEC;
	pthread_mutex_lock(&s->mu);
	for (;;) {
		for (int i = 0; i < s->size && c == NULL; i++)
			if (!s->conns[i].busy)
				c = &s->conns[i];
		if (c)
			break;
		if (pthread_cond_timedwait(&s->cv, &s->mu, &deadline) == ETIMEDOUT) {
			pthread_mutex_unlock(&s->mu);
			yerr_set(err, 503, "db_busy", "", "系统繁忙，请稍后重试");
			return count_error(s, STORE_EUNAVAIL);
		}
	}
	c->busy = 1;
	pthread_mutex_unlock(&s->mu);

	if (c->handle && !s->be->alive(c->handle)) {
		s->be->disconnect(c->handle);
		c->handle = NULL;
	}
	if (c->handle == NULL) {
		rc = s->be->connect(s->url, &s->opt, &c->handle, err);
		if (rc < 0) {
			c->handle = NULL;
			store_release(c);
			return count_error(s, rc);
		}
	}
	c->in_tx = 0;
	*out = c;
	return 0;
}

void store_release(struct store_conn *c)
{
	struct store *s;

	if (c == NULL)
		return;
	s = c->store;
	if (c->in_tx)
		store_rollback(c);
	pthread_mutex_lock(&s->mu);
	c->busy = 0;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

#define FOR_UPDATE " FOR UPDATE"

int store_exec(struct store_conn *c, const char *sql, const struct store_param *params, int nparams,
	       struct store_result **res, struct yerr *err)
{
	size_t len = strlen(sql), tail = strlen(FOR_UPDATE);
	char *plain = NULL;
	int rc;

	if (res)
		*res = NULL;
	/* SQLite has no row locks (see store.h): the clause goes. */
	if (c->store->kind == STORE_SQLITE && len > tail &&
	    strcmp(sql + len - tail, FOR_UPDATE) == 0) {
		plain = store_strdup(sql);
		plain[len - tail] = '\0';
		sql = plain;
	}
	rc = count_error(c->store, c->store->be->exec(c->handle, sql, params, nparams, res, err));
	free(plain);
	return rc;
}

/* The class of yiye's keyed advisory locks (the two-key form of
 * pg_advisory_xact_lock keeps them apart from the migration lock). */
#define LOCK_KEY_CLASS "727002"

int store_lock_key(struct store_conn *c, const char *space, const char *key, struct yerr *err)
{
	char name[256];

	if (c->store->kind != STORE_PG)
		return 0;
	snprintf(name, sizeof(name), "%s:%s", space, key);
	return store_exec(c, "SELECT pg_advisory_xact_lock(" LOCK_KEY_CLASS ", hashtext(?))",
			  (struct store_param[]){SP_TEXT(name)}, 1, NULL, err);
}

void store_rebuild_lock(struct store_conn *c)
{
	pthread_mutex_lock(&c->store->rebuild);
}

void store_rebuild_unlock(struct store_conn *c)
{
	pthread_mutex_unlock(&c->store->rebuild);
}

/* SQLite: waits for this process's other writers as long as the busy
 * timeout would have, then answers as a busy file lock does. */
static int writer_lock(struct store_conn *c, struct yerr *err)
{
	struct store *s = c->store;
	int ms = s->opt.busy_timeout_ms > 0 ? s->opt.busy_timeout_ms : 3000;
	struct timespec deadline;

	if (s->kind != STORE_SQLITE)
		return 0;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += ms / 1000;
	deadline.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	if (pthread_mutex_timedlock(&s->writer, &deadline) != 0) {
		yerr_set(err, 503, "db_locked", "", "数据库正忙（写锁被长时间占用），请稍后重试");
		return count_error(s, STORE_EUNAVAIL);
	}
	c->writer = 1;
	return 0;
}

static void writer_unlock(struct store_conn *c)
{
	if (c->writer) {
		c->writer = 0;
		pthread_mutex_unlock(&c->store->writer);
	}
}

int store_begin(struct store_conn *c, struct yerr *err)
{
	int rc = writer_lock(c, err);

	if (rc < 0)
		return rc;
	rc = c->store->be->begin ? count_error(c->store, c->store->be->begin(c->handle, err))
				 : store_exec(c, c->store->be->begin_sql, NULL, 0, NULL, err);
	if (rc == 0)
		c->in_tx = 1;
	else
		writer_unlock(c);
	return rc;
}

int store_commit(struct store_conn *c, struct yerr *err)
{
	int rc = store_exec(c, "COMMIT", NULL, 0, NULL, err);

	if (rc < 0)
		store_rollback(c);
	c->in_tx = 0;
	writer_unlock(c);
	return rc;
}

void store_rollback(struct store_conn *c)
{
	struct yerr ignored;

	if (c->handle)
		c->store->be->exec(c->handle, "ROLLBACK", NULL, 0, NULL, &ignored);
	c->in_tx = 0;
	writer_unlock(c);
}

int store_query_row(struct store_conn *c, const char *sql, const struct store_param *params,
		    int nparams, struct store_result **res, int status, const char *code,
		    const char *message, struct yerr *err)
{
	int rc = store_exec(c, sql, params, nparams, res, err);

	if (rc < 0)
		return rc;
	if ((*res)->rows == 0) {
		store_result_free(*res);
		*res = NULL;
		yerr_set(err, status, code, "", "%s", message);
		return STORE_ENOTFOUND;
	}
	return 0;
}

int store_query_int(struct store_conn *c, const char *sql, const struct store_param *params,
		    int nparams, int64_t dflt, int64_t *out, struct yerr *err)
{
	struct store_result *r;
	int rc = store_exec(c, sql, params, nparams, &r, err);

	if (rc < 0)
		return rc;
	*out = store_cell_int(r, 0, 0, dflt);
	store_result_free(r);
	return 0;
}

struct store_result *store_result_new(int cols)
{
	struct store_result *r = calloc(1, sizeof(*r));

	if (r == NULL)
		abort();
	r->cols = cols;
	r->names = calloc((size_t)(cols ? cols : 1), sizeof(char *));
	if (r->names == NULL)
		abort();
	return r;
}

/* Appends one row; takes ownership of the `cols` strings in cells_taken. */
int store_result_add_row(struct store_result *r, char **cells_taken)
{
	size_t n = (size_t)(r->rows + 1) * (size_t)r->cols;
	char **cells = realloc(r->cells, (n ? n : 1) * sizeof(char *));

	if (cells == NULL)
		abort();
	memcpy(cells + (size_t)r->rows * (size_t)r->cols, cells_taken,
	       (size_t)r->cols * sizeof(char *));
	r->cells = cells;
	r->rows++;
	return 0;
}

const char *store_cell(const struct store_result *r, int row, int col)
{
	if (r == NULL || row < 0 || row >= r->rows || col < 0 || col >= r->cols)
		return NULL;
	return r->cells[(size_t)row * (size_t)r->cols + (size_t)col];
}

char *store_cell_dup(const struct store_result *r, int row, int col)
{
	const char *v = store_cell(r, row, col);

	return v ? store_strdup(v) : NULL;
}

void store_like_pattern(const char *q, char *out, size_t outsz)
{
	size_t j = 0;

	out[j++] = '%';
	for (; *q && j + 3 < outsz; q++) {
		if (*q == '%' || *q == '_' || *q == '\\')
			out[j++] = '\\';
		out[j++] = *q;
	}
	out[j++] = '%';
	out[j] = '\0';
}

void store_cell_copy(const struct store_result *r, int row, int col, char *dst, size_t dstsz)
{
	const char *v = store_cell(r, row, col);
	size_t n = v ? strlen(v) : 0;

	if (dstsz == 0)
		return;
	if (n >= dstsz) {
		/* Cut at a character boundary: never leave half a UTF-8 sequence. */
		n = dstsz - 1;
		while (n > 0 && ((unsigned char)v[n] & 0xc0) == 0x80)
			n--;
	}
	if (n > 0)
		memcpy(dst, v, n);
	dst[n] = '\0';
}

int64_t store_cell_int(const struct store_result *r, int row, int col, int64_t dflt)
{
	const char *v = store_cell(r, row, col);

	return v ? strtoll(v, NULL, 10) : dflt;
}

void store_result_free(struct store_result *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < (size_t)r->rows * (size_t)r->cols; i++)
		free(r->cells[i]);
	for (int i = 0; i < r->cols; i++)
		free(r->names[i]);
	free(r->cells);
	free(r->names);
	free(r);
}

/* Replaces each {{TOKEN}} in sql by its value; pairs is NULL-terminated
 * {"{{ID}}", "INTEGER PRIMARY KEY", …}. Returns a new string. */
char *store_replace_tokens(const char *sql, const char *const *pairs)
{
	size_t cap = strlen(sql) * 2 + 256, len = 0;
	char *out = malloc(cap);
	const char *p = sql;

	if (out == NULL)
		abort();
	while (*p) {
		int matched = 0;

		for (int i = 0; pairs[i]; i += 2) {
			size_t tl = strlen(pairs[i]), vl = strlen(pairs[i + 1]);

			if (strncmp(p, pairs[i], tl) == 0) {
				if (len + vl + 1 >= cap) {
					cap = (len + vl + 1) * 2;
					out = realloc(out, cap);
					if (out == NULL)
						abort();
				}
				memcpy(out + len, pairs[i + 1], vl);
				len += vl;
				p += tl;
				matched = 1;
				break;
			}
		}
		if (!matched) {
			if (len + 2 >= cap) {
				cap *= 2;
				out = realloc(out, cap);
				if (out == NULL)
					abort();
			}
			out[len++] = *p++;
		}
	}
	out[len] = '\0';
	return out;
}

int store_health(struct store *s, int *read_ok, int *write_ok, char *detail, size_t detailsz)
{
	struct store_conn *c;
	struct yerr e = {0};
	int64_t n;
	int64_t now = (int64_t)time(NULL);

	*read_ok = *write_ok = 0;
	detail[0] = '\0';
	if (store_acquire(s, &c, &e) < 0) {
		snprintf(detail, detailsz, "%s", e.message);
		return -1;
	}
	if (store_query_int(c, "SELECT count(*) FROM schema_migrations", NULL, 0, 0, &n, &e) == 0)
		*read_ok = 1;
	else
		snprintf(detail, detailsz, "读取失败：%s", e.message);
	if (store_begin(c, &e) == 0 &&
	    store_exec(c,
		       "UPDATE health_probe SET probes = probes + 1, checked_at = ? WHERE id = 1",
		       (struct store_param[]){SP_INT(now)}, 1, NULL, &e) == 0 &&
	    store_commit(c, &e) == 0)
		*write_ok = 1;
	else if (detail[0] == '\0')
		snprintf(detail, detailsz, "写入失败：%s", e.message);
	store_release(c);
	return (*read_ok && *write_ok) ? 0 : -1;
}

int store_backup(struct store *s, const char *dest, struct yerr *err)
{
	struct store_conn *c;
	int rc;

	if (store_acquire(s, &c, err) < 0)
		return STORE_EUNAVAIL;
	rc = s->be->backup(s->url, c->handle, dest, err);
	store_release(c);
	return rc;
}

const struct store_backend *store_backend_of(const struct store *s)
{
	return s->be;
}
void *store_conn_handle(struct store_conn *c)
{
	return c->handle;
}
