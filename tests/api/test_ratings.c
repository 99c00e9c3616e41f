/*
 * test_ratings.c — ratings (好差评), 差评整改 follow-ups and typical cases
 * (issue 15 points 2 and 3) through the API on both backends: the refusals
 * of a rating (an unfinished application, another applicant's, twice, a bad
 * level or comment, a staff account), a 差评 opening a follow-up task for the
 * department concerned (the window's for a refusal, the rejecting
 * department's for a rejection), the department's queue and reply, the
 * applicant reading the reply, a good rating opening none, four ratings of
 * one application at once (one is recorded, nothing doubled), and typical
 * cases: written by staff, refused while they carry personal data,
 * published by the 审改办, public without any personal data.
 *
 * Applications are made through the API as an applicant would; the
 * materials' rows are written straight into the store, since uploading them
 * is another module's route.
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
static unsigned serial = 15000; /* test_uscc serials of this file */

static void as(const char *user)
{
	srv.cookies[0] = srv.csrf[0] = srv.bearer[0] = '\0';
	if (strcmp(user, "applicant2") == 0)
		assert_int_equal(login(&srv, user, applicant2_pw), 0);
	else
		assert_int_equal(login(&srv, user, demo_password(&srv, user)), 0);
}

static const char *str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

static json_t *get_app(int64_t id)
{
	char path[96];
	struct resp r;
	json_t *app;

	snprintf(path, sizeof(path), "/api/v1/applications/%lld", (long long)id);
	http_req(&srv, "GET", path, NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	app = json_incref(json_object_get(r.json, "application"));
	resp_free(&r);
	return app;
}

/* POST path with body (NULL: none), expecting status and, when code is
 * given, that error (any field); returns the parsed answer (caller decrefs). */
static json_t *post(const char *path, json_t *body, long status, const char *code)
{
	struct resp r;
	json_t *out;

	if (body)
		http_json(&srv, "POST", path, body, &r);
	else
		http_req(&srv, "POST", path, NULL, NULL, 0, NULL, &r);
	if (r.status != status)
		fprintf(stderr, "POST %s: %ld %s\n", path, r.status, r.body ? r.body : "");
	if (code)
		assert_error(&r, status, code, "*");
	else
		assert_int_equal(r.status, status);
	out = json_incref(r.json);
	resp_free(&r);
	return out;
}

static json_t *get(const char *path, long status)
{
	struct resp r;
	json_t *out;

	http_req(&srv, "GET", path, NULL, NULL, 0, NULL, &r);
	if (r.status != status)
		fprintf(stderr, "GET %s: %ld %s\n", path, r.status, r.body ? r.body : "");
	assert_int_equal(r.status, status);
	out = json_incref(r.json);
	resp_free(&r);
	return out;
}

/* As the demo applicant: an application of industry with answers (JSON
 * text), its form filled and every material uploaded; submitted when
 * submit. */
static int64_t application(const char *industry, const char *answers, bool submit)
{
	json_t *app, *form = json_object(), *f;
	char path[160];
	struct resp r;
	int64_t id;
	size_t i;

	as("applicant");
	http_json(
	    &srv, "POST", "/api/v1/applications",
	    json_pack("{s:s,s:o}", "industry", industry, "answers", json_loads(answers, 0, NULL)),
	    &r);
	assert_int_equal(r.status, 201);
	id = json_integer_value(json_object_get(json_object_get(r.json, "application"), "id"));
	resp_free(&r);
	app = get_app(id);
	json_array_foreach (json_object_get(json_object_get(app, "notice"), "fields"), i, f)
		json_object_set_new(form, str(f, "id"), app_field_value(f, serial++));
	snprintf(path, sizeof(path), "/api/v1/applications/%lld", (long long)id);
	http_json(&srv, "PATCH", path,
		  json_pack("{s:o,s:O}", "form", form, "version", json_object_get(app, "version")),
		  &r);
	assert_int_equal(r.status, 200);
	resp_free(&r);
	app_insert_materials(&srv, id,
			     json_object_get(json_object_get(app, "notice"), "materials"));
	json_decref(app);
	if (submit) {
		snprintf(path, sizeof(path), "/api/v1/applications/%lld/submit", (long long)id);
		json_decref(post(path, NULL, 200, NULL));
	}
	return id;
}

#define SHUDIAN "shudian"
#define SHUDIAN_ANSWERS "{\"q_food\":false,\"q_area\":120,\"q_sign\":true,\"q_sign_area\":3}"

/* Rates application id as the current user; answers the parsed body. */
static json_t *rate(int64_t id, json_t *body, long status, const char *code)
{
	char path[96];

	snprintf(path, sizeof(path), "/api/v1/applications/%lld/rating", (long long)id);
	return post(path, body, status, code);
}

static json_t *rating_of(int64_t id)
{
	char path[96];

	snprintf(path, sizeof(path), "/api/v1/applications/%lld/rating", (long long)id);
	return get(path, 200);
}

/* The follow-up of application id in the current user's queue, or NULL
 * (a new reference). */
static json_t *queued(int64_t id)
{
	json_t *l = get("/api/v1/ratings/followups?limit=200", 200), *it, *out = NULL;
	size_t i;

	json_array_foreach (json_object_get(l, "items"), i, it)
		if (json_integer_value(json_object_get(json_object_get(it, "application"), "id")) ==
		    id)
			out = json_incref(it);
	json_decref(l);
	return out;
}

static bool notified(const char *event, int64_t app_id)
{
	json_t *l = get("/api/v1/notifications?limit=200", 200), *it;
	bool found = false;
	size_t i;

	json_array_foreach (json_object_get(l, "items"), i, it)
		found |= strcmp(str(it, "event"), event) == 0 &&
			 json_integer_value(json_object_get(it, "application_id")) == app_id;
	json_decref(l);
	return found;
}

static bool audited(const char *action, const char *object)
{
	char path[128];
	json_t *l, *it;
	bool found = false;
	size_t i;

	snprintf(path, sizeof(path), "/api/v1/audit?action=%s&limit=200", action);
	as("auditor");
	l = get(path, 200);
	json_array_foreach (json_object_get(l, "items"), i, it)
		found |=
		    strcmp(str(it, "object"), object) == 0 && strcmp(str(it, "outcome"), "ok") == 0;
	json_decref(l);
	return found;
}

/* ----------------------------------------------------------------- ratings */

static void test_rating_refusals_and_followup(void **state)
{
	int64_t id = application(SHUDIAN, SHUDIAN_ANSWERS, true);
	char path[128], object[64], comment[520];
	json_t *g, *fu, *f;
	int64_t fid;

	(void)state;
	/* an unfinished application cannot be rated */
	json_decref(rate(id, json_pack("{s:i}", "level", 5), 409, "application_not_completed"));
	g = rating_of(id);
	assert_true(json_is_null(json_object_get(g, "rating")));
	assert_true(json_is_false(json_object_get(g, "can_rate")));
	json_decref(g);
	/* the window refuses it: now it is completed */
	as("clerk");
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/refuse", (long long)id);
	json_decref(post(path, json_pack("{s:s}", "reason", "不属于本窗口受理范围"), 200, NULL));
	/* staff cannot rate; another applicant's application is 404 */
	json_decref(rate(id, json_pack("{s:i}", "level", 1), 403, "forbidden"));
	as("applicant2");
	json_decref(rate(id, json_pack("{s:i}", "level", 1), 404, "application_not_found"));
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/rating", (long long)id);
	json_decref(get(path, 404));
	/* bad levels and comments */
	as("applicant");
	json_decref(rate(id, json_pack("{s:i}", "level", 0), 400, "invalid_level"));
	json_decref(rate(id, json_pack("{s:i}", "level", 6), 400, "invalid_level"));
	json_decref(rate(id, json_pack("{s:s}", "level", "5"), 400, "invalid_level"));
	memset(comment, 'a', 501);
	comment[501] = '\0';
	json_decref(
	    rate(id, json_pack("{s:i,s:s}", "level", 2, "comment", comment), 400, "too_long"));
	json_decref(rate(id, json_pack("{s:i,s:i}", "level", 2, "x", 1), 400, "unknown_field"));
	g = rating_of(id);
	assert_true(json_is_true(json_object_get(g, "can_rate")));
	json_decref(g);
	/* a 差评 opens a follow-up task for the window that refused it */
	g = rate(id, json_pack("{s:i,s:s}", "level", 2, "comment", "窗口没有说明理由"), 201, NULL);
	f = json_object_get(g, "rating");
	assert_int_equal(json_integer_value(json_object_get(f, "level")), 2);
	assert_string_equal(str(f, "level_label"), "不满意");
	assert_string_equal(str(f, "comment"), "窗口没有说明理由");
	assert_false(json_is_true(json_object_get(g, "can_rate")));
	assert_int_equal(json_array_size(json_object_get(f, "followups")), 1);
	fu = json_array_get(json_object_get(f, "followups"), 0);
	assert_string_equal(str(json_object_get(fu, "department"), "code"), "xzfwzx");
	assert_string_equal(str(fu, "state"), "open");
	assert_true(strcmp(str(fu, "due_date"), str(fu, "created_on")) > 0);
	assert_true(json_is_null(json_object_get(fu, "reply")));
	fid = json_integer_value(json_object_get(fu, "id"));
	json_decref(g);
	/* rating twice */
	json_decref(rate(id, json_pack("{s:i}", "level", 5), 409, "already_rated"));
	snprintf(object, sizeof(object), "application:%lld", (long long)id);
	assert_true(audited("rating.submit", object));
	/* the window's queue has it, with the rating but not the applicant */
	as("clerk");
	assert_true(notified("rating_followup", id));
	fu = queued(id);
	assert_non_null(fu);
	assert_int_equal(json_integer_value(json_object_get(fu, "id")), fid);
	assert_string_equal(str(json_object_get(fu, "rating"), "comment"), "窗口没有说明理由");
	assert_null(json_object_get(fu, "applicant"));
	json_decref(fu);
	/* another department neither sees it nor replies */
	as("reviewer");
	assert_null(queued(id));
	snprintf(path, sizeof(path), "/api/v1/ratings/followups/%lld", (long long)fid);
	json_decref(get(path, 404));
	snprintf(path, sizeof(path), "/api/v1/ratings/followups/%lld/reply", (long long)fid);
	json_decref(post(path, json_pack("{s:s}", "reply", "x"), 404, "followup_not_found"));
	/* the applicant cannot read the queue */
	as("applicant");
	json_decref(get("/api/v1/ratings/followups", 403));
	/* the window replies once */
	as("clerk");
	json_decref(post(path, json_pack("{s:s}", "reply", "  "), 400, "required"));
	g = post(path, json_pack("{s:s}", "reply", "已向申请人说明不予受理的理由并改进告知方式"),
		 200, NULL);
	assert_string_equal(str(json_object_get(g, "followup"), "state"), "replied");
	json_decref(g);
	json_decref(post(path, json_pack("{s:s}", "reply", "再次回复"), 409, "followup_replied"));
	snprintf(object, sizeof(object), "rating_followup:%lld", (long long)fid);
	assert_true(audited("rating.followup_reply", object));
	/* the open queue no longer lists it; the replied one does */
	as("clerk");
	g = get("/api/v1/ratings/followups?state=open&limit=200", 200);
	{
		json_t *it;
		size_t i;

		json_array_foreach (json_object_get(g, "items"), i, it)
			assert_int_not_equal(json_integer_value(json_object_get(it, "id")), fid);
	}
	json_decref(g);
	json_decref(get("/api/v1/ratings/followups?state=closed", 400));
	json_decref(get("/api/v1/ratings/followups?overdue=maybe", 400));
	g = get("/api/v1/ratings/followups?overdue=true&limit=200", 200);
	assert_true(json_is_array(json_object_get(g, "items")));
	json_decref(g);
	/* the applicant reads the reply and was told */
	as("applicant");
	assert_true(notified("rating_reply", id));
	g = rating_of(id);
	fu = json_array_get(json_object_get(json_object_get(g, "rating"), "followups"), 0);
	assert_string_equal(str(fu, "reply"), "已向申请人说明不予受理的理由并改进告知方式");
	assert_string_equal(str(fu, "state"), "replied");
	json_decref(g);
	/* an auditor reads every department's queue */
	as("auditor");
	fu = queued(id);
	assert_non_null(fu);
	json_decref(fu);
}

static void test_good_rating_and_rejection(void **state)
{
	int64_t id = application(SHUDIAN, SHUDIAN_ANSWERS, false);
	char path[128];
	json_t *g, *fus;

	(void)state;
	/* withdrawn: rated 非常满意 without a comment opens no task */
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/withdraw", (long long)id);
	json_decref(post(path, NULL, 200, NULL));
	g = rate(id, json_pack("{s:i,s:n}", "level", 5, "comment"), 201, NULL);
	assert_string_equal(str(json_object_get(g, "rating"), "level_label"), "非常满意");
	assert_true(json_is_null(json_object_get(json_object_get(g, "rating"), "comment")));
	assert_int_equal(
	    json_array_size(json_object_get(json_object_get(g, "rating"), "followups")), 0);
	json_decref(g);
	/* rejected by one department: only that department follows up */
	id = application(SHUDIAN, SHUDIAN_ANSWERS, true);
	as("clerk");
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/accept", (long long)id);
	json_decref(post(path, NULL, 200, NULL));
	as("reviewer_lhsrj");
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/reviews/lhsrj", (long long)id);
	json_decref(post(
	    path, json_pack("{s:s,s:s}", "decision", "reject", "reason", "招牌设置位置不符合规划"),
	    200, NULL));
	as("applicant");
	g = rate(id, json_pack("{s:i,s:s}", "level", 1, "comment", "审查意见不清楚"), 201, NULL);
	fus = json_object_get(json_object_get(g, "rating"), "followups");
	assert_int_equal(json_array_size(fus), 1);
	assert_string_equal(str(json_object_get(json_array_get(fus, 0), "department"), "code"),
			    "lhsrj");
	json_decref(g);
	as("reviewer_lhsrj");
	g = queued(id);
	assert_non_null(g);
	assert_string_equal(str(json_object_get(g, "rating"), "level_label"), "非常不满意");
	json_decref(g);
	as("reviewer_whlyj");
	assert_null(queued(id));
	/* staff who can see the application read its rating */
	as("clerk");
	g = rating_of(id);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(g, "rating"), "level")),
			 1);
	assert_true(json_is_false(json_object_get(g, "can_rate")));
	json_decref(g);
}

