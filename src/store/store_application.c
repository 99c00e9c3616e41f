/*
 * store_application.c — SQL of applications: the row, its departments and
 * permits, and the version-guarded write of a transition with its effects
 * (store_application.h). The history, lists and what 智慧填报 may copy are
 * in store_app_read.c, tasks in store_task.c, notifications in
 * store_notification.c.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "store/store_application.h"
#include "store/store_events.h"
#include "store/store_stats.h"

#define APP_COLS                                                                             \
	"id, number, year, serial, applicant_id, entity_id, created_by, walk_in, industry, " \
	"catalog_version, answers, (SELECT n.notice FROM application_notices n WHERE "       \
	"n.district = applications.district AND n.hash = applications.notice_hash), form, "  \
	"prefilled, commitments, status, version, "                                          \
	"rounds, review_round, all_committed, inspection_scheduled, acceptance_days, "       \
	"time_limit_days, clock_start, clock_limit, clock_paused, clock_paused_since, "      \
	"clock_stopped, due_day, holder, created_at, submitted_at, decided_at, updated_at"

void store_day_text(int day, char out[16])
{
	out[0] = '\0';
	if (day >= 0 && date_format(day, out, 16) != 0)
		out[0] = '\0';
}

int store_day_parse(const char *text)
{
	int day;

	if (text == NULL || date_parse(text, strlen(text), &day) != 0)
		return -1;
	return day;
}

/* A day as a parameter: NULL when unset. */
static struct store_param day_param(int day, char buf[16])
{
	store_day_text(day, buf);
	return buf[0] ? SP_TEXT(buf) : SP_NULL;
}

void store_app_free(struct store_app *a)
{
	if (a == NULL)
		return;
	free(a->answers);
	free(a->notice);
	free(a->form);
	free(a->prefilled);
	free(a->commitments);
	for (size_t i = 0; i < WF_MAX_DEPTS; i++) {
		free(a->dinfo[i].reason);
		free(a->dinfo[i].legal_basis);
	}
	memset(a, 0, sizeof(*a));
}

static enum wf_review review_parse(const char *s)
{
	for (int i = WF_REVIEW_PENDING; i <= WF_REVIEW_SENT_BACK; i++)
		if (s && strcmp(workflow_review_name((enum wf_review)i), s) == 0)
			return (enum wf_review)i;
	return WF_REVIEW_PENDING;
}

static enum wf_inspect inspect_parse(const char *s)
{
	for (int i = WF_INSPECT_NONE; i <= WF_INSPECT_FAIL; i++)
		if (s && strcmp(workflow_inspect_name((enum wf_inspect)i), s) == 0)
			return (enum wf_inspect)i;
	return WF_INSPECT_NONE;
}

/* The holder: who has to act next, from the state. */
static void holder_compute(struct store_app *a)
{
	size_t len = 0;

	a->holder[0] = '\0';
	switch (a->wf.status) {
	case APP_DRAFT:
	case APP_SUPPLEMENT_REQUESTED:
	case APP_RETURNED:
		snprintf(a->holder, sizeof(a->holder), "%s", "applicant");
		return;
	case APP_SUBMITTED:
		snprintf(a->holder, sizeof(a->holder), "%s", "window");
		return;
	case APP_UNDER_REVIEW:
	case APP_INSPECTION:
		for (size_t i = 0; i < a->wf.ndepts; i++) {
			const struct wf_dept *d = &a->wf.depts[i];
			int n;

			if (d->review != WF_REVIEW_PENDING && d->inspect != WF_INSPECT_PENDING &&
			    d->inspect != WF_INSPECT_RECTIFY)
				continue;
			n = snprintf(a->holder + len, sizeof(a->holder) - len, "%s%s",
				     len ? "," : "", d->code);
			if (n < 0 || (size_t)n >= sizeof(a->holder) - len)
				break;
			len += (size_t)n;
		}
		return;
	default:
		return;
	}
}

int store_app_due(const struct store_app *a, const struct calendar *cal, int today)
{
	int due;

	if (!a->clock_started)
		return -1;
	if (a->clock_stopped || cal == NULL)
		return a->due_day;
	if (deadline_due(&a->clock, cal, today, &due, NULL, NULL) != 0)
		return a->due_day;
	return due;
}

