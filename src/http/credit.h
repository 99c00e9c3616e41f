/*
 * credit.h — what the credit handlers share (h_credit.c, h_penalties.c,
 * h_annual_reports.c, h_verifications.c, credit_jobs.c; issue 13 points
 * 5–8, docs/api-supervision.md "Credit" … "Commitment verification").
 */
#ifndef YIYE_HTTP_CREDIT_H
#define YIYE_HTTP_CREDIT_H

#include <stdbool.h>

#include "app.h"
#include "http/applications.h"
#include "http/args.h"
#include "http/handlers.h"
#include "http/licenses.h"
#include "store/store_credit.h"

/* The uscc of {uscc} in the path, checked as a 统一社会信用代码 (404
 * entity_not_found when it cannot be one). Returns 0 or -1 replied. */
int credit_path_uscc(struct req *r, const char **uscc);

/*
 * credit_may_read: staff with credit.read see every entity; an applicant
 * only their own entity (*own receives its uscc, "" when none): false
 * otherwise (the caller answers 404, as for a thing that does not exist).
 */
bool credit_may_read(struct req *r, struct store_conn *c, const char *uscc, struct yerr *e,
		     int *rc);

/*
 * credit_holder_pick chooses the entity the calling holder acts for
 * (credit_holder_usccs): `want` when given and theirs (else 404
 * entity_not_found), the only one when they have one, 400 uscc_required
 * naming "uscc" when they have several, 409 entity_unknown when none.
 */
int credit_holder_pick(struct req *r, struct store_conn *c, const char *want, char uscc[32],
		       struct yerr *e);

/* The daily credit job for district on today: on 1 July (or later, when it
 * has not run for this year yet) the abnormal listing of last year's
 * missing annual reports, and every day the grade recomputation of
 * entities whose records expired. Claims the day first (one node does it);
 * force runs again. Counts in *listed and *regraded; *ran false when
 * another run had the day. */
struct credit_job_result {
	bool ran;
	int listed, regraded;
};
int credit_job_run(struct store *s, const char *district, int today, bool force,
		   struct credit_job_result *out, struct yerr *e);

#endif
