/*
 * store_checks.c — check tasks of spot-check plans and their results (see
 * store_plans.h, table check_tasks of 0031_spot_checks.sql).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_plans.h"

#define TASK_COLS                                                                             \
	"t.id, t.plan_id, t.draw_id, t.parent_id, t.kind, t.status, t.uscc, t.grade, "        \
	"t.due_on, t.done_on, t.publish_due, t.outcome, p.code, t.entity_name, t.industry, "  \
	"t.reason, t.check_items, t.results, t.notes, t.done_at, t.done_by, t.published_at, " \
	"t.created_at"
#define TASK_FROM \
	" FROM check_tasks t JOIN spot_plans p ON p.district = t.district AND p.id = t.plan_id"

void store_check_free(struct store_check *t)
{
	if (t == NULL)
		return;
	free(t->entity_name);
	free(t->industry);
	free(t->reason);
	free(t->check_items);
	free(t->results);
	free(t->notes);
	memset(t, 0, sizeof(*t));
}

void store_checks_free(struct store_check *t, int n)
{
	for (int i = 0; t && i < n; i++)
		store_check_free(&t[i]);
	free(t);
}

static void task_from_row(const struct store_result *r, int i, struct store_check *t)
{
	memset(t, 0, sizeof(*t));
	t->id = store_cell_int(r, i, 0, 0);
	t->plan_id = store_cell_int(r, i, 1, 0);
	t->draw_id = store_cell_int(r, i, 2, 0);
	t->parent_id = store_cell_int(r, i, 3, 0);
	store_cell_copy(r, i, 4, t->kind, sizeof(t->kind));
	store_cell_copy(r, i, 5, t->status, sizeof(t->status));
	store_cell_copy(r, i, 6, t->uscc, sizeof(t->uscc));
	store_cell_copy(r, i, 7, t->grade, sizeof(t->grade));
	store_cell_copy(r, i, 8, t->due_on, sizeof(t->due_on));
	store_cell_copy(r, i, 9, t->done_on, sizeof(t->done_on));
	store_cell_copy(r, i, 10, t->publish_due, sizeof(t->publish_due));
	store_cell_copy(r, i, 11, t->outcome, sizeof(t->outcome));
	store_cell_copy(r, i, 12, t->plan_code, sizeof(t->plan_code));
	t->entity_name = store_cell_dup(r, i, 13);
	t->industry = store_cell_dup(r, i, 14);
	t->reason = store_cell_dup(r, i, 15);
	t->check_items = store_cell_dup(r, i, 16);
	t->results = store_cell_dup(r, i, 17);
	t->notes = store_cell_dup(r, i, 18);
	t->done_at = store_cell_int(r, i, 19, 0);
	t->done_by = store_cell_int(r, i, 20, 0);
	t->published_at = store_cell_int(r, i, 21, 0);
	t->created_at = store_cell_int(r, i, 22, 0);
}

/* The inspectors of tasks t[0..n), in slot order. */
static int tasks_inspectors(struct store_conn *c, const char *district, struct store_check *t,
			    int n, struct yerr *err)
{
	for (int i = 0; i < n; i++) {
		struct store_result *r = NULL;
		int rc = store_exec(c,
				    "SELECT user_id, department FROM check_task_inspectors WHERE "
				    "district = ? AND task_id = ? ORDER BY slot",
				    (struct store_param[]){SP_TEXT(district), SP_INT(t[i].id)}, 2,
				    &r, err);

		if (rc < 0)
			return rc;
		for (int k = 0; k < r->rows && k < TASK_MAX_INSPECTORS; k++) {
			t[i].inspectors[k].user_id = store_cell_int(r, k, 0, 0);
			store_cell_copy(r, k, 1, t[i].inspectors[k].department,
					sizeof(t[i].inspectors[k].department));
			t[i].ninspectors++;
		}
		store_result_free(r);
	}
	return 0;
}

