/*
 * harness.h — API tests drive a real `yiye serve` (the binary in $YIYE_BIN)
 * on an ephemeral port with a throw-away data directory, through libcurl.
 * The storage backend comes from $YIYE_TEST_BACKEND (sqlite | pg).
 */
#ifndef YIYE_TEST_HARNESS_H
#define YIYE_TEST_HARNESS_H

#include <curl/curl.h>
#include <jansson.h>
#include <stddef.h>
#include <sys/types.h>

/* cmocka needs these before its header. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <cmocka.h>

struct server {
	pid_t pid;
	int port;
	char dir[256];      /* temp data dir */
	char db_url[512];   /* "" for the default SQLite file in dir */
	char base[64];      /* http://127.0.0.1:PORT */
	char log[300];      /* server stderr */
	CURL *curl;         /* one handle: connections are kept alive */
	char cookies[4096]; /* Cookie header sent with each request */
	char csrf[512];     /* X-CSRF-Token sent with non-GET requests */
	char bearer[256];   /* Authorization: Bearer … when set */
};

struct resp {
	long status;
	char *body;
	size_t len;
	json_t *json;         /* parsed body when it is JSON, else NULL */
	char *headers;        /* raw response headers */
	long new_connections; /* CURLINFO_NUM_CONNECTS of this request */
};

/* Initialises a data dir (`yiye init [--demo]`) and starts `yiye serve`
 * with extra serve arguments (NULL-terminated list, may be NULL). Waits until
 * /healthz answers. Returns 0 or -1. */
int server_start(struct server *s, int demo, const char *const *extra_args);
/* Starts `yiye serve` again on the same data dir (after server_stop). */
int server_restart(struct server *s, const char *const *extra_args);
/* Starts a second node `peer` of `first`: its own data directory, first's
 * database (on SQLite the database file in first's directory). */
int server_start_peer(struct server *peer, const struct server *first);
/* SIGTERM, wait; removes the data dir unless keep_dir. */
void server_stop(struct server *s, int keep_dir);
/* The server log once it contains needle (e.g. "\"rid\":\"<X-Request-Id>\""):
 * the access log reaches the file in blocks, up to a second late, so a test
 * waits for the line it looks for (polling, bounded at 15 s; after that it
 * returns the log as it is and the test's assertion fails). Caller frees. */
char *server_log_wait(const struct server *s, const char *needle);
/* Runs `yiye ARGS…` against the server's data dir/db; returns its exit code
 * and, when out is non-NULL, its combined output (caller frees). */
int server_cli(struct server *s, char **out, const char *const *args);

/* One request. body may be NULL; ctype NULL means application/json when a
 * body is given. extra_headers is NULL or a NULL-terminated list. */
int http_req(struct server *s, const char *method, const char *path, const char *ctype,
	     const char *body, size_t body_len, const char *const *extra_headers, struct resp *r);
/* Convenience: JSON body from a jansson value (reference stolen). */
int http_json(struct server *s, const char *method, const char *path, json_t *body, struct resp *r);
void resp_free(struct resp *r);
/* Value of a response header (case-insensitive), copied into out. */
int resp_header(const struct resp *r, const char *name, char *out, size_t outsz);

/* Asserts the standard error shape with the given status and code; field
 * NULL means "field must be null", "*" means "any". */
void assert_error(const struct resp *r, long status, const char *code, const char *field);

/* SQLite only: opens a second connection to the server's database and takes
 * its write lock (BEGIN IMMEDIATE), as another process busy writing would.
 * release_write_lock rolls back and closes it. */
struct sqlite3 *hold_write_lock(struct server *s);
void release_write_lock(struct sqlite3 *db);

/* 1 when the tests run against PostgreSQL ($YIYE_TEST_BACKEND=pg). */
int harness_is_pg(void);
/* Runs one SQL statement on the server's database, whichever backend, from a
 * connection of its own (as another node would); returns the first column
 * of the first row, 0 when there is none. Fails the test on an error. */
long server_sql_long(const struct server *s, const char *sql);

/* A valid 统一社会信用代码 made from a serial (91 310104 + organisation code
 * + check characters), so tests can register as many entities as they need. */
void test_uscc(unsigned serial, char out[19]);

/* Logs in (POST /api/v1/session) and keeps the session cookie and CSRF
 * token for the following requests. */
int login(struct server *s, const char *username, const char *password);
/* Password of a demo account from DIR/demo-accounts.json by role. */
const char *demo_password(struct server *s, const char *username);

#endif
