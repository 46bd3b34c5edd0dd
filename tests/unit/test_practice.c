/* test_practice.c - the practices' state rules (the moves cell by cell,
 * which claims may be linked, the public list pinned to the states and to
 * the schema's CHECK) and their search on the board's shared pair code:
 * practice_gram holds the pairs problem_gram would, and the library finds
 * what the board's rule says (both stores). */
#include "testdb.h"

#include <stdio.h>
#include <string.h>

#include "domain/practice.h"
#include "domain/search.h"
#include "domain/state.h"
#include "store/schema.h"
#include "util/buf.h"

static struct tenant_fixture sqlite_fx = { .s.kind = DB_SQLITE, .name = "practice" };
static struct tenant_fixture pg_fx = { .s.kind = DB_POSTGRES, .name = "practice" };

/* ---- states (pure) ---------------------------------------------------------- */

static void the_moves_are_draft_to_recommended_to_adopted_and_edits_in_draft(void **state)
{
	/* [from][to]: JB_OK where the move is allowed. */
	static const int want[PRACTICE_STATE_COUNT][PRACTICE_STATE_COUNT] = {
		[PRACTICE_DRAFT] = { [PRACTICE_DRAFT] = JB_OK, [PRACTICE_RECOMMENDED] = JB_OK, [PRACTICE_ADOPTED] = JB_ECONFLICT },
		[PRACTICE_RECOMMENDED] = { JB_ECONFLICT, JB_ECONFLICT, JB_OK },
		[PRACTICE_ADOPTED] = { JB_ECONFLICT, JB_ECONFLICT, JB_ECONFLICT },
	};

	for (int from = 0; from < PRACTICE_STATE_COUNT; from++)
		for (int to = 0; to < PRACTICE_STATE_COUNT; to++)
			assert_int_equal(practice_move_allowed(from, to), want[from][to]);
	assert_int_equal(practice_move_allowed(PRACTICE_DRAFT, PRACTICE_STATE_COUNT), JB_ECONFLICT);
}

static void only_claims_declared_solved_may_be_linked(void **state)
{
	for (int s = 0; s < CLAIM_STATE_COUNT; s++)
		assert_int_equal(practice_claim_solved(s), s == CLAIM_SOLVED || s == CLAIM_ACCEPTED);
	assert_false(practice_claim_solved(-1));
}

static void the_public_list_and_the_schema_check_are_the_states(void **state)
{
	char pub[128] = "(", all[128] = "(";
	const char *marker = "state TEXT NOT NULL CHECK (state IN ";
	const char *p = NULL, *q;
	size_t n = 0;

	for (int i = 0; i < PRACTICE_STATE_COUNT; i++) {
		snprintf(all + strlen(all), sizeof(all) - strlen(all), "%s'%s'", i ? "," : "", practice_states[i].code);
		if (practice_state_public(i))
			snprintf(pub + strlen(pub), sizeof(pub) - strlen(pub), "%s'%s'", pub[1] ? "," : "",
				 practice_states[i].code);
	}
	strcat(pub, ")");
	strcat(all, ")");
	assert_string_equal(pub, PRACTICE_SQL_PUBLIC);
	for (int i = 0; i < migrations_count && !p; i++)
		if ((q = strstr(migrations[i].sql, "CREATE TABLE practice (")))
			p = strstr(q, marker);
	assert_non_null(p);
	p += strlen(marker);
	char got[128];
	for (q = p; *q != ')' && n + 2 < sizeof(got); q++)
		got[n++] = *q;
	got[n++] = ')';
	got[n] = '\0';
	assert_string_equal(got, all);
	assert_int_equal(practice_state_of("adopted"), PRACTICE_ADOPTED);
	assert_int_equal(practice_state_of("accepted"), -1);
	assert_int_equal(practice_state_of(NULL), -1);
	assert_false(practice_state_public(PRACTICE_DRAFT));
	assert_false(practice_state_public(-1));
	assert_string_equal(label_of(practice_states, "adopted"), "已转化为制度");
}

