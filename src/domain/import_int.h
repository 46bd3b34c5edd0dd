/* import_int.h - what import.c (the file, the header, the rejections, the
 * transaction) and import_rows.c (each kind's rows and writes) share. */
#ifndef JB_IMPORT_INT_H
#define JB_IMPORT_INT_H

#include "domain/import.h"
#include "domain/proposal.h"
#include "util/buf.h"
#include "util/strmap.h"

#define IMPORT_COLUMNS_MAX 8
#define IMPORT_SYNONYMS 7

/* A column of a kind: its name, the other headers that mean it (folded:
 * no blanks, ASCII parentheses), and its limits in characters. */
struct import_column {
	const char *name;
	const char *syn[IMPORT_SYNONYMS];
	bool required, multiline;
	int min, max;
};

struct import_unit_row;
struct person_pending;

struct import_state {
	struct ctx *c;
	const struct import_in *in;
	struct import_result *out;
	const struct import_column *cols;
	int ncols;
	int colidx[IMPORT_COLUMNS_MAX]; /* cell of each column, -1 absent */
	const char **header;            /* the header's cells, trimmed */
	int header_cells, before_header;
	bool have_header, csv;
	bool writing;                   /* nothing rejected yet: rows are written as read */
	bool failed;                    /* a store call failed: stop */
	int rejects_cap, samples_cap;
	buf val[IMPORT_COLUMNS_MAX];    /* the current row's values, trimmed */
	buf key;
	/* read once from the store */
	strmap *units;                  /* name -> id (units: also the file's new ones), aux parent */
	strmap *people;                 /* name \x1f unit id -> id, line of the file's first */
	strmap *cats;                   /* category name -> id */
	strmap *titles;                 /* problem title -> id (the batch's), line */
	strmap *seen;                   /* units: name -> line of the file's first */
	int64_t last_id;                /* the last id handed out of the kind's table */
	int64_t batch_id;
	struct import_unit_row *urows;
	int nurows, curows;
	buf cat_names;                  /* for the message about an unknown category */
	struct person_pending *pp;      /* new people not yet inserted */
	int npp;
	buf pending;                    /* their strings */
};

/* Trim blanks (ASCII, U+3000, U+00A0) off both ends of s. */
void import_trim(const char *s, const char **out, size_t *len);
/* s without blanks, '*', '＊' and '：', full-width parentheses as ASCII,
 * into b: how headers and coded values are compared. */
void import_fold(buf *b, const char *s);
/* Record a rejection (value[0..vlen) excerpted); writing stops. */
void import_reject(struct import_state *st, int64_t line, const char *column, const char *reason, const char *value,
		   size_t vlen);
/* Record an imported row to show back. */
void import_sample(struct import_state *st, int64_t line, const char *name, const char *detail, bool updated);

/* import_rows.c: read what the kind refers to (inside the transaction),
 * take one checked row (st->val[]), write what is left at the end, free.
 * JB_OK / field errors / -1; a row: 0 or -1 (store). */
int import_prepare(struct import_state *st);
int import_row(struct import_state *st, int64_t line);
int import_finish(struct import_state *st);
void import_release(struct import_state *st);

#endif
