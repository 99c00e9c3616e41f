/*
 * test_cond.c — the condition language: parsing, errors with paths, evaluation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/cond.h"

static struct cond *parse_ok(const char *text)
{
	json_error_t jerr;
	json_t *j = json_loads(text, 0, &jerr);
	struct cond *c = NULL;
	struct yerr err = {0};

	assert_non_null(j);
	if (cond_parse(j, "when", &c, &err) != 0)
		fail_msg("parse %s: %s %s", text, err.field, err.message);
	json_decref(j);
	return c;
}

/* parse_err expects a failure whose field is `field`. */
static void parse_err(const char *text, const char *field)
{
	json_t *j = json_loads(text, 0, NULL);
	struct cond *c = (struct cond *)1;
	struct yerr err = {0};

	assert_non_null(j);
	assert_int_equal(cond_parse(j, "rules[2].when", &c, &err), -1);
	assert_null(c);
	assert_string_equal(err.code, "invalid_condition");
	assert_int_equal(err.status, 400);
	if (strcmp(err.field, field) != 0)
		fail_msg("%s: field %s, want %s (%s)", text, err.field, field, err.message);
	assert_true(strlen(err.message) > 0);
	json_decref(j);
}

static int eval(const char *cond, const char *answers)
{
	struct cond *c = parse_ok(cond);
	json_t *a = json_loads(answers, 0, NULL);
	int r;

	assert_non_null(a);
	r = cond_eval(c, a, NULL);
	json_decref(a);
	cond_free(c);
	return r;
}

static enum cond_truth eval3(const char *cond, const char *answers)
{
	struct cond *c = parse_ok(cond);
	json_t *a = json_loads(answers, 0, NULL);
	enum cond_truth r;

	r = cond_eval3(c, a);
	json_decref(a);
	cond_free(c);
	return r;
}

static void test_comparisons(void **state)
{
	(void)state;
	assert_true(eval("{\"eq\":[\"q\",true]}", "{\"q\":true}"));
	assert_false(eval("{\"eq\":[\"q\",true]}", "{\"q\":false}"));
	assert_true(eval("{\"eq\":[\"q\",\"a\"]}", "{\"q\":\"a\"}"));
	assert_true(eval("{\"eq\":[\"q\",1]}", "{\"q\":1.0}")); /* numbers by value */
	assert_true(eval("{\"ne\":[\"q\",\"a\"]}", "{\"q\":\"b\"}"));
	assert_false(eval("{\"ne\":[\"q\",\"a\"]}", "{\"q\":\"a\"}"));
	assert_true(eval("{\"in\":[\"q\",[\"a\",\"b\"]]}", "{\"q\":\"b\"}"));
	assert_false(eval("{\"in\":[\"q\",[\"a\",\"b\"]]}", "{\"q\":\"c\"}"));
	assert_true(eval("{\"has\":[\"q\",\"b\"]}", "{\"q\":[\"a\",\"b\"]}"));
	assert_false(eval("{\"has\":[\"q\",\"c\"]}", "{\"q\":[\"a\",\"b\"]}"));
	assert_false(eval("{\"has\":[\"q\",\"a\"]}", "{\"q\":\"a\"}"));
	assert_true(eval("{\"gt\":[\"q\",300]}", "{\"q\":301}"));
	assert_false(eval("{\"gt\":[\"q\",300]}", "{\"q\":300}"));
	assert_true(eval("{\"ge\":[\"q\",300]}", "{\"q\":300}"));
	assert_true(eval("{\"lt\":[\"q\",300]}", "{\"q\":299.5}"));
	assert_false(eval("{\"lt\":[\"q\",300]}", "{\"q\":300}"));
	assert_true(eval("{\"le\":[\"q\",300]}", "{\"q\":300}"));
	assert_false(eval("{\"gt\":[\"q\",1]}", "{\"q\":\"5\"}")); /* not a number */
	assert_true(eval("{\"answered\":\"q\"}", "{\"q\":false}"));
	assert_false(eval("{\"answered\":\"q\"}", "{}"));
}

static void test_unanswered(void **state)
{
	(void)state;
	/* every comparison on an unanswered question is false; not of it is true */
	assert_false(eval("{\"eq\":[\"q\",true]}", "{}"));
	assert_false(eval("{\"ne\":[\"q\",true]}", "{}"));
	assert_false(eval("{\"gt\":[\"q\",0]}", "{}"));
	assert_true(eval("{\"not\":{\"eq\":[\"q\",true]}}", "{}"));
	/* null means not answered */
	assert_false(eval("{\"answered\":\"q\"}", "{\"q\":null}"));
	assert_false(eval("{\"ne\":[\"q\",1]}", "{\"q\":null}"));
}

