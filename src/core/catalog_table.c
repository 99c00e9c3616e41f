/*
 * catalog_table.c — the generic reader under the catalog builder: one loop
 * over a field table (catalog_table.h) instead of one hand-written loop per
 * entity, so every entity reports a missing, mistyped or out-of-range value
 * with the same words and the same JSON path.
 */
#include "core/catalog_table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LONG_MAX_VALUE 1000000000L

void cf_path(char *buf, size_t size, const char *base, const char *key)
{
	snprintf(buf, size, "%s%s%s", base, *base ? "." : "", key);
}

void cf_path_index(char *buf, size_t size, const char *base, const char *key, size_t i)
{
	snprintf(buf, size, "%s%s%s[%zu]", base, *base && *key ? "." : "", key, i);
}

void *cf_calloc(struct bctx *b, size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (p == NULL)
		b->oom = 1;
	return p;
}

/* check_keys reports members of obj that the table does not define (typos). */
static void check_keys(struct bctx *b, json_t *obj, const char *base, const struct cf_table *t)
{
	const char *key;
	json_t *v;
	size_t i;

	json_object_foreach (obj, key, v) {
		char path[256];
		(void)v;
		for (i = 0; i < t->nspecs; i++)
			if (t->specs[i].key != NULL && strcmp(t->specs[i].key, key) == 0)
				break;
		if (i == t->nspecs) {
			cf_path(path, sizeof(path), base, key);
			PROBLEM(b, false, path, "未知的键 \"%s\"", key);
		}
	}
}

/* has_type: whether v is what a spec of type t reads. */
static bool has_type(const json_t *v, enum cf_type t)
{
	switch (t) {
	case CF_STR:
		return json_is_string(v);
	case CF_LONG:
		return json_is_integer(v);
	case CF_BOOL:
		return json_is_boolean(v);
	case CF_NUMBER:
		return json_is_number(v);
	default: /* CF_STRS, CF_LIST */
		return json_is_array(v);
	}
}

/* type_text completes "\"key\" 必须是…" for a spec of type t. */
static const char *type_text(enum cf_type t)
{
	switch (t) {
	case CF_STR:
		return "字符串";
	case CF_LONG:
		return "整数";
	case CF_BOOL:
		return " true 或 false";
	case CF_NUMBER:
		return "数字";
	case CF_STRS:
		return "字符串数组";
	default:
		return "数组";
	}
}

/*
 * member returns obj[key] when it is there with the JSON type a spec of type t
 * reads, and writes its JSON path to path. Otherwise it returns NULL, reporting
 * a missing value when required and a value of another type always. A null
 * string counts as missing.
 */
static json_t *member(struct bctx *b, json_t *obj, const char *base, const char *key,
		      enum cf_type t, bool required, char path[static 256])
{
	json_t *v = json_object_get(obj, key);

	cf_path(path, 256, base, key);
	if (v == NULL || (t == CF_STR && json_is_null(v))) {
		if (required)
			PROBLEM(b, true, path, "缺少必填项 \"%s\"", key);
		return NULL;
	}
	if (!has_type(v, t)) {
		PROBLEM(b, true, path, "\"%s\" 必须是%s", key, type_text(t));
		return NULL;
	}
	return v;
}

/* get_str returns obj[key] as a string (non-empty when required), or NULL. */
static const char *get_str(struct bctx *b, json_t *obj, const char *base, const char *key,
			   bool required)
{
	char path[256];
	json_t *v = member(b, obj, base, key, CF_STR, required, path);

	if (v != NULL && required && json_string_length(v) == 0) {
		PROBLEM(b, true, path, "\"%s\" 不能为空", key);
		return NULL;
	}
	return v ? json_string_value(v) : NULL;
}

/* get_long returns obj[key] as an integer in [min, 1000000000], or 0. */
static long get_long(struct bctx *b, json_t *obj, const char *base, const char *key, bool required,
		     long min)
{
	char path[256];
	json_t *v = member(b, obj, base, key, CF_LONG, required, path);

	if (v == NULL)
		return 0;
	if (json_integer_value(v) < min || json_integer_value(v) > LONG_MAX_VALUE) {
		PROBLEM(b, true, path, "\"%s\" 超出范围（%ld 至 1000000000）", key, min);
		return 0;
	}
	return (long)json_integer_value(v);
}

