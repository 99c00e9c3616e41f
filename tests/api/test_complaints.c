/*
 * test_complaints.c — complaints and reports and the risk signals (issue 13
 * points 9 and 10; docs/api-supervision.md "Complaints", "Risk signals"),
 * on both backends: a complaint filed without an account reaches the
 * departments that supervise its matter with its deadline, no other
 * department sees it, the reporter's contact never leaves the handling
 * department, the ticket needs its key, the form is rate limited per
 * address, a substantiated outcome is published and counted, and the risk
 * rules flag an entity naming their causes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness_license.h"

#define RATE 6
#define CONTACT "13800138000"

static struct server srv;
static struct lic_holder shop, other;
static long long other_app;

/* The per-address counter starts afresh (each test files its own). */
static void reset_limit(void)
{
	server_sql_long(&srv, "DELETE FROM complaint_limits");
}

/* Files a complaint about holder uscc as nobody; *out the answer. */
static void file(const char *uscc, const char *matter, const char *contact, long status,
		 const char *code, struct resp *out)
{
	json_t *b = json_pack("{s:s,s:s,s:s}", "uscc", uscc, "matter", matter, "description",
			      "店内销售无出版物经营许可证件的图书，疑似盗版。");

	if (contact)
		json_object_set_new(b, "contact", json_string(contact));
	lic_as(&srv, NULL);
	lic_post(&srv, "/api/v1/public/complaints", b, status, code, out);
}

/* A new complaint about the first shop (出版物零售 → 区文化旅游局); ticket
 * and key copied out. */
static void file_shop(char ticket[32], char key[64])
{
	struct resp r;

	file(shop.uscc, "出版物零售", CONTACT, 201, NULL, &r);
	snprintf(ticket, 32, "%s", lic_str(r.json, "ticket"));
	snprintf(key, 64, "%s", lic_str(r.json, "key"));
	resp_free(&r);
}

static void test_file_and_route(void **state)
{
	char path[200], ticket[32], key[64];
	json_t *it, *m;
	struct resp r;
	size_t i;
	int found = 0;

	(void)state;
	reset_limit();
	/* the form finds the shop by name and offers its supervision matters */
	lic_as(&srv, NULL);
	snprintf(path, sizeof(path), "/api/v1/public/complaints/entities?q=%s", shop.uscc);
	lic_get(&srv, path, 200, &r);
	assert_int_equal(json_array_size(json_object_get(r.json, "items")), 1);
	it = json_array_get(json_object_get(r.json, "items"), 0);
	assert_string_equal(lic_str(it, "name"), shop.name);
	json_array_foreach (json_object_get(it, "matters"), i, m)
		found |= strcmp(lic_str(m, "id"), "出版物零售") == 0;
	assert_true(found);
	resp_free(&r);
	lic_get(&srv, "/api/v1/public/complaints/entities?q=x", 400, NULL);

	file(shop.uscc, "出版物零售", CONTACT, 201, NULL, &r);
	snprintf(ticket, sizeof(ticket), "%s", lic_str(r.json, "ticket"));
	snprintf(key, sizeof(key), "%s", lic_str(r.json, "key"));
	assert_int_equal(strncmp(ticket, "TS", 2), 0);
	assert_true(strlen(key) >= 20);
	/* 15 working days after Monday 2 March 2026 (no holiday in March) */
	assert_string_equal(lic_str(r.json, "filed_on"), LIC_TODAY);
	assert_string_equal(lic_str(r.json, "due_day"), "2026-03-23");
	assert_int_equal(json_array_size(json_object_get(r.json, "departments")), 1);
	assert_string_equal(
	    lic_str(json_array_get(json_object_get(r.json, "departments"), 0), "code"), "whlyj");
	assert_null(strstr(r.body, CONTACT));
	resp_free(&r);

	/* the handling department sees it, with the contact */
	lic_as(&srv, "supervisor_whlyj");
	snprintf(path, sizeof(path), "/api/v1/supervision/complaints/%s", ticket);
	lic_get(&srv, path, 200, &r);
	it = json_object_get(r.json, "complaint");
	assert_string_equal(lic_str(it, "contact"), CONTACT);
	assert_string_equal(lic_str(it, "status"), "received");
	assert_string_equal(lic_str(it, "due_day"), "2026-03-23");
	assert_false(json_is_true(json_object_get(it, "overdue")));
	resp_free(&r);
	lic_get(&srv, "/api/v1/supervision/complaints?status=received", 200, &r);
	assert_non_null(strstr(r.body, ticket));
	resp_free(&r);

	/* another department does not */
	lic_as(&srv, "supervisor");
	lic_get(&srv, path, 404, NULL);
	lic_get(&srv, "/api/v1/supervision/complaints", 200, &r);
	assert_null(strstr(r.body, ticket));
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/supervision/complaints/%s/accept", ticket);
	lic_post(&srv, path, NULL, 404, "complaint_not_found", NULL);

	/* an auditor reads it, never the contact */
	lic_as(&srv, "auditor");
	snprintf(path, sizeof(path), "/api/v1/supervision/complaints/%s", ticket);
	lic_get(&srv, path, 200, &r);
	assert_null(strstr(r.body, CONTACT));
	resp_free(&r);

	/* the reporter's lookup: status, no personal data; the key is needed */
	lic_as(&srv, NULL);
	snprintf(path, sizeof(path), "/api/v1/public/complaints/%s?key=%s", ticket, key);
	lic_get(&srv, path, 200, &r);
	assert_string_equal(lic_str(r.json, "status"), "received");
	assert_null(strstr(r.body, CONTACT));
	assert_null(json_object_get(r.json, "contact"));
	assert_null(json_object_get(r.json, "description"));
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/public/complaints/%s?key=WRONGKEY", ticket);
	http_req(&srv, "GET", path, NULL, NULL, 0, NULL, &r);
	assert_error(&r, 404, "complaint_not_found", NULL);
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/public/complaints/%s", ticket);
	lic_get(&srv, path, 404, NULL);
	lic_get(&srv, "/api/v1/public/complaints/TSNOSUCHONE1?key=x", 404, NULL);
	/* staff routes need a login */
	lic_get(&srv, "/api/v1/supervision/complaints", 401, NULL);
}

