/*
 * test_signing_keys.c — GET /.well-known/yiye/keys.json on a real server (issue 12):
 * public, the published list's shape and nothing secret in it, caching
 * headers and revalidation, a `yiye keys rotate` seen without a restart, no
 * private key in the database or a `yiye backup` file, and a license issued
 * before a rotation still verifying after it (online and with `yiye verify`)
 * while the next one is signed with the new key.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/canon.h"
#include "core/payload.h"
#include "harness.h"
#include "harness_license.h"

#define KEYS_PATH "/.well-known/yiye/keys.json"

static struct server srv;

static int setup(void **state)
{
	(void)state;
	setenv("YIYE_TODAY", LIC_TODAY, 1);
	return server_start(&srv, 1, NULL);
}

static int teardown(void **state)
{
	(void)state;
	server_stop(&srv, 0);
	return 0;
}

/* The current kid of a published list ("" when none). */
static const char *current_kid(const json_t *list)
{
	const json_t *arr = json_object_get(list, "keys");

	for (size_t i = 0; i < json_array_size(arr); i++) {
		const json_t *k = json_array_get(arr, i);

		if (strcmp(json_string_value(json_object_get(k, "status")), "current") == 0)
			return json_string_value(json_object_get(k, "kid"));
	}
	return "";
}

