/*
 * metrics.c — request counters by route and status, a latency histogram, and
 * database errors, rendered in the Prometheus text format. Counters are
 * updated with atomics: no lock on the request path.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/internal.h"

static const int status_codes[] = {200, 201, 204, 304, 400, 401, 403, 404, 405,
				   409, 410, 413, 415, 422, 429, 499, 500, 503};
#define NSTATUS (int)(sizeof(status_codes) / sizeof(status_codes[0]))
#define NOTHER NSTATUS /* slot for any other status */
static const double buckets_ms[] = {0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500};
#define NBUCKETS (int)(sizeof(buckets_ms) / sizeof(buckets_ms[0]))

struct metrics {
	int nroutes;          /* rows: routes, then one for static files and unmatched */
	unsigned long *count; /* (nroutes+1) x (NSTATUS+1) */
	unsigned long hist[NBUCKETS + 1];
	unsigned long long sum_us;
	unsigned long total;
	long inflight;
};

struct metrics *metrics_new(int nroutes)
{
	struct metrics *m = calloc(1, sizeof(*m));

	if (m == NULL)
		abort();
	m->nroutes = nroutes;
	m->count = calloc((size_t)(nroutes + 1) * (NSTATUS + 1), sizeof(unsigned long));
	if (m->count == NULL)
		abort();
	return m;
}

void metrics_free(struct metrics *m)
{
	if (m == NULL)
		return;
	free(m->count);
	free(m);
}

void metrics_observe(struct metrics *m, int route_idx, int status, double ms)
{
	int row = route_idx >= 0 && route_idx < m->nroutes ? route_idx : m->nroutes;
	int col = NOTHER, b = 0;

	for (int i = 0; i < NSTATUS; i++)
		if (status_codes[i] == status)
			col = i;
	while (b < NBUCKETS && ms > buckets_ms[b])
		b++;
	__atomic_fetch_add(&m->count[row * (NSTATUS + 1) + col], 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&m->hist[b], 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&m->sum_us, (unsigned long long)(ms * 1000.0), __ATOMIC_RELAXED);
	__atomic_fetch_add(&m->total, 1, __ATOMIC_RELAXED);
}

long metrics_inflight(struct metrics *m, int delta)
{
	if (m == NULL)
		return 0;
	return __atomic_add_fetch(&m->inflight, delta, __ATOMIC_RELAXED);
}

/* Grows a malloc'd text buffer by one formatted line. */
static void put(char **buf, size_t *len, size_t *cap, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void put(char **buf, size_t *len, size_t *cap, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(*buf + *len, *cap - *len, fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < *cap - *len)
			break;
		*cap *= 2;
		*buf = realloc(*buf, *cap);
		if (*buf == NULL)
			abort();
	}
	*len += (size_t)n;
}

char *metrics_render(struct metrics *m, struct app *app, size_t *outlen)
{
	size_t len = 0, cap = 8192;
	char *b = malloc(cap);
	unsigned long cum = 0;

	if (b == NULL)
		abort();
	b[0] = '\0';
	put(&b, &len, &cap,
	    "# HELP yiye_http_requests_total HTTP requests by route and status.\n"
	    "# TYPE yiye_http_requests_total counter\n");
	for (int row = 0; row <= m->nroutes; row++) {
		for (int col = 0; col <= NSTATUS; col++) {
			unsigned long v =
			    __atomic_load_n(&m->count[row * (NSTATUS + 1) + col], __ATOMIC_RELAXED);
			char status[8];

			if (v == 0)
				continue;
			if (col == NOTHER)
				snprintf(status, sizeof(status), "other");
			else
				snprintf(status, sizeof(status), "%d", status_codes[col]);
			if (row < m->nroutes)
				put(&b, &len, &cap,
				    "yiye_http_requests_total{method=\"%s\",route=\"%s\",status=\"%"
				    "s\"} %lu\n",
				    routes[row].method, routes[row].pattern, status, v);
			else
				put(&b, &len, &cap,
				    "yiye_http_requests_total{method=\"\",route=\"(other)\",status="
				    "\"%s\"} %lu\n",
				    status, v);
		}
	}
	put(&b, &len, &cap,
	    "# HELP yiye_http_request_duration_seconds Request latency.\n"
	    "# TYPE yiye_http_request_duration_seconds histogram\n");
	for (int i = 0; i <= NBUCKETS; i++) {
		cum += __atomic_load_n(&m->hist[i], __ATOMIC_RELAXED);
		if (i < NBUCKETS)
			put(&b, &len, &cap,
			    "yiye_http_request_duration_seconds_bucket{le=\"%g\"} %lu\n",
			    buckets_ms[i] / 1000.0, cum);
		else
			put(&b, &len, &cap,
			    "yiye_http_request_duration_seconds_bucket{le=\"+Inf\"} %lu\n", cum);
	}
	put(&b, &len, &cap, "yiye_http_request_duration_seconds_sum %.6f\n",
	    (double)__atomic_load_n(&m->sum_us, __ATOMIC_RELAXED) / 1e6);
	put(&b, &len, &cap, "yiye_http_request_duration_seconds_count %lu\n",
	    __atomic_load_n(&m->total, __ATOMIC_RELAXED));
	put(&b, &len, &cap,
	    "# HELP yiye_http_requests_in_flight Requests being served.\n"
	    "# TYPE yiye_http_requests_in_flight gauge\nyiye_http_requests_in_flight %ld\n",
	    metrics_inflight(m, 0));
	put(&b, &len, &cap,
	    "# HELP yiye_db_errors_total Database errors since start.\n"
	    "# TYPE yiye_db_errors_total counter\nyiye_db_errors_total %llu\n",
	    (unsigned long long)store_error_count(app->store));
	*outlen = len;
	return b;
}
