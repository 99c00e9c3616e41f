/*
 * license_write.c — building, signing, rendering and storing a version of a
 * license, loading one for the caller and its API shape (licenses.h). Shared
 * by issuance (h_licenses.c) and every later version (the lifecycle).
 */
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/canon.h"
#include "core/date.h"
#include "core/payload.h"
#include "http/licenses.h"
#include "io/blobs.h"
#include "io/keys.h"
#include "render/render.h"
#include "store/store_register.h"

void license_build_free(struct license_build *b)
{
	json_decref(b->form);
	memset(b, 0, sizeof(*b));
}

static const char *form_text(const json_t *form, const char *id)
{
	const char *s = json_string_value(json_object_get(form, id));

	return s ? s : "";
}

int license_build_from_app(struct req *r, struct store_conn *c, const struct store_app *a,
			   const struct app_notice *n, const char *number, int version, int today,
			   struct license_build *b, struct yerr *e)
{
	const struct catalog_department *issuer;
	struct license_validity_rule rule;
	struct license_input *in = &b->in;
	int y;

	memset(b, 0, sizeof(*b));
	b->form = json_loads(a->form ? a->form : "{}", 0, NULL);
	if (b->form == NULL)
		b->form = json_object();
	if (n->g.npermits > WF_MAX_PERMITS)
		return yerr_set(e, 422, "too_many_permits", NULL, "许可事项过多");
	date_to_ymd(today, &y, NULL, NULL);
	if (number != NULL) {
		struct license_no no;

		if (license_number_parse(number, &no, e) != 0)
			return -1;
		snprintf(b->number, sizeof(b->number), "%s", number);
		b->year = no.year;
		b->serial = no.serial;
	} else {
		/* The serial is taken here, in the issuing transaction: a rollback
		 * leaves a gap, never a repeat. */
		b->year = y;
		if (store_license_next_serial(c, req_district(r), y, &b->serial, e) < 0)
			return -1;
		if (license_number_format(req_district(r), y, b->serial, b->number,
					  sizeof(b->number), e) != 0)
			return -1;
	}
	if (license_eid_build(req_district(r), b->year, b->serial, version, b->eid, sizeof(b->eid),
			      e) != 0)
		return -1;
	for (size_t i = 0; i < n->g.npermits; i++) {
		const struct catalog_permit *p = n->g.permits[i].permit;
		const struct catalog_department *d = n->g.permits[i].department;

		b->permits[i] = (struct license_permit){p->code, p->name, p->department,
							d ? d->name : p->department,
							p->legal_basis ? p->legal_basis : ""};
		b->permit_years[i] = p->no_term ? 0 : p->validity_years;
	}
	license_rule_of(n->cat, n->g.industry, &rule, NULL, NULL);
	issuer = catalog_department_find(n->cat, r->who.department);
	in->number = b->number;
	in->eid = b->eid;
	in->version = version;
	in->holder_name = form_text(b->form, "F_ent_name");
	in->holder_uscc = form_text(b->form, "F_uscc");
	in->legal_rep = form_text(b->form, "F_legal_name");
	in->address = form_text(b->form, "F_site_address");
	in->industry_code = n->g.industry ? n->g.industry->code : a->industry;
	in->industry_name = n->g.industry ? n->g.industry->name : a->industry;
	in->permits = b->permits;
	in->npermits = n->g.npermits;
	in->valid_from = today;
	in->valid_until = license_valid_until(today, &rule, b->permit_years, n->g.npermits);
	in->issued_on = today;
	in->district = req_district(r);
	in->issuer_department = r->who.department;
	in->issuer_name = issuer ? issuer->name : n->cat->issuer;
	b->application_id = a->id;
	b->holder_user_id = a->applicant_id;
	b->entity_id = a->entity_id;
	return 0;
}

void license_public_url(struct req *r, char *out, size_t outsz)
{
	const union MHD_ConnectionInfo *ci;
	const union MHD_DaemonInfo *di = NULL;
	int port = r->app->cfg.listen_port;

	if (r->app->cfg.public_url[0]) {
		snprintf(out, outsz, "%s", r->app->cfg.public_url);
		return;
	}
	/* The default follows the address the server listens on; with port 0
	 * the bound port is the daemon's. */
	ci = r->conn ? MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_DAEMON) : NULL;
	if (ci != NULL)
		di = MHD_get_daemon_info(ci->daemon, MHD_DAEMON_INFO_BIND_PORT);
	if (di != NULL && di->port)
		port = di->port;
	snprintf(out, outsz, "http://%s:%d", r->app->cfg.listen_host, port);
}

