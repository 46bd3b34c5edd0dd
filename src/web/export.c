/* export.c - GET /api/v1/export/:list.{csv,xlsx} (and /export/:list for
 * cookie sessions), the /exports page, and the 导出 links on list pages.
 *
 * CSV streams: the handler checks the permission and hands a stream
 * (http/req.h) to the server; each time libmicrohttpd wants bytes, the
 * next chunk of rows is read in a read transaction of its own on that
 * thread's store connection, so nothing is held open while the client
 * reads. XLSX cannot stream (libxlsxwriter seeks back to write the zip):
 * the route is ROUTE_BULK, so it is built on a worker into a temporary
 * file in <data>/tmp in constant-memory mode, chunk by chunk in the same
 * short transactions, and sent with reply_fd(). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "domain/export.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/xalloc.h"
#include "web/export.h"
#include "web/web.h"

#define XLSX_MAX_ROWS 1048575   /* Excel's sheet, less the header */
#define XLSX_MAX_WIDTH 60
#define XLSX_MAX_TEXT 32000     /* bytes; Excel's cell holds 32767 characters */

/* The list and format named by the route's :list ("ledger.csv"); answers
 * 404 itself and returns NULL when there is no such list or format. */
static const struct export_list *list_or_respond(struct req *r, bool *xlsx)
{
	const char *p = r->params[0], *dot = strrchr(p, '.');
	const struct export_list *l = NULL;

	if (dot && (!strcmp(dot, ".csv") || !strcmp(dot, ".xlsx"))) {
		*xlsx = !strcmp(dot, ".xlsx");
		l = export_find(arena_strndup(r->a, p, (size_t)(dot - p)));
	}
	if (!l)
		reply_error(r, 404, "not_found", "没有这个导出清单或格式（可导出 .csv 或 .xlsx）", NULL);
	return l;
}

/* Whether who may export l; answers 403 (audited) itself when not. */
static bool may_or_respond(struct req *r, const struct export_list *l)
{
	struct perm_target t = { .tenant_id = r->tenant_id };

	if (export_perm(l) && !perm_or_respond(r, export_perm(l), "export", 0, &t))
		return false;
	if (export_perm_also(l) && !perm_or_respond(r, export_perm_also(l), "export", 0, &t))
		return false;
	return true;
}

bool export_visible(struct req *r, const struct export_list *l)
{
	struct perm_target t = { .tenant_id = r->tenant_id };

	return (!export_perm(l) || perm_check(r->who, export_perm(l), &t)) &&
	       (!export_perm_also(l) || perm_check(r->who, export_perm_also(l), &t));
}

static const char *file_name(struct req *r, const struct export_list *l, const char *ext)
{
	buf b = BUF_INIT;
	const char *s;

	buf_printf(&b, "%s-", export_title(l));
	fmt_date(&b, clock_now());
	buf_printf(&b, ".%s", ext);
	s = arena_strdup(r->a, b.s);
	buf_release(&b);
	return s;
}

/* ---- CSV, streamed ---- */

struct csv_stream {
	struct stream s;         /* first: the server hands back &s */
	arena *a;                /* the filter's strings, for the stream's life */
	struct export_cursor c;
	bool header_sent;
	buf *out;                /* the chunk being filled (during next()) */
};

static void csv_row(void *cls, const struct export_cell *cells, int ncols)
{
	struct csv_stream *cs = cls;

	(void)ncols;
	export_csv_row(cs->out, &cs->c, cells);
}

static int csv_next(struct stream *s, db *d, buf *out)
{
	struct csv_stream *cs = (struct csv_stream *)s;
	arena *chunk;
	int n;

	if (!cs->header_sent) {
		export_csv_header(out, &cs->c, true);
		cs->header_sent = true;
		return 0;
	}
	if (!d) {
		log_error("export %s.csv: the store cannot be reached", export_name(cs->c.l));
		return -1;
	}
	chunk = arena_new();
	cs->out = out;
	n = export_next(d, chunk, &cs->c, EXPORT_CHUNK, csv_row, cs);
	arena_free(chunk);
	if (n < 0) {
		log_error("export %s.csv: store error after %lld: %s", export_name(cs->c.l), (long long)cs->c.after,
			  db_errmsg(d));
		return -1;
	}
	return cs->c.done ? 1 : 0;
}

