/* workers.h - a small pool of threads for slow request handlers.
 *
 * argon2id costs ~100 ms of CPU and 64 MiB per hash; run on libmicrohttpd's
 * request threads (one per core) a burst of log-ins would occupy them all
 * and stall every page. Handlers of ROUTE_SLOW routes run here instead: the
 * request thread suspends the connection and queues the request, a worker
 * runs the handler and resumes the connection (server.c).
 *
 * The queue is bounded. A place is reserved first, so that the request
 * thread can suspend its connection before any worker can see the job:
 * workers_reserve() fails when the queue is full (the caller answers 503),
 * and a reservation must be followed by exactly one workers_submit().
 * workers_stop() refuses new reservations, lets every reserved, queued and
 * running job finish, then joins the threads. */
#ifndef JB_WORKERS_H
#define JB_WORKERS_H

struct workers;

/* threads workers calling run(job, cls) for each job; at most queue jobs
 * wait. NULL (the reason logged) when a thread cannot be started. */
struct workers *workers_start(unsigned threads, unsigned queue, void (*run)(void *job, void *cls), void *cls);
/* Reserve a place in the queue: 0, or -1 when it is full or stopping. */
int workers_reserve(struct workers *w) __attribute__((warn_unused_result));
/* Queue job into the place reserved before. */
void workers_submit(struct workers *w, void *job);
/* Finish all jobs, join the threads, free w. */
void workers_stop(struct workers *w);

#endif
