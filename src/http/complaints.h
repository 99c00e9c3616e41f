/*
 * complaints.h — what the complaint and risk handlers share (h_complaints.c,
 * h_risk.c): who supervises an industry's matters, read from the active
 * catalog's per-industry "supervision" data (docs/catalog.md), and the
 * handling time limit. Shapes: docs/api-supervision.md.
 */
#ifndef YIYE_HTTP_COMPLAINTS_H
#define YIYE_HTTP_COMPLAINTS_H

#include <jansson.h>
#include <stddef.h>

#include "http/args.h"
#include "http/handlers.h"
#include "store/store_complaint.h"

/* Working days a department has to handle a complaint, from the day it is
 * filed. A modelled value: the reform text (reform.md) names none, so the
 * district confirms it (docs/api-supervision.md, "Complaints"). */
#define COMPLAINT_HANDLE_DAYS 15

/*
 * complaint_route writes into depts (at most max) the departments that
 * supervise `matter` for industry in the active catalog; matter NULL: every
 * department that supervises the industry at all. *n receives how many (0:
 * the catalog names none, or no catalog is active).
 */
void complaint_route(struct app *app, const char *industry, const char *matter,
		     char (*depts)[COMPLAINT_DEPT_SIZE], size_t max, size_t *n);

/* The supervision matters of industry as [{"id","name"}] (no duplicates). */
json_t *complaint_matters(struct app *app, const char *industry);

/* The name of department code in the active catalog (code itself when
 * unknown), copied into out. */
void complaint_dept_name(struct app *app, const char *code, char *out, size_t outsz);

#endif
