/*
 * store_calendar.c — SQL of the working-day calendar (store_calendar.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "store/store_calendar.h"

int store_calendar_insert_year(struct store_conn *c, const char *district,
			       const struct calendar_year *y, struct yerr *err)
{
	int rc;

	rc = store_exec(c,
			"INSERT INTO calendar_years (district, year, source, imported_at) "
			"VALUES (?, ?, ?, ?)",
			(struct store_param[]){SP_TEXT(district), SP_INT(y->year),
					       SP_TEXT(y->source ? y->source : ""),
					       SP_INT(time(NULL))},
			4, NULL, err);
	if (rc == STORE_ECONFLICT)
		yerr_set(err, 409, "year_exists", "year", "%d 年的节假日安排已存在", y->year);
	for (int i = 0; rc == 0 && i < 366; i++) {
		char day[DATE_STR_SIZE];

		if (y->kind[i] == CAL_NORMAL)
			continue;
		date_format(y->jan1 + i, day, sizeof(day));
		rc = store_exec(c,
				"INSERT INTO calendar_days (district, day, year, kind, name) "
				"VALUES (?, ?, ?, ?, ?)",
				(struct store_param[]){
				    SP_TEXT(district), SP_TEXT(day), SP_INT(y->year),
				    SP_TEXT(y->kind[i] == CAL_HOLIDAY ? "holiday" : "workday"),
				    SP_TEXT(y->name[i] ? y->names[y->name[i] - 1] : "")},
				5, NULL, err);
	}
	return rc;
}

int store_calendar_stamp(struct store_conn *c, const char *district, int64_t *stamp,
			 struct yerr *err)
{
	struct store_result *r = NULL;
	int rc = store_exec(c,
			    "SELECT count(*), COALESCE(max(imported_at), 0) FROM calendar_years "
			    "WHERE district = ?",
			    (struct store_param[]){SP_TEXT(district)}, 1, &r, err);

	/* Years are only ever added (or all replaced by a restore, which
	 * restarts every node), so count and newest import time together
	 * change with every import. */
	*stamp =
	    rc == 0 ? store_cell_int(r, 0, 0, 0) * 10000000000LL + store_cell_int(r, 0, 1, 0) : 0;
	store_result_free(r);
	return rc;
}

int store_calendar_load(struct store_conn *c, const char *district, struct calendar *cal,
			struct yerr *err)
{
	struct store_result *years = NULL, *days = NULL;
	int rc;

	rc = store_exec(c,
			"SELECT year, source FROM calendar_years WHERE district = ? ORDER BY year",
			(struct store_param[]){SP_TEXT(district)}, 1, &years, err);
	if (rc == 0)
		rc = store_exec(c,
				"SELECT day, kind, name FROM calendar_days WHERE district = ? "
				"ORDER BY day",
				(struct store_param[]){SP_TEXT(district)}, 1, &days, err);
	for (int i = 0; rc == 0 && years && i < years->rows; i++) {
		int year = (int)store_cell_int(years, i, 0, 0);

		if (calendar_add_year(cal, year) < 0)
			rc = yerr_set(err, 500, "calendar_load", "", "节假日数据有误：%d 年", year);
		else {
			const char *src = store_cell(years, i, 1);
			struct calendar_year *cy = &cal->years[cal->nyears - 1];

			for (size_t k = 0; k < cal->nyears; k++)
				if (cal->years[k].year == year)
					cy = &cal->years[k];
			if (src && *src)
				cy->source = strdup(src);
		}
	}
	for (int i = 0; rc == 0 && days && i < days->rows; i++) {
		const char *d = store_cell(days, i, 0), *kind = store_cell(days, i, 1);
		int day;

		if (d == NULL || date_parse(d, strlen(d), &day) < 0 ||
		    calendar_set_day(cal, day,
				     strcmp(kind ? kind : "", "holiday") == 0 ? CAL_HOLIDAY
									      : CAL_WORKDAY,
				     store_cell(days, i, 2)) < 0)
			rc = yerr_set(err, 500, "calendar_load", "", "节假日数据有误：%s",
				      d ? d : "?");
	}
	store_result_free(years);
	store_result_free(days);
	return rc;
}
