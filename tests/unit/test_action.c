/* test_action.c - the action runner: a verb's writes commit together when
 * it succeeds and vanish when it does not, whatever the reason; a refusal
 * is audited once, after the rollback; a store failure is a store error.
 * On SQLite and, when JIEBANG_TEST_PG is set, on PostgreSQL. */
#include "testdb.h"

#include <jansson.h>
#include <time.h>

#include "domain/action.h"
#include "domain/perm.h"
#include "util/log.h"

static struct tenant_fixture sqlite_fx = { .s.kind = DB_SQLITE, .name = "action" };
static struct tenant_fixture pg_fx = { .s.kind = DB_POSTGRES, .name = "action" };

static int64_t count(db *d, const char *sql)
{
	int64_t v = -1;

	if (db_scalar(d, sql, &v, 0) != 0)
		fail_msg("%s: %s", sql, db_errmsg(d));
	return v;
}

/* A verb that adds a tenant domain, then ends as *args says. */
static int add_then(struct ctx *c, void *args)
{
	int end = *(int *)args;

	if (db_exec(c->d, "INSERT INTO tenant_domain (host, tenant_id) VALUES ('x.example', 1)") < 0)
		return -1;
	switch (end) {
	case JB_EINVALID: return ctx_invalid(c, "host", "bad_host", "域名不对");
	case JB_EDENIED: return ctx_deny(c, "tenant.domain_add", "tenant", 1);
	case JB_ECONFLICT: return ctx_fail(c, JB_ECONFLICT, NULL, "conflict", NULL);
	case -1: return db_exec(c->d, "INSERT INTO no_such_table VALUES (1)");
	default: return end;
	}
}

static void a_failed_verb_leaves_nothing_and_a_refusal_is_audited(void **state)
{
	struct tenant_fixture *f = *state;
	struct principal who = { .tenant_id = 1, .user_id = 7, .login = "amy", .roles = ROLE_CADRE };
	const int ends[] = { JB_EINVALID, JB_EDENIED, JB_ECONFLICT, JB_ENOTFOUND, -1 };
	const int want[] = { JB_EINVALID, JB_EDENIED, JB_ECONFLICT, JB_ENOTFOUND, JB_ESTORE };
	struct ctx c;

	log_quiet(1);
	for (size_t i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
		int end = ends[i];
		ctx_init(&c, f->d, f->a, &who, "10.0.0.1");
		assert_int_equal(action_run(&c, add_then, &end), want[i]);
		assert_false(db_in_txn(f->d));
		assert_int_equal(count(f->d, "SELECT count(*) FROM tenant_domain"), 0);
		assert_non_null(ctx_message(&c, want[i]));
	}
	/* The refusal, once, with who and from where. */
	assert_int_equal(count(f->d, "SELECT count(*) FROM audit_event WHERE outcome = 'denied' AND actor = 'amy'"
				     " AND action = 'tenant.domain_add' AND client_addr = '10.0.0.1'"), 1);
	ctx_log_denial(&c); /* not a refusal: c holds a store error; and a second call logs nothing */
	/* The field error keeps its field and message. */
	int end = JB_EINVALID;
	ctx_init(&c, f->d, f->a, &who, "");
	assert_int_equal(action_run(&c, add_then, &end), JB_EINVALID);
	assert_int_equal(c.nerrs, 1);
	assert_string_equal(c.errs[0].field, "host");
	assert_string_equal(ctx_message(&c, JB_EINVALID), "域名不对");
	/* None of the failures moved the tenant's data version. */
	assert_int_equal(count(f->d, "SELECT data_version FROM tenant WHERE id = 1"), 0);
	/* Success commits, and adds one to the data version. */
	end = JB_OK;
	ctx_init(&c, f->d, f->a, &who, "");
	assert_int_equal(action_run(&c, add_then, &end), JB_OK);
	assert_int_equal(count(f->d, "SELECT count(*) FROM tenant_domain"), 1);
	assert_int_equal(count(f->d, "SELECT data_version FROM tenant WHERE id = 1"), 1);
}

static void a_verb_inside_a_transaction_joins_it(void **state)
{
	struct tenant_fixture *f = *state;
	struct principal cli = perm_cli(1);
	struct ctx c;
	int end = JB_OK;

	assert_int_equal(db_begin(f->d, DB_WRITE), 0);
	ctx_init(&c, f->d, f->a, &cli, "");
	assert_int_equal(action_run(&c, add_then, &end), JB_OK);
	assert_true(db_in_txn(f->d));
	db_rollback(f->d);
	assert_int_equal(count(f->d, "SELECT count(*) FROM tenant_domain"), 0);
}

/* A verb that records its change in the audit log. */
static int audited(struct ctx *c, void *args)
{
	return ctx_audit(c, "tenant.update", "tenant", 1, NULL, json_pack("{s:s}", "name", "x")) < 0 ? -1 : JB_OK;
}

/* A verb's entry carries the verb's moment (c->now, which the rows it
 * writes carry too), not the wall clock; a refusal keeps the wall clock. */
static void a_verbs_audit_entry_is_dated_at_its_moment(void **state)
{
	struct tenant_fixture *f = *state;
	struct principal who = { .tenant_id = 1, .user_id = 7, .login = "amy", .roles = ROLE_CADRE };
	int64_t before = (int64_t)time(NULL);
	struct ctx c;
	int end = JB_EDENIED;

	ctx_init(&c, f->d, f->a, &who, "");
	assert_true(c.now >= before);
	c.now = INT64_C(1640000000);
	assert_int_equal(action_run(&c, audited, NULL), JB_OK);
	assert_int_equal(count(f->d, "SELECT count(*) FROM audit_event WHERE action = 'tenant.update' AND at = 1640000000"), 1);
	ctx_init(&c, f->d, f->a, &who, "");
	c.now = INT64_C(1640000000);
	assert_int_equal(action_run(&c, add_then, &end), JB_EDENIED);
	assert_int_equal(count(f->d, "SELECT count(*) FROM audit_event WHERE outcome = 'denied' AND at < 1640000001"), 0);
}

#define BOTH(fx) \
	cmocka_unit_test_prestate_setup_teardown(a_verbs_audit_entry_is_dated_at_its_moment, tenant_fixture_setup, tenant_fixture_teardown, fx), \
	cmocka_unit_test_prestate_setup_teardown(a_failed_verb_leaves_nothing_and_a_refusal_is_audited, tenant_fixture_setup, tenant_fixture_teardown, fx), \
	cmocka_unit_test_prestate_setup_teardown(a_verb_inside_a_transaction_joins_it, tenant_fixture_setup, tenant_fixture_teardown, fx)

int main(void)
{
	const struct CMUnitTest sqlite_tests[] = { BOTH(&sqlite_fx) };
	const struct CMUnitTest pg_tests[] = { BOTH(&pg_fx) };
	int failed;

	failed = cmocka_run_group_tests_name("actions on SQLite", sqlite_tests, NULL, NULL);
	if (testdb_pg_wanted("test_action", &failed))
		failed += cmocka_run_group_tests_name("actions on PostgreSQL", pg_tests, NULL, NULL);
	return failed ? 1 : 0;
}
