/*
 * h_license_public.c — the license's public side (issue 12, lic-public;
 * docs/api-licenses.md "Lists", "Hand-over", "Export", "Disclosure"):
 *   GET  /api/v1/licenses                    licenses.read (holder: own; staff: district)
 *   GET  /api/v1/licenses/export             licenses.export (token scope licenses:read)
 *   GET  /api/v1/licenses/{number}/handover  licenses.read (holder: no collector details)
 *   POST /api/v1/licenses/{number}/handover  licenses.handover (区行政服务中心 window)
 *   GET  /api/v1/public/licenses             public (行政许可信息公示)
 * 亮证 (display tokens) is in h_license_display.c.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "core/ident.h"
#include "http/accounts.h"
#include "http/license_public.h"
#include "store/store_license_public.h"

#define EXPORT_DEFAULT 100
#define EXPORT_MAX 1000

/* A member of a parsed document for another object: a new reference, null
 * when absent. */
static json_t *jget(json_t *v)
{
	return v ? json_incref(v) : json_null();
}

static json_t *opt_str(const char *s)
{
	return s && s[0] ? json_string(s) : json_null();
}

int lic_is_holder_only(const struct req *r)
{
	return r->who.kind != PRINCIPAL_TOKEN && (r->who.roles & ROLE_BIT(ROLE_APPLICANT)) &&
	       (r->who.roles & ROLES_STAFF) == 0;
}

int lic_load_for(struct req *r, struct store_conn *c, const char *number, struct lic_row *l,
		 struct yerr *e)
{
	if (strlen(number) > LIC_NUMBER_MAX) {
		yerr_set(e, 404, "license_not_found", NULL, "许可证不存在");
		return -1;
	}
	if (store_lic_current(c, req_district(r), number, l, e) < 0)
		return -1;
	/* a holder reads their own licenses only; another's is as absent */
	if (lic_is_holder_only(r) && l->holder_user_id != r->who.id) {
		lic_row_free(l);
		yerr_set(e, 404, "license_not_found", NULL, "许可证不存在");
		return -1;
	}
	return 0;
}

/* From the signed document: the issuing authority's name and the permits. */
static void doc_parts(const char *doc, json_t **issuer, json_t **permits, json_t **type)
{
	json_t *d = doc ? json_loads(doc, 0, NULL) : NULL;
	json_t *is = json_object_get(d, "issuer"), *ps = json_object_get(d, "permits");
	size_t i;
	json_t *p;

	*issuer = json_pack("{s:o,s:o}", "department", jget(json_object_get(is, "department")),
			    "name", jget(json_object_get(is, "name")));
	*permits = json_array();
	json_array_foreach (ps, i, p)
		json_array_append_new(*permits,
				      json_pack("{s:o,s:o,s:o,s:o}", "code",
						jget(json_object_get(p, "code")), "name",
						jget(json_object_get(p, "name")), "department_name",
						jget(json_object_get(p, "department_name")),
						"basis", jget(json_object_get(p, "basis"))));
	if (type)
		*type = json_string(json_string_value(json_object_get(d, "type"))
					? json_string_value(json_object_get(d, "type"))
					: "行业综合许可证");
	json_decref(d);
}

/* What a list shows of one license (holder or staff). */
static json_t *lic_item(const void *v)
{
	const struct lic_row *l = v;
	json_t *issuer, *permits;

	doc_parts(l->doc, &issuer, &permits, NULL);
	return json_pack(
	    "{s:s,s:i,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "number", l->number,
	    "version", l->version, "eid", opt_str(l->eid), "status", opt_str(l->status), "holder",
	    json_pack("{s:o,s:o}", "name", opt_str(l->holder_name), "uscc",
		      opt_str(l->holder_uscc)),
	    "industry",
	    json_pack("{s:o,s:o}", "code", opt_str(l->industry), "name", opt_str(l->industry_name)),
	    "permits", permits, "issuer", issuer, "valid_from", opt_str(l->valid_from),
	    "valid_until", opt_str(l->valid_until), "issued_on", opt_str(l->issued_on),
	    "status_reason", opt_str(l->status_reason), "status_basis", opt_str(l->status_basis),
	    "status_at", l->status_at ? json_integer(l->status_at) : json_null(), "superseded_by",
	    l->superseded_by ? json_integer(l->superseded_by) : json_null());
}

