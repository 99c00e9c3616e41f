/*
 * cmd_statistics.c — `yiye statistics rebuild`: derives the statistics' fact
 * rows (stats_facts, migration 0053) of the deployment's district again from
 * the applications, licenses, hand-overs and shared materials, and settles
 * their working days. The workflow keeps them current by itself; this is for
 * rows written past it (an import, a restore of selected tables, a bench's
 * generator). Safe beside a running server: the same locked transaction as
 * the server's own rebuild.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "store/store_stats.h"

static void help(FILE *f)
{
	fprintf(f, "用法: yiye statistics rebuild [--data DIR] [--db URL]\n\n"
		   "  按申请、许可证、发放登记与共享材料重新生成本区的统计明细（每件申请一行），\n"
		   "  并按工作日历重算办理工作日。业务办理时明细随之更新；本命令用于绕过业务流程\n"
		   "  写入的数据（批量导入、按表恢复、压测数据）。服务运行时亦可执行。\n");
}

int cmd_statistics(int argc, char **argv)
{
	struct store_conn *c = NULL;
	struct yerr e = {0};
	struct app app;
	int64_t n = 0;
	int rc = cli_data_options(argc, argv, &app, help);

	if (rc >= 0)
		return rc;
	if (argc - optind != 1 || strcmp(argv[optind], "rebuild") != 0) {
		help(stderr);
		return 2;
	}
	if (cli_app_open(&app, "statistics") < 0)
		return 2;
	rc = store_acquire(app.store, &c, &e);
	if (rc == 0) {
		rc = store_stats_rebuild(c, app.cfg.district, &e);
		if (rc == 0)
			rc = store_query_int(
			    c, "SELECT count(*) FROM stats_facts WHERE district = ?",
			    (struct store_param[]){SP_TEXT(app.cfg.district)}, 1, 0, &n, &e);
		store_release(c);
	}
	app_close(&app);
	if (rc < 0) {
		cli_error("statistics", &e);
		return 1;
	}
	printf("统计明细已重建：%lld 件申请\n", (long long)n);
	return 0;
}
