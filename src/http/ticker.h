/* ticker.h - one background thread that runs a task every period seconds
 * on a store connection of its own (the daily digest and reminders:
 * server_config.task). The server starts it with the others and stops it
 * before it closes the store; the task is handed in, so this layer knows
 * nothing of what it does. */
#ifndef JB_TICKER_H
#define JB_TICKER_H

#include <stdint.h>

#include "store/db.h"

struct ticker;

/* Every period seconds (the first run one period after the start), call
 * task(d, now) with now the epoch time; the store at db_url is opened on
 * the first run and reopened after a failure. NULL (logged) when the
 * thread cannot start. */
struct ticker *ticker_start(const char *db_url, unsigned period, int (*task)(db *d, int64_t now));
/* Wake the thread, let a running task finish, join it, close its store. NULL: nothing. */
void ticker_stop(struct ticker *t);

#endif
