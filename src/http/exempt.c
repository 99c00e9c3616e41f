/*
 * exempt.c — 免于提交 for real: materials obtained from the entity register
 * and the form pre-filled from it (exempt.h).
 */
#include "http/exempt.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/args.h"

/* The register's record → the form's fields. Only what registration holds;
 * an empty value fills nothing. */
static const struct {
	const char *field;
	size_t off; /* of the text member in struct store_entity */
} prefill_map[] = {
    {"F_uscc", offsetof(struct store_entity, uscc)},
    {"F_ent_name", offsetof(struct store_entity, name)},
    {"F_legal_name", offsetof(struct store_entity, legal_rep)},
    {"F_reg_address", offsetof(struct store_entity, address)},
};
#define NPREFILL (sizeof(prefill_map) / sizeof(prefill_map[0]))

static const char *ent_text(const struct store_entity *ent, size_t k)
{
	return (const char *)ent + prefill_map[k].off;
}

int exempt_lookup(struct req *r, struct store_conn *c, int64_t entity_id, struct exempt_entity *x,
		  struct yerr *e)
{
	int rc;

	memset(x, 0, sizeof(*x));
	if (entity_id <= 0)
		return 0;
	rc = store_register_of_entity(c, req_district(r), entity_id, &x->ent, e);
	if (rc == STORE_ENOTFOUND)
		return 0;
	if (rc < 0)
		return -1;
	x->found = true;
	return 0;
}

char *exempt_prefill_source(const struct exempt_entity *x)
{
	json_t *o;
	char *text;

	if (!x->found)
		return NULL;
	o = json_object();
	for (size_t k = 0; k < NPREFILL; k++)
		if (ent_text(&x->ent, k)[0])
			json_object_set_new(o, prefill_map[k].field,
					    json_string(ent_text(&x->ent, k)));
	text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (text == NULL)
		abort();
	return text;
}

/* The record kept with each shared material: the register's row as read and
 * the form fields it filled (those in a's prefilled list holding its value). */
static char *record_text(const struct store_app *a, const struct exempt_entity *x)
{
	json_t *form = json_loads(a->form ? a->form : "{}", 0, NULL);
	json_t *pre = json_loads(a->prefilled ? a->prefilled : "[]", 0, NULL);
	json_t *fields = json_array(), *o;
	char *text;

	for (size_t k = 0; k < NPREFILL; k++) {
		const char *v = json_string_value(json_object_get(form, prefill_map[k].field));
		bool listed = false;

		for (size_t i = 0; i < json_array_size(pre) && !listed; i++)
			listed = strcmp(json_string_value(json_array_get(pre, i))
					    ? json_string_value(json_array_get(pre, i))
					    : "",
					prefill_map[k].field) == 0;
		if (listed && v && strcmp(v, ent_text(&x->ent, k)) == 0)
			json_array_append_new(fields, json_string(prefill_map[k].field));
	}
	o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:o}", "uscc", x->ent.uscc, "name", x->ent.name,
		      "legal_rep", x->ent.legal_rep, "address", x->ent.address, "status",
		      x->ent.status, "source", x->ent.source, "updated_at",
		      (json_int_t)x->ent.updated_at, "fields", fields);
	text = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	json_decref(form);
	json_decref(pre);
	if (text == NULL)
		abort();
	return text;
}

int exempt_attach(struct req *r, struct store_conn *c, const struct store_app *a,
		  const struct exempt_entity *x, int64_t now, struct yerr *e)
{
	json_t *notice, *mats;
	char *record = NULL;
	int rc = 0;

	if (!x->found)
		return 0;
	notice = json_loads(a->notice ? a->notice : "{}", 0, NULL);
	mats = json_object_get(notice, "materials");
	for (size_t i = 0; rc == 0 && i < json_array_size(mats); i++) {
		const json_t *m = json_array_get(mats, i);
		const char *id = json_string_value(json_object_get(m, "id"));
		const char *from = json_string_value(json_object_get(m, "shared_from"));
		const char *source = json_string_value(json_object_get(m, "source"));
		struct store_shared_material sm = {.obtained_at = now};

		if (id == NULL || from == NULL || strcmp(from, "entity_register") != 0 ||
		    !json_is_true(json_object_get(m, "exempt")))
			continue;
		if (record == NULL)
			record = record_text(a, x);
		snprintf(sm.material_id, sizeof(sm.material_id), "%s", id);
		sm.source = (char *)(source ? source : "");
		snprintf(sm.register_, sizeof(sm.register_), "%s", from);
		snprintf(sm.register_source, sizeof(sm.register_source), "%s", x->ent.source);
		snprintf(sm.uscc, sizeof(sm.uscc), "%s", x->ent.uscc);
		sm.record = record;
		rc = store_shared_material_put(c, req_district(r), a->id, &sm, e);
	}
	free(record);
	json_decref(notice);
	return rc < 0 ? -1 : 0;
}

int exempt_on_submit(struct req *r, struct store_conn *c, const struct store_app *a, struct yerr *e)
{
	struct exempt_entity x;

	if (exempt_lookup(r, c, a->entity_id, &x, e) < 0)
		return -1;
	return exempt_attach(r, c, a, &x, app_now(r->app), e);
}

static json_t *item_json(const struct store_shared_material *m)
{
	json_t *rec = json_loads(m->record ? m->record : "{}", 0, NULL);

	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:I,s:o}", "material_id", m->material_id,
			 "obtained_by", "sharing", "source", m->source ? m->source : "", "register",
			 m->register_, "register_source", m->register_source, "obtained_at",
			 (json_int_t)m->obtained_at, "record", rec ? rec : json_object());
}

json_t *exempt_app_json(struct req *r, struct store_conn *c, int64_t app_id)
{
	struct store_shared_material *ms = NULL;
	struct yerr e = {0};
	json_t *out = json_array();
	size_t n = 0;

	if (store_shared_materials_of(c, req_district(r), app_id, &ms, &n, &e) == 0)
		for (size_t i = 0; i < n; i++)
			json_array_append_new(out, item_json(&ms[i]));
	store_shared_materials_free(ms, n);
	return out;
}

json_t *exempt_material_json(struct req *r, struct store_conn *c, int64_t app_id, const char *mid)
{
	struct store_shared_material *ms = NULL;
	struct yerr e = {0};
	json_t *out = NULL;
	size_t n = 0;

	if (store_shared_materials_of(c, req_district(r), app_id, &ms, &n, &e) == 0)
		for (size_t i = 0; i < n && out == NULL; i++)
			if (strcmp(ms[i].material_id, mid) == 0)
				out = item_json(&ms[i]);
	store_shared_materials_free(ms, n);
	return out;
}
