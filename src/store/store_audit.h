/*
 * store_audit.h — the tamper-evident audit trail.
 *
 * Entries form a hash chain: entry n stores prev_hash = hash of entry n-1
 * (64 zeros for the first) and hash = hex SHA-256 of
 *     prev_hash || canonical(entry)
 * where canonical() writes seq, ts, district and every text field as
 * "<decimal byte length>:<bytes>\n" in a fixed order, so no choice of field
 * contents can make two different entries serialise alike.
 *
 * One chain per district (migration 0005): each district has its own head
 * row in audit_head and its own seq 1, 2, 3 …; entries of one district are
 * strictly ordered even with several server processes on one database,
 * because store_audit_append first runs
 *     UPDATE audit_head SET seq = seq + 1 WHERE district = ? RETURNING seq, hash
 * inside the caller's transaction, which holds that row's lock (PostgreSQL)
 * or the file's write lock (SQLite) until the transaction ends. Writes of
 * different districts never wait on each other; writes of one district wait
 * on each other only from their append to their commit, which is why the
 * append comes last, just before the commit (see store_audit.c).
 *
 * Personal data never goes in: callers mask identity numbers
 * (ident_mask_idcard) and never pass passwords, tokens or session ids.
 */
#ifndef YIYE_STORE_AUDIT_H
#define YIYE_STORE_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

#define AUDIT_HASH_HEX 65

struct audit_entry {
	int64_t ts_ms;          /* unix milliseconds */
	const char *actor;      /* username, "token:<name>", or "-" */
	const char *role;       /* "reviewer,supervisor" or "" */
	const char *department; /* department code or "" */
	const char *action;     /* the route's audit event, e.g. "user.create" */
	const char *object;     /* "user:12", "department:scjgj", … or "" */
	const char *request_id;
	const char *outcome;  /* "ok", or "denied:403", "failed:400", … */
	const char *client;   /* client address */
	const char *detail;   /* short free text, never personal data */
	const char *district; /* the chain it joins; NULL: STORE_DEFAULT_DISTRICT */
};

/* Appends e inside the transaction the caller opened on c (store_begin), so
 * the entry commits or rolls back together with the change it records.
 * *seq_out (may be NULL) receives the entry's sequence number. */
int store_audit_append(struct store_conn *c, const struct audit_entry *e, int64_t *seq_out,
		       struct yerr *err);
/* Appends in a transaction of its own (refusals, failed logins). */
int store_audit_append_own(struct store *s, const struct audit_entry *e, struct yerr *err);

/* Canonical serialisation + chain hash: hex SHA-256 into out. */
void store_audit_hash(const char *prev_hash, int64_t seq, const char *district,
		      const struct audit_entry *e, char out[AUDIT_HASH_HEX]);

/* Filter of the audit listing; NULL/0 members do not filter. */
struct audit_filter {
	const char *actor;
	const char *action;
	int64_t from_ms, to_ms; /* ts >= from_ms, ts < to_ms (0: open) */
};

/* Entries matching f, newest first: a result with columns seq, ts, actor,
 * role, department, action, object, request_id, outcome, client, detail,
 * hash (caller frees), and *total. limit <= 0 means no limit (CSV export,
 * which callers bound themselves). */
int store_audit_list(struct store_conn *c, const struct audit_filter *f, int limit, int offset,
		     struct store_result **out, int64_t *total, struct yerr *err);

/* The verdict on one district's chain. */
struct audit_chain_report {
	char district[32];
	int64_t count;   /* entries checked (the intact prefix when broken) */
	int64_t bad_seq; /* first broken entry; 0 when intact */
	char msg[256];   /* why it is broken (Chinese), "" when intact */
};

/* Walks every district's chain in seq order (districts in order): *out
 * receives *n reports (caller frees). Returns 0 when every chain is intact,
 * 1 when at least one is broken, negative on a store error. */
int store_audit_verify(struct store *s, struct audit_chain_report **out, int *n, struct yerr *err);

/* The walk store_audit_verify makes, for any per-district hash chain (the
 * audit trail, the shared-read access log): districts_sql lists the chains'
 * districts in order — every district with a head OR with entries, so
 * entries whose head row was deleted do not escape the check — and
 * verify_one checks one (0 intact, 1 broken, negative on a store error). */
typedef int (*chain_verify_fn)(struct store_conn *c, struct audit_chain_report *rep,
			       struct yerr *err);
int store_chains_verify(struct store *s, const char *districts_sql, chain_verify_fn verify_one,
			struct audit_chain_report **out, int *n, struct yerr *err);

#endif
