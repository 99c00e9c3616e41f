/*
 * test_deadline.c — working-day time limits with pauses (补正), on a
 * hand-built calendar whose dates were worked out by hand.
 *
 * Calendar: 2026 is known; 2026-01-01 (Thursday) to 01-03 are holidays and
 * Sunday 01-04 is a make-up workday. 2027 is unknown (weekends only,
 * provisional). Anchors: 2026-01-05 is a Monday.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/date.h"
#include "core/deadline.h"

static int D(int y, int m, int d)
{
	return date_from_ymd(y, m, d);
}

static int setup(void **state)
{
	static struct calendar cal;

	calendar_init(&cal);
	if (calendar_add_year(&cal, 2026) != 0 ||
	    calendar_set_day(&cal, D(2026, 1, 1), CAL_HOLIDAY, "元旦") != 0 ||
	    calendar_set_day(&cal, D(2026, 1, 2), CAL_HOLIDAY, "元旦") != 0 ||
	    calendar_set_day(&cal, D(2026, 1, 3), CAL_HOLIDAY, "元旦") != 0 ||
	    calendar_set_day(&cal, D(2026, 1, 4), CAL_WORKDAY, "元旦调休上班") != 0)
		return -1;
	*state = &cal;
	return 0;
}

static int teardown(void **state)
{
	calendar_free(*state);
	return 0;
}

static int due_of(const struct deadline_clock *c, const struct calendar *cal, int today)
{
	struct yerr err = {0};
	bool prov = true;
	int due = 0;

	if (deadline_due(c, cal, today, &due, &prov, &err) != 0)
		fail_msg("deadline_due: %s", err.message);
	return due;
}

static void test_running_clock(void **state)
{
	const struct calendar *cal = *state;
	struct deadline_clock c;
	struct yerr err = {0};

	assert_int_equal(deadline_start(&c, D(2026, 1, 5), 5, &err), 0);
	assert_int_equal(c.paused_since, -1);
	/* Tue 6, Wed 7, Thu 8, Fri 9, Mon 12 */
	assert_int_equal(due_of(&c, cal, D(2026, 1, 5)), D(2026, 1, 12));
	/* today does not matter while running */
	assert_int_equal(due_of(&c, cal, D(2026, 1, 30)), D(2026, 1, 12));
	/* the start day is not counted; holidays are skipped, the make-up Sunday counts */
	assert_int_equal(deadline_start(&c, D(2025, 12, 31), 2, &err), 0);
	assert_int_equal(due_of(&c, cal, D(2025, 12, 31)), D(2026, 1, 5));
	assert_int_equal(deadline_start(&c, D(2026, 1, 5), 0, &err), 0);
	assert_int_equal(due_of(&c, cal, D(2026, 1, 5)), D(2026, 1, 5));
}

static void test_bad_limits(void **state)
{
	struct deadline_clock c;
	struct yerr err = {0};
	int due;

	assert_int_equal(deadline_start(&c, D(2026, 1, 5), -1, &err), -1);
	assert_string_equal(err.code, "invalid_time_limit");
	assert_int_equal(deadline_start(&c, D(2026, 1, 5), CALENDAR_MAX_ADD + 1, &err), -1);
	assert_int_equal(deadline_add(*state, D(2026, 1, 5), -3, &due, NULL, &err), -1);
	assert_string_equal(err.code, "invalid_time_limit");
	assert_int_equal(deadline_add(*state, D(2200, 12, 30), 10, &due, NULL, &err), -1);
	assert_string_equal(err.code, "calendar_range");
}

/* The due date moves by exactly the paused working days. */
static void test_pause_moves_due_date(void **state)
{
	const struct calendar *cal = *state;
	struct deadline_clock c;
	struct yerr err = {0};

	deadline_start(&c, D(2026, 1, 5), 5, &err);
	/* paused Wed 7, resumed Fri 9: Thu 8 and Fri 9 are not counted */
	assert_int_equal(deadline_pause(&c, D(2026, 1, 7), &err), 0);
	assert_int_equal(deadline_resume(&c, cal, D(2026, 1, 9), &err), 0);
	assert_int_equal(c.paused, 2);
	assert_int_equal(c.paused_since, -1);
	/* Mon 12 + 2 working days = Wed 14 */
	assert_int_equal(due_of(&c, cal, D(2026, 1, 9)), D(2026, 1, 14));

	/* a pause over a weekend costs only the working days in it */
	assert_int_equal(deadline_pause(&c, D(2026, 1, 9), &err), 0);
	assert_int_equal(deadline_resume(&c, cal, D(2026, 1, 12), &err), 0);
	assert_int_equal(c.paused, 3);
	assert_int_equal(due_of(&c, cal, D(2026, 1, 12)), D(2026, 1, 15));

	/* paused and resumed the same day: nothing lost */
	assert_int_equal(deadline_pause(&c, D(2026, 1, 12), &err), 0);
	assert_int_equal(deadline_resume(&c, cal, D(2026, 1, 12), &err), 0);
	assert_int_equal(c.paused, 3);
}

