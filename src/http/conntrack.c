/*
 * conntrack.c — the header deadline (see internal.h).
 *
 * libmicrohttpd's MHD_OPTION_CONNECTION_TIMEOUT is an idle timeout: every
 * byte received restarts it, so a client sending one header line every few
 * seconds keeps a connection (and a slot of the connection table) forever.
 * Here every connection is recorded when accepted; on_request marks when a
 * request's headers are complete, on_completed restarts the clock for the
 * next request of a kept-alive connection. A sweeper thread shuts down the
 * socket of every connection whose headers are overdue; libmicrohttpd then
 * reads end-of-stream and closes the connection on its own thread.
 *
 * A body is held to the same rule in the form of a minimum average rate:
 * after a grace of header_timeout it must arrive at CONNTRACK_BODY_RATE
 * bytes a second on average, so an upload trickled a byte at a time cannot
 * hold a connection for hours either. While a request is being handled (on
 * a worker) or answered, nothing is timed here.
 *
 * The socket is shut down under the list's mutex, and libmicrohttpd removes
 * a connection from the list (NOTIFY_CLOSED) before it closes the
 * descriptor, so the sweeper never touches a descriptor that was reused.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#include "http/internal.h"

/* Minimum average rate of a request body, bytes a second (after the
 * grace): a 10 MiB upload may take up to about three hours at it, so only
 * deliberate trickling is cut. */
#define CONNTRACK_BODY_RATE 1024.0

enum { PHASE_IDLE, PHASE_HEADERS, PHASE_BODY };

struct tracked {
	int fd;
	int phase;         /* what is awaited from the client, if anything */
	int shut;          /* 1 once the sweeper shut it down */
	double deadline;   /* monotonic ms by which it is due */
	double body_start; /* PHASE_BODY: when the body began to be awaited */
	double received;   /* PHASE_BODY: bytes of it so far */
	struct tracked *prev, *next;
};

struct conntrack {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct tracked *head;
	double timeout_ms;
	int stopping;
	pthread_t sweeper;
};

static double mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Every quarter of the deadline (at most every second, at least every
 * 100 ms), closes the connections whose headers are overdue. A sweep is
 * one pass over at most max_connections entries. */
static void *sweeper_main(void *arg)
{
	struct conntrack *t = arg;
	double period = t->timeout_ms / 4 > 1000  ? 1000
			: t->timeout_ms / 4 < 100 ? 100
						  : t->timeout_ms / 4;

	pthread_mutex_lock(&t->mu);
	while (!t->stopping) {
		struct timespec until;
		double now = mono_ms();
		int closed = 0;

		for (struct tracked *c = t->head; c; c = c->next)
			if (c->phase != PHASE_IDLE && !c->shut && now >= c->deadline) {
				shutdown(c->fd, SHUT_RDWR);
				c->shut = 1;
				closed++;
			}
		if (closed)
			fprintf(stderr, "{\"ts\":%ld,\"deadline_closed\":%d}\n", (long)time(NULL),
				closed);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += (long)(period * 1e6);
		until.tv_sec += until.tv_nsec / 1000000000L;
		until.tv_nsec %= 1000000000L;
		pthread_cond_timedwait(&t->cv, &t->mu, &until);
	}
	pthread_mutex_unlock(&t->mu);
	return NULL;
}

struct conntrack *conntrack_start(int header_timeout_sec)
{
	struct conntrack *t = calloc(1, sizeof(*t));

	if (t == NULL)
		abort();
	pthread_mutex_init(&t->mu, NULL);
	pthread_cond_init(&t->cv, NULL);
	t->timeout_ms = (header_timeout_sec > 0 ? header_timeout_sec : 20) * 1e3;
	if (pthread_create(&t->sweeper, NULL, sweeper_main, t) != 0)
		abort();
	return t;
}

/* After MHD_stop_daemon: every connection is gone. */
void conntrack_stop(struct conntrack *t)
{
	if (t == NULL)
		return;
	pthread_mutex_lock(&t->mu);
	t->stopping = 1;
	pthread_cond_signal(&t->cv);
	pthread_mutex_unlock(&t->mu);
	pthread_join(t->sweeper, NULL);
	while (t->head) {
		struct tracked *c = t->head;

		t->head = c->next;
		free(c);
	}
	pthread_mutex_destroy(&t->mu);
	pthread_cond_destroy(&t->cv);
	free(t);
}

void conntrack_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
		      enum MHD_ConnectionNotificationCode toe)
{
	struct conntrack *t = cls;
	struct tracked *c;

	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci =
		    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);

		c = calloc(1, sizeof(*c));
		if (c == NULL || ci == NULL) {
			free(c); /* untracked: only the idle timeout applies */
			return;
		}
		c->fd = ci->connect_fd;
		c->phase = PHASE_HEADERS;
		c->deadline = mono_ms() + t->timeout_ms;
		pthread_mutex_lock(&t->mu);
		c->next = t->head;
		if (t->head)
			t->head->prev = c;
		t->head = c;
		pthread_mutex_unlock(&t->mu);
		*socket_context = c;
		return;
	}
	c = *socket_context;
	if (c == NULL)
		return;
	pthread_mutex_lock(&t->mu);
	if (c->prev)
		c->prev->next = c->next;
	else
		t->head = c->next;
	if (c->next)
		c->next->prev = c->prev;
	pthread_mutex_unlock(&t->mu);
	free(c);
	*socket_context = NULL;
}

static struct tracked *tracked_of(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	return ci ? ci->socket_context : NULL;
}

/* Sets c's phase under the lock; for PHASE_BODY starts the body clock. */
static void set_phase(struct conntrack *t, struct MHD_Connection *conn, int phase)
{
	struct tracked *c = tracked_of(conn);

	if (c == NULL)
		return;
	pthread_mutex_lock(&t->mu);
	c->phase = phase;
	c->deadline = mono_ms() + t->timeout_ms;
	c->body_start = mono_ms();
	c->received = 0;
	pthread_mutex_unlock(&t->mu);
}

void conntrack_headers_done(struct conntrack *t, struct MHD_Connection *conn)
{
	set_phase(t, conn, PHASE_IDLE);
}

void conntrack_body_expect(struct conntrack *t, struct MHD_Connection *conn)
{
	set_phase(t, conn, PHASE_BODY);
}

void conntrack_body_progress(struct conntrack *t, struct MHD_Connection *conn, size_t n)
{
	struct tracked *c = tracked_of(conn);

	if (c == NULL)
		return;
	pthread_mutex_lock(&t->mu);
	c->received += (double)n;
	c->deadline = c->body_start + t->timeout_ms + c->received * 1e3 / CONNTRACK_BODY_RATE;
	pthread_mutex_unlock(&t->mu);
}

void conntrack_body_done(struct conntrack *t, struct MHD_Connection *conn)
{
	set_phase(t, conn, PHASE_IDLE);
}

void conntrack_request_done(struct conntrack *t, struct MHD_Connection *conn)
{
	set_phase(t, conn, PHASE_HEADERS);
}
