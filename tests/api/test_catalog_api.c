/*
 * test_catalog_api.c — the public side of the catalog against a real server:
 * industry search (1–2 Chinese characters, pinyin, empty, no hit, too long),
 * every industry's 办事指南, every industry's guide run to completion through
 * the API, 便利店's published figures, the guide's error answers, and
 * `yiye catalog import` from the command line (a broken copy changes nothing
 * and lists every problem; a good one becomes the next version and, with
 * --activate, what the server serves after a restart).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

static struct server srv;

static int setup(void **state)
{
	(void)state;
	return server_start(&srv, 0, NULL);
}

static int teardown(void **state)
{
	(void)state;
	server_stop(&srv, 0);
	return 0;
}

static const char *source_dir(void)
{
	const char *d = getenv("YIYE_SOURCE_DIR");

	return d && *d ? d : YIYE_SOURCE_DIR;
}

static void get(const char *path, struct resp *r)
{
	assert_int_equal(http_req(&srv, "GET", path, NULL, NULL, 0, NULL, r), 0);
}

/* guide posts {"industry":code,"answers":answers} (answers stolen, may be NULL). */
static void guide(const char *code, json_t *answers, struct resp *r)
{
	json_t *body = json_pack("{s:s}", "industry", code);

	if (answers)
		json_object_set_new(body, "answers", answers);
	assert_int_equal(http_json(&srv, "POST", "/api/v1/guide", body, r), 0);
}

/* search returns the names of the hits of GET /api/v1/industries?q=query (URL-encoded). */
static json_t *search(const char *query, long *total)
{
	char path[512], *enc = curl_easy_escape(NULL, query, 0);
	json_t *names = json_array(), *it;
	struct resp r;
	size_t i;

	snprintf(path, sizeof(path), "/api/v1/industries?q=%s", enc);
	curl_free(enc);
	get(path, &r);
	assert_int_equal(r.status, 200);
	json_array_foreach (json_object_get(r.json, "items"), i, it)
		json_array_append(names, json_object_get(it, "name"));
	*total = json_integer_value(json_object_get(r.json, "total"));
	assert_int_equal(json_integer_value(json_object_get(r.json, "catalog_version")), 1);
	resp_free(&r);
	return names;
}

static void expect_first(const char *query, const char *name)
{
	long total;
	json_t *names = search(query, &total);

	assert_true(total >= 1);
	assert_string_equal(json_string_value(json_array_get(names, 0)), name);
	json_decref(names);
}

