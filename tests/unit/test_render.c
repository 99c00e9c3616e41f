/*
 * test_render.c — the license's rendering (src/render/), read back with the
 * tools a reader of the license would use: pdftotext finds the holder, the
 * number, the identifier and every permit; pdftoppm + zbarimg and zbarimg on
 * the PNG give back exactly the QR text; render_qr_read_file does the same
 * in-process and refuses what is not a PNG or PDF with a QR code. Long
 * permit tables continue on a second page, the PDF is byte-for-byte the
 * same for the same input, also from four threads at once.
 *
 * pdftotext, pdftoppm and zbarimg (scripts/deps.sh test) must be on PATH:
 * a missing tool fails the test, it never skips it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <poppler.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "render/render.h"

static char dir[64];

/* A QR text of the contract's shape: status URL, '#', signed payload. */
static const char *qr_text =
    "http://127.0.0.1:8080/v/XK-310104-2026-000001#YL1.XK-310104-2026-000001.1."
    "91310104MA1FL8XX3Q.2026-12-02.2031-12-01.k20261202a."
    "pke91ZYz6172326i7diiB8iqZszv0_t5iEfoukmX7SZpP528xBGHk5eu5Q4Ncyi_RtWkFZ-sbLFKmtp5blcmVw";

/* Permits of the shipped catalog (catalog/permits.json), with their
 * departments' names and their legal bases as written there. */
static const char *const permit_rows[][3] = {
    {"食品经营许可", "区市场监管局",
     "《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》；《上海市食品安全条例"
     "》"},
    {"酒类商品零售许可", "区商务委",
     "《上海市酒类商品产销管理条例》；《上海市酒类商品经营许可和管理办法》"},
    {"烟草专卖零售许可", "区烟草专卖局",
     "《中华人民共和国烟草专卖法》第十六条；《中华人民共和国烟草专卖法实施条例》；《烟草专卖许可证"
     "管理办法》"},
    {"公众聚集场所投入使用、营业前消防安全检查", "区消防救援支队",
     "《中华人民共和国消防法》第十五条；《公众聚集场所投入使用、营业消防安全检查规则》"},
    {"药品经营许可（零售）", "区市场监管局",
     "《中华人民共和国药品管理法》第五十一条、第五十二条；《药品经营和使用质量监督管理办法》"},
    {"第二类医疗器械经营备案", "区市场监管局",
     "《医疗器械监督管理条例》第四十一条；《医疗器械经营监督管理办法》"},
    {"公共场所卫生许可", "区卫生健康委",
     "《公共场所卫生管理条例》第八条；《公共场所卫生管理条例实施细则》"},
    {"经营高危险性体育项目许可", "区体育局",
     "《全民健身条例》第三十二条、第三十三条；《经营高危险性体育项目许可管理办法》"},
    {"娱乐经营许可", "区文化旅游局", "《娱乐场所管理条例》第九条；《娱乐场所管理办法》"},
    {"出版物经营许可（零售）", "区文化旅游局",
     "《出版管理条例》第三十七条；《出版物市场管理规定》"},
    {"特种行业许可（旅馆业）", "徐汇公安分局",
     "《旅馆业治安管理办法》第四条；《上海市旅馆业治安管理办法》"},
    {"城镇污水排入排水管网许可", "区水务局",
     "《城镇排水与污水处理条例》第二十一条；《城镇污水排入排水管网许可管理办法》"},
};

