/*
 * test_draw_record.c — the public record of a draw (src/core/draw_record.c):
 * the worked example's record verifies, in any listing order; a record with
 * one thing altered fails and says what; malformed records get a precise
 * bad_record naming the JSON path.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/draw.h"
#include "unit_draw.h"

/* The record of the example re-runs to a match; its text is what the
 * supervision module will publish. */
static char *ex_record_text(const char *public_value)
{
	struct draw_plan pl = ex_plan();
	struct draw_prepared *p = prepare_ok(&pl);
	struct draw_selection sel;
	struct yerr e = {0};
	json_t *rec;
	char *text;

	assert_int_equal(draw_run(p, ex_secret, sizeof(ex_secret), public_value, &sel, &e), 0);
	rec = draw_record_json(p, ex_secret, sizeof(ex_secret), public_value,
			       "示例：某期开奖号码（非真实数据）", &sel);
	text = json_dumps(rec, JSON_COMPACT);
	json_decref(rec);
	draw_selection_free(&sel);
	draw_prepared_free(p);
	return text;
}

static enum draw_verdict verify_json(json_t *rec, struct yerr *e)
{
	char *text = json_dumps(rec, JSON_COMPACT);
	enum draw_verdict v = draw_verify(text, strlen(text), NULL, 0, e);

	free(text);
	return v;
}

static void test_record_verifies(void **state)
{
	char *text = ex_record_text("471"), summary[1024];
	struct yerr e = {0};
	json_t *rec;

	(void)state;
	assert_int_equal(draw_verify(text, strlen(text), summary, sizeof(summary), &e), DRAW_MATCH);
	assert_non_null(strstr(summary, EX_COMMITMENT));
	assert_non_null(strstr(summary, "matches"));
	rec = json_loads(text, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(rec, "commitment")), EX_COMMITMENT);
	assert_string_equal(json_string_value(json_object_get(rec, "secret")), EX_SECRET_HEX);
	/* Listed in another order, the selection still matches (a store may
	 * list checks and inspectors in any order). */
	{
		json_t *sel = json_object_get(rec, "selection");
		json_t *first = json_incref(json_array_get(sel, 0));
		json_t *ins = json_object_get(first, "inspectors");
		json_t *one = json_incref(json_array_get(ins, 0));

		json_array_remove(sel, 0);
		json_array_append_new(sel, first);
		json_array_remove(ins, 0);
		json_array_append_new(ins, one);
		assert_int_equal(verify_json(rec, &e), DRAW_MATCH);
	}
	json_decref(rec);
	free(text);
}

/* Applies change to a fresh copy of the example's record and expects the
 * verdict and error code. */
static void expect_tamper(void (*change)(json_t *), enum draw_verdict want, const char *code,
			  const char *field)
{
	char *text = ex_record_text("471");
	json_t *rec = json_loads(text, 0, NULL);
	struct yerr e = {0};
	enum draw_verdict v;

	change(rec);
	v = verify_json(rec, &e);
	if (v != want || strcmp(e.code, code) != 0)
		print_error("verdict %d code %s field %s: %s\n", v, e.code, e.field, e.message);
	assert_int_equal(v, want);
	assert_string_equal(e.code, code);
	if (field)
		assert_string_equal(e.field, field);
	assert_true(strlen(e.message) > 0);
	json_decref(rec);
	free(text);
}

static json_t *sel_item(json_t *rec, size_t i)
{
	return json_array_get(json_object_get(rec, "selection"), i);
}

