/*
 * h_tokens.c — API access tokens (tokens.manage; see docs/api-accounts.md):
 *   POST/GET /api/v1/tokens, DELETE /api/v1/tokens/{id}
 * The secret is shown once, at creation; the store keeps its hash.
 */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "http/accounts.h"

#define TOKEN_MAX_LIFETIME (3LL * 366 * 86400)
#define TOKEN_DEFAULT_LIFETIME (365LL * 86400)

/* API tokens ------------------------------------------------------------------ */

static json_t *token_json(const struct store_token *t)
{
	json_t *scopes = json_array();
	int64_t now = (int64_t)time(NULL);

	for (int i = 0; i < SCOPE_COUNT; i++)
		if (t->scopes & SCOPE_BIT(i))
			json_array_append_new(scopes, json_string(scope_name(i)));
	json_t *purposes = json_array();
	json_t *o;

	/* share-reads (issue 14): department, purposes, rate (docs/api-sharing.md) */
	for (const char *p = t->purposes; *p;) {
		size_t w = strcspn(p, " ");

		json_array_append_new(purposes, json_stringn(p, w));
		p += w;
		p += strspn(p, " ");
	}
	o = json_pack("{s:I,s:s,s:o,s:I,s:I,s:o,s:o,s:o,s:s}", "id", (json_int_t)t->id, "name",
		      t->name, "scopes", scopes, "created_at", (json_int_t)t->created_at,
		      "expires_at", (json_int_t)t->expires_at, "revoked_at",
		      t->revoked_at ? json_integer(t->revoked_at) : json_null(), "last_used_at",
		      t->last_used_at ? json_integer(t->last_used_at) : json_null(), "created_by",
		      t->created_by_name[0] ? json_string(t->created_by_name) : json_null(),
		      "status",
		      t->revoked_at          ? "revoked"
		      : t->expires_at <= now ? "expired"
					     : "active");
	json_object_set_new(o, "department",
			    t->department[0] ? json_string(t->department) : json_null());
	json_object_set_new(o, "purposes", purposes);
	json_object_set_new(o, "rate_per_minute",
			    t->rate_per_minute ? json_integer(t->rate_per_minute) : json_null());
	return o;
}

/* expires_at: unix seconds, or "YYYY-MM-DD" (the end of that day, Beijing
 * time); absent → one year. Must lie in the future, at most three years. */
static int token_expiry(struct req *r, int64_t now, int64_t *out)
{
	json_t *v = json_object_get(r->json, "expires_at");
	int day;

	*out = now + TOKEN_DEFAULT_LIFETIME;
	if (v == NULL || json_is_null(v))
		return 0;
	if (json_is_integer(v))
		*out = (int64_t)json_integer_value(v);
	else if (json_is_string(v) &&
		 date_parse(json_string_value(v), json_string_length(v), &day) == 0)
		*out = (int64_t)(day + 1) * 86400 - 8 * 3600 - 1;
	else {
		reply_error(r, 400, "invalid_expiry", "expires_at",
			    "expires_at 须为 Unix 秒数或 YYYY-MM-DD 日期");
		return -1;
	}
	if (*out <= now || *out > now + TOKEN_MAX_LIFETIME) {
		reply_error(r, 400, "invalid_expiry", "expires_at",
			    "有效期须晚于现在，且不超过三年");
		return -1;
	}
	return 0;
}

