/*
 * test_catalog_admin.c — catalog versions and department proposals against a
 * real server with the demo accounts: who may do what, publishing a changed
 * document (the diff shows the change; activation switches what the guide
 * answers), a broken document answers every problem and publishes nothing,
 * and a proposal goes from a reviewer through the catalog admin's decision
 * into the next version.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct server srv;

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

static void as(const char *user)
{
	const char *pw = demo_password(&srv, user);

	assert_non_null(pw);
	srv.cookies[0] = '\0';
	srv.csrf[0] = '\0';
	assert_int_equal(login(&srv, user, pw), 0);
}

static void anonymous(void)
{
	srv.cookies[0] = '\0';
	srv.csrf[0] = '\0';
}

static void get(const char *path, struct resp *r)
{
	assert_int_equal(http_req(&srv, "GET", path, NULL, NULL, 0, NULL, r), 0);
}

static void post(const char *path, json_t *body, struct resp *r)
{
	assert_int_equal(http_json(&srv, "POST", path, body, r), 0);
}

static long active_version(void)
{
	struct resp r;
	long v;

	get("/api/v1/catalog", &r);
	assert_int_equal(r.status, 200);
	v = (long)json_integer_value(json_object_get(r.json, "version"));
	resp_free(&r);
	return v;
}

/* The name of 便利店 as the guide answers it, and the version it names. */
static void guide_name(char *name, size_t namesz, long *version)
{
	struct resp r;

	post("/api/v1/guide", json_pack("{s:s}", "industry", "bianlidian"), &r);
	assert_int_equal(r.status, 200);
	snprintf(name, namesz, "%s",
		 json_string_value(json_object_get(json_object_get(r.json, "industry"), "name")));
	*version = (long)json_integer_value(json_object_get(r.json, "catalog_version"));
	resp_free(&r);
}

/* The active document, parsed. */
static json_t *active_document(void)
{
	struct resp r;
	json_t *doc;

	get("/api/v1/catalog/versions/active/document", &r);
	assert_int_equal(r.status, 200);
	assert_non_null(r.json);
	doc = json_incref(r.json);
	resp_free(&r);
	return doc;
}

static json_t *find_by(json_t *array, const char *key, const char *value)
{
	json_t *it;
	size_t i;

	json_array_foreach (array, i, it)
		if (strcmp(json_string_value(json_object_get(it, key)) ?: "", value) == 0)
			return it;
	return NULL;
}

static void test_permissions(void **state)
{
	struct resp r;

	(void)state;
	anonymous();
	get("/api/v1/catalog/versions", &r);
	assert_error(&r, 401, NULL, "*");
	resp_free(&r);
	get("/api/v1/catalog/proposals", &r);
	assert_error(&r, 401, NULL, "*");
	resp_free(&r);

	as("applicant");
	get("/api/v1/catalog/versions", &r);
	assert_error(&r, 403, NULL, "*");
	resp_free(&r);

	as("reviewer"); /* may propose and see versions, may not publish */
	get("/api/v1/catalog/versions", &r);
	assert_int_equal(r.status, 200);
	resp_free(&r);
	get("/api/v1/catalog/versions/1/document", &r);
	assert_error(&r, 403, NULL, "*");
	resp_free(&r);
	post("/api/v1/catalog/versions/1/activate", NULL, &r);
	assert_error(&r, 403, NULL, "*");
	resp_free(&r);
	post("/api/v1/catalog/versions", json_pack("{s:{}}", "document"), &r);
	assert_error(&r, 403, NULL, "*");
	resp_free(&r);
}

