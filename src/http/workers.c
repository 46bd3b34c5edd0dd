/* workers.c - a fixed pool of threads draining a bounded job queue
 * (see workers.h). */
#include "http/workers.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "util/log.h"
#include "util/xalloc.h"

struct workers {
	void (*run)(void *job, void *cls);
	void *cls;
	pthread_mutex_t lock;   /* guards the queue and the counts */
	pthread_cond_t more;    /* a job queued, or stopping */
	void **queue;           /* a ring of cap jobs */
	unsigned cap, head, queued, reserved;
	bool stopping;
	pthread_t *threads;
	unsigned nthreads;
};

/* The next job, waiting for one; NULL once stopping and nothing is left
 * (nor promised by a reservation). Under the lock. */
static void *next_job(struct workers *w)
{
	void *job;

	while (!w->queued && !(w->stopping && !w->reserved))
		pthread_cond_wait(&w->more, &w->lock);
	if (!w->queued)
		return NULL;
	job = w->queue[w->head];
	w->head = (w->head + 1) % w->cap;
	w->queued--;
	return job;
}

static void *worker_main(void *arg)
{
	struct workers *w = arg;
	void *job;

	pthread_mutex_lock(&w->lock);
	while ((job = next_job(w))) {
		pthread_mutex_unlock(&w->lock);
		w->run(job, w->cls);
		pthread_mutex_lock(&w->lock);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

int workers_reserve(struct workers *w)
{
	int rc = -1;

	pthread_mutex_lock(&w->lock);
	if (!w->stopping && w->queued + w->reserved < w->cap) {
		w->reserved++;
		rc = 0;
	}
	pthread_mutex_unlock(&w->lock);
	return rc;
}

void workers_submit(struct workers *w, void *job)
{
	pthread_mutex_lock(&w->lock);
	w->reserved--;
	w->queue[(w->head + w->queued) % w->cap] = job;
	w->queued++;
	pthread_cond_signal(&w->more);
	pthread_mutex_unlock(&w->lock);
}

/* Join the first n threads and free w. */
static void join_and_free(struct workers *w, unsigned n)
{
	pthread_mutex_lock(&w->lock);
	w->stopping = true;
	pthread_cond_broadcast(&w->more);
	pthread_mutex_unlock(&w->lock);
	for (unsigned i = 0; i < n; i++)
		pthread_join(w->threads[i], NULL);
	pthread_cond_destroy(&w->more);
	pthread_mutex_destroy(&w->lock);
	free(w->threads);
	free(w->queue);
	free(w);
}

struct workers *workers_start(unsigned threads, unsigned queue, void (*run)(void *job, void *cls), void *cls)
{
	struct workers *w = xcalloc(1, sizeof(*w));

	w->run = run;
	w->cls = cls;
	w->cap = queue ? queue : 1;
	w->queue = xcalloc(w->cap, sizeof(*w->queue));
	w->threads = xcalloc(threads, sizeof(*w->threads));
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->more, NULL);
	for (w->nthreads = 0; w->nthreads < threads; w->nthreads++) {
		if (pthread_create(&w->threads[w->nthreads], NULL, worker_main, w) != 0) {
			log_error("cannot start worker thread %u of %u", w->nthreads + 1, threads);
			join_and_free(w, w->nthreads);
			return NULL;
		}
	}
	return w;
}

void workers_stop(struct workers *w)
{
	if (w)
		join_and_free(w, w->nthreads);
}
