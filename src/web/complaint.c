/* complaint.c - the complaint and suggestion pages (投诉建议) and their API:
 * the form anyone may send (/feedback), the lookup by reference number
 * (/feedback/lookup), a signed-in sender's own list (/me/feedback), and the
 * admins' queue and answer form (/admin/feedback). The lists and lookups
 * are one handler each for the page and /api/v1 (r->is_api picks JSON). */
#include "web/web.h"

#include <string.h>

#include "domain/complaint.h"
#include "domain/perm.h"
#include "util/text.h"
#include "web/fields.h"
#include "web/widgets.h"

/* How much of a complaint an answer shows. */
enum view {
	VIEW_PUBLIC,  /* anyone with the reference: no id, name, contact or who answered */
	VIEW_OWNER,   /* its signed-in sender: with the id */
	VIEW_ADMIN,   /* an admin: everything */
};

#define NOT_FOUND "没有找到这个查询编号，请核对后再试（编号形如 TS20270315-7KQ3MZ9P）"

static json_t *complaint_json(const struct complaint *x, enum view v)
{
	json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:o, s:o}", "ref", x->ref, "kind", x->kind, "state",
			      x->answered_at ? "answered" : "open", "subject", x->subject, "body", x->body,
			      "created_at", (json_int_t)x->created_at,
			      "answer", x->answered_at ? json_string(x->answer) : json_null(),
			      "answered_at", x->answered_at ? json_integer(x->answered_at) : json_null());

	if (v >= VIEW_OWNER)
		json_object_set_new(j, "id", json_integer(x->id));
	if (v == VIEW_ADMIN)
		json_object_update_new(j, json_pack("{s:s, s:s, s:o, s:s}", "name", x->name, "contact", x->contact,
						    "sender", *x->sender ? json_string(x->sender) : json_null(),
						    "answered_by", x->answered_by));
	return j;
}

static json_t *page_json(const struct complaint_page *pg, enum view v)
{
	json_t *items = json_array();

	for (int i = 0; i < pg->n; i++)
		json_array_append_new(items, complaint_json(&pg->items[i], v));
	return json_pack("{s:o, s:b}", "items", items, "more", pg->more);
}

/* ?page=N (1 when absent); answers 400 and returns -1 when it is not a page number. */
static int page_or_respond(struct req *r, int64_t *page)
{
	const char *v = req_query(r, "page");

	*page = 1;
	if (v && *v && parse_int(v, 1, 1000000, page) < 0) {
		reply_error(r, 400, "bad_parameter", "页码必须是 1 到 1000000 之间的整数", "page");
		return -1;
	}
	return 0;
}

/* ---- pieces of the pages ---- */

static void state_badge(buf *b, const struct complaint *x)
{
	if (x->answered_at)
		HTML(b, "<span class=\"state state-solved\">已答复</span>");
	else
		HTML(b, "<span class=\"state\">待答复</span>");
}

static void kind_text(buf *b, const struct complaint *x)
{
	const char *zh = label_of(complaint_kinds, x->kind);

	buf_html(b, zh ? zh : x->kind);
}

/* Who sent it, as admins see it. */
static void sender_text(buf *b, const struct complaint *x)
{
	if (x->user_id) {
		buf_html(b, x->sender);
		HTML(b, "（已登录用户）");
	} else if (*x->name) {
		buf_html(b, x->name);
		HTML(b, "（居民）");
	} else {
		HTML(b, "匿名居民");
	}
}

static void fact(buf *b, const char *term)
{
	HTML(b, "<dt>");
	buf_html(b, term);
	HTML(b, "</dt><dd>");
}

/* The facts, the content and the answer of x; section headings at level h
 * (2 or 3). */
static void complaint_body(struct req *r, const struct complaint *x, enum view v, int h)
{
	buf *b = &r->out;

	HTML(b, "<dl class=\"facts\">\n");
	fact(b, "类型");
	kind_text(b, x);
	HTML(b, "</dd>\n");
	fact(b, "状态");
	state_badge(b, x);
	HTML(b, "</dd>\n");
	fact(b, "查询编号");
	HTML(b, "<code>");
	buf_html(b, x->ref);
	HTML(b, "</code></dd>\n");
	if (v == VIEW_ADMIN) {
		fact(b, "提交人");
		sender_text(b, x);
		HTML(b, "</dd>\n");
		fact(b, "联系方式");
		buf_html(b, *x->contact ? x->contact : "—");
		HTML(b, "</dd>\n");
	}
	fact(b, "提交时间");
	fmt_datetime(b, x->created_at);
	HTML(b, "</dd>\n</dl>\n");
	buf_printf(b, "<h%d>内容</h%d>\n", h, h);
	html_paragraphs(b, x->body);
	buf_printf(b, "<h%d>答复</h%d>\n", h, h);
	if (!x->answered_at) {
		HTML(b, "<p class=\"empty\">尚未答复，请耐心等待。</p>\n");
		return;
	}
	html_paragraphs(b, x->answer);
	HTML(b, "<p class=\"muted\">答复时间：");
	fmt_datetime(b, x->answered_at);
	if (v == VIEW_ADMIN) {
		HTML(b, " · 答复人：");
		buf_html(b, x->answered_by);
	}
	HTML(b, "</p>\n");
}

