/*
 * store_complaint.c — SQL of complaints and reports (store_complaint.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_complaint.h"

#define COMPLAINT_COLS                                                                             \
	"id, ticket, key_hash, uscc, entity_name, license_number, industry, matter, description, " \
	"contact, status, outcome, reply, filed_on, due_day, closed_on, created_at, "              \
	"accepted_at, accepted_by, closed_at, closed_by, closed_department"

void store_complaint_free(struct store_complaint *cp)
{
	if (cp == NULL)
		return;
	free(cp->entity_name);
	free(cp->matter);
	free(cp->description);
	free(cp->contact);
	free(cp->reply);
	cp->entity_name = cp->matter = cp->description = cp->contact = cp->reply = NULL;
}

void store_complaints_free(struct store_complaint *items, size_t n)
{
	for (size_t i = 0; items && i < n; i++)
		store_complaint_free(&items[i]);
	free(items);
}

static void from_row(const struct store_result *r, int i, struct store_complaint *cp)
{
	memset(cp, 0, sizeof(*cp));
	cp->id = store_cell_int(r, i, 0, 0);
	store_cell_copy(r, i, 1, cp->ticket, sizeof(cp->ticket));
	store_cell_copy(r, i, 2, cp->key_hash, sizeof(cp->key_hash));
	store_cell_copy(r, i, 3, cp->uscc, sizeof(cp->uscc));
	cp->entity_name = store_cell_dup(r, i, 4);
	store_cell_copy(r, i, 5, cp->license_number, sizeof(cp->license_number));
	store_cell_copy(r, i, 6, cp->industry, sizeof(cp->industry));
	cp->matter = store_cell_dup(r, i, 7);
	cp->description = store_cell_dup(r, i, 8);
	cp->contact = store_cell_dup(r, i, 9);
	store_cell_copy(r, i, 10, cp->status, sizeof(cp->status));
	store_cell_copy(r, i, 11, cp->outcome, sizeof(cp->outcome));
	cp->reply = store_cell_dup(r, i, 12);
	store_cell_copy(r, i, 13, cp->filed_on, sizeof(cp->filed_on));
	store_cell_copy(r, i, 14, cp->due_day, sizeof(cp->due_day));
	store_cell_copy(r, i, 15, cp->closed_on, sizeof(cp->closed_on));
	cp->created_at = store_cell_int(r, i, 16, 0);
	cp->accepted_at = store_cell_int(r, i, 17, 0);
	cp->accepted_by = store_cell_int(r, i, 18, 0);
	cp->closed_at = store_cell_int(r, i, 19, 0);
	cp->closed_by = store_cell_int(r, i, 20, 0);
	store_cell_copy(r, i, 21, cp->closed_department, sizeof(cp->closed_department));
}

/* The active departments of complaint cp->id. */
static int load_depts(struct store_conn *c, const char *district, struct store_complaint *cp,
		      struct yerr *err)
{
	struct store_result *r;
	int rc = store_exec(c,
			    "SELECT department FROM complaint_departments WHERE district = ? AND "
			    "complaint_id = ? AND active = 1 ORDER BY department",
			    (struct store_param[]){SP_TEXT(district), SP_INT(cp->id)}, 2, &r, err);

	if (rc < 0)
		return rc;
	cp->ndepts = 0;
	for (int i = 0; i < r->rows && cp->ndepts < COMPLAINT_DEPTS_MAX; i++)
		store_cell_copy(r, i, 0, cp->depts[cp->ndepts++], COMPLAINT_DEPT_SIZE);
	store_result_free(r);
	return 0;
}

int store_complaint_rate(struct store_conn *c, const char *district, const char *subject,
			 int64_t now, int window_sec, int max, int64_t *retry_after,
			 struct yerr *err)
{
	struct store_result *r = NULL;
	int64_t filed, start;
	int rc;

