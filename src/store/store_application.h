/*
 * store_application.h — SQL of applications (issue 11; docs/applications.md).
 *
 * An application is one row (frozen notice, form, workflow state, clock)
 * plus one row per department (struct wf_dept and the decision's reason) and
 * one per permit (struct wf_permit). store_app_get loads all of it into a
 * struct store_app; a change is store_app_transition (or store_app_update for
 * an edit that is no transition): the new state with the workflow's effects
 * applied — the clock, the history row, the tasks, the notifications — in
 * the caller's transaction, guarded by the application's version.
 *
 * Concurrency: every write is `UPDATE … WHERE id = ? AND version = ?`; a
 * writer that lost the race gets 409 stale_version and writes nothing (the
 * caller's transaction rolls back). store_app_get with lock = true also
 * takes the row lock on PostgreSQL (SELECT … FOR UPDATE), so a
 * read-modify-write that cannot name a version (a state transition) waits
 * for the other writer instead of failing. SQLite transactions hold the
 * file's write lock (BEGIN IMMEDIATE) anyway.
 *
 * Tasks (store_task.c) and notifications (store_notification.c) are declared
 * here too: they exist only for applications.
 *
 * Like every store module, functions take the caller's connection and
 * district, never begin or commit, and return 0 or a negative STORE_E* code
 * with err filled.
 */
#ifndef YIYE_STORE_APPLICATION_H
#define YIYE_STORE_APPLICATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/appno.h"
#include "core/calendar.h"
#include "core/deadline.h"
#include "core/roles.h"
#include "core/workflow.h"
#include "store/store.h"

#define APP_INDUSTRY_MAX 64
#define APP_HOLDER_MAX 256

/* What the workflow does not carry about a department's decision. Strings
 * malloc'd (NULL when none). */
struct store_app_dept {
	char *reason;      /* review_reason: reject / send_back */
	char *legal_basis; /* the legal basis given with a refusal */
	int64_t reviewer_id;
	int64_t decided_at;
};

/* One application as stored. The JSON members are text, malloc'd; free with
 * store_app_free. Day numbers are date.h days, -1 when not set. */
#define STORE_NOTICE_KEY_SIZE 65 /* hex SHA-256 and its NUL */

struct store_app {
	int64_t id;
	char number[APPNO_SIZE];
	int year;
	long serial;
	int64_t applicant_id, entity_id, created_by;
	bool walk_in;
	char industry[APP_INDUSTRY_MAX];
	long catalog_version;
	char *answers;                             /* frozen guide answers */
	char *notice;                              /* frozen notice (guide_result_to_json) */
	char notice_key[STORE_NOTICE_KEY_SIZE];    /* its row in application_notices */
	bool notice_stored;                        /* that row exists already */
	char *form;                                /* {field_id: value} */
	char *prefilled;                           /* [field ids filled by 智慧填报] */
	char *commitments;                         /* [condition ids signed] */
	struct wf_app wf;                          /* status, departments, permits, rounds … */
	struct store_app_dept dinfo[WF_MAX_DEPTS]; /* parallel to wf.depts */
	int review_round;                          /* 1 + resubmissions after a return */
	long time_limit_days;                      /* the notice's promised working days */
	int64_t version;                           /* optimistic concurrency */
	bool clock_started;                        /* the first submission happened */
	bool clock_stopped;                        /* a decision or withdrawal stopped it */
	struct deadline_clock clock;
	int due_day;                 /* the application's due day as of the last write */
	char holder[APP_HOLDER_MAX]; /* "applicant", "window", "scjgj,swj", "" */
	int64_t created_at, submitted_at, decided_at, updated_at;
};

void store_app_free(struct store_app *a);

/*
 * The frozen notice is stored once per district, catalog version, industry
 * and answers (0011_notice_store.sql): the notice is a function of these
 * (the catalog version's document never changes once stored), so
 * store_app_notice_key names it by the SHA-256 of them (hex, without
 * building the notice) and store_app_notice_get reads it (*text malloc'd,
 * NULL when that notice was never stored). store_app_insert writes
 * a->notice under a->notice_key unless a->notice_stored.
 */
void store_app_notice_key(const char *district, long catalog_version, const char *industry,
			  const char *answers, char out[STORE_NOTICE_KEY_SIZE]);
int store_app_notice_get(struct store_conn *c, const char *district, const char *key, char **text,
			 struct yerr *err);

/*
 * store_app_insert saves a new application from *a (district's next serial
 * of a->year; id, number, serial, version 1 and the timestamps are filled
 * in). The serial is unique per district and year: callers of one district
 * take turns on it (a named lock on PostgreSQL, the write lock on SQLite),
 * and the unique index guards it anyway.
 */
int store_app_insert(struct store_conn *c, const char *district, struct store_app *a, int64_t now,
		     struct yerr *err);

