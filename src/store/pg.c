/* pg.c - the PostgreSQL driver (libpq): per-connection prepared statements,
 * writers serialized by one advisory lock, reconnect after a lost session.
 *
 * Contracts beyond db.h:
 * - Results are fetched whole, in text format, on the first db_step(); the
 *   remaining steps walk the rows in memory. Column text stays valid until
 *   db_done(). Booleans ("t"/"f") read as 1/0 through db_col_int().
 * - Parameters are sent as text, any number of them (the statement's
 *   description from the server sizes the arrays). Unbound parameters are
 *   NULL (as in SQLite); binding an index the statement does not have makes
 *   the next db_step() fail.
 * - A failed statement inside a transaction aborts the whole transaction
 *   (SQLite undoes only the statement): roll back after any error.
 * - When the connection is lost the failing call reports DB_EUNAVAILABLE and
 *   "database connection lost". The next db_prepare()/db_begin()/db_exec()
 *   outside a transaction reconnects (PQreset) and statements are prepared
 *   again lazily in the new session. A db_prepare() or db_begin() outside
 *   a transaction that finds its idle session dead reconnects and tries
 *   once more at once (nothing was done that could be done twice). Inside
 *   a transaction nothing reconnects until the caller has called
 *   db_rollback(): the transaction is gone, and running its remaining
 *   statements in autocommit would commit half of it.
 * - Statement structs are freed only by db_close(), so a db_stmt a caller
 *   still holds stays valid across a reconnect. The exception is a
 *   db_prepare_dynamic() statement: it owns a copy of its text, is not in
 *   the cache, and is freed (and DEALLOCATEd when its session is still
 *   usable) by db_finalize(). */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/xalloc.h"

#define CACHE_SLOTS 512 /* power of two; distinct SQL texts in the program */
#define ERR_MAX 512
/* Key of the advisory lock every write transaction takes (see pg_begin). */
#define WRITE_LOCK_KEY "7262011"
#define LOST_MSG "database connection lost"

struct pg_stmt {
	struct db_stmt_base base;
	struct pg_db *db;
	const char *key;      /* the caller's SQL text: cache key and source */
	char *dynamic;        /* db_prepare_dynamic: owned copy (key points here) */
	char name[16];        /* server-side name, "s1", "s2", ... */
	unsigned gen;         /* session it is prepared in; 0: none yet */
	int nparams;
	PGresult *desc;       /* PQdescribePrepared: column count and names */
	PGresult *res;        /* result of the current execution, or NULL */
	int row;              /* current row of res; -1 before the first */
	int bad_bind;         /* an index out of range was bound */
	const char **vals;    /* nparams values handed to libpq; NULL = NULL */
	char **owned;         /* copies of bound text, freed by done */
	char (*ibuf)[24];     /* formatted integers */
};

struct pg_db {
	struct db_base base;
	PGconn *conn;
	unsigned gen;         /* bumped by every successful reconnect */
	unsigned nnames;      /* statement names handed out */
	int in_txn;           /* between a successful begin and commit/rollback */
	enum db_errclass errclass;
	char err[ERR_MAX];
	struct pg_stmt *cache[CACHE_SLOTS];
};

#define PD(d) ((struct pg_db *)(d))
#define PS(s) ((struct pg_stmt *)(s))

/* If s was cut in the middle of a UTF-8 sequence, drop the partial
 * character, so messages stay valid UTF-8 for the escapers. */
static void pg_utf8_trim(char *s)
{
	size_t n = strlen(s), i = n, need;
	unsigned char lead;

	while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
		i--;
	if (i == 0)
		return;
	lead = (unsigned char)s[i - 1];
	if (lead < 0xC0)
		return;
	need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
	if (n - (i - 1) < need)
		s[i - 1] = '\0';
}

/* Write prefix + the first line of msg, trimmed, into dst. */
static void pg_first_line(char *dst, size_t n, const char *prefix, const char *msg)
{
	const char *b = msg ? msg : "", *e;
	int w;

	if (n == 0)
		return;
	while (*b == ' ' || *b == '\t' || *b == '\n' || *b == '\r')
		b++;
	e = b + strcspn(b, "\r\n");
	while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	if (e == b) {
		b = "unknown error";
		e = b + strlen(b);
	}
	w = snprintf(dst, n, "%s%.*s", prefix, (int)(e - b), b);
	if (w >= 0 && (size_t)w >= n)
		pg_utf8_trim(dst);
}

