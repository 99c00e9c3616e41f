/*
 * h_shared_rate.c — per-token fixed-window rate limits of shared reads
 * (h_shared.h).
 *
 * A small open-addressed table keyed by token id, striped over a few mutexes
 * so concurrent readers of different tokens rarely meet. A slot whose window
 * is over is free for reuse, so the table never needs sweeping; when every
 * probed slot holds a live window of another token (more than SLOTS tokens
 * active in one minute), the request is allowed uncounted rather than refused:
 * a limit exists to protect the platform from one token, not to fail open
 * tokens that did nothing wrong.
 */
#include "http/h_shared.h"

#include <pthread.h>
#include <stdlib.h>

#define STRIPES 8
#define SLOTS 512 /* per stripe */
#define PROBES 16

struct slot {
	int64_t token;  /* 0: empty */
	int64_t window; /* unix minute */
	int count;
};

struct stripe {
	pthread_mutex_t mu;
	struct slot slots[SLOTS];
};

struct sharing_rate {
	struct stripe stripes[STRIPES];
};

struct sharing_rate *sharing_rate_new(void)
{
	struct sharing_rate *sr = calloc(1, sizeof(*sr));

	if (sr == NULL)
		return NULL;
	for (int i = 0; i < STRIPES; i++)
		pthread_mutex_init(&sr->stripes[i].mu, NULL);
	return sr;
}

void sharing_rate_free(struct sharing_rate *sr)
{
	if (sr == NULL)
		return;
	for (int i = 0; i < STRIPES; i++)
		pthread_mutex_destroy(&sr->stripes[i].mu);
	free(sr);
}

int sharing_rate_take(struct sharing_rate *sr, int64_t token_id, int limit, int64_t now)
{
	uint64_t h = (uint64_t)token_id * 0x9E3779B97F4A7C15ull;
	struct stripe *st = &sr->stripes[(h >> 60) % STRIPES];
	int64_t window = now / 60;
	struct slot *use = NULL;
	int wait = 0;

	pthread_mutex_lock(&st->mu);
	for (int i = 0; i < PROBES; i++) {
		struct slot *s = &st->slots[(h + (uint64_t)i) % SLOTS];

		if (s->token == token_id) {
			use = s;
			break;
		}
		if (use == NULL && (s->token == 0 || s->window != window))
			use = s; /* free or stale: ours unless the token shows up later */
	}
	if (use) {
		if (use->token != token_id || use->window != window) {
			use->token = token_id;
			use->window = window;
			use->count = 0;
		}
		if (use->count >= limit)
			wait = (int)((window + 1) * 60 - now);
		else
			use->count++;
	}
	pthread_mutex_unlock(&st->mu);
	return wait > 0 ? wait : 0;
}
