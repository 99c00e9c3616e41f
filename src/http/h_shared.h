/*
 * h_shared.h — what the shared-read handlers (h_shared.c, h_shared_log.c)
 * share, and the sharing state struct app owns (h_shared_state.c): the
 * per-token rate windows and the access log's appender.
 *
 * Rate limiting is per process: each node counts the shared reads of a token
 * in fixed one-minute windows in memory, so a limit costs no database write
 * on the hot path. With N nodes behind a balancer a token may read up to N
 * times its limit; docs/api-sharing.md says so.
 *
 * The access log is appended by one thread per process: a handler queues its
 * entry (bounded; full → the read is refused 503 busy, nothing disclosed
 * unlogged) and answers; the appender writes whatever is queued as one batch,
 * one transaction and one commit for the whole batch, chained in memory
 * (store_sharing_append). Under load a batch grows to what arrived during
 * the previous commit, so the log costs a fraction of an fsync per read
 * instead of one fsync each, and readers never queue behind one another's
 * commits. The price: entries queued but not yet committed when the process
 * dies (one commit's worth, milliseconds) are lost. Readers of the log on
 * this node call sharing_log_flush first, so they see every entry queued
 * before they asked.
 */
#ifndef YIYE_HTTP_H_SHARED_H
#define YIYE_HTTP_H_SHARED_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store_sharing.h"

struct sharing_state;

/* Starts the appender on store; NULL when out of memory. */
struct sharing_state *sharing_state_new(struct store *store);
/* Writes what is queued, stops the appender, frees (NULL: nothing). */
void sharing_state_free(struct sharing_state *ss);

/* Counts one request of token_id at unix second now against limit per
 * minute: 0 when allowed, else the seconds until the window ends (>= 1, for
 * Retry-After). A refused request is not counted. */
int sharing_rate_take(struct sharing_state *ss, int64_t token_id, int limit, int64_t now);

/* Queues e (copied) for district's chain: 0, or -1 when the queue is full
 * (the caller answers 503 busy and discloses nothing). */
int sharing_log_enqueue(struct sharing_state *ss, const char *district,
			const struct sharing_entry *e);
/* Waits until every entry queued before the call is committed (at most a
 * few seconds while the database refuses writes): 0, or -1 on that timeout. */
int sharing_log_flush(struct sharing_state *ss);

/* The purpose code s[0..len) in the documented list: its index, or -1. */
int sharing_purpose_index(const char *s, size_t len);
/* [{"code","label"}…] of the documented purposes (a new reference). */
json_t *sharing_purposes_json(void);

/* share-events: a shared read that is not of one entity (the 一网通办 case
 * feed, h_events.c) passes the same gate as the reads by uscc — a token
 * only, a purpose stated and allowed to the token, the token's rate — and
 * leaves one access-log entry (uscc "", kind as given). sharing_gate_open
 * answers a refusal itself (400/403/429/503; a refusal for purpose is
 * logged) and returns -1; on 0 the caller reads, then calls
 * sharing_gate_log with the status it will answer, and answers only when
 * that returns 0 (-1: answered 503 busy, nothing disclosed unlogged). */
struct sharing_gate {
	struct sharing_token token;
	const char *kind;
	char purpose[32];
	char purpose_text[SHARING_PURPOSE_TEXT_MAX * 4 + 1];
};
struct req;
int sharing_gate_open(struct req *r, const char *kind, struct sharing_gate *g);
int sharing_gate_log(struct req *r, const struct sharing_gate *g, int status);

#endif
