/*
 * store_catalog.c — SQL of catalog versions and proposals (store_catalog.h).
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store_catalog.h"

#define PROPOSAL_COLS                                                                      \
	"id, kind, industry, title, reason, detail, department, proposed_by, created_at, " \
	"status, decided_by, decided_at, decision_comment, included_in"

/* sha256_hex writes the lower-case hex SHA-256 of text into out[65]. */
static void sha256_hex(const char *text, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, (const unsigned char *)text, strlen(text));
	sodium_bin2hex(out, 65, h, sizeof(h));
}

/* run_hook calls the caller's in-transaction hook for object kind:id. */
static int run_hook(const struct store_catalog_hook *hook, struct store_conn *c, const char *kind,
		    int64_t id, struct yerr *err)
{
	char object[64];

	if (hook == NULL || hook->fn == NULL)
		return 0;
	snprintf(object, sizeof(object), "%s:%lld", kind, (long long)id);
	return hook->fn(c, hook->ud, object, err) < 0 ? -1 : 0;
}

static json_t *cell_str(const struct store_result *r, int row, int col)
{
	const char *v = store_cell(r, row, col);

	return v ? json_string(v) : json_null();
}

static json_t *cell_int(const struct store_result *r, int row, int col)
{
	return store_cell(r, row, col) ? json_integer(store_cell_int(r, row, col, 0)) : json_null();
}

int store_catalog_count(struct store *s, const char *district, int64_t *n, struct yerr *err)
{
	struct store_conn *c;
	int rc;

	if ((rc = store_acquire(s, &c, err)) < 0)
		return rc;
	rc = store_query_int(c, "SELECT count(*) FROM catalog_versions WHERE district = ?",
			     (struct store_param[]){SP_TEXT(district)}, 1, 0, n, err);
	store_release(c);
	return rc;
}

/* mark_included marks the proposals of v included in version (inside the
 * publishing transaction). */
static int mark_included(struct store_conn *c, const struct store_catalog_new *v, long version,
			 struct yerr *err)
{
	int rc;

	if (v->all_approved)
		return store_exec(
		    c,
		    "UPDATE catalog_proposals SET status = 'included', included_in = ? "
		    "WHERE district = ? AND status = 'approved'",
		    (struct store_param[]){SP_INT(version), SP_TEXT(v->district)}, 2, NULL, err);
	for (size_t i = 0; i < v->nids; i++) {
		struct store_result *res = NULL;

		rc = store_exec(c,
				"UPDATE catalog_proposals SET status = 'included', included_in = ? "
				"WHERE district = ? AND id = ? AND status = 'approved'",
				(struct store_param[]){SP_INT(version), SP_TEXT(v->district),
						       SP_INT(v->ids[i])},
				3, &res, err);
		if (rc < 0)
			return rc;
		if (res->changes != 1) {
			char field[32];

			store_result_free(res);
			snprintf(field, sizeof(field), "proposals[%zu]", i);
			return yerr_set(err, 400, "proposal_not_approved", field,
					"建议 %lld 不存在或未获批准，不能纳入新版本",
					(long long)v->ids[i]);
		}
		store_result_free(res);
	}
	return 0;
}

/* retire_active demotes the active version of district (if any) to retired;
 * *previous receives its number or 0. */
static int retire_active(struct store_conn *c, const char *district, long *previous,
			 struct yerr *err)
{
	int64_t prev = 0;
	int rc;

	rc = store_query_int(c,
			     "SELECT version FROM catalog_versions WHERE district = ? AND "
			     "status = 'active'",
			     (struct store_param[]){SP_TEXT(district)}, 1, 0, &prev, err);
	if (rc == 0 && prev > 0)
		rc = store_exec(c,
				"UPDATE catalog_versions SET status = 'retired' "
				"WHERE district = ? AND version = ?",
				(struct store_param[]){SP_TEXT(district), SP_INT(prev)}, 2, NULL,
				err);
	*previous = (long)prev;
	return rc;
}