/* ---- sending ---- */

/* The form; c: a refused submission to show again, or NULL. */
static void submit_form(struct req *r, const struct ctx *c)
{
	bool resident = !r->who->user_id;
	buf *b = &r->out;

	HTML(b, "<p>对本平台或难题破解工作有投诉、意见或建议，请在这里提交，管理员会尽快答复。</p>\n");
	if (resident) {
		HTML(b, "<p class=\"muted\">提交后会得到一个查询编号，凭编号可以");
		a_href(r, "/feedback/lookup", "查询答复");
		HTML(b, "。姓名和联系方式可以不填；填写的联系方式只有管理员能看到。</p>\n");
	} else {
		HTML(b, "<p class=\"notice\">您已登录为 <strong>");
		buf_html(b, r->who->login);
		HTML(b, "</strong>，提交后可以在");
		a_href(r, "/me/feedback", "我的投诉建议");
		HTML(b, "中查看答复。</p>\n");
	}
	form_errors(r, c);
	form_open(r, "/feedback");
	field_select(r, c, "kind", "类型", complaint_kinds, field_value(r, c, "kind", ""), "请选择");
	field_input(r, c, "text", "subject", "主题（2–60 字）", field_value(r, c, "subject", ""),
		    " required maxlength=\"60\"");
	field_textarea(r, c, "body", "内容（5–2000 字）", field_value(r, c, "body", ""), " rows=\"8\" required maxlength=\"2000\"");
	if (resident) {
		field_input(r, c, "text", "name", "姓名（选填）", field_value(r, c, "name", ""),
			    " maxlength=\"30\" autocomplete=\"name\"");
		field_input(r, c, "text", "contact", "联系方式（选填，仅管理员可见）", field_value(r, c, "contact", ""),
			    " maxlength=\"60\" autocomplete=\"tel\"");
		pii_notice(r, "您填写的姓名和联系方式（均可不填）", "核实情况、答复您", "答复后");
	}
	/* The honeypot (domain/complaint.h): never shown, so people leave it empty. */
	HTML(b, "<div hidden><label>网站（请勿填写）<input type=\"text\" name=\"website\" value=\"\" tabindex=\"-1\""
		" autocomplete=\"off\"></label></div>\n<button type=\"submit\">提交</button>\n</form>\n");
}

/* The answer to a submission's browser: its reference number, to keep. */
static void sent_page(struct req *r, const struct complaint *x)
{
	const char *lookup = arena_printf(r->a, "/feedback/lookup?ref=%s", x->ref);
	buf *b = &r->out;

	page_begin(r, "提交成功", NAV_NONE);
	HTML(b, "<h1>已收到您的");
	kind_text(b, x);
	HTML(b, "</h1>\n<p class=\"notice\" role=\"status\">您的查询编号是：</p>\n<p class=\"secret\"><code>");
	buf_html(b, x->ref);
	HTML(b, "</code></p>\n<p><strong>请保存此编号，凭编号查询答复。</strong></p>\n<p class=\"actions\">");
	a_href(r, lookup, "查询答复");
	if (r->who->user_id) {
		HTML(b, " ");
		a_href(r, "/me/feedback", "我的投诉建议");
	}
	HTML(b, " ");
	a_href(r, "/feedback", "再提交一条");
	HTML(b, "</p>\n");
	page_end(r);
}

static void form_page(struct req *r, const struct ctx *c, int status)
{
	page_begin(r, "投诉建议", NAV_NONE);
	HTML(&r->out, "<h1>投诉建议</h1>\n");
	submit_form(r, c);
	page_finish(r, status);
}

void page_feedback(struct req *r)
{
	const char *sent = req_query(r, "sent");
	struct complaint x;
	int rc;

	if (sent && *sent) {
		r->no_store = true;
		rc = complaint_get(r->db, r->a, r->tenant_id, sent, &x);
		if (rc < 0) {
			web_store_error(r);
			return;
		}
		if (rc == 0) {
			sent_page(r, &x);
			return;
		}
	}
	form_page(r, NULL, 200);
}

