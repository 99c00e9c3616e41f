/*
 * h_statistics_tables.c — the per-view tables of the statistics
 * (statistics.h, docs/api-statistics.md "Views"): one shape for every view,
 * {"view","title","filter","columns":[{"key","label","unit"?,"modelled"?}],
 * "rows":[{key: value}]}, so the dashboards, CSV and xlsx render any view
 * the same way. A row of trends, industries, departments and streets is the
 * overview's cohort figures for that month, industry, department or street.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "http/statistics.h"
#include "store/store_stats.h"

static json_t *col(const char *key, const char *label, const char *unit)
{
	return json_pack("{s:s,s:s,s:s?}", "key", key, "label", label, "unit", unit);
}

static json_t *table(const char *view, const char *title, const struct stats_filter *f,
		     json_t *columns, json_t *rows)
{
	return json_pack("{s:s,s:s,s:{s:s,s:s,s:s?,s:s?,s:s?},s:o,s:o}", "view", view, "title",
			 title, "filter", "from", f->from, "to", f->to, "industry", f->industry,
			 "department", f->department, "street", f->street, "columns", columns,
			 "rows", rows);
}

/* The columns of a cohort row (trends, industries, departments, streets). */
static void cohort_columns(json_t *cols)
{
	json_array_append_new(cols, col("applications", "申请件数", "件"));
	json_array_append_new(cols, col("licensed", "已发证件数", "件"));
	json_array_append_new(cols, col("licenses_issued", "发证数（按发证日）", "张"));
	json_array_append_new(cols, col("mean_days", "平均办理时长", "工作日"));
	json_array_append_new(cols, col("median_days", "办理时长中位数", "工作日"));
	json_array_append_new(cols, col("p90_days", "办理时长90分位", "工作日"));
	json_array_append_new(cols, col("on_time_rate", "按承诺时限办结率", "比例"));
	json_array_append_new(cols, col("paused_days_mean", "平均补正暂停", "工作日"));
	json_array_append_new(cols, col("supplement_rounds_mean", "平均补正次数", "次"));
	json_array_append_new(cols, col("walk_in", "窗口提交件数", "件"));
	json_array_append_new(cols, col("prefilled_rate", "智慧填报预填比例", "比例"));
}

/* Copies the cohort figures of an overview into row. */
static void cohort_row(json_t *row, const json_t *ov)
{
	const json_t *dur = json_object_get(ov, "duration");

	json_object_set(row, "applications",
			json_object_get(json_object_get(ov, "applications"), "total"));
	json_object_set(row, "licensed", json_object_get(dur, "n"));
	json_object_set(row, "licenses_issued",
			json_object_get(json_object_get(ov, "licenses"), "issued"));
	static const char *const keys[] = {"mean_days",        "median_days",
					   "p90_days",         "on_time_rate",
					   "paused_days_mean", "supplement_rounds_mean"};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		json_object_set(row, keys[i], json_object_get(dur, keys[i]));
	json_object_set(row, "walk_in", json_object_get(json_object_get(ov, "trips"), "walk_in"));
	json_object_set(row, "prefilled_rate",
			json_object_get(json_object_get(ov, "fields"), "prefilled_rate"));
}

/* The overview of filter g as a cohort row prefixed with (k1: v1, k2: v2). */
static int group_row(struct store_conn *c, const char *district, const struct stats_filter *g,
		     json_t *rows, const char *k1, const char *v1, const char *k2, const char *v2,
		     int skip_empty, struct yerr *err)
{
	json_t *ov = NULL, *row;
	int rc = stats_overview(c, district, g, &ov, err);

	if (rc < 0)
		return rc;
	if (skip_empty &&
	    json_integer_value(json_object_get(json_object_get(ov, "applications"), "total")) ==
		0 &&
	    json_integer_value(json_object_get(json_object_get(ov, "licenses"), "issued")) == 0) {
		json_decref(ov);
		return 0;
	}
	row = json_object();
	json_object_set_new(row, k1, json_string(v1));
	if (k2 != NULL)
		json_object_set_new(row, k2, json_string(v2));
	cohort_row(row, ov);
	json_array_append_new(rows, row);
	json_decref(ov);
	return 0;
}

