/*
 * test_role_matrix.c — walks the WHOLE route table (routes[] of
 * src/http/routes.c) for every demo role and for an anonymous caller, and
 * checks the answer of src/http/auth.c:
 *   anonymous        401 on every non-public route
 *   role lacks perm  403
 *   role has perm    neither 401 nor 403 (nor 500)
 * Requests are harmless: path parameters name objects that do not exist and
 * JSON bodies are empty objects, so "allowed" shows as 400/404. A route added
 * later is covered without touching this file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/roles.h"
#include "harness.h"
#include "http/http.h"

static const struct {
	const char *username;
	enum role role;
} demo[] = {
    {"applicant", ROLE_APPLICANT},
    {"clerk", ROLE_WINDOW_CLERK},
    {"reviewer", ROLE_REVIEWER},
    {"inspector", ROLE_INSPECTOR},
    {"issuer", ROLE_ISSUER},
    {"supervisor", ROLE_SUPERVISOR},
    {"catalog_admin", ROLE_CATALOG_ADMIN},
    {"admin", ROLE_SYSTEM_ADMIN},
    {"auditor", ROLE_AUDITOR},
};

static struct server srv;

/* "/api/v1/users/{id}/password-reset" -> "/api/v1/users/999999/password-reset" */
static void concrete_path(const char *pattern, char *out, size_t outsz)
{
	size_t j = 0;

	for (const char *p = pattern; *p && j + 8 < outsz; p++) {
		if (*p == '{') {
			j += (size_t)snprintf(out + j, outsz - j, "999999");
			p = strchr(p, '}');
			if (p == NULL)
				break;
			continue;
		}
		out[j++] = *p;
	}
	out[j] = '\0';
}

static long call(const struct route *rt)
{
	char path[256];
	struct resp r;
	long st;

	concrete_path(rt->pattern, path, sizeof(path));
	if (rt->flags & ROUTE_JSON_BODY)
		http_req(&srv, rt->method, path, NULL, "{}", 2, NULL, &r);
	else
		http_req(&srv, rt->method, path, NULL, NULL, 0, NULL, &r);
	st = r.status;
	if (st >= 500 && st != 503)
		fprintf(stderr, "%s %s -> %ld %s\n", rt->method, path, st, r.body);
	resp_free(&r);
	return st;
}

static int expect_allowed(const struct route *rt, enum role role)
{
	if (strcmp(rt->permission, "public") == 0 || strcmp(rt->permission, "authenticated") == 0)
		return 1;
	return (permission_roles(rt->permission) & ROLE_BIT(role)) != 0;
}

static void test_anonymous(void **state)
{
	(void)state;
	srv.cookies[0] = srv.csrf[0] = '\0';
	for (int i = 0; i < routes_count; i++) {
		const struct route *rt = &routes[i];
		long st = call(rt);

		if (strcmp(rt->permission, "public") == 0) {
			if (st == 401 || st == 403 || st >= 500)
				fprintf(stderr, "anonymous %s %s: %ld\n", rt->method, rt->pattern,
					st);
			assert_true(st != 401 && st != 403 && st < 500);
		} else {
			if (st != 401)
				fprintf(stderr, "anonymous %s %s: %ld\n", rt->method, rt->pattern,
					st);
			assert_int_equal(st, 401);
		}
	}
}

static void test_every_role(void **state)
{
	int checked = 0;

	(void)state;
	for (size_t k = 0; k < sizeof(demo) / sizeof(demo[0]); k++) {
		srv.cookies[0] = srv.csrf[0] = '\0';
		assert_int_equal(
		    login(&srv, demo[k].username, demo_password(&srv, demo[k].username)), 0);
		for (int i = 0; i < routes_count; i++) {
			const struct route *rt = &routes[i];
			long st = call(rt);
			int allowed = expect_allowed(rt, demo[k].role);

			if ((allowed && (st == 401 || st == 403 || st >= 500)) ||
			    (!allowed && st != 403))
				fprintf(stderr, "%s: %s %s -> %ld (expected %s)\n",
					demo[k].username, rt->method, rt->pattern, st,
					allowed ? "allowed" : "403");
			if (allowed)
				assert_true(st != 401 && st != 403 && st < 500);
			else
				assert_int_equal(st, 403);
			checked++;
			/* logging out is one of the routes: log in again */
			if (strcmp(rt->method, "DELETE") == 0 &&
			    strcmp(rt->pattern, "/api/v1/session") == 0) {
				srv.cookies[0] = srv.csrf[0] = '\0';
				assert_int_equal(login(&srv, demo[k].username,
						       demo_password(&srv, demo[k].username)),
						 0);
			}
		}
	}
	assert_int_equal(checked, routes_count * (int)(sizeof(demo) / sizeof(demo[0])));
}

