/*
 * h_events.c — event subscriptions and the case-status feed (issue 14 point
 * 6; docs/api-sharing.md, "Events"):
 *   GET   /api/v1/subscriptions                                 subscriptions.manage
 *   POST  /api/v1/subscriptions                                 subscriptions.manage
 *   GET   /api/v1/subscriptions/{id}                            subscriptions.manage
 *   PATCH /api/v1/subscriptions/{id}                            subscriptions.manage
 *   GET   /api/v1/subscriptions/{id}/deliveries                 subscriptions.manage
 *   POST  /api/v1/subscriptions/{id}/deliveries/{delivery}/redeliver
 *   GET   /api/v1/shared/cases?after=                           shared.cases
 *                                                               (token scope applications:read)
 * The secret of a subscription is answered only when it is set (creation, or
 * a PATCH with rotate_secret): the receiver's developer copies it then.
 */
#include <curl/curl.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http/accounts.h"
#include "http/h_shared.h"
#include "store/store_events.h"

static json_t *kinds_json(const char *stored)
{
	json_t *arr = json_array();
	const char *p = stored;

	if (strcmp(stored, "*") == 0) {
		json_array_append_new(arr, json_string("*"));
		return arr;
	}
	while (*p) {
		const char *end;

		while (*p == ',')
			p++;
		if (!*p)
			break;
		end = strchr(p, ',');
		if (end == NULL)
			end = p + strlen(p);
		json_array_append_new(arr, json_stringn(p, (size_t)(end - p)));
		p = end;
	}
	return arr;
}

static json_t *sub_json(const struct store_subscription *s)
{
	return json_pack("{s:I,s:s,s:s,s:o,s:b,s:I,s:I,s:{s:I,s:I,s:I}}", "id", (json_int_t)s->id,
			 "name", s->name, "url", s->url, "kinds", kinds_json(s->kinds), "active",
			 s->active, "created_at", (json_int_t)s->created_at, "updated_at",
			 (json_int_t)s->updated_at, "deliveries", "pending", (json_int_t)s->pending,
			 "delivered", (json_int_t)s->delivered, "dead", (json_int_t)s->dead);
}

static json_t *sub_item(const void *s)
{
	return sub_json(s);
}

/* url: http or https, a host, at most EVENT_SUB_URL_MAX bytes, no blanks or
 * control characters (libcurl's parser judges the rest). */
static int check_url(struct req *r, const char *url)
{
	CURLU *u;
	CURLUcode rc;
	char *scheme = NULL, *host = NULL;
	int ok;

	if (strlen(url) > EVENT_SUB_URL_MAX)
		return reply_error(r, 400, "too_long", "url", "地址不能超过 %d 个字节",
				   EVENT_SUB_URL_MAX),
		       -1;
	for (const char *p = url; *p; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f)
			return reply_error(r, 400, "invalid_url", "url",
					   "地址不能含空白或控制字符"),
			       -1;
	if ((u = curl_url()) == NULL)
		return reply_error(r, 500, "out_of_memory", NULL, "内存不足"), -1;
	rc = curl_url_set(u, CURLUPART_URL, url, 0);
	ok = rc == CURLUE_OK && curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	     curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
	     (strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0) && host[0] != '\0';
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);
	if (!ok)
		return reply_error(r, 400, "invalid_url", "url",
				   "地址须为完整的 http:// 或 https:// 地址"),
		       -1;
	return 0;
}

/* kinds: ["*"] or 1…12 distinct kinds of event_kinds, stored as "*" or
 * ",a,b,". */
static int parse_kinds(struct req *r, json_t *kinds, char *out, size_t outsz)
{
	size_t i, len = 0;
	json_t *item;

	if (!json_is_array(kinds) || json_array_size(kinds) == 0 || json_array_size(kinds) > 12)
		return reply_error(r, 400, kinds ? "invalid_kinds" : "required", "kinds",
				   "kinds 须为 1 至 12 个事件类型的数组，或 [\"*\"]（全部）"),
		       -1;
	if (json_array_size(kinds) == 1 && json_is_string(json_array_get(kinds, 0)) &&
	    strcmp(json_string_value(json_array_get(kinds, 0)), "*") == 0) {
		snprintf(out, outsz, "*");
		return 0;
	}
	out[len++] = ',';
	out[len] = '\0';
	json_array_foreach (kinds, i, item) {
		const char *k = json_string_value(item);
		char field[32], needle[EVENT_KIND_MAX + 3];

		snprintf(field, sizeof(field), "kinds[%zu]", i);
		if (!event_kind_valid(k))
			return reply_error(r, 400, "unknown_kind", field,
					   "未知的事件类型（见 docs/api-sharing.md 的事件类型表）"),
			       -1;
		snprintf(needle, sizeof(needle), ",%s,", k);
		if (strstr(out, needle) != NULL)
			return reply_error(r, 400, "duplicate_kind", field, "事件类型重复"), -1;
		len += (size_t)snprintf(out + len, outsz - len, "%s,", k);
	}
	return 0;
}

