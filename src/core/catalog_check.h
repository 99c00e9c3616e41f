#ifndef YIYE_CATALOG_CHECK_H
#define YIYE_CATALOG_CHECK_H
/*
 * catalog_check.h — find every problem in a catalog, and run its rule tests.
 *
 * The checker never stops at the first problem: a catalog author wants the
 * whole list. Each problem carries the file and the JSON path inside it.
 */
#include <stdbool.h>
#include <stddef.h>

#include "core/catalog.h"

/*
 * catalog_check builds the catalog from files and appends to out every
 * problem: unreadable JSON, wrong shapes, bad enum values, duplicate ids,
 * broken references (all fatal, from catalog_build), then the quality checks of
 * catalog_check_model. Returns 0 (out->n == 0 means clean) or -1 on OOM.
 */
int catalog_check(const struct catalog_file *files, size_t nfiles, struct catalog_problems *out);

/*
 * catalog_check_model appends the quality problems of a built catalog:
 * unused materials, fields and permits; base or rule permits outside the
 * industry's permits; industries with fewer than three questions (unless they
 * merge a single permit); permits of departments that are neither lead nor
 * cooperating; conditions testing a value that is not an option, of the wrong
 * type or out of range; `all` conditions that contradict themselves;
 * unreachable questions (ask_if never holds, or depends only on itself or on
 * later questions); tests naming unknown questions, permits or materials.
 * Returns 0 or -1 on OOM.
 */
int catalog_check_model(const struct catalog *cat, struct catalog_problems *out);

/*
 * catalog_check_data appends the problems that would make the public pages say
 * something untrue (catalog_check_data.c): industry status and effective date,
 * batches without a source, `modelled` lists, the 办事指南 items, published
 * totals that the permits' figures do not add up to, counts written in text
 * ("七项许可") that differ from the permits merged, and a zero statutory limit
 * on anything but a filing. catalog_check_model calls it. Returns 0 or -1 on OOM.
 */
int catalog_check_data(const struct catalog *cat, struct catalog_problems *out);

/* catalog_status_offered: the guide offers industries in force or piloting only
 * (and those of a version stored before statuses existed: status NULL). */
bool catalog_status_offered(const char *status);
/* catalog_status_label: the Chinese name of a status, or NULL when unknown. */
const char *catalog_status_label(const char *status);

/*
 * catalog_test runs every industry's tests through guide_run and appends a
 * problem for each error or difference from `expect` (full permit set, full
 * merged material set — exempt materials included —, and `complete` /
 * `time_limit_days` when given). *ntests (if non-NULL) receives the number of
 * tests run. Returns 0 or -1 on OOM.
 */
int catalog_test(const struct catalog *cat, struct catalog_problems *out, size_t *ntests);

#endif
