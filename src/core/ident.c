/*
 * ident.c - 统一社会信用代码 and 居民身份证号 validation.
 *
 * Both validators run the same stages, in the order an applicant can act on
 * them: empty -> full-width characters -> length -> character set (case) ->
 * structure (division, birth date) -> check characters. Reporting
 * "full-width" before "length" matters: "９１１…" is 18 characters but 54
 * bytes, and telling the user "wrong length" would send them hunting for
 * the wrong mistake. Positions in messages are 1-based character positions,
 * as a person counts them, not byte offsets.
 */
#include "ident.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "date.h"

/* USCC alphabet, value = index (GB 32100-2015 table). */
static const char uscc_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
/* USCC weights 3^(i-1) mod 31 for positions 1..17. */
static const int uscc_weights[17] = {1,  3,  9,  27, 19, 26, 16, 17, 20,
				     29, 25, 13, 8,  24, 10, 30, 28};
/* GB 11714 weights for the 8 body characters of an organisation code. */
static const int org_weights[8] = {3, 7, 9, 10, 5, 8, 4, 2};
/* GB 11643 weights for the 17 body digits of an identity number. */
static const int idcard_weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};

int ident_province_valid(int prefix)
{
	return (prefix >= 11 && prefix <= 15) || (prefix >= 21 && prefix <= 23) ||
	       (prefix >= 31 && prefix <= 37) || (prefix >= 41 && prefix <= 46) ||
	       (prefix >= 50 && prefix <= 54) || (prefix >= 61 && prefix <= 65) || prefix == 71 ||
	       prefix == 81 || prefix == 82;
}

/* Value of c in the USCC alphabet, or -1. */
static int uscc_value(char c)
{
	const char *p;

	if (c == '\0')
		return -1;
	p = strchr(uscc_alphabet, c);
	return p ? (int)(p - uscc_alphabet) : -1;
}

char ident_uscc_check_char(const char first17[17])
{
	int sum = 0;

	for (int i = 0; i < 17; i++) {
		int v = uscc_value(first17[i]);

		if (v < 0)
			return 0;
		sum += v * uscc_weights[i];
	}
	return uscc_alphabet[(31 - sum % 31) % 31];
}

char ident_org_check_char(const char first8[8])
{
	int sum = 0, c;

	for (int i = 0; i < 8; i++) {
		char ch = first8[i];
		int v;

		if (ch >= '0' && ch <= '9')
			v = ch - '0';
		else if (ch >= 'A' && ch <= 'Z')
			v = ch - 'A' + 10;
		else
			return 0;
		sum += v * org_weights[i];
	}
	c = 11 - sum % 11;
	if (c == 10)
		return 'X';
	if (c == 11)
		return '0';
	return (char)('0' + c);
}

char ident_idcard_check_char(const char first17[17])
{
	static const char map[] = "10X98765432";
	int sum = 0;

	for (int i = 0; i < 17; i++) {
		if (first17[i] < '0' || first17[i] > '9')
			return 0;
		sum += (first17[i] - '0') * idcard_weights[i];
	}
	return map[sum % 11];
}

/*
 * Decode one UTF-8 character at s[i..len). Returns the number of bytes
 * consumed (>= 1) and stores the code point in *cp, or -1 in *cp for an
 * invalid, overlong, surrogate or truncated sequence (then exactly one byte
 * is consumed, so the caller resynchronises on the next byte).
 */
static size_t utf8_next(const unsigned char *s, size_t len, size_t i, long *cp)
{
	unsigned char b = s[i];
	size_t n;
	long v, min;

	if (b < 0x80) {
		*cp = b;
		return 1;
	}
	if (b >= 0xC2 && b <= 0xDF) {
		n = 2, v = b & 0x1F, min = 0x80;
	} else if (b >= 0xE0 && b <= 0xEF) {
		n = 3, v = b & 0x0F, min = 0x800;
	} else if (b >= 0xF0 && b <= 0xF4) {
		n = 4, v = b & 0x07, min = 0x10000;
	} else {
		*cp = -1;
		return 1;
	}
	if (len - i < n) {
		*cp = -1;
		return 1;
	}
	for (size_t k = 1; k < n; k++) {
		if ((s[i + k] & 0xC0) != 0x80) {
			*cp = -1;
			return 1;
		}
		v = (v << 6) | (s[i + k] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
		*cp = -1;
		return 1;
	}
	*cp = v;
	return n;
}

/* 1 for full-width ASCII variants (U+FF01..U+FF5E) and the ideographic
 * space U+3000, which Chinese input methods produce in full-width mode. */
static int is_fullwidth(long cp)
{
	return (cp >= 0xFF01 && cp <= 0xFF5E) || cp == 0x3000;
}

/* 1 if the character can be quoted back to the user as itself: printable,
 * not white space, not an invisible format character. */
static int is_quotable(long cp)
{
	if (cp <= 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0xA0))
		return 0;
	if ((cp >= 0x200B && cp <= 0x200F) || cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF ||
	    cp == 0x3000)
		return 0;
	return 1;
}

