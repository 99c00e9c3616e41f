/*
 * test_license_life.c — the license's life (issue 12, points 7-9) on both
 * backends: every lifecycle kind's happy path and refusals (another
 * holder's license 404, wrong state 409, outside the extension window 409,
 * missing reason 400, unknown license 404, an address change needs an
 * inspection, a permit added is reviewed by its department only), a
 * cancellation ends the license, the registration link (PUT and import:
 * bad lines by number, re-import changes nothing, notifications and
 * flags), and the daily expiry job (expired, 30/7-day notices exactly once
 * even when run twice).
 *
 * Licenses are seeded as rows (seed_license) where the test is about what
 * happens to an existing license; the issuance of the next version goes
 * through POST /api/v1/applications/{id}/license (lic-core) in
 * test_versions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/date.h"
#include "core/license.h"
#include "harness_app.h"
#include "store/store.h"

static struct server srv;
static int64_t applicant_id, applicant2_id;
static int today;
static int serial_no = 900;

#define APPLICANT2_PASSWORD "Second-Holder-Pass-7"

static void as(const char *user)
{
	srv.cookies[0] = srv.csrf[0] = srv.bearer[0] = '\0';
	if (strcmp(user, "applicant2") == 0)
		assert_int_equal(login(&srv, user, APPLICANT2_PASSWORD), 0);
	else
		assert_int_equal(login(&srv, user, demo_password(&srv, user)), 0);
}

static int64_t me(void)
{
	struct resp r;
	int64_t id;

	http_req(&srv, "GET", "/api/v1/me", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	id = json_integer_value(json_object_get(r.json, "id"));
	resp_free(&r);
	return id;
}

static void day_text(int day, char out[16])
{
	date_format(day, out, 16);
}

/* One statement with parameters on the server's database, from a
 * connection of its own. */
static void sql(const char *stmt, const struct store_param *p, int n)
{
	struct store *st;
	struct store_conn *c;
	struct yerr e = {0};
	char url[700];

	if (srv.db_url[0])
		snprintf(url, sizeof(url), "%s", srv.db_url);
	else
		snprintf(url, sizeof(url), "%s/yiye.db", srv.dir);
	assert_int_equal(store_open(&st, url, 1, NULL, &e), 0);
	assert_int_equal(store_acquire(st, &c, &e), 0);
	if (store_exec(c, stmt, p, n, NULL, &e) != 0)
		fail_msg("%s: %s", stmt, e.message);
	store_release(c);
	store_close(st);
}

