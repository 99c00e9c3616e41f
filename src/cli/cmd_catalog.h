#ifndef YIYE_CMD_CATALOG_H
#define YIYE_CMD_CATALOG_H
/*
 * cmd_catalog.h — `yiye catalog check|test|import DIR`, and the catalog
 * directory loader the import path uses.
 */
#include <stddef.h>

#include "app.h"
#include "core/catalog.h"
#include "core/error.h"

/*
 * cmd_catalog runs the catalog subcommand. argv[0] is "catalog", argv[1] the
 * action ("check", "test", "--help"), argv[2] the directory. Prints every
 * problem as `FILE: PATH: message` on stdout, then a summary line. Returns the
 * process exit code: 0 clean, 1 problems found, 2 usage or I/O error.
 */
int cmd_catalog(int argc, char **argv);

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
 * catalog_dir_load reads DIR, checks it (catalog_check) and runs its rule tests
 * (catalog_test); when all is clean, *doc_json_out receives the single-document
 * JSON (catalog_to_json; caller frees) for import. Otherwise every problem is
 * printed to stderr as `FILE: PATH: message` and it fails with err->code
 * "invalid_catalog" (422) naming the number of problems.
 */
int catalog_dir_load(const char *dir, char **doc_json_out, struct yerr *err);

/*
 * cli_catalog_import_initial is what `yiye init` does with the shipped catalog:
 * when the district has no catalog version yet, it loads DIR (catalog_dir_load)
 * and saves it as version 1, active; otherwise it changes nothing. Prints one
 * line saying which. Returns 0 or -1 with err set.
 */
int cli_catalog_import_initial(struct app *app, const char *dir, struct yerr *err);

#endif
