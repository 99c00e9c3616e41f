/*
 * ratings.h — what the rating and typical case handlers share (h_ratings.c,
 * h_typical_cases.c). Shapes: docs/api-statistics.md "Ratings and typical
 * cases".
 */
#ifndef YIYE_HTTP_RATINGS_H
#define YIYE_HTTP_RATINGS_H

#include <stddef.h>

#include "app.h"

/* The name of industry code in the active catalog (code itself when
 * unknown), copied into out. */
void ratings_industry_name(struct app *app, const char *code, char *out, size_t outsz);

/* The Chinese label of an application status ("已发证"), the name itself
 * when unknown. */
const char *ratings_status_label(const char *status);

#endif
