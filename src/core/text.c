/*
 * text.c — character counts of UTF-8 text (text.h).
 */
#include "core/text.h"

long text_chars(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	long n = 0;

	while (p < end) {
		unsigned c = *p, cp;
		int more;

		if (c < 0x80) {
			p++;
			n++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			more = 1, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			more = 2, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			more = 3, cp = c & 0x07;
		else
			return -1; /* continuation byte, overlong 0xc0/0xc1, or > 0xf4 */
		if (end - p <= more)
			return -1;
		for (int i = 1; i <= more; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return -1;
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		if ((more == 2 && cp < 0x800) || (more == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return -1;
		p += more + 1;
		n++;
	}
	return n;
}