/* The license document of the contract with the first n permits. */
static json_t *fixture(size_t n, int no_term)
{
	json_t *doc = json_pack(
	    "{s:s,s:s,s:s,s:i,s:{s:s,s:s,s:s},s:s,s:{s:s,s:s},s:[],s:s,s:s,s:{s:s,s:s},s:s,s:s,s:"
	    "s}",
	    "type", "行业综合许可证", "number", "XK-310104-2026-000001", "eid",
	    "31010420261202XK000001Q", "version", 1, "holder", "name", "上海徐家汇鲜果便利有限公司",
	    "uscc", "91310104MA1FL8XX3Q", "legal_rep", "张明华", "address",
	    "上海市徐汇区漕溪北路 88 号一层 102 室", "industry", "code", "bianlidian", "name",
	    "便利店", "permits", "valid_from", "2026-12-02", "valid_until", "2031-12-01", "issuer",
	    "department", "zwfwb", "name", "上海市徐汇区政务服务办公室", "issued_on", "2026-12-02",
	    "district", "310104", "kid", "k20261202a");
	json_t *permits = json_object_get(doc, "permits");

	assert_non_null(doc);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(permits, json_pack("{s:s,s:s,s:s,s:s,s:s}", "code", "P",
							 "name", permit_rows[i][0], "department",
							 "d", "department_name", permit_rows[i][1],
							 "basis", permit_rows[i][2]));
	if (no_term)
		json_object_set_new(doc, "valid_until", json_null());
	return doc;
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/yiye-render-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Fails (never skips) when a tool of scripts/deps.sh test is missing. */
static void need_tool(const char *name)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", name);
	if (system(cmd) != 0)
		fail_msg("%s is missing: install it with scripts/deps.sh test (poppler-utils, "
			 "zbar-tools)",
			 name);
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* The standard output of a shell command, malloc'd; its exit status must be 0. */
static char *run(const char *cmd)
{
	size_t cap = 1 << 16, n = 0, r;
	char *out = malloc(cap);
	FILE *p = popen(cmd, "r");

	assert_non_null(out);
	assert_non_null(p);
	while ((r = fread(out + n, 1, cap - n - 1, p)) > 0) {
		n += r;
		if (n + 1 == cap) {
			cap *= 2;
			out = realloc(out, cap);
			assert_non_null(out);
		}
	}
	out[n] = '\0';
	if (pclose(p) != 0)
		fail_msg("command failed: %s", cmd);
	return out;
}

/* s without white space: a wrapped table cell reads as one string again. */
static char *squeeze(char *s)
{
	char *w = s;

	for (char *r = s; *r; r++)
		if (*r != ' ' && *r != '\n' && *r != '\t' && *r != '\f' && *r != '\r')
			*w++ = *r;
	*w = '\0';
	return s;
}

static void trim_newline(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
}

static char *render_to(const char *name, size_t npermits, int no_term)
{
	json_t *doc = fixture(npermits, no_term);
	unsigned char *pdf;
	size_t len;
	struct yerr e = {0};
	char *path = malloc(256);

	assert_non_null(path);
	assert_int_equal(render_license_pdf(doc, qr_text, &pdf, &len, &e), 0);
	assert_true(len > 1000);
	assert_memory_equal(pdf, "%PDF-", 5);
	snprintf(path, 256, "%s/%s", dir, name);
	write_file(path, pdf, len);
	free(pdf);
	json_decref(doc);
	return path;
}

static int pdf_pages(const char *path)
{
	char uri[300];
	PopplerDocument *d;
	int n;

	snprintf(uri, sizeof(uri), "file://%s", path);
	d = poppler_document_new_from_file(uri, NULL, NULL);
	assert_non_null(d);
	n = poppler_document_get_n_pages(d);
	g_object_unref(d);
	return n;
}

/* The embedded fonts of a PDF, "NAME;" each (subset tags dropped), counted
 * by *cjk for Noto CJK faces; every font must be embedded. */
static void pdf_fonts(const char *path, char *names, size_t size, int *cjk)
{
	char uri[300];
	PopplerDocument *d;
	PopplerFontInfo *fi;
	PopplerFontsIter *it = NULL;

	snprintf(uri, sizeof(uri), "file://%s", path);
	d = poppler_document_new_from_file(uri, NULL, NULL);
	assert_non_null(d);
	fi = poppler_font_info_new(d);
	names[0] = '\0';
	*cjk = 0;
	while (poppler_font_info_scan(fi, 10, &it)) {
		if (it == NULL)
			continue;
		do {
			const char *n = poppler_fonts_iter_get_name(it);
			const char *plus = n ? strchr(n, '+') : NULL;

			assert_non_null(n);
			assert_true(poppler_fonts_iter_is_embedded(it));
			n = plus ? plus + 1 : n;
			*cjk += strstr(n, "CJK") != NULL;
			strncat(names, n, size - strlen(names) - 2);
			strcat(names, ";");
		} while (poppler_fonts_iter_next(it));
		poppler_fonts_iter_free(it);
		it = NULL;
	}
	poppler_font_info_free(fi);
	g_object_unref(d);
}

static void assert_text_has_permits(const char *path, size_t npermits)
{
	char cmd[512], *text;

	need_tool("pdftotext");
	snprintf(cmd, sizeof(cmd), "pdftotext -enc UTF-8 '%s' -", path);
	text = squeeze(run(cmd));
	assert_non_null(strstr(text, "行业综合许可证"));
	assert_non_null(strstr(text, "上海徐家汇鲜果便利有限公司"));
	assert_non_null(strstr(text, "XK-310104-2026-000001"));
	assert_non_null(strstr(text, "31010420261202XK000001Q"));
	assert_non_null(strstr(text, "91310104MA1FL8XX3Q"));
	assert_non_null(strstr(text, "上海市徐汇区政务服务办公室"));
	assert_non_null(strstr(text, "k20261202a"));
	for (size_t i = 0; i < npermits; i++) {
		char want[512];

		snprintf(want, sizeof(want), "%s", permit_rows[i][0]);
		if (strstr(text, squeeze(want)) == NULL)
			fail_msg("pdftotext does not find permit %zu %s", i + 1, permit_rows[i][0]);
		snprintf(want, sizeof(want), "%s", permit_rows[i][2]);
		if (strstr(text, squeeze(want)) == NULL)
			fail_msg("pdftotext does not find the basis of permit %zu", i + 1);
	}
	free(text);
}

static void test_pdf_text(void **state)
{
	char *path = render_to("four.pdf", 4, 0), cmd[512], *text;

	(void)state;
	assert_int_equal(pdf_pages(path), 1);
	assert_text_has_permits(path, 4);
	snprintf(cmd, sizeof(cmd), "pdftotext -enc UTF-8 '%s' -", path);
	text = squeeze(run(cmd));
	assert_non_null(strstr(text, "2026年12月2日至2031年12月1日"));
	assert_non_null(strstr(text, "张明华"));
	assert_non_null(strstr(text, "便利店"));
	assert_non_null(strstr(text, "http://127.0.0.1:8080/v/XK-310104-2026-000001"));
	assert_null(strstr(text, "YL1.")); /* the payload is in the QR code, not in the text */
	free(text);

	/* Chinese in Noto Sans CJK SC, one face only (render_pdf.c, FONT: each
	 * CJK face embedded costs cairo 1.16 about 10 ms and 50 kB), Latin in
	 * DejaVu Sans: a missing font package would otherwise print boxes. */
	{
		char fonts[512];
		int cjk;

		pdf_fonts(path, fonts, sizeof(fonts), &cjk);
		if (strstr(fonts, "NotoSansCJKsc-Regular;") == NULL ||
		    strstr(fonts, "DejaVuSans;") == NULL || cjk != 1)
			fail_msg("embedded fonts: %s", fonts);
	}
	free(path);
}

static void test_pdf_no_term(void **state)
{
	char *path = render_to("noterm.pdf", 1, 1), cmd[512], *text;

	(void)state;
	snprintf(cmd, sizeof(cmd), "pdftotext -enc UTF-8 '%s' -", path);
	text = squeeze(run(cmd));
	assert_non_null(strstr(text, "长期有效"));
	assert_null(strstr(text, "2031"));
	free(text);
	free(path);
}

/* The QR code of the PDF, rasterised as a reader would print it. */
static void test_pdf_qr_zbarimg(void **state)
{
	char *path = render_to("qr.pdf", 4, 0), cmd[768], *got;

	(void)state;
	need_tool("pdftoppm");
	need_tool("zbarimg");
	snprintf(cmd, sizeof(cmd),
		 "pdftoppm -r 150 -png -f 1 -l 1 -singlefile '%s' '%s/page' && "
		 "zbarimg --raw -q '%s/page.png' 2>/dev/null",
		 path, dir, dir);
	got = run(cmd);
	trim_newline(got);
	assert_string_equal(got, qr_text);
	free(got);
	free(path);
}

static void test_png_zbarimg(void **state)
{
	unsigned char *png;
	size_t len;
	struct yerr e = {0};
	char path[128], cmd[256], *got;

	(void)state;
	need_tool("zbarimg");
	assert_int_equal(render_qr_png(qr_text, &png, &len, &e), 0);
	assert_memory_equal(png, "\x89PNG", 4);
	snprintf(path, sizeof(path), "%s/qr.png", dir);
	write_file(path, png, len);
	free(png);
	snprintf(cmd, sizeof(cmd), "zbarimg --raw -q '%s' 2>/dev/null", path);
	got = run(cmd);
	trim_newline(got);
	assert_string_equal(got, qr_text);
	free(got);

	/* and in-process */
	assert_int_equal(render_qr_read_file(path, &got, &e), 0);
	assert_string_equal(got, qr_text);
	free(got);
}

static void test_read_pdf(void **state)
{
	char *path = render_to("read.pdf", 4, 0), *got = NULL;
	struct yerr e = {0};

	(void)state;
	assert_int_equal(render_qr_read_file(path, &got, &e), 0);
	assert_string_equal(got, qr_text);
	free(got);
	free(path);
}

static void test_read_refusals(void **state)
{
	struct yerr e = {0};
	char path[128], *got = (char *)"x";
	unsigned char *png;
	size_t len;
	cairo_surface_t *s;
	cairo_t *cr;

	(void)state;
	/* a PNG without a QR code */
	snprintf(path, sizeof(path), "%s/blank.png", dir);
	s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 300, 200);
	cr = cairo_create(s);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_destroy(cr);
	assert_int_equal(cairo_surface_write_to_png(s, path), CAIRO_STATUS_SUCCESS);
	cairo_surface_destroy(s);
	assert_int_equal(render_qr_read_file(path, &got, &e), -1);
	assert_string_equal(e.code, "no_qr_found");
	assert_int_equal(e.status, 422);
	assert_null(got);

	/* garbage */
	snprintf(path, sizeof(path), "%s/garbage.bin", dir);
	write_file(path, "not a license at all\n", 21);
	assert_int_equal(render_qr_read_file(path, &got, &e), -1);
	assert_string_equal(e.code, "not_png_or_pdf");

	/* an empty file */
	snprintf(path, sizeof(path), "%s/empty.png", dir);
	write_file(path, "", 0);
	assert_int_equal(render_qr_read_file(path, &got, &e), -1);
	assert_string_equal(e.code, "not_png_or_pdf");

	/* a missing file, a directory */
	snprintf(path, sizeof(path), "%s/none.png", dir);
	assert_int_equal(render_qr_read_file(path, &got, &e), -1);
	assert_string_equal(e.code, "file_unreadable");
	assert_int_equal(render_qr_read_file(dir, &got, &e), -1);
	assert_string_equal(e.code, "file_unreadable");

	/* a truncated PNG and a truncated PDF */
	assert_int_equal(render_qr_png(qr_text, &png, &len, &e), 0);
	snprintf(path, sizeof(path), "%s/half.png", dir);
	write_file(path, png, len / 2);
	assert_int_equal(render_qr_read_file(path, &got, &e), -1);
	assert_string_equal(e.code, "not_png_or_pdf");
	assert_null(got);
	/* a PNG header claiming 100000 x 100000 pixels: refused before decoding */
	png[16] = 0, png[17] = 1, png[18] = 0x86, png[19] = 0xa0;
	png[20] = 0, png[21] = 1, png[22] = 0x86, png[23] = 0xa0;
	snprintf(path, sizeof(path), "%s/huge.png", dir);
	write_file(path, png, len);
	assert_int_equal(render_qr_read_file(path, &got, &e), -1);
	assert_string_equal(e.code, "page_too_large");
	free(png);
	snprintf(path, sizeof(path), "%s/half.pdf", dir);
	write_file(path, "%PDF-1.5\n1 0 obj\n<<", 19);
	assert_int_equal(render_qr_read_file(path, &got, &e), -1);
	assert_string_equal(e.code, "not_png_or_pdf");

	/* an A4 PDF page without a QR code */
	{
		cairo_surface_t *blank;

		snprintf(path, sizeof(path), "%s/blank.pdf", dir);
		blank = cairo_pdf_surface_create(path, 595.276, 841.89);
		cr = cairo_create(blank);
		cairo_rectangle(cr, 100, 100, 200, 50);
		cairo_fill(cr);
		cairo_destroy(cr);
		cairo_surface_destroy(blank);
		assert_int_equal(render_qr_read_file(path, &got, &e), -1);
		assert_string_equal(e.code, "no_qr_found");
		assert_null(got);
	}

	/* a PDF page of 14400 x 14400 pt (200 inches square): not rasterised */
	{
		cairo_surface_t *big;

		snprintf(path, sizeof(path), "%s/big.pdf", dir);
		big = cairo_pdf_surface_create(path, 14400, 14400);
		cr = cairo_create(big);
		cairo_paint(cr);
		cairo_destroy(cr);
		cairo_surface_destroy(big);
		assert_int_equal(render_qr_read_file(path, &got, &e), -1);
		assert_string_equal(e.code, "page_too_large");
	}

	/* over the size limit */
	{
		FILE *f;

		snprintf(path, sizeof(path), "%s/large.pdf", dir);
		f = fopen(path, "wb");
		assert_non_null(f);
		fputs("%PDF-1.5\n", f);
		assert_int_equal(fseek(f, RENDER_READ_MAX_BYTES, SEEK_SET), 0);
		fputc('\n', f);
		fclose(f);
		assert_int_equal(render_qr_read_file(path, &got, &e), -1);
		assert_string_equal(e.code, "file_too_large");
		assert_int_equal(e.status, 413);
	}
}

