/*
 * test_license_life.c — the lifecycle kinds of a license (issue 12, point
 * 7) on both backends: every kind's happy path and refusals (another
 * holder's license 404, wrong state 409, outside the extension window 409,
 * missing reason 400, unknown license 404, an address change needs an
 * inspection, a permit added is reviewed by its department only), a
 * cancellation ends the license, and the versions issued through POST
 * /api/v1/applications/{id}/license: the previous one verifies superseded
 * and names its successor. The registration link and the expiry job are in
 * test_license_registry.c.
 *
 * Licenses are seeded as rows (life_seed_license) where the test is about
 * what may happen to an existing license; test_versions issues them on the
 * ordinary path.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/license.h"
#include "harness_license.h"
#include "harness_life.h"

static struct server srv;
static struct life_ctx X;

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
	life_as(&X, "applicant");
	post(id, "submit", NULL, 200, NULL);
	life_as(&X, "clerk");
	post(id, "accept", NULL, 200, NULL);
}

static const char *app_status(int64_t id, char buf[32])
{
	json_t *app;

	life_as(&X, "clerk");
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

	life_as(&X, "applicant");
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

/* defined with test_versions */
static void issue(int64_t id, char number[40], int version);
static json_t *verify(const char *number, int version);
static const char *jstr(const json_t *o, const char *k);

/* ------------------------------------------------------------------ refusals */

static void test_refusals(void **state)
{
	struct life_seed s, other, revoked, ext;

	(void)state;
	life_seed_valid(&X, &s, LIFE_FOOD_SALE);
	memset(&other, 0, sizeof(other));
	other = (struct life_seed){.holder = "applicant2",
				   .status = "valid",
				   .from = X.today - 10,
				   .until = X.today + 1000,
				   .permits = LIFE_FOOD_SALE};
	life_seed_license(&X, &other);
	revoked = (struct life_seed){.holder = "applicant",
				     .status = "revoked",
				     .from = X.today - 10,
				     .until = X.today + 1000,
				     .permits = LIFE_FOOD_SALE};
	life_seed_license(&X, &revoked);

	life_as(&X, "applicant");
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
	/* past valid_until, not yet marked by the job: already expired */
	{
		struct life_seed past = {.holder = "applicant",
					 .status = "valid",
					 .from = X.today - 400,
					 .until = X.today - 1,
					 .permits = LIFE_FOOD_SALE};
		struct resp r;

		life_seed_license(&X, &past);
		life_as(&X, "applicant");
		http_json(&srv, "POST", "/api/v1/applications",
			  json_pack("{s:s,s:s,s:s}", "kind", "reissue", "license", past.number,
				    "reason", "遗失"),
			  &r);
		assert_error(&r, 409, "license_state", "license");
		assert_string_equal(
		    json_string_value(json_object_get(json_object_get(r.json, "error"), "status")),
		    "expired");
		resp_free(&r);
	}
	/* outside the extension window: the dates are in the message */
	ext = (struct life_seed){.holder = "applicant",
				 .status = "valid",
				 .from = X.today - 10,
				 .until = X.today + 400,
				 .permits = LIFE_FOOD_SALE};
	life_seed_license(&X, &ext);
	{
		struct resp r;
		char until[16];

		http_json(&srv, "POST", "/api/v1/applications",
			  json_pack("{s:s,s:s}", "kind", "extend", "license", ext.number), &r);
		assert_error(&r, 409, "outside_extension_window", "*");
		life_day_text(ext.until, until);
		assert_non_null(strstr(
		    json_string_value(json_object_get(json_object_get(r.json, "error"), "message")),
		    until));
		resp_free(&r);
	}
	/* a role that may not apply */
	life_as(&X, "reviewer_scjgj");
	apply_life(json_pack("{s:s,s:s}", "kind", "cancel", "license", s.number), 403, "forbidden",
		   "*");
	/* one open application per license */
	life_as(&X, "applicant");
	apply_life(json_pack("{s:s,s:s}", "kind", "cancel", "license", s.number), 201, NULL, NULL);
	apply_life(
	    json_pack("{s:s,s:s,s:s}", "kind", "reissue", "license", s.number, "reason", "损毁"),
	    409, "application_open", "license");
}

/* ------------------------------------------------------------------ kinds */