static void swap_entity(json_t *rec)
{
	/* XH-0002 (grade B) was not drawn; XH-0006 was. */
	json_object_set_new(sel_item(rec, 1), "entity", json_string("XH-0002"));
}
static void swap_inspector(json_t *rec)
{
	json_array_set_new(json_object_get(sel_item(rec, 0), "inspectors"), 2, json_string("S04"));
}
static void drop_check(json_t *rec)
{
	json_array_remove(json_object_get(rec, "selection"), 4);
}
static void twice(json_t *rec)
{
	json_object_set_new(sel_item(rec, 1), "entity", json_string("XH-0001"));
}
static void wrong_grade(json_t *rec)
{
	json_object_set_new(sel_item(rec, 0), "grade", json_string("B"));
}
static void other_public(json_t *rec)
{
	json_object_set_new(rec, "public_value", json_string("472"));
}
static void other_secret(json_t *rec)
{
	json_object_set_new(
	    rec, "secret",
	    json_string("ff0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"));
}
static void other_commitment(json_t *rec)
{
	json_object_set_new(rec, "commitment", json_string(EX_SECRET_SHA256));
}
static void other_ratio(json_t *rec)
{
	json_object_set_new(json_object_get(rec, "ratios"), "B", json_integer(201));
}
static void drop_entity(json_t *rec)
{
	json_array_remove(json_object_get(rec, "entities"), 2);
}
static void drop_conflict(json_t *rec)
{
	json_array_remove(json_object_get(rec, "conflicts"), 0);
}
static void conflict_unknown(json_t *rec)
{
	json_object_set_new(json_array_get(json_object_get(rec, "conflicts"), 0), "entity",
			    json_string("XH-9999"));
}
static void other_version(json_t *rec)
{
	json_object_set_new(rec, "algorithm", json_string("yiye-draw/2"));
}
static void conflicted_pick(json_t *rec)
{
	/* S02 declared a conflict with XH-0004 (check 2). */
	json_array_set_new(json_object_get(sel_item(rec, 2), "inspectors"), 0, json_string("S02"));
}

static void test_record_tampered(void **state)
{
	(void)state;
	expect_tamper(swap_entity, DRAW_SELECTION_WRONG, "selection_mismatch",
		      "selection[1].entity");
	expect_tamper(swap_inspector, DRAW_SELECTION_WRONG, "selection_mismatch",
		      "selection[0].inspectors");
	expect_tamper(conflicted_pick, DRAW_SELECTION_WRONG, "selection_mismatch",
		      "selection[2].inspectors");
	expect_tamper(drop_check, DRAW_SELECTION_WRONG, "selection_mismatch", "selection");
	expect_tamper(twice, DRAW_SELECTION_WRONG, "selection_mismatch", "selection[1].entity");
	expect_tamper(wrong_grade, DRAW_SELECTION_WRONG, "selection_mismatch",
		      "selection[0].grade");
	expect_tamper(other_public, DRAW_SELECTION_WRONG, "selection_mismatch", NULL);
	expect_tamper(other_secret, DRAW_SECRET_WRONG, "secret_mismatch", "secret");
	expect_tamper(other_commitment, DRAW_COMMITMENT_WRONG, "commitment_mismatch", "commitment");
	expect_tamper(other_ratio, DRAW_COMMITMENT_WRONG, "commitment_mismatch", "commitment");
	expect_tamper(drop_entity, DRAW_COMMITMENT_WRONG, "commitment_mismatch", "commitment");
	expect_tamper(drop_conflict, DRAW_COMMITMENT_WRONG, "commitment_mismatch", "commitment");
	expect_tamper(conflict_unknown, DRAW_BAD_INPUTS, "unknown_entity", "conflicts[0].entity");
	expect_tamper(other_version, DRAW_BAD_INPUTS, "unsupported_algorithm", "algorithm");
}

/* ---- malformed records: precise errors ---- */

static void expect_bad(const char *text, const char *code, const char *field)
{
	struct yerr e = {0};
	enum draw_verdict v = draw_verify(text, strlen(text), NULL, 0, &e);

	if (strcmp(e.code, code) != 0 || strcmp(e.field, field) != 0)
		print_error("%s: verdict %d code %s field %s: %s\n", text, v, e.code, e.field,
			    e.message);
	assert_true(v == DRAW_BAD_RECORD || v == DRAW_BAD_INPUTS);
	assert_string_equal(e.code, code);
	assert_string_equal(e.field, field);
}

static void set_and_expect(const char *member, json_t *value, const char *code, const char *field)
{
	char *text = ex_record_text("471");
	json_t *rec = json_loads(text, 0, NULL);
	char *out;

	if (value)
		json_object_set_new(rec, member, value);
	else
		json_object_del(rec, member);
	out = json_dumps(rec, JSON_COMPACT);
	expect_bad(out, code, field);
	free(out);
	json_decref(rec);
	free(text);
}