/* While paused, the due date shown grows with every working day waited. */
static void test_open_pause(void **state)
{
	const struct calendar *cal = *state;
	struct deadline_clock c;
	struct yerr err = {0};

	deadline_start(&c, D(2026, 1, 5), 5, &err);
	deadline_pause(&c, D(2026, 1, 6), &err);
	assert_int_equal(due_of(&c, cal, D(2026, 1, 6)), D(2026, 1, 12));
	assert_int_equal(due_of(&c, cal, D(2026, 1, 7)), D(2026, 1, 13));
	/* Saturday 10 and Sunday 11 add nothing beyond Friday 9 */
	assert_int_equal(due_of(&c, cal, D(2026, 1, 9)), D(2026, 1, 15));
	assert_int_equal(due_of(&c, cal, D(2026, 1, 11)), D(2026, 1, 15));
	/* a today before the pause changes nothing */
	assert_int_equal(due_of(&c, cal, D(2026, 1, 5)), D(2026, 1, 12));
}

static void test_pause_refusals(void **state)
{
	const struct calendar *cal = *state;
	struct deadline_clock c;
	struct yerr err = {0};

	deadline_start(&c, D(2026, 1, 5), 5, &err);
	assert_int_equal(deadline_resume(&c, cal, D(2026, 1, 6), &err), -1);
	assert_int_equal(err.status, 409);
	assert_string_equal(err.code, "clock_running");
	assert_int_equal(deadline_pause(&c, D(2026, 1, 4), &err), -1);
	assert_int_equal(err.status, 400);
	assert_int_equal(deadline_pause(&c, D(2026, 1, 6), &err), 0);
	assert_int_equal(deadline_pause(&c, D(2026, 1, 7), &err), -1);
	assert_string_equal(err.code, "clock_paused");
	assert_int_equal(deadline_resume(&c, cal, D(2026, 1, 5), &err), -1);
	assert_string_equal(err.code, "invalid_date");
}

static void test_provisional(void **state)
{
	const struct calendar *cal = *state;
	struct yerr err = {0};
	bool prov = false;
	int due;

	assert_int_equal(deadline_add(cal, D(2026, 6, 1), 5, &due, &prov, &err), 0);
	assert_int_equal(due, D(2026, 6, 8));
	assert_false(prov);
	/* Thu 2026-12-31 + 2: Fri 2027-01-01 and Mon 01-04 in an unknown year */
	assert_int_equal(deadline_add(cal, D(2026, 12, 31), 2, &due, &prov, &err), 0);
	assert_int_equal(due, D(2027, 1, 4));
	assert_true(prov);
}

static void test_classify(void **state)
{
	const struct calendar *cal = *state;
	int due = D(2026, 1, 12); /* a Monday */
	long left = 99;

	assert_int_equal(deadline_classify(cal, due, D(2026, 1, 8), 1, false, &left),
			 DEADLINE_ON_TIME);
	assert_int_equal(left, 2);
	assert_int_equal(deadline_classify(cal, due, D(2026, 1, 9), 1, false, &left),
			 DEADLINE_NEAR_DUE);
	assert_int_equal(left, 1);
	/* the weekend before: one working day left */
	assert_int_equal(deadline_classify(cal, due, D(2026, 1, 10), 1, false, &left),
			 DEADLINE_NEAR_DUE);
	assert_int_equal(deadline_classify(cal, due, due, 1, false, &left), DEADLINE_NEAR_DUE);
	assert_int_equal(left, 0);
	assert_int_equal(deadline_classify(cal, due, D(2026, 1, 13), 1, false, &left),
			 DEADLINE_OVERDUE);
	assert_int_equal(left, -1);
	/* due on a Friday, today the Saturday after: overdue with no working day lost yet */
	assert_int_equal(deadline_classify(cal, D(2026, 1, 9), D(2026, 1, 10), 1, false, &left),
			 DEADLINE_OVERDUE);
	assert_int_equal(left, 0);
	/* near_days 0: only the due day itself is near */
	assert_int_equal(deadline_classify(cal, due, D(2026, 1, 9), 0, false, NULL),
			 DEADLINE_ON_TIME);
	assert_int_equal(deadline_classify(cal, due, D(2026, 1, 13), 1, true, &left),
			 DEADLINE_PAUSED);
	assert_int_equal(left, 0);
	assert_string_equal(deadline_state_name(DEADLINE_NEAR_DUE), "near_due");
	assert_string_equal(deadline_state_name(DEADLINE_PAUSED), "paused");
	assert_null(deadline_state_name((enum deadline_state)7));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_running_clock),
	    cmocka_unit_test(test_bad_limits),
	    cmocka_unit_test(test_pause_moves_due_date),
	    cmocka_unit_test(test_open_pause),
	    cmocka_unit_test(test_pause_refusals),
	    cmocka_unit_test(test_provisional),
	    cmocka_unit_test(test_classify),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
