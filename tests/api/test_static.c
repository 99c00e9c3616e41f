/*
 * test_static.c — content negotiation of the web UI's files (src/http/static.c).
 *
 * The server is pointed (--web) at a small directory this test writes: files
 * with build-time `.br` / `.gz` copies, one without, and one whose copy is not
 * smaller. The copies hold recognisable bytes rather than real compressed
 * data: the server never decodes them, it only chooses which bytes to send,
 * and that choice (by Accept-Encoding and its q-values) is what is tested,
 * with the headers that must go with it (Content-Encoding, Vary, ETag) and
 * HEAD and conditional requests.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"

static struct server srv;
static char web[256];

static char page[4096]; /* index.html: large enough that its copies are smaller */
static const char page_br[] = "BROTLI-COPY-OF-INDEX";
static const char page_gz[] = "GZIP-COPY-OF-INDEX";

static void put(const char *rel, const char *data, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", web, rel);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

static int setup(void **state)
{
	const char *args[] = {"--web", web, NULL};
	char js[2048], assets[300];

	(void)state;
	snprintf(web, sizeof(web), "%s/yiye-static-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(web) == NULL)
		return -1;
	snprintf(assets, sizeof(assets), "%s/assets", web);
	if (mkdir(assets, 0700) < 0)
		return -1;
	memset(page, 0, sizeof(page));
	strcpy(page, "<!doctype html><html><body>");
	memset(page + strlen(page), 'x', sizeof(page) - strlen(page) - 16);
	strcat(page, "</body></html>");
	put("index.html", page, strlen(page));
	put("index.html.br", page_br, strlen(page_br));
	put("index.html.gz", page_gz, strlen(page_gz));
	memset(js, 'j', sizeof(js));
	put("assets/app-1.js", js, sizeof(js));
	put("assets/app-1.js.gz", "GZ-APP", 6); /* no brotli copy */
	put("assets/plain-1.css", "body{}", 6); /* no copy at all */
	put("assets/tiny-1.js", "x=1", 3);
	put("assets/tiny-1.js.br", "longer than the file", 20); /* ignored */
	return server_start(&srv, 0, args);
}

static int teardown(void **state)
{
	char cmd[400];

	(void)state;
	server_stop(&srv, 0);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", web);
	return system(cmd) == 0 ? 0 : -1;
}

/* GET (or HEAD) path with the given Accept-Encoding (NULL: none sent). */
static void get(const char *method, const char *path, const char *accept, const char *inm,
		struct resp *r)
{
	char ae[256], cond[256];
	const char *hdrs[3] = {NULL, NULL, NULL};
	int n = 0;

	if (accept) {
		snprintf(ae, sizeof(ae), "Accept-Encoding: %s", accept);
		hdrs[n++] = ae;
	}
	if (inm) {
		snprintf(cond, sizeof(cond), "If-None-Match: %s", inm);
		hdrs[n++] = cond;
	}
	assert_int_equal(http_req(&srv, method, path, NULL, NULL, 0, hdrs, r), 0);
}

/* Asserts r carries `coding` ("" = identity) and the matching bytes. */
static void assert_coding(const struct resp *r, const char *coding, const char *body, size_t len)
{
	char v[256];

	assert_int_equal(r->status, 200);
	resp_header(r, "Content-Encoding", v, sizeof(v));
	assert_string_equal(v, coding);
	assert_int_equal(r->len, len);
	assert_memory_equal(r->body, body, len);
}

static void test_negotiation(void **state)
{
	static const struct {
		const char *accept; /* Accept-Encoding sent, NULL for none */
		const char *coding; /* expected Content-Encoding, "" for identity */
	} cases[] = {
	    {NULL, ""},
	    {"", ""},
	    {"gzip, deflate, br, zstd", "br"},
	    {"gzip", "gzip"},
	    {"GZip", "gzip"},
	    {"br", "br"},
	    {"deflate", ""},
	    {"identity", ""},
	    {"br;q=0, gzip", "gzip"},
	    {"br;q=0.2, gzip;q=0.8", "gzip"},
	    {"br;q=0.8, gzip;q=0.2", "br"},
	    {"gzip;q=1.0, br;q=0.999", "gzip"},
	    {"br ; q=0 , gzip ; q=0.5", "gzip"},
	    {"gzip;q=0", ""},
	    {"br;q=0.000, gzip;q=0.", ""},
	    {"*", "br"},
	    {"*;q=0", ""},
	    {"*;q=0.5, br;q=0", "gzip"},
	    {"br;q=0.5, identity", ""},
	    {"br;q=garbage", "br"}, /* a malformed weight is not a refusal */
	    {",,; ,br", "br"},
	};
	struct resp r;
	char v[256];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *want = cases[i].coding;

		get("GET", "/", cases[i].accept, NULL, &r);
		print_message("Accept-Encoding: %s\n",
			      cases[i].accept ? cases[i].accept : "(none)");
		if (strcmp(want, "br") == 0)
			assert_coding(&r, "br", page_br, strlen(page_br));
		else if (strcmp(want, "gzip") == 0)
			assert_coding(&r, "gzip", page_gz, strlen(page_gz));
		else
			assert_coding(&r, "", page, strlen(page));
		/* the answer depends on Accept-Encoding whatever was chosen */
		resp_header(&r, "Vary", v, sizeof(v));
		assert_string_equal(v, "Accept-Encoding");
		resp_header(&r, "Content-Type", v, sizeof(v));
		assert_string_equal(v, "text/html; charset=utf-8");
		resp_free(&r);
	}
}

static void test_partial_copies(void **state)
{
	struct resp r;
	char v[256], js[2048];

	(void)state;
	memset(js, 'j', sizeof(js));
	/* only a gzip copy: brotli-only clients get identity */
	get("GET", "/assets/app-1.js", "br", NULL, &r);
	assert_coding(&r, "", js, sizeof(js));
	resp_header(&r, "Vary", v, sizeof(v));
	assert_string_equal(v, "Accept-Encoding");
	resp_free(&r);
	get("GET", "/assets/app-1.js", "br, gzip", NULL, &r);
	assert_coding(&r, "gzip", "GZ-APP", 6);
	resp_header(&r, "Content-Type", v, sizeof(v));
	assert_string_equal(v, "text/javascript; charset=utf-8");
	resp_header(&r, "Cache-Control", v, sizeof(v));
	assert_non_null(strstr(v, "immutable"));
	resp_free(&r);
	/* no copy: no Vary, no Content-Encoding */
	get("GET", "/assets/plain-1.css", "br, gzip", NULL, &r);
	assert_coding(&r, "", "body{}", 6);
	assert_int_equal(resp_header(&r, "Vary", v, sizeof(v)), -1);
	resp_free(&r);
	/* a copy larger than the file is never sent */
	get("GET", "/assets/tiny-1.js", "br", NULL, &r);
	assert_coding(&r, "", "x=1", 3);
	resp_free(&r);
	/* the copies are not files of their own */
	get("GET", "/assets/app-1.js.gz", "gzip", NULL, &r);
	assert_int_equal(r.status, 404);
	resp_free(&r);
	get("GET", "/index.html.br", "br", NULL, &r);
	assert_int_equal(r.status, 404);
	resp_free(&r);
	/* a client-side route falls back to the page, compressed as well */
	get("GET", "/admin/tokens", "gzip, br", NULL, &r);
	assert_coding(&r, "br", page_br, strlen(page_br));
	resp_free(&r);
}

static void test_head(void **state)
{
	struct resp r;
	char v[256];

	(void)state;
	get("HEAD", "/", "gzip, br", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.len, 0);
	resp_header(&r, "Content-Encoding", v, sizeof(v));
	assert_string_equal(v, "br");
	resp_header(&r, "Content-Length", v, sizeof(v));
	assert_int_equal(atol(v), (long)strlen(page_br));
	resp_header(&r, "Vary", v, sizeof(v));
	assert_string_equal(v, "Accept-Encoding");
	resp_free(&r);
	get("HEAD", "/", NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(resp_header(&r, "Content-Encoding", v, sizeof(v)), -1);
	resp_header(&r, "Content-Length", v, sizeof(v));
	assert_int_equal(atol(v), (long)strlen(page));
	resp_free(&r);
}

/* Each representation has its own strong validator, so a cache holding the
 * brotli bytes never revalidates them for a client that cannot decode them. */
static void test_etags(void **state)
{
	struct resp r;
	char plain[64], br[64], gz[64], v[64];

	(void)state;
	get("GET", "/", NULL, NULL, &r);
	resp_header(&r, "ETag", plain, sizeof(plain));
	resp_free(&r);
	get("GET", "/", "br", NULL, &r);
	resp_header(&r, "ETag", br, sizeof(br));
	resp_free(&r);
	get("GET", "/", "gzip", NULL, &r);
	resp_header(&r, "ETag", gz, sizeof(gz));
	resp_free(&r);
	assert_true(plain[0] == '"' && br[0] == '"' && gz[0] == '"');
	assert_string_not_equal(plain, br);
	assert_string_not_equal(plain, gz);
	assert_string_not_equal(br, gz);

	get("GET", "/", "br", br, &r);
	assert_int_equal(r.status, 304);
	resp_header(&r, "Content-Encoding", v, sizeof(v));
	assert_string_equal(v, "br");
	resp_free(&r);
	get("GET", "/", "gzip", br, &r);
	assert_coding(&r, "gzip", page_gz, strlen(page_gz));
	resp_free(&r);
	get("GET", "/", NULL, br, &r);
	assert_coding(&r, "", page, strlen(page));
	resp_free(&r);
	get("GET", "/", NULL, plain, &r);
	assert_int_equal(r.status, 304);
	resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_negotiation),
	    cmocka_unit_test(test_partial_copies),
	    cmocka_unit_test(test_head),
	    cmocka_unit_test(test_etags),
	};
	return cmocka_run_group_tests_name("api.static", tests, setup, teardown);
}
