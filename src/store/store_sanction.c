/*
 * store_sanction.c — penalties, annual reports, the abnormal list and
 * verification results (store_credit.h, second half).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/credit.h"
#include "core/date.h"
#include "store/store_application.h"
#include "store/store_credit.h"
#include "store/store_supervision.h"

/* entities -------------------------------------------------------------------- */

int credit_entity_name(struct store_conn *c, const char *district, const char *uscc, char *name,
		       size_t namesz, struct yerr *e)
{
	struct store_result *res = NULL;
	int rc = store_exec(
	    c,
	    "SELECT name FROM entities WHERE district = ? AND uscc = ? UNION ALL "
	    "SELECT holder_name FROM (SELECT holder_name FROM licenses WHERE district = ? AND "
	    "holder_uscc = ? ORDER BY issued_at DESC LIMIT 1) newest",
	    (struct store_param[]){SP_TEXT(district), SP_TEXT(uscc), SP_TEXT(district),
				   SP_TEXT(uscc)},
	    4, &res, e);

	if (rc < 0)
		return rc;
	if (res->rows == 0) {
		store_result_free(res);
		return yerr_set(e, 404, "entity_not_found", "uscc",
				"本区没有统一社会信用代码为 %s 的市场主体", uscc);
	}
	store_cell_copy(res, 0, 0, name, namesz);
	store_result_free(res);
	return 0;
}

int credit_entity_uscc(struct store_conn *c, const char *district, int64_t entity_id, char uscc[32],
		       struct yerr *e)
{
	struct store_result *res = NULL;
	int rc =
	    store_exec(c, "SELECT uscc FROM entities WHERE district = ? AND id = ?",
		       (struct store_param[]){SP_TEXT(district), SP_INT(entity_id)}, 2, &res, e);

	if (rc < 0)
		return rc;
	uscc[0] = '\0';
	if (res->rows)
		store_cell_copy(res, 0, 0, uscc, 32);
	store_result_free(res);
	return 0;
}

int credit_holder_usccs(struct store_conn *c, const char *district, int64_t user_id,
			int64_t entity_id, char (**out)[32], size_t *n, struct yerr *e)
{
	struct store_result *res = NULL;
	int rc =
	    store_exec(c,
		       "SELECT uscc FROM entities WHERE district = ? AND id = ? AND uscc IS "
		       "NOT NULL UNION SELECT holder_uscc FROM licenses WHERE district = ? AND "
		       "holder_user_id = ? ORDER BY 1",
		       (struct store_param[]){SP_TEXT(district), SP_INT(entity_id),
					      SP_TEXT(district), SP_INT(user_id)},
		       4, &res, e);

	*out = NULL;
	*n = 0;
	if (rc < 0)
		return rc;
	*out = calloc((size_t)res->rows + 1, sizeof(**out));
	if (*out == NULL)
		abort();
	for (int i = 0; i < res->rows; i++)
		store_cell_copy(res, i, 0, (*out)[i], 32);
	*n = (size_t)res->rows;
	store_result_free(res);
	return 0;
}

int credit_entity_industry(struct store_conn *c, const char *district, const char *uscc,
			   char industry[64], bool *licensed, struct yerr *e)
{
	struct store_result *res = NULL;
	int rc = store_exec(c,
			    "SELECT industry, status FROM licenses WHERE district = ? AND "
			    "holder_uscc = ? AND is_current = 1 ORDER BY "
			    "CASE WHEN status IN ('valid', 'suspended') THEN 0 ELSE 1 END, "
			    "issued_at DESC LIMIT 1",
			    (struct store_param[]){SP_TEXT(district), SP_TEXT(uscc)}, 2, &res, e);

	if (rc < 0)
		return rc;
	industry[0] = '\0';
	*licensed = false;
	if (res->rows) {
		const char *st = store_cell(res, 0, 1);

		store_cell_copy(res, 0, 0, industry, 64);
		*licensed = strcmp(st, "valid") == 0 || strcmp(st, "suspended") == 0;
	}
	store_result_free(res);
	return 0;
}

