/*
 * args.h — reading a request's input, in one place for every handler.
 *
 * Each req_* function checks one piece of input and, when it is wrong,
 * answers 400 (404 for a path parameter) naming the field at fault and
 * returns -1; the handler then simply returns. The checks themselves are the
 * args_* functions: pure (no request, no reply), filling a struct yerr, so
 * tests/unit/test_args.c exercises them without a server.
 *
 * Text length is counted in characters (UTF-8 code points), as the UI's
 * maxlength counts them; a buffer of N characters holds N * 4 + 1 bytes
 * (CHARS_BYTES in store_account.h).
 */
#ifndef YIYE_HTTP_ARGS_H
#define YIYE_HTTP_ARGS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "http/http.h"

struct store_conn;

/* Flags of args_text / req_text. */
enum {
	ARG_REQUIRED = 1 << 0,  /* absent, null, empty or blank: 400 required */
	ARG_MULTILINE = 1 << 1, /* line breaks and tabs allowed (free text) */
	ARG_NOT_BLANK = 1 << 2, /* optional, but a string given must not be blank (a change
				   may leave a name alone, not blank it) */
};

/* Default and largest page of a list (?limit=). */
#define REQ_PAGE_DEFAULT 50
#define REQ_PAGE_MAX 200

/* limit/offset of a paged list. */
struct req_page {
	int limit;
	int offset;
};

/* pure checks ---------------------------------------------------------------- */

/* obj must be a JSON object whose members are all in `allowed`
 * (NULL-terminated): 400 invalid_body / unknown_field otherwise. */
int args_keys(const json_t *obj, const char *const *allowed, struct yerr *e);

/*
 * The string member `key` of obj, at most max_chars characters. Absent, null,
 * empty or all blanks: *out NULL, or 400 required with ARG_REQUIRED (with
 * ARG_NOT_BLANK only an empty or blank string is refused). 400 invalid_type when not a
 * string, invalid_characters for invalid UTF-8, an embedded NUL or a control character (line breaks
 * and tabs are allowed with ARG_MULTILINE), too_long past max_chars. The field at fault is `key`.
 * *out points into obj.
 */
int args_text(const json_t *obj, const char *key, unsigned flags, size_t max_chars,
	      const char **out, struct yerr *e);

/* A whole decimal integer in [min, max], digits only (no sign, no blanks);
 * -1 when s is not one. */
int args_int(const char *s, long long min, long long max, long long *out);
/* The query parameter `name` with value v (NULL when absent): absent or
 * empty gives dflt; otherwise args_int in [min, max] or 400 invalid_number
 * naming the parameter. */
int args_query_int(const char *name, const char *v, long long dflt, long long min, long long max,
		   long long *out, struct yerr *e);
/* The query parameter `name` with value v as text of at most max_chars
 * characters: absent or empty gives *out NULL; 400 invalid_characters
 * (invalid UTF-8, control characters) or too_long, naming the parameter. */
int args_query_text(const char *name, const char *v, size_t max_chars, const char **out,
		    struct yerr *e);

/* request helpers -------------------------------------------------------------- */

/* args_keys on the body. */
int req_body_keys(struct req *r, const char *const *allowed);
/* args_text on a body member. */
int req_text(struct req *r, const char *key, unsigned flags, size_t max_chars, const char **out);
/* args_query_int / args_query_text on the query parameter `name`. */
int req_query_int(struct req *r, const char *name, long long dflt, long long min, long long max,
		  long long *out);
int req_query_text(struct req *r, const char *name, size_t max_chars, const char **out);
/* ?limit= (1..max, default dflt) and ?offset= (>= 0): 400 invalid_number. */
int req_paging(struct req *r, int dflt, int max, struct req_page *p);
/* Path parameter {name} as a positive integer; 404 `code` when it is not one
 * (an identifier that cannot exist names no object). */
int req_path_id(struct req *r, const char *name, const char *code, int64_t *id);

/* The district the request acts in: every store call takes it. */
const char *req_district(const struct req *r);

/* A pooled connection, or replies 503 and returns -1. */
int req_acquire(struct req *r, struct store_conn **c);
/* Commits, or replies with the store error; returns 0 / -1. */
int req_commit(struct req *r, struct store_conn *c);
/* The end of every change: the route's audit entry for object (req_audit;
 * detail may be NULL), then the commit, on the caller's transaction. Returns
 * 0 or the store error in e (not answered: the caller releases the
 * connection, then replies). */
int req_audit_commit(struct req *r, struct store_conn *c, const char *object, const char *detail,
		     struct yerr *e);

/* List answers --------------------------------------------------------------- */

/* Converts one element of an array of store structs to its API object. */
typedef json_t *(*req_item_json)(const void *item);

/* The one shape of a list answer: {"items":items,"total":N}, plus "limit"
 * and "offset" when the list is paged (page non-NULL). Steals items. */
json_t *req_list_json(json_t *items, int64_t total, const struct req_page *page);
/*
 * req_list_json of an array of store structs: items[i] = to_json(arr +
 * i * size) for i < n. Returns the object for the caller to add to (e.g. the
 * department a member list belongs to) and pass to reply_json.
 */
json_t *req_list(const void *arr, size_t n, size_t size, req_item_json to_json, int64_t total,
		 const struct req_page *page);

#endif
