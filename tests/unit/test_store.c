/* test_store.c - the db.h contract, run against SQLite (a temporary file)
 * and, when JIEBANG_TEST_PG holds a base URL such as
 * postgres://postgres@127.0.0.1:55432/ , against PostgreSQL (a fresh
 * database per test, dropped afterwards; scripts/pgtest.sh starts a
 * throwaway cluster). With JIEBANG_REQUIRE_PG=1 a missing JIEBANG_TEST_PG
 * is a failure, not a skip. */
#include "testdb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "store/schema.h"
#include "util/log.h"

struct fixture {
	struct testdb s;   /* the store under test */
	db *d;
};

static struct fixture sqlite_fx = { .s.kind = DB_SQLITE };
static struct fixture pg_fx = { .s.kind = DB_POSTGRES };

static int store_setup(void **state)
{
	struct fixture *f = *state;

	testdb_make(&f->s, f->s.kind, "store");
	f->d = testdb_open(f->s.url);
	return 0;
}

static int store_teardown(void **state)
{
	struct fixture *f = *state;

	db_close(f->d);
	f->d = NULL;
	testdb_drop(&f->s);
	return 0;
}

static void migrate_ok(db *d)
{
	char err[256];

	if (db_migrate(d, err, sizeof(err)) < 0)
		fail_msg("%s", err);
}

static int64_t scalar(db *d, const char *sql)
{
	int64_t v = -1;

	if (db_scalar(d, sql, &v, 0) != 0)
		fail_msg("%s: %s", sql, db_errmsg(d));
	return v;
}

static void add_tenant(db *d, int64_t id, const char *slug)
{
	db_stmt *st = db_prepare(d, "INSERT INTO tenant (id, slug, name, created_at) VALUES ($1, $2, $3, 0)");

	assert_non_null(st);
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, slug);
	db_bind_text(st, 3, slug);
	assert_int_equal(db_step(st), DB_DONE);
	db_done(st);
}

static void test_migrate_brings_an_empty_store_to_the_latest_version(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(db_schema_version(f->d), 0);
	migrate_ok(f->d);
	assert_int_equal(db_schema_version(f->d), db_latest_version());
	assert_int_equal(scalar(f->d, "SELECT count(*) FROM tenant"), 0);
	assert_int_equal(scalar(f->d, "SELECT count(*) FROM schema_migrations"), migrations_count);
}

static void test_migrate_twice_is_a_no_op(void **state)
{
	struct fixture *f = *state;

	migrate_ok(f->d);
	add_tenant(f->d, 1, "a");
	migrate_ok(f->d);
	assert_int_equal(db_schema_version(f->d), db_latest_version());
	assert_int_equal(scalar(f->d, "SELECT count(*) FROM schema_migrations"), migrations_count);
	assert_int_equal(scalar(f->d, "SELECT count(*) FROM tenant"), 1);
}

static void test_next_id_counts_per_tenant_and_table(void **state)
{
	struct fixture *f = *state;

	migrate_ok(f->d);
	add_tenant(f->d, 1, "one");
	add_tenant(f->d, 2, "two");
	assert_int_equal(db_begin(f->d, DB_WRITE), 0);
	assert_int_equal(db_next_id(f->d, 1, "problem"), 1);
	assert_int_equal(db_next_id(f->d, 1, "problem"), 2);
	assert_int_equal(db_next_id(f->d, 1, "claim"), 1);
	assert_int_equal(db_next_id(f->d, 2, "problem"), 1);
	assert_int_equal(db_next_id(f->d, 1, "problem"), 3);
	assert_int_equal(db_commit(f->d), 0);
	assert_int_equal(db_begin(f->d, DB_WRITE), 0);
	assert_int_equal(db_next_id(f->d, 2, "problem"), 2);
	assert_int_equal(db_commit(f->d), 0);
	/* An id for a tenant that does not exist breaks a foreign key. */
	assert_int_equal(db_begin(f->d, DB_WRITE), 0);
	assert_int_equal(db_next_id(f->d, 99, "problem"), -1);
	assert_int_equal(db_errclass(f->d), DB_ECONSTRAINT);
	db_rollback(f->d);
}

