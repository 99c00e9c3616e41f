/*
 * store_plans.c — plans, frozen inputs, draws and check tasks (see
 * store_plans.h and 0031_spot_checks.sql).
 */
#include "store/store_plans.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_credit.h"
#include "store/store_supervision.h"

#define PLAN_COLS                                                                            \
	"p.id, p.code, p.status, p.period_from, p.period_to, p.per_check, p.title, "         \
	"p.departments, p.industries, p.grades, p.streets, p.ratios, p.check_items, "        \
	"p.targeted, p.commitment, p.secret_sha256, p.summary, p.created_by, p.created_at, " \
	"p.frozen_at, p.updated_at, (SELECT d.id FROM spot_draws d WHERE d.district = "      \
	"p.district AND d.plan_id = p.id)"

void store_plan_free(struct store_plan *p)
{
	if (p == NULL)
		return;
	free(p->title);
	free(p->departments);
	free(p->industries);
	free(p->grades);
	free(p->streets);
	free(p->ratios);
	free(p->check_items);
	free(p->targeted);
	free(p->commitment);
	free(p->secret_sha256);
	free(p->summary);
	memset(p, 0, sizeof(*p));
}

void store_plans_free(struct store_plan *p, int n)
{
	for (int i = 0; p && i < n; i++)
		store_plan_free(&p[i]);
	free(p);
}

static void plan_from_row(const struct store_result *r, int i, struct store_plan *p)
{
	memset(p, 0, sizeof(*p));
	p->id = store_cell_int(r, i, 0, 0);
	store_cell_copy(r, i, 1, p->code, sizeof(p->code));
	store_cell_copy(r, i, 2, p->status, sizeof(p->status));
	store_cell_copy(r, i, 3, p->period_from, sizeof(p->period_from));
	store_cell_copy(r, i, 4, p->period_to, sizeof(p->period_to));
	p->per_check = (int)store_cell_int(r, i, 5, 0);
	p->title = store_cell_dup(r, i, 6);
	p->departments = store_cell_dup(r, i, 7);
	p->industries = store_cell_dup(r, i, 8);
	p->grades = store_cell_dup(r, i, 9);
	p->streets = store_cell_dup(r, i, 10);
	p->ratios = store_cell_dup(r, i, 11);
	p->check_items = store_cell_dup(r, i, 12);
	p->targeted = store_cell_dup(r, i, 13);
	p->commitment = store_cell_dup(r, i, 14);
	p->secret_sha256 = store_cell_dup(r, i, 15);
	p->summary = store_cell_dup(r, i, 16);
	p->created_by = store_cell_int(r, i, 17, 0);
	p->created_at = store_cell_int(r, i, 18, 0);
	p->frozen_at = store_cell_int(r, i, 19, 0);
	p->updated_at = store_cell_int(r, i, 20, 0);
	p->draw_id = store_cell_int(r, i, 21, 0);
}

int store_plan_insert(struct store_conn *c, const char *district, const struct store_plan_in *in,
		      int year, int64_t by, int64_t now, int64_t *id, char code[PLAN_CODE_MAX],
		      struct yerr *err)
{
	char prefix[40], like[48];
	int64_t count = 0;
	int rc;

	/* the serial of the year: one allocation at a time per district */
	rc = store_lock_key(c, "spot_plan_code", district, err);
	snprintf(prefix, sizeof(prefix), "%.24s-%d-", district, year);
	snprintf(like, sizeof(like), "%s%%", prefix);
	if (rc == 0)
		rc = store_query_int(
		    c, "SELECT count(*) FROM spot_plans WHERE district = ? AND code LIKE ?",
		    (struct store_param[]){SP_TEXT(district), SP_TEXT(like)}, 2, 0, &count, err);
	if (rc < 0)
		return rc;
	if (snprintf(code, PLAN_CODE_MAX, "%.40s%03lld", prefix, (long long)count + 1) >=
	    PLAN_CODE_MAX)
		return yerr_set(err, 500, "plan_code", NULL, "计划编号过长");
	rc = store_exec(
	    c,
	    "INSERT INTO spot_plans (district, code, title, departments, industries, grades, "
	    "streets, ratios, per_check, period_from, period_to, check_items, targeted, status, "
	    "created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
	    "'draft', ?, ?, ?)",
	    (struct store_param[]){SP_TEXT(district), SP_TEXT(code), SP_TEXT(in->title),
				   SP_TEXT(in->departments), SP_TEXT(in->industries),
				   SP_TEXT(in->grades), SP_TEXT(in->streets), SP_TEXT(in->ratios),
				   SP_INT(in->per_check), SP_TEXT(in->period_from),
				   SP_TEXT(in->period_to), SP_TEXT(in->check_items),
				   SP_TEXT(in->targeted), SP_INT(by), SP_INT(now), SP_INT(now)},
	    16, NULL, err);
	if (rc < 0)
		return rc;
	return store_query_int(c, "SELECT id FROM spot_plans WHERE district = ? AND code = ?",
			       (struct store_param[]){SP_TEXT(district), SP_TEXT(code)}, 2, 0, id,
			       err);
}