int store_check_insert(struct store_conn *c, const char *district, const struct store_check_in *in,
		       int64_t now, int64_t *id, struct yerr *err)
{
	struct store_result *r = NULL;
	int rc;

	/* RETURNING is portable to both backends (SQLite 3.35+) */
	rc = store_exec(
	    c,
	    "INSERT INTO check_tasks (district, plan_id, draw_id, parent_id, kind, uscc, "
	    "entity_name, industry, grade, reason, check_items, due_on, status, created_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?) RETURNING id",
	    (struct store_param[]){
		SP_TEXT(district), SP_INT(in->plan_id), in->draw_id ? SP_INT(in->draw_id) : SP_NULL,
		in->parent_id ? SP_INT(in->parent_id) : SP_NULL, SP_TEXT(in->kind),
		SP_TEXT(in->uscc), SP_TEXT(in->entity_name ? in->entity_name : ""),
		SP_TEXT(in->industry ? in->industry : ""), SP_TEXT(in->grade ? in->grade : ""),
		SP_TEXT(in->reason), SP_TEXT(in->check_items), SP_TEXT(in->due_on), SP_INT(now)},
	    13, &r, err);
	if (rc < 0)
		return rc;
	*id = store_cell_int(r, 0, 0, 0);
	store_result_free(r);
	for (size_t k = 0; k < in->ninspectors; k++) {
		rc = store_exec(
		    c,
		    "INSERT INTO check_task_inspectors (district, task_id, slot, user_id, "
		    "department) VALUES (?, ?, ?, ?, ?)",
		    (struct store_param[]){SP_TEXT(district), SP_INT(*id), SP_INT(k),
					   SP_INT(in->inspectors[k].user_id),
					   SP_TEXT(in->inspectors[k].department)},
		    5, NULL, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int store_check_get(struct store_conn *c, const char *district, int64_t id, int for_update,
		    struct store_check *out, struct yerr *err)
{
	struct store_result *r = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = store_query_row(c,
			     for_update ? "SELECT " TASK_COLS TASK_FROM
					  " WHERE t.district = ? AND t.id = ? FOR UPDATE"
					: "SELECT " TASK_COLS TASK_FROM
					  " WHERE t.district = ? AND t.id = ?",
			     (struct store_param[]){SP_TEXT(district), SP_INT(id)}, 2, &r, 404,
			     "task_not_found", "检查任务不存在", err);
	if (rc < 0)
		return rc;
	task_from_row(r, 0, out);
	store_result_free(r);
	rc = tasks_inspectors(c, district, out, 1, err);
	if (rc < 0)
		store_check_free(out);
	return rc;
}

#define TASK_WHERE                                                                            \
	" WHERE t.district = ? AND (? = 0 OR t.id IN (SELECT i.task_id FROM "                 \
	"check_task_inspectors i WHERE i.district = t.district AND i.user_id = ?)) AND (? = " \
	"0 OR p.departments LIKE ?) AND (? = 0 OR t.plan_id = ?) AND (? = 0 OR "              \
	"t.published_at IS NOT NULL) AND (? = 0 OR t.uscc = ?)"

int store_checks_list(struct store_conn *c, const char *district,
		      const struct store_check_filter *f, int limit, int offset,
		      struct store_check **out, int *n, int64_t *total, struct yerr *err)
{
	struct store_result *r = NULL;
	char like[64];
	int rc;

	*out = NULL;
	*n = 0;
	snprintf(like, sizeof(like), "%%\"%s\"%%", f->department ? f->department : "");
	struct store_param params[] = {SP_TEXT(district),       SP_INT(f->inspector > 0),
				       SP_INT(f->inspector),    SP_INT(f->department != NULL),
				       SP_TEXT(like),           SP_INT(f->plan_id > 0),
				       SP_INT(f->plan_id),      SP_INT(f->published_only),
				       SP_INT(f->uscc != NULL), SP_TEXT(f->uscc ? f->uscc : ""),
				       SP_INT(limit),           SP_INT(offset)};

	rc = store_query_int(c, "SELECT count(*)" TASK_FROM TASK_WHERE, params, 10, 0, total, err);
	if (rc == 0)
		rc = store_exec(c,
				"SELECT " TASK_COLS TASK_FROM TASK_WHERE
				" ORDER BY t.id DESC LIMIT ? OFFSET ?",
				params, 12, &r, err);
	if (rc < 0)
		return rc;
	*out = calloc((size_t)r->rows + 1, sizeof(**out));
	if (*out == NULL) {
		store_result_free(r);
		return yerr_set(err, 500, "out_of_memory", NULL, "内存不足");
	}
	for (int i = 0; i < r->rows; i++)
		task_from_row(r, i, &(*out)[i]);
	*n = r->rows;
	store_result_free(r);
	rc = tasks_inspectors(c, district, *out, *n, err);
	if (rc < 0) {
		store_checks_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

int store_check_result(struct store_conn *c, const char *district, int64_t id, const char *outcome,
		       const char *results, const char *notes, const char *done_on,
		       const char *publish_due, int64_t by, int64_t now, struct yerr *err)
{
	struct store_result *r = NULL;
	int rc;

	rc = store_exec(c,
			"UPDATE check_tasks SET status = 'done', outcome = ?, results = ?, notes = "
			"?, done_on = ?, publish_due = ?, done_by = ?, done_at = ? WHERE district "
			"= ? AND id = ? AND status = 'open'",
			(struct store_param[]){SP_TEXT(outcome), SP_TEXT(results), SP_TEXT(notes),
					       SP_TEXT(done_on), SP_TEXT(publish_due), SP_INT(by),
					       SP_INT(now), SP_TEXT(district), SP_INT(id)},
			9, &r, err);
	if (rc < 0)
		return rc;
	rc = r->changes == 1 ? 0 : yerr_set(err, 409, "task_done", NULL, "该检查任务已录入结果");
	store_result_free(r);
	return rc;
}

int store_check_publish(struct store_conn *c, const char *district, int64_t id, int64_t now,
			struct yerr *err)
{
	struct store_result *r = NULL;
	int rc;

	rc = store_exec(c,
			"UPDATE check_tasks SET published_at = ? WHERE district = ? AND id = ? AND "
			"status = 'done' AND published_at IS NULL",
			(struct store_param[]){SP_INT(now), SP_TEXT(district), SP_INT(id)}, 3, &r,
			err);
	if (rc < 0)
		return rc;
	rc = r->changes == 1
		 ? 0
		 : yerr_set(err, 409, "task_not_publishable", NULL, "检查结果尚未录入或已公示");
	store_result_free(r);
	return rc;
}