static int view_trends(struct store_conn *c, const char *district, const struct stats_filter *f,
		       json_t *cols, json_t *rows, struct yerr *err)
{
	int a = 0, b = 0, y, m, rc = 0;

	json_array_append_new(cols, col("month", "月份", NULL));
	cohort_columns(cols);
	date_parse(f->from, 10, &a);
	date_parse(f->to, 10, &b);
	date_to_ymd(a, &y, &m, NULL);
	for (int start = date_from_ymd(y, m, 1); rc == 0 && start <= b;) {
		struct stats_filter g = *f;
		int end = date_from_ymd(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) - 1;
		char month[8];

		date_format(start < a ? a : start, g.from, sizeof(g.from));
		date_format(end > b ? b : end, g.to, sizeof(g.to));
		snprintf(month, sizeof(month), "%04d-%02d", y, m);
		rc = group_row(c, district, &g, rows, "month", month, NULL, NULL, 0, err);
		start = end + 1;
		date_to_ymd(start, &y, &m, NULL);
	}
	return rc;
}

static int view_labels(struct store_conn *c, const char *district, const struct stats_filter *f,
		       int industries, json_t *cols, json_t *rows, struct yerr *err)
{
	struct stats_label *ls = NULL;
	int n = 0, rc;

	json_array_append_new(cols, col(industries ? "industry" : "department",
					industries ? "行业代码" : "部门代码", NULL));
	json_array_append_new(cols, col("name", industries ? "行业" : "部门", NULL));
	cohort_columns(cols);
	rc = industries ? store_stats_industries(c, district, &ls, &n, err)
			: store_stats_departments(c, district, &ls, &n, err);
	for (int i = 0; rc == 0 && i < n; i++) {
		struct stats_filter g = *f;
		const char *name = ls[i].name;

		if (industries) {
			const struct catalog_industry *ind =
			    f->cat ? catalog_industry_find(f->cat, ls[i].code) : NULL;

			if (f->industry && strcmp(f->industry, ls[i].code) != 0)
				continue;
			g.industry = ls[i].code;
			name = ind ? ind->name : ls[i].code;
		} else {
			if (f->department && strcmp(f->department, ls[i].code) != 0)
				continue;
			g.department = ls[i].code;
		}
		rc = group_row(c, district, &g, rows, industries ? "industry" : "department",
			       ls[i].code, "name", name, 1, err);
	}
	free(ls);
	return rc;
}

static int view_streets(struct store_conn *c, const char *district, const struct stats_filter *f,
			json_t *cols, json_t *rows, struct yerr *err)
{
	const struct catalog_field *fld =
	    f->cat ? catalog_field_find(f->cat, "F_site_street") : NULL;
	int rc = 0;

	json_array_append_new(cols, col("street", "街道代码", NULL));
	json_array_append_new(cols, col("name", "街道", NULL));
	cohort_columns(cols);
	for (size_t i = 0; rc == 0 && fld != NULL && i < fld->noptions; i++) {
		struct stats_filter g = *f;

		if (f->street && strcmp(f->street, fld->options[i].value) != 0)
			continue;
		g.street = fld->options[i].value;
		rc = group_row(c, district, &g, rows, "street", fld->options[i].value, "name",
			       fld->options[i].label, 0, err);
	}
	return rc;
}

static int view_savings(const json_t *ov, json_t *cols, json_t *rows)
{
	static const struct {
		const char *key, *label, *unit;
	} m[] = {{"permits", "许可证件", "张"},   {"days", "办理时限", "工作日"},
		 {"materials", "申请材料", "份"}, {"fields", "填报信息", "项"},
		 {"steps", "办事环节", "个"},     {"trips", "跑动次数", "次"}};
	const json_t *sav = json_object_get(ov, "savings");
	const json_t *pr = json_object_get(sav, "promised"), *me = json_object_get(sav, "measured");
	const json_t *mm = json_object_get(pr, "modelled_measures");

	json_array_append_new(cols, col("measure", "指标代码", NULL));
	json_array_append_new(cols, col("label", "指标", NULL));
	json_array_append_new(cols, col("unit", "单位", NULL));
	json_array_append_new(cols, col("before", "改革前（目录口径）", NULL));
	json_array_append_new(cols, col("promised", "改革后承诺（目录口径）", NULL));
	json_array_append_new(cols, col("measured", "实测（办件数据）", NULL));
	json_array_append_new(cols, col("modelled", "目录数据含测算值", NULL));
	json_object_set_new(json_array_get(cols, 3), "modelled", json_true());
	json_object_set_new(json_array_get(cols, 4), "modelled", json_true());
	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		int modelled = 0;
		size_t k;
		json_t *v;

		json_array_foreach (mm, k, v)
			modelled |= strcmp(json_string_value(v), m[i].key) == 0;
		json_array_append_new(
		    rows,
		    json_pack("{s:s,s:s,s:s,s:O,s:O,s:O,s:b}", "measure", m[i].key, "label",
			      m[i].label, "unit", m[i].unit, "before",
			      json_object_get(json_object_get(pr, "before"), m[i].key), "promised",
			      json_object_get(json_object_get(pr, "after"), m[i].key), "measured",
			      json_object_get(me, m[i].key), "modelled", modelled));
	}
	return 0;
}

