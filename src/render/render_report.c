/*
 * render_report.c — the monthly report (月度报告) as an A4 portrait PDF
 * (cairo + Pango, Noto CJK), from the statistics the report glue
 * (src/http/h_report.c, report_monthly_build) gathers through stats_overview
 * and stats_view: the API's own figures, so the PDF and the API agree.
 *
 * Page 1 opens with the title, the period and the headline figures of the
 * month (a two-column table of label and value); then one block per view,
 * each a heading and a chart: the monthly trend of the last 12 months as
 * lines, the industries, the departments' on-time rates, promised vs
 * measured savings, supervision coverage and satisfaction as bars. A block
 * never splits: one that does not fit goes to the next page. Charts are
 * drawn with cairo paths, text through Pango, so pdftotext finds every
 * figure and label.
 *
 * A chart takes the rows of its view as categories, named by the column
 * "name" (else "label", else the first), and as series the columns the
 * view prefers (chart_spec below), else every numeric column sharing the
 * first one's unit — the rule of the dashboards (web/src/views/statistics/
 * views.js), so both show the same picture. Shares (unit 比例, 0..1) are
 * drawn and printed as percentages; the savings are drawn relative to the
 * pre-reform value (= 100) and printed as they are, since days and
 * materials share the axis; the supervision view is a table of figures, of
 * which the coverage rates by credit grade are drawn. A column marked
 * "modelled" (catalog values not yet confirmed by a department) is drawn
 * hatched grey and named 模型取值 in the legend, and the page says what
 * that means.
 *
 * Reproducible: the PDF's dates come from generated_on (else the month), and
 * cairo 1.16 writes nothing time- or random-dependent once they are set.
 */
#include "render/render_internal.h"
#include "render/render_report.h"

#include <cairo-pdf.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_W 595.276 /* A4 in points */
#define PAGE_H 841.890
#define MARGIN 50.0
#define CONTENT_W (PAGE_W - 2 * MARGIN)
#define BOTTOM (PAGE_H - MARGIN - 16.0) /* above the page footer */
#define CHART_H 200.0                   /* the plot area of a chart */
#define MAX_CATS 12                     /* categories drawn per chart */
#define MAX_SERIES 3                    /* series drawn per chart */
#define PDF_MAX_BYTES (16u * 1024u * 1024u)

/* The faces of render_pdf.c, for the same reasons (DejaVu for Latin and
 * digits keeps cairo's font subsets small). */
#define FONT "DejaVu Sans, Noto Sans CJK SC"

/* Colours of the series; a modelled series is grey and hatched instead. */
static const double series_rgb[MAX_SERIES][3] = {
    {0.72, 0.11, 0.11}, {0.08, 0.40, 0.75}, {0.18, 0.49, 0.20}};

/* How a view becomes a chart:
 *   CHART_COLUMNS   categories = rows, series = the columns named in prefer
 *                   (else every numeric column with the first one's unit);
 *   CHART_RELATIVE  the same, each value drawn as a share of the row's
 *                   prefer[0] column (= 100), printed as it is: measures
 *                   of different units (days, materials) share one axis;
 *   CHART_FIGURES   a figure table {key,label,value,unit}: the rows whose
 *                   key starts with prefer[0], one series of their values. */
enum chart_kind { CHART_COLUMNS, CHART_RELATIVE, CHART_FIGURES };

/* The views the report draws, in order. */
static const struct chart_spec {
	const char *view, *title;
	int line; /* 1: lines (the trend), 0: bars */
	enum chart_kind kind;
	const char *prefer[3];
} charts[] = {
    {"trends", "近 12 个月申请与发证趋势", 1, CHART_COLUMNS, {"applications", "licensed", NULL}},
    {"industries", "分行业申请与发证", 0, CHART_COLUMNS, {"applications", "licensed", NULL}},
    {"departments", "部门按承诺时限办结率", 0, CHART_COLUMNS, {"on_time_rate", NULL, NULL}},
    {"savings",
     "承诺与实测对比（以改革前为 100）",
     0,
     CHART_RELATIVE,
     {"before", "promised", "measured"}},
    {"supervision", "监管覆盖（按信用等级）", 0, CHART_FIGURES, {"coverage.", NULL, NULL}},
    {"satisfaction", "满意度（好差评）", 0, CHART_COLUMNS, {"count", NULL, NULL}},
};

