/*
 * h_applications.c — applications (docs/api-applications.md), and what
 * every application handler shares (applications.h):
 *   POST  /api/v1/applications                    from a completed guide
 *   GET   /api/v1/applications?status=&limit=&offset=
 *   GET   /api/v1/applications/{id}               with timeline, holder, due date
 *   PATCH /api/v1/applications/{id}               the one form (draft saves)
 *   POST  /api/v1/applications/{id}/precheck      审前服务: everything missing at once
 *   POST  /api/v1/applications/{id}/commitments   告知承诺
 * The transitions (submit, accept, …), tasks and notifications are in
 * h_app_flow.c; what they share in app_common.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/catalog_check.h"
#include "core/date.h"
#include "core/form.h"
#include "http/app_life.h"
#include "http/applications.h"
#include "store/store_account.h"

/* POST /api/v1/applications ------------------------------------------------------- */

/* Who the application is for: the caller, or for a window clerk's walk-in
 * entry the named applicant account or market entity. */
static int resolve_applicant(struct req *r, struct store_conn *c, int64_t *applicant,
			     int64_t *entity, bool *walk_in)
{
	const char *username = NULL, *uscc = NULL;
	struct store_user u;
	struct yerr e = {0};

	*walk_in = false;
	if (req_text(r, "applicant", 0, USERNAME_MAX, &username) < 0 ||
	    req_text(r, "entity", 0, 18, &uscc) < 0)
		return -1;
	if (r->who.roles & ROLE_BIT(ROLE_APPLICANT)) {
		if (username || uscc) {
			reply_error(r, 400, "unknown_field", username ? "applicant" : "entity",
				    "只有窗口人员代为录入时才能指定申请人");
			return -1;
		}
		*applicant = r->who.id;
		*entity = r->who.entity_id;
		return 0;
	}
	if (!username && !uscc) {
		reply_error(
		    r, 400, "applicant_required", "applicant",
		    "窗口代为录入须指定申请人账号（applicant）或统一社会信用代码（entity）");
		return -1;
	}
	if (username && store_user_get_by_name(c, username, &u, &e) < 0) {
		if (e.status != 404)
			return reply_yerr(r, &e), -1;
		reply_error(r, 400, "unknown_applicant", "applicant", "申请人账号 %s 不存在",
			    username);
		return -1;
	}
	if (!username && store_app_applicant_by_uscc(c, req_district(r), uscc, &u.id, &e) < 0) {
		if (e.status != 404)
			return reply_yerr(r, &e), -1;
		reply_error(r, 400, "unknown_entity", "entity",
			    "统一社会信用代码 %s 没有对应的申请人账号", uscc);
		return -1;
	}
	/* by id in this district: an account of another district is unknown here */
	if (store_user_get(c, req_district(r), u.id, &u, &e) < 0) {
		if (e.status != 404)
			return reply_yerr(r, &e), -1;
		reply_error(r, 400, "unknown_applicant", "applicant", "申请人账号不存在");
		return -1;
	}
	if (!(u.roles & ROLE_BIT(ROLE_APPLICANT)) || u.disabled) {
		reply_error(r, 400, "unknown_applicant", "applicant",
			    "账号 %s 不是可用的申请人账号", u.username);
		return -1;
	}
	*applicant = u.id;
	*entity = u.entity_id;
	*walk_in = true;
	return 0;
}

/* The stored notice of the same district, catalog version, industry and
 * answers, looked up before the guide runs (store_app_notice_key): most
 * applications repeat a notice already stored, which is then neither built
 * nor printed again. */
struct notice_hint {
	long version;                    /* the catalog version it was looked up for */
	char *answers;                   /* the request's answers as hashed */
	char key[STORE_NOTICE_KEY_SIZE]; /* store_app_notice_key of them */
	char *stored;                    /* its text, NULL when not stored yet */
};

