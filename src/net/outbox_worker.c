/* outbox_worker.c - the outbox's delivery thread (outbox_worker.h). */
#include "net/outbox_worker.h"

#include <curl/curl.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "net/deliver.h"
#include "store/db.h"
#include "util/arena.h"
#include "util/log.h"
#include "util/xalloc.h"

#define BATCH 16                    /* rows taken per poll */
#define BACKOFF_CAP_MS (6LL * 3600 * 1000)
#define LEASE_SLACK_MS 2000         /* the lease outlives the timeout by this */

struct outbox_worker {
	const char *db_url;
	long poll_ms, timeout_ms, backoff_ms;
	int max_attempts;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stopping;                  /* guarded by lock */
	pthread_t thread;
	db *d;
};

struct job {
	int64_t tenant_id, id, attempts;
	const char *kind, *url, *secret, *event, *delivery_id, *body;
	bool enabled;
};

static long long now_ms(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

long long outbox_backoff_ms(long long base, int n)
{
	long long d = base;

	for (int i = 1; i < n && d < BACKOFF_CAP_MS; i++)
		d *= 2;
	if (d > BACKOFF_CAP_MS)
		d = BACKOFF_CAP_MS;
	if (d < 2)
		return d;
	return d / 2 + (long long)randombytes_uniform((uint32_t)(d / 2 > UINT32_MAX - 1 ? UINT32_MAX - 1 : d / 2) + 1);
}

static bool stopping(struct outbox_worker *w)
{
	bool s;

	pthread_mutex_lock(&w->lock);
	s = w->stopping;
	pthread_mutex_unlock(&w->lock);
	return s;
}

/* The due rows, oldest first. How many, or -1. */
static int due(struct outbox_worker *w, arena *a, struct job **out)
{
	db_stmt *st = db_query(w->d, "SELECT o.tenant_id, o.id, o.attempts, r.kind, r.url, r.secret, o.event,"
				     " o.delivery_id, o.body, r.enabled FROM outbox o JOIN robot r ON r.tenant_id = o.tenant_id"
				     " AND r.id = o.robot_id WHERE o.state = 'pending' AND o.next_at <= $1"
				     " ORDER BY o.next_at, o.tenant_id, o.id LIMIT $2", "ii", (int64_t)now_ms(), (int64_t)BATCH);
	int rc, n = 0, cap = 0;

	*out = NULL;
	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct job *j = ARENA_PUSH(a, *out, n, cap);
		j->tenant_id = db_col_int(st, 0);
		j->id = db_col_int(st, 1);
		j->attempts = db_col_int(st, 2);
		j->kind = arena_strdup(a, db_col_text(st, 3));
		j->url = arena_strdup(a, db_col_text(st, 4));
		j->secret = arena_strdup(a, db_col_text(st, 5));
		j->event = arena_strdup(a, db_col_text(st, 6));
		j->delivery_id = arena_strdup(a, db_col_text(st, 7));
		j->body = arena_strdup(a, db_col_text(st, 8));
		j->enabled = db_col_int(st, 9) != 0;
	}
	db_done(st);
	return rc == DB_ERROR ? -1 : n;
}

/* One statement in its own write transaction: DB_ROW, DB_DONE or DB_ERROR. */
#define RUN_TXN(w, rcvar, ...) do { \
	if (db_begin((w)->d, DB_WRITE) < 0) { rcvar = DB_ERROR; break; } \
	rcvar = db_run((w)->d, __VA_ARGS__); \
	if (rcvar == DB_ERROR) db_rollback((w)->d); \
	else if (db_commit((w)->d) < 0) rcvar = DB_ERROR; \
} while (0)

/* Step 1: take the lease. 1 taken, 0 someone else has it, -1. */
static int claim(struct outbox_worker *w, const struct job *j)
{
	int rc;

	RUN_TXN(w, rc, "UPDATE outbox SET attempts = attempts + 1, next_at = $4 WHERE tenant_id = $1 AND id = $2"
		       " AND state = 'pending' AND attempts = $3 RETURNING id", "iiii", j->tenant_id, j->id, j->attempts,
		(int64_t)(now_ms() + w->timeout_ms + LEASE_SLACK_MS));
	return rc == DB_ERROR ? -1 : rc == DB_ROW;
}