static void test_cancel(void **state)
{
	struct life_seed s;
	int64_t id;
	char st[32];
	json_t *app;

	(void)state;
	life_seed_valid(&X, &s, LIFE_FOOD_AND_ALCOHOL);
	/* the window clerk on the holder's behalf */
	life_as(&X, "clerk");
	id = apply_life(
	    json_pack("{s:s,s:s,s:s}", "kind", "cancel", "license", s.number, "reason", "不再经营"),
	    201, NULL, NULL);
	app = get_app(id);
	assert_string_equal(json_string_value(json_object_get(app, "kind")), "cancel");
	assert_string_equal(json_string_value(json_object_get(app, "license")), s.number);
	assert_int_equal(json_array_size(json_object_get(app, "departments")), 0);
	assert_int_equal(json_integer_value(json_object_get(app, "applicant_id")), X.applicant_id);
	json_decref(app);
	/* no department review beyond acceptance: approved at once, license cancelled */
	submit_accept(id);
	assert_string_equal(app_status(id, st), "approved");
	assert_int_equal(
	    life_count(&X,
		       "SELECT count(*) FROM licenses WHERE number = '%s' AND status = "
		       "'cancelled' AND is_current = 1",
		       s.number),
	    1);
	assert_int_equal(life_count(&X,
				    "SELECT count(*) FROM license_events WHERE number = '%s' AND "
				    "kind = 'cancel'",
				    s.number),
			 1);
	/* the issuer's queue tells the cancellation from what waits for a license */
	{
		struct resp r;
		json_t *it;
		size_t k;
		int seen = 0;

		life_as(&X, "issuer");
		http_req(&srv, "GET", "/api/v1/applications?status=approved&limit=200", NULL, NULL,
			 0, NULL, &r);
		assert_int_equal(r.status, 200);
		json_array_foreach (json_object_get(r.json, "items"), k, it)
			if (json_integer_value(json_object_get(it, "id")) == id) {
				assert_string_equal(jstr(it, "kind"), "cancel");
				assert_string_equal(jstr(it, "license"), s.number);
				seen = 1;
			}
		resp_free(&r);
		assert_true(seen);
	}
	/* a cancelled license takes no further application */
	life_as(&X, "applicant");
	apply_life(
	    json_pack("{s:s,s:s,s:s}", "kind", "reissue", "license", s.number, "reason", "遗失"),
	    409, "license_state", "license");
}

static void test_change_reviewers(void **state)
{
	struct life_seed s;
	char who[128], st[32];
	int64_t id;

	(void)state;
	/* adding a permit: only its department reviews; its materials are required */
	life_seed_valid(&X, &s, LIFE_FOOD_SALE);
	life_as(&X, "applicant");
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
		life_as(&X, "applicant");
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
	{
		/* exactly one review task, the added permit's department's */
		json_t *app, *t;
		size_t k, reviews = 0;

		life_as(&X, "applicant");
		app = get_app(id);
		json_array_foreach (json_object_get(app, "tasks"), k, t)
			if (strcmp(jstr(t, "kind"), "review") == 0) {
				reviews++;
				assert_string_equal(jstr(t, "department"), "swj");
			}
		json_decref(app);
		assert_int_equal(reviews, 1);
	}
	life_as(&X, "reviewer_scjgj"); /* the food department is not involved */
	post(id, "reviews/scjgj", json_pack("{s:s}", "decision", "approve"), 404,
	     "application_not_found");
	life_as(&X, "reviewer_swj");
	post(id, "reviews/swj", json_pack("{s:s}", "decision", "approve"), 200, NULL);
	assert_string_equal(app_status(id, st), "approved");

	/* an address change: a new on-site inspection by the inspected permit's department */
	life_seed_valid(&X, &s, LIFE_FOOD_AND_ALCOHOL);
	life_as(&X, "applicant");
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
	life_as(&X, "reviewer_scjgj");
	post(id, "reviews/scjgj", json_pack("{s:s}", "decision", "approve"), 200, NULL);
	life_as(&X, "reviewer_swj");
	post(id, "reviews/swj", json_pack("{s:s}", "decision", "approve"), 200, NULL);
	/* not approved until the inspection passed */
	assert_string_equal(app_status(id, st), "under_review");

	/* a name change: nobody reviews, every department is told */
	life_seed_valid(&X, &s, LIFE_FOOD_AND_ALCOHOL);
	life_as(&X, "applicant");
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
	life_seed_valid(&X, &s, LIFE_FOOD_AND_ALCOHOL);
	life_as(&X, "applicant");
	id = apply_life(json_pack("{s:s,s:s,s:{s:[s]}}", "kind", "change", "license", s.number,
				  "change", "permits_remove", "P_alcohol_retail"),
			201, NULL, NULL);
	reviewers(id, who);
	assert_string_equal(who, "");
}

