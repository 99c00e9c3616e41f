/*
 * test_catalog_supervision.c — the supervision data of the catalog (issue 13,
 * docs/catalog.md "Supervision"): a valid `supervision` and
 * `annual_report_fields` read clean and answer the accessors; each rule of
 * catalog_supervision_check on a broken copy of tests/fixtures/catalog-mini;
 * and the shipped catalog: every industry states who supervises it, every
 * permit is supervised, every check item is marked modelled.
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
#include "unit_catalog.h"

#include "unit_catalog_fixture.h"

/* A valid supervision for the fixture's 便利店 (four permits, four departments). */
static const char *const good_supervision =
    "[{\"department\":\"scjgj\",\"permits\":[\"P_food_sale\"],\"matters\":[\"食品经营活动\"],"
    "\"check_items\":[{\"code\":\"FOOD-01\",\"name\":\"食品经营许可证件有效\","
    "\"basis\":\"《中华人民共和国食品安全法》\",\"permit\":\"P_food_sale\",\"modelled\":true},"
    "{\"code\":\"FOOD-02\",\"name\":\"从业人员健康管理\",\"basis\":"
    "\"《中华人民共和国食品安全法》\","
    "\"modelled\":true}]},"
    "{\"department\":\"swj\",\"permits\":[\"P_alcohol_retail\"],\"matters\":[\"酒类商品零售\"],"
    "\"check_items\":[{\"code\":\"ALC-01\",\"name\":\"酒类许可证件有效\",\"basis\":\"条例\"}]},"
    "{\"department\":\"ycj\",\"permits\":[\"P_tobacco_retail\"],\"matters\":[\"烟草制品零售\"],"
    "\"check_items\":[{\"code\":\"TOB-01\",\"name\":\"烟草许可证件有效\",\"basis\":\"烟草专卖法\"}]"
    "},"
    "{\"department\":\"xfjy\",\"permits\":[\"P_fire_check\"],\"matters\":[\"消防安全\"],"
    "\"check_items\":[{\"code\":\"FIRE-01\",\"name\":\"疏散通道畅通\",\"basis\":\"消防法\"}]}]";

static const char *const good_fields =
    "[{\"id\":\"AR_staff\",\"label\":\"年末从业人员数\",\"type\":\"number\",\"required\":true,"
    "\"min\":0,\"modelled\":true},"
    "{\"id\":\"AR_alcohol\",\"label\":\"是否销售酒类\",\"type\":\"enum\",\"options\":"
    "[{\"value\":\"yes\",\"label\":\"是\"},{\"value\":\"no\",\"label\":\"否\"}]}]";

/* with: the fixture with 便利店's supervision and annual fields set from JSON texts. */
static void with(struct fx *f, const char *sup, const char *fields)
{
	json_t *j;

	fx_read(f);
	j = fx_get(f, BLD);
	if (sup != NULL)
		json_object_set_new(j, "supervision", json_loads(sup, 0, NULL));
	if (fields != NULL)
		json_object_set_new(j, "annual_report_fields", json_loads(fields, 0, NULL));
	fx_put(f, BLD, j);
}

/* edit: with the good data, then json_path-free edit by a callback on the industry. */
static void edit(struct fx *f, void (*fn)(json_t *ind))
{
	json_t *j;

	with(f, good_supervision, good_fields);
	j = fx_get(f, BLD);
	fn(j);
	fx_put(f, BLD, j);
}

static json_t *sup_at(json_t *ind, size_t i)
{
	return json_array_get(json_object_get(ind, "supervision"), i);
}

static json_t *item_at(json_t *ind, size_t i, size_t k)
{
	return json_array_get(json_object_get(sup_at(ind, i), "check_items"), k);
}

