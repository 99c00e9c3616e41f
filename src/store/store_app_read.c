/*
 * store_app_read.c — SQL of an application's history (its timeline), the
 * lists of applications, what 智慧填报 may copy and which materials are
 * uploaded (store_application.h). The row itself and its transitions are
 * in store_application.c.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_application.h"

/* history -------------------------------------------------------------------------- */

int store_app_history_add(struct store_conn *c, const char *district, int64_t app_id,
			  const struct store_app_event *ev, int64_t now, struct yerr *err)
{
	int64_t seq = 0;
	int rc;

	/* The application row is already written (and so locked) by this
	 * transaction: no other writer appends to its history meanwhile. */
	rc = store_query_int(c, "SELECT max(seq) FROM application_history WHERE application_id = ?",
			     (struct store_param[]){SP_INT(app_id)}, 1, 0, &seq, err);
	if (rc < 0)
		return rc;
	return store_exec(
	    c,
	    "INSERT INTO application_history (district, application_id, seq, action, from_status, "
	    "to_status, actor_id, actor_name, actor_role, department, reason, detail, at) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    (struct store_param[]){
		SP_TEXT(district), SP_INT(app_id), SP_INT(seq + 1), SP_TEXT(ev->action),
		SP_TEXT(workflow_status_name(ev->from)), SP_TEXT(workflow_status_name(ev->to)),
		ev->actor_id ? SP_INT(ev->actor_id) : SP_NULL,
		SP_TEXT(ev->actor_name ? ev->actor_name : ""),
		SP_TEXT(ev->actor_role ? ev->actor_role : ""),
		ev->department && ev->department[0] ? SP_TEXT(ev->department) : SP_NULL,
		ev->reason ? SP_TEXT(ev->reason) : SP_NULL, SP_TEXT(ev->detail ? ev->detail : "{}"),
		SP_INT(now)},
	    13, NULL, err);
}

int store_app_history_list(struct store_conn *c, const char *district, int64_t app_id,
			   struct store_app_history **items, size_t *n, struct yerr *err)
{
	struct store_result *res = NULL;
	int rc;

	*items = NULL;
	*n = 0;
	rc = store_exec(c,
			"SELECT seq, action, from_status, to_status, actor_id, actor_name, "
			"actor_role, department, reason, detail, at FROM application_history "
			"WHERE district = ? AND application_id = ? ORDER BY seq",
			(struct store_param[]){SP_TEXT(district), SP_INT(app_id)}, 2, &res, err);
	if (rc < 0)
		return rc;
	*items = calloc((size_t)(res->rows ? res->rows : 1), sizeof(**items));
	if (*items == NULL)
		abort();
	for (int i = 0; i < res->rows; i++) {
		struct store_app_history *h = &(*items)[i];

		h->seq = (int)store_cell_int(res, i, 0, 0);
		h->action = store_cell_dup(res, i, 1);
		h->from_status = store_cell_dup(res, i, 2);
		h->to_status = store_cell_dup(res, i, 3);
		h->actor_id = store_cell_int(res, i, 4, 0);
		h->actor_name = store_cell_dup(res, i, 5);
		h->actor_role = store_cell_dup(res, i, 6);
		h->department = store_cell_dup(res, i, 7);
		h->reason = store_cell_dup(res, i, 8);
		h->detail = store_cell_dup(res, i, 9);
		h->at = store_cell_int(res, i, 10, 0);
	}
	*n = (size_t)res->rows;
	store_result_free(res);
	return 0;
}

void store_app_history_free(struct store_app_history *items, size_t n)
{
	for (size_t i = 0; items && i < n; i++) {
		free(items[i].action);
		free(items[i].from_status);
		free(items[i].to_status);
		free(items[i].actor_name);
		free(items[i].actor_role);
		free(items[i].department);
		free(items[i].reason);
		free(items[i].detail);
	}
	free(items);
}

/* lists ------------------------------------------------------------------------------ */

