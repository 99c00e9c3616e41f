/*
 * test_routes.c - the order of the route table (src/http/routes.c and the
 * routes_<module>.inc files it includes), without a server.
 *
 * The router takes the first row whose method and pattern match, so a row
 * placed after a {param} row of the same shape can never be reached: put
 * /api/v1/licenses/export below /api/v1/licenses/{number} and "export" is
 * read as a license number. Nothing else fails in that case (the OpenAPI
 * document still lists the row), so this test walks every pair of rows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "http/http.h"

/* Length of the segment starting at s (up to the next '/' or the end). */
static size_t seg_len(const char *s)
{
	const char *e = strchr(s, '/');

	return e ? (size_t)(e - s) : strlen(s);
}

static int is_param(const char *s, size_t n)
{
	return n >= 2 && s[0] == '{' && s[n - 1] == '}';
}

/* 1 when every path that pattern b matches is also matched by pattern a —
 * then a row with b below a row with a (same method) is dead. A {param}
 * segment of a covers any segment of b; a literal only the same literal. */
static int covers(const char *a, const char *b)
{
	for (;;) {
		size_t na = seg_len(a), nb = seg_len(b);

		if (!is_param(a, na) && (na != nb || memcmp(a, b, na) != 0))
			return 0;
		a += na;
		b += nb;
		if (*a == '\0' || *b == '\0')
			return *a == '\0' && *b == '\0';
		a++; /* the '/' */
		b++;
	}
}

static void test_covers(void **state)
{
	(void)state;
	assert_true(covers("/api/v1/licenses/{number}", "/api/v1/licenses/export"));
	assert_false(covers("/api/v1/licenses/export", "/api/v1/licenses/{number}"));
	assert_true(covers("/a/{x}/c", "/a/b/c"));
	assert_true(covers("/a/{x}", "/a/{y}"));
	assert_true(covers("/a/b", "/a/b"));
	assert_false(covers("/a/{x}", "/a/b/c"));
	assert_false(covers("/a/{x}/c", "/a/b"));
	assert_false(covers("/a/bc", "/a/b"));
	assert_false(covers("/a/{x}/c", "/a/b/d"));
}

/* The router's {name} consumes a whole segment; a pattern such as
 * /x/{id}.pdf would never match, so every parameter is a whole segment. */
static void test_params_are_whole_segments(void **state)
{
	(void)state;
	for (int i = 0; i < routes_count; i++) {
		const char *p = routes[i].pattern;

		assert_true(p[0] == '/');
		while (*p) {
			size_t n;

			p++; /* the '/' */
			n = seg_len(p);
			if (memchr(p, '{', n) || memchr(p, '}', n)) {
				if (!is_param(p, n))
					fail_msg("route %d %s %s: {param} is not a whole segment",
						 i, routes[i].method, routes[i].pattern);
			}
			p += n;
		}
	}
}

static void test_no_row_is_shadowed(void **state)
{
	(void)state;
	assert_true(routes_count > 0);
	for (int j = 0; j < routes_count; j++)
		for (int i = 0; i < j; i++) {
			if (strcmp(routes[i].method, routes[j].method) != 0)
				continue;
			if (covers(routes[i].pattern, routes[j].pattern))
				fail_msg("route %d %s %s is never reached: row %d %s comes first "
					 "(move the literal row above the {param} row)",
					 j, routes[j].method, routes[j].pattern, i,
					 routes[i].pattern);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_covers),
	    cmocka_unit_test(test_params_are_whole_segments),
	    cmocka_unit_test(test_no_row_is_shadowed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
