/*
 * test_licenses.c — the comprehensive license (issue 12; docs/api-licenses.md):
 * issuance of an approved application, reading it as the holder, another
 * applicant and staff, the archived PDF (pdftotext) and the QR code
 * (zbarimg, then the offline verification of its signed payload), every
 * answer of the public verification, the supervisors' suspend / reinstate /
 * revoke with their refusals, serials never reused, and expiry by date.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/canon.h"
#include "core/license.h"
#include "core/payload.h"
#include "harness_app.h"
#include "store/store_license.h"

static struct server srv;
static unsigned serial = 8100; /* test_uscc serials of this file */
static char applicant2_pw[] = "Second-Pass-2026";

#define TODAY "2026-03-02"
/* 书店 with a small sign: 出版物经营许可 (区文化旅游局) and 户外招牌设置
 * (区绿化市容局), neither inspected, neither with a term. */
#define SHUDIAN "shudian"
#define SHUDIAN_ANSWERS "{\"q_food\":false,\"q_area\":120,\"q_sign\":true,\"q_sign_area\":3}"
/* 烘焙店: 食品经营许可 (区市场监管局, 5 years), inspected on site. */
#define HONGBEI "hongbeidian"
#define HONGBEI_ANSWERS "{\"q_cream\":true,\"q_dine_in\":false,\"q_drain\":false,\"q_sign\":false}"

static void as(const char *user)
{
	srv.cookies[0] = srv.csrf[0] = srv.bearer[0] = '\0';
	if (user == NULL)
		return;
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

static void post(const char *path, json_t *body, long status, const char *code, struct resp *out)
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
	if (out)
		*out = r;
	else
		resp_free(&r);
}

static void get(const char *path, long status, struct resp *out)
{
	struct resp r;

	http_req(&srv, "GET", path, NULL, NULL, 0, NULL, &r);
	if (r.status != status)
		fprintf(stderr, "GET %s: %ld %s\n", path, r.status, r.body ? r.body : "");
	assert_int_equal(r.status, status);
	if (out)
		*out = r;
	else
		resp_free(&r);
}

/* ---- driving an application to approved ---- */

/* A valid 居民身份证号 (GB 11643 check character). */
static void test_idcard(char out[19])
{
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	int sum = 0;

	snprintf(out, 19, "%s", "31010419900101123");
	for (int i = 0; i < 17; i++)
		sum += (out[i] - '0') * w[i];
	out[17] = "10X98765432"[sum % 11];
	out[18] = '\0';
}

static json_t *field_value(const json_t *f, char uscc[19])
{
	const char *type = str(f, "type");
	char buf[32];

	if (strcmp(type, "uscc") == 0) {
		test_uscc(serial++, buf);
		memcpy(uscc, buf, 19);
		return json_string(buf);
	}
	if (strcmp(type, "idcard") == 0) {
		test_idcard(buf);
		return json_string(buf);
	}
	if (strcmp(type, "phone") == 0)
		return json_string("13800138000");
	if (strcmp(type, "date") == 0)
		return json_string("2026-01-05");
	if (strcmp(type, "enum") == 0)
		return json_deep_copy(
		    json_object_get(json_array_get(json_object_get(f, "options"), 0), "value"));
	if (strcmp(type, "number") == 0 || strcmp(type, "area") == 0) {
		double lo = json_number_value(json_object_get(f, "min"));
		double hi = json_object_get(f, "max") ? json_number_value(json_object_get(f, "max"))
						      : lo + 100;
		return json_integer((json_int_t)(lo + hi) / 2 > 0 ? (json_int_t)(lo + hi) / 2 : 1);
	}
	if (strcmp(type, "address") == 0)
		return json_string("徐汇区漕溪北路1号");
	return json_string("测试");
}

static json_t *get_app(long long id)
{
	char path[96];
	struct resp r;
	json_t *app;

	snprintf(path, sizeof(path), "/api/v1/applications/%lld", id);
	get(path, 200, &r);
	app = json_incref(json_object_get(r.json, "application"));
	resp_free(&r);
	return app;
}

/* What the test knows of the holder it filled in. */
struct holder {
	char name[64];
	char uscc[19];
};

/* As the demo applicant: industry with answers, the form filled (the
 * entity's name is `name`), every material uploaded, submitted, accepted. */
