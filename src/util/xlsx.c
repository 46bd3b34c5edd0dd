/* xlsx.c - the XLSX half of the table reader (table.h): libzip for the
 * container, expat for the parts, every part's inflated size counted
 * as it is read. */
#include <expat.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "util/buf.h"
#include "util/table.h"
#include "util/xalloc.h"

#define CHUNK 65536

struct xml_job {
	XML_Parser xp;
	const char *part;       /* for messages */
	int64_t cap;
	bool stopped_by_us;
	const char *why;        /* set by a handler that stopped the parser */
};

/* The local name of a possibly prefixed element or attribute name. */
static const char *local(const char *name)
{
	const char *c = strrchr(name, ':');
	return c ? c + 1 : name;
}

static const char *attr(const char **atts, const char *name)
{
	for (int i = 0; atts[i]; i += 2)
		if (!strcmp(local(atts[i]), name))
			return atts[i + 1];
	return NULL;
}

static void stop(struct xml_job *j, const char *why)
{
	if (!j->stopped_by_us) {
		j->stopped_by_us = true;
		j->why = why;
		XML_StopParser(j->xp, XML_FALSE);
	}
}

static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid, const XML_Char *pubid,
			       int has_internal)
{
	struct xml_job **jp = ud;
	stop(*jp, "含有 DTD（文档类型声明），拒绝读取");
}

/* Inflate entry name of z through the parser of j. 0, or -1 with why. */
static int parse_entry(zip_t *z, const char *name, struct xml_job *j, char *why, size_t whylen)
{
	zip_int64_t idx = zip_name_locate(z, name, 0);
	zip_file_t *f;
	char *chunk;
	int64_t total = 0;
	int rc = 0;

	if (idx < 0) {
		snprintf(why, whylen, "XLSX 文件缺少 %s", name);
		return -1;
	}
	if (!(f = zip_fopen_index(z, (zip_uint64_t)idx, 0))) {
		snprintf(why, whylen, "无法读取 XLSX 中的 %s（%s）", name, zip_strerror(z));
		return -1;
	}
	chunk = xmalloc(CHUNK);
	for (;;) {
		zip_int64_t got = zip_fread(f, chunk, CHUNK);
		if (got < 0) {
			snprintf(why, whylen, "无法解压 XLSX 中的 %s（%s）", name, zip_file_strerror(f));
			rc = -1;
			break;
		}
		total += got;
		if (total > j->cap) {
			snprintf(why, whylen, "XLSX 中的 %s 解压后超过 %lld MiB（疑似压缩炸弹），已停止读取", name,
				 (long long)(j->cap >> 20));
			rc = -1;
			break;
		}
		if (XML_Parse(j->xp, chunk, (int)got, got == 0) == XML_STATUS_ERROR) {
			if (j->stopped_by_us && j->why)
				snprintf(why, whylen, "XLSX 中的 %s %s", name, j->why);
			else if (!j->stopped_by_us)
				snprintf(why, whylen, "XLSX 中的 %s 不是有效的 XML（第 %lu 行：%s）", name,
					 (unsigned long)XML_GetCurrentLineNumber(j->xp),
					 XML_ErrorString(XML_GetErrorCode(j->xp)));
			rc = j->stopped_by_us && !j->why ? 1 : -1;
			break;
		}
		if (got == 0)
			break;
	}
	free(chunk);
	zip_fclose(f);
	return rc;
}

static XML_Parser new_parser(struct xml_job *j, void *ud, int64_t cap, const char *part)
{
	XML_Parser xp = XML_ParserCreate("UTF-8");

	if (!xp)
		abort();
	j->xp = xp;
	j->cap = cap;
	j->part = part;
	XML_SetUserData(xp, ud);
	XML_SetStartDoctypeDeclHandler(xp, on_doctype);
	return xp;
}

/* ---- the workbook and its relationships: which part is the first sheet ---- */

struct wb {
	struct xml_job *job;    /* first member: on_doctype reads it */
	char rid[128];
	char target[512];
	bool have_sheet;
};