/* A figure row {key, label, value, unit}. */
static void fig(json_t *rows, const char *key, const char *label, const json_t *v, const char *unit)
{
	json_array_append_new(rows, json_pack("{s:s,s:s,s:O,s:s?}", "key", key, "label", label,
					      "value", v ? v : json_null(), "unit", unit));
}

static void figure_columns(json_t *cols)
{
	json_array_append_new(cols, col("key", "指标代码", NULL));
	json_array_append_new(cols, col("label", "指标", NULL));
	json_array_append_new(cols, col("value", "数值", NULL));
	json_array_append_new(cols, col("unit", "单位", NULL));
}

#define G(o, k) json_object_get((o), (k))

static void supervision_rows(const json_t *s, json_t *rows)
{
	static const char *const grades[] = {"A", "B", "C", "D"};

	fig(rows, "plans", "抽查计划数", G(s, "plans"), "个");
	fig(rows, "plans_drawn", "已抽取计划数", G(s, "plans_drawn"), "个");
	fig(rows, "draws", "双随机抽取次数", G(s, "draws"), "次");
	fig(rows, "checks_drawn", "抽中检查对象数", G(s, "checks_drawn"), "户");
	fig(rows, "checks", "应检查任务数", G(s, "checks"), "项");
	fig(rows, "checks_done", "已完成检查数", G(s, "checks_done"), "项");
	fig(rows, "findings", "发现问题数", G(s, "findings"), "项");
	fig(rows, "passed", "检查合格数", G(s, "passed"), "项");
	fig(rows, "rectification.followups", "整改复查数", G(G(s, "rectification"), "followups"),
	    "项");
	fig(rows, "rectification.on_time_rate", "按期整改率",
	    G(G(s, "rectification"), "on_time_rate"), "比例");
	fig(rows, "penalties", "行政处罚数", G(s, "penalties"), "件");
	fig(rows, "penalty_amount", "罚没金额", G(s, "penalty_amount"), "元");
	fig(rows, "complaints.total", "投诉举报数", G(G(s, "complaints"), "total"), "件");
	fig(rows, "complaints.closed", "已办结投诉数", G(G(s, "complaints"), "closed"), "件");
	fig(rows, "complaints.handling_days_mean", "投诉平均办理时长",
	    G(G(s, "complaints"), "handling_days_mean"), "工作日");
	fig(rows, "complaints.on_time_rate", "投诉按期办结率",
	    G(G(s, "complaints"), "on_time_rate"), "比例");
	fig(rows, "annual_reports.year", "年报年度", G(G(s, "annual_reports"), "year"), NULL);
	fig(rows, "annual_reports.expected", "应报户数", G(G(s, "annual_reports"), "expected"),
	    "户");
	fig(rows, "annual_reports.filed", "已报户数", G(G(s, "annual_reports"), "filed"), "户");
	fig(rows, "annual_reports.filing_rate", "年报率", G(G(s, "annual_reports"), "filing_rate"),
	    "比例");
	for (int k = 0; k < 4; k++) {
		const json_t *g = G(G(s, "coverage"), grades[k]);
		char key[40], label[64];

		snprintf(key, sizeof(key), "coverage.%s.rate", grades[k]);
		snprintf(label, sizeof(label), "信用%s类检查覆盖率", grades[k]);
		fig(rows, key, label, G(g, "rate"), "比例");
	}
}

static void satisfaction_rows(const json_t *s, json_t *cols, json_t *rows)
{
	static const char *const names[] = {"",         "非常不满意", "不满意",
					    "基本满意", "满意",       "非常满意"};
	int64_t total = json_integer_value(G(s, "ratings"));

	json_array_append_new(cols, col("level", "评价等级", NULL));
	json_array_append_new(cols, col("label", "评价", NULL));
	json_array_append_new(cols, col("count", "评价数", "件"));
	json_array_append_new(cols, col("share", "占比", "比例"));
	for (int lv = 5; lv >= 1; lv--) {
		char k[2] = {(char)('0' + lv), 0};
		int64_t n = json_integer_value(G(G(s, "by_level"), k));

		json_array_append_new(
		    rows, json_pack("{s:i,s:s,s:I,s:o}", "level", lv, "label", names[lv], "count",
				    (json_int_t)n, "share",
				    total > 0 ? json_real((double)(n * 10000 / total) / 10000.0)
					      : json_null()));
	}
}

