/* test_tally.c - the dashboard's claim tallies (schema.c m11: claim_tally,
 * claim_member_tally, claim_day_tally) equal a recount of the claims after
 * the demo and after a workload of changes to claims, teams and problems,
 * and stats_get() at now (read from the tallies) gives the same figures as
 * its full computation over the claims (STATS_FULL), for every batch and
 * for each one. On SQLite and, with JIEBANG_TEST_PG, on PostgreSQL. */
#include "testdb.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "domain/claim.h"
#include "domain/demo.h"
#include "domain/stats.h"
#include "store/db.h"
#include "util/log.h"

struct fixture {
	struct testdb s;
	db *d;
};

static struct fixture sqlite_fx = { .s.kind = DB_SQLITE };
static struct fixture pg_fx = { .s.kind = DB_POSTGRES };

/* Beijing time 2027-03-15 10:00, as test_demo.c. */
#define DEMO_NOW INT64_C(1805076000)

static int setup(void **state)
{
	struct fixture *f = *state;
	char err[256] = "";

	testdb_make(&f->s, f->s.kind, "tally");
	f->d = testdb_open(f->s.url);
	if (db_migrate(f->d, err, sizeof(err)) < 0)
		fail_msg("%s", err);
	if (demo_create_at(f->d, DEMO_NOW, err, sizeof(err)) < 0)
		fail_msg("demo_create_at: %s", err);
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	db_close(f->d);
	testdb_drop(&f->s);
	return 0;
}

/* ---- the tallies against a recount ------------------------------------ */

#define FINAL "(k.final_at IS NOT NULL AND k.score IS NOT NULL AND k.state = 'accepted')"
#define RECOUNT_CLAIMS \
	"SELECT k.tenant_id, p.batch_id, p.category_id, k.unit_id, k.state," \
	" CASE WHEN " FINAL " THEN 1 ELSE 0 END AS final, CASE WHEN " FINAL " THEN k.grade ELSE '' END AS grade," \
	" k.light, count(*) AS n, sum(CASE WHEN " FINAL " THEN k.score ELSE 0 END) AS s" \
	" FROM claim k JOIN problem p ON p.tenant_id = k.tenant_id AND p.id = k.problem_id" \
	" GROUP BY k.tenant_id, p.batch_id, p.category_id, k.unit_id, k.state," \
	" CASE WHEN " FINAL " THEN 1 ELSE 0 END, CASE WHEN " FINAL " THEN k.grade ELSE '' END, k.light"
#define TALLY_CLAIMS \
	"SELECT tenant_id, batch_id, category_id, unit_id, state, final, grade, light, n, score_sum FROM claim_tally" \
	" WHERE n <> 0"
#define RECOUNT_MEMBERS \
	"SELECT m.tenant_id, p.batch_id, m.person_id, count(*) FROM claim_member m" \
	" JOIN claim k ON k.tenant_id = m.tenant_id AND k.id = m.claim_id" \
	" JOIN problem p ON p.tenant_id = k.tenant_id AND p.id = k.problem_id" \
	" WHERE k.state IN ('approved','signed','solved','accepted') GROUP BY m.tenant_id, p.batch_id, m.person_id"
#define TALLY_MEMBERS "SELECT tenant_id, batch_id, person_id, n FROM claim_member_tally WHERE n <> 0"
#define DAYS(kind, col, states) \
	"SELECT k.tenant_id, p.batch_id, " kind " AS kind, (k." col " + 28800) / 86400 AS day FROM claim k" \
	" JOIN problem p ON p.tenant_id = k.tenant_id AND p.id = k.problem_id" \
	" WHERE k." col " IS NOT NULL AND k.state IN " states
#define RECOUNT_DAYS \
	"SELECT tenant_id, batch_id, kind, day, count(*) FROM (" \
	DAYS("0", "approved_at", "('approved','signed','solved','accepted')") " UNION ALL " \
	DAYS("1", "solved_at", "('solved','accepted')") " UNION ALL " DAYS("2", "accepted_at", "('accepted')") \
	") x GROUP BY tenant_id, batch_id, kind, day"
