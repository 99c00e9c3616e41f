/*
 * workpool.c — threads for slow work. libmicrohttpd's I/O threads must never
 * block on password hashing, fsync or PDF rendering: such requests are
 * suspended, queued here, run by a worker, and resumed when answered.
 */
#include <pthread.h>
#include <stdlib.h>

#include "http/internal.h"

struct job {
	struct req *r;
	struct job *next;
};

struct workpool {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct job *head, *tail;
	int stopping;
	int nthreads;
	pthread_t *threads;
};

static void *worker_main(void *arg)
{
	struct workpool *p = arg;

	for (;;) {
		struct job *j;

		pthread_mutex_lock(&p->mu);
		while (p->head == NULL && !p->stopping)
			pthread_cond_wait(&p->cv, &p->mu);
		if (p->head == NULL) { /* stopping and drained */
			pthread_mutex_unlock(&p->mu);
			return NULL;
		}
		j = p->head;
		p->head = j->next;
		if (p->head == NULL)
			p->tail = NULL;
		pthread_mutex_unlock(&p->mu);

		http_run_handler(j->r);
		http_resume(j->r);
		free(j);
	}
}

struct workpool *workpool_start(struct app *app, int threads)
{
	struct workpool *p = calloc(1, sizeof(*p));

	(void)app;
	if (p == NULL)
		abort();
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	p->nthreads = threads < 1 ? 1 : threads;
	p->threads = calloc((size_t)p->nthreads, sizeof(pthread_t));
	if (p->threads == NULL)
		abort();
	for (int i = 0; i < p->nthreads; i++)
		if (pthread_create(&p->threads[i], NULL, worker_main, p) != 0)
			abort();
	return p;
}

void workpool_submit(struct workpool *p, struct req *r)
{
	struct job *j = malloc(sizeof(*j));

	if (j == NULL)
		abort();
	j->r = r;
	j->next = NULL;
	pthread_mutex_lock(&p->mu);
	if (p->tail)
		p->tail->next = j;
	else
		p->head = j;
	p->tail = j;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

/* Lets queued jobs finish, then joins the workers. */
void workpool_stop(struct workpool *p)
{
	if (p == NULL)
		return;
	pthread_mutex_lock(&p->mu);
	p->stopping = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	for (int i = 0; i < p->nthreads; i++)
		pthread_join(p->threads[i], NULL);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	free(p->threads);
	free(p);
}
