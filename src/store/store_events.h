/*
 * store_events.h — SQL of the event outbox (issue 14 point 6; 0041_events.sql):
 * events written in the transaction of the change they report, the
 * subscriptions of other departments' systems, and one delivery row per
 * (event, subscription) the delivery thread (http/event_delivery.c) works
 * through. The 一网通办 case-status feed reads the same outbox by cursor.
 *
 * Like every store module, functions run on a connection the caller
 * acquired; a change runs inside the caller's transaction (no begin or
 * commit here, no audit entry), except where a function says otherwise.
 * Returns 0, or a negative STORE_E* code with err filled.
 */
#ifndef YIYE_STORE_EVENTS_H
#define YIYE_STORE_EVENTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

#define EVENT_KIND_MAX 32
#define EVENT_ID_SIZE 37         /* "evt_" + 32 hex + NUL */
#define EVENT_PAYLOAD_MAX 65536  /* bytes of an event's data as JSON text */
#define EVENT_SUB_NAME_MAX 96    /* characters */
#define EVENT_SUB_URL_MAX 512    /* bytes */
#define EVENT_SUB_SECRET_MIN 16  /* bytes */
#define EVENT_SUB_SECRET_MAX 128 /* bytes */
#define EVENT_SUB_KINDS_MAX 512  /* bytes of the stored kinds list */

/* The kinds an event may have, in a stable order (NULL-terminated). */
extern const char *const event_kinds[];
/* true when kind is one of event_kinds. */
bool event_kind_valid(const char *kind);

/*
 * event_emit writes one event to the district's outbox, stamped now, and one
 * pending delivery for every active subscription of the district whose kinds
 * include it — inside the caller's transaction, so the event exists exactly
 * when the change it reports commits. kind: one of event_kinds (anything
 * else is a bug: 500); ref: the changed object's key ("" when none);
 * payload: a JSON object, the event's "data" — BORROWED (the caller keeps
 * and frees it), NULL for {}; at most EVENT_PAYLOAD_MAX bytes as JSON.
 *
 * The seq is allocated under the per-district named lock "events", held
 * until the transaction ends, so events commit in seq order and the feed
 * cursor never skips one. Lock order on PostgreSQL: after the module's row
 * locks, after license_events and supervision_events (whose append
 * functions call this), before the audit chain head.
 */
int event_emit(struct store_conn *c, const char *district, const char *kind, const char *ref,
	       json_t *payload, struct yerr *e);

/* The same, answering the event's seq (may be NULL). */
int event_emit_seq(struct store_conn *c, const char *district, const char *kind, const char *ref,
		   json_t *payload, int64_t *seq, struct yerr *e);

/* One event as stored. payload is malloc'd JSON text. */
struct store_event {
	int64_t seq;
	char id[EVENT_ID_SIZE];
	char kind[EVENT_KIND_MAX];
	char ref[128];
	char district[16];
	int64_t at;
	char *payload;
};

/* Events of district with seq > after, in seq order, at most limit
 * (1…1000; other values 100). kind_prefix: only kinds starting with it
 * ("application." for the case feed), NULL for all. */
int store_events_after(struct store_conn *c, const char *district, int64_t after,
		       const char *kind_prefix, long limit, struct store_event **items, size_t *n,
		       struct yerr *e);
void store_events_free(struct store_event *items, size_t n);

/* The delivered/fed JSON of an event: {"id","seq","kind","district","at",
 * "ref","data"}. New reference; NULL when out of memory. */
json_t *store_event_json(const struct store_event *ev);

/* ---- subscriptions ---- */

struct store_subscription {
	int64_t id;
	char name[EVENT_SUB_NAME_MAX * 4 + 1];
	char url[EVENT_SUB_URL_MAX + 1];
	char kinds[EVENT_SUB_KINDS_MAX + 1]; /* "*" or ",a,b," */
	char secret[EVENT_SUB_SECRET_MAX + 1];
	bool active;
	int64_t created_by, created_at, updated_at;
	/* counts of its deliveries by status (lists and get only) */
	int64_t pending, delivered, dead;
};

/* Inserts s (its id, created_at and updated_at are filled in). */
int store_subscription_insert(struct store_conn *c, const char *district,
			      struct store_subscription *s, struct yerr *e);
/* Writes name, url, kinds, secret and active of s->id (updated_at set).
 * 404 subscription_not_found. */
int store_subscription_update(struct store_conn *c, const char *district,
			      struct store_subscription *s, struct yerr *e);