static void test_published(void **state)
{
	struct resp r;
	char etag[128], cc[128];
	const char *inm[2] = {NULL, NULL};
	char hdr[200];
	json_t *k;

	(void)state;
	assert_int_equal(http_req(&srv, "GET", KEYS_PATH, NULL, NULL, 0, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(r.json);
	assert_int_equal(json_array_size(json_object_get(r.json, "keys")), 1);
	k = json_array_get(json_object_get(r.json, "keys"), 0);
	assert_string_equal(json_string_value(json_object_get(k, "alg")), "Ed25519");
	assert_string_equal(json_string_value(json_object_get(k, "status")), "current");
	assert_int_equal(strlen(json_string_value(json_object_get(k, "public_key"))), 43);
	assert_true(json_is_null(json_object_get(k, "retired_at")));
	/* exactly the public members */
	assert_int_equal(json_object_size(k), 6);
	assert_int_equal(resp_header(&r, "Cache-Control", cc, sizeof(cc)), 0);
	assert_string_equal(cc, "public, max-age=300");
	assert_int_equal(resp_header(&r, "ETag", etag, sizeof(etag)), 0);
	assert_true(etag[0] == '"');
	resp_free(&r);
	/* revalidation */
	snprintf(hdr, sizeof(hdr), "If-None-Match: %s", etag);
	inm[0] = hdr;
	assert_int_equal(http_req(&srv, "GET", KEYS_PATH, NULL, NULL, 0, inm, &r), 0);
	assert_int_equal(r.status, 304);
	assert_int_equal(r.len, 0);
	resp_free(&r);
	/* HEAD, and other methods are not allowed */
	assert_int_equal(http_req(&srv, "HEAD", KEYS_PATH, NULL, NULL, 0, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	resp_free(&r);
	assert_int_equal(http_req(&srv, "POST", KEYS_PATH, NULL, "{}", 2, NULL, &r), 0);
	assert_int_equal(r.status, 405);
	resp_free(&r);
}

static void test_rotation_seen(void **state)
{
	const char *rotate[] = {"keys", "rotate", NULL};
	struct resp r;
	char *out = NULL, before[40], etag1[128], etag2[128];

	(void)state;
	assert_int_equal(http_req(&srv, "GET", KEYS_PATH, NULL, NULL, 0, NULL, &r), 0);
	snprintf(before, sizeof(before), "%s", current_kid(r.json));
	resp_header(&r, "ETag", etag1, sizeof(etag1));
	resp_free(&r);
	assert_int_equal(server_cli(&srv, &out, rotate), 0);
	free(out);
	assert_int_equal(http_req(&srv, "GET", KEYS_PATH, NULL, NULL, 0, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "keys")), 2);
	assert_string_not_equal(current_kid(r.json), before);
	resp_header(&r, "ETag", etag2, sizeof(etag2));
	assert_string_not_equal(etag1, etag2);
	resp_free(&r);
}

/* The secret key's bytes appear nowhere in the database or its backup. */
static void test_secret_not_in_db(void **state)
{
	char path[512], bak[512], *out = NULL;
	const char *backup[] = {"backup", "--out", bak, NULL};
	unsigned char sk[64];
	struct resp r;
	FILE *f;

	(void)state;
	assert_int_equal(http_req(&srv, "GET", KEYS_PATH, NULL, NULL, 0, NULL, &r), 0);
	snprintf(path, sizeof(path), "%s/keys/%s.key", srv.dir, current_kid(r.json));
	resp_free(&r);
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fread(sk, 1, sizeof(sk), f), sizeof(sk));
	fclose(f);
	snprintf(bak, sizeof(bak), "%s/backup.bin", srv.dir);
	assert_int_equal(server_cli(&srv, &out, backup), 0);
	free(out);
	f = fopen(bak, "rb");
	assert_non_null(f);
	{
		size_t cap = 1 << 20, len = 0, n;
		unsigned char *buf = malloc(cap);

		while ((n = fread(buf + len, 1, cap - len, f)) > 0) {
			len += n;
			if (len == cap)
				buf = realloc(buf, cap *= 2);
		}
		/* neither the 32-byte seed nor the whole secret key */
		assert_null(memmem(buf, len, sk, 32));
		assert_null(memmem(buf, len, sk, 64));
		free(buf);
	}
	fclose(f);
}

/* The published list, as an offline verifier holds it (a new reference). */
static json_t *published(void)
{
	struct resp r;
	json_t *keys;

	assert_int_equal(http_req(&srv, "GET", KEYS_PATH, NULL, NULL, 0, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	keys = json_incref(r.json);
	resp_free(&r);
	return keys;
}

/* The document's signature: sig over canon(doc without the API's members). */
static int doc_sig_ok(const json_t *lic, const json_t *keys)
{
	static const char *const signed_members[] = {
	    "type",    "number",     "eid",         "version", "holder",    "address",  "industry",
	    "permits", "valid_from", "valid_until", "issuer",  "issued_on", "district", "kid"};
	json_t *doc = json_object();
	char *text;
	int rc;

	for (size_t i = 0; i < sizeof(signed_members) / sizeof(signed_members[0]); i++) {
		json_t *v = json_object_get(lic, signed_members[i]);

		if (v)
			json_object_set(doc, signed_members[i], v);
	}
	text = canon_json(doc);
	rc = sig_verify_b64(keys, lic_str(lic, "kid"), text, strlen(text), lic_str(lic, "sig"));
	free(text);
	json_decref(doc);
	return rc;
}

static void test_license_across_rotation(void **state)
{
	const char *rotate[] = {"keys", "rotate", NULL};
	struct lic_holder h1, h2;
	json_t *lic1, *lic2, *keys, *st;
	struct payload p;
	struct yerr e = {0};
	char *out = NULL;

	(void)state;
	lic1 = lic_issue(&srv, lic_approved_shudian(&srv, "轮换前签发书店", &h1));
	assert_int_equal(server_cli(&srv, &out, rotate), 0);
	free(out);
	lic2 = lic_issue(&srv, lic_approved_shudian(&srv, "轮换后签发书店", &h2));
	/* the server signs with the new key without a restart */
	assert_string_not_equal(lic_str(lic1, "kid"), lic_str(lic2, "kid"));
	keys = published();
	assert_string_equal(lic_str(lic2, "kid"), current_kid(keys));
	/* both documents and both QR payloads verify against the new list */
	assert_int_equal(doc_sig_ok(lic1, keys), 0);
	assert_int_equal(doc_sig_ok(lic2, keys), 0);
	assert_int_equal(payload_verify(lic_str(lic1, "qr_text"), keys, &p, &e), 0);
	assert_string_equal(p.kid, lic_str(lic1, "kid"));
	assert_int_equal(payload_verify(lic_str(lic2, "qr_text"), keys, &p, &e), 0);
	assert_string_equal(p.kid, lic_str(lic2, "kid"));
	/* yiye verify, on the server's keys */
	out = NULL;
	assert_int_equal(
	    server_cli(&srv, &out, (const char *[]){"verify", lic_str(lic1, "qr_text"), NULL}), 0);
	assert_non_null(strstr(out, "已停用密钥 retired"));
	free(out);
	out = NULL;
	assert_int_equal(
	    server_cli(&srv, &out, (const char *[]){"verify", lic_str(lic2, "qr_text"), NULL}), 0);
	free(out);
	/* and the online answer of the older one is unchanged */
	st = lic_verify(&srv, lic_str(lic1, "number"), "");
	assert_string_equal(lic_str(st, "status"), "valid");
	json_decref(st);
	json_decref(keys);
	json_decref(lic1);
	json_decref(lic2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_published),
	    cmocka_unit_test(test_rotation_seen),
	    cmocka_unit_test(test_secret_not_in_db),
	    cmocka_unit_test(test_license_across_rotation),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
