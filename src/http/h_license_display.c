/*
 * h_license_display.c — 亮证, the e-license display (issue 12, lic-public;
 * docs/api-licenses.md "亮证"):
 *   GET /api/v1/licenses/{number}/display         licenses.display (holder)
 *   PUT /api/v1/licenses/{number}/display         licenses.display {"public": bool}
 *   GET /api/v1/public/licenses/{number}/display  public, when the holder enabled it
 * Each answer carries a fresh YD1 token (5 minutes, LICENSE-CONTRACT) and the
 * PNG of its QR text <public_url>/v/<number>?d=<token>. A screenshot of the
 * QR stops verifying 5 minutes later (410 display_expired), so it cannot
 * outlive a suspension or revocation, nor be passed off later as current.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "core/payload.h"
#include "http/license_public.h"
#include "http/licenses.h"
#include "io/keys.h"
#include "render/render.h"

/* {"number","version","status","token","expires_at","qr_text","qr_png"
 * (data: URL),"show_url"} of the current version, or -1 with e. */
static int display_answer(struct req *r, const struct lic_row *l, json_t **out, struct yerr *e)
{
	char base[600];
	long long expires = (long long)time(NULL) + DISPLAY_TOKEN_TTL;
	unsigned char *png = NULL;
	char kid[33], *token, *qr, *show, *b64;
	size_t len = 0, b64len;

	license_public_url(r, base, sizeof(base));
	if (strcmp(l->status, "valid") != 0) {
		yerr_set(e, 409, "license_not_valid", NULL, "许可证当前不是有效状态，不能亮证");
		return -1;
	}
	if (keyring_current(r->app->keys, kid) < 0) {
		yerr_set(e, 503, "keys_unavailable", NULL, "签名密钥暂不可用，请稍后重试");
		return -1;
	}
	token = display_token_build(l->number, l->version, expires, kid, keyring_sign_cb,
				    r->app->keys, e);
	if (token == NULL)
		return -1;
	if (asprintf(&qr, "%s/v/%s?d=%s", base, l->number, token) < 0 ||
	    asprintf(&show, "%s/show/%s", base, l->number) < 0)
		abort();
	if (render_qr_png(qr, &png, &len, e) < 0) {
		free(token);
		free(qr);
		free(show);
		return -1;
	}
	b64len = sodium_base64_encoded_len(len, sodium_base64_VARIANT_ORIGINAL);
	b64 = malloc(b64len + 32);
	if (b64 == NULL)
		abort();
	strcpy(b64, "data:image/png;base64,");
	sodium_bin2base64(b64 + strlen(b64), b64len, png, len, sodium_base64_VARIANT_ORIGINAL);
	*out = json_pack("{s:s,s:i,s:s,s:s,s:I,s:I,s:s,s:s,s:s}", "number", l->number, "version",
			 l->version, "status", l->status, "token", token, "expires_at",
			 (json_int_t)expires, "ttl", (json_int_t)DISPLAY_TOKEN_TTL, "qr_text", qr,
			 "qr_png", b64, "show_url", show);
	free(png);
	free(b64);
	free(token);
	free(qr);
	free(show);
	return 0;
}

void h_license_display_get(struct req *r)
{
	const char *number = req_param(r, "number");
	struct store_conn *c;
	struct lic_row l;
	struct yerr e = {0};
	json_t *o = NULL;
	int rc, on = 0;

	if (req_acquire(r, &c) < 0)
		return;
	rc = lic_load_for(r, c, number, &l, &e);
	if (rc == 0 && (on = store_display_public(c, req_district(r), l.number, &e)) < 0) {
		lic_row_free(&l);
		rc = -1;
	}
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	if (l.holder_user_id != r->who.id) {
		/* the display is the holder's to show: staff use the license page */
		lic_row_free(&l);
		return reply_error(r, 404, "license_not_found", NULL, "许可证不存在");
	}
	rc = display_answer(r, &l, &o, &e);
	lic_row_free(&l);
	if (rc < 0)
		return reply_yerr(r, &e);
	json_object_set_new(o, "public", json_boolean(on));
	reply_json(r, 200, o);
}

void h_license_display_set(struct req *r)
{
	static const char *const keys[] = {"public", NULL};
	const char *number = req_param(r, "number");
	json_t *pub = json_object_get(r->json, "public");
	struct store_conn *c;
	struct lic_row l;
	struct yerr e = {0};
	int rc;

	snprintf(r->audit_object, sizeof(r->audit_object), "license:%.60s", number);
	if (req_body_keys(r, keys) < 0)
		return;
	if (!json_is_boolean(pub))
		return reply_error(r, 400, "invalid_type", "public", "public 必须是 true 或 false");
	if (req_acquire(r, &c) < 0)
		return;
	rc = store_begin(c, &e);
	if (rc == 0)
		rc = lic_load_for(r, c, number, &l, &e);
	if (rc == 0) {
		if (l.holder_user_id != r->who.id) {
			yerr_set(&e, 404, "license_not_found", NULL, "许可证不存在");
			rc = -1;
		} else
			rc = store_display_set(c, req_district(r), l.number, json_is_true(pub),
					       r->who.id, app_now(r->app), &e);
		lic_row_free(&l);
	}
	if (rc == 0)
		rc = req_audit_commit(
		    r, c, r->audit_object,
		    json_is_true(pub) ? "{\"public\":true}" : "{\"public\":false}", &e);
	store_release(c);
	if (rc < 0)
		return reply_yerr(r, &e);
	reply_json(r, 200, json_pack("{s:s,s:b}", "number", number, "public", json_is_true(pub)));
}

/* The public page's fresh token. Anyone may ask, but only for a license
 * whose holder switched the display on, and only while it is valid: the
 * token then says "valid now, shown by its holder's page", which is all a
 * QR on a shop page can honestly say. */
void h_public_license_display(struct req *r)
{
	const char *number = req_param(r, "number");
	struct store_conn *c;
	struct lic_row l;
	struct yerr e = {0};
	json_t *o = NULL;
	int rc, on = 0;

	if (strlen(number) > LIC_NUMBER_MAX)
		return reply_error(r, 404, "display_off", NULL, "该许可证未开启亮证");
	if (req_acquire(r, &c) < 0)
		return;
	rc = store_lic_current(c, req_district(r), number, &l, &e);
	if (rc == 0 && (on = store_display_public(c, req_district(r), l.number, &e)) < 0) {
		lic_row_free(&l);
		rc = -1;
	}
	store_release(c);
	if (rc < 0 && e.status == 404)
		return reply_error(r, 404, "display_off", NULL, "该许可证未开启亮证");
	if (rc < 0)
		return reply_yerr(r, &e);
	if (!on) {
		lic_row_free(&l);
		return reply_error(r, 404, "display_off", NULL, "该许可证未开启亮证");
	}
	rc = display_answer(r, &l, &o, &e);
	if (rc == 0)
		json_object_set_new(o, "holder",
				    json_pack("{s:s,s:s}", "name",
					      l.holder_name ? l.holder_name : "", "uscc",
					      l.holder_uscc ? l.holder_uscc : ""));
	lic_row_free(&l);
	if (rc < 0)
		return reply_yerr(r, &e);
	reply_header(r, "Cache-Control", "no-store");
	reply_json(r, 200, o);
}