/*
 * get_strs reads obj[key] as an array of non-empty strings. Bad elements are
 * reported and skipped; repeated ones are reported (non-fatal) and kept once.
 */
static const char **get_strs(struct bctx *b, json_t *obj, const char *base, const char *key,
			     bool required, size_t *n)
{
	char path[256];
	json_t *v = member(b, obj, base, key, CF_STRS, required, path), *e;
	const char **arr;
	size_t i, k;

	*n = 0;
	if (v == NULL)
		return NULL;
	arr = cf_calloc(b, json_array_size(v), sizeof(*arr));
	if (arr == NULL)
		return NULL;
	json_array_foreach (v, i, e) {
		char ep[256];
		cf_path_index(ep, sizeof(ep), base, key, i);
		if (!json_is_string(e) || json_string_length(e) == 0) {
			PROBLEM(b, true, ep, "必须是非空字符串");
			continue;
		}
		for (k = 0; k < *n; k++)
			if (strcmp(arr[k], json_string_value(e)) == 0)
				break;
		if (k < *n) {
			PROBLEM(b, false, ep, "重复列出 \"%s\"", json_string_value(e));
			continue;
		}
		arr[(*n)++] = json_string_value(e);
	}
	return arr;
}

/* read_object reads the nested object obj[s->key] into the same entity. */
static bool read_object(struct bctx *b, json_t *obj, const char *base, const struct cf_spec *s,
			char *ent)
{
	json_t *v = json_object_get(obj, s->key);
	char path[256];

	cf_path(path, sizeof(path), base, s->key);
	if (s->off != CF_NONE)
		*(const json_t **)(ent + s->off) = v;
	if (!json_is_object(v)) {
		if (v == NULL && !(s->flags & CF_REQUIRED))
			return true;
		PROBLEM(b, true, path, "%s", s->msg);
		return false;
	}
	return s->sub == NULL || cf_read(b, v, path, s->sub, ent, NULL, 0);
}

/* read_list reads the array obj[s->key] of sub-entities. */
static bool read_list(struct bctx *b, json_t *obj, const char *base, const struct cf_spec *s,
		      char *ent)
{
	bool required = (s->flags & CF_REQUIRED) != 0;
	char path[256];
	json_t *v = member(b, obj, base, s->key, CF_LIST, required, path);

	if (v == NULL)
		return json_object_get(obj, s->key) == NULL && !required;
	cf_list(b, v, base, s->key, s->sub, (void **)(ent + s->off), (size_t *)(ent + s->aux));
	return true;
}

/* is_unique reports the id at s->off when an earlier kept element of the list has it. */
static bool is_unique(struct bctx *b, const char *base, const struct cf_spec *s, const char *ent,
		      const struct cf_table *t, const char *list, size_t n)
{
	const char *id = *(const char *const *)(ent + s->off);
	char path[256];
	size_t k;

	for (k = 0; id != NULL && k < n; k++) {
		const char *other = list + k * t->size;
		if (strcmp(*(const char *const *)(other + s->off), id) != 0)
			continue;
		cf_path(path, sizeof(path), base, s->key);
		if (t->path_off != CF_NONE)
			PROBLEM(b, true, path, "%s \"%s\" 重复（亦见 %s）", s->msg, id,
				other + t->path_off);
		else
			PROBLEM(b, true, path, "%s \"%s\" 重复", s->msg, id);
		return false;
	}
	return true;
}