/* secret: 16…128 printable ASCII characters; absent → a random one. */
static int take_secret(struct req *r, json_t *v, char *out, size_t outsz)
{
	unsigned char rnd[24];
	const char *s;
	size_t n;

	if (v == NULL || json_is_null(v)) {
		randombytes_buf(rnd, sizeof(rnd));
		memcpy(out, "whsec_", 7);
		sodium_bin2hex(out + 6, outsz - 6, rnd, sizeof(rnd));
		return 0;
	}
	s = json_string_value(v);
	n = s ? strlen(s) : 0;
	if (s == NULL || n < EVENT_SUB_SECRET_MIN || n > EVENT_SUB_SECRET_MAX)
		return reply_error(r, 400, "invalid_secret", "secret",
				   "密钥须为 %d 至 %d 个可见 ASCII 字符", EVENT_SUB_SECRET_MIN,
				   EVENT_SUB_SECRET_MAX),
		       -1;
	for (size_t i = 0; i < n; i++)
		if (s[i] <= 0x20 || s[i] >= 0x7f)
			return reply_error(r, 400, "invalid_secret", "secret",
					   "密钥须为 %d 至 %d 个可见 ASCII 字符",
					   EVENT_SUB_SECRET_MIN, EVENT_SUB_SECRET_MAX),
			       -1;
	snprintf(out, outsz, "%s", s);
	return 0;
}

/* active: a boolean when present. */
static int take_active(struct req *r, bool *active)
{
	json_t *v = json_object_get(r->json, "active");

	if (v == NULL)
		return 0;
	if (!json_is_boolean(v))
		return reply_error(r, 400, "invalid_type", "active", "active 须为 true 或 false"),
		       -1;
	*active = json_is_true(v);
	return 0;
}

void h_subscriptions_list(struct req *r)
{
	struct store_subscription *items = NULL;
	struct store_conn *c;
	struct yerr e = {0};
	json_t *out, *kinds;
	size_t n = 0;
	int rc;

	if (req_acquire(r, &c) < 0)
		return;
	rc = store_subscription_list(c, req_district(r), &items, &n, &e);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	out = req_list(items, n, sizeof(*items), sub_item, (int64_t)n, NULL);
	kinds = json_array();
	for (size_t i = 0; event_kinds[i] != NULL; i++)
		json_array_append_new(kinds, json_string(event_kinds[i]));
	json_object_set_new(out, "event_kinds", kinds);
	reply_json(r, 200, out);
	free(items);
}

void h_subscription_create(struct req *r)
{
	static const char *const keys[] = {"name", "url", "kinds", "secret", "active", NULL};
	struct store_subscription s = {.active = true};
	struct store_conn *c;
	struct yerr e = {0};
	const char *name, *url;
	char object[48];
	json_t *out;
	int rc;

	if (req_body_keys(r, keys) < 0 ||
	    req_text(r, "name", ARG_REQUIRED, EVENT_SUB_NAME_MAX, &name) < 0 ||
	    req_text(r, "url", ARG_REQUIRED, EVENT_SUB_URL_MAX, &url) < 0 ||
	    check_url(r, url) < 0 ||
	    parse_kinds(r, json_object_get(r->json, "kinds"), s.kinds, sizeof(s.kinds)) < 0 ||
	    take_secret(r, json_object_get(r->json, "secret"), s.secret, sizeof(s.secret)) < 0 ||
	    take_active(r, &s.active) < 0)
		return;
	snprintf(s.name, sizeof(s.name), "%s", name);
	snprintf(s.url, sizeof(s.url), "%s", url);
	s.created_by = r->who.kind == PRINCIPAL_TOKEN ? 0 : r->who.id;
	if (req_acquire(r, &c) < 0)
		return;
	rc = store_begin(c, &e);
	if (rc == 0)
		rc = store_subscription_insert(c, req_district(r), &s, &e);
	if (rc == 0) {
		snprintf(object, sizeof(object), "subscription:%" PRId64, s.id);
		rc = req_audit_commit(r, c, object, s.url, &e);
	}
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	out = sub_json(&s);
	json_object_set_new(out, "secret", json_string(s.secret));
	reply_json(r, 201, out);
}

