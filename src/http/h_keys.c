/*
 * h_keys.c — GET /.well-known/yiye/keys.json: the public keys that verify
 * license signatures, current and retired (io/keys.h). Public and
 * cacheable: an offline verifier or a mirror fetches it now and then, and
 * a rotation must reach them within minutes, so max-age is 5 minutes and
 * the ETag (from the list's SHA-256) makes a revalidation a 304. Answers
 * from memory (one stat of keys.json to follow a rotation), on the I/O
 * thread.
 */
#include <stdlib.h>
#include <string.h>

#include "http/handlers.h"
#include "http/internal.h"
#include "io/keys.h"

void h_keys_json(struct req *r)
{
	const char *inm = req_header(r, "If-None-Match");
	char etag[72];
	size_t len;
	char *text;

	if (r->app->keys == NULL)
		return reply_error(r, 503, "keys_unavailable", NULL, "签名公钥暂不可用");
	text = keyring_public_text(r->app->keys, &len, etag);
	/* If-None-Match may list several tags, weak ones included */
	if (inm && (strstr(inm, etag) != NULL || strcmp(inm, "*") == 0))
		reply_raw(r, 304, "application/json; charset=utf-8", "", 0);
	else
		reply_raw(r, 200, "application/json; charset=utf-8", text, len);
	free(text);
	reply_header(r, "ETag", etag);
	reply_header(r, "Cache-Control", "public, max-age=300");
	/* verifiers on other origins (a phone app's web view) may read it */
	reply_header(r, "Access-Control-Allow-Origin", "*");
}
