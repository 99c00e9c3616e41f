/*
 * workflow.c — the application's state machine (see workflow.h for the table).
 *
 * One row of wf_rules per action says from which states it may be taken, by
 * which roles, and which function computes the result. workflow_apply checks
 * role, ownership and state from the row, in that order, so the HTTP layer
 * answers 403 / 404 / 409 the same way for every action; the row's function
 * then checks the input (400) and the department (403 / 404 / 409) and fills
 * the effects.
 */
#include "core/workflow.h"

#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "core/roles.h"

#define S(x) (1u << (x))

struct wf_status_row {
	const char *name, *label;
	bool final;
};

/* Indexed by enum app_status. */
static const struct wf_status_row wf_statuses[APP_STATUS_COUNT] = {
    [APP_DRAFT] = {"draft", "草稿", false},
    [APP_SUBMITTED] = {"submitted", "已提交待受理", false},
    [APP_SUPPLEMENT_REQUESTED] = {"supplement_requested", "待补正", false},
    [APP_REFUSED] = {"refused", "不予受理", true},
    [APP_UNDER_REVIEW] = {"under_review", "审查中", false},
    [APP_INSPECTION] = {"inspection", "现场核查中", false},
    [APP_APPROVED] = {"approved", "准予许可", true},
    [APP_REJECTED] = {"rejected", "不予许可", true},
    [APP_RETURNED] = {"returned", "已退回", false},
    [APP_WITHDRAWN] = {"withdrawn", "已撤回", true},
    [APP_LICENSED] = {"licensed", "已发证", true},
};

typedef int (*wf_fn)(struct wf_app *a, const struct wf_actor *who, const struct wf_request *req,
		     struct wf_effects *fx, struct yerr *err);

struct wf_rule {
	const char *name; /* API name */
	const char *verb; /* Chinese, for "不能%s" */
	unsigned from;    /* S(status) set */
	unsigned roles;   /* ROLE_BIT set allowed to act */
	wf_fn fn;         /* checks the input and the department, fills the effects */
};

static int do_nothing(struct wf_app *, const struct wf_actor *, const struct wf_request *,
		      struct wf_effects *, struct yerr *);
static int do_submit(struct wf_app *, const struct wf_actor *, const struct wf_request *,
		     struct wf_effects *, struct yerr *);
static int do_accept(struct wf_app *, const struct wf_actor *, const struct wf_request *,
		     struct wf_effects *, struct yerr *);
static int do_refuse(struct wf_app *, const struct wf_actor *, const struct wf_request *,
		     struct wf_effects *, struct yerr *);
static int do_supplement(struct wf_app *, const struct wf_actor *, const struct wf_request *,
			 struct wf_effects *, struct yerr *);
static int do_resubmit(struct wf_app *, const struct wf_actor *, const struct wf_request *,
		       struct wf_effects *, struct yerr *);
static int do_withdraw(struct wf_app *, const struct wf_actor *, const struct wf_request *,
		       struct wf_effects *, struct yerr *);
static int do_review(struct wf_app *, const struct wf_actor *, const struct wf_request *,
		     struct wf_effects *, struct yerr *);
static int do_schedule(struct wf_app *, const struct wf_actor *, const struct wf_request *,
		       struct wf_effects *, struct yerr *);
static int do_inspection(struct wf_app *, const struct wf_actor *, const struct wf_request *,
			 struct wf_effects *, struct yerr *);
static int do_issue(struct wf_app *, const struct wf_actor *, const struct wf_request *,
		    struct wf_effects *, struct yerr *);

#define R_APPLICANT ROLE_BIT(ROLE_APPLICANT)
#define R_CLERK ROLE_BIT(ROLE_WINDOW_CLERK)
#define R_REVIEWER ROLE_BIT(ROLE_REVIEWER)
#define R_INSPECTOR ROLE_BIT(ROLE_INSPECTOR)
#define R_ISSUER ROLE_BIT(ROLE_ISSUER)

