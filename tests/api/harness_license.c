/*
 * harness_license.c — see harness_license.h.
 */
#include "harness_license.h"

#include <stdio.h>
#include <string.h>

#include "harness_app.h"

static unsigned serial = 8100; /* test_uscc serials of the license tests */

void lic_as(struct server *s, const char *user)
{
	s->cookies[0] = s->csrf[0] = s->bearer[0] = '\0';
	if (user != NULL)
		assert_int_equal(login(s, user, demo_password(s, user)), 0);
}

const char *lic_str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

void lic_post(struct server *s, const char *path, json_t *body, long status, const char *code,
	      struct resp *out)
{
	struct resp r;

	if (body)
		http_json(s, "POST", path, body, &r);
	else
		http_req(s, "POST", path, NULL, NULL, 0, NULL, &r);
	if (r.status != status)
		fprintf(stderr, "POST %s: %ld %s\n", path, r.status, r.body ? r.body : "");
	if (code)
		assert_error(&r, status, code, "*");
	else
		assert_int_equal(r.status, status);
	if (out)
		*out = r;
	else
		resp_free(&r);
}

void lic_get(struct server *s, const char *path, long status, struct resp *out)
{
	struct resp r;

	http_req(s, "GET", path, NULL, NULL, 0, NULL, &r);
	if (r.status != status)
		fprintf(stderr, "GET %s: %ld %s\n", path, r.status, r.body ? r.body : "");
	assert_int_equal(r.status, status);
	if (out)
		*out = r;
	else
		resp_free(&r);
}

/* ---- driving an application to approved ---- */

/* app_field_value, keeping the credit code it makes (the license's holder). */
static json_t *field_value(const json_t *f, char uscc[19])
{
	unsigned n = serial++;

	if (strcmp(lic_str(f, "type"), "uscc") == 0)
		test_uscc(n, uscc);
	return app_field_value(f, n);
}

json_t *lic_get_app(struct server *s, long long id)
{
	char path[96];
	struct resp r;
	json_t *app;

	snprintf(path, sizeof(path), "/api/v1/applications/%lld", id);
	lic_get(s, path, 200, &r);
	app = json_incref(json_object_get(r.json, "application"));
	resp_free(&r);
	return app;
}

/* As the demo applicant: industry with answers, the form filled (the
 * entity's name is `name`), every material uploaded, submitted, accepted. */
long long lic_accepted(struct server *s, const char *industry, const char *answers,
		       const char *name, struct lic_holder *h)
{
	json_t *app, *form = json_object(), *f;
	char path[160];
	struct resp r;
	long long id;
	size_t i;

	lic_as(s, "applicant");
	http_json(
	    s, "POST", "/api/v1/applications",
	    json_pack("{s:s,s:o}", "industry", industry, "answers", json_loads(answers, 0, NULL)),
	    &r);
	assert_int_equal(r.status, 201);
	id = json_integer_value(json_object_get(json_object_get(r.json, "application"), "id"));
	resp_free(&r);
	app = lic_get_app(s, id);
	json_array_foreach (json_object_get(json_object_get(app, "notice"), "fields"), i, f)
		json_object_set_new(form, lic_str(f, "id"), field_value(f, h->uscc));
	json_object_set_new(form, "F_ent_name", json_string(name));
	snprintf(h->name, sizeof(h->name), "%s", name);
	snprintf(path, sizeof(path), "/api/v1/applications/%lld", id);
	http_json(s, "PATCH", path,
		  json_pack("{s:o,s:O}", "form", form, "version", json_object_get(app, "version")),
		  &r);
	if (r.status != 200)
		fprintf(stderr, "patch: %ld %s\n", r.status, r.body);
	assert_int_equal(r.status, 200);
	resp_free(&r);
	app_insert_materials(s, id, json_object_get(json_object_get(app, "notice"), "materials"));
	json_decref(app);
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/submit", id);
	lic_post(s, path, NULL, 200, NULL, NULL);
	lic_as(s, "clerk");
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/accept", id);
	lic_post(s, path, NULL, 200, NULL, NULL);
	return id;
}

static void review(struct server *s, long long id, const char *dept)
{
	char path[128], user[64];

	snprintf(user, sizeof(user), "reviewer_%s", dept);
	lic_as(s, user);
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/reviews/%s", id, dept);
	lic_post(s, path, json_pack("{s:s}", "decision", "approve"), 200, NULL, NULL);
}

long long lic_approved_shudian(struct server *s, const char *name, struct lic_holder *h)
{
	long long id = lic_accepted(s, LIC_SHUDIAN, LIC_SHUDIAN_ANSWERS, name, h);

	review(s, id, "whlyj");
	review(s, id, "lhsrj");
	return id;
}

/* 烘焙店: the joint inspection passes, then the department approves. */
long long lic_approved_hongbei(struct server *s, const char *name, struct lic_holder *h)
{
	long long id = lic_accepted(s, LIC_HONGBEI, LIC_HONGBEI_ANSWERS, name, h), insp;
	json_t *items = json_array(), *sec, *it;
	char path[128];
	struct resp r;
	size_t i, k;

	lic_as(s, "inspector_scjgj");
	lic_get(s, "/api/v1/me", 200, &r);
	insp = json_integer_value(json_object_get(r.json, "id"));
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/inspection", id);
	lic_post(s, path, json_pack("{s:s,s:[I]}", "at", "2026-03-10", "inspectors", insp), 200,
		 NULL, NULL);
	lic_get(s, path, 200, &r);
	json_array_foreach (json_object_get(json_object_get(r.json, "inspection"), "sections"), i,
			    sec)
		json_array_foreach (json_object_get(sec, "items"), k, it)
			json_array_append_new(items,
					      json_pack("{s:O,s:s}", "id",
							json_object_get(it, "id"), "result", "ok"));
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/inspection/scjgj", id);
	lic_post(s, path, json_pack("{s:s,s:o}", "result", "pass", "items", items), 200, NULL,
		 NULL);
	review(s, id, "scjgj");
	return id;
}

/* Issues application id as the issuer; the license object (a new reference). */
json_t *lic_issue(struct server *s, long long id)
{
	char path[96];
	struct resp r;
	json_t *lic;

	lic_as(s, "issuer");
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/license", id);
	lic_post(s, path, NULL, 201, NULL, &r);
	lic = json_incref(json_object_get(r.json, "license"));
	resp_free(&r);
	assert_non_null(lic);
	return lic;
}

json_t *lic_verify(struct server *s, const char *number, const char *query)
{
	char path[1024];
	struct resp r;
	json_t *v;

	lic_as(s, NULL);
	snprintf(path, sizeof(path), "/api/v1/licenses/%s/verify%s", number, query ? query : "");
	lic_get(s, path, 200, &r);
	{
		/* a status changes at any moment: no one may keep an answer,
		   cached on this node or not */
		char cc[64] = "";

		assert_int_equal(resp_header(&r, "Cache-Control", cc, sizeof(cc)), 0);
		assert_string_equal(cc, "no-store");
	}
	v = json_incref(r.json);
	resp_free(&r);
	return v;
}