/* Spot checks that do not go through roles.c, so a wrong table is caught. */
static void test_known_answers(void **state)
{
	static const struct {
		const char *user, *method, *path;
		long status;
	} cases[] = {
	    {"auditor", "GET", "/api/v1/audit", 200},
	    {"admin", "GET", "/api/v1/audit", 200},
	    {"reviewer", "GET", "/api/v1/audit", 403},
	    {"applicant", "GET", "/api/v1/users", 403},
	    {"admin", "GET", "/api/v1/users", 200},
	    {"auditor", "GET", "/api/v1/users", 403},
	    {"catalog_admin", "GET", "/api/v1/tokens", 403},
	    {"reviewer", "GET", "/api/v1/departments/scjgj/users", 200},
	    {"applicant", "GET", "/api/v1/departments/scjgj/users", 403},
	    /* sup-core (issue 13): the registers and the export */
	    {"supervisor", "GET", "/api/v1/supervision/entities", 200},
	    {"auditor", "GET", "/api/v1/supervision/entities", 200},
	    {"applicant", "GET", "/api/v1/supervision/entities", 403},
	    {"reviewer", "GET", "/api/v1/supervision/inspectors", 403},
	    {"inspector", "GET", "/api/v1/supervision/inspectors", 200},
	    {"inspector", "GET", "/api/v1/supervision/conflicts", 200},
	    {"clerk", "GET", "/api/v1/supervision/conflicts", 403},
	    {"applicant", "GET", "/api/v1/supervision/check-items", 200},
	    {"auditor", "GET", "/api/v1/supervision/export", 200},
	    {"inspector", "GET", "/api/v1/supervision/export", 403},
	    {"catalog_admin", "GET", "/api/v1/supervision/export", 403},
	    /* sup-credit (issue 13 points 5–8): credit, penalties, annual reports */
	    {"supervisor", "GET", "/api/v1/supervision/credit/91310104000000000X", 404},
	    {"clerk", "GET", "/api/v1/supervision/credit/91310104000000000X", 403},
	    {"reviewer", "GET", "/api/v1/supervision/my-credit", 403},
	    {"applicant", "GET", "/api/v1/supervision/annual-reports/form", 409}, /* no license */
	    {"supervisor", "GET", "/api/v1/supervision/annual-reports/form", 403},
	    {"inspector", "POST", "/api/v1/supervision/penalties", 403},
	    {"applicant", "POST", "/api/v1/supervision/credit/jobs/run", 403},
	    {"admin", "POST", "/api/v1/supervision/credit/jobs/run", 200},
	    {"supervisor", "POST", "/api/v1/supervision/verifications/1", 403},
	    {"applicant", "GET", "/api/v1/public/abnormal-list", 200},
	    {"auditor", "GET", "/api/v1/public/penalties", 200},
	    /* share-reads (issue 14): the access log (staff: their department's tokens) */
	    {"auditor", "GET", "/api/v1/shared/access-log", 200},
	    {"supervisor", "GET", "/api/v1/shared/access-log", 200},
	    {"applicant", "GET", "/api/v1/shared/access-log", 403},
	    {"admin", "GET", "/api/v1/shared/entities/91310104000000000T/licenses", 403},
	    /* stats-api (issue 15): the statistics, staff only; a reviewer sees their
	       department, another department is 403 */
	    {"auditor", "GET", "/api/v1/statistics/overview", 200},
	    {"clerk", "GET", "/api/v1/statistics/views/trends.csv", 200},
	    {"reviewer", "GET", "/api/v1/statistics/overview", 200},
	    {"reviewer", "GET", "/api/v1/statistics/overview?department=whlyj", 403},
	    {"applicant", "GET", "/api/v1/statistics/overview", 403},
	    {"applicant", "GET", "/api/v1/statistics/views/savings.xlsx", 403},
	    /* stats-ui (issue 15): the monthly report PDF */
	    {"auditor", "GET", "/api/v1/statistics/reports/monthly?month=2026-01", 200},
	    {"reviewer", "GET", "/api/v1/statistics/reports/monthly?month=2026-01", 200},
	    {"admin", "GET", "/api/v1/statistics/reports/monthly?month=2026-1", 400},
	    {"applicant", "GET", "/api/v1/statistics/reports/monthly?month=2026-01", 403},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct resp r;

		srv.cookies[0] = srv.csrf[0] = '\0';
		assert_int_equal(login(&srv, cases[i].user, demo_password(&srv, cases[i].user)), 0);
		http_req(&srv, cases[i].method, cases[i].path, NULL, NULL, 0, NULL, &r);
		if (r.status != cases[i].status)
			fprintf(stderr, "%s %s %s: %ld\n", cases[i].user, cases[i].method,
				cases[i].path, r.status);
		assert_int_equal(r.status, cases[i].status);
		resp_free(&r);
	}
}

/* share-reads (issue 14): every token scope against every shared route
 * (/api/v1/shared/…): a token may call a route exactly when the route's
 * permission maps to its scope in roles.c ("authenticated" routes: any
 * token, GET only). Each token holds one scope and may state every purpose,
 * so "allowed" shows as 404 (the entity does not exist) or 200, and a
 * refused scope as 403. */
