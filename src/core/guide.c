/*
 * guide.c — the guide engine (see guide.h).
 *
 * Cost: a run touches each question, rule, permit, material and field of one
 * industry a small constant number of times; lookups by id are binary searches
 * and the de-duplication scans are over lists of a few dozen, so a run stays
 * far below the 1 ms budget without any precomputation.
 */
#include "core/guide.h"
#include "core/text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GUIDE_TEXT_MAX 1000 /* longest text answer (characters) when maxlen is not set */

static const char *const measure_names[] = {"permits", "days",  "materials",
					    "fields",  "steps", "trips"};
#define NMEASURES (sizeof(measure_names) / sizeof(measure_names[0]))

/* measure_bits: the GUIDE_M_* bits of the measure names listed in a `modelled` array
 * ("inspection_steps" counts as steps, "inspection_trips" as trips). */
static unsigned measure_bits(const json_t *list)
{
	unsigned bits = 0;
	const json_t *v;
	size_t i, k;

	json_array_foreach (list, i, v) {
		const char *s = json_string_value(v);
		if (s == NULL)
			continue;
		if (strncmp(s, "inspection_", 11) == 0)
			s += 11;
		for (k = 0; k < NMEASURES; k++)
			if (strcmp(s, measure_names[k]) == 0)
				bits |= 1u << k;
	}
	return bits;
}

static long cost_get(const struct guide_cost *c, size_t k)
{
	const long v[] = {c->permits, c->days, c->materials, c->fields, c->steps, c->trips};

	return v[k];
}

/*
 * savings_provenance marks the savings measures that rest on modelled figures,
 * then clears those a published case confirms: when the applying permits are
 * exactly the industry's `published.permits`, a measure whose computed before
 * and after both equal the published ones is confirmed (docs/catalog.md).
 */
static void savings_provenance(const struct catalog *cat, const struct catalog_industry *ind,
			       struct guide_result *r)
{
	const json_t *pub = json_object_get(ind->json, "published"), *ps, *v;
	size_t i, k;

	for (i = 0; i < r->npermits; i++)
		r->modelled |= measure_bits(json_object_get(
		    json_object_get(r->permits[i].permit->json, "before"), "modelled"));
	if (r->npermits > 0)
		r->modelled |= measure_bits(
		    json_object_get(json_object_get(cat->root_catalog, "after"), "modelled"));
	ps = json_object_get(pub, "permits");
	if (!json_is_array(ps) || json_array_size(ps) != r->npermits)
		return;
	json_array_foreach (ps, i, v) {
		for (k = 0; k < r->npermits; k++)
			if (json_is_string(v) &&
			    strcmp(json_string_value(v), r->permits[k].permit->code) == 0)
				break;
		if (k == r->npermits)
			return;
	}
	r->published_source = json_string_value(json_object_get(pub, "source"));
	for (k = 0; k < NMEASURES; k++) {
		const json_t *b = json_object_get(json_object_get(pub, "before"), measure_names[k]);
		const json_t *a = json_object_get(json_object_get(pub, "after"), measure_names[k]);
		if (json_is_integer(b) && json_is_integer(a) &&
		    json_integer_value(b) == cost_get(&r->before, k) &&
		    json_integer_value(a) == cost_get(&r->after, k))
			r->modelled &= ~(1u << k);
	}
}

long guide_percent(long before, long after)
{
	long d, q;

	if (before <= 0)
		return 0;
	d = 100 * (before - after);
	/* round half away from zero in integers */
	q = (2 * d + (d >= 0 ? before : -before)) / (2 * before);
	return q;
}

static int option_has(const struct catalog_question *q, const char *v)
{
	size_t i;

	for (i = 0; i < q->noptions; i++)
		if (strcmp(q->options[i].value, v) == 0)
			return 1;
	return 0;
}

/* validate_answer checks v against q's type and bounds; v is not null. */
static int validate_answer(const struct catalog_question *q, const json_t *v, const char *field,
			   struct yerr *err)
{
	size_t i, k;

