#ifndef YIYE_RENDER_H
#define YIYE_RENDER_H
/*
 * render.h — what the license looks like outside the database: the QR code
 * as a PNG, the A4 license as a PDF, and the way back (the first QR code of
 * a PNG or of a PDF's first page, for `yiye verify FILE`).
 *
 * Every function is thread-safe: the server renders on its worker threads.
 * Pango keeps one font map per thread (pango_cairo_font_map_get_default is
 * per-thread since Pango 1.32.6), so the font configuration is loaded once
 * per worker thread, not once per call, and threads never share a layout.
 *
 * Buffers handed out are malloc'd; the caller frees them with free().
 * Errors travel in struct yerr (src/core/error.h) with Chinese messages.
 */
#include <stddef.h>

#include <jansson.h>

#include "core/error.h"

/* Limits of what render_qr_read_file accepts (hostile files: refuse, never
 * allocate by what a header claims). */
#define RENDER_READ_MAX_BYTES (20u * 1024u * 1024u)  /* a PNG or PDF file */
#define RENDER_READ_MAX_PIXELS (40u * 1000u * 1000u) /* a decoded PNG or a rasterised page */
#define RENDER_PDF_DPI 200.0                         /* rasterising a PDF's first page */

/* Pixels per QR module in render_qr_png; the quiet zone is 4 modules. */
#define RENDER_QR_PNG_SCALE 8
#define RENDER_QR_QUIET 4

/*
 * render_qr_png encodes text (UTF-8, at most 2,000 bytes) as a QR code,
 * error correction level M, 4-module quiet zone, 8 px per module, black on
 * white, and writes it as a PNG into a malloc'd *png of *len bytes.
 * Returns 0, or -1 with err (qr_too_long 400, render_failed 500).
 */
int render_qr_png(const char *text, unsigned char **png, size_t *len, struct yerr *err);

/*
 * render_license_pdf lays out the license document doc (the signed JSON of
 * docs/api-licenses.md) as an A4 portrait PDF with the QR code of qr_text
 * drawn as vector squares, into a malloc'd *pdf of *len bytes. Long permit
 * tables continue on further pages. The same doc and qr_text give the same
 * bytes (the PDF's dates come from doc's issued_on). Returns 0, or -1 with
 * err (license_doc_invalid 500 naming the missing member in err.field,
 * license_text_too_long 422 for text that would run off a page,
 * qr_too_long 400, render_failed 500).
 */
int render_license_pdf(const json_t *doc, const char *qr_text, unsigned char **pdf, size_t *len,
		       struct yerr *err);

/*
 * render_qr_read_file reads the first QR code of a PNG file or of a PDF's
 * first page (rasterised at RENDER_PDF_DPI) into a malloc'd NUL-terminated
 * *text. Returns 0, or -1 with err: file_unreadable (400), file_too_large
 * (413), not_png_or_pdf (400; also a damaged PNG or PDF), page_too_large
 * (400), no_qr_found (422).
 */
int render_qr_read_file(const char *path, char **text, struct yerr *err);

/* render_qr_read_mem is render_qr_read_file on bytes already in memory. */
int render_qr_read_mem(const unsigned char *data, size_t len, char **text, struct yerr *err);

#endif
