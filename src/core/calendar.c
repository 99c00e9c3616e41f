/*
 * calendar.c - working-day arithmetic over the official holiday calendar.
 *
 * Each known year is a 366-byte table indexed by day of year, so "is this
 * day a working day" is one binary search over a handful of years plus one
 * byte read; the add/count loops look the year up only when they cross
 * 1 January. The loops are bounded (CALENDAR_MAX_ADD, CALENDAR_MAX_SPAN_DAYS)
 * so that a request can never make the server walk centuries, and so that a
 * pathological calendar (every day a holiday) still terminates.
 */
#include "calendar.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"

static int min_day(void)
{
	return date_from_ymd(DATE_YEAR_MIN, 1, 1);
}

static int max_day(void)
{
	return date_from_ymd(DATE_YEAR_MAX, 12, 31);
}

static int day_in_range(int day)
{
	return day >= min_day() && day <= max_day();
}

static int year_of(int day)
{
	int y;

	date_to_ymd(day, &y, NULL, NULL);
	return y;
}

/* Index of year in cal->years, or -1. Binary search: years are sorted. */
static long find_year_index(const struct calendar *cal, int year)
{
	size_t lo = 0, hi = cal->nyears;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cal->years[mid].year == year)
			return (long)mid;
		if (cal->years[mid].year < year)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static const struct calendar_year *find_year(const struct calendar *cal, int year)
{
	long i = find_year_index(cal, year);

	return i < 0 ? NULL : &cal->years[i];
}

static void year_release(struct calendar_year *y)
{
	for (int i = 0; i < y->nnames; i++)
		free(y->names[i]);
	free(y->source);
	memset(y, 0, sizeof(*y));
}

void calendar_init(struct calendar *cal)
{
	memset(cal, 0, sizeof(*cal));
}

void calendar_free(struct calendar *cal)
{
	for (size_t i = 0; i < cal->nyears; i++)
		year_release(&cal->years[i]);
	free(cal->years);
	memset(cal, 0, sizeof(*cal));
}

/* Insert the (fully built) year y at its sorted place; ownership of y's
 * strings moves to the calendar on success. */
static int insert_year(struct calendar *cal, const struct calendar_year *y)
{
	size_t pos = 0;

	if (y->year < DATE_YEAR_MIN || y->year > DATE_YEAR_MAX)
		return CAL_ERANGE;
	if (find_year_index(cal, y->year) >= 0)
		return CAL_EEXIST;
	if (cal->nyears == cal->cap) {
		size_t ncap = cal->cap ? cal->cap * 2 : 8;
		struct calendar_year *p = realloc(cal->years, ncap * sizeof(*p));

		if (!p)
			return CAL_ENOMEM;
		cal->years = p;
		cal->cap = ncap;
	}
	while (pos < cal->nyears && cal->years[pos].year < y->year)
		pos++;
	memmove(&cal->years[pos + 1], &cal->years[pos], (cal->nyears - pos) * sizeof(*cal->years));
	cal->years[pos] = *y;
	cal->nyears++;
	return 0;
}

static void year_blank(struct calendar_year *y, int year)
{
	memset(y, 0, sizeof(*y));
	y->year = year;
	y->jan1 = date_from_ymd(year, 1, 1);
}

int calendar_add_year(struct calendar *cal, int year)
{
	struct calendar_year y;

	if (year < DATE_YEAR_MIN || year > DATE_YEAR_MAX)
		return CAL_ERANGE;
	year_blank(&y, year);
	return insert_year(cal, &y);
}

int calendar_has_year(const struct calendar *cal, int year)
{
	return find_year(cal, year) != NULL;
}

/* Set kind and name of day (day of year doy) in y. Names are interned per
 * year so 9 days of 春节 share one string. */