int stats_view(struct store_conn *c, const char *district, const char *view,
	       const struct stats_filter *f, json_t **out, struct yerr *err)
{
	static const char *const titles[] = {"月度趋势", "行业对比", "部门对比", "街道对比",
					     "减负成效", "监管",     "满意度"};
	json_t *cols = json_array(), *rows = json_array(), *ov = NULL;
	int k = -1, rc = 0;

	*out = NULL;
	for (int i = 0; i < stats_view_count; i++)
		if (strcmp(view, stats_view_names[i]) == 0)
			k = i;
	if (k < 0) {
		json_decref(cols);
		json_decref(rows);
		return yerr_set(err, 404, "unknown_view", "view", "没有这个统计视图：%.40s", view);
	}
	if (k <= 3)
		rc = store_stats_sync(c, district, err);
	if (rc == 0 && k == 0)
		rc = view_trends(c, district, f, cols, rows, err);
	else if (rc == 0 && (k == 1 || k == 2))
		rc = view_labels(c, district, f, k == 1, cols, rows, err);
	else if (rc == 0 && k == 3)
		rc = view_streets(c, district, f, cols, rows, err);
	else if (rc == 0) {
		rc = stats_overview(c, district, f, &ov, err);
		if (rc == 0 && k == 4)
			view_savings(ov, cols, rows);
		else if (rc == 0 && k == 5) {
			figure_columns(cols);
			supervision_rows(G(ov, "supervision"), rows);
		} else if (rc == 0)
			satisfaction_rows(G(ov, "satisfaction"), cols, rows);
		json_decref(ov);
	}
	if (rc < 0) {
		json_decref(cols);
		json_decref(rows);
		return rc;
	}
	*out = table(view, titles[k], f, cols, rows);
	return 0;
}

json_t *stats_overview_table(const json_t *ov)
{
	const json_t *a = G(ov, "applications"), *l = G(ov, "licenses"), *d = G(ov, "duration");
	const json_t *t = G(ov, "trips"), *m = G(ov, "materials"), *fl = G(ov, "fields");
	const json_t *sat = G(ov, "satisfaction"), *fj = G(ov, "filter");
	json_t *cols = json_array(), *rows = json_array();
	struct stats_filter f = {0};

	snprintf(f.from, sizeof(f.from), "%s", json_string_value(G(fj, "from")));
	snprintf(f.to, sizeof(f.to), "%s", json_string_value(G(fj, "to")));
	f.industry = json_string_value(G(fj, "industry"));
	f.department = json_string_value(G(fj, "department"));
	f.street = json_string_value(G(fj, "street"));
	figure_columns(cols);
	fig(rows, "applications.total", "申请件数", G(a, "total"), "件");
	fig(rows, "licenses.issued", "发证数", G(l, "issued"), "张");
	fig(rows, "licenses.changed", "变更数", G(l, "changed"), "张");
	fig(rows, "licenses.cancelled", "注销数", G(l, "cancelled"), "张");
	fig(rows, "licenses.revoked", "吊销数", G(l, "revoked"), "张");
	fig(rows, "duration.n", "已发证件数", G(d, "n"), "件");
	fig(rows, "duration.mean_days", "平均办理时长", G(d, "mean_days"), "工作日");
	fig(rows, "duration.median_days", "办理时长中位数", G(d, "median_days"), "工作日");
	fig(rows, "duration.p90_days", "办理时长90分位", G(d, "p90_days"), "工作日");
	fig(rows, "duration.on_time_rate", "按承诺时限办结率", G(d, "on_time_rate"), "比例");
	fig(rows, "duration.paused_days_mean", "平均补正暂停", G(d, "paused_days_mean"), "工作日");
	fig(rows, "duration.supplement_rounds_mean", "平均补正次数", G(d, "supplement_rounds_mean"),
	    "次");
	fig(rows, "trips.walk_in", "窗口提交", G(t, "walk_in"), "次");
	fig(rows, "trips.window_handover", "窗口领证", G(t, "window_handover"), "次");
	fig(rows, "trips.per_application", "每件平均跑动", G(t, "per_application"), "次");
	fig(rows, "materials.asked", "应交材料", G(m, "asked"), "份");
	fig(rows, "materials.obtained_by_sharing", "共享获取材料", G(m, "obtained_by_sharing"),
	    "份");
	fig(rows, "fields.filled", "表单信息项", G(fl, "filled"), "项");
	fig(rows, "fields.prefilled", "智慧填报预填", G(fl, "prefilled"), "项");
	fig(rows, "satisfaction.ratings", "评价数", G(sat, "ratings"), "件");
	fig(rows, "satisfaction.satisfied_rate", "满意率", G(sat, "satisfied_rate"), "比例");
	fig(rows, "satisfaction.followups_open", "待整改差评", G(sat, "followups_open"), "件");
	return table("overview", "概览", &f, cols, rows);
}
