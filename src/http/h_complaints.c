/*
 * h_complaints.c — complaints and reports (投诉举报, issue 13 point 9;
 * docs/api-supervision.md "Complaints"):
 *   GET  /api/v1/public/complaints/entities?q=     public: licensed entities
 *        and the matters one may complain about
 *   POST /api/v1/public/complaints                 public: file one (per-address
 *        limit, 429 + Retry-After); answers the ticket and its lookup key
 *   GET  /api/v1/public/complaints/{ticket}?key=   public: status and outcome
 *        (no personal data; a wrong key is 404 like an unknown ticket)
 *   GET  /api/v1/supervision/complaints            complaints.read: the queue
 *        of the caller's department (auditors: all)
 *   GET  /api/v1/supervision/complaints/{ticket}   complaints.read
 *   POST /api/v1/supervision/complaints/{ticket}/accept|transfer|close
 *        complaints.handle: a supervisor of a department it is routed to
 * The reporter's contact is answered only to staff of a department the
 * complaint is routed to now.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "core/deadline.h"
#include "core/ident.h"
#include "core/text.h"
#include "http/applications.h"
#include "http/complaints.h"
#include "store/store_account.h"
#include "store/store_supervision.h"
#include "store/store_credit.h"

/* catalog ------------------------------------------------------------------------ */

/* A matter of the catalog: a string (its name) or {"code","name"}. */
static const char *matter_id(const json_t *m)
{
	const char *s;

	if (json_is_string(m))
		return json_string_value(m);
	s = json_string_value(json_object_get(m, "code"));
	return s ? s : json_string_value(json_object_get(m, "name"));
}

static const char *matter_name(const json_t *m)
{
	const char *s;

	if (json_is_string(m))
		return json_string_value(m);
	s = json_string_value(json_object_get(m, "name"));
	return s ? s : matter_id(m);
}

/* The industry's "supervision" array in the active catalog; the caller
 * holds catalog_lock shared. */
static const json_t *supervision_of(struct app *app, const char *industry)
{
	const struct catalog_industry *ind =
	    app->catalog ? catalog_industry_find(app->catalog, industry) : NULL;

	return ind ? json_object_get(ind->json, "supervision") : NULL;
}

void complaint_route(struct app *app, const char *industry, const char *matter,
		     char (*depts)[COMPLAINT_DEPT_SIZE], size_t max, size_t *n)
{
	const json_t *sup, *d, *m;
	size_t i, j;

	*n = 0;
	pthread_rwlock_rdlock(&app->catalog_lock);
	sup = supervision_of(app, industry);
	json_array_foreach (sup, i, d) {
		const char *code = json_string_value(json_object_get(d, "department"));
		int hit = matter == NULL;

		json_array_foreach (json_object_get(d, "matters"), j, m)
			if (!hit && matter_id(m) && strcmp(matter_id(m), matter) == 0)
				hit = 1;
		for (size_t k = 0; hit && code && k < *n; k++)
			if (strcmp(depts[k], code) == 0)
				hit = 0; /* listed already */
		if (hit && code && *n < max)
			snprintf(depts[(*n)++], COMPLAINT_DEPT_SIZE, "%s", code);
	}
	pthread_rwlock_unlock(&app->catalog_lock);
}

json_t *complaint_matters(struct app *app, const char *industry)
{
	json_t *out = json_array(), *seen = json_object();
	const json_t *sup, *d, *m;
	size_t i, j;

	pthread_rwlock_rdlock(&app->catalog_lock);
	sup = supervision_of(app, industry);
	json_array_foreach (sup, i, d) {
		json_array_foreach (json_object_get(d, "matters"), j, m) {
			const char *id = matter_id(m);

			if (id == NULL || json_object_get(seen, id))
				continue;
			json_object_set_new(seen, id, json_true());
			json_array_append_new(
			    out, json_pack("{s:s,s:s}", "id", id, "name", matter_name(m)));
		}
	}
	pthread_rwlock_unlock(&app->catalog_lock);
	json_decref(seen);
	return out;
}

