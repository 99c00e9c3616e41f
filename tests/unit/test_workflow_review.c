/*
 * test_workflow_review.c — the application state machine after acceptance:
 * parallel review (every refusal, rejection, send-back and a new round, two
 * reviewers at once) and the joint inspection (scheduling and its refusals,
 * results with a rectification, a failure as a rejection, approval once
 * every review and inspection is in). Fixtures in unit_workflow.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit_workflow.h"

/* ---- parallel review ---- */

static struct wf_request review(const char *dept_code, const char *decision, const char *reason)
{
	struct wf_request r = rq(WF_REVIEW);

	r.department = dept_code;
	r.decision = decision;
	r.reason = reason;
	return r;
}

static void test_review_refusals(void **state)
{
	struct wf_app a = app3(APP_UNDER_REVIEW);
	struct wf_actor rev = staff(ROLE_REVIEWER, "scjgj");
	struct wf_effects fx;

	(void)state;
	apply_err(&a, rev, review(NULL, "approve", NULL), 400, "invalid_input", "department");
	apply_err(&a, rev, review("swj", "approve", NULL), 403, "wrong_department", "department");
	apply_err(&a, staff(ROLE_REVIEWER, ""), review("swj", "approve", NULL), 403,
		  "wrong_department", "department");
	apply_err(&a, staff(ROLE_REVIEWER, NULL), review("swj", "approve", NULL), 403,
		  "wrong_department", "department");
	apply_err(&a, staff(ROLE_REVIEWER, "gafj"), review("gafj", "approve", NULL), 404,
		  "unknown_department", "department");
	apply_err(&a, rev, review("scjgj", NULL, NULL), 400, "invalid_decision", "decision");
	apply_err(&a, rev, review("scjgj", "maybe", NULL), 400, "invalid_decision", "decision");
	apply_err(&a, rev, review("scjgj", "reject", NULL), 400, "reason_required", "reason");
	apply_err(&a, rev, review("scjgj", "reject", "  "), 400, "reason_required", "reason");
	apply_err(&a, rev, review("scjgj", "send_back", ""), 400, "reason_required", "reason");
	/* an inspector is not a reviewer */
	apply_err(&a, staff(ROLE_INSPECTOR, "scjgj"), review("scjgj", "approve", NULL), 403,
		  "forbidden", NULL);
	/* approve needs no reason; deciding twice is refused */
	a = apply_ok(&a, rev, review("scjgj", "approve", NULL), &fx);
	assert_int_equal(a.status, APP_UNDER_REVIEW);
	apply_err(&a, rev, review("scjgj", "reject", "晚到的决定"), 409, "already_decided",
		  "department");
}

static void test_review_reject(void **state)
{
	struct wf_app a = app3(APP_UNDER_REVIEW);
	struct wf_effects fx;

	(void)state;
	a = apply_ok(&a, staff(ROLE_REVIEWER, "scjgj"), review("scjgj", "approve", NULL), &fx);
	assert_non_null(find_task(&fx, WF_TASK_CLOSE, WF_TASK_REVIEW, "scjgj"));
	a = apply_ok(&a, staff(ROLE_REVIEWER, "swj"),
		     review("swj", "reject", "不符合《酒类商品零售许可》条件"), &fx);
	assert_int_equal(a.status, APP_REJECTED);
	assert_int_equal(fx.clock, WF_CLOCK_STOP);
	assert_int_equal(count_tasks(&fx, WF_TASK_CLOSE_ALL, 0), 1);
	assert_int_equal(count_notices(&fx, WF_TO_APPLICANT, WF_EV_DECISION), 1);
	assert_int_equal(count_tasks(&fx, WF_TASK_CREATE, WF_TASK_VERIFICATION), 0);
	/* nothing more to decide */
	apply_err(&a, staff(ROLE_REVIEWER, "xfzd"), review("xfzd", "approve", NULL), 409,
		  "invalid_state", "status");
}

