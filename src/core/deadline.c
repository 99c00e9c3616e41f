/*
 * deadline.c — working-day time limits with pauses (see deadline.h).
 */
#include "core/deadline.h"

#include <stddef.h>

int deadline_start(struct deadline_clock *c, int day, long limit, struct yerr *err)
{
	if (limit < 0 || limit > CALENDAR_MAX_ADD)
		return yerr_set(err, 400, "invalid_time_limit", NULL, "时限天数无效：%ld", limit);
	c->start = day;
	c->limit = limit;
	c->paused = 0;
	c->paused_since = -1;
	return 0;
}

int deadline_pause(struct deadline_clock *c, int day, struct yerr *err)
{
	if (c->paused_since >= 0)
		return yerr_set(err, 409, "clock_paused", NULL, "计时已暂停");
	if (day < c->start)
		return yerr_set(err, 400, "invalid_date", NULL, "暂停日期早于开始计时日期");
	c->paused_since = day;
	return 0;
}

static int count(const struct calendar *cal, int from, int to, long *n, bool *prov,
		 struct yerr *err)
{
	int k = 0, p = 0;

	if (calendar_count_workdays(cal, from, to, &k, &p) != 0)
		return yerr_set(err, 422, "calendar_range", NULL, "日期超出工作日历的支持范围");
	*n = k;
	if (prov != NULL && p)
		*prov = true;
	return 0;
}

int deadline_resume(struct deadline_clock *c, const struct calendar *cal, int day, struct yerr *err)
{
	long n = 0;

	if (c->paused_since < 0)
		return yerr_set(err, 409, "clock_running", NULL, "计时未暂停");
	if (day < c->paused_since)
		return yerr_set(err, 400, "invalid_date", NULL, "恢复日期早于暂停日期");
	if (count(cal, c->paused_since, day, &n, NULL, err) != 0)
		return -1;
	c->paused += n;
	c->paused_since = -1;
	return 0;
}

int deadline_add(const struct calendar *cal, int day, long n, int *due, bool *provisional,
		 struct yerr *err)
{
	int p = 0;

	if (provisional != NULL)
		*provisional = false;
	if (n < 0 || n > CALENDAR_MAX_ADD)
		return yerr_set(err, 400, "invalid_time_limit", NULL, "时限天数无效：%ld", n);
	if (calendar_add_workdays(cal, day, (int)n, due, &p) != 0)
		return yerr_set(err, 422, "calendar_range", NULL, "日期超出工作日历的支持范围");
	if (provisional != NULL)
		*provisional = p != 0;
	return 0;
}

int deadline_due(const struct deadline_clock *c, const struct calendar *cal, int today, int *due,
		 bool *provisional, struct yerr *err)
{
	long extra = c->paused, open = 0;
	bool p = false;

	if (c->paused_since >= 0 && today > c->paused_since) {
		if (count(cal, c->paused_since, today, &open, &p, err) != 0)
			return -1;
		extra += open;
	}
	if (deadline_add(cal, c->start, c->limit + extra, due, provisional, err) != 0)
		return -1;
	if (provisional != NULL && p)
		*provisional = true;
	return 0;
}

enum deadline_state deadline_classify(const struct calendar *cal, int due, int today,
				      long near_days, bool paused, long *left)
{
	int n = 0;

	if (left != NULL)
		*left = 0;
	if (paused)
		return DEADLINE_PAUSED;
	if (calendar_count_workdays(cal, today, due, &n, NULL) != 0)
		n = today > due ? -1 : (int)near_days + 1; /* beyond the calendar: far away */
	if (left != NULL)
		*left = n;
	if (today > due)
		return DEADLINE_OVERDUE;
	return n <= near_days ? DEADLINE_NEAR_DUE : DEADLINE_ON_TIME;
}

const char *deadline_state_name(enum deadline_state s)
{
	static const char *const names[] = {"on_time", "near_due", "overdue", "paused"};

	return (unsigned)s <= DEADLINE_PAUSED ? names[s] : NULL;
}
