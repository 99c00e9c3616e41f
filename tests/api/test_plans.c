/*
 * test_plans.c — spot-check plans (issue 13, 双随机、一公开): permissions,
 * validation, preview, freeze (commitment), draw, the public record that
 * `yiye draw verify` re-runs (and refuses once a selection is altered), the
 * frozen inputs surviving later changes, ≥ 2 inspectors per check with one of
 * every department of a joint plan and never a conflicted one, check tasks,
 * results per item, the follow-up after 责令整改, the publication deadline, and
 * a failed check lowering the grade the next plan samples the entity at.
 * Licensed entities are inserted as license rows directly (the license
 * issue's own tests drive issuance); everything else goes through the API.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

#define TODAY "2026-03-02"
#define NENT 20

static struct server srv;
static char ents[NENT + 2][19];
static long uid_inspector, uid_inspector2, uid_inspector3, uid_whlyj;

static void as(const char *user)
{
	srv.cookies[0] = srv.csrf[0] = srv.bearer[0] = '\0';
	if (user)
		assert_int_equal(login(&srv, user, demo_password(&srv, user)), 0);
}

static long user_id(const char *username)
{
	char sql[160];

	snprintf(sql, sizeof(sql), "SELECT id FROM users WHERE username = '%s'", username);
	return server_sql_long(&srv, sql);
}

/* A licensed entity: a current, valid license row of industry. */
static void license_row(const char *uscc, int serial, const char *industry, const char *address)
{
	char sql[1024];

	snprintf(
	    sql, sizeof(sql),
	    "INSERT INTO licenses (district, number, version, is_current, eid, status, "
	    "holder_name, holder_uscc, address, industry, year, serial, valid_from, issued_on, "
	    "doc, sig, kid, issued_at, updated_at) VALUES ('310104', 'T-%d', 1, 1, 'e%d', "
	    "'valid', '测试主体%d', '%s', '%s', '%s', 2026, %d, '2026-01-01', '2026-01-01', "
	    "'{}', 'x', 'k', 1, 1)",
	    serial, serial, serial, uscc, address, industry, serial);
	server_sql_long(&srv, sql);
}

static json_t *plan_body(const char *title, const char *depts, int a, int b, int c, int d)
{
	char text[2048];
	json_error_t je;
	json_t *o;

	snprintf(text, sizeof(text),
		 "{\"title\":\"%s\",\"departments\":%s,\"industries\":[\"bianlidian\",\"shudian\"],"
		 "\"ratios\":{\"A\":%d,\"B\":%d,\"C\":%d,\"D\":%d},\"inspectors_per_check\":2,"
		 "\"period\":{\"from\":\"2026-03-02\",\"to\":\"2026-04-30\"},"
		 "\"check_items\":[{\"code\":\"C1\",\"name\":\"经营许可证件公示\",\"basis\":"
		 "\"模拟依据\"},"
		 "{\"code\":\"C2\",\"name\":\"从业人员健康证明\"}]}",
		 title, depts, a, b, c, d);
	o = json_loads(text, 0, &je);
	assert_non_null(o);
	return o;
}

static long long post_plan(json_t *body, long status, const char *code)
{
	struct resp r;
	long long id = 0;

	http_json(&srv, "POST", "/api/v1/supervision/plans", body, &r);
	if (code)
		assert_error(&r, status, code, "*");
	else {
		if (r.status != status)
			fprintf(stderr, "%s\n", r.body);
		assert_int_equal(r.status, status);
		id = json_integer_value(json_object_get(json_object_get(r.json, "plan"), "id"));
	}
	resp_free(&r);
	return id;
}

static json_t *call(const char *method, const char *path, json_t *body, long status,
		    const char *code)
{
	struct resp r;
	json_t *out;

	http_json(&srv, method, path, body, &r);
	if (code)
		assert_error(&r, status, code, "*");
	else {
		if (r.status != status)
			fprintf(stderr, "%s %s: %s\n", method, path, r.body);
		assert_int_equal(r.status, status);
	}
	out = json_incref(r.json);
	resp_free(&r);
	return out;
}

