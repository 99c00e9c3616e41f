#ifndef YIYE_CORE_APPNO_H
#define YIYE_CORE_APPNO_H
/*
 * appno.h — application numbers: district + year + serial.
 *
 * Text form "310104-2026-000123": the six-digit administrative division code
 * (GB/T 2260) of the district that takes the application, the year of
 * creation, and the serial within that district and year, zero-padded to six
 * digits (wider once a year passes 999999, so numbers never collide and still
 * sort by serial within a width). The store hands out serials; uniqueness is
 * its unique index on (district, year, serial).
 */
#include <stddef.h>

#include "core/error.h"

#define APPNO_SIZE 32 /* buffer for the text form, NUL included */
#define APPNO_SERIAL_MAX 999999999L

struct appno {
	char district[7]; /* six digits */
	int year;         /* DATE_YEAR_MIN..DATE_YEAR_MAX */
	long serial;      /* 1..APPNO_SERIAL_MAX */
};

/* appno_format writes the text form of (district, year, serial); 400
 * invalid_application_number for a district that is not six digits, a year
 * out of range, a serial out of range or a buffer smaller than needed. */
int appno_format(const char *district, int year, long serial, char *out, size_t outsz,
		 struct yerr *err);

/* appno_parse reads the text form strictly (no spaces, six-digit or wider
 * serial without superfluous leading zeros beyond six digits, serial >= 1);
 * 400 invalid_application_number (field "number") otherwise. */
int appno_parse(const char *text, struct appno *out, struct yerr *err);

#endif
