/*
 * test_catalog.c — catalog model, search, single-document round trip, checker
 * (on broken copies of the fixture built in memory), rule tests, diff, and the
 * shipped catalog/ directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "io/catalog_dir.h"
#include "core/catalog.h"
#include "core/catalog_check.h"
#include "core/catalog_diff.h"
#include "core/guide.h"

/* ------------------------------------------------------------ fixture I/O */

struct fx {
	struct catalog_file *files;
	size_t n;
};

static void dir_path(char *buf, size_t size, const char *rel)
{
	const char *src = getenv("YIYE_SOURCE_DIR");

	snprintf(buf, size, "%s/%s", src ? src : ".", rel);
}

static struct fx fx_read(const char *rel)
{
	struct fx f = {0};
	struct yerr err = {0};
	char dir[4096];

	dir_path(dir, sizeof(dir), rel);
	if (catalog_dir_read(dir, &f.files, &f.n, &err) != 0)
		fail_msg("read %s: %s", dir, err.message);
	return f;
}

static void fx_free(struct fx *f)
{
	catalog_dir_free(f->files, f->n);
}

static struct catalog *fx_parse(const struct fx *f)
{
	struct catalog *cat = NULL;
	struct yerr err = {0};

	if (catalog_parse(f->files, f->n, &cat, &err) != 0)
		fail_msg("parse: %s %s", err.field, err.message);
	return cat;
}

/* fx_get parses one file of f for mutation. */
static json_t *fx_get(const struct fx *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->files[i].name, name) == 0)
			return json_loadb(f->files[i].text, f->files[i].len, 0, NULL);
	fail_msg("no file %s", name);
	return NULL;
}

/* fx_put replaces file name's text by j (stolen) dumped, or by raw text when j is NULL. */
static void fx_put(struct fx *f, const char *name, json_t *j, const char *raw)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->files[i].name, name) == 0) {
			char *t = j ? json_dumps(j, 0) : strdup(raw);
			free((char *)f->files[i].text);
			f->files[i].text = t;
			f->files[i].len = strlen(t);
			json_decref(j);
			return;
		}
	fail_msg("no file %s", name);
}

/* has_problem: is there a problem in file at path whose message contains text? */
static bool has_problem(const struct catalog_problems *p, const char *file, const char *path,
			const char *text)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (strcmp(p->items[i].file, file) == 0 && strcmp(p->items[i].path, path) == 0 &&
		    (text == NULL || strstr(p->items[i].message, text) != NULL))
			return true;
	return false;
}

static void dump_problems(const struct catalog_problems *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		print_message("  %s: %s: %s%s\n", p->items[i].file, p->items[i].path,
			      p->items[i].message, p->items[i].fatal ? " [fatal]" : "");
}

static void expect_problem(struct fx *f, const char *file, const char *path, const char *text)
{
	struct catalog_problems p = {0};

	assert_int_equal(catalog_check(f->files, f->n, &p), 0);
	if (!has_problem(&p, file, path, text)) {
		dump_problems(&p);
		fail_msg("expected a problem %s: %s: ...%s...", file, path, text ? text : "");
	}
	catalog_problems_free(&p);
}

/* ------------------------------------------------------------------ model */

static void test_parse_fixture(void **state)
{
	struct fx f = fx_read("tests/fixtures/catalog-mini");
	struct catalog *cat = fx_parse(&f);
	const struct catalog_permit *p;
	const struct catalog_industry *ind;

	(void)state;
	assert_int_equal(cat->format, 1);
	assert_string_equal(cat->district, "310104");
	assert_int_equal(cat->issuance_days, 1);
	assert_int_equal(cat->after_steps, 4);
	assert_int_equal(cat->ndepartments, 5);
	assert_int_equal(cat->nmaterials, 12);
	assert_int_equal(cat->nfields, 10);
	assert_int_equal(cat->npermits, 6);
	assert_int_equal(cat->nindustries, 3);
	/* files are read sorted: bianlidian, shudian, yaodian */
	assert_string_equal(cat->industries[0].code, "bianlidian");
	assert_string_equal(cat->industries[2].code, "yaodian");

	p = catalog_permit_find(cat, "P_food_sale");
	assert_non_null(p);
	assert_string_equal(p->department, "scjgj");
	assert_int_equal(p->statutory_days, 20);
	assert_int_equal(p->committed_days, 5);
	assert_true(p->inspection);
	assert_int_equal(p->nconditions, 2);
	assert_string_equal(p->conditions[0].category, "场所");
	assert_true(p->conditions[0].commitment);
	assert_int_equal(p->before.fields, 70);
	assert_string_equal(p->where.file, "permits.json");
	assert_string_equal(p->where.path, "[0]");
	assert_null(catalog_permit_find(cat, "P_nope"));
	assert_true(catalog_material_find(cat, "M_yyzz")->exempt);
	assert_string_equal(catalog_department_find(cat, "swj")->name, "区商务委");
	assert_string_equal(catalog_field_find(cat, "F_alcohol_kinds")->options[1].label, "葡萄酒");

	ind = catalog_industry_find(cat, "bianlidian");
	assert_non_null(ind);
	assert_string_equal(ind->where.file, "industries/bianlidian.json");
	assert_int_equal(ind->nquestions, 4);
	assert_int_equal(ind->questions[1].type, QTYPE_CHOICE);
	assert_non_null(ind->questions[1].ask_if);
	assert_int_equal(ind->nrules, 3);
	assert_int_equal(ind->ntests, 2);
	assert_string_equal(ind->provenance_status, "modelled");
	assert_int_equal(catalog_question_index(ind, "q_area"), 3);
	assert_null(catalog_question_find(ind, "q_nope"));
	catalog_free(cat);
	fx_free(&f);
}

