/* stats.c - the statistics page (统计): one batch or all, the moment the
 * figures describe, headline figures and bar charts. */
#include "util/clock.h"
#include "web/web.h"

#include <string.h>
#include <time.h>

#include "domain/labels.h"
#include "domain/state.h"
#include "domain/claim.h"
#include "domain/stats.h"
#include "util/text.h"
#include "web/widgets.h"

struct bar {
	const char *label;
	int64_t value;
};

int stats_or_respond(struct req *r, struct stats *s)
{
	const char *v = req_query(r, "batch");
	int64_t batch = 0;
	int rc;

	if (tenant_or_respond(r) < 0)
		return -1;
	if (v && *v && parse_int(v, 1, INT64_MAX, &batch) < 0) {
		reply_error(r, 400, "bad_parameter", "批次编号必须是正整数", "batch");
		return -1;
	}
	rc = stats_get(r->db, r->a, r->tenant_id, batch, clock_now(), s);
	if (rc < 0)
		web_store_error(r);
	else if (rc > 0)
		reply_error(r, 404, "not_found", "没有这个批次", "batch");
	return rc ? -1 : 0;
}

/* A horizontal bar chart named by the heading labelled_by: one list item
 * per bar, its label and value as text (CSS px, so they keep their size at
 * any width) and the bar an SVG stretched to the space between them. */
