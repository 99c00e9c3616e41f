/*
 * store_ratings.c — SQL of ratings and their follow-up tasks
 * (store_ratings.h); typical cases are in store_typical_cases.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/date.h"
#include "core/deadline.h"
#include "core/text.h"
#include "store/store_application.h"
#include "store/store_calendar.h"
#include "store/store_ratings.h"
#include "store/store_ratings_internal.h"

static const char *const level_labels[6] = {NULL,       "非常不满意", "不满意",
					    "基本满意", "满意",       "非常满意"};

const char *rating_level_label(int level)
{
	return level >= 1 && level <= 5 ? level_labels[level] : NULL;
}

int ratings_app_load(struct store_conn *c, const char *district, int64_t id, bool lock,
		     struct ratings_app *out, struct yerr *err)
{
	struct store_result *r;
	int rc = store_query_row(
	    c,
	    lock ? "SELECT applicant_id, status, industry, number FROM applications WHERE "
		   "district = ? AND id = ? FOR UPDATE"
		 : "SELECT applicant_id, status, industry, number FROM applications WHERE "
		   "district = ? AND id = ?",
	    (struct store_param[]){SP_TEXT(district), SP_INT(id)}, 2, &r, 404,
	    "application_not_found", "申请不存在", err);

	memset(out, 0, sizeof(*out));
	if (rc < 0)
		return rc;
	out->applicant_id = store_cell_int(r, 0, 0, 0);
	store_cell_copy(r, 0, 1, out->status, sizeof(out->status));
	store_cell_copy(r, 0, 2, out->industry, sizeof(out->industry));
	store_cell_copy(r, 0, 3, out->number, sizeof(out->number));
	store_result_free(r);
	return 0;
}

bool rating_app_completed(const char *status)
{
	return status && (strcmp(status, "licensed") == 0 || strcmp(status, "rejected") == 0 ||
			  strcmp(status, "refused") == 0 || strcmp(status, "withdrawn") == 0);
}

/* Appends the first column of every row of sql (bound to district and
 * app_id) to depts, skipping repeats. */
static int add_depts(struct store_conn *c, const char *sql, const char *district, int64_t app_id,
		     char (*depts)[RATING_DEPT_SIZE], size_t *n, struct yerr *err)
{
	struct store_result *r;
	int rc = store_exec(c, sql, (struct store_param[]){SP_TEXT(district), SP_INT(app_id)}, 2,
			    &r, err);

	if (rc < 0)
		return rc;
	for (int i = 0; i < r->rows && *n < RATING_DEPTS_MAX; i++) {
		const char *d = store_cell(r, i, 0);
		bool seen = d == NULL || d[0] == '\0';

		for (size_t k = 0; !seen && k < *n; k++)
			seen = strcmp(depts[k], d) == 0;
		if (!seen)
			snprintf(depts[(*n)++], RATING_DEPT_SIZE, "%s", d);
	}
	store_result_free(r);
	return 0;
}

/* The departments concerned by a rating of an application in status (the
 * rule of store_ratings.h). */
static int concerned(struct store_conn *c, const char *district, int64_t app_id, const char *status,
		     char (*depts)[RATING_DEPT_SIZE], size_t *n, struct yerr *err)
{
	int rc = 0;

	*n = 0;
	if (strcmp(status, "refused") == 0)
		rc = add_depts(c,
			       "SELECT u.department FROM application_history h JOIN users u ON "
			       "u.id = h.actor_id WHERE h.district = ? AND h.application_id = ? "
			       "AND h.action = 'refuse' ORDER BY h.seq DESC LIMIT 1",
			       district, app_id, depts, n, err);
	else if (strcmp(status, "rejected") == 0)
		rc = add_depts(c,
			       "SELECT department FROM application_departments WHERE district = "
			       "? AND application_id = ? AND review = 'rejected' ORDER BY position",
			       district, app_id, depts, n, err);
	if (rc == 0 && *n == 0)
		rc = add_depts(c,
			       "SELECT department FROM application_departments WHERE district = "
			       "? AND application_id = ? ORDER BY position",
			       district, app_id, depts, n, err);
	return rc;
}

/* The day RATING_FOLLOWUP_DAYS working days after today, on district's
 * calendar as stored (a year not imported counts weekends only). */
static int followup_due(struct store_conn *c, const char *district, int today, int *due,
			struct yerr *err)
{
	struct calendar cal;
	bool provisional;
	int rc;

	calendar_init(&cal);
	rc = store_calendar_load(c, district, &cal, err);
	if (rc == 0)
		rc = deadline_add(&cal, today, RATING_FOLLOWUP_DAYS, due, &provisional, err);
	calendar_free(&cal);
	return rc;
}