	switch (q->type) {
	case QTYPE_BOOLEAN:
		if (!json_is_boolean(v))
			return yerr_set(err, 400, "invalid_answer", field,
					"问题“%s”的回答必须是“是”或“否”（true/false）", q->text);
		return 0;
	case QTYPE_CHOICE:
		if (!json_is_string(v))
			return yerr_set(err, 400, "invalid_answer", field,
					"问题“%s”的回答必须是一个选项值", q->text);
		if (!option_has(q, json_string_value(v)))
			return yerr_set(err, 400, "invalid_answer", field, "“%s”不是问题“%s”的选项",
					json_string_value(v), q->text);
		return 0;
	case QTYPE_MULTI:
		if (!json_is_array(v))
			return yerr_set(err, 400, "invalid_answer", field,
					"问题“%s”的回答必须是选项值的列表", q->text);
		for (i = 0; i < json_array_size(v); i++) {
			json_t *e = json_array_get(v, i);
			if (!json_is_string(e))
				return yerr_set(err, 400, "invalid_answer", field,
						"问题“%s”的回答必须是选项值的列表", q->text);
			if (!option_has(q, json_string_value(e)))
				return yerr_set(err, 400, "invalid_answer", field,
						"“%s”不是问题“%s”的选项", json_string_value(e),
						q->text);
			for (k = 0; k < i; k++)
				if (json_equal(e, json_array_get(v, k)))
					return yerr_set(err, 400, "invalid_answer", field,
							"问题“%s”的回答重复选择了“%s”", q->text,
							json_string_value(e));
		}
		return 0;
	case QTYPE_NUMBER: {
		double d;
		if (!json_is_number(v))
			return yerr_set(err, 400, "invalid_answer", field,
					"问题“%s”的回答必须是数字", q->text);
		d = json_number_value(v);
		if (!isfinite(d))
			return yerr_set(err, 400, "invalid_answer", field,
					"问题“%s”的回答必须是有限的数字", q->text);
		if (q->has_min && d < q->min)
			return yerr_set(err, 400, "invalid_answer", field,
					"问题“%s”的回答不能小于 %g", q->text, q->min);
		if (q->has_max && d > q->max)
			return yerr_set(err, 400, "invalid_answer", field,
					"问题“%s”的回答不能大于 %g", q->text, q->max);
		return 0;
	}
	case QTYPE_TEXT: {
		size_t maxlen = q->maxlen > 0 ? (size_t)q->maxlen : GUIDE_TEXT_MAX;
		if (!json_is_string(v))
			return yerr_set(err, 400, "invalid_answer", field,
					"问题“%s”的回答必须是文字", q->text);
		if (text_chars(json_string_value(v), json_string_length(v)) > (long)maxlen)
			return yerr_set(err, 400, "invalid_answer", field,
					"问题“%s”的回答不能超过 %zu 个字", q->text, maxlen);
		return 0;
	}
	}
	return yerr_set(err, 400, "invalid_answer", field, "问题“%s”的回答无效", q->text);
}

static long ind_permit_index(const struct catalog_industry *ind, const char *code)
{
	size_t i;

	for (i = 0; i < ind->npermits; i++)
		if (strcmp(ind->permits[i], code) == 0)
			return (long)i;
	return -1;
}

struct permit_slot {
	bool applies;
	struct guide_why *why;
	size_t nwhy;
};

static int why_add(struct permit_slot *s, size_t cap, const char *rule, const char *basis,
		   const struct cond_used *used, const json_t *answers)
{
	struct guide_why *w;
	size_t i;

	if (s->why == NULL) {
		s->why = calloc(cap, sizeof(*s->why));
		if (s->why == NULL)
			return -1;
	}
	if (s->nwhy >= cap)
		return 0;
	w = &s->why[s->nwhy++];
	w->rule = rule;
	w->basis = basis ? basis : "";
	for (i = 0; used != NULL && i < used->n; i++) {
		w->answers[i].question = used->questions[i];
		w->answers[i].value = json_object_get(answers, used->questions[i]);
	}
	w->nanswers = used ? used->n : 0;
	s->applies = true;
	return 0;
}

