/*
 * test_catalog_data.c — the honest-data checks (catalog_check_data.c) on
 * broken copies of tests/fixtures/catalog-mini, the roll-out status helpers,
 * and what the guide says about its savings: the after cost follows the
 * industry (an inspection adds its step and trip) and modelled figures are
 * named, except where a published case confirms them.
 *
 * The fixture is read here with plain stdio so this test depends only on the
 * core library.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/catalog.h"
#include "core/catalog_check.h"
#include "core/catalog_diff.h"
#include "core/guide.h"

#include "unit_catalog_fixture.h"

static void test_rollout(void **state)
{
	struct fx f;
	json_t *j;

	(void)state;
	fx_read(&f);
	expect_clean(&f);

	j = fx_get(&f, BLD);
	json_object_set_new(j, "status", json_string("active"));
	fx_put(&f, BLD, j);
	expect(&f, BLD, "status", "实施状态 \"active\" 无效");
	{
		/* fatal: the guide's behaviour depends on it */
		struct catalog *cat = NULL;
		struct yerr err = {0};
		assert_int_equal(catalog_parse(f.files, f.n, &cat, &err), -1);
		assert_string_equal(err.field, "industries/bianlidian.json: status");
	}

	j = fx_get(&f, BLD);
	json_object_del(j, "status");
	fx_put(&f, BLD, j);
	expect(&f, BLD, "status", "缺少实施状态");

	/* in force needs a date; a real one */
	j = fx_get(&f, BLD);
	json_object_set_new(j, "status", json_string("in_force"));
	json_object_del(j, "effective_date");
	fx_put(&f, BLD, j);
	expect(&f, BLD, "effective_date", "必须写明实施日期");
	j = fx_get(&f, BLD);
	json_object_set_new(j, "effective_date", json_string("2021-02-30"));
	fx_put(&f, BLD, j);
	expect(&f, BLD, "effective_date", "YYYY-MM-DD");

	/* planned may have no date */
	j = fx_get(&f, BLD);
	json_object_set_new(j, "status", json_string("planned"));
	json_object_del(j, "effective_date");
	fx_put(&f, BLD, j);
	expect_clean(&f);

	/* a batch only with its source */
	j = fx_get(&f, BLD);
	json_object_set_new(j, "batch", json_integer(1));
	fx_put(&f, BLD, j);
	expect(&f, BLD, "batch", "改革批次须有出处");
	j = fx_get(&f, BLD);
	json_object_set_new(json_object_get(j, "provenance"), "batch_source",
			    json_string("某文件第一批目录"));
	fx_put(&f, BLD, j);
	expect_clean(&f);

	/* provenance says confirmed or modelled */
	j = fx_get(&f, BLD);
	json_object_set_new(json_object_get(j, "provenance"), "status", json_string("modeled"));
	fx_put(&f, BLD, j);
	expect(&f, BLD, "provenance.status", "confirmed 或 modelled");
	fx_free(&f);
}

static void test_modelled_lists(void **state)
{
	struct fx f;
	json_t *j, *rule;

	(void)state;
	fx_read(&f);
	j = fx_get(&f, BLD);
	json_object_set_new(j, "modelled", json_pack("[s,s,s]", "status", "nothing", "status"));
	fx_put(&f, BLD, j);
	expect(&f, BLD, "modelled[1]", "\"nothing\" 不是本对象中的取值");
	expect(&f, BLD, "modelled[2]", "重复列出 \"status\"");

	j = fx_get(&f, "permits.json");
	json_object_set_new(json_object_get(json_array_get(j, 0), "before"), "modelled",
			    json_pack("[s]", "cost"));
	fx_put(&f, "permits.json", j);
	expect(&f, "permits.json", "[0].before.modelled[0]", "\"cost\"");

	/* a rule whose basis calls its threshold a model value must say so */
	j = fx_get(&f, BLD);
	json_object_del(j, "modelled");
	rule = json_array_get(json_object_get(j, "rules"), 0);
	json_object_set_new(rule, "basis", json_string("阈值为本目录模型取值"));
	fx_put(&f, BLD, j);
	expect(&f, BLD, "rules[0].modelled", "须标注");
	j = fx_get(&f, BLD);
	rule = json_array_get(json_object_get(j, "rules"), 0);
	json_object_set_new(rule, "modelled", json_pack("[s]", "when"));
	fx_put(&f, BLD, j);
	expect(&f, "permits.json", "[0].before.modelled[0]", "\"cost\"");
	fx_free(&f);
}