static void test_parse_fails_on_fatal(void **state)
{
	struct fx f = fx_read("tests/fixtures/catalog-mini");
	json_t *j = fx_get(&f, "permits.json");
	struct catalog *cat = (struct catalog *)1;
	struct yerr err = {0};

	(void)state;
	json_object_set_new(json_array_get(j, 1), "department", json_string("nope"));
	fx_put(&f, "permits.json", j, NULL);
	assert_int_equal(catalog_parse(f.files, f.n, &cat, &err), -1);
	assert_null(cat);
	assert_int_equal(err.status, 422);
	assert_string_equal(err.code, "invalid_catalog");
	assert_string_equal(err.field, "permits.json: [1].department");
	fx_free(&f);

	/* but a quality problem (an unused material) does not stop it */
	f = fx_read("tests/fixtures/catalog-mini");
	j = fx_get(&f, "materials.json");
	json_array_append_new(j, json_pack("{s:s,s:s}", "id", "M_unused", "name", "没人要的材料"));
	fx_put(&f, "materials.json", j, NULL);
	cat = fx_parse(&f);
	assert_int_equal(cat->nmaterials, 13);
	catalog_free(cat);
	fx_free(&f);
}

static void test_document_round_trip(void **state)
{
	struct fx f = fx_read("tests/fixtures/catalog-mini");
	struct catalog *cat = fx_parse(&f), *cat2 = NULL;
	struct catalog_changes ch = {0};
	struct yerr err = {0};
	char *doc, *doc2;

	(void)state;
	doc = catalog_to_json(cat);
	assert_non_null(doc);
	assert_int_equal(catalog_parse_document(doc, strlen(doc), &cat2, &err), 0);
	assert_int_equal(cat2->nindustries, 3);
	assert_string_equal(cat2->industries[0].where.file, "industries/bianlidian.json");
	doc2 = catalog_to_json(cat2);
	assert_string_equal(doc, doc2);
	assert_int_equal(catalog_diff(cat, cat2, &ch), 0);
	assert_int_equal(ch.n, 0);
	free(doc);
	free(doc2);
	catalog_free(cat2);
	catalog_free(cat);
	fx_free(&f);

	assert_int_equal(catalog_parse_document("{", 1, &cat2, &err), -1);
	assert_string_equal(err.code, "invalid_catalog");
	assert_int_equal(catalog_parse_document("{\"catalog\":{}}", 14, &cat2, &err), -1);
	assert_null(cat2);
	assert_int_equal(catalog_parse_document("[]", 2, &cat2, &err), -1);
}

/* ----------------------------------------------------------------- search */

static const char *extra_industry(const char *code, const char *name, const char *alias,
				  const char *pinyin)
{
	static char buf[4][1024];
	static int k;
	char *b = buf[k++ % 4];

	snprintf(
	    b, 1024,
	    "{\"code\":\"%s\",\"name\":\"%s\",\"aliases\":[\"%s\"],\"pinyin\":\"%s\",\"batch\":2,"
	    "\"lead\":\"scjgj\","
	    "\"permits\":[\"P_food_sale\"],\"base_permits\":[\"P_food_sale\"],\"questions\":[],"
	    "\"tests\":[{\"name\":\"t\",\"answers\":{},\"expect\":{\"permits\":[\"P_food_sale\"],"
	    "\"materials\":[]}}]}",
	    code, name, alias, pinyin);
	return b;
}

static struct catalog *search_catalog(void)
{
	struct fx f = fx_read("tests/fixtures/catalog-mini");
	struct catalog_file *files = calloc(f.n + 3, sizeof(*files));
	struct catalog *cat = NULL;
	struct yerr err = {0};
	const char *t;