/* material_add merges material id into r, noting permit_code (may be NULL) as needing it. */
static int material_add(const struct catalog *cat, struct guide_result *r, size_t cap_req,
			const char *id, const char *permit_code)
{
	struct guide_material *m = NULL;
	size_t i;

	for (i = 0; i < r->nmaterials; i++)
		if (strcmp(r->materials[i].material->id, id) == 0) {
			m = &r->materials[i];
			break;
		}
	if (m == NULL) {
		const struct catalog_material *cm = catalog_material_find(cat, id);
		if (cm == NULL)
			return 0; /* catalog_parse rejects dangling references; stay safe anyway */
		m = &r->materials[r->nmaterials++];
		m->material = cm;
		m->required_by = calloc(cap_req ? cap_req : 1, sizeof(*m->required_by));
		if (m->required_by == NULL)
			return -1;
	}
	if (permit_code == NULL)
		return 0;
	for (i = 0; i < m->nrequired_by; i++)
		if (strcmp(m->required_by[i], permit_code) == 0)
			return 0;
	if (m->nrequired_by < cap_req)
		m->required_by[m->nrequired_by++] = permit_code;
	return 0;
}

static void field_add(const struct catalog *cat, struct guide_result *r, const char *id)
{
	const struct catalog_field *f;
	size_t i;

	for (i = 0; i < r->nfields; i++)
		if (strcmp(r->fields[i]->id, id) == 0)
			return;
	f = catalog_field_find(cat, id);
	if (f != NULL)
		r->fields[r->nfields++] = f;
}

void guide_result_free(struct guide_result *r)
{
	size_t i;

	if (r == NULL)
		return;
	free(r->next_questions);
	for (i = 0; i < r->npermits; i++)
		free(r->permits[i].why);
	free(r->permits);
	for (i = 0; i < r->nmaterials; i++)
		free(r->materials[i].required_by);
	free(r->materials);
	free(r->fields);
	free(r->inspection_departments);
	free(r->commitments);
	json_decref(r->answers);
	memset(r, 0, sizeof(*r));
}

/* validate_all checks every answer: known question, right type, and actually asked. */
static int validate_all(const struct catalog_industry *ind, const json_t *answers, json_t *accepted,
			bool *asked, struct yerr *err)
{
	const char *key;
	json_t *v;
	size_t i;

	json_object_foreach ((json_t *)answers, key, v) {
		char field[128];
		snprintf(field, sizeof(field), "answers.%s", key);
		if (catalog_question_find(ind, key) == NULL)
			return yerr_set(err, 400, "unknown_question", field,
					"“%s”没有编号为“%s”的问题", ind->name, key);
	}
	for (i = 0; i < ind->nquestions; i++) {
		const struct catalog_question *q = &ind->questions[i];
		char field[128];
		v = json_object_get(answers, q->id);
		if (v == NULL || json_is_null(v))
			continue;
		snprintf(field, sizeof(field), "answers.%s", q->id);
		if (validate_answer(q, v, field, err) < 0)
			return -1;
		if (json_object_set(accepted, q->id, v) < 0)
			return yerr_set(err, 500, "out_of_memory", "", "内存不足");
	}
	/* asked-ness is decided on all valid answers; any answer to a question not asked is refused
	 */
	for (i = 0; i < ind->nquestions; i++) {
		const struct catalog_question *q = &ind->questions[i];
		asked[i] = q->ask_if == NULL || cond_eval3(q->ask_if, accepted) == COND_TRUE;
		if (!asked[i] && json_object_get(accepted, q->id) != NULL) {
			char field[128];
			snprintf(field, sizeof(field), "answers.%s", q->id);
			return yerr_set(err, 400, "question_not_asked", field,
					"根据已有回答，不需要回答问题“%s”", q->text);
		}
	}
	return 0;
}

