/* problem.c - one problem: description, claim, task force, pledge,
 * milestones, metric targets against achieved figures, progress timeline,
 * and the record of how it was handled (办理记录, from the audit log). */
#include "util/clock.h"
#include "web/web.h"

#include <string.h>
#include <time.h>

#include "domain/claim.h"
#include "domain/labels.h"
#include "domain/state.h"
#include "domain/timeline.h"
#include "web/supervise.h"
#include "web/widgets.h"

static void dl_row(buf *b, const char *term, const char *text)
{
	HTML(b, "<dt>");
	buf_html(b, term);
	HTML(b, "</dt><dd>");
	buf_html(b, *text ? text : "—");
	HTML(b, "</dd>\n");
}

static void date_row(buf *b, const char *term, int64_t at)
{
	if (!at)
		return;
	HTML(b, "<dt>");
	buf_html(b, term);
	HTML(b, "</dt><dd>");
	fmt_date(b, at);
	HTML(b, "</dd>\n");
}

static void claim_section(struct req *r, const struct problem_detail *p)
{
	buf *b = &r->out;

	HTML(b, "<section aria-labelledby=\"claim-h\">\n<h2 id=\"claim-h\">揭榜情况</h2>\n<dl class=\"facts\">\n");
	dl_row(b, "揭榜单位", p->claim.unit);
	HTML(b, "<dt>挂帅领导</dt><dd>");
	buf_html(b, p->claim.lead);
	if (*p->claim.lead_title) {
		HTML(b, "（");
		buf_html(b, p->claim.lead_title);
		HTML(b, "）");
	}
	HTML(b, "</dd>\n<dt>主要负责人</dt><dd>");
	buf_html(b, p->claim.owner);
	if (*p->claim.owner_title) {
		HTML(b, "（");
		buf_html(b, p->claim.owner_title);
		HTML(b, "）");
	}
	HTML(b, "</dd>\n");
	dl_row(b, "揭榜状态", label_of(claim_states, p->claim.state) ? label_of(claim_states, p->claim.state) : p->claim.state);
	date_row(b, "揭榜时间", p->claim.applied_at);
	date_row(b, "批准时间", p->claim.approved_at);
	date_row(b, "立军令状", p->claim.signed_at);
	date_row(b, "完成时限", p->claim.deadline);
	date_row(b, "破题时间", p->claim.solved_at);
	if (p->light != LIGHT_NONE) {
		HTML(b, "<dt>灯色</dt><dd>");
		html_light(b, p->light);
		HTML(b, "</dd>\n");
	}
	if (p->completion >= 0) {
		HTML(b, "<dt>指标完成</dt><dd>");
		html_completion(b, p->completion);
		HTML(b, "</dd>\n");
	}
	HTML(b, "</dl>\n<p><a href=\"");
	html_path(b, r, arena_printf(r->a, "/claims/%lld", (long long)p->claim.id));
	HTML(b, "\">查看揭榜详情和军令状</a></p>\n");
	if (*p->claim.pledge) {
		HTML(b, "<h3>军令状</h3>\n<blockquote class=\"pledge\">");
		html_paragraphs(b, p->claim.pledge);
		HTML(b, "</blockquote>\n");
	}
	HTML(b, "</section>\n");
}

static void team_section(buf *b, const struct problem_detail *p)
{
	static const struct table_col cols[] = { { "姓名", COL_TITLE }, { "职务", 0 }, { "单位", 0 }, { "分工", 0 }, { NULL, 0 } };
	struct table t = { .cols = cols };

	buf_printf(b, "<section aria-labelledby=\"team-h\">\n<h2 id=\"team-h\">破题战队"
		      "<small>%d 人，来自 %d 个单位</small></h2>\n", p->nmembers, p->nmember_units);
	table_open(b, &t);
	for (int i = 0; i < p->nmembers; i++) {
		const struct member *m = &p->members[i];
		table_row(b, &t);
		table_cell(b, &t);
		buf_html(b, m->name);
		table_cell(b, &t);
		buf_html(b, *m->title ? m->title : "—");
		table_cell(b, &t);
		buf_html(b, m->unit);
		table_cell(b, &t);
		buf_puts(b, !strcmp(m->role, "lead") ? "挂帅领导" : !strcmp(m->role, "owner") ? "主要负责人" : "成员");
	}
	table_close(b, &t);
	HTML(b, "</section>\n");
}

