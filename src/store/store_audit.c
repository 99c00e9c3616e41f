/*
 * store_audit.c — SQL and hashing of the audit trail. See store_audit.h.
 *
 * Ordering (issue 10, docs/deployment.md "Concurrent writers"): one hash
 * chain per district. An append locks only its district's head row, so the
 * writes of two districts never wait on each other, on any number of nodes.
 * Within a district the chain needs a total order, so appends of one district
 * queue on the head row; the wait is short because the append is the last
 * statement of its transaction (the caller appends just before commit, after
 * the change it records has taken the row locks it needs), so two writes of
 * one district to different objects overlap in everything but the append and
 * the commit. Alternatives weighed: one chain for the whole database (the
 * old design: every district queues behind every other); chains per object
 * (no order across objects, and a deleted object's chain could vanish
 * unnoticed); a sealer that chains entries after commit (entries would be
 * unprotected until sealed, and the sealer becomes a single point again).
 */
#include "store/store_audit.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define D STORE_DEFAULT_DISTRICT
#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"
#define VERIFY_PAGE 1000

static void put_field(crypto_hash_sha256_state *st, const char *v)
{
	char len[24];
	int n;

	if (v == NULL)
		v = "";
	n = snprintf(len, sizeof(len), "%zu:", strlen(v));
	crypto_hash_sha256_update(st, (const unsigned char *)len, (unsigned long long)n);
	crypto_hash_sha256_update(st, (const unsigned char *)v, strlen(v));
	crypto_hash_sha256_update(st, (const unsigned char *)"\n", 1);
}

void store_audit_hash(const char *prev_hash, int64_t seq, const char *district,
		      const struct audit_entry *e, char out[AUDIT_HASH_HEX])
{
	crypto_hash_sha256_state st;
	unsigned char h[crypto_hash_sha256_BYTES];
	char num[32];

	if (sodium_init() < 0)
		abort();
	crypto_hash_sha256_init(&st);
	put_field(&st, prev_hash);
	snprintf(num, sizeof(num), "%" PRId64, seq);
	put_field(&st, num);
	snprintf(num, sizeof(num), "%" PRId64, e->ts_ms);
	put_field(&st, num);
	put_field(&st, district);
	put_field(&st, e->actor);
	put_field(&st, e->role);
	put_field(&st, e->department);
	put_field(&st, e->action);
	put_field(&st, e->object);
	put_field(&st, e->request_id);
	put_field(&st, e->outcome);
	put_field(&st, e->client);
	put_field(&st, e->detail);
	crypto_hash_sha256_final(&st, h);
	sodium_bin2hex(out, AUDIT_HASH_HEX, h, sizeof(h));
}

/* Takes the next seq of the district's chain: the UPDATE locks the head row
 * until the caller's transaction ends. A district's first entry creates its
 * head row first (ON CONFLICT: two first entries at once create it once). */
static int chain_next(struct store_conn *c, const char *district, int64_t *seq, char *prev,
		      struct yerr *err)
{
	struct store_result *r = NULL;
	int rc;

	for (int attempt = 0; attempt < 2; attempt++) {
		rc = store_exec(c,
				"UPDATE audit_head SET seq = seq + 1 WHERE district = ? "
				"RETURNING seq, hash",
				(struct store_param[]){SP_TEXT(district)}, 1, &r, err);
		if (rc < 0)
			return rc;
		if (r->rows == 1) {
			*seq = store_cell_int(r, 0, 0, 0);
			snprintf(prev, AUDIT_HASH_HEX, "%s",
				 store_cell(r, 0, 1) ? store_cell(r, 0, 1) : "");
			store_result_free(r);
			return 0;
		}
		store_result_free(r);
		r = NULL;
		rc = store_exec(c,
				"INSERT INTO audit_head (district, seq, hash) VALUES (?, 0, ?) "
				"ON CONFLICT (district) DO NOTHING",
				(struct store_param[]){SP_TEXT(district), SP_TEXT(ZERO_HASH)}, 2,
				NULL, err);
		if (rc < 0)
			return rc;
	}
	return yerr_set(err, 500, "audit_head", "", "审计日志头记录缺失"), STORE_EINTERNAL;
}

int store_audit_append(struct store_conn *c, const struct audit_entry *e, int64_t *seq_out,
		       struct yerr *err)
{
	const char *district = e->district && *e->district ? e->district : D;
	char prev[AUDIT_HASH_HEX], hash[AUDIT_HASH_HEX];
	int64_t seq;
	int rc;