	memcpy(files, f.files, f.n * sizeof(*files));
	t = extra_industry("bianli", "便利", "x", "bl");
	files[f.n] = (struct catalog_file){"industries/bianli.json", t, strlen(t)};
	t = extra_industry("shequ", "社区便利服务", "y", "sqblfw");
	files[f.n + 1] = (struct catalog_file){"industries/shequ.json", t, strlen(t)};
	t = extra_industry("xiaomaibu", "小卖部", "便利小店", "xmb");
	files[f.n + 2] = (struct catalog_file){"industries/xiaomaibu.json", t, strlen(t)};
	if (catalog_parse(files, f.n + 3, &cat, &err) != 0)
		fail_msg("%s %s", err.field, err.message);
	free(files);
	fx_free(&f);
	return cat;
}

static void test_search_chinese(void **state)
{
	struct fx f = fx_read("tests/fixtures/catalog-mini");
	struct catalog *cat = fx_parse(&f);
	struct catalog_hit hits[8];

	(void)state;
	/* one character */
	assert_int_equal(catalog_search(cat, "药", hits, 8), 1);
	assert_string_equal(hits[0].industry->name, "药店");
	assert_int_equal(hits[0].match, CATALOG_MATCH_PREFIX);
	/* two characters, exact */
	assert_int_equal(catalog_search(cat, "书店", hits, 8), 1);
	assert_string_equal(hits[0].industry->code, "shudian");
	assert_int_equal(hits[0].match, CATALOG_MATCH_EXACT);
	assert_int_equal(catalog_search(cat, "便利", hits, 8), 1);
	assert_string_equal(hits[0].industry->name, "便利店");
	/* surrounding spaces are ignored */
	assert_int_equal(catalog_search(cat, " 书 ", hits, 8), 1);
	/* every name with 店 */
	assert_int_equal(catalog_search(cat, "店", hits, 8), 3);
	assert_int_equal(hits[0].match, CATALOG_MATCH_SUBSTRING);
	/* alias */
	assert_int_equal(catalog_search(cat, "药房", hits, 8), 1);
	assert_string_equal(hits[0].industry->code, "yaodian");
	assert_int_equal(hits[0].match, CATALOG_MATCH_ALIAS);
	/* pinyin initials, case-insensitive */
	assert_int_equal(catalog_search(cat, "BLD", hits, 8), 1);
	assert_string_equal(hits[0].industry->code, "bianlidian");
	assert_int_equal(hits[0].match, CATALOG_MATCH_PINYIN);
	assert_int_equal(catalog_search(cat, "sd", hits, 8), 1);
	/* nothing */
	assert_int_equal(catalog_search(cat, "网吧", hits, 8), 0);
	/* empty: everything in catalog order */
	assert_int_equal(catalog_search(cat, "", hits, 8), 3);
	assert_int_equal(hits[0].match, CATALOG_MATCH_ALL);
	assert_string_equal(hits[0].industry->code, "bianlidian");
	/* cap: the total is still reported */
	assert_int_equal(catalog_search(cat, "", hits, 1), 3);
	assert_int_equal(catalog_search(cat, NULL, hits, 8), -1);
	assert_string_equal(catalog_match_name(CATALOG_MATCH_ALIAS), "alias");
	catalog_free(cat);
	fx_free(&f);
}

static void test_search_ranking(void **state)
{
	struct catalog *cat = search_catalog();
	struct catalog_hit hits[8];

	(void)state;
	assert_int_equal(catalog_search(cat, "便利", hits, 8), 4);
	assert_string_equal(hits[0].industry->name, "便利");
	assert_int_equal(hits[0].match, CATALOG_MATCH_EXACT);
	assert_string_equal(hits[1].industry->name, "便利店");
	assert_int_equal(hits[1].match, CATALOG_MATCH_PREFIX);
	assert_string_equal(hits[2].industry->name, "社区便利服务");
	assert_int_equal(hits[2].match, CATALOG_MATCH_SUBSTRING);
	assert_string_equal(hits[3].industry->name, "小卖部");
	assert_int_equal(hits[3].match, CATALOG_MATCH_ALIAS);
	/* "bl": name matches none, pinyin of 便利, 便利店, 社区便利服务 */
	assert_int_equal(catalog_search(cat, "bl", hits, 8), 3);
	assert_int_equal(hits[0].match, CATALOG_MATCH_PINYIN);
	catalog_free(cat);
}

/* ---------------------------------------------------------------- checker */

