/*
 * test_args.c - request input checks (src/http/args.c), without a server.
 *
 * The pure args_* checks are called directly; the req_* wrappers are called
 * on a struct req built here (reply_* only fill the struct), which shows the
 * answer a client would get.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/text.h"
#include "http/args.h"

static void test_utf8_chars(void **state)
{
	(void)state;
	assert_int_equal(text_chars("", 0), 0);
	assert_int_equal(text_chars("abc", 3), 3);
	assert_int_equal(text_chars("便利店", strlen("便利店")), 3);
	assert_int_equal(text_chars("a\xc3\xa9", 3), 2);         /* é */
	assert_int_equal(text_chars("\xf0\x9f\x98\x80", 4), 1);  /* U+1F600 */
	assert_int_equal(text_chars("\xc3", 1), -1);             /* truncated */
	assert_int_equal(text_chars("\x80", 1), -1);             /* lone continuation */
	assert_int_equal(text_chars("\xc0\xaf", 2), -1);         /* overlong '/' */
	assert_int_equal(text_chars("\xe0\x80\xaf", 3), -1);     /* overlong, 3 bytes */
	assert_int_equal(text_chars("\xed\xa0\x80", 3), -1);     /* surrogate U+D800 */
	assert_int_equal(text_chars("\xf4\x90\x80\x80", 4), -1); /* above U+10FFFF */
	assert_int_equal(text_chars("\xe4\xbe\xbfx", 4), 2);
	assert_int_equal(text_chars("\xe4\xbe", 2), -1);
}

static void test_keys(void **state)
{
	static const char *const keys[] = {"name", "code", NULL};
	json_t *ok = json_pack("{s:s,s:s}", "name", "x", "code", "y");
	json_t *bad = json_pack("{s:s,s:i}", "name", "x", "extra", 1);
	json_t *arr = json_array();
	struct yerr e = {0};

	(void)state;
	assert_int_equal(args_keys(ok, keys, &e), 0);
	assert_int_equal(args_keys(bad, keys, &e), -1);
	assert_int_equal(e.status, 400);
	assert_string_equal(e.code, "unknown_field");
	assert_string_equal(e.field, "extra");
	assert_int_equal(args_keys(arr, keys, &e), -1);
	assert_string_equal(e.code, "invalid_body");
	assert_int_equal(args_keys(NULL, keys, &e), -1);
	json_decref(ok);
	json_decref(bad);
	json_decref(arr);
}

/* args_text on {"f": value}; returns the code ("" when accepted). */
static const char *text_code(json_t *value, unsigned flags, size_t max, const char **out)
{
	static struct yerr e;
	json_t *o = json_object();
	const char *dummy;

	memset(&e, 0, sizeof(e));
	if (value)
		json_object_set_new(o, "f", value);
	if (args_text(o, "f", flags, max, out ? out : &dummy, &e) < 0) {
		assert_int_equal(e.status, 400);
		assert_string_equal(e.field, "f");
		assert_true(strlen(e.message) > 0);
	}
	json_decref(o);
	return e.code;
}