static const char tricky[] = "揭榜挂帅 \"双引号\" 'single' ; -- $1 \\ 、。！";

static void test_ints_text_and_nulls_round_trip_through_binding(void **state)
{
	struct fixture *f = *state;
	db_stmt *st;

	assert_int_equal(db_exec(f->d, "CREATE TABLE scratch (id BIGINT PRIMARY KEY, n BIGINT, s TEXT)"), 0);
	st = db_prepare(f->d, "INSERT INTO scratch (id, n, s) VALUES ($1, $2, $3)");
	assert_non_null(st);
	db_bind_int(st, 1, 1);
	db_bind_int(st, 2, INT64_MAX);
	db_bind_text(st, 3, tricky);
	assert_int_equal(db_step(st), DB_DONE);
	db_done(st);
	db_bind_int(st, 1, 2);
	db_bind_int(st, 2, INT64_MIN);
	db_bind_text(st, 3, NULL);
	assert_int_equal(db_step(st), DB_DONE);
	db_done(st);
	db_bind_int(st, 1, 3);
	db_bind_null(st, 2);
	db_bind_text(st, 3, "");
	assert_int_equal(db_step(st), DB_DONE);
	db_done(st);

	st = db_prepare(f->d, "SELECT id, n, s FROM scratch ORDER BY id");
	assert_non_null(st);
	assert_int_equal(db_ncols(st), 3);
	assert_string_equal(db_col_name(st, 2), "s");
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 0), 1);
	assert_int_equal(db_col_int(st, 1), INT64_MAX);
	assert_string_equal(db_col_text(st, 2), tricky);
	assert_false(db_col_null(st, 2));
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 1), INT64_MIN);
	assert_true(db_col_null(st, 2));
	assert_string_equal(db_col_text(st, 2), "");
	assert_int_equal(db_step(st), DB_ROW);
	assert_true(db_col_null(st, 1));
	assert_int_equal(db_col_int(st, 1), 0);
	assert_false(db_col_null(st, 2));
	assert_string_equal(db_col_text(st, 2), "");
	assert_int_equal(db_step(st), DB_DONE);
	db_done(st);

	/* Text as a parameter matches exactly, byte for byte. */
	st = db_prepare(f->d, "SELECT id FROM scratch WHERE s = $1");
	assert_non_null(st);
	db_bind_text(st, 1, tricky);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 0), 1);
	assert_int_equal(db_step(st), DB_DONE);
	db_done(st);
}

static const char add_batch[] = "INSERT INTO batch (tenant_id, id, name, year, phase, opens_at, closes_at)"
	" VALUES (1, 1, 'b', 2024, $1, 0, 0)";

static void test_constraint_violation_is_reported_and_rollback_leaves_nothing(void **state)
{
	struct fixture *f = *state;
	db_stmt *st;

	migrate_ok(f->d);
	add_tenant(f->d, 1, "taken");
	assert_int_equal(db_begin(f->d, DB_WRITE), 0);
	add_tenant(f->d, 2, "fresh");
	st = db_prepare(f->d, "INSERT INTO tenant (id, slug, name, created_at) VALUES ($1, $2, $3, 0)");
	assert_non_null(st);
	db_bind_int(st, 1, 3);
	db_bind_text(st, 2, "taken");
	db_bind_text(st, 3, "duplicate slug");
	assert_int_equal(db_step(st), DB_ERROR);
	assert_int_equal(db_errclass(f->d), DB_ECONSTRAINT);
	assert_non_null(strstr(db_errmsg(f->d), "slug"));
	db_done(st);
	db_rollback(f->d);
	assert_int_equal(scalar(f->d, "SELECT count(*) FROM tenant"), 1);

	/* A CHECK constraint is a constraint too. */
	assert_int_equal(db_begin(f->d, DB_WRITE), 0);
	st = db_prepare(f->d, add_batch);
	assert_non_null(st);
	db_bind_text(st, 1, "bogus");
	assert_int_equal(db_step(st), DB_ERROR);
	assert_int_equal(db_errclass(f->d), DB_ECONSTRAINT);
	db_done(st);
	db_rollback(f->d);
	assert_int_equal(scalar(f->d, "SELECT count(*) FROM batch"), 0);
	/* A statement first prepared in a rolled-back transaction still works. */
	st = db_prepare(f->d, add_batch);
	assert_non_null(st);
	db_bind_text(st, 1, "closed");
	assert_int_equal(db_step(st), DB_DONE);
	db_done(st);
	assert_int_equal(scalar(f->d, "SELECT count(*) FROM batch"), 1);
	/* Rolling back with no transaction open is harmless. */
	db_rollback(f->d);
}