int credit_entity_first_licensed(struct store_conn *c, const char *district, const char *uscc,
				 char day[16], struct yerr *e)
{
	struct store_result *res = NULL;
	int rc = store_exec(c,
			    "SELECT min(issued_on) FROM licenses WHERE district = ? AND "
			    "holder_uscc = ?",
			    (struct store_param[]){SP_TEXT(district), SP_TEXT(uscc)}, 2, &res, e);

	if (rc < 0)
		return rc;
	store_cell_copy(res, 0, 0, day, 16);
	store_result_free(res);
	return 0;
}

/* penalties ------------------------------------------------------------------- */

void penalties_free(struct penalty *items, size_t n)
{
	for (size_t i = 0; items && i < n; i++) {
		free(items[i].entity_name);
		free(items[i].facts);
		free(items[i].basis);
	}
	free(items);
}

int penalty_insert(struct store_conn *c, const char *district, struct penalty *p, struct yerr *e)
{
	struct store_result *res = NULL;
	int64_t exists = 0;
	int rc = store_query_int(
	    c, "SELECT count(*) FROM penalties WHERE district = ? AND decision_no = ?",
	    (struct store_param[]){SP_TEXT(district), SP_TEXT(p->decision_no)}, 2, 0, &exists, e);

	if (rc < 0)
		return rc;
	if (exists)
		return yerr_set(e, 409, "decision_exists", "decision_no",
				"处罚决定书文号 %s 已经登记", p->decision_no);
	rc = store_exec(
	    c,
	    "INSERT INTO penalties (district, decision_no, uscc, entity_name, department, facts, "
	    "basis, kind, amount, decided_on, license_number, created_by, created_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
	    (struct store_param[]){
		SP_TEXT(district), SP_TEXT(p->decision_no), SP_TEXT(p->uscc),
		SP_TEXT(p->entity_name), SP_TEXT(p->department), SP_TEXT(p->facts),
		SP_TEXT(p->basis), SP_TEXT(p->kind), SP_INT(p->amount), SP_TEXT(p->decided_on),
		p->license_number[0] ? SP_TEXT(p->license_number) : SP_NULL,
		p->created_by ? SP_INT(p->created_by) : SP_NULL, SP_INT(p->created_at)},
	    13, &res, e);
	if (rc < 0) /* two at once: the unique index decides */
		return rc;
	p->id = store_cell_int(res, 0, 0, 0);
	store_result_free(res);
	return 0;
}

#define PENALTY_COLS                                                                               \
	"id, decision_no, uscc, entity_name, facts, basis, department, kind, amount, decided_on, " \
	"license_number, created_by, created_at"

int penalty_list(struct store_conn *c, const char *district, const char *uscc,
		 const char *department, long limit, long offset, struct penalty **items, size_t *n,
		 int64_t *total, struct yerr *e)
{
	struct store_param pr[] = {SP_TEXT(district), uscc ? SP_TEXT(uscc) : SP_NULL,
				   department ? SP_TEXT(department) : SP_NULL, SP_INT(limit),
				   SP_INT(offset)};
	struct store_result *res = NULL;
	int rc = store_query_int(c,
				 "SELECT count(*) FROM penalties WHERE district = ? AND "
				 "(CAST(? AS TEXT) IS NULL OR uscc = ?) AND "
				 "(CAST(? AS TEXT) IS NULL OR department = ?)",
				 (struct store_param[]){pr[0], pr[1], pr[1], pr[2], pr[2]}, 5, 0,
				 total, e);

	*items = NULL;
	*n = 0;
	if (rc == 0)
		rc = store_exec(
		    c,
		    "SELECT " PENALTY_COLS " FROM penalties WHERE district = ? AND "
		    "(CAST(? AS TEXT) IS NULL OR uscc = ?) AND "
		    "(CAST(? AS TEXT) IS NULL OR department = ?) "
		    "ORDER BY decided_on DESC, id DESC LIMIT ? OFFSET ?",
		    (struct store_param[]){pr[0], pr[1], pr[1], pr[2], pr[2], pr[3], pr[4]}, 7,
		    &res, e);
	if (rc < 0)
		return rc;
	*items = calloc((size_t)res->rows + 1, sizeof(**items));
	if (*items == NULL)
		abort();
	for (int i = 0; i < res->rows; i++) {
		struct penalty *p = &(*items)[i];

		p->id = store_cell_int(res, i, 0, 0);
		store_cell_copy(res, i, 1, p->decision_no, sizeof(p->decision_no));
		store_cell_copy(res, i, 2, p->uscc, sizeof(p->uscc));
		p->entity_name = store_cell_dup(res, i, 3);
		p->facts = store_cell_dup(res, i, 4);
		p->basis = store_cell_dup(res, i, 5);
		store_cell_copy(res, i, 6, p->department, sizeof(p->department));
		store_cell_copy(res, i, 7, p->kind, sizeof(p->kind));
		p->amount = store_cell_int(res, i, 8, 0);
		store_cell_copy(res, i, 9, p->decided_on, sizeof(p->decided_on));
		store_cell_copy(res, i, 10, p->license_number, sizeof(p->license_number));
		p->created_by = store_cell_int(res, i, 11, 0);
		p->created_at = store_cell_int(res, i, 12, 0);
	}
	*n = (size_t)res->rows;
	store_result_free(res);
	return 0;
}

