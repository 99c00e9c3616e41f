#ifndef YIYE_CORE_WORKFLOW_H
#define YIYE_CORE_WORKFLOW_H
/*
 * workflow.h — the application's state machine (一口受理 → 一并审批).
 *
 * The store keeps an application as a row plus per-department review and
 * inspection rows; the handler loads them into a struct wf_app, asks
 * workflow_apply what an action does, and writes back the new state and the
 * side effects (tasks, clock, notifications, history) in one transaction.
 * Nothing here touches a socket, a file or SQL, so every transition and
 * every refusal is unit-tested on plain structs (tests/unit/test_workflow.c).
 *
 * Transition table (the `wf_rules` table in workflow.c is this table; [..]
 * is what the request must carry):
 *
 *   action              from                       who                       to
 *   ------------------  -------------------------  ------------------------  -----------------
 *   precheck, edit      draft,                     applicant (owner),        (unchanged)
 *   (form, materials,   supplement_requested,      window_clerk
 *   commitments)        returned
 *   submit              draft                      applicant (owner),        submitted
 *                                                  window_clerk (walk-in)
 *   accept              submitted                  window_clerk              under_review; or
 *                                                                            approved (告知承诺)
 *   refuse              submitted                  window_clerk              refused [reason]
 *   request_supplement  submitted                  window_clerk              supplement_requested
 *                                                                            [reason, list]
 *   resubmit            supplement_requested,      applicant (owner),        submitted
 *                       returned                   window_clerk
 *   withdraw            draft, submitted,          applicant (owner)         withdrawn
 *                       supplement_requested,
 *                       under_review, inspection,
 *                       returned
 *   review              under_review, inspection   reviewer of the           see aggregation
 *                                                  department                [reason unless
 *                                                                            approve]
 *   schedule_inspection under_review               inspector of a            inspection
 *                                                  department needing one    [at, inspectors]
 *   inspection_result   inspection                 inspector of the          see aggregation
 *                                                  department                [reason unless
 *                                                                            pass; deadline]
 *   issue               approved                   issuer                    licensed
 *
 * Aggregation after every review or inspection result, in this order:
 *   any department rejected (a failed inspection counts as a rejection) → rejected;
 *   any department sent back → returned;
 *   every department approved and every needed inspection passed → approved;
 *   an inspection is scheduled and some needed inspection has not passed → inspection;
 *   otherwise → under_review.
 * A decision, once made, is final for its round: a department that has decided
 * answers 409 already_decided (two reviewers deciding at once: the second one
 * loses cleanly, the store's version check makes that race-free). An inspection
 * section marked rectify stays open until a later pass or fail.
 *
 * 告知承诺: a department needs an on-site inspection when one of its permits
 * needs one and not every condition of that permit is committed. When every
 * condition of every permit is committed, acceptance approves at once; on
 * every approval a verification task (核查) is created for each permit with a
 * committed condition, due within that permit's verification period.
 *
 * Clock: starts at the first submission, pauses while the application waits
 * for the applicant (supplement_requested, returned), resumes on resubmission,
 * stops at a decision (approved, rejected, refused) or withdrawal.
 *
 * Refusals (struct yerr): 403 forbidden (role), 404 not_found (an applicant's
 * other application: the same answer as a missing one), 409 invalid_state
 * (message names the current state), 403 wrong_department, 404
 * unknown_department, 409 already_decided, 409 inspection_not_needed, 400
 * reason_required (field "reason"), 400 supplement_list_required (field
 * "materials"), 400 invalid_decision / invalid_result (field "decision" /
 * "result"), 400 invalid_date (field "at" / "deadline"), 400
 * inspectors_required (field "inspectors", names the department without one),
 * 400 invalid_input (over-long lists).
 *
 * The license issue adds `licensed` after `withdrawn`: statuses are looked up
 * by table, so a new status is one enum value, one row in wf_statuses and one
 * rule.
 */
#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "core/guide.h"

enum app_status {
	APP_DRAFT,
	APP_SUBMITTED,
	APP_SUPPLEMENT_REQUESTED,
	APP_REFUSED,
	APP_UNDER_REVIEW,
	APP_INSPECTION,
	APP_APPROVED,
	APP_REJECTED,
	APP_RETURNED,
	APP_WITHDRAWN,
	APP_LICENSED, /* issue 12: the license was issued (h_licenses.c) */
	APP_STATUS_COUNT
};

