/*
 * h_plans.c — spot-check plans (issue 13, 双随机、一公开; docs/api-supervision.md
 * "Plans"):
 *   POST /api/v1/supervision/plans                 supervision.plans
 *   GET  /api/v1/supervision/plans                 supervision.plans
 *   GET  /api/v1/supervision/plans/{id}            supervision.plans
 *   GET  /api/v1/supervision/plans/{id}/preview    supervision.plans
 * A supervisor sees and changes the plans of their own department only
 * (a joint plan: of any department it names). Freeze and draw: h_plan_draw.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "core/ident.h"
#include "http/accounts.h"
#include "http/applications.h"
#include "http/plans.h"
#include "store/store_risk.h"

#define PLAN_TITLE_MAX 100
#define PLAN_MAX_LIST 64   /* industries, streets, departments */
#define PLAN_MAX_ITEMS 100 /* check items, targeted entities */
#define PLAN_TEXT_MAX 500

static const char *const grade_names[DRAW_GRADES] = {"A", "B", "C", "D"};

/* helpers shared with h_plan_draw.c and h_checks.c --------------------------------- */

int plan_concerns_me(const struct req *r, const char *departments)
{
	json_t *a = json_loads(departments ? departments : "[]", 0, NULL), *v;
	size_t i;
	int yes = 0;

	json_array_foreach (a, i, v)
		if (r->who.department[0] && strcmp(json_string_value(v) ? json_string_value(v) : "",
						   r->who.department) == 0)
			yes = 1;
	json_decref(a);
	return yes;
}

static json_t *load_or(const char *text, json_t *dflt)
{
	json_t *v = text ? json_loads(text, 0, NULL) : NULL;

	if (v == NULL)
		return dflt;
	json_decref(dflt);
	return v;
}

static size_t array_size_of(const char *text)
{
	json_t *a = text ? json_loads(text, 0, NULL) : NULL;
	size_t n = json_array_size(a);

	json_decref(a);
	return n;
}

json_t *plan_json(const struct store_plan *p)
{
	json_t *o = json_pack(
	    "{s:I,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:i,s:{s:s,s:s},s:o,s:o,s:b,s:I}", "id",
	    (json_int_t)p->id, "code", p->code, "title", p->title ? p->title : "", "status",
	    p->status, "departments", load_or(p->departments, json_array()), "industries",
	    load_or(p->industries, json_array()), "grades", load_or(p->grades, json_array()),
	    "streets", load_or(p->streets, json_array()), "ratios",
	    load_or(p->ratios, json_object()), "inspectors_per_check", p->per_check, "period",
	    "from", p->period_from, "to", p->period_to, "check_items",
	    load_or(p->check_items, json_array()), "targeted", load_or(p->targeted, json_array()),
	    "joint", array_size_of(p->departments) > 1, "created_at", (json_int_t)p->created_at);

	if (o == NULL)
		return json_object();
	/* a freeze publishes the commitment; the secret itself is never here */
	if (p->commitment)
		json_object_set_new(o, "commitment",
				    json_pack("{s:s,s:s,s:s,s:o,s:I}", "algorithm", DRAW_ALGORITHM,
					      "commitment", p->commitment, "secret_sha256",
					      p->secret_sha256 ? p->secret_sha256 : "", "summary",
					      load_or(p->summary, json_object()), "frozen_at",
					      (json_int_t)p->frozen_at));
	if (p->draw_id)
		json_object_set_new(o, "draw_id", json_integer(p->draw_id));
	return o;
}

int plan_load(struct req *r, struct store_conn *c, int for_update, struct store_plan *p,
	      struct yerr *e)
{
	int64_t id;

	if (args_int(req_param(r, "id"), 1, INT64_MAX, (long long *)&id) < 0)
		return yerr_set(e, 404, "plan_not_found", NULL, "抽查计划不存在");
	if (store_plan_get(c, req_district(r), id, for_update, p, e) < 0)
		return -1;
	if (!plan_concerns_me(r, p->departments)) {
		store_plan_free(p);
		return yerr_set(e, 403, "not_your_department", NULL,
				"只有计划所涉部门的监管人员可以查看或操作该计划");
	}
	return 0;
}

