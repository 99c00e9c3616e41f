/*
 * test_calendar.c - working-day arithmetic on the shipped 2025/2026
 * calendars, hand-built calendars and malformed calendar JSON.
 *
 * Every expected date below was worked out by hand from the State Council
 * notices (see the comments), not taken from the implementation. Handy
 * anchors: 2025-01-01 is a Wednesday, 2026-01-01 a Thursday.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/calendar.h"
#include "core/date.h"

#ifndef YIYE_SOURCE_DIR
#define YIYE_SOURCE_DIR "."
#endif

static int D(int y, int m, int d)
{
	return date_from_ymd(y, m, d);
}

/* Read a file of the source tree into a malloc'd buffer. */
static char *slurp(const char *rel, size_t *len)
{
	const char *root = getenv("YIYE_SOURCE_DIR");
	char path[4096];
	FILE *f;
	char *buf;
	long n;

	if (!root || !*root)
		root = YIYE_SOURCE_DIR;
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

static void load_file(struct calendar *cal, const char *rel)
{
	char err[256];
	size_t len;
	char *text = slurp(rel, &len);
	int rc = calendar_load_json(cal, text, len, err, sizeof(err));

	if (rc != 0)
		fail_msg("%s: %d %s", rel, rc, err);
	free(text);
}

/* Fixture: the shipped 2025 and 2026 calendars. */
static int setup_shipped(void **state)
{
	struct calendar *cal = malloc(sizeof(*cal));

	if (!cal)
		return -1;
	calendar_init(cal);
	load_file(cal, "catalog/calendar/2026.json"); /* out of order on purpose */
	load_file(cal, "catalog/calendar/2025.json");
	*state = cal;
	return 0;
}

static int teardown_shipped(void **state)
{
	calendar_free(*state);
	free(*state);
	return 0;
}

/* n-th working day after (y, m, d), asserting success and provisional. */
static int add(const struct calendar *cal, int y, int m, int d, int n, int want_prov)
{
	int out = -99999, prov = -1;

	assert_int_equal(calendar_add_workdays(cal, D(y, m, d), n, &out, &prov), 0);
	assert_int_equal(prov, want_prov);
	return out;
}

static int count(const struct calendar *cal, int from, int to, int want_prov)
{
	int n = -99999, prov = -1;

	assert_int_equal(calendar_count_workdays(cal, from, to, &n, &prov), 0);
	assert_int_equal(prov, want_prov);
	return n;
}

static void test_shipped_contents(void **state)
{
	const struct calendar *cal = *state;
	int hol[2] = {0, 0}, work[2] = {0, 0};

	assert_true(calendar_has_year(cal, 2025));
	assert_true(calendar_has_year(cal, 2026));
	assert_false(calendar_has_year(cal, 2024));
	assert_false(calendar_has_year(cal, 2027));
	for (int y = 2025; y <= 2026; y++) {
		for (int d = D(y, 1, 1); d <= D(y, 12, 31); d++) {
			enum calendar_kind k = calendar_day_kind(cal, d);

			hol[y - 2025] += k == CAL_HOLIDAY;
			work[y - 2025] += k == CAL_WORKDAY;
		}
	}
	/* 2025: 1 + 8 + 3 + 5 + 3 + 8 holidays; 5 make-up days */
	assert_int_equal(hol[0], 28);
	assert_int_equal(work[0], 5);
	/* 2026: 3 + 9 + 3 + 5 + 3 + 3 + 7 holidays; 6 make-up days */
	assert_int_equal(hol[1], 33);
	assert_int_equal(work[1], 6);

	assert_string_equal(calendar_day_name(cal, D(2026, 2, 17)), "春节");
	assert_string_equal(calendar_day_name(cal, D(2026, 6, 19)), "端午节");
	assert_string_equal(calendar_day_name(cal, D(2025, 4, 4)), "清明节");
	assert_string_equal(calendar_day_name(cal, D(2026, 10, 10)), "国庆节调休上班");
	assert_null(calendar_day_name(cal, D(2026, 3, 3)));
	assert_null(calendar_day_name(cal, D(2027, 1, 1)));
	assert_int_equal(calendar_day_kind(cal, D(2027, 1, 1)), CAL_NORMAL);
}

static void test_is_workday(void **state)
{
	const struct calendar *cal = *state;
	int prov = -1;

	assert_true(calendar_is_workday(cal, D(2026, 2, 13), &prov)); /* Friday */
	assert_int_equal(prov, 0);
	assert_true(calendar_is_workday(cal, D(2026, 2, 14), NULL));  /* make-up Saturday */
	assert_false(calendar_is_workday(cal, D(2026, 2, 16), NULL)); /* 春节, Monday */
	assert_false(calendar_is_workday(cal, D(2026, 2, 21), NULL)); /* Saturday in 春节 */
	assert_false(calendar_is_workday(cal, D(2026, 3, 7), NULL));  /* ordinary Saturday */
	assert_true(calendar_is_workday(cal, D(2026, 3, 9), NULL));   /* ordinary Monday */
	assert_true(calendar_is_workday(cal, D(2025, 1, 26), NULL));  /* make-up Sunday */
	assert_false(calendar_is_workday(cal, D(2025, 10, 8), NULL)); /* Wednesday, 国庆 */
	/* unknown year: weekends only, provisional */
	assert_true(calendar_is_workday(cal, D(2027, 1, 1), &prov)); /* Friday */
	assert_int_equal(prov, 1);
	assert_false(calendar_is_workday(cal, D(2027, 1, 2), &prov)); /* Saturday */
	assert_int_equal(prov, 1);
}

static void test_spring_festival_2026(void **state)
{
	const struct calendar *cal = *state;

	/* Fri 02-13 -> Sat 02-14 (make-up) -> 02-15..02-23 holiday -> Tue 02-24 */
	assert_int_equal(add(cal, 2026, 2, 13, 0, 0), D(2026, 2, 13));
	assert_int_equal(add(cal, 2026, 2, 13, 1, 0), D(2026, 2, 14));
	assert_int_equal(add(cal, 2026, 2, 13, 2, 0), D(2026, 2, 24));
	assert_int_equal(add(cal, 2026, 2, 13, 3, 0), D(2026, 2, 25));
	/* from inside the holiday: first working day after is 02-24 */
	assert_int_equal(add(cal, 2026, 2, 17, 1, 0), D(2026, 2, 24));
	/* Fri 02-27 -> Sat 02-28 is a make-up day */
	assert_int_equal(add(cal, 2026, 2, 27, 1, 0), D(2026, 2, 28));
	/* add 0 on a rest day stays on it */
	assert_int_equal(add(cal, 2026, 2, 17, 0, 0), D(2026, 2, 17));
}

static void test_national_day_2026(void **state)
{
	const struct calendar *cal = *state;

	/* Wed 09-30 -> 10-01..10-07 holiday -> Thu 10-08 */
	assert_int_equal(add(cal, 2026, 9, 30, 1, 0), D(2026, 10, 8));
	/* Fri 10-09 -> Sat 10-10 make-up -> Sun 10-11 rest -> Mon 10-12 */
	assert_int_equal(add(cal, 2026, 10, 9, 1, 0), D(2026, 10, 10));
	assert_int_equal(add(cal, 2026, 10, 9, 2, 0), D(2026, 10, 12));
	/* A 20-working-day statutory limit starting Mon 09-21:
	 * 22,23,24 (3); 25-27 中秋; 28,29,30 (6); 10-01..07 国庆; 8,9,10 (9);
	 * 12-16 (14); 19-23 (19); Mon 10-26 (20). */
	assert_int_equal(add(cal, 2026, 9, 21, 20, 0), D(2026, 10, 26));
	/* Sat 09-19 -> Sun 09-20 is a make-up day */
	assert_int_equal(add(cal, 2026, 9, 19, 1, 0), D(2026, 9, 20));
}

static void test_spring_festival_2025(void **state)
{
	const struct calendar *cal = *state;

	/* Fri 01-24 -> Sat 01-25 rest -> Sun 01-26 make-up -> Mon 01-27 ->
	 * 01-28..02-04 holiday -> Wed 02-05 */
	assert_int_equal(add(cal, 2025, 1, 24, 1, 0), D(2025, 1, 26));
	assert_int_equal(add(cal, 2025, 1, 24, 2, 0), D(2025, 1, 27));
	assert_int_equal(add(cal, 2025, 1, 24, 3, 0), D(2025, 2, 5));
	/* across the year boundary: Wed 2025-12-31 -> Thu 2026-01-01 元旦,
	 * 01-02 Fri 元旦, 01-03 Sat 元旦, Sun 01-04 make-up */
	assert_int_equal(add(cal, 2025, 12, 31, 1, 0), D(2026, 1, 4));
}

static void test_count(void **state)
{
	const struct calendar *cal = *state;

	/* (02-13, 02-24]: 02-14 and 02-24 */
	assert_int_equal(count(cal, D(2026, 2, 13), D(2026, 2, 24), 0), 2);
	assert_int_equal(count(cal, D(2026, 2, 24), D(2026, 2, 13), 0), -2);
	assert_int_equal(count(cal, D(2026, 2, 13), D(2026, 2, 13), 0), 0);
	/* (09-30, 10-10]: 10-08, 10-09, 10-10 */
	assert_int_equal(count(cal, D(2026, 9, 30), D(2026, 10, 10), 0), 3);
	/* Whole years. 2026: 365 days from a Thursday = 52 weeks + Thu ->
	 * 261 weekdays; holidays on weekdays 2+6+1+3+1+1+5 = 19; 6 make-up
	 * days: 261 - 19 + 6 = 248. 2025: 52 weeks + Wed -> 261 weekdays;
	 * holidays on weekdays 1+6+1+3+1+6 = 18; 5 make-up: 248. */
	assert_int_equal(count(cal, D(2025, 12, 31), D(2026, 12, 31), 0), 248);
	/* counted days are all in 2025, so the unknown 2024 start day does
	 * not make the result provisional */
	assert_int_equal(count(cal, D(2024, 12, 31), D(2025, 12, 31), 0), 248);
	/* add and count agree */
	assert_int_equal(count(cal, D(2026, 9, 21), D(2026, 10, 26), 0), 20);
}

static void test_provisional(void **state)
{
	const struct calendar *cal = *state;

	/* Wed 2026-12-30 -> Thu 12-31: only 2026 touched */
	assert_int_equal(add(cal, 2026, 12, 30, 1, 0), D(2026, 12, 31));
	/* Thu 2026-12-31 -> Fri 2027-01-01: unknown year, counted as a working
	 * day since only weekends are known to rest */
	assert_int_equal(add(cal, 2026, 12, 31, 1, 1), D(2027, 1, 1));
	/* Fri 2027-01-01 + 1 -> Mon 2027-01-04 */
	assert_int_equal(add(cal, 2027, 1, 1, 1, 1), D(2027, 1, 4));
	/* add 0 scans nothing: not provisional */
	assert_int_equal(add(cal, 2027, 1, 1, 0, 0), D(2027, 1, 1));
	/* a count spanning into 2027 is provisional */
	assert_int_equal(count(cal, D(2026, 12, 30), D(2027, 1, 4), 1), 3);
	/* an empty calendar: everything provisional; Mon 2026-02-16 + 1 -> Tue */
	{
		struct calendar empty;
		int out, prov;

		calendar_init(&empty);
		assert_int_equal(calendar_add_workdays(&empty, D(2026, 2, 16), 1, &out, &prov), 0);
		assert_int_equal(out, D(2026, 2, 17));
		assert_int_equal(prov, 1);
		calendar_free(&empty);
		calendar_free(&empty); /* twice is safe */
	}
}

static void test_bounds(void **state)
{
	const struct calendar *cal = *state;
	int out = 123, n = 123;

	assert_int_equal(calendar_add_workdays(cal, D(2026, 1, 5), CALENDAR_MAX_ADD, &out, NULL),
			 0);
	assert_true(out > D(2039, 1, 1) && out < D(2041, 1, 1));
	assert_int_equal(
	    calendar_add_workdays(cal, D(2026, 1, 5), CALENDAR_MAX_ADD + 1, &out, NULL),
	    CAL_EINVAL);
	assert_int_equal(calendar_add_workdays(cal, D(2026, 1, 5), -1, &out, NULL), CAL_EINVAL);
	assert_int_equal(calendar_add_workdays(cal, D(2026, 1, 5), 1, NULL, NULL), CAL_EINVAL);
	assert_int_equal(calendar_add_workdays(cal, D(2200, 12, 31), 1, &out, NULL), CAL_ERANGE);
	assert_int_equal(calendar_add_workdays(cal, D(1899, 12, 31), 1, &out, NULL), CAL_ERANGE);
	/* 2000-01-01..2020-01-01 is 7305 days: allowed; 21 years is not */
	assert_int_equal(calendar_count_workdays(cal, D(2000, 1, 1), D(2020, 1, 1), &n, NULL), 0);
	assert_int_equal(calendar_count_workdays(cal, D(2000, 1, 1), D(2021, 1, 1), &n, NULL),
			 CAL_ERANGE);
	assert_int_equal(calendar_count_workdays(cal, D(2021, 1, 1), D(2000, 1, 1), &n, NULL),
			 CAL_ERANGE);
	assert_int_equal(calendar_count_workdays(cal, D(2026, 1, 1), D(2201, 1, 1), &n, NULL),
			 CAL_ERANGE);
	assert_int_equal(calendar_count_workdays(cal, D(2026, 1, 1), D(2026, 1, 2), NULL, NULL),
			 CAL_EINVAL);
}

static void test_handbuilt(void **state)
{
	struct calendar cal;
	int out;

	(void)state;
	calendar_init(&cal);
	assert_int_equal(calendar_set_day(&cal, D(2030, 1, 1), CAL_HOLIDAY, "x"), CAL_ENOYEAR);
	assert_int_equal(calendar_add_year(&cal, 2030), 0);
	assert_int_equal(calendar_add_year(&cal, 2030), CAL_EEXIST);
	assert_int_equal(calendar_add_year(&cal, 1899), CAL_ERANGE);
	assert_int_equal(calendar_add_year(&cal, 2201), CAL_ERANGE);
	assert_int_equal(calendar_add_year(&cal, 2028), 0);
	assert_int_equal(calendar_add_year(&cal, 2029), 0);
	assert_true(calendar_has_year(&cal, 2028));
	assert_true(calendar_has_year(&cal, 2029));
	assert_true(calendar_has_year(&cal, 2030));
	/* 2030-01-01 is a Tuesday (2026-01-01 Thursday + 4 years of 365,365,
	 * 366,365 days = 1461 = 208 weeks + 5 days -> Tuesday) */
	assert_int_equal(date_weekday(D(2030, 1, 1)), 2);
	assert_int_equal(calendar_set_day(&cal, D(2030, 1, 1), CAL_HOLIDAY, "元旦"), 0);
	assert_int_equal(calendar_set_day(&cal, D(2030, 1, 5), CAL_WORKDAY, NULL), 0); /* Sat */
	assert_int_equal(calendar_set_day(&cal, D(2030, 1, 2), (enum calendar_kind)7, NULL),
			 CAL_EINVAL);
	assert_int_equal(calendar_add_workdays(&cal, D(2029, 12, 31), 1, &out, NULL), 0);
	assert_int_equal(out, D(2030, 1, 2));
	assert_int_equal(calendar_add_workdays(&cal, D(2030, 1, 4), 1, &out, NULL), 0);
	assert_int_equal(out, D(2030, 1, 5));
	assert_string_equal(calendar_day_name(&cal, D(2030, 1, 1)), "元旦");
	/* clearing a listing */
	assert_int_equal(calendar_set_day(&cal, D(2030, 1, 1), CAL_NORMAL, NULL), 0);
	assert_true(calendar_is_workday(&cal, D(2030, 1, 1), NULL));
	assert_null(calendar_day_name(&cal, D(2030, 1, 1)));
	calendar_free(&cal);
}

/* A calendar where every day of 2030..2050 is a holiday: the add loop must
 * stop at its span bound instead of searching forever. */
static void test_pathological(void **state)
{
	struct calendar cal;
	int out;

	(void)state;
	calendar_init(&cal);
	for (int y = 2030; y <= 2050; y++) {
		assert_int_equal(calendar_add_year(&cal, y), 0);
		for (int d = D(y, 1, 1); d <= D(y, 12, 31); d++)
			assert_int_equal(calendar_set_day(&cal, d, CAL_HOLIDAY, "假"), 0);
	}
	assert_int_equal(calendar_add_workdays(&cal, D(2029, 12, 31), 1, &out, NULL), CAL_ERANGE);
	/* and a name table overflow is reported, not written past */
	{
		char name[16];
		int rc = 0;

		for (int i = 0; i < CALENDAR_MAX_NAMES + 1 && rc == 0; i++) {
			snprintf(name, sizeof(name), "n%d", i);
			rc = calendar_set_day(&cal, D(2030, 1, 1) + i, CAL_HOLIDAY, name);
		}
		assert_int_equal(rc, CAL_ERANGE);
	}
	calendar_free(&cal);
}

/* ---- malformed JSON ---- */

struct bad_case {
	const char *json;
	const char *needle; /* expected in the error message */
};

static void test_load_errors(void **state)
{
	static const struct bad_case cases[] = {
	    {"", "JSON"},
	    {"{\"year\":2030,", "JSON"},
	    {"[]", "对象"},
	    {"{\"source\":\"s\",\"holidays\":[],\"workdays\":[]}", "year"},
	    {"{\"year\":\"2030\",\"source\":\"s\",\"holidays\":[],\"workdays\":[]}", "year"},
	    {"{\"year\":1800,\"source\":\"s\",\"holidays\":[],\"workdays\":[]}", "1800"},
	    {"{\"year\":2030,\"year\":2030,\"source\":\"s\",\"holidays\":[],\"workdays\":[]}",
	     "JSON"},
	    {"{\"year\":2030,\"holidays\":[],\"workdays\":[]}", "source"},
	    {"{\"year\":2030,\"source\":\"\",\"holidays\":[],\"workdays\":[]}", "source"},
	    {"{\"year\":2030,\"source\":\"s\",\"holidays\":[],\"workdays\":[],\"extra\":1}",
	     "extra"},
	    {"{\"year\":2030,\"source\":\"s\",\"note\":5,\"holidays\":[],\"workdays\":[]}", "note"},
	    {"{\"year\":2030,\"source\":\"s\",\"workdays\":[]}", "holidays"},
	    {"{\"year\":2030,\"source\":\"s\",\"holidays\":{},\"workdays\":[]}", "holidays"},
	    {"{\"year\":2030,\"source\":\"s\",\"holidays\":[]}", "workdays"},
	    {"{\"year\":2030,\"source\":\"s\",\"holidays\":[\"2030-01-01\"],\"workdays\":[]}",
	     "holidays[0]"},
	    {"{\"year\":2030,\"source\":\"s\",\"holidays\":[{\"name\":\"元旦\"}],\"workdays\":[]}",
	     "holidays[0].date"},
	    {"{\"year\":2030,\"source\":\"s\",\"holidays\":[{\"date\":20300101,\"name\":\"元旦\"}],"
	     "\"workdays\":[]}",
	     "holidays[0].date"},
	    {"{\"year\":2030,\"source\":\"s\",\"holidays\":[{\"date\":\"2030-1-1\",\"name\":"
	     "\"元旦\"}],"
	     "\"workdays\":[]}",
	     "YYYY-MM-DD"},
	    {"{\"year\":2030,\"source\":\"s\",\"holidays\":[{\"date\":\"2030-02-30\",\"name\":"
	     "\"x\"}],"
	     "\"workdays\":[]}",
	     "不是有效日期"},
	    {"{\"year\":2030,\"source\":\"s\",\"holidays\":[{\"date\":\"2029-12-31\",\"name\":"
	     "\"x\"}],"
	     "\"workdays\":[]}",
	     "不在2030年内"},
	    {"{\"year\":2030,\"source\":\"s\",\"holidays\":[{\"date\":\"2030-01-01\",\"name\":\"\"}"
	     "],"
	     "\"workdays\":[]}",
	     "holidays[0].name"},
	    {"{\"year\":2030,\"source\":\"s\",\"holidays\":[{\"date\":\"2030-01-01\"}],"
	     "\"workdays\":[]}",
	     "holidays[0].name"},
	    {"{\"year\":2030,\"source\":\"s\",\"holidays\":[{\"date\":\"2030-01-01\",\"name\":"
	     "\"x\","
	     "\"kind\":1}],\"workdays\":[]}",
	     "kind"},
	    {"{\"year\":2030,\"source\":\"s\",\"holidays\":[{\"date\":\"2030-01-01\",\"name\":"
	     "\"x\"},"
	     "{\"date\":\"2030-01-02\",\"name\":\"x\"},{\"date\":\"2030-01-01\",\"name\":\"x\"}],"
	     "\"workdays\":[]}",
	     "holidays[2].date：“2030-01-01”重复"},
	    /* 2030-01-05 is a Saturday: listed as both */
	    {"{\"year\":2030,\"source\":\"s\",\"holidays\":[{\"date\":\"2030-01-05\",\"name\":"
	     "\"x\"}],"
	     "\"workdays\":[{\"date\":\"2030-01-05\",\"name\":\"y\"}]}",
	     "同时列为"},
	    /* 2030-01-07 is a Monday: a make-up workday must be a weekend day */
	    {"{\"year\":2030,\"source\":\"s\",\"holidays\":[],"
	     "\"workdays\":[{\"date\":\"2030-01-07\",\"name\":\"y\"}]}",
	     "workdays[0].date"},
	    {"{\"year\":2030,\"source\":\"s\",\"holidays\":[],"
	     "\"workdays\":[{\"date\":\"2030-01-05\",\"name\":\"y\"},"
	     "{\"date\":\"2030-01-05\",\"name\":\"y\"}]}",
	     "重复"},
	};
	struct calendar cal;
	char err[256];

	(void)state;
	calendar_init(&cal);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = calendar_load_json(&cal, cases[i].json, strlen(cases[i].json), err,
					    sizeof(err));

		if (rc != CAL_EPARSE || !strstr(err, cases[i].needle))
			fail_msg("case %zu: rc %d, message \"%s\", wanted \"%s\"", i, rc, err,
				 cases[i].needle);
		/* all or nothing: the failed year is not half-loaded */
		assert_false(calendar_has_year(&cal, 2030));
	}
	/* a NULL errbuf is allowed */
	assert_int_equal(calendar_load_json(&cal, "[]", 2, NULL, 0), CAL_EPARSE);
	assert_int_equal(calendar_load_json(&cal, NULL, 0, err, sizeof(err)), CAL_EINVAL);
	calendar_free(&cal);
}

