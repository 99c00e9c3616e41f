/*
 * test_materials.c — an application's materials through the API on both
 * backends (issue 11 §3): PDF, JPEG, PNG and OFD uploads are stored under
 * their sha256 and downloaded as attachments of the sniffed type; an
 * executable renamed .pdf is 415; a declared oversize is 413 and an
 * anonymous upload 401, both answered before a byte of the body is sent;
 * another applicant's application is 404, a material not in the notice
 * 404, an exempt one 400, a submitted application 409; a material can be
 * deleted while editable; every upload is in the history.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "harness_app.h"

static struct server srv;
static char applicant2_pw[] = "Second-Pass-2026";

static void as(const char *user)
{
	srv.cookies[0] = srv.csrf[0] = srv.bearer[0] = '\0';
	if (strcmp(user, "applicant2") == 0)
		assert_int_equal(login(&srv, user, applicant2_pw), 0);
	else if (user[0])
		assert_int_equal(login(&srv, user, demo_password(&srv, user)), 0);
}

static const char *str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

/* A seed file of the material sniffer's fuzz corpus; *n its length. */
static unsigned char *seed(const char *name, size_t *n)
{
	const char *root = getenv("YIYE_SOURCE_DIR");
	char path[4096];
	unsigned char *buf;
	FILE *f;
	long len;

	snprintf(path, sizeof(path), "%s/tests/fuzz/corpus/material/%s", root && *root ? root : ".",
		 name);
	f = fopen(path, "rb");
	if (f == NULL)
		fail_msg("cannot open %s", path);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)len + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	*n = (size_t)len;
	return buf;
}

static void sha_hex(const unsigned char *p, size_t n, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, p, n);
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", h[i]);
}

/* A 便利店 draft of the current user; *mats receives the notice's
 * non-exempt material ids (up to 16), *exempt one exempt id or "". */
static long long create_in(const char *industry, json_t *answers, char mats[16][64], size_t *nmats,
			   char exempt[64])
{
	json_t *a, *m;
	struct resp r;
	long long id;
	size_t i;

	http_json(&srv, "POST", "/api/v1/applications",
		  json_pack("{s:s,s:o}", "industry", industry, "answers", answers), &r);
	if (r.status != 201)
		fprintf(stderr, "create: %s\n", r.body);
	assert_int_equal(r.status, 201);
	a = json_object_get(r.json, "application");
	id = json_integer_value(json_object_get(a, "id"));
	resp_free(&r);
	snprintf(mats[0], 64, "/api/v1/applications/%lld", id);
	http_req(&srv, "GET", mats[0], NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	*nmats = 0;
	exempt[0] = '\0';
	json_array_foreach (
	    json_object_get(json_object_get(json_object_get(r.json, "application"), "notice"),
			    "materials"),
	    i, m) {
		if (json_is_true(json_object_get(m, "exempt")))
			snprintf(exempt, 64, "%s", str(m, "id"));
		else if (*nmats < 16)
			snprintf(mats[(*nmats)++], 64, "%s", str(m, "id"));
	}
	resp_free(&r);
	return id;
}

static long long create_draft(char mats[16][64], size_t *nmats, char exempt[64])
{
	return create_in("bianlidian", app_bianlidian_answers(), mats, nmats, exempt);
}

static void put(long long id, const char *mid, const void *body, size_t len, struct resp *r)
{
	char path[160];

	snprintf(path, sizeof(path), "/api/v1/applications/%lld/materials/%s", id, mid);
	/* The declared type is whatever the sender says; only the bytes count. */
	http_req(&srv, "PUT", path, "application/pdf", body, len, NULL, r);
}

/* Reads the answer to a raw request until its JSON body has ended (or the
 * peer closes), closes fd, copies the body out and returns the status. */
static long read_answer(int fd, char *body, size_t bodysz)
{
	char got[8192];
	size_t have = 0;
	long status = 0;

	while (have < sizeof(got) - 1) {
		ssize_t n = recv(fd, got + have, sizeof(got) - 1 - have, 0);

		if (n <= 0)
			break;
		have += (size_t)n;
		got[have] = '\0';
		if (strstr(got, "\r\n\r\n") && strstr(got, "}}"))
			break;
	}
	close(fd);
	got[have] = '\0';
	sscanf(got, "HTTP/1.%*d %ld", &status);
	snprintf(body, bodysz, "%s", strstr(got, "\r\n\r\n") ? strstr(got, "\r\n\r\n") + 4 : "");
	return status;
}

/* Sends only the headers of a PUT declaring content_length bytes and
 * returns the status of the answer, which must come without the body. */
static long headers_only_put(const char *path, long long content_length, bool with_session,
			     char *body, size_t bodysz)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)srv.port)};
	struct timeval tv = {.tv_sec = 60}; /* a hang fails the test instead of blocking it */
	char req[8192];
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	snprintf(req, sizeof(req),
		 "PUT %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/pdf\r\n"
		 "Content-Length: %lld\r\n%s%s%s%s%s\r\n",
		 path, content_length, with_session ? "Cookie: " : "",
		 with_session ? srv.cookies : "", with_session ? "\r\nX-CSRF-Token: " : "",
		 with_session ? srv.csrf : "", with_session ? "\r\n" : "");
	assert_int_equal(send(fd, req, strlen(req), 0), (ssize_t)strlen(req));
	return read_answer(fd, body, bodysz);
}

