/*
 * test_license_registry.c — the registration link and the daily expiry job
 * (issue 12, points 8 and 9) on both backends: entities entered by staff
 * (permission, checks, nobody told when nothing differs, needs_change and
 * deregistered flags with the holder and issuers told), the import (bad
 * lines by number, the good ones applied, re-import changes nothing and
 * tells nobody, audit entries), and the expiry job (expired with its event,
 * 30- and 7-day notices exactly once even when run twice, the audit chain
 * whole).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "harness_life.h"

static struct server srv;
static struct life_ctx X;

/* ------------------------------------------------------------- registration */

static json_t *entity(const char *uscc)
{
	char path[96];
	struct resp r;
	json_t *o;

	snprintf(path, sizeof(path), "/api/v1/entities/%s", uscc);
	http_req(&srv, "GET", path, NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	o = json_incref(r.json);
	resp_free(&r);
	return o;
}

static const char *flags_of(const json_t *ent, char out[64])
{
	json_t *f;
	size_t i;

	out[0] = '\0';
	json_array_foreach (
	    json_object_get(json_array_get(json_object_get(ent, "licenses"), 0), "flags"), i, f) {
		strcat(out, json_string_value(f));
		strcat(out, ";");
	}
	return out;
}

static void test_entities_put(void **state)
{
	struct life_seed s;
	char path[96], flags[64], name[64];
	struct resp r;
	json_t *ent;
	long before;

	(void)state;
	life_seed_valid(&X, &s, LIFE_FOOD_SALE);
	snprintf(name, sizeof(name), "测试便利店%d", X.serial_no - 1);
	snprintf(path, sizeof(path), "/api/v1/entities/%s", s.uscc);
	/* permission: the applicant and a reviewer may not */
	life_as(&X, "applicant");
	http_json(&srv, "PUT", path, json_pack("{s:s}", "name", name), &r);
	assert_error(&r, 403, "forbidden", "*");
	resp_free(&r);
	life_as(&X, "clerk");
	http_json(&srv, "PUT", "/api/v1/entities/91310104MA1FL0000X",
		  json_pack("{s:s}", "name", "x"), &r);
	assert_error(&r, 400, "invalid_uscc", "uscc");
	resp_free(&r);
	http_json(&srv, "PUT", path, json_pack("{s:s,s:s}", "name", name, "status", "gone"), &r);
	assert_error(&r, 400, "invalid_status", "status");
	resp_free(&r);
	/* the same data as the license: nobody told, no flag */
	before = life_count(&X, "SELECT count(*) FROM notifications WHERE event = '%s'",
			    "entity_changed");
	http_json(&srv, "PUT", path,
		  json_pack("{s:s,s:s,s:s}", "name", name, "legal_rep", "张三", "address",
			    "徐汇区漕溪北路1号"),
		  &r);
	assert_int_equal(r.status, 201);
	resp_free(&r);
	ent = entity(s.uscc);
	assert_string_equal(flags_of(ent, flags), "");
	json_decref(ent);
	/* a new legal representative: holder and issuers told, license flagged */
	http_json(&srv, "PUT", path,
		  json_pack("{s:s,s:s,s:s}", "name", name, "legal_rep", "李四", "address",
			    "徐汇区漕溪北路1号"),
		  &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "needs_change")), 1);
	resp_free(&r);
	assert_true(life_count(&X, "SELECT count(*) FROM notifications WHERE event = '%s'",
			       "entity_changed") > before + 1);
	assert_true(server_sql_long(&srv,
				    "SELECT count(*) FROM notifications n JOIN user_roles r ON "
				    "r.user_id = n.user_id WHERE n.event = 'entity_changed' "
				    "AND r.role = 'issuer'") >= 1);
	ent = entity(s.uscc);
	assert_string_equal(flags_of(ent, flags), "needs_change;");
	json_decref(ent);
	/* deregistered: flagged for cancellation */
	http_json(&srv, "PUT", path,
		  json_pack("{s:s,s:s,s:s,s:s}", "name", name, "legal_rep", "李四", "address",
			    "徐汇区漕溪北路1号", "status", "deregistered"),
		  &r);
	assert_int_equal(json_integer_value(json_object_get(r.json, "deregistered")), 1);
	resp_free(&r);
	ent = entity(s.uscc);
	assert_string_equal(flags_of(ent, flags), "deregistered;needs_change;");
	json_decref(ent);
}