static void test_search(void **state)
{
	struct resp r;
	long total;
	json_t *names, *item;
	char path[600], longq[301];

	(void)state;
	expect_first("药", "药店");
	expect_first("书店", "书店");
	expect_first("便利", "便利店");
	expect_first("bld", "便利店"); /* pinyin initials */
	expect_first(" 书店 ", "书店");

	names = search("", &total);
	assert_int_equal(total, 26);
	assert_int_equal(json_array_size(names), 26);
	json_decref(names);
	get("/api/v1/industries", &r); /* no q at all */
	assert_int_equal(r.status, 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 26);
	item = json_array_get(json_object_get(r.json, "items"), 0);
	assert_true(json_is_string(json_object_get(item, "code")));
	assert_true(json_is_array(json_object_get(item, "aliases")));
	/* no source gives batches: none is shown; every industry says where it stands */
	assert_true(json_is_null(json_object_get(item, "batch")));
	assert_string_equal(json_string_value(json_object_get(item, "status")), "in_force");
	assert_string_equal(json_string_value(json_object_get(item, "status_label")), "已实施");
	assert_true(json_is_true(json_object_get(item, "offered")));
	assert_string_equal(json_string_value(json_object_get(item, "effective_date")),
			    "2021-10-01");
	assert_true(json_string_length(json_object_get(json_object_get(item, "lead"), "name")) > 0);
	assert_true(json_is_array(json_object_get(item, "cooperating")));
	assert_true(json_integer_value(json_object_get(item, "permits")) >= 1);
	assert_true(json_is_string(json_object_get(json_object_get(item, "provenance"), "status")));
	resp_free(&r);

	/* published=true (the home page): only the industries with published figures,
	 * each with its permits by name; anything but true/false is refused */
	get("/api/v1/industries?published=true", &r);
	assert_int_equal(r.status, 200);
	{
		json_t *items = json_object_get(r.json, "items");
		size_t k;

		assert_true(json_array_size(items) >= 1 && json_array_size(items) < 26);
		assert_int_equal(json_integer_value(json_object_get(r.json, "total")),
				 (long)json_array_size(items));
		json_array_foreach (items, k, item) {
			assert_true(json_is_object(json_object_get(item, "published")));
			assert_true(json_is_array(json_object_get(item, "published_permits")));
		}
		assert_string_equal(
		    json_string_value(json_object_get(json_array_get(items, 0), "code")),
		    "bianlidian");
	}
	resp_free(&r);
	get("/api/v1/industries?published=false", &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 26);
	resp_free(&r);
	get("/api/v1/industries?published=yes", &r);
	assert_int_equal(r.status, 400);
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(r.json, "error"), "field")),
	    "published");
	resp_free(&r);

	names = search("量子计算机", &total);
	assert_int_equal(total, 0);
	assert_int_equal(json_array_size(names), 0);
	json_decref(names);

	memset(longq, 'a', 300);
	longq[300] = '\0';
	snprintf(path, sizeof(path), "/api/v1/industries?q=%s", longq);
	get(path, &r);
	assert_error(&r, 400, "query_too_long", "q");
	resp_free(&r);
}

static void test_catalog_info(void **state)
{
	struct resp r;

	(void)state;
	get("/api/v1/catalog", &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "version")), 1);
	assert_int_equal(json_integer_value(json_object_get(r.json, "industries")), 26);
	/* where to apply, hours, phone and fees: each says whether it is confirmed */
	for (const char *const *k = (const char *const[]){"place", "address", "window", "hours",
							  "phone", "fees", NULL};
	     *k; k++) {
		json_t *it = json_object_get(json_object_get(r.json, "service"), *k);
		assert_true(json_string_length(json_object_get(it, "text")) > 0);
		assert_true(json_is_string(json_object_get(it, "status")));
	}
	assert_string_equal(
	    json_string_value(json_object_get(
		json_object_get(json_object_get(r.json, "service"), "phone"), "status")),
	    "to_confirm");
	resp_free(&r);
}

/* Every industry's 办事指南 is complete enough to print. */
static void test_every_industry_page(void **state)
{
	struct resp list, r;
	json_t *it, *g, *p;
	size_t i, k;
	char path[200];

	(void)state;
	get("/api/v1/industries", &list);
	assert_int_equal(list.status, 200);
	json_array_foreach (json_object_get(list.json, "items"), i, it) {
		const char *code = json_string_value(json_object_get(it, "code"));

		snprintf(path, sizeof(path), "/api/v1/industries/%s", code);
		get(path, &r);
		assert_int_equal(r.status, 200);
		assert_int_equal(json_integer_value(json_object_get(r.json, "catalog_version")), 1);
		assert_string_equal(json_string_value(json_object_get(r.json, "code")), code);
		assert_true(json_string_length(json_object_get(r.json, "description")) > 0);
		assert_true(json_string_length(
				json_object_get(json_object_get(r.json, "lead"), "name")) > 0);
		assert_true(json_array_size(json_object_get(r.json, "permits")) >= 1);
		json_array_foreach (json_object_get(r.json, "permits"), k, p) {
			assert_true(json_string_length(json_object_get(p, "name")) > 0);
			assert_true(json_string_length(json_object_get(
					json_object_get(p, "department"), "name")) > 0);
			assert_true(json_is_string(json_object_get(p, "legal_basis")));
			assert_true(json_is_integer(json_object_get(p, "committed_days")));
			assert_true(json_is_boolean(json_object_get(p, "inspection")));
		}
		g = json_object_get(r.json, "conditions");
		assert_int_equal(json_array_size(g), 5);
		assert_string_equal(
		    json_string_value(json_object_get(json_array_get(g, 0), "category")), "场所");
		assert_string_equal(
		    json_string_value(json_object_get(json_array_get(g, 4), "category")),
		    "管理制度");
		assert_true(json_array_size(json_object_get(r.json, "materials")) >= 1);
		/* an industry merging a single permit may ask nothing */
		assert_true(json_array_size(json_object_get(r.json, "questions")) >= 1 ||
			    json_array_size(json_object_get(r.json, "permits")) == 1);
		assert_true(json_is_string(json_object_get(r.json, "status")));
		assert_true(
		    json_string_length(json_object_get(
			json_object_get(json_object_get(r.json, "service"), "rules"), "text")) > 0);
		assert_true(json_is_string(json_object_get(
		    json_object_get(json_object_get(r.json, "service"), "address"), "status")));
		assert_true(
		    json_is_array(json_object_get(json_object_get(r.json, "after"), "modelled")));
		assert_true(json_integer_value(json_object_get(
				json_object_get(r.json, "time_limits"), "max_days")) >= 1);
		resp_free(&r);
	}
	resp_free(&list);

	get("/api/v1/industries/no-such-industry", &r);
	assert_error(&r, 404, "unknown_industry", "code");
	resp_free(&r);
}

