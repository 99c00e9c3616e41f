/*
 * test_applications.c — applications through the API on both backends
 * (issue 11): creation from a completed guide (and its refusals), the one
 * form with 智慧填报 and the version guard, the precheck listing everything
 * at once, submission, the window's acceptance / refusal / 补正 with the
 * clock paused, the 告知承诺 path, walk-in entry by a clerk, withdrawal,
 * visibility (another applicant's application is 404), tasks and
 * notifications. The server runs on fixed days (YIYE_TODAY) so the 补正
 * pause spans known working days; materials rows are written straight into
 * the store, since uploading them is another module's route.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness_app.h"

static struct server srv;
static char applicant2_pw[] = "Second-Pass-2026";

static void as(const char *user)
{
	srv.cookies[0] = srv.csrf[0] = srv.bearer[0] = '\0';
	if (strcmp(user, "applicant2") == 0)
		assert_int_equal(login(&srv, user, applicant2_pw), 0);
	else
		assert_int_equal(login(&srv, user, demo_password(&srv, user)), 0);
}

static json_t *app_of(const struct resp *r)
{
	json_t *a = json_object_get(r->json, "application");

	assert_non_null(a);
	return a;
}

static const char *str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

static long long num(const json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

static long long create(const char *industry, json_t *answers, json_t *extra, struct resp *out)
{
	json_t *body = json_pack("{s:s,s:o}", "industry", industry, "answers", answers);
	struct resp r;
	long long id;

	if (extra)
		json_object_update(body, extra);
	json_decref(extra);
	http_json(&srv, "POST", "/api/v1/applications", body, &r);
	if (r.status != 201)
		fprintf(stderr, "create: %ld %s\n", r.status, r.body);
	assert_int_equal(r.status, 201);
	id = num(app_of(&r), "id");
	if (out)
		*out = r;
	else
		resp_free(&r);
	return id;
}

static void get_app(long long id, struct resp *r)
{
	char path[96];

	snprintf(path, sizeof(path), "/api/v1/applications/%lld", id);
	http_req(&srv, "GET", path, NULL, NULL, 0, NULL, r);
}

static void post(long long id, const char *action, json_t *body, struct resp *r)
{
	char path[128];

	snprintf(path, sizeof(path), "/api/v1/applications/%lld/%s", id, action);
	if (body)
		http_json(&srv, "POST", path, body, r);
	else
		http_req(&srv, "POST", path, NULL, NULL, 0, NULL, r);
}

static void expect_post(long long id, const char *action, json_t *body, long status,
			const char *code, const char *field)
{
	struct resp r;

	post(id, action, body, &r);
	assert_error(&r, status, code, field);
	resp_free(&r);
}

static void expect_status(long long id, const char *action, json_t *body, const char *status)
{
	struct resp r;

	post(id, action, body, &r);
	if (r.status != 200)
		fprintf(stderr, "%s: %ld %s\n", action, r.status, r.body);
	assert_int_equal(r.status, 200);
	assert_string_equal(str(app_of(&r), "status"), status);
	resp_free(&r);
}

/* Fills every required field the form does not have yet (PATCH). */
static void fill_form(long long id)
{
	json_t *form = json_object(), *fields, *f, *have;
	struct resp r;
	char path[96];
	size_t i;
	long long version;

	get_app(id, &r);
	assert_int_equal(r.status, 200);
	have = json_object_get(app_of(&r), "form");
	fields = json_object_get(json_object_get(app_of(&r), "notice"), "fields");
	json_array_foreach (fields, i, f)
		if (json_is_true(json_object_get(f, "required")) &&
		    json_object_get(have, str(f, "id")) == NULL)
			json_object_set_new(form, str(f, "id"), app_field_value(f, 4242));
	version = num(app_of(&r), "version");
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/applications/%lld", id);
	http_json(&srv, "PATCH", path, json_pack("{s:o,s:I}", "form", form, "version", version),
		  &r);
	if (r.status != 200)
		fprintf(stderr, "fill: %s\n", r.body);
	assert_int_equal(r.status, 200);
	resp_free(&r);
}

/* Every non-exempt material of the notice, as if uploaded: the upload route
 * belongs to the materials module, so the rows are written directly. */
static void upload_all(long long id)
{
	struct resp r;

	get_app(id, &r);
	app_insert_materials(&srv, id,
			     json_object_get(json_object_get(app_of(&r), "notice"), "materials"));
	resp_free(&r);
}

static long long ready_application(void)
{
	long long id;

	as("applicant");
	id = create("bianlidian", app_bianlidian_answers(), NULL, NULL);
	fill_form(id);
	upload_all(id);
	return id;
}