int store_plan_get(struct store_conn *c, const char *district, int64_t id, int for_update,
		   struct store_plan *out, struct yerr *err)
{
	struct store_result *r = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = store_query_row(c,
			     for_update
				 ? "SELECT " PLAN_COLS " FROM spot_plans p WHERE p.district = "
				   "? AND p.id = ? FOR UPDATE"
				 : "SELECT " PLAN_COLS " FROM spot_plans p WHERE p.district = "
				   "? AND p.id = ?",
			     (struct store_param[]){SP_TEXT(district), SP_INT(id)}, 2, &r, 404,
			     "plan_not_found", "抽查计划不存在", err);
	if (rc < 0)
		return rc;
	plan_from_row(r, 0, out);
	store_result_free(r);
	return 0;
}

int store_plans_list(struct store_conn *c, const char *district, const char *department, int limit,
		     int offset, struct store_plan **out, int *n, int64_t *total, struct yerr *err)
{
	char like[64];
	struct store_result *r = NULL;
	int rc;

	*out = NULL;
	*n = 0;
	/* departments is a JSON array of codes: "\"code\"" finds one exactly */
	snprintf(like, sizeof(like), "%%\"%s\"%%", department ? department : "");
	rc = store_query_int(
	    c,
	    "SELECT count(*) FROM spot_plans p WHERE p.district = ? AND (? = 0 OR "
	    "p.departments LIKE ?)",
	    (struct store_param[]){SP_TEXT(district), SP_INT(department != NULL), SP_TEXT(like)}, 3,
	    0, total, err);
	if (rc == 0)
		rc =
		    store_exec(c,
			       "SELECT " PLAN_COLS " FROM spot_plans p WHERE p.district = ? AND (? "
			       "= 0 OR p.departments LIKE ?) ORDER BY p.id DESC LIMIT ? OFFSET ?",
			       (struct store_param[]){SP_TEXT(district), SP_INT(department != NULL),
						      SP_TEXT(like), SP_INT(limit), SP_INT(offset)},
			       5, &r, err);
	if (rc < 0)
		return rc;
	*out = calloc((size_t)r->rows + 1, sizeof(**out));
	if (*out == NULL) {
		store_result_free(r);
		return yerr_set(err, 500, "out_of_memory", NULL, "内存不足");
	}
	for (int i = 0; i < r->rows; i++)
		plan_from_row(r, i, &(*out)[i]);
	*n = r->rows;
	store_result_free(r);
	return 0;
}

/* scope ------------------------------------------------------------------------ */

void store_scope_free(struct store_scope_entity *e, size_t n)
{
	for (size_t i = 0; e && i < n; i++) {
		free(e[i].name);
		free(e[i].industry);
		free(e[i].address);
	}
	free(e);
}

/* The grade a plan samples an entity at: sup-credit's (A without a record). */
int store_plans_grade_of(struct store_conn *c, const char *district, const char *uscc,
			 char grade[2], struct yerr *err)
{
	return credit_grade_of(c, district, uscc, grade, err);
}

int store_scope_entities(struct store_conn *c, const char *district,
			 struct store_scope_entity **out, size_t *n, struct yerr *err)
{
	struct store_result *r = NULL;
	size_t k = 0;
	int rc;

