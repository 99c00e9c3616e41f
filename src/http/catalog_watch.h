/*
 * catalog_watch.h — keeps a serving node in step with the others on the same
 * database, and does the store's light housekeeping. See catalog_watch.c.
 */
#ifndef YIYE_HTTP_CATALOG_WATCH_H
#define YIYE_HTTP_CATALOG_WATCH_H

struct app;
struct catalog_watch;

/* How often the active catalog version is compared with the database, and
 * how often expired login-failure counters are removed. */
#define CATALOG_WATCH_INTERVAL_MS 2000
#define CATALOG_WATCH_PRUNE_SEC 300
/* lic-life: how often a node asks whether the day's license expiry job ran. */
#define CATALOG_WATCH_EXPIRY_SEC 600

/* Starts the watch thread (after auth_state_init: pruning reads the login
 * throttle window). Returns NULL when the thread cannot start; the server
 * then runs on, reloading only on its own activations. */
struct catalog_watch *catalog_watch_start(struct app *app);
/* Stops and joins the thread (NULL is fine). */
void catalog_watch_stop(struct catalog_watch *w);

#endif