/* A store that cannot write now (SQLite's query_only, as SQLITE_READONLY;
 * PostgreSQL's default_transaction_read_only, SQLSTATE 25006, as on a
 * standby) reports DB_ENOSPACE, which the web layer answers 503; reads go
 * on, and writes work again once it may write. */
static void test_a_read_only_store_reports_enospace_and_reads_go_on(void **state)
{
	struct fixture *f = *state;
	bool lite = db_kind(f->d) == DB_SQLITE;
	db_stmt *st;

	migrate_ok(f->d);
	add_tenant(f->d, 1, "one");
	assert_int_equal(db_exec(f->d, lite ? "PRAGMA query_only = 1" : "SET default_transaction_read_only = on"), 0);
	if (db_begin(f->d, DB_WRITE) == 0) {
		st = db_prepare(f->d, "INSERT INTO tenant (id, slug, name, created_at) VALUES (2, 'two', 'two', 0)");
		assert_non_null(st);
		assert_int_equal(db_step(st), DB_ERROR);
		db_done(st);
	}
	assert_int_equal(db_errclass(f->d), DB_ENOSPACE);
	db_rollback(f->d);
	assert_int_equal(db_errclass(f->d), DB_ENOSPACE); /* kept for the answer after the rollback */
	assert_int_equal(scalar(f->d, "SELECT count(*) FROM tenant"), 1);
	assert_int_equal(db_exec(f->d, lite ? "PRAGMA query_only = 0" : "SET default_transaction_read_only = off"), 0);
	add_tenant(f->d, 2, "two");
	assert_int_equal(scalar(f->d, "SELECT count(*) FROM tenant"), 2);
}

/* A begin inside a transaction joins it: its commit does nothing, its
 * rollback makes the outermost commit fail and undo everything. */
static void test_nested_begins_join_the_outer_transaction(void **state)
{
	struct fixture *f = *state;

	migrate_ok(f->d);
	assert_false(db_in_txn(f->d));
	assert_int_equal(db_begin(f->d, DB_WRITE), 0);
	add_tenant(f->d, 1, "outer");
	assert_int_equal(db_begin(f->d, DB_READ), 0); /* a read joins the write */
	assert_int_equal(scalar(f->d, "SELECT count(*) FROM tenant"), 1);
	assert_int_equal(db_commit(f->d), 0);
	assert_true(db_in_txn(f->d));
	assert_int_equal(db_begin(f->d, DB_WRITE), 0);
	add_tenant(f->d, 2, "inner");
	assert_int_equal(db_commit(f->d), 0);
	assert_int_equal(db_commit(f->d), 0);
	assert_false(db_in_txn(f->d));
	assert_int_equal(scalar(f->d, "SELECT count(*) FROM tenant"), 2);

	/* An inner rollback dooms the outer transaction. */
	assert_int_equal(db_begin(f->d, DB_WRITE), 0);
	add_tenant(f->d, 3, "doomed");
	assert_int_equal(db_begin(f->d, DB_WRITE), 0);
	db_rollback(f->d);
	assert_int_equal(db_commit(f->d), -1);
	assert_false(db_in_txn(f->d));
	assert_int_equal(scalar(f->d, "SELECT count(*) FROM tenant"), 2);
	/* ... and the next transaction starts afresh. */
	assert_int_equal(db_begin(f->d, DB_WRITE), 0);
	add_tenant(f->d, 4, "fresh");
	assert_int_equal(db_commit(f->d), 0);
	assert_int_equal(scalar(f->d, "SELECT count(*) FROM tenant"), 3);
}

