/*
 * password.h — the password policy, argon2id hashing (libsodium
 * crypto_pwhash_str) and generation of one-time passwords.
 *
 * Policy: at least PASSWORD_MIN_LEN characters (UTF-8 code points), at most
 * PASSWORD_MAX_BYTES bytes, at least 3 of the 4 character classes (lower-case
 * letters, upper-case letters, digits, other characters), and it must not
 * contain the username (compared case-insensitively). The message names what
 * is missing, in Chinese.
 *
 * Hashing is slow on purpose: argon2id with PASSWORD_MEMLIMIT and
 * PASSWORD_OPSLIMIT (64 MiB, 3 passes, one lane: about 80 ms on one core of
 * the reference machine; the measurement and the OWASP minimums it exceeds
 * are in docs/security.md). Call it off the I/O threads and bound how many
 * run at once (the HTTP layer runs hashing routes in a bounded class of the
 * worker pool). `fast` selects the minimum cost, for tests only.
 */
#ifndef YIYE_CORE_PASSWORD_H
#define YIYE_CORE_PASSWORD_H

#include <stddef.h>

#define PASSWORD_MIN_LEN 10
#define PASSWORD_MAX_BYTES 128
#define PASSWORD_HASH_SIZE 128 /* >= crypto_pwhash_STRBYTES */
#define PASSWORD_GEN_LEN 16
/* argon2id cost of new hashes (libsodium always uses one lane, p=1). Stored
 * hashes carry their own parameters, so changing these keeps old hashes
 * verifying; password_needs_rehash tells a login to upgrade them. */
#define PASSWORD_MEMLIMIT ((size_t)64 << 20)
#define PASSWORD_OPSLIMIT 3ULL

/* Checks pw against the policy. Returns 0, or -1 with a Chinese message in
 * msg saying everything that is missing, and a stable code in *code
 * ("too_short", "too_long", "weak", "contains_username", "invalid_utf8"). */
int password_check_policy(const char *pw, const char *username, const char **code, char *msg,
			  size_t msgsz);

/* Hashes pw into out (NUL-terminated, self-describing $argon2id$… string).
 * Returns 0, or -1 when memory for the hash could not be had. */
int password_hash(const char *pw, int fast, char out[PASSWORD_HASH_SIZE]);
/* 1 when pw matches hash, else 0 (also for a malformed hash). Constant time
 * in the password. */
int password_verify(const char *hash, const char *pw);
/* 1 when hash was made with other parameters than password_hash(…, fast)
 * uses now (so a successful login should store a fresh hash), else 0. */
int password_needs_rehash(const char *hash, int fast);
/* A random password of PASSWORD_GEN_LEN characters (all four classes, no
 * ambiguous characters like 0/O, 1/l) that passes the policy for username. */
void password_generate(const char *username, char out[PASSWORD_GEN_LEN + 1]);

#endif
