/*
 * test_catalog_checklist.c — permits' on-site inspection checklists
 * (core/catalog_checklist.h): every inspected permit of the shipped catalog
 * has one and no other permit does, they survive the single-document form
 * the server reads its catalog from, and the checker names what is wrong.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/catalog.h"
#include "core/catalog_check.h"
#include "core/catalog_checklist.h"
#include "io/catalog_dir.h"

static struct catalog_file *files;
static size_t nfiles;

static struct catalog *shipped(void)
{
	struct catalog *cat = NULL;
	struct yerr err = {0};

	if (catalog_parse(files, nfiles, &cat, &err) != 0)
		fail_msg("parse: %s %s", err.field, err.message);
	return cat;
}

static void test_shipped_lists(void **state)
{
	struct catalog *cat = shipped();
	struct inspection_item items[CHECKLIST_MAX];
	size_t inspected = 0;

	(void)state;
	for (size_t i = 0; i < cat->npermits; i++) {
		const struct catalog_permit *p = &cat->permits[i];
		size_t n = 0, got = catalog_checklist_items(p, items, &n, CHECKLIST_MAX);

		assert_int_equal(got, n);
		if (!p->inspection) {
			assert_int_equal(n, 0);
			continue;
		}
		inspected++;
		assert_true(n >= 1);
		for (size_t k = 0; k < n; k++) {
			assert_memory_equal(items[k].id, "K_", 2);
			assert_true(strlen(items[k].text) > 0);
			assert_string_equal(items[k].permit, p->code);
		}
	}
	assert_true(inspected >= 10);
	catalog_free(cat);
}

/* Appending stops at max; *n counts across permits (a department's list). */
static void test_appends_up_to_max(void **state)
{
	struct catalog *cat = shipped();
	const struct catalog_permit *food = catalog_permit_find(cat, "P_food_sale");
	const struct catalog_permit *fire = catalog_permit_find(cat, "P_fire_check");
	struct inspection_item items[4];
	size_t n = 0;

	(void)state;
	assert_non_null(food);
	assert_non_null(fire);
	catalog_checklist_items(food, items, &n, 3);
	assert_int_equal(n, 3);
	assert_int_equal(catalog_checklist_items(fire, items, &n, 4), 1);
	assert_int_equal(n, 4);
	assert_string_equal(items[3].permit, "P_fire_check");
	catalog_free(cat);
}

/* The server reads its catalog from the stored single document. */
static void test_document_round_trip(void **state)
{
	struct catalog *cat = shipped(), *back = NULL;
	struct inspection_item a[CHECKLIST_MAX], b[CHECKLIST_MAX];
	struct yerr err = {0};
	char *doc = catalog_to_json(cat);

	(void)state;
	assert_non_null(doc);
	assert_int_equal(catalog_parse_document(doc, strlen(doc), &back, &err), 0);
	for (size_t i = 0; i < cat->npermits; i++) {
		size_t na = 0, nb = 0;

		catalog_checklist_items(&cat->permits[i], a, &na, CHECKLIST_MAX);
		catalog_checklist_items(catalog_permit_find(back, cat->permits[i].code), b, &nb,
					CHECKLIST_MAX);
		assert_int_equal(na, nb);
		for (size_t k = 0; k < na; k++)
			assert_string_equal(a[k].id, b[k].id);
	}
	free(doc);
	catalog_free(back);
	catalog_free(cat);
}

/* The shipped files with permits.json changed by edit(). */
static int check_edited(void (*edit)(json_t *permits), struct catalog_problems *p)
{
	struct catalog_file *copy = calloc(nfiles, sizeof(*copy));
	char *text = NULL;
	int rc;

	assert_non_null(copy);
	for (size_t i = 0; i < nfiles; i++) {
		copy[i] = files[i];
		if (strcmp(files[i].name, "permits.json") == 0) {
			json_t *j = json_loadb(files[i].text, files[i].len, 0, NULL);

			assert_non_null(j);
			edit(j);
			text = json_dumps(j, 0);
			json_decref(j);
			copy[i].text = text;
			copy[i].len = strlen(text);
		}
	}
	rc = catalog_check(copy, nfiles, p);
	free(text);
	free(copy);
	return rc;
}

static json_t *permit(json_t *permits, const char *code)
{
	size_t i;
	json_t *p;

	json_array_foreach (permits, i, p)
		if (strcmp(json_string_value(json_object_get(p, "code")), code) == 0)
			return p;
	fail_msg("no permit %s", code);
	return NULL;
}

static void break_lists(json_t *permits)
{
	json_t *fire = json_object_get(permit(permits, "P_fire_check"), "inspection_checklist");

	json_object_del(permit(permits, "P_food_sale"), "inspection_checklist");
	json_object_set_new(json_array_get(fire, 0), "id", json_string("K_drug_pharmacist"));
	json_object_set_new(json_array_get(fire, 1), "id", json_string("bad id"));
	json_object_set_new(json_array_get(fire, 2), "text", json_string(""));
	json_object_set_new(json_array_get(fire, 2), "colour", json_string("红"));
	json_object_set_new(permit(permits, "P_signboard"), "inspection_checklist",
			    json_pack("[{s:s,s:s}]", "id", "K_sign", "text", "招牌"));
}

static int has(const struct catalog_problems *p, const char *path_part, const char *msg_part)
{
	for (size_t i = 0; i < p->n; i++)
		if (strstr(p->items[i].path, path_part) && strstr(p->items[i].message, msg_part))
			return 1;
	return 0;
}

static void test_checker(void **state)
{
	struct catalog_problems p = {0};

	(void)state;
	assert_int_equal(check_edited(break_lists, &p), 0);
	assert_true(has(&p, "inspection_checklist", "P_food_sale"));
	assert_true(has(&p, "inspection_checklist[0].id", "重复"));
	assert_true(has(&p, "inspection_checklist[1].id", "无效"));
	assert_true(has(&p, "inspection_checklist[2].text", "text"));
	assert_true(has(&p, "inspection_checklist[2].colour", "未知"));
	assert_true(has(&p, "inspection_checklist", "无需现场核查"));
	catalog_problems_free(&p);
}

static int setup(void **state)
{
	const char *src = getenv("YIYE_SOURCE_DIR");
	struct yerr err = {0};
	char dir[4096];

	(void)state;
	snprintf(dir, sizeof(dir), "%s/catalog", src ? src : ".");
	return catalog_dir_read(dir, &files, &nfiles, &err);
}

static int teardown(void **state)
{
	(void)state;
	catalog_dir_free(files, nfiles);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_shipped_lists),
	    cmocka_unit_test(test_appends_up_to_max),
	    cmocka_unit_test(test_document_round_trip),
	    cmocka_unit_test(test_checker),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
