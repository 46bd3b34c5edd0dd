/* sqlite.c - the SQLite driver: WAL, foreign keys, busy timeout, IMMEDIATE
 * write transactions, and a per-connection cache of prepared statements. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "util/buf.h"
#include "util/xalloc.h"

#define CACHE_SLOTS 512 /* power of two; distinct SQL texts in the program */

struct sq_stmt {
	struct db_stmt_base base;
	struct sq_db *db;
	sqlite3_stmt *st;
	const char *key;      /* cache key; NULL for a dynamic statement */
};

struct sq_db {
	struct db_base base;
	sqlite3 *h;
	int errcode;          /* of the most recent failure */
	char errmsg[256];
	struct sq_stmt *cache[CACHE_SLOTS];
};

#define SQ(d) ((struct sq_db *)(d))
#define SS(s) ((struct sq_stmt *)(s))

static db *sq_open(const char *path, char *err, size_t errlen)
{
	struct sq_db *d;
	sqlite3 *h = NULL;
	int rc;

	rc = sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
			     SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "cannot open database '%s': %s", path,
			 h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
		sqlite3_close(h);
		return NULL;
	}
	sqlite3_busy_timeout(h, 5000);
	sqlite3_extended_result_codes(h, 1);
	rc = sqlite3_exec(h, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;"
			  " PRAGMA synchronous=FULL; PRAGMA trusted_schema=OFF;"
			  /* Reads through a memory map: no read() per page on large stores. */
			  " PRAGMA mmap_size=268435456", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "cannot open database '%s': %s", path, sqlite3_errmsg(h));
		sqlite3_close(h);
		return NULL;
	}
	d = xcalloc(1, sizeof(*d));
	d->base.drv = &db_sqlite_driver;
	d->h = h;
	return (db *)d;
}

static void sq_close(db *dd)
{
	struct sq_db *d = SQ(dd);

	for (int i = 0; i < CACHE_SLOTS; i++) {
		if (d->cache[i]) {
			sqlite3_finalize(d->cache[i]->st);
			free(d->cache[i]);
		}
	}
	sqlite3_close(d->h);
	free(d);
}

/* Remember the failure: a later ROLLBACK must not erase what went wrong. */
static void sq_failed(struct sq_db *d)
{
	d->errcode = sqlite3_extended_errcode(d->h);
	snprintf(d->errmsg, sizeof(d->errmsg), "%s", sqlite3_errmsg(d->h));
}

static const char *sq_errmsg(const db *d)
{
	return SQ(d)->errmsg[0] ? SQ(d)->errmsg : "not an error";
}

static enum db_errclass sq_errclass(const db *d)
{
	int rc = SQ(d)->errcode & 0xff;
	if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE)
		return DB_EOK;
	if (rc == SQLITE_CONSTRAINT)
		return DB_ECONSTRAINT;
	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		return DB_EUNAVAILABLE;
	if (rc == SQLITE_FULL || rc == SQLITE_READONLY)
		return DB_ENOSPACE;
	return DB_EGENERIC;
}

/* $N placeholders become ?N; quoted text is left alone. */
static char *sq_rewrite(const char *sql)
{
	buf b = BUF_INIT;
	char quote = 0;

	for (const char *p = sql; *p; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
		} else if (*p == '\'' || *p == '"') {
			quote = *p;
		} else if (*p == '$' && p[1] >= '0' && p[1] <= '9') {
			buf_putc(&b, '?');
			continue;
		}
		buf_putc(&b, *p);
	}
	return buf_detach(&b, NULL);
}

static db_stmt *sq_prepare(db *dd, const char *sql)
{
	struct sq_db *d = SQ(dd);
	size_t h = ((size_t)(uintptr_t)sql >> 3) * 2654435761u;
	struct sq_stmt *s;
	char *text;

	for (size_t i = 0; i < CACHE_SLOTS; i++) {
		size_t slot = (h + i) & (CACHE_SLOTS - 1);
		s = d->cache[slot];
		if (s && s->key == sql)
			return (db_stmt *)s;
		if (s)
			continue;
		text = sq_rewrite(sql);
		s = xcalloc(1, sizeof(*s));
		s->base.drv = &db_sqlite_driver;
		s->db = d;
		s->key = sql;
		if (sqlite3_prepare_v3(d->h, text, -1, SQLITE_PREPARE_PERSISTENT, &s->st, NULL) != SQLITE_OK) {
			sq_failed(d);
			free(text);
			free(s);
			return NULL;
		}
		free(text);
		d->cache[slot] = s;
		return (db_stmt *)s;
	}
	/* Cache full (cannot happen with static SQL): a one-off statement would
	 * leak, so refuse loudly. */
	xdie("sqlite: statement cache full");
}