static void XMLCALL wb_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct wb *w = ud;
	const char *id;

	if (w->have_sheet || strcmp(local(name), "sheet"))
		return;
	if ((id = attr(atts, "id")) != NULL) {
		snprintf(w->rid, sizeof(w->rid), "%s", id);
		w->have_sheet = true;
	}
}

static void XMLCALL rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct wb *w = ud;
	const char *id, *target;

	if (strcmp(local(name), "Relationship") || w->target[0])
		return;
	id = attr(atts, "Id");
	target = attr(atts, "Target");
	if (id && target && !strcmp(id, w->rid)) {
		if (target[0] == '/')
			snprintf(w->target, sizeof(w->target), "%s", target + 1);
		else
			snprintf(w->target, sizeof(w->target), "xl/%s", target);
	}
}

/* The first sheet's part name into w->target. */
static int first_sheet(zip_t *z, struct wb *w, char *why, size_t whylen)
{
	struct xml_job j = { 0 };
	XML_Parser xp;
	int rc;

	w->job = &j;
	xp = new_parser(&j, w, TABLE_XLSX_SMALL_MAX, "workbook");
	XML_SetStartElementHandler(xp, wb_start);
	rc = parse_entry(z, "xl/workbook.xml", &j, why, whylen);
	XML_ParserFree(xp);
	if (rc < 0)
		return -1;
	if (w->have_sheet) {
		struct xml_job j2 = { 0 };
		w->job = &j2;
		xp = new_parser(&j2, w, TABLE_XLSX_SMALL_MAX, "rels");
		XML_SetStartElementHandler(xp, rels_start);
		rc = parse_entry(z, "xl/_rels/workbook.xml.rels", &j2, why, whylen);
		XML_ParserFree(xp);
		if (rc < 0)
			return -1;
	}
	if (!w->target[0])
		snprintf(w->target, sizeof(w->target), "xl/worksheets/sheet1.xml");
	/* "xl/./worksheets/.." and such are not resolved: a part name with
	 * a dot segment simply is not found. */
	return 0;
}

/* ---- shared strings ---- */

struct sst {
	struct xml_job *job;
	buf text;               /* every string, NUL-terminated, one after another */
	size_t *offs;
	int n, cap;
	int depth_si;           /* inside <si> */
	int in_t;               /* inside <t> (not under <rPh>) */
	int in_rph;
	bool too_long;
};

static void XMLCALL sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct sst *s = ud;
	const char *l = local(name);

	if (!strcmp(l, "si")) {
		if (s->n == s->cap) {
			s->cap = s->cap ? s->cap * 2 : 1024;
			s->offs = xrealloc(s->offs, (size_t)s->cap * sizeof(*s->offs));
		}
		s->offs[s->n++] = s->text.len;
		s->depth_si = 1;
	} else if (!strcmp(l, "rPh")) {
		s->in_rph++;
	} else if (!strcmp(l, "t") && s->depth_si && !s->in_rph) {
		s->in_t = 1;
	}
}

static void XMLCALL sst_end(void *ud, const XML_Char *name)
{
	struct sst *s = ud;
	const char *l = local(name);

	if (!strcmp(l, "si")) {
		buf_putc(&s->text, 0);
		s->depth_si = 0;
	} else if (!strcmp(l, "rPh")) {
		s->in_rph--;
	} else if (!strcmp(l, "t")) {
		s->in_t = 0;
	}
}

static void XMLCALL sst_text(void *ud, const XML_Char *t, int len)
{
	struct sst *s = ud;

	if (s->in_t)
		buf_add(&s->text, t, (size_t)len);
}

