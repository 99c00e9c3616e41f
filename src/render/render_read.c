/*
 * render_read.c — the first QR code of a PNG, or of a PDF's first page,
 * read back: what `yiye verify FILE` and the tests use.
 *
 * The file is hostile until proven otherwise: it is read whole but only up
 * to RENDER_READ_MAX_BYTES, a PNG's dimensions are checked from its header
 * before cairo allocates a pixel, a PDF page is measured before poppler
 * rasterises it, and the decoded text is copied out of zbar with its length.
 * Everything decodes into an 8-bit grey image (zbar's "Y800"): PNG through
 * cairo, PDF through poppler-glib onto a white cairo image surface.
 */
#include "render/render.h"
#include "render/render_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <poppler.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zbar.h>

static const unsigned char png_magic[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

/* Reads path whole into a malloc'd buffer, refusing what is not a regular
 * file or is larger than RENDER_READ_MAX_BYTES. The buffer is sized from
 * fstat plus one byte, so a file that grows while it is read is noticed;
 * it may then grow up to the limit and no further. */
static int read_whole(const char *path, unsigned char **out, size_t *len, struct yerr *err)
{
	const unsigned max = RENDER_READ_MAX_BYTES;
	unsigned char *buf = NULL;
	struct stat st;
	size_t n = 0, cap;
	int fd, rc = -1;

	*out = NULL;
	*len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return yerr_set(err, 400, "file_unreadable", "file", "无法读取文件：%s",
				strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		yerr_set(err, 400, "file_unreadable", "file", "无法读取文件：不是普通文件");
		goto out;
	}
	if ((uintmax_t)st.st_size > max)
		goto too_large;
	cap = (size_t)st.st_size + 1;
	buf = malloc(cap);
	for (;;) {
		ssize_t r;

		if (buf == NULL) {
			yerr_set(err, 500, "render_failed", "", "内存不足，无法读取文件");
			goto out;
		}
		if (n == cap) {
			unsigned char *p;

			if (cap > max)
				goto too_large;
			cap = (size_t)max + 1;
			p = realloc(buf, cap);
			if (p == NULL)
				free(buf);
			buf = p;
			continue;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			yerr_set(err, 400, "file_unreadable", "file", "无法读取文件：%s",
				 strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (n > max)
		goto too_large;
	*out = buf;
	*len = n;
	buf = NULL;
	rc = 0;
	goto out;
too_large:
	yerr_set(err, 413, "file_too_large", "file", "文件超过 %u MB，不予读取",
		 max / 1024u / 1024u);
out:
	free(buf);
	close(fd);
	return rc;
}

/* zbar on an 8-bit grey image of w x h (stride w); the first QR symbol's
 * text, malloc'd, into *text. */
static int scan_grey(const unsigned char *grey, unsigned w, unsigned h, char **text,
		     struct yerr *err)
{
	zbar_image_scanner_t *sc;
	zbar_image_t *img;
	const zbar_symbol_t *sym;
	int rc = -1;

	sc = zbar_image_scanner_create();
	img = zbar_image_create();
	if (sc == NULL || img == NULL) {
		yerr_set(err, 500, "render_failed", "", "二维码识别器创建失败");
		goto out;
	}
	/* Only QR codes: a barcode-looking pattern on the page is not a license. */
	zbar_image_scanner_set_config(sc, 0, ZBAR_CFG_ENABLE, 0);
	zbar_image_scanner_set_config(sc, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
	zbar_image_set_format(img, zbar_fourcc('Y', '8', '0', '0'));
	zbar_image_set_size(img, w, h);
	zbar_image_set_data(img, grey, (unsigned long)w * h, NULL);
	if (zbar_scan_image(sc, img) <= 0) {
		yerr_set(err, 422, "no_qr_found", "file", "文件中未找到可识别的二维码");
		goto out;
	}
	for (sym = zbar_image_first_symbol(img); sym; sym = zbar_symbol_next(sym)) {
		const char *d;
		unsigned n;

		if (zbar_symbol_get_type(sym) != ZBAR_QRCODE)
			continue;
		d = zbar_symbol_get_data(sym);
		n = zbar_symbol_get_data_length(sym);
		if (d == NULL || memchr(d, '\0', n) != NULL)
			continue; /* NUL inside: not a text this platform wrote */
		*text = malloc(n + 1);
		if (*text == NULL) {
			yerr_set(err, 500, "render_failed", "", "内存不足");
			goto out;
		}
		memcpy(*text, d, n);
		(*text)[n] = '\0';
		rc = 0;
		goto out;
	}
	yerr_set(err, 422, "no_qr_found", "file", "文件中未找到可识别的二维码");
out:
	if (img != NULL)
		zbar_image_destroy(img);
	if (sc != NULL)
		zbar_image_scanner_destroy(sc);
	return rc;
}

/* An image surface (ARGB32 or RGB24, premultiplied) composed over white and
 * reduced to 8-bit luma, then scanned. */
static int scan_surface(cairo_surface_t *s, char **text, struct yerr *err)
{
	cairo_format_t f = cairo_image_surface_get_format(s);
	int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
	int stride = cairo_image_surface_get_stride(s);
	const unsigned char *px;
	unsigned char *grey;
	int rc;

	if (f != CAIRO_FORMAT_ARGB32 && f != CAIRO_FORMAT_RGB24) {
		/* cairo decodes every PNG to one of these two; anything else
		 * goes through a paint onto RGB24 first. */
		cairo_surface_t *c = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
		cairo_t *cr = cairo_create(c);

		cairo_set_source_rgb(cr, 1, 1, 1);
		cairo_paint(cr);
		cairo_set_source_surface(cr, s, 0, 0);
		cairo_paint(cr);
		cairo_destroy(cr);
		rc = cairo_surface_status(c) == CAIRO_STATUS_SUCCESS
			 ? scan_surface(c, text, err)
			 : yerr_set(err, 500, "render_failed", "", "图像转换失败");
		cairo_surface_destroy(c);
		return rc;
	}
	cairo_surface_flush(s);
	px = cairo_image_surface_get_data(s);
	grey = malloc((size_t)w * (size_t)h);
	if (px == NULL || grey == NULL) {
		free(grey);
		return yerr_set(err, 500, "render_failed", "", "内存不足");
	}
	for (int y = 0; y < h; y++) {
		const uint32_t *row = (const uint32_t *)(px + (size_t)y * (size_t)stride);

		for (int x = 0; x < w; x++) {
			uint32_t p = row[x];
			unsigned a = f == CAIRO_FORMAT_ARGB32 ? p >> 24 : 255;
			/* premultiplied: over white adds (255 - a) to each channel */
			unsigned r = ((p >> 16) & 0xff) + 255 - a, g = ((p >> 8) & 0xff) + 255 - a,
				 b = (p & 0xff) + 255 - a;

			grey[(size_t)y * (size_t)w + (size_t)x] =
			    (unsigned char)((r * 77 + g * 150 + b * 29) >> 8);
		}
	}
	rc = scan_grey(grey, (unsigned)w, (unsigned)h, text, err);
	free(grey);
	return rc;
}

struct mem_reader {
	const unsigned char *p;
	size_t left;
};

static cairo_status_t mem_read(void *closure, unsigned char *data, unsigned int length)
{
	struct mem_reader *m = closure;

	if (length > m->left)
		return CAIRO_STATUS_READ_ERROR;
	memcpy(data, m->p, length);
	m->p += length;
	m->left -= length;
	return CAIRO_STATUS_SUCCESS;
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int read_png(const unsigned char *data, size_t len, char **text, struct yerr *err)
{
	struct mem_reader m = {data, len};
	cairo_surface_t *s;
	uint32_t w, h;
	int rc;

	/* Signature, then the IHDR chunk: length 13, "IHDR", width, height. */
	if (len < 33 || be32(data + 8) != 13 || memcmp(data + 12, "IHDR", 4) != 0)
		return yerr_set(err, 400, "not_png_or_pdf", "file", "PNG 文件已损坏");
	w = be32(data + 16);
	h = be32(data + 20);
	if (w == 0 || h == 0 || w > 20000 || h > 20000 || (uint64_t)w * h > RENDER_READ_MAX_PIXELS)
		return yerr_set(err, 400, "page_too_large", "file", "图片尺寸 %ux%u 过大，不予识别",
				(unsigned)w, (unsigned)h);
	s = cairo_image_surface_create_from_png_stream(mem_read, &m);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		rc = cairo_surface_status(s) == CAIRO_STATUS_NO_MEMORY
			 ? yerr_set(err, 500, "render_failed", "", "内存不足，无法解码 PNG")
			 : yerr_set(err, 400, "not_png_or_pdf", "file", "PNG 文件已损坏");
	} else {
		rc = scan_surface(s, text, err);
	}
	cairo_surface_destroy(s);
	return rc;
}

static int read_pdf(const unsigned char *data, size_t len, char **text, struct yerr *err)
{
	PopplerDocument *doc;
	PopplerPage *page = NULL;
	cairo_surface_t *s = NULL;
	cairo_t *cr = NULL;
	GBytes *bytes;
	GError *gerr = NULL;
	double pw = 0, ph = 0, scale = RENDER_PDF_DPI / 72.0;
	int rc = -1, w, h;

	/* Static bytes: poppler reads from the caller's buffer, no copy. */
	bytes = g_bytes_new_static(data, len);
	doc = poppler_document_new_from_bytes(bytes, NULL, &gerr);
	g_bytes_unref(bytes);
	if (doc == NULL) {
		int encrypted =
		    gerr && gerr->domain == POPPLER_ERROR && gerr->code == POPPLER_ERROR_ENCRYPTED;

		g_clear_error(&gerr);
		return encrypted ? yerr_set(err, 400, "not_png_or_pdf", "file",
					    "PDF 文件已加密，无法识别")
				 : yerr_set(err, 400, "not_png_or_pdf", "file", "PDF 文件已损坏");
	}
	if (poppler_document_get_n_pages(doc) < 1 ||
	    (page = poppler_document_get_page(doc, 0)) == NULL) {
		yerr_set(err, 400, "not_png_or_pdf", "file", "PDF 文件没有页面");
		goto out;
	}
	poppler_page_get_size(page, &pw, &ph);
	/* An A4 page at 200 dpi is 1654 x 2339 pixels; a page whose raster
	 * would pass the pixel limit (larger than about A1) is refused rather
	 * than rasterised at the file's command. */
	if (!(pw >= 1 && ph >= 1) || pw * scale * ph * scale > (double)RENDER_READ_MAX_PIXELS ||
	    pw * scale > 20000 || ph * scale > 20000) {
		yerr_set(err, 400, "page_too_large", "file",
			 "PDF 页面尺寸 %.0fx%.0f pt 过大，不予识别", pw, ph);
		goto out;
	}
	w = (int)(pw * scale + 0.5);
	h = (int)(ph * scale + 0.5);
	s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	cr = cairo_create(s);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_scale(cr, scale, scale);
	poppler_page_render(page, cr);
	if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
		yerr_set(err, 500, "render_failed", "", "PDF 页面渲染失败");
		goto out;
	}
	cairo_destroy(cr);
	cr = NULL;
	rc = scan_surface(s, text, err);
out:
	if (cr != NULL)
		cairo_destroy(cr);
	if (s != NULL)
		cairo_surface_destroy(s);
	if (page != NULL)
		g_object_unref(page);
	g_object_unref(doc);
	return rc;
}

int render_qr_read_mem(const unsigned char *data, size_t len, char **text, struct yerr *err)
{
	*text = NULL;
	if (len > RENDER_READ_MAX_BYTES)
		return yerr_set(err, 413, "file_too_large", "file", "文件超过 %u MB，不予读取",
				RENDER_READ_MAX_BYTES / 1024u / 1024u);
	if (len >= sizeof(png_magic) && memcmp(data, png_magic, sizeof(png_magic)) == 0)
		return read_png(data, len, text, err);
	/* PDF readers accept the header anywhere in the first 1024 bytes;
	 * this platform writes it first, and so must what it is given. */
	if (len >= 5 && memcmp(data, "%PDF-", 5) == 0)
		return read_pdf(data, len, text, err);
	return yerr_set(err, 400, "not_png_or_pdf", "file", "文件不是 PNG 图片或 PDF 文件");
}

int render_qr_read_file(const char *path, char **text, struct yerr *err)
{
	unsigned char *data;
	size_t len;
	int rc;

	*text = NULL;
	if (read_whole(path, &data, &len, err) < 0)
		return -1;
	rc = render_qr_read_mem(data, len, text, err);
	free(data);
	return rc;
}
