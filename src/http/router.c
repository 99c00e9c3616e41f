/*
 * router.c — matches a request against the route table. Patterns are
 * literal segments and {name} parameters; the table is small, so a linear
 * scan is both simple and fast.
 */
#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/internal.h"

/* Matches path against pattern; on success stores parameters into r (when r
 * is non-NULL) and returns 1. */
static int match(const char *pattern, const char *path, struct req *r)
{
	const char *p = pattern, *u = path;
	int n = 0;
	char *names[REQ_MAX_PARAMS], *values[REQ_MAX_PARAMS];

	while (*p && *u) {
		if (*p == '{') {
			const char *pe = strchr(p, '}');
			const char *ue = strchr(u, '/');
			size_t ulen = ue ? (size_t)(ue - u) : strlen(u);

			if (pe == NULL || ulen == 0 || n == REQ_MAX_PARAMS)
				goto fail;
			if (r) {
				names[n] = strndup(p + 1, (size_t)(pe - p - 1));
				values[n] = strndup(u, ulen);
				if (names[n] == NULL || values[n] == NULL)
					abort();
			}
			n++;
			p = pe + 1;
			u += ulen;
			continue;
		}
		if (*p != *u)
			goto fail;
		p++;
		u++;
	}
	if (*p || *u)
		goto fail;
	if (r) {
		for (int i = 0; i < n; i++) {
			r->param_names[i] = names[i];
			r->param_values[i] = values[i];
		}
		r->nparams = n;
	}
	return 1;
fail:
	if (r)
		for (int i = 0; i < n; i++) {
			free(names[i]);
			free(values[i]);
		}
	return 0;
}

static int same_method(const char *route_method, const char *method)
{
	return strcmp(route_method, method) == 0 ||
	       (strcmp(method, "HEAD") == 0 && strcmp(route_method, "GET") == 0);
}

void http_route_match(struct req *r)
{
	for (int i = 0; i < routes_count; i++) {
		if (!same_method(routes[i].method, r->method))
			continue;
		if (match(routes[i].pattern, r->url, r)) {
			r->route = &routes[i];
			r->route_idx = i;
			return;
		}
	}
}

/* No route matched method+path: 405 with Allow when the path exists under
 * other methods, the web UI for GETs outside the API, otherwise 404. */
int http_route_fallback(struct req *r)
{
	char allow[128] = "";

	for (int i = 0; i < routes_count; i++) {
		if (!match(routes[i].pattern, r->url, NULL) || strstr(allow, routes[i].method))
			continue;
		if (allow[0])
			strncat(allow, ", ", sizeof(allow) - strlen(allow) - 1);
		strncat(allow, routes[i].method, sizeof(allow) - strlen(allow) - 1);
	}
	if (allow[0]) {
		reply_error(r, 405, "method_not_allowed", NULL, "此地址不支持 %s 方法", r->method);
		reply_header(r, "Allow", allow);
		return 1;
	}
	if ((strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0) &&
	    strncmp(r->url, "/api/", 5) != 0 && static_serve(r))
		return 1;
	reply_error(r, 404, "not_found", NULL, "请求的地址不存在");
	return 1;
}

const char *http_route_label(const struct req *r)
{
	if (strncmp(r->url, "/api/", 5) == 0 || r->status == 404 || r->status == 405)
		return r->status == 405 ? "(method not allowed)" : "(not found)";
	return "(static)";
}

/* A request id unique within the process and unguessable across restarts. */
void http_request_id(char *out, size_t outsz)
{
	static uint32_t prefix;
	static unsigned long counter;
	uint32_t p = __atomic_load_n(&prefix, __ATOMIC_RELAXED);

	if (p == 0) {
		uint32_t fresh = randombytes_random() | 1u;
		uint32_t expected = 0;

		__atomic_compare_exchange_n(&prefix, &expected, fresh, 0, __ATOMIC_RELAXED,
					    __ATOMIC_RELAXED);
		p = __atomic_load_n(&prefix, __ATOMIC_RELAXED);
	}
	snprintf(out, outsz, "%08x%08lx", p,
		 __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED) & 0xffffffffUL);
}

const char *req_param(const struct req *r, const char *name)
{
	for (int i = 0; i < r->nparams; i++)
		if (strcmp(r->param_names[i], name) == 0)
			return r->param_values[i];
	return NULL;
}

const char *req_query(const struct req *r, const char *name)
{
	if (r->conn == NULL) /* stats-history: a call made in-process (cli/history_call.c) */
		return NULL;
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *req_header(const struct req *r, const char *name)
{
	if (r->conn == NULL) /* stats-history: a call made in-process */
		return NULL;
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

/* The one rule for which routes leave the I/O thread (server.c runs them on
 * the worker pool; openapi.c lists their 503 busy): slow routes, and every
 * route that changes state or identifies the caller, unless ROUTE_INLINE.
 * `method` is the request's (HEAD counts as GET). */
int route_on_worker(const struct route *rt, const char *method)
{
	if (rt->flags & ROUTE_SLOW)
		return 1;
	if (rt->flags & ROUTE_INLINE)
		return 0;
	return strcmp(rt->permission, "public") != 0 ||
	       (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0);
}
