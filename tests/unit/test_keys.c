/*
 * test_keys.c — the keyring (io/keys.h) in a scratch data directory: first
 * key, modes, signatures checked against the published list, rotation (old
 * signatures still verify, a running keyring follows without reopening),
 * refusals of wrong permissions and a list-less key directory, signing from
 * threads while another process's rotation lands.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/canon.h"
#include "io/keys.h"

static char data[256];

static int setup(void **state)
{
	(void)state;
	snprintf(data, sizeof(data), "/tmp/yiye-keys-XXXXXX");
	assert_non_null(mkdtemp(data));
	return 0;
}

static int teardown(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", data);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static mode_t mode_of(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return st.st_mode & 07777;
}

static void path_of(char *out, size_t outsz, const char *name)
{
	snprintf(out, outsz, "%s/keys/%s", data, name);
}

static void test_first_key(void **state)
{
	struct keyring *k;
	struct yerr e = {0};
	char kid[33], sig[100], p[512];
	json_t *pub;

	(void)state;
	assert_int_equal(keyring_open(data, &k, &e), 0);
	assert_int_equal(keyring_current(k, kid), 0);
	assert_true(payload_kid_valid(kid));
	assert_int_equal(strlen(kid), 10); /* k + YYYYMMDD + a */
	assert_int_equal(kid[9], 'a');
	path_of(p, sizeof(p), "");
	assert_int_equal(mode_of(p), 0700);
	snprintf(p, sizeof(p), "%s/keys/%s.key", data, kid);
	assert_int_equal(mode_of(p), 0600);
	{
		struct stat st;

		assert_int_equal(stat(p, &st), 0);
		assert_int_equal(st.st_size, 64);
	}
	assert_int_equal(keyring_sign(k, "hello", 5, kid, sig), 0);
	assert_int_equal(strlen(sig), 86);
	pub = keyring_public_json(k);
	assert_int_equal(json_array_size(json_object_get(pub, "keys")), 1);
	assert_string_equal(json_string_value(json_object_get(
				json_array_get(json_object_get(pub, "keys"), 0), "status")),
			    "current");
	assert_int_equal(sig_verify_b64(pub, kid, "hello", 5, sig), 0);
	assert_int_equal(sig_verify_b64(pub, kid, "hellO", 5, sig), -1);
	/* the public list holds no secret */
	{
		char *t = json_dumps(pub, 0);

		assert_null(strstr(t, "secret"));
		assert_int_equal(json_object_size(json_array_get(json_object_get(pub, "keys"), 0)),
				 6);
		free(t);
	}
	json_decref(pub);
	keyring_close(k);
	/* opening again keeps the key */
	assert_int_equal(keyring_open(data, &k, &e), 0);
	{
		char again[33];

		assert_int_equal(keyring_current(k, again), 0);
		assert_string_equal(again, kid);
	}
	keyring_close(k);
}

static void test_rotate(void **state)
{
	struct keyring *k;
	struct yerr e = {0};
	char kid1[33], kid2[33], kid3[33], now_kid[33], sig1[100], sig[100], etag1[72], etag2[72];
	size_t len;
	char *t1, *t2;
	json_t *pub;

	(void)state;
	assert_int_equal(keyring_open(data, &k, &e), 0);
	assert_int_equal(keyring_sign(k, "old", 3, kid1, sig1), 0);
	t1 = keyring_public_text(k, &len, etag1);
	/* another process rotates twice the same day: distinct ids */
	assert_int_equal(keyring_rotate(data, kid2, &e), 0);
	assert_int_equal(keyring_rotate(data, kid3, &e), 0);
	assert_string_not_equal(kid1, kid2);
	assert_string_not_equal(kid2, kid3);
	/* the open keyring follows without reopening */
	assert_int_equal(keyring_sign(k, "new", 3, now_kid, sig), 0);
	assert_string_equal(now_kid, kid3);
	t2 = keyring_public_text(k, &len, etag2);
	assert_string_not_equal(etag1, etag2);
	assert_string_not_equal(t1, t2);
	assert_int_equal(strlen(t2), len);
	pub = keyring_public_json(k);
	assert_int_equal(json_array_size(json_object_get(pub, "keys")), 3);
	/* old signatures verify with the new list; the old key is retired */
	assert_int_equal(sig_verify_b64(pub, kid1, "old", 3, sig1), 0);
	assert_int_equal(sig_verify_b64(pub, kid3, "new", 3, sig), 0);
	for (size_t i = 0; i < 3; i++) {
		json_t *ent = json_array_get(json_object_get(pub, "keys"), i);
		int cur = strcmp(json_string_value(json_object_get(ent, "kid")), kid3) == 0;

		assert_string_equal(json_string_value(json_object_get(ent, "status")),
				    cur ? "current" : "retired");
		assert_true(cur ? json_is_null(json_object_get(ent, "retired_at"))
				: json_is_string(json_object_get(ent, "retired_at")));
	}
	/* a kid named before the rotation still signs (by the retired key) */
	assert_int_equal(keyring_sign_as(k, kid1, "late", 4, sig), 0);
	assert_int_equal(sig_verify_b64(pub, kid1, "late", 4, sig), 0);
	/* a kid this keyring never held does not */
	assert_int_equal(keyring_sign_as(k, kid2, "x", 1, sig), -1);
	assert_int_equal(keyring_sign_as(k, "nokey", "x", 1, sig), -1);
	json_decref(pub);
	free(t1);
	free(t2);
	keyring_close(k);
}