	*retry_after = 0;
	/* One statement counts the filing (restarting a window that is over),
	 * so filings on several nodes at once are all counted. */
	rc = store_exec(c,
			"INSERT INTO complaint_limits (district, subject, window_start, filed) "
			"VALUES (?, ?, ?, 1) ON CONFLICT (district, subject) DO UPDATE SET "
			"filed = CASE WHEN complaint_limits.window_start <= ? THEN 1 "
			"ELSE complaint_limits.filed + 1 END, "
			"window_start = CASE WHEN complaint_limits.window_start <= ? THEN ? "
			"ELSE complaint_limits.window_start END "
			"RETURNING filed, window_start",
			(struct store_param[]){SP_TEXT(district), SP_TEXT(subject), SP_INT(now),
					       SP_INT(now - window_sec), SP_INT(now - window_sec),
					       SP_INT(now)},
			6, &r, err);
	if (rc < 0)
		return rc;
	filed = store_cell_int(r, 0, 0, 1);
	start = store_cell_int(r, 0, 1, now);
	store_result_free(r);
	if (filed > max) {
		*retry_after = start + window_sec - now;
		if (*retry_after < 1)
			*retry_after = 1;
	}
	return 0;
}

int store_complaint_rate_prune(struct store_conn *c, const char *district, int64_t now,
			       int window_sec, struct yerr *err)
{
	return store_exec(
	    c, "DELETE FROM complaint_limits WHERE district = ? AND window_start <= ?",
	    (struct store_param[]){SP_TEXT(district), SP_INT(now - window_sec)}, 2, NULL, err);
}

int store_complaint_insert(struct store_conn *c, const char *district,
			   const struct store_complaint_new *in, int64_t now, int64_t *id,
			   struct yerr *err)
{
	int rc = store_query_int(
	    c,
	    "INSERT INTO complaints (district, ticket, key_hash, uscc, entity_name, "
	    "license_number, industry, matter, description, contact, status, filed_on, due_day, "
	    "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'received', ?, ?, ?, ?) "
	    "RETURNING id",
	    (struct store_param[]){
		SP_TEXT(district), SP_TEXT(in->ticket), SP_TEXT(in->key_hash), SP_TEXT(in->uscc),
		SP_TEXT(in->entity_name), SP_TEXT(in->license_number), SP_TEXT(in->industry),
		SP_TEXT(in->matter), SP_TEXT(in->description), SP_TEXT(in->contact),
		SP_TEXT(in->filed_on), SP_TEXT(in->due_day), SP_INT(now), SP_INT(now)},
	    14, 0, id, err);

	for (size_t i = 0; rc == 0 && i < in->ndepts; i++)
		rc = store_exec(c,
				"INSERT INTO complaint_departments (district, complaint_id, "
				"department, active, routed_at) VALUES (?, ?, ?, 1, ?)",
				(struct store_param[]){SP_TEXT(district), SP_INT(*id),
						       SP_TEXT(in->depts[i]), SP_INT(now)},
				4, NULL, err);
	return rc;
}

int store_complaint_get(struct store_conn *c, const char *district, const char *ticket, bool lock,
			struct store_complaint *out, struct yerr *err)
{
	struct store_result *r;
	int rc = store_query_row(
	    c,
	    lock ? "SELECT " COMPLAINT_COLS " FROM complaints WHERE district = ? AND ticket = ? "
		   "FOR UPDATE"
		 : "SELECT " COMPLAINT_COLS " FROM complaints WHERE district = ? AND ticket = ?",
	    (struct store_param[]){SP_TEXT(district), SP_TEXT(ticket)}, 2, &r, 404,
	    "complaint_not_found", "投诉举报不存在", err);

	memset(out, 0, sizeof(*out));
	if (rc < 0)
		return rc;
	from_row(r, 0, out);
	store_result_free(r);
	rc = load_depts(c, district, out, err);
	if (rc < 0)
		store_complaint_free(out);
	return rc;
}

