/* outbox_worker.h - the thread that delivers the outbox (domain/robot.h)
 * while `serve` runs, on a store connection of its own; request threads
 * never send anything.
 *
 * Every poll (outbox_poll_ms, default 1000) it takes the pending
 * rows that are due, oldest first, and for each:
 *   1. claims it: attempts + 1 and next_at pushed past the send's timeout
 *      (a lease), committed BEFORE the POST — a compare-and-set on
 *      attempts, so two servers on one store never send it together;
 *   2. POSTs it (net/deliver.h), at most outbox_timeout_ms
 *      (default 10000);
 *   3. records the answer in one transaction: sent (sent_at), or pending
 *      again at now + backoff, or dead after outbox_attempts
 *      (default 8) attempts. Backoff: outbox_backoff_ms (default
 *      30000) doubled per attempt, capped at 6 h, with "equal jitter"
 *      (a random half to all of it).
 * Stopping lets the POST in flight finish and be recorded, and takes no
 * new one. A process killed between 1 and 3 leaves the row pending: it is
 * sent again once its lease expires, with the same delivery id and body. */
#ifndef JB_OUTBOX_WORKER_H
#define JB_OUTBOX_WORKER_H

#include <stdbool.h>

struct outbox_worker;

/* The settings outbox, outbox_poll_ms, outbox_timeout_ms,
 * outbox_backoff_ms and outbox_attempts (domain/config.h). */
struct outbox_settings {
	bool on;
	long poll_ms, timeout_ms, backoff_ms;
	int attempts;
};

/* Start the thread on the store at db_url (kept, not copied). SIGINT,
 * SIGTERM and SIGHUP are blocked in it (they go to the server's main
 * thread). NULL when it cannot start (logged) or set->on is false. */
struct outbox_worker *outbox_worker_start(const char *db_url, const struct outbox_settings *set);
/* Let a delivery in flight finish and be recorded, join, close. NULL: nothing. */
void outbox_worker_stop(struct outbox_worker *w);

/* The delay before attempt n+1 after n failed ones (ms, jittered). */
long long outbox_backoff_ms(long long base, int n);

#endif
