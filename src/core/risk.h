/*
 * risk.h — risk signals (问题发现更智能, issue 13 point 10): explainable
 * rules that flag an entity for a targeted (non-random) check. Pure: the
 * store gathers the facts of one entity (store_risk.c), these rules decide,
 * and every flag names its cause and the records behind it.
 *
 * The rules (docs/api-supervision.md, "Risk signals"):
 *   repeated_complaints   >= RISK_COMPLAINTS_MIN complaints filed within the
 *                         last RISK_COMPLAINT_WINDOW days (today included),
 *                         not counting those closed `unsubstantiated` (found
 *                         groundless); open ones and `not_ours` count, since
 *                         nobody has found them groundless
 *   failed_check          a spot-check result `failed` within the last
 *                         RISK_FAILED_CHECK_WINDOW days
 *   overdue_rectification a 责令整改 whose deadline passed with no passing
 *                         follow-up
 *   unverified_commitment a 告知承诺 verification (核查) task still open
 *                         after its due day
 *   abnormal_list         on the abnormal list (经营异常名录) now
 * A rule whose facts come from a table that has not landed simply gets no
 * facts of its kind.
 */
#ifndef YIYE_CORE_RISK_H
#define YIYE_CORE_RISK_H

#include <stddef.h>

#define RISK_COMPLAINTS_MIN 2
#define RISK_COMPLAINT_WINDOW 90
#define RISK_FAILED_CHECK_WINDOW 365
#define RISK_REF_SIZE 64
#define RISK_CAUSE_SIZE 600
#define RISK_REFS_SIZE 400

enum risk_kind {
	RISK_COMPLAINT,         /* day: filed; outcome: "" while open */
	RISK_FAILED_CHECK,      /* day: the result's day */
	RISK_RECTIFY_OPEN,      /* day: the rectification deadline, not yet passed by a follow-up */
	RISK_VERIFICATION_OPEN, /* day: the open verification task's due day */
	RISK_ABNORMAL,          /* day: put on the list (only while on it) */
	RISK_KIND_COUNT
};

/* One fact about an entity. ref: what a reader looks up (a ticket, a task,
 * a result id). */
struct risk_fact {
	enum risk_kind kind;
	int day; /* day number (core/date.h) */
	char ref[RISK_REF_SIZE];
	char outcome[20];
};

/* One flag. code and label are static strings. */
struct risk_flag {
	const char *code;  /* repeated_complaints, failed_check, … */
	const char *label; /* Chinese */
	char cause[RISK_CAUSE_SIZE];
	int since;                /* day number the flag has held since */
	char ref[RISK_REFS_SIZE]; /* the records behind it, comma-separated */
};

/* Applies every rule to facts[0..n) on today; writes at most max flags
 * (one per rule that fires, in the order of the list above) and returns how
 * many. */
size_t risk_evaluate(const struct risk_fact *facts, size_t n, int today, struct risk_flag *flags,
		     size_t max);

#define RISK_RULES 5

#endif
