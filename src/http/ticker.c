/* ticker.c - the background task's thread (ticker.h). */
#include "http/ticker.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "store/db.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/xalloc.h"

struct ticker {
	const char *db_url;
	unsigned period;
	int (*task)(db *d, int64_t now);
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stopping;          /* guarded by lock */
	pthread_t thread;
	db *d;                  /* the thread's own */
};

/* Run the task once; a failed store is closed, to be reopened next time. */
static void tick(struct ticker *t)
{
	char err[256];

	if (!t->d && !(t->d = db_open(t->db_url, err, sizeof(err)))) {
		log_error("background task: %s", err);
		return;
	}
	if (t->task(t->d, clock_now()) < 0 && db_ping(t->d) < 0) {
		db_close(t->d);
		t->d = NULL;
	}
}

static void *ticker_main(void *arg)
{
	struct ticker *t = arg;
	struct timespec until;

	pthread_mutex_lock(&t->lock);
	while (!t->stopping) {
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += t->period;
		while (!t->stopping && pthread_cond_timedwait(&t->wake, &t->lock, &until) == 0)
			;
		if (t->stopping)
			break;
		pthread_mutex_unlock(&t->lock);
		tick(t);
		pthread_mutex_lock(&t->lock);
	}
	pthread_mutex_unlock(&t->lock);
	return NULL;
}

struct ticker *ticker_start(const char *db_url, unsigned period, int (*task)(db *d, int64_t now))
{
	struct ticker *t = xcalloc(1, sizeof(*t));
	pthread_condattr_t ca;

	t->db_url = db_url;
	t->period = period;
	t->task = task;
	pthread_mutex_init(&t->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&t->wake, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&t->thread, NULL, ticker_main, t) != 0) {
		log_error("cannot start the background task thread");
		pthread_cond_destroy(&t->wake);
		pthread_mutex_destroy(&t->lock);
		free(t);
		return NULL;
	}
	return t;
}

void ticker_stop(struct ticker *t)
{
	if (!t)
		return;
	pthread_mutex_lock(&t->lock);
	t->stopping = true;
	pthread_cond_signal(&t->wake);
	pthread_mutex_unlock(&t->lock);
	pthread_join(t->thread, NULL);
	if (t->d)
		db_close(t->d);
	pthread_cond_destroy(&t->wake);
	pthread_mutex_destroy(&t->lock);
	free(t);
}
