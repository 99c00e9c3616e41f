/*
 * event_delivery.c — delivers the event outbox (store_events.h) to the
 * subscribers' URLs, at least once.
 *
 * Events are written in the transaction of the change they report, with one
 * pending delivery per matching subscription; this thread only moves those
 * rows along, so a crash (even kill -9) loses nothing: what was pending is
 * found again at the next start, by this node or any other on the same
 * database. Each round it reads the due deliveries (one read, no
 * transaction), then for each one:
 *   1. claims it in one UPDATE that moves next_at_ms past the attempt's
 *      timeout (a lease) and counts the attempt — another node that read
 *      the same row finds it moved and leaves it;
 *   2. POSTs the event with no connection to the database held, bounded by
 *      YIYE_EVENT_TIMEOUT_MS (connect included), never following a
 *      redirect, reading at most EVENT_ANSWER_KEEP bytes of the answer;
 *   3. records the outcome in one UPDATE: delivered on a 2xx; otherwise due
 *      again after YIYE_EVENT_BACKOFF_MS doubled per attempt (capped at
 *      YIYE_EVENT_BACKOFF_MAX_MS), or dead after YIYE_EVENT_MAX_ATTEMPTS.
 * A node that dies between 1 and 3 leaves the lease to run out: the event is
 * sent again, which is why receivers de-duplicate by X-Yiye-Event-Id.
 *
 * The body is the event as JSON (compact, sorted keys); X-Yiye-Signature is
 * "sha256=" and the hex HMAC-SHA-256 of exactly those bytes under the
 * subscription's secret (docs/api-sharing.md, "Events").
 */
#include "http/event_delivery.h"

#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "store/store_events.h"

struct event_delivery {
	struct app *app;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv; /* signalled by event_delivery_stop */
	int stopping;
	CURL *curl; /* one handle: connections to a receiver are kept alive */
};

/* What an attempt keeps of the answer. */
struct answer {
	char head[EVENT_ANSWER_KEEP + 1];
	size_t len;
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void event_signature(const char *secret, const char *body, size_t len, char *out, size_t outsz)
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	char hex[2 * sizeof(mac) + 1];

	/* The _init form takes a key of any length (HMAC hashes a long one),
	 * so a secret is used exactly as the subscriber configured it. */
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, len);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(hex, sizeof(hex), mac, sizeof(mac));
	snprintf(out, outsz, "sha256=%s", hex);
}

/* Keeps the first bytes of the answer (printable ASCII only, so the error
 * stored is valid text whatever the receiver sent) and discards the rest. */
static size_t answer_write(char *ptr, size_t size, size_t nmemb, void *ud)
{
	struct answer *a = ud;
	size_t n = size * nmemb;

	for (size_t i = 0; i < n && a->len < EVENT_ANSWER_KEEP; i++)
		a->head[a->len++] = (ptr[i] >= 0x20 && ptr[i] < 0x7f) ? ptr[i] : ' ';
	a->head[a->len] = '\0';
	return n;
}

/* One attempt: POSTs d's body to its URL. Returns the HTTP status (0 when
 * none came) and fills error ("" on a 2xx). */