static void test_committed_write_is_visible_from_a_second_connection(void **state)
{
	struct fixture *f = *state;
	db *d2;

	migrate_ok(f->d);
	d2 = testdb_open(f->s.url);
	assert_int_equal(db_begin(f->d, DB_WRITE), 0);
	add_tenant(f->d, 1, "one");
	assert_int_equal(scalar(d2, "SELECT count(*) FROM tenant"), 0);
	assert_int_equal(db_commit(f->d), 0);
	assert_int_equal(scalar(d2, "SELECT count(*) FROM tenant"), 1);

	/* A read transaction keeps one snapshot. */
	assert_int_equal(db_begin(d2, DB_READ), 0);
	assert_int_equal(scalar(d2, "SELECT count(*) FROM tenant"), 1);
	assert_int_equal(db_begin(f->d, DB_WRITE), 0);
	add_tenant(f->d, 2, "two");
	assert_int_equal(db_commit(f->d), 0);
	assert_int_equal(scalar(d2, "SELECT count(*) FROM tenant"), 1);
	assert_int_equal(db_commit(d2), 0);
	assert_int_equal(scalar(d2, "SELECT count(*) FROM tenant"), 2);
	db_close(d2);
}

static void test_statement_is_reused_after_done_with_bindings_cleared(void **state)
{
	struct fixture *f = *state;
	static const char sql[] = "SELECT coalesce($1, 'none')";
	db_stmt *st = db_prepare(f->d, sql), *again;

	assert_non_null(st);
	db_bind_text(st, 1, "甲");
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_col_text(st, 0), "甲");
	db_done(st);
	again = db_prepare(f->d, sql);
	assert_ptr_equal(again, st);
	/* Unbound parameters are NULL on both stores. */
	assert_int_equal(db_step(again), DB_ROW);
	assert_string_equal(db_col_text(again, 0), "none");
	assert_int_equal(db_step(again), DB_DONE);
	db_done(again);

	/* Abandoning a result half-way and starting over begins at row one. */
	assert_int_equal(db_exec(f->d, "CREATE TABLE three (n BIGINT); INSERT INTO three VALUES (1), (2), (3)"), 0);
	st = db_prepare(f->d, "SELECT n FROM three WHERE n >= $1 ORDER BY n");
	assert_non_null(st);
	db_bind_int(st, 1, 1);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 0), 2);
	db_done(st);
	db_bind_int(st, 1, 2);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 0), 2);
	db_done(st);
}

static void test_bad_sql_fails_to_prepare_with_a_message(void **state)
{
	struct fixture *f = *state;
	db_stmt *st = db_prepare(f->d, "SELECT x FROM nowhere");

	assert_null(st);
	assert_int_equal(db_errclass(f->d), DB_EGENERIC);
	assert_non_null(strstr(db_errmsg(f->d), "nowhere"));
	assert_null(strchr(db_errmsg(f->d), '\n'));
	/* The connection is still usable. */
	assert_int_equal(scalar(f->d, "SELECT 7"), 7);
}

/* PostgreSQL only ------------------------------------------------------- */

static int64_t backend_pid(db *d)
{
	return scalar(d, "SELECT pg_backend_pid()");
}

/* Kill d's session from another connection and wait until it is gone. */
static void kill_session(struct fixture *f, db *d)
{
	int64_t pid = backend_pid(d), ok = 0;
	db *killer = testdb_open(f->s.url);

	assert_int_equal(db_scalar(killer, "SELECT pg_terminate_backend($1, 5000)", &ok, 1, pid), 0);
	assert_int_equal(ok, 1);
	db_close(killer);
}

