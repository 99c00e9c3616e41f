/*
 * test_statistics.c — the statistics (issue 15 point 1, docs/api-statistics.md)
 * on a small hand-built history with answers worked out by hand, on both
 * backends. The rows are written with SQL (as a migration or another node
 * would), because the history needs dates the workflow only reaches in real
 * time: submissions around the 2025 National Day holiday (国庆节、中秋节,
 * 1–8 October, make-up workdays Sunday 28 September and Saturday 11 October)
 * and a 补正 pause.
 *
 * Cohort 2025-09-01 .. 2025-10-31, district 310104:
 *   A1 shudian  submitted Fri 2025-09-26, licensed Tue 2025-10-14: working
 *      days 28.9 (make-up), 29.9, 30.9, 9.10, 10.10, 11.10 (make-up), 13.10,
 *      14.10 = 8; limit 10 -> on time; walk-in; 2 fields pre-filled; street
 *      xjh; departments scjgj, whlyj
 *   A2 shudian  submitted Mon 2025-09-01, licensed Fri 2025-09-19: 14 working
 *      days less 3 paused in one 补正 round = 11 > 10 -> late; collected at
 *      the window; department scjgj
 *   A3 bianlidian submitted 2025-09-10, licensed 2025-09-12: 2 days, on time;
 *      1 field pre-filled; department wsjkw; its license revoked 2025-10-20
 *   A4 shudian  submitted 2025-09-15, rejected after 2 rounds; department whlyj
 *   A5 a draft (never submitted) and A6 licensed in 2024: not in the cohort
 * Duration: n 3, mean 7, median 8, p90 11, on time 2/3, paused 3/3 = 1,
 * rounds (0+1+0)/3. Notices: N1 (A1, A2, A4) asks 2 of 3 materials (one
 * exempt) and has 3 fields; N2 (A3) 1 material, 2 fields: materials asked 7,
 * fields 11, pre-filled 3. N1's exempt M2 was obtained by sharing for A1, A4
 * (and A6, outside): obtained by sharing 2, not taken off asked again.
 * Trips: 1 walk-in + 1 window hand-over = 2 over 4.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness_license.h"

static struct server srv;

#define RANGE "from=2025-09-01&to=2025-10-31"

static void sql(const char *q)
{
	server_sql_long(&srv, q);
}

/* The history here is written in SQL, past the workflow that keeps the
 * statistics' fact rows (stats_facts) current: after such writes the facts
 * are dropped, as `yiye statistics rebuild` does, and the next request
 * derives them again from the rows written. */
static void facts_stale(void)
{
	sql("DELETE FROM stats_facts_meta");
}

static void get(const char *path, long status, struct resp *r)
{
	assert_int_equal(http_req(&srv, "GET", path, NULL, NULL, 0, NULL, r), 0);
	if (r->status != status)
		fprintf(stderr, "GET %s: %ld %.*s\n", path, r->status, (int)r->len, r->body);
	assert_int_equal(r->status, status);
}

static const json_t *at(const json_t *o, const char *path)
{
	char key[64];
	const char *dot;

	while (o != NULL && (dot = strchr(path, '.')) != NULL) {
		snprintf(key, sizeof(key), "%.*s", (int)(dot - path), path);
		o = json_object_get(o, key);
		path = dot + 1;
	}
	return o ? json_object_get(o, path) : NULL;
}

static void expect_int(const json_t *o, const char *path, long long v)
{
	const json_t *j = at(o, path);

	if (!json_is_integer(j) || json_integer_value(j) != v)
		fprintf(stderr, "%s: expected %lld\n", path, v);
	assert_true(json_is_integer(j));
	assert_int_equal(json_integer_value(j), v);
}

static void expect_num(const json_t *o, const char *path, double v)
{
	const json_t *j = at(o, path);

	if (!json_is_number(j) || json_number_value(j) < v - 0.00005 ||
	    json_number_value(j) > v + 0.00005)
		fprintf(stderr, "%s: expected %g, got %g\n", path, v, json_number_value(j));
	assert_true(json_is_number(j));
	assert_true(json_number_value(j) > v - 0.00005 && json_number_value(j) < v + 0.00005);
}

#define NOTICE1                                                                                  \
	"{\"materials\":[{\"id\":\"M1\",\"exempt\":false},{\"id\":\"M2\",\"exempt\":true,"       \
	"\"shared_from\":\"entity_register\"},"                                                  \
	"{\"id\":\"M3\",\"exempt\":false}],\"fields\":[{\"id\":\"F_a\"},{\"id\":\"F_b\"},"       \
	"{\"id\":\"F_c\"}],\"savings\":{\"before\":{\"permits\":3,\"days\":40,\"materials\":10," \
	"\"fields\":30,\"steps\":8,\"trips\":4},\"after\":{\"permits\":1,\"days\":10,"           \
	"\"materials\":4,\"fields\":10,\"steps\":4,\"trips\":1},\"modelled\":[\"steps\"]}}"
