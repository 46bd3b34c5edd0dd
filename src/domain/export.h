/* export.h - the lists that export to XLSX and CSV (台账 and the others):
 * one table of list definitions (name, title, permission, columns, keyset
 * query) and a cursor that reads a list chunk by chunk.
 *
 * A cursor holds no store state between chunks: export_next() opens a
 * read transaction, reads up to max rows after the last key it saw,
 * commits and returns, so a million-row export holds no transaction while
 * the client downloads. Cells are typed (text, integer, date, moment,
 * points in hundredths, money in fen) so that each writer can keep numbers
 * numbers; labels (states, lights, grades) arrive as their zh-CN text.
 * The writers' pure helpers (CSV quoting, formula neutralisation, column
 * widths) are here too, tested in tests/unit/test_export.c. */
#ifndef JB_EXPORT_H
#define JB_EXPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/perm.h"
#include "domain/problem.h"
#include "store/db.h"
#include "util/arena.h"
#include "util/buf.h"

#define EXPORT_MAX_COLS 24
#define EXPORT_CHUNK 500 /* rows per read transaction */

enum export_type {
	EXPORT_TEXT,
	EXPORT_INT,
	EXPORT_DATE,      /* epoch seconds, written as its Asia/Shanghai day */
	EXPORT_DATETIME,  /* epoch seconds, day and minute in Asia/Shanghai */
	EXPORT_POINTS,    /* hundredths of a point, two decimals */
	EXPORT_MONEY,     /* fen, as 元 with two decimals */
};

struct export_col {
	const char *header;      /* zh-CN */
	enum export_type type;
};

/* One cell: empty (no value), or s for EXPORT_TEXT, i for the others. */
struct export_cell {
	bool empty;
	int64_t i;
	const char *s;
};

struct export_list;

/* The list named name ("ledger", "problems" ...), or NULL. */
const struct export_list *export_find(const char *name);
/* The i-th list of the table, from 0; NULL past the last. */
const struct export_list *export_at(int i);
const char *export_name(const struct export_list *l);
/* Its zh-CN title, also the downloaded file's name (台账-2026-12-01.xlsx). */
const char *export_title(const struct export_list *l);
/* The board's public list, open to anyone with the board's filters. */
bool export_is_board(const struct export_list *l);
/* The permission it needs on the tenant (NULL: none), and a second one
 * (the audit log also needs audit.read), NULL when none. */
const char *export_perm(const struct export_list *l);
const char *export_perm_also(const struct export_list *l);
/* Whether who's export of l holds personal data (个人信息): residents'
 * phones (the lists with a phone column, for those who see phones), the
 * people list (names, ranks, posts) and the promotions (names, posts).
 * Those need a fresh password proof (sudo mode, web/auth.c). */
bool export_personal(const struct export_list *l, const struct principal *who);

/* A list being read. Filled by export_open(); f is the board's filter
 * (problems list only; its strings must outlive the cursor). */
struct export_cursor {
	const struct export_list *l;
	int64_t tenant_id;
	int64_t now;
	struct problem_filter f;
	bool phone;              /* contact phones included (admins only) */
	int64_t after;           /* the last key read */
	bool done;
	int ncols;
	const struct export_col *cols[EXPORT_MAX_COLS]; /* the columns written */
	int src[EXPORT_MAX_COLS]; /* their index in the list's definition */
};

/* Start reading l for who in tenant_id at now: the columns who may see
 * (a resident's phone only for its screeners: problem.screen, admins). */
void export_open(struct export_cursor *c, const struct export_list *l, const struct principal *who,
		 int64_t tenant_id, int64_t now);

typedef void (*export_row_fn)(void *cls, const struct export_cell *cells, int ncols);

/* Read the next chunk, up to max rows, in one read transaction of its
 * own, passing each row's cells (on a, valid until a is freed) to row.
 * Returns the number of rows (0 once the list is done: c->done), or -1
 * on a store error (logged by the caller; no transaction is left open). */
int export_next(db *d, arena *a, struct export_cursor *c, int max, export_row_fn row, void *cls);

/* Whether text would be read as a formula by a spreadsheet: it starts
 * with = + - @, a tab or a CR (OWASP CSV injection; ASVS 5.0 1.2.10). */
bool export_formula_like(const char *s);
/* One CSV line of cells (RFC 4180: quoted when it holds a comma, a quote,
 * CR or LF; quotes doubled; CRLF at the end). Text cells that look like a
 * formula get a leading ' ; numbers, dates and points are written as
 * such (-5 stays -5). */
void export_csv_row(buf *b, const struct export_cursor *c, const struct export_cell *cells);
/* The header line, with the UTF-8 BOM in front when bom. */
void export_csv_header(buf *b, const struct export_cursor *c, bool bom);
/* A cell's text as the CSV writes it, without quoting (and without the
 * neutralising '), into b. */
void export_cell_text(buf *b, enum export_type type, const struct export_cell *cell);
/* Display width of s in spreadsheet columns: 2 for a CJK (East Asian wide)
 * character, 1 for others; the longest line of a multi-line text. */
unsigned export_width(const char *s);

#endif
