/*
 * test_license.c — license number, e-license identifier and its check
 * character, validity, status rules and the signed document.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/catalog.h"
#include "core/date.h"
#include "core/license.h"
#include "unit_catalog.h"

static int day(const char *s)
{
	int d = -1;

	assert_int_equal(date_parse(s, strlen(s), &d), 0);
	return d;
}

static void test_number(void **state)
{
	char out[LICENSE_NUMBER_SIZE];
	struct license_no no;
	struct yerr err = {0};

	(void)state;
	assert_int_equal(license_number_format("310104", 2026, 1, out, sizeof(out), &err), 0);
	assert_string_equal(out, "XK-310104-2026-000001");
	assert_int_equal(license_number_format("310104", 2026, 1234567, out, sizeof(out), &err), 0);
	assert_string_equal(out, "XK-310104-2026-1234567");
	assert_int_equal(license_number_format("31010", 2026, 1, out, sizeof(out), &err), -1);
	assert_string_equal(err.code, "invalid_license_number");
	assert_int_equal(license_number_format("310104", 2026, 0, out, sizeof(out), &err), -1);
	assert_int_equal(license_number_format("310104", 2026, 1, out, 10, &err), -1);
	assert_string_equal(out, "");

	assert_int_equal(license_number_parse("XK-310104-2026-000042", &no, &err), 0);
	assert_string_equal(no.district, "310104");
	assert_int_equal(no.year, 2026);
	assert_int_equal(no.serial, 42);
	/* A malformed number names no license: 404, as a path would answer. */
	static const char *const bad[] = {"310104-2026-000042",     "XK-310104-2026-42",
					  "xk-310104-2026-000042",  "XK-310104-2026-000000",
					  "XK-310104-2026-000042 ", ""};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&err, 0, sizeof(err));
		assert_int_equal(license_number_parse(bad[i], &no, &err), -1);
		assert_int_equal(err.status, 404);
		assert_string_equal(err.code, "license_not_found");
	}
	assert_int_equal(license_number_parse(NULL, &no, &err), -1);
}

/* Known-valid strings of ISO/IEC 7064 MOD 37,36 from independent
 * implementations (the last character is the check character). */
static void test_check_char(void **state)
{
	static const char *const known[] = {"A12425GABC1234002M", "B159D8FA01240000K",
					    "188166C7342000003"};
	static const char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
	char buf[64];

	(void)state;
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		size_t n = strlen(known[i]);

		memcpy(buf, known[i], n - 1);
		buf[n - 1] = '\0';
		assert_int_equal(license_eid_check_char(buf), known[i][n - 1]);
		/* Every single-character substitution changes the check character. */
		for (size_t pos = 0; pos + 1 < n; pos++) {
			char orig = buf[pos];

			for (size_t k = 0; k < 36; k++) {
				if (alphabet[k] == orig)
					continue;
				buf[pos] = alphabet[k];
				assert_true(license_eid_check_char(buf) != known[i][n - 1]);
			}
			buf[pos] = orig;
		}
		/* and so does every transposition of two different neighbours */
		for (size_t pos = 0; pos + 2 < n; pos++) {
			char a = buf[pos], b = buf[pos + 1];

			if (a == b)
				continue;
			buf[pos] = b;
			buf[pos + 1] = a;
			assert_true(license_eid_check_char(buf) != known[i][n - 1]);
			buf[pos] = a;
			buf[pos + 1] = b;
		}
	}
	/* Dots are ignored; anything outside 0-9A-Z is refused. */
	assert_int_equal(license_eid_check_char("A1.2425.GABC1234002"), 'M');
	assert_int_equal(license_eid_check_char("a12425"), '\0');
	assert_int_equal(license_eid_check_char(""), '\0');
	assert_int_equal(license_eid_check_char(NULL), '\0');
}