void plan_draw_free(struct plan_draw *d)
{
	free(d->entities);
	free(d->inspectors);
	free(d->conflicts);
	free(d->depts);
	json_decref(d->inputs);
	json_decref(d->departments);
	memset(d, 0, sizeof(*d));
}

static int in_list(const json_t *list, const char *s)
{
	size_t i;
	json_t *v;

	json_array_foreach (list, i, v)
		if (json_string_value(v) && strcmp(json_string_value(v), s) == 0)
			return 1;
	return 0;
}

static int in_ids(const json_t *rows, const char *id)
{
	size_t i;
	json_t *v;

	json_array_foreach (rows, i, v)
		if (strcmp(json_string_value(json_object_get(v, "id")), id) == 0)
			return 1;
	return 0;
}

/* The street of the first of streets the address names ("" for none). */
static const char *street_of(const json_t *streets, const char *address)
{
	size_t i;
	json_t *v;

	json_array_foreach (streets, i, v)
		if (address && json_string_value(v) && strstr(address, json_string_value(v)))
			return json_string_value(v);
	return NULL;
}

int plan_inputs_now(struct store_conn *c, const char *district, const struct store_plan *p,
		    json_t **inputs, struct yerr *e)
{
	json_t *industries = load_or(p->industries, json_array()),
	       *grades = load_or(p->grades, json_array()),
	       *streets = load_or(p->streets, json_array()),
	       *depts = load_or(p->departments, json_array());
	json_t *ents = json_array(), *insps = json_array(), *confs = json_array(), *v;
	struct store_scope_entity *se = NULL;
	struct store_plan_inspector *pi = NULL;
	struct store_plan_conflict *pc = NULL;
	size_t ns = 0, ni = 0, nc = 0, i;
	int rc;

	rc = store_scope_entities(c, district, &se, &ns, e);
	json_array_foreach (depts, i, v)
		if (rc == 0)
			rc = store_plan_inspectors(c, district, json_string_value(v), &pi, &ni, e);
	if (rc == 0)
		rc = store_plan_conflicts(c, district, p->departments, &pc, &nc, e);
	for (i = 0; rc == 0 && i < ns; i++) {
		const char *street = "";

		if (json_array_size(industries) && !in_list(industries, se[i].industry))
			continue;
		if (json_array_size(grades) && !in_list(grades, se[i].grade))
			continue;
		if (json_array_size(streets) &&
		    (street = street_of(streets, se[i].address)) == NULL)
			continue;
		json_array_append_new(
		    ents, json_pack("{s:s,s:s,s:s,s:s,s:s}", "id", se[i].uscc, "grade", se[i].grade,
				    "industry", se[i].industry ? se[i].industry : "", "street",
				    street, "name", se[i].name ? se[i].name : ""));
	}
	for (i = 0; rc == 0 && i < ni; i++)
		json_array_append_new(insps,
				      json_pack("{s:s,s:s,s:s}", "id", pi[i].id, "department",
						pi[i].department, "name", pi[i].name));
	/* a conflict counts for the plan when both sides are in its lists */
	for (i = 0; rc == 0 && i < nc; i++)
		if (in_ids(insps, pc[i].inspector) && in_ids(ents, pc[i].uscc))
			json_array_append_new(confs,
					      json_pack("{s:s,s:s}", "inspector", pc[i].inspector,
							"entity", pc[i].uscc));
	store_scope_free(se, ns);
	free(pi);
	free(pc);
	json_decref(industries);
	json_decref(grades);
	json_decref(streets);
	json_decref(depts);
	if (rc < 0) {
		json_decref(ents);
		json_decref(insps);
		json_decref(confs);
		return rc;
	}
	*inputs =
	    json_pack("{s:o,s:o,s:o}", "entities", ents, "inspectors", insps, "conflicts", confs);
	return 0;
}

static int grade_index(const char *g)
{
	for (int i = 0; g && i < DRAW_GRADES; i++)
		if (strcmp(g, grade_names[i]) == 0)
			return i;
	return -1;
}

int plan_draw_from(const struct store_plan *p, json_t *inputs, const char *secret_sha256,
		   struct plan_draw *d, struct yerr *e)
{
	json_t *ents, *insps, *confs, *ratios, *v;
	size_t i;

