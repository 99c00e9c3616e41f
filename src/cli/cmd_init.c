/*
 * cmd_init.c — `yiye init`: creates the data directory and the database,
 * applies migrations, and imports the shipped data (calendar years, the
 * industry catalog as version 1). Running it again imports only what is
 * missing, so it is safe to repeat.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd_catalog.h"
#include "cli/history.h"

static void help(void)
{
	printf("用法: yiye init [--demo] [--data DIR] [--db URL] [--catalog DIR]\n\n"
	       "  --data DIR     数据目录（默认 ./data；YIYE_DATA）\n"
	       "  --db URL       数据库（默认 DIR/yiye.db；YIYE_DB）\n"
	       "  --catalog DIR  行业目录与节假日数据（默认源码树中的 catalog/；YIYE_CATALOG）\n"
	       "  --demo         另建演示账号，写入 DIR/demo-accounts.json\n"
	       "  --history N    与 --demo 同用：生成 N 件新办申请的演示办件历史（默认 %d，\n"
	       "                 0 不生成；已生成过则跳过；见 yiye demo history）\n",
	       HIST_INIT_DEFAULT);
}

int cmd_init(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"data", required_argument, NULL, 'd'},
	    {"db", required_argument, NULL, 'D'},
	    {"catalog", required_argument, NULL, 'c'},
	    {"demo", no_argument, NULL, 'm'},
	    {"help", no_argument, NULL, 'h'},
	    {"history", required_argument, NULL, 'H'},
	    {NULL, 0, NULL, 0},
	};
	struct app app;
	struct yerr e = {0};
	char caldir[1100];
	const char *catalog = NULL;
	int opt, demo = 0, imported = 0, rc = 1;
	long history = HIST_INIT_DEFAULT; /* stats-history */
	char *end;

	memset(&app, 0, sizeof(app));
	app_config_defaults(&app.cfg);
	catalog = app.cfg.catalog_dir; /* --catalog below overrides it in place */
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_option(&app.cfg, opt, optarg))
			continue;
		switch (opt) {
		case 'c':
			snprintf(app.cfg.catalog_dir, sizeof(app.cfg.catalog_dir), "%s", optarg);
			break;
		case 'm':
			demo = 1;
			break;
		case 'H':
			history = strtol(optarg, &end, 10);
			if (*end || history < 0 || history > HIST_APPS_MAX) {
				fprintf(stderr, "yiye init: --history 应为 0–%d\n", HIST_APPS_MAX);
				return 2;
			}
			break;
		case 'h':
			help();
			return 0;
		default:
			help();
			return 2;
		}
	}
	if (app_config_finish(&app.cfg, &e) < 0 || app_open(&app, &e) < 0)
		goto fail;
	snprintf(caldir, sizeof(caldir), "%s/calendar", catalog);
	if (cli_calendar_import_dir(&app, caldir, &imported, &e) < 0)
		goto fail;
	printf("数据库：%s\n节假日：新导入 %d 年\n", store_describe(app.store), imported);
	if (cli_catalog_import_initial(&app, catalog, &e) < 0)
		goto fail;
	if (cli_accounts_init(&app, catalog, demo, &e) < 0)
		goto fail;
	/* stats-history: a modest history so the dashboards show something */
	if (demo && history > 0 && demo_history_once(&app, history, &e) < 0)
		goto fail;
	rc = 0;
	goto out;
fail:
	cli_error("init", &e);
out:
	app_close(&app);
	return rc;
}
