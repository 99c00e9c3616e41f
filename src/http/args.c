/*
 * args.c — request input checks (args.h). The args_* functions decide; the
 * req_* functions apply them to a request and answer when the input is wrong.
 */
#include "http/args.h"

#include <stdio.h>
#include <string.h>

#include "core/text.h"
#include "http/auth.h"
#include "store/store.h"

/* pure checks ---------------------------------------------------------------- */

int args_keys(const json_t *obj, const char *const *allowed, struct yerr *e)
{
	const char *key;
	json_t *v;

	if (!json_is_object(obj))
		return yerr_set(e, 400, "invalid_body", "", "请求体必须是 JSON 对象");
	json_object_foreach ((json_t *)obj, key, v) {
		size_t i;

		(void)v;
		for (i = 0; allowed[i] && strcmp(allowed[i], key) != 0; i++)
			;
		if (allowed[i] == NULL)
			return yerr_set(e, 400, "unknown_field", strlen(key) <= 64 ? key : "",
					"不认识的字段 %.64s", key);
	}
	return 0;
}

static int blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			return 0;
	return 1;
}

/* The character checks shared by body members and query parameters: s of
 * len bytes, not blank. */
static int text_ok(const char *key, const char *s, size_t len, unsigned flags, size_t max_chars,
		   struct yerr *e)
{
	long chars = text_chars(s, len);

	if (chars < 0 || strlen(s) != len)
		return yerr_set(e, 400, "invalid_characters", key, "%s 含有无效的字符编码", key);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 || c == 0x7f) &&
		    !((flags & ARG_MULTILINE) && (c == '\n' || c == '\r' || c == '\t')))
			return yerr_set(e, 400, "invalid_characters", key, "%s 含有控制字符", key);
	}
	if ((size_t)chars > max_chars)
		return yerr_set(e, 400, "too_long", key, "%s 过长（最多 %zu 个字符）", key,
				max_chars);
	return 0;
}

int args_text(const json_t *obj, const char *key, unsigned flags, size_t max_chars,
	      const char **out, struct yerr *e)
{
	json_t *v = json_object_get(obj, key);
	int required = (flags & ARG_REQUIRED) != 0;
	const char *s;
	size_t len;

	*out = NULL;
	if (v != NULL && !json_is_null(v) && !json_is_string(v))
		return yerr_set(e, 400, "invalid_type", key, "%s 必须是字符串", key);
	s = v ? json_string_value(v) : NULL;
	len = s ? json_string_length(v) : 0;
	if (s == NULL || blank(s, len)) {
		if (required || (s != NULL && (flags & ARG_NOT_BLANK)))
			return yerr_set(e, 400, "required", key, "请填写 %s", key);
		return 0;
	}
	if (text_ok(key, s, len, flags, max_chars, e) < 0)
		return -1;
	*out = s;
	return 0;
}

int args_query_text(const char *name, const char *v, size_t max_chars, const char **out,
		    struct yerr *e)
{
	*out = NULL;
	if (v == NULL || *v == '\0')
		return 0;
	if (text_ok(name, v, strlen(v), 0, max_chars, e) < 0)
		return -1;
	*out = v;
	return 0;
}

int args_int(const char *s, long long min, long long max, long long *out)
{
	long long v = 0;
	size_t n;

	if (s == NULL || (n = strlen(s)) == 0 || n > 18 || strspn(s, "0123456789") != n)
		return -1;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	if (v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int args_query_int(const char *name, const char *v, long long dflt, long long min, long long max,
		   long long *out, struct yerr *e)
{
	*out = dflt;
	if (v == NULL || *v == '\0')
		return 0;
	if (args_int(v, min, max, out) < 0)
		return yerr_set(e, 400, "invalid_number", name,
				"参数 %s 须为 %lld 至 %lld 之间的整数", name, min, max);
	return 0;
}

/* request helpers -------------------------------------------------------------- */

/* Replies with e and returns -1 when rc is negative. */
static int answered(struct req *r, int rc, const struct yerr *e)
{
	if (rc < 0) {
		reply_yerr(r, e);
		return -1;
	}
	return 0;
}

int req_body_keys(struct req *r, const char *const *allowed)
{
	struct yerr e = {0};

	return answered(r, args_keys(r->json, allowed, &e), &e);
}

int req_text(struct req *r, const char *key, unsigned flags, size_t max_chars, const char **out)
{
	struct yerr e = {0};

	return answered(r, args_text(r->json, key, flags, max_chars, out, &e), &e);
}

int req_query_int(struct req *r, const char *name, long long dflt, long long min, long long max,
		  long long *out)
{
	struct yerr e = {0};

	return answered(r, args_query_int(name, req_query(r, name), dflt, min, max, out, &e), &e);
}

int req_query_text(struct req *r, const char *name, size_t max_chars, const char **out)
{
	struct yerr e = {0};

	return answered(r, args_query_text(name, req_query(r, name), max_chars, out, &e), &e);
}

int req_paging(struct req *r, int dflt, int max, struct req_page *p)
{
	long long limit, offset;

	if (req_query_int(r, "limit", dflt, 1, max, &limit) < 0 ||
	    req_query_int(r, "offset", 0, 0, 1000000000, &offset) < 0)
		return -1;
	p->limit = (int)limit;
	p->offset = (int)offset;
	return 0;
}

int req_path_id(struct req *r, const char *name, const char *code, int64_t *id)
{
	long long n;

	if (args_int(req_param(r, name), 1, INT64_MAX / 10, &n) < 0) {
		reply_error(r, 404, code, NULL, "对象不存在");
		return -1;
	}
	*id = (int64_t)n;
	return 0;
}

const char *req_district(const struct req *r)
{
	return r->app->cfg.district;
}

int req_acquire(struct req *r, struct store_conn **c)
{
	struct yerr e = {0};

	return answered(r, store_acquire(r->app->store, c, &e), &e);
}

int req_commit(struct req *r, struct store_conn *c)
{
	struct yerr e = {0};

	return answered(r, store_commit(c, &e), &e);
}

json_t *req_list_json(json_t *items, int64_t total, const struct req_page *page)
{
	json_t *out = json_pack("{s:o,s:I}", "items", items, "total", (json_int_t)total);

	if (page) {
		json_object_set_new(out, "limit", json_integer(page->limit));
		json_object_set_new(out, "offset", json_integer(page->offset));
	}
	return out;
}

json_t *req_list(const void *arr, size_t n, size_t size, req_item_json to_json, int64_t total,
		 const struct req_page *page)
{
	json_t *items = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, to_json((const char *)arr + i * size));
	return req_list_json(items, total, page);
}

int req_audit_commit(struct req *r, struct store_conn *c, const char *object, const char *detail,
		     struct yerr *e)
{
	int rc = req_audit(r, c, object, detail, e);

	return rc < 0 ? rc : store_commit(c, e);
}