void complaint_dept_name(struct app *app, const char *code, char *out, size_t outsz)
{
	const struct catalog_department *d;

	pthread_rwlock_rdlock(&app->catalog_lock);
	d = app->catalog ? catalog_department_find(app->catalog, code) : NULL;
	snprintf(out, outsz, "%s", d && d->name ? d->name : code);
	pthread_rwlock_unlock(&app->catalog_lock);
}

static json_t *depts_json(struct req *r, char (*depts)[COMPLAINT_DEPT_SIZE], size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++) {
		char name[256];

		complaint_dept_name(r->app, depts[i], name, sizeof(name));
		json_array_append_new(a, json_pack("{s:s,s:s}", "code", depts[i], "name", name));
	}
	return a;
}

/* public ------------------------------------------------------------------------- */

static const char *outcome_label(const char *o)
{
	return strcmp(o, "substantiated") == 0     ? "情况属实，已依法处理"
	       : strcmp(o, "unsubstantiated") == 0 ? "经核查，反映情况不属实"
	       : strcmp(o, "not_ours") == 0        ? "不属于本区监管部门职责，已告知"
						   : "";
}

static const char *status_label(const char *s)
{
	return strcmp(s, "received") == 0   ? "已受理，待部门处理"
	       : strcmp(s, "accepted") == 0 ? "部门正在处理"
	       : strcmp(s, "closed") == 0   ? "已办结"
					    : "";
}

void h_complaint_entities(struct req *r)
{
	struct store_complaint_entity *items = NULL;
	struct store_conn *c;
	struct yerr e = {0};
	const char *q;
	json_t *arr;
	size_t n = 0;
	int rc;

	if (req_query_text(r, "q", 100, &q) < 0)
		return;
	if (q == NULL || strlen(q) < 2)
		return reply_error(r, 400, "query_too_short", "q",
				   "请输入至少两个字的名称，或许可证编号、统一社会信用代码");
	if (req_acquire(r, &c) < 0)
		return;
	rc = store_complaint_entities(c, req_district(r), q, 20, &items, &n, &e);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s,s:s,s:o}", "uscc",
						     items[i].uscc, "name", items[i].name,
						     "license_number", items[i].license_number,
						     "industry", items[i].industry, "industry_name",
						     items[i].industry_name, "matters",
						     complaint_matters(r->app, items[i].industry)));
	free(items);
	reply_json(r, 200, req_list_json(arr, (int64_t)n, NULL));
}

/* Crockford base32 without I, L, O, U: read aloud and typed without
 * confusion. */
static void random_code(char *out, size_t len)
{
	static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

	for (size_t i = 0; i < len; i++)
		out[i] = alphabet[randombytes_uniform(32)];
	out[len] = '\0';
}

static void key_hash(const char *key, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, (const unsigned char *)key, strlen(key));
	sodium_bin2hex(out, 65, h, sizeof(h));
}

/* 429 with Retry-After (seconds) and a message in minutes. */
static void reply_limited(struct req *r, int64_t wait)
{
	char ra[24];

	snprintf(ra, sizeof(ra), "%lld", (long long)wait);
	reply_error(r, 429, "too_many_complaints", NULL,
		    "同一网络地址提交投诉举报过于频繁，请 %lld 分钟后再试",
		    (long long)((wait + 59) / 60));
	reply_header(r, "Retry-After", ra);
}

