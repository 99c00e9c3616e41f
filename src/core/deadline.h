#ifndef YIYE_CORE_DEADLINE_H
#define YIYE_CORE_DEADLINE_H
/*
 * deadline.h — time limits of applications and tasks in working days.
 *
 * A clock starts on a day (submission, acceptance of a task…) with a limit of
 * N working days; its due date is the N-th working day after the start
 * (calendar.h: the start day is not counted). While the application waits for
 * the applicant (补正, a return) the clock is paused: every working day d with
 * paused_since < d <= resume day is added to the limit, so the due date moves
 * by exactly the paused working days. A clock that is still paused is shown as
 * if it resumed today (its due date grows while it waits).
 *
 * Everything is a pure function of a struct deadline_clock and a struct
 * calendar; the store keeps the four integers of the clock in the
 * application's row.
 */
#include <stdbool.h>

#include "core/calendar.h"
#include "core/error.h"

struct deadline_clock {
	int start;        /* day number the clock started */
	long limit;       /* working days */
	long paused;      /* working days spent paused in closed pauses */
	int paused_since; /* day number of the open pause, or -1 when running */
};

enum deadline_state {
	DEADLINE_ON_TIME,  /* more than near_days working days left */
	DEADLINE_NEAR_DUE, /* due within near_days working days (due today included) */
	DEADLINE_OVERDUE,  /* past the due date */
	DEADLINE_PAUSED    /* waiting for the applicant: not counted */
};

/* deadline_start makes a running clock of `limit` working days from `day`.
 * 400 invalid_time_limit when limit is negative or above CALENDAR_MAX_ADD. */
int deadline_start(struct deadline_clock *c, int day, long limit, struct yerr *err);

/* deadline_pause opens a pause on `day`; 409 clock_paused when one is open,
 * 400 invalid_date when day is before the start. */
int deadline_pause(struct deadline_clock *c, int day, struct yerr *err);

/* deadline_resume closes the open pause on `day`, adding the working days of
 * (paused_since, day] to c->paused; 409 clock_running when none is open, 400
 * invalid_date when day is before the pause. */
int deadline_resume(struct deadline_clock *c, const struct calendar *cal, int day,
		    struct yerr *err);

/* deadline_due computes the due day as of `today` (an open pause counts up
 * to today). *provisional (may be NULL) is set when an unknown calendar year
 * was used. 422 calendar_range when the date falls outside the calendar's
 * supported range. */
int deadline_due(const struct deadline_clock *c, const struct calendar *cal, int today, int *due,
		 bool *provisional, struct yerr *err);

/* deadline_add is a due date for a task: the n-th working day after day. */
int deadline_add(const struct calendar *cal, int day, long n, int *due, bool *provisional,
		 struct yerr *err);

/*
 * deadline_classify says where a due date stands on `today`: overdue after
 * the due day, near due when at most near_days working days remain (the due
 * day itself has 0 left), otherwise on time. *left (may be NULL) receives the
 * working days left (negative: working days overdue). paused short-circuits to
 * DEADLINE_PAUSED with *left 0.
 */
enum deadline_state deadline_classify(const struct calendar *cal, int due, int today,
				      long near_days, bool paused, long *left);

/* "on_time", "near_due", "overdue", "paused". */
const char *deadline_state_name(enum deadline_state s);

#endif