/* Opens the follow-up task of each department and tells its staff. */
static int open_followups(struct store_conn *c, const char *district, int64_t rating_id,
			  int64_t app_id, const char *number, int level,
			  char (*depts)[RATING_DEPT_SIZE], size_t n, int today, int64_t now,
			  struct yerr *err)
{
	static const char *const roles[] = {"window_clerk", "reviewer", "supervisor"};
	char today_s[16], due_s[16], title[256];
	int due, rc = followup_due(c, district, today, &due, err);

	if (rc < 0)
		return rc;
	date_format(today, today_s, sizeof(today_s));
	date_format(due, due_s, sizeof(due_s));
	snprintf(title, sizeof(title), "差评整改：申请 %s 收到“%s”评价，请于 %s 前回复", number,
		 rating_level_label(level), due_s);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		rc = store_exec(
		    c,
		    "INSERT INTO rating_followups (district, rating_id, application_id, "
		    "department, state, created_on, due_day, created_at) VALUES (?, ?, "
		    "?, ?, 'open', ?, ?, ?)",
		    (struct store_param[]){SP_TEXT(district), SP_INT(rating_id), SP_INT(app_id),
					   SP_TEXT(depts[i]), SP_TEXT(today_s), SP_TEXT(due_s),
					   SP_INT(now)},
		    7, NULL, err);
		for (size_t k = 0; rc == 0 && k < sizeof(roles) / sizeof(roles[0]); k++)
			rc = store_notify_role(c, district, roles[k], depts[i], app_id,
					       "rating_followup", title, "/ratings/followups", now,
					       err);
	}
	return rc;
}

int rating_submit(struct store_conn *c, const char *district, int64_t application_id,
		  int64_t user_id, int level, const char *comment, int64_t now, struct yerr *err)
{
	char depts[RATING_DEPTS_MAX][RATING_DEPT_SIZE];
	char joined[RATING_DEPTS_MAX * RATING_DEPT_SIZE] = "", day[16];
	struct ratings_app a;
	int64_t rated, id;
	int today = date_today_shanghai((time_t)now);
	size_t n = 0, len = 0;
	long chars;
	int rc;

	if (level < 1 || level > 5)
		return yerr_set(err, 400, "invalid_level", "level",
				"评价等级须为 1（非常不满意）到 5（非常满意）");
	if (comment != NULL) {
		chars = text_chars(comment, strlen(comment));
		if (chars < 0)
			return yerr_set(err, 400, "invalid_text", "comment",
					"评价内容不是有效的文字");
		if (chars > RATING_COMMENT_MAX)
			return yerr_set(err, 400, "comment_too_long", "comment",
					"评价内容最多 %d 个字", RATING_COMMENT_MAX);
	}
	/* The application's row lock (PostgreSQL; SQLite holds the write lock)
	 * makes the check for an earlier rating and the insert one step. */
	rc = ratings_app_load(c, district, application_id, true, &a, err);
	if (rc == 0 && a.applicant_id != user_id)
		rc = yerr_set(err, 404, "application_not_found", NULL, "申请不存在");
	if (rc == 0 && !rating_app_completed(a.status))
		rc = yerr_set(err, 409, "application_not_completed", NULL,
			      "办件办结（已发证、不予许可、不予受理或已撤回）后才能评价");
	if (rc == 0)
		rc = store_query_int(
		    c,
		    "SELECT COUNT(*) FROM ratings WHERE district = ? AND "
		    "application_id = ?",
		    (struct store_param[]){SP_TEXT(district), SP_INT(application_id)}, 2, 0, &rated,
		    err);
	if (rc == 0 && rated > 0)
		rc = yerr_set(err, 409, "already_rated", NULL, "该办件已评价过，每件只能评价一次");
	if (rc == 0)
		rc = concerned(c, district, application_id, a.status, depts, &n, err);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(joined + len, sizeof(joined) - len, "%s%s", i ? "," : "",
					depts[i]);
	date_format(today, day, sizeof(day));
	rc = store_query_int(
	    c,
	    "INSERT INTO ratings (district, application_id, applicant_id, level, comment, "
	    "rated_at, rated_on, industry, app_status, departments) VALUES (?, ?, ?, ?, ?, ?, ?, "
	    "?, ?, ?) RETURNING id",
	    (struct store_param[]){SP_TEXT(district), SP_INT(application_id), SP_INT(user_id),
				   SP_INT(level), comment ? SP_TEXT(comment) : SP_NULL, SP_INT(now),
				   SP_TEXT(day), SP_TEXT(a.industry), SP_TEXT(a.status),
				   SP_TEXT(joined)},
	    10, 0, &id, err);
	if (rc == 0 && level <= RATING_BAD_LEVEL)
		rc = open_followups(c, district, id, application_id, a.number, level, depts, n,
				    today, now, err);
	return rc;
}

void store_rating_free(struct store_rating *r)
{
	if (r == NULL)
		return;
	free(r->comment);
	r->comment = NULL;
}

