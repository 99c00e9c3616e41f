/*
 * test_password.c — the password policy and its messages, generation, and
 * argon2id hashing at the default (moderate) cost and the fast test cost.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "core/password.h"

static const char *check(const char *pw, const char *user, char *msg)
{
	const char *code = NULL;

	if (password_check_policy(pw, user, &code, msg, 256) == 0)
		return "ok";
	assert_true(strlen(msg) > 0);
	return code;
}

static void test_policy(void **state)
{
	char msg[256];

	(void)state;
	assert_string_equal(check("Abcdefgh12", "bob", msg), "ok"); /* 3 classes, 10 chars */
	assert_string_equal(check("abcdefgh1!", "bob", msg), "ok"); /* lower digit symbol */
	assert_string_equal(check("密码Abcdefg1", "bob", msg),
			    "ok"); /* non-ASCII counts as symbol */
	assert_string_equal(check("Abcdefg12", "bob", msg), "too_short");
	assert_non_null(strstr(msg, "10"));
	assert_string_equal(check("abcdefghijkl", "bob", msg), "weak");
	assert_non_null(strstr(msg, "大写字母"));
	assert_non_null(strstr(msg, "数字"));
	assert_non_null(strstr(msg, "符号"));
	assert_null(strstr(msg, "小写字母、大写字母、数字、符号中的三类（还缺：小写"));
	assert_string_equal(check("abc", "bob", msg), "too_short");
	assert_non_null(strstr(msg, "还缺"));
	assert_string_equal(check("xxBob-2026xx", "bob", msg), "contains_username");
	assert_string_equal(check("xxBOB-2026xx", "bob", msg), "contains_username");
	assert_string_equal(check("\xff\xfe-Abc-12345", "bob", msg), "invalid_utf8");
	char longpw[200];

	memset(longpw, 'A', sizeof(longpw) - 1);
	longpw[sizeof(longpw) - 1] = '\0';
	assert_string_equal(check(longpw, "bob", msg), "too_long");
	/* ten Chinese characters are ten characters */
	assert_string_equal(check("一二三四五六七八九十", "bob", msg), "weak");
}

static void test_generate(void **state)
{
	char pw[PASSWORD_GEN_LEN + 1], other[PASSWORD_GEN_LEN + 1], msg[256];

	(void)state;
	for (int i = 0; i < 200; i++) {
		password_generate("abc", pw);
		assert_int_equal(strlen(pw), PASSWORD_GEN_LEN);
		assert_string_equal(check(pw, "abc", msg), "ok");
	}
	password_generate("abc", other);
	assert_string_not_equal(pw, other);
}

static void test_hash_default_cost(void **state)
{
	char h[PASSWORD_HASH_SIZE];

	(void)state;
	assert_int_equal(password_hash("Default-Cost-1", 0, h), 0);
	assert_non_null(strstr(h, "$argon2id$"));
	assert_non_null(strstr(h, "$m=65536,t=3,p=1$")); /* PASSWORD_MEMLIMIT, _OPSLIMIT */
	assert_true(password_verify(h, "Default-Cost-1"));
	assert_false(password_verify(h, "Default-Cost-2"));
	assert_false(password_needs_rehash(h, 0));
	assert_true(password_needs_rehash(h, 1));
}

/* Hashes made at an earlier cost (libsodium's "moderate" limits, the
 * platform's first choice) still verify and ask to be redone. */
static void test_hash_old_cost(void **state)
{
	char h[PASSWORD_HASH_SIZE];

	(void)state;
	assert_int_equal(crypto_pwhash_str(h, "Old-Cost-Pass-1", 15,
					   crypto_pwhash_OPSLIMIT_MODERATE,
					   crypto_pwhash_MEMLIMIT_MODERATE),
			 0);
	assert_true(password_verify(h, "Old-Cost-Pass-1"));
	assert_true(password_needs_rehash(h, 0));
	assert_false(password_needs_rehash("not a hash", 0));
}

static void test_hash_fast_cost(void **state)
{
	char h[PASSWORD_HASH_SIZE];

	(void)state;
	assert_int_equal(password_hash("Fast-Cost-1", 1, h), 0);
	assert_true(password_verify(h, "Fast-Cost-1"));
	assert_false(password_verify(h, ""));
	assert_false(password_verify("not a hash", "Fast-Cost-1"));
	assert_false(password_verify(NULL, "x"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_policy),
	    cmocka_unit_test(test_generate),
	    cmocka_unit_test(test_hash_default_cost),
	    cmocka_unit_test(test_hash_fast_cost),
	    cmocka_unit_test(test_hash_old_cost),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
