/* db.h - the one store interface; SQLite and PostgreSQL drivers sit behind it.
 *
 * A db is one connection, owned by one thread. SQL text uses $1, $2 ...
 * placeholders (PostgreSQL style; the SQLite driver maps them) and must be a
 * string with static storage: statements are prepared once per connection
 * and cached by the address of their text.
 *
 *     db_stmt *st = db_prepare(d, "SELECT name FROM unit WHERE tenant_id = $1 AND id = $2");
 *     db_bind_int(st, 1, tenant);
 *     db_bind_int(st, 2, id);
 *     while (db_step(st) == DB_ROW)
 *         use(db_col_text(st, 0));
 *     db_done(st);
 *
 * Errors: db_prepare() returns NULL and db_step() returns DB_ERROR; the
 * message is in db_errmsg(). db_done() must follow every db_prepare() that
 * succeeded (it resets the statement for reuse and clears bindings).
 * Transactions: db_begin(d, DB_WRITE) takes the write lock up front (SQLite
 * BEGIN IMMEDIATE; PostgreSQL READ COMMITTED after a transaction-scoped
 * advisory lock that serializes writers), so a write transaction never fails
 * half-way for want of a lock. DB_READ is a read-only snapshot (PostgreSQL
 * REPEATABLE READ READ ONLY): do not write in it. After any failed statement
 * inside a transaction, roll back: PostgreSQL aborts the whole transaction
 * where SQLite undoes only the statement. A db_begin() inside a transaction
 * joins it (a read inside a write, or a write inside a write; a write
 * inside a read is a bug and aborts): its commit does nothing, its
 * rollback makes the outermost commit roll back and fail, and only the
 * outermost commit or rollback ends the transaction. Write portable SQL:
 * CAST($1 AS BIGINT), never $1::bigint. */
#ifndef JB_DB_H
#define JB_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct db db;
typedef struct db_stmt db_stmt;

enum { DB_ERROR = -1, DB_DONE = 0, DB_ROW = 1 };
enum db_kind { DB_SQLITE, DB_POSTGRES };
enum db_txn { DB_READ, DB_WRITE };
/* Error classes a caller may act on. DB_ENOSPACE: the store cannot write
 * now (its disk is full, or it is read-only) while reads may still work. */
enum db_errclass { DB_EOK, DB_EGENERIC, DB_ECONSTRAINT, DB_EUNAVAILABLE, DB_ENOSPACE };

/* Open a store. url is "sqlite:PATH", a plain path, or "postgres://...".
 * On failure returns NULL and writes a one-line reason into err. */
db *db_open(const char *url, char *err, size_t errlen);
void db_close(db *d);
enum db_kind db_kind(const db *d);
const char *db_errmsg(const db *d);
enum db_errclass db_errclass(const db *d);

db_stmt *db_prepare(db *d, const char *sql) __attribute__((warn_unused_result));
void db_bind_int(db_stmt *st, int idx, int64_t v);
void db_bind_text(db_stmt *st, int idx, const char *s); /* NULL binds NULL */
void db_bind_null(db_stmt *st, int idx);
/* An optional reference: id, or NULL when id is 0 (ids start at 1). */
void db_bind_id(db_stmt *st, int idx, int64_t id);
int db_step(db_stmt *st) __attribute__((warn_unused_result));
int db_ncols(db_stmt *st);
bool db_col_null(db_stmt *st, int col);
int64_t db_col_int(db_stmt *st, int col);
/* Valid until the next db_step()/db_done(); "" for NULL. */
const char *db_col_text(db_stmt *st, int col);
const char *db_col_name(db_stmt *st, int col);
void db_done(db_stmt *st);

/* A statement whose SQL is built at run time (store/copy.c builds INSERTs
 * from a table's column names). Unlike db_prepare() the text is copied, not
 * cached, and need not be static; the caller owns the statement: use it as
 * any other (bind, step, db_done, again) and free it with db_finalize().
 * Build the text from quoted identifiers and $n placeholders only, never
 * from values. */
db_stmt *db_prepare_dynamic(db *d, const char *sql) __attribute__((warn_unused_result));
/* Frees a db_prepare_dynamic() statement (NULL is fine); on a cached
 * statement it is db_done(). Must precede db_close(). */
void db_finalize(db_stmt *st);

/* Run one or more statements without parameters (DDL, pragmas). */
int db_exec(db *d, const char *sql) __attribute__((warn_unused_result));
int db_begin(db *d, enum db_txn mode) __attribute__((warn_unused_result));
int db_commit(db *d) __attribute__((warn_unused_result));
void db_rollback(db *d);
/* Whether a transaction is open on d. */
bool db_in_txn(const db *d);

/* Convenience: run sql bound with up to n int64 arguments and return the
 * first column of the first row in *out; 0 found, 1 no row, -1 error. */
int db_scalar(db *d, const char *sql, int64_t *out, int n, ...);
/* Prepare sql and bind its arguments by fmt, one letter each: 'i' an
 * int64_t, 'd' an optional reference (int64_t, 0 binds NULL), 's' a text
 * (NULL binds NULL). The caller steps it and calls db_done(). NULL when
 * the prepare failed, or when fmt does not have one letter for each of
 * $1 ... $n (logged: a bug in the caller, which the tests must catch).
 *
 *     db_stmt *st = db_query(d, "SELECT title FROM problem WHERE tenant_id = $1 AND id = $2", "ii", t, id);
 */
db_stmt *db_query(db *d, const char *sql, const char *fmt, ...) __attribute__((warn_unused_result));
/* The same, stepped once and done: DB_ROW (a row came back: RETURNING, a
 * SELECT), DB_DONE, or DB_ERROR. A compare-and-set is an UPDATE ... WHERE
 * state = $n RETURNING id: DB_DONE means no row matched. */
int db_run(db *d, const char *sql, const char *fmt, ...) __attribute__((warn_unused_result));
/* 0 when the store answers a query, else -1. */
int db_ping(db *d);
/* The same with one text argument ($1). */
int db_scalar_text(db *d, const char *sql, const char *arg, int64_t *out);

/* Next id for table in tenant (ids are per tenant, from 1), inside the
 * caller's write transaction. Returns -1 on error. */
int64_t db_next_id(db *d, int64_t tenant_id, const char *table);

/* Schema migrations (store/migrate.c). Brings the schema up to date inside
 * one transaction. Returns 0, or -1 with a message in err. */
int db_migrate(db *d, char *err, size_t errlen);
int db_schema_version(db *d);
int db_latest_version(void);
/* Backend vtable for drivers; callers never use it. */
#include "store/driver.h"

#endif
