#ifndef YIYE_CATALOG_DIR_H
#define YIYE_CATALOG_DIR_H
/*
 * catalog_dir.h — the catalog directory on disk: read it into memory, check
 * it and run its rule tests, and turn it into the single document the store
 * keeps. Used by `yiye catalog` and `yiye init`, the unit tests, the fuzz
 * targets and the bench, none of which need the command line for it.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/catalog.h"
#include "core/error.h"

/*
 * catalog_dir_read reads DIR/catalog.json, departments.json, materials.json,
 * fields.json, permits.json and DIR/industries/<name>.json (sorted by name) into
 * *files (names relative to DIR, e.g. "industries/bianlidian.json"). A missing
 * fixed file is simply absent (the builder reports it). Each file is limited to
 * 16 MiB. Free with catalog_dir_free. Returns 0 or -1 with err set.
 */
int catalog_dir_read(const char *dir, struct catalog_file **files, size_t *nfiles,
		     struct yerr *err);
void catalog_dir_free(struct catalog_file *files, size_t nfiles);

/*
 * catalog_dir_check reads DIR, builds and checks it (catalog_check_model)
 * and, when run_tests is set and nothing is fatal, runs its rule tests
 * (catalog_test, counted in *ntests). Every problem goes to probs; *cat_out
 * keeps the built catalog (caller frees). Returns -1 with err set only when DIR
 * cannot be read or memory runs out.
 */
int catalog_dir_check(const char *dir, bool run_tests, struct catalog_problems *probs,
		      struct catalog **cat_out, size_t *ntests, struct yerr *err);

/*
 * catalog_dir_load reads DIR, checks it and runs its rule tests; when all is
 * clean, *doc_json_out receives the single-document JSON (catalog_to_json;
 * caller frees) for import. Otherwise every problem is printed to stderr as
 * `FILE: PATH: message` and it fails with err->code "invalid_catalog" (422)
 * naming the number of problems.
 */
int catalog_dir_load(const char *dir, char **doc_json_out, struct yerr *err);

/* catalog_dir_print_problems prints each problem as `FILE: PATH: message`. */
void catalog_dir_print_problems(FILE *f, const struct catalog_problems *p);

#endif
