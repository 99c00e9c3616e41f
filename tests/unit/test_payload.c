/*
 * test_payload.c — the QR payload and the 亮证 token (core/payload.h):
 * round trips, every refusal with its code, one changed byte anywhere
 * failing, retired keys verifying, display expiry decided by `now`.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "core/payload.h"

#define NOW 1796169600LL /* 2026-12-02T00:00:00Z */

/* Two fixed keys (seeded, so failures reproduce). */
struct key {
	char kid[33];
	unsigned char pk[32], sk[64];
};
static struct key keys[2];
static json_t *keys_json; /* both listed, a retired and b current */

static int sign(void *ctx, const char *kid, const void *msg, size_t len, char sig[100])
{
	unsigned char s[64];

	(void)ctx;
	for (int i = 0; i < 2; i++)
		if (strcmp(keys[i].kid, kid) == 0) {
			crypto_sign_detached(s, NULL, msg, len, keys[i].sk);
			sodium_bin2base64(sig, 100, s, 64,
					  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
			return 0;
		}
	return -1;
}

static int setup(void **state)
{
	unsigned char seed[32];
	char pk64[64];

	(void)state;
	assert_true(sodium_init() >= 0);
	keys_json = json_pack("{s:[]}", "keys");
	for (int i = 0; i < 2; i++) {
		memset(seed, 'a' + i, sizeof(seed));
		crypto_sign_seed_keypair(keys[i].pk, keys[i].sk, seed);
		snprintf(keys[i].kid, sizeof(keys[i].kid), "k20261202%c", 'a' + i);
		sodium_bin2base64(pk64, sizeof(pk64), keys[i].pk, 32,
				  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
		json_array_append_new(json_object_get(keys_json, "keys"),
				      json_pack("{s:s,s:s,s:s,s:s}", "kid", keys[i].kid, "alg",
						"Ed25519", "public_key", pk64, "status",
						i ? "current" : "retired"));
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	json_decref(keys_json);
	return 0;
}

static struct payload sample(const char *kid)
{
	struct payload p = {.version = 3};

	snprintf(p.number, sizeof(p.number), "XK-310104-2026-000001");
	snprintf(p.uscc, sizeof(p.uscc), "91310104MA1FL0XX7X");
	snprintf(p.valid_from, sizeof(p.valid_from), "2026-12-02");
	snprintf(p.valid_until, sizeof(p.valid_until), "2031-12-01");
	snprintf(p.kid, sizeof(p.kid), "%s", kid);
	return p;
}

static void expect(const char *text, const char *code)
{
	struct yerr e = {0};

	assert_int_equal(payload_verify(text, keys_json, NULL, &e), -1);
	if (strcmp(e.code, code) != 0)
		fail_msg("%s: got %s (%s), want %s", text, e.code, e.message, code);
	assert_int_equal(e.status, 400);
	assert_true(strlen(e.message) > 0);
}

static void test_roundtrip(void **state)
{
	struct payload p = sample("k20261202b"), got;
	struct yerr e = {0};
	char *s = payload_build(&p, sign, NULL, &e), *qr;

	(void)state;
	assert_non_null(s);
	assert_int_equal(strncmp(s,
				 "YL1.XK-310104-2026-000001.3.91310104MA1FL0XX7X.2026-12-02."
				 "2031-12-01.k20261202b.",
				 80),
			 0);
	assert_int_equal(strlen(s), 80 + 86);
	assert_int_equal(payload_verify(s, keys_json, &got, &e), 0);
	assert_memory_equal(&got, &p, sizeof(p));
	/* the whole QR text, and with a scanner's newline */
	qr = payload_qr_text("https://yiye.example.gov.cn", p.number, s);
	assert_string_equal(qr + strlen(qr) - strlen(s), s);
	assert_int_equal(payload_verify(qr, keys_json, &got, &e), 0);
	assert_string_equal(got.number, p.number);
	free(qr);
	qr = payload_qr_text("http://127.0.0.1:8080", p.number, s);
	qr = realloc(qr, strlen(qr) + 3);
	strcat(qr, "\r\n");
	assert_int_equal(payload_verify(qr, keys_json, NULL, &e), 0);
	free(qr);
	free(s);
}

static void test_no_term_and_retired(void **state)
{
	struct payload p = sample("k20261202a"), got;
	struct yerr e = {0};
	char *s;

	(void)state;
	p.valid_until[0] = '\0';
	s = payload_build(&p, sign, NULL, &e);
	assert_non_null(strstr(s, ".2026-12-02.-.k20261202a."));
	/* signed by the retired key: still valid */
	assert_int_equal(payload_verify(s, keys_json, &got, &e), 0);
	assert_string_equal(got.valid_until, "");
	free(s);
}

/* Every single-byte change of a valid payload fails. */
static void test_every_byte(void **state)
{
	struct payload p = sample("k20261202b");
	struct yerr e = {0};
	char *s = payload_build(&p, sign, NULL, &e);
	size_t n = strlen(s);
	static const char repl[] = "0A-.Z9a_";

	(void)state;
	for (size_t i = 0; i < n; i++)
		for (const char *r = repl; *r; r++) {
			char saved = s[i];

			if (*r == saved)
				continue;
			s[i] = *r;
			if (payload_verify(s, keys_json, NULL, &e) == 0)
				fail_msg("changed byte %zu to %c still verifies: %s", i, *r, s);
			s[i] = saved;
		}
	free(s);
}

static void test_refusals(void **state)
{
	struct payload p = sample("k20261202b");
	struct yerr e = {0};
	char *s = payload_build(&p, sign, NULL, &e), buf[1024];
	size_t n = strlen(s);

	(void)state;
	expect("", "payload_malformed");
	expect("hello", "payload_malformed");
	expect("YL2.XK-1.1.91310104MA1FL0XX7X.2026-12-02.-.k.sig", "payload_malformed");
	/* a signature by a key nobody published */
	snprintf(buf, sizeof(buf), "%s", s);
	memcpy(strstr(buf, "k20261202b"), "k20261202z", 10);
	expect(buf, "unknown_key");
	/* last signature character flipped */
	snprintf(buf, sizeof(buf), "%s", s);
	buf[n - 2] = buf[n - 2] == 'A' ? 'B' : 'A';
	expect(buf, "bad_signature");
	/* a field changed: bad signature, not malformed */
	snprintf(buf, sizeof(buf), "%s", s);
	*strstr(buf, ".3.") = '.', strstr(buf, ".3.")[1] = '4';
	expect(buf, "bad_signature");
	/* syntax of each field */
	expect("YL1.xk-1.1.91310104MA1FL0XX7X.2026-12-02.-.k.AAAA", "payload_malformed");
	snprintf(buf, sizeof(buf), "%s.extra", s);
	expect(buf, "payload_malformed");
	snprintf(buf, sizeof(buf), "%s", s);
	memcpy(strstr(buf, ".3."), ".0.", 3);
	expect(buf, "payload_malformed");
	snprintf(buf, sizeof(buf), "%s", s);
	memcpy(strstr(buf, "2031-12-01"), "2031-02-30", 10);
	expect(buf, "payload_malformed");
	snprintf(buf, sizeof(buf), "%s=", s);
	expect(buf, "payload_malformed");
	/* URL naming another license than the signed payload */
	snprintf(buf, sizeof(buf), "https://x.example/v/XK-310104-2026-000002#%s", s);
	expect(buf, "payload_malformed");
	snprintf(buf, sizeof(buf), "XK-310104-2026-000001#%s", s);
	expect(buf, "payload_malformed");
	snprintf(buf, sizeof(buf), "https://x.example/v/XK-310104-2026-000001#%s", s);
	assert_int_equal(payload_verify(buf, keys_json, NULL, &e), 0);
	/* too long */
	memset(buf, 'A', sizeof(buf) - 1);
	buf[sizeof(buf) - 1] = '\0';
	expect(buf, "payload_malformed");
	/* a keys.json without keys knows none */
	{
		json_t *empty = json_object();

		assert_int_equal(payload_verify(s, empty, NULL, &e), -1);
		assert_string_equal(e.code, "unknown_key");
		json_decref(empty);
	}
	free(s);
}

static void test_build_refuses(void **state)
{
	struct payload p = sample("k20261202b");
	struct yerr e = {0};

	(void)state;
	p.number[0] = '.';
	assert_null(payload_build(&p, sign, NULL, &e));
	assert_string_equal(e.field, "number");
	p = sample("bad.kid");
	assert_null(payload_build(&p, sign, NULL, &e));
	assert_string_equal(e.field, "kid");
	p = sample("k20261202b");
	p.version = 0;
	assert_null(payload_build(&p, sign, NULL, &e));
	p = sample("nokey");
	assert_null(payload_build(&p, sign, NULL, &e));
	assert_string_equal(e.code, "sign_failed");
}

static void test_display(void **state)
{
	struct yerr e = {0};
	struct display_token d;
	char *t = display_token_build("XK-310104-2026-000001", 2, NOW + DISPLAY_TOKEN_TTL,
				      "k20261202b", sign, NULL, &e);
	char buf[512];

	(void)state;
	assert_non_null(t);
	assert_int_equal(strncmp(t, "YD1.XK-310104-2026-000001.2.1796169900.k20261202b.", 50), 0);
	assert_int_equal(display_token_verify(t, keys_json, NOW, &d, &e), 0);
	assert_string_equal(d.number, "XK-310104-2026-000001");
	assert_int_equal(d.version, 2);
	assert_int_equal(d.expires, NOW + DISPLAY_TOKEN_TTL);
	/* valid up to and including its expiry second, expired after */
	assert_int_equal(display_token_verify(t, keys_json, NOW + DISPLAY_TOKEN_TTL, &d, &e), 0);
	assert_int_equal(display_token_verify(t, keys_json, NOW + DISPLAY_TOKEN_TTL + 1, &d, &e),
			 -1);
	assert_string_equal(e.code, "display_expired");
	assert_int_equal(e.status, 410);
	/* tampered (expiry pushed later): invalid, not expired */
	snprintf(buf, sizeof(buf), "%s", t);
	memcpy(strstr(buf, "1796169900"), "1796169999", 10);
	assert_int_equal(display_token_verify(buf, keys_json, NOW + 10000, &d, &e), -1);
	assert_string_equal(e.code, "display_invalid");
	assert_int_equal(e.status, 400);
	assert_int_equal(display_token_verify("YD1.x", keys_json, NOW, &d, &e), -1);
	assert_string_equal(e.code, "display_invalid");
	/* a QR payload is not a display token */
	assert_int_equal(display_token_verify("YL1.XK-1.1.2.k.s", keys_json, NOW, &d, &e), -1);
	free(t);
	/* a genuine token claiming a day's life is refused */
	t = display_token_build("XK-310104-2026-000001", 2, NOW + 86400, "k20261202b", sign, NULL,
				&e);
	assert_int_equal(display_token_verify(t, keys_json, NOW, &d, &e), -1);
	assert_string_equal(e.code, "display_invalid");
	free(t);
}

static void test_sig_verify(void **state)
{
	char sig[100];

	(void)state;
	assert_int_equal(sign(NULL, "k20261202a", "abc", 3, sig), 0);
	assert_int_equal(sig_verify_b64(keys_json, "k20261202a", "abc", 3, sig), 0);
	assert_int_equal(sig_verify_b64(keys_json, "k20261202b", "abc", 3, sig), -1);
	assert_int_equal(sig_verify_b64(keys_json, "k20261202a", "abd", 3, sig), -1);
	assert_int_equal(sig_verify_b64(keys_json, "nokey", "abc", 3, sig), -2);
	assert_int_equal(sig_verify_b64(keys_json, "k20261202a", "abc", 3, "short"), -1);
	assert_true(payload_kid_valid("k20261202a"));
	assert_true(payload_kid_valid("A_-9"));
	assert_false(payload_kid_valid(""));
	assert_false(payload_kid_valid("a.b"));
	assert_false(payload_kid_valid("123456789012345678901234567890123"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_roundtrip),     cmocka_unit_test(test_no_term_and_retired),
	    cmocka_unit_test(test_every_byte),    cmocka_unit_test(test_refusals),
	    cmocka_unit_test(test_build_refuses), cmocka_unit_test(test_display),
	    cmocka_unit_test(test_sig_verify),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