	memset(d, 0, sizeof(*d));
	d->inputs = inputs;
	d->departments = load_or(p->departments, json_array());
	ratios = load_or(p->ratios, json_object());
	ents = json_object_get(inputs, "entities");
	insps = json_object_get(inputs, "inspectors");
	confs = json_object_get(inputs, "conflicts");
	d->entities = calloc(json_array_size(ents) + 1, sizeof(*d->entities));
	d->inspectors = calloc(json_array_size(insps) + 1, sizeof(*d->inspectors));
	d->conflicts = calloc(json_array_size(confs) + 1, sizeof(*d->conflicts));
	d->depts = calloc(json_array_size(d->departments) + 1, sizeof(*d->depts));
	if (!d->entities || !d->inspectors || !d->conflicts || !d->depts) {
		json_decref(ratios);
		plan_draw_free(d);
		return yerr_set(e, 500, "out_of_memory", NULL, "内存不足");
	}
	json_array_foreach (ents, i, v) {
		int g = grade_index(json_string_value(json_object_get(v, "grade")));

		d->entities[i].id = json_string_value(json_object_get(v, "id"));
		d->entities[i].grade = g < 0 ? DRAW_GRADE_A : (enum draw_grade)g;
		d->entities[i].industry = json_string_value(json_object_get(v, "industry"));
		d->entities[i].street = json_string_value(json_object_get(v, "street"));
	}
	json_array_foreach (insps, i, v) {
		d->inspectors[i].id = json_string_value(json_object_get(v, "id"));
		d->inspectors[i].department = json_string_value(json_object_get(v, "department"));
	}
	json_array_foreach (confs, i, v) {
		d->conflicts[i].inspector = json_string_value(json_object_get(v, "inspector"));
		d->conflicts[i].entity = json_string_value(json_object_get(v, "entity"));
	}
	json_array_foreach (d->departments, i, v)
		d->depts[i] = json_string_value(v);
	d->plan.algorithm = DRAW_ALGORITHM;
	d->plan.plan = p->code;
	d->plan.departments = d->depts;
	d->plan.ndepartments = json_array_size(d->departments);
	for (int g = 0; g < DRAW_GRADES; g++)
		d->plan.ratio[g] =
		    (unsigned)json_integer_value(json_object_get(ratios, grade_names[g]));
	json_decref(ratios);
	d->plan.per_check = (unsigned)p->per_check;
	d->plan.entities = d->entities;
	d->plan.nentities = json_array_size(ents);
	d->plan.inspectors = d->inspectors;
	d->plan.ninspectors = json_array_size(insps);
	d->plan.conflicts = d->conflicts;
	d->plan.nconflicts = json_array_size(confs);
	d->plan.secret_sha256 =
	    secret_sha256 ? secret_sha256
			  : "0000000000000000000000000000000000000000000000000000000000000000";
	return 0;
}

/* create -------------------------------------------------------------------------- */

/* A JSON array of at most max distinct strings of at most max_chars; NULL
 * member: []. Answers 400 and returns -1 when wrong. */
static int string_list(struct req *r, const char *key, size_t max, size_t max_chars, int required,
		       json_t **out)
{
	json_t *a = json_object_get(r->json, key), *v;
	struct yerr e = {0};
	size_t i;

	*out = json_array();
	if (a == NULL || json_is_null(a)) {
		if (!required)
			return 0;
		reply_error(r, 400, "required", key, "请填写 %s", key);
		return -1;
	}
	if (!json_is_array(a) || json_array_size(a) > max ||
	    (required && json_array_size(a) == 0)) {
		reply_error(r, 400, "invalid_list", key, "%s 须为 %s1 至 %zu 项的字符串数组", key,
			    required ? "" : "0 或", max);
		return -1;
	}
	json_array_foreach (a, i, v) {
		const char *s;
		json_t *holder = json_pack("{s:O}", "v", v);

		if (args_text(holder, "v", ARG_REQUIRED, max_chars, &s, &e) < 0 ||
		    in_list(*out, s)) {
			json_decref(holder);
			reply_error(r, 400, e.code[0] ? e.code : "duplicate", key,
				    "%s 第 %zu 项无效或重复", key, i + 1);
			return -1;
		}
		json_array_append_new(*out, json_string(s));
		json_decref(holder);
	}
	return 0;
}

