/*
 * store_review.h — SQL of the joint on-site inspection (一同核查) and of the
 * deadline dashboards (issue 11 §8, §9; docs/applications.md). The review
 * decisions themselves are application transitions (store_application.h);
 * what is here is the inspection record of a review round — the
 * appointment, the inspectors who attend, one section per department — and
 * the lists of open tasks by due day.
 *
 * Like every store module: the caller's connection, transaction and
 * district; 0 or a negative STORE_E* code with err filled.
 */
#ifndef YIYE_STORE_REVIEW_H
#define YIYE_STORE_REVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store_application.h"

#define INSPECTION_DEPT_MAX 32

/* One inspector of an appointment (name from users, for the record). */
struct store_inspector {
	int64_t user_id;
	char department[INSPECTION_DEPT_MAX];
	char name[400];
};

/* One department's section: result "" until recorded; items the JSON text
 * of the checklist (before a result: [{"id","text","permit"}], after:
 * each with "result" and "note"). Strings malloc'd. */
struct store_section {
	char department[INSPECTION_DEPT_MAX];
	char result[16];
	char *findings; /* NULL none */
	char *items;
	int rectify_due; /* day number, -1 none */
	int64_t inspector_id, decided_at;
};

struct store_inspection {
	int64_t id, application_id;
	int round;
	int at_day;
	int64_t scheduled_by, created_at;
	struct store_inspector *inspectors;
	size_t ninspectors;
	struct store_section *sections;
	size_t nsections;
};

void store_inspection_free(struct store_inspection *in);

/*
 * store_inspection_create writes the appointment of review round `round`:
 * the inspectors and one section per department (sections[i].department and
 * .items, the checklist to answer; other members ignored). *id receives the
 * inspection's id. 409 inspection_exists when the round has one already.
 */
int store_inspection_create(struct store_conn *c, const char *district, int64_t app_id, int round,
			    int at_day, int64_t scheduled_by,
			    const struct store_inspector *inspectors, size_t ninspectors,
			    const struct store_section *sections, size_t nsections, int64_t now,
			    int64_t *id, struct yerr *err);

/* store_inspection_get loads the record of round `round` (or the latest when
 * round <= 0). 404 inspection_not_found. Free with store_inspection_free. */
int store_inspection_get(struct store_conn *c, const char *district, int64_t app_id, int round,
			 struct store_inspection *out, struct yerr *err);

/* Records one department's result (findings may be NULL, rectify_due -1). */
int store_inspection_section_set(struct store_conn *c, const char *district, int64_t inspection_id,
				 const char *department, const char *result, const char *findings,
				 const char *items, int rectify_due, int64_t inspector_id,
				 int64_t now, struct yerr *err);

/* The active inspectors of one department, by name: who can be appointed.
 * *items malloc'd (free()). */
int store_inspectors_of(struct store_conn *c, const char *district, const char *department,
			struct store_inspector **items, size_t *n, struct yerr *err);

/* Which open tasks a deadline list shows. */
struct store_due_filter {
	const char *department; /* a department's tasks; NULL: the window's (no department) */
	int from_day;           /* due on or after, -1: no bound */
	int to_day;             /* due on or before, -1: no bound */
};

/* Open staff tasks (acceptance, review, inspection, verification) with a due
 * day matching f, earliest due first, paged; *items malloc'd (free()). */
int store_tasks_due(struct store_conn *c, const char *district, const struct store_due_filter *f,
		    long limit, long offset, struct store_task **items, size_t *n, int64_t *total,
		    struct yerr *err);

#endif
