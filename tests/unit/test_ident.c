/*
 * test_ident.c - 统一社会信用代码 / 居民身份证号 validators.
 *
 * Expected check characters were computed with an independent
 * implementation of GB 32100 / GB 11714 / GB 11643 (not with ident.c), and
 * the official examples 91110000600037341L and 360426199101010071 anchor it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/ident.h"

#define TODAY 20261128

/* Validate a C string literal (length from sizeof, so embedded NULs count). */
#define USCC(lit, r) ident_check_uscc((lit), sizeof(lit) - 1, (r))
#define IDC(lit, r) ident_check_idcard((lit), sizeof(lit) - 1, TODAY, (r))

static void assert_valid(const struct ident_result *r)
{
	if (!r->valid)
		print_error("unexpected failure: %s: %s\n", r->reason, r->message);
	assert_true(r->valid);
	assert_null(r->reason);
	assert_null(r->message);
}

static void assert_reason(const struct ident_result *r, const char *reason)
{
	assert_false(r->valid);
	assert_non_null(r->reason);
	assert_string_equal(r->reason, reason);
	assert_non_null(r->message);
	assert_true(strlen(r->message) > 0);
}

static void assert_message_has(const struct ident_result *r, const char *needle)
{
	if (!strstr(r->message, needle))
		print_error("message \"%s\" lacks \"%s\"\n", r->message, needle);
	assert_non_null(strstr(r->message, needle));
}

/* ---- check-character helpers ---- */

static void test_check_chars(void **state)
{
	(void)state;
	assert_int_equal(ident_uscc_check_char("91110000600037341"), 'L');
	assert_int_equal(ident_org_check_char("60003734"), '1');
	assert_int_equal(ident_org_check_char("MA1FL0XX"), '7');
	assert_int_equal(ident_org_check_char("13221163"), '5');
	assert_int_equal(ident_uscc_check_char("91310104MA1FL0XX7"), 'X');
	assert_int_equal(ident_idcard_check_char("36042619910101007"), '1');
	assert_int_equal(ident_idcard_check_char("11010519491231002"), 'X');
	/* invalid inputs */
	assert_int_equal(ident_uscc_check_char("9111000060003734I"), 0);
	assert_int_equal(ident_org_check_char("6000373a"), 0);
	assert_int_equal(ident_idcard_check_char("3604261991010100A"), 0);
}

static void test_province(void **state)
{
	static const int ok[] = {11, 15, 21, 23, 31, 37, 41, 46, 50, 54, 61, 65, 71, 81, 82};
	static const int bad[] = {0,  10, 16, 20, 24, 30, 38, 40, 47,
				  49, 55, 60, 66, 70, 72, 80, 83, 99};

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		assert_true(ident_province_valid(ok[i]));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(ident_province_valid(bad[i]));
}

/* ---- USCC ---- */

static void test_uscc_valid(void **state)
{
	struct ident_result r;

	(void)state;
	USCC("91110000600037341L", &r);
	assert_valid(&r);
	USCC("91310104MA1FL0XX7X", &r);
	assert_valid(&r);
	USCC("91310104132211635H", &r);
	assert_valid(&r);
	USCC("913101041234567882", &r);
	assert_valid(&r);
	/* length is honoured: trailing garbage beyond len is never read */
	ident_check_uscc("91110000600037341LXYZ", 18, &r);
	assert_valid(&r);
}

static void test_uscc_empty(void **state)
{
	struct ident_result r;

	(void)state;
	ident_check_uscc("", 0, &r);
	assert_reason(&r, "empty");
	ident_check_uscc(NULL, 0, &r);
	assert_reason(&r, "empty");
}

static void test_uscc_length(void **state)
{
	struct ident_result r;
	char *big;

	(void)state;
	USCC("91110000600037341", &r);
	assert_reason(&r, "length");
	assert_message_has(&r, "17");
	USCC("91110000600037341LL", &r);
	assert_reason(&r, "length");
	assert_message_has(&r, "19");

	big = malloc(10240);
	assert_non_null(big);
	memset(big, '9', 10240);
	ident_check_uscc(big, 10240, &r);
	assert_reason(&r, "length");
	assert_message_has(&r, "10240");
	/* 10 KB of invalid bytes: no crash, still a length error */
	memset(big, 0xff, 10240);
	ident_check_uscc(big, 10240, &r);
	assert_reason(&r, "length");
	free(big);
}

static void test_uscc_fullwidth(void **state)
{
	struct ident_result r;

	(void)state;
	/* full-width ９ at position 1: 18 characters but 20 bytes */
	USCC("\xef\xbc\x99"
	     "1110000600037341L",
	     &r);
	assert_reason(&r, "fullwidth");
	assert_message_has(&r, "请使用半角字符");
	assert_message_has(&r, "第1位");
	/* full-width Ｌ at position 18 */
	USCC("91110000600037341\xef\xbc\xac", &r);
	assert_reason(&r, "fullwidth");
	assert_message_has(&r, "第18位");
	assert_message_has(&r, "“L”");
	/* every character full-width: still "fullwidth", not "length" */
	USCC("\xef\xbc\x99\xef\xbc\x91\xef\xbc\x91\xef\xbc\x91", &r);
	assert_reason(&r, "fullwidth");
	/* ideographic space */
	USCC("91110000\xe3\x80\x80"
	     "00037341L",
	     &r);
	assert_reason(&r, "fullwidth");
	assert_message_has(&r, "全角空格");
}

