#ifndef YIYE_CORE_CANON_H
#define YIYE_CORE_CANON_H
/*
 * canon.h — the canonical JSON text of a document, the bytes a signature
 * covers (issue 12: the license document and anything else Yiye signs).
 *
 * Rules (docs/api-licenses.md, "Keys and signatures"):
 *   - no insignificant white space;
 *   - object members sorted by the bytes of their UTF-8 keys (unsigned
 *     comparison, a shorter key before a longer one it prefixes);
 *   - strings as UTF-8, escaping only what JSON requires: `"` and `\` as
 *     `\"` `\\`, U+0000..U+001F as `\b \t \n \f \r` or `\u00xx` (lower-case
 *     hex); everything else — `/`, DEL, U+2028/U+2029, every non-ASCII
 *     character — verbatim;
 *   - numbers: integers only, within ±(2^53−1) so a JavaScript verifier
 *     reads them exactly; a real refuses the whole document;
 *   - true, false, null as such.
 * For documents of strings and small integers this is byte-for-byte
 * RFC 8785 (JCS) except for the key order (JCS sorts by UTF-16 code units;
 * the two differ only for keys beyond U+FFFF against U+E000..U+FFFF, which
 * no Yiye document has).
 *
 * Why not json_dumps(JSON_SORT_KEYS | JSON_COMPACT): jansson agrees on
 * everything above except that it prints reals instead of refusing them,
 * writes \u escapes in upper case, and sorts keys with strcmp (a key
 * holding U+0000 compares short). The signed bytes must not depend on a
 * library's version or flags, so they are produced here, in ~150 lines the
 * tests pin down (tests/unit/test_canon.c).
 */
#include <jansson.h>
#include <stddef.h>

/* Largest integer magnitude canon_json accepts (2^53 − 1). */
#define CANON_INT_MAX 9007199254740991LL

/* The canonical text of v (malloc'd, NUL-terminated, the caller frees), or
 * NULL when v holds a real, an integer beyond CANON_INT_MAX, a string that is
 * not UTF-8, or nesting deeper than 64 levels. */
char *canon_json(const json_t *v);
/* As canon_json, with the length (the text never holds a NUL byte). */
char *canon_json_len(const json_t *v, size_t *len);

#endif