static void test_service(void **state)
{
	struct fx f;
	json_t *j, *svc;

	(void)state;
	fx_read(&f);
	j = fx_get(&f, "catalog.json");
	svc = json_object_get(j, "service");
	json_object_del(svc, "fees");
	json_object_set_new(svc, "hours",
			    json_pack("{s:s,s:s}", "text", "9:00", "status", "guess"));
	json_object_set_new(
	    svc, "phone", json_pack("{s:s,s:s}", "text", "021-6487 1234", "status", "to_confirm"));
	json_object_set_new(svc, "parking",
			    json_pack("{s:s,s:s}", "text", "有", "status", "confirmed"));
	fx_put(&f, "catalog.json", j);
	expect(&f, "catalog.json", "service.fees", "缺少 \"fees\"");
	expect(&f, "catalog.json", "service.hours", "to_confirm");
	expect(&f, "catalog.json", "service.phone", "未经确认的咨询电话不得写出号码");
	expect(&f, "catalog.json", "service.parking", "未知的项");

	/* a confirmed phone may be shown */
	j = fx_get(&f, "catalog.json");
	json_object_set_new(json_object_get(j, "service"), "phone",
			    json_pack("{s:s,s:s}", "text", "021-6487 1234", "status", "confirmed"));
	fx_put(&f, "catalog.json", j);
	{
		struct catalog_problems p = {0};
		assert_int_equal(catalog_check(f.files, f.n, &p), 0);
		for (size_t i = 0; i < p.n; i++)
			assert_false(strcmp(p.items[i].path, "service.phone") == 0);
		catalog_problems_free(&p);
	}

	j = fx_get(&f, BLD);
	json_object_set_new(j, "service", json_object());
	fx_put(&f, BLD, j);
	expect(&f, BLD, "service.rules", "缺少综合许可细则");
	j = fx_get(&f, BLD);
	json_object_del(j, "service");
	fx_put(&f, BLD, j);
	expect(&f, BLD, "service", "行业缺少办事指南");
	fx_free(&f);
}

static void test_counts_in_text(void **state)
{
	struct fx f;
	json_t *j;

	(void)state;
	fx_read(&f); /* the fixture 便利店 merges 4 permits */
	j = fx_get(&f, BLD);
	json_object_set_new(j, "description", json_string("可合并办理五项许可的便利店"));
	fx_put(&f, BLD, j);
	expect(&f, BLD, "description", "文字写的是 5 项许可，本行业实际合并 4 项许可");

	j = fx_get(&f, BLD);
	json_object_set_new(j, "description", json_string("共12个许可事项，另有 3 项许可"));
	json_object_set_new(
	    json_object_get(j, "service"), "rules",
	    json_pack("{s:s,s:s}", "text", "涵盖十一项单项许可", "status", "to_confirm"));
	fx_put(&f, BLD, j);
	expect(&f, BLD, "description", "文字写的是 12 项许可");
	expect(&f, BLD, "description", "文字写的是 3 项许可");
	expect(&f, BLD, "service.rules.text", "文字写的是 11 项许可");

	/* the right count, and numbers that are not permit counts, pass */
	j = fx_get(&f, BLD);
	json_object_set_new(j, "description",
			    json_string("本行业共可合并四项许可；申请材料53份、填表要素313项。"));
	json_object_set_new(
	    json_object_get(j, "service"), "rules",
	    json_pack("{s:s,s:s}", "text", "4项许可并联审批", "status", "to_confirm"));
	fx_put(&f, BLD, j);
	expect_clean(&f);
	fx_free(&f);
}