/* A valid answer to a question as the API describes it. */
static json_t *valid_answer(const json_t *q)
{
	const char *type = json_string_value(json_object_get(q, "type"));
	json_t *opts = json_object_get(q, "options");

	if (strcmp(type, "boolean") == 0)
		return json_true();
	if (strcmp(type, "choice") == 0)
		return json_deep_copy(json_object_get(json_array_get(opts, 0), "value"));
	if (strcmp(type, "multi") == 0)
		return json_pack("[O]", json_object_get(json_array_get(opts, 0), "value"));
	if (strcmp(type, "number") == 0) {
		double lo = json_number_value(json_object_get(q, "min"));
		double hi = json_object_get(q, "max") ? json_number_value(json_object_get(q, "max"))
						      : lo + 100;
		return json_integer(
		    (json_int_t)((lo + hi) / 2 > lo + 50 ? lo + 50 : (lo + hi) / 2));
	}
	return json_string("测试");
}

/* Answers each industry's next questions until the guide is complete. */
static void test_every_industry_guide(void **state)
{
	struct resp list, r;
	json_t *it, *q;
	size_t i, k;

	(void)state;
	get("/api/v1/industries", &list);
	json_array_foreach (json_object_get(list.json, "items"), i, it) {
		const char *code = json_string_value(json_object_get(it, "code"));
		json_t *answers = json_object();
		int rounds;

		if (!json_is_true(json_object_get(it, "offered"))) {
			/* planned or suspended: the guide refuses it, saying why */
			guide(code, NULL, &r);
			assert_error(&r, 409, "industry_not_offered", "industry");
			resp_free(&r);
			json_decref(answers);
			continue;
		}
		for (rounds = 0; rounds < 50; rounds++) {
			guide(code, json_deep_copy(answers), &r);
			if (r.status != 200)
				fprintf(stderr, "%s: %s\n", code, r.body);
			assert_int_equal(r.status, 200);
			assert_int_equal(
			    json_integer_value(json_object_get(r.json, "catalog_version")), 1);
			if (json_is_true(json_object_get(r.json, "complete")))
				break;
			assert_true(json_array_size(json_object_get(r.json, "next_questions")) > 0);
			json_array_foreach (json_object_get(r.json, "next_questions"), k, q)
				json_object_set_new(answers,
						    json_string_value(json_object_get(q, "id")),
						    valid_answer(q));
			resp_free(&r);
		}
		assert_true(rounds < 50);
		/* the notice says whether the industry is in force or piloting */
		assert_string_equal(json_string_value(json_object_get(
					json_object_get(r.json, "industry"), "status")),
				    json_string_value(json_object_get(it, "status")));
		assert_true(json_array_size(json_object_get(r.json, "permits")) >= 1);
		assert_int_equal(json_array_size(json_object_get(r.json, "next_questions")), 0);
		assert_true(json_integer_value(json_object_get(r.json, "time_limit_days")) >= 1);
		assert_true(json_array_size(json_object_get(r.json, "materials")) >= 1);
		resp_free(&r);
		json_decref(answers);
	}
	resp_free(&list);
}

