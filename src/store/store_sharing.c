/*
 * store_sharing.c — SQL and hashing of data sharing (store_sharing.h).
 *
 * The access log copies the audit trail's design (store_audit.c): one chain
 * per district, ordered by the district's head row, so a shared read of one
 * district never queues behind another district's, and the chain costs one
 * SHA-256 per entry. Alternatives weighed for the hot path: a chain per
 * token (no total order of a district's accesses to review, and a token's
 * chain could be dropped whole unnoticed); one chain per database (every
 * district's reads would queue on one row: the city-wide write lock the
 * design avoids).
 */
#include "store/store_sharing.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"
#define VERIFY_PAGE 1000

/* tokens -------------------------------------------------------------------- */

int store_sharing_token_get(struct store_conn *c, const char *district, int64_t id,
			    struct sharing_token *t, struct yerr *err)
{
	struct store_result *r;
	int rc = store_query_row(c,
				 "SELECT id, name, department, purposes, rate_per_minute, "
				 "last_used_at FROM api_tokens WHERE district = ? AND id = ?",
				 (struct store_param[]){SP_TEXT(district), SP_INT(id)}, 2, &r, 404,
				 "token_not_found", "令牌不存在", err);

	if (rc < 0)
		return rc;
	memset(t, 0, sizeof(*t));
	t->id = store_cell_int(r, 0, 0, 0);
	store_cell_copy(r, 0, 1, t->name, sizeof(t->name));
	store_cell_copy(r, 0, 2, t->department, sizeof(t->department));
	store_cell_copy(r, 0, 3, t->purposes, sizeof(t->purposes));
	t->rate_per_minute = (int)store_cell_int(r, 0, 4, 0);
	t->last_used_at = store_cell_int(r, 0, 5, 0);
	store_result_free(r);
	return 0;
}

int store_sharing_token_set(struct store_conn *c, const char *district, int64_t id,
			    const char *department, const char *purposes, int rate_per_minute,
			    struct yerr *err)
{
	struct store_result *r = NULL;
	int rc =
	    store_exec(c,
		       "UPDATE api_tokens SET department = ?, purposes = ?, rate_per_minute = ? "
		       "WHERE district = ? AND id = ?",
		       (struct store_param[]){
			   SP_TEXT(department ? department : ""), SP_TEXT(purposes ? purposes : ""),
			   rate_per_minute > 0 ? SP_INT(rate_per_minute) : SP_NULL,
			   SP_TEXT(district), SP_INT(id)},
		       5, &r, err);

	if (rc == 0 && r->changes == 0) {
		yerr_set(err, 404, "token_not_found", "", "令牌不存在");
		rc = STORE_ENOTFOUND;
	}
	store_result_free(r);
	return rc;
}

int store_sharing_token_touch(struct store_conn *c, const char *district, int64_t id, int64_t now,
			      struct yerr *err)
{
	return store_exec(c, "UPDATE api_tokens SET last_used_at = ? WHERE district = ? AND id = ?",
			  (struct store_param[]){SP_INT(now), SP_TEXT(district), SP_INT(id)}, 3,
			  NULL, err);
}

/* shared reads -------------------------------------------------------------- */

