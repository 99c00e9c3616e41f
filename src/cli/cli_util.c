/*
 * cli_util.c — small pieces every subcommand shares.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"

int cli_read_file(const char *path, size_t max, char **out, size_t *len, struct yerr *err)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	char *buf;

	*out = NULL;
	if (f == NULL)
		return yerr_set(err, 400, "file", path, "无法打开文件 %s：%s", path,
				strerror(errno));
	if (fstat(fileno(f), &st) < 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size > max) {
		fclose(f);
		return yerr_set(err, 400, "file", path, "文件 %s 不是普通文件或超过 %zu 字节", path,
				max);
	}
	buf = malloc((size_t)st.st_size + 1);
	if (buf == NULL)
		abort();
	if (fread(buf, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
		fclose(f);
		free(buf);
		return yerr_set(err, 400, "file", path, "读取文件 %s 失败", path);
	}
	fclose(f);
	buf[st.st_size] = '\0';
	*out = buf;
	*len = (size_t)st.st_size;
	return 0;
}

void cli_error(const char *cmd, const struct yerr *e)
{
	fprintf(stderr, "yiye %s: %s%s%s%s\n", cmd, e->message, e->field[0] ? "（" : "", e->field,
		e->field[0] ? "）" : "");
}

int cli_common_option(struct app_config *cfg, int opt, const char *arg)
{
	switch (opt) {
	case 'd':
		snprintf(cfg->data_dir, sizeof(cfg->data_dir), "%s", arg);
		return 1;
	case 'D':
		snprintf(cfg->db_url, sizeof(cfg->db_url), "%s", arg);
		return 1;
	default:
		return 0;
	}
}

int cli_data_options(int argc, char **argv, struct app *app, void (*help)(FILE *))
{
	static const struct option opts[] = {
	    {"data", required_argument, NULL, 'd'},
	    {"db", required_argument, NULL, 'D'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int opt;

	memset(app, 0, sizeof(*app));
	app_config_defaults(&app->cfg);
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_option(&app->cfg, opt, optarg))
			continue;
		help(opt == 'h' ? stdout : stderr);
		return opt == 'h' ? 0 : 2;
	}
	return -1;
}

int cli_app_open(struct app *app, const char *cmd)
{
	struct yerr e = {0};

	if (app_config_finish(&app->cfg, &e) < 0 || app_open(app, &e) < 0) {
		cli_error(cmd, &e);
		app_close(app);
		return -1;
	}
	return 0;
}
