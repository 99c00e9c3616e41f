/*
 * history_sup.c — supervision in the demo history: every quarter the market
 * regulator's supervisor plans a 双随机 spot check over the licensed
 * entities, freezes and draws it (the public value is the seeded
 * generator's, the source says so); the drawn inspectors record each
 * check's result over the following weeks (passed 80, rectify 14, failed 6
 * percent), the supervisor publishes them and decides a penalty on a failed
 * check; the holders of licenses file their annual reports between March
 * and June (88 percent of them). Ratings (好差评) go through the ratings
 * module's rating_submit when it is linked in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/history.h"
#include "core/date.h"
#include "store/store_plans.h"

#define SUP_DEPT "scjgj" /* the market regulator: the largest share of licenses */

static const char check_items[] =
    "[{\"code\":\"C1\",\"name\":\"许可证件公示\",\"basis\":\"模拟依据（演示数据）\"},"
    "{\"code\":\"C2\",\"name\":\"从业人员健康证明\"},"
    "{\"code\":\"C3\",\"name\":\"经营场所与许可一致\"}]";

static struct principal *supervisor(struct hist *h)
{
	struct hist_staff *s = hist_staff_of(h, SUP_DEPT);

	return s && s->has_supervisor ? &s->supervisor : NULL;
}

/* One plan per quarter from the window's second quarter on (the first one
 * has few licenses yet), created on its first working day. */
void hist_sup_schedule(struct hist *h)
{
	int y, m, d, ly, lm, ld;

	date_to_ymd(h->first_day, &y, &m, &d);
	date_to_ymd(h->last_day, &ly, &lm, &ld);
	m = ((m - 1) / 3 + 1) * 3 + 1; /* the next quarter */
	if (m > 12)
		y++, m -= 12;
	for (; y < ly || (y == ly && m <= lm); m += 3) {
		int day;

		if (m > 12) {
			y++, m -= 12;
			if (y > ly || (y == ly && m > lm))
				break;
		}
		day = date_from_ymd(y, m, 1) + 7;
		hist_push(h, hist_at(h, hist_workday_after(h, hist_at(h, day), 0)), HEV_SUP_PLAN,
			  0);
	}
}

static void plan(struct hist *h)
{
	struct principal *sup = supervisor(h);
	char from[DATE_STR_SIZE], to[DATE_STR_SIZE], title[128], path[128], pv[64];
	int today = hist_day_of(h->app->sim_now), y, m, d;
	json_t *out = NULL, *body;
	int64_t id, draw;
	struct store_conn *c;
	struct store_check *t = NULL;
	struct store_check_filter f = {0};
	struct yerr e = {0};
	int n = 0;
	int64_t total = 0;

	if (sup == NULL)
		return;
	date_to_ymd(today, &y, &m, &d);
	date_format(hist_workday_after(h, h->app->sim_now, 3), from, sizeof(from));
	date_format(hist_workday_after(h, h->app->sim_now, 45), to, sizeof(to));
	snprintf(title, sizeof(title), "%d 年第 %d 季度双随机抽查（演示）", y, (m - 1) / 3 + 1);
	body = json_pack("{s:s,s:[s],s:{s:i,s:i,s:i,s:i},s:i,s:{s:s,s:s},s:o}", "title", title,
			 "departments", SUP_DEPT, "ratios", "A", 200, "B", 400, "C", 800, "D", 1000,
			 "inspectors_per_check", 2, "period", "from", from, "to", to, "check_items",
			 json_loads(check_items, 0, NULL));
	if (hist_call(h, sup, "POST", "/api/v1/supervision/plans", body, NULL, 0, &out) != 201) {
		json_decref(out);
		return;
	}
	id = json_integer_value(json_object_get(json_object_get(out, "plan"), "id"));
	json_decref(out);
	h->n_plans++;
	h->app->sim_now += 1800;
	snprintf(path, sizeof(path), "/api/v1/supervision/plans/%lld/freeze", (long long)id);
	if (hist_call(h, sup, "POST", path, NULL, NULL, 0, NULL) != 200)
		return;
	h->app->sim_now += 3600;
	snprintf(path, sizeof(path), "/api/v1/supervision/plans/%lld/draw", (long long)id);
	snprintf(pv, sizeof(pv), "%02d %02d %02d %02d %02d + %02d", hist_range(h, 1, 35),
		 hist_range(h, 1, 35), hist_range(h, 1, 35), hist_range(h, 1, 35),
		 hist_range(h, 1, 35), hist_range(h, 1, 12));
	if (hist_call(
		h, sup, "POST", path,
		json_pack("{s:s,s:s}", "public_value", pv, "source", "演示数据（模拟开奖号码）"),
		NULL, 0, &out) != 201) {
		json_decref(out);
		return;
	}
	draw = json_integer_value(json_object_get(json_object_get(out, "draw"), "id"));
	json_decref(out);
	(void)draw;
	h->n_draws++;
	/* the drawn checks, each answered on its own day */
	f.plan_id = id;
	if (store_acquire(h->app->store, &c, &e) < 0)
		return;
	if (store_checks_list(c, h->app->cfg.district, &f, 1000, 0, &t, &n, &total, &e) == 0) {
		for (int i = 0; i < n; i++)
			hist_push(h,
				  hist_at(h, hist_workday_after(h, h->app->sim_now,
								hist_range(h, 4, 35))),
				  HEV_SUP_RESULTS, (int)t[i].id);
		store_checks_free(t, n);
	}
	store_release(c);
}

