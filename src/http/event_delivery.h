/*
 * event_delivery.h — the thread that POSTs the event outbox to subscribers
 * (see event_delivery.c).
 */
#ifndef YIYE_HTTP_EVENT_DELIVERY_H
#define YIYE_HTTP_EVENT_DELIVERY_H

#include <stddef.h>

struct app;
struct event_delivery;

/* At most this many bytes of a receiver's answer are read into memory (the
 * rest is discarded as it arrives); the start of it is kept as the error of
 * a failed attempt. */
#define EVENT_ANSWER_KEEP 200
/* Deliveries read per round. */
#define EVENT_BATCH 16

/* Starts the delivery thread of the node's district (app->cfg.events sets
 * its pace). NULL when it cannot start: events then wait in the outbox for
 * the next start, or for another node. */
struct event_delivery *event_delivery_start(struct app *app);
/* Stops and joins the thread (NULL is fine); an attempt in flight ends
 * within its timeout. */
void event_delivery_stop(struct event_delivery *d);

/* "sha256=<hex HMAC-SHA-256(secret, body)>" into out (at least 72 bytes). */
void event_signature(const char *secret, const char *body, size_t len, char *out, size_t outsz);

#endif
