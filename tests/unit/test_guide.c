/*
 * test_guide.c — the guide engine on tests/fixtures/catalog-mini.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit_catalog.h"
#include "core/guide.h"

static struct catalog *load_fixture(void)
{
	return unit_catalog_load("tests/fixtures/catalog-mini");
}

static int setup(void **state)
{
	*state = load_fixture();
	return 0;
}

static int teardown(void **state)
{
	catalog_free(*state);
	return 0;
}

/* run succeeds or fails the test. */
static void run(const struct catalog *cat, const char *ind, const char *answers,
		struct guide_result *r)
{
	json_t *a = answers ? json_loads(answers, 0, NULL) : NULL;
	struct yerr err = {0};

	if (answers != NULL)
		assert_non_null(a);
	if (guide_run(cat, ind, a, r, &err) != 0)
		fail_msg("guide_run(%s, %s): %s %s %s", ind, answers, err.code, err.field,
			 err.message);
	json_decref(a);
}

static void run_err(const struct catalog *cat, const char *ind, const char *answers, int status,
		    const char *code, const char *field)
{
	json_t *a = answers ? json_loads(answers, JSON_DECODE_ANY, NULL) : NULL;
	struct guide_result r;
	struct yerr err = {0};

	assert_int_equal(guide_run(cat, ind, a, &r, &err), -1);
	assert_int_equal(err.status, status);
	assert_string_equal(err.code, code);
	assert_string_equal(err.field, field);
	assert_true(strlen(err.message) > 0);
	assert_null(r.permits);
	json_decref(a);
}

static bool has_permit(const struct guide_result *r, const char *code)
{
	size_t i;

	for (i = 0; i < r->npermits; i++)
		if (strcmp(r->permits[i].permit->code, code) == 0)
			return true;
	return false;
}

static const struct guide_material *material(const struct guide_result *r, const char *id)
{
	size_t i;

	for (i = 0; i < r->nmaterials; i++)
		if (strcmp(r->materials[i].material->id, id) == 0)
			return &r->materials[i];
	return NULL;
}

static void test_no_answers(void **state)
{
	struct guide_result r;

	run(*state, "bianlidian", NULL, &r);
	assert_false(r.complete);
	/* q_alcohol_kind waits for q_alcohol */
	assert_int_equal(r.nnext, 3);
	assert_string_equal(r.next_questions[0]->id, "q_alcohol");
	assert_string_equal(r.next_questions[1]->id, "q_tobacco");
	assert_string_equal(r.next_questions[2]->id, "q_area");
	/* partial but valid: the base permit is known already */
	assert_int_equal(r.npermits, 1);
	assert_string_equal(r.permits[0].permit->code, "P_food_sale");
	assert_string_equal(r.permits[0].department->name, "区市场监管局");
	assert_int_equal(r.permits[0].nwhy, 1);
	assert_string_equal(r.permits[0].why[0].rule, "base");
	assert_string_equal(r.permits[0].why[0].basis, "《中华人民共和国食品安全法》第三十五条");
	assert_int_equal(r.time_limit_days, 6);
	guide_result_free(&r);

	run(*state, "bianlidian", "{}", &r);
	assert_int_equal(r.nnext, 3);
	guide_result_free(&r);
}

static void test_follow_up(void **state)
{
	struct guide_result r;

	run(*state, "bianlidian", "{\"q_alcohol\":true}", &r);
	assert_false(r.complete);
	assert_int_equal(r.nnext, 3);
	assert_string_equal(r.next_questions[0]->id, "q_alcohol_kind");
	assert_string_equal(r.next_questions[1]->id, "q_tobacco");
	assert_true(has_permit(&r, "P_alcohol_retail"));
	assert_string_equal(r.permits[1].why[0].rule, "r_alcohol");
	assert_int_equal(r.permits[1].why[0].nanswers, 1);
	assert_string_equal(r.permits[1].why[0].answers[0].question, "q_alcohol");
	assert_true(json_is_true(r.permits[1].why[0].answers[0].value));
	guide_result_free(&r);

	/* answering false hides the follow-up */
	run(*state, "bianlidian", "{\"q_alcohol\":false}", &r);
	assert_int_equal(r.nnext, 2);
	assert_string_equal(r.next_questions[0]->id, "q_tobacco");
	assert_false(has_permit(&r, "P_alcohol_retail"));
	guide_result_free(&r);

	/* a null answer is no answer */
	run(*state, "bianlidian", "{\"q_alcohol\":null,\"q_area\":10}", &r);
	assert_int_equal(r.nnext, 2);
	assert_null(json_object_get(r.answers, "q_alcohol"));
	guide_result_free(&r);
}

