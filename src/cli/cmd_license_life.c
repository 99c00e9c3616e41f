/*
 * cmd_license_life.c — the license's life on the command line (issue 12,
 * points 8 and 9):
 *   yiye entities import FILE        the market-registration export (JSON lines)
 *   yiye licenses expire [--today D] the daily expiry job, by hand
 *
 * Import: one JSON object per line (docs/api-licenses.md "Registration
 * link"); blank lines and lines starting with # are skipped. A bad line is
 * reported on standard error with its line number and skipped; the good
 * ones are applied in transactions of IMPORT_BATCH lines each (a huge
 * export does not hold the database's write lock for its whole length,
 * and a failure of the database loses at most the batch in flight: the
 * import says up to which line it committed). Re-importing the same file
 * changes nothing and tells nobody anything (life_entity_apply compares
 * first). Exit status: 0 all lines good, 1 some bad or the database
 * failed, 2 usage.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "core/date.h"
#include "http/life_jobs.h"

#define IMPORT_BATCH 500
#define IMPORT_LINE_MAX (64u << 10)

static void entities_help(FILE *f)
{
	fprintf(f,
		"用法: yiye entities import FILE [--data DIR] [--db URL]\n\n"
		"  导入市场主体登记信息（登记注册系统导出的 JSON Lines，每行一个主体：\n"
		"  "
		"{\"uscc\",\"name\",\"legal_rep\",\"address\",\"status\":\"registered|"
		"deregistered\"}）。\n"
		"  有误的行按行号报告并跳过，其余每 %d 行一个事务写入；重复导入不产生变化。\n"
		"  名称、法定代表人或地址与有效许可证不一致时，通知持证人和制证人员办理变更；\n"
		"  已注销登记的主体，其许可证标记为待注销。\n",
		IMPORT_BATCH);
}

struct import_totals {
	long lines, bad, created, changed, unchanged, needs_change, deregistered;
};

/* Applies one line in the open transaction; a bad line is reported, not
 * fatal. Returns -1 only for a database failure (*err). */
static int import_line(struct store_conn *c, const char *district, const char *path, long no,
		       const char *line, struct import_totals *t, struct yerr *err)
{
	static const char *const keys[] = {"uscc",   "name",   "legal_rep", "address",
					   "status", "source", NULL};
	struct life_entity_result res;
	struct store_entity ent;
	json_error_t jerr;
	struct yerr e = {0};
	json_t *o = json_loads(line, JSON_REJECT_DUPLICATES, &jerr);
	int rc;

	if (!json_is_object(o)) {
		fprintf(stderr, "yiye entities: %s:%ld: 不是 JSON 对象%s%s\n", path, no,
			o ? "" : "：", o ? "" : jerr.text);
		json_decref(o);
		t->bad++;
		return 0;
	}
	if (life_entity_parse(o, NULL, keys, "import", &ent, &e) < 0) {
		fprintf(stderr, "yiye entities: %s:%ld: %s%s%s\n", path, no, e.field,
			e.field[0] ? "：" : "", e.message);
		json_decref(o);
		t->bad++;
		return 0;
	}
	json_decref(o);
	rc = life_entity_apply(c, district, &ent, (int64_t)time(NULL), &res, err);
	if (rc == 0 && res.changed) {
		char object[40], detail[128];

		snprintf(object, sizeof(object), "entity:%s", ent.uscc);
		snprintf(detail, sizeof(detail),
			 "{\"status\":\"%s\",\"needs_change\":%d,\"deregistered\":%d}", ent.status,
			 res.needs_change, res.deregistered);
		rc = life_audit(c, district, "yiye-entities-import", "entity.import", object,
				detail, err);
	}
	if (rc < 0)
		return rc;
	t->created += res.created;
	t->changed += res.changed && !res.created;
	t->unchanged += !res.changed;
	t->needs_change += res.needs_change;
	t->deregistered += res.deregistered;
	return 0;
}

static int entities_import(struct app *app, const char *path, struct import_totals *t,
			   struct yerr *err)
{
	FILE *f = fopen(path, "r");
	struct store_conn *c = NULL;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	long in_batch = 0, committed = 0;
	int rc = 0;