static void csv_release(struct stream *s)
{
	struct csv_stream *cs = (struct csv_stream *)s;

	arena_free(cs->a);
	free(cs);
}

static const char *copy(arena *a, const char *s)
{
	return s ? arena_strdup(a, s) : NULL;
}

/* ---- XLSX, built into a temporary file ---- */

struct xlsx_out {
	lxw_worksheet *ws;
	lxw_format *fmt[EXPORT_POINTS + 2]; /* by enum export_type; NULL: none */
	const struct export_cursor *c;
	lxw_row_t row;
	unsigned width[EXPORT_MAX_COLS];
	lxw_error err;
	bool truncated;
};

/* Excel's serial day (1899-12-30 is 0) of an epoch moment, in Asia/Shanghai. */
static double excel_day(int64_t epoch, bool with_time)
{
	int64_t local = epoch + 8 * 3600;
	int64_t day = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);

	if (!with_time)
		return (double)(day + 25569);
	return (double)(day + 25569) + (double)((local - day * 86400) / 60) / 1440.0;
}

static void xlsx_row(void *cls, const struct export_cell *cells, int ncols)
{
	struct xlsx_out *x = cls;
	buf t = BUF_INIT;

	if (x->row > XLSX_MAX_ROWS) {
		x->truncated = true;
		return;
	}
	for (int k = 0; k < ncols && !x->err; k++) {
		const struct export_cell *e = &cells[k];
		enum export_type type = x->c->cols[k]->type;
		unsigned w;
		if (e->empty)
			continue;
		buf_reset(&t);
		export_cell_text(&t, type, e);
		w = export_width(t.s);
		if (w > x->width[k])
			x->width[k] = w;
		switch (type) {
		case EXPORT_TEXT: {
			/* Strings are never formulas in XLSX (openpyxl reads them
			 * back with data_type 's'), so text is written as typed. */
			size_t n = strlen(e->s);
			const char *s = e->s;
			if (n > XLSX_MAX_TEXT) {
				n = XLSX_MAX_TEXT;
				while (n && ((unsigned char)s[n] & 0xc0) == 0x80)
					n--;
				buf_reset(&t);
				buf_add(&t, s, n);
				s = t.s;
			}
			x->err = worksheet_write_string(x->ws, x->row, (lxw_col_t)k, s, NULL);
			break;
		}
		case EXPORT_INT:
			x->err = worksheet_write_number(x->ws, x->row, (lxw_col_t)k, (double)e->i, NULL);
			break;
		case EXPORT_DATE:
		case EXPORT_DATETIME:
			x->err = worksheet_write_number(x->ws, x->row, (lxw_col_t)k,
							excel_day(e->i, type == EXPORT_DATETIME), x->fmt[type]);
			break;
		case EXPORT_POINTS:
		case EXPORT_MONEY:
			x->err = worksheet_write_number(x->ws, x->row, (lxw_col_t)k, (double)e->i / 100.0,
							x->fmt[EXPORT_POINTS]);
			break;
		}
	}
	buf_release(&t);
	x->row++;
}

/* Build c's workbook into path; 0, or -1 (logged). Each chunk is read in
 * a read transaction of its own. */