int guide_run(const struct catalog *cat, const char *industry_code, const json_t *answers,
	      struct guide_result *out, struct yerr *err)
{
	const struct catalog_industry *ind;
	struct permit_slot *slots = NULL; /* per industry permit: applies? why? */
	bool *asked = NULL;               /* per question: is it asked now? */
	bool *fired = NULL;               /* per rule: did it fire? */
	size_t i, j, cap_why, nmat_cap = 0, nfld_cap = 0;
	struct guide_result r = {0};
	int rc = -1;

	memset(out, 0, sizeof(*out));
	ind = catalog_industry_find(cat, industry_code);
	if (ind == NULL)
		return yerr_set(err, 404, "unknown_industry", "industry", "目录中没有行业“%s”",
				industry_code ? industry_code : "");
	if (answers != NULL && !json_is_object(answers))
		return yerr_set(err, 400, "invalid_answers", "answers",
				"answers 必须是 JSON 对象 {问题编号: 回答}");

	r.industry = ind;
	r.answers = json_object();
	asked = calloc(ind->nquestions + 1, sizeof(*asked));
	fired = calloc(ind->nrules + 1, sizeof(*fired));
	slots = calloc(ind->npermits + 1, sizeof(*slots));
	if (r.answers == NULL || asked == NULL || fired == NULL || slots == NULL) {
		yerr_set(err, 500, "out_of_memory", "", "内存不足");
		goto out;
	}
	if (answers != NULL && validate_all(ind, answers, r.answers, asked, err) < 0)
		goto out;
	if (answers == NULL)
		for (i = 0; i < ind->nquestions; i++)
			asked[i] = ind->questions[i].ask_if == NULL ||
				   cond_eval3(ind->questions[i].ask_if, r.answers) == COND_TRUE;

	/* next questions and completeness */
	r.next_questions = calloc(ind->nquestions + 1, sizeof(*r.next_questions));
	if (r.next_questions == NULL)
		goto oom;
	for (i = 0; i < ind->nquestions; i++)
		if (asked[i] && json_object_get(r.answers, ind->questions[i].id) == NULL)
			r.next_questions[r.nnext++] = &ind->questions[i];
	r.complete = r.nnext == 0;

	/* permits: base, then rules */
	cap_why = ind->nrules + 1;
	for (i = 0; i < ind->nbase_permits; i++) {
		long k = ind_permit_index(ind, ind->base_permits[i]);
		const struct catalog_permit *p = catalog_permit_find(cat, ind->base_permits[i]);
		if (k < 0 || p == NULL)
			continue;
		if (why_add(&slots[k], cap_why, "base", p->legal_basis, NULL, r.answers) < 0)
			goto oom;
	}
	for (j = 0; j < ind->nrules; j++) {
		const struct catalog_rule *rule = &ind->rules[j];
		struct cond_used used = {0};
		if (!cond_eval(rule->when, r.answers, &used))
			continue;
		fired[j] = true;
		for (i = 0; i < rule->npermits; i++) {
			long k = ind_permit_index(ind, rule->permits[i]);
			if (k < 0)
				continue; /* not a permit of this industry: catalog_check reports it
					   */
			if (why_add(&slots[k], cap_why, rule->id, rule->basis, &used, r.answers) <
			    0)
				goto oom;
		}
	}

	r.permits = calloc(ind->npermits + 1, sizeof(*r.permits));
	r.inspection_departments = calloc(ind->npermits + 1, sizeof(*r.inspection_departments));
	if (r.permits == NULL || r.inspection_departments == NULL)
		goto oom;
	nmat_cap = ind->nmaterials;
	nfld_cap = ind->nfields;
	for (i = 0; i < ind->npermits; i++) {
		const struct catalog_permit *p;
		struct guide_permit *gp;
		if (!slots[i].applies)
			continue;
		p = catalog_permit_find(cat, ind->permits[i]);
		if (p == NULL)
			continue;
		gp = &r.permits[r.npermits++];
		gp->permit = p;
		gp->department = catalog_department_find(cat, p->department);
		gp->why = slots[i].why;
		gp->nwhy = slots[i].nwhy;
		slots[i].why = NULL;
		nmat_cap += p->nmaterials;
		nfld_cap += p->nfields;
		r.ncommitments += p->nconditions;
	}
	for (j = 0; j < ind->nrules; j++)
		if (fired[j]) {
			nmat_cap += ind->rules[j].nmaterials;
			nfld_cap += ind->rules[j].nfields;
		}