static const struct {
	const char *name;
	const char *ints; /* integer columns */
	const char *sql;  /* params: district, uscc (twice for credit) */
} kinds[SHARING_KIND_COUNT] = {
    /* every version, current first; doc carries the permits (the handler
       keeps only those); legal_rep and address are on the printed license */
    [SHARING_LICENSES] = {"licenses", "version current",
			  "SELECT number, version, is_current AS current, status, holder_name, "
			  "holder_uscc AS uscc, industry, industry_name, valid_from, valid_until, "
			  "issued_on, status_reason, doc FROM licenses "
			  "WHERE district = ? AND holder_uscc = ? "
			  "ORDER BY is_current DESC, number, version DESC LIMIT 500"},
    /* the publicly disclosed part only: fields may hold contact phones */
    [SHARING_ANNUAL_REPORTS] = {"annual-reports", "year late",
				"SELECT year, entity_name, industry, public_fields, filed_on, "
				"late FROM annual_reports WHERE district = ? AND uscc = ? "
				"ORDER BY year DESC LIMIT 500"},
    [SHARING_PENALTIES] = {"penalties", "amount",
			   "SELECT decision_no, entity_name, department, kind, facts, basis, "
			   "amount, decided_on, license_number FROM penalties "
			   "WHERE district = ? AND uscc = ? ORDER BY decided_on DESC, id DESC "
			   "LIMIT 500"},
    /* the grade first (_ord 0), then the records; _ord is not answered */
    [SHARING_CREDIT] = {"credit", "points _ord",
			"SELECT 'grade' AS kind, grade, points, since AS day, "
			"NULL AS expires_on, NULL AS cleared_on, '' AS department, "
			"'' AS severity, '' AS summary, 0 AS _ord FROM credit_grades "
			"WHERE district = ? AND uscc = ? "
			"UNION ALL SELECT kind, NULL, points, day, expires_on, cleared_on, "
			"department, severity, summary, 1 FROM credit_records "
			"WHERE district = ? AND uscc = ? ORDER BY _ord, day DESC LIMIT 500"},
    /* status only: an application's form and materials hold personal data */
    [SHARING_APPLICATIONS] = {"applications", "submitted_at decided_at",
			      "SELECT a.number, a.kind, a.industry, a.status, a.submitted_at, "
			      "a.decided_at, a.license_number FROM applications a "
			      "JOIN entities e ON e.id = a.entity_id AND e.district = a.district "
			      "WHERE a.district = ? AND e.uscc = ? AND a.status <> 'draft' "
			      "ORDER BY a.id DESC LIMIT 500"},
    /* finished checks only: an open task is an unannounced inspection */
    [SHARING_INSPECTIONS] =
	{"inspections", "published_at",
	 "SELECT p.code AS plan, p.title AS plan_title, t.kind, "
	 "t.entity_name, t.industry, t.check_items, t.outcome, t.done_on, "
	 "t.published_at FROM check_tasks t "
	 "LEFT JOIN spot_plans p ON p.id = t.plan_id AND p.district = t.district "
	 "WHERE t.district = ? AND t.uscc = ? AND t.status = 'done' "
	 "ORDER BY t.done_on DESC, t.id DESC LIMIT 500"},
};

const char *sharing_kind_name(enum sharing_kind k)
{
	return (unsigned)k < SHARING_KIND_COUNT ? kinds[k].name : NULL;
}

const char *sharing_kind_int_columns(enum sharing_kind k)
{
	return (unsigned)k < SHARING_KIND_COUNT ? kinds[k].ints : "";
}

int store_sharing_read(struct store_conn *c, const char *district, enum sharing_kind k,
		       const char *uscc, struct store_result **out, struct yerr *err)
{
	*out = NULL;
	if ((unsigned)k >= SHARING_KIND_COUNT)
		return yerr_set(err, 404, "not_found", "", "资源不存在"), STORE_ENOTFOUND;
	return store_exec(c, kinds[k].sql,
			  (struct store_param[]){SP_TEXT(district), SP_TEXT(uscc),
						 SP_TEXT(district), SP_TEXT(uscc)},
			  k == SHARING_CREDIT ? 4 : 2, out, err);
}

/* the access log ------------------------------------------------------------ */

/* "<length>:<value>\n", the length in decimal (what "%zu:" printed: the
 * appender hashes every entry of the log, and snprintf was most of it). */
static void put_bytes(crypto_hash_sha256_state *st, const char *v, size_t n)
{
	char len[24];
	int i = (int)sizeof(len);
	size_t k = n;

	len[--i] = ':';
	do {
		len[--i] = (char)('0' + k % 10);
		k /= 10;
	} while (k > 0);
	crypto_hash_sha256_update(st, (const unsigned char *)len + i,
				  (unsigned long long)(sizeof(len) - (size_t)i));
	crypto_hash_sha256_update(st, (const unsigned char *)v, (unsigned long long)n);
	crypto_hash_sha256_update(st, (const unsigned char *)"\n", 1);
}

static void put_field(crypto_hash_sha256_state *st, const char *v)
{
	if (v == NULL)
		v = "";
	put_bytes(st, v, strlen(v));
}