	*out = NULL;
	*n = 0;
	rc = store_exec(c,
			"SELECT holder_uscc, holder_name, industry, address FROM licenses WHERE "
			"district = ? AND is_current = 1 AND status NOT IN ('cancelled', "
			"'revoked', 'superseded') ORDER BY holder_uscc, issued_at DESC, id DESC",
			(struct store_param[]){SP_TEXT(district)}, 1, &r, err);
	if (rc < 0)
		return rc;
	*out = calloc((size_t)r->rows + 1, sizeof(**out));
	if (*out == NULL) {
		store_result_free(r);
		return yerr_set(err, 500, "out_of_memory", NULL, "内存不足");
	}
	for (int i = 0; i < r->rows; i++) {
		const char *u = store_cell(r, i, 0);

		if (k > 0 && strcmp((*out)[k - 1].uscc, u ? u : "") == 0)
			continue; /* the entity's newest license gives its industry */
		store_cell_copy(r, i, 0, (*out)[k].uscc, sizeof((*out)[k].uscc));
		(*out)[k].name = store_cell_dup(r, i, 1);
		(*out)[k].industry = store_cell_dup(r, i, 2);
		(*out)[k].address = store_cell_dup(r, i, 3);
		k++;
	}
	store_result_free(r);
	*n = k;
	for (size_t i = 0; i < k; i++)
		if (store_plans_grade_of(c, district, (*out)[i].uscc, (*out)[i].grade, err) < 0) {
			store_scope_free(*out, k);
			*out = NULL;
			*n = 0;
			return -1;
		}
	return 0;
}

/* The active inspectors of a department: sup-core's inspector register;
 * a department with nobody in the register yet falls back to its enabled
 * accounts holding the inspector role (the register is new, and a plan
 * must not silently lose a department's inspectors meanwhile). */
int store_plan_inspectors(struct store_conn *c, const char *district, const char *department,
			  struct store_plan_inspector **out, size_t *n, struct yerr *err)
{
	struct store_result *r = NULL;
	struct store_plan_inspector *grown;
	struct sup_inspector *reg = NULL;
	const char *deps[1] = {department};
	size_t nreg = 0;
	int rc;

	rc = sup_inspectors_active(c, district, deps, 1, &reg, &nreg, err);
	if (rc < 0)
		return rc;
	if (nreg > 0) {
		grown = realloc(*out, (*n + nreg + 1) * sizeof(**out));
		if (grown == NULL) {
			sup_inspectors_free(reg, nreg);
			return yerr_set(err, 500, "out_of_memory", NULL, "内存不足");
		}
		*out = grown;
		for (size_t i = 0; i < nreg; i++) {
			struct store_plan_inspector *x = &(*out)[(*n)++];

			memset(x, 0, sizeof(*x));
			x->user_id = reg[i].user_id;
			snprintf(x->id, sizeof(x->id), "%lld", (long long)x->user_id);
			snprintf(x->department, sizeof(x->department), "%s", department);
			snprintf(x->name, sizeof(x->name), "%s", reg[i].display_name);
		}
		sup_inspectors_free(reg, nreg);
		return 0;
	}
	sup_inspectors_free(reg, nreg);
	rc = store_exec(c,
			"SELECT u.id, u.display_name FROM users u JOIN user_roles ur ON ur.user_id "
			"= u.id WHERE u.district = ? AND u.department = ? AND ur.role = "
			"'inspector' AND u.disabled = 0 ORDER BY u.id",
			(struct store_param[]){SP_TEXT(district), SP_TEXT(department)}, 2, &r, err);
	if (rc < 0)
		return rc;
	grown = realloc(*out, (*n + (size_t)r->rows + 1) * sizeof(**out));
	if (grown == NULL) {
		store_result_free(r);
		return yerr_set(err, 500, "out_of_memory", NULL, "内存不足");
	}
	*out = grown;
	for (int i = 0; i < r->rows; i++) {
		struct store_plan_inspector *x = &(*out)[(*n)++];

		memset(x, 0, sizeof(*x));
		x->user_id = store_cell_int(r, i, 0, 0);
		snprintf(x->id, sizeof(x->id), "%lld", (long long)x->user_id);
		snprintf(x->department, sizeof(x->department), "%s", department);
		store_cell_copy(r, i, 1, x->name, sizeof(x->name));
	}
	store_result_free(r);
	return 0;
}

/* The standing conflicts declared by inspectors of the departments
 * (sup-core's register); the caller keeps those within the plan's lists. */
int store_plan_conflicts(struct store_conn *c, const char *district, const char *departments_json,
			 struct store_plan_conflict **out, size_t *n, struct yerr *err)
{
	json_t *a = json_loads(departments_json ? departments_json : "[]", 0, NULL), *v;
	const char *deps[16];
	struct sup_conflict *sc = NULL;
	size_t nd = 0, nsc = 0, i;
	int rc;

