/*
 * test_credit.c — credit supervision (issue 13 points 5–8;
 * docs/api-supervision.md "Credit" … "Commitment verification"), on both
 * backends: a penalty makes a credit record and moves the grade, explained
 * by the records; a revocation through a penalty and through the revoke
 * route revokes the license and adds a revocation record; a false
 * commitment found by the verification (核查) revokes the license and adds
 * a broken_commitment record; who may do what. Annual reports and the
 * abnormal list are in test_annual_reports.c.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness_app.h"
#include "harness_license.h"

static struct server srv;

#define str lic_str

static void as(const char *user)
{
	lic_as(&srv, user);
}

/* The credit page of uscc as the current user (a new reference). */
static json_t *credit_of(const char *uscc, long status)
{
	char path[128];
	struct resp r;
	json_t *page;

	snprintf(path, sizeof(path), "/api/v1/supervision/credit/%s", uscc);
	lic_get(&srv, path, status, &r);
	page = json_incref(r.json);
	resp_free(&r);
	return page;
}

/* The number of records of kind on the page, and whether each is in force. */
static int records_of(const json_t *page, const char *kind)
{
	json_t *rec;
	size_t i;
	int n = 0;

	json_array_foreach (json_object_get(page, "records"), i, rec)
		n += strcmp(str(rec, "kind"), kind) == 0;
	return n;
}

static int explained_by(const json_t *page, const char *kind)
{
	json_t *rec;
	size_t i;
	int n = 0;

	json_array_foreach (json_object_get(json_object_get(page, "explanation"), "records"), i,
			    rec)
		n += strcmp(str(rec, "kind"), kind) == 0;
	return n;
}

static json_t *penalty(const char *no, const char *uscc, const char *kind, long amount,
		       const char *license)
{
	json_t *p = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "decision_no", no, "uscc", uscc, "facts",
			      "超出许可范围经营出版物", "basis", "《出版管理条例》第六十七条",
			      "kind", kind, "decided_on", "2026-03-01");

	if (amount)
		json_object_set_new(p, "amount", json_integer(amount));
	if (license)
		json_object_set_new(p, "license_number", json_string(license));
	return p;
}

/* The public status of number; then logged in as user again (the public
 * verification is asked as nobody). */
static const char *verify_status(const char *number, char out[16], const char *user)
{
	json_t *v = lic_verify(&srv, number, NULL);

	snprintf(out, 16, "%s", str(v, "status"));
	json_decref(v);
	as(user);
	return out;
}

/* ---- penalties → credit records → grades ---- */