static int notice_hint_find(struct req *r, struct store_conn *c, const char *industry,
			    const json_t *answers, struct notice_hint *h, struct yerr *e)
{
	memset(h, 0, sizeof(*h));
	pthread_rwlock_rdlock(&r->app->catalog_lock);
	h->version = r->app->catalog ? r->app->catalog_version : -1;
	pthread_rwlock_unlock(&r->app->catalog_lock);
	h->answers = answers ? json_dumps(answers, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY)
			     : strdup("null");
	if (h->answers == NULL)
		abort();
	store_app_notice_key(req_district(r), h->version, industry, h->answers, h->key);
	return h->version < 0 ? 0 : store_app_notice_get(c, req_district(r), h->key, &h->stored, e);
}

/* The draft from the guide: notice, workflow state, pre-filled form.
 * Holds the catalog lock only while it runs. */
static int draft_from_guide(struct req *r, const char *industry, const json_t *answers,
			    const char *entity_src, const char *latest_src,
			    const struct notice_hint *hint, struct store_app *a)
{
	const struct catalog_industry *ind;
	const json_t *sources[2];
	struct guide_result g;
	struct yerr e = {0};
	json_t *notice, *form, *prefilled;
	size_t nsrc = 0;
	long version;

	if (entity_src && (sources[nsrc] = json_loads(entity_src, 0, NULL)))
		nsrc++;
	if (latest_src && (sources[nsrc] = json_loads(latest_src, 0, NULL)))
		nsrc++;
	pthread_rwlock_rdlock(&r->app->catalog_lock);
	if (r->app->catalog == NULL) {
		pthread_rwlock_unlock(&r->app->catalog_lock);
		yerr_set(&e, 503, "catalog_unavailable", NULL, "行业目录尚未导入或未启用任何版本");
		goto fail;
	}
	version = r->app->catalog_version;
	ind = catalog_industry_find(r->app->catalog, industry);
	if (ind != NULL && !catalog_status_offered(ind->status)) {
		/* 成熟一批、实施一批: as the guide, only industries in force or
		 * piloting take applications */
		const char *label = catalog_status_label(ind->status);

		yerr_set(&e, 409, "industry_not_offered", "industry",
			 "“%s”在本区的状态为“%s”，暂不提供导办和申请", ind->name,
			 label ? label : "未标注");
		pthread_rwlock_unlock(&r->app->catalog_lock);
		goto fail;
	}
	if (guide_run(r->app->catalog, industry, answers, &g, &e) < 0) {
		pthread_rwlock_unlock(&r->app->catalog_lock);
		goto fail;
	}
	if (!g.complete) {
		char field[96];

		snprintf(field, sizeof(field), "answers.%s", g.next_questions[0]->id);
		yerr_set(&e, 400, "incomplete_guide", field, "请先回答导办问题：%s（%s）",
			 g.next_questions[0]->text, g.next_questions[0]->id);
	} else if (workflow_init(&a->wf, &g, NULL, 0, NULL, 0, APP_VERIFY_DAYS_DEFAULT,
				 APP_ACCEPTANCE_DAYS, &e) == 0) {
		form = json_object();
		prefilled = json_array();
		form_prefill(g.fields, g.nfields, form, sources, nsrc, app_today(r), prefilled);
		if (hint->stored && hint->version == version) {
			a->notice = strdup(hint->stored);
			a->notice_stored = true;
			snprintf(a->notice_key, sizeof(a->notice_key), "%s", hint->key);
		} else {
			notice = guide_result_to_json(&g, version);
			a->notice = json_dumps(notice, JSON_COMPACT);
			json_decref(notice);
			/* activated meanwhile: the key names the version used */
			store_app_notice_key(req_district(r), version, industry, hint->answers,
					     a->notice_key);
		}
		if (a->notice == NULL)
			abort();
		a->answers = json_dumps(g.answers, JSON_COMPACT);
		a->form = json_dumps(form, JSON_COMPACT);
		a->prefilled = json_dumps(prefilled, JSON_COMPACT);
		a->commitments = strdup("[]");
		a->catalog_version = version;
		a->time_limit_days = g.time_limit_days;
		snprintf(a->industry, sizeof(a->industry), "%s", g.industry->code);
		json_decref(form);
		json_decref(prefilled);
		e.status = 0;
	}
	guide_result_free(&g);
	pthread_rwlock_unlock(&r->app->catalog_lock);
	if (e.status == 0) {
		for (size_t i = 0; i < nsrc; i++)
			json_decref((json_t *)sources[i]);
		return 0;
	}
fail:
	for (size_t i = 0; i < nsrc; i++)
		json_decref((json_t *)sources[i]);
	reply_yerr(r, &e);
	return -1;
}

