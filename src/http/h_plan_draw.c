/*
 * h_plan_draw.c — freezing a plan and drawing it (issue 13; docs/api-supervision.md
 * "Freeze and draw"):
 *   POST /api/v1/supervision/plans/{id}/freeze     supervision.plans → the commitment
 *   POST /api/v1/supervision/plans/{id}/draw       supervision.plans → the draw
 *   GET  /api/v1/supervision/draws                 public: the draws published
 *   GET  /api/v1/supervision/draws/{id}            public: a draw and the server's re-verification
 *   GET  /api/v1/supervision/draws/{id}/record     public: the record `yiye draw verify` checks
 * The freeze stores the inputs exactly as committed and the secret apart
 * from everything an API answers; the draw reads both back, so nothing that
 * changes after the freeze (entities, grades, inspectors) alters the draw.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "core/deadline.h"
#include "http/accounts.h"
#include "http/applications.h"
#include "http/plans.h"

#define SECRET_BYTES 32

static const char *const grade_names[DRAW_GRADES] = {"A", "B", "C", "D"};

void h_plan_freeze(struct req *r)
{
	unsigned char secret[SECRET_BYTES], hash[crypto_hash_sha256_BYTES], commitment[32];
	char secret_hex[2 * SECRET_BYTES + 1], secret_sha[65], commit_hex[65];
	size_t sizes[DRAW_GRADES], counts[DRAW_GRADES];
	struct draw_prepared *prep = NULL;
	struct store_plan p = {0};
	struct store_conn *c;
	struct plan_draw d = {0};
	struct yerr e = {0};
	json_t *inputs = NULL, *summary = NULL, *grades = json_object();
	char *t_inputs = NULL, *t_summary = NULL;
	int rc;

	if (req_acquire(r, &c) < 0) {
		json_decref(grades);
		return;
	}
	rc = store_begin(c, &e);
	if (rc == 0)
		rc = plan_load(r, c, 1, &p, &e);
	snprintf(r->audit_object, sizeof(r->audit_object), "spot_plan:%lld", (long long)p.id);
	if (rc == 0 && strcmp(p.status, "draft") != 0)
		rc = yerr_set(&e, 409, "plan_not_draft", NULL, "计划已冻结，不能再次冻结");
	if (rc == 0)
		rc = plan_inputs_now(c, req_district(r), &p, &inputs, &e);
	if (rc == 0) {
		/* the secret: committed now by its hash, revealed by the draw */
		randombytes_buf(secret, sizeof(secret));
		crypto_hash_sha256(hash, secret, sizeof(secret));
		draw_hex(secret, sizeof(secret), secret_hex);
		draw_hex(hash, sizeof(hash), secret_sha);
		t_inputs = json_dumps(inputs, JSON_COMPACT);
		rc = plan_draw_from(&p, inputs, secret_sha, &d, &e);
		inputs = NULL;
	}
	if (rc == 0 && draw_prepare(&d.plan, &prep, &e) < 0) {
		/* the plan's inputs as they stand cannot be drawn: say why */
		e.status = 422;
		rc = -1;
	}
	if (rc == 0) {
		draw_commitment(prep, commitment);
		draw_hex(commitment, sizeof(commitment), commit_hex);
		draw_grade_sizes(prep, sizes);
		draw_counts(prep, counts);
		for (int g = 0; g < DRAW_GRADES; g++)
			json_object_set_new(grades, grade_names[g],
					    json_pack("{s:I,s:I}", "entities", (json_int_t)sizes[g],
						      "checks", (json_int_t)counts[g]));
		summary = json_pack("{s:I,s:I,s:I,s:O}", "entities", (json_int_t)d.plan.nentities,
				    "inspectors", (json_int_t)d.plan.ninspectors, "conflicts",
				    (json_int_t)d.plan.nconflicts, "grades", grades);
		t_summary = json_dumps(summary, JSON_COMPACT);
		rc = store_plan_freeze(c, req_district(r), p.id, commit_hex, secret_sha, t_summary,
				       t_inputs, secret_hex, r->who.id, app_now(r->app), &e);
	}
	if (rc == 0)
		rc = store_plans_event(c, req_district(r), "plan_frozen", p.code, t_summary, &e);
	if (rc == 0)
		rc = req_audit_commit(r, c, r->audit_object, NULL, &e);
	if (rc == 0) {
		int64_t id = p.id;

		plan_draw_free(&d); /* it borrows the plan's code */
		store_plan_free(&p);
		rc = store_plan_get(c, req_district(r), id, 0, &p, &e);
	}
	store_release(c);
	sodium_memzero(secret, sizeof(secret));
	sodium_memzero(secret_hex, sizeof(secret_hex));
	draw_prepared_free(prep);
	plan_draw_free(&d);
	json_decref(inputs);
	json_decref(summary);
	json_decref(grades);
	free(t_inputs);
	free(t_summary);
	if (rc < 0) {
		store_plan_free(&p);
		return reply_yerr(r, &e);
	}
	reply_json(r, 200, json_pack("{s:o}", "plan", plan_json(&p)));
	store_plan_free(&p);
}

