#ifndef YIYE_STORE_CALENDAR_H
#define YIYE_STORE_CALENDAR_H
#include "core/calendar.h"
#include "store/store.h"

/* Saves one parsed year (its holidays and make-up workdays) for district in
 * one transaction. A year already present answers STORE_ECONFLICT (409). */
int store_calendar_insert_year(struct store *s, const char *district, const struct calendar_year *y,
			       struct yerr *err);
/* The same inside a transaction the caller opened on c (so the audit entry
 * of an import commits with it). */
int store_calendar_insert_year_conn(struct store_conn *c, const char *district,
				    const struct calendar_year *y, struct yerr *err);
/* Loads every known year of district into cal (initialised by the caller). */
int store_calendar_load(struct store *s, const char *district, struct calendar *cal,
			struct yerr *err);
#endif