#define TALLY_DAYS "SELECT tenant_id, batch_id, kind, day, n FROM claim_day_tally WHERE n <> 0"
/* tenant_tally (migration 14) against the problems, claims, promotions and
 * practices themselves. */
#define RECOUNT_TENANT \
	"SELECT * FROM (SELECT tenant_id, 0 AS kind, state, is_public AS x, count(*) AS n FROM problem GROUP BY tenant_id, state, is_public" \
	" UNION ALL SELECT tenant_id, 1, state, light, count(*) FROM claim GROUP BY tenant_id, state, light" \
	" UNION ALL SELECT tenant_id, 2, '', 0, count(*) FROM promotion GROUP BY tenant_id" \
	" UNION ALL SELECT tenant_id, 3, state, 0, count(*) FROM practice GROUP BY tenant_id, state) r"
#define TALLY_TENANT "SELECT tenant_id, kind, state, x, n FROM tenant_tally WHERE n <> 0"

static void check_tallies(db *d)
{
	assert_int_equal(testdb_scalar(d, "SELECT count(*) FROM (" RECOUNT_CLAIMS " EXCEPT " TALLY_CLAIMS ") x"), 0);
	assert_int_equal(testdb_scalar(d, "SELECT count(*) FROM (" TALLY_CLAIMS " EXCEPT " RECOUNT_CLAIMS ") x"), 0);
	assert_int_equal(testdb_scalar(d, "SELECT count(*) FROM (" RECOUNT_MEMBERS " EXCEPT " TALLY_MEMBERS ") x"), 0);
	assert_int_equal(testdb_scalar(d, "SELECT count(*) FROM (" TALLY_MEMBERS " EXCEPT " RECOUNT_MEMBERS ") x"), 0);
	assert_int_equal(testdb_scalar(d, "SELECT count(*) FROM (" RECOUNT_DAYS " EXCEPT " TALLY_DAYS ") x"), 0);
	assert_int_equal(testdb_scalar(d, "SELECT count(*) FROM (" TALLY_DAYS " EXCEPT " RECOUNT_DAYS ") x"), 0);
	assert_int_equal(testdb_scalar(d, "SELECT count(*) FROM (" RECOUNT_TENANT " EXCEPT " TALLY_TENANT ") x"), 0);
	assert_int_equal(testdb_scalar(d, "SELECT count(*) FROM (" TALLY_TENANT " EXCEPT " RECOUNT_TENANT ") x"), 0);
}

/* ---- stats_get from the tallies against the full computation ---------- */

static void same_rows(const struct stat_row *a, int na, const struct stat_row *b, int nb)
{
	assert_int_equal(na, nb);
	for (int i = 0; i < na; i++) {
		assert_string_equal(a[i].code, b[i].code);
		assert_int_equal(a[i].total, b[i].total);
		assert_int_equal(a[i].claimed, b[i].claimed);
		assert_int_equal(a[i].solved, b[i].solved);
	}
}

