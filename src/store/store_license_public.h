/*
 * store_license_public.h — SQL of the license's public side (issue 12,
 * lic-public): hand-over records (发放), the 亮证 display switch, the
 * e-license library export (by license_events cursor), the public
 * disclosure list and the license lists. The licenses and license_events
 * tables belong to store_license (0020_licenses.sql); this module only
 * reads them, and appends `handover` events with store_license_event_add.
 *
 * Every function takes the caller's connection (and transaction, for
 * changes) and the district; strings of the structs are malloc'd: free with
 * the matching _free function.
 */
#ifndef YIYE_STORE_LICENSE_PUBLIC_H
#define YIYE_STORE_LICENSE_PUBLIC_H

#include <stdint.h>

#include "store/store.h"

#define LIC_NUMBER_MAX 39 /* LICENSE_NUMBER_SIZE - 1 */

/* One version of a license as lists, export and disclosure show it. */
struct lic_row {
	char number[LIC_NUMBER_MAX + 1];
	int version;
	int64_t holder_user_id;
	char *eid, *status, *holder_name, *holder_uscc, *industry, *industry_name, *valid_from,
	    *valid_until /* NULL: no term */, *issued_on, *pdf_sha256, *status_reason,
	    *status_basis, *doc;
	int64_t status_at, superseded_by, issued_at;
};
void lic_row_free(struct lic_row *l);
void lic_rows_free(struct lic_row *l, int n);

/* The current version of `number`: 404 license_not_found. */
int store_lic_current(struct store_conn *c, const char *district, const char *number,
		      struct lic_row *out, struct yerr *err);

/* Current versions, newest issue first. holder_user_id > 0: that holder's
 * only. q: part of number, holder name or credit code. status: one status
 * or NULL. */
struct lic_filter {
	int64_t holder_user_id;
	const char *q;
	const char *status;
	int limit, offset;
};
int store_lic_list(struct store_conn *c, const char *district, const struct lic_filter *f,
		   struct lic_row **out, int *n, int64_t *total, struct yerr *err);

/* hand-over ------------------------------------------------------------------ */

struct lic_handover {
	int64_t id;
	char number[LIC_NUMBER_MAX + 1];
	int version;
	int is_current;
	char method[16];
	char *collector_name, *collector_id_type, *collector_id_masked, *carrier, *tracking_no,
	    *archive_location, *note, *correction_reason, *by_name;
	int64_t corrects, by_id, at;
};
void lic_handover_free(struct lic_handover *h);
void lic_handovers_free(struct lic_handover *h, int n);

/* Records the hand-over of number/version. With correction_reason NULL a
 * second record of the same version is 409 handover_exists; with a reason
 * the current record is kept as history (is_current 0) and h replaces it.
 * Appends the `handover` event (status: the version's status) to
 * license_events. h->id and h->corrects are set. */
int store_handover_insert(struct store_conn *c, const char *district, struct lic_handover *h,
			  const char *status, struct yerr *err);
/* The records of number (every version, newest first; current and
 * corrected). */
int store_handover_list(struct store_conn *c, const char *district, const char *number,
			struct lic_handover **out, int *n, struct yerr *err);

/* export --------------------------------------------------------------------- */

struct lic_export {
	int64_t seq, at;
	char *kind, *event_status;
	struct lic_row lic;
};
void lic_exports_free(struct lic_export *x, int n);
/* Events with seq > after, oldest first, at most limit, each with its
 * version's row. */
int store_lic_export(struct store_conn *c, const char *district, int64_t after, int limit,
		     struct lic_export **out, int *n, struct yerr *err);

/* display -------------------------------------------------------------------- */

/* 1 when the holder let the public page mint display tokens, 0 otherwise. */
int store_display_public(struct store_conn *c, const char *district, const char *number,
			 struct yerr *err);
int store_display_set(struct store_conn *c, const char *district, const char *number, int on,
		      int64_t by, int64_t now, struct yerr *err);

#endif
