/*
 * applications.h — what the application handlers share (h_applications.c,
 * h_app_flow.c, and the review / inspection / materials handlers built on
 * them): who may see an application, the frozen notice re-derived from its
 * catalog version and answers, the JSON shape, and one function that runs a
 * whole workflow transition, so a transition handler only reads its input.
 * Shapes: docs/api-applications.md.
 */
#ifndef YIYE_HTTP_APPLICATIONS_H
#define YIYE_HTTP_APPLICATIONS_H

#include <stdbool.h>

#include "core/guide.h"
#include "core/workflow.h"
#include "http/args.h"
#include "http/handlers.h"
#include "store/store_application.h"

/* Working days the window has to decide on a submission. Configuration
 * rather than catalog (docs/applications.md); 行政许可法 第三十二条 gives the
 * window five days to tell an applicant everything to supplement. */
#define APP_ACCEPTANCE_DAYS 5
/* Verification period (核查) after a 告知承诺 approval when the catalog sets
 * none for the permit: a modelled value until the catalog carries one. */
#define APP_VERIFY_DAYS_DEFAULT 20
/* Working days left at which a task counts as near due. */
#define APP_NEAR_DAYS 2

/* The day the server takes as today (YIYE_TODAY in tests, else Shanghai). */
int app_today(const struct req *r);

/* Whether the caller may see a: an applicant their own, a window clerk every
 * submitted one and the drafts they entered, department staff those that
 * involve their department (not drafts), a read token every one. */
bool app_visible(const struct req *r, const struct store_app *a);

/* The caller as the workflow sees them (owner: the applicant of a). */
void app_actor(const struct req *r, const struct store_app *a, struct wf_actor *actor);

/*
 * app_load reads application {id} of the path into *a (lock: FOR UPDATE,
 * inside a transaction) and answers 404 application_not_found for a missing
 * id or one the caller may not see. Returns 0, or -1 with the reply sent
 * (the caller releases c and returns). *id receives the id.
 */
int app_load(struct req *r, struct store_conn *c, bool lock, int64_t *id, struct store_app *a);

/* The notice of an application, re-derived from its frozen catalog version
 * and answers (the active catalog when it is that version, otherwise that
 * version's document from the store, parsed for this request). */
struct app_notice {
	const struct catalog *cat;
	struct catalog *owned; /* a version other than the active one */
	bool locked;           /* holds r->app->catalog_lock */
	struct guide_result g;
	bool have_g;
};

/* Opens the notice of a (c: a connection, used only for another version);
 * -1 with e set on failure (no reply). app_notice_close always. */
int app_notice_open(struct req *r, struct store_conn *c, const struct store_app *a,
		    struct app_notice *n, struct yerr *e);
void app_notice_close(struct req *r, struct app_notice *n);

/* Replies with a workflow or store refusal; 409 invalid_state also carries
 * "status": the current state. */
void app_reply_err(struct req *r, const struct yerr *e, const struct store_app *a);

/*
 * app_json is the API shape of an application; full adds the frozen notice,
 * the form, the departments, the permits, the timeline, the tasks and the
 * uploaded materials (it reads the store through c). today for the due date.
 */
json_t *app_json(struct req *r, struct store_conn *c, const struct store_app *a, bool full);

/* app_finish ends every change of an application the same way: when rc is
 * 0 it appends the audit entry (detail may be NULL) and commits, then
 * answers `status` with the application (full shape), or the refusal in e
 * (with the current state for invalid_state when a->id is set). It always
 * releases c and frees a. */
void app_finish(struct req *r, struct store_conn *c, struct store_app *a, int rc,
		const char *detail, int status, struct yerr *e);
/* A day number as "YYYY-MM-DD" (null when < 0), a unix time (null when 0),
 * stored JSON text parsed (dflt when it does not parse). */
json_t *app_day_json(int day);
json_t *app_time_json(int64_t t);
json_t *app_text_json(const char *text, const char *dflt);
/* A task as in GET /api/v1/tasks (due date, near-due / overdue). */
json_t *app_task_json(struct req *r, const struct store_task *t);

/*
 * app_transition runs one workflow action on application {id} of the path
 * as the caller: loads it locked, asks workflow_apply, runs hook (may be
 * NULL) on the new state inside the transaction (e.g. to record a
 * department's reason or write the inspection's rows), writes the new state,
 * the history row, the tasks and the notifications (store_app_transition),
 * the audit entry, commits, and answers 200 {"application":…}. reason and
 * department go into the history; detail is the history's and the audit's
 * JSON detail (may be NULL). Replies in every case.
 */
typedef int (*app_hook)(struct req *r, struct store_conn *c, struct store_app *a,
			const struct wf_effects *fx, void *ud, struct yerr *e);
void app_transition(struct req *r, struct wf_request *req, const char *detail, app_hook hook,
		    void *ud);

#endif