static void test_check_clean_fixture(void **state)
{
	struct fx f = fx_read("tests/fixtures/catalog-mini");
	struct catalog_problems p = {0};
	struct catalog *cat;
	size_t n = 0;

	(void)state;
	assert_int_equal(catalog_check(f.files, f.n, &p), 0);
	if (p.n) {
		dump_problems(&p);
		fail_msg("fixture not clean");
	}
	cat = fx_parse(&f);
	assert_int_equal(catalog_test(cat, &p, &n), 0);
	assert_int_equal(n, 5);
	if (p.n) {
		dump_problems(&p);
		fail_msg("fixture tests fail");
	}
	catalog_free(cat);
	fx_free(&f);
}

static void test_check_syntax(void **state)
{
	struct fx f = fx_read("tests/fixtures/catalog-mini");

	(void)state;
	fx_put(&f, "departments.json", NULL, "[{\"code\":\"a\",\"name\":\"b\",]");
	expect_problem(&f, "departments.json", "line 1 column 25", "JSON");
	{
		/* one broken file is one problem, not one per reference into it */
		struct catalog_problems p = {0};
		assert_int_equal(catalog_check(f.files, f.n, &p), 0);
		assert_false(has_problem(&p, "permits.json", "[0].department", NULL));
		assert_int_equal(catalog_problems_fatal(&p), 1);
		catalog_problems_free(&p);
	}
	fx_put(&f, "departments.json", NULL, "[{\"code\":\"a\",\"code\":\"b\"}]");
	expect_problem(&f, "departments.json", "line 1 column 19", "duplicate");
	fx_free(&f);
}

static void test_check_references(void **state)
{
	struct fx f = fx_read("tests/fixtures/catalog-mini");
	json_t *j;

	(void)state;
	j = fx_get(&f, "permits.json");
	json_object_set_new(json_array_get(j, 0), "department", json_string("nope"));
	json_array_set_new(json_object_get(json_array_get(j, 1), "materials"), 2,
			   json_string("M_nope"));
	json_array_set_new(json_object_get(json_array_get(j, 1), "fields"), 0,
			   json_string("F_nope"));
	fx_put(&f, "permits.json", j, NULL);
	j = fx_get(&f, "industries/bianlidian.json");
	json_object_set_new(j, "lead", json_string("dep_x"));
	json_array_set_new(json_object_get(j, "permits"), 3, json_string("P_nope"));
	json_array_append_new(json_object_get(j, "materials"), json_string("M_nope2"));
	json_object_set_new(json_array_get(json_object_get(j, "rules"), 0), "when",
			    json_pack("{s:[s,b]}", "eq", "q_x", 1));
	fx_put(&f, "industries/bianlidian.json", j, NULL);

	expect_problem(&f, "permits.json", "[0].department", "未知的部门 \"nope\"");
	expect_problem(&f, "permits.json", "[1].materials[2]", "M_nope");
	expect_problem(&f, "permits.json", "[1].fields[0]", "F_nope");
	expect_problem(&f, "industries/bianlidian.json", "lead", "dep_x");
	expect_problem(&f, "industries/bianlidian.json", "permits[3]", "P_nope");
	expect_problem(&f, "industries/bianlidian.json", "materials[1]", "M_nope2");
	expect_problem(&f, "industries/bianlidian.json", "rules[0].when.eq[0]",
		       "未知的问题 \"q_x\"");
	fx_free(&f);
}

static void test_check_duplicates_and_enums(void **state)
{
	struct fx f = fx_read("tests/fixtures/catalog-mini");
	json_t *j;

	(void)state;
	j = fx_get(&f, "materials.json");
	json_object_set_new(json_array_get(j, 3), "id", json_string("M_yyzz"));
	fx_put(&f, "materials.json", j, NULL);
	j = fx_get(&f, "fields.json");
	json_object_set_new(json_array_get(j, 0), "type", json_string("string"));
	fx_put(&f, "fields.json", j, NULL);
	j = fx_get(&f, "permits.json");
	json_object_set_new(json_array_get(json_object_get(json_array_get(j, 0), "conditions"), 1),
			    "category", json_string("资质"));
	json_object_set_new(json_array_get(j, 0), "statutory_days", json_string("20"));
	fx_put(&f, "permits.json", j, NULL);
	j = fx_get(&f, "industries/yaodian.json");
	json_object_set_new(json_array_get(json_object_get(j, "questions"), 2), "id",
			    json_string("q_food"));
	json_object_set_new(json_array_get(json_object_get(j, "questions"), 0), "type",
			    json_string("radio"));
	json_object_set_new(j, "permit", json_array());
	fx_put(&f, "industries/yaodian.json", j, NULL);

	expect_problem(&f, "materials.json", "[3]", "重复");
	expect_problem(&f, "fields.json", "[0].type", "string");
	expect_problem(&f, "permits.json", "[0].conditions[1].category", "资质");
	expect_problem(&f, "permits.json", "[0].statutory_days", "整数");
	expect_problem(&f, "industries/yaodian.json", "questions[2].id", "重复");
	expect_problem(&f, "industries/yaodian.json", "questions[0].type", "radio");
	expect_problem(&f, "industries/yaodian.json", "permit", "未知的键");
	fx_free(&f);
}

