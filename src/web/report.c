/* report.c - the year's report of a batch (年度汇报材料, domain/report.h):
 * GET /batches/:id/report ready to print, and /batches/:id/report.docx
 * (also under /api/v1) for WPS or Word. One renderer writes both through
 * a small sink (an HTML page or a docx document), so the two say the same. */
#include <string.h>

#include "domain/labels.h"
#include "domain/report.h"
#include "domain/rubric.h"
#include "web/bulletin.h"
#include "web/widgets.h"

/* Where the report goes: r->out as HTML, or x when it is not NULL. */
struct sink {
	struct req *r;
	docx *x;
	struct table t;
	int ncols;
};

static void s_heading(struct sink *o, int level, const char *text)
{
	if (o->x) {
		docx_para(o->x, level == 1 ? DOCX_HEADING1 : DOCX_HEADING2, text);
		return;
	}
	if (level == 1)
		HTML(&o->r->out, "<h2>");
	else
		HTML(&o->r->out, "<h3>");
	buf_html(&o->r->out, text);
	if (level == 1)
		HTML(&o->r->out, "</h2>\n");
	else
		HTML(&o->r->out, "</h3>\n");
}

static void s_para(struct sink *o, const char *text)
{
	if (o->x) {
		docx_para(o->x, DOCX_BODY, text);
		return;
	}
	HTML(&o->r->out, "<p>");
	buf_html(&o->r->out, text);
	HTML(&o->r->out, "</p>\n");
}

/* A table with these headings (NULL-terminated) and a caption (HTML only). */
static void s_table(struct sink *o, const char *caption, const char *const *heads)
{
	int n = 0;

	while (heads[n])
		n++;
	o->ncols = n;
	if (o->x) {
		docx_table_begin(o->x, n, NULL);
		docx_row(o->x, true, heads);
		return;
	}
	struct table_col *cols = arena_alloc(o->r->a, sizeof(*cols) * (size_t)(n + 1));
	for (int i = 0; i < n; i++)
		cols[i] = (struct table_col){ heads[i], i == 0 ? COL_TITLE : 0 };
	o->t = (struct table){ .cols = cols, .cls = "doc-figures", .caption = caption };
	table_open(&o->r->out, &o->t);
}

static void s_row(struct sink *o, const char *const *cells)
{
	if (o->x) {
		docx_row(o->x, false, cells);
		return;
	}
	table_row(&o->r->out, &o->t);
	for (int i = 0; i < o->ncols; i++) {
		table_cell(&o->r->out, &o->t);
		buf_html(&o->r->out, cells[i] ? cells[i] : "");
	}
}

static void s_table_end(struct sink *o)
{
	if (o->x)
		docx_table_end(o->x);
	else
		table_close(&o->r->out, &o->t);
}

static const char *num(arena *a, int64_t v)
{
	return arena_printf(a, "%lld", (long long)v);
}

static const char *day(arena *a, int64_t epoch)
{
	buf b = BUF_INIT;
	const char *s;

	fmt_date_zh(&b, epoch);
	s = arena_strdup(a, b.s);
	buf_release(&b);
	return s;
}

static int64_t row_total(const struct stat_row *rows, int n, const char *code)
{
	const struct stat_row *r = stats_find(rows, n, code);
	return r ? r->total : 0;
}

/* 一、问题征集和遴选 */
static void intake_section(struct sink *o, const struct report *p)
{
	arena *a = o->r->a;

	s_heading(o, 1, "一、问题征集和遴选");
	s_para(o, arena_printf(a, "坚持全员“出卷”，共征集问题 %lld 个，经摸排、遴选确定 %lld 个，分 %d 批发榜 %lld 个，"
				  "形成“问题清单”；未入选 %lld 个，合并 %lld 个。",
			       (long long)p->collected, (long long)p->selected, p->nrounds, (long long)p->published,
			       (long long)p->rejected, (long long)p->merged));
	if (!p->nrounds)
		return;
	s_table(o, "发榜批次", (const char *[]){ "发榜", "日期", "难题数", NULL });
	for (int i = 0; i < p->nrounds; i++)
		s_row(o, (const char *[]){ arena_printf(a, "第 %d 批", p->rounds[i].round), day(a, p->rounds[i].at),
					   num(a, p->rounds[i].n) });
	s_table_end(o);
}

