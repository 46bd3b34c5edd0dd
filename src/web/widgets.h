/* widgets.h - HTML pieces that several pages share: data tables, one-button
 * forms, the confirmation step of a dangerous change and the person picker.
 * Untrusted text is escaped inside; callers pass plain strings. */
#ifndef JB_WIDGETS_H
#define JB_WIDGETS_H

#include <stdbool.h>

#include "domain/person.h"
#include "web/web.h"

struct named;

/* A data table whose rows turn into labelled cards at phone width
 * (web/style.css, table.cards): every cell carries its column's heading
 * as data-label, which the stylesheet shows with the value once the
 * header row is hidden, so no column is squeezed to a character a line.
 *
 *     static const struct table_col cols[] = { { "编号", 0 }, { "登录名", COL_TITLE }, { NULL, 0 } };
 *     struct table t = { .cols = cols };
 *     table_open(b, &t);
 *     for (...) { table_row(b, &t); table_cell(b, &t); ...; table_cell(b, &t); ...; }
 *     table_close(b, &t);
 *
 * The helpers write the tags; the caller writes each cell's content after
 * its table_cell(). Cells are taken in column order. */
enum {
	COL_TITLE = 1u << 0,    /* the card's heading at phone width: across it, bold, unlabelled */
	COL_WIDE = 1u << 1,     /* across the card at phone width (long text) */
};

struct table_col {
	const char *label;      /* the heading (zh-CN), also each cell's data-label */
	unsigned flags;
};

struct table {
	const struct table_col *cols; /* ended by { NULL } */
	const char *cls;              /* more classes for the table ("board"), or NULL */
	const char *caption;          /* or NULL */
	/* Kept by the helpers: */
	int col;                      /* the next cell's column */
	char cell;                    /* the open cell: 'd' (td), 'h' (th) or 0 */
	bool row, foot;               /* a row is open; rows now go to <tfoot> */
};

/* <table class="cards ..."> with its caption, header row and <tbody>. */
void table_open(buf *b, struct table *t);
/* End the open row, if any, and start the next one. */
void table_row(buf *b, struct table *t);
/* End the open cell and open the next column's <td>; with cls (may be
 * NULL) as its class. */
void table_cell(buf *b, struct table *t);
void table_cell_class(buf *b, struct table *t, const char *cls);
/* The same as a row header: <th scope="row">. */
void table_row_head(buf *b, struct table *t);
/* The rows after this one go to <tfoot> (a total). */
void table_foot(buf *b, struct table *t);
/* End the open row and the table. */
void table_close(buf *b, struct table *t);

/* A form of one button posting to the local path (with the CSRF field);
 * danger marks a change one click should not make (class "danger"). */
void html_button_form(struct req *r, const char *path, const char *label, bool danger);

/* A change that one click should not make (disabling an account, resetting
 * a password, revoking a token) asks first: "<ask> <strong>subject</strong>
 * <ask_end>". */
struct confirm {
	const char *title;     /* the page's title and heading: "停用账号" */
	const char *ask;       /* "确定要停用账号" */
	const char *subject;   /* "cadre", shown bold */
	const char *ask_end;   /* "吗？" */
	const char *detail;    /* what follows from it; NULL: nothing */
	const char *button;    /* the red button's text: "停用账号" */
	const char *back;      /* local path the cancel link goes to */
	enum nav nav;
};

/* Whether the change may go on: true under /api/ (scripts do not confirm)
 * and for a form that carries confirm=1. Otherwise answers with a page
 * asking q, whose red button posts confirm=1 and the CSRF field to the
 * same path, and returns false: nothing is changed. Call it after the
 * permission check, so that a refusal is never dressed as a question. */
bool confirmed_or_ask(struct req *r, const struct confirm *q);
/* The same, whose red button also posts the request's other form fields
 * again (a reason typed before the question). */
bool confirmed_or_ask_keeping(struct req *r, const struct confirm *q);

/* A claim's status light (claim.h lights[]): a coloured badge with its
 * word, as colour is never the only cue; nothing for LIGHT_NONE. */
void html_light(buf *b, int light);
/* A completion in percent as a bar with the number ("—" when pct < 0). */
void html_completion(buf *b, int pct);

/* The person picker: a form field (radio buttons named field, the value a
 * person id) chosen by searching people by name and unit, not by typing a
 * 人员编号. Without scripts the search is a GET form that re-renders the
 * page (parameters <field>_q and <field>_unit) with the people found; with
 * web/picker.js it filters as one types, through GET /api/v1/persons. The
 * search reads what c->who may read (domain/person.h). */
struct picker {
	const char *field;            /* the posted field: "person" */
	const char *legend;           /* "人员（可选）" */
	const char *page;             /* local path the search re-renders: "/admin/users/7" */
	const struct person *current; /* the person chosen now, shown checked; NULL: none */
	bool allow_none;              /* offer "不关联人员" (the value "") */
	const struct named *units;    /* the units to search in */
	int nunits;
	bool all_units;               /* offer "全部单位" (every unit the reader reaches) */
	/* Pick mode (person.pick: the claim form): searches through
	 * GET /api/v1/people, names, units and titles only. */
	bool pick;
	/* The search fields belong to the form that posts field (no
	 * html_picker_form()): 查找 is a submit button name="op" value="find"
	 * that posts everything typed, and the handler shows the form again
	 * with the people found (picker_load_or_respond() reads the search
	 * from the posted form). For a form with many pickers. */
	bool in_form;
	const char *error;            /* the message beside the picker, or NULL */
	/* Set by picker_load_or_respond(): */
	struct person_query query;
	bool searched;                /* the page was asked to search */
	struct person_hits hits;
};

/* Read p's search from the query string (in_form: the posted form) and
 * run it when asked (either parameter present; in_form: either not
 * empty). 0, or -1 having answered (400 on bad parameters,
 * 403 when the reader may not read people, 500/503). */
int picker_load_or_respond(struct req *r, struct picker *p);
/* The picker's fields, inside the form that posts p->field. */
void html_picker(struct req *r, const struct picker *p);
/* The picker's script, once for a page of in_form pickers (html_picker()
 * writes it itself for the others). */
void html_picker_script(struct req *r);
/* The empty GET form the picker's search fields belong to (through their
 * form attribute): call it outside the form that holds the picker, as HTML
 * forms do not nest. */
void html_picker_form(struct req *r, const struct picker *p);

/* A person search from the query string: the name substring from parameter
 * qname (spaces around it dropped) and the unit id from unitname (empty:
 * any). Answers 400 and returns -1 on a query longer than PERSON_QUERY_MAX
 * or a unit that is not a positive integer. Shared by the picker and
 * GET /api/v1/persons, so both accept the same. */
int person_query_or_respond(struct req *r, const char *qname, const char *unitname, struct person_query *q);

/* The notice of purpose (个人信息保护法 §17) on a form that asks a resident
 * for contact details (domain/pii.h): what is collected (what), what for
 * (purpose), who sees it (the organisation's admins only), how long it is
 * kept after the matter closes (after: "难题办结后"; the tenant's
 * retention) and how to ask for a copy or deletion. */
void pii_notice(struct req *r, const char *what, const char *purpose, const char *after);

#endif
