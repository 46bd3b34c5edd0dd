/* test_asof.c - the as-of moment of a batch in SQL (domain/asof.h) is
 * batch_as_of() for every kind of batch at every moment, and overdue on the
 * board and on the problem page is judged at it (both stores). */
#include "testdb.h"

#include "domain/asof.h"
#include "domain/batch.h"
#include "domain/problem.h"
#include "util/log.h"

static struct tenant_fixture sqlite_fx = { .s.kind = DB_SQLITE, .name = "asof" };
static struct tenant_fixture pg_fx = { .s.kind = DB_POSTGRES, .name = "asof" };

#define D(s) bind_parse_date(s)
#define END(s) (bind_parse_date(s) + 86399)

static void run_ok(db *d, int rc)
{
	if (rc == DB_ERROR)
		fail_msg("%s", db_errmsg(d));
}

/* Batch id of tenant 1, its phase by hand, by_dates, closes_at. */
static void batch_row(db *d, int64_t id, const char *phase, int64_t by_dates, int64_t closes)
{
	char name[16];

	snprintf(name, sizeof(name), "批次%lld", (long long)id);
	run_ok(d, db_run(d, "INSERT INTO batch (tenant_id, id, name, year, phase, by_dates, opens_at, closes_at)"
			    " VALUES (1, $1, $2, 2027, $3, $4, $5, $6)",
			 "issiii", id, name, phase, by_dates, D("2027-01-01"), closes));
}

static void phase_row(db *d, int64_t batch, const char *phase, int64_t starts, int64_t ends)
{
	run_ok(d, db_run(d, "INSERT INTO batch_phase (tenant_id, batch_id, phase, starts_at, ends_at)"
			    " VALUES (1, $1, $2, $3, $4)", "isii", batch, phase, starts, ends));
}

enum { NBATCHES = 9 };

/* One batch of each kind the as-of rule tells apart. */
static void every_kind_of_batch(db *d)
{
	/* 1: closed by hand, dated up to its work (the demo's 2022 batch) */
	batch_row(d, 1, "closed", 0, END("2027-08-31"));
	phase_row(d, 1, "collecting", D("2027-01-01"), END("2027-01-31"));
	phase_row(d, 1, "working", D("2027-02-01"), END("2027-08-31"));
	/* 2: closed by hand, no dates: its closes_at */
	batch_row(d, 2, "closed", 0, END("2027-12-31"));
	/* 3: left in 攻坚 by hand after its closing day: still open */
	batch_row(d, 3, "working", 0, END("2027-06-30"));
	/* 4: follows dates up to a dated 结束 */
	batch_row(d, 4, "collecting", 1, END("2027-12-31"));
	phase_row(d, 4, "collecting", D("2027-01-01"), END("2027-02-28"));
	phase_row(d, 4, "screening", D("2027-03-01"), END("2027-03-31"));
	phase_row(d, 4, "closed", D("2027-12-01"), END("2027-12-31"));
	/* 5: follows dates, only 结束 dated: its closes_at */
	batch_row(d, 5, "collecting", 1, END("2027-06-30"));
	phase_row(d, 5, "closed", D("2027-06-01"), END("2027-06-30"));
	/* 6: follows dates without a 结束: never closes */
	batch_row(d, 6, "closed", 1, END("2027-10-31"));
	phase_row(d, 6, "evaluating", D("2027-09-01"), END("2027-10-31"));
	/* 7: closed by hand before its work is due to end */
	batch_row(d, 7, "closed", 0, END("2030-12-31"));
	phase_row(d, 7, "working", D("2027-01-01"), END("2030-12-31"));
	/* 8: closed by hand with no closing time at all */
	batch_row(d, 8, "closed", 0, 0);
	/* 9: closed by hand with 结束 dated too: the work's end, not 结束's */
	batch_row(d, 9, "closed", 0, END("2027-12-31"));
	phase_row(d, 9, "working", D("2027-02-01"), END("2027-08-31"));
	phase_row(d, 9, "closed", D("2027-09-01"), END("2027-12-31"));
}

