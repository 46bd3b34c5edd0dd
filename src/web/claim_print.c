/* claim_print.c - two views of claims side by side or on paper: the
 * admins' comparison of every application of one problem (竞榜,
 * GET /problems/:id/claims) with approve and reject per application, and
 * the printable pledge (军令状, GET /claims/:id/pledge: A4, the site's
 * header hidden in print by the stylesheet). */
#include <string.h>
#include <time.h>

#include "domain/claim.h"
#include "domain/state.h"
#include "web/claim_ui.h"
#include "web/widgets.h"

/* ---- the comparison ---- */

/* The approve and reject forms of one application (from: the state
 * shown, so that an application decided meanwhile is a conflict). */
static void decide_forms(struct req *r, const struct claim_summary *s)
{
	struct claim_party pt = { r->tenant_id, 0, CR_ANY };
	const char *from = claim_state_info[s->state].code;
	buf *b = &r->out;
	bool approve = claim_transition_allowed(r->who, "approve", s->state, &pt);
	bool reject = claim_transition_allowed(r->who, "reject", s->state, &pt);

	if (!r->csrf || (!approve && !reject)) {
		HTML(b, "—");
		return;
	}
	if (approve) {
		HTML(b, "<form class=\"inline\" method=\"post\" action=\"");
		html_path(b, r, arena_printf(r->a, "/claims/%lld/approve", (long long)s->id));
		HTML(b, "\">");
		html_csrf(r);
		claim_hidden(b, "from", from);
		HTML(b, "<button type=\"submit\">批准</button></form>\n");
	}
	if (reject) {
		HTML(b, "<details class=\"reject\"><summary>不予批准</summary><form class=\"stack\" method=\"post\" action=\"");
		html_path(b, r, arena_printf(r->a, "/claims/%lld/reject", (long long)s->id));
		HTML(b, "\">");
		html_csrf(r);
		claim_hidden(b, "from", from);
		buf_printf(b, "<label>理由<textarea name=\"reason\" required maxlength=\"%d\" rows=\"2\"></textarea></label>"
			      "<button type=\"submit\" class=\"danger\">不予批准</button></form></details>\n", CLAIM_REASON_MAX);
	}
}

static void compare_table(struct req *r, const struct claim_summary *v, int n)
{
	static const struct table_col cols[] = { { "揭榜单位", COL_TITLE }, { "揭榜方式", 0 }, { "挂帅领导", 0 },
						 { "主要负责人", 0 }, { "团队", 0 }, { "节点", 0 }, { "指标", 0 },
						 { "完成时限", 0 }, { "状态", 0 }, { "申请时间", 0 },
						 { "审批", COL_WIDE }, { NULL, 0 } };
	struct table t = { .cols = cols, .cls = "compare", .caption = "每行一份申请，按申请先后排列" };
	buf *b = &r->out;

	table_open(b, &t);
	for (int i = 0; i < n; i++) {
		const struct claim_summary *s = &v[i];
		table_row(b, &t);
		table_cell(b, &t);
		claim_link(b, r, arena_printf(r->a, "/claims/%lld", (long long)s->id), s->unit);
		table_cell(b, &t);
		buf_html(b, label_of(claim_routes, s->route) ? label_of(claim_routes, s->route) : s->route);
		table_cell(b, &t);
		buf_html(b, s->lead);
		table_cell(b, &t);
		buf_html(b, s->owner);
		table_cell(b, &t);
		buf_printf(b, "%d 人 / %d 个单位", s->nmembers, s->nunits);
		table_cell(b, &t);
		buf_printf(b, "%d 个", s->nmilestones);
		table_cell(b, &t);
		buf_printf(b, "%d 项", s->nmetrics);
		table_cell(b, &t);
		if (s->deadline)
			fmt_date(b, s->deadline);
		else
			HTML(b, "—");
		table_cell(b, &t);
		HTML(b, "<span class=\"state cstate-");
		buf_html(b, claim_state_info[s->state].code);
		HTML(b, "\">");
		buf_html(b, claim_state_info[s->state].zh);
		HTML(b, "</span>");
		table_cell(b, &t);
		fmt_date(b, s->applied_at);
		table_cell(b, &t);
		decide_forms(r, s);
	}
	table_close(b, &t);
}

