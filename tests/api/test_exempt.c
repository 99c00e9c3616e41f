/*
 * test_exempt.c — 免于提交 for real (issue 14 point 5) on both backends:
 * an application whose entity is not in the entity register gets no
 * material by sharing and no pre-filled legal representative, and the
 * upload refusal of an exempt material says the department checks it; once
 * `yiye entities import` lists the entity (idempotently), a new
 * application has 营业执照 recorded as obtained by sharing (source,
 * register, time, the register's record), its form pre-filled from the
 * register, and the materials API says so; a deregistered entity is not in
 * the register; a license the platform issues feeds the register.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness_app.h"
#include "harness_license.h"

static struct server srv;

static const char *str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

/* A 便利店 draft of the demo applicant: the application (a new reference). */
static json_t *create_app(void)
{
	struct resp r;
	json_t *app;
	long long id;

	lic_as(&srv, "applicant");
	http_json(
	    &srv, "POST", "/api/v1/applications",
	    json_pack("{s:s,s:o}", "industry", "bianlidian", "answers", app_bianlidian_answers()),
	    &r);
	if (r.status != 201)
		fprintf(stderr, "create: %s\n", r.body);
	assert_int_equal(r.status, 201);
	id = json_integer_value(json_object_get(json_object_get(r.json, "application"), "id"));
	resp_free(&r);
	app = lic_get_app(&srv, id);
	assert_non_null(app);
	return app;
}

static bool has_string(const json_t *arr, const char *s)
{
	size_t i;
	json_t *v;

	json_array_foreach (arr, i, v)
		if (strcmp(json_string_value(v) ? json_string_value(v) : "", s) == 0)
			return true;
	return false;
}

/* PUT an exempt material: 400 material_exempt; *msg the message. */
static void put_exempt(long long id, const char *mid, char *msg, size_t msgsz)
{
	char path[160];
	struct resp r;

	snprintf(path, sizeof(path), "/api/v1/applications/%lld/materials/%s", id, mid);
	http_req(&srv, "PUT", path, "application/pdf", "%PDF-1.4\n", 9, NULL, &r);
	assert_error(&r, 400, "material_exempt", "material_id");
	snprintf(msg, msgsz, "%s", str(json_object_get(r.json, "error"), "message"));
	resp_free(&r);
}

static void import_line(const char *line, int want_exit, const char *want_out)
{
	char file[400], *out = NULL;
	FILE *f;

	snprintf(file, sizeof(file), "%s/registration.jsonl", srv.dir);
	f = fopen(file, "w");
	assert_non_null(f);
	fprintf(f, "%s\n", line);
	fclose(f);
	assert_int_equal(
	    server_cli(&srv, &out, (const char *const[]){"entities", "import", file, NULL}),
	    want_exit);
	if (strstr(out, want_out) == NULL)
		fprintf(stderr, "import: %s\n", out);
	assert_non_null(strstr(out, want_out));
	free(out);
}

/* Fills application app (the applicant's draft) with valid values, writes its
 * materials' rows and submits it: the application after (a new reference). */
static json_t *fill_and_submit(json_t *app)
{
	long long id = json_integer_value(json_object_get(app, "id"));
	json_t *form = json_object(), *f;
	char path[160];
	struct resp r;
	size_t i;

	json_array_foreach (json_object_get(json_object_get(app, "notice"), "fields"), i, f)
		json_object_set_new(form, str(f, "id"), app_field_value(f, 7000 + (unsigned)i));
	snprintf(path, sizeof(path), "/api/v1/applications/%lld", id);
	http_json(&srv, "PATCH", path,
		  json_pack("{s:o,s:O}", "form", form, "version", json_object_get(app, "version")),
		  &r);
	if (r.status != 200)
		fprintf(stderr, "patch: %s\n", r.body);
	assert_int_equal(r.status, 200);
	resp_free(&r);
	app_insert_materials(&srv, id,
			     json_object_get(json_object_get(app, "notice"), "materials"));
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/submit", id);
	lic_post(&srv, path, NULL, 200, NULL, NULL);
	return lic_get_app(&srv, id);
}

static char demo_uscc[19], demo_name[200];

static void test_not_in_register(void **state)
{
	json_t *app, *form;
	char path[160], msg[512];
	struct resp r;
	long long id;

	(void)state;
	app = create_app();
	id = json_integer_value(json_object_get(app, "id"));
	form = json_object_get(app, "form");
	/* the account's entity fills the name and code, nothing else */
	snprintf(demo_uscc, sizeof(demo_uscc), "%s", str(form, "F_uscc"));
	snprintf(demo_name, sizeof(demo_name), "%s", str(form, "F_ent_name"));
	assert_int_equal(strlen(demo_uscc), 18);
	assert_null(json_object_get(form, "F_legal_name"));
	assert_int_equal(json_array_size(json_object_get(app, "shared_materials")), 0);
	/* the notice lists 营业执照 as obtainable from the register */
	{
		size_t i;
		json_t *m;
		bool seen = false;

		json_array_foreach (json_object_get(json_object_get(app, "notice"), "materials"), i,
				    m)
			if (strcmp(str(m, "id"), "M_yyzz") == 0) {
				seen = true;
				assert_string_equal(str(m, "shared_from"), "entity_register");
			} else if (json_is_true(json_object_get(m, "exempt"))) {
				assert_null(json_object_get(m, "shared_from"));
			}
		assert_true(seen);
	}
	/* nothing claims the platform fetched it */
	put_exempt(id, "M_yyzz", msg, sizeof(msg));
	assert_non_null(strstr(msg, "由审批部门核验"));
	assert_null(strstr(msg, "信息共享获取"));
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/materials/M_yyzz", id);
	http_req(&srv, "GET", path, NULL, NULL, 0, NULL, &r);
	assert_error(&r, 404, "material_exempt", "material_id");
	resp_free(&r);
	json_decref(app);
}

