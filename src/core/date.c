/*
 * date.c - day numbers <-> civil dates, strict ISO parsing.
 *
 * The conversions are Howard Hinnant's days_from_civil / civil_from_days
 * algorithms (public domain): branch-light, exact over the whole int range
 * we care about, and independent of the C library's time zone state.
 */
#include "date.h"

#include <stdio.h>

int date_is_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int date_days_in_month(int year, int month)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (month < 1 || month > 12)
		return 0;
	if (month == 2 && date_is_leap(year))
		return 29;
	return mdays[month - 1];
}

int date_valid_ymd(int year, int month, int day)
{
	return day >= 1 && day <= date_days_in_month(year, month);
}

/* days_from_civil: shift the year to start in March so the leap day is the
 * last day of the shifted year, then count whole 400-year eras. */
int date_from_ymd(int year, int month, int day)
{
	int y = month <= 2 ? year - 1 : year;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;                                            /* [0, 399] */
	int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1; /* [0, 365] */
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;                    /* [0, 146096] */

	return era * 146097 + doe - 719468;
}

void date_to_ymd(int day, int *year, int *month, int *mday)
{
	int z = day + 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;                                      /* [0, 146096] */
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* [0, 365] */
	int mp = (5 * doy + 2) / 153;                                    /* [0, 11] */
	int d = doy - (153 * mp + 2) / 5 + 1;
	int m = mp < 10 ? mp + 3 : mp - 9;
	int y = yoe + era * 400 + (m <= 2);

	if (year)
		*year = y;
	if (month)
		*month = m;
	if (mday)
		*mday = d;
}

int date_to_packed(int day)
{
	int y, m, d;

	date_to_ymd(day, &y, &m, &d);
	return y * 10000 + m * 100 + d;
}

int date_from_packed(int packed, int *out_day)
{
	int y = packed / 10000, m = packed / 100 % 100, d = packed % 100;

	if (packed < 0 || !date_valid_ymd(y, m, d))
		return DATE_EINVALID;
	*out_day = date_from_ymd(y, m, d);
	return 0;
}

int date_weekday(int day)
{
	/* 1970-01-01 (day 0) was a Thursday, ISO weekday 4. */
	int r = (day + 3) % 7;

	if (r < 0)
		r += 7;
	return r + 1;
}

int date_is_weekend(int day)
{
	return date_weekday(day) >= 6;
}

/* Value of n ASCII digits at p, or -1 if any is not a digit. */
static int parse_digits(const char *p, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

int date_parse(const char *s, size_t len, int *out_day)
{
	int y, m, d;

	if (!s || len != 10 || s[4] != '-' || s[7] != '-')
		return DATE_EFORMAT;
	y = parse_digits(s, 4);
	m = parse_digits(s + 5, 2);
	d = parse_digits(s + 8, 2);
	if (y < 0 || m < 0 || d < 0)
		return DATE_EFORMAT;
	if (!date_valid_ymd(y, m, d))
		return DATE_EINVALID;
	if (y < DATE_YEAR_MIN || y > DATE_YEAR_MAX)
		return DATE_ERANGE;
	*out_day = date_from_ymd(y, m, d);
	return 0;
}

int date_format(int day, char *out, size_t outsz)
{
	int y, m, d;

	if (!out)
		return DATE_ERANGE;
	if (outsz > 0)
		out[0] = '\0';
	date_to_ymd(day, &y, &m, &d);
	if (outsz < DATE_STR_SIZE || y < 0 || y > 9999)
		return DATE_ERANGE;
	snprintf(out, outsz, "%04d-%02d-%02d", y, m, d);
	return 0;
}

int date_today_shanghai(time_t t)
{
	long long s = (long long)t + 8 * 3600;
	long long q = s / 86400;

	if (s % 86400 < 0)
		q--;
	return (int)q;
}