int store_catalog_publish(struct store *s, const struct store_catalog_new *v,
			  const struct store_catalog_hook *hook, long *version_out,
			  struct yerr *err)
{
	struct store_conn *c;
	char sha[65];
	int64_t max = 0, n = 0;
	long version, previous;
	time_t now = time(NULL);
	int rc;

	*version_out = 0;
	sha256_hex(v->document, sha);
	if ((rc = store_acquire(s, &c, err)) < 0)
		return rc;
	/* The next number and the one active version depend on all the
	 * district's versions: publishers and activators of one district take
	 * turns (other districts do not wait). */
	if ((rc = store_begin(c, err)) < 0 ||
	    (rc = store_lock_key(c, "catalog_versions", v->district, err)) < 0)
		goto out;
	rc = store_query_int(c, "SELECT count(*) FROM catalog_versions WHERE district = ?",
			     (struct store_param[]){SP_TEXT(v->district)}, 1, 0, &n, err);
	if (rc < 0)
		goto out;
	if (n > 0 && v->only_if_empty) {
		store_rollback(c);
		goto out;
	}
	rc = store_query_int(c, "SELECT max(version) FROM catalog_versions WHERE district = ?",
			     (struct store_param[]){SP_TEXT(v->district)}, 1, 0, &max, err);
	if (rc < 0)
		goto out;
	version = (long)max + 1;
	if (v->activate && (rc = retire_active(c, v->district, &previous, err)) < 0)
		goto out;
	rc = store_exec(c,
			"INSERT INTO catalog_versions (district, version, status, created_at, "
			"created_by, note, sha256, document, activated_at) "
			"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
			(struct store_param[]){
			    SP_TEXT(v->district), SP_INT(version),
			    SP_TEXT(v->activate ? "active" : "published"), SP_INT(now),
			    SP_TEXT(v->created_by), SP_TEXT(v->note ? v->note : ""), SP_TEXT(sha),
			    SP_TEXT(v->document), v->activate ? SP_INT(now) : SP_NULL},
			9, NULL, err);
	if (rc == STORE_ECONFLICT)
		yerr_set(err, 409, "version_conflict", "", "同时发布了另一个目录版本，请重试");
	if (rc < 0)
		goto out;
	if ((rc = mark_included(c, v, version, err)) < 0)
		goto out;
	if ((rc = run_hook(hook, c, "catalog_version", version, err)) < 0)
		goto out;
	if ((rc = store_commit(c, err)) == 0)
		*version_out = version;
out:
	store_release(c); /* rolls back an open transaction */
	return rc;
}

int store_catalog_document(struct store *s, const char *district, long version, char **doc,
			   long *version_out, struct yerr *err)
{
	struct store_result *res = NULL;
	struct store_conn *c;
	char sha[65];
	int rc;

	*doc = NULL;
	*version_out = 0;
	if ((rc = store_acquire(s, &c, err)) < 0)
		return rc;
	if (version > 0)
		rc = store_exec(c,
				"SELECT version, sha256, document FROM catalog_versions "
				"WHERE district = ? AND version = ?",
				(struct store_param[]){SP_TEXT(district), SP_INT(version)}, 2, &res,
				err);
	else
		rc = store_exec(c,
				"SELECT version, sha256, document FROM catalog_versions "
				"WHERE district = ? AND status = 'active'",
				(struct store_param[]){SP_TEXT(district)}, 1, &res, err);
	store_release(c);
	if (rc < 0)
		return rc;
	if (res->rows == 0) {
		store_result_free(res);
		if (version > 0)
			return yerr_set(err, 404, "unknown_version", "version",
					"目录版本 %ld 不存在", version);
		return yerr_set(err, 404, "no_active_catalog", "", "尚无生效的行业目录版本");
	}
	sha256_hex(store_cell(res, 0, 2), sha);
	if (strcmp(sha, store_cell(res, 0, 1)) != 0) {
		rc =
		    yerr_set(err, 500, "catalog_corrupt", "",
			     "目录版本 %s 的内容与其校验值不符，已拒绝使用", store_cell(res, 0, 0));
		store_result_free(res);
		return rc;
	}
	*version_out = (long)store_cell_int(res, 0, 0, 0);
	*doc = strdup(store_cell(res, 0, 2));
	store_result_free(res);
	if (*doc == NULL)
		abort();
	return 0;
}

