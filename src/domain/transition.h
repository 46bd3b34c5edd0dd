/* transition.h - how a problem moves between its states (state.h), as one
 * table: the action, the states it may start from, the state it leads to,
 * the permission it needs and the fields it requires.
 *
 * A verb applies a transition as a compare-and-set: UPDATE ... SET state =
 * <to> WHERE state = <the state it read>; no row changed means someone
 * else moved the problem first, and the verb answers JB_ECONFLICT naming
 * both states. Nothing else decides whether an action may happen to a
 * problem in a given state. */
#ifndef JB_TRANSITION_H
#define JB_TRANSITION_H

#include <stdbool.h>

#include "domain/perm.h"
#include "domain/state.h"

/* What a transition requires of its input. */
enum {
	TR_REASON = 1u << 0,   /* a reason, shown to the proposer and on the timeline */
	TR_INTO = 1u << 1,     /* another problem to merge into */
};

#define STATE_BIT(s) (1u << (s))

struct transition {
	const char *action;    /* "select", as in POST /api/v1/problems/:id/transitions */
	const char *zh;        /* 遴选入选 ... for buttons and the timeline */
	unsigned from;         /* STATE_BIT()s of the states it starts from */
	int to;                /* enum problem_state; the same as from for "return" */
	const char *perm;      /* permission action (perm.h) */
	unsigned needs;        /* TR_* */
};

extern const struct transition problem_transitions[];
extern const int problem_transitions_count;

/* The transition called action, or NULL. */
const struct transition *transition_find(const char *action);
/* Whether t may start from state (enum problem_state). */
bool transition_from(const struct transition *t, int state);
/* Whether who may apply t to a problem of the tenant (target) in state:
 * the state allows it and who holds t's permission over target. */
bool transition_allowed(const struct principal *who, const struct transition *t, int state,
			const struct perm_target *target);

#endif