static void test_eid(void **state)
{
	char eid[LICENSE_EID_SIZE], bad[LICENSE_EID_SIZE];
	struct yerr err = {0};
	size_t n;

	(void)state;
	assert_int_equal(license_eid_build("310104", 2026, 1, 1, eid, sizeof(eid), &err), 0);
	assert_string_equal(eid, "1.2.156.3005.2.000000000000000000001.000000310104000000."
				 "2026000001.001.0");
	assert_true(license_eid_valid(eid));
	/* one character changed anywhere in the checked part fails */
	n = strlen(eid);
	for (size_t pos = strlen(LICENSE_EID_ROOT) + 1; pos < n; pos++) {
		if (eid[pos] == '.')
			continue;
		memcpy(bad, eid, n + 1);
		bad[pos] = bad[pos] == '9' ? '8' : (bad[pos] == 'J' ? 'K' : '9');
		assert_false(license_eid_valid(bad));
	}
	assert_int_equal(license_eid_build("310104", 2026, 1, 2, bad, sizeof(bad), &err), 0);
	assert_true(license_eid_valid(bad));
	assert_true(strcmp(bad, eid) != 0);
	assert_false(license_eid_valid("1.2.156.3005.2.J"));
	assert_false(license_eid_valid("1.2.156.3005.2.A..B.C.D.J"));
	assert_false(license_eid_valid(NULL));
	assert_int_equal(license_eid_build("310104", 2026, 1, 0, eid, sizeof(eid), &err), -1);
	assert_int_equal(license_eid_build("310104", 2026, 1, 1000, eid, sizeof(eid), &err), -1);
	assert_int_equal(license_eid_build("310104", 2026, 1, 1, eid, 20, &err), -1);
}

static void test_validity(void **state)
{
	struct license_validity_rule shortest = {LIC_VALIDITY_SHORTEST, 0};
	struct license_validity_rule five = {LIC_VALIDITY_YEARS, 5};
	struct license_validity_rule none = {LIC_VALIDITY_NONE, 0};
	long terms[] = {5, 0, 3, 6};
	long no_terms[] = {0, 0};

	(void)state;
	assert_int_equal(license_valid_until(day("2026-12-02"), &five, NULL, 0), day("2031-12-01"));
	assert_int_equal(license_valid_until(day("2026-12-02"), &shortest, terms, 4),
			 day("2029-12-01"));
	/* no permit with a term: the license has none either */
	assert_int_equal(license_valid_until(day("2026-12-02"), &shortest, no_terms, 2), -1);
	assert_int_equal(license_valid_until(day("2026-12-02"), &none, terms, 4), -1);
	assert_int_equal(license_valid_until(day("2026-12-02"), NULL, terms, 4), -1);
	/* leap days */
	struct license_validity_rule one = {LIC_VALIDITY_YEARS, 1};
	assert_int_equal(license_valid_until(day("2024-02-29"), &one, NULL, 0), day("2025-02-28"));
	struct license_validity_rule four = {LIC_VALIDITY_YEARS, 4};
	assert_int_equal(license_valid_until(day("2024-02-29"), &four, NULL, 0), day("2028-02-28"));
	assert_int_equal(license_valid_until(day("2026-01-01"), &one, NULL, 0), day("2026-12-31"));
}

