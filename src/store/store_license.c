/*
 * store_license.c — SQL of licenses (see store_license.h).
 */
#include "store/store_license.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_events.h"
#include "store/store_stats.h"

#define LIC_COLS                                                                                 \
	"id, number, version, is_current, eid, status, application_id, holder_user_id, "         \
	"entity_id, holder_name, holder_uscc, legal_rep, address, industry, industry_name, "     \
	"year, serial, valid_from, valid_until, issued_on, doc, sig, kid, qr_text, pdf_sha256, " \
	"pdf_size, status_reason, status_basis, status_at, status_by, superseded_by, "           \
	"issued_by, issued_at, updated_at"

void store_license_free(struct store_license *l)
{
	if (l == NULL)
		return;
	free(l->holder_name);
	free(l->holder_uscc);
	free(l->legal_rep);
	free(l->address);
	free(l->industry_name);
	free(l->doc);
	free(l->sig);
	free(l->qr_text);
	free(l->status_reason);
	free(l->status_basis);
	memset(l, 0, sizeof(*l));
}

void store_licenses_free(struct store_license *items, size_t n)
{
	for (size_t i = 0; items != NULL && i < n; i++)
		store_license_free(&items[i]);
	free(items);
}

static void license_from_row(const struct store_result *res, int row, struct store_license *l)
{
	int col = 0;

	memset(l, 0, sizeof(*l));
	l->id = store_cell_int(res, row, col++, 0);
	store_cell_copy(res, row, col++, l->number, sizeof(l->number));
	l->version = (int)store_cell_int(res, row, col++, 0);
	l->is_current = store_cell_int(res, row, col++, 0) != 0;
	store_cell_copy(res, row, col++, l->eid, sizeof(l->eid));
	store_cell_copy(res, row, col++, l->status, sizeof(l->status));
	l->application_id = store_cell_int(res, row, col++, 0);
	l->holder_user_id = store_cell_int(res, row, col++, 0);
	l->entity_id = store_cell_int(res, row, col++, 0);
	l->holder_name = store_cell_dup(res, row, col++);
	l->holder_uscc = store_cell_dup(res, row, col++);
	l->legal_rep = store_cell_dup(res, row, col++);
	l->address = store_cell_dup(res, row, col++);
	store_cell_copy(res, row, col++, l->industry, sizeof(l->industry));
	l->industry_name = store_cell_dup(res, row, col++);
	l->year = (int)store_cell_int(res, row, col++, 0);
	l->serial = (long)store_cell_int(res, row, col++, 0);
	store_cell_copy(res, row, col++, l->valid_from, sizeof(l->valid_from));
	store_cell_copy(res, row, col++, l->valid_until, sizeof(l->valid_until));
	store_cell_copy(res, row, col++, l->issued_on, sizeof(l->issued_on));
	l->doc = store_cell_dup(res, row, col++);
	l->sig = store_cell_dup(res, row, col++);
	store_cell_copy(res, row, col++, l->kid, sizeof(l->kid));
	l->qr_text = store_cell_dup(res, row, col++);
	store_cell_copy(res, row, col++, l->pdf_sha256, sizeof(l->pdf_sha256));
	l->pdf_size = store_cell_int(res, row, col++, 0);
	l->status_reason = store_cell_dup(res, row, col++);
	l->status_basis = store_cell_dup(res, row, col++);
	l->status_at = store_cell_int(res, row, col++, 0);
	l->status_by = store_cell_int(res, row, col++, 0);
	l->superseded_by = (int)store_cell_int(res, row, col++, 0);
	l->issued_by = store_cell_int(res, row, col++, 0);
	l->issued_at = store_cell_int(res, row, col++, 0);
	l->updated_at = store_cell_int(res, row, col++, 0);
}