static void test_review_send_back_and_new_round(void **state)
{
	struct wf_app a = app3(APP_UNDER_REVIEW);
	struct wf_effects fx;
	size_t i;

	(void)state;
	a = apply_ok(&a, staff(ROLE_REVIEWER, "swj"), review("swj", "approve", NULL), &fx);
	a = apply_ok(&a, staff(ROLE_REVIEWER, "xfzd"), review("xfzd", "send_back", "图纸缺页"),
		     &fx);
	assert_int_equal(a.status, APP_RETURNED);
	assert_int_equal(fx.clock, WF_CLOCK_PAUSE);
	assert_int_equal(count_tasks(&fx, WF_TASK_CLOSE_ALL, 0), 1);
	assert_int_equal(count_notices(&fx, WF_TO_APPLICANT, WF_EV_DECISION), 1);
	/* the applicant resubmits: a new round where nobody has decided */
	a = apply_ok(&a, owner(), rq(WF_RESUBMIT), &fx);
	assert_int_equal(a.status, APP_SUBMITTED);
	assert_int_equal(fx.clock, WF_CLOCK_RESUME);
	assert_null(find_task(&fx, WF_TASK_CLOSE, WF_TASK_SUPPLEMENT, ""));
	for (i = 0; i < a.ndepts; i++)
		assert_int_equal(a.depts[i].review, WF_REVIEW_PENDING);
	assert_int_equal(a.depts[0].inspect, WF_INSPECT_PENDING);
	assert_int_equal(a.depts[1].inspect, WF_INSPECT_NONE);
	assert_false(a.inspection_scheduled);
}

/* Two reviewers of the same department decide from the same loaded state:
 * the store applies the first, reloads for the second, which then loses. */
static void test_two_reviewers_at_once(void **state)
{
	struct wf_app base = app3(APP_UNDER_REVIEW), first;
	struct wf_effects fx;

	(void)state;
	first =
	    apply_ok(&base, staff(ROLE_REVIEWER, "scjgj"), review("scjgj", "approve", NULL), &fx);
	apply_err(&first, staff(ROLE_REVIEWER, "scjgj"), review("scjgj", "reject", "不符合"), 409,
		  "already_decided", "department");
	/* different departments at once both count */
	first = apply_ok(&first, staff(ROLE_REVIEWER, "swj"), review("swj", "approve", NULL), &fx);
	assert_int_equal(first.depts[0].review, WF_REVIEW_APPROVED);
	assert_int_equal(first.depts[1].review, WF_REVIEW_APPROVED);
}

/* ---- joint inspection ---- */

static struct wf_request schedule(const char *at, const char *const *depts, size_t n)
{
	struct wf_request r = rq(WF_SCHEDULE_INSPECTION);

	r.at = at;
	r.inspector_departments = depts;
	r.ninspectors = n;
	return r;
}

static struct wf_request result(const char *dept_code, const char *res, const char *reason,
				const char *deadline)
{
	struct wf_request r = rq(WF_INSPECTION_RESULT);

	r.department = dept_code;
	r.result = res;
	r.reason = reason;
	r.deadline = deadline;
	return r;
}

static void test_schedule_refusals(void **state)
{
	static const char *const only_market[] = {"scjgj", "scjgj"};
	static const char *const with_outsider[] = {"scjgj", "xfzd", "swj"};
	struct wf_app a = app3(APP_UNDER_REVIEW), none = app3(APP_UNDER_REVIEW);
	struct wf_actor insp = staff(ROLE_INSPECTOR, "scjgj");

	(void)state;
	none.depts[0].inspect = WF_INSPECT_NONE;
	none.depts[2].inspect = WF_INSPECT_NONE;
	apply_err(&none, insp, schedule("2026-03-05", all_inspectors, 2), 409,
		  "inspection_not_needed", NULL);
	apply_err(&a, staff(ROLE_INSPECTOR, "swj"), schedule("2026-03-05", all_inspectors, 2), 403,
		  "wrong_department", NULL);
	apply_err(&a, staff(ROLE_INSPECTOR, "gafj"), schedule("2026-03-05", all_inspectors, 2), 403,
		  "wrong_department", NULL);
	apply_err(&a, insp, schedule(NULL, all_inspectors, 2), 400, "invalid_date", "at");
	apply_err(&a, insp, schedule("2026-02-30", all_inspectors, 2), 400, "invalid_date", "at");
	apply_err(&a, insp, schedule("2026-03-01", all_inspectors, 2), 400, "invalid_date", "at");
	apply_err(&a, insp, schedule("2026-03-05", only_market, 2), 400, "inspectors_required",
		  "inspectors");
	apply_err(&a, insp, schedule("2026-03-05", NULL, 0), 400, "inspectors_required",
		  "inspectors");
	apply_err(&a, insp, schedule("2026-03-05", with_outsider, 3), 400, "inspectors_required",
		  "inspectors[2]");
}

