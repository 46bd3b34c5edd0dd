/* test_search.c - search by several terms and by names: splitting a query
 * into terms, the searchable text, the board's answers for titles,
 * descriptions and the counted claim's unit, lead and owner (and not a
 * rejected claim's), and migration 7, which must leave a store exactly as
 * the domain indexes it (both stores). */
#include "testdb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/problem.h"
#include "domain/search.h"
#include "store/schema.h"
#include "util/buf.h"

static struct tenant_fixture sqlite_fx = { .s.kind = DB_SQLITE, .name = "search" };
static struct tenant_fixture pg_fx = { .s.kind = DB_POSTGRES, .name = "search" };

/* ---- terms and text (pure) ---------------------------------------------- */

/* The terms of q joined by '|'. */
static const char *terms_of(arena *a, const char *q, int *n)
{
	const char *t[SEARCH_MAX_TERMS];
	buf b = BUF_INIT;
	char *s;

	*n = search_terms(a, q, t, SEARCH_MAX_TERMS);
	for (int i = 0; i < *n && i < SEARCH_MAX_TERMS; i++) {
		if (i)
			buf_putc(&b, '|');
		buf_puts(&b, t[i]);
	}
	s = arena_strdup(a, b.s ? b.s : "");
	buf_release(&b);
	return s;
}

static void a_query_splits_at_ascii_and_full_width_blanks_into_folded_terms(void **state)
{
	arena *a = arena_new();
	int n;

	assert_string_equal(terms_of(a, "缆线 整治", &n), "缆线|整治");
	assert_int_equal(n, 2);
	assert_string_equal(terms_of(a, "缆线\xe3\x80\x80整治", &n), "缆线|整治"); /* U+3000 */
	assert_string_equal(terms_of(a, " \t缆线\t\t整治\r\n ", &n), "缆线|整治");
	assert_string_equal(terms_of(a, "\xe3\x80\x80\xe3\x80\x80缆\xe3\x80\x80", &n), "缆");
	assert_string_equal(terms_of(a, "Cable 5G", &n), "cable|5g");
	assert_string_equal(terms_of(a, "", &n), "");
	assert_int_equal(n, 0);
	assert_string_equal(terms_of(a, "  \t\xe3\x80\x80 ", &n), "");
	assert_int_equal(n, 0);
	/* Other full-width characters are no blanks: U+3001 、 stays in the term. */
	assert_string_equal(terms_of(a, "缆线、整治", &n), "缆线、整治");
	arena_free(a);
}

static void a_term_that_repeats_or_lies_inside_another_is_dropped(void **state)
{
	arena *a = arena_new();
	int n;

	assert_string_equal(terms_of(a, "缆线 缆线", &n), "缆线");
	assert_int_equal(n, 1);
	assert_string_equal(terms_of(a, "CABLE cable", &n), "cable");
	assert_string_equal(terms_of(a, "缆线 空中缆线 整治", &n), "空中缆线|整治");
	assert_string_equal(terms_of(a, "线 缆线整治 整治", &n), "缆线整治");
	arena_free(a);
}

static void terms_beyond_the_fifth_are_counted_but_not_returned(void **state)
{
	arena *a = arena_new();
	int n;

	assert_string_equal(terms_of(a, "一 二 三 四 五 六 七", &n), "一|二|三|四|五");
	assert_int_equal(n, 7);
	assert_string_equal(terms_of(a, "一 二 三 四 五 五 一", &n), "一|二|三|四|五");
	assert_int_equal(n, 5);
	arena_free(a);
}

static void the_searchable_text_is_title_description_and_names_folded(void **state)
{
	arena *a = arena_new();

	assert_string_equal(search_text(a, "基站Cable改造", "FTTH入户", NULL, NULL, NULL), "基站cable改造\nftth入户");
	assert_string_equal(search_text(a, "道路整治", "", "5G网络Ops中心", "高志瑞", "Anna Li"),
			    "道路整治\n\n5g网络ops中心\n高志瑞\nanna li");
	assert_string_equal(search_like(a, "5%_\\G"), "%5\\%\\_\\\\g%");
	assert_string_equal(search_like(a, ""), "");
	arena_free(a);
}

/* ---- a small campaign ----------------------------------------------------- */

/* Units, people and problems, each problem with its claims, in a store at
 * version 6 or later (nothing here names problem.search_text). Problem 2's
 * only claim was rejected; problem 5 is not on the board. */
