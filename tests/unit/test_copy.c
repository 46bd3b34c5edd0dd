/* test_copy.c - store/copy.c: the copy list against the schema, backup and
 * restore of SQLite files, migrate-store between every pair of stores, and
 * db_prepare_dynamic(). PostgreSQL runs when JIEBANG_TEST_PG holds a base
 * URL (see test_store.c); with JIEBANG_REQUIRE_PG=1 its absence fails. */
#include "testdb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/copy.h"
#include "store/db.h"
#include "util/log.h"

/* The stores a test works on: a (source) and b (target), each made for
 * one test and removed after it. */
struct pair {
	enum db_kind a_kind, b_kind;
	struct testdb a, b;
};

/* A path in the store's directory (SQLite) or in /tmp. */
static void store_path(const struct testdb *s, char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", s->kind == DB_SQLITE ? s->dir : "/tmp", name);
}

static int pair_setup(void **state)
{
	struct pair *p = *state;

	testdb_make(&p->a, p->a_kind, "copy");
	testdb_make(&p->b, p->b_kind, "copy");
	return 0;
}

static int pair_teardown(void **state)
{
	struct pair *p = *state;

	testdb_drop(&p->a);
	testdb_drop(&p->b);
	return 0;
}

static db *open_migrated(const char *url)
{
	char err[256];
	db *d = testdb_open(url);

	if (db_migrate(d, err, sizeof(err)) < 0)
		fail_msg("%s", err);
	return d;
}

static int64_t scalar(db *d, const char *sql)
{
	int64_t v = -1;

	if (db_scalar(d, sql, &v, 0) != 0)
		fail_msg("%s: %s", sql, db_errmsg(d));
	return v;
}

static void exec_ok(db *d, const char *sql)
{
	if (db_exec(d, sql) < 0)
		fail_msg("%s: %s", sql, db_errmsg(d));
}

static const char tricky[] = "揭榜挂帅 \"双引号\" 'single' ; -- $1 \\ 、。！";

/* A small deployment with NULLs in nullable columns, text that needs
 * quoting, a unit hierarchy and more grams than one read chunk. */
static void fill(db *d)
{
	db_stmt *st;

	exec_ok(d, "INSERT INTO tenant (id, slug, name, created_at) VALUES (1, 'one', '一县', 10)");
	exec_ok(d, "INSERT INTO tenant (id, slug, name, created_at) VALUES (2, 'two', '二县', 20)");
	exec_ok(d, "INSERT INTO batch (tenant_id, id, name, year, phase, opens_at, closes_at)"
		" VALUES (1, 1, '2024', 2024, 'working', 0, 100)");
	exec_ok(d, "INSERT INTO category (tenant_id, id, name, position) VALUES (1, 1, '其他', 1)");
	exec_ok(d, "INSERT INTO unit (tenant_id, id, name, kind, parent_id) VALUES (1, 1, '县委', 'county_dept', NULL)");
	exec_ok(d, "INSERT INTO unit (tenant_id, id, name, kind, parent_id) VALUES (1, 2, '某镇', 'town', 1)");
	st = db_prepare(d, "INSERT INTO problem (tenant_id, id, batch_id, category_id, title, description,"
			" proposer_name, proposer_unit_id, state, merged_into, is_public, created_at, updated_at)"
			" VALUES (1, $1, 1, 1, $2, $3, 'x', $4, 'proposed', NULL, 1, 5, 6)");
	assert_non_null(st);
	db_bind_int(st, 1, 1);
	db_bind_text(st, 2, tricky);
	db_bind_text(st, 3, "");
	db_bind_null(st, 4);
	assert_int_equal(db_step(st), DB_DONE);
	db_done(st);
	db_bind_int(st, 1, 2);
	db_bind_text(st, 2, "第二");
	db_bind_text(st, 3, "描述\n两行");
	db_bind_int(st, 4, 2);
	assert_int_equal(db_step(st), DB_DONE);
	db_done(st);
	st = db_prepare(d, "INSERT INTO problem_gram (tenant_id, gram, problem_id) VALUES (1, $1, $2)");
	assert_non_null(st);
	for (int i = 0; i < 12001; i++) {
		char g[16];
		snprintf(g, sizeof(g), "g%05d", i);
		db_bind_text(st, 1, g);
		db_bind_int(st, 2, 1 + i % 2);
		assert_int_equal(db_step(st), DB_DONE);
		db_done(st);
	}
	exec_ok(d, "INSERT INTO audit_event (tenant_id, id, at, actor, action, object_type, object_id,"
		" before_json, after_json) VALUES (2, 1, 7, 'a', 'b', 'c', NULL, NULL, '{}')");
	exec_ok(d, "INSERT INTO app_user (tenant_id, id, login, password_hash, person_id, unit_id,"
		" created_at, password_at) VALUES (1, 1, 'admin', '$argon2id$x', NULL, 2, 1, 1)");
	exec_ok(d, "INSERT INTO login_attempt (tenant_id, id, login, addr, state, at) VALUES (1, 1, 'admin', '10.0.0.1', 'failed', 9)");
	exec_ok(d, "INSERT INTO tenant_secret (tenant_id, name, secret, created_at) VALUES (1, 'device', 'ab', 9)");
}