/* `yiye draw verify FILE`: its exit status. */
static int draw_verify_file(const char *path)
{
	const char *b = getenv("YIYE_BIN");
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		dup2(fd, 1);
		dup2(fd, 2);
		execl(b && *b ? b : "./yiye", "yiye", "draw", "verify", path, (char *)NULL);
		_exit(127);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_permissions_and_validation(void **state)
{
	json_t *b;

	(void)state;
	as("applicant");
	post_plan(plan_body("抽查", "[\"scjgj\"]", 100, 100, 100, 100), 403, "forbidden");
	as("supervisor_whlyj");
	post_plan(plan_body("抽查", "[\"scjgj\"]", 100, 100, 100, 100), 403, "not_your_department");
	as("supervisor");
	post_plan(plan_body("抽查", "[\"scjgj\"]", 100, 100, 1001, 100), 400, "invalid_ratio");
	post_plan(plan_body("抽查", "[\"scjgj\",\"nosuch\"]", 100, 100, 100, 100), 422,
		  "unknown_department");
	b = plan_body("抽查", "[\"scjgj\"]", 100, 100, 100, 100);
	json_object_set_new(b, "inspectors_per_check", json_integer(1));
	post_plan(b, 400, "invalid_per_check");
	b = plan_body("抽查", "[\"scjgj\"]", 100, 100, 100, 100);
	json_object_del(b, "check_items");
	post_plan(b, 400, "required");
	b = plan_body("抽查", "[\"scjgj\"]", 100, 100, 100, 100);
	json_object_set_new(b, "period",
			    json_pack("{s:s,s:s}", "from", "2026-04-01", "to", "2026-03-01"));
	post_plan(b, 400, "invalid_period");
	b = plan_body("抽查", "[\"scjgj\"]", 100, 100, 100, 100);
	json_object_set_new(b, "targeted",
			    json_pack("[{s:s,s:s,s:[i,i]}]", "uscc", "91310104MA00000000", "reason",
				      "风险信号", "inspectors", (int)uid_inspector,
				      (int)uid_inspector2));
	post_plan(b, 422, "entity_not_licensed");
	b = plan_body("抽查", "[\"scjgj\"]", 100, 100, 100, 100);
	json_object_set_new(b, "targeted",
			    json_pack("[{s:s,s:s,s:[i,i]},{s:s,s:s,s:[i,i]}]", "uscc", ents[1],
				      "reason", "风险信号", "inspectors", (int)uid_inspector,
				      (int)uid_inspector2, "uscc", ents[1], "reason", "重复",
				      "inspectors", (int)uid_inspector, (int)uid_inspector2));
	post_plan(b, 400, "duplicate");
	as(NULL);
	json_decref(call("GET", "/api/v1/supervision/plans", NULL, 401, "unauthenticated"));
}

static json_t *task_list(const char *query)
{
	char path[200];

	snprintf(path, sizeof(path), "/api/v1/supervision/tasks%s", query);
	return call("GET", path, NULL, 200, NULL);
}

static void test_joint_plan_draw(void **state)
{
	char path[160], file[512], conflicted[24], *text;
	json_t *o, *prev, *plan, *rec, *sel, *chk, *tasks;
	const char *commitment;
	long long id, draw_id, prev_checks;
	size_t i;
	struct resp r;

	(void)state;
	/* a joint plan of the market regulator and the culture bureau */
	as("supervisor");
	o = plan_body("2026 年便利店、书店联合抽查", "[\"scjgj\",\"whlyj\"]", 500, 1000, 1000,
		      1000);
	json_object_set_new(o, "targeted",
			    json_pack("[{s:s,s:s,s:[i,i]}]", "uscc", ents[NENT], "reason",
				      "风险信号：90 日内 2 次投诉", "inspectors",
				      (int)uid_inspector, (int)uid_whlyj));
	id = post_plan(o, 201, NULL);
	snprintf(path, sizeof(path), "/api/v1/supervision/plans/%lld", id);
	o = call("GET", path, NULL, 200, NULL);
	/* the targeted entity is recorded with the risk flags standing (none here) */
	assert_true(json_is_array(json_object_get(
	    json_array_get(json_object_get(json_object_get(o, "plan"), "targeted"), 0), "flags")));
	json_decref(o);

	/* another department's supervisor sees nothing of it */
	as("supervisor_wjw");
	snprintf(path, sizeof(path), "/api/v1/supervision/plans/%lld", id);
	json_decref(call("GET", path, NULL, 403, "not_your_department"));
	/* the joint partner does */
	as("supervisor_whlyj");
	json_decref(call("GET", path, NULL, 200, NULL));

	as("supervisor");
	snprintf(path, sizeof(path), "/api/v1/supervision/plans/%lld/preview", id);
	prev = call("GET", path, NULL, 200, NULL);
	/* NENT + 1 licensed entities of the two industries, all grade A; the
	   third industry's entity is out of scope */
	assert_int_equal(json_integer_value(json_object_get(prev, "entities")), NENT + 1);
	prev_checks = json_integer_value(json_object_get(prev, "checks"));
	assert_int_equal(prev_checks, (NENT + 1) * 500 / 1000 + 1); /* 10.5 rounds up */
	assert_true(json_is_null(json_object_get(prev, "problem")));

	/* state errors before the freeze */
	snprintf(path, sizeof(path), "/api/v1/supervision/plans/%lld/draw", id);
	json_decref(call("POST", path,
			 json_pack("{s:s,s:s}", "public_value", "12 34 56", "source", "体彩"), 409,
			 "plan_not_frozen"));

	snprintf(path, sizeof(path), "/api/v1/supervision/plans/%lld/freeze", id);
	plan = call("POST", path, NULL, 200, NULL);
	commitment = json_string_value(json_object_get(
	    json_object_get(json_object_get(plan, "plan"), "commitment"), "commitment"));
	assert_non_null(commitment);
	assert_int_equal(strlen(commitment), 64);
	text = json_dumps(plan, 0);
	assert_null(strstr(text, "\"secret\""));
	free(text);
	json_decref(call("POST", path, NULL, 409, "plan_not_draft"));

	/* a change after the freeze does not reach the frozen plan */
	license_row(ents[NENT + 1], 900, "bianlidian", "徐汇区");
	snprintf(path, sizeof(path), "/api/v1/supervision/plans/%lld/preview", id);
	o = call("GET", path, NULL, 200, NULL);
	assert_int_equal(json_integer_value(json_object_get(o, "entities")), NENT + 1);
	json_decref(o);

	snprintf(path, sizeof(path), "/api/v1/supervision/plans/%lld/draw", id);
	json_decref(call("POST", path, json_pack("{s:s}", "source", "体彩"), 400, "required"));
	as("supervisor_wjw");
	json_decref(call("POST", path,
			 json_pack("{s:s,s:s}", "public_value", "12 34 56", "source", "体彩"), 403,
			 "not_your_department"));
	as("supervisor");
	o = call("POST", path,
		 json_pack("{s:s,s:s}", "public_value", "2026030 期 03 11 19 26 33 + 05 09",
			   "source", "中国体育彩票超级大乐透第 26030 期开奖公告"),
		 201, NULL);
	draw_id = json_integer_value(json_object_get(json_object_get(o, "draw"), "id"));
	assert_int_equal(json_integer_value(json_object_get(json_object_get(o, "draw"), "checks")),
			 prev_checks);
	json_decref(o);
	json_decref(call("POST", path,
			 json_pack("{s:s,s:s}", "public_value", "x", "source", "体彩"), 409,
			 "plan_not_frozen"));

	/* the public record, without an account */
	as(NULL);
	snprintf(path, sizeof(path), "/api/v1/supervision/draws/%lld/record", draw_id);
	http_req(&srv, "GET", path, NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	rec = json_incref(r.json);
	snprintf(file, sizeof(file), "%s/record.json", srv.dir);
	write_file(file, r.body);
	resp_free(&r);
	assert_int_equal(draw_verify_file(file), 0);
	assert_string_equal(json_string_value(json_object_get(rec, "commitment")), commitment);
	sel = json_object_get(rec, "selection");
	assert_int_equal(json_array_size(sel), prev_checks);
	snprintf(conflicted, sizeof(conflicted), "%ld", uid_inspector2);
	json_array_foreach (sel, i, chk) {
		json_t *ins = json_object_get(chk, "inspectors");
		int scj = 0, wh = 0;
		size_t k;
		json_t *x;

		assert_true(json_array_size(ins) >= 2);
		json_array_foreach (ins, k, x) {
			long u = atol(json_string_value(x));

			scj += u == uid_inspector || u == uid_inspector2 || u == uid_inspector3;
			wh += u == uid_whlyj;
			/* the declared conflict: never on that entity's check */
			if (strcmp(json_string_value(json_object_get(chk, "entity")), ents[0]) == 0)
				assert_string_not_equal(json_string_value(x), conflicted);
		}
		assert_int_equal(scj, 1); /* one of each department: one visit */
		assert_int_equal(wh, 1);
	}
	/* one selection altered: the record no longer verifies */
	chk = json_array_get(sel, 0);
	for (i = 0; i < NENT + 1; i++) {
		int drawn = 0;
		size_t k;
		json_t *x;

		json_array_foreach (sel, k, x)
			drawn |=
			    strcmp(json_string_value(json_object_get(x, "entity")), ents[i]) == 0;
		if (!drawn) {
			json_object_set_new(chk, "entity", json_string(ents[i]));
			break;
		}
	}
	text = json_dumps(rec, JSON_COMPACT);
	write_file(file, text);
	free(text);
	assert_int_not_equal(draw_verify_file(file), 0);
	json_decref(rec);

	/* the public page's data: the server's re-verification */
	snprintf(path, sizeof(path), "/api/v1/supervision/draws/%lld", draw_id);
	o = call("GET", path, NULL, 200, NULL);
	assert_true(json_is_true(
	    json_object_get(json_object_get(json_object_get(o, "draw"), "verification"), "ok")));
	json_decref(o);

	/* tasks: the drawn checks and the targeted one, recorded as such */
	as("supervisor");
	snprintf(path, sizeof(path), "?plan=%lld", id);
	tasks = task_list(path);
	assert_int_equal(json_integer_value(json_object_get(tasks, "total")), prev_checks + 1);
	{
		int targeted = 0;
		json_t *t;

		json_array_foreach (json_object_get(tasks, "items"), i, t)
			if (strcmp(json_string_value(json_object_get(t, "kind")), "targeted") ==
			    0) {
				targeted++;
				assert_string_equal(json_string_value(json_object_get(t, "uscc")),
						    ents[NENT]);
			}
		assert_int_equal(targeted, 1);
	}
	json_decref(tasks);
	json_decref(prev);
	json_decref(plan);
}

static void test_commitment_inputs(void **state)
{
	const char *c1, *c2;
	json_t *p1, *p2;
	char path[128];
	long long a, b;

	(void)state;
	as("supervisor");
	/* the same scope, one ratio different: a different commitment (the
	   plan code differs too; the unit tests of the draw vary one input at a
	   time) */
	a = post_plan(plan_body("比例一", "[\"scjgj\"]", 100, 100, 100, 100), 201, NULL);
	b = post_plan(plan_body("比例二", "[\"scjgj\"]", 200, 100, 100, 100), 201, NULL);
	snprintf(path, sizeof(path), "/api/v1/supervision/plans/%lld/freeze", a);
	p1 = call("POST", path, NULL, 200, NULL);
	snprintf(path, sizeof(path), "/api/v1/supervision/plans/%lld/freeze", b);
	p2 = call("POST", path, NULL, 200, NULL);
	c1 = json_string_value(json_object_get(
	    json_object_get(json_object_get(p1, "plan"), "commitment"), "commitment"));
	c2 = json_string_value(json_object_get(
	    json_object_get(json_object_get(p2, "plan"), "commitment"), "commitment"));
	assert_string_not_equal(c1, c2);
	/* the secrets differ too: their hashes are published */
	assert_string_not_equal(
	    json_string_value(json_object_get(
		json_object_get(json_object_get(p1, "plan"), "commitment"), "secret_sha256")),
	    json_string_value(json_object_get(
		json_object_get(json_object_get(p2, "plan"), "commitment"), "secret_sha256")));
	json_decref(p1);
	json_decref(p2);
}

/* Draws a single-department plan over every entity (ratio 1000 ‰ for
 * grades_on) and answers the first task (new reference). */
static long long draw_all(const char *title, int a, int b)
{
	char path[128];
	long long id;

	as("supervisor");
	id = post_plan(plan_body(title, "[\"scjgj\"]", a, b, 1000, 1000), 201, NULL);
	snprintf(path, sizeof(path), "/api/v1/supervision/plans/%lld/freeze", id);
	json_decref(call("POST", path, NULL, 200, NULL));
	snprintf(path, sizeof(path), "/api/v1/supervision/plans/%lld/draw", id);
	json_decref(call("POST", path,
			 json_pack("{s:s,s:s}", "public_value", title, "source", "测试"), 201,
			 NULL));
	return id;
}

static void test_results(void **state)
{
	json_t *tasks, *t = NULL, *o, *x, *items;
	char path[160], me[24];
	long long plan, tid = 0, follow;
	const char *uscc = NULL;
	size_t i;

	(void)state;
	plan = draw_all("结果录入", 1000, 1000);
	/* the inspector finds their checks */
	as("inspector");
	tasks = task_list("?mine=1");
	snprintf(me, sizeof(me), "%ld", uid_inspector);
	json_array_foreach (json_object_get(tasks, "items"), i, x)
		if (json_integer_value(json_object_get(x, "plan_id")) == plan &&
		    strcmp(json_string_value(json_object_get(x, "kind")), "random") == 0 &&
		    strcmp(json_string_value(json_object_get(x, "status")), "open") == 0) {
			t = x;
			break;
		}
	assert_non_null(t);
	tid = json_integer_value(json_object_get(t, "id"));
	uscc = strdup(json_string_value(json_object_get(t, "uscc")));
	json_decref(tasks);

	/* an inspector not on the check may not record it */
	as("inspector_whlyj");
	snprintf(path, sizeof(path), "/api/v1/supervision/tasks/%lld/result", tid);
	json_decref(call("POST", path, json_pack("{s:[]}", "items"), 403, "not_your_task"));

	as("inspector");
	json_decref(call("POST", path,
			 json_pack("{s:[{s:s,s:s}]}", "items", "code", "C1", "result", "passed"),
			 400, "invalid_items"));
	json_decref(call("POST", path,
			 json_pack("{s:[{s:s,s:s},{s:s,s:s}]}", "items", "code", "C1", "result",
				   "passed", "code", "C2", "result", "rectify"),
			 400, "invalid_deadline"));
	items = json_pack("{s:[{s:s,s:s},{s:s,s:s,s:s,s:s}],s:s}", "items", "code", "C1", "result",
			  "passed", "code", "C2", "result", "rectify", "deadline", "2026-03-20",
			  "note", "健康证明过期 1 人", "notes", "现场检查");
	o = call("POST", path, items, 200, NULL);
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(o, "task"), "outcome")), "rectify");
	/* 20 working days from 2 March 2026 */
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(o, "task"), "publish_due")),
	    "2026-03-30");
	follow = json_integer_value(json_object_get(o, "follow_up"));
	assert_true(follow > 0);
	json_decref(o);
	json_decref(call("POST", path,
			 json_pack("{s:[{s:s,s:s},{s:s,s:s}]}", "items", "code", "C1", "result",
				   "passed", "code", "C2", "result", "passed"),
			 409, "task_done"));
	snprintf(path, sizeof(path), "/api/v1/supervision/tasks/%lld", follow);
	o = call("GET", path, NULL, 200, NULL);
	assert_string_equal(json_string_value(json_object_get(json_object_get(o, "task"), "kind")),
			    "follow_up");
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(o, "task"), "due_on")), "2026-03-20");
	json_decref(o);

	/* the supervisor's list flags an overdue publication; publishing it
	   makes it public */
	as("supervisor");
	{
		char sql[160];

		snprintf(sql, sizeof(sql),
			 "UPDATE check_tasks SET publish_due = '2026-02-27' WHERE id = %lld", tid);
		server_sql_long(&srv, sql);
	}
	snprintf(path, sizeof(path), "/api/v1/supervision/tasks/%lld", tid);
	o = call("GET", path, NULL, 200, NULL);
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(o, "task"), "publication")),
	    "overdue");
	json_decref(o);
	/* the supervisor's list of results overdue for publication */
	o = task_list("?publication=overdue");
	assert_int_equal(json_integer_value(json_object_get(o, "total")), 1);
	assert_int_equal(json_integer_value(
			     json_object_get(json_array_get(json_object_get(o, "items"), 0), "id")),
			 tid);
	json_decref(o);
	json_decref(call("GET", "/api/v1/supervision/tasks?publication=late", NULL, 400,
			 "invalid_publication"));
	snprintf(path, sizeof(path), "/api/v1/supervision/tasks/%lld/publish", tid);
	json_decref(call("POST", path, NULL, 200, NULL));
	json_decref(call("POST", path, NULL, 409, "task_not_publishable"));
	as(NULL);
	snprintf(path, sizeof(path), "/api/v1/supervision/results?uscc=%s", uscc);
	o = call("GET", path, NULL, 200, NULL);
	assert_int_equal(json_integer_value(json_object_get(o, "total")), 1);
	assert_null(json_object_get(json_array_get(json_object_get(o, "items"), 0), "notes"));
	json_decref(o);
	free((void *)uscc);
	/* the publishable records of the export (supervision_events) */
	assert_true(server_sql_long(&srv, "SELECT count(*) FROM supervision_events WHERE kind = "
					  "'plan_frozen'") >= 1);
	assert_true(server_sql_long(&srv, "SELECT count(*) FROM supervision_events WHERE kind = "
					  "'draw'") >= 1);
	assert_int_equal(server_sql_long(&srv, "SELECT count(*) FROM supervision_events WHERE "
					       "kind = 'result'"),
			 1);
}

