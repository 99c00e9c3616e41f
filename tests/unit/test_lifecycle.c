/*
 * test_lifecycle.c — the kind-specific rules of a license's life
 * (core/lifecycle.h): kinds, the statuses that allow each, the extension
 * window and term, the change table (who reviews, who inspects, who is
 * told), and the next version's document.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/date.h"
#include "core/license.h"
#include "core/lifecycle.h"
#include "core/roles.h"

static int day(const char *s)
{
	int d = -1;

	assert_int_equal(date_parse(s, strlen(s), &d), 0);
	return d;
}

static void test_kinds(void **state)
{
	(void)state;
	assert_int_equal(life_kind_parse("new"), LIFE_NEW);
	assert_int_equal(life_kind_parse("change"), LIFE_CHANGE);
	assert_int_equal(life_kind_parse("extend"), LIFE_EXTEND);
	assert_int_equal(life_kind_parse("cancel"), LIFE_CANCEL);
	assert_int_equal(life_kind_parse("reissue"), LIFE_REISSUE);
	assert_int_equal(life_kind_parse("renew"), -1);
	assert_int_equal(life_kind_parse(NULL), -1);
	assert_string_equal(life_kind_label(LIFE_CHANGE), "变更");
	assert_string_equal(life_kind_label(LIFE_REISSUE), "补办");
	assert_null(life_kind_name(LIFE_KIND_COUNT));
}

static void test_statuses(void **state)
{
	static const char *const all[] = {"valid",     "suspended", "revoked",
					  "cancelled", "expired",   "superseded"};
	struct yerr e = {0};

	(void)state;
	for (size_t i = 0; i < 6; i++) {
		bool valid = strcmp(all[i], "valid") == 0;

		assert_int_equal(life_check_status(LIFE_CHANGE, all[i], &e), valid ? 0 : -1);
		assert_int_equal(life_check_status(LIFE_EXTEND, all[i], &e), valid ? 0 : -1);
		assert_int_equal(life_check_status(LIFE_REISSUE, all[i], &e), valid ? 0 : -1);
		assert_int_equal(life_check_status(LIFE_CANCEL, all[i], &e),
				 valid || strcmp(all[i], "suspended") == 0 ? 0 : -1);
	}
	assert_int_equal(life_check_status(LIFE_CHANGE, "revoked", &e), -1);
	assert_int_equal(e.status, 409);
	assert_string_equal(e.code, "license_state");
	assert_string_equal(e.field, "license");
	assert_non_null(strstr(e.message, "已吊销"));
	assert_int_equal(life_check_status(LIFE_NEW, "valid", &e), -1);
	assert_string_equal(e.code, "invalid_kind");
}

static void test_extension_window(void **state)
{
	struct yerr e = {0};
	int until = day("2031-12-01");

	(void)state;
	/* 30 days before, open to the last day */
	assert_int_equal(life_check_extend(until - 30, until, 30, 0, &e), 0);
	assert_int_equal(life_check_extend(until, until, 30, 0, &e), 0);
	assert_int_equal(life_check_extend(until - 31, until, 30, 0, &e), -1);
	assert_int_equal(e.status, 409);
	assert_string_equal(e.code, "outside_extension_window");
	assert_non_null(strstr(e.message, "2031-11-01"));
	assert_non_null(strstr(e.message, "2031-12-01"));
	assert_int_equal(life_check_extend(until + 1, until, 30, 0, &e), -1);
	/* a window that closes 30 days before */
	assert_int_equal(life_check_extend(until - 10, until, 90, 30, &e), -1);
	assert_int_equal(life_check_extend(until - 30, until, 90, 30, &e), 0);
	/* 长期有效 */
	assert_int_equal(life_check_extend(until, -1, 30, 0, &e), -1);
	assert_string_equal(e.code, "no_term");
}

static void test_extend_term(void **state)
{
	struct yerr e = {0};
	int from, until;
	char a[16], b[16];

	(void)state;
	assert_int_equal(life_extend_term(day("2026-12-02"), day("2031-12-01"), &from, &until, &e),
			 0);
	date_format(from, a, sizeof(a));
	date_format(until, b, sizeof(b));
	assert_string_equal(a, "2031-12-02");
	assert_string_equal(b, "2036-12-01");
	/* a leap-day start: the same rule as issuance (license_valid_until) */
	{
		struct license_validity_rule one = {.kind = LIC_VALIDITY_YEARS, .years = 1};
		int start = day("2024-02-29"), end = license_valid_until(start, &one, NULL, 0);

		assert_int_equal(life_extend_term(start, end, &from, &until, &e), 0);
		assert_int_equal(from, end + 1);
		assert_int_equal(until, license_valid_until(end + 1, &one, NULL, 0));
	}
	/* not whole years */
	assert_int_equal(life_extend_term(day("2026-12-02"), day("2027-06-01"), &from, &until, &e),
			 -1);
	assert_string_equal(e.code, "invalid_term");
}