static int year_set(struct calendar_year *y, int doy, enum calendar_kind kind, const char *name)
{
	int idx = 0;

	if (kind != CAL_NORMAL && kind != CAL_HOLIDAY && kind != CAL_WORKDAY)
		return CAL_EINVAL;
	if (name && kind != CAL_NORMAL) {
		for (int i = 0; i < y->nnames; i++) {
			if (strcmp(y->names[i], name) == 0)
				idx = i + 1;
		}
		if (!idx) {
			if (y->nnames >= CALENDAR_MAX_NAMES)
				return CAL_ERANGE;
			y->names[y->nnames] = strdup(name);
			if (!y->names[y->nnames])
				return CAL_ENOMEM;
			idx = ++y->nnames;
		}
	}
	y->kind[doy] = (unsigned char)kind;
	y->name[doy] = (unsigned char)idx;
	return 0;
}

int calendar_set_day(struct calendar *cal, int day, enum calendar_kind kind, const char *name)
{
	long i;

	if (!day_in_range(day))
		return CAL_ERANGE;
	i = find_year_index(cal, year_of(day));
	if (i < 0)
		return CAL_ENOYEAR;
	return year_set(&cal->years[i], day - cal->years[i].jan1, kind, name);
}

enum calendar_kind calendar_day_kind(const struct calendar *cal, int day)
{
	const struct calendar_year *y = find_year(cal, year_of(day));

	return y ? (enum calendar_kind)y->kind[day - y->jan1] : CAL_NORMAL;
}

const char *calendar_day_name(const struct calendar *cal, int day)
{
	const struct calendar_year *y = find_year(cal, year_of(day));
	int idx;

	if (!y)
		return NULL;
	idx = y->name[day - y->jan1];
	return idx ? y->names[idx - 1] : NULL;
}

/* The rule itself, given the day's year table (NULL if unknown). */
static int rule_workday(const struct calendar_year *y, int day, int weekday)
{
	if (y) {
		int k = y->kind[day - y->jan1];

		if (k == CAL_HOLIDAY)
			return 0;
		if (k == CAL_WORKDAY)
			return 1;
	}
	return weekday < 6;
}

int calendar_is_workday(const struct calendar *cal, int day, int *provisional)
{
	const struct calendar_year *y = find_year(cal, year_of(day));

	if (provisional)
		*provisional = y == NULL;
	return rule_workday(y, day, date_weekday(day));
}

/*
 * A cursor walking forward one day at a time, re-resolving the year table
 * only when it crosses into a new year and tracking the weekday
 * incrementally. Callers keep it within the supported dates.
 */
struct walk {
	int day;
	int weekday;
	int next_jan1; /* first day of the following year */
	int year;
	const struct calendar_year *y;
	int provisional;
};

static void walk_enter_year(struct walk *w, const struct calendar *cal, int year)
{
	w->year = year;
	w->y = find_year(cal, year);
	w->next_jan1 = date_from_ymd(year + 1, 1, 1);
	if (!w->y)
		w->provisional = 1;
}

/* Position the cursor on start, the day before the first one examined.
 * next_jan1 is set to start + 1 so the first step resolves its year. */
static void walk_start(struct walk *w, int start)
{
	w->day = start;
	w->weekday = date_weekday(start);
	w->provisional = 0;
	w->year = year_of(start + 1) - 1;
	w->y = NULL;
	w->next_jan1 = start + 1;
}

/* Advance one day; returns 1 if the new day is a working day. Marks the
 * walk provisional on entering an unknown year. */
static int walk_step(struct walk *w, const struct calendar *cal)
{
	w->day++;
	w->weekday = w->weekday == 7 ? 1 : w->weekday + 1;
	if (w->day >= w->next_jan1)
		walk_enter_year(w, cal, w->year + 1);
	return rule_workday(w->y, w->day, w->weekday);
}