void h_complaint_file(struct req *r)
{
	static const char *const keys[] = {"license_number", "uscc",    "matter",
					   "description",    "contact", NULL};
	const char *number, *uscc, *matter, *desc, *contact;
	char depts[COMPLAINT_DEPTS_MAX][COMPLAINT_DEPT_SIZE], ticket[COMPLAINT_TICKET_SIZE];
	char key[21], hash[65], filed[16], due_s[16], object[64];
	const char *dept_ptrs[COMPLAINT_DEPTS_MAX];
	struct store_complaint_entity ent;
	struct store_complaint_new in = {0};
	struct store_conn *c;
	struct yerr e = {0};
	int64_t now = app_now(r->app), wait = 0, id = 0;
	int today = app_today(r), due, rc;
	bool provisional = false;
	size_t ndepts = 0;

	if (req_body_keys(r, keys) < 0 ||
	    req_text(r, "license_number", 0, LICENSE_NUMBER_SIZE - 1, &number) < 0 ||
	    req_text(r, "uscc", 0, 18, &uscc) < 0 ||
	    req_text(r, "matter", ARG_REQUIRED, COMPLAINT_MATTER_MAX, &matter) < 0 ||
	    req_text(r, "description", ARG_REQUIRED | ARG_MULTILINE, COMPLAINT_DESCRIPTION_MAX,
		     &desc) < 0 ||
	    req_text(r, "contact", 0, COMPLAINT_CONTACT_MAX, &contact) < 0)
		return;
	if (number == NULL && uscc == NULL)
		return reply_error(r, 400, "required", "license_number",
				   "请选择被投诉举报的经营主体（许可证编号或统一社会信用代码）");
	if (number == NULL) {
		struct ident_result ir;

		ident_check_uscc(uscc, strlen(uscc), &ir);
		if (!ir.valid)
			return reply_error(r, 400, ir.reason, "uscc", "%s", ir.message);
	}
	if (text_chars(desc, strlen(desc)) < COMPLAINT_DESCRIPTION_MIN)
		return reply_error(r, 400, "too_short", "description",
				   "请把问题描述清楚（至少 %d 个字）", COMPLAINT_DESCRIPTION_MIN);
	if (req_acquire(r, &c) < 0)
		return;
	rc = store_complaint_entity_get(c, req_district(r), number, number ? NULL : uscc, &ent, &e);
	if (rc < 0) {
		store_release(c);
		if (e.status == 404)
			snprintf(e.field, sizeof(e.field), "%s",
				 number ? "license_number" : "uscc");
		return reply_yerr(r, &e);
	}
	complaint_route(r->app, ent.industry, matter, depts, COMPLAINT_DEPTS_MAX, &ndepts);
	if (ndepts == 0) {
		store_release(c);
		return reply_error(r, 400, "unknown_matter", "matter",
				   "该行业没有这一监管事项，请从列表中选择");
	}
	pthread_rwlock_rdlock(&r->app->cal_lock);
	rc = deadline_add(r->app->cal, today, COMPLAINT_HANDLE_DAYS, &due, &provisional, &e);
	pthread_rwlock_unlock(&r->app->cal_lock);
	if (rc < 0) {
		store_release(c);
		return reply_yerr(r, &e);
	}
	date_format(today, filed, sizeof(filed));
	date_format(due, due_s, sizeof(due_s));
	/* 10 characters of 32: a ticket repeats with odds of about 1 in 10^15
	 * per pair, and the unique index refuses one that does (409). */
	memcpy(ticket, "TS", 2);
	random_code(ticket + 2, 10);
	random_code(key, 20); /* 100 bits: not guessable, told once */
	key_hash(key, hash);
	for (size_t i = 0; i < ndepts; i++)
		dept_ptrs[i] = depts[i];
	in = (struct store_complaint_new){.ticket = ticket,
					  .key_hash = hash,
					  .uscc = ent.uscc,
					  .entity_name = ent.name,
					  .license_number = ent.license_number,
					  .industry = ent.industry,
					  .matter = matter,
					  .description = desc,
					  .contact = contact,
					  .filed_on = filed,
					  .due_day = due_s,
					  .depts = dept_ptrs,
					  .ndepts = ndepts};
	snprintf(object, sizeof(object), "complaint:%s", ticket);
	rc = store_complaint_rate_prune(c, req_district(r), now, 3600, &e);
	if (rc == 0)
		rc = store_begin(c, &e);
	if (rc == 0)
		rc = store_complaint_rate(c, req_district(r), r->client, now, 3600,
					  r->app->cfg.complaint_rate, &wait, &e);
	if (rc == 0 && wait > 0) {
		store_release(c); /* rolls back: the refused attempt is not counted */
		return reply_limited(r, wait);
	}
	if (rc == 0)
		rc = store_complaint_insert(c, req_district(r), &in, now, &id, &e);
	if (rc == 0)
		rc = req_audit_commit(r, c, object, NULL, &e);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	reply_json(
	    r, 201,
	    json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:s}", "ticket", ticket, "key", key, "status",
		      "received", "filed_on", filed, "due_day", due_s, "entity_name", ent.name,
		      "departments", depts_json(r, depts, ndepts), "message",
		      "请保存好受理编号和查询码：凭二者可查询办理进度和结果，查询码不会再次显示"));
}

