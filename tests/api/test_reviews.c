/*
 * test_reviews.c — parallel review, the joint on-site inspection and the
 * deadline lists (issue 11 §7–§9), on both backends: every refusal of a
 * review (wrong role, wrong department, a department the application does
 * not involve, a missing reason, the wrong state), two reviewers deciding at
 * once (exactly one wins, nothing is lost), a joint inspection of three
 * departments with a rectification, a failed inspection as a rejection,
 * approval when every department approves, and a return that starts a new
 * round after resubmission.
 *
 * Applications are made through the API as an applicant would (create from
 * answers, fill the form with valid values of each field's type, submit)
 * and accepted by the window clerk; the materials' rows are written straight
 * into the store, since uploading them is another module's route.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness_app.h"

static struct server srv;
static unsigned serial = 7000; /* test_uscc serials of this file */

/* Demo accounts (yiye init --demo): <role>_<department>, plus the fixed ones. */
static void as(struct server *s, const char *user)
{
	s->cookies[0] = s->csrf[0] = s->bearer[0] = '\0';
	assert_int_equal(login(s, user, demo_password(&srv, user)), 0);
}

static int64_t user_id(const char *user)
{
	struct resp r;
	int64_t id;

	as(&srv, user);
	http_req(&srv, "GET", "/api/v1/me", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	id = json_integer_value(json_object_get(r.json, "id"));
	resp_free(&r);
	assert_true(id > 0);
	return id;
}

/* ------------------------------------------------------------ the applicant */

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

static void post(const char *path, json_t *body, long status, const char *code)
{
	struct resp r;

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
	resp_free(&r);
}

/* As the demo applicant: an application of industry with answers (JSON
 * text), its form filled and every material uploaded, submitted. */
static int64_t submitted(const char *industry, const char *answers)
{
	json_t *app, *form = json_object(), *f;
	char path[160];
	struct resp r;
	int64_t id;
	size_t i;

	as(&srv, "applicant");
	http_json(
	    &srv, "POST", "/api/v1/applications",
	    json_pack("{s:s,s:o}", "industry", industry, "answers", json_loads(answers, 0, NULL)),
	    &r);
	if (r.status != 201)
		fprintf(stderr, "create: %ld %s\n", r.status, r.body);
	assert_int_equal(r.status, 201);
	id = json_integer_value(json_object_get(json_object_get(r.json, "application"), "id"));
	resp_free(&r);
	app = get_app(id);
	json_array_foreach (json_object_get(json_object_get(app, "notice"), "fields"), i, f)
		json_object_set_new(form, json_string_value(json_object_get(f, "id")),
				    app_field_value(f, serial++));
	snprintf(path, sizeof(path), "/api/v1/applications/%lld", (long long)id);
	http_json(&srv, "PATCH", path,
		  json_pack("{s:o,s:O}", "form", form, "version", json_object_get(app, "version")),
		  &r);
	if (r.status != 200)
		fprintf(stderr, "patch: %ld %s\n", r.status, r.body);
	assert_int_equal(r.status, 200);
	resp_free(&r);
	app_insert_materials(&srv, id,
			     json_object_get(json_object_get(app, "notice"), "materials"));
	json_decref(app);
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/submit", (long long)id);
	post(path, NULL, 200, NULL);
	return id;
}

/* submitted, then accepted by the window clerk: under review. */
static int64_t accepted(const char *industry, const char *answers)
{
	int64_t id = submitted(industry, answers);
	char path[96];

	as(&srv, "clerk");
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/accept", (long long)id);
	post(path, NULL, 200, NULL);
	return id;
}

static const char *status_of(int64_t id, char *buf, size_t size)
{
	json_t *app;

	as(&srv, "clerk");
	app = get_app(id);
	snprintf(buf, size, "%s", json_string_value(json_object_get(app, "status")));
	json_decref(app);
	return buf;
}

static void review(int64_t id, const char *dept, const char *decision, const char *reason,
		   long status, const char *code)
{
	char path[128];

	snprintf(path, sizeof(path), "/api/v1/applications/%lld/reviews/%s", (long long)id, dept);
	post(path, json_pack("{s:s,s:s?}", "decision", decision, "reason", reason), status, code);
}

/* 书店 without food and with a small sign: 出版物经营许可 (区文化旅游局) and
 * 户外招牌设置 (区绿化市容局), neither inspected. */
#define SHUDIAN "shudian"
#define SHUDIAN_ANSWERS "{\"q_food\":false,\"q_area\":120,\"q_sign\":true,\"q_sign_area\":3}"
/* 宾馆 without catering, alcohol, tobacco, pool or sign: 公共场所卫生许可
 * (区卫生健康委), 特种行业许可 (徐汇公安分局), 消防安全检查 (区消防救援支队),
 * all three inspected on site. */
#define BINGUAN "binguan"
#define BINGUAN_ANSWERS                                                                   \
	"{\"q_catering\":false,\"q_alcohol\":false,\"q_tobacco\":false,\"q_pool\":false," \
	"\"q_sign\":false}"
/* 烘焙店 without seats, drain or sign: 食品经营许可 (区市场监管局), inspected. */
#define HONGBEI "hongbeidian"
#define HONGBEI_ANSWERS "{\"q_cream\":true,\"q_dine_in\":false,\"q_drain\":false,\"q_sign\":false}"

/* Is there an audit entry `action` on application id with `outcome`? */
static int audited(const char *action, int64_t id, const char *outcome)
{
	char path[128], want[48];
	struct resp r;
	json_t *it;
	size_t i;
	int found = 0;

	snprintf(want, sizeof(want), "application:%lld", (long long)id);
	snprintf(path, sizeof(path), "/api/v1/audit?action=%s&limit=200", action);
	as(&srv, "auditor");
	http_req(&srv, "GET", path, NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	json_array_foreach (json_object_get(r.json, "items"), i, it)
		found |= strcmp(json_string_value(json_object_get(it, "object")), want) == 0 &&
			 strcmp(json_string_value(json_object_get(it, "outcome")), outcome) == 0;
	resp_free(&r);
	return found;
}

/* ------------------------------------------------------------------ reviews */

static void test_review_refusals(void **state)
{
	int64_t id;
	char path[128], st[32];

	(void)state;
	/* wrong state: a submitted application is not under review yet */
	id = submitted(SHUDIAN, SHUDIAN_ANSWERS);
	as(&srv, "reviewer_whlyj");
	review(id, "whlyj", "approve", NULL, 409, "invalid_state");
	as(&srv, "clerk");
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/accept", (long long)id);
	post(path, NULL, 200, NULL);

	/* wrong role: the applicant, an inspector, the clerk */
	as(&srv, "applicant");
	review(id, "whlyj", "approve", NULL, 403, "forbidden");
	as(&srv, "inspector_whlyj");
	review(id, "whlyj", "approve", NULL, 403, "forbidden");
	/* wrong department: a reviewer of 区绿化市容局 deciding for 区文化旅游局 */
	as(&srv, "reviewer_lhsrj");
	review(id, "whlyj", "approve", NULL, 403, "wrong_department");
	/* a department the application does not involve: its staff do not even
	 * see the application */
	as(&srv, "reviewer_scjgj");
	review(id, "scjgj", "approve", NULL, 404, "application_not_found");
	/* missing reason for reject and send_back; an unknown decision */
	as(&srv, "reviewer_whlyj");
	review(id, "whlyj", "reject", NULL, 400, "reason_required");
	review(id, "whlyj", "send_back", "  ", 400, "reason_required");
	review(id, "whlyj", "maybe", NULL, 400, "invalid_decision");
	assert_string_equal(status_of(id, st, sizeof(st)), "under_review");
	/* a decision, then the same department again */
	as(&srv, "reviewer_whlyj");
	review(id, "whlyj", "approve", NULL, 200, NULL);
	as(&srv, "reviewer2"); /* the other demo reviewer of 区文化旅游局 */
	review(id, "whlyj", "approve", NULL, 409, "already_decided");
	assert_string_equal(status_of(id, st, sizeof(st)), "under_review");
	/* the last department approves: approved, and decided applications
	 * take no more decisions */
	as(&srv, "reviewer_lhsrj");
	review(id, "lhsrj", "approve", NULL, 200, NULL);
	assert_string_equal(status_of(id, st, sizeof(st)), "approved");
	as(&srv, "reviewer_lhsrj");
	review(id, "lhsrj", "approve", NULL, 409, "invalid_state");
}

static void test_review_records_basis_and_view(void **state)
{
	int64_t id;
	json_t *app, *d;
	size_t i;
	int seen = 0;

	(void)state;
	id = accepted(SHUDIAN, SHUDIAN_ANSWERS);
	as(&srv, "reviewer_lhsrj");
	review(id, "lhsrj", "reject", "招牌设置位置不符合规划", 200, NULL);
	as(&srv, "clerk");
	app = get_app(id);
	assert_string_equal(json_string_value(json_object_get(app, "status")), "rejected");
	json_array_foreach (json_object_get(app, "departments"), i, d) {
		const char *code = json_string_value(json_object_get(d, "code"));

		if (code == NULL || strcmp(code, "lhsrj") != 0)
			continue;
		seen = 1;
		assert_string_equal(json_string_value(json_object_get(d, "review")), "rejected");
		assert_string_equal(json_string_value(json_object_get(d, "reason")),
				    "招牌设置位置不符合规划");
		assert_non_null(json_string_value(json_object_get(d, "legal_basis")));
	}
	assert_true(seen);
	json_decref(app);
	/* the decision is in the audit trail and in the timeline */
	assert_true(audited("application.review", id, "ok"));
}

/* A reviewer sees only the materials and fields of their department's
 * permits (and the industry's own, which no permit claims). */
static void test_department_view(void **state)
{
	json_t *full, *mine, *m;
	size_t i, j, nfull, nmine;
	int64_t id;

	(void)state;
	id = accepted(SHUDIAN, SHUDIAN_ANSWERS);
	as(&srv, "clerk");
	full = get_app(id);
	assert_null(json_object_get(full, "department_view"));
	as(&srv, "reviewer_lhsrj");
	mine = get_app(id);
	assert_string_equal(json_string_value(json_object_get(mine, "department_view")), "lhsrj");
	nfull = json_array_size(json_object_get(json_object_get(full, "notice"), "materials"));
	nmine = json_array_size(json_object_get(json_object_get(mine, "notice"), "materials"));
	assert_true(nmine > 0 && nmine < nfull);
	json_array_foreach (json_object_get(json_object_get(mine, "notice"), "materials"), i, m) {
		json_t *by = json_object_get(m, "required_by"), *code;
		int own = 0, other = 0;

		json_array_foreach (by, j, code) {
			own |= strcmp(json_string_value(code), "P_signboard") == 0;
			other |= strcmp(json_string_value(code), "P_publication_retail") == 0;
		}
		assert_true(own || !other);
	}
	assert_true(json_object_size(json_object_get(mine, "form")) <
		    json_object_size(json_object_get(full, "form")));
	json_decref(full);
	json_decref(mine);
}

struct racer {
	struct server s;
	int64_t id;
	const char *dept;
	pthread_barrier_t *go;
	long status;
	char code[64];
};

static void *race(void *p)
{
	struct racer *x = p;
	const char *code;
	char path[128];
	struct resp r;

	snprintf(path, sizeof(path), "/api/v1/applications/%lld/reviews/%s", (long long)x->id,
		 x->dept);
	pthread_barrier_wait(x->go);
	http_json(&x->s, "POST", path, json_pack("{s:s}", "decision", "approve"), &r);
	x->status = r.status;
	code = json_string_value(json_object_get(json_object_get(r.json, "error"), "code"));
	snprintf(x->code, sizeof(x->code), "%s", code ? code : "");
	resp_free(&r);
	return NULL;
}

/* Fires two decisions at once from two sessions. */
static void race_two(struct racer *a, struct racer *b)
{
	pthread_barrier_t go;
	pthread_t ta, tb;

	pthread_barrier_init(&go, NULL, 2);
	a->go = b->go = &go;
	pthread_create(&ta, NULL, race, a);
	pthread_create(&tb, NULL, race, b);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	pthread_barrier_destroy(&go);
}

static void racer_login(struct racer *x, const char *user)
{
	memcpy(&x->s, &srv, sizeof(srv));
	x->s.curl = curl_easy_init();
	x->s.cookies[0] = x->s.csrf[0] = x->s.bearer[0] = '\0';
	assert_int_equal(login(&x->s, user, demo_password(&srv, user)), 0);
}

static void racer_done(struct racer *x)
{
	curl_easy_cleanup(x->s.curl);
}

static void test_two_reviewers_at_once(void **state)
{
	struct racer a, b;
	int64_t id;
	char st[32];
	json_t *app, *d;
	size_t i;

	(void)state;
	/* Two reviewers of one department: exactly one decision counts. */
	for (int round = 0; round < 3; round++) {
		id = accepted(SHUDIAN, SHUDIAN_ANSWERS);
		memset(&a, 0, sizeof(a));
		memset(&b, 0, sizeof(b));
		racer_login(&a, "reviewer_whlyj");
		racer_login(&b, "reviewer2");
		a.id = b.id = id;
		a.dept = b.dept = "whlyj";
		race_two(&a, &b);
		assert_true((a.status == 200 && b.status == 409) ||
			    (a.status == 409 && b.status == 200));
		assert_string_equal(a.status == 409 ? a.code : b.code, "already_decided");
		racer_done(&a);
		racer_done(&b);
		/* Two departments at once: both decisions are kept. */
		id = accepted(SHUDIAN, SHUDIAN_ANSWERS);
		racer_login(&a, "reviewer_whlyj");
		racer_login(&b, "reviewer_lhsrj");
		a.id = b.id = id;
		a.dept = "whlyj";
		b.dept = "lhsrj";
		race_two(&a, &b);
		assert_int_equal(a.status, 200);
		assert_int_equal(b.status, 200);
		racer_done(&a);
		racer_done(&b);
		assert_string_equal(status_of(id, st, sizeof(st)), "approved");
		as(&srv, "clerk");
		app = get_app(id);
		json_array_foreach (json_object_get(app, "departments"), i, d)
			assert_string_equal(json_string_value(json_object_get(d, "review")),
					    "approved");
		json_decref(app);
	}
}

static void test_send_back_new_round(void **state)
{
	int64_t id;
	char path[128], st[32];
	json_t *app, *d;
	size_t i;

	(void)state;
	id = accepted(SHUDIAN, SHUDIAN_ANSWERS);
	as(&srv, "reviewer_lhsrj");
	review(id, "lhsrj", "approve", NULL, 200, NULL);
	as(&srv, "reviewer_whlyj");
	review(id, "whlyj", "send_back", "经营场所证明不清晰，请重新提供", 200, NULL);
	assert_string_equal(status_of(id, st, sizeof(st)), "returned");
	/* a returned application takes no decision */
	as(&srv, "reviewer_whlyj");
	review(id, "whlyj", "approve", NULL, 409, "invalid_state");
	as(&srv, "applicant");
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/resubmit", (long long)id);
	post(path, NULL, 200, NULL);
	as(&srv, "clerk");
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/accept", (long long)id);
	post(path, NULL, 200, NULL);
	/* a new round: every department decides again */
	app = get_app(id);
	assert_string_equal(json_string_value(json_object_get(app, "status")), "under_review");
	json_array_foreach (json_object_get(app, "departments"), i, d) {
		assert_string_equal(json_string_value(json_object_get(d, "review")), "pending");
		assert_null(json_string_value(json_object_get(d, "reason")));
	}
	json_decref(app);
	as(&srv, "reviewer_whlyj");
	review(id, "whlyj", "approve", NULL, 200, NULL);
	as(&srv, "reviewer_lhsrj");
	review(id, "lhsrj", "approve", NULL, 200, NULL);
	assert_string_equal(status_of(id, st, sizeof(st)), "approved");
}

/* --------------------------------------------------------------- inspection */

static json_t *answers_for(const json_t *section, const char *result_of_first)
{
	json_t *items = json_array(), *it;
	size_t i;

	json_array_foreach (json_object_get(section, "items"), i, it)
		json_array_append_new(
		    items, json_pack("{s:O,s:s}", "id", json_object_get(it, "id"), "result",
				     i == 0 && result_of_first ? result_of_first : "ok"));
	return items;
}

static json_t *section_of(int64_t id, const char *dept)
{
	char path[128];
	struct resp r;
	json_t *s, *found = NULL;
	size_t i;

	snprintf(path, sizeof(path), "/api/v1/applications/%lld/inspection", (long long)id);
	http_req(&srv, "GET", path, NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	json_array_foreach (json_object_get(json_object_get(r.json, "inspection"), "sections"), i,
			    s)
		if (strcmp(json_string_value(json_object_get(s, "department")), dept) == 0)
			found = json_incref(s);
	resp_free(&r);
	assert_non_null(found);
	return found;
}

static void inspect(int64_t id, const char *dept, const char *result, const char *first,
		    const char *findings, const char *deadline, long status, const char *code)
{
	char path[128];
	json_t *sec = section_of(id, dept);

	snprintf(path, sizeof(path), "/api/v1/applications/%lld/inspection/%s", (long long)id,
		 dept);
	post(path,
	     json_pack("{s:s,s:s?,s:s?,s:o}", "result", result, "findings", findings, "deadline",
		       deadline, "items", answers_for(sec, first)),
	     status, code);
	json_decref(sec);
}

static int notified(const char *user, const char *event, int64_t id)
{
	struct resp r;
	json_t *it;
	size_t i;
	int found = 0;

	as(&srv, user);
	http_req(&srv, "GET", "/api/v1/notifications?limit=200", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	json_array_foreach (json_object_get(r.json, "items"), i, it)
		found |= strcmp(json_string_value(json_object_get(it, "event")), event) == 0 &&
			 json_integer_value(json_object_get(it, "application_id")) == id;
	resp_free(&r);
	return found;
}

static void test_joint_inspection_three_departments(void **state)
{
	int64_t id, wjw = user_id("inspector_wjw"), gafj = user_id("inspector_gafj"),
		    xfzd = user_id("inspector_xfzd"), reviewer = user_id("reviewer_wjw");
	char path[128], st[32];
	const char *photo;
	json_t *sec, *items, *app;
	struct resp r;

	(void)state;
	id = accepted(BINGUAN, BINGUAN_ANSWERS);
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/inspection", (long long)id);
	/* the candidates: the active inspectors of each inspected department */
	as(&srv, "inspector_wjw");
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/inspectors", (long long)id);
	http_req(&srv, "GET", path, NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "departments")), 3);
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/inspection", (long long)id);
	/* only an inspector may schedule; every inspected department attends */
	as(&srv, "reviewer_wjw");
	post(path, json_pack("{s:s,s:[I,I,I]}", "at", "2099-06-01", "inspectors", wjw, gafj, xfzd),
	     403, "forbidden");
	as(&srv, "inspector_wjw");
	post(path, json_pack("{s:s,s:[I,I]}", "at", "2099-06-01", "inspectors", wjw, gafj), 400,
	     "inspectors_required");
	post(path,
	     json_pack("{s:s,s:[I,I,I,I]}", "at", "2099-06-01", "inspectors", wjw, gafj, xfzd,
		       reviewer),
	     400, "invalid_inspector");
	post(path, json_pack("{s:s,s:[I,I,I]}", "at", "2000-01-01", "inspectors", wjw, gafj, xfzd),
	     400, "invalid_date");
	post(path, json_pack("{s:s,s:[I,I,I]}", "at", "2099-06-01", "inspectors", wjw, gafj, xfzd),
	     200, NULL);
	assert_string_equal(status_of(id, st, sizeof(st)), "inspection");
	/* the applicant and every attending department's inspectors are told */
	assert_true(notified("applicant", "inspection_scheduled", id));
	assert_true(notified("inspector_gafj", "inspection_scheduled", id));
	assert_true(notified("inspector_xfzd", "inspection_scheduled", id));
	/* one record, a section per department with its permits' checklist */
	as(&srv, "inspector_gafj");
	sec = section_of(id, "gafj");
	assert_true(json_array_size(json_object_get(sec, "items")) >= 1);
	json_decref(sec);
	/* a section for another department is refused; the checklist is
	 * answered in full and consistently */
	inspect(id, "wjw", "pass", NULL, NULL, NULL, 403, "wrong_department");
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/inspection/gafj", (long long)id);
	post(path, json_pack("{s:s,s:[]}", "result", "pass", "items"), 400, "checklist_incomplete");
	inspect(id, "gafj", "pass", "not_ok", NULL, NULL, 400, "inconsistent_result");
	/* photos are materials of the application, by id */
	sec = section_of(id, "gafj");
	items = answers_for(sec, NULL);
	json_object_set_new(json_array_get(items, 0), "photos", json_pack("[s]", "M_nosuch"));
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/inspection/gafj", (long long)id);
	post(path, json_pack("{s:s,s:o}", "result", "pass", "items", items), 400, "unknown_photo");
	json_decref(sec);
	inspect(id, "gafj", "pass", NULL, NULL, NULL, 200, NULL);
	inspect(id, "gafj", "pass", NULL, NULL, NULL, 409, "already_decided");
	/* rectify needs findings and a future deadline, then a later pass */
	as(&srv, "inspector_wjw");
	inspect(id, "wjw", "rectify", "not_ok", NULL, "2099-07-01", 400, "reason_required");
	inspect(id, "wjw", "rectify", "not_ok", "消毒设施不全", NULL, 400, "invalid_date");
	inspect(id, "wjw", "rectify", "not_ok", "消毒设施不全", "2099-07-01", 200, NULL);
	sec = section_of(id, "wjw");
	assert_string_equal(json_string_value(json_object_get(sec, "result")), "rectify");
	assert_string_equal(json_string_value(json_object_get(sec, "rectify_due")), "2099-07-01");
	json_decref(sec);
	assert_string_equal(status_of(id, st, sizeof(st)), "inspection");
	as(&srv, "inspector_wjw");
	app = get_app(id);
	photo = json_string_value(
	    json_object_get(json_array_get(json_object_get(app, "materials"), 0), "material_id"));
	if (photo == NULL)
		photo = json_string_value(json_array_get(json_object_get(app, "materials"), 0));
	assert_non_null(photo);
	sec = section_of(id, "wjw");
	items = answers_for(sec, NULL);
	json_object_set_new(json_array_get(items, 0), "photos", json_pack("[s]", photo));
	json_decref(sec);
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/inspection/wjw", (long long)id);
	post(path, json_pack("{s:s,s:o}", "result", "pass", "items", items), 200, NULL);
	sec = section_of(id, "wjw");
	assert_string_equal(
	    json_string_value(json_array_get(
		json_object_get(json_array_get(json_object_get(sec, "items"), 0), "photos"), 0)),
	    photo);
	assert_string_equal(json_string_value(json_object_get(sec, "result")), "pass");
	json_decref(sec);
	json_decref(app);
	as(&srv, "inspector_xfzd");
	inspect(id, "xfzd", "pass", NULL, NULL, NULL, 200, NULL);
	/* inspections passed, reviews pending: under review again */
	assert_string_equal(status_of(id, st, sizeof(st)), "under_review");
	as(&srv, "reviewer_wjw");
	review(id, "wjw", "approve", NULL, 200, NULL);
	as(&srv, "reviewer_gafj");
	review(id, "gafj", "approve", NULL, 200, NULL);
	as(&srv, "reviewer_xfzd");
	review(id, "xfzd", "approve", NULL, 200, NULL);
	assert_string_equal(status_of(id, st, sizeof(st)), "approved");
	assert_true(audited("application.inspection", id, "ok"));
	assert_true(audited("application.inspection_result", id, "ok"));
}

static void test_failed_inspection_rejects(void **state)
{
	int64_t id, insp = user_id("inspector_scjgj");
	char path[128], st[32];
	json_t *app, *d;

	(void)state;
	id = accepted(HONGBEI, HONGBEI_ANSWERS);
	/* no appointment yet: no result can be recorded */
	as(&srv, "inspector_scjgj");
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/inspection/scjgj", (long long)id);
	post(path, json_pack("{s:s,s:[]}", "result", "pass", "items"), 409, "invalid_state");
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/inspection", (long long)id);
	post(path, json_pack("{s:s,s:[I]}", "at", "2099-06-01", "inspectors", insp), 200, NULL);
	post(path, json_pack("{s:s,s:[I]}", "at", "2099-06-02", "inspectors", insp), 409,
	     "invalid_state");
	inspect(id, "scjgj", "fail", "not_ok", NULL, NULL, 400, "reason_required");
	inspect(id, "scjgj", "fail", "not_ok", "加工区与销售区未分隔", NULL, 200, NULL);
	assert_string_equal(status_of(id, st, sizeof(st)), "rejected");
	app = get_app(id); /* as the clerk (status_of) */
	d = json_array_get(json_object_get(app, "departments"), 0);
	assert_string_equal(json_string_value(json_object_get(d, "review")), "rejected");
	assert_string_equal(json_string_value(json_object_get(d, "inspect")), "fail");
	assert_string_equal(json_string_value(json_object_get(d, "reason")),
			    "加工区与销售区未分隔");
	assert_non_null(json_string_value(json_object_get(d, "legal_basis")));
	json_decref(app);
}

static void test_inspection_not_needed(void **state)
{
	int64_t id, insp = user_id("inspector_whlyj");
	char path[128];

	(void)state;
	id = accepted(SHUDIAN, SHUDIAN_ANSWERS);
	as(&srv, "inspector_whlyj");
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/inspection", (long long)id);
	post(path, json_pack("{s:s,s:[I]}", "at", "2099-06-01", "inspectors", insp), 409,
	     "inspection_not_needed");
}

/* ---------------------------------------------------------------- deadlines */

static void test_deadlines(void **state)
{
	struct resp r;
	int64_t id;
	json_t *it;
	size_t i;
	int found = 0;

	(void)state;
	id = accepted(SHUDIAN, SHUDIAN_ANSWERS);
	as(&srv, "reviewer_whlyj");
	http_req(&srv, "GET", "/api/v1/deadlines?due=all&limit=200", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	json_array_foreach (json_object_get(r.json, "items"), i, it) {
		assert_string_equal(json_string_value(json_object_get(it, "department")), "whlyj");
		if (json_integer_value(json_object_get(json_object_get(it, "application"), "id")) ==
		    id) {
			found = 1;
			assert_string_equal(json_string_value(json_object_get(it, "kind")),
					    "review");
			assert_non_null(json_string_value(json_object_get(it, "deadline_state")));
		}
	}
	assert_true(found);
	resp_free(&r);
	/* nothing is overdue on the day of acceptance */
	http_req(&srv, "GET", "/api/v1/deadlines?due=overdue", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	json_array_foreach (json_object_get(r.json, "items"), i, it)
		assert_true(json_integer_value(
				json_object_get(json_object_get(it, "application"), "id")) != id);
	resp_free(&r);
	/* staff see their own department only */
	http_req(&srv, "GET", "/api/v1/deadlines?department=lhsrj", NULL, NULL, 0, NULL, &r);
	assert_error(&r, 403, "wrong_department", "department");
	resp_free(&r);
	http_req(&srv, "GET", "/api/v1/deadlines?due=soon", NULL, NULL, 0, NULL, &r);
	assert_error(&r, 400, "invalid_due", "due");
	resp_free(&r);
	as(&srv, "supervisor_whlyj");
	http_req(&srv, "GET", "/api/v1/deadlines?department=whlyj&due=all", NULL, NULL, 0, NULL,
		 &r);
	assert_int_equal(r.status, 200);
	assert_true(json_integer_value(json_object_get(r.json, "total")) >= 1);
	resp_free(&r);
	/* the window's list: the acceptance tasks */
	id = submitted(SHUDIAN, SHUDIAN_ANSWERS);
	as(&srv, "clerk");
	http_req(&srv, "GET", "/api/v1/deadlines?limit=200", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	found = 0;
	json_array_foreach (json_object_get(r.json, "items"), i, it)
		if (json_integer_value(json_object_get(json_object_get(it, "application"), "id")) ==
		    id)
			found = strcmp(json_string_value(json_object_get(it, "kind")),
				       "acceptance") == 0;
	assert_true(found);
	resp_free(&r);
	/* applicants have no dashboard */
	as(&srv, "applicant");
	http_req(&srv, "GET", "/api/v1/deadlines", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 403);
	resp_free(&r);
}

/* The server on a given day (YIYE_TODAY), NULL: the real one. */
static void on_day(const char *day)
{
	server_stop(&srv, 1);
	if (day)
		setenv("YIYE_TODAY", day, 1);
	else
		unsetenv("YIYE_TODAY");
	assert_int_equal(server_restart(&srv, NULL), 0);
}

/* Is application id in the caller's deadline list `due`; its task's state. */
static int listed(int64_t id, const char *due, char *state, size_t size, char *date)
{
	char path[96];
	struct resp r;
	json_t *it;
	size_t i;
	int found = 0;

	snprintf(path, sizeof(path), "/api/v1/deadlines?due=%s&limit=200", due);
	http_req(&srv, "GET", path, NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	json_array_foreach (json_object_get(r.json, "items"), i, it) {
		if (json_integer_value(json_object_get(json_object_get(it, "application"), "id")) !=
		    id)
			continue;
		found = 1;
		snprintf(state, size, "%s",
			 json_string_value(json_object_get(it, "deadline_state")));
		if (date)
			snprintf(date, 16, "%s",
				 json_string_value(json_object_get(it, "due_date")));
	}
	resp_free(&r);
	return found;
}

/* A review task accepted on a Monday: on time that day, near due on its due
 * day, overdue after it. */
static void test_deadlines_near_and_overdue(void **state)
{
	char st[32], due[16];
	int64_t id;

	(void)state;
	on_day("2026-03-02");
	id = accepted(SHUDIAN, SHUDIAN_ANSWERS);
	as(&srv, "reviewer_whlyj");
	assert_true(listed(id, "all", st, sizeof(st), due));
	assert_string_equal(st, "on_time");
	assert_false(listed(id, "overdue", st, sizeof(st), NULL));
	on_day(due);
	as(&srv, "reviewer_whlyj");
	assert_true(listed(id, "near_due", st, sizeof(st), NULL));
	assert_string_equal(st, "near_due");
	assert_false(listed(id, "overdue", st, sizeof(st), NULL));
	on_day("2026-04-01");
	as(&srv, "reviewer_whlyj");
	assert_true(listed(id, "overdue", st, sizeof(st), NULL));
	assert_string_equal(st, "overdue");
	assert_false(listed(id, "near_due", st, sizeof(st), NULL));
	/* the other department's staff do not see it in their list */
	as(&srv, "supervisor_scjgj");
	assert_false(listed(id, "overdue", st, sizeof(st), NULL));
	/* a decision closes the task: off the list */
	as(&srv, "reviewer_whlyj");
	review(id, "whlyj", "approve", NULL, 200, NULL);
	assert_false(listed(id, "overdue", st, sizeof(st), NULL));
	on_day(NULL);
}

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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_review_refusals),
	    cmocka_unit_test(test_review_records_basis_and_view),
	    cmocka_unit_test(test_department_view),
	    cmocka_unit_test(test_two_reviewers_at_once),
	    cmocka_unit_test(test_send_back_new_round),
	    cmocka_unit_test(test_joint_inspection_three_departments),
	    cmocka_unit_test(test_failed_inspection_rejects),
	    cmocka_unit_test(test_inspection_not_needed),
	    cmocka_unit_test(test_deadlines),
	    cmocka_unit_test(test_deadlines_near_and_overdue),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
