/* copy.h - whole-store copies: backup to a file, restore from one, and
 * migrate-store between two stores (SQLite <-> PostgreSQL).
 *
 * Every function returns 0, or -1 with a one-line reason in err that names
 * the cause and never contains a password. Each leaves nothing half-done:
 * a backup appears under its name only when complete and synced; a restore
 * or copy either lands whole or leaves the target as it was (or, for a
 * target that was empty, migrated and still empty). Called by the CLI
 * (main.c); they open their own connections. */
#ifndef JB_COPY_H
#define JB_COPY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Write a consistent copy of the store at url into file, which must not
 * exist yet. SQLite: the online backup API (writers carry on meanwhile),
 * then fsync of the file and its directory. PostgreSQL: pg_dump
 * --format=custom, run without a shell and with the password passed in
 * the environment, never on its command line. The file is created 0600. */
int db_backup(const char *url, const char *file, char *err, size_t errlen)
	__attribute__((warn_unused_result));

/* Restore a db_backup() file into the store at url, then migrate it to this
 * binary's schema. The file's kind (SQLite database or pg_dump custom
 * archive) must match the store's. Refuses a store that has a tenant; on
 * PostgreSQL the database must have no tables at all (pg_restore runs in
 * one transaction). SQLite: the file passes PRAGMA integrity_check first. */
int db_restore(const char *url, const char *file, char *err, size_t errlen)
	__attribute__((warn_unused_result));

/* Copy every row of every table (db_copy_table order) from one store to
 * another in one write transaction on the target, after migrating the
 * target. The source must be at this binary's schema version; the target
 * must have no tenant. Row counts are compared per table on both sides and
 * any difference rolls the copy back; derived tables (kept by triggers) are
 * not copied but rebuilt by the target's triggers and compared too. One
 * line per table ("name rows", or "name rebuilt") goes to report unless it
 * is NULL. */
int db_copy_store(const char *from_url, const char *to_url, FILE *report, char *err, size_t errlen)
	__attribute__((warn_unused_result));

/* The tables db_copy_store() copies, parents before children; NULL past the
 * end. Every table of the schema is either here or db_copy_skips() it
 * (tests/unit/test_copy.c checks this against the migrated schema). */
const char *db_copy_table(size_t i);
/* Tables that are not copied: schema_migrations (the target's own, written
 * by migrating it) and derived tables (rebuilt by the target's triggers). */
bool db_copy_skips(const char *table);

#endif
