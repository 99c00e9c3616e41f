#ifndef YIYE_HTTP_EXEMPT_H
#define YIYE_HTTP_EXEMPT_H
/*
 * exempt.h — 免于提交 for real (issue 14 point 5; docs/api-sharing.md
 * "免于提交"). When the entity an application is for is in the entity
 * register (store_register.h: imported from market registration, entered by
 * staff, or named by a license the platform issued), the platform:
 *   - attaches the materials of the frozen notice the catalog marks
 *     "shared_from": "entity_register" (营业执照), recorded as obtained by
 *     sharing with the catalog's source, the register row's source and the
 *     time (application_shared_materials), in the creating transaction, and
 *     again at each submission for an entity registered meanwhile;
 *   - pre-fills the form from the register before any other source
 *     (form_prefill: 统一社会信用代码, 名称, 法定代表人, 住所).
 * Every other exempt material stays what the catalog says: not asked of the
 * applicant, checked by the approving department against its source — and
 * nothing says the platform fetched it.
 */
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "http/handlers.h"
#include "store/store_application.h"
#include "store/store_register.h"

/* The register's record of an application's entity, when there is one. */
struct exempt_entity {
	bool found;
	struct store_entity ent;
};

/* Looks entity_id (the applicant account's entity; 0: none) up in the
 * register. 0 with x->found telling, or -1 with e on a database failure. */
int exempt_lookup(struct req *r, struct store_conn *c, int64_t entity_id, struct exempt_entity *x,
		  struct yerr *e);

/* The register's record as a form_prefill source ({field id: value}, JSON
 * text, malloc'd), NULL when x was not found. */
char *exempt_prefill_source(const struct exempt_entity *x);

/* Records every register-shared material of a's frozen notice as obtained
 * by sharing (a inserted, in its transaction; nothing when !x->found).
 * 0 or -1 with e. */
int exempt_attach(struct req *r, struct store_conn *c, const struct store_app *a,
		  const struct exempt_entity *x, int64_t now, struct yerr *e);

/* At a submission (in its transaction): the same for an entity that entered
 * the register after the application was created — what was obtained
 * before stays as it was. 0 or -1 with e. */
int exempt_on_submit(struct req *r, struct store_conn *c, const struct store_app *a,
		     struct yerr *e);

/* The application's "shared_materials": [{material_id, obtained_by:
 * "sharing", source, register, register_source, obtained_at, record}]. */
json_t *exempt_app_json(struct req *r, struct store_conn *c, int64_t app_id);

/* The one material mid of application app_id as obtained by sharing (the
 * item of exempt_app_json), or NULL when it was not. */
json_t *exempt_material_json(struct req *r, struct store_conn *c, int64_t app_id, const char *mid);

#endif