static int licenses_from_result(const struct store_result *res, struct store_license **items,
				size_t *n, struct yerr *err)
{
	*items = NULL;
	*n = 0;
	if (res->rows == 0)
		return 0;
	*items = calloc((size_t)res->rows, sizeof(**items));
	if (*items == NULL)
		return yerr_set(err, 500, "out_of_memory", NULL, "内存不足");
	for (int i = 0; i < res->rows; i++)
		license_from_row(res, i, &(*items)[i]);
	*n = (size_t)res->rows;
	return 0;
}

/* ---- serials ---- */

int store_license_next_serial(struct store_conn *c, const char *district, int year, long *serial,
			      struct yerr *err)
{
	struct store_result *res = NULL;
	int rc;

	/* One statement: the row lock of the upsert makes concurrent issuers of
	 * the district and year take turns until the first commits, and the
	 * counter only grows, so a serial is never handed out twice. */
	rc =
	    store_exec(c,
		       "INSERT INTO license_serials (district, year, last_serial) VALUES (?, ?, 1) "
		       "ON CONFLICT (district, year) DO UPDATE SET last_serial = "
		       "license_serials.last_serial + 1 RETURNING last_serial",
		       (struct store_param[]){SP_TEXT(district), SP_INT(year)}, 2, &res, err);
	if (rc < 0)
		return rc;
	*serial = (long)store_cell_int(res, 0, 0, 0);
	store_result_free(res);
	if (*serial < 1 || *serial > LICENSE_SERIAL_MAX)
		return yerr_set(err, 409, "serials_exhausted", NULL, "本年度许可证流水号已用尽");
	return 0;
}

/* ---- events ---- */

int store_license_event_add(struct store_conn *c, const char *district,
			    const struct store_license_event *ev, int64_t now, int64_t *seq,
			    struct yerr *err)
{
	int64_t max = 0;
	int rc;

	/* The cursor of the export must never skip a row: seq is taken under a
	 * lock held until this transaction ends, so rows commit in seq order. */
	if ((rc = store_lock_key(c, "license_events", district, err)) < 0)
		return rc;
	rc = store_query_int(c, "SELECT max(seq) FROM license_events WHERE district = ?",
			     (struct store_param[]){SP_TEXT(district)}, 1, 0, &max, err);
	if (rc < 0)
		return rc;
	rc = store_exec(
	    c,
	    "INSERT INTO license_events (district, seq, number, version, kind, status, "
	    "actor_id, actor, reason, basis, detail, at) VALUES (?, ?, ?, ?, ?, ?, ?, "
	    "?, ?, ?, ?, ?)",
	    (struct store_param[]){SP_TEXT(district), SP_INT(max + 1), SP_TEXT(ev->number),
				   SP_INT(ev->version), SP_TEXT(ev->kind), SP_TEXT(ev->status),
				   ev->actor_id > 0 ? SP_INT(ev->actor_id) : SP_NULL,
				   SP_TEXT(ev->actor ? ev->actor : ""), SP_TEXT(ev->reason),
				   SP_TEXT(ev->basis), SP_TEXT(ev->detail ? ev->detail : "{}"),
				   SP_INT(now)},
	    12, NULL, err);
	if (rc == 0)
		rc = event_license(c, district, ev, err); /* share-events: the outbox */
	if (rc < 0)
		return rc;
	if (seq != NULL)
		*seq = max + 1;
	return 0;
}

static int event_simple(struct store_conn *c, const char *district, const char *number, int version,
			const char *kind, const char *status, int64_t actor_id, const char *actor,
			const char *reason, const char *basis, const char *detail, int64_t now,
			struct yerr *err)
{
	struct store_license_event ev;

	memset(&ev, 0, sizeof(ev));
	snprintf(ev.number, sizeof(ev.number), "%s", number);
	ev.version = version;
	snprintf(ev.kind, sizeof(ev.kind), "%s", kind);
	snprintf(ev.status, sizeof(ev.status), "%s", status);
	ev.actor_id = actor_id;
	ev.actor = (char *)actor;
	ev.reason = (char *)reason;
	ev.basis = (char *)basis;
	ev.detail = (char *)detail;
	return store_license_event_add(c, district, &ev, now, NULL, err);
}

