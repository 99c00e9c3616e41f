/*
 * h_app_life.c — lifecycle applications (issue 12, point 7): POST
 * /api/v1/applications with "kind": change | extend | cancel | reissue and
 * "license": the license number. The rules are core/lifecycle.h; this file
 * reads the license and the catalog, asks them, and writes an application
 * that then runs through the ordinary workflow (submit, accept, the
 * affected departments' reviews, an inspection when the address changes)
 * to approval, where the issuer issues the next version through the same
 * POST /api/v1/applications/{id}/license (app_life_next_doc), or a
 * cancellation ends the license (app_life_on_approved).
 *
 * What the application copies from the license's own (new-license)
 * application: industry, catalog version, answers, notice and form, so
 * reviewers and inspectors see the same frozen notice; the workflow state
 * (departments, permits) is life_plan's. The change, as decided here
 * (fields, resolved added permits, their materials, the reviewing and the
 * informed departments) is kept in applications.life_change.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "http/app_life.h"
#include "store/store_license_life.h"

#define LIFE_PERMITS_MAX 32
#define LIFE_LINK_MAX 128

bool app_life_requested(const struct req *r)
{
	const json_t *v = json_object_get(r->json, "kind");
	const char *k = json_string_value(v);

	/* absent, null and "new" are the application of issue 11 */
	return v != NULL && !json_is_null(v) && !(k && strcmp(k, "new") == 0);
}

/* The 409 of a license in the wrong state carries its status, like an
 * application's invalid_state. */
static void reply_state(struct req *r, const struct yerr *e, const char *status)
{
	json_t *body = http_error_body(e->code, e->message, e->field);

	json_object_set_new(json_object_get(body, "error"), "status", json_string(status));
	reply_json(r, e->status, body);
}

/* The request --------------------------------------------------------------------- */

struct life_req {
	enum life_kind kind;
	const char *number, *reason, *cause;
	const char *name, *legal_rep, *address;
	const char *add[LIFE_PERMITS_MAX], *remove[LIFE_PERMITS_MAX];
	size_t nadd, nremove;
};

/* codes reads change.<key> (absent: none) as a list of permit codes. */
static int codes(struct req *r, const json_t *change, const char *key, const char **out, size_t *n)
{
	json_t *a = json_object_get(change, key), *v;
	size_t i;

	*n = 0;
	if (a == NULL || json_is_null(a))
		return 0;
	if (!json_is_array(a) || json_array_size(a) > LIFE_PERMITS_MAX) {
		reply_error(r, 400, "invalid_change", key,
			    "change.%s 应为不超过 %d 个许可事项编号的数组", key, LIFE_PERMITS_MAX);
		return -1;
	}
	json_array_foreach (a, i, v) {
		if (!json_is_string(v) || json_string_length(v) == 0 ||
		    json_string_length(v) >= WF_CODE_MAX) {
			char field[64];

			snprintf(field, sizeof(field), "change.%s[%zu]", key, i);
			reply_error(r, 400, "invalid_change", field, "许可事项编号应为非空字符串");
			return -1;
		}
		out[(*n)++] = json_string_value(v);
	}
	return 0;
}

static int change_text(struct req *r, const json_t *change, const char *key, size_t max,
		       const char **out)
{
	struct yerr e = {0};

	if (args_text(change, key, ARG_NOT_BLANK, max, out, &e) < 0) {
		snprintf(e.field, sizeof(e.field), "change.%.64s", key);
		reply_yerr(r, &e);
		return -1;
	}
	return 0;
}

