#ifndef YIYE_CMD_CATALOG_H
#define YIYE_CMD_CATALOG_H
/*
 * cmd_catalog.h — `yiye catalog check|test|import DIR` and the initial
 * catalog import of `yiye init`. The directory loader is io/catalog_dir.h.
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
 * cli_catalog_import_initial is what `yiye init` does with the shipped catalog:
 * when the district has no catalog version yet, it loads DIR (catalog_dir_load)
 * and saves it as version 1, active; otherwise it changes nothing. Prints one
 * line saying which. Returns 0 or -1 with err set.
 */
int cli_catalog_import_initial(struct app *app, const char *dir, struct yerr *err);

#endif