/* A plan whose terms the pairs do not decide is checked in C as the board's
 * LIKE would: every such term a substring of the folded text. */
static void a_plan_matches_the_terms_the_pairs_leave_undecided(void **state)
{
	struct search_plan p = { .nterms = 2, .terms = { "缆线", "整治" }, .like = { "", "%整治%" } };

	assert_true(search_plan_matches(&p, "空中缆线整治"));
	assert_true(search_plan_matches(&p, "整治"));   /* 缆线 was the index's to decide */
	assert_false(search_plan_matches(&p, "缆线整改"));
	p.nterms = 0;
	assert_true(search_plan_matches(&p, ""));
}

/* ---- on a store ------------------------------------------------------------- */

/* The pairs of id in table (problem_gram or practice_gram), sorted, '|'-joined. */
static const char *pairs_of(db *d, arena *a, bool practice, int64_t id)
{
	db_stmt *st = db_query(d, practice ? "SELECT gram FROM practice_gram WHERE tenant_id = 1 AND practice_id = $1"
					 : "SELECT gram FROM problem_gram WHERE tenant_id = 1 AND problem_id = $1",
			       "i", id);
	const char *v[64];
	buf b = BUF_INIT;
	int n = 0;
	const char *out;

	assert_non_null(st);
	while (db_step(st) == DB_ROW && n < 64)
		v[n++] = arena_strdup(a, db_col_text(st, 0));
	db_done(st);
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && strcmp(v[j], v[j - 1]) < 0; j--) {
			const char *t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	for (int i = 0; i < n; i++) {
		if (i)
			buf_putc(&b, '|');
		buf_puts(&b, v[i]);
	}
	out = arena_strdup(a, b.s ? b.s : "");
	buf_release(&b);
	return out;
}

static void exec(db *d, const char *sql)
{
	if (db_exec(d, sql) < 0)
		fail_msg("%s: %s", sql, db_errmsg(d));
}

/* Practices 1-4 (4 a draft) with their index entries written by the shared code. */
static void fill(db *d, arena *a)
{
	static const char *const rows[][5] = {
		{ "1", "recommended", "网格化治理WiFi", "村级网格员每日巡查", "缆线入地" },
		{ "2", "adopted", "缆线整治", "空中缆线“蜘蛛网”整治 100%完成", "" },
		{ "3", "recommended", "垃圾分类", "积分兑换", "网格员上门 城区_社区" },
		{ "4", "draft", "缆线草稿", "未公开的缆线做法", "" },
	};

	exec(d, "INSERT INTO batch (tenant_id, id, name, year, phase, opens_at, closes_at) VALUES (1, 1, 'b', 2027, 'working', 0, 0)");
	exec(d, "INSERT INTO category (tenant_id, id, name, position) VALUES (1, 1, 'c', 1)");
	exec(d, "INSERT INTO problem (tenant_id, id, batch_id, category_id, title, description, proposer_name, state,"
		" is_public, created_at, updated_at) VALUES (1, 1, 1, 1, 't', 'd', 'p', 'published', 1, 0, 0)");
	assert_int_equal(db_begin(d, DB_WRITE), 0);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		int64_t id = (int64_t)(i + 1);
		assert_int_equal(db_run(d, "INSERT INTO practice (tenant_id, id, title, summary, steps, state, created_at,"
					   " updated_at) VALUES (1, $1, $2, $3, $4, $5, 0, 0)", "issss", id, rows[i][2],
					rows[i][3], rows[i][4], rows[i][1]), DB_DONE);
		assert_int_equal(search_index_write(d, &search_practices, 1, id,
						    arena_printf(a, "%s\n%s\n%s\n", rows[i][2], rows[i][3], rows[i][4])), 0);
	}
	assert_int_equal(db_commit(d), 0);
}