void act_feedback_submit(struct req *r)
{
	struct complaint_in in;
	struct complaint x;
	const char *ref;
	struct ctx c;
	int64_t id;
	int rc;

	web_ctx(r, &c);
	rc = bind_request(r, &c, complaint_fields, &in, NULL);
	if (rc == JB_OK)
		rc = complaint_submit(&c, &in, &id, &ref);
	if (rc == JB_OK && !r->is_api) {
		reply_redirect(r, arena_printf(r->a, "/feedback?sent=%s", ref));
	} else if (rc == JB_OK) {
		r->no_store = true;
		if (complaint_get(r->db, r->a, r->tenant_id, ref, &x) != 0) {
			web_store_error(r);
			return;
		}
		reply_json(r, 201, json_pack("{s:o}", "complaint", complaint_json(&x, r->who->user_id ? VIEW_OWNER : VIEW_PUBLIC)));
	} else if ((rc == JB_EINVALID || rc == JB_ELIMITED) && !r->is_api) {
		if (rc == JB_ELIMITED)
			req_header(r, "Retry-After", arena_printf(r->a, "%lld", (long long)(c.retry_after > 0 ? c.retry_after : 60)));
		form_page(r, &c, rc == JB_EINVALID ? 400 : 429);
	} else {
		outcome_error(r, &c, rc);
	}
}

/* ---- looking up ---- */

/* GET /feedback/lookup?ref= and GET /api/v1/feedback/:ref. */
void page_feedback_lookup(struct req *r)
{
	const char *ref = r->is_api ? r->params[0] : req_query(r, "ref");
	bool asked = ref && *ref;
	struct complaint x;
	struct ctx c;
	buf *b = &r->out;
	int rc = 1;

	r->no_store = true;
	if (asked && (rc = complaint_get(r->db, r->a, r->tenant_id, ref, &x)) < 0) {
		web_store_error(r);
		return;
	}
	if (r->is_api) {
		if (rc)
			reply_error(r, 404, "not_found", NOT_FOUND, NULL);
		else
			reply_json(r, 200, json_pack("{s:o}", "complaint", complaint_json(&x, VIEW_PUBLIC)));
		return;
	}
	web_ctx(r, &c);
	if (asked && rc)
		ctx_fail(&c, JB_ENOTFOUND, "ref", "not_found", NOT_FOUND);
	page_begin(r, "查询答复", NAV_NONE);
	HTML(b, "<h1>查询答复</h1>\n<p>请输入提交投诉建议时得到的查询编号。</p>\n"
		"<form class=\"stack\" method=\"get\" action=\"");
	html_path(b, r, "/feedback/lookup");
	HTML(b, "\">\n");
	field_input(r, &c, "text", "ref", "查询编号", asked ? ref : "",
		    " required maxlength=\"40\" autocomplete=\"off\" spellcheck=\"false\" placeholder=\"如：TS20270315-7KQ3MZ9P\"");
	HTML(b, "<button type=\"submit\">查询</button>\n</form>\n");
	if (asked && rc == 0) {
		HTML(b, "<section aria-labelledby=\"c-h\">\n<h2 id=\"c-h\">");
		buf_html(b, x.subject);
		HTML(b, "</h2>\n");
		complaint_body(r, &x, VIEW_PUBLIC, 3);
		HTML(b, "</section>\n");
	}
	page_finish(r, asked && rc ? 404 : 200);
}

/* ---- the sender's own ---- */

static void pager(struct req *r, const char *path, int64_t page, bool more)
{
	buf *b = &r->out;

	if (page <= 1 && !more)
		return;
	HTML(b, "<nav class=\"pager\" aria-label=\"分页\">");
	if (page > 1)
		a_href(r, arena_printf(r->a, "%s%spage=%lld", path, strchr(path, '?') ? "&" : "?", (long long)(page - 1)),
		     "上一页");
	buf_printf(b, "<span>第 %lld 页</span>", (long long)page);
	if (more)
		a_href(r, arena_printf(r->a, "%s%spage=%lld", path, strchr(path, '?') ? "&" : "?", (long long)(page + 1)),
		     "下一页");
	HTML(b, "</nav>\n");
}

