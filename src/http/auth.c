/*
 * auth.c — authentication and authorisation from the route table, in one
 * place (see auth.h). Order of a check:
 *   1. identify: `Authorization: Bearer` API token; else the identity-gateway
 *      header when the request comes from a trusted proxy address; else the
 *      session cookie (an invalid or expired cookie makes the caller
 *      anonymous, and non-public routes then answer 401 saying so);
 *   2. CSRF: a session request that is not GET/HEAD must echo the session's
 *      CSRF token in X-CSRF-Token (403 csrf), else it acts anonymously on
 *      public routes and is refused on the others;
 *   3. a session whose password must be changed may only reach the routes
 *      needed to change it;
 *   4. roles_authorize (src/core/roles.c): 401 / 403, default deny.
 * Refusals of audited routes append an audit entry.
 */
#include "http/auth.h"

#include <errno.h>
#include <inttypes.h>
#include <microhttpd.h>
#include <pthread.h>
#include <semaphore.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "core/password.h"
#include "http/args.h"
#include "store/store_account.h"
#include "store/store_audit.h"
#include "store/store_sharing.h"

/* API tokens identified in the last second, by secret hash (fix-shared): a
 * department's system sends the same token thousands of times a second, and
 * reading its row each time was a third of a shared read's cost
 * (docs/benchmarks.md). An entry is served for at most TOKEN_CACHE_TTL_MS
 * and only under the generation it was read in: every state-changing answer
 * of a tokens.manage route (create, revoke, sharing settings) bumps the
 * generation after it commits (auth_tokens_changed, from http_run_handler),
 * so on this node a revoked token is refused by the very next request; a
 * change made by another node or the CLI is seen within the TTL, the same
 * staleness as the verify cache. Revoked and expired rows are cached too
 * and refused on every use; unknown secrets are not cached (nothing to
 * keep). */
#define TOKEN_CACHE_SLOTS 256
#define TOKEN_CACHE_TTL_MS 1000

struct token_slot {
	char hash[AUTH_SECRET_HEX]; /* "" empty */
	struct store_token t;
	uint64_t gen;
	int64_t at_ms;
};

struct auth_state {
	struct auth_config cfg;
	sem_t hashing;
	pthread_mutex_t dummy_mu;
	char dummy_hash[PASSWORD_HASH_SIZE]; /* "" until first needed */
	pthread_mutex_t tok_mu;
	uint64_t tok_gen;
	struct token_slot tok[TOKEN_CACHE_SLOTS];
};

void auth_state_init(struct app *app)
{
	struct auth_state *a = calloc(1, sizeof(*a));

	if (a == NULL || sodium_init() < 0)
		abort();
	a->cfg = app->cfg.auth;
	if (a->cfg.trusted_proxies[0] && a->cfg.identity_header[0])
		fprintf(stderr, "yiye: identity gateway mode: header %s trusted from %s\n",
			a->cfg.identity_header, a->cfg.trusted_proxies);
	sem_init(&a->hashing, 0, (unsigned)a->cfg.pwhash_concurrency);
	pthread_mutex_init(&a->dummy_mu, NULL);
	pthread_mutex_init(&a->tok_mu, NULL);
	app->auth = a;
}

void auth_state_free(struct app *app)
{
	if (app->auth == NULL)
		return;
	sem_destroy(&app->auth->hashing);
	pthread_mutex_destroy(&app->auth->dummy_mu);
	pthread_mutex_destroy(&app->auth->tok_mu);
	sodium_memzero(app->auth, sizeof(*app->auth));
	free(app->auth);
	app->auth = NULL;
}

const struct auth_config *auth_config(const struct app *app)
{
	return &app->auth->cfg;
}

/* secrets and passwords ----------------------------------------------------- */