static long cost(const json_t *res, const char *which, const char *key)
{
	return (long)json_integer_value(
	    json_object_get(json_object_get(json_object_get(res, "savings"), which), key));
}

/* 便利店 with all five permits: the figures the reform published. */
static void test_bianlidian_figures(void **state)
{
	char path[1024];
	json_t *ind, *t, *answers = NULL;
	struct resp r;
	size_t i;

	(void)state;
	snprintf(path, sizeof(path), "%s/catalog/industries/bianlidian.json", source_dir());
	ind = json_load_file(path, 0, NULL);
	assert_non_null(ind);
	json_array_foreach (json_object_get(ind, "tests"), i, t)
		if (json_array_size(json_object_get(json_object_get(t, "expect"), "permits")) == 5)
			answers = json_deep_copy(json_object_get(t, "answers"));
	json_decref(ind);
	assert_non_null(answers);

	guide("bianlidian", answers, &r);
	assert_int_equal(r.status, 200);
	assert_true(json_is_true(json_object_get(r.json, "complete")));
	assert_int_equal(json_array_size(json_object_get(r.json, "permits")), 5);
	assert_int_equal(cost(r.json, "before", "permits"), 5);
	assert_int_equal(cost(r.json, "before", "days"), 95);
	assert_int_equal(cost(r.json, "before", "materials"), 53);
	assert_int_equal(cost(r.json, "before", "fields"), 313);
	assert_int_equal(cost(r.json, "after", "permits"), 1);
	assert_int_equal(cost(r.json, "after", "days"), 5);
	assert_int_equal(cost(r.json, "after", "materials"), 10);
	assert_int_equal(cost(r.json, "after", "fields"), 98);
	assert_int_equal(cost(r.json, "percent", "permits"), 80);
	assert_int_equal(cost(r.json, "percent", "days"), 95);
	assert_int_equal(cost(r.json, "percent", "materials"), 81);
	assert_int_equal(cost(r.json, "percent", "fields"), 69);
	assert_int_equal(json_integer_value(json_object_get(r.json, "time_limit_days")), 5);
	/* 食品经营许可 is inspected: the inspection's step and trip are counted */
	assert_int_equal(cost(r.json, "after", "steps"), 4);
	assert_int_equal(cost(r.json, "after", "trips"), 2);
	/* the published case confirms days, materials and fields; steps and trips are
	 * modelled */
	{
		json_t *m = json_object_get(json_object_get(r.json, "savings"), "modelled");
		assert_int_equal(json_array_size(m), 2);
		assert_string_equal(json_string_value(json_array_get(m, 0)), "steps");
		assert_string_equal(json_string_value(json_array_get(m, 1)), "trips");
		assert_true(json_string_length(
				json_object_get(json_object_get(r.json, "savings"), "source")) > 0);
	}
	resp_free(&r);

	/* the industry page: the confirmed totals, and the modelled threshold marked */
	get("/api/v1/industries/bianlidian", &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(
	    json_integer_value(json_object_get(
		json_object_get(json_object_get(r.json, "published"), "before"), "days")),
	    95);
	{
		json_t *ru;
		size_t k;
		int seen = 0;
		json_array_foreach (json_object_get(r.json, "rules"), k, ru)
			if (strcmp(json_string_value(json_object_get(ru, "id")), "r_fire_area") ==
			    0) {
				assert_string_equal(json_string_value(json_array_get(
							json_object_get(ru, "modelled"), 0)),
						    "when");
				seen = 1;
			}
		assert_true(seen);
	}
	resp_free(&r);

	/* only the food permit: the split of pre-reform costs is modelled */
	guide("bianlidian",
	      json_pack("{s:b,s:b,s:b,s:b,s:b,s:i,s:b}", "q_alcohol", 0, "q_tobacco", 0, "q_drug",
			0, "q_device2", 0, "q_hot_food", 0, "q_area", 80, "q_sign", 0),
	      &r);
	assert_int_equal(r.status, 200);
	assert_true(json_is_null(json_object_get(json_object_get(r.json, "savings"), "source")));
	assert_int_equal(
	    json_array_size(json_object_get(json_object_get(r.json, "savings"), "modelled")), 4);
	resp_free(&r);
}

static void test_guide_errors(void **state)
{
	struct resp r;

	(void)state;
	guide("no-such-industry", NULL, &r);
	assert_error(&r, 404, "unknown_industry", "industry");
	resp_free(&r);

	guide("bianlidian", json_pack("{s:b}", "q_nope", 1), &r);
	assert_error(&r, 400, "unknown_question", "answers.q_nope");
	resp_free(&r);

	guide("bianlidian", json_pack("{s:s}", "q_area", "很大"), &r);
	assert_error(&r, 400, "invalid_answer", "answers.q_area");
	resp_free(&r);

	guide("bianlidian", json_pack("{s:i}", "q_area", -5), &r);
	assert_error(&r, 400, "invalid_answer", "answers.q_area");
	resp_free(&r);

	/* 散装酒 is asked only of those who sell alcohol */
	guide("bianlidian", json_pack("{s:b,s:b}", "q_alcohol", 0, "q_alcohol_bulk", 1), &r);
	assert_error(&r, 400, "question_not_asked", "answers.q_alcohol_bulk");
	resp_free(&r);

	guide("bianlidian", json_pack("[i]", 1), &r);
	assert_error(&r, 400, "invalid_answers", "answers");
	resp_free(&r);

	http_json(&srv, "POST", "/api/v1/guide", json_pack("{s:{}}", "answers"), &r);
	assert_error(&r, 400, "required", "industry");
	resp_free(&r);

	http_json(&srv, "POST", "/api/v1/guide", json_pack("{s:i}", "industry", 7), &r);
	assert_error(&r, 400, "invalid_type", "industry");
	resp_free(&r);

	http_json(&srv, "POST", "/api/v1/guide",
		  json_pack("{s:s,s:i}", "industry", "bianlidian", "extra", 1), &r);
	assert_error(&r, 400, "unknown_field", "extra");
	resp_free(&r);

	http_json(&srv, "POST", "/api/v1/guide", json_pack("[]"), &r);
	assert_error(&r, 400, "invalid_body", NULL);
	resp_free(&r);

	/* 乡村民宿 is in the catalog but planned: shown, not guided */
	get("/api/v1/industries/xiangcunminsu", &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "status")), "planned");
	assert_false(json_is_true(json_object_get(r.json, "offered")));
	resp_free(&r);
	guide("xiangcunminsu", NULL, &r);
	assert_error(&r, 409, "industry_not_offered", "industry");
	assert_non_null(strstr(r.body, "计划实施"));
	resp_free(&r);

	/* no answers at all: the first questions, nothing decided by rules yet */
	guide("bianlidian", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_false(json_is_true(json_object_get(r.json, "complete")));
	assert_true(json_array_size(json_object_get(r.json, "next_questions")) > 0);
	resp_free(&r);
}

