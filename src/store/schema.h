/* schema.h - the numbered migrations, embedded in the binary.
 *
 * One list serves both stores. A migration's sql runs on both; where the
 * dialects differ, sqlite_sql / pg_sql run after it on that store only.
 * Keep those two fields rare and small. Every tenant-owned table leads its
 * primary key and foreign keys with tenant_id (Citus co-location). */
#ifndef JB_SCHEMA_H
#define JB_SCHEMA_H

#include <stdbool.h>

struct migration {
	int version;
	const char *name;
	const char *sql;
	const char *sqlite_sql;
	const char *pg_sql;
	bool rebuilds;     /* SQLite: rebuilds tables, so runs with foreign keys off (migrate.c) */
};

extern const struct migration migrations[];
extern const int migrations_count;

#endif