int store_catalog_activate(struct store *s, const char *district, long version,
			   const struct store_catalog_hook *hook, long *previous_out,
			   struct yerr *err)
{
	struct store_conn *c;
	int64_t exists = 0;
	long previous = 0;
	int rc;

	if (previous_out)
		*previous_out = 0;
	if ((rc = store_acquire(s, &c, err)) < 0)
		return rc;
	if ((rc = store_begin(c, err)) < 0 ||
	    (rc = store_lock_key(c, "catalog_versions", district, err)) < 0)
		goto out;
	rc = store_query_int(
	    c, "SELECT count(*) FROM catalog_versions WHERE district = ? AND version = ?",
	    (struct store_param[]){SP_TEXT(district), SP_INT(version)}, 2, 0, &exists, err);
	if (rc < 0)
		goto out;
	if (!exists) {
		rc = yerr_set(err, 404, "unknown_version", "version", "目录版本 %ld 不存在",
			      version);
		goto out;
	}
	if ((rc = retire_active(c, district, &previous, err)) < 0)
		goto out;
	rc = store_exec(
	    c,
	    "UPDATE catalog_versions SET status = 'active', activated_at = ? "
	    "WHERE district = ? AND version = ?",
	    (struct store_param[]){SP_INT(time(NULL)), SP_TEXT(district), SP_INT(version)}, 3, NULL,
	    err);
	if (rc == STORE_ECONFLICT)
		yerr_set(err, 409, "version_conflict", "", "同时启用了另一个目录版本，请重试");
	if (rc == 0)
		rc = run_hook(hook, c, "catalog_version", version, err);
	if (rc == 0)
		rc = store_commit(c, err);
	if (rc == 0 && previous_out)
		*previous_out = previous;
out:
	store_release(c);
	return rc;
}

int store_catalog_active_version(struct store *s, const char *district, long *version,
				 struct yerr *err)
{
	struct store_conn *c;
	int64_t v = 0;
	int rc;

	*version = 0;
	if ((rc = store_acquire(s, &c, err)) < 0)
		return rc;
	rc = store_query_int(c,
			     "SELECT version FROM catalog_versions WHERE district = ? AND "
			     "status = 'active'",
			     (struct store_param[]){SP_TEXT(district)}, 1, 0, &v, err);
	store_release(c);
	*version = (long)v;
	return rc;
}

int store_catalog_versions(struct store *s, const char *district, long limit, long offset,
			   json_t **items, long *total, struct yerr *err)
{
	struct store_result *res = NULL, *props = NULL;
	struct store_conn *c;
	int64_t n = 0;
	int rc;

	*items = NULL;
	*total = 0;
	if ((rc = store_acquire(s, &c, err)) < 0)
		return rc;
	rc = store_query_int(c, "SELECT count(*) FROM catalog_versions WHERE district = ?",
			     (struct store_param[]){SP_TEXT(district)}, 1, 0, &n, err);
	if (rc == 0)
		rc = store_exec(
		    c,
		    "SELECT version, status, created_at, created_by, note, sha256, "
		    "activated_at FROM catalog_versions WHERE district = ? "
		    "ORDER BY version DESC LIMIT ? OFFSET ?",
		    (struct store_param[]){SP_TEXT(district), SP_INT(limit), SP_INT(offset)}, 3,
		    &res, err);
	if (rc == 0)
		rc = store_exec(c,
				"SELECT included_in, id FROM catalog_proposals WHERE district = ? "
				"AND included_in IS NOT NULL ORDER BY id",
				(struct store_param[]){SP_TEXT(district)}, 1, &props, err);
	store_release(c);
	if (rc < 0)
		goto out;
	*items = json_array();
	for (int i = 0; i < res->rows; i++) {
		json_t *ids = json_array();
		int64_t v = store_cell_int(res, i, 0, 0);

		for (int k = 0; k < props->rows; k++)
			if (store_cell_int(props, k, 0, 0) == v)
				json_array_append_new(ids,
						      json_integer(store_cell_int(props, k, 1, 0)));
		json_array_append_new(
		    *items, json_pack("{s:I,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "version", (json_int_t)v,
				      "status", cell_str(res, i, 1), "created_at",
				      cell_int(res, i, 2), "created_by", cell_str(res, i, 3),
				      "note", cell_str(res, i, 4), "sha256", cell_str(res, i, 5),
				      "activated_at", cell_int(res, i, 6), "proposals", ids));
	}
	*total = (long)n;
out:
	store_result_free(res);
	store_result_free(props);
	return rc;
}

