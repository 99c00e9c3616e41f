/*
 * test_appno.c — application numbers: district + year + serial.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/appno.h"

static void test_format(void **state)
{
	char out[APPNO_SIZE];
	struct yerr err = {0};

	(void)state;
	assert_int_equal(appno_format("310104", 2026, 123, out, sizeof(out), &err), 0);
	assert_string_equal(out, "310104-2026-000123");
	assert_int_equal(appno_format("310104", 2026, 1234567, out, sizeof(out), &err), 0);
	assert_string_equal(out, "310104-2026-1234567");
	assert_int_equal(appno_format("310104", 2026, APPNO_SERIAL_MAX, out, sizeof(out), &err), 0);
	assert_string_equal(out, "310104-2026-999999999");
	assert_int_equal(appno_format("31010", 2026, 1, out, sizeof(out), &err), -1);
	assert_string_equal(err.code, "invalid_application_number");
	assert_int_equal(appno_format("31010a", 2026, 1, out, sizeof(out), &err), -1);
	assert_int_equal(appno_format(NULL, 2026, 1, out, sizeof(out), &err), -1);
	assert_int_equal(appno_format("310104", 1899, 1, out, sizeof(out), &err), -1);
	assert_int_equal(appno_format("310104", 2026, 0, out, sizeof(out), &err), -1);
	assert_int_equal(appno_format("310104", 2026, APPNO_SERIAL_MAX + 1, out, sizeof(out), &err),
			 -1);
	assert_int_equal(appno_format("310104", 2026, 1, out, 18, &err), -1);
	assert_string_equal(out, "");
	assert_int_equal(appno_format("310104", 2026, 1, out, 19, &err), 0);
}

static void test_parse(void **state)
{
	static const char *const bad[] = {"",
					  "310104-2026-00012",
					  "310104-2026-0001234",
					  "3101042026000123",
					  "310104-2026-000000",
					  "31010x-2026-000123",
					  "310104-20x6-000123",
					  "310104-2026-00012x",
					  " 310104-2026-000123",
					  "310104-2026-000123 ",
					  "310104-1899-000123",
					  "310104-2026-1000000000",
					  "310104_2026_000123"};
	struct appno a;
	struct yerr err = {0};
	char out[APPNO_SIZE];
	size_t i;

	(void)state;
	assert_int_equal(appno_parse("310104-2026-000123", &a, &err), 0);
	assert_string_equal(a.district, "310104");
	assert_int_equal(a.year, 2026);
	assert_int_equal(a.serial, 123);
	assert_int_equal(appno_parse("310104-2026-1234567", &a, &err), 0);
	assert_int_equal(a.serial, 1234567);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (appno_parse(bad[i], &a, &err) == 0)
			fail_msg("accepted \"%s\"", bad[i]);
		assert_int_equal(err.status, 400);
		assert_string_equal(err.field, "number");
	}
	assert_int_equal(appno_parse(NULL, &a, &err), -1);
	/* round trip */
	for (i = 1; i < 2000000; i = i * 7 + 3) {
		assert_int_equal(appno_format("310104", 2026, (long)i, out, sizeof(out), &err), 0);
		assert_int_equal(appno_parse(out, &a, &err), 0);
		assert_int_equal(a.serial, (long)i);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_format),
	    cmocka_unit_test(test_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
