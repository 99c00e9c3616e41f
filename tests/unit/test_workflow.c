/*
 * test_workflow.c — the application state machine: every transition, every
 * refusal (role, ownership, state, department, input), the window's
 * acceptance, refusal and 补正, the 告知承诺 path and withdrawal. Parallel
 * review and the joint inspection are in test_workflow_review.c, the
 * fixtures in unit_workflow.h.
 *
 * The expected tables below are written out by hand from the table in
 * workflow.h, not derived from workflow.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit_workflow.h"

/* The right actor for each action (departments as in app3). */
static struct wf_actor actor_for(enum wf_action a)
{
	switch (a) {
	case WF_ACCEPT:
	case WF_REFUSE:
	case WF_REQUEST_SUPPLEMENT:
		return staff(ROLE_WINDOW_CLERK, "zwb");
	case WF_REVIEW:
		return staff(ROLE_REVIEWER, "scjgj");
	case WF_SCHEDULE_INSPECTION:
	case WF_INSPECTION_RESULT:
		return staff(ROLE_INSPECTOR, "scjgj");
	case WF_ISSUE:
		return staff(ROLE_ISSUER, "zwfwb");
	default:
		return owner();
	}
}

/* A complete, valid request for each action. */
static const char *const supp_materials[] = {"M_site_layout"};
static const char *const supp_fields[] = {"F_site_area"};

static struct wf_request good_request(enum wf_action a)
{
	struct wf_request r = rq(a);

	r.reason = "理由";
	r.department = "scjgj";
	r.decision = "approve";
	r.result = "pass";
	r.at = "2026-03-05";
	r.deadline = "2026-03-20";
	r.materials = supp_materials;
	r.nmaterials = 1;
	r.fields = supp_fields;
	r.nfields = 1;
	r.inspector_departments = all_inspectors;
	r.ninspectors = 2;
	return r;
}

/* ---- names ---- */

static void test_names(void **state)
{
	static const char *const names[] = {"draft",     "submitted",    "supplement_requested",
					    "refused",   "under_review", "inspection",
					    "approved",  "rejected",     "returned",
					    "withdrawn", "licensed"};
	int i;

	(void)state;
	assert_int_equal(APP_STATUS_COUNT, 11);
	for (i = 0; i < APP_STATUS_COUNT; i++) {
		assert_string_equal(workflow_status_name((enum app_status)i), names[i]);
		assert_int_equal(workflow_status_parse(names[i]), i);
		assert_non_null(workflow_status_label((enum app_status)i));
	}
	assert_int_equal(workflow_status_parse("licensed"), APP_LICENSED);
	assert_true(workflow_status_final(APP_LICENSED));
	assert_string_equal(workflow_action_name(WF_ISSUE), "license");
	assert_int_equal(workflow_status_parse(NULL), -1);
	assert_null(workflow_status_name(APP_STATUS_COUNT));
	assert_true(workflow_status_final(APP_APPROVED));
	assert_true(workflow_status_final(APP_REJECTED));
	assert_true(workflow_status_final(APP_REFUSED));
	assert_true(workflow_status_final(APP_WITHDRAWN));
	assert_false(workflow_status_final(APP_RETURNED));
	assert_false(workflow_status_final(APP_DRAFT));
	assert_string_equal(workflow_action_name(WF_REQUEST_SUPPLEMENT), "request-supplement");
	assert_null(workflow_action_name(WF_ACTION_COUNT));
	assert_string_equal(workflow_task_kind_name(WF_TASK_VERIFICATION), "verification");
	assert_string_equal(workflow_event_name(WF_EV_DECISION), "decision");
	assert_string_equal(workflow_review_name(WF_REVIEW_SENT_BACK), "sent_back");
	assert_string_equal(workflow_inspect_name(WF_INSPECT_RECTIFY), "rectify");
}

/* ---- the two matrices: who, and from which state ---- */

