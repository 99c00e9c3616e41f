#ifndef YIYE_RENDER_INTERNAL_H
#define YIYE_RENDER_INTERNAL_H
/*
 * render_internal.h — what the files of src/render/ share: one QR encoding
 * (the PNG and the PDF draw the same modules) and a growing byte buffer that
 * cairo's stream writers fill.
 */
#include <cairo.h>
#include <jansson.h>
#include <qrencode.h>
#include <stddef.h>

#include "core/error.h"

/* Longest text render_qr_encode accepts (a QR code of level M holds 2,331
 * bytes at most; the license's QR text is about 210). */
#define RENDER_QR_MAX_TEXT 2000

/* A buffer written by cairo; `failed` once an allocation failed or `max` was
 * passed, after which writes are refused and the data freed by the owner. */
struct render_buf {
	unsigned char *data;
	size_t len, cap, max;
	int failed;
};

/* cairo_write_func_t appending to a struct render_buf (closure). */
cairo_status_t render_buf_write(void *closure, const unsigned char *data, unsigned int length);

/* The QR symbol of text in byte mode, level M; NULL with err on a text too
 * long or empty (qr_too_long 400) or a failure (render_failed 500). The
 * caller frees it with QRcode_free. */
QRcode *render_qr_encode(const char *text, struct yerr *err);

/* Appends one rectangle per dark module of qr to cr's path, the symbol's top
 * left corner (without quiet zone) at (x, y), each module `module` units
 * wide; the caller fills. Vector output stays crisp at any zoom and is
 * smaller than a bitmap in a PDF. */
void render_qr_path(cairo_t *cr, const QRcode *qr, double x, double y, double module);

/* Draws the license (render_license_pdf's layout, checks and errors) onto
 * s, an A4 surface in points: one cairo_show_page per page. The caller
 * creates and finishes s; render_license_pdf passes a PDF surface, the
 * bench (bench/render_bench.c) an image surface, to measure what the PDF
 * backend adds to the same drawing. */
int render_license_draw(const json_t *doc, const char *qr_text, cairo_surface_t *s,
			struct yerr *err);

#endif