static void test_joint_inspection_three_departments(void **state)
{
	static const char *const team[] = {"scjgj", "scjgj", "xfzd", "wjw"};
	struct wf_app a;
	struct wf_effects fx;
	const struct wf_task *t;

	(void)state;
	memset(&a, 0, sizeof(a));
	a.status = APP_SUBMITTED;
	a.acceptance_days = 1;
	dept(&a, "scjgj", 4, true);
	dept(&a, "xfzd", 4, true);
	dept(&a, "wjw", 4, true);
	dept(&a, "swj", 3, false);
	permit(&a, "P_food_sale", "scjgj", 0, 20);
	permit(&a, "P_fire_check", "xfzd", 0, 20);
	permit(&a, "P_public_health", "wjw", 2, 15);
	permit(&a, "P_alcohol_retail", "swj", 0, 20);
	a = apply_ok(&a, staff(ROLE_WINDOW_CLERK, "zwb"), rq(WF_ACCEPT), &fx);
	assert_int_equal(count_tasks(&fx, WF_TASK_CREATE, WF_TASK_INSPECTION), 3);
	/* the result of a department is not accepted before the appointment */
	apply_err(&a, staff(ROLE_INSPECTOR, "wjw"), result("wjw", "pass", NULL, NULL), 409,
		  "invalid_state", "status");
	a = apply_ok(&a, staff(ROLE_INSPECTOR, "xfzd"), schedule("2026-03-06", team, 4), &fx);
	assert_int_equal(a.status, APP_INSPECTION);
	assert_true(a.inspection_scheduled);
	assert_int_equal(fx.inspection_day, date_from_ymd(2026, 3, 6));
	assert_int_equal(count_tasks(&fx, WF_TASK_DUE, WF_TASK_INSPECTION), 3);
	t = find_task(&fx, WF_TASK_DUE, WF_TASK_INSPECTION, "wjw");
	assert_non_null(t);
	assert_int_equal(t->due_day, date_from_ymd(2026, 3, 6));
	assert_int_equal(count_notices(&fx, WF_TO_INSPECTORS, WF_EV_INSPECTION_SCHEDULED), 3);
	assert_int_equal(count_notices(&fx, WF_TO_APPLICANT, WF_EV_INSPECTION_SCHEDULED), 1);
	/* scheduling twice is a state error */
	apply_err(&a, staff(ROLE_INSPECTOR, "xfzd"), schedule("2026-03-06", team, 4), 409,
		  "invalid_state", "status");

	/* reviews may come in while the inspection is open */
	a = apply_ok(&a, staff(ROLE_REVIEWER, "swj"), review("swj", "approve", NULL), &fx);
	a = apply_ok(&a, staff(ROLE_REVIEWER, "scjgj"), review("scjgj", "approve", NULL), &fx);
	a = apply_ok(&a, staff(ROLE_REVIEWER, "xfzd"), review("xfzd", "approve", NULL), &fx);
	a = apply_ok(&a, staff(ROLE_REVIEWER, "wjw"), review("wjw", "approve", NULL), &fx);
	assert_int_equal(a.status, APP_INSPECTION); /* every review in, inspections not */

	a = apply_ok(&a, staff(ROLE_INSPECTOR, "scjgj"), result("scjgj", "pass", NULL, NULL), &fx);
	assert_int_equal(a.status, APP_INSPECTION);
	assert_non_null(find_task(&fx, WF_TASK_CLOSE, WF_TASK_INSPECTION, "scjgj"));
	a = apply_ok(&a, staff(ROLE_INSPECTOR, "xfzd"),
		     result("xfzd", "rectify", "疏散指示标志缺失", "2026-03-20"), &fx);
	assert_int_equal(a.status, APP_INSPECTION);
	assert_int_equal(a.depts[1].inspect, WF_INSPECT_RECTIFY);
	assert_int_equal(a.depts[1].rectify_due, date_from_ymd(2026, 3, 20));
	t = find_task(&fx, WF_TASK_DUE, WF_TASK_INSPECTION, "xfzd");
	assert_non_null(t);
	assert_int_equal(t->due_day, date_from_ymd(2026, 3, 20));
	assert_int_equal(count_notices(&fx, WF_TO_APPLICANT, WF_EV_RECTIFY), 1);
	a = apply_ok(&a, staff(ROLE_INSPECTOR, "wjw"), result("wjw", "pass", NULL, NULL), &fx);
	assert_int_equal(a.status, APP_INSPECTION);
	/* the rectified section passes: everything is in */
	a = apply_ok(&a, staff(ROLE_INSPECTOR, "xfzd"), result("xfzd", "pass", NULL, NULL), &fx);
	assert_int_equal(a.status, APP_APPROVED);
	assert_int_equal(fx.clock, WF_CLOCK_STOP);
	assert_int_equal(count_tasks(&fx, WF_TASK_CLOSE_ALL, 0), 1);
	assert_int_equal(count_tasks(&fx, WF_TASK_CREATE, WF_TASK_VERIFICATION), 1);
	t = find_task(&fx, WF_TASK_CREATE, WF_TASK_VERIFICATION, "wjw");
	assert_non_null(t);
	assert_int_equal(t->due_workdays, 15);
	assert_string_equal(t->permit, "P_public_health");
	assert_int_equal(count_notices(&fx, WF_TO_APPLICANT, WF_EV_DECISION), 1);
}