static const char *const campaign_sql[] = {
	"INSERT INTO batch (tenant_id, id, name, year, phase, opens_at, closes_at) VALUES (1, 1, '2022年第一批', 2022, 'working', 0, 0)",
	"INSERT INTO category (tenant_id, id, name, position) VALUES (1, 1, '城市建设类', 1)",
	"INSERT INTO unit (tenant_id, id, name, kind) VALUES (1, 1, '县委宣传部', 'county_dept'),"
	" (1, 2, '县住房和城乡建设局', 'county_dept'), (1, 3, '倴城镇', 'town'), (1, 4, '5G网络Ops中心', 'enterprise')",
	"INSERT INTO person (tenant_id, id, name, unit_id, rank, title) VALUES (1, 1, '高志瑞', 1, 'county', '县委副书记'),"
	" (1, 2, '赵文华', 1, 'section', ''), (1, 3, '钱多多', 2, 'section', ''), (1, 4, '孙立新', 2, 'section', ''),"
	" (1, 5, 'Anna Li', 4, 'none', '')",
	"INSERT INTO problem (tenant_id, id, batch_id, category_id, title, description, proposer_name, state,"
	" created_at, updated_at) VALUES"
	" (1, 1, 1, 1, '城区空中缆线专项整治工作', '线缆杂乱，存在安全隐患。', '县委宣传部', 'in_progress', 1, 1),"
	" (1, 2, 1, 1, '缆线入地', '老城区缆线入地改造。', '县住房和城乡建设局', 'published', 2, 2),"
	" (1, 3, 1, 1, '道路整治', '背街小巷路面破损。', '倴城镇', 'claimed', 3, 3),"
	" (1, 4, 1, 1, '基站Cable改造', 'FTTH入户', '5G网络Ops中心', 'solved', 4, 4),"
	" (1, 5, 1, 1, '缆线整治方案', '尚未遴选。', '县委宣传部', 'proposed', 5, 5),"
	" (1, 6, 1, 1, '县城缆线', '整治', '县委宣传部', 'published', 6, 6)",
	"INSERT INTO claim (tenant_id, id, problem_id, unit_id, lead_person_id, owner_person_id, state, applied_at) VALUES"
	" (1, 1, 1, 1, 1, 2, 'signed', 1), (1, 2, 2, 2, 3, 4, 'rejected', 1),"
	" (1, 3, 3, 3, 1, 4, 'approved', 1), (1, 4, 4, 4, 5, 5, 'solved', 1)",
};
enum { NPROBLEMS = 6 };

static void fill(db *d)
{
	for (size_t i = 0; i < sizeof(campaign_sql) / sizeof(campaign_sql[0]); i++)
		if (db_exec(d, campaign_sql[i]) < 0)
			fail_msg("%s: %s", campaign_sql[i], db_errmsg(d));
}

static void reindex_all(db *d)
{
	assert_int_equal(db_begin(d, DB_WRITE), 0);
	for (int64_t id = 1; id <= NPROBLEMS; id++)
		assert_int_equal(search_reindex_problem(d, 1, id), 0);
	assert_int_equal(search_reindex_problem(d, 1, 99), 1); /* no such problem */
	assert_int_equal(db_commit(d), 0);
}

/* The ids the board finds for q, in id order, as "1,6", with the total
 * checked against them. */
static const char *found(db *d, arena *a, const char *q, const char *unit_kind)
{
	struct problem_filter f = { .q = q, .unit_kind = unit_kind, .sort = SORT_ID, .page = 1,
				    .per_page = PROBLEM_MAX_PER_PAGE, .now = 10 };
	struct problem_page pg;
	buf b = BUF_INIT;
	char *s;

	if (problem_list(d, a, 1, &f, &pg) < 0)
		fail_msg("problem_list(%s): %s", q, db_errmsg(d));
	assert_int_equal(pg.total, pg.n);
	for (int i = 0; i < pg.n; i++)
		buf_printf(&b, "%s%lld", i ? "," : "", (long long)pg.items[i].id);
	s = arena_strdup(a, b.s ? b.s : "");
	buf_release(&b);
	return s;
}

#define FINDS(q, ids) assert_string_equal(found(d, a, (q), NULL), (ids))

