/*
 * reqlog.c — the access log: one JSON line per request, written in blocks.
 *
 * Written line by line to an unbuffered stderr, the log cost every request
 * a write(2) and serialised the I/O threads on stdio's lock around it (the
 * public verify profile: a tenth of the server's time, and most of its
 * futex wake-ups). Here each thread that completes requests appends to a
 * buffer of its own, under a mutex only the flusher ever contends for, and
 * the buffer goes out in one write when it fills or when its oldest line is
 * REQLOG_MAX_AGE_MS old; a flusher thread writes buffers that went quiet, so
 * a line reaches the file within about that delay even when traffic stops.
 *
 * Whole lines only: a buffer is written before a line that would not fit,
 * in one write(2), so lines of different threads never interleave. Lines
 * of different threads may reach the file out of time order by up to
 * REQLOG_MAX_AGE_MS (each carries its "ts"). Cost of the design: a crash
 * (kill -9) loses at most the last REQLOG_MAX_AGE_MS of access-log lines;
 * the audit trail, which is what must survive, lives in the database.
 *
 * Buffers live until reqlog_stop, which flushes them: threads come and go
 * only with the server (I/O threads, workers), so there are few.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "http/internal.h"

#define REQLOG_BUF (16 * 1024)
#define REQLOG_MAX_AGE_MS 1000.0

struct reqlog_buf {
	pthread_mutex_t mu;
	size_t len;
	double first_ms; /* monotonic time of the oldest line in data */
	struct reqlog_buf *next;
	char data[REQLOG_BUF];
};

struct reqlog {
	int fd;
	pthread_key_t key;
	pthread_mutex_t mu; /* the list of buffers, stopping */
	pthread_cond_t cv;
	struct reqlog_buf *bufs;
	int stopping;
	pthread_t flusher;
};

static double mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return; /* a log that cannot be written is not worth a request */
		p += w;
		n -= (size_t)w;
	}
}

/* Writes b out; the caller holds b->mu. */
static void buf_flush_locked(struct reqlog *l, struct reqlog_buf *b)
{
	if (b->len > 0)
		write_all(l->fd, b->data, b->len);
	b->len = 0;
}

static void *flusher_main(void *arg)
{
	struct reqlog *l = arg;

	pthread_mutex_lock(&l->mu);
	while (!l->stopping) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 250 * 1000 * 1000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&l->cv, &l->mu, &ts);
		for (struct reqlog_buf *b = l->bufs; b; b = b->next) {
			pthread_mutex_lock(&b->mu);
			if (b->len > 0 && mono_ms() - b->first_ms >= REQLOG_MAX_AGE_MS)
				buf_flush_locked(l, b);
			pthread_mutex_unlock(&b->mu);
		}
	}
	pthread_mutex_unlock(&l->mu);
	return NULL;
}

struct reqlog *reqlog_start(int fd)
{
	struct reqlog *l = calloc(1, sizeof(*l));

	if (l == NULL)
		return NULL;
	l->fd = fd;
	if (pthread_key_create(&l->key, NULL) != 0) {
		free(l);
		return NULL;
	}
	pthread_mutex_init(&l->mu, NULL);
	pthread_cond_init(&l->cv, NULL);
	if (pthread_create(&l->flusher, NULL, flusher_main, l) != 0) {
		pthread_key_delete(l->key);
		pthread_mutex_destroy(&l->mu);
		pthread_cond_destroy(&l->cv);
		free(l);
		return NULL;
	}
	return l;
}

/* The calling thread's buffer, made on its first line. */
static struct reqlog_buf *buf_of_thread(struct reqlog *l)
{
	struct reqlog_buf *b = pthread_getspecific(l->key);

	if (b)
		return b;
	b = malloc(sizeof(*b));
	if (b == NULL)
		return NULL;
	pthread_mutex_init(&b->mu, NULL);
	b->len = 0;
	b->first_ms = 0;
	pthread_mutex_lock(&l->mu);
	b->next = l->bufs;
	l->bufs = b;
	pthread_mutex_unlock(&l->mu);
	pthread_setspecific(l->key, b);
	return b;
}