/* The headline figures: the overview's member, its label, its unit; rate: a
 * share printed as a percentage. */
static const struct figure {
	const char *path, *label, *unit;
	int rate;
} figures[] = {
    {"applications.total", "申请总数", "件", 0},
    {"licenses.issued", "发放许可证", "张", 0},
    {"licenses.changed", "许可证变更", "次", 0},
    {"licenses.cancelled", "许可证注销", "张", 0},
    {"licenses.revoked", "许可证吊销", "张", 0},
    {"duration.n", "计入办理用时的申请", "件", 0},
    {"duration.mean_days", "平均办理用时", "个工作日", 0},
    {"duration.median_days", "办理用时中位数", "个工作日", 0},
    {"duration.p90_days", "办理用时第 90 百分位", "个工作日", 0},
    {"duration.on_time_rate", "按时办结率", "", 1},
    {"duration.paused_days_mean", "补正平均暂停", "个工作日", 0},
    {"duration.supplement_rounds_mean", "平均补正次数", "次", 0},
    {"materials.asked", "要求提交的材料", "份", 0},
    {"materials.obtained_by_sharing", "通过共享获取的材料", "份", 0},
    {"fields.filled", "填写的表单字段", "项", 0},
    {"fields.prefilled", "预填的表单字段", "项", 0},
    {"satisfaction.ratings", "好差评评价数", "条", 0},
    {"satisfaction.satisfied_rate", "满意率", "", 1},
    {"satisfaction.followups_open", "未办结的差评整改", "件", 0},
};

struct rep {
	cairo_t *cr;
	PangoContext *ctx;
	const json_t *report;
	char footer[160];
	int page;  /* 1-based, the page being drawn */
	double y;  /* where the next block starts */
	int fresh; /* nothing drawn on this page yet */
};

/* The member at a dotted path ("duration.mean_days"), or NULL. */
static const json_t *path_get(const json_t *o, const char *path)
{
	char key[48];
	const char *dot;

	while (o != NULL && (dot = strchr(path, '.')) != NULL) {
		snprintf(key, sizeof(key), "%.*s", (int)(dot - path), path);
		o = json_object_get(o, key);
		path = dot + 1;
	}
	return o ? json_object_get(o, path) : NULL;
}

void render_report_number(const json_t *v, int rate, char *out, size_t n)
{
	if (json_is_integer(v) && !rate)
		snprintf(out, n, "%lld", (long long)json_integer_value(v));
	else if (json_is_number(v) && rate)
		snprintf(out, n, "%.1f%%", json_number_value(v) * 100.0);
	else if (json_is_number(v))
		snprintf(out, n, "%.1f", json_number_value(v));
	else
		snprintf(out, n, "—");
}

static PangoLayout *layout(struct rep *p, const char *text, const char *font, double width,
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
	pango_layout_set_text(l, text && *text ? text : "—", -1);
	return l;
}

static double layout_h(PangoLayout *l)
{
	int w, h;

	pango_layout_get_size(l, &w, &h);
	return (double)h / PANGO_SCALE;
}

static double layout_w(PangoLayout *l)
{
	int w, h;

	pango_layout_get_size(l, &w, &h);
	return (double)w / PANGO_SCALE;
}

/* Shows text at (x, y) — the top left of its box, or its centre / right
 * edge for those alignments when width is 0 — and returns its height. */
static double text_at(struct rep *p, const char *text, const char *font, double x, double y,
		      double width, PangoAlignment align)
{
	PangoLayout *l = layout(p, text, font, width, align);
	double h = layout_h(l);

	if (width <= 0 && align == PANGO_ALIGN_CENTER)
		x -= layout_w(l) / 2;
	else if (width <= 0 && align == PANGO_ALIGN_RIGHT)
		x -= layout_w(l);
	cairo_move_to(p->cr, x, y);
	pango_cairo_show_layout(p->cr, l);
	g_object_unref(l);
	return h;
}

static void set_rgb(struct rep *p, double r, double g, double b)
{
	cairo_set_source_rgb(p->cr, r, g, b);
}

/* The footer of the page being drawn: what the report is, page number. */
static void page_footer(struct rep *p)
{
	char no[32];

	set_rgb(p, 0.4, 0.4, 0.4);
	text_at(p, p->footer, FONT " 8", MARGIN, PAGE_H - MARGIN, 0, PANGO_ALIGN_LEFT);
	snprintf(no, sizeof(no), "第 %d 页", p->page);
	text_at(p, no, FONT " 8", PAGE_W - MARGIN, PAGE_H - MARGIN, 0, PANGO_ALIGN_RIGHT);
}

