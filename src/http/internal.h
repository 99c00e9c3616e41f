/*
 * internal.h — pieces of the HTTP layer shared between its files; handlers
 * include http.h only.
 */
#ifndef YIYE_HTTP_INTERNAL_H
#define YIYE_HTTP_INTERNAL_H

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
void http_request_id(char *out, size_t outsz);
void http_run_handler(struct req *r);
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

/* workpool.c */
struct workpool *workpool_start(struct app *app, int threads);
void workpool_submit(struct workpool *p, struct req *r);
void workpool_stop(struct workpool *p);

#endif