static void test_complete_and_merge(void **state)
{
	struct guide_result r;
	const struct guide_material *m;
	size_t i, n;

	run(*state, "bianlidian",
	    "{\"q_alcohol\":true,\"q_alcohol_kind\":\"beer\",\"q_tobacco\":true,\"q_area\":500}",
	    &r);
	assert_true(r.complete);
	assert_int_equal(r.nnext, 0);
	assert_int_equal(r.npermits, 4);
	/* in the industry's permit order */
	assert_string_equal(r.permits[0].permit->code, "P_food_sale");
	assert_string_equal(r.permits[1].permit->code, "P_alcohol_retail");
	assert_string_equal(r.permits[2].permit->code, "P_tobacco_retail");
	assert_string_equal(r.permits[3].permit->code, "P_fire_check");
	assert_string_equal(r.permits[3].why[0].rule, "r_fire");
	assert_string_equal(r.permits[3].why[0].answers[0].question, "q_area");

	/* each material once, industry's own first, with the permits needing it */
	assert_int_equal(r.nmaterials, 9);
	assert_string_equal(r.materials[0].material->id, "M_application_form");
	assert_int_equal(r.materials[0].nrequired_by, 0);
	m = material(&r, "M_yyzz");
	assert_non_null(m);
	assert_int_equal(m->nrequired_by, 3);
	assert_string_equal(m->required_by[0], "P_food_sale");
	assert_string_equal(m->required_by[1], "P_alcohol_retail");
	assert_string_equal(m->required_by[2], "P_tobacco_retail");
	assert_true(m->material->exempt);
	m = material(&r, "M_site");
	assert_int_equal(m->nrequired_by, 2);
	for (i = 0, n = 0; i < r.nmaterials; i++)
		n += strcmp(r.materials[i].material->id, "M_id_legal") == 0;
	assert_int_equal(n, 1);

	/* fields merged and de-duplicated: industry's F_uscc first */
	assert_int_equal(r.nfields, 8);
	assert_string_equal(r.fields[0]->id, "F_uscc");
	for (i = 0, n = 0; i < r.nfields; i++)
		n += strcmp(r.fields[i]->id, "F_address") == 0;
	assert_int_equal(n, 1);

	/* inspection by departments of permits with inspection=true, each once */
	assert_int_equal(r.ninspection, 3);
	assert_string_equal(r.inspection_departments[0]->code, "scjgj");
	assert_string_equal(r.inspection_departments[1]->code, "ycj");
	assert_string_equal(r.inspection_departments[2]->code, "xfjy");

	/* commitments: only conditions with commitment=true */
	assert_int_equal(r.ncommitments, 3);
	assert_string_equal(r.commitments[0].condition->id, "C_food_site");
	assert_string_equal(r.commitments[0].permit->code, "P_food_sale");
	assert_string_equal(r.commitments[1].condition->id, "C_alcohol_mgmt");
	assert_string_equal(r.commitments[2].condition->id, "C_fire_equip");

	/* max(5,3,4,3) + issuance 1, not the sum */
	assert_int_equal(r.time_limit_days, 6);

	/* savings */
	assert_int_equal(r.before.permits, 4);
	assert_int_equal(r.before.days, 70);
	assert_int_equal(r.before.materials, 36);
	assert_int_equal(r.before.fields, 190);
	assert_int_equal(r.before.steps, 14);
	assert_int_equal(r.before.trips, 8);
	assert_int_equal(r.after.permits, 1);
	assert_int_equal(r.after.days, 6);
	assert_int_equal(r.after.materials, 8); /* 9 merged, M_yyzz exempt */
	assert_int_equal(r.after.fields, 8);
	assert_int_equal(r.after.steps, 4);
	assert_int_equal(r.after.trips, 1);
	assert_int_equal(r.percent.permits, 75);
	assert_int_equal(r.percent.days, 91);
	assert_int_equal(r.percent.materials, 78);
	assert_int_equal(r.percent.fields, 96);
	assert_int_equal(r.percent.steps, 71);
	assert_int_equal(r.percent.trips, 88);
	guide_result_free(&r);
}

