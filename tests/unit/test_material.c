/*
 * test_material.c — materials are judged by their bytes: the four accepted
 * formats, the near misses, and the executable renamed .pdf.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/material.h"

/* Read a file of the source tree; *n its length. Caller frees. */
static unsigned char *slurp(const char *rel, size_t *n)
{
	const char *root = getenv("YIYE_SOURCE_DIR");
	char path[4096];
	unsigned char *buf;
	FILE *f;
	long len;

	snprintf(path, sizeof(path), "%s/%s", root && *root ? root : ".", rel);
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

/* zip_entry appends a ZIP local file header for name with data (stored) to
 * buf at *off; flags bit 3 leaves the sizes to a data descriptor. */
static void zip_entry(unsigned char *buf, size_t *off, const char *name, const char *data,
		      unsigned flags)
{
	unsigned char *h = buf + *off;
	size_t nlen = strlen(name), dlen = strlen(data);

	memset(h, 0, 30);
	memcpy(h, "PK\3\4", 4);
	h[4] = 20;
	h[6] = (unsigned char)flags;
	if (!(flags & 8)) {
		h[18] = (unsigned char)dlen; /* compressed size */
		h[22] = (unsigned char)dlen; /* uncompressed size */
	}
	h[26] = (unsigned char)nlen;
	memcpy(h + 30, name, nlen);
	memcpy(h + 30 + nlen, data, dlen);
	*off += 30 + nlen + dlen;
	if (flags & 8) {
		/* data descriptor: signature, crc, sizes */
		memcpy(buf + *off, "PK\7\10", 4);
		memset(buf + *off + 4, 0, 12);
		*off += 16;
	}
}

static void central_end(unsigned char *buf, size_t *off)
{
	memcpy(buf + *off, "PK\5\6", 4);
	memset(buf + *off + 4, 0, 18);
	*off += 22;
}

static enum material_type sniff(const void *p, size_t n)
{
	return material_sniff((const unsigned char *)p, n);
}

static void test_pdf(void **state)
{
	static const char pdf[] = "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n";

	(void)state;
	assert_int_equal(sniff(pdf, sizeof(pdf) - 1), MATERIAL_PDF);
	assert_int_equal(sniff("%PDF-2.0", 8), MATERIAL_PDF);
	assert_int_equal(sniff("%PDF-1.", 7), MATERIAL_UNKNOWN); /* truncated */
	assert_int_equal(sniff("%PDF-x.y", 8), MATERIAL_UNKNOWN);
	assert_int_equal(sniff(" %PDF-1.7", 9), MATERIAL_UNKNOWN); /* not at offset 0 */
	assert_int_equal(sniff("%pdf-1.7", 8), MATERIAL_UNKNOWN);
}

static void test_images(void **state)
{
	static const unsigned char jpeg[] = {0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10,
					     'J',  'F',  'I',  'F',  0x00};
	static const unsigned char exif[] = {0xFF, 0xD8, 0xFF, 0xE1, 0x12,
					     0x34, 'E',  'x',  'i',  'f'};
	static const unsigned char notjpeg[] = {0xFF, 0xD8, 0xFF, 0xFF};
	static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0,
					    0,    13,  'I', 'H', 'D',  'R',  0,    0,    0, 1};
	static const unsigned char png_noihdr[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n',
						   0,    0,   0,   13,  'I',  'D',  'A',  'T'};

	(void)state;
	assert_int_equal(sniff(jpeg, sizeof(jpeg)), MATERIAL_JPEG);
	assert_int_equal(sniff(exif, sizeof(exif)), MATERIAL_JPEG);
	assert_int_equal(sniff(jpeg, 3), MATERIAL_UNKNOWN);
	assert_int_equal(sniff(notjpeg, sizeof(notjpeg)), MATERIAL_UNKNOWN);
	assert_int_equal(sniff(png, sizeof(png)), MATERIAL_PNG);
	assert_int_equal(sniff(png, 15), MATERIAL_UNKNOWN);
	assert_int_equal(sniff(png_noihdr, sizeof(png_noihdr)), MATERIAL_UNKNOWN);
}