enum wf_action {
	WF_PRECHECK,
	WF_EDIT, /* PATCH the form, PUT a material, POST commitments */
	WF_SUBMIT,
	WF_ACCEPT,
	WF_REFUSE,
	WF_REQUEST_SUPPLEMENT,
	WF_RESUBMIT,
	WF_WITHDRAW,
	WF_REVIEW,
	WF_SCHEDULE_INSPECTION,
	WF_INSPECTION_RESULT,
	WF_ISSUE, /* issue 12: POST /applications/{id}/license */
	WF_ACTION_COUNT
};

enum wf_review { WF_REVIEW_PENDING, WF_REVIEW_APPROVED, WF_REVIEW_REJECTED, WF_REVIEW_SENT_BACK };

enum wf_inspect {
	WF_INSPECT_NONE, /* this department needs no inspection */
	WF_INSPECT_PENDING,
	WF_INSPECT_PASS,
	WF_INSPECT_RECTIFY,
	WF_INSPECT_FAIL
};

#define WF_MAX_DEPTS 16
#define WF_MAX_PERMITS 32
#define WF_CODE_MAX 32
#define WF_MAX_LIST 256 /* supplement list entries, inspectors */

struct wf_dept {
	char code[WF_CODE_MAX];
	long review_days; /* committed working days of its review: max over its permits */
	enum wf_review review;
	enum wf_inspect inspect;
	int rectify_due; /* day number of the rectification deadline (inspect == RECTIFY) */
};

struct wf_permit {
	char code[WF_CODE_MAX];
	char department[WF_CODE_MAX];
	size_t committed; /* conditions the applicant committed to */
	long verify_days; /* verification period (working days) when committed > 0 */
};

/* What the machine needs to know about one application. */
struct wf_app {
	enum app_status status;
	struct wf_dept depts[WF_MAX_DEPTS]; /* in the notice's permit order */
	size_t ndepts;
	struct wf_permit permits[WF_MAX_PERMITS];
	size_t npermits;
	bool all_committed; /* every condition of every permit committed: 告知承诺 path */
	bool inspection_scheduled; /* the joint appointment of this round exists */
	long acceptance_days;      /* working days the window has to decide (configuration) */
	int rounds;                /* supplement rounds so far */
};

/* Who acts. roles is a ROLE_BIT set (core/roles.h); owner says whether an
 * applicant acts on their own application (the store knows). */
struct wf_actor {
	unsigned roles;
	const char *department; /* staff; "" or NULL for none */
	bool owner;
};

struct wf_request {
	enum wf_action action;
	int today;                    /* day number (date.h) */
	const char *reason;           /* refuse, request_supplement, review, inspection_result */
	const char *department;       /* review, inspection_result: {department} of the path */
	const char *decision;         /* review: "approve" | "reject" | "send_back" */
	const char *result;           /* inspection_result: "pass" | "rectify" | "fail" */
	const char *deadline;         /* inspection_result rectify: "YYYY-MM-DD" */
	const char *at;               /* schedule_inspection: "YYYY-MM-DD" */
	const char *const *materials; /* request_supplement */
	size_t nmaterials;
	const char *const *fields;
	size_t nfields;
	const char *const *inspector_departments; /* schedule_inspection: each inspector's dept */
	size_t ninspectors;
};

enum wf_task_kind {
	WF_TASK_ACCEPTANCE,   /* the window decides on a submission */
	WF_TASK_SUPPLEMENT,   /* the applicant supplies what was asked */
	WF_TASK_REVIEW,       /* one per department */
	WF_TASK_INSPECTION,   /* one per department needing an inspection */
	WF_TASK_VERIFICATION, /* 告知承诺 核查, one per permit with commitments */
	WF_TASK_KIND_COUNT
};

enum wf_task_op {
	WF_TASK_CREATE,    /* a new open task */
	WF_TASK_CLOSE,     /* close the open task of (kind, department) */
	WF_TASK_CLOSE_ALL, /* close every open task of the application */
	WF_TASK_DUE        /* move the due date of the open task of (kind, department) */
};

/* A task due is either due_workdays working days after the request's day
 * (due_day < 0), or the day due_day (an appointment, a rectification
 * deadline). */
struct wf_task {
	enum wf_task_op op;
	enum wf_task_kind kind;
	char department[WF_CODE_MAX]; /* "" for the window or the applicant */
	char permit[WF_CODE_MAX];     /* verification tasks */
	long due_workdays;
	int due_day;
};

