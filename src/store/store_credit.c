/*
 * store_credit.c — credit records and grades (store_credit.h). The grade is
 * never written by anyone but credit_grade_recompute, which decides it from
 * the records with core/credit.c, so a stored grade always has the records
 * that explain it.
 */
#include "store/store_credit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/credit.h"
#include "core/date.h"
#include "store/store_application.h"
#include "store/store_supervision.h"

/* The per-entity lock: two records for one entity recompute in turn, so the
 * second sees the first's record and the history has no gap. */
static int lock_entity(struct store_conn *c, const char *district, const char *uscc, struct yerr *e)
{
	char key[96];

	snprintf(key, sizeof(key), "%s/%s", district, uscc);
	return store_lock_key(c, "credit", key, e);
}

int credit_record_add(struct store_conn *c, const char *district, const struct credit_record_in *in,
		      struct yerr *e)
{
	const struct credit_rule *rule;
	struct store_result *res = NULL;
	char day[16], exp[16];
	int kind = credit_kind_parse(in->kind), rc;

	if (kind < 0)
		return yerr_set(e, 400, "invalid_kind", "kind", "信用记录类型不存在：%s",
				in->kind ? in->kind : "");
	rule = credit_rule_of((enum credit_kind)kind, in->severity);
	if (rule == NULL)
		return yerr_set(e, 400, "invalid_severity", "severity",
				"信用记录的严重程度只能是 minor、general 或 serious");
	if ((rc = lock_entity(c, district, in->uscc, e)) < 0)
		return rc;
	store_day_text(in->day, day);
	store_day_text(credit_expiry(rule, in->day), exp);
	rc = store_exec(
	    c,
	    "INSERT INTO credit_records (district, uscc, kind, ref, department, severity, points, "
	    "day, expires_on, summary, detail, created_by, at) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
	    (struct store_param[]){
		SP_TEXT(district), SP_TEXT(in->uscc), SP_TEXT(rule->name),
		SP_TEXT(in->ref ? in->ref : ""), SP_TEXT(in->department ? in->department : ""),
		SP_TEXT(rule->severity ? rule->severity : "general"), SP_INT(rule->points),
		SP_TEXT(day), exp[0] ? SP_TEXT(exp) : SP_NULL,
		SP_TEXT(in->summary ? in->summary : rule->label),
		SP_TEXT(in->detail ? in->detail : "{}"),
		in->created_by > 0 ? SP_INT(in->created_by) : SP_NULL, SP_INT(in->now)},
	    13, &res, e);
	if (rc < 0)
		return rc;
	if (in->id_out)
		*in->id_out = store_cell_int(res, 0, 0, 0);
	store_result_free(res);
	return credit_grade_recompute(c, district, in->uscc, in->today, rule->name, in->now, NULL,
				      e);
}

int credit_grade_of(struct store_conn *c, const char *district, const char *uscc, char grade[2],
		    struct yerr *e)
{
	struct store_result *res = NULL;
	int rc = store_exec(c, "SELECT grade FROM credit_grades WHERE district = ? AND uscc = ?",
			    (struct store_param[]){SP_TEXT(district), SP_TEXT(uscc)}, 2, &res, e);

	if (rc < 0)
		return rc;
	grade[0] = res->rows && store_cell(res, 0, 0) ? store_cell(res, 0, 0)[0] : 'A';
	grade[1] = '\0';
	store_result_free(res);
	return 0;
}

/* Every record of uscc, oldest first, as the rules see them. */
static int load_facts(struct store_conn *c, const char *district, const char *uscc,
		      struct store_result **res, struct credit_fact **facts, struct yerr *e)
{
	int rc =
	    store_exec(c,
		       "SELECT id, kind, points, day, expires_on, cleared_on, ref, department, "
		       "severity, summary, detail, at FROM credit_records "
		       "WHERE district = ? AND uscc = ? ORDER BY day, id",
		       (struct store_param[]){SP_TEXT(district), SP_TEXT(uscc)}, 2, res, e);

