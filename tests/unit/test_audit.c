/* test_audit.c - the audit log's hash chain (domain/audit_chain.h), on
 * both stores: entries written through audit_record() link up; changing a
 * field, deleting an entry or blanking a hash breaks the link of the
 * first entry it touches, and audit_verify() names it; entries from
 * before the chain are sealed once by audit_seal(), and a hash blanked
 * later is not sealed again. */
#include "testdb.h"

#include "domain/audit.h"
#include "domain/audit_chain.h"
#include "util/log.h"

static struct tenant_fixture sqlite_fx = { .s.kind = DB_SQLITE, .name = "audit" };
static struct tenant_fixture pg_fx = { .s.kind = DB_POSTGRES, .name = "audit" };

/* n entries of tenant 1, in one write transaction. */
static void write_entries(db *d, int n)
{
	assert_int_equal(db_begin(d, DB_WRITE), 0);
	for (int i = 0; i < n; i++) {
		char after[64];
		snprintf(after, sizeof(after), "{\"n\":%d,\"s\":\"改 ' \\\"%%_\"}", i);
		assert_int_equal(audit_record(d, 1, i % 2 ? "admin" : "", "problem.update", "problem", i % 3 ? i : 0,
					      i % 4 ? NULL : "{}", after, "127.0.0.1"), 0);
	}
	assert_int_equal(db_commit(d), 0);
}

/* Tenant 1's check. */
static struct audit_check check(struct tenant_fixture *f)
{
	struct audit_check *k;
	int n;

	assert_int_equal(audit_verify(f->d, f->a, &k, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(k[0].tenant_id, 1);
	return k[0];
}

static void test_the_chain_holds_and_names_the_first_broken_entry(void **state)
{
	struct tenant_fixture *f = *state;
	struct audit_check k;
	int64_t n;

	write_entries(f->d, 1200); /* more than one chunk of SEAL_CHUNK */
	k = check(f);
	assert_int_equal(k.entries, 1200);
	assert_int_equal(k.broken_id, 0);
	assert_int_equal(k.unsealed, 0);
	assert_int_equal(k.head_id, 1200);
	assert_int_equal(strlen(k.head), AUDIT_HASH_LEN);
	n = testdb_scalar(f->d, "SELECT count(*) FROM audit_event WHERE hash = ''");
	assert_int_equal(n, 0);

	/* a field changed: that entry */
	testdb_exec(f->d, "UPDATE audit_event SET after_json = '{\"n\":700}' WHERE tenant_id = 1 AND id = 700");
	assert_int_equal(check(f).broken_id, 700);
	/* NULL and '' are told apart */
	testdb_exec(f->d, "UPDATE audit_event SET before_json = '' WHERE tenant_id = 1 AND id = 4");
	assert_int_equal(check(f).broken_id, 4);
	testdb_exec(f->d, "UPDATE audit_event SET before_json = NULL WHERE tenant_id = 1 AND id = 4");
	assert_int_equal(check(f).broken_id, 700);
}

static void test_a_deleted_or_blanked_entry_breaks_the_next_link(void **state)
{
	struct tenant_fixture *f = *state;

	write_entries(f->d, 30);
	testdb_exec(f->d, "DELETE FROM audit_event WHERE tenant_id = 1 AND id = 12");
	assert_int_equal(check(f).broken_id, 13);
	testdb_exec(f->d, "DELETE FROM audit_event WHERE tenant_id = 1 AND id >= 12");
	assert_int_equal(check(f).broken_id, 0); /* the newest gone: only a head written down shows it */
	assert_int_equal(check(f).head_id, 11);
	/* a blanked hash is broken, and sealing does not hash it again */
	testdb_exec(f->d, "UPDATE audit_event SET hash = '' WHERE tenant_id = 1 AND id >= 5");
	assert_int_equal(audit_seal(f->d), 0);
	assert_int_equal(check(f).broken_id, 5);
	/* a new entry links to the newest, whatever its hash */
	write_entries(f->d, 1);
	assert_int_equal(testdb_scalar(f->d, "SELECT count(*) FROM audit_event WHERE tenant_id = 1 AND id = 31 AND hash <> ''"), 1);
	assert_int_equal(check(f).broken_id, 5);
}

static void test_entries_from_before_the_chain_are_sealed_once(void **state)
{
	struct tenant_fixture *f = *state;
	struct audit_check k;

	/* as a store migrated to 15 finds them: no hash, audit_legacy's bound */
	write_entries(f->d, 700);
	testdb_exec(f->d, "UPDATE audit_event SET hash = ''");
	testdb_exec(f->d, "INSERT INTO audit_legacy (tenant_id, last_id) VALUES (1, 700)");
	k = check(f);
	assert_int_equal(k.broken_id, 0);
	assert_int_equal(k.unsealed, 700);
	/* a write before the seal (a rolling upgrade) seals them first */
	write_entries(f->d, 1);
	assert_int_equal(testdb_scalar(f->d, "SELECT count(*) FROM audit_event WHERE hash = ''"), 0);
	assert_int_equal(testdb_scalar(f->d, "SELECT count(*) FROM audit_legacy"), 0);
	k = check(f);
	assert_int_equal(k.entries, 701);
	assert_int_equal(k.unsealed, 0);
	assert_int_equal(k.broken_id, 0);

	/* audit_seal() on the same: everything, then nothing more */
	testdb_exec(f->d, "UPDATE audit_event SET hash = ''");
	testdb_exec(f->d, "INSERT INTO audit_legacy (tenant_id, last_id) VALUES (1, 701)");
	assert_int_equal(audit_seal(f->d), 701);
	assert_int_equal(check(f).broken_id, 0);
	assert_int_equal(audit_seal(f->d), 0);
}

#define ALL(fx) \
	cmocka_unit_test_prestate_setup_teardown(test_the_chain_holds_and_names_the_first_broken_entry, \
						 tenant_fixture_setup, tenant_fixture_teardown, fx), \
	cmocka_unit_test_prestate_setup_teardown(test_a_deleted_or_blanked_entry_breaks_the_next_link, \
						 tenant_fixture_setup, tenant_fixture_teardown, fx), \
	cmocka_unit_test_prestate_setup_teardown(test_entries_from_before_the_chain_are_sealed_once, \
						 tenant_fixture_setup, tenant_fixture_teardown, fx)

int main(void)
{
	const struct CMUnitTest sqlite_tests[] = { ALL(&sqlite_fx) };
	const struct CMUnitTest pg_tests[] = { ALL(&pg_fx) };
	int failed;

	log_quiet(1);
	failed = cmocka_run_group_tests_name("audit chain on SQLite", sqlite_tests, NULL, NULL);
	if (testdb_pg_wanted("test_audit", &failed))
		failed += cmocka_run_group_tests_name("audit chain on PostgreSQL", pg_tests, NULL, NULL);
	return failed ? 1 : 0;
}
