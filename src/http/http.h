/*
 * http.h — what a request handler sees of the HTTP layer.
 *
 * A handler receives a struct req whose route has matched, whose permission
 * has been checked and whose JSON body (for routes that take one) has been
 * parsed. It answers with exactly one reply_* call. Handlers of routes marked
 * ROUTE_SLOW, of routes that are not GET/HEAD, and of routes that are not
 * "public" (identifying the caller reads the store) run on the worker pool, so
 * they may block (hash a password, fsync, wait for a lock); ROUTE_INLINE and
 * public GETs run on an I/O thread and must be quick (see route_on_worker in
 * router.c).
 */
#ifndef YIYE_HTTP_H
#define YIYE_HTTP_H

#include <jansson.h>
#include <stddef.h>

#include "app.h"
#include "core/error.h"
#include "core/roles.h"

struct MHD_Connection;
struct req;
struct store_token;

typedef void (*route_handler)(struct req *r);

enum {
	ROUTE_JSON_BODY = 1 << 0,  /* takes an application/json body */
	ROUTE_SLOW = 1 << 1,       /* run on the worker pool even if GET */
	ROUTE_INLINE = 1 << 3,     /* run on the I/O thread even if not GET (quick, no store) */
	ROUTE_LARGE_BODY = 1 << 4, /* body limit ROUTE_LARGE_BODY_LIMIT instead of --body-limit */
	/* reachable by a session that must change its password first (who am I,
	 * change it, log out); every other non-public route answers 403
	 * password_change_required */
	ROUTE_BEFORE_PASSWORD_CHANGE = 1 << 5,
	/* A GET that, when the caller presents an API token (Authorization:
	 * Bearer), is identified and answered on the I/O thread like a public
	 * GET: the token comes from auth.c's token cache (a miss reads one row)
	 * and the handler is quick (the shared reads, fix-shared). Any other
	 * caller (a session) still runs on the worker pool. */
	ROUTE_TOKEN_INLINE = 1 << 6,
	/* Bits from 8 up choose the worker pool's class of a slow route: its
	 * jobs run a bounded number at once and wait in a bounded queue; past
	 * it the request answers 503 busy with Retry-After (docs/development.md,
	 * "Threads"). */
	ROUTE_HASHES = 1 << 8, /* hashes or verifies a password (class WORK_HASH) */
	/* A raw body (a material upload, class WORK_UPLOAD): any content type,
	 * limit ROUTE_UPLOAD_LIMIT, streamed as it arrives into a temp file of
	 * the blob store (io/blobs.h) and hashed on the way, never held in
	 * memory; the handler finds it in r->upload. */
	ROUTE_UPLOAD = 1 << 9,
	/* renders a license PDF (class WORK_RENDER, lic-core) */
	ROUTE_RENDERS = 1 << 10,
};

/* One row of the route table (routes.c; the rows are in routes_<module>.inc),
 * written with designated initializers. The router, the permission check, the
 * audit trail and the OpenAPI document all read it. */
struct route {
	const char *method;
	const char *pattern; /* "/api/v1/licenses/{number}" */
	route_handler handler;
	const char *permission; /* "public" or a permission name */
	const char *audit;      /* audit event name, or NULL for reads */
	unsigned flags;
	const char *tag;     /* OpenAPI tag */
	const char *summary; /* OpenAPI summary (Chinese is fine) */
	const char *query;   /* OpenAPI query parameters: "name:type,…" */
	const char *body;    /* OpenAPI request body schema (JSON text), or NULL: an object */
};

/* Body limit of ROUTE_LARGE_BODY routes (a whole catalog document), or the
 * configured limit when that is larger. */
#define ROUTE_LARGE_BODY_LIMIT ((size_t)8 << 20)
/* Body limit of ROUTE_UPLOAD routes (one material: a scanned licence, a
 * floor plan); a larger declared Content-Length answers 413 before any
 * byte is read, a larger chunked body 413 once it passes the limit. */
#define ROUTE_UPLOAD_LIMIT ((size_t)10 << 20)

struct blob_writer;

extern const struct route routes[];
extern const int routes_count;

#define REQ_MAX_PARAMS 8