	/* merged materials and fields */
	r.materials = calloc(nmat_cap + 1, sizeof(*r.materials));
	r.fields = calloc(nfld_cap + 1, sizeof(*r.fields));
	r.commitments = calloc(r.ncommitments + 1, sizeof(*r.commitments));
	if (r.materials == NULL || r.fields == NULL || r.commitments == NULL)
		goto oom;
	r.ncommitments = 0;
	for (i = 0; i < ind->nmaterials; i++)
		if (material_add(cat, &r, ind->npermits, ind->materials[i], NULL) < 0)
			goto oom;
	for (i = 0; i < ind->nfields; i++)
		field_add(cat, &r, ind->fields[i]);
	for (i = 0; i < r.npermits; i++) {
		const struct catalog_permit *p = r.permits[i].permit;
		for (j = 0; j < p->nmaterials; j++)
			if (material_add(cat, &r, ind->npermits, p->materials[j], p->code) < 0)
				goto oom;
		for (j = 0; j < p->nfields; j++)
			field_add(cat, &r, p->fields[j]);
	}
	for (j = 0; j < ind->nrules; j++) {
		const struct catalog_rule *rule = &ind->rules[j];
		size_t k, m;
		if (!fired[j])
			continue;
		for (m = 0; m < rule->nmaterials; m++) {
			bool any = false;
			for (k = 0; k < rule->npermits; k++)
				if (ind_permit_index(ind, rule->permits[k]) >= 0) {
					any = true;
					if (material_add(cat, &r, ind->npermits, rule->materials[m],
							 rule->permits[k]) < 0)
						goto oom;
				}
			if (!any &&
			    material_add(cat, &r, ind->npermits, rule->materials[m], NULL) < 0)
				goto oom;
		}
		for (m = 0; m < rule->nfields; m++)
			field_add(cat, &r, rule->fields[m]);
	}

	/* inspection, commitments, time limit, savings */
	for (i = 0; i < r.npermits; i++) {
		const struct catalog_permit *p = r.permits[i].permit;
		if (p->inspection && r.permits[i].department != NULL) {
			for (j = 0; j < r.ninspection; j++)
				if (r.inspection_departments[j] == r.permits[i].department)
					break;
			if (j == r.ninspection)
				r.inspection_departments[r.ninspection++] = r.permits[i].department;
		}
		for (j = 0; j < p->nconditions; j++)
			if (p->conditions[j].commitment) {
				r.commitments[r.ncommitments].permit = p;
				r.commitments[r.ncommitments++].condition = &p->conditions[j];
			}
		if (p->committed_days > r.time_limit_days)
			r.time_limit_days = p->committed_days;
		r.before.permits++;
		r.before.days += p->before.days;
		r.before.materials += p->before.materials;
		r.before.fields += p->before.fields;
		r.before.steps += p->before.steps;
		r.before.trips += p->before.trips;
	}
	if (r.npermits > 0) {
		bool inspect = false;
		for (i = 0; i < r.npermits; i++)
			inspect |= r.permits[i].permit->inspection;
		r.time_limit_days += cat->issuance_days;
		r.after.permits = 1;
		/* the after cost follows the industry: an inspection is one more step
		 * and one more trip for the applicant */
		r.after.steps = cat->after_steps + (inspect ? cat->after_inspection_steps : 0);
		r.after.trips = cat->after_trips + (inspect ? cat->after_inspection_trips : 0);
	}
	r.after.days = r.time_limit_days;
	for (i = 0; i < r.nmaterials; i++)
		if (!r.materials[i].material->exempt)
			r.after.materials++;
	r.after.fields = (long)r.nfields;
	r.percent.permits = guide_percent(r.before.permits, r.after.permits);
	r.percent.days = guide_percent(r.before.days, r.after.days);
	r.percent.materials = guide_percent(r.before.materials, r.after.materials);
	r.percent.fields = guide_percent(r.before.fields, r.after.fields);
	r.percent.steps = guide_percent(r.before.steps, r.after.steps);
	r.percent.trips = guide_percent(r.before.trips, r.after.trips);
	savings_provenance(cat, ind, &r);

