/*
 * store_account.h — SQL of departments, market entities, users, sessions,
 * API tokens and login-failure counters.
 *
 * Functions take a connection the caller acquired (and, for changes that
 * belong together with their audit entry, a transaction the caller opened),
 * so a handler can change state and append the audit entry atomically.
 * Returns 0 / a row count, or a negative STORE_E* code with err filled.
 */
#ifndef YIYE_STORE_ACCOUNT_H
#define YIYE_STORE_ACCOUNT_H

#include <stdint.h>

#include "core/password.h"
#include "core/roles.h"
#include "store/store.h"

/* Lengths in characters (UTF-8 code points), as the API checks them
 * (src/http/args.h); a buffer holds CHARS_BYTES(n). Codes are ASCII. */
#define USERNAME_MAX 32
#define DISPLAY_NAME_MAX 96
#define PHONE_MAX 20
#define DEPT_CODE_MAX 24
#define DEPT_NAME_MAX 96
#define ENTITY_NAME_MAX 192
#define TOKEN_NAME_MAX 96
#define CHARS_BYTES(n) ((n)*4 + 1)

struct store_user {
	int64_t id;
	char district[16]; /* the user's own (logins find users in any district) */
	char username[USERNAME_MAX + 1];
	char display_name[CHARS_BYTES(DISPLAY_NAME_MAX)];
	char department[DEPT_CODE_MAX + 1]; /* "" none */
	char phone[PHONE_MAX + 1];
	int64_t entity_id; /* 0 none */
	char uscc[24];     /* entity's code, "" none */
	char entity_name[CHARS_BYTES(ENTITY_NAME_MAX)];
	unsigned roles;
	int disabled;
	int must_change_password;
	int64_t created_at, updated_at;
	int64_t version; /* bumped by every store_user_update (optimistic concurrency) */
	char password_hash[PASSWORD_HASH_SIZE];
};

struct store_department {
	char code[DEPT_CODE_MAX + 1];
	char name[CHARS_BYTES(DEPT_NAME_MAX)];
	int disabled;
};

/* departments ---------------------------------------------------------- */

/* Inserts unless the code exists (seeding from catalog/departments.json).
 * Returns 1 when inserted, 0 when it existed. */
int store_department_seed(struct store_conn *c, const char *district, const char *code,
			  const char *name, int64_t now, struct yerr *err);
/* Every department of the district, by code. *out is malloc'd (caller frees). */
int store_departments_list(struct store_conn *c, const char *district,
			   struct store_department **out, int *n, struct yerr *err);
/* STORE_ENOTFOUND (404, code department_not_found) when absent. */
int store_department_get(struct store_conn *c, const char *district, const char *code,
			 struct store_department *out, struct yerr *err);
/* STORE_ECONFLICT (409 department_exists) when the code is taken. */
int store_department_insert(struct store_conn *c, const char *district, const char *code,
			    const char *name, int64_t now, struct yerr *err);
/* Changes name (NULL: keep) and disabled (-1: keep). STORE_ENOTFOUND. */
int store_department_update(struct store_conn *c, const char *district, const char *code,
			    const char *name, int disabled, int64_t now, struct yerr *err);

/* entities and users ------------------------------------------------------ */

/* New market entity; uscc NULL for a founder. STORE_ECONFLICT (409,
 * uscc_exists, field uscc) when the code is registered already. */
int store_entity_insert(struct store_conn *c, const char *district, const char *uscc,
			const char *name, int64_t now, int64_t *id, struct yerr *err);

/* Locks user id's row until the transaction ends (PostgreSQL FOR UPDATE):
 * call it before reading a user that is then written back whole. */
int store_user_lock(struct store_conn *c, const char *district, int64_t id, struct yerr *err);
/* Inserts u (username, display_name, department, phone, entity_id,
 * password_hash, must_change_password, roles) and sets u->id. STORE_ECONFLICT
 * (409, username_exists, field username) when the name is taken. */
int store_user_insert(struct store_conn *c, const char *district, struct store_user *u, int64_t now,
		      struct yerr *err);
/* Loads a user with roles and entity. STORE_ENOTFOUND (404 user_not_found). */
int store_user_get(struct store_conn *c, const char *district, int64_t id, struct store_user *u,
		   struct yerr *err);
/* By username, in any district: usernames are unique platform-wide (the
 * login form names no district). */
int store_user_get_by_name(struct store_conn *c, const char *username, struct store_user *u,
			   struct yerr *err);
/* *taken = 1 when a user of that name exists (a cheap check before hashing a
 * password; the unique index decides in the end). */
int store_username_taken(struct store_conn *c, const char *username, int *taken, struct yerr *err);
/* Writes display_name, department, disabled and roles of u->id in district.
 * STORE_ENOTFOUND (404 user_not_found) when district has no such user: every
 * write by id names the district, so an id of another district sharing the
 * database is refused like one that does not exist. */
int store_user_update(struct store_conn *c, const char *district, const struct store_user *u,
		      int64_t now, struct yerr *err);
/* STORE_ENOTFOUND (404 user_not_found) as store_user_update. */
int store_user_set_password(struct store_conn *c, const char *district, int64_t id,
			    const char *hash, int must_change, int64_t now, struct yerr *err);
