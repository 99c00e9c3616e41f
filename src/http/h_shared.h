/*
 * h_shared.h — what the shared-read handlers (h_shared.c, h_shared_log.c)
 * share, and the per-token rate windows (h_shared_rate.c) that struct app
 * owns.
 *
 * Rate limiting is per process: each node counts the shared reads of a token
 * in fixed one-minute windows in memory, so a limit costs no database write
 * on the hot path. With N nodes behind a balancer a token may read up to N
 * times its limit; docs/api-sharing.md says so.
 */
#ifndef YIYE_HTTP_H_SHARED_H
#define YIYE_HTTP_H_SHARED_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct sharing_rate;

/* NULL when out of memory. */
struct sharing_rate *sharing_rate_new(void);
void sharing_rate_free(struct sharing_rate *sr);
/* Counts one request of token_id at unix second now against limit per
 * minute: 0 when allowed, else the seconds until the window ends (>= 1, for
 * Retry-After). A refused request is not counted. */
int sharing_rate_take(struct sharing_rate *sr, int64_t token_id, int limit, int64_t now);

/* The purpose code s[0..len) in the documented list: its index, or -1. */
int sharing_purpose_index(const char *s, size_t len);
/* [{"code","label"}…] of the documented purposes (a new reference). */
json_t *sharing_purposes_json(void);

#endif