static void same_stats(const struct stats *a, const struct stats *b)
{
	assert_int_equal(a->as_of, b->as_of);
	assert_int_equal(a->claimed, b->claimed);
	assert_int_equal(a->in_progress, b->in_progress);
	assert_int_equal(a->scored, b->scored);
	assert_int_equal(a->score_sum, b->score_sum);
	for (int i = 0; i < 6; i++)
		assert_int_equal(a->lights[i], b->lights[i]);
	for (int i = 0; i < 4; i++)
		assert_int_equal(a->grade[i], b->grade[i]);
	same_rows(a->units, a->nunits, b->units, b->nunits);
	same_rows(a->cadres, a->ncadres, b->cadres, b->ncadres);
	assert_int_equal(a->nunit_table, b->nunit_table);
	for (int i = 0; i < a->nunit_table; i++) {
		const struct stat_unit *x = &a->unit_table[i], *y = &b->unit_table[i];
		assert_int_equal(x->unit_id, y->unit_id);
		assert_int_equal(x->claimed, y->claimed);
		assert_int_equal(x->solved, y->solved);
		assert_int_equal(x->accepted, y->accepted);
		assert_int_equal(x->overdue, y->overdue);
		assert_int_equal(x->scored, y->scored);
		assert_int_equal(x->score_sum, y->score_sum);
	}
	assert_int_equal(a->nmonths, b->nmonths);
	for (int i = 0; i < a->nmonths; i++) {
		assert_string_equal(a->months[i].month, b->months[i].month);
		assert_int_equal(a->months[i].claimed, b->months[i].claimed);
		assert_int_equal(a->months[i].solved, b->months[i].solved);
		assert_int_equal(a->months[i].accepted, b->months[i].accepted);
	}
	assert_int_equal(a->noverdue, b->noverdue);
	for (int i = 0; i < a->noverdue; i++) {
		assert_int_equal(a->overdue[i].claim_id, b->overdue[i].claim_id);
		assert_int_equal(a->overdue[i].days_over, b->overdue[i].days_over);
		assert_int_equal(a->overdue[i].problem_id, b->overdue[i].problem_id);
		assert_int_equal(a->overdue[i].deadline, b->overdue[i].deadline);
		assert_string_equal(a->overdue[i].title, b->overdue[i].title);
		assert_string_equal(a->overdue[i].unit, b->overdue[i].unit);
	}
	assert_int_equal(a->ngrades, b->ngrades);
	for (int i = 0; i < a->ngrades; i++) {
		assert_string_equal(a->grades[i].category, b->grades[i].category);
		assert_int_equal(a->grades[i].scored, b->grades[i].scored);
		assert_int_equal(a->grades[i].score_sum, b->grades[i].score_sum);
		for (int g = 0; g < 4; g++)
			assert_int_equal(a->grades[i].grade[g], b->grades[i].grade[g]);
	}
}

/* The figures of every batch and of each one at now, both ways; the number
 * of counted claims seen, so a test can tell it looked at some. */
static int64_t check_stats(db *d, int64_t now)
{
	db_stmt *st = db_prepare(d, "SELECT id FROM batch WHERE tenant_id = 1 ORDER BY id");
	int64_t batches[16] = { 0 }, counted = 0;
	int n = 1, rc;

	assert_non_null(st);
	while ((rc = db_step(st)) == DB_ROW && n < 16)
		batches[n++] = db_col_int(st, 0);
	db_done(st);
	for (int i = 0; i < n; i++) {
		arena *a = arena_new();
		struct stats fast, full;
		assert_int_equal(stats_get(d, a, 1, batches[i], now, 0, STATS_UNITS, &fast), 0);
		assert_int_equal(stats_get(d, a, 1, batches[i], now, 0, STATS_UNITS | STATS_FULL, &full), 0);
		same_stats(&fast, &full);
		if (!batches[i])
			counted = fast.lights[0] + fast.lights[1] + fast.lights[2] + fast.lights[3] + fast.lights[4] +
				  fast.lights[5];
		arena_free(a);
	}
	return counted;
}

/* Every stored light that holds at now is claim_light_of()'s; the number
 * of claims checked. */
static int64_t check_lights(db *d, int64_t now)
{
	db_stmt *st = db_prepare(d, "SELECT id, light FROM claim WHERE tenant_id = 1 AND light_at <= $1"
				    " AND light_until > $1 ORDER BY id");
	int64_t ids[4096][2];
	int n = 0, rc;

	assert_non_null(st);
	db_bind_int(st, 1, now);
	while ((rc = db_step(st)) == DB_ROW && n < 4096) {
		ids[n][0] = db_col_int(st, 0);
		ids[n++][1] = db_col_int(st, 1);
	}
	db_done(st);
	assert_int_not_equal(rc, DB_ERROR);
	for (int i = 0; i < n; i++) {
		enum light l;
		if (claim_light_of(d, 1, ids[i][0], now, &l) != 0)
			fail_msg("claim_light_of %lld", (long long)ids[i][0]);
		if ((int64_t)l != ids[i][1])
			fail_msg("claim %lld at %lld: stored light %lld, claim_light_of %d", (long long)ids[i][0],
				 (long long)now, (long long)ids[i][1], (int)l);
	}
	return n;
}

/* ---- the tests --------------------------------------------------------- */

