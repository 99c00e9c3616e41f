/*
 * h_catalog.c — the public side of the catalog: industry search, the full
 * 办事指南 of an industry, and the guide (智能导办).
 *
 * GET  /api/v1/catalog              the active version and its size
 * GET  /api/v1/industries?q=        search (1–2 Chinese characters work)
 * GET  /api/v1/industries/{code}    the full guide of one industry
 * POST /api/v1/guide                answers in, the one notice out
 *
 * Everything here reads the active catalog in memory (app->catalog) under
 * the shared catalog lock and never touches the store, so these routes run
 * on the I/O threads. Every answer names the catalog version it came from.
 * Shapes: docs/api-catalog.md.
 */
#include <stdlib.h>
#include <string.h>

#include "core/catalog_check.h"
#include "core/guide.h"
#include "core/license.h"
#include "http/handlers.h"

static const char *const categories[] = {"场所", "设备", "人员", "资金", "管理制度"};

/* catalog_acquire takes the active catalog for reading; on none answers 503
 * and returns NULL (the lock is then not held). */
static const struct catalog *catalog_acquire(struct req *r, long *version)
{
	pthread_rwlock_rdlock(&r->app->catalog_lock);
	if (r->app->catalog == NULL) {
		pthread_rwlock_unlock(&r->app->catalog_lock);
		reply_error(r, 503, "catalog_unavailable", NULL,
			    "行业目录尚未导入或未启用任何版本，请联系审改办");
		return NULL;
	}
	*version = r->app->catalog_version;
	return r->app->catalog;
}

static void catalog_release(struct req *r)
{
	pthread_rwlock_unlock(&r->app->catalog_lock);
}

static json_t *dept_json(const struct catalog *cat, const char *code)
{
	const struct catalog_department *d = code ? catalog_department_find(cat, code) : NULL;

	return json_pack("{s:s,s:s}", "code", code ? code : "", "name", d ? d->name : "");
}