static void test_logic(void **state)
{
	(void)state;
	assert_true(eval("{\"all\":[{\"eq\":[\"a\",1]},{\"eq\":[\"b\",2]}]}", "{\"a\":1,\"b\":2}"));
	assert_false(
	    eval("{\"all\":[{\"eq\":[\"a\",1]},{\"eq\":[\"b\",2]}]}", "{\"a\":1,\"b\":3}"));
	assert_true(eval("{\"any\":[{\"eq\":[\"a\",1]},{\"eq\":[\"b\",2]}]}", "{\"a\":0,\"b\":2}"));
	assert_false(eval("{\"any\":[{\"eq\":[\"a\",1]},{\"eq\":[\"b\",2]}]}", "{}"));
	assert_true(eval("{\"not\":{\"any\":[{\"eq\":[\"a\",1]}]}}", "{\"a\":2}"));
	assert_true(eval("{\"all\":[{\"any\":[{\"gt\":[\"n\",10]},{\"eq\":[\"x\",true]}]},{\"not\":"
			 "{\"eq\":[\"y\",\"z\"]}}]}",
			 "{\"n\":5,\"x\":true,\"y\":\"w\"}"));
}

static void test_three_valued(void **state)
{
	(void)state;
	assert_int_equal(eval3("{\"eq\":[\"q\",true]}", "{}"), COND_UNKNOWN);
	assert_int_equal(eval3("{\"not\":{\"eq\":[\"q\",true]}}", "{}"), COND_UNKNOWN);
	assert_int_equal(eval3("{\"eq\":[\"q\",true]}", "{\"q\":true}"), COND_TRUE);
	assert_int_equal(eval3("{\"eq\":[\"q\",true]}", "{\"q\":false}"), COND_FALSE);
	/* any holds as soon as one operand holds, even with others unknown */
	assert_int_equal(eval3("{\"any\":[{\"eq\":[\"a\",1]},{\"eq\":[\"b\",1]}]}", "{\"a\":1}"),
			 COND_TRUE);
	assert_int_equal(eval3("{\"any\":[{\"eq\":[\"a\",1]},{\"eq\":[\"b\",1]}]}", "{\"a\":2}"),
			 COND_UNKNOWN);
	assert_int_equal(eval3("{\"all\":[{\"eq\":[\"a\",1]},{\"eq\":[\"b\",1]}]}", "{\"a\":2}"),
			 COND_FALSE);
	assert_int_equal(eval3("{\"all\":[{\"eq\":[\"a\",1]},{\"eq\":[\"b\",1]}]}", "{\"a\":1}"),
			 COND_UNKNOWN);
	assert_int_equal(eval3("{\"answered\":\"a\"}", "{}"), COND_FALSE);
}

static void test_used(void **state)
{
	struct cond *c;
	struct cond_used used = {0};
	json_t *a;

	(void)state;
	c = parse_ok(
	    "{\"any\":[{\"eq\":[\"a\",1]},{\"all\":[{\"eq\":[\"b\",2]},{\"gt\":[\"n\",3]}]}]}");
	a = json_loads("{\"a\":0,\"b\":2,\"n\":4}", 0, NULL);
	assert_true(cond_eval(c, a, &used));
	/* a was looked at but did not make it hold: only b and n are reported */
	assert_int_equal(used.n, 2);
	assert_string_equal(used.questions[0], "b");
	assert_string_equal(used.questions[1], "n");
	json_decref(a);

	used.n = 0;
	a = json_loads("{\"a\":1,\"b\":2,\"n\":4}", 0, NULL);
	assert_true(cond_eval(c, a, &used));
	assert_int_equal(used.n, 1);
	assert_string_equal(used.questions[0], "a");
	json_decref(a);

	used.n = 0;
	a = json_loads("{\"a\":0}", 0, NULL);
	assert_false(cond_eval(c, a, &used));
	assert_int_equal(used.n, 0);
	json_decref(a);
	cond_free(c);

	/* not: the answered questions below it explain it */
	c = parse_ok("{\"not\":{\"eq\":[\"a\",1]}}");
	used.n = 0;
	a = json_loads("{\"a\":5}", 0, NULL);
	assert_true(cond_eval(c, a, &used));
	assert_int_equal(used.n, 1);
	assert_string_equal(used.questions[0], "a");
	json_decref(a);
	cond_free(c);
}

