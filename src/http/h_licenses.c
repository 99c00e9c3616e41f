/*
 * h_licenses.c — the comprehensive license (issue 12; docs/api-licenses.md):
 *   POST /api/v1/applications/{id}/license              issue (issuer)
 *   GET  /api/v1/licenses/{number}                      holder, staff
 *   GET  /api/v1/licenses/{number}/pdf | /qr.png        holder, staff
 *   GET  /api/v1/licenses/{number}/verify               anyone
 *   POST /api/v1/licenses/{number}/suspend | reinstate | revoke
 *                                                       supervisor of a
 *                                                       department owning one
 *                                                       of its permits
 * Issuance is one transaction: the application (locked) must be approved;
 * the serial comes from the counter; the document is signed, the PDF
 * rendered once and fsynced into the blob store, the version inserted, the
 * application moved to licensed (history), the applicant notified and the
 * audit entry written, then everything commits. The route runs in the
 * bounded render class (ROUTE_RENDERS): past it, 503 busy + Retry-After.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "core/payload.h"
#include "http/app_life.h"
#include "http/licenses.h"
#include "http/verify_cache.h"
#include "io/blobs.h"
#include "io/keys.h"
#include "render/render.h"

/* ---- issue ---- */

void h_license_issue(struct req *r)
{
	struct wf_request wreq = {.action = WF_ISSUE};
	struct store_license lic = {0};
	struct license_build b = {0};
	struct app_notice n = {0};
	struct wf_effects fx;
	struct wf_actor actor;
	struct wf_app next;
	struct store_app a;
	struct store_conn *c;
	struct yerr e = {0};
	int64_t id, expected, now = app_now(r->app);
	char object[96], detail[160], title[160], link[96];
	int today = app_today(r), rc;
	bool have_notice = false;

	if (req_acquire(r, &c) < 0)
		return;
	if (store_begin(c, &e) < 0) {
		store_release(c);
		return reply_yerr(r, &e);
	}
	if (app_load(r, c, true, &id, &a) < 0) {
		store_release(c);
		return;
	}
	expected = a.version;
	app_actor(r, &a, &actor);
	wreq.today = today;
	/* 409 invalid_state unless approved: a second issuance finds it licensed */
	rc = workflow_apply(&a.wf, &actor, &wreq, &next, &fx, &e);
	if (rc == 0) {
		rc = app_notice_open(r, c, &a, &n, &e);
		have_notice = true;
	}
	/* lic-life: a change, extension or reissue builds the next version of its license */
	if (rc == 0 && (rc = app_life_build(r, c, &a, &b, &e)) == 0)
		rc = license_build_from_app(r, c, &a, &n, NULL, 1, today, &b, &e);
	else if (rc > 0)
		rc = 0;
	if (rc == 0)
		rc = license_write(r, c, &b, &lic, &e);
	if (have_notice)
		app_notice_close(r, &n);
	if (rc == 0) {
		struct store_app_event ev = {.action = workflow_action_name(WF_ISSUE),
					     .from = fx.from,
					     .to = fx.to,
					     .actor_id = r->who.id,
					     .actor_name = r->who.name,
					     .actor_role = "issuer",
					     .detail = NULL};

		snprintf(detail, sizeof(detail), "{\"license\":\"%s\",\"version\":%d}", lic.number,
			 lic.version);
		ev.detail = detail;
		a.wf = next;
		pthread_rwlock_rdlock(&r->app->cal_lock);
		rc = store_app_transition(c, req_district(r), &a, expected, &fx, &ev, r->app->cal,
					  today, now, &e);
		pthread_rwlock_unlock(&r->app->cal_lock);
	}
	if (rc == 0) {
		snprintf(title, sizeof(title), "行业综合许可证已核发（%s）", lic.number);
		snprintf(link, sizeof(link), "/licenses/%s", lic.number);
		rc = store_notify_user(c, req_district(r), a.applicant_id, a.id, "license_issued",
				       title, link, now, &e);
	}
	if (rc == 0 && lic.version > 1) /* lic-life: the departments told of the change */
		rc = app_life_issued(r, c, &a, lic.number, lic.version, &e);
	if (rc == 0) {
		snprintf(object, sizeof(object), "license:%s", lic.number);
		snprintf(detail, sizeof(detail), "{\"application_id\":%lld,\"version\":%d}",
			 (long long)a.id, lic.version);
		rc = req_audit_commit(r, c, object, detail, &e);
	}
	store_release(c);
	license_build_free(&b);
	r->licenses_changed = rc == 0;
	if (rc < 0)
		app_reply_err(r, &e, &a);
	else
		reply_json(r, 201, json_pack("{s:o}", "license", license_json(&lic, today)));
	store_license_free(&lic);
	store_app_free(&a);
}