void h_complaint_lookup(struct req *r)
{
	const char *ticket = req_param(r, "ticket"), *key = req_query(r, "key");
	struct store_complaint cp;
	struct store_conn *c;
	struct yerr e = {0};
	char hash[65];
	int rc;

	if (strlen(ticket) >= COMPLAINT_TICKET_SIZE || key == NULL || strlen(key) > 64)
		return reply_error(r, 404, "complaint_not_found", NULL, "受理编号或查询码不正确");
	if (req_acquire(r, &c) < 0)
		return;
	rc = store_complaint_get(c, req_district(r), ticket, false, &cp, &e);
	store_release(c);
	if (rc < 0 && e.status != 404)
		return reply_yerr(r, &e);
	key_hash(key, hash);
	/* unknown ticket and wrong key answer alike */
	if (rc < 0 || sodium_memcmp(hash, cp.key_hash, 64) != 0) {
		if (rc == 0)
			store_complaint_free(&cp);
		return reply_error(r, 404, "complaint_not_found", NULL, "受理编号或查询码不正确");
	}
	reply_json(r, 200,
		   json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:s?,s:s?,s:s?,s:o}", "ticket",
			     cp.ticket, "status", cp.status, "status_label",
			     status_label(cp.status), "entity_name",
			     cp.entity_name ? cp.entity_name : "", "matter",
			     cp.matter ? cp.matter : "", "filed_on", cp.filed_on, "due_day",
			     cp.due_day, "departments", depts_json(r, cp.depts, cp.ndepts),
			     "outcome", cp.outcome[0] ? cp.outcome : NULL, "outcome_label",
			     cp.outcome[0] ? outcome_label(cp.outcome) : NULL, "closed_on",
			     cp.closed_on[0] ? cp.closed_on : NULL, "reply",
			     cp.reply ? json_string(cp.reply) : json_null()));
	store_complaint_free(&cp);
}

/* handling ----------------------------------------------------------------------- */

static bool routed_to(const struct store_complaint *cp, const char *dept)
{
	for (size_t i = 0; dept && dept[0] && i < cp->ndepts; i++)
		if (strcmp(cp->depts[i], dept) == 0)
			return true;
	return false;
}

/* The staff view of cp; the contact only for a department it is routed to. */
static json_t *complaint_json(struct req *r, const struct store_complaint *cp)
{
	char today_s[16];
	bool overdue;
	json_t *o;

	date_format(app_today(r), today_s, sizeof(today_s));
	overdue = strcmp(cp->status, "closed") != 0 && strcmp(cp->due_day, today_s) < 0;
	o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:o}", "ticket", cp->ticket,
		      "uscc", cp->uscc, "entity_name", cp->entity_name ? cp->entity_name : "",
		      "license_number", cp->license_number, "industry", cp->industry, "matter",
		      cp->matter ? cp->matter : "", "description",
		      cp->description ? cp->description : "", "status", cp->status, "status_label",
		      status_label(cp->status), "filed_on", cp->filed_on, "due_day", cp->due_day,
		      "overdue", overdue, "departments",
		      depts_json(r, (char(*)[COMPLAINT_DEPT_SIZE])cp->depts, cp->ndepts));
	json_object_set_new(o, "outcome", cp->outcome[0] ? json_string(cp->outcome) : json_null());
	json_object_set_new(o, "reply", cp->reply ? json_string(cp->reply) : json_null());
	json_object_set_new(o, "closed_on",
			    cp->closed_on[0] ? json_string(cp->closed_on) : json_null());
	json_object_set_new(o, "closed_department",
			    cp->closed_department[0] ? json_string(cp->closed_department)
						     : json_null());
	if (r->who.kind != PRINCIPAL_TOKEN && routed_to(cp, r->who.department))
		json_object_set_new(o, "contact",
				    cp->contact ? json_string(cp->contact) : json_null());
	return o;
}

