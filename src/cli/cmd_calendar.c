/*
 * cmd_calendar.c — `yiye calendar import FILE`: adds a year of holidays and
 * make-up workdays (the State Council notice appears each November), and the
 * import helpers `yiye init` uses for the shipped years.
 */
#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "store/store_calendar.h"

#define CALENDAR_FILE_MAX (256u << 10)

int cli_calendar_import_file(struct app *app, const char *path, struct yerr *err)
{
	struct calendar cal;
	char *text, msg[256] = "";
	struct store_conn *c;
	size_t len;
	int rc;

	if (cli_read_file(path, CALENDAR_FILE_MAX, &text, &len, err) < 0)
		return -1;
	calendar_init(&cal);
	rc = calendar_load_json(&cal, text, len, msg, sizeof(msg));
	free(text);
	if (rc < 0) {
		calendar_free(&cal);
		return yerr_set(err, 400, "invalid_calendar", path, "%s", msg);
	}
	rc = store_acquire(app->store, &c, err);
	if (rc == 0) {
		rc = store_begin(c, err);
		if (rc == 0)
			rc = store_calendar_insert_year(c, app->cfg.district, &cal.years[0], err);
		if (rc == 0)
			rc = store_commit(c, err);
		store_release(c);
	}
	calendar_free(&cal);
	return rc;
}

static int json_name(const struct dirent *e)
{
	size_t n = strlen(e->d_name);

	return n > 5 && strcmp(e->d_name + n - 5, ".json") == 0;
}

int cli_calendar_import_dir(struct app *app, const char *dir, int *imported, struct yerr *err)
{
	struct dirent **names;
	int n = scandir(dir, &names, json_name, alphasort), rc = 0;

	*imported = 0;
	if (n < 0)
		return yerr_set(err, 400, "calendar_dir", dir, "找不到节假日目录 %s", dir);
	for (int i = 0; i < n; i++) {
		char path[2048];
		struct yerr e = {0};

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		if (rc == 0) {
			int r = cli_calendar_import_file(app, path, &e);

			if (r == 0)
				(*imported)++;
			else if (strcmp(e.code, "year_exists") != 0) {
				*err = e;
				rc = -1;
			}
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

static void help(FILE *f)
{
	fprintf(f, "用法: yiye calendar import FILE [--data DIR] [--db URL]\n\n"
		   "  导入一年的法定节假日与调休上班安排（格式见 docs/catalog.md 与 "
		   "catalog/calendar/）。\n"
		   "  已存在的年份不会被覆盖。\n");
}

int cmd_calendar(int argc, char **argv)
{
	struct app app;
	struct yerr e = {0};
	int rc;

	if ((rc = cli_data_options(argc, argv, &app, help)) >= 0)
		return rc;
	if (argc - optind != 2 || strcmp(argv[optind], "import") != 0) {
		help(stderr);
		return 2;
	}
	if (cli_app_open(&app, "calendar") < 0)
		return 1;
	if (cli_calendar_import_file(&app, argv[optind + 1], &e) < 0) {
		cli_error("calendar", &e);
		rc = 1;
	} else {
		printf("已导入 %s\n", argv[optind + 1]);
		rc = 0;
	}
	app_close(&app);
	return rc;
}