static bool has_event(const char *user, const char *event, long long app_id)
{
	json_t *items, *it;
	struct resp r;
	bool found = false;
	size_t i;

	as(user);
	http_req(&srv, "GET", "/api/v1/notifications?limit=200", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	items = json_object_get(r.json, "items");
	json_array_foreach (items, i, it)
		if (strcmp(str(it, "event"), event) == 0 && num(it, "application_id") == app_id)
			found = true;
	resp_free(&r);
	return found;
}

static bool has_task(const char *user, const char *kind, long long app_id, char *due, size_t duesz)
{
	json_t *items, *it;
	struct resp r;
	bool found = false;
	size_t i;

	as(user);
	http_req(&srv, "GET", "/api/v1/tasks?limit=200", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	items = json_object_get(r.json, "items");
	json_array_foreach (items, i, it)
		if (strcmp(str(it, "kind"), kind) == 0 &&
		    num(json_object_get(it, "application"), "id") == app_id) {
			found = true;
			if (due)
				snprintf(due, duesz, "%s", str(it, "due_date"));
		}
	resp_free(&r);
	return found;
}

/* ---- creation ---- */

static void test_create_refusals(void **state)
{
	struct resp r;

	(void)state;
	as("applicant");
	/* the guide is not complete: the first unanswered question is named */
	http_json(&srv, "POST", "/api/v1/applications",
		  json_pack("{s:s,s:{}}", "industry", "bianlidian", "answers"), &r);
	assert_error(&r, 400, "incomplete_guide", "answers.q_alcohol");
	resp_free(&r);
	http_json(&srv, "POST", "/api/v1/applications",
		  json_pack("{s:s,s:{}}", "industry", "nosuch", "answers"), &r);
	assert_error(&r, 404, "unknown_industry", "industry");
	resp_free(&r);
	http_json(&srv, "POST", "/api/v1/applications", json_pack("{s:{}}", "answers"), &r);
	assert_error(&r, 400, "required", "industry");
	resp_free(&r);
	/* an industry the district only plans (成熟一批): no guide, no application */
	http_json(&srv, "POST", "/api/v1/applications",
		  json_pack("{s:s,s:{}}", "industry", "xiangcunminsu", "answers"), &r);
	assert_error(&r, 409, "industry_not_offered", "industry");
	resp_free(&r);
	http_json(&srv, "POST", "/api/v1/applications",
		  json_pack("{s:s,s:o,s:s}", "industry", "bianlidian", "answers",
			    app_bianlidian_answers(), "applicant", "applicant"),
		  &r);
	assert_error(&r, 400, "unknown_field", "applicant");
	resp_free(&r);
	/* wrong role */
	as("reviewer");
	http_json(
	    &srv, "POST", "/api/v1/applications",
	    json_pack("{s:s,s:o}", "industry", "bianlidian", "answers", app_bianlidian_answers()),
	    &r);
	assert_error(&r, 403, "forbidden", NULL);
	resp_free(&r);
	/* a clerk must name the applicant */
	as("clerk");
	http_json(
	    &srv, "POST", "/api/v1/applications",
	    json_pack("{s:s,s:o}", "industry", "bianlidian", "answers", app_bianlidian_answers()),
	    &r);
	assert_error(&r, 400, "applicant_required", "applicant");
	resp_free(&r);
	http_json(&srv, "POST", "/api/v1/applications",
		  json_pack("{s:s,s:o,s:s}", "industry", "bianlidian", "answers",
			    app_bianlidian_answers(), "applicant", "reviewer"),
		  &r);
	assert_error(&r, 400, "unknown_applicant", "applicant");
	resp_free(&r);
}

static void test_draft_form_precheck(void **state)
{
	json_t *a, *pre, *issues;
	struct resp r;
	char path[96];
	long long id, version;

	(void)state;
	as("applicant");
	id = create("bianlidian", app_bianlidian_answers(), NULL, &r);
	a = app_of(&r);
	assert_string_equal(str(a, "status"), "draft");
	assert_int_equal(num(a, "version"), 1);
	assert_int_equal(strncmp(str(a, "number"), "310104-2026-", 12), 0);
	assert_false(json_is_true(json_object_get(a, "walk_in")));
	assert_string_equal(str(a, "holder"), "applicant");
	/* frozen: catalog version, answers, notice */
	assert_true(num(a, "catalog_version") >= 1);
	assert_true(json_is_true(json_object_get(json_object_get(a, "answers"), "q_sign")) ==
		    false);
	assert_true(json_array_size(json_object_get(json_object_get(a, "notice"), "permits")) == 1);
	/* 智慧填报: the applicant's entity fills name and code, marked as such */
	assert_string_equal(str(json_object_get(a, "form"), "F_ent_name"),
			    "徐汇示范便利店有限公司");
	assert_true(json_array_size(json_object_get(a, "prefilled")) >= 2);
	assert_int_equal(json_array_size(json_object_get(a, "timeline")), 1);
	resp_free(&r);

	/* the precheck lists every missing field and material at once */
	post(id, "precheck", NULL, &r);
	assert_int_equal(r.status, 200);
	pre = json_object_get(r.json, "precheck");
	assert_false(json_is_true(json_object_get(pre, "complete")));
	issues = json_object_get(pre, "missing_fields");
	assert_true(json_array_size(issues) > 5);
	assert_true(json_array_size(json_object_get(pre, "missing_materials")) >= 4);
	resp_free(&r);
	/* submitting an incomplete application is refused, naming the first gap */
	expect_post(id, "submit", NULL, 400, "incomplete_application", "*");

	/* the form: each value by its type, and the version guard */
	snprintf(path, sizeof(path), "/api/v1/applications/%lld", id);
	http_json(&srv, "PATCH", path,
		  json_pack("{s:{s:s},s:i}", "form", "F_legal_phone", "12345", "version", 1), &r);
	assert_error(&r, 400, "invalid_field", "form.F_legal_phone");
	assert_non_null(
	    strstr(json_string_value(json_object_get(json_object_get(r.json, "error"), "message")),
		   "F_legal_phone"));
	resp_free(&r);
	http_json(&srv, "PATCH", path,
		  json_pack("{s:{s:s},s:i}", "form", "F_nosuch", "x", "version", 1), &r);
	assert_error(&r, 400, "unknown_field", "form.F_nosuch");
	resp_free(&r);
	http_json(&srv, "PATCH", path, json_pack("{s:{s:s}}", "form", "F_ent_name", "某店"), &r);
	assert_error(&r, 400, "version_required", "version");
	resp_free(&r);
	http_json(&srv, "PATCH", path,
		  json_pack("{s:{s:s},s:i}", "form", "F_ent_name", "某某便利店", "version", 1), &r);
	assert_int_equal(r.status, 200);
	version = num(app_of(&r), "version");
	assert_int_equal(version, 2);
	/* a field the applicant changed is no longer marked pre-filled */
	{
		json_t *p = json_object_get(app_of(&r), "prefilled"), *v;
		size_t i;

		json_array_foreach (p, i, v)
			assert_string_not_equal(json_string_value(v), "F_ent_name");
	}
	resp_free(&r);
	http_json(&srv, "PATCH", path,
		  json_pack("{s:{s:s},s:i}", "form", "F_ent_name", "迟到的修改", "version", 1), &r);
	assert_error(&r, 409, "stale_version", "version");
	resp_free(&r);

	/* once complete, the precheck is clean */
	fill_form(id);
	upload_all(id);
	post(id, "precheck", NULL, &r);
	assert_true(json_is_true(json_object_get(json_object_get(r.json, "precheck"), "complete")));
	resp_free(&r);
}

/* ---- visibility ---- */

static void test_visibility(void **state)
{
	struct resp r;
	long long id;

	(void)state;
	as("applicant");
	id = create("bianlidian", app_bianlidian_answers(), NULL, NULL);
	/* another applicant: 404 like a missing id, and not in their list */
	as("applicant2");
	get_app(id, &r);
	assert_error(&r, 404, "application_not_found", NULL);
	resp_free(&r);
	expect_post(id, "submit", NULL, 404, "application_not_found", NULL);
	http_req(&srv, "GET", "/api/v1/applications", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(num(r.json, "total"), 0);
	resp_free(&r);
	get_app(99999999, &r);
	assert_error(&r, 404, "application_not_found", NULL);
	resp_free(&r);
	/* staff do not see drafts */
	as("reviewer");
	get_app(id, &r);
	assert_error(&r, 404, "application_not_found", NULL);
	resp_free(&r);
	as("clerk");
	get_app(id, &r);
	assert_int_equal(r.status, 404);
	resp_free(&r);
	/* the applicant's list, with the status filter */
	as("applicant");
	http_req(&srv, "GET", "/api/v1/applications?status=draft&limit=2", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_true(num(r.json, "total") >= 1);
	assert_int_equal(num(r.json, "limit"), 2);
	resp_free(&r);
	http_req(&srv, "GET", "/api/v1/applications?status=bogus", NULL, NULL, 0, NULL, &r);
	assert_error(&r, 400, "invalid_status", "status");
	resp_free(&r);
}

/* ---- the window ---- */

static void test_refuse(void **state)
{
	long long id = ready_application();

	(void)state;
	expect_status(id, "submit", NULL, "submitted");
	/* submit twice: the state is named */
	{
		struct resp r;

		post(id, "submit", NULL, &r);
		assert_error(&r, 409, "invalid_state", "status");
		assert_string_equal(str(json_object_get(r.json, "error"), "status"), "submitted");
		resp_free(&r);
	}
	assert_true(has_task("clerk", "acceptance", id, NULL, 0));
	assert_true(has_event("clerk", "submitted", id));
	{ /* the window re-runs the precheck before accepting; the applicant cannot */
		struct resp r;
		json_t *pre, *chk;

		as("clerk");
		post(id, "precheck", NULL, &r);
		assert_int_equal(r.status, 200);
		pre = json_object_get(r.json, "precheck");
		chk = json_object_get(pre, "checked");
		assert_true(json_is_true(json_object_get(pre, "complete")));
		assert_string_equal(str(pre, "status"), "submitted");
		assert_true(num(chk, "fields") > 0 && num(chk, "materials") > 0);
		assert_int_equal(num(chk, "uploaded"), num(chk, "materials"));
		resp_free(&r);
	}
	as("applicant");
	expect_post(id, "precheck", NULL, 409, "invalid_state", "status");
	expect_post(id, "refuse", json_pack("{s:s}", "reason", "x"), 403, "forbidden", NULL);
	as("clerk");
	expect_post(id, "refuse", json_pack("{}"), 400, "reason_required", "reason");
	expect_post(id, "refuse", json_pack("{s:s}", "reason", "   "), 400, "reason_required",
		    "reason");
	expect_status(id, "refuse", json_pack("{s:s}", "reason", "不属于本窗口受理范围"),
		      "refused");
	assert_false(has_task("clerk", "acceptance", id, NULL, 0));
	assert_true(has_event("applicant", "refused", id));
	as("applicant");
	expect_post(id, "resubmit", NULL, 409, "invalid_state", "status");
	expect_post(id, "withdraw", NULL, 409, "invalid_state", "status");
	/* the transition is in the audit trail, with the application as object */
	{
		char want[64];
		struct resp r;
		json_t *it;
		size_t i;
		bool found = false;

		snprintf(want, sizeof(want), "application:%lld", id);
		as("auditor");
		http_req(&srv, "GET", "/api/v1/audit?action=application.refuse&limit=200", NULL,
			 NULL, 0, NULL, &r);
		assert_int_equal(r.status, 200);
		json_array_foreach (json_object_get(r.json, "items"), i, it)
			if (strcmp(str(it, "object"), want) == 0 &&
			    strcmp(str(it, "outcome"), "ok") == 0)
				found = true;
		assert_true(found);
		resp_free(&r);
	}
}

static void test_supplement_clock(void **state)
{
	char due1[16] = "", due2[16] = "", path[96];
	json_t *a, *tl;
	struct resp r;
	long long id = ready_application();

	(void)state;
	expect_status(id, "submit", NULL, "submitted");
	get_app(id, &r);
	a = app_of(&r);
	snprintf(due1, sizeof(due1), "%s", str(json_object_get(a, "deadline"), "due_date"));
	assert_string_equal(str(a, "holder"), "window");
	resp_free(&r);
	/* time limit of 便利店 with only the food permit: 4 + 1 working days
	 * from Monday 2026-03-02 */
	assert_string_equal(due1, "2026-03-09");

	as("clerk");
	expect_post(id, "request-supplement", json_pack("{s:[s]}", "materials", "M_site_layout"),
		    400, "reason_required", "reason");
	expect_post(id, "request-supplement", json_pack("{s:s}", "reason", "材料不清晰"), 400,
		    "supplement_list_required", "materials");
	expect_post(id, "request-supplement",
		    json_pack("{s:s,s:[s]}", "reason", "x", "materials", "M_nosuch"), 400,
		    "unknown_material", "materials[0]");
	expect_post(id, "request-supplement",
		    json_pack("{s:s,s:[s]}", "reason", "x", "fields", "F_nosuch"), 400,
		    "unknown_field", "fields[0]");
	expect_status(id, "request-supplement",
		      json_pack("{s:s,s:[s],s:[s]}", "reason", "经营场所平面图不清晰，请重新提供",
				"materials", "M_site_layout", "fields", "F_site_area"),
		      "supplement_requested");
	assert_true(has_event("applicant", "supplement_requested", id));
	assert_true(has_task("applicant", "supplement", id, NULL, 0));
	as("clerk");
	expect_post(id, "accept", NULL, 409, "invalid_state", "status");

	/* three working days later (Thursday) the applicant resubmits: the due
	 * date moves by exactly the three paused working days */
	server_stop(&srv, 1);
	setenv("YIYE_TODAY", "2026-03-05", 1);
	assert_int_equal(server_restart(&srv, NULL), 0);
	as("applicant");
	get_app(id, &r);
	assert_true(
	    json_is_true(json_object_get(json_object_get(app_of(&r), "deadline"), "paused")));
	resp_free(&r);
	expect_status(id, "resubmit", NULL, "submitted");
	get_app(id, &r);
	a = app_of(&r);
	snprintf(due2, sizeof(due2), "%s", str(json_object_get(a, "deadline"), "due_date"));
	assert_string_equal(due2, "2026-03-12");
	assert_int_equal(num(a, "rounds"), 1);
	/* every round is kept in the timeline, with its list and reason */
	tl = json_object_get(a, "timeline");
	{
		json_t *h;
		size_t i;
		bool seen = false;

		json_array_foreach (tl, i, h)
			if (strcmp(str(h, "action"), "request-supplement") == 0) {
				seen = true;
				assert_string_equal(str(h, "reason"),
						    "经营场所平面图不清晰，请重新提供");
				assert_string_equal(
				    json_string_value(json_array_get(
					json_object_get(json_object_get(h, "detail"), "materials"),
					0)),
				    "M_site_layout");
				assert_string_equal(str(json_object_get(h, "actor"), "role"),
						    "window_clerk");
			}
		assert_true(seen);
	}
	resp_free(&r);
	assert_false(has_task("applicant", "supplement", id, NULL, 0));
	/* the window's new acceptance task: due five working days after the
	 * resubmission, three left, so on time */
	{
		char due[16] = "";

		assert_true(has_task("clerk", "acceptance", id, due, sizeof(due)));
		assert_string_equal(due, "2026-03-12");
	}

	/* acceptance: one review task per department, in its reviewers' inbox */
	as("clerk");
	expect_status(id, "accept", NULL, "under_review");
	expect_post(id, "accept", NULL, 409, "invalid_state", "status");
	assert_true(has_task("reviewer", "review", id, NULL, 0));
	assert_false(has_task("reviewer2", "review", id, NULL, 0));
	assert_true(has_event("reviewer", "new_task", id));
	as("reviewer");
	get_app(id, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(str(app_of(&r), "department_view"), "scjgj");
	assert_true(
	    json_array_size(json_object_get(json_object_get(app_of(&r), "notice"), "fields")) > 0);
	resp_free(&r);
	as("reviewer2");
	get_app(id, &r);
	assert_int_equal(r.status, 404);
	resp_free(&r);
	/* the department's list */
	as("reviewer");
	http_req(&srv, "GET", "/api/v1/applications?status=under_review", NULL, NULL, 0, NULL, &r);
	assert_true(num(r.json, "total") >= 1);
	resp_free(&r);

	/* withdrawal: the applicant only, before a decision */
	as("clerk");
	expect_post(id, "withdraw", NULL, 403, "forbidden", NULL);
	as("applicant");
	expect_status(id, "withdraw", NULL, "withdrawn");
	assert_false(has_task("reviewer", "review", id, NULL, 0));
	assert_true(has_event("reviewer", "withdrawn", id));
	as("applicant");
	snprintf(path, sizeof(path), "/api/v1/applications/%lld", id);
	http_json(&srv, "PATCH", path, json_pack("{s:{},s:i}", "form", "version", 99), &r);
	assert_error(&r, 409, "invalid_state", "status");
	resp_free(&r);
}

/* ---- 告知承诺 ---- */

static void test_commitment_path(void **state)
{
	json_t *a, *tasks, *t;
	struct resp r;
	long long id;
	size_t i;
	bool verification = false;

	(void)state;
	as("applicant");
	id = create("shudian", json_pack("{s:b,s:i,s:b}", "q_food", 0, "q_area", 60, "q_sign", 0),
		    NULL, NULL);
	expect_post(id, "commitments", json_pack("{s:[s]}", "commitments", "C_nosuch"), 400,
		    "invalid_commitment", "commitments[0]");
	/* every condition of the only permit */
	get_app(id, &r);
	{
		json_t *cs = json_object_get(json_object_get(app_of(&r), "notice"), "commitments");
		json_t *ids = json_array(), *c;
		size_t k;

		json_array_foreach (cs, k, c)
			json_array_append_new(ids, json_string(str(c, "condition")[0]
								   ? str(c, "condition")
								   : str(c, "id")));
		resp_free(&r);
		post(id, "commitments", json_pack("{s:o}", "commitments", ids), &r);
	}
	if (r.status != 200)
		fprintf(stderr, "commitments: %s\n", r.body);
	assert_int_equal(r.status, 200);
	assert_true(json_is_true(json_object_get(app_of(&r), "all_committed")));
	resp_free(&r);
	fill_form(id);
	upload_all(id);
	expect_status(id, "submit", NULL, "submitted");
	as("clerk");
	post(id, "accept", NULL, &r);
	assert_int_equal(r.status, 200);
	a = app_of(&r);
	/* approved at acceptance, and a verification (核查) task is scheduled */
	assert_string_equal(str(a, "status"), "approved");
	tasks = json_object_get(a, "tasks");
	json_array_foreach (tasks, i, t)
		if (strcmp(str(t, "kind"), "verification") == 0 &&
		    strcmp(str(t, "state"), "open") == 0) {
			verification = true;
			assert_true(json_is_string(json_object_get(t, "due_date")));
		}
	assert_true(verification);
	assert_string_equal(str(json_object_get(a, "deadline"), "state"), "stopped");
	resp_free(&r);
	assert_true(has_event("applicant", "decision", id));
	as("applicant");
	expect_post(id, "withdraw", NULL, 409, "invalid_state", "status");
}

/* ---- walk-in ---- */

static void test_walk_in(void **state)
{
	struct resp r;
	json_t *a;
	long long id;
	char code[19];

	(void)state;
	as("clerk");
	id = create("bianlidian", app_bianlidian_answers(),
		    json_pack("{s:s}", "applicant", "applicant"), &r);
	a = app_of(&r);
	assert_true(json_is_true(json_object_get(a, "walk_in")));
	assert_string_equal(
	    str(json_object_get(json_array_get(json_object_get(a, "timeline"), 0), "actor"),
		"role"),
	    "window_clerk");
	resp_free(&r);
	/* by the entity's code too */
	http_json(&srv, "POST", "/api/v1/applications",
		  json_pack("{s:s,s:o,s:s}", "industry", "bianlidian", "answers",
			    app_bianlidian_answers(), "entity", "91310104MA1FL0000X"),
		  &r);
	assert_error(&r, 400, "unknown_entity", "entity");
	resp_free(&r);
	/* the same form, the same checks, entered by the clerk */
	fill_form(id);
	upload_all(id);
	expect_status(id, "submit", NULL, "submitted");
	/* the applicant sees it as their own */
	as("applicant");
	get_app(id, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(str(app_of(&r), "status"), "submitted");
	resp_free(&r);
	/* a walk-in named by the entity's 统一社会信用代码 */
	http_req(&srv, "GET", "/api/v1/me", NULL, NULL, 0, NULL, &r);
	snprintf(code, sizeof(code), "%s",
		 str(json_object_get(json_object_get(r.json, "user"), "entity"), "uscc"));
	if (code[0] == '\0')
		snprintf(code, sizeof(code), "%s", str(json_object_get(r.json, "entity"), "uscc"));
	resp_free(&r);
	assert_int_equal(strlen(code), 18);
	as("clerk");
	id = create("bianlidian", app_bianlidian_answers(), json_pack("{s:s}", "entity", code), &r);
	assert_true(json_is_true(json_object_get(app_of(&r), "walk_in")));
	/* 智慧填报 from the applicant's earlier application: the legal
	 * representative's number is known, and marked pre-filled */
	assert_string_equal(str(json_object_get(app_of(&r), "form"), "F_legal_id"),
			    "110101199003078515");
	{
		json_t *p = json_object_get(app_of(&r), "prefilled"), *v;
		size_t i;
		bool marked = false;

		json_array_foreach (p, i, v)
			marked |= strcmp(json_string_value(v), "F_legal_id") == 0;
		assert_true(marked);
	}
	resp_free(&r);
}

/* ---- notifications ---- */

/* The deadline state of a reviewer's task due on `due`, "" when none. */
static void review_task_state(const char *due, char *state, size_t statesz, long long *left)
{
	json_t *it;
	struct resp r;
	size_t i;

	state[0] = '\0';
	as("reviewer");
	http_req(&srv, "GET", "/api/v1/tasks?kind=review&limit=200", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	json_array_foreach (json_object_get(r.json, "items"), i, it)
		if (strcmp(str(it, "due_date"), due) == 0) {
			snprintf(state, statesz, "%s", str(it, "deadline_state"));
			*left = num(it, "days_left");
		}
	resp_free(&r);
}

/* Tasks near due and overdue: the review task accepted on Monday 2026-03-02
 * (four working days: due Friday 03-06) seen on Thursday, then two weeks
 * later. Runs after test_concurrent_writers and test_supplement_clock. */
static void test_deadline_states(void **state)
{
	char st[16];
	long long left = 0;

	(void)state;
	review_task_state("2026-03-06", st, sizeof(st), &left);
	assert_string_equal(st, "near_due");
	assert_int_equal(left, 1);
	server_stop(&srv, 1);
	setenv("YIYE_TODAY", "2026-03-20", 1);
	assert_int_equal(server_restart(&srv, NULL), 0);
	review_task_state("2026-03-06", st, sizeof(st), &left);
	assert_string_equal(st, "overdue");
	assert_int_equal(left, -10);
}

static void test_openapi(void **state)
{
	json_t *schema;
	struct resp r;

	(void)state;
	srv.cookies[0] = srv.csrf[0] = '\0';
	http_req(&srv, "GET", "/api/v1/openapi.json", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	schema = json_object_get(
	    json_object_get(
		json_object_get(
		    json_object_get(
			json_object_get(
			    json_object_get(json_object_get(r.json, "paths"),
					    "/api/v1/applications/{id}/request-supplement"),
			    "post"),
			"requestBody"),
		    "content"),
		"application/json"),
	    "schema");
	assert_string_equal(
	    json_string_value(json_array_get(json_object_get(schema, "required"), 0)), "reason");
	assert_non_null(json_object_get(json_object_get(schema, "properties"), "materials"));
	resp_free(&r);
}

static void test_notifications(void **state)
{
	struct resp r;
	long long nid, unread;
	char path[96];

	(void)state;
	as("applicant");
	http_req(&srv, "GET", "/api/v1/notifications?unread=true", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	unread = num(r.json, "unread");
	assert_true(unread >= 1);
	nid = num(json_array_get(json_object_get(r.json, "items"), 0), "id");
	assert_non_null(strstr(str(json_array_get(json_object_get(r.json, "items"), 0), "link"),
			       "/applications/"));
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/notifications/%lld/read", nid);
	http_req(&srv, "POST", path, NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(num(r.json, "unread"), unread - 1);
	resp_free(&r);
	/* someone else's notification is 404 */
	as("clerk");
	http_req(&srv, "POST", path, NULL, NULL, 0, NULL, &r);
	assert_error(&r, 404, "notification_not_found", NULL);
	resp_free(&r);
	http_req(&srv, "GET", "/api/v1/notifications?unread=maybe", NULL, NULL, 0, NULL, &r);
	assert_error(&r, 400, "invalid_boolean", "unread");
	resp_free(&r);
	/* 全部已读 marks the caller's own only, once */
	http_req(&srv, "GET", "/api/v1/notifications?unread=true", NULL, NULL, 0, NULL, &r);
	unread = num(r.json, "unread");
	assert_true(unread >= 1);
	resp_free(&r);
	as("applicant");
	http_req(&srv, "POST", "/api/v1/notifications/read-all", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_true(num(r.json, "marked") >= 1);
	assert_int_equal(num(r.json, "unread"), 0);
	resp_free(&r);
	http_req(&srv, "GET", "/api/v1/notifications?unread=true", NULL, NULL, 0, NULL, &r);
	assert_int_equal(num(r.json, "unread"), 0);
	assert_int_equal(json_array_size(json_object_get(r.json, "items")), 0);
	resp_free(&r);
	http_req(&srv, "POST", "/api/v1/notifications/read-all", NULL, NULL, 0, NULL, &r);
	assert_int_equal(num(r.json, "marked"), 0);
	resp_free(&r);
	as("clerk");
	http_req(&srv, "GET", "/api/v1/notifications?unread=true", NULL, NULL, 0, NULL, &r);
	assert_int_equal(num(r.json, "unread"), unread);
	resp_free(&r);
	/* an inbox of tasks answers for every role holding it */
	as("supervisor");
	http_req(&srv, "GET", "/api/v1/tasks", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	resp_free(&r);
	http_req(&srv, "GET", "/api/v1/tasks?kind=bogus", NULL, NULL, 0, NULL, &r);
	assert_error(&r, 400, "invalid_kind", "kind");
	resp_free(&r);
}

/* ---- two writers at once ---- */

#define RACERS 4

/* Runs RACERS processes, each logged in as user, released together to send
 * method path body; answers[i] receives each one's status and codes[i] its
 * error code (shared memory). */
static void race(const char *user, const char *method, const char *path, const char *body,
		 long *answers, char (*codes)[32])
{
	int ready[2], go[2];
	pid_t pids[RACERS];
	char byte;

	assert_int_equal(pipe(ready), 0);
	assert_int_equal(pipe(go), 0);
	fflush(NULL);
	for (int k = 0; k < RACERS; k++) {
		pids[k] = fork();
		assert_true(pids[k] >= 0);
		if (pids[k] == 0) {
			struct server mine = srv;
			struct resp r;

			close(ready[0]);
			close(go[1]);
			mine.curl = curl_easy_init();
			mine.cookies[0] = mine.csrf[0] = mine.bearer[0] = '\0';
			if (login(&mine, user, demo_password(&srv, user)) < 0)
				_exit(1);
			if (write(ready[1], "r", 1) != 1 || read(go[0], &byte, 1) != 0)
				_exit(1);
			http_req(&mine, method, path, body ? "application/json" : NULL, body,
				 body ? strlen(body) : 0, NULL, &r);
			answers[k] = r.status;
			const char *code = json_string_value(
			    json_object_get(json_object_get(r.json, "error"), "code"));

			snprintf(codes[k], 32, "%s", code ? code : "");
			resp_free(&r);
			curl_easy_cleanup(mine.curl);
			_exit(0);
		}
	}
	close(ready[1]);
	close(go[0]);
	for (int k = 0; k < RACERS; k++)
		assert_int_equal(read(ready[0], &byte, 1), 1);
	close(go[1]); /* every racer's read returns at once */
	for (int k = 0; k < RACERS; k++) {
		int st;

		assert_int_equal(waitpid(pids[k], &st, 0), pids[k]);
		assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	close(ready[0]);
}

static void test_concurrent_writers(void **state)
{
	long *answers = mmap(NULL, RACERS * sizeof(long) + RACERS * 32, PROT_READ | PROT_WRITE,
			     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char(*codes)[32] = (char(*)[32])(answers + RACERS);
	char path[96], body[128];
	int ok = 0, lost = 0;
	long long id = ready_application(), version;
	struct resp r;
	json_t *h;
	size_t i;

	(void)state;
	assert_true(answers != MAP_FAILED);
	/* four saves of the form based on the same version: one wins */
	get_app(id, &r);
	version = num(app_of(&r), "version");
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/applications/%lld", id);
	snprintf(body, sizeof(body), "{\"form\":{\"F_store_name\":\"并发\"},\"version\":%lld}",
		 version);
	race("applicant", "PATCH", path, body, answers, codes);
	for (int k = 0; k < RACERS; k++) {
		ok += answers[k] == 200;
		lost += answers[k] == 409 && strcmp(codes[k], "stale_version") == 0;
	}
	assert_int_equal(ok, 1);
	assert_int_equal(lost, RACERS - 1);

	/* four clerks accept at once: one does, the others see the new state */
	as("applicant");
	expect_status(id, "submit", NULL, "submitted");
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/accept", id);
	race("clerk", "POST", path, NULL, answers, codes);
	ok = lost = 0;
	for (int k = 0; k < RACERS; k++) {
		ok += answers[k] == 200;
		lost += answers[k] == 409 && strcmp(codes[k], "invalid_state") == 0;
	}
	assert_int_equal(ok, 1);
	assert_int_equal(lost, RACERS - 1);
	/* exactly one acceptance in the timeline, one review task */
	as("clerk");
	get_app(id, &r);
	ok = 0;
	json_array_foreach (json_object_get(app_of(&r), "timeline"), i, h)
		ok += strcmp(str(h, "action"), "accept") == 0;
	assert_int_equal(ok, 1);
	ok = 0;
	json_array_foreach (json_object_get(app_of(&r), "tasks"), i, h)
		ok += strcmp(str(h, "kind"), "review") == 0;
	assert_int_equal(ok, 1);
	resp_free(&r);
	munmap(answers, RACERS * sizeof(long) + RACERS * 32);
}

static int setup(void **state)
{
	(void)state;
	setenv("YIYE_TODAY", "2026-03-02", 1);
	if (server_start(&srv, 1, NULL) != 0)
		return -1;
	app_register_applicant2(&srv, applicant2_pw);
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
	    cmocka_unit_test(test_create_refusals),    cmocka_unit_test(test_draft_form_precheck),
	    cmocka_unit_test(test_visibility),         cmocka_unit_test(test_refuse),
	    cmocka_unit_test(test_commitment_path),    cmocka_unit_test(test_walk_in),
	    cmocka_unit_test(test_concurrent_writers), cmocka_unit_test(test_supplement_clock),
	    cmocka_unit_test(test_notifications),      cmocka_unit_test(test_openapi),
	    cmocka_unit_test(test_deadline_states),
	};

	curl_global_init(CURL_GLOBAL_DEFAULT);
	return cmocka_run_group_tests(tests, setup, teardown);
}
