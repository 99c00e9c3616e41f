/*
 * handlers.h — every request handler, named h_<resource>_<verb>. Each lives
 * in h_<resource>.c.
 */
#ifndef YIYE_HANDLERS_H
#define YIYE_HANDLERS_H

#include "http/http.h"

/* h_system.c */
void h_healthz(struct req *r);
void h_metrics(struct req *r);
void h_openapi(struct req *r);
void h_version(struct req *r);
/* h_validate.c */
void h_validate(struct req *r);
/* h_calendar.c */
void h_calendar_workdays(struct req *r);
void h_calendar_years(struct req *r);

/* accounts, sessions, tokens, audit */
/* @@accounts-handlers@@ */

/* catalog and guide */
/* @@catalog-handlers@@ */

#endif
