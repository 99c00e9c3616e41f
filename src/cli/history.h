/*
 * history.h — `yiye demo history`: a reproducible processing history made by
 * driving the real route handlers in-process on a simulated clock
 * (app->sim_now). Nothing is inserted behind the workflow's back: every step
 * is the request a person would make, checked against the route's permission
 * and answered by its handler; a step the rules refuse is counted, not forced.
 *
 * history.c runs the command and the event queue, history_app.c the
 * applications (submission to license, changes, cancellations, ratings),
 * history_sup.c supervision (plans, draws, results, penalties, annual
 * reports), history_rate.c ratings (好差评) and their follow-ups, history_call.c the in-process
 * request.
 */
#ifndef YIYE_CLI_HISTORY_H
#define YIYE_CLI_HISTORY_H

#include <jansson.h>
#include <stdint.h>

#include "app.h"
#include "core/roles.h"

/* --applications: at most HIST_APPS_MAX, default HIST_DEFAULT; `init --demo` makes
 * HIST_INIT_DEFAULT (measured: docs/api-statistics.md, "Demo history"). */
#define HIST_APPS_MAX 1000000
#define HIST_INIT_DEFAULT 40
#define HIST_DEFAULT 200

/* One simulated event: at time t, step `kind` of item `idx`. */
struct hist_ev {
	int64_t t;
	uint64_t seq; /* insertion order: ties run first in, first out */
	int kind;
	int idx;
};

/* One application the generator follows (history_app.c). */
struct hist_app {
	int64_t id;         /* 0 until created */
	int64_t license_of; /* change / cancel: the new application's license's origin */
	int industry;       /* index into hist.industries */
	int kind;           /* HIST_NEW, HIST_CHANGE, HIST_CANCEL */
	int walk_in;
	int supplements;  /* 补正 rounds still to ask for */
	int fate;         /* HIST_FATE_* chosen up front */
	int inspect_fate; /* 0 pass, 1 rectify then pass, 2 fail */
	int late;         /* reviews take longer than committed */
	char applicant[PRINCIPAL_NAME_MAX];
	char uscc[19];
	char license[40];
	json_t *materials; /* material ids of the notice */
};

struct hist_staff {
	char dept[16];
	struct principal reviewer, inspector, supervisor;
	int has_reviewer, has_inspector, has_supervisor;
};

struct hist {
	struct app *app;
	uint64_t rng;
	/* Supervision draws its own numbers: which entities a draw selects
	 * comes from the draw's secret (unpredictable by design, commit-reveal),
	 * so its consequences must not shift the applications' sequence. */
	uint64_t rng_sup;
	int first_day, last_day; /* the window, day numbers (date.h) */
	int64_t until;           /* no event at or after this time */
	/* the event queue: a binary heap on (t, seq) */
	struct hist_ev *heap;
	size_t nheap, capheap;
	uint64_t seq;
	struct hist_app *apps;
	size_t napps, capapps;
	const char **industries; /* offered industry codes of the active catalog */
	size_t nindustries;
	struct principal admin, clerk, issuer;
	struct hist_staff *staff;
	size_t nstaff;
	long run; /* this run's number in the district (demo_runs), for unique usernames */
	struct hist_followup {
		int64_t id;
		char dept[16];
	} * followups; /* opened by 差评, to be answered */
	size_t nfollowups, capfollowups;
	/* counters for the summary and the tests */
	long calls, refused, failed;
	long n_created, n_supplements, n_accepted, n_refused_window, n_withdrawn, n_rejected,
	    n_inspections, n_licensed, n_changed, n_cancelled, n_rated, n_followups, n_replies,
	    n_handovers, n_plans, n_draws, n_checks, n_penalties, n_reports, n_complaints;
	int verbose;
};

enum { HIST_NEW, HIST_CHANGE, HIST_CANCEL };
enum { HIST_FATE_LICENSE, HIST_FATE_REFUSE, HIST_FATE_WITHDRAW, HIST_FATE_REJECT };

/* Event kinds: applications (history_app.c) below 100, supervision above. */
enum {
	HEV_APP_START,
	HEV_APP_WINDOW,
	HEV_APP_RESUBMIT,
	HEV_APP_PROCESS,
	HEV_APP_ISSUE,
	HEV_APP_AFTER,
	HEV_APP_RATE,
	HEV_APP_FOLLOWUP,
	HEV_APP_HANDOVER,
	HEV_SUP_PLAN = 100,
	HEV_SUP_RESULTS,
	HEV_SUP_REPORTS,
	HEV_SUP_COMPLAINT,
};

/* history.c */
uint64_t hist_rand(struct hist *h);
/* uniform in [lo, hi] */
int hist_range(struct hist *h, int lo, int hi);
/* 1 with probability pct/100 */
int hist_chance(struct hist *h, int pct);
void hist_push(struct hist *h, int64_t t, int kind, int idx);
/* A moment during office hours (09:00–17:00 Asia/Shanghai) of day. */
int64_t hist_at(struct hist *h, int day);
/* The working day n working days after the day of t (n ≥ 0; 0: t's day if
 * a working day, else the next one). */
int hist_workday_after(struct hist *h, int64_t t, int n);
int hist_day_of(int64_t t);
struct hist_staff *hist_staff_of(struct hist *h, const char *dept);

/* history_call.c: calls method path as who, in-process, with the JSON body
 * (stolen; may be NULL) or the upload bytes; returns the HTTP status, *out
 * the answer's JSON (caller's; may be NULL). A status ≥ 400 is counted as
 * refused and, with --verbose, printed. */
int hist_call(struct hist *h, const struct principal *who, const char *method, const char *path,
	      json_t *body, const void *upload, size_t upload_len, json_t **out);
/* Loads the principal of the account username (as the session would). */
int hist_principal(struct hist *h, const char *username, struct principal *p);
int hist_principal_id(struct hist *h, int64_t user_id, struct principal *p);

/* history_app.c */
int hist_app_add(struct hist *h, int64_t t, int industry);
void hist_app_step(struct hist *h, const struct hist_ev *ev);
void hist_app_free(struct hist *h);
/* A plausible value of a form field f (the applicant's own credit code;
 * text fields get ent_name, or "演示数据" when NULL). */
json_t *hist_field_value(struct hist *h, const struct hist_app *a, const json_t *f,
			 const char *ent_name);

/* history_rate.c: the applicant of a rates it (POST …/rating, rating_submit);
 * 0 when rated. A 差评 opens follow-ups, most answered by the department. */
int hist_rate(struct hist *h, const struct hist_app *a);
void hist_followup_reply(struct hist *h, int idx);
/* history_sup.c */
void hist_sup_schedule(struct hist *h);
void hist_sup_step(struct hist *h, const struct hist_ev *ev);
/* The annual reports the holder of application idx (licensed on that day)
 * files in the years after. */
void hist_sup_reports_due(struct hist *h, int idx, int licensed_day);

#endif
