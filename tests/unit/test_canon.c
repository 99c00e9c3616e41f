/*
 * test_canon.c — canonical JSON (core/canon.h): key order by bytes at every
 * level, UTF-8 verbatim, only the escapes JSON requires, integers only.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/canon.h"

/* canon of the JSON text in, compared with want. */
static void check(const char *in, const char *want)
{
	json_error_t je;
	json_t *v = json_loads(in, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
	char *got;

	if (v == NULL)
		fail_msg("bad test input %s: %s", in, je.text);
	got = canon_json(v);
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
	json_decref(v);
}

static void refused(json_t *v)
{
	assert_null(canon_json(v));
	json_decref(v);
}

static void test_scalars(void **state)
{
	(void)state;
	check("0", "0");
	check("-17", "-17");
	check("9007199254740991", "9007199254740991");
	check("-9007199254740991", "-9007199254740991");
	check("true", "true");
	check("false", "false");
	check("null", "null");
	check("\"\"", "\"\"");
	check("[]", "[]");
	check("{}", "{}");
}

static void test_refuses(void **state)
{
	json_t *deep = json_array(), *cur = deep;

	(void)state;
	refused(json_real(1.5));
	refused(json_real(2.0)); /* a real is refused even when integral */
	refused(json_pack("{s:[i,f]}", "a", 1, 0.1));
	refused(json_integer(9007199254740992LL));
	refused(json_integer(-9007199254740992LL));
	refused(json_stringn_nocheck("\xc3\x28", 2));     /* invalid UTF-8 */
	refused(json_stringn_nocheck("\xed\xa0\x80", 3)); /* a surrogate */
	refused(json_stringn_nocheck("\xc0\xaf", 2));     /* overlong '/' */
	for (int i = 0; i < 70; i++) {
		json_t *next = json_array();

		json_array_append_new(cur, next);
		cur = next;
	}
	refused(deep);
	assert_null(canon_json(NULL));
}

static void test_key_order(void **state)
{
	(void)state;
	check("{\"b\":1,\"a\":2,\"c\":{\"z\":[3,{\"y\":1,\"x\":2}],\"aa\":true,\"a\":null}}",
	      "{\"a\":2,\"b\":1,\"c\":{\"a\":null,\"aa\":true,\"z\":[3,{\"x\":2,\"y\":1}]}}");
	/* bytes, not characters or locale: upper case before lower, ASCII
	 * before any Chinese, Chinese by its UTF-8 bytes (许 E8AEB8 < 证 E8AF81) */
	check("{\"证\":1,\"许\":2,\"a\":3,\"B\":4,\"_\":5}",
	      "{\"B\":4,\"_\":5,\"a\":3,\"许\":2,\"证\":1}");
	/* a key that prefixes another comes first */
	check("{\"ab\":1,\"a\":2}", "{\"a\":2,\"ab\":1}");
	/* arrays keep their order */
	check("[3,1,2]", "[3,1,2]");
}

static void test_order_independent(void **state)
{
	json_t *a = json_object(), *b = json_object();
	const char *keys[] = {"number", "version", "holder", "kid", "permits", "valid_until"};
	char *ta, *tb;

	(void)state;
	for (int i = 0; i < 6; i++)
		json_object_set_new(a, keys[i], json_integer(i));
	for (int i = 5; i >= 0; i--)
		json_object_set_new(b, keys[i], json_integer(i));
	ta = canon_json(a);
	tb = canon_json(b);
	assert_string_equal(ta, tb);
	assert_string_equal(ta, "{\"holder\":2,\"kid\":3,\"number\":0,\"permits\":4,"
				"\"valid_until\":5,\"version\":1}");
	free(ta);
	free(tb);
	json_decref(a);
	json_decref(b);
}

static void test_strings(void **state)
{
	(void)state;
	/* Chinese verbatim, no \u */
	check("{\"name\":\"\\u4e0a\\u6d77\\u5e02\\u5f90\\u6c47\\u533a\"}",
	      "{\"name\":\"上海市徐汇区\"}");
	check("\"便利店 · 行业综合许可证\"", "\"便利店 · 行业综合许可证\"");
	/* outside the BMP: one 4-byte sequence */
	check("\"\\ud83d\\ude00\"", "\"\xf0\x9f\x98\x80\"");
	/* what JSON requires, and nothing else */
	check("\"a\\\"b\\\\c\"", "\"a\\\"b\\\\c\"");
	check("\"\\b\\t\\n\\f\\r\"", "\"\\b\\t\\n\\f\\r\"");
	check("\"\\u0001\\u001f\\u000b\"", "\"\\u0001\\u001f\\u000b\"");
	check("\"\\u0000x\"", "\"\\u0000x\"");
	check("\"a/b\"", "\"a/b\"");                                 /* no \/ */
	check("\"\\u007f\"", "\"\x7f\"");                            /* DEL verbatim */
	check("\"\\u2028\\u2029\"", "\"\xe2\x80\xa8\xe2\x80\xa9\""); /* verbatim */
	/* keys are escaped the same way */
	check("{\"a\\nb\":1}", "{\"a\\nb\":1}");
}

/* jansson's JSON_SORT_KEYS | JSON_COMPACT agrees on a typical document
 * (canon.h says where it does not). */
static void test_agrees_with_jansson(void **state)
{
	json_t *doc = json_pack(
	    "{s:s,s:i,s:{s:s,s:s},s:[{s:s,s:s}],s:n,s:s}", "type", "行业综合许可证", "version", 2,
	    "holder", "name", "上海某某便利店有限公司", "uscc", "91310104MA1FL0XX7X", "permits",
	    "code", "food", "name", "食品经营许可", "valid_until", "kid", "k20261202a");
	char *a = canon_json(doc), *b = json_dumps(doc, JSON_SORT_KEYS | JSON_COMPACT);

	(void)state;
	assert_string_equal(a, b);
	free(a);
	free(b);
	json_decref(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_scalars),   cmocka_unit_test(test_refuses),
	    cmocka_unit_test(test_key_order), cmocka_unit_test(test_order_independent),
	    cmocka_unit_test(test_strings),   cmocka_unit_test(test_agrees_with_jansson),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
