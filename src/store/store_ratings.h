/*
 * store_ratings.h — SQL of ratings (好差评), their follow-up tasks (差评整改)
 * and typical cases (典型案例), issue 15 points 2 and 3 (migration
 * 0051_ratings.sql; docs/api-statistics.md "Ratings and typical cases").
 *
 * A rating is given once per completed application (licensed, rejected,
 * refused, withdrawn) by its applicant, on five levels. A rating of level 2
 * (不满意) or 1 (非常不满意) opens one follow-up task per department
 * concerned, due RATING_FOLLOWUP_DAYS working days later; the department
 * records its reply, which the applicant reads with the rating. A typical
 * case is a staff write-up of a completed application, public once
 * published, without any personal data.
 *
 * Like every store module, functions take the caller's connection and
 * district, run inside the caller's transaction (never begin or commit),
 * write no audit entry and return 0 or a negative STORE_E* code with err
 * filled.
 */
#ifndef YIYE_STORE_RATINGS_H
#define YIYE_STORE_RATINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/appno.h"
#include "store/store.h"

/* Field limits, in characters (the UI's maxlength says the same). */
#define RATING_COMMENT_MAX 500
#define RATING_REPLY_MAX 2000
#define CASE_TITLE_MAX 100
#define CASE_SUMMARY_MAX 500
#define CASE_BODY_MAX 10000
/* Levels at or below this open a follow-up task (不满意, 非常不满意). */
#define RATING_BAD_LEVEL 2
/* Working days a department has to reply to a follow-up task, from the day
 * of the rating. A modelled value: the reform text names none, so the
 * district confirms it; it matches the complaint handling limit. */
#define RATING_FOLLOWUP_DAYS 15
#define RATING_DEPTS_MAX 16
#define RATING_DEPT_SIZE 32

/* Whether an application in status (its API name) is completed and may be
 * rated: licensed, rejected, refused, withdrawn (an approved one waits for
 * its license). */
bool rating_app_completed(const char *status);

/* The Chinese label of level 1..5 ("非常满意" for 5), NULL out of range. */
const char *rating_level_label(int level);

/*
 * rating_submit records the rating of application_id by user_id (its
 * applicant) at now, and when level <= RATING_BAD_LEVEL opens the follow-up
 * task of every department concerned (due on the district's working-day
 * calendar, read from the store) and notifies that department's window
 * clerks, reviewers and supervisors. comment may be NULL (none).
 * Departments concerned: for a refused application the department of the
 * window staff who refused it; for a rejected one those whose review
 * rejected it; otherwise every department of the application (and the
 * application's departments whenever the rule finds none).
 * Refusals: 404 application_not_found (missing, or not user_id's), 409
 * application_not_completed, 409 already_rated, 400 invalid_level (field
 * "level"), 400 comment_too_long / invalid_text (field "comment").
 * The history generator calls it as the handler does.
 */
int rating_submit(struct store_conn *c, const char *district, int64_t application_id,
		  int64_t user_id, int level, const char *comment, int64_t now, struct yerr *err);

/* One rating as stored; free with store_rating_free. */
struct store_rating {
	int64_t id, application_id, applicant_id;
	int level;
	char *comment; /* malloc'd, NULL when none */
	int64_t rated_at;
	char rated_on[12];
	char industry[64];
	char app_status[24];
	char departments[RATING_DEPTS_MAX * RATING_DEPT_SIZE]; /* "a,b" */
};

void store_rating_free(struct store_rating *r);

/* The rating of application_id; 404 rating_not_found when it has none. */
int store_rating_get(struct store_conn *c, const char *district, int64_t application_id,
		     struct store_rating *out, struct yerr *err);

/* One follow-up task with what its queue shows of the rating and the
 * application. Strings marked * malloc'd (NULL when none); free with
 * store_followup_free. Days "YYYY-MM-DD", "" when none. */