static void test_uscc_lowercase(void **state)
{
	struct ident_result r;

	(void)state;
	USCC("91110000600037341l", &r);
	assert_reason(&r, "lowercase");
	assert_message_has(&r, "第18位");
	assert_message_has(&r, "大写");
	USCC("91310104ma1fl0xx7x", &r);
	assert_reason(&r, "lowercase");
	assert_message_has(&r, "第9位");
}

static void test_uscc_charset(void **state)
{
	struct ident_result r;

	(void)state;
	USCC("91110I00600037341L", &r);
	assert_reason(&r, "charset");
	assert_message_has(&r, "第6位字符“I”不合法");
	USCC("9111000060003734OL", &r);
	assert_reason(&r, "charset");
	assert_message_has(&r, "第17位字符“O”");
	/* lower-case letters that are not in the alphabet even upper-cased */
	USCC("91110000600037341o", &r);
	assert_reason(&r, "charset");
	USCC("91110000-00037341L", &r);
	assert_reason(&r, "charset");
	assert_message_has(&r, "第9位字符“-”");
	USCC("91110000 00037341L", &r);
	assert_reason(&r, "charset");
	assert_message_has(&r, "空格");
	/* embedded NUL at position 11 */
	USCC("9111000060"
	     "\0"
	     "037341L",
	     &r);
	assert_reason(&r, "charset");
	assert_message_has(&r, "第11位");
	assert_message_has(&r, "不可见或无效字符");
	/* a Chinese character at position 9 (18 characters, 20 bytes) */
	USCC("91110000中00037341L", &r);
	assert_reason(&r, "charset");
	assert_message_has(&r, "第9位字符“中”");
}

static void test_uscc_invalid_utf8(void **state)
{
	struct ident_result r;

	(void)state;
	/* stray 0xFF byte at position 5 */
	USCC("9111\xff"
	     "000600037341L",
	     &r);
	assert_reason(&r, "charset");
	assert_message_has(&r, "第5位");
	assert_message_has(&r, "不可见或无效字符");
	/* truncated 3-byte sequence at the very end: the decoder must not run
	 * past len (each invalid byte counts as one character: 17 + 2 = 19) */
	USCC("91110000600037341\xe4\xb8", &r);
	assert_reason(&r, "length");
	USCC("9111000060003734\xe4\xb8", &r);
	assert_reason(&r, "charset");
	assert_message_has(&r, "第17位");
	/* overlong encoding of '1' (0xC0 0xB1) and a UTF-16 surrogate */
	USCC("\xc0\xb1"
	     "1110000600037341L",
	     &r);
	assert_false(r.valid);
	USCC("\xed\xa0\x80"
	     "1110000600037341L",
	     &r);
	assert_false(r.valid);
}

static void test_uscc_division(void **state)
{
	struct ident_result r;

	(void)state;
	USCC("91990000600037341L", &r);
	assert_reason(&r, "division");
	assert_message_has(&r, "990000");
	USCC("91000000600037341L", &r);
	assert_reason(&r, "division");
	USCC("91AB0000600037341L", &r);
	assert_reason(&r, "division");
	USCC("9131010A132211635H", &r);
	assert_reason(&r, "division");
}

static void test_uscc_org_check(void **state)
{
	struct ident_result r;

	(void)state;
	/* org check should be 1; 2 given, with a USCC check char (P) that is
	 * right for the altered first 17, so only the org check is wrong */
	USCC("91110000600037342P", &r);
	assert_reason(&r, "org_check");
	assert_message_has(&r, "“1”");
	/* position 17 a letter that is in the alphabet but no org check char */
	USCC("9111000060003734AL", &r);
	assert_reason(&r, "org_check");
}

static void test_uscc_check(void **state)
{
	struct ident_result r;

	(void)state;
	USCC("91110000600037341M", &r);
	assert_reason(&r, "check");
	assert_message_has(&r, "“L”");
	USCC("91310104MA1FL0XX70", &r);
	assert_reason(&r, "check");
	assert_message_has(&r, "“X”");
}

/* ---- ID card ---- */

static void test_idcard_valid(void **state)
{
	struct ident_result r;

	(void)state;
	IDC("360426199101010071", &r);
	assert_valid(&r);
	IDC("11010519491231002X", &r);
	assert_valid(&r);
	IDC("440301200808081239", &r);
	assert_valid(&r);
	/* 1900-01-01 is the earliest accepted birth date */
	IDC("310104190001010010", &r);
	assert_valid(&r);
	/* born today is not in the future */
	IDC("310104202611280013", &r);
	assert_valid(&r);
	/* today_ymd = 0 skips the future test */
	ident_check_idcard("310104202611290019", 18, 0, &r);
	assert_valid(&r);
}

