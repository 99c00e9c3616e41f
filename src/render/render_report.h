#ifndef YIYE_RENDER_REPORT_H
#define YIYE_RENDER_REPORT_H
/*
 * render_report.h — the monthly report of the reform's figures (issue 15) as
 * an A4 portrait PDF: headline figures, then one chart per statistics view,
 * drawn with cairo (bars and lines) and Pango (Chinese text), modelled
 * catalog values marked. docs/api-statistics.md "Dashboards and the monthly
 * report" describes the layout and how each figure is printed.
 *
 * Thread-safe like render.h: the server renders on its render workers.
 */
#include <stddef.h>

#include <jansson.h>

#include "core/error.h"

/*
 * render_report_pdf lays out `report` into a malloc'd *pdf of *len bytes
 * (the caller frees it). report is the object report_monthly_build
 * (src/http/report.h) assembles:
 *   month          "YYYY-MM"                                   required
 *   title          the report's title                          optional
 *   period         "YYYY-MM-DD 至 YYYY-MM-DD"                  optional
 *   scope          whose figures (本区全部部门, a department)  optional
 *   generated_on   "YYYY-MM-DD": printed, and the PDF's dates   optional
 *   overview       GET /api/v1/statistics/overview's answer    required
 *   views          {view: the table of GET …/views/{view}}     optional; each
 *                  chart is drawn from the table of its view when present
 * The same report gives the same bytes. Returns 0, or -1 with err
 * (report_invalid 500 naming the member in err.field, render_failed 500).
 */
int render_report_pdf(const json_t *report, unsigned char **pdf, size_t *len, struct yerr *err);

/*
 * render_report_number prints a figure the way the report does, so a test
 * (and a reader of the docs) can find it: an integer as it is ("1234"), a
 * real with one decimal ("12.3"), a rate (a share between 0 and 1, when
 * `rate`) as a percentage with one decimal ("87.5%"), anything else "—".
 */
void render_report_number(const json_t *v, int rate, char *out, size_t n);

#endif