/* ---- read ---- */

/* ?version=N (1..999), 0 when absent: the current version. -1 replied. */
static int version_arg(struct req *r, int *version)
{
	long long v = 0;

	if (req_query_int(r, "version", 0, 1, 999, &v) < 0)
		return -1;
	*version = (int)v;
	return 0;
}

void h_license_get(struct req *r)
{
	struct store_license l;
	struct store_conn *c;
	json_t *o;
	int version;

	if (version_arg(r, &version) < 0 || req_acquire(r, &c) < 0)
		return;
	if (license_load(r, c, version, false, &l) < 0) {
		store_release(c);
		return;
	}
	o = license_json(&l, app_today(r));
	/* lic-life: needs_change / deregistered from the registration link */
	json_object_set_new(o, "flags",
			    l.is_current ? app_life_flags_json(r, c, l.holder_uscc, l.holder_name,
							       l.legal_rep, l.address)
					 : json_array());
	store_release(c);
	reply_json(r, 200, json_pack("{s:o}", "license", o));
	store_license_free(&l);
}

void h_license_pdf(struct req *r)
{
	struct store_license l;
	struct store_conn *c;
	struct yerr e = {0};
	char disp[128];
	uint64_t size = 0;
	int version, fd = -1;

	if (version_arg(r, &version) < 0 || req_acquire(r, &c) < 0)
		return;
	if (license_load(r, c, version, false, &l) < 0) {
		store_release(c);
		return;
	}
	store_release(c);
	if (!l.pdf_sha256[0]) {
		store_license_free(&l);
		return reply_error(r, 404, "pdf_not_found", "number", "该许可证没有存档的 PDF");
	}
	if (blob_open(r->app->cfg.data_dir, l.pdf_sha256, &fd, &size, &e) < 0) {
		store_license_free(&l);
		return reply_yerr(r, &e);
	}
	snprintf(disp, sizeof(disp), "inline; filename=\"%s-v%d.pdf\"", l.number, l.version);
	store_license_free(&l);
	reply_header(r, "Content-Disposition", disp);
	reply_file(r, 200, "application/pdf", fd, size);
}

void h_license_qr(struct req *r)
{
	struct store_license l;
	struct store_conn *c;
	struct yerr e = {0};
	unsigned char *png = NULL;
	size_t len = 0;
	int version;

	if (version_arg(r, &version) < 0 || req_acquire(r, &c) < 0)
		return;
	if (license_load(r, c, version, false, &l) < 0) {
		store_release(c);
		return;
	}
	store_release(c);
	/* The same text the PDF prints, so either one verifies the same way. */
	if (render_qr_png(l.qr_text ? l.qr_text : "", &png, &len, &e) != 0) {
		store_license_free(&l);
		return reply_yerr(r, &e);
	}
	store_license_free(&l);
	reply_raw(r, 200, "image/png", png, len);
	free(png);
}

/* ---- verify (public) ---- */

/* A unix time as the Shanghai day "YYYY-MM-DD", or null. */
static json_t *time_day(int64_t t)
{
	char buf[DATE_STR_SIZE];

	if (t <= 0 || date_format(date_today_shanghai((time_t)t), buf, sizeof(buf)) != 0)
		return json_null();
	return json_string(buf);
}

/* The reason and the date of the status the public sees. */
static void verify_reason(const struct store_license *l, enum license_status st, json_t *o)
{
	char buf[160];
	int until = -1;

	switch (st) {
	case LIC_VALID:
		json_object_set_new(o, "reason", json_null());
		json_object_set_new(
		    o, "at", l->status_at ? time_day(l->status_at) : json_string(l->issued_on));
		break;
	case LIC_EXPIRED:
		/* by date even before the daily job marks it: the day after the last */
		snprintf(buf, sizeof(buf), "有效期至 %s，已届满", l->valid_until);
		json_object_set_new(o, "reason", json_string(buf));
		if (date_parse(l->valid_until, strlen(l->valid_until), &until) == 0 &&
		    date_format(until + 1, buf, sizeof(buf)) == 0)
			json_object_set_new(o, "at", json_string(buf));
		else
			json_object_set_new(o, "at", time_day(l->status_at));
		break;
	case LIC_SUPERSEDED:
		snprintf(buf, sizeof(buf), "已被第 %d 版取代", l->superseded_by);
		json_object_set_new(o, "reason",
				    json_string(l->status_reason ? l->status_reason : buf));
		json_object_set_new(o, "at", time_day(l->status_at));
		break;
	default:
		json_object_set_new(o, "reason",
				    l->status_reason ? json_string(l->status_reason) : json_null());
		json_object_set_new(o, "at", time_day(l->status_at));
		break;
	}
}