void h_application_create(struct req *r)
{
	static const char *const keys[] = {"industry", "answers", "applicant",
					   "entity",   "kind",    NULL};
	const char *industry;
	char *entity_src = NULL, *latest_src = NULL, detail[96] = "";
	json_t *answers = json_object_get(r->json, "answers");
	struct notice_hint hint = {0};
	struct store_app a;
	struct store_conn *c;
	struct yerr e = {0};
	int64_t now = app_now(r->app);
	int rc, month, mday;

	memset(&a, 0, sizeof(a));
	/* change / extend / cancel / reissue of a license: h_app_life.c */
	if (app_life_requested(r))
		return h_application_life_create(r);
	if (req_body_keys(r, keys) < 0 ||
	    req_text(r, "industry", ARG_REQUIRED, APP_INDUSTRY_MAX - 1, &industry) < 0)
		return;
	if (json_is_null(answers))
		answers = NULL;
	if (req_acquire(r, &c) < 0)
		return;
	if (resolve_applicant(r, c, &a.applicant_id, &a.entity_id, &a.walk_in) < 0 ||
	    store_app_prefill_sources(c, req_district(r), a.applicant_id, 0, &entity_src,
				      &latest_src, &e) < 0 ||
	    notice_hint_find(r, c, industry, answers, &hint, &e) < 0) {
		store_release(c);
		free(entity_src);
		free(latest_src);
		free(hint.answers);
		free(hint.stored);
		if (!r->replied)
			reply_yerr(r, &e);
		return;
	}
	rc = draft_from_guide(r, industry, answers, entity_src, latest_src, &hint, &a);
	free(entity_src);
	free(latest_src);
	free(hint.answers);
	free(hint.stored);
	if (rc < 0) {
		store_release(c);
		store_app_free(&a);
		return;
	}
	a.created_by = r->who.id;
	a.wf.status = APP_DRAFT;
	date_to_ymd(app_today(r), &a.year, &month, &mday);
	rc = store_begin(c, &e);
	if (rc == 0)
		rc = store_app_insert(c, req_district(r), &a, now, &e);
	if (rc == 0) {
		struct store_app_event ev = {.action = "create",
					     .from = APP_DRAFT,
					     .to = APP_DRAFT,
					     .actor_id = r->who.id,
					     .actor_name = r->who.name,
					     .actor_role = a.walk_in ? "window_clerk" : "applicant",
					     .detail = a.walk_in ? "{\"walk_in\":true}" : NULL};

		rc = store_app_history_add(c, req_district(r), a.id, &ev, now, &e);
	}
	if (rc == 0) {
		snprintf(r->audit_object, sizeof(r->audit_object), "application:%lld",
			 (long long)a.id);
		snprintf(detail, sizeof(detail), "{\"number\":\"%s\",\"walk_in\":%s}", a.number,
			 a.walk_in ? "true" : "false");
	}
	app_finish(r, c, &a, rc, detail, 201, &e);
}

/* GET /api/v1/applications ---------------------------------------------------------- */