/* Libpq messages about a connection string may quote parts of it; replace
 * every occurrence of secret in *msg with "***". */
static void pg_redact(buf *msg, const char *secret, size_t len)
{
	buf out = BUF_INIT;
	const char *p = msg->s, *hit;

	if (len == 0)
		return;
	while ((hit = memmem(p, msg->len - (size_t)(p - msg->s), secret, len))) {
		buf_add(&out, p, (size_t)(hit - p));
		buf_puts(&out, "***");
		p = hit + len;
	}
	if (p == msg->s)
		return;
	buf_puts(&out, p);
	buf_release(msg);
	*msg = out;
}

static int pg_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Redact s[0..len) as written and percent-decoded. */
static void pg_redact_both(buf *msg, const char *s, size_t len)
{
	buf dec = BUF_INIT;

	pg_redact(msg, s, len);
	for (size_t i = 0; i < len; i++) {
		int hi, lo;
		if (s[i] == '%' && i + 2 < len &&
		    (hi = pg_hexval(s[i + 1])) >= 0 && (lo = pg_hexval(s[i + 2])) >= 0) {
			buf_putc(&dec, (char)(hi * 16 + lo));
			i += 2;
		} else {
			buf_putc(&dec, s[i]);
		}
	}
	pg_redact(msg, dec.s, dec.len);
	buf_release(&dec);
}

/* Remove the password of url (user:PASSWORD@ or ?password=) and of conn
 * from msg. */
static void pg_scrub(buf *msg, const char *url, PGconn *conn)
{
	const char *p = strstr(url, "://"), *end, *colon, *q;

	if (conn && PQpass(conn))
		pg_redact(msg, PQpass(conn), strlen(PQpass(conn)));
	if (p) {
		p += 3;
		end = p + strcspn(p, "@/");
		if (*end == '@' && (colon = memchr(p, ':', (size_t)(end - p))))
			pg_redact_both(msg, colon + 1, (size_t)(end - colon - 1));
	}
	for (q = url; (q = strstr(q, "password=")); q += 9) {
		if (q > url && q[-1] != '?' && q[-1] != '&' && q[-1] != ' ')
			continue;
		pg_redact_both(msg, q + 9, strcspn(q + 9, "& "));
	}
}

static void pg_clear_error(struct pg_db *d)
{
	d->errclass = DB_EOK;
	strcpy(d->err, "not an error");
}

static void pg_set_error(struct pg_db *d, enum db_errclass c, const char *msg)
{
	d->errclass = c;
	pg_first_line(d->err, sizeof(d->err), "", msg);
}

/* Record why r (or the last call, when r is NULL) failed. SQLSTATE class 23
 * is a constraint; a dead session, 08xxx and 57P01-57P03 mean the server is
 * unavailable, and so does 55P03 (lock timeout: the write lock was held
 * longer than lock_timeout, the counterpart of SQLITE_BUSY); 53100 (disk
 * full) and 25006 (a read-only transaction: a standby, or
 * default_transaction_read_only) mean it cannot write now. */
static void pg_fail(struct pg_db *d, const PGresult *r)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	const char *primary = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;

	if (PQstatus(d->conn) == CONNECTION_BAD ||
	    (state && (!strcmp(state, "57P01") || !strcmp(state, "57P02")))) {
		pg_set_error(d, DB_EUNAVAILABLE, LOST_MSG);
		return;
	}
	if (!primary)
		primary = r && *PQresultErrorMessage(r) ? PQresultErrorMessage(r) : PQerrorMessage(d->conn);
	if (state && (!strncmp(state, "08", 2) || !strcmp(state, "57P03") || !strcmp(state, "55P03")))
		pg_set_error(d, DB_EUNAVAILABLE, primary);
	else if (state && (!strcmp(state, "53100") || !strcmp(state, "25006")))
		pg_set_error(d, DB_ENOSPACE, primary);
	else if (state && !strncmp(state, "23", 2))
		pg_set_error(d, DB_ECONSTRAINT, primary);
	else
		pg_set_error(d, DB_EGENERIC, primary);
}

