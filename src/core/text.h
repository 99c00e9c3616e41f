/*
 * text.h — the one rule for the length of text: Unicode characters (code
 * points), as the UI counts them, never bytes. Every limit on user text in
 * the platform (request fields, form fields, guide answers, inspection
 * notes, passwords) is measured with text_chars, so "最多 32 个字" means the
 * same everywhere.
 */
#ifndef YIYE_TEXT_H
#define YIYE_TEXT_H

#include <stddef.h>

/* Counts the characters of the len bytes at s, or answers -1 when they are
 * not well-formed UTF-8 (truncated or stray continuation bytes, overlong
 * forms, surrogates, code points above U+10FFFF). A NUL byte counts as a
 * character: callers that refuse control characters check for it. */
long text_chars(const char *s, size_t len);

#endif
