/*
 * store_events.c — SQL of the event outbox (see store_events.h).
 */
#include "store/store_events.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *const event_kinds[] = {
    "application.submitted",
    "application.accepted",
    "application.decided",
    "license.issued",
    "license.changed",
    "license.suspended",
    "license.reinstated",
    "license.revoked",
    "license.cancelled",
    "penalty.decided",
    "abnormal_list.added",
    "abnormal_list.removed",
    NULL,
};

static int oom(struct yerr *e)
{
	return yerr_set(e, 500, "out_of_memory", NULL, "内存不足");
}

bool event_kind_valid(const char *kind)
{
	for (size_t i = 0; kind != NULL && event_kinds[i] != NULL; i++)
		if (strcmp(event_kinds[i], kind) == 0)
			return true;
	return false;
}

/* ",<kind>," as a LIKE pattern matching inside a stored kinds list, with
 * LIKE's metacharacters escaped (kinds have underscores). */
static void kinds_pattern(const char *kind, char *out, size_t outsz)
{
	size_t o = 0;

	if (outsz < 8)
		return;
	out[o++] = '%';
	out[o++] = ',';
	for (const char *p = kind; *p && o + 5 < outsz; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			out[o++] = '\\';
		out[o++] = *p;
	}
	out[o++] = ',';
	out[o++] = '%';
	out[o] = '\0';
}

