/* supervise.c - the pages and sections of 督办, 延期 and 意见交流
 * (web/supervise.h): the claim's notices and extension requests, a
 * problem's comment thread, the reader's daily digests, and the form
 * pages the verbs show again when a submission is refused. */
#include "web/supervise.h"

#include <string.h>

#include "domain/comment.h"
#include "domain/notify.h"
#include "domain/perm.h"
#include "domain/supervise.h"
#include "util/clock.h"
#include "util/log.h"
#include "web/fields.h"
#include "web/web.h"

const char *back_path(struct req *r, const char *fallback)
{
	const char *v = req_form(r, "back");

	if (!v && r->json) {
		json_t *j = json_object_get(r->json, "back");
		v = json_is_string(j) ? json_string_value(j) : NULL;
	}
	if (!v || v[0] != '/' || v[1] == '/' || v[1] == '\\' || strchr(v, '\\'))
		return fallback;
	return v;
}

/* <input type="hidden" name="back"> with the page the form is on. */
static void back_field(struct req *r, const char *path)
{
	HTML(&r->out, "<input type=\"hidden\" name=\"back\" value=\"");
	buf_html(&r->out, path);
	HTML(&r->out, "\">\n");
}

static void unread_part(struct req *r, const char *what)
{
	log_warn("req=%s %s: %s", r->id, what, db_errmsg(r->db));
	HTML(&r->out, "<p class=\"form-errors\" role=\"alert\">这一部分暂时无法读取，请稍后刷新页面。</p>\n");
}

static void fact(buf *b, const char *term)
{
	HTML(b, "<dt>");
	buf_html(b, term);
	HTML(b, "</dt><dd>");
}

/* ---- notices and requests ---- */

static void supervision_status(buf *b, const struct supervision *s)
{
	if (s->replied_at)
		HTML(b, "<span class=\"state state-solved\">已答复</span>");
	else if (s->overdue)
		HTML(b, "<span class=\"state state-overdue\">逾期未复</span>");
	else
		HTML(b, "<span class=\"state\">待答复</span>");
}

static void reply_form(struct req *r, const struct supervision *s, const struct ctx *c, const char *back)
{
	form_open(r, arena_printf(r->a, "/supervisions/%lld/reply", (long long)s->id));
	back_field(r, back);
	field_textarea(r, c, "reply", arena_printf(r->a, "答复 %s（1–2000 字）", s->number), field_value(r, c, "reply", ""),
		       " rows=\"4\" required maxlength=\"2000\"");
	HTML(&r->out, "<button type=\"submit\">提交答复</button>\n</form>\n");
}

static void supervision_card(struct req *r, const struct supervision *s, bool may_reply, const char *back)
{
	buf *b = &r->out;

	buf_printf(b, "<article class=\"card\" aria-labelledby=\"sup-%lld\">\n<h3 id=\"sup-%lld\">", (long long)s->id,
		   (long long)s->id);
	buf_html(b, s->number);
	HTML(b, " ");
	supervision_status(b, s);
	HTML(b, "</h3>\n<dl class=\"facts\">");
	fact(b, "发出");
	fmt_datetime(b, s->issued_at);
	HTML(b, " · ");
	buf_html(b, s->issued_by);
	HTML(b, "</dd>");
	fact(b, "答复期限");
	fmt_date(b, s->reply_by);
	HTML(b, "</dd></dl>\n<h4>督办事由</h4>\n");
	html_paragraphs(b, s->reason);
	if (s->replied_at) {
		HTML(b, "<h4>答复</h4>\n");
		html_paragraphs(b, s->reply);
		HTML(b, "<p class=\"muted\">");
		buf_html(b, s->replied_by);
		HTML(b, " · ");
		fmt_datetime(b, s->replied_at);
		HTML(b, "</p>\n");
	} else if (may_reply && r->csrf) {
		reply_form(r, s, NULL, back);
	}
	HTML(b, "</article>\n");
}