/* GET /me/feedback and GET /api/v1/me/feedback. */
void page_my_feedback(struct req *r)
{
	struct complaint_page pg;
	int64_t page;
	buf *b = &r->out;

	if (page_or_respond(r, &page) < 0)
		return;
	if (complaint_mine(r->db, r->a, r->tenant_id, r->who->user_id, page, &pg) < 0) {
		web_store_error(r);
		return;
	}
	if (r->is_api) {
		reply_json(r, 200, page_json(&pg, VIEW_OWNER));
		return;
	}
	page_begin(r, "我的投诉建议", NAV_NONE);
	HTML(b, "<h1>我的投诉建议</h1>\n<p>");
	a_href(r, "/feedback", "提交新的投诉建议");
	HTML(b, "</p>\n");
	if (!pg.n)
		HTML(b, "<p class=\"empty\">您还没有提交过投诉建议。</p>\n");
	for (int i = 0; i < pg.n; i++) {
		buf_printf(b, "<article aria-labelledby=\"c-%lld\">\n<h2 id=\"c-%lld\">", (long long)pg.items[i].id,
			   (long long)pg.items[i].id);
		buf_html(b, pg.items[i].subject);
		HTML(b, "</h2>\n");
		complaint_body(r, &pg.items[i], VIEW_OWNER, 3);
		HTML(b, "</article>\n");
	}
	pager(r, "/me/feedback", page, pg.more);
	page_end(r);
}

/* ---- the admins' queue ---- */

static bool may_answer_or_respond(struct req *r, int64_t id)
{
	struct perm_target t = { r->tenant_id, 0, 0, false };

	return perm_or_respond(r, "complaint.answer", "complaint", id, &t);
}

/* ?state=open|answered (all when absent); 400 otherwise. */
static int state_or_respond(struct req *r, enum complaint_state *state)
{
	const char *v = req_query(r, "state");

	*state = COMPLAINT_ALL;
	if (!v || !*v)
		return 0;
	if (!strcmp(v, "open"))
		*state = COMPLAINT_OPEN;
	else if (!strcmp(v, "answered"))
		*state = COMPLAINT_ANSWERED;
	else {
		reply_error(r, 400, "bad_parameter", "状态只能是 open（待答复）或 answered（已答复）", "state");
		return -1;
	}
	return 0;
}

static void state_link(struct req *r, const char *path, const char *label, int64_t n, bool current)
{
	buf *b = &r->out;

	HTML(b, "<a href=\"");
	html_path(b, r, path);
	HTML(b, "\"");
	if (current)
		HTML(b, " aria-current=\"page\"><strong");
	HTML(b, ">");
	buf_html(b, label);
	buf_printf(b, "（%lld）", (long long)n);
	if (current)
		HTML(b, "</strong>");
	HTML(b, "</a>");
}

static void queue_table(struct req *r, const struct complaint_page *pg)
{
	buf *b = &r->out;

	HTML(b, "<table class=\"board\">\n<thead><tr><th scope=\"col\">状态</th><th scope=\"col\">主题</th>"
		"<th scope=\"col\">类型</th><th scope=\"col\">提交人</th><th scope=\"col\">提交时间</th></tr></thead>\n<tbody>\n");
	for (int i = 0; i < pg->n; i++) {
		const struct complaint *x = &pg->items[i];
		HTML(b, "<tr><td>");
		state_badge(b, x);
		HTML(b, "</td><td>");
		a_href(r, arena_printf(r->a, "/admin/feedback/%lld", (long long)x->id), x->subject);
		HTML(b, "</td><td>");
		kind_text(b, x);
		HTML(b, "</td><td>");
		sender_text(b, x);
		HTML(b, "</td><td>");
		fmt_datetime(b, x->created_at);
		HTML(b, "</td></tr>\n");
	}
	HTML(b, "</tbody>\n</table>\n");
}

/* GET /admin/feedback and GET /api/v1/admin/feedback (?state=, ?page=). */
void page_feedback_queue(struct req *r)
{
	static const char *const state_query[] = { "", "?state=open", "?state=answered" };
	enum complaint_state state;
	struct complaint_page pg;
	int64_t page;
	buf *b = &r->out;

	if (!may_answer_or_respond(r, 0) || state_or_respond(r, &state) < 0 || page_or_respond(r, &page) < 0)
		return;
	if (complaint_queue(r->db, r->a, r->tenant_id, state, page, &pg) < 0) {
		web_store_error(r);
		return;
	}
	if (r->is_api) {
		json_t *j = page_json(&pg, VIEW_ADMIN);
		json_object_set_new(j, "open", json_integer(pg.open));
		json_object_set_new(j, "answered", json_integer(pg.answered));
		reply_json(r, 200, j);
		return;
	}
	page_begin(r, "投诉建议处理", NAV_FEEDBACK);
	HTML(b, "<h1>投诉建议处理</h1>\n<nav class=\"actions\" aria-label=\"按状态筛选\">");
	state_link(r, "/admin/feedback?state=open", "待答复", pg.open, state == COMPLAINT_OPEN);
	state_link(r, "/admin/feedback?state=answered", "已答复", pg.answered, state == COMPLAINT_ANSWERED);
	state_link(r, "/admin/feedback", "全部", pg.open + pg.answered, state == COMPLAINT_ALL);
	HTML(b, "</nav>\n");
	if (pg.n)
		queue_table(r, &pg);
	else
		HTML(b, "<p class=\"empty\">没有符合条件的投诉建议。</p>\n");
	pager(r, arena_printf(r->a, "/admin/feedback%s", state_query[state]), page, pg.more);
	page_end(r);
}