void h_complaints_list(struct req *r)
{
	struct store_complaint_filter f = {0};
	struct store_complaint *items = NULL;
	const char *scope = principal_department_scope(&r->who), *status, *uscc;
	char today_s[16];
	struct store_conn *c;
	struct req_page page;
	struct yerr e = {0};
	long long overdue;
	int64_t total = 0;
	json_t *arr;
	size_t n = 0;
	int rc;

	if (req_paging(r, REQ_PAGE_DEFAULT, REQ_PAGE_MAX, &page) < 0 ||
	    req_query_text(r, "status", 12, &status) < 0 ||
	    req_query_text(r, "uscc", 18, &uscc) < 0 ||
	    req_query_int(r, "overdue", 0, 0, 1, &overdue) < 0)
		return;
	if (status && strcmp(status, "received") != 0 && strcmp(status, "accepted") != 0 &&
	    strcmp(status, "closed") != 0)
		return reply_error(r, 400, "invalid_status", "status",
				   "status 须为 received、accepted 或 closed");
	date_format(app_today(r), today_s, sizeof(today_s));
	f.department = scope; /* NULL: auditors and administrators see every one */
	f.status = status;
	f.uscc = uscc;
	f.open_due_before = overdue ? today_s : NULL;
	f.limit = page.limit;
	f.offset = page.offset;
	if (req_acquire(r, &c) < 0)
		return;
	rc = store_complaint_list(c, req_district(r), &f, &items, &n, &total, &e);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, complaint_json(r, &items[i]));
	store_complaints_free(items, n);
	reply_json(r, 200, req_list_json(arr, total, &page));
}

/* Loads {ticket} for the caller: 404 unless it is routed to their
 * department (auditors and administrators: any). */
static int load_visible(struct req *r, struct store_conn *c, bool lock, struct store_complaint *cp)
{
	const char *ticket = req_param(r, "ticket"), *scope = principal_department_scope(&r->who);
	struct yerr e = {0};

	snprintf(r->audit_object, sizeof(r->audit_object), "complaint:%.40s", ticket);
	if (strlen(ticket) >= COMPLAINT_TICKET_SIZE) {
		reply_error(r, 404, "complaint_not_found", NULL, "投诉举报不存在");
		return -1;
	}
	if (store_complaint_get(c, req_district(r), ticket, lock, cp, &e) < 0) {
		reply_yerr(r, &e);
		return -1;
	}
	if (scope != NULL && !routed_to(cp, scope)) {
		store_complaint_free(cp);
		reply_error(r, 404, "complaint_not_found", NULL, "投诉举报不存在");
		return -1;
	}
	return 0;
}

/* The start of every write on a complaint: a connection, a transaction and
 * the complaint, locked and visible to the caller. -1 when it answered (the
 * connection released). */
static int begin_visible(struct req *r, struct store_conn **c, struct store_complaint *cp)
{
	struct yerr e = {0};

	if (req_acquire(r, c) < 0)
		return -1;
	if (store_begin(*c, &e) < 0) {
		store_release(*c);
		reply_yerr(r, &e);
		return -1;
	}
	if (load_visible(r, *c, true, cp) < 0) {
		store_release(*c);
		return -1;
	}
	return 0;
}

void h_complaint_get(struct req *r)
{
	struct store_complaint cp;
	struct store_conn *c;

	if (req_acquire(r, &c) < 0)
		return;
	if (load_visible(r, c, false, &cp) < 0) {
		store_release(c);
		return;
	}
	store_release(c);
	reply_json(r, 200, json_pack("{s:o}", "complaint", complaint_json(r, &cp)));
	store_complaint_free(&cp);
}

/* Ends a change: audit, commit, then answers the complaint as it is now. */
static void finish(struct req *r, struct store_conn *c, int rc, struct yerr *e)
{
	struct store_complaint cp;

	if (rc == 0)
		rc = req_audit_commit(r, c, r->audit_object, NULL, e);
	if (rc == 0)
		rc = store_complaint_get(c, req_district(r), req_param(r, "ticket"), false, &cp, e);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, e);
	reply_json(r, 200, json_pack("{s:o}", "complaint", complaint_json(r, &cp)));
	store_complaint_free(&cp);
}

void h_complaint_accept(struct req *r)
{
	struct store_complaint cp;
	struct store_conn *c;
	struct yerr e = {0};
	int rc;

	if (begin_visible(r, &c, &cp) < 0)
		return;
	rc = store_complaint_accept(c, req_district(r), cp.id, r->who.id, app_now(r->app), &e);
	store_complaint_free(&cp);
	finish(r, c, rc, &e);
}