static void test_field_errors(void **state)
{
	static const char *const too_long_desc = "很";
	json_t *b;
	struct resp r;
	char *desc;

	(void)state;
	reset_limit();
	lic_as(&srv, NULL);
	b = json_pack("{s:s,s:s}", "uscc", shop.uscc, "description", "一二三四五六七八九十");
	http_json(&srv, "POST", "/api/v1/public/complaints", b, &r);
	assert_error(&r, 400, "required", "matter");
	resp_free(&r);
	b = json_pack("{s:s,s:s}", "matter", "出版物零售", "description", "一二三四五六七八九十");
	http_json(&srv, "POST", "/api/v1/public/complaints", b, &r);
	assert_error(&r, 400, "required", "license_number");
	resp_free(&r);
	b = json_pack("{s:s,s:s,s:s}", "uscc", "91310104MA1FL0000X", "matter", "出版物零售",
		      "description", "一二三四五六七八九十");
	http_json(&srv, "POST", "/api/v1/public/complaints", b, &r);
	assert_int_equal(r.status, 400);
	assert_string_equal(lic_str(json_object_get(r.json, "error"), "field"), "uscc");
	resp_free(&r);
	b = json_pack("{s:s,s:s,s:s}", "license_number", "XK-310104-2026-999999", "matter",
		      "出版物零售", "description", "一二三四五六七八九十");
	http_json(&srv, "POST", "/api/v1/public/complaints", b, &r);
	assert_error(&r, 404, "entity_not_licensed", "license_number");
	resp_free(&r);
	file(shop.uscc, "卫星发射", NULL, 400, "unknown_matter", &r);
	assert_error(&r, 400, "unknown_matter", "matter");
	resp_free(&r);
	desc = calloc(1, 2001 * 3 + 1);
	for (int i = 0; i < 2001; i++)
		strcat(desc, too_long_desc);
	b = json_pack("{s:s,s:s,s:s}", "uscc", shop.uscc, "matter", "出版物零售", "description",
		      desc);
	free(desc);
	http_json(&srv, "POST", "/api/v1/public/complaints", b, &r);
	assert_error(&r, 400, "too_long", "description");
	resp_free(&r);
	b = json_pack("{s:s,s:s,s:s}", "uscc", shop.uscc, "matter", "出版物零售", "description",
		      "短");
	http_json(&srv, "POST", "/api/v1/public/complaints", b, &r);
	assert_error(&r, 400, "too_short", "description");
	resp_free(&r);
	b = json_pack("{s:s,s:s,s:s,s:s}", "uscc", shop.uscc, "matter", "出版物零售", "description",
		      "一二三四五六七八九十", "photo", "x");
	http_json(&srv, "POST", "/api/v1/public/complaints", b, &r);
	assert_error(&r, 400, "unknown_field", "photo");
	resp_free(&r);
	/* nothing of the refused ones was stored, none counted */
	assert_int_equal(server_sql_long(&srv, "SELECT COUNT(*) FROM complaint_limits"), 0);
}