static void test_versions(void **state)
{
	struct resp r;
	json_t *doc, *ind, *ch, *items;
	char name[128];
	long v;

	(void)state;
	as("catalog_admin");
	get("/api/v1/catalog/versions", &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 1);
	assert_int_equal(json_integer_value(json_object_get(r.json, "active")), 1);
	items = json_object_get(r.json, "items");
	assert_string_equal(json_string_value(json_object_get(json_array_get(items, 0), "status")),
			    "active");
	assert_int_equal(json_string_length(json_object_get(json_array_get(items, 0), "sha256")),
			 64);
	resp_free(&r);

	/* Publish a changed copy of the active document. */
	doc = active_document();
	ind = find_by(json_object_get(doc, "industries"), "code", "bianlidian");
	assert_non_null(ind);
	json_object_set_new(ind, "name", json_string("便利店（新版）"));
	post("/api/v1/catalog/versions",
	     json_pack("{s:O,s:s}", "document", doc, "note", "便利店更名试验"), &r);
	if (r.status != 201)
		fprintf(stderr, "%s\n", r.body);
	assert_int_equal(r.status, 201);
	assert_int_equal(json_integer_value(json_object_get(r.json, "version")), 2);
	assert_string_equal(json_string_value(json_object_get(r.json, "status")), "published");
	ch = json_array_get(json_object_get(r.json, "changes"), 0);
	assert_non_null(ch);
	assert_string_equal(json_string_value(json_object_get(ch, "id")), "bianlidian");
	resp_free(&r);

	/* Published is not active: the guide still answers version 1. */
	guide_name(name, sizeof(name), &v);
	assert_string_equal(name, "便利店");
	assert_int_equal(v, 1);

	/* The diff says what changed. */
	get("/api/v1/catalog/versions/2/diff", &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "from")), 1);
	assert_int_equal(json_integer_value(json_object_get(r.json, "to")), 2);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 1);
	ch = json_array_get(json_object_get(r.json, "changes"), 0);
	assert_string_equal(json_string_value(json_object_get(ch, "kind")), "changed");
	assert_string_equal(json_string_value(json_object_get(ch, "entity")), "industry");
	assert_string_equal(json_string_value(json_object_get(ch, "id")), "bianlidian");
	assert_string_equal(json_string_value(json_array_get(json_object_get(ch, "keys"), 0)),
			    "name");
	resp_free(&r);
	get("/api/v1/catalog/versions/1/diff?against=2", &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 1);
	resp_free(&r);
	get("/api/v1/catalog/versions/2/diff?against=99", &r);
	assert_error(&r, 400, "unknown_version", "against");
	resp_free(&r);
	get("/api/v1/catalog/versions/1/diff", &r);
	assert_error(&r, 400, "required", "against");
	resp_free(&r);
	/* a version number is digits only (req_query_int) */
	get("/api/v1/catalog/versions/2/diff?against=%2B1", &r);
	assert_error(&r, 400, "invalid_number", "against");
	resp_free(&r);
	get("/api/v1/catalog/versions/2/diff?against=0", &r);
	assert_error(&r, 400, "invalid_number", "against");
	resp_free(&r);
	get("/api/v1/catalog/versions/9/diff", &r);
	assert_error(&r, 404, "unknown_version", "version");
	resp_free(&r);

	/* Activation switches what the guide answers, at once. */
	post("/api/v1/catalog/versions/2/activate", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "previous")), 1);
	resp_free(&r);
	guide_name(name, sizeof(name), &v);
	assert_string_equal(name, "便利店（新版）");
	assert_int_equal(v, 2);
	assert_int_equal(active_version(), 2);
	get("/api/v1/catalog/versions", &r);
	items = json_object_get(r.json, "items");
	assert_string_equal(json_string_value(json_object_get(json_array_get(items, 0), "status")),
			    "active");
	assert_string_equal(json_string_value(json_object_get(json_array_get(items, 1), "status")),
			    "retired");
	resp_free(&r);

	/* And back. */
	post("/api/v1/catalog/versions/1/activate", NULL, &r);
	assert_int_equal(r.status, 200);
	resp_free(&r);
	guide_name(name, sizeof(name), &v);
	assert_string_equal(name, "便利店");
	assert_int_equal(v, 1);
	post("/api/v1/catalog/versions/77/activate", NULL, &r);
	assert_error(&r, 404, "unknown_version", "version");
	resp_free(&r);
	json_decref(doc);
}

