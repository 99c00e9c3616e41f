/*
 * store_notification.c — SQL of the in-app notifications
 * (store_application.h). A message to a role of a department is written
 * once for each person holding it, so each reads it on their own and an
 * inbox is one indexed range of rows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_application.h"

int store_notify_user(struct store_conn *c, const char *district, int64_t user_id, int64_t app_id,
		      const char *event, const char *title, const char *link, int64_t now,
		      struct yerr *err)
{
	return store_exec(c,
			  "INSERT INTO notifications (district, user_id, application_id, event, "
			  "title, link, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
			  (struct store_param[]){SP_TEXT(district), SP_INT(user_id),
						 app_id ? SP_INT(app_id) : SP_NULL, SP_TEXT(event),
						 SP_TEXT(title), SP_TEXT(link), SP_INT(now)},
			  7, NULL, err);
}

int store_notify_role(struct store_conn *c, const char *district, const char *role,
		      const char *department, int64_t app_id, const char *event, const char *title,
		      const char *link, int64_t now, struct yerr *err)
{
	bool any = department == NULL || department[0] == '\0';

	return store_exec(
	    c,
	    "INSERT INTO notifications (district, user_id, role, department, application_id, "
	    "event, title, link, created_at) "
	    "SELECT ?, u.id, ?, ?, ?, ?, ?, ?, ? FROM users u JOIN user_roles r ON r.user_id = "
	    "u.id "
	    "WHERE u.district = ? AND r.role = ? AND u.disabled = 0 AND (? = 1 OR u.department = "
	    "?)",
	    (struct store_param[]){SP_TEXT(district), SP_TEXT(role),
				   any ? SP_NULL : SP_TEXT(department),
				   app_id ? SP_INT(app_id) : SP_NULL, SP_TEXT(event),
				   SP_TEXT(title), SP_TEXT(link), SP_INT(now), SP_TEXT(district),
				   SP_TEXT(role), SP_INT(any), SP_TEXT(any ? "" : department)},
	    12, NULL, err);
}

int store_notifications_list(struct store_conn *c, const char *district, int64_t user_id,
			     bool unread_only, long limit, long offset,
			     struct store_notification **items, size_t *n, int64_t *total,
			     int64_t *unread, struct yerr *err)
{
	struct store_result *res = NULL;
	int rc;

	*items = NULL;
	*n = 0;
	rc = store_query_int(
	    c,
	    "SELECT count(*) FROM notifications WHERE district = ? AND user_id = ? "
	    "AND read_at IS NULL",
	    (struct store_param[]){SP_TEXT(district), SP_INT(user_id)}, 2, 0, unread, err);
	if (rc < 0)
		return rc;
	if (unread_only)
		*total = *unread;
	else if ((rc = store_query_int(c,
				       "SELECT count(*) FROM notifications WHERE district = ? AND "
				       "user_id = ?",
				       (struct store_param[]){SP_TEXT(district), SP_INT(user_id)},
				       2, 0, total, err)) < 0)
		return rc;
	rc = store_exec(c,
			unread_only
			    ? "SELECT id, application_id, event, title, link, created_at, read_at "
			      "FROM notifications WHERE district = ? AND user_id = ? AND read_at "
			      "IS NULL ORDER BY id DESC LIMIT ? OFFSET ?"
			    : "SELECT id, application_id, event, title, link, created_at, read_at "
			      "FROM notifications WHERE district = ? AND user_id = ? "
			      "ORDER BY id DESC LIMIT ? OFFSET ?",
			(struct store_param[]){SP_TEXT(district), SP_INT(user_id), SP_INT(limit),
					       SP_INT(offset)},
			4, &res, err);
	if (rc < 0)
		return rc;
	*items = calloc((size_t)(res->rows ? res->rows : 1), sizeof(**items));
	if (*items == NULL)
		abort();
	for (int i = 0; i < res->rows; i++) {
		struct store_notification *x = &(*items)[i];

		x->id = store_cell_int(res, i, 0, 0);
		x->application_id = store_cell_int(res, i, 1, 0);
		snprintf(x->event, sizeof(x->event), "%s", store_cell(res, i, 2));
		x->title = strdup(store_cell(res, i, 3));
		x->link = strdup(store_cell(res, i, 4));
		if (x->title == NULL || x->link == NULL)
			abort();
		x->created_at = store_cell_int(res, i, 5, 0);
		x->read_at = store_cell_int(res, i, 6, 0);
	}
	*n = (size_t)res->rows;
	store_result_free(res);
	return 0;
}

void store_notifications_free(struct store_notification *items, size_t n)
{
	for (size_t i = 0; items && i < n; i++) {
		free(items[i].title);
		free(items[i].link);
	}
	free(items);
}

int store_notification_read(struct store_conn *c, const char *district, int64_t user_id, int64_t id,
			    int64_t now, struct yerr *err)
{
	struct store_result *res = NULL;
	int rc;

	rc = store_query_row(c,
			     "SELECT id FROM notifications WHERE district = ? AND id = ? AND "
			     "user_id = ?",
			     (struct store_param[]){SP_TEXT(district), SP_INT(id), SP_INT(user_id)},
			     3, &res, 404, "notification_not_found", "通知不存在", err);
	if (rc < 0)
		return rc;
	store_result_free(res);
	return store_exec(c,
			  "UPDATE notifications SET read_at = ? WHERE district = ? AND id = ? AND "
			  "read_at IS NULL",
			  (struct store_param[]){SP_INT(now), SP_TEXT(district), SP_INT(id)}, 3,
			  NULL, err);
}

int store_notifications_read_all(struct store_conn *c, const char *district, int64_t user_id,
				 int64_t now, int64_t *marked, struct yerr *err)
{
	struct store_result *res = NULL;
	int rc;

	*marked = 0;
	rc = store_exec(c,
			"UPDATE notifications SET read_at = ? WHERE district = ? AND user_id = ? "
			"AND read_at IS NULL",
			(struct store_param[]){SP_INT(now), SP_TEXT(district), SP_INT(user_id)}, 3,
			&res, err);
	if (rc < 0)
		return rc;
	*marked = res->changes;
	store_result_free(res);
	return 0;
}