static const struct life_permit food = {"P_food_sale", "scjgj", true, 20};
static const struct life_permit alcohol = {"P_alcohol_retail", "swj", false, 10};
static const struct life_permit drug = {"P_drug_retail", "scjgj", true, 15};
static const struct life_permit sign = {"P_signboard", "lhsrj", false, 5};

static const char *plan_text(const struct life_plan *p, char out[256])
{
	out[0] = '\0';
	for (size_t i = 0; i < p->wf.ndepts; i++) {
		strcat(out, p->wf.depts[i].code);
		if (p->wf.depts[i].inspect != WF_INSPECT_NONE)
			strcat(out, "+inspect");
		strcat(out, ";");
	}
	strcat(out, "|");
	for (size_t i = 0; i < p->ninformed; i++) {
		strcat(out, p->informed[i]);
		strcat(out, ";");
	}
	return out;
}

static void test_change_table(void **state)
{
	struct life_permit have[] = {food, alcohol, sign};
	struct life_plan p;
	struct yerr e = {0};
	char txt[256];

	(void)state;
	/* name: nobody reviews, everyone told, approved at acceptance */
	struct life_change name = {.name = "新名称"};
	assert_int_equal(life_plan(LIFE_CHANGE, have, 3, &name, 5, &p, &e), 0);
	assert_string_equal(plan_text(&p, txt), "|scjgj;swj;lhsrj;");
	assert_true(p.wf.all_committed);
	assert_int_equal(p.wf.npermits, 3);
	/* legal representative: only the permits that examine the person */
	struct life_permit with_drug[] = {food, drug, sign};
	struct life_change rep = {.legal_rep = "李四"};
	assert_int_equal(life_plan(LIFE_CHANGE, have, 3, &rep, 5, &p, &e), 0);
	assert_string_equal(plan_text(&p, txt), "|scjgj;swj;lhsrj;");
	assert_int_equal(life_plan(LIFE_CHANGE, with_drug, 3, &rep, 5, &p, &e), 0);
	assert_string_equal(plan_text(&p, txt), "scjgj;|lhsrj;");
	assert_int_equal(p.wf.depts[0].review_days, 15);
	assert_false(p.wf.all_committed);
	assert_false(p.inspection);
	/* address: everybody reviews, the inspected permits' departments inspect */
	struct life_change addr = {.address = "新地址"};
	assert_int_equal(life_plan(LIFE_CHANGE, have, 3, &addr, 5, &p, &e), 0);
	assert_string_equal(plan_text(&p, txt), "scjgj+inspect;swj;lhsrj;|");
	assert_true(p.inspection);
	assert_int_equal(p.wf.depts[0].review_days, 20);
	/* adding a permit: its department only, inspecting when it needs one */
	struct life_permit only_food[] = {food};
	struct life_change add = {.add = &alcohol, .nadd = 1};
	assert_int_equal(life_plan(LIFE_CHANGE, only_food, 1, &add, 5, &p, &e), 0);
	assert_string_equal(plan_text(&p, txt), "swj;|scjgj;");
	assert_int_equal(p.wf.npermits, 2);
	assert_string_equal(p.wf.permits[1].code, "P_alcohol_retail");
	struct life_change add_drug = {.add = &drug, .nadd = 1};
	assert_int_equal(life_plan(LIFE_CHANGE, only_food, 1, &add_drug, 5, &p, &e), 0);
	assert_string_equal(plan_text(&p, txt), "scjgj+inspect;|");
	/* removing a permit: nobody reviews, its department is told */
	const char *rm[] = {"P_alcohol_retail"};
	struct life_change del = {.remove = rm, .nremove = 1};
	assert_int_equal(life_plan(LIFE_CHANGE, have, 3, &del, 5, &p, &e), 0);
	assert_string_equal(plan_text(&p, txt), "|scjgj;swj;lhsrj;");
	assert_int_equal(p.wf.npermits, 2);
	/* address + removal: the removed permit's department is not asked */
	struct life_change both = {.address = "新地址", .remove = rm, .nremove = 1};
	assert_int_equal(life_plan(LIFE_CHANGE, have, 3, &both, 5, &p, &e), 0);
	assert_string_equal(plan_text(&p, txt), "scjgj+inspect;lhsrj;|swj;");
}

