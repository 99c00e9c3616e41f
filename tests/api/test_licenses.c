/*
 * test_licenses.c — the comprehensive license (issue 12; docs/api-licenses.md):
 * issuance of an approved application and its refusals, serials never
 * reused (also four issuers at once), a failed issuance leaving nothing
 * behind, reading it as the holder, another applicant and staff, the
 * archived PDF (pdftotext) and the QR code (zbarimg, then the offline
 * verification of its signed payload with payload_verify and yiye verify).
 * The statuses are in test_license_status.c.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/canon.h"
#include "core/license.h"
#include "core/payload.h"
#include "harness_app.h"
#include "harness_license.h"
#include "store/store_license.h"

static struct server srv;
static char applicant2_pw[] = "Second-Pass-2026";

static void as(const char *user)
{
	if (user != NULL && strcmp(user, "applicant2") == 0) {
		srv.cookies[0] = srv.csrf[0] = srv.bearer[0] = '\0';
		assert_int_equal(login(&srv, user, applicant2_pw), 0);
	} else {
		lic_as(&srv, user);
	}
}

#define str lic_str

static void post(const char *path, json_t *body, long status, const char *code, struct resp *out)
{
	lic_post(&srv, path, body, status, code, out);
}

static void get(const char *path, long status, struct resp *out)
{
	lic_get(&srv, path, status, out);
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
	struct lic_holder h;
	long long id = lic_approved_shudian(&srv, "徐汇示范书店有限公司", &h), other;
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
	other = lic_accepted(&srv, LIC_SHUDIAN, LIC_SHUDIAN_ANSWERS, "尚在审查的书店",
			     &(struct lic_holder){0});
	as("issuer");
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/license", other);
	post(path, NULL, 409, "invalid_state", NULL);
	snprintf(path, sizeof(path), "/api/v1/applications/999999/license");
	post(path, NULL, 404, "application_not_found", NULL);

	lic = lic_issue(&srv, id);
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
	assert_string_equal(str(lic, "valid_from"), LIC_TODAY);
	assert_string_equal(str(lic, "issued_on"), LIC_TODAY);
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
	app = lic_get_app(&srv, id);
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
	struct lic_holder h1, h2;
	long long a = lic_approved_shudian(&srv, "序号一书店", &h1),
		  b = lic_approved_shudian(&srv, "序号二书店", &h2);
	json_t *l1 = lic_issue(&srv, a), *l2 = lic_issue(&srv, b);
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

/* A write that fails half-way (the PDF cannot be stored) leaves nothing
 * behind: no license, no event, no serial taken, the application still
 * approved; once the store is back the same application is issued. */
static void test_failure_leaves_nothing(void **state)
{
	struct lic_holder h;
	long long id = lic_approved_shudian(&srv, "写入失败书店", &h);
	long events = server_sql_long(&srv, "SELECT count(*) FROM license_events");
	long serials = server_sql_long(&srv, "SELECT max(last_serial) FROM license_serials");
	long licenses = server_sql_long(&srv, "SELECT count(*) FROM licenses");
	char tmp[400], away[420], path[96];
	json_t *app, *lic;
	FILE *f;

	(void)state;
	/* the blob store's temp directory replaced by a file: nothing can be
	 * written there, not even by root */
	snprintf(tmp, sizeof(tmp), "%s/materials/tmp", srv.dir);
	snprintf(away, sizeof(away), "%s.away", tmp);
	assert_int_equal(rename(tmp, away), 0);
	f = fopen(tmp, "w");
	assert_non_null(f);
	fclose(f);
	as("issuer");
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/license", id);
	post(path, NULL, 503, "storage_unavailable", NULL);
	assert_int_equal(server_sql_long(&srv, "SELECT count(*) FROM license_events"), events);
	assert_int_equal(server_sql_long(&srv, "SELECT max(last_serial) FROM license_serials"),
			 serials);
	assert_int_equal(server_sql_long(&srv, "SELECT count(*) FROM licenses"), licenses);
	app = lic_get_app(&srv, id);
	assert_string_equal(str(app, "status"), "approved");
	json_decref(app);
	assert_int_equal(unlink(tmp), 0);
	assert_int_equal(rename(away, tmp), 0);
	lic = lic_issue(&srv, id);
	{
		struct license_no no;

		assert_int_equal(license_number_parse(str(lic, "number"), &no, NULL), 0);
		assert_int_equal(no.serial, serials + 1);
	}
	json_decref(lic);
}

/* ---- concurrency ---- */

#define RACERS 4