/* What anyone may know of a license: what its paper shows, no more (no
 * legal representative's ID, no phones, no person's address). */
static json_t *verify_json(const struct store_license *l, int today)
{
	enum license_status st = license_effective_status(l, today);
	json_t *doc = json_loads(l->doc ? l->doc : "{}", 0, NULL);
	json_t *permits = json_array(), *p, *o;
	size_t i;

	json_array_foreach (json_object_get(doc, "permits"), i, p)
		json_array_append(permits, json_object_get(p, "name"));
	o = json_pack(
	    "{s:s,s:s,s:o,s:s,s:i,s:s,s:{s:s,s:s},s:{s:s,s:s},s:o,s:s,s:o,s:s,s:O?}", "status",
	    license_status_name(st), "status_label", license_status_label(st), "superseded_by",
	    l->superseded_by > 0 ? json_integer(l->superseded_by) : json_null(), "number",
	    l->number, "version", l->version, "eid", l->eid, "holder", "name",
	    l->holder_name ? l->holder_name : "", "uscc", l->holder_uscc ? l->holder_uscc : "",
	    "industry", "code", l->industry, "name", l->industry_name ? l->industry_name : "",
	    "permits", permits, "valid_from", l->valid_from, "valid_until",
	    l->valid_until[0] ? json_string(l->valid_until) : json_null(), "issued_on",
	    l->issued_on, "issuer", json_object_get(doc, "issuer"));
	verify_reason(l, st, o);
	json_object_set_new(o, "current", json_boolean(l->is_current));
	json_decref(doc);
	return o;
}

void h_license_verify(struct req *r)
{
	const char *number = req_param(r, "number"), *d = NULL;
	struct store_license l;
	struct store_conn *c;
	struct license_no no;
	struct yerr e = {0};
	char key[96], *text;
	json_t *answer;
	uint64_t gen;
	size_t len;
	int version;

	if (version_arg(r, &version) < 0 || req_query_text(r, "d", PAYLOAD_MAX, &d) < 0)
		return;
	if (license_number_parse(number, &no, &e) != 0)
		return reply_yerr(r, &e);
	if (d != NULL) {
		/* 亮证: a display token names the version and lives five minutes,
		 * so a screenshot cannot be shown again later. */
		struct display_token tok;
		json_t *keys = keyring_public_json(r->app->keys);
		int rc = display_token_verify(d, keys, (long long)time(NULL), &tok, &e);

		json_decref(keys);
		if (rc != 0)
			return reply_yerr(r, &e);
		if (strcmp(tok.number, number) != 0)
			return reply_error(r, 400, "display_invalid", "d",
					   "亮证码与许可证编号不符");
		version = tok.version;
	}
	/* A status changes at any moment: never cached by others. This node
	   keeps an answer for at most a second (lic-public: verify_cache.h). */
	reply_header(r, "Cache-Control", "no-store");
	snprintf(key, sizeof(key), "%s|%d|%d", number, version, app_today(r));
	if (verify_cache_get(r->app->verify_cache, key, &text, &len)) {
		reply_raw(r, 200, "application/json; charset=utf-8", text, len);
		free(text);
		return;
	}
	gen = verify_cache_gen(r->app->verify_cache);
	if (req_acquire(r, &c) < 0)
		return;
	if (store_license_get(c, req_district(r), number, version, false, &l, &e) < 0) {
		store_release(c);
		return reply_yerr(r, &e);
	}
	store_release(c);
	answer = verify_json(&l, app_today(r));
	text = json_dumps(answer, JSON_COMPACT);
	json_decref(answer);
	store_license_free(&l);
	if (text == NULL)
		abort();
	verify_cache_put(r->app->verify_cache, key, gen, text, strlen(text));
	reply_raw(r, 200, "application/json; charset=utf-8", text, strlen(text));
	free(text);
}

/* ---- suspend, reinstate, revoke ---- */

