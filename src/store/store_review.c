/*
 * store_review.c — SQL of the joint inspection record and of the deadline
 * lists (store_review.h).
 */
#include "store/store_review.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dup_cell(const struct store_result *res, int row, int col)
{
	const char *v = store_cell(res, row, col);
	char *s;

	if (v == NULL)
		return NULL;
	s = strdup(v);
	if (s == NULL)
		abort();
	return s;
}

void store_inspection_free(struct store_inspection *in)
{
	if (in == NULL)
		return;
	for (size_t i = 0; i < in->nsections; i++) {
		free(in->sections[i].findings);
		free(in->sections[i].items);
	}
	free(in->sections);
	free(in->inspectors);
	memset(in, 0, sizeof(*in));
}

int store_inspection_create(struct store_conn *c, const char *district, int64_t app_id, int round,
			    int at_day, int64_t scheduled_by,
			    const struct store_inspector *inspectors, size_t ninspectors,
			    const struct store_section *sections, size_t nsections, int64_t now,
			    int64_t *id, struct yerr *err)
{
	struct store_result *res = NULL;
	char at[16];
	int64_t exists = 0;
	int rc;

	rc = store_query_int(
	    c,
	    "SELECT count(*) FROM inspections WHERE district = ? AND "
	    "application_id = ? AND round = ?",
	    (struct store_param[]){SP_TEXT(district), SP_INT(app_id), SP_INT(round)}, 3, 0, &exists,
	    err);
	if (rc < 0)
		return rc;
	if (exists > 0)
		return yerr_set(err, 409, "inspection_exists", NULL, "本轮审查已安排现场核查");
	store_day_text(at_day, at);
	rc = store_exec(c,
			"INSERT INTO inspections (district, application_id, round, at_day, "
			"scheduled_by, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
			(struct store_param[]){SP_TEXT(district), SP_INT(app_id), SP_INT(round),
					       SP_TEXT(at), SP_INT(scheduled_by), SP_INT(now)},
			6, &res, err);
	if (rc < 0)
		return rc;
	*id = store_cell_int(res, 0, 0, 0);
	store_result_free(res);
	for (size_t i = 0; rc == 0 && i < ninspectors; i++)
		rc = store_exec(
		    c,
		    "INSERT INTO inspection_inspectors (district, inspection_id, user_id, "
		    "department) VALUES (?, ?, ?, ?)",
		    (struct store_param[]){SP_TEXT(district), SP_INT(*id),
					   SP_INT(inspectors[i].user_id),
					   SP_TEXT(inspectors[i].department)},
		    4, NULL, err);
	for (size_t i = 0; rc == 0 && i < nsections; i++)
		rc = store_exec(
		    c,
		    "INSERT INTO inspection_sections (district, inspection_id, department, "
		    "items) VALUES (?, ?, ?, ?)",
		    (struct store_param[]){SP_TEXT(district), SP_INT(*id),
					   SP_TEXT(sections[i].department),
					   SP_TEXT(sections[i].items ? sections[i].items : "[]")},
		    4, NULL, err);
	return rc;
}

int store_inspection_get(struct store_conn *c, const char *district, int64_t app_id, int round,
			 struct store_inspection *out, struct yerr *err)
{
	struct store_result *res = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = store_query_row(
	    c,
	    "SELECT id, application_id, round, at_day, scheduled_by, created_at "
	    "FROM inspections WHERE district = ? AND application_id = ? AND "
	    "(round = ? OR ? <= 0) ORDER BY round DESC LIMIT 1",
	    (struct store_param[]){SP_TEXT(district), SP_INT(app_id), SP_INT(round), SP_INT(round)},
	    4, &res, 404, "inspection_not_found", "尚未安排现场核查", err);
	if (rc < 0)
		return rc;
	out->id = store_cell_int(res, 0, 0, 0);
	out->application_id = store_cell_int(res, 0, 1, 0);
	out->round = (int)store_cell_int(res, 0, 2, 0);
	out->at_day = store_day_parse(store_cell(res, 0, 3));
	out->scheduled_by = store_cell_int(res, 0, 4, 0);
	out->created_at = store_cell_int(res, 0, 5, 0);
	store_result_free(res);
	res = NULL;
	rc = store_exec(c,
			"SELECT i.user_id, i.department, coalesce(u.display_name, '') FROM "
			"inspection_inspectors i LEFT JOIN users u ON u.id = i.user_id WHERE "
			"i.district = ? AND i.inspection_id = ? ORDER BY i.department, i.user_id",
			(struct store_param[]){SP_TEXT(district), SP_INT(out->id)}, 2, &res, err);
	if (rc < 0)
		return rc;
	out->inspectors = calloc((size_t)res->rows + 1, sizeof(*out->inspectors));
	if (out->inspectors == NULL)
		abort();
	for (int i = 0; i < res->rows; i++) {
		struct store_inspector *p = &out->inspectors[i];

		p->user_id = store_cell_int(res, i, 0, 0);
		snprintf(p->department, sizeof(p->department), "%s", store_cell(res, i, 1));
		snprintf(p->name, sizeof(p->name), "%s", store_cell(res, i, 2));
	}
	out->ninspectors = (size_t)res->rows;
	store_result_free(res);
	res = NULL;
	rc = store_exec(c,
			"SELECT department, coalesce(result, ''), findings, items, rectify_due, "
			"inspector_id, decided_at FROM inspection_sections WHERE district = ? AND "
			"inspection_id = ? ORDER BY department",
			(struct store_param[]){SP_TEXT(district), SP_INT(out->id)}, 2, &res, err);
	if (rc < 0) {
		store_inspection_free(out);
		return rc;
	}
	out->sections = calloc((size_t)res->rows + 1, sizeof(*out->sections));
	if (out->sections == NULL)
		abort();
	for (int i = 0; i < res->rows; i++) {
		struct store_section *s = &out->sections[i];

		snprintf(s->department, sizeof(s->department), "%s", store_cell(res, i, 0));
		snprintf(s->result, sizeof(s->result), "%s", store_cell(res, i, 1));
		s->findings = dup_cell(res, i, 2);
		s->items = dup_cell(res, i, 3);
		s->rectify_due = store_day_parse(store_cell(res, i, 4));
		s->inspector_id = store_cell_int(res, i, 5, 0);
		s->decided_at = store_cell_int(res, i, 6, 0);
	}
	out->nsections = (size_t)res->rows;
	store_result_free(res);
	return 0;
}

