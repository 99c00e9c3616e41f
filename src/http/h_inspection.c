/*
 * h_inspection.c — the joint on-site inspection (一同核查;
 * docs/api-applications.md):
 *   POST /api/v1/applications/{id}/inspection               applications.inspect
 *        {"at":"YYYY-MM-DD","inspectors":[user ids]}
 *   POST /api/v1/applications/{id}/inspection/{department}  applications.inspect
 *        {"result","findings","deadline","items":[{"id","result","note","photos"}]}
 *   GET  /api/v1/applications/{id}/inspection               applications.read
 *   GET  /api/v1/applications/{id}/inspectors               applications.inspect
 *        (who may be appointed: the active inspectors of every department
 *        needing an inspection — the staff directory shows one's own only)
 *
 * One appointment per review round that every department needing an
 * inspection attends with at least one active inspector of its own; one
 * record with a section per department, whose checklist is taken from the
 * permits of the catalog version the application froze (catalog_checklist.h)
 * when the appointment is made, and answered item by item (inspection.h). Photos are application
 * materials, named by material id. A fail is that department's rejection (the workflow's
 * aggregation).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/catalog_checklist.h"
#include "core/date.h"
#include "core/inspection.h"
#include "http/applications.h"
#include "http/reviews.h"
#include "store/store_account.h"
#include "store/store_review.h"

#define FINDINGS_MAX INSPECTION_TEXT_MAX
#define PHOTOS_MAX 32 /* per checklist item */

/* ------------------------------------------------------------ appointment */

struct schedule_ctx {
	struct store_inspector inspectors[WF_MAX_LIST]; /* resolved */
	const char *depts[WF_MAX_LIST];                 /* each one's department */
	size_t n;
};

/*
 * schedule_precheck answers the workflow's own refusals (role, state,
 * department, date) before the inspectors are looked at, as every action
 * answers in that order: a read-only dry run without inspectors; then each
 * user id must be an active inspector (400 invalid_inspector,
 * inspectors[i]) and s receives their departments. The decision itself is
 * taken again under the row lock by app_transition. Replies and returns -1
 * on a refusal.
 */
static int schedule_precheck(struct req *r, const json_t *ids, const char *at,
			     struct schedule_ctx *s)
{
	struct wf_request dry = {.action = WF_SCHEDULE_INSPECTION, .at = at, .today = app_today(r)};
	struct store_conn *c;
	struct store_app a;
	struct wf_actor who;
	struct wf_effects fx;
	struct wf_app next;
	struct yerr e = {0};
	char path[64];
	int64_t id;
	size_t i;
	json_t *v;
	int rc = 0;

	if (req_acquire(r, &c) < 0)
		return -1;
	if (app_load(r, c, false, &id, &a) < 0) {
		store_release(c);
		return -1;
	}
	app_actor(r, &a, &who);
	if (workflow_apply(&a.wf, &who, &dry, &next, &fx, &e) != 0 &&
	    strcmp(e.code, "inspectors_required") != 0) {
		store_release(c);
		app_reply_err(r, &e, &a);
		store_app_free(&a);
		return -1;
	}
	store_app_free(&a);
	memset(&e, 0, sizeof(e));
	json_array_foreach (ids, i, v) {
		struct store_user u;

		snprintf(path, sizeof(path), "inspectors[%zu]", i);
		rc = store_user_get(c, req_district(r), json_integer_value(v), &u, &e);
		if (rc < 0 && rc != STORE_ENOTFOUND)
			break;
		if (rc == STORE_ENOTFOUND || u.disabled || !(u.roles & ROLE_BIT(ROLE_INSPECTOR)) ||
		    u.department[0] == '\0') {
			rc = yerr_set(&e, 400, "invalid_inspector", path,
				      "用户 %lld 不是在岗的执法检查人员",
				      (long long)json_integer_value(v));
			break;
		}
		for (size_t k = 0; rc == 0 && k < i; k++)
			if (s->inspectors[k].user_id == u.id)
				rc = yerr_set(&e, 400, "invalid_inspector", path,
					      "检查人员 %s 重复", u.display_name);
		if (rc < 0)
			break;
		s->inspectors[i].user_id = u.id;
		snprintf(s->inspectors[i].department, sizeof(s->inspectors[i].department), "%s",
			 u.department);
		snprintf(s->inspectors[i].name, sizeof(s->inspectors[i].name), "%s",
			 u.display_name);
		s->depts[i] = s->inspectors[i].department;
	}
	store_release(c);
	if (rc < 0) {
		reply_yerr(r, &e);
		return -1;
	}
	s->n = json_array_size(ids);
	return 0;
}

