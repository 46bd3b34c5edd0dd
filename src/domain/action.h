/* action.h - how every domain verb runs: one context, one write
 * transaction, one result.
 *
 * A verb is a function (struct ctx *, void *args) that checks permission
 * and state, writes, and records its audit entry and notifications, all
 * through c->d inside the transaction action_run() holds; reads it calls
 * join that transaction (db.h). It returns JB_OK or the reason it did not
 * happen, having said why in the context (ctx_invalid, ctx_deny, ctx_fail).
 * Nothing a failed verb wrote survives: the runner rolls back. A verb that
 * succeeds also adds one to its tenant's data version (tenant.data_version)
 * in the same transaction, for caches and ETags to key on. A refusal
 * (JB_EDENIED) is written to the audit log after the rollback, in its own
 * small transaction.
 *
 * Callers (pages, API, command line) build a context, call the verb's
 * public function (which calls action_run) and present the result; they
 * never check permissions or state themselves. */
#ifndef JB_ACTION_H
#define JB_ACTION_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/audit.h"
#include "domain/perm.h"
#include "store/db.h"
#include "util/arena.h"

/* The result of a verb, for the whole domain. */
enum jb_rc {
	JB_OK = 0,
	JB_EINVALID,   /* bad input or a rule broken: the field errors say which */
	JB_EDENIED,    /* who may not do this */
	JB_ENOTFOUND,  /* no such object (in the tenant) */
	JB_ECONFLICT,  /* the object changed meanwhile, or the value is taken */
	JB_EBUSY,      /* the store is busy or unreachable: try again */
	JB_ELIMITED,   /* too many submissions from this address: try again after retry_after */
	JB_ESTORE,     /* the store failed (db_errmsg has the cause) */
};

/* One message for the user (zh-CN), about a field or (field NULL) about
 * the whole request. code is a stable short name for API clients. */
struct field_error {
	const char *field;
	const char *code;
	const char *message;
};

#define CTX_MAX_ERRORS 32

struct ctx {
	db *d;
	arena *a;                       /* results and messages live here */
	const struct principal *who;    /* never NULL */
	const char *addr;               /* client address, "" on the command line */
	int64_t now;                    /* epoch seconds, fixed for the verb */

	/* Why it did not happen (set by the ctx_* helpers below). */
	struct field_error errs[CTX_MAX_ERRORS];
	int nerrs;
	const char *denied_action;      /* JB_EDENIED: the permission refused */
	const char *object_type;        /* JB_EDENIED: what it was refused on */
	int64_t object_id;
	bool denial_logged;             /* the refusal is in the audit log */
	struct audit_gate *gate;        /* anonymous refusals pass it (audit.h); NULL: none */
	int64_t retry_after;            /* JB_ELIMITED: seconds until a retry may succeed */
};

/* A context for who acting from addr, now. */
void ctx_init(struct ctx *c, db *d, arena *a, const struct principal *who, const char *addr);
/* The actor of the audit entries the verb writes. */
struct actor ctx_actor(const struct ctx *c);

/* Record a field error (field NULL: about the request); returns
 * JB_EINVALID so a verb can `return ctx_invalid(...)`. Errors beyond
 * CTX_MAX_ERRORS are dropped (the first ones are shown). */
int ctx_invalid(struct ctx *c, const char *field, const char *code, const char *message);
/* A refusal: who may not do action to the object. Returns JB_EDENIED. */
int ctx_deny(struct ctx *c, const char *action, const char *object_type, int64_t object_id);
/* Any other result rc, about field (or NULL), with its message (NULL: a
 * default for rc). Returns rc. */
int ctx_fail(struct ctx *c, int rc, const char *field, const char *code, const char *message);
/* The first message, or a default for rc. */
const char *ctx_message(const struct ctx *c, int rc);

typedef int (*verb_fn)(struct ctx *c, void *args);

/* Run verb in one write transaction: commit when it returns JB_OK, else
 * roll back. A negative return (a store call failed) is JB_ESTORE; a
 * transaction that cannot begin is JB_EBUSY. */
int action_run(struct ctx *c, verb_fn verb, void *args) __attribute__((warn_unused_result));

/* Write a refusal (JB_EDENIED) to the audit log unless it is there: the
 * runner does it for verbs; a check made before a verb (to spare a slow
 * hash, say) calls this. Outside any transaction. */
void ctx_log_denial(struct ctx *c);

/* Inside a verb: the audit entry of its change to the object, by the
 * context's actor, at the context's moment (c->now), with before and
 * after as JSON objects (either NULL; the references are taken and
 * released). 0 or -1. */
int ctx_audit(struct ctx *c, const char *action, const char *object_type, int64_t object_id, json_t *before,
	      json_t *after) __attribute__((warn_unused_result));

/* Map a store failure inside a verb: JB_EBUSY when the store is
 * unreachable, else JB_ESTORE. */
int ctx_store_error(struct ctx *c);

#endif