static void test_the_demo_tallies_equal_a_recount(void **state)
{
	struct fixture *f = *state;

	check_tallies(f->d);
	assert_true(testdb_scalar(f->d, "SELECT count(*) FROM claim_tally WHERE n > 0 AND state = 'solved'") > 0);
	assert_true(testdb_scalar(f->d, "SELECT count(*) FROM claim_member_tally WHERE n > 0") > 0);
	assert_true(check_stats(f->d, DEMO_NOW) > 0);
	assert_true(check_lights(f->d, DEMO_NOW) > 0);
	check_tallies(f->d);
}

/* A workload touching every key of the tallies: states, units, scores
 * made final, stamps, teams, claims added and removed, problems moved to
 * another batch and category. */
static void test_the_tallies_follow_every_change(void **state)
{
	struct fixture *f = *state;
	db *d = f->d;
	int64_t counted;

	testdb_exec(d, "UPDATE claim SET state = 'withdrawn' WHERE tenant_id = 1 AND id IN"
		   " (SELECT min(id) FROM claim WHERE tenant_id = 1 AND state = 'signed')");
	/* practices and promotions move tenant_tally (migration 14) */
	testdb_exec(d, "INSERT INTO practice (tenant_id, id, title, summary, state, created_at, updated_at)"
		   " VALUES (1, 9001, 'tally', 'tally', 'draft', 0, 0), (1, 9002, 'tally2', 'tally2', 'draft', 0, 0)");
	testdb_exec(d, "UPDATE practice SET state = 'adopted' WHERE tenant_id = 1 AND id = 9001");
	testdb_exec(d, "DELETE FROM practice WHERE tenant_id = 1 AND id = 9002");
	testdb_exec(d, "DELETE FROM promotion_claim WHERE tenant_id = 1 AND promotion_id = (SELECT min(id) FROM promotion WHERE tenant_id = 1)");
	testdb_exec(d, "DELETE FROM promotion WHERE tenant_id = 1 AND id = (SELECT min(id) FROM promotion WHERE tenant_id = 1)");
	testdb_exec(d, "UPDATE claim SET state = 'solved', solved_at = approved_at + 86400 * 40 WHERE tenant_id = 1 AND id IN"
		   " (SELECT max(id) FROM claim WHERE tenant_id = 1 AND state = 'signed')");
	testdb_exec(d, "UPDATE claim SET state = 'accepted', accepted_at = solved_at + 86400 * 10, score = 9100,"
		   " grade = 'excellent', final_at = solved_at + 86400 * 20 WHERE tenant_id = 1 AND id IN"
		   " (SELECT min(id) FROM claim WHERE tenant_id = 1 AND state = 'solved')");
	testdb_exec(d, "UPDATE claim SET state = 'accepted', accepted_at = solved_at + 86400 * 10 WHERE tenant_id = 1"
		   " AND id IN (SELECT max(id) FROM claim WHERE tenant_id = 1 AND state = 'solved')");
	testdb_exec(d, "UPDATE claim SET state = 'accepted', accepted_at = solved_at + 86400 * 12 WHERE tenant_id = 1"
		   " AND id IN (SELECT min(id) FROM claim WHERE tenant_id = 1 AND state = 'solved')");
	testdb_exec(d, "UPDATE claim SET score = 8750, grade = 'good', final_at = accepted_at + 1 WHERE tenant_id = 1"
		   " AND id IN (SELECT min(id) FROM claim WHERE tenant_id = 1 AND state = 'accepted' AND final_at IS NULL)");
	testdb_exec(d, "UPDATE claim SET score = score + 100 WHERE tenant_id = 1 AND id IN"
		   " (SELECT max(id) FROM claim WHERE tenant_id = 1 AND final_at IS NOT NULL AND score IS NOT NULL)");
	testdb_exec(d, "UPDATE claim SET unit_id = (SELECT max(id) FROM unit WHERE tenant_id = 1) WHERE tenant_id = 1"
		   " AND id IN (SELECT max(id) FROM claim WHERE tenant_id = 1 AND state = 'accepted')");
	testdb_exec(d, "DELETE FROM claim_member WHERE tenant_id = 1 AND role = 'member' AND claim_id IN"
		   " (SELECT min(claim_id) FROM claim_member WHERE tenant_id = 1 AND role = 'member')");
	testdb_exec(d, "UPDATE claim_member SET person_id = (SELECT max(pe.id) FROM person pe WHERE pe.tenant_id = 1"
		   " AND pe.id NOT IN (SELECT x.person_id FROM claim_member x WHERE x.tenant_id = 1 AND x.claim_id ="
		   " claim_member.claim_id)) WHERE tenant_id = 1 AND role = 'member' AND claim_id = (SELECT max(claim_id)"
		   " FROM claim_member WHERE tenant_id = 1 AND role = 'member') AND person_id = (SELECT min(y.person_id)"
		   " FROM claim_member y WHERE y.tenant_id = 1 AND y.role = 'member' AND y.claim_id = (SELECT"
		   " max(z.claim_id) FROM claim_member z WHERE z.tenant_id = 1 AND z.role = 'member'))");
	assert_true(testdb_scalar(d, "SELECT count(*) FROM claim_tally WHERE n > 0 AND final = 1") > 0);
	/* a problem with its claims moved to this year's batch and another
	 * category; stamps of the as-of day itself before and after now */
	testdb_exec(d, "UPDATE problem SET batch_id = (SELECT max(id) FROM batch WHERE tenant_id = 1),"
		   " category_id = (SELECT max(id) FROM category WHERE tenant_id = 1) WHERE tenant_id = 1 AND id IN"
		   " (SELECT min(problem_id) FROM claim WHERE tenant_id = 1 AND state = 'accepted' AND final_at IS NOT NULL)");
	testdb_exec(d, "UPDATE claim SET approved_at = 1805076000 - 60, accepted_at = 1805076000 + 3600 WHERE tenant_id = 1"
		   " AND problem_id IN (SELECT min(problem_id) FROM claim WHERE tenant_id = 1 AND state = 'accepted'"
		   " AND final_at IS NOT NULL)");
	/* a light and a state changed by one statement, a light alone */
	testdb_exec(d, "UPDATE claim SET light = 2, state = 'approved' WHERE tenant_id = 1 AND id IN"
		   " (SELECT min(id) FROM claim WHERE tenant_id = 1 AND state = 'signed')");
	testdb_exec(d, "UPDATE claim SET light = 4, light_until = 0 WHERE tenant_id = 1 AND id IN"
		   " (SELECT max(id) FROM claim WHERE tenant_id = 1 AND state = 'signed')");
	check_tallies(d);
	counted = check_stats(d, DEMO_NOW);
	assert_true(counted > 0);
	/* a claim's team removed */
	testdb_exec(d, "DELETE FROM claim_member WHERE tenant_id = 1 AND claim_id IN"
		   " (SELECT max(id) FROM claim WHERE tenant_id = 1 AND state = 'withdrawn')");
	check_tallies(d);
	assert_int_equal(check_stats(d, DEMO_NOW), counted);
	assert_int_equal(testdb_scalar(d, "SELECT coalesce(sum(n), 0) FROM claim_tally WHERE state = 'withdrawn'"),
			 testdb_scalar(d, "SELECT count(*) FROM claim WHERE state = 'withdrawn'"));
}