void h_subscription_get(struct req *r)
{
	struct store_subscription s;
	struct store_conn *c;
	struct yerr e = {0};
	int64_t id;
	int rc;

	if (req_path_id(r, "id", "subscription_not_found", &id) < 0 || req_acquire(r, &c) < 0)
		return;
	rc = store_subscription_get(c, req_district(r), id, false, &s, &e);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	reply_json(r, 200, sub_json(&s));
}

void h_subscription_update(struct req *r)
{
	static const char *const keys[] = {"name",          "url",    "kinds", "secret",
					   "rotate_secret", "active", NULL};
	json_t *kinds = json_object_get(r->json, "kinds"),
	       *secret = json_object_get(r->json, "secret"),
	       *rotate = json_object_get(r->json, "rotate_secret"), *out;
	char kinds_text[EVENT_SUB_KINDS_MAX + 1], secret_text[EVENT_SUB_SECRET_MAX + 1], object[48];
	struct store_subscription s;
	const char *name = NULL, *url = NULL;
	bool active = true, has_active = json_object_get(r->json, "active") != NULL, new_secret;
	struct store_conn *c;
	struct yerr e = {0};
	int64_t id;
	int rc;

	if (req_path_id(r, "id", "subscription_not_found", &id) < 0 || req_body_keys(r, keys) < 0 ||
	    req_text(r, "name", ARG_NOT_BLANK, EVENT_SUB_NAME_MAX, &name) < 0 ||
	    req_text(r, "url", ARG_NOT_BLANK, EVENT_SUB_URL_MAX, &url) < 0 ||
	    (url && check_url(r, url) < 0) ||
	    (kinds && parse_kinds(r, kinds, kinds_text, sizeof(kinds_text)) < 0) ||
	    take_active(r, &active) < 0)
		return;
	if (rotate != NULL && !json_is_boolean(rotate))
		return reply_error(r, 400, "invalid_type", "rotate_secret",
				   "rotate_secret 须为 true 或 false");
	if (secret != NULL && json_is_true(rotate))
		return reply_error(r, 400, "conflicting_fields", "secret",
				   "secret 与 rotate_secret 只能给出一个");
	new_secret = (secret != NULL && !json_is_null(secret)) || json_is_true(rotate);
	if (new_secret && take_secret(r, json_is_true(rotate) ? NULL : secret, secret_text,
				      sizeof(secret_text)) < 0)
		return;
	if (req_acquire(r, &c) < 0)
		return;
	rc = store_begin(c, &e);
	if (rc == 0)
		rc = store_subscription_get(c, req_district(r), id, true, &s, &e);
	if (rc == 0) {
		if (name)
			snprintf(s.name, sizeof(s.name), "%s", name);
		if (url)
			snprintf(s.url, sizeof(s.url), "%s", url);
		if (kinds)
			snprintf(s.kinds, sizeof(s.kinds), "%s", kinds_text);
		if (new_secret)
			snprintf(s.secret, sizeof(s.secret), "%s", secret_text);
		if (has_active)
			s.active = active;
		rc = store_subscription_update(c, req_district(r), &s, &e);
	}
	if (rc == 0) {
		snprintf(object, sizeof(object), "subscription:%" PRId64, id);
		rc = req_audit_commit(r, c, object, new_secret ? "{\"secret\":\"rotated\"}" : NULL,
				      &e);
	}
	if (rc == 0)
		rc = store_subscription_get(c, req_district(r), id, false, &s, &e);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	out = sub_json(&s);
	if (new_secret)
		json_object_set_new(out, "secret", json_string(s.secret));
	reply_json(r, 200, out);
}