/*
 * One pass over the input gathering what the early stages need. Positions
 * are 1-based character positions; invalid bytes count as one character.
 */
struct scan {
	size_t nchars;      /* characters (invalid bytes count one each) */
	size_t fw_pos;      /* position of first full-width char, 0 if none */
	long fw_cp;         /* its code point */
	const char *fw_at;  /* its bytes in the input (3 bytes, both kinds) */
	size_t bad_pos;     /* position of first non-ASCII or invalid char, 0 if none */
	long bad_cp;        /* its code point, -1 if invalid UTF-8 */
	const char *bad_at; /* its bytes in the input */
	size_t bad_n;       /* and their count */
};

static void scan_input(const char *s, size_t len, struct scan *sc)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	memset(sc, 0, sizeof(*sc));
	while (i < len) {
		long cp;
		size_t n = utf8_next(u, len, i, &cp);

		sc->nchars++;
		if (is_fullwidth(cp) && !sc->fw_pos) {
			sc->fw_pos = sc->nchars;
			sc->fw_cp = cp;
			sc->fw_at = s + i;
		}
		if ((cp < 0 || cp >= 0x80) && !sc->bad_pos) {
			sc->bad_pos = sc->nchars;
			sc->bad_cp = cp;
			sc->bad_at = s + i;
			sc->bad_n = n;
		}
		i += n;
	}
}

static void result_ok(struct ident_result *r)
{
	r->valid = 1;
	r->reason = NULL;
	r->message = NULL;
	r->buf[0] = '\0';
}

static void result_static(struct ident_result *r, const char *reason, const char *message)
{
	r->valid = 0;
	r->reason = reason;
	r->message = message;
	r->buf[0] = '\0';
}

/* Fail with a printf-formatted message stored in r->buf. */
__attribute__((format(printf, 3, 4))) static void
result_fmt(struct ident_result *r, const char *reason, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->buf, sizeof(r->buf), fmt, ap);
	va_end(ap);
	r->valid = 0;
	r->reason = reason;
	r->message = r->buf;
}

/*
 * Say what is wrong with the character at some position, as the predicate
 * of "第N位…": 字符“X”不合法 when it can be shown as itself, otherwise a
 * phrase (a raw NUL or control byte must not end up in a message). ch
 * points to the character's n bytes, known to be valid UTF-8 when cp >= 0.
 */
static void describe_char(char *out, size_t outsz, long cp, const char *ch, size_t n)
{
	if (cp == ' ')
		snprintf(out, outsz, "是空格，不合法");
	else if (cp >= 0 && is_quotable(cp) && n <= 4)
		snprintf(out, outsz, "字符“%.*s”不合法", (int)n, ch);
	else
		snprintf(out, outsz, "是不可见或无效字符，不合法");
}

/* Common early stages. Returns 1 if a failure was recorded in r, else 0;
 * on 0 the input is exactly `want` ASCII bytes. `what` names the
 * identifier in messages. */
static int check_shape(const char *s, size_t len, size_t want, const char *what,
		       struct ident_result *r)
{
	struct scan sc;

	if (!s || len == 0) {
		result_fmt(r, "empty", "请填写%s", what);
		return 1;
	}
	scan_input(s, len, &sc);
	if (sc.fw_pos) {
		if (sc.fw_cp == 0x3000)
			result_fmt(r, "fullwidth", "第%zu位是全角空格，请使用半角字符", sc.fw_pos);
		else
			result_fmt(r, "fullwidth",
				   "第%zu位“%.3s”是全角字符，请使用半角字符（如“%c”）", sc.fw_pos,
				   sc.fw_at, (char)(sc.fw_cp - 0xFEE0));
		return 1;
	}
	if (sc.nchars != want) {
		result_fmt(r, "length", "%s应为%zu位，当前为%zu位", what, want, sc.nchars);
		return 1;
	}
	if (sc.bad_pos) {
		char desc[64];

		describe_char(desc, sizeof(desc), sc.bad_cp, sc.bad_at, sc.bad_n);
		result_fmt(r, "charset", "第%zu位%s", sc.bad_pos, desc);
		return 1;
	}
	return 0;
}