/* store_pdf writes the PDF to the blob store, durable before the row. */
static int store_pdf(struct req *r, const unsigned char *pdf, size_t len, char hex[65],
		     struct yerr *e)
{
	struct blob_writer *w = NULL;

	if (blob_writer_open(r->app->cfg.data_dir, &w, e) < 0)
		return -1;
	if (blob_writer_write(w, pdf, len, e) < 0) {
		blob_writer_abort(w);
		return -1;
	}
	return blob_writer_commit(w, hex, e);
}

static void day_text(int day, char *out, size_t outsz)
{
	if (day < 0 || date_format(day, out, outsz) != 0)
		out[0] = '\0';
}

int license_write(struct req *r, struct store_conn *c, struct license_build *b,
		  struct store_license *out, struct yerr *e)
{
	struct license_input *in = &b->in;
	char kid[33], sig[100], url[600], hex[BLOB_HEX_LEN + 1];
	char *canon = NULL, *payload = NULL, *qr = NULL;
	unsigned char *pdf = NULL;
	size_t pdf_len = 0;
	struct payload p;
	json_t *doc = NULL;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (keyring_current(r->app->keys, kid) != 0)
		return yerr_set(e, 500, "sign_failed", NULL, "签名密钥不可用");
	in->kid = kid;
	if ((doc = license_doc_build(in, e)) == NULL)
		return -1;
	/* kid and signature from one key, even across a rotation */
	if (keyring_sign_doc(r->app->keys, doc, sig, e) != 0)
		goto out;
	snprintf(kid, sizeof(kid), "%s", json_string_value(json_object_get(doc, "kid")));
	if ((canon = canon_json(doc)) == NULL) {
		yerr_set(e, 500, "sign_failed", NULL, "许可证文档无法规范化");
		goto out;
	}
	memset(&p, 0, sizeof(p));
	snprintf(p.number, sizeof(p.number), "%s", in->number);
	p.version = in->version;
	snprintf(p.uscc, sizeof(p.uscc), "%s", in->holder_uscc);
	day_text(in->valid_from, p.valid_from, sizeof(p.valid_from));
	day_text(in->valid_until, p.valid_until, sizeof(p.valid_until));
	snprintf(p.kid, sizeof(p.kid), "%s", kid);
	/* the payload by the key that signed the document, even if a rotation
	 * happened in between */
	if ((payload = payload_build(&p, keyring_sign_cb, r->app->keys, e)) == NULL)
		goto out;
	license_public_url(r, url, sizeof(url));
	if ((qr = payload_qr_text(url, in->number, payload)) == NULL) {
		yerr_set(e, 500, "out_of_memory", NULL, "内存不足");
		goto out;
	}
	/* Rendered once, here; downloads serve the archived bytes. */
	if (render_license_pdf(doc, qr, &pdf, &pdf_len, e) != 0)
		goto out;
	if (store_pdf(r, pdf, pdf_len, hex, e) != 0)
		goto out;
	snprintf(out->number, sizeof(out->number), "%s", in->number);
	out->version = in->version;
	snprintf(out->eid, sizeof(out->eid), "%s", in->eid);
	snprintf(out->status, sizeof(out->status), "valid");
	out->application_id = b->application_id;
	out->holder_user_id = b->holder_user_id;
	out->entity_id = b->entity_id;
	out->holder_name = strdup(in->holder_name);
	out->holder_uscc = strdup(in->holder_uscc);
	out->legal_rep = strdup(in->legal_rep ? in->legal_rep : "");
	out->address = strdup(in->address ? in->address : "");
	snprintf(out->industry, sizeof(out->industry), "%s", in->industry_code);
	out->industry_name = strdup(in->industry_name);
	out->year = b->year;
	out->serial = b->serial;
	day_text(in->valid_from, out->valid_from, sizeof(out->valid_from));
	day_text(in->valid_until, out->valid_until, sizeof(out->valid_until));
	day_text(in->issued_on, out->issued_on, sizeof(out->issued_on));
	out->doc = canon;
	canon = NULL;
	out->sig = strdup(sig);
	snprintf(out->kid, sizeof(out->kid), "%s", kid);
	out->qr_text = qr;
	qr = NULL;
	snprintf(out->pdf_sha256, sizeof(out->pdf_sha256), "%s", hex);
	out->pdf_size = (int64_t)pdf_len;
	if (out->holder_name == NULL || out->holder_uscc == NULL || out->legal_rep == NULL ||
	    out->address == NULL || out->industry_name == NULL || out->sig == NULL)
		abort(); /* out of memory: as everywhere else in the server */
	rc = store_license_insert(c, req_district(r), out, r->who.id, r->who.name, app_now(r->app),
				  e);
	/* share-exempt: a license the platform issued feeds the entity register */
	if (rc == 0)
		rc = store_register_from_license(c, req_district(r), out->holder_uscc,
						 out->holder_name, out->legal_rep, app_now(r->app),
						 e);
out:
	json_decref(doc);
	free(canon);
	free(payload);
	free(qr);
	free(pdf);
	return rc < 0 ? -1 : 0;
}

