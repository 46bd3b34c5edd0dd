/* test_state.c - the state lists of domain/state.h: the SQL lists and the
 * schema's CHECK constraints agree with them, and the flags mean what the
 * board and the statistics assume. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "domain/state.h"
#include "store/schema.h"

/* "('a','b')" for the states of t with every flag in flags, into out. */
static void sql_list(const struct state_info *t, int n, unsigned flags, char *out, size_t cap)
{
	size_t len = 0;

	out[len++] = '(';
	for (int i = 0; i < n; i++)
		if ((t[i].flags & flags) == flags)
			len += (size_t)snprintf(out + len, cap - len, "%s'%s'", out[len - 1] == '(' ? "" : ",", t[i].code);
	snprintf(out + len, cap - len, ")");
}

static void the_sql_lists_are_the_flags_of_the_tables(void **state)
{
	char s[512];

	sql_list(problem_state_info, PROBLEM_STATE_COUNT, PS_PUBLIC, s, sizeof(s));
	assert_string_equal(s, STATE_SQL_PUBLIC);
	sql_list(problem_state_info, PROBLEM_STATE_COUNT, PS_CLAIMED, s, sizeof(s));
	assert_string_equal(s, STATE_SQL_CLAIMED);
	sql_list(problem_state_info, PROBLEM_STATE_COUNT, PS_WORKING, s, sizeof(s));
	assert_string_equal(s, STATE_SQL_WORKING);
	sql_list(problem_state_info, PROBLEM_STATE_COUNT, PS_SOLVED, s, sizeof(s));
	assert_string_equal(s, STATE_SQL_SOLVED);
	sql_list(problem_state_info, PROBLEM_STATE_COUNT, PS_SCREENING, s, sizeof(s));
	assert_string_equal(s, STATE_SQL_SCREENING);
	sql_list(claim_state_info, CLAIM_STATE_COUNT, CS_COUNTED, s, sizeof(s));
	assert_string_equal(s, STATE_SQL_COUNTED_CLAIMS);
	snprintf(s, sizeof(s), "'%s'", batch_phase_info[PHASE_CLOSED].code);
	assert_string_equal(s, PHASE_SQL_CLOSED);
	assert_int_equal(PHASE_CLOSED, PHASE_COUNT - 1);  /* the last phase: BATCH_AS_OF_SQL relies on it */
}

/* The list of the CHECK on column col in table's CREATE TABLE, without
 * spaces or line breaks, into out; false when sql does not create table. */
static bool check_list(const char *sql, const char *table, const char *col, char *out, size_t cap)
{
	char head[64], check[64];
	const char *p, *q, *end;
	size_t n = 0;

	snprintf(head, sizeof(head), "CREATE TABLE %s (", table);
	snprintf(check, sizeof(check), "%s TEXT NOT NULL CHECK (%s IN ", col, col);
	if (!sql || !(p = strstr(sql, head)) || !(q = strstr(p, check)))
		return false;
	q += strlen(check);
	end = strstr(q, "))");
	assert_non_null(end);
	for (; q <= end && n + 1 < cap; q++)
		if (*q != ' ' && *q != '\n')
			out[n++] = *q;
	out[n] = '\0';
	return true;
}

static void the_schema_checks_allow_exactly_the_listed_states(void **state)
{
	char want[512], got[512];
	int seen = 0;

	for (int i = 0; i < migrations_count; i++) {
		const char *texts[] = { migrations[i].sql, migrations[i].sqlite_sql, migrations[i].pg_sql };
		for (int k = 0; k < 3; k++) {
			if (check_list(texts[k], "problem", "state", got, sizeof(got))) {
				sql_list(problem_state_info, PROBLEM_STATE_COUNT, 0, want, sizeof(want));
				assert_string_equal(got, want);
				seen++;
			}
			if (check_list(texts[k], "batch", "phase", got, sizeof(got)) ||
			    check_list(texts[k], "batch_phase", "phase", got, sizeof(got))) {
				sql_list(batch_phase_info, PHASE_COUNT, 0, want, sizeof(want));
				assert_string_equal(got, want);
				seen++;
			}
			if (check_list(texts[k], "claim", "state", got, sizeof(got))) {
				sql_list(claim_state_info, CLAIM_STATE_COUNT, 0, want, sizeof(want));
				assert_string_equal(got, want);
				seen++;
			}
		}
	}
	assert_true(seen >= 4);
}

static void codes_labels_and_flags(void **state)
{
	const char *pub[PROBLEM_STATE_COUNT + 1];

	assert_int_equal(problem_state_of("published"), PROBLEM_PUBLISHED);
	assert_int_equal(problem_state_of("nonsense"), -1);
	assert_int_equal(problem_state_of(NULL), -1);
	assert_int_equal(claim_state_of("signed"), CLAIM_SIGNED);
	assert_string_equal(label_of(problem_states, "in_progress"), "攻坚中");
	assert_string_equal(label_of(claim_states, "signed"), "已立军令状");
	assert_true(problem_state_has("accepted", PS_PUBLIC | PS_SOLVED | PS_CLOSED));
	assert_false(problem_state_has("proposed", PS_PUBLIC));
	assert_false(problem_state_has("nonsense", 0));
	assert_int_equal(problem_states_with(PS_PUBLIC, pub), 5);
	assert_string_equal(pub[0], "published");
	assert_null(pub[5]);
	/* Every label is Chinese and distinct within its list. */
	for (int i = 0; i < PROBLEM_STATE_COUNT; i++)
		for (int j = 0; j < i; j++)
			assert_string_not_equal(problem_state_info[i].zh, problem_state_info[j].zh);
	for (int i = 0; i < CLAIM_STATE_COUNT; i++)
		for (int j = 0; j < i; j++)
			assert_string_not_equal(claim_state_info[i].zh, claim_state_info[j].zh);
}

/* The statistics' chart of current states relabels public states only. */
static void the_current_state_labels_name_public_states(void **state)
{
	for (const struct label *l = current_state_labels; l->code; l++) {
		assert_true(problem_state_has(l->code, PS_PUBLIC));
		assert_non_null(strstr(l->zh, label_of(problem_states, l->code)));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_sql_lists_are_the_flags_of_the_tables),
		cmocka_unit_test(the_schema_checks_allow_exactly_the_listed_states),
		cmocka_unit_test(codes_labels_and_flags),
		cmocka_unit_test(the_current_state_labels_name_public_states),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
