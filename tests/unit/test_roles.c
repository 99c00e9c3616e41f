/*
 * test_roles.c — role and scope names, the permission table, the decision
 * function (default deny, tokens and their read-only scopes) and department
 * scoping.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/roles.h"

static struct principal user(unsigned roles, const char *dept)
{
	struct principal p = {.kind = PRINCIPAL_SESSION, .id = 1, .roles = roles};

	strcpy(p.department, dept);
	return p;
}

static void test_names(void **state)
{
	char buf[200];

	(void)state;
	for (int i = 0; i < ROLE_COUNT; i++) {
		assert_int_equal(role_parse(role_name(i)), i);
		assert_non_null(role_label(i));
	}
	assert_int_equal(role_parse("root"), -1);
	assert_null(role_name(ROLE_COUNT));
	roles_format(ROLE_BIT(ROLE_REVIEWER) | ROLE_BIT(ROLE_SUPERVISOR), buf, sizeof(buf));
	assert_string_equal(buf, "reviewer,supervisor");
	roles_format(0, buf, sizeof(buf));
	assert_string_equal(buf, "");
	for (int i = 0; i < SCOPE_COUNT; i++)
		assert_int_equal(scope_parse(scope_name(i)), i);
	scopes_format(SCOPE_BIT(SCOPE_AUDIT_READ) | SCOPE_BIT(SCOPE_LICENSES_READ), buf,
		      sizeof(buf));
	assert_int_equal(scopes_parse_list(buf),
			 SCOPE_BIT(SCOPE_AUDIT_READ) | SCOPE_BIT(SCOPE_LICENSES_READ));
	assert_int_equal(scopes_parse_list("audit:read  bogus:write"), SCOPE_BIT(SCOPE_AUDIT_READ));
	assert_true(scope_read_only(SCOPE_AUDIT_READ));
}

static void test_table(void **state)
{
	struct principal admin = user(ROLE_BIT(ROLE_SYSTEM_ADMIN), "");
	struct principal auditor = user(ROLE_BIT(ROLE_AUDITOR), "");
	struct principal reviewer = user(ROLE_BIT(ROLE_REVIEWER), "scjgj");
	struct principal cat = user(ROLE_BIT(ROLE_CATALOG_ADMIN), "sgb");
	struct principal anon = {0};

	(void)state;
	assert_int_equal(roles_authorize(&anon, "public", "POST"), AUTHZ_ALLOW);
	assert_int_equal(roles_authorize(&anon, "authenticated", "GET"), AUTHZ_UNAUTHENTICATED);
	assert_int_equal(roles_authorize(&anon, "users.manage", "GET"), AUTHZ_UNAUTHENTICATED);
	assert_int_equal(roles_authorize(&reviewer, "authenticated", "POST"), AUTHZ_ALLOW);
	for (const char *const *p = (const char *const[]){"users.manage", "departments.manage",
							  "tokens.manage", "calendar.manage", NULL};
	     *p; p++) {
		assert_int_equal(roles_authorize(&admin, *p, "POST"), AUTHZ_ALLOW);
		assert_int_equal(roles_authorize(&auditor, *p, "GET"), AUTHZ_FORBIDDEN);
		assert_int_equal(roles_authorize(&reviewer, *p, "GET"), AUTHZ_FORBIDDEN);
	}
	assert_int_equal(roles_authorize(&auditor, "audit.read", "GET"), AUTHZ_ALLOW);
	assert_int_equal(roles_authorize(&admin, "audit.read", "GET"), AUTHZ_ALLOW);
	assert_int_equal(roles_authorize(&reviewer, "audit.read", "GET"), AUTHZ_FORBIDDEN);
	assert_int_equal(roles_authorize(&cat, "catalog.manage", "POST"), AUTHZ_ALLOW);
	assert_int_equal(roles_authorize(&reviewer, "catalog.propose", "POST"), AUTHZ_ALLOW);
	assert_int_equal(roles_authorize(&reviewer, "catalog.manage", "POST"), AUTHZ_FORBIDDEN);
	/* default deny: a name nobody declared */
	assert_int_equal(roles_authorize(&admin, "users.manag", "GET"), AUTHZ_FORBIDDEN);
	assert_int_equal(roles_authorize(&admin, NULL, "GET"), AUTHZ_FORBIDDEN);
	assert_false(permission_known("users.manag"));
	assert_true(permission_known("authenticated"));
}