static void test_status(void **state)
{
	enum license_status to;

	(void)state;
	for (int i = 0; i < LIC_STATUS_COUNT; i++) {
		assert_non_null(license_status_label((enum license_status)i));
		assert_int_equal(license_status_parse(license_status_name((enum license_status)i)),
				 i);
	}
	assert_int_equal(license_status_parse("licensed"), -1);
	assert_null(license_status_name(LIC_STATUS_COUNT));
	/* expired is computed before the daily job marks it */
	assert_int_equal(license_status_at(LIC_VALID, day("2026-12-01"), day("2026-12-02")),
			 LIC_EXPIRED);
	assert_int_equal(license_status_at(LIC_VALID, day("2026-12-02"), day("2026-12-02")),
			 LIC_VALID);
	assert_int_equal(license_status_at(LIC_VALID, -1, day("2126-12-02")), LIC_VALID);
	assert_int_equal(license_status_at(LIC_REVOKED, day("2020-01-01"), day("2026-12-02")),
			 LIC_REVOKED);
	assert_true(license_sanction_allowed("suspend", LIC_VALID, &to));
	assert_int_equal(to, LIC_SUSPENDED);
	assert_true(license_sanction_allowed("reinstate", LIC_SUSPENDED, &to));
	assert_int_equal(to, LIC_VALID);
	assert_true(license_sanction_allowed("revoke", LIC_SUSPENDED, &to));
	assert_int_equal(to, LIC_REVOKED);
	assert_true(license_sanction_allowed("revoke", LIC_VALID, &to));
	assert_false(license_sanction_allowed("reinstate", LIC_VALID, &to));
	assert_false(license_sanction_allowed("suspend", LIC_SUSPENDED, &to));
	assert_false(license_sanction_allowed("revoke", LIC_REVOKED, &to));
	assert_false(license_sanction_allowed("revoke", LIC_SUPERSEDED, &to));
	assert_false(license_sanction_allowed("suspend", LIC_CANCELLED, &to));
	assert_false(license_sanction_allowed("delete", LIC_VALID, &to));
}

static const struct license_permit permits[] = {
    {"P_food_sale", "食品经营许可", "scjgj", "区市场监管局", "《中华人民共和国食品安全法》"},
    {"P_tobacco", "烟草专卖零售许可", "ycj", "区烟草专卖局", "《烟草专卖法》"},
};

static struct license_input input(void)
{
	struct license_input in = {
	    .number = "XK-310104-2026-000001",
	    .eid = "1.2.156.3005.2.X.Y.Z.001.0",
	    .version = 1,
	    .holder_name = "上海示例便利店有限公司",
	    .holder_uscc = "91310104MA1FL0000X",
	    .legal_rep = "张三",
	    .address = "徐汇区漕溪北路 1 号",
	    .industry_code = "bianlidian",
	    .industry_name = "便利店",
	    .permits = permits,
	    .npermits = 2,
	    .valid_from = day("2026-12-02"),
	    .valid_until = day("2031-12-01"),
	    .issued_on = day("2026-12-02"),
	    .district = "310104",
	    .issuer_department = "zwfwb",
	    .issuer_name = "区政务服务办",
	    .kid = "k20261202a",
	};
	return in;
}

static void test_doc(void **state)
{
	struct license_input in = input();
	struct yerr err = {0};
	json_t *doc;
	const char *key;
	json_t *v;
	size_t n = 0;

	(void)state;
	doc = license_doc_build(&in, &err);
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(doc, "type")), "行业综合许可证");
	assert_string_equal(json_string_value(json_object_get(doc, "number")), in.number);
	assert_int_equal(json_integer_value(json_object_get(doc, "version")), 1);
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(doc, "holder"), "uscc")),
	    in.holder_uscc);
	assert_string_equal(json_string_value(json_object_get(doc, "valid_until")), "2031-12-01");
	assert_string_equal(json_string_value(json_object_get(doc, "issued_on")), "2026-12-02");
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(doc, "issuer"), "name")),
	    "区政务服务办");
	assert_int_equal(json_array_size(json_object_get(doc, "permits")), 2);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(json_object_get(doc, "permits"), 1),
					      "department_name")),
	    "区烟草专卖局");
	/* exactly the contract's members, no floats */
	json_object_foreach (doc, key, v) {
		static const char *const members[] = {
		    "type",    "number",    "eid",      "version",    "holder",
		    "address", "industry",  "permits",  "valid_from", "valid_until",
		    "issuer",  "issued_on", "district", "kid"};
		bool found = false;

		for (size_t i = 0; i < sizeof(members) / sizeof(members[0]); i++)
			found |= strcmp(members[i], key) == 0;
		assert_true(found);
		assert_false(json_is_real(v));
		n++;
	}
	assert_int_equal(n, 14);
	json_decref(doc);

	/* no term: valid_until null */
	in.valid_until = -1;
	doc = license_doc_build(&in, &err);
	assert_true(json_is_null(json_object_get(doc, "valid_until")));
	json_decref(doc);

	in = input();
	in.holder_uscc = " ";
	assert_null(license_doc_build(&in, &err));
	assert_int_equal(err.status, 422);
	assert_string_equal(err.field, "holder.uscc");
	in = input();
	in.npermits = 0;
	assert_null(license_doc_build(&in, &err));
	assert_string_equal(err.field, "permits");
	in = input();
	in.kid = "k.1";
	assert_null(license_doc_build(&in, &err));
	assert_string_equal(err.code, "invalid_kid");
	in.kid = "k123456789012345678901234567890123";
	assert_null(license_doc_build(&in, &err));
}