/* Indexed by enum wf_action: the transition table of workflow.h. */
static const struct wf_rule wf_rules[WF_ACTION_COUNT] = {
    [WF_PRECHECK] = {"precheck", "预审",
		     S(APP_DRAFT) | S(APP_SUPPLEMENT_REQUESTED) | S(APP_RETURNED),
		     R_APPLICANT | R_CLERK, do_nothing},
    [WF_EDIT] = {"edit", "修改申请", S(APP_DRAFT) | S(APP_SUPPLEMENT_REQUESTED) | S(APP_RETURNED),
		 R_APPLICANT | R_CLERK, do_nothing},
    [WF_SUBMIT] = {"submit", "提交", S(APP_DRAFT), R_APPLICANT | R_CLERK, do_submit},
    [WF_ACCEPT] = {"accept", "受理", S(APP_SUBMITTED), R_CLERK, do_accept},
    [WF_REFUSE] = {"refuse", "不予受理", S(APP_SUBMITTED), R_CLERK, do_refuse},
    [WF_REQUEST_SUPPLEMENT] = {"request-supplement", "要求补正", S(APP_SUBMITTED), R_CLERK,
			       do_supplement},
    [WF_RESUBMIT] = {"resubmit", "重新提交", S(APP_SUPPLEMENT_REQUESTED) | S(APP_RETURNED),
		     R_APPLICANT | R_CLERK, do_resubmit},
    [WF_WITHDRAW] = {"withdraw", "撤回",
		     S(APP_DRAFT) | S(APP_SUBMITTED) | S(APP_SUPPLEMENT_REQUESTED) |
			 S(APP_UNDER_REVIEW) | S(APP_INSPECTION) | S(APP_RETURNED),
		     R_APPLICANT, do_withdraw},
    [WF_REVIEW] = {"review", "作出审查决定", S(APP_UNDER_REVIEW) | S(APP_INSPECTION), R_REVIEWER,
		   do_review},
    [WF_SCHEDULE_INSPECTION] = {"inspection", "安排现场核查", S(APP_UNDER_REVIEW), R_INSPECTOR,
				do_schedule},
    [WF_INSPECTION_RESULT] = {"inspection-result", "录入核查结果", S(APP_INSPECTION), R_INSPECTOR,
			      do_inspection},
    [WF_ISSUE] = {"license", "发证", S(APP_APPROVED), R_ISSUER, do_issue},
};

const char *workflow_status_name(enum app_status s)
{
	return (unsigned)s < APP_STATUS_COUNT ? wf_statuses[s].name : NULL;
}

const char *workflow_status_label(enum app_status s)
{
	return (unsigned)s < APP_STATUS_COUNT ? wf_statuses[s].label : NULL;
}

int workflow_status_parse(const char *name)
{
	int i;

	for (i = 0; name != NULL && i < APP_STATUS_COUNT; i++)
		if (strcmp(wf_statuses[i].name, name) == 0)
			return i;
	return -1;
}

bool workflow_status_final(enum app_status s)
{
	return (unsigned)s < APP_STATUS_COUNT && wf_statuses[s].final;
}

const char *workflow_action_name(enum wf_action a)
{
	return (unsigned)a < WF_ACTION_COUNT ? wf_rules[a].name : NULL;
}

const char *workflow_task_kind_name(enum wf_task_kind k)
{
	static const char *const names[WF_TASK_KIND_COUNT] = {"acceptance", "supplement", "review",
							      "inspection", "verification"};

	return (unsigned)k < WF_TASK_KIND_COUNT ? names[k] : NULL;
}

const char *workflow_event_name(enum wf_event e)
{
	static const char *const names[WF_EV_COUNT] = {"submitted",
						       "supplement_requested",
						       "refused",
						       "new_task",
						       "inspection_scheduled",
						       "rectify",
						       "decision",
						       "withdrawn"};

	return (unsigned)e < WF_EV_COUNT ? names[e] : NULL;
}

const char *workflow_review_name(enum wf_review r)
{
	static const char *const names[] = {"pending", "approved", "rejected", "sent_back"};

	return (unsigned)r <= WF_REVIEW_SENT_BACK ? names[r] : NULL;
}

const char *workflow_inspect_name(enum wf_inspect i)
{
	static const char *const names[] = {"none", "pending", "pass", "rectify", "fail"};

	return (unsigned)i <= WF_INSPECT_FAIL ? names[i] : NULL;
}

/* ---- effects ---- */