/* Replaces the password hash of user id by new_hash (the same password at
 * the current argon2id cost) only while it still is old_hash. */
int store_user_upgrade_password(struct store_conn *c, const char *district, int64_t id,
				const char *old_hash, const char *new_hash, struct yerr *err);
/* A page of users whose username or display name contains q (NULL: all),
 * newest first. *out malloc'd, *n rows, *total matching. Hashes not filled. */
int store_users_list(struct store_conn *c, const char *district, const char *q, int limit,
		     int offset, struct store_user **out, int *n, int64_t *total, struct yerr *err);
/* The staff of department `code`, scoped by who asks: a principal restricted
 * to its own department (principal_department_scope) gets STORE_ENOTFOUND
 * (404) for any other department, exactly as for one that does not exist,
 * so the answer never confirms what it may not see. */
int store_users_in_department(struct store_conn *c, const char *district, const struct principal *p,
			      const char *code, int limit, int offset, struct store_user **out,
			      int *n, int64_t *total, struct yerr *err);

/* sessions ------------------------------------------------------------------ */

struct store_session {
	char csrf[80];
	int64_t created_at, last_seen, expires_at;
	struct store_user user;
};

int store_session_insert(struct store_conn *c, const char *token_hash, int64_t user_id,
			 const char *csrf, int64_t now, int64_t expires_at, const char *client,
			 struct yerr *err);
/* STORE_ENOTFOUND when no such session of a user of district. */
int store_session_get(struct store_conn *c, const char *district, const char *token_hash,
		      struct store_session *out, struct yerr *err);
int store_session_touch(struct store_conn *c, const char *token_hash, int64_t now,
			struct yerr *err);
int store_session_delete(struct store_conn *c, const char *token_hash, struct yerr *err);
/* Deletes every session of user_id (of district) except keep_hash (NULL:
 * all). Expired sessions of everyone go by store_sessions_prune. */
int store_sessions_revoke_user(struct store_conn *c, const char *district, int64_t user_id,
			       const char *keep_hash, struct yerr *err);
/* Removes sessions past their absolute or idle limit (lookups refuse them
 * anyway); *removed receives how many. Run on a schedule
 * (http/catalog_watch.c), not per request. */
int store_sessions_prune(struct store_conn *c, int64_t now, int idle_sec, int64_t *removed,
			 struct yerr *err);

/* API tokens ---------------------------------------------------------------- */

struct store_token {
	int64_t id;
	char name[CHARS_BYTES(TOKEN_NAME_MAX)];
	unsigned scopes;
	int64_t created_by, created_at, expires_at, revoked_at, last_used_at; /* 0 none */
	char created_by_name[USERNAME_MAX + 1];
	/* share-reads (migration 0040): the holder's department, the purposes it
	   may state (space-separated codes) and its requests per minute (0: the
	   server's default); set by store_sharing_token_set */
	char department[DEPT_CODE_MAX + 1];
	char purposes[256];
	int rate_per_minute;
};

int store_token_insert(struct store_conn *c, const char *district, struct store_token *t,
		       const char *secret_hash, struct yerr *err);
/* By secret hash, among district's tokens; STORE_ENOTFOUND when unknown
 * (a token of another district sharing the database included). */
int store_token_lookup(struct store_conn *c, const char *district, const char *secret_hash,
		       struct store_token *t, struct yerr *err);
/* A token of district by id; STORE_ENOTFOUND (404 token_not_found) when
 * district has none of that id (another district's token included). */
int store_token_get(struct store_conn *c, const char *district, int64_t id, struct store_token *t,
		    struct yerr *err);
/* Every token, newest first (at most 500). */
int store_tokens_list(struct store_conn *c, const char *district, struct store_token **out, int *n,
		      struct yerr *err);
/* Marks district's token id revoked (idempotent); STORE_ENOTFOUND (404
 * token_not_found) as store_token_get. */
int store_token_revoke(struct store_conn *c, const char *district, int64_t id, int64_t now,
		       struct yerr *err);

/* login throttling -------------------------------------------------------- */

/* *locked_until > now when (kind, subject) is locked out. */
int store_login_locked(struct store_conn *c, const char *kind, const char *subject, int64_t now,
		       int64_t *locked_until, struct yerr *err);
/* Counts one failure in a window of window_sec; at max failures the subject is
 * locked for lock_sec (*locked_until set, else 0). */
int store_login_failure(struct store_conn *c, const char *kind, const char *subject, int64_t now,
			int window_sec, int max, int lock_sec, int64_t *locked_until,
			struct yerr *err);
int store_login_clear(struct store_conn *c, const char *kind, const char *subject,
		      struct yerr *err);
/* Removes the counters whose window and lock are both over (they would
 * restart at 1 anyway); *removed receives how many. Run on a schedule
 * (http/catalog_watch.c), not per request. */
int store_login_prune(struct store_conn *c, int64_t now, int window_sec, int64_t *removed,
		      struct yerr *err);

/* Fills a principal from a user (kind given by the caller). */
void store_user_principal(const struct store_user *u, enum principal_kind kind,
			  struct principal *p);

#endif