static void test_change_refusals(void **state)
{
	struct life_permit have[] = {food, alcohol};
	struct life_plan p;
	struct yerr e = {0};

	(void)state;
	struct life_change none = {0};
	assert_int_equal(life_plan(LIFE_CHANGE, have, 2, &none, 5, &p, &e), -1);
	assert_string_equal(e.code, "change_required");
	assert_int_equal(life_plan(LIFE_CHANGE, have, 2, NULL, 5, &p, &e), -1);
	struct life_change dup = {.add = &food, .nadd = 1};
	assert_int_equal(life_plan(LIFE_CHANGE, have, 2, &dup, 5, &p, &e), -1);
	assert_string_equal(e.code, "invalid_change");
	assert_string_equal(e.field, "change.permits_add[0]");
	const char *bad[] = {"P_signboard"};
	struct life_change notheld = {.remove = bad, .nremove = 1};
	assert_int_equal(life_plan(LIFE_CHANGE, have, 2, &notheld, 5, &p, &e), -1);
	assert_string_equal(e.field, "change.permits_remove[0]");
	const char *all[] = {"P_food_sale", "P_alcohol_retail"};
	struct life_change empty = {.remove = all, .nremove = 2};
	assert_int_equal(life_plan(LIFE_CHANGE, have, 2, &empty, 5, &p, &e), -1);
	assert_string_equal(e.field, "change.permits_remove");
	/* ... unless a permit is added at the same time */
	struct life_change swap = {.remove = all, .nremove = 2, .add = &sign, .nadd = 1};
	assert_int_equal(life_plan(LIFE_CHANGE, have, 2, &swap, 5, &p, &e), 0);
	assert_int_equal(life_plan(LIFE_NEW, have, 2, NULL, 5, &p, &e), -1);
	assert_string_equal(e.code, "invalid_kind");
}

static void test_other_kinds(void **state)
{
	struct life_permit have[] = {food, alcohol};
	struct life_plan p;
	struct yerr e = {0};
	char txt[256];

	(void)state;
	assert_int_equal(life_plan(LIFE_EXTEND, have, 2, NULL, 5, &p, &e), 0);
	assert_string_equal(plan_text(&p, txt), "scjgj;swj;|");
	assert_false(p.wf.all_committed);
	assert_int_equal(life_plan(LIFE_CANCEL, have, 2, NULL, 5, &p, &e), 0);
	assert_string_equal(plan_text(&p, txt), "|scjgj;swj;");
	assert_true(p.wf.all_committed);
	assert_int_equal(life_plan(LIFE_REISSUE, have, 2, NULL, 5, &p, &e), 0);
	assert_true(p.wf.all_committed);
	assert_int_equal(p.wf.status, APP_DRAFT);
	assert_int_equal(p.wf.acceptance_days, 5);
}

/* The plan drives the ordinary workflow: nobody reviews → acceptance approves. */
static void test_plan_in_workflow(void **state)
{
	struct life_permit have[] = {food};
	struct life_plan p;
	struct wf_actor clerk = {.roles = ROLE_BIT(ROLE_WINDOW_CLERK)};
	struct wf_actor holder = {.roles = ROLE_BIT(ROLE_APPLICANT), .owner = true};
	struct wf_request submit = {.action = WF_SUBMIT}, accept = {.action = WF_ACCEPT};
	struct wf_effects fx;
	struct yerr e = {0};

	(void)state;
	assert_int_equal(life_plan(LIFE_REISSUE, have, 1, NULL, 5, &p, &e), 0);
	assert_int_equal(workflow_apply(&p.wf, &holder, &submit, &p.wf, &fx, &e), 0);
	assert_int_equal(workflow_apply(&p.wf, &clerk, &accept, &p.wf, &fx, &e), 0);
	assert_int_equal(p.wf.status, APP_APPROVED);
	struct life_change addr = {.address = "新地址"};
	assert_int_equal(life_plan(LIFE_CHANGE, have, 1, &addr, 5, &p, &e), 0);
	assert_int_equal(workflow_apply(&p.wf, &holder, &submit, &p.wf, &fx, &e), 0);
	assert_int_equal(workflow_apply(&p.wf, &clerk, &accept, &p.wf, &fx, &e), 0);
	assert_int_equal(p.wf.status, APP_UNDER_REVIEW);
	/* one review task and one inspection task, both of the food department */
	size_t reviews = 0, inspections = 0;
	for (size_t i = 0; i < fx.ntasks; i++) {
		reviews += fx.tasks[i].kind == WF_TASK_REVIEW && fx.tasks[i].op == WF_TASK_CREATE;
		inspections +=
		    fx.tasks[i].kind == WF_TASK_INSPECTION && fx.tasks[i].op == WF_TASK_CREATE;
	}
	assert_int_equal(reviews, 1);
	assert_int_equal(inspections, 1);
}