static void fx_task(struct wf_effects *fx, enum wf_task_op op, enum wf_task_kind kind,
		    const char *dept, const char *permit, long due_workdays, int due_day)
{
	struct wf_task *t;

	/* WF_MAX_EFFECTS bounds every action's output: at most four entries per
	 * department, one per permit and a few for the window and applicant. */
	if (fx->ntasks >= WF_MAX_EFFECTS)
		return;
	t = &fx->tasks[fx->ntasks++];
	memset(t, 0, sizeof(*t));
	t->op = op;
	t->kind = kind;
	snprintf(t->department, sizeof(t->department), "%s", dept ? dept : "");
	snprintf(t->permit, sizeof(t->permit), "%s", permit ? permit : "");
	t->due_workdays = due_workdays;
	t->due_day = due_day;
}

static void fx_notice(struct wf_effects *fx, enum wf_recipient to, const char *dept,
		      enum wf_event ev)
{
	struct wf_notice *n;

	if (fx->nnotices >= WF_MAX_EFFECTS)
		return;
	n = &fx->notices[fx->nnotices++];
	n->to = to;
	snprintf(n->department, sizeof(n->department), "%s", dept ? dept : "");
	n->event = ev;
}

static bool blank(const char *s)
{
	if (s == NULL)
		return true;
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return false;
	return true;
}

static int need_reason(const struct wf_request *req, const char *what, struct yerr *err)
{
	if (blank(req->reason))
		return yerr_set(err, 400, "reason_required", "reason", "%s必须填写理由", what);
	return 0;
}

static struct wf_dept *dept_find(struct wf_app *a, const char *code)
{
	size_t i;

	for (i = 0; code != NULL && i < a->ndepts; i++)
		if (strcmp(a->depts[i].code, code) == 0)
			return &a->depts[i];
	return NULL;
}

/* reset_round puts every department back to "not yet decided" (a new round
 * after a return). */
static void reset_round(struct wf_app *a)
{
	size_t i;

	for (i = 0; i < a->ndepts; i++) {
		a->depts[i].review = WF_REVIEW_PENDING;
		if (a->depts[i].inspect != WF_INSPECT_NONE)
			a->depts[i].inspect = WF_INSPECT_PENDING;
		a->depts[i].rectify_due = 0;
	}
	a->inspection_scheduled = false;
}

/* approve_effects: the application is approved; every open task closes and a
 * verification task (核查) opens for each permit with commitments. */
static void approve_effects(struct wf_app *a, struct wf_effects *fx)
{
	size_t i;

	a->status = APP_APPROVED;
	fx->clock = WF_CLOCK_STOP;
	fx_task(fx, WF_TASK_CLOSE_ALL, WF_TASK_REVIEW, NULL, NULL, 0, -1);
	for (i = 0; i < a->npermits; i++) {
		const struct wf_permit *p = &a->permits[i];

		if (p->committed == 0)
			continue;
		fx_task(fx, WF_TASK_CREATE, WF_TASK_VERIFICATION, p->department, p->code,
			p->verify_days, -1);
		fx_notice(fx, WF_TO_INSPECTORS, p->department, WF_EV_NEW_TASK);
	}
	fx_notice(fx, WF_TO_APPLICANT, NULL, WF_EV_DECISION);
}

/* settle applies the aggregation rule of workflow.h after a department's
 * review or inspection result changed. */
static void settle(struct wf_app *a, struct wf_effects *fx)
{
	bool all_approved = true, inspections_open = false;
	size_t i;

	for (i = 0; i < a->ndepts; i++) {
		if (a->depts[i].review == WF_REVIEW_REJECTED) {
			a->status = APP_REJECTED;
			fx->clock = WF_CLOCK_STOP;
			fx_task(fx, WF_TASK_CLOSE_ALL, WF_TASK_REVIEW, NULL, NULL, 0, -1);
			fx_notice(fx, WF_TO_APPLICANT, NULL, WF_EV_DECISION);
			return;
		}
	}
	for (i = 0; i < a->ndepts; i++) {
		if (a->depts[i].review == WF_REVIEW_SENT_BACK) {
			a->status = APP_RETURNED;
			fx->clock = WF_CLOCK_PAUSE;
			fx_task(fx, WF_TASK_CLOSE_ALL, WF_TASK_REVIEW, NULL, NULL, 0, -1);
			fx_notice(fx, WF_TO_APPLICANT, NULL, WF_EV_DECISION);
			return;
		}
	}
	for (i = 0; i < a->ndepts; i++) {
		if (a->depts[i].review != WF_REVIEW_APPROVED)
			all_approved = false;
		if (a->depts[i].inspect == WF_INSPECT_PENDING ||
		    a->depts[i].inspect == WF_INSPECT_RECTIFY)
			inspections_open = true;
	}
	if (all_approved && !inspections_open) {
		approve_effects(a, fx);
		return;
	}
	a->status = a->inspection_scheduled && inspections_open ? APP_INSPECTION : APP_UNDER_REVIEW;
}

