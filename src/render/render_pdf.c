/*
 * render_pdf.c — the license as an A4 portrait PDF (cairo + Pango, Noto CJK).
 *
 * The members of the license document (docs/api-licenses.md) it prints:
 *   type              the title (行业综合许可证 when absent)
 *   number, eid       许可证编号, 电子证照标识                       required
 *   version           第 N 版                                        required
 *   holder.name       名称 (the holder)                              required
 *   holder.uscc       统一社会信用代码                               required
 *   holder.legal_rep  法定代表人（负责人）                            optional
 *   address           经营场所                                       optional
 *   industry.name     行业                                           optional
 *   valid_from        有效期限 from                                   required
 *   valid_until       有效期限 to; null or absent = 长期有效
 *   permits[]         the table: name (required), department_name
 *                     (department when absent), basis (设定依据)
 *   issuer.name       发证机关                                       required
 *   issued_on         发证日期, and the PDF's creation date           required
 *   kid               签名密钥标识                                    required
 * qr_text is drawn as a vector QR code; its part before '#' (the online
 * status page) is printed as the 核验网址.
 *
 * Layout in two passes: every table row is laid out (Pango, wrapped to its
 * column) and measured first, rows are assigned to pages — a row never
 * splits, the closing block (issuing authority, date, how to verify) goes
 * on the last page or a page of its own — and only then is anything drawn,
 * so each page can say 第 i 页 共 n 页.
 *
 * Reproducible: the same doc and qr_text give the same bytes. cairo 1.16
 * writes no time or random identifier of its own once the creation and
 * modification dates are set (both from issued_on), and the font subsets
 * are named after their glyphs. tests/unit/test_render.c checks it.
 */
#include "render/render.h"
#include "render/render_internal.h"

#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_W 595.276 /* A4 in points */
#define PAGE_H 841.890
#define MARGIN 56.0 /* about 20 mm */
#define CONTENT_W (PAGE_W - 2 * MARGIN)
#define BOTTOM (PAGE_H - MARGIN - 20.0) /* above the page number */
#define QR_SIDE 118.0                   /* the printed QR with its quiet zone, about 42 mm */
#define CELL_PAD 5.0
#define CLOSING_GAP 22.0 /* between the issuer lines and the notes, a rule in the middle */
#define NCOLS 4
#define MAX_PERMITS 200
#define PDF_MAX_BYTES (32u * 1024u * 1024u)

/*
 * One face of Noto CJK for the whole license (Noto Sans CJK SC regular),
 * the title and headings made bold by stroking their outlines (show_bold)
 * rather than with a second face, and Latin letters and digits (numbers,
 * codes, the URL) from DejaVu Sans, listed first so Pango takes them from it.
 * Both for cairo 1.16's sake, measured on the license of
 * tests/unit/test_render.c:
 *  - cairo reads Noto CJK's whole outline table (about 16 MB, shared by all
 *    its glyphs) for every face it embeds in a PDF: about 10 ms of CPU and
 *    50 kB of file per face and document; a second face (a serif bold title)
 *    cost 22 ms and 171 kB against 16 ms and 119 kB (bench/render_bench.c);
 *  - cairo keeps only the outline subroutines a subset uses, except for some
 *    sets of glyphs, where it keeps them all (we saw every one of the 26,000
 *    subroutines of one of the font's dictionaries embedded, about 500 kB;
 *    which glyph makes cairo do so was not pinned down). Noto's own Latin
 *    capitals next to Chinese did it (a one-page license of 900 kB with the
 *    credit code 91310104MA1FL8XX3Q), and so did the serif face for this
 *    license's text. DejaVu is TrueType, which cairo subsets to a few kB.
 * Other texts may still meet the second case: the PDF is then larger and
 * slower (about 1 MB, 35 ms), never wrong.
 */
#define FONT "DejaVu Sans, Noto Sans CJK SC"

/* Column widths of the permit table: 序号, 许可事项, 实施部门, 设定依据. */
static const double col_w[NCOLS] = {34.0, 128.0, 104.0, CONTENT_W - 34.0 - 128.0 - 104.0};

struct row {
	PangoLayout *cell[NCOLS];
	double h;
	int page;
	double y;
};

