/*
 * store_complaint.h — SQL of complaints and reports (投诉举报, issue 13;
 * migration 0033_complaints_risk.sql; docs/api-supervision.md "Complaints").
 *
 * A complaint is filed by anyone through the public form, routed to the
 * departments that supervise its matter for the entity's industry (the
 * handler reads them from the catalog), handled by a supervisor of one of
 * them (accept, transfer, close with an outcome) and looked up by its
 * reporter with the ticket and the secret told at filing.
 *
 * Like every store module, functions take the caller's connection and
 * district, run inside the caller's transaction (never begin or commit),
 * write no audit entry and return 0 or a negative STORE_E* code with err
 * filled.
 */
#ifndef YIYE_STORE_COMPLAINT_H
#define YIYE_STORE_COMPLAINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/license.h"
#include "store/store.h"

/* Field limits, in characters (the public form's maxlength says the same). */
#define COMPLAINT_DESCRIPTION_MIN 5
#define COMPLAINT_DESCRIPTION_MAX 2000
#define COMPLAINT_CONTACT_MAX 100
#define COMPLAINT_MATTER_MAX 100
#define COMPLAINT_REPLY_MAX 2000
#define COMPLAINT_NOTE_MAX 500
/* Departments one complaint is routed to at most. */
#define COMPLAINT_DEPTS_MAX 8
#define COMPLAINT_TICKET_SIZE 24
#define COMPLAINT_DEPT_SIZE 32

/* One complaint as stored. Strings marked * are malloc'd (NULL when SQL
 * NULL); free with store_complaint_free. Days "YYYY-MM-DD", "" when none. */
struct store_complaint {
	int64_t id;
	char ticket[COMPLAINT_TICKET_SIZE];
	char key_hash[65];
	char uscc[19];
	char *entity_name; /* * */
	char license_number[LICENSE_NUMBER_SIZE];
	char industry[64];
	char *matter;      /* * */
	char *description; /* * */
	char *contact;     /* * NULL when none given */
	char status[12];   /* received | accepted | closed */
	char outcome[20];  /* "" until closed */
	char *reply;       /* * */
	char filed_on[12], due_day[12], closed_on[12];
	int64_t created_at, accepted_at, accepted_by, closed_at, closed_by;
	char closed_department[COMPLAINT_DEPT_SIZE];
	/* the departments it is routed to now (active rows) */
	char depts[COMPLAINT_DEPTS_MAX][COMPLAINT_DEPT_SIZE];
	size_t ndepts;
};

void store_complaint_free(struct store_complaint *cp);
void store_complaints_free(struct store_complaint *items, size_t n);

/*
 * store_complaint_rate counts one filing from subject (the client address)
 * in the current window of window_sec seconds. When the count passes max,
 * *retry_after receives the seconds until the window ends (>= 1) and the
 * caller refuses (429) and rolls back, so a refused attempt is not counted;
 * otherwise *retry_after is 0.
 */
int store_complaint_rate(struct store_conn *c, const char *district, const char *subject,
			 int64_t now, int window_sec, int max, int64_t *retry_after,
			 struct yerr *err);
/* Removes the counters whose window is over. Run on its own (not in the
 * filing's transaction), so the rows of other addresses are never held
 * locked while a filing commits. */
int store_complaint_rate_prune(struct store_conn *c, const char *district, int64_t now,
			       int window_sec, struct yerr *err);

/* What store_complaint_insert writes. */
struct store_complaint_new {
	const char *ticket, *key_hash;
	const char *uscc, *entity_name, *license_number, *industry;
	const char *matter, *description, *contact; /* contact may be NULL */
	const char *filed_on, *due_day;
	const char *const *depts; /* where it is routed, 1..COMPLAINT_DEPTS_MAX */
	size_t ndepts;
};

/* Saves a new complaint with its routing (*id out). 409 conflict when the
 * ticket exists (a random ticket repeated: the caller draws another). */
int store_complaint_insert(struct store_conn *c, const char *district,
			   const struct store_complaint_new *in, int64_t now, int64_t *id,
			   struct yerr *err);

/* Loads the complaint with ticket (lock: FOR UPDATE on PostgreSQL). 404
 * complaint_not_found. */
int store_complaint_get(struct store_conn *c, const char *district, const char *ticket, bool lock,
			struct store_complaint *out, struct yerr *err);

/* A filter of store_complaint_list. */
struct store_complaint_filter {
	const char *department;      /* routed to it (active row); NULL: every complaint */
	const char *status;          /* NULL: any */
	const char *open_due_before; /* "YYYY-MM-DD": not closed and due before it (overdue) */
	const char *uscc;            /* NULL: any */
	int limit, offset;
};

/* Complaints matching f, newest first (*items malloc'd, free with
 * store_complaints_free); *total all that match. */
int store_complaint_list(struct store_conn *c, const char *district,
			 const struct store_complaint_filter *f, struct store_complaint **items,
			 size_t *n, int64_t *total, struct yerr *err);

/* received -> accepted by actor (a supervisor of a routed department). 409
 * complaint_closed when it is closed; accepting twice is not an error. */
int store_complaint_accept(struct store_conn *c, const char *district, int64_t id, int64_t actor,
			   int64_t now, struct yerr *err);

/* Moves the handling from department `from` to `to` (note: why): from's row
 * becomes inactive, to's is added or reactivated; the status goes back to
 * received. 409 complaint_closed when closed, 409 same_department when to is
 * from. */
int store_complaint_transfer(struct store_conn *c, const char *district, int64_t id,
			     const char *from, const char *to, const char *note, int64_t now,
			     struct yerr *err);

/* Closes it with outcome and reply (told to the reporter) by actor of
 * department on day. 409 complaint_closed when it already is. */
int store_complaint_close(struct store_conn *c, const char *district, int64_t id,
			  const char *outcome, const char *reply, const char *department,
			  int64_t actor, const char *day, int64_t now, struct yerr *err);

/* A licensed entity as the public form finds it. */
struct store_complaint_entity {
	char uscc[19];
	char name[256];
	char license_number[LICENSE_NUMBER_SIZE];
	char industry[64];
	char industry_name[128];
};

/* Licensed entities (a current license that is not cancelled, revoked or
 * superseded) whose license number or credit code is q, or whose name
 * contains q; at most max, by name (*items malloc'd, free()). */
int store_complaint_entities(struct store_conn *c, const char *district, const char *q, int max,
			     struct store_complaint_entity **items, size_t *n, struct yerr *err);

/* The licensed entity holding license number, or with credit code uscc
 * (exactly one of them non-NULL); 404 entity_not_licensed. */
int store_complaint_entity_get(struct store_conn *c, const char *district, const char *number,
			       const char *uscc, struct store_complaint_entity *out,
			       struct yerr *err);

#endif
