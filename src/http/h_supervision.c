/*
 * h_supervision.c — the supervision registers and export (issue 13, sup-core;
 * docs/api-supervision.md "Registers" and "Export"):
 *   GET /api/v1/supervision/entities     检查对象名录库 (supervision.registers)
 *   GET /api/v1/supervision/check-items  随机抽查事项清单, from the catalog (public)
 *   GET /api/v1/supervision/export       互联网+监管 export by cursor (supervision.export;
 *                                         API tokens with supervision:read)
 * The inspector register and conflicts are in h_sup_inspectors.c.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/catalog.h"
#include "http/args.h"
#include "http/handlers.h"
#include "http/applications.h"
#include "store/store_credit.h"
#include "store/store_risk.h"
#include "http/supervision.h"

/* The active catalog, held for reading until sup_catalog_release; on none
 * answers 503 and returns NULL. */
static const struct catalog *sup_catalog_acquire(struct req *r)
{
	pthread_rwlock_rdlock(&r->app->catalog_lock);
	if (r->app->catalog == NULL) {
		pthread_rwlock_unlock(&r->app->catalog_lock);
		reply_error(r, 503, "catalog_unavailable", NULL,
			    "行业目录尚未导入或未启用任何版本，请联系审改办");
		return NULL;
	}
	return r->app->catalog;
}

static void sup_catalog_release(struct req *r)
{
	pthread_rwlock_unlock(&r->app->catalog_lock);
}

/* ---- the entity register ---- */

/* The streets an entity can be filtered by: the options of the catalog's
 * F_site_street field, [{"value","label"}] ([] when the catalog has none). */
static json_t *streets_json(const struct catalog *cat)
{
	const struct catalog_field *f = catalog_field_find(cat, "F_site_street");
	json_t *a = json_array();

	for (size_t i = 0; f != NULL && i < f->noptions; i++)
		json_array_append_new(a, json_pack("{s:s,s:s}", "value", f->options[i].value,
						   "label", f->options[i].label));
	return a;
}

/* The label of a street code: the F_site_street option of the catalog. */
static const char *street_label(const struct catalog *cat, const char *code)
{
	const struct catalog_field *f = catalog_field_find(cat, "F_site_street");

	for (size_t i = 0; f != NULL && code != NULL && i < f->noptions; i++)
		if (strcmp(f->options[i].value, code) == 0)
			return f->options[i].label;
	return NULL;
}

static json_t *entity_json(const struct catalog *cat, const struct sup_entity *en,
			   const char *grade, json_t *flags)
{
	json_t *lic = json_array(), *inds = json_array(), *o;
	const char *sl = street_label(cat, en->street);

	for (size_t i = 0; i < en->nlicenses; i++) {
		const struct sup_entity_license *l = &en->licenses[i];
		bool seen = false;
		size_t k;
		json_t *v;

		json_array_append_new(lic, json_pack("{s:s,s:s,s:s,s:s,s:s?}", "number", l->number,
						     "industry", l->industry, "industry_name",
						     l->industry_name ? l->industry_name : "",
						     "status", l->status, "valid_until",
						     l->valid_until[0] ? l->valid_until : NULL));
		json_array_foreach (inds, k, v)
			seen = seen || strcmp(json_string_value(json_object_get(v, "code")),
					      l->industry) == 0;
		if (!seen)
			json_array_append_new(inds,
					      json_pack("{s:s,s:s}", "code", l->industry, "name",
							l->industry_name ? l->industry_name : ""));
	}
	o = json_pack("{s:s,s:s,s:s,s:s?,s:s?,s:o,s:o}", "uscc", en->uscc, "name",
		      en->name ? en->name : "", "address", en->address ? en->address : "", "street",
		      en->street[0] ? en->street : NULL, "street_name", sl, "industries", inds,
		      "licenses", lic);
	if (grade != NULL)
		json_object_set_new(o, "credit_grade", json_string(grade));
	json_object_set_new(o, "risk_flags", flags != NULL ? json_incref(flags) : json_array());
	return o;
}

/* has_flag: flags (a risk_flags array) holds one with code. */
static bool has_flag(const json_t *flags, const char *code)
{
	const json_t *f;
	size_t i;

	json_array_foreach (flags, i, f)
		if (strcmp(json_string_value(json_object_get(f, "code")), code) == 0)
			return true;
	return false;
}

