/* Fuzz target: the QR payload and 亮证 token parsers (core/payload.h) never
 * crash, read past their input or accept a text the fixed key did not
 * sign; canonical JSON of any parsed document is stable (the canonical text
 * parses back to a document with the same canonical text). */
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/canon.h"
#include "core/payload.h"

/* The seed corpus (tests/fuzz/corpus/payload) is signed by this key: seed
 * bytes all 'f', kid k20261202a. */
static json_t *keys_json;
static unsigned char sk[64];

static void init(void)
{
	unsigned char pk[32], seed[32];
	char pk64[64];

	if (sodium_init() < 0)
		abort();
	memset(seed, 'f', sizeof(seed));
	crypto_sign_seed_keypair(pk, sk, seed);
	sodium_bin2base64(pk64, sizeof(pk64), pk, 32, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	keys_json = json_pack("{s:[{s:s,s:s,s:s,s:s}]}", "keys", "kid", "k20261202a", "alg",
			      "Ed25519", "public_key", pk64, "status", "current");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct payload p;
	struct display_token d;
	struct yerr e;
	char *text, *c1, *c2;
	json_t *v, *back;

	if (keys_json == NULL)
		init();
	text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	memset(&e, 0, sizeof(e));
	if (payload_verify(text, keys_json, &p, &e) == 0) {
		/* accepted: its fields obey the syntax */
		if (!payload_kid_valid(p.kid) || p.version < 1 || strlen(p.uscc) != 18)
			abort();
	} else if (e.code[0] == '\0' || e.message[0] == '\0') {
		abort();
	}
	memset(&e, 0, sizeof(e));
	if (display_token_verify(text, keys_json, 1796169600LL, &d, &e) < 0 &&
	    (e.code[0] == '\0' || e.message[0] == '\0'))
		abort();
	v = json_loadb((const char *)data, size, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
	c1 = v ? canon_json(v) : NULL;
	if (c1) {
		back = json_loads(c1, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
		c2 = back ? canon_json(back) : NULL;
		if (c2 == NULL || strcmp(c1, c2) != 0)
			abort();
		free(c2);
		json_decref(back);
	}
	free(c1);
	json_decref(v);
	free(text);
	return 0;
}
