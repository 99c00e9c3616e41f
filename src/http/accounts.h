/*
 * accounts.h — what the account handlers (h_account.c, h_users.c,
 * h_departments.c, h_tokens.c) share: the JSON shape of a user and the
 * account-specific input checks (roles, username, 统一社会信用代码), each
 * answering 400 with the field at fault. General input helpers are in
 * args.h.
 */
#ifndef YIYE_HTTP_ACCOUNTS_H
#define YIYE_HTTP_ACCOUNTS_H

#include <stddef.h>

#include "http/args.h"
#include "http/auth.h"
#include "http/handlers.h"
#include "store/store_account.h"

/* {"id","username","display_name","roles":[…],"department":…|null,
 *  "entity":{"id","uscc","name"}|null,"phone","disabled",
 *  "must_change_password","created_at","updated_at","version"} */
json_t *acct_user_json(const struct store_user *u);

/* Role names array member → bitmask (400 naming roles[i]). */
int acct_roles(struct req *r, const char *key, unsigned *roles);
/* The required "username" member: 3..32 of a-z 0-9 . _ -, starting with a
 * letter; replies 400 naming the field and returns -1 otherwise. */
int acct_username(struct req *r, const char **out);
/* The optional "uscc" member, checked as a 统一社会信用代码: *out NULL when
 * absent; replies 400 with the validator's reason and message. */
int acct_uscc(struct req *r, const char **out);

#endif