/* Run sql (no parameters, one or more statements); 0 or -1 with the error
 * recorded. */
static int pg_run(struct pg_db *d, const char *sql)
{
	PGresult *r = PQexec(d->conn, sql);
	ExecStatusType st = PQresultStatus(r);
	int rc = 0;

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY) {
		pg_fail(d, r);
		rc = -1;
	}
	PQclear(r);
	return rc;
}

/* Server notices at WARNING and above (client_min_messages) go to the log,
 * one line each, instead of libpq's default of raw stderr. */
static void pg_notice(void *arg, const char *message)
{
	char line[ERR_MAX];

	(void)arg;
	pg_first_line(line, sizeof(line), "", message);
	log_error("postgres: %s", line);
}

/* Per-session settings; run after every connect and reconnect. */
static int pg_session_setup(struct pg_db *d)
{
	return pg_run(d, "SET client_min_messages = warning");
}

/* Called on entry of prepare, begin and exec: reconnect a lost session
 * unless a transaction is open (see the top of the file). */
static int pg_ensure(struct pg_db *d)
{
	pg_clear_error(d);
	if (PQstatus(d->conn) == CONNECTION_OK)
		return 0;
	if (d->in_txn) {
		pg_set_error(d, DB_EUNAVAILABLE, LOST_MSG);
		return -1;
	}
	PQreset(d->conn);
	if (PQstatus(d->conn) != CONNECTION_OK) {
		buf m = BUF_INIT;
		buf_puts(&m, PQerrorMessage(d->conn));
		pg_redact(&m, PQpass(d->conn) ? PQpass(d->conn) : "",
			  PQpass(d->conn) ? strlen(PQpass(d->conn)) : 0);
		d->errclass = DB_EUNAVAILABLE;
		pg_first_line(d->err, sizeof(d->err), "cannot connect to PostgreSQL: ", m.s);
		buf_release(&m);
		return -1;
	}
	/* A new session: every statement must be prepared again. */
	d->gen++;
	return pg_session_setup(d);
}

/* After a failed PREPARE or BEGIN: true when the failure was the session
 * found dead (a session that looked fine until used: the server restarted
 * or failed over while it was idle) outside a transaction, and a new
 * session has been opened in which to try once more. Both are safe to
 * repeat: neither changed anything. Otherwise false, keeping the error. */
static bool pg_retry(struct pg_db *d)
{
	if (d->in_txn || PQstatus(d->conn) != CONNECTION_BAD)
		return false;
	return pg_ensure(d) == 0;
}

static db *pg_open(const char *url, char *err, size_t errlen)
{
	/* Entries before dbname are defaults the URL may override; those after
	 * it are fixed: jiebang speaks UTF-8 whatever the database's encoding
	 * or the environment (PGCLIENTENCODING) say. The timeouts bound how
	 * long a request can wait on a server that vanished without closing
	 * its connections (a host down, a partition): 5 s per host to connect,
	 * an idle session found dead after 10 + 3 * 5 s of silence, and one
	 * with a query sent but unacknowledged by the peer's TCP after 15 s.
	 * A URL with several hosts (host=a,b or postgres://a,b/db) and
	 * target_session_attrs=read-write makes every reconnect find the
	 * current primary (docs/scaling.md). */
	const char *const keys[] = { "connect_timeout", "keepalives_idle", "keepalives_interval", "keepalives_count",
				     "tcp_user_timeout", "application_name", "dbname", "client_encoding", NULL };
	const char *const vals[] = { "5", "10", "5", "3", "15000", "jiebang", url, "UTF8", NULL };
	struct pg_db *d;
	PGconn *conn;

	conn = PQconnectdbParams(keys, vals, 1);
	if (!conn)
		xdie("out of memory (PQconnectdbParams)");
	if (PQstatus(conn) != CONNECTION_OK) {
		buf m = BUF_INIT;
		buf_puts(&m, PQerrorMessage(conn));
		pg_scrub(&m, url, conn);
		pg_first_line(err, errlen, "cannot connect to PostgreSQL: ", m.s);
		buf_release(&m);
		PQfinish(conn);
		return NULL;
	}
	PQsetNoticeProcessor(conn, pg_notice, NULL);
	d = xcalloc(1, sizeof(*d));
	d->base.drv = &db_pg_driver;
	d->conn = conn;
	d->gen = 1;
	if (pg_session_setup(d) < 0) {
		snprintf(err, errlen, "cannot connect to PostgreSQL: %s", d->err);
		pg_utf8_trim(err);
		PQfinish(conn);
		free(d);
		return NULL;
	}
	pg_clear_error(d);
	return (db *)d;
}

