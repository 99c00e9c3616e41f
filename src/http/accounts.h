/*
 * accounts.h — helpers shared by the account handlers (h_account.c,
 * h_admin.c, h_audit.c): JSON shapes of users and input checks that answer
 * 400 with the field at fault.
 */
#ifndef YIYE_HTTP_ACCOUNTS_H
#define YIYE_HTTP_ACCOUNTS_H

#include <stddef.h>

#include "http/auth.h"
#include "http/handlers.h"
#include "store/store_account.h"

/* {"id","username","display_name","roles":[…],"department":…|null,
 *  "entity":{"id","uscc","name"}|null,"phone","disabled",
 *  "must_change_password","created_at","updated_at"} */
json_t *acct_user_json(const struct store_user *u);

/* The body must be an object with only the listed keys (NULL-terminated);
 * else replies 400 and returns -1. */
int acct_body_keys(struct req *r, const char *const *allowed);
/* String member `key` of the body: required or optional (*out NULL when
 * absent or null), trimmed length 1..maxbytes, no control characters; replies
 * 400 naming the field and returns -1 on error. */
int acct_str(struct req *r, const char *key, int required, size_t maxbytes, const char **out);
/* Role names array member → bitmask (400 naming roles[i]). */
int acct_roles(struct req *r, const char *key, unsigned *roles);
/* limit/offset query arguments: limit 1..max (default dflt), offset >= 0. */
int acct_paging(struct req *r, int dflt, int max, int *limit, int *offset);
/* Path parameter {id} as a positive integer; replies 404 when it is not. */
int acct_path_id(struct req *r, int64_t *id);
/* The required "username" member: 3..32 of a-z 0-9 . _ -, starting with a
 * letter; replies 400 naming the field and returns -1 otherwise. */
int acct_username(struct req *r, const char **out);
/* The optional "uscc" member, checked as a 统一社会信用代码: *out NULL when
 * absent; replies 400 with the validator's reason and message. */
int acct_uscc(struct req *r, const char **out);
/* Acquires a connection or replies 503. */
int acct_acquire(struct req *r, struct store_conn **c);
/* Commits, or replies with the store error; returns 0 / -1. */
int acct_commit(struct req *r, struct store_conn *c);

#endif
