/*
 * cmd_supervision.c — `yiye supervision export [--after N] [--limit N]`: the
 * 互联网+监管 export of the district's supervision events as JSON lines, one
 * event per line in seq order, the same objects as
 * GET /api/v1/supervision/export (docs/api-supervision.md "Export"). A
 * consumer keeps the last seq it stored and passes it as --after next time.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/error.h"
#include "http/args.h"
#include "http/supervision.h"

static void help(FILE *f)
{
	fprintf(f,
		"用法: yiye supervision export [--after N] [--limit N] [--data DIR] [--db URL]\n\n"
		"  按提交顺序逐行输出本区 seq 大于 N（默认 0）的监管记录（JSON Lines，\n"
		"  与 GET /api/v1/supervision/export 的条目相同）；--limit 限制输出条数。\n"
		"  记下最后一行的 seq，下次以 --after 传入，每条记录恰好导出一次。\n");
}

/* Writes the events after `after` (at most `limit`, 0: all); 0 or -1. */
static int export_events(struct app *app, long long after, long long limit)
{
	struct store_conn *c = NULL;
	struct yerr e = {0};
	long long done = 0;
	int rc = store_acquire(app->store, &c, &e);

	while (rc == 0) {
		struct sup_event *items = NULL;
		long batch = 1000;
		size_t n = 0;

		if (limit > 0 && limit - done < batch)
			batch = (long)(limit - done);
		if (batch <= 0)
			break;
		if ((rc = sup_events_after(c, app->cfg.district, after, batch, &items, &n, &e)) < 0)
			break;
		for (size_t i = 0; i < n; i++) {
			json_t *o = sup_event_json(&items[i]);
			char *line = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;

			if (line == NULL || printf("%s\n", line) < 0)
				rc = yerr_set(&e, 500, "write_failed", NULL, "输出失败");
			free(line);
			json_decref(o);
			after = items[i].seq;
			done++;
		}
		sup_events_free(items, n);
		if (n < (size_t)batch)
			break;
	}
	if (c != NULL)
		store_release(c);
	if (rc < 0 || fflush(stdout) != 0) {
		if (rc < 0)
			cli_error("supervision", &e);
		return -1;
	}
	return 0;
}

int cmd_supervision(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"after", required_argument, NULL, 'a'}, {"limit", required_argument, NULL, 'l'},
	    {"data", required_argument, NULL, 'd'},  {"db", required_argument, NULL, 'D'},
	    {"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0},
	};
	long long after = 0, limit = 0;
	struct app app;
	int opt, rc;

	memset(&app, 0, sizeof(app));
	app_config_defaults(&app.cfg);
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_option(&app.cfg, opt, optarg))
			continue;
		if (opt == 'a' && args_int(optarg, 0, INT64_MAX / 10, &after) == 0)
			continue;
		if (opt == 'l' && args_int(optarg, 1, INT64_MAX / 10, &limit) == 0)
			continue;
		if (opt == 'a' || opt == 'l') {
			fprintf(stderr, "yiye supervision: --%s 应为非负整数\n",
				opt == 'a' ? "after" : "limit");
			return 2;
		}
		help(opt == 'h' ? stdout : stderr);
		return opt == 'h' ? 0 : 2;
	}
	if (argc - optind != 1 || strcmp(argv[optind], "export") != 0) {
		help(stderr);
		return 2;
	}
	if (cli_app_open(&app, "supervision") < 0)
		return 2;
	rc = export_events(&app, after, limit);
	app_close(&app);
	return rc < 0 ? 1 : 0;
}