/* What each racer answered (shared memory). */
struct race_out {
	long status[RACERS];
	char code[RACERS][32];
	char number[RACERS][LICENSE_NUMBER_SIZE];
};

/* RACERS processes, each logged in as the issuer, released together to POST
 * paths[k]. */
static void race_issue(char (*paths)[96], struct race_out *out)
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
			const char *code, *number;

			close(ready[0]);
			close(go[1]);
			mine.curl = curl_easy_init();
			mine.cookies[0] = mine.csrf[0] = mine.bearer[0] = '\0';
			if (login(&mine, "issuer", demo_password(&srv, "issuer")) < 0)
				_exit(1);
			if (write(ready[1], "r", 1) != 1 || read(go[0], &byte, 1) != 0)
				_exit(1);
			http_req(&mine, "POST", paths[k], NULL, NULL, 0, NULL, &r);
			out->status[k] = r.status;
			code = json_string_value(
			    json_object_get(json_object_get(r.json, "error"), "code"));
			number = json_string_value(
			    json_object_get(json_object_get(r.json, "license"), "number"));
			snprintf(out->code[k], 32, "%s", code ? code : "");
			snprintf(out->number[k], LICENSE_NUMBER_SIZE, "%s", number ? number : "");
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

/* Four issuances at once, of four applications: four numbers, consecutive,
 * none twice; four at once of one application: one license. */
static void test_concurrent_issuers(void **state)
{
	struct race_out *out =
	    mmap(NULL, sizeof(*out), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char paths[RACERS][96];
	long serials[RACERS], base = server_sql_long(&srv, "SELECT max(last_serial) FROM "
							   "license_serials");
	int ok = 0, lost = 0;
	long long id;

	(void)state;
	assert_true(out != MAP_FAILED);
	for (int k = 0; k < RACERS; k++) {
		char name[64];
		struct lic_holder h;

		snprintf(name, sizeof(name), "并发发证书店%d", k);
		snprintf(paths[k], sizeof(paths[k]), "/api/v1/applications/%lld/license",
			 lic_approved_shudian(&srv, name, &h));
	}
	race_issue(paths, out);
	for (int k = 0; k < RACERS; k++) {
		struct license_no no;

		if (out->status[k] != 201)
			fprintf(stderr, "racer %d: %ld %s\n", k, out->status[k], out->code[k]);
		assert_int_equal(out->status[k], 201);
		assert_int_equal(license_number_parse(out->number[k], &no, NULL), 0);
		serials[k] = no.serial;
		for (int j = 0; j < k; j++)
			assert_true(serials[j] != serials[k]);
		assert_true(no.serial > base && no.serial <= base + RACERS);
	}
	assert_int_equal(server_sql_long(&srv, "SELECT max(last_serial) FROM license_serials"),
			 base + RACERS);
	/* one application, four issuers */
	id = lic_approved_shudian(&srv, "同时发证书店", &(struct lic_holder){0});
	for (int k = 0; k < RACERS; k++)
		snprintf(paths[k], sizeof(paths[k]), "/api/v1/applications/%lld/license", id);
	race_issue(paths, out);
	for (int k = 0; k < RACERS; k++) {
		ok += out->status[k] == 201;
		lost += out->status[k] == 409 && strcmp(out->code[k], "invalid_state") == 0;
	}
	assert_int_equal(ok, 1);
	assert_int_equal(lost, RACERS - 1);
	{
		char sql[128];

		snprintf(sql, sizeof(sql),
			 "SELECT count(*) FROM licenses WHERE application_id = %lld", id);
		assert_int_equal(server_sql_long(&srv, sql), 1);
	}
	munmap(out, sizeof(*out));
}

/* ---- reading ---- */

static void test_read(void **state)
{
	struct lic_holder h;
	json_t *lic = lic_issue(&srv, lic_approved_shudian(&srv, "读取测试书店", &h));
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
	struct lic_holder h;
	json_t *lic = lic_issue(&srv, lic_approved_shudian(&srv, "二维码核验书店", &h)), *keys, *p;
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

static int setup(void **state)
{
	(void)state;
	setenv("YIYE_TODAY", LIC_TODAY, 1);
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
	    cmocka_unit_test(test_failure_leaves_nothing),
	    cmocka_unit_test(test_concurrent_issuers),
	    cmocka_unit_test(test_read),
	    cmocka_unit_test(test_pdf_and_qr),
	};

	curl_global_init(CURL_GLOBAL_DEFAULT);
	return cmocka_run_group_tests(tests, setup, teardown);
}