static void test_pg_reconnects_after_the_session_is_killed(void **state)
{
	struct fixture *f = *state;
	static const char count_sql[] = "SELECT count(*) FROM tenant";
	int64_t old_pid;
	db_stmt *st, *held;

	migrate_ok(f->d);
	add_tenant(f->d, 1, "one");
	st = db_prepare(f->d, count_sql);
	assert_non_null(st);
	assert_int_equal(db_step(st), DB_ROW);
	db_done(st);
	old_pid = backend_pid(f->d);
	kill_session(f, f->d);

	/* The next call fails as unavailable ... */
	st = db_prepare(f->d, count_sql);
	assert_non_null(st); /* cached: no round trip */
	assert_int_equal(db_step(st), DB_ERROR);
	assert_int_equal(db_errclass(f->d), DB_EUNAVAILABLE);
	assert_string_equal(db_errmsg(f->d), "database connection lost");
	db_done(st);
	/* ... and the one after reconnects and prepares again. */
	st = db_prepare(f->d, count_sql);
	assert_non_null(st);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 0), 1);
	db_done(st);
	assert_int_not_equal(backend_pid(f->d), old_pid);
	/* The new session has the same settings as the first. */
	assert_int_equal(scalar(f->d, "SELECT current_setting('client_min_messages') = 'warning'"
				" AND current_setting('application_name') = 'jiebang'"), 1);

	/* A statement held across the reconnect still works. */
	held = db_prepare(f->d, "SELECT slug FROM tenant WHERE id = $1");
	assert_non_null(held);
	db_bind_int(held, 1, 1);
	kill_session(f, f->d);
	/* A prepare outside a transaction that finds the session dead
	 * reconnects and prepares again at once: nothing to fail. */
	st = db_prepare(f->d, "SELECT 'first call after the kill'");
	assert_non_null(st);
	assert_int_equal(db_step(st), DB_ROW);
	db_done(st);
	assert_int_equal(scalar(f->d, "SELECT 2"), 2);
	assert_int_equal(db_step(held), DB_ROW);
	assert_string_equal(db_col_text(held, 0), "one");
	db_done(held);

	/* So does a begin, read or write (the server restarted or failed
	 * over while the session was idle). */
	for (int mode = 0; mode < 2; mode++) {
		old_pid = backend_pid(f->d);
		kill_session(f, f->d);
		assert_int_equal(db_begin(f->d, mode ? DB_WRITE : DB_READ), 0);
		assert_int_equal(scalar(f->d, "SELECT count(*) FROM tenant"), 1);
		assert_int_equal(db_commit(f->d), 0);
		assert_int_not_equal(backend_pid(f->d), old_pid);
	}
}

static void test_pg_does_not_reconnect_inside_a_transaction(void **state)
{
	struct fixture *f = *state;

	migrate_ok(f->d);
	assert_int_equal(db_begin(f->d, DB_WRITE), 0);
	add_tenant(f->d, 1, "one");
	kill_session(f, f->d);
	assert_null(db_prepare(f->d, "SELECT 'after the kill'"));
	assert_int_equal(db_errclass(f->d), DB_EUNAVAILABLE);
	/* Still inside the lost transaction: no silent autocommit. */
	assert_null(db_prepare(f->d, "SELECT 'after the kill'"));
	assert_int_equal(db_errclass(f->d), DB_EUNAVAILABLE);
	assert_int_equal(db_commit(f->d), -1);
	db_rollback(f->d);
	assert_int_equal(scalar(f->d, "SELECT count(*) FROM tenant"), 0);
}

static void test_pg_commit_after_a_failed_statement_fails(void **state)
{
	struct fixture *f = *state;
	db_stmt *st;

	migrate_ok(f->d);
	assert_int_equal(db_begin(f->d, DB_WRITE), 0);
	add_tenant(f->d, 1, "one");
	st = db_prepare(f->d, "SELECT 1 / (0 * $1::int)");
	assert_non_null(st);
	db_bind_int(st, 1, 1);
	assert_int_equal(db_step(st), DB_ERROR);
	db_done(st);
	assert_int_equal(db_commit(f->d), -1);
	assert_int_equal(db_errclass(f->d), DB_EGENERIC);
	db_rollback(f->d);
	assert_int_equal(scalar(f->d, "SELECT count(*) FROM tenant"), 0);
}