	if (rc < 0)
		return rc;
	*facts = calloc((size_t)(*res)->rows + 1, sizeof(**facts));
	if (*facts == NULL)
		abort();
	for (int i = 0; i < (*res)->rows; i++) {
		struct credit_fact *f = &(*facts)[i];
		int k = credit_kind_parse(store_cell(*res, i, 1));

		f->id = store_cell_int(*res, i, 0, 0);
		f->kind = k < 0 ? CREDIT_MANUAL : (enum credit_kind)k;
		f->points = (int)store_cell_int(*res, i, 2, 0);
		/* store_day_parse answers -1 for NULL; the rules take 0 for "none" */
		f->day = store_day_parse(store_cell(*res, i, 3));
		f->expires_on =
		    store_cell(*res, i, 4) ? store_day_parse(store_cell(*res, i, 4)) : 0;
		f->cleared_on =
		    store_cell(*res, i, 5) ? store_day_parse(store_cell(*res, i, 5)) : 0;
	}
	return 0;
}

int credit_grade_recompute(struct store_conn *c, const char *district, const char *uscc, int today,
			   const char *cause, int64_t now, bool *changed, struct yerr *e)
{
	struct store_result *res = NULL;
	struct credit_fact *facts = NULL;
	struct credit_grade_result g;
	json_t *why = NULL, *detail;
	char old[2], grade[2], day[16], *reasons = NULL;
	int rc;

	if (changed)
		*changed = false;
	if ((rc = lock_entity(c, district, uscc, e)) < 0)
		return rc;
	if ((rc = load_facts(c, district, uscc, &res, &facts, e)) < 0)
		return rc;
	rc = credit_grade_compute(facts, (size_t)res->rows, today, &g, &why);
	free(facts);
	store_result_free(res);
	if (rc < 0)
		abort();
	if ((rc = credit_grade_of(c, district, uscc, old, e)) < 0)
		goto out;
	grade[0] = g.grade;
	grade[1] = '\0';
	store_day_text(today, day);
	reasons = json_dumps(why, JSON_COMPACT);
	if (reasons == NULL)
		abort();
	/* the explanation is refreshed even when the grade stays (new points) */
	rc = store_exec(
	    c,
	    "INSERT INTO credit_grades (district, uscc, grade, points, since, reasons, updated_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (district, uscc) DO UPDATE SET "
	    "grade = excluded.grade, points = excluded.points, reasons = excluded.reasons, "
	    "updated_at = excluded.updated_at, since = CASE WHEN credit_grades.grade = "
	    "excluded.grade THEN credit_grades.since ELSE excluded.since END",
	    (struct store_param[]){SP_TEXT(district), SP_TEXT(uscc), SP_TEXT(grade),
				   SP_INT(g.points), SP_TEXT(day), SP_TEXT(reasons), SP_INT(now)},
	    7, NULL, e);
	if (rc < 0 || old[0] == g.grade)
		goto out;
	rc = store_exec(
	    c,
	    "INSERT INTO credit_grade_history (district, uscc, from_grade, to_grade, day, "
	    "cause, reasons, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	    (struct store_param[]){SP_TEXT(district), SP_TEXT(uscc), SP_TEXT(old), SP_TEXT(grade),
				   SP_TEXT(day), SP_TEXT(cause ? cause : ""), SP_TEXT(reasons),
				   SP_INT(now)},
	    8, NULL, e);
	if (rc < 0)
		goto out;
	/* published: the grade and its rule, not the records' details */
	detail = json_pack("{s:s,s:s,s:s,s:i,s:s,s:s}", "uscc", uscc, "from", old, "to", grade,
			   "points", g.points, "rule", g.rule, "day", day);
	rc = sup_event_append(c, district, "credit_grade", uscc, detail, e);
	json_decref(detail);
	if (rc == 0 && changed)
		*changed = true;
out:
	free(reasons);
	json_decref(why);
	return rc;
}

int credit_record_clear(struct store_conn *c, const char *district, const char *uscc,
			const char *kind, const char *ref, int day, int today, int64_t now,
			struct yerr *e)
{
	char d[16];
	int rc;

	if ((rc = lock_entity(c, district, uscc, e)) < 0)
		return rc;
	store_day_text(day, d);
	rc = store_exec(c,
			"UPDATE credit_records SET cleared_on = ? WHERE district = ? AND uscc = ? "
			"AND kind = ? AND ref = ? AND cleared_on IS NULL",
			(struct store_param[]){SP_TEXT(d), SP_TEXT(district), SP_TEXT(uscc),
					       SP_TEXT(kind), SP_TEXT(ref)},
			5, NULL, e);
	if (rc < 0)
		return rc;
	return credit_grade_recompute(c, district, uscc, today, kind, now, NULL, e);
}