static int read_request(struct req *r, struct life_req *q)
{
	static const char *const keys[] = {"kind",  "license",  "change",  "reason",
					   "cause", "industry", "answers", NULL};
	static const char *const ckeys[] = {"name",        "legal_rep",      "address",
					    "permits_add", "permits_remove", NULL};
	const char *kind;
	json_t *change = json_object_get(r->json, "change");
	struct yerr e = {0};
	int k;

	memset(q, 0, sizeof(*q));
	if (req_body_keys(r, keys) < 0 || req_text(r, "kind", ARG_REQUIRED, 16, &kind) < 0)
		return -1;
	if ((k = life_kind_parse(kind)) <= LIFE_NEW) {
		reply_error(
		    r, 400, "invalid_kind", "kind",
		    "申请类型只能是 new（新办）、change（变更）、extend（延续）、cancel（注销）或 "
		    "reissue（补办）");
		return -1;
	}
	q->kind = (enum life_kind)k;
	if (json_object_get(r->json, "industry") || json_object_get(r->json, "answers")) {
		reply_error(r, 400, "unknown_field",
			    json_object_get(r->json, "industry") ? "industry" : "answers",
			    "%s申请沿用许可证的行业，不能另行指定", life_kind_label(q->kind));
		return -1;
	}
	if (req_text(r, "license", ARG_REQUIRED, LICENSE_NUMBER_SIZE - 1, &q->number) < 0 ||
	    req_text(r, "reason", ARG_MULTILINE, 1000, &q->reason) < 0 ||
	    req_text(r, "cause", 0, 16, &q->cause) < 0)
		return -1;
	if (q->cause && strcmp(q->cause, "lost") != 0 && strcmp(q->cause, "damaged") != 0) {
		reply_error(r, 400, "invalid_cause", "cause",
			    "补办原因只能是 lost（遗失）或 damaged（损毁）");
		return -1;
	}
	if (q->kind == LIFE_REISSUE && q->reason == NULL) {
		reply_error(r, 400, "reason_required", "reason",
			    "补办须说明理由（遗失或损毁的情况）");
		return -1;
	}
	if (q->kind != LIFE_CHANGE) {
		if (change != NULL && !json_is_null(change)) {
			reply_error(r, 400, "unknown_field", "change",
				    "只有变更申请可以填写 change");
			return -1;
		}
		return 0;
	}
	if (!json_is_object(change)) {
		reply_error(r, 400, "change_required", "change",
			    "请说明变更内容：名称、法定代表人、经营地址或增减许可事项");
		return -1;
	}
	if (args_keys(change, ckeys, &e) < 0) {
		char field[sizeof(e.field)];

		snprintf(field, sizeof(field), "%s", e.field);
		snprintf(e.field, sizeof(e.field), "change.%.64s", field);
		reply_yerr(r, &e);
		return -1;
	}
	if (change_text(r, change, "name", 200, &q->name) < 0 ||
	    change_text(r, change, "legal_rep", 50, &q->legal_rep) < 0 ||
	    change_text(r, change, "address", 200, &q->address) < 0 ||
	    codes(r, change, "permits_add", q->add, &q->nadd) < 0 ||
	    codes(r, change, "permits_remove", q->remove, &q->nremove) < 0)
		return -1;
	return 0;
}

/* The license and its permits --------------------------------------------------------- */

/* A license the caller may apply for: the holder their own (another's is
 * 404 like a missing one), a window clerk any of the district. */
static int load_license(struct req *r, struct store_conn *c, const char *number,
			struct store_license *l, struct yerr *e)
{
	/* locked: two applications for one license at once take turns, so the
	 * one-open-application check below cannot pass twice */
	int rc = store_license_get(c, req_district(r), number, 0, true, l, e);

	if (rc < 0)
		return rc;
	if ((r->who.roles & ROLE_BIT(ROLE_WINDOW_CLERK)) == 0 && l->holder_user_id != r->who.id) {
		store_license_free(l);
		memset(l, 0, sizeof(*l));
		return yerr_set(e, 404, "license_not_found", "license", "许可证不存在");
	}
	return 0;
}

static void permit_from_catalog(const struct catalog *cat, const char *code, const char *dept,
				struct life_permit *p)
{
	const struct catalog_permit *cp = cat ? catalog_permit_find(cat, code) : NULL;