	if ((rc = chain_next(c, district, &seq, prev, err)) < 0)
		return rc;
	store_audit_hash(prev, seq, district, e, hash);
	rc = store_exec(
	    c,
	    "INSERT INTO audit_log (seq, district, ts, actor, role, department, action, "
	    "object, request_id, outcome, client, detail, prev_hash, hash) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    (struct store_param[]){
		SP_INT(seq), SP_TEXT(district), SP_INT(e->ts_ms), SP_TEXT(e->actor ? e->actor : ""),
		SP_TEXT(e->role ? e->role : ""), SP_TEXT(e->department ? e->department : ""),
		SP_TEXT(e->action ? e->action : ""), SP_TEXT(e->object ? e->object : ""),
		SP_TEXT(e->request_id ? e->request_id : ""), SP_TEXT(e->outcome ? e->outcome : ""),
		SP_TEXT(e->client ? e->client : ""), SP_TEXT(e->detail ? e->detail : ""),
		SP_TEXT(prev), SP_TEXT(hash)},
	    14, NULL, err);
	if (rc < 0)
		return rc;
	rc = store_exec(c, "UPDATE audit_head SET hash = ? WHERE district = ?",
			(struct store_param[]){SP_TEXT(hash), SP_TEXT(district)}, 2, NULL, err);
	if (rc == 0 && seq_out)
		*seq_out = seq;
	return rc;
}

int store_audit_append_own(struct store *s, const struct audit_entry *e, struct yerr *err)
{
	struct store_conn *c;
	int rc;

	if ((rc = store_acquire(s, &c, err)) < 0)
		return rc;
	if ((rc = store_begin(c, err)) == 0 && (rc = store_audit_append(c, e, NULL, err)) == 0)
		rc = store_commit(c, err);
	store_release(c); /* rolls back when still open */
	return rc;
}

#define AUDIT_COLS                                                                        \
	"seq, ts, actor, role, department, action, object, request_id, outcome, client, " \
	"detail, hash"

/* Builds the WHERE clause of a filter and its parameters. Only fixed SQL
 * fragments are concatenated; every value is bound. */
static int audit_where(const struct audit_filter *f, char *sql, size_t sqlsz, struct store_param *p)
{
	int n = 0;

	snprintf(sql, sqlsz, " WHERE district = ?");
	p[n++] = SP_TEXT(D);
	if (f && f->actor && *f->actor)
		store_where_add(sql, sqlsz, " AND actor = ?", p, &n, SP_TEXT(f->actor));
	if (f && f->action && *f->action)
		store_where_add(sql, sqlsz, " AND action = ?", p, &n, SP_TEXT(f->action));
	if (f && f->from_ms)
		store_where_add(sql, sqlsz, " AND ts >= ?", p, &n, SP_INT(f->from_ms));
	if (f && f->to_ms)
		store_where_add(sql, sqlsz, " AND ts < ?", p, &n, SP_INT(f->to_ms));
	return n;
}

int store_audit_list(struct store_conn *c, const struct audit_filter *f, int limit, int offset,
		     struct store_result **out, int64_t *total, struct yerr *err)
{
	char where[256], sql[512];
	struct store_param p[8];
	int n = audit_where(f, where, sizeof(where), p), rc;

	*out = NULL;
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM audit_log%s", where);
	if ((rc = store_query_int(c, sql, p, n, 0, total, err)) < 0)
		return rc;
	if (limit <= 0)
		limit = 1000000;
	p[n++] = SP_INT(limit);
	p[n++] = SP_INT(offset);
	snprintf(sql, sizeof(sql),
		 "SELECT " AUDIT_COLS " FROM audit_log%s ORDER BY seq DESC "
		 "LIMIT ? OFFSET ?",
		 where);
	return store_exec(c, sql, p, n, out, err);
}

/* Verifies the chain of one district. The head is read first: every entry
 * up to its seq had committed by then (an entry and its head update commit
 * together), so appends running meanwhile on a live system cannot make an
 * intact chain look broken. Returns 0 intact, 1 broken, negative on error. */