int store_complaint_list(struct store_conn *c, const char *district,
			 const struct store_complaint_filter *f, struct store_complaint **items,
			 size_t *n, int64_t *total, struct yerr *err)
{
	/* Each condition is switched off by binding its value NULL, so one
	 * statement serves every combination of filters. */
	static const char where[] =
	    " FROM complaints WHERE district = ? "
	    "AND (CAST(? AS TEXT) IS NULL OR id IN (SELECT complaint_id FROM complaint_departments "
	    "WHERE "
	    "district = ? AND department = ? AND active = 1)) "
	    "AND (CAST(? AS TEXT) IS NULL OR status = ?) "
	    "AND (CAST(? AS TEXT) IS NULL OR (status <> 'closed' AND due_day < ?)) "
	    "AND (CAST(? AS TEXT) IS NULL OR uscc = ?)";
	struct store_param p[12] = {SP_TEXT(district),
				    SP_TEXT(f->department),
				    SP_TEXT(district),
				    SP_TEXT(f->department),
				    SP_TEXT(f->status),
				    SP_TEXT(f->status),
				    SP_TEXT(f->open_due_before),
				    SP_TEXT(f->open_due_before),
				    SP_TEXT(f->uscc),
				    SP_TEXT(f->uscc),
				    SP_INT(f->limit),
				    SP_INT(f->offset)};
	char sql[1024];
	struct store_result *r;
	int rc;

	*items = NULL;
	*n = 0;
	*total = 0;
	snprintf(sql, sizeof(sql), "SELECT COUNT(*)%s", where);
	rc = store_query_int(c, sql, p, 10, 0, total, err);
	if (rc < 0)
		return rc;
	snprintf(sql, sizeof(sql), "SELECT " COMPLAINT_COLS "%s ORDER BY id DESC LIMIT ? OFFSET ?",
		 where);
	rc = store_exec(c, sql, p, 12, &r, err);
	if (rc < 0)
		return rc;
	*items = calloc((size_t)(r->rows ? r->rows : 1), sizeof(**items));
	if (*items == NULL)
		abort();
	for (int i = 0; i < r->rows; i++)
		from_row(r, i, &(*items)[i]);
	*n = (size_t)r->rows;
	store_result_free(r);
	for (size_t i = 0; rc == 0 && i < *n; i++)
		rc = load_depts(c, district, &(*items)[i], err);
	if (rc < 0) {
		store_complaints_free(*items, *n);
		*items = NULL;
		*n = 0;
	}
	return rc;
}

/* 409 complaint_closed unless complaint id is open. */
static int must_be_open(struct store_conn *c, const char *district, int64_t id, struct yerr *err)
{
	int64_t closed;
	int rc = store_query_int(
	    c,
	    "SELECT COUNT(*) FROM complaints WHERE district = ? AND id = ? AND status = 'closed'",
	    (struct store_param[]){SP_TEXT(district), SP_INT(id)}, 2, 0, &closed, err);

	if (rc == 0 && closed)
		return yerr_set(err, 409, "complaint_closed", NULL, "该投诉举报已办结");
	return rc;
}

int store_complaint_accept(struct store_conn *c, const char *district, int64_t id, int64_t actor,
			   int64_t now, struct yerr *err)
{
	int rc = must_be_open(c, district, id, err);

	if (rc == 0)
		rc = store_exec(c,
				"UPDATE complaints SET status = 'accepted', accepted_at = ?, "
				"accepted_by = ?, updated_at = ? WHERE district = ? AND id = ? AND "
				"status = 'received'",
				(struct store_param[]){SP_INT(now), SP_INT(actor), SP_INT(now),
						       SP_TEXT(district), SP_INT(id)},
				5, NULL, err);
	return rc;
}

int store_complaint_transfer(struct store_conn *c, const char *district, int64_t id,
			     const char *from, const char *to, const char *note, int64_t now,
			     struct yerr *err)
{
	int rc;

	if (strcmp(from, to) == 0)
		return yerr_set(err, 409, "same_department", "department", "不能转交给本部门");
	rc = must_be_open(c, district, id, err);
	if (rc == 0)
		rc = store_exec(c,
				"UPDATE complaint_departments SET active = 0, note = ? WHERE "
				"district = ? AND complaint_id = ? AND department = ?",
				(struct store_param[]){SP_TEXT(note), SP_TEXT(district), SP_INT(id),
						       SP_TEXT(from)},
				4, NULL, err);
	if (rc == 0)
		rc = store_exec(
		    c,
		    "INSERT INTO complaint_departments (district, complaint_id, department, "
		    "active, "
		    "routed_at, note) VALUES (?, ?, ?, 1, ?, ?) ON CONFLICT (district, "
		    "complaint_id, department) DO UPDATE SET active = 1, routed_at = ?, note = ?",
		    (struct store_param[]){SP_TEXT(district), SP_INT(id), SP_TEXT(to), SP_INT(now),
					   SP_TEXT(note), SP_INT(now), SP_TEXT(note)},
		    7, NULL, err);
	if (rc == 0)
		rc = store_exec(c,
				"UPDATE complaints SET status = 'received', accepted_at = NULL, "
				"accepted_by = NULL, updated_at = ? WHERE district = ? AND id = ?",
				(struct store_param[]){SP_INT(now), SP_TEXT(district), SP_INT(id)},
				3, NULL, err);
	return rc;
}