static void test_record_malformed(void **state)
{
	(void)state;
	expect_bad("", "bad_record", "");
	expect_bad("[1,2]", "bad_record", "");
	expect_bad("{\"format\":1}", "bad_record", "format");
	expect_bad("{\"format\":\"yiye-draw-record/9\"}", "bad_record", "format");
	set_and_expect("entities", NULL, "bad_record", "entities");
	set_and_expect("secret", NULL, "bad_record", "secret");
	set_and_expect("public_value", json_integer(471), "bad_record", "public_value");
	set_and_expect("public_value", json_string(""), "bad_record", "public_value");
	set_and_expect("public_value", json_string("a\tb"), "bad_record", "public_value");
	set_and_expect("secret", json_string("abc"), "bad_record", "secret");
	set_and_expect(
	    "secret",
	    json_string("XX0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"),
	    "bad_record", "secret");
	set_and_expect("inspectors_per_check", json_string("3"), "bad_record",
		       "inspectors_per_check");
	set_and_expect("inspectors_per_check", json_integer(1000), "bad_record",
		       "inspectors_per_check");
	set_and_expect("inspectors_per_check", json_integer(1), "bad_record",
		       "inspectors_per_check");
	set_and_expect("ratios", json_pack("{s:i,s:i,s:i,s:i}", "A", 1, "B", 2, "C", 3, "D", 1001),
		       "bad_record", "ratios.D");
	set_and_expect("ratios", json_pack("{s:i,s:i,s:i}", "A", 1, "B", 2, "C", 3), "bad_record",
		       "ratios.D");
	set_and_expect("ratios",
		       json_pack("{s:i,s:i,s:i,s:i,s:i}", "A", 1, "B", 2, "C", 3, "D", 4, "E", 5),
		       "bad_record", "ratios.E");
	set_and_expect("extra", json_true(), "bad_record", "extra");
	set_and_expect("entities", json_pack("[{s:s,s:s}]", "id", "X", "grade", "E"), "bad_record",
		       "entities[0].grade");
	set_and_expect("entities", json_pack("[{s:s}]", "id", "X"), "bad_record",
		       "entities[0].grade");
	set_and_expect("entities", json_pack("[{s:i,s:s}]", "id", 7, "grade", "A"), "bad_record",
		       "entities[0].id");
	set_and_expect("entities", json_pack("[s]", "X"), "bad_record", "entities[0]");
	set_and_expect(
	    "entities",
	    json_pack("[{s:s,s:s},{s:s,s:s}]", "id", "X", "grade", "A", "id", "X", "grade", "B"),
	    "duplicate", "entities[1]");
	set_and_expect("departments", json_pack("[s,s,s,s]", "a", "b", "c", "d"), "bad_record",
		       "inspectors_per_check");
	set_and_expect("departments", json_pack("[s,s]", "wjw", "whlyj"), "unknown_department",
		       "inspectors[0].department");
	set_and_expect("selection",
		       json_pack("[{s:s,s:[i]}]", "entity", "XH-0001", "inspectors", 1),
		       "bad_record", "selection[0].inspectors[0]");
	set_and_expect("selection", json_pack("{}"), "bad_record", "selection");
	set_and_expect("plan", json_string("计划\n二"), "bad_record", "plan");
	set_and_expect("secret_sha256", json_string("ABC"), "bad_record", "secret_sha256");
	/* Lists past their limits are refused before they are walked. */
	{
		json_t *deps = json_array();

		for (int i = 0; i < DRAW_MAX_DEPARTMENTS + 1; i++)
			json_array_append_new(deps, json_sprintf("d%d", i));
		set_and_expect("departments", deps, "too_large", "departments");
	}
	/* A NUL inside a string is refused by the JSON reader, not truncated. */
	set_and_expect("plan", json_stringn("a\0b", 3), "bad_record", "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_record_verifies),
	    cmocka_unit_test(test_record_tampered),
	    cmocka_unit_test(test_record_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