static void test_multi_and_any(void **state)
{
	struct guide_result r;
	const struct guide_material *m;

	run(*state, "yaodian",
	    "{\"q_chain\":\"chain\",\"q_food\":true,\"q_food_kind\":[\"infant\",\"snack\"]}", &r);
	assert_true(r.complete);
	assert_true(has_permit(&r, "P_food_sale"));
	assert_string_equal(r.permits[1].why[0].rule, "r_food");
	/* q_food and q_food_kind made the rule hold */
	assert_int_equal(r.permits[1].why[0].nanswers, 2);
	assert_string_equal(r.permits[1].why[0].answers[0].question, "q_food");
	assert_string_equal(r.permits[1].why[0].answers[1].question, "q_food_kind");
	/* the pharmacist certificate is exempt (obtained by data sharing) */
	m = material(&r, "M_pharmacist");
	assert_non_null(m);
	assert_true(m->material->exempt);
	assert_string_equal(m->material->source, "执业药师注册信息共享（市药监局）");
	guide_result_free(&r);

	run(*state, "yaodian",
	    "{\"q_chain\":\"chain\",\"q_food\":true,\"q_food_kind\":[\"infant\"]}", &r);
	assert_false(has_permit(&r, "P_food_sale"));
	guide_result_free(&r);

	run(*state, "yaodian", "{\"q_food\":true,\"q_food_kind\":[]}", &r);
	assert_false(r.complete);
	assert_int_equal(r.nnext, 1);
	assert_string_equal(r.next_questions[0]->id, "q_chain");
	guide_result_free(&r);
}

static void test_errors(void **state)
{
	const struct catalog *cat = *state;

	run_err(cat, "nosuch", "{}", 404, "unknown_industry", "industry");
	run_err(cat, NULL, "{}", 404, "unknown_industry", "industry");
	run_err(cat, "bianlidian", "[]", 400, "invalid_answers", "answers");
	run_err(cat, "bianlidian", "{\"q_x\":true}", 400, "unknown_question", "answers.q_x");
	run_err(cat, "bianlidian", "{\"q_alcohol\":\"yes\"}", 400, "invalid_answer",
		"answers.q_alcohol");
	run_err(cat, "bianlidian", "{\"q_alcohol\":1}", 400, "invalid_answer", "answers.q_alcohol");
	run_err(cat, "bianlidian", "{\"q_alcohol\":true,\"q_alcohol_kind\":\"rum\"}", 400,
		"invalid_answer", "answers.q_alcohol_kind");
	run_err(cat, "bianlidian", "{\"q_alcohol\":true,\"q_alcohol_kind\":[\"beer\"]}", 400,
		"invalid_answer", "answers.q_alcohol_kind");
	run_err(cat, "bianlidian", "{\"q_area\":-1}", 400, "invalid_answer", "answers.q_area");
	run_err(cat, "bianlidian", "{\"q_area\":100001}", 400, "invalid_answer", "answers.q_area");
	run_err(cat, "bianlidian", "{\"q_area\":\"300\"}", 400, "invalid_answer", "answers.q_area");
	run_err(cat, "yaodian", "{\"q_food\":true,\"q_food_kind\":[\"health\",\"health\"]}", 400,
		"invalid_answer", "answers.q_food_kind");
	run_err(cat, "yaodian", "{\"q_food\":true,\"q_food_kind\":[\"x\"]}", 400, "invalid_answer",
		"answers.q_food_kind");
	run_err(cat, "yaodian", "{\"q_food\":true,\"q_food_kind\":\"health\"}", 400,
		"invalid_answer", "answers.q_food_kind");
	run_err(cat, "shudian", "{\"q_name\":\"一二三四五六七八九十一二三四五六七八九十一\"}", 400,
		"invalid_answer", "answers.q_name");
	run_err(cat, "shudian", "{\"q_name\":5}", 400, "invalid_answer", "answers.q_name");
	/* asked only when q_alcohol is true */
	run_err(cat, "bianlidian", "{\"q_alcohol\":false,\"q_alcohol_kind\":\"beer\"}", 400,
		"question_not_asked", "answers.q_alcohol_kind");
	run_err(cat, "bianlidian", "{\"q_alcohol_kind\":\"beer\"}", 400, "question_not_asked",
		"answers.q_alcohol_kind");
	/* unknown questions are reported before anything else */
	run_err(cat, "bianlidian", "{\"q_alcohol\":\"bad\",\"zz\":1}", 400, "unknown_question",
		"answers.zz");
}

static void test_text_limit_counts_characters(void **state)
{
	struct guide_result r;

	/* 20 Chinese characters = 60 bytes, within maxlen 20 */
	run(*state, "shudian", "{\"q_name\":\"一二三四五六七八九十一二三四五六七八九十\"}", &r);
	guide_result_free(&r);
}