static long long accepted(const char *industry, const char *answers, const char *name,
			  struct holder *h)
{
	json_t *app, *form = json_object(), *f;
	char path[160];
	struct resp r;
	long long id;
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
		json_object_set_new(form, str(f, "id"), field_value(f, h->uscc));
	json_object_set_new(form, "F_ent_name", json_string(name));
	snprintf(h->name, sizeof(h->name), "%s", name);
	snprintf(path, sizeof(path), "/api/v1/applications/%lld", id);
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
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/submit", id);
	post(path, NULL, 200, NULL, NULL);
	as("clerk");
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/accept", id);
	post(path, NULL, 200, NULL, NULL);
	return id;
}

static void review(long long id, const char *dept)
{
	char path[128], user[64];

	snprintf(user, sizeof(user), "reviewer_%s", dept);
	as(user);
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/reviews/%s", id, dept);
	post(path, json_pack("{s:s}", "decision", "approve"), 200, NULL, NULL);
}

static long long approved_shudian(const char *name, struct holder *h)
{
	long long id = accepted(SHUDIAN, SHUDIAN_ANSWERS, name, h);

	review(id, "whlyj");
	review(id, "lhsrj");
	return id;
}

/* 烘焙店: the joint inspection passes, then the department approves. */
static long long approved_hongbei(const char *name, struct holder *h)
{
	long long id = accepted(HONGBEI, HONGBEI_ANSWERS, name, h), insp;
	json_t *items = json_array(), *s, *it;
	char path[128];
	struct resp r;
	size_t i, k;

	as("inspector_scjgj");
	get("/api/v1/me", 200, &r);
	insp = json_integer_value(json_object_get(r.json, "id"));
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/inspection", id);
	post(path, json_pack("{s:s,s:[I]}", "at", "2026-03-10", "inspectors", insp), 200, NULL,
	     NULL);
	get(path, 200, &r);
	json_array_foreach (json_object_get(json_object_get(r.json, "inspection"), "sections"), i,
			    s)
		json_array_foreach (json_object_get(s, "items"), k, it)
			json_array_append_new(items,
					      json_pack("{s:O,s:s}", "id",
							json_object_get(it, "id"), "result", "ok"));
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/inspection/scjgj", id);
	post(path, json_pack("{s:s,s:o}", "result", "pass", "items", items), 200, NULL, NULL);
	review(id, "scjgj");
	return id;
}

/* Issues application id as the issuer; the license object (a new reference). */
static json_t *issue(long long id)
{
	char path[96];
	struct resp r;
	json_t *lic;

	as("issuer");
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/license", id);
	post(path, NULL, 201, NULL, &r);
	lic = json_incref(json_object_get(r.json, "license"));
	resp_free(&r);
	assert_non_null(lic);
	return lic;
}

static json_t *verify(const char *number, const char *query)
{
	char path[160];
	struct resp r;
	json_t *v;

	as(NULL);
	snprintf(path, sizeof(path), "/api/v1/licenses/%s/verify%s", number, query ? query : "");
	get(path, 200, &r);
	v = json_incref(r.json);
	resp_free(&r);
	return v;
}

/* The first line a command prints, NUL-terminated, newline removed. */
static void run_out(const char *cmd, char *out, size_t outsz)
{
	FILE *p = popen(cmd, "r");
	size_t n = 0;

	out[0] = '\0';
	assert_non_null(p);
	n = fread(out, 1, outsz - 1, p);
	out[n] = '\0';
	pclose(p);
	while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\r'))
		out[--n] = '\0';
}

static void save(const char *path, const struct resp *r)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(r->body, 1, r->len, f), r->len);
	fclose(f);
}

/* The published keys, read as anyone would. */
static json_t *public_keys(void)
{
	char path[400];
	json_t *k;

	snprintf(path, sizeof(path), "%s/keys/keys.json", srv.dir);
	k = json_load_file(path, 0, NULL);
	assert_non_null(k);
	return k;
}

/* ---- issuance ---- */