/* ---- actions ---- */

static int do_nothing(struct wf_app *a, const struct wf_actor *who, const struct wf_request *req,
		      struct wf_effects *fx, struct yerr *err)
{
	(void)a, (void)who, (void)req, (void)fx, (void)err;
	return 0;
}

static int do_submit(struct wf_app *a, const struct wf_actor *who, const struct wf_request *req,
		     struct wf_effects *fx, struct yerr *err)
{
	(void)who, (void)req, (void)err;
	a->status = APP_SUBMITTED;
	fx->clock = WF_CLOCK_START;
	fx_task(fx, WF_TASK_CREATE, WF_TASK_ACCEPTANCE, NULL, NULL, a->acceptance_days, -1);
	fx_notice(fx, WF_TO_WINDOW, NULL, WF_EV_SUBMITTED);
	return 0;
}

static int do_accept(struct wf_app *a, const struct wf_actor *who, const struct wf_request *req,
		     struct wf_effects *fx, struct yerr *err)
{
	size_t i;

	(void)who, (void)req, (void)err;
	fx_task(fx, WF_TASK_CLOSE, WF_TASK_ACCEPTANCE, NULL, NULL, 0, -1);
	if (a->all_committed) {
		/* 告知承诺: every condition is committed, so no review or
		 * inspection stands between acceptance and approval. */
		for (i = 0; i < a->ndepts; i++) {
			a->depts[i].review = WF_REVIEW_APPROVED;
			a->depts[i].inspect = WF_INSPECT_NONE;
		}
		approve_effects(a, fx);
		return 0;
	}
	a->status = APP_UNDER_REVIEW;
	for (i = 0; i < a->ndepts; i++) {
		const struct wf_dept *d = &a->depts[i];

		fx_task(fx, WF_TASK_CREATE, WF_TASK_REVIEW, d->code, NULL, d->review_days, -1);
		fx_notice(fx, WF_TO_REVIEWERS, d->code, WF_EV_NEW_TASK);
		if (d->inspect != WF_INSPECT_NONE) {
			fx_task(fx, WF_TASK_CREATE, WF_TASK_INSPECTION, d->code, NULL,
				d->review_days, -1);
			fx_notice(fx, WF_TO_INSPECTORS, d->code, WF_EV_NEW_TASK);
		}
	}
	return 0;
}

static int do_refuse(struct wf_app *a, const struct wf_actor *who, const struct wf_request *req,
		     struct wf_effects *fx, struct yerr *err)
{
	(void)who;
	if (need_reason(req, "不予受理", err) != 0)
		return -1;
	a->status = APP_REFUSED;
	fx->clock = WF_CLOCK_STOP;
	fx_task(fx, WF_TASK_CLOSE, WF_TASK_ACCEPTANCE, NULL, NULL, 0, -1);
	fx_notice(fx, WF_TO_APPLICANT, NULL, WF_EV_REFUSED);
	return 0;
}

static int list_ok(const char *const *v, size_t n, const char *field, struct yerr *err)
{
	size_t i;
	char path[64];

	if (n > WF_MAX_LIST)
		return yerr_set(err, 400, "invalid_input", field, "清单最多%d项", WF_MAX_LIST);
	for (i = 0; i < n; i++) {
		if (blank(v[i])) {
			snprintf(path, sizeof(path), "%s[%zu]", field, i);
			return yerr_set(err, 400, "invalid_input", path, "清单中第%zu项为空",
					i + 1);
		}
	}
	return 0;
}