static void pg_stmt_unbind(struct pg_stmt *s)
{
	for (int i = 0; i < s->nparams; i++) {
		free(s->owned[i]);
		s->owned[i] = NULL;
		s->vals[i] = NULL;
	}
	s->bad_bind = 0;
}

static void pg_stmt_free(struct pg_stmt *s)
{
	PQclear(s->res);
	PQclear(s->desc);
	if (s->owned)
		pg_stmt_unbind(s);
	free(s->vals);
	free(s->owned);
	free(s->ibuf);
	free(s->dynamic);
	free(s);
}

static void pg_close(db *dd)
{
	struct pg_db *d = PD(dd);

	for (int i = 0; i < CACHE_SLOTS; i++)
		if (d->cache[i])
			pg_stmt_free(d->cache[i]);
	PQfinish(d->conn);
	free(d);
}

static const char *pg_errmsg(const db *d) { return PD(d)->err; }
static enum db_errclass pg_errclass(const db *d) { return PD(d)->errclass; }

/* Prepare s in the current session and learn its parameters and columns.
 * Binding arrays are sized on the first success; the same SQL text has the
 * same parameters in every session. */
/* PostgreSQL's type OIDs (catalog/pg_type_d.h) for the integers. */
#define OID_INT8 20
#define OID_INT2 21
#define OID_INT4 23

/* Run sql (no parameters): whether it succeeded. */
static bool pg_exec_ok(struct pg_db *d, const char *sql)
{
	PGresult *r = PQexec(d->conn, sql);
	bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;

	PQclear(r);
	return ok;
}

/* A parameter that PostgreSQL typed from a small literal, as in
 * "($2 = 0 OR x.batch_id = $2)", is an integer (int4) or a smallint: an
 * int64 the caller binds beyond their range (a query string's batch=2^63-1)
 * is then a store error, a 500, where SQLite compares it and finds nothing.
 * Every integer the binding layer passes is an int64: when the first
 * prepare typed any parameter int2 or int4, prepare the statement again,
 * under a new name, with those bigint (int8) and the others as inferred.
 * Comparisons, arithmetic and assignments to integer columns all take a
 * bigint; a function that takes only an integer does not, and then the
 * statement keeps its first types (the attempt is undone by a savepoint
 * inside a transaction, which a failed PREPARE would abort). *desc is the
 * description of the statement kept. */
static void pg_widen_params(struct pg_db *d, struct pg_stmt *s, PGresult **desc)
{
	int n = PQnparams(*desc), narrow = 0;
	bool txn = PQtransactionStatus(d->conn) == PQTRANS_INTRANS;
	char name[sizeof(s->name)], sql[64];
	Oid *types;
	PGresult *r, *w = NULL;

	for (int i = 0; i < n; i++)
		narrow += PQparamtype(*desc, i) == OID_INT2 || PQparamtype(*desc, i) == OID_INT4;
	if (!narrow || (txn && !pg_exec_ok(d, "SAVEPOINT jb_widen")))
		return;
	types = xcalloc((size_t)n, sizeof(*types));
	for (int i = 0; i < n; i++) {
		Oid t = PQparamtype(*desc, i);
		types[i] = t == OID_INT2 || t == OID_INT4 ? OID_INT8 : t;
	}
	snprintf(name, sizeof(name), "s%u", ++d->nnames);
	r = PQprepare(d->conn, name, s->key, n, types);
	free(types);
	if (PQresultStatus(r) == PGRES_COMMAND_OK) {
		w = PQdescribePrepared(d->conn, name);
		if (PQresultStatus(w) != PGRES_COMMAND_OK) {
			PQclear(w);
			w = NULL;
		}
	}
	PQclear(r);
	if (txn && !pg_exec_ok(d, w ? "RELEASE SAVEPOINT jb_widen" : "ROLLBACK TO SAVEPOINT jb_widen")) {
		/* cannot happen; keep the first statement */
		PQclear(w);
		w = NULL;
	}
	if (!w)
		return;
	snprintf(sql, sizeof(sql), "DEALLOCATE %s", s->name);
	(void)pg_exec_ok(d, sql);
	memcpy(s->name, name, sizeof(name));
	PQclear(*desc);
	*desc = w;
}