/* annual reports -------------------------------------------------------------- */

void annual_reports_free(struct annual_report *items, size_t n)
{
	for (size_t i = 0; items && i < n; i++) {
		free(items[i].entity_name);
		free(items[i].fields);
		free(items[i].public_fields);
	}
	free(items);
}

int annual_report_insert(struct store_conn *c, const char *district, struct annual_report *a,
			 int64_t by, struct yerr *e)
{
	struct store_result *res = NULL;
	int64_t exists = 0;
	int rc = store_query_int(
	    c, "SELECT count(*) FROM annual_reports WHERE district = ? AND uscc = ? AND year = ?",
	    (struct store_param[]){SP_TEXT(district), SP_TEXT(a->uscc), SP_INT(a->year)}, 3, 0,
	    &exists, e);

	if (rc < 0)
		return rc;
	if (exists)
		return yerr_set(e, 409, "report_exists", "year", "%d 年度报告已经报送", a->year);
	rc = store_exec(c,
			"INSERT INTO annual_reports (district, uscc, entity_name, year, industry, "
			"fields, public_fields, filed_on, late, filed_by, filed_at) "
			"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			(struct store_param[]){SP_TEXT(district), SP_TEXT(a->uscc),
					       SP_TEXT(a->entity_name), SP_INT(a->year),
					       SP_TEXT(a->industry), SP_TEXT(a->fields),
					       SP_TEXT(a->public_fields), SP_TEXT(a->filed_on),
					       SP_INT(a->late ? 1 : 0), by ? SP_INT(by) : SP_NULL,
					       SP_INT(a->filed_at)},
			11, &res, e);
	if (rc < 0)
		return rc;
	a->id = store_cell_int(res, 0, 0, 0);
	store_result_free(res);
	return 0;
}

int annual_report_list(struct store_conn *c, const char *district, int year, const char *uscc,
		       long limit, long offset, struct annual_report **items, size_t *n,
		       int64_t *total, struct yerr *e)
{
	struct store_param u = uscc ? SP_TEXT(uscc) : SP_NULL;
	struct store_result *res = NULL;
	int rc = store_query_int(
	    c,
	    "SELECT count(*) FROM annual_reports WHERE district = ? AND "
	    "(? = 0 OR year = ?) AND (CAST(? AS TEXT) IS NULL OR uscc = ?)",
	    (struct store_param[]){SP_TEXT(district), SP_INT(year), SP_INT(year), u, u}, 5, 0,
	    total, e);

	*items = NULL;
	*n = 0;
	if (rc == 0)
		rc =
		    store_exec(c,
			       "SELECT id, uscc, entity_name, fields, public_fields, year, "
			       "industry, filed_on, late, filed_at FROM annual_reports WHERE "
			       "district = ? AND (? = 0 OR year = ?) AND "
			       "(CAST(? AS TEXT) IS NULL OR uscc = ?) "
			       "ORDER BY year DESC, filed_on DESC, id DESC LIMIT ? OFFSET ?",
			       (struct store_param[]){SP_TEXT(district), SP_INT(year), SP_INT(year),
						      u, u, SP_INT(limit), SP_INT(offset)},
			       7, &res, e);
	if (rc < 0)
		return rc;
	*items = calloc((size_t)res->rows + 1, sizeof(**items));
	if (*items == NULL)
		abort();
	for (int i = 0; i < res->rows; i++) {
		struct annual_report *a = &(*items)[i];

		a->id = store_cell_int(res, i, 0, 0);
		store_cell_copy(res, i, 1, a->uscc, sizeof(a->uscc));
		a->entity_name = store_cell_dup(res, i, 2);
		a->fields = store_cell_dup(res, i, 3);
		a->public_fields = store_cell_dup(res, i, 4);
		a->year = (int)store_cell_int(res, i, 5, 0);
		store_cell_copy(res, i, 6, a->industry, sizeof(a->industry));
		store_cell_copy(res, i, 7, a->filed_on, sizeof(a->filed_on));
		a->late = store_cell_int(res, i, 8, 0) != 0;
		a->filed_at = store_cell_int(res, i, 9, 0);
	}
	*n = (size_t)res->rows;
	store_result_free(res);
	return 0;
}

