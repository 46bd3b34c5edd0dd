/* record.c - the cadre's record (干部实绩档案: the page, its printable A4
 * version, 我的档案) and the claim page's 容错 section with its form page
 * (web/people.h). */
#include "web/people.h"

#include <string.h>

#include "domain/claim.h"
#include "domain/perm.h"
#include "domain/record.h"
#include "domain/state.h"
#include "domain/supervise.h"
#include "domain/tolerance.h"
#include "util/clock.h"
#include "util/log.h"
#include "web/fields.h"
#include "web/web.h"
#include "web/widgets.h"

static const char *role_zh(const char *role)
{
	if (!strcmp(role, "lead"))
		return "挂帅领导";
	if (!strcmp(role, "owner"))
		return "主要负责人";
	return label_of(member_roles, role) ? label_of(member_roles, role) : role;
}

static const char *or_dash(const char *s)
{
	return s && *s ? s : "—";
}

static void claim_state(buf *b, int state)
{
	HTML(b, "<span class=\"state cstate-");
	buf_html(b, claim_state_info[state].code);
	HTML(b, "\">");
	buf_html(b, claim_state_info[state].zh);
	HTML(b, "</span>");
}

/* 已容错, the failure, or —. */
static void failure_cell(buf *b, enum failure f, bool tolerated)
{
	if (f == FAILURE_NONE)
		HTML(b, "—");
	else if (tolerated)
		HTML(b, "<span class=\"state state-solved\">已容错</span>（");
	else
		HTML(b, "<span class=\"state state-overdue\">");
	if (f == FAILURE_NONE)
		return;
	buf_html(b, failures[f].zh);
	buf_puts(b, tolerated ? "）" : "</span>");
}

/* ---- the record ---- */

static void person_facts(buf *b, const struct record *x)
{
	HTML(b, "<dl class=\"facts\">\n<dt>姓名</dt><dd>");
	buf_html(b, x->person.name);
	HTML(b, "</dd>\n<dt>单位</dt><dd>");
	buf_html(b, x->person.unit);
	HTML(b, "</dd>\n<dt>职级</dt><dd>");
	buf_html(b, or_dash(label_of(person_ranks, x->person.rank)));
	HTML(b, "</dd>\n<dt>职务</dt><dd>");
	buf_html(b, or_dash(x->person.title));
	HTML(b, "</dd>\n</dl>\n");
}

static void claims_part(struct req *r, const struct record *x, bool print)
{
	static const struct table_col cols[] = { { "难题", COL_TITLE }, { "揭榜单位", 0 }, { "角色", 0 }, { "状态", 0 },
						 { "灯色", 0 }, { "得分", 0 }, { "等次", 0 }, { "容错", 0 }, { NULL, 0 } };
	struct table t = { .cols = cols, .cls = "record-claims" };
	buf *b = &r->out;
	char score[32];

	HTML(b, "<section aria-labelledby=\"rc-h\">\n<h2 id=\"rc-h\">揭榜情况</h2>\n");
	if (!x->nclaims) {
		HTML(b, "<p class=\"empty\">没有参加过揭榜。</p>\n</section>\n");
		return;
	}
	table_open(b, &t);
	for (int i = 0; i < x->nclaims; i++) {
		const struct record_claim *k = &x->claims[i];
		table_row(b, &t);
		table_cell(b, &t);
		if (print)
			buf_html(b, k->title);
		else
			a_href(r, arena_printf(r->a, "/claims/%lld", (long long)k->id), k->title);
		table_cell(b, &t);
		buf_html(b, k->unit);
		table_cell(b, &t);
		buf_html(b, role_zh(k->role));
		table_cell(b, &t);
		claim_state(b, k->state);
		table_cell(b, &t);
		if (k->light == LIGHT_NONE)
			HTML(b, "—");
		else
			html_light(b, k->light);
		table_cell(b, &t);
		buf_html(b, k->score >= 0 ? score_format(k->score, score, sizeof(score)) : "—");
		table_cell(b, &t);
		buf_html(b, or_dash(label_of(grades, k->grade)));
		table_cell(b, &t);
		failure_cell(b, k->failure, k->tolerated);
	}
	table_close(b, &t);
	HTML(b, "</section>\n");
}