static json_t *summary_item(const void *p)
{
	const struct store_app_summary *s = p;
	int st = workflow_status_parse(s->status);
	json_t *o;

	o = json_pack("{s:I,s:s,s:s,s:s?,s:s,s:I,s:I,s:s,s:b,s:o,s:s,s:I,s:o,s:I}", "id",
		      (json_int_t)s->id, "number", s->number, "status", s->status, "status_label",
		      st >= 0 ? workflow_status_label((enum app_status)st) : NULL, "industry",
		      s->industry, "version", (json_int_t)s->version, "applicant_id",
		      (json_int_t)s->applicant_id, "applicant_name", s->applicant_name, "walk_in",
		      s->walk_in, "due_date", app_day_json(s->due_day), "holder", s->holder,
		      "created_at", (json_int_t)s->created_at, "submitted_at",
		      app_time_json(s->submitted_at), "updated_at", (json_int_t)s->updated_at);
	/* lic-life: what the application is for (the issuer's queue tells a
	 * cancellation, which issues nothing, from the rest) */
	json_object_set_new(o, "kind", json_string(s->kind[0] ? s->kind : "new"));
	json_object_set_new(o, "license",
			    s->license_number[0] ? json_string(s->license_number) : json_null());
	return o;
}

void h_applications_list(struct req *r)
{
	const char *status = req_query(r, "status");
	struct store_app_filter f = {.viewer_id = r->who.id, .status = status};
	struct store_app_summary *items = NULL;
	const struct principal *p = &r->who;
	struct store_conn *c;
	struct req_page page;
	struct yerr e = {0};
	int64_t total = 0;
	size_t n = 0;
	int rc;

	if (req_paging(r, REQ_PAGE_DEFAULT, REQ_PAGE_MAX, &page) < 0)
		return;
	if (status && workflow_status_parse(status) < 0)
		return reply_error(r, 400, "invalid_status", "status", "未知的申请状态 %.32s",
				   status);
	if (p->kind == PRINCIPAL_TOKEN)
		; /* a read token: the whole district */
	else if (p->roles & ROLE_BIT(ROLE_APPLICANT))
		f.applicant_id = p->id;
	else if (p->roles & ROLE_BIT(ROLE_WINDOW_CLERK))
		f.window = true;
	else if ((p->roles & ROLE_BIT(ROLE_ISSUER)) && status &&
		 (strcmp(status, "approved") == 0 || strcmp(status, "licensed") == 0))
		; /* lic-core: the issuer's queue, every approved application of the district */
	else
		f.department = p->department;
	if (req_acquire(r, &c) < 0)
		return;
	rc =
	    store_app_list(c, req_district(r), &f, page.limit, page.offset, &items, &n, &total, &e);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	reply_json(r, 200, req_list(items, n, sizeof(*items), summary_item, total, &page));
	free(items);
}

/* Department staff who are neither the window nor the applicant see only
 * what their permits use (workflow_department_view). */
static bool department_only(const struct req *r)
{
	const unsigned wide = ROLE_BIT(ROLE_APPLICANT) | ROLE_BIT(ROLE_WINDOW_CLERK);

	return r->who.kind != PRINCIPAL_TOKEN && !(r->who.roles & wide);
}

/* department_filter removes from o's form, notice fields, notice materials
 * and uploaded materials what the caller's department may not see. */
static int department_filter(struct req *r, struct store_conn *c, const struct store_app *a,
			     json_t *o, struct yerr *e)
{
	json_t *form = json_object_get(o, "form"), *notice = json_object_get(o, "notice");
	json_t *fields = json_array(), *mats = json_array(), *uploaded = json_array(), *v;
	bool *vm, *vf;
	struct app_notice n;
	size_t i;

	if (app_notice_open(r, c, a, &n, e) < 0) {
		app_notice_close(r, &n);
		json_decref(fields);
		json_decref(mats);
		json_decref(uploaded);
		return -1;
	}
	vm = calloc(n.g.nmaterials + 1, sizeof(*vm));
	vf = calloc(n.g.nfields + 1, sizeof(*vf));
	if (vm == NULL || vf == NULL)
		abort();
	workflow_department_view(&n.g, r->who.department, vm, vf);
	for (i = 0; i < n.g.nfields; i++) {
		if (vf[i])
			json_array_append_new(fields, json_deep_copy(n.g.fields[i]->json));
		else
			json_object_del(form, n.g.fields[i]->id);
	}
	json_array_foreach (json_object_get(notice, "materials"), i, v)
		if (i < n.g.nmaterials && vm[i])
			json_array_append(mats, v);
	json_array_foreach (json_object_get(o, "materials"), i, v)
		for (size_t k = 0; k < n.g.nmaterials; k++)
			if (vm[k] &&
			    strcmp(n.g.materials[k].material->id, json_string_value(v)) == 0)
				json_array_append(uploaded, v);
	json_object_set_new(notice, "fields", fields);
	json_object_set_new(notice, "materials", mats);
	json_object_set_new(o, "materials", uploaded);
	json_object_set_new(o, "department_view", json_string(r->who.department));
	free(vm);
	free(vf);
	app_notice_close(r, &n);
	return 0;
}