/* Makes room for a block h points high: the next page when it does not fit
 * on this one (unless the page is still empty: a block taller than a page
 * is drawn anyway, and cut, rather than looping). */
static void need(struct rep *p, double h)
{
	if (p->y + h <= BOTTOM || p->fresh)
		return;
	page_footer(p);
	cairo_show_page(p->cr);
	p->page++;
	p->y = MARGIN;
	p->fresh = 1;
}

static void heading(struct rep *p, const char *text)
{
	set_rgb(p, 0.6, 0.08, 0.08);
	cairo_rectangle(p->cr, MARGIN, p->y + 2, 3, 14);
	cairo_fill(p->cr);
	set_rgb(p, 0.1, 0.1, 0.1);
	p->y +=
	    text_at(p, text, FONT " bold 12", MARGIN + 9, p->y, CONTENT_W - 9, PANGO_ALIGN_LEFT);
	p->y += 8;
	p->fresh = 0;
}

/* Title, period, date printed, and what the figures are. */
static void title_block(struct rep *p)
{
	const char *title = json_string_value(json_object_get(p->report, "title"));
	const char *period = json_string_value(json_object_get(p->report, "period"));
	const char *gen = json_string_value(json_object_get(p->report, "generated_on"));
	const char *scope = json_string_value(json_object_get(p->report, "scope"));
	char line[400];

	set_rgb(p, 0.6, 0.08, 0.08);
	p->y += text_at(p, title ? title : "“一业一证”改革成效月度报告", FONT " bold 18", MARGIN,
			p->y, CONTENT_W, PANGO_ALIGN_CENTER);
	p->y += 6;
	snprintf(line, sizeof(line), "统计期间：%s%s%s%s%s", period ? period : "—",
		 scope ? "　　统计范围：" : "", scope ? scope : "", gen ? "　　生成日期：" : "",
		 gen ? gen : "");
	set_rgb(p, 0.25, 0.25, 0.25);
	p->y += text_at(p, line, FONT " 10", MARGIN, p->y, CONTENT_W, PANGO_ALIGN_CENTER);
	cairo_set_line_width(p->cr, 1.2);
	set_rgb(p, 0.6, 0.08, 0.08);
	cairo_move_to(p->cr, MARGIN, p->y + 8);
	cairo_line_to(p->cr, PAGE_W - MARGIN, p->y + 8);
	cairo_stroke(p->cr);
	p->y += 20;
	p->fresh = 0;
}

/* The headline figures, two per row: label on the left, value and unit on
 * the right of each half. Figures the overview lacks are left out. */
static void figures_block(struct rep *p, const json_t *ov)
{
	const double half = CONTENT_W / 2, row_h = 20;
	size_t shown = 0, rows;
	size_t n = sizeof(figures) / sizeof(figures[0]);

	for (size_t i = 0; i < n; i++)
		shown += path_get(ov, figures[i].path) != NULL;
	rows = (shown + 1) / 2;
	need(p, 30 + rows * row_h);
	heading(p, "一、核心指标");
	shown = 0;
	for (size_t i = 0; i < n; i++) {
		const json_t *v = path_get(ov, figures[i].path);
		char num[48], val[96];
		double x, y;

		if (v == NULL)
			continue;
		x = MARGIN + (double)(shown % 2) * half;
		y = p->y + (double)(shown / 2) * row_h;
		if ((shown / 2) % 2 == 0) {
			set_rgb(p, 0.96, 0.96, 0.96);
			cairo_rectangle(p->cr, x, y, half - 6, row_h);
			cairo_fill(p->cr);
		}
		render_report_number(v, figures[i].rate, num, sizeof(num));
		snprintf(val, sizeof(val), "%s %s", num, strcmp(num, "—") ? figures[i].unit : "");
		set_rgb(p, 0.3, 0.3, 0.3);
		text_at(p, figures[i].label, FONT " 9.5", x + 6, y + 4, 0, PANGO_ALIGN_LEFT);
		set_rgb(p, 0.05, 0.05, 0.05);
		text_at(p, val, FONT " bold 10", x + half - 14, y + 3.5, 0, PANGO_ALIGN_RIGHT);
		shown++;
	}
	p->y += (double)rows * row_h + 8;
	if (json_is_true(path_get(ov, "savings.promised.modelled"))) {
		set_rgb(p, 0.55, 0.4, 0.1);
		p->y += text_at(p,
				"注：承诺压减中含模型取值（行业目录中尚未经部门确认的数据），"
				"实测值由平台办件记录计算。",
				FONT " 8.5", MARGIN, p->y, CONTENT_W, PANGO_ALIGN_LEFT);
	}
	p->y += 14;
}