int store_app_list(struct store_conn *c, const char *district, const struct store_app_filter *f,
		   long limit, long offset, struct store_app_summary **items, size_t *n,
		   int64_t *total, struct yerr *err)
{
	struct store_param p[6];
	struct store_result *res = NULL;
	char where[512], sql[1400];
	int np = 0, rc;

	*items = NULL;
	*n = 0;
	*total = 0;
	p[np++] = SP_TEXT(district);
	if (f->applicant_id > 0) {
		snprintf(where, sizeof(where), "a.district = ? AND a.applicant_id = ?");
		p[np++] = SP_INT(f->applicant_id);
	} else if (f->department != NULL) {
		/* The department's rows from application_departments_dept, not
		 * a probe of every application of the district: a department
		 * row has its application's district, so a.district needs no
		 * test of its own (with one, SQLite scans by district). */
		np = 0;
		snprintf(where, sizeof(where),
			 "a.status <> 'draft' AND a.id IN (SELECT d.application_id FROM "
			 "application_departments d WHERE d.district = ? AND d.department = ?)");
		p[np++] = SP_TEXT(district);
		p[np++] = SP_TEXT(f->department);
	} else if (f->window) {
		snprintf(where, sizeof(where),
			 "a.district = ? AND (a.status <> 'draft' OR a.created_by = ?)");
		p[np++] = SP_INT(f->viewer_id);
	} else {
		snprintf(where, sizeof(where), "a.district = ?");
	}
	if (f->status != NULL) {
		strncat(where, " AND a.status = ?", sizeof(where) - strlen(where) - 1);
		p[np++] = SP_TEXT(f->status);
	}
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM applications a WHERE %s", where);
	if ((rc = store_query_int(c, sql, p, np, 0, total, err)) < 0)
		return rc;
	snprintf(
	    sql, sizeof(sql),
	    "SELECT a.id, a.number, a.industry, a.status, a.version, a.applicant_id, "
	    "u.display_name, a.walk_in, a.due_day, a.holder, a.created_at, a.submitted_at, "
	    "a.updated_at, a.kind, a.license_number FROM applications a JOIN users u ON u.id = "
	    "a.applicant_id "
	    "WHERE %s ORDER BY a.id DESC LIMIT ? OFFSET ?",
	    where);
	p[np++] = SP_INT(limit);
	p[np++] = SP_INT(offset);
	if ((rc = store_exec(c, sql, p, np, &res, err)) < 0)
		return rc;
	*items = calloc((size_t)(res->rows ? res->rows : 1), sizeof(**items));
	if (*items == NULL)
		abort();
	for (int i = 0; i < res->rows; i++) {
		struct store_app_summary *s = &(*items)[i];

		s->id = store_cell_int(res, i, 0, 0);
		store_cell_copy(res, i, 1, s->number, sizeof(s->number));
		store_cell_copy(res, i, 2, s->industry, sizeof(s->industry));
		store_cell_copy(res, i, 3, s->status, sizeof(s->status));
		s->version = store_cell_int(res, i, 4, 0);
		s->applicant_id = store_cell_int(res, i, 5, 0);
		store_cell_copy(res, i, 6, s->applicant_name, sizeof(s->applicant_name));
		s->walk_in = store_cell_int(res, i, 7, 0) != 0;
		s->due_day = store_day_parse(store_cell(res, i, 8));
		store_cell_copy(res, i, 9, s->holder, sizeof(s->holder));
		s->created_at = store_cell_int(res, i, 10, 0);
		s->submitted_at = store_cell_int(res, i, 11, 0);
		s->updated_at = store_cell_int(res, i, 12, 0);
		store_cell_copy(res, i, 13, s->kind, sizeof(s->kind)); /* lic-life */
		store_cell_copy(res, i, 14, s->license_number, sizeof(s->license_number));
	}
	*n = (size_t)res->rows;
	store_result_free(res);
	return 0;
}

/* 智慧填报 sources and materials ---------------------------------------------------- */

int store_app_prefill_sources(struct store_conn *c, const char *district, int64_t applicant_id,
			      int64_t exclude_id, char **entity, char **latest, struct yerr *err)
{
	struct store_result *res = NULL;
	int rc;

	*entity = *latest = NULL;
	rc = store_exec(c,
			"SELECT e.name, e.uscc FROM users u JOIN entities e ON e.id = u.entity_id "
			"WHERE u.district = ? AND u.id = ?",
			(struct store_param[]){SP_TEXT(district), SP_INT(applicant_id)}, 2, &res,
			err);
	if (rc < 0)
		return rc;
	if (res->rows > 0) {
		json_t *o = json_object();

		json_object_set_new(o, "F_ent_name", json_string(store_cell(res, 0, 0)));
		if (store_cell(res, 0, 1))
			json_object_set_new(o, "F_uscc", json_string(store_cell(res, 0, 1)));
		*entity = json_dumps(o, JSON_COMPACT);
		json_decref(o);
	}
	store_result_free(res);
	/* Only the applicant's few newest applications are looked at: the
	 * form sits behind the large frozen notice in each row, so reading it
	 * from every earlier draft would make each new application cost more
	 * than the last. */
	rc = store_exec(
	    c,
	    "SELECT form FROM applications WHERE id IN (SELECT id FROM applications "
	    "WHERE district = ? AND applicant_id = ? AND id <> ? ORDER BY id DESC LIMIT 8) "
	    "AND form <> '{}' ORDER BY updated_at DESC, id DESC LIMIT 1",
	    (struct store_param[]){SP_TEXT(district), SP_INT(applicant_id), SP_INT(exclude_id)}, 3,
	    &res, err);
	if (rc < 0)
		return rc;
	if (res->rows > 0)
		*latest = store_cell_dup(res, 0, 0);
	store_result_free(res);
	return 0;
}

int store_app_applicant_by_uscc(struct store_conn *c, const char *district, const char *uscc,
				int64_t *user_id, struct yerr *err)
{
	struct store_result *res = NULL;
	int rc;

	rc = store_query_row(c,
			     "SELECT u.id FROM users u JOIN entities e ON e.id = u.entity_id "
			     "JOIN user_roles r ON r.user_id = u.id AND r.role = 'applicant' "
			     "WHERE u.district = ? AND e.uscc = ? AND u.disabled = 0 "
			     "ORDER BY u.id LIMIT 1",
			     (struct store_param[]){SP_TEXT(district), SP_TEXT(uscc)}, 2, &res, 404,
			     "unknown_entity", "该统一社会信用代码没有对应的申请人账号", err);
	if (rc < 0)
		return rc;
	*user_id = store_cell_int(res, 0, 0, 0);
	store_result_free(res);
	return 0;
}

int store_app_material_ids(struct store_conn *c, const char *district, int64_t app_id, char ***ids,
			   size_t *n, struct yerr *err)
{
	struct store_result *res = NULL;
	int rc;

	*ids = NULL;
	*n = 0;
	rc = store_exec(c,
			"SELECT material_id FROM application_materials WHERE district = ? AND "
			"application_id = ? ORDER BY material_id",
			(struct store_param[]){SP_TEXT(district), SP_INT(app_id)}, 2, &res, err);
	if (rc < 0)
		return rc;
	*ids = calloc((size_t)(res->rows ? res->rows : 1), sizeof(**ids));
	if (*ids == NULL)
		abort();
	for (int i = 0; i < res->rows; i++)
		(*ids)[i] = store_cell_dup(res, i, 0);
	*n = (size_t)res->rows;
	store_result_free(res);
	return 0;
}

void store_strings_free(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}