static json_t *delivery_json(const struct store_delivery *d)
{
	return json_pack(
	    "{s:I,s:I,s:{s:s,s:I,s:s,s:s,s:I},s:s,s:i,s:o,s:o,s:o,s:o,s:o,s:I}", "id",
	    (json_int_t)d->id, "subscription_id", (json_int_t)d->subscription_id, "event", "id",
	    d->event_id, "seq", (json_int_t)d->event_seq, "kind", d->kind, "ref", d->ref, "at",
	    (json_int_t)d->event_at, "status", d->status, "attempts", d->attempts, "next_at",
	    strcmp(d->status, "pending") == 0 ? json_integer(d->next_at_ms / 1000) : json_null(),
	    "last_attempt_at", d->last_at_ms ? json_integer(d->last_at_ms / 1000) : json_null(),
	    "last_status", d->last_status ? json_integer(d->last_status) : json_null(),
	    "last_error", d->last_error[0] ? json_string(d->last_error) : json_null(),
	    "delivered_at", d->delivered_at ? json_integer(d->delivered_at) : json_null(),
	    "created_at", (json_int_t)d->created_at);
}

static json_t *delivery_item(const void *d)
{
	return delivery_json(d);
}

void h_subscription_deliveries(struct req *r)
{
	struct store_delivery *items = NULL;
	struct store_subscription s;
	struct store_conn *c;
	struct req_page page;
	struct yerr e = {0};
	const char *status = NULL;
	int64_t id, total = 0;
	size_t n = 0;
	int rc;

	if (req_path_id(r, "id", "subscription_not_found", &id) < 0 ||
	    req_query_text(r, "status", 16, &status) < 0 ||
	    req_paging(r, REQ_PAGE_DEFAULT, REQ_PAGE_MAX, &page) < 0)
		return;
	if (status && strcmp(status, "pending") != 0 && strcmp(status, "delivered") != 0 &&
	    strcmp(status, "dead") != 0)
		return reply_error(r, 400, "invalid_status", "status",
				   "status 须为 pending、delivered 或 dead");
	if (req_acquire(r, &c) < 0)
		return;
	rc = store_subscription_get(c, req_district(r), id, false, &s, &e);
	if (rc == 0)
		rc = store_deliveries_list(c, req_district(r), id, status, page.limit, page.offset,
					   &items, &n, &total, &e);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	reply_json(r, 200, req_list(items, n, sizeof(*items), delivery_item, total, &page));
	free(items);
}

void h_delivery_redeliver(struct req *r)
{
	struct store_conn *c;
	struct yerr e = {0};
	struct timespec ts;
	int64_t id, did;
	char object[64];
	int rc;

	if (req_path_id(r, "id", "subscription_not_found", &id) < 0 ||
	    req_path_id(r, "delivery", "delivery_not_found", &did) < 0 || req_acquire(r, &c) < 0)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	rc = store_begin(c, &e);
	if (rc == 0)
		rc = store_delivery_redeliver(c, req_district(r), id, did,
					      (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000, &e);
	if (rc == 0) {
		snprintf(object, sizeof(object), "subscription:%" PRId64, id);
		rc = req_audit_commit(r, c, object, NULL, &e);
	}
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	reply_json(r, 202, json_pack("{s:I,s:s}", "id", (json_int_t)did, "status", "pending"));
}

/* The 一网通办 case-status feed: the application events after the cursor,
 * in commit order, each in the delivered shape. A shared read like the
 * reads by uscc: purpose, rate and access log through their gate
 * (h_shared.h), kind "cases", no uscc (the feed spans every entity). */
void h_shared_cases(struct req *r)
{
	struct store_event *items = NULL;
	struct sharing_gate g;
	long long after, limit;
	struct store_conn *c;
	struct yerr e = {0};
	json_t *arr;
	size_t n = 0;
	int rc;

	if (req_query_int(r, "after", 0, 0, INT64_MAX / 10, &after) < 0 ||
	    req_query_int(r, "limit", 100, 1, 1000, &limit) < 0 ||
	    sharing_gate_open(r, "cases", &g) < 0)
		return;
	if (req_acquire(r, &c) < 0)
		return;
	rc = store_events_after(c, req_district(r), (int64_t)after, "application.", (long)limit,
				&items, &n, &e);
	store_release(c);
	if (sharing_gate_log(r, &g, rc < 0 ? e.status : 200) < 0) {
		store_events_free(items, n);
		return;
	}
	if (rc < 0)
		return reply_yerr(r, &e);
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, store_event_json(&items[i]));
	reply_json(r, 200,
		   json_pack("{s:o,s:I,s:b}", "items", arr, "next",
			     (json_int_t)(n > 0 ? items[n - 1].seq : (int64_t)after), "more",
			     n == (size_t)limit));
	store_events_free(items, n);
}