static json_t *strings_json(const char *const *v, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

static json_t *provenance_json(const struct catalog_industry *ind)
{
	json_t *p = json_object_get(ind->json, "provenance");

	if (json_is_object(p))
		return json_deep_copy(p);
	return json_pack("{s:s?,s:s?}", "status", ind->provenance_status, "source",
			 ind->provenance_source);
}

/* A key of the industry's JSON copied as is, or null when absent. */
static json_t *raw_json(const struct catalog_industry *ind, const char *key)
{
	json_t *v = json_object_get(ind->json, key);

	return v ? json_deep_copy(v) : json_null();
}

/* The roll-out keys every industry answer carries: status (with its Chinese
 * label), effective date, whether the guide offers it, what of it is modelled. */
static void rollout_set(json_t *o, const struct catalog_industry *ind)
{
	json_object_set_new(o, "batch", ind->batch > 0 ? json_integer(ind->batch) : json_null());
	json_object_set_new(o, "status", ind->status ? json_string(ind->status) : json_null());
	json_object_set_new(o, "status_label",
			    json_string(catalog_status_label(ind->status)
					    ? catalog_status_label(ind->status)
					    : "未标注"));
	json_object_set_new(o, "effective_date",
			    ind->effective_date ? json_string(ind->effective_date) : json_null());
	json_object_set_new(o, "offered", json_boolean(catalog_status_offered(ind->status)));
	json_object_set_new(o, "rollout_note", raw_json(ind, "rollout_note"));
	json_object_set_new(o, "modelled",
			    json_object_get(ind->json, "modelled") ? raw_json(ind, "modelled")
								   : json_array());
}

/* The summary of an industry in search results. */
static json_t *industry_summary(const struct catalog *cat, const struct catalog_industry *ind)
{
	json_t *coop = json_array(), *o;

	for (size_t i = 0; i < ind->ncooperating; i++)
		json_array_append_new(coop, dept_json(cat, ind->cooperating[i]));
	o = json_pack("{s:s,s:s,s:o,s:s?,s:o,s:o,s:I,s:o,s:o}", "code", ind->code, "name",
		      ind->name, "aliases", strings_json(ind->aliases, ind->naliases), "pinyin",
		      ind->pinyin, "lead", dept_json(cat, ind->lead), "cooperating", coop,
		      "permits", (json_int_t)ind->npermits, "provenance", provenance_json(ind),
		      "published", raw_json(ind, "published"));
	rollout_set(o, ind);
	if (json_is_object(json_object_get(ind->json, "published"))) {
		/* the published case's permits by name, so the home page needs one call */
		json_t *names = json_array(), *v;
		size_t i;

		json_array_foreach (
		    json_object_get(json_object_get(ind->json, "published"), "permits"), i, v) {
			const struct catalog_permit *p =
			    catalog_permit_find(cat, json_string_value(v));
			if (p != NULL)
				json_array_append_new(names,
						      json_pack("{s:s,s:s,s:o}", "code", p->code,
								"name", p->name, "department",
								dept_json(cat, p->department)));
		}
		json_object_set_new(o, "published_permits", names);
	}
	return o;
}

/*
 * service_json is the 办事指南 of an industry: the catalog-wide items (place,
 * address, window, hours, phone, fees) with the industry's own over them, and
 * its 细则 (`rules`). Each item is {text, status[, note]}; status says whether
 * it is confirmed, modelled or still to be confirmed by the district.
 */
static json_t *service_json(const struct catalog *cat, const struct catalog_industry *ind)
{
	json_t *out = json_object(), *own = json_object_get(ind ? ind->json : NULL, "service");
	json_t *all = json_object_get(cat->root_catalog, "service");

	if (json_is_object(all))
		json_object_update(out, all);
	if (json_is_object(own))
		json_object_update(out, own);
	all = json_deep_copy(out); /* nothing shared with the catalog across threads */
	json_decref(out);
	return all;
}

void h_catalog_info(struct req *r)
{
	const struct catalog *cat;
	long version;
	json_t *o;

	if ((cat = catalog_acquire(r, &version)) == NULL)
		return;
	o = json_pack("{s:I,s:s?,s:s?,s:s?,s:I,s:I,s:I,s:I,s:I,s:I,s:o}", "version",
		      (json_int_t)version, "title", cat->title, "district", cat->district, "issuer",
		      cat->issuer, "issuance_days", (json_int_t)cat->issuance_days, "industries",
		      (json_int_t)cat->nindustries, "permits", (json_int_t)cat->npermits,
		      "departments", (json_int_t)cat->ndepartments, "materials",
		      (json_int_t)cat->nmaterials, "fields", (json_int_t)cat->nfields, "service",
		      service_json(cat, NULL));
	catalog_release(r);
	reply_json(r, 200, o);
}

void h_industries_search(struct req *r)
{
	const char *q = req_query(r, "q"), *pub = req_query(r, "published");
	/* published=true: only the industries with published figures, for the home
	 * page, which needs one of them and not the whole list on its first load */
	bool published_only = pub != NULL && strcmp(pub, "true") == 0;
	const struct catalog *cat;
	struct catalog_hit *hits;
	json_t *items;
	long version, n, listed = 0;

	if (q != NULL && strlen(q) > 256)
		return reply_error(r, 400, "query_too_long", "q", "查询词过长（最多 256 字节）");
	if (pub != NULL && !published_only && strcmp(pub, "false") != 0)
		return reply_error(r, 400, "invalid_boolean", "published",
				   "published 应为 true 或 false");
	if ((cat = catalog_acquire(r, &version)) == NULL)
		return;
	hits = calloc(cat->nindustries ? cat->nindustries : 1, sizeof(*hits));
	if (hits == NULL)
		abort();
	n = catalog_search(cat, q ? q : "", hits, cat->nindustries);
	if (n < 0) {
		catalog_release(r);
		free(hits);
		return reply_error(r, 400, "query_too_long", "q", "查询词过长（最多 256 字节）");
	}
	items = json_array();
	for (long i = 0; i < n && (size_t)i < cat->nindustries; i++) {
		json_t *o;

		if (published_only &&
		    !json_is_object(json_object_get(hits[i].industry->json, "published")))
			continue;
		o = industry_summary(cat, hits[i].industry);
		json_object_set_new(o, "match", json_string(catalog_match_name(hits[i].match)));
		json_array_append_new(items, o);
		listed++;
	}
	catalog_release(r);
	free(hits);
	reply_json(r, 200,
		   json_pack("{s:o,s:I,s:I}", "items", items, "total", (json_int_t)listed,
			     "catalog_version", (json_int_t)version));
}

/* A permit's pre-reform cost, with the keys whose figures are modelled. */
static json_t *cost_json(const struct catalog_permit *p)
{
	const struct catalog_cost *c = &p->before;
	json_t *m = json_object_get(json_object_get(p->json, "before"), "modelled");

	return json_pack("{s:I,s:I,s:I,s:I,s:I,s:o}", "materials", (json_int_t)c->materials,
			 "fields", (json_int_t)c->fields, "days", (json_int_t)c->days, "steps",
			 (json_int_t)c->steps, "trips", (json_int_t)c->trips, "modelled",
			 m ? json_deep_copy(m) : json_array());
}

static bool in_list(const char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

/* The industry's unified-validity rule (issue 12): "validity" is "shortest",
 * "none" or a number of years; "modelled" when the catalog marks it so. */
static json_t *license_rule_json(const struct catalog *cat, const struct catalog_industry *ind)
{
	struct license_validity_rule rule;
	long ext;
	bool modelled;

	license_rule_of(cat, ind, &rule, &ext, &modelled);
	return json_pack("{s:o,s:I,s:b}", "validity",
			 rule.kind == LIC_VALIDITY_YEARS  ? json_integer(rule.years)
			 : rule.kind == LIC_VALIDITY_NONE ? json_string("none")
							  : json_string("shortest"),
			 "extension_days", (json_int_t)ext, "modelled", modelled);
}

static json_t *permit_json(const struct catalog *cat, const struct catalog_industry *ind,
			   const struct catalog_permit *p)
{
	json_t *conds = json_array();

	for (size_t i = 0; i < p->nconditions; i++)
		json_array_append_new(
		    conds, json_pack("{s:s,s:s,s:s,s:b}", "id", p->conditions[i].id, "category",
				     p->conditions[i].category, "text", p->conditions[i].text,
				     "commitment", p->conditions[i].commitment));
	return json_pack(
	    "{s:s,s:s,s:o,s:s,s:I,s:I,s:b,s:o,s:b,s:b,s:s?,s:o,s:o,s:o}", "code", p->code, "name",
	    p->name, "department", dept_json(cat, p->department), "legal_basis",
	    p->legal_basis ? p->legal_basis : "", "statutory_days", (json_int_t)p->statutory_days,
	    "committed_days", (json_int_t)p->committed_days, "inspection", p->inspection,
	    "validity_years", p->validity_years > 0 ? json_integer(p->validity_years) : json_null(),
	    "validity_modelled", license_permit_validity_modelled(p), "base",
	    in_list(ind->base_permits, ind->nbase_permits, p->code), "note", p->note, "conditions",
	    conds, "materials", strings_json(p->materials, p->nmaterials), "before", cost_json(p));
}

/* One entry of the industry's full material list, found or added by id. */
struct mat_acc {
	const struct catalog_material *m;
	json_t *required_by, *rules;
	bool always;
};

static struct mat_acc *mat_get(struct mat_acc *acc, size_t *n, const struct catalog *cat,
			       const char *id)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp(acc[i].m->id, id) == 0)
			return &acc[i];
	acc[*n].m = catalog_material_find(cat, id);
	if (acc[*n].m == NULL)
		return NULL; /* cannot happen: the parser checked every reference */
	acc[*n].required_by = json_array();
	acc[*n].rules = json_array();
	acc[*n].always = false;
	return &acc[(*n)++];
}