int store_license_events_after(struct store_conn *c, const char *district, int64_t after,
			       long limit, struct store_license_event **items, size_t *n,
			       struct yerr *err)
{
	struct store_result *res = NULL;
	int rc;

	*items = NULL;
	*n = 0;
	rc =
	    store_exec(c,
		       "SELECT seq, number, version, kind, status, actor_id, actor, reason, basis, "
		       "detail, at FROM license_events WHERE district = ? AND seq > ? ORDER BY seq "
		       "LIMIT ?",
		       (struct store_param[]){SP_TEXT(district), SP_INT(after),
					      SP_INT(limit > 0 ? limit : 100)},
		       3, &res, err);
	if (rc < 0)
		return rc;
	if (res->rows > 0 && (*items = calloc((size_t)res->rows, sizeof(**items))) == NULL) {
		store_result_free(res);
		return yerr_set(err, 500, "out_of_memory", NULL, "内存不足");
	}
	for (int i = 0; i < res->rows; i++) {
		struct store_license_event *e = &(*items)[i];

		e->seq = store_cell_int(res, i, 0, 0);
		store_cell_copy(res, i, 1, e->number, sizeof(e->number));
		e->version = (int)store_cell_int(res, i, 2, 0);
		store_cell_copy(res, i, 3, e->kind, sizeof(e->kind));
		store_cell_copy(res, i, 4, e->status, sizeof(e->status));
		e->actor_id = store_cell_int(res, i, 5, 0);
		e->actor = store_cell_dup(res, i, 6);
		e->reason = store_cell_dup(res, i, 7);
		e->basis = store_cell_dup(res, i, 8);
		e->detail = store_cell_dup(res, i, 9);
		e->at = store_cell_int(res, i, 10, 0);
	}
	*n = (size_t)res->rows;
	store_result_free(res);
	return 0;
}

void store_license_events_free(struct store_license_event *items, size_t n)
{
	for (size_t i = 0; items != NULL && i < n; i++) {
		free(items[i].actor);
		free(items[i].reason);
		free(items[i].basis);
		free(items[i].detail);
	}
	free(items);
}

/* ---- versions ---- */

/* supersede marks version-1 of l->number superseded by l->version; it must be
 * the current version (409 stale_version otherwise). */
static int supersede(struct store_conn *c, const char *district, const struct store_license *l,
		     int64_t actor_id, const char *actor, int64_t now, struct yerr *err)
{
	struct store_result *res = NULL;
	int rc;

	rc = store_exec(c,
			"UPDATE licenses SET is_current = 0, status = 'superseded', "
			"superseded_by = ?, status_at = ?, status_by = ?, updated_at = ? WHERE "
			"district = ? AND number = ? AND version = ? AND is_current = 1",
			(struct store_param[]){SP_INT(l->version), SP_INT(now),
					       actor_id > 0 ? SP_INT(actor_id) : SP_NULL,
					       SP_INT(now), SP_TEXT(district), SP_TEXT(l->number),
					       SP_INT(l->version - 1)},
			7, &res, err);
	if (rc < 0)
		return rc;
	rc = res->changes == 1 ? 0 : -1;
	store_result_free(res);
	if (rc != 0)
		return yerr_set(err, 409, "stale_version", "version",
				"许可证 %s 的当前版本不是第 %d 版", l->number, l->version - 1);
	return event_simple(c, district, l->number, l->version - 1, "supersede", "superseded",
			    actor_id, actor, NULL, NULL, NULL, now, err);
}