/*
 * store_app_get loads application id into *out (free with store_app_free).
 * lock: also lock the row until the transaction ends (FOR UPDATE on
 * PostgreSQL). 404 application_not_found.
 */
int store_app_get(struct store_conn *c, const char *district, int64_t id, bool lock,
		  struct store_app *out, struct yerr *err);

/*
 * store_app_update writes back everything of *a that may change (form,
 * prefilled, commitments, status, workflow state, clock, due day, holder,
 * timestamps, department and permit rows) when the stored version is still
 * expected_version; then a->version is the new version. 409 stale_version
 * (field "version") when someone else wrote first.
 */
int store_app_update(struct store_conn *c, const char *district, struct store_app *a,
		     int64_t expected_version, int64_t now, struct yerr *err);

/* One transition for the history (and the notifications' wording). */
struct store_app_event {
	const char *action; /* "submit", "accept", "review", … */
	enum app_status from, to;
	int64_t actor_id;
	const char *actor_name;
	const char *actor_role;
	const char *department; /* may be NULL */
	const char *reason;     /* may be NULL */
	const char *detail;     /* JSON text, may be NULL ("{}") */
};

/*
 * store_app_transition is the one write of a workflow action: *a holds the
 * state workflow_apply answered (a->wf = next); this applies fx's clock
 * operation to a->clock (today, on cal), recomputes the due day and the
 * holder, writes the application guarded by expected_version (409
 * stale_version), appends the history row, creates / closes / re-dates the
 * tasks of fx and writes its notifications. cal must stay valid (the caller
 * holds its lock). Inside the caller's transaction; the caller then writes
 * the audit entry and commits.
 */
int store_app_transition(struct store_conn *c, const char *district, struct store_app *a,
			 int64_t expected_version, const struct wf_effects *fx,
			 const struct store_app_event *ev, const struct calendar *cal, int today,
			 int64_t now, struct yerr *err);

/* The application's due day on `today` (an open pause counts as if it
 * resumed today); -1 before the first submission. */
int store_app_due(const struct store_app *a, const struct calendar *cal, int today);

/* A history row. Strings malloc'd (NULL for none). */
struct store_app_history {
	int seq;
	char *action, *from_status, *to_status, *actor_name, *actor_role, *department, *reason,
	    *detail;
	int64_t actor_id, at;
};

/* Appends one history row (seq = next of the application). */
int store_app_history_add(struct store_conn *c, const char *district, int64_t app_id,
			  const struct store_app_event *ev, int64_t now, struct yerr *err);
/* The whole timeline, oldest first; free with store_app_history_free. */
int store_app_history_list(struct store_conn *c, const char *district, int64_t app_id,
			   struct store_app_history **items, size_t *n, struct yerr *err);
void store_app_history_free(struct store_app_history *items, size_t n);

/* Which applications a list shows. Exactly one scope applies, in this order:
 * applicant_id > 0 (an applicant's own), department (staff of a department:
 * applications that involve it), window (window clerks: every submitted one,
 * i.e. not a draft, plus the drafts they entered themselves: viewer_id),
 * otherwise every application of the district. */
struct store_app_filter {
	int64_t applicant_id;
	const char *department;
	bool window;
	int64_t viewer_id;
	const char *status; /* NULL: any */
};

/* A row of a list. */
struct store_app_summary {
	int64_t id;
	char number[APPNO_SIZE];
	char industry[APP_INDUSTRY_MAX];
	char status[24];
	int64_t version, applicant_id;
	char applicant_name[400];
	bool walk_in;
	int due_day;
	char holder[APP_HOLDER_MAX];
	int64_t created_at, submitted_at, updated_at;
	char kind[16];           /* lic-life: new | change | extend | cancel | reissue */
	char license_number[40]; /* lic-life: the license a lifecycle application is on, "" */
};

/* Newest first, paged; *items malloc'd (free()), *total the count matching. */
int store_app_list(struct store_conn *c, const char *district, const struct store_app_filter *f,
		   long limit, long offset, struct store_app_summary **items, size_t *n,
		   int64_t *total, struct yerr *err);

/*
 * store_app_prefill_sources reads what 智慧填报 may copy for an applicant, in
 * priority order: *entity receives {"F_ent_name":…,"F_uscc":…} of the
 * applicant's market entity (or NULL), *latest the form of their most
 * recently changed other application (or NULL). Both malloc'd JSON text.
 */
int store_app_prefill_sources(struct store_conn *c, const char *district, int64_t applicant_id,
			      int64_t exclude_id, char **entity, char **latest, struct yerr *err);

/* The applicant account of the market entity with code uscc (a walk-in
 * entry names the entity); 404 unknown_entity when none. */
