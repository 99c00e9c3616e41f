/*
 * h_statistics_views.c — the figures of the statistics as JSON (statistics.h,
 * docs/api-statistics.md): the filter, the overview and the per-view tables.
 * Every number comes from store_stats.h aggregates; this file only divides,
 * ranks the per-day histogram for the percentiles and names things.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "http/statistics.h"
#include "store/store_stats.h"

const char *const stats_view_names[] = {"trends",  "industries",  "departments", "streets",
					"savings", "supervision", "satisfaction"};
const int stats_view_count = (int)(sizeof(stats_view_names) / sizeof(stats_view_names[0]));

/* filter ------------------------------------------------------------------ */

static int code_ok(const char *s)
{
	size_t n = strlen(s);

	if (n < 1 || n > 32)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '-'))
			return 0;
	return 1;
}

static int day_arg(const char *v, const char *field, int dflt, int *out, struct yerr *err)
{
	if (v == NULL || *v == '\0') {
		*out = dflt;
		return 0;
	}
	if (strlen(v) != 10 || date_parse(v, 10, out) != 0)
		return yerr_set(err, 400, "invalid_date", field, "日期格式应为 YYYY-MM-DD：%s",
				field);
	return 0;
}

int stats_filter_init(struct stats_filter *f, const char *from, const char *to,
		      const char *industry, const char *department, const char *street, int64_t now,
		      struct yerr *err)
{
	int today = date_today_shanghai((time_t)now), d_from, d_to, y, m, d;
	struct {
		const char *v, *field, *label;
	} codes[] = {{industry, "industry", "行业"},
		     {department, "department", "部门"},
		     {street, "street", "街道"}};

	memset(f, 0, sizeof(*f));
	f->now = now;
	if (day_arg(to, "to", today, &d_to, err) < 0)
		return -1;
	/* default: the 12 months up to `to` (the same day a year earlier, +1) */
	date_to_ymd(d_to, &y, &m, &d);
	if (m == 2 && d == 29)
		d = 28;
	if (day_arg(from, "from", date_from_ymd(y - 1, m, d) + 1, &d_from, err) < 0)
		return -1;
	if (d_to < d_from)
		return yerr_set(err, 400, "invalid_range", "to", "结束日期不能早于开始日期");
	if (d_to - d_from > 3660)
		return yerr_set(err, 400, "invalid_range", "from", "统计区间不能超过十年");
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (codes[i].v && *codes[i].v && !code_ok(codes[i].v))
			return yerr_set(err, 400, "invalid_code", codes[i].field,
					"%s代码无效：应为 1 至 32 个字母、数字、下划线或连字符",
					codes[i].label);
	date_format(d_from, f->from, sizeof(f->from));
	date_format(d_to, f->to, sizeof(f->to));
	f->industry = industry && *industry ? industry : NULL;
	f->department = department && *department ? department : NULL;
	f->street = street && *street ? street : NULL;
	return 0;
}

/* The store's range: the days and their Asia/Shanghai midnights. */
static void range_of(const struct stats_filter *f, struct stats_range *r)
{
	int a = 0, b = 0;

	memset(r, 0, sizeof(*r));
	memcpy(r->from, f->from, sizeof(r->from));
	memcpy(r->to, f->to, sizeof(r->to));
	date_parse(f->from, 10, &a);
	date_parse(f->to, 10, &b);
	r->from_at = (int64_t)a * 86400 - 8 * 3600;
	r->to_at = (int64_t)(b + 1) * 86400 - 8 * 3600;
	r->industry = f->industry;
	r->department = f->department;
	r->street = f->street;
}

static json_t *filter_json(const struct stats_filter *f)
{
	return json_pack("{s:s,s:s,s:s?,s:s?,s:s?}", "from", f->from, "to", f->to, "industry",
			 f->industry, "department", f->department, "street", f->street);
}

/* numbers -------------------------------------------------------------------- */

/* A ratio rounded to 4 decimals, null when the denominator is 0 (a rate
 * of nothing is unknown, not 0). */