static void decide_forms(struct req *r, const struct extension *e, const char *back)
{
	buf *b = &r->out;

	HTML(b, "<div class=\"actions\">");
	form_open(r, arena_printf(r->a, "/extensions/%lld/approve", (long long)e->id));
	back_field(r, back);
	HTML(b, "<button type=\"submit\">同意延期</button></form>\n");
	form_open(r, arena_printf(r->a, "/extensions/%lld/refuse", (long long)e->id));
	back_field(r, back);
	field_input(r, NULL, "text", "reason", "不同意的理由", "", " required maxlength=\"2000\"");
	HTML(b, "<button type=\"submit\" class=\"secondary\">不同意</button></form></div>\n");
}

static void extension_card(struct req *r, const struct extension *e, bool may_decide, const char *back)
{
	const char *zh = label_of(extension_states, e->state);
	buf *b = &r->out;

	buf_printf(b, "<article class=\"card\" aria-labelledby=\"ext-%lld\">\n<h3 id=\"ext-%lld\">延期申请：", (long long)e->id,
		   (long long)e->id);
	fmt_date(b, e->old_deadline);
	HTML(b, " → ");
	fmt_date(b, e->new_deadline);
	HTML(b, " <span class=\"state");
	if (!strcmp(e->state, "approved"))
		HTML(b, " state-solved");
	HTML(b, "\">");
	buf_html(b, zh ? zh : e->state);
	HTML(b, "</span></h3>\n<p class=\"muted\">");
	buf_html(b, e->requested_by);
	HTML(b, " 申请于 ");
	fmt_datetime(b, e->requested_at);
	HTML(b, "</p>\n<h4>延期理由</h4>\n");
	html_paragraphs(b, e->reason);
	if (e->decided_at) {
		HTML(b, "<p class=\"muted\">");
		buf_html(b, e->decided_by);
		HTML(b, " 审批于 ");
		fmt_datetime(b, e->decided_at);
		if (*e->decision_reason) {
			HTML(b, "：");
			buf_html(b, e->decision_reason);
		}
		HTML(b, "</p>\n");
	} else if (may_decide && r->csrf) {
		decide_forms(r, e, back);
	}
	HTML(b, "</article>\n");
}

void supervise_section(struct req *r, int64_t claim_id)
{
	struct perm_target all = { r->tenant_id, 0, 0, false };
	int64_t now = clock_now();
	struct supervision *ss;
	struct extension *es;
	struct claim_brief cl;
	const char *back;
	buf *b = &r->out;
	int ns, ne, rc;
	bool ok;

	rc = claim_brief_get(r->db, r->a, r->tenant_id, claim_id, now, &cl);
	if (rc == 0 && supervise_may_read(r->db, r->who, &cl, &ok) < 0)
		rc = -1;
	if (rc == 0 && !ok)
		return;
	if (rc == 0 && (supervision_list(r->db, r->a, r->tenant_id, claim_id, now, &ss, &ns) < 0 ||
			extension_list(r->db, r->a, r->tenant_id, claim_id, &es, &ne) < 0))
		rc = -1;
	if (rc) {
		if (rc < 0)
			unread_part(r, "supervision section");
		return;
	}
	/* Its forms come back here, unless this is a form shown again after a POST. */
	back = strcmp(r->method, "GET") ? "/me/work?done=1" : r->path;
	HTML(b, "<section class=\"supervise\" aria-labelledby=\"sup-h\">\n<h2 id=\"sup-h\">督办与延期</h2>\n");
	all.unit_id = cl.unit_id;
	if (r->csrf && cl.red && perm_check(r->who, "claim.supervise", &all)) {
		HTML(b, "<p class=\"actions\">");
		a_href(r, arena_printf(r->a, "/claims/%lld/supervisions/new", (long long)claim_id), "发出督办单");
		HTML(b, "</p>\n");
	}
	if (r->csrf && cl.deadline && now <= cl.deadline && supervise_may_extend(r->who, &cl)) {
		HTML(b, "<p class=\"actions\">");
		a_href(r, arena_printf(r->a, "/claims/%lld/extend", (long long)claim_id), "申请延期");
		HTML(b, "</p>\n");
	}
	if (!ns && !ne)
		HTML(b, "<p class=\"empty\">没有督办单和延期申请。</p>\n");
	for (int i = 0; i < ns; i++)
		supervision_card(r, &ss[i], supervise_may_reply(r->who, &cl), back);
	for (int i = 0; i < ne; i++)
		extension_card(r, &es[i], perm_check(r->who, "extension.decide", &all), back);
	HTML(b, "</section>\n");
}