/* The ids the library gives an anonymous reader for q, ','-joined. */
static const char *found(db *d, arena *a, const char *q)
{
	struct principal anon = { .tenant_id = 1 };
	struct practice_filter f = { .q = q, .page = 1, .per_page = 100 };
	struct practice_page pg;
	buf b = BUF_INIT;
	const char *out;

	assert_int_equal(practice_list(d, a, &anon, &f, &pg), 0);
	assert_int_equal(pg.total, pg.n);
	for (int i = pg.n - 1; i >= 0; i--)
		buf_printf(&b, "%s%lld", b.len ? "," : "", (long long)pg.items[i].id);
	out = arena_strdup(a, b.s ? b.s : "");
	buf_release(&b);
	return out;
}

static void both_indexes_hold_the_same_pairs_and_the_library_searches_as_the_board(void **state)
{
	struct tenant_fixture *f = *state;
	db *d = f->d;
	arena *a = f->a;
	const char *text = "缆线 整治\nWiFi入户　改造";

	fill(d, a);
	/* The same text gives the same pairs in either index: folded, none with a blank. */
	assert_int_equal(db_begin(d, DB_WRITE), 0);
	assert_int_equal(search_index_write(d, &search_problems, 1, 1, text), 0);
	assert_int_equal(search_index_write(d, &search_practices, 1, 4, text), 0);
	assert_int_equal(db_commit(d), 0);
	assert_string_equal(pairs_of(d, a, false, 1), pairs_of(d, a, true, 4));
	assert_non_null(strstr(pairs_of(d, a, true, 4), "wi|"));
	assert_null(strstr(pairs_of(d, a, true, 4), " "));
	/* Writing again replaces the entries. */
	assert_int_equal(db_begin(d, DB_WRITE), 0);
	assert_int_equal(search_index_write(d, &search_practices, 1, 4, "缆线草稿\n未公开的缆线做法\n\n"), 0);
	assert_int_equal(db_commit(d), 0);
	assert_null(strstr(pairs_of(d, a, true, 4), "wi"));

	assert_string_equal(found(d, a, "缆线"), "1,2");      /* 4 is a draft */
	assert_string_equal(found(d, a, "网格"), "1,3");
	assert_string_equal(found(d, a, "网格员"), "1,3");
	assert_string_equal(found(d, a, "wifi"), "1");
	assert_string_equal(found(d, a, "WIFI 入地"), "1");
	assert_string_equal(found(d, a, "100%"), "2");
	assert_string_equal(found(d, a, "区_社"), "3");
	assert_string_equal(found(d, a, "%"), "2");
	assert_string_equal(found(d, a, "_"), "3");
	assert_string_equal(found(d, a, "垃"), "3");             /* one character: a scan */
	assert_string_equal(found(d, a, "fi村"), "");           /* the pair spans two fields */
	assert_string_equal(found(d, a, "蜘蛛 整治"), "2");
	assert_string_equal(found(d, a, "没有"), "");
	assert_string_equal(found(d, a, NULL), "1,2,3");
}

#define BOTH(fx) \
	cmocka_unit_test_prestate_setup_teardown(both_indexes_hold_the_same_pairs_and_the_library_searches_as_the_board, \
						 tenant_fixture_setup, tenant_fixture_teardown, fx)

int main(void)
{
	const struct CMUnitTest sqlite_tests[] = {
		cmocka_unit_test(the_moves_are_draft_to_recommended_to_adopted_and_edits_in_draft),
		cmocka_unit_test(only_claims_declared_solved_may_be_linked),
		cmocka_unit_test(the_public_list_and_the_schema_check_are_the_states),
		cmocka_unit_test(a_plan_matches_the_terms_the_pairs_leave_undecided),
		BOTH(&sqlite_fx),
	};
	const struct CMUnitTest pg_tests[] = { BOTH(&pg_fx) };
	int failed;

	failed = cmocka_run_group_tests_name("practices on SQLite", sqlite_tests, NULL, NULL);
	if (testdb_pg_wanted("test_practice", &failed))
		failed += cmocka_run_group_tests_name("practices on PostgreSQL", pg_tests, NULL, NULL);
	return failed ? 1 : 0;
}
