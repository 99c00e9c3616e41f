/*
 * store_license_public.c — hand-over, display switch, export and lists of
 * licenses. See store_license_public.h.
 */
#include "store/store_license_public.h"

#include "store/store_license.h"
#include "store/store_stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIC_COLS                                                                                 \
	"l.number, l.version, l.holder_user_id, l.eid, l.status, l.holder_name, l.holder_uscc, " \
	"l.industry, l.industry_name, l.valid_from, l.valid_until, l.issued_on, l.pdf_sha256, "  \
	"l.status_reason, l.status_basis, l.doc, l.status_at, l.superseded_by, l.issued_at"
#define LIC_NCOLS 19

static void lic_from_row(const struct store_result *r, int row, int c0, struct lic_row *l)
{
	memset(l, 0, sizeof(*l));
	store_cell_copy(r, row, c0, l->number, sizeof(l->number));
	l->version = (int)store_cell_int(r, row, c0 + 1, 0);
	l->holder_user_id = store_cell_int(r, row, c0 + 2, 0);
	l->eid = store_cell_dup(r, row, c0 + 3);
	l->status = store_cell_dup(r, row, c0 + 4);
	l->holder_name = store_cell_dup(r, row, c0 + 5);
	l->holder_uscc = store_cell_dup(r, row, c0 + 6);
	l->industry = store_cell_dup(r, row, c0 + 7);
	l->industry_name = store_cell_dup(r, row, c0 + 8);
	l->valid_from = store_cell_dup(r, row, c0 + 9);
	l->valid_until = store_cell_dup(r, row, c0 + 10);
	l->issued_on = store_cell_dup(r, row, c0 + 11);
	l->pdf_sha256 = store_cell_dup(r, row, c0 + 12);
	l->status_reason = store_cell_dup(r, row, c0 + 13);
	l->status_basis = store_cell_dup(r, row, c0 + 14);
	l->doc = store_cell_dup(r, row, c0 + 15);
	l->status_at = store_cell_int(r, row, c0 + 16, 0);
	l->superseded_by = store_cell_int(r, row, c0 + 17, 0);
	l->issued_at = store_cell_int(r, row, c0 + 18, 0);
}

void lic_row_free(struct lic_row *l)
{
	if (l == NULL)
		return;
	free(l->eid);
	free(l->status);
	free(l->holder_name);
	free(l->holder_uscc);
	free(l->industry);
	free(l->industry_name);
	free(l->valid_from);
	free(l->valid_until);
	free(l->issued_on);
	free(l->pdf_sha256);
	free(l->status_reason);
	free(l->status_basis);
	free(l->doc);
	memset(l, 0, sizeof(*l));
}

void lic_rows_free(struct lic_row *l, int n)
{
	for (int i = 0; l && i < n; i++)
		lic_row_free(&l[i]);
	free(l);
}

int store_lic_current(struct store_conn *c, const char *district, const char *number,
		      struct lic_row *out, struct yerr *err)
{
	struct store_result *r;
	int rc = store_query_row(c,
				 "SELECT " LIC_COLS " FROM licenses l WHERE l.district = ? AND "
				 "l.number = ? AND l.is_current = 1",
				 (struct store_param[]){SP_TEXT(district), SP_TEXT(number)}, 2, &r,
				 404, "license_not_found", "许可证不存在", err);

	if (rc < 0)
		return rc;
	lic_from_row(r, 0, 0, out);
	store_result_free(r);
	return 0;
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (p == NULL)
		abort();
	return p;
}

int store_lic_list(struct store_conn *c, const char *district, const struct lic_filter *f,
		   struct lic_row **out, int *n, int64_t *total, struct yerr *err)
{
	char like[256 * 4 + 3], where[512], sql[1024];
	struct store_param p[10];
	struct store_result *r;
	int np = 0, rc;

	*out = NULL;
	*n = 0;
	*total = 0;
	/* one WHERE for the count and the page, with only the filters given */
	snprintf(where, sizeof(where),
		 " FROM licenses l WHERE l.district = ? AND l.is_current = 1");
	p[np++] = SP_TEXT(district);
	if (f->holder_user_id > 0) {
		strcat(where, " AND l.holder_user_id = ?");
		p[np++] = SP_INT(f->holder_user_id);
	}
	if (f->status) {
		strcat(where, " AND l.status = ?");
		p[np++] = SP_TEXT(f->status);
	}
	if (f->q) {
		snprintf(like, sizeof(like), "%%%s%%", f->q);
		strcat(where,
		       " AND (l.number LIKE ? OR l.holder_name LIKE ? OR l.holder_uscc LIKE ?)");
		for (int i = 0; i < 3; i++)
			p[np++] = SP_TEXT(like);
	}
	snprintf(sql, sizeof(sql), "SELECT count(*)%s", where);
	rc = store_query_int(c, sql, p, np, 0, total, err);
	if (rc < 0)
		return rc;
	snprintf(sql, sizeof(sql),
		 "SELECT " LIC_COLS "%s ORDER BY l.issued_at DESC, l.number DESC LIMIT ? OFFSET ?",
		 where);
	p[np++] = SP_INT(f->limit);
	p[np++] = SP_INT(f->offset);
	rc = store_exec(c, sql, p, np, &r, err);
	if (rc < 0)
		return rc;
	*out = xcalloc((size_t)r->rows, sizeof(**out));
	for (int i = 0; i < r->rows; i++)
		lic_from_row(r, i, 0, &(*out)[i]);
	*n = r->rows;
	store_result_free(r);
	return 0;
}