/* Roles allowed per action, from the table of workflow.h. */
static unsigned roles_allowed(enum wf_action a)
{
	unsigned ap = ROLE_BIT(ROLE_APPLICANT), cl = ROLE_BIT(ROLE_WINDOW_CLERK);

	switch (a) {
	case WF_PRECHECK:
	case WF_EDIT:
	case WF_SUBMIT:
	case WF_RESUBMIT:
		return ap | cl;
	case WF_ACCEPT:
	case WF_REFUSE:
	case WF_REQUEST_SUPPLEMENT:
		return cl;
	case WF_WITHDRAW:
		return ap;
	case WF_REVIEW:
		return ROLE_BIT(ROLE_REVIEWER);
	case WF_ISSUE:
		return ROLE_BIT(ROLE_ISSUER);
	default:
		return ROLE_BIT(ROLE_INSPECTOR);
	}
}

#define B(s) (1u << (s))
static unsigned states_allowed(enum wf_action a)
{
	switch (a) {
	case WF_PRECHECK:
	case WF_EDIT:
		return B(APP_DRAFT) | B(APP_SUPPLEMENT_REQUESTED) | B(APP_RETURNED);
	case WF_SUBMIT:
		return B(APP_DRAFT);
	case WF_ACCEPT:
	case WF_REFUSE:
	case WF_REQUEST_SUPPLEMENT:
		return B(APP_SUBMITTED);
	case WF_RESUBMIT:
		return B(APP_SUPPLEMENT_REQUESTED) | B(APP_RETURNED);
	case WF_WITHDRAW:
		return B(APP_DRAFT) | B(APP_SUBMITTED) | B(APP_SUPPLEMENT_REQUESTED) |
		       B(APP_UNDER_REVIEW) | B(APP_INSPECTION) | B(APP_RETURNED);
	case WF_REVIEW:
		return B(APP_UNDER_REVIEW) | B(APP_INSPECTION);
	case WF_SCHEDULE_INSPECTION:
		return B(APP_UNDER_REVIEW);
	case WF_ISSUE:
		return B(APP_APPROVED);
	default:
		return B(APP_INSPECTION);
	}
}

static void test_role_matrix(void **state)
{
	int a, r;

	(void)state;
	for (a = 0; a < WF_ACTION_COUNT; a++) {
		for (r = 0; r < ROLE_COUNT; r++) {
			/* the state is one the action is allowed in */
			enum app_status st = APP_DRAFT;
			struct wf_app app;
			struct wf_actor w = staff((enum role)r, "scjgj");
			struct wf_request req = good_request((enum wf_action)a);

			while (!(states_allowed((enum wf_action)a) & B(st)))
				st++;
			app = app3(st);
			if (st == APP_INSPECTION)
				app.inspection_scheduled = true;
			w.owner = true;
			if (roles_allowed((enum wf_action)a) & ROLE_BIT(r)) {
				struct wf_effects fx;

				apply_ok(&app, w, req, &fx);
			} else {
				apply_err(&app, w, req, 403, "forbidden", NULL);
			}
		}
	}
}

static void test_state_matrix(void **state)
{
	int a, s;

	(void)state;
	for (a = 0; a < WF_ACTION_COUNT; a++) {
		for (s = 0; s < APP_STATUS_COUNT; s++) {
			struct wf_app app = app3((enum app_status)s);
			struct wf_request req = good_request((enum wf_action)a);
			struct wf_actor w = actor_for((enum wf_action)a);

			if (s == APP_INSPECTION)
				app.inspection_scheduled = true;
			if (states_allowed((enum wf_action)a) & B(s)) {
				struct wf_effects fx;

				apply_ok(&app, w, req, &fx);
			} else {
				struct wf_app next;
				struct wf_effects fx;
				struct yerr err = {0};

				assert_int_equal(workflow_apply(&app, &w, &req, &next, &fx, &err),
						 -1);
				assert_int_equal(err.status, 409);
				assert_string_equal(err.code, "invalid_state");
				/* the message names the current state */
				assert_non_null(
				    strstr(err.message, workflow_status_name((enum app_status)s)));
			}
		}
	}
}

static void test_not_owner_is_404(void **state)
{
	static const enum wf_action acts[] = {WF_PRECHECK, WF_EDIT, WF_SUBMIT, WF_WITHDRAW};
	size_t i;
	struct wf_app a = app3(APP_DRAFT), b = app3(APP_SUPPLEMENT_REQUESTED);

	(void)state;
	for (i = 0; i < sizeof(acts) / sizeof(acts[0]); i++)
		apply_err(&a, stranger(), good_request(acts[i]), 404, "not_found", NULL);
	apply_err(&b, stranger(), good_request(WF_RESUBMIT), 404, "not_found", NULL);
	/* ownership comes before state: no leak of another's status */
	b.status = APP_APPROVED;
	apply_err(&b, stranger(), good_request(WF_WITHDRAW), 404, "not_found", NULL);
}