/*
 * The field tables decide the order in which one entity's problems are
 * reported (unknown keys first, then each key in table order, then the
 * cross-key checks at their place); `yiye catalog check` prints them in that
 * order, so it is pinned here for one industry file.
 */
static void test_build_problem_order(void **state)
{
	static const char *const want[][3] = {
	    {"zz", "未知的键 \"zz\"", "0"},
	    {"batch", "\"batch\" 超出范围（1 至 1000000000）", "1"},
	    {"lead", "缺少必填项 \"lead\"", "1"},
	    {"pinyin", "拼音首字母只能包含 ASCII 字母和数字", "0"},
	    {"questions[3].type",
	     "问题类型 \"radio\" 无效（可用 boolean choice multi number text）", "1"},
	    {"questions[3].min", "min 大于 max", "1"},
	    {"rules[1].id", "规则编号 \"r_alcohol\" 重复（亦见 rules[0]）", "1"},
	};
	struct fx f = fx_read("tests/fixtures/catalog-mini");
	struct catalog_problems p = {0};
	struct catalog *cat = NULL;
	json_t *j, *q;
	size_t i, k = 0;

	(void)state;
	j = fx_get(&f, "industries/bianlidian.json");
	json_object_set_new(j, "zz", json_integer(1));
	json_object_set_new(j, "batch", json_integer(0));
	json_object_del(j, "lead");
	json_object_set_new(j, "pinyin", json_string("b l"));
	q = json_array_get(json_object_get(j, "questions"), 3);
	json_object_set_new(q, "type", json_string("radio"));
	json_object_set_new(q, "min", json_integer(5));
	json_object_set_new(q, "max", json_integer(1));
	json_object_set_new(json_array_get(json_object_get(j, "rules"), 1), "id",
			    json_string("r_alcohol"));
	fx_put(&f, "industries/bianlidian.json", j, NULL);

	assert_int_equal(catalog_build(f.files, f.n, &cat, &p), 0);
	for (i = 0; i < p.n; i++) {
		if (strcmp(p.items[i].file, "industries/bianlidian.json") != 0)
			continue;
		if (k == sizeof(want) / sizeof(want[0]))
			break;
		if (strcmp(p.items[i].path, want[k][0]) != 0 ||
		    strcmp(p.items[i].message, want[k][1]) != 0 ||
		    p.items[i].fatal != (want[k][2][0] == '1')) {
			dump_problems(&p);
			fail_msg("problem %zu: want %s: %s", k, want[k][0], want[k][1]);
		}
		k++;
	}
	assert_int_equal(k, sizeof(want) / sizeof(want[0]));
	catalog_free(cat);
	catalog_problems_free(&p);
	fx_free(&f);
}

static void test_check_rules(void **state)
{
	struct fx f = fx_read("tests/fixtures/catalog-mini");
	json_t *j, *rules;

	(void)state;
	j = fx_get(&f, "industries/bianlidian.json");
	rules = json_object_get(j, "rules");
	/* unparsable */
	json_object_set_new(json_array_get(rules, 0), "when",
			    json_pack("{s:[s,b]}", "equals", "q_alcohol", 1));
	/* contradictory */
	json_object_set_new(json_array_get(rules, 1), "when",
			    json_pack("{s:[{s:[s,s]},{s:[s,s]}]}", "all", "eq", "q_alcohol_kind",
				      "beer", "eq", "q_alcohol_kind", "wine"));
	/* a value that is not an option; a permit the industry does not merge */
	json_array_append_new(rules, json_pack("{s:s,s:{s:[s,s]},s:[s],s:s}", "id", "r_bad", "when",
					       "eq", "q_alcohol_kind", "rum", "permits",
					       "P_drug_retail", "basis", "x"));
	/* numeric range that cannot hold */
	json_array_append_new(rules,
			      json_pack("{s:s,s:{s:[{s:[s,i]},{s:[s,i]}]},s:[s],s:s}", "id",
					"r_range", "when", "all", "gt", "q_area", 500, "lt",
					"q_area", 100, "permits", "P_fire_check", "basis", "x"));
	/* wrong operator for the question type */
	json_array_append_new(rules,
			      json_pack("{s:s,s:{s:[s,s]},s:[s],s:s}", "id", "r_has", "when", "has",
					"q_alcohol", "x", "permits", "P_fire_check", "basis", "x"));
	json_object_set_new(j, "base_permits",
			    json_pack("[s,s]", "P_food_sale", "P_publication_retail"));
	fx_put(&f, "industries/bianlidian.json", j, NULL);

	expect_problem(&f, "industries/bianlidian.json", "rules[0].when.equals",
		       "未知的条件运算符");
	expect_problem(&f, "industries/bianlidian.json", "rules[1].when", "自相矛盾");
	expect_problem(&f, "industries/bianlidian.json", "rules[3].when.eq[1]", "\"rum\" 不是问题");
	expect_problem(&f, "industries/bianlidian.json", "rules[3].permits[0]", "P_drug_retail");
	expect_problem(&f, "industries/bianlidian.json", "rules[4].when", "数值范围为空");
	expect_problem(&f, "industries/bianlidian.json", "rules[5].when.has[1]",
		       "has 只能用于多选题");
	expect_problem(&f, "industries/bianlidian.json", "base_permits[1]", "P_publication_retail");
	fx_free(&f);
}