/* Twelve permits with long bases do not fit on page 1: the table goes on
 * to page 2 (header repeated), nothing clipped. The file stays small: the
 * fonts are subsets (cairo 1.16 made 900 kB of a one-page license when
 * Latin capitals came from Noto CJK; see FONT in render_pdf.c). */
static void test_pdf_two_pages(void **state)
{
	char *path = render_to("twelve.pdf", 12, 0), *got = NULL;
	struct yerr e = {0};
	struct stat st;

	(void)state;
	assert_int_equal(stat(path, &st), 0);
	if (st.st_size > 300 * 1024)
		fail_msg("a two-page license PDF of %lld bytes (at most 300 kB expected)",
			 (long long)st.st_size);
	assert_int_equal(pdf_pages(path), 2);
	assert_text_has_permits(path, 12);
	assert_int_equal(render_qr_read_file(path, &got, &e), 0);
	assert_string_equal(got, qr_text);
	free(got);
	free(path);
}

static void test_pdf_doc_invalid(void **state)
{
	json_t *doc = fixture(2, 0);
	unsigned char *pdf = (unsigned char *)"x";
	size_t len = 1;
	struct yerr e = {0};

	(void)state;
	json_object_del(doc, "eid");
	assert_int_equal(render_license_pdf(doc, qr_text, &pdf, &len, &e), -1);
	assert_string_equal(e.code, "license_doc_invalid");
	assert_string_equal(e.field, "eid");
	assert_null(pdf);
	json_object_set_new(doc, "eid", json_string("31010420261202XK000001Q"));

	/* a legal basis that would not fit on a page: refused, not clipped */
	{
		char *basis = malloc(3 * 1500 + 1);

		assert_non_null(basis);
		basis[0] = '\0';
		for (int i = 0; i < 1500; i++)
			strcat(basis, "法");
		json_object_set_new(json_array_get(json_object_get(doc, "permits"), 1), "basis",
				    json_string(basis));
		free(basis);
		assert_int_equal(render_license_pdf(doc, qr_text, &pdf, &len, &e), -1);
		assert_string_equal(e.code, "license_text_too_long");
		assert_string_equal(e.field, "permits");
		assert_non_null(strstr(e.message, "第 2 项"));
		assert_null(pdf);
	}
	/* an address that would push the table off page 1: refused */
	{
		char *addr = malloc(3 * 700 + 1);

		assert_non_null(addr);
		addr[0] = '\0';
		for (int i = 0; i < 700; i++)
			strcat(addr, "路");
		json_object_set_new(doc, "address", json_string(addr));
		free(addr);
		json_array_remove(json_object_get(doc, "permits"), 1);
		assert_int_equal(render_license_pdf(doc, qr_text, &pdf, &len, &e), -1);
		assert_string_equal(e.code, "license_text_too_long");
		assert_null(pdf);
	}
	json_array_clear(json_object_get(doc, "permits"));
	assert_int_equal(render_license_pdf(doc, qr_text, &pdf, &len, &e), -1);
	assert_string_equal(e.field, "permits");
	json_decref(doc);
}