static void test_issue(void **state)
{
	struct holder h;
	long long id = approved_shudian("徐汇示范书店有限公司", &h), other;
	json_t *lic, *permits, *p, *app;
	char path[128], expect[64];
	const char *number;
	size_t i;
	bool pub = false, sign = false;

	(void)state;
	/* wrong roles: the applicant, the window clerk */
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/license", id);
	as("applicant");
	post(path, NULL, 403, "forbidden", NULL);
	as("clerk");
	post(path, NULL, 403, "forbidden", NULL);
	/* not approved yet: 409 with the state */
	other = accepted(SHUDIAN, SHUDIAN_ANSWERS, "尚在审查的书店", &(struct holder){0});
	as("issuer");
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/license", other);
	post(path, NULL, 409, "invalid_state", NULL);
	snprintf(path, sizeof(path), "/api/v1/applications/999999/license");
	post(path, NULL, 404, "application_not_found", NULL);

	lic = issue(id);
	number = str(lic, "number");
	snprintf(expect, sizeof(expect), "XK-310104-2026-");
	assert_memory_equal(number, expect, strlen(expect));
	assert_int_equal(strlen(number), strlen(expect) + 6);
	assert_true(license_eid_valid(str(lic, "eid")));
	assert_int_equal(json_integer_value(json_object_get(lic, "version")), 1);
	assert_string_equal(str(lic, "status"), "valid");
	assert_string_equal(str(lic, "type"), "行业综合许可证");
	assert_string_equal(str(json_object_get(lic, "holder"), "name"), h.name);
	assert_string_equal(str(json_object_get(lic, "holder"), "uscc"), h.uscc);
	assert_string_equal(str(json_object_get(lic, "industry"), "name"), "书店");
	assert_string_equal(str(lic, "valid_from"), TODAY);
	assert_string_equal(str(lic, "issued_on"), TODAY);
	/* both permits have no term: the license has none (长期有效) */
	assert_true(json_is_null(json_object_get(lic, "valid_until")));
	assert_string_equal(str(json_object_get(lic, "issuer"), "department"), "zwfwb");
	assert_string_equal(str(lic, "district"), "310104");
	assert_true(payload_kid_valid(str(lic, "kid")));
	assert_int_equal(strlen(str(lic, "sig")), SIG_B64_LEN);
	assert_int_equal(strlen(str(lic, "pdf_sha256")), 64);
	permits = json_object_get(lic, "permits");
	assert_int_equal(json_array_size(permits), 2);
	json_array_foreach (permits, i, p) {
		assert_true(str(p, "basis")[0] != '\0');
		assert_true(str(p, "department_name")[0] != '\0');
		pub |= strcmp(str(p, "code"), "P_publication_retail") == 0 &&
		       strcmp(str(p, "department"), "whlyj") == 0;
		sign |= strcmp(str(p, "code"), "P_signboard") == 0 &&
			strcmp(str(p, "department"), "lhsrj") == 0;
	}
	assert_true(pub && sign);
	/* the signature checks against the published key, over the document */
	{
		json_t *keys = public_keys(), *doc = json_deep_copy(lic);
		const char *drop[] = {"status",       "status_label", "status_reason",
				      "status_basis", "status_at",    "superseded_by",
				      "current",      "sig",          "qr_text",
				      "pdf_sha256",   "pdf_size",     "application_id",
				      "issued_at"};
		char *canon;

		for (i = 0; i < sizeof(drop) / sizeof(drop[0]); i++)
			json_object_del(doc, drop[i]);
		canon = canon_json(doc);
		assert_non_null(canon);
		assert_int_equal(
		    sig_verify_b64(keys, str(lic, "kid"), canon, strlen(canon), str(lic, "sig")),
		    0);
		free(canon);
		json_decref(doc);
		json_decref(keys);
	}
	/* the application is licensed; the applicant is told */
	as("issuer");
	app = get_app(id);
	assert_string_equal(str(app, "status"), "licensed");
	json_decref(app);
	{
		struct resp r;
		json_t *it;
		bool told = false;

		as("applicant");
		get("/api/v1/notifications?limit=200", 200, &r);
		json_array_foreach (json_object_get(r.json, "items"), i, it)
			told |= strcmp(str(it, "event"), "license_issued") == 0 &&
				json_integer_value(json_object_get(it, "application_id")) == id;
		resp_free(&r);
		assert_true(told);
	}
	/* issuing twice: the application is licensed now */
	as("issuer");
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/license", id);
	post(path, NULL, 409, "invalid_state", NULL);
	assert_int_equal(server_sql_long(&srv, "SELECT count(*) FROM license_events WHERE kind = "
					       "'issue'"),
			 1);
	/* the audit trail has it */
	{
		struct resp r;
		json_t *it;
		char want[64];
		bool found = false;

		snprintf(want, sizeof(want), "license:%s", number);
		as("auditor");
		get("/api/v1/audit?action=license.issue&limit=50", 200, &r);
		json_array_foreach (json_object_get(r.json, "items"), i, it)
			found |= strcmp(str(it, "object"), want) == 0;
		resp_free(&r);
		assert_true(found);
	}
	json_decref(lic);
}