static int day_member(struct req *r, const json_t *o, const char *key, const char *field, int *day)
{
	const char *s = json_string_value(json_object_get(o, key));

	if (s == NULL || date_parse(s, strlen(s), day) != 0) {
		reply_error(r, 400, "invalid_date", field, "%s 须为 YYYY-MM-DD 日期", field);
		return -1;
	}
	return 0;
}

/* check_items: [{"code","name","basis"}], 1..PLAN_MAX_ITEMS, unique codes. */
static int check_items(struct req *r, json_t **out)
{
	json_t *a = json_object_get(r->json, "check_items"), *v;
	size_t i;

	*out = json_array();
	if (!json_is_array(a) || json_array_size(a) == 0 || json_array_size(a) > PLAN_MAX_ITEMS) {
		reply_error(r, 400, "required", "check_items", "请选择 1 至 %d 个检查事项",
			    PLAN_MAX_ITEMS);
		return -1;
	}
	json_array_foreach (a, i, v) {
		const char *code, *name, *basis;
		struct yerr e = {0};
		char field[48];

		snprintf(field, sizeof(field), "check_items[%zu]", i);
		if (!json_is_object(v) || args_text(v, "code", ARG_REQUIRED, 64, &code, &e) < 0 ||
		    args_text(v, "name", ARG_REQUIRED, 200, &name, &e) < 0 ||
		    args_text(v, "basis", 0, PLAN_TEXT_MAX, &basis, &e) < 0) {
			reply_error(r, 400, e.code[0] ? e.code : "invalid_item", field,
				    "检查事项须有编码（code）和名称（name），依据（basis）可选");
			return -1;
		}
		for (size_t k = 0; k < json_array_size(*out); k++)
			if (strcmp(
				json_string_value(json_object_get(json_array_get(*out, k), "code")),
				code) == 0) {
				reply_error(r, 400, "duplicate", field, "检查事项编码重复");
				return -1;
			}
		json_array_append_new(*out, json_pack("{s:s,s:s,s:s}", "code", code, "name", name,
						      "basis", basis ? basis : ""));
	}
	return 0;
}

/* targeted: [{"uscc","reason","inspectors":[user ids]}] — checked against
 * the database in the create transaction (h_plan_create). */
static int targeted_list(struct req *r, json_t **out)
{
	json_t *a = json_object_get(r->json, "targeted"), *v;
	size_t i;

	*out = json_array();
	if (a == NULL || json_is_null(a))
		return 0;
	if (!json_is_array(a) || json_array_size(a) > PLAN_MAX_ITEMS) {
		reply_error(r, 400, "invalid_list", "targeted", "targeted 须为至多 %d 项的数组",
			    PLAN_MAX_ITEMS);
		return -1;
	}
	json_array_foreach (a, i, v) {
		const char *uscc, *reason;
		json_t *ins = json_object_get(v, "inspectors"), *x, *ids = json_array();
		struct yerr e = {0};
		char field[48];
		size_t k;

		snprintf(field, sizeof(field), "targeted[%zu]", i);
		if (!json_is_object(v) || args_text(v, "uscc", ARG_REQUIRED, 18, &uscc, &e) < 0 ||
		    args_text(v, "reason", ARG_REQUIRED, PLAN_TEXT_MAX, &reason, &e) < 0 ||
		    !json_is_array(ins) || json_array_size(ins) < 2 ||
		    json_array_size(ins) > TASK_MAX_INSPECTORS) {
			json_decref(ids);
			reply_error(r, 400, e.code[0] ? e.code : "invalid_targeted", field,
				    "定向检查须写明统一社会信用代码、原因（风险信号）和至少 2 "
				    "名检查人员");
			return -1;
		}
		for (k = 0; k < json_array_size(*out); k++)
			if (strcmp(
				json_string_value(json_object_get(json_array_get(*out, k), "uscc")),
				uscc) == 0) {
				json_decref(ids);
				reply_error(r, 400, "duplicate", field, "定向检查对象重复");
				return -1;
			}
		json_array_foreach (ins, k, x) {
			if (!json_is_integer(x) || json_integer_value(x) < 1) {
				json_decref(ids);
				reply_error(r, 400, "invalid_inspector", field,
					    "检查人员须为用户编号");
				return -1;
			}
			json_array_append(ids, x);
		}
		json_array_append_new(*out, json_pack("{s:s,s:s,s:o}", "uscc", uscc, "reason",
						      reason, "inspectors", ids));
	}
	return 0;
}