static int do_supplement(struct wf_app *a, const struct wf_actor *who, const struct wf_request *req,
			 struct wf_effects *fx, struct yerr *err)
{
	(void)who;
	if (need_reason(req, "要求补正", err) != 0)
		return -1;
	if (req->nmaterials + req->nfields == 0)
		return yerr_set(err, 400, "supplement_list_required", "materials",
				"一次性告知：请列出需要补正的全部材料和信息项");
	if (list_ok(req->materials, req->nmaterials, "materials", err) != 0 ||
	    list_ok(req->fields, req->nfields, "fields", err) != 0)
		return -1;
	a->status = APP_SUPPLEMENT_REQUESTED;
	a->rounds++;
	fx->clock = WF_CLOCK_PAUSE;
	fx_task(fx, WF_TASK_CLOSE, WF_TASK_ACCEPTANCE, NULL, NULL, 0, -1);
	fx_task(fx, WF_TASK_CREATE, WF_TASK_SUPPLEMENT, NULL, NULL, 0, -1);
	fx_notice(fx, WF_TO_APPLICANT, NULL, WF_EV_SUPPLEMENT_REQUESTED);
	return 0;
}

static int do_resubmit(struct wf_app *a, const struct wf_actor *who, const struct wf_request *req,
		       struct wf_effects *fx, struct yerr *err)
{
	(void)who, (void)req, (void)err;
	if (a->status == APP_SUPPLEMENT_REQUESTED)
		fx_task(fx, WF_TASK_CLOSE, WF_TASK_SUPPLEMENT, NULL, NULL, 0, -1);
	else
		reset_round(a); /* returned: a new round of review */
	a->status = APP_SUBMITTED;
	fx->clock = WF_CLOCK_RESUME;
	fx_task(fx, WF_TASK_CREATE, WF_TASK_ACCEPTANCE, NULL, NULL, a->acceptance_days, -1);
	fx_notice(fx, WF_TO_WINDOW, NULL, WF_EV_SUBMITTED);
	return 0;
}

static int do_withdraw(struct wf_app *a, const struct wf_actor *who, const struct wf_request *req,
		       struct wf_effects *fx, struct yerr *err)
{
	size_t i;

	(void)who, (void)req, (void)err;
	if (a->status == APP_SUBMITTED)
		fx_notice(fx, WF_TO_WINDOW, NULL, WF_EV_WITHDRAWN);
	if (a->status == APP_UNDER_REVIEW || a->status == APP_INSPECTION) {
		for (i = 0; i < a->ndepts; i++) {
			fx_notice(fx, WF_TO_REVIEWERS, a->depts[i].code, WF_EV_WITHDRAWN);
			if (a->depts[i].inspect != WF_INSPECT_NONE)
				fx_notice(fx, WF_TO_INSPECTORS, a->depts[i].code, WF_EV_WITHDRAWN);
		}
	}
	if (a->status != APP_DRAFT) {
		fx->clock = WF_CLOCK_STOP;
		fx_task(fx, WF_TASK_CLOSE_ALL, WF_TASK_REVIEW, NULL, NULL, 0, -1);
	}
	a->status = APP_WITHDRAWN;
	return 0;
}

/* staff_dept: the department a staff member named in the request; wrong
 * department → 403, one the application does not involve → 404. */
static int staff_dept(struct wf_app *a, const struct wf_actor *who, const struct wf_request *req,
		      struct wf_dept **out, struct yerr *err)
{
	if (blank(req->department))
		return yerr_set(err, 400, "invalid_input", "department", "缺少部门");
	if (who->department == NULL || strcmp(who->department, req->department) != 0)
		return yerr_set(err, 403, "wrong_department", "department",
				"只能处理本部门（%s）的事项",
				who->department && *who->department ? who->department : "无");
	*out = dept_find(a, req->department);
	if (*out == NULL)
		return yerr_set(err, 404, "unknown_department", "department",
				"本申请不涉及部门 %s 的许可事项", req->department);
	return 0;
}

static int do_review(struct wf_app *a, const struct wf_actor *who, const struct wf_request *req,
		     struct wf_effects *fx, struct yerr *err)
{
	struct wf_dept *d;
	enum wf_review r;

	if (staff_dept(a, who, req, &d, err) != 0)
		return -1;
	if (d->review != WF_REVIEW_PENDING)
		return yerr_set(err, 409, "already_decided", "department",
				"本部门已作出审查决定（%s）", workflow_review_name(d->review));
	if (req->decision != NULL && strcmp(req->decision, "approve") == 0)
		r = WF_REVIEW_APPROVED;
	else if (req->decision != NULL && strcmp(req->decision, "reject") == 0)
		r = WF_REVIEW_REJECTED;
	else if (req->decision != NULL && strcmp(req->decision, "send_back") == 0)
		r = WF_REVIEW_SENT_BACK;
	else
		return yerr_set(err, 400, "invalid_decision", "decision",
				"审查决定只能是 approve（准予）、reject（不予许可）或 "
				"send_back（退回）");
	if (r != WF_REVIEW_APPROVED &&
	    need_reason(req, r == WF_REVIEW_REJECTED ? "不予许可" : "退回", err) != 0)
		return -1;
	d->review = r;
	fx_task(fx, WF_TASK_CLOSE, WF_TASK_REVIEW, d->code, NULL, 0, -1);
	settle(a, fx);
	return 0;
}