static void supervisions_part(buf *b, const struct record *x)
{
	HTML(b, "<section aria-labelledby=\"rs-h\">\n<h2 id=\"rs-h\">接受督办</h2>\n");
	if (!x->nsupervisions)
		HTML(b, "<p class=\"empty\">没有收到督办单。</p>\n");
	else
		HTML(b, "<ul class=\"record-list\">\n");
	for (int i = 0; i < x->nsupervisions; i++) {
		const struct supervision *s = &x->supervisions[i].s;
		HTML(b, "<li><strong>");
		buf_html(b, s->number);
		HTML(b, "</strong> “");
		buf_html(b, x->supervisions[i].title);
		HTML(b, "”：");
		buf_html(b, s->reason);
		HTML(b, "（");
		fmt_date(b, s->issued_at);
		HTML(b, " 发出，");
		if (s->replied_at) {
			fmt_date(b, s->replied_at);
			HTML(b, " 答复");
		} else {
			buf_puts(b, s->overdue ? "逾期未复" : "待答复");
		}
		HTML(b, "）</li>\n");
	}
	if (x->nsupervisions)
		HTML(b, "</ul>\n");
	HTML(b, "</section>\n");
}

static void practices_part(buf *b, const struct record *x)
{
	HTML(b, "<section aria-labelledby=\"rp-h\">\n<h2 id=\"rp-h\">经验做法</h2>\n");
	if (!x->npractices)
		HTML(b, "<p class=\"empty\">没有撰写或关联的经验做法。</p>\n");
	else
		HTML(b, "<ul class=\"record-list\">\n");
	for (int i = 0; i < x->npractices; i++) {
		const struct record_practice *p = &x->practices[i];
		HTML(b, "<li>");
		buf_html(b, p->title);
		HTML(b, "（");
		buf_html(b, or_dash(label_of(record_practice_states, p->state)));
		buf_puts(b, p->author ? "，本人撰写）" : "，所在团队的揭榜）");
		HTML(b, "</li>\n");
	}
	if (x->npractices)
		HTML(b, "</ul>\n");
	HTML(b, "</section>\n");
}

static void promotions_part(struct req *r, const struct record *x)
{
	static const struct table_col cols[] = { { "日期", COL_TITLE }, { "类别", 0 }, { "原任职务", 0 }, { "新任职务", 0 },
						 { "文号", 0 }, { "关联揭榜", COL_WIDE }, { NULL, 0 } };
	struct table t = { .cols = cols };
	buf *b = &r->out;

	HTML(b, "<section aria-labelledby=\"rpr-h\">\n<h2 id=\"rpr-h\">提拔使用</h2>\n");
	if (!x->npromotions) {
		HTML(b, "<p class=\"empty\">没有提拔使用记录。</p>\n</section>\n");
		return;
	}
	table_open(b, &t);
	for (int i = 0; i < x->npromotions; i++) {
		const struct promotion *p = &x->promotions[i];
		table_row(b, &t);
		table_cell(b, &t);
		fmt_date(b, p->at);
		table_cell(b, &t);
		buf_html(b, or_dash(label_of(promotion_kinds, p->kind)));
		table_cell(b, &t);
		buf_html(b, or_dash(p->from_post));
		table_cell(b, &t);
		buf_html(b, or_dash(p->to_post));
		table_cell(b, &t);
		buf_html(b, or_dash(p->doc_no));
		table_cell(b, &t);
		for (int k = 0; k < p->nclaims; k++) {
			if (k)
				HTML(b, "；");
			buf_html(b, p->claims[k].title);
		}
		if (!p->nclaims)
			HTML(b, "—");
	}
	table_close(b, &t);
	HTML(b, "</section>\n");
}

static void tolerance_line(buf *b, const struct tolerance *t)
{
	HTML(b, "“");
	buf_html(b, t->title);
	HTML(b, "”：");
	buf_html(b, or_dash(label_of(tolerance_states, t->state)));
	HTML(b, "（");
	buf_html(b, t->applied_by);
	HTML(b, " 申请于 ");
	fmt_date(b, t->applied_at);
	if (t->decided_at) {
		HTML(b, "；");
		buf_html(b, t->decided_by);
		HTML(b, " 认定于 ");
		fmt_date(b, t->decided_at);
		HTML(b, "，依据：");
		buf_html(b, t->basis);
	}
	HTML(b, "）");
}

static void tolerances_part(buf *b, const struct record *x)
{
	HTML(b, "<section aria-labelledby=\"rt-h\">\n<h2 id=\"rt-h\">容错纠错</h2>\n");
	if (!x->ntolerances)
		HTML(b, "<p class=\"empty\">没有容错申请。</p>\n");
	else
		HTML(b, "<ul class=\"record-list\">\n");
	for (int i = 0; i < x->ntolerances; i++) {
		HTML(b, "<li>");
		tolerance_line(b, &x->tolerances[i]);
		HTML(b, "</li>\n");
	}
	if (x->ntolerances)
		HTML(b, "</ul>\n");
	HTML(b, "</section>\n");
}