/* What the board answers for the campaign above. */
static void check_answers(db *d, arena *a)
{
	FINDS("缆线", "1,2,6");
	/* Every term, anywhere in the text, in any order, between any blanks. */
	FINDS("缆线 整治", "1,6");
	FINDS("整治 缆线", "1,6");
	FINDS("缆线\xe3\x80\x80整治", "1,6");
	FINDS("\t整治  缆线 ", "1,6");
	FINDS("缆线 整治 道路", "");
	/* A term does not run across the line between title and description. */
	FINDS("缆线整治", "");
	/* One-character terms are checked by LIKE alone. */
	FINDS("缆", "1,2,6");
	FINDS("缆 治", "1,6");
	FINDS("缆 治 城区", "1");
	/* The counted claim's lead, owner and unit; not those of a rejected claim. */
	FINDS("高志瑞", "1,3");
	FINDS("赵文华", "1");
	FINDS("孙立新", "3");
	FINDS("钱多多", "");
	FINDS("宣传部", "1");
	FINDS("县住房和城乡建设局", "");
	FINDS("倴城镇", "3");
	FINDS("高志瑞 缆线", "1");
	FINDS("高志瑞 整治", "1,3");
	FINDS("高志瑞 赵文华", "1");
	/* ASCII letters in any case; a name with a blank is two terms. */
	FINDS("CABLE", "4");
	FINDS("ops 5g", "4");
	FINDS("Anna Li", "4");
	FINDS("ftth anna", "4");
	FINDS("5g 整治", "");
	/* Nothing matches: a pair no problem has, wildcards, a problem not on the board. */
	FINDS("不存在 缆线", "");
	FINDS("缆线 不存在", "");
	FINDS("%", "");
	FINDS("_", "");
	FINDS("缆线 %", "");
	FINDS("方案", "");
	/* Only the first five terms are searched. */
	FINDS("缆线 整治 城 区 空 无", "1");
	/* With the other filters. */
	assert_string_equal(found(d, a, "整治", "town"), "3");
	assert_string_equal(found(d, a, "整治", "county_dept"), "1");
	/* Blanks only: no search. */
	FINDS(" \xe3\x80\x80 ", "1,2,3,4,6");
}

/* ---- the board on a migrated store ---------------------------------------- */

static void the_board_finds_every_term_in_the_text_and_the_counted_claims_names(void **state)
{
	struct tenant_fixture *f = *state;
	db *d = f->d;
	arena *a = f->a;
	int64_t n = 0;

	fill(d);
	reindex_all(d);
	check_answers(d, a);
	/* The names are in the index (not only in the text), and no pair spans a line. */
	assert_int_equal(db_scalar(d, "SELECT count(*) FROM problem_gram WHERE tenant_id = 1 AND problem_id = 1"
				   " AND gram = '志瑞'", &n, 0), 0);
	assert_int_equal(n, 1);
	assert_int_equal(db_scalar(d, "SELECT count(*) FROM problem_gram WHERE gram LIKE '%\n%' OR gram LIKE '% %'",
				   &n, 0), 0);
	assert_int_equal(n, 0);
	/* A claim that becomes counted: once the verb reindexes, its names are found. */
	assert_int_equal(db_exec(d, "UPDATE claim SET state = 'approved' WHERE tenant_id = 1 AND id = 2"), 0);
	assert_string_equal(found(d, a, "钱多多", NULL), "");
	assert_int_equal(db_begin(d, DB_WRITE), 0);
	assert_int_equal(search_reindex_problem(d, 1, 2), 0);
	assert_int_equal(db_commit(d), 0);
	assert_string_equal(found(d, a, "钱多多", NULL), "2");
	assert_string_equal(found(d, a, "住房 孙立新", NULL), "2");
	/* And one that no longer is: its names go. */
	assert_int_equal(db_exec(d, "UPDATE claim SET state = 'withdrawn' WHERE tenant_id = 1 AND id = 1"), 0);
	assert_int_equal(db_begin(d, DB_WRITE), 0);
	assert_int_equal(search_reindex_problem(d, 1, 1), 0);
	assert_int_equal(db_commit(d), 0);
	assert_string_equal(found(d, a, "赵文华", NULL), "");
	assert_string_equal(found(d, a, "高志瑞", NULL), "3");
	assert_string_equal(found(d, a, "缆线 整治", NULL), "1,6");
}

/* ---- migration 7 ---------------------------------------------------------- */

/* A store brought to version 6 only, with tenant 1. */
static db *store_at_version_6(struct tenant_fixture *f)
{
	db *d;

	testdb_make(&f->s, f->s.kind, "search7");
	d = testdb_open(f->s.url);
	assert_int_equal(db_begin(d, DB_WRITE), 0);
	assert_int_equal(db_schema_version(d), 0);
	for (int i = 0; i < migrations_count && migrations[i].version <= 6; i++) {
		const char *extra = db_kind(d) == DB_SQLITE ? migrations[i].sqlite_sql : migrations[i].pg_sql;
		if (db_exec(d, migrations[i].sql) < 0 || (extra && db_exec(d, extra) < 0))
			fail_msg("migration %d: %s", migrations[i].version, db_errmsg(d));
		assert_int_equal(db_run(d, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, 0)",
					"is", (int64_t)migrations[i].version, migrations[i].name), DB_DONE);
	}
	assert_int_equal(db_exec(d, "INSERT INTO tenant (id, slug, name, created_at) VALUES (1, 'a', 'A', 0)"), 0);
	assert_int_equal(db_commit(d), 0);
	assert_int_equal(db_schema_version(d), 6);
	return d;
}

/* The index as version 6 kept it: the pairs of the title and the
 * description, ASCII letters folded. */
