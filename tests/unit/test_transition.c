/* test_transition.c - the problem transition table, on the pure table:
 * every (state × action × role) is allowed or refused as the campaign's
 * rules say, and the table itself is well formed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "domain/perm.h"
#include "domain/transition.h"

/* The rules in words: which states each action starts from. */
static bool expected_from(const char *action, int s)
{
	if (!strcmp(action, "select") || !strcmp(action, "return"))
		return s == PROBLEM_PROPOSED;
	if (!strcmp(action, "reject") || !strcmp(action, "merge"))
		return s == PROBLEM_PROPOSED || s == PROBLEM_SELECTED;
	if (!strcmp(action, "publish"))
		return s == PROBLEM_SELECTED;
	if (!strcmp(action, "withdraw"))
		return !(problem_state_info[s].flags & (PS_CLOSED | PS_SOLVED));
	return false;
}

static void every_state_action_and_role(void **state)
{
	const char *actions[] = { "select", "reject", "merge", "return", "publish", "withdraw" };
	struct perm_target t = { 1, 6, 0, false };
	int allowed = 0, refused = 0;

	for (int r = -1; r < ROLE_COUNT; r++) {
		struct principal who = { .tenant_id = 1, .user_id = r < 0 ? 0 : 10, .roles = r < 0 ? 0 : 1u << r, .unit_id = 6 };
		for (size_t a = 0; a < sizeof(actions) / sizeof(actions[0]); a++) {
			const struct transition *tr = transition_find(actions[a]);
			assert_non_null(tr);
			for (int s = 0; s < PROBLEM_STATE_COUNT; s++) {
				bool want = r >= 0 && (1u << r) == ROLE_ADMIN && expected_from(actions[a], s);
				if (transition_allowed(&who, tr, s, &t) != want)
					fail_msg("%s by %s from %s: expected %s", actions[a], r < 0 ? "anonymous" : role_codes[r],
						 problem_state_info[s].code, want ? "allowed" : "refused");
				want ? allowed++ : refused++;
			}
		}
	}
	printf("# transitions: %d (state × action × role) cells, %d allowed, %d refused\n", allowed + refused, allowed, refused);
	assert_int_equal(allowed + refused, 6 * (ROLE_COUNT + 1) * PROBLEM_STATE_COUNT);
	/* Another tenant's problem: never. */
	struct principal admin = { .tenant_id = 1, .user_id = 1, .roles = ROLE_ADMIN };
	struct perm_target other = { 2, 0, 0, false };
	assert_false(transition_allowed(&admin, transition_find("select"), PROBLEM_PROPOSED, &other));
}

static void the_table_is_well_formed(void **state)
{
	assert_null(transition_find("approve_everything"));
	assert_null(transition_find(NULL));
	assert_false(transition_from(transition_find("select"), -1));
	assert_false(transition_from(transition_find("select"), PROBLEM_STATE_COUNT));
	for (int i = 0; i < problem_transitions_count; i++) {
		const struct transition *t = &problem_transitions[i];
		assert_true(t->from != 0);
		assert_true(t->to >= 0 && t->to < PROBLEM_STATE_COUNT);
		assert_non_null(t->zh);
		/* nothing leaves a closed state */
		for (int s = 0; s < PROBLEM_STATE_COUNT; s++)
			if (problem_state_info[s].flags & PS_CLOSED)
				assert_false(transition_from(t, s));
		/* the permission exists in the table */
		bool known = false;
		for (int k = 0; k < perm_rules_count; k++)
			known |= !strcmp(perm_rules[k].action, t->perm);
		assert_true(known);
		for (int j = 0; j < i; j++)
			assert_string_not_equal(t->action, problem_transitions[j].action);
	}
	assert_true(transition_find("reject")->needs & TR_REASON);
	assert_true(transition_find("merge")->needs & TR_INTO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_state_action_and_role),
		cmocka_unit_test(the_table_is_well_formed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