int store_license_insert(struct store_conn *c, const char *district, struct store_license *l,
			 int64_t actor_id, const char *actor, int64_t now, struct yerr *err)
{
	struct store_result *res = NULL;
	int rc;

	if (l->version < 1)
		return yerr_set(err, 400, "invalid_input", "version", "许可证版本号无效");
	if (l->version > 1 && (rc = supersede(c, district, l, actor_id, actor, now, err)) < 0)
		return rc;
	if (l->issued_at == 0)
		l->issued_at = now;
	l->updated_at = now;
	l->is_current = true;
	rc = store_exec(
	    c,
	    "INSERT INTO licenses (district, number, version, is_current, eid, status, "
	    "application_id, holder_user_id, entity_id, holder_name, holder_uscc, legal_rep, "
	    "address, industry, industry_name, year, serial, valid_from, valid_until, issued_on, "
	    "doc, sig, kid, qr_text, pdf_sha256, pdf_size, issued_by, issued_at, updated_at) "
	    "VALUES "
	    "(?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
	    "?) "
	    "RETURNING id",
	    (struct store_param[]){
		SP_TEXT(district),
		SP_TEXT(l->number),
		SP_INT(l->version),
		SP_TEXT(l->eid),
		SP_TEXT(l->status[0] ? l->status : "valid"),
		l->application_id > 0 ? SP_INT(l->application_id) : SP_NULL,
		l->holder_user_id > 0 ? SP_INT(l->holder_user_id) : SP_NULL,
		l->entity_id > 0 ? SP_INT(l->entity_id) : SP_NULL,
		SP_TEXT(l->holder_name ? l->holder_name : ""),
		SP_TEXT(l->holder_uscc ? l->holder_uscc : ""),
		SP_TEXT(l->legal_rep ? l->legal_rep : ""),
		SP_TEXT(l->address ? l->address : ""),
		SP_TEXT(l->industry),
		SP_TEXT(l->industry_name ? l->industry_name : ""),
		SP_INT(l->year),
		SP_INT(l->serial),
		SP_TEXT(l->valid_from),
		l->valid_until[0] ? SP_TEXT(l->valid_until) : SP_NULL,
		SP_TEXT(l->issued_on),
		SP_TEXT(l->doc ? l->doc : "{}"),
		SP_TEXT(l->sig ? l->sig : ""),
		SP_TEXT(l->kid),
		SP_TEXT(l->qr_text),
		l->pdf_sha256[0] ? SP_TEXT(l->pdf_sha256) : SP_NULL,
		l->pdf_sha256[0] ? SP_INT(l->pdf_size) : SP_NULL,
		actor_id > 0 ? SP_INT(actor_id) : SP_NULL,
		SP_INT(l->issued_at),
		SP_INT(now),
	    },
	    28, &res, err);
	if (rc == STORE_ECONFLICT)
		yerr_set(err, 409, "license_exists", "", "该申请已核发许可证，或许可证版本已存在");
	if (rc < 0)
		return rc;
	l->id = store_cell_int(res, 0, 0, 0);
	store_result_free(res);
	if (l->status[0] == '\0')
		snprintf(l->status, sizeof(l->status), "valid");
	/* the application it was issued on is licensed now (statistics) */
	if (l->application_id > 0 &&
	    (rc = store_stats_touch(c, district, l->application_id, err)) < 0)
		return rc;
	return event_simple(c, district, l->number, l->version,
			    l->version == 1 ? "issue" : "version", l->status, actor_id, actor, NULL,
			    NULL, NULL, now, err);
}

int store_license_get(struct store_conn *c, const char *district, const char *number, int version,
		      bool lock, struct store_license *out, struct yerr *err)
{
	struct store_result *res = NULL;
	char sql[1024];
	int rc;

	memset(out, 0, sizeof(*out));
	snprintf(sql, sizeof(sql),
		 "SELECT " LIC_COLS " FROM licenses WHERE district = ? AND number = ? AND %s%s",
		 version > 0 ? "version = ?" : "is_current = 1", lock ? " FOR UPDATE" : "");
	rc = store_query_row(
	    c, sql, (struct store_param[]){SP_TEXT(district), SP_TEXT(number), SP_INT(version)},
	    version > 0 ? 3 : 2, &res, 404, "license_not_found", "许可证不存在", err);
	if (rc < 0)
		return rc;
	license_from_row(res, 0, out);
	store_result_free(res);
	return 0;
}

