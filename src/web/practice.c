/* practice.c - the practice pages (经验做法): the public library with its
 * search (/practices), one practice with its claims, history and the
 * recommend and adopt actions (/practices/:id), the printable page
 * (/practices/:id/print: A4, the site's header hidden in print by the
 * stylesheet, as the pledge), the writing form (/practices/new?claim=ID,
 * /practices/:id/edit) and the claim page's section. */
#include "web/export.h"
#include "web/practice.h"

#include <stdio.h>
#include <string.h>

#include "domain/labels.h"
#include "domain/search.h"
#include "domain/state.h"
#include "util/text.h"
#include "web/fields.h"
#include "web/widgets.h"

#define QUERY_MAX 64     /* characters of a search, as the board */
#define EXCERPT_MAX 120  /* characters of a summary in the list */

static const char *practice_path(struct req *r, int64_t id, const char *tail)
{
	return arena_printf(r->a, "/practices/%lld%s", (long long)id, tail);
}

/* ---- the request's parameters ---- */

/* ?name=N within [1, max] (0 when absent); 400 otherwise. */
static int int_param(struct req *r, const char *name, int64_t max, int64_t *out, const char *message)
{
	const char *v = req_query(r, name);

	*out = 0;
	if (v && *v && parse_int(v, 1, max, out) < 0) {
		reply_error(r, 400, "bad_parameter", message, name);
		return -1;
	}
	return 0;
}

int practice_filter_or_respond(struct req *r, struct practice_filter *f)
{
	const char *q = req_query(r, "q"), *state = req_query(r, "state");

	memset(f, 0, sizeof(*f));
	if (int_param(r, "page", 1000000, &f->page, "页码必须是 1 到 1000000 之间的整数") < 0 ||
	    int_param(r, "per_page", PRACTICE_MAX_PER_PAGE, &f->per_page, "每页条数必须是 1 到 100 之间的整数") < 0)
		return -1;
	if (state && *state) {
		if (practice_state_of(state) < 0) {
			reply_error(r, 400, "bad_parameter", "没有这个状态（可选：draft、recommended、adopted）", "state");
			return -1;
		}
		f->state = state;
	}
	while (q && *q == ' ')
		q++;
	if (q && *q) {
		if (utf8_len(q) > QUERY_MAX) {
			reply_error(r, 400, "bad_parameter", "搜索词过长，最多 64 个字", "q");
			return -1;
		}
		if (search_terms(r->a, q, NULL, 0) > SEARCH_MAX_TERMS) {
			reply_error(r, 400, "bad_parameter", "搜索词最多 5 个，请用空格分隔", "q");
			return -1;
		}
		f->q = q;
	}
	f->page = f->page ? f->page : 1;
	f->per_page = f->per_page ? f->per_page : PRACTICE_PER_PAGE;
	return 0;
}

int practice_or_respond(struct req *r, struct practice *p)
{
	int64_t id;
	int rc;

	if (id_param_or_respond(r, 0, &id) < 0)
		return -1;
	if ((rc = practice_get(r->db, r->a, r->who, id, p)) < 0) {
		web_store_error(r);
		return -1;
	}
	if (rc) {
		reply_error(r, 404, "not_found", "没有这条经验做法", NULL);
		return -1;
	}
	return 0;
}

/* ---- pieces ---- */

static void state_badge(buf *b, int state)
{
	static const char *const cls[PRACTICE_STATE_COUNT] = { "state", "state state-claimed", "state state-accepted" };

	HTML(b, "<span class=\"");
	buf_puts(b, cls[state]); /* literals above */
	HTML(b, "\">");
	buf_html(b, practice_states[state].zh);
	HTML(b, "</span>");
}

