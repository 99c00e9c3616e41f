/*
 * store_license.h — SQL of licenses (issue 12; docs/api-licenses.md).
 *
 * A license is one row per version (migration 0020_licenses.sql); the
 * newest version of a number has is_current = 1. Every change of a license
 * appends a row to license_events with a seq that grows in commit order per
 * district (the export cursor): store_license_insert and
 * store_license_set_status append theirs themselves, so no writer can forget
 * one; other modules (hand-over, expiry) call store_license_event_add.
 *
 * Like every store module, functions take the caller's connection and
 * district, run inside the caller's transaction (never begin or commit),
 * write no audit entry and return 0 or a negative STORE_E* code with err
 * filled.
 */
#ifndef YIYE_STORE_LICENSE_H
#define YIYE_STORE_LICENSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/license.h"
#include "store/store.h"

/* One version of a license as stored. Strings marked * are malloc'd (NULL
 * when SQL NULL); free with store_license_free. Days are "YYYY-MM-DD", ""
 * when none (valid_until "" = 长期有效). */
struct store_license {
	int64_t id;
	char number[LICENSE_NUMBER_SIZE];
	int version;
	bool is_current;
	char eid[LICENSE_EID_SIZE];
	char status[16]; /* license_status_name */
	int64_t application_id;
	int64_t holder_user_id; /* the applicant account: who may read it */
	int64_t entity_id;      /* the market entity, 0 when unknown */
	char *holder_name, *holder_uscc, *legal_rep, *address; /* * */
	char industry[64];
	char *industry_name; /* * */
	int year;
	long serial;
	char valid_from[16], valid_until[16], issued_on[16];
	char *doc; /* * the signed document, canonical JSON */
	char *sig; /* * base64url Ed25519 over doc */
	char kid[40];
	char *qr_text;       /* * the QR text printed (public_url/v/number#YL1…) */
	char pdf_sha256[72]; /* "" when none */
	int64_t pdf_size;
	char *status_reason, *status_basis; /* * */
	int64_t status_at, status_by;       /* 0 when never changed */
	int superseded_by;                  /* successor version, 0 none */
	int64_t issued_by, issued_at, updated_at;
};

void store_license_free(struct store_license *l);
void store_licenses_free(struct store_license *items, size_t n);

/*
 * store_license_next_serial takes the next serial of (district, year) from
 * the counter row, creating it at 1. Call it in the issuing transaction: a
 * serial is never handed out twice (a rollback leaves a gap, never a
 * repeat). Concurrent issuers of a district wait for each other on the
 * counter row until the first commits.
 */
int store_license_next_serial(struct store_conn *c, const char *district, int year, long *serial,
			      struct yerr *err);

/*
 * store_license_insert saves version l->version of l->number (l->id,
 * is_current, updated_at filled in; issued_at taken from l or now). Version 1
 * must be a new number; a version n > 1 requires the current version to be
 * n - 1 (else 409 stale_version), which becomes is_current = 0 and status
 * superseded with superseded_by = n. Appends the events "issue" (version 1)
 * or "supersede" (of n - 1) and "version" (of n), actor as given.
 * 409 license_exists when the application already has a license version or
 * the number/version exists.
 */
int store_license_insert(struct store_conn *c, const char *district, struct store_license *l,
			 int64_t actor_id, const char *actor, int64_t now, struct yerr *err);

/*
 * store_license_get loads one version of number (version 0: the current one)
 * into *out (free with store_license_free). lock: FOR UPDATE on PostgreSQL.
 * 404 license_not_found.
 */
int store_license_get(struct store_conn *c, const char *district, const char *number, int version,
		      bool lock, struct store_license *out, struct yerr *err);

/* The version issued on application app_id; 404 license_not_found. */
int store_license_by_application(struct store_conn *c, const char *district, int64_t app_id,
				 struct store_license *out, struct yerr *err);

/* Every version of number, oldest first (*items malloc'd, free with
 * store_licenses_free). */
int store_license_versions(struct store_conn *c, const char *district, const char *number,
			   struct store_license **items, size_t *n, struct yerr *err);

/* The current versions held by a user account, newest first (*items as
 * above). */
int store_license_list_holder(struct store_conn *c, const char *district, int64_t holder_user_id,
			      struct store_license **items, size_t *n, struct yerr *err);

/* A status change of one version. */
struct store_license_change {
	const char *status; /* new status name */
	const char *kind;   /* event kind: suspend, reinstate, revoke, cancel, expire … */
	const char *reason; /* may be NULL */
	const char *basis;  /* legal basis, may be NULL */
	int64_t actor_id;   /* 0: the system (daily job) */
	const char *actor;  /* username, or "system" */
	const char *detail; /* event detail JSON text, NULL = "{}" */
	const char *expect; /* the status it must still have (409 stale_status), or NULL */
};

/*
 * store_license_set_status moves version `version` of number to ch->status,
 * records reason, basis, when and by whom, and appends the event. 404
 * license_not_found; 409 stale_status when ch->expect is set and the row no
 * longer has it (someone else changed it first).
 */
int store_license_set_status(struct store_conn *c, const char *district, const char *number,
			     int version, const struct store_license_change *ch, int64_t now,
			     struct yerr *err);

/* An event of license_events. Strings * malloc'd. */
struct store_license_event {
	int64_t seq;
	char number[LICENSE_NUMBER_SIZE];
	int version;
	char kind[24];
	char status[16];
	int64_t actor_id;
	char *actor, *reason, *basis, *detail; /* * */
	int64_t at;
};

/* Appends one event (seq = the district's next, in commit order; *seq out,
 * may be NULL). ev->seq and ev->at are ignored (now). */
int store_license_event_add(struct store_conn *c, const char *district,
			    const struct store_license_event *ev, int64_t now, int64_t *seq,
			    struct yerr *err);
/* Events with seq > after, oldest first, at most limit (*items malloc'd,
 * free with store_license_events_free). */
int store_license_events_after(struct store_conn *c, const char *district, int64_t after,
			       long limit, struct store_license_event **items, size_t *n,
			       struct yerr *err);
void store_license_events_free(struct store_license_event *items, size_t n);

#endif
