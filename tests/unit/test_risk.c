/*
 * test_risk.c — the pure risk rules (core/risk.h): each rule fires on its
 * own facts only, at its thresholds and windows, names its cause and the
 * records behind it, and says since when it holds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/date.h"
#include "core/risk.h"

static int day(const char *s)
{
	int d = 0;

	assert_int_equal(date_parse(s, strlen(s), &d), 0);
	return d;
}

static struct risk_fact fact(enum risk_kind k, const char *d, const char *ref, const char *outcome)
{
	struct risk_fact f;

	memset(&f, 0, sizeof(f));
	f.kind = k;
	f.day = day(d);
	snprintf(f.ref, sizeof(f.ref), "%s", ref);
	snprintf(f.outcome, sizeof(f.outcome), "%s", outcome ? outcome : "");
	return f;
}

static void test_no_facts_no_flags(void **state)
{
	struct risk_flag fl[RISK_RULES];

	(void)state;
	assert_int_equal(risk_evaluate(NULL, 0, day("2026-06-01"), fl, RISK_RULES), 0);
}

static void test_complaints_threshold_and_window(void **state)
{
	struct risk_flag fl[RISK_RULES];
	struct risk_fact f[4];
	int today = day("2026-06-01");

	(void)state;
	/* one complaint: no flag */
	f[0] = fact(RISK_COMPLAINT, "2026-05-20", "TSA", NULL);
	assert_int_equal(risk_evaluate(f, 1, today, fl, RISK_RULES), 0);
	/* two within 90 days: flagged since the second */
	f[1] = fact(RISK_COMPLAINT, "2026-04-10", "TSB", "substantiated");
	assert_int_equal(risk_evaluate(f, 2, today, fl, RISK_RULES), 1);
	assert_string_equal(fl[0].code, "repeated_complaints");
	assert_int_equal(fl[0].since, day("2026-05-20"));
	assert_non_null(strstr(fl[0].ref, "TSA"));
	assert_non_null(strstr(fl[0].ref, "TSB"));
	assert_non_null(strstr(fl[0].cause, "2 件"));
	/* found groundless: not counted */
	f[1] = fact(RISK_COMPLAINT, "2026-04-10", "TSB", "unsubstantiated");
	assert_int_equal(risk_evaluate(f, 2, today, fl, RISK_RULES), 0);
	/* not_ours still counts: nobody found it groundless */
	f[1] = fact(RISK_COMPLAINT, "2026-04-10", "TSB", "not_ours");
	assert_int_equal(risk_evaluate(f, 2, today, fl, RISK_RULES), 1);
	/* the 90-day window includes today and the 89 days before */
	f[1] = fact(RISK_COMPLAINT, "2026-03-04", "TSB", NULL); /* today - 89 */
	assert_int_equal(risk_evaluate(f, 2, today, fl, RISK_RULES), 1);
	f[1] = fact(RISK_COMPLAINT, "2026-03-03", "TSB", NULL); /* today - 90 */
	assert_int_equal(risk_evaluate(f, 2, today, fl, RISK_RULES), 0);
	/* three, out of order: since is the second-earliest day */
	f[1] = fact(RISK_COMPLAINT, "2026-05-01", "TSB", NULL);
	f[2] = fact(RISK_COMPLAINT, "2026-04-01", "TSC", NULL);
	assert_int_equal(risk_evaluate(f, 3, today, fl, RISK_RULES), 1);
	assert_int_equal(fl[0].since, day("2026-05-01"));
	assert_non_null(strstr(fl[0].cause, "3 件"));
}

static void test_verification_overdue(void **state)
{
	struct risk_flag fl[RISK_RULES];
	struct risk_fact f[2];

	(void)state;
	f[0] = fact(RISK_VERIFICATION_OPEN, "2026-05-29", "task:7", NULL);
	/* due today: not yet overdue */
	assert_int_equal(risk_evaluate(f, 1, day("2026-05-29"), fl, RISK_RULES), 0);
	assert_int_equal(risk_evaluate(f, 1, day("2026-05-30"), fl, RISK_RULES), 1);
	assert_string_equal(fl[0].code, "unverified_commitment");
	assert_int_equal(fl[0].since, day("2026-05-30"));
	assert_string_equal(fl[0].ref, "task:7");
	/* two: since the first passed */
	f[1] = fact(RISK_VERIFICATION_OPEN, "2026-05-10", "task:3", NULL);
	assert_int_equal(risk_evaluate(f, 2, day("2026-06-01"), fl, RISK_RULES), 1);
	assert_int_equal(fl[0].since, day("2026-05-11"));
	assert_non_null(strstr(fl[0].cause, "2026-05-10"));
}

static void test_other_rules_and_order(void **state)
{
	struct risk_flag fl[RISK_RULES];
	struct risk_fact f[6];
	int today = day("2026-06-01");

	(void)state;
	f[0] = fact(RISK_ABNORMAL, "2026-07-01", "abnormal:1", NULL); /* future: not yet */
	assert_int_equal(risk_evaluate(f, 1, today, fl, RISK_RULES), 0);
	f[0] = fact(RISK_ABNORMAL, "2025-07-01", "abnormal:1", NULL);
	f[1] = fact(RISK_FAILED_CHECK, "2025-06-01", "result:9", NULL); /* 365 days ago: out */
	f[2] = fact(RISK_RECTIFY_OPEN, "2026-05-31", "result:4", NULL);
	f[3] = fact(RISK_COMPLAINT, "2026-05-01", "TS1", NULL);
	f[4] = fact(RISK_COMPLAINT, "2026-05-02", "TS2", NULL);
	f[5] = fact(RISK_VERIFICATION_OPEN, "2026-06-01", "task:1", NULL); /* due today */
	assert_int_equal(risk_evaluate(f, 6, today, fl, RISK_RULES), 3);
	assert_string_equal(fl[0].code, "repeated_complaints");
	assert_string_equal(fl[1].code, "overdue_rectification");
	assert_int_equal(fl[1].since, day("2026-06-01"));
	assert_string_equal(fl[2].code, "abnormal_list");
	assert_int_equal(fl[2].since, day("2025-07-01"));
	f[1] = fact(RISK_FAILED_CHECK, "2025-06-02", "result:9", NULL); /* today - 364 */
	assert_int_equal(risk_evaluate(f, 6, today, fl, RISK_RULES), 4);
	assert_string_equal(fl[1].code, "failed_check");
	assert_string_equal(fl[1].ref, "result:9");
	/* max bounds the output */
	assert_int_equal(risk_evaluate(f, 6, today, fl, 2), 2);
	/* every flag has a Chinese label and a cause naming its records */
	assert_int_equal(risk_evaluate(f, 6, today, fl, RISK_RULES), 4);
	for (int i = 0; i < 4; i++) {
		assert_true(strlen(fl[i].label) > 0);
		assert_non_null(strstr(fl[i].cause, fl[i].ref));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_no_facts_no_flags),
	    cmocka_unit_test(test_complaints_threshold_and_window),
	    cmocka_unit_test(test_verification_overdue),
	    cmocka_unit_test(test_other_rules_and_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