static void test_penalty_grade(void **state)
{
	struct lic_holder h;
	json_t *lic = lic_issue(&srv, lic_approved_shudian(&srv, "处罚测试书店", &h)), *page;
	char number[64], st[16];
	struct resp r;

	(void)state;
	snprintf(number, sizeof(number), "%s", str(lic, "number"));
	json_decref(lic);
	/* no record: A, explained */
	as("supervisor_whlyj");
	page = credit_of(h.uscc, 200);
	assert_string_equal(str(page, "grade"), "A");
	assert_string_equal(str(page, "name"), "处罚测试书店");
	assert_true(json_is_true(json_object_get(json_object_get(page, "explanation"), "model")));
	json_decref(page);

	/* who may decide */
	as("applicant");
	lic_post(&srv, "/api/v1/supervision/penalties",
		 penalty("徐文旅罚〔2026〕1号", h.uscc, "fine", 5000, NULL), 403, "forbidden",
		 NULL);
	as("inspector_whlyj");
	lic_post(&srv, "/api/v1/supervision/penalties",
		 penalty("徐文旅罚〔2026〕1号", h.uscc, "fine", 5000, NULL), 403, "forbidden",
		 NULL);
	as("supervisor_whlyj");
	lic_post(&srv, "/api/v1/supervision/penalties",
		 penalty("徐文旅罚〔2026〕1号", h.uscc, "bogus", 0, NULL), 400, "invalid_kind",
		 NULL);
	lic_post(&srv, "/api/v1/supervision/penalties",
		 penalty("徐文旅罚〔2026〕1号", h.uscc, "fine", 0, NULL), 400, "amount_required",
		 NULL);
	lic_post(&srv, "/api/v1/supervision/penalties",
		 penalty("徐文旅罚〔2026〕1号", "123", "fine", 5000, NULL), 400, "invalid_uscc",
		 NULL);
	lic_post(&srv, "/api/v1/supervision/penalties",
		 penalty("徐文旅罚〔2026〕1号", h.uscc, "revoke_license", 0, NULL), 400,
		 "license_required", NULL);
	lic_post(&srv, "/api/v1/supervision/penalties",
		 penalty("徐文旅罚〔2026〕1号", h.uscc, "fine", 5000, number), 400,
		 "license_not_revoked", NULL);

	/* a fine: general (3 points) → B, explained by the penalty */
	lic_post(&srv, "/api/v1/supervision/penalties",
		 penalty("徐文旅罚〔2026〕1号", h.uscc, "fine", 5000, NULL), 201, NULL, &r);
	assert_string_equal(str(json_object_get(r.json, "penalty"), "kind_label"), "罚款");
	resp_free(&r);
	lic_post(&srv, "/api/v1/supervision/penalties",
		 penalty("徐文旅罚〔2026〕1号", h.uscc, "warning", 0, NULL), 409, "decision_exists",
		 NULL);
	page = credit_of(h.uscc, 200);
	assert_string_equal(str(page, "grade"), "B");
	assert_int_equal(records_of(page, "penalty"), 1);
	assert_int_equal(explained_by(page, "penalty"), 1);
	assert_int_equal(
	    json_integer_value(json_object_get(json_object_get(page, "explanation"), "points")), 3);
	assert_int_equal(json_array_size(json_object_get(page, "history")), 1);
	assert_string_equal(str(json_array_get(json_object_get(page, "history"), 0), "to"), "B");
	json_decref(page);

	/* published without personal data */
	as(NULL);
	lic_get(&srv, "/api/v1/public/penalties", 200, &r);
	{
		char *text = json_dumps(r.json, 0);

		assert_non_null(strstr(text, "徐文旅罚〔2026〕1号"));
		assert_null(strstr(text, "created_by"));
		assert_null(strstr(text, "supervisor_whlyj"));
		assert_null(strstr(text, "13800138000"));
		free(text);
	}
	resp_free(&r);

	/* revocation by a department that owns no permit of it: refused, nothing written */
	as("supervisor");
	lic_post(&srv, "/api/v1/supervision/penalties",
		 penalty("徐市监罚〔2026〕9号", h.uscc, "revoke_license", 0, number), 403,
		 "wrong_department", NULL);
	assert_string_equal(verify_status(number, st, "supervisor"), "valid");
	/* revocation through a penalty: the license is revoked, two records */
	as("supervisor_whlyj");
	lic_post(&srv, "/api/v1/supervision/penalties",
		 penalty("徐市监罚〔2026〕9号", h.uscc, "revoke_license", 0, number), 201, NULL,
		 NULL);
	assert_string_equal(verify_status(number, st, "supervisor_whlyj"), "revoked");
	page = credit_of(h.uscc, 200);
	assert_string_equal(str(page, "grade"), "D");
	assert_int_equal(records_of(page, "penalty"), 2);
	assert_int_equal(records_of(page, "revocation"), 1);
	assert_string_equal(str(json_object_get(page, "explanation"), "rule"), "forces_d");
	json_decref(page);
	/* a department that does not supervise the entity's industry decides nothing */
	{
		struct lic_holder hb;

		json_decref(lic_issue(&srv, lic_approved_hongbei(&srv, "处罚部门烘焙店", &hb)));
		as("supervisor_whlyj");
		lic_post(&srv, "/api/v1/supervision/penalties",
			 penalty("徐文旅罚〔2026〕2号", hb.uscc, "warning", 0, NULL), 403,
			 "wrong_department", NULL);
		as("supervisor_scjgj");
		lic_post(&srv, "/api/v1/supervision/penalties",
			 penalty("徐市监罚〔2026〕2号", hb.uscc, "warning", 0, NULL), 201, NULL,
			 NULL);
	}
	/* the grade changes are public events */
	assert_true(
	    server_sql_long(
		&srv, "SELECT count(*) FROM supervision_events WHERE kind = 'credit_grade'") >= 2);
	assert_true(
	    server_sql_long(&srv,
			    "SELECT count(*) FROM supervision_events WHERE kind = 'penalty'") >= 2);
}

