/* audit.h - the audit log: who did what to which object, when, from where,
 * with the values before and after (ASVS 7.1.3, 7.2.1, 7.2.2).
 *
 * Every change calls audit_record() inside the same write transaction, so
 * the change and its entry commit or roll back together. Log-in, log-out
 * and failed log-ins are entries too; refused actions are written by
 * audit_denied() in a small transaction of their own (the refused change
 * itself never starts). Nothing in the application updates or deletes an
 * entry. Entries never hold a password, token or token hash (ASVS 7.1.1).
 *
 * actor is the user's login, "anonymous", or "cli" for the command line.
 * before_json / after_json are JSON objects or NULL. */
#ifndef JB_AUDIT_H
#define JB_AUDIT_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/audit_gate.h"
#include "store/db.h"
#include "util/arena.h"

/* Outcome of the recorded event. */
#define AUDIT_OK "ok"
#define AUDIT_FAILED "failed"   /* a failed log-in */
#define AUDIT_DENIED "denied"   /* refused: no permission, CSRF, throttled */

/* Who acts, for the entries a change writes: the tenant, the actor's name
 * (login, "anonymous", "cli") and the client address ("" on the CLI). */
struct actor {
	int64_t tenant_id;
	const char *name;
	const char *addr;
};

/* Inside the caller's write transaction. 0, or -1 (store error). */
int audit_record(db *d, int64_t tenant_id, const char *actor, const char *action,
		 const char *object_type, int64_t object_id, const char *before_json,
		 const char *after_json, const char *client_addr) __attribute__((warn_unused_result));
/* The same with another outcome (AUDIT_FAILED ...). */
int audit_record_outcome(db *d, int64_t tenant_id, const char *actor, const char *action,
			 const char *object_type, int64_t object_id, const char *before_json,
			 const char *after_json, const char *client_addr,
			 const char *outcome) __attribute__((warn_unused_result));
/* An entry (outcome ok) dated at `at` rather than the wall clock: a
 * verb's change, dated at its context's moment (action.h: ctx.now is the
 * clock, moved only by JIEBANG_CLOCK_FILE in tests, or the historic
 * moment of a step the demo replays), so that the entry and the rows the
 * change wrote agree. */
int audit_record_at(db *d, int64_t at, int64_t tenant_id, const char *actor, const char *action,
		    const char *object_type, int64_t object_id, const char *before_json,
		    const char *after_json, const char *client_addr) __attribute__((warn_unused_result));
/* A refused action, in its own write transaction (call it outside any
 * transaction). reason is a short code: "permission", "csrf", "origin",
 * "login" (not signed in), "throttled", "locked", "frequent"; login (or
 * NULL) the login name a refused log-in was for. With a gate (anonymous
 * refusals, domain/audit_gate.h) it may only be counted, and summaries of
 * ended windows are written with it.
 * Failures are logged, not returned: a refusal is answered either way. */
void audit_denied(db *d, struct audit_gate *gate, int64_t tenant_id, const char *actor, const char *action,
		  const char *object_type, int64_t object_id, const char *reason,
		  const char *login, const char *client_addr);
/* Write n summaries of refusals left out by a gate, in one write
 * transaction of their own. 0 or -1. */
int audit_write_summaries(db *d, const struct audit_summary *s, int n) __attribute__((warn_unused_result));

struct audit_filter {
	const char *actor;        /* "" or NULL: any */
	const char *action;       /* exact action, or a prefix ending in '.' */
	const char *object_type;
	int64_t object_id;        /* 0: any */
	int64_t from, to;         /* at >= from, at < to; 0: open */
	int64_t before_id;        /* keyset paging: entries with id < before_id; 0: newest */
	int64_t after_id;         /* entries with id > after_id (paging oldest first); 0: any */
	const char *outcome;      /* AUDIT_OK ...; "" or NULL: any */
	bool oldest_first;        /* order by id ascending (a history), not newest first */
	int limit;                /* 1..200 */
};

struct audit_entry {
	int64_t id, at, object_id;
	const char *actor, *action, *object_type, *before_json, *after_json, *client_addr, *outcome;
};

/* Newest first (oldest first with f->oldest_first). *more is set when
 * further entries match too (older ones; newer ones when oldest first). */
int audit_list(db *d, arena *a, int64_t tenant_id, const struct audit_filter *f,
	       struct audit_entry **out, int *n, bool *more);

#endif