/* A chart ready to draw: categories, series, the drawn value of each point
 * (NAN when missing) and the text printed on it. */
struct chart {
	int nser, ncat;
	size_t rows; /* rows of the view (more than ncat when cut) */
	char unit[40];
	char ser[MAX_SERIES][96];
	int modelled[MAX_SERIES];
	char cat[MAX_CATS][160];
	double v[MAX_SERIES][MAX_CATS];
	char text[MAX_SERIES][MAX_CATS][40];
};

/* The unit the API gives shares in (0..1); drawn and printed as %. */
#define UNIT_SHARE "比例"

/* A value printed on a chart: integers plain, reals with one decimal. */
static void chart_value(double v, char *out, size_t n)
{
	if (fabs(v - round(v)) < 1e-9)
		snprintf(out, n, "%.0f", v);
	else
		snprintf(out, n, "%.1f", v);
}

/* Sets point (s, c) from a JSON number in `unit`; a share becomes a
 * percentage. `scale_to` > 0: drawn as v / scale_to * 100, printed as is. */
static void chart_point(struct chart *ch, int s, int c, const json_t *v, const char *unit,
			double scale_to)
{
	double x = json_number_value(v);
	int share = unit != NULL && strcmp(unit, UNIT_SHARE) == 0;

	ch->v[s][c] = NAN;
	ch->text[s][c][0] = '\0';
	if (!json_is_number(v))
		return;
	if (share) {
		snprintf(ch->text[s][c], sizeof(ch->text[s][c]), "%.1f%%", x * 100.0);
		x *= 100.0;
	} else {
		chart_value(x, ch->text[s][c], sizeof(ch->text[s][c]));
	}
	if (scale_to > 0)
		ch->v[s][c] = x / scale_to * 100.0;
	else if (scale_to == 0)
		ch->v[s][c] = x;
}

/* The column naming the rows: "name", else "label", else the first. */
static const char *cat_key(const json_t *cols)
{
	size_t i;
	json_t *c;

	json_array_foreach (cols, i, c) {
		const char *k = json_string_value(json_object_get(c, "key"));

		if (k && (strcmp(k, "name") == 0 || strcmp(k, "label") == 0))
			return k;
	}
	return json_string_value(json_object_get(json_array_get(cols, 0), "key"));
}

/* The category label of row r: a string as it is, a number printed. */
static void chart_cat(struct chart *ch, int c, const json_t *v)
{
	if (json_is_string(v))
		snprintf(ch->cat[c], sizeof(ch->cat[c]), "%s", json_string_value(v));
	else
		render_report_number(v, 0, ch->cat[c], sizeof(ch->cat[c]));
}

static int column_numeric(const json_t *rows, const char *key)
{
	size_t r;
	json_t *row;

	json_array_foreach (rows, r, row)
		if (json_is_number(json_object_get(row, key)))
			return 1;
	return 0;
}

/* The series columns of a CHART_COLUMNS or CHART_RELATIVE view: the
 * preferred ones present, else every numeric column with the first one's
 * unit. Fills keys[] and returns how many. */
static int chart_pick(const struct chart_spec *spec, const json_t *cols, const json_t *rows,
		      const char *ck, const json_t *picked[MAX_SERIES])
{
	const char *unit = NULL;
	int n = 0;
	size_t i;
	json_t *c;

	for (int k = 0; k < 3 && spec->prefer[k] != NULL; k++)
		json_array_foreach (cols, i, c) {
			const char *key = json_string_value(json_object_get(c, "key"));

			if (n < MAX_SERIES && key && strcmp(key, spec->prefer[k]) == 0 &&
			    column_numeric(rows, key))
				picked[n++] = c;
		}
	if (n > 0 || spec->kind == CHART_RELATIVE)
		return n;
	json_array_foreach (cols, i, c) {
		const char *key = json_string_value(json_object_get(c, "key"));
		const char *cu = json_string_value(json_object_get(c, "unit"));

		if (n >= MAX_SERIES || key == NULL || strcmp(key, ck) == 0 ||
		    !column_numeric(rows, key))
			continue;
		if (n > 0 && strcmp(unit ? unit : "", cu ? cu : "") != 0)
			continue;
		unit = cu;
		picked[n++] = c;
	}
	return n;
}

