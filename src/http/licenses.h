/*
 * licenses.h — what the license handlers share (h_licenses.c, and the
 * lifecycle / hand-over / export handlers built on it): writing a version of
 * a license (document, signature, QR text, PDF, row) in the caller's
 * transaction, loading one for the caller, and its API shape.
 * Shapes: docs/api-licenses.md.
 */
#ifndef YIYE_HTTP_LICENSES_H
#define YIYE_HTTP_LICENSES_H

#include <stdbool.h>

#include "core/license.h"
#include "core/workflow.h"
#include "http/applications.h"
#include "store/store_license.h"

/* A version being built: the document's input and the storage its strings
 * point into. Fill with license_build_from_app (or by hand), then write
 * with license_write; free with license_build_free. */
struct license_build {
	struct license_input in;
	struct license_permit permits[WF_MAX_PERMITS];
	long permit_years[WF_MAX_PERMITS];
	json_t *form; /* the application's form: holder strings point into it */
	char number[LICENSE_NUMBER_SIZE];
	char eid[LICENSE_EID_SIZE];
	int year;
	long serial;
	int64_t application_id, holder_user_id, entity_id;
};

void license_build_free(struct license_build *b);

/*
 * license_build_from_app fills b for version `version` of license `number`
 * (NULL: a new number — the district's next serial of today's year, taken
 * from the counter in c's transaction) from application a and its notice n:
 * holder (the form's F_ent_name, F_uscc, F_legal_name, F_site_address),
 * industry, the merged permits with department and legal basis, validity by
 * the catalog's rule from today, issuer (the caller's department). 422
 * license_incomplete when the form lacks the holder's name or credit code.
 */
int license_build_from_app(struct req *r, struct store_conn *c, const struct store_app *a,
			   const struct app_notice *n, const char *number, int version, int today,
			   struct license_build *b, struct yerr *e);

/*
 * license_write signs b's document with the current key, builds the QR text
 * (<public_url>/v/<number>#<YL1 payload>), renders the PDF once, stores it
 * in the blob store (fsynced before the row) and inserts the version
 * (store_license_insert: a version > 1 supersedes the current one). *out
 * receives the row (free with store_license_free). In c's transaction;
 * the caller writes the audit entry and commits.
 */
int license_write(struct req *r, struct store_conn *c, struct license_build *b,
		  struct store_license *out, struct yerr *e);

/* The public address the QR code points at (config, else the listen
 * address and bound port), no trailing slash. */
void license_public_url(struct req *r, char *out, size_t outsz);

/*
 * license_load reads version `version` (0: current) of license {number} of
 * the path for the caller: 404 license_not_found when it does not exist or
 * the caller may not see it (an applicant sees only their own). Returns 0,
 * or -1 with the reply sent.
 */
int license_load(struct req *r, struct store_conn *c, int version, bool lock,
		 struct store_license *l);

/* The status the public sees today (stored, or expired by date). */
enum license_status license_effective_status(const struct store_license *l, int today);

/* The API shape {...document, "status", "status_reason", …} of l. */
json_t *license_json(const struct store_license *l, int today);

/*
 * license_sanction_apply is the one sanction of a license (suspend,
 * reinstate, revoke) for the route and for sup-credit's penalties and
 * verification results: the caller's department must own one of l's
 * permits (403 wrong_department), the transition must be allowed (409
 * invalid_state), reason and basis are required (400); the current version
 * (l, loaded locked) moves, the holder is notified, and a revocation adds
 * the holder's `revocation` credit record (source: what decided it — a
 * penalty decision number, a verification task — or NULL for the route).
 * In c's transaction; the caller audits and commits.
 */
int license_sanction_apply(struct req *r, struct store_conn *c, const struct store_license *l,
			   const char *action, const char *verb, const char *reason,
			   const char *basis, const char *source, struct yerr *e);

/* sup-credit (h_credit.c): the `revocation` credit record of l's holder. */
int credit_revocation_add(struct req *r, struct store_conn *c, const struct store_license *l,
			  const char *reason, const char *basis, const char *source, int64_t now,
			  struct yerr *e);

#endif
