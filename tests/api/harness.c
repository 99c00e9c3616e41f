/*
 * harness.c — see harness.h.
 */
#include "harness.h"

#include "core/ident.h"

#include <libpq-fe.h>
#include <sqlite3.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *bin(void)
{
	const char *b = getenv("YIYE_BIN");

	return b && *b ? b : "./yiye";
}

static const char *backend(void)
{
	const char *b = getenv("YIYE_TEST_BACKEND");

	return b && *b ? b : "sqlite";
}

/* For the PostgreSQL backend: a fresh database per server in the cluster
 * started by tests/pg/pgctl.sh (its connection URL prefix is in
 * $YIYE_PG_STATE/url). */
static int make_db_url(struct server *s)
{
	char path[600], prefix[400], cmd[1200];
	FILE *f;

	s->db_url[0] = '\0';
	if (strcmp(backend(), "pg") != 0)
		return 0;
	snprintf(path, sizeof(path), "%s/url",
		 getenv("YIYE_PG_STATE") ? getenv("YIYE_PG_STATE") : ".");
	f = fopen(path, "r");
	if (f == NULL || fgets(prefix, sizeof(prefix), f) == NULL) {
		fprintf(stderr, "harness: no PostgreSQL test cluster (%s)\n", path);
		if (f)
			fclose(f);
		return -1;
	}
	fclose(f);
	prefix[strcspn(prefix, "\n")] = '\0';
	/* database name from the unique temp dir name */
	const char *base = strrchr(s->dir, '/');
	char name[64];

	/* Lower-cased (PostgreSQL folds names); the pid keeps two servers of
	 * concurrent tests apart even when their suffixes differ only in case. */
	snprintf(name, sizeof(name), "t_%s_%d", base ? base + 1 : "x", (int)getpid());
	for (char *p = name; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
		else if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
			*p = '_';
	snprintf(cmd, sizeof(cmd), "%s/tests/pg/pgctl.sh createdb %s %s", getenv("YIYE_SOURCE_DIR"),
		 getenv("YIYE_PG_STATE"), name);
	if (system(cmd) != 0)
		return -1;
	snprintf(s->db_url, sizeof(s->db_url), "%s/%s", prefix, name);
	return 0;
}

static int run_wait(char *const argv[], char **out)
{
	int pipefd[2];
	pid_t pid;
	int status;
	size_t len = 0, cap = 4096;
	char *buf = NULL;

	if (pipe(pipefd) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(pipefd[1], 1);
		dup2(pipefd[1], 2);
		close(pipefd[0]);
		close(pipefd[1]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(pipefd[1]);
	buf = malloc(cap);
	for (;;) {
		ssize_t n;

		if (len + 1024 > cap)
			buf = realloc(buf, cap *= 2);
		n = read(pipefd[0], buf + len, cap - len - 1);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	close(pipefd[0]);
	waitpid(pid, &status, 0);
	if (out)
		*out = buf;
	else {
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			fprintf(stderr, "%s", buf);
		free(buf);
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

int server_cli(struct server *s, char **out, const char *const *args)
{
	char *argv[64];
	int n = 0;

	argv[n++] = (char *)bin();
	for (int i = 0; args && args[i] && n < 58; i++)
		argv[n++] = (char *)args[i];
	argv[n++] = "--data";
	argv[n++] = s->dir;
	if (s->db_url[0]) {
		argv[n++] = "--db";
		argv[n++] = s->db_url;
	}
	argv[n] = NULL;
	return run_wait(argv, out);
}

static int wait_port(struct server *s)
{
	char path[300];

	snprintf(path, sizeof(path), "%s/port", s->dir);
	for (int i = 0; i < 600; i++) {
		FILE *f = fopen(path, "r");
		int status;

		if (f) {
			int ok = fscanf(f, "%d", &s->port) == 1;

			fclose(f);
			if (ok) {
				snprintf(s->base, sizeof(s->base), "http://127.0.0.1:%d", s->port);
				return 0;
			}
		}
		if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
			fprintf(stderr, "harness: server exited early; log %s\n", s->log);
			return -1;
		}
		usleep(50 * 1000);
	}
	fprintf(stderr, "harness: server did not start\n");
	return -1;
}

int server_restart(struct server *s, const char *const *extra_args)
{
	char portfile[300];
	char *argv[64];
	int n = 0, fd;

	/* A server of ours still running is stopped first: a restart never
	 * leaves the old process behind (a reaped or killed one is skipped). */
	if (s->pid > 0) {
		int status;

		if (waitpid(s->pid, &status, WNOHANG) == 0) {
			kill(s->pid, SIGTERM);
			waitpid(s->pid, &status, 0);
		}
		s->pid = 0;
	}
	snprintf(portfile, sizeof(portfile), "%s/port", s->dir);
	unlink(portfile);
	argv[n++] = (char *)bin();
	argv[n++] = "serve";
	argv[n++] = "--data";
	argv[n++] = s->dir;
	argv[n++] = "--listen";
	argv[n++] = "127.0.0.1:0";
	argv[n++] = "--port-file";
	argv[n++] = portfile;
	if (s->db_url[0]) {
		argv[n++] = "--db";
		argv[n++] = s->db_url;
	}
	for (int i = 0; extra_args && extra_args[i] && n < 62; i++)
		argv[n++] = (char *)extra_args[i];
	argv[n] = NULL;
	fd = open(s->log, O_WRONLY | O_CREAT | O_APPEND, 0600);
	s->pid = fork();
	if (s->pid == 0) {
		dup2(fd, 2);
		dup2(fd, 1);
		execv(argv[0], argv);
		_exit(127);
	}
	close(fd);
	if (wait_port(s) < 0)
		return -1;
	if (s->curl == NULL)
		s->curl = curl_easy_init();
	return 0;
}

int server_start(struct server *s, int demo, const char *const *extra_args)
{
	/* the demo accounts without the demo history (stats-history): the
	 * tests count what they make themselves */
	const char *init_demo[] = {"init", "--demo", "--history", "0", NULL},
		   *init_plain[] = {"init", NULL};
	char *out = NULL;

	memset(s, 0, sizeof(*s));
	snprintf(s->dir, sizeof(s->dir), "/tmp/yiye-test-XXXXXX");
	if (mkdtemp(s->dir) == NULL)
		return -1;
	snprintf(s->log, sizeof(s->log), "%s/server.log", s->dir);
	if (make_db_url(s) < 0)
		return -1;
	if (server_cli(s, &out, demo ? init_demo : init_plain) != 0) {
		fprintf(stderr, "harness: init failed:\n%s\n", out ? out : "");
		free(out);
		return -1;
	}
	free(out);
	return server_restart(s, extra_args);
}

void server_stop(struct server *s, int keep_dir)
{
	int status;

	if (s->curl) {
		curl_easy_cleanup(s->curl);
		s->curl = NULL;
	}
	if (s->pid > 0) {
		kill(s->pid, SIGTERM);
		for (int i = 0; i < 200; i++) {
			if (waitpid(s->pid, &status, WNOHANG) == s->pid)
				break;
			usleep(50 * 1000);
			if (i == 199) {
				kill(s->pid, SIGKILL);
				waitpid(s->pid, &status, 0);
			}
		}
		s->pid = 0;
	}
	if (!keep_dir) {
		char cmd[400];

		/* The server log is useful when a test failed: print its tail. */
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", s->dir);
		if (system(cmd) != 0)
			fprintf(stderr, "harness: cannot remove %s\n", s->dir);
	}
}

struct buf {
	char *p;
	size_t len;
};

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *ud)
{
	struct buf *b = ud;
	size_t n = size * nmemb;
	char *p = realloc(b->p, b->len + n + 1);

	if (p == NULL)
		return 0;
	memcpy(p + b->len, ptr, n);
	b->p = p;
	b->len += n;
	b->p[b->len] = '\0';
	return n;
}

/* Remembers cookies the server sets (the session and the CSRF token). */
static void take_cookies(struct server *s, const char *headers)
{
	for (const char *h = headers; (h = strcasestr(h, "\nSet-Cookie:")) != NULL; h++) {
		const char *v = h + 12, *eq, *end;
		char name[64], value[512];

		while (*v == ' ')
			v++;
		eq = strchr(v, '=');
		end = v + strcspn(v, ";\r\n");
		if (eq == NULL || eq > end || (size_t)(eq - v) >= sizeof(name) ||
		    (size_t)(end - eq - 1) >= sizeof(value))
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)(eq - v), v);
		snprintf(value, sizeof(value), "%.*s", (int)(end - eq - 1), eq + 1);
		if (strcmp(name, "yiye_csrf") == 0)
			snprintf(s->csrf, sizeof(s->csrf), "%s", value);
		/* replace or append name=value in s->cookies */
		char fresh[4096] = "";
		char *save = NULL, copy[4096];

		snprintf(copy, sizeof(copy), "%s", s->cookies);
		for (char *tok = strtok_r(copy, ";", &save); tok;
		     tok = strtok_r(NULL, ";", &save)) {
			while (*tok == ' ')
				tok++;
			if (strncmp(tok, name, strlen(name)) == 0 && tok[strlen(name)] == '=')
				continue;
			if (*tok)
				snprintf(fresh + strlen(fresh), sizeof(fresh) - strlen(fresh),
					 "%s%s", fresh[0] ? "; " : "", tok);
		}
		if (value[0])
			snprintf(fresh + strlen(fresh), sizeof(fresh) - strlen(fresh), "%s%s=%s",
				 fresh[0] ? "; " : "", name, value);
		snprintf(s->cookies, sizeof(s->cookies), "%s", fresh);
	}
}

int http_req(struct server *s, const char *method, const char *path, const char *ctype,
	     const char *body, size_t body_len, const char *const *extra_headers, struct resp *r)
{
	struct buf b = {0}, h = {0};
	struct curl_slist *hl = NULL;
	char url[2048], line[4200];
	CURLcode rc;

	memset(r, 0, sizeof(*r));
	snprintf(url, sizeof(url), "%s%s", s->base, path);
	curl_easy_reset(s->curl);
	curl_easy_setopt(s->curl, CURLOPT_URL, url);
	curl_easy_setopt(s->curl, CURLOPT_CUSTOMREQUEST, method);
	if (strcmp(method, "HEAD") == 0)
		curl_easy_setopt(s->curl, CURLOPT_NOBODY, 1L);
	curl_easy_setopt(s->curl, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(s->curl, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(s->curl, CURLOPT_HEADERFUNCTION, on_data);
	curl_easy_setopt(s->curl, CURLOPT_HEADERDATA, &h);
	curl_easy_setopt(s->curl, CURLOPT_TIMEOUT, 60L);
	if (body) {
		curl_easy_setopt(s->curl, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(s->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
		snprintf(line, sizeof(line), "Content-Type: %s",
			 ctype ? ctype : "application/json");
		hl = curl_slist_append(hl, line);
	}
	hl = curl_slist_append(hl, "Expect:");
	if (s->cookies[0]) {
		snprintf(line, sizeof(line), "Cookie: %s", s->cookies);
		hl = curl_slist_append(hl, line);
	}
	if (s->csrf[0] && strcmp(method, "GET") != 0) {
		snprintf(line, sizeof(line), "X-CSRF-Token: %s", s->csrf);
		hl = curl_slist_append(hl, line);
	}
	if (s->bearer[0]) {
		snprintf(line, sizeof(line), "Authorization: Bearer %s", s->bearer);
		hl = curl_slist_append(hl, line);
	}
	for (int i = 0; extra_headers && extra_headers[i]; i++)
		hl = curl_slist_append(hl, extra_headers[i]);
	curl_easy_setopt(s->curl, CURLOPT_HTTPHEADER, hl);
	rc = curl_easy_perform(s->curl);
	curl_slist_free_all(hl);
	if (rc != CURLE_OK) {
		fprintf(stderr, "harness: %s %s: %s\n", method, path, curl_easy_strerror(rc));
		free(b.p);
		free(h.p);
		return -1;
	}
	curl_easy_getinfo(s->curl, CURLINFO_RESPONSE_CODE, &r->status);
	curl_easy_getinfo(s->curl, CURLINFO_NUM_CONNECTS, &r->new_connections);
	r->body = b.p ? b.p : strdup("");
	r->len = b.len;
	r->headers = h.p ? h.p : strdup("");
	r->json = json_loadb(r->body, r->len, 0, NULL);
	take_cookies(s, r->headers);
	return 0;
}

int http_json(struct server *s, const char *method, const char *path, json_t *body, struct resp *r)
{
	char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
	int rc = http_req(s, method, path, NULL, text, text ? strlen(text) : 0, NULL, r);

	free(text);
	json_decref(body);
	return rc;
}

void resp_free(struct resp *r)
{
	free(r->body);
	free(r->headers);
	json_decref(r->json);
	memset(r, 0, sizeof(*r));
}

int resp_header(const struct resp *r, const char *name, char *out, size_t outsz)
{
	size_t n = strlen(name);

	for (const char *h = r->headers; h && *h;
	     h = strchr(h, '\n') ? strchr(h, '\n') + 1 : NULL) {
		if (strncasecmp(h, name, n) == 0 && h[n] == ':') {
			const char *v = h + n + 1;

			while (*v == ' ')
				v++;
			snprintf(out, outsz, "%.*s", (int)strcspn(v, "\r\n"), v);
			return 0;
		}
	}
	out[0] = '\0';
	return -1;
}

void assert_error(const struct resp *r, long status, const char *code, const char *field)
{
	json_t *e;

	if (r->status != status)
		fprintf(stderr, "expected %ld, got %ld: %s\n", status, r->status, r->body);
	assert_int_equal(r->status, status);
	assert_non_null(r->json);
	e = json_object_get(r->json, "error");
	assert_true(json_is_object(e));
	assert_true(json_is_string(json_object_get(e, "message")));
	assert_true(json_string_length(json_object_get(e, "message")) > 0);
	if (code)
		assert_string_equal(json_string_value(json_object_get(e, "code")), code);
	if (field == NULL)
		assert_true(json_is_null(json_object_get(e, "field")));
	else if (strcmp(field, "*") != 0)
		assert_string_equal(json_string_value(json_object_get(e, "field")), field);
}

int login(struct server *s, const char *username, const char *password)
{
	struct resp r;
	int ok;

	if (http_json(s, "POST", "/api/v1/session",
		      json_pack("{s:s,s:s}", "username", username, "password", password), &r) < 0)
		return -1;
	ok = r.status == 200 || r.status == 201;
	if (!ok)
		fprintf(stderr, "harness: login %s: %ld %s\n", username, r.status, r.body);
	resp_free(&r);
	return ok ? 0 : -1;
}

const char *demo_password(struct server *s, const char *username)
{
	static char pw[128];
	char path[300];
	json_t *all, *item;
	size_t i;

	snprintf(path, sizeof(path), "%s/demo-accounts.json", s->dir);
	all = json_load_file(path, 0, NULL);
	pw[0] = '\0';
	json_array_foreach (all, i, item) {
		if (strcmp(json_string_value(json_object_get(item, "username")) ?: "", username) ==
		    0)
			snprintf(pw, sizeof(pw), "%s",
				 json_string_value(json_object_get(item, "password")));
	}
	json_decref(all);
	return pw[0] ? pw : NULL;
}

void test_uscc(unsigned serial, char out[19])
{
	char org[9];

	snprintf(org, sizeof(org), "%08u", serial % 100000000u);
	memcpy(out, "91310104", 8);
	memcpy(out + 8, org, 8);
	out[16] = ident_org_check_char(org);
	out[17] = ident_uscc_check_char(out);
	out[18] = '\0';
}

struct sqlite3 *hold_write_lock(struct server *s)
{
	char path[400];
	sqlite3 *db = NULL;

	snprintf(path, sizeof(path), "%s/yiye.db", s->dir);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	return db;
}

void release_write_lock(struct sqlite3 *db)
{
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(db);
}

int harness_is_pg(void)
{
	const char *b = getenv("YIYE_TEST_BACKEND");

	return b && strcmp(b, "pg") == 0;
}

int server_start_peer(struct server *peer, const struct server *first)
{
	memset(peer, 0, sizeof(*peer));
	snprintf(peer->dir, sizeof(peer->dir), "/tmp/yiye-test-XXXXXX");
	if (mkdtemp(peer->dir) == NULL)
		return -1;
	snprintf(peer->log, sizeof(peer->log), "%s/server.log", peer->dir);
	if (first->db_url[0])
		snprintf(peer->db_url, sizeof(peer->db_url), "%s", first->db_url);
	else
		snprintf(peer->db_url, sizeof(peer->db_url), "%s/yiye.db", first->dir);
	return server_restart(peer, NULL);
}

long server_sql_long(const struct server *s, const char *sql)
{
	long v = 0;

	if (harness_is_pg()) {
		PGconn *db = PQconnectdb(s->db_url);
		PGresult *r;

		assert_int_equal(PQstatus(db), CONNECTION_OK);
		r = PQexec(db, sql);
		if (PQresultStatus(r) != PGRES_TUPLES_OK && PQresultStatus(r) != PGRES_COMMAND_OK)
			fprintf(stderr, "%s: %s", sql, PQresultErrorMessage(r));
		assert_true(PQresultStatus(r) == PGRES_TUPLES_OK ||
			    PQresultStatus(r) == PGRES_COMMAND_OK);
		if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0)
			v = atol(PQgetvalue(r, 0, 0));
		PQclear(r);
		PQfinish(db);
	} else {
		char path[sizeof(s->db_url) + sizeof(s->dir)];
		sqlite3 *db;
		sqlite3_stmt *st;
		int rc;

		if (s->db_url[0]) /* a peer: the first node's file */
			snprintf(path, sizeof(path), "%s", s->db_url);
		else
			snprintf(path, sizeof(path), "%s/yiye.db", s->dir);
		assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
		sqlite3_busy_timeout(db, 10000);
		assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
		rc = sqlite3_step(st);
		assert_true(rc == SQLITE_ROW || rc == SQLITE_DONE);
		if (rc == SQLITE_ROW)
			v = (long)sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		sqlite3_close(db);
	}
	return v;
}
