/* board.c - the board (榜单): filters, search, sort and pages. */
#include "web/export.h"
#include "web/web.h"

#include <stdio.h>
#include <string.h>

#include "domain/batch.h"
#include "domain/claim.h"
#include "domain/labels.h"
#include "domain/state.h"
#include "web/widgets.h"

static void option(buf *b, const char *value, const char *label, int selected)
{
	HTML(b, "<option value=\"");
	buf_html(b, value);
	HTML(b, "\"");
	if (selected)
		HTML(b, " selected");
	HTML(b, ">");
	buf_html(b, label);
	HTML(b, "</option>");
}

static void id_option(buf *b, const struct named *n, int64_t selected)
{
	char v[24];
	snprintf(v, sizeof(v), "%lld", (long long)n->id);
	option(b, v, n->name, n->id == selected);
}

/* A select of the codes in only (NULL: all of t), labelled from t. */
static void label_select(buf *b, const char *name, const char *title, const struct label *t,
			 const char *only[], const char *selected)
{
	buf_printf(b, "<label>%s<select name=\"%s\">", title, name);
	option(b, "", "全部", !selected);
	for (int i = 0; only ? only[i] != NULL : t[i].code != NULL; i++) {
		const char *code = only ? only[i] : t[i].code;
		option(b, code, label_of(t, code), selected && !strcmp(selected, code));
	}
	HTML(b, "</select></label>\n");
}


/* The lights a claim shows (claim.h lights[] but none). */
static void light_select(buf *b, const char *selected)
{
	HTML(b, "<label>灯色<select name=\"light\">");
	option(b, "", "全部", !selected);
	for (int i = LIGHT_GREEN; i <= LIGHT_AWAITING; i++)
		option(b, lights[i].code, lights[i].zh, selected && !strcmp(selected, lights[i].code));
	HTML(b, "</select></label>\n");
}

static void filter_form(struct req *r, const struct problem_filter *f, struct named *batches, int nb,
			struct named *cats, int nc)
{
	buf *b = &r->out;

	HTML(b, "<form class=\"filters\" method=\"get\" action=\"");
	html_path(b, r, "/");
	HTML(b, "\" role=\"search\">\n<label class=\"grow\">搜索<input type=\"search\" name=\"q\" maxlength=\"64\" value=\"");
	buf_html(b, f->q ? f->q : "");
	HTML(b, "\" placeholder=\"标题或内容中的字词，如：缆线\"></label>\n<label>批次<select name=\"batch\">");
	option(b, "", "全部", !f->batch_id);
	for (int i = 0; i < nb; i++)
		id_option(b, &batches[i], f->batch_id);
	HTML(b, "</select></label>\n<label>类别<select name=\"category\">");
	option(b, "", "全部", !f->category_id);
	for (int i = 0; i < nc; i++)
		id_option(b, &cats[i], f->category_id);
	HTML(b, "</select></label>\n");
	const char *public_states[PROBLEM_STATE_COUNT + 1];
	problem_states_with(PS_PUBLIC, public_states);
	label_select(b, "state", "状态", problem_states, public_states, f->state);
	label_select(b, "unit_kind", "揭榜单位类型", unit_kinds, NULL, f->unit_kind);
	light_select(b, f->light);
	HTML(b, "<label>排序<select name=\"sort\">");
	option(b, "id", "按编号", f->sort == SORT_ID);
	option(b, "updated", "最近更新", f->sort == SORT_UPDATED);
	option(b, "category", "按类别", f->sort == SORT_CATEGORY);
	HTML(b, "</select></label>\n<button type=\"submit\">筛选</button> <a href=\"");
	html_path(b, r, "/");
	HTML(b, "\">清除</a>\n</form>\n");
}

/* "/?q=..&batch=..&page=N" keeping the current filters. */
static void page_link(buf *b, const char *base, const struct problem_filter *f, int64_t page)
{
	buf_html(b, base);
	HTML(b, "/?page=");
	buf_int(b, page);
	if (f->q && *f->q) {
		HTML(b, "&amp;q=");
		buf_url(b, f->q);
	}
	if (f->batch_id)
		buf_printf(b, "&amp;batch=%lld", (long long)f->batch_id);
	if (f->category_id)
		buf_printf(b, "&amp;category=%lld", (long long)f->category_id);
	if (f->state) {
		HTML(b, "&amp;state=");
		buf_url(b, f->state);
	}
	if (f->unit_kind) {
		HTML(b, "&amp;unit_kind=");
		buf_url(b, f->unit_kind);
	}
	if (f->light) {
		HTML(b, "&amp;light=");
		buf_url(b, f->light);
	}
	if (f->sort == SORT_UPDATED)
		HTML(b, "&amp;sort=updated");
	else if (f->sort == SORT_CATEGORY)
		HTML(b, "&amp;sort=category");
	if (f->per_page != 20)
		buf_printf(b, "&amp;per_page=%lld", (long long)f->per_page);
}