static int xlsx_build(struct req *r, struct export_cursor *c, const char *sheet, const char *path)
{
	lxw_workbook_options opt = { .constant_memory = LXW_TRUE, .tmpdir = arena_strdup(r->a, req_tmpdir(r)) };
	lxw_workbook *wb = workbook_new_opt(path, &opt);
	struct xlsx_out x = { .c = c, .row = 1 };
	lxw_format *bold;
	int n, rc = 0;

	if (!wb) {
		log_error("req=%s export: cannot create the workbook '%s'", r->id, path);
		return -1;
	}
	x.ws = workbook_add_worksheet(wb, sheet);
	bold = workbook_add_format(wb);
	format_set_bold(bold);
	x.fmt[EXPORT_DATE] = workbook_add_format(wb);
	format_set_num_format(x.fmt[EXPORT_DATE], "yyyy-mm-dd");
	x.fmt[EXPORT_DATETIME] = workbook_add_format(wb);
	format_set_num_format(x.fmt[EXPORT_DATETIME], "yyyy-mm-dd hh:mm");
	x.fmt[EXPORT_POINTS] = workbook_add_format(wb);
	format_set_num_format(x.fmt[EXPORT_POINTS], "0.00");
	for (int k = 0; k < c->ncols; k++) {
		worksheet_write_string(x.ws, 0, (lxw_col_t)k, c->cols[k]->header, bold);
		x.width[k] = export_width(c->cols[k]->header);
	}
	do {
		arena *chunk = arena_new();
		n = export_next(r->db, chunk, c, EXPORT_CHUNK, xlsx_row, &x);
		arena_free(chunk);
	} while (n > 0 && !x.err);
	if (n < 0) {
		log_error("req=%s export %s.xlsx: store error after %lld: %s", r->id, export_name(c->l),
			  (long long)c->after, db_errmsg(r->db));
		rc = -1;
	}
	if (x.err) {
		log_error("req=%s export %s.xlsx: %s", r->id, export_name(c->l), lxw_strerror(x.err));
		rc = -1;
	}
	if (x.truncated)
		log_warn("req=%s export %s.xlsx: cut at %d rows (an Excel sheet's limit)", r->id, export_name(c->l),
			 XLSX_MAX_ROWS);
	for (int k = 0; k < c->ncols; k++) {
		unsigned w = x.width[k] + 2;
		worksheet_set_column(x.ws, (lxw_col_t)k, (lxw_col_t)k, w > XLSX_MAX_WIDTH ? XLSX_MAX_WIDTH : w, NULL);
	}
	worksheet_freeze_panes(x.ws, 1, 0);
	worksheet_autofilter(x.ws, 0, 0, x.row > 1 ? x.row - 1 : 1, (lxw_col_t)(c->ncols - 1));
	lxw_error e = workbook_close(wb);
	if (e != LXW_NO_ERROR) {
		log_error("req=%s export %s.xlsx: cannot write the workbook: %s", r->id, export_name(c->l),
			  lxw_strerror(e));
		rc = -1;
	}
	return rc;
}

static void answer_xlsx(struct req *r, struct export_cursor *c)
{
	const char *path = arena_printf(r->a, "%s/export-XXXXXX", req_tmpdir(r));
	char *tmpl = arena_strdup(r->a, path);
	struct stat st;
	int fd = mkstemp(tmpl);

	if (fd < 0) {
		log_error("req=%s export: cannot create a temporary file in '%s': %s", r->id, req_tmpdir(r),
			  strerror(errno));
		reply_error(r, 500, "internal", "服务器内部错误", NULL);
		return;
	}
	close(fd);
	fd = -1;
	if (xlsx_build(r, c, export_title(c->l), tmpl) < 0 || (fd = open(tmpl, O_RDONLY | O_CLOEXEC)) < 0 ||
	    fstat(fd, &st) < 0) {
		if (fd >= 0)
			close(fd);
		unlink(tmpl);
		web_store_error(r);
		return;
	}
	unlink(tmpl); /* the open descriptor keeps it until it is sent */
	req_header(r, "Content-Disposition", web_disposition(r, file_name(r, c->l, "xlsx")));
	reply_fd(r, 200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", fd,
		 (uint64_t)st.st_size);
}

