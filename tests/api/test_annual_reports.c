/*
 * test_annual_reports.c — annual reports (年报公示) and the abnormal list
 * (经营异常名录); issue 13 point 6; docs/api-supervision.md "Annual
 * reports", on both backends. Licenses are issued on 2026-03-02; the server
 * then runs on later days (YIYE_TODAY, restarts): the 2026 report is filed
 * in 2027 from 1 January to 30 June with the industry's fields (validated
 * as form fields); on 1 July the daily job lists those that did not file;
 * filing late takes the entity off the list, and its grade back.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness_app.h"
#include "harness_license.h"

static struct server srv;

#define str lic_str

static void as(const char *user)
{
	lic_as(&srv, user);
}

static void restart_on(const char *day)
{
	setenv("YIYE_TODAY", day, 1);
	server_stop(&srv, 1); /* the same data directory and database, a new day */
	assert_int_equal(server_restart(&srv, NULL), 0);
}

/* The fields of the holder's form for uscc, each given a valid value. */
static json_t *valid_fields(const char *uscc)
{
	char path[128];
	struct resp r;
	json_t *out = json_object(), *f;
	size_t i;

	snprintf(path, sizeof(path), "/api/v1/supervision/annual-reports/form?uscc=%s", uscc);
	lic_get(&srv, path, 200, &r);
	assert_true(json_array_size(json_object_get(r.json, "fields")) > 0);
	assert_true(json_is_true(json_object_get(r.json, "modelled")));
	json_array_foreach (json_object_get(r.json, "fields"), i, f)
		json_object_set_new(out, str(f, "id"), app_field_value(f, 7000));
	resp_free(&r);
	return out;
}

static void file(const char *uscc, json_t *fields, json_t *year, long status, const char *code,
		 struct resp *out)
{
	json_t *body = json_pack("{s:s,s:o}", "uscc", uscc, "fields", fields);

	if (year)
		json_object_set_new(body, "year", year);
	lic_post(&srv, "/api/v1/supervision/annual-reports", body, status, code, out);
}

static bool on_public_list(const char *uscc)
{
	struct resp r;
	json_t *it;
	size_t i;
	bool found = false;

	as(NULL);
	lic_get(&srv, "/api/v1/public/abnormal-list", 200, &r);
	json_array_foreach (json_object_get(r.json, "items"), i, it)
		found |= strcmp(str(it, "uscc"), uscc) == 0;
	resp_free(&r);
	return found;
}

static const char *grade_of(const char *uscc, char out[2])
{
	char path[128];
	struct resp r;

	as("supervisor");
	snprintf(path, sizeof(path), "/api/v1/supervision/credit/%s", uscc);
	lic_get(&srv, path, 200, &r);
	snprintf(out, 2, "%s", str(r.json, "grade"));
	resp_free(&r);
	return out;
}

