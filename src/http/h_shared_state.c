/*
 * h_shared_state.c — the sharing state of struct app (h_shared.h): per-token
 * fixed-window rate limits of shared reads, and the access log's appender.
 *
 * Rate windows: a small open-addressed table keyed by token id, striped over
 * a few mutexes so concurrent readers of different tokens rarely meet. A slot
 * whose window is over is free for reuse, so the table never needs sweeping;
 * when every probed slot holds a live window of another token (more than
 * STRIPES * SLOTS tokens active in one minute), the request is allowed
 * uncounted rather than refused: the limit protects the platform from one
 * token, it must not fail tokens that did nothing wrong.
 *
 * Appender: a FIFO of copied entries (bounded by QUEUE_MAX) and one thread
 * that takes all of it, writes it in one transaction, and signals the
 * flushers. Each entry carries its district; consecutive entries of one
 * district go in one store_sharing_append call (a node serves one district,
 * so that is the whole batch). A failed write keeps the batch and retries
 * after RETRY_MS, in order, so the chain never skips an entry.
 */
#include "http/h_shared.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store.h"

#define STRIPES 8
#define SLOTS 512 /* per stripe */
#define PROBES 16
/* entries waiting: ~20 MB typically, 70 MB at the very worst (every string
   at its longest), only under overload; a commit (fsync) of a few hundred
   milliseconds on a shared disk must not fill it while readers are served
   at tens of thousands a second (fix-shared) */
#define QUEUE_MAX 80000
/* entries per transaction: the appender takes what queued during the last
   commit. With a commit (fsync, WAL checkpoint) of a few hundred ms on a
   shared disk, 2,000 and then 10,000 capped the log at about 40,000 entries
   a second and the queue filled (503 busy) before the readers did
   (fix-shared, docs/benchmarks.md) */
#define BATCH_MAX 50000
#define RETRY_MS 200
#define FLUSH_WAIT_S 5

struct slot {
	int64_t token;  /* 0: empty */
	int64_t window; /* unix minute */
	int count;
};

struct stripe {
	pthread_mutex_t mu;
	struct slot slots[SLOTS];
};

/* One queued entry with its strings copied in after it, each cut to the
 * size the fixed fields of the first version had (packed: a typical entry
 * takes about 250 bytes instead of 1 KB, so the queue can hold a second or
 * two of a busy disk's commits). */
struct qentry {
	struct qentry *next;
	struct sharing_entry e;
	char district[16];
	char text[];
};
struct sharing_state {
	struct stripe stripes[STRIPES];
	struct store *store;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t work, done;
	struct qentry *head, *tail;
	int queued, stop;
	uint64_t enqueued, written; /* entries ever queued / committed */
};

/* src (NULL: "") into dst[n], cut to fit; no snprintf: eight per read */
static void cpy(char *dst, size_t n, const char *src)
{
	size_t len = src ? strnlen(src, n - 1) : 0;

	if (len)
		memcpy(dst, src, len);
	dst[len] = '\0';
}

/* Writes n entries (a list from first) in one transaction: 0 or -1. */
static int write_batch(struct sharing_state *ss, struct qentry *first, int n)
{
	struct sharing_entry *arr = calloc((size_t)n, sizeof(*arr));
	struct store_conn *c = NULL;
	struct yerr e = {0};
	struct qentry *q = first;
	int rc, i = 0;

	if (arr == NULL)
		abort();
	for (; i < n; i++, q = q->next)
		arr[i] = q->e;
	rc = store_acquire(ss->store, &c, &e);
	if (rc == 0)
		rc = store_begin(c, &e);
	/* runs of one district, in queue order */
	for (int from = 0; rc == 0 && from < n;) {
		struct qentry *b = q = first;
		int len = 1;

		for (int j = 0; j < from; j++)
			q = q->next;
		for (b = q; from + len < n && strcmp(b->next->district, q->district) == 0; len++)
			b = b->next;
		rc = store_sharing_append(c, q->district, arr + from, len, NULL, &e);
		from += len;
	}
	if (rc == 0)
		rc = store_commit(c, &e);
	if (c)
		store_release(c);
	free(arr);
	if (rc < 0)
		fprintf(stderr, "yiye: sharing access log: write failed (%s: %s), retrying\n",
			e.code, e.message);
	return rc < 0 ? -1 : 0;
}