/* sub-rows --------------------------------------------------------------------- */

static int insert_rows(struct store_conn *c, const char *district, const struct store_app *a,
		       struct yerr *err)
{
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < a->wf.ndepts; i++) {
		const struct wf_dept *d = &a->wf.depts[i];

		rc = store_exec(c,
				"INSERT INTO application_departments (district, application_id, "
				"department, position, review_days, review, inspect) "
				"VALUES (?, ?, ?, ?, ?, ?, ?)",
				(struct store_param[]){SP_TEXT(district), SP_INT(a->id),
						       SP_TEXT(d->code), SP_INT(i),
						       SP_INT(d->review_days),
						       SP_TEXT(workflow_review_name(d->review)),
						       SP_TEXT(workflow_inspect_name(d->inspect))},
				7, NULL, err);
	}
	for (size_t i = 0; rc == 0 && i < a->wf.npermits; i++) {
		const struct wf_permit *p = &a->wf.permits[i];

		rc = store_exec(c,
				"INSERT INTO application_permits (district, application_id, "
				"permit, position, department, committed, verify_days) "
				"VALUES (?, ?, ?, ?, ?, ?, ?)",
				(struct store_param[]){SP_TEXT(district), SP_INT(a->id),
						       SP_TEXT(p->code), SP_INT(i),
						       SP_TEXT(p->department), SP_INT(p->committed),
						       SP_INT(p->verify_days)},
				7, NULL, err);
	}
	return rc;
}

static int load_rows(struct store_conn *c, const char *district, struct store_app *a,
		     struct yerr *err)
{
	struct store_result *res = NULL;
	int rc;

	rc = store_exec(c,
			"SELECT department, review_days, review, inspect, rectify_due, "
			"review_reason, legal_basis, reviewer_id, decided_at "
			"FROM application_departments WHERE district = ? AND application_id = ? "
			"ORDER BY position",
			(struct store_param[]){SP_TEXT(district), SP_INT(a->id)}, 2, &res, err);
	if (rc < 0)
		return rc;
	for (int i = 0; i < res->rows && i < WF_MAX_DEPTS; i++) {
		struct wf_dept *d = &a->wf.depts[i];
		int rd = store_day_parse(store_cell(res, i, 4));

		store_cell_copy(res, i, 0, d->code, sizeof(d->code));
		d->review_days = (long)store_cell_int(res, i, 1, 0);
		d->review = review_parse(store_cell(res, i, 2));
		d->inspect = inspect_parse(store_cell(res, i, 3));
		d->rectify_due = rd < 0 ? 0 : rd;
		a->dinfo[i].reason = store_cell_dup(res, i, 5);
		a->dinfo[i].legal_basis = store_cell_dup(res, i, 6);
		a->dinfo[i].reviewer_id = store_cell_int(res, i, 7, 0);
		a->dinfo[i].decided_at = store_cell_int(res, i, 8, 0);
		a->wf.ndepts = (size_t)i + 1;
	}
	store_result_free(res);
	rc = store_exec(c,
			"SELECT permit, department, committed, verify_days "
			"FROM application_permits WHERE district = ? AND application_id = ? "
			"ORDER BY position",
			(struct store_param[]){SP_TEXT(district), SP_INT(a->id)}, 2, &res, err);
	if (rc < 0)
		return rc;
	for (int i = 0; i < res->rows && i < WF_MAX_PERMITS; i++) {
		struct wf_permit *p = &a->wf.permits[i];

		store_cell_copy(res, i, 0, p->code, sizeof(p->code));
		store_cell_copy(res, i, 1, p->department, sizeof(p->department));
		p->committed = (size_t)store_cell_int(res, i, 2, 0);
		p->verify_days = (long)store_cell_int(res, i, 3, 0);
		a->wf.npermits = (size_t)i + 1;
	}
	store_result_free(res);
	return 0;
}

/* the row ------------------------------------------------------------------------ */