/*
 * materials_json lists every material the industry may need: its own, those
 * of each of its permits, and those its rules add, each once, saying which
 * permits need it, which rules add it, and whether every application needs it
 * (`always`: the industry's own or a base permit's).
 */
static json_t *materials_json(const struct catalog *cat, const struct catalog_industry *ind)
{
	size_t cap = ind->nmaterials, n = 0;
	struct mat_acc *acc, *m;
	json_t *out = json_array();

	for (size_t i = 0; i < ind->npermits; i++) {
		const struct catalog_permit *p = catalog_permit_find(cat, ind->permits[i]);
		cap += p ? p->nmaterials : 0;
	}
	for (size_t i = 0; i < ind->nrules; i++)
		cap += ind->rules[i].nmaterials;
	acc = calloc(cap ? cap : 1, sizeof(*acc));
	if (acc == NULL)
		abort();
	for (size_t i = 0; i < ind->nmaterials; i++)
		if ((m = mat_get(acc, &n, cat, ind->materials[i])))
			m->always = true;
	for (size_t i = 0; i < ind->npermits; i++) {
		const struct catalog_permit *p = catalog_permit_find(cat, ind->permits[i]);
		bool base = in_list(ind->base_permits, ind->nbase_permits, ind->permits[i]);

		for (size_t k = 0; p && k < p->nmaterials; k++)
			if ((m = mat_get(acc, &n, cat, p->materials[k]))) {
				json_array_append_new(m->required_by, json_string(p->code));
				m->always |= base;
			}
	}
	for (size_t i = 0; i < ind->nrules; i++)
		for (size_t k = 0; k < ind->rules[i].nmaterials; k++)
			if ((m = mat_get(acc, &n, cat, ind->rules[i].materials[k])))
				json_array_append_new(m->rules, json_string(ind->rules[i].id));
	for (size_t i = 0; i < n; i++)
		json_array_append_new(
		    out, json_pack("{s:s,s:s,s:b,s:s?,s:s*,s:s?,s:o,s:o,s:b}", "id", acc[i].m->id,
				   "name", acc[i].m->name, "exempt", acc[i].m->exempt, "source",
				   acc[i].m->source, "shared_from", acc[i].m->shared_from, "note",
				   acc[i].m->note, "required_by", acc[i].required_by, "rules",
				   acc[i].rules, "always", acc[i].always));
	free(acc);
	return out;
}

