/* testdb.h - throwaway stores for the unit tests: a SQLite file in a new
 * temporary directory, or a new database on the PostgreSQL cluster named by
 * JIEBANG_TEST_PG (a base URL such as postgres://postgres@127.0.0.1:55432/ ;
 * scripts/pgtest.sh starts one). With JIEBANG_REQUIRE_PG=1 a missing
 * JIEBANG_TEST_PG is a failure, not a skip. Every failure here fails the
 * current test (cmocka fail_msg). Header-only: each test binary is one file. */
#ifndef JIEBANG_TESTDB_H
#define JIEBANG_TESTDB_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/db.h"
#include "util/arena.h"

/* One store, made by testdb_make() and removed by testdb_drop(). */
struct testdb {
	enum db_kind kind;
	char url[512];     /* what db_open() takes */
	char dir[64];      /* SQLite: its temporary directory (store file s.db) */
	char dbname[64];   /* PostgreSQL: its database */
};

/* The one integer sql answers, failing the test on a store error. */
static inline int64_t testdb_scalar(db *d, const char *sql)
{
	int64_t v = -1;

	if (db_scalar(d, sql, &v, 0) != 0)
		fail_msg("%s: %s", sql, db_errmsg(d));
	return v;
}

/* Run sql, failing the test on a store error. */
static inline void testdb_exec(db *d, const char *sql)
{
	if (db_exec(d, sql) < 0)
		fail_msg("%s: %s", sql, db_errmsg(d));
}

/* JIEBANG_TEST_PG with the database name replaced by name (query kept). */
static inline void testdb_pg_url(char *out, size_t n, const char *name)
{
	const char *base = getenv("JIEBANG_TEST_PG");
	const char *q = strchr(base, '?');
	size_t len = q ? (size_t)(q - base) : strlen(base);
	const char *auth = strstr(base, "://");
	const char *slash = auth ? memchr(auth + 3, '/', len - (size_t)(auth + 3 - base)) : NULL;

	if (slash)
		len = (size_t)(slash - base);
	snprintf(out, n, "%.*s/%s%s", (int)len, base, name, q ? q : "");
}

/* Run sql on the cluster's "postgres" database (CREATE/DROP DATABASE). */
static inline void testdb_pg_admin(const char *sql)
{
	char url[512], err[256];
	db *a;

	testdb_pg_url(url, sizeof(url), "postgres");
	a = db_open(url, err, sizeof(err));
	if (!a)
		fail_msg("%s", err);
	if (db_exec(a, sql) < 0)
		fail_msg("%s: %s", sql, db_errmsg(a));
	db_close(a);
}

/* Make a new empty store of kind, not opened and not migrated: the directory
 * /tmp/jb-test-<name>-XXXXXX or the database jb_test_<name>_<pid>_<n>. All of
 * *s is overwritten. */
static inline void testdb_make(struct testdb *s, enum db_kind kind, const char *name)
{
	static int seq;
	char sql[160];

	memset(s, 0, sizeof(*s));
	s->kind = kind;
	if (kind == DB_SQLITE) {
		snprintf(s->dir, sizeof(s->dir), "/tmp/jb-test-%s-XXXXXX", name);
		if (!mkdtemp(s->dir))
			fail_msg("mkdtemp failed");
		snprintf(s->url, sizeof(s->url), "sqlite:%s/s.db", s->dir);
	} else {
		snprintf(s->dbname, sizeof(s->dbname), "jb_test_%s_%d_%d", name, (int)getpid(), ++seq);
		snprintf(sql, sizeof(sql), "CREATE DATABASE \"%s\" TEMPLATE template0 ENCODING 'UTF8'", s->dbname);
		testdb_pg_admin(sql);
		testdb_pg_url(s->url, sizeof(s->url), s->dbname);
	}
}

static inline int testdb_remove(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	return remove(path);
}

/* Remove the store testdb_make() made, with everything a test left in its
 * directory; a store never made (all zero) is left alone. Connections to it
 * must be closed first on SQLite; PostgreSQL ones are ended. */
static inline void testdb_drop(struct testdb *s)
{
	char sql[160];

	if (s->kind == DB_SQLITE) {
		if (s->dir[0] && nftw(s->dir, testdb_remove, 8, FTW_DEPTH | FTW_PHYS) != 0)
			fprintf(stderr, "cannot remove %s\n", s->dir);
	} else if (s->dbname[0]) {
		snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS \"%s\" WITH (FORCE)", s->dbname);
		testdb_pg_admin(sql);
	}
}

/* A connection to url; the test fails if it cannot be opened. */
static inline db *testdb_open(const char *url)
{
	char err[256];
	db *d = db_open(url, err, sizeof(err));

	if (!d)
		fail_msg("%s", err);
	return d;
}

/* For main(), after the SQLite group: true when JIEBANG_TEST_PG asks for
 * the PostgreSQL group. Otherwise says on stderr that prog skips it, or,
 * under JIEBANG_REQUIRE_PG=1, that this is a failure, counted in *failed. */
/* A migrated store with tenant 1 ('a'), open on *d. */
static inline void testdb_tenant_store(struct testdb *s, enum db_kind kind, const char *name, db **d)
{
	char err[256];

	testdb_make(s, kind, name);
	*d = testdb_open(s->url);
	if (db_migrate(*d, err, sizeof(err)) < 0)
		fail_msg("%s", err);
	if (db_exec(*d, "INSERT INTO tenant (id, slug, name, created_at) VALUES (1, 'a', 'A', 0)") < 0)
		fail_msg("%s", db_errmsg(*d));
}

/* The fixture of tests that run verbs: a migrated store with tenant 1
 * (named name, of s.kind), its connection and an arena. Set s.kind and
 * name statically; pass it as the cmocka state of tenant_fixture_setup
 * and tenant_fixture_teardown. */
struct tenant_fixture {
	struct testdb s;
	const char *name;
	db *d;
	arena *a;
};

static inline int tenant_fixture_setup(void **state)
{
	struct tenant_fixture *f = *state;

	testdb_tenant_store(&f->s, f->s.kind, f->name, &f->d);
	f->a = arena_new();
	return 0;
}

static inline int tenant_fixture_teardown(void **state)
{
	struct tenant_fixture *f = *state;

	arena_free(f->a);
	db_close(f->d);
	testdb_drop(&f->s);
	return 0;
}

static inline bool testdb_pg_wanted(const char *prog, int *failed)
{
	const char *pg = getenv("JIEBANG_TEST_PG");
	const char *require = getenv("JIEBANG_REQUIRE_PG");

	if (pg && *pg)
		return true;
	if (require && !strcmp(require, "1")) {
		fprintf(stderr, "%s: FAIL: JIEBANG_REQUIRE_PG=1 but JIEBANG_TEST_PG is not set;"
			" start a cluster with scripts/pgtest.sh start DIR and set JIEBANG_TEST_PG to its URL\n", prog);
		(*failed)++;
	} else {
		fprintf(stderr, "%s: PostgreSQL tests not requested"
			" (set JIEBANG_TEST_PG=postgres://... to run them)\n", prog);
	}
	return false;
}

#endif
