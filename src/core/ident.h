/*
 * ident.h - validators for the identifiers applicants type into forms:
 * 统一社会信用代码 (GB 32100-2015) and 居民身份证号 (GB 11643-1999).
 *
 * Applicants mistype these all the time, so a validator does not just say
 * "invalid": it fills a struct ident_result with a stable English reason
 * code (for the API and tests) and a Chinese message telling the applicant
 * what exactly is wrong and, where possible, how to fix it.
 *
 * Inputs are UTF-8 byte strings with an explicit length. The validators
 * never read past len, and tolerate embedded NULs, invalid UTF-8 and very
 * long input (they report them; they do not crash or allocate).
 */
#ifndef YIYE_CORE_IDENT_H
#define YIYE_CORE_IDENT_H

#include <stddef.h>

#define IDENT_USCC_LEN 18
#define IDENT_IDCARD_LEN 18

/*
 * Outcome of a validation. On success valid = 1, reason = NULL and message
 * = NULL. On failure valid = 0, reason is one of the static strings below
 * and message points either to a static string or into buf; the result must
 * therefore not be copied by value and used after the copy's source dies
 * (copy message out instead).
 *
 * Reason codes (stable; the API and the UI may switch on them):
 *   "empty"      nothing entered
 *   "fullwidth"  full-width ASCII (ＡＢＣ１２３) or ideographic space
 *   "length"     wrong number of characters
 *   "lowercase"  a lower-case letter where upper case is required
 *   "charset"    a character outside the alphabet (message names position)
 *   "division"   unknown administrative-division (province) prefix
 *   "org_check"  USCC only: GB 11714 organisation-code check char wrong
 *   "birthdate"  ID only: birth date not a real date or before 1900
 *   "future"     ID only: birth date after today
 *   "check"      final check character wrong (message gives the expected one)
 */
struct ident_result {
	int valid;
	const char *reason;
	const char *message;
	char buf[256]; /* storage for formatted messages */
};

/* Validate a 统一社会信用代码 held in s[0..len). Always fills *r. */
void ident_check_uscc(const char *s, size_t len, struct ident_result *r);

/* Validate an 18-digit 居民身份证号 held in s[0..len). today_ymd is the
 * current date packed as yyyymmdd (e.g. 20261128; see date_to_packed) and
 * is passed in so that results are deterministic; 0 skips the "future"
 * test. Always fills *r. */
void ident_check_idcard(const char *s, size_t len, int today_ymd, struct ident_result *r);

/* 1 if the two-digit prefix (e.g. 31 for Shanghai) is a GB/T 2260 province-
 * level code: 11-15, 21-23, 31-37, 41-46, 50-54, 61-65, 71, 81, 82. */
int ident_province_valid(int prefix);

/* USCC check character (position 18) for the first 17 characters, which
 * must all be in the USCC alphabet 0-9 A-H J-N P-R T U W X Y. Returns the
 * character, or 0 if an input character is outside the alphabet. */
char ident_uscc_check_char(const char first17[17]);

/* GB 11714 organisation-code check character for its first 8 characters
 * (digits and upper-case letters). Returns '0'-'9' or 'X', or 0 if an input
 * character is not a digit or upper-case letter. */
char ident_org_check_char(const char first8[8]);

/* GB 11643 check character for the first 17 digits. Returns '0'-'9' or
 * 'X', or 0 if an input character is not a digit. */
char ident_idcard_check_char(const char first17[17]);

/* Mask an identity number for display to people who may not see it in
 * full: keep the first 4 and last 4 characters and replace the rest with
 * '*', e.g. 360426199101010071 -> 3604**********0071. Inputs of 8
 * characters or fewer, or containing non-ASCII bytes, are masked entirely.
 * in is NUL-terminated; out receives a NUL-terminated string of the same
 * length. Returns 0, or -1 if in/out is NULL or outsz is too small (out is
 * then "" when outsz > 0). */
int ident_mask_idcard(const char *in, char *out, size_t outsz);

#endif
