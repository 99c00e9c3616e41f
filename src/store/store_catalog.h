/*
 * store_catalog.h — SQL of catalog versions and department proposals.
 *
 * A catalog version is the whole catalog as one canonical JSON document
 * (catalog_to_json) plus its SHA-256, numbered 1, 2, … per district. Its
 * document is written once and never updated; only its status moves
 * (published -> active -> retired). Exactly one version per district is
 * active; the server serves that one.
 *
 * Proposals (新增、调整建议) move pending -> approved | rejected, and
 * approved -> included when a version that includes them is published.
 *
 * Lists are answered as jansson arrays in the API shape (docs/api-catalog.md)
 * because their only reader is the HTTP layer.
 */
#ifndef YIYE_STORE_CATALOG_H
#define YIYE_STORE_CATALOG_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

/* Called inside the transaction of a change, right before it commits, with
 * the object changed ("catalog_version:3", "catalog_proposal:7"): the HTTP
 * layer writes its audit entry there so the entry commits with the change.
 * A negative return rolls the change back. NULL: no hook. */
struct store_catalog_hook {
	int (*fn)(struct store_conn *c, void *ud, const char *object, struct yerr *err);
	void *ud;
};

/* What store_catalog_publish writes. */
struct store_catalog_new {
	const char *district;
	const char *document;   /* canonical single-document JSON, already checked */
	const char *created_by; /* username, or "init" / "cli" */
	const char *note;       /* may be NULL */
	bool activate;          /* make it the active version at once */
	bool only_if_empty;     /* write nothing when the district has a version (yiye init) */
	/* Proposals to mark included. With all_approved, every approved proposal
	 * of the district; otherwise exactly ids[0..nids), each of which must be
	 * approved (400 proposal_not_approved, field "proposals[i]"). */
	bool all_approved;
	const int64_t *ids;
	size_t nids;
};

/* Number of versions of district. */
int store_catalog_count(struct store *s, const char *district, int64_t *n, struct yerr *err);

/*
 * store_catalog_publish saves a new version (number = highest + 1), marks the
 * proposals included and, when asked, activates it (the previous active one
 * becomes retired) — all in one transaction, so a failure changes nothing.
 * *version_out receives the new number, or 0 when only_if_empty found a version.
 */
int store_catalog_publish(struct store *s, const struct store_catalog_new *v,
			  const struct store_catalog_hook *hook, long *version_out,
			  struct yerr *err);

/*
 * store_catalog_document reads the document of version (0: the active one)
 * into *doc (caller frees) and its number into *version_out. It recomputes the
 * SHA-256 and fails with 500 catalog_corrupt when the stored document was
 * altered. 404 unknown_version when there is no such version (or, for 0, no
 * active one: code no_active_catalog).
 */
int store_catalog_document(struct store *s, const char *district, long version, char **doc,
			   long *version_out, struct yerr *err);

/*
 * store_catalog_activate makes version the active one (the previous active
 * version becomes retired). Activating the active version is a no-op.
 * *previous_out (may be NULL) receives the version active before, or 0.
 * 404 unknown_version.
 */
int store_catalog_activate(struct store *s, const char *district, long version,
			   const struct store_catalog_hook *hook, long *previous_out,
			   struct yerr *err);

/* The number of district's active version, 0 when none: one indexed read,
 * cheap enough to poll (other nodes notice an activation this way). */
int store_catalog_active_version(struct store *s, const char *district, long *version,
				 struct yerr *err);

/*
 * store_catalog_versions lists versions newest first, limit/offset paged:
 * *items receives [{version,status,created_at,created_by,note,sha256,
 * activated_at,proposals:[ids]}] and *total the number of versions.
 */
int store_catalog_versions(struct store *s, const char *district, long limit, long offset,
			   json_t **items, long *total, struct yerr *err);

/* A new proposal. */
struct store_catalog_proposal {
	const char *district;
	const char *kind;     /* "add" | "change" */
	const char *industry; /* industry code or NULL */
	const char *title, *reason, *detail;
	const char *department; /* proposer's department code or NULL */
	const char *proposed_by;
};

/* Saves a proposal (status pending); *id_out receives its id. */
int store_catalog_proposal_insert(struct store *s, const struct store_catalog_proposal *p,
				  const struct store_catalog_hook *hook, int64_t *id_out,
				  struct yerr *err);

/*
 * store_catalog_proposals lists proposals newest first: of department only
 * (NULL: every department), of status only (NULL: any). *items receives the
 * API objects (see store_catalog_proposal_get), *total the number matching.
 */
int store_catalog_proposals(struct store *s, const char *district, const char *department,
			    const char *status, long limit, long offset, json_t **items,
			    long *total, struct yerr *err);

/*
 * store_catalog_proposal_get reads one proposal as
 * {id,kind,industry,title,reason,detail,department,proposed_by,created_at,
 *  status,decided_by,decided_at,comment,included_in}; 404 unknown_proposal.
 */
int store_catalog_proposal_get(struct store *s, const char *district, int64_t id, json_t **out,
			       struct yerr *err);

/*
 * store_catalog_proposal_decide approves or rejects a pending proposal;
 * 404 unknown_proposal, 409 proposal_decided when it is no longer pending.
 * *out (may be NULL) receives the proposal as it now stands.
 */
int store_catalog_proposal_decide(struct store *s, const char *district, int64_t id, bool approve,
				  const char *by, const char *comment,
				  const struct store_catalog_hook *hook, json_t **out,
				  struct yerr *err);

#endif
