/*
 * app.h — the one explicit home of process-wide state (configuration, the
 * store, the in-memory calendar, metrics, the worker pool). It is created by a
 * subcommand and passed down; nothing else is global and mutable.
 */
#ifndef YIYE_APP_H
#define YIYE_APP_H

#include <pthread.h>
#include <stddef.h>

#include "core/calendar.h"
#include "core/catalog.h"
#include "core/error.h"
#include "store/store.h"

struct metrics;
struct workpool;
struct webfiles;
struct auth_state;
struct conntrack;
struct keyring;

/* Authentication settings (http/auth.c). */
struct auth_config {
	int idle_sec, absolute_sec; /* YIYE_SESSION_IDLE, YIYE_SESSION_ABSOLUTE */
	int touch_sec;              /* last_seen written at most this often (derived) */
	int max_failures;           /* YIYE_LOGIN_MAX_FAILURES, per account */
	int max_failures_addr;      /* YIYE_LOGIN_MAX_FAILURES_ADDR, per client address */
	int window_sec, lock_sec;   /* YIYE_LOGIN_WINDOW, YIYE_LOGIN_LOCK */
	int pwhash_fast;            /* YIYE_PWHASH_FAST: minimum argon2id cost (tests) */
	int pwhash_concurrency;     /* YIYE_PWHASH_CONCURRENCY: hashes at once */
	int cookie_secure;          /* YIYE_COOKIE_SECURE */
	char trusted_proxies[1024]; /* YIYE_TRUSTED_PROXIES: comma list, "" = gateway mode off */
	char identity_header[64];   /* YIYE_IDENTITY_HEADER */
};

/* Every setting of a process. Environment variables are read here, once, by
 * app_config_defaults — nowhere else. */
struct app_config {
	char data_dir[1024];    /* --data / YIYE_DATA */
	char db_url[1024];      /* --db / YIYE_DB; default DATA/yiye.db */
	char listen_host[256];  /* --listen / YIYE_LISTEN host part */
	int listen_port;        /* 0 = ephemeral */
	char web_dir[1024];     /* --web / YIYE_WEB: built UI to serve */
	char port_file[1024];   /* --port-file: where to write the bound port */
	char catalog_dir[1024]; /* --catalog / YIYE_CATALOG: the shipped catalog and calendar
				   data `yiye init` imports; default the source tree's */
	size_t body_limit;      /* --body-limit / YIYE_BODY_LIMIT, bytes */
	int io_threads;         /* libmicrohttpd thread pool */
	int workers;            /* threads for slow work (hashing, writes) */
	int max_connections;
	struct auth_config auth;
	struct store_options store; /* YIYE_BUSY_TIMEOUT_MS, YIYE_PG_CONNECT_TIMEOUT,
				       YIYE_PG_STATEMENT_TIMEOUT_MS */
	/* The district this node serves (行政区划代码); every row it reads or
	 * writes carries it. Handlers pass it to the store (req_district). */
	char district[16];
	/* Load shedding (docs/development.md, "Threads"; docs/deployment.md). */
	int per_ip_connections; /* --per-ip-connections / YIYE_PER_IP_CONNECTIONS; 0 = no limit */
	int header_timeout;     /* --header-timeout / YIYE_HEADER_TIMEOUT: seconds for a request's
				   headers, from accept or the previous answer */
	int queue_limit;    /* --queue-limit / YIYE_QUEUE_LIMIT: requests waiting for a worker */
	int hash_queue;     /* --hash-queue / YIYE_HASH_QUEUE: password-hashing requests
			       waiting; more answer 503 busy */
	int upload_workers; /* YIYE_UPLOAD_WORKERS: material uploads committed at once */
	int upload_queue;   /* --upload-queue / YIYE_UPLOAD_QUEUE: uploads waiting for one */
	/* YIYE_TODAY: "YYYY-MM-DD" the server takes as today for time limits
	 * (tests only); "" means the real day in Asia/Shanghai. */
	char today[16];
	/* lic-core: the address the license's QR code points at
	 * (<public_url>/v/<number>#<payload>): --public-url / YIYE_PUBLIC_URL, no
	 * trailing slash; "" = http://<listen host>:<bound port>. PDF renders:
	 * YIYE_RENDER_WORKERS at once, --render-queue / YIYE_RENDER_QUEUE waiting
	 * (class WORK_RENDER; past it 503 busy). */
	char public_url[512];
	int render_workers;
	int render_queue;
	/* sup-complaints: complaints one client address may file through the
	 * public form per hour (YIYE_COMPLAINT_RATE; past it 429 + Retry-After) */
	int complaint_rate;
};

struct app {
	struct app_config cfg;
	struct store *store;
	/* The calendar is read on every deadline computation and replaced as a
	 * whole when an administrator imports a year: readers take the lock
	 * shared. */
	pthread_rwlock_t cal_lock;
	struct calendar *cal;
	/* The active catalog version, parsed, served by the guide. Readers take
	 * catalog_lock shared for as long as they use it (a request in flight
	 * keeps the version it started with); activating another version builds
	 * the new one outside the lock and swaps both fields under the write
	 * lock. catalog is NULL when the district has no active version.
	 * catalog_reload_mu serialises reloads so the last one wins. */
	pthread_rwlock_t catalog_lock;
	struct catalog *catalog;
	long catalog_version;
	pthread_mutex_t catalog_reload_mu;
	struct metrics *metrics;
	struct workpool *pool;
	struct webfiles *web;        /* the built UI, in memory */
	struct auth_state *auth;     /* sessions, hashing semaphore, gateway (http/auth.c) */
	struct conntrack *conntrack; /* the header deadline (http/conntrack.c) */
	/* lic-keys: the license signing keyring (io/keys.h), DATA/keys; follows
	 * `yiye keys rotate` by itself */
	struct keyring *keys;
	/* lic-public: answers of the public verify route, kept for a second
	 * (http/verify_cache.h) */
	struct verify_cache *verify_cache;
	/* stats-history: the simulated clock of `yiye demo history` (Unix
	 * seconds); 0 = real time. Read through app_now, set only by the
	 * generator before and between the in-process calls it makes. */
	int64_t sim_now;
};

/* Fills cfg with defaults, then environment variables (flags are applied by
 * the caller afterwards, so flags win). */
void app_config_defaults(struct app_config *cfg);
/* Sets cfg->public_url from url (--public-url), trailing slashes removed. */
void app_config_public_url(struct app_config *cfg, const char *url);
/* Parses "HOST:PORT" into cfg; returns -1 with a message on bad input. */
int app_config_listen(struct app_config *cfg, const char *hostport, struct yerr *err);
/* Derives db_url from data_dir if unset and makes sure data_dir exists. */
int app_config_finish(struct app_config *cfg, struct yerr *err);

/* Opens the store, applies migrations and loads the calendar. */
int app_open(struct app *app, struct yerr *err);
void app_close(struct app *app);

/* stats-history: the one clock of request and workflow code — the real time,
 * unless the history generator set app->sim_now. */
int64_t app_now(const struct app *app);

/* Reloads the in-memory calendar from the store (after an import). */
int app_calendar_reload(struct app *app, struct yerr *err);
/* Reloads the active catalog version from the store (after an activation).
 * No active version is not an error: the catalog becomes NULL. A stored
 * document that fails its checksum or does not parse fails (500) and leaves
 * the catalog in memory as it was. */
int app_catalog_reload(struct app *app, struct yerr *err);

#endif