/* true when one of the license's permits belongs to department. */
static bool owns_permit(const struct store_license *l, const char *department)
{
	json_t *doc = json_loads(l->doc ? l->doc : "{}", 0, NULL), *p;
	bool found = false;
	size_t i;

	json_array_foreach (json_object_get(doc, "permits"), i, p) {
		const char *d = json_string_value(json_object_get(p, "department"));

		found |=
		    d != NULL && department != NULL && department[0] && strcmp(d, department) == 0;
	}
	json_decref(doc);
	return found;
}

int license_sanction_apply(struct req *r, struct store_conn *c, const struct store_license *l,
			   const char *action, const char *verb, const char *reason,
			   const char *basis, const char *source, struct yerr *e)
{
	enum license_status from, to;
	char title[160], link[96], kind[16];
	int64_t now = app_now(r->app);
	int today = app_today(r), rc;

	from = license_effective_status(l, today);
	/* the legal relationship of each permit stays with its department */
	if (!owns_permit(l, r->who.department))
		rc = yerr_set(e, 403, "wrong_department", "number",
			      "本部门不是该许可证所含许可事项的主管部门，不能%s", verb);
	else if (!license_sanction_allowed(action, from, &to))
		rc = yerr_set(e, 409, "invalid_state", "status", "许可证当前状态为“%s”，不能%s",
			      license_status_label(from), verb);
	else if (reason == NULL)
		rc = yerr_set(e, 400, "reason_required", "reason", "%s必须填写理由", verb);
	else if (basis == NULL)
		rc = yerr_set(e, 400, "basis_required", "basis", "%s必须填写法律依据", verb);
	else
		rc = 0;
	if (rc == 0) {
		struct store_license_change ch = {.status = license_status_name(to),
						  .kind = action,
						  .reason = reason,
						  .basis = basis,
						  .actor_id = r->who.id,
						  .actor = r->who.name,
						  .expect = l->status};

		r->licenses_changed = 1; /* verify answers refreshed after a 2xx answer */
		rc = store_license_set_status(c, req_district(r), l->number, l->version, &ch, now,
					      e);
	}
	if (rc == 0 && l->holder_user_id > 0) {
		snprintf(title, sizeof(title), "行业综合许可证 %s 已被%s", l->number, verb);
		snprintf(link, sizeof(link), "/licenses/%s", l->number);
		snprintf(kind, sizeof(kind), "license_%s", action);
		rc = store_notify_user(c, req_district(r), l->holder_user_id, l->application_id,
				       kind, title, link, now, e);
	}
	/* sup-credit: a revocation is a credit record of the holder, whoever
	 * revoked (this route, a penalty decision, a false commitment) */
	if (rc == 0 && strcmp(action, "revoke") == 0)
		rc = credit_revocation_add(r, c, l, reason, basis, source, now, e);
	return rc;
}

static void sanction(struct req *r, const char *action, const char *verb)
{
	static const char *const keys[] = {"reason", "basis", NULL};
	struct store_license l;
	struct store_conn *c;
	struct yerr e = {0};
	const char *reason = NULL, *basis = NULL;
	char object[96];
	int today = app_today(r), rc;

	if (req_body_keys(r, keys) < 0 || req_text(r, "reason", ARG_MULTILINE, 500, &reason) < 0 ||
	    req_text(r, "basis", ARG_MULTILINE, 500, &basis) < 0)
		return;
	if (req_acquire(r, &c) < 0)
		return;
	if (store_begin(c, &e) < 0) {
		store_release(c);
		return reply_yerr(r, &e);
	}
	if (license_load(r, c, 0, true, &l) < 0) {
		store_release(c);
		return;
	}
	rc = license_sanction_apply(r, c, &l, action, verb, reason, basis, NULL, &e);
	if (rc == 0) {
		snprintf(object, sizeof(object), "license:%s", l.number);
		rc = req_audit_commit(r, c, object, NULL, &e);
	}
	if (rc < 0) {
		store_release(c);
		store_license_free(&l);
		return reply_yerr(r, &e);
	}
	store_license_free(&l);
	/* answer what was committed */
	if (license_load(r, c, 0, false, &l) < 0) {
		store_release(c);
		return;
	}
	store_release(c);
	reply_json(r, 200, json_pack("{s:o}", "license", license_json(&l, today)));
	store_license_free(&l);
}

void h_license_suspend(struct req *r)
{
	sanction(r, "suspend", "暂停");
}

void h_license_reinstate(struct req *r)
{
	sanction(r, "reinstate", "恢复");
}

void h_license_revoke(struct req *r)
{
	sanction(r, "revoke", "吊销");
}
