/*
 * catalog_watch.c — a catalog version activated on one node reaches every
 * other node on the same database without a restart.
 *
 * Activation through the API reloads the catalog of the node that served it
 * (app_catalog_reload). The other nodes learn of it here: a small thread
 * reads the number of the district's active version every
 * CATALOG_WATCH_INTERVAL_MS (one indexed row, no lock) and, when it differs
 * from the version in memory, reloads through the same app_catalog_reload,
 * which parses outside the lock and swaps under it, so requests in flight
 * keep the version they started with. A failed read or reload (database
 * away, a corrupt document) is logged and tried again at the next tick; the
 * catalog in memory stays as it was.
 *
 * The working-day calendar is watched the same way (a fingerprint of the
 * district's imported years), so a year imported through one node moves the
 * deadlines every node computes.
 *
 * The same thread removes login-failure counters whose window and lock are
 * over, and sessions past their limits, every CATALOG_WATCH_PRUNE_SEC, so the
 * tables do not grow with every address that ever mistyped a password or
 * every session never logged out of, without a DELETE on each request (a
 * login used to scan and lock every expired session). Several nodes pruning
 * at once delete disjoint or already-deleted rows: harmless.
 */
#include "http/catalog_watch.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "core/date.h"
#include "http/credit.h"
#include "http/auth.h"
#include "store/store_account.h"
#include "store/store_calendar.h"
#include "store/store_catalog.h"

struct catalog_watch {
	struct app *app;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv; /* signalled by catalog_watch_stop */
	int stopping;
	time_t next_prune;
	int64_t calendar_stamp; /* -1: not read yet */
	time_t next_credit;     /* sup-credit: the daily credit job (credit_jobs.c) */
};

static long memory_version(struct app *app)
{
	long v;

	pthread_rwlock_rdlock(&app->catalog_lock);
	v = app->catalog_version;
	pthread_rwlock_unlock(&app->catalog_lock);
	return v;
}

static void watch_catalog(struct catalog_watch *w)
{
	struct store_conn *c;
	struct yerr e = {0};
	long active = 0;
	int rc;

	if ((rc = store_acquire(w->app->store, &c, &e)) == 0) {
		rc = store_catalog_active_version(c, STORE_DEFAULT_DISTRICT, &active, &e);
		store_release(c);
	}
	if (rc < 0) {
		fprintf(stderr, "yiye: catalog watch: %s\n", e.message);
		return;
	}
	if (active == memory_version(w->app))
		return;
	if (app_catalog_reload(w->app, &e) < 0)
		fprintf(stderr, "yiye: catalog watch: version %ld not loaded: %s\n", active,
			e.message);
	else
		fprintf(stderr, "yiye: catalog version %ld activated elsewhere: now serving it\n",
			active);
}

/* The working-day calendar the same way: a year imported through another
 * node (or `yiye calendar import`) is loaded here too, so every node
 * computes the same deadlines. The first tick after start reloads once (the
 * calendar loaded at start may predate the first stamp read). */
static void watch_calendar(struct catalog_watch *w)
{
	struct store_conn *c;
	struct yerr e = {0};
	int64_t stamp = 0;
	int rc;

	if ((rc = store_acquire(w->app->store, &c, &e)) == 0) {
		rc = store_calendar_stamp(c, STORE_DEFAULT_DISTRICT, &stamp, &e);
		store_release(c);
	}
	if (rc < 0) {
		fprintf(stderr, "yiye: calendar watch: %s\n", e.message);
		return;
	}
	if (stamp == w->calendar_stamp)
		return;
	if (app_calendar_reload(w->app, &e) < 0) {
		fprintf(stderr, "yiye: calendar watch: not reloaded: %s\n", e.message);
		return;
	}
	w->calendar_stamp = stamp;
}

static void prune(struct catalog_watch *w)
{
	const struct auth_config *cfg = auth_config(w->app);
	struct store_conn *c;
	struct yerr e = {0};
	int64_t removed = 0;

	if (store_acquire(w->app->store, &c, &e) < 0)
		return;
	if (store_login_prune(c, (int64_t)time(NULL), cfg->window_sec, &removed, &e) < 0)
		fprintf(stderr, "yiye: login counter pruning: %s\n", e.message);
	if (store_sessions_prune(c, (int64_t)time(NULL), cfg->idle_sec, &removed, &e) < 0)
		fprintf(stderr, "yiye: session pruning: %s\n", e.message);
	store_release(c);
}

/* sup-credit: the daily credit job (abnormal listing from 1 July, regrading
 * as records expire); every node asks, the first to claim the day does it. */
static void credit_tick(struct catalog_watch *w)
{
	const char *t = w->app->cfg.today;
	struct credit_job_result res;
	struct yerr e = {0};
	int today;

	if (!(t[0] && date_parse(t, strlen(t), &today) == 0))
		today = date_today_shanghai(time(NULL));
	if (credit_job_run(w->app->store, w->app->cfg.district, today, false, &res, &e) < 0)
		fprintf(stderr, "yiye: daily credit job: %s\n", e.message);
	else if (res.ran && (res.listed || res.regraded))
		fprintf(stderr, "yiye: daily credit job: %d listed as abnormal, %d regraded\n",
			res.listed, res.regraded);
}

static void *watch_main(void *arg)
{
	struct catalog_watch *w = arg;
	struct timespec until;

	pthread_mutex_lock(&w->mu);
	while (!w->stopping) {
		pthread_mutex_unlock(&w->mu);
		watch_catalog(w);
		watch_calendar(w);
		if (time(NULL) >= w->next_prune) {
			prune(w);
			w->next_prune = time(NULL) + CATALOG_WATCH_PRUNE_SEC;
		}
		if (time(NULL) >= w->next_credit) {
			credit_tick(w);
			w->next_credit = time(NULL) + CATALOG_WATCH_PRUNE_SEC;
		}
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += CATALOG_WATCH_INTERVAL_MS / 1000;
		until.tv_nsec += (long)(CATALOG_WATCH_INTERVAL_MS % 1000) * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_mutex_lock(&w->mu);
		while (!w->stopping && pthread_cond_timedwait(&w->cv, &w->mu, &until) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

struct catalog_watch *catalog_watch_start(struct app *app)
{
	struct catalog_watch *w = calloc(1, sizeof(*w));
	pthread_condattr_t ca;

	if (w == NULL)
		abort();
	w->app = app;
	w->next_prune = time(NULL); /* once at start, then on the schedule */
	w->calendar_stamp = -1;
	w->next_credit = time(NULL);
	pthread_mutex_init(&w->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&w->cv, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&w->thread, NULL, watch_main, w) != 0) {
		fprintf(stderr, "yiye: catalog watch thread not started: other nodes' "
				"activations need a restart to show here\n");
		pthread_cond_destroy(&w->cv);
		pthread_mutex_destroy(&w->mu);
		free(w);
		return NULL;
	}
	return w;
}

void catalog_watch_stop(struct catalog_watch *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->mu);
	w->stopping = 1;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->mu);
	free(w);
}