	*out = NULL;
	*n = 0;
	json_array_foreach (a, i, v)
		if (nd < 16 && json_string_value(v))
			deps[nd++] = json_string_value(v);
	rc = nd ? sup_conflicts_scope(c, district, deps, nd, 0, false, &sc, &nsc, err) : 0;
	if (rc == 0 && nsc) {
		*out = calloc(nsc, sizeof(**out));
		if (*out == NULL)
			rc = yerr_set(err, 500, "out_of_memory", NULL, "内存不足");
		for (i = 0; *out && i < nsc; i++) {
			snprintf((*out)[i].inspector, sizeof((*out)[i].inspector), "%lld",
				 (long long)sc[i].user_id);
			snprintf((*out)[i].uscc, sizeof((*out)[i].uscc), "%s", sc[i].uscc);
		}
		if (*out)
			*n = nsc;
	}
	sup_conflicts_free(sc, nsc);
	json_decref(a);
	return rc;
}

/* freeze and draw ------------------------------------------------------------------ */

int store_plan_freeze(struct store_conn *c, const char *district, int64_t id,
		      const char *commitment, const char *secret_sha256, const char *summary,
		      const char *inputs, const char *secret_hex, int64_t by, int64_t now,
		      struct yerr *err)
{
	struct store_result *r = NULL;
	int rc;

	rc = store_exec(c,
			"UPDATE spot_plans SET status = 'frozen', commitment = ?, secret_sha256 = "
			"?, summary = ?, frozen_at = ?, frozen_by = ?, updated_at = ? WHERE "
			"district = ? AND id = ? AND status = 'draft'",
			(struct store_param[]){SP_TEXT(commitment), SP_TEXT(secret_sha256),
					       SP_TEXT(summary), SP_INT(now), SP_INT(by),
					       SP_INT(now), SP_TEXT(district), SP_INT(id)},
			8, &r, err);
	if (rc < 0)
		return rc;
	if (r->changes != 1) {
		store_result_free(r);
		return yerr_set(err, 409, "plan_not_draft", NULL, "计划已冻结，不能再次冻结");
	}
	store_result_free(r);
	rc = store_exec(
	    c, "INSERT INTO spot_plan_inputs (district, plan_id, inputs) VALUES (?, ?, ?)",
	    (struct store_param[]){SP_TEXT(district), SP_INT(id), SP_TEXT(inputs)}, 3, NULL, err);
	if (rc == 0)
		rc = store_exec(
		    c, "INSERT INTO spot_plan_secrets (district, plan_id, secret) VALUES (?, ?, ?)",
		    (struct store_param[]){SP_TEXT(district), SP_INT(id), SP_TEXT(secret_hex)}, 3,
		    NULL, err);
	return rc;
}

int store_plan_inputs(struct store_conn *c, const char *district, int64_t id, char **inputs,
		      char **secret_hex, struct yerr *err)
{
	struct store_result *r = NULL;
	int rc;

	*inputs = *secret_hex = NULL;
	rc = store_query_row(c,
			     "SELECT i.inputs, s.secret FROM spot_plan_inputs i LEFT JOIN "
			     "spot_plan_secrets s ON s.district = i.district AND s.plan_id = "
			     "i.plan_id WHERE i.district = ? AND i.plan_id = ?",
			     (struct store_param[]){SP_TEXT(district), SP_INT(id)}, 2, &r, 409,
			     "plan_not_frozen", "计划尚未冻结", err);
	if (rc < 0)
		return rc;
	*inputs = store_cell_dup(r, 0, 0);
	*secret_hex = store_cell_dup(r, 0, 1);
	store_result_free(r);
	return 0;
}

int store_draw_insert(struct store_conn *c, const char *district, int64_t plan_id,
		      const char *public_value, const char *source, const char *record, int checks,
		      int64_t by, int64_t now, int64_t *draw_id, struct yerr *err)
{
	struct store_result *r = NULL;
	int rc;

	rc = store_exec(c,
			"UPDATE spot_plans SET status = 'drawn', updated_at = ? WHERE district = ? "
			"AND id = ? AND status = 'frozen'",
			(struct store_param[]){SP_INT(now), SP_TEXT(district), SP_INT(plan_id)}, 3,
			&r, err);
	if (rc < 0)
		return rc;
	if (r->changes != 1) {
		store_result_free(r);
		return yerr_set(err, 409, "plan_not_frozen", NULL, "计划未处于已冻结待抽取状态");
	}
	store_result_free(r);
	rc = store_exec(c,
			"INSERT INTO spot_draws (district, plan_id, public_value, public_source, "
			"record, checks, drawn_by, drawn_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			(struct store_param[]){SP_TEXT(district), SP_INT(plan_id),
					       SP_TEXT(public_value), SP_TEXT(source),
					       SP_TEXT(record), SP_INT(checks), SP_INT(by),
					       SP_INT(now)},
			8, NULL, err);
	if (rc == 0)
		rc = store_exec(
		    c, "DELETE FROM spot_plan_secrets WHERE district = ? AND plan_id = ?",
		    (struct store_param[]){SP_TEXT(district), SP_INT(plan_id)}, 2, NULL, err);
	if (rc == 0)
		rc = store_query_int(
		    c, "SELECT id FROM spot_draws WHERE district = ? AND plan_id = ?",
		    (struct store_param[]){SP_TEXT(district), SP_INT(plan_id)}, 2, 0, draw_id, err);
	return rc;
}

