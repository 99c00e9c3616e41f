/*
 * verify_cache.h — answers of the public verify route kept in memory
 * (issue 12, lic-public; docs/api-licenses.md "Verify cache").
 *
 * Every phone that scans a license asks GET /api/v1/licenses/{number}/
 * verify, anonymously and often for the same few licenses (a QR on a shop
 * door). Reading the row, parsing the signed document and building the
 * answer cost several times what serving it does (docs/benchmarks.md), so
 * an answer is kept, per key (number, version asked, day), for at most
 * VERIFY_CACHE_TTL_MS, and dropped at once when this process changes any
 * license (verify_cache_bump, after the change commits). A change made by
 * another node of the same database reaches this node's answers within the
 * TTL: that is the whole staleness a verifier can see.
 *
 * Thread-safe: the I/O threads answer from it concurrently.
 */
#ifndef YIYE_HTTP_VERIFY_CACHE_H
#define YIYE_HTTP_VERIFY_CACHE_H

#include <stddef.h>
#include <stdint.h>

#define VERIFY_CACHE_TTL_MS 1000
#define VERIFY_CACHE_SLOTS 512

struct verify_cache;

/* NULL only when out of memory. */
struct verify_cache *verify_cache_new(void);
void verify_cache_free(struct verify_cache *vc);

/* The generation to pass to verify_cache_put: read it BEFORE reading the
 * database, so an answer built from data a concurrent change replaced is
 * stored under the old generation and never served. */
uint64_t verify_cache_gen(struct verify_cache *vc);
/* Forgets every answer (a license of this process changed). */
void verify_cache_bump(struct verify_cache *vc);

/* A fresh answer for key: 1 and a malloc'd copy in *body (len bytes), else 0. */
int verify_cache_get(struct verify_cache *vc, const char *key, char **body, size_t *len);
/* Keeps body (copied) for key, built from data read after gen was taken. */
void verify_cache_put(struct verify_cache *vc, const char *key, uint64_t gen, const char *body,
		      size_t len);

#endif