/* Applications: who creates, accepts, reviews, inspects (issue 11). */
static void test_applications(void **state)
{
	struct principal app = user(ROLE_BIT(ROLE_APPLICANT), "");
	struct principal clerk = user(ROLE_BIT(ROLE_WINDOW_CLERK), "xzfwzx");
	struct principal reviewer = user(ROLE_BIT(ROLE_REVIEWER), "scjgj");
	struct principal inspector = user(ROLE_BIT(ROLE_INSPECTOR), "scjgj");
	struct principal admin = user(ROLE_BIT(ROLE_SYSTEM_ADMIN), "");
	struct principal t = {.kind = PRINCIPAL_TOKEN,
			      .scopes = SCOPE_BIT(SCOPE_APPLICATIONS_READ)};

	(void)state;
	assert_int_equal(roles_authorize(&app, "applications.create", "POST"), AUTHZ_ALLOW);
	assert_int_equal(roles_authorize(&clerk, "applications.create", "POST"), AUTHZ_ALLOW);
	assert_int_equal(roles_authorize(&reviewer, "applications.create", "POST"),
			 AUTHZ_FORBIDDEN);
	assert_int_equal(roles_authorize(&clerk, "applications.accept", "POST"), AUTHZ_ALLOW);
	assert_int_equal(roles_authorize(&app, "applications.accept", "POST"), AUTHZ_FORBIDDEN);
	assert_int_equal(roles_authorize(&reviewer, "applications.review", "POST"), AUTHZ_ALLOW);
	assert_int_equal(roles_authorize(&inspector, "applications.review", "POST"),
			 AUTHZ_FORBIDDEN);
	assert_int_equal(roles_authorize(&inspector, "applications.inspect", "POST"), AUTHZ_ALLOW);
	assert_int_equal(roles_authorize(&app, "applications.withdraw", "POST"), AUTHZ_ALLOW);
	assert_int_equal(roles_authorize(&clerk, "applications.withdraw", "POST"), AUTHZ_FORBIDDEN);
	assert_int_equal(roles_authorize(&admin, "applications.read", "GET"), AUTHZ_FORBIDDEN);
	assert_int_equal(roles_authorize(&admin, "notifications.read", "GET"), AUTHZ_ALLOW);
	assert_int_equal(roles_authorize(&t, "applications.read", "GET"), AUTHZ_ALLOW);
	assert_int_equal(roles_authorize(&t, "applications.create", "POST"), AUTHZ_FORBIDDEN);
	/* the deadline dashboards: department staff, never applicants or tokens */
	assert_int_equal(roles_authorize(&reviewer, "deadlines.read", "GET"), AUTHZ_ALLOW);
	assert_int_equal(roles_authorize(&clerk, "deadlines.read", "GET"), AUTHZ_ALLOW);
	assert_int_equal(roles_authorize(&app, "deadlines.read", "GET"), AUTHZ_FORBIDDEN);
	assert_int_equal(roles_authorize(&t, "deadlines.read", "GET"), AUTHZ_FORBIDDEN);
	/* licenses (issue 12): issuers issue, supervisors sanction, holders and
	 * staff read (the handler narrows an applicant to their own) */
	{
		struct principal issuer = user(ROLE_BIT(ROLE_ISSUER), "zwfwb");
		struct principal sup = user(ROLE_BIT(ROLE_SUPERVISOR), "scjgj");
		struct principal lt = {
		    .kind = PRINCIPAL_TOKEN, .id = 9, .scopes = SCOPE_BIT(SCOPE_LICENSES_READ)};

		assert_int_equal(roles_authorize(&issuer, "licenses.issue", "POST"), AUTHZ_ALLOW);
		assert_int_equal(roles_authorize(&clerk, "licenses.issue", "POST"),
				 AUTHZ_FORBIDDEN);
		assert_int_equal(roles_authorize(&app, "licenses.issue", "POST"), AUTHZ_FORBIDDEN);
		assert_int_equal(roles_authorize(&sup, "licenses.sanction", "POST"), AUTHZ_ALLOW);
		assert_int_equal(roles_authorize(&reviewer, "licenses.sanction", "POST"),
				 AUTHZ_FORBIDDEN);
		assert_int_equal(roles_authorize(&app, "licenses.read", "GET"), AUTHZ_ALLOW);
		assert_int_equal(roles_authorize(&inspector, "licenses.read", "GET"), AUTHZ_ALLOW);
		assert_int_equal(roles_authorize(&admin, "licenses.read", "GET"), AUTHZ_FORBIDDEN);
		assert_int_equal(roles_authorize(&lt, "licenses.read", "GET"), AUTHZ_ALLOW);
		assert_int_equal(roles_authorize(&lt, "licenses.sanction", "POST"),
				 AUTHZ_FORBIDDEN);
	}
}