	memset(p, 0, sizeof(*p));
	snprintf(p->code, sizeof(p->code), "%s", code);
	snprintf(p->department, sizeof(p->department), "%s", cp ? cp->department : dept);
	p->inspection = cp && cp->inspection;
	p->review_days = cp ? cp->committed_days : 0;
}

/* The plan, the license's permits and the added ones resolved against the
 * active catalog (under its lock: nothing borrowed leaves). *change is the
 * JSON kept in applications.life_change. */
static int plan(struct req *r, const struct life_req *q, const struct store_license *l,
		struct life_plan *p, json_t **change, long *time_limit, struct yerr *e)
{
	struct life_permit have[LIFE_PERMITS_MAX], add[LIFE_PERMITS_MAX];
	json_t *doc = json_loads(l->doc ? l->doc : "{}", 0, NULL), *v;
	json_t *added = json_array(), *mats = json_array(), *list;
	const struct catalog *cat;
	struct life_change chg = {.name = q->name,
				  .legal_rep = q->legal_rep,
				  .address = q->address,
				  .add = add,
				  .nadd = q->nadd,
				  .remove = q->remove,
				  .nremove = q->nremove};
	size_t n = 0, i;
	int rc = 0;

	pthread_rwlock_rdlock(&r->app->catalog_lock);
	cat = r->app->catalog;
	json_array_foreach (json_object_get(doc, "permits"), i, v)
		if (n < LIFE_PERMITS_MAX && json_is_string(json_object_get(v, "code")))
			permit_from_catalog(
			    cat, json_string_value(json_object_get(v, "code")),
			    json_string_value(json_object_get(v, "department"))
				? json_string_value(json_object_get(v, "department"))
				: "",
			    &have[n++]);
	for (i = 0; i < q->nadd && rc == 0; i++) {
		const struct catalog_permit *cp = cat ? catalog_permit_find(cat, q->add[i]) : NULL;
		const struct catalog_department *d;
		char field[64];

		snprintf(field, sizeof(field), "change.permits_add[%zu]", i);
		if (cp == NULL) {
			rc = yerr_set(e, 400, "invalid_change", field, "目录中没有许可事项 %s",
				      q->add[i]);
			break;
		}
		permit_from_catalog(cat, q->add[i], cp->department, &add[i]);
		d = catalog_department_find(cat, cp->department);
		json_array_append_new(added,
				      json_pack("{s:s,s:s,s:s,s:s,s:s}", "code", cp->code, "name",
						cp->name, "department", cp->department,
						"department_name", d ? d->name : cp->department,
						"basis", cp->legal_basis ? cp->legal_basis : ""));
		for (size_t k = 0; k < cp->nmaterials; k++) {
			const struct catalog_material *m =
			    catalog_material_find(cat, cp->materials[k]);

			if (m && !m->exempt)
				json_array_append_new(mats, json_string(m->id));
		}
		if (cp->committed_days > *time_limit)
			*time_limit = cp->committed_days;
	}
	pthread_rwlock_unlock(&r->app->catalog_lock);
	if (rc == 0)
		rc = life_plan(q->kind, have, n, &chg, APP_ACCEPTANCE_DAYS, p, e);
	for (i = 0; rc == 0 && i < p->wf.ndepts; i++)
		if (p->wf.depts[i].review_days > *time_limit)
			*time_limit = p->wf.depts[i].review_days;
	json_decref(doc);
	if (rc < 0) {
		json_decref(added);
		json_decref(mats);
		return -1;
	}
	*change = json_object();
	if (q->name)
		json_object_set_new(*change, "name", json_string(q->name));
	if (q->legal_rep)
		json_object_set_new(*change, "legal_rep", json_string(q->legal_rep));
	if (q->address)
		json_object_set_new(*change, "address", json_string(q->address));
	json_object_set_new(*change, "permits_add", added);
	list = json_array();
	for (i = 0; i < q->nremove; i++)
		json_array_append_new(list, json_string(q->remove[i]));
	json_object_set_new(*change, "permits_remove", list);
	json_object_set_new(*change, "materials", mats);
	if (q->reason)
		json_object_set_new(*change, "reason", json_string(q->reason));
	if (q->cause)
		json_object_set_new(*change, "cause", json_string(q->cause));
	list = json_array();
	for (i = 0; i < p->wf.ndepts; i++)
		json_array_append_new(list, json_string(p->wf.depts[i].code));
	json_object_set_new(*change, "reviewing", list);
	list = json_array();
	for (i = 0; i < p->ninformed; i++)
		json_array_append_new(list, json_string(p->informed[i]));
	json_object_set_new(*change, "informed", list);
	json_object_set_new(*change, "inspection", json_boolean(p->inspection));
	json_object_set_new(*change, "valid_until",
			    l->valid_until[0] ? json_string(l->valid_until) : json_null());
	json_object_set_new(*change, "version", json_integer(l->version));
	return 0;
}