/* the abnormal list ----------------------------------------------------------- */

int abnormal_list_read(struct store_conn *c, const char *district, const char *uscc,
		       bool current_only, long limit, long offset, struct abnormal_entry **items,
		       size_t *n, int64_t *total, struct yerr *e)
{
	struct store_param u = uscc ? SP_TEXT(uscc) : SP_NULL;
	struct store_result *res = NULL;
	int rc = store_query_int(
	    c,
	    "SELECT count(*) FROM abnormal_list WHERE district = ? AND "
	    "(CAST(? AS TEXT) IS NULL OR uscc = ?) AND "
	    "(? = 0 OR removed_on IS NULL)",
	    (struct store_param[]){SP_TEXT(district), u, u, SP_INT(current_only ? 1 : 0)}, 4, 0,
	    total, e);

	*items = NULL;
	*n = 0;
	if (rc == 0)
		rc = store_exec(c,
				"SELECT id, uscc, entity_name, year, reason, listed_on, "
				"removed_on, removed_reason FROM abnormal_list WHERE district = ? "
				"AND (CAST(? AS TEXT) IS NULL OR uscc = ?) AND "
				"(? = 0 OR removed_on IS NULL) "
				"ORDER BY listed_on DESC, id DESC LIMIT ? OFFSET ?",
				(struct store_param[]){SP_TEXT(district), u, u,
						       SP_INT(current_only ? 1 : 0), SP_INT(limit),
						       SP_INT(offset)},
				6, &res, e);
	if (rc < 0)
		return rc;
	*items = calloc((size_t)res->rows + 1, sizeof(**items));
	if (*items == NULL)
		abort();
	for (int i = 0; i < res->rows; i++) {
		struct abnormal_entry *a = &(*items)[i];

		a->id = store_cell_int(res, i, 0, 0);
		store_cell_copy(res, i, 1, a->uscc, sizeof(a->uscc));
		store_cell_copy(res, i, 2, a->entity_name, sizeof(a->entity_name));
		a->year = (int)store_cell_int(res, i, 3, 0);
		store_cell_copy(res, i, 4, a->reason, sizeof(a->reason));
		store_cell_copy(res, i, 5, a->listed_on, sizeof(a->listed_on));
		store_cell_copy(res, i, 6, a->removed_on, sizeof(a->removed_on));
		store_cell_copy(res, i, 7, a->removed_reason, sizeof(a->removed_reason));
	}
	*n = (size_t)res->rows;
	store_result_free(res);
	return 0;
}

int abnormal_list_overdue(struct store_conn *c, const char *district, int year, char (**usccs)[32],
			  size_t *n, struct yerr *e)
{
	struct store_result *res = NULL;
	char last[16];
	int rc;

	/* licensed during `year`: the first version of a license in force was
	 * issued on or before 31 December of that year, i.e. some version was.
	 * Written as EXISTS, not as min(issued_on) <= last: a semi-join the
	 * planners run after the cheap anti-joins, instead of a look-up per
	 * license in force (700,000 licenses: 0.35 s instead of 4.4 s on
	 * PostgreSQL, 1.6 s instead of 6.9 s on SQLite). */
	snprintf(last, sizeof(last), "%04d-12-31", year);
	rc = store_exec(
	    c,
	    "SELECT DISTINCT l.holder_uscc FROM licenses l WHERE l.district = ? AND "
	    "l.is_current = 1 AND l.status IN ('valid', 'suspended') AND "
	    "EXISTS (SELECT 1 FROM licenses v WHERE v.district = l.district AND "
	    "v.number = l.number AND v.issued_on <= ?) AND NOT EXISTS (SELECT 1 FROM "
	    "annual_reports a WHERE "
	    "a.district = l.district AND a.uscc = l.holder_uscc AND a.year = ?) AND NOT EXISTS "
	    "(SELECT 1 FROM abnormal_list b WHERE b.district = l.district AND "
	    "b.uscc = l.holder_uscc AND b.year = ?) ORDER BY l.holder_uscc",
	    (struct store_param[]){SP_TEXT(district), SP_TEXT(last), SP_INT(year), SP_INT(year)}, 4,
	    &res, e);
	if (rc < 0)
		return rc;
	*usccs = calloc((size_t)res->rows + 1, sizeof(**usccs));
	if (*usccs == NULL)
		abort();
	for (int i = 0; i < res->rows; i++)
		store_cell_copy(res, i, 0, (*usccs)[i], 32);
	*n = (size_t)res->rows;
	store_result_free(res);
	return 0;
}