static int pg_stmt_prepare(struct pg_db *d, struct pg_stmt *s)
{
	PGresult *r = PQprepare(d->conn, s->name, s->key, 0, NULL);

	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		pg_fail(d, r);
		PQclear(r);
		return -1;
	}
	PQclear(r);
	r = PQdescribePrepared(d->conn, s->name);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		pg_fail(d, r);
		PQclear(r);
		return -1;
	}
	pg_widen_params(d, s, &r);
	if (!s->vals) {
		s->nparams = PQnparams(r);
		s->vals = xcalloc((size_t)s->nparams, sizeof(*s->vals));
		s->owned = xcalloc((size_t)s->nparams, sizeof(*s->owned));
		s->ibuf = xcalloc((size_t)s->nparams, sizeof(*s->ibuf));
	}
	PQclear(s->desc);
	s->desc = r;
	s->gen = d->gen;
	return 0;
}

static db_stmt *pg_prepare(db *dd, const char *sql)
{
	struct pg_db *d = PD(dd);
	size_t h = ((size_t)(uintptr_t)sql >> 3) * 2654435761u;
	struct pg_stmt *s;

	if (pg_ensure(d) < 0)
		return NULL;
	for (size_t i = 0; i < CACHE_SLOTS; i++) {
		size_t slot = (h + i) & (CACHE_SLOTS - 1);
		s = d->cache[slot];
		if (s && s->key == sql) {
			if (s->gen != d->gen && pg_stmt_prepare(d, s) < 0 &&
			    (!pg_retry(d) || pg_stmt_prepare(d, s) < 0))
				return NULL;
			return (db_stmt *)s;
		}
		if (s)
			continue;
		s = xcalloc(1, sizeof(*s));
		s->base.drv = &db_pg_driver;
		s->db = d;
		s->key = sql;
		s->row = -1;
		snprintf(s->name, sizeof(s->name), "s%u", ++d->nnames);
		if (pg_stmt_prepare(d, s) < 0 && (!pg_retry(d) || pg_stmt_prepare(d, s) < 0)) {
			pg_stmt_free(s);
			return NULL;
		}
		d->cache[slot] = s;
		return (db_stmt *)s;
	}
	/* Cache full (cannot happen with static SQL): a one-off statement would
	 * leak, so refuse loudly. */
	xdie("postgres: statement cache full");
}

static db_stmt *pg_prepare_dynamic(db *dd, const char *sql)
{
	struct pg_db *d = PD(dd);
	struct pg_stmt *s;

	if (pg_ensure(d) < 0)
		return NULL;
	s = xcalloc(1, sizeof(*s));
	s->base.drv = &db_pg_driver;
	s->db = d;
	s->dynamic = xstrdup(sql);
	s->key = s->dynamic;
	s->row = -1;
	snprintf(s->name, sizeof(s->name), "s%u", ++d->nnames);
	if (pg_stmt_prepare(d, s) < 0 && (!pg_retry(d) || pg_stmt_prepare(d, s) < 0)) {
		pg_stmt_free(s);
		return NULL;
	}
	return (db_stmt *)s;
}

/* Index into the binding arrays for parameter idx (1-based), its old text
 * freed; -1 (and the next step fails) when the statement has no such
 * parameter. */
static int pg_slot(struct pg_stmt *s, int idx)
{
	if (idx < 1 || idx > s->nparams) {
		s->bad_bind = idx ? idx : -1;
		return -1;
	}
	free(s->owned[idx - 1]);
	s->owned[idx - 1] = NULL;
	return idx - 1;
}