/* Step 3: the answer. */
static int record(struct outbox_worker *w, const struct job *j, bool ok, const char *err)
{
	int64_t n = j->attempts + 1;
	int rc;

	if (ok)
		RUN_TXN(w, rc, "UPDATE outbox SET state = 'sent', sent_at = $3, last_error = '' WHERE tenant_id = $1"
			       " AND id = $2", "iii", j->tenant_id, j->id, (int64_t)time(NULL));
	else if (n >= w->max_attempts)
		RUN_TXN(w, rc, "UPDATE outbox SET state = 'dead', last_error = $3 WHERE tenant_id = $1 AND id = $2", "iis",
			j->tenant_id, j->id, err);
	else
		RUN_TXN(w, rc, "UPDATE outbox SET next_at = $3, last_error = $4 WHERE tenant_id = $1 AND id = $2", "iiis",
			j->tenant_id, j->id, (int64_t)(now_ms() + outbox_backoff_ms(w->backoff_ms, (int)n)), err);
	return rc == DB_ERROR ? -1 : 0;
}

static int send_one(struct outbox_worker *w, const struct job *j)
{
	struct delivery x = { j->kind, j->url, j->secret, j->event, j->delivery_id, j->body };
	char err[256] = "";
	bool ok;
	int rc;

	if ((rc = claim(w, j)) <= 0)
		return rc;
	if (!j->enabled) {
		snprintf(err, sizeof(err), "机器人已停用");
		ok = false;
	} else
		ok = deliver(&x, w->timeout_ms, err, sizeof(err));
	if (record(w, j, ok, err) < 0) {
		log_error("outbox: cannot record delivery %s: %s", j->delivery_id, db_errmsg(w->d));
		return -1;
	}
	if (!ok)
		log_info("outbox: delivery %s (attempt %lld) failed: %s", j->delivery_id, (long long)j->attempts + 1, err);
	return 1;
}

/* One poll: the due rows, until stopping. */
static void poll_once(struct outbox_worker *w)
{
	char err[256];
	arena *a;
	struct job *jobs;
	int n;

	if (!w->d && !(w->d = db_open(w->db_url, err, sizeof(err)))) {
		log_error("outbox: %s", err);
		return;
	}
	a = arena_new();
	n = due(w, a, &jobs);
	for (int i = 0; i < n && !stopping(w); i++)
		if (send_one(w, &jobs[i]) < 0)
			break;
	if (n < 0 || (n > 0 && db_ping(w->d) < 0)) {
		if (n < 0)
			log_error("outbox: cannot read the outbox: %s", db_errmsg(w->d));
		if (db_ping(w->d) < 0) {
			db_close(w->d);
			w->d = NULL;
		}
	}
	arena_free(a);
}

static void curl_init_once(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

static void *worker_main(void *arg)
{
	struct outbox_worker *w = arg;
	struct timespec until;

	pthread_mutex_lock(&w->lock);
	while (!w->stopping) {
		pthread_mutex_unlock(&w->lock);
		poll_once(w);
		pthread_mutex_lock(&w->lock);
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += w->poll_ms / 1000;
		until.tv_nsec += (w->poll_ms % 1000) * 1000000L;
		if (until.tv_nsec >= 1000000000L)
			until.tv_sec++, until.tv_nsec -= 1000000000L;
		while (!w->stopping && pthread_cond_timedwait(&w->wake, &w->lock, &until) == 0)
			;
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

struct outbox_worker *outbox_worker_start(const char *db_url, const struct outbox_settings *set)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	struct outbox_worker *w;
	pthread_condattr_t ca;
	sigset_t block, old;
	int rc;

	if (!set->on)
		return NULL;
	pthread_once(&once, curl_init_once);
	w = xcalloc(1, sizeof(*w));
	w->db_url = db_url;
	w->poll_ms = set->poll_ms;
	w->timeout_ms = set->timeout_ms;
	w->backoff_ms = set->backoff_ms;
	w->max_attempts = set->attempts;
	pthread_mutex_init(&w->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&w->wake, &ca);
	pthread_condattr_destroy(&ca);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	rc = pthread_create(&w->thread, NULL, worker_main, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		log_error("cannot start the outbox thread");
		pthread_cond_destroy(&w->wake);
		pthread_mutex_destroy(&w->lock);
		free(w);
		return NULL;
	}
	return w;
}

void outbox_worker_stop(struct outbox_worker *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->stopping = true;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	if (w->d)
		db_close(w->d);
	pthread_cond_destroy(&w->wake);
	pthread_mutex_destroy(&w->lock);
	free(w);
}