void store_app_notice_key(const char *district, long catalog_version, const char *industry,
			  const char *answers, char out[STORE_NOTICE_KEY_SIZE])
{
	crypto_hash_sha256_state st;
	unsigned char h[crypto_hash_sha256_BYTES];
	char head[64];
	int n;

	/* every part framed so no two different tuples hash the same text */
	n = snprintf(head, sizeof(head), "notice/1\n%s\n%ld\n", district, catalog_version);
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const unsigned char *)head, (unsigned long long)n);
	n = snprintf(head, sizeof(head), "%zu:", strlen(industry));
	crypto_hash_sha256_update(&st, (const unsigned char *)head, (unsigned long long)n);
	crypto_hash_sha256_update(&st, (const unsigned char *)industry, strlen(industry));
	crypto_hash_sha256_update(&st, (const unsigned char *)"\n", 1);
	crypto_hash_sha256_update(&st, (const unsigned char *)answers, strlen(answers));
	crypto_hash_sha256_final(&st, h);
	sodium_bin2hex(out, STORE_NOTICE_KEY_SIZE, h, sizeof(h));
}

int store_app_notice_get(struct store_conn *c, const char *district, const char *key, char **text,
			 struct yerr *err)
{
	struct store_result *res = NULL;
	int rc;

	*text = NULL;
	rc = store_exec(c, "SELECT notice FROM application_notices WHERE district = ? AND hash = ?",
			(struct store_param[]){SP_TEXT(district), SP_TEXT(key)}, 2, &res, err);
	if (rc < 0)
		return rc;
	if (res->rows > 0)
		*text = store_cell_dup(res, 0, 0);
	store_result_free(res);
	return 0;
}

/* Stores the frozen notice under its key unless it is there already (two
 * first creators of the same notice at once: the second one's insert does
 * nothing). A caller that named no key gets one from the notice's text. */
static int notice_put(struct store_conn *c, const char *district, struct store_app *a, int64_t now,
		      struct yerr *err)
{
	if (a->notice_stored)
		return 0;
	if (a->notice_key[0] == '\0') {
		unsigned char h[crypto_hash_sha256_BYTES];
		const char *text = a->notice ? a->notice : "{}";

		crypto_hash_sha256(h, (const unsigned char *)text, strlen(text));
		sodium_bin2hex(a->notice_key, sizeof(a->notice_key), h, sizeof(h));
	}
	return store_exec(c,
			  "INSERT INTO application_notices (district, hash, notice, created_at) "
			  "VALUES (?, ?, ?, ?) ON CONFLICT (district, hash) DO NOTHING",
			  (struct store_param[]){SP_TEXT(district), SP_TEXT(a->notice_key),
						 SP_TEXT(a->notice ? a->notice : "{}"),
						 SP_INT(now)},
			  4, NULL, err);
}

int store_app_insert(struct store_conn *c, const char *district, struct store_app *a, int64_t now,
		     struct yerr *err)
{
	struct store_result *res = NULL;
	char key[32];
	int64_t max = 0;
	int rc;