static void test_pg_write_transactions_are_serialized(void **state)
{
	struct fixture *f = *state;
	db *d2;

	migrate_ok(f->d);
	d2 = testdb_open(f->s.url);
	assert_int_equal(db_begin(f->d, DB_WRITE), 0);
	/* The second writer waits for the lock; shorten the wait. */
	assert_int_equal(db_exec(d2, "SET lock_timeout = '200ms'"), 0);
	assert_int_equal(db_exec(d2, "BEGIN; SELECT pg_advisory_xact_lock(7262011)"), -1);
	assert_int_equal(db_errclass(d2), DB_EUNAVAILABLE);
	db_rollback(d2);
	db_rollback(f->d);
	assert_int_equal(db_begin(d2, DB_WRITE), 0);
	assert_int_equal(db_commit(d2), 0);
	/* Read transactions are read-only. */
	assert_int_equal(db_begin(d2, DB_READ), 0);
	assert_int_equal(db_exec(d2, "INSERT INTO tenant (id, slug, name, created_at) VALUES (5, 'x', 'x', 0)"), -1);
	db_rollback(d2);
	db_close(d2);
}

static void test_pg_open_failure_names_the_database(void **state)
{
	char url[512], err[256];

	(void)state;
	testdb_pg_url(url, sizeof(url), "no_such_db_for_jiebang");
	assert_null(db_open(url, err, sizeof(err)));
	assert_non_null(strstr(err, "cannot connect to PostgreSQL: "));
	assert_non_null(strstr(err, "\"no_such_db_for_jiebang\" does not exist"));
	assert_null(strchr(err, '\n'));
}

/* Needs no server --------------------------------------------------------- */

static void test_pg_open_failure_is_one_line_without_the_password(void **state)
{
	static const char *const urls[] = {
		"postgres://jb:Sekr1t%21pw@127.0.0.1:1/x",
		"postgres://jb:Sekr1t!pw@127.0.0.1:1/x?connect_timeout=2",
		"postgres://jb@127.0.0.1:1/x?password=Sekr1t!pw",
		"postgres://jb:Sekr1t!pw%zz@127.0.0.1:1/x",
		"postgres://jb:Sekr1t!pw@[::1/x",
	};
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
		assert_null(db_open(urls[i], err, sizeof(err)));
		assert_non_null(strstr(err, "cannot connect to PostgreSQL: "));
		assert_null(strchr(err, '\n'));
		if (strstr(err, "Sekr1t"))
			fail_msg("password in message for %s: %s", urls[i], err);
	}
	assert_null(db_open(urls[0], err, sizeof(err)));
	assert_non_null(strstr(err, "Connection refused"));
}

static void test_run_binds_by_format_and_compare_and_set_reports_no_match(void **state)
{
	struct fixture *f = *state;
	db_stmt *st;

	migrate_ok(f->d);
	add_tenant(f->d, 1, "a");
	assert_int_equal(db_run(f->d, "INSERT INTO unit (tenant_id, id, name, kind, parent_id) VALUES ($1, $2, $3, 'town', $4)",
				"iisd", (int64_t)1, (int64_t)7, "城关镇", (int64_t)0), DB_DONE);
	st = db_query(f->d, "SELECT name, parent_id IS NULL FROM unit WHERE tenant_id = $1 AND id = $2", "ii",
		      (int64_t)1, (int64_t)7);
	assert_non_null(st);
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_col_text(st, 0), "城关镇");
	assert_int_equal(db_col_int(st, 1), 1);
	db_done(st);
	/* a compare-and-set: the first matches and returns its row, the second finds none */
	assert_int_equal(db_run(f->d, "UPDATE unit SET kind = 'village' WHERE tenant_id = $1 AND id = $2 AND kind = $3"
				" RETURNING id", "iis", (int64_t)1, (int64_t)7, "town"), DB_ROW);
	assert_int_equal(db_run(f->d, "UPDATE unit SET kind = 'village' WHERE tenant_id = $1 AND id = $2 AND kind = $3"
				" RETURNING id", "iis", (int64_t)1, (int64_t)7, "town"), DB_DONE);
	assert_int_equal(db_run(f->d, "SELECT nonsense FROM unit", ""), DB_ERROR);
	/* one argument short: refused before it reaches the store */
	assert_null(db_query(f->d, "SELECT name FROM unit WHERE tenant_id = $1 AND id = $2", "i", (int64_t)1));
}

