/*
 * test_tools.c — the public tools: POST /api/v1/validate and the
 * working-day calendar, with every error they answer.
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"

static struct server srv;

static int setup(void **state)
{
	(void)state;
	return server_start(&srv, 0, NULL);
}

static int teardown(void **state)
{
	(void)state;
	server_stop(&srv, 0);
	return 0;
}

static void check(const char *kind, const char *value, int valid, const char *reason)
{
	struct resp r;

	http_json(&srv, "POST", "/api/v1/validate",
		  json_pack("{s:s,s:s}", "kind", kind, "value", value), &r);
	if (r.status != 200)
		fprintf(stderr, "%s\n", r.body);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_is_true(json_object_get(r.json, "valid")), valid);
	if (reason)
		assert_string_equal(json_string_value(json_object_get(r.json, "reason")), reason);
	else
		assert_true(json_is_null(json_object_get(r.json, "reason")));
	assert_true(json_string_length(json_object_get(r.json, "message")) > 0);
	resp_free(&r);
}

static void test_validate_uscc(void **state)
{
	(void)state;
	check("uscc", "91110000600037341L", 1, NULL);
	check("uscc", "91110000600037341A", 0, "check");
	check("uscc", "91110000600037341l", 0, "lowercase");
	check("uscc", "９1110000600037341L", 0, "fullwidth");
	check("uscc", "9111000060003734", 0, "length");
	check("uscc", "", 0, "empty");
	check("uscc", "91110000I00037341L", 0, "charset");
}

static void test_validate_idcard(void **state)
{
	(void)state;
	check("idcard", "360426199101010071", 1, NULL);
	check("idcard", "360426199101010072", 0, "check");
	check("idcard", "360426199102300071", 0, "birthdate");
	check("idcard", "360426209901010071", 0, "future");
}

static void test_validate_errors(void **state)
{
	struct resp r;
	char big[400];

	(void)state;
	http_json(&srv, "POST", "/api/v1/validate", json_pack("{s:s}", "value", "x"), &r);
	assert_error(&r, 400, "required", "kind");
	resp_free(&r);
	http_json(&srv, "POST", "/api/v1/validate",
		  json_pack("{s:s,s:s}", "kind", "passport", "value", "x"), &r);
	assert_error(&r, 400, "invalid_kind", "kind");
	resp_free(&r);
	http_json(&srv, "POST", "/api/v1/validate",
		  json_pack("{s:s,s:i}", "kind", "uscc", "value", 5), &r);
	assert_error(&r, 400, "required", "value");
	resp_free(&r);
	http_json(&srv, "POST", "/api/v1/validate", json_pack("[s]", "uscc"), &r);
	assert_error(&r, 400, "invalid_body", NULL);
	resp_free(&r);
	memset(big, '9', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	http_json(&srv, "POST", "/api/v1/validate",
		  json_pack("{s:s,s:s}", "kind", "uscc", "value", big), &r);
	assert_error(&r, 400, "too_long", "value");
	resp_free(&r);
}

static void get(const char *path, struct resp *r)
{
	assert_int_equal(http_req(&srv, "GET", path, NULL, NULL, 0, NULL, r), 0);
}

static void expect_date(const char *query, const char *date, int provisional)
{
	char path[200];
	struct resp r;

	snprintf(path, sizeof(path), "/api/v1/calendar/workdays?%s", query);
	get(path, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "date")), date);
	assert_int_equal(json_is_true(json_object_get(r.json, "provisional")), provisional);
	resp_free(&r);
}

static void expect_count(const char *query, int n, int provisional)
{
	char path[200];
	struct resp r;

	snprintf(path, sizeof(path), "/api/v1/calendar/workdays?%s", query);
	get(path, &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "workdays")), n);
	assert_int_equal(json_is_true(json_object_get(r.json, "provisional")), provisional);
	resp_free(&r);
}

static void test_calendar(void **state)
{
	(void)state;
	/* Spring Festival 2026: 02-14 (Sat) is a make-up workday, 02-15…23 off */
	expect_date("from=2026-02-13&add=1", "2026-02-14", 0);
	expect_date("from=2026-02-13&add=2", "2026-02-24", 0);
	/* National Day 2026: 10-01…07 off, 10-10 (Sat) worked */
	expect_date("from=2026-09-30&add=1", "2026-10-08", 0);
	expect_date("from=2026-10-09&add=1", "2026-10-10", 0);
	expect_date("from=2026-11-28&add=0", "2026-11-28", 0);
	/* the start day is not counted: D1 < d <= D2 */
	expect_count("from=2026-09-30&to=2026-10-10", 3, 0);
	expect_count("from=2026-10-08&to=2026-10-08", 0, 0);
	/* a year the calendar does not know: weekends only, and said so */
	expect_date("from=2027-01-04&add=5", "2027-01-11", 1);
	expect_count("from=2026-12-31&to=2027-01-08", 6, 1);
}

static void test_calendar_errors(void **state)
{
	static const struct {
		const char *query, *code, *field;
	} cases[] = {
	    {"add=1", "required", "from"},
	    {"from=2026-02-30&add=1", "invalid_date", "from"},
	    {"from=2026-2-3&add=1", "invalid_date", "from"},
	    {"from=20260203&add=1", "invalid_date", "from"},
	    {"from=2026-02-03", "required", "add"},
	    {"from=2026-02-03&add=1&to=2026-03-01", "conflicting_parameters", "to"},
	    {"from=2026-02-03&add=-1", "invalid_number", "add"},
	    {"from=2026-02-03&add=1x", "invalid_number", "add"},
	    {"from=2026-02-03&add=99999", "invalid_number", "add"},
	    /* digits only, as every integer parameter (args_int): no sign, no blanks */
	    {"from=2026-02-03&add=%2B5", "invalid_number", "add"},
	    {"from=2026-02-03&add=%205", "invalid_number", "add"},
	    {"from=2026-02-03&add=5%20", "invalid_number", "add"},
	    {"from=2026-02-03&add=", "required", "add"},
	    {"from=2026-02-03&to=2026-13-01", "invalid_date", "to"},
	    {"from=1800-01-01&add=1", "date_out_of_range", "from"},
	};
	char path[200];
	struct resp r;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(path, sizeof(path), "/api/v1/calendar/workdays?%s", cases[i].query);
		get(path, &r);
		assert_error(&r, 400, cases[i].code, cases[i].field);
		resp_free(&r);
	}
	get("/api/v1/calendar/years", &r);
	assert_int_equal(r.status, 200);
	assert_true(json_integer_value(json_object_get(r.json, "total")) >= 2);
	resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_validate_uscc),   cmocka_unit_test(test_validate_idcard),
	    cmocka_unit_test(test_validate_errors), cmocka_unit_test(test_calendar),
	    cmocka_unit_test(test_calendar_errors),
	};
	return cmocka_run_group_tests_name("api.tools", tests, setup, teardown);
}
