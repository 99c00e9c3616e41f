/*
 * date.h - calendar dates as plain integers.
 *
 * A date is an int "day number": days since 1970-01-01 in the proleptic
 * Gregorian calendar (1970-01-01 is 0, 1969-12-31 is -1). Day numbers are
 * cheap to compare, subtract and store, and carry no time zone: Yiye's
 * deadlines are whole days in Asia/Shanghai.
 *
 * Text form is ISO 8601 "YYYY-MM-DD" only; parsing is strict (exactly ten
 * characters, a real date, year within DATE_YEAR_MIN..DATE_YEAR_MAX) because
 * dates arrive from forms and catalog files, where a lenient parser would
 * silently accept typos.
 */
#ifndef YIYE_CORE_DATE_H
#define YIYE_CORE_DATE_H

#include <stddef.h>
#include <time.h>

#define DATE_YEAR_MIN 1900
#define DATE_YEAR_MAX 2200
/* Bytes needed to format a date, terminating NUL included. */
#define DATE_STR_SIZE 11

/* Error codes of date_parse and friends (0 is success). */
#define DATE_EFORMAT (-1)  /* not of the form YYYY-MM-DD */
#define DATE_EINVALID (-2) /* well formed but not a real date, e.g. 2025-02-29 */
#define DATE_ERANGE (-3)   /* year outside DATE_YEAR_MIN..DATE_YEAR_MAX */

/* 1 if year is a Gregorian leap year, else 0. */
int date_is_leap(int year);

/* Days in the month (28..31), or 0 if month is not 1..12. */
int date_days_in_month(int year, int month);

/* 1 if (year, month, day) is a real Gregorian date, else 0. Any year is
 * accepted here; range policy belongs to the caller (see date_parse). */
int date_valid_ymd(int year, int month, int day);

/* Day number of a valid (year, month, day). The result is unspecified for
 * invalid dates: check with date_valid_ymd first. */
int date_from_ymd(int year, int month, int day);

/* Inverse of date_from_ymd. Any out pointer may be NULL. */
void date_to_ymd(int day, int *year, int *month, int *mday);

/* Packed form yyyymmdd (e.g. 20261128), used where an int "today" is
 * handy, e.g. identity-number birth date checks. */
int date_to_packed(int day);

/* Packed yyyymmdd -> day number. Returns 0 and stores *out_day, or
 * DATE_EINVALID if the packed value is not a real date. */
int date_from_packed(int packed, int *out_day);

/* ISO weekday: 1 = Monday ... 7 = Sunday. */
int date_weekday(int day);

/* 1 if the day is a Saturday or Sunday. */
int date_is_weekend(int day);

/* Strictly parse "YYYY-MM-DD" from s[0..len). Returns 0 and stores the day
 * number in *out_day, or DATE_EFORMAT / DATE_EINVALID / DATE_ERANGE. Never
 * reads past len; s need not be NUL-terminated. */
int date_parse(const char *s, size_t len, int *out_day);

/* Write "YYYY-MM-DD" plus NUL into out (outsz >= DATE_STR_SIZE). Returns 0,
 * or DATE_ERANGE if the year is not 0..9999 or the buffer is too small (out
 * then holds "" when outsz > 0). */
int date_format(int day, char *out, size_t outsz);

/* The calendar day in Asia/Shanghai (UTC+8, no daylight saving since 1991)
 * at instant t. Floor division, so instants before 1970 work too. */
int date_today_shanghai(time_t t);

#endif