/* Sends a PUT whose chunked body (PDF bytes) runs total bytes, then reads
 * the answer's status (the limit is enforced while reading). */
static long chunked_put(const char *path, size_t total, char *body, size_t bodysz)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)srv.port)};
	struct timeval tv = {.tv_sec = 60};
	static char chunk[65536];
	char req[8192];
	size_t sent = 0;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	memset(chunk, 'x', sizeof(chunk));
	memcpy(chunk, "%PDF-1.7\n", 9);
	snprintf(req, sizeof(req),
		 "PUT %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/pdf\r\n"
		 "Transfer-Encoding: chunked\r\nCookie: %s\r\nX-CSRF-Token: %s\r\n\r\n",
		 path, srv.cookies, srv.csrf);
	assert_int_equal(send(fd, req, strlen(req), MSG_NOSIGNAL), (ssize_t)strlen(req));
	while (sent < total) {
		size_t n = total - sent < sizeof(chunk) ? total - sent : sizeof(chunk);
		char head[32];

		snprintf(head, sizeof(head), "%zx\r\n", n);
		if (send(fd, head, strlen(head), MSG_NOSIGNAL) < 0 ||
		    send(fd, chunk, n, MSG_NOSIGNAL) < 0 || send(fd, "\r\n", 2, MSG_NOSIGNAL) < 0)
			break; /* the server may stop reading once it has answered */
		sent += n;
	}
	send(fd, "0\r\n\r\n", 5, MSG_NOSIGNAL);
	return read_answer(fd, body, bodysz);
}

