/*
 * app.c — configuration and the lifetime of struct app.
 */
#include "app.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "http/verify_cache.h"
#include "io/keys.h"
#include "store/store_calendar.h"
#include "store/store_catalog.h"

#define BODY_LIMIT_DEFAULT (1u << 20)

/* The integer environment variable name in [min, max], else dflt (a value
 * out of range is reported and ignored). */
static int env_int(const char *name, int dflt, int min, int max)
{
	const char *v = getenv(name);
	char *end;
	long n;

	if (v == NULL || *v == '\0')
		return dflt;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || *end != '\0' || n < min || n > max) {
		fprintf(stderr, "yiye: ignoring %s=%s (expected %d..%d)\n", name, v, min, max);
		return dflt;
	}
	return (int)n;
}

static void env_str(const char *name, char *out, size_t outsz)
{
	const char *v = getenv(name);

	if (v != NULL)
		snprintf(out, outsz, "%s", v);
}

/* Authentication and storage settings; 0 in a store option means the
 * backend's default. */
static void config_env(struct app_config *cfg)
{
	struct auth_config *a = &cfg->auth;

	a->idle_sec = env_int("YIYE_SESSION_IDLE", 1800, 1, 86400 * 30);
	a->absolute_sec = env_int("YIYE_SESSION_ABSOLUTE", 43200, 1, 86400 * 90);
	/* last_seen is written at most every touch_sec, so reading pages does not
	 * mean one database write per request */
	a->touch_sec = a->idle_sec / 10 < 60 ? a->idle_sec / 10 : 60;
	a->max_failures = env_int("YIYE_LOGIN_MAX_FAILURES", 5, 1, 1000);
	a->max_failures_addr = env_int("YIYE_LOGIN_MAX_FAILURES_ADDR", 20, 1, 100000);
	a->window_sec = env_int("YIYE_LOGIN_WINDOW", 900, 1, 86400);
	a->lock_sec = env_int("YIYE_LOGIN_LOCK", 900, 1, 86400);
	a->pwhash_fast = env_int("YIYE_PWHASH_FAST", 0, 0, 1);
	a->pwhash_concurrency = env_int("YIYE_PWHASH_CONCURRENCY", 2, 1, 64);
	a->cookie_secure = env_int("YIYE_COOKIE_SECURE", 0, 0, 1);
	env_str("YIYE_TRUSTED_PROXIES", a->trusted_proxies, sizeof(a->trusted_proxies));
	env_str("YIYE_IDENTITY_HEADER", a->identity_header, sizeof(a->identity_header));
	/* Load shedding. The per-address limit is far below max_connections,
	 * so one address cannot take the table, and above what a browser (6 per
	 * host) or an office behind one NAT needs. Behind a reverse proxy every
	 * client has the proxy's address: raise it or set 0 (no limit) and let
	 * the proxy limit per client. */
	cfg->per_ip_connections = env_int("YIYE_PER_IP_CONNECTIONS", 256, 0, 1000000);
	cfg->header_timeout = env_int("YIYE_HEADER_TIMEOUT", 20, 1, 3600);
	cfg->queue_limit = env_int("YIYE_QUEUE_LIMIT", 1024, 1, 1000000);
	cfg->hash_queue = env_int("YIYE_HASH_QUEUE", 64, 0, 100000);
	cfg->upload_workers = env_int("YIYE_UPLOAD_WORKERS", 2, 1, 64);
	cfg->upload_queue = env_int("YIYE_UPLOAD_QUEUE", 32, 0, 100000);
	/* lic-core: license issuance renders a PDF (tens of milliseconds each) */
	cfg->render_workers = env_int("YIYE_RENDER_WORKERS", 2, 1, 64);
	cfg->render_queue = env_int("YIYE_RENDER_QUEUE", 16, 0, 100000);
	/* sup-complaints */
	cfg->complaint_rate = env_int("YIYE_COMPLAINT_RATE", 10, 1, 100000);
	env_str("YIYE_PUBLIC_URL", cfg->public_url, sizeof(cfg->public_url));
	app_config_public_url(cfg, cfg->public_url);
	cfg->store.busy_timeout_ms = env_int("YIYE_BUSY_TIMEOUT_MS", 0, 0, 3600000);
	cfg->store.pg_connect_timeout_s = env_int("YIYE_PG_CONNECT_TIMEOUT", 0, 0, 3600);
	cfg->store.pg_statement_timeout_ms =
	    env_int("YIYE_PG_STATEMENT_TIMEOUT_MS", 0, 0, 86400000);
}