#define NOTICE2                                                                                 \
	"{\"materials\":[{\"id\":\"M1\",\"exempt\":false}],\"fields\":[{\"id\":\"F_a\"},"       \
	"{\"id\":\"F_b\"}],\"savings\":{\"before\":{\"permits\":2,\"days\":20,\"materials\":6," \
	"\"fields\":20,\"steps\":6,\"trips\":3},\"after\":{\"permits\":1,\"days\":5,"           \
	"\"materials\":2,\"fields\":5,\"steps\":3,\"trips\":1},\"modelled\":[]}}"

/* One application row: id, number, industry, status, clock start (or NULL),
 * limit, paused, rounds, walk-in, prefilled, form, notice hash. */
static void app(int id, const char *industry, const char *status, const char *start, int limit,
		int paused, int rounds, int walk_in, const char *prefilled, const char *form,
		const char *notice)
{
	char q[2048], startv[32];

	snprintf(startv, sizeof(startv), start ? "'%s'" : "NULL", start ? start : "");
	snprintf(
	    q, sizeof(q),
	    "INSERT INTO applications (id, district, number, year, serial, applicant_id, "
	    "created_by, walk_in, industry, catalog_version, answers, form, prefilled, status, "
	    "rounds, time_limit_days, clock_start, clock_limit, clock_paused, clock_stopped, "
	    "created_at, updated_at, notice_hash, kind) VALUES (%d, '310104', '310104-2025-9%05d', "
	    "2025, %d, (SELECT min(id) FROM users), (SELECT min(id) FROM users), %d, '%s', 1, "
	    "'{}', '%s', '%s', '%s', %d, %d, %s, %d, %d, 1, 1756684800, 1756684800, '%s', 'new')",
	    id, id, 900000 + id, walk_in, industry, form, prefilled, status, rounds, limit, startv,
	    limit, paused, notice);
	sql(q);
}

static void dept(int app_id, const char *d)
{
	char q[256];

	snprintf(q, sizeof(q),
		 "INSERT INTO application_departments (district, application_id, department, "
		 "position) VALUES ('310104', %d, '%s', 0)",
		 app_id, d);
	sql(q);
}

/* Material mid of application app_id obtained by sharing (as exempt.c
 * records it when the application is created). */
static void shared(int app_id, const char *mid)
{
	char q[1024];

	snprintf(q, sizeof(q),
		 "INSERT INTO application_shared_materials (district, application_id, "
		 "material_id, source, register, register_source, uscc, record, obtained_at) "
		 "VALUES ('310104', %d, '%s', '市场主体登记信息共享', 'entity_register', "
		 "'import', 'USCC%d', '{}', 1756684800)",
		 app_id, mid, app_id);
	sql(q);
}

/* A license of application app_id issued on `day`, current with `status`,
 * and its issue event at noon of that day (Asia/Shanghai). */
static void license(int n, int app_id, const char *industry, const char *day, const char *status,
		    long long at)
{
	char q[2048];

	snprintf(
	    q, sizeof(q),
	    "INSERT INTO licenses (id, district, number, version, is_current, eid, status, "
	    "application_id, holder_name, holder_uscc, industry, year, serial, valid_from, "
	    "issued_on, doc, sig, kid, issued_at, updated_at) VALUES (%d, '310104', 'XK-T%d', 1, "
	    "1, 'eid-t%d', '%s', %d, '测试书店', 'USCC%d', '%s', 2025, %d, '%s', '%s', '{}', "
	    "'sig', 'kid', %lld, %lld)",
	    900 + n, n, n, status, app_id, n, industry, 900 + n, day, day, at, at);
	sql(q);
	snprintf(q, sizeof(q),
		 "INSERT INTO license_events (district, seq, number, version, kind, status, at) "
		 "VALUES ('310104', %d, 'XK-T%d', 1, 'issue', 'valid', %lld)",
		 9000 + n, n, at);
	sql(q);
}

