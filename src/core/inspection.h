#ifndef YIYE_CORE_INSPECTION_H
#define YIYE_CORE_INSPECTION_H
/*
 * inspection.h — one department's section of the joint inspection record
 * (一同核查): the checklist answered item by item, and a result consistent
 * with it.
 *
 * The checklists are catalog data (permits' `inspection_checklist`, read by
 * core/catalog_checklist.h); the caller passes the department's list as
 * plain structs (the inspection record freezes it at the appointment).
 *
 * Items arrive as the API's JSON array [{"id","result","note"}], result one
 * of "ok" (符合), "not_ok" (不符合), "na" (不适用). Rules:
 *   - every checklist item is answered exactly once, no unknown ids;
 *   - "pass" has no not_ok item; "rectify" and "fail" have at least one;
 *   - notes and findings are text of at most INSPECTION_TEXT_MAX characters.
 * Refusals are 400 with the JSON path of the culprit in field: invalid_items
 * ("items"), unknown_item / duplicate_item / invalid_item_result
 * ("items[i].id" / "items[i].result"), checklist_incomplete ("items", the
 * message names the first unanswered item), inconsistent_result ("result"),
 * text_too_long ("findings", "items[i].note").
 */
#include <jansson.h>
#include <stddef.h>

#include "core/error.h"

#define INSPECTION_TEXT_MAX 2000 /* characters */

struct inspection_item {
	const char *id;     /* stable id, e.g. "K_food_layout" */
	const char *text;   /* what the inspector checks, Chinese */
	const char *permit; /* the permit it belongs to */
};

/*
 * inspection_section_check validates one section. checklist[0..n) is the
 * department's list (n may be 0: then items must be empty). result is
 * "pass" | "rectify" | "fail" (the workflow has already refused other
 * values). findings may be NULL. Returns 0 or -1 with err set.
 */
int inspection_section_check(const struct inspection_item *checklist, size_t n, const json_t *items,
			     const char *result, const char *findings, struct yerr *err);

#endif
