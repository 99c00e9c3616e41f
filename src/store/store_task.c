/*
 * store_task.c — SQL of tasks: what someone has to do about an application,
 * with its due day (store_application.h). A task is in the inbox of a role
 * of a department (the window's tasks have no department: every window clerk
 * of the district) or of one person (the applicant's supplement task).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_application.h"

/* Whose inbox a task of this kind is in. */
static const char *task_role(enum wf_task_kind kind)
{
	switch (kind) {
	case WF_TASK_ACCEPTANCE:
		return "window_clerk";
	case WF_TASK_SUPPLEMENT:
		return "applicant";
	case WF_TASK_REVIEW:
		return "reviewer";
	case WF_TASK_INSPECTION:
	case WF_TASK_VERIFICATION:
	default:
		return "inspector";
	}
}

int store_task_create(struct store_conn *c, const char *district, int64_t app_id,
		      enum wf_task_kind kind, const char *department, const char *permit,
		      int64_t assignee_id, int due_day, int64_t now, struct yerr *err)
{
	char due[16];

	store_day_text(due_day, due);
	return store_exec(
	    c,
	    "INSERT INTO tasks (district, application_id, kind, role, department, permit, "
	    "assignee_id, state, due_day, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)",
	    (struct store_param[]){SP_TEXT(district), SP_INT(app_id),
				   SP_TEXT(workflow_task_kind_name(kind)), SP_TEXT(task_role(kind)),
				   department && department[0] ? SP_TEXT(department) : SP_NULL,
				   permit && permit[0] ? SP_TEXT(permit) : SP_NULL,
				   assignee_id > 0 ? SP_INT(assignee_id) : SP_NULL,
				   due[0] ? SP_TEXT(due) : SP_NULL, SP_INT(now)},
	    9, NULL, err);
}

int store_task_close(struct store_conn *c, const char *district, int64_t app_id, int kind,
		     const char *department, int64_t by, int64_t now, struct yerr *err)
{
	if (kind < 0)
		return store_exec(c,
				  "UPDATE tasks SET state = 'closed', closed_at = ?, closed_by = ? "
				  "WHERE district = ? AND application_id = ? AND state = 'open'",
				  (struct store_param[]){SP_INT(now), by ? SP_INT(by) : SP_NULL,
							 SP_TEXT(district), SP_INT(app_id)},
				  4, NULL, err);
	return store_exec(
	    c,
	    "UPDATE tasks SET state = 'closed', closed_at = ?, closed_by = ? "
	    "WHERE district = ? AND application_id = ? AND state = 'open' AND "
	    "kind = ? AND coalesce(department, '') = ?",
	    (struct store_param[]){SP_INT(now), by ? SP_INT(by) : SP_NULL, SP_TEXT(district),
				   SP_INT(app_id),
				   SP_TEXT(workflow_task_kind_name((enum wf_task_kind)kind)),
				   SP_TEXT(department ? department : "")},
	    6, NULL, err);
}

int store_task_redate(struct store_conn *c, const char *district, int64_t app_id,
		      enum wf_task_kind kind, const char *department, int due_day, struct yerr *err)
{
	char due[16];

	store_day_text(due_day, due);
	return store_exec(c,
			  "UPDATE tasks SET due_day = ? WHERE district = ? AND application_id = ? "
			  "AND state = 'open' AND kind = ? AND coalesce(department, '') = ?",
			  (struct store_param[]){due[0] ? SP_TEXT(due) : SP_NULL, SP_TEXT(district),
						 SP_INT(app_id),
						 SP_TEXT(workflow_task_kind_name(kind)),
						 SP_TEXT(department ? department : "")},
			  5, NULL, err);
}