int store_rating_get(struct store_conn *c, const char *district, int64_t application_id,
		     struct store_rating *out, struct yerr *err)
{
	struct store_result *r;
	int rc = store_query_row(
	    c,
	    "SELECT id, application_id, applicant_id, level, comment, rated_at, rated_on, "
	    "industry, app_status, departments FROM ratings WHERE district = ? AND "
	    "application_id = ?",
	    (struct store_param[]){SP_TEXT(district), SP_INT(application_id)}, 2, &r, 404,
	    "rating_not_found", "该办件尚未评价", err);

	memset(out, 0, sizeof(*out));
	if (rc < 0)
		return rc;
	out->id = store_cell_int(r, 0, 0, 0);
	out->application_id = store_cell_int(r, 0, 1, 0);
	out->applicant_id = store_cell_int(r, 0, 2, 0);
	out->level = (int)store_cell_int(r, 0, 3, 0);
	out->comment = store_cell_dup(r, 0, 4);
	out->rated_at = store_cell_int(r, 0, 5, 0);
	store_cell_copy(r, 0, 6, out->rated_on, sizeof(out->rated_on));
	store_cell_copy(r, 0, 7, out->industry, sizeof(out->industry));
	store_cell_copy(r, 0, 8, out->app_status, sizeof(out->app_status));
	store_cell_copy(r, 0, 9, out->departments, sizeof(out->departments));
	store_result_free(r);
	return 0;
}

/* follow-ups ---------------------------------------------------------------- */

#define FOLLOWUP_COLS                                                                             \
	"f.id, f.rating_id, f.application_id, a.number, a.industry, r.app_status, f.department, " \
	"f.state, f.created_on, f.due_day, f.replied_on, f.created_at, f.replied_at, "            \
	"f.replied_by, f.reply, r.level, r.comment, r.rated_on"
#define FOLLOWUP_FROM                                                                        \
	" FROM rating_followups f JOIN ratings r ON r.id = f.rating_id JOIN applications a " \
	"ON a.id = f.application_id"

void store_followup_free(struct store_followup *f)
{
	if (f == NULL)
		return;
	free(f->reply);
	free(f->comment);
	f->reply = f->comment = NULL;
}

void store_followups_free(struct store_followup *items, size_t n)
{
	for (size_t i = 0; items && i < n; i++)
		store_followup_free(&items[i]);
	free(items);
}

static void followup_from_row(const struct store_result *r, int i, struct store_followup *f)
{
	memset(f, 0, sizeof(*f));
	f->id = store_cell_int(r, i, 0, 0);
	f->rating_id = store_cell_int(r, i, 1, 0);
	f->application_id = store_cell_int(r, i, 2, 0);
	store_cell_copy(r, i, 3, f->number, sizeof(f->number));
	store_cell_copy(r, i, 4, f->industry, sizeof(f->industry));
	store_cell_copy(r, i, 5, f->app_status, sizeof(f->app_status));
	store_cell_copy(r, i, 6, f->department, sizeof(f->department));
	store_cell_copy(r, i, 7, f->state, sizeof(f->state));
	store_cell_copy(r, i, 8, f->created_on, sizeof(f->created_on));
	store_cell_copy(r, i, 9, f->due_day, sizeof(f->due_day));
	store_cell_copy(r, i, 10, f->replied_on, sizeof(f->replied_on));
	f->created_at = store_cell_int(r, i, 11, 0);
	f->replied_at = store_cell_int(r, i, 12, 0);
	f->replied_by = store_cell_int(r, i, 13, 0);
	f->reply = store_cell_dup(r, i, 14);
	f->level = (int)store_cell_int(r, i, 15, 0);
	f->comment = store_cell_dup(r, i, 16);
	store_cell_copy(r, i, 17, f->rated_on, sizeof(f->rated_on));
}

static void followups_from_result(const struct store_result *r, struct store_followup **items,
				  size_t *n)
{
	*items = calloc((size_t)(r->rows ? r->rows : 1), sizeof(**items));
	if (*items == NULL)
		abort();
	for (int i = 0; i < r->rows; i++)
		followup_from_row(r, i, &(*items)[i]);
	*n = (size_t)r->rows;
}

int store_followups_of_rating(struct store_conn *c, const char *district, int64_t rating_id,
			      struct store_followup **items, size_t *n, struct yerr *err)
{
	struct store_result *r;
	int rc =
	    store_exec(c,
		       "SELECT " FOLLOWUP_COLS FOLLOWUP_FROM
		       " WHERE f.district = ? AND f.rating_id = ? ORDER BY f.department",
		       (struct store_param[]){SP_TEXT(district), SP_INT(rating_id)}, 2, &r, err);