static json_t *ratio(int64_t num, int64_t den)
{
	if (den <= 0)
		return json_null();
	return json_real(round((double)num / (double)den * 10000.0) / 10000.0);
}

/* A mean rounded to 2 decimals, null when n is 0. */
static json_t *mean(double sum, int64_t n)
{
	if (n <= 0)
		return json_null();
	return json_real(round(sum / (double)n * 100.0) / 100.0);
}

/* The nearest-rank p-th percentile of the per-day histogram: the smallest
 * d with at least ceil(p * n) applications at d or below; null when n = 0. */
static json_t *percentile(const struct stats_apps *a, double p)
{
	int64_t rank = (int64_t)ceil(p * (double)a->licensed), seen = 0;

	if (a->licensed <= 0)
		return json_null();
	if (rank < 1)
		rank = 1;
	for (int d = 0; d <= STATS_MAX_DAYS; d++) {
		seen += a->hist[d];
		if (seen >= rank)
			return json_integer(d);
	}
	return json_integer(STATS_MAX_DAYS);
}

/* notices: materials, fields, promised savings -------------------------------- */

static const char *const measures[] = {"permits", "days", "materials", "fields", "steps", "trips"};
#define NMEASURES 6

struct notice_sums {
	int64_t apps;
	int64_t asked;  /* materials not exempt, times applications */
	int64_t fields; /* fields of the form, times applications */
	int64_t before[NMEASURES], after[NMEASURES];
	unsigned modelled; /* bit k: measure k rests on a modelled figure somewhere */
};

static int notice_add(void *ctx, const char *text, int64_t n)
{
	struct notice_sums *s = ctx;
	json_t *j = json_loads(text, 0, NULL), *mats, *sav, *m;
	size_t i;

	if (j == NULL)
		return 0; /* a notice that does not parse adds nothing (never happens) */
	s->apps += n;
	mats = json_object_get(j, "materials");
	json_array_foreach (mats, i, m) {
		if (!json_is_true(json_object_get(m, "exempt")))
			s->asked += n;
	}
	s->fields += n * (int64_t)json_array_size(json_object_get(j, "fields"));
	sav = json_object_get(j, "savings");
	for (int k = 0; k < NMEASURES; k++) {
		s->before[k] += n * json_integer_value(json_object_get(
					json_object_get(sav, "before"), measures[k]));
		s->after[k] += n * json_integer_value(
				       json_object_get(json_object_get(sav, "after"), measures[k]));
	}
	json_array_foreach (json_object_get(sav, "modelled"), i, m) {
		for (int k = 0; k < NMEASURES; k++)
			if (json_is_string(m) && strcmp(json_string_value(m), measures[k]) == 0)
				s->modelled |= 1u << k;
	}
	json_decref(j);
	return 0;
}

/* everything of one cohort ----------------------------------------------------- */

struct figures {
	struct stats_range r;
	struct stats_apps a;
	struct notice_sums ns;
	struct stats_licenses l;
	int64_t shared; /* materials obtained by sharing */
};

static int figures_load(struct store_conn *c, const char *district, const struct stats_range *r,
			struct figures *fg, struct yerr *err)
{
	int rc;

	memset(&fg->ns, 0, sizeof(fg->ns));
	fg->r = *r;
	rc = store_stats_apps(c, district, r, &fg->a, err);
	fg->shared = fg->a.shared;
	if (rc == 0)
		rc = store_stats_notices(c, district, &fg->a, notice_add, &fg->ns, err);
	store_stats_apps_free(&fg->a);
	if (rc == 0)
		rc = store_stats_licenses(c, district, r, &fg->l, err);
	return rc;
}

static json_t *counts_json(const struct stats_count *arr, int n)
{
	json_t *o = json_object();

	for (int i = 0; i < n; i++)
		json_object_set_new(o, arr[i].key, json_integer(arr[i].n));
	return o;
}

