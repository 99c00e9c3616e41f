/*
 * cli.h — the `yiye` subcommands. Each is `int cmd_<name>(int argc, char
 * **argv)` with argv[0] the subcommand name, returning the exit status;
 * each answers --help.
 */
#ifndef YIYE_CLI_H
#define YIYE_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "app.h"

int cmd_init(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_calendar(int argc, char **argv);
int cmd_catalog(int argc, char **argv);
int cmd_audit(int argc, char **argv);
/* share-reads (issue 14): yiye sharing verify */
int cmd_sharing(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_restore(int argc, char **argv);
/* lic-keys: the license signing keys and offline verification */
int cmd_keys(int argc, char **argv);
int cmd_verify(int argc, char **argv);
/* lic-public (issue 12) */
int cmd_licenses(int argc, char **argv);
/* lic-life: cmd_license_life.c (yiye licenses expire joins cmd_licenses) */
int cmd_entities(int argc, char **argv);
int cmd_licenses_expire(int argc, char **argv);
/* sup-draw: the draw record verifier */
int cmd_draw(int argc, char **argv);
/* sup-core: the 互联网+监管 export */
int cmd_supervision(int argc, char **argv);
/* share-exempt: other districts' key sets (跨地区互认) */
int cmd_trust(int argc, char **argv);
/* GET an http(s) URL (keys.json: at most 1 MiB, timeouts) into a
 * NUL-terminated buffer the caller frees (cmd_verify.c). */
int cli_fetch_url(const char *url, char **out, size_t *len, struct yerr *err);
/* stats-history: `yiye demo history` (history.c); demo_history is also run by
 * `yiye init --demo` (until_day -1: today) */
int cmd_demo(int argc, char **argv);
int demo_history(struct app *app, long n, long seed, int until_day, int verbose, struct yerr *err);
/* init --demo: demo_history with seed 1 up to today, unless a history was
 * made in this district before (init stays idempotent). */
int demo_history_once(struct app *app, long n, struct yerr *err);
/* stats-ui: the monthly report (cmd_report.c) */
int cmd_report(int argc, char **argv);
/* yiye statistics rebuild (cmd_statistics.c) */
int cmd_statistics(int argc, char **argv);

/* Reads a whole file of at most `max` bytes into a NUL-terminated buffer the
 * caller frees. */
int cli_read_file(const char *path, size_t max, char **out, size_t *len, struct yerr *err);
/* Prints an error the way every subcommand does. */
void cli_error(const char *cmd, const struct yerr *e);
/* Handles the options every data-touching subcommand takes (--data, --db):
 * returns 1 when opt was one of them. */
int cli_common_option(struct app_config *cfg, int opt, const char *arg);
/* For subcommands whose only options are --data, --db and --help: zeroes
 * app and fills app->cfg from defaults, environment and argv. Returns -1 to
 * go on with argv[optind…] as positional arguments, otherwise the exit status
 * to return at once (0 after --help, 2 for an unknown option). */
int cli_data_options(int argc, char **argv, struct app *app, void (*help)(FILE *));
/* app_config_finish + app_open; on failure prints the error as cmd's,
 * closes what was opened and returns -1. */
int cli_app_open(struct app *app, const char *cmd);
/* `yiye audit verify` and `yiye sharing verify`: the options, then a
 * per-district hash chain checked with verify (store_chains_verify's
 * callers), one line per district naming `label` (审计日志, 共享访问日志).
 * Exit code 0 intact, 1 broken, 2 on usage or store errors. */
struct audit_chain_report;
int cli_chain_verify(int argc, char **argv, const char *cmd, const char *label,
		     void (*help)(FILE *f),
		     int (*verify)(struct store *s, struct audit_chain_report **out, int *n,
				   struct yerr *err));

/* Imports every year file (catalog/calendar/YYYY.json) not yet in the store. */
int cli_calendar_import_dir(struct app *app, const char *dir, int *imported, struct yerr *err);
int cli_calendar_import_file(struct app *app, const char *path, struct yerr *err);
/* The accounts part of `yiye init` (demo.c): seeds departments from
 * CATALOG/departments.json, creates the first administrator (printing its
 * one-time password) or, with demo, every demo account and
 * DATA/demo-accounts.json. Idempotent. */
int cli_accounts_init(struct app *app, const char *catalog_dir, int demo, struct yerr *err);

#endif