	*items = NULL;
	*n = 0;
	if (rc < 0)
		return rc;
	followups_from_result(r, items, n);
	store_result_free(r);
	return 0;
}

int store_followup_list(struct store_conn *c, const char *district,
			const struct store_followup_filter *f, struct store_followup **items,
			size_t *n, int64_t *total, struct yerr *err)
{
	/* Each condition is switched off by binding its value NULL, so one
	 * statement serves every combination of filters. */
	static const char where[] =
	    FOLLOWUP_FROM " WHERE f.district = ? AND (CAST(? AS TEXT) IS NULL OR f.department = ?) "
			  "AND (CAST(? AS TEXT) IS NULL OR f.state = ?) "
			  "AND (CAST(? AS TEXT) IS NULL OR (f.state = 'open' AND f.due_day < ?))";
	struct store_param p[9] = {
	    SP_TEXT(district),           SP_TEXT(f->department), SP_TEXT(f->department),
	    SP_TEXT(f->state),           SP_TEXT(f->state),      SP_TEXT(f->open_due_before),
	    SP_TEXT(f->open_due_before), SP_INT(f->limit),       SP_INT(f->offset)};
	char sql[1536];
	struct store_result *r;
	int rc;

	*items = NULL;
	*n = 0;
	*total = 0;
	snprintf(sql, sizeof(sql), "SELECT COUNT(*)%s", where);
	rc = store_query_int(c, sql, p, 7, 0, total, err);
	if (rc < 0)
		return rc;
	snprintf(sql, sizeof(sql),
		 "SELECT " FOLLOWUP_COLS "%s ORDER BY CASE WHEN f.state = 'open' THEN 0 ELSE 1 "
		 "END, CASE WHEN f.state = 'open' THEN f.due_day ELSE '' END, f.id DESC LIMIT ? "
		 "OFFSET ?",
		 where);
	rc = store_exec(c, sql, p, 9, &r, err);
	if (rc < 0)
		return rc;
	followups_from_result(r, items, n);
	store_result_free(r);
	return 0;
}

int store_followup_get(struct store_conn *c, const char *district, int64_t id, bool lock,
		       struct store_followup *out, struct yerr *err)
{
	struct store_result *r;
	int rc;

	memset(out, 0, sizeof(*out));
	/* Lock the row alone first: FOR UPDATE on a join would lock every
	 * joined row on PostgreSQL. */
	if (lock) {
		rc =
		    store_query_row(c,
				    "SELECT id FROM rating_followups WHERE district = ? AND id = ? "
				    "FOR UPDATE",
				    (struct store_param[]){SP_TEXT(district), SP_INT(id)}, 2, &r,
				    404, "followup_not_found", "整改任务不存在", err);
		if (rc < 0)
			return rc;
		store_result_free(r);
	}
	rc = store_query_row(
	    c, "SELECT " FOLLOWUP_COLS FOLLOWUP_FROM " WHERE f.district = ? AND f.id = ?",
	    (struct store_param[]){SP_TEXT(district), SP_INT(id)}, 2, &r, 404, "followup_not_found",
	    "整改任务不存在", err);
	if (rc < 0)
		return rc;
	followup_from_row(r, 0, out);
	store_result_free(r);
	return 0;
}

int store_followup_reply(struct store_conn *c, const char *district, int64_t id, const char *reply,
			 int64_t actor, const char *day, int64_t now, struct yerr *err)
{
	struct store_followup f;
	char title[256];
	int64_t applicant = 0;
	int rc = store_followup_get(c, district, id, true, &f, err);

	if (rc < 0)
		return rc;
	if (strcmp(f.state, "open") != 0)
		rc = yerr_set(err, 409, "followup_replied", NULL, "该整改任务已回复");
	if (rc == 0)
		rc =
		    store_exec(c,
			       "UPDATE rating_followups SET state = 'replied', reply = ?, "
			       "replied_on = ?, replied_at = ?, replied_by = ? WHERE district = ? "
			       "AND id = ?",
			       (struct store_param[]){SP_TEXT(reply), SP_TEXT(day), SP_INT(now),
						      SP_INT(actor), SP_TEXT(district), SP_INT(id)},
			       6, NULL, err);
	if (rc == 0)
		rc = store_query_int(
		    c, "SELECT applicant_id FROM ratings WHERE district = ? AND id = ?",
		    (struct store_param[]){SP_TEXT(district), SP_INT(f.rating_id)}, 2, 0,
		    &applicant, err);
	if (rc == 0) {
		char link[64];

		snprintf(title, sizeof(title), "您对申请 %s 的评价已有部门回复", f.number);
		snprintf(link, sizeof(link), "/applications/%lld", (long long)f.application_id);
		rc = store_notify_user(c, district, applicant, f.application_id, "rating_reply",
				       title, link, now, err);
	}
	store_followup_free(&f);
	return rc;
}