/* Serials come from the counter: two issuances, two consecutive numbers,
 * never one twice. */
static void test_serial_never_reused(void **state)
{
	struct holder h1, h2;
	long long a = approved_shudian("序号一书店", &h1), b = approved_shudian("序号二书店", &h2);
	json_t *l1 = issue(a), *l2 = issue(b);
	struct license_no n1, n2;

	(void)state;
	assert_int_equal(license_number_parse(str(l1, "number"), &n1, NULL), 0);
	assert_int_equal(license_number_parse(str(l2, "number"), &n2, NULL), 0);
	assert_int_equal(n2.serial, n1.serial + 1);
	assert_true(strcmp(str(l1, "eid"), str(l2, "eid")) != 0);
	assert_int_equal(server_sql_long(&srv, "SELECT max(last_serial) FROM license_serials"),
			 n2.serial);
	assert_int_equal(server_sql_long(&srv, "SELECT count(DISTINCT number) FROM licenses"),
			 server_sql_long(&srv, "SELECT count(*) FROM licenses WHERE version = 1"));
	json_decref(l1);
	json_decref(l2);
}

/* ---- reading ---- */

static void test_read(void **state)
{
	struct holder h;
	json_t *lic = issue(approved_shudian("读取测试书店", &h));
	char path[128];
	struct resp r;

	(void)state;
	snprintf(path, sizeof(path), "/api/v1/licenses/%s", str(lic, "number"));
	as("applicant");
	get(path, 200, &r);
	assert_string_equal(str(json_object_get(r.json, "license"), "number"), str(lic, "number"));
	resp_free(&r);
	/* another applicant: as if it did not exist */
	as("applicant2");
	http_req(&srv, "GET", path, NULL, NULL, 0, NULL, &r);
	assert_error(&r, 404, "license_not_found", "*");
	resp_free(&r);
	/* staff */
	as("supervisor");
	get(path, 200, NULL);
	as("reviewer_whlyj");
	get(path, 200, NULL);
	/* nobody logged in */
	as(NULL);
	http_req(&srv, "GET", path, NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 401);
	resp_free(&r);
	/* no such license; a malformed number */
	as("applicant");
	http_req(&srv, "GET", "/api/v1/licenses/XK-310104-2026-999999", NULL, NULL, 0, NULL, &r);
	assert_error(&r, 404, "license_not_found", "*");
	resp_free(&r);
	http_req(&srv, "GET", "/api/v1/licenses/nonsense", NULL, NULL, 0, NULL, &r);
	assert_error(&r, 404, "license_not_found", "*");
	resp_free(&r);
	json_decref(lic);
}

/* ---- PDF and QR ---- */

