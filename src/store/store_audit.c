/*
 * store_audit.c — SQL and hashing of the audit trail. See store_audit.h.
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

int store_audit_append(struct store_conn *c, const struct audit_entry *e, int64_t *seq_out,
		       struct yerr *err)
{
	struct store_result *r;
	char prev[AUDIT_HASH_HEX], hash[AUDIT_HASH_HEX];
	int64_t seq;
	int rc;

	rc = store_exec(c, "UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash",
			NULL, 0, &r, err);
	if (rc < 0)
		return rc;
	if (r->rows != 1) {
		store_result_free(r);
		return yerr_set(err, 500, "audit_head", "", "审计日志头记录缺失"), STORE_EINTERNAL;
	}
	seq = store_cell_int(r, 0, 0, 0);
	snprintf(prev, sizeof(prev), "%s", store_cell(r, 0, 1) ? store_cell(r, 0, 1) : "");
	store_result_free(r);
	store_audit_hash(prev, seq, D, e, hash);
	rc = store_exec(
	    c,
	    "INSERT INTO audit_log (seq, district, ts, actor, role, department, action, "
	    "object, request_id, outcome, client, detail, prev_hash, hash) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    (struct store_param[]){
		SP_INT(seq), SP_TEXT(D), SP_INT(e->ts_ms), SP_TEXT(e->actor ? e->actor : ""),
		SP_TEXT(e->role ? e->role : ""), SP_TEXT(e->department ? e->department : ""),
		SP_TEXT(e->action ? e->action : ""), SP_TEXT(e->object ? e->object : ""),
		SP_TEXT(e->request_id ? e->request_id : ""), SP_TEXT(e->outcome ? e->outcome : ""),
		SP_TEXT(e->client ? e->client : ""), SP_TEXT(e->detail ? e->detail : ""),
		SP_TEXT(prev), SP_TEXT(hash)},
	    14, NULL, err);
	if (rc < 0)
		return rc;
	rc = store_exec(c, "UPDATE audit_head SET hash = ? WHERE id = 1",
			(struct store_param[]){SP_TEXT(hash)}, 1, NULL, err);
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
	if (f && f->actor && *f->actor) {
		strncat(sql, " AND actor = ?", sqlsz - strlen(sql) - 1);
		p[n++] = SP_TEXT(f->actor);
	}
	if (f && f->action && *f->action) {
		strncat(sql, " AND action = ?", sqlsz - strlen(sql) - 1);
		p[n++] = SP_TEXT(f->action);
	}
	if (f && f->from_ms) {
		strncat(sql, " AND ts >= ?", sqlsz - strlen(sql) - 1);
		p[n++] = SP_INT(f->from_ms);
	}
	if (f && f->to_ms) {
		strncat(sql, " AND ts < ?", sqlsz - strlen(sql) - 1);
		p[n++] = SP_INT(f->to_ms);
	}
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

int store_audit_verify(struct store *s, int64_t *count, int64_t *bad_seq, char *msg, size_t msgsz,
		       struct yerr *err)
{
	struct store_conn *c;
	char prev[AUDIT_HASH_HEX] = ZERO_HASH;
	int64_t expect = 1, head_seq;
	struct store_result *r = NULL;
	int rc, broken = 0;

	*count = 0;
	*bad_seq = 0;
	msg[0] = '\0';
	if ((rc = store_acquire(s, &c, err)) < 0)
		return rc;
	for (;;) {
		rc = store_exec(
		    c,
		    "SELECT seq, district, ts, actor, role, department, action, object, "
		    "request_id, outcome, client, detail, prev_hash, hash FROM audit_log "
		    "WHERE seq >= ? ORDER BY seq LIMIT ?",
		    (struct store_param[]){SP_INT(expect), SP_INT(VERIFY_PAGE)}, 2, &r, err);
		if (rc < 0)
			goto out;
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
				*bad_seq = expect;
				snprintf(msg, msgsz,
					 "缺少第 %" PRId64 " 条记录（下一条为第 %" PRId64 " 条）",
					 expect, seq);
				broken = 1;
				break;
			}
			store_audit_hash(prev, seq, store_cell(r, i, 1), &e, h);
			if (stored_prev == NULL || strcmp(stored_prev, prev) != 0) {
				*bad_seq = seq;
				snprintf(msg, msgsz, "第 %" PRId64 " 条记录的前序哈希与上一条不符",
					 seq);
				broken = 1;
			} else if (stored == NULL || strcmp(stored, h) != 0) {
				*bad_seq = seq;
				snprintf(msg, msgsz,
					 "第 %" PRId64 " 条记录的内容与其哈希不符（被改动过）",
					 seq);
				broken = 1;
			} else {
				memcpy(prev, stored, AUDIT_HASH_HEX);
				expect++;
				(*count)++;
			}
		}
		if (broken || r->rows < VERIFY_PAGE)
			break;
		store_result_free(r);
		r = NULL;
	}
	store_result_free(r);
	r = NULL;
	if (broken)
		goto out;
	/* The head must point at the last entry: a deleted tail shows here. */
	rc = store_exec(c, "SELECT seq, hash FROM audit_head WHERE id = 1", NULL, 0, &r, err);
	if (rc < 0)
		goto out;
	head_seq = store_cell_int(r, 0, 0, -1);
	if (head_seq != expect - 1 || store_cell(r, 0, 1) == NULL ||
	    strcmp(store_cell(r, 0, 1), prev) != 0) {
		*bad_seq = head_seq > expect - 1 ? expect : head_seq;
		snprintf(msg, msgsz,
			 "审计日志头（第 %" PRId64 " 条）与最后一条记录（第 %" PRId64
			 " 条）不符：记录被删除或改动",
			 head_seq, expect - 1);
		broken = 1;
	}
out:
	store_result_free(r);
	store_release(c);
	return rc < 0 ? rc : broken;
}