/* 二、揭榜情况: claims by category, units by kind, cadres by rank. */
static void claims_section(struct sink *o, const struct report *p)
{
	arena *a = o->r->a;
	const struct stats *s = &p->s;
	buf cats = BUF_INIT;

	for (int i = 0; i < s->ncategory; i++)
		buf_printf(&cats, "%s%s项目 %lld 个", i ? "，" : "", s->by_category[i].code,
			   (long long)s->by_category[i].claimed);
	s_heading(o, 1, "二、揭榜情况");
	s_para(o, arena_printf(a, "榜单共 %d 大类 %lld 个难题。%lld 个县直单位、%lld 个镇街共 %lld 名科级干部、%lld 名股级以下干部"
				  "揭榜，揭榜破题项目 %lld 个，已破题 %lld 个%s%s。",
			       s->ncategory, (long long)s->problems, (long long)row_total(s->units, s->nunits, "county_dept"),
			       (long long)row_total(s->units, s->nunits, "town"),
			       (long long)row_total(s->cadres, s->ncadres, "section"),
			       (long long)row_total(s->cadres, s->ncadres, "below_section"), (long long)s->claimed,
			       (long long)s->solved, s->ncategory ? "。其中，" : "", cats.s));
	buf_release(&cats);
	s_table(o, "按类别", (const char *[]){ "类别", "榜单难题", "揭榜", "破题", NULL });
	for (int i = 0; i < s->ncategory; i++)
		s_row(o, (const char *[]){ s->by_category[i].code, num(a, s->by_category[i].total),
					   num(a, s->by_category[i].claimed), num(a, s->by_category[i].solved) });
	s_row(o, (const char *[]){ "合计", num(a, s->problems), num(a, s->claimed), num(a, s->solved) });
	s_table_end(o);
	s_table(o, "揭榜单位（按类型）", (const char *[]){ "单位类型", "揭榜单位数", NULL });
	for (int i = 0; i < s->nunits; i++) {
		const char *zh = label_of(unit_kinds, s->units[i].code);
		s_row(o, (const char *[]){ zh ? zh : s->units[i].code, num(a, s->units[i].total) });
	}
	s_table_end(o);
	s_table(o, "揭榜干部（按职级）", (const char *[]){ "职级", "人数", NULL });
	for (int i = 0; i < s->ncadres; i++) {
		const char *zh = label_of(person_ranks, s->cadres[i].code);
		s_row(o, (const char *[]){ zh ? zh : s->cadres[i].code, num(a, s->cadres[i].total) });
	}
	s_table_end(o);
}

/* 三、破题成效: the named cases with their figures. */
static void cases_section(struct sink *o, const struct report *p)
{
	arena *a = o->r->a;

	s_heading(o, 1, "三、破题成效");
	if (!p->ncases) {
		s_para(o, "暂无已破题并有量化指标的项目。");
		return;
	}
	for (int i = 0; i < p->ncases; i++) {
		const struct report_case *k = &p->cases[i];
		s_heading(o, 2, arena_printf(a, "（%d）%s", i + 1, k->title));
		s_para(o, arena_printf(a, "%s揭榜，挂帅领导%s%s%s%s，主要负责人%s%s%s%s；破题团队 %lld 人，来自 %lld 个单位。当前状态：%s%s%s。",
				       k->unit, k->lead, *k->lead_title ? "（" : "", k->lead_title, *k->lead_title ? "）" : "",
				       k->owner, *k->owner_title ? "（" : "", k->owner_title, *k->owner_title ? "）" : "",
				       (long long)k->members, (long long)k->units, k->state,
				       *k->grade ? "，考评等次" : "", k->grade));
		s_table(o, "量化指标", (const char *[]){ "指标", "目标", "完成", NULL });
		for (int j = 0; j < k->nmetrics; j++) {
			const struct report_metric *m = &k->metrics[j];
			s_row(o, (const char *[]){ m->name, report_metric_text(a, m->kind, m->uom, m->target),
						   report_metric_text(a, m->kind, m->uom, m->achieved) });
		}
		s_table_end(o);
	}
}

/* 四、考评验收 */
static void evaluation_section(struct sink *o, const struct report *p)
{
	arena *a = o->r->a;
	const struct stats *s = &p->s;

	s_heading(o, 1, "四、考评验收");
	if (!s->scored) {
		s_para(o, arena_printf(a, "考评验收尚未完成：已验收 %lld 个，已破题待验收 %lld 个。", (long long)s->accepted,
				       (long long)(s->solved - s->accepted)));
		return;
	}
	int64_t avg = s->score_sum / s->scored;  /* hundredths */
	s_para(o, arena_printf(a, "考评组对 %lld 个项目评估验收，平均得分 %lld.%02lld 分。", (long long)s->scored,
			       (long long)(avg / 100), (long long)(avg % 100)));
	s_table(o, "考评等次", (const char *[]){ "等次", "项目数", NULL });
	for (int g = 0; g < 4 && grades[g].code; g++)
		s_row(o, (const char *[]){ grades[g].zh, num(a, s->grade[g]) });
	s_table_end(o);
}

