/*
 * store_catalog.c — SQL of catalog versions and proposals (store_catalog.h).
 * Every function runs on the caller's connection; changes run inside the
 * caller's transaction.
 */
#include <sodium.h>
#include <stdbool.h>
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

/* A text cell as a malloc'd copy, NULL for SQL NULL. */
static char *cell_dup(const struct store_result *r, int row, int col)
{
	const char *v = store_cell(r, row, col);
	char *copy = v ? strdup(v) : NULL;

	if (v && copy == NULL)
		abort();
	return copy;
}

int store_catalog_count(struct store_conn *c, const char *district, int64_t *n, struct yerr *err)
{
	return store_query_int(c, "SELECT count(*) FROM catalog_versions WHERE district = ?",
			       (struct store_param[]){SP_TEXT(district)}, 1, 0, n, err);
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

int store_catalog_publish(struct store_conn *c, const struct store_catalog_new *v,
			  long *version_out, struct yerr *err)
{
	char sha[65];
	int64_t max = 0, n = 0;
	long version, previous;
	time_t now = time(NULL);
	int rc;

	*version_out = 0;
	sha256_hex(v->document, sha);
	/* The next number and the one active version depend on all the
	 * district's versions: publishers and activators of one district take
	 * turns (other districts do not wait). */
	if ((rc = store_lock_key(c, "catalog_versions", v->district, err)) < 0)
		return rc;
	if ((rc = store_catalog_count(c, v->district, &n, err)) < 0)
		return rc;
	if (n > 0 && v->only_if_empty)
		return 0;
	rc = store_query_int(c, "SELECT max(version) FROM catalog_versions WHERE district = ?",
			     (struct store_param[]){SP_TEXT(v->district)}, 1, 0, &max, err);
	if (rc < 0)
		return rc;
	version = (long)max + 1;
	if (v->activate && (rc = retire_active(c, v->district, &previous, err)) < 0)
		return rc;
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
		return rc;
	if ((rc = mark_included(c, v, version, err)) < 0)
		return rc;
	*version_out = version;
	return 0;
}

int store_catalog_document(struct store_conn *c, const char *district, long version, char **doc,
			   long *version_out, struct yerr *err)
{
	struct store_result *res = NULL;
	char sha[65];
	int rc;

	*doc = NULL;
	*version_out = 0;
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

int store_catalog_activate(struct store_conn *c, const char *district, long version,
			   long *previous_out, struct yerr *err)
{
	int64_t exists = 0;
	long previous = 0;
	int rc;

	if (previous_out)
		*previous_out = 0;
	if ((rc = store_lock_key(c, "catalog_versions", district, err)) < 0)
		return rc;
	rc = store_query_int(
	    c, "SELECT count(*) FROM catalog_versions WHERE district = ? AND version = ?",
	    (struct store_param[]){SP_TEXT(district), SP_INT(version)}, 2, 0, &exists, err);
	if (rc < 0)
		return rc;
	if (!exists)
		return yerr_set(err, 404, "unknown_version", "version", "目录版本 %ld 不存在",
				version);
	if ((rc = retire_active(c, district, &previous, err)) < 0)
		return rc;
	rc = store_exec(
	    c,
	    "UPDATE catalog_versions SET status = 'active', activated_at = ? "
	    "WHERE district = ? AND version = ?",
	    (struct store_param[]){SP_INT(time(NULL)), SP_TEXT(district), SP_INT(version)}, 3, NULL,
	    err);
	if (rc == STORE_ECONFLICT)
		yerr_set(err, 409, "version_conflict", "", "同时启用了另一个目录版本，请重试");
	if (rc == 0 && previous_out)
		*previous_out = previous;
	return rc;
}

int store_catalog_active_version(struct store_conn *c, const char *district, long *version,
				 struct yerr *err)
{
	int64_t v = 0;
	int rc = store_query_int(c,
				 "SELECT version FROM catalog_versions WHERE district = ? AND "
				 "status = 'active'",
				 (struct store_param[]){SP_TEXT(district)}, 1, 0, &v, err);

	*version = (long)v;
	return rc;
}

int store_catalog_versions(struct store_conn *c, const char *district, long limit, long offset,
			   struct store_catalog_version **items, size_t *n, long *total,
			   struct yerr *err)
{
	struct store_result *res = NULL, *props = NULL;
	int64_t count = 0;
	int rc;

	*items = NULL;
	*n = 0;
	*total = 0;
	rc = store_catalog_count(c, district, &count, err);
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
	if (rc < 0)
		goto out;
	*items = calloc((size_t)res->rows + 1, sizeof(**items));
	if (*items == NULL)
		abort();
	for (int i = 0; i < res->rows; i++) {
		struct store_catalog_version *v = &(*items)[i];

		v->version = (long)store_cell_int(res, i, 0, 0);
		snprintf(v->status, sizeof(v->status), "%s", store_cell(res, i, 1));
		v->created_at = store_cell_int(res, i, 2, 0);
		v->created_by = cell_dup(res, i, 3);
		v->note = cell_dup(res, i, 4);
		snprintf(v->sha256, sizeof(v->sha256), "%s",
			 store_cell(res, i, 5) ? store_cell(res, i, 5) : "");
		v->activated_at = store_cell_int(res, i, 6, 0);
		v->proposals = calloc((size_t)props->rows + 1, sizeof(*v->proposals));
		if (v->proposals == NULL)
			abort();
		for (int k = 0; k < props->rows; k++)
			if (store_cell_int(props, k, 0, 0) == v->version)
				v->proposals[v->nproposals++] = store_cell_int(props, k, 1, 0);
	}
	*n = (size_t)res->rows;
	*total = (long)count;
out:
	store_result_free(res);
	store_result_free(props);
	return rc;
}

void store_catalog_versions_free(struct store_catalog_version *items, size_t n)
{
	for (size_t i = 0; items && i < n; i++) {
		free(items[i].created_by);
		free(items[i].note);
		free(items[i].proposals);
	}
	free(items);
}

int store_catalog_proposal_insert(struct store_conn *c, const struct store_catalog_proposal_new *p,
				  int64_t *id_out, struct yerr *err)
{
	struct store_result *res = NULL;
	int rc;

	*id_out = 0;
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
	if (rc == 0)
		*id_out = store_cell_int(res, 0, 0, 0);
	store_result_free(res);
	return rc;
}

static void proposal_from_row(const struct store_result *r, int i, struct store_catalog_proposal *p)
{
	p->id = store_cell_int(r, i, 0, 0);
	p->kind = cell_dup(r, i, 1);
	p->industry = cell_dup(r, i, 2);
	p->title = cell_dup(r, i, 3);
	p->reason = cell_dup(r, i, 4);
	p->detail = cell_dup(r, i, 5);
	p->department = cell_dup(r, i, 6);
	p->proposed_by = cell_dup(r, i, 7);
	p->created_at = store_cell_int(r, i, 8, 0);
	p->status = cell_dup(r, i, 9);
	p->decided_by = cell_dup(r, i, 10);
	p->decided_at = store_cell_int(r, i, 11, 0);
	p->comment = cell_dup(r, i, 12);
	p->included_in = store_cell_int(r, i, 13, 0);
}

void store_catalog_proposals_free(struct store_catalog_proposal *items, size_t n, bool free_array)
{
	for (size_t i = 0; items && i < n; i++) {
		struct store_catalog_proposal *p = &items[i];

		free(p->kind);
		free(p->industry);
		free(p->title);
		free(p->reason);
		free(p->detail);
		free(p->department);
		free(p->proposed_by);
		free(p->status);
		free(p->decided_by);
		free(p->comment);
	}
	if (free_array)
		free(items);
}

#define PROPOSAL_WHERE                                     \
	" FROM catalog_proposals WHERE district = ? "      \
	"AND (CAST(? AS TEXT) IS NULL OR department = ?) " \
	"AND (CAST(? AS TEXT) IS NULL OR status = ?)"

int store_catalog_proposals(struct store_conn *c, const char *district, const char *department,
			    const char *status, long limit, long offset,
			    struct store_catalog_proposal **items, size_t *n, long *total,
			    struct yerr *err)
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
	int64_t count = 0;
	int rc;

	*items = NULL;
	*n = 0;
	*total = 0;
	rc = store_query_int(c, "SELECT count(*)" PROPOSAL_WHERE, params, 5, 0, &count, err);
	if (rc == 0)
		rc = store_exec(
		    c, "SELECT " PROPOSAL_COLS PROPOSAL_WHERE " ORDER BY id DESC LIMIT ? OFFSET ?",
		    params, 7, &res, err);
	if (rc == 0) {
		*items = calloc((size_t)res->rows + 1, sizeof(**items));
		if (*items == NULL)
			abort();
		for (int i = 0; i < res->rows; i++)
			proposal_from_row(res, i, &(*items)[i]);
		*n = (size_t)res->rows;
		*total = (long)count;
	}
	store_result_free(res);
	return rc;
}

int store_catalog_proposal_get(struct store_conn *c, const char *district, int64_t id,
			       struct store_catalog_proposal *out, struct yerr *err)
{
	struct store_result *res = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = store_exec(c,
			"SELECT " PROPOSAL_COLS " FROM catalog_proposals "
			"WHERE district = ? AND id = ?",
			(struct store_param[]){SP_TEXT(district), SP_INT(id)}, 2, &res, err);
	if (rc == 0 && res->rows == 0)
		rc =
		    yerr_set(err, 404, "unknown_proposal", "id", "建议 %lld 不存在", (long long)id);
	else if (rc == 0)
		proposal_from_row(res, 0, out);
	store_result_free(res);
	return rc;
}

int store_catalog_proposal_decide(struct store_conn *c, const char *district, int64_t id,
				  bool approve, const char *by, const char *comment,
				  struct yerr *err)
{
	struct store_result *res = NULL;
	int64_t exists = 0;
	int rc;

	rc = store_query_int(
	    c, "SELECT count(*) FROM catalog_proposals WHERE district = ? AND id = ?",
	    (struct store_param[]){SP_TEXT(district), SP_INT(id)}, 2, 0, &exists, err);
	if (rc < 0)
		return rc;
	if (!exists)
		return yerr_set(err, 404, "unknown_proposal", "id", "建议 %lld 不存在",
				(long long)id);
	rc = store_exec(c,
			"UPDATE catalog_proposals SET status = ?, decided_by = ?, decided_at = ?, "
			"decision_comment = ? WHERE district = ? AND id = ? AND status = 'pending'",
			(struct store_param[]){SP_TEXT(approve ? "approved" : "rejected"),
					       SP_TEXT(by), SP_INT(time(NULL)),
					       comment ? SP_TEXT(comment) : SP_NULL,
					       SP_TEXT(district), SP_INT(id)},
			6, &res, err);
	if (rc == 0 && res->changes != 1)
		rc = yerr_set(err, 409, "proposal_decided", "id", "建议 %lld 已处理，不能再次决定",
			      (long long)id);
	store_result_free(res);
	return rc;
}