static int post_one(struct event_delivery *dl, const struct store_due *d, char *error,
		    size_t errorsz)
{
	const struct app_config *cfg = &dl->app->cfg;
	char sig[96], h_sig[128], h_id[96], h_kind[96], h_try[64], curl_err[CURL_ERROR_SIZE] = "";
	struct curl_slist *hdrs = NULL;
	struct answer ans = {.len = 0};
	size_t len = strlen(d->body);
	long status = 0;
	CURLcode rc;

	event_signature(d->secret, d->body, len, sig, sizeof(sig));
	snprintf(h_sig, sizeof(h_sig), "X-Yiye-Signature: %s", sig);
	snprintf(h_id, sizeof(h_id), "X-Yiye-Event-Id: %s", d->event_id);
	snprintf(h_kind, sizeof(h_kind), "X-Yiye-Event-Kind: %s", d->kind);
	snprintf(h_try, sizeof(h_try), "X-Yiye-Attempt: %d", d->attempts + 1);
	hdrs = curl_slist_append(hdrs, "Content-Type: application/json");
	hdrs = curl_slist_append(hdrs, h_id);
	hdrs = curl_slist_append(hdrs, h_kind);
	hdrs = curl_slist_append(hdrs, h_sig);
	hdrs = curl_slist_append(hdrs, h_try);
	hdrs = curl_slist_append(hdrs, "Expect:"); /* no 100-continue round trip */
	curl_easy_reset(dl->curl);
	curl_easy_setopt(dl->curl, CURLOPT_URL, d->url);
	curl_easy_setopt(dl->curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(dl->curl, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(dl->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(dl->curl, CURLOPT_TIMEOUT_MS, (long)cfg->events.timeout_ms);
	curl_easy_setopt(dl->curl, CURLOPT_CONNECTTIMEOUT_MS, (long)cfg->events.timeout_ms);
	curl_easy_setopt(dl->curl, CURLOPT_USERAGENT, "yiye-events/1");
	curl_easy_setopt(dl->curl, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(dl->curl, CURLOPT_POSTFIELDS, d->body);
	curl_easy_setopt(dl->curl, CURLOPT_POSTFIELDSIZE, (long)len);
	curl_easy_setopt(dl->curl, CURLOPT_WRITEFUNCTION, answer_write);
	curl_easy_setopt(dl->curl, CURLOPT_WRITEDATA, &ans);
	curl_easy_setopt(dl->curl, CURLOPT_ERRORBUFFER, curl_err);
	rc = curl_easy_perform(dl->curl);
	if (rc == CURLE_OK)
		curl_easy_getinfo(dl->curl, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(hdrs);
	if (rc != CURLE_OK)
		snprintf(error, errorsz, "%s", curl_err[0] ? curl_err : curl_easy_strerror(rc));
	else if (status < 200 || status > 299)
		snprintf(error, errorsz, "HTTP %ld%s%s", status, ans.len ? ": " : "", ans.head);
	else
		error[0] = '\0';
	return rc == CURLE_OK ? (int)status : 0;
}

/* The wait before the attempt after `attempts` failed ones. */
static int64_t backoff_ms(const struct app_config *cfg, int attempts)
{
	int64_t wait = cfg->events.backoff_ms;

	for (int i = 1; i < attempts && wait < cfg->events.backoff_max_ms; i++)
		wait *= 2;
	return wait < cfg->events.backoff_max_ms ? wait : cfg->events.backoff_max_ms;
}

/* Claims, sends and records one due delivery. A database error is logged;
 * the row is then simply due again when its lease runs out. */
static void deliver(struct event_delivery *dl, const struct store_due *d)
{
	const struct app_config *cfg = &dl->app->cfg;
	struct store_conn *c = NULL;
	struct yerr e = {0};
	char error[EVENT_ANSWER_KEEP + 64];
	const char *status;
	int64_t t0 = now_ms(), next;
	bool claimed = false;
	int http, attempts = d->attempts + 1;

	if (store_acquire(dl->app->store, &c, &e) < 0 ||
	    store_delivery_claim(c, cfg->district, d, t0 + cfg->events.timeout_ms + 5000, t0,
				 &claimed, &e) < 0) {
		if (c)
			store_release(c);
		fprintf(stderr, "yiye: event delivery %lld not claimed: %s\n", (long long)d->id,
			e.message);
		return;
	}
	store_release(c); /* never held across the network */
	if (!claimed)
		return;
	http = post_one(dl, d, error, sizeof(error));
	if (http >= 200 && http <= 299) {
		status = "delivered";
		next = now_ms();
	} else if (attempts >= cfg->events.max_attempts) {
		status = "dead";
		next = now_ms();
	} else {
		status = "pending";
		next = now_ms() + backoff_ms(cfg, attempts);
	}
	if (store_acquire(dl->app->store, &c, &e) < 0 ||
	    store_delivery_record(c, cfg->district, d->id, status, http, error, next, now_ms(),
				  &e) < 0)
		fprintf(stderr, "yiye: event delivery %lld: outcome not recorded: %s\n",
			(long long)d->id, e.message);
	if (c)
		store_release(c);
}

/* One round: the due deliveries, each in turn. Returns how many were read
 * (a full batch: go again at once). */
static size_t round_once(struct event_delivery *dl)
{
	struct store_due *due = NULL;
	struct store_conn *c;
	struct yerr e = {0};
	size_t n = 0;
	int rc;

	if (store_acquire(dl->app->store, &c, &e) < 0)
		return 0;
	rc = store_deliveries_due(c, dl->app->cfg.district, now_ms(), EVENT_BATCH, &due, &n, &e);
	store_release(c);
	if (rc < 0) {
		fprintf(stderr, "yiye: event deliveries not read: %s\n", e.message);
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		int stop;

		pthread_mutex_lock(&dl->mu);
		stop = dl->stopping;
		pthread_mutex_unlock(&dl->mu);
		if (stop)
			break;
		deliver(dl, &due[i]);
	}
	store_due_free(due, n);
	return n;
}

static void *delivery_main(void *arg)
{
	struct event_delivery *dl = arg;
	int poll = dl->app->cfg.events.poll_ms;

	pthread_mutex_lock(&dl->mu);
	while (!dl->stopping) {
		struct timespec until;
		size_t n;

		pthread_mutex_unlock(&dl->mu);
		n = round_once(dl);
		pthread_mutex_lock(&dl->mu);
		if (n == EVENT_BATCH)
			continue;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += poll / 1000;
		until.tv_nsec += (long)(poll % 1000) * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		while (!dl->stopping &&
		       pthread_cond_timedwait(&dl->cv, &dl->mu, &until) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&dl->mu);
	return NULL;
}

struct event_delivery *event_delivery_start(struct app *app)
{
	struct event_delivery *dl = calloc(1, sizeof(*dl));
	pthread_condattr_t ca;

	if (dl == NULL)
		abort();
	dl->app = app;
	if ((dl->curl = curl_easy_init()) == NULL) {
		fprintf(stderr, "yiye: event delivery not started (libcurl)\n");
		free(dl);
		return NULL;
	}
	pthread_mutex_init(&dl->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&dl->cv, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&dl->thread, NULL, delivery_main, dl) != 0) {
		fprintf(stderr, "yiye: event delivery thread not started: events wait in the "
				"outbox\n");
		curl_easy_cleanup(dl->curl);
		pthread_cond_destroy(&dl->cv);
		pthread_mutex_destroy(&dl->mu);
		free(dl);
		return NULL;
	}
	return dl;
}

void event_delivery_stop(struct event_delivery *dl)
{
	if (dl == NULL)
		return;
	pthread_mutex_lock(&dl->mu);
	dl->stopping = 1;
	pthread_cond_signal(&dl->cv);
	pthread_mutex_unlock(&dl->mu);
	pthread_join(dl->thread, NULL);
	curl_easy_cleanup(dl->curl);
	pthread_cond_destroy(&dl->cv);
	pthread_mutex_destroy(&dl->mu);
	free(dl);
}