/* Fills ch from a view's table for spec; ch->nser == 0 when there is
 * nothing to draw. */
static void chart_make(const struct chart_spec *spec, const json_t *table, struct chart *ch)
{
	const json_t *cols = json_object_get(table, "columns");
	const json_t *rows = json_object_get(table, "rows");
	const char *ck = cat_key(cols);
	const json_t *picked[MAX_SERIES];
	size_t r;
	json_t *row;

	memset(ch, 0, sizeof(*ch));
	if (ck == NULL)
		return;
	if (spec->kind == CHART_FIGURES) {
		ch->nser = 1;
		snprintf(ch->ser[0], sizeof(ch->ser[0]), "检查覆盖率");
		json_array_foreach (rows, r, row) {
			const char *key = json_string_value(json_object_get(row, "key"));
			const char *unit = json_string_value(json_object_get(row, "unit"));

			if (key == NULL ||
			    strncmp(key, spec->prefer[0], strlen(spec->prefer[0])) != 0)
				continue;
			ch->rows++;
			if (ch->ncat == MAX_CATS)
				continue;
			chart_cat(ch, ch->ncat, json_object_get(row, ck));
			chart_point(ch, 0, ch->ncat, json_object_get(row, "value"), unit, 0);
			snprintf(ch->unit, sizeof(ch->unit), "%s",
				 unit && strcmp(unit, UNIT_SHARE) == 0 ? "%"
				 : unit                                ? unit
								       : "");
			ch->ncat++;
		}
		if (ch->ncat == 0)
			ch->nser = 0;
		return;
	}
	ch->nser = chart_pick(spec, cols, rows, ck, picked);
	if (spec->kind == CHART_RELATIVE && ch->nser < 2)
		ch->nser = 0;
	for (int s = 0; s < ch->nser; s++) {
		const char *label = json_string_value(json_object_get(picked[s], "label"));

		ch->modelled[s] = json_is_true(json_object_get(picked[s], "modelled"));
		snprintf(ch->ser[s], sizeof(ch->ser[s]), "%s%s",
			 label ? label : json_string_value(json_object_get(picked[s], "key")),
			 ch->modelled[s] ? "（模型取值）" : "");
	}
	if (ch->nser > 0) {
		const char *u = json_string_value(json_object_get(picked[0], "unit"));

		if (spec->kind == CHART_RELATIVE)
			snprintf(ch->unit, sizeof(ch->unit), "改革前 = 100");
		else
			snprintf(ch->unit, sizeof(ch->unit), "%s",
				 u && strcmp(u, UNIT_SHARE) == 0 ? "%"
				 : u                             ? u
								 : "");
	}
	ch->rows = json_array_size(rows);
	json_array_foreach (rows, r, row) {
		double base = 0;

		if (ch->nser == 0 || ch->ncat == MAX_CATS)
			break;
		if (spec->kind == CHART_RELATIVE) {
			base = json_number_value(json_object_get(
			    row, json_string_value(json_object_get(picked[0], "key"))));
			if (!(base > 0))
				base = -1; /* no base: printed, not drawn */
		}
		chart_cat(ch, ch->ncat, json_object_get(row, ck));
		for (int s = 0; s < ch->nser; s++) {
			const char *key = json_string_value(json_object_get(picked[s], "key"));

			chart_point(ch, s, ch->ncat, json_object_get(row, key),
				    json_string_value(json_object_get(picked[s], "unit")), base);
		}
		ch->ncat++;
	}
}

/* The top of the value axis: a round number at or above max (1, 2, 2.5 or 5
 * times a power of ten) so the grid lines carry readable values. */
static double nice_max(double max)
{
	static const double steps[] = {1, 2, 2.5, 5, 10};
	double mag;

	if (!(max > 0))
		return 1;
	mag = pow(10, floor(log10(max)));
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (steps[i] * mag >= max)
			return steps[i] * mag;
	return 10 * mag;
}