/* 不合格 → a failed_check credit record → grade B → the next plan samples the
 * entity at B's ratio. */
static void test_failed_changes_ratio(void **state)
{
	json_t *tasks, *x, *prev, *o;
	char path[160], sql[300];
	long long plan, tid = 0, next, draw;
	const char *penalised;
	int found = 0;
	size_t i;

	(void)state;
	plan = draw_all("不合格", 1000, 1000);
	as("inspector");
	tasks = task_list("?mine=1");
	json_array_foreach (json_object_get(tasks, "items"), i, x)
		if (json_integer_value(json_object_get(x, "plan_id")) == plan) {
			tid = json_integer_value(json_object_get(x, "id"));
			break;
		}
	json_decref(tasks);
	assert_true(tid > 0);
	snprintf(path, sizeof(path), "/api/v1/supervision/tasks/%lld/result", tid);
	json_decref(call("POST", path,
			 json_pack("{s:[{s:s,s:s},{s:s,s:s}]}", "items", "code", "C1", "result",
				   "failed", "code", "C2", "result", "passed"),
			 200, NULL));
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM credit_records WHERE kind = 'failed_check' AND uscc = "
		 "(SELECT uscc FROM check_tasks WHERE id = %lld)",
		 tid);
	assert_int_equal(server_sql_long(&srv, sql), 1);
	/* a penalty (sup-credit: a fine is a general one) on a 便利店 the market
	   regulator supervises: grade B too */
	as("supervisor");
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM check_tasks WHERE id = %lld AND uscc = '%s'", tid, ents[2]);
	penalised = server_sql_long(&srv, sql) ? ents[4] : ents[2];
	json_decref(call("POST", "/api/v1/supervision/penalties",
			 json_pack("{s:s,s:s,s:s,s:s,s:s,s:i,s:s}", "decision_no",
				   "徐市监罚〔2026〕7号", "uscc", penalised, "facts", "超范围经营",
				   "basis", "《食品安全法》第一百二十二条", "kind", "fine",
				   "amount", 5000, "decided_on", TODAY),
			 201, NULL));
	/* next plan: A at 0 ‰, B at 1000 ‰: exactly the two regraded entities */
	next = post_plan(plan_body("等级调整后", "[\"scjgj\"]", 0, 1000, 0, 0), 201, NULL);
	snprintf(path, sizeof(path), "/api/v1/supervision/plans/%lld/preview", next);
	prev = call("GET", path, NULL, 200, NULL);
	assert_int_equal(json_integer_value(json_object_get(
			     json_object_get(json_object_get(prev, "grades"), "B"), "entities")),
			 2);
	assert_int_equal(json_integer_value(json_object_get(prev, "checks")), 2);
	json_decref(prev);
	snprintf(path, sizeof(path), "/api/v1/supervision/plans/%lld/freeze", next);
	json_decref(call("POST", path, NULL, 200, NULL));
	snprintf(path, sizeof(path), "/api/v1/supervision/plans/%lld/draw", next);
	o = call("POST", path, json_pack("{s:s,s:s}", "public_value", "77", "source", "测试"), 201,
		 NULL);
	draw = json_integer_value(json_object_get(json_object_get(o, "draw"), "id"));
	json_decref(o);
	snprintf(path, sizeof(path), "/api/v1/supervision/draws/%lld/record", draw);
	o = call("GET", path, NULL, 200, NULL);
	json_array_foreach (json_object_get(o, "selection"), i, x) {
		assert_string_equal(json_string_value(json_object_get(x, "grade")), "B");
		if (strcmp(json_string_value(json_object_get(x, "entity")), penalised) == 0)
			found = 1;
	}
	assert_int_equal(json_array_size(json_object_get(o, "selection")), 2);
	assert_true(found);
	json_decref(o);
}

