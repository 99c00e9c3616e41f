/*
 * h_statistics_export.c — a statistics table as CSV or xlsx (statistics.h).
 * Both render the same table JSON the API answers, so a number in a file is
 * the number of the API (the tests read the files back and compare).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "http/csv.h"
#include "http/statistics.h"

/* A cell's text: numbers as JSON writes them (integers exact, reals with
 * the 2 or 4 decimals the API rounded to), booleans 是/否, null empty. */
static void cell_text(const json_t *v, char *out, size_t outsz)
{
	if (json_is_integer(v))
		snprintf(out, outsz, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		snprintf(out, outsz, "%.10g", json_real_value(v));
	else if (json_is_true(v))
		snprintf(out, outsz, "是");
	else if (json_is_false(v))
		snprintf(out, outsz, "否");
	else
		out[0] = '\0';
}

int stats_csv(const json_t *table, char **out, size_t *len)
{
	const json_t *cols = json_object_get(table, "columns"),
		     *rows = json_object_get(table, "rows");
	size_t ncols = json_array_size(cols), i, j;
	struct csv b = {0};
	const json_t *c, *row;
	char text[64];

	csv_bom(&b);
	json_array_foreach (cols, i, c)
		csv_field(&b, json_string_value(json_object_get(c, "label")), 1, i + 1 == ncols);
	json_array_foreach (rows, j, row) {
		json_array_foreach (cols, i, c) {
			const json_t *v =
			    json_object_get(row, json_string_value(json_object_get(c, "key")));

			if (json_is_string(v))
				csv_field(&b, json_string_value(v), 1, i + 1 == ncols);
			else {
				cell_text(v, text, sizeof(text));
				csv_field(&b, text, 0, i + 1 == ncols);
			}
		}
	}
	*out = b.p;
	*len = b.len;
	return 0;
}

/* One sheet: header row of the Chinese labels (bold), then the rows;
 * numbers as numbers, text as text (never a formula: libxlsxwriter's
 * write_string stores a string whatever it starts with). */
static int sheet_write(lxw_workbook *wb, const json_t *t, lxw_format *bold)
{
	const json_t *cols = json_object_get(t, "columns"), *rows = json_object_get(t, "rows");
	lxw_worksheet *ws =
	    workbook_add_worksheet(wb, json_string_value(json_object_get(t, "title")));
	const json_t *c, *row;
	size_t i, j;

	if (ws == NULL)
		return -1;
	json_array_foreach (cols, i, c) {
		worksheet_write_string(ws, 0, (lxw_col_t)i,
				       json_string_value(json_object_get(c, "label")), bold);
		worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, 16, NULL);
	}
	json_array_foreach (rows, j, row) {
		json_array_foreach (cols, i, c) {
			const json_t *v =
			    json_object_get(row, json_string_value(json_object_get(c, "key")));
			lxw_row_t rr = (lxw_row_t)(j + 1);
			lxw_col_t cc = (lxw_col_t)i;

			if (json_is_number(v))
				worksheet_write_number(ws, rr, cc, json_number_value(v), NULL);
			else if (json_is_string(v))
				worksheet_write_string(ws, rr, cc, json_string_value(v), NULL);
			else if (json_is_boolean(v))
				worksheet_write_string(ws, rr, cc, json_is_true(v) ? "是" : "否",
						       NULL);
		}
	}
	return 0;
}

int stats_xlsx(json_t *const *tables, int n, char **out, size_t *len, struct yerr *err)
{
	char path[] = "/tmp/yiye-stats-XXXXXX";
	lxw_workbook_options opt = {.tmpdir = (char *)"/tmp"};
	lxw_workbook *wb;
	lxw_format *bold;
	struct stat st;
	int fd, rc = 0;

	*out = NULL;
	*len = 0;
	fd = mkstemp(path);
	if (fd < 0)
		return yerr_set(err, 500, "export_failed", NULL, "导出文件生成失败");
	wb = workbook_new_opt(path, &opt);
	if (wb == NULL) {
		close(fd);
		unlink(path);
		return yerr_set(err, 500, "export_failed", NULL, "导出文件生成失败");
	}
	bold = workbook_add_format(wb);
	format_set_bold(bold);
	for (int i = 0; i < n && rc == 0; i++)
		rc = sheet_write(wb, tables[i], bold);
	if (workbook_close(wb) != LXW_NO_ERROR)
		rc = -1;
	/* the workbook wrote the file by name; read it back through our fd */
	if (rc == 0 && fstat(fd, &st) == 0 && st.st_size > 0) {
		*out = malloc((size_t)st.st_size);
		if (*out == NULL)
			abort();
		if (pread(fd, *out, (size_t)st.st_size, 0) != st.st_size) {
			free(*out);
			*out = NULL;
			rc = -1;
		} else
			*len = (size_t)st.st_size;
	} else
		rc = -1;
	close(fd);
	unlink(path);
	if (rc < 0)
		return yerr_set(err, 500, "export_failed", NULL, "导出文件生成失败");
	return 0;
}