void page_problem_claims(struct req *r)
{
	struct problem_detail p;
	struct claim_summary *v;
	struct ctx c;
	buf *b = &r->out;
	int n, rc;

	if (problem_or_respond(r, &p) < 0)
		return;
	if (!perm_any(r->who, "claim.approve")) {
		deny(r, "claim.approve", "problem", p.id, "permission");
		reply_error(r, 403, "forbidden", "只有管理员可以比较揭榜申请", NULL);
		return;
	}
	web_ctx(r, &c);
	if ((rc = claim_list_for_problem(&c, p.id, &v, &n)) != JB_OK) {
		outcome_error(r, &c, rc);
		return;
	}
	page_begin(r, arena_printf(r->a, "揭榜申请比较：%s", p.title), NAV_BOARD);
	HTML(b, "<p class=\"crumbs\">");
	claim_link(b, r, "/", "榜单");
	HTML(b, " › ");
	claim_link(b, r, arena_printf(r->a, "/problems/%lld", (long long)p.id), p.title);
	HTML(b, "</p>\n<h1>揭榜申请比较</h1>\n<p class=\"lead\">");
	buf_html(b, p.title);
	buf_printf(b, "</p>\n<p class=\"summary\">共 %d 份申请。", n);
	HTML(b, "批准第一份申请后本题即为已揭榜；批次允许并行揭榜（赛马）时可批准多份。</p>\n");
	if (n)
		compare_table(r, v, n);
	else
		HTML(b, "<p class=\"empty\">本题还没有揭榜申请。</p>\n");
	page_end(r);
}

/* ---- the pledge ---- */

static int year_of(int64_t at)
{
	time_t t = (time_t)(at + 8 * 3600);
	struct tm tm;

	gmtime_r(&t, &tm);
	return tm.tm_year + 1900;
}

void claim_party_fact(buf *b, const char *role, const char *name, const char *title)
{
	HTML(b, "<dt>");
	buf_html(b, role);
	HTML(b, "</dt><dd>");
	buf_html(b, name);
	if (title && *title) {
		HTML(b, "（");
		buf_html(b, title);
		HTML(b, "）");
	}
	HTML(b, "</dd>\n");
}

static void signature(buf *b, const char *role, const char *name, int64_t at)
{
	HTML(b, "<div class=\"signature\"><p class=\"sig-role\">");
	buf_html(b, role);
	HTML(b, "</p><p class=\"sig-name\">");
	buf_html(b, name);
	HTML(b, "</p><p class=\"sig-at\">");
	if (at) {
		HTML(b, "签署于 ");
		fmt_datetime(b, at);
	} else {
		HTML(b, "待签署");
	}
	HTML(b, "</p></div>\n");
}

void claim_team_fact(buf *b, const struct claim_detail *d)
{
	int shown = 0;

	HTML(b, "<dt>破题战队</dt><dd>");
	for (int i = 0; i < d->nmembers; i++) {
		const struct claim_member *m = &d->members[i];
		if (!strcmp(m->role, "lead") || !strcmp(m->role, "owner"))
			continue;
		if (shown++)
			HTML(b, "、");
		buf_html(b, m->name);
		HTML(b, "（");
		buf_html(b, m->unit);
		HTML(b, "）");
	}
	if (!shown)
		HTML(b, "—");
	HTML(b, "</dd>\n");
}