/* hand-over ------------------------------------------------------------------ */

#define HO_COLS                                                                                  \
	"id, number, version, is_current, method, collector_name, collector_id_type, "           \
	"collector_id_masked, carrier, tracking_no, archive_location, note, correction_reason, " \
	"by_name, corrects, by_id, at"

void lic_handover_free(struct lic_handover *h)
{
	if (h == NULL)
		return;
	free(h->collector_name);
	free(h->collector_id_type);
	free(h->collector_id_masked);
	free(h->carrier);
	free(h->tracking_no);
	free(h->archive_location);
	free(h->note);
	free(h->correction_reason);
	free(h->by_name);
	memset(h, 0, sizeof(*h));
}

void lic_handovers_free(struct lic_handover *h, int n)
{
	for (int i = 0; h && i < n; i++)
		lic_handover_free(&h[i]);
	free(h);
}

static struct store_param sp_opt(const char *s)
{
	return s ? SP_TEXT(s) : SP_NULL;
}

int store_handover_insert(struct store_conn *c, const char *district, struct lic_handover *h,
			  const char *status, struct yerr *err)
{
	struct store_result *r = NULL;
	int64_t prev = 0;
	char detail[256];
	int rc;

	/* the version's row first: two clerks recording the same license take
	   turns here, so the "already handed over" test below cannot race */
	rc = store_lock_key(c, "license_handover", h->number, err);
	if (rc < 0)
		return rc;
	rc = store_exec(
	    c,
	    "SELECT id FROM license_handovers WHERE district = ? AND number = ? AND "
	    "version = ? AND is_current = 1",
	    (struct store_param[]){SP_TEXT(district), SP_TEXT(h->number), SP_INT(h->version)}, 3,
	    &r, err);
	if (rc < 0)
		return rc;
	if (r->rows > 0)
		prev = store_cell_int(r, 0, 0, 0);
	store_result_free(r);
	if (prev && h->correction_reason == NULL) {
		yerr_set(err, 409, "handover_exists", NULL,
			 "该版本许可证已登记发放；如需更正，请填写更正原因");
		return -1;
	}
	if (!prev && h->correction_reason) {
		yerr_set(err, 409, "handover_missing", "correction_reason",
			 "该版本许可证尚未登记发放，无可更正的记录");
		return -1;
	}
	if (prev) {
		rc = store_exec(c, "UPDATE license_handovers SET is_current = 0 WHERE id = ?",
				(struct store_param[]){SP_INT(prev)}, 1, NULL, err);
		if (rc < 0)
			return rc;
	}
	h->corrects = prev;
	h->is_current = 1;
	rc = store_exec(
	    c,
	    "INSERT INTO license_handovers (district, number, version, is_current, method, "
	    "collector_name, collector_id_type, collector_id_masked, carrier, tracking_no, "
	    "archive_location, note, corrects, correction_reason, by_id, by_name, at) VALUES "
	    "(?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
	    (struct store_param[]){
		SP_TEXT(district), SP_TEXT(h->number), SP_INT(h->version), SP_TEXT(h->method),
		sp_opt(h->collector_name), sp_opt(h->collector_id_type),
		sp_opt(h->collector_id_masked), sp_opt(h->carrier), sp_opt(h->tracking_no),
		sp_opt(h->archive_location), sp_opt(h->note), prev ? SP_INT(prev) : SP_NULL,
		sp_opt(h->correction_reason), h->by_id ? SP_INT(h->by_id) : SP_NULL,
		SP_TEXT(h->by_name ? h->by_name : ""), SP_INT(h->at)},
	    16, &r, err);
	if (rc < 0)
		return rc;
	h->id = store_cell_int(r, 0, 0, 0);
	store_result_free(r);
	/* collected at the window or not: the statistics count trips */
	if ((rc = store_stats_touch_license(c, district, h->number, h->version, err)) < 0)
		return rc;
	/* the export carries the method, never who collected it */
	snprintf(detail, sizeof(detail), "{\"method\":\"%s\",\"correction\":%s}", h->method,
		 prev ? "true" : "false");
	{
		struct store_license_event ev = {.version = h->version,
						 .actor_id = h->by_id,
						 .actor = h->by_name ? h->by_name : "",
						 .detail = detail};

		snprintf(ev.number, sizeof(ev.number), "%s", h->number);
		snprintf(ev.kind, sizeof(ev.kind), "handover");
		snprintf(ev.status, sizeof(ev.status), "%s", status);
		return store_license_event_add(c, district, &ev, h->at, NULL, err);
	}
}