struct pdf {
	cairo_t *cr;
	PangoContext *ctx;
	const json_t *doc;
	const char *title, *number;
	char verify_url[512];
	QRcode *qr;
	struct row head;  /* the table's header row, repeated on each page */
	struct row *rows; /* one per permit */
	size_t nrows;
	int npages;
	double table_top0;    /* where the table starts on page 1 */
	double closing_h;     /* height of the closing block */
	double closing_y;     /* its top, on the last page */
	PangoLayout *issuer;  /* 发证机关, 发证日期 */
	PangoLayout *closing; /* how to verify, key, version */
};

/* doc's string member at a dotted path ("holder.name"); NULL when absent,
 * not a string or empty. */
static const char *doc_str(const json_t *doc, const char *path)
{
	char key[32];
	const char *dot = strchr(path, '.');
	const char *s;

	if (dot != NULL) {
		snprintf(key, sizeof(key), "%.*s", (int)(dot - path), path);
		return doc_str(json_object_get(doc, key), dot + 1);
	}
	s = json_string_value(json_object_get(doc, path));
	return s && *s ? s : NULL;
}

/* "2026-12-02" → "2026年12月2日"; anything else is printed as given. */
static void date_zh(const char *iso, char *out, size_t n)
{
	int y, m, d;
	char tail;

	if (iso != NULL && sscanf(iso, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3)
		snprintf(out, n, "%d年%d月%d日", y, m, d);
	else
		snprintf(out, n, "%s", iso ? iso : "—");
}

/* A layout of text in font (FONT " 10"), wrapped at width points
 * (0: no wrapping). CJK breaks between any two characters; Latin words and
 * codes break only when a whole word does not fit. */
static PangoLayout *text_layout(struct pdf *p, const char *text, const char *font, double width,
				PangoAlignment align)
{
	PangoLayout *l = pango_layout_new(p->ctx);
	PangoFontDescription *fd = pango_font_description_from_string(font);

	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	if (width > 0) {
		pango_layout_set_width(l, (int)(width * PANGO_SCALE));
		pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	}
	pango_layout_set_alignment(l, align);
	pango_layout_set_text(l, text ? text : "—", -1);
	return l;
}

static double layout_h(PangoLayout *l)
{
	int w, h;

	pango_layout_get_size(l, &w, &h);
	return (double)h / PANGO_SCALE;
}

static void show(struct pdf *p, PangoLayout *l, double x, double y)
{
	cairo_move_to(p->cr, x, y);
	pango_cairo_show_layout(p->cr, l);
}

/* Shows l made bold: the glyphs are filled as text (a reader still finds
 * the text) and their outlines stroked `weight` points wide on top. */
static void show_bold(struct pdf *p, PangoLayout *l, double x, double y, double weight)
{
	show(p, l, x, y);
	cairo_move_to(p->cr, x, y);
	pango_cairo_layout_path(p->cr, l);
	cairo_set_line_width(p->cr, weight);
	cairo_set_line_join(p->cr, CAIRO_LINE_JOIN_ROUND);
	cairo_stroke(p->cr);
	cairo_set_line_join(p->cr, CAIRO_LINE_JOIN_MITER);
}

/* Shows text once and frees its layout; returns its height. */
static double show_text(struct pdf *p, const char *text, const char *font, double x, double y,
			double width, PangoAlignment align)
{
	PangoLayout *l = text_layout(p, text, font, width, align);
	double h = layout_h(l);

	show(p, l, x, y);
	g_object_unref(l);
	return h;
}

static void row_free(struct row *r)
{
	for (int i = 0; i < NCOLS; i++)
		if (r->cell[i] != NULL)
			g_object_unref(r->cell[i]);
}

static void row_make(struct pdf *p, struct row *r, const char *const text[NCOLS], const char *font)
{
	r->h = 0;
	for (int i = 0; i < NCOLS; i++) {
		double h;

		r->cell[i] = text_layout(p, text[i], font, col_w[i] - 2 * CELL_PAD,
					 i == 0 ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT);
		h = layout_h(r->cell[i]) + 2 * CELL_PAD;
		if (h > r->h)
			r->h = h;
	}
}

/* A row with its grid lines, top at y; the header row on a grey ground. */
static void row_draw(struct pdf *p, const struct row *r, double y, int header)
{
	double x = MARGIN;

	if (header) {
		cairo_set_source_rgb(p->cr, 0.92, 0.92, 0.92);
		cairo_rectangle(p->cr, MARGIN, y, CONTENT_W, r->h);
		cairo_fill(p->cr);
	}
	cairo_set_source_rgb(p->cr, 0.1, 0.1, 0.1);
	for (int i = 0; i < NCOLS; i++) {
		if (header)
			show_bold(p, r->cell[i], x + CELL_PAD, y + CELL_PAD, 0.35);
		else
			show(p, r->cell[i], x + CELL_PAD, y + CELL_PAD);
		x += col_w[i];
	}
	cairo_set_source_rgb(p->cr, 0.35, 0.35, 0.35);
	cairo_set_line_width(p->cr, 0.6);
	cairo_rectangle(p->cr, MARGIN, y, CONTENT_W, r->h);
	x = MARGIN;
	for (int i = 0; i < NCOLS - 1; i++) {
		x += col_w[i];
		cairo_move_to(p->cr, x, y);
		cairo_line_to(p->cr, x, y + r->h);
	}
	cairo_stroke(p->cr);
}

/* The frame of every page: a double rule in seal red, and 第 i 页 共 n 页. */
static void page_frame(struct pdf *p, int page)
{
	char s[64];

	cairo_set_source_rgb(p->cr, 0.62, 0.12, 0.10);
	cairo_set_line_width(p->cr, 2.0);
	cairo_rectangle(p->cr, MARGIN - 22, MARGIN - 22, CONTENT_W + 44, PAGE_H - 2 * MARGIN + 44);
	cairo_stroke(p->cr);
	cairo_set_line_width(p->cr, 0.6);
	cairo_rectangle(p->cr, MARGIN - 17, MARGIN - 17, CONTENT_W + 34, PAGE_H - 2 * MARGIN + 34);
	cairo_stroke(p->cr);
	snprintf(s, sizeof(s), "第 %d 页  共 %d 页", page + 1, p->npages);
	cairo_set_source_rgb(p->cr, 0.3, 0.3, 0.3);
	show_text(p, s, FONT " 8", MARGIN, PAGE_H - MARGIN - 8, CONTENT_W, PANGO_ALIGN_CENTER);
}

/* Page 1 above the table: title, the holder's fields beside the QR code.
 * Returns the y where the table's heading goes. With draw == 0 it only
 * measures (the first pass). */
static double page1_head(struct pdf *p, int draw)
{
	static const char *const label[] = {"许可证编号",       "电子证照标识", "名　　称",
					    "统一社会信用代码", "法定代表人",   "经营场所",
					    "行　　业",         "有效期限"};
	const json_t *doc = p->doc;
	char from[48], until[48], period[128];
	const char *value[8];
	double y = MARGIN, fx = MARGIN, label_w = 100, value_w = CONTENT_W - QR_SIDE - 16 - label_w;
	double qr_y;

	date_zh(doc_str(doc, "valid_from"), from, sizeof(from));
	if (doc_str(doc, "valid_until") != NULL) {
		date_zh(doc_str(doc, "valid_until"), until, sizeof(until));
		snprintf(period, sizeof(period), "%s 至 %s", from, until);
	} else {
		snprintf(period, sizeof(period), "自 %s 起长期有效", from);
	}
	value[0] = p->number;
	value[1] = doc_str(doc, "eid");
	value[2] = doc_str(doc, "holder.name");
	value[3] = doc_str(doc, "holder.uscc");
	value[4] = doc_str(doc, "holder.legal_rep");
	value[5] = doc_str(doc, "address");
	value[6] = doc_str(doc, "industry.name");
	value[7] = period;

	{
		PangoLayout *t =
		    text_layout(p, p->title, FONT " 28", CONTENT_W, PANGO_ALIGN_CENTER);
		PangoAttrList *a = pango_attr_list_new();

		/* The spaced-out title of a certificate. */
		pango_attr_list_insert(a, pango_attr_letter_spacing_new(10 * PANGO_SCALE));
		pango_layout_set_attributes(t, a);
		pango_attr_list_unref(a);
		if (draw) {
			cairo_set_source_rgb(p->cr, 0.05, 0.05, 0.05);
			show_bold(p, t, MARGIN, y, 0.9);
		}
		y += layout_h(t) + 18;
		g_object_unref(t);
	}
	qr_y = y;
	for (int i = 0; i < 8; i++) {
		PangoLayout *v = text_layout(p, value[i], FONT " 10.5", value_w, PANGO_ALIGN_LEFT);
		PangoLayout *k = text_layout(p, label[i], FONT " 10.5", label_w, PANGO_ALIGN_LEFT);
		/* Label and value on one baseline: a value of Latin letters
		 * (DejaVu) sits higher in its line than Chinese (Noto). */
		double bv = (double)pango_layout_get_baseline(v) / PANGO_SCALE;
		double bk = (double)pango_layout_get_baseline(k) / PANGO_SCALE;
		double b = bv > bk ? bv : bk, hv = layout_h(v) + b - bv, hk = layout_h(k) + b - bk;

		if (draw) {
			cairo_set_source_rgb(p->cr, 0.35, 0.35, 0.35);
			show(p, k, fx, y + b - bk);
			cairo_set_source_rgb(p->cr, 0.05, 0.05, 0.05);
			show(p, v, fx + label_w, y + b - bv);
		}
		y += (hv > hk ? hv : hk) + 5;
		g_object_unref(k);
		g_object_unref(v);
	}
	if (draw) {
		double module = QR_SIDE / (p->qr->width + 2 * RENDER_QR_QUIET);
		double qx = MARGIN + CONTENT_W - QR_SIDE;

		cairo_set_source_rgb(p->cr, 0, 0, 0);
		render_qr_path(p->cr, p->qr, qx + RENDER_QR_QUIET * module,
			       qr_y + RENDER_QR_QUIET * module, module);
		cairo_fill(p->cr);
		cairo_set_source_rgb(p->cr, 0.2, 0.2, 0.2);
		show_text(p, "扫码核验", FONT " 9", qx, qr_y + QR_SIDE, QR_SIDE,
			  PANGO_ALIGN_CENTER);
	}
	if (y < qr_y + QR_SIDE + 16)
		y = qr_y + QR_SIDE + 16;
	return y + 14;
}

/* Pages after the first: a running head naming the license. */
static double page_n_head(struct pdf *p, int draw)
{
	char s[256];
	double h;

	snprintf(s, sizeof(s), "%s（续页）  许可证编号：%s", p->title, p->number);
	if (!draw) {
		PangoLayout *l = text_layout(p, s, FONT " 10", CONTENT_W, PANGO_ALIGN_LEFT);

		h = layout_h(l);
		g_object_unref(l);
	} else {
		cairo_set_source_rgb(p->cr, 0.2, 0.2, 0.2);
		h = show_text(p, s, FONT " 10", MARGIN, MARGIN, CONTENT_W, PANGO_ALIGN_LEFT);
	}
	return MARGIN + h + 14;
}

/* The heading of the table on a page ("许可事项" or "许可事项（续）"). */
static double table_heading(struct pdf *p, int page, double y, int draw)
{
	const char *s = page == 0 ? "许可事项" : "许可事项（续）";
	PangoLayout *l = text_layout(p, s, FONT " 12", CONTENT_W, PANGO_ALIGN_LEFT);
	double h = layout_h(l);

	if (draw) {
		cairo_set_source_rgb(p->cr, 0.05, 0.05, 0.05);
		show_bold(p, l, MARGIN, y, 0.4);
	}
	g_object_unref(l);
	return y + h + 6;
}

/* Assigns every row a page and a y, and the closing block its place. A row
 * never splits, so one taller than a whole page's table (a legal basis of
 * about 900 characters) cannot be printed: -1 with err, rather than a row
 * running off the page. */
static int paginate(struct pdf *p, struct yerr *err)
{
	int page = 0, on_page = 0;
	double y = table_heading(p, 0, p->table_top0, 0) + p->head.h;
	double cont_top = table_heading(p, 1, page_n_head(p, 0), 0) + p->head.h;

	/* The holder's fields wrap; page 1 must still hold the table's start. */
	if (y > PAGE_H / 2)
		return yerr_set(err, 422, "license_text_too_long", "address",
				"许可证的名称、地址等字段过长，首页容纳不下");
	for (size_t i = 0; i < p->nrows; i++) {
		struct row *r = &p->rows[i];

		if (r->h > BOTTOM - cont_top)
			return yerr_set(err, 422, "license_text_too_long", "permits",
					"第 %zu 项许可事项的文字过长，一页容纳不下", i + 1);
		if (y + r->h > BOTTOM && on_page > 0) {
			page++;
			on_page = 0;
			y = cont_top;
		}
		r->page = page;
		r->y = y;
		y += r->h;
		on_page++;
	}
	y += 28;
	if (y + p->closing_h > BOTTOM) {
		page++;
		y = page_n_head(p, 0);
	}
	p->closing_y = y;
	p->npages = page + 1;
	return 0;
}

/* The closing block: issuing authority and date on the right, where the
 * seal goes; under a rule, how to verify, the signing key and the version. */
static int closing_make(struct pdf *p)
{
	const json_t *doc = p->doc;
	char date[48], *s;
	size_t n;

	date_zh(doc_str(doc, "issued_on"), date, sizeof(date));
	n = 1024 + strlen(p->verify_url) + strlen(doc_str(doc, "issuer.name"));
	s = malloc(n);
	if (s == NULL)
		return -1;
	snprintf(s, n, "发证机关：%s\n发证日期：%s", doc_str(doc, "issuer.name"), date);
	p->issuer = text_layout(p, s, FONT " 11.5", CONTENT_W, PANGO_ALIGN_RIGHT);
	pango_layout_set_spacing(p->issuer, 4 * PANGO_SCALE);
	snprintf(s, n,
		 "核验方式：使用手机扫描本证二维码，可在线查看本证当前状态；二维码含发证机关的"
		 "电子签名，无网络时也可离线核验。\n核验网址：%s\n签名密钥标识：%s　　"
		 "版本：第 %lld 版",
		 p->verify_url, doc_str(doc, "kid"),
		 (long long)json_integer_value(json_object_get(doc, "version")));
	p->closing = text_layout(p, s, FONT " 9", CONTENT_W, PANGO_ALIGN_LEFT);
	free(s);
	p->closing_h = layout_h(p->issuer) + CLOSING_GAP + layout_h(p->closing);
	return 0;
}

static void closing_draw(struct pdf *p)
{
	double y = p->closing_y, rule = y + layout_h(p->issuer) + CLOSING_GAP / 2;

	cairo_set_source_rgb(p->cr, 0.05, 0.05, 0.05);
	show(p, p->issuer, MARGIN, y);
	cairo_set_source_rgb(p->cr, 0.6, 0.6, 0.6);
	cairo_set_line_width(p->cr, 0.5);
	cairo_move_to(p->cr, MARGIN, rule);
	cairo_line_to(p->cr, MARGIN + CONTENT_W, rule);
	cairo_stroke(p->cr);
	cairo_set_source_rgb(p->cr, 0.25, 0.25, 0.25);
	show(p, p->closing, MARGIN, y + layout_h(p->issuer) + CLOSING_GAP);
}

/* Checks the members the license cannot be printed without; -1 with err
 * naming the first one missing. */
static int doc_check(const json_t *doc, struct yerr *err)
{
	static const char *const need[] = {"number",      "eid",        "holder.name",
					   "holder.uscc", "valid_from", "issuer.name",
					   "issued_on",   "kid"};
	const json_t *permits = json_object_get(doc, "permits");
	size_t i;
	json_t *pm;

	if (!json_is_object(doc))
		return yerr_set(err, 500, "license_doc_invalid", "", "许可证文档不是对象");
	for (i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		if (doc_str(doc, need[i]) == NULL)
			return yerr_set(err, 500, "license_doc_invalid", need[i],
					"许可证文档缺少 %s", need[i]);
	if (!json_is_integer(json_object_get(doc, "version")))
		return yerr_set(err, 500, "license_doc_invalid", "version",
				"许可证文档缺少 version");
	if (!json_is_array(permits) || json_array_size(permits) == 0 ||
	    json_array_size(permits) > MAX_PERMITS)
		return yerr_set(err, 500, "license_doc_invalid", "permits",
				"许可证文档的许可事项应为 1 至 %d 项", MAX_PERMITS);
	json_array_foreach (permits, i, pm)
		if (doc_str(pm, "name") == NULL)
			return yerr_set(err, 500, "license_doc_invalid", "permits",
					"第 %zu 项许可事项缺少名称", i + 1);
	return 0;
}

/* PDF metadata: title, issuer, and the dates from issued_on, so the file
 * does not carry the time it was rendered. */
static void pdf_metadata(cairo_surface_t *s, const json_t *doc)
{
	char t[256], d[40];
	const char *type = doc_str(doc, "type");

	snprintf(t, sizeof(t), "%s %s", type ? type : "行业综合许可证", doc_str(doc, "number"));
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, t);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_AUTHOR, doc_str(doc, "issuer.name"));
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "Yiye");
	snprintf(d, sizeof(d), "%.10sT00:00:00+08:00", doc_str(doc, "issued_on"));
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, d);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, d);
}