/* draw_verify's summary cut at its buffer may end inside a character: keep
 * the whole characters only, so it is valid JSON text. */
static json_t *summary_json(const char *s)
{
	size_t n = strlen(s);
	json_t *v = NULL;

	while (n > 0 && (v = json_stringn(s, n)) == NULL)
		n--;
	return v ? v : json_string("");
}

static int hex_decode(const char *hex, unsigned char *out, size_t max, size_t *len)
{
	return sodium_hex2bin(out, max, hex, strlen(hex), NULL, len, NULL);
}

/* The check tasks of a draw: one per selected check, its inspectors in slot
 * order; then the plan's targeted checks, recorded as such. */
static int draw_tasks(struct req *r, struct store_conn *c, const struct store_plan *p,
		      const struct plan_draw *d, const struct draw_selection *sel, int64_t draw_id,
		      struct yerr *e)
{
	json_t *ents = json_object_get(d->inputs, "entities"), *targeted, *t, *x;
	int64_t now = app_now(r->app), id;
	size_t i, k;
	int rc = 0;

	for (i = 0; rc == 0 && i < sel->n; i++) {
		json_t *ent = json_array_get(ents, sel->entity[i]);
		struct store_check_in in = {.plan_id = p->id,
					    .draw_id = draw_id,
					    .kind = "random",
					    .uscc = d->entities[sel->entity[i]].id,
					    .entity_name =
						json_string_value(json_object_get(ent, "name")),
					    .industry = d->entities[sel->entity[i]].industry,
					    .grade = grade_names[d->entities[sel->entity[i]].grade],
					    .check_items = p->check_items,
					    .due_on = p->period_to};

		for (k = 0; k < sel->per_check && k < TASK_MAX_INSPECTORS; k++) {
			const struct draw_inspector *di =
			    &d->inspectors[sel->inspector[i * sel->per_check + k]];

			in.inspectors[k].user_id = strtoll(di->id, NULL, 10);
			snprintf(in.inspectors[k].department, sizeof(in.inspectors[k].department),
				 "%s", di->department);
		}
		in.ninspectors = k;
		rc = store_check_insert(c, req_district(r), &in, now, &id, e);
	}
	targeted = json_loads(p->targeted ? p->targeted : "[]", 0, NULL);
	json_array_foreach (targeted, i, t) {
		struct store_check_in in = {
		    .plan_id = p->id,
		    .draw_id = draw_id,
		    .kind = "targeted",
		    .uscc = json_string_value(json_object_get(t, "uscc")),
		    .entity_name = json_string_value(json_object_get(t, "name")),
		    .industry = json_string_value(json_object_get(t, "industry")),
		    .reason = json_string_value(json_object_get(t, "reason")),
		    .check_items = p->check_items,
		    .due_on = p->period_to};
		json_array_foreach (json_object_get(t, "inspectors"), k, x) {
			if (k >= TASK_MAX_INSPECTORS)
				break;
			in.inspectors[k].user_id = json_integer_value(x);
			in.ninspectors = k + 1;
		}
		/* each inspector's department, from the plan's inspectors */
		for (k = 0; k < d->plan.ninspectors; k++)
			for (size_t m = 0; m < in.ninspectors; m++)
				if (strtoll(d->inspectors[k].id, NULL, 10) ==
				    in.inspectors[m].user_id)
					snprintf(in.inspectors[m].department,
						 sizeof(in.inspectors[m].department), "%s",
						 d->inspectors[k].department);
		if (rc == 0)
			rc = store_check_insert(c, req_district(r), &in, now, &id, e);
	}
	json_decref(targeted);
	return rc;
}

