/*
 * cmd_catalog.c — `yiye catalog check|test|import DIR`, and what `yiye init`
 * does with the shipped catalog. Reading and checking the directory is
 * io/catalog_dir.c.
 */
#include "cli/cmd_catalog.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "io/catalog_dir.h"
#include "store/store_audit.h"
#include "store/store_catalog.h"

static void usage(FILE *f, const char *action)
{
	if (action != NULL && strcmp(action, "check") == 0)
		fprintf(
		    f, "用法: yiye catalog check DIR\n"
		       "  检查 DIR 中的行业目录（catalog.json、departments.json、materials.json、\n"
		       "  fields.json、permits.json、industries/<name>.json），逐条列出问题：\n"
		       "  FILE: PATH: 说明。\n"
		       "  退出状态：0 无问题，1 有问题，2 用法或读取错误。\n");
	else if (action != NULL && strcmp(action, "test") == 0)
		fprintf(f, "用法: yiye catalog test DIR\n"
			   "  先检查 DIR，再用导办引擎运行每个行业的规则用例，逐条列出不符之处。\n"
			   "  退出状态：0 全部通过，1 有问题或用例失败，2 用法或读取错误。\n");
	else if (action != NULL && strcmp(action, "import") == 0)
		fprintf(f, "用法: yiye catalog import DIR [--activate] [--note TEXT] [--data DIR] "
			   "[--db URL]\n"
			   "  像 yiye catalog test "
			   "一样检查并运行规则用例；全部通过后保存为下一个目录版本\n"
			   "  （已发布；加 --activate 同时启用，服务重启后导办即按新版本答复）。\n"
			   "  有任何问题时逐条列出（FILE: PATH: 说明），不作任何改动。\n"
			   "  退出状态：0 已导入，1 有问题，2 用法、读取或数据库错误。\n");
	else
		fprintf(f, "用法: yiye catalog check DIR    检查目录文件\n"
			   "      yiye catalog test DIR     检查并运行规则用例\n"
			   "      yiye catalog import DIR   检查、运行用例并保存为下一个目录版本\n"
			   "      yiye catalog ACTION --help\n");
}

/* Publishes v from the command line: the version and its audit entry (actor
 * "yiye-init" or "yiye-catalog-import") commit in one transaction. */
static int cli_publish(struct app *app, const struct store_catalog_new *v, const char *actor,
		       long *version, struct yerr *err)
{
	struct timespec ts;
	struct store_conn *c;
	char object[48];
	struct audit_entry e = {.actor = actor,
				.role = "",
				.department = "",
				.action = "catalog.version.publish",
				.object = object,
				.request_id = "",
				.outcome = "ok",
				.client = "cli",
				.detail = ""};
	int rc = store_acquire(app->store, &c, err);

	if (rc < 0)
		return rc;
	rc = store_begin(c, err);
	if (rc == 0)
		rc = store_catalog_publish(c, v, version, err);
	if (rc == 0 && *version > 0) {
		snprintf(object, sizeof(object), "catalog_version:%ld", *version);
		clock_gettime(CLOCK_REALTIME, &ts);
		e.ts_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
		rc = store_audit_append(c, &e, NULL, err);
	}
	if (rc == 0)
		rc = store_commit(c, err);
	store_release(c);
	return rc;
}

int cli_catalog_import_initial(struct app *app, const char *dir, struct yerr *err)
{
	struct store_catalog_new v = {.district = app->cfg.district,
				      .created_by = "init",
				      .activate = true,
				      .only_if_empty = true};
	char *doc = NULL;
	struct store_conn *c;
	int64_t n = 0;
	long version = 0;
	int rc;

	if (store_acquire(app->store, &c, err) < 0)
		return -1;
	rc = store_catalog_count(c, app->cfg.district, &n, err);
	store_release(c);
	if (rc < 0)
		return -1;
	if (n > 0) {
		printf("行业目录：已有 %lld 个版本，未重新导入\n", (long long)n);
		return 0;
	}
	if (catalog_dir_load(dir, &doc, err) < 0)
		return -1;
	/* The note is shown to catalog administrators: it names what was
	 * imported, never where it lay on the server's disk. */
	v.document = doc;
	v.note = "初始导入：随平台提供的行业目录";
	rc = cli_publish(app, &v, "yiye-init", &version, err);
	free(doc);
	if (rc < 0)
		return -1;
	if (version == 0) {
		printf("行业目录：已由另一进程导入，未重新导入\n");
		return 0;
	}
	if (app_catalog_reload(app, err) < 0)
		return -1;
	printf("行业目录：已导入为版本 %ld（%zu 个行业）\n", version,
	       app->catalog ? app->catalog->nindustries : (size_t)0);
	return 0;
}

