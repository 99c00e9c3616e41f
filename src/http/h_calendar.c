/*
 * h_calendar.c — the working-day calendar over HTTP.
 *
 * GET /api/v1/calendar/workdays?from=D&add=N  -> {"date":…, "provisional":…}
 * GET /api/v1/calendar/workdays?from=D1&to=D2 -> {"workdays":N, "provisional":…}
 * `provisional` is true when a year the calendar does not know was involved
 * (then only weekends were rest days).
 * POST /api/v1/calendar/years (calendar.manage) adds a year's holidays.
 */
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "http/args.h"
#include "http/auth.h"
#include "http/handlers.h"
#include "store/store_calendar.h"

static int param_date(struct req *r, const char *name, int *day)
{
	const char *v = req_query(r, name);
	int rc;

	if (v == NULL || *v == '\0') {
		reply_error(r, 400, "required", name, "缺少参数 %s（格式 YYYY-MM-DD）", name);
		return -1;
	}
	rc = date_parse(v, strlen(v), day);
	if (rc == 0)
		return 0;
	if (rc == DATE_EINVALID)
		reply_error(r, 400, "invalid_date", name, "参数 %s 不是真实存在的日期", name);
	else if (rc == DATE_ERANGE)
		reply_error(r, 400, "date_out_of_range", name, "参数 %s 的年份须在 %d 至 %d 之间",
			    name, DATE_YEAR_MIN, DATE_YEAR_MAX);
	else
		reply_error(r, 400, "invalid_date", name, "参数 %s 的格式应为 YYYY-MM-DD", name);
	return -1;
}

void h_calendar_workdays(struct req *r)
{
	const char *add = req_query(r, "add"), *to = req_query(r, "to");
	int from, until = 0, rc, provisional = 0, n;
	long long add_n = 0;
	char out[DATE_STR_SIZE];

	/* an empty parameter counts as absent, as everywhere (req_query_int) */
	if (add && *add == '\0')
		add = NULL;
	if (to && *to == '\0')
		to = NULL;
	if ((add == NULL) == (to == NULL))
		return reply_error(r, 400, add ? "conflicting_parameters" : "required",
				   add ? "to" : "add",
				   "请提供 add（加上的工作日数）或 to（截止日期）之一");
	/* every parameter checked before the calendar is locked */
	if (param_date(r, "from", &from) < 0 ||
	    (add && req_query_int(r, "add", 0, 0, CALENDAR_MAX_ADD, &add_n) < 0) ||
	    (to && param_date(r, "to", &until) < 0))
		return;
	pthread_rwlock_rdlock(&r->app->cal_lock);
	if (add) {
		int day;

		rc = calendar_add_workdays(r->app->cal, from, (int)add_n, &day, &provisional);
		pthread_rwlock_unlock(&r->app->cal_lock);
		if (rc < 0 || date_format(day, out, sizeof(out)) < 0)
			return reply_error(r, 400, "out_of_range", "add",
					   "计算结果超出支持的日期范围");
		return reply_json(r, 200,
				  json_pack("{s:s,s:b}", "date", out, "provisional", provisional));
	}
	rc = calendar_count_workdays(r->app->cal, from, until, &n, &provisional);
	pthread_rwlock_unlock(&r->app->cal_lock);
	if (rc < 0)
		return reply_error(r, 400, "out_of_range", "to", "两个日期相隔过远（最多 %d 天）",
				   CALENDAR_MAX_SPAN_DAYS);
	reply_json(r, 200, json_pack("{s:i,s:b}", "workdays", n, "provisional", provisional));
}

void h_calendar_years(struct req *r)
{
	json_t *items = json_array();
	const struct calendar *cal;

	pthread_rwlock_rdlock(&r->app->cal_lock);
	cal = r->app->cal;
	for (size_t i = 0; i < cal->nyears; i++)
		json_array_append_new(items, json_pack("{s:i,s:s?}", "year", cal->years[i].year,
						       "source", cal->years[i].source));
	pthread_rwlock_unlock(&r->app->cal_lock);
	reply_json(r, 200, req_list_json(items, (int64_t)json_array_size(items), NULL));
}

/* calendar ------------------------------------------------------------------------ */

void h_calendar_year_create(struct req *r)
{
	struct calendar cal;
	struct store_conn *c;
	struct yerr e = {0};
	char msg[256] = "", object[32];
	int rc, holidays = 0, workdays = 0, year;

	calendar_init(&cal);
	if (calendar_load_json(&cal, r->body ? r->body : "", r->body_len, msg, sizeof(msg)) < 0) {
		calendar_free(&cal);
		return reply_error(r, 400, "invalid_calendar", NULL, "%s", msg);
	}
	year = cal.years[0].year;
	for (int i = 0; i < 366; i++) {
		holidays += cal.years[0].kind[i] == CAL_HOLIDAY;
		workdays += cal.years[0].kind[i] == CAL_WORKDAY;
	}
	snprintf(object, sizeof(object), "calendar:%d", year);
	snprintf(r->audit_object, sizeof(r->audit_object), "%s", object);
	if (req_acquire(r, &c) < 0) {
		calendar_free(&cal);
		return;
	}
	rc = store_begin(c, &e);
	if (rc == 0)
		rc = store_calendar_insert_year(c, req_district(r), &cal.years[0], &e);
	if (rc == 0)
		rc = req_audit_commit(r, c, object, NULL, &e);
	store_release(c);
	calendar_free(&cal);
	if (rc < 0)
		return reply_yerr(r, &e);
	if (app_calendar_reload(r->app, &e) < 0)
		return reply_yerr(r, &e);
	reply_json(
	    r, 201,
	    json_pack("{s:i,s:i,s:i}", "year", year, "holidays", holidays, "workdays", workdays));
}