static void test_idcard_leap(void **state)
{
	struct ident_result r;

	(void)state;
	IDC("310104200002290014", &r); /* 2000 is a leap year (divisible by 400) */
	assert_valid(&r);
	IDC("310104202402290012", &r); /* 2024 is a leap year */
	assert_valid(&r);
	IDC("310104190002290018", &r); /* 1900 is not (divisible by 100) */
	assert_reason(&r, "birthdate");
	assert_message_has(&r, "19000229");
	IDC("310104202302290015", &r); /* 2023 is not */
	assert_reason(&r, "birthdate");
	IDC("360426199102300070", &r); /* 30 February */
	assert_reason(&r, "birthdate");
}

static void test_idcard_birth_range(void **state)
{
	struct ident_result r;

	(void)state;
	IDC("310104189912310016", &r);
	assert_reason(&r, "birthdate");
	assert_message_has(&r, "1900");
	IDC("310104202611290019", &r); /* tomorrow */
	assert_reason(&r, "future");
	ident_check_idcard("310104202611280013", 18, 20261127, &r);
	assert_reason(&r, "future");
}

static void test_idcard_errors(void **state)
{
	struct ident_result r;

	(void)state;
	ident_check_idcard("", 0, TODAY, &r);
	assert_reason(&r, "empty");
	IDC("36042619910101007", &r);
	assert_reason(&r, "length");
	assert_message_has(&r, "17");
	IDC("360426910101007", &r); /* old 15-digit number */
	assert_reason(&r, "length");
	assert_message_has(&r, "15位");
	IDC("11010519491231002x", &r);
	assert_reason(&r, "lowercase");
	assert_message_has(&r, "“X”");
	IDC("\xef\xbc\x93"
	    "60426199101010071",
	    &r);
	assert_reason(&r, "fullwidth");
	assert_message_has(&r, "请使用半角字符");
	IDC("3604261991010100A1", &r);
	assert_reason(&r, "charset");
	assert_message_has(&r, "第17位字符“A”");
	IDC("36042619910101007Y", &r);
	assert_reason(&r, "charset");
	assert_message_has(&r, "第18位");
	IDC("3604261991"
	    "\0"
	    "1010071",
	    &r);
	assert_reason(&r, "charset");
	assert_message_has(&r, "第11位");
	IDC("990426199101010079", &r);
	assert_reason(&r, "division");
	IDC("360426199101010072", &r);
	assert_reason(&r, "check");
	assert_message_has(&r, "“1”");
	IDC("11010519491231002"
	    "0",
	    &r);
	assert_reason(&r, "check");
	assert_message_has(&r, "“X”");
}

/* ---- masking ---- */

static void test_mask(void **state)
{
	char out[32];

	(void)state;
	assert_int_equal(ident_mask_idcard("360426199101010071", out, sizeof(out)), 0);
	assert_string_equal(out, "3604**********0071");
	assert_int_equal(ident_mask_idcard("11010519491231002X", out, sizeof(out)), 0);
	assert_string_equal(out, "1101**********002X");
	assert_int_equal(ident_mask_idcard("12345678", out, sizeof(out)), 0);
	assert_string_equal(out, "********");
	assert_int_equal(ident_mask_idcard("", out, sizeof(out)), 0);
	assert_string_equal(out, "");
	/* exactly enough room: 18 + NUL */
	assert_int_equal(ident_mask_idcard("360426199101010071", out, 19), 0);
	assert_string_equal(out, "3604**********0071");
	/* too small, or NULL */
	assert_int_equal(ident_mask_idcard("360426199101010071", out, 18), -1);
	assert_string_equal(out, "");
	assert_int_equal(ident_mask_idcard(NULL, out, sizeof(out)), -1);
	assert_int_equal(ident_mask_idcard("360426199101010071", NULL, 0), -1);
	/* non-ASCII input is masked entirely (no half UTF-8 sequences leak) */
	assert_int_equal(ident_mask_idcard("张三张三张三", out, sizeof(out)), 0);
	assert_int_equal(strlen(out), strlen("张三张三张三"));
	assert_int_equal(strspn(out, "*"), strlen(out));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_check_chars),
	    cmocka_unit_test(test_province),
	    cmocka_unit_test(test_uscc_valid),
	    cmocka_unit_test(test_uscc_empty),
	    cmocka_unit_test(test_uscc_length),
	    cmocka_unit_test(test_uscc_fullwidth),
	    cmocka_unit_test(test_uscc_lowercase),
	    cmocka_unit_test(test_uscc_charset),
	    cmocka_unit_test(test_uscc_invalid_utf8),
	    cmocka_unit_test(test_uscc_division),
	    cmocka_unit_test(test_uscc_org_check),
	    cmocka_unit_test(test_uscc_check),
	    cmocka_unit_test(test_idcard_valid),
	    cmocka_unit_test(test_idcard_leap),
	    cmocka_unit_test(test_idcard_birth_range),
	    cmocka_unit_test(test_idcard_errors),
	    cmocka_unit_test(test_mask),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