static int64_t sql_as_of(db *d, int64_t id, int64_t now)
{
	db_stmt *st = db_query(d, "SELECT " BATCH_AS_OF_SQL("b", "$2") " FROM batch b WHERE b.tenant_id = 1 AND b.id = $1",
			       "ii", id, now);
	int64_t v = -1;

	if (!st)
		fail_msg("%s", db_errmsg(d));
	if (db_step(st) == DB_ROW)
		v = db_col_int(st, 0);
	db_done(st);
	return v;
}

static void the_sql_as_of_is_batch_as_of_for_every_batch_and_moment(void **state)
{
	struct tenant_fixture *f = *state;
	const int64_t nows[] = { D("2026-12-31"), D("2027-03-15"), D("2027-06-01"), END("2027-06-30"),
		D("2027-08-31"), END("2027-08-31") + 1, D("2027-12-01"), D("2029-01-01"), D("2031-06-01") };
	int closed = 0, past = 0;

	every_kind_of_batch(f->d);
	for (int64_t id = 1; id <= NBATCHES; id++) {
		struct batch b;
		assert_int_equal(batch_get(f->d, f->a, 1, id, &b), 0);
		for (size_t i = 0; i < sizeof(nows) / sizeof(nows[0]); i++) {
			int64_t want = batch_as_of(&b, nows[i]), got = sql_as_of(f->d, id, nows[i]);
			if (got != want)
				fail_msg("batch %lld at %lld: SQL %lld, batch_as_of %lld", (long long)id,
					 (long long)nows[i], (long long)got, (long long)want);
			closed += batch_phase_now(&b, nows[i]) == PHASE_CLOSED;
			past += want < nows[i];
		}
	}
	/* the cases are not all "now": closed batches are seen as of their end */
	assert_true(closed >= 20 && past >= 15);
	assert_int_equal(sql_as_of(f->d, 1, D("2031-06-01")), END("2027-08-31"));
	assert_int_equal(sql_as_of(f->d, 9, D("2031-06-01")), END("2027-08-31"));
	assert_int_equal(sql_as_of(f->d, 3, D("2031-06-01")), D("2031-06-01"));
	assert_int_equal(sql_as_of(f->d, 4, D("2027-11-30")), D("2027-11-30"));
	assert_int_equal(sql_as_of(f->d, 4, D("2028-01-01")), END("2027-03-31"));
}

/* Problem id (in progress, public) of batch 1 with a signed claim whose
 * milestones are due on the days given (0 ends), none done. */
static void working_problem(db *d, int64_t id, const int64_t *due)
{
	run_ok(d, db_run(d, "INSERT INTO problem (tenant_id, id, batch_id, category_id, title, description, proposer_name,"
			    " state, is_public, created_at, updated_at) VALUES (1, $1, 1, 1, $2, '描述', '出卷单位', 'in_progress', 1,"
			    " $3, $3)", "isi", id, id == 1 ? "六月节点未完成" : "十月节点未完成", D("2027-01-05")));
	run_ok(d, db_run(d, "INSERT INTO claim (tenant_id, id, problem_id, unit_id, lead_person_id, owner_person_id, state,"
			    " pledge, deadline, applied_at, approved_at, signed_at) VALUES (1, $1, $1, 1, 1, 1, 'signed', '军令状',"
			    " $2, $3, $3, $3)", "iii", id, END("2027-12-31"), D("2027-02-01")));
	for (int k = 0; due[k]; k++)
		run_ok(d, db_run(d, "INSERT INTO milestone (tenant_id, id, claim_id, title, due_at) VALUES (1, $1, $2, '节点', $3)",
				 "iii", id * 10 + k, id, due[k]));
}