/* The claim named by id for a form page: 0, or answered (404, 500). */
static int claim_or_respond(struct req *r, int64_t id, struct claim_brief *cl)
{
	int rc = claim_brief_get(r->db, r->a, r->tenant_id, id, clock_now(), cl);

	if (rc < 0)
		web_store_error(r);
	else if (rc)
		reply_error(r, 404, "not_found", "没有这个揭榜", NULL);
	return rc ? -1 : 0;
}

static void claim_heading(struct req *r, const char *title, const struct claim_brief *cl)
{
	buf *b = &r->out;

	page_begin(r, title, NAV_NONE);
	HTML(b, "<p class=\"crumbs\">");
	a_href(r, "/me/work", "我的工作");
	HTML(b, " › ");
	a_href(r, arena_printf(r->a, "/claims/%lld", (long long)cl->id), cl->title);
	HTML(b, "</p>\n<h1>");
	buf_html(b, title);
	HTML(b, "</h1>\n");
}

void supervise_form_page(struct req *r, int64_t claim_id, const struct ctx *c, int status)
{
	struct claim_brief cl;

	if (claim_or_respond(r, claim_id, &cl) < 0)
		return;
	claim_heading(r, "发出督办单", &cl);
	form_errors(r, c);
	form_open(r, arena_printf(r->a, "/claims/%lld/supervisions", (long long)claim_id));
	back_field(r, back_path(r, r->path));
	field_textarea(r, c, "reason", "督办事由（1–2000 字）", field_value(r, c, "reason", ""),
		       " rows=\"5\" required maxlength=\"2000\"");
	field_input(r, c, "date", "reply_by", "答复期限（须在今天之后）", field_value(r, c, "reply_by", ""), " required");
	HTML(&r->out, "<button type=\"submit\">发出督办单</button>\n</form>\n");
	supervise_section(r, claim_id);
	page_finish(r, status);
}

void extend_form_page(struct req *r, int64_t claim_id, const struct ctx *c, int status)
{
	struct claim_brief cl;
	buf *b = &r->out;

	if (claim_or_respond(r, claim_id, &cl) < 0)
		return;
	claim_heading(r, "申请延期", &cl);
	HTML(b, "<p>现在的完成时限：<strong>");
	if (cl.deadline)
		fmt_date(b, cl.deadline);
	else
		HTML(b, "未定");
	HTML(b, "</strong>。延期申请须在完成时限之前提出，经组织部门同意后生效。</p>\n");
	form_errors(r, c);
	form_open(r, arena_printf(r->a, "/claims/%lld/extend", (long long)claim_id));
	back_field(r, back_path(r, r->path));
	field_input(r, c, "date", "new_deadline", "新的完成时限", field_value(r, c, "new_deadline", ""), " required");
	field_textarea(r, c, "reason", "延期理由（1–2000 字）", field_value(r, c, "reason", ""),
		       " rows=\"5\" required maxlength=\"2000\"");
	HTML(b, "<button type=\"submit\">提交延期申请</button>\n</form>\n");
	supervise_section(r, claim_id);
	page_finish(r, status);
}

void reply_form_page(struct req *r, int64_t id, const struct ctx *c, int status)
{
	int64_t now = clock_now();
	struct supervision s;
	struct claim_brief cl;
	int rc = supervision_get(r->db, r->a, r->tenant_id, id, now, &s);

	if (rc) {
		if (rc < 0)
			web_store_error(r);
		else
			reply_error(r, 404, "not_found", "没有这份督办单", NULL);
		return;
	}
	if (claim_or_respond(r, s.claim_id, &cl) < 0)
		return;
	claim_heading(r, arena_printf(r->a, "答复督办单 %s", s.number), &cl);
	form_errors(r, c);
	HTML(&r->out, "<h2>督办事由</h2>\n");
	html_paragraphs(&r->out, s.reason);
	if (!s.replied_at)
		reply_form(r, &s, c, back_path(r, "/me/work"));
	page_finish(r, status);
}