	/* The next serial depends on every application of the district and
	 * year: creators of one district take turns (others do not wait). */
	snprintf(key, sizeof(key), "%.8s-%d", district, a->year);
	if ((rc = store_lock_key(c, "application_serial", key, err)) < 0)
		return rc;
	rc = store_query_int(
	    c, "SELECT max(serial) FROM applications WHERE district = ? AND year = ?",
	    (struct store_param[]){SP_TEXT(district), SP_INT(a->year)}, 2, 0, &max, err);
	if (rc < 0)
		return rc;
	a->serial = (long)max + 1;
	if (appno_format(district, a->year, a->serial, a->number, sizeof(a->number), err) != 0)
		return -1;
	holder_compute(a);
	a->version = 1;
	a->created_at = a->updated_at = now;
	if ((rc = notice_put(c, district, a, now, err)) < 0)
		return rc;
	rc = store_exec(
	    c,
	    "INSERT INTO applications (district, number, year, serial, applicant_id, entity_id, "
	    "created_by, walk_in, industry, catalog_version, answers, notice_hash, form, "
	    "prefilled, "
	    "commitments, status, version, rounds, review_round, all_committed, "
	    "inspection_scheduled, acceptance_days, time_limit_days, holder, created_at, "
	    "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 0, 1, ?, 0, ?, "
	    "?, ?, ?, ?) RETURNING id",
	    (struct store_param[]){SP_TEXT(district),
				   SP_TEXT(a->number),
				   SP_INT(a->year),
				   SP_INT(a->serial),
				   SP_INT(a->applicant_id),
				   a->entity_id > 0 ? SP_INT(a->entity_id) : SP_NULL,
				   SP_INT(a->created_by),
				   SP_INT(a->walk_in),
				   SP_TEXT(a->industry),
				   SP_INT(a->catalog_version),
				   SP_TEXT(a->answers),
				   SP_TEXT(a->notice_key),
				   SP_TEXT(a->form ? a->form : "{}"),
				   SP_TEXT(a->prefilled ? a->prefilled : "[]"),
				   SP_TEXT(a->commitments ? a->commitments : "[]"),
				   SP_TEXT(workflow_status_name(a->wf.status)),
				   SP_INT(a->wf.all_committed),
				   SP_INT(a->wf.acceptance_days),
				   SP_INT(a->time_limit_days),
				   SP_TEXT(a->holder),
				   SP_INT(now),
				   SP_INT(now)},
	    22, &res, err);
	if (rc == STORE_ECONFLICT)
		yerr_set(err, 409, "concurrent_update", "", "申请编号冲突，请重试");
	if (rc < 0)
		return rc;
	a->id = store_cell_int(res, 0, 0, 0);
	store_result_free(res);
	a->review_round = 1;
	return insert_rows(c, district, a, err);
}

static void app_from_row(const struct store_result *res, struct store_app *a)
{
	int st;

	a->id = store_cell_int(res, 0, 0, 0);
	store_cell_copy(res, 0, 1, a->number, sizeof(a->number));
	a->year = (int)store_cell_int(res, 0, 2, 0);
	a->serial = (long)store_cell_int(res, 0, 3, 0);
	a->applicant_id = store_cell_int(res, 0, 4, 0);
	a->entity_id = store_cell_int(res, 0, 5, 0);
	a->created_by = store_cell_int(res, 0, 6, 0);
	a->walk_in = store_cell_int(res, 0, 7, 0) != 0;
	store_cell_copy(res, 0, 8, a->industry, sizeof(a->industry));
	a->catalog_version = (long)store_cell_int(res, 0, 9, 0);
	a->answers = store_cell_dup(res, 0, 10);
	a->notice = store_cell_dup(res, 0, 11);
	a->form = store_cell_dup(res, 0, 12);
	a->prefilled = store_cell_dup(res, 0, 13);
	a->commitments = store_cell_dup(res, 0, 14);
	st = workflow_status_parse(store_cell(res, 0, 15));
	a->wf.status = st < 0 ? APP_DRAFT : (enum app_status)st;
	a->version = store_cell_int(res, 0, 16, 0);
	a->wf.rounds = (int)store_cell_int(res, 0, 17, 0);
	a->review_round = (int)store_cell_int(res, 0, 18, 1);
	a->wf.all_committed = store_cell_int(res, 0, 19, 0) != 0;
	a->wf.inspection_scheduled = store_cell_int(res, 0, 20, 0) != 0;
	a->wf.acceptance_days = (long)store_cell_int(res, 0, 21, 0);
	a->time_limit_days = (long)store_cell_int(res, 0, 22, 0);
	a->clock.start = store_day_parse(store_cell(res, 0, 23));
	a->clock_started = a->clock.start >= 0;
	a->clock.limit = (long)store_cell_int(res, 0, 24, 0);
	a->clock.paused = (long)store_cell_int(res, 0, 25, 0);
	a->clock.paused_since = store_day_parse(store_cell(res, 0, 26));
	a->clock_stopped = store_cell_int(res, 0, 27, 0) != 0;
	a->due_day = store_day_parse(store_cell(res, 0, 28));
	store_cell_copy(res, 0, 29, a->holder, sizeof(a->holder));
	a->created_at = store_cell_int(res, 0, 30, 0);
	a->submitted_at = store_cell_int(res, 0, 31, 0);
	a->decided_at = store_cell_int(res, 0, 32, 0);
	a->updated_at = store_cell_int(res, 0, 33, 0);
}

