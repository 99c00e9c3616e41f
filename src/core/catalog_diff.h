#ifndef YIYE_CATALOG_DIFF_H
#define YIYE_CATALOG_DIFF_H
/*
 * catalog_diff.h — what changed between two catalog versions, for the catalog
 * admin reviewing a proposal before publishing it.
 */
#include <jansson.h>
#include <stddef.h>

#include "core/catalog.h"

enum catalog_change_kind { CATALOG_ADDED, CATALOG_REMOVED, CATALOG_CHANGED };

struct catalog_change {
	enum catalog_change_kind kind;
	const char *entity; /* "catalog", "department", "material", "field", "permit", "industry" */
	const char *id; /* code or id (borrowed from the catalog it comes from); "" for "catalog" */
	char keys[256]; /* CHANGED: the top-level keys whose values differ, comma-separated, sorted
			 */
};

struct catalog_changes {
	struct catalog_change *items;
	size_t n, cap;
};

/*
 * catalog_diff appends to out the changes that turn a into b: for the settings,
 * then departments, materials, fields, permits and industries, first what was
 * removed or changed (in a's order), then what was added (in b's order).
 * Entities are compared by their JSON objects, so every key counts (numbers by
 * value). Both catalogs must outlive out. Returns 0 or -1 on OOM.
 */
int catalog_diff(const struct catalog *a, const struct catalog *b, struct catalog_changes *out);

/* catalog_changes_to_json: [{"kind":"added|removed|changed","entity":…,"id":…,"keys":[…]}]; NULL on
 * OOM. */
json_t *catalog_changes_to_json(const struct catalog_changes *c);

void catalog_changes_free(struct catalog_changes *c);

#endif