static void build_history(void)
{
	sql("INSERT INTO application_notices (district, hash, notice, created_at) VALUES "
	    "('310104', 'stats-n1', '" NOTICE1 "', 0)");
	sql("INSERT INTO application_notices (district, hash, notice, created_at) VALUES "
	    "('310104', 'stats-n2', '" NOTICE2 "', 0)");
	app(9001, "shudian", "licensed", "2025-09-26", 10, 0, 0, 1, "[\"F_a\",\"F_b\"]",
	    "{\"F_site_street\":\"xjh\",\"F_a\":\"x\"}", "stats-n1");
	app(9002, "shudian", "licensed", "2025-09-01", 10, 3, 1, 0, "[]", "{}", "stats-n1");
	app(9003, "bianlidian", "licensed", "2025-09-10", 10, 0, 0, 0, "[\"F_x\"]", "{}",
	    "stats-n2");
	app(9004, "shudian", "rejected", "2025-09-15", 10, 0, 2, 0, "[]", "{}", "stats-n1");
	app(9005, "shudian", "draft", NULL, 0, 0, 0, 0, "[]", "{}", "stats-n1");
	app(9006, "shudian", "licensed", "2024-05-06", 10, 0, 0, 0, "[]", "{}", "stats-n1");
	/* 免于提交: M2 obtained from the entity register for A1, A4 and A6 */
	shared(9001, "M2");
	shared(9004, "M2");
	shared(9006, "M2");
	dept(9001, "scjgj");
	dept(9001, "whlyj");
	dept(9002, "scjgj");
	dept(9003, "wsjkw");
	dept(9004, "whlyj");
	/* issue events at 12:00 Asia/Shanghai (04:00 UTC) of the issue day */
	license(1, 9001, "shudian", "2025-10-14", "valid", 1760414400);
	license(2, 9002, "shudian", "2025-09-19", "valid", 1758254400);
	license(3, 9003, "bianlidian", "2025-09-12", "revoked", 1757649600);
	license(6, 9006, "shudian", "2024-05-20", "valid", 1716177600);
	sql("INSERT INTO license_events (district, seq, number, version, kind, status, at) VALUES "
	    "('310104', 9100, 'XK-T3', 1, 'revoke', 'revoked', 1760932800)");
	sql("INSERT INTO license_handovers (district, number, version, is_current, method, at) "
	    "VALUES ('310104', 'XK-T2', 1, 1, 'window', 1758254400)");
	/* 好差评: A1 非常满意, A4 不满意 with an open 差评整改 for whlyj */
	sql("INSERT INTO ratings (id, district, application_id, applicant_id, level, rated_at, "
	    "rated_on, industry, app_status, departments) VALUES (9001, '310104', 9001, 1, 5, "
	    "1760932800, '2025-10-20', 'shudian', 'licensed', 'scjgj,whlyj')");
	sql("INSERT INTO ratings (id, district, application_id, applicant_id, level, rated_at, "
	    "rated_on, industry, app_status, departments) VALUES (9004, '310104', 9004, 1, 2, "
	    "1760932800, '2025-10-20', 'shudian', 'rejected', 'whlyj')");
	sql("INSERT INTO rating_followups (district, rating_id, application_id, department, state, "
	    "created_on, due_day, created_at) VALUES ('310104', 9004, 9004, 'whlyj', 'open', "
	    "'2025-10-20', '2025-10-27', 1760932800)");
	/* supervision: a drawn plan, two checks (passed; rectify) and an on-time
	 * follow-up, a penalty, a complaint filed Mon 29.9 and closed Fri 10.10
	 * (3 working days: 30.9, 9.10, 10.10), a 2024 annual report of the
	 * holder of A6's license, two grade-A entities, one of them checked */
	sql("INSERT INTO spot_plans (id, district, code, title, departments, ratios, per_check, "
	    "period_from, period_to, check_items, status, created_by, created_at, updated_at) "
	    "VALUES (9001, '310104', 'P-T1', '测试计划', '[\"scjgj\"]', '{}', 2, '2025-09-01', "
	    "'2025-12-31', '[]', 'drawn', 1, 1757649600, 1757649600)");
	sql("INSERT INTO spot_draws (district, plan_id, public_value, public_source, record, "
	    "checks, "
	    "drawn_by, drawn_at) VALUES ('310104', 9001, 'v', 's', '{}', 2, 1, 1757649600)");
	sql("INSERT INTO check_tasks (district, plan_id, kind, uscc, check_items, due_on, status, "
	    "outcome, done_on, created_at, industry) VALUES ('310104', 9001, 'random', 'USCC1', "
	    "'[]', "
	    "'2025-10-15', 'done', 'passed', '2025-10-10', 1757649600, 'shudian')");
	sql("INSERT INTO check_tasks (district, plan_id, kind, uscc, check_items, due_on, status, "
	    "outcome, done_on, created_at, industry) VALUES ('310104', 9001, 'random', 'USCC3', "
	    "'[]', "
	    "'2025-10-15', 'done', 'rectify', '2025-10-10', 1757649600, 'bianlidian')");
	sql("INSERT INTO check_tasks (district, plan_id, kind, uscc, check_items, due_on, status, "
	    "outcome, done_on, created_at, industry) VALUES ('310104', 9001, 'follow_up', 'USCC3', "
	    "'[]', '2025-10-30', 'done', 'passed', '2025-10-28', 1757649600, 'bianlidian')");
	sql("INSERT INTO penalties (district, decision_no, uscc, entity_name, department, facts, "
	    "basis, kind, amount, decided_on, created_at) VALUES ('310104', 'D-T1', 'USCC3', 'x', "
	    "'scjgj', 'f', 'b', 'fine', 5000, '2025-10-09', 1757649600)");
	sql("INSERT INTO complaints (id, district, ticket, key_hash, uscc, entity_name, "
	    "license_number, industry, matter, description, status, outcome, filed_on, due_day, "
	    "created_at, closed_on, updated_at) VALUES (9001, '310104', 'T-1', 'k', 'USCC1', 'x', "
	    "'XK-T1', 'shudian', 'm', 'd', 'closed', 'substantiated', '2025-09-29', '2025-10-20', "
	    "1759104000, '2025-10-10', 1759104000)");
	sql("INSERT INTO annual_reports (district, uscc, entity_name, year, industry, filed_on, "
	    "filed_at) VALUES ('310104', 'USCC6', 'x', 2024, 'shudian', '2025-03-01', 1740787200)");
	sql("INSERT INTO credit_grades (district, uscc, grade, since, updated_at) VALUES "
	    "('310104', 'USCC1', 'A', '2025-01-01', 0)");
	sql("INSERT INTO credit_grades (district, uscc, grade, since, updated_at) VALUES "
	    "('310104', 'USCC9', 'A', '2025-01-01', 0)");
}