static void test_revoke_route_and_reads(void **state)
{
	struct lic_holder h, other;
	json_t *lic = lic_issue(&srv, lic_approved_shudian(&srv, "吊销路由书店", &h)), *page;
	char number[64], path[160], st[16];
	struct resp r;

	(void)state;
	snprintf(number, sizeof(number), "%s", str(lic, "number"));
	json_decref(lic);
	as("supervisor_lhsrj");
	snprintf(path, sizeof(path), "/api/v1/licenses/%s/revoke", number);
	lic_post(&srv, path,
		 json_pack("{s:s,s:s}", "reason", "以欺骗手段取得许可", "basis",
			   "《行政许可法》第六十九条"),
		 200, NULL, NULL);
	assert_string_equal(verify_status(number, st, "supervisor_lhsrj"), "revoked");
	page = credit_of(h.uscc, 200);
	assert_string_equal(str(page, "grade"), "D");
	assert_int_equal(records_of(page, "revocation"), 1);
	assert_string_equal(str(json_array_get(json_object_get(page, "records"), 0), "ref"),
			    number);
	json_decref(page);

	/* the holder sees their own page, not another entity's */
	as("applicant");
	page = credit_of(h.uscc, 200);
	assert_string_equal(str(page, "grade"), "D");
	json_decref(page);
	snprintf(path, sizeof(path), "/api/v1/supervision/my-credit?uscc=%s", h.uscc);
	lic_get(&srv, path, 200, NULL);
	lic_get(&srv, "/api/v1/supervision/my-credit?uscc=91310104MA1FL0003N", 404, NULL);
	test_uscc(9990, other.uscc);
	json_decref(credit_of(other.uscc, 404));
	as("auditor");
	json_decref(credit_of(h.uscc, 200));
	as("supervisor");
	json_decref(credit_of(h.uscc, 200));
	json_decref(credit_of("not-a-code", 404));
	as(NULL);
	json_decref(credit_of(h.uscc, 401));
	lic_get(&srv, "/api/v1/supervision/credit/rules", 200, &r);
	assert_true(json_is_true(json_object_get(r.json, "model")));
	resp_free(&r);
	/* a supervisor's own record, with a reason */
	as("supervisor");
	snprintf(path, sizeof(path), "/api/v1/supervision/credit/%s/records", h.uscc);
	lic_post(&srv, path, json_pack("{s:s}", "severity", "minor"), 400, "required", NULL);
	lic_post(&srv, path, json_pack("{s:s,s:s}", "severity", "huge", "reason", "x"), 400,
		 "invalid_severity", NULL);
	lic_post(&srv, path,
		 json_pack("{s:s,s:s}", "severity", "minor", "reason", "现场检查发现台账缺失"), 200,
		 NULL, &r);
	assert_int_equal(records_of(r.json, "manual"), 1);
	resp_free(&r);
	as("inspector");
	lic_post(&srv, path, json_pack("{s:s,s:s}", "severity", "minor", "reason", "x"), 403,
		 "forbidden", NULL);
}

/* ---- commitment verification (告知承诺核查) ---- */

static unsigned serial = 9100;

/* The demo applicant's 书店 (出版物经营许可 only, 区文化旅游局) with every
 * condition committed: approved at acceptance, then issued. */
static json_t *committed_license(const char *name, char uscc[19], long long *app_id)
{
	json_t *app, *form = json_object(), *f, *ids = json_array(), *c;
	char path[160];
	struct resp r;
	long long id;
	size_t i;

	as("applicant");
	http_json(&srv, "POST", "/api/v1/applications",
		  json_pack("{s:s,s:{s:b,s:i,s:b}}", "industry", "shudian", "answers", "q_food", 0,
			    "q_area", 60, "q_sign", 0),
		  &r);
	assert_int_equal(r.status, 201);
	id = json_integer_value(json_object_get(json_object_get(r.json, "application"), "id"));
	resp_free(&r);
	app = lic_get_app(&srv, id);
	json_array_foreach (json_object_get(json_object_get(app, "notice"), "commitments"), i, c)
		json_array_append_new(
		    ids, json_string(str(c, "condition")[0] ? str(c, "condition") : str(c, "id")));
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/commitments", id);
	lic_post(&srv, path, json_pack("{s:o}", "commitments", ids), 200, NULL, NULL);
	json_decref(app);
	app = lic_get_app(&srv, id);
	json_array_foreach (json_object_get(json_object_get(app, "notice"), "fields"), i, f)
		json_object_set_new(form, str(f, "id"), app_field_value(f, serial));
	test_uscc(serial++, uscc);
	json_object_set_new(form, "F_uscc", json_string(uscc));
	json_object_set_new(form, "F_ent_name", json_string(name));
	snprintf(path, sizeof(path), "/api/v1/applications/%lld", id);
	http_json(&srv, "PATCH", path,
		  json_pack("{s:o,s:O}", "form", form, "version", json_object_get(app, "version")),
		  &r);
	assert_int_equal(r.status, 200);
	resp_free(&r);
	app_insert_materials(&srv, id,
			     json_object_get(json_object_get(app, "notice"), "materials"));
	json_decref(app);
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/submit", id);
	lic_post(&srv, path, NULL, 200, NULL, NULL);
	as("clerk");
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/accept", id);
	lic_post(&srv, path, NULL, 200, NULL, &r);
	assert_string_equal(str(json_object_get(r.json, "application"), "status"), "approved");
	resp_free(&r);
	*app_id = id;
	return lic_issue(&srv, id);
}