static void test_bad_arguments(void **state)
{
	struct wf_app a = app3(APP_DRAFT), next;
	struct wf_actor w = owner();
	struct wf_request r = rq(WF_SUBMIT);
	struct wf_effects fx;
	struct yerr err = {0};

	(void)state;
	assert_int_equal(workflow_apply(NULL, &w, &r, &next, &fx, &err), -1);
	assert_int_equal(err.status, 400);
	r.action = WF_ACTION_COUNT;
	assert_int_equal(workflow_apply(&a, &w, &r, &next, &fx, &err), -1);
	r.action = WF_SUBMIT;
	a.status = APP_STATUS_COUNT;
	assert_int_equal(workflow_apply(&a, &w, &r, &next, &fx, &err), -1);
	assert_string_equal(err.code, "invalid_input");
}

/* ---- window ---- */

static void test_submit(void **state)
{
	struct wf_app a = app3(APP_DRAFT), n;
	struct wf_effects fx;
	const struct wf_task *t;

	(void)state;
	n = apply_ok(&a, owner(), rq(WF_SUBMIT), &fx);
	assert_int_equal(n.status, APP_SUBMITTED);
	assert_int_equal(fx.from, APP_DRAFT);
	assert_int_equal(fx.to, APP_SUBMITTED);
	assert_int_equal(fx.clock, WF_CLOCK_START);
	t = find_task(&fx, WF_TASK_CREATE, WF_TASK_ACCEPTANCE, "");
	assert_non_null(t);
	assert_int_equal(t->due_workdays, 1);
	assert_int_equal(t->due_day, -1);
	assert_int_equal(count_notices(&fx, WF_TO_WINDOW, WF_EV_SUBMITTED), 1);
	/* a walk-in entered by the window clerk */
	n = apply_ok(&a, staff(ROLE_WINDOW_CLERK, "zwb"), rq(WF_SUBMIT), &fx);
	assert_int_equal(n.status, APP_SUBMITTED);
	/* the input is untouched */
	assert_int_equal(a.status, APP_DRAFT);
}

static void test_precheck_changes_nothing(void **state)
{
	struct wf_app a = app3(APP_SUPPLEMENT_REQUESTED), n;
	struct wf_effects fx;

	(void)state;
	n = apply_ok(&a, owner(), rq(WF_PRECHECK), &fx);
	assert_int_equal(n.status, APP_SUPPLEMENT_REQUESTED);
	assert_int_equal(fx.ntasks, 0);
	assert_int_equal(fx.nnotices, 0);
	assert_int_equal(fx.clock, WF_CLOCK_NONE);
	n = apply_ok(&a, staff(ROLE_WINDOW_CLERK, "zwb"), rq(WF_PRECHECK), &fx);
	assert_int_equal(n.status, APP_SUPPLEMENT_REQUESTED);
	/* editing the form, a material or the commitments: allowed, no effect */
	n = apply_ok(&a, owner(), rq(WF_EDIT), &fx);
	assert_int_equal(n.status, APP_SUPPLEMENT_REQUESTED);
	assert_int_equal(fx.ntasks + fx.nnotices, 0);
	a.status = APP_UNDER_REVIEW;
	apply_err(&a, owner(), rq(WF_EDIT), 409, "invalid_state", "status");
}