/* The shipped catalog states the rule (shortest, 30 days, modelled); every
 * permit states a term or "none"; the filings and the fire check have none. */
static void test_catalog_rule(void **state)
{
	struct catalog *cat = unit_catalog_load("catalog");
	const struct catalog_industry *ind = catalog_industry_find(cat, "bianlidian");
	struct license_validity_rule rule;
	long ext = 0;
	bool modelled = false;

	(void)state;
	assert_non_null(ind);
	license_rule_of(cat, ind, &rule, &ext, &modelled);
	assert_int_equal(rule.kind, LIC_VALIDITY_SHORTEST);
	assert_int_equal(ext, 30);
	assert_true(modelled);
	for (size_t i = 0; i < cat->npermits; i++) {
		const struct catalog_permit *p = &cat->permits[i];

		assert_true(p->no_term || p->validity_years > 0);
		assert_false(p->no_term && p->validity_years > 0);
	}
	assert_true(catalog_permit_find(cat, "P_device2_filing")->no_term);
	assert_true(catalog_permit_find(cat, "P_fire_check")->no_term);
	assert_false(license_permit_validity_modelled(catalog_permit_find(cat, "P_fire_check")));
	assert_true(license_permit_validity_modelled(catalog_permit_find(cat, "P_netcafe")));
	assert_int_equal(catalog_permit_find(cat, "P_food_sale")->validity_years, 5);
	/* no catalog, no industry: shortest, 30 days, modelled (nobody stated it) */
	license_rule_of(NULL, NULL, &rule, &ext, &modelled);
	assert_int_equal(rule.kind, LIC_VALIDITY_SHORTEST);
	assert_int_equal(ext, 30);
	catalog_free(cat);
}

/* A catalog document with the given catalog.json "license" member, one
 * industry with the given own members and permits with the given terms. */
static struct catalog *mini(const char *license, const char *industry_extra, const char *term_a,
			    const char *term_b, struct catalog_problems *probs)
{
	char doc[4096];
	struct catalog *cat = NULL;

	snprintf(doc, sizeof(doc),
		 "{\"catalog\":{\"format\":1,\"title\":\"t\",\"district\":\"310104\","
		 "\"issuer\":\"区政务服务办\",\"issuance_days\":1,\"after\":{\"steps\":3,"
		 "\"trips\":1}%s%s},"
		 "\"departments\":[{\"code\":\"scjgj\",\"name\":\"区市场监管局\"}],"
		 "\"materials\":[{\"id\":\"M_a\",\"name\":\"材料\"}],"
		 "\"fields\":[{\"id\":\"F_a\",\"label\":\"字段\",\"type\":\"text\"}],"
		 "\"permits\":["
		 "{\"code\":\"P_a\",\"name\":\"甲\",\"department\":\"scjgj\","
		 "\"legal_basis\":\"法\",\"statutory_days\":20,\"committed_days\":5,"
		 "\"inspection\":false%s%s,\"materials\":[\"M_a\"],\"fields\":[\"F_a\"],"
		 "\"before\":{\"materials\":1,\"fields\":1,\"days\":20,\"steps\":4,"
		 "\"trips\":2}},"
		 "{\"code\":\"P_b\",\"name\":\"乙\",\"department\":\"scjgj\","
		 "\"legal_basis\":\"法\",\"statutory_days\":20,\"committed_days\":5,"
		 "\"inspection\":false%s%s,\"materials\":[\"M_a\"],\"fields\":[\"F_a\"],"
		 "\"before\":{\"materials\":1,\"fields\":1,\"days\":20,\"steps\":4,"
		 "\"trips\":2}}],"
		 "\"industries\":[{\"code\":\"x\",\"name\":\"行业\",\"lead\":\"scjgj\","
		 "\"permits\":[\"P_a\",\"P_b\"],\"base_permits\":[\"P_a\",\"P_b\"],"
		 "\"questions\":[{\"id\":\"q\",\"text\":\"问\",\"type\":\"boolean\"}]%s}]}",
		 license ? "," : "", license ? license : "", term_a ? ",\"validity_years\":" : "",
		 term_a ? term_a : "", term_b ? ",\"validity_years\":" : "", term_b ? term_b : "",
		 industry_extra ? industry_extra : "");
	assert_int_equal(catalog_build_document(doc, strlen(doc), &cat, probs), 0);
	assert_non_null(cat);
	return cat;
}

