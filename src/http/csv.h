/*
 * csv.h — the one CSV writer of the exports (the audit trail, the shared-read
 * access log, the statistics): UTF-8 with a byte-order mark so spreadsheets
 * read the Chinese, rows ended by CRLF, a field quoted when it holds a
 * comma, quote or line break or when quote_all is set (quotes doubled), and
 * text fields formula-safe: a text that a spreadsheet would read as a
 * formula (starting with = + - @, or a tab or carriage return that some
 * skip before one) gets a leading ' (OWASP's advice).
 */
#ifndef YIYE_HTTP_CSV_H
#define YIYE_HTTP_CSV_H

#include <stddef.h>

/* A growing buffer; aborts on out of memory (exports are bounded by their
 * callers). Start from {0}; p is malloc'd, the caller frees or hands it on. */
struct csv {
	char *p;
	size_t len, cap;
	int quote_all; /* quote every field (the audit-trail and access-log files) */
};

/* The byte-order mark; first, once. */
void csv_bom(struct csv *b);
/* One field. text: 1 for text (formula-safe), 0 for a number written by the
 * caller (a negative number keeps its sign). last: 1 ends the row. NULL is
 * an empty field. */
void csv_field(struct csv *b, const char *v, int text, int last);

#endif
