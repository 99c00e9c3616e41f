#ifndef YIYE_STORE_REGISTER_H
#define YIYE_STORE_REGISTER_H
/*
 * store_register.h — the entity register as 免于提交 reads it (issue 14
 * point 5; src/http/exempt.c), and the materials an application obtained
 * from it (migration 0042_shared_materials.sql).
 *
 * The register is the entities table (0002, 0021). A row is "in the
 * register" when registration or the platform vouches for it — source
 * 'import' (the market-registration export), 'staff' (entered at the
 * window) or 'license' (a license the platform issued names it) — and its
 * status is 'registered'. A row with source 'account' is what an applicant
 * typed when registering an account: never evidence of anything.
 *
 * Every function takes the caller's connection and district and runs inside
 * the caller's transaction.
 */
#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"
#include "store/store_license_life.h"

/* The register's row of uscc into *out: 0 when it is in the register,
 * STORE_ENOTFOUND (err untouched) when it is not (no row, an account's row,
 * or deregistered), another negative code on a database failure. */
int store_register_find(struct store_conn *c, const char *district, const char *uscc,
			struct store_entity *out, struct yerr *err);
/* The same for the entity row entity_id (an applicant account's entity). */
int store_register_of_entity(struct store_conn *c, const char *district, int64_t entity_id,
			     struct store_entity *out, struct yerr *err);

/*
 * store_register_from_license feeds the register from a license the
 * platform issued (license_write.c, in the issuing transaction): a new row
 * for uscc with the holder's name and legal representative, source
 * 'license', or the same update of a row that only an account or an
 * earlier license vouched for. A row from registration (import, staff) is
 * left alone: registration knows better than a license. The address stays
 * as it was (a license names the business premises, not the 住所). Nothing
 * happens for an empty uscc.
 */
int store_register_from_license(struct store_conn *c, const char *district, const char *uscc,
				const char *name, const char *legal_rep, int64_t now,
				struct yerr *err);

/* One material an application obtained by sharing. Strings are owned
 * (store_shared_materials_free). */
struct store_shared_material {
	char material_id[128];
	char *source;             /* the catalog's source text */
	char register_[32];       /* "entity_register" */
	char register_source[16]; /* import | staff | license */
	char uscc[20];
	char *record; /* JSON text of the register's record as read */
	int64_t obtained_at;
};

/* Records material_id of application app_id as obtained by sharing (an
 * existing row for it is kept: the first time it was obtained). */
int store_shared_material_put(struct store_conn *c, const char *district, int64_t app_id,
			      const struct store_shared_material *m, struct yerr *err);
/* Every material application app_id obtained by sharing, by material id. */
int store_shared_materials_of(struct store_conn *c, const char *district, int64_t app_id,
			      struct store_shared_material **out, size_t *n, struct yerr *err);
void store_shared_materials_free(struct store_shared_material *m, size_t n);

#endif