static void test_valid_and_accessors(void **state)
{
	const struct catalog_industry *ind;
	const struct catalog_supervision *s = NULL;
	const struct catalog_check_item *it;
	const struct catalog_field *fld;
	struct catalog *cat = NULL;
	struct yerr err = {0};
	struct fx f;

	(void)state;
	with(&f, good_supervision, good_fields);
	expect_clean(&f);
	assert_int_equal(catalog_parse(f.files, f.n, &cat, &err), 0);
	ind = catalog_industry_find(cat, "bianlidian");
	assert_non_null(ind);
	assert_int_equal(ind->nsupervision, 4);
	assert_int_equal(ind->nannual_fields, 2);
	assert_non_null(catalog_supervision_find(ind, "swj"));
	assert_null(catalog_supervision_find(ind, "whlyj"));
	assert_true(catalog_supervises(cat, "bianlidian", "ycj"));
	assert_false(catalog_supervises(cat, "bianlidian", "whlyj"));
	assert_true(catalog_supervises(cat, NULL, "xfjy"));
	assert_false(catalog_supervises(cat, "shudian", "scjgj")); /* states none */
	it = catalog_check_item_find(ind, "FOOD-02", &s);
	assert_non_null(it);
	assert_string_equal(s->department, "scjgj");
	assert_true(it->modelled);
	assert_null(it->permit);
	it = catalog_check_item_find(ind, "ALC-01", NULL);
	assert_non_null(it);
	assert_false(it->modelled);
	assert_null(catalog_check_item_find(ind, "NOPE-01", NULL));
	fld = catalog_annual_field_find(ind, "AR_alcohol");
	assert_non_null(fld);
	assert_int_equal(fld->noptions, 2);
	assert_false(fld->modelled);
	assert_true(catalog_annual_field_find(ind, "AR_staff")->modelled);
	assert_null(catalog_annual_field_find(ind, "F_uscc"));
	catalog_free(cat);
	fx_free(&f);
}

static void unknown_department(json_t *ind)
{
	json_object_set_new(sup_at(ind, 1), "department", json_string("nope"));
}
static void no_hand(json_t *ind)
{
	json_array_append_new(
	    json_object_get(ind, "supervision"),
	    json_loads("{\"department\":\"whlyj\",\"matters\":[\"x\"],\"check_items\":"
		       "[{\"code\":\"X-01\",\"name\":\"x\",\"basis\":\"b\"}]}",
		       0, NULL));
}
static void foreign_permit(json_t *ind)
{
	json_array_append_new(json_object_get(sup_at(ind, 1), "permits"),
			      json_string("P_food_sale"));
}
static void not_industry_permit(json_t *ind)
{
	json_array_append_new(json_object_get(sup_at(ind, 0), "permits"),
			      json_string("P_drug_retail"));
}
static void item_permit_elsewhere(json_t *ind)
{
	json_object_set_new(item_at(ind, 1, 0), "permit", json_string("P_food_sale"));
}
static void duplicate_code(json_t *ind)
{
	json_object_set_new(item_at(ind, 2, 0), "code", json_string("FOOD-01"));
}
static void duplicate_code_same_department(json_t *ind)
{
	json_object_set_new(item_at(ind, 0, 1), "code", json_string("FOOD-01"));
}
static void bad_code(json_t *ind)
{
	json_object_set_new(item_at(ind, 0, 1), "code", json_string("food 2"));
}
static void empty_basis(json_t *ind)
{
	json_object_set_new(item_at(ind, 0, 0), "basis", json_string(" "));
}
static void missing_basis(json_t *ind)
{
	json_object_del(item_at(ind, 0, 0), "basis");
}
static void missing_items(json_t *ind)
{
	json_object_del(sup_at(ind, 3), "check_items");
}
static void duplicate_department(json_t *ind)
{
	json_object_set_new(sup_at(ind, 3), "department", json_string("ycj"));
}
static void uncovered_permit(json_t *ind)
{
	json_array_remove(json_object_get(ind, "supervision"), 3);
}
static void bad_field_type(json_t *ind)
{
	json_object_set_new(json_array_get(json_object_get(ind, "annual_report_fields"), 0), "type",
			    json_string("weird"));
}
static void duplicate_field(json_t *ind)
{
	json_object_set_new(json_array_get(json_object_get(ind, "annual_report_fields"), 1), "id",
			    json_string("AR_staff"));
}
static void enum_without_options(json_t *ind)
{
	json_object_del(json_array_get(json_object_get(ind, "annual_report_fields"), 1), "options");
}