static void test_overview_known_answers(void **state)
{
	struct resp r;

	(void)state;
	lic_as(&srv, "auditor");
	get("/api/v1/statistics/overview?" RANGE, 200, &r);
	expect_int(r.json, "applications.total", 4);
	expect_int(r.json, "applications.by_status.licensed", 3);
	expect_int(r.json, "applications.by_status.rejected", 1);
	expect_int(r.json, "applications.by_kind.new", 4);
	expect_int(r.json, "licenses.issued", 3);
	expect_int(r.json, "licenses.revoked", 1);
	expect_int(r.json, "licenses.changed", 0);
	expect_int(r.json, "duration.n", 3);
	expect_num(r.json, "duration.mean_days", 7.0);
	expect_int(r.json, "duration.median_days", 8);
	expect_int(r.json, "duration.p90_days", 11);
	expect_num(r.json, "duration.on_time_rate", 0.6667);
	expect_num(r.json, "duration.paused_days_mean", 1.0);
	expect_num(r.json, "duration.supplement_rounds_mean", 0.33);
	expect_int(r.json, "trips.walk_in", 1);
	expect_int(r.json, "trips.window_handover", 1);
	expect_num(r.json, "trips.per_application", 0.5);
	expect_int(r.json, "materials.asked", 7);
	expect_int(r.json, "materials.obtained_by_sharing", 2);
	assert_true(json_is_true(at(r.json, "materials.sharing_recorded")));
	expect_int(r.json, "fields.filled", 11);
	expect_int(r.json, "fields.prefilled", 3);
	expect_num(r.json, "fields.prefilled_rate", 0.2727);
	expect_num(r.json, "savings.promised.before.permits", 2.75);
	expect_num(r.json, "savings.promised.before.days", 35.0);
	expect_num(r.json, "savings.promised.after.days", 8.75);
	assert_true(json_is_true(at(r.json, "savings.promised.modelled")));
	assert_string_equal(
	    json_string_value(json_array_get(at(r.json, "savings.promised.modelled_measures"), 0)),
	    "steps");
	expect_num(r.json, "savings.measured.days", 7.0);
	expect_num(r.json, "savings.measured.materials", 1.75);
	expect_num(r.json, "savings.measured.fields", 2.0);
	expect_num(r.json, "savings.measured.trips", 0.5);
	expect_int(r.json, "supervision.plans", 1);
	expect_int(r.json, "supervision.draws", 1);
	expect_int(r.json, "supervision.checks", 3);
	expect_int(r.json, "supervision.findings", 1);
	expect_num(r.json, "supervision.rectification.on_time_rate", 1.0);
	expect_int(r.json, "supervision.penalties", 1);
	expect_int(r.json, "supervision.penalty_amount", 5000);
	expect_int(r.json, "supervision.complaints.total", 1);
	expect_num(r.json, "supervision.complaints.handling_days_mean", 3.0);
	expect_num(r.json, "supervision.complaints.on_time_rate", 1.0);
	expect_int(r.json, "supervision.annual_reports.year", 2024);
	expect_int(r.json, "supervision.annual_reports.expected", 1);
	expect_num(r.json, "supervision.annual_reports.filing_rate", 1.0);
	expect_num(r.json, "supervision.coverage.A.rate", 0.5);
	expect_int(r.json, "satisfaction.ratings", 2);
	expect_int(r.json, "satisfaction.by_level.5", 1);
	expect_int(r.json, "satisfaction.by_level.2", 1);
	expect_num(r.json, "satisfaction.satisfied_rate", 0.5);
	expect_int(r.json, "satisfaction.followups_open", 1);
	resp_free(&r);
}

