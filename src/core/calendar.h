/*
 * calendar.h - the official working-day calendar (工作日历).
 *
 * Statutory and committed time limits are counted in working days. A day is
 * a rest day if it is a listed holiday, or a Saturday/Sunday not listed as
 * a make-up workday (调休上班); every other day is a working day. Holidays
 * and make-up days come from the State Council's yearly notice, shipped as
 * data in catalog/calendar/<year>.json and loaded with calendar_load_json.
 *
 * Years that have not been loaded are "unknown": only weekends count as
 * rest days there, and every computation that touches such a year reports
 * itself as provisional so the UI can say the deadline may still move when
 * the next notice is published (usually in November).
 *
 * Counting follows the law's convention: the start day is not counted.
 * Adding N >= 1 working days to D gives the N-th working day after D;
 * adding 0 gives D itself.
 *
 * Days are day numbers as defined in date.h. All functions are pure with
 * respect to the struct they are given; a loaded calendar is read-only and
 * may be shared between threads.
 */
#ifndef YIYE_CORE_CALENDAR_H
#define YIYE_CORE_CALENDAR_H

#include <stddef.h>

/* Error codes (0 is success). */
#define CAL_EINVAL (-1)  /* bad argument */
#define CAL_ERANGE (-2)  /* outside the supported dates or beyond the work bounds */
#define CAL_ENOMEM (-3)  /* allocation failed */
#define CAL_EPARSE (-4)  /* calendar JSON malformed or inconsistent */
#define CAL_EEXIST (-5)  /* year already present */
#define CAL_ENOYEAR (-6) /* the day's year has not been added */

/* Work bounds: at most this many working days may be added in one call,
 * and no computation scans more than CALENDAR_MAX_SPAN_DAYS days
 * (20 years). Supported days are DATE_YEAR_MIN-01-01..DATE_YEAR_MAX-12-31. */
#define CALENDAR_MAX_ADD 3660
#define CALENDAR_MAX_SPAN_DAYS (20 * 366)
/* Distinct holiday names per year (元旦, 春节, ...). */
#define CALENDAR_MAX_NAMES 32

enum calendar_kind {
	CAL_NORMAL = 0,  /* not listed: weekday works, weekend rests */
	CAL_HOLIDAY = 1, /* listed holiday: rest day */
	CAL_WORKDAY = 2, /* listed make-up workday: working day */
};

/* One known year. kind[] and name[] are indexed by day of year (0-based). */
struct calendar_year {
	int year;
	int jan1;                        /* day number of 1 January */
	unsigned char kind[366];         /* enum calendar_kind */
	unsigned char name[366];         /* 1-based index into names, 0 = none */
	char *names[CALENDAR_MAX_NAMES]; /* owned */
	int nnames;
	char *source; /* owned; the notice the data comes from, may be NULL */
};

/* The calendar: known years sorted by year. Owned by whoever called
 * calendar_init, released with calendar_free. */
struct calendar {
	struct calendar_year *years;
	size_t nyears;
	size_t cap;
};

/* Make cal an empty calendar (no known years). Cannot fail. */
void calendar_init(struct calendar *cal);

/* Release everything cal owns and leave it empty (safe to call twice). */
void calendar_free(struct calendar *cal);

/* Mark year as known, with no holidays or make-up days yet. Returns 0,
 * CAL_EEXIST if already known, CAL_ERANGE if outside the supported years,
 * CAL_ENOMEM. */
int calendar_add_year(struct calendar *cal, int year);

/* 1 if year is known (loaded), else 0. */
int calendar_has_year(const struct calendar *cal, int year);

/* List day as kind (CAL_NORMAL removes a listing) with an optional name
 * (copied; NULL for none). The day's year must be known (CAL_ENOYEAR).
 * Returns 0, CAL_EINVAL for a bad kind, CAL_ERANGE if the year already has
 * CALENDAR_MAX_NAMES names, CAL_ENOMEM. Consistency rules (no duplicates,
 * make-up days on weekends) are the loader's job, not this function's. */
int calendar_set_day(struct calendar *cal, int day, enum calendar_kind kind, const char *name);

/* How day is listed: CAL_HOLIDAY, CAL_WORKDAY or CAL_NORMAL (also for
 * unknown years). */
enum calendar_kind calendar_day_kind(const struct calendar *cal, int day);

/* Name of the holiday or make-up day listed on day, or NULL. The pointer
 * is valid until the calendar is modified or freed. */
const char *calendar_day_name(const struct calendar *cal, int day);

/* 1 if day is a working day, 0 if a rest day. *provisional (may be NULL)
 * is set to 1 if day's year is unknown, else 0. */
int calendar_is_workday(const struct calendar *cal, int day, int *provisional);

/* The n-th working day after from_day (n = 0 gives from_day). Returns 0 and
 * stores *out_day, and *provisional (may be NULL) = 1 if any day scanned
 * (from_day + 1 .. result) lies in an unknown year; adding 0 scans nothing
 * and is never provisional. Returns CAL_EINVAL if n < 0 or n >
 * CALENDAR_MAX_ADD or out_day is NULL, CAL_ERANGE if from_day or the
 * result is outside the supported dates or the scan exceeds
 * CALENDAR_MAX_SPAN_DAYS. */
int calendar_add_workdays(const struct calendar *cal, int from_day, int n, int *out_day,
			  int *provisional);

/* Count the working days d with from_day < d <= to_day. If to_day <
 * from_day the result is the negated count of d with to_day < d <=
 * from_day, so count(a, b) == -count(b, a). Returns 0 and stores *out_n,
 * and *provisional (may be NULL) = 1 if any counted-over day lies in an
 * unknown year. Returns CAL_EINVAL if out_n is NULL, CAL_ERANGE if either
 * day is outside the supported dates or they are more than
 * CALENDAR_MAX_SPAN_DAYS apart. */
int calendar_count_workdays(const struct calendar *cal, int from_day, int to_day, int *out_n,
			    int *provisional);

/*
 * Load one year from its JSON text (json_text[0..len), need not be
 * NUL-terminated):
 *   {"year":2026,"source":"国务院办公厅关于2026年部分节假日安排的通知",
 *    "holidays":[{"date":"2026-01-01","name":"元旦"}, ...],
 *    "workdays":[{"date":"2026-01-04","name":"元旦调休上班"}, ...]}
 * Optional key "note" (string). Every holiday day is listed individually.
 * Rejected: malformed JSON, duplicate keys, unknown keys, a year outside
 * the supported range or already loaded, a bad or out-of-year date, a date
 * listed twice or as both holiday and workday, a make-up workday that is
 * not a Saturday or Sunday, an empty name. All or nothing: on error cal is
 * unchanged. Returns 0, CAL_EPARSE (or CAL_EEXIST for an already loaded
 * year, CAL_ENOMEM) with a Chinese message naming the offending JSON path
 * in errbuf (may be NULL).
 */
int calendar_load_json(struct calendar *cal, const char *json_text, size_t len, char *errbuf,
		       size_t errsz);

#endif