/* Kind-specific refusals that depend on the license: its state, the
 * extension window, an application already open on it. */
/* The status the license has today: a valid license past valid_until is
 * expired even before the daily job marks it (license_status_at). */
static const char *status_today(struct req *r, const struct store_license *l)
{
	int st = license_status_parse(l->status);

	if (st < 0)
		return l->status;
	return license_status_name(license_status_at(
	    (enum license_status)st, l->valid_until[0] ? store_day_parse(l->valid_until) : -1,
	    app_today(r)));
}

static int license_allows(struct req *r, struct store_conn *c, const struct life_req *q,
			  const struct store_license *l, struct yerr *e)
{
	int64_t open = 0;
	int until;

	if (life_check_status(q->kind, status_today(r, l), e) < 0)
		return -1;
	if (q->kind == LIFE_EXTEND) {
		long open_days = LIFE_EXTEND_OPEN_DAYS;

		/* the catalog's window (lic-core: license.extension_days, the
		 * industry's own first), open up to the last valid day */
		pthread_rwlock_rdlock(&r->app->catalog_lock);
		if (r->app->catalog)
			license_rule_of(r->app->catalog,
					catalog_industry_find(r->app->catalog, l->industry), NULL,
					&open_days, NULL);
		pthread_rwlock_unlock(&r->app->catalog_lock);
		until = l->valid_until[0] ? store_day_parse(l->valid_until) : -1;
		if (life_check_extend(app_today(r), until, open_days, LIFE_EXTEND_CLOSE_DAYS, e) <
		    0)
			return -1;
		/* the next term is as long as this one (refused now, not at issuance) */
		int nfrom, nuntil;

		if (life_extend_term(store_day_parse(l->valid_from), until, &nfrom, &nuntil, e) < 0)
			return -1;
	}
	if (store_app_life_open(c, req_district(r), l->number, &open, e) < 0)
		return -1;
	if (open)
		return yerr_set(e, 409, "application_open", "license",
				"该许可证已有办理中的申请（编号 %lld），请办结或撤回后再申请",
				(long long)open);
	return 0;
}

/* The application: the license's own application's frozen notice, form and
 * answers, with the plan's workflow state. */
static int build(struct store_conn *c, struct req *r, const struct store_license *l,
		 const struct life_plan *p, long time_limit, struct store_app *a, struct yerr *e)
{
	struct store_app orig;
	int rc, month, mday;

	memset(a, 0, sizeof(*a));
	rc = store_app_get(c, req_district(r), l->application_id, false, &orig, e);
	if (rc < 0)
		return rc;
	a->applicant_id = l->holder_user_id;
	a->entity_id = l->entity_id ? l->entity_id : orig.entity_id;
	a->created_by = r->who.id;
	a->walk_in = (r->who.roles & ROLE_BIT(ROLE_APPLICANT)) == 0;
	snprintf(a->industry, sizeof(a->industry), "%s", orig.industry);
	a->catalog_version = orig.catalog_version;
	a->answers = orig.answers;
	a->notice = orig.notice;
	a->form = orig.form;
	orig.answers = orig.notice = orig.form = NULL;
	a->prefilled = strdup("[]");
	a->commitments = strdup("[]");
	a->wf = p->wf;
	a->time_limit_days = time_limit > 0 ? time_limit : APP_ACCEPTANCE_DAYS;
	date_to_ymd(app_today(r), &a->year, &month, &mday);
	store_app_free(&orig);
	return 0;
}

