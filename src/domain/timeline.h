/* timeline.h - the audit log as people read it: a Chinese title and a
 * one-line Chinese detail for every entry (the audit page), and the
 * history of one problem, oldest first (the problem page and its API).
 *
 * Nothing here hands out a code name or raw JSON: actions, objects, states,
 * reasons, roles and phases go through their labels (labels.h, state.h,
 * perm.h), and a detail is built from the fields this module knows, one
 * action at a time; any other field (a resident's contact name or phone,
 * a complaint's text) never reaches a reader.
 *
 * What a reader sees depends on who reads (a principal; NULL: anonymous):
 *   - one who may read the audit log (audit.read over the tenant: admins,
 *     the command line) sees each actor as the linked person's name and
 *     unit ("张三（住建局）"), or the login when there is no person, with
 *     the login beside it (audit_text.login), and every detail;
 *   - everyone else sees actors as their unit, or their role when they have
 *     no unit ("管理员"), never a login or a person's name; "群众" for a
 *     resident who was not signed in and "系统" for the command line. A
 *     problem's screening priority is not shown to them (the board never
 *     shows it either); the reasons of transitions are.
 * Results are allocated on the caller's arena. Functions return 0, or -1
 * when the store failed (db_errmsg tells why). */
#ifndef JB_TIMELINE_H
#define JB_TIMELINE_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/audit.h"
#include "domain/perm.h"
#include "store/db.h"
#include "util/arena.h"

struct audit_text {
	const char *title;      /* the action's label (labels.h); "其他操作" when it has none */
	const char *detail;     /* one line; "" when the title says it all */
	const char *actor;      /* who acted, as this reader may see it */
	const char *login;      /* the actor's login, for readers of the audit log; else NULL */
	const char *object;     /* what it was done to: "用户 #5 zhang"; "" when nothing */
	const char *from, *to;  /* a problem transition's state codes; NULL when none */
	const char *reason;     /* the reason a transition gave; NULL when none */
	bool hidden;            /* nothing in it is for this reader: the timeline leaves it out */
};

/* The texts of n entries (out has room for n), for the reader who. */
int timeline_describe(db *d, arena *a, int64_t tenant_id, const struct principal *who,
		      const struct audit_entry *e, int n, struct audit_text *out) __attribute__((warn_unused_result));

/* At most this many entries in a problem's timeline. */
#define TIMELINE_MAX 500

struct timeline_entry {
	int64_t at;
	const char *action;     /* the audit code ("problem.select"), for machines only */
	struct audit_text t;
};

/* The successful changes recorded on problem problem_id, oldest first, as
 * who may read them; *more when there are more than TIMELINE_MAX. Whether
 * who may see the problem at all is the caller's question. */
int timeline_problem(db *d, arena *a, int64_t tenant_id, int64_t problem_id, const struct principal *who,
		     struct timeline_entry **out, int *n, bool *more) __attribute__((warn_unused_result));

#endif