/* Not cached: owned by the caller until sq_finalize. */
static db_stmt *sq_prepare_dynamic(db *dd, const char *sql)
{
	struct sq_stmt *s = xcalloc(1, sizeof(*s));
	char *text = sq_rewrite(sql);
	int rc;

	s->base.drv = &db_sqlite_driver;
	s->db = SQ(dd);
	rc = sqlite3_prepare_v3(SQ(dd)->h, text, -1, 0, &s->st, NULL);
	free(text);
	if (rc != SQLITE_OK)
		sq_failed(SQ(dd));
	if (rc != SQLITE_OK || !s->st) { /* !s->st: no statement in the text */
		sqlite3_finalize(s->st);
		free(s);
		return NULL;
	}
	return (db_stmt *)s;
}

static void sq_bind_int(db_stmt *st, int i, int64_t v) { sqlite3_bind_int64(SS(st)->st, i, v); }
static void sq_bind_null(db_stmt *st, int i) { sqlite3_bind_null(SS(st)->st, i); }
static void sq_bind_text(db_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(SS(st)->st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(SS(st)->st, i);
}

static int sq_step(db_stmt *st)
{
	int rc = sqlite3_step(SS(st)->st);
	if (rc == SQLITE_ROW)
		return DB_ROW;
	if (rc == SQLITE_DONE)
		return DB_DONE;
	sq_failed(SS(st)->db);
	return DB_ERROR;
}

static int sq_ncols(db_stmt *st) { return sqlite3_column_count(SS(st)->st); }
static bool sq_col_null(db_stmt *st, int c) { return sqlite3_column_type(SS(st)->st, c) == SQLITE_NULL; }
static int64_t sq_col_int(db_stmt *st, int c) { return sqlite3_column_int64(SS(st)->st, c); }
static const char *sq_col_name(db_stmt *st, int c) { return sqlite3_column_name(SS(st)->st, c); }
static const char *sq_col_text(db_stmt *st, int c)
{
	const unsigned char *t = sqlite3_column_text(SS(st)->st, c);
	return t ? (const char *)t : "";
}

static void sq_done(db_stmt *st)
{
	sqlite3_reset(SS(st)->st);
	sqlite3_clear_bindings(SS(st)->st);
}

static void sq_finalize(db_stmt *st)
{
	if (SS(st)->key) {
		sq_done(st);
		return;
	}
	sqlite3_finalize(SS(st)->st);
	free(st);
}

static int sq_exec(db *d, const char *sql)
{
	if (sqlite3_exec(SQ(d)->h, sql, NULL, NULL, NULL) == SQLITE_OK)
		return 0;
	sq_failed(SQ(d));
	return -1;
}

static int sq_begin(db *d, enum db_txn mode)
{
	return sq_exec(d, mode == DB_WRITE ? "BEGIN IMMEDIATE" : "BEGIN");
}

static int sq_commit(db *d)
{
	return sq_exec(d, "COMMIT");
}

static void sq_rollback(db *d)
{
	if (sqlite3_get_autocommit(SQ(d)->h) == 0)
		sqlite3_exec(SQ(d)->h, "ROLLBACK", NULL, NULL, NULL);
}

const struct db_driver db_sqlite_driver = {
	"sqlite", DB_SQLITE, sq_open, sq_close, sq_errmsg, sq_errclass, sq_prepare,
	sq_bind_int, sq_bind_text, sq_bind_null, sq_step, sq_ncols, sq_col_null,
	sq_col_int, sq_col_text, sq_col_name, sq_done, sq_exec, sq_begin, sq_commit,
	sq_rollback, sq_prepare_dynamic, sq_finalize,
};