static void test_broken_document(void **state)
{
	struct resp r;
	json_t *doc, *ind, *permit, *problems, *p;
	size_t i;
	long total_before;

	(void)state;
	as("catalog_admin");
	get("/api/v1/catalog/versions", &r);
	total_before = (long)json_integer_value(json_object_get(r.json, "total"));
	resp_free(&r);

	/* Three unrelated faults. */
	doc = active_document();
	permit = json_array_get(json_object_get(doc, "permits"), 0);
	json_object_set_new(permit, "department", json_string("no_such_dept"));
	ind = find_by(json_object_get(doc, "industries"), "code", "shudian");
	json_object_set_new(ind, "lead", json_string("nobody"));
	ind = find_by(json_object_get(doc, "industries"), "code", "yaodian");
	json_object_set_new(ind, "permits", json_pack("[s]", "P_does_not_exist"));
	post("/api/v1/catalog/versions", json_pack("{s:o,s:b}", "document", doc, "activate", 1),
	     &r);
	assert_error(&r, 400, "catalog_invalid", "document");
	problems = json_object_get(json_object_get(r.json, "error"), "problems");
	assert_true(json_array_size(problems) >= 3);
	int dept = 0, lead = 0, perm = 0;
	json_array_foreach (problems, i, p) {
		const char *msg = json_string_value(json_object_get(p, "message"));

		assert_true(json_is_string(json_object_get(p, "file")));
		assert_true(json_is_string(json_object_get(p, "path")));
		dept |= strstr(msg, "no_such_dept") != NULL;
		lead |= strstr(msg, "nobody") != NULL;
		perm |= strstr(msg, "P_does_not_exist") != NULL;
	}
	assert_true(dept && lead && perm);
	resp_free(&r);

	/* A rule test that no longer holds is a problem too. */
	doc = active_document();
	permit = find_by(json_object_get(doc, "permits"), "code", "P_food_sale");
	json_object_set_new(permit, "committed_days", json_integer(9));
	post("/api/v1/catalog/versions", json_pack("{s:o}", "document", doc), &r);
	assert_error(&r, 400, "catalog_invalid", "document");
	resp_free(&r);

	/* Shapes. */
	post("/api/v1/catalog/versions", json_pack("{s:s}", "note", "x"), &r);
	assert_error(&r, 400, "required", "document");
	resp_free(&r);
	post("/api/v1/catalog/versions", json_pack("{s:[]}", "document"), &r);
	assert_error(&r, 400, "invalid_type", "document");
	resp_free(&r);
	post("/api/v1/catalog/versions", json_pack("{s:{},s:i}", "document", "surprise", 1), &r);
	assert_error(&r, 400, "unknown_field", "surprise");
	resp_free(&r);

	/* Nothing was published, the guide is untouched. */
	get("/api/v1/catalog/versions", &r);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), total_before);
	resp_free(&r);
	assert_int_equal(active_version(), 1);
}

static json_t *proposal(const char *kind, const char *industry, const char *title)
{
	return json_pack("{s:s,s:s?,s:s,s:s,s:s}", "kind", kind, "industry", industry, "title",
			 title, "reason", "群众反映办理环节多", "detail", "建议把招牌设置纳入");
}