/* Claims of this year's open batch, judged by time: deadlines and
 * milestones around now, a risk mark, reports; then now moves on day by
 * day past them, and the figures follow without any write. */
static void test_the_lights_follow_time_and_every_input(void **state)
{
	struct fixture *f = *state;
	db *d = f->d;
	int64_t red0, red1;
	arena *a;
	struct stats st;

	testdb_exec(d, "UPDATE problem SET batch_id = (SELECT max(id) FROM batch WHERE tenant_id = 1) WHERE tenant_id = 1"
		   " AND id IN (SELECT problem_id FROM claim WHERE tenant_id = 1 AND state IN ('approved', 'signed'))");
	testdb_exec(d, "UPDATE claim SET deadline = 1805076000 + 86400 * (id % 23) - 86400 * 3, signed_at = 1805076000"
		   " - 86400 * 60 WHERE tenant_id = 1 AND state IN ('approved', 'signed')");
	testdb_exec(d, "UPDATE milestone SET done_at = NULL, due_at = 1805076000 + 86400 * (id % 11) WHERE tenant_id = 1"
		   " AND claim_id IN (SELECT id FROM claim WHERE tenant_id = 1 AND state = 'signed' AND id % 2 = 0)");
	testdb_exec(d, "UPDATE claim SET risk = 'red' WHERE tenant_id = 1 AND id IN (SELECT max(id) FROM claim"
		   " WHERE tenant_id = 1 AND state = 'signed')");
	check_tallies(d);
	assert_true(check_stats(d, DEMO_NOW) > 0);
	assert_true(check_lights(d, DEMO_NOW) > 0);
	check_tallies(d);
	a = arena_new();
	assert_int_equal(stats_get(d, a, 1, 0, DEMO_NOW, 0, 0, &st), 0);
	red0 = st.lights[LIGHT_RED];
	for (int day = 1; day <= 40; day += 3) {
		int64_t now = DEMO_NOW + 86400 * day;
		check_stats(d, now);
		assert_true(check_lights(d, now) > 0);
	}
	assert_int_equal(stats_get(d, a, 1, 0, DEMO_NOW + 86400 * 40, 0, 0, &st), 0);
	red1 = st.lights[LIGHT_RED];
	assert_true(red1 > red0);
	/* inputs changed by writes: a milestone done, a report, a deadline
	 * extended, the batch's warning days */
	testdb_exec(d, "UPDATE milestone SET done_at = 1805076000 WHERE tenant_id = 1 AND id IN (SELECT min(id) FROM milestone"
		   " WHERE tenant_id = 1 AND done_at IS NULL)");
	testdb_exec(d, "UPDATE claim SET deadline = deadline + 86400 * 100 WHERE tenant_id = 1 AND id IN (SELECT min(id)"
		   " FROM claim WHERE tenant_id = 1 AND state = 'signed')");
	testdb_exec(d, "UPDATE batch SET warn_days = 20 WHERE tenant_id = 1 AND id = (SELECT max(id) FROM batch"
		   " WHERE tenant_id = 1)");
	testdb_exec(d, "UPDATE claim SET state = 'solved', solved_at = 1805076000 WHERE tenant_id = 1 AND id IN"
		   " (SELECT min(id) FROM claim WHERE tenant_id = 1 AND state = 'signed' AND risk = '')");
	for (int day = 0; day <= 40; day += 8) {
		check_stats(d, DEMO_NOW + 86400 * day);
		check_lights(d, DEMO_NOW + 86400 * day);
	}
	check_tallies(d);
	arena_free(a);
}