static void index_as_version_6(db *d, arena *a)
{
	db_stmt *st = db_prepare(d, "SELECT id, title || '\n' || description FROM problem WHERE tenant_id = 1");
	int64_t ids[NPROBLEMS];
	const char *texts[NPROBLEMS];
	int n = 0;

	assert_non_null(st);
	while (db_step(st) == DB_ROW && n < NPROBLEMS) {
		ids[n] = db_col_int(st, 0);
		texts[n++] = arena_strdup(a, db_col_text(st, 1));
	}
	db_done(st);
	assert_int_equal(n, NPROBLEMS);
	for (int i = 0; i < n; i++) {
		const char *g[256];
		int k = search_grams(a, texts[i], g, 256);
		for (int j = 0; j < k; j++)
			assert_int_equal(db_run(d, "INSERT INTO problem_gram (tenant_id, gram, problem_id) VALUES (1, $1, $2)",
						"si", g[j], ids[i]), DB_DONE);
	}
}

static int by_string(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* Every problem's searchable text and every index entry, in an order that
 * does not depend on the store's collation. */
static const char *snapshot(db *d, arena *a)
{
	db_stmt *st = db_prepare(d, "SELECT problem_id, gram FROM problem_gram WHERE tenant_id = 1");
	const char **rows = NULL;
	int n = 0, cap = 0;
	buf b = BUF_INIT;
	char *s;

	assert_non_null(st);
	while (db_step(st) == DB_ROW)
		*ARENA_PUSH(a, rows, n, cap) = arena_printf(a, "%lld %s", (long long)db_col_int(st, 0), db_col_text(st, 1));
	db_done(st);
	qsort(rows, (size_t)n, sizeof(*rows), by_string);
	st = db_prepare(d, "SELECT id, search_text FROM problem WHERE tenant_id = 1 ORDER BY id");
	assert_non_null(st);
	while (db_step(st) == DB_ROW)
		buf_printf(&b, "%lld [%s]\n", (long long)db_col_int(st, 0), db_col_text(st, 1));
	db_done(st);
	for (int i = 0; i < n; i++)
		buf_printf(&b, "%s\n", rows[i]);
	s = arena_strdup(a, b.s);
	buf_release(&b);
	return s;
}

static void migration_7_leaves_the_store_as_the_domain_would_index_it(void **state)
{
	struct tenant_fixture *f = *state;
	arena *a = arena_new();
	char err[256];
	const char *migrated;
	int64_t version = 0;
	db *d = store_at_version_6(f);

	fill(d);
	index_as_version_6(d, a);
	assert_int_equal(db_migrate(d, err, sizeof(err)), 0);
	assert_int_equal(db_schema_version(d), db_latest_version());
	assert_int_equal(db_scalar(d, "SELECT data_version FROM tenant WHERE id = 1", &version, 0), 0);
	assert_int_equal(version, 1); /* answers changed */
	migrated = snapshot(d, a);
	assert_non_null(strstr(migrated, "4 [基站cable改造\nftth入户\n5g网络ops中心\nanna li\nanna li]"));
	assert_non_null(strstr(migrated, "2 [缆线入地\n老城区缆线入地改造。]")); /* a rejected claim adds nothing */
	assert_non_null(strstr(migrated, "\n3 立新\n"));
	check_answers(d, a);
	reindex_all(d);
	assert_string_equal(snapshot(d, a), migrated);
	db_close(d);
	testdb_drop(&f->s);
	arena_free(a);
}

#define BOTH(fx) \
	cmocka_unit_test_prestate_setup_teardown(the_board_finds_every_term_in_the_text_and_the_counted_claims_names, \
						 tenant_fixture_setup, tenant_fixture_teardown, fx), \
	cmocka_unit_test_prestate(migration_7_leaves_the_store_as_the_domain_would_index_it, fx)

int main(void)
{
	const struct CMUnitTest sqlite_tests[] = {
		cmocka_unit_test(a_query_splits_at_ascii_and_full_width_blanks_into_folded_terms),
		cmocka_unit_test(a_term_that_repeats_or_lies_inside_another_is_dropped),
		cmocka_unit_test(terms_beyond_the_fifth_are_counted_but_not_returned),
		cmocka_unit_test(the_searchable_text_is_title_description_and_names_folded),
		BOTH(&sqlite_fx),
	};
	const struct CMUnitTest pg_tests[] = { BOTH(&pg_fx) };
	int failed;

	failed = cmocka_run_group_tests_name("search on SQLite", sqlite_tests, NULL, NULL);
	if (testdb_pg_wanted("test_search", &failed))
		failed += cmocka_run_group_tests_name("search on PostgreSQL", pg_tests, NULL, NULL);
	return failed ? 1 : 0;
}