/* The entry conditions of every permit, grouped by the five categories. */
static json_t *conditions_json(const struct catalog *cat, const struct catalog_industry *ind)
{
	json_t *out = json_array();

	for (size_t c = 0; c < sizeof(categories) / sizeof(categories[0]); c++) {
		json_t *items = json_array();

		for (size_t i = 0; i < ind->npermits; i++) {
			const struct catalog_permit *p = catalog_permit_find(cat, ind->permits[i]);

			for (size_t k = 0; p && k < p->nconditions; k++)
				if (strcmp(p->conditions[k].category, categories[c]) == 0)
					json_array_append_new(
					    items, json_pack("{s:s,s:s,s:b,s:{s:s,s:s}}", "id",
							     p->conditions[k].id, "text",
							     p->conditions[k].text, "commitment",
							     p->conditions[k].commitment, "permit",
							     "code", p->code, "name", p->name));
		}
		json_array_append_new(
		    out, json_pack("{s:s,s:o}", "category", categories[c], "items", items));
	}
	return out;
}

static json_t *questions_json(const struct catalog_industry *ind)
{
	json_t *out = json_array();

	for (size_t i = 0; i < ind->nquestions; i++) {
		json_t *q = guide_question_to_json(&ind->questions[i]);

		json_object_set_new(q, "ask_if",
				    ind->questions[i].ask_if_json
					? json_deep_copy(ind->questions[i].ask_if_json)
					: json_null());
		json_array_append_new(out, q);
	}
	return out;
}

/* The keys of a rule whose values are modelled (e.g. ["when"]: a threshold). */
static json_t *rule_modelled(const struct catalog_industry *ind, const char *id)
{
	json_t *v, *m;
	size_t i;

	json_array_foreach (json_object_get(ind->json, "rules"), i, v) {
		if (json_is_string(json_object_get(v, "id")) &&
		    strcmp(json_string_value(json_object_get(v, "id")), id) == 0 &&
		    (m = json_object_get(v, "modelled")) != NULL)
			return json_deep_copy(m);
	}
	return json_array();
}

static json_t *rules_json(const struct catalog_industry *ind)
{
	json_t *out = json_array();

	for (size_t i = 0; i < ind->nrules; i++) {
		const struct catalog_rule *ru = &ind->rules[i];

		json_array_append_new(
		    out,
		    json_pack("{s:s,s:O,s:o,s:o,s:o,s:s?,s:o}", "id", ru->id, "when", ru->when_json,
			      "permits", strings_json(ru->permits, ru->npermits), "materials",
			      strings_json(ru->materials, ru->nmaterials), "fields",
			      strings_json(ru->fields, ru->nfields), "basis", ru->basis, "modelled",
			      rule_modelled(ind, ru->id)));
	}
	return out;
}

/* The steps and trips after the reform for this industry: the catalog's, plus
 * the inspection's when any permit may need one (both modelled figures). */
static json_t *after_json(const struct catalog *cat, bool inspection)
{
	json_t *m = json_object_get(json_object_get(cat->root_catalog, "after"), "modelled");

	return json_pack(
	    "{s:I,s:I,s:I,s:I,s:o}", "steps", (json_int_t)cat->after_steps, "trips",
	    (json_int_t)cat->after_trips, "steps_with_inspection",
	    (json_int_t)(cat->after_steps + (inspection ? cat->after_inspection_steps : 0)),
	    "trips_with_inspection",
	    (json_int_t)(cat->after_trips + (inspection ? cat->after_inspection_trips : 0)),
	    "modelled", m ? json_deep_copy(m) : json_array());
}

/* The promised time limits: with only the base permits, and with every
 * permit the industry may merge (both include the issuance days). */