/*
 * catalog_import is `yiye catalog import DIR [--activate] [--note TEXT]`:
 * nothing is opened in the store until DIR has passed every check and test,
 * and the version is written in one transaction, so a failure changes nothing.
 */
static int catalog_import(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"data", required_argument, NULL, 'd'}, {"db", required_argument, NULL, 'D'},
	    {"activate", no_argument, NULL, 'a'},   {"note", required_argument, NULL, 'n'},
	    {"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0},
	};
	struct store_catalog_new v = {.created_by = "cli"};
	struct app app;
	struct yerr e = {0};
	const char *dir, *note = NULL;
	char *doc = NULL;
	long version = 0;
	int opt, rc = 2;

	memset(&app, 0, sizeof(app));
	app_config_defaults(&app.cfg);
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_option(&app.cfg, opt, optarg))
			continue;
		switch (opt) {
		case 'a':
			v.activate = true;
			break;
		case 'n':
			note = optarg;
			break;
		case 'h':
			usage(stdout, "import");
			return 0;
		default:
			usage(stderr, "import");
			return 2;
		}
	}
	if (optind != argc - 1) {
		usage(stderr, "import");
		return 2;
	}
	dir = argv[optind];
	if (note != NULL && strlen(note) > 1000) {
		fprintf(stderr, "yiye catalog import: --note is limited to 1000 bytes\n");
		return 2;
	}
	if (catalog_dir_load(dir, &doc, &e) < 0) {
		cli_error("catalog import", &e);
		return strcmp(e.code, "invalid_catalog") == 0 ? 1 : 2;
	}
	if (app_config_finish(&app.cfg, &e) < 0 || app_open(&app, &e) < 0)
		goto fail;
	v.document = doc;
	v.note = note;
	v.district = app.cfg.district;
	if (cli_publish(&app, &v, "yiye-catalog-import", &version, &e) < 0)
		goto fail;
	printf("catalog %s: imported as version %ld%s\n", dir, version,
	       v.activate ? " (active)" : "");
	rc = 0;
	goto out;
fail:
	cli_error("catalog import", &e);
out:
	free(doc);
	app_close(&app);
	return rc;
}

int cmd_catalog(int argc, char **argv)
{
	struct catalog_problems probs = {0};
	struct catalog *cat = NULL;
	struct yerr err = {0};
	const char *action, *dir = NULL;
	size_t ntests = 0, nfatal;
	bool run_tests;
	int i, code;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(argc < 2 ? stderr : stdout, NULL);
		return argc < 2 ? 2 : 0;
	}
	action = argv[1];
	if (strcmp(action, "import") == 0)
		return catalog_import(argc - 1, argv + 1);
	if (strcmp(action, "check") != 0 && strcmp(action, "test") != 0) {
		fprintf(stderr, "yiye catalog: unknown action \"%s\"\n", action);
		usage(stderr, NULL);
		return 2;
	}
	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout, action);
			return 0;
		}
		if (dir != NULL) {
			usage(stderr, action);
			return 2;
		}
		dir = argv[i];
	}
	if (dir == NULL) {
		usage(stderr, action);
		return 2;
	}
	run_tests = strcmp(action, "test") == 0;
	if (catalog_dir_check(dir, run_tests, &probs, &cat, &ntests, &err) < 0) {
		fprintf(stderr, "yiye catalog %s: %s\n", action, err.message);
		catalog_problems_free(&probs);
		return 2;
	}
	catalog_dir_print_problems(stdout, &probs);
	nfatal = catalog_problems_fatal(&probs);
	if (probs.n == 0) {
		if (run_tests)
			printf("catalog %s: ok, %zu industries, %zu permits, %zu tests passed\n",
			       dir, cat->nindustries, cat->npermits, ntests);
		else
			printf("catalog %s: ok, %zu industries, %zu permits, %zu materials, %zu "
			       "fields\n",
			       dir, cat->nindustries, cat->npermits, cat->nmaterials, cat->nfields);
		code = 0;
	} else {
		printf("catalog %s: %zu problem%s (%zu fatal)%s\n", dir, probs.n,
		       probs.n == 1 ? "" : "s", nfatal,
		       run_tests && nfatal > 0 ? "; tests not run" : "");
		code = 1;
	}
	catalog_free(cat);
	catalog_problems_free(&probs);
	return code;
}