static void test_published_and_filing(void **state)
{
	struct fx f;
	json_t *j, *p;
	struct catalog *cat = NULL;
	struct yerr err = {0};
	long days = 0, mats = 0;
	size_t i;

	(void)state;
	fx_read(&f);
	assert_int_equal(catalog_parse(f.files, f.n, &cat, &err), 0);
	for (i = 0; i < 2; i++) {
		const struct catalog_permit *pm =
		    catalog_permit_find(cat, i == 0 ? "P_food_sale" : "P_alcohol_retail");
		days += pm->before.days;
		mats += pm->before.materials;
	}
	catalog_free(cat);

	j = fx_get(&f, BLD);
	json_object_set_new(j, "published",
			    json_pack("{s:[s,s],s:{s:I,s:I,s:I},s:{s:I,s:I},s:s}", "permits",
				      "P_food_sale", "P_alcohol_retail", "before", "permits",
				      (json_int_t)2, "days", (json_int_t)days, "materials",
				      (json_int_t)mats + 1, "after", "permits", (json_int_t)1,
				      "days", (json_int_t)5, "source", "公开数据"));
	fx_put(&f, BLD, j);
	expect(&f, BLD, "published.before.materials", "拆分须合计为公布数");

	j = fx_get(&f, BLD);
	json_array_append_new(json_object_get(json_object_get(j, "published"), "permits"),
			      json_string("P_drug_retail"));
	fx_put(&f, BLD, j);
	expect(&f, BLD, "published.permits[2]", "不在本行业的 permits 中");

	/* a zero statutory limit belongs to a filing only */
	j = fx_get(&f, "permits.json");
	p = json_array_get(j, 0);
	json_object_set_new(p, "statutory_days", json_integer(0));
	json_object_set_new(p, "committed_days", json_integer(0));
	fx_put(&f, "permits.json", j);
	expect(&f, "permits.json", "[0].statutory_days", "备案");
	fx_free(&f);
}

static void test_status_helpers(void **state)
{
	(void)state;
	assert_true(catalog_status_offered("in_force"));
	assert_true(catalog_status_offered("piloting"));
	assert_false(catalog_status_offered("planned"));
	assert_false(catalog_status_offered("suspended"));
	assert_true(catalog_status_offered(NULL)); /* a version from before statuses */
	assert_string_equal(catalog_status_label("planned"), "计划实施");
	assert_string_equal(catalog_status_label("in_force"), "已实施");
	assert_null(catalog_status_label("active"));
}

