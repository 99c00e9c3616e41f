/*
 * render_qr.c — the license's QR code: one encoding shared by the PNG
 * (GET …/qr.png, the 亮证 page) and the PDF.
 *
 * Error correction level M (about 15 % of the symbol recoverable), not Q
 * (25 %): the text is about 210 bytes (the status URL plus the signed
 * payload), which is version 10 (57 modules) at M and version 12 (65) at Q.
 * The printed QR has a fixed size on the A4 page, so fewer modules means
 * larger ones, which is what a phone camera at arm's length needs most; and a
 * misread cannot pass for a different license, because the payload carries
 * its Ed25519 signature — damage beyond M's margin makes the scan fail
 * rather than lie.
 */
#include "render/render.h"
#include "render/render_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

cairo_status_t render_buf_write(void *closure, const unsigned char *data, unsigned int length)
{
	struct render_buf *b = closure;

	if (b->failed)
		return CAIRO_STATUS_WRITE_ERROR;
	if (length > b->max - b->len) {
		b->failed = 1;
		return CAIRO_STATUS_WRITE_ERROR;
	}
	if (b->len + length > b->cap) {
		size_t cap = b->cap ? b->cap : 16384;
		unsigned char *p;

		while (cap < b->len + length)
			cap *= 2;
		if (cap > b->max)
			cap = b->max;
		p = realloc(b->data, cap);
		if (p == NULL) {
			b->failed = 1;
			return CAIRO_STATUS_NO_MEMORY;
		}
		b->data = p;
		b->cap = cap;
	}
	memcpy(b->data + b->len, data, length);
	b->len += length;
	return CAIRO_STATUS_SUCCESS;
}

QRcode *render_qr_encode(const char *text, struct yerr *err)
{
	size_t n = text ? strlen(text) : 0;
	QRcode *qr;

	if (n == 0 || n > RENDER_QR_MAX_TEXT) {
		yerr_set(err, 400, "qr_too_long", "", "二维码内容为空或超过 %d 字节",
			 RENDER_QR_MAX_TEXT);
		return NULL;
	}
	/* Byte mode, case-sensitive: the payload is base64url. */
	qr = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
	if (qr == NULL) {
		if (errno == ERANGE)
			yerr_set(err, 400, "qr_too_long", "", "二维码内容过长");
		else
			yerr_set(err, 500, "render_failed", "", "二维码生成失败");
	}
	return qr;
}

void render_qr_path(cairo_t *cr, const QRcode *qr, double x, double y, double module)
{
	int w = qr->width;

	/* Runs of dark modules in a row become one rectangle: fewer path
	 * operators in the PDF, and no hairline seams between neighbours when
	 * a viewer anti-aliases each rectangle on its own. */
	for (int row = 0; row < w; row++) {
		for (int col = 0; col < w;) {
			int start;

			if (!(qr->data[row * w + col] & 1)) {
				col++;
				continue;
			}
			start = col;
			while (col < w && (qr->data[row * w + col] & 1))
				col++;
			cairo_rectangle(cr, x + start * module, y + row * module,
					(col - start) * module, module);
		}
	}
}

/*
 * The PNG is drawn on an A1 (one bit per pixel) surface: every pixel is
 * light, and the dark modules are cleared. cairo writes A1 as 8-bit grey,
 * 0 for a cleared bit, so the file is black on white, about 3 kB.
 */
int render_qr_png(const char *text, unsigned char **png, size_t *len, struct yerr *err)
{
	struct render_buf buf = {.max = 16u * 1024u * 1024u};
	cairo_surface_t *s = NULL;
	cairo_t *cr = NULL;
	QRcode *qr;
	int side, rc = -1;

	*png = NULL;
	*len = 0;
	qr = render_qr_encode(text, err);
	if (qr == NULL)
		return -1;
	side = (qr->width + 2 * RENDER_QR_QUIET) * RENDER_QR_PNG_SCALE;
	s = cairo_image_surface_create(CAIRO_FORMAT_A1, side, side);
	cr = cairo_create(s);
	cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
	cairo_paint(cr);
	cairo_set_operator(cr, CAIRO_OPERATOR_CLEAR);
	render_qr_path(cr, qr, RENDER_QR_QUIET * RENDER_QR_PNG_SCALE,
		       RENDER_QR_QUIET * RENDER_QR_PNG_SCALE, RENDER_QR_PNG_SCALE);
	cairo_fill(cr);
	cairo_surface_flush(s);
	if (cairo_status(cr) != CAIRO_STATUS_SUCCESS ||
	    cairo_surface_write_to_png_stream(s, render_buf_write, &buf) != CAIRO_STATUS_SUCCESS ||
	    buf.failed) {
		yerr_set(err, 500, "render_failed", "", "二维码图片生成失败");
		goto out;
	}
	*png = buf.data;
	*len = buf.len;
	buf.data = NULL;
	rc = 0;
out:
	free(buf.data);
	cairo_destroy(cr);
	cairo_surface_destroy(s);
	QRcode_free(qr);
	return rc;
}
