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
 * Like every store module, functions run on a connection the caller acquired;
 * a change runs inside the caller's transaction, so the caller writes its
 * audit entry (req_audit) in the same transaction before committing. Reads
 * return plain structs; the HTTP layer builds the API JSON
 * (docs/api-catalog.md). Returns 0, or a negative STORE_E* code with err
 * filled.
 */
#ifndef YIYE_STORE_CATALOG_H
#define YIYE_STORE_CATALOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

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

/* One version as listed (the document is read by store_catalog_document). */
struct store_catalog_version {
	long version;
	char status[16]; /* published | active | retired */
	int64_t created_at;
	int64_t activated_at; /* 0: never activated */
	char *created_by;     /* NULL when unknown */
	char *note;
	char sha256[65];
	int64_t *proposals; /* ids of the proposals it included */
	size_t nproposals;
};

/* Number of versions of district. */
int store_catalog_count(struct store_conn *c, const char *district, int64_t *n, struct yerr *err);

/*
 * store_catalog_publish saves a new version (number = highest + 1), marks the
 * proposals included and, when asked, activates it (the previous active one
 * becomes retired). Run it inside a transaction: a failure is rolled back
 * whole. *version_out receives the new number, or 0 when only_if_empty found
 * a version (nothing written).
 */
int store_catalog_publish(struct store_conn *c, const struct store_catalog_new *v,
			  long *version_out, struct yerr *err);

/*
 * store_catalog_document reads the document of version (0: the active one)
 * into *doc (caller frees) and its number into *version_out. It recomputes the
 * SHA-256 and fails with 500 catalog_corrupt when the stored document was
 * altered. 404 unknown_version when there is no such version (or, for 0, no
 * active one: code no_active_catalog).
 */
int store_catalog_document(struct store_conn *c, const char *district, long version, char **doc,
			   long *version_out, struct yerr *err);

/*
 * store_catalog_activate makes version the active one (the previous active
 * version becomes retired), inside the caller's transaction. Activating the
 * active version is a no-op. *previous_out (may be NULL) receives the version
 * active before, or 0. 404 unknown_version.
 */
int store_catalog_activate(struct store_conn *c, const char *district, long version,
			   long *previous_out, struct yerr *err);

/* The number of district's active version, 0 when none: one indexed read,
 * cheap enough to poll (other nodes notice an activation this way). */
int store_catalog_active_version(struct store_conn *c, const char *district, long *version,
				 struct yerr *err);

/*
 * store_catalog_versions lists versions newest first, limit/offset paged:
 * *items (malloc'd, free with store_catalog_versions_free) receives *n
 * versions and *total the number of versions of the district.
 */
int store_catalog_versions(struct store_conn *c, const char *district, long limit, long offset,
			   struct store_catalog_version **items, size_t *n, long *total,
			   struct yerr *err);
void store_catalog_versions_free(struct store_catalog_version *items, size_t n);

/* A new proposal. */
struct store_catalog_proposal_new {
	const char *district;
	const char *kind;     /* "add" | "change" */
	const char *industry; /* industry code or NULL */
	const char *title, *reason, *detail;
	const char *department; /* proposer's department code or NULL */
	const char *proposed_by;
};

/* A proposal as stored. Strings are malloc'd (NULL for SQL NULL); times and
 * included_in are 0 when not set. Free with store_catalog_proposals_free. */
struct store_catalog_proposal {
	int64_t id;
	char *kind, *industry, *title, *reason, *detail, *department, *proposed_by;
	int64_t created_at;
	char *status; /* pending | approved | rejected | included */
	char *decided_by;
	int64_t decided_at;
	char *comment;
	int64_t included_in;
};

/* Saves a proposal (status pending); *id_out receives its id. */
int store_catalog_proposal_insert(struct store_conn *c, const struct store_catalog_proposal_new *p,
				  int64_t *id_out, struct yerr *err);

/*
 * store_catalog_proposals lists proposals newest first: of department only
 * (NULL: every department), of status only (NULL: any). *items (malloc'd)
 * receives *n proposals, *total the number matching.
 */
int store_catalog_proposals(struct store_conn *c, const char *district, const char *department,
			    const char *status, long limit, long offset,
			    struct store_catalog_proposal **items, size_t *n, long *total,
			    struct yerr *err);

/* store_catalog_proposal_get reads one proposal into *out (free with
 * store_catalog_proposals_free(out, 1, false)); 404 unknown_proposal. */
int store_catalog_proposal_get(struct store_conn *c, const char *district, int64_t id,
			       struct store_catalog_proposal *out, struct yerr *err);

/*
 * store_catalog_proposal_decide approves or rejects a pending proposal inside
 * the caller's transaction; 404 unknown_proposal, 409 proposal_decided when
 * it is no longer pending.
 */
int store_catalog_proposal_decide(struct store_conn *c, const char *district, int64_t id,
				  bool approve, const char *by, const char *comment,
				  struct yerr *err);

/* Frees the strings of items[0..n) and, for a list, the array itself
 * (pass free_array false for a single struct on the stack). */
void store_catalog_proposals_free(struct store_catalog_proposal *items, size_t n, bool free_array);

#endif