void h_application_get(struct req *r)
{
	struct store_app a;
	struct store_conn *c;
	struct yerr e = {0};
	int64_t id;
	json_t *o;

	if (req_acquire(r, &c) < 0)
		return;
	if (app_load(r, c, false, &id, &a) < 0) {
		store_release(c);
		return;
	}
	o = app_json(r, c, &a, true);
	if (department_only(r) && department_filter(r, c, &a, o, &e) < 0) {
		json_decref(o);
		store_release(c);
		store_app_free(&a);
		return reply_yerr(r, &e);
	}
	reply_json(r, 200, json_pack("{s:o}", "application", o));
	store_release(c);
	store_app_free(&a);
}

/* PATCH /api/v1/applications/{id} ----------------------------------------------------- */

/* The workflow's verdict on an edit-like action (state, role, ownership). */
static int check_action(struct req *r, const struct store_app *a, enum wf_action action)
{
	struct wf_request req = {.action = action, .today = app_today(r)};
	struct wf_effects fx;
	struct wf_actor actor;
	struct wf_app next;
	struct yerr e = {0};

	app_actor(r, a, &actor);
	if (workflow_apply(&a->wf, &actor, &req, &next, &fx, &e) < 0) {
		app_reply_err(r, &e, a);
		return -1;
	}
	return 0;
}

/* The window clerk re-runs the precheck on a submitted application before
 * accepting it: the same completeness check the submission passed, as a
 * live fact beside the materials (a read; the workflow's precheck is for
 * the states in which the form can still change). */
static bool window_check(const struct req *r, const struct store_app *a, enum wf_action action)
{
	return action == WF_PRECHECK && a->wf.status == APP_SUBMITTED &&
	       r->who.kind != PRINCIPAL_TOKEN && (r->who.roles & ROLE_BIT(ROLE_WINDOW_CLERK));
}

/* open_for reads the application of the path for `action` on a connection
 * it acquires: loaded, the action allowed in its state for this caller, and
 * its frozen notice opened. On any refusal it has answered and released
 * everything (-1); on success the caller owns *c, *a and *n. */
static int open_for(struct req *r, enum wf_action action, struct store_conn **c, int64_t *id,
		    struct store_app *a, struct app_notice *n)
{
	struct yerr e = {0};

	if (req_acquire(r, c) < 0)
		return -1;
	if (app_load(r, *c, false, id, a) < 0 ||
	    (!window_check(r, a, action) && check_action(r, a, action) < 0)) {
		store_release(*c);
		store_app_free(a);
		return -1;
	}
	if (app_notice_open(r, *c, a, n, &e) < 0) {
		app_notice_close(r, n);
		store_release(*c);
		store_app_free(a);
		reply_yerr(r, &e);
		return -1;
	}
	return 0;
}

/* merge_form puts patch into form: a null or blank value clears a field; a
 * field the applicant touches is no longer marked pre-filled. */
static void merge_form(json_t *form, json_t *prefilled, const json_t *patch)
{
	const char *k;
	json_t *v;

	json_object_foreach ((json_t *)patch, k, v) {
		size_t i;
		json_t *p;

		if (json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0))
			json_object_del(form, k);
		else
			json_object_set(form, k, v);
		json_array_foreach (prefilled, i, p)
			if (json_is_string(p) && strcmp(json_string_value(p), k) == 0) {
				json_array_remove(prefilled, i);
				break;
			}
	}
}