struct req {
	struct app *app;
	struct MHD_Connection *conn;
	const struct route *route;
	int route_idx; /* index into routes[], -1 when none matched */
	const char *method;
	const char *url; /* path without the query string (owned by MHD) */
	int nparams;
	/* Path parameters. A name points into the route's pattern, just after
	 * its '{' (ended by '}', not NUL); values are NUL-terminated copies in
	 * param_inline, or in param_heap when the path is longer: the common
	 * request allocates nothing for them (router.c). */
	const char *param_names[REQ_MAX_PARAMS];
	char *param_values[REQ_MAX_PARAMS];
	char param_inline[256];
	char *param_heap;
	/* request body */
	char *body;
	size_t body_len, body_cap;
	int body_too_large;
	json_t *json; /* parsed body of ROUTE_JSON_BODY routes */
	/* ROUTE_UPLOAD: the body received so far (NULL when it was empty); a
	 * handler that keeps it sets r->upload = NULL, else it is discarded
	 * with the request. upload_failed: writing it failed (disk full). */
	struct blob_writer *upload;
	int upload_failed;
	/* response */
	int status;
	char *resp_body;
	size_t resp_len;
	const char *resp_type;
	int resp_headers;
	char *resp_hname[8];
	char *resp_hvalue[8];
	int replied;
	int resp_file; /* 1: reply_file; resp_fd is answered (resp_body unused) */
	int resp_fd;
	unsigned long long resp_fd_len;
	/* bookkeeping */
	char rid[20];
	double t_start;
	int state;
	char client[64]; /* client address, for throttling and the audit trail */
	/* authentication (auth.c) */
	struct principal who;  /* who is asking; kind PRINCIPAL_NONE when anonymous */
	char session_hash[65]; /* hash of the session cookie in use, "" none */
	int audited;           /* 1: handler wrote the entry (req_audit); 2: fully handled */
	char audit_object[96]; /* what an audited request acted on ("user:12"), if known */
	int authorised;        /* 1: auth_check passed before the body was received */
	/* Set by whatever changes a license (issuance, a sanction, a cancellation):
	 * after a 2xx answer (the change is committed) the node's cached verify
	 * answers are dropped (http_run_handler), whichever handler did it. */
	int licenses_changed;
	/* The API token that identified the caller (auth.c; NULL otherwise): its
	 * department, purposes and rate for the shared reads (h_shared.c). */
	struct store_token *token;
};

/* Path parameter {name} of the matched route, or NULL. */
const char *req_param(const struct req *r, const char *name);
/* Query-string argument, or NULL (owned by MHD, valid during the request). */
const char *req_query(const struct req *r, const char *name);
/* Request header, or NULL. */
const char *req_header(const struct req *r, const char *name);

/* Answers with a JSON document; steals the reference to body. */
void reply_json(struct req *r, int status, json_t *body);
/* Answers with the standard error body
 * {"error":{"code":…,"message":…,"field":…}}; `field` NULL or "" gives null. */
void reply_error(struct req *r, int status, const char *code, const char *field, const char *fmt,
		 ...) __attribute__((format(printf, 5, 6)));
void reply_yerr(struct req *r, const struct yerr *e);
/* Answers with raw bytes; copies body. */
void reply_raw(struct req *r, int status, const char *ctype, const void *body, size_t len);
/* Answers with raw bytes; takes body (malloc'd), which the reply frees. */
void reply_raw_take(struct req *r, int status, const char *ctype, char *body, size_t len);
/* Answers with len bytes of the open file fd (a stored material), sent by
 * libmicrohttpd from the file without copying it into memory; takes fd
 * (closed with the response). ctype must outlive the request (a literal). */
void reply_file(struct req *r, int status, const char *ctype, int fd, unsigned long long len);
/* Adds a response header (copied); up to 8 per response. */
void reply_header(struct req *r, const char *name, const char *value);

/* Builds the standard error object (used by reply_error and tests). */
json_t *http_error_body(const char *code, const char *message, const char *field);

/* Runs the server until SIGINT/SIGTERM; returns the process exit code. */
int http_serve(struct app *app);

/* The OpenAPI 3.1 document generated from the route table (openapi.c). */
json_t *openapi_document(void);

#endif