#define RACERS 4

/* RACERS processes, each logged in as the demo applicant, released together
 * to POST body to path; answers[k] and codes[k] receive each one's status and
 * error code (shared memory). */
static void race(const char *path, const char *body, long *answers, char (*codes)[32])
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
			const char *code;

			close(ready[0]);
			close(go[1]);
			mine.curl = curl_easy_init();
			mine.cookies[0] = mine.csrf[0] = mine.bearer[0] = '\0';
			if (login(&mine, "applicant", demo_password(&srv, "applicant")) < 0)
				_exit(1);
			if (write(ready[1], "r", 1) != 1 || read(go[0], &byte, 1) != 0)
				_exit(1);
			http_req(&mine, "POST", path, "application/json", body, strlen(body), NULL,
				 &r);
			answers[k] = r.status;
			code = json_string_value(
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

/* Four ratings of one application at once: one is recorded with its
 * follow-up tasks, the others are told it is rated; nothing is doubled. */
static void test_concurrent_ratings(void **state)
{
	long *answers = mmap(NULL, RACERS * sizeof(long) + RACERS * 32, PROT_READ | PROT_WRITE,
			     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char(*codes)[32] = (char(*)[32])(answers + RACERS);
	int64_t id = application(SHUDIAN, SHUDIAN_ANSWERS, false);
	char path[128], sql[160];
	int ok = 0, rated = 0;

	(void)state;
	assert_true(answers != MAP_FAILED);
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/withdraw", (long long)id);
	json_decref(post(path, NULL, 200, NULL));
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/rating", (long long)id);
	race(path, "{\"level\":1,\"comment\":\"并发\"}", answers, codes);
	for (int k = 0; k < RACERS; k++) {
		ok += answers[k] == 201;
		rated += answers[k] == 409 && strcmp(codes[k], "already_rated") == 0;
	}
	assert_int_equal(ok, 1);
	assert_int_equal(rated, RACERS - 1);
	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM ratings WHERE application_id = %lld",
		 (long long)id);
	assert_int_equal(server_sql_long(&srv, sql), 1);
	/* withdrawn: every department of the 书店 application, once each */
	snprintf(sql, sizeof(sql),
		 "SELECT COUNT(*) FROM rating_followups WHERE application_id = %lld",
		 (long long)id);
	assert_int_equal(server_sql_long(&srv, sql), 2);
	munmap(answers, RACERS * sizeof(long) + RACERS * 32);
}

/* ------------------------------------------------------------ typical cases */

static bool text_has(const json_t *v, const char *needle)
{
	char *text = json_dumps(v, JSON_COMPACT);
	bool hit = strstr(text, needle) != NULL;

	free(text);
	return hit;
}

static void test_typical_cases(void **state)
{
	int64_t open_id = application(SHUDIAN, SHUDIAN_ANSWERS, true);
	int64_t id = application(SHUDIAN, SHUDIAN_ANSWERS, true), cid;
	const char *legal;
	char path[128], body[512], object[64];
	json_t *app, *k, *l;

	(void)state;
	as("clerk");
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/refuse", (long long)id);
	json_decref(post(path, json_pack("{s:s}", "reason", "经营场所不在本区"), 200, NULL));
	app = get_app(id);
	legal = str(json_object_get(app, "form"), "F_legal_name");
	assert_true(strlen(legal) > 0);
	/* an unfinished application; personal data in each part */
	json_decref(post("/api/v1/typical-cases",
			 json_pack("{s:I,s:s,s:s,s:s}", "application_id", (json_int_t)open_id,
				   "title", "t", "summary", "s", "body", "b"),
			 409, "application_not_completed"));
	snprintf(body, sizeof(body), "法定代表人%s到窗口办理", legal);
	json_decref(post("/api/v1/typical-cases",
			 json_pack("{s:I,s:s,s:s,s:s}", "application_id", (json_int_t)id, "title",
				   "跨区经营场所的告知", "summary", "窗口一次告知", "body", body),
			 400, "personal_data"));
	json_decref(
	    post("/api/v1/typical-cases",
		 json_pack("{s:I,s:s,s:s,s:s}", "application_id", (json_int_t)id, "title",
			   "跨区经营场所的告知", "summary", "联系电话 13812345678", "body", "正文"),
		 400, "personal_data"));
	json_decref(post("/api/v1/typical-cases",
			 json_pack("{s:I,s:s,s:s,s:s}", "application_id", (json_int_t)id, "title",
				   "徐汇示范便利店有限公司的申请", "summary", "s", "body", "b"),
			 400, "personal_data"));
	json_decref(post("/api/v1/typical-cases",
			 json_pack("{s:I,s:s,s:s,s:s}", "application_id", (json_int_t)id + 100000,
				   "title", "t", "summary", "s", "body", "b"),
			 404, "application_not_found"));
	json_decref(post("/api/v1/typical-cases",
			 json_pack("{s:s,s:s,s:s,s:s}", "application_id", "1", "title", "t",
				   "summary", "s", "body", "b"),
			 400, "invalid_application"));
	json_decref(get("/api/v1/typical-cases?status=deleted", 400));
	/* a clean write-up is a draft, not public */
	k = post(
	    "/api/v1/typical-cases",
	    json_pack("{s:I,s:s,s:s,s:s}", "application_id", (json_int_t)id, "title",
		      "经营场所不在本区的申请：一次告知、引导至属地办理", "summary",
		      "窗口在受理环节一次性告知不予受理的理由和属地办理渠道，申请人当日转办。",
		      "body",
		      "申请人提交的经营场所位于其他区。窗口工作人员核对后当场作出不予受理决定，"
		      "说明法律依据，并告知属地政务服务中心的办理方式，避免申请人多跑一次。"),
	    201, NULL);
	cid = json_integer_value(json_object_get(json_object_get(k, "case"), "id"));
	assert_string_equal(str(json_object_get(k, "case"), "status"), "draft");
	json_decref(k);
	json_decref(post("/api/v1/typical-cases",
			 json_pack("{s:I,s:s,s:s,s:s}", "application_id", (json_int_t)id, "title",
				   "t", "summary", "s", "body", "b"),
			 409, "case_exists"));
	snprintf(path, sizeof(path), "/api/v1/public/typical-cases/%lld", (long long)cid);
	json_decref(get(path, 404));
	/* only the 审改办 publishes */
	snprintf(path, sizeof(path), "/api/v1/typical-cases/%lld/publish", (long long)cid);
	json_decref(post(path, NULL, 403, "forbidden"));
	as("catalog_admin");
	k = post(path, NULL, 200, NULL);
	assert_string_equal(str(json_object_get(k, "case"), "status"), "published");
	json_decref(k);
	snprintf(object, sizeof(object), "typical_case:%lld", (long long)cid);
	assert_true(audited("typical_case.publish", object));
	/* the public list and page: no personal data, no application number */
	srv.cookies[0] = srv.csrf[0] = srv.bearer[0] = '\0';
	l = get("/api/v1/public/typical-cases", 200);
	assert_true(json_integer_value(json_object_get(l, "total")) >= 1);
	k = json_array_get(json_object_get(l, "items"), 0);
	assert_int_equal(json_integer_value(json_object_get(k, "id")), cid);
	assert_string_equal(str(k, "outcome"), "refused");
	assert_string_equal(str(k, "outcome_label"), "不予受理");
	assert_null(json_object_get(k, "body"));
	snprintf(path, sizeof(path), "/api/v1/public/typical-cases/%lld", (long long)cid);
	k = get(path, 200);
	assert_true(strlen(str(json_object_get(k, "case"), "body")) > 0);
	for (int pass = 0; pass < 2; pass++) {
		const json_t *v = pass ? k : l;
		const char *key;
		json_t *fv;

		assert_false(text_has(v, str(app, "number")));
		assert_false(text_has(v, "application_id"));
		assert_false(text_has(v, "徐汇示范便利店有限公司"));
		json_object_foreach (json_object_get(app, "form"), key, fv)
			if (json_is_string(fv) && (strstr(key, "name") || strstr(key, "phone") ||
						   strstr(key, "_id") || strstr(key, "address")))
				assert_false(text_has(v, json_string_value(fv)));
	}
	json_decref(k);
	json_decref(l);
	/* a published case is not edited in place; taken back, it is */
	as("clerk");
	snprintf(path, sizeof(path), "/api/v1/typical-cases/%lld", (long long)cid);
	{
		struct resp r;

		http_json(&srv, "PATCH", path, json_pack("{s:s}", "title", "新标题"), &r);
		assert_error(&r, 409, "case_published", NULL);
		resp_free(&r);
		as("catalog_admin");
		snprintf(path, sizeof(path), "/api/v1/typical-cases/%lld/unpublish",
			 (long long)cid);
		json_decref(post(path, NULL, 200, NULL));
		as("clerk");
		snprintf(path, sizeof(path), "/api/v1/typical-cases/%lld", (long long)cid);
		http_json(&srv, "PATCH", path, json_pack("{s:s}", "title", "新标题"), &r);
		assert_int_equal(r.status, 200);
		assert_string_equal(str(json_object_get(r.json, "case"), "title"), "新标题");
		resp_free(&r);
		snprintf(body, sizeof(body), "身份证 31010419900101123X");
		http_json(&srv, "PATCH", path, json_pack("{s:s}", "body", body), &r);
		assert_error(&r, 400, "personal_data", "body");
		resp_free(&r);
	}
	l = get("/api/v1/typical-cases?status=draft", 200);
	assert_true(json_integer_value(json_object_get(l, "total")) >= 1);
	json_decref(l);
	srv.cookies[0] = srv.csrf[0] = srv.bearer[0] = '\0';
	snprintf(path, sizeof(path), "/api/v1/public/typical-cases/%lld", (long long)cid);
	json_decref(get(path, 404));
	/* applicants do not read the staff list */
	as("applicant");
	json_decref(get("/api/v1/typical-cases", 403));
	json_decref(app);
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
	    cmocka_unit_test(test_rating_refusals_and_followup),
	    cmocka_unit_test(test_good_rating_and_rejection),
	    cmocka_unit_test(test_concurrent_ratings),
	    cmocka_unit_test(test_typical_cases),
	};

	curl_global_init(CURL_GLOBAL_DEFAULT);
	return cmocka_run_group_tests(tests, setup, teardown);
}