static void overdue_fixture(db *d)
{
	const int64_t june[] = { END("2027-06-30"), END("2027-10-31"), 0 }, october[] = { END("2027-10-31"), 0 };

	assert_int_equal(db_exec(d, "INSERT INTO category (tenant_id, id, name, position) VALUES (1, 1, '其他', 1);"
				 " INSERT INTO unit (tenant_id, id, name, kind) VALUES (1, 1, '县委组织部', 'county_dept');"
				 " INSERT INTO person (tenant_id, id, name, unit_id, rank) VALUES (1, 1, '王伟', 1, 'section')"), 0);
	batch_row(d, 1, "closed", 0, END("2027-08-31"));
	phase_row(d, 1, "working", D("2027-02-01"), END("2027-08-31"));
	working_problem(d, 1, june);
	working_problem(d, 2, october);
}

/* The board's overdue flags of problems 1 and 2 at now, into flags. */
static void board_flags(db *d, arena *a, int64_t now, bool flags[2])
{
	struct problem_filter f = { .sort = SORT_ID, .page = 1, .per_page = 20, .now = now };
	struct problem_page pg;

	assert_int_equal(problem_list(d, a, 1, &f, &pg), 0);
	assert_int_equal(pg.n, 2);
	flags[0] = pg.items[0].overdue;
	flags[1] = pg.items[1].overdue;
}

static void overdue_is_judged_at_the_batch_as_of_moment(void **state)
{
	struct tenant_fixture *f = *state;
	int64_t now = D("2031-06-01");
	struct problem_detail p;
	bool flags[2];

	overdue_fixture(f->d);
	/* closed at the end of August 2027: June's node was overdue then, October's was not */
	board_flags(f->d, f->a, now, flags);
	assert_true(flags[0]);
	assert_false(flags[1]);
	assert_int_equal(problem_get(f->d, f->a, 1, 1, now, &p), 0);
	assert_true(p.overdue && p.batch_ended);
	assert_int_equal(p.as_of, END("2027-08-31"));
	assert_int_equal(p.nmilestones, 2);
	assert_true(p.milestones[0].overdue);
	assert_false(p.milestones[1].overdue);
	assert_int_equal(problem_get(f->d, f->a, 1, 2, now, &p), 0);
	assert_false(p.overdue || p.milestones[0].overdue);
	/* before the batch's end, as of now */
	assert_int_equal(problem_get(f->d, f->a, 1, 1, D("2027-05-01"), &p), 0);
	assert_false(p.overdue || p.batch_ended);
	assert_int_equal(p.as_of, D("2027-05-01"));
	/* reopened by hand, the same batch is judged today: both are overdue */
	run_ok(f->d, db_run(f->d, "UPDATE batch SET phase = 'working' WHERE tenant_id = 1 AND id = 1", ""));
	board_flags(f->d, f->a, now, flags);
	assert_true(flags[0] && flags[1]);
	assert_int_equal(problem_get(f->d, f->a, 1, 2, now, &p), 0);
	assert_true(p.overdue && p.milestones[0].overdue);
	assert_false(p.batch_ended);
	assert_int_equal(p.as_of, now);
}

#define T(fn, fx) cmocka_unit_test_prestate_setup_teardown(fn, tenant_fixture_setup, tenant_fixture_teardown, fx)
#define BOTH(fx) \
	T(the_sql_as_of_is_batch_as_of_for_every_batch_and_moment, fx), \
	T(overdue_is_judged_at_the_batch_as_of_moment, fx)

int main(void)
{
	const struct CMUnitTest sqlite_tests[] = { BOTH(&sqlite_fx) };
	const struct CMUnitTest pg_tests[] = { BOTH(&pg_fx) };
	int failed;

	log_quiet(1);
	failed = cmocka_run_group_tests_name("as-of on SQLite", sqlite_tests, NULL, NULL);
	if (testdb_pg_wanted("test_asof", &failed))
		failed += cmocka_run_group_tests_name("as-of on PostgreSQL", pg_tests, NULL, NULL);
	return failed ? 1 : 0;
}