/* 五、提拔使用 */
static void promotions_section(struct sink *o, const struct report *p)
{
	arena *a = o->r->a;

	s_heading(o, 1, "五、提拔使用");
	s_para(o, arena_printf(a, "以“破题”为“试金石”，已有 %lld 名干部被提拔使用或进一步使用。", (long long)p->s.promotions));
	if (!p->npromotions)
		return;
	s_table(o, "提拔使用", (const char *[]){ "姓名", "单位", "方式", "任职", "日期", NULL });
	for (int i = 0; i < p->npromotions; i++) {
		const struct promotion *m = &p->promotions[i];
		const char *kind = label_of(promotion_kinds, m->kind);
		s_row(o, (const char *[]){ m->person, m->unit, kind ? kind : m->kind,
					   *m->to_post ? m->to_post : m->note, day(a, m->at) });
	}
	s_table_end(o);
}

/* 六、成果转化 */
static void practices_section(struct sink *o, const struct report *p)
{
	arena *a = o->r->a;

	s_heading(o, 1, "六、成果转化");
	if (!p->npractices) {
		s_para(o, "经验做法尚未转化为制度。");
		return;
	}
	s_para(o, arena_printf(a, "%d 项经验做法转化为制度：", p->npractices));
	s_table(o, "转化为制度的经验做法", (const char *[]){ "经验做法", "文号", "发文单位", "发文日期", NULL });
	for (int i = 0; i < p->npractices; i++)
		s_row(o, (const char *[]){ p->practices[i].title, p->practices[i].doc_no, p->practices[i].issuer,
					   p->practices[i].adopted_on ? day(a, p->practices[i].adopted_on) : "" });
	s_table_end(o);
}

static const char *report_title(struct req *r, const struct report *p)
{
	return arena_printf(r->a, "%s“揭榜挂帅”工作情况汇报", r->tenant_name ? r->tenant_name : "");
}

static void render(struct sink *o, const struct report *p)
{
	intake_section(o, p);
	claims_section(o, p);
	cases_section(o, p);
	evaluation_section(o, p);
	promotions_section(o, p);
	practices_section(o, p);
}

/* The report of route parameter 0, or -1 having answered. */
static int report_or_respond(struct req *r, struct report *p)
{
	struct ctx c;
	int64_t id;
	int rc;

	if (id_param_or_respond(r, 0, &id) < 0)
		return -1;
	web_ctx(r, &c);
	if ((rc = report_get(&c, id, p)) != JB_OK) {
		outcome_error(r, &c, rc);
		return -1;
	}
	return 0;
}

void page_batch_report(struct req *r)
{
	struct report p;
	struct sink o = { .r = r };
	buf *b = &r->out;

	if (report_or_respond(r, &p) < 0)
		return;
	page_begin(r, report_title(r, &p), NAV_BULLETINS);
	HTML(b, "<p class=\"crumbs no-print\"><a href=\"");
	html_path(b, r, arena_printf(r->a, "/admin/batches/%lld", (long long)p.batch_id));
	HTML(b, "\">返回批次</a> · <a href=\"");
	html_path(b, r, arena_printf(r->a, "/batches/%lld/report.docx", (long long)p.batch_id));
	HTML(b, "\" download>下载 .docx（可在 WPS 或 Word 中编辑）</a> · 用浏览器的“打印”可打印或存为 PDF（A4）。</p>\n"
		"<article class=\"bulletin-doc report-doc\">\n<h1>");
	buf_html(b, report_title(r, &p));
	HTML(b, "</h1>\n<p class=\"issue-no\">");
	buf_html(b, p.batch);
	HTML(b, " · 数据截至");
	fmt_date_zh(b, p.s.as_of);
	HTML(b, "</p>\n");
	render(&o, &p);
	HTML(b, "</article>\n");
	page_end(r);
}

void page_batch_report_docx(struct req *r)
{
	struct report p;
	struct sink o = { .r = r };

	if (report_or_respond(r, &p) < 0)
		return;
	o.x = docx_new();
	docx_set_title(o.x, report_title(r, &p));
	docx_para(o.x, DOCX_TITLE, report_title(r, &p));
	docx_p_begin(o.x, DOCX_PLAIN, DOCX_CENTER);
	docx_run(o.x, arena_printf(r->a, "%s · 数据截至%s", p.batch, day(r->a, p.s.as_of)), NULL);
	docx_p_end(o.x);
	render(&o, &p);
	web_docx_reply(r, o.x, arena_printf(r->a, "%s年度汇报材料.docx", p.batch));
}