static void test_ofd(void **state)
{
	unsigned char buf[1024];
	size_t n;

	(void)state;
	/* OFD.xml as the first entry */
	n = 0;
	zip_entry(buf, &n, "OFD.xml", "<ofd:OFD/>", 0);
	central_end(buf, &n);
	assert_int_equal(sniff(buf, n), MATERIAL_OFD);
	/* after other entries, one of them with a data descriptor */
	n = 0;
	zip_entry(buf, &n, "Doc_0/Document.xml", "<ofd:Document/>", 0);
	zip_entry(buf, &n, "Doc_0/Pages/Page_0/Content.xml", "<x/>", 8);
	zip_entry(buf, &n, "OFD.xml", "<ofd:OFD/>", 0);
	central_end(buf, &n);
	assert_int_equal(sniff(buf, n), MATERIAL_OFD);
	/* OFD.xml only in a subdirectory, or under another name: not an OFD package */
	n = 0;
	zip_entry(buf, &n, "Doc_0/OFD.xml", "<ofd:OFD/>", 0);
	zip_entry(buf, &n, "ofd.xml", "<ofd:OFD/>", 0);
	zip_entry(buf, &n, "OFD.xml.bak", "<ofd:OFD/>", 0);
	central_end(buf, &n);
	assert_int_equal(sniff(buf, n), MATERIAL_UNKNOWN);
	/* a Word document is a ZIP too */
	n = 0;
	zip_entry(buf, &n, "[Content_Types].xml", "<Types/>", 0);
	zip_entry(buf, &n, "word/document.xml", "<w:document/>", 0);
	central_end(buf, &n);
	assert_int_equal(sniff(buf, n), MATERIAL_UNKNOWN);
	/* truncated inside the name */
	n = 0;
	zip_entry(buf, &n, "OFD.xml", "<ofd:OFD/>", 0);
	assert_int_equal(sniff(buf, 33), MATERIAL_UNKNOWN);
	/* a size that points past the end stops the walk */
	n = 0;
	zip_entry(buf, &n, "a.xml", "<a/>", 0);
	buf[18] = 0xFF;
	buf[19] = 0xFF;
	zip_entry(buf, &n, "OFD.xml", "<ofd:OFD/>", 0);
	assert_int_equal(sniff(buf, n), MATERIAL_UNKNOWN);
	/* data descriptor with nothing after it */
	n = 0;
	zip_entry(buf, &n, "a.xml", "<a/>", 8);
	assert_int_equal(sniff(buf, n), MATERIAL_UNKNOWN);
}

/* Files written by real tools (the fuzz seeds): a deflated OFD package made
 * by a ZIP library, and a ZIP whose OFD.xml is not at the root. */
static void test_seed_files(void **state)
{
	static const struct {
		const char *file;
		enum material_type type;
	} seeds[] = {
	    {"tests/fuzz/corpus/material/min.pdf", MATERIAL_PDF},
	    {"tests/fuzz/corpus/material/min.jpg", MATERIAL_JPEG},
	    {"tests/fuzz/corpus/material/min.png", MATERIAL_PNG},
	    {"tests/fuzz/corpus/material/min.ofd", MATERIAL_OFD},
	    {"tests/fuzz/corpus/material/not-ofd.zip", MATERIAL_UNKNOWN},
	    {"tests/fuzz/corpus/material/elf.pdf", MATERIAL_UNKNOWN},
	};
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
		unsigned char *b = slurp(seeds[i].file, &n);

		if (material_sniff(b, n) != seeds[i].type)
			fail_msg("%s: %d", seeds[i].file, (int)material_sniff(b, n));
		free(b);
	}
}

static void test_refused(void **state)
{
	static const unsigned char elf[] = {0x7F, 'E', 'L', 'F', 2, 1, 1, 0,
					    0,    0,   0,   0,   0, 0, 0, 0};
	static const char html[] = "<!DOCTYPE html><title>%PDF-1.7</title>";
	static const char mz[] = "MZ\x90\x00\x03\x00\x00\x00";
	enum material_type t = MATERIAL_PDF;
	struct yerr err = {0};

	(void)state;
	assert_int_equal(material_check(elf, sizeof(elf), "material", &t, &err), -1);
	assert_int_equal(t, MATERIAL_UNKNOWN);
	assert_int_equal(err.status, 415);
	assert_string_equal(err.code, "unsupported_material_type");
	assert_string_equal(err.field, "material");
	assert_int_equal(sniff(html, sizeof(html) - 1), MATERIAL_UNKNOWN);
	assert_int_equal(sniff(mz, sizeof(mz) - 1), MATERIAL_UNKNOWN);
	assert_int_equal(sniff("", 0), MATERIAL_UNKNOWN);
	assert_int_equal(material_sniff(NULL, 10), MATERIAL_UNKNOWN);
	assert_int_equal(material_check((const unsigned char *)"%PDF-1.4", 8, NULL, &t, &err), 0);
	assert_int_equal(t, MATERIAL_PDF);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(material_mime(MATERIAL_PDF), "application/pdf");
	assert_string_equal(material_mime(MATERIAL_JPEG), "image/jpeg");
	assert_string_equal(material_mime(MATERIAL_PNG), "image/png");
	assert_string_equal(material_mime(MATERIAL_OFD), "application/ofd");
	assert_string_equal(material_mime(MATERIAL_UNKNOWN), "application/octet-stream");
	assert_string_equal(material_mime((enum material_type)99), "application/octet-stream");
	assert_string_equal(material_ext(MATERIAL_JPEG), "jpg");
	assert_int_equal(material_type_parse("ofd"), MATERIAL_OFD);
	assert_int_equal(material_type_parse("bin"), MATERIAL_UNKNOWN);
	assert_int_equal(material_type_parse(NULL), MATERIAL_UNKNOWN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pdf),     cmocka_unit_test(test_images),
	    cmocka_unit_test(test_ofd),     cmocka_unit_test(test_seed_files),
	    cmocka_unit_test(test_refused), cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