static void test_text(void **state)
{
	const char *out = "unset";

	(void)state;
	/* absent, null and empty: NULL when optional, required otherwise */
	assert_string_equal(text_code(NULL, 0, 10, &out), "");
	assert_null(out);
	assert_string_equal(text_code(json_null(), 0, 10, &out), "");
	assert_null(out);
	assert_string_equal(text_code(json_string(""), 0, 10, &out), "");
	assert_null(out);
	assert_string_equal(text_code(NULL, ARG_REQUIRED, 10, NULL), "required");
	assert_string_equal(text_code(json_string(""), ARG_REQUIRED, 10, NULL), "required");
	assert_string_equal(text_code(json_string(" \t"), ARG_REQUIRED, 10, NULL), "required");
	assert_string_equal(text_code(json_string("\n\r "), ARG_REQUIRED | ARG_MULTILINE, 10, NULL),
			    "required");
	assert_string_equal(text_code(json_string(" "), ARG_NOT_BLANK, 10, NULL), "required");
	assert_string_equal(text_code(json_null(), ARG_NOT_BLANK, 10, &out), "");
	assert_null(out);
	/* type */
	assert_string_equal(text_code(json_integer(3), 0, 10, NULL), "invalid_type");
	assert_string_equal(text_code(json_true(), ARG_REQUIRED, 10, NULL), "invalid_type");
	/* length counts characters, not bytes */
	assert_string_equal(text_code(json_string("便利店"), ARG_REQUIRED, 3, NULL), "");
	assert_string_equal(text_code(json_string("便利店x"), ARG_REQUIRED, 3, NULL), "too_long");
	assert_string_equal(text_code(json_string("abcd"), 0, 3, NULL), "too_long");
	/* control characters; line breaks only in free text */
	assert_string_equal(text_code(json_string("a\nb"), 0, 10, NULL), "invalid_characters");
	assert_string_equal(text_code(json_string("a\tb"), 0, 10, NULL), "invalid_characters");
	assert_string_equal(text_code(json_string("a\x7f"), 0, 10, NULL), "invalid_characters");
	assert_string_equal(text_code(json_string("a\x01"), ARG_MULTILINE, 10, NULL),
			    "invalid_characters");
	assert_string_equal(text_code(json_string("a\r\n\tb"), ARG_MULTILINE, 10, &out), "");
	assert_non_null(out); /* points into the freed object: not read */
	/* an embedded NUL (\u0000) and invalid UTF-8 */
	assert_string_equal(text_code(json_stringn("a\0b", 3), 0, 10, NULL), "invalid_characters");
	assert_string_equal(text_code(json_stringn_nocheck("a\xc3", 2), 0, 10, NULL),
			    "invalid_characters");
	assert_string_equal(text_code(json_stringn_nocheck("\xed\xa0\x80", 3), 0, 10, NULL),
			    "invalid_characters");
}