static void test_entities_import(void **state)
{
	struct life_seed a, b;
	char file[400], line[1024], *out = NULL;
	FILE *f;
	long told;

	(void)state;
	life_seed_valid(&X, &a, LIFE_FOOD_SALE);
	life_seed_valid(&X, &b, LIFE_FOOD_SALE);
	snprintf(file, sizeof(file), "%s/registration.jsonl", srv.dir);
	f = fopen(file, "w");
	assert_non_null(f);
	/* line 1: a's new name; 2: bad JSON; 3: bad code; 4: blank; 5: b deregistered;
	 * 6: a new entity without licenses; 7: missing name */
	fprintf(f,
		"{\"uscc\":\"%s\",\"name\":\"改名后的便利店\",\"legal_rep\":\"张三\","
		"\"address\":\"徐汇区漕溪北路1号\"}\n",
		a.uscc);
	fprintf(f, "{not json\n");
	fprintf(f, "{\"uscc\":\"91310104MA1FL0000X\",\"name\":\"x\"}\n");
	fprintf(f, "\n");
	snprintf(line, sizeof(line), "测试便利店%d", X.serial_no - 1);
	fprintf(f, "{\"uscc\":\"%s\",\"name\":\"%s\",\"status\":\"deregistered\"}\n", b.uscc, line);
	test_uscc(9999, line);
	fprintf(f, "{\"uscc\":\"%s\",\"name\":\"新主体\",\"legal_rep\":\"王五\"}\n", line);
	fprintf(f, "{\"uscc\":\"%s\"}\n", line);
	fclose(f);

	told =
	    life_count(&X, "SELECT count(*) FROM notifications WHERE event LIKE '%s'", "entity_%");
	assert_int_equal(
	    server_cli(&srv, &out, (const char *const[]){"entities", "import", file, NULL}), 1);
	if (strstr(out, ":2:") == NULL)
		fprintf(stderr, "import: %s\n", out);
	assert_non_null(strstr(out, ":2:"));
	assert_non_null(strstr(out, ":3:"));
	assert_non_null(strstr(out, ":7:"));
	assert_null(strstr(out, ":1:"));
	assert_null(strstr(out, ":5:"));
	free(out);
	assert_true(life_count(&X, "SELECT count(*) FROM notifications WHERE event LIKE '%s'",
			       "entity_%") > told);
	/* each changed entity audited, in the batch's transaction */
	assert_int_equal(
	    life_count(&X,
		       "SELECT count(*) FROM audit_log WHERE action = 'entity.import' AND "
		       "object = 'entity:%s'",
		       a.uscc),
	    1);
	life_as(&X, "issuer");
	{
		char flags[64];
		json_t *ent = entity(a.uscc);

		assert_string_equal(flags_of(ent, flags), "needs_change;");
		assert_string_equal(
		    json_string_value(json_object_get(json_object_get(ent, "entity"), "source")),
		    "import");
		json_decref(ent);
		ent = entity(b.uscc);
		assert_string_equal(flags_of(ent, flags), "deregistered;");
		json_decref(ent);
	}
	/* re-import: nothing changes, nobody is told again */
	told =
	    life_count(&X, "SELECT count(*) FROM notifications WHERE event LIKE '%s'", "entity_%");
	out = NULL;
	assert_int_equal(
	    server_cli(&srv, &out, (const char *const[]){"entities", "import", file, NULL}), 1);
	assert_non_null(strstr(out, "无变化 3"));
	free(out);
	assert_int_equal(
	    life_count(&X, "SELECT count(*) FROM notifications WHERE event LIKE '%s'", "entity_%"),
	    told);
}

/* ------------------------------------------------------------------ expiry */