/* 404 subscription_not_found. lock: FOR UPDATE. */
int store_subscription_get(struct store_conn *c, const char *district, int64_t id, bool lock,
			   struct store_subscription *out, struct yerr *e);
/* Every subscription of the district, newest first; free() *items. */
int store_subscription_list(struct store_conn *c, const char *district,
			    struct store_subscription **items, size_t *n, struct yerr *e);

/* ---- deliveries ---- */

struct store_delivery {
	int64_t id, subscription_id, event_seq;
	char status[16]; /* pending | delivered | dead */
	int attempts;
	int64_t next_at_ms, last_at_ms; /* 0 when never tried */
	int last_status;                /* HTTP status of the last try, 0 when none */
	char last_error[256];
	int64_t delivered_at, created_at;
	/* the event (lists and the sender) */
	char event_id[EVENT_ID_SIZE];
	char kind[EVENT_KIND_MAX];
	char ref[128];
	int64_t event_at;
};

/* The deliveries of one subscription, newest first; status NULL for all.
 * *total counts every match. free() *items. */
int store_deliveries_list(struct store_conn *c, const char *district, int64_t subscription_id,
			  const char *status, long limit, long offset,
			  struct store_delivery **items, size_t *n, int64_t *total, struct yerr *e);
/* Makes a delivery pending again, due now, attempts starting over
 * (redelivery from the API). 404 delivery_not_found. */
int store_delivery_redeliver(struct store_conn *c, const char *district, int64_t subscription_id,
			     int64_t id, int64_t now_ms, struct yerr *e);

/* What the sender needs of one due delivery: the row, where to send, the
 * secret and the body. Strings malloc'd; free with store_due_free. */
struct store_due {
	int64_t id;
	int attempts;       /* attempts before this one */
	int64_t next_at_ms; /* as read: the claim compares it */
	char *url, *secret, *body;
	char event_id[EVENT_ID_SIZE];
	char kind[EVENT_KIND_MAX];
};

/* Pending deliveries of district due at now_ms (of active subscriptions),
 * oldest due first, at most limit; each with its body (store_event_json,
 * compact, sorted keys). Read only: call outside a transaction. */
int store_deliveries_due(struct store_conn *c, const char *district, int64_t now_ms, int limit,
			 struct store_due **items, size_t *n, struct yerr *e);
void store_due_free(struct store_due *items, size_t n);

/* Claims a due delivery for one attempt: moves next_at_ms from what was read
 * to lease_until_ms and counts the attempt, in one statement (no transaction
 * needed). *claimed false when another sender took it first. */
int store_delivery_claim(struct store_conn *c, const char *district, const struct store_due *d,
			 int64_t lease_until_ms, int64_t now_ms, bool *claimed, struct yerr *e);

/* Records the outcome of an attempt: delivered, or still pending with the
 * next try at next_at_ms, or dead (dead-lettered). http_status 0 when no
 * answer came; error "" when none. One statement. */
int store_delivery_record(struct store_conn *c, const char *district, int64_t id,
			  const char *status, int http_status, const char *error,
			  int64_t next_at_ms, int64_t now_ms, struct yerr *e);

/* ---- the call sites (store_events_emit.c) ----
 * Each is one line in the module's own write function, in its transaction. */

struct store_app;
struct store_app_event;
struct store_license_event;

/* After an application's transition (store_app_transition): emits
 * application.submitted (into submitted), application.accepted (the accept
 * action) and application.decided (into approved, rejected, refused or
 * withdrawn) with the case shape as data; nothing for other transitions. */
int event_app_transition(struct store_conn *c, const char *district, const struct store_app *a,
			 const struct store_app_event *ev, int64_t now, struct yerr *e);
/* After a license event (store_license_event_add): issue → license.issued,
 * version (a new version: 变更, 延续, 补证) → license.changed, suspend, reinstate, revoke,
 * cancel → license.<…>ed; other kinds (expire, supersede, handover) emit nothing. */
int event_license(struct store_conn *c, const char *district, const struct store_license_event *ev,
		  struct yerr *e);
/* After a supervision event (sup_event_append_seq): penalty →
 * penalty.decided, abnormal_in / abnormal_out → abnormal_list.added /
 * .removed, detail (borrowed) as data; other kinds emit nothing. */
int event_supervision(struct store_conn *c, const char *district, const char *kind, const char *ref,
		      json_t *detail, struct yerr *e);

#endif
