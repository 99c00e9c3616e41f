/*
 * csv.c — the CSV writer of the exports (csv.h).
 */
#include <stdlib.h>
#include <string.h>

#include "http/csv.h"

static void add(struct csv *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->p = realloc(b->p, b->cap);
		if (b->p == NULL)
			abort();
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void csv_bom(struct csv *b)
{
	add(b, "\xEF\xBB\xBF", 3);
}

void csv_field(struct csv *b, const char *v, int text, int last)
{
	int quote = b->quote_all || (v && strpbrk(v, ",\"\r\n") != NULL);

	if (quote)
		add(b, "\"", 1);
	if (text && v &&
	    (*v == '=' || *v == '+' || *v == '-' || *v == '@' || *v == '\t' || *v == '\r'))
		add(b, "'", 1);
	for (; v && *v; v++) {
		add(b, v, 1);
		if (*v == '"')
			add(b, "\"", 1); /* quotes are doubled */
	}
	if (quote)
		add(b, "\"", 1);
	add(b, last ? "\r\n" : ",", last ? 2 : 1);
}