static void test_close_substantiated(void **state)
{
	char path[200], sql[300], ticket[32], key[64];
	long before;
	struct resp r;
	json_t *b;

	(void)state;
	reset_limit();
	file_shop(ticket, key);
	lic_as(&srv, "supervisor_whlyj");
	snprintf(path, sizeof(path), "/api/v1/supervision/complaints/%s/accept", ticket);
	lic_post(&srv, path, NULL, 200, NULL, &r);
	assert_string_equal(lic_str(json_object_get(r.json, "complaint"), "status"), "accepted");
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/supervision/complaints/%s/close", ticket);
	lic_post(&srv, path, json_pack("{s:s,s:s}", "outcome", "maybe", "reply", "x"), 400,
		 "invalid_outcome", NULL);
	lic_post(&srv, path, json_pack("{s:s}", "outcome", "substantiated"), 400, "required", NULL);
	before = server_sql_long(&srv, "SELECT COUNT(*) FROM supervision_events WHERE kind = "
				       "'complaint_closed'");
	b = json_pack("{s:s,s:s}", "outcome", "substantiated", "reply",
		      "经现场核查，反映情况属实，已责令改正并依法处理。");
	lic_post(&srv, path, b, 200, NULL, &r);
	assert_string_equal(lic_str(json_object_get(r.json, "complaint"), "status"), "closed");
	resp_free(&r);
	assert_int_equal(server_sql_long(&srv, "SELECT COUNT(*) FROM supervision_events WHERE "
					       "kind = 'complaint_closed'"),
			 before + 1);
	/* the published record names neither the reporter nor the text */
	assert_int_equal(server_sql_long(&srv,
					 "SELECT COUNT(*) FROM supervision_events WHERE "
					 "kind = 'complaint_closed' AND (detail LIKE '%" CONTACT
					 "%' OR detail LIKE '%盗版%')"),
			 0);
	/* a credit record of the entity, from the handling department */
	snprintf(sql, sizeof(sql),
		 "SELECT COUNT(*) FROM credit_records WHERE kind = 'complaint_substantiated' AND "
		 "ref = '%s' AND uscc = '%s' AND department = 'whlyj'",
		 ticket, shop.uscc);
	assert_int_equal(server_sql_long(&srv, sql), 1);
	/* each change has its audit entry, naming the ticket, never the contact */
	snprintf(sql, sizeof(sql),
		 "SELECT COUNT(*) FROM audit_log WHERE object = 'complaint:%s' AND "
		 "action IN ('complaint.file', 'complaint.accept', 'complaint.close') AND outcome "
		 "= 'ok'",
		 ticket);
	assert_int_equal(server_sql_long(&srv, sql), 3);
	assert_int_equal(server_sql_long(&srv, "SELECT COUNT(*) FROM audit_log WHERE "
					       "detail LIKE '%" CONTACT "%'"),
			 0);
	/* closed once */
	b = json_pack("{s:s,s:s}", "outcome", "unsubstantiated", "reply", "再次");
	lic_post(&srv, path, b, 409, "complaint_closed", NULL);

	/* the reporter sees the outcome and the reply */
	lic_as(&srv, NULL);
	snprintf(path, sizeof(path), "/api/v1/public/complaints/%s?key=%s", ticket, key);
	lic_get(&srv, path, 200, &r);
	assert_string_equal(lic_str(r.json, "status"), "closed");
	assert_string_equal(lic_str(r.json, "outcome"), "substantiated");
	assert_non_null(strstr(lic_str(r.json, "reply"), "属实"));
	assert_string_equal(lic_str(r.json, "closed_on"), LIC_TODAY);
	assert_null(strstr(r.body, CONTACT));
	resp_free(&r);
}