void h_token_create(struct req *r)
{
	static const char *const keys[] = {"name", "scopes", "expires_at", NULL};
	json_t *scopes = json_object_get(r->json, "scopes"), *item;
	char secret[64] = "yiye_", hash[AUTH_SECRET_HEX], object[48];
	struct store_token t = {0};
	struct store_conn *c;
	struct yerr e = {0};
	int64_t now = (int64_t)time(NULL);
	const char *name;
	size_t i;
	int rc;

	if (req_body_keys(r, keys) < 0 ||
	    req_text(r, "name", ARG_REQUIRED, TOKEN_NAME_MAX, &name) < 0)
		return;
	if (!json_is_array(scopes) || json_array_size(scopes) == 0 ||
	    json_array_size(scopes) > SCOPE_COUNT)
		return reply_error(r, 400, scopes ? "invalid_scopes" : "required", "scopes",
				   "scopes 须为 1 至 %d 个权限范围的数组（如 \"licenses:read\"）",
				   SCOPE_COUNT);
	json_array_foreach (scopes, i, item) {
		int s = json_is_string(item) ? scope_parse(json_string_value(item)) : -1;

		if (s < 0) {
			char field[32];

			snprintf(field, sizeof(field), "scopes[%zu]", i);
			return reply_error(r, 400, "unknown_scope", field,
					   "未知的权限范围（可选：catalog:read、applications:read、"
					   "licenses:read、supervision:read、credit:read、"
					   "reports:read、users:read、audit:read）");
		}
		t.scopes |= SCOPE_BIT(s);
	}
	if (token_expiry(r, now, &t.expires_at) < 0)
		return;
	snprintf(t.name, sizeof(t.name), "%s", name);
	t.created_by = r->who.kind == PRINCIPAL_TOKEN ? 0 : r->who.id;
	t.created_at = now;
	auth_random_secret(secret + 5, sizeof(secret) - 5);
	auth_secret_hash(secret, hash);
	if (req_acquire(r, &c) < 0)
		return;
	rc = store_begin(c, &e);
	if (rc == 0)
		rc = store_token_insert(c, req_district(r), &t, hash, &e);
	if (rc == 0) {
		snprintf(object, sizeof(object), "token:%" PRId64, t.id);
		rc = req_audit_commit(r, c, object, t.name, &e);
	}
	if (rc == 0)
		rc = store_token_get(c, req_district(r), t.id, &t, &e);
	store_release(c);
	if (rc < 0) {
		sodium_memzero(secret, sizeof(secret));
		return reply_yerr(r, &e);
	}
	reply_json(r, 201, json_pack("{s:o,s:s}", "token", token_json(&t), "secret", secret));
	sodium_memzero(secret, sizeof(secret));
}

static json_t *token_item(const void *t)
{
	return token_json(t);
}

void h_tokens_list(struct req *r)
{
	struct store_token *ts;
	struct store_conn *c;
	struct yerr e = {0};
	json_t *out, *scopes;
	int n, rc;

	if (req_acquire(r, &c) < 0)
		return;
	rc = store_tokens_list(c, req_district(r), &ts, &n, &e);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	out = req_list(ts, (size_t)n, sizeof(*ts), token_item, n, NULL);
	free(ts);
	/* the scopes a new token may carry, so the UI offers exactly these */
	scopes = json_array();
	for (int i = 0; i < SCOPE_COUNT; i++)
		json_array_append_new(
		    scopes, json_pack("{s:s,s:s}", "name", scope_name(i), "label", scope_label(i)));
	json_object_set_new(out, "scopes", scopes);
	reply_json(r, 200, out);
}

void h_token_revoke(struct req *r)
{
	struct store_token t;
	struct store_conn *c;
	struct yerr e = {0};
	int64_t id;
	int rc;

	if (req_path_id(r, "id", "not_found", &id) < 0)
		return;
	snprintf(r->audit_object, sizeof(r->audit_object), "token:%" PRId64, id);
	if (req_acquire(r, &c) < 0)
		return;
	rc = store_begin(c, &e);
	if (rc == 0)
		rc = store_token_revoke(c, req_district(r), id, (int64_t)time(NULL), &e);
	if (rc == 0)
		rc = req_audit_commit(r, c, r->audit_object, NULL, &e);
	if (rc == 0)
		rc = store_token_get(c, req_district(r), id, &t, &e);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	reply_json(r, 200, json_pack("{s:o}", "token", token_json(&t)));
}
