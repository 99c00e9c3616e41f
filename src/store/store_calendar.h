/*
 * store_calendar.h — SQL of the working-day calendar: the holidays and
 * make-up workdays of each imported year, per district. Functions run on the
 * caller's connection (and a change inside the caller's transaction, so its
 * audit entry commits with it).
 */
#ifndef YIYE_STORE_CALENDAR_H
#define YIYE_STORE_CALENDAR_H
#include "core/calendar.h"
#include "store/store.h"

/* Saves one parsed year (its holidays and make-up workdays) for district. A
 * year already present answers STORE_ECONFLICT (409). */
int store_calendar_insert_year(struct store_conn *c, const char *district,
			       const struct calendar_year *y, struct yerr *err);
/* A fingerprint of district's calendar that changes whenever a year is
 * added or removed (count and latest import time): cheap enough to poll, so
 * other nodes notice an import (http/catalog_watch.c). */
int store_calendar_stamp(struct store_conn *c, const char *district, int64_t *stamp,
			 struct yerr *err);
/* Loads every known year of district into cal (initialised by the caller). */
int store_calendar_load(struct store_conn *c, const char *district, struct calendar *cal,
			struct yerr *err);
#endif