static void test_filters(void **state)
{
	struct resp r;

	(void)state;
	lic_as(&srv, "auditor");
	get("/api/v1/statistics/overview?" RANGE "&industry=shudian", 200, &r);
	expect_int(r.json, "applications.total", 3);
	expect_int(r.json, "duration.n", 2);
	expect_num(r.json, "duration.mean_days", 9.5);
	expect_int(r.json, "licenses.issued", 2);
	expect_int(r.json, "licenses.revoked", 0);
	expect_int(r.json, "materials.obtained_by_sharing", 2);
	resp_free(&r);
	get("/api/v1/statistics/overview?" RANGE "&industry=bianlidian", 200, &r);
	expect_int(r.json, "materials.obtained_by_sharing", 0);
	resp_free(&r);
	get("/api/v1/statistics/overview?" RANGE "&department=scjgj", 200, &r);
	expect_int(r.json, "materials.obtained_by_sharing", 1);
	resp_free(&r);
	get("/api/v1/statistics/overview?" RANGE "&department=whlyj", 200, &r);
	expect_int(r.json, "applications.total", 2);
	expect_int(r.json, "duration.n", 1);
	expect_int(r.json, "duration.median_days", 8);
	expect_int(r.json, "satisfaction.ratings", 2);
	expect_int(r.json, "satisfaction.followups_open", 1);
	resp_free(&r);
	get("/api/v1/statistics/overview?" RANGE "&street=xjh", 200, &r);
	expect_int(r.json, "applications.total", 1);
	expect_int(r.json, "trips.walk_in", 1);
	expect_int(r.json, "materials.obtained_by_sharing", 1);
	resp_free(&r);
	/* a range of a year reads the table in storage order: the same figures */
	get("/api/v1/statistics/overview?from=2025-01-01&to=2025-12-31", 200, &r);
	expect_int(r.json, "applications.total", 4);
	expect_int(r.json, "duration.median_days", 8);
	expect_int(r.json, "duration.p90_days", 11);
	expect_int(r.json, "materials.asked", 7);
	resp_free(&r);
	get("/api/v1/statistics/overview?from=2024-01-01&to=2025-12-31&department=whlyj", 200, &r);
	expect_int(r.json, "applications.total", 2);
	expect_int(r.json, "materials.obtained_by_sharing", 2);
	resp_free(&r);
	/* A6's shared material joins with A6 */
	get("/api/v1/statistics/overview?from=2024-01-01&to=2025-12-31", 200, &r);
	expect_int(r.json, "materials.obtained_by_sharing", 3);
	expect_int(r.json, "materials.asked", 9);
	resp_free(&r);
	/* a range that ends before the holiday: A1 leaves the cohort */
	get("/api/v1/statistics/overview?from=2025-09-01&to=2025-09-20", 200, &r);
	expect_int(r.json, "applications.total", 3);
	expect_int(r.json, "licenses.issued", 2);
	expect_int(r.json, "materials.obtained_by_sharing", 1);
	resp_free(&r);

	/* a reviewer of scjgj sees scjgj only */
	lic_as(&srv, "reviewer_scjgj");
	get("/api/v1/statistics/overview?" RANGE, 200, &r);
	expect_int(r.json, "applications.total", 2);
	assert_string_equal(json_string_value(at(r.json, "filter.department")), "scjgj");
	resp_free(&r);
	get("/api/v1/statistics/overview?" RANGE "&department=whlyj", 403, &r);
	assert_error(&r, 403, "forbidden_department", "department");
	resp_free(&r);
	lic_as(&srv, "applicant");
	get("/api/v1/statistics/overview?" RANGE, 403, &r);
	resp_free(&r);
	lic_as(&srv, NULL);
	get("/api/v1/statistics/overview?" RANGE, 401, &r);
	resp_free(&r);

	/* bad values name their field */
	lic_as(&srv, "auditor");
	get("/api/v1/statistics/overview?from=2025-02-30", 400, &r);
	assert_error(&r, 400, "invalid_date", "from");
	resp_free(&r);
	get("/api/v1/statistics/overview?from=2025-10-01&to=2025-09-01", 400, &r);
	assert_error(&r, 400, "invalid_range", "to");
	resp_free(&r);
	get("/api/v1/statistics/overview?industry=a%27b", 400, &r);
	assert_error(&r, 400, "invalid_code", "industry");
	resp_free(&r);
	get("/api/v1/statistics/views/nothing", 404, &r);
	assert_error(&r, 404, "unknown_view", "view");
	resp_free(&r);
}