static int parse_day(const char *s, const char *field, int *out, struct yerr *err)
{
	if (s == NULL || date_parse(s, strlen(s), out) != 0)
		return yerr_set(err, 400, "invalid_date", field,
				"日期格式应为 YYYY-MM-DD，且为真实日期");
	return 0;
}

static int do_schedule(struct wf_app *a, const struct wf_actor *who, const struct wf_request *req,
		       struct wf_effects *fx, struct yerr *err)
{
	size_t i, j;
	int at;
	bool any = false;

	for (i = 0; i < a->ndepts; i++)
		any |= a->depts[i].inspect != WF_INSPECT_NONE;
	if (!any)
		return yerr_set(err, 409, "inspection_not_needed", NULL,
				"本申请的许可事项均无需现场核查");
	if (who->department == NULL || dept_find(a, who->department) == NULL ||
	    dept_find(a, who->department)->inspect == WF_INSPECT_NONE)
		return yerr_set(err, 403, "wrong_department", NULL,
				"只有需要现场核查的部门的检查人员可以安排核查");
	if (parse_day(req->at, "at", &at, err) != 0)
		return -1;
	if (at < req->today)
		return yerr_set(err, 400, "invalid_date", "at", "核查日期不能早于今天");
	if (list_ok(req->inspector_departments, req->ninspectors, "inspectors", err) != 0)
		return -1;
	/* 一同核查: one appointment that every department needing an
	 * inspection attends with at least one inspector of its own. */
	for (i = 0; i < a->ndepts; i++) {
		bool present = false;

		if (a->depts[i].inspect == WF_INSPECT_NONE)
			continue;
		for (j = 0; j < req->ninspectors && !present; j++)
			present = strcmp(req->inspector_departments[j], a->depts[i].code) == 0;
		if (!present)
			return yerr_set(err, 400, "inspectors_required", "inspectors",
					"联合核查须有部门 %s 的检查人员参加", a->depts[i].code);
	}
	for (j = 0; j < req->ninspectors; j++) {
		const struct wf_dept *d = dept_find(a, req->inspector_departments[j]);

		if (d == NULL || d->inspect == WF_INSPECT_NONE) {
			char path[64];

			snprintf(path, sizeof(path), "inspectors[%zu]", j);
			return yerr_set(err, 400, "inspectors_required", path,
					"部门 %s 不参加本次核查", req->inspector_departments[j]);
		}
	}
	a->status = APP_INSPECTION;
	a->inspection_scheduled = true;
	fx->inspection_day = at;
	for (i = 0; i < a->ndepts; i++) {
		if (a->depts[i].inspect == WF_INSPECT_NONE)
			continue;
		fx_task(fx, WF_TASK_DUE, WF_TASK_INSPECTION, a->depts[i].code, NULL, 0, at);
		fx_notice(fx, WF_TO_INSPECTORS, a->depts[i].code, WF_EV_INSPECTION_SCHEDULED);
	}
	fx_notice(fx, WF_TO_APPLICANT, NULL, WF_EV_INSPECTION_SCHEDULED);
	return 0;
}

static int do_inspection(struct wf_app *a, const struct wf_actor *who, const struct wf_request *req,
			 struct wf_effects *fx, struct yerr *err)
{
	struct wf_dept *d;
	int due;

