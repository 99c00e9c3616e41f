/*
 * h_entities.c — the registration link (与企业登记注册衔接, issue 12 point 8):
 *   GET /api/v1/entities/{uscc}   the entity and the licenses it holds, flagged
 *   PUT /api/v1/entities/{uscc}   staff enter what registration says
 * Permission entities.manage: the window clerk (who receives registration
 * changes at the counter) and the issuer (who compares them with the
 * licenses). When the name, legal representative or address differs from a
 * license the entity holds, its holder and the issuers are told which
 * license needs a change application; a deregistered entity's licenses are
 * flagged for cancellation (life_jobs.c; the import does the same).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http/app_life.h"
#include "http/life_jobs.h"

static json_t *entity_json(const struct store_entity *e)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:I}", "uscc", e->uscc, "name", e->name,
			 "legal_rep", e->legal_rep, "address", e->address, "status", e->status,
			 "source", e->source, "created_at", (json_int_t)e->created_at, "updated_at",
			 (json_int_t)e->updated_at);
}

/* The current licenses of the entity with their flags. */
static json_t *licenses_json(struct req *r, struct store_conn *c, const char *uscc)
{
	struct store_life_license *ls = NULL;
	struct yerr e = {0};
	json_t *out = json_array();
	size_t n = 0;

	if (store_life_licenses_of(c, req_district(r), uscc, &ls, &n, &e) < 0)
		return out;
	for (size_t i = 0; i < n; i++)
		json_array_append_new(
		    out, json_pack("{s:s,s:i,s:s,s:s,s:s,s:s,s:o}", "number", ls[i].number,
				   "version", ls[i].version, "status", ls[i].status, "holder_name",
				   ls[i].holder_name, "legal_rep", ls[i].legal_rep, "address",
				   ls[i].address, "flags",
				   app_life_flags_json(r, c, uscc, ls[i].holder_name,
						       ls[i].legal_rep, ls[i].address)));
	free(ls);
	return out;
}

void h_entity_get(struct req *r)
{
	const char *uscc = req_param(r, "uscc");
	struct store_entity ent;
	struct store_conn *c;
	struct yerr e = {0};

	if (req_acquire(r, &c) < 0)
		return;
	if (store_entity_get(c, req_district(r), uscc ? uscc : "", &ent, &e) < 0) {
		store_release(c);
		return reply_yerr(r, &e);
	}
	reply_json(r, 200,
		   json_pack("{s:o,s:o}", "entity", entity_json(&ent), "licenses",
			     licenses_json(r, c, ent.uscc)));
	store_release(c);
}

void h_entity_put(struct req *r)
{
	static const char *const keys[] = {"name", "legal_rep", "address", "status", NULL};
	const char *uscc = req_param(r, "uscc");
	struct life_entity_result res = {0};
	struct store_entity ent;
	struct store_conn *c;
	struct yerr e = {0};
	char detail[256];
	int rc;

	if (life_entity_parse(r->json, uscc ? uscc : "", keys, "staff", &ent, &e) < 0)
		return reply_yerr(r, &e);
	if (req_acquire(r, &c) < 0)
		return;
	snprintf(r->audit_object, sizeof(r->audit_object), "entity:%s", ent.uscc);
	rc = store_begin(c, &e);
	if (rc == 0)
		rc = life_entity_apply(c, req_district(r), &ent, app_now(r->app), &res, &e);
	snprintf(detail, sizeof(detail),
		 "{\"changed\":%s,\"status\":\"%s\",\"needs_change\":%d,\"deregistered\":%d}",
		 res.changed ? "true" : "false", ent.status, res.needs_change, res.deregistered);
	if (rc == 0)
		rc = req_audit_commit(r, c, r->audit_object, detail, &e);
	if (rc < 0) {
		store_release(c);
		return reply_yerr(r, &e);
	}
	reply_json(r, res.created ? 201 : 200,
		   json_pack("{s:o,s:b,s:i,s:i,s:o}", "entity", entity_json(&ent), "changed",
			     res.changed, "needs_change", res.needs_change, "deregistered",
			     res.deregistered, "licenses", licenses_json(r, c, ent.uscc)));
	store_release(c);
}