static void test_views(void **state)
{
	struct resp r;
	const json_t *row;
	size_t i;
	int seen = 0;

	(void)state;
	lic_as(&srv, "auditor");
	get("/api/v1/statistics/views/trends?" RANGE, 200, &r);
	assert_string_equal(json_string_value(at(r.json, "view")), "trends");
	assert_int_equal(json_array_size(at(r.json, "rows")), 2);
	row = json_array_get(at(r.json, "rows"), 0);
	assert_string_equal(json_string_value(json_object_get(row, "month")), "2025-09");
	expect_int(row, "applications", 4);
	expect_int(row, "licensed", 3);
	expect_int(row, "licenses_issued", 2);
	row = json_array_get(at(r.json, "rows"), 1);
	expect_int(row, "applications", 0);
	expect_int(row, "licenses_issued", 1);
	resp_free(&r);
	get("/api/v1/statistics/views/industries?" RANGE, 200, &r);
	json_array_foreach (at(r.json, "rows"), i, row) {
		if (strcmp(json_string_value(json_object_get(row, "industry")), "bianlidian") ==
		    0) {
			expect_int(row, "applications", 1);
			expect_int(row, "median_days", 2);
			seen++;
		}
	}
	assert_int_equal(seen, 1);
	resp_free(&r);
	get("/api/v1/statistics/views/savings?" RANGE, 200, &r);
	json_array_foreach (at(r.json, "rows"), i, row) {
		if (strcmp(json_string_value(json_object_get(row, "measure")), "steps") == 0)
			assert_true(json_is_true(json_object_get(row, "modelled")));
		if (strcmp(json_string_value(json_object_get(row, "measure")), "materials") == 0)
			expect_num(row, "measured", 1.75);
	}
	resp_free(&r);
	get("/api/v1/statistics/views/satisfaction?" RANGE, 200, &r);
	row = json_array_get(at(r.json, "rows"), 0);
	expect_int(row, "level", 5);
	expect_int(row, "count", 1);
	resp_free(&r);
}

/* The CSV's value column equals the API's figure, row by row. */
static void test_csv_equals_api(void **state)
{
	struct resp r, j;
	char *line, *save = NULL;
	int n = 0;

	(void)state;
	lic_as(&srv, "auditor");
	get("/api/v1/statistics/overview?" RANGE, 200, &j);
	get("/api/v1/statistics/overview.csv?" RANGE, 200, &r);
	assert_true(r.len > 3 && memcmp(r.body, "\xEF\xBB\xBF", 3) == 0);
	for (line = strtok_r(r.body + 3, "\r\n", &save); line;
	     line = strtok_r(NULL, "\r\n", &save)) {
		char key[64], value[64];
		const char *c1 = strchr(line, ','), *c2 = c1 ? strchr(c1 + 1, ',') : NULL;
		const char *c3 = c2 ? strchr(c2 + 1, ',') : NULL;
		const json_t *v;

		assert_non_null(c3);
		if (n++ == 0) {
			assert_string_equal(line, "指标代码,指标,数值,单位");
			continue;
		}
		snprintf(key, sizeof(key), "%.*s", (int)(c1 - line), line);
		snprintf(value, sizeof(value), "%.*s", (int)(c3 - c2 - 1), c2 + 1);
		v = at(j.json, key);
		if (json_is_null(v) || v == NULL)
			assert_string_equal(value, "");
		else
			assert_true(atof(value) > json_number_value(v) - 0.00005 &&
				    atof(value) < json_number_value(v) + 0.00005);
	}
	assert_true(n > 15);
	resp_free(&r);
	resp_free(&j);

	/* formula-safe: a cell that starts with = is written as text */
	sql("INSERT INTO applications (id, district, number, year, serial, applicant_id, "
	    "created_by, "
	    "industry, catalog_version, answers, status, clock_start, created_at, updated_at) "
	    "VALUES "
	    "(9100, '310104', '310104-2025-999100', 2025, 999100, (SELECT min(id) FROM users), "
	    "(SELECT min(id) FROM users), '=1+2', 1, '{}', 'submitted', '2025-10-30', 0, 0)");
	facts_stale();
	get("/api/v1/statistics/views/industries.csv?" RANGE, 200, &r);
	assert_non_null(strstr(r.body, "\n'=1+2,'=1+2,1,"));
	resp_free(&r);
	sql("DELETE FROM applications WHERE id = 9100");
	facts_stale();
}