static bool has_problem(const struct catalog_problems *p, const char *path_part)
{
	for (size_t i = 0; i < p->n; i++)
		if (strstr(p->items[i].path, path_part) != NULL)
			return true;
	return false;
}

static void test_catalog_rule_forms(void **state)
{
	struct catalog_problems probs = {0};
	struct license_validity_rule rule;
	struct catalog *cat;
	long ext;
	bool m;

	(void)state;
	/* catalog-wide fixed years, industry default */
	cat = mini("\"license\":{\"validity\":3,\"extension_days\":60}", NULL, "5", "\"none\"",
		   &probs);
	assert_int_equal(probs.n, 0);
	license_rule_of(cat, &cat->industries[0], &rule, &ext, &m);
	assert_int_equal(rule.kind, LIC_VALIDITY_YEARS);
	assert_int_equal(rule.years, 3);
	assert_int_equal(ext, 60);
	assert_false(m);
	assert_true(cat->permits[1].no_term);
	catalog_free(cat);
	/* the industry's own rule wins, and its window */
	cat = mini("\"license\":{\"validity\":\"shortest\"}",
		   ",\"license_validity\":\"none\",\"extension_days\":90,"
		   "\"modelled\":[\"license_validity\"]",
		   "5", "2", &probs);
	assert_int_equal(probs.n, 0);
	license_rule_of(cat, &cat->industries[0], &rule, &ext, &m);
	assert_int_equal(rule.kind, LIC_VALIDITY_NONE);
	assert_int_equal(ext, 90);
	assert_true(m);
	catalog_free(cat);
	/* refused values: 0, missing, a shortest on a permit, a bad rule, a bad window */
	cat = mini("\"license\":{\"validity\":\"forever\",\"extension_days\":0}",
		   ",\"license_validity\":0", "0", NULL, &probs);
	assert_true(has_problem(&probs, "[0].validity_years"));
	assert_true(has_problem(&probs, "[1].validity_years"));
	assert_true(has_problem(&probs, "license.validity"));
	assert_true(has_problem(&probs, "license.extension_days"));
	assert_true(has_problem(&probs, "license_validity"));
	for (size_t i = 0; i < probs.n; i++)
		assert_false(probs.items[i].fatal);
	free(probs.items);
	probs = (struct catalog_problems){0};
	catalog_free(cat);
	cat = mini(NULL, NULL, "\"shortest\"", "101", &probs);
	assert_true(has_problem(&probs, "[0].validity_years"));
	assert_true(has_problem(&probs, "[1].validity_years"));
	free(probs.items);
	catalog_free(cat);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_number),       cmocka_unit_test(test_check_char),
	    cmocka_unit_test(test_eid),          cmocka_unit_test(test_validity),
	    cmocka_unit_test(test_status),       cmocka_unit_test(test_doc),
	    cmocka_unit_test(test_catalog_rule), cmocka_unit_test(test_catalog_rule_forms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