static void test_next_doc(void **state)
{
	json_t *prev = json_loads(
	    "{\"type\":\"行业综合许可证\",\"number\":\"XK-310104-2026-000001\",\"eid\":\"x\","
	    "\"version\":1,\"holder\":{\"name\":\"甲\",\"uscc\":\"u\",\"legal_rep\":\"张三\"},"
	    "\"address\":\"旧址\",\"industry\":{\"code\":\"bianlidian\",\"name\":\"便利店\"},"
	    "\"permits\":[{\"code\":\"P_food_sale\"},{\"code\":\"P_alcohol_retail\"}],"
	    "\"valid_from\":\"2026-12-02\",\"valid_until\":\"2031-12-01\",\"issued_on\":"
	    "\"2026-12-02\",\"kid\":\"k1\",\"sig\":\"s\",\"status\":\"valid\"}",
	    0, NULL);
	json_t *change = json_loads("{\"name\":\"乙\",\"address\":\"新址\",\"permits_remove\":"
				    "[\"P_alcohol_retail\"],\"permits_add\":[{\"code\":"
				    "\"P_signboard\",\"name\":\"户外招牌设置\"}]}",
				    0, NULL);
	struct yerr e = {0};
	json_t *next;
	int today = day("2027-03-01");

	(void)state;
	assert_non_null(prev);
	next = life_next_doc(prev, LIFE_CHANGE, change, today, &e);
	assert_non_null(next);
	assert_int_equal(json_integer_value(json_object_get(next, "version")), 2);
	assert_string_equal(json_string_value(json_object_get(next, "number")),
			    "XK-310104-2026-000001");
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(next, "holder"), "name")), "乙");
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(next, "holder"), "legal_rep")),
	    "张三");
	assert_string_equal(json_string_value(json_object_get(next, "address")), "新址");
	assert_int_equal(json_array_size(json_object_get(next, "permits")), 2);
	assert_string_equal(json_string_value(json_object_get(
				json_array_get(json_object_get(next, "permits"), 1), "code")),
			    "P_signboard");
	assert_string_equal(json_string_value(json_object_get(next, "issued_on")), "2027-03-01");
	assert_string_equal(json_string_value(json_object_get(next, "valid_until")), "2031-12-01");
	assert_null(json_object_get(next, "kid"));
	assert_null(json_object_get(next, "sig"));
	assert_null(json_object_get(next, "eid"));
	assert_null(json_object_get(next, "status"));
	json_decref(next);
	/* extend: the next term */
	next = life_next_doc(prev, LIFE_EXTEND, NULL, today, &e);
	assert_string_equal(json_string_value(json_object_get(next, "valid_from")), "2031-12-02");
	assert_string_equal(json_string_value(json_object_get(next, "valid_until")), "2036-12-01");
	assert_string_equal(json_string_value(json_object_get(next, "address")), "旧址");
	json_decref(next);
	/* reissue: same content, next version */
	next = life_next_doc(prev, LIFE_REISSUE, NULL, today, &e);
	assert_int_equal(json_integer_value(json_object_get(next, "version")), 2);
	assert_int_equal(json_array_size(json_object_get(next, "permits")), 2);
	json_decref(next);
	/* cancel has none */
	assert_null(life_next_doc(prev, LIFE_CANCEL, NULL, today, &e));
	assert_string_equal(e.code, "invalid_kind");
	json_decref(prev);
	json_decref(change);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_kinds),
	    cmocka_unit_test(test_statuses),
	    cmocka_unit_test(test_extension_window),
	    cmocka_unit_test(test_extend_term),
	    cmocka_unit_test(test_change_table),
	    cmocka_unit_test(test_change_refusals),
	    cmocka_unit_test(test_other_kinds),
	    cmocka_unit_test(test_plan_in_workflow),
	    cmocka_unit_test(test_next_doc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