static void pg_bind_int(db_stmt *st, int idx, int64_t v)
{
	struct pg_stmt *s = PS(st);
	int i = pg_slot(s, idx);

	if (i < 0)
		return;
	snprintf(s->ibuf[i], sizeof(s->ibuf[i]), "%lld", (long long)v);
	s->vals[i] = s->ibuf[i];
}

static void pg_bind_null(db_stmt *st, int idx)
{
	struct pg_stmt *s = PS(st);
	int i = pg_slot(s, idx);

	if (i >= 0)
		s->vals[i] = NULL;
}

static void pg_bind_text(db_stmt *st, int idx, const char *v)
{
	struct pg_stmt *s = PS(st);
	int i = pg_slot(s, idx);

	if (i < 0)
		return;
	s->owned[i] = v ? xstrdup(v) : NULL;
	s->vals[i] = s->owned[i];
}

static int pg_step(db_stmt *st)
{
	struct pg_stmt *s = PS(st);
	struct pg_db *d = s->db;

	if (!s->res) {
		ExecStatusType rs;

		pg_clear_error(d);
		if (s->bad_bind) {
			char m[96];
			snprintf(m, sizeof(m), "bind index %d out of range (statement has %d parameters)",
				 s->bad_bind, s->nparams);
			pg_set_error(d, DB_EGENERIC, m);
			return DB_ERROR;
		}
		if (PQstatus(d->conn) != CONNECTION_OK) {
			pg_set_error(d, DB_EUNAVAILABLE, LOST_MSG);
			return DB_ERROR;
		}
		/* Held across a reconnect: prepare in the new session. */
		if (s->gen != d->gen && pg_stmt_prepare(d, s) < 0)
			return DB_ERROR;
		s->res = PQexecPrepared(d->conn, s->name, s->nparams, s->vals, NULL, NULL, 0);
		rs = PQresultStatus(s->res);
		if (rs != PGRES_TUPLES_OK && rs != PGRES_COMMAND_OK) {
			pg_fail(d, s->res);
			PQclear(s->res);
			s->res = NULL;
			return DB_ERROR;
		}
		s->row = -1;
	}
	if (s->row < PQntuples(s->res))
		s->row++;
	return s->row < PQntuples(s->res) ? DB_ROW : DB_DONE;
}

/* The current row's value of column c, or NULL when there is none. */
static const char *pg_cell(struct pg_stmt *s, int c)
{
	if (!s->res || s->row < 0 || s->row >= PQntuples(s->res) || c < 0 || c >= PQnfields(s->res))
		return NULL;
	if (PQgetisnull(s->res, s->row, c))
		return NULL;
	return PQgetvalue(s->res, s->row, c);
}

static int pg_ncols(db_stmt *st)
{
	struct pg_stmt *s = PS(st);
	return PQnfields(s->res ? s->res : s->desc);
}

static bool pg_col_null(db_stmt *st, int c)
{
	return pg_cell(PS(st), c) == NULL;
}

static int64_t pg_col_int(db_stmt *st, int c)
{
	const char *v = pg_cell(PS(st), c);

	if (!v)
		return 0;
	if (v[0] == 't' && v[1] == '\0')
		return 1;
	return strtoll(v, NULL, 10);
}

static const char *pg_col_text(db_stmt *st, int c)
{
	const char *v = pg_cell(PS(st), c);
	return v ? v : "";
}

static const char *pg_col_name(db_stmt *st, int c)
{
	struct pg_stmt *s = PS(st);
	return PQfname(s->res ? s->res : s->desc, c);
}

static void pg_done(db_stmt *st)
{
	struct pg_stmt *s = PS(st);

	PQclear(s->res);
	s->res = NULL;
	s->row = -1;
	pg_stmt_unbind(s);
}

/* Frees a dynamic statement. The server-side statement is deallocated when
 * its session is alive and not in a failed transaction; otherwise it dies
 * with the session. Keeps the error of the last call. */
static void pg_finalize(db_stmt *st)
{
	struct pg_stmt *s = PS(st);
	struct pg_db *d = s->db;

	if (!s->dynamic) {
		pg_done(st);
		return;
	}
	if (s->gen == d->gen && PQstatus(d->conn) == CONNECTION_OK &&
	    PQtransactionStatus(d->conn) != PQTRANS_INERROR) {
		char sql[32];
		snprintf(sql, sizeof(sql), "DEALLOCATE %s", s->name);
		PQclear(PQexec(d->conn, sql));
	}
	pg_stmt_free(s);
}

