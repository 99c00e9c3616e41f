/*
 * store_risk.c — the facts the risk rules judge (store_risk.h). Each source
 * is one query on its own module's table; a module whose table has not
 * landed has no query here yet (its rule then never fires), rather than a
 * guess at its shape.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "store/store_risk.h"

struct facts {
	struct risk_fact *v;
	size_t n, cap;
};

static void facts_add(struct facts *f, enum risk_kind kind, const char *day, const char *ref,
		      const char *outcome)
{
	struct risk_fact *x;
	int d;

	if (day == NULL || date_parse(day, strlen(day), &d) != 0)
		return; /* a row without a day cannot be judged by a dated rule */
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 16;
		f->v = realloc(f->v, f->cap * sizeof(*f->v));
		if (f->v == NULL)
			abort();
	}
	x = &f->v[f->n++];
	memset(x, 0, sizeof(*x));
	x->kind = kind;
	x->day = d;
	snprintf(x->ref, sizeof(x->ref), "%s", ref ? ref : "");
	snprintf(x->outcome, sizeof(x->outcome), "%s", outcome ? outcome : "");
}

/* Runs sql (columns: day, ref[, outcome]) and adds a fact of kind per row. */
static int facts_query(struct store_conn *c, struct facts *f, enum risk_kind kind,
		       const char *ref_prefix, const char *sql, const struct store_param *p, int np,
		       struct yerr *e)
{
	struct store_result *r;
	int rc = store_exec(c, sql, p, np, &r, e);

	if (rc < 0)
		return rc;
	for (int i = 0; i < r->rows; i++) {
		char ref[RISK_REF_SIZE];

		snprintf(ref, sizeof(ref), "%s%s", ref_prefix,
			 store_cell(r, i, 1) ? store_cell(r, i, 1) : "");
		facts_add(f, kind, store_cell(r, i, 0), ref,
			  r->cols > 2 ? store_cell(r, i, 2) : NULL);
	}
	store_result_free(r);
	return 0;
}

int risk_facts(struct store_conn *c, const char *district, const char *uscc, int today,
	       struct risk_fact **out, size_t *n, struct yerr *e)
{
	struct facts f = {0};
	char from[16], check_from[16], day[16];
	int rc;

	date_format(today - RISK_COMPLAINT_WINDOW + 1, from, sizeof(from));
	date_format(today - RISK_FAILED_CHECK_WINDOW + 1, check_from, sizeof(check_from));
	date_format(today, day, sizeof(day));
	/* complaints (this module) */
	rc = facts_query(
	    c, &f, RISK_COMPLAINT, "",
	    "SELECT filed_on, ticket, outcome FROM complaints WHERE district = ? AND "
	    "uscc = ? AND filed_on >= ? AND filed_on <= ? ORDER BY filed_on, id",
	    (struct store_param[]){SP_TEXT(district), SP_TEXT(uscc), SP_TEXT(from), SP_TEXT(day)},
	    4, e);
	/* 告知承诺 verification tasks of the applications module still open
	 * after their due day; the application is the entity's through its
	 * license or its market entity */
	if (rc == 0)
		rc = facts_query(
		    c, &f, RISK_VERIFICATION_OPEN, "task:",
		    "SELECT t.due_day, t.id FROM tasks t WHERE t.district = ? AND "
		    "t.kind = 'verification' AND t.state = 'open' AND t.due_day < ? AND "
		    "(t.application_id IN (SELECT application_id FROM licenses WHERE district = ? "
		    "AND holder_uscc = ?) OR t.application_id IN (SELECT a.id FROM applications a "
		    "JOIN entities en ON en.id = a.entity_id WHERE a.district = ? AND en.uscc = "
		    "?)) "
		    "ORDER BY t.due_day, t.id",
		    (struct store_param[]){SP_TEXT(district), SP_TEXT(day), SP_TEXT(district),
					   SP_TEXT(uscc), SP_TEXT(district), SP_TEXT(uscc)},
		    6, e);
	/* the abnormal list (经营异常名录, the credit module): entries not
	 * removed, listed on or before today */
	if (rc == 0)
		rc = facts_query(
		    c, &f, RISK_ABNORMAL, "abnormal:",
		    "SELECT listed_on, id FROM abnormal_list WHERE district = ? AND "
		    "uscc = ? AND removed_on IS NULL AND listed_on <= ? ORDER BY "
		    "listed_on, id",
		    (struct store_param[]){SP_TEXT(district), SP_TEXT(uscc), SP_TEXT(day)}, 3, e);
	/* spot checks (check_tasks of the plans module): a result `failed`
	 * in the window (the day it was recorded); a follow-up check after
	 * 责令整改 still open after its due day, which is the rectification
	 * deadline */
	if (rc == 0)
		rc = facts_query(
		    c, &f, RISK_FAILED_CHECK, "check:",
		    "SELECT done_on, id FROM check_tasks WHERE district = ? AND uscc = ? "
		    "AND status = 'done' AND outcome = 'failed' AND done_on >= ? AND "
		    "done_on <= ? ORDER BY done_on, id",
		    (struct store_param[]){SP_TEXT(district), SP_TEXT(uscc), SP_TEXT(check_from),
					   SP_TEXT(day)},
		    4, e);
	if (rc == 0)
		rc = facts_query(
		    c, &f, RISK_RECTIFY_OPEN, "check:",
		    "SELECT due_on, id FROM check_tasks WHERE district = ? AND uscc = ? "
		    "AND kind = 'follow_up' AND status = 'open' AND due_on < ? ORDER BY "
		    "due_on, id",
		    (struct store_param[]){SP_TEXT(district), SP_TEXT(uscc), SP_TEXT(day)}, 3, e);
	if (rc < 0) {
		free(f.v);
		return rc;
	}
	*out = f.v;
	*n = f.n;
	return 0;
}

