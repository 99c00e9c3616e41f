#ifndef YIYE_CORE_CATALOG_CHECKLIST_H
#define YIYE_CORE_CATALOG_CHECKLIST_H
/*
 * catalog_checklist.h — the on-site inspection checklist of a permit
 * (一同核查), as catalog data: `permits.json` gives every permit with
 * `"inspection": true` an `inspection_checklist` array of {"id","text"}
 * (optional "note"). The lists shipped today are generic items derived from
 * each permit's conditions, marked `"modelled":["inspection_checklist"]`
 * on the permit: no source publishes the departments' own lists.
 *
 * The items are read from the permit's JSON (struct catalog_permit.json), so
 * the catalog model needs no new member; the checker validates them here.
 */
#include <stddef.h>

#include "core/catalog.h"
#include "core/inspection.h"

#define CHECKLIST_TEXT_MAX 200 /* characters of an item's text */
#define CHECKLIST_MAX 64       /* items of one permit */

/*
 * catalog_checklist_items appends the checklist of permit p to
 * out[*n..max): id and text point into the catalog's JSON (valid while the
 * catalog lives), permit is p->code. Malformed entries (the checker reports
 * them) are skipped. Returns the number appended; never more than max - *n.
 */
size_t catalog_checklist_items(const struct catalog_permit *p, struct inspection_item *out,
			       size_t *n, size_t max);

/*
 * catalog_checklist_check appends a problem for: a permit needing an
 * inspection without a non-empty checklist, a checklist on a permit that
 * needs none, a checklist that is not an array, an item that is not an
 * object, an unknown key, an id that is not `K_` + lower-case letters,
 * digits and `_` or is used twice in the catalog, a missing or blank text or
 * one longer than CHECKLIST_TEXT_MAX characters, more than CHECKLIST_MAX
 * items. Returns 0, or -1 when memory runs out.
 */
int catalog_checklist_check(const struct catalog *cat, struct catalog_problems *out);

#endif