static void test_check_questions(void **state)
{
	struct fx f = fx_read("tests/fixtures/catalog-mini");
	json_t *j, *qs;

	(void)state;
	j = fx_get(&f, "industries/bianlidian.json");
	qs = json_object_get(j, "questions");
	/* self reference */
	json_object_set_new(json_array_get(qs, 0), "ask_if",
			    json_pack("{s:s}", "answered", "q_alcohol"));
	/* only a later question */
	json_object_set_new(json_array_get(qs, 2), "ask_if",
			    json_pack("{s:[s,i]}", "gt", "q_area", 10));
	/* never holds: not an option */
	json_object_set_new(json_array_get(qs, 1), "ask_if",
			    json_pack("{s:[s,[s]]}", "in", "q_alcohol", "yes"));
	fx_put(&f, "industries/bianlidian.json", j, NULL);
	expect_problem(&f, "industries/bianlidian.json", "questions[0].ask_if", "引用了它自己");
	expect_problem(&f, "industries/bianlidian.json", "questions[2].ask_if", "之后");
	expect_problem(&f, "industries/bianlidian.json", "questions[1].ask_if", "永远不成立");
	expect_problem(&f, "industries/bianlidian.json", "questions[1].ask_if.in[1][0]", "是非题");
	fx_free(&f);

	/* fewer than three questions with several permits */
	f = fx_read("tests/fixtures/catalog-mini");
	j = fx_get(&f, "industries/shudian.json");
	json_array_remove(json_object_get(j, "questions"), 2);
	fx_put(&f, "industries/shudian.json", j, NULL);
	expect_problem(&f, "industries/shudian.json", "questions", "只有 2 个问题");
	fx_free(&f);
}

static void test_check_unused_and_tests(void **state)
{
	struct fx f = fx_read("tests/fixtures/catalog-mini");
	struct catalog_problems p = {0};
	json_t *j;

	(void)state;
	j = fx_get(&f, "materials.json");
	json_array_append_new(j, json_pack("{s:s,s:s}", "id", "M_unused", "name", "x"));
	json_array_append_new(j,
			      json_pack("{s:s,s:s,s:b}", "id", "M_ex", "name", "x", "exempt", 1));
	fx_put(&f, "materials.json", j, NULL);
	j = fx_get(&f, "fields.json");
	json_array_append_new(
	    j, json_pack("{s:s,s:s,s:s}", "id", "F_unused", "label", "x", "type", "text"));
	fx_put(&f, "fields.json", j, NULL);
	j = fx_get(&f, "industries/shudian.json");
	json_object_set_new(
	    json_object_get(json_array_get(json_object_get(j, "tests"), 0), "answers"), "q_zz",
	    json_true());
	json_array_append_new(
	    json_object_get(
		json_object_get(json_array_get(json_object_get(j, "tests"), 0), "expect"),
		"permits"),
	    json_string("P_fire_check"));
	fx_put(&f, "industries/shudian.json", j, NULL);

	expect_problem(&f, "materials.json", "[12]", "M_unused");
	expect_problem(&f, "materials.json", "[13].source", "来源");
	expect_problem(&f, "fields.json", "[10]", "F_unused");
	expect_problem(&f, "industries/shudian.json", "tests[0].answers.q_zz", "未知的问题");
	expect_problem(&f, "industries/shudian.json", "tests[0].expect.permits[2]", "P_fire_check");
	/* every problem, not just the first */
	assert_int_equal(catalog_check(f.files, f.n, &p), 0);
	assert_true(p.n >= 6);
	catalog_problems_free(&p);
	fx_free(&f);
}