static void test_annual_cycle(void **state)
{
	struct lic_holder late, ontime;
	json_t *f, *lic;
	struct resp r;
	char g[2];

	(void)state;
	lic = lic_issue(&srv, lic_approved_shudian(&srv, "迟报书店", &late));
	json_decref(lic);
	lic = lic_issue(&srv, lic_approved_shudian(&srv, "按时书店", &ontime));
	json_decref(lic);

	/* 2026-03-02: the 2026 report is not due yet */
	as("applicant");
	f = valid_fields(late.uscc);
	file(late.uscc, f, json_integer(2026), 409, "outside_window", NULL);
	/* only the holder files */
	as("supervisor");
	file(late.uscc, json_object(), NULL, 403, "forbidden", NULL);

	/* 2027-03-01: in the window */
	restart_on("2027-03-01");
	as("applicant");
	lic_get(&srv, "/api/v1/supervision/annual-reports/form", 400, NULL); /* several entities */
	file("91310104000000000X", json_object(), NULL, 404, "entity_not_found", NULL);
	f = valid_fields(ontime.uscc);
	json_object_set_new(f, "AR_staff", json_integer(-3));
	file(ontime.uscc, f, NULL, 400, "invalid_field", &r);
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(r.json, "error"), "field")),
	    "fields.AR_staff");
	resp_free(&r);
	f = valid_fields(ontime.uscc);
	json_object_del(f, "AR_staff");
	file(ontime.uscc, f, NULL, 400, "field_required", &r);
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(r.json, "error"), "field")),
	    "fields.AR_staff");
	resp_free(&r);
	f = valid_fields(ontime.uscc);
	json_object_set_new(f, "AR_nosuch", json_integer(1));
	file(ontime.uscc, f, NULL, 400, "unknown_field", NULL);
	file(ontime.uscc, valid_fields(ontime.uscc), NULL, 201, NULL, &r);
	assert_int_equal(
	    json_integer_value(json_object_get(json_object_get(r.json, "report"), "year")), 2026);
	assert_false(json_is_true(json_object_get(json_object_get(r.json, "report"), "late")));
	resp_free(&r);
	file(ontime.uscc, valid_fields(ontime.uscc), NULL, 409, "report_exists", NULL);
	/* published without personal data */
	as(NULL);
	lic_get(&srv, "/api/v1/public/annual-reports?year=2026", 200, &r);
	assert_true(json_integer_value(json_object_get(r.json, "total")) >= 1);
	resp_free(&r);

	/* 1 July 2027: the job lists the entity that did not file, not the other */
	restart_on("2027-07-01");
	as("admin");
	lic_post(&srv, "/api/v1/supervision/credit/jobs/run", NULL, 200, NULL, NULL);
	lic_post(&srv, "/api/v1/supervision/credit/jobs/run", NULL, 200, NULL, &r);
	assert_int_equal(json_integer_value(json_object_get(r.json, "listed")), 0); /* idempotent */
	resp_free(&r);
	assert_true(on_public_list(late.uscc));
	assert_false(on_public_list(ontime.uscc));
	assert_int_equal(
	    server_sql_long(
		&srv,
		"SELECT count(*) FROM abnormal_list WHERE year = 2026 AND removed_on IS NULL AND "
		"uscc IN (SELECT holder_uscc FROM licenses WHERE holder_name = '迟报书店')"),
	    1);
	assert_string_equal(grade_of(late.uscc, g), "C"); /* listed: at least C */
	assert_string_equal(grade_of(ontime.uscc, g), "A");

	/* past the window: only a listed entity files (补报); it comes off */
	as("applicant");
	file(ontime.uscc, valid_fields(ontime.uscc), json_integer(2025), 409, "outside_window",
	     NULL);
	file(late.uscc, valid_fields(late.uscc), NULL, 201, NULL, &r);
	assert_true(json_is_true(json_object_get(json_object_get(r.json, "report"), "late")));
	assert_true(json_is_true(json_object_get(r.json, "removed_from_abnormal_list")));
	resp_free(&r);
	assert_false(on_public_list(late.uscc));
	assert_string_equal(grade_of(late.uscc, g), "A");
	{
		char path[128];

		as("supervisor");
		snprintf(path, sizeof(path), "/api/v1/supervision/credit/%s", late.uscc);
		lic_get(&srv, path, 200, &r);
		assert_int_equal(json_array_size(json_object_get(r.json, "abnormal_list")), 1);
		assert_string_equal(
		    str(json_array_get(json_object_get(r.json, "history"), 0), "to"), "C");
		assert_string_equal(
		    str(json_array_get(json_object_get(r.json, "history"), 1), "to"), "A");
		resp_free(&r);
	}
	assert_true(
	    server_sql_long(
		&srv, "SELECT count(*) FROM supervision_events WHERE kind = 'abnormal_in'") >= 1);
	assert_true(
	    server_sql_long(
		&srv, "SELECT count(*) FROM supervision_events WHERE kind = 'abnormal_out'") >= 1);
	assert_true(
	    server_sql_long(
		&srv, "SELECT count(*) FROM supervision_events WHERE kind = 'annual_report'") >= 2);
}

static int setup(void **state)
{
	(void)state;
	setenv("YIYE_TODAY", LIC_TODAY, 1);
	return server_start(&srv, 1, NULL) != 0 ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	server_stop(&srv, 0);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_annual_cycle),
	};

	curl_global_init(CURL_GLOBAL_DEFAULT);
	return cmocka_run_group_tests(tests, setup, teardown);
}
