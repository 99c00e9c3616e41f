#ifndef YIYE_CORE_PAYLOAD_H
#define YIYE_CORE_PAYLOAD_H
/*
 * payload.h — the signed texts a license carries outside the database
 * (issue 12, LICENSE-CONTRACT): the QR payload and the 亮证 display token.
 *
 *   YL1.<number>.<version>.<uscc>.<valid_from>.<valid_until or ->.<kid>.<sig>
 *   YD1.<number>.<version>.<expires_unix>.<kid>.<sig>
 *
 * `sig` is base64url without padding (86 characters) of the Ed25519
 * signature over the bytes before the last dot. A QR code holds
 * `<public_url>/v/<number>#<YL1 payload>` (a phone opens the status page, an
 * offline verifier reads the fragment).
 *
 * Pure: verification is against a keys.json object
 * ({"keys":[{"kid","alg":"Ed25519","public_key",…}]}, see keys.h); building
 * takes a signing callback (keys.h: keyring_sign_cb). Parsing is strict —
 * exact field syntax, bounded lengths — since the text comes from anyone's
 * camera (fuzzed by tests/fuzz/fuzz_payload.c).
 */
#include <jansson.h>
#include <stddef.h>

#include "core/error.h"

/* Longest QR text (URL#payload) and payload accepted. */
#define PAYLOAD_TEXT_MAX 2048
#define PAYLOAD_MAX 512
/* A display token lives 5 minutes; one claiming to live longer than this
 * was not made by Yiye and is refused as display_invalid. */
#define DISPLAY_TOKEN_TTL 300
#define DISPLAY_TOKEN_MAX_TTL 3600
/* Ed25519 signature as base64url without padding: 86 characters. */
#define SIG_B64_LEN 86

struct payload {
	char number[64];      /* [A-Z0-9-], e.g. XK-310104-2026-000001 */
	int version;          /* 1..999999 */
	char uscc[32];        /* 18 characters [0-9A-Z] */
	char valid_from[11];  /* YYYY-MM-DD */
	char valid_until[11]; /* YYYY-MM-DD, "" = no term (printed "-") */
	char kid[33];         /* [A-Za-z0-9_-]{1,32} */
};

struct display_token {
	char number[64];
	int version;
	long long expires; /* Unix seconds */
	char kid[33];
};

/* Signs len bytes at msg with key kid: sig receives 86 base64url characters
 * and a NUL. 0 or -1. */
typedef int (*payload_sign_fn)(void *ctx, const char *kid, const void *msg, size_t len,
			       char sig[100]);

/* 1 when kid is a well-formed key id ([A-Za-z0-9_-]{1,32}). */
int payload_kid_valid(const char *kid);

/* The YL1 payload of p (p->kid names the signing key), malloc'd; NULL with
 * err (400 payload_malformed naming the field) when a field does not fit the
 * syntax, or (500 sign_failed) when signing fails. */
char *payload_build(const struct payload *p, payload_sign_fn sign, void *ctx, struct yerr *err);
/* The QR text: public_url "/v/" number "#" payload, malloc'd. */
char *payload_qr_text(const char *public_url, const char *number, const char *payload);

/*
 * Verifies text — the QR text (URL#payload) or the bare payload, ASCII
 * white space around it ignored — against keys_json. When a URL is present
 * its path must end in /v/<the payload's number>. 0 and *out filled when the
 * signature checks with a listed key (current or retired); otherwise -1
 * with err->code payload_malformed | unknown_key | bad_signature (status
 * 400). out may be NULL.
 */
int payload_verify(const char *text, const json_t *keys_json, struct payload *out,
		   struct yerr *err);

/* Checks a base64url signature sig of msg by key kid of keys_json:
 * 0 valid, -1 bad signature (or not 86 base64url characters), -2 kid not
 * listed (or its public key malformed). */
int sig_verify_b64(const json_t *keys_json, const char *kid, const void *msg, size_t len,
		   const char *sig);

/* The YD1 token for (number, version) expiring at `expires` (Unix seconds;
 * the caller passes now + DISPLAY_TOKEN_TTL), signed with kid; malloc'd or
 * NULL with err. */
char *display_token_build(const char *number, int version, long long expires, const char *kid,
			  payload_sign_fn sign, void *ctx, struct yerr *err);
/*
 * Verifies a display token at time now (Unix seconds, passed in so tests
 * are deterministic). 0 and *out when valid; otherwise -1 with err->code
 * display_invalid (400: malformed, unknown key, bad signature, or an expiry
 * beyond now + DISPLAY_TOKEN_MAX_TTL) or display_expired (410: a genuine
 * token past its expiry). The signature is checked first, so a forged token
 * is never called merely expired.
 */
int display_token_verify(const char *token, const json_t *keys_json, long long now,
			 struct display_token *out, struct yerr *err);

#endif