static void test_import_makes_exempt(void **state)
{
	json_t *app, *form, *sm, *rec, *old;
	char line[1024], path[160], msg[512];
	struct resp r;
	long long id, old_id;

	(void)state;
	old = create_app();
	old_id = json_integer_value(json_object_get(old, "id"));
	json_decref(old);
	/* the export lists the demo entity with what registration knows: the
	 * same name confirmed by registration is a change once, then none */
	snprintf(line, sizeof(line),
		 "{\"uscc\":\"%s\",\"name\":\"%s\",\"legal_rep\":\"张登记\","
		 "\"address\":\"上海市徐汇区漕溪北路1号\"}",
		 demo_uscc, demo_name);
	import_line(line, 0, "更新 1");
	import_line(line, 0, "无变化 1");

	app = create_app();
	id = json_integer_value(json_object_get(app, "id"));
	form = json_object_get(app, "form");
	assert_string_equal(str(form, "F_legal_name"), "张登记");
	assert_string_equal(str(form, "F_reg_address"), "上海市徐汇区漕溪北路1号");
	assert_true(has_string(json_object_get(app, "prefilled"), "F_legal_name"));
	assert_int_equal(json_array_size(json_object_get(app, "shared_materials")), 1);
	sm = json_array_get(json_object_get(app, "shared_materials"), 0);
	assert_string_equal(str(sm, "material_id"), "M_yyzz");
	assert_string_equal(str(sm, "obtained_by"), "sharing");
	assert_string_equal(str(sm, "register"), "entity_register");
	assert_string_equal(str(sm, "register_source"), "import");
	assert_string_equal(str(sm, "source"), "市场主体登记信息共享（区大数据中心）");
	assert_true(json_integer_value(json_object_get(sm, "obtained_at")) > 0);
	rec = json_object_get(sm, "record");
	assert_string_equal(str(rec, "uscc"), demo_uscc);
	assert_string_equal(str(rec, "legal_rep"), "张登记");
	assert_true(has_string(json_object_get(rec, "fields"), "F_legal_name"));
	assert_true(has_string(json_object_get(rec, "fields"), "F_reg_address"));

	/* the materials API says it was obtained by sharing */
	put_exempt(id, "M_yyzz", msg, sizeof(msg));
	assert_non_null(strstr(msg, "已由平台通过信息共享获取"));
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/materials/M_yyzz", id);
	http_req(&srv, "GET", path, NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(str(json_object_get(r.json, "shared"), "obtained_by"), "sharing");
	resp_free(&r);
	/* a reviewer of the district sees the same record */
	json_decref(app);

	/* the earlier draft is what it was until it is submitted: then the
	 * register is read again and 营业执照 obtained */
	app = lic_get_app(&srv, old_id);
	assert_int_equal(json_array_size(json_object_get(app, "shared_materials")), 0);
	old = fill_and_submit(app);
	json_decref(app);
	assert_string_equal(str(old, "status"), "submitted");
	sm = json_array_get(json_object_get(old, "shared_materials"), 0);
	assert_string_equal(str(sm, "material_id"), "M_yyzz");
	assert_string_equal(str(json_object_get(sm, "record"), "legal_rep"), "张登记");
	json_decref(old);

	/* deregistered: no longer in the register */
	snprintf(line, sizeof(line),
		 "{\"uscc\":\"%s\",\"name\":\"%s\",\"legal_rep\":\"张登记\","
		 "\"address\":\"上海市徐汇区漕溪北路1号\",\"status\":\"deregistered\"}",
		 demo_uscc, demo_name);
	import_line(line, 0, "更新 1");
	app = create_app();
	assert_int_equal(json_array_size(json_object_get(app, "shared_materials")), 0);
	json_decref(app);
	/* registered again, for the tests after this one */
	snprintf(line, sizeof(line),
		 "{\"uscc\":\"%s\",\"name\":\"%s\",\"legal_rep\":\"张登记\","
		 "\"address\":\"上海市徐汇区漕溪北路1号\"}",
		 demo_uscc, demo_name);
	import_line(line, 0, "更新 1");
}

static void test_license_feeds_register(void **state)
{
	struct lic_holder h;
	char sql[256];
	json_t *lic;
	long long id;

	(void)state;
	id = lic_approved_shudian(&srv, "免提交测试书店", &h);
	lic = lic_issue(&srv, id);
	json_decref(lic);
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM entities WHERE uscc = '%s' AND source = 'license' AND "
		 "name = '免提交测试书店' AND status = 'registered'",
		 h.uscc);
	assert_int_equal(server_sql_long(&srv, sql), 1);
	/* a row from registration is never overwritten by a license */
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM entities WHERE uscc = '%s' AND source = 'import'",
		 demo_uscc);
	assert_int_equal(server_sql_long(&srv, sql), 1);
}

static int setup(void **state)
{
	(void)state;
	setenv("YIYE_TODAY", LIC_TODAY, 1);
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
	    cmocka_unit_test(test_not_in_register),
	    cmocka_unit_test(test_import_makes_exempt),
	    cmocka_unit_test(test_license_feeds_register),
	};

	curl_global_init(CURL_GLOBAL_DEFAULT);
	return cmocka_run_group_tests(tests, setup, teardown);
}