/* v in decimal as "%" PRId64 writes it, hashed as a field. */
static void put_int(crypto_hash_sha256_state *st, int64_t v)
{
	char num[24];
	int i = (int)sizeof(num) - 1;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	num[i] = '\0';
	do {
		num[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u > 0);
	if (v < 0)
		num[--i] = '-';
	put_bytes(st, num + i, (size_t)(sizeof(num) - 1 - (size_t)i));
}

void store_sharing_hash(const char *prev_hash, int64_t seq, const char *district,
			const struct sharing_entry *e, char out[SHARING_HASH_HEX])
{
	crypto_hash_sha256_state st;
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256_init(&st);
	put_field(&st, prev_hash);
	put_int(&st, seq);
	put_int(&st, e->ts_ms);
	put_field(&st, district);
	put_int(&st, e->token_id);
	put_field(&st, e->token_name);
	put_field(&st, e->department);
	put_field(&st, e->uscc);
	put_field(&st, e->kind);
	put_field(&st, e->purpose);
	put_field(&st, e->purpose_text);
	put_int(&st, e->status);
	put_field(&st, e->request_id);
	crypto_hash_sha256_final(&st, h);
	sodium_bin2hex(out, SHARING_HASH_HEX, h, sizeof(h));
}

/* Reserves n seqs of the district's chain: the UPDATE holds the head row
 * until the caller's transaction ends; *first receives the first seq and
 * prev the hash before it. A district's first entry creates its head (ON
 * CONFLICT: two first entries at once create it once). */
static int chain_reserve(struct store_conn *c, const char *district, int n, int64_t *first,
			 char *prev, struct yerr *err)
{
	struct store_result *r = NULL;
	int rc;

	for (int attempt = 0; attempt < 2; attempt++) {
		rc = store_exec(c,
				"UPDATE sharing_head SET seq = seq + ? WHERE district = ? "
				"RETURNING seq, hash",
				(struct store_param[]){SP_INT(n), SP_TEXT(district)}, 2, &r, err);
		if (rc < 0)
			return rc;
		if (r->rows == 1) {
			*first = store_cell_int(r, 0, 0, 0) - n + 1;
			store_cell_copy(r, 0, 1, prev, SHARING_HASH_HEX);
			store_result_free(r);
			return 0;
		}
		store_result_free(r);
		r = NULL;
		rc = store_exec(c,
				"INSERT INTO sharing_head (district, seq, hash) VALUES (?, 0, ?) "
				"ON CONFLICT (district) DO NOTHING",
				(struct store_param[]){SP_TEXT(district), SP_TEXT(ZERO_HASH)}, 2,
				NULL, err);
		if (rc < 0)
			return rc;
	}
	yerr_set(err, 500, "sharing_head", "", "共享访问日志头记录缺失");
	return STORE_EINTERNAL;
}

/* Rows per INSERT statement of store_sharing_append: one statement per row
 * cost a round trip each on PostgreSQL and most of the appender's time on
 * SQLite (fix-shared); 32 rows are 448 parameters, under every limit. */
#define APPEND_ROWS 32
#define APPEND_COLS 14

/* "INSERT … VALUES (?…),(?…)…" for rows rows. */
static void append_sql(int rows, char *sql, size_t sz)
{
	size_t len;

	snprintf(sql, sz,
		 "INSERT INTO sharing_log (district, seq, ts, token_id, token_name, department, "
		 "uscc, kind, purpose, purpose_text, status, request_id, prev_hash, hash) VALUES ");
	len = strlen(sql);
	for (int i = 0; i < rows; i++) {
		snprintf(sql + len, sz - len, "%s(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			 i ? ", " : "");
		len += strlen(sql + len);
	}
}

int store_sharing_append(struct store_conn *c, const char *district, const struct sharing_entry *e,
			 int n, int64_t *first_seq, struct yerr *err)
{
	static const char empty[] = "";
	char hashes[APPEND_ROWS + 1][SHARING_HASH_HEX], sql[64 + APPEND_ROWS * 48 + 256];
	struct store_param p[APPEND_ROWS * APPEND_COLS];
	int64_t seq;
	int rc;

	if (district == NULL || *district == '\0')
		district = STORE_DEFAULT_DISTRICT;
	if (n <= 0)
		return 0;
	if ((rc = chain_reserve(c, district, n, &seq, hashes[0], err)) < 0)
		return rc;
	if (first_seq)
		*first_seq = seq;
	for (int from = 0; from < n;) {
		/* a full statement of APPEND_ROWS rows, else what is left one by one,
		   so only two statements are ever prepared */
		int rows = n - from >= APPEND_ROWS ? APPEND_ROWS : 1, k = 0;

		for (int i = 0; i < rows; i++, seq++) {
			const struct sharing_entry *x = &e[from + i];

			store_sharing_hash(hashes[i], seq, district, x, hashes[i + 1]);
			p[k++] = SP_TEXT(district);
			p[k++] = SP_INT(seq);
			p[k++] = SP_INT(x->ts_ms);
			p[k++] = SP_INT(x->token_id);
			p[k++] = SP_TEXT(x->token_name ? x->token_name : empty);
			p[k++] = SP_TEXT(x->department ? x->department : empty);
			p[k++] = SP_TEXT(x->uscc ? x->uscc : empty);
			p[k++] = SP_TEXT(x->kind ? x->kind : empty);
			p[k++] = SP_TEXT(x->purpose ? x->purpose : empty);
			p[k++] = SP_TEXT(x->purpose_text ? x->purpose_text : empty);
			p[k++] = SP_INT(x->status);
			p[k++] = SP_TEXT(x->request_id ? x->request_id : empty);
			p[k++] = SP_TEXT(hashes[i]);
			p[k++] = SP_TEXT(hashes[i + 1]);
		}
		append_sql(rows, sql, sizeof(sql));
		rc = store_exec(c, sql, p, k, NULL, err);
		if (rc < 0)
			return rc;
		/* the last hash is the next statement's first prev */
		memcpy(hashes[0], hashes[rows], SHARING_HASH_HEX);
		from += rows;
	}
	return store_exec(c, "UPDATE sharing_head SET hash = ? WHERE district = ?",
			  (struct store_param[]){SP_TEXT(hashes[0]), SP_TEXT(district)}, 2, NULL,
			  err);
}

#define LOG_COLS                                                                                 \
	"seq, ts, token_id, token_name, department, uscc, kind, purpose, purpose_text, status, " \
	"request_id, hash"

/* The WHERE clause of a filter: only fixed fragments are concatenated, every
 * value is bound. */
static int log_where(const char *district, const struct sharing_filter *f, char *sql, size_t sqlsz,
		     struct store_param *p)
{
	int n = 0;

	snprintf(sql, sqlsz, " WHERE district = ?");
	p[n++] = SP_TEXT(district);
	if (f && f->token_id)
		store_where_add(sql, sqlsz, " AND token_id = ?", p, &n, SP_INT(f->token_id));
	if (f && f->uscc && *f->uscc)
		store_where_add(sql, sqlsz, " AND uscc = ?", p, &n, SP_TEXT(f->uscc));
	if (f && f->department)
		store_where_add(sql, sqlsz, " AND department = ?", p, &n, SP_TEXT(f->department));
	if (f && f->from_ms)
		store_where_add(sql, sqlsz, " AND ts >= ?", p, &n, SP_INT(f->from_ms));
	if (f && f->to_ms)
		store_where_add(sql, sqlsz, " AND ts < ?", p, &n, SP_INT(f->to_ms));
	return n;
}

int store_sharing_list(struct store_conn *c, const char *district, const struct sharing_filter *f,
		       int limit, int offset, struct store_result **out, int64_t *total,
		       struct yerr *err)
{
	char where[256], sql[512];
	struct store_param p[10];
	int n = log_where(district, f, where, sizeof(where), p), rc;

	*out = NULL;
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM sharing_log%s", where);
	if ((rc = store_query_int(c, sql, p, n, 0, total, err)) < 0)
		return rc;
	if (limit <= 0)
		limit = 1000000;
	p[n++] = SP_INT(limit);
	p[n++] = SP_INT(offset);
	snprintf(sql, sizeof(sql),
		 "SELECT " LOG_COLS " FROM sharing_log%s ORDER BY seq DESC LIMIT ? OFFSET ?",
		 where);
	return store_exec(c, sql, p, n, out, err);
}

/* Verifies one district's chain, head first (every entry up to the head's
 * seq had committed when it was read, so live appends cannot make an intact
 * chain look broken). 0 intact, 1 broken, negative on error. */
static int verify_chain(struct store_conn *c, struct audit_chain_report *rep, struct yerr *err)
{
	char prev[SHARING_HASH_HEX] = ZERO_HASH, head_hash[SHARING_HASH_HEX] = "";
	struct store_result *r = NULL;
	int64_t expect = 1, head_seq = -1, later = 0;
	int rc, broken = 0;

	rc = store_exec(c, "SELECT seq, hash FROM sharing_head WHERE district = ?",
			(struct store_param[]){SP_TEXT(rep->district)}, 1, &r, err);
	if (rc < 0)
		return rc;
	if (r->rows == 1) {
		head_seq = store_cell_int(r, 0, 0, -1);
		store_cell_copy(r, 0, 1, head_hash, sizeof(head_hash));
	}
	store_result_free(r);
	r = NULL;
	if (head_seq < 0) {
		rep->bad_seq = 1;
		snprintf(rep->msg, sizeof(rep->msg),
			 "缺少该区的共享访问日志头记录（头记录被删除）");
		return 1;
	}
	while (!broken && expect <= head_seq) {
		rc = store_exec(c,
				"SELECT seq, ts, token_id, token_name, department, uscc, kind, "
				"purpose, purpose_text, status, request_id, prev_hash, hash "
				"FROM sharing_log WHERE district = ? AND seq >= ? AND seq <= ? "
				"ORDER BY seq LIMIT ?",
				(struct store_param[]){SP_TEXT(rep->district), SP_INT(expect),
						       SP_INT(head_seq), SP_INT(VERIFY_PAGE)},
				4, &r, err);
		if (rc < 0)
			return rc;
		for (int i = 0; i < r->rows && !broken; i++) {
			int64_t seq = store_cell_int(r, i, 0, 0);
			struct sharing_entry e = {
			    .ts_ms = store_cell_int(r, i, 1, 0),
			    .token_id = store_cell_int(r, i, 2, 0),
			    .token_name = store_cell(r, i, 3),
			    .department = store_cell(r, i, 4),
			    .uscc = store_cell(r, i, 5),
			    .kind = store_cell(r, i, 6),
			    .purpose = store_cell(r, i, 7),
			    .purpose_text = store_cell(r, i, 8),
			    .status = (int)store_cell_int(r, i, 9, 0),
			    .request_id = store_cell(r, i, 10),
			};
			const char *stored_prev = store_cell(r, i, 11),
				   *stored = store_cell(r, i, 12);
			char h[SHARING_HASH_HEX];

			if (seq != expect) {
				rep->bad_seq = expect;
				snprintf(rep->msg, sizeof(rep->msg),
					 "缺少第 %" PRId64 " 条记录（下一条为第 %" PRId64 " 条）",
					 expect, seq);
				broken = 1;
				break;
			}
			store_sharing_hash(prev, seq, rep->district, &e, h);
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
				memcpy(prev, stored, SHARING_HASH_HEX);
				expect++;
				rep->count++;
			}
		}
		if (!broken && r->rows == 0) {
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
	if (strcmp(head_hash, prev) != 0) {
		rep->bad_seq = head_seq > 0 ? head_seq : 1;
		snprintf(rep->msg, sizeof(rep->msg),
			 "共享访问日志头（第 %" PRId64 " 条）的哈希与最后一条记录不符：记录被改动",
			 head_seq);
		return 1;
	}
	/* rows beyond the head: not appended by yiye, unless the head moved on
	   meanwhile (a live append) */
	rc = store_query_int(c, "SELECT count(*) FROM sharing_log WHERE district = ? AND seq > ?",
			     (struct store_param[]){SP_TEXT(rep->district), SP_INT(head_seq)}, 2, 0,
			     &later, err);
	if (rc == 0 && later > 0) {
		int64_t head_again = -1;

		rc = store_query_int(c, "SELECT seq FROM sharing_head WHERE district = ?",
				     (struct store_param[]){SP_TEXT(rep->district)}, 1, -1,
				     &head_again, err);
		if (rc == 0 && head_again == head_seq) {
			rep->bad_seq = head_seq + 1;
			snprintf(rep->msg, sizeof(rep->msg),
				 "第 %" PRId64 " 条之后有 %" PRId64 " 条记录不在哈希链上", head_seq,
				 later);
			return 1;
		}
	}
	return rc < 0 ? rc : 0;
}

int store_sharing_verify(struct store *s, struct audit_chain_report **out, int *n, struct yerr *err)
{
	if (sodium_init() < 0)
		abort();
	return store_chains_verify(s,
				   "SELECT district FROM sharing_head UNION SELECT district FROM "
				   "sharing_log ORDER BY district",
				   verify_chain, out, n, err);
}