/* Apply the migrations up to version upto by hand, as an older jiebang did. */
static void migrate_upto(db *d, int upto)
{
	assert_int_equal(db_schema_version(d), 0);
	assert_int_equal(db_begin(d, DB_WRITE), 0);
	for (int i = 0; i < migrations_count && migrations[i].version <= upto; i++) {
		const char *extra = db_kind(d) == DB_SQLITE ? migrations[i].sqlite_sql : migrations[i].pg_sql;
		assert_int_equal(db_exec(d, migrations[i].sql), 0);
		if (extra)
			assert_int_equal(db_exec(d, extra), 0);
		assert_int_equal(db_run(d, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, 0)",
					"is", (int64_t)migrations[i].version, migrations[i].name), DB_DONE);
	}
	assert_int_equal(db_commit(d), 0);
}

/* Migration 8 rebuilds claim, claim_member and metric on SQLite (and
 * replaces their CHECKs on PostgreSQL): a store of version 7 with a claim,
 * its team, a metric and a progress value keeps every row, the new states
 * are allowed, and the foreign keys hold afterwards. */
static void test_migration_8_keeps_claims_and_their_children(void **state)
{
	struct fixture *f = *state;
	static const char *const rows[] = {
		"INSERT INTO batch (tenant_id, id, name, year, phase, opens_at, closes_at) VALUES (1, 1, 'b', 2022, 'working', 0, 0)",
		"INSERT INTO category (tenant_id, id, name, position) VALUES (1, 1, 'c', 1)",
		"INSERT INTO unit (tenant_id, id, name, kind) VALUES (1, 1, 'u', 'town')",
		"INSERT INTO person (tenant_id, id, name, unit_id, rank) VALUES (1, 1, 'p', 1, 'none')",
		"INSERT INTO person (tenant_id, id, name, unit_id, rank) VALUES (1, 2, 'q', 1, 'none')",
		"INSERT INTO problem (tenant_id, id, batch_id, category_id, title, description, proposer_name, state,"
		" created_at, updated_at) VALUES (1, 1, 1, 1, 't', 'd', 'n', 'in_progress', 0, 0)",
		"INSERT INTO claim (tenant_id, id, problem_id, unit_id, lead_person_id, owner_person_id, state, applied_at,"
		" signed_at) VALUES (1, 1, 1, 1, 1, 2, 'signed', 5, 7)",
		"INSERT INTO claim_member (tenant_id, claim_id, person_id, unit_id, role) VALUES (1, 1, 2, 1, 'owner')",
		"INSERT INTO metric (tenant_id, id, claim_id, name, kind, uom, target, achieved) VALUES (1, 1, 1, 'm', 'count', 'x', 9, 3)",
		"INSERT INTO progress (tenant_id, id, claim_id, author_person_id, at, title) VALUES (1, 1, 1, 2, 6, 't')",
		"INSERT INTO progress_value (tenant_id, progress_id, metric_id, value) VALUES (1, 1, 1, 3)",
	};

	migrate_upto(f->d, 7);
	add_tenant(f->d, 1, "t");
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if (db_exec(f->d, rows[i]) < 0)
			fail_msg("%s: %s", rows[i], db_errmsg(f->d));
	migrate_ok(f->d);
	assert_true(db_schema_version(f->d) >= 8);
	assert_int_equal(scalar(f->d, "SELECT count(*) FROM claim WHERE state = 'signed' AND signed_at = 7"
				      " AND owner_signed_at = 7 AND updated_at = 7 AND route = 'self'"), 1);
	assert_int_equal(scalar(f->d, "SELECT count(*) FROM claim_member WHERE claim_id = 1"), 1);
	assert_int_equal(scalar(f->d, "SELECT achieved FROM metric WHERE id = 1"), 3);
	assert_int_equal(scalar(f->d, "SELECT value FROM progress_value WHERE metric_id = 1"), 3);
	assert_int_equal(db_exec(f->d, "UPDATE claim SET state = 'endorsing'"), 0);
	assert_int_equal(db_exec(f->d, "INSERT INTO claim_member (tenant_id, claim_id, person_id, unit_id, role)"
				       " VALUES (1, 1, 1, 1, 'mentor')"), 0);
	assert_int_equal(db_exec(f->d, "INSERT INTO metric (tenant_id, id, claim_id, name, kind, uom, target)"
				       " VALUES (1, 2, 1, 'r', 'percent', '%', 5)"), 0);
	assert_true(db_exec(f->d, "UPDATE claim SET state = 'nonsense'") < 0);
	/* the keys are on again and bind to the rebuilt tables */
	assert_true(db_exec(f->d, "INSERT INTO claim_member (tenant_id, claim_id, person_id, unit_id, role)"
				  " VALUES (1, 99, 1, 1, 'member')") < 0);
	assert_true(db_exec(f->d, "INSERT INTO progress_value (tenant_id, progress_id, metric_id, value)"
				  " VALUES (1, 1, 99, 1)") < 0);
}