static void test_accept_opens_parallel_review(void **state)
{
	struct wf_app a = app3(APP_SUBMITTED), n;
	struct wf_effects fx;
	const struct wf_task *t;

	(void)state;
	n = apply_ok(&a, staff(ROLE_WINDOW_CLERK, "zwb"), rq(WF_ACCEPT), &fx);
	assert_int_equal(n.status, APP_UNDER_REVIEW);
	assert_int_equal(fx.clock, WF_CLOCK_NONE);
	assert_non_null(find_task(&fx, WF_TASK_CLOSE, WF_TASK_ACCEPTANCE, ""));
	assert_int_equal(count_tasks(&fx, WF_TASK_CREATE, WF_TASK_REVIEW), 3);
	t = find_task(&fx, WF_TASK_CREATE, WF_TASK_REVIEW, "swj");
	assert_non_null(t);
	assert_int_equal(t->due_workdays, 3);
	assert_int_equal(count_tasks(&fx, WF_TASK_CREATE, WF_TASK_INSPECTION), 2);
	assert_null(find_task(&fx, WF_TASK_CREATE, WF_TASK_INSPECTION, "swj"));
	assert_int_equal(count_notices(&fx, WF_TO_REVIEWERS, WF_EV_NEW_TASK), 3);
	assert_int_equal(count_notices(&fx, WF_TO_INSPECTORS, WF_EV_NEW_TASK), 2);
	assert_int_equal(count_tasks(&fx, WF_TASK_CREATE, WF_TASK_VERIFICATION), 0);
}

static void test_accept_with_every_condition_committed(void **state)
{
	struct wf_app a = app3(APP_SUBMITTED), n;
	struct wf_effects fx;
	const struct wf_task *t;
	size_t i;

	(void)state;
	a.all_committed = true;
	a.permits[1].committed = 3;
	a.permits[1].verify_days = 10;
	n = apply_ok(&a, staff(ROLE_WINDOW_CLERK, "zwb"), rq(WF_ACCEPT), &fx);
	assert_int_equal(n.status, APP_APPROVED);
	assert_int_equal(fx.clock, WF_CLOCK_STOP);
	assert_int_equal(count_tasks(&fx, WF_TASK_CREATE, WF_TASK_REVIEW), 0);
	assert_int_equal(count_tasks(&fx, WF_TASK_CREATE, WF_TASK_INSPECTION), 0);
	/* one verification per permit with commitments, in its period */
	assert_int_equal(count_tasks(&fx, WF_TASK_CREATE, WF_TASK_VERIFICATION), 2);
	t = find_task(&fx, WF_TASK_CREATE, WF_TASK_VERIFICATION, "swj");
	assert_non_null(t);
	assert_string_equal(t->permit, "P_alcohol_retail");
	assert_int_equal(t->due_workdays, 10);
	t = find_task(&fx, WF_TASK_CREATE, WF_TASK_VERIFICATION, "scjgj");
	assert_non_null(t);
	assert_int_equal(t->due_workdays, 20);
	assert_int_equal(count_notices(&fx, WF_TO_APPLICANT, WF_EV_DECISION), 1);
	for (i = 0; i < n.ndepts; i++) {
		assert_int_equal(n.depts[i].review, WF_REVIEW_APPROVED);
		assert_int_equal(n.depts[i].inspect, WF_INSPECT_NONE);
	}
}

static void test_refuse(void **state)
{
	struct wf_app a = app3(APP_SUBMITTED), n;
	struct wf_actor clerk = staff(ROLE_WINDOW_CLERK, "zwb");
	struct wf_request r = rq(WF_REFUSE);
	struct wf_effects fx;

	(void)state;
	apply_err(&a, clerk, r, 400, "reason_required", "reason");
	r.reason = "";
	apply_err(&a, clerk, r, 400, "reason_required", "reason");
	r.reason = " \t\n";
	apply_err(&a, clerk, r, 400, "reason_required", "reason");
	r.reason = "不属于本区受理范围";
	n = apply_ok(&a, clerk, r, &fx);
	assert_int_equal(n.status, APP_REFUSED);
	assert_int_equal(fx.clock, WF_CLOCK_STOP);
	assert_non_null(find_task(&fx, WF_TASK_CLOSE, WF_TASK_ACCEPTANCE, ""));
	assert_int_equal(count_notices(&fx, WF_TO_APPLICANT, WF_EV_REFUSED), 1);
}