void h_application_life_create(struct req *r)
{
	struct life_req q;
	struct store_license l;
	struct life_plan p;
	struct store_app a;
	struct store_conn *c;
	struct yerr e = {0};
	json_t *change = NULL;
	char *change_text = NULL, detail[256];
	int64_t now = app_now(r->app);
	long time_limit = 0;
	int rc;

	memset(&l, 0, sizeof(l));
	memset(&a, 0, sizeof(a));
	if (read_request(r, &q) < 0 || req_acquire(r, &c) < 0)
		return;
	rc = store_begin(c, &e);
	if (rc == 0)
		rc = load_license(r, c, q.number, &l, &e);
	if (rc == 0 && license_allows(r, c, &q, &l, &e) < 0) {
		store_release(c);
		if (strcmp(e.code, "license_state") == 0)
			reply_state(r, &e, status_today(r, &l));
		else
			reply_yerr(r, &e);
		store_license_free(&l);
		return;
	}
	if (rc == 0)
		rc = plan(r, &q, &l, &p, &change, &time_limit, &e);
	if (rc == 0)
		rc = build(c, r, &l, &p, time_limit, &a, &e);
	if (rc == 0) {
		a.wf.status = APP_DRAFT;
		rc = store_app_insert(c, req_district(r), &a, now, &e);
	}
	if (rc == 0) {
		change_text = json_dumps(change, JSON_COMPACT);
		rc = store_app_life_set(c, req_district(r), a.id, life_kind_name(q.kind), l.number,
					change_text, &e);
	}
	if (rc == 0) {
		snprintf(detail, sizeof(detail),
			 "{\"kind\":\"%s\",\"license\":\"%s\",\"walk_in\":%s}",
			 life_kind_name(q.kind), l.number, a.walk_in ? "true" : "false");
		struct store_app_event ev = {.action = "create",
					     .from = APP_DRAFT,
					     .to = APP_DRAFT,
					     .actor_id = r->who.id,
					     .actor_name = r->who.name,
					     .actor_role = a.walk_in ? "window_clerk" : "applicant",
					     .reason = q.reason,
					     .detail = detail};

		rc = store_app_history_add(c, req_district(r), a.id, &ev, now, &e);
		snprintf(r->audit_object, sizeof(r->audit_object), "application:%lld",
			 (long long)a.id);
	}
	free(change_text);
	json_decref(change);
	store_license_free(&l);
	app_finish(r, c, &a, rc, rc == 0 ? detail : NULL, 201, &e);
}

/* What the rest of the module asks ----------------------------------------------------- */

/* The lifecycle columns of a; *change parsed (NULL for new). */
static int life_of(struct req *r, struct store_conn *c, const struct store_app *a,
		   enum life_kind *kind, struct store_app_life *life, json_t **change,
		   struct yerr *e)
{
	int k;

	*change = NULL;
	if (store_app_life_get(c, req_district(r), a->id, life, e) < 0)
		return -1;
	k = life_kind_parse(life->kind);
	*kind = k < 0 ? LIFE_NEW : (enum life_kind)k;
	if (*kind != LIFE_NEW)
		*change = app_text_json(life->change, "{}");
	return 0;
}

int app_life_complete(struct req *r, struct store_conn *c, const struct store_app *a, bool *handled,
		      struct yerr *e)
{
	struct store_app_life life;
	enum life_kind kind;
	char **ids = NULL;
	json_t *change, *v;
	size_t nids = 0, i;
	int rc = 0;