#define STORE_TEST(fn, fx) cmocka_unit_test_prestate_setup_teardown(fn, store_setup, store_teardown, fx)
#define BOTH(fx) \
	STORE_TEST(test_migrate_brings_an_empty_store_to_the_latest_version, fx), \
	STORE_TEST(test_migrate_twice_is_a_no_op, fx), \
	STORE_TEST(test_next_id_counts_per_tenant_and_table, fx), \
	STORE_TEST(test_ints_text_and_nulls_round_trip_through_binding, fx), \
	STORE_TEST(test_constraint_violation_is_reported_and_rollback_leaves_nothing, fx), \
	STORE_TEST(test_a_read_only_store_reports_enospace_and_reads_go_on, fx), \
	STORE_TEST(test_nested_begins_join_the_outer_transaction, fx), \
	STORE_TEST(test_committed_write_is_visible_from_a_second_connection, fx), \
	STORE_TEST(test_statement_is_reused_after_done_with_bindings_cleared, fx), \
	STORE_TEST(test_bad_sql_fails_to_prepare_with_a_message, fx), \
	STORE_TEST(test_run_binds_by_format_and_compare_and_set_reports_no_match, fx), \
	STORE_TEST(test_migration_8_keeps_claims_and_their_children, fx)

int main(void)
{
	const struct CMUnitTest sqlite_tests[] = {
		BOTH(&sqlite_fx),
		cmocka_unit_test(test_pg_open_failure_is_one_line_without_the_password),
	};
	const struct CMUnitTest pg_tests[] = {
		BOTH(&pg_fx),
		STORE_TEST(test_pg_reconnects_after_the_session_is_killed, &pg_fx),
		STORE_TEST(test_pg_does_not_reconnect_inside_a_transaction, &pg_fx),
		STORE_TEST(test_pg_commit_after_a_failed_statement_fails, &pg_fx),
		STORE_TEST(test_pg_write_transactions_are_serialized, &pg_fx),
		cmocka_unit_test(test_pg_open_failure_names_the_database),
	};
	int failed;

	log_quiet(1);
	failed = cmocka_run_group_tests_name("store on SQLite", sqlite_tests, NULL, NULL);
	if (testdb_pg_wanted("test_store", &failed))
		failed += cmocka_run_group_tests_name("store on PostgreSQL", pg_tests, NULL, NULL);
	return failed ? 1 : 0;
}