static void test_transfer(void **state)
{
	char path[200], ticket[32], key[64];
	struct resp r;

	(void)state;
	reset_limit();
	file_shop(ticket, key);
	lic_as(&srv, "supervisor_whlyj");
	snprintf(path, sizeof(path), "/api/v1/supervision/complaints/%s/transfer", ticket);
	lic_post(&srv, path, json_pack("{s:s,s:s}", "department", "nosuch", "reason", "x"), 400,
		 "unknown_department", NULL);
	lic_post(&srv, path, json_pack("{s:s,s:s}", "department", "whlyj", "reason", "x"), 409,
		 "same_department", NULL);
	lic_post(&srv, path,
		 json_pack("{s:s,s:s}", "department", "lhsrj", "reason", "反映的是招牌问题"), 200,
		 NULL, &r);
	assert_string_equal(
	    lic_str(json_array_get(
			json_object_get(json_object_get(r.json, "complaint"), "departments"), 0),
		    "code"),
	    "lhsrj");
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/supervision/complaints/%s", ticket);
	lic_get(&srv, path, 404, NULL);
	lic_as(&srv, "supervisor_lhsrj");
	lic_get(&srv, path, 200, &r);
	assert_string_equal(lic_str(json_object_get(r.json, "complaint"), "contact"), CONTACT);
	resp_free(&r);
}

static void test_overdue(void **state)
{
	char path[200], sql[300], ticket[32], key[64];
	struct resp r;

	(void)state;
	reset_limit();
	file_shop(ticket, key);
	snprintf(sql, sizeof(sql),
		 "UPDATE complaints SET due_day = '2026-02-27' WHERE ticket = '%s'", ticket);
	server_sql_long(&srv, sql);
	lic_as(&srv, "supervisor_whlyj");
	lic_get(&srv, "/api/v1/supervision/complaints?overdue=1", 200, &r);
	assert_non_null(strstr(r.body, ticket));
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/supervision/complaints/%s", ticket);
	lic_get(&srv, path, 200, &r);
	assert_true(json_is_true(json_object_get(json_object_get(r.json, "complaint"), "overdue")));
	resp_free(&r);
	lic_get(&srv, "/api/v1/supervision/complaints?status=nope", 400, NULL);
}

/* The flags of uscc as supervisor_whlyj sees them (a new reference). */
static json_t *flags_of(const char *uscc)
{
	char path[200];
	struct resp r;
	json_t *f;

	lic_as(&srv, "supervisor_whlyj");
	snprintf(path, sizeof(path), "/api/v1/supervision/risk/%s", uscc);
	lic_get(&srv, path, 200, &r);
	f = json_incref(json_object_get(json_object_get(r.json, "entity"), "flags"));
	resp_free(&r);
	return f;
}

static const json_t *flag(const json_t *flags, const char *code)
{
	const json_t *f;
	size_t i;

	json_array_foreach (flags, i, f)
		if (strcmp(lic_str(f, "code"), code) == 0)
			return f;
	return NULL;
}

static void test_risk_complaints(void **state)
{
	char t1[32], t2[32], path[200];
	json_t *flags;
	struct resp r;

	(void)state;
	reset_limit();
	flags = flags_of(other.uscc);
	assert_int_equal(json_array_size(flags), 0);
	json_decref(flags);
	file(other.uscc, "出版物零售", NULL, 201, NULL, &r);
	snprintf(t1, sizeof(t1), "%s", lic_str(r.json, "ticket"));
	resp_free(&r);
	flags = flags_of(other.uscc);
	assert_null(flag(flags, "repeated_complaints"));
	json_decref(flags);
	file(other.uscc, "出版物零售", NULL, 201, NULL, &r);
	snprintf(t2, sizeof(t2), "%s", lic_str(r.json, "ticket"));
	resp_free(&r);
	flags = flags_of(other.uscc);
	assert_non_null(flag(flags, "repeated_complaints"));
	assert_non_null(strstr(lic_str(flag(flags, "repeated_complaints"), "ref"), t1));
	assert_non_null(strstr(lic_str(flag(flags, "repeated_complaints"), "cause"), t2));
	assert_string_equal(lic_str(flag(flags, "repeated_complaints"), "since"), LIC_TODAY);
	assert_true(strlen(lic_str(flag(flags, "repeated_complaints"), "label")) > 0);
	json_decref(flags);

	/* the department's list names it with its cause; another department's
	 * list is not the caller's to read */
	lic_get(&srv, "/api/v1/supervision/risk", 200, &r);
	assert_non_null(strstr(r.body, other.uscc));
	assert_non_null(strstr(r.body, t2));
	resp_free(&r);
	lic_get(&srv, "/api/v1/supervision/risk?department=scjgj", 403, NULL);
	lic_as(&srv, "auditor");
	lic_get(&srv, "/api/v1/supervision/risk?department=whlyj", 200, &r);
	assert_non_null(strstr(r.body, other.uscc));
	resp_free(&r);

	/* found groundless: no longer counted */
	lic_as(&srv, "supervisor_whlyj");
	snprintf(path, sizeof(path), "/api/v1/supervision/complaints/%s/close", t1);
	lic_post(&srv, path,
		 json_pack("{s:s,s:s}", "outcome", "unsubstantiated", "reply", "经核查不属实。"),
		 200, NULL, NULL);
	flags = flags_of(other.uscc);
	assert_null(flag(flags, "repeated_complaints"));
	json_decref(flags);
}