int abnormal_list_add(struct store_conn *c, const char *district, const char *uscc, int year,
		      int today, int64_t now, bool *added, struct yerr *e)
{
	struct store_result *res = NULL;
	char name[256], day[16], reason[128], ref[32], detail[160];
	int64_t entry, record = 0;
	json_t *ev;
	int rc;

	*added = false;
	if ((rc = credit_entity_name(c, district, uscc, name, sizeof(name), e)) < 0)
		return rc;
	store_day_text(today, day);
	snprintf(reason, sizeof(reason), "未按照规定期限公示 %d 年度报告", year);
	rc = store_exec(c,
			"INSERT INTO abnormal_list (district, uscc, entity_name, year, reason, "
			"listed_on) VALUES (?, ?, ?, ?, ?, ?) "
			"ON CONFLICT (district, uscc, year) DO NOTHING RETURNING id",
			(struct store_param[]){SP_TEXT(district), SP_TEXT(uscc), SP_TEXT(name),
					       SP_INT(year), SP_TEXT(reason), SP_TEXT(day)},
			6, &res, e);
	if (rc < 0)
		return rc;
	if (res->rows == 0) { /* listed already (another node, a second run) */
		store_result_free(res);
		return 0;
	}
	entry = store_cell_int(res, 0, 0, 0);
	store_result_free(res);
	snprintf(ref, sizeof(ref), "%lld", (long long)entry);
	snprintf(detail, sizeof(detail), "{\"year\":%d,\"entry\":%lld}", year, (long long)entry);
	{
		struct credit_record_in in = {.uscc = uscc,
					      .kind = "abnormal_list",
					      .ref = ref,
					      .summary = reason,
					      .detail = detail,
					      .day = today,
					      .today = today,
					      .now = now,
					      .id_out = &record};

		rc = credit_record_add(c, district, &in, e);
	}
	if (rc == 0)
		rc = store_exec(
		    c,
		    "UPDATE abnormal_list SET credit_record_id = ? WHERE district = ? "
		    "AND id = ?",
		    (struct store_param[]){SP_INT(record), SP_TEXT(district), SP_INT(entry)}, 3,
		    NULL, e);
	if (rc < 0)
		return rc;
	ev = json_pack("{s:s,s:s,s:i,s:s,s:s}", "uscc", uscc, "name", name, "year", year, "reason",
		       reason, "listed_on", day);
	rc = sup_event_append(c, district, "abnormal_in", ref, ev, e);
	json_decref(ev);
	*added = rc == 0;
	return rc;
}

int abnormal_list_remove(struct store_conn *c, const char *district, const char *uscc, int year,
			 const char *reason, int today, int64_t now, bool *removed, struct yerr *e)
{
	struct store_result *res = NULL;
	char day[16], ref[32];
	json_t *ev;
	int rc;

	if (removed)
		*removed = false;
	store_day_text(today, day);
	rc =
	    store_exec(c,
		       "UPDATE abnormal_list SET removed_on = ?, removed_reason = ? WHERE "
		       "district = ? AND uscc = ? AND year = ? AND removed_on IS NULL RETURNING id",
		       (struct store_param[]){SP_TEXT(day), SP_TEXT(reason), SP_TEXT(district),
					      SP_TEXT(uscc), SP_INT(year)},
		       5, &res, e);
	if (rc < 0)
		return rc;
	if (res->rows == 0) {
		store_result_free(res);
		return 0;
	}
	snprintf(ref, sizeof(ref), "%lld", (long long)store_cell_int(res, 0, 0, 0));
	store_result_free(res);
	rc = credit_record_clear(c, district, uscc, "abnormal_list", ref, today, today, now, e);
	if (rc < 0)
		return rc;
	ev = json_pack("{s:s,s:i,s:s,s:s}", "uscc", uscc, "year", year, "reason", reason,
		       "removed_on", day);
	rc = sup_event_append(c, district, "abnormal_out", ref, ev, e);
	json_decref(ev);
	if (rc == 0 && removed)
		*removed = true;
	return rc;
}