static void test_every_scope(void **state)
{
	int checked = 0;

	(void)state;
	for (int s = 0; s < SCOPE_COUNT; s++) {
		char body[160], path[256], secret[128];
		struct resp r;
		long long id;

		srv.bearer[0] = srv.cookies[0] = srv.csrf[0] = '\0';
		assert_int_equal(login(&srv, "admin", demo_password(&srv, "admin")), 0);
		snprintf(body, sizeof(body), "{\"name\":\"scope %s\",\"scopes\":[\"%s\"]}",
			 scope_name(s), scope_name(s));
		http_req(&srv, "POST", "/api/v1/tokens", NULL, body, strlen(body), NULL, &r);
		assert_int_equal(r.status, 201);
		id = json_integer_value(json_object_get(json_object_get(r.json, "token"), "id"));
		snprintf(secret, sizeof(secret), "%s",
			 json_string_value(json_object_get(r.json, "secret")));
		resp_free(&r);
		snprintf(path, sizeof(path), "/api/v1/tokens/%lld/sharing", id);
		snprintf(body, sizeof(body),
			 "{\"department\":\"scjgj\",\"purposes\":[\"approval\",\"supervision\","
			 "\"enforcement\",\"credit\",\"service\",\"statistics\",\"audit\"]}");
		http_req(&srv, "PUT", path, NULL, body, strlen(body), NULL, &r);
		assert_int_equal(r.status, 200);
		resp_free(&r);
		srv.cookies[0] = srv.csrf[0] = '\0';
		snprintf(srv.bearer, sizeof(srv.bearer), "%s", secret);
		for (int i = 0; i < routes_count; i++) {
			const struct route *rt = &routes[i];
			const char *const hdr[] = {"X-Purpose: audit; 权限矩阵", NULL};
			int allowed;
			long st;

			if (strncmp(rt->pattern, "/api/v1/shared/", 15) != 0)
				continue;
			allowed = strcmp(rt->permission, "authenticated") == 0
				      ? strcmp(rt->method, "GET") == 0
				      : permission_scope(rt->permission) == s;
			concrete_path(rt->pattern, path, sizeof(path));
			/* a path parameter named uscc needs the form of one */
			if (strstr(rt->pattern, "{uscc}")) {
				char tmp[96];

				snprintf(tmp, sizeof(tmp), "%s", rt->pattern);
				*strstr(tmp, "{uscc}") = '\0';
				snprintf(path, sizeof(path), "%s91310104000000000T%s", tmp,
					 strstr(rt->pattern, "{uscc}") + 6);
			}
			http_req(&srv, rt->method, path, NULL,
				 rt->flags & ROUTE_JSON_BODY ? "{}" : NULL,
				 rt->flags & ROUTE_JSON_BODY ? 2 : 0, hdr, &r);
			st = r.status;
			if ((allowed && (st == 401 || st == 403 || st >= 500)) ||
			    (!allowed && st != 403))
				fprintf(stderr, "token %s: %s %s -> %ld (expected %s) %s\n",
					scope_name(s), rt->method, rt->pattern, st,
					allowed ? "allowed" : "403", r.body);
			if (allowed)
				assert_true(st != 401 && st != 403 && st < 500);
			else
				assert_int_equal(st, 403);
			resp_free(&r);
			checked++;
		}
	}
	srv.bearer[0] = '\0';
	assert_true(checked >= 6 * SCOPE_COUNT);
}

/* An unknown permission name is refused to everyone (default deny). */
static void test_default_deny(void **state)
{
	struct principal p = {.kind = PRINCIPAL_SESSION, .roles = ~0u};

	(void)state;
	assert_int_equal(roles_authorize(&p, "no.such.permission", "GET"), AUTHZ_FORBIDDEN);
	assert_int_equal(roles_authorize(NULL, "no.such.permission", "GET"), AUTHZ_UNAUTHENTICATED);
	for (int i = 0; i < routes_count; i++)
		assert_true(
		    permission_known(routes[i].permission) ||
		    (fprintf(stderr, "route %s %s: unknown permission %s (nobody may call it)\n",
			     routes[i].method, routes[i].pattern, routes[i].permission),
		     1));
	/* every state-changing route is audited */
	for (int i = 0; i < routes_count; i++)
		if (strcmp(routes[i].method, "GET") != 0 && routes[i].audit == NULL &&
		    !(routes[i].flags & ROUTE_INLINE)) {
			fprintf(stderr, "route %s %s has no audit event\n", routes[i].method,
				routes[i].pattern);
			fail();
		}
}

static int setup(void **state)
{
	(void)state;
	return server_start(&srv, 1, NULL);
}

static int teardown(void **state)
{
	(void)state;
	server_stop(&srv, 0);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_anonymous),
	    cmocka_unit_test(test_every_role),
	    cmocka_unit_test(test_known_answers),
	    cmocka_unit_test(test_every_scope), /* share-reads */
	    cmocka_unit_test(test_default_deny),
	};

	curl_global_init(CURL_GLOBAL_DEFAULT);
	return cmocka_run_group_tests(tests, setup, teardown);
}