struct store_followup {
	int64_t id, rating_id, application_id;
	char number[APPNO_SIZE];
	char industry[64];
	char app_status[24];
	char department[RATING_DEPT_SIZE];
	char state[10]; /* open | replied */
	char created_on[12], due_day[12], replied_on[12];
	int64_t created_at, replied_at, replied_by;
	char *reply; /* * */
	int level;
	char *comment; /* * the rating's comment */
	char rated_on[12];
};

void store_followup_free(struct store_followup *f);
void store_followups_free(struct store_followup *items, size_t n);

/* The follow-up tasks of a rating, by department (*items malloc'd). */
int store_followups_of_rating(struct store_conn *c, const char *district, int64_t rating_id,
			      struct store_followup **items, size_t *n, struct yerr *err);

/* A filter of store_followup_list. */
struct store_followup_filter {
	const char *department;      /* NULL: every department */
	const char *state;           /* open | replied, NULL: any */
	const char *open_due_before; /* "YYYY-MM-DD": open and due before it (overdue) */
	int limit, offset;
};

/* Follow-up tasks matching f, open ones first by due day, then the newest
 * replied (*items malloc'd, store_followups_free); *total all that match. */
int store_followup_list(struct store_conn *c, const char *district,
			const struct store_followup_filter *f, struct store_followup **items,
			size_t *n, int64_t *total, struct yerr *err);

/* Follow-up task id (lock: FOR UPDATE on PostgreSQL); 404
 * followup_not_found. */
int store_followup_get(struct store_conn *c, const char *district, int64_t id, bool lock,
		       struct store_followup *out, struct yerr *err);

/* Records the department's reply to follow-up id by actor on day, and
 * notifies the applicant. 409 followup_replied when it has one already. */
int store_followup_reply(struct store_conn *c, const char *district, int64_t id, const char *reply,
			 int64_t actor, const char *day, int64_t now, struct yerr *err);

/* typical cases ------------------------------------------------------------ */

/* One typical case. Strings marked * malloc'd; free with store_case_free. */
struct store_case {
	int64_t id, application_id;
	char number[APPNO_SIZE]; /* staff only: never in a public answer */
	char industry[64];
	char app_status[24];
	char *title, *summary, *body; /* * */
	char status[12];              /* draft | published */
	int64_t created_by, created_at, updated_at, published_at, published_by;
};

void store_case_free(struct store_case *k);
void store_cases_free(struct store_case *items, size_t n);

/* A new draft case on application_id (which must be completed: 409
 * application_not_completed; 404 application_not_found). 409 case_exists
 * when the application has one already. *id out. */
int store_case_insert(struct store_conn *c, const char *district, int64_t application_id,
		      const char *title, const char *summary, const char *body, int64_t actor,
		      int64_t now, int64_t *id, struct yerr *err);

/* Case id; published_only: a draft is 404 too (the public). 404
 * case_not_found. */
int store_case_get(struct store_conn *c, const char *district, int64_t id, bool published_only,
		   struct store_case *out, struct yerr *err);

/* Replaces the write-up of case id (NULL: keep that part). */
int store_case_update(struct store_conn *c, const char *district, int64_t id, const char *title,
		      const char *summary, const char *body, int64_t now, struct yerr *err);

/* Publishes (publish true, by actor) or takes back to draft case id. */
int store_case_publish(struct store_conn *c, const char *district, int64_t id, bool publish,
		       int64_t actor, int64_t now, struct yerr *err);

/* Cases, newest first (published ones by publication); status draft |
 * published ("published" for the public list), NULL: any; industry NULL:
 * any. */
int store_case_list(struct store_conn *c, const char *district, const char *status,
		    const char *industry, int limit, int offset, struct store_case **items,
		    size_t *n, int64_t *total, struct yerr *err);

/* The texts that must not appear in a published case of application_id:
 * its applicant's display name and the values of the form fields that hold
 * names, identity numbers, phone numbers and addresses of persons (see
 * store_ratings.c). *items malloc'd strings (store_strings_free). */
int store_case_personal_texts(struct store_conn *c, const char *district, int64_t application_id,
			      char ***items, size_t *n, struct yerr *err);

#endif