	*handled = false;
	if (life_of(r, c, a, &kind, &life, &change, e) < 0)
		return -1;
	store_app_life_free(&life);
	if (kind == LIFE_NEW)
		return 0;
	*handled = true;
	if (store_app_material_ids(c, req_district(r), a->id, &ids, &nids, e) < 0) {
		json_decref(change);
		return -1;
	}
	json_array_foreach (json_object_get(change, "materials"), i, v) {
		bool have = false;

		for (size_t k = 0; k < nids && !have; k++)
			have = strcmp(ids[k], json_string_value(v)) == 0;
		if (!have) {
			char field[96];

			snprintf(field, sizeof(field), "materials.%s", json_string_value(v));
			rc = yerr_set(e, 400, "incomplete_application", field,
				      "申请尚不完整：新增许可事项所需材料 %s 尚未上传",
				      json_string_value(v));
			break;
		}
	}
	store_strings_free(ids, nids);
	json_decref(change);
	return rc;
}

bool app_life_material(struct req *r, struct store_conn *c, const struct store_app *a,
		       const char *mid, bool *exempt)
{
	struct store_app_life life;
	enum life_kind kind;
	struct yerr e = {0};
	json_t *change, *v;
	bool found = false;
	size_t i;

	*exempt = false;
	if (life_of(r, c, a, &kind, &life, &change, &e) < 0)
		return false;
	store_app_life_free(&life);
	json_array_foreach (json_object_get(change, "materials"), i, v)
		found |= json_is_string(v) && strcmp(json_string_value(v), mid) == 0;
	json_decref(change);
	return found;
}

enum life_kind app_life_kind(struct req *r, struct store_conn *c, const struct store_app *a)
{
	struct store_app_life life;
	enum life_kind kind;
	struct yerr e = {0};
	json_t *change;

	if (life_of(r, c, a, &kind, &life, &change, &e) < 0)
		return LIFE_NEW;
	json_decref(change);
	store_app_life_free(&life);
	return kind;
}

void app_life_json(struct req *r, struct store_conn *c, const struct store_app *a, json_t *o)
{
	struct store_app_life life;
	enum life_kind kind;
	struct yerr e = {0};
	json_t *change;

	if (life_of(r, c, a, &kind, &life, &change, &e) < 0)
		return;
	json_object_set_new(o, "kind", json_string(life_kind_name(kind)));
	json_object_set_new(o, "kind_label", json_string(life_kind_label(kind)));
	json_object_set_new(
	    o, "license", life.license_number[0] ? json_string(life.license_number) : json_null());
	json_object_set_new(o, "change", change ? change : json_null());
	store_app_life_free(&life);
}

int app_life_on_approved(struct req *r, struct store_conn *c, const struct store_app *a,
			 struct yerr *e)
{
	struct store_app_life life;
	struct store_license l;
	enum life_kind kind;
	json_t *change;
	char detail[96], title[160], link[LIFE_LINK_MAX];
	int rc;

	if (life_of(r, c, a, &kind, &life, &change, e) < 0)
		return -1;
	json_decref(change);
	if (kind != LIFE_CANCEL) {
		store_app_life_free(&life);
		return 0;
	}
	memset(&l, 0, sizeof(l));
	rc = store_license_get(c, req_district(r), life.license_number, 0, true, &l, e);
	if (rc == 0 && life_check_status(LIFE_CANCEL, l.status, e) < 0)
		rc = -1;
	if (rc == 0) {
		snprintf(detail, sizeof(detail), "{\"application_id\":%lld}", (long long)a->id);
		struct store_license_change ch = {.status = "cancelled",
						  .kind = "cancel",
						  .reason = "依申请注销",
						  .actor_id = r->who.id,
						  .actor = r->who.name,
						  .detail = detail,
						  .expect = l.status};

		r->licenses_changed = 1; /* verify answers refreshed after a 2xx answer */
		rc = store_license_set_status(c, req_district(r), l.number, l.version, &ch,
					      app_now(r->app), e);
	}
	if (rc == 0) {
		snprintf(title, sizeof(title), "许可证 %s 已注销", l.number);
		snprintf(link, sizeof(link), "/licenses/%s", l.number);
		rc = store_notify_role(c, req_district(r), "issuer", NULL, a->id,
				       "license_cancelled", title, link, app_now(r->app), e);
	}
	store_license_free(&l);
	store_app_life_free(&life);
	return rc;
}