/* The record of route parameter 0 for the reader: 0, or answered. */
static int record_or_respond(struct req *r, struct record *x)
{
	struct ctx c;
	int64_t id;
	int rc;

	if (id_param_or_respond(r, 0, &id) < 0)
		return -1;
	web_ctx(r, &c);
	if ((rc = record_get(&c, id, x)) != JB_OK) {
		outcome_error(r, &c, rc);
		return -1;
	}
	return 0;
}

static void record_body(struct req *r, const struct record *x, bool print)
{
	buf *b = &r->out;

	person_facts(b, x);
	HTML(b, "<p class=\"summary\">");
	buf_html(b, record_summary_text(r->a, &x->sum));
	HTML(b, "。</p>\n");
	claims_part(r, x, print);
	supervisions_part(b, x);
	practices_part(b, x);
	promotions_part(r, x);
	tolerances_part(b, x);
}

void page_record(struct req *r)
{
	struct record x;
	buf *b = &r->out;
	const char *base;

	if (record_or_respond(r, &x) < 0)
		return;
	base = arena_printf(r->a, "/people/%lld/record", (long long)x.person.id);
	page_begin(r, arena_printf(r->a, "干部实绩档案：%s", x.person.name),
		   r->who->person_id == x.person.id ? NAV_RECORD : NAV_NONE);
	if (perm_any(r->who, "promotion.read")) {
		HTML(b, "<p class=\"crumbs\">");
		a_href(r, "/promotions", "提拔使用");
		HTML(b, " › ");
		buf_html(b, x.person.name);
		HTML(b, "</p>\n");
	}
	HTML(b, "<h1>干部实绩档案：");
	buf_html(b, x.person.name);
	HTML(b, "</h1>\n<p class=\"actions\">");
	a_href(r, arena_printf(r->a, "%s/print", base), "打印版（A4）");
	if (perm_any(r->who, "promotion.manage")) {
		HTML(b, " ");
		a_href(r, arena_printf(r->a, "/promotions?person=%lld#new", (long long)x.person.id), "记录提拔使用");
	}
	HTML(b, "</p>\n");
	record_body(r, &x, false);
	page_end(r);
}

void page_record_print(struct req *r)
{
	struct record x;
	buf *b = &r->out;

	if (record_or_respond(r, &x) < 0)
		return;
	page_begin(r, arena_printf(r->a, "干部实绩档案：%s（打印版）", x.person.name), NAV_NONE);
	HTML(b, "<p class=\"crumbs no-print\">");
	a_href(r, arena_printf(r->a, "/people/%lld/record", (long long)x.person.id), "返回档案");
	HTML(b, " · 用浏览器的“打印”可打印或存为 PDF（A4）。</p>\n<article class=\"record-doc\">\n<h1>干部实绩档案</h1>\n"
		"<p class=\"doc-no\">揭榜挂帅攻坚实绩 · 截至 ");
	fmt_date_zh(b, clock_now());
	HTML(b, "</p>\n");
	record_body(r, &x, true);
	HTML(b, "<div class=\"signatures\"><div class=\"signature\"><p class=\"sig-role\">填报单位（盖章）</p></div>"
		"<div class=\"signature\"><p class=\"sig-role\">审核人</p></div></div>\n</article>\n");
	page_end(r);
}

void html_record_link(struct req *r, int64_t person_id, const char *name)
{
	if (!name || !*name) {
		HTML(&r->out, "—");
		return;
	}
	if (person_id && record_may_read(r->who, person_id, 0))
		a_href(r, arena_printf(r->a, "/people/%lld/record", (long long)person_id), name);
	else
		buf_html(&r->out, name);
}

void page_my_record(struct req *r)
{
	if (!r->who->person_id) {
		reply_error(r, 404, "not_found", "这个账号没有关联人员，没有干部实绩档案", NULL);
		return;
	}
	reply_redirect(r, arena_printf(r->a, "/people/%lld/record", (long long)r->who->person_id));
}

/* ---- the claim page's 容错 section ---- */