static void test_request_supplement(void **state)
{
	static const char *const blank_list[] = {"M_a", " "};
	struct wf_app a = app3(APP_SUBMITTED), n;
	struct wf_actor clerk = staff(ROLE_WINDOW_CLERK, "zwb");
	struct wf_request r = rq(WF_REQUEST_SUPPLEMENT);
	struct wf_effects fx;

	(void)state;
	r.materials = supp_materials;
	r.nmaterials = 1;
	apply_err(&a, clerk, r, 400, "reason_required", "reason");
	r.reason = "场所平面图不清晰";
	r.nmaterials = 0;
	apply_err(&a, clerk, r, 400, "supplement_list_required", "materials");
	r.materials = blank_list;
	r.nmaterials = 2;
	apply_err(&a, clerk, r, 400, "invalid_input", "materials[1]");
	r.materials = NULL;
	r.nmaterials = 0;
	r.fields = blank_list;
	r.nfields = 2;
	apply_err(&a, clerk, r, 400, "invalid_input", "fields[1]");
	r.nfields = WF_MAX_LIST + 1;
	apply_err(&a, clerk, r, 400, "invalid_input", "fields");
	/* fields alone are a list too */
	r.fields = supp_fields;
	r.nfields = 1;
	n = apply_ok(&a, clerk, r, &fx);
	assert_int_equal(n.status, APP_SUPPLEMENT_REQUESTED);
	assert_int_equal(n.rounds, 1);
	assert_int_equal(fx.clock, WF_CLOCK_PAUSE);
	assert_non_null(find_task(&fx, WF_TASK_CLOSE, WF_TASK_ACCEPTANCE, ""));
	assert_non_null(find_task(&fx, WF_TASK_CREATE, WF_TASK_SUPPLEMENT, ""));
	assert_int_equal(count_notices(&fx, WF_TO_APPLICANT, WF_EV_SUPPLEMENT_REQUESTED), 1);
}

static void test_supplement_rounds(void **state)
{
	struct wf_app a = app3(APP_SUBMITTED);
	struct wf_actor clerk = staff(ROLE_WINDOW_CLERK, "zwb");
	struct wf_effects fx;

	(void)state;
	a = apply_ok(&a, clerk, good_request(WF_REQUEST_SUPPLEMENT), &fx);
	a = apply_ok(&a, owner(), rq(WF_RESUBMIT), &fx);
	assert_int_equal(a.status, APP_SUBMITTED);
	assert_int_equal(fx.clock, WF_CLOCK_RESUME);
	assert_non_null(find_task(&fx, WF_TASK_CLOSE, WF_TASK_SUPPLEMENT, ""));
	assert_non_null(find_task(&fx, WF_TASK_CREATE, WF_TASK_ACCEPTANCE, ""));
	assert_int_equal(count_notices(&fx, WF_TO_WINDOW, WF_EV_SUBMITTED), 1);
	a = apply_ok(&a, clerk, good_request(WF_REQUEST_SUPPLEMENT), &fx);
	assert_int_equal(a.rounds, 2);
	/* the clerk may take the supplement at the window */
	a = apply_ok(&a, clerk, rq(WF_RESUBMIT), &fx);
	a = apply_ok(&a, clerk, rq(WF_ACCEPT), &fx);
	assert_int_equal(a.status, APP_UNDER_REVIEW);
}

static void test_withdraw(void **state)
{
	struct wf_app a, n;
	struct wf_effects fx;

	(void)state;
	a = app3(APP_DRAFT);
	n = apply_ok(&a, owner(), rq(WF_WITHDRAW), &fx);
	assert_int_equal(n.status, APP_WITHDRAWN);
	assert_int_equal(fx.clock, WF_CLOCK_NONE); /* a draft's clock never started */
	assert_int_equal(fx.ntasks, 0);

	a = app3(APP_SUBMITTED);
	n = apply_ok(&a, owner(), rq(WF_WITHDRAW), &fx);
	assert_int_equal(n.status, APP_WITHDRAWN);
	assert_int_equal(fx.clock, WF_CLOCK_STOP);
	assert_int_equal(count_tasks(&fx, WF_TASK_CLOSE_ALL, 0), 1);
	assert_int_equal(count_notices(&fx, WF_TO_WINDOW, WF_EV_WITHDRAWN), 1);

	a = app3(APP_INSPECTION);
	a.inspection_scheduled = true;
	n = apply_ok(&a, owner(), rq(WF_WITHDRAW), &fx);
	assert_int_equal(n.status, APP_WITHDRAWN);
	assert_int_equal(count_notices(&fx, WF_TO_REVIEWERS, WF_EV_WITHDRAWN), 3);
	assert_int_equal(count_notices(&fx, WF_TO_INSPECTORS, WF_EV_WITHDRAWN), 2);

	a = app3(APP_SUPPLEMENT_REQUESTED);
	n = apply_ok(&a, owner(), rq(WF_WITHDRAW), &fx);
	assert_int_equal(n.status, APP_WITHDRAWN);
	a = app3(APP_RETURNED);
	n = apply_ok(&a, owner(), rq(WF_WITHDRAW), &fx);
	assert_int_equal(n.status, APP_WITHDRAWN);
	/* after a decision: too late */
	a = app3(APP_APPROVED);
	apply_err(&a, owner(), rq(WF_WITHDRAW), 409, "invalid_state", "status");
	/* the clerk cannot withdraw for the applicant */
	a = app3(APP_SUBMITTED);
	apply_err(&a, staff(ROLE_WINDOW_CLERK, "zwb"), rq(WF_WITHDRAW), 403, "forbidden", NULL);
}

