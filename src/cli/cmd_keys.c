/*
 * cmd_keys.c — `yiye keys rotate|list`: the license signing keys of a data
 * directory (io/keys.h). rotate is safe while `yiye serve` runs on the same
 * directory: the server notices the new keys.json and signs with the new
 * key from its next signature on, and the retired key stays published so
 * every license signed with it still verifies.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "io/keys.h"

static void help(FILE *f)
{
	fprintf(
	    f,
	    "用法: yiye keys rotate [--data DIR]\n"
	    "      yiye keys list [--data DIR] [--json]\n\n"
	    "  rotate       新建一个签名密钥并设为当前密钥，原密钥停用（仍公布其公钥，\n"
	    "               此前签发的许可证照常可验证）。平台运行时也可执行，无需重启。\n"
	    "  list         列出全部密钥（编号、状态、创建与停用时间）；--json 输出公钥列表\n"
	    "               （即 /.well-known/yiye/keys.json 的内容，可用于 yiye verify --keys）\n"
	    "  --data DIR   数据目录（默认 ./data；YIYE_DATA）；密钥在 DIR/keys/\n"
	    "  --db URL     接受但不使用（密钥是文件，不在数据库中）\n"
	    "私钥只保存在 DIR/keys/*.key（权限 0600），不进入数据库、yiye backup 或接口。\n");
}

/* The data directory must exist: keys belong to an initialised one. */
static int data_exists(const struct app_config *cfg)
{
	struct stat st;

	if (stat(cfg->data_dir, &st) == 0 && S_ISDIR(st.st_mode))
		return 1;
	fprintf(stderr, "yiye keys: 数据目录 %s 不存在（先运行 yiye init）\n", cfg->data_dir);
	return 0;
}

static int keys_list(const struct app_config *cfg, int as_json)
{
	struct keyring *k;
	struct yerr e = {0};
	json_t *pub, *arr;
	char *text;

	if (keyring_open(cfg->data_dir, &k, &e) < 0) {
		cli_error("keys", &e);
		return 1;
	}
	pub = keyring_public_json(k);
	keyring_close(k);
	if (as_json) {
		text = json_dumps(pub, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		printf("%s\n", text);
		free(text);
		json_decref(pub);
		return 0;
	}
	arr = json_object_get(pub, "keys");
	printf("%-32s  %-8s  %-20s  %s\n", "密钥编号 kid", "状态", "创建时间", "停用时间");
	for (size_t i = 0; i < json_array_size(arr); i++) {
		json_t *ent = json_array_get(arr, i);
		const char *st = json_string_value(json_object_get(ent, "status"));
		const char *ret = json_string_value(json_object_get(ent, "retired_at"));

		printf("%-32s  %-8s  %-20s  %s\n", json_string_value(json_object_get(ent, "kid")),
		       strcmp(st, "current") == 0 ? "当前" : "已停用",
		       json_string_value(json_object_get(ent, "created_at")), ret ? ret : "-");
	}
	json_decref(pub);
	return 0;
}

int cmd_keys(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"data", required_argument, NULL, 'd'},
	    /* accepted like every data command's, unused: keys are files */
	    {"db", required_argument, NULL, 'D'},
	    {"json", no_argument, NULL, 'j'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct app_config cfg;
	struct yerr e = {0};
	char kid[33];
	int opt, as_json = 0;

	app_config_defaults(&cfg);
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (opt == 'd') {
			snprintf(cfg.data_dir, sizeof(cfg.data_dir), "%s", optarg);
			continue;
		}
		if (opt == 'D')
			continue;
		if (opt == 'j') {
			as_json = 1;
			continue;
		}
		help(opt == 'h' ? stdout : stderr);
		return opt == 'h' ? 0 : 2;
	}
	if (argc - optind != 1 ||
	    (strcmp(argv[optind], "rotate") != 0 && strcmp(argv[optind], "list") != 0)) {
		help(stderr);
		return 2;
	}
	if (!data_exists(&cfg))
		return 1;
	if (strcmp(argv[optind], "list") == 0)
		return keys_list(&cfg, as_json);
	if (as_json) {
		help(stderr);
		return 2;
	}
	if (keyring_rotate(cfg.data_dir, kid, &e) < 0) {
		cli_error("keys", &e);
		return 1;
	}
	printf("已轮换签名密钥：%s "
	       "为当前密钥；此前的密钥已停用，其公钥继续公布，已签发的许可证照常可验证。\n"
	       "运行中的 yiye serve 自动改用新密钥，无需重启。请备份 %s/keys/（不在 yiye backup "
	       "中）。\n",
	       kid, cfg.data_dir);
	return 0;
}