static json_t *duration_json(const struct stats_apps *a)
{
	return json_pack("{s:I,s:o,s:o,s:o,s:o,s:I,s:o,s:o}", "n", (json_int_t)a->licensed,
			 "mean_days", mean((double)a->days_sum, a->licensed), "median_days",
			 percentile(a, 0.5), "p90_days", percentile(a, 0.9), "on_time_rate",
			 ratio(a->on_time, a->licensed), "on_time", (json_int_t)a->on_time,
			 "paused_days_mean", mean((double)a->paused_sum, a->licensed),
			 "supplement_rounds_mean", mean((double)a->rounds_lic, a->licensed));
}

static json_t *measures_json(const int64_t *v, int64_t n)
{
	json_t *o = json_object();

	for (int k = 0; k < NMEASURES; k++)
		json_object_set_new(o, measures[k], mean((double)v[k], n));
	return o;
}

/* Measured per licensed application where the catalog promises per
 * application: days of the clock, materials asked of the applicant, fields
 * typed (form fields less pre-filled), trips, licenses. Steps are not
 * measured (null). Materials obtained by sharing are not subtracted again:
 * only 免于提交 materials are ever obtained by sharing (exempt.c), and those
 * are already outside `asked`. */
static json_t *measured_json(const struct figures *fg)
{
	const struct stats_apps *a = &fg->a;
	int64_t trips = a->walk_in + a->window_handovers;

	return json_pack("{s:o,s:o,s:o,s:o,s:n,s:o}", "permits",
			 a->licensed > 0 ? json_integer(1) : json_null(), "days",
			 mean((double)a->days_sum, a->licensed), "materials",
			 mean((double)fg->ns.asked, fg->ns.apps), "fields",
			 mean((double)(fg->ns.fields - a->prefilled), fg->ns.apps), "steps",
			 "trips", mean((double)trips, a->total));
}

static json_t *modelled_list(unsigned bits)
{
	json_t *a = json_array();

	for (int k = 0; k < NMEASURES; k++)
		if (bits & (1u << k))
			json_array_append_new(a, json_string(measures[k]));
	return a;
}

static json_t *savings_json(const struct figures *fg)
{
	return json_pack("{s:{s:o,s:o,s:b,s:o,s:I},s:o}", "promised", "before",
			 measures_json(fg->ns.before, fg->ns.apps), "after",
			 measures_json(fg->ns.after, fg->ns.apps), "modelled", fg->ns.modelled != 0,
			 "modelled_measures", modelled_list(fg->ns.modelled), "applications",
			 (json_int_t)fg->ns.apps, "measured", measured_json(fg));
}

static json_t *supervision_json(const struct stats_supervision *s)
{
	static const char *const grades[] = {"A", "B", "C", "D"};
	json_t *cov = json_object();

	for (int k = 0; k < 4; k++)
		json_object_set_new(cov, grades[k],
				    json_pack("{s:I,s:I,s:o}", "entities",
					      (json_int_t)s->grade_entities[k], "checked",
					      (json_int_t)s->grade_checked[k], "rate",
					      ratio(s->grade_checked[k], s->grade_entities[k])));
	return json_pack(
	    "{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:{s:I,s:I,s:o},s:I,s:I,s:{s:I,s:I,s:I,s:o,s:o},"
	    "s:{s:I,s:I,s:I,s:I,s:o},s:o}",
	    "plans", (json_int_t)s->plans, "plans_drawn", (json_int_t)s->plans_drawn, "draws",
	    (json_int_t)s->draws, "checks_drawn", (json_int_t)s->checks_drawn, "checks",
	    (json_int_t)s->checks, "checks_done", (json_int_t)s->checks_done, "findings",
	    (json_int_t)s->findings, "passed", (json_int_t)s->passed, "rectification", "followups",
	    (json_int_t)s->followups, "on_time", (json_int_t)s->followups_on_time, "on_time_rate",
	    ratio(s->followups_on_time, s->followups), "penalties", (json_int_t)s->penalties,
	    "penalty_amount", (json_int_t)s->penalty_amount, "complaints", "total",
	    (json_int_t)s->complaints, "closed", (json_int_t)s->complaints_closed, "closed_on_time",
	    (json_int_t)s->complaints_closed_on_time, "on_time_rate",
	    ratio(s->complaints_closed_on_time, s->complaints_closed), "handling_days_mean",
	    mean((double)s->complaint_days_sum, s->complaints_closed), "annual_reports", "year",
	    (json_int_t)s->report_year, "expected", (json_int_t)s->reports_expected, "filed",
	    (json_int_t)s->reports_filed, "late", (json_int_t)s->reports_late, "filing_rate",
	    ratio(s->reports_filed, s->reports_expected), "coverage", cov);
}