static void test_broken(void **state)
{
	static const struct {
		void (*fn)(json_t *);
		const char *path, *text;
	} cases[] = {
	    {unknown_department, "supervision[1].department", "未知的监管部门"},
	    {no_hand, "supervision[4].department", "不能监管本行业"},
	    {foreign_permit, "supervision[1].permits[1]", "由 \"scjgj\" 负责"},
	    {not_industry_permit, "supervision[0].permits[1]", "不是本行业合并的许可"},
	    {item_permit_elsewhere, "supervision[1].check_items[0].permit", "不在本部门监管"},
	    {duplicate_code, "supervision[2].check_items[0].code", "重复（亦见 supervision[0]）"},
	    {duplicate_code_same_department, "supervision[0].check_items[1].code", "重复"},
	    {bad_code, "supervision[0].check_items[1].code", "无效"},
	    {empty_basis, "supervision[0].check_items[0].basis", "必须写明法律依据"},
	    {missing_basis, "supervision[0].check_items[0].basis", "缺少必填项"},
	    {missing_items, "supervision[3].check_items", "缺少必填项"},
	    {duplicate_department, "supervision[3].department", "监管部门 \"ycj\" 重复"},
	    {uncovered_permit, "permits[3]", "没有写明监管部门"},
	    {bad_field_type, "annual_report_fields[0].type", "字段类型"},
	    {duplicate_field, "annual_report_fields[1].id", "年报字段编号 \"AR_staff\" 重复"},
	    {enum_without_options, "annual_report_fields[1].options", "enum 字段必须有 options"},
	};
	struct fx f;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		edit(&f, cases[i].fn);
		expect(&f, BLD, cases[i].path, cases[i].text);
		fx_free(&f);
	}
}

/* The same code must mean the same item in every industry. */
static void test_code_across_industries(void **state)
{
	json_t *j;
	struct fx f;

	(void)state;
	with(&f, good_supervision, NULL);
	j = fx_get(&f, "industries/shudian.json");
	json_object_set_new(
	    j, "supervision",
	    json_loads(
		"[{\"department\":\"scjgj\",\"permits\":[\"P_food_sale\"],\"matters\":[\"食品"
		"\"],\"check_items\":[{\"code\":\"FOOD-01\",\"name\":\"另一件事\",\"basis\":"
		"\"b\"}]},{\"department\":\"whlyj\",\"permits\":[\"P_publication_retail\"],"
		"\"matters\":[\"出版物\"],\"check_items\":[{\"code\":\"PUB-01\",\"name\":\"n\","
		"\"basis\":\"b\"}]}]",
		0, NULL));
	fx_put(&f, "industries/shudian.json", j);
	expect(&f, "industries/shudian.json", "supervision[0].check_items[0].code",
	       "同一编号必须指同一检查事项");
	fx_free(&f);
}

/* The shipped catalog: every industry supervised, every item modelled with a basis. */
static void test_shipped(void **state)
{
	struct catalog *cat = unit_catalog_load("catalog");

	(void)state;
	assert_true(cat->nindustries >= 25);
	for (size_t i = 0; i < cat->nindustries; i++) {
		const struct catalog_industry *ind = &cat->industries[i];

		if (ind->nsupervision == 0 || ind->nannual_fields == 0)
			fail_msg("%s: no supervision or annual-report fields", ind->code);
		for (size_t s = 0; s < ind->nsupervision; s++)
			for (size_t k = 0; k < ind->supervision[s].nitems; k++) {
				const struct catalog_check_item *it = &ind->supervision[s].items[k];
				if (!it->modelled || it->basis[0] == '\0')
					fail_msg("%s: %s not marked modelled", ind->code, it->code);
			}
	}
	catalog_free(cat);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_valid_and_accessors),
	    cmocka_unit_test(test_broken),
	    cmocka_unit_test(test_code_across_industries),
	    cmocka_unit_test(test_shipped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