static void request_card(struct req *r, const struct tolerance *t, bool decide, const struct ctx *c)
{
	buf *b = &r->out;

	buf_printf(b, "<article class=\"card\" aria-labelledby=\"tol-%lld\">\n<h3 id=\"tol-%lld\">容错申请 ", (long long)t->id,
		   (long long)t->id);
	buf_puts(b, strcmp(t->state, "granted") ? "<span class=\"state\">" : "<span class=\"state state-solved\">");
	buf_html(b, or_dash(label_of(tolerance_states, t->state)));
	HTML(b, "</span></h3>\n<p class=\"muted\">");
	buf_html(b, t->applied_by);
	HTML(b, " 申请于 ");
	fmt_datetime(b, t->applied_at);
	HTML(b, "</p>\n<h4>申请理由</h4>\n");
	html_paragraphs(b, t->reason);
	HTML(b, "<h4>已采取的措施</h4>\n");
	html_paragraphs(b, t->tried);
	if (t->decided_at) {
		HTML(b, "<h4>认定依据</h4>\n");
		html_paragraphs(b, t->basis);
		HTML(b, "<p class=\"muted\">");
		buf_html(b, t->decided_by);
		HTML(b, " 认定于 ");
		fmt_datetime(b, t->decided_at);
		HTML(b, "</p>\n");
	} else if (decide && r->csrf) {
		form_open(r, arena_printf(r->a, "/tolerances/%lld/decide", (long long)t->id));
		field_select(r, c, "decision", "认定结果", tolerance_decisions, c ? field_value(r, c, "decision", "") : "",
			     "请选择");
		field_textarea(r, c, "basis", "认定依据（按“三个区分开来”写明，1–2000 字）",
			       c ? field_value(r, c, "basis", "") : "", " rows=\"4\" required maxlength=\"2000\"");
		HTML(b, "<button type=\"submit\">提交认定</button>\n</form>\n");
	}
	HTML(b, "</article>\n");
}

static void apply_form(struct req *r, int64_t claim_id, const struct ctx *c)
{
	form_open(r, arena_printf(r->a, "/claims/%lld/tolerance", (long long)claim_id));
	field_textarea(r, c, "reason", "申请理由（1–2000 字）", c ? field_value(r, c, "reason", "") : "",
		       " rows=\"4\" required maxlength=\"2000\"");
	field_textarea(r, c, "tried", "已采取的措施（1–2000 字）", c ? field_value(r, c, "tried", "") : "",
		       " rows=\"4\" required maxlength=\"2000\"");
	HTML(&r->out, "<button type=\"submit\">申请容错</button>\n</form>\n");
}

void tolerance_section(struct req *r, int64_t claim_id, const struct ctx *c)
{
	int64_t now = clock_now();
	struct tolerance *ts;
	struct claim_brief cl;
	enum failure why = FAILURE_NONE;
	bool ok = false, tolerated = false, pending = false;
	buf *b = &r->out;
	int n = 0, rc;

	rc = claim_brief_get(r->db, r->a, r->tenant_id, claim_id, now, &cl);
	if (rc == 0 && supervise_may_read(r->db, r->who, &cl, &ok) < 0)
		rc = -1;
	if (rc == 0 && ok && (tolerance_failure_of(r->db, r->tenant_id, claim_id, now, &why, &tolerated) < 0 ||
			      tolerance_list(r->db, r->a, r->tenant_id, claim_id, 0, &ts, &n) < 0))
		rc = -1;
	if (rc < 0) {
		log_warn("req=%s tolerance section: %s", r->id, db_errmsg(r->db));
		HTML(b, "<p class=\"form-errors\" role=\"alert\">容错部分暂时无法读取，请稍后刷新页面。</p>\n");
	}
	if (rc || !ok || (why == FAILURE_NONE && !n && !tolerated))
		return;
	HTML(b, "<section class=\"tolerance\" aria-labelledby=\"tol-h\">\n<h2 id=\"tol-h\">容错纠错</h2>\n<p>");
	if (why != FAILURE_NONE) {
		HTML(b, "本揭榜未达目标：");
		buf_html(b, failures[why].zh);
		HTML(b, "。");
	}
	if (tolerated)
		HTML(b, "<span class=\"state state-solved\">已容错</span> 这项失败不计入团队成员的实绩档案。");
	HTML(b, "</p>\n");
	for (int i = 0; i < n; i++) {
		pending |= !strcmp(ts[i].state, "pending");
		request_card(r, &ts[i], tolerance_may_decide(r->who, &cl), c);
	}
	if (r->csrf && why != FAILURE_NONE && !tolerated && !pending && tolerance_may_apply(r->who, &cl))
		apply_form(r, claim_id, c);
	HTML(b, "</section>\n");
}

void tolerance_form_page(struct req *r, int64_t claim_id, const struct ctx *c, int status)
{
	struct claim_brief cl;
	buf *b = &r->out;
	int rc = claim_brief_get(r->db, r->a, r->tenant_id, claim_id, clock_now(), &cl);

	if (rc) {
		if (rc < 0)
			web_store_error(r);
		else
			reply_error(r, 404, "not_found", "没有这个揭榜", NULL);
		return;
	}
	page_begin(r, arena_printf(r->a, "容错纠错：%s", cl.title), NAV_NONE);
	HTML(b, "<p class=\"crumbs\">");
	a_href(r, arena_printf(r->a, "/claims/%lld", (long long)claim_id), cl.title);
	HTML(b, "</p>\n<h1>容错纠错</h1>\n");
	form_errors(r, c);
	tolerance_section(r, claim_id, c);
	page_finish(r, status);
}