static int verify_chain(struct store_conn *c, struct audit_chain_report *rep, struct yerr *err)
{
	char prev[AUDIT_HASH_HEX] = ZERO_HASH, head_hash[AUDIT_HASH_HEX] = "";
	struct store_result *r = NULL;
	int64_t expect = 1, head_seq = -1, later = 0, head_again = -1;
	int rc, broken = 0;

	rc = store_exec(c, "SELECT seq, hash FROM audit_head WHERE district = ?",
			(struct store_param[]){SP_TEXT(rep->district)}, 1, &r, err);
	if (rc < 0)
		return rc;
	if (r->rows == 1) {
		head_seq = store_cell_int(r, 0, 0, -1);
		snprintf(head_hash, sizeof(head_hash), "%s",
			 store_cell(r, 0, 1) ? store_cell(r, 0, 1) : "");
	}
	store_result_free(r);
	r = NULL;
	if (head_seq < 0) {
		rep->bad_seq = 1;
		snprintf(rep->msg, sizeof(rep->msg), "缺少该区的审计日志头记录（头记录被删除）");
		return 1;
	}
	while (!broken && expect <= head_seq) {
		rc = store_exec(
		    c,
		    "SELECT seq, district, ts, actor, role, department, action, object, "
		    "request_id, outcome, client, detail, prev_hash, hash FROM audit_log "
		    "WHERE district = ? AND seq >= ? AND seq <= ? ORDER BY seq LIMIT ?",
		    (struct store_param[]){SP_TEXT(rep->district), SP_INT(expect), SP_INT(head_seq),
					   SP_INT(VERIFY_PAGE)},
		    4, &r, err);
		if (rc < 0)
			return rc;
		for (int i = 0; i < r->rows && !broken; i++) {
			int64_t seq = store_cell_int(r, i, 0, 0);
			struct audit_entry e = {
			    .ts_ms = store_cell_int(r, i, 2, 0),
			    .actor = store_cell(r, i, 3),
			    .role = store_cell(r, i, 4),
			    .department = store_cell(r, i, 5),
			    .action = store_cell(r, i, 6),
			    .object = store_cell(r, i, 7),
			    .request_id = store_cell(r, i, 8),
			    .outcome = store_cell(r, i, 9),
			    .client = store_cell(r, i, 10),
			    .detail = store_cell(r, i, 11),
			};
			const char *stored_prev = store_cell(r, i, 12),
				   *stored = store_cell(r, i, 13);
			char h[AUDIT_HASH_HEX];

			if (seq != expect) {
				rep->bad_seq = expect;
				snprintf(rep->msg, sizeof(rep->msg),
					 "缺少第 %" PRId64 " 条记录（下一条为第 %" PRId64 " 条）",
					 expect, seq);
				broken = 1;
				break;
			}
			store_audit_hash(prev, seq, store_cell(r, i, 1), &e, h);
			if (stored_prev == NULL || strcmp(stored_prev, prev) != 0) {
				rep->bad_seq = seq;
				snprintf(rep->msg, sizeof(rep->msg),
					 "第 %" PRId64 " 条记录的前序哈希与上一条不符", seq);
				broken = 1;
			} else if (stored == NULL || strcmp(stored, h) != 0) {
				rep->bad_seq = seq;
				snprintf(rep->msg, sizeof(rep->msg),
					 "第 %" PRId64 " 条记录的内容与其哈希不符（被改动过）",
					 seq);
				broken = 1;
			} else {
				memcpy(prev, stored, AUDIT_HASH_HEX);
				expect++;
				rep->count++;
			}
		}
		if (!broken && r->rows == 0) { /* the tail up to the head is gone */
			rep->bad_seq = expect;
			snprintf(rep->msg, sizeof(rep->msg),
				 "缺少第 %" PRId64 " 条至第 %" PRId64 " 条记录（被删除）", expect,
				 head_seq);
			broken = 1;
		}
		store_result_free(r);
		r = NULL;
	}
	if (broken)
		return 1;
	/* The head must point at the last entry: a rewritten tail shows here. */
	if (strcmp(head_hash, prev) != 0) {
		rep->bad_seq = head_seq > 0 ? head_seq : 1;
		snprintf(rep->msg, sizeof(rep->msg),
			 "审计日志头（第 %" PRId64 " 条）的哈希与最后一条记录不符：记录被改动",
			 head_seq);
		return 1;
	}
	/* Entries beyond a head that has not moved were not appended by yiye. */
	rc = store_query_int(c, "SELECT count(*) FROM audit_log WHERE district = ? AND seq > ?",
			     (struct store_param[]){SP_TEXT(rep->district), SP_INT(head_seq)}, 2, 0,
			     &later, err);
	if (rc == 0 && later > 0)
		rc = store_query_int(c, "SELECT seq FROM audit_head WHERE district = ?",
				     (struct store_param[]){SP_TEXT(rep->district)}, 1, -1,
				     &head_again, err);
	if (rc < 0)
		return rc;
	if (later > 0 && head_again == head_seq) {
		rep->bad_seq = head_seq + 1;
		snprintf(rep->msg, sizeof(rep->msg),
			 "第 %" PRId64 " 条之后有 %" PRId64
			 " 条记录不在哈希链上（审计日志头未记录）",
			 head_seq, later);
		return 1;
	}
	return 0;
}

int store_chains_verify(struct store *s, const char *districts_sql, chain_verify_fn verify_one,
			struct audit_chain_report **out, int *n, struct yerr *err)
{
	struct store_conn *c;
	struct store_result *d = NULL;
	struct audit_chain_report *reps = NULL;
	int rc, broken = 0;

	*out = NULL;
	*n = 0;
	if ((rc = store_acquire(s, &c, err)) < 0)
		return rc;
	rc = store_exec(c, districts_sql, NULL, 0, &d, err);
	if (rc < 0)
		goto out;
	reps = calloc(d->rows ? (size_t)d->rows : 1, sizeof(*reps));
	if (reps == NULL)
		abort();
	for (int i = 0; i < d->rows; i++) {
		snprintf(reps[i].district, sizeof(reps[i].district), "%s", store_cell(d, i, 0));
		if ((rc = verify_one(c, &reps[i], err)) < 0)
			goto out;
		broken |= rc;
	}
	*n = d->rows;
	*out = reps;
	reps = NULL;
	rc = 0;
out:
	free(reps);
	store_result_free(d);
	store_release(c);
	return rc < 0 ? rc : broken;
}

int store_audit_verify(struct store *s, struct audit_chain_report **out, int *n, struct yerr *err)
{
	return store_chains_verify(s,
				   "SELECT district FROM audit_head UNION SELECT district FROM "
				   "audit_log ORDER BY district",
				   verify_chain, out, n, err);
}