static const char *const statuses[] = {"valid",   "suspended",  "revoked", "cancelled",
				       "expired", "superseded", NULL};

static int status_param(struct req *r, const char **status)
{
	if (req_query_text(r, "status", 16, status) < 0)
		return -1;
	for (int i = 0; *status && statuses[i]; i++)
		if (strcmp(statuses[i], *status) == 0)
			return 0;
	if (*status) {
		reply_error(
		    r, 400, "invalid_status", "status",
		    "status 须为 valid、suspended、revoked、cancelled、expired 或 superseded");
		return -1;
	}
	return 0;
}

/* One list of licenses for staff, holders and the public: holder 0 is the
 * whole district; item decides what of each row is shown. */
static void lic_list(struct req *r, int64_t holder, int max, json_t *(*item)(const void *))
{
	struct lic_filter f = {.holder_user_id = holder};
	struct req_page page;
	struct lic_row *rows;
	struct store_conn *c;
	struct yerr e = {0};
	int64_t total;
	int n, rc;

	if (req_paging(r, 20, max, &page) < 0 || req_query_text(r, "q", 64, &f.q) < 0 ||
	    status_param(r, &f.status) < 0)
		return;
	f.limit = page.limit;
	f.offset = page.offset;
	if (req_acquire(r, &c) < 0)
		return;
	rc = store_lic_list(c, req_district(r), &f, &rows, &n, &total, &e);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	reply_json(r, 200, req_list(rows, (size_t)n, sizeof(*rows), item, total, &page));
	lic_rows_free(rows, n);
}

void h_licenses_list(struct req *r)
{
	lic_list(r, lic_is_holder_only(r) ? r->who.id : 0, 100, lic_item);
}

/* 行政许可信息公示: the public record of each license, nothing personal.
 * A holder's name and credit code are public information for an
 * enterprise's license (and printed on it); the reason text a supervisor
 * typed is not published (it may name persons) — the status and its legal
 * basis are. */
static json_t *public_item(const void *v)
{
	const struct lic_row *l = v;
	json_t *o = lic_item(v);

	json_object_del(o, "eid");
	json_object_del(o, "status_reason");
	json_object_set_new(o, "status_basis", opt_str(l->status_basis));
	return o;
}

void h_public_licenses(struct req *r)
{
	lic_list(r, 0, 50, public_item);
}

/* export --------------------------------------------------------------------- */

json_t *lic_export_json(const struct lic_export *x)
{
	json_t *issuer, *permits, *type;

	doc_parts(x->lic.doc, &issuer, &permits, &type);
	json_decref(permits);
	return json_pack("{s:I,s:s,s:s,s:I,s:o,s:o,s:s,s:i,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "seq",
			 (json_int_t)x->seq, "event", x->kind, "event_status", x->event_status,
			 "event_at", (json_int_t)x->at, "type", type, "eid", opt_str(x->lic.eid),
			 "number", x->lic.number, "version", x->lic.version, "holder",
			 json_pack("{s:o,s:o}", "name", opt_str(x->lic.holder_name), "uscc",
				   opt_str(x->lic.holder_uscc)),
			 "issuer", issuer, "industry",
			 json_pack("{s:o,s:o}", "code", opt_str(x->lic.industry), "name",
				   opt_str(x->lic.industry_name)),
			 "issued_on", opt_str(x->lic.issued_on), "valid_from",
			 opt_str(x->lic.valid_from), "valid_until", opt_str(x->lic.valid_until),
			 "status", opt_str(x->lic.status), "file_sha256",
			 opt_str(x->lic.pdf_sha256));
}

