/*
 * reviews.h — what h_reviews.c and h_inspection.c share: one workflow action
 * on an application by a department's staff, as one transaction (load with
 * the row lock, workflow_apply, the action's own rows, the transition, the
 * audit entry), and the answer they give.
 */
#ifndef YIYE_HTTP_REVIEWS_H
#define YIYE_HTTP_REVIEWS_H

#include <jansson.h>

#include "http/args.h"
#include "store/store_review.h"

struct review_action {
	struct wf_request rq; /* action, department, decision/result, reason… (today is set) */
	const char *history;  /* history action: "review", "inspection", "inspection-result" */
	/* Optional: runs after the application is loaded (row locked) and before
	 * workflow_apply, to complete rq from the store (the inspectors'
	 * departments). */
	int (*prepare)(struct req *r, struct store_conn *c, const struct store_app *a,
		       struct review_action *ra, struct yerr *e);
	/* Optional: runs after workflow_apply accepted the action and before the
	 * transition is written, in the same transaction (the action's own rows:
	 * the department's decision, the inspection record). a->wf is already the
	 * next state. A refusal here (400) rolls everything back. */
	int (*write)(struct req *r, struct store_conn *c, struct store_app *a,
		     const struct wf_effects *fx, void *ctx, struct yerr *e);
	void *ctx;
	json_t *detail; /* history and audit detail; borrowed, may be NULL */
};

/* Runs ra on application id and answers 200 {"application":…} or the
 * error. */
void review_run(struct req *r, int64_t id, struct review_action *ra);

/* The caller as the workflow sees them. */
struct wf_actor review_actor(const struct req *r, const struct store_app *a);

/* Today in Shanghai, as a day number. */
int review_today(void);

/* What the reviews API shows of an application after a decision. */
json_t *review_app_json(const struct store_app *a);

/*
 * review_department_view narrows an application's API object to what a
 * reviewer or inspector of `department` may see (workflow_department_view on
 * the frozen notice): notice.materials and notice.fields, the form's values,
 * the prefilled ids and the uploaded materials of the department's permits
 * plus those no permit of the notice claims; adds "view":{department,
 * materials, fields}. cat (the catalog, read-locked by the caller; may be
 * NULL) says which fields each permit lists. Returns the number of the
 * department's permits in the application: 0 means it is not involved and
 * the caller answers 404 (the object is then left as it was).
 */
size_t review_department_view(json_t *application, const struct catalog *cat,
			      const char *department);

#endif