/* The guide's after cost follows the industry, and modelled figures are named. */
static void test_guide_savings(void **state)
{
	struct fx f;
	struct catalog *cat = NULL;
	struct yerr err = {0};
	struct guide_result r;
	json_t *j, *answers, *out;

	(void)state;
	fx_read(&f);
	j = fx_get(&f, "catalog.json");
	json_object_set_new(json_object_get(j, "after"), "inspection_steps", json_integer(1));
	json_object_set_new(json_object_get(j, "after"), "inspection_trips", json_integer(1));
	json_object_set_new(json_object_get(j, "after"), "modelled",
			    json_pack("[s,s]", "steps", "trips"));
	fx_put(&f, "catalog.json", j);
	j = fx_get(&f, "permits.json");
	json_object_set_new(json_object_get(json_array_get(j, 0), "before"), "modelled",
			    json_pack("[s]", "materials"));
	fx_put(&f, "permits.json", j);
	assert_int_equal(catalog_parse(f.files, f.n, &cat, &err), 0);

	/* 书店 with only 出版物经营许可 (no inspection) vs 便利店 (食品经营许可 is inspected) */
	answers = json_pack("{s:b,s:b}", "q_cafe", 0, "q_online", 0);
	assert_int_equal(guide_run(cat, "shudian", answers, &r, &err), 0);
	assert_false(catalog_permit_find(cat, "P_publication_retail")->inspection);
	assert_int_equal(r.after.steps, cat->after_steps);
	assert_int_equal(r.after.trips, cat->after_trips);
	assert_int_equal(r.modelled, GUIDE_M_STEPS | GUIDE_M_TRIPS);
	guide_result_free(&r);
	json_decref(answers);

	assert_int_equal(guide_run(cat, "bianlidian", NULL, &r, &err), 0);
	assert_true(r.permits[0].permit->inspection);
	assert_int_equal(r.after.steps, cat->after_steps + 1);
	assert_int_equal(r.after.trips, cat->after_trips + 1);
	assert_int_equal(r.modelled, GUIDE_M_STEPS | GUIDE_M_TRIPS | GUIDE_M_MATERIALS);
	out = guide_result_to_json(&r, 3);
	assert_string_equal(json_string_value(json_array_get(
				json_object_get(json_object_get(out, "savings"), "modelled"), 0)),
			    "materials");
	assert_true(json_is_null(json_object_get(json_object_get(out, "savings"), "source")));
	json_decref(out);

	/* a published case with exactly these permits confirms the figures it gives */
	{
		json_t *ind = fx_get(&f, BLD);
		long bm = r.before.materials, am = r.after.materials;
		guide_result_free(&r);
		catalog_free(cat);
		json_object_set_new(ind, "published",
				    json_pack("{s:[s],s:{s:I},s:{s:I},s:s}", "permits",
					      "P_food_sale", "before", "materials", (json_int_t)bm,
					      "after", "materials", (json_int_t)am, "source",
					      "公开数据"));
		fx_put(&f, BLD, ind);
		assert_int_equal(catalog_parse(f.files, f.n, &cat, &err), 0);
		assert_int_equal(guide_run(cat, "bianlidian", NULL, &r, &err), 0);
		assert_int_equal(r.modelled, GUIDE_M_STEPS | GUIDE_M_TRIPS);
		assert_string_equal(r.published_source, "公开数据");
		guide_result_free(&r);
	}
	catalog_free(cat);
	fx_free(&f);
}

/* The roll-out status is catalog data: a new version's diff shows the change. */
static void test_status_in_diff(void **state)
{
	struct fx f;
	struct catalog *a = NULL, *b = NULL;
	struct catalog_changes ch = {0};
	struct yerr err = {0};
	json_t *j;

	(void)state;
	fx_read(&f);
	assert_int_equal(catalog_parse(f.files, f.n, &a, &err), 0);
	j = fx_get(&f, BLD);
	json_object_set_new(j, "status", json_string("suspended"));
	fx_put(&f, BLD, j);
	assert_int_equal(catalog_parse(f.files, f.n, &b, &err), 0);
	assert_string_equal(catalog_industry_find(b, "bianlidian")->status, "suspended");
	assert_int_equal(catalog_diff(a, b, &ch), 0);
	assert_int_equal(ch.n, 1);
	assert_string_equal(ch.items[0].entity, "industry");
	assert_string_equal(ch.items[0].id, "bianlidian");
	assert_string_equal(ch.items[0].keys, "status");
	catalog_changes_free(&ch);
	catalog_free(a);
	catalog_free(b);
	fx_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rollout),
	    cmocka_unit_test(test_modelled_lists),
	    cmocka_unit_test(test_service),
	    cmocka_unit_test(test_counts_in_text),
	    cmocka_unit_test(test_published_and_filing),
	    cmocka_unit_test(test_status_helpers),
	    cmocka_unit_test(test_guide_savings),
	    cmocka_unit_test(test_status_in_diff),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