/* The admin routes are not public. */
static void test_admin_routes_need_login(void **state)
{
	struct resp r;

	(void)state;
	get("/api/v1/catalog/versions", &r);
	assert_error(&r, 401, NULL, "*");
	resp_free(&r);
	http_json(&srv, "POST", "/api/v1/catalog/versions/1/activate", NULL, &r);
	assert_true(r.status == 401 || r.status == 403);
	resp_free(&r);
}

static void run(const char *cmd)
{
	assert_int_equal(system(cmd), 0);
}

/* A copy of the shipped catalog in a fresh temp dir (path into out). */
static void copy_catalog(char *out, size_t outsz)
{
	char cmd[2048];

	snprintf(out, outsz, "/tmp/yiye-catalog-XXXXXX");
	assert_non_null(mkdtemp(out));
	snprintf(cmd, sizeof(cmd), "cp -r '%s/catalog/.' '%s/'", source_dir(), out);
	run(cmd);
}

/* Replaces the first occurrence of from by to in dir/file. */
static void edit_file(const char *dir, const char *file, const char *from, const char *to)
{
	char path[600], *text, *at, *fresh;
	size_t len;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	len = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	text = calloc(1, len + 1);
	assert_int_equal(fread(text, 1, len, f), len);
	fclose(f);
	at = strstr(text, from);
	assert_non_null(at);
	fresh = malloc(len + strlen(to) + 1);
	memcpy(fresh, text, (size_t)(at - text));
	strcpy(fresh + (at - text), to);
	strcat(fresh, at + strlen(from));
	f = fopen(path, "wb");
	assert_non_null(f);
	fputs(fresh, f);
	fclose(f);
	free(text);
	free(fresh);
}

