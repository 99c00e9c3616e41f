/*
 * history_sup.c — supervision in the demo history: every quarter the market
 * regulator's supervisor plans a 双随机 spot check over the licensed
 * entities, freezes and draws it (the public value is the seeded
 * generator's, the source says so); the drawn inspectors record each
 * check's result over the following weeks (passed 80, rectify 14, failed 6
 * percent), the supervisor publishes them and decides a penalty on a failed
 * check; the holders of licenses file their annual reports between March
 * and June (88 percent of them). Someone files a complaint about 12 percent of
 * the licensed businesses through the public form; the first department it
 * is routed to accepts it the next working day and closes it within 3–12
 * (substantiated 40 percent).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/history.h"
#include "http/complaints.h"
#include "core/catalog.h"
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

/* The offered industries the market regulator leads: its plans draw from
 * them (the penalty of a failed check must be its own to decide). */
static json_t *led_industries(struct hist *h)
{
	json_t *out = json_array();

	pthread_rwlock_rdlock(&h->app->catalog_lock);
	for (size_t i = 0; i < h->nindustries; i++) {
		const struct catalog_industry *ind =
		    catalog_industry_find(h->app->catalog, h->industries[i]);

		if (ind && ind->lead && strcmp(ind->lead, SUP_DEPT) == 0)
			json_array_append_new(out, json_string(ind->code));
	}
	pthread_rwlock_unlock(&h->app->catalog_lock);
	return out;
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
	json_object_set_new(body, "industries", led_industries(h));
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

/* One answer per check item of the task: all passed (outcome 0), the second
 * (or only) one to rectify by due (1), the last one failed (2). */
static json_t *answer_items(const char *stored, int outcome, const char *due)
{
	json_t *list = json_loads(stored ? stored : "[]", 0, NULL), *out = json_array(), *it;
	size_t i, n = json_array_size(list), odd = outcome == 1 ? (n > 1 ? 1 : 0) : n - 1;

	json_array_foreach (list, i, it) {
		json_t *a =
		    json_pack("{s:O,s:s}", "code", json_object_get(it, "code"), "result", "passed");

		if (outcome == 1 && i == odd) {
			json_object_set_new(a, "result", json_string("rectify"));
			json_object_set_new(a, "deadline", json_string(due));
			json_object_set_new(a, "note", json_string("健康证明过期 1 人"));
		} else if (outcome == 2 && i == odd) {
			json_object_set_new(a, "result", json_string("failed"));
			json_object_set_new(a, "note", json_string("实际经营项目超出许可范围"));
		}
		json_array_append_new(out, a);
	}
	json_decref(list);
	return out;
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

/* A check's result by its first inspector; a failed one is penalised a few
 * weeks later, every result published. */
static void result(struct hist *h, int64_t id)
{
	struct store_check t;
	struct principal inspector, *sup = supervisor(h);
	char path[128], due[DATE_STR_SIZE], no[96], day[DATE_STR_SIZE];
	int p = hist_range(h, 0, 99), y, m, d;
	json_t *items, *out = NULL;
	json_int_t follow;

	if (check_get(h, id, &t) < 0)
		return;
	if (t.ninspectors == 0 || hist_principal_id(h, t.inspectors[0].user_id, &inspector) < 0 ||
	    strcmp(t.status, "open") != 0) {
		store_check_free(&t);
		return;
	}
	date_format(hist_workday_after(h, h->app->sim_now, 15), due, sizeof(due));
	if (strcmp(t.kind, "follow_up") == 0)
		p = 0; /* the re-check of a rectification passes */
	items = answer_items(t.check_items, p < 80 ? 0 : p < 92 ? 1 : 2, due);
	snprintf(path, sizeof(path), "/api/v1/supervision/tasks/%lld/result", (long long)id);
	if (hist_call(h, &inspector, "POST", path,
		      json_pack("{s:o,s:s}", "items", items, "notes", "现场检查"), NULL, 0,
		      &out) != 200) {
		json_decref(out);
		store_check_free(&t);
		return;
	}
	h->n_checks++;
	follow = json_integer_value(json_object_get(out, "follow_up"));
	json_decref(out);
	if (follow > 0) /* the re-check, by the rectification deadline */
		hist_push(h,
			  hist_at(h, hist_workday_after(h, h->app->sim_now, hist_range(h, 10, 15))),
			  HEV_SUP_RESULTS, (int)follow);
	if (sup) {
		h->app->sim_now =
		    hist_at(h, hist_workday_after(h, h->app->sim_now, hist_range(h, 1, 5)));
		snprintf(path, sizeof(path), "/api/v1/supervision/tasks/%lld/publish",
			 (long long)id);
		hist_call(h, sup, "POST", path, NULL, NULL, 0, NULL);
	}
	if (sup && p >= 92) {
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

static void complaint(struct hist *h, const struct hist_app *a)
{
	const char *industry = h->industries[a->industry], *dept, *ticket;
	json_t *matters = complaint_matters(h->app, industry), *out = NULL;
	size_t nm = json_array_size(matters);
	const char *matter = nm ? json_string_value(json_object_get(
				      json_array_get(matters, hist_rand(h) % nm), "id"))
				: NULL;
	struct hist_staff *st;
	char path[160];
	int substantiated = hist_chance(h, 40);

	if (matter == NULL || !a->license[0]) {
		json_decref(matters);
		return;
	}
	if (hist_call(h, NULL, "POST", "/api/v1/public/complaints",
		      json_pack("{s:s,s:s,s:s,s:s}", "license_number", a->license, "matter", matter,
				"description", "店内环境卫生较差，从业人员未佩戴口罩（演示数据）",
				"contact", "13900000000"),
		      NULL, 0, &out) != 201) {
		json_decref(out);
		json_decref(matters);
		return;
	}
	json_decref(matters);
	h->n_complaints++;
	dept = json_string_value(
	    json_object_get(json_array_get(json_object_get(out, "departments"), 0), "code"));
	ticket = json_string_value(json_object_get(out, "ticket"));
	st = dept ? hist_staff_of(h, dept) : NULL;
	if (ticket == NULL || st == NULL || !st->has_supervisor) {
		json_decref(out);
		return;
	}
	h->app->sim_now = hist_at(h, hist_workday_after(h, h->app->sim_now, 1));
	snprintf(path, sizeof(path), "/api/v1/supervision/complaints/%s/accept", ticket);
	if (hist_call(h, &st->supervisor, "POST", path, NULL, NULL, 0, NULL) == 200) {
		h->app->sim_now =
		    hist_at(h, hist_workday_after(h, h->app->sim_now, hist_range(h, 3, 12)));
		snprintf(path, sizeof(path), "/api/v1/supervision/complaints/%s/close", ticket);
		hist_call(h, &st->supervisor, "POST", path,
			  json_pack("{s:s,s:s}", "outcome",
				    substantiated ? "substantiated" : "unsubstantiated", "reply",
				    substantiated ? "经现场核查，情况属实，已责令整改。"
						  : "经现场核查，未发现所反映的问题。"),
			  NULL, 0, NULL);
	}
	json_decref(out);
}

/* Swaps in the supervision stream (history.h) and back. */
static void stream_swap(struct hist *h)
{
	uint64_t t = h->rng;

	h->rng = h->rng_sup;
	h->rng_sup = t;
}

void hist_sup_step(struct hist *h, const struct hist_ev *ev)
{
	stream_swap(h);
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
	case HEV_SUP_COMPLAINT:
		complaint(h, &h->apps[ev->idx]);
		break;
	}
	stream_swap(h);
}