int store_handover_list(struct store_conn *c, const char *district, const char *number,
			struct lic_handover **out, int *n, struct yerr *err)
{
	struct store_result *r;
	int rc = store_exec(c,
			    "SELECT " HO_COLS " FROM license_handovers WHERE district = ? AND "
			    "number = ? ORDER BY version DESC, id DESC",
			    (struct store_param[]){SP_TEXT(district), SP_TEXT(number)}, 2, &r, err);

	*out = NULL;
	*n = 0;
	if (rc < 0)
		return rc;
	*out = xcalloc((size_t)r->rows, sizeof(**out));
	for (int i = 0; i < r->rows; i++) {
		struct lic_handover *h = &(*out)[i];

		h->id = store_cell_int(r, i, 0, 0);
		store_cell_copy(r, i, 1, h->number, sizeof(h->number));
		h->version = (int)store_cell_int(r, i, 2, 0);
		h->is_current = (int)store_cell_int(r, i, 3, 0);
		store_cell_copy(r, i, 4, h->method, sizeof(h->method));
		h->collector_name = store_cell_dup(r, i, 5);
		h->collector_id_type = store_cell_dup(r, i, 6);
		h->collector_id_masked = store_cell_dup(r, i, 7);
		h->carrier = store_cell_dup(r, i, 8);
		h->tracking_no = store_cell_dup(r, i, 9);
		h->archive_location = store_cell_dup(r, i, 10);
		h->note = store_cell_dup(r, i, 11);
		h->correction_reason = store_cell_dup(r, i, 12);
		h->by_name = store_cell_dup(r, i, 13);
		h->corrects = store_cell_int(r, i, 14, 0);
		h->by_id = store_cell_int(r, i, 15, 0);
		h->at = store_cell_int(r, i, 16, 0);
	}
	*n = r->rows;
	store_result_free(r);
	return 0;
}

/* export --------------------------------------------------------------------- */

void lic_exports_free(struct lic_export *x, int n)
{
	for (int i = 0; x && i < n; i++) {
		free(x[i].kind);
		free(x[i].event_status);
		lic_row_free(&x[i].lic);
	}
	free(x);
}

int store_lic_export(struct store_conn *c, const char *district, int64_t after, int limit,
		     struct lic_export **out, int *n, struct yerr *err)
{
	struct store_result *r;
	int rc = store_exec(
	    c,
	    "SELECT e.seq, e.at, e.kind, e.status, " LIC_COLS " FROM license_events e "
	    "JOIN licenses l ON l.district = e.district AND l.number = e.number AND "
	    "l.version = e.version WHERE e.district = ? AND e.seq > ? ORDER BY e.seq LIMIT ?",
	    (struct store_param[]){SP_TEXT(district), SP_INT(after), SP_INT(limit)}, 3, &r, err);

	*out = NULL;
	*n = 0;
	if (rc < 0)
		return rc;
	*out = xcalloc((size_t)r->rows, sizeof(**out));
	for (int i = 0; i < r->rows; i++) {
		struct lic_export *x = &(*out)[i];

		x->seq = store_cell_int(r, i, 0, 0);
		x->at = store_cell_int(r, i, 1, 0);
		x->kind = store_cell_dup(r, i, 2);
		x->event_status = store_cell_dup(r, i, 3);
		lic_from_row(r, i, 4, &x->lic);
	}
	*n = r->rows;
	store_result_free(r);
	return 0;
}

/* display -------------------------------------------------------------------- */

int store_display_public(struct store_conn *c, const char *district, const char *number,
			 struct yerr *err)
{
	int64_t on = 0;
	int rc = store_query_int(c,
				 "SELECT COALESCE(MAX(public), 0) FROM license_displays WHERE "
				 "district = ? AND number = ?",
				 (struct store_param[]){SP_TEXT(district), SP_TEXT(number)}, 2, 0,
				 &on, err);

	return rc < 0 ? rc : (int)on;
}

int store_display_set(struct store_conn *c, const char *district, const char *number, int on,
		      int64_t by, int64_t now, struct yerr *err)
{
	int rc =
	    store_exec(c,
		       "UPDATE license_displays SET public = ?, updated_by = ?, updated_at = ? "
		       "WHERE district = ? AND number = ?",
		       (struct store_param[]){SP_INT(on), SP_INT(by), SP_INT(now),
					      SP_TEXT(district), SP_TEXT(number)},
		       5, NULL, err);

	if (rc == 0)
		rc = store_exec(
		    c,
		    "INSERT INTO license_displays (district, number, public, updated_by, "
		    "updated_at) SELECT ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM "
		    "license_displays WHERE district = ? AND number = ?)",
		    (struct store_param[]){SP_TEXT(district), SP_TEXT(number), SP_INT(on),
					   SP_INT(by), SP_INT(now), SP_TEXT(district),
					   SP_TEXT(number)},
		    7, NULL, err);
	return rc < 0 ? rc : 0;
}