static void test_risk_verification(void **state)
{
	char sql[400];
	json_t *flags;
	const json_t *f;

	(void)state;
	/* an open 告知承诺 verification task of the entity's application,
	 * due before today (the applications module's own table) */
	snprintf(sql, sizeof(sql),
		 "INSERT INTO tasks (district, application_id, kind, role, department, state, "
		 "due_day, created_at) VALUES ('310104', %lld, 'verification', 'inspector', "
		 "'whlyj', 'open', '2026-02-20', 0)",
		 other_app);
	server_sql_long(&srv, sql);
	flags = flags_of(other.uscc);
	f = flag(flags, "unverified_commitment");
	assert_non_null(f);
	assert_string_equal(lic_str(f, "since"), "2026-02-21");
	assert_non_null(strstr(lic_str(f, "cause"), "2026-02-20"));
	assert_non_null(strstr(lic_str(f, "ref"), "task:"));
	json_decref(flags);
	/* closed: the flag goes */
	server_sql_long(&srv, "UPDATE tasks SET state = 'closed' WHERE kind = 'verification' AND "
			      "due_day = '2026-02-20'");
	flags = flags_of(other.uscc);
	assert_null(flag(flags, "unverified_commitment"));
	json_decref(flags);
}

static void test_risk_abnormal(void **state)
{
	char sql[400];
	json_t *flags;
	const json_t *f;

	(void)state;
	/* an entry of the credit module's abnormal list (经营异常名录) */
	snprintf(sql, sizeof(sql),
		 "INSERT INTO abnormal_list (district, uscc, entity_name, year, reason, listed_on) "
		 "VALUES ('310104', '%s', '%s', 2025, '未按时报送年度报告', '2025-07-01')",
		 other.uscc, other.name);
	server_sql_long(&srv, sql);
	flags = flags_of(other.uscc);
	f = flag(flags, "abnormal_list");
	assert_non_null(f);
	assert_string_equal(lic_str(f, "since"), "2025-07-01");
	assert_non_null(strstr(lic_str(f, "ref"), "abnormal:"));
	assert_non_null(strstr(lic_str(f, "cause"), "2025-07-01"));
	json_decref(flags);
	/* removed (the report was filed): the flag goes */
	snprintf(sql, sizeof(sql),
		 "UPDATE abnormal_list SET removed_on = '2026-03-01' WHERE uscc = '%s'",
		 other.uscc);
	server_sql_long(&srv, sql);
	flags = flags_of(other.uscc);
	assert_null(flag(flags, "abnormal_list"));
	json_decref(flags);
}

static void test_risk_checks(void **state)
{
	char sql[600];
	json_t *flags;
	const json_t *f;

	(void)state;
	/* rows of the plans module's check_tasks: a failed result recorded
	 * on 10 February, and the follow-up after a 责令整改 due 25 February,
	 * not done */
	snprintf(
	    sql, sizeof(sql),
	    "INSERT INTO check_tasks (district, plan_id, kind, uscc, entity_name, check_items, "
	    "due_on, status, outcome, done_on, created_at) VALUES ('310104', 0, 'random', "
	    "'%s', '', '[]', '2026-02-10', 'done', 'failed', '2026-02-10', 0)",
	    other.uscc);
	server_sql_long(&srv, sql);
	snprintf(
	    sql, sizeof(sql),
	    "INSERT INTO check_tasks (district, plan_id, kind, uscc, entity_name, check_items, "
	    "due_on, status, created_at) VALUES ('310104', 0, 'follow_up', '%s', '', '[]', "
	    "'2026-02-25', 'open', 0)",
	    other.uscc);
	server_sql_long(&srv, sql);
	flags = flags_of(other.uscc);
	f = flag(flags, "failed_check");
	assert_non_null(f);
	assert_string_equal(lic_str(f, "since"), "2026-02-10");
	assert_non_null(strstr(lic_str(f, "ref"), "check:"));
	f = flag(flags, "overdue_rectification");
	assert_non_null(f);
	assert_string_equal(lic_str(f, "since"), "2026-02-26");
	assert_non_null(strstr(lic_str(f, "cause"), "2026-02-25"));
	json_decref(flags);
	/* the follow-up done: the rectification is no longer overdue */
	snprintf(sql, sizeof(sql),
		 "UPDATE check_tasks SET status = 'done', outcome = 'passed', done_on = "
		 "'2026-03-01' WHERE uscc = '%s' AND kind = 'follow_up'",
		 other.uscc);
	server_sql_long(&srv, sql);
	flags = flags_of(other.uscc);
	assert_null(flag(flags, "overdue_rectification"));
	assert_non_null(flag(flags, "failed_check"));
	json_decref(flags);
}