void api_export(struct req *r)
{
	const struct export_list *l;
	struct problem_filter f;
	bool xlsx = false;

	if (tenant_or_respond(r) < 0 || !(l = list_or_respond(r, &xlsx)) || !may_or_respond(r, l) ||
	    (export_personal(l, r->who) && !reauth_or_ask(r)))
		return;
	if (export_is_board(l) && board_filter_or_respond(r, &f) < 0)
		return;
	r->no_store = true;
	if (xlsx) {
		struct export_cursor c;
		export_open(&c, l, r->who, r->tenant_id, clock_now());
		if (export_is_board(l)) {
			c.f = f;
			c.f.now = c.now;
		}
		answer_xlsx(r, &c);
		return;
	}
	struct csv_stream *cs = xcalloc(1, sizeof(*cs));
	cs->s.next = csv_next;
	cs->s.release = csv_release;
	cs->s.what = "export csv";
	cs->a = arena_new();
	export_open(&cs->c, l, r->who, r->tenant_id, clock_now());
	if (export_is_board(l)) {
		cs->c.f = f;
		cs->c.f.now = cs->c.now;
		cs->c.f.q = copy(cs->a, f.q);
		cs->c.f.state = copy(cs->a, f.state);
		cs->c.f.unit_kind = copy(cs->a, f.unit_kind);
		cs->c.f.light = copy(cs->a, f.light);
	}
	req_header(r, "Content-Disposition", web_disposition(r, file_name(r, l, "csv")));
	reply_stream(r, 200, "text/csv; charset=utf-8", &cs->s);
}

/* ---- links and the page ---- */

/* The request's query again (URL-encoded, without '?'), less the paging. */
static const char *filter_query(struct req *r)
{
	buf b = BUF_INIT;
	const char *s;

	for (int i = 0; i < r->nquery; i++) {
		if (!strcmp(r->query[i].key, "page") || !strcmp(r->query[i].key, "per_page") || !*r->query[i].val)
			continue;
		if (b.len)
			buf_putc(&b, '&');
		buf_url(&b, r->query[i].key);
		buf_putc(&b, '=');
		buf_url(&b, r->query[i].val);
	}
	s = arena_strdup(r->a, b.s);
	buf_release(&b);
	return s;
}

void export_links(struct req *r, const char *list, bool keep_filters)
{
	const struct export_list *l = export_find(list);
	const char *query = keep_filters ? filter_query(r) : "";
	buf *b = &r->out;

	if (!l || !export_visible(r, l))
		return;
	HTML(b, "<p class=\"export-links\">导出：");
	for (int i = 0; i < 2; i++) {
		const char *ext = i ? "csv" : "xlsx";
		if (i)
			HTML(b, " · ");
		HTML(b, "<a href=\"");
		buf_html(b, arena_printf(r->a, "%s/export/%s.%s%s%s", r->base, list, ext, *query ? "?" : "", query));
		HTML(b, "\" download>");
		buf_puts(b, i ? "CSV" : "Excel");
		HTML(b, "<span class=\"vh\">（");
		buf_html(b, export_title(l));
		HTML(b, "）</span></a>");
	}
	HTML(b, "</p>\n");
}

void page_exports(struct req *r)
{
	struct perm_target t = { .tenant_id = r->tenant_id };
	const struct export_list *l;
	buf *b = &r->out;

	if (!perm_or_respond(r, "export.read", "export", 0, &t))
		return;
	page_begin(r, "导出台账", NAV_EXPORTS);
	HTML(b, "<h1>导出台账</h1>\n<p>每个清单可导出为 Excel（.xlsx）或 CSV（UTF-8）文件。"
		"榜单的筛选条件请在<a href=\"");
	buf_html(b, r->base);
	HTML(b, "/\">难题榜单</a>上选好后从那里导出。</p>\n<table class=\"data\">\n"
		"<thead><tr><th scope=\"col\">清单</th><th scope=\"col\">Excel</th><th scope=\"col\">CSV</th></tr></thead>\n<tbody>\n");
	for (int i = 0; (l = export_at(i)); i++) {
		if (!export_visible(r, l))
			continue;
		HTML(b, "<tr><th scope=\"row\">");
		buf_html(b, export_title(l));
		HTML(b, "</th>");
		for (int k = 0; k < 2; k++) {
			const char *ext = k ? "csv" : "xlsx";
			HTML(b, "<td><a href=\"");
			buf_html(b, arena_printf(r->a, "%s/export/%s.%s", r->base, export_name(l), ext));
			HTML(b, "\" download>");
			buf_html(b, arena_printf(r->a, "%s.%s", export_title(l), ext));
			HTML(b, "</a></td>");
		}
		HTML(b, "</tr>\n");
	}
	HTML(b, "</tbody>\n</table>\n");
	page_end(r);
}