int store_license_by_application(struct store_conn *c, const char *district, int64_t app_id,
				 struct store_license *out, struct yerr *err)
{
	struct store_result *res = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = store_query_row(
	    c, "SELECT " LIC_COLS " FROM licenses WHERE district = ? AND application_id = ?",
	    (struct store_param[]){SP_TEXT(district), SP_INT(app_id)}, 2, &res, 404,
	    "license_not_found", "许可证不存在", err);
	if (rc < 0)
		return rc;
	license_from_row(res, 0, out);
	store_result_free(res);
	return 0;
}

int store_license_versions(struct store_conn *c, const char *district, const char *number,
			   struct store_license **items, size_t *n, struct yerr *err)
{
	struct store_result *res = NULL;
	int rc;

	rc = store_exec(c,
			"SELECT " LIC_COLS
			" FROM licenses WHERE district = ? AND number = ? ORDER BY version",
			(struct store_param[]){SP_TEXT(district), SP_TEXT(number)}, 2, &res, err);
	if (rc < 0)
		return rc;
	rc = licenses_from_result(res, items, n, err);
	store_result_free(res);
	return rc;
}

int store_license_list_holder(struct store_conn *c, const char *district, int64_t holder_user_id,
			      struct store_license **items, size_t *n, struct yerr *err)
{
	struct store_result *res = NULL;
	int rc;

	rc = store_exec(
	    c,
	    "SELECT " LIC_COLS " FROM licenses WHERE district = ? AND holder_user_id = ? "
	    "AND is_current = 1 ORDER BY issued_at DESC, id DESC",
	    (struct store_param[]){SP_TEXT(district), SP_INT(holder_user_id)}, 2, &res, err);
	if (rc < 0)
		return rc;
	rc = licenses_from_result(res, items, n, err);
	store_result_free(res);
	return rc;
}

int store_license_set_status(struct store_conn *c, const char *district, const char *number,
			     int version, const struct store_license_change *ch, int64_t now,
			     struct yerr *err)
{
	struct store_result *res = NULL;
	int64_t found = 0;
	int rc;

	/* Two statements rather than "? IS NULL": PostgreSQL cannot type a bare
	 * parameter. */
	rc = store_exec(
	    c,
	    ch->expect != NULL
		? "UPDATE licenses SET status = ?, status_reason = ?, status_basis = ?, "
		  "status_at = ?, status_by = ?, updated_at = ? WHERE district = ? AND "
		  "number = ? AND version = ? AND status = ?"
		: "UPDATE licenses SET status = ?, status_reason = ?, status_basis = ?, "
		  "status_at = ?, status_by = ?, updated_at = ? WHERE district = ? AND "
		  "number = ? AND version = ?",
	    (struct store_param[]){SP_TEXT(ch->status), SP_TEXT(ch->reason), SP_TEXT(ch->basis),
				   SP_INT(now), ch->actor_id > 0 ? SP_INT(ch->actor_id) : SP_NULL,
				   SP_INT(now), SP_TEXT(district), SP_TEXT(number), SP_INT(version),
				   SP_TEXT(ch->expect)},
	    ch->expect != NULL ? 10 : 9, &res, err);
	if (rc < 0)
		return rc;
	found = res->changes;
	store_result_free(res);
	if (found == 0) {
		int64_t exists = 0;

		rc = store_query_int(
		    c,
		    "SELECT count(*) FROM licenses WHERE district = ? AND number = ? "
		    "AND version = ?",
		    (struct store_param[]){SP_TEXT(district), SP_TEXT(number), SP_INT(version)}, 3,
		    0, &exists, err);
		if (rc < 0)
			return rc;
		if (exists == 0)
			return yerr_set(err, 404, "license_not_found", "number", "许可证不存在");
		return yerr_set(err, 409, "stale_status", "status",
				"许可证状态已被他人更改，请刷新后重试");
	}
	return event_simple(c, district, number, version, ch->kind, ch->status, ch->actor_id,
			    ch->actor, ch->reason, ch->basis, ch->detail, now, err);
}