/* Fills (and hatches, when modelled) a bar. */
static void bar(struct rep *p, double x, double y, double w, double h, int s, int modelled)
{
	if (h <= 0)
		return;
	if (modelled) {
		/* Grey, hatched; series told apart by the hatch's direction. */
		set_rgb(p, 0.78 - 0.1 * s, 0.78 - 0.1 * s, 0.78 - 0.1 * s);
		cairo_rectangle(p->cr, x, y, w, h);
		cairo_fill_preserve(p->cr);
		cairo_save(p->cr);
		cairo_clip(p->cr);
		set_rgb(p, 0.4, 0.4, 0.4);
		cairo_set_line_width(p->cr, 0.6);
		for (double d = -h; d < w + h; d += 4) {
			cairo_move_to(p->cr, x + d, y + (s % 2 ? 0 : h));
			cairo_line_to(p->cr, x + d + h, y + (s % 2 ? h : 0));
		}
		cairo_stroke(p->cr);
		cairo_restore(p->cr);
		return;
	}
	set_rgb(p, series_rgb[s][0], series_rgb[s][1], series_rgb[s][2]);
	cairo_rectangle(p->cr, x, y, w, h);
	cairo_fill(p->cr);
}

/* The legend: one swatch and name per series, on one line at p->y. */
static void legend(struct rep *p, const struct chart *ch, int line)
{
	double x = MARGIN;

	for (int s = 0; s < ch->nser; s++) {
		PangoLayout *l = layout(p, ch->ser[s], FONT " 8.5", 0, PANGO_ALIGN_LEFT);

		if (line && !ch->modelled[s]) {
			set_rgb(p, series_rgb[s][0], series_rgb[s][1], series_rgb[s][2]);
			cairo_set_line_width(p->cr, 2);
			cairo_new_path(p->cr);
			cairo_move_to(p->cr, x, p->y + 6);
			cairo_line_to(p->cr, x + 14, p->y + 6);
			cairo_stroke(p->cr);
		} else {
			bar(p, x, p->y + 2, 14, 8, s, ch->modelled[s]);
		}
		set_rgb(p, 0.2, 0.2, 0.2);
		cairo_move_to(p->cr, x + 18, p->y);
		pango_cairo_show_layout(p->cr, l);
		x += 18 + layout_w(l) + 14;
		g_object_unref(l);
	}
	p->y += 16;
}

/* The lines of series s (the trend): points with their values, joined. */
static void draw_line(struct rep *p, const struct chart *ch, int s, double x0, double top,
		      double slot, double max)
{
	int started = 0;

	set_rgb(p, series_rgb[s][0], series_rgb[s][1], series_rgb[s][2]);
	for (int c = 0; c < ch->ncat; c++) {
		double cx = x0 + slot * (c + 0.5), py = top + CHART_H - CHART_H * ch->v[s][c] / max;

		if (isnan(ch->v[s][c]))
			continue;
		cairo_new_path(p->cr); /* no segment from the last text drawn */
		cairo_arc(p->cr, cx, py, 2.2, 0, 2 * M_PI);
		cairo_fill(p->cr);
		text_at(p, ch->text[s][c], FONT " 7", cx, py - 12, 0, PANGO_ALIGN_CENTER);
	}
	cairo_set_line_width(p->cr, 1.6);
	cairo_new_path(p->cr);
	if (ch->modelled[s]) {
		static const double dash[] = {4, 3};

		cairo_set_dash(p->cr, dash, 2, 0);
	}
	for (int c = 0; c < ch->ncat; c++) {
		double cx = x0 + slot * (c + 0.5), py = top + CHART_H - CHART_H * ch->v[s][c] / max;

		if (isnan(ch->v[s][c]))
			continue;
		if (started)
			cairo_line_to(p->cr, cx, py);
		else
			cairo_move_to(p->cr, cx, py);
		started = 1;
	}
	cairo_stroke(p->cr);
	cairo_set_dash(p->cr, NULL, 0, 0);
}

/* One chart block: heading, legend, axes and grid, bars or lines with their
 * values, category labels under the axis. A view with no rows or nothing
 * numeric says 本期暂无数据 instead. */