int calendar_add_workdays(const struct calendar *cal, int from_day, int n, int *out_day,
			  int *provisional)
{
	struct walk w;
	int limit;

	if (!cal || !out_day || n < 0 || n > CALENDAR_MAX_ADD)
		return CAL_EINVAL;
	if (!day_in_range(from_day))
		return CAL_ERANGE;
	limit = from_day + CALENDAR_MAX_SPAN_DAYS;
	if (limit > max_day())
		limit = max_day();
	walk_start(&w, from_day);
	while (n > 0) {
		if (w.day >= limit)
			return CAL_ERANGE;
		if (walk_step(&w, cal))
			n--;
	}
	*out_day = w.day;
	if (provisional)
		*provisional = w.provisional;
	return 0;
}

int calendar_count_workdays(const struct calendar *cal, int from_day, int to_day, int *out_n,
			    int *provisional)
{
	struct walk w;
	int lo = from_day < to_day ? from_day : to_day;
	int hi = from_day < to_day ? to_day : from_day;
	int count = 0;

	if (!cal || !out_n)
		return CAL_EINVAL;
	if (!day_in_range(from_day) || !day_in_range(to_day) || hi - lo > CALENDAR_MAX_SPAN_DAYS)
		return CAL_ERANGE;
	walk_start(&w, lo);
	while (w.day < hi)
		count += walk_step(&w, cal);
	*out_n = from_day <= to_day ? count : -count;
	if (provisional)
		*provisional = w.provisional;
	return 0;
}

/* ---- JSON loading ---------------------------------------------------- */

__attribute__((format(printf, 3, 4))) static int load_fail(char *errbuf, size_t errsz,
							   const char *fmt, ...)
{
	if (errbuf && errsz > 0) {
		va_list ap;

		va_start(ap, fmt);
		vsnprintf(errbuf, errsz, fmt, ap);
		va_end(ap);
	}
	return CAL_EPARSE;
}

/* Check that obj has only the listed keys; returns the first stray key. */
static const char *stray_key(json_t *obj, const char *const *allowed)
{
	const char *key;
	json_t *val;

	json_object_foreach (obj, key, val) {
		int ok = 0;

		(void)val;
		for (size_t i = 0; allowed[i]; i++)
			ok |= strcmp(key, allowed[i]) == 0;
		if (!ok)
			return key;
	}
	return NULL;
}

/*
 * Parse one list ("holidays" or "workdays") into y with the given kind.
 * Duplicates and cross-listing are caught by looking at y->kind before
 * setting, since both lists go into the same table.
 */
static int load_list(struct calendar_year *y, json_t *root, const char *list,
		     enum calendar_kind kind, char *errbuf, size_t errsz)
{
	static const char *const entry_keys[] = {"date", "name", NULL};
	json_t *arr = json_object_get(root, list);
	size_t i;
	json_t *e;

	if (!json_is_array(arr))
		return load_fail(errbuf, errsz, "%s：缺少此字段或不是数组", list);
	json_array_foreach (arr, i, e) {
		json_t *jd = json_object_get(e, "date"), *jn = json_object_get(e, "name");
		const char *ds, *stray;
		int day, rc, yy;

		if (!json_is_object(e))
			return load_fail(errbuf, errsz, "%s[%zu]：应为对象", list, i);
		stray = stray_key(e, entry_keys);
		if (stray)
			return load_fail(errbuf, errsz, "%s[%zu]：未知字段“%.64s”", list, i, stray);
		if (!json_is_string(jd))
			return load_fail(errbuf, errsz, "%s[%zu].date：缺少此字段或不是字符串",
					 list, i);
		ds = json_string_value(jd);
		rc = date_parse(ds, json_string_length(jd), &day);
		if (rc == DATE_EFORMAT)
			return load_fail(errbuf, errsz, "%s[%zu].date：“%.32s”格式应为YYYY-MM-DD",
					 list, i, ds);
		if (rc != 0)
			return load_fail(errbuf, errsz, "%s[%zu].date：“%s”不是有效日期", list, i,
					 ds);
		yy = year_of(day);
		if (yy != y->year)
			return load_fail(errbuf, errsz, "%s[%zu].date：“%s”不在%d年内", list, i, ds,
					 y->year);
		if (!json_is_string(jn) || json_string_length(jn) == 0)
			return load_fail(errbuf, errsz, "%s[%zu].name：缺少名称或名称为空", list,
					 i);
		if (kind == CAL_WORKDAY && !date_is_weekend(day))
			return load_fail(errbuf, errsz,
					 "%s[%zu].date：调休上班日“%s”不是周六或周日", list, i, ds);
		if (y->kind[day - y->jan1] == kind)
			return load_fail(errbuf, errsz, "%s[%zu].date：“%s”重复列出", list, i, ds);
		if (y->kind[day - y->jan1] != CAL_NORMAL)
			return load_fail(errbuf, errsz,
					 "%s[%zu].date：“%s”同时列为节假日和调休上班日", list, i,
					 ds);
		rc = year_set(y, day - y->jan1, kind, json_string_value(jn));
		if (rc == CAL_ERANGE)
			return load_fail(errbuf, errsz, "%s[%zu].name：节日名称超过%d种", list, i,
					 CALENDAR_MAX_NAMES);
		if (rc)
			return rc;
	}
	return 0;
}

