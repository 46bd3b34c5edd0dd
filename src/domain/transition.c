/* transition.c - the problem transition table (transition.h). */
#include "domain/transition.h"

#include <string.h>

#define B(s) STATE_BIT(PROBLEM_##s)
#define OPEN (B(PROPOSED) | B(SELECTED) | B(PUBLISHED) | B(CLAIMED) | B(IN_PROGRESS))

/* The intake half of the campaign (issue 8); claiming and evaluating add
 * their rows with their verbs. */
const struct transition problem_transitions[] = {
	{ "select", "遴选入选", B(PROPOSED), PROBLEM_SELECTED, "problem.screen", 0 },
	{ "reject", "不予入选", B(PROPOSED) | B(SELECTED), PROBLEM_REJECTED, "problem.screen", TR_REASON },
	{ "merge", "合并到其他难题", B(PROPOSED) | B(SELECTED), PROBLEM_MERGED, "problem.screen", TR_INTO },
	{ "return", "退回补充", B(PROPOSED), PROBLEM_PROPOSED, "problem.screen", TR_REASON },
	{ "publish", "发榜", B(SELECTED), PROBLEM_PUBLISHED, "problem.screen", 0 },
	{ "withdraw", "撤榜", OPEN, PROBLEM_WITHDRAWN, "problem.screen", TR_REASON },
};
const int problem_transitions_count = (int)(sizeof(problem_transitions) / sizeof(problem_transitions[0]));

const struct transition *transition_find(const char *action)
{
	for (int i = 0; action && i < problem_transitions_count; i++)
		if (!strcmp(problem_transitions[i].action, action))
			return &problem_transitions[i];
	return NULL;
}

bool transition_from(const struct transition *t, int state)
{
	return t && state >= 0 && state < PROBLEM_STATE_COUNT && (t->from & STATE_BIT(state));
}

bool transition_allowed(const struct principal *who, const struct transition *t, int state,
			const struct perm_target *target)
{
	return transition_from(t, state) && perm_check(who, t->perm, target);
}