static int read_sst(zip_t *z, struct sst *s, char *why, size_t whylen)
{
	struct xml_job j = { 0 };
	XML_Parser xp;
	int rc;

	if (zip_name_locate(z, "xl/sharedStrings.xml", 0) < 0)
		return 0;
	s->job = &j;
	xp = new_parser(&j, s, TABLE_XLSX_STRINGS_MAX, "sharedStrings");
	XML_SetElementHandler(xp, sst_start, sst_end);
	XML_SetCharacterDataHandler(xp, sst_text);
	rc = parse_entry(z, "xl/sharedStrings.xml", &j, why, whylen);
	XML_ParserFree(xp);
	if (s->depth_si)
		buf_putc(&s->text, 0);
	return rc < 0 ? -1 : 0;
}

/* ---- the sheet ---- */

struct sheet {
	struct xml_job *job;
	const struct sst *sst;
	table_row_fn fn;
	void *ud;
	int64_t row_line, last_line;
	buf cells;              /* the row's cells, NUL-separated */
	size_t offs[TABLE_CELLS_MAX];
	bool have[TABLE_CELLS_MAX];
	int ncells;             /* 1 + the highest column seen */
	int col, next_col;      /* the current cell's column (-1: dropped) */
	char type[16];
	bool in_row, in_cell, in_v, in_is_t, formula, stopped;
	buf val;                /* the current cell's text */
	bool val_too_long;
	const char *bad;
	int bad_cell;
	char excerpt[256];
};

/* "B3" -> 1; -1 when it does not start with letters or is past the cap. */
static int column_of(const char *ref)
{
	int col = 0, n = 0;

	for (; *ref >= 'A' && *ref <= 'Z'; ref++, n++) {
		col = col * 26 + (*ref - 'A' + 1);
		if (col > 16384)
			return -1;
	}
	return n ? col - 1 : -1;
}

static void row_reset(struct sheet *s)
{
	buf_reset(&s->cells);
	memset(s->have, 0, sizeof(s->have));
	s->ncells = 0;
	s->next_col = 0;
	s->bad = NULL;
	s->bad_cell = -1;
}

static void XMLCALL sheet_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct sheet *s = ud;
	const char *l = local(name), *v;

	if (!strcmp(l, "row")) {
		int64_t r = 0;
		row_reset(s);
		s->in_row = true;
		if ((v = attr(atts, "r")) != NULL)
			r = strtoll(v, NULL, 10);
		s->row_line = r > 0 && r <= 1048576 ? r : s->last_line + 1;
	} else if (!strcmp(l, "c") && s->in_row) {
		int c = (v = attr(atts, "r")) != NULL ? column_of(v) : s->next_col;
		s->col = c >= 0 && c < TABLE_CELLS_MAX ? c : -1;
		if (c >= 0)
			s->next_col = c + 1;
		v = attr(atts, "t");
		snprintf(s->type, sizeof(s->type), "%s", v ? v : "n");
		s->in_cell = true;
		s->formula = false;
		s->val_too_long = false;
		buf_reset(&s->val);
	} else if (s->in_cell && !strcmp(l, "v")) {
		s->in_v = true;
	} else if (s->in_cell && !strcmp(l, "t")) {
		s->in_is_t = true;
	} else if (s->in_cell && !strcmp(l, "f")) {
		s->formula = true;
	}
}

static void cell_done(struct sheet *s)
{
	const char *text = s->val.s;

	if (s->col < 0)
		return;
	if (s->formula && !s->bad) {
		s->bad = "公式单元格（请把公式转换为数值或文字后再导入）";
		s->bad_cell = s->col;
	}
	if (s->val_too_long && !s->bad) {
		s->bad = "单元格超过 64 KiB";
		s->bad_cell = s->col;
	}
	if (!strcmp(s->type, "s")) {
		char *end;
		long i = strtol(s->val.s, &end, 10);
		if (end == s->val.s || *end || i < 0 || i >= s->sst->n) {
			if (!s->bad) {
				s->bad = "共享字符串编号无效";
				s->bad_cell = s->col;
			}
			text = "";
		} else {
			text = s->sst->text.s + s->sst->offs[i];
		}
	} else if (!strcmp(s->type, "b")) {
		text = !strcmp(s->val.s, "1") ? "TRUE" : "FALSE";
	}
	if (s->have[s->col])
		return;
	s->have[s->col] = true;
	/* Cells are stored in the order they come; offs[] finds them. */
	s->offs[s->col] = s->cells.len;
	buf_puts(&s->cells, text);
	buf_putc(&s->cells, 0);
	if (s->col + 1 > s->ncells)
		s->ncells = s->col + 1;
}