bool cf_read(struct bctx *b, json_t *obj, const char *base, const struct cf_table *t, void *entp,
	     const void *list, size_t n)
{
	char *ent = entp;
	bool keep = true;
	size_t i;

	check_keys(b, obj, base, t);
	for (i = 0; i < t->nspecs; i++) {
		const struct cf_spec *s = &t->specs[i];
		bool req = (s->flags & CF_REQUIRED) != 0, ok = true;
		const char **strs;
		char path[256];
		double number;
		size_t count;
		json_t *v;

		switch (s->type) {
		case CF_KNOWN:
			break;
		case CF_STR:
			*(const char **)(ent + s->off) = get_str(b, obj, base, s->key, req);
			ok = *(const char **)(ent + s->off) != NULL;
			break;
		case CF_LONG:
			*(long *)(ent + s->off) = get_long(b, obj, base, s->key, req, s->min);
			break;
		case CF_BOOL:
			v = member(b, obj, base, s->key, CF_BOOL, req, path);
			*(bool *)(ent + s->off) = v != NULL && json_is_true(v);
			break;
		case CF_NUMBER:
			v = member(b, obj, base, s->key, CF_NUMBER, false, path);
			*(bool *)(ent + s->aux) = v != NULL;
			if (v != NULL) {
				number = json_number_value(v);
				memcpy(ent + s->off, &number, sizeof(number));
			}
			break;
		case CF_STRS:
			strs = get_strs(b, obj, base, s->key, req, &count);
			ok = strs != NULL;
			if (s->off == CF_NONE) {
				free(strs);
				break;
			}
			*(const char ***)(ent + s->off) = strs;
			*(size_t *)(ent + s->aux) = count;
			break;
		case CF_OBJECT:
			ok = read_object(b, obj, base, s, ent);
			break;
		case CF_LIST:
			ok = read_list(b, obj, base, s, ent);
			break;
		case CF_UNIQUE:
			if (keep || !(s->flags & CF_WHOLE))
				keep &= is_unique(b, base, s, ent, t, list, n);
			break;
		case CF_CALL:
			keep &= s->call(b, obj, base, ent);
			break;
		}
		if (!ok && (s->flags & CF_NEEDED))
			keep = false;
	}
	return keep;
}

/* copy_path stores a JSON path in a fixed member, cut like snprintf would. */
static void copy_path(char *dst, size_t size, const char *src)
{
	size_t len = strnlen(src, size - 1);

	memcpy(dst, src, len);
	dst[len] = '\0';
}

void cf_list(struct bctx *b, json_t *arr, const char *base, const char *key,
	     const struct cf_table *t, void **out, size_t *n)
{
	char *elems = cf_calloc(b, json_array_size(arr), t->size);
	json_t *e;
	size_t i;

	*out = elems;
	*n = 0;
	if (elems == NULL)
		return;
	json_array_foreach (arr, i, e) {
		char *ent = elems + *n * t->size;
		char ep[256];

		cf_path_index(ep, sizeof(ep), base, key, i);
		if (!json_is_object(e)) {
			PROBLEM(b, true, ep, "%s", t->not_object);
			continue;
		}
		if (t->path_off != CF_NONE)
			copy_path(ent + t->path_off, CF_PATH, ep);
		if (!cf_read(b, e, ep, t, ent, elems, *n)) {
			cf_release(t, ent);
			memset(ent, 0, t->size);
			continue;
		}
		if (t->json_off != CF_NONE)
			*(const json_t **)(ent + t->json_off) = e;
		if (t->where_off != CF_NONE) {
			struct catalog_where *w = (struct catalog_where *)(ent + t->where_off);
			w->file = b->file;
			copy_path(w->path, sizeof(w->path), ep);
		}
		(*n)++;
	}
}

void cf_release(const struct cf_table *t, void *entp)
{
	char *ent = entp;
	size_t i, j;

	for (i = 0; i < t->nspecs; i++) {
		const struct cf_spec *s = &t->specs[i];
		if (s->type == CF_STRS && s->off != CF_NONE) {
			free(*(void **)(ent + s->off));
		} else if (s->type == CF_OBJECT && s->sub != NULL) {
			cf_release(s->sub, ent);
		} else if (s->type == CF_LIST) {
			char *elems = *(char **)(ent + s->off);
			size_t n = *(size_t *)(ent + s->aux);
			for (j = 0; elems != NULL && j < n; j++)
				cf_release(s->sub, elems + j * s->sub->size);
			free(elems);
		}
	}
	if (t->release != NULL)
		t->release(ent);
}
