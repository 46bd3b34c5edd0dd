/* stats.c - the statistics page (统计) with bar charts drawn as SVG. */
#include "web/web.h"

#include <string.h>

#include "domain/labels.h"
#include "domain/state.h"
#include "domain/stats.h"
#include "util/text.h"

struct bar {
	const char *label;
	int64_t value;
};

/* A horizontal bar chart; labels are escaped, geometry is computed. */
static void svg_bars(buf *b, const char *title, const struct bar *bars, int n)
{
	int64_t max = 1;
	const int row = 28, label_w = 150, chart_w = 360, h = n * row + 8;

	for (int i = 0; i < n; i++)
		if (bars[i].value > max)
			max = bars[i].value;
	buf_printf(b, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"",
		   label_w + chart_w + 60, h);
	buf_html(b, title);
	HTML(b, "\"><title>");
	buf_html(b, title);
	HTML(b, "</title>\n");
	for (int i = 0; i < n; i++) {
		int y = 4 + i * row, w = (int)(bars[i].value * chart_w / max);
		buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" class=\"lbl\">", label_w - 8, y + 18);
		buf_html(b, bars[i].label);
		buf_printf(b, "</text><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" class=\"bar\"/>"
			      "<text x=\"%d\" y=\"%d\" class=\"val\">%lld</text>\n",
			   label_w, y + 4, w > 0 ? w : 1, row - 10, label_w + w + 6, y + 18, (long long)bars[i].value);
	}
	HTML(b, "</svg>\n");
}

static void figure(buf *b, const char *label, int64_t v)
{
	HTML(b, "<div class=\"figure\"><span class=\"num\">");
	buf_int_grouped(b, v);
	HTML(b, "</span><span class=\"lbl\">");
	buf_html(b, label);
	HTML(b, "</span></div>\n");
}

static int64_t row_total(const struct stat_row *rows, int n, const char *code)
{
	const struct stat_row *r = stats_find(rows, n, code);
	return r ? r->total : 0;
}

static void category_table(buf *b, const struct stats *s)
{
	HTML(b, "<table>\n<caption>各类别难题数</caption>\n<thead><tr><th scope=\"col\">类别</th>"
		"<th scope=\"col\">榜单</th><th scope=\"col\">已揭榜</th><th scope=\"col\">已破题</th></tr></thead>\n<tbody>\n");
	for (int i = 0; i < s->ncategory; i++) {
		const struct stat_row *c = &s->by_category[i];
		HTML(b, "<tr><th scope=\"row\">");
		buf_html(b, c->code);
		buf_printf(b, "</th><td>%lld</td><td>%lld</td><td>%lld</td></tr>\n",
			   (long long)c->total, (long long)c->claimed, (long long)c->solved);
	}
	buf_printf(b, "</tbody>\n<tfoot><tr><th scope=\"row\">合计</th><td>%lld</td><td>%lld</td><td>%lld</td></tr></tfoot>\n</table>\n",
		   (long long)s->problems, (long long)s->claimed, (long long)s->solved);
}

void page_stats(struct req *r)
{
	struct stats s;
	struct bar *bars;
	int64_t batch = 0;
	buf *b = &r->out;
	const char *v;

	if (tenant_or_respond(r) < 0)
		return;
	v = req_query(r, "batch");
	if (v && *v && parse_int(v, 1, INT64_MAX, &batch) < 0) {
		reply_error(r, 400, "bad_parameter", "批次编号必须是正整数", "batch");
		return;
	}
	if (stats_get(r->db, r->a, r->tenant_id, batch, &s) < 0) {
		web_store_error(r);
		return;
	}
	page_begin(r, "统计", NAV_STATS);
	HTML(b, "<h1>统计</h1>\n<div class=\"figures\">\n");
	figure(b, "榜单难题", s.problems);
	figure(b, "已揭榜", s.claimed);
	figure(b, "已破题", s.solved);
	figure(b, "揭榜单位", row_total(s.units, s.nunits, "county_dept") + row_total(s.units, s.nunits, "town") +
				      row_total(s.units, s.nunits, "village") + row_total(s.units, s.nunits, "enterprise") +
				      row_total(s.units, s.nunits, "other"));
	figure(b, "揭榜干部", row_total(s.cadres, s.ncadres, "section") + row_total(s.cadres, s.ncadres, "below_section"));
	figure(b, "提拔使用", s.promotions);
	HTML(b, "</div>\n");

	bars = arena_alloc(r->a, (size_t)(s.ncategory + 1) * sizeof(*bars));
	for (int i = 0; i < s.ncategory; i++)
		bars[i] = (struct bar){ s.by_category[i].code, s.by_category[i].claimed };
	HTML(b, "<section aria-labelledby=\"cat-h\">\n<h2 id=\"cat-h\">各类别已揭榜难题</h2>\n");
	svg_bars(b, "各类别已揭榜难题数", bars, s.ncategory);
	category_table(b, &s);
	HTML(b, "</section>\n");

	const char *states[PROBLEM_STATE_COUNT + 1];
	struct bar sb[PROBLEM_STATE_COUNT];
	int nsb = problem_states_with(PS_PUBLIC, states);
	for (int i = 0; i < nsb; i++)
		sb[i] = (struct bar){ label_of(problem_states, states[i]), row_total(s.by_state, s.nstate, states[i]) };
	HTML(b, "<section aria-labelledby=\"state-h\">\n<h2 id=\"state-h\">难题状态</h2>\n");
	svg_bars(b, "各状态难题数", sb, nsb);
	HTML(b, "</section>\n");

	struct bar ub[2] = {
		{ "县直单位", row_total(s.units, s.nunits, "county_dept") },
		{ "镇街", row_total(s.units, s.nunits, "town") },
	};
	HTML(b, "<section aria-labelledby=\"unit-h\">\n<h2 id=\"unit-h\">揭榜单位</h2>\n");
	svg_bars(b, "揭榜单位数（按类型）", ub, 2);
	HTML(b, "</section>\n");

	struct bar cb[2] = {
		{ "科级干部", row_total(s.cadres, s.ncadres, "section") },
		{ "股级以下干部", row_total(s.cadres, s.ncadres, "below_section") },
	};
	HTML(b, "<section aria-labelledby=\"cadre-h\">\n<h2 id=\"cadre-h\">揭榜干部</h2>\n");
	svg_bars(b, "揭榜干部人数（按职级）", cb, 2);
	buf_printf(b, "<p>通过破题，已有 <strong>%lld</strong> 名干部被提拔使用或进一步使用。</p>\n", (long long)s.promotions);
	HTML(b, "</section>\n");
	page_end(r);
}