int app_life_next_doc(struct req *r, struct store_conn *c, const struct store_app *a, json_t **doc,
		      struct store_license *prev, struct yerr *e)
{
	struct store_app_life life;
	enum life_kind kind;
	json_t *change, *pdoc;
	int rc;

	*doc = NULL;
	memset(prev, 0, sizeof(*prev));
	if (life_of(r, c, a, &kind, &life, &change, e) < 0)
		return -1;
	if (kind == LIFE_NEW) {
		store_app_life_free(&life);
		return 0;
	}
	rc = kind == LIFE_CANCEL
		 ? yerr_set(e, 409, "invalid_kind", "kind",
			    "注销申请在准予时即已注销许可证，无需发证")
		 : store_license_get(c, req_district(r), life.license_number, 0, true, prev, e);
	/* the license may have been suspended, revoked or have expired while the
	 * application ran (an extension may still be issued after valid_until:
	 * it was applied for in time) */
	if (rc == 0 && !(kind == LIFE_EXTEND && strcmp(prev->status, "expired") == 0) &&
	    life_check_status(kind, kind == LIFE_EXTEND ? prev->status : status_today(r, prev), e) <
		0)
		rc = -1;
	if (rc == 0) {
		pdoc = json_loads(prev->doc ? prev->doc : "", 0, NULL);
		*doc = life_next_doc(pdoc, kind, change, app_today(r), e);
		json_decref(pdoc);
		rc = *doc ? 1 : -1;
	}
	if (rc < 0) {
		store_license_free(prev);
		memset(prev, 0, sizeof(*prev));
	}
	json_decref(change);
	store_app_life_free(&life);
	return rc;
}

int app_life_issued(struct req *r, struct store_conn *c, const struct store_app *a,
		    const char *number, int version, struct yerr *e)
{
	struct store_app_life life;
	enum life_kind kind;
	json_t *change, *v;
	char title[200], link[LIFE_LINK_MAX];
	size_t i;
	int rc = 0;

	if (life_of(r, c, a, &kind, &life, &change, e) < 0)
		return -1;
	snprintf(link, sizeof(link), "/licenses/%s", number);
	if (kind != LIFE_NEW) {
		snprintf(title, sizeof(title), "许可证 %s 已%s，现为第 %d 版", number,
			 life_kind_label(kind), version);
		json_array_foreach (json_object_get(change, "informed"), i, v)
			if (rc == 0 && json_is_string(v))
				rc = store_notify_role(
				    c, req_district(r), "reviewer", json_string_value(v), a->id,
				    "license_changed", title, link, app_now(r->app), e);
		if (rc == 0)
			rc = store_notify_user(c, req_district(r), a->applicant_id, a->id,
					       "license_changed", title, link, app_now(r->app), e);
	}
	json_decref(change);
	store_app_life_free(&life);
	return rc;
}

json_t *app_life_flags_json(struct req *r, struct store_conn *c, const char *uscc,
			    const char *holder_name, const char *legal_rep, const char *address)
{
	const char *flags[2];
	struct yerr e = {0};
	json_t *out = json_array();
	size_t n = 0;

	if (uscc && store_life_flags(c, req_district(r), uscc, holder_name, legal_rep, address,
				     flags, &n, &e) == 0)
		for (size_t i = 0; i < n; i++)
			json_array_append_new(out, json_string(flags[i]));
	return out;
}