/* Every targeted entity is licensed here and each of its inspectors an active
 * inspector of the plan's departments (distinct). */
static int targeted_check(struct store_conn *c, const char *district, int today,
			  const json_t *depts, json_t *targeted, struct yerr *e)
{
	struct store_scope_entity *se = NULL;
	struct store_plan_inspector *pi = NULL;
	size_t ns = 0, ni = 0, i, k;
	json_t *t, *v, *x;
	int rc = 0;

	if (json_array_size(targeted) == 0)
		return 0;
	rc = store_scope_entities(c, district, &se, &ns, e);
	json_array_foreach (depts, i, v)
		if (rc == 0)
			rc = store_plan_inspectors(c, district, json_string_value(v), &pi, &ni, e);
	json_array_foreach (targeted, i, t) {
		const char *u = json_string_value(json_object_get(t, "uscc"));
		int found = 0;

		for (k = 0; rc == 0 && k < ns && !found; k++)
			if (strcmp(se[k].uscc, u) == 0) {
				found = 1;
				json_object_set_new(t, "name",
						    json_string(se[k].name ? se[k].name : ""));
				json_object_set_new(
				    t, "industry",
				    json_string(se[k].industry ? se[k].industry : ""));
			}
		if (rc == 0 && !found)
			rc = yerr_set(e, 422, "entity_not_licensed", "targeted",
				      "定向检查对象 %s 不是本区持证经营主体", u);
		if (rc == 0) {
			/* the risk signals standing today, recorded with the plan as
			   the reason it was added outside the draw */
			json_t *flags = NULL;

			rc = risk_flags_at(c, district, u, today, &flags, e);
			if (rc == 0)
				json_object_set_new(t, "flags", flags);
		}
		json_array_foreach (json_object_get(t, "inspectors"), k, x) {
			json_int_t id = json_integer_value(x);
			int ok = 0;

			for (size_t m = 0; m < ni; m++)
				ok |= pi[m].user_id == id;
			for (size_t m = 0; m < k; m++)
				ok &= json_integer_value(json_array_get(
					  json_object_get(t, "inspectors"), m)) != id;
			if (rc == 0 && !ok)
				rc = yerr_set(
				    e, 422, "invalid_inspector", "targeted",
				    "定向检查的检查人员须为计划所涉部门的在岗检查人员，且不重复");
		}
	}
	store_scope_free(se, ns);
	free(pi);
	return rc;
}