void auth_random_secret(char *out, size_t outsz)
{
	unsigned char raw[32];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, outsz, raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

void auth_secret_hash(const char *secret, char out[AUTH_SECRET_HEX])
{
	unsigned char h[32];

	crypto_generichash(h, sizeof(h), (const unsigned char *)secret, strlen(secret), NULL, 0);
	sodium_bin2hex(out, AUTH_SECRET_HEX, h, sizeof(h));
}

int auth_password_hash(struct app *app, const char *pw, char *out)
{
	int rc;

	while (sem_wait(&app->auth->hashing) < 0 && errno == EINTR)
		;
	rc = password_hash(pw, app->auth->cfg.pwhash_fast, out);
	sem_post(&app->auth->hashing);
	return rc;
}

int auth_password_verify(struct app *app, const char *hash, const char *pw)
{
	int ok;

	while (sem_wait(&app->auth->hashing) < 0 && errno == EINTR)
		;
	ok = password_verify(hash, pw);
	sem_post(&app->auth->hashing);
	return ok;
}

int auth_password_upgrade(struct app *app, const char *hash, const char *pw, char *out)
{
	out[0] = '\0';
	if (!password_needs_rehash(hash, app->auth->cfg.pwhash_fast))
		return 0;
	return auth_password_hash(app, pw, out) == 0 ? 1 : 0;
}

void auth_password_dummy(struct app *app, const char *pw)
{
	char h[PASSWORD_HASH_SIZE];

	pthread_mutex_lock(&app->auth->dummy_mu);
	if (app->auth->dummy_hash[0] == '\0' &&
	    auth_password_hash(app, "yiye-dummy-password-Aa1!", h) == 0)
		memcpy(app->auth->dummy_hash, h, sizeof(h));
	memcpy(h, app->auth->dummy_hash, sizeof(h));
	pthread_mutex_unlock(&app->auth->dummy_mu);
	if (h[0])
		(void)auth_password_verify(app, h, pw);
}

/* cookies and sessions ------------------------------------------------------ */

static void set_cookie(struct req *r, const char *name, const char *value, int http_only,
		       int max_age)
{
	char c[300];

	snprintf(c, sizeof(c), "%s=%s; Path=/; SameSite=Strict%s%s; Max-Age=%d", name, value,
		 http_only ? "; HttpOnly" : "", r->app->auth->cfg.cookie_secure ? "; Secure" : "",
		 max_age);
	reply_header(r, "Set-Cookie", c);
}

int auth_session_start(struct req *r, struct store_conn *c, int64_t user_id, struct yerr *err)
{
	const struct auth_config *cfg = &r->app->auth->cfg;
	char token[64], csrf[64], hash[AUTH_SECRET_HEX];
	int64_t now = (int64_t)time(NULL);
	int rc;

	auth_random_secret(token, sizeof(token));
	auth_random_secret(csrf, sizeof(csrf));
	auth_secret_hash(token, hash);
	rc = store_session_insert(c, hash, user_id, csrf, now, now + cfg->absolute_sec, r->client,
				  err);
	if (rc == 0) {
		set_cookie(r, AUTH_SESSION_COOKIE, token, 1, cfg->absolute_sec);
		set_cookie(r, AUTH_CSRF_COOKIE, csrf, 0, cfg->absolute_sec);
		snprintf(r->session_hash, sizeof(r->session_hash), "%s", hash);
	}
	sodium_memzero(token, sizeof(token));
	return rc;
}

void auth_session_clear_cookies(struct req *r)
{
	set_cookie(r, AUTH_SESSION_COOKIE, "", 1, 0);
	set_cookie(r, AUTH_CSRF_COOKIE, "", 0, 0);
}

/* identification -------------------------------------------------------------- */

enum ident_result {
	IDENT_NONE,    /* anonymous */
	IDENT_OK,      /* r->who filled */
	IDENT_INVALID, /* credentials presented but not valid: reply filled */
	IDENT_ERROR,   /* store failure: reply filled */
};

static int is_read(const struct req *r)
{
	return strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0;
}

/* 1 when addr is one of the comma-separated trusted proxy addresses. */
static int trusted_proxy(const struct auth_config *cfg, const char *addr)
{
	const char *p = cfg->trusted_proxies;
	size_t n = strlen(addr);

	while (*p) {
		size_t len;

		while (*p == ' ' || *p == ',')
			p++;
		len = strcspn(p, ", ");
		if (len == n && n > 0 && strncmp(p, addr, n) == 0)
			return 1;
		p += len;
	}
	return 0;
}

/* token cache (see struct token_slot) -------------------------------------- */

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct token_slot *token_slot_of(struct auth_state *a, const char *hash)
{
	/* the hash is already uniformly distributed: its first hex digits will do */
	return &a->tok[strtoul((char[]){hash[0], hash[1], hash[2], hash[3], '\0'}, NULL, 16) %
		       TOKEN_CACHE_SLOTS];
}

static int token_cache_get(struct auth_state *a, const char *hash, struct store_token *t)
{
	struct token_slot *s = token_slot_of(a, hash);
	int hit;

	pthread_mutex_lock(&a->tok_mu);
	hit = strcmp(s->hash, hash) == 0 &&
	      s->gen == __atomic_load_n(&a->tok_gen, __ATOMIC_ACQUIRE) &&
	      mono_ms() - s->at_ms < TOKEN_CACHE_TTL_MS;
	if (hit)
		*t = s->t;
	pthread_mutex_unlock(&a->tok_mu);
	return hit;
}

/* Keeps t, read after gen was taken: a row read before a concurrent change
 * committed is stored under the old generation and never served. */
static void token_cache_put(struct auth_state *a, const char *hash, uint64_t gen,
			    const struct store_token *t)
{
	struct token_slot *s = token_slot_of(a, hash);

	pthread_mutex_lock(&a->tok_mu);
	if (gen == __atomic_load_n(&a->tok_gen, __ATOMIC_ACQUIRE)) {
		snprintf(s->hash, sizeof(s->hash), "%s", hash);
		s->t = *t;
		s->gen = gen;
		s->at_ms = mono_ms();
	}
	pthread_mutex_unlock(&a->tok_mu);
}

/* 1 when the caller should write last_used_at = now: the cached row says it
 * is a minute old. The cached row is updated first, so the requests of the
 * same second do not all write it. */
static int token_cache_claim_touch(struct auth_state *a, const char *hash,
				   const struct store_token *t, int64_t now)
{
	struct token_slot *s = token_slot_of(a, hash);
	int claim = now - t->last_used_at >= 60;

	pthread_mutex_lock(&a->tok_mu);
	if (strcmp(s->hash, hash) == 0) {
		claim = now - s->t.last_used_at >= 60;
		if (claim)
			s->t.last_used_at = now;
	}
	pthread_mutex_unlock(&a->tok_mu);
	return claim;
}

void auth_tokens_changed(struct app *app)
{
	if (app->auth)
		__atomic_add_fetch(&app->auth->tok_gen, 1, __ATOMIC_ACQ_REL);
}

static int ident_token(struct req *r, const char *secret)
{
	struct auth_state *a = r->app->auth;
	char hash[AUTH_SECRET_HEX];
	struct store_token t;
	struct store_conn *c;
	struct yerr e = {0};
	int64_t now = (int64_t)time(NULL);
	int rc = 0;

	if (strlen(secret) > 128) {
		reply_error(r, 401, "token_invalid", NULL, "访问令牌无效");
		return IDENT_INVALID;
	}
	auth_secret_hash(secret, hash);
	if (!token_cache_get(a, hash, &t)) {
		uint64_t gen = __atomic_load_n(&a->tok_gen, __ATOMIC_ACQUIRE);

		if (store_acquire(r->app->store, &c, &e) < 0) {
			reply_yerr(r, &e);
			return IDENT_ERROR;
		}
		rc = store_token_lookup(c, req_district(r), hash, &t, &e);
		store_release(c);
		if (rc == 0)
			token_cache_put(a, hash, gen, &t);
	}
	if (rc == STORE_ENOTFOUND || (rc == 0 && (t.revoked_at || t.expires_at <= now))) {
		reply_error(r, 401, "token_invalid", NULL,
			    rc == 0 && t.revoked_at ? "访问令牌已被吊销"
			    : rc == 0               ? "访问令牌已过期"
						    : "访问令牌无效");
		return IDENT_INVALID;
	}
	if (rc < 0) {
		reply_yerr(r, &e);
		return IDENT_ERROR;
	}
	/* share-reads: last_used_at kept current, written at most once a minute */
	if (token_cache_claim_touch(a, hash, &t, now) &&
	    store_acquire(r->app->store, &c, &e) == 0) {
		(void)store_sharing_token_touch(c, req_district(r), t.id, now,
						&e); /* best effort */
		store_release(c);
	}
	memset(&r->who, 0, sizeof(r->who));
	r->who.kind = PRINCIPAL_TOKEN;
	r->who.id = t.id;
	snprintf(r->who.name, sizeof(r->who.name), "token:%" PRId64, t.id);
	r->who.scopes = t.scopes;
	/* the shared reads take the holder's department, purposes and rate from
	   here instead of reading the row again (h_shared.c) */
	if (r->token == NULL && (r->token = malloc(sizeof(*r->token))) == NULL)
		abort();
	*r->token = t;
	return IDENT_OK;
}

static int ident_gateway(struct req *r, struct store_conn *c, const char *username)
{
	struct store_user u;
	struct yerr e = {0};
	int rc = strlen(username) > USERNAME_MAX ? STORE_ENOTFOUND
						 : store_user_get_by_name(c, username, &u, &e);

	/* usernames are unique city-wide, but this node serves one district */
	if (rc == 0 && strcmp(u.district, req_district(r)) != 0)
		rc = STORE_ENOTFOUND;

	if (rc == STORE_ENOTFOUND || (rc == 0 && u.disabled)) {
		reply_error(r, 401, "gateway_user_unknown", NULL,
			    "统一身份认证传来的用户在本平台不存在或已停用");
		return IDENT_INVALID;
	}
	if (rc < 0) {
		reply_yerr(r, &e);
		return IDENT_ERROR;
	}
	store_user_principal(&u, PRINCIPAL_GATEWAY, &r->who);
	r->who.must_change_password = 0; /* the gateway owns the password */
	return IDENT_OK;
}

/* Looks the session cookie up; expired or unknown sessions make the caller
 * anonymous with *why saying so. Touches last_seen at most every
 * touch_sec. */
static int ident_session(struct req *r, struct store_conn *c, const char *cookie, const char **why)
{
	const struct auth_config *cfg = &r->app->auth->cfg;
	struct store_session s;
	char hash[AUTH_SECRET_HEX];
	struct yerr e = {0};
	int64_t now = (int64_t)time(NULL);
	int rc;

	if (strlen(cookie) > 128) {
		*why = "登录已失效，请重新登录";
		return IDENT_NONE;
	}
	auth_secret_hash(cookie, hash);
	rc = store_session_get(c, req_district(r), hash, &s, &e);
	if (rc == STORE_ENOTFOUND) {
		*why = "登录已失效，请重新登录";
		return IDENT_NONE;
	}
	if (rc < 0) {
		reply_yerr(r, &e);
		return IDENT_ERROR;
	}
	if (s.user.disabled || now >= s.expires_at || now - s.last_seen >= cfg->idle_sec) {
		*why = s.user.disabled       ? "账号已停用"
		       : now >= s.expires_at ? "登录已超过最长时限，请重新登录"
					     : "长时间未操作，登录已失效，请重新登录";
		(void)store_session_delete(c, hash, &e);
		return IDENT_NONE;
	}
	if (now - s.last_seen >= cfg->touch_sec)
		(void)store_session_touch(c, hash, now, &e); /* best effort */
	store_user_principal(&s.user, PRINCIPAL_SESSION, &r->who);
	snprintf(r->session_hash, sizeof(r->session_hash), "%s", hash);
	/* CSRF: state-changing requests echo the session's token. */
	if (!is_read(r)) {
		const char *h = req_header(r, AUTH_CSRF_HEADER);

		if (h == NULL || strlen(h) != strlen(s.csrf) ||
		    sodium_memcmp(h, s.csrf, strlen(s.csrf)) != 0) {
			*why = "csrf";
			memset(&r->who, 0, sizeof(r->who));
			r->session_hash[0] = '\0';
			return IDENT_NONE;
		}
	}
	return IDENT_OK;
}

static int identify(struct req *r, const char **why)
{
	const struct auth_config *cfg = &r->app->auth->cfg;
	const char *authz = req_header(r, "Authorization");
	const char *gw = cfg->identity_header[0] ? req_header(r, cfg->identity_header) : NULL;
	const char *cookie =
	    MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, AUTH_SESSION_COOKIE);
	struct store_conn *c;
	struct yerr e = {0};
	int rc = IDENT_NONE;

	*why = NULL;
	if (authz == NULL && (gw == NULL || !cfg->trusted_proxies[0]) &&
	    (cookie == NULL || !*cookie))
		return IDENT_NONE;
	if (authz && strncmp(authz, "Bearer ", 7) != 0) {
		reply_error(r, 401, "token_invalid", NULL, "Authorization 头须为 “Bearer <令牌>”");
		return IDENT_INVALID;
	}
	if (authz)
		return ident_token(r, authz + 7); /* mostly from the token cache: no store */
	if (store_acquire(r->app->store, &c, &e) < 0) {
		reply_yerr(r, &e);
		return IDENT_ERROR;
	}
	if (gw && cfg->trusted_proxies[0] && trusted_proxy(cfg, r->client)) {
		const char *xff = req_header(r, "X-Forwarded-For");

		/* Behind the gateway the peer is the proxy: the address it reports
		 * is the one to throttle and audit. */
		if (xff && *xff) {
			const char *last = strrchr(xff, ',');

			last = last ? last + 1 : xff;
			while (*last == ' ')
				last++;
			snprintf(r->client, sizeof(r->client), "%.*s", (int)strcspn(last, " "),
				 last);
		}
		rc = ident_gateway(r, c, gw);
	} else if (cookie && *cookie)
		rc = ident_session(r, c, cookie, why);
	store_release(c);
	return rc;
}

