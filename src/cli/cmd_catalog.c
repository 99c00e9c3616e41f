/*
 * cmd_catalog.c — `yiye catalog check|test|import DIR` and the catalog directory
 * loader.
 *
 * This is the only catalog code that touches files: it reads the directory
 * into memory and hands the texts to core (catalog_build / catalog_check).
 */
#include "cli/cmd_catalog.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "core/catalog_check.h"
#include "store/store_audit.h"
#include "store/store_catalog.h"

#define CATALOG_FILE_MAX (16L * 1024 * 1024)

static const char *const fixed_files[] = {"catalog.json", "departments.json", "materials.json",
					  "fields.json", "permits.json"};

/* read_file reads path whole; returns 0, 1 when it does not exist, -1 on error. */
static int read_file(const char *path, char **text, size_t *len, struct yerr *err)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long size;

	if (f == NULL) {
		if (errno == ENOENT)
			return 1;
		return yerr_set(err, 500, "io_error", path, "无法打开 %s：%s", path,
				strerror(errno));
	}
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return yerr_set(err, 500, "io_error", path, "无法读取 %s", path);
	}
	if (size > CATALOG_FILE_MAX) {
		fclose(f);
		return yerr_set(err, 413, "file_too_large", path, "%s 超过 16 MiB", path);
	}
	buf = malloc((size_t)size + 1);
	if (buf == NULL) {
		fclose(f);
		return yerr_set(err, 500, "out_of_memory", path, "内存不足");
	}
	if (fread(buf, 1, (size_t)size, f) != (size_t)size) {
		free(buf);
		fclose(f);
		return yerr_set(err, 500, "io_error", path, "无法读取 %s", path);
	}
	fclose(f);
	buf[size] = '\0';
	*text = buf;
	*len = (size_t)size;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void catalog_dir_free(struct catalog_file *files, size_t nfiles)
{
	size_t i;

	for (i = 0; files != NULL && i < nfiles; i++) {
		free((char *)files[i].name);
		free((char *)files[i].text);
	}
	free(files);
}

/* add_file reads dir/rel into files[*n] (skipping it when absent). */
static int add_file(const char *dir, const char *rel, struct catalog_file *files, size_t *n,
		    struct yerr *err)
{
	char path[4096];
	char *text = NULL;
	size_t len = 0;
	int r;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, rel) >= sizeof(path))
		return yerr_set(err, 400, "path_too_long", "dir", "路径过长");
	r = read_file(path, &text, &len, err);
	if (r != 0)
		return r < 0 ? -1 : 0;
	files[*n].name = strdup(rel);
	files[*n].text = text;
	files[*n].len = len;
	if (files[*n].name == NULL) {
		free(text);
		return yerr_set(err, 500, "out_of_memory", "", "内存不足");
	}
	(*n)++;
	return 0;
}

int catalog_dir_read(const char *dir, struct catalog_file **files_out, size_t *nfiles,
		     struct yerr *err)
{
	struct catalog_file *files = NULL;
	char **names = NULL, path[4096];
	size_t nnames = 0, cap = 0, n = 0, i;
	struct dirent *de;
	DIR *d;
	int rc = -1;

	*files_out = NULL;
	*nfiles = 0;
	snprintf(path, sizeof(path), "%s/industries", dir);
	d = opendir(path);
	if (d == NULL && errno != ENOENT)
		return yerr_set(err, 500, "io_error", path, "无法读取目录 %s：%s", path,
				strerror(errno));
	while (d != NULL && (de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);
		if (de->d_name[0] == '.' || l < 6 || strcmp(de->d_name + l - 5, ".json") != 0)
			continue;
		if (nnames == cap) {
			char **nn = realloc(names, (cap = cap ? cap * 2 : 32) * sizeof(*nn));
			if (nn == NULL)
				goto oom;
			names = nn;
		}
		if (asprintf(&names[nnames], "industries/%s", de->d_name) < 0)
			goto oom;
		nnames++;
	}
	if (names != NULL)
		qsort(names, nnames, sizeof(*names), cmp_str);
	files = calloc(5 + nnames, sizeof(*files));
	if (files == NULL)
		goto oom;
	for (i = 0; i < 5; i++)
		if (add_file(dir, fixed_files[i], files, &n, err) < 0)
			goto out;
	for (i = 0; i < nnames; i++)
		if (add_file(dir, names[i], files, &n, err) < 0)
			goto out;
	*files_out = files;
	*nfiles = n;
	files = NULL;
	rc = 0;
	goto out;
oom:
	yerr_set(err, 500, "out_of_memory", "", "内存不足");
out:
	if (d != NULL)
		closedir(d);
	for (i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	catalog_dir_free(files, n);
	return rc;
}

static void print_problems(FILE *f, const struct catalog_problems *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		fprintf(f, "%s: %s: %s\n", p->items[i].file,
			p->items[i].path[0] ? p->items[i].path : "(file)", p->items[i].message);
}

/*
 * check_and_test runs the checker and, when nothing is fatal, the rule tests;
 * *cat_out keeps the built catalog (or NULL when it could not be built).
 */
static int check_and_test(const char *dir, bool run_tests, struct catalog_problems *probs,
			  struct catalog **cat_out, size_t *ntests, struct yerr *err)
{
	struct catalog_file *files = NULL;
	struct catalog *cat = NULL;
	size_t n = 0;
	int rc = -1;

	*cat_out = NULL;
	if (catalog_dir_read(dir, &files, &n, err) < 0)
		return -1;
	if (catalog_build(files, n, &cat, probs) < 0 || catalog_check_model(cat, probs) < 0) {
		yerr_set(err, 500, "out_of_memory", "", "内存不足");
		goto out;
	}
	if (run_tests && catalog_problems_fatal(probs) == 0 &&
	    catalog_test(cat, probs, ntests) < 0) {
		yerr_set(err, 500, "out_of_memory", "", "内存不足");
		goto out;
	}
	*cat_out = cat;
	cat = NULL;
	rc = 0;
out:
	catalog_free(cat);
	catalog_dir_free(files, n);
	return rc;
}

int catalog_dir_load(const char *dir, char **doc_json_out, struct yerr *err)
{
	struct catalog_problems probs = {0};
	struct catalog *cat = NULL;
	size_t ntests = 0;
	int rc = -1;

	*doc_json_out = NULL;
	if (check_and_test(dir, true, &probs, &cat, &ntests, err) < 0)
		goto out;
	if (probs.n > 0) {
		print_problems(stderr, &probs);
		yerr_set(err, 422, "invalid_catalog", dir, "目录 %s 有 %zu 处问题，未导入", dir,
			 probs.n);
		goto out;
	}
	*doc_json_out = catalog_to_json(cat);
	if (*doc_json_out == NULL) {
		yerr_set(err, 500, "out_of_memory", "", "内存不足");
		goto out;
	}
	rc = 0;
out:
	catalog_free(cat);
	catalog_problems_free(&probs);
	return rc;
}

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
	char *doc = NULL, note[1200];
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
	snprintf(note, sizeof(note), "初始导入（%s）", dir);
	v.document = doc;
	v.note = note;
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
	if (check_and_test(dir, run_tests, &probs, &cat, &ntests, &err) < 0) {
		fprintf(stderr, "yiye catalog %s: %s\n", action, err.message);
		catalog_problems_free(&probs);
		return 2;
	}
	print_problems(stdout, &probs);
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
