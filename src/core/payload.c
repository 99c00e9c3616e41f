/*
 * payload.c — the QR payload and the 亮证 display token (payload.h).
 */
#include "core/payload.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"

#define MAX_FIELDS 8

/* A field of a dotted text: start and length. */
struct field {
	const char *p;
	size_t n;
};

static int malformed(struct yerr *err, const char *code, const char *what)
{
	return yerr_set(err, 400, code, "payload", "%s", what);
}

static int all_of(const char *p, size_t n, const char *set)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] == '\0' || strchr(set, p[i]) == NULL)
			return 0;
	return 1;
}

#define DIGITS "0123456789"
#define UPPER "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define KID_SET DIGITS UPPER "abcdefghijklmnopqrstuvwxyz_-"
#define B64URL_SET KID_SET

int payload_kid_valid(const char *kid)
{
	size_t n = kid ? strlen(kid) : 0;

	return n >= 1 && n <= 32 && all_of(kid, n, KID_SET);
}

static int number_ok(const char *p, size_t n)
{
	return n >= 1 && n <= 63 && all_of(p, n, DIGITS UPPER "-");
}

static int uscc_ok(const char *p, size_t n)
{
	return n == 18 && all_of(p, n, DIGITS UPPER);
}

static int date_ok(const char *p, size_t n)
{
	int day;

	return n == 10 && date_parse(p, n, &day) == 0;
}

/* A decimal integer in [min, max]: digits only, no sign, no leading zero. */
static int uint_ok(const char *p, size_t n, long long min, long long max, long long *out)
{
	long long v = 0;

	if (n == 0 || n > 18 || (n > 1 && p[0] == '0') || !all_of(p, n, DIGITS))
		return 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (p[i] - '0');
	if (v < min || v > max)
		return 0;
	*out = v;
	return 1;
}

/* Splits s (n bytes) on '.' into exactly want fields; 0 or -1. */
static int split(const char *s, size_t n, struct field *f, int want)
{
	int k = 0;
	const char *start = s;

	for (size_t i = 0; i <= n; i++) {
		if (i < n && s[i] != '.')
			continue;
		if (k == want)
			return -1;
		f[k].p = start;
		f[k].n = (size_t)(s + i - start);
		k++;
		start = s + i + 1;
	}
	return k == want ? 0 : -1;
}

static const json_t *find_key(const json_t *keys_json, const char *kid)
{
	const json_t *arr = json_object_get(keys_json, "keys");

	for (size_t i = 0; i < json_array_size(arr); i++) {
		const json_t *k = json_array_get(arr, i);
		const char *id = json_string_value(json_object_get(k, "kid"));

		if (id && strcmp(id, kid) == 0)
			return k;
	}
	return NULL;
}