int store_catalog_proposal_insert(struct store *s, const struct store_catalog_proposal *p,
				  const struct store_catalog_hook *hook, int64_t *id_out,
				  struct yerr *err)
{
	struct store_result *res = NULL;
	struct store_conn *c;
	int64_t id = 0;
	int rc;

	*id_out = 0;
	if ((rc = store_acquire(s, &c, err)) < 0)
		return rc;
	if ((rc = store_begin(c, err)) < 0)
		goto out;
	rc = store_exec(c,
			"INSERT INTO catalog_proposals (district, kind, industry, title, reason, "
			"detail, department, proposed_by, created_at, status) "
			"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending') RETURNING id",
			(struct store_param[]){SP_TEXT(p->district), SP_TEXT(p->kind),
					       p->industry ? SP_TEXT(p->industry) : SP_NULL,
					       SP_TEXT(p->title), SP_TEXT(p->reason),
					       SP_TEXT(p->detail ? p->detail : ""),
					       p->department ? SP_TEXT(p->department) : SP_NULL,
					       SP_TEXT(p->proposed_by), SP_INT(time(NULL))},
			9, &res, err);
	if (rc < 0)
		goto out;
	id = store_cell_int(res, 0, 0, 0);
	if ((rc = run_hook(hook, c, "catalog_proposal", id, err)) < 0)
		goto out;
	if ((rc = store_commit(c, err)) == 0)
		*id_out = id;
out:
	store_result_free(res);
	store_release(c);
	return rc;
}

static json_t *proposal_json(const struct store_result *r, int i)
{
	return json_pack("{s:I,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "id",
			 (json_int_t)store_cell_int(r, i, 0, 0), "kind", cell_str(r, i, 1),
			 "industry", cell_str(r, i, 2), "title", cell_str(r, i, 3), "reason",
			 cell_str(r, i, 4), "detail", cell_str(r, i, 5), "department",
			 cell_str(r, i, 6), "proposed_by", cell_str(r, i, 7), "created_at",
			 cell_int(r, i, 8), "status", cell_str(r, i, 9), "decided_by",
			 cell_str(r, i, 10), "decided_at", cell_int(r, i, 11), "comment",
			 cell_str(r, i, 12), "included_in", cell_int(r, i, 13));
}

#define PROPOSAL_WHERE                                     \
	" FROM catalog_proposals WHERE district = ? "      \
	"AND (CAST(? AS TEXT) IS NULL OR department = ?) " \
	"AND (CAST(? AS TEXT) IS NULL OR status = ?)"

