/*
 * material.c — content sniffing of uploaded materials (see material.h).
 */
#include "core/material.h"

#include <string.h>

static const char *const mimes[MATERIAL_TYPE_COUNT] = {
    "application/octet-stream", "application/pdf", "image/jpeg", "image/png", "application/ofd"};
static const char *const exts[MATERIAL_TYPE_COUNT] = {"bin", "pdf", "jpg", "png", "ofd"};

static unsigned rd16(const unsigned char *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static int is_pdf(const unsigned char *b, size_t len)
{
	return len >= 8 && memcmp(b, "%PDF-", 5) == 0 && b[5] >= '1' && b[5] <= '9' &&
	       b[6] == '.' && b[7] >= '0' && b[7] <= '9';
}

static int is_jpeg(const unsigned char *b, size_t len)
{
	/* SOI, then the first segment's marker (APPn, DQT, SOF…: FF C0..FE). */
	return len >= 4 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF && b[3] >= 0xC0 &&
	       b[3] != 0xFF;
}

static int is_png(const unsigned char *b, size_t len)
{
	static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
	static const unsigned char ihdr[8] = {0, 0, 0, 13, 'I', 'H', 'D', 'R'};

	return len >= 16 && memcmp(b, sig, 8) == 0 && memcmp(b + 8, ihdr, 8) == 0;
}

/*
 * is_ofd walks the ZIP's local file headers from the start. A header is
 * 30 bytes plus the name and the extra field; the data that follows has the
 * compressed size the header states, unless bit 3 of the flags says the
 * sizes come in a data descriptor after the data — then the walk cannot skip
 * the data and falls back to searching for the next header signature. The
 * walk ends at the first record that is not a local file header (the
 * central directory), so it reads each byte at most a bounded number of
 * times.
 */
static int is_ofd(const unsigned char *b, size_t len)
{
	size_t off = 0;

	if (len < 30 || memcmp(b, "PK\3\4", 4) != 0)
		return 0;
	while (off + 30 <= len && memcmp(b + off, "PK\3\4", 4) == 0) {
		unsigned flags = rd16(b + off + 6);
		unsigned long csize =
		    (unsigned long)rd16(b + off + 18) | (unsigned long)rd16(b + off + 20) << 16;
		size_t nlen = rd16(b + off + 26), xlen = rd16(b + off + 28);
		size_t data = off + 30 + nlen + xlen;

		if (off + 30 + nlen > len)
			return 0;
		if (nlen == 7 && memcmp(b + off + 30, "OFD.xml", 7) == 0)
			return 1;
		if (data > len)
			return 0;
		if (flags & 0x08) {
			/* sizes in a data descriptor: find the next header */
			const unsigned char *p = NULL;
			size_t from = data;

			while (from + 4 <= len) {
				p = memchr(b + from, 'P', len - from);
				if (p == NULL || (size_t)(p - b) + 4 > len)
					return 0;
				if (memcmp(p, "PK\3\4", 4) == 0)
					break;
				from = (size_t)(p - b) + 1;
				p = NULL;
			}
			if (p == NULL)
				return 0;
			off = (size_t)(p - b);
			continue;
		}
		if (csize > len - data)
			return 0;
		off = data + csize;
	}
	return 0;
}

enum material_type material_sniff(const unsigned char *buf, size_t len)
{
	if (buf == NULL)
		return MATERIAL_UNKNOWN;
	if (is_pdf(buf, len))
		return MATERIAL_PDF;
	if (is_jpeg(buf, len))
		return MATERIAL_JPEG;
	if (is_png(buf, len))
		return MATERIAL_PNG;
	if (is_ofd(buf, len))
		return MATERIAL_OFD;
	return MATERIAL_UNKNOWN;
}

int material_check(const unsigned char *buf, size_t len, const char *field,
		   enum material_type *type, struct yerr *err)
{
	enum material_type t = material_sniff(buf, len);

	if (type != NULL)
		*type = t;
	if (t == MATERIAL_UNKNOWN)
		return yerr_set(err, 415, "unsupported_material_type", field,
				"材料只接受 PDF、JPEG、PNG 或 OFD 文件（按文件内容判断，"
				"与文件名无关）");
	return 0;
}

const char *material_mime(enum material_type t)
{
	return mimes[(unsigned)t < MATERIAL_TYPE_COUNT ? t : MATERIAL_UNKNOWN];
}

const char *material_ext(enum material_type t)
{
	return exts[(unsigned)t < MATERIAL_TYPE_COUNT ? t : MATERIAL_UNKNOWN];
}

enum material_type material_type_parse(const char *name)
{
	int i;

	for (i = 1; name != NULL && i < MATERIAL_TYPE_COUNT; i++)
		if (strcmp(exts[i], name) == 0)
			return (enum material_type)i;
	return MATERIAL_UNKNOWN;
}