static void emit_row(struct sheet *s)
{
	const char *cells[TABLE_CELLS_MAX];
	struct table_row row = { .line = s->row_line, .ncells = s->ncells, .cells = cells, .bad = s->bad,
				 .bad_cell = s->bad_cell };
	bool any = false;

	for (int i = 0; i < s->ncells; i++) {
		cells[i] = s->have[i] ? s->cells.s + s->offs[i] : "";
		if (cells[i][0])
			any = true;
	}
	if (row.bad && row.bad_cell >= 0 && row.bad_cell < s->ncells) {
		table_excerpt(cells[row.bad_cell], strlen(cells[row.bad_cell]), s->excerpt, sizeof(s->excerpt));
		row.bad_value = s->excerpt;
	}
	s->last_line = s->row_line;
	if ((any || row.bad) && s->fn(s->ud, &row)) {
		s->stopped = true;
		stop(s->job, NULL);
	}
}

static void XMLCALL sheet_end(void *ud, const XML_Char *name)
{
	struct sheet *s = ud;
	const char *l = local(name);

	if (!strcmp(l, "row") && s->in_row) {
		s->in_row = false;
		emit_row(s);
	} else if (!strcmp(l, "c") && s->in_cell) {
		s->in_cell = false;
		cell_done(s);
	} else if (!strcmp(l, "v")) {
		s->in_v = false;
	} else if (!strcmp(l, "t")) {
		s->in_is_t = false;
	}
}

static void XMLCALL sheet_text(void *ud, const XML_Char *t, int len)
{
	struct sheet *s = ud;

	if (!s->in_cell || !(s->in_v || s->in_is_t))
		return;
	if (s->val.len + (size_t)len > TABLE_LINE_MAX) {
		s->val_too_long = true;
		return;
	}
	buf_add(&s->val, t, (size_t)len);
}

int table_read_xlsx(const char *path, table_row_fn fn, void *ud, char *why, size_t whylen, int64_t *why_line)
{
	struct wb w = { 0 };
	struct sst sst = { .text = BUF_INIT };
	struct sheet sh = { .sst = &sst, .fn = fn, .ud = ud, .cells = BUF_INIT, .val = BUF_INIT, .col = -1 };
	struct xml_job j = { 0 };
	XML_Parser xp;
	zip_t *z;
	int err = 0, rc;

	*why_line = 0;
	if (!(z = zip_open(path, ZIP_RDONLY, &err))) {
		snprintf(why, whylen, "不是有效的 XLSX 文件（无法按 zip 读取）");
		return -1;
	}
	if (zip_get_num_entries(z, 0) > TABLE_XLSX_ENTRIES_MAX) {
		snprintf(why, whylen, "XLSX 文件含有过多部件（超过 %d 个），拒绝读取", TABLE_XLSX_ENTRIES_MAX);
		zip_discard(z);
		return -1;
	}
	rc = first_sheet(z, &w, why, whylen);
	if (rc == 0)
		rc = read_sst(z, &sst, why, whylen);
	if (rc == 0) {
		sh.job = &j;
		xp = new_parser(&j, &sh, TABLE_XLSX_SHEET_MAX, "sheet");
		XML_SetElementHandler(xp, sheet_start, sheet_end);
		XML_SetCharacterDataHandler(xp, sheet_text);
		rc = parse_entry(z, w.target, &j, why, whylen);
		XML_ParserFree(xp);
		if (rc < 0)
			*why_line = sh.in_row ? sh.row_line : sh.last_line;
		if (sh.stopped)
			rc = 1;
	}
	zip_discard(z);
	buf_release(&sst.text);
	free(sst.offs);
	buf_release(&sh.cells);
	buf_release(&sh.val);
	return rc;
}