int render_license_draw(const json_t *doc, const char *qr_text, cairo_surface_t *s,
			struct yerr *err)
{
	struct pdf p = {.doc = doc};
	const json_t *permits;
	const char *hash;
	int rc = -1;

	if (doc_check(doc, err) < 0)
		return -1;
	p.qr = render_qr_encode(qr_text, err);
	if (p.qr == NULL)
		return -1;
	p.title = doc_str(doc, "type") ? doc_str(doc, "type") : "行业综合许可证";
	p.number = doc_str(doc, "number");
	hash = strchr(qr_text, '#');
	snprintf(p.verify_url, sizeof(p.verify_url), "%.*s",
		 (int)(hash ? (size_t)(hash - qr_text) : strlen(qr_text)), qr_text);

	p.cr = cairo_create(s);
	/* One context per document from this thread's font map (Pango keeps
	 * one per thread): fonts are looked up once per thread, not per call. */
	p.ctx = pango_cairo_create_context(p.cr);
	/* Font sizes are in points and so is the PDF surface: 72 units per
	 * inch, not Pango's default 96, or every size comes out a third larger. */
	pango_cairo_context_set_resolution(p.ctx, 72.0);
	/* Simplified Chinese glyph forms wherever a font offers several. */
	pango_context_set_language(p.ctx, pango_language_from_string("zh-cn"));

