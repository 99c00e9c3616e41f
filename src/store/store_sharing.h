/*
 * store_sharing.h — data sharing (issue 14, share-reads): the sharing fields
 * of API tokens (department, purposes, rate limit, last use), the reads a
 * token's system makes by 统一社会信用代码, and the hash-chained access log.
 *
 * The access log is built like the audit trail (store_audit.h): one chain per
 * district, entry n stores prev_hash = hash of entry n-1 (64 zeros for the
 * first) and hash = hex SHA-256 of prev_hash || canonical(entry), every field
 * written as "<decimal byte length>:<bytes>\n" in a fixed order. An append
 * takes its district's head row (sharing_head) with
 *     UPDATE sharing_head SET seq = seq + 1 WHERE district = ? RETURNING …
 * so appends of one district are totally ordered across processes and
 * appends of different districts never wait on each other. The chain costs
 * one SHA-256 over ~300 bytes per entry.
 *
 * Like every store module: functions take the caller's connection and
 * district, run inside the caller's transaction, and never commit.
 */
#ifndef YIYE_STORE_SHARING_H
#define YIYE_STORE_SHARING_H

#include <stdint.h>

#include "store/store.h"
#include "store/store_audit.h"

#define SHARING_HASH_HEX 65
#define SHARING_PURPOSES_MAX 256     /* bytes of the stored, space-separated list */
#define SHARING_PURPOSE_TEXT_MAX 100 /* characters of a purpose's free text */

/* The sharing fields of one token (api_tokens, migration 0040). */
struct sharing_token {
	int64_t id;
	char name[300];
	char department[32];                 /* the department whose system holds it */
	char purposes[SHARING_PURPOSES_MAX]; /* "approval supervision", "" none */
	int rate_per_minute;                 /* 0: the server's default */
	int64_t last_used_at;                /* 0: never */
};

/* The token id of district: STORE_ENOTFOUND (404 token_not_found) when none. */
int store_sharing_token_get(struct store_conn *c, const char *district, int64_t id,
			    struct sharing_token *t, struct yerr *err);
/* Sets the sharing fields of token id (rate 0: back to the default). */
int store_sharing_token_set(struct store_conn *c, const char *district, int64_t id,
			    const char *department, const char *purposes, int rate_per_minute,
			    struct yerr *err);
/* last_used_at = now; callers touch at most once a minute per token (the
 * value they read says when it was last written), so a busy token does not
 * turn every read into a write. Runs on its own (autocommit) statement. */
int store_sharing_token_touch(struct store_conn *c, const char *district, int64_t id, int64_t now,
			      struct yerr *err);

/* What a shared read returns: the kinds of data, one per route. */
enum sharing_kind {
	SHARING_LICENSES,
	SHARING_ANNUAL_REPORTS,
	SHARING_PENALTIES,
	SHARING_CREDIT,
	SHARING_APPLICATIONS,
	SHARING_INSPECTIONS,
	SHARING_KIND_COUNT
};

/* "licenses", "annual-reports", … (the path segment and the log's kind). */
const char *sharing_kind_name(enum sharing_kind k);

/* The rows of kind for uscc in district, newest first (at most 500): a
 * result whose column names are the API's member names; columns listed by
 * sharing_kind_int_columns are integers (NULL stays null), the others text.
 * Only what the kind's scope grants is selected: never identity numbers or
 * phone numbers, never an application's form. For SHARING_CREDIT the first
 * row is the grade (kind "grade") and the rest the credit records. *out
 * may have no rows: the caller answers that like an unknown entity. */
int store_sharing_read(struct store_conn *c, const char *district, enum sharing_kind k,
		       const char *uscc, struct store_result **out, struct yerr *err);
/* Space-separated names of the integer columns of kind's result. */
const char *sharing_kind_int_columns(enum sharing_kind k);

/* One access-log entry. */
struct sharing_entry {
	int64_t ts_ms; /* unix milliseconds */
	int64_t token_id;
	const char *token_name;
	const char *department; /* the token's department */
	const char *uscc;
	const char *kind;         /* sharing_kind_name, or the route's segment */
	const char *purpose;      /* the purpose code stated ("" none) */
	const char *purpose_text; /* its free text ("" none) */
	int status;               /* the HTTP status answered */
	const char *request_id;
};

/* Canonical serialisation + chain hash: hex SHA-256 into out. */
void store_sharing_hash(const char *prev_hash, int64_t seq, const char *district,
			const struct sharing_entry *e, char out[SHARING_HASH_HEX]);
/* Appends the n entries e[0..n) to district's chain, in that order, inside
 * the caller's transaction (one head-row update for all of them, so a batch
 * costs one row lock and, at commit, one fsync); *first_seq (may be NULL)
 * receives the first entry's seq. Call it last before the commit: it holds
 * the district's head row until then. */
int store_sharing_append(struct store_conn *c, const char *district, const struct sharing_entry *e,
			 int n, int64_t *first_seq, struct yerr *err);

/* Filter of the access-log listing; NULL/0 members do not filter. */
struct sharing_filter {
	int64_t token_id;
	const char *uscc;
	const char *department; /* the token's department (a staff member's own) */
	int64_t from_ms, to_ms; /* ts >= from_ms, ts < to_ms */
};

/* Entries of district matching f, newest first: columns seq, ts, token_id,
 * token_name, department, uscc, kind, purpose, purpose_text, status,
 * request_id, hash (caller frees), and *total. limit <= 0: no limit (the CSV
 * export, which bounds itself). */
int store_sharing_list(struct store_conn *c, const char *district, const struct sharing_filter *f,
		       int limit, int offset, struct store_result **out, int64_t *total,
		       struct yerr *err);

/* Walks every district's access-log chain (districts in order): *out
 * receives *n reports (caller frees). 0 intact, 1 broken, negative on a
 * store error. The report names the first broken entry. */
int store_sharing_verify(struct store *s, struct audit_chain_report **out, int *n,
			 struct yerr *err);

#endif