int store_app_get(struct store_conn *c, const char *district, int64_t id, bool lock,
		  struct store_app *out, struct yerr *err)
{
	struct store_result *res = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = store_query_row(c,
			     lock ? "SELECT " APP_COLS " FROM applications WHERE district = ? AND "
				    "id = ? FOR UPDATE"
				  : "SELECT " APP_COLS " FROM applications WHERE district = ? AND "
				    "id = ?",
			     (struct store_param[]){SP_TEXT(district), SP_INT(id)}, 2, &res, 404,
			     "application_not_found", "申请不存在", err);
	if (rc < 0)
		return rc;
	app_from_row(res, out);
	store_result_free(res);
	if ((rc = load_rows(c, district, out, err)) < 0)
		store_app_free(out);
	return rc;
}

int store_app_update(struct store_conn *c, const char *district, struct store_app *a,
		     int64_t expected_version, int64_t now, struct yerr *err)
{
	struct store_result *res = NULL;
	char start[16], since[16], due[16];
	int rc;

	holder_compute(a);
	a->updated_at = now;
	rc = store_exec(
	    c,
	    "UPDATE applications SET form = ?, prefilled = ?, commitments = ?, status = ?, "
	    "version = version + 1, rounds = ?, review_round = ?, all_committed = ?, "
	    "inspection_scheduled = ?, clock_start = ?, clock_limit = ?, clock_paused = ?, "
	    "clock_paused_since = ?, clock_stopped = ?, due_day = ?, holder = ?, "
	    "submitted_at = ?, decided_at = ?, updated_at = ? "
	    "WHERE district = ? AND id = ? AND version = ?",
	    (struct store_param[]){SP_TEXT(a->form ? a->form : "{}"),
				   SP_TEXT(a->prefilled ? a->prefilled : "[]"),
				   SP_TEXT(a->commitments ? a->commitments : "[]"),
				   SP_TEXT(workflow_status_name(a->wf.status)),
				   SP_INT(a->wf.rounds),
				   SP_INT(a->review_round),
				   SP_INT(a->wf.all_committed),
				   SP_INT(a->wf.inspection_scheduled),
				   a->clock_started ? day_param(a->clock.start, start) : SP_NULL,
				   SP_INT(a->clock.limit),
				   SP_INT(a->clock.paused),
				   a->clock_started ? day_param(a->clock.paused_since, since)
						    : SP_NULL,
				   SP_INT(a->clock_stopped),
				   day_param(a->due_day, due),
				   SP_TEXT(a->holder),
				   a->submitted_at ? SP_INT(a->submitted_at) : SP_NULL,
				   a->decided_at ? SP_INT(a->decided_at) : SP_NULL,
				   SP_INT(now),
				   SP_TEXT(district),
				   SP_INT(a->id),
				   SP_INT(expected_version)},
	    21, &res, err);
	if (rc < 0)
		return rc;
	if (res->changes != 1) {
		store_result_free(res);
		return yerr_set(err, 409, "stale_version", "version",
				"申请已被他人修改（当前版本不是 %lld），请刷新后重试",
				(long long)expected_version);
	}
	store_result_free(res);
	a->version = expected_version + 1;
	for (size_t i = 0; rc == 0 && i < a->wf.ndepts; i++) {
		const struct wf_dept *d = &a->wf.depts[i];
		const struct store_app_dept *x = &a->dinfo[i];
		char rd[16];

		rc = store_exec(
		    c,
		    "UPDATE application_departments SET review = ?, inspect = ?, rectify_due = ?, "
		    "review_reason = ?, legal_basis = ?, reviewer_id = ?, decided_at = ? "
		    "WHERE district = ? AND application_id = ? AND department = ?",
		    (struct store_param[]){
			SP_TEXT(workflow_review_name(d->review)),
			SP_TEXT(workflow_inspect_name(d->inspect)),
			d->inspect == WF_INSPECT_RECTIFY ? day_param(d->rectify_due, rd) : SP_NULL,
			x->reason ? SP_TEXT(x->reason) : SP_NULL,
			x->legal_basis ? SP_TEXT(x->legal_basis) : SP_NULL,
			x->reviewer_id ? SP_INT(x->reviewer_id) : SP_NULL,
			x->decided_at ? SP_INT(x->decided_at) : SP_NULL, SP_TEXT(district),
			SP_INT(a->id), SP_TEXT(d->code)},
		    10, NULL, err);
	}
	for (size_t i = 0; rc == 0 && i < a->wf.npermits; i++)
		rc = store_exec(c,
				"UPDATE application_permits SET committed = ? "
				"WHERE district = ? AND application_id = ? AND permit = ?",
				(struct store_param[]){SP_INT(a->wf.permits[i].committed),
						       SP_TEXT(district), SP_INT(a->id),
						       SP_TEXT(a->wf.permits[i].code)},
				4, NULL, err);
	/* the statistics' row of it, in the same transaction (a draft, never
	 * submitted, has none: its many saves cost nothing here) */
	if (rc == 0 && a->clock_started)
		rc = store_stats_touch(c, district, a->id, err);
	return rc;
}