static void chart_block(struct rep *p, int no, const struct chart_spec *spec, const json_t *table)
{
	static const char *const numerals[] = {"二", "三", "四", "五", "六", "七", "八"};
	struct chart *ch = calloc(1, sizeof(*ch));
	double top, max = 0, x0, plot_w, slot;
	char head[160];

	if (ch == NULL)
		abort();
	snprintf(head, sizeof(head), "%s、%s", numerals[no % 7], spec->title);
	if (table != NULL)
		chart_make(spec, table, ch);
	if (ch->nser == 0 || ch->ncat == 0) {
		need(p, 60);
		heading(p, head);
		set_rgb(p, 0.4, 0.4, 0.4);
		p->y += text_at(p, "本期暂无数据。", FONT " 9.5", MARGIN, p->y, CONTENT_W,
				PANGO_ALIGN_LEFT);
		p->y += 18;
		free(ch);
		return;
	}
	need(p, 30 + 16 + 26 + CHART_H + 40 + 24);
	heading(p, head);
	legend(p, ch, spec->line);
	for (int s = 0; s < ch->nser; s++)
		for (int c = 0; c < ch->ncat; c++)
			if (!isnan(ch->v[s][c]) && ch->v[s][c] > max)
				max = ch->v[s][c];
	{
		/* Counts keep whole-number grid lines (at least 0..4); shares
		 * always span 0..100 %. */
		int whole = 1;

		for (int s = 0; s < ch->nser; s++)
			for (int c = 0; c < ch->ncat; c++)
				whole &= isnan(ch->v[s][c]) || ch->v[s][c] == floor(ch->v[s][c]);
		max = nice_max(max);
		if (whole && max < 4)
			max = 4;
		if (strcmp(ch->unit, "%") == 0 && max <= 100)
			max = 100;
	}
	top = p->y + 26; /* room for the unit above the axis */
	x0 = MARGIN + 44;
	plot_w = CONTENT_W - 44;
	slot = plot_w / ch->ncat;

	/* Grid and value axis: five lines, labelled. */
	cairo_set_line_width(p->cr, 0.4);
	for (int g = 0; g <= 4; g++) {
		double gy = top + CHART_H - CHART_H * g / 4.0;
		char v[32];

		set_rgb(p, 0.82, 0.82, 0.82);
		cairo_new_path(p->cr);
		cairo_move_to(p->cr, x0, gy);
		cairo_line_to(p->cr, x0 + plot_w, gy);
		cairo_stroke(p->cr);
		snprintf(v, sizeof(v), "%.4g", max * g / 4.0);
		set_rgb(p, 0.4, 0.4, 0.4);
		text_at(p, v, FONT " 7.5", x0 - 4, gy - 5, 0, PANGO_ALIGN_RIGHT);
	}
	if (ch->unit[0]) {
		set_rgb(p, 0.4, 0.4, 0.4);
		text_at(p, ch->unit, FONT " 7.5", x0 - 4, top - 24, 0, PANGO_ALIGN_LEFT);
	}

	for (int s = 0; s < ch->nser; s++) {
		double bw = fmin(22.0, slot * 0.8 / ch->nser);

		if (spec->line) {
			draw_line(p, ch, s, x0, top, slot, max);
			continue;
		}
		for (int c = 0; c < ch->ncat; c++) {
			double cx = x0 + slot * (c + 0.5), bx = cx - bw * ch->nser / 2 + bw * s;
			double h = isnan(ch->v[s][c]) ? 0 : CHART_H * ch->v[s][c] / max;

			if (!ch->text[s][c][0])
				continue;
			bar(p, bx, top + CHART_H - h, bw - 1, h, s, ch->modelled[s]);
			set_rgb(p, 0.15, 0.15, 0.15);
			if (ch->ncat * ch->nser <= 24)
				text_at(p, ch->text[s][c], FONT " 6.5", bx + (bw - 1) / 2,
					top + CHART_H - h - 10, 0, PANGO_ALIGN_CENTER);
		}
	}

	/* The category axis and its labels, wrapped to their slot, at most two
	 * lines (ellipsised). */
	set_rgb(p, 0.3, 0.3, 0.3);
	cairo_set_line_width(p->cr, 0.8);
	cairo_new_path(p->cr);
	cairo_move_to(p->cr, x0, top + CHART_H);
	cairo_line_to(p->cr, x0 + plot_w, top + CHART_H);
	cairo_stroke(p->cr);
	for (int c = 0; c < ch->ncat; c++) {
		PangoLayout *l = layout(p, ch->cat[c], FONT " 7.5", slot - 2, PANGO_ALIGN_CENTER);

		pango_layout_set_height(l, -2);
		pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
		cairo_move_to(p->cr, x0 + slot * c + 1, top + CHART_H + 4);
		pango_cairo_show_layout(p->cr, l);
		g_object_unref(l);
	}
	p->y = top + CHART_H + 30;
	if (ch->rows > (size_t)ch->ncat) {
		char more[160];

		snprintf(more, sizeof(more),
			 "（共 %zu 项，图中列出前 %d 项；全部数据见统计分析页面或导出文件）",
			 ch->rows, ch->ncat);
		set_rgb(p, 0.4, 0.4, 0.4);
		p->y += text_at(p, more, FONT " 8", MARGIN, p->y, CONTENT_W, PANGO_ALIGN_LEFT);
	}
	p->y += 16;
	free(ch);
}