/* stats-ratings (issue 15): the applicant rates, the department concerned
 * replies, the 审改办 publishes typical cases; tokens never */
static void test_ratings(void **state)
{
	struct principal app = user(ROLE_BIT(ROLE_APPLICANT), "");
	struct principal clerk = user(ROLE_BIT(ROLE_WINDOW_CLERK), "xzfwzx");
	struct principal reviewer = user(ROLE_BIT(ROLE_REVIEWER), "scjgj");
	struct principal inspector = user(ROLE_BIT(ROLE_INSPECTOR), "scjgj");
	struct principal sgb = user(ROLE_BIT(ROLE_CATALOG_ADMIN), "sgb");
	struct principal auditor = user(ROLE_BIT(ROLE_AUDITOR), "");
	struct principal t = {.kind = PRINCIPAL_TOKEN,
			      .scopes = SCOPE_BIT(SCOPE_APPLICATIONS_READ)};

	(void)state;
	assert_int_equal(roles_authorize(&app, "ratings.submit", "POST"), AUTHZ_ALLOW);
	assert_int_equal(roles_authorize(&clerk, "ratings.submit", "POST"), AUTHZ_FORBIDDEN);
	assert_int_equal(roles_authorize(&reviewer, "ratings.reply", "POST"), AUTHZ_ALLOW);
	assert_int_equal(roles_authorize(&clerk, "ratings.reply", "POST"), AUTHZ_ALLOW);
	assert_int_equal(roles_authorize(&inspector, "ratings.reply", "POST"), AUTHZ_FORBIDDEN);
	assert_int_equal(roles_authorize(&auditor, "ratings.followups", "GET"), AUTHZ_ALLOW);
	assert_int_equal(roles_authorize(&auditor, "ratings.reply", "POST"), AUTHZ_FORBIDDEN);
	assert_int_equal(roles_authorize(&app, "ratings.followups", "GET"), AUTHZ_FORBIDDEN);
	assert_int_equal(roles_authorize(&reviewer, "typical_cases.write", "POST"), AUTHZ_ALLOW);
	assert_int_equal(roles_authorize(&reviewer, "typical_cases.publish", "POST"),
			 AUTHZ_FORBIDDEN);
	assert_int_equal(roles_authorize(&sgb, "typical_cases.publish", "POST"), AUTHZ_ALLOW);
	assert_int_equal(roles_authorize(&sgb, "typical_cases.write", "POST"), AUTHZ_FORBIDDEN);
	assert_int_equal(roles_authorize(&app, "typical_cases.read", "GET"), AUTHZ_FORBIDDEN);
	assert_int_equal(roles_authorize(&t, "ratings.followups", "GET"), AUTHZ_FORBIDDEN);
	assert_int_equal(roles_authorize(&t, "typical_cases.read", "GET"), AUTHZ_FORBIDDEN);
}

