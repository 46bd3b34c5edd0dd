/* migrate.c - applies the embedded migrations in one transaction. */
#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "store/db.h"
#include "store/schema.h"

static const char create_versions[] =
	"CREATE TABLE IF NOT EXISTS schema_migrations (\n"
	"  version INT PRIMARY KEY,\n"
	"  name TEXT NOT NULL,\n"
	"  applied_at BIGINT NOT NULL\n"
	")";

int db_latest_version(void)
{
	return migrations[migrations_count - 1].version;
}

/* -1 when the store cannot be read; 0 for an empty store. */
int db_schema_version(db *d)
{
	int64_t v = 0;
	int rc;

	if (db_exec(d, create_versions) < 0)
		return -1;
	rc = db_scalar(d, "SELECT coalesce(max(version), 0) FROM schema_migrations", &v, 0);
	return rc < 0 ? -1 : (int)v;
}

static int migrate_all(db *d, bool fk_checked, char *err, size_t errlen);

/* Whether a migration after version have rebuilds tables on SQLite. */
static bool rebuilds_after(int have)
{
	for (int i = 0; i < migrations_count; i++)
		if (migrations[i].version > have && migrations[i].rebuilds)
			return true;
	return false;
}

/* SQLite rebuilds a table by creating the new one, copying, dropping the
 * old one and renaming: with foreign keys on, the drop would delete or
 * orphan its children. So, as sqlite.org/lang_altertable.html says, keys
 * are off for the transaction (the pragma is a no-op inside one: it is set
 * before, from a version read outside it) and checked before commit. */
static int fk_off(db *d, bool off)
{
	return db_exec(d, off ? "PRAGMA foreign_keys = OFF" : "PRAGMA foreign_keys = ON");
}

static int fk_check(db *d)
{
	int64_t bad = 0;

	if (db_scalar(d, "SELECT count(*) FROM pragma_foreign_key_check", &bad, 0) < 0)
		return -1;
	return bad ? -1 : 0;
}

/* The schema version of a SQLite store, read without writing anything
 * (db_schema_version() creates the versions table, outside a transaction
 * here). -1 on a store error. */
static int sqlite_version_peek(db *d)
{
	int64_t n = 0, v = 0;

	if (db_scalar(d, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'", &n,
		      0) < 0)
		return -1;
	if (n && db_scalar(d, "SELECT coalesce(max(version), 0) FROM schema_migrations", &v, 0) < 0)
		return -1;
	return (int)v;
}

int db_migrate(db *d, char *err, size_t errlen)
{
	int have, rc;
	bool off = false;

	if (db_kind(d) == DB_SQLITE && !db_in_txn(d)) {
		if ((have = sqlite_version_peek(d)) < 0)
			goto fail;
		off = rebuilds_after(have);
		if (off && fk_off(d, true) < 0)
			goto fail;
	}
	rc = migrate_all(d, off, err, errlen);
	if (off && fk_off(d, false) < 0 && rc == 0) {
		snprintf(err, errlen, "migration: foreign keys could not be turned back on: %s", db_errmsg(d));
		return -1;
	}
	return rc;
fail:
	snprintf(err, errlen, "migration failed: %s", db_errmsg(d));
	return -1;
}

static int migrate_all(db *d, bool fk_checked, char *err, size_t errlen)
{
	int have;

	if (db_begin(d, DB_WRITE) < 0)
		goto fail;
	have = db_schema_version(d);
	if (have < 0)
		goto fail;
	if (have > db_latest_version()) {
		snprintf(err, errlen, "database schema version %d is newer than this jiebang (%d); upgrade jiebang",
			 have, db_latest_version());
		db_rollback(d);
		return -1;
	}
	for (int i = 0; i < migrations_count; i++) {
		const struct migration *m = &migrations[i];
		const char *extra = db_kind(d) == DB_SQLITE ? m->sqlite_sql : m->pg_sql;
		if (m->version <= have)
			continue;
		if (db_exec(d, m->sql) < 0 || (extra && db_exec(d, extra) < 0))
			goto fail;
		db_stmt *st = db_prepare(d, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)");
		if (!st)
			goto fail;
		db_bind_int(st, 1, m->version);
		db_bind_text(st, 2, m->name);
		db_bind_int(st, 3, (int64_t)time(NULL));
		int rc = db_step(st);
		db_done(st);
		if (rc != DB_DONE)
			goto fail;
	}
	if (fk_checked && fk_check(d) < 0) {
		snprintf(err, errlen, "migration failed: rebuilt tables break a foreign key (PRAGMA foreign_key_check)");
		db_rollback(d);
		return -1;
	}
	if (db_commit(d) < 0)
		goto fail;
	return 0;
fail:
	snprintf(err, errlen, "migration failed: %s", db_errmsg(d));
	db_rollback(d);
	return -1;
}