void app_config_defaults(struct app_config *cfg)
{
	const char *v;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

	memset(cfg, 0, sizeof(*cfg));
	snprintf(cfg->data_dir, sizeof(cfg->data_dir), "./data");
	snprintf(cfg->listen_host, sizeof(cfg->listen_host), "127.0.0.1");
	cfg->listen_port = 8080;
	snprintf(cfg->web_dir, sizeof(cfg->web_dir), "%s/web/dist", YIYE_SOURCE_DIR);
	snprintf(cfg->catalog_dir, sizeof(cfg->catalog_dir), "%s/catalog", YIYE_SOURCE_DIR);
	cfg->body_limit = BODY_LIMIT_DEFAULT;
	cfg->io_threads = ncpu > 0 ? (int)ncpu : 2;
	cfg->workers = 4;
	cfg->max_connections = 4096;
	snprintf(cfg->district, sizeof(cfg->district), "%s", STORE_DEFAULT_DISTRICT);
	if ((v = getenv("YIYE_DATA")) && *v)
		snprintf(cfg->data_dir, sizeof(cfg->data_dir), "%s", v);
	if ((v = getenv("YIYE_DB")) && *v)
		snprintf(cfg->db_url, sizeof(cfg->db_url), "%s", v);
	if ((v = getenv("YIYE_WEB")) && *v)
		snprintf(cfg->web_dir, sizeof(cfg->web_dir), "%s", v);
	if ((v = getenv("YIYE_CATALOG")) && *v)
		snprintf(cfg->catalog_dir, sizeof(cfg->catalog_dir), "%s", v);
	if ((v = getenv("YIYE_BODY_LIMIT")) && *v && atol(v) > 0)
		cfg->body_limit = (size_t)atol(v);
	if ((v = getenv("YIYE_LISTEN")) && *v)
		app_config_listen(cfg, v, NULL);
	/* Tests of time limits (a 补正 pause spanning days) run the server on
	 * a fixed day; never set in production. */
	if ((v = getenv("YIYE_TODAY")) && *v)
		snprintf(cfg->today, sizeof(cfg->today), "%s", v);
	config_env(cfg);
}

void app_config_public_url(struct app_config *cfg, const char *url)
{
	size_t n;

	if (url != cfg->public_url)
		snprintf(cfg->public_url, sizeof(cfg->public_url), "%s", url ? url : "");
	/* one form: no trailing slash, so "<public_url>/v/…" never doubles it */
	n = strlen(cfg->public_url);
	while (n > 0 && cfg->public_url[n - 1] == '/')
		cfg->public_url[--n] = '\0';
}

int app_config_listen(struct app_config *cfg, const char *hostport, struct yerr *err)
{
	const char *colon = strrchr(hostport, ':');
	char *end;
	long port;

	if (colon == NULL || colon == hostport ||
	    (size_t)(colon - hostport) >= sizeof(cfg->listen_host))
		return yerr_set(err, 400, "listen", "listen",
				"监听地址应为 HOST:PORT，例如 127.0.0.1:8080");
	port = strtol(colon + 1, &end, 10);
	if (*end != '\0' || colon[1] == '\0' || port < 0 || port > 65535)
		return yerr_set(err, 400, "listen", "listen", "端口应为 0 至 65535 的整数");
	snprintf(cfg->listen_host, sizeof(cfg->listen_host), "%.*s", (int)(colon - hostport),
		 hostport);
	cfg->listen_port = (int)port;
	return 0;
}

int app_config_finish(struct app_config *cfg, struct yerr *err)
{
	if (mkdir(cfg->data_dir, 0700) < 0 && errno != EEXIST)
		return yerr_set(err, 500, "data_dir", "data", "无法创建数据目录 %s：%s",
				cfg->data_dir, strerror(errno));
	if (cfg->db_url[0] == '\0' && snprintf(cfg->db_url, sizeof(cfg->db_url), "%s/yiye.db",
					       cfg->data_dir) >= (int)sizeof(cfg->db_url))
		return yerr_set(err, 400, "data_dir", "data", "数据目录路径过长");
	return 0;
}