int sig_verify_b64(const json_t *keys_json, const char *kid, const void *msg, size_t len,
		   const char *sig)
{
	const json_t *k = find_key(keys_json, kid);
	const char *pk64 = json_string_value(json_object_get(k, "public_key"));
	const char *alg = json_string_value(json_object_get(k, "alg"));
	unsigned char pk[crypto_sign_PUBLICKEYBYTES], s[crypto_sign_BYTES];
	size_t pklen = 0, slen = 0;

	if (sodium_init() < 0)
		return -1;
	if (k == NULL || pk64 == NULL || (alg && strcmp(alg, "Ed25519") != 0) ||
	    sodium_base642bin(pk, sizeof(pk), pk64, strlen(pk64), NULL, &pklen, NULL,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    pklen != sizeof(pk))
		return -2;
	if (sig == NULL || strlen(sig) != SIG_B64_LEN ||
	    sodium_base642bin(s, sizeof(s), sig, SIG_B64_LEN, NULL, &slen, NULL,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    slen != sizeof(s))
		return -1;
	return crypto_sign_verify_detached(s, msg, len, pk) == 0 ? 0 : -1;
}

/* The text of f as a C string into out (size outsz > f->n). */
static void copy_field(char *out, size_t outsz, const struct field *f)
{
	snprintf(out, outsz, "%.*s", (int)f->n, f->p);
}

/* Trims ASCII white space (a scanner's trailing newline) off [*s, *s+*n). */
static void trim(const char **s, size_t *n)
{
	while (*n && strchr(" \t\r\n", (*s)[0]))
		(*s)++, (*n)--;
	while (*n && strchr(" \t\r\n", (*s)[*n - 1]))
		(*n)--;
}

/* The checks a signature needs, shared by both texts: the signed part is
 * everything before the last dot, the last field the signature. */
static int check_sig(const json_t *keys_json, const char *kid, const char *msg, size_t len,
		     const struct field *sig)
{
	char s[SIG_B64_LEN + 1];

	if (sig->n != SIG_B64_LEN || !all_of(sig->p, sig->n, B64URL_SET))
		return -1;
	copy_field(s, sizeof(s), sig);
	return sig_verify_b64(keys_json, kid, msg, len, s);
}

int payload_verify(const char *text, const json_t *keys_json, struct payload *out, struct yerr *err)
{
	struct field f[MAX_FIELDS];
	struct payload p;
	const char *s = text, *hash;
	size_t n = text ? strnlen(text, PAYLOAD_TEXT_MAX + 1) : 0;
	long long v;
	int rc;

	memset(&p, 0, sizeof(p));
	if (text == NULL || n > PAYLOAD_TEXT_MAX)
		return malformed(err, "payload_malformed", "许可证二维码内容过长或为空");
	trim(&s, &n);
	hash = memchr(s, '#', n);
	if (hash) {
		/* URL#payload: the payload is the fragment */
		size_t ulen = (size_t)(hash - s);

		n -= ulen + 1;
		s = hash + 1;
		if (split(s, n, f, MAX_FIELDS) == 0 && number_ok(f[1].p, f[1].n)) {
			if (ulen < f[1].n + 3 || memcmp(hash - f[1].n - 3, "/v/", 3) != 0 ||
			    memcmp(hash - f[1].n, f[1].p, f[1].n) != 0)
				return malformed(err, "payload_malformed",
						 "二维码中的网址与签名内容的许可证编号不一致");
		}
	}
	if (n > PAYLOAD_MAX || split(s, n, f, MAX_FIELDS) < 0 || f[0].n != 3 ||
	    memcmp(f[0].p, "YL1", 3) != 0)
		return malformed(err, "payload_malformed", "不是一证准营许可证的二维码内容（YL1）");
	if (!number_ok(f[1].p, f[1].n))
		return malformed(err, "payload_malformed", "许可证编号格式不正确");
	if (!uint_ok(f[2].p, f[2].n, 1, 999999, &v))
		return malformed(err, "payload_malformed", "许可证版本号格式不正确");
	p.version = (int)v;
	if (!uscc_ok(f[3].p, f[3].n))
		return malformed(err, "payload_malformed", "统一社会信用代码格式不正确");
	if (!date_ok(f[4].p, f[4].n))
		return malformed(err, "payload_malformed", "有效期起始日期格式不正确");
	if (!(f[5].n == 1 && f[5].p[0] == '-') && !date_ok(f[5].p, f[5].n))
		return malformed(err, "payload_malformed", "有效期截止日期格式不正确");
	if (f[6].n < 1 || f[6].n > 32 || !all_of(f[6].p, f[6].n, KID_SET))
		return malformed(err, "payload_malformed", "密钥编号格式不正确");
	if (f[7].n != SIG_B64_LEN || !all_of(f[7].p, f[7].n, B64URL_SET))
		return malformed(err, "payload_malformed", "签名格式不正确");
	copy_field(p.number, sizeof(p.number), &f[1]);
	copy_field(p.uscc, sizeof(p.uscc), &f[3]);
	copy_field(p.valid_from, sizeof(p.valid_from), &f[4]);
	if (f[5].n != 1)
		copy_field(p.valid_until, sizeof(p.valid_until), &f[5]);
	copy_field(p.kid, sizeof(p.kid), &f[6]);
	rc = check_sig(keys_json, p.kid, s, (size_t)(f[7].p - 1 - s), &f[7]);
	if (rc == -2)
		return yerr_set(err, 400, "unknown_key", "kid",
				"签名密钥 %s 不在已发布的公钥列表中", p.kid);
	if (rc < 0)
		return yerr_set(err, 400, "bad_signature", "sig",
				"签名校验失败：内容被改动或并非本平台签发");
	if (out)
		*out = p;
	return 0;
}

/* Appends a field to the text being built. */
static int cat(char *buf, size_t bufsz, const char *s)
{
	size_t len = strlen(buf);

	if (len + strlen(s) + 2 > bufsz)
		return -1;
	if (len)
		buf[len++] = '.';
	memcpy(buf + len, s, strlen(s) + 1);
	return 0;
}

/* Signs buf (kid is already its last field) and appends ".<sig>":
 * malloc'd result or NULL with err. */
static char *sign_append(char *buf, size_t bufsz, const char *kid, payload_sign_fn sign, void *ctx,
			 struct yerr *err)
{
	char sig[100] = "";

	if (sign(ctx, kid, buf, strlen(buf), sig) < 0 || strlen(sig) != SIG_B64_LEN) {
		yerr_set(err, 500, "sign_failed", "", "签名失败，请稍后重试");
		return NULL;
	}
	if (cat(buf, bufsz, sig) < 0) {
		yerr_set(err, 400, "payload_malformed", "payload", "签名内容过长");
		return NULL;
	}
	return strdup(buf);
}

char *payload_build(const struct payload *p, payload_sign_fn sign, void *ctx, struct yerr *err)
{
	char buf[PAYLOAD_MAX + 1] = "", ver[16];
	long long v;

	snprintf(ver, sizeof(ver), "%d", p->version);
	if (!number_ok(p->number, strlen(p->number))) {
		yerr_set(err, 400, "payload_malformed", "number", "许可证编号格式不正确");
		return NULL;
	}
	if (!uint_ok(ver, strlen(ver), 1, 999999, &v)) {
		yerr_set(err, 400, "payload_malformed", "version", "许可证版本号应为 1–999999");
		return NULL;
	}
	if (!uscc_ok(p->uscc, strlen(p->uscc))) {
		yerr_set(err, 400, "payload_malformed", "uscc", "统一社会信用代码格式不正确");
		return NULL;
	}
	if (!date_ok(p->valid_from, strlen(p->valid_from)) ||
	    (p->valid_until[0] && !date_ok(p->valid_until, strlen(p->valid_until)))) {
		yerr_set(err, 400, "payload_malformed", "valid_from", "有效期日期格式不正确");
		return NULL;
	}
	if (!payload_kid_valid(p->kid)) {
		yerr_set(err, 400, "payload_malformed", "kid", "密钥编号格式不正确");
		return NULL;
	}
	cat(buf, sizeof(buf), "YL1");
	cat(buf, sizeof(buf), p->number);
	cat(buf, sizeof(buf), ver);
	cat(buf, sizeof(buf), p->uscc);
	cat(buf, sizeof(buf), p->valid_from);
	cat(buf, sizeof(buf), p->valid_until[0] ? p->valid_until : "-");
	cat(buf, sizeof(buf), p->kid);
	return sign_append(buf, sizeof(buf), p->kid, sign, ctx, err);
}

char *payload_qr_text(const char *public_url, const char *number, const char *payload)
{
	size_t n = strlen(public_url) + strlen(number) + strlen(payload) + 8;
	char *s = malloc(n);

	if (s == NULL)
		abort();
	snprintf(s, n, "%s/v/%s#%s", public_url, number, payload);
	return s;
}

char *display_token_build(const char *number, int version, long long expires, const char *kid,
			  payload_sign_fn sign, void *ctx, struct yerr *err)
{
	char buf[PAYLOAD_MAX + 1] = "", ver[16], exp[24];
	long long v;

	snprintf(ver, sizeof(ver), "%d", version);
	snprintf(exp, sizeof(exp), "%lld", expires);
	if (!number_ok(number, strlen(number)) || !uint_ok(ver, strlen(ver), 1, 999999, &v) ||
	    !uint_ok(exp, strlen(exp), 1, 99999999999LL, &v) || !payload_kid_valid(kid)) {
		yerr_set(err, 400, "display_invalid", "token", "亮证码内容格式不正确");
		return NULL;
	}
	cat(buf, sizeof(buf), "YD1");
	cat(buf, sizeof(buf), number);
	cat(buf, sizeof(buf), ver);
	cat(buf, sizeof(buf), exp);
	cat(buf, sizeof(buf), kid);
	return sign_append(buf, sizeof(buf), kid, sign, ctx, err);
}

int display_token_verify(const char *token, const json_t *keys_json, long long now,
			 struct display_token *out, struct yerr *err)
{
	struct field f[6];
	struct display_token d;
	size_t n = token ? strnlen(token, PAYLOAD_MAX + 1) : 0;
	const char *s = token;
	long long v;

	memset(&d, 0, sizeof(d));
	if (token == NULL || n > PAYLOAD_MAX)
		return malformed(err, "display_invalid", "亮证码无效");
	trim(&s, &n);
	if (split(s, n, f, 6) < 0 || f[0].n != 3 || memcmp(f[0].p, "YD1", 3) != 0 ||
	    !number_ok(f[1].p, f[1].n) || !uint_ok(f[2].p, f[2].n, 1, 999999, &v))
		return malformed(err, "display_invalid", "亮证码无效");
	d.version = (int)v;
	if (!uint_ok(f[3].p, f[3].n, 1, 99999999999LL, &d.expires) || f[4].n < 1 || f[4].n > 32 ||
	    !all_of(f[4].p, f[4].n, KID_SET))
		return malformed(err, "display_invalid", "亮证码无效");
	copy_field(d.number, sizeof(d.number), &f[1]);
	copy_field(d.kid, sizeof(d.kid), &f[4]);
	if (check_sig(keys_json, d.kid, s, (size_t)(f[5].p - 1 - s), &f[5]) != 0)
		return yerr_set(err, 400, "display_invalid", "d",
				"亮证码无效：签名校验失败或并非本平台签发");
	if (d.expires > now + DISPLAY_TOKEN_MAX_TTL)
		return yerr_set(err, 400, "display_invalid", "d", "亮证码无效：有效期异常");
	if (now > d.expires)
		return yerr_set(err, 410, "display_expired", "d",
				"亮证码已过期（每几分钟更新一次），请重新扫描持证人出示的二维码");
	if (out)
		*out = d;
	return 0;
}
