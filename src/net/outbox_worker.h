/* outbox_worker.h - the thread that delivers the outbox (domain/robot.h)
 * while `serve` runs, on a store connection of its own; request threads
 * never send anything.
 *
 * Every poll (JIEBANG_OUTBOX_POLL_MS, default 1000) it takes the pending
 * rows that are due, oldest first, and for each:
 *   1. claims it: attempts + 1 and next_at pushed past the send's timeout
 *      (a lease), committed BEFORE the POST — a compare-and-set on
 *      attempts, so two servers on one store never send it together;
 *   2. POSTs it (net/deliver.h), at most JIEBANG_OUTBOX_TIMEOUT_MS
 *      (default 10000);
 *   3. records the answer in one transaction: sent (sent_at), or pending
 *      again at now + backoff, or dead after JIEBANG_OUTBOX_ATTEMPTS
 *      (default 8) attempts. Backoff: JIEBANG_OUTBOX_BACKOFF_MS (default
 *      30000) doubled per attempt, capped at 6 h, with "equal jitter"
 *      (a random half to all of it).
 * Stopping lets the POST in flight finish and be recorded, and takes no
 * new one. A process killed between 1 and 3 leaves the row pending: it is
 * sent again once its lease expires, with the same delivery id and body. */
#ifndef JB_OUTBOX_WORKER_H
#define JB_OUTBOX_WORKER_H

struct outbox_worker;

/* Start the thread on the store at db_url (kept, not copied). SIGINT and
 * SIGTERM are blocked in it (they go to the server's main thread). NULL
 * when it cannot start (logged) or JIEBANG_OUTBOX=0. */
struct outbox_worker *outbox_worker_start(const char *db_url);
/* Let a delivery in flight finish and be recorded, join, close. NULL: nothing. */
void outbox_worker_stop(struct outbox_worker *w);

/* The delay before attempt n+1 after n failed ones (ms, jittered). */
long long outbox_backoff_ms(long long base, int n);

#endif
