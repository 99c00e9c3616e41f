/*
 * store_material.c — rows of application_materials (store_material.h).
 */
#include <stdio.h>
#include <string.h>

#include "store/store_material.h"

int store_material_put(struct store_conn *c, const char *district, int64_t app_id,
		       const struct store_material *m, struct yerr *err)
{
	/* ON CONFLICT … DO UPDATE is understood by SQLite (3.24+) and
	 * PostgreSQL alike; a second upload of the same id replaces the first
	 * (the old blob stays: another row may share it). */
	return store_exec(
	    c,
	    "INSERT INTO application_materials (district, application_id, material_id, sha256, "
	    "size, type, uploaded_by, uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
	    "ON CONFLICT (application_id, material_id) DO UPDATE SET sha256 = excluded.sha256, "
	    "size = excluded.size, type = excluded.type, uploaded_by = excluded.uploaded_by, "
	    "uploaded_at = excluded.uploaded_at",
	    (struct store_param[]){SP_TEXT(district), SP_INT(app_id), SP_TEXT(m->material_id),
				   SP_TEXT(m->sha256), SP_INT(m->size), SP_TEXT(m->type),
				   m->uploaded_by ? SP_INT(m->uploaded_by) : SP_NULL,
				   SP_INT(m->uploaded_at)},
	    8, NULL, err);
}

int store_material_get(struct store_conn *c, const char *district, int64_t app_id,
		       const char *material_id, struct store_material *out, struct yerr *err)
{
	struct store_result *res = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = store_query_row(
	    c,
	    "SELECT sha256, size, type, uploaded_by, uploaded_at FROM "
	    "application_materials WHERE district = ? AND application_id = ? AND "
	    "material_id = ?",
	    (struct store_param[]){SP_TEXT(district), SP_INT(app_id), SP_TEXT(material_id)}, 3,
	    &res, 404, "material_not_uploaded", "该材料尚未上传", err);
	if (rc < 0)
		return rc;
	snprintf(out->material_id, sizeof(out->material_id), "%s", material_id);
	snprintf(out->sha256, sizeof(out->sha256), "%s", store_cell(res, 0, 0));
	out->size = store_cell_int(res, 0, 1, 0);
	snprintf(out->type, sizeof(out->type), "%s", store_cell(res, 0, 2));
	out->uploaded_by = store_cell_int(res, 0, 3, 0);
	out->uploaded_at = store_cell_int(res, 0, 4, 0);
	store_result_free(res);
	return 0;
}

int store_material_delete(struct store_conn *c, const char *district, int64_t app_id,
			  const char *material_id, struct yerr *err)
{
	struct store_material m;
	int rc = store_material_get(c, district, app_id, material_id, &m, err);

	if (rc < 0)
		return rc;
	return store_exec(
	    c,
	    "DELETE FROM application_materials WHERE district = ? AND "
	    "application_id = ? AND material_id = ?",
	    (struct store_param[]){SP_TEXT(district), SP_INT(app_id), SP_TEXT(material_id)}, 3,
	    NULL, err);
}
