/*
 * test_credit_rules.c - the credit grade rules (core/credit.h): which records
 * count on a day, the thresholds, the kinds that force a grade, expiry,
 * clearing, and the explanation naming exactly the records in force.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/credit.h"
#include "core/date.h"

static int day(int y, int m, int d)
{
	return date_from_ymd(y, m, d);
}

/* a record of kind/severity on day d, as credit_record_add stores it */
static struct credit_fact fact(int64_t id, enum credit_kind k, const char *sev, int d)
{
	const struct credit_rule *r = credit_rule_of(k, sev);
	struct credit_fact f = {.id = id, .kind = k, .day = d};

	assert_non_null(r);
	f.points = r->points;
	f.expires_on = credit_expiry(r, d);
	return f;
}

static char grade_of(const struct credit_fact *f, size_t n, int today)
{
	struct credit_grade_result g;

	assert_int_equal(credit_grade_compute(f, n, today, &g, NULL), 0);
	return g.grade;
}

static void test_no_records_is_a(void **state)
{
	struct credit_grade_result g;
	json_t *why = NULL;

	(void)state;
	assert_int_equal(credit_grade_compute(NULL, 0, day(2026, 3, 1), &g, &why), 0);
	assert_int_equal(g.grade, 'A');
	assert_int_equal(g.points, 0);
	assert_string_equal(json_string_value(json_object_get(why, "grade")), "A");
	assert_true(json_is_true(json_object_get(why, "model")));
	assert_int_equal(json_array_size(json_object_get(why, "records")), 0);
	json_decref(why);
}

static void test_points_thresholds(void **state)
{
	int t = day(2026, 3, 1);
	struct credit_fact f[4];

	(void)state;
	f[0] = fact(1, CREDIT_PENALTY, "minor", t - 10); /* 1 */
	assert_int_equal(grade_of(f, 1, t), 'B');
	f[1] = fact(2, CREDIT_PENALTY, "general", t - 5); /* 3: 4 */
	assert_int_equal(grade_of(f, 2, t), 'B');
	f[2] = fact(3, CREDIT_FAILED_CHECK, NULL, t - 2); /* 3: 7 */
	assert_int_equal(grade_of(f, 3, t), 'C');
	f[3] = fact(4, CREDIT_PENALTY, "serious", t - 1); /* 6: 13 */
	assert_int_equal(grade_of(f, 4, t), 'D');
}

static void test_forcing_kinds(void **state)
{
	int t = day(2026, 3, 1);
	struct credit_fact f[2];
	struct credit_grade_result g;

	(void)state;
	f[0] = fact(1, CREDIT_REVOCATION, NULL, t);
	assert_int_equal(grade_of(f, 1, t), 'D');
	f[0] = fact(1, CREDIT_BROKEN_COMMITMENT, NULL, t);
	assert_int_equal(credit_grade_compute(f, 1, t, &g, NULL), 0);
	assert_int_equal(g.grade, 'D');
	assert_string_equal(g.rule, "forces_d");
	/* an abnormal-list entry: at least C, even with 4 points only */
	f[0] = fact(1, CREDIT_ABNORMAL_LIST, NULL, t);
	assert_int_equal(f[0].expires_on, 0);
	assert_int_equal(credit_grade_compute(f, 1, t, &g, NULL), 0);
	assert_int_equal(g.grade, 'C');
	assert_string_equal(g.rule, "forces_c");
}

static void test_expiry_and_clearing(void **state)
{
	int d = day(2026, 3, 1);
	struct credit_fact f[1];

	(void)state;
	f[0] = fact(1, CREDIT_PENALTY, "general", d);
	assert_int_equal(f[0].expires_on, d + 365);
	assert_int_equal(grade_of(f, 1, d + 364), 'B');
	assert_int_equal(grade_of(f, 1, d + 365), 'A'); /* expires_on is exclusive */
	assert_int_equal(grade_of(f, 1, d - 1), 'A');   /* not before its day */
	f[0] = fact(1, CREDIT_ABNORMAL_LIST, NULL, d);
	assert_int_equal(grade_of(f, 1, d + 3000), 'C'); /* until cleared */
	f[0].cleared_on = d + 40;
	assert_int_equal(grade_of(f, 1, d + 39), 'C');
	assert_int_equal(grade_of(f, 1, d + 40), 'A');
	f[0] = fact(1, CREDIT_REVOCATION, NULL, d);
	assert_int_equal(grade_of(f, 1, d + 5 * 365 - 1), 'D');
	assert_int_equal(grade_of(f, 1, d + 5 * 365), 'A');
}

static void test_explanation_names_records_in_force(void **state)
{
	int t = day(2026, 7, 1);
	struct credit_fact f[3];
	struct credit_grade_result g;
	json_t *why = NULL, *recs;

	(void)state;
	f[0] = fact(11, CREDIT_PENALTY, "general", t - 400); /* expired */
	f[1] = fact(12, CREDIT_FAILED_CHECK, NULL, t - 30);
	f[2] = fact(13, CREDIT_COMPLAINT_SUBSTANTIATED, NULL, t - 1);
	assert_int_equal(credit_grade_compute(f, 3, t, &g, &why), 0);
	assert_int_equal(g.grade, 'B');
	assert_int_equal(g.points, 4);
	recs = json_object_get(why, "records");
	assert_int_equal(json_array_size(recs), 2);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(recs, 0), "id")), 12);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(recs, 1), "id")), 13);
	assert_string_equal(json_string_value(json_object_get(json_array_get(recs, 0), "kind")),
			    "failed_check");
	assert_int_equal(json_integer_value(json_object_get(why, "points")), 4);
	json_decref(why);
}

static void test_tables(void **state)
{
	const struct credit_penalty_kind *pk;
	json_t *j;

	(void)state;
	assert_int_equal(credit_kind_parse("penalty"), CREDIT_PENALTY);
	assert_int_equal(credit_kind_parse("complaint_substantiated"),
			 CREDIT_COMPLAINT_SUBSTANTIATED);
	assert_int_equal(credit_kind_parse("bogus"), -1);
	assert_null(credit_rule_of(CREDIT_PENALTY, "bogus"));
	assert_null(credit_rule_of(CREDIT_PENALTY, NULL));
	assert_non_null(credit_rule_of(CREDIT_FAILED_CHECK, "anything"));
	pk = credit_penalty_kind("fine");
	assert_non_null(pk);
	assert_string_equal(credit_penalty_severity(pk, 5000), "general");
	assert_string_equal(credit_penalty_severity(pk, CREDIT_SERIOUS_FINE), "serious");
	pk = credit_penalty_kind("revoke_license");
	assert_true(pk->revokes);
	assert_string_equal(credit_penalty_severity(pk, 0), "serious");
	assert_null(credit_penalty_kind("detention"));
	/* every rule's severity and every penalty kind's severity resolve */
	for (size_t i = 0; i < credit_penalty_kinds_count; i++)
		assert_non_null(credit_rule_of(CREDIT_PENALTY, credit_penalty_kinds[i].severity));
	j = credit_rules_json();
	assert_non_null(j);
	assert_true(json_is_true(json_object_get(j, "model")));
	assert_int_equal(json_array_size(json_object_get(j, "rules")), credit_rules_count);
	json_decref(j);
	assert_string_equal(credit_grade_label('D'), "高风险");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_no_records_is_a),
	    cmocka_unit_test(test_points_thresholds),
	    cmocka_unit_test(test_forcing_kinds),
	    cmocka_unit_test(test_expiry_and_clearing),
	    cmocka_unit_test(test_explanation_names_records_in_force),
	    cmocka_unit_test(test_tables),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
