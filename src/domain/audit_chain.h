/* audit_chain.h - the audit log made tamper-evident (ASVS 7.3.3): each
 * tenant's entries form a hash chain. An entry's hash is SHA-256 over the
 * hash of the entry before it (by id, in the same tenant; "" for the
 * first) and the entry's own fields, each written with its length so no
 * two entries serialise alike:
 *   prev "\n" then for tenant_id, id, at, actor, action, object_type,
 *   object_id, before_json, after_json, client_addr, outcome:
 *   "<length>:<bytes>" or "~" for NULL (object_id 0 is NULL).
 * Changing, inserting or deleting an entry breaks the link of the entry
 * after it; removing the newest entries is seen only against a head
 * written down earlier (audit_verify() reports the head for that). */
#ifndef JB_AUDIT_CHAIN_H
#define JB_AUDIT_CHAIN_H

#include <stdint.h>

#include "store/db.h"
#include "util/arena.h"

#define AUDIT_HASH_LEN 64 /* hex characters */

/* An entry's fields, as the chain reads them. */
struct audit_fields {
	int64_t tenant_id, id, at, object_id; /* object_id 0: NULL */
	const char *actor, *action, *object_type;
	const char *before_json, *after_json; /* NULL: NULL */
	const char *client_addr, *outcome;
};

/* The hash of e after prev (hex, AUDIT_HASH_LEN + 1 bytes into out). */
void audit_hash(const char *prev, const struct audit_fields *e, char *out);

/* The hash entry e (its id just taken) must carry: after the newest entry
 * of its tenant before e->id. Inside the caller's write transaction; 0 or
 * -1 (store error). */
int audit_chain_next(db *d, const struct audit_fields *e, char *out) __attribute__((warn_unused_result));

/* Hash the entries written before the chain began (migration 15: those up
 * to audit_legacy's last_id of their tenant), in write transactions of a
 * few hundred; outside any transaction. Each tenant is sealed once: an
 * entry whose hash is blanked afterwards stays broken. The number sealed,
 * or -1. */
int64_t audit_seal(db *d) __attribute__((warn_unused_result));

/* One tenant's chain as audit_verify() found it. */
struct audit_check {
	int64_t tenant_id;
	int64_t entries;             /* entries read */
	int64_t broken_id;           /* the first entry whose hash does not hold, 0 none */
	int64_t unsealed;            /* entries from before the chain not hashed yet (audit_seal()) */
	int64_t head_id;             /* the newest entry, 0 none */
	char head[AUDIT_HASH_LEN + 1]; /* its hash */
};

/* Every tenant's chain checked in one read transaction, into *out[*n]
 * (arena a), in tenant order. 0, or -1 on a store error. */
int audit_verify(db *d, arena *a, struct audit_check **out, int *n) __attribute__((warn_unused_result));

#endif