/* The complaint of route parameter 0, for an admin; answers and returns
 * -1 when there is none (or the caller may not answer complaints). */
static int item_or_respond(struct req *r, struct complaint *x)
{
	int64_t id;
	int rc;

	if (id_param_or_respond(r, 0, &id) < 0 || !may_answer_or_respond(r, id))
		return -1;
	rc = complaint_by_id(r->db, r->a, r->tenant_id, id, x);
	if (rc == 0)
		return 0;
	if (rc < 0)
		web_store_error(r);
	else
		reply_error(r, 404, "not_found", "没有这条投诉建议", NULL);
	return -1;
}

/* The admin's page of x with the answer form; c: a refused answer to show
 * again (what was typed, beside the answer x has now), or NULL. */
static void item_page(struct req *r, const struct complaint *x, const struct ctx *c, int status)
{
	buf *b = &r->out;

	page_begin(r, x->subject, NAV_FEEDBACK);
	HTML(b, "<p class=\"crumbs\">");
	a_href(r, "/admin/feedback", "投诉建议处理");
	HTML(b, " › 详情</p>\n<h1>");
	buf_html(b, x->subject);
	HTML(b, "</h1>\n");
	if (req_query(r, "answered") && !c)
		HTML(b, "<p class=\"notice\" role=\"status\">答复已保存，提交人可以看到。</p>\n");
	complaint_body(r, x, VIEW_ADMIN, 2);
	if (r->csrf) {
		HTML(b, "<h2>");
		buf_puts(b, x->answered_at ? "修改答复" : "答复");
		HTML(b, "</h2>\n");
		form_errors(r, c);
		form_open(r, arena_printf(r->a, "/admin/feedback/%lld", (long long)x->id));
		field_textarea(r, c, "answer", "答复内容（2–2000 字）", field_value(r, c, "answer", x->answer),
			       " rows=\"8\" required maxlength=\"2000\"");
		buf_printf(b, "<input type=\"hidden\" name=\"answered_at\" value=\"%lld\">\n<button type=\"submit\">",
			   (long long)x->answered_at);
		buf_puts(b, x->answered_at ? "保存修改" : "提交答复");
		HTML(b, "</button>\n</form>\n");
	}
	page_finish(r, status);
}

/* GET /admin/feedback/:id and GET /api/v1/admin/feedback/:id. */
void page_feedback_item(struct req *r)
{
	struct complaint x;

	if (item_or_respond(r, &x) < 0)
		return;
	if (r->is_api)
		reply_json(r, 200, json_pack("{s:o}", "complaint", complaint_json(&x, VIEW_ADMIN)));
	else
		item_page(r, &x, NULL, 200);
}

/* POST /admin/feedback/:id and POST /api/v1/feedback/:id/answer. */
void act_feedback_answer(struct req *r)
{
	struct complaint_answer_in in;
	struct complaint x;
	struct ctx c;
	int64_t id;
	int rc;

	if (id_param_or_respond(r, 0, &id) < 0)
		return;
	web_ctx(r, &c);
	rc = bind_request(r, &c, complaint_answer_fields, &in, NULL);
	if (rc == JB_OK)
		rc = complaint_answer(&c, id, &in);
	if (rc == JB_OK && !r->is_api) {
		reply_redirect(r, arena_printf(r->a, "/admin/feedback/%lld?answered=1", (long long)id));
		return;
	}
	if (rc != JB_OK && (r->is_api || (rc != JB_EINVALID && rc != JB_ECONFLICT))) {
		outcome_error(r, &c, rc);
		return;
	}
	/* Answered (API), or refused (page): read it as it is now. */
	if (item_or_respond(r, &x) < 0)
		return;
	if (r->is_api)
		reply_json(r, 200, json_pack("{s:o}", "complaint", complaint_json(&x, VIEW_ADMIN)));
	else
		item_page(r, &x, &c, rc == JB_EINVALID ? 400 : 409);
}
