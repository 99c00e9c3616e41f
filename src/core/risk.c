/*
 * risk.c — the risk rules (risk.h). Each rule reads only facts of its own
 * kind and writes one flag whose cause a supervisor can check against the
 * records it names.
 */
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "core/risk.h"

/* Appends ref to the comma-separated list out (cut when full). */
static void refs_add(char *out, size_t outsz, const char *ref)
{
	size_t len = strlen(out);

	if (len + strlen(ref) + 2 >= outsz)
		return;
	snprintf(out + len, outsz - len, "%s%s", len ? "," : "", ref);
}

static void day_text(int day, char out[16])
{
	if (date_format(day, out, 16) != 0)
		snprintf(out, 16, "?");
}

/* >= RISK_COMPLAINTS_MIN complaints, not found groundless, filed in the
 * window. since: the day the count reached the minimum. */
static int rule_complaints(const struct risk_fact *f, size_t n, int today, struct risk_flag *fl)
{
	int from = today - RISK_COMPLAINT_WINDOW + 1, days[64];
	size_t count = 0;

	memset(fl, 0, sizeof(*fl));
	for (size_t i = 0; i < n; i++) {
		if (f[i].kind != RISK_COMPLAINT || f[i].day < from || f[i].day > today ||
		    strcmp(f[i].outcome, "unsubstantiated") == 0)
			continue;
		if (count < sizeof(days) / sizeof(days[0]))
			days[count] = f[i].day;
		count++;
		refs_add(fl->ref, sizeof(fl->ref), f[i].ref);
	}
	if (count < RISK_COMPLAINTS_MIN)
		return 0;
	/* the second-earliest filing day: from then on there were two */
	{
		size_t m = count < 64 ? count : 64;
		int first = days[0], second = days[1];

		if (second < first) {
			first = days[1];
			second = days[0];
		}
		for (size_t i = 2; i < m; i++) {
			if (days[i] < first) {
				second = first;
				first = days[i];
			} else if (days[i] < second)
				second = days[i];
		}
		fl->since = second;
	}
	fl->code = "repeated_complaints";
	fl->label = "多次被投诉举报";
	snprintf(fl->cause, sizeof(fl->cause),
		 "近 %d 日内被投诉举报 %zu 件（不含经核查不属实的）：%s", RISK_COMPLAINT_WINDOW,
		 count, fl->ref);
	return 1;
}

/* Facts of kind with a day in [lo, hi]: their refs, and since = the day of
 * the latest (a result: the newest one counts) or, with earliest, of the
 * first (a deadline: the flag has held since the first one passed). */
static int rule_pick(const struct risk_fact *f, size_t n, enum risk_kind kind, int lo, int hi,
		     int earliest, struct risk_flag *fl)
{
	const struct risk_fact *latest = NULL;

	memset(fl, 0, sizeof(*fl));
	for (size_t i = 0; i < n; i++) {
		if (f[i].kind != kind || f[i].day < lo || f[i].day > hi)
			continue;
		refs_add(fl->ref, sizeof(fl->ref), f[i].ref);
		if (latest == NULL || (earliest ? f[i].day < latest->day : f[i].day > latest->day))
			latest = &f[i];
	}
	if (latest == NULL)
		return 0;
	fl->since = latest->day;
	return 1;
}

size_t risk_evaluate(const struct risk_fact *facts, size_t n, int today, struct risk_flag *flags,
		     size_t max)
{
	struct risk_flag fl;
	size_t out = 0;
	char day[16];

	if (max > 0 && rule_complaints(facts, n, today, &fl))
		flags[out++] = fl;
	if (out < max && rule_pick(facts, n, RISK_FAILED_CHECK,
				   today - RISK_FAILED_CHECK_WINDOW + 1, today, 0, &fl)) {
		day_text(fl.since, day);
		fl.code = "failed_check";
		fl.label = "抽查检查不合格";
		snprintf(fl.cause, sizeof(fl.cause),
			 "近 %d 日内检查结果为不合格（最近一次 %s）：%s", RISK_FAILED_CHECK_WINDOW,
			 day, fl.ref);
		flags[out++] = fl;
	}
	/* overdue: the deadline is before today; flagged from the day after */
	if (out < max && rule_pick(facts, n, RISK_RECTIFY_OPEN, -2147483647, today - 1, 1, &fl)) {
		day_text(fl.since, day);
		fl.since += 1;
		fl.code = "overdue_rectification";
		fl.label = "责令整改逾期";
		snprintf(fl.cause, sizeof(fl.cause),
			 "责令整改期限已过（%s 到期）且未经复查合格：%s", day, fl.ref);
		flags[out++] = fl;
	}
	if (out < max &&
	    rule_pick(facts, n, RISK_VERIFICATION_OPEN, -2147483647, today - 1, 1, &fl)) {
		day_text(fl.since, day);
		fl.since += 1;
		fl.code = "unverified_commitment";
		fl.label = "告知承诺逾期未核查";
		snprintf(fl.cause, sizeof(fl.cause),
			 "告知承诺核查任务已过期限（%s 到期）仍未完成：%s", day, fl.ref);
		flags[out++] = fl;
	}
	if (out < max && rule_pick(facts, n, RISK_ABNORMAL, -2147483647, today, 1, &fl)) {
		day_text(fl.since, day);
		fl.code = "abnormal_list";
		fl.label = "列入经营异常名录";
		snprintf(fl.cause, sizeof(fl.cause), "自 %s 起列入经营异常名录：%s", day, fl.ref);
		flags[out++] = fl;
	}
	return out;
}
