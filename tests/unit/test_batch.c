/* test_batch.c - batches: the phase by hand or by dates, the as-of date of
 * a closed batch, refusals that name the phase and its dates, and the
 * rules of creating and editing (both stores). */
#include "testdb.h"

#include "domain/batch.h"
#include "util/log.h"

static struct tenant_fixture sqlite_fx = { .s.kind = DB_SQLITE, .name = "batch" };
static struct tenant_fixture pg_fx = { .s.kind = DB_POSTGRES, .name = "batch" };

#define D(s) bind_parse_date(s)

static void the_phase_follows_the_dates_or_the_hand(void **state)
{
	struct batch b = { .name = "2027年第一批", .by_dates = true, .phase = PHASE_WORKING };
	arena *a = arena_new();

	b.dates[PHASE_COLLECTING] = (struct batch_dates){ D("2027-01-01"), D("2027-02-28") + 86399 };
	b.dates[PHASE_SCREENING] = (struct batch_dates){ D("2027-03-01"), D("2027-03-31") + 86399 };
	b.dates[PHASE_CLOSED] = (struct batch_dates){ D("2027-12-01"), D("2027-12-31") + 86399 };
	assert_int_equal(batch_phase_now(&b, D("2026-12-31")), PHASE_COLLECTING); /* not begun */
	assert_int_equal(batch_phase_now(&b, D("2027-02-28") + 86399), PHASE_COLLECTING);
	assert_int_equal(batch_phase_now(&b, D("2027-03-01")), PHASE_SCREENING);
	assert_int_equal(batch_phase_now(&b, D("2027-06-01")), PHASE_SCREENING); /* between: the last begun */
	assert_int_equal(batch_phase_now(&b, D("2028-06-01")), PHASE_CLOSED);
	/* A closed batch is seen as of the end of its last working phase. */
	assert_int_equal(batch_as_of(&b, D("2028-06-01")), D("2027-03-31") + 86399);
	assert_int_equal(batch_as_of(&b, D("2027-06-01")), D("2027-06-01"));
	/* The refusal names the batch, the phase it is in, its dates and where the action belongs. */
	assert_null(batch_phase_refusal(a, &b, PHASE_SCREENING, D("2027-03-05"), "出卷"));
	assert_string_equal(batch_phase_refusal(a, &b, PHASE_COLLECTING, D("2027-03-05"), "出卷"),
			    "“2027年第一批”现处于“遴选”阶段（2027-03-01 至 2027-03-31），不能出卷；出卷在“征集”阶段进行");
	b.by_dates = false;
	assert_int_equal(batch_phase_now(&b, D("2027-01-05")), PHASE_WORKING);
	arena_free(a);
}

static struct batch_in input(arena *a, const char *name, const char *phases)
{
	/* phases: "collecting 2027-01-01 2027-02-28;..." */
	struct batch_phase_in *ph = arena_alloc(a, PHASE_COUNT * sizeof(*ph));
	struct batch_in in = { .name = name, .year = 2027, .by_dates = phases != NULL, .phases = { ph, 0 } };
	char code[16], s[11], e[11];
	int used;

	for (const char *p = phases; p && sscanf(p, "%15s %10s %10s%n", code, s, e, &used) == 3; p += used) {
		ph[in.phases.n++] = (struct batch_phase_in){ arena_strdup(a, code), D(s), D(e) };
		if (p[used] == ';')
			used++;
	}
	return in;
}

