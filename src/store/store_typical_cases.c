/*
 * store_typical_cases.c — SQL of typical cases (典型案例, store_ratings.h).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "store/store_application.h"
#include "store/store_ratings.h"
#include "store/store_ratings_internal.h"

#define CASE_COLS                                                                          \
	"k.id, k.application_id, a.number, k.industry, k.app_status, k.title, k.summary, " \
	"k.body, k.status, k.created_by, k.created_at, k.updated_at, k.published_at, "     \
	"k.published_by"
#define CASE_FROM " FROM typical_cases k JOIN applications a ON a.id = k.application_id"

void store_case_free(struct store_case *k)
{
	if (k == NULL)
		return;
	free(k->title);
	free(k->summary);
	free(k->body);
	k->title = k->summary = k->body = NULL;
}

void store_cases_free(struct store_case *items, size_t n)
{
	for (size_t i = 0; items && i < n; i++)
		store_case_free(&items[i]);
	free(items);
}

static void case_from_row(const struct store_result *r, int i, struct store_case *k)
{
	memset(k, 0, sizeof(*k));
	k->id = store_cell_int(r, i, 0, 0);
	k->application_id = store_cell_int(r, i, 1, 0);
	store_cell_copy(r, i, 2, k->number, sizeof(k->number));
	store_cell_copy(r, i, 3, k->industry, sizeof(k->industry));
	store_cell_copy(r, i, 4, k->app_status, sizeof(k->app_status));
	k->title = store_cell_dup(r, i, 5);
	k->summary = store_cell_dup(r, i, 6);
	k->body = store_cell_dup(r, i, 7);
	store_cell_copy(r, i, 8, k->status, sizeof(k->status));
	k->created_by = store_cell_int(r, i, 9, 0);
	k->created_at = store_cell_int(r, i, 10, 0);
	k->updated_at = store_cell_int(r, i, 11, 0);
	k->published_at = store_cell_int(r, i, 12, 0);
	k->published_by = store_cell_int(r, i, 13, 0);
}

int store_case_insert(struct store_conn *c, const char *district, int64_t application_id,
		      const char *title, const char *summary, const char *body, int64_t actor,
		      int64_t now, int64_t *id, struct yerr *err)
{
	struct ratings_app a;
	int64_t have = 0;
	int rc = ratings_app_load(c, district, application_id, true, &a, err);

	if (rc == 0 && !rating_app_completed(a.status))
		rc = yerr_set(
		    err, 409, "application_not_completed", "application_id",
		    "只有办结的办件（已发证、不予许可、不予受理或已撤回）可以作为典型案例");
	if (rc == 0)
		rc = store_query_int(
		    c,
		    "SELECT COUNT(*) FROM typical_cases WHERE district = ? AND application_id = ?",
		    (struct store_param[]){SP_TEXT(district), SP_INT(application_id)}, 2, 0, &have,
		    err);
	if (rc == 0 && have > 0)
		rc = yerr_set(err, 409, "case_exists", "application_id", "该办件已有典型案例");
	if (rc == 0)
		rc = store_query_int(
		    c,
		    "INSERT INTO typical_cases (district, application_id, industry, app_status, "
		    "title, summary, body, status, created_by, created_at, updated_at) VALUES (?, "
		    "?, ?, ?, ?, ?, ?, 'draft', ?, ?, ?) RETURNING id",
		    (struct store_param[]){SP_TEXT(district), SP_INT(application_id),
					   SP_TEXT(a.industry), SP_TEXT(a.status), SP_TEXT(title),
					   SP_TEXT(summary), SP_TEXT(body), SP_INT(actor),
					   SP_INT(now), SP_INT(now)},
		    10, 0, id, err);
	return rc;
}

int store_case_get(struct store_conn *c, const char *district, int64_t id, bool published_only,
		   struct store_case *out, struct yerr *err)
{
	struct store_result *r;
	int rc = store_query_row(c,
				 published_only ? "SELECT " CASE_COLS CASE_FROM
						  " WHERE k.district = ? AND k.id = ? AND k.status "
						  "= 'published'"
						: "SELECT " CASE_COLS CASE_FROM
						  " WHERE k.district = ? AND k.id = ?",
				 (struct store_param[]){SP_TEXT(district), SP_INT(id)}, 2, &r, 404,
				 "case_not_found", "典型案例不存在", err);

	memset(out, 0, sizeof(*out));
	if (rc < 0)
		return rc;
	case_from_row(r, 0, out);
	store_result_free(r);
	return 0;
}

int store_case_update(struct store_conn *c, const char *district, int64_t id, const char *title,
		      const char *summary, const char *body, int64_t now, struct yerr *err)
{
	struct store_case k;
	int rc = store_case_get(c, district, id, false, &k, err);

	if (rc < 0)
		return rc;
	store_case_free(&k);
	return store_exec(c,
			  "UPDATE typical_cases SET title = COALESCE(?, title), summary = "
			  "COALESCE(?, summary), body = COALESCE(?, body), updated_at = ? WHERE "
			  "district = ? AND id = ?",
			  (struct store_param[]){SP_TEXT(title), SP_TEXT(summary), SP_TEXT(body),
						 SP_INT(now), SP_TEXT(district), SP_INT(id)},
			  6, NULL, err);
}

int store_case_publish(struct store_conn *c, const char *district, int64_t id, bool publish,
		       int64_t actor, int64_t now, struct yerr *err)
{
	struct store_case k;
	int rc = store_case_get(c, district, id, false, &k, err);

	if (rc < 0)
		return rc;
	store_case_free(&k);
	if (publish)
		return store_exec(
		    c,
		    "UPDATE typical_cases SET status = 'published', published_at = ?, "
		    "published_by = ?, updated_at = ? WHERE district = ? AND id = ?",
		    (struct store_param[]){SP_INT(now), SP_INT(actor), SP_INT(now),
					   SP_TEXT(district), SP_INT(id)},
		    5, NULL, err);
	return store_exec(c,
			  "UPDATE typical_cases SET status = 'draft', published_at = NULL, "
			  "published_by = NULL, updated_at = ? WHERE district = ? AND id = ?",
			  (struct store_param[]){SP_INT(now), SP_TEXT(district), SP_INT(id)}, 3,
			  NULL, err);
}

int store_case_list(struct store_conn *c, const char *district, const char *status,
		    const char *industry, int limit, int offset, struct store_case **items,
		    size_t *n, int64_t *total, struct yerr *err)
{
	static const char where[] =
	    CASE_FROM " WHERE k.district = ? AND (CAST(? AS TEXT) IS NULL OR k.status = ?) "
		      "AND (CAST(? AS TEXT) IS NULL OR k.industry = ?)";
	struct store_param p[7] = {SP_TEXT(district), SP_TEXT(status),   SP_TEXT(status),
				   SP_TEXT(industry), SP_TEXT(industry), SP_INT(limit),
				   SP_INT(offset)};
	char sql[1024];
	struct store_result *r;
	int rc;

	*items = NULL;
	*n = 0;
	*total = 0;
	snprintf(sql, sizeof(sql), "SELECT COUNT(*)%s", where);
	rc = store_query_int(c, sql, p, 5, 0, total, err);
	if (rc < 0)
		return rc;
	snprintf(sql, sizeof(sql),
		 "SELECT " CASE_COLS "%s ORDER BY COALESCE(k.published_at, k.created_at) DESC, "
		 "k.id DESC LIMIT ? OFFSET ?",
		 where);
	rc = store_exec(c, sql, p, 7, &r, err);
	if (rc < 0)
		return rc;
	*items = calloc((size_t)(r->rows ? r->rows : 1), sizeof(**items));
	if (*items == NULL)
		abort();
	for (int i = 0; i < r->rows; i++)
		case_from_row(r, i, &(*items)[i]);
	*n = (size_t)r->rows;
	store_result_free(r);
	return 0;
}

/* Whether form field id holds something that names or reaches a person or
 * the applicant: names, identity numbers, phones, addresses, contacts, the
 * credit code (the catalog's field ids follow these words: catalog/
 * fields.json). */