void h_application_update(struct req *r)
{
	static const char *const keys[] = {"form", "version", NULL};
	json_t *patch = json_object_get(r->json, "form");
	json_t *ver = json_object_get(r->json, "version");
	struct app_notice n;
	struct store_app a;
	struct store_conn *c;
	struct yerr e = {0};
	json_t *form, *prefilled;
	int64_t id, version;
	int rc;

	if (req_body_keys(r, keys) < 0)
		return;
	if (!json_is_integer(ver))
		return reply_error(r, 400, "version_required", "version",
				   "请提供所依据的申请版本号（version）");
	if (!json_is_object(patch))
		return reply_error(r, 400, "invalid_form", "form",
				   "form 应为 {字段编号: 值} 形式的对象");
	version = json_integer_value(ver);
	/* The notice is frozen: validate against it before taking any lock. */
	if (open_for(r, WF_EDIT, &c, &id, &a, &n) < 0)
		return;
	rc = form_validate(n.g.fields, n.g.nfields, patch, app_today(r), NULL, &e);
	app_notice_close(r, &n);
	store_app_free(&a);
	if (rc < 0) {
		store_release(c);
		return reply_yerr(r, &e);
	}
	rc = store_begin(c, &e);
	if (rc == 0)
		rc = store_app_get(c, req_district(r), id, true, &a, &e);
	if (rc == 0 && a.version != version)
		rc = yerr_set(&e, 409, "stale_version", "version",
			      "申请已被他人修改（当前版本 %lld），请刷新后重试",
			      (long long)a.version);
	if (rc == 0) {
		form = app_text_json(a.form, "{}");
		prefilled = app_text_json(a.prefilled, "[]");
		merge_form(form, prefilled, patch);
		free(a.form);
		free(a.prefilled);
		a.form = json_dumps(form, JSON_COMPACT);
		a.prefilled = json_dumps(prefilled, JSON_COMPACT);
		json_decref(form);
		json_decref(prefilled);
		rc = store_app_update(c, req_district(r), &a, version, app_now(r->app), &e);
	}
	app_finish(r, c, &a, rc, NULL, 200, &e);
}

/* POST …/precheck ----------------------------------------------------------------------- */

void h_application_precheck(struct req *r)
{
	struct form_report rep = {0};
	struct app_notice n;
	struct store_app a;
	struct store_conn *c;
	struct yerr e = {0};
	char **ids = NULL;
	size_t nids = 0;
	json_t *form, *out;
	const struct catalog_material **mats;
	size_t required = 0, nfields;
	int64_t id;

	if (open_for(r, WF_PRECHECK, &c, &id, &a, &n) < 0)
		return;
	if (store_app_material_ids(c, req_district(r), id, &ids, &nids, &e) < 0) {
		app_notice_close(r, &n);
		store_release(c);
		store_app_free(&a);
		return reply_yerr(r, &e);
	}
	store_release(c);
	mats = calloc(n.g.nmaterials ? n.g.nmaterials : 1, sizeof(*mats));
	if (mats == NULL)
		abort();
	for (size_t i = 0; i < n.g.nmaterials; i++)
		mats[i] = n.g.materials[i].material;
	form = app_text_json(a.form, "{}");
	form_precheck(n.g.fields, n.g.nfields, form, mats, n.g.nmaterials, (const char *const *)ids,
		      nids, app_today(r), &rep);
	for (size_t i = 0; i < n.g.nmaterials; i++)
		required += !n.g.materials[i].material->exempt;
	nfields = n.g.nfields;
	out = form_report_to_json(&rep);
	form_report_free(&rep);
	json_decref(form);
	free(mats);
	app_notice_close(r, &n);
	store_strings_free(ids, nids);
	if (out == NULL)
		abort();
	/* what was checked, so "complete" reads as N fields and M materials */
	json_object_set_new(out, "checked",
			    json_pack("{s:I,s:I,s:I}", "fields", (json_int_t)nfields, "materials",
				      (json_int_t)required, "uploaded", (json_int_t)nids));
	json_object_set_new(out, "application_id", json_integer(id));
	json_object_set_new(out, "status", json_string(workflow_status_name(a.wf.status)));
	store_app_free(&a);
	reply_json(r, 200, json_pack("{s:o}", "precheck", out));
}

