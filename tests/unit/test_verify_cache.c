/*
 * test_verify_cache.c — the verify answers' cache (src/http/verify_cache.c):
 * a hit returns the answer stored, a bump forgets every answer, an answer
 * built before a bump is never stored, keys do not mix, and answers written
 * and read from several threads at once stay whole.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "http/verify_cache.h"

static void test_hit_and_bump(void **state)
{
	struct verify_cache *vc = verify_cache_new();
	char *body = NULL;
	size_t len = 0;
	uint64_t g;

	(void)state;
	assert_non_null(vc);
	assert_int_equal(verify_cache_get(vc, "XK-1|0|1", &body, &len), 0);
	g = verify_cache_gen(vc);
	verify_cache_put(vc, "XK-1|0|1", g, "{\"status\":\"valid\"}", 18);
	assert_int_equal(verify_cache_get(vc, "XK-1|0|1", &body, &len), 1);
	assert_int_equal(len, 18);
	assert_memory_equal(body, "{\"status\":\"valid\"}", 18);
	free(body);
	/* another key, another version, another day: no answer */
	assert_int_equal(verify_cache_get(vc, "XK-2|0|1", &body, &len), 0);
	assert_int_equal(verify_cache_get(vc, "XK-1|1|1", &body, &len), 0);
	assert_int_equal(verify_cache_get(vc, "XK-1|0|2", &body, &len), 0);
	/* a change of a license forgets it */
	verify_cache_bump(vc);
	assert_int_equal(verify_cache_get(vc, "XK-1|0|1", &body, &len), 0);
	/* an answer read before the change is not kept */
	verify_cache_put(vc, "XK-1|0|1", g, "{\"status\":\"valid\"}", 18);
	assert_int_equal(verify_cache_get(vc, "XK-1|0|1", &body, &len), 0);
	/* a key too long is never kept */
	{
		char key[200];

		memset(key, 'x', sizeof(key) - 1);
		key[sizeof(key) - 1] = '\0';
		verify_cache_put(vc, key, verify_cache_gen(vc), "{}", 2);
		assert_int_equal(verify_cache_get(vc, key, &body, &len), 0);
	}
	verify_cache_free(vc);
	verify_cache_free(NULL);
}

struct worker {
	struct verify_cache *vc;
	int id;
	int bad;
};

static void *work(void *p)
{
	struct worker *w = p;
	char key[32], want[64], *body;
	size_t len;

	for (int i = 0; i < 20000; i++) {
		int n = (i * 7 + w->id) % 300;

		snprintf(key, sizeof(key), "XK-%d|0|1", n);
		snprintf(want, sizeof(want), "{\"number\":\"XK-%d\"}", n);
		if (i % 3 == 0)
			verify_cache_put(w->vc, key, verify_cache_gen(w->vc), want, strlen(want));
		else if (verify_cache_get(w->vc, key, &body, &len)) {
			w->bad += len != strlen(want) || memcmp(body, want, len) != 0;
			free(body);
		}
		if (i % 5000 == 0)
			verify_cache_bump(w->vc);
	}
	return NULL;
}

static void test_threads(void **state)
{
	struct verify_cache *vc = verify_cache_new();
	struct worker w[4];
	pthread_t t[4];

	(void)state;
	for (int i = 0; i < 4; i++) {
		w[i] = (struct worker){.vc = vc, .id = i};
		assert_int_equal(pthread_create(&t[i], NULL, work, &w[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(w[i].bad, 0);
	}
	verify_cache_free(vc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_hit_and_bump),
	    cmocka_unit_test(test_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
