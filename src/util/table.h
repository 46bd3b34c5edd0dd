/* table.h - rows of cells, with the line numbers an office sees, from a
 * CSV or an XLSX file (imports: domain/import.h).
 *
 * The format comes from the content, never the name: a zip ("PK\3\4") is
 * read as XLSX (libzip + expat: the workbook's first sheet), an OLE2 file
 * (old .xls, WPS) is refused, anything else is CSV (libcsv, strict).
 *
 * CSV: UTF-8 with or without a BOM, or GBK/GB18030, decided once for the
 * file: a BOM means UTF-8; otherwise the lines that are not valid UTF-8
 * are counted against the non-ASCII lines that are, and the majority
 * wins (a GBK file's Chinese lines are almost never valid UTF-8; a UTF-8
 * file with a few broken lines stays UTF-8). GBK lines are converted with
 * iconv (GB18030, its superset). A line that is not valid in the file's
 * encoding, holds a NUL or another control character, or is longer than
 * TABLE_LINE_MAX bytes (a record spanning lines counts all of them) is
 * handed over as a bad row (row.bad) and the reading goes on at the next
 * line; such a line is never copied, whatever its length. The file is
 * mapped, not read into memory. A row's line is the line its record
 * starts on (the header is line 1); lines end at LF, CRLF or a lone CR
 * (old Mac files), as editors count them.
 *
 * XLSX: the first sheet of xl/workbook.xml (through its relationship),
 * its shared strings, inline strings, numbers as their text; cells are
 * placed by their reference (B3 is column 1), so empty cells in between
 * are kept as "". A cell with a formula (<f>) makes its row bad (公式单元格).
 * Caps, counted as the bytes are inflated (the sizes a zip declares are
 * not trusted): TABLE_XLSX_SHEET_MAX for the sheet, TABLE_XLSX_STRINGS_MAX
 * for the shared strings, TABLE_XLSX_SMALL_MAX for the other parts,
 * TABLE_XLSX_ENTRIES_MAX entries; a DTD is refused (no entity expansion).
 * Past a cap the reading stops with an error. A row's line is its r.
 *
 * Cells past TABLE_CELLS_MAX are dropped. */
#ifndef JB_TABLE_H
#define JB_TABLE_H

#include <stddef.h>
#include <stdint.h>

#define TABLE_LINE_MAX (64 * 1024)
#define TABLE_CELLS_MAX 256
#define TABLE_CSV_MAX ((int64_t)256 << 20)
#define TABLE_XLSX_SHEET_MAX ((int64_t)64 << 20)
#define TABLE_XLSX_STRINGS_MAX ((int64_t)16 << 20)
#define TABLE_XLSX_SMALL_MAX ((int64_t)4 << 20)
#define TABLE_XLSX_ENTRIES_MAX 1000

enum table_format { TABLE_CSV, TABLE_XLSX };

struct table_row {
	int64_t line;          /* 1-based */
	int ncells;
	const char *const *cells; /* UTF-8, NUL-terminated; valid during the callback */
	const char *bad;       /* not NULL: the row could not be read, why (zh-CN) */
	int bad_cell;          /* the cell it is about, -1 the whole row */
	const char *bad_value; /* a short excerpt of what was there, or NULL */
};

/* Called once per row that has a non-empty cell, and per bad row; a
 * non-zero return stops the reading. */
typedef int (*table_row_fn)(void *ud, const struct table_row *row);

struct table_info {
	enum table_format format;
	const char *encoding;  /* "UTF-8", "UTF-8 (BOM)", "GBK", "XLSX" */
};

/* Read the file at path, calling fn for each row. 0 when it was read to
 * its end (some rows may have been bad), 1 when fn stopped it, -1 when it
 * cannot be read at all: why holds the reason (zh-CN) and *why_line the
 * line it stopped at (0: the whole file). */
int table_read(const char *path, table_row_fn fn, void *ud, struct table_info *info, char *why, size_t whylen,
	       int64_t *why_line) __attribute__((warn_unused_result));

/* The XLSX reader alone (util/xlsx.c), same contract. */
int table_read_xlsx(const char *path, table_row_fn fn, void *ud, char *why, size_t whylen, int64_t *why_line)
	__attribute__((warn_unused_result));

/* What a line or cell excerpt shows of s[0..n): at most 50 code points
 * of valid UTF-8 (invalid bytes as "\xNN"), controls as "\0" or "\xNN",
 * "…" when cut. Written into out (size at least 256). */
void table_excerpt(const char *s, size_t n, char *out, size_t outlen);

#endif