static void pager(buf *b, const char *base, const struct problem_filter *f, int64_t total)
{
	int64_t pages = (total + f->per_page - 1) / f->per_page;

	if (pages <= 1)
		return;
	HTML(b, "<nav class=\"pager\" aria-label=\"分页\">");
	if (f->page > 1) {
		HTML(b, "<a rel=\"prev\" href=\"");
		page_link(b, base, f, f->page - 1);
		HTML(b, "\">上一页</a>");
	}
	buf_printf(b, "<span>第 %lld / %lld 页</span>", (long long)f->page, (long long)pages);
	if (f->page < pages) {
		HTML(b, "<a rel=\"next\" href=\"");
		page_link(b, base, f, f->page + 1);
		HTML(b, "\">下一页</a>");
	}
	HTML(b, "</nav>\n");
}

static void rows_table(buf *b, const char *base, const struct problem_page *pg)
{
	static const struct table_col cols[] = { { "编号", 0 }, { "难题", COL_TITLE }, { "类别", 0 }, { "状态", 0 },
						 { "揭榜单位", 0 }, { "主要负责人", 0 }, { "完成", 0 }, { "更新", 0 },
						 { NULL, 0 } };
	struct table t = { .cols = cols, .cls = "board" };

	table_open(b, &t);
	for (int i = 0; i < pg->n; i++) {
		const struct problem_row *p = &pg->items[i];
		table_row(b, &t);
		table_cell(b, &t);
		buf_printf(b, "%lld", (long long)p->id);
		table_cell(b, &t);
		HTML(b, "<a href=\"");
		buf_html(b, base);
		buf_printf(b, "/problems/%lld\">", (long long)p->id);
		buf_html(b, p->title);
		HTML(b, "</a>");
		table_cell(b, &t);
		buf_html(b, p->category);
		table_cell(b, &t);
		html_state_badge(b, p->state);
		if (p->overdue)
			HTML(b, " <span class=\"overdue\">逾期</span>");
		if (p->light != LIGHT_NONE && !(p->overdue && p->light == LIGHT_RED)) { /* 逾期 once */
			HTML(b, " ");
			html_light(b, p->light);
		}
		table_cell(b, &t);
		buf_html(b, *p->claim_unit ? p->claim_unit : "—");
		table_cell(b, &t);
		buf_html(b, *p->owner ? p->owner : "—");
		table_cell(b, &t);
		html_completion(b, p->claim_id ? p->completion : -1);
		table_cell(b, &t);
		fmt_date(b, p->updated_at);
	}
	table_close(b, &t);
}

/* Whether the board is filtered to a closed batch (into *bt, its as-of
 * moment into *at): 1 yes, 0 no (no filter, no such batch, open), -1. */
static int closed_batch(struct req *r, const struct problem_filter *f, struct batch *bt, int64_t *at)
{
	int rc;

	if (!f->batch_id)
		return 0;
	if ((rc = batch_get(r->db, r->a, r->tenant_id, f->batch_id, bt)) != 0)
		return rc < 0 ? -1 : 0;
	*at = batch_as_of(bt, f->now);
	return *at < f->now;
}

/* The day a closed batch's overdue flags are judged at, as on /stats. */
static void as_of_line(buf *b, const struct batch *bt, int64_t at)
{
	HTML(b, "<p class=\"muted\">“");
	buf_html(b, bt->name);
	HTML(b, "”已结束，统计截至 ");
	fmt_date_zh(b, at);
	HTML(b, "。</p>\n");
}

void page_board(struct req *r)
{
	struct problem_filter f;
	struct problem_page pg;
	struct named *batches, *cats;
	struct batch bt;
	int64_t at = 0;
	int nb, nc, closed = 0;
	buf *b = &r->out;

	if (tenant_or_respond(r) < 0 || board_filter_or_respond(r, &f) < 0)
		return;
	if (problem_batches(r->db, r->a, r->tenant_id, &batches, &nb) < 0 ||
	    problem_categories(r->db, r->a, r->tenant_id, &cats, &nc) < 0 ||
	    (closed = closed_batch(r, &f, &bt, &at)) < 0 ||
	    problem_list(r->db, r->a, r->tenant_id, &f, &pg) < 0) {
		web_store_error(r);
		return;
	}
	page_begin(r, "难题榜单", NAV_BOARD);
	HTML(b, "<h1>难题榜单</h1>\n");
	export_links(r, "problems", true);
	filter_form(r, &f, batches, nb, cats, nc);
	buf_printf(b, "<p class=\"summary\" role=\"status\">共 <strong>%lld</strong> 项难题", (long long)pg.total);
	if (f.q && *f.q) {
		HTML(b, "，搜索“");
		buf_html(b, f.q);
		HTML(b, "”");
	}
	HTML(b, "</p>\n");
	if (closed)
		as_of_line(b, &bt, at);
	if (pg.n)
		rows_table(b, r->base, &pg);
	else
		HTML(b, "<p class=\"empty\">没有符合条件的难题。</p>\n");
	pager(b, r->base, &f, pg.total);
	page_end(r);
}
