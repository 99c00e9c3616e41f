/*
 * internal.h — pieces of the HTTP layer shared between its files; handlers
 * include http.h only.
 */
#ifndef YIYE_HTTP_INTERNAL_H
#define YIYE_HTTP_INTERNAL_H

#include <microhttpd.h>
#include <stddef.h>

#include "http/http.h"

/* The Content-Security-Policy of every response: no inline or eval'd
 * script; the UI is built with precompiled templates. */
#define HTTP_CSP                                                                    \
	"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " \
	"img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "         \
	"object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"

/* router.c */
void http_route_match(struct req *r);
int http_route_fallback(struct req *r);
const char *http_route_label(const struct req *r);
int route_on_worker(const struct route *rt, const char *method);
void http_request_id(char *out, size_t outsz);
void http_run_handler(struct req *r);
/* Frees a request and everything it owns (also for the in-process calls of
 * `yiye demo history`, cli/history_call.c). */
void req_free(struct req *r);
void http_resume(struct req *r);

/* static.c: the built web UI, loaded into memory at start. */
int static_load(struct app *app);
int static_serve(struct req *r);
void static_free(struct app *app);

/* metrics.c */
struct metrics *metrics_new(int nroutes);
void metrics_free(struct metrics *m);
void metrics_observe(struct metrics *m, int route_idx, int status, double ms);
/* Adds delta to the in-flight count and returns the new value. */
long metrics_inflight(struct metrics *m, int delta);
char *metrics_render(struct metrics *m, struct app *app, size_t *len);

/* workpool.c — classes of work, each with its own bounds (see workpool.c).
 * A route picks its class with a flag (ROUTE_HASHES → WORK_HASH); a new
 * kind of slow work (PDF rendering, uploads, exports) adds a class here, a
 * flag in http.h and its limits in http_serve. */
enum { WORK_GENERAL, WORK_HASH, WORK_UPLOAD, WORK_RENDER, WORK_CLASSES };
struct workpool_limits {
	int run;          /* jobs of the class running at once (≤ threads) */
	int wait;         /* jobs of the class waiting; more are refused */
	double expect_ms; /* first guess of a job's run time, for Retry-After */
};
struct workpool *workpool_start(struct app *app, int threads,
				const struct workpool_limits limits[WORK_CLASSES]);
/* Holds a place in class cls. Returns 0, or -1 when the class is full,
 * with *retry_after the seconds a client should wait before trying again. */
int workpool_reserve(struct workpool *p, int cls, int *retry_after);
/* Queues r in the place reserved for it; a worker runs http_run_handler(r)
 * and then http_resume(r). */
void workpool_submit(struct workpool *p, struct req *r, int cls);
void workpool_stop(struct workpool *p);

/* conntrack.c — the header deadline: a connection that has not delivered a
 * request's complete headers within header_timeout seconds of being
 * accepted (or of its previous answer) is closed, however steadily it
 * dribbles bytes; a body must keep a minimum average rate. */
struct conntrack;
/* reqlog.c — the access log, one JSON line per request, written in blocks
 * per thread (at most a second late; see reqlog.c). reqlog_stop flushes
 * and must come after every thread that logs has stopped. */
struct reqlog *reqlog_start(int fd);
void reqlog_line(struct reqlog *l, const char *line, size_t len);
/* {"ts","rid","method","route","status","ms"[,"aborted":true]} and a newline. */
void reqlog_request(struct reqlog *l, const char *rid, const char *method, const char *route,
		    int status, double ms, int aborted);
void reqlog_stop(struct reqlog *l);

struct conntrack *conntrack_start(int header_timeout_sec);
void conntrack_stop(struct conntrack *t);
/* MHD_OPTION_NOTIFY_CONNECTION callback; cls is the struct conntrack. */
void conntrack_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
		      enum MHD_ConnectionNotificationCode toe);
/* The connection's current request has its headers (first on_request). */
void conntrack_headers_done(struct conntrack *t, struct MHD_Connection *conn);
/* Its body is now being received: from here it must arrive at a minimum
 * average rate (conntrack.c). body_progress counts n more bytes of it;
 * body_done: all of it is in. */
void conntrack_body_expect(struct conntrack *t, struct MHD_Connection *conn);
void conntrack_body_progress(struct conntrack *t, struct MHD_Connection *conn, size_t n);
void conntrack_body_done(struct conntrack *t, struct MHD_Connection *conn);
/* The connection answered a request; its next request's headers are due
 * within header_timeout from now. */
void conntrack_request_done(struct conntrack *t, struct MHD_Connection *conn);

#endif
