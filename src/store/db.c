/* db.c - picks the driver from the URL and forwards every call to it. */
#include "store/db.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"

#define DRV(x) (((const struct db_base *)(x))->drv)
#define BASE(x) ((struct db_base *)(x))
#define SDRV(x) (((const struct db_stmt_base *)(x))->drv)

db *db_open(const char *url, char *err, size_t errlen)
{
	if (!strncmp(url, "postgres://", 11) || !strncmp(url, "postgresql://", 13))
		return db_pg_driver.open(url, err, errlen);
	if (strstr(url, "://")) {
		snprintf(err, errlen, "unsupported database URL '%s' (use sqlite:PATH or postgres://...)", url);
		return NULL;
	}
	if (!strncmp(url, "sqlite:", 7))
		url += 7;
	return db_sqlite_driver.open(url, err, errlen);
}

void db_close(db *d) { if (d) DRV(d)->close(d); }
enum db_kind db_kind(const db *d) { return DRV(d)->kind; }
const char *db_errmsg(const db *d) { return DRV(d)->errmsg(d); }
enum db_errclass db_errclass(const db *d) { return DRV(d)->errclass(d); }
db_stmt *db_prepare(db *d, const char *sql) { return DRV(d)->prepare(d, sql); }
void db_bind_int(db_stmt *st, int i, int64_t v) { SDRV(st)->bind_int(st, i, v); }
void db_bind_text(db_stmt *st, int i, const char *s) { SDRV(st)->bind_text(st, i, s); }
void db_bind_null(db_stmt *st, int i) { SDRV(st)->bind_null(st, i); }
void db_bind_id(db_stmt *st, int i, int64_t id) { if (id) db_bind_int(st, i, id); else db_bind_null(st, i); }
int db_step(db_stmt *st) { return SDRV(st)->step(st); }
int db_ncols(db_stmt *st) { return SDRV(st)->ncols(st); }
bool db_col_null(db_stmt *st, int c) { return SDRV(st)->col_null(st, c); }
int64_t db_col_int(db_stmt *st, int c) { return SDRV(st)->col_int(st, c); }
const char *db_col_text(db_stmt *st, int c) { return SDRV(st)->col_text(st, c); }
const char *db_col_name(db_stmt *st, int c) { return SDRV(st)->col_name(st, c); }
void db_done(db_stmt *st) { if (st) SDRV(st)->done(st); }
db_stmt *db_prepare_dynamic(db *d, const char *sql) { return DRV(d)->prepare_dynamic(d, sql); }
void db_finalize(db_stmt *st) { if (st) SDRV(st)->finalize(st); }
int db_exec(db *d, const char *sql) { return DRV(d)->exec(d, sql); }
bool db_in_txn(const db *d) { return ((const struct db_base *)d)->depth > 0; }

int db_begin(db *d, enum db_txn m)
{
	struct db_base *b = BASE(d);

	if (b->depth > 0) {
		if (m == DB_WRITE && b->mode == DB_READ) {
			fputs("jiebang: bug: a write transaction begun inside a read transaction\n", stderr);
			abort();
		}
		b->depth++;
		return 0;
	}
	if (DRV(d)->begin(d, m) < 0)
		return -1;
	b->depth = 1;
	b->mode = m;
	b->doomed = false;
	return 0;
}

int db_commit(db *d)
{
	struct db_base *b = BASE(d);

	if (b->depth > 1) {
		b->depth--;
		return 0;
	}
	b->depth = 0;
	if (b->doomed) {
		DRV(d)->rollback(d);
		return -1;
	}
	return DRV(d)->commit(d);
}

void db_rollback(db *d)
{
	struct db_base *b = BASE(d);

	if (b->depth > 1) {
		b->depth--;
		b->doomed = true;
		return;
	}
	b->depth = 0;
	DRV(d)->rollback(d);
}

int db_scalar(db *d, const char *sql, int64_t *out, int n, ...)
{
	db_stmt *st = db_prepare(d, sql);
	va_list ap;
	int rc;

	if (!st)
		return -1;
	va_start(ap, n);
	for (int i = 1; i <= n; i++)
		db_bind_int(st, i, va_arg(ap, int64_t));
	va_end(ap);
	rc = db_step(st);
	if (rc == DB_ROW)
		*out = db_col_int(st, 0);
	db_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

/* The highest $n in sql. */
static int max_placeholder(const char *sql)
{
	int max = 0;

	for (const char *s = sql; (s = strchr(s, '$')) != NULL;) {
		int n = (int)strtol(++s, NULL, 10);
		if (n > max)
			max = n;
	}
	return max;
}

static db_stmt *query_va(db *d, const char *sql, const char *fmt, va_list ap)
{
	db_stmt *st;

	if (max_placeholder(sql) != (int)strlen(fmt)) { /* a bug in the caller: fail the statement */
		log_error("db_query: %zu arguments for %d placeholders in: %s", strlen(fmt), max_placeholder(sql), sql);
		return NULL;
	}
	if (!(st = db_prepare(d, sql)))
		return NULL;
	for (int i = 1; *fmt; fmt++, i++) {
		switch (*fmt) {
		case 'i': db_bind_int(st, i, va_arg(ap, int64_t)); break;
		case 'd': db_bind_id(st, i, va_arg(ap, int64_t)); break;
		case 's': db_bind_text(st, i, va_arg(ap, const char *)); break;
		default: abort(); /* a bug in the caller's format */
		}
	}
	return st;
}

db_stmt *db_query(db *d, const char *sql, const char *fmt, ...)
{
	va_list ap;
	db_stmt *st;

	va_start(ap, fmt);
	st = query_va(d, sql, fmt, ap);
	va_end(ap);
	return st;
}

int db_run(db *d, const char *sql, const char *fmt, ...)
{
	va_list ap;
	db_stmt *st;
	int rc;

	va_start(ap, fmt);
	st = query_va(d, sql, fmt, ap);
	va_end(ap);
	if (!st)
		return DB_ERROR;
	rc = db_step(st);
	db_done(st);
	return rc;
}

int db_ping(db *d)
{
	int64_t one;

	return db_scalar(d, "SELECT 1", &one, 0) == 0 ? 0 : -1;
}

int db_scalar_text(db *d, const char *sql, const char *arg, int64_t *out)
{
	db_stmt *st = db_prepare(d, sql);
	int rc;

	if (!st)
		return -1;
	db_bind_text(st, 1, arg);
	rc = db_step(st);
	if (rc == DB_ROW)
		*out = db_col_int(st, 0);
	db_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

int64_t db_next_id(db *d, int64_t tenant_id, const char *table)
{
	db_stmt *st = db_prepare(d,
		"INSERT INTO id_seq (tenant_id, name, next_id) VALUES ($1, $2, 1)"
		" ON CONFLICT (tenant_id, name) DO UPDATE SET next_id = id_seq.next_id + 1"
		" RETURNING next_id");
	int64_t id = -1;

	if (!st)
		return -1;
	db_bind_int(st, 1, tenant_id);
	db_bind_text(st, 2, table);
	if (db_step(st) == DB_ROW)
		id = db_col_int(st, 0);
	db_done(st);
	return id;
}