int event_emit_seq(struct store_conn *c, const char *district, const char *kind, const char *ref,
		   json_t *payload, int64_t *seq, struct yerr *e)
{
	unsigned char rnd[16];
	char id[EVENT_ID_SIZE] = "evt_", pattern[EVENT_KIND_MAX * 2 + 8], *text;
	int64_t max = 0, now = (int64_t)time(NULL);
	struct timespec ts;
	int rc;

	if (!event_kind_valid(kind))
		return yerr_set(e, 500, "internal", NULL, "未知的事件类型");
	if (payload != NULL && !json_is_object(payload))
		return yerr_set(e, 500, "internal", NULL, "事件内容必须是 JSON 对象");
	text = payload != NULL ? json_dumps(payload, JSON_COMPACT | JSON_SORT_KEYS) : strdup("{}");
	if (text == NULL)
		return oom(e);
	if (strlen(text) > EVENT_PAYLOAD_MAX) {
		free(text);
		return yerr_set(e, 500, "internal", NULL, "事件内容过大");
	}
	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(id + 4, sizeof(id) - 4, rnd, sizeof(rnd));
	clock_gettime(CLOCK_REALTIME, &ts);
	kinds_pattern(kind, pattern, sizeof(pattern));
	/* The feed cursor must never skip a row: seq is taken under a lock held
	 * until this transaction ends, so rows commit in seq order (the same
	 * rule as license_events). SQLite's write lock already does it. */
	rc = store_lock_key(c, "events", district, e);
	if (rc == 0)
		rc = store_query_int(c, "SELECT max(seq) FROM events WHERE district = ?",
				     (struct store_param[]){SP_TEXT(district)}, 1, 0, &max, e);
	if (rc == 0)
		rc = store_exec(c,
				"INSERT INTO events (district, seq, id, kind, ref, at, payload) "
				"VALUES (?, ?, ?, ?, ?, ?, ?)",
				(struct store_param[]){
				    SP_TEXT(district), SP_INT(max + 1), SP_TEXT(id), SP_TEXT(kind),
				    SP_TEXT(ref ? ref : ""), SP_INT(now), SP_TEXT(text)},
				7, NULL, e);
	/* One delivery per matching subscription, due at once: the sender
	 * finds it at its next poll, whichever node that is. */
	if (rc == 0)
		rc = store_exec(
		    c,
		    "INSERT INTO event_deliveries (district, subscription_id, event_seq, status, "
		    "attempts, next_at_ms, created_at) SELECT district, id, ?, 'pending', 0, ?, ? "
		    "FROM event_subscriptions WHERE district = ? AND active = 1 AND (kinds = '*' "
		    "OR kinds LIKE ? ESCAPE '\\')",
		    (struct store_param[]){SP_INT(max + 1),
					   SP_INT((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000),
					   SP_INT(now), SP_TEXT(district), SP_TEXT(pattern)},
		    5, NULL, e);
	free(text);
	if (rc == 0 && seq != NULL)
		*seq = max + 1;
	return rc;
}

int event_emit(struct store_conn *c, const char *district, const char *kind, const char *ref,
	       json_t *payload, struct yerr *e)
{
	return event_emit_seq(c, district, kind, ref, payload, NULL, e);
}

#define EVENT_COLS "seq, id, kind, ref, district, at, payload"

static void event_from_row(const struct store_result *res, int i, struct store_event *ev)
{
	ev->seq = store_cell_int(res, i, 0, 0);
	store_cell_copy(res, i, 1, ev->id, sizeof(ev->id));
	store_cell_copy(res, i, 2, ev->kind, sizeof(ev->kind));
	store_cell_copy(res, i, 3, ev->ref, sizeof(ev->ref));
	store_cell_copy(res, i, 4, ev->district, sizeof(ev->district));
	ev->at = store_cell_int(res, i, 5, 0);
	ev->payload = store_cell_dup(res, i, 6);
}

int store_events_after(struct store_conn *c, const char *district, int64_t after,
		       const char *kind_prefix, long limit, struct store_event **items, size_t *n,
		       struct yerr *e)
{
	struct store_result *res = NULL;
	char prefix[EVENT_KIND_MAX + 2];
	int rc;

	*items = NULL;
	*n = 0;
	if (limit < 1 || limit > 1000)
		limit = 100;
	snprintf(prefix, sizeof(prefix), "%s%%", kind_prefix ? kind_prefix : "");
	rc = store_exec(c,
			"SELECT " EVENT_COLS " FROM events WHERE district = ? AND seq > ? AND kind "
			"LIKE ? ORDER BY seq LIMIT ?",
			(struct store_param[]){SP_TEXT(district), SP_INT(after), SP_TEXT(prefix),
					       SP_INT(limit)},
			4, &res, e);
	if (rc < 0)
		return rc;
	if (res->rows > 0 && (*items = calloc((size_t)res->rows, sizeof(**items))) == NULL) {
		store_result_free(res);
		return oom(e);
	}
	for (int i = 0; i < res->rows; i++)
		event_from_row(res, i, &(*items)[i]);
	*n = (size_t)res->rows;
	store_result_free(res);
	return 0;
}

void store_events_free(struct store_event *items, size_t n)
{
	for (size_t i = 0; items != NULL && i < n; i++)
		free(items[i].payload);
	free(items);
}

json_t *store_event_json(const struct store_event *ev)
{
	json_t *data = ev->payload ? json_loads(ev->payload, 0, NULL) : NULL;

	if (data == NULL)
		data = json_object();
	return json_pack("{s:s,s:I,s:s,s:s,s:I,s:s,s:o}", "id", ev->id, "seq", (json_int_t)ev->seq,
			 "kind", ev->kind, "district", ev->district, "at", (json_int_t)ev->at,
			 "ref", ev->ref, "data", data);
}

/* ---- subscriptions ---- */

#define SUB_COLS                                                                         \
	"s.id, s.name, s.url, s.kinds, s.secret, s.active, s.created_by, s.created_at, " \
	"s.updated_at"

static void sub_from_row(const struct store_result *res, int i, struct store_subscription *s)
{
	s->id = store_cell_int(res, i, 0, 0);
	store_cell_copy(res, i, 1, s->name, sizeof(s->name));
	store_cell_copy(res, i, 2, s->url, sizeof(s->url));
	store_cell_copy(res, i, 3, s->kinds, sizeof(s->kinds));
	store_cell_copy(res, i, 4, s->secret, sizeof(s->secret));
	s->active = store_cell_int(res, i, 5, 0) != 0;
	s->created_by = store_cell_int(res, i, 6, 0);
	s->created_at = store_cell_int(res, i, 7, 0);
	s->updated_at = store_cell_int(res, i, 8, 0);
	if (res->cols > 11) {
		s->pending = store_cell_int(res, i, 9, 0);
		s->delivered = store_cell_int(res, i, 10, 0);
		s->dead = store_cell_int(res, i, 11, 0);
	}
}

int store_subscription_insert(struct store_conn *c, const char *district,
			      struct store_subscription *s, struct yerr *e)
{
	struct store_result *res = NULL;
	int64_t now = (int64_t)time(NULL);
	int rc;

	rc = store_exec(c,
			"INSERT INTO event_subscriptions (district, name, url, kinds, secret, "
			"active, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, "
			"?, ?) RETURNING id",
			(struct store_param[]){SP_TEXT(district), SP_TEXT(s->name), SP_TEXT(s->url),
					       SP_TEXT(s->kinds), SP_TEXT(s->secret),
					       SP_INT(s->active ? 1 : 0),
					       s->created_by > 0 ? SP_INT(s->created_by) : SP_NULL,
					       SP_INT(now), SP_INT(now)},
			9, &res, e);
	if (rc < 0)
		return rc;
	s->id = store_cell_int(res, 0, 0, 0);
	s->created_at = s->updated_at = now;
	store_result_free(res);
	return 0;
}

int store_subscription_update(struct store_conn *c, const char *district,
			      struct store_subscription *s, struct yerr *e)
{
	struct store_result *res = NULL;
	int64_t now = (int64_t)time(NULL);
	int rc;

	rc = store_exec(c,
			"UPDATE event_subscriptions SET name = ?, url = ?, kinds = ?, secret = ?, "
			"active = ?, updated_at = ? WHERE district = ? AND id = ?",
			(struct store_param[]){SP_TEXT(s->name), SP_TEXT(s->url), SP_TEXT(s->kinds),
					       SP_TEXT(s->secret), SP_INT(s->active ? 1 : 0),
					       SP_INT(now), SP_TEXT(district), SP_INT(s->id)},
			8, &res, e);
	if (rc < 0)
		return rc;
	rc = res->changes == 1 ? 0 : yerr_set(e, 404, "subscription_not_found", NULL, "订阅不存在");
	store_result_free(res);
	s->updated_at = now;
	return rc;
}

int store_subscription_get(struct store_conn *c, const char *district, int64_t id, bool lock,
			   struct store_subscription *out, struct yerr *e)
{
	struct store_result *res = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = store_query_row(
	    c,
	    lock ? "SELECT " SUB_COLS " FROM event_subscriptions s WHERE s.district = ? AND "
		   "s.id = ? FOR UPDATE"
		 : "SELECT " SUB_COLS ", (SELECT count(*) FROM event_deliveries d WHERE "
		   "d.district = s.district AND d.subscription_id = s.id AND d.status = "
		   "'pending'), (SELECT count(*) FROM event_deliveries d WHERE d.district = "
		   "s.district AND d.subscription_id = s.id AND d.status = 'delivered'), (SELECT "
		   "count(*) FROM event_deliveries d WHERE d.district = s.district AND "
		   "d.subscription_id = s.id AND d.status = 'dead') FROM event_subscriptions s "
		   "WHERE s.district = ? AND s.id = ?",
	    (struct store_param[]){SP_TEXT(district), SP_INT(id)}, 2, &res, 404,
	    "subscription_not_found", "订阅不存在", e);
	if (rc < 0)
		return rc;
	sub_from_row(res, 0, out);
	store_result_free(res);
	return 0;
}

int store_subscription_list(struct store_conn *c, const char *district,
			    struct store_subscription **items, size_t *n, struct yerr *e)
{
	struct store_result *res = NULL;
	int rc;

	*items = NULL;
	*n = 0;
	/* A district has a handful of subscribers: no paging. */
	rc = store_exec(
	    c,
	    "SELECT " SUB_COLS ", (SELECT count(*) FROM event_deliveries d WHERE d.district = "
	    "s.district AND d.subscription_id = s.id AND d.status = 'pending'), (SELECT count(*) "
	    "FROM event_deliveries d WHERE d.district = s.district AND d.subscription_id = s.id "
	    "AND d.status = 'delivered'), (SELECT count(*) FROM event_deliveries d WHERE "
	    "d.district = s.district AND d.subscription_id = s.id AND d.status = 'dead') FROM "
	    "event_subscriptions s WHERE s.district = ? ORDER BY s.id DESC LIMIT 500",
	    (struct store_param[]){SP_TEXT(district)}, 1, &res, e);
	if (rc < 0)
		return rc;
	if (res->rows > 0 && (*items = calloc((size_t)res->rows, sizeof(**items))) == NULL) {
		store_result_free(res);
		return oom(e);
	}
	for (int i = 0; i < res->rows; i++)
		sub_from_row(res, i, &(*items)[i]);
	*n = (size_t)res->rows;
	store_result_free(res);
	return 0;
}

/* ---- deliveries ---- */

int store_deliveries_list(struct store_conn *c, const char *district, int64_t subscription_id,
			  const char *status, long limit, long offset,
			  struct store_delivery **items, size_t *n, int64_t *total, struct yerr *e)
{
	struct store_result *res = NULL;
	const char *st = status ? status : "";
	int rc;

	*items = NULL;
	*n = 0;
	rc = store_query_int(c,
			     "SELECT count(*) FROM event_deliveries WHERE district = ? AND "
			     "subscription_id = ? AND (? = '' OR status = ?)",
			     (struct store_param[]){SP_TEXT(district), SP_INT(subscription_id),
						    SP_TEXT(st), SP_TEXT(st)},
			     4, 0, total, e);
	if (rc < 0)
		return rc;
	rc = store_exec(
	    c,
	    "SELECT d.id, d.subscription_id, d.event_seq, d.status, d.attempts, d.next_at_ms, "
	    "d.last_at_ms, d.last_status, d.last_error, d.delivered_at, d.created_at, ev.id, "
	    "ev.kind, ev.ref, ev.at FROM event_deliveries d JOIN events ev ON ev.district = "
	    "d.district AND ev.seq = d.event_seq WHERE d.district = ? AND d.subscription_id = ? "
	    "AND (? = '' OR d.status = ?) ORDER BY d.id DESC LIMIT ? OFFSET ?",
	    (struct store_param[]){SP_TEXT(district), SP_INT(subscription_id), SP_TEXT(st),
				   SP_TEXT(st), SP_INT(limit), SP_INT(offset)},
	    6, &res, e);
	if (rc < 0)
		return rc;
	if (res->rows > 0 && (*items = calloc((size_t)res->rows, sizeof(**items))) == NULL) {
		store_result_free(res);
		return oom(e);
	}
	for (int i = 0; i < res->rows; i++) {
		struct store_delivery *d = &(*items)[i];

		d->id = store_cell_int(res, i, 0, 0);
		d->subscription_id = store_cell_int(res, i, 1, 0);
		d->event_seq = store_cell_int(res, i, 2, 0);
		store_cell_copy(res, i, 3, d->status, sizeof(d->status));
		d->attempts = (int)store_cell_int(res, i, 4, 0);
		d->next_at_ms = store_cell_int(res, i, 5, 0);
		d->last_at_ms = store_cell_int(res, i, 6, 0);
		d->last_status = (int)store_cell_int(res, i, 7, 0);
		store_cell_copy(res, i, 8, d->last_error, sizeof(d->last_error));
		d->delivered_at = store_cell_int(res, i, 9, 0);
		d->created_at = store_cell_int(res, i, 10, 0);
		store_cell_copy(res, i, 11, d->event_id, sizeof(d->event_id));
		store_cell_copy(res, i, 12, d->kind, sizeof(d->kind));
		store_cell_copy(res, i, 13, d->ref, sizeof(d->ref));
		d->event_at = store_cell_int(res, i, 14, 0);
	}
	*n = (size_t)res->rows;
	store_result_free(res);
	return 0;
}

int store_delivery_redeliver(struct store_conn *c, const char *district, int64_t subscription_id,
			     int64_t id, int64_t now_ms, struct yerr *e)
{
	struct store_result *res = NULL;
	int rc;

	rc =
	    store_exec(c,
		       "UPDATE event_deliveries SET status = 'pending', attempts = 0, next_at_ms = "
		       "? WHERE district = ? AND subscription_id = ? AND id = ?",
		       (struct store_param[]){SP_INT(now_ms), SP_TEXT(district),
					      SP_INT(subscription_id), SP_INT(id)},
		       4, &res, e);
	if (rc < 0)
		return rc;
	rc = res->changes == 1 ? 0 : yerr_set(e, 404, "delivery_not_found", NULL, "投递记录不存在");
	store_result_free(res);
	return rc;
}

int store_deliveries_due(struct store_conn *c, const char *district, int64_t now_ms, int limit,
			 struct store_due **items, size_t *n, struct yerr *e)
{
	struct store_result *res = NULL;
	int rc;

	*items = NULL;
	*n = 0;
	rc = store_exec(
	    c,
	    "SELECT d.id, d.attempts, d.next_at_ms, s.url, s.secret, ev.seq, ev.id, ev.kind, "
	    "ev.ref, ev.district, ev.at, ev.payload FROM event_deliveries d JOIN "
	    "event_subscriptions s ON s.district = d.district AND s.id = d.subscription_id JOIN "
	    "events ev ON ev.district = d.district AND ev.seq = d.event_seq WHERE d.district = ? "
	    "AND d.status = 'pending' AND d.next_at_ms <= ? "
	    "AND s.active = 1 ORDER BY d.next_at_ms, d.id LIMIT ?",
	    (struct store_param[]){SP_TEXT(district), SP_INT(now_ms), SP_INT(limit)}, 3, &res, e);
	if (rc < 0)
		return rc;
	if (res->rows > 0 && (*items = calloc((size_t)res->rows, sizeof(**items))) == NULL) {
		store_result_free(res);
		return oom(e);
	}
	for (int i = 0; i < res->rows; i++) {
		struct store_due *d = &(*items)[i];
		struct store_event ev = {0};
		json_t *body;

		/* the event columns follow the five of the delivery */
		ev.seq = store_cell_int(res, i, 5, 0);
		store_cell_copy(res, i, 6, ev.id, sizeof(ev.id));
		store_cell_copy(res, i, 7, ev.kind, sizeof(ev.kind));
		store_cell_copy(res, i, 8, ev.ref, sizeof(ev.ref));
		store_cell_copy(res, i, 9, ev.district, sizeof(ev.district));
		ev.at = store_cell_int(res, i, 10, 0);
		ev.payload = (char *)store_cell(res, i, 11);
		d->id = store_cell_int(res, i, 0, 0);
		d->attempts = (int)store_cell_int(res, i, 1, 0);
		d->next_at_ms = store_cell_int(res, i, 2, 0);
		d->url = store_cell_dup(res, i, 3);
		d->secret = store_cell_dup(res, i, 4);
		memcpy(d->event_id, ev.id, sizeof(d->event_id));
		memcpy(d->kind, ev.kind, sizeof(d->kind));
		body = store_event_json(&ev);
		d->body = body ? json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
		json_decref(body);
		*n = (size_t)i + 1;
		if (d->url == NULL || d->secret == NULL || d->body == NULL) {
			store_result_free(res);
			store_due_free(*items, *n);
			*items = NULL;
			*n = 0;
			return oom(e);
		}
	}
	store_result_free(res);
	return 0;
}

void store_due_free(struct store_due *items, size_t n)
{
	for (size_t i = 0; items != NULL && i < n; i++) {
		free(items[i].url);
		free(items[i].secret);
		free(items[i].body);
	}
	free(items);
}

int store_delivery_claim(struct store_conn *c, const char *district, const struct store_due *d,
			 int64_t lease_until_ms, int64_t now_ms, bool *claimed, struct yerr *e)
{
	struct store_result *res = NULL;
	int rc;

	*claimed = false;
	rc = store_exec(c,
			"UPDATE event_deliveries SET next_at_ms = ?, attempts = attempts + 1, "
			"last_at_ms = ? WHERE district = ? AND id = ? AND status = 'pending' AND "
			"next_at_ms = ?",
			(struct store_param[]){SP_INT(lease_until_ms), SP_INT(now_ms),
					       SP_TEXT(district), SP_INT(d->id),
					       SP_INT(d->next_at_ms)},
			5, &res, e);
	if (rc < 0)
		return rc;
	*claimed = res->changes == 1;
	store_result_free(res);
	return 0;
}

int store_delivery_record(struct store_conn *c, const char *district, int64_t id,
			  const char *status, int http_status, const char *error,
			  int64_t next_at_ms, int64_t now_ms, struct yerr *e)
{
	bool done = strcmp(status, "delivered") == 0;

	return store_exec(
	    c,
	    "UPDATE event_deliveries SET status = ?, next_at_ms = ?, last_status = ?, "
	    "last_error = ?, delivered_at = ? WHERE district = ? AND id = ?",
	    (struct store_param[]){SP_TEXT(status), SP_INT(next_at_ms),
				   http_status > 0 ? SP_INT(http_status) : SP_NULL,
				   error && *error ? SP_TEXT(error) : SP_NULL,
				   done ? SP_INT(now_ms / 1000) : SP_NULL, SP_TEXT(district),
				   SP_INT(id)},
	    7, NULL, e);
}
