/* throttle.h - slowing down and locking out password guessing (ASVS 2.2.1).
 *
 * Failed log-ins are rows in the store (login_failure), so every server
 * process sees the same counts. Two subjects are counted: the login name as
 * typed (folded to lowercase, whether or not such a user exists, so the
 * answer never tells) and the client address.
 *   - After THROTTLE_FREE_LOGIN failures of a login name within 15 minutes,
 *     each further attempt must wait: 1, 2, 4, 8, then 15 minutes after the
 *     latest failure.
 *   - An address gets the same growing delay after THROTTLE_FREE_ADDR
 *     failures within 15 minutes: more, because a county office's hundreds
 *     of cadres often share one NAT address.
 *   - After THROTTLE_LOCK failures of a login name within an hour, it is
 *     locked until fewer than that remain in the last hour (ASVS 2.2.1
 *     allows at most 100 an hour).
 * A refused attempt is not counted and its password is never checked. */
#ifndef JB_THROTTLE_H
#define JB_THROTTLE_H

#include <stdint.h>

#include "store/db.h"

#define THROTTLE_FREE_LOGIN 5
#define THROTTLE_FREE_ADDR 20
#define THROTTLE_WINDOW 900     /* seconds: the delay's window */
#define THROTTLE_LOCK 20
#define THROTTLE_LOCK_WINDOW 3600

enum { THROTTLE_PASS = 0, THROTTLE_DELAYED = 1, THROTTLE_LOCKED = 2 };

/* May login (folded) try now from addr? THROTTLE_PASS, or DELAYED/LOCKED
 * with *wait_s the seconds until it may; -1 on a store error. Reads only. */
int throttle_check(db *d, int64_t tenant_id, const char *login, const char *addr, int64_t now,
		   int64_t *wait_s) __attribute__((warn_unused_result));
/* Count one failure of login from addr, inside the caller's write
 * transaction; drops rows older than the lock window. 0 or -1. */
int throttle_fail(db *d, int64_t tenant_id, const char *login, const char *addr,
		  int64_t now) __attribute__((warn_unused_result));
/* Forget login's failures (after a successful log-in), inside the caller's
 * write transaction. The address's count stays. 0 or -1. */
int throttle_clear(db *d, int64_t tenant_id, const char *login) __attribute__((warn_unused_result));

#endif
