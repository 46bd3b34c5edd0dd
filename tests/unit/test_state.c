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
	sql_list(problem_state_info, PROBLEM_STATE_COUNT, PS_CLOSED, s, sizeof(s));
	assert_string_equal(s, STATE_SQL_CLOSED);
	sql_list(claim_state_info, CLAIM_STATE_COUNT, CS_COUNTED, s, sizeof(s));
	assert_string_equal(s, STATE_SQL_COUNTED_CLAIMS);
	sql_list(claim_state_info, CLAIM_STATE_COUNT, CS_PENDING, s, sizeof(s));
	assert_string_equal(s, STATE_SQL_PENDING_CLAIMS);
	sql_list(claim_state_info, CLAIM_STATE_COUNT, CS_WORKING, s, sizeof(s));
	assert_string_equal(s, STATE_SQL_WORKING_CLAIMS);
	snprintf(s, sizeof(s), "'%s'", batch_phase_info[PHASE_CLOSED].code);
	assert_string_equal(s, PHASE_SQL_CLOSED);
	assert_int_equal(PHASE_CLOSED, PHASE_COUNT - 1);  /* the last phase: BATCH_AS_OF_SQL relies on it */
}

/* The list after the first marker of sql (without spaces or line breaks)
 * up to its "))", into out; false when sql has no marker. */
static bool list_after(const char *sql, const char *marker, char *out, size_t cap)
{
	const char *q, *end;
	size_t n = 0;

	if (!sql || !(q = strstr(sql, marker)))
		return false;
	q += strlen(marker);
	end = strstr(q, "))");
	assert_non_null(end);
	for (; q <= end && n + 1 < cap; q++)
		if (*q != ' ' && *q != '\n')
			out[n++] = *q;
	out[n] = '\0';
	return true;
}

/* The list of the CHECK on column col in table's CREATE TABLE (or in that
 * of its rebuilt table_new), into out; false when sql creates neither. */
static bool check_list(const char *sql, const char *table, const char *col, char *out, size_t cap)
{
	char head[64], check[64];
	const char *p;

	snprintf(check, sizeof(check), "%s TEXT NOT NULL CHECK (%s IN ", col, col);
	snprintf(head, sizeof(head), "CREATE TABLE %s (", table);
	if (sql && (p = strstr(sql, head)))
		return list_after(p, check, out, cap);
	snprintf(head, sizeof(head), "CREATE TABLE %s_new (", table);
	if (sql && (p = strstr(sql, head)))
		return list_after(p, check, out, cap);
	return false;
}

/* The claim states the schema allows: those of its last definition (a
 * CHECK replaced on PostgreSQL, a table rebuilt on SQLite), on each store. */
static void claim_check(const char *sql, bool pg, char *out, size_t cap, int *seen)
{
	if ((pg && list_after(sql, "ADD CONSTRAINT claim_state_check CHECK (state IN ", out, cap)) ||
	    check_list(sql, "claim", "state", out, cap))
		(*seen)++;
}

static void the_schema_checks_allow_exactly_the_listed_states(void **state)
{
	char want[512], got[512], sq[512] = "", pg[512] = "";
	int seen = 0, claims = 0;

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
			if (k != 2)
				claim_check(texts[k], false, sq, sizeof(sq), &claims);
			if (k != 1)
				claim_check(texts[k], true, pg, sizeof(pg), &claims);
		}
	}
	sql_list(claim_state_info, CLAIM_STATE_COUNT, 0, want, sizeof(want));
	assert_string_equal(sq, want);
	assert_string_equal(pg, want);
	assert_true(seen >= 3 && claims >= 3);
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