static void test_upload_download(void **state)
{
	static const char *const files[] = {"min.pdf", "min.jpg", "min.png", "min.ofd"};
	static const char *const types[] = {"pdf", "jpg", "png", "ofd"};
	static const char *const mimes[] = {"application/pdf", "image/jpeg", "image/png",
					    "application/ofd"};
	char mats[16][64], exempt[64], hex[65], path[1200], h[256];
	size_t nmats, len;
	struct resp r;
	struct stat sb;
	long long id;

	(void)state;
	as("applicant");
	id = create_draft(mats, &nmats, exempt);
	assert_true(nmats >= 4);
	for (int i = 0; i < 4; i++) {
		unsigned char *bytes = seed(files[i], &len);
		json_t *m;

		put(id, mats[i], bytes, len, &r);
		if (r.status != 200)
			fprintf(stderr, "put %s: %s\n", files[i], r.body);
		assert_int_equal(r.status, 200);
		m = json_object_get(r.json, "material");
		sha_hex(bytes, len, hex);
		assert_string_equal(str(m, "sha256"), hex);
		assert_string_equal(str(m, "type"), types[i]);
		assert_int_equal(json_integer_value(json_object_get(m, "size")), len);
		resp_free(&r);
		/* the file on disk has the sha256 name and the same bytes */
		snprintf(path, sizeof(path), "%s/materials/%.2s/%s", srv.dir, hex, hex + 2);
		assert_int_equal(stat(path, &sb), 0);
		assert_int_equal(sb.st_size, len);

		snprintf(path, sizeof(path), "/api/v1/applications/%lld/materials/%s", id, mats[i]);
		http_req(&srv, "GET", path, NULL, NULL, 0, NULL, &r);
		assert_int_equal(r.status, 200);
		assert_int_equal(r.len, len);
		assert_memory_equal(r.body, bytes, len);
		assert_int_equal(resp_header(&r, "Content-Type", h, sizeof(h)), 0);
		assert_string_equal(h, mimes[i]);
		assert_int_equal(resp_header(&r, "Content-Disposition", h, sizeof(h)), 0);
		assert_true(strncmp(h, "attachment", 10) == 0);
		assert_int_equal(resp_header(&r, "X-Content-Type-Options", h, sizeof(h)), 0);
		assert_string_equal(h, "nosniff");
		resp_free(&r);
		free(bytes);
	}
	/* nothing is left in the upload directory */
	snprintf(path, sizeof(path), "%s/materials/tmp", srv.dir);
	assert_int_equal(rmdir(path), 0);

	/* the application lists them; the history has each upload */
	snprintf(path, sizeof(path), "/api/v1/applications/%lld", id);
	http_req(&srv, "GET", path, NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	{
		json_t *a = json_object_get(r.json, "application"), *v;
		size_t i, uploads = 0;

		assert_int_equal(json_array_size(json_object_get(a, "materials")), 4);
		json_array_foreach (json_object_get(a, "timeline"), i, v)
			uploads += strcmp(str(v, "action"), "material_upload") == 0;
		assert_int_equal(uploads, 4);
	}
	resp_free(&r);

	/* the same bytes under another id share one blob; a re-upload replaces */
	{
		unsigned char *pdf = seed("min.pdf", &len);
		char first[65];

		sha_hex(pdf, len, first);
		put(id, mats[4 < nmats ? 4 : 1], pdf, len, &r);
		assert_int_equal(r.status, 200);
		assert_string_equal(str(json_object_get(r.json, "material"), "sha256"), first);
		resp_free(&r);
		free(pdf);
	}

	/* each upload is audited */
	as("auditor");
	http_req(&srv, "GET", "/api/v1/audit?action=application.material_upload&limit=100", NULL,
		 NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	{
		char want[64];
		json_t *it;
		size_t i, n = 0;

		snprintf(want, sizeof(want), "application:%lld", id);
		json_array_foreach (json_object_get(r.json, "items"), i, it)
			n += strcmp(str(it, "object"), want) == 0 &&
			     strcmp(str(it, "outcome"), "ok") == 0;
		assert_int_equal(n, 5);
	}
	resp_free(&r);
	as("applicant");

	/* delete while editable */
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/materials/%s", id, mats[3]);
	http_req(&srv, "DELETE", path, NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	resp_free(&r);
	http_req(&srv, "GET", path, NULL, NULL, 0, NULL, &r);
	assert_error(&r, 404, "material_not_uploaded", NULL);
	resp_free(&r);
	http_req(&srv, "DELETE", path, NULL, NULL, 0, NULL, &r);
	assert_error(&r, 404, "material_not_uploaded", NULL);
	resp_free(&r);
}

static void test_refusals(void **state)
{
	char mats[16][64], exempt[64], path[200], body[4096];
	unsigned char *elf, *pdf;
	size_t nmats, elen, plen;
	struct resp r;
	long long id;

	(void)state;
	elf = seed("elf.pdf", &elen);
	pdf = seed("min.pdf", &plen);
	as("applicant");
	id = create_draft(mats, &nmats, exempt);

	/* an executable named .pdf, an empty body, a ZIP that is no OFD */
	put(id, mats[0], elf, elen, &r);
	assert_error(&r, 415, "unsupported_material_type", "body");
	resp_free(&r);
	put(id, mats[0], "", 0, &r);
	assert_error(&r, 415, "unsupported_material_type", "body");
	resp_free(&r);
	put(id, mats[0], "<html><script>alert(1)</script></html>", 38, &r);
	assert_error(&r, 415, "unsupported_material_type", "body");
	resp_free(&r);

	/* not in the notice; exempt (免于提交) */
	put(id, "M_no_such_material", pdf, plen, &r);
	assert_error(&r, 404, "material_not_in_notice", "material_id");
	resp_free(&r);
	if (exempt[0]) {
		put(id, exempt, pdf, plen, &r);
		assert_error(&r, 400, "material_exempt", "material_id");
		resp_free(&r);
	}

	/* over the limit, declared: 413 from the headers, the body never sent */
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/materials/%s", id, mats[0]);
	assert_int_equal(headers_only_put(path, 20LL << 20, true, body, sizeof(body)), 413);
	assert_non_null(strstr(body, "payload_too_large"));
	/* anonymous: 401 before the body */
	assert_int_equal(headers_only_put(path, 1LL << 20, false, body, sizeof(body)), 401);
	/* over the limit, chunked (no length declared): 413 once it passes the
	 * limit, the part received discarded; just at the limit it is judged */
	assert_int_equal(chunked_put(path, (10u << 20) + 1, body, sizeof(body)), 413);
	assert_non_null(strstr(body, "payload_too_large"));
	assert_int_equal(chunked_put(path, 10u << 20, body, sizeof(body)), 200);
	{
		char tmp[300];

		snprintf(tmp, sizeof(tmp), "%s/materials/tmp", srv.dir);
		assert_int_equal(rmdir(tmp), 0); /* empty: nothing left behind */
	}
	http_req(&srv, "DELETE", path, NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	resp_free(&r);
	/* just under the limit is accepted from the headers: the same request
	 * then waits for its body (not tested: it would need the 10 MiB) */

	/* another applicant: 404 like a missing id, also before the body */
	as("applicant2");
	put(id, mats[0], pdf, plen, &r);
	assert_error(&r, 404, "application_not_found", NULL);
	resp_free(&r);
	http_req(&srv, "GET", path, NULL, NULL, 0, NULL, &r);
	assert_error(&r, 404, "application_not_found", NULL);
	resp_free(&r);

	/* a role that may not edit applications: 403 */
	as("reviewer");
	put(id, mats[0], pdf, plen, &r);
	assert_int_equal(r.status, 403);
	resp_free(&r);

	/* nothing above wrote a row */
	as("applicant");
	http_req(&srv, "GET", path, NULL, NULL, 0, NULL, &r);
	assert_error(&r, 404, "material_not_uploaded", NULL);
	resp_free(&r);

	/* a write that fails half-way (the database locked past the busy
	 * timeout, after the file is durable): 503, and no row */
	if (srv.db_url[0] == '\0') {
		struct sqlite3 *db = hold_write_lock(&srv);

		put(id, mats[0], pdf, plen, &r);
		release_write_lock(db);
		assert_int_equal(r.status, 503);
		resp_free(&r);
		http_req(&srv, "GET", path, NULL, NULL, 0, NULL, &r);
		assert_error(&r, 404, "material_not_uploaded", NULL);
		resp_free(&r);
	}
	free(elf);
	free(pdf);
}

/* Uploads every material, fills every required field and submits. */
static void submit_all(long long id, char mats[16][64], size_t nmats)
{
	json_t *form = json_object(), *a, *f;
	unsigned char *pdf;
	char path[200];
	struct resp r, g;
	size_t plen, i;

	pdf = seed("min.pdf", &plen);
	for (i = 0; i < nmats; i++) {
		put(id, mats[i], pdf, plen, &r);
		assert_int_equal(r.status, 200);
		resp_free(&r);
	}
	free(pdf);
	snprintf(path, sizeof(path), "/api/v1/applications/%lld", id);
	http_req(&srv, "GET", path, NULL, NULL, 0, NULL, &g);
	a = json_object_get(g.json, "application");
	json_array_foreach (json_object_get(json_object_get(a, "notice"), "fields"), i, f)
		if (json_is_true(json_object_get(f, "required")))
			json_object_set_new(form, str(f, "id"), app_field_value(f, 4343));
	http_json(&srv, "PATCH", path,
		  json_pack("{s:o,s:I}", "form", form, "version",
			    json_integer_value(json_object_get(a, "version"))),
		  &r);
	assert_int_equal(r.status, 200);
	resp_free(&r);
	resp_free(&g);
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/submit", id);
	http_req(&srv, "POST", path, NULL, NULL, 0, NULL, &r);
	if (r.status != 200)
		fprintf(stderr, "submit: %s\n", r.body);
	assert_int_equal(r.status, 200);
	resp_free(&r);
}

static void test_wrong_state(void **state)
{
	char mats[16][64], exempt[64], path[200];
	unsigned char *pdf;
	size_t nmats, plen;
	struct resp r;
	long long id;

	(void)state;
	pdf = seed("min.pdf", &plen);
	as("applicant");
	id = create_draft(mats, &nmats, exempt);
	submit_all(id, mats, nmats);

	/* submitted: no more edits */
	put(id, mats[0], pdf, plen, &r);
	assert_error(&r, 409, "invalid_state", "status");
	assert_string_equal(str(json_object_get(r.json, "error"), "status"), "submitted");
	resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/materials/%s", id, mats[0]);
	http_req(&srv, "DELETE", path, NULL, NULL, 0, NULL, &r);
	assert_error(&r, 409, "invalid_state", "status");
	resp_free(&r);
	/* but still downloadable, by the owner and by the window */
	http_req(&srv, "GET", path, NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	resp_free(&r);
	as("clerk");
	http_req(&srv, "GET", path, NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.len, plen);
	resp_free(&r);
	free(pdf);
}

/* Downloads material mid of id as the current user; the status. */
static long get_status(long long id, const char *mid)
{
	char path[200];
	struct resp r;
	long st;

	snprintf(path, sizeof(path), "/api/v1/applications/%lld/materials/%s", id, mid);
	http_req(&srv, "GET", path, NULL, NULL, 0, NULL, &r);
	st = r.status;
	if (st == 404)
		assert_error(&r, 404, "material_not_in_notice", "material_id");
	resp_free(&r);
	return st;
}

/* 网吧 with food: 食品经营许可 (scjgj, reviewer), 网吧经营许可 (whlyj,
 * reviewer2), 消防 (xfzd). Each reviewer downloads the materials of their
 * own permits (and those no permit claims), never another department's. */
static void test_department_view(void **state)
{
	char mats[16][64], exempt[64];
	size_t nmats;
	long long id;

	(void)state;
	as("applicant");
	id = create_in("wangba",
		       json_pack("{s:b,s:b,s:b}", "q_food", 1, "q_food_made", 1, "q_sign", 0), mats,
		       &nmats, exempt);
	submit_all(id, mats, nmats);
	as("reviewer"); /* scjgj */
	assert_int_equal(get_status(id, "M_food_safety_rules"), 200);
	assert_int_equal(get_status(id, "M_netcafe_security"), 404);
	assert_int_equal(get_status(id, "M_application_form"), 200);
	as("reviewer2"); /* whlyj */
	assert_int_equal(get_status(id, "M_netcafe_security"), 200);
	assert_int_equal(get_status(id, "M_food_safety_rules"), 404);
	as("applicant");
	assert_int_equal(get_status(id, "M_netcafe_security"), 200);
	assert_int_equal(get_status(id, "M_food_safety_rules"), 200);
}

/* The caller's user id (GET /api/v1/me). */
static long long my_id(void)
{
	struct resp r;
	long long id;

	http_req(&srv, "GET", "/api/v1/me", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	id = json_integer_value(json_object_get(r.json, "id"));
	resp_free(&r);
	return id;
}

/* Inspection photos: an inspector of a department the appointment needs
 * uploads them while the application is in inspection; they are materials
 * of the application ("inspection/<department>/<n>"), downloadable by
 * whoever sees the application. */
static void test_inspection_photos(void **state)
{
	char mats[16][64], exempt[64], path[200], h[128];
	unsigned char *jpg, *elf;
	size_t nmats, jlen, elen, i;
	struct resp r;
	long long id, insp;
	json_t *v;
	bool listed = false;

	(void)state;
	jpg = seed("min.jpg", &jlen);
	elf = seed("elf.pdf", &elen);
	as("inspector_scjgj");
	insp = my_id();
	as("applicant");
	id = create_in(
	    "hongbeidian",
	    json_pack("{s:b,s:b,s:b,s:b}", "q_cream", 1, "q_dine_in", 0, "q_drain", 0, "q_sign", 0),
	    mats, &nmats, exempt);
	submit_all(id, mats, nmats);
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/inspection/scjgj/photos/1", id);
	/* only inspectors; only once the appointment exists */
	http_req(&srv, "PUT", path, "image/jpeg", (const char *)jpg, jlen, NULL, &r);
	assert_int_equal(r.status, 403);
	resp_free(&r);
	as("clerk");
	snprintf(h, sizeof(h), "/api/v1/applications/%lld/accept", id);
	http_req(&srv, "POST", h, NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	resp_free(&r);
	as("inspector_scjgj");
	http_req(&srv, "PUT", path, "image/jpeg", (const char *)jpg, jlen, NULL, &r);
	assert_error(&r, 409, "invalid_state", "status");
	resp_free(&r);
	snprintf(h, sizeof(h), "/api/v1/applications/%lld/inspection", id);
	http_json(&srv, "POST", h, json_pack("{s:s,s:[I]}", "at", "2099-06-01", "inspectors", insp),
		  &r);
	if (r.status != 200)
		fprintf(stderr, "schedule: %s\n", r.body);
	assert_int_equal(r.status, 200);
	resp_free(&r);

	/* judged by content; numbered 1..32; one's own department only */
	http_req(&srv, "PUT", path, "image/jpeg", (const char *)elf, elen, NULL, &r);
	assert_error(&r, 415, "unsupported_material_type", "body");
	resp_free(&r);
	snprintf(h, sizeof(h), "/api/v1/applications/%lld/inspection/scjgj/photos/33", id);
	http_req(&srv, "PUT", h, "image/jpeg", (const char *)jpg, jlen, NULL, &r);
	assert_error(&r, 404, "photo_not_found", "n");
	resp_free(&r);
	snprintf(h, sizeof(h), "/api/v1/applications/%lld/inspection/xfzd/photos/1", id);
	http_req(&srv, "PUT", h, "image/jpeg", (const char *)jpg, jlen, NULL, &r);
	assert_error(&r, 403, "wrong_department", "department");
	resp_free(&r);
	http_req(&srv, "PUT", path, "image/jpeg", (const char *)jpg, jlen, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(str(json_object_get(r.json, "material"), "material_id"),
			    "inspection/scjgj/1");
	assert_string_equal(str(json_object_get(r.json, "material"), "type"), "jpg");
	resp_free(&r);

	/* a material of the application, downloadable as an attachment */
	as("applicant");
	http_req(&srv, "GET", path, NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.len, jlen);
	assert_int_equal(resp_header(&r, "Content-Type", h, sizeof(h)), 0);
	assert_string_equal(h, "image/jpeg");
	assert_int_equal(resp_header(&r, "Content-Disposition", h, sizeof(h)), 0);
	assert_true(strncmp(h, "attachment", 10) == 0);
	resp_free(&r);
	snprintf(h, sizeof(h), "/api/v1/applications/%lld", id);
	http_req(&srv, "GET", h, NULL, NULL, 0, NULL, &r);
	json_array_foreach (json_object_get(json_object_get(r.json, "application"), "materials"), i,
			    v)
		listed |= strcmp(json_string_value(v), "inspection/scjgj/1") == 0;
	assert_true(listed);
	resp_free(&r);
	as("applicant2");
	http_req(&srv, "GET", path, NULL, NULL, 0, NULL, &r);
	assert_error(&r, 404, "application_not_found", NULL);
	resp_free(&r);
	free(jpg);
	free(elf);
}

#define UPLOAD_BURST 6

static pthread_mutex_t answered_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t answered_cv = PTHREAD_COND_INITIALIZER;
static int answered_busy;

struct upload_call {
	struct server copy;
	const char *path;
	const unsigned char *body;
	size_t len;
	pthread_barrier_t *go;
	long status;
	char retry_after[16];
	char code[32];
};

static void *upload_thread(void *arg)
{
	struct upload_call *u = arg;
	struct resp r;

	u->copy.curl = curl_easy_init();
	pthread_barrier_wait(u->go);
	if (http_req(&u->copy, "PUT", u->path, "application/pdf", (const char *)u->body, u->len,
		     NULL, &r) == 0) {
		u->status = r.status;
		resp_header(&r, "Retry-After", u->retry_after, sizeof(u->retry_after));
		snprintf(u->code, sizeof(u->code), "%s",
			 r.json ? str(json_object_get(r.json, "error"), "code") : "");
	}
	pthread_mutex_lock(&answered_mu);
	answered_busy += u->status == 503;
	pthread_cond_broadcast(&answered_cv);
	pthread_mutex_unlock(&answered_mu);
	resp_free(&r);
	curl_easy_cleanup(u->copy.curl);
	return NULL;
}

/* The upload class is bounded (docs/development.md, "Threads"): with one
 * upload at a time and none waiting, and that one held in its transaction
 * by a writer holding the database, every other upload answers 503 busy
 * with Retry-After at once — never a wait behind it. SQLite only: the lock
 * is held through a second connection to the file. */
static void test_upload_busy(void **state)
{
	const char *args[] = {"--upload-queue", "0", NULL};
	struct upload_call u[UPLOAD_BURST];
	pthread_t t[UPLOAD_BURST];
	pthread_barrier_t go;
	char mats[16][64], exempt[64], path[200];
	unsigned char *pdf;
	struct server busy;
	struct sqlite3 *db;
	size_t nmats, plen;
	long long bid;
	int ok = 0, refused = 0;

	(void)state;
	if (srv.db_url[0])
		skip();
	setenv("YIYE_UPLOAD_WORKERS", "1", 1);
	setenv("YIYE_BUSY_TIMEOUT_MS", "120000", 1);
	assert_int_equal(server_start(&busy, 1, args), 0);
	unsetenv("YIYE_UPLOAD_WORKERS");
	unsetenv("YIYE_BUSY_TIMEOUT_MS");
	{
		struct server keep = srv;

		srv = busy; /* the helpers talk to srv */
		as("applicant");
		busy = srv;
		bid = create_draft(mats, &nmats, exempt);
		srv = keep;
	}
	snprintf(path, sizeof(path), "/api/v1/applications/%lld/materials/%s", bid, mats[0]);
	pdf = seed("min.pdf", &plen);
	db = hold_write_lock(&busy);
	pthread_barrier_init(&go, NULL, UPLOAD_BURST + 1);
	for (int i = 0; i < UPLOAD_BURST; i++) {
		memset(&u[i], 0, sizeof(u[i]));
		u[i].copy = busy;
		u[i].path = path;
		u[i].body = pdf;
		u[i].len = plen;
		u[i].go = &go;
		assert_int_equal(pthread_create(&t[i], NULL, upload_thread, &u[i]), 0);
	}
	pthread_barrier_wait(&go);
	/* All but the one holding the class answer while the lock is held
	 * (were any of them waiting for it, this would not return). */
	pthread_mutex_lock(&answered_mu);
	while (answered_busy < UPLOAD_BURST - 1)
		pthread_cond_wait(&answered_cv, &answered_mu);
	pthread_mutex_unlock(&answered_mu);
	release_write_lock(db);
	for (int i = 0; i < UPLOAD_BURST; i++) {
		pthread_join(t[i], NULL);
		if (u[i].status == 200) {
			ok++;
			continue;
		}
		assert_int_equal(u[i].status, 503);
		assert_string_equal(u[i].code, "busy");
		assert_true(atoi(u[i].retry_after) >= 1);
		refused++;
	}
	pthread_barrier_destroy(&go);
	assert_int_equal(ok, 1);
	assert_int_equal(refused, UPLOAD_BURST - 1);
	free(pdf);
	server_stop(&busy, 0);
}

static int setup(void **state)
{
	(void)state;
	if (sodium_init() < 0 || server_start(&srv, 1, NULL) != 0)
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
	    cmocka_unit_test(test_upload_download),   cmocka_unit_test(test_refusals),
	    cmocka_unit_test(test_wrong_state),       cmocka_unit_test(test_department_view),
	    cmocka_unit_test(test_inspection_photos), cmocka_unit_test(test_upload_busy),
	};

	curl_global_init(CURL_GLOBAL_DEFAULT);
	return cmocka_run_group_tests(tests, setup, teardown);
}