static void test_proposals(void **state)
{
	struct resp r;
	json_t *doc, *items;
	long id, id2, id3, version;
	char path[200];

	(void)state;
	as("reviewer"); /* 区市场监管局 */
	post("/api/v1/catalog/proposals", proposal("change", "bianlidian", "便利店增加招牌情形"),
	     &r);
	assert_int_equal(r.status, 201);
	id = (long)json_integer_value(json_object_get(r.json, "id"));
	assert_string_equal(json_string_value(json_object_get(r.json, "status")), "pending");
	assert_string_equal(json_string_value(json_object_get(r.json, "department")), "scjgj");
	assert_string_equal(json_string_value(json_object_get(r.json, "proposed_by")), "reviewer");
	assert_string_equal(json_string_value(json_object_get(r.json, "industry_name")), "便利店");
	resp_free(&r);
	post("/api/v1/catalog/proposals", proposal("add", NULL, "新增宠物店行业"), &r);
	assert_int_equal(r.status, 201);
	id2 = (long)json_integer_value(json_object_get(r.json, "id"));
	assert_true(json_is_null(json_object_get(r.json, "industry")));
	resp_free(&r);

	/* Bad proposals. */
	post("/api/v1/catalog/proposals", proposal("remove", "bianlidian", "x"), &r);
	assert_error(&r, 400, "invalid_value", "kind");
	resp_free(&r);
	post("/api/v1/catalog/proposals", proposal("change", NULL, "x"), &r);
	assert_error(&r, 400, "required", "industry");
	resp_free(&r);
	post("/api/v1/catalog/proposals", proposal("change", "nowhere", "x"), &r);
	assert_error(&r, 400, "unknown_industry", "industry");
	resp_free(&r);
	post("/api/v1/catalog/proposals", json_pack("{s:s,s:s}", "kind", "add", "title", "x"), &r);
	assert_error(&r, 400, "required", "reason");
	resp_free(&r);
	post("/api/v1/catalog/proposals", proposal("add", NULL, "   "), &r);
	assert_error(&r, 400, "required", "title");
	resp_free(&r);

	/* Proposers see their own department's; deciding is not theirs. */
	get("/api/v1/catalog/proposals", &r);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 2);
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/catalog/proposals/%ld/decision", id);
	post(path, json_pack("{s:s}", "decision", "approve"), &r);
	assert_error(&r, 403, NULL, "*");
	resp_free(&r);
	as("reviewer2"); /* 区文化旅游局 */
	get("/api/v1/catalog/proposals", &r);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 0);
	resp_free(&r);
	post("/api/v1/catalog/proposals", proposal("change", "shudian", "书店放宽面积"), &r);
	assert_int_equal(r.status, 201);
	id3 = (long)json_integer_value(json_object_get(r.json, "id"));
	resp_free(&r);

	/* The catalog admin sees all and decides. */
	as("catalog_admin");
	get("/api/v1/catalog/proposals", &r);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 3);
	resp_free(&r);
	get("/api/v1/catalog/proposals?status=bogus", &r);
	assert_error(&r, 400, "invalid_value", "status");
	resp_free(&r);
	post(path, json_pack("{s:s,s:s}", "decision", "approve", "comment", "同意，纳入下一版"),
	     &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "status")), "approved");
	assert_string_equal(json_string_value(json_object_get(r.json, "decided_by")),
			    "catalog_admin");
	resp_free(&r);
	post(path, json_pack("{s:s}", "decision", "reject"), &r); /* decided already */
	assert_error(&r, 400, "required", "comment");
	resp_free(&r);
	post(path, json_pack("{s:s,s:s}", "decision", "reject", "comment", "改主意"), &r);
	assert_error(&r, 409, "proposal_decided", "*");
	resp_free(&r);
	post(path, json_pack("{s:s}", "decision", "maybe"), &r);
	assert_error(&r, 400, "invalid_value", "decision");
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/catalog/proposals/%ld/decision", id2);
	post(path, json_pack("{s:s,s:s}", "decision", "reject", "comment", "不属于一业一证范围"),
	     &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "status")), "rejected");
	resp_free(&r);
	post("/api/v1/catalog/proposals/999999/decision", json_pack("{s:s}", "decision", "approve"),
	     &r);
	assert_error(&r, 404, "unknown_proposal", "*");
	resp_free(&r);

	/* Approved ones are what the next version will include. */
	get("/api/v1/catalog/proposals?status=approved", &r);
	items = json_object_get(r.json, "items");
	assert_int_equal(json_array_size(items), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 0), "id")), id);
	resp_free(&r);

	/* Naming a proposal that is not approved publishes nothing. */
	doc = active_document();
	post("/api/v1/catalog/versions",
	     json_pack("{s:O,s:[I]}", "document", doc, "proposals", (json_int_t)id3), &r);
	assert_error(&r, 400, "proposal_not_approved", "proposals[0]");
	resp_free(&r);

	/* Publishing the next version includes the approved proposal. */
	post("/api/v1/catalog/versions",
	     json_pack("{s:o,s:s}", "document", doc, "note", "纳入建议"), &r);
	assert_int_equal(r.status, 201);
	version = (long)json_integer_value(json_object_get(r.json, "version"));
	resp_free(&r);
	get("/api/v1/catalog/proposals?status=included", &r);
	items = json_object_get(r.json, "items");
	assert_int_equal(json_array_size(items), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 0), "id")), id);
	assert_int_equal(
	    json_integer_value(json_object_get(json_array_get(items, 0), "included_in")), version);
	resp_free(&r);
	get("/api/v1/catalog/versions", &r);
	items = json_object_get(r.json, "items");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 0), "version")),
			 version);
	assert_int_equal(json_integer_value(json_array_get(
			     json_object_get(json_array_get(items, 0), "proposals"), 0)),
			 id);
	resp_free(&r);
	get("/api/v1/catalog/proposals?status=pending", &r);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 1); /* reviewer2's */
	resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_permissions),
	    cmocka_unit_test(test_versions),
	    cmocka_unit_test(test_broken_document),
	    cmocka_unit_test(test_proposals),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
