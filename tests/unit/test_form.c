/*
 * test_form.c — the one form: each field type's validation, error shape
 * (field "form.<id>", Chinese label and id in the message), draft saves, and
 * the completeness check that lists everything missing at once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "unit_catalog.h"
#include "core/form.h"
#include "core/guide.h"

#define TODAY date_from_ymd(2026, 11, 28)

static struct catalog_option kinds[] = {{"own", "自有"}, {"lease", "租赁"}};

/* id label type required options n has_min has_max min max maxlen */
static struct catalog_field F[] = {
    {.id = "F_name", .label = "企业名称", .type = "text", .required = true, .maxlen = 5},
    {.id = "F_scope", .label = "经营范围", .type = "text"},
    {.id = "F_addr", .label = "经营场所地址", .type = "address", .required = true, .maxlen = 10},
    {.id = "F_uscc", .label = "统一社会信用代码", .type = "uscc", .required = true},
    {.id = "F_id", .label = "法定代表人身份证号码", .type = "idcard"},
    {.id = "F_phone", .label = "联系电话", .type = "phone", .required = true},
    {.id = "F_area",
     .label = "经营面积",
     .type = "area",
     .required = true,
     .has_min = true,
     .has_max = true,
     .min = 1,
     .max = 1000},
    {.id = "F_count", .label = "从业人数", .type = "number", .has_min = true, .min = 0},
    {.id = "F_date", .label = "成立日期", .type = "date"},
    {.id = "F_kind",
     .label = "产权性质",
     .type = "enum",
     .required = true,
     .options = kinds,
     .noptions = 2},
    {.id = "F_weird", .label = "奇怪", .type = "colour"},
};
#define NF (sizeof(F) / sizeof(F[0]))

static const struct catalog_field *fields[NF];

static int setup(void **state)
{
	size_t i;

	for (i = 0; i < NF; i++)
		fields[i] = &F[i];
	(void)state;
	return 0;
}

static const struct catalog_field *fld(const char *id)
{
	size_t i;

	for (i = 0; i < NF; i++)
		if (strcmp(F[i].id, id) == 0)
			return &F[i];
	fail_msg("no field %s", id);
	return NULL;
}