static void fill_store(const char *url)
{
	db *d = open_migrated(url);

	assert_int_equal(db_begin(d, DB_WRITE), 0);
	fill(d);
	assert_int_equal(db_commit(d), 0);
	db_close(d);
}

/* What fill() wrote, read back from url. */
static void check_filled(const char *url)
{
	db *d = testdb_open(url);
	db_stmt *st;

	assert_int_equal(scalar(d, "SELECT count(*) FROM tenant"), 2);
	assert_int_equal(scalar(d, "SELECT count(*) FROM problem_gram"), 12001);
	assert_int_equal(scalar(d, "SELECT count(*) FROM problem_gram WHERE problem_id = 2"), 6000);
	assert_int_equal(scalar(d, "SELECT count(*) FROM unit WHERE parent_id IS NULL"), 1);
	assert_int_equal(scalar(d, "SELECT parent_id FROM unit WHERE id = 2"), 1);
	assert_int_equal(scalar(d, "SELECT count(*) FROM audit_event WHERE object_id IS NULL AND before_json IS NULL"), 1);
	assert_int_equal(scalar(d, "SELECT count(*) FROM app_user WHERE person_id IS NULL AND unit_id = 2"), 1);
	assert_int_equal(scalar(d, "SELECT count(*) FROM login_attempt WHERE login = 'admin' AND device = '' AND at = 9"), 1);
	assert_int_equal(scalar(d, "SELECT count(*) FROM tenant_secret WHERE secret = 'ab'"), 1);
	/* Derived, rebuilt by the target's triggers. */
	assert_int_equal(scalar(d, "SELECT sum(n) FROM problem_tally"), 2);
	st = db_prepare(d, "SELECT title, description, proposer_unit_id, merged_into FROM problem ORDER BY id");
	assert_non_null(st);
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_col_text(st, 0), tricky);
	assert_false(db_col_null(st, 1));
	assert_string_equal(db_col_text(st, 1), "");
	assert_true(db_col_null(st, 2));
	assert_true(db_col_null(st, 3));
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_col_text(st, 1), "描述\n两行");
	assert_int_equal(db_col_int(st, 2), 2);
	assert_int_equal(db_step(st), DB_DONE);
	db_done(st);
	db_close(d);
}

static bool exists(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0;
}

/* The schema and the copy list -------------------------------------------- */

static bool in_copy_list(const char *name, size_t *pos)
{
	for (size_t i = 0; db_copy_table(i); i++) {
		if (!strcmp(db_copy_table(i), name)) {
			if (pos)
				*pos = i;
			return true;
		}
	}
	return false;
}