void h_plan_draw(struct req *r)
{
	static const char *const keys[] = {"public_value", "source", NULL};
	unsigned char secret[DRAW_SECRET_MAX], commitment[32];
	char commit_hex[65], summary[4096], ref[96];
	struct draw_prepared *prep = NULL;
	struct draw_selection sel = {0};
	struct store_plan p = {0};
	struct plan_draw d = {0};
	struct store_conn *c;
	struct yerr e = {0}, ve = {0};
	const char *pv, *source;
	char *inputs_text = NULL, *secret_hex = NULL, *record_text = NULL, *detail = NULL;
	json_t *inputs = NULL, *record = NULL;
	size_t secret_len = 0;
	int64_t draw_id = 0;
	int rc;

	if (req_body_keys(r, keys) < 0 ||
	    req_text(r, "public_value", ARG_REQUIRED, DRAW_MAX_PUBLIC, &pv) < 0 ||
	    req_text(r, "source", ARG_REQUIRED, DRAW_MAX_LABEL / 4, &source) < 0)
		return;
	if (strlen(pv) > DRAW_MAX_PUBLIC || strlen(source) > DRAW_MAX_LABEL)
		return reply_error(r, 400, "too_long", "public_value", "公开随机值或来源过长");
	if (req_acquire(r, &c) < 0)
		return;
	rc = store_begin(c, &e);
	if (rc == 0)
		rc = plan_load(r, c, 1, &p, &e);
	snprintf(r->audit_object, sizeof(r->audit_object), "spot_plan:%lld", (long long)p.id);
	if (rc == 0 && strcmp(p.status, "frozen") != 0)
		rc = yerr_set(&e, 409, "plan_not_frozen", NULL,
			      strcmp(p.status, "draft") == 0 ? "计划尚未冻结，不能抽取"
							     : "该计划已经抽取过");
	if (rc == 0)
		rc = store_plan_inputs(c, req_district(r), p.id, &inputs_text, &secret_hex, &e);
	if (rc == 0 && (secret_hex == NULL || (inputs = json_loads(inputs_text, 0, NULL)) == NULL ||
			hex_decode(secret_hex, secret, sizeof(secret), &secret_len) != 0))
		rc = yerr_set(&e, 500, "bad_inputs", NULL, "冻结的抽取输入无法读取");
	if (rc == 0) {
		rc = plan_draw_from(&p, inputs, p.secret_sha256, &d, &e);
		inputs = NULL;
	}
	if (rc == 0 && draw_prepare(&d.plan, &prep, &e) < 0)
		rc = -1;
	if (rc == 0) {
		/* the frozen inputs still give the published commitment */
		draw_commitment(prep, commitment);
		draw_hex(commitment, sizeof(commitment), commit_hex);
		if (strcmp(commit_hex, p.commitment ? p.commitment : "") != 0)
			rc = yerr_set(&e, 500, "commitment_mismatch", NULL,
				      "冻结的抽取输入与公布的承诺值不符");
	}
	if (rc == 0)
		rc = draw_run(prep, secret, secret_len, pv, &sel, &e);
	if (rc == 0) {
		record = draw_record_json(prep, secret, secret_len, pv, source, &sel);
		record_text = record ? json_dumps(record, JSON_COMPACT) : NULL;
		/* the server checks the record it publishes, as a reader would */
		if (record_text == NULL || draw_verify(record_text, strlen(record_text), summary,
						       sizeof(summary), &ve) != DRAW_MATCH)
			rc = yerr_set(&e, 500, "record_not_verified", NULL,
				      "抽取记录未通过自检：%s", ve.message);
	}
	if (rc == 0)
		rc = store_draw_insert(c, req_district(r), p.id, pv, source, record_text,
				       (int)sel.n, r->who.id, app_now(r->app), &draw_id, &e);
	if (rc == 0)
		rc = draw_tasks(r, c, &p, &d, &sel, draw_id, &e);
	if (rc == 0) {
		json_t *ev = json_pack("{s:I,s:s,s:s,s:s,s:s,s:I}", "draw_id", (json_int_t)draw_id,
				       "plan", p.code, "commitment", commit_hex, "public_value", pv,
				       "source", source, "checks", (json_int_t)sel.n);

		detail = json_dumps(ev, JSON_COMPACT);
		json_decref(ev);
		snprintf(ref, sizeof(ref), "draw:%lld", (long long)draw_id);
		rc = store_plans_event(c, req_district(r), "draw", ref, detail, &e);
	}
	if (rc == 0)
		rc = req_audit_commit(r, c, r->audit_object, detail, &e);
	store_release(c);
	sodium_memzero(secret, sizeof(secret));
	if (rc == 0)
		reply_json(r, 201,
			   json_pack("{s:{s:I,s:I,s:s,s:s,s:s,s:I,s:s},s:o}", "draw", "id",
				     (json_int_t)draw_id, "plan_id", (json_int_t)p.id, "plan",
				     p.code, "public_value", pv, "source", source, "checks",
				     (json_int_t)sel.n, "commitment", commit_hex, "verification",
				     summary_json(summary)));
	else
		reply_yerr(r, &e);
	draw_selection_free(&sel);
	draw_prepared_free(prep);
	plan_draw_free(&d);
	store_plan_free(&p);
	json_decref(inputs);
	json_decref(record);
	free(record_text);
	free(inputs_text);
	free(secret_hex);
	free(detail);
}

/* public ------------------------------------------------------------------------------ */

