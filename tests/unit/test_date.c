/*
 * test_date.c - day numbers, strict ISO parsing, weekdays, Shanghai today.
 *
 * Anchors are facts, not outputs: 1970-01-01 is day 0 and a Thursday;
 * 2000-01-01 is day 10957 (30 years with 7 leap days: 30*365 + 7) and a
 * Saturday; 2026-02-17 (春节) is a Tuesday.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/date.h"

#define PARSE(lit, out) date_parse((lit), sizeof(lit) - 1, (out))

static void test_leap(void **state)
{
	(void)state;
	assert_true(date_is_leap(2000));
	assert_true(date_is_leap(2024));
	assert_false(date_is_leap(1900));
	assert_false(date_is_leap(2100));
	assert_false(date_is_leap(2025));
	assert_int_equal(date_days_in_month(2024, 2), 29);
	assert_int_equal(date_days_in_month(2100, 2), 28);
	assert_int_equal(date_days_in_month(2025, 4), 30);
	assert_int_equal(date_days_in_month(2025, 12), 31);
	assert_int_equal(date_days_in_month(2025, 0), 0);
	assert_int_equal(date_days_in_month(2025, 13), 0);
}

static void test_day_numbers(void **state)
{
	int y, m, d;

	(void)state;
	assert_int_equal(date_from_ymd(1970, 1, 1), 0);
	assert_int_equal(date_from_ymd(1969, 12, 31), -1);
	assert_int_equal(date_from_ymd(2000, 1, 1), 10957);
	assert_int_equal(date_from_ymd(2000, 3, 1) - date_from_ymd(2000, 2, 28), 2);
	assert_int_equal(date_from_ymd(1900, 3, 1) - date_from_ymd(1900, 2, 28), 1);
	/* 1900-01-01 is 70 years before 1970 with 17 leap days (1904..1968) */
	assert_int_equal(date_from_ymd(1900, 1, 1), -(70 * 365 + 17));
	date_to_ymd(-1, &y, &m, &d);
	assert_int_equal(y * 10000 + m * 100 + d, 19691231);
	/* round trip over the whole supported range, day by day */
	for (int day = date_from_ymd(1900, 1, 1); day <= date_from_ymd(2200, 12, 31); day++) {
		date_to_ymd(day, &y, &m, &d);
		assert_true(date_valid_ymd(y, m, d));
		assert_int_equal(date_from_ymd(y, m, d), day);
	}
	date_to_ymd(0, NULL, NULL, NULL); /* NULL outs allowed */
}

static void test_packed(void **state)
{
	int day;

	(void)state;
	assert_int_equal(date_to_packed(date_from_ymd(2026, 11, 28)), 20261128);
	assert_int_equal(date_from_packed(20240229, &day), 0);
	assert_int_equal(day, date_from_ymd(2024, 2, 29));
	assert_int_equal(date_from_packed(20250229, &day), DATE_EINVALID);
	assert_int_equal(date_from_packed(20251301, &day), DATE_EINVALID);
	assert_int_equal(date_from_packed(-20250101, &day), DATE_EINVALID);
}

static void test_weekday(void **state)
{
	(void)state;
	assert_int_equal(date_weekday(0), 4);  /* Thursday */
	assert_int_equal(date_weekday(-1), 3); /* Wednesday */
	assert_int_equal(date_weekday(-4), 7); /* 1969-12-28 Sunday */
	assert_int_equal(date_weekday(date_from_ymd(2000, 1, 1)), 6);
	assert_int_equal(date_weekday(date_from_ymd(2026, 2, 17)), 2);
	assert_int_equal(date_weekday(date_from_ymd(2026, 10, 1)), 4);
	assert_int_equal(date_weekday(date_from_ymd(1900, 1, 1)), 1); /* Monday */
	assert_true(date_is_weekend(date_from_ymd(2026, 2, 14)));
	assert_false(date_is_weekend(date_from_ymd(2026, 2, 13)));
}

static void test_parse_ok(void **state)
{
	int day = -12345;

	(void)state;
	assert_int_equal(PARSE("2026-02-14", &day), 0);
	assert_int_equal(day, date_from_ymd(2026, 2, 14));
	assert_int_equal(PARSE("1900-01-01", &day), 0);
	assert_int_equal(PARSE("2200-12-31", &day), 0);
	assert_int_equal(PARSE("2024-02-29", &day), 0);
	assert_int_equal(PARSE("2000-02-29", &day), 0);
	/* length is honoured: bytes beyond len are not read */
	assert_int_equal(date_parse("2026-02-14T00:00", 10, &day), 0);
	assert_int_equal(day, date_from_ymd(2026, 2, 14));
}