/* The checklist of a department's permits that need an inspection, as the
 * section's items JSON: [{"id","text","permit"}]. */
static char *dept_checklist(const struct catalog *cat, const struct store_app *a,
			    const char *department)
{
	json_t *items = json_array();
	char *text;

	for (size_t i = 0; cat != NULL && i < a->wf.npermits; i++) {
		const struct wf_permit *wp = &a->wf.permits[i];
		const struct catalog_permit *p = catalog_permit_find(cat, wp->code);
		struct inspection_item list[CHECKLIST_MAX];
		size_t n = 0;

		if (p == NULL || !p->inspection || strcmp(wp->department, department) != 0)
			continue;
		catalog_checklist_items(p, list, &n, CHECKLIST_MAX);
		for (size_t k = 0; k < n; k++)
			json_array_append_new(items,
					      json_pack("{s:s,s:s,s:s}", "id", list[k].id, "text",
							list[k].text, "permit", list[k].permit));
	}
	text = json_dumps(items, JSON_COMPACT);
	json_decref(items);
	if (text == NULL)
		abort();
	return text;
}

/* Writes the record: the inspectors and a section per inspected department. */
static int schedule_hook(struct req *r, struct store_conn *c, struct store_app *a,
			 const struct wf_effects *fx, void *ctx, struct yerr *e)
{
	struct schedule_ctx *s = ctx;
	struct store_section sections[WF_MAX_DEPTS];
	struct app_notice n;
	size_t ns = 0;
	int64_t id = 0;
	int rc;

	memset(sections, 0, sizeof(sections));
	/* The checklist comes from the catalog version the application froze,
	 * and is frozen again into the record: what the inspectors answer does
	 * not move with a later catalog. */
	if (app_notice_open(r, c, a, &n, e) < 0) {
		app_notice_close(r, &n);
		return -1;
	}
	for (size_t i = 0; i < a->wf.ndepts; i++) {
		if (a->wf.depts[i].inspect == WF_INSPECT_NONE)
			continue;
		snprintf(sections[ns].department, sizeof(sections[ns].department), "%s",
			 a->wf.depts[i].code);
		sections[ns].items = dept_checklist(n.cat, a, a->wf.depts[i].code);
		ns++;
	}
	app_notice_close(r, &n);
	rc = store_inspection_create(c, req_district(r), a->id, a->review_round, fx->inspection_day,
				     r->who.id, s->inspectors, s->n, sections, ns, app_now(r->app),
				     &id, e);
	for (size_t i = 0; i < ns; i++)
		free(sections[i].items);
	return rc;
}

