/*
 * auth.h — who is asking, and may they. The only place where a route's
 * declared permission is enforced (default deny), where sessions, API tokens
 * and the identity gateway are recognised, where CSRF is checked, and where
 * requests to audited routes get their audit entry when the handler did not
 * write one itself.
 *
 * Configuration (environment, read once at server start):
 *   YIYE_SESSION_IDLE            idle expiry of a session, s (1800)
 *   YIYE_SESSION_ABSOLUTE        absolute expiry of a session, s (43200)
 *   YIYE_LOGIN_MAX_FAILURES      failed logins per account before a lock (5)
 *   YIYE_LOGIN_MAX_FAILURES_ADDR failed logins per client address (20)
 *   YIYE_LOGIN_WINDOW            window the failures are counted in, s (900)
 *   YIYE_LOGIN_LOCK              how long a lock lasts, s (900)
 *   YIYE_PWHASH_FAST=1           minimum argon2id cost (tests only)
 *   YIYE_PWHASH_CONCURRENCY      password hashes computed at once (2)
 *   YIYE_TRUSTED_PROXIES         identity gateway addresses, comma list ("")
 *   YIYE_IDENTITY_HEADER         header naming the user, e.g. X-Yiye-Identity
 *   YIYE_COOKIE_SECURE=1         mark cookies Secure (behind HTTPS)
 */
#ifndef YIYE_HTTP_AUTH_H
#define YIYE_HTTP_AUTH_H

#include "http/http.h"
#include "store/store.h"

#define AUTH_SESSION_COOKIE "yiye_session"
#define AUTH_CSRF_COOKIE "yiye_csrf"
#define AUTH_CSRF_HEADER "X-CSRF-Token"
#define AUTH_SECRET_HEX 65 /* hex BLAKE2b-256 of a session cookie or token */

/* Creates the per-server authentication state (its configuration is
 * app->cfg.auth, struct auth_config in app.h; the bounded password-hashing
 * semaphore) into app->auth. */
void auth_state_init(struct app *app);
void auth_state_free(struct app *app);
const struct auth_config *auth_config(const struct app *app);

/* Identifies the caller, checks CSRF and r->route->permission; on refusal
 * fills the reply (401, 403) — with an audit entry for audited routes — and
 * returns -1. Runs on the worker pool for state-changing routes. */
int auth_check(struct req *r);
/* Hook after a handler ran: appends the audit entry of an audited route
 * unless the handler wrote it in its own transaction (req_audit). */
void auth_after_handler(struct req *r);
/* Frees per-request authentication state. */
void auth_req_cleanup(struct req *r);
/* Forgets every cached API token (fix-shared: auth.c's token cache); called
 * after a token change commits (http_run_handler). */
void auth_tokens_changed(struct app *app);

/* Appends the audit entry of this request inside the transaction the
 * handler opened on c, so it commits with the change. `object` names what
 * changed ("user:12"). The outcome is "ok": call it only on the success
 * path, right before store_commit. */
int req_audit(struct req *r, struct store_conn *c, const char *object, const char *detail,
	      struct yerr *err);
/* Appends an entry for this request with an explicit outcome in a
 * transaction of its own, and marks the request audited (failed logins,
 * throttled logins). */
void req_audit_own(struct req *r, const char *actor, const char *object, const char *outcome,
		   const char *detail);

/* Password hashing bounded by the semaphore (at most
 * YIYE_PWHASH_CONCURRENCY at once). Only on worker threads. */
int auth_password_hash(struct app *app, const char *pw, char *out);
int auth_password_verify(struct app *app, const char *hash, const char *pw);
/* When hash (just verified against pw) was made at another cost than new
 * hashes get, hashes pw again into out[PASSWORD_HASH_SIZE] and returns 1;
 * else returns 0 with out "". Costs one hash only when an upgrade is due. */
int auth_password_upgrade(struct app *app, const char *hash, const char *pw, char *out);
/* Burns the time of a verification for an unknown user, so response times
 * do not tell which usernames exist. */
void auth_password_dummy(struct app *app, const char *pw);

/* 32 random bytes as base64url (43 chars) into out (>= 44 bytes). */
void auth_random_secret(char *out, size_t outsz);
/* Hex BLAKE2b-256 of a secret into out[AUTH_SECRET_HEX]. */
void auth_secret_hash(const char *secret, char out[AUTH_SECRET_HEX]);

/* Starts a session for user id: stores it, sets the session and CSRF
 * cookies on the reply. Inside the caller's transaction on c. */
int auth_session_start(struct req *r, struct store_conn *c, int64_t user_id, struct yerr *err);
/* Sets cookies that clear the session in the browser. */
void auth_session_clear_cookies(struct req *r);

#endif