static long count(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static long count(const char *fmt, ...)
{
	char q[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(q, sizeof(q), fmt, ap);
	va_end(ap);
	return server_sql_long(&srv, q);
}

/* A draft 便利店 application of the demo applicant (or applicant2): the
 * application a seeded license says it was issued on. */
static int64_t draft(const char *user)
{
	struct resp r;
	int64_t id;

	as(user);
	http_json(
	    &srv, "POST", "/api/v1/applications",
	    json_pack("{s:s,s:o}", "industry", "bianlidian", "answers", app_bianlidian_answers()),
	    &r);
	assert_int_equal(r.status, 201);
	id = json_integer_value(json_object_get(json_object_get(r.json, "application"), "id"));
	resp_free(&r);
	return id;
}

struct seed {
	const char *holder; /* applicant | applicant2 */
	const char *status;
	int from, until;     /* day numbers; until < 0: no term */
	const char *permits; /* JSON array of the document's permits */
	char uscc[19];
	char number[40];
};

#define FOOD_SALE                                                                              \
	"[{\"code\":\"P_food_sale\",\"name\":\"食品经营许可\",\"department\":\"scjgj\"," \
	"\"department_name\":\"区市场监管局\",\"basis\":\"《食品安全法》第三十五条\"}]"
#define FOOD_AND_ALCOHOL                                                                               \
	"[{\"code\":\"P_food_sale\",\"name\":\"食品经营许可\",\"department\":\"scjgj\","         \
	"\"department_name\":\"区市场监管局\",\"basis\":\"《食品安全法》\"},"             \
	"{\"code\":\"P_alcohol_retail\",\"name\":\"酒类商品零售许可\",\"department\":\"swj\"," \
	"\"department_name\":\"区商务委\",\"basis\":\"酒类商品零售\"}]"

/* seed_license writes version 1 of a license as issuance would (the row
 * and its document), on a draft application of s->holder. */
static void seed_license(struct seed *s)
{
	int64_t app = draft(s->holder);
	int64_t holder = strcmp(s->holder, "applicant2") == 0 ? applicant2_id : applicant_id;
	char from[16], until[16], doc[4096];
	long serial = serial_no++;

	test_uscc((unsigned)(4000 + serial), s->uscc);
	snprintf(s->number, sizeof(s->number), "XK-310104-2026-%06ld", serial);
	day_text(s->from, from);
	if (s->until >= 0)
		day_text(s->until, until);
	snprintf(doc, sizeof(doc),
		 "{\"type\":\"行业综合许可证\",\"number\":\"%s\",\"eid\":\"e%ld\",\"version\":1,"
		 "\"holder\":{\"name\":\"测试便利店%ld\",\"uscc\":\"%s\",\"legal_rep\":\"张三\"},"
		 "\"address\":\"徐汇区漕溪北路1号\",\"industry\":{\"code\":\"bianlidian\",\"name\":"
		 "\"便利店\"},\"permits\":%s,\"valid_from\":\"%s\",\"valid_until\":%s%s%s,"
		 "\"issuer\":{\"department\":\"zwfwb\",\"name\":\"区政务服务办\"},\"issued_on\":"
		 "\"%s\",\"district\":\"310104\",\"kid\":\"k1\"}",
		 s->number, serial, serial, s->uscc, s->permits, from, s->until >= 0 ? "\"" : "",
		 s->until >= 0 ? until : "null", s->until >= 0 ? "\"" : "", from);
	char name[64];

	snprintf(name, sizeof(name), "测试便利店%ld", serial);
	sql("INSERT INTO licenses (district, number, version, is_current, eid, status, "
	    "application_id, holder_user_id, holder_name, holder_uscc, legal_rep, address, "
	    "industry, industry_name, year, serial, valid_from, valid_until, issued_on, doc, sig, "
	    "kid, issued_at, updated_at) VALUES ('310104', ?, 1, 1, ?, ?, ?, ?, ?, ?, '张三', "
	    "'徐汇区漕溪北路1号', 'bianlidian', '便利店', 2026, ?, ?, ?, ?, ?, 'sig', 'k1', 1, 1)",
	    (struct store_param[]){
		SP_TEXT(s->number), SP_TEXT(s->number), SP_TEXT(s->status), SP_INT(app),
		SP_INT(holder), SP_TEXT(name), SP_TEXT(s->uscc), SP_INT(serial), SP_TEXT(from),
		s->until >= 0 ? SP_TEXT(until) : SP_NULL, SP_TEXT(from), SP_TEXT(doc)},
	    12);
}

static void seed_valid(struct seed *s, const char *permits)
{
	memset(s, 0, sizeof(*s));
	s->holder = "applicant";
	s->status = "valid";
	s->from = today - 100;
	s->until = today + 1000;
	s->permits = permits;
	seed_license(s);
}

/* POST /api/v1/applications with a lifecycle body (stolen); answers the
 * application id on 201, else asserts the error. */
static int64_t apply_life(json_t *body, long status, const char *code, const char *field)
{
	struct resp r;
	int64_t id = 0;

	http_json(&srv, "POST", "/api/v1/applications", body, &r);
	if (r.status != status)
		fprintf(stderr, "apply: %ld %s\n", r.status, r.body ? r.body : "");
	if (status == 201) {
		assert_int_equal(r.status, 201);
		id = json_integer_value(
		    json_object_get(json_object_get(r.json, "application"), "id"));
	} else {
		assert_error(&r, status, code, field);
	}
	resp_free(&r);
	return id;
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

static void post(int64_t id, const char *action, json_t *body, long status, const char *code)
{
	char path[160];
	struct resp r;

	snprintf(path, sizeof(path), "/api/v1/applications/%lld/%s", (long long)id, action);
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

/* submitted by the holder, accepted by the window. */
static void submit_accept(int64_t id)
{
	as("applicant");
	post(id, "submit", NULL, 200, NULL);
	as("clerk");
	post(id, "accept", NULL, 200, NULL);
}

static const char *app_status(int64_t id, char buf[32])
{
	json_t *app;

	as("clerk");
	app = get_app(id);
	snprintf(buf, 32, "%s", json_string_value(json_object_get(app, "status")));
	json_decref(app);
	return buf;
}

/* The departments that review application id (its departments list). */
static void reviewers(int64_t id, char out[128])
{
	json_t *app, *d;
	size_t i;

	as("applicant");
	app = get_app(id);
	out[0] = '\0';
	json_array_foreach (json_object_get(app, "departments"), i, d) {
		strcat(out, json_string_value(json_object_get(d, "code")));
		if (strcmp(json_string_value(json_object_get(d, "inspect")), "none") != 0)
			strcat(out, "+inspect");
		strcat(out, ";");
	}
	json_decref(app);
}

/* ------------------------------------------------------------------ refusals */

static void test_refusals(void **state)
{
	struct seed s, other, revoked, ext;

	(void)state;
	seed_valid(&s, FOOD_SALE);
	memset(&other, 0, sizeof(other));
	other = (struct seed){.holder = "applicant2",
			      .status = "valid",
			      .from = today - 10,
			      .until = today + 1000,
			      .permits = FOOD_SALE};
	seed_license(&other);
	revoked = (struct seed){.holder = "applicant",
				.status = "revoked",
				.from = today - 10,
				.until = today + 1000,
				.permits = FOOD_SALE};
	seed_license(&revoked);

	as("applicant");
	/* unknown license, another holder's license: 404 alike */
	apply_life(json_pack("{s:s,s:s,s:s}", "kind", "reissue", "license", "XK-310104-2026-999999",
			     "reason", "遗失"),
		   404, "license_not_found", "*");
	apply_life(json_pack("{s:s,s:s,s:s}", "kind", "reissue", "license", other.number, "reason",
			     "遗失"),
		   404, "license_not_found", "*");
	/* unknown kind, no license, missing reason of a reissue */
	apply_life(json_pack("{s:s,s:s}", "kind", "renew", "license", s.number), 400,
		   "invalid_kind", "kind");
	apply_life(json_pack("{s:s}", "kind", "cancel"), 400, "required", "license");
	apply_life(json_pack("{s:s,s:s}", "kind", "reissue", "license", s.number), 400,
		   "reason_required", "reason");
	apply_life(json_pack("{s:s,s:s,s:s,s:s}", "kind", "reissue", "license", s.number, "reason",
			     "遗失", "cause", "stolen"),
		   400, "invalid_cause", "cause");
	/* a change that changes nothing; a permit not held; an industry */
	apply_life(json_pack("{s:s,s:s,s:{}}", "kind", "change", "license", s.number, "change"),
		   400, "change_required", "change");
	apply_life(json_pack("{s:s,s:s,s:{s:[s]}}", "kind", "change", "license", s.number, "change",
			     "permits_remove", "P_alcohol_retail"),
		   400, "invalid_change", "change.permits_remove[0]");
	apply_life(json_pack("{s:s,s:s,s:{s:[s]}}", "kind", "change", "license", s.number, "change",
			     "permits_remove", "P_food_sale"),
		   400, "invalid_change", "change.permits_remove");
	apply_life(json_pack("{s:s,s:s,s:{s:[s]}}", "kind", "change", "license", s.number, "change",
			     "permits_add", "P_nonexistent"),
		   400, "invalid_change", "change.permits_add[0]");
	apply_life(json_pack("{s:s,s:s,s:s}", "kind", "cancel", "license", s.number, "industry",
			     "bianlidian"),
		   400, "unknown_field", "industry");
	/* wrong state: no change of a revoked license; the status is named */
	{
		struct resp r;

		http_json(&srv, "POST", "/api/v1/applications",
			  json_pack("{s:s,s:s,s:{s:s}}", "kind", "change", "license",
				    revoked.number, "change", "name", "新名称"),
			  &r);
		assert_error(&r, 409, "license_state", "license");
		assert_string_equal(
		    json_string_value(json_object_get(json_object_get(r.json, "error"), "status")),
		    "revoked");
		resp_free(&r);
	}
	/* outside the extension window: the dates are in the message */
	ext = (struct seed){.holder = "applicant",
			    .status = "valid",
			    .from = today - 10,
			    .until = today + 400,
			    .permits = FOOD_SALE};
	seed_license(&ext);
	{
		struct resp r;
		char until[16];

		http_json(&srv, "POST", "/api/v1/applications",
			  json_pack("{s:s,s:s}", "kind", "extend", "license", ext.number), &r);
		assert_error(&r, 409, "outside_extension_window", "*");
		day_text(ext.until, until);
		assert_non_null(strstr(
		    json_string_value(json_object_get(json_object_get(r.json, "error"), "message")),
		    until));
		resp_free(&r);
	}
	/* a role that may not apply */
	as("reviewer_scjgj");
	apply_life(json_pack("{s:s,s:s}", "kind", "cancel", "license", s.number), 403, "forbidden",
		   "*");
	/* one open application per license */
	as("applicant");
	apply_life(json_pack("{s:s,s:s}", "kind", "cancel", "license", s.number), 201, NULL, NULL);
	apply_life(
	    json_pack("{s:s,s:s,s:s}", "kind", "reissue", "license", s.number, "reason", "损毁"),
	    409, "application_open", "license");
}

/* ------------------------------------------------------------------ kinds */

static void test_cancel(void **state)
{
	struct seed s;
	int64_t id;
	char st[32];
	json_t *app;

	(void)state;
	seed_valid(&s, FOOD_AND_ALCOHOL);
	/* the window clerk on the holder's behalf */
	as("clerk");
	id = apply_life(
	    json_pack("{s:s,s:s,s:s}", "kind", "cancel", "license", s.number, "reason", "不再经营"),
	    201, NULL, NULL);
	app = get_app(id);
	assert_string_equal(json_string_value(json_object_get(app, "kind")), "cancel");
	assert_string_equal(json_string_value(json_object_get(app, "license")), s.number);
	assert_int_equal(json_array_size(json_object_get(app, "departments")), 0);
	assert_int_equal(json_integer_value(json_object_get(app, "applicant_id")), applicant_id);
	json_decref(app);
	/* no department review beyond acceptance: approved at once, license cancelled */
	submit_accept(id);
	assert_string_equal(app_status(id, st), "approved");
	assert_int_equal(count("SELECT count(*) FROM licenses WHERE number = '%s' AND status = "
			       "'cancelled' AND is_current = 1",
			       s.number),
			 1);
	assert_int_equal(count("SELECT count(*) FROM license_events WHERE number = '%s' AND "
			       "kind = 'cancel'",
			       s.number),
			 1);
	/* a cancelled license takes no further application */
	as("applicant");
	apply_life(
	    json_pack("{s:s,s:s,s:s}", "kind", "reissue", "license", s.number, "reason", "遗失"),
	    409, "license_state", "license");
}

static void test_change_reviewers(void **state)
{
	struct seed s;
	char who[128], st[32];
	int64_t id;

	(void)state;
	/* adding a permit: only its department reviews; its materials are required */
	seed_valid(&s, FOOD_SALE);
	as("applicant");
	id = apply_life(json_pack("{s:s,s:s,s:{s:[s]}}", "kind", "change", "license", s.number,
				  "change", "permits_add", "P_alcohol_retail"),
			201, NULL, NULL);
	reviewers(id, who);
	assert_string_equal(who, "swj;");
	post(id, "commitments", json_pack("{s:[]}", "commitments"), 409, "invalid_kind");
	{
		json_t *app = get_app(id), *mats;

		mats = json_object_get(json_object_get(app, "change"), "materials");
		assert_true(json_array_size(mats) > 0);
		/* submitting before they are uploaded is refused */
		as("applicant");
		post(id, "submit", NULL, 400, "incomplete_application");
		json_t *list = json_array(), *m;
		size_t i;

		json_array_foreach (mats, i, m)
			json_array_append_new(list, json_pack("{s:O}", "id", m));
		app_insert_materials(&srv, id, list);
		json_decref(list);
		json_decref(app);
	}
	submit_accept(id);
	assert_string_equal(app_status(id, st), "under_review");
	as("reviewer_scjgj"); /* the food department is not involved */
	post(id, "reviews/scjgj", json_pack("{s:s}", "decision", "approve"), 404,
	     "application_not_found");
	as("reviewer_swj");
	post(id, "reviews/swj", json_pack("{s:s}", "decision", "approve"), 200, NULL);
	assert_string_equal(app_status(id, st), "approved");

	/* an address change: a new on-site inspection by the inspected permit's department */
	seed_valid(&s, FOOD_AND_ALCOHOL);
	as("applicant");
	id = apply_life(json_pack("{s:s,s:s,s:{s:s}}", "kind", "change", "license", s.number,
				  "change", "address", "徐汇区天钥桥路2号"),
			201, NULL, NULL);
	reviewers(id, who);
	assert_string_equal(who, "scjgj+inspect;swj;");
	{
		json_t *app = get_app(id);

		assert_true(
		    json_is_true(json_object_get(json_object_get(app, "change"), "inspection")));
		json_decref(app);
	}
	submit_accept(id);
	as("reviewer_scjgj");
	post(id, "reviews/scjgj", json_pack("{s:s}", "decision", "approve"), 200, NULL);
	as("reviewer_swj");
	post(id, "reviews/swj", json_pack("{s:s}", "decision", "approve"), 200, NULL);
	/* not approved until the inspection passed */
	assert_string_equal(app_status(id, st), "under_review");

	/* a name change: nobody reviews, every department is told */
	seed_valid(&s, FOOD_AND_ALCOHOL);
	as("applicant");
	id = apply_life(json_pack("{s:s,s:s,s:{s:s}}", "kind", "change", "license", s.number,
				  "change", "name", "新名称便利店"),
			201, NULL, NULL);
	reviewers(id, who);
	assert_string_equal(who, "");
	{
		json_t *app = get_app(id);

		assert_int_equal(
		    json_array_size(json_object_get(json_object_get(app, "change"), "informed")),
		    2);
		json_decref(app);
	}
	submit_accept(id);
	assert_string_equal(app_status(id, st), "approved");

	/* removing a permit: its department is told, nobody reviews */
	seed_valid(&s, FOOD_AND_ALCOHOL);
	as("applicant");
	id = apply_life(json_pack("{s:s,s:s,s:{s:[s]}}", "kind", "change", "license", s.number,
				  "change", "permits_remove", "P_alcohol_retail"),
			201, NULL, NULL);
	reviewers(id, who);
	assert_string_equal(who, "");
}

static void test_extend_and_reissue(void **state)
{
	struct seed s;
	char who[128], st[32];
	int64_t id;

	(void)state;
	/* inside the window: every department reviews, no inspection */
	memset(&s, 0, sizeof(s));
	s = (struct seed){.holder = "applicant",
			  .status = "valid",
			  .from = 0,
			  .until = today + 10,
			  .permits = FOOD_AND_ALCOHOL};
	{
		/* a two-year term ending in 10 days */
		struct license_validity_rule two = {.kind = LIC_VALIDITY_YEARS, .years = 2};

		s.from = s.until - 800;
		while (license_valid_until(s.from, &two, NULL, 0) < s.until)
			s.from++;
	}
	seed_license(&s);
	as("applicant");
	id = apply_life(json_pack("{s:s,s:s}", "kind", "extend", "license", s.number), 201, NULL,
			NULL);
	reviewers(id, who);
	assert_string_equal(who, "scjgj;swj;");
	submit_accept(id);
	as("reviewer_scjgj");
	post(id, "reviews/scjgj", json_pack("{s:s}", "decision", "approve"), 200, NULL);
	as("reviewer_swj");
	post(id, "reviews/swj", json_pack("{s:s}", "decision", "approve"), 200, NULL);
	assert_string_equal(app_status(id, st), "approved");

	/* reissue: reason required (above), no review */
	seed_valid(&s, FOOD_SALE);
	as("applicant");
	id = apply_life(json_pack("{s:s,s:s,s:s,s:s}", "kind", "reissue", "license", s.number,
				  "reason", "原件遗失", "cause", "lost"),
			201, NULL, NULL);
	submit_accept(id);
	assert_string_equal(app_status(id, st), "approved");
	/* the license is untouched until the issuer issues the new version */
	assert_int_equal(count("SELECT count(*) FROM licenses WHERE number = '%s' AND status = "
			       "'valid'",
			       s.number),
			 1);
}

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
	struct seed s;
	char path[96], flags[64], name[64];
	struct resp r;
	json_t *ent;
	long before;

	(void)state;
	seed_valid(&s, FOOD_SALE);
	snprintf(name, sizeof(name), "测试便利店%d", serial_no - 1);
	snprintf(path, sizeof(path), "/api/v1/entities/%s", s.uscc);
	/* permission: the applicant and a reviewer may not */
	as("applicant");
	http_json(&srv, "PUT", path, json_pack("{s:s}", "name", name), &r);
	assert_error(&r, 403, "forbidden", "*");
	resp_free(&r);
	as("clerk");
	http_json(&srv, "PUT", "/api/v1/entities/91310104MA1FL0000X",
		  json_pack("{s:s}", "name", "x"), &r);
	assert_error(&r, 400, "invalid_uscc", "uscc");
	resp_free(&r);
	http_json(&srv, "PUT", path, json_pack("{s:s,s:s}", "name", name, "status", "gone"), &r);
	assert_error(&r, 400, "invalid_status", "status");
	resp_free(&r);
	/* the same data as the license: nobody told, no flag */
	before = count("SELECT count(*) FROM notifications WHERE event = '%s'", "entity_changed");
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
	assert_true(count("SELECT count(*) FROM notifications WHERE event = '%s'",
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
	struct seed a, b;
	char file[400], line[1024], *out = NULL;
	FILE *f;
	long told;

	(void)state;
	seed_valid(&a, FOOD_SALE);
	seed_valid(&b, FOOD_SALE);
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
	snprintf(line, sizeof(line), "测试便利店%d", serial_no - 1);
	fprintf(f, "{\"uscc\":\"%s\",\"name\":\"%s\",\"status\":\"deregistered\"}\n", b.uscc, line);
	test_uscc(9999, line);
	fprintf(f, "{\"uscc\":\"%s\",\"name\":\"新主体\",\"legal_rep\":\"王五\"}\n", line);
	fprintf(f, "{\"uscc\":\"%s\"}\n", line);
	fclose(f);

	told = count("SELECT count(*) FROM notifications WHERE event LIKE '%s'", "entity_%");
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
	assert_true(count("SELECT count(*) FROM notifications WHERE event LIKE '%s'", "entity_%") >
		    told);
	/* each changed entity audited, in the batch's transaction */
	assert_int_equal(count("SELECT count(*) FROM audit_log WHERE action = 'entity.import' AND "
			       "object = 'entity:%s'",
			       a.uscc),
			 1);
	as("issuer");
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
	told = count("SELECT count(*) FROM notifications WHERE event LIKE '%s'", "entity_%");
	out = NULL;
	assert_int_equal(
	    server_cli(&srv, &out, (const char *const[]){"entities", "import", file, NULL}), 1);
	assert_non_null(strstr(out, "无变化 3"));
	free(out);
	assert_int_equal(
	    count("SELECT count(*) FROM notifications WHERE event LIKE '%s'", "entity_%"), told);
}

/* ------------------------------------------------------------------ expiry */

static void test_expiry(void **state)
{
	struct seed gone, month, week, none;
	char day[16], *out = NULL;
	int d = today + 3000; /* a day of our own, after every other license's term */

	(void)state;
	gone = (struct seed){.holder = "applicant",
			     .status = "valid",
			     .from = d - 800,
			     .until = d - 1,
			     .permits = FOOD_SALE};
	month = (struct seed){.holder = "applicant",
			      .status = "valid",
			      .from = d - 800,
			      .until = d + 20,
			      .permits = FOOD_SALE};
	week = (struct seed){.holder = "applicant",
			     .status = "valid",
			     .from = d - 800,
			     .until = d + 5,
			     .permits = FOOD_SALE};
	none = (struct seed){.holder = "applicant",
			     .status = "valid",
			     .from = d - 800,
			     .until = -1,
			     .permits = FOOD_SALE};
	seed_license(&gone);
	seed_license(&month);
	seed_license(&week);
	seed_license(&none);
	day_text(d, day);
	for (int run = 0; run < 2; run++) {
		assert_int_equal(
		    server_cli(&srv, &out,
			       (const char *const[]){"licenses", "expire", "--today", day, NULL}),
		    0);
		free(out);
		out = NULL;
	}
	assert_int_equal(count("SELECT count(*) FROM licenses WHERE number = '%s' AND status = "
			       "'expired'",
			       gone.number),
			 1);
	assert_int_equal(count("SELECT count(*) FROM license_events WHERE number = '%s' AND kind = "
			       "'expire'",
			       gone.number),
			 1);
	assert_int_equal(count("SELECT count(*) FROM licenses WHERE number = '%s' AND status = "
			       "'valid'",
			       none.number),
			 1);
	/* exactly once each, though the job ran twice */
	assert_int_equal(count("SELECT count(*) FROM notifications WHERE event = 'expiry_30' AND "
			       "link = '/licenses/%s'",
			       month.number),
			 1);
	assert_int_equal(count("SELECT count(*) FROM notifications WHERE event = 'expiry_7' AND "
			       "link = '/licenses/%s'",
			       week.number),
			 1);
	assert_int_equal(count("SELECT count(*) FROM notifications WHERE event LIKE 'expiry%%' AND "
			       "link = '/licenses/%s'",
			       none.number),
			 0);
	/* two weeks later the month's license is within a week: its 7-day notice, once */
	day_text(d + 14, day);
	for (int run = 0; run < 2; run++) {
		assert_int_equal(
		    server_cli(&srv, &out,
			       (const char *const[]){"licenses", "expire", "--today", day, NULL}),
		    0);
		free(out);
		out = NULL;
	}
	assert_int_equal(count("SELECT count(*) FROM notifications WHERE event = 'expiry_7' AND "
			       "link = '/licenses/%s'",
			       month.number),
			 1);
	assert_int_equal(count("SELECT count(*) FROM notifications WHERE event = 'expiry_30' AND "
			       "link = '/licenses/%s'",
			       month.number),
			 1);
	/* the week's license expired meanwhile */
	assert_int_equal(count("SELECT count(*) FROM licenses WHERE number = '%s' AND status = "
			       "'expired'",
			       week.number),
			 1);
	assert_true(
	    count("SELECT count(*) FROM audit_log WHERE action = '%s'", "license.expiry_job") >= 4);
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

/* ------------------------------------------------- versions through issuance */

/* 书店 without food and with a small sign: 出版物经营许可 (区文化旅游局) and
 * 户外招牌设置 (区绿化市容局), neither inspected; no term (长期有效). */
#define SHUDIAN_ANSWERS "{\"q_food\":false,\"q_area\":120,\"q_sign\":true,\"q_sign_area\":3}"

/* A 书店 license issued to the demo applicant on the ordinary path; its
 * number into number, the holder's credit code into uscc. */
static void issue(int64_t id, char number[40], int version);

static void issued_shudian(const char *name, char number[40], char uscc[19])
{
	json_t *app, *form = json_object(), *f;
	struct resp r;
	int64_t id;
	size_t i;

	as("applicant");
	http_json(&srv, "POST", "/api/v1/applications",
		  json_pack("{s:s,s:o}", "industry", "shudian", "answers",
			    json_loads(SHUDIAN_ANSWERS, 0, NULL)),
		  &r);
	assert_int_equal(r.status, 201);
	id = json_integer_value(json_object_get(json_object_get(r.json, "application"), "id"));
	resp_free(&r);
	app = get_app(id);
	json_array_foreach (json_object_get(json_object_get(app, "notice"), "fields"), i, f)
		json_object_set_new(form, json_string_value(json_object_get(f, "id")),
				    app_field_value(f, (unsigned)(6000 + serial_no)));
	json_object_set_new(form, "F_ent_name", json_string(name));
	snprintf(uscc, 19, "%s", json_string_value(json_object_get(form, "F_uscc")));
	serial_no++;
	{
		char path[96];

		snprintf(path, sizeof(path), "/api/v1/applications/%lld", (long long)id);
		http_json(&srv, "PATCH", path,
			  json_pack("{s:o,s:O}", "form", form, "version",
				    json_object_get(app, "version")),
			  &r);
		assert_int_equal(r.status, 200);
		resp_free(&r);
	}
	app_insert_materials(&srv, id,
			     json_object_get(json_object_get(app, "notice"), "materials"));
	json_decref(app);
	submit_accept(id);
	as("reviewer_whlyj");
	post(id, "reviews/whlyj", json_pack("{s:s}", "decision", "approve"), 200, NULL);
	as("reviewer_lhsrj");
	post(id, "reviews/lhsrj", json_pack("{s:s}", "decision", "approve"), 200, NULL);
	issue(id, number, 1);
}

/* The issuer issues application id: 201 with version `version`. */
static void issue(int64_t id, char number[40], int version)
{
	char path[96];
	struct resp r;
	json_t *lic;

	as("issuer");
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/license", (long long)id);
	http_req(&srv, "POST", path, NULL, NULL, 0, NULL, &r);
	if (r.status != 201)
		fprintf(stderr, "issue: %ld %s\n", r.status, r.body ? r.body : "");
	assert_int_equal(r.status, 201);
	lic = json_object_get(r.json, "license");
	assert_int_equal(json_integer_value(json_object_get(lic, "version")), version);
	snprintf(number, 40, "%s", json_string_value(json_object_get(lic, "number")));
	resp_free(&r);
}

/* GET /api/v1/licenses/{number}/verify[?version=N] (public). */
static json_t *verify(const char *number, int version)
{
	char path[128];
	struct resp r;
	json_t *v;

	srv.cookies[0] = srv.csrf[0] = srv.bearer[0] = '\0';
	if (version)
		snprintf(path, sizeof(path), "/api/v1/licenses/%s/verify?version=%d", number,
			 version);
	else
		snprintf(path, sizeof(path), "/api/v1/licenses/%s/verify", number);
	http_req(&srv, "GET", path, NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	v = json_incref(r.json);
	resp_free(&r);
	return v;
}

/* GET /api/v1/licenses/{number} as the holder. */
static json_t *license(const char *number)
{
	char path[128];
	struct resp r;
	json_t *l;

	as("applicant");
	snprintf(path, sizeof(path), "/api/v1/licenses/%s", number);
	http_req(&srv, "GET", path, NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	l = json_incref(json_object_get(r.json, "license"));
	resp_free(&r);
	return l;
}

static const char *jstr(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

static void test_versions(void **state)
{
	char number[40], again[40], uscc[19], st[32], path[96];
	json_t *v, *l;
	struct resp r;
	int64_t id;

	(void)state;
	issued_shudian("版本测试书店", number, uscc);

	/* reissue: no review, the issuer issues version 2 with the same content */
	as("applicant");
	id = apply_life(json_pack("{s:s,s:s,s:s,s:s}", "kind", "reissue", "license", number,
				  "reason", "原件损毁", "cause", "damaged"),
			201, NULL, NULL);
	submit_accept(id);
	assert_string_equal(app_status(id, st), "approved");
	issue(id, again, 2);
	assert_string_equal(again, number);
	assert_string_equal(app_status(id, st), "licensed");
	v = verify(number, 1);
	assert_string_equal(jstr(v, "status"), "superseded");
	assert_int_equal(json_integer_value(json_object_get(v, "superseded_by")), 2);
	json_decref(v);
	v = verify(number, 0);
	assert_string_equal(jstr(v, "status"), "valid");
	assert_int_equal(json_integer_value(json_object_get(v, "version")), 2);
	json_decref(v);
	l = license(number);
	assert_string_equal(jstr(json_object_get(l, "holder"), "name"), "版本测试书店");
	json_decref(l);
	/* a second issuance of the same application is refused */
	as("issuer");
	post(id, "license", NULL, 409, "invalid_state");

	/* registration says the name changed: the license is flagged */
	as("clerk");
	snprintf(path, sizeof(path), "/api/v1/entities/%s", uscc);
	http_json(&srv, "PUT", path, json_pack("{s:s}", "name", "改名后的书店"), &r);
	assert_int_equal(json_integer_value(json_object_get(r.json, "needs_change")), 1);
	resp_free(&r);
	l = license(number);
	assert_string_equal(json_string_value(json_array_get(json_object_get(l, "flags"), 0)),
			    "needs_change");
	json_decref(l);

	/* change of name: nobody reviews, version 3 carries the new name */
	as("applicant");
	id = apply_life(json_pack("{s:s,s:s,s:{s:s}}", "kind", "change", "license", number,
				  "change", "name", "改名后的书店"),
			201, NULL, NULL);
	submit_accept(id);
	issue(id, again, 3);
	l = license(number);
	assert_string_equal(jstr(json_object_get(l, "holder"), "name"), "改名后的书店");
	assert_int_equal(json_array_size(json_object_get(l, "flags")), 0);
	json_decref(l);
	v = verify(number, 2);
	assert_string_equal(jstr(v, "status"), "superseded");
	assert_int_equal(json_integer_value(json_object_get(v, "superseded_by")), 3);
	json_decref(v);
	/* the departments only told of it got their notice */
	assert_true(count("SELECT count(*) FROM notifications WHERE event = 'license_changed' AND "
			  "link = '/licenses/%s' AND department = 'whlyj'",
			  number) >= 1);

	/* a license with no term is not extended */
	as("applicant");
	apply_life(json_pack("{s:s,s:s}", "kind", "extend", "license", number), 409, "no_term",
		   "*");

	/* cancel: the license ends; the public sees cancelled */
	id = apply_life(json_pack("{s:s,s:s}", "kind", "cancel", "license", number), 201, NULL,
			NULL);
	submit_accept(id);
	v = verify(number, 0);
	assert_string_equal(jstr(v, "status"), "cancelled");
	assert_int_equal(json_integer_value(json_object_get(v, "version")), 3);
	json_decref(v);
	/* a cancellation issues nothing */
	as("issuer");
	post(id, "license", NULL, 409, "invalid_kind");
}

static int setup(void **state)
{
	(void)state;
	today = date_today_shanghai(time(NULL));
	if (server_start(&srv, 1, NULL) != 0)
		return -1;
	app_register_applicant2(&srv, APPLICANT2_PASSWORD);
	as("applicant");
	applicant_id = me();
	as("applicant2");
	applicant2_id = me();
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
	    cmocka_unit_test(test_refusals),         cmocka_unit_test(test_cancel),
	    cmocka_unit_test(test_change_reviewers), cmocka_unit_test(test_extend_and_reissue),
	    cmocka_unit_test(test_entities_put),     cmocka_unit_test(test_entities_import),
	    cmocka_unit_test(test_versions),         cmocka_unit_test(test_expiry),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