static void pledge_targets(struct req *r, const struct claim_detail *d)
{
	buf *b = &r->out;

	if (d->nmilestones) {
		HTML(b, "<h2>节点计划</h2>\n<ol>\n");
		for (int i = 0; i < d->nmilestones; i++) {
			HTML(b, "<li>");
			buf_html(b, d->milestones[i].title);
			HTML(b, "（");
			fmt_date_zh(b, d->milestones[i].due_at);
			HTML(b, "前完成）</li>\n");
		}
		HTML(b, "</ol>\n");
	}
	if (d->nmetrics) {
		HTML(b, "<h2>量化指标</h2>\n<ol>\n");
		for (int i = 0; i < d->nmetrics; i++) {
			const struct claim_metric *m = &d->metrics[i];
			HTML(b, "<li>");
			buf_html(b, m->name);
			HTML(b, "：由 ");
			buf_html(b, metric_format(r->a, m->kind, m->baseline));
			HTML(b, " 达到 ");
			buf_html(b, metric_format(r->a, m->kind, m->target));
			if (*m->uom) {
				HTML(b, " ");
				buf_html(b, m->uom);
			} else if (!strcmp(m->kind, "money")) {
				HTML(b, " 元");
			}
			HTML(b, "</li>\n");
		}
		HTML(b, "</ol>\n");
	}
}

void page_claim_pledge(struct req *r)
{
	struct claim_detail d;
	struct ctx c;
	buf *b = &r->out;

	if (claim_or_respond(r, &c, &d) < 0)
		return;
	page_begin(r, arena_printf(r->a, "军令状：%s", d.problem_title), NAV_BOARD);
	HTML(b, "<p class=\"crumbs no-print\"><a href=\"");
	html_path(b, r, arena_printf(r->a, "/claims/%lld", (long long)d.id));
	HTML(b, "\">返回揭榜详情</a> · 用浏览器的“打印”可打印或存为 PDF（A4）。</p>\n<article class=\"pledge-doc\">\n"
		"<h1>揭榜挂帅军令状</h1>\n");
	buf_printf(b, "<p class=\"doc-no\">〔%d〕第 %lld 号</p>\n", year_of(d.approved_at ? d.approved_at : d.applied_at),
		   (long long)d.id);
	HTML(b, "<dl class=\"facts\">\n<dt>难题</dt><dd>");
	buf_html(b, d.problem_title);
	HTML(b, "</dd>\n<dt>揭榜单位</dt><dd>");
	buf_html(b, d.unit);
	for (int i = 0; i < d.ncooperators; i++) {
		buf_puts(b, i ? "、" : "（配合单位：");
		buf_html(b, d.cooperators[i].name);
	}
	if (d.ncooperators)
		HTML(b, "）");
	HTML(b, "</dd>\n");
	claim_party_fact(b, "挂帅领导", d.lead, d.lead_title);
	claim_party_fact(b, "主要负责人", d.owner, d.owner_title);
	claim_team_fact(b, &d);
	HTML(b, "<dt>完成时限</dt><dd>");
	if (d.deadline)
		fmt_date_zh(b, d.deadline);
	else
		HTML(b, "—");
	HTML(b, "</dd>\n</dl>\n");
	if (d.goals && *d.goals) {
		HTML(b, "<h2>目标和验收标准</h2>\n");
		html_paragraphs(b, d.goals);
	}
	pledge_targets(r, &d);
	HTML(b, "<h2>承诺</h2>\n");
	html_paragraphs(b, d.pledge && *d.pledge ? d.pledge : "—");
	HTML(b, "<h2>奖惩条款</h2>\n");
	html_paragraphs(b, d.reward_penalty && *d.reward_penalty ? d.reward_penalty : "—");
	HTML(b, "<div class=\"signatures\">\n");
	signature(b, "主要负责人（签字）", d.owner, d.owner_signed_at);
	signature(b, "挂帅领导（签字）", d.lead, d.lead_signed_at);
	HTML(b, "</div>\n</article>\n");
	page_end(r);
}