/* POST …/commitments -------------------------------------------------------------------- */

void h_application_commitments(struct req *r)
{
	static const char *const keys[] = {"commitments", "version", NULL};
	json_t *list = json_object_get(r->json, "commitments");
	const char *ids[256];
	struct app_notice n;
	struct store_app a;
	struct wf_app init;
	struct store_conn *c;
	struct yerr e = {0};
	size_t nids = 0, i;
	int64_t id;
	json_t *v;
	int rc;

	if (req_body_keys(r, keys) < 0)
		return;
	if (!json_is_array(list))
		return reply_error(r, 400, "invalid_commitments", "commitments",
				   "commitments 应为承诺条件编号的数组");
	if (json_array_size(list) > sizeof(ids) / sizeof(ids[0]))
		return reply_error(r, 400, "invalid_input", "commitments", "承诺条件过多");
	json_array_foreach (list, i, v) {
		if (!json_is_string(v)) {
			char field[48];

			snprintf(field, sizeof(field), "commitments[%zu]", i);
			return reply_error(r, 400, "invalid_commitment", field,
					   "承诺条件编号应为字符串");
		}
		ids[nids++] = json_string_value(v);
	}
	if (open_for(r, WF_EDIT, &c, &id, &a, &n) < 0)
		return;
	/* lic-life: a lifecycle application's workflow is its change's, not the notice's */
	if (app_life_kind(r, c, &a) != LIFE_NEW) {
		app_notice_close(r, &n);
		store_release(c);
		store_app_free(&a);
		return reply_error(r, 409, "invalid_kind", "commitments",
				   "变更、延续、注销、补办申请不适用告知承诺");
	}
	memset(&init, 0, sizeof(init));
	rc = workflow_init(&init, &n.g, ids, nids, NULL, 0, APP_VERIFY_DAYS_DEFAULT,
			   APP_ACCEPTANCE_DAYS, &e);
	app_notice_close(r, &n);
	store_app_free(&a);
	if (rc < 0) {
		store_release(c);
		return reply_yerr(r, &e);
	}
	rc = store_begin(c, &e);
	if (rc == 0)
		rc = store_app_get(c, req_district(r), id, true, &a, &e);
	if (rc == 0 && json_is_integer(json_object_get(r->json, "version")) &&
	    json_integer_value(json_object_get(r->json, "version")) != a.version)
		rc = yerr_set(&e, 409, "stale_version", "version",
			      "申请已被他人修改（当前版本 %lld），请刷新后重试",
			      (long long)a.version);
	/* Commitments change the departments' inspections and the 告知承诺
	 * path; the status and the rounds stay what they are. */
	if (rc == 0 && a.wf.status != APP_DRAFT && a.wf.status != APP_SUPPLEMENT_REQUESTED &&
	    a.wf.status != APP_RETURNED)
		rc = yerr_set(
		    &e, 409, "invalid_state", "status", "申请当前状态为“%s”（%s），不能修改承诺",
		    workflow_status_label(a.wf.status), workflow_status_name(a.wf.status));
	if (rc == 0) {
		init.status = a.wf.status;
		init.rounds = a.wf.rounds;
		a.wf = init;
		free(a.commitments);
		a.commitments = json_dumps(list, JSON_COMPACT);
		rc = store_app_update(c, req_district(r), &a, a.version, app_now(r->app), &e);
	}
	if (rc == 0) {
		struct store_app_event ev = {.action = "commitments",
					     .from = a.wf.status,
					     .to = a.wf.status,
					     .actor_id = r->who.id,
					     .actor_name = r->who.name,
					     .actor_role = (r->who.roles & ROLE_BIT(ROLE_APPLICANT))
							       ? "applicant"
							       : "window_clerk",
					     .detail = a.commitments};

		rc = store_app_history_add(c, req_district(r), a.id, &ev, app_now(r->app), &e);
	}
	app_finish(r, c, &a, rc, a.commitments, 200, &e);
}
