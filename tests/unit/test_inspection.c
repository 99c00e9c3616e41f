/*
 * test_inspection.c — a department's section of the joint inspection record:
 * the checklist answered completely, and a result that agrees with it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/inspection.h"

static const struct inspection_item list[] = {
    {"K_layout", "布局流程合理", "P_food_sale"},
    {"K_cold", "冷藏设施运转正常", "P_food_sale"},
    {"K_exit", "安全出口畅通", "P_fire_check"},
};

static void expect(const char *items_json, const char *result, int rc, const char *code,
		   const char *field)
{
	json_t *items = json_loads(items_json, JSON_DECODE_ANY, NULL);
	struct yerr err = {0};

	if (items == NULL)
		fail_msg("bad JSON %s", items_json);
	if (inspection_section_check(list, 3, items, result, "发现", &err) != rc)
		fail_msg("%s / %s: rc != %d (%s %s)", items_json, result, rc, err.code,
			 err.message);
	if (rc != 0) {
		assert_int_equal(err.status, 400);
		assert_string_equal(err.code, code);
		assert_string_equal(err.field, field);
	}
	json_decref(items);
}

#define ALL_OK                                                                            \
	"[{\"id\":\"K_layout\",\"result\":\"ok\"},{\"id\":\"K_cold\",\"result\":\"na\"}," \
	"{\"id\":\"K_exit\",\"result\":\"ok\",\"note\":\"已核\"}]"
#define ONE_BAD                                                                               \
	"[{\"id\":\"K_layout\",\"result\":\"ok\"},{\"id\":\"K_cold\",\"result\":\"not_ok\"}," \
	"{\"id\":\"K_exit\",\"result\":\"ok\",\"note\":null}]"

static void test_consistent(void **state)
{
	(void)state;
	expect(ALL_OK, "pass", 0, NULL, NULL);
	expect(ONE_BAD, "rectify", 0, NULL, NULL);
	expect(ONE_BAD, "fail", 0, NULL, NULL);
	expect(ONE_BAD, "pass", -1, "inconsistent_result", "result");
	expect(ALL_OK, "rectify", -1, "inconsistent_result", "result");
	expect(ALL_OK, "fail", -1, "inconsistent_result", "result");
}

static void test_items_refused(void **state)
{
	(void)state;
	expect("{}", "pass", -1, "invalid_items", "items");
	expect("[1]", "pass", -1, "invalid_items", "items[0].id");
	expect("[{\"result\":\"ok\"}]", "pass", -1, "invalid_items", "items[0].id");
	expect("[{\"id\":\"K_none\",\"result\":\"ok\"}]", "pass", -1, "unknown_item",
	       "items[0].id");
	expect("[{\"id\":\"K_layout\",\"result\":\"ok\"},{\"id\":\"K_layout\",\"result\":\"ok\"}]",
	       "pass", -1, "duplicate_item", "items[1].id");
	expect("[{\"id\":\"K_layout\",\"result\":\"good\"}]", "pass", -1, "invalid_item_result",
	       "items[0].result");
	expect("[{\"id\":\"K_layout\"}]", "pass", -1, "invalid_item_result", "items[0].result");
	expect("[{\"id\":\"K_layout\",\"result\":\"ok\",\"note\":5}]", "pass", -1, "text_too_long",
	       "items[0].note");
	expect("[{\"id\":\"K_layout\",\"result\":\"ok\"},{\"id\":\"K_exit\",\"result\":\"ok\"}]",
	       "pass", -1, "checklist_incomplete", "items");
}

static void test_findings_and_empty_list(void **state)
{
	struct yerr err = {0};
	json_t *empty = json_array();
	char *longtext = malloc(INSPECTION_TEXT_MAX + 2);

	(void)state;
	memset(longtext, 'a', INSPECTION_TEXT_MAX + 1);
	longtext[INSPECTION_TEXT_MAX + 1] = '\0';
	assert_int_equal(inspection_section_check(list, 3, empty, "pass", longtext, &err), -1);
	assert_string_equal(err.code, "text_too_long");
	assert_string_equal(err.field, "findings");
	/* no checklist for the department yet: any result with no items */
	assert_int_equal(inspection_section_check(NULL, 0, empty, "pass", NULL, &err), 0);
	assert_int_equal(inspection_section_check(NULL, 0, empty, "rectify", NULL, &err), 0);
	json_decref(empty);
	free(longtext);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_consistent),
	    cmocka_unit_test(test_items_refused),
	    cmocka_unit_test(test_findings_and_empty_list),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