int store_app_applicant_by_uscc(struct store_conn *c, const char *district, const char *uscc,
				int64_t *user_id, struct yerr *err);

/* Material ids uploaded for an application (malloc'd strings in a malloc'd
 * array; free with store_strings_free). */
int store_app_material_ids(struct store_conn *c, const char *district, int64_t app_id, char ***ids,
			   size_t *n, struct yerr *err);
void store_strings_free(char **v, size_t n);

/* tasks (store_task.c) ------------------------------------------------------ */

/* An open or closed task, with what an inbox shows of its application. */
struct store_task {
	int64_t id, application_id;
	char number[APPNO_SIZE];
	char industry[APP_INDUSTRY_MAX];
	char status[24]; /* the application's */
	char kind[16];   /* acceptance supplement review inspection verification */
	char role[16];   /* whose inbox: applicant window_clerk reviewer inspector */
	char department[32];
	char permit[32];
	int64_t assignee_id;
	char state[8]; /* open | closed */
	int due_day;   /* -1 none */
	int64_t created_at, closed_at;
};

/* A new open task (department / permit may be NULL or ""). */
int store_task_create(struct store_conn *c, const char *district, int64_t app_id,
		      enum wf_task_kind kind, const char *department, const char *permit,
		      int64_t assignee_id, int due_day, int64_t now, struct yerr *err);
/* Closes the open tasks of (kind, department); kind < 0: every open task of
 * the application. */
int store_task_close(struct store_conn *c, const char *district, int64_t app_id, int kind,
		     const char *department, int64_t by, int64_t now, struct yerr *err);
/* Moves the due day of the open task of (kind, department). */
int store_task_redate(struct store_conn *c, const char *district, int64_t app_id,
		      enum wf_task_kind kind, const char *department, int due_day,
		      struct yerr *err);
/*
 * store_tasks_inbox lists p's open tasks, earliest due first: their own
 * (assignee), and for each staff role they hold those of their department
 * (a window task has no department: every window clerk of the district).
 * kind NULL: any. Paged; *items malloc'd (free()).
 */
int store_tasks_inbox(struct store_conn *c, const char *district, const struct principal *p,
		      const char *kind, long limit, long offset, struct store_task **items,
		      size_t *n, int64_t *total, struct yerr *err);
/* The columns a struct store_task is read from, in the order
 * store_tasks_from_result reads them (t: tasks, a: its applications row). */
#define STORE_TASK_COLS                                                            \
	"t.id, t.application_id, a.number, a.industry, a.status, t.kind, t.role, " \
	"t.department, t.permit, t.assignee_id, t.state, t.due_day, t.created_at, t.closed_at"
/* Decodes every row of a SELECT STORE_TASK_COLS … into *items (malloc'd,
 * free()); *n rows. */
void store_tasks_from_result(const struct store_result *res, struct store_task **items, size_t *n);
/* Every task of one application, oldest first (the tracking page). */
int store_tasks_of_app(struct store_conn *c, const char *district, int64_t app_id,
		       struct store_task **items, size_t *n, struct yerr *err);

/* notifications (store_notification.c) -------------------------------------- */

struct store_notification {
	int64_t id, application_id;
	char event[32];
	char *title, *link; /* malloc'd */
	int64_t created_at, read_at;
};

/* One notification to a person. */
int store_notify_user(struct store_conn *c, const char *district, int64_t user_id, int64_t app_id,
		      const char *event, const char *title, const char *link, int64_t now,
		      struct yerr *err);
/* One notification to everyone holding role in department (NULL: any
 * department of the district), one row each. */
int store_notify_role(struct store_conn *c, const char *district, const char *role,
		      const char *department, int64_t app_id, const char *event, const char *title,
		      const char *link, int64_t now, struct yerr *err);
/* A user's notifications, newest first; *unread the count of unread ones. */
int store_notifications_list(struct store_conn *c, const char *district, int64_t user_id,
			     bool unread_only, long limit, long offset,
			     struct store_notification **items, size_t *n, int64_t *total,
			     int64_t *unread, struct yerr *err);
void store_notifications_free(struct store_notification *items, size_t n);
/* Marks one of the user's notifications read (idempotent); 404
 * notification_not_found for another user's or a missing one. */
int store_notification_read(struct store_conn *c, const char *district, int64_t user_id, int64_t id,
			    int64_t now, struct yerr *err);
/* Marks every unread notification of the user read (全部已读); *marked is
 * how many were unread. Idempotent: 0 when none is left. */
int store_notifications_read_all(struct store_conn *c, const char *district, int64_t user_id,
				 int64_t now, int64_t *marked, struct yerr *err);

/* day numbers as stored ('YYYY-MM-DD' text, NULL for none) */
void store_day_text(int day, char out[16]);
int store_day_parse(const char *text);

#endif