/* share-exempt: shared_from names a register of the platform, and only on an
 * exempt material (a material the applicant hands in is never fetched). */
static void test_check_shared_from(void **state)
{
	struct fx f = fx_read("tests/fixtures/catalog-mini");
	struct catalog *cat;
	json_t *j;

	(void)state;
	j = fx_get(&f, "materials.json");
	json_object_set_new(json_array_get(j, 1), "shared_from", json_string("entity_register"));
	fx_put(&f, "materials.json", j, NULL);
	cat = fx_parse(&f);
	assert_string_equal(catalog_material_find(cat, "M_yyzz")->shared_from, "entity_register");
	assert_null(catalog_material_find(cat, "M_pharmacist")->shared_from);
	catalog_free(cat);

	j = fx_get(&f, "materials.json");
	json_object_set_new(json_array_get(j, 3), "shared_from", json_string("entity_register"));
	json_object_set_new(json_array_get(j, 8), "shared_from", json_string("tax_register"));
	fx_put(&f, "materials.json", j, NULL);
	expect_problem(&f, "materials.json", "[3].shared_from", "只有免于提交");
	expect_problem(&f, "materials.json", "[8].shared_from", "共享来源");
	fx_free(&f);
}

static void test_catalog_test_mismatch(void **state)
{
	struct fx f = fx_read("tests/fixtures/catalog-mini");
	struct catalog_problems p = {0};
	struct catalog *cat;
	json_t *j, *ex;

	(void)state;
	j = fx_get(&f, "industries/bianlidian.json");
	ex = json_object_get(json_array_get(json_object_get(j, "tests"), 1), "expect");
	json_array_remove(json_object_get(ex, "permits"), 3); /* P_fire_check */
	json_array_append_new(json_object_get(ex, "materials"),
			      json_string("M_gsp")); /* not there */
	json_object_set_new(ex, "time_limit_days", json_integer(18));
	json_object_set_new(
	    json_object_get(json_array_get(json_object_get(j, "tests"), 0), "answers"), "q_area",
	    json_string("big"));
	fx_put(&f, "industries/bianlidian.json", j, NULL);
	cat = fx_parse(&f);
	assert_int_equal(catalog_test(cat, &p, NULL), 0);
	if (!has_problem(&p, "industries/bianlidian.json", "tests[1].expect.permits",
			 "P_fire_check") ||
	    !has_problem(&p, "industries/bianlidian.json", "tests[1].expect.materials", "M_gsp") ||
	    !has_problem(&p, "industries/bianlidian.json", "tests[1].expect.time_limit_days",
			 "18") ||
	    !has_problem(&p, "industries/bianlidian.json", "tests[0]", "invalid_answer")) {
		dump_problems(&p);
		fail_msg("missing test mismatch");
	}
	catalog_problems_free(&p);
	catalog_free(cat);
	fx_free(&f);
}

/* ------------------------------------------------------------------- diff */

static void test_diff(void **state)
{
	struct fx f = fx_read("tests/fixtures/catalog-mini");
	struct catalog *a = fx_parse(&f), *b;
	struct catalog_changes ch = {0};
	json_t *j, *arr;
	size_t i;

	(void)state;
	j = fx_get(&f, "permits.json");
	json_object_set_new(json_array_get(j, 0), "committed_days", json_integer(3));
	json_object_set_new(json_array_get(j, 0), "note", json_string("缩短承诺时限"));
	fx_put(&f, "permits.json", j, NULL);
	j = fx_get(&f, "materials.json");
	json_array_append_new(j, json_pack("{s:s,s:s}", "id", "M_new", "name", "新材料"));
	fx_put(&f, "materials.json", j, NULL);
	j = fx_get(&f, "departments.json");
	json_array_remove(j, 4);
	fx_put(&f, "departments.json", j, NULL);
	j = fx_get(&f, "catalog.json");
	json_object_set_new(j, "issuance_days", json_integer(2));
	fx_put(&f, "catalog.json", j, NULL);
	/* department xfjy is still referenced: build leniently rather than parse */
	{
		struct catalog_problems p = {0};
		assert_int_equal(catalog_build(f.files, f.n, &b, &p), 0);
		catalog_problems_free(&p);
	}
	assert_int_equal(catalog_diff(a, b, &ch), 0);
	assert_int_equal(ch.n, 4);
	assert_int_equal(ch.items[0].kind, CATALOG_CHANGED);
	assert_string_equal(ch.items[0].entity, "catalog");
	assert_string_equal(ch.items[0].keys, "issuance_days");
	assert_int_equal(ch.items[1].kind, CATALOG_REMOVED);
	assert_string_equal(ch.items[1].entity, "department");
	assert_string_equal(ch.items[1].id, "xfjy");
	assert_int_equal(ch.items[2].kind, CATALOG_ADDED);
	assert_string_equal(ch.items[2].id, "M_new");
	assert_int_equal(ch.items[3].kind, CATALOG_CHANGED);
	assert_string_equal(ch.items[3].entity, "permit");
	assert_string_equal(ch.items[3].id, "P_food_sale");
	assert_string_equal(ch.items[3].keys, "committed_days,note");
	arr = catalog_changes_to_json(&ch);
	assert_int_equal(json_array_size(arr), 4);
	assert_string_equal(json_string_value(json_object_get(json_array_get(arr, 3), "kind")),
			    "changed");
	assert_int_equal(json_array_size(json_object_get(json_array_get(arr, 3), "keys")), 2);
	json_decref(arr);
	for (i = 0; i < ch.n; i++)
		assert_non_null(ch.items[i].id);
	catalog_changes_free(&ch);
	catalog_free(a);
	catalog_free(b);
	fx_free(&f);
}