static void bar_chart(buf *b, const char *labelled_by, const struct bar *bars, int n)
{
	int64_t max = 1;

	for (int i = 0; i < n; i++)
		if (bars[i].value > max)
			max = bars[i].value;
	HTML(b, "<ul class=\"chart\" aria-labelledby=\"");
	buf_html(b, labelled_by);
	HTML(b, "\">\n");
	for (int i = 0; i < n; i++) {
		HTML(b, "<li><span class=\"bar-label\">");
		buf_html(b, bars[i].label);
		buf_printf(b, "</span><svg class=\"bar\" viewBox=\"0 0 1000 10\" preserveAspectRatio=\"none\" aria-hidden=\"true\">"
			      "<rect width=\"%lld\" height=\"10\"/></svg><span class=\"bar-value\">",
			   (long long)(bars[i].value * 1000 / max));
		buf_int_grouped(b, bars[i].value);
		HTML(b, "</span></li>\n");
	}
	HTML(b, "</ul>\n");
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

/* A category's three figures, one cell each. */
static void category_figures(buf *b, struct table *t, int64_t total, int64_t claimed, int64_t solved)
{
	table_cell(b, t);
	buf_printf(b, "%lld", (long long)total);
	table_cell(b, t);
	buf_printf(b, "%lld", (long long)claimed);
	table_cell(b, t);
	buf_printf(b, "%lld", (long long)solved);
}

static void category_table(buf *b, const struct stats *s)
{
	static const struct table_col cols[] = { { "类别", COL_TITLE }, { "榜单难题", 0 }, { "累计揭榜", 0 },
						 { "累计破题", 0 }, { NULL, 0 } };
	struct table t = { .cols = cols, .cls = "figures-table", .caption = "各类别难题数" };

	table_open(b, &t);
	for (int i = 0; i < s->ncategory; i++) {
		const struct stat_row *c = &s->by_category[i];
		table_row(b, &t);
		table_row_head(b, &t);
		buf_html(b, c->code);
		category_figures(b, &t, c->total, c->claimed, c->solved);
	}
	table_foot(b, &t);
	table_row(b, &t);
	table_row_head(b, &t);
	HTML(b, "合计");
	category_figures(b, &t, s->problems, s->claimed, s->solved);
	table_close(b, &t);
}

/* The batch selector (a GET form) and which batch and day the page shows. */
static void batch_header(struct req *r, const struct stats *s, const struct named *batches, int n)
{
	buf *b = &r->out;

	HTML(b, "<form class=\"filters\" method=\"get\" action=\"");
	html_path(b, r, "/stats");
	HTML(b, "\"><label>批次<select name=\"batch\"><option value=\"\">全部批次</option>");
	for (int i = 0; i < n; i++) {
		buf_printf(b, "<option value=\"%lld\"%s>", (long long)batches[i].id,
			   batches[i].id == s->batch_id ? " selected" : "");
		buf_html(b, batches[i].name);
		HTML(b, "</option>");
	}
	HTML(b, "</select></label> <button type=\"submit\">查看</button></form>\n<p class=\"as-of\"><strong>");
	buf_html(b, s->batch ? s->batch : "全部批次");
	HTML(b, "</strong> · 统计截至 ");
	fmt_date_zh(b, s->as_of);
	HTML(b, "</p>\n");
}

static void figures(buf *b, const struct stats *s)
{
	int64_t units = 0;

	for (const struct label *k = unit_kinds; k->code; k++)
		units += row_total(s->units, s->nunits, k->code);
	HTML(b, "<div class=\"figures\">\n");
	figure(b, "榜单难题", s->problems);
	figure(b, "累计揭榜", s->claimed);
	figure(b, "累计破题", s->solved);
	figure(b, "揭榜单位", units);
	figure(b, "揭榜干部", row_total(s->cadres, s->ncadres, "section") + row_total(s->cadres, s->ncadres, "below_section"));
	figure(b, "提拔使用", s->promotions);
	HTML(b, "</div>\n<p class=\"muted\">累计揭榜、累计破题包括此后已进入攻坚、破题、验收的难题；"
		"“难题当前状态”中每个难题只按它现在的状态计一次。</p>\n");
}

/* Problems by the state they are in now, each counted once. */
static void state_chart(buf *b, const struct stats *s)
{
	const char *states[PROBLEM_STATE_COUNT + 1];
	struct bar sb[PROBLEM_STATE_COUNT];
	int n = problem_states_with(PS_PUBLIC, states);

	for (int i = 0; i < n; i++) {
		const char *now = label_of(current_state_labels, states[i]);
		sb[i] = (struct bar){ now ? now : label_of(problem_states, states[i]),
				      row_total(s->by_state, s->nstate, states[i]) };
	}
	HTML(b, "<section aria-labelledby=\"state-h\">\n<h2 id=\"state-h\">难题当前状态</h2>\n");
	bar_chart(b, "state-h", sb, n);
	HTML(b, "</section>\n");
}

/* The counted claims by light: what the supervisors look at first. */
static void light_chart(buf *b, const struct stats *s)
{
	static const enum light order[] = { LIGHT_RED, LIGHT_UNREPORTED, LIGHT_YELLOW, LIGHT_GREEN, LIGHT_AWAITING };
	struct bar lb[5];

	for (int i = 0; i < 5; i++)
		lb[i] = (struct bar){ lights[order[i]].zh, s->lights[order[i]] };
	HTML(b, "<section aria-labelledby=\"light-h\">\n<h2 id=\"light-h\">攻坚预警</h2>\n");
	bar_chart(b, "light-h", lb, 5);
	HTML(b, "<p class=\"muted\">逾期：节点或完成时限已过仍未完成；未报送：上个报送日以来没有报送进展；"
		"滞后：节点临近或进度落后于时间；待验收：已申报破题。已结束的批次按其截止日计算。</p>\n</section>\n");
}

void page_stats(struct req *r)
{
	struct stats s;
	struct named *batches;
	struct bar *bars;
	buf *b = &r->out;
	int nb;

	if (stats_or_respond(r, &s) < 0)
		return;
	if (problem_batches(r->db, r->a, r->tenant_id, &batches, &nb) < 0) {
		web_store_error(r);
		return;
	}
	page_begin(r, "统计", NAV_STATS);
	HTML(b, "<h1>统计</h1>\n");
	batch_header(r, &s, batches, nb);
	figures(b, &s);

	bars = arena_alloc(r->a, (size_t)(s.ncategory + 1) * sizeof(*bars));
	for (int i = 0; i < s.ncategory; i++)
		bars[i] = (struct bar){ s.by_category[i].code, s.by_category[i].claimed };
	HTML(b, "<section aria-labelledby=\"cat-h\">\n<h2 id=\"cat-h\">各类别累计揭榜难题</h2>\n");
	bar_chart(b, "cat-h", bars, s.ncategory);
	category_table(b, &s);
	HTML(b, "</section>\n");

	state_chart(b, &s);
	light_chart(b, &s);

	struct bar ub[2] = {
		{ "县直单位", row_total(s.units, s.nunits, "county_dept") },
		{ "镇街", row_total(s.units, s.nunits, "town") },
	};
	HTML(b, "<section aria-labelledby=\"unit-h\">\n<h2 id=\"unit-h\">揭榜单位</h2>\n");
	bar_chart(b, "unit-h", ub, 2);
	HTML(b, "</section>\n");

	struct bar cb[2] = {
		{ "科级干部", row_total(s.cadres, s.ncadres, "section") },
		{ "股级以下干部", row_total(s.cadres, s.ncadres, "below_section") },
	};
	HTML(b, "<section aria-labelledby=\"cadre-h\">\n<h2 id=\"cadre-h\">揭榜干部</h2>\n");
	bar_chart(b, "cadre-h", cb, 2);
	buf_printf(b, "<p>通过破题，已有 <strong>%lld</strong> 名干部被提拔使用或进一步使用。</p>\n", (long long)s.promotions);
	HTML(b, "</section>\n");
	page_end(r);
}