static void test_inspection_refusals(void **state)
{
	struct wf_app a = app3(APP_INSPECTION);
	struct wf_actor insp = staff(ROLE_INSPECTOR, "scjgj");
	struct wf_effects fx;

	(void)state;
	a.inspection_scheduled = true;
	apply_err(&a, insp, result("xfzd", "pass", NULL, NULL), 403, "wrong_department",
		  "department");
	apply_err(&a, staff(ROLE_INSPECTOR, "swj"), result("swj", "pass", NULL, NULL), 409,
		  "inspection_not_needed", "department");
	apply_err(&a, staff(ROLE_INSPECTOR, "gafj"), result("gafj", "pass", NULL, NULL), 404,
		  "unknown_department", "department");
	apply_err(&a, insp, result("scjgj", NULL, NULL, NULL), 400, "invalid_result", "result");
	apply_err(&a, insp, result("scjgj", "ok", NULL, NULL), 400, "invalid_result", "result");
	apply_err(&a, insp, result("scjgj", "rectify", NULL, "2026-03-20"), 400, "reason_required",
		  "reason");
	apply_err(&a, insp, result("scjgj", "rectify", "整改", NULL), 400, "invalid_date",
		  "deadline");
	apply_err(&a, insp, result("scjgj", "rectify", "整改", "20260320"), 400, "invalid_date",
		  "deadline");
	apply_err(&a, insp, result("scjgj", "rectify", "整改", "2026-03-02"), 400, "invalid_date",
		  "deadline");
	apply_err(&a, insp, result("scjgj", "fail", NULL, NULL), 400, "reason_required", "reason");
	/* a reviewer cannot enter inspection results */
	apply_err(&a, staff(ROLE_REVIEWER, "scjgj"), result("scjgj", "pass", NULL, NULL), 403,
		  "forbidden", NULL);
	a = apply_ok(&a, insp, result("scjgj", "pass", NULL, NULL), &fx);
	apply_err(&a, insp, result("scjgj", "fail", "复查不合格", NULL), 409, "already_decided",
		  "department");
}