	if (f == NULL)
		return yerr_set(err, 400, "file_not_found", path, "无法打开文件 %s", path);
	if ((rc = store_acquire(app->store, &c, err)) < 0) {
		fclose(f);
		return rc;
	}
	while (rc == 0 && (len = getline(&line, &cap, f)) >= 0) {
		t->lines++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0 || line[strspn(line, " \t")] == '\0' || line[0] == '#')
			continue;
		if ((size_t)len > IMPORT_LINE_MAX) {
			fprintf(stderr, "yiye entities: %s:%ld: 行过长（超过 %u 字节）\n", path,
				t->lines, IMPORT_LINE_MAX);
			t->bad++;
			continue;
		}
		if (in_batch == 0 && (rc = store_begin(c, err)) < 0)
			break;
		rc = import_line(c, app->cfg.district, path, t->lines, line, t, err);
		if (rc == 0 && ++in_batch >= IMPORT_BATCH) {
			rc = store_commit(c, err);
			in_batch = 0;
			committed = t->lines;
		}
	}
	if (rc == 0 && in_batch > 0 && (rc = store_commit(c, err)) == 0)
		committed = t->lines;
	if (rc < 0)
		fprintf(stderr, "yiye entities: 数据库错误，第 %ld 行之后的内容未写入\n",
			committed);
	store_release(c);
	free(line);
	fclose(f);
	return rc;
}

int cmd_entities(int argc, char **argv)
{
	struct import_totals t = {0};
	struct app app;
	struct yerr e = {0};
	int rc;

	if ((rc = cli_data_options(argc, argv, &app, entities_help)) >= 0)
		return rc;
	if (argc - optind != 2 || strcmp(argv[optind], "import") != 0) {
		entities_help(stderr);
		return 2;
	}
	if (cli_app_open(&app, "entities") < 0)
		return 1;
	rc = entities_import(&app, argv[optind + 1], &t, &e);
	if (rc < 0)
		cli_error("entities", &e);
	printf("共 %ld 行：新增 %ld，更新 %ld，无变化 %ld，有误 %ld；需变更的许可证 %ld，"
	       "待注销的许可证 %ld\n",
	       t.lines, t.created, t.changed, t.unchanged, t.bad, t.needs_change, t.deregistered);
	app_close(&app);
	return rc < 0 || t.bad > 0 ? 1 : 0;
}

/* yiye licenses expire ---------------------------------------------------------------- */

static void licenses_help(FILE *f)
{
	fprintf(f, "用法: yiye licenses expire [--today YYYY-MM-DD] [--data DIR] [--db URL]\n\n"
		   "  运行许可证到期处理（平台每天自动运行一次）：将有效期已届满的许可证标记为\n"
		   "  已过期，并向持证人发送到期前 30 天、7 天提醒（每证每项只发一次）。\n"
		   "  --today 指定处理日（默认 YIYE_TODAY 或今天）。\n");
}

int cmd_licenses_expire(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"data", required_argument, NULL, 'd'},
	    {"db", required_argument, NULL, 'D'},
	    {"today", required_argument, NULL, 't'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct life_expiry_result res;
	const char *today = NULL;
	struct app app;
	struct yerr e = {0};
	int opt, day, rc;

	memset(&app, 0, sizeof(app));
	app_config_defaults(&app.cfg);
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_option(&app.cfg, opt, optarg))
			continue;
		if (opt == 't') {
			today = optarg;
			continue;
		}
		licenses_help(opt == 'h' ? stdout : stderr);
		return opt == 'h' ? 0 : 2;
	}
	if (argc - optind != 1 || strcmp(argv[optind], "expire") != 0) {
		licenses_help(stderr);
		return 2;
	}
	if (today && date_parse(today, strlen(today), &day) != 0) {
		fprintf(stderr, "yiye licenses: --today 应为 YYYY-MM-DD 格式的真实日期\n");
		return 2;
	}
	if (cli_app_open(&app, "licenses") < 0)
		return 1;
	if (today == NULL)
		day = life_today(&app);
	/* by hand: run even when the day's run happened (idempotent anyway) */
	rc = life_expiry_run(&app, app.cfg.district, day, true, &res, &e);
	if (rc < 0)
		cli_error("licenses", &e);
	else
		printf("已过期 %d 张；到期前 30 天提醒 %d 条，7 天提醒 %d 条\n", res.expired,
		       res.notice30, res.notice7);
	app_close(&app);
	return rc < 0 ? 1 : 0;
}