static void *appender(void *arg)
{
	struct sharing_state *ss = arg;

	pthread_mutex_lock(&ss->mu);
	for (;;) {
		struct qentry *first, *last, *q, *rest;
		int n = 0, rc;

		while (ss->head == NULL && !ss->stop)
			pthread_cond_wait(&ss->work, &ss->mu);
		if (ss->head == NULL && ss->stop)
			break;
		/* detach up to BATCH_MAX entries; new ones queue behind them */
		first = last = ss->head;
		for (q = first; q && n < BATCH_MAX; q = q->next) {
			last = q;
			n++;
		}
		pthread_mutex_unlock(&ss->mu);
		rc = write_batch(ss, first, n);
		pthread_mutex_lock(&ss->mu);
		if (rc < 0) {
			struct timespec until;

			if (ss->stop) /* shutting down with a failing store: give up */
				break;
			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_nsec += RETRY_MS * 1000000L;
			until.tv_sec += until.tv_nsec / 1000000000L;
			until.tv_nsec %= 1000000000L;
			(void)pthread_cond_timedwait(&ss->work, &ss->mu, &until);
			continue;
		}
		ss->head = last->next;
		if (ss->head == NULL)
			ss->tail = NULL;
		ss->queued -= n;
		ss->written += (uint64_t)n;
		pthread_cond_broadcast(&ss->done);
		/* freed without the lock: the readers queueing meanwhile wait for
		   nothing (the entries first..last are no longer reachable) */
		pthread_mutex_unlock(&ss->mu);
		for (q = first;; q = rest) {
			rest = q->next;
			free(q);
			if (q == last)
				break;
		}
		pthread_mutex_lock(&ss->mu);
	}
	pthread_mutex_unlock(&ss->mu);
	return NULL;
}

struct sharing_state *sharing_state_new(struct store *store)
{
	struct sharing_state *ss = calloc(1, sizeof(*ss));

	if (ss == NULL)
		return NULL;
	for (int i = 0; i < STRIPES; i++)
		pthread_mutex_init(&ss->stripes[i].mu, NULL);
	ss->store = store;
	pthread_mutex_init(&ss->mu, NULL);
	pthread_cond_init(&ss->work, NULL);
	pthread_cond_init(&ss->done, NULL);
	if (pthread_create(&ss->thread, NULL, appender, ss) != 0)
		abort();
	return ss;
}

void sharing_state_free(struct sharing_state *ss)
{
	if (ss == NULL)
		return;
	pthread_mutex_lock(&ss->mu);
	ss->stop = 1;
	pthread_cond_broadcast(&ss->work);
	pthread_mutex_unlock(&ss->mu);
	pthread_join(ss->thread, NULL);
	while (ss->head) {
		struct qentry *q = ss->head;

		ss->head = q->next;
		free(q);
	}
	for (int i = 0; i < STRIPES; i++)
		pthread_mutex_destroy(&ss->stripes[i].mu);
	pthread_mutex_destroy(&ss->mu);
	pthread_cond_destroy(&ss->work);
	pthread_cond_destroy(&ss->done);
	free(ss);
}

int sharing_log_enqueue(struct sharing_state *ss, const char *district,
			const struct sharing_entry *e)
{
	const char *at7[7]; /* where each string of src[] lands in q */
	struct qentry *q;

	pthread_mutex_lock(&ss->mu);
	if (ss->queued >= QUEUE_MAX || ss->stop) {
		pthread_mutex_unlock(&ss->mu);
		return -1;
	}
	pthread_mutex_unlock(&ss->mu);
	{
		const char *src[] = {e->token_name, e->department,   e->uscc,      e->kind,
				     e->purpose,    e->purpose_text, e->request_id};
		static const size_t cap[] = {300, 32, 24, 24, 32, SHARING_PURPOSE_TEXT_MAX * 4 + 1,
					     24};
		size_t len[7], total = 0;
		char *at;

		for (int i = 0; i < 7; i++) {
			len[i] = src[i] ? strnlen(src[i], cap[i] - 1) : 0;
			total += len[i] + 1;
		}
		if ((q = malloc(sizeof(*q) + total)) == NULL)
			abort();
		q->next = NULL;
		q->e = *e;
		cpy(q->district, sizeof(q->district), district);
		at = q->text;
		for (int i = 0; i < 7; i++) {
			if (len[i])
				memcpy(at, src[i], len[i]);
			at[len[i]] = '\0';
			at7[i] = at;
			at += len[i] + 1;
		}
		q->e.token_name = at7[0];
		q->e.department = at7[1];
		q->e.uscc = at7[2];
		q->e.kind = at7[3];
		q->e.purpose = at7[4];
		q->e.purpose_text = at7[5];
		q->e.request_id = at7[6];
	}
	pthread_mutex_lock(&ss->mu);
	if (ss->tail)
		ss->tail->next = q;
	else
		ss->head = q;
	ss->tail = q;
	ss->queued++;
	ss->enqueued++;
	pthread_cond_signal(&ss->work);
	pthread_mutex_unlock(&ss->mu);
	return 0;
}

int sharing_log_flush(struct sharing_state *ss)
{
	struct timespec until;
	uint64_t target;
	int rc = 0;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += FLUSH_WAIT_S;
	pthread_mutex_lock(&ss->mu);
	target = ss->enqueued;
	while (ss->written < target && rc == 0)
		if (pthread_cond_timedwait(&ss->done, &ss->mu, &until) == ETIMEDOUT)
			rc = -1;
	pthread_mutex_unlock(&ss->mu);
	return rc;
}

int sharing_rate_take(struct sharing_state *ss, int64_t token_id, int limit, int64_t now)
{
	uint64_t h = (uint64_t)token_id * 0x9E3779B97F4A7C15ull;
	struct stripe *st = &ss->stripes[(h >> 60) % STRIPES];
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
