/*
 * app_life.h — lifecycle applications (change, extend, cancel, reissue of a
 * license; h_app_life.c) as the rest of the applications module and the
 * issuance (h_licenses.c) see them. Rules: core/lifecycle.h; API:
 * docs/applications.md "Kinds" and docs/api-licenses.md "Lifecycle".
 */
#ifndef YIYE_HTTP_APP_LIFE_H
#define YIYE_HTTP_APP_LIFE_H

#include <stdbool.h>

#include "core/lifecycle.h"
#include "http/applications.h"
#include "http/licenses.h"
#include "store/store_license.h"

/* Extension window (days before valid_until) when no catalog is active:
 * the catalog's license.extension_days (lic-core, docs/catalog.md) decides
 * otherwise; the window stays open up to the last valid day (close 0). */
#define LIFE_EXTEND_OPEN_DAYS 30
#define LIFE_EXTEND_CLOSE_DAYS 0

/* Whether the body of POST /api/v1/applications asks for a lifecycle kind
 * (a "kind" other than "new"). */
bool app_life_requested(const struct req *r);
/* POST /api/v1/applications with "kind": change | extend | cancel | reissue. */
void h_application_life_create(struct req *r);

/*
 * app_life_complete: the submission check of a lifecycle application in
 * place of the precheck of the frozen notice (whose materials belong to the
 * original application): every material of an added permit is uploaded
 * (400 incomplete_application naming the first missing). *handled false
 * for a new-license application (the caller runs its own check).
 */
int app_life_complete(struct req *r, struct store_conn *c, const struct store_app *a, bool *handled,
		      struct yerr *e);

/* Whether mid is a material an added permit of lifecycle application a
 * requires (the upload route accepts it though the notice does not list
 * it); *exempt as the catalog says. */
bool app_life_material(struct req *r, struct store_conn *c, const struct store_app *a,
		       const char *mid, bool *exempt);

/* Called on every transition that approved an application (inside its
 * transaction): a cancellation ends the license (status cancelled, event
 * cancel); other kinds wait for the issuer. */
int app_life_on_approved(struct req *r, struct store_conn *c, const struct store_app *a,
			 struct yerr *e);

/* The kind of application a (LIFE_NEW when it cannot be read). */
enum life_kind app_life_kind(struct req *r, struct store_conn *c, const struct store_app *a);

/* Adds "kind", "kind_label", "license" and "change" to an application's
 * JSON. */
void app_life_json(struct req *r, struct store_conn *c, const struct store_app *a, json_t *o);

/*
 * app_life_next_doc is what issuance asks of a lifecycle application: 0 for
 * a new-license application (nothing to do); 1 with *doc the content of the
 * next version (life_next_doc on the current version's document and the
 * application's change: number kept, version + 1, no eid / kid / sig) and
 * *prev the current version (locked; free with store_license_free); -1 with
 * e set (409 license_state when the license moved on meanwhile, 409
 * invalid_kind for a cancellation, which issues nothing).
 */
int app_life_next_doc(struct req *r, struct store_conn *c, const struct store_app *a, json_t **doc,
		      struct store_license *prev, struct yerr *e);

/*
 * app_life_build fills lic-core's struct license_build for the issuance of
 * lifecycle application a (app_life_issue.c): 0 for a new-license
 * application (the caller builds from the application as before), 1 when b
 * holds the next version (from app_life_next_doc: same number, version +
 * 1, its own identifier, the holder of the current version), -1 with e set.
 * license_write then signs, renders and inserts it, superseding the
 * current version.
 */
int app_life_build(struct req *r, struct store_conn *c, const struct store_app *a,
		   struct license_build *b, struct yerr *e);

/* After the new version is inserted: the departments only told of the
 * change get their notification, the holder theirs. */
int app_life_issued(struct req *r, struct store_conn *c, const struct store_app *a,
		    const char *number, int version, struct yerr *e);

/* The registration flags of a license (store_life_flags) as a JSON array. */
json_t *app_life_flags_json(struct req *r, struct store_conn *c, const char *uscc,
			    const char *holder_name, const char *legal_rep, const char *address);

#endif