static void test_pdf_and_qr(void **state)
{
	struct holder h;
	json_t *lic = issue(approved_shudian("二维码核验书店", &h)), *keys, *p;
	char path[160], file[400], png[400], cmd[1400], out[4096], text[2048];
	struct payload pl;
	struct resp r;
	struct yerr e = {0};
	size_t i;

	(void)state;
	as("applicant");
	snprintf(path, sizeof(path), "/api/v1/licenses/%s/pdf", str(lic, "number"));
	get(path, 200, &r);
	assert_true(r.len > 4 && memcmp(r.body, "%PDF", 4) == 0);
	snprintf(file, sizeof(file), "%s/license.pdf", srv.dir);
	save(file, &r);
	resp_free(&r);
	/* the archived file is the one its hash names */
	snprintf(cmd, sizeof(cmd), "sha256sum '%s' | cut -c1-64", file);
	run_out(cmd, out, sizeof(out));
	assert_string_equal(out, str(lic, "pdf_sha256"));
	/* holder, number and every permit on the page */
	snprintf(cmd, sizeof(cmd), "pdftotext -layout '%s' - | tr -d ' \\n'", file);
	run_out(cmd, out, sizeof(out));
	assert_non_null(strstr(out, h.name));
	assert_non_null(strstr(out, str(lic, "number")));
	json_array_foreach (json_object_get(lic, "permits"), i, p) {
		char name[128];
		size_t k, n = 0;

		/* pdftotext may wrap a long name: compare without blanks */
		for (k = 0; str(p, "name")[k] && n + 1 < sizeof(name); k++)
			if (str(p, "name")[k] != ' ')
				name[n++] = str(p, "name")[k];
		name[n] = '\0';
		if (strstr(out, name) == NULL)
			fprintf(stderr, "permit %s not in: %s\n", name, out);
		assert_non_null(strstr(out, name));
	}
	/* the PNG decodes to the QR text; the offline check accepts it */
	snprintf(path, sizeof(path), "/api/v1/licenses/%s/qr.png", str(lic, "number"));
	get(path, 200, &r);
	assert_true(r.len > 8 && memcmp(r.body, "\x89PNG", 4) == 0);
	snprintf(png, sizeof(png), "%s/license.png", srv.dir);
	save(png, &r);
	resp_free(&r);
	snprintf(cmd, sizeof(cmd), "zbarimg --raw -q '%s' 2>/dev/null", png);
	run_out(cmd, text, sizeof(text));
	assert_string_equal(text, str(lic, "qr_text"));
	snprintf(out, sizeof(out), "%s/v/%s#YL1.", srv.base, str(lic, "number"));
	assert_memory_equal(text, out, strlen(out));
	keys = public_keys();
	assert_int_equal(payload_verify(text, keys, &pl, &e), 0);
	assert_string_equal(pl.number, str(lic, "number"));
	assert_int_equal(pl.version, 1);
	assert_string_equal(pl.uscc, h.uscc);
	assert_string_equal(pl.valid_until, "");
	/* the PDF's QR, rasterised, is the same text */
	snprintf(cmd, sizeof(cmd),
		 "pdftoppm -r 150 -png -f 1 -l 1 '%s' '%s/page' && zbarimg --raw -q "
		 "'%s/page-1.png' 2>/dev/null",
		 file, srv.dir, srv.dir);
	run_out(cmd, out, sizeof(out));
	assert_string_equal(out, text);
	/* yiye verify accepts the QR text, the PNG and the PDF; a changed byte
	 * fails (exit 1) */
	{
		char *o = NULL, bad[2048];
		char *hash;

		assert_int_equal(server_cli(&srv, &o, (const char *[]){"verify", text, NULL}), 0);
		free(o);
		assert_int_equal(server_cli(&srv, &o, (const char *[]){"verify", png, NULL}), 0);
		free(o);
		assert_int_equal(server_cli(&srv, &o, (const char *[]){"verify", file, NULL}), 0);
		free(o);
		snprintf(bad, sizeof(bad), "%s", text);
		hash = strchr(bad, '#');
		assert_non_null(hash);
		hash[20] = hash[20] == '0' ? '1' : '0';
		assert_int_equal(server_cli(&srv, &o, (const char *[]){"verify", bad, NULL}), 1);
		free(o);
	}
	/* one byte changed anywhere in the payload fails */
	{
		char *hash = strchr(text, '#');
		size_t n = strlen(text), fails = 0, tries = 0;

		assert_non_null(hash);
		for (size_t k = (size_t)(hash - text) + 1; k < n; k += 7) {
			char orig = text[k];

			text[k] = orig == 'A' ? 'B' : 'A';
			tries++;
			fails += payload_verify(text, keys, NULL, &e) != 0;
			text[k] = orig;
		}
		assert_int_equal(fails, tries);
	}
	json_decref(keys);
	json_decref(lic);
}

/* ---- verification and sanctions ---- */

static void sanction(const char *number, const char *action, json_t *body, long status,
		     const char *code)
{
	char path[128];

	snprintf(path, sizeof(path), "/api/v1/licenses/%s/%s", number, action);
	post(path, body, status, code, NULL);
}

static json_t *why(const char *reason)
{
	return json_pack("{s:s,s:s}", "reason", reason, "basis", "《行政许可法》第六十九条");
}