enum wf_clock { WF_CLOCK_NONE, WF_CLOCK_START, WF_CLOCK_PAUSE, WF_CLOCK_RESUME, WF_CLOCK_STOP };

enum wf_recipient { WF_TO_APPLICANT, WF_TO_WINDOW, WF_TO_REVIEWERS, WF_TO_INSPECTORS };

enum wf_event {
	WF_EV_SUBMITTED,
	WF_EV_SUPPLEMENT_REQUESTED,
	WF_EV_REFUSED,
	WF_EV_NEW_TASK,
	WF_EV_INSPECTION_SCHEDULED,
	WF_EV_RECTIFY,
	WF_EV_DECISION,
	WF_EV_WITHDRAWN,
	WF_EV_COUNT
};

struct wf_notice {
	enum wf_recipient to;
	char department[WF_CODE_MAX]; /* reviewers/inspectors: whose; "" otherwise */
	enum wf_event event;
};

#define WF_MAX_EFFECTS (4 * WF_MAX_DEPTS + WF_MAX_PERMITS + 8)

struct wf_effects {
	enum app_status from, to;
	enum wf_clock clock;
	struct wf_task tasks[WF_MAX_EFFECTS];
	size_t ntasks;
	struct wf_notice notices[WF_MAX_EFFECTS];
	size_t nnotices;
	int inspection_day; /* schedule_inspection: the appointment; -1 otherwise */
};

/*
 * workflow_apply answers what `req` by `actor` does to `app`. On success it
 * returns 0, *next is the application after the action (a copy of app with the
 * status and department states changed) and *fx lists the side effects; on
 * refusal it returns -1 with err set, and *next and *fx are unspecified.
 * app and next may be the same struct. Pure: no clock is read, `req->today`
 * is the day of the action.
 */
int workflow_apply(const struct wf_app *app, const struct wf_actor *actor,
		   const struct wf_request *req, struct wf_app *next, struct wf_effects *fx,
		   struct yerr *err);

/*
 * A verification period per permit. The catalog does not carry one yet, so
 * the caller passes them (docs/applications.md); a permit not listed gets
 * default_days.
 */
struct wf_period {
	const char *permit;
	long days;
};

/*
 * workflow_init builds the draft state of an application from its notice
 * (guide result) and the condition ids the applicant committed to. Every
 * committed id must be a commitment the notice offers (400
 * invalid_commitment, field "commitments[i]"); duplicates are ignored.
 * Departments come in the notice's permit order. Fails with 422
 * too_many_permits when the notice exceeds WF_MAX_PERMITS / WF_MAX_DEPTS, and
 * with 400 no_permits (field "answers") when it has no permit at all.
 */
int workflow_init(struct wf_app *app, const struct guide_result *g, const char *const *committed,
		  size_t ncommitted, const struct wf_period *periods, size_t nperiods,
		  long default_verify_days, long acceptance_days, struct yerr *err);

/*
 * workflow_department_view says what a reviewer or inspector of `department`
 * sees of an application: visible_materials[i] for g->materials[i] and
 * visible_fields[i] for g->fields[i] (arrays the caller sizes to
 * g->nmaterials and g->nfields). A material is visible when one of the
 * department's permits requires it or when no permit does (the industry's
 * own); a field when one of the department's permits lists it or when no
 * permit of the notice does (the industry's own and rule-added fields, which
 * the notice does not tie to a permit). Returns the number of the
 * department's permits; 0 means the application does not involve it (the
 * caller answers 404) and leaves both arrays all false.
 */
size_t workflow_department_view(const struct guide_result *g, const char *department,
				bool *visible_materials, bool *visible_fields);

/* Names as in the API ("under_review") and Chinese labels ("审查中"); NULL out of range. */
const char *workflow_status_name(enum app_status s);
const char *workflow_status_label(enum app_status s);
/* Status by API name; -1 when unknown. */
int workflow_status_parse(const char *name);
/* true for approved, rejected, refused, withdrawn, licensed: nothing more
 * happens to the application's review (approved still awaits its license,
 * which the license module issues, not the review workflow). */
bool workflow_status_final(enum app_status s);
/* Action names as in the API paths ("request-supplement"); NULL out of range. */
const char *workflow_action_name(enum wf_action a);
const char *workflow_task_kind_name(enum wf_task_kind k);
const char *workflow_event_name(enum wf_event e);
const char *workflow_review_name(enum wf_review r);
const char *workflow_inspect_name(enum wf_inspect i);

#endif