void decide_form_page(struct req *r, int64_t id, const char *action, const struct ctx *c, int status)
{
	struct claim_brief cl;
	struct extension e;
	int rc = extension_get(r->db, r->a, r->tenant_id, id, &e);
	bool refuse = !strcmp(action, "refuse");

	if (rc) {
		if (rc < 0)
			web_store_error(r);
		else
			reply_error(r, 404, "not_found", "没有这份延期申请", NULL);
		return;
	}
	if (claim_or_respond(r, e.claim_id, &cl) < 0)
		return;
	claim_heading(r, refuse ? "不同意延期" : "同意延期", &cl);
	form_errors(r, c);
	HTML(&r->out, "<h2>延期理由</h2>\n");
	html_paragraphs(&r->out, e.reason);
	form_open(r, arena_printf(r->a, "/extensions/%lld/%s", (long long)id, refuse ? "refuse" : "approve"));
	back_field(r, back_path(r, "/me/work"));
	field_textarea(r, c, "reason", refuse ? "不同意的理由（必填）" : "意见（选填）", field_value(r, c, "reason", ""),
		       refuse ? " rows=\"3\" required maxlength=\"2000\"" : " rows=\"3\" maxlength=\"2000\"");
	HTML(&r->out, "<button type=\"submit\">提交</button>\n</form>\n");
	page_finish(r, status);
}

/* ---- comments ---- */

static void comment_item(struct req *r, const struct comment *k, bool may_remove, const char *back)
{
	buf *b = &r->out;

	buf_printf(b, "<li id=\"comment-%lld\">", (long long)k->id);
	if (k->removed_at) {
		HTML(b, "<p class=\"muted\">此意见已由管理员删除（");
		fmt_datetime(b, k->removed_at);
		HTML(b, "）</p></li>\n");
		return;
	}
	HTML(b, "<p class=\"n-head\"><strong>");
	buf_html(b, k->author);
	HTML(b, "</strong> <time class=\"muted\">");
	fmt_datetime(b, k->created_at);
	HTML(b, "</time>");
	if (k->edited_at)
		HTML(b, " <span class=\"muted\">（已修改）</span>");
	HTML(b, "</p>\n");
	html_paragraphs(b, k->body);
	if (r->csrf && (k->editable || may_remove)) {
		HTML(b, "<div class=\"actions\">");
		if (k->editable)
			a_href(r, arena_printf(r->a, "/comments/%lld/edit", (long long)k->id), "修改");
		if (may_remove) {
			form_open(r, arena_printf(r->a, "/comments/%lld/remove", (long long)k->id));
			back_field(r, back);
			HTML(b, "<button type=\"submit\" class=\"secondary\">删除</button></form>");
		}
		HTML(b, "</div>\n");
	}
	HTML(b, "</li>\n");
}

static void comment_form(struct req *r, int64_t problem_id, const struct ctx *c, const char *back)
{
	form_open(r, arena_printf(r->a, "/problems/%lld/comments", (long long)problem_id));
	back_field(r, back);
	field_textarea(r, c, "body", "发表意见（1–2000 字，仅破题团队、管理员和县领导可见）", field_value(r, c, "body", ""),
		       " rows=\"4\" required maxlength=\"2000\"");
	HTML(&r->out, "<button type=\"submit\">发表意见</button>\n</form>\n");
}

void comment_section(struct req *r, int64_t problem_id)
{
	struct perm_target all = { r->tenant_id, 0, 0, false };
	struct comment *ks;
	buf *b = &r->out;
	bool may_write = false;
	int n, rc;

	rc = comment_list(r->db, r->a, r->who, problem_id, clock_now(), &ks, &n);
	if (rc == JB_EDENIED || rc == JB_ENOTFOUND)
		return;
	if (rc == JB_OK && comment_may(r->db, r->who, problem_id, "comment.write", &may_write) < 0)
		rc = -1;
	if (rc) {
		unread_part(r, "comments");
		return;
	}
	HTML(b, "<section id=\"comments\" class=\"comments\" aria-labelledby=\"cm-h\">\n<h2 id=\"cm-h\">意见交流</h2>\n");
	if (!n)
		HTML(b, "<p class=\"empty\">还没有意见。</p>\n");
	else
		HTML(b, "<ol class=\"notices\">\n");
	for (int i = 0; i < n; i++)
		comment_item(r, &ks[i], perm_check(r->who, "comment.remove", &all), r->path);
	if (n)
		HTML(b, "</ol>\n");
	if (may_write && r->csrf)
		comment_form(r, problem_id, NULL, arena_printf(r->a, "%s#comments", r->path));
	HTML(b, "</section>\n");
}