	if (staff_dept(a, who, req, &d, err) != 0)
		return -1;
	if (d->inspect == WF_INSPECT_NONE)
		return yerr_set(err, 409, "inspection_not_needed", "department",
				"部门 %s 的许可事项无需现场核查", d->code);
	if (d->inspect == WF_INSPECT_PASS || d->inspect == WF_INSPECT_FAIL)
		return yerr_set(err, 409, "already_decided", "department",
				"本部门已录入核查结论（%s）", workflow_inspect_name(d->inspect));
	if (req->result != NULL && strcmp(req->result, "pass") == 0) {
		d->inspect = WF_INSPECT_PASS;
		fx_task(fx, WF_TASK_CLOSE, WF_TASK_INSPECTION, d->code, NULL, 0, -1);
	} else if (req->result != NULL && strcmp(req->result, "rectify") == 0) {
		if (need_reason(req, "责令整改", err) != 0 ||
		    parse_day(req->deadline, "deadline", &due, err) != 0)
			return -1;
		if (due <= req->today)
			return yerr_set(err, 400, "invalid_date", "deadline",
					"整改期限必须晚于今天");
		d->inspect = WF_INSPECT_RECTIFY;
		d->rectify_due = due;
		fx_task(fx, WF_TASK_DUE, WF_TASK_INSPECTION, d->code, NULL, 0, due);
		fx_notice(fx, WF_TO_APPLICANT, NULL, WF_EV_RECTIFY);
	} else if (req->result != NULL && strcmp(req->result, "fail") == 0) {
		if (need_reason(req, "核查不通过", err) != 0)
			return -1;
		/* A failed inspection is that department's rejection. */
		d->inspect = WF_INSPECT_FAIL;
		d->review = WF_REVIEW_REJECTED;
	} else {
		return yerr_set(
		    err, 400, "invalid_result", "result",
		    "核查结论只能是 pass（通过）、rectify（限期整改）或 fail（不通过）");
	}
	settle(a, fx);
	return 0;
}

/* do_issue: the issuer issued the license (h_licenses.c writes it in the
 * same transaction). The clock stopped at approval and the 核查 tasks of
 * 告知承诺 stay open: verification follows the license, it does not precede
 * it. The applicant's notification names the license, so the handler writes
 * it (the license number is not known here). */
static int do_issue(struct wf_app *a, const struct wf_actor *who, const struct wf_request *req,
		    struct wf_effects *fx, struct yerr *err)
{
	(void)who, (void)req, (void)fx, (void)err;
	a->status = APP_LICENSED;
	return 0;
}

/* actor_allowed: 403 for a role the row does not list, 404 for an applicant
 * acting on someone else's application (indistinguishable from a missing one). */
static int actor_allowed(const struct wf_rule *rule, const struct wf_actor *who, struct yerr *err)
{
	unsigned staff = who->roles & rule->roles & ~R_APPLICANT;

	if ((who->roles & rule->roles) == 0)
		return yerr_set(err, 403, "forbidden", NULL, "当前角色无权%s", rule->verb);
	if (staff == 0 && !who->owner)
		return yerr_set(err, 404, "not_found", NULL, "申请不存在");
	return 0;
}

int workflow_apply(const struct wf_app *app, const struct wf_actor *actor,
		   const struct wf_request *req, struct wf_app *next, struct wf_effects *fx,
		   struct yerr *err)
{
	const struct wf_rule *rule;
	struct wf_app work;

	if (app == NULL || actor == NULL || req == NULL || next == NULL || fx == NULL ||
	    (unsigned)req->action >= WF_ACTION_COUNT || (unsigned)app->status >= APP_STATUS_COUNT)
		return yerr_set(err, 400, "invalid_input", NULL, "无效的操作");
	rule = &wf_rules[req->action];
	if (actor_allowed(rule, actor, err) != 0)
		return -1;
	if ((rule->from & S(app->status)) == 0)
		return yerr_set(err, 409, "invalid_state", "status",
				"申请当前状态为“%s”（%s），不能%s", wf_statuses[app->status].label,
				wf_statuses[app->status].name, rule->verb);
	memset(fx, 0, sizeof(*fx));
	work = *app;
	fx->from = app->status;
	fx->inspection_day = -1;
	if (rule->fn(&work, actor, req, fx, err) != 0)
		return -1;
	fx->to = work.status;
	*next = work;
	return 0;
}

