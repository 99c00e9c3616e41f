/*
 * license_public.h — what h_license_public.c and h_license_display.c share
 * (issue 12, lic-public).
 */
#ifndef YIYE_HTTP_LICENSE_PUBLIC_H
#define YIYE_HTTP_LICENSE_PUBLIC_H

#include <jansson.h>

#include "http/args.h"
#include "http/auth.h"
#include "store/store_license_public.h"

/* 1 when the caller is a holder (an applicant account, no staff role): such
 * a caller sees their own licenses only. Staff, auditors and tokens see the
 * district's. */
int lic_is_holder_only(const struct req *r);
/* The current version of number as the caller may see it: 404
 * license_not_found for a number that does not exist or that a holder does
 * not hold. */
int lic_load_for(struct req *r, struct store_conn *c, const char *number, struct lic_row *l,
		 struct yerr *e);
/* One export record (docs/api-licenses.md "Export"); the CLI writes the same. */
json_t *lic_export_json(const struct lic_export *x);

#endif
