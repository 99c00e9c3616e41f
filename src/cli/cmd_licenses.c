/*
 * cmd_licenses.c — `yiye licenses export [--after N] [--out FILE]`: the
 * e-license library export (电子证照库) from the command line, one JSON
 * record per line, the same records as GET /api/v1/licenses/export
 * (docs/api-licenses.md "Export"). Pages through license_events from the
 * cursor to the newest committed change and prints the next cursor on
 * stderr, so a nightly job passes it back with --after next time.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "http/license_public.h"

#define EXPORT_PAGE 500

static void help(FILE *f)
{
	fprintf(f, "用法: yiye licenses export [--after N] [--out FILE] [--data DIR] [--db URL]\n\n"
		   "  导出电子证照库元数据：游标 N（默认 0）之后的每次证照变更一行 JSON，\n"
		   "  写入 FILE（默认标准输出）；结束时在标准错误输出下一次使用的游标 next=M。\n"
		   "  退出状态：0 成功，1 数据库或写入错误，2 用法错误。\n"
		   "      yiye licenses expire [--today YYYY-MM-DD]   到期处理（lic-life，见其 "
		   "--help）\n");
}

static int export_run(struct app *app, int64_t after, FILE *out, int64_t *next, long *count,
		      struct yerr *e)
{
	struct store_conn *c;
	int rc = store_acquire(app->store, &c, e);

	*next = after;
	*count = 0;
	while (rc == 0) {
		struct lic_export *xs;
		int n;

		rc = store_lic_export(c, app->cfg.district, *next, EXPORT_PAGE, &xs, &n, e);
		if (rc < 0)
			break;
		if (n == 0) {
			lic_exports_free(xs, n);
			break;
		}
		for (int i = 0; i < n; i++) {
			json_t *o = lic_export_json(&xs[i]);
			char *line = json_dumps(o, JSON_COMPACT);

			if (line == NULL || fprintf(out, "%s\n", line) < 0)
				rc = yerr_set(e, 500, "write_failed", NULL, "写入失败：%s",
					      strerror(errno));
			free(line);
			json_decref(o);
			if (rc < 0)
				break;
			*next = xs[i].seq;
			(*count)++;
		}
		lic_exports_free(xs, n);
	}
	store_release(c);
	return rc;
}

int cmd_licenses(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"after", required_argument, NULL, 'a'}, {"out", required_argument, NULL, 'o'},
	    {"data", required_argument, NULL, 'd'},  {"db", required_argument, NULL, 'D'},
	    {"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0},
	};
	const char *file = NULL;
	long long after = 0;
	struct app app;
	struct yerr e = {0};
	int64_t next;
	long count;
	FILE *out = stdout;
	int opt, rc;

	/* lic-life: yiye licenses expire (cmd_license_life.c) */
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "expire") == 0)
			return cmd_licenses_expire(argc, argv);
	memset(&app, 0, sizeof(app));
	app_config_defaults(&app.cfg);
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_option(&app.cfg, opt, optarg))
			continue;
		if (opt == 'a' && args_int(optarg, 0, INT64_MAX, &after) == 0)
			continue;
		if (opt == 'o') {
			file = optarg;
			continue;
		}
		help(opt == 'h' ? stdout : stderr);
		return opt == 'h' ? 0 : 2;
	}
	if (argc - optind != 1 || strcmp(argv[optind], "export") != 0) {
		help(stderr);
		return 2;
	}
	if (cli_app_open(&app, "licenses") < 0)
		return 1;
	if (file && (out = fopen(file, "w")) == NULL) {
		fprintf(stderr, "yiye licenses: 无法写入 %s：%s\n", file, strerror(errno));
		app_close(&app);
		return 1;
	}
	rc = export_run(&app, after, out, &next, &count, &e);
	if (file) {
		if (fclose(out) != 0 && rc == 0)
			rc = yerr_set(&e, 500, "write_failed", NULL, "写入失败：%s",
				      strerror(errno));
	} else if (fflush(stdout) != 0 && rc == 0) {
		rc = yerr_set(&e, 500, "write_failed", NULL, "写入失败：%s", strerror(errno));
	}
	app_close(&app);
	if (rc < 0) {
		cli_error("licenses", &e);
		return 1;
	}
	fprintf(stderr, "导出 %ld 条；next=%" PRId64 "\n", count, next);
	return 0;
}
