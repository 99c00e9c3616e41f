/*
 * cmd_report.c — `yiye report monthly --month YYYY-MM [--out FILE]`: the
 * monthly report (月度报告) as a PDF file, the same document as
 * GET /api/v1/statistics/reports/monthly (src/http/h_report.c; layout in
 * docs/api-statistics.md "Dashboards and the monthly report"), for a cron
 * job or an operator without a browser. The file is written whole or not at
 * all: into FILE.tmp, flushed, then renamed over FILE.
 */
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/error.h"
#include "http/report.h"

static void help(FILE *f)
{
	fprintf(f,
		"用法: yiye report monthly --month YYYY-MM [--out FILE] [--data DIR] [--db URL]\n\n"
		"  生成该月的“一业一证”改革成效月度报告（PDF：核心指标与图表，模型取值已标注），\n"
		"  与 GET /api/v1/statistics/reports/monthly?month=YYYY-MM 返回的文件相同。\n"
		"  --out 默认为当前目录下的 monthly-report-YYYY-MM.pdf。\n");
}

/* Writes len bytes to path through path.tmp and a rename; 0 or -1 with err. */
static int write_whole(const char *path, const unsigned char *data, size_t len, struct yerr *err)
{
	char tmp[4200];
	FILE *f;
	int ok;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return yerr_set(err, 400, "path_too_long", "out", "输出文件路径过长");
	f = fopen(tmp, "wb");
	if (f == NULL)
		return yerr_set(err, 500, "write_failed", "out", "无法创建输出文件 %s", tmp);
	ok = fwrite(data, 1, len, f) == len;
	ok = fflush(f) == 0 && ok;
	ok = fsync(fileno(f)) == 0 && ok;
	ok = fclose(f) == 0 && ok;
	if (!ok || rename(tmp, path) != 0) {
		unlink(tmp);
		return yerr_set(err, 500, "write_failed", "out", "写入输出文件失败");
	}
	return 0;
}

int cmd_report(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"month", required_argument, NULL, 'm'}, {"out", required_argument, NULL, 'o'},
	    {"data", required_argument, NULL, 'd'},  {"db", required_argument, NULL, 'D'},
	    {"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0},
	};
	const char *month = NULL, *out = NULL;
	char from[11], to[11], trend_from[11], dflt[64];
	struct store_conn *c = NULL;
	unsigned char *pdf = NULL;
	struct yerr e = {0};
	struct app app;
	size_t len = 0;
	int opt, rc;

	memset(&app, 0, sizeof(app));
	app_config_defaults(&app.cfg);
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_option(&app.cfg, opt, optarg))
			continue;
		if (opt == 'm') {
			month = optarg;
			continue;
		}
		if (opt == 'o') {
			out = optarg;
			continue;
		}
		help(opt == 'h' ? stdout : stderr);
		return opt == 'h' ? 0 : 2;
	}
	if (argc - optind != 1 || strcmp(argv[optind], "monthly") != 0 || month == NULL) {
		help(stderr);
		return 2;
	}
	if (report_month_parse(month, from, to, trend_from, &e) < 0) {
		cli_error("report", &e);
		return 2;
	}
	if (out == NULL) {
		snprintf(dflt, sizeof(dflt), "monthly-report-%s.pdf", month);
		out = dflt;
	}
	if (cli_app_open(&app, "report") < 0)
		return 2;
	rc = store_acquire(app.store, &c, &e);
	if (rc == 0) {
		pthread_rwlock_rdlock(&app.catalog_lock);
		rc = report_monthly_pdf(c, app.cfg.district, app.catalog, NULL, month,
					app_now(&app), &pdf, &len, &e);
		pthread_rwlock_unlock(&app.catalog_lock);
		store_release(c);
	}
	if (rc == 0)
		rc = write_whole(out, pdf, len, &e);
	free(pdf);
	app_close(&app);
	if (rc < 0) {
		cli_error("report", &e);
		return 1;
	}
	printf("月度报告已生成：%s（%zu 字节）\n", out, len);
	return 0;
}