/* The in-place form: next may be the input. */
static void test_apply_in_place(void **state)
{
	struct wf_app a = app3(APP_DRAFT);
	struct wf_actor w = owner();
	struct wf_request r = rq(WF_SUBMIT);
	struct wf_effects fx;
	struct yerr err = {0};

	(void)state;
	assert_int_equal(workflow_apply(&a, &w, &r, &a, &fx, &err), 0);
	assert_int_equal(a.status, APP_SUBMITTED);
	/* a refusal leaves it untouched */
	assert_int_equal(workflow_apply(&a, &w, &r, &a, &fx, &err), -1);
	assert_int_equal(a.status, APP_SUBMITTED);
}

/* The store drives the application's clock from fx.clock: a 补正 round moves
 * the due date by the working days the applicant took (calendar: 2026 known,
 * no holidays listed; 2026-03-02 is a Monday). */
static void test_clock_through_supplement(void **state)
{
	struct calendar cal;
	struct deadline_clock clk = {0};
	struct wf_app a = app3(APP_DRAFT);
	struct wf_effects fx;
	struct wf_request r;
	struct yerr err = {0};
	int due = 0;

	(void)state;
	calendar_init(&cal);
	assert_int_equal(calendar_add_year(&cal, 2026), 0);
	a = apply_ok(&a, owner(), rq(WF_SUBMIT), &fx); /* Monday 2 March */
	assert_int_equal(fx.clock, WF_CLOCK_START);
	assert_int_equal(deadline_start(&clk, TODAY, 5, &err), 0);
	assert_int_equal(deadline_due(&clk, &cal, TODAY, &due, NULL, &err), 0);
	assert_int_equal(due, date_from_ymd(2026, 3, 9));

	r = good_request(WF_REQUEST_SUPPLEMENT);
	r.today = date_from_ymd(2026, 3, 3); /* Tuesday */
	a = apply_ok(&a, staff(ROLE_WINDOW_CLERK, "zwb"), r, &fx);
	assert_int_equal(fx.clock, WF_CLOCK_PAUSE);
	assert_int_equal(deadline_pause(&clk, r.today, &err), 0);

	r = rq(WF_RESUBMIT);
	r.today = date_from_ymd(2026, 3, 9); /* the Monday after: Wed-Fri and Mon paused */
	a = apply_ok(&a, owner(), r, &fx);
	assert_int_equal(fx.clock, WF_CLOCK_RESUME);
	assert_int_equal(deadline_resume(&clk, &cal, r.today, &err), 0);
	assert_int_equal(clk.paused, 4);
	assert_int_equal(deadline_due(&clk, &cal, r.today, &due, NULL, &err), 0);
	assert_int_equal(due, date_from_ymd(2026, 3, 13)); /* 9 March + 4 working days */
	calendar_free(&cal);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_role_matrix),
	    cmocka_unit_test(test_state_matrix),
	    cmocka_unit_test(test_not_owner_is_404),
	    cmocka_unit_test(test_bad_arguments),
	    cmocka_unit_test(test_submit),
	    cmocka_unit_test(test_precheck_changes_nothing),
	    cmocka_unit_test(test_accept_opens_parallel_review),
	    cmocka_unit_test(test_accept_with_every_condition_committed),
	    cmocka_unit_test(test_refuse),
	    cmocka_unit_test(test_request_supplement),
	    cmocka_unit_test(test_supplement_rounds),
	    cmocka_unit_test(test_withdraw),
	    cmocka_unit_test(test_apply_in_place),
	    cmocka_unit_test(test_clock_through_supplement),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