/* The workbook, read back with openpyxl: the 概览 sheet's values and the
 * 行业对比 sheet equal the API's numbers. */
static void test_xlsx_equals_api(void **state)
{
	struct resp r, j, v;
	char path[300], cmd[700], *out = NULL;
	size_t cap = 0;
	json_t *book;
	FILE *f, *p;
	size_t i;
	const json_t *row;

	(void)state;
	lic_as(&srv, "auditor");
	get("/api/v1/statistics/overview?" RANGE, 200, &j);
	get("/api/v1/statistics/views/industries?" RANGE, 200, &v);
	get("/api/v1/statistics/overview.xlsx?" RANGE, 200, &r);
	snprintf(path, sizeof(path), "%s/stats.xlsx", srv.dir);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(r.body, 1, r.len, f), r.len);
	fclose(f);
	resp_free(&r);
	snprintf(
	    cmd, sizeof(cmd),
	    "/usr/bin/python3 -c 'import json,sys,openpyxl; "
	    "wb=openpyxl.load_workbook(sys.argv[1]); "
	    "print(json.dumps({ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws "
	    "in wb.worksheets}))' %s",
	    path);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_true(getline(&out, &cap, p) > 0);
	assert_int_equal(pclose(p), 0);
	book = json_loads(out, 0, NULL);
	free(out);
	assert_non_null(book);
	assert_int_equal(json_object_size(book), 8);
	json_array_foreach (json_object_get(book, "概览"), i, row) {
		const json_t *api;

		if (i == 0) {
			assert_string_equal(json_string_value(json_array_get(row, 2)), "数值");
			continue;
		}
		api = at(j.json, json_string_value(json_array_get(row, 0)));
		if (api == NULL || json_is_null(api))
			assert_true(json_is_null(json_array_get(row, 2)));
		else
			assert_true(json_number_value(json_array_get(row, 2)) ==
				    json_number_value(api));
	}
	assert_true(json_array_size(json_object_get(book, "概览")) > 15);
	/* 行业对比: the same rows, the same numbers, in column order */
	{
		const json_t *sheet = json_object_get(book, "行业对比"),
			     *cols = at(v.json, "columns");
		const json_t *rows = at(v.json, "rows");

		assert_int_equal(json_array_size(sheet), json_array_size(rows) + 1);
		for (size_t k = 0; k < json_array_size(rows); k++)
			for (size_t c = 0; c < json_array_size(cols); c++) {
				const json_t *a = json_object_get(
				    json_array_get(rows, k), json_string_value(json_object_get(
								 json_array_get(cols, c), "key")));
				const json_t *x = json_array_get(json_array_get(sheet, k + 1), c);

				if (json_is_number(a))
					assert_true(json_number_value(a) == json_number_value(x));
				else if (json_is_string(a))
					assert_string_equal(json_string_value(a),
							    json_string_value(x));
				else
					assert_true(json_is_null(x));
			}
	}
	json_decref(book);
	resp_free(&j);
	resp_free(&v);
}

/* Concurrent first requests ----------------------------------------------- */

#define BURST 8

struct burst {
	struct server me; /* a copy of the server with a handle of its own */
	pthread_barrier_t *go;
	long status;
};

static void *first_request(void *arg)
{
	struct burst *b = arg;
	struct resp r;

	b->me.curl = curl_easy_init();
	if (b->me.curl == NULL) /* no cmocka assertions off the main thread */
		abort();
	pthread_barrier_wait(b->go);
	if (http_req(&b->me, "GET", "/api/v1/statistics/overview?" RANGE, NULL, NULL, 0, NULL,
		     &r) == 0)
		b->status = r.status;
	resp_free(&r);
	curl_easy_cleanup(b->me.curl);
	return NULL;
}

/* The whole of a file, or NULL. Caller frees. */
static char *log_text(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (f == NULL)
		return NULL;
	do {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap + 1);
			if (buf == NULL)
				abort();
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	fclose(f);
	buf[len] = '\0';
	return buf;
}

/* A calendar year imported after the figures were read changes them: A6
 * (submitted Mon 2024-05-06, licensed Mon 2024-05-20) took 10 working days
 * on weekdays alone; the 2024 calendar (国务院办公厅关于2024年部分节假日安排的
 * 通知: 4月28日、5月11日 make-up workdays) adds Sat 05-11, so 11. The import
 * rebuilds the ordinals, which unsettles every licensed fact row, which the
 * next request settles on the new calendar. `yiye statistics rebuild`
 * derives the same figures from the sources. */