void h_plan_create(struct req *r)
{
	static const char *const keys[] = {
	    "title",  "departments",          "industries", "grades",      "streets",
	    "ratios", "inspectors_per_check", "period",     "check_items", "targeted",
	    NULL};
	json_t *depts = NULL, *inds = NULL, *grades = NULL, *streets = NULL, *items = NULL,
	       *targeted = NULL, *ratios, *period, *v, *out_ratios = json_object();
	struct store_plan_in in = {0};
	struct store_plan p = {0};
	struct store_conn *c = NULL;
	struct yerr e = {0};
	char *t_depts = NULL, *t_inds = NULL, *t_grades = NULL, *t_streets = NULL, *t_ratios = NULL,
	     *t_items = NULL, *t_targeted = NULL, code[PLAN_CODE_MAX], from_s[11], to_s[11];
	int from, to, y, rc = -1;
	int64_t id = 0;
	size_t i;

	if (req_body_keys(r, keys) < 0 ||
	    req_text(r, "title", ARG_REQUIRED, PLAN_TITLE_MAX, &in.title) < 0 ||
	    string_list(r, "departments", 8, 24, 1, &depts) < 0 ||
	    string_list(r, "industries", PLAN_MAX_LIST, 64, 0, &inds) < 0 ||
	    string_list(r, "grades", DRAW_GRADES, 1, 0, &grades) < 0 ||
	    string_list(r, "streets", PLAN_MAX_LIST, 64, 0, &streets) < 0)
		goto out;
	json_array_foreach (grades, i, v)
		if (grade_index(json_string_value(v)) < 0) {
			reply_error(r, 400, "invalid_grade", "grades", "信用等级须为 A、B、C、D");
			goto out;
		}
	if (!r->who.department[0] || !in_list(depts, r->who.department)) {
		reply_error(r, 403, "not_your_department", "departments",
			    "计划须包含本人所在部门（联合计划可含多个部门）");
		goto out;
	}
	ratios = json_object_get(r->json, "ratios");
	for (int g = 0; g < DRAW_GRADES; g++) {
		json_t *x = json_object_get(ratios, grade_names[g]);

		if (!json_is_integer(x) || json_integer_value(x) < 0 ||
		    json_integer_value(x) > 1000) {
			reply_error(
			    r, 400, "invalid_ratio", "ratios",
			    "ratios 须给出 A、B、C、D 各等级的抽查比例（千分比，0–1000 的整数）");
			goto out;
		}
		json_object_set(out_ratios, grade_names[g], x);
	}
	if (json_object_size(ratios) != DRAW_GRADES) {
		reply_error(r, 400, "invalid_ratio", "ratios", "ratios 只能包含 A、B、C、D");
		goto out;
	}
	v = json_object_get(r->json, "inspectors_per_check");
	if (!json_is_integer(v) || json_integer_value(v) < 2 ||
	    json_integer_value(v) > DRAW_MAX_PER_CHECK ||
	    (size_t)json_integer_value(v) < json_array_size(depts)) {
		reply_error(r, 400, "invalid_per_check", "inspectors_per_check",
			    "每次检查的检查人员须至少 2 名、不少于所涉部门数、至多 %d 名",
			    DRAW_MAX_PER_CHECK);
		goto out;
	}
	in.per_check = (int)json_integer_value(v);
	period = json_object_get(r->json, "period");
	if (!json_is_object(period)) {
		reply_error(r, 400, "required", "period",
			    "请填写检查期间（period.from、period.to）");
		goto out;
	}
	if (day_member(r, period, "from", "period.from", &from) < 0 ||
	    day_member(r, period, "to", "period.to", &to) < 0)
		goto out;
	if (to < from) {
		reply_error(r, 400, "invalid_period", "period.to",
			    "检查期间的结束日不能早于开始日");
		goto out;
	}
	if (check_items(r, &items) < 0 || targeted_list(r, &targeted) < 0)
		goto out;
	date_format(from, from_s, sizeof(from_s));
	date_format(to, to_s, sizeof(to_s));
	date_to_ymd(from, &y, NULL, NULL);
	in.departments = t_depts = json_dumps(depts, JSON_COMPACT);
	in.industries = t_inds = json_dumps(inds, JSON_COMPACT);
	in.grades = t_grades = json_dumps(grades, JSON_COMPACT);
	in.streets = t_streets = json_dumps(streets, JSON_COMPACT);
	in.ratios = t_ratios = json_dumps(out_ratios, JSON_COMPACT);
	in.check_items = t_items = json_dumps(items, JSON_COMPACT);
	in.period_from = from_s;
	in.period_to = to_s;
	if (req_acquire(r, &c) < 0)
		goto out;
	rc = store_begin(c, &e);
	json_array_foreach (depts, i, v) {
		struct store_department d;

		if (rc == 0 &&
		    store_department_get(c, req_district(r), json_string_value(v), &d, &e) < 0)
			rc = yerr_set(&e, 422, "unknown_department", "departments",
				      "部门 %s 不存在", json_string_value(v));
	}
	if (rc == 0)
		rc = targeted_check(c, req_district(r), app_today(r), depts, targeted, &e);
	if (rc == 0) {
		in.targeted = t_targeted = json_dumps(targeted, JSON_COMPACT);
		rc = store_plan_insert(c, req_district(r), &in, y, r->who.id, app_now(r->app), &id,
				       code, &e);
	}
	snprintf(r->audit_object, sizeof(r->audit_object), "spot_plan:%lld", (long long)id);
	if (rc == 0)
		rc = req_audit_commit(r, c, r->audit_object, NULL, &e);
	if (rc == 0)
		rc = store_plan_get(c, req_district(r), id, 0, &p, &e);
	store_release(c);
	if (rc < 0)
		reply_yerr(r, &e);
	else
		reply_json(r, 201, json_pack("{s:o}", "plan", plan_json(&p)));
	store_plan_free(&p);
out:
	free(t_depts);
	free(t_inds);
	free(t_grades);
	free(t_streets);
	free(t_ratios);
	free(t_items);
	free(t_targeted);
	json_decref(depts);
	json_decref(inds);
	json_decref(grades);
	json_decref(streets);
	json_decref(items);
	json_decref(targeted);
	json_decref(out_ratios);
}