int store_catalog_proposals(struct store *s, const char *district, const char *department,
			    const char *status, long limit, long offset, json_t **items,
			    long *total, struct yerr *err)
{
	/* A NULL filter is bound as NULL and short-circuits its test: one
	 * statement for every combination, with parameters only. */
	struct store_param params[] = {SP_TEXT(district),
				       department ? SP_TEXT(department) : SP_NULL,
				       department ? SP_TEXT(department) : SP_NULL,
				       status ? SP_TEXT(status) : SP_NULL,
				       status ? SP_TEXT(status) : SP_NULL,
				       SP_INT(limit),
				       SP_INT(offset)};
	struct store_result *res = NULL;
	struct store_conn *c;
	int64_t n = 0;
	int rc;

	*items = NULL;
	*total = 0;
	if ((rc = store_acquire(s, &c, err)) < 0)
		return rc;
	rc = store_query_int(c, "SELECT count(*)" PROPOSAL_WHERE, params, 5, 0, &n, err);
	if (rc == 0)
		rc = store_exec(
		    c, "SELECT " PROPOSAL_COLS PROPOSAL_WHERE " ORDER BY id DESC LIMIT ? OFFSET ?",
		    params, 7, &res, err);
	store_release(c);
	if (rc == 0) {
		*items = json_array();
		for (int i = 0; i < res->rows; i++)
			json_array_append_new(*items, proposal_json(res, i));
		*total = (long)n;
	}
	store_result_free(res);
	return rc;
}

/* get_locked reads proposal id on connection c into *out. */
static int proposal_read(struct store_conn *c, const char *district, int64_t id, json_t **out,
			 struct yerr *err)
{
	struct store_result *res = NULL;
	int rc;

	*out = NULL;
	rc = store_exec(c,
			"SELECT " PROPOSAL_COLS " FROM catalog_proposals "
			"WHERE district = ? AND id = ?",
			(struct store_param[]){SP_TEXT(district), SP_INT(id)}, 2, &res, err);
	if (rc == 0 && res->rows == 0)
		rc =
		    yerr_set(err, 404, "unknown_proposal", "id", "建议 %lld 不存在", (long long)id);
	else if (rc == 0)
		*out = proposal_json(res, 0);
	store_result_free(res);
	return rc;
}

int store_catalog_proposal_get(struct store *s, const char *district, int64_t id, json_t **out,
			       struct yerr *err)
{
	struct store_conn *c;
	int rc;

	*out = NULL;
	if ((rc = store_acquire(s, &c, err)) < 0)
		return rc;
	rc = proposal_read(c, district, id, out, err);
	store_release(c);
	return rc;
}

int store_catalog_proposal_decide(struct store *s, const char *district, int64_t id, bool approve,
				  const char *by, const char *comment,
				  const struct store_catalog_hook *hook, json_t **out,
				  struct yerr *err)
{
	struct store_result *res = NULL;
	struct store_conn *c;
	json_t *p = NULL;
	int rc;

	if (out)
		*out = NULL;
	if ((rc = store_acquire(s, &c, err)) < 0)
		return rc;
	if ((rc = store_begin(c, err)) < 0)
		goto out;
	if ((rc = proposal_read(c, district, id, &p, err)) < 0)
		goto out;
	json_decref(p);
	p = NULL;
	rc = store_exec(c,
			"UPDATE catalog_proposals SET status = ?, decided_by = ?, decided_at = ?, "
			"decision_comment = ? WHERE district = ? AND id = ? AND status = 'pending'",
			(struct store_param[]){SP_TEXT(approve ? "approved" : "rejected"),
					       SP_TEXT(by), SP_INT(time(NULL)),
					       comment ? SP_TEXT(comment) : SP_NULL,
					       SP_TEXT(district), SP_INT(id)},
			6, &res, err);
	if (rc < 0)
		goto out;
	if (res->changes != 1) {
		rc = yerr_set(err, 409, "proposal_decided", "id", "建议 %lld 已处理，不能再次决定",
			      (long long)id);
		goto out;
	}
	if ((rc = proposal_read(c, district, id, &p, err)) < 0)
		goto out;
	if ((rc = run_hook(hook, c, "catalog_proposal", id, err)) < 0)
		goto out;
	if ((rc = store_commit(c, err)) < 0)
		goto out;
	if (out) {
		*out = p;
		p = NULL;
	}
out:
	json_decref(p);
	store_result_free(res);
	store_release(c);
	return rc;
}