/* the clock of a transition ------------------------------------------------------ */

static int clock_apply(struct store_app *a, enum wf_clock op, const struct calendar *cal, int today,
		       int64_t now, struct yerr *err)
{
	switch (op) {
	case WF_CLOCK_START:
		if (deadline_start(&a->clock, today, a->time_limit_days, err) != 0)
			return -1;
		a->clock_started = true;
		a->clock_stopped = false;
		a->submitted_at = now;
		break;
	case WF_CLOCK_PAUSE:
		if (a->clock_started && a->clock.paused_since < 0 &&
		    deadline_pause(&a->clock, today, err) != 0)
			return -1;
		break;
	case WF_CLOCK_RESUME:
		if (a->clock_started && a->clock.paused_since >= 0 &&
		    deadline_resume(&a->clock, cal, today, err) != 0)
			return -1;
		a->submitted_at = now;
		break;
	case WF_CLOCK_STOP:
		/* The due day is frozen where it stood; a pause still open ends
		 * with the decision. */
		if (a->clock_started && a->clock.paused_since >= 0 &&
		    deadline_resume(&a->clock, cal, today, err) != 0)
			return -1;
		a->due_day = store_app_due(a, cal, today);
		a->clock_stopped = true;
		a->decided_at = now;
		return 0;
	case WF_CLOCK_NONE:
		break;
	}
	a->due_day = store_app_due(a, cal, today);
	return 0;
}

/* tasks and notifications of a transition ---------------------------------------- */

static const char *permit_department(const struct store_app *a, const char *permit)
{
	for (size_t i = 0; i < a->wf.npermits; i++)
		if (strcmp(a->wf.permits[i].code, permit) == 0)
			return a->wf.permits[i].department;
	return "";
}

static int tasks_apply(struct store_conn *c, const char *district, const struct store_app *a,
		       const struct wf_effects *fx, const struct calendar *cal, int today,
		       int64_t actor, int64_t now, struct yerr *err)
{
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < fx->ntasks; i++) {
		const struct wf_task *t = &fx->tasks[i];
		const char *dept = t->department;
		int due = t->due_day;

		if (t->kind == WF_TASK_VERIFICATION && dept[0] == '\0')
			dept = permit_department(a, t->permit);
		switch (t->op) {
		case WF_TASK_CREATE:
			if (due < 0 &&
			    deadline_add(cal, today, t->due_workdays, &due, NULL, err) != 0)
				return -1;
			rc = store_task_create(c, district, a->id, t->kind, dept, t->permit,
					       t->kind == WF_TASK_SUPPLEMENT ? a->applicant_id : 0,
					       due, now, err);
			break;
		case WF_TASK_CLOSE:
			rc = store_task_close(c, district, a->id, (int)t->kind, dept, actor, now,
					      err);
			break;
		case WF_TASK_CLOSE_ALL:
			rc = store_task_close(c, district, a->id, -1, NULL, actor, now, err);
			break;
		case WF_TASK_DUE:
			if (due < 0 &&
			    deadline_add(cal, today, t->due_workdays, &due, NULL, err) != 0)
				return -1;
			rc = store_task_redate(c, district, a->id, t->kind, dept, due, err);
			break;
		}
	}
	return rc;
}

