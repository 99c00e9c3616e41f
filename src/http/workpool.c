/*
 * workpool.c — threads for slow work. libmicrohttpd's I/O threads must never
 * block on password hashing, fsync or (with the modules to come) document
 * rendering and uploads: such requests are suspended, queued here, run by a
 * worker, and resumed when answered.
 *
 * Nothing waits without bound. Each job belongs to a class (WORK_GENERAL,
 * WORK_HASH, …) with two limits: how many of its jobs run at once, and how
 * many may wait. A job that finds its class's waiting room full is not
 * queued: workpool_submit refuses it with the seconds after which a retry
 * is likely to be served (503 busy + Retry-After, answered by server.c).
 * Admission (workpool_reserve) comes before the connection is suspended,
 * and the job is queued (workpool_submit) after, so a worker can never
 * resume a connection that is not suspended yet.
 * Workers take the oldest job whose class has a free running slot, so a
 * burst of one heavy class never occupies every worker.
 */
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "http/internal.h"

struct job {
	struct req *r;
	int cls;
	struct job *next;
};

struct work_class {
	int run_limit, wait_limit; /* running at once; waiting (0: none may wait) */
	int running, waiting;
	double avg_ms; /* moving average of run time, for Retry-After */
};

struct workpool {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct job *head, *tail;
	struct work_class cls[WORK_CLASSES];
	int stopping;
	int nthreads;
	pthread_t *threads;
};

static double mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* The oldest queued job whose class may start one more; unlinked. Called
 * with mu held. The scan is bounded by the sum of the waiting limits. */
static struct job *take_runnable(struct workpool *p)
{
	struct job *prev = NULL;

	for (struct job *j = p->head; j; prev = j, j = j->next) {
		struct work_class *c = &p->cls[j->cls];

		if (c->running >= c->run_limit)
			continue;
		if (prev)
			prev->next = j->next;
		else
			p->head = j->next;
		if (p->tail == j)
			p->tail = prev;
		c->waiting--;
		c->running++;
		return j;
	}
	return NULL;
}

static void *worker_main(void *arg)
{
	struct workpool *p = arg;

	for (;;) {
		struct job *j;
		double t0, ms;

		pthread_mutex_lock(&p->mu);
		while ((j = take_runnable(p)) == NULL && !(p->stopping && p->head == NULL))
			pthread_cond_wait(&p->cv, &p->mu);
		pthread_mutex_unlock(&p->mu);
		if (j == NULL) /* stopping and drained */
			return NULL;

		t0 = mono_ms();
		http_run_handler(j->r);
		ms = mono_ms() - t0;
		pthread_mutex_lock(&p->mu);
		p->cls[j->cls].running--;
		p->cls[j->cls].avg_ms = p->cls[j->cls].avg_ms * 0.8 + ms * 0.2;
		/* a running slot of this class is free: a waiting job may start */
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
		http_resume(j->r);
		free(j);
	}
}

struct workpool *workpool_start(struct app *app, int threads,
				const struct workpool_limits limits[WORK_CLASSES])
{
	struct workpool *p = calloc(1, sizeof(*p));

	(void)app;
	if (p == NULL)
		abort();
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	p->nthreads = threads < 1 ? 1 : threads;
	for (int i = 0; i < WORK_CLASSES; i++) {
		p->cls[i].run_limit = limits[i].run < 1 ? 1 : limits[i].run;
		if (p->cls[i].run_limit > p->nthreads)
			p->cls[i].run_limit = p->nthreads;
		p->cls[i].wait_limit = limits[i].wait < 0 ? 0 : limits[i].wait;
		p->cls[i].avg_ms = limits[i].expect_ms;
	}
	p->threads = calloc((size_t)p->nthreads, sizeof(pthread_t));
	if (p->threads == NULL)
		abort();
	for (int i = 0; i < p->nthreads; i++)
		if (pthread_create(&p->threads[i], NULL, worker_main, p) != 0)
			abort();
	return p;
}

int workpool_reserve(struct workpool *p, int cls, int *retry_after)
{
	struct work_class *c = &p->cls[cls];

	pthread_mutex_lock(&p->mu);
	if (c->running + c->waiting >= c->run_limit + c->wait_limit) {
		/* Full: a retry is served after roughly the time the jobs ahead
		 * take, spread over the class's running slots. */
		double s = (double)(c->running + c->waiting) * c->avg_ms / c->run_limit / 1e3;

		pthread_mutex_unlock(&p->mu);
		*retry_after = s < 1 ? 1 : s > 120 ? 120 : (int)s + 1;
		return -1;
	}
	c->waiting++; /* the place is held from now until the job runs */
	pthread_mutex_unlock(&p->mu);
	return 0;
}

void workpool_submit(struct workpool *p, struct req *r, int cls)
{
	struct job *j = malloc(sizeof(*j));

	if (j == NULL)
		abort();
	j->r = r;
	j->cls = cls;
	j->next = NULL;
	pthread_mutex_lock(&p->mu);
	if (p->tail)
		p->tail->next = j;
	else
		p->head = j;
	p->tail = j;
	pthread_cond_broadcast(&p->cv);
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