static void batches_are_checked_written_and_audited(void **state)
{
	struct tenant_fixture *f = *state;
	struct principal admin = { .tenant_id = 1, .user_id = 1, .login = "admin", .roles = ROLE_ADMIN };
	struct principal cadre = { .tenant_id = 1, .user_id = 2, .login = "cadre", .roles = ROLE_CADRE };
	struct batch_in in = input(f->a, "2027年第一批", "collecting 2027-01-01 2027-02-28;screening 2027-03-01 2027-03-31");
	struct batch b;
	struct ctx c;
	int64_t id, n = -1;

	log_quiet(1);
	ctx_init(&c, f->d, f->a, &cadre, "");
	assert_int_equal(batch_create(&c, &in, &id), JB_EDENIED);
	ctx_init(&c, f->d, f->a, &admin, "");
	assert_int_equal(batch_create(&c, &in, &id), JB_OK);
	assert_int_equal(batch_get(f->d, f->a, 1, id, &b), 0);
	assert_true(b.by_dates);
	assert_int_equal(b.dates[PHASE_SCREENING].ends, D("2027-03-31") + 86399);
	assert_int_equal(b.opens_at, D("2027-01-01"));
	/* The same name again is a conflict on the name. */
	ctx_init(&c, f->d, f->a, &admin, "");
	assert_int_equal(batch_create(&c, &in, &id), JB_ECONFLICT);
	assert_string_equal(c.errs[0].field, "name");
	/* Overlapping, reversed and repeated phases; nothing to follow. */
	const char *bad[] = { "collecting 2027-01-01 2027-03-05;screening 2027-03-01 2027-03-31",
			      "collecting 2027-02-01 2027-01-01", "collecting 2027-01-01 2027-01-02;collecting 2027-02-01 2027-02-02" };
	const char *codes[] = { "phases_overlap", "ends_before_starts", "phase_twice" };
	for (int i = 0; i < 3; i++) {
		struct batch_in x = input(f->a, "另一批", bad[i]);
		ctx_init(&c, f->d, f->a, &admin, "");
		assert_int_equal(batch_create(&c, &x, &id), JB_EINVALID);
		assert_string_equal(c.errs[0].code, codes[i]);
	}
	struct batch_in none = input(f->a, "另一批", NULL);
	ctx_init(&c, f->d, f->a, &admin, "");
	assert_int_equal(batch_create(&c, &none, &id), JB_EINVALID);
	assert_string_equal(c.errs[0].field, "phase");
	/* By hand: the phase is kept, the dates are the year. */
	none.phase = "claiming";
	ctx_init(&c, f->d, f->a, &admin, "");
	assert_int_equal(batch_create(&c, &none, &id), JB_OK);
	assert_int_equal(batch_get(f->d, f->a, 1, id, &b), 0);
	assert_int_equal(batch_phase_now(&b, 0), PHASE_CLAIMING);
	/* An edit replaces the phases and is audited with before and after. */
	struct batch_in edit = input(f->a, "另一批（调整）", "working 2027-05-01 2027-10-31");
	ctx_init(&c, f->d, f->a, &admin, "");
	assert_int_equal(batch_update(&c, id, &edit), JB_OK);
	assert_int_equal(batch_get(f->d, f->a, 1, id, &b), 0);
	assert_string_equal(b.name, "另一批（调整）");
	assert_int_equal(b.dates[PHASE_WORKING].starts, D("2027-05-01"));
	ctx_init(&c, f->d, f->a, &admin, "");
	assert_int_equal(batch_update(&c, 999, &edit), JB_ENOTFOUND);
	assert_int_equal(db_scalar(f->d, "SELECT count(*) FROM audit_event WHERE action IN ('batch.create', 'batch.update')"
				   " AND outcome = 'ok'", &n, 0), 0);
	assert_int_equal(n, 3);
	assert_int_equal(db_scalar(f->d, "SELECT count(*) FROM audit_event WHERE outcome = 'denied'", &n, 0), 0);
	assert_int_equal(n, 1);
}

#define BOTH(fx) \
	cmocka_unit_test_prestate_setup_teardown(batches_are_checked_written_and_audited, tenant_fixture_setup, tenant_fixture_teardown, fx)

int main(void)
{
	const struct CMUnitTest sqlite_tests[] = { cmocka_unit_test(the_phase_follows_the_dates_or_the_hand), BOTH(&sqlite_fx) };
	const struct CMUnitTest pg_tests[] = { BOTH(&pg_fx) };
	int failed;

	failed = cmocka_run_group_tests_name("batches on SQLite", sqlite_tests, NULL, NULL);
	if (testdb_pg_wanted("test_batch", &failed))
		failed += cmocka_run_group_tests_name("batches on PostgreSQL", pg_tests, NULL, NULL);
	return failed ? 1 : 0;
}