/* What a notification says, by event. */
static void notice_title(const struct store_app *a, enum wf_event ev, char *out, size_t outsz)
{
	static const char *const what[WF_EV_COUNT] = {
	    [WF_EV_SUBMITTED] = "已提交，等待窗口受理",
	    [WF_EV_SUPPLEMENT_REQUESTED] = "需要补正材料或信息",
	    [WF_EV_REFUSED] = "不予受理",
	    [WF_EV_NEW_TASK] = "有新的待办任务",
	    [WF_EV_INSPECTION_SCHEDULED] = "已安排联合现场核查",
	    [WF_EV_RECTIFY] = "现场核查要求限期整改",
	    [WF_EV_DECISION] = "已作出审批决定",
	    [WF_EV_WITHDRAWN] = "已由申请人撤回",
	};

	if (ev == WF_EV_DECISION)
		snprintf(out, outsz, "申请 %s %s：%s", a->number, what[ev],
			 workflow_status_label(a->wf.status));
	else
		snprintf(out, outsz, "申请 %s %s", a->number,
			 (unsigned)ev < WF_EV_COUNT && what[ev] ? what[ev] : "有新动态");
}

static int notices_apply(struct store_conn *c, const char *district, const struct store_app *a,
			 const struct wf_effects *fx, int64_t now, struct yerr *err)
{
	char title[256], link[64];
	int rc = 0;

	snprintf(link, sizeof(link), "/applications/%lld", (long long)a->id);
	for (size_t i = 0; rc == 0 && i < fx->nnotices; i++) {
		const struct wf_notice *n = &fx->notices[i];
		const char *ev = workflow_event_name(n->event);

		notice_title(a, n->event, title, sizeof(title));
		switch (n->to) {
		case WF_TO_APPLICANT:
			rc = store_notify_user(c, district, a->applicant_id, a->id, ev, title, link,
					       now, err);
			break;
		case WF_TO_WINDOW:
			rc = store_notify_role(c, district, "window_clerk", NULL, a->id, ev, title,
					       link, now, err);
			break;
		case WF_TO_REVIEWERS:
			rc = store_notify_role(c, district, "reviewer", n->department, a->id, ev,
					       title, link, now, err);
			break;
		case WF_TO_INSPECTORS:
			rc = store_notify_role(c, district, "inspector", n->department, a->id, ev,
					       title, link, now, err);
			break;
		}
	}
	return rc;
}

int store_app_transition(struct store_conn *c, const char *district, struct store_app *a,
			 int64_t expected_version, const struct wf_effects *fx,
			 const struct store_app_event *ev, const struct calendar *cal, int today,
			 int64_t now, struct yerr *err)
{
	int rc;

	/* A new review round after a return: the departments start over (the
	 * workflow has reset them) and the round counts up. */
	if (fx->from == APP_RETURNED && fx->to == APP_SUBMITTED) {
		a->review_round++;
		for (size_t i = 0; i < WF_MAX_DEPTS; i++) {
			free(a->dinfo[i].reason);
			free(a->dinfo[i].legal_basis);
			memset(&a->dinfo[i], 0, sizeof(a->dinfo[i]));
		}
	}
	if (clock_apply(a, fx->clock, cal, today, now, err) != 0)
		return -1;
	if ((rc = store_app_update(c, district, a, expected_version, now, err)) < 0)
		return rc;
	if ((rc = store_app_history_add(c, district, a->id, ev, now, err)) < 0)
		return rc;
	if ((rc = event_app_transition(c, district, a, ev, now, err)) < 0) /* share-events */
		return rc;
	if ((rc = tasks_apply(c, district, a, fx, cal, today, ev->actor_id, now, err)) < 0)
		return rc;
	return notices_apply(c, district, a, fx, now, err);
}
