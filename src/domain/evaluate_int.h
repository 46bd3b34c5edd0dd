/* evaluate_int.h - what evaluate.c (the verbs) and evaluate_read.c (the
 * reads) share; not for other modules. */
#ifndef JB_EVALUATE_INT_H
#define JB_EVALUATE_INT_H

#include "domain/evaluate.h"

/* A claim as the evaluation reads it. */
struct ek {
	int64_t id, problem_id, batch_id, unit_id, deadline, accepted_at;
	int state, problem_state, round;   /* enum claim_state, enum problem_state, eval_round */
	const char *title, *unit;
};

/* Claim id of c->who's tenant: JB_OK, JB_ENOTFOUND (said in c) or -1. */
int eval_load_claim(struct ctx *c, int64_t id, struct ek *k);
/* The evaluation of k at stage (evaluate.h's eval_view); all: every entry
 * whatever the reader may see (for the verbs). JB_OK or -1. */
int eval_build(struct ctx *c, const struct ek *k, const char *stage, bool all, struct eval_view *out);
/* The batch's accepted claims with a grade and those graded 优秀. 0 or -1. */
int eval_batch_grades(db *d, int64_t tenant, int64_t batch, int *excellent, int *graded);

#endif
