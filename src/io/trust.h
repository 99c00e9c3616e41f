#ifndef YIYE_IO_TRUST_H
#define YIYE_IO_TRUST_H
/*
 * trust.h — other districts' published key sets (跨地区互认, issue 14 point
 * 7; docs/api-sharing.md "Other districts"), in the data directory beside
 * the signing keys, never in the database:
 *
 *   DATA/trust/               mode 0700
 *   DATA/trust/<district>.json  one trusted district:
 *       {"district":"310105","name":"长宁区","origin":"<URL or file added from>",
 *        "added_at":<unix>,"keys":[{"kid","alg":"Ed25519","public_key",
 *        "status",…}]}   — the keys are the district's /.well-known/yiye/keys.json
 *
 * Written like the keyring (temp file, fsync, rename, directory fsync), so
 * a crash leaves the old set or the new one. `yiye trust add` of a district
 * already trusted replaces its set (a district that rotated publishes its
 * new key beside the retired ones). A running server reads the directory
 * when asked (h_trust.c): the files are few and small.
 *
 * Trusting a district means: a license payload its keys sign verifies here,
 * offline, and is reported as issued by that district — never as ours. A
 * set holding one of this deployment's own public keys is refused, so our
 * own licenses are never attributed to another district.
 */
#include <jansson.h>

#include "core/error.h"
#include "core/payload.h"

#define TRUST_SETS_MAX 64
#define TRUST_KEYS_MAX 64
#define TRUST_NAME_MAX 64 /* bytes of a district's name */

/* 1 when code is a district code (6 digits, 行政区划代码). */
int trust_district_valid(const char *code);

/*
 * trust_add checks keyset (a keys.json object: "keys" an array of 1 to
 * TRUST_KEYS_MAX {"kid" (payload_kid_valid), "alg":"Ed25519", "public_key"
 * (base64url of 32 bytes), …}) and stores it as district's, named name, with
 * origin (where it came from). *replaced: the district was trusted before.
 * 0, or -1 with err: 400 trust_invalid_district | trust_invalid_name |
 * trust_invalid_keys (naming the key) | trust_own_keys (a key of this data
 * directory) | trust_too_many, 500 trust_io.
 */
int trust_add(const char *data_dir, const char *district, const char *name, const char *origin,
	      const json_t *keyset, int *replaced, struct yerr *err);
/* Removes district's set: 0, or -1 with err (404 trust_not_found, 500 trust_io). */
int trust_remove(const char *data_dir, const char *district, struct yerr *err);

/*
 * trust_load: every trusted set of data_dir as {"districts":[…]} ordered by
 * district code (a new reference); no directory is an empty list. A file
 * that does not parse or check is left out and named on stderr (a broken
 * set verifies nothing; the others still do). NULL only when out of memory.
 */
json_t *trust_load(const char *data_dir);

/*
 * trust_verify checks a license payload (QR text or bare YL1 payload, as
 * payload_verify) against each set of sets (trust_load's object): 0 with
 * *out and *which (the district's entry, borrowed from sets) for the first
 * set whose key verifies it; -1 with err as payload_verify answered the
 * last set (unknown_key when there is none).
 */
int trust_verify(const json_t *sets, const char *text, struct payload *out, const json_t **which,
		 struct yerr *err);

#endif
