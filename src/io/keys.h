#ifndef YIYE_IO_KEYS_H
#define YIYE_IO_KEYS_H
/*
 * keys.h — the signing keyring of the license (issue 12), in the data
 * directory, never in the database, a `yiye backup` dump or the API:
 *
 *   DATA/keys/            mode 0700
 *   DATA/keys/<kid>.key   mode 0600: the 64-byte libsodium Ed25519 secret key
 *   DATA/keys/keys.json   the public list, served as /.well-known/yiye/keys.json:
 *       {"keys":[{"kid","alg":"Ed25519","public_key" (base64url, 32 bytes),
 *                 "status":"current"|"retired","created_at","retired_at"|null}]}
 *   DATA/keys/.lock       serialises creation and rotation (flock)
 *
 * Every file is written to a temp name with O_EXCL, fsynced and renamed
 * into place (then the directory fsynced), so a crash leaves the old list
 * or the new one, and a key file is complete before the list names it.
 *
 * keyring_open refuses (500 key_permissions) a directory or key file that
 * group or others may read or write, or that another user owns: the message
 * names the file and the chmod that fixes it.
 *
 * A running server picks up `yiye keys rotate` (another process) without a
 * restart: keyring_sign, keyring_current and keyring_public_* stat keys.json
 * (one stat(2), no read) and reload when its inode, size or mtime changed —
 * rotation replaces it by rename, so the inode always changes. A reload that
 * fails keeps the keys in memory (they still verify) and says so on stderr.
 *
 * All functions on a struct keyring are thread-safe.
 */
#include <jansson.h>
#include <stddef.h>

#include "core/error.h"
#include "core/payload.h"

struct keyring;

/* Opens (creating DATA/keys and its first key when there is none) the
 * keyring of data_dir. 0 or -1 with err. */
int keyring_open(const char *data_dir, struct keyring **out, struct yerr *err);
void keyring_close(struct keyring *k);

/* Signs len bytes with the current key: kid (<= 32 characters) and the
 * base64url signature (86 characters) out. 0 or -1. */
int keyring_sign(struct keyring *k, const void *msg, size_t len, char kid[33], char sig[100]);
/* The current key's id. 0 or -1. */
int keyring_current(struct keyring *k, char kid[33]);
/* Signs with key kid, which must have been current for this keyring at some
 * point (keyring_current or keyring_sign named it): a rotation between
 * naming the key and signing cannot fail the signature — it is then by the
 * key just retired, which still verifies. -1 for any other kid. */
int keyring_sign_as(struct keyring *k, const char *kid, const void *msg, size_t len, char sig[100]);
/* keyring_sign_as as a payload_sign_fn (ctx is the struct keyring *). */
int keyring_sign_cb(void *ctx, const char *kid, const void *msg, size_t len, char sig[100]);

/* Signs a document: sets doc["kid"] to the current key, then signs
 * canon_json(doc) (core/canon.h) — kid and signature from one key even
 * across a rotation. 0 or -1 with err (400 not_canonical for a document
 * holding a real). */
int keyring_sign_doc(struct keyring *k, json_t *doc, char sig[100], struct yerr *err);
/* The YL1 payload of p signed with the current key (p->kid is ignored and
 * set in the text), malloc'd or NULL with err. */
char *keyring_payload_build(struct keyring *k, const struct payload *p, struct yerr *err);
/* The YD1 display token for (number, version) expiring at `expires`
 * (now + DISPLAY_TOKEN_TTL), malloc'd or NULL with err. */
char *keyring_display_token(struct keyring *k, const char *number, int version, long long expires,
			    struct yerr *err);

/* The public list (a new reference the caller json_decref's). */
json_t *keyring_public_json(struct keyring *k);
/* The public list as served: malloc'd compact text and a strong ETag
 * (quoted, from its SHA-256). */
char *keyring_public_text(struct keyring *k, size_t *len, char etag[72]);

/* Adds a key and retires the current one; new_kid receives its id
 * (k<YYYYMMDD><letters>, the date in Asia/Shanghai, unique). Safe while a
 * server runs on the same data directory. 0 or -1 with err. */
int keyring_rotate(const char *data_dir, char new_kid[33], struct yerr *err);

#endif