json_t *risk_flags_json(const struct risk_flag *flags, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++) {
		char since[16] = "";

		date_format(flags[i].since, since, sizeof(since));
		json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:s,s:s}", "code", flags[i].code,
						   "label", flags[i].label, "cause", flags[i].cause,
						   "since", since, "ref", flags[i].ref));
	}
	return a;
}

int risk_flags_at(struct store_conn *c, const char *district, const char *uscc, int today,
		  json_t **out, struct yerr *e)
{
	struct risk_flag flags[RISK_RULES];
	struct risk_fact *facts = NULL;
	size_t n = 0, nf;
	int rc = risk_facts(c, district, uscc, today, &facts, &n, e);

	*out = NULL;
	if (rc < 0)
		return rc;
	nf = risk_evaluate(facts, n, today, flags, RISK_RULES);
	free(facts);
	*out = risk_flags_json(flags, nf);
	return 0;
}

int risk_flags(struct store_conn *c, const char *district, const char *uscc, json_t **flags,
	       struct yerr *e)
{
	return risk_flags_at(c, district, uscc, date_today_shanghai(time(NULL)), flags, e);
}

int risk_candidates(struct store_conn *c, const char *district, int today, size_t max,
		    char (**usccs)[19], size_t *n, struct yerr *e)
{
	char from[16], check_from[16], day[16];
	struct store_result *r;
	int rc;

	*usccs = NULL;
	*n = 0;
	date_format(today - RISK_COMPLAINT_WINDOW + 1, from, sizeof(from));
	date_format(today - RISK_FAILED_CHECK_WINDOW + 1, check_from, sizeof(check_from));
	date_format(today, day, sizeof(day));
	/* one row per source; UNION removes the repeats */
	rc = store_exec(
	    c,
	    "SELECT uscc FROM complaints WHERE district = ? AND filed_on >= ? AND filed_on <= ? "
	    "AND (outcome IS NULL OR outcome <> 'unsubstantiated') GROUP BY uscc "
	    "HAVING COUNT(*) >= ? "
	    "UNION SELECT l.holder_uscc FROM tasks t JOIN licenses l ON l.district = t.district "
	    "AND l.application_id = t.application_id WHERE t.district = ? AND "
	    "t.kind = 'verification' AND t.state = 'open' AND t.due_day < ? "
	    "UNION SELECT en.uscc FROM tasks t JOIN applications a ON a.id = t.application_id "
	    "JOIN entities en ON en.id = a.entity_id WHERE t.district = ? AND "
	    "t.kind = 'verification' AND t.state = 'open' AND t.due_day < ? AND "
	    "en.uscc IS NOT NULL "
	    "UNION SELECT uscc FROM abnormal_list WHERE district = ? AND removed_on IS NULL AND "
	    "listed_on <= ? "
	    "UNION SELECT uscc FROM check_tasks WHERE district = ? AND ((status = 'done' AND "
	    "outcome = 'failed' AND done_on >= ? AND done_on <= ?) OR (kind = 'follow_up' AND "
	    "status = 'open' AND due_on < ?)) "
	    /* @@risk-candidates@@ */
	    "ORDER BY 1 LIMIT ?",
	    (struct store_param[]){SP_TEXT(district), SP_TEXT(from), SP_TEXT(day),
				   SP_INT(RISK_COMPLAINTS_MIN), SP_TEXT(district), SP_TEXT(day),
				   SP_TEXT(district), SP_TEXT(day), SP_TEXT(district), SP_TEXT(day),
				   SP_TEXT(district), SP_TEXT(check_from), SP_TEXT(day),
				   SP_TEXT(day), SP_INT(max)},
	    15, &r, e);
	if (rc < 0)
		return rc;
	*usccs = calloc((size_t)(r->rows ? r->rows : 1), sizeof(**usccs));
	if (*usccs == NULL)
		abort();
	for (int i = 0; i < r->rows; i++)
		store_cell_copy(r, i, 0, (*usccs)[i], sizeof((*usccs)[i]));
	*n = (size_t)r->rows;
	store_result_free(r);
	return 0;
}