static void test_extend_and_reissue(void **state)
{
	struct life_seed s;
	char who[128], st[32], number[40];
	int64_t id;

	(void)state;
	/* inside the window: every department reviews, no inspection */
	memset(&s, 0, sizeof(s));
	s = (struct life_seed){.holder = "applicant",
			       .status = "valid",
			       .from = 0,
			       .until = X.today + 10,
			       .permits = LIFE_FOOD_AND_ALCOHOL};
	{
		/* a two-year term ending in 10 days */
		struct license_validity_rule two = {.kind = LIC_VALIDITY_YEARS, .years = 2};

		s.from = s.until - 800;
		while (license_valid_until(s.from, &two, NULL, 0) < s.until)
			s.from++;
	}
	life_seed_license(&X, &s);
	life_as(&X, "applicant");
	id = apply_life(json_pack("{s:s,s:s}", "kind", "extend", "license", s.number), 201, NULL,
			NULL);
	reviewers(id, who);
	assert_string_equal(who, "scjgj;swj;");
	submit_accept(id);
	life_as(&X, "reviewer_scjgj");
	post(id, "reviews/scjgj", json_pack("{s:s}", "decision", "approve"), 200, NULL);
	life_as(&X, "reviewer_swj");
	post(id, "reviews/swj", json_pack("{s:s}", "decision", "approve"), 200, NULL);
	assert_string_equal(app_status(id, st), "approved");
	/* the job marked it expired meanwhile: applied for in time, it is still issued,
	 * the next term starting the day after the old one ended */
	life_sql(&X, "UPDATE licenses SET status = 'expired' WHERE number = ?",
		 (struct store_param[]){SP_TEXT(s.number)}, 1);
	issue(id, number, 2);
	{
		json_t *v = verify(number, 0);
		char from[16];

		life_day_text(s.until + 1, from);
		assert_string_equal(jstr(v, "status"), "valid");
		assert_string_equal(jstr(v, "valid_from"), from);
		json_decref(v);
		v = verify(number, 1);
		assert_string_equal(jstr(v, "status"), "superseded");
		json_decref(v);
	}

	/* reissue: reason required (above), no review */
	life_seed_valid(&X, &s, LIFE_FOOD_SALE);
	life_as(&X, "applicant");
	id = apply_life(json_pack("{s:s,s:s,s:s,s:s}", "kind", "reissue", "license", s.number,
				  "reason", "原件遗失", "cause", "lost"),
			201, NULL, NULL);
	submit_accept(id);
	assert_string_equal(app_status(id, st), "approved");
	/* the license is untouched until the issuer issues the new version */
	assert_int_equal(
	    life_count(&X,
		       "SELECT count(*) FROM licenses WHERE number = '%s' AND status = "
		       "'valid'",
		       s.number),
	    1);
	/* suspended meanwhile: the issuer may not issue its next version */
	life_sql(&X, "UPDATE licenses SET status = 'suspended' WHERE number = ?",
		 (struct store_param[]){SP_TEXT(s.number)}, 1);
	life_as(&X, "issuer");
	post(id, "license", NULL, 409, "license_state");
}

/* ------------------------------------------------- versions through issuance */

/* A 书店 license (出版物经营许可 and 户外招牌设置, neither inspected, no term)
 * issued to the demo applicant on the ordinary path (harness_license.c);
 * its number into number, the holder's credit code into uscc. */
static void issued_shudian(const char *name, char number[40], char uscc[19])
{
	struct lic_holder h;
	int64_t id = lic_approved_shudian(&srv, name, &h);

	snprintf(uscc, 19, "%s", h.uscc);
	issue(id, number, 1);
}