/* The open verification task of application id (as the applicant sees it). */
static long long verification_task(long long id)
{
	json_t *app, *t;
	long long task = 0;
	size_t i;

	as("applicant");
	app = lic_get_app(&srv, id);
	json_array_foreach (json_object_get(app, "tasks"), i, t)
		if (strcmp(str(t, "kind"), "verification") == 0 &&
		    strcmp(str(t, "state"), "open") == 0)
			task = json_integer_value(json_object_get(t, "id"));
	json_decref(app);
	assert_true(task > 0);
	return task;
}

static void test_false_commitment(void **state)
{
	char uscc[19], number[64], path[128], st[16];
	long long id, task;
	json_t *lic = committed_license("承诺核查书店", uscc, &id), *page;
	struct resp r;

	(void)state;
	snprintf(number, sizeof(number), "%s", str(lic, "number"));
	json_decref(lic);
	task = verification_task(id);
	snprintf(path, sizeof(path), "/api/v1/supervision/verifications/%lld", task);
	/* in the inbox of the department's inspectors */
	as("inspector_whlyj");
	lic_get(&srv, "/api/v1/tasks?kind=verification", 200, &r);
	{
		json_t *t;
		size_t i;
		bool found = false;

		json_array_foreach (json_object_get(r.json, "items"), i, t)
			found |= json_integer_value(json_object_get(t, "id")) == task;
		assert_true(found);
	}
	resp_free(&r);
	as("supervisor_whlyj");
	lic_post(&srv, path, json_pack("{s:s}", "result", "true"), 403, "forbidden", NULL);
	as("inspector"); /* 区市场监管局: not the task's department */
	lic_post(&srv, path, json_pack("{s:s}", "result", "true"), 403, "wrong_department", NULL);
	as("inspector_whlyj");
	lic_post(&srv, path, json_pack("{s:s}", "result", "maybe"), 400, "invalid_result", NULL);
	lic_post(
	    &srv, path,
	    json_pack("{s:s,s:s}", "result", "false_commitment", "note", "现场无承诺的仓储场所"),
	    400, "basis_required", NULL);
	lic_post(&srv, "/api/v1/supervision/verifications/999999",
		 json_pack("{s:s}", "result", "true"), 404, "task_not_found", NULL);
	lic_post(&srv, path,
		 json_pack("{s:s,s:s,s:s}", "result", "false_commitment", "note",
			   "现场无承诺的仓储场所", "basis", "《行政许可法》第六十九条"),
		 200, NULL, &r);
	assert_string_equal(str(r.json, "license_revoked"), number);
	resp_free(&r);
	assert_string_equal(verify_status(number, st, "inspector_whlyj"), "revoked");
	lic_post(&srv, path, json_pack("{s:s}", "result", "true"), 409, "task_closed", NULL);
	as("supervisor_whlyj");
	page = credit_of(uscc, 200);
	assert_string_equal(str(page, "grade"), "D");
	assert_int_equal(records_of(page, "broken_commitment"), 1);
	assert_int_equal(records_of(page, "revocation"), 1);
	json_decref(page);

	/* a commitment that held: the task closes, nothing else */
	lic = committed_license("承诺属实书店", uscc, &id);
	snprintf(number, sizeof(number), "%s", str(lic, "number"));
	json_decref(lic);
	task = verification_task(id);
	snprintf(path, sizeof(path), "/api/v1/supervision/verifications/%lld", task);
	as("inspector_whlyj");
	lic_post(&srv, path, json_pack("{s:s}", "result", "true"), 200, NULL, NULL);
	assert_string_equal(verify_status(number, st, "inspector_whlyj"), "valid");
	as("supervisor_whlyj");
	page = credit_of(uscc, 200);
	assert_string_equal(str(page, "grade"), "A");
	json_decref(page);
}

static int setup(void **state)
{
	(void)state;
	setenv("YIYE_TODAY", LIC_TODAY, 1);
	return server_start(&srv, 1, NULL) != 0 ? -1 : 0;
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
	    cmocka_unit_test(test_penalty_grade),
	    cmocka_unit_test(test_revoke_route_and_reads),
	    cmocka_unit_test(test_false_commitment),
	};

	curl_global_init(CURL_GLOBAL_DEFAULT);
	return cmocka_run_group_tests(tests, setup, teardown);
}