static void test_tokens(void **state)
{
	struct principal t = {.kind = PRINCIPAL_TOKEN,
			      .id = 7,
			      .scopes = SCOPE_BIT(SCOPE_AUDIT_READ) | SCOPE_BIT(SCOPE_USERS_READ)};

	(void)state;
	assert_int_equal(roles_authorize(&t, "audit.read", "GET"), AUTHZ_ALLOW);
	assert_int_equal(roles_authorize(&t, "users.manage", "GET"), AUTHZ_ALLOW);
	/* read-only scopes never allow a change */
	assert_int_equal(roles_authorize(&t, "users.manage", "POST"), AUTHZ_FORBIDDEN);
	assert_int_equal(roles_authorize(&t, "authenticated", "POST"), AUTHZ_FORBIDDEN);
	assert_int_equal(roles_authorize(&t, "authenticated", "GET"), AUTHZ_ALLOW);
	/* no scope maps to administration of tokens, departments, calendar */
	assert_int_equal(roles_authorize(&t, "tokens.manage", "GET"), AUTHZ_FORBIDDEN);
	assert_int_equal(roles_authorize(&t, "catalog.manage", "GET"), AUTHZ_FORBIDDEN);
	/* a token holds no roles even if the field were set */
	t.roles = ~0u;
	assert_int_equal(roles_authorize(&t, "departments.manage", "GET"), AUTHZ_FORBIDDEN);
}

/* share-reads (issue 14): each shared read maps to exactly one scope and no
 * role holds it; the access log is for people, never tokens. */
static void test_shared_reads(void **state)
{
	static const struct {
		const char *perm;
		enum scope scope;
	} shared[] = {
	    {"shared.licenses", SCOPE_LICENSES_READ},
	    {"shared.annual_reports", SCOPE_REPORTS_READ},
	    {"shared.penalties", SCOPE_SUPERVISION_READ},
	    {"shared.inspections", SCOPE_SUPERVISION_READ},
	    {"shared.credit", SCOPE_CREDIT_READ},
	    {"shared.applications", SCOPE_APPLICATIONS_READ},
	};
	struct principal admin = {.kind = PRINCIPAL_SESSION, .roles = ~0u};

	(void)state;
	for (size_t i = 0; i < sizeof(shared) / sizeof(shared[0]); i++) {
		assert_true(permission_known(shared[i].perm));
		assert_int_equal(permission_scope(shared[i].perm), shared[i].scope);
		assert_int_equal(permission_roles(shared[i].perm), 0);
		assert_int_equal(roles_authorize(&admin, shared[i].perm, "GET"), AUTHZ_FORBIDDEN);
		for (int s = 0; s < SCOPE_COUNT; s++) {
			struct principal t = {.kind = PRINCIPAL_TOKEN, .scopes = SCOPE_BIT(s)};

			assert_int_equal(roles_authorize(&t, shared[i].perm, "GET"),
					 s == (int)shared[i].scope ? AUTHZ_ALLOW : AUTHZ_FORBIDDEN);
			assert_int_equal(roles_authorize(&t, shared[i].perm, "POST"),
					 AUTHZ_FORBIDDEN);
		}
	}
	assert_int_equal(permission_scope("sharing.log"), -1);
	assert_true(permission_roles("sharing.log") & ROLE_BIT(ROLE_AUDITOR));
	assert_false(permission_roles("sharing.log") & ROLE_BIT(ROLE_APPLICANT));
}

static void test_department_scope(void **state)
{
	struct principal admin = user(ROLE_BIT(ROLE_SYSTEM_ADMIN), "");
	struct principal reviewer = user(ROLE_BIT(ROLE_REVIEWER), "scjgj");
	struct principal nodept = user(ROLE_BIT(ROLE_REVIEWER), "");

	(void)state;
	assert_null(principal_department_scope(&admin));
	assert_string_equal(principal_department_scope(&reviewer), "scjgj");
	assert_string_equal(principal_department_scope(&nodept), "");
	assert_string_equal(principal_department_scope(NULL), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_table),
	    cmocka_unit_test(test_applications),
	    cmocka_unit_test(test_tokens),
	    cmocka_unit_test(test_shared_reads),
	    cmocka_unit_test(test_ratings),
	    cmocka_unit_test(test_department_scope),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