void h_sup_entities(struct req *r)
{
	const char *industry, *grade, *street, *flag, *q;
	struct sup_entity *items = NULL;
	const struct catalog *cat;
	struct store_conn *c;
	struct req_page page;
	struct yerr e = {0};
	json_t *arr, **flags = NULL;
	size_t n = 0, kept = 0;
	char(*grades)[2] = NULL;
	int today = app_today(r), rc = 0;

	if (req_query_text(r, "industry", 64, &industry) < 0 ||
	    req_query_text(r, "grade", 1, &grade) < 0 ||
	    req_query_text(r, "street", 32, &street) < 0 ||
	    req_query_text(r, "flag", 64, &flag) < 0 || req_query_text(r, "q", 64, &q) < 0 ||
	    req_paging(r, 50, 500, &page) < 0)
		return;
	if (grade != NULL && (strlen(grade) != 1 || strchr("ABCD", grade[0]) == NULL))
		return reply_error(r, 400, "invalid_grade", "grade", "信用等级应为 A、B、C 或 D");
	if (req_acquire(r, &c) < 0)
		return;
	rc = sup_entities_list(
	    c, req_district(r),
	    &(struct sup_entity_filter){.industry = industry, .street = street, .q = q}, &items, &n,
	    &e);
	if (rc == 0 && n > 0 &&
	    ((grades = calloc(n, sizeof(*grades))) == NULL ||
	     (flags = calloc(n, sizeof(*flags))) == NULL))
		rc = yerr_set(&e, 500, "out_of_memory", NULL, "内存不足");
	/* The grade (credit_grade_of) and the risk flags (risk_flags_at) of
	 * every entity when filtering by them, else of the page only: one
	 * look-up each. */
	for (size_t i = 0; rc == 0 && i < n; i++) {
		bool on_page =
		    i >= (size_t)page.offset && i < (size_t)page.offset + (size_t)page.limit;

		if (grade == NULL && flag == NULL && !on_page)
			continue;
		rc = credit_grade_of(c, req_district(r), items[i].uscc, grades[i], &e);
		if (rc == 0)
			rc = risk_flags_at(c, req_district(r), items[i].uscc, today, &flags[i], &e);
	}
	store_release(c);
	if (rc == 0 && (cat = sup_catalog_acquire(r)) != NULL) {
		arr = json_array();
		for (size_t i = 0; i < n; i++) {
			if (grade != NULL && strcmp(grades[i], grade) != 0)
				continue;
			if (flag != NULL && !has_flag(flags[i], flag))
				continue;
			if (kept >= (size_t)page.offset &&
			    kept < (size_t)page.offset + (size_t)page.limit)
				json_array_append_new(
				    arr, entity_json(cat, &items[i], grades[i], flags[i]));
			kept++;
		}
		{
			json_t *body = req_list_json(arr, (int64_t)kept, &page);

			json_object_set_new(body, "streets", streets_json(cat));
			sup_catalog_release(r);
			reply_json(r, 200, body);
		}
	} else if (rc < 0) {
		reply_yerr(r, &e);
	}
	for (size_t i = 0; flags != NULL && i < n; i++)
		json_decref(flags[i]);
	free(flags);
	free(grades);
	sup_entities_free(items, n);
}

/* ---- check items (from the catalog) ---- */

static json_t *strs_json(const char *const *v, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

static json_t *supervision_json(const struct catalog *cat, const struct catalog_industry *ind,
				const struct catalog_supervision *s)
{
	const struct catalog_department *d = catalog_department_find(cat, s->department);
	json_t *items = json_array();

	for (size_t k = 0; k < s->nitems; k++) {
		const struct catalog_check_item *it = &s->items[k];
		json_array_append_new(items,
				      json_pack("{s:s,s:s,s:s,s:s?,s:b}", "code", it->code, "name",
						it->name, "basis", it->basis, "permit", it->permit,
						"modelled", it->modelled));
	}
	return json_pack("{s:s,s:s,s:s,s:s,s:o,s:o,s:o}", "industry", ind->code, "industry_name",
			 ind->name, "department", s->department, "department_name",
			 d != NULL ? d->name : "", "matters", strs_json(s->matters, s->nmatters),
			 "permits", strs_json(s->permits, s->npermits), "check_items", items);
}

void h_sup_check_items(struct req *r)
{
	const struct catalog_industry *only = NULL;
	const char *industry, *department;
	const struct catalog *cat;
	json_t *arr;

	if (req_query_text(r, "industry", 64, &industry) < 0 ||
	    req_query_text(r, "department", 24, &department) < 0)
		return;
	if ((cat = sup_catalog_acquire(r)) == NULL)
		return;
	if (industry != NULL && (only = catalog_industry_find(cat, industry)) == NULL) {
		sup_catalog_release(r);
		return reply_error(r, 404, "industry_not_found", "industry",
				   "行业目录中没有该行业");
	}
	arr = json_array();
	for (size_t i = 0; i < cat->nindustries; i++) {
		const struct catalog_industry *ind = &cat->industries[i];

		if (only != NULL && ind != only)
			continue;
		for (size_t s = 0; s < ind->nsupervision; s++)
			if (department == NULL ||
			    strcmp(ind->supervision[s].department, department) == 0)
				json_array_append_new(
				    arr, supervision_json(cat, ind, &ind->supervision[s]));
	}
	sup_catalog_release(r);
	reply_json(r, 200, req_list_json(arr, (int64_t)json_array_size(arr), NULL));
}

/* ---- the 互联网+监管 export ---- */

json_t *sup_event_json(const struct sup_event *ev)
{
	json_t *detail = ev->detail != NULL ? json_loads(ev->detail, 0, NULL) : NULL;

	return json_pack("{s:I,s:s,s:s,s:s?,s:I,s:o}", "seq", (json_int_t)ev->seq, "kind", ev->kind,
			 "ref", ev->ref ? ev->ref : "", "uscc", ev->uscc[0] ? ev->uscc : NULL, "at",
			 (json_int_t)ev->at, "detail", detail != NULL ? detail : json_object());
}

void h_sup_export(struct req *r)
{
	struct sup_event *items = NULL;
	long long after, limit;
	struct store_conn *c;
	struct yerr e = {0};
	json_t *arr;
	size_t n = 0;
	int rc;

	if (req_query_int(r, "after", 0, 0, INT64_MAX / 10, &after) < 0 ||
	    req_query_int(r, "limit", 100, 1, 1000, &limit) < 0)
		return;
	if (req_acquire(r, &c) < 0)
		return;
	rc = sup_events_after(c, req_district(r), (int64_t)after, (long)limit, &items, &n, &e);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, sup_event_json(&items[i]));
	reply_json(r, 200,
		   json_pack("{s:o,s:I,s:b}", "items", arr, "next",
			     (json_int_t)(n > 0 ? items[n - 1].seq : (int64_t)after), "more",
			     n == (size_t)limit));
	sup_events_free(items, n);
}
