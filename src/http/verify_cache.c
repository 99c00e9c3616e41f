/*
 * verify_cache.c — see verify_cache.h. A fixed table of slots (the key's
 * hash picks one; a newer answer overwrites whatever was there), one mutex:
 * a hit is a hash, a lock and a copy of a few hundred bytes.
 */
#include "http/verify_cache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define KEY_MAX 96

struct slot {
	char key[KEY_MAX];
	char *body;
	size_t len;
	uint64_t gen;
	int64_t at_ms;
};

struct verify_cache {
	pthread_mutex_t mu;
	uint64_t gen;
	struct slot slots[VERIFY_CACHE_SLOTS];
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static size_t slot_of(const char *key)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */

	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return (size_t)(h % VERIFY_CACHE_SLOTS);
}

struct verify_cache *verify_cache_new(void)
{
	struct verify_cache *vc = calloc(1, sizeof(*vc));

	if (vc)
		pthread_mutex_init(&vc->mu, NULL);
	return vc;
}

void verify_cache_free(struct verify_cache *vc)
{
	if (vc == NULL)
		return;
	for (size_t i = 0; i < VERIFY_CACHE_SLOTS; i++)
		free(vc->slots[i].body);
	pthread_mutex_destroy(&vc->mu);
	free(vc);
}

uint64_t verify_cache_gen(struct verify_cache *vc)
{
	return vc ? __atomic_load_n(&vc->gen, __ATOMIC_ACQUIRE) : 0;
}

void verify_cache_bump(struct verify_cache *vc)
{
	if (vc)
		__atomic_add_fetch(&vc->gen, 1, __ATOMIC_ACQ_REL);
}

int verify_cache_get(struct verify_cache *vc, const char *key, char **body, size_t *len)
{
	struct slot *s;
	int hit = 0;

	if (vc == NULL || strlen(key) >= KEY_MAX)
		return 0;
	s = &vc->slots[slot_of(key)];
	pthread_mutex_lock(&vc->mu);
	if (s->body && strcmp(s->key, key) == 0 && s->gen == verify_cache_gen(vc) &&
	    now_ms() - s->at_ms < VERIFY_CACHE_TTL_MS) {
		*body = malloc(s->len ? s->len : 1);
		if (*body) {
			memcpy(*body, s->body, s->len);
			*len = s->len;
			hit = 1;
		}
	}
	pthread_mutex_unlock(&vc->mu);
	return hit;
}

void verify_cache_put(struct verify_cache *vc, const char *key, uint64_t gen, const char *body,
		      size_t len)
{
	struct slot *s;
	char *copy;

	if (vc == NULL || strlen(key) >= KEY_MAX || gen != verify_cache_gen(vc))
		return;
	copy = malloc(len ? len : 1);
	if (copy == NULL)
		return;
	memcpy(copy, body, len);
	s = &vc->slots[slot_of(key)];
	pthread_mutex_lock(&vc->mu);
	free(s->body);
	strcpy(s->key, key);
	s->body = copy;
	s->len = len;
	s->gen = gen;
	s->at_ms = now_ms();
	pthread_mutex_unlock(&vc->mu);
}