static int draw_id_param(struct req *r, int64_t *id)
{
	if (args_int(req_param(r, "id"), 1, INT64_MAX, (long long *)id) < 0) {
		reply_error(r, 404, "draw_not_found", NULL, "抽取记录不存在");
		return -1;
	}
	return 0;
}

void h_draw_record(struct req *r)
{
	struct store_draw d;
	struct store_conn *c;
	struct yerr e = {0};
	int64_t id;
	int rc;

	if (draw_id_param(r, &id) < 0 || req_acquire(r, &c) < 0)
		return;
	rc = store_draw_get(c, req_district(r), id, 1, &d, &e);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	/* exactly the bytes stored at the draw: what `yiye draw verify` reads */
	reply_raw(r, 200, "application/json", d.record, strlen(d.record));
	store_draw_free(&d);
}

static json_t *draw_json(const struct store_draw *d)
{
	return json_pack("{s:I,s:I,s:s,s:s,s:s,s:s,s:i,s:I,s:s}", "id", (json_int_t)d->id,
			 "plan_id", (json_int_t)d->plan_id, "plan", d->plan_code, "title",
			 d->plan_title ? d->plan_title : "", "public_value",
			 d->public_value ? d->public_value : "", "source",
			 d->public_source ? d->public_source : "", "checks", d->checks, "drawn_at",
			 (json_int_t)d->drawn_at, "record", "");
}

static json_t *draw_item(const void *d)
{
	json_t *o = draw_json(d);
	char url[96];

	snprintf(url, sizeof(url), "/api/v1/supervision/draws/%lld/record",
		 (long long)((const struct store_draw *)d)->id);
	json_object_set_new(o, "record", json_string(url));
	return o;
}

void h_draws_list(struct req *r)
{
	struct store_draw *ds = NULL;
	struct store_conn *c;
	struct req_page page;
	struct yerr e = {0};
	int64_t total = 0;
	int n = 0, rc;

	if (req_paging(r, REQ_PAGE_DEFAULT, REQ_PAGE_MAX, &page) < 0 || req_acquire(r, &c) < 0)
		return;
	rc = store_draws_list(c, req_district(r), page.limit, page.offset, &ds, &n, &total, &e);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	reply_json(r, 200, req_list(ds, (size_t)n, sizeof(*ds), draw_item, total, &page));
	for (int i = 0; i < n; i++)
		store_draw_free(&ds[i]);
	free(ds);
}

static const char *verdict_name(enum draw_verdict v)
{
	switch (v) {
	case DRAW_MATCH:
		return "match";
	case DRAW_BAD_RECORD:
		return "bad_record";
	case DRAW_BAD_INPUTS:
		return "bad_inputs";
	case DRAW_COMMITMENT_WRONG:
		return "commitment_mismatch";
	case DRAW_SECRET_WRONG:
		return "secret_mismatch";
	case DRAW_DRAW_FAILED:
		return "draw_failed";
	case DRAW_SELECTION_WRONG:
		return "selection_mismatch";
	}
	return "unknown";
}

/* A draw with the server's re-run of its record (draw_verify): the public
 * page shows both and tells the reader how to re-run it themselves. */
void h_draw_get(struct req *r)
{
	struct store_draw d;
	struct store_conn *c;
	struct yerr e = {0}, ve = {0};
	char summary[4096] = "";
	enum draw_verdict v;
	json_t *o, *rec;
	int64_t id;
	int rc;

	if (draw_id_param(r, &id) < 0 || req_acquire(r, &c) < 0)
		return;
	rc = store_draw_get(c, req_district(r), id, 1, &d, &e);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	v = draw_verify(d.record, strlen(d.record), summary, sizeof(summary), &ve);
	o = draw_item(&d);
	rec = json_loads(d.record, 0, NULL);
	json_object_set(o, "commitment", json_object_get(rec, "commitment"));
	json_object_set(o, "secret_sha256", json_object_get(rec, "secret_sha256"));
	json_object_set(o, "selection", json_object_get(rec, "selection"));
	json_object_set(o, "departments", json_object_get(rec, "departments"));
	json_object_set(o, "ratios", json_object_get(rec, "ratios"));
	json_object_set_new(
	    o, "entities",
	    json_integer((json_int_t)json_array_size(json_object_get(rec, "entities"))));
	json_object_set_new(
	    o, "inspectors",
	    json_integer((json_int_t)json_array_size(json_object_get(rec, "inspectors"))));
	json_decref(rec);
	json_object_set_new(o, "verification",
			    json_pack("{s:b,s:s,s:o,s:s}", "ok", v == DRAW_MATCH, "verdict",
				      verdict_name(v), "summary",
				      summary_json(v == DRAW_MATCH ? summary : ""), "message",
				      v == DRAW_MATCH ? "" : ve.message));
	store_draw_free(&d);
	reply_json(r, 200, json_pack("{s:o}", "draw", o));
}