void h_licenses_export(struct req *r)
{
	struct lic_export *xs;
	long long after, limit;
	struct store_conn *c;
	struct yerr e = {0};
	json_t *items;
	int n, rc;

	if (req_query_int(r, "after", 0, 0, INT64_MAX, &after) < 0 ||
	    req_query_int(r, "limit", EXPORT_DEFAULT, 1, EXPORT_MAX, &limit) < 0)
		return;
	if (req_acquire(r, &c) < 0)
		return;
	rc = store_lic_export(c, req_district(r), after, (int)limit, &xs, &n, &e);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, lic_export_json(&xs[i]));
	/* next: the cursor to ask with next time; the same `after` when nothing
	   new was committed, so a consumer polls with it until items appear */
	reply_json(r, 200,
		   json_pack("{s:o,s:I}", "items", items, "next",
			     (json_int_t)(n ? xs[n - 1].seq : after)));
	lic_exports_free(xs, n);
}

/* hand-over ------------------------------------------------------------------ */

static const char *const id_types[] = {"idcard",        "passport", "hk_macao_permit",
				       "taiwan_permit", "other",    NULL};

static json_t *handover_json(const struct lic_handover *h, int holder)
{
	json_t *o = json_pack(
	    "{s:I,s:s,s:i,s:b,s:s,s:o,s:o,s:o,s:o,s:I}", "id", (json_int_t)h->id, "number",
	    h->number, "version", h->version, "current", h->is_current, "method", h->method,
	    "carrier", opt_str(h->carrier), "tracking_no", opt_str(h->tracking_no), "corrects",
	    h->corrects ? json_integer(h->corrects) : json_null(), "correction_reason",
	    opt_str(h->correction_reason), "at", (json_int_t)h->at);

	if (!holder) {
		/* staff: who collected it (ID masked — the full number is never
		   stored), where the paper copy is archived, who recorded it */
		json_object_set_new(o, "collector_name", opt_str(h->collector_name));
		json_object_set_new(o, "collector_id_type", opt_str(h->collector_id_type));
		json_object_set_new(o, "collector_id_masked", opt_str(h->collector_id_masked));
		json_object_set_new(o, "archive_location", opt_str(h->archive_location));
		json_object_set_new(o, "note", opt_str(h->note));
		json_object_set_new(o, "recorded_by", opt_str(h->by_name));
	}
	return o;
}

void h_license_handover_get(struct req *r)
{
	const char *number = req_param(r, "number");
	struct lic_handover *hs = NULL;
	struct store_conn *c;
	struct lic_row l;
	struct yerr e = {0};
	json_t *items, *cur = json_null();
	int n = 0, rc, holder = lic_is_holder_only(r);

	if (req_acquire(r, &c) < 0)
		return;
	rc = lic_load_for(r, c, number, &l, &e);
	if (rc == 0) {
		rc = store_handover_list(c, req_district(r), l.number, &hs, &n, &e);
		lic_row_free(&l);
	}
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	items = json_array();
	for (int i = 0; i < n; i++) {
		json_t *o = handover_json(&hs[i], holder);

		if (hs[i].is_current && json_is_null(cur))
			cur = json_incref(o);
		json_array_append_new(items, o);
	}
	lic_handovers_free(hs, n);
	reply_json(r, 200, json_pack("{s:o,s:o}", "handover", cur, "items", items));
}

/* The collector's ID: an 居民身份证 must pass its check (the clerk mistyped
 * otherwise); any type is stored masked only. */
static int handover_collector(struct req *r, struct lic_handover *h)
{
	const char *name, *type, *idno;
	char masked[80];
	int ok = 0;

	if (req_text(r, "collector_name", ARG_REQUIRED, 64, &name) < 0 ||
	    req_text(r, "collector_id_type", ARG_REQUIRED, 24, &type) < 0 ||
	    req_text(r, "collector_id_number", ARG_REQUIRED, 32, &idno) < 0)
		return -1;
	for (int i = 0; id_types[i]; i++)
		ok |= strcmp(id_types[i], type) == 0;
	if (!ok) {
		reply_error(
		    r, 400, "invalid_id_type", "collector_id_type",
		    "证件类型须为 idcard、passport、hk_macao_permit、taiwan_permit 或 other");
		return -1;
	}
	if (strcmp(type, "idcard") == 0) {
		struct ident_result res;

		ident_check_idcard(idno, strlen(idno),
				   date_to_packed(date_today_shanghai(app_now(r->app))), &res);
		if (!res.valid) {
			reply_error(r, 400, "invalid_idcard", "collector_id_number", "%s",
				    res.message);
			return -1;
		}
	}
	if (ident_mask_idcard(idno, masked, sizeof(masked)) < 0) {
		reply_error(r, 400, "invalid_id_number", "collector_id_number", "证件号码无效");
		return -1;
	}
	h->collector_name = strdup(name);
	h->collector_id_type = strdup(type);
	h->collector_id_masked = strdup(masked);
	return 0;
}

