/*
 * h_trust.c — GET /.well-known/yiye/trusted-keys.json: the key sets of the
 * other districts this deployment trusts (跨地区互认, io/trust.h), as
 *   {"districts":[{"district","name","keys":[{"kid","alg","public_key",
 *                                             "status"}]}]}
 * The public verify page checks a QR payload our own keys do not know
 * against them, in the browser, and names the district whose key verified
 * it. Read from DATA/trust at each request (a few small files; ROUTE_SLOW,
 * so on the worker pool, never on an I/O thread), so `yiye trust add` on a
 * running server takes effect at once — and so it is answered no-cache (a
 * browser revalidates rather than keep a list from before the change).
 * Where a set came from (origin) stays with the operator.
 */
#include <stdlib.h>

#include "http/handlers.h"
#include "http/internal.h"
#include "io/trust.h"

void h_trusted_keys_json(struct req *r)
{
	json_t *sets = trust_load(r->app->cfg.data_dir);
	json_t *arr = json_object_get(sets, "districts"), *out = json_array();

	if (sets == NULL || out == NULL)
		abort(); /* out of memory: as everywhere else in the server */
	for (size_t i = 0; i < json_array_size(arr); i++) {
		const json_t *s = json_array_get(arr, i);

		json_array_append_new(out, json_pack("{s:O,s:O,s:O}", "district",
						     json_object_get(s, "district"), "name",
						     json_object_get(s, "name"), "keys",
						     json_object_get(s, "keys")));
	}
	json_decref(sets);
	reply_json(r, 200, json_pack("{s:o}", "districts", out));
	reply_header(r, "Cache-Control", "no-cache");
	reply_header(r, "Access-Control-Allow-Origin", "*");
}