/* The first EXCERPT_MAX characters of s on one line, "…" when cut. */
static void excerpt(buf *b, arena *a, const char *s)
{
	size_t i = 0, chars = 0;
	char *t;

	while (s[i] && chars < EXCERPT_MAX) {
		i++;
		while (((unsigned char)s[i] & 0xc0) == 0x80)
			i++;
		chars++;
	}
	t = arena_strndup(a, s, i);
	for (char *p = t; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	buf_html(b, t);
	if (s[i])
		HTML(b, "…");
}

/* 文号, 发文单位 and the date of an adopted practice, as <dt>/<dd>. */
static void adoption_facts(buf *b, const struct practice *p)
{
	HTML(b, "<dt>文号</dt><dd>");
	buf_html(b, p->doc_no);
	HTML(b, "</dd><dt>发文单位</dt><dd>");
	buf_html(b, p->issuer);
	HTML(b, "</dd><dt>发文日期</dt><dd>");
	fmt_date_zh(b, p->adopted_on);
	HTML(b, "</dd>\n");
}

/* The linked problems, each a link to its claim, separated by "、". */
static void claim_links(struct req *r, const struct practice *p)
{
	for (int i = 0; i < p->nclaims; i++) {
		if (i)
			HTML(&r->out, "、");
		a_href(r, arena_printf(r->a, "/claims/%lld", (long long)p->claims[i].claim_id), p->claims[i].problem_title);
	}
	if (!p->nclaims)
		HTML(&r->out, "—");
}

/* ---- the library ---- */

static void option(buf *b, const char *value, const char *label, bool selected)
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

static void filter_form(struct req *r, const struct practice_filter *f)
{
	bool drafts = practice_sees_drafts(r->who) || perm_any(r->who, "practice.write");
	buf *b = &r->out;

	HTML(b, "<form class=\"filters\" method=\"get\" action=\"");
	html_path(b, r, "/practices");
	HTML(b, "\" role=\"search\">\n<label class=\"grow\">搜索<input type=\"search\" name=\"q\" maxlength=\"64\" value=\"");
	buf_html(b, f->q ? f->q : "");
	HTML(b, "\" placeholder=\"标题、做法或步骤中的字词，如：调解\"></label>\n<label>状态<select name=\"state\">");
	option(b, "", "已推荐和已转化", !f->state);
	for (int i = drafts ? 0 : 1; i < PRACTICE_STATE_COUNT; i++)
		option(b, practice_states[i].code, practice_states[i].zh, f->state && !strcmp(f->state, practice_states[i].code));
	HTML(b, "</select></label>\n<button type=\"submit\">搜索</button> <a href=\"");
	html_path(b, r, "/practices");
	HTML(b, "\">清除</a>\n</form>\n");
}

static void list_item(struct req *r, const struct practice *p)
{
	buf *b = &r->out;

	buf_printf(b, "<article class=\"practice-item\" aria-labelledby=\"p-%lld\">\n<h2 id=\"p-%lld\">", (long long)p->id,
		   (long long)p->id);
	a_href(r, practice_path(r, p->id, ""), p->title);
	HTML(b, "</h2>\n<p class=\"badges\">");
	state_badge(b, p->state);
	HTML(b, "</p>\n<p>");
	excerpt(b, r->a, p->summary);
	HTML(b, "</p>\n<dl class=\"facts\">\n<dt>关联难题</dt><dd>");
	claim_links(r, p);
	HTML(b, "</dd>\n");
	if (p->state == PRACTICE_ADOPTED)
		adoption_facts(b, p);
	HTML(b, "</dl>\n</article>\n");
}

/* "/practices?page=N" keeping the search and the state. */
static void page_link(struct req *r, const struct practice_filter *f, int64_t page, const char *rel, const char *text)
{
	buf *b = &r->out;

	buf_printf(b, "<a rel=\"%s\" href=\"", rel);
	buf_html(b, r->base);
	buf_printf(b, "/practices?page=%lld", (long long)page);
	if (f->q) {
		HTML(b, "&amp;q=");
		buf_url(b, f->q);
	}
	if (f->state) {
		HTML(b, "&amp;state=");
		buf_url(b, f->state);
	}
	if (f->per_page != PRACTICE_PER_PAGE)
		buf_printf(b, "&amp;per_page=%lld", (long long)f->per_page);
	HTML(b, "\">");
	buf_html(b, text);
	HTML(b, "</a>");
}

static void pager(struct req *r, const struct practice_filter *f, int64_t total)
{
	int64_t pages = (total + f->per_page - 1) / f->per_page;

	if (pages <= 1)
		return;
	HTML(&r->out, "<nav class=\"pager\" aria-label=\"分页\">");
	if (f->page > 1)
		page_link(r, f, f->page - 1, "prev", "上一页");
	buf_printf(&r->out, "<span>第 %lld / %lld 页</span>", (long long)f->page, (long long)pages);
	if (f->page < pages)
		page_link(r, f, f->page + 1, "next", "下一页");
	HTML(&r->out, "</nav>\n");
}

void page_practices(struct req *r)
{
	struct practice_filter f;
	struct practice_page pg;
	buf *b = &r->out;

	if (practice_filter_or_respond(r, &f) < 0)
		return;
	if (practice_list(r->db, r->a, r->who, &f, &pg) < 0) {
		web_store_error(r);
		return;
	}
	page_begin(r, "经验做法", NAV_PRACTICES);
	HTML(b, "<h1>经验做法</h1>\n<p class=\"lead\">破题攻坚中总结的经验做法：经考评组推荐的，和已转化为制度文件的。</p>\n");
	export_links(r, "practices", false);
	filter_form(r, &f);
	buf_printf(b, "<p class=\"summary\" role=\"status\">共 <strong>%lld</strong> 条经验做法", (long long)pg.total);
	if (f.q) {
		HTML(b, "，搜索“");
		buf_html(b, f.q);
		HTML(b, "”");
	}
	HTML(b, "</p>\n");
	for (int i = 0; i < pg.n; i++)
		list_item(r, &pg.items[i]);
	if (!pg.n)
		HTML(b, "<p class=\"empty\">没有符合条件的经验做法。</p>\n");
	pager(r, &f, pg.total);
	page_end(r);
}

/* ---- one practice ---- */

static void text_section(buf *b, const char *id, const char *heading, const char *text)
{
	buf_printf(b, "<section aria-labelledby=\"%s\">\n<h2 id=\"%s\">", id, id);
	buf_html(b, heading);
	HTML(b, "</h2>\n");
	html_paragraphs(b, text && *text ? text : "—");
	HTML(b, "</section>\n");
}

/* The facts; logins only for internal readers (those who see drafts). */
static void facts(struct req *r, const struct practice *p)
{
	bool internal = practice_sees_drafts(r->who);
	buf *b = &r->out;

	HTML(b, "<dl class=\"facts\">\n<dt>状态</dt><dd>");
	state_badge(b, p->state);
	HTML(b, "</dd>\n<dt>撰写人</dt><dd>");
	buf_html(b, *p->author ? p->author : internal && *p->author_login ? p->author_login : "—");
	HTML(b, "</dd>\n<dt>撰写时间</dt><dd>");
	fmt_date(b, p->created_at);
	HTML(b, "</dd>\n");
	if (p->recommended_at) {
		HTML(b, "<dt>考评组推荐</dt><dd>");
		fmt_date(b, p->recommended_at);
		if (internal) {
			HTML(b, "（");
			buf_html(b, p->recommended_by);
			HTML(b, "）");
		}
		HTML(b, "</dd>\n");
	}
	if (p->state == PRACTICE_ADOPTED)
		adoption_facts(b, p);
	HTML(b, "</dl>\n");
}

static void claims_table(struct req *r, const struct practice *p)
{
	static const struct table_col cols[] = { { "难题", COL_TITLE }, { "揭榜单位", 0 }, { "挂帅领导", 0 },
						 { "主要负责人", 0 }, { "状态", 0 }, { NULL, 0 } };
	struct table t = { .cols = cols, .cls = "claims" };
	buf *b = &r->out;

	HTML(b, "<section aria-labelledby=\"claims-h\">\n<h2 id=\"claims-h\">关联揭榜</h2>\n");
	table_open(b, &t);
	for (int i = 0; i < p->nclaims; i++) {
		const struct practice_claim *k = &p->claims[i];
		table_row(b, &t);
		table_cell(b, &t);
		a_href(r, arena_printf(r->a, "/claims/%lld", (long long)k->claim_id), k->problem_title);
		table_cell(b, &t);
		buf_html(b, k->unit);
		table_cell(b, &t);
		buf_html(b, k->lead);
		table_cell(b, &t);
		buf_html(b, k->owner);
		table_cell(b, &t);
		buf_html(b, k->state >= 0 ? claim_state_info[k->state].zh : "");
	}
	table_close(b, &t);
	HTML(b, "</section>\n");
}

static void history_section(struct req *r, const struct practice *p)
{
	struct practice_step *s;
	buf *b = &r->out;
	int n;

	if (practice_history(r->db, r->a, r->tenant_id, p->id, &s, &n) < 0 || !n)
		return;
	HTML(b, "<section aria-labelledby=\"hist-h\">\n<h2 id=\"hist-h\">办理过程</h2>\n<ol class=\"history\">\n");
	for (int i = 0; i < n; i++) {
		const char *what = label_of(audit_actions, s[i].action);
		HTML(b, "<li>");
		fmt_datetime(b, s[i].at);
		HTML(b, " ");
		buf_html(b, s[i].actor);
		HTML(b, " ");
		buf_html(b, what ? what : s[i].action);
		HTML(b, "</li>\n");
	}
	HTML(b, "</ol>\n</section>\n");
}

/* The adoption form; c: a refused adoption to show again, or NULL. */
static void adopt_form(struct req *r, const struct practice *p, const struct ctx *c)
{
	HTML(&r->out, "<details class=\"adopt\"");
	if (c && c->nerrs)
		HTML(&r->out, " open");
	HTML(&r->out, "><summary>转化为制度</summary>\n");
	form_open(r, practice_path(r, p->id, "/adopt"));
	field_input(r, c, "text", "doc_no", "文号", field_value(r, c, "doc_no", ""),
		    " required maxlength=\"60\" placeholder=\"如：X政办发〔2027〕12号\"");
	field_input(r, c, "text", "issuer", "发文单位", field_value(r, c, "issuer", ""), " required maxlength=\"100\"");
	field_input(r, c, "date", "adopted_on", "发文日期", field_value(r, c, "adopted_on", ""), " required");
	HTML(&r->out, "<button type=\"submit\">确认转化为制度</button>\n</form>\n</details>\n");
}

static void actions(struct req *r, const struct practice *p, const struct ctx *c)
{
	bool edit = practice_may_edit(r->who, p), rec = practice_may_recommend(r->who, p);
	bool adopt = practice_may_adopt(r->who, p);
	buf *b = &r->out;

	HTML(b, "<section aria-labelledby=\"act-h\" class=\"no-print\">\n<h2 id=\"act-h\">操作</h2>\n<p class=\"actions\">");
	a_href(r, practice_path(r, p->id, "/print"), "打印版");
	if (edit) {
		HTML(b, " ");
		a_href(r, practice_path(r, p->id, "/edit"), "修改");
	}
	if (rec && r->csrf) {
		HTML(b, " ");
		html_button_form(r, practice_path(r, p->id, "/recommend"), "推荐（考评组）", false);
	}
	HTML(b, "</p>\n");
	if (adopt && r->csrf)
		adopt_form(r, p, c);
	HTML(b, "</section>\n");
}

/* The practice page; c: a refused action to show, or NULL. */
static void practice_page(struct req *r, const struct practice *p, const struct ctx *c, int status)
{
	buf *b = &r->out;

	page_begin(r, arena_printf(r->a, "经验做法：%s", p->title), NAV_PRACTICES);
	HTML(b, "<p class=\"crumbs\">");
	a_href(r, "/practices", "经验做法");
	HTML(b, " › ");
	buf_html(b, p->title);
	HTML(b, "</p>\n<h1>");
	buf_html(b, p->title);
	HTML(b, "</h1>\n");
	if (req_query(r, "done"))
		HTML(b, "<p class=\"notice\" role=\"status\">已保存。</p>\n");
	form_errors(r, c);
	facts(r, p);
	text_section(b, "sum-h", "做法概述", p->summary);
	text_section(b, "steps-h", "主要步骤", p->steps);
	text_section(b, "cond-h", "推广条件和适用范围", p->conditions);
	claims_table(r, p);
	history_section(r, p);
	actions(r, p, c);
	page_finish(r, status);
}

void page_practice(struct req *r)
{
	struct practice p;

	if (practice_or_respond(r, &p) == 0)
		practice_page(r, &p, NULL, 200);
}

void page_practice_print(struct req *r)
{
	struct practice p;
	buf *b = &r->out;

	if (practice_or_respond(r, &p) < 0)
		return;
	page_begin(r, arena_printf(r->a, "经验做法（打印）：%s", p.title), NAV_NONE);
	HTML(b, "<p class=\"crumbs no-print\"><a href=\"");
	html_path(b, r, practice_path(r, p.id, ""));
	HTML(b, "\">返回经验做法</a> · 用浏览器的“打印”可打印或存为 PDF（A4）。</p>\n<article class=\"pledge-doc\">\n"
		"<h1>");
	buf_html(b, p.title);
	HTML(b, "</h1>\n<p class=\"doc-no\">");
	buf_html(b, practice_states[p.state].zh);
	if (p.state == PRACTICE_ADOPTED) {
		HTML(b, " · ");
		buf_html(b, p.doc_no);
	}
	HTML(b, "</p>\n<dl class=\"facts\">\n<dt>关联难题</dt><dd>");
	for (int i = 0; i < p.nclaims; i++) {
		if (i)
			HTML(b, "；");
		buf_html(b, p.claims[i].problem_title);
		HTML(b, "（");
		buf_html(b, p.claims[i].unit);
		HTML(b, "，挂帅领导 ");
		buf_html(b, p.claims[i].lead);
		HTML(b, "）");
	}
	HTML(b, "</dd>\n");
	if (p.state == PRACTICE_ADOPTED)
		adoption_facts(b, &p);
	HTML(b, "</dl>\n");
	text_section(b, "sum-h", "做法概述", p.summary);
	text_section(b, "steps-h", "主要步骤", p.steps);
	text_section(b, "cond-h", "推广条件和适用范围", p.conditions);
	HTML(b, "</article>\n");
	page_end(r);
}

/* After a verb on practice id refused for its input or state: the page
 * again, read anew, with the reason; other results as error pages. */
static void refused(struct req *r, struct ctx *c, int rc)
{
	struct practice p;

	if (r->is_api || (rc != JB_EINVALID && rc != JB_ECONFLICT)) {
		outcome_error(r, c, rc);
		return;
	}
	buf_reset(&r->out);
	if (practice_or_respond(r, &p) == 0)
		practice_page(r, &p, c, rc == JB_EINVALID ? 400 : 409);
}

void act_practice_recommend(struct req *r)
{
	struct ctx c;
	int64_t id;
	int rc;

	if (id_param_or_respond(r, 0, &id) < 0)
		return;
	web_ctx(r, &c);
	if ((rc = practice_recommend(&c, id)) == JB_OK)
		reply_redirect(r, practice_path(r, id, "?done=1"));
	else
		refused(r, &c, rc);
}

void act_practice_adopt(struct req *r)
{
	struct practice_adopt_in in;
	struct ctx c;
	int64_t id;
	int rc;

	if (id_param_or_respond(r, 0, &id) < 0)
		return;
	web_ctx(r, &c);
	rc = bind_request(r, &c, practice_adopt_fields, &in, NULL);
	if (rc == JB_OK)
		rc = practice_adopt(&c, id, &in);
	if (rc == JB_OK)
		reply_redirect(r, practice_path(r, id, "?done=1"));
	else
		refused(r, &c, rc);
}

/* ---- writing ---- */

/* What the form shows: the practice edited (NULL: a new one), the claim
 * preselected for a new one, and a refused submission (NULL: none). */
struct form_view {
	const struct practice *p;
	int64_t claim_id;
	const struct ctx *c;
};

static bool checked(struct req *r, const struct form_view *v, int64_t id)
{
	const char *sent[PRACTICE_MAX_CLAIMS * 2];
	char want[24];
	int n;

	if (v->c) {
		snprintf(want, sizeof(want), "%lld", (long long)id);
		n = req_form_all(r, "claim_ids", sent, PRACTICE_MAX_CLAIMS * 2);
		for (int i = 0; i < n && i < PRACTICE_MAX_CLAIMS * 2; i++)
			if (!strcmp(sent[i], want))
				return true;
		return false;
	}
	for (int i = 0; v->p && i < v->p->nclaims; i++)
		if (v->p->claims[i].claim_id == id)
			return true;
	return !v->p && id == v->claim_id;
}

/* The claims to choose from: those who may link, and those already
 * linked (an author may keep a claim of someone else's). */
static int choices(struct req *r, const struct form_view *v, struct practice_claim **out, int *n)
{
	int cap;

	if (practice_linkable_claims(r->db, r->a, r->who, out, n) < 0)
		return -1;
	cap = *n;
	for (int i = 0; v->p && i < v->p->nclaims; i++) {
		bool have = false;
		for (int j = 0; j < *n && !have; j++)
			have = (*out)[j].claim_id == v->p->claims[i].claim_id;
		if (!have)
			*ARENA_PUSH(r->a, *out, *n, cap) = v->p->claims[i];
	}
	return 0;
}

static void claim_choices(struct req *r, const struct form_view *v, const struct practice_claim *k, int n)
{
	const struct field_error *e = field_error_of(v->c, "claim_ids");
	buf *b = &r->out;

	HTML(b, "<fieldset");
	if (e)
		HTML(b, " class=\"has-error\" aria-describedby=\"f-claim_ids-err\"");
	HTML(b, "><legend>关联揭榜（已破题或已验收，至少选一项）</legend>\n");
	if (e) {
		HTML(b, "<span class=\"field-error\" id=\"f-claim_ids-err\">");
		buf_html(b, e->message);
		HTML(b, "</span>\n");
	}
	if (!n)
		HTML(b, "<p class=\"empty\">没有可以关联的已破题揭榜。</p>\n");
	for (int i = 0; i < n; i++) {
		buf_printf(b, "<label class=\"check\"><input type=\"checkbox\" name=\"claim_ids\" value=\"%lld\"",
			   (long long)k[i].claim_id);
		if (checked(r, v, k[i].claim_id))
			HTML(b, " checked");
		HTML(b, "> ");
		buf_html(b, k[i].problem_title);
		HTML(b, "（");
		buf_html(b, k[i].unit);
		HTML(b, "，");
		buf_html(b, k[i].state >= 0 ? claim_state_info[k[i].state].zh : "");
		HTML(b, "）</label>\n");
	}
	HTML(b, "</fieldset>\n");
}

static void form_page(struct req *r, const struct form_view *v, int status)
{
	const struct practice *p = v->p;
	const struct ctx *c = v->c;
	struct practice_claim *k;
	buf *b = &r->out;
	int n;

	if (choices(r, v, &k, &n) < 0) {
		web_store_error(r);
		return;
	}
	page_begin(r, p ? "修改经验做法" : "总结经验做法", NAV_NONE);
	HTML(b, "<p class=\"crumbs\">");
	a_href(r, "/practices", "经验做法");
	if (p) {
		HTML(b, " › ");
		a_href(r, practice_path(r, p->id, ""), p->title);
	}
	HTML(b, "</p>\n<h1>");
	buf_html(b, p ? "修改经验做法" : "总结经验做法");
	HTML(b, "</h1>\n<p>写下破题中行之有效、可以复制推广的做法。保存后为草稿，经考评组推荐后在经验做法库公开。</p>\n");
	form_errors(r, c);
	form_open(r, p ? practice_path(r, p->id, "/edit") : "/practices");
	field_input(r, c, "text", "title", "标题（100 字以内）", field_value(r, c, "title", p ? p->title : ""),
		    " required maxlength=\"100\"");
	field_textarea(r, c, "summary", "做法概述", field_value(r, c, "summary", p ? p->summary : ""),
		       " rows=\"6\" required maxlength=\"5000\"");
	field_textarea(r, c, "steps", "主要步骤（选填）", field_value(r, c, "steps", p ? p->steps : ""),
		       " rows=\"6\" maxlength=\"5000\"");
	field_textarea(r, c, "conditions", "推广条件和适用范围（选填）",
		       field_value(r, c, "conditions", p ? p->conditions : ""), " rows=\"4\" maxlength=\"5000\"");
	claim_choices(r, v, k, n);
	HTML(b, "<button type=\"submit\">保存</button>\n</form>\n");
	page_finish(r, status);
}

/* Whether the reader may write practices at all; 403 otherwise. */
static bool writer_or_respond(struct req *r, int64_t object_id)
{
	if (perm_any(r->who, "practice.write"))
		return true;
	deny(r, "practice.write", "practice", object_id, "permission");
	reply_error(r, 403, "forbidden", "只有管理员和揭榜的主要负责人可以撰写经验做法", NULL);
	return false;
}

void page_practice_new(struct req *r)
{
	struct form_view v = { NULL, 0, NULL };

	if (int_param(r, "claim", INT64_MAX, &v.claim_id, "揭榜编号必须是正整数") < 0 || !writer_or_respond(r, 0))
		return;
	form_page(r, &v, 200);
}

void act_practice_create(struct req *r)
{
	struct form_view v = { NULL, 0, NULL };
	struct practice_in in;
	struct ctx c;
	int64_t id;
	int rc;

	web_ctx(r, &c);
	rc = bind_request(r, &c, practice_fields, &in, NULL);
	if (rc == JB_OK)
		rc = practice_create(&c, &in, &id);
	if (rc == JB_OK) {
		reply_redirect(r, practice_path(r, id, "?done=1"));
	} else if (rc == JB_EINVALID) {
		v.c = &c;
		form_page(r, &v, 400);
	} else {
		outcome_error(r, &c, rc);
	}
}

int practice_writable_or_respond(struct req *r, struct practice *p)
{
	int64_t id;
	int rc;

	if (id_param_or_respond(r, 0, &id) < 0)
		return -1;
	if ((rc = practice_read(r->db, r->a, r->tenant_id, id, p)) < 0) {
		web_store_error(r);
		return -1;
	}
	if (rc) {
		reply_error(r, 404, "not_found", "没有这条经验做法", NULL);
		return -1;
	}
	if (!practice_may_write(r->who, p)) {
		deny(r, "practice.write", "practice", p->id, "permission");
		reply_error(r, 403, "forbidden", "您没有权限修改这条经验做法：只有撰写人和管理员可以修改", NULL);
		return -1;
	}
	return 0;
}

/* The practice to edit: 404, 403 or 409 (no longer a draft) otherwise. */
static int editable_or_respond(struct req *r, struct practice *p)
{
	if (practice_writable_or_respond(r, p) < 0)
		return -1;
	if (p->state != PRACTICE_DRAFT) {
		reply_error(r, 409, "wrong_state",
			    arena_printf(r->a, "这条经验做法现为“%s”，只有草稿才能修改", practice_states[p->state].zh), NULL);
		return -1;
	}
	return 0;
}

void page_practice_edit(struct req *r)
{
	struct practice p;
	struct form_view v = { &p, 0, NULL };

	if (editable_or_respond(r, &p) == 0)
		form_page(r, &v, 200);
}

void act_practice_update(struct req *r)
{
	struct practice p;
	struct form_view v = { &p, 0, NULL };
	struct practice_in in;
	struct ctx c;
	int rc;

	if (practice_writable_or_respond(r, &p) < 0)
		return;
	web_ctx(r, &c);
	rc = bind_request(r, &c, practice_fields, &in, NULL);
	if (rc == JB_OK)
		rc = practice_update(&c, p.id, &in);
	if (rc == JB_OK) {
		reply_redirect(r, practice_path(r, p.id, "?done=1"));
	} else if (rc == JB_EINVALID) {
		v.c = &c;
		form_page(r, &v, 400);
	} else {
		outcome_error(r, &c, rc);
	}
}

/* ---- on the claim page ---- */

void practice_claim_section(struct req *r, const struct claim_detail *d)
{
	bool may = practice_may_write_for(r->who, d->owner_person_id, d->state);
	struct practice *v;
	buf *b = &r->out;
	int n;

	if (practice_list_for_claim(r->db, r->a, r->who, d->id, &v, &n) < 0 || (!n && !may))
		return;
	HTML(b, "<section aria-labelledby=\"practices-h\">\n<h2 id=\"practices-h\">经验做法</h2>\n");
	if (n) {
		HTML(b, "<ul>\n");
		for (int i = 0; i < n; i++) {
			HTML(b, "<li>");
			a_href(r, practice_path(r, v[i].id, ""), v[i].title);
			HTML(b, " ");
			state_badge(b, v[i].state);
			HTML(b, "</li>\n");
		}
		HTML(b, "</ul>\n");
	}
	if (may) {
		HTML(b, "<p>");
		a_href(r, arena_printf(r->a, "/practices/new?claim=%lld", (long long)d->id), "总结经验做法");
		HTML(b, "</p>\n");
	}
	HTML(b, "</section>\n");
}
