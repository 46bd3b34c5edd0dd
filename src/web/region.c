/* region.c - 辖区汇总 (GET /region, GET /api/v1/region; region.read): a
 * parent tenant's leaders see the tenants under it, one line each with
 * the same headline figures as its own dashboard, and the total. Each
 * name links to that tenant's public board; nothing of a child that is not
 * public is shown (domain/region.h). */
#include "web/region.h"

#include <time.h>

#include "domain/claim.h"
#include "domain/region.h"
#include "web/app.h"
#include "web/widgets.h"

/* The figures of a line, in the table's column order after the name. */
#define REGION_FIGURES(r) \
	{ (r)->problems, (r)->claimed, (r)->in_progress, (r)->solved, (r)->accepted, (r)->lights[LIGHT_RED], \
	  (r)->promotions, (r)->practices_adopted }

static const struct table_col cols[] = {
	{ "地区", COL_TITLE }, { "榜单难题", 0 }, { "累计揭榜", 0 }, { "攻坚中", 0 }, { "累计破题", 0 },
	{ "已验收", 0 }, { "逾期", 0 }, { "提拔使用", 0 }, { "经验做法转化", 0 }, { NULL, 0 },
};

/* The link to a child's public board: its host, else its /t/slug/ prefix. */
static void board_link(struct req *r, const struct region_row *x)
{
	buf *b = &r->out;

	HTML(b, "<a href=\"");
	if (*x->host) {
		buf_html(b, arena_printf(r->a, "%s://%s/", req_secure_cookies(r) ? "https" : "http", x->host));
	} else {
		buf_html(b, "/t/");
		buf_html(b, x->slug);
		buf_html(b, "/");
	}
	HTML(b, "\">");
	buf_html(b, x->name);
	HTML(b, "</a>");
	if (x->below)
		buf_printf(b, "<span class=\"muted\">（含下辖 %lld 个）</span>", (long long)x->below);
}

static void line(struct req *r, struct table *t, const struct region_row *x, bool total)
{
	int64_t v[] = REGION_FIGURES(x);
	buf *b = &r->out;

	table_row(b, t);
	table_row_head(b, t);
	if (total)
		HTML(b, "合计");
	else
		board_link(r, x);
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		table_cell_class(b, t, "num");
		buf_int_grouped(b, v[i]);
	}
}

static int region_or_respond(struct req *r, struct region *g)
{
	struct perm_target t = { .tenant_id = r->tenant_id };

	if (tenant_or_respond(r) < 0)
		return -1;
	t.tenant_id = r->tenant_id;
	if (!perm_or_respond(r, "region.read", "tenant", r->tenant_id, &t))
		return -1;
	if (region_get(r->db, r->a, req_app(r)->regions, r->tenant_id, (int64_t)time(NULL), g) < 0) {
		web_store_error(r);
		return -1;
	}
	return 0;
}

/* One row as JSON, written straight out (a thousand rows through jansson's
 * objects cost more than reading them). */
static void row_json(buf *b, const struct region_row *x)
{
	static const char *const keys[] = { "tenants_below", "problems", "claimed", "in_progress", "solved",
					    "accepted", "promotions", "practices_adopted", "overdue" };
	static const char *const lit[] = { "green", "yellow", "red", "unreported", "awaiting" };
	const int64_t v[] = { x->below, x->problems, x->claimed, x->in_progress, x->solved,
			      x->accepted, x->promotions, x->practices_adopted, x->lights[LIGHT_RED] };

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		buf_puts(b, i ? ",\"" : "{\"");
		buf_puts(b, keys[i]);
		buf_puts(b, "\":");
		buf_int(b, v[i]);
	}
	buf_puts(b, ",\"lights\":");
	for (int l = LIGHT_GREEN; l <= LIGHT_AWAITING; l++) {
		buf_puts(b, l == LIGHT_GREEN ? "{\"" : ",\"");
		buf_puts(b, lit[l - LIGHT_GREEN]);
		buf_puts(b, "\":");
		buf_int(b, x->lights[l]);
	}
	buf_putc(b, '}');
	if (x->tenant_id) {
		buf_puts(b, ",\"tenant_id\":");
		buf_int(b, x->tenant_id);
		buf_puts(b, ",\"slug\":");
		buf_json_str(b, x->slug);
		buf_puts(b, ",\"name\":");
		buf_json_str(b, x->name);
	}
	buf_putc(b, '}');
}

void api_region(struct req *r)
{
	struct region g;
	buf *b = &r->out;

	if (region_or_respond(r, &g) < 0)
		return;
	buf_puts(b, "{\"total\":");
	row_json(b, &g.total);
	buf_puts(b, ",\"tenants\":[");
	for (int i = 0; i < g.nrows; i++) {
		if (i)
			buf_putc(b, ',');
		row_json(b, &g.rows[i]);
	}
	buf_puts(b, "]}\n");
	reply(r, 200, "application/json; charset=utf-8");
}

void page_region(struct req *r)
{
	struct region g;
	struct table t = { .cols = cols, .caption = "下辖地区的主要数字（每个地区含其下辖地区）" };
	buf *b = &r->out;

	if (region_or_respond(r, &g) < 0)
		return;
	page_begin(r, "辖区汇总", NAV_REGION);
	HTML(b, "<h1>辖区汇总</h1>\n<p class=\"muted\">截至 ");
	fmt_date(b, (int64_t)time(NULL));
	HTML(b, "，各地区全部批次的公开数字，与各地区统计页一致；不含各地区未公开的难题。"
		"地区名称链接到该地区的难题榜单。</p>\n");
	if (!g.nrows) {
		HTML(b, "<p>本地区下面还没有下辖地区。平台运维在“地区管理”中设置各地区的上级地区。</p>\n");
		page_end(r);
		return;
	}
	HTML(b, "<div class=\"figures\">\n");
	static const char *const labels[] = { "榜单难题", "累计揭榜", "攻坚中", "累计破题", "已验收", "逾期", "提拔使用",
					      "经验做法转化" };
	int64_t v[] = REGION_FIGURES(&g.total);
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		HTML(b, "<div class=\"figure\"><span class=\"num\">");
		buf_int_grouped(b, v[i]);
		HTML(b, "</span><span class=\"lbl\">");
		buf_html(b, labels[i]);
		HTML(b, "</span></div>\n");
	}
	HTML(b, "</div>\n");
	table_open(b, &t);
	for (int i = 0; i < g.nrows; i++)
		line(r, &t, &g.rows[i], false);
	table_foot(b, &t);
	line(r, &t, &g.total, true);
	table_close(b, &t);
	page_end(r);
}