static void test_verify_and_sanctions(void **state)
{
	struct holder h;
	json_t *lic = issue(approved_shudian("核验状态书店", &h)), *v;
	const char *number = str(lic, "number");
	char path[128];
	struct resp r;

	(void)state;
	v = verify(number, NULL);
	assert_string_equal(str(v, "status"), "valid");
	assert_string_equal(str(v, "number"), number);
	assert_string_equal(str(json_object_get(v, "holder"), "name"), h.name);
	assert_string_equal(str(json_object_get(v, "holder"), "uscc"), h.uscc);
	assert_int_equal(json_array_size(json_object_get(v, "permits")), 2);
	assert_true(json_is_string(json_array_get(json_object_get(v, "permits"), 0)));
	assert_string_equal(str(v, "at"), TODAY);
	/* nothing personal beyond the printed license */
	{
		char *text = json_dumps(v, 0);

		assert_null(strstr(text, "13800138000"));
		assert_null(strstr(text, "310104199001011"));
		free(text);
	}
	assert_null(json_object_get(json_object_get(v, "holder"), "legal_rep"));
	json_decref(v);

	/* who may: a supervisor of a department owning one of the permits */
	as("applicant");
	sanction(number, "suspend", why("检查发现问题"), 403, "forbidden");
	as("supervisor"); /* 区市场监管局: owns neither permit */
	sanction(number, "suspend", why("检查发现问题"), 403, "wrong_department");
	as("supervisor_whlyj");
	/* a valid license cannot be reinstated */
	sanction(number, "reinstate", why("整改完毕"), 409, "invalid_state");
	sanction(number, "suspend", json_pack("{s:s}", "basis", "某法"), 400, "reason_required");
	sanction(number, "suspend", json_pack("{s:s,s:s}", "reason", "  ", "basis", "某法"), 400,
		 "reason_required");
	sanction(number, "suspend", json_pack("{s:s}", "reason", "理由"), 400, "basis_required");
	sanction(number, "suspend",
		 json_pack("{s:s,s:s,s:s}", "reason", "理由", "basis", "某法", "extra", "x"), 400,
		 "unknown_field");
	v = verify(number, NULL);
	assert_string_equal(str(v, "status"), "valid");
	json_decref(v);

	as("supervisor_whlyj");
	sanction(number, "suspend", why("超范围经营，责令整改"), 200, NULL);
	sanction(number, "suspend", why("再次暂停"), 409, "invalid_state");
	v = verify(number, NULL);
	assert_string_equal(str(v, "status"), "suspended");
	assert_string_equal(str(v, "reason"), "超范围经营，责令整改");
	assert_true(str(v, "at")[0] != '\0');
	json_decref(v);
	/* the holder is told */
	as("applicant");
	snprintf(path, sizeof(path), "/api/v1/licenses/%s", number);
	get(path, 200, &r);
	assert_string_equal(str(json_object_get(r.json, "license"), "status"), "suspended");
	assert_string_equal(str(json_object_get(r.json, "license"), "status_basis"),
			    "《行政许可法》第六十九条");
	resp_free(&r);

	as("supervisor_lhsrj"); /* the other department may act too */
	sanction(number, "reinstate", why("整改完毕"), 200, NULL);
	v = verify(number, NULL);
	assert_string_equal(str(v, "status"), "valid");
	json_decref(v);
	as("supervisor_lhsrj");
	sanction(number, "revoke", why("以欺骗手段取得许可"), 200, NULL);
	sanction(number, "reinstate", why("恢复"), 409, "invalid_state");
	sanction(number, "suspend", why("暂停"), 409, "invalid_state");
	v = verify(number, NULL);
	assert_string_equal(str(v, "status"), "revoked");
	assert_string_equal(str(v, "reason"), "以欺骗手段取得许可");
	json_decref(v);
	/* every change is one event, in order */
	{
		char sql[256];

		snprintf(sql, sizeof(sql),
			 "SELECT count(*) FROM license_events WHERE number = '%s' AND kind IN "
			 "('suspend', 'reinstate', 'revoke')",
			 number);
		assert_int_equal(server_sql_long(&srv, sql), 3);
	}
	/* verify of unknown numbers */
	as(NULL);
	http_req(&srv, "GET", "/api/v1/licenses/XK-310104-2026-999999/verify", NULL, NULL, 0, NULL,
		 &r);
	assert_error(&r, 404, "license_not_found", "*");
	resp_free(&r);
	json_decref(lic);
}

/* A new version through the store (as the lifecycle writes one): the old
 * version verifies as superseded and names its successor. */
