/* screen.h - screening (遴选) and publishing (发榜): applying the problem
 * transition table (transition.h) to proposals, one or many at once, and
 * the screeners' queue.
 *
 * Every transition is a compare-and-set on the state the verb read: when
 * someone moved the problem first, nothing is written and the verb answers
 * JB_ECONFLICT naming the state it is in now. Applied to several problems
 * (bulk), it is all or nothing: one that may not move refuses the lot,
 * naming it. Publishing is a round (分批发榜): the problems published
 * together form one publication of their batch, numbered from 1, recorded
 * with its date; each published problem points to it and becomes public.
 * The proposer of each problem moved is notified (notify.h).
 *
 * Rules beyond the table: a reason is required where the table says so
 * (TR_REASON); a merge names another problem of the tenant that is not
 * itself and not closed (PS_CLOSED; merged problems are closed, so merges
 * cannot form cycles); "return" marks a proposal returned for more detail
 * (it stays proposed; a second return before the proposer revises is a
 * conflict); screening and publishing are refused once the batch is in
 * 攻坚 or later (batch.h). */
#ifndef JB_SCREEN_H
#define JB_SCREEN_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/action.h"
#include "domain/bind.h"
#include "domain/state.h"

#define SCREEN_BULK_MAX 200
#define SCREEN_REASON_MAX 500

/* POST /api/v1/problems/:id/transitions, or for several at once ids. */
struct transition_in {
	const char *action;        /* transition.h: select, reject, merge, return, publish, withdraw */
	const char *reason;
	int64_t into;              /* merge: the problem it goes into */
	const char *from;          /* optional: the state the actor saw; another one now is a conflict */
	struct bind_ids ids;       /* bulk only */
};
extern const struct bind_field transition_fields[];
extern const struct bind_field bulk_transition_fields[];

struct transition_out {
	int from, to;              /* enum problem_state, of the last problem moved */
	int n;                     /* problems moved */
	int64_t publication_id;    /* publish: the round's */
	int64_t round;
};

/* Verbs (the transition's permission, problem.screen today). */
int screen_apply(struct ctx *c, int64_t id, struct transition_in *in, struct transition_out *out)
	__attribute__((warn_unused_result));
int screen_apply_many(struct ctx *c, struct transition_in *in, struct transition_out *out)
	__attribute__((warn_unused_result));

/* Set a proposal's category and priority while it is open (problem.screen). */
struct screen_update_in {
	const char *category;
	int64_t category_id;
	const char *priority;      /* "0" 一般, "1" 重点, "2" 紧急 (proposal.h priorities); NULL: unchanged */
};
extern const struct bind_field screen_update_fields[];
int screen_update(struct ctx *c, int64_t id, struct screen_update_in *in) __attribute__((warn_unused_result));

/* Carry unsolved problems (not solved, not closed) into another batch that
 * has not ended, keeping their id, claim and history (batch.manage): all
 * or nothing, each audited as problem.carry. */
struct carry_in {
	int64_t batch_id;          /* the batch they go into */
	int64_t from_batch_id;     /* optional: the batch the actor saw them in; another one now is a conflict */
	struct bind_ids ids;
};
extern const struct bind_field carry_fields[];
int screen_carry(struct ctx *c, struct carry_in *in, int *moved) __attribute__((warn_unused_result));

/* The screeners' queue (problem.read_internal). state -1: proposed and
 * selected (the open part of intake); else that state. */
struct screen_filter {
	int64_t batch_id, category_id;
	int state;
	bool returned, residents;  /* only returned ones; only residents' */
	const char *q;             /* substring of the title */
	int64_t page, per_page;
};
struct screen_row {
	int64_t id, created_at, updated_at;
	const char *title, *batch, *category, *unit, *proposer_name;
	int state, priority;
	bool residents_concern, from_resident, returned;
};
struct screen_page {
	struct screen_row *items;
	int n;
	int64_t total;
	int64_t by_state[PROBLEM_STATE_COUNT];  /* in the filter's batch and category, every state */
};
/* 0, 1 when who may not read internal problems, -1 store error. */
int screen_list(db *d, arena *a, const struct principal *who, const struct screen_filter *f,
		struct screen_page *out) __attribute__((warn_unused_result));

/* A batch's publication rounds, first first. 0 or -1. */
struct publication {
	int64_t id, batch_id, round, published_at, n;
	const char *actor;
};
int publication_list(db *d, arena *a, int64_t tenant_id, int64_t batch_id, struct publication **out, int *n)
	__attribute__((warn_unused_result));

#endif
