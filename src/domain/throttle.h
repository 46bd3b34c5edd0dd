/* throttle.h - slowing down and locking out password guessing (ASVS 2.2.1)
 * without handing anyone a way to lock others out, and bounding successful
 * log-ins per address (each one costs an argon2id hash).
 *
 * Every password check is a row of login_attempt in the store, so every
 * server process sees the same counts. It is reserved ("pending") before
 * the password is hashed, in one write transaction with the check of every
 * limit, and settled afterwards: failed, ok, or void (never checked). So
 * parallel attempts cannot slip past a limit: 30 at once get at most
 * THROTTLE_FREE checks. A refused attempt writes nothing.
 *
 * Who is counted depends on the client (OWASP's device cookies):
 *   - A trusted client shows a valid device cookie for the login (issued
 *     at an earlier successful log-in in that browser, domain/device.h). It
 *     is counted by that cookie only: after THROTTLE_FREE failures within
 *     THROTTLE_WINDOW each further attempt waits 1, 2, 4, 8, then 15
 *     minutes after the latest failure; after THROTTLE_LOCK within
 *     THROTTLE_LOCK_WINDOW the cookie is locked until the oldest of them
 *     leaves the window. Others' failures never lock it out.
 *   - An untrusted client is counted by (login, address) with the same
 *     delays and lock, so one machine cannot block its colleagues; by its
 *     address across logins (delays after THROTTLE_FREE_ADDR failures, as
 *     a county office's cadres often share one NAT address); and by login
 *     across addresses: after THROTTLE_ACCOUNT_CAP failures within the
 *     hour the login refuses untrusted clients until the hour has passed
 *     (ASVS 2.2.1's at most 100 an hour, against a guesser with many
 *     addresses). Only untrusted clients can be kept out that way.
 *   - Every client: at most ok_per_addr successful (or pending) password
 *     checks per address within THROTTLE_OK_WINDOW.
 * A success forgives the failures of its own (login, address) or device,
 * not the login's count across addresses. Logins are folded to lowercase
 * and counted whether or not such a user exists, so the answer never
 * tells. */
#ifndef JB_THROTTLE_H
#define JB_THROTTLE_H

#include <stdint.h>

#include "store/db.h"

#define THROTTLE_FREE 5             /* failures of one source before delays */
#define THROTTLE_FREE_ADDR 20       /* untrusted failures of one address before delays */
#define THROTTLE_WINDOW 900         /* seconds: the delays' window */
#define THROTTLE_LOCK 20            /* failures of one source that lock it */
#define THROTTLE_LOCK_WINDOW 3600
#define THROTTLE_ACCOUNT_CAP 100    /* failures of one login that lock out untrusted clients */
#define THROTTLE_OK_WINDOW 600      /* seconds: the window of successful log-ins */
#define THROTTLE_OK_ADDR 30         /* the default of ok_per_addr */

enum { THROTTLE_PASS = 0, THROTTLE_DELAYED = 1, THROTTLE_LOCKED = 2, THROTTLE_FREQUENT = 3 };

/* One password check. */
struct attempt {
	int64_t tenant_id;
	const char *login;   /* folded */
	const char *addr;
	const char *device;  /* id of a valid device cookie for login (trusted), or "" */
	int64_t now;
	int64_t id;          /* set by throttle_reserve() */
};

/* Check every limit for at and, when none refuses, reserve it (a pending
 * row, committed in a write transaction of its own: call it outside any
 * transaction). THROTTLE_PASS (at->id set), or DELAYED / LOCKED /
 * FREQUENT with *wait_s the seconds until it may try (nothing written),
 * or -1 on a store error. ok_per_addr <= 0 means THROTTLE_OK_ADDR. */
int throttle_reserve(db *d, struct attempt *at, int ok_per_addr, int64_t *wait_s)
	__attribute__((warn_unused_result));

enum attempt_end {
	ATTEMPT_FAILED,  /* a wrong password, unknown login or disabled user */
	ATTEMPT_OK,      /* forgives the failures of at's (login, address) or device */
	ATTEMPT_VOID,    /* the password was never checked (no hashing slot) */
};
/* Settle a reserved attempt inside the caller's write transaction (which
 * also drops attempts older than the lock window). 0 or -1. */
int throttle_settle(db *d, const struct attempt *at, enum attempt_end how) __attribute__((warn_unused_result));

#endif
