/*
 * auth.h — who is asking, and may they. The only place where a route's
 * declared permission is enforced (default deny).
 */
#ifndef YIYE_HTTP_AUTH_H
#define YIYE_HTTP_AUTH_H

#include "http/http.h"

/* Checks r->route->permission for the caller; on refusal fills the reply
 * (401 or 403) and returns -1. */
int auth_check(struct req *r);
/* Hook after a handler ran (audit of state-changing requests). */
void auth_after_handler(struct req *r);
/* Frees per-request authentication state. */
void auth_req_cleanup(struct req *r);

#endif
