/*
 * harness_app.c — see harness_app.h.
 */
#include "harness_app.h"

#include <stdio.h>
#include <string.h>

#include "store/store.h"

static const char *jstr(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

json_t *app_bianlidian_answers(void)
{
	return json_pack("{s:b,s:b,s:b,s:b,s:b,s:i,s:b}", "q_alcohol", 0, "q_tobacco", 0, "q_drug",
			 0, "q_device2", 0, "q_hot_food", 0, "q_area", 80, "q_sign", 0);
}

json_t *app_field_value(const json_t *f, unsigned uscc_serial)
{
	const char *type = jstr(f, "type");
	json_t *min = json_object_get(f, "min"), *max = json_object_get(f, "max");

	if (strcmp(type, "number") == 0 || strcmp(type, "area") == 0) {
		json_int_t v =
		    min && json_number_value(min) > 1 ? (json_int_t)json_number_value(min) : 50;

		if (max && v > (json_int_t)json_number_value(max)) /* a field capped below 50 */
			v = (json_int_t)json_number_value(max);
		return json_integer(v);
	}
	if (strcmp(type, "address") == 0)
		return json_string("徐汇区漕溪北路1号");
	if (strcmp(type, "date") == 0)
		return json_string("2025-06-01");
	if (strcmp(type, "enum") == 0)
		return json_string(jstr(json_array_get(json_object_get(f, "options"), 0), "value"));
	if (strcmp(type, "uscc") == 0) {
		char code[19];

		test_uscc(uscc_serial, code);
		return json_string(code);
	}
	if (strcmp(type, "idcard") == 0)
		return json_string("110101199003078515");
	if (strcmp(type, "phone") == 0)
		return json_string("13800138000");
	return json_string("测试内容");
}

void app_insert_materials(const struct server *s, long long id, const json_t *materials)
{
	struct store *st;
	struct store_conn *c;
	struct yerr e = {0};
	char url[700];
	size_t i;
	json_t *m;

	if (s->db_url[0])
		snprintf(url, sizeof(url), "%s", s->db_url);
	else
		snprintf(url, sizeof(url), "%s/yiye.db", s->dir);
	assert_int_equal(store_open(&st, url, 1, NULL, &e), 0);
	assert_int_equal(store_acquire(st, &c, &e), 0);
	assert_int_equal(store_begin(c, &e), 0);
	json_array_foreach (materials, i, m) {
		if (json_is_true(json_object_get(m, "exempt")))
			continue;
		assert_int_equal(
		    store_exec(c,
			       "INSERT INTO application_materials (district, application_id, "
			       "material_id, sha256, size, type, uploaded_at) "
			       "VALUES ('310104', ?, ?, ?, 1, 'pdf', 1)",
			       (struct store_param[]){SP_INT(id), SP_TEXT(jstr(m, "id")),
						      SP_TEXT("000000000000000000000000000000000000"
							      "0000000000000000000000000000")},
			       3, NULL, &e),
		    0);
	}
	assert_int_equal(store_commit(c, &e), 0);
	store_release(c);
	store_close(st);
}

void app_register_applicant2(struct server *s, const char *password)
{
	struct resp r;

	http_json(s, "POST", "/api/v1/registrations",
		  json_pack("{s:s,s:s,s:s,s:s}", "username", "applicant2", "password", password,
			    "name", "另一位申请人", "phone", "13900139000"),
		  &r);
	if (r.status != 201)
		fprintf(stderr, "register: %s\n", r.body);
	resp_free(&r);
}