/* With JIEBANG_TALLY_STORE (a store URL, e.g. one grown by bench/gen.c):
 * the same comparison there at the present moment, where the overdue list
 * has more than STATS_OVERDUE_MAX claims and ties to break. */
static void test_a_grown_store_agrees(void **state)
{
	const char *url = getenv("JIEBANG_TALLY_STORE");
	int64_t now = (int64_t)time(NULL);
	db *d;

	(void)state;
	if (!url || !*url)
		skip();
	d = testdb_open(url);
	assert_true(check_stats(d, now) > 0);
	check_tallies(d);
	db_close(d);
}

#define BOTH(fx) \
	cmocka_unit_test_prestate_setup_teardown(test_the_demo_tallies_equal_a_recount, setup, teardown, fx), \
	cmocka_unit_test_prestate_setup_teardown(test_the_tallies_follow_every_change, setup, teardown, fx), \
	cmocka_unit_test_prestate_setup_teardown(test_the_lights_follow_time_and_every_input, setup, teardown, fx)

int main(void)
{
	const struct CMUnitTest sqlite_tests[] = { BOTH(&sqlite_fx) };
	const struct CMUnitTest pg_tests[] = { BOTH(&pg_fx) };
	int failed;

	log_quiet(1);
	const struct CMUnitTest grown[] = { cmocka_unit_test(test_a_grown_store_agrees) };

	failed = cmocka_run_group_tests_name("tally on SQLite", sqlite_tests, NULL, NULL);
	if (getenv("JIEBANG_TALLY_STORE"))
		failed += cmocka_run_group_tests_name("tally on JIEBANG_TALLY_STORE", grown, NULL, NULL);
	if (testdb_pg_wanted("test_tally", &failed))
		failed += cmocka_run_group_tests_name("tally on PostgreSQL", pg_tests, NULL, NULL);
	return failed ? 1 : 0;
}
