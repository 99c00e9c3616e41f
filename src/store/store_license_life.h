/*
 * store_license_life.h — SQL of the license's life (issue 12, points 7-9;
 * migration 0021_license_lifecycle.sql): the lifecycle columns of an
 * application, the market entities as registration knows them, the
 * licenses an entity holds, the daily expiry job's rows (expired licenses,
 * notices sent exactly once, one run per district and day).
 *
 * Like every store module: the caller's connection and transaction, no
 * audit entry, 0 or a negative STORE_E* code with err filled.
 */
#ifndef YIYE_STORE_LICENSE_LIFE_H
#define YIYE_STORE_LICENSE_LIFE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/license.h"
#include "store/store.h"

/* applications.kind / license_number / life_change ----------------------------- */

struct store_app_life {
	char kind[16];                            /* "new" for an application of issue 11 */
	char license_number[LICENSE_NUMBER_SIZE]; /* "" for new */
	char *change;                             /* malloc'd JSON text, NULL when none */
};
void store_app_life_free(struct store_app_life *l);

/* Writes the lifecycle columns of application app_id (just inserted). */
int store_app_life_set(struct store_conn *c, const char *district, int64_t app_id, const char *kind,
		       const char *license_number, const char *change, struct yerr *err);
/* Reads them; 404 application_not_found. */
int store_app_life_get(struct store_conn *c, const char *district, int64_t app_id,
		       struct store_app_life *out, struct yerr *err);
/* The id of an application on license `number` that is still open (not
 * refused, rejected, withdrawn, approved-and-licensed), 0 when none: one
 * change at a time per license. */
int store_app_life_open(struct store_conn *c, const char *district, const char *number,
			int64_t *app_id, struct yerr *err);

/* entities --------------------------------------------------------------------- */

#define ENTITY_TEXT_MAX 1024 /* 200 characters of UTF-8 and room */

struct store_entity {
	int64_t id;
	char uscc[20];
	char name[ENTITY_TEXT_MAX];
	char legal_rep[256];
	char address[ENTITY_TEXT_MAX];
	char status[16]; /* registered | deregistered */
	char source[16]; /* account | staff | import | license */
	int64_t created_at, updated_at;
};

/* 404 entity_not_found. */
int store_entity_get(struct store_conn *c, const char *district, const char *uscc,
		     struct store_entity *out, struct yerr *err);
/*
 * store_entity_put creates or updates the entity e->uscc with e's name,
 * legal_rep, address, status and source (e->id, timestamps filled in).
 * *changed: whether anything differs from what was stored, or a stronger
 * source (import or staff over license over account) confirms the same data
 * (a re-import of the same line changes nothing and writes nothing);
 * *created: it is new.
 * Locks the row (FOR UPDATE) before comparing.
 */
int store_entity_put(struct store_conn *c, const char *district, struct store_entity *e,
		     int64_t now, bool *changed, bool *created, struct yerr *err);

/* The current version of a license as the registration link compares it. */
struct store_life_license {
	char number[LICENSE_NUMBER_SIZE];
	int version;
	char status[16];
	char holder_name[ENTITY_TEXT_MAX], legal_rep[256], address[ENTITY_TEXT_MAX];
	char holder_uscc[20];
	char valid_until[16]; /* "" none */
	int64_t holder_user_id, application_id;
};

/* The current versions (valid or suspended) held by the entity with credit
 * code uscc, oldest first; *items malloc'd (free()). */
int store_life_licenses_of(struct store_conn *c, const char *district, const char *uscc,
			   struct store_life_license **items, size_t *n, struct yerr *err);
/* The flags of one license (lifecycle.h): "deregistered" when its entity is
 * deregistered, "needs_change" when the entity's name, legal representative
 * or address differs from the license's. *flags receives up to 2 pointers to
 * static names; *n their count. */
int store_life_flags(struct store_conn *c, const char *district, const char *uscc,
		     const char *holder_name, const char *legal_rep, const char *address,
		     const char *flags[2], size_t *n, struct yerr *err);

/* the daily expiry job ---------------------------------------------------------- */

/*
 * store_job_claim: whether job `job` of district has run on day (text
 * YYYY-MM-DD). Takes the job's lock (store_lock_key) so two nodes do not run
 * it at once, then inserts the run row: *claimed false when a row existed
 * (another node, or an earlier run that day). The row commits with the
 * job's work.
 */
int store_job_claim(struct store_conn *c, const char *district, const char *job, const char *day,
		    int64_t now, bool force, bool *claimed, struct yerr *err);

/* Current valid versions whose valid_until lies in [from, to] (text days),
 * oldest expiry first; *items malloc'd (free()). */
int store_life_licenses_until(struct store_conn *c, const char *district, const char *from,
			      const char *to, struct store_life_license **items, size_t *n,
			      struct yerr *err);
/* Records notice kind (expiry_30 | expiry_7) of (number, valid_until): *sent
 * true when this call recorded it, false when it had been sent before. */
int store_life_notice(struct store_conn *c, const char *district, const char *number,
		      const char *valid_until, const char *kind, int64_t now, bool *sent,
		      struct yerr *err);

#endif
