/* stats.c - the statistics page (统计, the dashboard): one batch or all,
 * the moment the figures describe (截至, a date the reader may move back),
 * headline figures, bar charts drawn by the server as SVG beside their
 * figures as text, the months, the overdue list, the evaluation results,
 * and for admins and leaders (stats.units) the unit table. Every figure
 * comes from stats_get() (domain/stats.h), as the API's and the big
 * screen's do. */
#include "util/clock.h"
#include "web/web.h"

#include <string.h>
#include <time.h>

#include "domain/labels.h"
#include "domain/state.h"
#include "domain/claim.h"
#include "domain/stats.h"
#include "util/civil.h"
#include "util/text.h"
#include "web/fields.h"
#include "web/widgets.h"

struct bar {
	const char *label;
	int64_t value;
};

/* as_of=YYYY-MM-DD: the end of that day, not after today; 0 when absent.
 * -1 with the message when it is not such a date. */
static int parse_as_of(const char *v, int64_t now, int64_t *out, const char **why)
{
	int64_t z;

	*out = 0;
	if (!v || !*v)
		return 0;
	if (!civil_parse(v, &z)) {
		*why = "截至日期应为“年-月-日”格式的日期，例如 2022-06-30";
		return -1;
	}
	if (z > civil_local_day(now)) {
		*why = "截至日期不能晚于今天";
		return -1;
	}
	*out = civil_midnight(z + 1) - 1;
	return 0;
}

