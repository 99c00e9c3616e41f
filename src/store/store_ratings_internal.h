/*
 * store_ratings_internal.h — what store_ratings.c and store_typical_cases.c
 * share: the few columns of an application a rating or a case needs.
 */
#ifndef YIYE_STORE_RATINGS_INTERNAL_H
#define YIYE_STORE_RATINGS_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "core/appno.h"
#include "store/store.h"

struct ratings_app {
	int64_t applicant_id;
	char status[24];
	char industry[64];
	char number[APPNO_SIZE];
};

/* Application id's applicant, status, industry and number (lock: FOR
 * UPDATE on PostgreSQL); 404 application_not_found. */
int ratings_app_load(struct store_conn *c, const char *district, int64_t id, bool lock,
		     struct ratings_app *out, struct yerr *err);

#endif