void h_complaint_transfer(struct req *r)
{
	static const char *const keys[] = {"department", "reason", NULL};
	const char *to, *reason;
	struct store_department d;
	struct store_complaint cp;
	struct store_conn *c;
	struct yerr e = {0};
	int rc;

	if (req_body_keys(r, keys) < 0 ||
	    req_text(r, "department", ARG_REQUIRED, DEPT_CODE_MAX, &to) < 0 ||
	    req_text(r, "reason", ARG_REQUIRED | ARG_MULTILINE, COMPLAINT_NOTE_MAX, &reason) < 0)
		return;
	if (begin_visible(r, &c, &cp) < 0)
		return;
	rc = store_department_get(c, req_district(r), to, &d, &e);
	if (rc < 0 && e.status == 404) {
		yerr_set(&e, 400, "unknown_department", "department", "没有这个部门");
	} else if (rc == 0 && d.disabled) {
		rc = yerr_set(&e, 400, "unknown_department", "department", "该部门已停用");
	}
	if (rc == 0 && !routed_to(&cp, r->who.department))
		rc = yerr_set(&e, 403, "not_your_department", NULL,
			      "只有承办部门的监管人员可以转交");
	if (rc == 0)
		rc = store_complaint_transfer(c, req_district(r), cp.id, r->who.department, to,
					      reason, app_now(r->app), &e);
	store_complaint_free(&cp);
	finish(r, c, rc, &e);
}

void h_complaint_close(struct req *r)
{
	static const char *const keys[] = {"outcome", "reply", NULL};
	const char *outcome, *reply;
	struct store_complaint cp;
	struct store_conn *c;
	struct yerr e = {0};
	int64_t now = app_now(r->app);
	char day[16];
	int rc = 0;

	if (req_body_keys(r, keys) < 0 || req_text(r, "outcome", ARG_REQUIRED, 20, &outcome) < 0)
		return;
	if (strcmp(outcome, "substantiated") != 0 && strcmp(outcome, "unsubstantiated") != 0 &&
	    strcmp(outcome, "not_ours") != 0)
		return reply_error(
		    r, 400, "invalid_outcome", "outcome",
		    "办理结果须为 substantiated（属实）、unsubstantiated（不属实）或 "
		    "not_ours（不属本部门职责）");
	if (req_text(r, "reply", ARG_REQUIRED | ARG_MULTILINE, COMPLAINT_REPLY_MAX, &reply) < 0)
		return;
	date_format(app_today(r), day, sizeof(day));
	if (begin_visible(r, &c, &cp) < 0)
		return;
	if (!routed_to(&cp, r->who.department))
		rc = yerr_set(&e, 403, "not_your_department", NULL,
			      "只有承办部门的监管人员可以办结");
	if (rc == 0)
		rc = store_complaint_close(c, req_district(r), cp.id, outcome, reply,
					   r->who.department, r->who.id, day, now, &e);
	/* A substantiated complaint is a credit record of the entity and a
	 * publishable supervision record (without the description or the
	 * reporter); the others stay between the reporter and the department. */
	if (rc == 0 && strcmp(outcome, "substantiated") == 0) {
		json_t *detail = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "uscc", cp.uscc,
					   "entity_name", cp.entity_name ? cp.entity_name : "",
					   "matter", cp.matter ? cp.matter : "", "outcome", outcome,
					   "department", r->who.department, "closed_on", day);

		struct credit_record_in cr = {.uscc = cp.uscc,
					      .kind = "complaint_substantiated",
					      .ref = cp.ticket,
					      .department = r->who.department,
					      .summary = "投诉举报经核查属实",
					      .day = app_today(r),
					      .today = app_today(r),
					      .created_by = r->who.id,
					      .now = now};
		char *text = json_dumps(detail, JSON_COMPACT);

		cr.detail = text;
		rc = credit_record_add(c, req_district(r), &cr, &e);
		free(text);
		if (rc == 0)
			rc = sup_event_append(c, req_district(r), "complaint_closed", cp.ticket,
					      detail, &e);
		json_decref(detail);
	}
	store_complaint_free(&cp);
	finish(r, c, rc, &e);
}
