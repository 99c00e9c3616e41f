/*
 * reviews.h — what h_reviews.c and h_inspection.c share.
 */
#ifndef YIYE_HTTP_REVIEWS_H
#define YIYE_HTTP_REVIEWS_H

#include "store/store_application.h"

/*
 * review_record writes who decided for `department` of a and why into its
 * dinfo entry (written by the transition): the reason (may be NULL), the
 * caller, the time `now`, and the legal basis — the legal_basis of the
 * department's permits as frozen in the notice, joined by "；".
 */
void review_record(struct store_app *a, const char *department, const char *reason,
		   int64_t reviewer_id, int64_t now);

#endif