int credit_job_claim(struct store_conn *c, const char *district, const char *day, int64_t now,
		     bool *claimed, struct yerr *e)
{
	struct store_result *res = NULL;
	int rc;

	*claimed = false;
	if ((rc = store_lock_key(c, "credit_job", district, e)) < 0)
		return rc;
	rc = store_exec(c,
			"INSERT INTO credit_job_runs (district, day, ran_at) VALUES (?, ?, ?) "
			"ON CONFLICT (district, day) DO NOTHING",
			(struct store_param[]){SP_TEXT(district), SP_TEXT(day), SP_INT(now)}, 3,
			&res, e);
	if (rc < 0)
		return rc;
	*claimed = res->changes == 1;
	store_result_free(res);
	return 0;
}

/* verification results -------------------------------------------------------- */

int verification_result_insert(struct store_conn *c, const char *district, int64_t task_id,
			       int64_t app_id, const char *result, const char *note,
			       const char *license_number, int64_t inspector_id, int64_t now,
			       struct yerr *e)
{
	int64_t exists = 0;
	int rc = store_query_int(
	    c, "SELECT count(*) FROM verification_results WHERE district = ? AND task_id = ?",
	    (struct store_param[]){SP_TEXT(district), SP_INT(task_id)}, 2, 0, &exists, e);

	if (rc < 0)
		return rc;
	if (exists)
		return yerr_set(e, 409, "already_verified", "task", "该核查任务已经记录结果");
	rc = store_exec(
	    c,
	    "INSERT INTO verification_results (district, task_id, application_id, result, note, "
	    "license_number, inspector_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	    (struct store_param[]){SP_TEXT(district), SP_INT(task_id), SP_INT(app_id),
				   SP_TEXT(result), SP_TEXT(note ? note : ""),
				   license_number && license_number[0] ? SP_TEXT(license_number)
								       : SP_NULL,
				   inspector_id ? SP_INT(inspector_id) : SP_NULL, SP_INT(now)},
	    8, NULL, e);
	if (rc < 0)
		return rc;
	return store_exec(c,
			  "UPDATE tasks SET state = 'closed', closed_at = ?, closed_by = ? "
			  "WHERE district = ? AND id = ? AND state = 'open'",
			  (struct store_param[]){SP_INT(now), SP_INT(inspector_id),
						 SP_TEXT(district), SP_INT(task_id)},
			  4, NULL, e);
}

int verification_task_get(struct store_conn *c, const char *district, int64_t task_id,
			  struct verification_task *out, struct yerr *e)
{
	struct store_result *res = NULL;
	int rc = store_query_row(c,
				 "SELECT t.id, t.application_id, t.department, t.permit, t.state, "
				 "a.number FROM tasks t JOIN applications a ON a.id = "
				 "t.application_id WHERE t.district = ? AND t.id = ? AND "
				 "t.kind = 'verification' FOR UPDATE",
				 (struct store_param[]){SP_TEXT(district), SP_INT(task_id)}, 2,
				 &res, 404, "task_not_found", "核查任务不存在", e);

	if (rc < 0)
		return rc;
	memset(out, 0, sizeof(*out));
	out->id = store_cell_int(res, 0, 0, 0);
	out->application_id = store_cell_int(res, 0, 1, 0);
	store_cell_copy(res, 0, 2, out->department, sizeof(out->department));
	store_cell_copy(res, 0, 3, out->permit, sizeof(out->permit));
	store_cell_copy(res, 0, 4, out->state, sizeof(out->state));
	store_cell_copy(res, 0, 5, out->app_number, sizeof(out->app_number));
	store_result_free(res);
	return 0;
}