void store_draw_free(struct store_draw *d)
{
	if (d == NULL)
		return;
	free(d->public_value);
	free(d->public_source);
	free(d->record);
	free(d->plan_title);
	memset(d, 0, sizeof(*d));
}

#define DRAW_COLS                                                                          \
	"d.id, d.plan_id, d.drawn_at, d.checks, p.code, d.public_value, d.public_source, " \
	"p.title"

static void draw_from_row(const struct store_result *r, int i, struct store_draw *d)
{
	memset(d, 0, sizeof(*d));
	d->id = store_cell_int(r, i, 0, 0);
	d->plan_id = store_cell_int(r, i, 1, 0);
	d->drawn_at = store_cell_int(r, i, 2, 0);
	d->checks = (int)store_cell_int(r, i, 3, 0);
	store_cell_copy(r, i, 4, d->plan_code, sizeof(d->plan_code));
	d->public_value = store_cell_dup(r, i, 5);
	d->public_source = store_cell_dup(r, i, 6);
	d->plan_title = store_cell_dup(r, i, 7);
}

int store_draw_get(struct store_conn *c, const char *district, int64_t id, int with_record,
		   struct store_draw *out, struct yerr *err)
{
	struct store_result *r = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = store_query_row(c,
			     with_record ? "SELECT " DRAW_COLS ", d.record FROM spot_draws d JOIN "
					   "spot_plans p ON p.district = d.district AND p.id = "
					   "d.plan_id WHERE d.district = ? AND d.id = ?"
					 : "SELECT " DRAW_COLS
					   " FROM spot_draws d JOIN spot_plans p "
					   "ON p.district = d.district AND p.id = d.plan_id WHERE "
					   "d.district = ? AND d.id = ?",
			     (struct store_param[]){SP_TEXT(district), SP_INT(id)}, 2, &r, 404,
			     "draw_not_found", "抽取记录不存在", err);
	if (rc < 0)
		return rc;
	draw_from_row(r, 0, out);
	if (with_record)
		out->record = store_cell_dup(r, 0, 8);
	store_result_free(r);
	return 0;
}

int store_draws_list(struct store_conn *c, const char *district, int limit, int offset,
		     struct store_draw **out, int *n, int64_t *total, struct yerr *err)
{
	struct store_result *r = NULL;
	int rc;

	*out = NULL;
	*n = 0;
	rc = store_query_int(c, "SELECT count(*) FROM spot_draws WHERE district = ?",
			     (struct store_param[]){SP_TEXT(district)}, 1, 0, total, err);
	if (rc == 0)
		rc = store_exec(
		    c,
		    "SELECT " DRAW_COLS " FROM spot_draws d JOIN spot_plans p ON "
		    "p.district = d.district AND p.id = d.plan_id WHERE d.district = ? "
		    "ORDER BY d.id DESC LIMIT ? OFFSET ?",
		    (struct store_param[]){SP_TEXT(district), SP_INT(limit), SP_INT(offset)}, 3, &r,
		    err);
	if (rc < 0)
		return rc;
	*out = calloc((size_t)r->rows + 1, sizeof(**out));
	if (*out == NULL) {
		store_result_free(r);
		return yerr_set(err, 500, "out_of_memory", NULL, "内存不足");
	}
	for (int i = 0; i < r->rows; i++)
		draw_from_row(r, i, &(*out)[i]);
	*n = r->rows;
	store_result_free(r);
	return 0;
}

/* sup-core's supervision_events (the export reads it). */
int store_plans_event(struct store_conn *c, const char *district, const char *kind, const char *ref,
		      const char *detail, struct yerr *err)
{
	json_t *d = json_loads(detail ? detail : "{}", 0, NULL);
	int rc = sup_event_append(c, district, kind, ref, d, err);

	json_decref(d);
	return rc;
}