static bool personal_field(const char *id)
{
	static const char *const words[] = {"name",        "phone",     "address",  "manager",
					    "responsible", "investors", "landlord", "optometrist",
					    "pharmacist",  "uscc",      "contact",  NULL};
	size_t len = strlen(id);

	if (len > 3 && strcmp(id + len - 3, "_id") == 0)
		return true;
	for (size_t i = 0; words[i]; i++)
		if (strstr(id, words[i]))
			return true;
	return false;
}

static void push(char ***items, size_t *n, const char *s)
{
	char **v = realloc(*items, (*n + 1) * sizeof(**items));

	if (v == NULL || (v[*n] = strdup(s)) == NULL)
		abort();
	*items = v;
	(*n)++;
}

int store_case_personal_texts(struct store_conn *c, const char *district, int64_t application_id,
			      char ***items, size_t *n, struct yerr *err)
{
	struct store_result *r;
	json_t *form, *v;
	const char *key;
	int rc =
	    store_query_row(c,
			    "SELECT a.form, u.display_name FROM applications a JOIN users u ON "
			    "u.id = a.applicant_id WHERE a.district = ? AND a.id = ?",
			    (struct store_param[]){SP_TEXT(district), SP_INT(application_id)}, 2,
			    &r, 404, "application_not_found", "申请不存在", err);

	*items = NULL;
	*n = 0;
	if (rc < 0)
		return rc;
	form = json_loads(store_cell(r, 0, 0) ? store_cell(r, 0, 0) : "{}", 0, NULL);
	json_object_foreach (form, key, v) {
		const char *s = json_string_value(v);

		if (s && personal_field(key) && text_chars(s, strlen(s)) >= 2)
			push(items, n, s);
	}
	json_decref(form);
	if (store_cell(r, 0, 1) &&
	    text_chars(store_cell(r, 0, 1), strlen(store_cell(r, 0, 1))) >= 2)
		push(items, n, store_cell(r, 0, 1));
	store_result_free(r);
	return 0;
}
