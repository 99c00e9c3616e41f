/*
 * cli_util.c — small pieces every subcommand shares.
 */
#include <errno.h>
#include <inttypes.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "store/store_audit.h"

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

int cli_chain_verify(int argc, char **argv, const char *cmd, const char *label,
		     void (*help)(FILE *f),
		     int (*verify)(struct store *s, struct audit_chain_report **out, int *n,
				   struct yerr *err))
{
	struct audit_chain_report *reps = NULL;
	struct app app;
	struct yerr e = {0};
	int n = 0, rc;

	if ((rc = cli_data_options(argc, argv, &app, help)) >= 0)
		return rc;
	if (argc - optind != 1 || strcmp(argv[optind], "verify") != 0) {
		help(stderr);
		return 2;
	}
	if (cli_app_open(&app, cmd) < 0)
		return 2;
	rc = verify(app.store, &reps, &n, &e);
	if (rc < 0) {
		cli_error(cmd, &e);
		app_close(&app);
		return 2;
	}
	/* One line per district's chain; a broken one names its first broken
	 * entry (the entries before it are intact). */
	for (int i = 0; i < n; i++) {
		if (reps[i].bad_seq)
			printf("区 %s：%s已损坏：第一条有问题的记录 seq=%" PRId64 "：%s"
			       "（此前 %" PRId64 " 条完整）\n",
			       reps[i].district, label, reps[i].bad_seq, reps[i].msg,
			       reps[i].count);
		else
			printf("区 %s：%s完整：%" PRId64 " 条记录，哈希链校验通过\n",
			       reps[i].district, label, reps[i].count);
	}
	if (n == 0)
		printf("%s完整：尚无记录\n", label);
	free(reps);
	app_close(&app);
	return rc == 1 ? 1 : 0;
}