void comment_form_page(struct req *r, int64_t problem_id, const struct ctx *c, int status)
{
	page_begin(r, "发表意见", NAV_NONE);
	HTML(&r->out, "<p class=\"crumbs\">");
	a_href(r, arena_printf(r->a, "/problems/%lld", (long long)problem_id), "返回难题");
	HTML(&r->out, "</p>\n<h1>发表意见</h1>\n");
	form_errors(r, c);
	comment_form(r, problem_id, c, back_path(r, arena_printf(r->a, "/problems/%lld#comments", (long long)problem_id)));
	page_finish(r, status);
}

void comment_edit_page(struct req *r, int64_t id, const struct ctx *c, int status)
{
	struct comment k;
	int rc = comment_get(r->db, r->a, r->who, id, clock_now(), &k);
	bool ok = false;

	if (rc == 0 && comment_may(r->db, r->who, k.problem_id, "comment.read", &ok) < 0)
		rc = -1;
	if (rc < 0) {
		web_store_error(r);
		return;
	}
	if (rc || !ok) {
		reply_error(r, 404, "not_found", "没有这条意见", NULL);
		return;
	}
	page_begin(r, "修改意见", NAV_NONE);
	HTML(&r->out, "<p class=\"crumbs\">");
	a_href(r, arena_printf(r->a, "/problems/%lld#comments", (long long)k.problem_id), "返回难题");
	HTML(&r->out, "</p>\n<h1>修改意见</h1>\n<p class=\"muted\">意见发表后 15 分钟内可以修改。</p>\n");
	form_errors(r, c);
	form_open(r, arena_printf(r->a, "/comments/%lld/edit", (long long)id));
	back_field(r, back_path(r, arena_printf(r->a, "/problems/%lld#comments", (long long)k.problem_id)));
	field_textarea(r, c, "body", "意见内容（1–2000 字）", field_value(r, c, "body", k.body),
		       " rows=\"5\" required maxlength=\"2000\"");
	HTML(&r->out, "<button type=\"submit\">保存修改</button>\n</form>\n");
	page_finish(r, status);
}

void page_comment_edit(struct req *r)
{
	int64_t id;

	if (id_param_or_respond(r, 0, &id) == 0)
		comment_edit_page(r, id, NULL, 200);
}

void page_refuse_new(struct req *r)
{
	int64_t id;

	if (id_param_or_respond(r, 0, &id) == 0)
		decide_form_page(r, id, "refuse", NULL, 200);
}

void page_supervise_new(struct req *r)
{
	int64_t id;

	if (id_param_or_respond(r, 0, &id) == 0)
		supervise_form_page(r, id, NULL, 200);
}

void page_extend_new(struct req *r)
{
	int64_t id;

	if (id_param_or_respond(r, 0, &id) == 0)
		extend_form_page(r, id, NULL, 200);
}

/* ---- digests ---- */

void digest_section(struct req *r)
{
	struct digest *ds;
	buf *b = &r->out;
	int n;

	if (notify_digests(r->db, r->a, r->tenant_id, r->who->user_id, 7, &ds, &n) < 0) {
		unread_part(r, "digests");
		return;
	}
	if (!n)
		return;
	HTML(b, "<section aria-labelledby=\"dg-h\">\n<h2 id=\"dg-h\">每日摘要</h2>\n<ul class=\"notices\">\n");
	for (int i = 0; i < n; i++) {
		HTML(b, "<li><p class=\"n-head\"><strong>");
		buf_html(b, ds[i].day);
		HTML(b, "</strong></p><p>");
		buf_html(b, ds[i].body);
		HTML(b, "</p></li>\n");
	}
	HTML(b, "</ul>\n</section>\n");
}