void h_inspection_schedule(struct req *r)
{
	static const char *const keys[] = {"at", "inspectors", NULL};
	struct schedule_ctx *s;
	struct wf_request rq;
	const char *at = NULL;
	const json_t *ids;
	char *detail;
	size_t i;
	json_t *v, *packed;

	if (req_body_keys(r, keys) < 0 || req_text(r, "at", 0, 32, &at) < 0)
		return;
	ids = json_object_get(r->json, "inspectors");
	if (!json_is_array(ids) || json_array_size(ids) == 0)
		return reply_error(r, 400, "inspectors_required", "inspectors",
				   "请列出参加联合核查的检查人员（用户编号数组）");
	if (json_array_size(ids) > WF_MAX_LIST)
		return reply_error(r, 400, "invalid_input", "inspectors", "检查人员最多 %d 名",
				   WF_MAX_LIST);
	json_array_foreach (ids, i, v) {
		if (!json_is_integer(v) || json_integer_value(v) <= 0) {
			char path[64];

			snprintf(path, sizeof(path), "inspectors[%zu]", i);
			return reply_error(r, 400, "invalid_inspector", path,
					   "检查人员须为用户编号（正整数）");
		}
	}
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		abort();
	if (schedule_precheck(r, ids, at, s) < 0) {
		free(s);
		return;
	}
	rq = (struct wf_request){.action = WF_SCHEDULE_INSPECTION,
				 .at = at,
				 .inspector_departments = s->depts,
				 .ninspectors = s->n};
	packed = json_pack("{s:s?,s:O}", "at", at, "inspectors", ids);
	detail = json_dumps(packed, JSON_COMPACT);
	json_decref(packed);
	app_transition(r, &rq, detail, schedule_hook, s);
	free(detail);
	free(s);
}

/* ----------------------------------------------------------------- result */

struct result_ctx {
	const char *department, *result, *findings;
	const json_t *items;
};

/* Photos of an item: material ids uploaded for the application. */
static int check_photos(const json_t *photos, size_t item, char **ids, size_t nids, struct yerr *e)
{
	char path[64];
	size_t i;
	json_t *v;

	if (photos == NULL || json_is_null(photos))
		return 0;
	snprintf(path, sizeof(path), "items[%zu].photos", item);
	if (!json_is_array(photos) || json_array_size(photos) > PHOTOS_MAX)
		return yerr_set(e, 400, "invalid_photos", path,
				"照片须为已上传材料的编号数组，最多 %d 张", PHOTOS_MAX);
	json_array_foreach (photos, i, v) {
		bool found = false;

		for (size_t k = 0; json_is_string(v) && k < nids && !found; k++)
			found = strcmp(ids[k], json_string_value(v)) == 0;
		if (!found) {
			snprintf(path, sizeof(path), "items[%zu].photos[%zu]", item, i);
			return yerr_set(e, 400, "unknown_photo", path,
					"照片 %s 不是本申请已上传的材料",
					json_is_string(v) ? json_string_value(v) : "?");
		}
	}
	return 0;
}

/* The answered section as stored: each checklist item with its text, permit,
 * result, note and photos, in the checklist's order. */
static char *answered_items(const json_t *checklist, const json_t *answers)
{
	json_t *out = json_array(), *c, *a;
	size_t i, k;
	char *text;

	json_array_foreach (checklist, i, c) {
		const char *id = json_string_value(json_object_get(c, "id"));
		json_t *row = json_deep_copy(c);

		json_array_foreach (answers, k, a) {
			const char *aid = json_string_value(json_object_get(a, "id"));

			if (aid == NULL || id == NULL || strcmp(aid, id) != 0)
				continue;
			json_object_set(row, "result", json_object_get(a, "result"));
			if (json_is_string(json_object_get(a, "note")))
				json_object_set(row, "note", json_object_get(a, "note"));
			if (json_is_array(json_object_get(a, "photos")))
				json_object_set(row, "photos", json_object_get(a, "photos"));
		}
		json_array_append_new(out, row);
	}
	text = json_dumps(out, JSON_COMPACT);
	json_decref(out);
	if (text == NULL)
		abort();
	return text;
}