int stats_or_respond(struct req *r, struct stats *s, struct ctx *form)
{
	const char *v = req_query(r, "batch"), *why = NULL;
	int64_t batch = 0, as_of = 0, now = clock_now();
	struct perm_target t = { r->tenant_id, 0, 0, false };
	int rc;

	if (tenant_or_respond(r) < 0)
		return -1;
	if (v && *v && parse_int(v, 1, INT64_MAX, &batch) < 0) {
		reply_error(r, 400, "bad_parameter", "批次编号必须是正整数", "batch");
		return -1;
	}
	t.tenant_id = r->tenant_id;
	if (parse_as_of(req_query(r, "as_of"), now, &as_of, &why) < 0) {
		if (!form) {
			reply_error(r, 400, "bad_parameter", why, "as_of");
			return -1;
		}
		ctx_invalid(form, "as_of", "bad_date", why);
	}
	rc = stats_get(r->db, r->a, r->tenant_id, batch, now, as_of,
		       perm_check(r->who, "stats.units", &t) ? STATS_UNITS : 0, s);
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

/* The filters (a GET form: batch and 截至 date, with its error beside it
 * and what was typed kept) and which batch and day the page shows. */
static void batch_header(struct req *r, const struct stats *s, const struct named *batches, int n,
			 const struct ctx *form)
{
	buf *b = &r->out;
	const char *typed = req_query(r, "as_of");

	HTML(b, "<form class=\"filters\" method=\"get\" action=\"");
	html_path(b, r, "/stats");
	HTML(b, "\"><label>批次<select name=\"batch\"><option value=\"\">全部批次</option>");
	for (int i = 0; i < n; i++) {
		buf_printf(b, "<option value=\"%lld\"%s>", (long long)batches[i].id,
			   batches[i].id == s->batch_id ? " selected" : "");
		buf_html(b, batches[i].name);
		HTML(b, "</option>");
	}
	HTML(b, "</select></label>\n");
	field_input(r, form, "date", "as_of", "截至日期（可不填）", typed, NULL);
	HTML(b, "<button type=\"submit\">查看</button></form>\n<p class=\"as-of\"><strong>");
	buf_html(b, s->batch ? s->batch : "全部批次");
	HTML(b, "</strong> · 统计截至 ");
	fmt_date_zh(b, s->as_of);
	HTML(b, "</p>\n");
}

/* A score in hundredths as "85.50", or "—" when none. */
static void points(buf *b, int64_t hundredths)
{
	if (hundredths < 0)
		HTML(b, "—");
	else
		buf_printf(b, "%lld.%02lld", (long long)(hundredths / 100), (long long)(hundredths % 100));
}

/* Whether the reader sees the internal views (the unit table, the units
 * of overdue claims). */
static bool reads_units(struct req *r)
{
	struct perm_target t = { r->tenant_id, 0, 0, false };

	return perm_check(r->who, "stats.units", &t);
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
	figure(b, "攻坚中", s->in_progress);
	figure(b, "已验收", s->accepted);
	figure(b, "逾期", s->lights[LIGHT_RED]);
	figure(b, "经验做法转化", s->practices_adopted);
	HTML(b, "<div class=\"figure\"><span class=\"num\">");
	points(b, stats_average(s->score_sum, s->scored));
	HTML(b, "</span><span class=\"lbl\">平均得分</span></div>\n");
	HTML(b, "</div>\n<p class=\"muted\">累计揭榜、累计破题包括此后已进入攻坚、破题、验收的难题；"
		"“难题当前状态”中每个难题只按它现在的状态计一次；攻坚中、逾期按截至日期判断。</p>\n");
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
	HTML(b, "<section class=\"dash\" aria-labelledby=\"state-h\">\n<h2 id=\"state-h\">难题当前状态</h2>\n");
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
	HTML(b, "<section class=\"dash\" aria-labelledby=\"light-h\">\n<h2 id=\"light-h\">攻坚预警</h2>\n");
	bar_chart(b, "light-h", lb, 5);
	HTML(b, "<p class=\"muted\">逾期：节点或完成时限已过仍未完成；未报送：上个报送日以来没有报送进展；"
		"滞后：节点临近或进度落后于时间；待验收：已申报破题。已结束的批次按其截止日计算。</p>\n</section>\n");
}

/* Claims, solved and accepted by month: three bars a month (text labels
 * in CSS px), and the same figures in a table. */
static void month_chart(buf *b, const struct stats *s)
{
	static const char *const kinds[3] = { "揭榜", "破题", "验收" };
	static const struct table_col cols[] = { { "月份", COL_TITLE }, { "揭榜", 0 }, { "破题", 0 }, { "验收", 0 },
						 { NULL, 0 } };
	struct table t = { .cols = cols, .cls = "figures-table", .caption = "各月揭榜、破题、验收数" };
	int64_t max = 1;

	HTML(b, "<section class=\"dash\" aria-labelledby=\"month-h\">\n<h2 id=\"month-h\">各月揭榜、破题、验收</h2>\n");
	if (!s->nmonths) {
		HTML(b, "<p class=\"muted\">截至日期前还没有揭榜。</p>\n</section>\n");
		return;
	}
	for (int i = 0; i < s->nmonths; i++) {
		const int64_t v[3] = { s->months[i].claimed, s->months[i].solved, s->months[i].accepted };
		for (int k = 0; k < 3; k++)
			if (v[k] > max)
				max = v[k];
	}
	HTML(b, "<ul class=\"months\" aria-labelledby=\"month-h\">\n");
	for (int i = 0; i < s->nmonths; i++) {
		const int64_t v[3] = { s->months[i].claimed, s->months[i].solved, s->months[i].accepted };
		HTML(b, "<li><span class=\"month-label\">");
		buf_html(b, s->months[i].month);
		HTML(b, "</span><ul>");
		for (int k = 0; k < 3; k++) {
			buf_printf(b, "<li class=\"m%d\"><span class=\"bar-label\">%s</span>"
				      "<svg class=\"bar\" viewBox=\"0 0 1000 10\" preserveAspectRatio=\"none\" aria-hidden=\"true\">"
				      "<rect width=\"%lld\" height=\"10\"/></svg><span class=\"bar-value\">",
				   k, kinds[k], (long long)(v[k] * 1000 / max));
			buf_int_grouped(b, v[k]);
			HTML(b, "</span></li>");
		}
		HTML(b, "</ul></li>\n");
	}
	HTML(b, "</ul>\n");
	table_open(b, &t);
	for (int i = 0; i < s->nmonths; i++) {
		table_row(b, &t);
		table_row_head(b, &t);
		buf_html(b, s->months[i].month);
		category_figures(b, &t, s->months[i].claimed, s->months[i].solved, s->months[i].accepted);
	}
	table_close(b, &t);
	HTML(b, "</section>\n");
}

/* The red claims, most days over first; the claiming units only for the
 * unit table's readers (names of units behind are an internal view). */
static void overdue_list(struct req *r, const struct stats *s, bool units)
{
	static const struct table_col with_unit[] = { { "难题", COL_TITLE }, { "揭榜单位", 0 }, { "完成时限", 0 },
						      { "逾期天数", 0 }, { NULL, 0 } };
	static const struct table_col without[] = { { "难题", COL_TITLE }, { "完成时限", 0 }, { "逾期天数", 0 },
						    { NULL, 0 } };
	struct table t = { .cols = units ? with_unit : without, .cls = "figures-table", .caption = "逾期清单" };
	buf *b = &r->out;

	HTML(b, "<section class=\"dash\" aria-labelledby=\"overdue-h\">\n<h2 id=\"overdue-h\">逾期清单</h2>\n");
	if (!s->noverdue) {
		HTML(b, "<p>截至日期没有逾期的揭榜。</p>\n</section>\n");
		return;
	}
	table_open(b, &t);
	for (int i = 0; i < s->noverdue; i++) {
		const struct stat_overdue *o = &s->overdue[i];
		table_row(b, &t);
		table_row_head(b, &t);
		HTML(b, "<a href=\"");
		html_path(b, r, arena_printf(r->a, "/problems/%lld", (long long)o->problem_id));
		HTML(b, "\">");
		buf_html(b, o->title ? o->title : "");
		HTML(b, "</a>");
		if (units) {
			table_cell(b, &t);
			buf_html(b, o->unit ? o->unit : "");
		}
		table_cell(b, &t);
		if (o->deadline)
			fmt_date(b, o->deadline);
		else
			HTML(b, "—");
		table_cell(b, &t);
		buf_printf(b, "%lld", (long long)o->days_over);
	}
	table_close(b, &t);
	if (s->lights[LIGHT_RED] > s->noverdue)
		buf_printf(b, "<p class=\"muted\">共 %lld 项逾期，这里列出逾期最久的 %d 项。</p>\n",
			   (long long)s->lights[LIGHT_RED], s->noverdue);
	HTML(b, "<p class=\"muted\">逾期天数从最早错过的节点或完成时限算起；因中期评估标记红灯而逾期的计 0 天。</p>\n</section>\n");
}

/* Final scores by category: how many, the average, the grades. */
static void grades_table(buf *b, const struct stats *s)
{
	static const struct table_col cols[] = { { "类别", COL_TITLE }, { "已评定", 0 }, { "平均得分", 0 },
						 { "优秀", 0 }, { "良好", 0 }, { "合格", 0 }, { "不合格", 0 }, { NULL, 0 } };
	struct table t = { .cols = cols, .cls = "figures-table", .caption = "各类别考评结果" };

	HTML(b, "<section class=\"dash\" aria-labelledby=\"grade-h\">\n<h2 id=\"grade-h\">考评验收结果</h2>\n");
	table_open(b, &t);
	for (int i = 0; i <= s->ngrades; i++) {
		bool total = i == s->ngrades;
		const struct stat_grades *g = total ? NULL : &s->grades[i];
		if (total)
			table_foot(b, &t);
		table_row(b, &t);
		table_row_head(b, &t);
		buf_html(b, total ? "合计" : g->category);
		table_cell(b, &t);
		buf_printf(b, "%lld", (long long)(total ? s->scored : g->scored));
		table_cell(b, &t);
		points(b, total ? stats_average(s->score_sum, s->scored) : stats_average(g->score_sum, g->scored));
		for (int k = 0; k < 4; k++) {
			table_cell(b, &t);
			buf_printf(b, "%lld", (long long)(total ? s->grade[k] : g->grade[k]));
		}
	}
	table_close(b, &t);
	HTML(b, "<p class=\"muted\">只计公示期满、结果已确定的揭榜。</p>\n</section>\n");
}

/* The unit table (stats.units): a working view, not a ranking. */
static void unit_table(buf *b, const struct stats *s)
{
	static const struct table_col cols[] = { { "单位", COL_TITLE }, { "类型", 0 }, { "揭榜", 0 }, { "破题", 0 },
						 { "验收", 0 }, { "逾期", 0 }, { "平均得分", 0 }, { NULL, 0 } };
	struct table t = { .cols = cols, .cls = "figures-table", .caption = "各揭榜单位攻坚情况" };

	HTML(b, "<section class=\"dash\" aria-labelledby=\"units-h\">\n<h2 id=\"units-h\">各单位攻坚情况（内部）</h2>\n"
		"<p class=\"muted\">供管理员、县领导跟进工作之用，按揭榜数排列，不是积分排名，不对外公开。</p>\n");
	if (!s->nunit_table) {
		HTML(b, "<p>还没有单位揭榜。</p>\n</section>\n");
		return;
	}
	table_open(b, &t);
	for (int i = 0; i < s->nunit_table; i++) {
		const struct stat_unit *u = &s->unit_table[i];
		const char *kind = label_of(unit_kinds, u->kind);
		table_row(b, &t);
		table_row_head(b, &t);
		buf_html(b, u->name);
		table_cell(b, &t);
		buf_html(b, kind ? kind : u->kind);
		category_figures(b, &t, u->claimed, u->solved, u->accepted);
		table_cell(b, &t);
		buf_printf(b, "%lld", (long long)u->overdue);
		table_cell(b, &t);
		points(b, stats_average(u->score_sum, u->scored));
	}
	table_close(b, &t);
	HTML(b, "</section>\n");
}

void page_stats(struct req *r)
{
	struct stats s;
	struct named *batches;
	struct bar *bars;
	struct ctx form;
	buf *b = &r->out;
	int nb;

	web_ctx(r, &form);
	if (stats_or_respond(r, &s, &form) < 0)
		return;
	if (problem_batches(r->db, r->a, r->tenant_id, &batches, &nb) < 0) {
		web_store_error(r);
		return;
	}
	page_begin(r, "统计", NAV_STATS);
	HTML(b, "<h1>统计</h1>\n");
	batch_header(r, &s, batches, nb, &form);
	figures(b, &s);

	bars = arena_alloc(r->a, (size_t)(s.ncategory + s.nbatch + 1) * sizeof(*bars));
	for (int i = 0; i < s.ncategory; i++)
		bars[i] = (struct bar){ s.by_category[i].code, s.by_category[i].claimed };
	HTML(b, "<section class=\"dash\" aria-labelledby=\"cat-h\">\n<h2 id=\"cat-h\">各类别累计揭榜难题</h2>\n");
	bar_chart(b, "cat-h", bars, s.ncategory);
	category_table(b, &s);
	HTML(b, "</section>\n");

	state_chart(b, &s);
	light_chart(b, &s);
	overdue_list(r, &s, reads_units(r));
	month_chart(b, &s);

	struct bar ub[2] = {
		{ "县直单位", row_total(s.units, s.nunits, "county_dept") },
		{ "镇街", row_total(s.units, s.nunits, "town") },
	};
	HTML(b, "<section class=\"dash\" aria-labelledby=\"unit-h\">\n<h2 id=\"unit-h\">揭榜单位</h2>\n");
	bar_chart(b, "unit-h", ub, 2);
	HTML(b, "</section>\n");

	struct bar cb[2] = {
		{ "科级干部", row_total(s.cadres, s.ncadres, "section") },
		{ "股级以下干部", row_total(s.cadres, s.ncadres, "below_section") },
	};
	HTML(b, "<section class=\"dash\" aria-labelledby=\"cadre-h\">\n<h2 id=\"cadre-h\">揭榜干部</h2>\n");
	bar_chart(b, "cadre-h", cb, 2);
	buf_printf(b, "<p>通过破题，已有 <strong>%lld</strong> 名干部被提拔使用或进一步使用；"
		      "<strong>%lld</strong> 项经验做法已转化为制度。</p>\n",
		   (long long)s.promotions, (long long)s.practices_adopted);
	HTML(b, "</section>\n");

	struct bar *bb = bars + s.ncategory;
	for (int i = 0; i < s.nbatch; i++)
		bb[i] = (struct bar){ s.by_batch[i].code, s.by_batch[i].total };
	HTML(b, "<section class=\"dash\" aria-labelledby=\"batch-h\">\n<h2 id=\"batch-h\">各批次榜单难题</h2>\n");
	bar_chart(b, "batch-h", bb, s.nbatch);
	HTML(b, "</section>\n");

	grades_table(b, &s);
	if (reads_units(r))
		unit_table(b, &s);
	page_finish(r, form.nerrs ? 400 : 200);
}