static int check_get(struct hist *h, int64_t id, struct store_check *t)
{
	struct store_conn *c;
	struct yerr e = {0};
	int rc;

	memset(t, 0, sizeof(*t));
	if (store_acquire(h->app->store, &c, &e) < 0)
		return -1;
	rc = store_check_get(c, h->app->cfg.district, id, 0, t, &e);
	store_release(c);
	return rc;
}

static struct principal *inspector(struct hist *h, int64_t user_id)
{
	for (size_t i = 0; i < h->nstaff; i++)
		if (h->staff[i].has_inspector && h->staff[i].inspector.id == user_id)
			return &h->staff[i].inspector;
	return NULL;
}

/* A check's result by its first inspector; a failed one is penalised a few
 * weeks later, every result published. */
static void result(struct hist *h, int64_t id)
{
	struct store_check t;
	struct principal *who, *sup = supervisor(h);
	char path[128], due[DATE_STR_SIZE], no[96], day[DATE_STR_SIZE];
	int p = hist_range(h, 0, 99), y, m, d;
	json_t *items;

	if (check_get(h, id, &t) < 0)
		return;
	who = t.ninspectors ? inspector(h, t.inspectors[0].user_id) : NULL;
	if (who == NULL || strcmp(t.status, "open") != 0) {
		store_check_free(&t);
		return;
	}
	date_format(hist_workday_after(h, h->app->sim_now, 15), due, sizeof(due));
	if (p < 80)
		items =
		    json_pack("[{s:s,s:s},{s:s,s:s},{s:s,s:s}]", "code", "C1", "result", "passed",
			      "code", "C2", "result", "passed", "code", "C3", "result", "passed");
	else if (p < 94)
		items = json_pack("[{s:s,s:s},{s:s,s:s,s:s,s:s},{s:s,s:s}]", "code", "C1", "result",
				  "passed", "code", "C2", "result", "rectify", "deadline", due,
				  "note", "健康证明过期 1 人", "code", "C3", "result", "passed");
	else
		items = json_pack("[{s:s,s:s},{s:s,s:s},{s:s,s:s,s:s,s:s}]", "code", "C1", "result",
				  "passed", "code", "C2", "result", "passed", "code", "C3",
				  "result", "failed", "note", "实际经营项目超出许可范围");
	snprintf(path, sizeof(path), "/api/v1/supervision/tasks/%lld/result", (long long)id);
	if (hist_call(h, who, "POST", path,
		      json_pack("{s:o,s:s}", "items", items, "notes", "现场检查"), NULL, 0,
		      NULL) != 200) {
		store_check_free(&t);
		return;
	}
	h->n_checks++;
	if (sup) {
		h->app->sim_now =
		    hist_at(h, hist_workday_after(h, h->app->sim_now, hist_range(h, 1, 5)));
		snprintf(path, sizeof(path), "/api/v1/supervision/tasks/%lld/publish",
			 (long long)id);
		hist_call(h, sup, "POST", path, NULL, NULL, 0, NULL);
	}
	if (sup && p >= 94) {
		h->app->sim_now =
		    hist_at(h, hist_workday_after(h, h->app->sim_now, hist_range(h, 5, 15)));
		date_to_ymd(hist_day_of(h->app->sim_now), &y, &m, &d);
		date_format(hist_day_of(h->app->sim_now), day, sizeof(day));
		snprintf(no, sizeof(no), "徐市监罚〔%d〕%lld号（演示）", y,
			 (long long)(h->n_penalties + 1) * 10 + h->run);
		if (hist_call(h, sup, "POST", "/api/v1/supervision/penalties",
			      json_pack("{s:s,s:s,s:s,s:s,s:s,s:i,s:s}", "decision_no", no, "uscc",
					t.uscc, "facts", "超出许可范围经营", "basis",
					"《中华人民共和国行政许可法》第八十一条（演示）", "kind",
					"fine", "amount", 1000 * hist_range(h, 1, 20), "decided_on",
					day),
			      NULL, 0, NULL) == 201)
			h->n_penalties++;
	}
	store_check_free(&t);
}