static void test_calendar_change_resettles(void **state)
{
	static const char year2024[] =
	    "{\"year\":2024,\"source\":\"国务院办公厅关于2024年部分节假日安排的通知\","
	    "\"holidays\":[{\"date\":\"2024-05-01\",\"name\":\"劳动节\"},"
	    "{\"date\":\"2024-05-02\",\"name\":\"劳动节\"},"
	    "{\"date\":\"2024-05-03\",\"name\":\"劳动节\"},"
	    "{\"date\":\"2024-05-04\",\"name\":\"劳动节\"},"
	    "{\"date\":\"2024-05-05\",\"name\":\"劳动节\"}],"
	    "\"workdays\":[{\"date\":\"2024-04-28\",\"name\":\"劳动节调休上班\"},"
	    "{\"date\":\"2024-05-11\",\"name\":\"劳动节调休上班\"}]}";
	char path[320], *out = NULL;
	struct resp r;
	FILE *f;

	(void)state;
	lic_as(&srv, "auditor");
	get("/api/v1/statistics/overview?from=2024-05-01&to=2024-05-31", 200, &r);
	expect_int(r.json, "duration.n", 1);
	expect_num(r.json, "duration.mean_days", 10.0);
	resp_free(&r);

	snprintf(path, sizeof(path), "%s/2024.json", srv.dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(year2024, f);
	fclose(f);
	assert_int_equal(
	    server_cli(&srv, &out, (const char *const[]){"calendar", "import", path, NULL}), 0);
	free(out);
	get("/api/v1/statistics/overview?from=2024-05-01&to=2024-05-31", 200, &r);
	expect_num(r.json, "duration.mean_days", 11.0);
	resp_free(&r);

	out = NULL;
	assert_int_equal(
	    server_cli(&srv, &out, (const char *const[]){"statistics", "rebuild", NULL}), 0);
	assert_non_null(strstr(out, "统计明细已重建：5 件申请"));
	free(out);
	get("/api/v1/statistics/overview?from=2024-05-01&to=2024-05-31", 200, &r);
	expect_num(r.json, "duration.mean_days", 11.0);
	resp_free(&r);
	get("/api/v1/statistics/overview?" RANGE, 200, &r);
	expect_num(r.json, "duration.mean_days", 7.0);
	expect_int(r.json, "materials.obtained_by_sharing", 2);
	resp_free(&r);
}

/* A fresh node whose working-day ordinals were never built, and BURST
 * statistics requests released together: the first rebuilds the ordinals,
 * the others wait for it and then read; every one answers 200. The busy
 * timeout is cut to 20 ms so that a request queueing for the write lock
 * behind the rebuild (as they did) fails at once instead of only on a slow
 * machine; nothing else writes meanwhile, so with the rebuild done once the
 * outcome does not depend on timing. */
static void test_concurrent_first_requests(void **state)
{
	struct server fresh;
	struct burst b[BURST];
	pthread_t t[BURST];
	pthread_barrier_t go;
	char *log;
	int rc;

	(void)state;
	memset(&fresh, 0, sizeof(fresh));
	setenv("YIYE_BUSY_TIMEOUT_MS", "20", 1);
	rc = server_start(&fresh, 1, NULL);
	unsetenv("YIYE_BUSY_TIMEOUT_MS");
	assert_int_equal(rc, 0);
	lic_as(&fresh, "auditor");
	pthread_barrier_init(&go, NULL, BURST);
	for (int i = 0; i < BURST; i++) {
		b[i].me = fresh;
		b[i].go = &go;
		b[i].status = 0;
		assert_int_equal(pthread_create(&t[i], NULL, first_request, &b[i]), 0);
	}
	for (int i = 0; i < BURST; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&go);
	server_stop(&fresh, 1); /* the log is complete once the server exited */
	log = log_text(fresh.log);
	for (int i = 0; i < BURST; i++) {
		if (b[i].status != 200)
			fprintf(stderr, "request %d: %ld\n", i, b[i].status);
		assert_int_equal(b[i].status, 200);
	}
	/* no request rolled back a transaction it never began */
	assert_non_null(log);
	assert_null(strstr(log, "no transaction is active"));
	free(log);
	server_stop(&fresh, 0);
}

static int setup(void **state)
{
	(void)state;
	if (server_start(&srv, 1, NULL) != 0)
		return -1;
	build_history();
	return 0;
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
	    cmocka_unit_test(test_overview_known_answers),
	    cmocka_unit_test(test_filters),
	    cmocka_unit_test(test_views),
	    cmocka_unit_test(test_csv_equals_api),
	    cmocka_unit_test(test_xlsx_equals_api),
	    cmocka_unit_test(test_calendar_change_resettles),
	    cmocka_unit_test(test_concurrent_first_requests),
	};

	curl_global_init(CURL_GLOBAL_DEFAULT);
	return cmocka_run_group_tests(tests, setup, teardown);
}