void ident_check_uscc(const char *s, size_t len, struct ident_result *r)
{
	static const char what[] = "统一社会信用代码";
	char desc[64], exp;
	int prov;

	if (check_shape(s, len, IDENT_USCC_LEN, what, r))
		return;
	/* Now exactly 18 ASCII bytes. First offending character decides. */
	for (int i = 0; i < IDENT_USCC_LEN; i++) {
		char c = s[i];

		if (uscc_value(c) >= 0)
			continue;
		if (c >= 'a' && c <= 'z' && uscc_value((char)(c - 'a' + 'A')) >= 0) {
			result_fmt(r, "lowercase", "第%d位“%c”应为大写字母“%c”，请使用大写", i + 1,
				   c, (char)(c - 'a' + 'A'));
			return;
		}
		describe_char(desc, sizeof(desc), (unsigned char)c, s + i, 1);
		if (c != '\0' && strchr("IOSVZiosvz", c))
			result_fmt(r, "charset",
				   "第%d位%s（统一社会信用代码不使用字母I、O、S、V、Z）", i + 1,
				   desc);
		else
			result_fmt(r, "charset", "第%d位%s", i + 1, desc);
		return;
	}
	for (int i = 2; i < 8; i++) {
		if (s[i] < '0' || s[i] > '9') {
			result_static(r, "division", "第3至8位应为6位数字的行政区划代码");
			return;
		}
	}
	prov = (s[2] - '0') * 10 + (s[3] - '0');
	if (!ident_province_valid(prov)) {
		result_fmt(r, "division",
			   "第3至8位行政区划代码“%.6s”无效（“%.2s”不是省级区划代码）", s + 2,
			   s + 2);
		return;
	}
	exp = ident_org_check_char(s + 8);
	if (exp != s[16]) {
		result_fmt(r, "org_check",
			   "第9至17位组织机构代码的校验位（第17位）不正确，按第9至16位计算应为“%"
			   "c”，请核对",
			   exp);
		return;
	}
	exp = ident_uscc_check_char(s);
	if (exp != s[17]) {
		result_fmt(r, "check", "第18位校验码不正确，按前17位计算应为“%c”，请核对整个代码",
			   exp);
		return;
	}
	result_ok(r);
}

static int all_digits(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
	}
	return 1;
}

void ident_check_idcard(const char *s, size_t len, int today_ymd, struct ident_result *r)
{
	static const char what[] = "身份证号码";
	char desc[64], exp;
	int y, m, d, birth;

	if (s && len == 15 && all_digits(s, len)) {
		result_static(r, "length", "15位旧身份证号码已停用，请填写18位身份证号码");
		return;
	}
	if (check_shape(s, len, IDENT_IDCARD_LEN, what, r))
		return;
	for (int i = 0; i < IDENT_IDCARD_LEN; i++) {
		char c = s[i];

		if (c >= '0' && c <= '9')
			continue;
		if (i == 17 && c == 'X')
			continue;
		if (i == 17 && c == 'x') {
			result_static(r, "lowercase", "第18位校验码“x”应为大写字母“X”，请使用大写");
			return;
		}
		describe_char(desc, sizeof(desc), (unsigned char)c, s + i, 1);
		if (i == 17)
			result_fmt(r, "charset", "第18位%s，校验码应为数字或“X”", desc);
		else
			result_fmt(r, "charset", "第%d位%s，身份证号码前17位应为数字", i + 1, desc);
		return;
	}
	if (!ident_province_valid((s[0] - '0') * 10 + (s[1] - '0'))) {
		result_fmt(r, "division", "前6位地址码“%.6s”无效（“%.2s”不是省级区划代码）", s, s);
		return;
	}
	y = (s[6] - '0') * 1000 + (s[7] - '0') * 100 + (s[8] - '0') * 10 + (s[9] - '0');
	m = (s[10] - '0') * 10 + (s[11] - '0');
	d = (s[12] - '0') * 10 + (s[13] - '0');
	if (!date_valid_ymd(y, m, d)) {
		result_fmt(r, "birthdate", "第7至14位出生日期“%.8s”不是有效日期", s + 6);
		return;
	}
	if (y < 1900) {
		result_fmt(r, "birthdate", "第7至14位出生日期“%.8s”早于1900年", s + 6);
		return;
	}
	birth = y * 10000 + m * 100 + d;
	if (today_ymd > 0 && birth > today_ymd) {
		result_fmt(r, "future", "第7至14位出生日期“%.8s”晚于今天，请核对", s + 6);
		return;
	}
	exp = ident_idcard_check_char(s);
	if (exp != s[17]) {
		result_fmt(r, "check", "第18位校验码不正确，按前17位计算应为“%c”，请核对整个号码",
			   exp);
		return;
	}
	result_ok(r);
}

int ident_mask_idcard(const char *in, char *out, size_t outsz)
{
	size_t n, keep = 4;

	if (!out)
		return -1;
	if (outsz > 0)
		out[0] = '\0';
	if (!in)
		return -1;
	n = strlen(in);
	if (outsz < n + 1)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if ((unsigned char)in[i] >= 0x80 || (unsigned char)in[i] < 0x20)
			keep = 0;
	}
	if (n <= 8)
		keep = 0;
	for (size_t i = 0; i < n; i++)
		out[i] = (i < keep || i >= n - keep) ? in[i] : '*';
	out[n] = '\0';
	return 0;
}
