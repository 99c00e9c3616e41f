/*
 * store_material.h — SQL of an application's uploaded materials (issue 11;
 * docs/applications.md "application_materials"). One row per (application,
 * material id): the sha256 naming the bytes in the blob store (io/blobs.h),
 * the size, the sniffed type, who uploaded it and when. The bytes are made
 * durable before the row's transaction commits, so a row never names a
 * missing file.
 *
 * Like every store module: the caller's connection and district, inside the
 * caller's transaction, 0 or a negative STORE_E* code with err filled.
 */
#ifndef YIYE_STORE_MATERIAL_H
#define YIYE_STORE_MATERIAL_H

#include <stdint.h>

#include "store/store.h"

struct store_material {
	char material_id[128];
	char sha256[65];
	int64_t size;
	char type[8]; /* pdf jpg png ofd */
	int64_t uploaded_by, uploaded_at;
};

/* Inserts or replaces the row of (app_id, m->material_id). */
int store_material_put(struct store_conn *c, const char *district, int64_t app_id,
		       const struct store_material *m, struct yerr *err);
/* Reads it; 404 material_not_uploaded when there is none. */
int store_material_get(struct store_conn *c, const char *district, int64_t app_id,
		       const char *material_id, struct store_material *out, struct yerr *err);
/* Removes it; 404 material_not_uploaded when there is none. */
int store_material_delete(struct store_conn *c, const char *district, int64_t app_id,
			  const char *material_id, struct yerr *err);

#endif