static void test_int(void **state)
{
	long long v = -1;

	(void)state;
	assert_int_equal(args_int("0", 0, 10, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(args_int("200", 1, 200, &v), 0);
	assert_int_equal(v, 200);
	assert_int_equal(args_int("201", 1, 200, &v), -1);
	assert_int_equal(args_int("0", 1, 200, &v), -1);
	assert_int_equal(args_int("", 0, 10, &v), -1);
	assert_int_equal(args_int(NULL, 0, 10, &v), -1);
	assert_int_equal(args_int("+5", 0, 10, &v), -1);
	assert_int_equal(args_int("-5", -10, 10, &v), -1);
	assert_int_equal(args_int(" 5", 0, 10, &v), -1);
	assert_int_equal(args_int("5x", 0, 10, &v), -1);
	assert_int_equal(args_int("1234567890123456789", 0, INT64_MAX, &v), -1);
	assert_int_equal(args_int("123456789012345678", 0, INT64_MAX, &v), 0);
	assert_true(v == 123456789012345678LL);
}

/* Query parameters (req_query_int / req_query_text apply these to ?name=). */
static void test_query(void **state)
{
	struct yerr e = {0};
	long long v = -1;
	const char *s = "x";

	(void)state;
	/* absent or empty: the default */
	assert_int_equal(args_query_int("add", NULL, 7, 0, 60, &v, &e), 0);
	assert_int_equal(v, 7);
	assert_int_equal(args_query_int("add", "", 7, 0, 60, &v, &e), 0);
	assert_int_equal(v, 7);
	assert_int_equal(args_query_int("add", "60", 7, 0, 60, &v, &e), 0);
	assert_int_equal(v, 60);
	/* the rule of args_int: digits only, within the bounds */
	static const char *const bad[] = {"+5", " 5", "5 ", "-1", "61", "5x", "0x10"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&e, 0, sizeof(e));
		assert_int_equal(args_query_int("add", bad[i], 7, 0, 60, &v, &e), -1);
		assert_int_equal(e.status, 400);
		assert_string_equal(e.code, "invalid_number");
		assert_string_equal(e.field, "add");
	}

	assert_int_equal(args_query_text("q", NULL, 4, &s, &e), 0);
	assert_null(s);
	assert_int_equal(args_query_text("q", "", 4, &s, &e), 0);
	assert_null(s);
	/* counted in characters, as the UI counts */
	assert_int_equal(args_query_text("q", "市场监管", 4, &s, &e), 0);
	assert_string_equal(s, "市场监管");
	memset(&e, 0, sizeof(e));
	assert_int_equal(args_query_text("q", "市场监管局", 4, &s, &e), -1);
	assert_string_equal(e.code, "too_long");
	assert_string_equal(e.field, "q");
	memset(&e, 0, sizeof(e));
	assert_int_equal(args_query_text("q", "\xff", 4, &s, &e), -1);
	assert_string_equal(e.code, "invalid_characters");
	memset(&e, 0, sizeof(e));
	assert_int_equal(args_query_text("q", "a\nb", 4, &s, &e), -1);
	assert_string_equal(e.code, "invalid_characters");
}

/* A request with body `json`, as the router hands it to a handler. */
static void req_init(struct req *r, struct app *app, json_t *body)
{
	memset(r, 0, sizeof(*r));
	r->app = app;
	r->json = body;
}

/* The error code of r's answer. */
static const char *answer_code(struct req *r, char *buf, size_t bufsz)
{
	json_t *j = json_loadb(r->resp_body, r->resp_len, 0, NULL);

	assert_non_null(j);
	snprintf(buf, bufsz, "%s",
		 json_string_value(json_object_get(json_object_get(j, "error"), "code")));
	json_decref(j);
	return buf;
}

static void test_req_wrappers(void **state)
{
	static const char *const keys[] = {"name", NULL};
	struct app app;
	struct req r;
	const char *name;
	char code[64];

	(void)state;
	memset(&app, 0, sizeof(app));
	snprintf(app.cfg.district, sizeof(app.cfg.district), "310104");
	req_init(&r, &app, json_pack("{s:s}", "name", "市场监管局"));
	assert_int_equal(req_body_keys(&r, keys), 0);
	assert_int_equal(req_text(&r, "name", ARG_REQUIRED, 5, &name), 0);
	assert_string_equal(name, "市场监管局");
	assert_false(r.replied);
	assert_string_equal(req_district(&r), "310104");
	assert_int_equal(req_text(&r, "name", ARG_REQUIRED, 4, &name), -1);
	assert_true(r.replied);
	assert_int_equal(r.status, 400);
	assert_string_equal(answer_code(&r, code, sizeof(code)), "too_long");
	json_decref(r.json);
	free(r.resp_body);
}

static json_t *int_json(const void *p)
{
	return json_integer(*(const int *)p);
}

static void test_list(void **state)
{
	const int arr[] = {7, 8, 9};
	struct req_page page = {.limit = 2, .offset = 4};
	json_t *o;

	(void)state;
	o = req_list(arr, 3, sizeof(arr[0]), int_json, 30, &page);
	assert_int_equal(json_array_size(json_object_get(o, "items")), 3);
	assert_int_equal(json_integer_value(json_array_get(json_object_get(o, "items"), 2)), 9);
	assert_int_equal(json_integer_value(json_object_get(o, "total")), 30);
	assert_int_equal(json_integer_value(json_object_get(o, "limit")), 2);
	assert_int_equal(json_integer_value(json_object_get(o, "offset")), 4);
	json_decref(o);
	o = req_list(arr, 0, sizeof(arr[0]), int_json, 0, NULL);
	assert_int_equal(json_object_size(o), 2);
	json_decref(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_utf8_chars), cmocka_unit_test(test_keys),
	    cmocka_unit_test(test_text),       cmocka_unit_test(test_int),
	    cmocka_unit_test(test_query),      cmocka_unit_test(test_req_wrappers),
	    cmocka_unit_test(test_list),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