int calendar_load_json(struct calendar *cal, const char *json_text, size_t len, char *errbuf,
		       size_t errsz)
{
	static const char *const root_keys[] = {"year",     "source", "holidays",
						"workdays", "note",   NULL};
	struct calendar_year y;
	json_error_t jerr;
	json_t *root, *jy, *js, *jnote;
	const char *stray;
	json_int_t year;
	int rc = CAL_EPARSE;

	if (errbuf && errsz > 0)
		errbuf[0] = '\0';
	if (!cal || !json_text)
		return CAL_EINVAL;
	memset(&y, 0, sizeof(y));
	root = json_loadb(json_text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return load_fail(errbuf, errsz, "JSON格式错误（第%d行第%d列）：%s", jerr.line,
				 jerr.column, jerr.text);
	if (!json_is_object(root)) {
		rc = load_fail(errbuf, errsz, "日历文件应为JSON对象");
		goto out;
	}
	stray = stray_key(root, root_keys);
	if (stray) {
		rc = load_fail(errbuf, errsz, "未知字段“%.64s”", stray);
		goto out;
	}
	jy = json_object_get(root, "year");
	if (!json_is_integer(jy)) {
		rc = load_fail(errbuf, errsz, "year：缺少此字段或不是整数");
		goto out;
	}
	year = json_integer_value(jy);
	if (year < DATE_YEAR_MIN || year > DATE_YEAR_MAX) {
		rc = load_fail(errbuf, errsz, "year：年份%lld超出范围%d–%d", (long long)year,
			       DATE_YEAR_MIN, DATE_YEAR_MAX);
		goto out;
	}
	if (calendar_has_year(cal, (int)year)) {
		load_fail(errbuf, errsz, "year：%lld年的日历已加载", (long long)year);
		rc = CAL_EEXIST;
		goto out;
	}
	js = json_object_get(root, "source");
	if (!json_is_string(js) || json_string_length(js) == 0) {
		rc = load_fail(errbuf, errsz, "source：缺少来源（节假日安排通知）或不是字符串");
		goto out;
	}
	jnote = json_object_get(root, "note");
	if (jnote && !json_is_string(jnote)) {
		rc = load_fail(errbuf, errsz, "note：应为字符串");
		goto out;
	}
	year_blank(&y, (int)year);
	rc = load_list(&y, root, "holidays", CAL_HOLIDAY, errbuf, errsz);
	if (rc)
		goto out;
	rc = load_list(&y, root, "workdays", CAL_WORKDAY, errbuf, errsz);
	if (rc)
		goto out;
	y.source = strdup(json_string_value(js));
	if (!y.source) {
		rc = CAL_ENOMEM;
		goto out;
	}
	rc = insert_year(cal, &y);
	if (rc == 0)
		memset(&y, 0, sizeof(y)); /* ownership moved to cal */
out:
	if (rc == CAL_ENOMEM)
		load_fail(errbuf, errsz, "内存不足");
	year_release(&y);
	json_decref(root);
	return rc;
}