static void test_cli_import(void **state)
{
	char bad[64], good[64], cmd[200], *out = NULL;
	struct resp r;
	int rc;

	(void)state;
	/* Two unrelated faults: every one is listed, nothing is written. */
	copy_catalog(bad, sizeof(bad));
	edit_file(bad, "permits.json", "\"department\": \"scjgj\"",
		  "\"department\": \"no_such_dept\"");
	edit_file(bad, "industries/shudian.json", "\"lead\": \"", "\"lead\": \"x_");
	rc = server_cli(&srv, &out, (const char *[]){"catalog", "import", bad, "--activate", NULL});
	assert_int_equal(rc, 1);
	assert_non_null(strstr(out, "permits.json"));
	assert_non_null(strstr(out, "no_such_dept"));
	assert_non_null(strstr(out, "industries/shudian.json"));
	free(out);

	/* A good copy becomes version 2 — so the failed import wrote nothing. */
	copy_catalog(good, sizeof(good));
	edit_file(good, "industries/bianlidian.json", "\"name\": \"便利店\"",
		  "\"name\": \"便利店（新版）\"");
	/* the roll-out status is data: a version puts 乡村民宿 in force */
	edit_file(good, "industries/xiangcunminsu.json", "\"status\": \"planned\"",
		  "\"status\": \"piloting\", \"effective_date\": \"2027-01-01\"");
	rc = server_cli(
	    &srv, &out,
	    (const char *[]){"catalog", "import", good, "--activate", "--note", "试验", NULL});
	if (rc != 0)
		fprintf(stderr, "%s\n", out);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "version 2"));
	free(out);

	/* The running server keeps serving version 1 until it restarts. */
	guide("bianlidian", NULL, &r);
	assert_int_equal(json_integer_value(json_object_get(r.json, "catalog_version")), 1);
	resp_free(&r);
	server_stop(&srv, 1);
	assert_int_equal(server_restart(&srv, NULL), 0);
	guide("bianlidian", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "catalog_version")), 2);
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(r.json, "industry"), "name")),
	    "便利店（新版）");
	resp_free(&r);
	guide("xiangcunminsu", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_true(json_is_true(json_object_get(r.json, "complete")));
	resp_free(&r);

	/* yiye init again imports nothing. */
	rc = server_cli(&srv, &out, (const char *[]){"init", NULL});
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "未重新导入"));
	free(out);

	snprintf(cmd, sizeof(cmd), "rm -rf '%s' '%s'", bad, good);
	run(cmd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_search),
	    cmocka_unit_test(test_catalog_info),
	    cmocka_unit_test(test_every_industry_page),
	    cmocka_unit_test(test_every_industry_guide),
	    cmocka_unit_test(test_bianlidian_figures),
	    cmocka_unit_test(test_guide_errors),
	    cmocka_unit_test(test_admin_routes_need_login),
	    cmocka_unit_test(test_cli_import),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