static void test_sign_doc_and_payload(void **state)
{
	struct keyring *k;
	struct yerr e = {0};
	char sig[100], *text, *pl;
	json_t *doc = json_pack("{s:s,s:i,s:{s:s}}", "number", "XK-310104-2026-000001", "version",
				1, "holder", "name", "上海某某便利店有限公司");
	json_t *pub;
	struct payload p = {.version = 1}, got;

	(void)state;
	assert_int_equal(keyring_open(data, &k, &e), 0);
	assert_int_equal(keyring_sign_doc(k, doc, sig, &e), 0);
	pub = keyring_public_json(k);
	text = canon_json(doc);
	assert_int_equal(sig_verify_b64(pub, json_string_value(json_object_get(doc, "kid")), text,
					strlen(text), sig),
			 0);
	free(text);
	json_object_set_new(doc, "x", json_real(0.5));
	assert_int_equal(keyring_sign_doc(k, doc, sig, &e), -1);
	assert_string_equal(e.code, "not_canonical");
	snprintf(p.number, sizeof(p.number), "XK-310104-2026-000001");
	snprintf(p.uscc, sizeof(p.uscc), "91310104MA1FL0XX7X");
	snprintf(p.valid_from, sizeof(p.valid_from), "2026-12-02");
	pl = keyring_payload_build(k, &p, &e);
	assert_non_null(pl);
	assert_int_equal(payload_verify(pl, pub, &got, &e), 0);
	free(pl);
	pl = keyring_display_token(k, p.number, 1, 2000000000LL, &e);
	assert_non_null(pl);
	assert_int_equal(display_token_verify(pl, pub, 2000000000LL - 60, NULL, &e), 0);
	free(pl);
	json_decref(pub);
	json_decref(doc);
	keyring_close(k);
}

static void test_wrong_modes(void **state)
{
	struct keyring *k;
	struct yerr e = {0};
	char kid[33], p[512], dir[512];

	(void)state;
	assert_int_equal(keyring_open(data, &k, &e), 0);
	assert_int_equal(keyring_current(k, kid), 0);
	keyring_close(k);
	snprintf(p, sizeof(p), "%s/keys/%s.key", data, kid);
	path_of(dir, sizeof(dir), "");
	assert_int_equal(chmod(p, 0644), 0);
	assert_int_equal(keyring_open(data, &k, &e), -1);
	assert_string_equal(e.code, "key_permissions");
	assert_non_null(strstr(e.message, "0644"));
	assert_non_null(strstr(e.message, "chmod 600"));
	assert_int_equal(keyring_rotate(data, kid, &e), -1);
	assert_int_equal(chmod(p, 0600), 0);
	assert_int_equal(chmod(dir, 0750), 0);
	assert_int_equal(keyring_open(data, &k, &e), -1);
	assert_string_equal(e.code, "key_permissions");
	assert_non_null(strstr(e.message, "chmod 700"));
	assert_int_equal(chmod(dir, 0700), 0);
	assert_int_equal(keyring_open(data, &k, &e), 0);
	keyring_close(k);
}

static void test_list_missing(void **state)
{
	struct keyring *k;
	struct yerr e = {0};
	char p[512];

	(void)state;
	assert_int_equal(keyring_open(data, &k, &e), 0);
	keyring_close(k);
	path_of(p, sizeof(p), "keys.json");
	assert_int_equal(unlink(p), 0);
	assert_int_equal(keyring_open(data, &k, &e), -1);
	assert_string_equal(e.code, "keys_corrupt");
	assert_non_null(strstr(e.message, "keys.json"));
}

/* Threads sign while the list is rotated underneath them: every signature
 * verifies against the final list (no torn key, no failure). */
struct signer {
	struct keyring *k;
	char kid[50][33], sig[50][100];
	int rc;
};

static void *sign_loop(void *arg)
{
	struct signer *s = arg;

	for (int i = 0; i < 50; i++)
		s->rc |= keyring_sign(s->k, "m", 1, s->kid[i], s->sig[i]);
	return NULL;
}

static void test_threads(void **state)
{
	struct keyring *k;
	struct yerr e = {0};
	struct signer s[4];
	pthread_t th[4];
	char kid[33];
	json_t *pub;

	(void)state;
	assert_int_equal(keyring_open(data, &k, &e), 0);
	for (int i = 0; i < 4; i++) {
		memset(&s[i], 0, sizeof(s[i]));
		s[i].k = k;
		assert_int_equal(pthread_create(&th[i], NULL, sign_loop, &s[i]), 0);
	}
	for (int i = 0; i < 3; i++)
		assert_int_equal(keyring_rotate(data, kid, &e), 0);
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	pub = keyring_public_json(k);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(s[i].rc, 0);
		for (int j = 0; j < 50; j++)
			assert_int_equal(sig_verify_b64(pub, s[i].kid[j], "m", 1, s[i].sig[j]), 0);
	}
	json_decref(pub);
	keyring_close(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_first_key, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rotate, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_sign_doc_and_payload, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_wrong_modes, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_list_missing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_threads, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