struct job {
	const json_t *doc;
	const unsigned char *want;
	size_t want_len;
	int same;
};

static void *render_thread(void *arg)
{
	struct job *j = arg;

	j->same = 1;
	for (int i = 0; i < 3; i++) {
		unsigned char *pdf;
		size_t len;
		struct yerr e = {0};

		if (render_license_pdf(j->doc, qr_text, &pdf, &len, &e) != 0) {
			j->same = 0;
			break;
		}
		if (len != j->want_len || memcmp(pdf, j->want, len) != 0)
			j->same = 0;
		free(pdf);
	}
	return NULL;
}

/* The same input gives the same bytes: twice in a row, and from four
 * threads at once (two documents, two threads each). Rendering leaves this
 * thread's font map in place (it is not rebuilt per call). */
static void test_pdf_reproducible_threads(void **state)
{
	json_t *docs[2] = {fixture(4, 0), fixture(12, 1)};
	unsigned char *ref[2], *again;
	size_t ref_len[2], again_len;
	struct yerr e = {0};
	pthread_t t[4];
	struct job jobs[4];
	PangoFontMap *fm = pango_cairo_font_map_get_default();

	(void)state;
	for (int i = 0; i < 2; i++) {
		assert_int_equal(render_license_pdf(docs[i], qr_text, &ref[i], &ref_len[i], &e), 0);
		assert_int_equal(render_license_pdf(docs[i], qr_text, &again, &again_len, &e), 0);
		assert_int_equal(again_len, ref_len[i]);
		assert_memory_equal(again, ref[i], again_len);
		free(again);
	}
	assert_ptr_equal(pango_cairo_font_map_get_default(), fm);
	for (int i = 0; i < 4; i++) {
		jobs[i] = (struct job){docs[i % 2], ref[i % 2], ref_len[i % 2], 0};
		assert_int_equal(pthread_create(&t[i], NULL, render_thread, &jobs[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_true(jobs[i].same);
	}
	for (int i = 0; i < 2; i++) {
		free(ref[i]);
		json_decref(docs[i]);
	}
}

static void test_qr_too_long(void **state)
{
	char *text = malloc(3000);
	unsigned char *png;
	size_t len;
	struct yerr e = {0};

	(void)state;
	assert_non_null(text);
	memset(text, 'a', 2999);
	text[2999] = '\0';
	assert_int_equal(render_qr_png(text, &png, &len, &e), -1);
	assert_string_equal(e.code, "qr_too_long");
	assert_int_equal(render_qr_png("", &png, &len, &e), -1);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pdf_text),
	    cmocka_unit_test(test_pdf_no_term),
	    cmocka_unit_test(test_pdf_qr_zbarimg),
	    cmocka_unit_test(test_png_zbarimg),
	    cmocka_unit_test(test_read_pdf),
	    cmocka_unit_test(test_read_refusals),
	    cmocka_unit_test(test_pdf_two_pages),
	    cmocka_unit_test(test_pdf_doc_invalid),
	    cmocka_unit_test(test_pdf_reproducible_threads),
	    cmocka_unit_test(test_qr_too_long),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