/* Checks the answers against the section's frozen checklist and writes them. */
static int result_hook(struct req *r, struct store_conn *c, struct store_app *a,
		       const struct wf_effects *fx, void *ctx, struct yerr *e)
{
	struct result_ctx *x = ctx;
	struct store_inspection in;
	struct store_section *sec = NULL;
	struct inspection_item list[CHECKLIST_MAX * WF_MAX_PERMITS / 4];
	json_t *checklist = NULL, *it;
	char **ids = NULL, *stored = NULL;
	size_t nids = 0, n = 0, i;
	int due = -1, rc;

	(void)fx;
	rc = store_inspection_get(c, req_district(r), a->id, a->review_round, &in, e);
	if (rc < 0)
		return rc;
	for (i = 0; i < in.nsections; i++)
		if (strcmp(in.sections[i].department, x->department) == 0)
			sec = &in.sections[i];
	if (sec == NULL) {
		store_inspection_free(&in);
		return yerr_set(e, 404, "unknown_department", "department",
				"本次核查记录中没有部门 %s 的部分", x->department);
	}
	checklist = json_loads(sec->items ? sec->items : "[]", 0, NULL);
	json_array_foreach (checklist, i, it) {
		if (n == sizeof(list) / sizeof(list[0]))
			break;
		list[n].id = json_string_value(json_object_get(it, "id"));
		list[n].text = json_string_value(json_object_get(it, "text"));
		list[n].permit = json_string_value(json_object_get(it, "permit"));
		if (list[n].id && list[n].text)
			n++;
	}
	rc = inspection_section_check(list, n, x->items, x->result, x->findings, e);
	if (rc == 0)
		rc = store_app_material_ids(c, req_district(r), a->id, &ids, &nids, e);
	json_array_foreach (rc == 0 ? x->items : NULL, i, it)
		if ((rc = check_photos(json_object_get(it, "photos"), i, ids, nids, e)) != 0)
			break;
	if (rc == 0) {
		for (i = 0; i < a->wf.ndepts; i++) {
			if (strcmp(a->wf.depts[i].code, x->department) != 0)
				continue;
			if (a->wf.depts[i].inspect == WF_INSPECT_RECTIFY)
				due = a->wf.depts[i].rectify_due;
			/* A failed inspection is the department's rejection: its
			 * reason is the findings. */
			if (a->wf.depts[i].inspect == WF_INSPECT_FAIL)
				review_record(a, x->department, x->findings, r->who.id,
					      app_now(r->app));
		}
		stored = answered_items(checklist, x->items);
		rc = store_inspection_section_set(c, req_district(r), in.id, x->department,
						  x->result, x->findings, stored, due, r->who.id,
						  app_now(r->app), e);
	}
	free(stored);
	store_strings_free(ids, nids);
	json_decref(checklist);
	store_inspection_free(&in);
	return rc;
}

void h_inspection_result(struct req *r)
{
	static const char *const keys[] = {"result", "findings", "deadline", "items", NULL};
	struct wf_request rq;
	struct result_ctx x = {0};
	const char *result = NULL, *findings = NULL, *deadline = NULL;
	json_t *detail;
	char *text;

	if (req_body_keys(r, keys) < 0 || req_text(r, "result", 0, 16, &result) < 0 ||
	    req_text(r, "findings", ARG_MULTILINE, FINDINGS_MAX, &findings) < 0 ||
	    req_text(r, "deadline", 0, 32, &deadline) < 0)
		return;
	x = (struct result_ctx){.department = req_param(r, "department"),
				.result = result,
				.findings = findings,
				.items = json_object_get(r->json, "items")};
	if (x.items == NULL)
		x.items = json_array(); /* refused unless the checklist is empty */
	else
		json_incref((json_t *)x.items);
	rq = (struct wf_request){.action = WF_INSPECTION_RESULT,
				 .department = x.department,
				 .result = result,
				 .reason = findings,
				 .deadline = deadline};
	detail = json_pack("{s:s?,s:s?,s:s?}", "result", result, "department", x.department,
			   "deadline", deadline);
	text = json_dumps(detail, JSON_COMPACT);
	json_decref(detail);
	app_transition(r, &rq, text, result_hook, &x);
	free(text);
	json_decref((json_t *)x.items);
}