int credit_recompute_all(struct store_conn *c, const char *district, int today, int64_t now,
			 int *changed, struct yerr *e)
{
	struct store_result *res = NULL;
	int rc = store_exec(c,
			    "SELECT uscc FROM credit_grades WHERE district = ? AND grade <> 'A' "
			    "ORDER BY uscc",
			    (struct store_param[]){SP_TEXT(district)}, 1, &res, e);

	*changed = 0;
	for (int i = 0; rc == 0 && i < res->rows; i++) {
		bool moved = false;

		rc = credit_grade_recompute(c, district, store_cell(res, i, 0), today, "expiry",
					    now, &moved, e);
		*changed += moved;
	}
	store_result_free(res);
	return rc;
}

static json_t *cell_json(const struct store_result *res, int row, int col)
{
	const char *s = store_cell(res, row, col);

	return s ? json_string(s) : json_null();
}

int credit_page(struct store_conn *c, const char *district, const char *uscc, int today,
		json_t **out, struct yerr *e)
{
	struct store_result *res = NULL, *hist = NULL, *cur = NULL;
	struct credit_fact *facts = NULL;
	struct credit_grade_result g;
	json_t *why = NULL, *records, *history;
	int rc;

	if ((rc = load_facts(c, district, uscc, &res, &facts, e)) < 0)
		return rc;
	if (credit_grade_compute(facts, (size_t)res->rows, today, &g, &why) < 0)
		abort();
	records = json_array();
	for (int i = res->rows - 1; i >= 0; i--) {
		json_t *detail = json_loads(store_cell(res, i, 10), 0, NULL);

		json_array_append_new(
		    records,
		    json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:i,s:o,s:o,s:o,s:s,s:o,s:b}", "id",
			      (json_int_t)facts[i].id, "kind", store_cell(res, i, 1), "label",
			      credit_kind_label(facts[i].kind), "ref", store_cell(res, i, 6),
			      "department", store_cell(res, i, 7), "severity",
			      store_cell(res, i, 8), "points", facts[i].points, "day",
			      cell_json(res, i, 3), "expires_on", cell_json(res, i, 4),
			      "cleared_on", cell_json(res, i, 5), "summary", store_cell(res, i, 9),
			      "detail", detail ? detail : json_object(), "in_force",
			      credit_fact_in_force(&facts[i], today)));
	}
	free(facts);
	store_result_free(res);
	history = json_array();
	rc = store_exec(c,
			"SELECT from_grade, to_grade, day, cause FROM credit_grade_history "
			"WHERE district = ? AND uscc = ? ORDER BY id",
			(struct store_param[]){SP_TEXT(district), SP_TEXT(uscc)}, 2, &hist, e);
	if (rc == 0)
		rc = store_exec(c,
				"SELECT grade, since FROM credit_grades WHERE district = ? AND "
				"uscc = ?",
				(struct store_param[]){SP_TEXT(district), SP_TEXT(uscc)}, 2, &cur,
				e);
	if (rc < 0) {
		json_decref(records);
		json_decref(history);
		json_decref(why);
		store_result_free(hist);
		return rc;
	}
	for (int i = 0; i < hist->rows; i++)
		json_array_append_new(
		    history, json_pack("{s:s,s:s,s:s,s:s}", "from", store_cell(hist, i, 0), "to",
				       store_cell(hist, i, 1), "day", store_cell(hist, i, 2),
				       "cause", store_cell(hist, i, 3)));
	{
		const char *stored = cur->rows ? store_cell(cur, 0, 0) : "A";
		char grade[2] = {stored[0], '\0'};

		*out = json_pack("{s:s,s:s,s:s,s:o,s:o,s:o,s:o}", "uscc", uscc, "grade", grade,
				 "label", credit_grade_label(grade[0]), "since",
				 cur->rows ? cell_json(cur, 0, 1) : json_null(), "explanation", why,
				 "records", records, "history", history);
	}
	store_result_free(hist);
	store_result_free(cur);
	return 0;
}