int app_open(struct app *app, struct yerr *err)
{
	int rc;

	pthread_rwlock_init(&app->cal_lock, NULL);
	pthread_rwlock_init(&app->catalog_lock, NULL);
	pthread_mutex_init(&app->catalog_reload_mu, NULL);
	app->cal = calloc(1, sizeof(*app->cal));
	if (app->cal == NULL)
		abort();
	calendar_init(app->cal);
	rc = store_open(&app->store, app->cfg.db_url, app->cfg.io_threads + app->cfg.workers + 2,
			&app->cfg.store, err);
	if (rc < 0)
		return rc;
	if ((rc = store_migrate(app->store, err)) < 0)
		return rc;
	/* lic-keys: the signing key (created with the data directory's first
	 * use; refuses to start on key files others may read) */
	if ((rc = keyring_open(app->cfg.data_dir, &app->keys, err)) < 0)
		return rc;
	/* lic-public: the verify answers' cache */
	if ((app->verify_cache = verify_cache_new()) == NULL)
		return yerr_set(err, 500, "out_of_memory", NULL, "内存不足");
	if ((rc = app_calendar_reload(app, err)) < 0)
		return rc;
	return app_catalog_reload(app, err);
}

void app_close(struct app *app)
{
	store_close(app->store);
	app->store = NULL;
	keyring_close(app->keys);
	app->keys = NULL;
	verify_cache_free(app->verify_cache);
	app->verify_cache = NULL;
	if (app->cal) {
		calendar_free(app->cal);
		free(app->cal);
		app->cal = NULL;
	}
	pthread_rwlock_destroy(&app->cal_lock);
	catalog_free(app->catalog);
	app->catalog = NULL;
	app->catalog_version = 0;
	pthread_rwlock_destroy(&app->catalog_lock);
	pthread_mutex_destroy(&app->catalog_reload_mu);
}

/* Builds a fresh calendar from the store and swaps it in under the write
 * lock, so readers see either the old or the new calendar, never a mix. */
int64_t app_now(const struct app *app)
{
	return app->sim_now ? app->sim_now : (int64_t)time(NULL);
}

int app_calendar_reload(struct app *app, struct yerr *err)
{
	struct calendar *fresh = calloc(1, sizeof(*fresh)), *old;
	struct store_conn *c;
	int rc;

	if (fresh == NULL)
		abort();
	calendar_init(fresh);
	rc = store_acquire(app->store, &c, err);
	if (rc == 0) {
		rc = store_calendar_load(c, app->cfg.district, fresh, err);
		store_release(c);
	}
	if (rc < 0) {
		calendar_free(fresh);
		free(fresh);
		return -1;
	}
	pthread_rwlock_wrlock(&app->cal_lock);
	old = app->cal;
	app->cal = fresh;
	pthread_rwlock_unlock(&app->cal_lock);
	calendar_free(old);
	free(old);
	return 0;
}

/* Reads and parses the active version outside the lock (parsing takes a few
 * milliseconds), then swaps it in under the write lock; the old catalog is
 * freed once no reader holds it. Serialised by catalog_reload_mu so that two
 * activations finishing in either order leave the later one in memory. */
int app_catalog_reload(struct app *app, struct yerr *err)
{
	struct catalog *fresh = NULL, *old;
	struct store_conn *c;
	struct yerr perr = {0};
	char *doc = NULL;
	long version = 0;
	int rc;

	pthread_mutex_lock(&app->catalog_reload_mu);
	rc = store_acquire(app->store, &c, err);
	if (rc == 0) {
		rc = store_catalog_document(c, app->cfg.district, 0, &doc, &version, err);
		store_release(c);
	}
	if (rc < 0 && err && strcmp(err->code, "no_active_catalog") == 0) {
		rc = 0;
		version = 0;
	} else if (rc == 0 && catalog_parse_document(doc, strlen(doc), &fresh, &perr) < 0) {
		rc = yerr_set(err, 500, "catalog_corrupt", "", "目录版本 %ld 无法载入：%s", version,
			      perr.message);
	}
	free(doc);
	if (rc == 0) {
		pthread_rwlock_wrlock(&app->catalog_lock);
		old = app->catalog;
		app->catalog = fresh;
		app->catalog_version = version;
		pthread_rwlock_unlock(&app->catalog_lock);
		catalog_free(old);
	}
	pthread_mutex_unlock(&app->catalog_reload_mu);
	return rc;
}