int store_complaint_close(struct store_conn *c, const char *district, int64_t id,
			  const char *outcome, const char *reply, const char *department,
			  int64_t actor, const char *day, int64_t now, struct yerr *err)
{
	int rc = must_be_open(c, district, id, err);

	if (rc == 0)
		rc = store_exec(
		    c,
		    "UPDATE complaints SET status = 'closed', outcome = ?, reply = ?, "
		    "closed_department = ?, closed_by = ?, closed_on = ?, closed_at = ?, "
		    "updated_at = ? WHERE district = ? AND id = ?",
		    (struct store_param[]){SP_TEXT(outcome), SP_TEXT(reply), SP_TEXT(department),
					   SP_INT(actor), SP_TEXT(day), SP_INT(now), SP_INT(now),
					   SP_TEXT(district), SP_INT(id)},
		    9, NULL, err);
	return rc;
}

#define ENTITY_COLS "holder_uscc, holder_name, number, industry, industry_name"
#define LICENSED "is_current = 1 AND status NOT IN ('cancelled', 'revoked', 'superseded')"

static void entity_from_row(const struct store_result *r, int i, struct store_complaint_entity *e)
{
	store_cell_copy(r, i, 0, e->uscc, sizeof(e->uscc));
	store_cell_copy(r, i, 1, e->name, sizeof(e->name));
	store_cell_copy(r, i, 2, e->license_number, sizeof(e->license_number));
	store_cell_copy(r, i, 3, e->industry, sizeof(e->industry));
	store_cell_copy(r, i, 4, e->industry_name, sizeof(e->industry_name));
}

int store_complaint_entities(struct store_conn *c, const char *district, const char *q, int max,
			     struct store_complaint_entity **items, size_t *n, struct yerr *err)
{
	char pat[420];
	struct store_result *r;
	int rc;

	*items = NULL;
	*n = 0;
	store_like_pattern(q, pat, sizeof(pat));
	rc = store_exec(c,
			"SELECT " ENTITY_COLS " FROM licenses WHERE district = ? AND " LICENSED
			" AND (number = ? OR holder_uscc = ? OR holder_name LIKE ? ESCAPE '\\') "
			"ORDER BY holder_name, number LIMIT ?",
			(struct store_param[]){SP_TEXT(district), SP_TEXT(q), SP_TEXT(q),
					       SP_TEXT(pat), SP_INT(max)},
			5, &r, err);
	if (rc < 0)
		return rc;
	*items = calloc((size_t)(r->rows ? r->rows : 1), sizeof(**items));
	if (*items == NULL)
		abort();
	for (int i = 0; i < r->rows; i++)
		entity_from_row(r, i, &(*items)[i]);
	*n = (size_t)r->rows;
	store_result_free(r);
	return 0;
}

int store_complaint_entity_get(struct store_conn *c, const char *district, const char *number,
			       const char *uscc, struct store_complaint_entity *out,
			       struct yerr *err)
{
	struct store_result *r;
	int rc = store_query_row(
	    c,
	    number ? "SELECT " ENTITY_COLS " FROM licenses WHERE district = ? AND " LICENSED
		     " AND number = ?"
		   : "SELECT " ENTITY_COLS " FROM licenses WHERE district = ? AND " LICENSED
		     " AND holder_uscc = ? ORDER BY issued_at DESC LIMIT 1",
	    (struct store_param[]){SP_TEXT(district), SP_TEXT(number ? number : uscc)}, 2, &r, 404,
	    "entity_not_licensed", "未找到持有有效许可证的经营主体", err);

	memset(out, 0, sizeof(*out));
	if (rc < 0)
		return rc;
	entity_from_row(r, 0, out);
	store_result_free(r);
	return 0;
}
