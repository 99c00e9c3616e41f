/*
 * canon.c — canonical JSON (canon.h). A small writer over jansson values:
 * it never calls json_dumps, so the signed bytes are fixed by this file
 * alone.
 */
#include "core/canon.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CANON_MAX_DEPTH 64

struct buf {
	char *p;
	size_t len, cap;
	int bad;
};

static void put(struct buf *b, const char *s, size_t n)
{
	if (b->bad)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *np;

		while (b->len + n + 1 > cap)
			cap *= 2;
		np = realloc(b->p, cap);
		if (np == NULL)
			abort();
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 when it is
 * not one (overlong forms, surrogates and code points past U+10FFFF are not
 * UTF-8). */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	uint32_t cp;
	size_t len;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

/* A JSON string of the n bytes at s; marks b bad on invalid UTF-8. */
static void put_string(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, run = 0;

	put(b, "\"", 1);
	while (i < n) {
		size_t k = utf8_seq(u + i, n - i);
		char esc[7];
		const char *e = NULL;
		size_t elen = 2;

		if (k == 0) {
			b->bad = 1;
			return;
		}
		if (k == 1 && (u[i] < 0x20 || u[i] == '"' || u[i] == '\\')) {
			switch (u[i]) {
			case '"':
				e = "\\\"";
				break;
			case '\\':
				e = "\\\\";
				break;
			case '\b':
				e = "\\b";
				break;
			case '\t':
				e = "\\t";
				break;
			case '\n':
				e = "\\n";
				break;
			case '\f':
				e = "\\f";
				break;
			case '\r':
				e = "\\r";
				break;
			default:
				memcpy(esc, "\\u00", 4);
				esc[4] = hex[u[i] >> 4];
				esc[5] = hex[u[i] & 15];
				e = esc;
				elen = 6;
			}
			put(b, s + i - run, run);
			put(b, e, elen);
			run = 0;
			i++;
			continue;
		}
		run += k;
		i += k;
	}
	put(b, s + n - run, run);
	put(b, "\"", 1);
}

struct member {
	const char *key;
	size_t klen;
	const json_t *value;
};

/* Byte order of keys: memcmp over the common prefix, then the shorter. */
static int member_cmp(const void *a, const void *b)
{
	const struct member *x = a, *y = b;
	size_t n = x->klen < y->klen ? x->klen : y->klen;
	int c = memcmp(x->key, y->key, n);

	if (c != 0)
		return c;
	return x->klen < y->klen ? -1 : x->klen > y->klen;
}

static void put_value(struct buf *b, const json_t *v, int depth)
{
	char num[32];

	if (b->bad)
		return;
	if (depth > CANON_MAX_DEPTH) {
		b->bad = 1;
		return;
	}
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		size_t n = json_object_size(v), i = 0;
		struct member *m = n ? calloc(n, sizeof(*m)) : NULL;
		/* the iterator API takes a non-const object only to iterate */
		void *it = json_object_iter((json_t *)v);

		if (n && m == NULL)
			abort();
		for (; it != NULL && i < n; it = json_object_iter_next((json_t *)v, it), i++) {
			m[i].key = json_object_iter_key(it);
			/* the length, not strlen: jansson keys may hold U+0000 */
			m[i].klen = json_object_iter_key_len(it);
			m[i].value = json_object_iter_value(it);
		}
		if (n > 1)
			qsort(m, n, sizeof(*m), member_cmp);
		put(b, "{", 1);
		for (i = 0; i < n; i++) {
			if (i)
				put(b, ",", 1);
			put_string(b, m[i].key, m[i].klen);
			put(b, ":", 1);
			put_value(b, m[i].value, depth + 1);
		}
		put(b, "}", 1);
		free(m);
		break;
	}
	case JSON_ARRAY:
		put(b, "[", 1);
		for (size_t i = 0; i < json_array_size(v); i++) {
			if (i)
				put(b, ",", 1);
			put_value(b, json_array_get(v, i), depth + 1);
		}
		put(b, "]", 1);
		break;
	case JSON_STRING:
		put_string(b, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER: {
		json_int_t x = json_integer_value(v);

		if (x > CANON_INT_MAX || x < -CANON_INT_MAX) {
			b->bad = 1;
			return;
		}
		snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, x);
		put(b, num, strlen(num));
		break;
	}
	case JSON_TRUE:
		put(b, "true", 4);
		break;
	case JSON_FALSE:
		put(b, "false", 5);
		break;
	case JSON_NULL:
		put(b, "null", 4);
		break;
	default: /* JSON_REAL: never signed */
		b->bad = 1;
	}
}

char *canon_json_len(const json_t *v, size_t *len)
{
	struct buf b = {0};

	if (v == NULL)
		return NULL;
	put_value(&b, v, 0);
	if (b.bad) {
		free(b.p);
		return NULL;
	}
	if (len)
		*len = b.len;
	return b.p;
}

char *canon_json(const json_t *v)
{
	return canon_json_len(v, NULL);
}