static json_t *time_limits_json(const struct catalog *cat, const struct catalog_industry *ind)
{
	long base = 0, all = 0, stat = 0;

	for (size_t i = 0; i < ind->npermits; i++) {
		const struct catalog_permit *p = catalog_permit_find(cat, ind->permits[i]);

		if (p == NULL)
			continue;
		if (p->committed_days > all)
			all = p->committed_days;
		if (p->statutory_days > stat)
			stat = p->statutory_days;
		if (in_list(ind->base_permits, ind->nbase_permits, p->code) &&
		    p->committed_days > base)
			base = p->committed_days;
	}
	return json_pack("{s:I,s:I,s:I,s:I}", "issuance_days", (json_int_t)cat->issuance_days,
			 "min_days", (json_int_t)(base + cat->issuance_days), "max_days",
			 (json_int_t)(all + cat->issuance_days), "statutory_max_days",
			 (json_int_t)stat);
}

void h_industry_get(struct req *r)
{
	const char *code = req_param(r, "code");
	const struct catalog_industry *ind;
	const struct catalog *cat;
	json_t *o, *coop, *permits;
	bool inspection = false;
	long version;

	if ((cat = catalog_acquire(r, &version)) == NULL)
		return;
	ind = catalog_industry_find(cat, code);
	if (ind == NULL) {
		catalog_release(r);
		return reply_error(r, 404, "unknown_industry", "code", "行业目录中没有该行业");
	}
	coop = json_array();
	for (size_t i = 0; i < ind->ncooperating; i++)
		json_array_append_new(coop, dept_json(cat, ind->cooperating[i]));
	permits = json_array();
	for (size_t i = 0; i < ind->npermits; i++) {
		const struct catalog_permit *p = catalog_permit_find(cat, ind->permits[i]);

		if (p) {
			json_array_append_new(permits, permit_json(cat, ind, p));
			inspection |= p->inspection;
		}
	}
	o = json_pack(
	    "{s:I,s:s,s:s,s:o,s:s?,s:s?,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:b,"
	    "s:I,s:o,s:o,s:o}",
	    "catalog_version", (json_int_t)version, "code", ind->code, "name", ind->name, "aliases",
	    strings_json(ind->aliases, ind->naliases), "pinyin", ind->pinyin, "description",
	    ind->description, "provenance", provenance_json(ind), "lead", dept_json(cat, ind->lead),
	    "cooperating", coop, "permits", permits, "conditions", conditions_json(cat, ind),
	    "materials", materials_json(cat, ind), "questions", questions_json(ind), "rules",
	    rules_json(ind), "time_limits", time_limits_json(cat, ind), "inspection", inspection,
	    "fields", (json_int_t)ind->nfields, "service", service_json(cat, ind), "published",
	    raw_json(ind, "published"), "after", after_json(cat, inspection));
	rollout_set(o, ind);
	json_object_set_new(o, "license", license_rule_json(cat, ind));
	catalog_release(r);
	reply_json(r, 200, o);
}

void h_guide(struct req *r)
{
	const char *key;
	const struct catalog *cat;
	struct guide_result res;
	struct yerr e = {0};
	const struct catalog_industry *ind;
	json_t *v, *industry, *answers, *out;
	long version;

	if (!json_is_object(r->json))
		return reply_error(r, 400, "invalid_body", NULL, "请求体应为 JSON 对象");
	json_object_foreach (r->json, key, v) {
		if (strcmp(key, "industry") != 0 && strcmp(key, "answers") != 0)
			return reply_error(r, 400, "unknown_field", key, "不认识的字段 %s", key);
	}
	industry = json_object_get(r->json, "industry");
	answers = json_object_get(r->json, "answers");
	if (industry == NULL || json_is_null(industry))
		return reply_error(r, 400, "required", "industry", "请指定行业（industry）");
	if (!json_is_string(industry))
		return reply_error(r, 400, "invalid_type", "industry",
				   "industry 应为行业代码字符串");
	if (json_is_null(answers))
		answers = NULL;
	if ((cat = catalog_acquire(r, &version)) == NULL)
		return;
	ind = catalog_industry_find(cat, json_string_value(industry));
	if (ind != NULL && !catalog_status_offered(ind->status)) {
		/* 成熟一批、实施一批: only industries in force or piloting are guided */
		const char *label = catalog_status_label(ind->status);
		char when[48] = "";

		if (ind->effective_date != NULL)
			snprintf(when, sizeof(when), "（日期 %s）", ind->effective_date);
		reply_error(r, 409, "industry_not_offered", "industry",
			    "“%s”在本区的状态为“%s”%s，暂不提供导办和申请", ind->name,
			    label ? label : "未标注", when);
		catalog_release(r);
		return;
	}
	if (guide_run(cat, json_string_value(industry), answers, &res, &e) < 0) {
		catalog_release(r);
		return reply_yerr(r, &e);
	}
	out = guide_result_to_json(&res, version);
	guide_result_free(&res);
	catalog_release(r);
	if (out == NULL)
		abort();
	reply_json(r, 200, out);
}
