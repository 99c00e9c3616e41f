/*
 * app_life_issue.c — the issuance of a lifecycle application's next
 * version (app_life.h: app_life_build), in the terms of lic-core's
 * struct license_build (licenses.h): the current version's document with
 * the change applied (life_next_doc), same number, version + 1, its own
 * identifier; license_write then signs, renders and inserts it, which
 * supersedes the current version.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "http/app_life.h"
#include "http/licenses.h"

static const char *text(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

static int doc_day(const json_t *doc, const char *key)
{
	const char *s = json_string_value(json_object_get(doc, key));
	int d;

	return s && date_parse(s, strlen(s), &d) == 0 ? d : -1;
}

int app_life_build(struct req *r, struct store_conn *c, const struct store_app *a,
		   struct license_build *b, struct yerr *e)
{
	struct license_input *in = &b->in;
	struct store_license prev;
	struct license_no no;
	json_t *doc = NULL, *v, *holder, *industry, *issuer;
	size_t i;
	int rc;

	memset(b, 0, sizeof(*b));
	rc = app_life_next_doc(r, c, a, &doc, &prev, e);
	if (rc <= 0)
		return rc;
	b->form = doc; /* owns every string in->… points to */
	if (license_number_parse(prev.number, &no, e) != 0) {
		store_license_free(&prev);
		return -1;
	}
	snprintf(b->number, sizeof(b->number), "%s", prev.number);
	b->year = no.year;
	b->serial = no.serial;
	in->version = (int)json_integer_value(json_object_get(doc, "version"));
	if (license_eid_build(req_district(r), b->year, b->serial, in->version, b->eid,
			      sizeof(b->eid), e) != 0) {
		store_license_free(&prev);
		return -1;
	}
	if (json_array_size(json_object_get(doc, "permits")) > WF_MAX_PERMITS) {
		store_license_free(&prev);
		return yerr_set(e, 422, "too_many_permits", NULL, "许可事项过多");
	}
	json_array_foreach (json_object_get(doc, "permits"), i, v)
		b->permits[i] =
		    (struct license_permit){text(v, "code"), text(v, "name"), text(v, "department"),
					    text(v, "department_name"), text(v, "basis")};
	holder = json_object_get(doc, "holder");
	industry = json_object_get(doc, "industry");
	issuer = json_object_get(doc, "issuer");
	in->number = b->number;
	in->eid = b->eid;
	in->holder_name = text(holder, "name");
	in->holder_uscc = text(holder, "uscc");
	in->legal_rep = text(holder, "legal_rep");
	in->address = text(doc, "address");
	in->industry_code = text(industry, "code");
	in->industry_name = text(industry, "name");
	in->permits = b->permits;
	in->npermits = json_array_size(json_object_get(doc, "permits"));
	in->valid_from = doc_day(doc, "valid_from");
	in->valid_until = doc_day(doc, "valid_until");
	in->issued_on = doc_day(doc, "issued_on");
	in->district = req_district(r);
	/* the issuing department of this version is the one issuing it now */
	in->issuer_department =
	    r->who.department[0] ? r->who.department : text(issuer, "department");
	in->issuer_name = text(issuer, "name");
	b->application_id = a->id;
	b->holder_user_id = prev.holder_user_id;
	b->entity_id = prev.entity_id;
	store_license_free(&prev);
	return 1;
}