static void metrics_section(buf *b, const struct problem_detail *p)
{
	static const struct table_col cols[] = { { "指标", COL_TITLE }, { "目标", 0 }, { "已完成", 0 }, { "完成率", 0 },
						 { NULL, 0 } };
	struct table t = { .cols = cols, .cls = "metrics" };

	if (!p->nmetrics)
		return;
	HTML(b, "<section aria-labelledby=\"metric-h\">\n<h2 id=\"metric-h\">目标与完成</h2>\n");
	table_open(b, &t);
	for (int i = 0; i < p->nmetrics; i++) {
		const struct metric *m = &p->metrics[i];
		int pct = m->target > 0 ? (int)(m->achieved * 100 / m->target) : 0;
		table_row(b, &t);
		table_cell(b, &t);
		buf_html(b, m->name);
		table_cell(b, &t);
		fmt_metric(b, m->kind, m->uom, m->target);
		table_cell(b, &t);
		fmt_metric(b, m->kind, m->uom, m->achieved);
		table_cell(b, &t);
		buf_printf(b, "<meter min=\"0\" max=\"100\" value=\"%d\">%d%%</meter> %d%%", pct > 100 ? 100 : pct, pct, pct);
	}
	table_close(b, &t);
	HTML(b, "</section>\n");
}

static void milestones_section(buf *b, const struct problem_detail *p)
{
	if (!p->nmilestones)
		return;
	HTML(b, "<section aria-labelledby=\"ms-h\">\n<h2 id=\"ms-h\">节点计划</h2>\n");
	if (p->batch_ended) { /* overdue is judged at the batch's end */
		HTML(b, "<p class=\"muted\">“");
		buf_html(b, p->batch);
		HTML(b, "”已结束，统计截至 ");
		fmt_date_zh(b, p->as_of);
		HTML(b, "。</p>\n");
	}
	HTML(b, "<ol class=\"milestones\">\n");
	for (int i = 0; i < p->nmilestones; i++) {
		const struct milestone *m = &p->milestones[i];
		html_milestone(b, m->title, m->due_at, m->done_at, m->overdue, "进行中");
	}
	HTML(b, "</ol>\n</section>\n");
}

static void timeline_section(buf *b, const struct problem_detail *p)
{
	HTML(b, "<section aria-labelledby=\"tl-h\">\n<h2 id=\"tl-h\">攻坚进展</h2>\n");
	if (!p->nprogress) {
		HTML(b, "<p class=\"empty\">尚无进展报告。</p>\n</section>\n");
		return;
	}
	HTML(b, "<ol class=\"timeline\">\n");
	for (int i = 0; i < p->nprogress; i++) {
		const struct progress_entry *e = &p->progress[i];
		HTML(b, "<li><time>");
		fmt_date(b, e->at);
		HTML(b, "</time><h3>");
		buf_html(b, e->title);
		HTML(b, "</h3>\n");
		html_paragraphs(b, e->body);
		HTML(b, "<p class=\"muted\">报告人：");
		buf_html(b, e->author);
		HTML(b, "</p></li>\n");
	}
	HTML(b, "</ol>\n</section>\n");
}

/* 办理记录: the n recorded changes of the problem, oldest first, as the
 * reader may see them (domain/timeline.h); more: there were more. */
static void history_section(buf *b, const struct timeline_entry *e, int n, bool more)
{
	HTML(b, "<section aria-labelledby=\"hist-h\">\n<h2 id=\"hist-h\">办理记录</h2>\n");
	if (!n) {
		HTML(b, "<p class=\"empty\">尚无办理记录。</p>\n</section>\n");
		return;
	}
	HTML(b, "<ol class=\"timeline history\">\n");
	for (int i = 0; i < n; i++) {
		const struct audit_text *t = &e[i].t;
		HTML(b, "<li><time>");
		fmt_datetime(b, e[i].at);
		HTML(b, "</time><h3>");
		buf_html(b, t->title);
		HTML(b, "</h3>\n");
		if (*t->detail) {
			HTML(b, "<p>");
			buf_html(b, t->detail);
			HTML(b, "</p>\n");
		}
		HTML(b, "<p class=\"muted\">操作人：");
		buf_html(b, t->actor);
		if (t->login && strcmp(t->login, t->actor)) {
			HTML(b, "<span class=\"login\">（登录名 ");
			buf_html(b, t->login);
			HTML(b, "）</span>");
		}
		HTML(b, "</p></li>\n");
	}
	HTML(b, "</ol>\n");
	if (more)
		buf_printf(b, "<p class=\"muted\">只列出最早的 %d 条记录。</p>\n", TIMELINE_MAX);
	HTML(b, "</section>\n");
}

