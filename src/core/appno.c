/*
 * appno.c — application numbers (see appno.h).
 */
#include "core/appno.h"

#include <stdio.h>
#include <string.h>

#include "core/date.h"

static int digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int bad(struct yerr *err)
{
	return yerr_set(err, 400, "invalid_application_number", "number",
			"申请编号格式应为“区划代码-年份-流水号”，如 310104-2026-000123");
}

int appno_format(const char *district, int year, long serial, char *out, size_t outsz,
		 struct yerr *err)
{
	int n;

	if (district == NULL || strlen(district) != 6 || !digits(district, 6) ||
	    year < DATE_YEAR_MIN || year > DATE_YEAR_MAX || serial < 1 ||
	    serial > APPNO_SERIAL_MAX || out == NULL)
		return bad(err);
	n = snprintf(out, outsz, "%s-%04d-%06ld", district, year, serial);
	if (n < 0 || (size_t)n >= outsz) {
		if (outsz > 0)
			out[0] = '\0';
		return bad(err);
	}
	return 0;
}

int appno_parse(const char *text, struct appno *out, struct yerr *err)
{
	size_t len, slen, i;
	long serial = 0;
	int year = 0;

	if (text == NULL || out == NULL)
		return bad(err);
	len = strlen(text);
	if (len < 18 || len > 21 || text[6] != '-' || text[11] != '-' || !digits(text, 6) ||
	    !digits(text + 7, 4))
		return bad(err);
	slen = len - 12;
	if (!digits(text + 12, slen) || (slen > 6 && text[12] == '0'))
		return bad(err);
	for (i = 7; i < 11; i++)
		year = year * 10 + (text[i] - '0');
	for (i = 12; i < len; i++)
		serial = serial * 10 + (text[i] - '0');
	if (year < DATE_YEAR_MIN || year > DATE_YEAR_MAX || serial < 1 || serial > APPNO_SERIAL_MAX)
		return bad(err);
	memcpy(out->district, text, 6);
	out->district[6] = '\0';
	out->year = year;
	out->serial = serial;
	return 0;
}
