/*
 * cmd_trust.c — `yiye trust add|list|remove`: other districts' published
 * key sets (跨地区互认, io/trust.h), so `yiye verify` and the public verify
 * page accept their licenses offline and say which district issued them.
 *
 *   yiye trust add URL|FILE --district CODE --name NAME
 *   yiye trust list [--json]
 *   yiye trust remove CODE
 *
 * The set is what the other deployment serves at
 * /.well-known/yiye/keys.json (or that file, carried over by hand). Adding a
 * district again replaces its set. No database is opened: like the signing
 * keys, the sets are files of the data directory; a running server sees a
 * change at its next request for them. Exit status: 0 done, 1 refused (a
 * bad set, our own keys, an unknown district), 2 usage, 3 the set cannot be
 * read.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/cli.h"
#include "io/trust.h"

#define SET_MAX (1u << 20)

static void help(FILE *f)
{
	fprintf(
	    f,
	    "用法: yiye trust add URL|FILE --district 区划代码 --name 地区名称 [--data DIR]\n"
	    "      yiye trust list [--json] [--data DIR]\n"
	    "      yiye trust remove 区划代码 [--data DIR]\n\n"
	    "  跨地区互认：添加其他地区平台公布的签名公钥列表（其 "
	    "/.well-known/yiye/keys.json，\n"
	    "  可为网址或文件）。添加后 yiye verify 和本平台的许可证核验页面可离线核验该地区\n"
	    "  签发的许可证，并注明签发地区。再次添加同一地区即更新其公钥列表（对方轮换密钥后）。\n"
	    "  --district CODE  该地区的 6 位区划代码（公钥列表中有 district 时可省略）\n"
	    "  --name NAME      该地区名称，如“长宁区”（公钥列表中有 name 时可省略）\n"
	    "  --json           list 以 JSON 输出\n"
	    "  --data DIR       数据目录（默认 ./data；YIYE_DATA）；公钥列表存于 DIR/trust/\n"
	    "退出码：0 成功；1 被拒绝（列表无效、含本平台公钥、地区未添加）；2 用法错误；\n"
	    "3 无法读取公钥列表。\n");
}

static int data_exists(const struct app_config *cfg)
{
	struct stat st;

	if (stat(cfg->data_dir, &st) == 0 && S_ISDIR(st.st_mode))
		return 1;
	fprintf(stderr, "yiye trust: 数据目录 %s 不存在（先运行 yiye init）\n", cfg->data_dir);
	return 0;
}

/* The key set at src (URL or file), parsed; NULL after saying why. */
static json_t *read_set(const char *src)
{
	int url = strncmp(src, "http://", 7) == 0 || strncmp(src, "https://", 8) == 0;
	struct yerr e = {0};
	json_error_t je;
	char *text = NULL;
	size_t len = 0;
	json_t *set;

	if ((url ? cli_fetch_url(src, &text, &len, &e)
		 : cli_read_file(src, SET_MAX, &text, &len, &e)) < 0) {
		cli_error("trust", &e);
		return NULL;
	}
	set = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	free(text);
	if (!json_is_object(set)) {
		fprintf(stderr, "yiye trust: %s 不是公钥列表（keys.json）%s%s\n", src,
			set ? "" : "：", set ? "" : je.text);
		json_decref(set);
		return NULL;
	}
	return set;
}

static int trust_add_cmd(const struct app_config *cfg, const char *src, const char *district,
			 const char *name)
{
	struct yerr e = {0};
	json_t *set = read_set(src);
	int replaced = 0, rc;

	if (set == NULL)
		return 3;
	if (district == NULL)
		district = json_string_value(json_object_get(set, "district"));
	if (name == NULL)
		name = json_string_value(json_object_get(set, "name"));
	if (district == NULL || name == NULL) {
		fprintf(stderr, "yiye trust: 请用 --district 和 --name 指明该公钥列表所属地区\n");
		json_decref(set);
		return 2;
	}
	rc = trust_add(cfg->data_dir, district, name, src, set, &replaced, &e);
	if (rc < 0) {
		cli_error("trust", &e);
		json_decref(set);
		return e.status >= 500 ? 3 : 1;
	}
	printf("已%s %s（%s）的 %zu 个公钥，来源 %s\n", replaced ? "更新" : "添加", name, district,
	       json_array_size(json_object_get(set, "keys")), src);
	json_decref(set);
	return 0;
}

static int trust_list_cmd(const struct app_config *cfg, int as_json)
{
	json_t *sets = trust_load(cfg->data_dir), *arr = json_object_get(sets, "districts");
	char *text;

	if (as_json) {
		text = json_dumps(sets, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		printf("%s\n", text);
		free(text);
		json_decref(sets);
		return 0;
	}
	if (json_array_size(arr) == 0)
		printf("尚未添加其他地区的公钥（yiye trust add）\n");
	for (size_t i = 0; i < json_array_size(arr); i++) {
		const json_t *s = json_array_get(arr, i), *keys = json_object_get(s, "keys");
		time_t t = (time_t)json_integer_value(json_object_get(s, "added_at"));
		char when[32];
		struct tm tm;

		localtime_r(&t, &tm);
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
		printf("%s  %s  公钥 %zu 个  添加于 %s  来源 %s\n",
		       json_string_value(json_object_get(s, "district")),
		       json_string_value(json_object_get(s, "name")), json_array_size(keys), when,
		       json_string_value(json_object_get(s, "origin")));
		for (size_t k = 0; k < json_array_size(keys); k++)
			printf(
			    "    %s（%s）\n",
			    json_string_value(json_object_get(json_array_get(keys, k), "kid")),
			    json_string_value(json_object_get(json_array_get(keys, k), "status")));
	}
	json_decref(sets);
	return 0;
}

int cmd_trust(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"data", required_argument, NULL, 'd'},
	    {"db", required_argument, NULL, 'D'},
	    {"district", required_argument, NULL, 'c'},
	    {"name", required_argument, NULL, 'n'},
	    {"json", no_argument, NULL, 'j'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *district = NULL, *name = NULL, *verb;
	struct app_config cfg;
	struct yerr e = {0};
	int opt, as_json = 0, npos;

	app_config_defaults(&cfg);
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_option(&cfg, opt, optarg))
			continue;
		if (opt == 'c' || opt == 'n' || opt == 'j') {
			if (opt == 'c')
				district = optarg;
			else if (opt == 'n')
				name = optarg;
			else
				as_json = 1;
			continue;
		}
		help(opt == 'h' ? stdout : stderr);
		return opt == 'h' ? 0 : 2;
	}
	npos = argc - optind;
	verb = npos > 0 ? argv[optind] : "";
	if (!((strcmp(verb, "add") == 0 && npos == 2) || (strcmp(verb, "list") == 0 && npos == 1) ||
	      (strcmp(verb, "remove") == 0 && npos == 2))) {
		help(stderr);
		return 2;
	}
	if (!data_exists(&cfg))
		return 1;
	if (strcmp(verb, "add") == 0)
		return trust_add_cmd(&cfg, argv[optind + 1], district, name);
	if (strcmp(verb, "list") == 0)
		return trust_list_cmd(&cfg, as_json);
	if (trust_remove(cfg.data_dir, argv[optind + 1], &e) < 0) {
		cli_error("trust", &e);
		return 1;
	}
	printf("已删除地区 %s 的公钥\n", argv[optind + 1]);
	return 0;
}
