/*
 * unit_workflow.h — fixtures of the workflow unit tests (test_workflow*.c):
 * a fixed day, an application of three departments, the actors, a bare
 * request, applying with the refusal expected or not, and counting the
 * effects. Include after <cmocka.h>.
 */
#ifndef YIYE_UNIT_WORKFLOW_H
#define YIYE_UNIT_WORKFLOW_H

#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "core/deadline.h"
#include "core/roles.h"
#include "core/workflow.h"

#define TODAY date_from_ymd(2026, 3, 2)

/* ---- fixtures ---- */

static inline void dept(struct wf_app *a, const char *code, long days, bool inspection)
{
	struct wf_dept *d = &a->depts[a->ndepts++];

	snprintf(d->code, sizeof(d->code), "%s", code);
	d->review_days = days;
	d->review = WF_REVIEW_PENDING;
	d->inspect = inspection ? WF_INSPECT_PENDING : WF_INSPECT_NONE;
}

static inline void permit(struct wf_app *a, const char *code, const char *department,
			  size_t committed, long verify_days)
{
	struct wf_permit *p = &a->permits[a->npermits++];

	snprintf(p->code, sizeof(p->code), "%s", code);
	snprintf(p->department, sizeof(p->department), "%s", department);
	p->committed = committed;
	p->verify_days = verify_days;
}

/* Three departments: market regulator and fire service inspect, commerce does
 * not; the food permit has one committed condition. */
static inline struct wf_app app3(enum app_status st)
{
	struct wf_app a;

	memset(&a, 0, sizeof(a));
	a.status = st;
	a.acceptance_days = 1;
	dept(&a, "scjgj", 4, true);
	dept(&a, "swj", 3, false);
	dept(&a, "xfzd", 4, true);
	permit(&a, "P_food_sale", "scjgj", 1, 20);
	permit(&a, "P_alcohol_retail", "swj", 0, 20);
	permit(&a, "P_fire_check", "xfzd", 0, 20);
	return a;
}

static inline struct wf_actor owner(void)
{
	struct wf_actor w = {ROLE_BIT(ROLE_APPLICANT), "", true};

	return w;
}

static inline struct wf_actor stranger(void)
{
	struct wf_actor w = {ROLE_BIT(ROLE_APPLICANT), "", false};

	return w;
}

static inline struct wf_actor staff(enum role r, const char *department)
{
	struct wf_actor w = {ROLE_BIT(r), department, false};

	return w;
}

static inline struct wf_request rq(enum wf_action a)
{
	struct wf_request r;

	memset(&r, 0, sizeof(r));
	r.action = a;
	r.today = TODAY;
	return r;
}

/* apply_ok applies and fails the test on refusal. */
static inline struct wf_app apply_ok(const struct wf_app *a, struct wf_actor w, struct wf_request r,
				     struct wf_effects *fx)
{
	struct wf_app next;
	struct yerr err = {0};

	if (workflow_apply(a, &w, &r, &next, fx, &err) != 0)
		fail_msg("%s refused: %d %s %s %s", workflow_action_name(r.action), err.status,
			 err.code, err.field, err.message);
	return next;
}

static inline void apply_err(const struct wf_app *a, struct wf_actor w, struct wf_request r,
			     int status, const char *code, const char *field)
{
	struct wf_app next;
	struct wf_effects fx;
	struct yerr err = {0};

	if (workflow_apply(a, &w, &r, &next, &fx, &err) == 0)
		fail_msg("%s in %s: accepted, expected %s", workflow_action_name(r.action),
			 workflow_status_name(a->status), code);
	if (err.status != status || strcmp(err.code, code) != 0 ||
	    (field && strcmp(err.field, field) != 0))
		fail_msg("%s: got %d %s field=%s (%s), expected %d %s field=%s",
			 workflow_action_name(r.action), err.status, err.code, err.field,
			 err.message, status, code, field ? field : "*");
}

static inline size_t count_tasks(const struct wf_effects *fx, enum wf_task_op op,
				 enum wf_task_kind k)
{
	size_t i, n = 0;

	for (i = 0; i < fx->ntasks; i++)
		if (fx->tasks[i].op == op && (op == WF_TASK_CLOSE_ALL || fx->tasks[i].kind == k))
			n++;
	return n;
}

static inline const struct wf_task *find_task(const struct wf_effects *fx, enum wf_task_op op,
					      enum wf_task_kind k, const char *dept_code)
{
	size_t i;

	for (i = 0; i < fx->ntasks; i++)
		if (fx->tasks[i].op == op && fx->tasks[i].kind == k &&
		    strcmp(fx->tasks[i].department, dept_code) == 0)
			return &fx->tasks[i];
	return NULL;
}

static inline size_t count_notices(const struct wf_effects *fx, enum wf_recipient to,
				   enum wf_event ev)
{
	size_t i, n = 0;

	for (i = 0; i < fx->nnotices; i++)
		if (fx->notices[i].to == to && fx->notices[i].event == ev)
			n++;
	return n;
}

/* Both inspecting departments of app3. */
static const char *const all_inspectors[] = {"scjgj", "xfzd"};

#endif