static void test_expiry(void **state)
{
	struct life_seed gone, month, week, none;
	char day[16], *out = NULL;
	int d = X.today + 3000; /* a day of our own, after every other license's term */

	(void)state;
	gone = (struct life_seed){.holder = "applicant",
				  .status = "valid",
				  .from = d - 800,
				  .until = d - 1,
				  .permits = LIFE_FOOD_SALE};
	month = (struct life_seed){.holder = "applicant",
				   .status = "valid",
				   .from = d - 800,
				   .until = d + 20,
				   .permits = LIFE_FOOD_SALE};
	week = (struct life_seed){.holder = "applicant",
				  .status = "valid",
				  .from = d - 800,
				  .until = d + 5,
				  .permits = LIFE_FOOD_SALE};
	none = (struct life_seed){.holder = "applicant",
				  .status = "valid",
				  .from = d - 800,
				  .until = -1,
				  .permits = LIFE_FOOD_SALE};
	life_seed_license(&X, &gone);
	life_seed_license(&X, &month);
	life_seed_license(&X, &week);
	life_seed_license(&X, &none);
	life_day_text(d, day);
	for (int run = 0; run < 2; run++) {
		assert_int_equal(
		    server_cli(&srv, &out,
			       (const char *const[]){"licenses", "expire", "--today", day, NULL}),
		    0);
		free(out);
		out = NULL;
	}
	assert_int_equal(
	    life_count(&X,
		       "SELECT count(*) FROM licenses WHERE number = '%s' AND status = "
		       "'expired'",
		       gone.number),
	    1);
	assert_int_equal(
	    life_count(&X,
		       "SELECT count(*) FROM license_events WHERE number = '%s' AND kind = "
		       "'expire'",
		       gone.number),
	    1);
	assert_int_equal(
	    life_count(&X,
		       "SELECT count(*) FROM licenses WHERE number = '%s' AND status = "
		       "'valid'",
		       none.number),
	    1);
	/* exactly once each, though the job ran twice */
	assert_int_equal(
	    life_count(&X,
		       "SELECT count(*) FROM notifications WHERE event = 'expiry_30' AND "
		       "link = '/licenses/%s'",
		       month.number),
	    1);
	assert_int_equal(
	    life_count(&X,
		       "SELECT count(*) FROM notifications WHERE event = 'expiry_7' AND "
		       "link = '/licenses/%s'",
		       week.number),
	    1);
	assert_int_equal(
	    life_count(&X,
		       "SELECT count(*) FROM notifications WHERE event LIKE 'expiry%%' AND "
		       "link = '/licenses/%s'",
		       none.number),
	    0);
	/* two weeks later the month's license is within a week: its 7-day notice, once */
	life_day_text(d + 14, day);
	for (int run = 0; run < 2; run++) {
		assert_int_equal(
		    server_cli(&srv, &out,
			       (const char *const[]){"licenses", "expire", "--today", day, NULL}),
		    0);
		free(out);
		out = NULL;
	}
	assert_int_equal(
	    life_count(&X,
		       "SELECT count(*) FROM notifications WHERE event = 'expiry_7' AND "
		       "link = '/licenses/%s'",
		       month.number),
	    1);
	assert_int_equal(
	    life_count(&X,
		       "SELECT count(*) FROM notifications WHERE event = 'expiry_30' AND "
		       "link = '/licenses/%s'",
		       month.number),
	    1);
	/* the week's license expired meanwhile */
	assert_int_equal(
	    life_count(&X,
		       "SELECT count(*) FROM licenses WHERE number = '%s' AND status = "
		       "'expired'",
		       week.number),
	    1);
	assert_true(life_count(&X, "SELECT count(*) FROM audit_log WHERE action = '%s'",
			       "license.expiry_job") >= 2);
	/* the jobs' entries keep the hash chain whole */
	assert_int_equal(server_cli(&srv, &out, (const char *const[]){"audit", "verify", NULL}), 0);
	free(out);
	out = NULL;
	/* a bad date is a usage error */
	assert_int_equal(
	    server_cli(&srv, &out,
		       (const char *const[]){"licenses", "expire", "--today", "2026-02-30", NULL}),
	    2);
	free(out);
}

/* Two nodes run the job for the same day at once (the command line forces
 * a run, so both really run): the job's lock makes the second wait for the
 * first and find nothing left; neither fails, nothing happens twice. */
struct cli_run {
	char day[16];
	int rc;
};

static void *run_expire(void *arg)
{
	struct cli_run *c = arg;
	char *out = NULL;

	c->rc = server_cli(&srv, &out,
			   (const char *const[]){"licenses", "expire", "--today", c->day, NULL});
	if (c->rc != 0)
		fprintf(stderr, "expire: %s\n", out ? out : "");
	free(out);
	return NULL;
}

static void test_expiry_two_at_once(void **state)
{
	struct life_seed s[6];
	struct cli_run runs[2];
	pthread_t t[2];
	int d = X.today + 6000;

	(void)state;
	for (int i = 0; i < 6; i++) {
		s[i] = (struct life_seed){.holder = "applicant",
					  .status = "valid",
					  .from = d - 900,
					  .until = i < 3 ? d - 1 - i : d + 3 + i,
					  .permits = LIFE_FOOD_SALE};
		life_seed_license(&X, &s[i]);
	}
	for (int i = 0; i < 2; i++) {
		life_day_text(d, runs[i].day);
		assert_int_equal(pthread_create(&t[i], NULL, run_expire, &runs[i]), 0);
	}
	for (int i = 0; i < 2; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_int_equal(runs[i].rc, 0);
	}
	for (int i = 0; i < 6; i++) {
		assert_int_equal(life_count(&X,
					    "SELECT count(*) FROM license_events WHERE number = "
					    "'%s' AND kind = 'expire'",
					    s[i].number),
				 i < 3 ? 1 : 0);
		assert_int_equal(life_count(&X,
					    "SELECT count(*) FROM notifications WHERE event LIKE "
					    "'expiry%%' AND link = '/licenses/%s'",
					    s[i].number),
				 i < 3 ? 0 : 1);
	}
}

static int setup(void **state)
{
	(void)state;
	return life_setup(&X, &srv, 2000);
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
	    cmocka_unit_test(test_entities_put),
	    cmocka_unit_test(test_entities_import),
	    cmocka_unit_test(test_expiry),
	    cmocka_unit_test(test_expiry_two_at_once),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