static json_t *satisfaction_json(const struct stats_satisfaction *s)
{
	json_t *lv = json_object();
	char k[2] = "0";

	for (int i = 5; i >= 1; i--) {
		k[0] = (char)('0' + i);
		json_object_set_new(lv, k, json_integer(s->by_level[i]));
	}
	return json_pack(
	    "{s:I,s:o,s:o,s:I,s:I}", "ratings", (json_int_t)s->ratings, "by_level", lv,
	    "satisfied_rate", ratio(s->by_level[5] + s->by_level[4] + s->by_level[3], s->ratings),
	    "followups", (json_int_t)s->followups, "followups_open", (json_int_t)s->followups_open);
}

int stats_overview(struct store_conn *c, const char *district, const struct stats_filter *f,
		   json_t **out, struct yerr *err)
{
	struct figures *fg = calloc(1, sizeof(*fg));
	struct stats_supervision sup;
	struct stats_satisfaction sat;
	struct stats_range r;
	int rc;

	*out = NULL;
	if (fg == NULL)
		abort();
	range_of(f, &r);
	rc = store_stats_sync(c, district, err);
	if (rc == 0)
		rc = figures_load(c, district, &r, fg, err);
	if (rc == 0)
		rc = store_stats_supervision(c, district, &r, &sup, err);
	if (rc == 0)
		rc = store_stats_satisfaction(c, district, &r, &sat, err);
	if (rc == 0) {
		const struct stats_apps *a = &fg->a;

		*out = json_pack(
		    "{s:o,s:I,s:{s:I,s:o,s:o},s:{s:I,s:I,s:I,s:I,s:I,s:I},s:o,"
		    "s:{s:I,s:I,s:I,s:o},s:{s:I,s:I,s:b},s:{s:I,s:I,s:o},s:o,s:o,s:o}",
		    "filter", filter_json(f), "generated_at", (json_int_t)f->now, "applications",
		    "total", (json_int_t)a->total, "by_status",
		    counts_json(a->by_status, a->nstatus), "by_kind",
		    counts_json(a->by_kind, a->nkind), "licenses", "issued",
		    (json_int_t)fg->l.issued, "changed", (json_int_t)fg->l.changed, "cancelled",
		    (json_int_t)fg->l.cancelled, "revoked", (json_int_t)fg->l.revoked, "suspended",
		    (json_int_t)fg->l.suspended, "expired", (json_int_t)fg->l.expired, "duration",
		    duration_json(a), "trips", "walk_in", (json_int_t)a->walk_in, "window_handover",
		    (json_int_t)a->window_handovers, "total",
		    (json_int_t)(a->walk_in + a->window_handovers), "per_application",
		    mean((double)(a->walk_in + a->window_handovers), a->total), "materials",
		    "asked", (json_int_t)fg->ns.asked, "obtained_by_sharing",
		    (json_int_t)fg->shared, "sharing_recorded", 1, "fields", "filled",
		    (json_int_t)fg->ns.fields, "prefilled", (json_int_t)a->prefilled,
		    "prefilled_rate", ratio(a->prefilled, fg->ns.fields), "savings",
		    savings_json(fg), "supervision", supervision_json(&sup), "satisfaction",
		    satisfaction_json(&sat));
		if (*out == NULL)
			abort();
	}
	free(fg);
	return rc;
}