static void test_json_shape(void **state)
{
	struct guide_result r;
	json_t *j, *p, *m, *s;
	char *text;

	run(*state, "bianlidian", "{\"q_alcohol\":true}", &r);
	j = guide_result_to_json(&r, 0);
	assert_non_null(j);
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(j, "industry"), "code")),
	    "bianlidian");
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(j, "industry"), "name")), "便利店");
	assert_true(json_is_null(json_object_get(j, "catalog_version")));
	assert_true(json_is_false(json_object_get(j, "complete")));
	assert_int_equal(json_array_size(json_object_get(j, "next_questions")), 3);
	s = json_array_get(json_object_get(j, "next_questions"), 0);
	assert_string_equal(json_string_value(json_object_get(s, "id")), "q_alcohol_kind");
	assert_string_equal(json_string_value(json_object_get(s, "type")), "choice");
	assert_int_equal(json_array_size(json_object_get(s, "options")), 3);
	assert_string_equal(json_string_value(json_object_get(
				json_array_get(json_object_get(s, "options"), 0), "label")),
			    "啤酒");
	s = json_array_get(json_object_get(j, "next_questions"), 2);
	assert_int_equal(json_integer_value(json_object_get(s, "max")), 100000);

	p = json_array_get(json_object_get(j, "permits"), 1);
	assert_string_equal(json_string_value(json_object_get(p, "code")), "P_alcohol_retail");
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(p, "department"), "name")),
	    "区商务委");
	s = json_array_get(json_object_get(p, "why"), 0);
	assert_string_equal(json_string_value(json_object_get(s, "rule")), "r_alcohol");
	assert_string_equal(json_string_value(json_object_get(s, "basis")),
			    "《上海市酒类商品产销管理条例》第十九条");
	s = json_array_get(json_object_get(s, "answers"), 0);
	assert_string_equal(json_string_value(json_object_get(s, "question")), "q_alcohol");
	assert_true(json_is_true(json_object_get(s, "value")));

	m = json_object_get(j, "materials");
	s = json_array_get(m, 1);
	assert_string_equal(json_string_value(json_object_get(s, "id")), "M_yyzz");
	assert_true(json_is_true(json_object_get(s, "exempt")));
	assert_non_null(json_object_get(s, "source"));
	assert_int_equal(json_array_size(json_object_get(s, "required_by")), 2);

	assert_true(json_array_size(json_object_get(j, "fields")) > 0);
	assert_string_equal(json_string_value(json_object_get(
				json_array_get(json_object_get(j, "fields"), 0), "label")),
			    "统一社会信用代码");
	assert_string_equal(
	    json_string_value(json_object_get(
		json_array_get(json_object_get(j, "inspection_departments"), 0), "code")),
	    "scjgj");
	s = json_array_get(json_object_get(j, "commitments"), 1);
	assert_string_equal(json_string_value(json_object_get(s, "category")), "管理制度");
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(s, "permit"), "code")),
	    "P_alcohol_retail");
	assert_int_equal(json_integer_value(json_object_get(j, "time_limit_days")), 6);
	s = json_object_get(j, "savings");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(s, "before"), "days")),
			 40);
	assert_int_equal(
	    json_integer_value(json_object_get(json_object_get(s, "after"), "permits")), 1);
	assert_int_equal(
	    json_integer_value(json_object_get(json_object_get(s, "percent"), "permits")), 50);
	text = json_dumps(j, JSON_COMPACT);
	assert_non_null(text);
	free(text);
	json_decref(j);

	j = guide_result_to_json(&r, 7);
	assert_int_equal(json_integer_value(json_object_get(j, "catalog_version")), 7);
	json_decref(j);
	guide_result_free(&r);
}

static void test_percent(void **state)
{
	(void)state;
	assert_int_equal(guide_percent(0, 0), 0);
	assert_int_equal(guide_percent(0, 5), 0);
	assert_int_equal(guide_percent(95, 5), 95);
	assert_int_equal(guide_percent(53, 10), 81);
	assert_int_equal(guide_percent(313, 98), 69);
	assert_int_equal(guide_percent(8, 1), 88); /* 87.5 rounds up */
	assert_int_equal(guide_percent(2, 3), -50);
	assert_int_equal(guide_percent(5, 5), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_no_answers),
	    cmocka_unit_test(test_follow_up),
	    cmocka_unit_test(test_complete_and_merge),
	    cmocka_unit_test(test_multi_and_any),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_text_limit_counts_characters),
	    cmocka_unit_test(test_json_shape),
	    cmocka_unit_test(test_percent),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