	{
		static const char *const head[NCOLS] = {"序号", "许可事项", "实施部门", "设定依据"};
		size_t i;
		json_t *pm;

		row_make(&p, &p.head, head, FONT " 10");
		permits = json_object_get(doc, "permits");
		p.nrows = json_array_size(permits);
		p.rows = calloc(p.nrows, sizeof(*p.rows));
		if (p.rows == NULL) {
			yerr_set(err, 500, "render_failed", "", "内存不足");
			goto out;
		}
		json_array_foreach (permits, i, pm) {
			char no[24];
			const char *text[NCOLS];

			snprintf(no, sizeof(no), "%zu", i + 1);
			text[0] = no;
			text[1] = doc_str(pm, "name");
			text[2] = doc_str(pm, "department_name") ? doc_str(pm, "department_name")
								 : doc_str(pm, "department");
			text[3] = doc_str(pm, "basis");
			row_make(&p, &p.rows[i], text, FONT " 9.5");
		}
	}
	if (closing_make(&p) < 0) {
		yerr_set(err, 500, "render_failed", "", "内存不足");
		goto out;
	}
	p.table_top0 = page1_head(&p, 0);
	if (paginate(&p, err) < 0)
		goto out;

	for (int page = 0; page < p.npages; page++) {
		double y = page == 0 ? page1_head(&p, 1) : page_n_head(&p, 1);
		int any = 0;

		page_frame(&p, page);
		for (size_t i = 0; i < p.nrows; i++) {
			if (p.rows[i].page != page)
				continue;
			if (!any) {
				y = table_heading(&p, page, y, 1);
				row_draw(&p, &p.head, y, 1);
				any = 1;
			}
			row_draw(&p, &p.rows[i], p.rows[i].y, 0);
		}
		if (page == p.npages - 1)
			closing_draw(&p);
		cairo_show_page(p.cr);
	}
	if (cairo_status(p.cr) != CAIRO_STATUS_SUCCESS) {
		yerr_set(err, 500, "render_failed", "", "许可证绘制失败");
		goto out;
	}
	rc = 0;
out:
	if (p.closing != NULL)
		g_object_unref(p.closing);
	if (p.issuer != NULL)
		g_object_unref(p.issuer);
	for (size_t i = 0; p.rows != NULL && i < p.nrows; i++)
		row_free(&p.rows[i]);
	free(p.rows);
	row_free(&p.head);
	if (p.ctx != NULL)
		g_object_unref(p.ctx);
	if (p.cr != NULL)
		cairo_destroy(p.cr);
	QRcode_free(p.qr);
	return rc;
}

int render_license_pdf(const json_t *doc, const char *qr_text, unsigned char **pdf, size_t *len,
		       struct yerr *err)
{
	struct render_buf buf = {.max = PDF_MAX_BYTES};
	cairo_surface_t *s;
	int rc;

	*pdf = NULL;
	*len = 0;
	s = cairo_pdf_surface_create_for_stream(render_buf_write, &buf, PAGE_W, PAGE_H);
	rc = render_license_draw(doc, qr_text, s, err);
	if (rc == 0) {
		pdf_metadata(s, doc);
		cairo_surface_finish(s);
		if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS || buf.failed)
			rc = yerr_set(err, 500, "render_failed", "", "许可证 PDF 生成失败");
	}
	cairo_surface_destroy(s);
	if (rc == 0) {
		*pdf = buf.data;
		*len = buf.len;
	} else {
		free(buf.data);
	}
	return rc;
}