static void test_load_ok_and_twice(void **state)
{
	static const char good[] =
	    "{\"year\":2030,\"source\":\"s\",\"note\":\"test\","
	    "\"holidays\":[{\"date\":\"2030-01-01\",\"name\":\"元旦\"}],"
	    "\"workdays\":[{\"date\":\"2030-01-05\",\"name\":\"元旦调休上班\"}]}";
	struct calendar cal;
	char err[256];
	int out;

	(void)state;
	calendar_init(&cal);
	/* len is honoured: a prefix of valid JSON is malformed */
	assert_int_equal(calendar_load_json(&cal, good, sizeof(good) - 2, err, sizeof(err)),
			 CAL_EPARSE);
	assert_int_equal(calendar_load_json(&cal, good, sizeof(good) - 1, err, sizeof(err)), 0);
	assert_true(calendar_has_year(&cal, 2030));
	assert_int_equal(calendar_load_json(&cal, good, sizeof(good) - 1, err, sizeof(err)),
			 CAL_EEXIST);
	assert_non_null(strstr(err, "已加载"));
	/* Tue 2030-01-01 holiday: Mon 2029-12-31 + 1 -> Wed 01-02 (2029 unknown
	 * but not scanned) */
	assert_int_equal(calendar_add_workdays(&cal, D(2029, 12, 31), 1, &out, NULL), 0);
	assert_int_equal(out, D(2030, 1, 2));
	/* embedded NUL in the text is rejected, not truncated silently */
	assert_int_equal(calendar_load_json(&cal, "{}\0{}", 5, err, sizeof(err)), CAL_EPARSE);
	calendar_free(&cal);
}

int main(void)
{
	const struct CMUnitTest shipped[] = {
	    cmocka_unit_test(test_shipped_contents),     cmocka_unit_test(test_is_workday),
	    cmocka_unit_test(test_spring_festival_2026), cmocka_unit_test(test_national_day_2026),
	    cmocka_unit_test(test_spring_festival_2025), cmocka_unit_test(test_count),
	    cmocka_unit_test(test_provisional),          cmocka_unit_test(test_bounds),
	};
	const struct CMUnitTest standalone[] = {
	    cmocka_unit_test(test_handbuilt),
	    cmocka_unit_test(test_pathological),
	    cmocka_unit_test(test_load_errors),
	    cmocka_unit_test(test_load_ok_and_twice),
	};
	int failed = cmocka_run_group_tests_name("calendar_shipped", shipped, setup_shipped,
						 teardown_shipped);

	failed += cmocka_run_group_tests_name("calendar_standalone", standalone, NULL, NULL);
	return failed;
}