	*out = r;
	memset(&r, 0, sizeof(r));
	rc = 0;
	goto out;
oom:
	yerr_set(err, 500, "out_of_memory", "", "内存不足");
out:
	if (slots != NULL)
		for (i = 0; i < ind->npermits; i++)
			free(slots[i].why);
	free(slots);
	free(asked);
	free(fired);
	guide_result_free(&r);
	return rc;
}

/* ------------------------------------------------------------------ JSON */

static json_t *options_json(const struct catalog_option *o, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a != NULL && i < n; i++)
		json_array_append_new(
		    a, json_pack("{s:s,s:s}", "value", o[i].value, "label", o[i].label));
	return a;
}

/* num_json keeps whole numbers integral so 300 renders as 300, not 300.0. */
static json_t *num_json(double d)
{
	if (d >= -9e15 && d <= 9e15 && d == (double)(json_int_t)d)
		return json_integer((json_int_t)d);
	return json_real(d);
}

json_t *guide_question_to_json(const struct catalog_question *q)
{
	json_t *o = json_pack("{s:s,s:s,s:s}", "id", q->id, "text", q->text, "type", q->type_name);

	if (o == NULL)
		return NULL;
	if (q->type == QTYPE_CHOICE || q->type == QTYPE_MULTI)
		json_object_set_new(o, "options", options_json(q->options, q->noptions));
	if (q->has_min)
		json_object_set_new(o, "min", num_json(q->min));
	if (q->has_max)
		json_object_set_new(o, "max", num_json(q->max));
	if (q->maxlen > 0)
		json_object_set_new(o, "maxlen", json_integer(q->maxlen));
	if (q->help != NULL)
		json_object_set_new(o, "help", json_string(q->help));
	return o;
}

static json_t *cost_json(const struct guide_cost *c)
{
	return json_pack("{s:I,s:I,s:I,s:I,s:I,s:I}", "permits", (json_int_t)c->permits, "days",
			 (json_int_t)c->days, "materials", (json_int_t)c->materials, "fields",
			 (json_int_t)c->fields, "steps", (json_int_t)c->steps, "trips",
			 (json_int_t)c->trips);
}

static json_t *dept_json(const struct catalog_department *d, const char *code)
{
	if (d == NULL)
		return json_pack("{s:s,s:s}", "code", code ? code : "", "name", "");
	return json_pack("{s:s,s:s}", "code", d->code, "name", d->name);
}

/*
 * guide_result_to_json builds with the *_new setters, which take ownership even
 * of NULL (they fail and we notice through the final checks); a partially built
 * document on OOM is released and NULL returned.
 */