static int report_check(const json_t *report, struct yerr *err)
{
	const char *month = json_string_value(json_object_get(report, "month"));

	if (!json_is_object(report))
		return yerr_set(err, 500, "report_invalid", "", "月度报告数据缺失");
	if (month == NULL || strlen(month) != 7)
		return yerr_set(err, 500, "report_invalid", "month", "月度报告缺少月份");
	if (!json_is_object(json_object_get(report, "overview")))
		return yerr_set(err, 500, "report_invalid", "overview", "月度报告缺少核心指标");
	return 0;
}

/* PDF metadata: title, creator, and both dates from generated_on (or the
 * month's first day), so the same report gives the same bytes. */
static void report_metadata(cairo_surface_t *s, const json_t *report)
{
	const char *gen = json_string_value(json_object_get(report, "generated_on"));
	const char *month = json_string_value(json_object_get(report, "month"));
	char d[40], t[96];

	if (gen != NULL && strlen(gen) == 10)
		snprintf(d, sizeof(d), "%sT00:00:00+08:00", gen);
	else
		snprintf(d, sizeof(d), "%s-01T00:00:00+08:00", month);
	snprintf(t, sizeof(t), "一业一证改革成效月度报告 %s", month);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, t);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "Yiye");
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, d);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, d);
}

/* Draws the whole report onto s (an A4 surface in points). */
static int report_draw(const json_t *report, cairo_surface_t *s, struct yerr *err)
{
	const json_t *views = json_object_get(report, "views");
	const char *month = json_string_value(json_object_get(report, "month"));
	struct rep p = {.report = report, .page = 1, .y = MARGIN, .fresh = 1};
	int rc = -1;

	snprintf(p.footer, sizeof(p.footer), "一业一证改革成效月度报告 · %.4s 年 %.2s 月", month,
		 month + 5);
	p.cr = cairo_create(s);
	p.ctx = pango_cairo_create_context(p.cr);
	/* Points, not Pango's default 96 dpi (see render_pdf.c). */
	pango_cairo_context_set_resolution(p.ctx, 72.0);
	pango_context_set_language(p.ctx, pango_language_from_string("zh-cn"));

	title_block(&p);
	figures_block(&p, json_object_get(report, "overview"));
	for (size_t i = 0; i < sizeof(charts) / sizeof(charts[0]); i++)
		chart_block(&p, (int)i, &charts[i], json_object_get(views, charts[i].view));
	page_footer(&p);
	cairo_show_page(p.cr);
	if (cairo_status(p.cr) != CAIRO_STATUS_SUCCESS)
		yerr_set(err, 500, "render_failed", "", "月度报告绘制失败");
	else
		rc = 0;
	g_object_unref(p.ctx);
	cairo_destroy(p.cr);
	return rc;
}

int render_report_pdf(const json_t *report, unsigned char **pdf, size_t *len, struct yerr *err)
{
	struct render_buf buf = {.max = PDF_MAX_BYTES};
	cairo_surface_t *s;
	int rc;

	*pdf = NULL;
	*len = 0;
	if (report_check(report, err) < 0)
		return -1;
	s = cairo_pdf_surface_create_for_stream(render_buf_write, &buf, PAGE_W, PAGE_H);
	report_metadata(s, report);
	rc = report_draw(report, s, err);
	if (rc == 0) {
		cairo_surface_finish(s);
		if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS || buf.failed)
			rc = yerr_set(err, 500, "render_failed", "", "月度报告 PDF 生成失败");
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