/* check one JSON value text against a field: 0 ok, else -1 with err. */
static int check(const char *id, const char *json, struct yerr *err)
{
	json_t *v = json_loads(json, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
	int rc;

	if (v == NULL)
		fail_msg("bad test JSON %s", json);
	rc = form_check_value(fld(id), v, TODAY, err);
	json_decref(v);
	return rc;
}

static void ok(const char *id, const char *json)
{
	struct yerr err = {0};

	if (check(id, json, &err) != 0)
		fail_msg("%s = %s refused: %s", id, json, err.message);
}

static void bad(const char *id, const char *json, const char *needle)
{
	struct yerr err = {0};
	char path[64];

	if (check(id, json, &err) == 0)
		fail_msg("%s = %s accepted", id, json);
	snprintf(path, sizeof(path), "form.%s", id);
	assert_int_equal(err.status, 400);
	assert_string_equal(err.code, "invalid_field");
	assert_string_equal(err.field, path);
	/* the message names the field in Chinese and by id */
	assert_non_null(strstr(err.message, fld(id)->label));
	assert_non_null(strstr(err.message, id));
	if (needle != NULL && strstr(err.message, needle) == NULL)
		fail_msg("%s = %s: message \"%s\" lacks \"%s\"", id, json, err.message, needle);
}

static void test_text(void **state)
{
	(void)state;
	ok("F_name", "\"徐汇便利\"");
	ok("F_name", "\"一二三四五\""); /* five characters, fifteen bytes */
	bad("F_name", "\"一二三四五六\"", "最多5个字");
	bad("F_name", "12", "应填写文字");
	bad("F_name", "\"a\\u0001b\"", "控制字符");
	ok("F_scope", "\"第一行\\n第二行\"");
	/* no maxlen: FORM_TEXT_MAX characters */
	{
		char *s = malloc(FORM_TEXT_MAX * 3 + 8), *p = s;
		int i;
		json_t *v;
		struct yerr err = {0};

		*p++ = '"';
		for (i = 0; i < FORM_TEXT_MAX; i++)
			p += sprintf(p, "字");
		strcpy(p, "\"");
		ok("F_scope", s);
		v = json_loads(s, JSON_DECODE_ANY, NULL);
		json_decref(v);
		strcpy(p, "字\"");
		assert_int_equal(check("F_scope", s, &err), -1);
		free(s);
	}
	ok("F_addr", "\"漕溪北路1号\"");
	bad("F_addr", "\"上海市徐汇区漕溪北路100号\"", "最多10个字");
	bad("F_addr", "\"第一行\\n第二行\"", "换行");
}

static void test_numbers(void **state)
{
	(void)state;
	ok("F_area", "120");
	ok("F_area", "1");
	ok("F_area", "1000");
	ok("F_area", "85.5");
	bad("F_area", "0.5", "不能小于1");
	bad("F_area", "1000.01", "不能大于1000");
	bad("F_area", "\"120\"", "应填写数字");
	bad("F_area", "true", "应填写数字");
	ok("F_count", "0");
	ok("F_count", "123456");
	bad("F_count", "-1", "不能小于0");
}

static void test_area_never_negative(void **state)
{
	struct catalog_field f = {.id = "F_a", .label = "面积", .type = "area"};
	struct yerr err = {0};
	json_t *v = json_real(-2.0);

	(void)state;
	assert_int_equal(form_check_value(&f, v, TODAY, &err), -1);
	assert_non_null(strstr(err.message, "负数"));
	json_decref(v);
}

static void test_dates_and_enums(void **state)
{
	(void)state;
	ok("F_date", "\"2020-02-29\"");
	bad("F_date", "\"2021-02-29\"", "YYYY-MM-DD");
	bad("F_date", "\"2021/02/01\"", NULL);
	bad("F_date", "\"2021-2-1\"", NULL);
	bad("F_date", "20210201", "应填写文字");
	ok("F_kind", "\"lease\"");
	bad("F_kind", "\"租赁\"", "选项"); /* the label is not the value */
	bad("F_kind", "\"LEASE\"", NULL);
	bad("F_kind", "\"own\\u0000junk\"", "控制字符");
}

static void test_identifiers(void **state)
{
	(void)state;
	ok("F_uscc", "\"91310104MA1FL0XX7X\"");
	bad("F_uscc", "\"91310104MA1FL0XX7Y\"", NULL);
	bad("F_uscc", "\"91310104ma1fl0xx7x\"", NULL);
	bad("F_uscc", "\"9131010\"", NULL);
	ok("F_id", "\"360426199101010071\"");
	ok("F_id", "\"11010519491231002X\"");
	bad("F_id", "\"360426199101010072\"", NULL);
	/* born after today */
	bad("F_id", "\"110105202712310011\"", NULL);
}

static void test_phone(void **state)
{
	static const char *const good[] = {"13812345678", "19912345678",  "021-64871234",
					   "64871234",    "0571-8765432", "021-64871234-801",
					   "6487123"};
	static const char *const wrong[] = {"12812345678",
					    "1381234567",
					    "138123456789",
					    "021 64871234",
					    "02164871234x",
					    "021-0487123",
					    "021-64871234-1234567",
					    "021-",
					    "-64871234",
					    "0-64871234",
					    "",
					    "+8613812345678",
					    "021-64871234-"};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (!form_phone_valid(good[i]))
			fail_msg("%s refused", good[i]);
	for (i = 0; i < sizeof(wrong) / sizeof(wrong[0]); i++)
		if (form_phone_valid(wrong[i]))
			fail_msg("%s accepted", wrong[i]);
	assert_false(form_phone_valid(NULL));
	ok("F_phone", "\"13812345678\"");
	bad("F_phone", "\"1381234\"", "手机号码");
	/* a NUL inside the JSON string does not smuggle a suffix through */
	bad("F_phone", "\"13812345678\\u0000x\"", NULL);
}

static void test_unknown_type_refused(void **state)
{
	(void)state;
	bad("F_weird", "\"red\"", "类型未知");
}

static void test_validate_draft(void **state)
{
	struct form_report rep = {0};
	struct yerr err = {0};
	json_t *form;

	(void)state;
	/* a draft may leave required fields empty or clear them with null / "" */
	form = json_pack("{ss sn ss}", "F_name", "便利", "F_uscc", "F_phone", "");
	assert_int_equal(form_validate(fields, NF, form, TODAY, &rep, &err), 0);
	assert_int_equal(rep.n, 0);
	json_decref(form);

	/* every problem is reported, the first in err */
	form = json_pack("{ss ss si ss}", "F_name", "太长的企业名称", "F_bogus", "x", "F_area",
			 5000, "F_kind", "own");
	assert_int_equal(form_validate(fields, NF, form, TODAY, &rep, &err), -1);
	assert_int_equal(rep.n, 3);
	assert_int_equal(err.status, 400);
	assert_true(strcmp(err.field, "form.F_name") == 0 ||
		    strcmp(err.field, "form.F_bogus") == 0 ||
		    strcmp(err.field, "form.F_area") == 0);
	{
		size_t i, unknown = 0;

		for (i = 0; i < rep.n; i++)
			if (rep.items[i].kind == FORM_UNKNOWN_FIELD) {
				unknown++;
				assert_string_equal(rep.items[i].err.code, "unknown_field");
				assert_string_equal(rep.items[i].err.field, "form.F_bogus");
			}
		assert_int_equal(unknown, 1);
	}
	form_report_free(&rep);
	json_decref(form);

	/* without a report the first problem still comes back */
	form = json_pack("{si}", "F_area", 0);
	assert_int_equal(form_validate(fields, NF, form, TODAY, NULL, &err), -1);
	assert_string_equal(err.field, "form.F_area");
	json_decref(form);

	form = json_array();
	assert_int_equal(form_validate(fields, NF, form, TODAY, NULL, &err), -1);
	assert_string_equal(err.code, "invalid_form");
	assert_string_equal(err.field, "form");
	json_decref(form);
}

static void test_prefill(void **state)
{
	json_t *form = json_pack("{ss sn}", "F_name", "自己填的", "F_phone");
	json_t *entity = json_pack("{ss ss ss}", "F_name", "登记名称", "F_uscc",
				   "91310104MA1FL0XX7Y", "F_phone", "13812345678");
	json_t *earlier = json_pack("{ss ss si ss}", "F_uscc", "91310104MA1FL0XX7X", "F_addr",
				    "漕溪北路1号", "F_area", 80, "F_other", "x");
	json_t *notobj = json_string("x");
	const json_t *sources[] = {entity, notobj, earlier};
	json_t *pre = json_array();

	(void)state;
	/* the entity's USCC is mistyped: the earlier application's valid one is used */
	assert_int_equal(form_prefill(fields, NF, form, sources, 3, TODAY, pre), 4);
	assert_string_equal(json_string_value(json_object_get(form, "F_name")), "自己填的");
	assert_string_equal(json_string_value(json_object_get(form, "F_uscc")),
			    "91310104MA1FL0XX7X");
	assert_string_equal(json_string_value(json_object_get(form, "F_phone")), "13812345678");
	assert_int_equal(json_integer_value(json_object_get(form, "F_area")), 80);
	assert_null(json_object_get(form, "F_other")); /* not a field of this form */
	assert_int_equal(json_array_size(pre), 4);
	assert_string_equal(json_string_value(json_array_get(pre, 0)), "F_addr");
	/* nothing left to fill */
	assert_int_equal(form_prefill(fields, NF, form, sources, 3, TODAY, pre), 0);
	assert_int_equal(form_prefill(fields, NF, notobj, sources, 3, TODAY, pre), -1);
	assert_int_equal(form_prefill(fields, NF, form, sources, 3, TODAY, notobj), -1);
	json_decref(form);
	json_decref(entity);
	json_decref(earlier);
	json_decref(notobj);
	json_decref(pre);
}

static struct catalog_material M[] = {
    {.id = "M_application_form", .name = "申请书"},
    {.id = "M_yyzz", .name = "营业执照", .exempt = true, .source = "共享"},
    {.id = "M_site_layout", .name = "场所平面图"},
    {.id = "M_id_legal", .name = "身份证明", .exempt = true, .source = "共享"},
};

static void test_precheck_lists_everything(void **state)
{
	const struct catalog_material *mats[] = {&M[0], &M[1], &M[2], &M[3]};
	const char *uploaded[] = {"M_site_layout", "M_yyzz"};
	struct form_report rep = {0};
	json_t *form, *j;
	size_t i, nmiss = 0, nbad = 0, nmat = 0;
	long n;

	(void)state;
	form =
	    json_pack("{ss ss si}", "F_name", "便利", "F_uscc", "91310104MA1FL0XX7Y", "F_area", 0);
	n = form_precheck(fields, NF, form, mats, 4, uploaded, 2, TODAY, &rep);
	/* missing: F_addr F_phone F_kind; wrong: F_uscc F_area; material: M_application_form */
	assert_int_equal(n, 6);
	for (i = 0; i < rep.n; i++) {
		const struct form_issue *it = &rep.items[i];

		if (it->kind == FORM_MISSING_FIELD) {
			nmiss++;
			assert_string_equal(it->err.code, "field_required");
			assert_non_null(strstr(it->err.message, it->label));
		} else if (it->kind == FORM_INVALID_FIELD) {
			nbad++;
		} else if (it->kind == FORM_MISSING_MATERIAL) {
			nmat++;
			assert_string_equal(it->id, "M_application_form");
			assert_string_equal(it->err.field, "materials.M_application_form");
			assert_string_equal(it->err.code, "material_required");
		}
	}
	assert_int_equal(nmiss, 3);
	assert_int_equal(nbad, 2);
	assert_int_equal(nmat, 1); /* the exempt M_id_legal is never asked for */
	j = form_report_to_json(&rep);
	assert_non_null(j);
	assert_false(json_is_true(json_object_get(j, "complete")));
	assert_int_equal(json_array_size(json_object_get(j, "missing_fields")), 3);
	assert_int_equal(json_array_size(json_object_get(j, "missing_materials")), 1);
	assert_int_equal(json_array_size(json_object_get(j, "errors")), 6);
	json_decref(j);
	form_report_free(&rep);
	json_decref(form);
}

static void test_precheck_complete(void **state)
{
	const struct catalog_material *mats[] = {&M[1], &M[2]};
	const char *uploaded[] = {"M_site_layout"};
	struct form_report rep = {0};
	json_t *form, *j;

	(void)state;
	form = json_pack("{ss ss ss ss si ss}", "F_name", "便利", "F_addr", "漕溪北路1号", "F_uscc",
			 "91310104MA1FL0XX7X", "F_phone", "021-64871234", "F_area", 80, "F_kind",
			 "own");
	assert_int_equal(form_precheck(fields, NF, form, mats, 2, uploaded, 1, TODAY, &rep), 0);
	j = form_report_to_json(&rep);
	assert_true(json_is_true(json_object_get(j, "complete")));
	json_decref(j);
	form_report_free(&rep);
	json_decref(form);
	/* nothing filled in at all: six required fields and the plan */
	assert_int_equal(form_precheck(fields, NF, NULL, mats, 2, NULL, 0, TODAY, &rep), 7);
	form_report_free(&rep);
}

/* The shipped 便利店 notice: an empty application lists every required field
 * and every non-exempt material, and no exempt one. */
static void test_precheck_shipped_catalog(void **state)
{
	struct catalog *cat = unit_catalog_load("catalog");
	struct guide_result g;
	struct form_report rep = {0};
	struct yerr err = {0};
	const struct catalog_material **mats;
	size_t i, required = 0, needed = 0, got_fields = 0, got_mats = 0;
	json_t *answers;

	(void)state;
	answers = json_pack("{sb sb sb sb sb si sb}", "q_alcohol", 0, "q_tobacco", 0, "q_drug", 0,
			    "q_device2", 0, "q_hot_food", 0, "q_area", 80, "q_sign", 0);
	if (guide_run(cat, "bianlidian", answers, &g, &err) != 0)
		fail_msg("guide: %s %s", err.field, err.message);
	mats = calloc(g.nmaterials + 1, sizeof(*mats));
	for (i = 0; i < g.nmaterials; i++) {
		mats[i] = g.materials[i].material;
		needed += !mats[i]->exempt;
	}
	for (i = 0; i < g.nfields; i++)
		required += g.fields[i]->required;
	assert_true(needed < g.nmaterials); /* the notice has exempt materials */
	assert_int_equal(
	    form_precheck(g.fields, g.nfields, NULL, mats, g.nmaterials, NULL, 0, TODAY, &rep),
	    (long)(required + needed));
	for (i = 0; i < rep.n; i++) {
		if (rep.items[i].kind == FORM_MISSING_MATERIAL) {
			got_mats++;
			assert_false(catalog_material_find(cat, rep.items[i].id)->exempt);
		} else {
			got_fields++;
		}
	}
	assert_int_equal(got_mats, needed);
	assert_int_equal(got_fields, required);
	form_report_free(&rep);
	free(mats);
	guide_result_free(&g);
	json_decref(answers);
	catalog_free(cat);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_text),
	    cmocka_unit_test(test_numbers),
	    cmocka_unit_test(test_area_never_negative),
	    cmocka_unit_test(test_dates_and_enums),
	    cmocka_unit_test(test_identifiers),
	    cmocka_unit_test(test_phone),
	    cmocka_unit_test(test_unknown_type_refused),
	    cmocka_unit_test(test_validate_draft),
	    cmocka_unit_test(test_prefill),
	    cmocka_unit_test(test_precheck_lists_everything),
	    cmocka_unit_test(test_precheck_complete),
	    cmocka_unit_test(test_precheck_shipped_catalog),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