/* audit ----------------------------------------------------------------------- */

static int64_t now_ms(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

static void fill_entry(struct req *r, struct audit_entry *e, char *roles, size_t rolesz,
		       const char *actor, const char *object, const char *outcome,
		       const char *detail)
{
	memset(e, 0, sizeof(*e));
	roles_format(r->who.roles, roles, rolesz);
	e->district = req_district(r); /* the chain the entry joins */
	e->ts_ms = now_ms();
	e->actor = actor ? actor : r->who.kind == PRINCIPAL_NONE ? "-" : r->who.name;
	e->role = roles;
	e->department = r->who.department;
	e->action = r->route && r->route->audit ? r->route->audit : "";
	e->object = object ? object : r->audit_object;
	e->request_id = r->rid;
	e->outcome = outcome;
	e->client = r->client;
	e->detail = detail ? detail : "";
}

int req_audit(struct req *r, struct store_conn *c, const char *object, const char *detail,
	      struct yerr *err)
{
	struct audit_entry e;
	char roles[160];
	int rc;

	/* Handlers often pass r->audit_object itself: copying a string onto
	 * itself is undefined (glibc left it empty, so every user and
	 * department update was audited without its object). */
	if (object && object != r->audit_object)
		snprintf(r->audit_object, sizeof(r->audit_object), "%s", object);
	fill_entry(r, &e, roles, sizeof(roles), NULL, object, "ok", detail);
	rc = store_audit_append(c, &e, NULL, err);
	if (rc == 0)
		r->audited = 1;
	return rc;
}

void req_audit_own(struct req *r, const char *actor, const char *object, const char *outcome,
		   const char *detail)
{
	struct audit_entry e;
	char roles[160];
	struct yerr err = {0};

	fill_entry(r, &e, roles, sizeof(roles), actor, object, outcome, detail);
	if (store_audit_append_own(r->app->store, &e, &err) < 0)
		fprintf(stderr, "{\"rid\":\"%s\",\"audit_error\":\"%s\"}\n", r->rid, err.code);
	r->audited = 2;
}

static void audit_refusal(struct req *r)
{
	char outcome[32];

	if (r->route == NULL || r->route->audit == NULL)
		return;
	snprintf(outcome, sizeof(outcome), "denied:%d", r->status);
	req_audit_own(r, NULL, NULL, outcome, NULL);
}

/* the check ------------------------------------------------------------------- */

/* Routes a session that must change its password may still reach: public
 * ones and those flagged in the route table. */
static int allowed_before_password_change(const struct route *rt)
{
	return strcmp(rt->permission, "public") == 0 ||
	       (rt->flags & ROUTE_BEFORE_PASSWORD_CHANGE) != 0;
}

int auth_check(struct req *r)
{
	const char *why = NULL;
	int id = identify(r, &why);

	if (id == IDENT_INVALID || id == IDENT_ERROR)
		goto refused;
	if (why && strcmp(why, "csrf") == 0 && strcmp(r->route->permission, "public") != 0) {
		reply_error(r, 403, "csrf", NULL,
			    "请求缺少有效的防伪令牌（X-CSRF-Token），请刷新页面后重试");
		goto refused;
	}
	if (r->who.kind == PRINCIPAL_SESSION && r->who.must_change_password &&
	    !allowed_before_password_change(r->route)) {
		reply_error(r, 403, "password_change_required", NULL, "请先修改初始密码");
		goto refused;
	}
	switch (roles_authorize(&r->who, r->route->permission, r->method)) {
	case AUTHZ_ALLOW:
		return 0;
	case AUTHZ_UNAUTHENTICATED:
		if (why && strcmp(why, "csrf") != 0)
			reply_error(r, 401, "session_expired", NULL, "%s", why);
		else
			reply_error(r, 401, "unauthenticated", NULL, "请先登录");
		break;
	case AUTHZ_FORBIDDEN:
		if (r->who.kind == PRINCIPAL_TOKEN && !is_read(r) &&
		    permission_known(r->route->permission))
			reply_error(r, 403, "forbidden", NULL, "访问令牌只能读取数据，不能修改");
		else
			reply_error(r, 403, "forbidden", NULL, "您没有执行此操作的权限");
		break;
	}
refused:
	audit_refusal(r);
	return -1;
}

void auth_after_handler(struct req *r)
{
	char outcome[32];

	if (r->route == NULL || r->route->audit == NULL || r->audited == 2 ||
	    (r->audited == 1 && r->status < 400))
		return;
	if (r->status < 400)
		snprintf(outcome, sizeof(outcome), "ok");
	else
		snprintf(outcome, sizeof(outcome), "failed:%d", r->status);
	req_audit_own(r, NULL, NULL, outcome, NULL);
}

void auth_req_cleanup(struct req *r)
{
	free(r->token);
	r->token = NULL;
	sodium_memzero(r->session_hash, sizeof(r->session_hash));
}
