/*
 * routes.c — THE route table. Every endpoint of the platform is one row:
 * method, path pattern, handler, required permission, audit event, flags,
 * and its OpenAPI description. The router (router.c), the permission check
 * (auth.c), the audit trail and GET /api/v1/openapi.json all read this table,
 * so they cannot drift apart.
 *
 * The rows live with their module, one routes_<module>.inc per module (with
 * the JSON body schemas only that module uses); this file only says in which
 * ORDER the modules' rows come. Each .inc is a list of rows included inside
 * the one initializer below, so routes[] stays a single constant array with
 * a compile-time size: no start-up assembly, no mutable copy, and the row
 * index (route_idx, the metrics row) is the position in this list.
 *
 * The order matters: the router takes the first row whose method and pattern
 * match, so a literal segment (/licenses/export) must come before a {param}
 * row of the same shape (/licenses/{number}). tests/unit/test_routes.c fails
 * when a row can never match because an earlier row shadows it. Append a new
 * module's file at the end unless its paths need to be matched earlier.
 *
 * Rows use designated initializers so a field cannot be swapped for another
 * silently; a field left out is NULL / 0 (no audit event, no flags, no query
 * parameters).
 */
#include "http/handlers.h"

const struct route routes[] = {
#include "http/routes_core.inc"

#include "http/routes_catalog.inc"

/* Above routes_licenses.inc: its literal paths under /api/v1/licenses/ must
   win over the /licenses/{number} rows. */
#include "http/routes_lic_public.inc"

#include "http/routes_applications.inc"

#include "http/routes_licenses.inc"

#include "http/routes_supervision.inc"

/* share-reads (issue 14): shared reads, the access log, token sharing */
#include "http/routes_sharing.inc"
/* share-events: subscriptions and the case-status feed */
#include "http/routes_events.inc"
/* share-exempt: 跨地区互认 */
#include "http/routes_trust.inc"
/* stats-api (issue 15): the statistics */
#include "http/routes_statistics.inc"

/* stats-ui (issue 15): the monthly report */
#include "http/routes_report.inc"

/* stats-ratings (issue 15): ratings, follow-ups, typical cases */
#include "http/routes_ratings.inc"
};

const int routes_count = (int)(sizeof(routes) / sizeof(routes[0]));
