/*
 * router.c — matches a request against the route table. Patterns are
 * literal segments and {name} parameters; the table is small, so a linear
 * scan is simple and fast enough — once each row's method is a small number
 * and its literal prefix (up to the first parameter) a length, both worked
 * out once: comparing the strings row by row cost the public verify route a
 * twentieth of its time (docs/benchmarks.md).
 */
#include <microhttpd.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/internal.h"

/* Matches path against pattern; on success stores parameters into r (when r
 * is non-NULL) and returns 1. The values are copied into r's inline buffer
 * when the path fits it (it always holds every value of a path shorter
 * than it), else into one allocation. */
static int match(const char *pattern, const char *path, struct req *r)
{
	const char *p = pattern, *u = path;
	int n = 0;
	const char *names[REQ_MAX_PARAMS], *vals[REQ_MAX_PARAMS];
	size_t lens[REQ_MAX_PARAMS];

	while (*p && *u) {
		if (*p == '{') {
			const char *pe = strchr(p, '}');
			const char *ue = strchr(u, '/');
			size_t ulen = ue ? (size_t)(ue - u) : strlen(u);

			if (pe == NULL || ulen == 0 || n == REQ_MAX_PARAMS)
				return 0;
			names[n] = p + 1;
			vals[n] = u;
			lens[n] = ulen;
			n++;
			p = pe + 1;
			u += ulen;
			continue;
		}
		if (*p != *u)
			return 0;
		p++;
		u++;
	}
	if (*p || *u)
		return 0;
	if (r && n > 0) {
		size_t need = strlen(path) + (size_t)n, at = 0;
		char *store = r->param_inline;

		if (need > sizeof(r->param_inline)) {
			store = r->param_heap = malloc(need);
			if (store == NULL)
				abort();
		}
		for (int i = 0; i < n; i++) {
			memcpy(store + at, vals[i], lens[i]);
			store[at + lens[i]] = '\0';
			r->param_names[i] = names[i];
			r->param_values[i] = store + at;
			at += lens[i] + 1;
		}
		r->nparams = n;
	}
	return 1;
}

/* A method as a small number; 0 for any method no route uses. */
static int method_code(const char *m)
{
	static const char *const names[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(m, names[i]) == 0)
			return (int)i + 1;
	return 0;
}

/* Worked out once from the (constant) route table: each row's method code
 * and the length of its pattern's literal prefix. */
struct route_key {
	int method;
	size_t literal;
};
static struct route_key *route_keys;
static pthread_once_t route_keys_once = PTHREAD_ONCE_INIT;

static void route_keys_make(void)
{
	route_keys = calloc((size_t)routes_count, sizeof(*route_keys));
	if (route_keys == NULL)
		abort();
	for (int i = 0; i < routes_count; i++) {
		const char *brace = strchr(routes[i].pattern, '{');

		route_keys[i].method = method_code(routes[i].method);
		route_keys[i].literal =
		    brace ? (size_t)(brace - routes[i].pattern) : strlen(routes[i].pattern);
	}
}

void http_route_match(struct req *r)
{
	int m = method_code(r->method);

	if (m == 0)
		return; /* no route has it: 405 or 404 from the fallback */
	if (m == 2)
		m = 1; /* HEAD is answered by the GET route */
	pthread_once(&route_keys_once, route_keys_make);
	for (int i = 0; i < routes_count; i++) {
		if (route_keys[i].method != m ||
		    strncmp(routes[i].pattern, r->url, route_keys[i].literal) != 0)
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
	size_t len = strlen(name);

	for (int i = 0; i < r->nparams; i++)
		if (strncmp(r->param_names[i], name, len) == 0 && r->param_names[i][len] == '}')
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
