#ifndef YIYE_CORE_LICENSE_H
#define YIYE_CORE_LICENSE_H
/*
 * license.h — the comprehensive license (行业综合许可证, issue 12): its
 * number, its GB/T 36904 e-license identifier, its statuses, its validity and
 * the document that is signed (docs/api-licenses.md).
 *
 * Pure: no clock, no SQL, no file. The store (store_license.h) keeps the
 * rows; the HTTP layer (h_licenses.c) asks this module what to write.
 *
 * Number: "XK-<district>-<year>-<serial>", serial zero-padded to six digits
 * (wider past 999999, as application numbers), unique per district and never
 * reused: the store hands serials out of a counter row (license_serials).
 *
 * E-license identifier (GB/T 36904 as government systems use it):
 *   1.2.156.3005.2.<type code>.<issuer code>.<serial>.<version>.<check>
 * The check character is ISO/IEC 7064 MOD 37,36 over type code, issuer code,
 * serial and version with the dots removed (alphabet 0-9A-Z). That reading
 * of the standard was reproduced on real identifiers but is not taken from
 * the standard's own text. MODELLED: the license type code (the defining
 * agency's credit code + a 3-digit number) and the issuing authority's credit
 * code are not known to us; LICENSE_EID_TYPE_CODE and license_eid_issuer_code
 * stand in for them, recognisably not real (zeros and the district code).
 */
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

#define LICENSE_NUMBER_SIZE 40 /* "XK-310104-2026-000001" and wider serials, NUL included */
#define LICENSE_EID_SIZE 96
#define LICENSE_SERIAL_MAX 999999999L
#define LICENSE_EID_ROOT "1.2.156.3005.2"
/* MODELLED (see above): 18 characters in place of a credit code, then 001. */
#define LICENSE_EID_TYPE_CODE "000000000000000000001"
#define LICENSE_TYPE_NAME "行业综合许可证"

enum license_status {
	LIC_VALID,
	LIC_SUSPENDED,
	LIC_REVOKED,
	LIC_CANCELLED,
	LIC_EXPIRED,
	LIC_SUPERSEDED,
	LIC_STATUS_COUNT
};

/* "valid", … and Chinese labels ("有效", …); NULL out of range. */
const char *license_status_name(enum license_status s);
const char *license_status_label(enum license_status s);
/* Status by name; -1 when unknown. */
int license_status_parse(const char *name);

/* license_number_format writes "XK-<district>-<year>-<serial>"; 400
 * invalid_license_number for a district that is not six digits, a year or
 * serial out of range or a buffer too small. */
int license_number_format(const char *district, int year, long serial, char *out, size_t outsz,
			  struct yerr *err);

struct license_no {
	char district[7];
	int year;
	long serial;
};
/* license_number_parse reads the text form strictly (as appno_parse); 404
 * license_not_found (field "number") otherwise: a malformed number in a path
 * names no license. */
int license_number_parse(const char *text, struct license_no *out, struct yerr *err);

/* ISO/IEC 7064 MOD 37,36 check character of s (characters 0-9A-Z only; dots
 * are skipped); '\0' when s holds anything else or nothing. */
char license_eid_check_char(const char *s);

/* The issuer code of the identifier for district (MODELLED: "000000" +
 * district + "000000", 18 characters) into out (>= 19 bytes). */
void license_eid_issuer_code(const char *district, char *out, size_t outsz);

/* license_eid_build writes the identifier of (district, year, serial,
 * version): serial part "<year><serial, 6+ digits>", version 3 digits. 400
 * invalid_license_number on out-of-range input. */
int license_eid_build(const char *district, int year, long serial, int version, char *out,
		      size_t outsz, struct yerr *err);
/* true when eid has the form above and its check character is right. */
bool license_eid_valid(const char *eid);

/* The catalog's unified-validity rule of an industry (docs/catalog.md). */
enum license_validity_kind {
	LIC_VALIDITY_SHORTEST, /* the shortest term of the merged permits that have one */
	LIC_VALIDITY_YEARS,    /* a fixed number of years */
	LIC_VALIDITY_NONE      /* 长期有效: no term */
};
struct license_validity_rule {
	enum license_validity_kind kind;
	long years; /* LIC_VALIDITY_YEARS */
};

/*
 * license_valid_until answers the last valid day of a license starting on
 * day valid_from (date.h day numbers): valid_from + N years - 1 day (a
 * license from 2026-12-02 for 5 years runs to 2031-12-01; one from
 * 2024-02-29 for 1 year to 2025-02-28); -1 for no term. permit_years[i]
 * is the term of each merged permit in years, 0 for a permit with no term
 * (SHORTEST ignores those; no permit with a term gives no term).
 */
int license_valid_until(int valid_from, const struct license_validity_rule *rule,
			const long *permit_years, size_t npermits);

struct catalog;
struct catalog_industry;
struct catalog_permit;

/*
 * license_rule_of answers the unified-validity rule of an industry: its own
 * "license_validity" when it states one, else the catalog's
 * "license.validity" (SHORTEST when neither does), and the extension window
 * (the industry's "extension_days", else the catalog's, else 30). *modelled
 * says whether the value that applies is marked modelled in the catalog.
 * Any out pointer may be NULL.
 */
void license_rule_of(const struct catalog *cat, const struct catalog_industry *ind,
		     struct license_validity_rule *rule, long *extension_days, bool *modelled);

/* true when the permit's validity_years is listed in its "modelled" keys. */
bool license_permit_validity_modelled(const struct catalog_permit *p);

/* One merged permit as the document names it. */
struct license_permit {
	const char *code, *name, *department, *department_name, *basis;
};

/* Everything the document holds (day numbers from date.h; valid_until -1:
 * no term). Strings are borrowed. */
struct license_input {
	const char *number;
	const char *eid;
	int version;
	const char *holder_name, *holder_uscc, *legal_rep;
	const char *address;
	const char *industry_code, *industry_name;
	const struct license_permit *permits;
	size_t npermits;
	int valid_from, valid_until, issued_on;
	const char *district;
	const char *issuer_department, *issuer_name;
	const char *kid; /* key id of the signing key */
};

/*
 * license_doc_build answers the license document (the object that is
 * signed, see docs/api-licenses.md) as a new JSON object (caller decrefs),
 * or NULL with err set: 422 license_incomplete (field names the member) when
 * the holder's name or credit code, the industry or the permits are
 * missing, 400 invalid_kid for a key id outside [A-Za-z0-9_-]{1,32}.
 */
json_t *license_doc_build(const struct license_input *in, struct yerr *err);

/*
 * license_status_at is the status the public sees on `today`: the stored
 * status, except that a valid license whose valid_until (day number, -1 none)
 * lies before today is expired even before the daily job marks it.
 */
enum license_status license_status_at(enum license_status stored, int valid_until, int today);

/* true when a supervisor's action may be taken from status `from`:
 * suspend from valid; reinstate from suspended; revoke from valid or
 * suspended. action: "suspend" | "reinstate" | "revoke". *to receives the
 * status after it. */
bool license_sanction_allowed(const char *action, enum license_status from,
			      enum license_status *to);

#endif
