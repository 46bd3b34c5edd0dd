/* migrate.c - applies the embedded migrations in one transaction. */
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

int db_migrate(db *d, char *err, size_t errlen)
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
	if (db_commit(d) < 0)
		goto fail;
	return 0;
fail:
	snprintf(err, errlen, "migration failed: %s", db_errmsg(d));
	db_rollback(d);
	return -1;
}