/* Annual reports: the holder files for the year before, once per year. */
void hist_sup_reports_due(struct hist *h, int idx, int licensed_day)
{
	int y, m, d, ly, lm, ld;

	date_to_ymd(licensed_day, &y, &m, &d);
	date_to_ymd(h->last_day, &ly, &lm, &ld);
	for (int year = y + 1; year <= ly; year++) {
		int day = date_from_ymd(year, 3, 1) + hist_range(h, 0, 110);

		if (hist_chance(h, 88))
			hist_push(h, hist_at(h, hist_workday_after(h, hist_at(h, day), 0)),
				  HEV_SUP_REPORTS, idx);
	}
}

static void report(struct hist *h, const struct hist_app *a)
{
	struct principal applicant;
	json_t *form = NULL, *fields = json_object(), *f;
	size_t i;
	int status;

	if (hist_principal(h, a->applicant, &applicant) < 0)
		return;
	if (hist_call(h, &applicant, "GET", "/api/v1/supervision/annual-reports/form", NULL, NULL,
		      0, &form) != 200) {
		json_decref(form);
		json_decref(fields);
		return;
	}
	json_array_foreach (json_object_get(form, "fields"), i, f) {
		const char *fid = json_string_value(json_object_get(f, "id"));

		if (fid)
			json_object_set_new(fields, fid, hist_field_value(h, a, f, NULL));
	}
	status = hist_call(
	    h, &applicant, "POST", "/api/v1/supervision/annual-reports",
	    json_pack("{s:O,s:o}", "year", json_object_get(form, "year"), "fields", fields), NULL,
	    0, NULL);
	json_decref(form);
	if (status == 201)
		h->n_reports++;
}

void hist_sup_step(struct hist *h, const struct hist_ev *ev)
{
	switch (ev->kind) {
	case HEV_SUP_PLAN:
		plan(h);
		break;
	case HEV_SUP_RESULTS:
		result(h, ev->idx);
		break;
	case HEV_SUP_REPORTS:
		report(h, &h->apps[ev->idx]);
		break;
	}
}

int hist_rate(struct hist *h, const struct hist_app *a)
{
	(void)h, (void)a;
	return -1; /* until the ratings module (stats-ratings) is merged */
}