static int opt_dup(struct req *r, const char *key, unsigned flags, size_t max, char **out)
{
	const char *v;

	if (req_text(r, key, flags, max, &v) < 0)
		return -1;
	*out = v ? strdup(v) : NULL;
	return 0;
}

void h_license_handover_create(struct req *r)
{
	static const char *const keys[] = {"method",
					   "collector_name",
					   "collector_id_type",
					   "collector_id_number",
					   "carrier",
					   "tracking_no",
					   "archive_location",
					   "note",
					   "correction_reason",
					   NULL};
	const char *number = req_param(r, "number"), *method;
	struct lic_handover h = {0};
	struct store_conn *c;
	struct lic_row l;
	struct yerr e = {0};
	int rc;

	snprintf(r->audit_object, sizeof(r->audit_object), "license:%.60s", number);
	if (req_body_keys(r, keys) < 0 || req_text(r, "method", ARG_REQUIRED, 16, &method) < 0)
		return;
	if (strcmp(method, "window") && strcmp(method, "post") && strcmp(method, "electronic"))
		return reply_error(
		    r, 400, "invalid_method", "method",
		    "发放方式须为 window（窗口领取）、post（邮寄）或 electronic（仅电子证照）");
	snprintf(h.method, sizeof(h.method), "%s", method);
	if (strcmp(method, "window") == 0 && handover_collector(r, &h) < 0)
		goto out;
	if (strcmp(method, "post") == 0 &&
	    (opt_dup(r, "carrier", ARG_REQUIRED, 32, &h.carrier) < 0 ||
	     opt_dup(r, "tracking_no", ARG_REQUIRED, 40, &h.tracking_no) < 0))
		goto out;
	if (opt_dup(r, "archive_location", 0, 100, &h.archive_location) < 0 ||
	    opt_dup(r, "note", ARG_MULTILINE, 500, &h.note) < 0 ||
	    opt_dup(r, "correction_reason", ARG_MULTILINE, 500, &h.correction_reason) < 0)
		goto out;
	if (strcmp(method, "electronic") != 0 && h.archive_location == NULL) {
		reply_error(r, 400, "required", "archive_location",
			    "请填写纸质档案存放位置（档案柜/盒号）");
		goto out;
	}
	h.by_id = r->who.id;
	h.by_name = strdup(r->who.name);
	h.at = app_now(r->app);
	if (req_acquire(r, &c) < 0)
		goto out;
	rc = store_begin(c, &e);
	if (rc == 0)
		rc = lic_load_for(r, c, number, &l, &e);
	if (rc == 0) {
		snprintf(h.number, sizeof(h.number), "%s", l.number);
		h.version = l.version;
		/* only a valid license is handed over; a record already made may
		   still be corrected whatever happened to the license since */
		if (h.correction_reason == NULL && strcmp(l.status, "valid") != 0)
			rc = yerr_set(&e, 409, "license_not_valid", NULL,
				      "许可证当前不是有效状态，不能登记发放");
		else
			rc = store_handover_insert(c, req_district(r), &h, l.status, &e);
		lic_row_free(&l);
	}
	if (rc == 0)
		rc = req_audit_commit(r, c, r->audit_object, NULL, &e);
	store_release(c);
	if (rc < 0)
		reply_yerr(r, &e);
	else
		reply_json(r, 201, json_pack("{s:o}", "handover", handover_json(&h, 0)));
out:
	lic_handover_free(&h);
}