static void test_superseded(void **state)
{
	struct holder h;
	json_t *lic = issue(approved_shudian("换发新版书店", &h)), *v;
	const char *number = str(lic, "number");
	struct store_license old, next;
	struct store *st;
	struct store_conn *c;
	struct yerr e = {0};
	char url[700], eid[LICENSE_EID_SIZE];
	struct license_no no;

	(void)state;
	if (srv.db_url[0])
		snprintf(url, sizeof(url), "%s", srv.db_url);
	else
		snprintf(url, sizeof(url), "%s/yiye.db", srv.dir);
	assert_int_equal(store_open(&st, url, 1, NULL, &e), 0);
	assert_int_equal(store_acquire(st, &c, &e), 0);
	assert_int_equal(store_begin(c, &e), 0);
	assert_int_equal(store_license_get(c, "310104", number, 0, true, &old, &e), 0);
	assert_int_equal(license_number_parse(number, &no, &e), 0);
	assert_int_equal(license_eid_build("310104", no.year, no.serial, 2, eid, sizeof(eid), &e),
			 0);
	next = old;
	next.version = 2;
	next.application_id = 0;
	snprintf(next.eid, sizeof(next.eid), "%s", eid);
	next.issued_at = 0;
	assert_int_equal(store_license_insert(c, "310104", &next, 0, "test", 1767225600, &e), 0);
	/* version 2 again: the current version is 2 now */
	next.version = 2;
	assert_int_not_equal(store_license_insert(c, "310104", &next, 0, "test", 1767225600, &e),
			     0);
	store_rollback(c);
	assert_int_equal(store_begin(c, &e), 0);
	next.version = 2;
	assert_int_equal(store_license_insert(c, "310104", &next, 0, "test", 1767225600, &e), 0);
	assert_int_equal(store_commit(c, &e), 0);
	store_release(c);
	store_close(st);
	store_license_free(&old); /* next shared its strings: freed once */

	v = verify(number, "?version=1");
	assert_string_equal(str(v, "status"), "superseded");
	assert_int_equal(json_integer_value(json_object_get(v, "superseded_by")), 2);
	assert_non_null(strstr(str(v, "reason"), "2"));
	json_decref(v);
	v = verify(number, NULL);
	assert_string_equal(str(v, "status"), "valid");
	assert_int_equal(json_integer_value(json_object_get(v, "version")), 2);
	json_decref(v);
	/* a superseded version takes no sanction: only the current one does */
	as("supervisor_whlyj");
	{
		char path[128];
		struct resp r;

		snprintf(path, sizeof(path), "/api/v1/licenses/%s?version=1", number);
		get(path, 200, &r);
		assert_string_equal(str(json_object_get(r.json, "license"), "status"),
				    "superseded");
		resp_free(&r);
	}
	json_decref(lic);
}

/* A license with a term (食品经营许可, 5 years) is expired once today passes
 * valid_until, before any job marks it. Runs last: it restarts the server
 * on a later day. */
static void test_expired(void **state)
{
	struct holder h;
	json_t *lic = issue(approved_hongbei("过期测试烘焙店", &h)), *v;
	char number[LICENSE_NUMBER_SIZE];

	(void)state;
	snprintf(number, sizeof(number), "%s", str(lic, "number"));
	assert_string_equal(str(lic, "valid_until"), "2031-03-01");
	v = verify(number, NULL);
	assert_string_equal(str(v, "status"), "valid");
	json_decref(v);
	json_decref(lic);
	setenv("YIYE_TODAY", "2031-03-01", 1);
	assert_int_equal(server_restart(&srv, NULL), 0);
	v = verify(number, NULL);
	assert_string_equal(str(v, "status"), "valid"); /* the last day still counts */
	json_decref(v);
	setenv("YIYE_TODAY", "2031-03-02", 1);
	assert_int_equal(server_restart(&srv, NULL), 0);
	v = verify(number, NULL);
	assert_string_equal(str(v, "status"), "expired");
	assert_string_equal(str(v, "at"), "2031-03-02");
	assert_non_null(strstr(str(v, "reason"), "2031-03-01"));
	json_decref(v);
	/* an expired license takes no suspension */
	as("supervisor_scjgj");
	sanction(number, "suspend", why("暂停"), 409, "invalid_state");
}

static int setup(void **state)
{
	(void)state;
	setenv("YIYE_TODAY", TODAY, 1);
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
	    cmocka_unit_test(test_issue),
	    cmocka_unit_test(test_serial_never_reused),
	    cmocka_unit_test(test_read),
	    cmocka_unit_test(test_pdf_and_qr),
	    cmocka_unit_test(test_verify_and_sanctions),
	    cmocka_unit_test(test_superseded),
	    cmocka_unit_test(test_expired),
	};

	curl_global_init(CURL_GLOBAL_DEFAULT);
	return cmocka_run_group_tests(tests, setup, teardown);
}