/* read ------------------------------------------------------------------------------ */

static json_t *plan_item(const void *p)
{
	return plan_json(p);
}

void h_plans_list(struct req *r)
{
	struct store_plan *ps = NULL;
	struct store_conn *c;
	struct req_page page;
	struct yerr e = {0};
	int64_t total = 0;
	int n = 0, rc;

	if (req_paging(r, REQ_PAGE_DEFAULT, REQ_PAGE_MAX, &page) < 0 || req_acquire(r, &c) < 0)
		return;
	rc = store_plans_list(c, req_district(r), r->who.department, page.limit, page.offset, &ps,
			      &n, &total, &e);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	reply_json(r, 200, req_list(ps, (size_t)n, sizeof(*ps), plan_item, total, &page));
	store_plans_free(ps, n);
}

void h_plan_get(struct req *r)
{
	struct store_plan p = {0};
	struct store_conn *c;
	struct yerr e = {0};
	int rc;

	if (req_acquire(r, &c) < 0)
		return;
	rc = plan_load(r, c, 0, &p, &e);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	reply_json(r, 200, json_pack("{s:o}", "plan", plan_json(&p)));
	store_plan_free(&p);
}

/* The counts per grade a draw would give if the plan were frozen now (a frozen
 * plan: from its frozen inputs, which is what its draw uses). */
void h_plan_preview(struct req *r)
{
	struct draw_prepared *prep = NULL;
	size_t sizes[DRAW_GRADES], counts[DRAW_GRADES], total = 0;
	struct plan_draw d;
	struct store_plan p = {0};
	struct store_conn *c;
	struct yerr e = {0}, pe = {0};
	json_t *inputs = NULL, *grades = json_object(), *out;
	char *text = NULL, *secret = NULL;
	int rc;

	if (req_acquire(r, &c) < 0) {
		json_decref(grades);
		return;
	}
	rc = plan_load(r, c, 0, &p, &e);
	if (rc == 0 && strcmp(p.status, "draft") != 0) {
		rc = store_plan_inputs(c, req_district(r), p.id, &text, &secret, &e);
		if (rc == 0 && (inputs = json_loads(text, 0, NULL)) == NULL)
			rc = yerr_set(&e, 500, "bad_inputs", NULL, "冻结的抽取输入无法读取");
	} else if (rc == 0)
		rc = plan_inputs_now(c, req_district(r), &p, &inputs, &e);
	store_release(c);
	free(text);
	free(secret);
	if (rc < 0) {
		json_decref(grades);
		json_decref(inputs);
		store_plan_free(&p);
		return reply_yerr(r, &e);
	}
	if (plan_draw_from(&p, inputs, NULL, &d, &e) < 0) {
		store_plan_free(&p);
		json_decref(grades);
		return reply_yerr(r, &e);
	}
	memset(sizes, 0, sizeof(sizes));
	memset(counts, 0, sizeof(counts));
	if (draw_prepare(&d.plan, &prep, &pe) == 0) {
		draw_grade_sizes(prep, sizes);
		draw_counts(prep, counts);
		draw_prepared_free(prep);
	}
	for (int g = 0; g < DRAW_GRADES; g++) {
		json_object_set_new(grades, grade_names[g],
				    json_pack("{s:I,s:i,s:I}", "entities", (json_int_t)sizes[g],
					      "ratio", (int)d.plan.ratio[g], "checks",
					      (json_int_t)counts[g]));
		total += counts[g];
	}
	out =
	    json_pack("{s:s,s:o,s:I,s:I,s:I,s:I,s:I}", "plan", p.code, "grades", grades, "entities",
		      (json_int_t)d.plan.nentities, "checks", (json_int_t)total, "inspectors",
		      (json_int_t)d.plan.ninspectors, "conflicts", (json_int_t)d.plan.nconflicts,
		      "targeted", (json_int_t)array_size_of(p.targeted));
	/* a plan that cannot be frozen as it stands says why */
	json_object_set_new(out, "problem",
			    pe.code[0]
				? json_pack("{s:s,s:s}", "code", pe.code, "message", pe.message)
				: json_null());
	plan_draw_free(&d);
	store_plan_free(&p);
	reply_json(r, 200, out);
}