static void test_inspection_fail_rejects(void **state)
{
	struct wf_app a = app3(APP_INSPECTION);
	struct wf_effects fx;

	(void)state;
	a.inspection_scheduled = true;
	a = apply_ok(&a, staff(ROLE_INSPECTOR, "xfzd"),
		     result("xfzd", "fail", "消防设施不符合要求", NULL), &fx);
	assert_int_equal(a.status, APP_REJECTED);
	assert_int_equal(a.depts[2].review, WF_REVIEW_REJECTED);
	assert_int_equal(a.depts[2].inspect, WF_INSPECT_FAIL);
	assert_int_equal(fx.clock, WF_CLOCK_STOP);
	assert_int_equal(count_notices(&fx, WF_TO_APPLICANT, WF_EV_DECISION), 1);
}

/* Inspections done, reviews outstanding: the application is back with the reviewers. */
static void test_inspections_done_reviews_pending(void **state)
{
	struct wf_app a = app3(APP_INSPECTION);
	struct wf_effects fx;

	(void)state;
	a.inspection_scheduled = true;
	a = apply_ok(&a, staff(ROLE_INSPECTOR, "scjgj"), result("scjgj", "pass", NULL, NULL), &fx);
	assert_int_equal(a.status, APP_INSPECTION);
	a = apply_ok(&a, staff(ROLE_INSPECTOR, "xfzd"), result("xfzd", "pass", NULL, NULL), &fx);
	assert_int_equal(a.status, APP_UNDER_REVIEW);
	a = apply_ok(&a, staff(ROLE_REVIEWER, "scjgj"), review("scjgj", "approve", NULL), &fx);
	a = apply_ok(&a, staff(ROLE_REVIEWER, "swj"), review("swj", "approve", NULL), &fx);
	assert_int_equal(a.status, APP_UNDER_REVIEW);
	a = apply_ok(&a, staff(ROLE_REVIEWER, "xfzd"), review("xfzd", "approve", NULL), &fx);
	assert_int_equal(a.status, APP_APPROVED);
	/* the committed food condition is verified after approval */
	assert_int_equal(count_tasks(&fx, WF_TASK_CREATE, WF_TASK_VERIFICATION), 1);
	assert_non_null(find_task(&fx, WF_TASK_CREATE, WF_TASK_VERIFICATION, "scjgj"));
}

/* Every department approves and none needs an inspection: approved without one. */
static void test_all_approve_without_inspection(void **state)
{
	struct wf_app a = app3(APP_UNDER_REVIEW);
	struct wf_effects fx;

	(void)state;
	a.depts[0].inspect = WF_INSPECT_NONE;
	a.depts[2].inspect = WF_INSPECT_NONE;
	a = apply_ok(&a, staff(ROLE_REVIEWER, "xfzd"), review("xfzd", "approve", NULL), &fx);
	a = apply_ok(&a, staff(ROLE_REVIEWER, "swj"), review("swj", "approve", NULL), &fx);
	assert_int_equal(a.status, APP_UNDER_REVIEW);
	a = apply_ok(&a, staff(ROLE_REVIEWER, "scjgj"), review("scjgj", "approve", NULL), &fx);
	assert_int_equal(a.status, APP_APPROVED);
}

/* A user holding several roles acts with the one the action needs. */
static void test_multi_role_actor(void **state)
{
	struct wf_app a = app3(APP_UNDER_REVIEW);
	struct wf_actor w = {ROLE_BIT(ROLE_REVIEWER) | ROLE_BIT(ROLE_INSPECTOR), "scjgj", false};
	struct wf_effects fx;

	(void)state;
	a = apply_ok(&a, w, review("scjgj", "approve", NULL), &fx);
	a = apply_ok(&a, w, schedule("2026-03-05", all_inspectors, 2), &fx);
	assert_int_equal(a.status, APP_INSPECTION);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_review_refusals),
	    cmocka_unit_test(test_review_reject),
	    cmocka_unit_test(test_review_send_back_and_new_round),
	    cmocka_unit_test(test_two_reviewers_at_once),
	    cmocka_unit_test(test_schedule_refusals),
	    cmocka_unit_test(test_joint_inspection_three_departments),
	    cmocka_unit_test(test_inspection_refusals),
	    cmocka_unit_test(test_inspection_fail_rejects),
	    cmocka_unit_test(test_inspections_done_reviews_pending),
	    cmocka_unit_test(test_all_approve_without_inspection),
	    cmocka_unit_test(test_multi_role_actor),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