int workflow_init(struct wf_app *app, const struct guide_result *g, const char *const *committed,
		  size_t ncommitted, const struct wf_period *periods, size_t nperiods,
		  long default_verify_days, long acceptance_days, struct yerr *err)
{
	size_t i, j, k, total = 0, done = 0;

	memset(app, 0, sizeof(*app));
	app->status = APP_DRAFT;
	app->acceptance_days = acceptance_days;
	if (g->npermits > WF_MAX_PERMITS)
		return yerr_set(err, 422, "too_many_permits", NULL, "许可事项过多");
	/* Nobody would ever review it: an application needs at least one permit. */
	if (g->npermits == 0)
		return yerr_set(err, 400, "no_permits", "answers",
				"根据回答，本行业无需办理许可事项，无需提交申请");
	for (i = 0; i < ncommitted; i++) {
		bool offered = false;

		for (j = 0; j < g->ncommitments && !offered; j++)
			offered = committed[i] != NULL &&
				  strcmp(g->commitments[j].condition->id, committed[i]) == 0;
		if (!offered) {
			char path[48];

			snprintf(path, sizeof(path), "commitments[%zu]", i);
			return yerr_set(err, 400, "invalid_commitment", path,
					"条件 %s 不能以告知承诺方式办理",
					committed[i] ? committed[i] : "null");
		}
	}
	for (i = 0; i < g->npermits; i++) {
		const struct catalog_permit *p = g->permits[i].permit;
		struct wf_permit *wp = &app->permits[app->npermits++];
		struct wf_dept *d = dept_find(app, p->department);

		snprintf(wp->code, sizeof(wp->code), "%s", p->code);
		snprintf(wp->department, sizeof(wp->department), "%s", p->department);
		wp->verify_days = default_verify_days;
		for (k = 0; k < nperiods; k++)
			if (strcmp(periods[k].permit, p->code) == 0)
				wp->verify_days = periods[k].days;
		for (j = 0; j < p->nconditions; j++)
			for (k = 0; k < ncommitted; k++)
				if (committed[k] != NULL &&
				    strcmp(committed[k], p->conditions[j].id) == 0) {
					wp->committed++;
					break;
				}
		total += p->nconditions;
		done += wp->committed;
		if (d == NULL) {
			if (app->ndepts >= WF_MAX_DEPTS)
				return yerr_set(err, 422, "too_many_permits", NULL, "涉及部门过多");
			d = &app->depts[app->ndepts++];
			snprintf(d->code, sizeof(d->code), "%s", p->department);
			d->review = WF_REVIEW_PENDING;
			d->inspect = WF_INSPECT_NONE;
		}
		if (p->committed_days > d->review_days)
			d->review_days = p->committed_days;
		/* An inspection checks the conditions nobody committed to. */
		if (p->inspection && wp->committed < p->nconditions)
			d->inspect = WF_INSPECT_PENDING;
	}
	app->all_committed = total > 0 && done == total;
	return 0;
}

static bool permit_of(const struct guide_result *g, const char *code, const char *department)
{
	size_t i;

	for (i = 0; i < g->npermits; i++)
		if (strcmp(g->permits[i].permit->code, code) == 0)
			return department == NULL ||
			       strcmp(g->permits[i].permit->department, department) == 0;
	return false;
}

static bool permit_lists_field(const struct catalog_permit *p, const char *field)
{
	size_t k;

	for (k = 0; k < p->nfields; k++)
		if (strcmp(p->fields[k], field) == 0)
			return true;
	return false;
}

size_t workflow_department_view(const struct guide_result *g, const char *department,
				bool *visible_materials, bool *visible_fields)
{
	size_t i, j, mine = 0;

	for (i = 0; i < g->nmaterials; i++)
		visible_materials[i] = false;
	for (i = 0; i < g->nfields; i++)
		visible_fields[i] = false;
	for (i = 0; department != NULL && i < g->npermits; i++)
		mine += strcmp(g->permits[i].permit->department, department) == 0;
	if (mine == 0)
		return 0;
	for (i = 0; i < g->nmaterials; i++) {
		const struct guide_material *m = &g->materials[i];
		bool any = false, own = false;

		for (j = 0; j < m->nrequired_by; j++) {
			any |= permit_of(g, m->required_by[j], NULL);
			own |= permit_of(g, m->required_by[j], department);
		}
		visible_materials[i] = own || !any;
	}
	for (i = 0; i < g->nfields; i++) {
		bool any = false, own = false;

		for (j = 0; j < g->npermits; j++) {
			const struct catalog_permit *p = g->permits[j].permit;

			if (!permit_lists_field(p, g->fields[i]->id))
				continue;
			any = true;
			own |= strcmp(p->department, department) == 0;
		}
		visible_fields[i] = own || !any;
	}
	return mine;
}
