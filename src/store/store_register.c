/*
 * store_register.c — the entity register as 免于提交 reads it, and the
 * materials applications obtained from it (store_register.h).
 */
#include "store/store_register.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_stats.h"

#define REG_COLS "id, uscc, name, legal_rep, address, status, source, created_at, updated_at"

/* The first row of `sql` (REG_COLS of one entity in the register) into
 * *out, STORE_ENOTFOUND when there is none. */
static int register_row(struct store_conn *c, const char *sql, const struct store_param *p,
			struct store_entity *out, struct yerr *err)
{
	struct store_result *res = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = store_exec(c, sql, p, 2, &res, err)) < 0)
		return rc;
	if (res->rows == 0) {
		store_result_free(res);
		return STORE_ENOTFOUND;
	}
	out->id = store_cell_int(res, 0, 0, 0);
	store_cell_copy(res, 0, 1, out->uscc, sizeof(out->uscc));
	store_cell_copy(res, 0, 2, out->name, sizeof(out->name));
	store_cell_copy(res, 0, 3, out->legal_rep, sizeof(out->legal_rep));
	store_cell_copy(res, 0, 4, out->address, sizeof(out->address));
	store_cell_copy(res, 0, 5, out->status, sizeof(out->status));
	store_cell_copy(res, 0, 6, out->source, sizeof(out->source));
	out->created_at = store_cell_int(res, 0, 7, 0);
	out->updated_at = store_cell_int(res, 0, 8, 0);
	store_result_free(res);
	return 0;
}

#define IN_REGISTER                                                                        \
	" AND uscc IS NOT NULL AND source IN ('import', 'staff', 'license') AND status = " \
	"'registered'"

int store_register_find(struct store_conn *c, const char *district, const char *uscc,
			struct store_entity *out, struct yerr *err)
{
	return register_row(c,
			    "SELECT " REG_COLS " FROM entities WHERE district = ? AND "
			    "uscc = ?" IN_REGISTER,
			    (struct store_param[]){SP_TEXT(district), SP_TEXT(uscc)}, out, err);
}

int store_register_of_entity(struct store_conn *c, const char *district, int64_t entity_id,
			     struct store_entity *out, struct yerr *err)
{
	return register_row(c,
			    "SELECT " REG_COLS " FROM entities WHERE district = ? AND "
			    "id = ?" IN_REGISTER,
			    (struct store_param[]){SP_TEXT(district), SP_INT(entity_id)}, out, err);
}

int store_register_from_license(struct store_conn *c, const char *district, const char *uscc,
				const char *name, const char *legal_rep, int64_t now,
				struct yerr *err)
{
	struct store_result *res = NULL;
	int rc;

	if (uscc == NULL || uscc[0] == '\0')
		return 0;
	rc = store_exec(c, "SELECT source FROM entities WHERE district = ? AND uscc = ? FOR UPDATE",
			(struct store_param[]){SP_TEXT(district), SP_TEXT(uscc)}, 2, &res, err);
	if (rc < 0)
		return rc;
	if (res->rows == 0) {
		/* two issuances for one new entity at once: the first row stands */
		store_result_free(res);
		return store_exec(c,
				  "INSERT INTO entities (district, uscc, name, legal_rep, status, "
				  "source, created_at, updated_at) VALUES (?, ?, ?, ?, "
				  "'registered', 'license', ?, ?) ON CONFLICT (district, uscc) DO "
				  "NOTHING",
				  (struct store_param[]){SP_TEXT(district), SP_TEXT(uscc),
							 SP_TEXT(name), SP_TEXT(legal_rep),
							 SP_INT(now), SP_INT(now)},
				  6, NULL, err);
	}
	rc = strcmp(store_cell(res, 0, 0) ? store_cell(res, 0, 0) : "", "account") == 0 ||
	     strcmp(store_cell(res, 0, 0) ? store_cell(res, 0, 0) : "", "license") == 0;
	store_result_free(res);
	if (!rc)
		return 0; /* registration's own row */
	return store_exec(c,
			  "UPDATE entities SET name = ?, legal_rep = ?, status = 'registered', "
			  "source = 'license', updated_at = ? WHERE district = ? AND uscc = ?",
			  (struct store_param[]){SP_TEXT(name), SP_TEXT(legal_rep), SP_INT(now),
						 SP_TEXT(district), SP_TEXT(uscc)},
			  5, NULL, err);
}

int store_shared_material_put(struct store_conn *c, const char *district, int64_t app_id,
			      const struct store_shared_material *m, struct yerr *err)
{
	int rc = store_exec(
	    c,
	    "INSERT INTO application_shared_materials (district, application_id, material_id, "
	    "source, register, register_source, uscc, record, obtained_at) VALUES (?, ?, ?, ?, "
	    "?, ?, ?, ?, ?) ON CONFLICT (district, application_id, material_id) DO NOTHING",
	    (struct store_param[]){SP_TEXT(district), SP_INT(app_id), SP_TEXT(m->material_id),
				   SP_TEXT(m->source), SP_TEXT(m->register_),
				   SP_TEXT(m->register_source), SP_TEXT(m->uscc),
				   SP_TEXT(m->record), SP_INT(m->obtained_at)},
	    9, NULL, err);

	return rc < 0 ? rc : store_stats_touch(c, district, app_id, err);
}

int store_shared_materials_of(struct store_conn *c, const char *district, int64_t app_id,
			      struct store_shared_material **out, size_t *n, struct yerr *err)
{
	struct store_result *res = NULL;
	int rc;

	*out = NULL;
	*n = 0;
	rc = store_exec(c,
			"SELECT material_id, source, register, register_source, uscc, record, "
			"obtained_at FROM application_shared_materials WHERE district = ? AND "
			"application_id = ? ORDER BY material_id",
			(struct store_param[]){SP_TEXT(district), SP_INT(app_id)}, 2, &res, err);
	if (rc < 0)
		return rc;
	*out = calloc(res->rows ? (size_t)res->rows : 1, sizeof(**out));
	if (*out == NULL)
		abort();
	for (int i = 0; i < res->rows; i++) {
		struct store_shared_material *m = &(*out)[i];

		store_cell_copy(res, i, 0, m->material_id, sizeof(m->material_id));
		m->source = store_cell_dup(res, i, 1);
		store_cell_copy(res, i, 2, m->register_, sizeof(m->register_));
		store_cell_copy(res, i, 3, m->register_source, sizeof(m->register_source));
		store_cell_copy(res, i, 4, m->uscc, sizeof(m->uscc));
		m->record = store_cell_dup(res, i, 5);
		m->obtained_at = store_cell_int(res, i, 6, 0);
	}
	*n = (size_t)res->rows;
	store_result_free(res);
	return 0;
}

void store_shared_materials_free(struct store_shared_material *m, size_t n)
{
	for (size_t i = 0; m && i < n; i++) {
		free(m[i].source);
		free(m[i].record);
	}
	free(m);
}