void reqlog_line(struct reqlog *l, const char *line, size_t len)
{
	struct reqlog_buf *b = l ? buf_of_thread(l) : NULL;
	double now;

	if (b == NULL || len > REQLOG_BUF) {
		/* no buffer (out of memory, or no log): straight out */
		write_all(l ? l->fd : 2, line, len);
		return;
	}
	now = mono_ms();
	pthread_mutex_lock(&b->mu);
	if (b->len + len > REQLOG_BUF)
		buf_flush_locked(l, b);
	if (b->len == 0)
		b->first_ms = now;
	memcpy(b->data + b->len, line, len);
	b->len += len;
	if (now - b->first_ms >= REQLOG_MAX_AGE_MS)
		buf_flush_locked(l, b);
	pthread_mutex_unlock(&b->mu);
}

/* Appends s to the line at *at if it fits (the line is cut short and
 * dropped otherwise: see reqlog_request). */
static void put(char *line, size_t cap, size_t *at, const char *s)
{
	size_t n = strlen(s);

	if (*at + n < cap)
		memcpy(line + *at, s, n);
	*at += n;
}

/* Appends the decimal digits of v (v ≥ 0). */
static void put_uint(char *line, size_t cap, size_t *at, unsigned long long v, int min_digits)
{
	char d[24];
	int n = 0;

	do {
		d[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0 || n < min_digits);
	while (n > 0) {
		if (*at < cap)
			line[*at] = d[n - 1];
		(*at)++;
		n--;
	}
}

/* The line by hand rather than with snprintf: formatting a double and
 * scanning the format cost more than the rest of the line's way out. */
void reqlog_request(struct reqlog *l, const char *rid, const char *method, const char *route,
		    int status, double ms, int aborted)
{
	char line[512];
	size_t at = 0;
	unsigned long long us = ms > 0 ? (unsigned long long)(ms * 1000.0 + 0.5) : 0;

	put(line, sizeof(line), &at, "{\"ts\":");
	put_uint(line, sizeof(line), &at, (unsigned long long)time(NULL), 1);
	put(line, sizeof(line), &at, ",\"rid\":\"");
	put(line, sizeof(line), &at, rid);
	put(line, sizeof(line), &at, "\",\"method\":\"");
	put(line, sizeof(line), &at, method);
	put(line, sizeof(line), &at, "\",\"route\":\"");
	put(line, sizeof(line), &at, route);
	put(line, sizeof(line), &at, "\",\"status\":");
	put_uint(line, sizeof(line), &at, status > 0 ? (unsigned)status : 0, 1);
	put(line, sizeof(line), &at, ",\"ms\":");
	put_uint(line, sizeof(line), &at, us / 1000, 1);
	put(line, sizeof(line), &at, ".");
	put_uint(line, sizeof(line), &at, us % 1000, 3);
	put(line, sizeof(line), &at, aborted ? ",\"aborted\":true}\n" : "}\n");
	/* Method and route are the table's or a short label, the rid 16 hex
	 * digits: a line never comes near the buffer; were it ever cut, it is
	 * dropped rather than written as broken JSON. */
	if (at < sizeof(line))
		reqlog_line(l, line, at);
}

void reqlog_stop(struct reqlog *l)
{
	struct reqlog_buf *b, *next;

	if (l == NULL)
		return;
	pthread_mutex_lock(&l->mu);
	l->stopping = 1;
	pthread_cond_signal(&l->cv);
	pthread_mutex_unlock(&l->mu);
	pthread_join(l->flusher, NULL);
	for (b = l->bufs; b; b = next) {
		next = b->next;
		buf_flush_locked(l, b); /* every thread that logged has ended */
		pthread_mutex_destroy(&b->mu);
		free(b);
	}
	pthread_key_delete(l->key);
	pthread_cond_destroy(&l->cv);
	pthread_mutex_destroy(&l->mu);
	free(l);
}