static void test_rate_limit(void **state)
{
	char ra[32];
	struct resp r;

	(void)state;
	reset_limit();
	for (int i = 0; i < RATE; i++) {
		file(other.uscc, "出版物零售", NULL, 201, NULL, &r);
		resp_free(&r);
	}
	file(other.uscc, "出版物零售", NULL, 429, "too_many_complaints", &r);
	assert_int_equal(resp_header(&r, "Retry-After", ra, sizeof(ra)), 0);
	assert_true(atoi(ra) >= 1 && atoi(ra) <= 3600);
	resp_free(&r);
	/* the refused attempt was not counted */
	assert_int_equal(server_sql_long(&srv, "SELECT filed FROM complaint_limits"), RATE);
}

/* Who may call the staff routes (the route table's permissions; the role
 * matrix walks every route with a dummy id, this checks real answers). */
static void test_roles(void **state)
{
	static const struct {
		const char *user;
		long list, risk, accept;
	} rows[] = {
	    {"applicant", 403, 403, 403},     {"clerk", 403, 403, 403},
	    {"reviewer", 403, 403, 403},      {"inspector", 403, 200, 403},
	    {"issuer", 403, 403, 403},        {"supervisor", 200, 200, 404},
	    {"catalog_admin", 403, 403, 403}, {"admin", 403, 403, 403},
	    {"auditor", 200, 200, 403},
	};
	char ticket[32], key[64], path[160];

	(void)state;
	reset_limit();
	file_shop(ticket, key);
	snprintf(path, sizeof(path), "/api/v1/supervision/complaints/%s/accept", ticket);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		lic_as(&srv, rows[i].user);
		lic_get(&srv, "/api/v1/supervision/complaints", rows[i].list, NULL);
		lic_get(&srv, "/api/v1/supervision/risk", rows[i].risk, NULL);
		/* the market regulator's supervisor: not routed to them, 404 */
		lic_post(&srv, path, NULL, rows[i].accept, NULL, NULL);
	}
	/* the public routes need no account */
	lic_as(&srv, NULL);
	lic_get(&srv, "/api/v1/public/complaints/entities?q=书店", 200, NULL);
}

static int setup(void **state)
{
	json_t *lic;

	(void)state;
	setenv("YIYE_TODAY", LIC_TODAY, 1);
	setenv("YIYE_COMPLAINT_RATE", "6", 1);
	if (server_start(&srv, 1, NULL) != 0)
		return -1;
	lic = lic_issue(&srv, lic_approved_shudian(&srv, "徐汇投诉测试书店有限公司", &shop));
	json_decref(lic);
	other_app = lic_approved_shudian(&srv, "徐汇风险测试书店有限公司", &other);
	lic = lic_issue(&srv, other_app);
	json_decref(lic);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	server_stop(&srv, 0);
	unsetenv("YIYE_COMPLAINT_RATE");
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_file_and_route),
	    cmocka_unit_test(test_field_errors),
	    cmocka_unit_test(test_close_substantiated),
	    cmocka_unit_test(test_transfer),
	    cmocka_unit_test(test_overdue),
	    cmocka_unit_test(test_risk_complaints),
	    cmocka_unit_test(test_risk_verification),
	    cmocka_unit_test(test_risk_abnormal),
	    cmocka_unit_test(test_risk_checks),
	    cmocka_unit_test(test_roles),
	    cmocka_unit_test(test_rate_limit),
	};

	curl_global_init(CURL_GLOBAL_DEFAULT);
	return cmocka_run_group_tests(tests, setup, teardown);
}
