/*
 * cmd_backup.c — `yiye backup` and `yiye restore`.
 *
 * backup: SQLite — the online backup API, safe while `yiye serve` runs;
 *         PostgreSQL — pg_dump in its custom format (also online).
 * restore: replaces the whole database with a backup of the same backend.
 *         Every `yiye serve` using the database must be stopped first; the
 *         restore refuses when it can see one (exit status 3).
 * Connection parameters of a PostgreSQL URL reach pg_dump/pg_restore through
 * their environment, never their command line.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

static void help(const char *cmd)
{
	if (strcmp(cmd, "backup") == 0)
		printf("用法: yiye backup [--data DIR] [--db URL] --out FILE\n\n"
		       "  --data DIR   数据目录（默认 ./data；YIYE_DATA）\n"
		       "  --db URL     数据库（默认 DIR/yiye.db；YIYE_DB）\n"
		       "  --out FILE   备份文件（SQLite 数据库文件或 pg_dump 自定义格式）\n"
		       "可在平台运行时备份。\n");
	else
		printf("用法: yiye restore [--data DIR] [--db URL] --in FILE\n\n"
		       "  --data DIR   数据目录（默认 ./data；YIYE_DATA）\n"
		       "  --db URL     数据库（默认 DIR/yiye.db；YIYE_DB）\n"
		       "  --in FILE    yiye backup 生成的备份文件\n"
		       "用备份整体替换数据库。须先停止所有使用该数据库的 yiye serve。\n");
}

/* Shared option parsing; file receives --out / --in. Returns -1 to exit
 * with *status. */
static int parse(int argc, char **argv, struct app_config *cfg, char *file, size_t filesz,
		 int *status)
{
	static const struct option opts[] = {
	    {"data", required_argument, NULL, 'd'}, {"db", required_argument, NULL, 'D'},
	    {"out", required_argument, NULL, 'o'},  {"in", required_argument, NULL, 'i'},
	    {"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0},
	};
	int opt, backup = strcmp(argv[0], "backup") == 0;
	struct yerr e = {0};

	app_config_defaults(cfg);
	file[0] = '\0';
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_option(cfg, opt, optarg))
			continue;
		if ((opt == 'o' && backup) || (opt == 'i' && !backup)) {
			snprintf(file, filesz, "%s", optarg);
			continue;
		}
		help(argv[0]);
		*status = opt == 'h' ? 0 : 2;
		return -1;
	}
	if (file[0] == '\0' || optind != argc) {
		fprintf(stderr, "yiye %s: 缺少 %s FILE\n", argv[0], backup ? "--out" : "--in");
		*status = 2;
		return -1;
	}
	if (app_config_finish(cfg, &e) < 0) {
		cli_error(argv[0], &e);
		*status = 1;
		return -1;
	}
	return 0;
}

static int is_sqlite(const char *url)
{
	return strncmp(url, "postgresql://", 13) != 0 && strncmp(url, "postgres://", 11) != 0;
}

int cmd_backup(int argc, char **argv)
{
	struct app_config cfg;
	struct store *s = NULL;
	struct yerr e = {0};
	char out[1024];
	int status = 0;

	if (parse(argc, argv, &cfg, out, sizeof(out), &status) < 0)
		return status;
	if (is_sqlite(cfg.db_url) && access(cfg.db_url, F_OK) < 0) {
		fprintf(stderr, "yiye backup: 数据库 %s 不存在（先运行 yiye init）\n", cfg.db_url);
		return 1;
	}
	if (store_open(&s, cfg.db_url, 1, &cfg.store, &e) < 0 || store_backup(s, out, &e) < 0) {
		cli_error("backup", &e);
		store_close(s);
		return 1;
	}
	printf("已备份 %s 到 %s\n", store_describe(s), out);
	store_close(s);
	return 0;
}

int cmd_restore(int argc, char **argv)
{
	struct app_config cfg;
	struct yerr e = {0};
	char in[1024];
	int status = 0;

	if (parse(argc, argv, &cfg, in, sizeof(in), &status) < 0)
		return status;
	if (store_restore(cfg.db_url, in, &e) < 0) {
		cli_error("restore", &e);
		return e.status == 409 ? 3 : 1;
	}
	printf("已从 %s 恢复数据库\n", in);
	return 0;
}