static int pg_exec(db *dd, const char *sql)
{
	struct pg_db *d = PD(dd);

	if (pg_ensure(d) < 0)
		return -1;
	return pg_run(d, sql);
}

/* Write transactions take one transaction-scoped advisory lock first, so
 * writers run one at a time, exactly as under SQLite's BEGIN IMMEDIATE: the
 * isolation the code is written against on both stores. READ COMMITTED is
 * the right level under that lock: each statement's snapshot is taken after
 * the lock is granted, so it sees every earlier writer's commit, and no
 * other writer can change data under it; there are no serialization
 * failures to retry. (REPEATABLE READ would be wrong here: its snapshot
 * would be taken by the lock statement itself, before the wait.) The wait
 * is bounded like SQLite's busy timeout: lock_timeout 5 s, then 55P03 and
 * DB_EUNAVAILABLE. This holds for writes made inside db_begin(DB_WRITE);
 * autocommit writes outside one are not serialized.
 * Read transactions get one consistent snapshot (REPEATABLE READ READ ONLY),
 * like SQLite's read transaction, and never wait for writers. */
static int pg_begin(db *dd, enum db_txn mode)
{
	struct pg_db *d = PD(dd);
	const char *sql = mode == DB_WRITE ?
		"BEGIN; SET LOCAL lock_timeout = '5s'; SELECT pg_advisory_xact_lock(" WRITE_LOCK_KEY ")" :
		"BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";

	if (d->in_txn) {
		pg_clear_error(d);
		pg_set_error(d, DB_EGENERIC, "cannot start a transaction within a transaction");
		return -1;
	}
	if (pg_ensure(d) < 0)
		return -1;
	if (pg_run(d, sql) < 0 && (!pg_retry(d) || pg_run(d, sql) < 0)) {
		if (PQstatus(d->conn) == CONNECTION_OK && PQtransactionStatus(d->conn) != PQTRANS_IDLE) {
			PGresult *r = PQexec(d->conn, "ROLLBACK");
			PQclear(r);
		}
		return -1;
	}
	d->in_txn = 1;
	return 0;
}

/* The transaction is over afterwards whatever the outcome (PostgreSQL
 * ends it on a failed COMMIT). A transaction that had a failed statement
 * is rolled back by COMMIT without an error; that is reported as one. */
static int pg_commit(db *dd)
{
	struct pg_db *d = PD(dd);
	PGresult *r;
	int rc = 0;

	pg_clear_error(d);
	if (!d->in_txn) {
		pg_set_error(d, DB_EGENERIC, "cannot commit - no transaction is active");
		return -1;
	}
	d->in_txn = 0;
	if (PQstatus(d->conn) != CONNECTION_OK) {
		pg_set_error(d, DB_EUNAVAILABLE, LOST_MSG);
		return -1;
	}
	r = PQexec(d->conn, "COMMIT");
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		pg_fail(d, r);
		rc = -1;
	} else if (strcmp(PQcmdStatus(r), "COMMIT") != 0) {
		pg_set_error(d, DB_EGENERIC, "transaction rolled back: a statement in it failed");
		rc = -1;
	}
	PQclear(r);
	return rc;
}

/* Safe at any time; keeps the error of the call that made the caller roll
 * back. */
static void pg_rollback(db *dd)
{
	struct pg_db *d = PD(dd);

	if (PQstatus(d->conn) == CONNECTION_OK && PQtransactionStatus(d->conn) != PQTRANS_IDLE) {
		PGresult *r = PQexec(d->conn, "ROLLBACK");
		PQclear(r);
	}
	d->in_txn = 0;
}

const struct db_driver db_pg_driver = {
	"postgres", DB_POSTGRES, pg_open, pg_close, pg_errmsg, pg_errclass, pg_prepare,
	pg_bind_int, pg_bind_text, pg_bind_null, pg_step, pg_ncols, pg_col_null,
	pg_col_int, pg_col_text, pg_col_name, pg_done, pg_exec, pg_begin, pg_commit,
	pg_rollback, pg_prepare_dynamic, pg_finalize,
};