/* ---- reading ---- */

static bool license_visible(const struct req *r, const struct store_license *l)
{
	const struct principal *p = &r->who;
	const unsigned staff = ROLE_BIT(ROLE_WINDOW_CLERK) | ROLE_BIT(ROLE_REVIEWER) |
			       ROLE_BIT(ROLE_INSPECTOR) | ROLE_BIT(ROLE_ISSUER) |
			       ROLE_BIT(ROLE_SUPERVISOR) | ROLE_BIT(ROLE_AUDITOR);

	if (p->kind == PRINCIPAL_TOKEN)
		return true;
	if (p->roles & staff)
		return true;
	return (p->roles & ROLE_BIT(ROLE_APPLICANT)) && l->holder_user_id == p->id;
}

int license_load(struct req *r, struct store_conn *c, int version, bool lock,
		 struct store_license *l)
{
	const char *number = req_param(r, "number");
	struct license_no no;
	struct yerr e = {0};

	memset(l, 0, sizeof(*l));
	if (license_number_parse(number, &no, &e) != 0) {
		reply_yerr(r, &e);
		return -1;
	}
	if (store_license_get(c, req_district(r), number, version, lock, l, &e) < 0) {
		reply_yerr(r, &e);
		return -1;
	}
	if (!license_visible(r, l)) {
		store_license_free(l);
		reply_error(r, 404, "license_not_found", "number", "许可证不存在");
		return -1;
	}
	return 0;
}

enum license_status license_effective_status(const struct store_license *l, int today)
{
	int st = license_status_parse(l->status);
	int until = -1;

	if (l->valid_until[0])
		date_parse(l->valid_until, strlen(l->valid_until), &until);
	return license_status_at(st < 0 ? LIC_VALID : (enum license_status)st, until, today);
}

static json_t *text_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

json_t *license_json(const struct store_license *l, int today)
{
	enum license_status st = license_effective_status(l, today);
	json_t *o = json_loads(l->doc ? l->doc : "{}", 0, NULL);

	if (!json_is_object(o)) {
		json_decref(o);
		o = json_object();
	}
	/* The document as signed, then what the record adds about it. */
	json_object_set_new(o, "status", json_string(license_status_name(st)));
	json_object_set_new(o, "status_label", json_string(license_status_label(st)));
	json_object_set_new(o, "status_reason", text_or_null(l->status_reason));
	json_object_set_new(o, "status_basis", text_or_null(l->status_basis));
	json_object_set_new(o, "status_at", app_time_json(l->status_at));
	json_object_set_new(o, "superseded_by",
			    l->superseded_by > 0 ? json_integer(l->superseded_by) : json_null());
	json_object_set_new(o, "current", json_boolean(l->is_current));
	json_object_set_new(o, "sig", json_string(l->sig ? l->sig : ""));
	json_object_set_new(o, "qr_text", text_or_null(l->qr_text));
	json_object_set_new(o, "pdf_sha256", text_or_null(l->pdf_sha256));
	json_object_set_new(o, "pdf_size", json_integer(l->pdf_size));
	json_object_set_new(o, "application_id",
			    l->application_id > 0 ? json_integer(l->application_id) : json_null());
	json_object_set_new(o, "issued_at", app_time_json(l->issued_at));
	return o;
}