json_t *guide_result_to_json(const struct guide_result *r, long catalog_version)
{
	json_t *o, *a, *e, *w, *ans;
	size_t i, j, k;
	int bad = 0;

	o = json_object();
	if (o == NULL)
		return NULL;
	bad |=
	    json_object_set_new(o, "industry",
				json_pack("{s:s,s:s,s:s?,s:s?}", "code", r->industry->code, "name",
					  r->industry->name, "status", r->industry->status,
					  "effective_date", r->industry->effective_date));
	bad |=
	    json_object_set_new(o, "catalog_version",
				catalog_version > 0 ? json_integer(catalog_version) : json_null());
	bad |= json_object_set_new(o, "complete", json_boolean(r->complete));

	a = json_array();
	for (i = 0; a != NULL && i < r->nnext; i++)
		bad |= json_array_append_new(a, guide_question_to_json(r->next_questions[i]));
	bad |= json_object_set_new(o, "next_questions", a);

	a = json_array();
	for (i = 0; a != NULL && i < r->npermits; i++) {
		const struct guide_permit *gp = &r->permits[i];
		json_t *why = json_array();
		for (j = 0; why != NULL && j < gp->nwhy; j++) {
			ans = json_array();
			for (k = 0; ans != NULL && k < gp->why[j].nanswers; k++)
				bad |= json_array_append_new(
				    ans, json_pack("{s:s,s:O}", "question",
						   gp->why[j].answers[k].question, "value",
						   gp->why[j].answers[k].value));
			w = json_pack("{s:s,s:s,s:o}", "rule", gp->why[j].rule, "basis",
				      gp->why[j].basis, "answers", ans);
			bad |= json_array_append_new(why, w);
		}
		e = json_pack("{s:s,s:s,s:o,s:s,s:I,s:I,s:b,s:o}", "code", gp->permit->code, "name",
			      gp->permit->name, "department",
			      dept_json(gp->department, gp->permit->department), "legal_basis",
			      gp->permit->legal_basis ? gp->permit->legal_basis : "",
			      "statutory_days", (json_int_t)gp->permit->statutory_days,
			      "committed_days", (json_int_t)gp->permit->committed_days,
			      "inspection", gp->permit->inspection, "why", why);
		bad |= json_array_append_new(a, e);
	}
	bad |= json_object_set_new(o, "permits", a);

	a = json_array();
	for (i = 0; a != NULL && i < r->nmaterials; i++) {
		const struct guide_material *m = &r->materials[i];
		json_t *req = json_array();
		for (j = 0; req != NULL && j < m->nrequired_by; j++)
			bad |= json_array_append_new(req, json_string(m->required_by[j]));
		/* shared_from only where a register supplies it (src/http/exempt.c) */
		e = json_pack("{s:s,s:s,s:o,s:b,s:s?,s:s*}", "id", m->material->id, "name",
			      m->material->name, "required_by", req, "exempt", m->material->exempt,
			      "source", m->material->source, "shared_from",
			      m->material->shared_from);
		bad |= json_array_append_new(a, e);
	}
	bad |= json_object_set_new(o, "materials", a);

	a = json_array();
	for (i = 0; a != NULL && i < r->nfields; i++)
		bad |= json_array_append_new(a, json_deep_copy(r->fields[i]->json));
	bad |= json_object_set_new(o, "fields", a);

	a = json_array();
	for (i = 0; a != NULL && i < r->ninspection; i++)
		bad |= json_array_append_new(a, dept_json(r->inspection_departments[i], NULL));
	bad |= json_object_set_new(o, "inspection_departments", a);

	a = json_array();
	for (i = 0; a != NULL && i < r->ncommitments; i++) {
		const struct guide_commitment *c = &r->commitments[i];
		e = json_pack("{s:s,s:s,s:s,s:{s:s,s:s}}", "id", c->condition->id, "category",
			      c->condition->category, "text", c->condition->text, "permit", "code",
			      c->permit->code, "name", c->permit->name);
		bad |= json_array_append_new(a, e);
	}
	bad |= json_object_set_new(o, "commitments", a);

	bad |= json_object_set_new(o, "time_limit_days", json_integer(r->time_limit_days));
	a = json_array();
	for (i = 0; a != NULL && i < NMEASURES; i++)
		if (r->modelled & (1u << i))
			bad |= json_array_append_new(a, json_string(measure_names[i]));
	bad |= json_object_set_new(o, "savings",
				   json_pack("{s:o,s:o,s:o,s:o,s:s?}", "before",
					     cost_json(&r->before), "after", cost_json(&r->after),
					     "percent", cost_json(&r->percent), "modelled", a,
					     "source", r->published_source));
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}