int store_inspection_section_set(struct store_conn *c, const char *district, int64_t inspection_id,
				 const char *department, const char *result, const char *findings,
				 const char *items, int rectify_due, int64_t inspector_id,
				 int64_t now, struct yerr *err)
{
	char due[16];

	store_day_text(rectify_due, due);
	return store_exec(
	    c,
	    "UPDATE inspection_sections SET result = ?, findings = ?, items = ?, "
	    "rectify_due = ?, inspector_id = ?, decided_at = ? WHERE district = ? AND "
	    "inspection_id = ? AND department = ?",
	    (struct store_param[]){SP_TEXT(result), findings ? SP_TEXT(findings) : SP_NULL,
				   SP_TEXT(items), due[0] ? SP_TEXT(due) : SP_NULL,
				   SP_INT(inspector_id), SP_INT(now), SP_TEXT(district),
				   SP_INT(inspection_id), SP_TEXT(department)},
	    9, NULL, err);
}

int store_inspectors_of(struct store_conn *c, const char *district, const char *department,
			struct store_inspector **items, size_t *n, struct yerr *err)
{
	struct store_result *res = NULL;
	int rc;

	*items = NULL;
	*n = 0;
	rc = store_exec(
	    c,
	    "SELECT u.id, u.department, u.display_name FROM users u JOIN user_roles r ON "
	    "r.user_id = u.id AND r.role = 'inspector' WHERE u.district = ? AND "
	    "u.department = ? AND u.disabled = 0 ORDER BY u.display_name, u.id",
	    (struct store_param[]){SP_TEXT(district), SP_TEXT(department)}, 2, &res, err);
	if (rc < 0)
		return rc;
	*items = calloc((size_t)res->rows + 1, sizeof(**items));
	if (*items == NULL)
		abort();
	for (int i = 0; i < res->rows; i++) {
		(*items)[i].user_id = store_cell_int(res, i, 0, 0);
		snprintf((*items)[i].department, sizeof((*items)[i].department), "%s",
			 store_cell(res, i, 1));
		snprintf((*items)[i].name, sizeof((*items)[i].name), "%s", store_cell(res, i, 2));
	}
	*n = (size_t)res->rows;
	store_result_free(res);
	return 0;
}

int store_tasks_due(struct store_conn *c, const char *district, const struct store_due_filter *f,
		    long limit, long offset, struct store_task **items, size_t *n, int64_t *total,
		    struct yerr *err)
{
	struct store_param prm[8];
	struct store_result *res = NULL;
	char where[512], sql[1024], from[16], to[16];
	size_t len;
	int np = 0, rc;

	*items = NULL;
	*n = 0;
	*total = 0;
	prm[np++] = SP_TEXT(district);
	/* Only staff tasks: the applicant's supplement task waits on the
	 * applicant, whose clock is paused meanwhile. */
	len = (size_t)snprintf(where, sizeof(where),
			       "t.district = ? AND t.state = 'open' AND t.due_day IS NOT NULL AND "
			       "t.kind <> 'supplement'");
	if (f->department != NULL) {
		len += (size_t)snprintf(where + len, sizeof(where) - len, " AND t.department = ?");
		prm[np++] = SP_TEXT(f->department);
	} else {
		len +=
		    (size_t)snprintf(where + len, sizeof(where) - len, " AND t.department IS NULL");
	}
	/* Day texts are YYYY-MM-DD: they compare as the days they name. */
	store_day_text(f->from_day, from);
	store_day_text(f->to_day, to);
	if (f->from_day >= 0) {
		len += (size_t)snprintf(where + len, sizeof(where) - len, " AND t.due_day >= ?");
		prm[np++] = SP_TEXT(from);
	}
	if (f->to_day >= 0) {
		snprintf(where + len, sizeof(where) - len, " AND t.due_day <= ?");
		prm[np++] = SP_TEXT(to);
	}
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM tasks t WHERE %s", where);
	if ((rc = store_query_int(c, sql, prm, np, 0, total, err)) < 0)
		return rc;
	snprintf(sql, sizeof(sql),
		 "SELECT " STORE_TASK_COLS
		 " FROM tasks t JOIN applications a ON a.id = t.application_id "
		 "WHERE %s ORDER BY t.due_day, t.id LIMIT ? OFFSET ?",
		 where);
	prm[np++] = SP_INT(limit);
	prm[np++] = SP_INT(offset);
	if ((rc = store_exec(c, sql, prm, np, &res, err)) < 0)
		return rc;
	store_tasks_from_result(res, items, n);
	store_result_free(res);
	return 0;
}