/* ------------------------------------------------------- shipped catalog */

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void test_shipped_catalog(void **state)
{
	struct catalog_problems p = {0};
	struct guide_result r;
	struct catalog *cat;
	struct yerr err = {0};
	struct stat st;
	char path[4096];
	json_t *answers;
	struct fx f;
	double t0, t1;
	size_t n = 0;

	(void)state;
	dir_path(path, sizeof(path), "catalog/industries/bianlidian.json");
	if (stat(path, &st) != 0) {
		print_message("catalog/industries/bianlidian.json absent: skipping\n");
		skip();
	}
	f = fx_read("catalog");
	t0 = now_ms();
	cat = fx_parse(&f);
	t1 = now_ms();
	print_message("shipped catalog: %zu industries, %zu permits, parsed in %.2f ms\n",
		      cat->nindustries, cat->npermits, t1 - t0);

	assert_int_equal(catalog_check(f.files, f.n, &p), 0);
	assert_int_equal(catalog_test(cat, &p, &n), 0);
	if (p.n) {
		dump_problems(&p);
		fail_msg("shipped catalog: %zu problems", p.n);
	}
	catalog_problems_free(&p);

	/* 便利店 with all five permits: the published figures */
	answers = json_loads(
	    "{\"q_alcohol\":true,\"q_alcohol_bulk\":false,\"q_tobacco\":true,\"q_drug\":true,"
	    "\"q_device2\":true,\"q_hot_food\":false,\"q_area\":120,\"q_sign\":false}",
	    0, NULL);
	if (guide_run(cat, "bianlidian", answers, &r, &err) != 0)
		fail_msg("%s %s %s", err.code, err.field, err.message);
	assert_int_equal(r.npermits, 5);
	assert_int_equal(r.before.permits, 5);
	assert_int_equal(r.before.days, 95);
	assert_int_equal(r.before.materials, 53);
	assert_int_equal(r.before.fields, 313);
	assert_int_equal(r.after.permits, 1);
	assert_int_equal(r.after.days, 5);
	assert_int_equal(r.after.materials, 10);
	assert_int_equal(r.after.fields, 98);
	guide_result_free(&r);
	t0 = now_ms();
	for (n = 0; n < 1000; n++) {
		assert_int_equal(guide_run(cat, "bianlidian", answers, &r, &err), 0);
		guide_result_free(&r);
	}
	t1 = now_ms();
	print_message("guide_run bianlidian: %.4f ms per run\n", (t1 - t0) / 1000);
	json_decref(answers);
	catalog_free(cat);
	fx_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_fixture),
	    cmocka_unit_test(test_parse_fails_on_fatal),
	    cmocka_unit_test(test_document_round_trip),
	    cmocka_unit_test(test_search_chinese),
	    cmocka_unit_test(test_search_ranking),
	    cmocka_unit_test(test_check_clean_fixture),
	    cmocka_unit_test(test_check_syntax),
	    cmocka_unit_test(test_check_references),
	    cmocka_unit_test(test_check_duplicates_and_enums),
	    cmocka_unit_test(test_build_problem_order),
	    cmocka_unit_test(test_check_rules),
	    cmocka_unit_test(test_check_questions),
	    cmocka_unit_test(test_check_unused_and_tests),
	    cmocka_unit_test(test_check_shared_from),
	    cmocka_unit_test(test_catalog_test_mismatch),
	    cmocka_unit_test(test_diff),
	    cmocka_unit_test(test_shipped_catalog),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