/* The issuer issues application id: 201 with version `version`. */
static void issue(int64_t id, char number[40], int version)
{
	char path[96];
	struct resp r;
	json_t *lic;

	life_as(&X, "issuer");
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

	life_as(&X, "applicant");
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
	life_as(&X, "applicant");
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
	life_as(&X, "issuer");
	post(id, "license", NULL, 409, "invalid_state");

	/* registration says the name changed: the license is flagged */
	life_as(&X, "clerk");
	snprintf(path, sizeof(path), "/api/v1/entities/%s", uscc);
	http_json(&srv, "PUT", path, json_pack("{s:s}", "name", "改名后的书店"), &r);
	assert_int_equal(json_integer_value(json_object_get(r.json, "needs_change")), 1);
	resp_free(&r);
	l = license(number);
	assert_string_equal(json_string_value(json_array_get(json_object_get(l, "flags"), 0)),
			    "needs_change");
	json_decref(l);

	/* change of name: nobody reviews, version 3 carries the new name */
	life_as(&X, "applicant");
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
	assert_true(
	    life_count(&X,
		       "SELECT count(*) FROM notifications WHERE event = 'license_changed' AND "
		       "link = '/licenses/%s' AND department = 'whlyj'",
		       number) >= 1);

	/* a license with no term is not extended */
	life_as(&X, "applicant");
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
	life_as(&X, "issuer");
	post(id, "license", NULL, 409, "invalid_kind");
}

/* As an inspector of dept: the joint inspection today, every item ok, pass. */
static void inspect_pass(int64_t id, const char *dept)
{
	char user[64], path[128], day[16];
	json_t *items = json_array(), *sec, *it;
	struct resp r;
	int64_t me;
	size_t i, k;

	snprintf(user, sizeof(user), "inspector_%s", dept);
	life_as(&X, user);
	http_req(&srv, "GET", "/api/v1/me", NULL, NULL, 0, NULL, &r);
	me = json_integer_value(json_object_get(r.json, "id"));
	resp_free(&r);
	life_day_text(X.today, day);
	post(id, "inspection", json_pack("{s:s,s:[I]}", "at", day, "inspectors", (json_int_t)me),
	     200, NULL);
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/inspection", (long long)id);
	http_req(&srv, "GET", path, NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	json_array_foreach (json_object_get(json_object_get(r.json, "inspection"), "sections"), i,
			    sec)
		json_array_foreach (json_object_get(sec, "items"), k, it)
			json_array_append_new(items,
					      json_pack("{s:O,s:s}", "id",
							json_object_get(it, "id"), "result", "ok"));
	resp_free(&r);
	snprintf(path, sizeof(path), "inspection/%s", dept);
	post(id, path, json_pack("{s:s,s:o}", "result", "pass", "items", items), 200, NULL);
}

/* An address change of a 烘焙店 license (食品经营许可, inspected): a new
 * joint inspection, then version 2 at the new address. */
static void test_address_change(void **state)
{
	struct lic_holder h;
	char number[40], again[40], who[128], st[32];
	int64_t id;
	json_t *l, *v;

	(void)state;
	id = lic_accepted(&srv, LIC_HONGBEI, LIC_HONGBEI_ANSWERS, "地址变更烘焙店", &h);
	inspect_pass(id, "scjgj");
	life_as(&X, "reviewer_scjgj");
	post(id, "reviews/scjgj", json_pack("{s:s}", "decision", "approve"), 200, NULL);
	issue(id, number, 1);

	life_as(&X, "applicant");
	id = apply_life(json_pack("{s:s,s:s,s:{s:s}}", "kind", "change", "license", number,
				  "change", "address", "徐汇区天钥桥路100号"),
			201, NULL, NULL);
	reviewers(id, who);
	assert_string_equal(who, "scjgj+inspect;");
	submit_accept(id);
	life_as(&X, "reviewer_scjgj");
	post(id, "reviews/scjgj", json_pack("{s:s}", "decision", "approve"), 200, NULL);
	assert_string_equal(app_status(id, st), "under_review");
	inspect_pass(id, "scjgj");
	assert_string_equal(app_status(id, st), "approved");
	issue(id, again, 2);
	l = license(number);
	assert_string_equal(jstr(l, "address"), "徐汇区天钥桥路100号");
	assert_string_equal(jstr(json_object_get(l, "holder"), "name"), "地址变更烘焙店");
	json_decref(l);
	v = verify(number, 1);
	assert_string_equal(jstr(v, "status"), "superseded");
	assert_int_equal(json_integer_value(json_object_get(v, "superseded_by")), 2);
	json_decref(v);
}

static int setup(void **state)
{
	(void)state;
	return life_setup(&X, &srv, 900);
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
	    cmocka_unit_test(test_versions),         cmocka_unit_test(test_address_change),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