/* ------------------------------------------------------------------- read */

static json_t *inspection_json(const struct store_inspection *in)
{
	json_t *insp = json_array(), *secs = json_array();
	char at[16];

	for (size_t i = 0; i < in->ninspectors; i++)
		json_array_append_new(insp, json_pack("{s:I,s:s,s:s}", "user_id",
						      (json_int_t)in->inspectors[i].user_id,
						      "department", in->inspectors[i].department,
						      "name", in->inspectors[i].name));
	for (size_t i = 0; i < in->nsections; i++) {
		const struct store_section *s = &in->sections[i];
		json_t *items = json_loads(s->items ? s->items : "[]", 0, NULL);
		char due[16];

		store_day_text(s->rectify_due, due);
		json_array_append_new(
		    secs, json_pack("{s:s,s:s?,s:s?,s:o,s:s?,s:o}", "department", s->department,
				    "result", s->result[0] ? s->result : NULL, "findings",
				    s->findings, "items", items ? items : json_array(),
				    "rectify_due", due[0] ? due : NULL, "inspector_id",
				    s->inspector_id ? json_integer(s->inspector_id) : json_null()));
	}
	store_day_text(in->at_day, at);
	return json_pack("{s:I,s:i,s:s,s:I,s:o,s:o}", "id", (json_int_t)in->id, "round", in->round,
			 "at", at, "scheduled_by", (json_int_t)in->scheduled_by, "inspectors", insp,
			 "sections", secs);
}

/* GET …/inspection: the record of the current round, for whoever may see
 * the application (app_visible; anyone else: 404 like a missing one). */
void h_inspection_get(struct req *r)
{
	struct store_inspection in;
	struct store_app a;
	struct store_conn *c;
	struct yerr e = {0};
	int64_t id;
	int rc;

	memset(&in, 0, sizeof(in));
	if (req_acquire(r, &c) < 0)
		return;
	if (app_load(r, c, false, &id, &a) < 0) {
		store_release(c);
		return;
	}
	rc = store_inspection_get(c, req_district(r), id, a.review_round, &in, &e);
	store_release(c);
	store_app_free(&a);
	if (rc < 0)
		return reply_yerr(r, &e);
	reply_json(r, 200, json_pack("{s:o}", "inspection", inspection_json(&in)));
	store_inspection_free(&in);
}

/* GET …/inspectors: the candidates of the joint appointment, per department
 * needing an inspection in the current round. */
void h_inspection_candidates(struct req *r)
{
	struct store_app a;
	struct store_conn *c;
	struct yerr e = {0};
	json_t *depts = json_array();
	int64_t id;
	int rc = 0;

	if (req_acquire(r, &c) < 0) {
		json_decref(depts);
		return;
	}
	if (app_load(r, c, false, &id, &a) < 0) {
		store_release(c);
		json_decref(depts);
		return;
	}
	for (size_t i = 0; rc == 0 && i < a.wf.ndepts; i++) {
		struct store_inspector *list = NULL;
		json_t *people = json_array();
		size_t n = 0;

		if (a.wf.depts[i].inspect == WF_INSPECT_NONE) {
			json_decref(people);
			continue;
		}
		rc = store_inspectors_of(c, req_district(r), a.wf.depts[i].code, &list, &n, &e);
		for (size_t k = 0; rc == 0 && k < n; k++)
			json_array_append_new(people, json_pack("{s:I,s:s}", "user_id",
								(json_int_t)list[k].user_id, "name",
								list[k].name));
		free(list);
		json_array_append_new(depts, json_pack("{s:s,s:o}", "department",
						       a.wf.depts[i].code, "inspectors", people));
	}
	store_release(c);
	store_app_free(&a);
	if (rc < 0) {
		json_decref(depts);
		return reply_yerr(r, &e);
	}
	reply_json(r, 200, json_pack("{s:o}", "departments", depts));
}