static void test_paths(void **state)
{
	struct cond *c;

	(void)state;
	c = parse_ok("{\"all\":[{\"eq\":[\"a\",1]},{\"not\":{\"gt\":[\"n\",3]}}]}");
	assert_string_equal(c->path, "when");
	assert_int_equal(c->op, COND_ALL);
	assert_int_equal(c->nkids, 2);
	assert_string_equal(c->kids[0]->path, "when.all[0]");
	assert_string_equal(c->kids[0]->qpath, "when.all[0].eq[0]");
	assert_string_equal(c->kids[1]->kids[0]->path, "when.all[1].not");
	assert_string_equal(c->kids[1]->kids[0]->qpath, "when.all[1].not.gt[0]");
	assert_string_equal(cond_op_name(c->kids[1]->op), "not");
	cond_free(c);
}

static void test_errors(void **state)
{
	(void)state;
	parse_err("[1]", "rules[2].when");
	parse_err("{}", "rules[2].when");
	parse_err("{\"eq\":[\"a\",1],\"ne\":[\"a\",2]}", "rules[2].when");
	parse_err("{\"equals\":[\"a\",1]}", "rules[2].when.equals");
	parse_err("{\"all\":[]}", "rules[2].when.all");
	parse_err("{\"any\":{}}", "rules[2].when.any");
	parse_err("{\"eq\":[\"a\"]}", "rules[2].when.eq");
	parse_err("{\"eq\":\"a\"}", "rules[2].when.eq");
	parse_err("{\"eq\":[1,1]}", "rules[2].when.eq[0]");
	parse_err("{\"eq\":[\"\",1]}", "rules[2].when.eq[0]");
	parse_err("{\"eq\":[\"a\",[1]]}", "rules[2].when.eq[1]");
	parse_err("{\"eq\":[\"a\",null]}", "rules[2].when.eq[1]");
	parse_err("{\"gt\":[\"a\",\"300\"]}", "rules[2].when.gt[1]");
	parse_err("{\"in\":[\"a\",\"x\"]}", "rules[2].when.in[1]");
	parse_err("{\"in\":[\"a\",[]]}", "rules[2].when.in[1]");
	parse_err("{\"in\":[\"a\",[\"x\",{}]]}", "rules[2].when.in[1][1]");
	parse_err("{\"answered\":1}", "rules[2].when.answered");
	parse_err("{\"not\":[]}", "rules[2].when.not");
	parse_err(
	    "{\"all\":[{\"eq\":[\"a\",1]},{\"any\":[{\"eq\":[\"b\",1]},{\"lt\":[\"q_x\",true]}]}]}",
	    "rules[2].when.all[1].any[1].lt[1]");
	parse_err("{\"all\":[{\"eq\":[\"a\",1]},{\"has\":[7,\"x\"]}]}",
		  "rules[2].when.all[1].has[0]");
}

static void test_depth_limit(void **state)
{
	char buf[4096];
	size_t i, n = 0;
	json_t *j;
	struct cond *c = NULL;
	struct yerr err = {0};

	(void)state;
	for (i = 0; i < 40; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "{\"not\":");
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "{\"answered\":\"q\"}");
	for (i = 0; i < 40; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "}");
	j = json_loads(buf, 0, NULL);
	assert_non_null(j);
	assert_int_equal(cond_parse(j, "when", &c, &err), -1);
	assert_string_equal(err.code, "invalid_condition");
	json_decref(j);
}

static int count_nodes(const struct cond *n, void *ctx)
{
	(void)n;
	(*(int *)ctx)++;
	return 0;
}

static void test_visit(void **state)
{
	struct cond *c = parse_ok("{\"all\":[{\"eq\":[\"a\",1]},{\"not\":{\"gt\":[\"n\",3]}}]}");
	int n = 0;

	(void)state;
	assert_int_equal(cond_visit(c, count_nodes, &n), 0);
	assert_int_equal(n, 4);
	cond_free(c);
	cond_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_comparisons), cmocka_unit_test(test_unanswered),
	    cmocka_unit_test(test_logic),       cmocka_unit_test(test_three_valued),
	    cmocka_unit_test(test_used),        cmocka_unit_test(test_paths),
	    cmocka_unit_test(test_errors),      cmocka_unit_test(test_depth_limit),
	    cmocka_unit_test(test_visit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