static void test_parse_errors(void **state)
{
	int day = 777;

	(void)state;
	assert_int_equal(date_parse("", 0, &day), DATE_EFORMAT);
	assert_int_equal(date_parse(NULL, 10, &day), DATE_EFORMAT);
	assert_int_equal(PARSE("2026-2-14", &day), DATE_EFORMAT);
	assert_int_equal(PARSE("2026-02-1", &day), DATE_EFORMAT);
	assert_int_equal(PARSE("2026-02-014", &day), DATE_EFORMAT);
	assert_int_equal(PARSE("2026/02/14", &day), DATE_EFORMAT);
	assert_int_equal(PARSE("20260214", &day), DATE_EFORMAT);
	assert_int_equal(PARSE(" 026-02-14", &day), DATE_EFORMAT);
	assert_int_equal(PARSE("2026-02-1 ", &day), DATE_EFORMAT);
	assert_int_equal(PARSE("+026-02-14", &day), DATE_EFORMAT);
	assert_int_equal(PARSE("2026-0a-14", &day), DATE_EFORMAT);
	assert_int_equal(PARSE("2026-02-14\n", &day), DATE_EFORMAT);
	assert_int_equal(PARSE("2026-02\0-14", &day), DATE_EFORMAT);
	assert_int_equal(PARSE("2026-02-\0"
			       "4",
			       &day),
			 DATE_EFORMAT);                            /* 10 bytes, NUL inside */
	assert_int_equal(PARSE("２026-02-1", &day), DATE_EFORMAT); /* full-width digit */
	assert_int_equal(PARSE("2025-02-29", &day), DATE_EINVALID);
	assert_int_equal(PARSE("1900-02-29", &day), DATE_EINVALID);
	assert_int_equal(PARSE("2026-13-01", &day), DATE_EINVALID);
	assert_int_equal(PARSE("2026-00-10", &day), DATE_EINVALID);
	assert_int_equal(PARSE("2026-04-31", &day), DATE_EINVALID);
	assert_int_equal(PARSE("2026-04-00", &day), DATE_EINVALID);
	assert_int_equal(PARSE("1899-12-31", &day), DATE_ERANGE);
	assert_int_equal(PARSE("2201-01-01", &day), DATE_ERANGE);
	assert_int_equal(PARSE("0000-01-01", &day), DATE_ERANGE);
	assert_int_equal(day, 777); /* untouched on error */
}

static void test_format(void **state)
{
	char buf[DATE_STR_SIZE];
	char small[10];

	(void)state;
	assert_int_equal(date_format(date_from_ymd(2026, 2, 4), buf, sizeof(buf)), 0);
	assert_string_equal(buf, "2026-02-04");
	assert_int_equal(date_format(0, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "1970-01-01");
	assert_int_equal(date_format(date_from_ymd(1900, 1, 1), buf, sizeof(buf)), 0);
	assert_string_equal(buf, "1900-01-01");
	assert_int_equal(date_format(0, small, sizeof(small)), DATE_ERANGE);
	assert_string_equal(small, "");
	assert_int_equal(date_format(date_from_ymd(10000, 1, 1), buf, sizeof(buf)), DATE_ERANGE);
}

static void test_today_shanghai(void **state)
{
	(void)state;
	/* 1970-01-01T00:00Z is 08:00 in Shanghai: still day 0 */
	assert_int_equal(date_today_shanghai(0), 0);
	/* 1970-01-01T15:59:59Z = 23:59:59 +08 -> day 0; one second later day 1 */
	assert_int_equal(date_today_shanghai(16 * 3600 - 1), 0);
	assert_int_equal(date_today_shanghai(16 * 3600), 1);
	/* 1969-12-31T15:59:59Z = 23:59:59 +08 on 12-31 -> day -1 */
	assert_int_equal(date_today_shanghai(-8 * 3600 - 1), -1);
	assert_int_equal(date_today_shanghai(-8 * 3600), 0);
	/* 2026-02-16T16:00:00Z is midnight 2026-02-17 in Shanghai (春节).
	 * Unix time: day 20501 (2026-02-17) * 86400 - 8 h */
	assert_int_equal(date_from_ymd(2026, 2, 17), 20501);
	assert_int_equal(date_today_shanghai((time_t)20501 * 86400 - 8 * 3600), 20501);
	assert_int_equal(date_today_shanghai((time_t)20501 * 86400 - 8 * 3600 - 1), 20500);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_leap),     cmocka_unit_test(test_day_numbers),
	    cmocka_unit_test(test_packed),   cmocka_unit_test(test_weekday),
	    cmocka_unit_test(test_parse_ok), cmocka_unit_test(test_parse_errors),
	    cmocka_unit_test(test_format),   cmocka_unit_test(test_today_shanghai),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