void store_tasks_from_result(const struct store_result *res, struct store_task **items, size_t *n)
{
	*items = calloc((size_t)(res->rows ? res->rows : 1), sizeof(**items));
	if (*items == NULL)
		abort();
	for (int i = 0; i < res->rows; i++) {
		struct store_task *t = &(*items)[i];

		t->id = store_cell_int(res, i, 0, 0);
		t->application_id = store_cell_int(res, i, 1, 0);
		snprintf(t->number, sizeof(t->number), "%s", store_cell(res, i, 2));
		snprintf(t->industry, sizeof(t->industry), "%s", store_cell(res, i, 3));
		snprintf(t->status, sizeof(t->status), "%s", store_cell(res, i, 4));
		snprintf(t->kind, sizeof(t->kind), "%s", store_cell(res, i, 5));
		snprintf(t->role, sizeof(t->role), "%s", store_cell(res, i, 6));
		snprintf(t->department, sizeof(t->department), "%s",
			 store_cell(res, i, 7) ? store_cell(res, i, 7) : "");
		snprintf(t->permit, sizeof(t->permit), "%s",
			 store_cell(res, i, 8) ? store_cell(res, i, 8) : "");
		t->assignee_id = store_cell_int(res, i, 9, 0);
		snprintf(t->state, sizeof(t->state), "%s", store_cell(res, i, 10));
		t->due_day = store_day_parse(store_cell(res, i, 11));
		t->created_at = store_cell_int(res, i, 12, 0);
		t->closed_at = store_cell_int(res, i, 13, 0);
	}
	*n = (size_t)res->rows;
}

int store_tasks_inbox(struct store_conn *c, const char *district, const struct principal *p,
		      const char *kind, long limit, long offset, struct store_task **items,
		      size_t *n, int64_t *total, struct yerr *err)
{
	static const enum role staff[] = {ROLE_WINDOW_CLERK, ROLE_REVIEWER, ROLE_INSPECTOR};
	struct store_param prm[16];
	struct store_result *res = NULL;
	char where[1024], sql[2048];
	size_t len;
	int np = 0, rc;

	*items = NULL;
	*n = 0;
	*total = 0;
	prm[np++] = SP_TEXT(district);
	prm[np++] = SP_INT(p->id);
	len = (size_t)snprintf(where, sizeof(where),
			       "t.district = ? AND t.state = 'open' AND (t.assignee_id = ?");
	/* A staff role sees its department's tasks; a window task (no
	 * department) is every window clerk's. */
	for (size_t i = 0; i < sizeof(staff) / sizeof(staff[0]); i++) {
		if (!(p->roles & ROLE_BIT(staff[i])))
			continue;
		len += (size_t)snprintf(
		    where + len, sizeof(where) - len, " OR (t.role = ? AND (t.department = ?%s))",
		    staff[i] == ROLE_WINDOW_CLERK ? " OR t.department IS NULL" : "");
		prm[np++] = SP_TEXT(role_name(staff[i]));
		prm[np++] = SP_TEXT(p->department);
	}
	len += (size_t)snprintf(where + len, sizeof(where) - len, ")");
	if (kind != NULL) {
		snprintf(where + len, sizeof(where) - len, " AND t.kind = ?");
		prm[np++] = SP_TEXT(kind);
	}
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM tasks t WHERE %s", where);
	if ((rc = store_query_int(c, sql, prm, np, 0, total, err)) < 0)
		return rc;
	snprintf(sql, sizeof(sql),
		 "SELECT " STORE_TASK_COLS " FROM tasks t JOIN applications a ON a.id = "
		 "t.application_id WHERE %s ORDER BY t.due_day, t.id LIMIT ? OFFSET ?",
		 where);
	prm[np++] = SP_INT(limit);
	prm[np++] = SP_INT(offset);
	if ((rc = store_exec(c, sql, prm, np, &res, err)) < 0)
		return rc;
	store_tasks_from_result(res, items, n);
	store_result_free(res);
	return 0;
}

int store_tasks_of_app(struct store_conn *c, const char *district, int64_t app_id,
		       struct store_task **items, size_t *n, struct yerr *err)
{
	struct store_result *res = NULL;
	int rc;

	*items = NULL;
	*n = 0;
	rc = store_exec(c,
			"SELECT " STORE_TASK_COLS " FROM tasks t JOIN applications a ON a.id = "
			"t.application_id WHERE t.district = ? AND t.application_id = ? "
			"ORDER BY t.id",
			(struct store_param[]){SP_TEXT(district), SP_INT(app_id)}, 2, &res, err);
	if (rc < 0)
		return rc;
	store_tasks_from_result(res, items, n);
	store_result_free(res);
	return 0;
}