static int setup(void **state)
{
	char sql[256];

	(void)state;
	setenv("YIYE_TODAY", TODAY, 1);
	if (server_start(&srv, 1, NULL) < 0)
		return -1;
	for (int i = 0; i < NENT + 2; i++)
		test_uscc(7000 + (unsigned)i, ents[i]);
	for (int i = 0; i <= NENT; i++)
		license_row(ents[i], 100 + i, i % 2 ? "shudian" : "bianlidian", "徐汇区某路");
	license_row("91310104MA1G4Y2K0X", 500, "jiuba", "徐汇区"); /* out of the scope */
	uid_inspector = user_id("inspector");
	uid_inspector2 = user_id("inspector_scjgj");
	uid_inspector3 = user_id("inspector_scjgj_2");
	uid_whlyj = user_id("inspector_whlyj");
	/* the register (yiye init --demo puts every demo inspector on it): the
	   market regulator's three and the culture bureau's one, active; one
	   declared conflict */
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM inspectors WHERE active = 1 AND ((department = 'scjgj' "
		 "AND user_id IN (%ld, %ld, %ld)) OR (department = 'whlyj' AND user_id = %ld))",
		 uid_inspector, uid_inspector2, uid_inspector3, uid_whlyj);
	if (server_sql_long(&srv, sql) != 4)
		return -1;
	snprintf(sql, sizeof(sql),
		 "INSERT INTO inspector_conflicts (district, user_id, uscc, reason, declared_at) "
		 "VALUES ('310104', %ld, '%s', '亲属关系', 1)",
		 uid_inspector2, ents[0]);
	server_sql_long(&srv, sql);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	server_stop(&srv, getenv("YIYE_KEEP") != NULL);
	if (getenv("YIYE_KEEP"))
		fprintf(stderr, "kept %s\n", srv.dir);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_permissions_and_validation),
	    cmocka_unit_test(test_joint_plan_draw),
	    cmocka_unit_test(test_commitment_inputs),
	    cmocka_unit_test(test_results),
	    cmocka_unit_test(test_failed_changes_ratio),
	};

	curl_global_init(CURL_GLOBAL_DEFAULT);
	return cmocka_run_group_tests(tests, setup, teardown);
}