/* 我要揭榜 (claim.apply) or 组织点将 (claim.assign) while the problem
 * takes claims: published, or claimed while its batch lets more run at
 * once (赛马), in 发榜揭榜 (an assignment also in 攻坚); the comparison of
 * its applications for those who approve them. The verbs decide again. */
static void claim_links(struct req *r, const struct problem_detail *p)
{
	int state = problem_state_of(p->state);
	bool open = state == PROBLEM_PUBLISHED || (state == PROBLEM_CLAIMED && p->ncounted < p->max_parallel);
	bool apply = open && p->batch_phase == PHASE_CLAIMING && perm_any(r->who, "claim.apply");
	bool assign = open && (p->batch_phase == PHASE_CLAIMING || p->batch_phase == PHASE_WORKING) &&
		      perm_any(r->who, "claim.assign");
	bool compare = p->napplications && perm_any(r->who, "claim.approve");
	buf *b = &r->out;

	if (!r->who->user_id || (!apply && !assign && !compare))
		return;
	HTML(b, "<p class=\"actions claim-links\">");
	if (apply || assign) {
		HTML(b, "<a class=\"button\" href=\"");
		html_path(b, r, arena_printf(r->a, "/problems/%lld/claim", (long long)p->id));
		HTML(b, "\">");
		buf_puts(b, apply ? "我要揭榜" : "组织点将");
		HTML(b, "</a>");
	}
	if (compare) {
		HTML(b, " <a href=\"");
		html_path(b, r, arena_printf(r->a, "/problems/%lld/claims", (long long)p->id));
		buf_printf(b, "\">揭榜申请比较（%d 份）</a>", p->napplications);
	}
	HTML(b, "</p>\n");
}

int problem_or_respond(struct req *r, struct problem_detail *p)
{
	int64_t id;
	int rc;

	if (tenant_or_respond(r) < 0 || id_param_or_respond(r, 0, &id) < 0)
		return -1;
	rc = problem_get(r->db, r->a, r->tenant_id, id, clock_now(), p);
	if (rc < 0) {
		web_store_error(r);
		return -1;
	}
	if (rc > 0) {
		reply_error(r, 404, "not_found", "没有这个难题，或它尚未公开", NULL);
		return -1;
	}
	return 0;
}

void page_problem(struct req *r)
{
	struct problem_detail p;
	struct timeline_entry *tl;
	buf *b = &r->out;
	bool more;
	int ntl;

	if (problem_or_respond(r, &p) < 0)
		return;
	if (timeline_problem(r->db, r->a, r->tenant_id, p.id, r->who, &tl, &ntl, &more) < 0) {
		web_store_error(r);
		return;
	}
	page_begin(r, p.title, NAV_BOARD);
	HTML(b, "<p class=\"crumbs\"><a href=\"");
	html_path(b, r, "/");
	HTML(b, "\">榜单</a> › ");
	buf_html(b, p.category);
	HTML(b, "</p>\n<h1>");
	buf_html(b, p.title);
	HTML(b, "</h1>\n<p class=\"badges\">");
	html_state_badge(b, p.state);
	if (p.light != LIGHT_NONE) {
		HTML(b, " ");
		html_light(b, p.light);
	}
	if (p.overdue)
		HTML(b, " <span class=\"overdue\">有逾期节点</span>");
	HTML(b, "</p>\n<section aria-labelledby=\"desc-h\">\n<h2 id=\"desc-h\">难题描述</h2>\n");
	html_paragraphs(b, p.description);
	HTML(b, "<dl class=\"facts\">\n");
	buf_printf(b, "<dt>编号</dt><dd>%lld</dd>\n", (long long)p.id);
	dl_row(b, "批次", p.batch);
	dl_row(b, "类别", p.category);
	dl_row(b, "出卷人", p.proposer);
	dl_row(b, "出卷单位", p.proposer_unit);
	date_row(b, "提出时间", p.created_at);
	date_row(b, "最近更新", p.updated_at);
	HTML(b, "</dl>\n</section>\n");
	claim_links(r, &p);
	if (p.has_claim) {
		claim_section(r, &p);
		team_section(b, &p);
		metrics_section(b, &p);
		milestones_section(b, &p);
		timeline_section(b, &p);
	} else {
		HTML(b, "<section><h2>揭榜情况</h2><p class=\"empty\">本题尚待揭榜。</p></section>\n");
	}
	history_section(b, tl, ntl, more);
	comment_section(r, p.id);
	page_end(r);
}
