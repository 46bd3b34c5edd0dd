/* state.c - the state tables generated from the lists in state.h. */
#include "domain/state.h"

#include <string.h>

#define INFO(name, code, zh, flags) { code, zh, flags },
#define LABEL(name, code, zh, flags) { code, zh },

const struct state_info problem_state_info[PROBLEM_STATE_COUNT] = { PROBLEM_STATES(INFO) };
const struct state_info claim_state_info[CLAIM_STATE_COUNT] = { CLAIM_STATES(INFO) };
const struct state_info batch_phase_info[PHASE_COUNT] = { BATCH_PHASES(INFO) };
const struct label problem_states[] = { PROBLEM_STATES(LABEL) { NULL, NULL } };
const struct label claim_states[] = { CLAIM_STATES(LABEL) { NULL, NULL } };
const struct label batch_phases[] = { BATCH_PHASES(LABEL) { NULL, NULL } };

static int find(const struct state_info *t, int n, const char *code)
{
	for (int i = 0; code && i < n; i++)
		if (!strcmp(t[i].code, code))
			return i;
	return -1;
}

int problem_state_of(const char *code)
{
	return find(problem_state_info, PROBLEM_STATE_COUNT, code);
}

int claim_state_of(const char *code)
{
	return find(claim_state_info, CLAIM_STATE_COUNT, code);
}

int problem_states_with(unsigned flags, const char *out[])
{
	int n = 0;

	for (int i = 0; i < PROBLEM_STATE_COUNT; i++)
		if ((problem_state_info[i].flags & flags) == flags)
			out[n++] = problem_state_info[i].code;
	out[n] = NULL;
	return n;
}

int batch_phase_of(const char *code)
{
	return find(batch_phase_info, PHASE_COUNT, code);
}

bool problem_state_has(const char *code, unsigned flags)
{
	int s = problem_state_of(code);

	return s >= 0 && (problem_state_info[s].flags & flags) == flags;
}
