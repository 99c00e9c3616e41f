/*
 * history_call.c — one request of the history generator, made in-process:
 * the route table matches method and path, the route's permission is
 * decided for the caller exactly as for a session (including "change your
 * password first"), the handler answers, and the audit trail records it as
 * it would over HTTP. Only the transport is missing: no socket, no cookie,
 * no CSRF token (the caller is known), no query string.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/history.h"
#include "http/auth.h"
#include "http/internal.h"
#include "http/verify_cache.h"
#include "io/blobs.h"
#include "store/store_account.h"

/* The same refusal auth_check gives a session: 403 unless allowed. */
static int authorised(struct req *r)
{
	if (r->who.must_change_password && strcmp(r->route->permission, "public") != 0 &&
	    !(r->route->flags & ROUTE_BEFORE_PASSWORD_CHANGE)) {
		reply_error(r, 403, "password_change_required", NULL, "请先修改初始密码");
		return 0;
	}
	if (roles_authorize(&r->who, r->route->permission, r->method) == AUTHZ_ALLOW)
		return 1;
	reply_error(r, 403, "forbidden", NULL, "您没有执行此操作的权限");
	return 0;
}

static int with_upload(struct req *r, const void *bytes, size_t len)
{
	struct yerr e = {0};

	if (blob_writer_open(r->app->cfg.data_dir, &r->upload, &e) < 0 ||
	    blob_writer_write(r->upload, bytes, len, &e) < 0) {
		reply_yerr(r, &e);
		return -1;
	}
	return 0;
}

int hist_call(struct hist *h, const struct principal *who, const char *method, const char *path,
	      json_t *body, const void *upload, size_t upload_len, json_t **out)
{
	struct req *r = calloc(1, sizeof(*r));
	int status;

	if (r == NULL)
		abort();
	if (out)
		*out = NULL;
	r->app = h->app;
	r->method = method;
	r->url = path;
	r->route_idx = -1;
	r->resp_fd = -1;
	snprintf(r->client, sizeof(r->client), "demo-history");
	http_request_id(r->rid, sizeof(r->rid));
	if (who)
		r->who = *who;
	h->calls++;
	http_route_match(r);
	if (r->route == NULL) {
		fprintf(stderr, "yiye demo history: no route %s %s\n", method, path);
		json_decref(body);
		req_free(r);
		h->failed++;
		return 404;
	}
	if (authorised(r)) {
		if (r->route->flags & ROUTE_JSON_BODY)
			r->json = body ? body : json_object();
		else
			json_decref(body);
		body = NULL;
		if (!(r->route->flags & ROUTE_UPLOAD) || with_upload(r, upload, upload_len) == 0)
			r->route->handler(r);
		if (!r->replied)
			reply_error(r, 500, "internal", NULL, "服务器内部错误，请稍后重试");
		if (r->licenses_changed && r->status < 300)
			verify_cache_bump(r->app->verify_cache);
		auth_after_handler(r);
	} else {
		json_decref(body);
	}
	status = r->status;
	if (status >= 400) {
		h->refused++;
		if (status >= 500)
			h->failed++;
		if (h->verbose || status >= 500)
			fprintf(stderr, "yiye demo history: %s %s as %s: %d %.*s\n", method, path,
				r->who.name, status, (int)r->resp_len,
				r->resp_body ? r->resp_body : "");
	}
	if (out && r->resp_body && r->resp_type && strstr(r->resp_type, "json"))
		*out = json_loadb(r->resp_body, r->resp_len, 0, NULL);
	req_free(r);
	return status;
}

int hist_principal(struct hist *h, const char *username, struct principal *p)
{
	struct store_conn *c;
	struct store_user u;
	struct yerr e = {0};
	int rc;

	memset(p, 0, sizeof(*p));
	if (store_acquire(h->app->store, &c, &e) < 0)
		return -1;
	rc = store_user_get_by_name(c, username, &u, &e);
	store_release(c);
	if (rc < 0 || u.disabled)
		return -1;
	store_user_principal(&u, PRINCIPAL_SESSION, p);
	return 0;
}

int hist_principal_id(struct hist *h, int64_t user_id, struct principal *p)
{
	struct store_conn *c;
	struct store_user u;
	struct yerr e = {0};
	int rc;

	memset(p, 0, sizeof(*p));
	if (store_acquire(h->app->store, &c, &e) < 0)
		return -1;
	rc = store_user_get(c, h->app->cfg.district, user_id, &u, &e);
	store_release(c);
	if (rc < 0 || u.disabled)
		return -1;
	store_user_principal(&u, PRINCIPAL_SESSION, p);
	return 0;
}