static void test_every_table_of_the_schema_is_in_the_copy_list(void **state)
{
	struct pair *p = *state;
	db *d = open_migrated(p->a.url);
	db_stmt *st = db_prepare(d, "SELECT name FROM sqlite_master WHERE type = 'table'"
				 " AND name NOT LIKE 'sqlite_%' ORDER BY name");
	int n = 0;

	assert_non_null(st);
	while (db_step(st) == DB_ROW) {
		const char *name = db_col_text(st, 0);
		if (!in_copy_list(name, NULL) && !db_copy_skips(name))
			fail_msg("table '%s' is in the schema but not in copy_tables (src/store/copy.c):"
				 " migrate-store would leave it behind", name);
		n++;
	}
	db_done(st);
	/* ...and every listed table exists. */
	for (size_t i = 0; db_copy_table(i); i++) {
		db_stmt *q = db_prepare(d, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $1");
		assert_non_null(q);
		db_bind_text(q, 1, db_copy_table(i));
		assert_int_equal(db_step(q), DB_ROW);
		if (db_col_int(q, 0) != 1)
			fail_msg("copy_tables lists '%s', which the schema does not have", db_copy_table(i));
		db_done(q);
	}
	assert_true(n > 10);
	db_close(d);
}

static void test_the_copy_list_puts_every_table_after_those_it_references(void **state)
{
	struct pair *p = *state;
	db *d = open_migrated(p->a.url);
	char sql[128];

	for (size_t i = 0; db_copy_table(i); i++) {
		db_stmt *st;
		snprintf(sql, sizeof(sql), "SELECT \"table\" FROM pragma_foreign_key_list('%s')", db_copy_table(i));
		st = db_prepare_dynamic(d, sql);
		assert_non_null(st);
		while (db_step(st) == DB_ROW) {
			size_t pos = 0;
			const char *ref = db_col_text(st, 0);
			if (!in_copy_list(ref, &pos) || pos > i)
				fail_msg("'%s' references '%s', which is copied after it", db_copy_table(i), ref);
		}
		db_finalize(st);
	}
	db_close(d);
}

/* db_prepare_dynamic ------------------------------------------------------- */

static void test_a_dynamic_statement_owns_its_text_and_is_reusable(void **state)
{
	struct pair *p = *state;
	db *d = testdb_open(p->a.url);
	char sql[96];
	db_stmt *ins, *sel;

	exec_ok(d, "CREATE TABLE scratch (id BIGINT PRIMARY KEY, s TEXT)");
	snprintf(sql, sizeof(sql), "INSERT INTO \"scratch\" (\"id\", \"s\") VALUES ($1, $2), ($3, $4)");
	ins = db_prepare_dynamic(d, sql);
	assert_non_null(ins);
	memset(sql, 'x', sizeof(sql) - 1); /* the statement keeps its own copy */
	for (int round = 0; round < 2; round++) {
		db_bind_int(ins, 1, 1 + 2 * round);
		db_bind_text(ins, 2, tricky);
		db_bind_int(ins, 3, 2 + 2 * round);
		db_bind_text(ins, 4, NULL);
		assert_int_equal(db_step(ins), DB_DONE);
		db_done(ins);
	}
	db_finalize(ins);
	snprintf(sql, sizeof(sql), "SELECT count(*), count(s) FROM scratch");
	sel = db_prepare_dynamic(d, sql);
	assert_non_null(sel);
	assert_int_equal(db_step(sel), DB_ROW);
	assert_int_equal(db_col_int(sel, 0), 4);
	assert_int_equal(db_col_int(sel, 1), 2);
	db_finalize(sel);
	/* Bad SQL fails to prepare, with a message, and leaks nothing. */
	assert_null(db_prepare_dynamic(d, "SELECT * FROM no_such_table"));
	assert_non_null(strstr(db_errmsg(d), "no_such_table"));
	/* db_finalize on a cached statement is db_done. */
	sel = db_prepare(d, "SELECT count(*) FROM scratch");
	assert_non_null(sel);
	assert_int_equal(db_step(sel), DB_ROW);
	db_finalize(sel);
	assert_int_equal(scalar(d, "SELECT count(*) FROM scratch"), 4);
	db_finalize(NULL);
	db_close(d);
}

/* migrate-store ------------------------------------------------------------ */

static void test_copy_store_copies_every_row_with_nulls_and_text_intact(void **state)
{
	struct pair *p = *state;
	char err[512], path[128];
	FILE *report;
	char line[128];
	int lines = 0;

	fill_store(p->a.url);
	store_path(&p->a, path, sizeof(path), "report.txt");
	report = fopen(path, "w+");
	assert_non_null(report);
	if (db_copy_store(p->a.url, p->b.url, report, err, sizeof(err)) < 0)
		fail_msg("%s", err);
	rewind(report);
	while (fgets(line, sizeof(line), report)) {
		if (!strncmp(line, "problem_gram ", 13))
			assert_non_null(strstr(line, " 12001\n"));
		lines++;
	}
	fclose(report);
	unlink(path);
	assert_true(lines > 16);
	check_filled(p->b.url);
	/* The copy is a working store: its schema is current. */
	db *d = testdb_open(p->b.url);
	assert_int_equal(db_schema_version(d), db_latest_version());
	db_close(d);
}

static void test_copy_store_refuses_a_non_empty_target_and_changes_nothing(void **state)
{
	struct pair *p = *state;
	char err[512];
	db *d;

	fill_store(p->a.url);
	d = open_migrated(p->b.url);
	exec_ok(d, "INSERT INTO tenant (id, slug, name, created_at) VALUES (7, 'seven', '七', 0)");
	db_close(d);
	assert_int_equal(db_copy_store(p->a.url, p->b.url, NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not empty"));
	assert_null(strchr(err, '\n'));
	d = testdb_open(p->b.url);
	assert_int_equal(scalar(d, "SELECT count(*) FROM tenant"), 1);
	assert_int_equal(scalar(d, "SELECT count(*) FROM problem"), 0);
	db_close(d);
	assert_int_equal(db_copy_store(p->a.url, p->a.url, NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "same store"));
}

/* A row the target refuses half-way rolls back every table before it. */
static void test_copy_store_rolls_back_everything_when_a_row_is_refused(void **state)
{
	struct pair *p = *state;
	char err[512];
	db *d;

	fill_store(p->a.url);
	d = open_migrated(p->b.url);
	if (p->b.kind == DB_SQLITE)
		exec_ok(d, "CREATE TRIGGER refuse BEFORE INSERT ON audit_event"
			" BEGIN SELECT RAISE(ABORT, 'refused by test'); END");
	else
		exec_ok(d, "ALTER TABLE audit_event ADD CONSTRAINT refuse CHECK (actor <> 'a')");
	db_close(d);
	assert_int_equal(db_copy_store(p->a.url, p->b.url, NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "audit_event"));
	d = testdb_open(p->b.url);
	assert_int_equal(scalar(d, "SELECT count(*) FROM tenant"), 0);
	assert_int_equal(scalar(d, "SELECT count(*) FROM problem_gram"), 0);
	db_close(d);
}

/* Derived tables are rebuilt, not copied, and must come out the same. */
static void test_copy_store_refuses_when_a_derived_table_rebuilds_differently(void **state)
{
	struct pair *p = *state;
	char err[512];
	db *d;

	fill_store(p->a.url);
	d = testdb_open(p->a.url);
	exec_ok(d, "UPDATE problem_tally SET n = n + 5");
	db_close(d);
	assert_int_equal(db_copy_store(p->a.url, p->b.url, NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "'problem_tally' was rebuilt differently"));
	d = testdb_open(p->b.url);
	assert_int_equal(scalar(d, "SELECT count(*) FROM problem"), 0);
	db_close(d);
}

static void test_copy_store_refuses_a_missing_or_outdated_source(void **state)
{
	struct pair *p = *state;
	char err[512], missing[128];
	db *d;

	store_path(&p->a, missing, sizeof(missing), "missing.db");
	char url[160];
	snprintf(url, sizeof(url), "sqlite:%s", missing);
	assert_int_equal(db_copy_store(url, p->b.url, NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "source store: cannot open database"));
	assert_false(exists(missing));

	/* A store whose schema is behind this binary's. */
	d = testdb_open(p->a.url);
	assert_int_equal(db_schema_version(d), 0);
	db_close(d);
	assert_int_equal(db_copy_store(p->a.url, p->b.url, NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "older than this jiebang"));

	/* ...and one ahead of it. */
	d = open_migrated(p->a.url);
	exec_ok(d, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', 0)");
	db_close(d);
	assert_int_equal(db_copy_store(p->a.url, p->b.url, NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "newer than this jiebang"));
}

/* backup and restore (SQLite files) ---------------------------------------- */

static void test_backup_and_restore_round_trip_a_sqlite_store(void **state)
{
	struct pair *p = *state;
	char err[512], file[128], partial[160], target[160];

	fill_store(p->a.url);
	store_path(&p->a, file, sizeof(file), "backup.db");
	if (db_backup(p->a.url, file, err, sizeof(err)) < 0)
		fail_msg("%s", err);
	snprintf(partial, sizeof(partial), "%s.partial", file);
	assert_false(exists(partial));
	struct stat sb;
	assert_int_equal(stat(file, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	/* Never over an existing file (it might be the store itself). */
	assert_int_equal(db_backup(p->a.url, file, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "will not overwrite"));
	assert_int_equal(db_backup(p->a.url, p->a.url + 7, err, sizeof(err)), -1);
	/* A leftover partial file is neither overwritten nor removed. */
	char other[128];
	store_path(&p->a, other, sizeof(other), "other.db");
	snprintf(partial, sizeof(partial), "%s.partial", other);
	FILE *f = fopen(partial, "w");
	assert_non_null(f);
	fputs("keep me", f);
	fclose(f);
	assert_int_equal(db_backup(p->a.url, other, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "cannot create"));
	assert_int_equal(stat(partial, &sb), 0);
	assert_int_equal(sb.st_size, 7);
	assert_false(exists(other));

	/* Into a store that does not exist yet. */
	snprintf(target, sizeof(target), "sqlite:%s/restored.db", p->a.dir);
	if (db_restore(target, file, err, sizeof(err)) < 0)
		fail_msg("%s", err);
	check_filled(target);
	/* Not into one that has a tenant. */
	assert_int_equal(db_restore(target, file, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not empty"));
	/* Into an existing empty store. */
	db_close(open_migrated(p->b.url));
	if (db_restore(p->b.url, file, err, sizeof(err)) < 0)
		fail_msg("%s", err);
	check_filled(p->b.url);
}

static void test_restore_refuses_a_file_that_is_not_a_sqlite_backup(void **state)
{
	struct pair *p = *state;
	char err[512], file[128], target[160];
	FILE *f;

	snprintf(target, sizeof(target), "sqlite:%s/t.db", p->a.dir);
	store_path(&p->a, file, sizeof(file), "junk");
	f = fopen(file, "w");
	assert_non_null(f);
	fputs("not a backup\n", f);
	fclose(f);
	assert_int_equal(db_restore(target, file, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "is not a jiebang backup"));
	f = fopen(file, "w");
	assert_non_null(f);
	fputs("PGDMP\1\16\0", f);
	fclose(f);
	assert_int_equal(db_restore(target, file, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "pg_dump"));
	store_path(&p->a, file, sizeof(file), "nothing-here");
	assert_int_equal(db_restore(target, file, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "cannot open"));
	/* A SQLite database that is not a jiebang store. */
	store_path(&p->a, file, sizeof(file), "other.db");
	char url[160];
	snprintf(url, sizeof(url), "sqlite:%s", file);
	db *d = testdb_open(url);
	exec_ok(d, "CREATE TABLE t (x INT)");
	db_close(d);
	assert_int_equal(db_restore(target, file, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not a jiebang backup"));
	assert_false(exists(target + 7));
	/* ...and is not overwritten as a target either. */
	fill_store(p->a.url);
	store_path(&p->a, file, sizeof(file), "good.db");
	if (db_backup(p->a.url, file, err, sizeof(err)) < 0)
		fail_msg("%s", err);
	assert_int_equal(db_restore(url, file, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not a jiebang store"));
	d = testdb_open(url);
	assert_int_equal(scalar(d, "SELECT count(*) FROM t"), 0);
	db_close(d);
}

static struct pair sq_sq = { .a_kind = DB_SQLITE, .b_kind = DB_SQLITE };
static struct pair sq_pg = { .a_kind = DB_SQLITE, .b_kind = DB_POSTGRES };
static struct pair pg_sq = { .a_kind = DB_POSTGRES, .b_kind = DB_SQLITE };
static struct pair pg_pg = { .a_kind = DB_POSTGRES, .b_kind = DB_POSTGRES };

#define PAIR_TEST(fn, p) cmocka_unit_test_prestate_setup_teardown(fn, pair_setup, pair_teardown, p)
#define COPY_TESTS(p) \
	PAIR_TEST(test_copy_store_copies_every_row_with_nulls_and_text_intact, p), \
	PAIR_TEST(test_copy_store_refuses_a_non_empty_target_and_changes_nothing, p), \
	PAIR_TEST(test_copy_store_rolls_back_everything_when_a_row_is_refused, p)

int main(void)
{
	const struct CMUnitTest sqlite_tests[] = {
		PAIR_TEST(test_every_table_of_the_schema_is_in_the_copy_list, &sq_sq),
		PAIR_TEST(test_the_copy_list_puts_every_table_after_those_it_references, &sq_sq),
		PAIR_TEST(test_a_dynamic_statement_owns_its_text_and_is_reusable, &sq_sq),
		COPY_TESTS(&sq_sq),
		PAIR_TEST(test_copy_store_refuses_when_a_derived_table_rebuilds_differently, &sq_sq),
		PAIR_TEST(test_copy_store_refuses_a_missing_or_outdated_source, &sq_sq),
		PAIR_TEST(test_backup_and_restore_round_trip_a_sqlite_store, &sq_sq),
		PAIR_TEST(test_restore_refuses_a_file_that_is_not_a_sqlite_backup, &sq_sq),
	};
	const struct CMUnitTest pg_tests[] = {
		PAIR_TEST(test_a_dynamic_statement_owns_its_text_and_is_reusable, &pg_pg),
		COPY_TESTS(&sq_pg),
		COPY_TESTS(&pg_sq),
		COPY_TESTS(&pg_pg),
		PAIR_TEST(test_copy_store_refuses_a_missing_or_outdated_source, &sq_pg),
	};
	int failed;

	log_quiet(1);
	failed = cmocka_run_group_tests_name("copy on SQLite", sqlite_tests, NULL, NULL);
	if (testdb_pg_wanted("test_copy", &failed))
		failed += cmocka_run_group_tests_name("copy with PostgreSQL", pg_tests, NULL, NULL);
	return failed ? 1 : 0;
}
