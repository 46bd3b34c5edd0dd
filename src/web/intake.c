/* intake.c - the intake half of a campaign as pages: proposing (出卷) for
 * signed-in users and residents, one proposal with its screening actions,
 * the screeners' queue with bulk actions and 发榜, 我的出卷 and the
 * notifications. Every change is a verb of domain/proposal.h, screen.h or
 * notify.h; a refused form is shown again with each error beside its field
 * and what was typed kept; a change that succeeds redirects (POST, then
 * GET) to a page that says what happened (?done=...). */
#include "util/clock.h"
#include "web/export.h"
#include "web/web.h"

#include <string.h>
#include <time.h>

#include "domain/batch.h"
#include "domain/notify.h"
#include "domain/proposal.h"
#include "domain/screen.h"
#include "domain/state.h"
#include "domain/transition.h"
#include "domain/user.h"
#include "http/assets.h"
#include "util/text.h"
#include "web/fields.h"
#include "web/supervise.h"
#include "web/widgets.h"

#define SCREEN_PER_PAGE 50
#define PUBLISH_AT_ONCE 100 /* the most screen_list() returns at once (within SCREEN_BULK_MAX) */

/* ---- shared pieces ---- */

/* A state read from the store: its entry, or one with no flags and no
 * label for a value out of range (the schema's CHECK keeps them in). */
static const struct state_info *state_of(int s)
{
	static const struct state_info none = { "", "", 0 };

	return s >= 0 && s < PROBLEM_STATE_COUNT ? &problem_state_info[s] : &none;
}

static const char *id_text(arena *a, int64_t id)
{
	return id ? arena_printf(a, "%lld", (long long)id) : "";
}

/* Named rows (categories, batches, units) as a label table for the
 * selects of fields.h: the code is the id. */
static const struct label *named_choices(arena *a, const struct named *v, int n)
{
	struct label *l = arena_alloc(a, (size_t)(n + 1) * sizeof(*l)); /* zeroed: ends with { NULL } */

	for (int i = 0; i < n; i++)
		l[i] = (struct label){ id_text(a, v[i].id), v[i].name };
	return l;
}

/* Whether word is one of the space-separated words of list. */
static bool word_in(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; p && *p; p += strcspn(p, " "), p += strspn(p, " "))
		if (strcspn(p, " ") == n && !strncmp(p, word, n))
			return true;
	return false;
}

/* The summary on top of a refused form, as form_errors() of fields.h
 * writes it, for a form that shows only the fields named in shown
 * (space-separated): a message about a field the form does not show (the
 * batch when only one is open, say) is said in the summary, not lost. */
static void errors_summary(struct req *r, const struct ctx *c, const char *shown)
{
	buf *b = &r->out;
	int beside = 0;

	if (!c || !c->nerrs)
		return;
	for (int i = 0; i < c->nerrs; i++)
		beside += c->errs[i].field && word_in(shown, c->errs[i].field);
	HTML(b, "<div class=\"form-errors\" role=\"alert\">");
	if (beside)
		buf_printf(b, "<p>提交的内容有 %d 处需要修改，请看下面标出的地方。</p>", beside);
	for (int i = 0; i < c->nerrs; i++) {
		if (c->errs[i].field && word_in(shown, c->errs[i].field))
			continue;
		HTML(b, "<p>");
		buf_html(b, c->errs[i].message);
		HTML(b, "</p>");
	}
	HTML(b, "</div>\n");
}

static void hidden(buf *b, const char *name, const char *value)
{
	HTML(b, "<input type=\"hidden\" name=\"");
	buf_html(b, name);
	HTML(b, "\" value=\"");
	buf_html(b, value);
	HTML(b, "\">");
}

static int64_t query_int(struct req *r, const char *name)
{
	const char *v = req_query(r, name);
	int64_t n = 0;

	return v && parse_int(v, 1, INT64_MAX, &n) == 0 ? n : 0;
}

static const struct transition *transition_of(const char *action)
{
	return action ? transition_find(action) : NULL;
}

/* What a redirect after a change asked to confirm (?done=<what>, with
 * n= problems moved and round= a publication's number), from a fixed
 * list: nothing the query says is shown but numbers. */
static void done_notice(struct req *r)
{
	const char *done = req_query(r, "done");
	const struct transition *t = transition_of(done);
	int64_t n = query_int(r, "n"), round = query_int(r, "round");
	buf *b = &r->out;

	if (!done)
		return;
	HTML(b, "<p class=\"notice\" role=\"status\">");
	if (!strcmp(done, "created"))
		HTML(b, "出卷已提交。组织部门遴选后，入选的难题将发榜公开；结果会通知您。");
	else if (!strcmp(done, "revised"))
		HTML(b, "修改已提交，将重新进入遴选。");
	else if (!strcmp(done, "updated"))
		HTML(b, "类别和优先级已保存。");
	else if (!strcmp(done, "read"))
		HTML(b, "通知已全部标为已读。");
	else if (t && !strcmp(t->action, "publish") && round)
		buf_printf(b, "已发布第 %lld 轮榜单，共 %lld 项难题。", (long long)round, (long long)(n ? n : 1));
	else if (t && n > 1) {
		buf_printf(b, "已对 %lld 项难题执行“", (long long)n);
		buf_html(b, t->zh);
		HTML(b, "”。");
	} else if (t) {
		HTML(b, "已执行“");
		buf_html(b, t->zh);
		HTML(b, "”。");
	} else {
		HTML(b, "已完成。");
	}
	HTML(b, "</p>\n");
}

/* A problem's local path: its public page once on the board, else the
 * proposal page. */
static const char *problem_path(arena *a, int64_t id, bool is_public)
{
	return arena_printf(a, is_public ? "/problems/%lld" : "/proposals/%lld", (long long)id);
}

static void link_to(buf *b, struct req *r, const char *path, const char *text)
{
	HTML(b, "<a href=\"");
	html_path(b, r, path);
	HTML(b, "\">");
	buf_html(b, text);
	HTML(b, "</a>");
}

/* What became of proposal p, in words: 待遴选 / 已入选 / 未入选：理由 /
 * 已合并到 #N 标题 / 已退回补充：理由 — 请修改后重新提交 / 已发榜第N轮. */
static void outcome_words(struct req *r, const struct proposal *p)
{
	const char *reason = p->screen_reason && *p->screen_reason ? p->screen_reason : NULL;
	buf *b = &r->out;

	if (p->state == PROBLEM_PROPOSED && p->returned_at) {
		HTML(b, "<strong>已退回补充</strong>");
		if (reason) {
			HTML(b, "：");
			buf_html(b, reason);
		}
		HTML(b, " — 请修改后重新提交");
	} else if (p->state == PROBLEM_PROPOSED) {
		HTML(b, "待遴选");
	} else if (p->state == PROBLEM_SELECTED) {
		HTML(b, "<strong>已入选</strong>，等待发榜");
	} else if (p->state == PROBLEM_REJECTED || p->state == PROBLEM_WITHDRAWN) {
		buf_html(b, state_of(p->state)->zh);
		if (reason) {
			HTML(b, "：");
			buf_html(b, reason);
		}
	} else if (p->state == PROBLEM_MERGED) {
		HTML(b, "已合并到 ");
		link_to(b, r, problem_path(r->a, p->merged_into, false),
			arena_printf(r->a, "#%lld %s", (long long)p->merged_into, p->merged_title ? p->merged_title : ""));
	} else if (state_of(p->state)->flags & PS_PUBLIC) {
		if (p->round)
			buf_printf(b, "<strong>已发榜第 %lld 轮</strong>（", (long long)p->round);
		else
			HTML(b, "<strong>已发榜</strong>（");
		buf_html(b, state_of(p->state)->zh);
		HTML(b, "） · ");
		link_to(b, r, problem_path(r->a, p->id, true), "查看公开页面");
	} else {
		buf_html(b, state_of(p->state)->zh);
	}
}

/* The tenant's batches open for 征集 now, as choices; *n how many. 0, or
 * -1 having answered. */
static int collecting_batches(struct req *r, const struct label **out, int *n)
{
	struct batch *bs;
	struct named *open;
	int64_t now = clock_now();
	int nb;

	if (batch_list(r->db, r->a, r->tenant_id, &bs, &nb) < 0) {
		web_store_error(r);
		return -1;
	}
	open = arena_alloc(r->a, (size_t)(nb + 1) * sizeof(*open));
	*n = 0;
	for (int i = 0; i < nb; i++)
		if (batch_phase_now(&bs[i], now) == PHASE_COLLECTING)
			open[(*n)++] = (struct named){ bs[i].id, bs[i].name };
	*out = named_choices(r->a, open, *n);
	return 0;
}

/* The tenant's categories as choices by name (the binder's "category"
 * takes a name, so every error about it lands on that one field). */
static int categories_or_respond(struct req *r, const struct label **out)
{
	struct named *cats;
	struct label *l;
	int n;

	if (problem_categories(r->db, r->a, r->tenant_id, &cats, &n) < 0) {
		web_store_error(r);
		return -1;
	}
	l = arena_alloc(r->a, (size_t)(n + 1) * sizeof(*l)); /* zeroed: ends with { NULL } */
	for (int i = 0; i < n; i++)
		l[i] = (struct label){ cats[i].name, cats[i].name };
	*out = l;
	return 0;
}

/* Whether the reader reads others' proposals (some of them: a unit
 * admin its unit's), so links to open proposals are worth offering. */
static bool reads_internal(struct req *r)
{
	return perm_any(r->who, "problem.read_internal") || perm_any(r->who, "problem.screen");
}

/* The similar problems of a title, in the region the script fills as one
 * types (web/propose.js): the same markup either way. asked: a 查重 was
 * asked for, so "none found" is said. Public ones link to their page; open
 * proposals link to theirs for readers of proposals (reads_internal()),
 * else are named only. */
static void similar_region(struct req *r, const struct similar *s, int n, bool asked, const char *title)
{
	buf *b = &r->out;

	HTML(b, "<div class=\"similar\" id=\"similar\" aria-live=\"polite\" data-similar-live>");
	if (asked && (!title || utf8_len(title) < 2))
		HTML(b, "<p>请先输入至少两个字的标题，再查重。</p>");
	else if (asked && !n)
		HTML(b, "<p>没有找到相似的难题。</p>");
	if (n)
		HTML(b, "<p>已有相似的难题，请先看看是否重复：</p><ul>");
	for (int i = 0; i < n; i++) {
		const char *text = arena_printf(r->a, "#%lld %s", (long long)s[i].id, s[i].title);
		HTML(b, "<li>");
		if (s[i].is_public || reads_internal(r))
			link_to(b, r, problem_path(r->a, s[i].id, s[i].is_public), text);
		else
			buf_html(b, text);
		if (s[i].batch && *s[i].batch) {
			HTML(b, " <span class=\"muted\">");
			buf_html(b, s[i].batch);
			HTML(b, "</span>");
		}
		HTML(b, " ");
		html_state_badge(b, state_of(s[i].state)->code);
		HTML(b, "</li>");
	}
	if (n)
		HTML(b, "</ul>");
	HTML(b, "</div>\n");
}

/* The title field of a proposal; v: the stored values (a revision), or
 * NULL. data-similar-title: web/propose.js checks it as one types. */
static void title_field(struct req *r, const struct ctx *c, const struct proposal *v)
{
	field_input(r, c, "text", "title", "难题名称", field_value(r, c, "title", v ? v->title : ""),
		    " required maxlength=\"60\" autocomplete=\"off\" data-similar-title"
		    " placeholder=\"一句话说清问题，如：老旧小区加装电梯难\"");
}

/* Description and category, which every proposal has. */
static void body_fields(struct req *r, const struct ctx *c, const struct label *cats, const struct proposal *v)
{
	field_textarea(r, c, "description", "难题描述", field_value(r, c, "description", v ? v->description : ""),
		       " required maxlength=\"2000\"");
	field_select(r, c, "category", "难题类别", cats, field_value(r, c, "category", v ? v->category : ""),
		     "请选择类别");
}

static void outcome_field(struct req *r, const struct ctx *c, const struct proposal *v)
{
	field_textarea(r, c, "expected_outcome", "预期成效（可选）",
		       field_value(r, c, "expected_outcome", v ? v->expected_outcome : ""), " maxlength=\"2000\"");
	field_check(r, c, "residents_concern", "属于群众急难愁盼事项",
		    c ? req_form(r, "residents_concern") != NULL : v && v->residents_concern);
}

/* <form class="cls" method="post"> to a local path, with the CSRF field. */
static void post_form(struct req *r, const char *cls, const char *path)
{
	buf *b = &r->out;

	HTML(b, "<form class=\"");
	buf_html(b, cls);
	HTML(b, "\" method=\"post\" action=\"");
	html_path(b, r, path);
	HTML(b, "\">");
	html_csrf(r);
}

/* ---- 出卷: GET/POST /propose ---- */

/* The fields the forms show, for errors_summary(). */
#define CORE_SHOWN "title description category expected_outcome"
#define PROPOSE_SHOWN CORE_SHOWN " batch_id residents_concern"
#define PUBLIC_SHOWN CORE_SHOWN " contact_name contact_phone"

/* The 出卷 form. c: the refused or checked submission (values from the
 * request), or NULL; sim: the similar problems a 查重 found. */
static void propose_page(struct req *r, const struct ctx *c, const struct similar *sim, int nsim, bool checked,
			 int status)
{
	const struct label *batches, *cats, *units;
	struct named *uv;
	bool screener = perm_any(r->who, "problem.screen");
	buf *b = &r->out;
	int nb, nu = 0;

	if (collecting_batches(r, &batches, &nb) < 0 || categories_or_respond(r, &cats) < 0)
		return;
	if (user_units(r->db, r->a, r->tenant_id, screener ? 0 : r->who->unit_id, &uv, &nu) < 0) {
		web_store_error(r);
		return;
	}
	if (!screener && !r->who->unit_id)
		nu = 0; /* no unit of one's own: nothing to name */
	units = named_choices(r->a, uv, nu);
	page_begin(r, "出卷", NAV_PROPOSE);
	HTML(b, "<h1>出卷</h1>\n<p class=\"summary\">提出制约发展、困扰群众的难题。组织部门遴选后，入选的难题发榜公开，"
		"由干部揭榜破题。 <a href=\"");
	html_path(b, r, "/me/proposals");
	HTML(b, "\">我的出卷</a></p>\n");
	if (!nb) {
		HTML(b, "<p class=\"notice\">目前没有处于征集阶段的批次，暂时不能出卷。</p>\n");
		page_finish(r, status);
		return;
	}
	errors_summary(r, c, screener && nu ? PROPOSE_SHOWN " unit_id" : PROPOSE_SHOWN);
	HTML(b, "<form class=\"stack\" method=\"post\" action=\"");
	html_path(b, r, "/propose");
	HTML(b, "\" data-similar-src=\"");
	html_path(b, r, "/api/v1/problems/similar");
	if (reads_internal(r))
		HTML(b, "\" data-similar-internal=\"1");
	HTML(b, "\">");
	html_csrf(r);
	HTML(b, "\n");
	title_field(r, c, NULL);
	similar_region(r, sim, nsim, checked, req_form(r, "title"));
	body_fields(r, c, cats, NULL);
	field_select(r, c, "batch_id", "批次（征集中）", batches,
		     field_value(r, c, "batch_id", nb == 1 ? batches[0].code : ""), nb == 1 ? NULL : "请选择批次");
	if (screener && nu) {
		field_select(r, c, "unit_id", "出卷单位", units, field_value(r, c, "unit_id", id_text(r->a, r->who->unit_id)),
			     r->who->unit_id ? NULL : "（本人单位）");
	} else if (nu) {
		HTML(b, "<p class=\"muted\">出卷单位：");
		buf_html(b, units[0].zh);
		HTML(b, "</p>\n");
	}
	outcome_field(r, c, NULL);
	/* 查重 comes first: Enter in a field checks rather than submits. */
	HTML(b, "<div class=\"actions\"><button type=\"submit\" name=\"check\" value=\"1\" class=\"secondary\" formnovalidate>"
		"查重（查找相似难题）</button><button type=\"submit\">提交出卷</button></div>\n</form>\n"
		"<script src=\"/static/propose.js?v=");
	buf_html(b, assets_version("propose.js"));
	HTML(b, "\" defer></script>\n");
	page_finish(r, status);
}

void page_propose(struct req *r)
{
	propose_page(r, NULL, NULL, 0, false, 200);
}

/* 查重 without scripts: the form again, as typed, with the problems whose
 * titles look like the one typed. Nothing is written. */
static void propose_check(struct req *r)
{
	const char *title = req_form(r, "title");
	struct similar *sim = NULL;
	struct ctx c;
	int n = 0;

	web_ctx(r, &c);
	if (title && utf8_len(title) >= 2 && utf8_len(title) <= PROPOSAL_TITLE_MAX &&
	    proposal_similar(r->db, r->a, r->who, title, 0, &sim, &n) < 0) {
		web_store_error(r);
		return;
	}
	propose_page(r, &c, sim, n, true, 200);
}

void act_propose(struct req *r)
{
	struct proposal_in in = { 0 };
	struct ctx c;
	int64_t id = 0;
	int rc;

	if (req_form(r, "check")) {
		propose_check(r);
		return;
	}
	web_ctx(r, &c);
	rc = bind_request(r, &c, proposal_fields, &in, NULL);
	if (rc == JB_OK)
		rc = proposal_create(&c, &in, &id);
	if (rc == JB_OK)
		reply_redirect(r, "/me/proposals?done=created");
	else if (rc == JB_EINVALID || rc == JB_ECONFLICT)
		propose_page(r, &c, NULL, 0, false, rc == JB_EINVALID ? 400 : 409);
	else
		outcome_error(r, &c, rc);
}

/* ---- the residents' form: GET/POST /public/propose ---- */

static void public_thanks(struct req *r)
{
	buf *b = &r->out;

	page_begin(r, "感谢您的出卷", NAV_NONE);
	HTML(b, "<section class=\"thanks\">\n<h1>感谢您反映问题</h1>\n"
		"<p class=\"notice\" role=\"status\">您的出卷已经收到，将由组织部门遴选。入选并发榜之前，它不会公开。</p>\n"
		"<p>如果您留下了电话，工作人员可能与您联系核实情况。</p>\n<p><a href=\"");
	html_path(b, r, "/public/propose");
	HTML(b, "\">再反映一个问题</a> · <a href=\"");
	html_path(b, r, "/");
	HTML(b, "\">查看难题榜单</a></p>\n</section>\n");
	page_end(r);
}

/* The residents' form. c: the refused submission, or NULL. */
static void public_page(struct req *r, const struct ctx *c, int status)
{
	const struct label *batches, *cats;
	buf *b = &r->out;
	int nb;

	if (collecting_batches(r, &batches, &nb) < 0 || categories_or_respond(r, &cats) < 0)
		return;
	page_begin(r, "群众出卷", NAV_NONE);
	HTML(b, "<h1>群众出卷</h1>\n<p class=\"summary\">您可以在这里反映制约发展、困扰群众的难题，无需注册账号。"
		"组织部门遴选后，入选的难题才会发榜公开。</p>\n");
	if (!nb) {
		HTML(b, "<p class=\"notice\">目前没有处于征集阶段的批次，暂时不能出卷。</p>\n");
		page_finish(r, status);
		return;
	}
	errors_summary(r, c, nb > 1 ? PUBLIC_SHOWN " batch_id" : PUBLIC_SHOWN);
	HTML(b, "<form class=\"stack\" method=\"post\" action=\"");
	html_path(b, r, "/public/propose");
	HTML(b, "\">");
	html_csrf(r); /* a signed-in visitor's session sends its token (SENDER) */
	HTML(b, "\n");
	title_field(r, c, NULL);
	body_fields(r, c, cats, NULL);
	field_textarea(r, c, "expected_outcome", "期望解决的效果（可选）", field_value(r, c, "expected_outcome", ""),
		       " maxlength=\"2000\"");
	if (nb > 1)
		field_select(r, c, "batch_id", "批次（征集中）", batches, field_value(r, c, "batch_id", ""), "请选择批次");
	HTML(b, "<fieldset><legend>联系方式（可选）</legend>\n");
	field_input(r, c, "text", "contact_name", "称呼", field_value(r, c, "contact_name", ""),
		    " maxlength=\"20\" autocomplete=\"name\"");
	field_input(r, c, "tel", "contact_phone", "联系电话（仅管理员可见）", field_value(r, c, "contact_phone", ""),
		    " maxlength=\"20\" autocomplete=\"tel\"");
	HTML(b, "</fieldset>\n");
	pii_notice(r, "您填写的称呼和联系电话（均可不填）", "核实您反映的情况，必要时与您联系", "难题办结或来件未被采纳后");
	HTML(b, /* The honeypot: people neither see nor reach it; robots that fill every field do. */
		"<div class=\"hp\" aria-hidden=\"true\"><label>网站（请勿填写）<input type=\"text\" name=\"website\" value=\"\""
		" tabindex=\"-1\" autocomplete=\"off\"></label></div>\n"
		"<button type=\"submit\">提交</button>\n</form>\n");
	page_finish(r, status);
}

void page_public_propose(struct req *r)
{
	if (req_query(r, "sent"))
		public_thanks(r);
	else
		public_page(r, NULL, 200);
}

/* A resident's proposal (the verb makes it one whoever sends it). The
 * route is SENDER: anonymous senders need no token, a cookie session sends
 * its CSRF token as on any change, and every unsafe request from another
 * site's page is refused by its Origin (web_preconditions()). */
void act_public_propose(struct req *r)
{
	struct proposal_in in = { 0 };
	struct ctx c;
	int64_t id = 0;
	int rc;

	web_ctx(r, &c);
	rc = bind_request(r, &c, public_proposal_fields, &in, NULL);
	if (rc == JB_OK)
		rc = proposal_create_public(&c, &in, &id);
	if (rc == JB_OK) {
		reply_redirect(r, "/public/propose?sent=1");
		return;
	}
	if (rc == JB_ELIMITED)
		req_header(r, "Retry-After", arena_printf(r->a, "%lld", (long long)(c.retry_after > 0 ? c.retry_after : 60)));
	if (rc == JB_EINVALID || rc == JB_ECONFLICT || rc == JB_ELIMITED)
		public_page(r, &c, rc == JB_EINVALID ? 400 : rc == JB_ECONFLICT ? 409 : 429);
	else
		outcome_error(r, &c, rc);
}

/* ---- one proposal: GET /proposals/:id and its forms ---- */

/* A refused submission of the proposal page and the form it came from (a
 * transition's action, "screening" or "revise"): its errors and values
 * are shown in that form only. */
struct refused {
	const struct ctx *c;
	const char *form;
};

static const struct ctx *refused_in(const struct refused *x, const char *form)
{
	return x && x->c && x->form && !strcmp(x->form, form) ? x->c : NULL;
}

static struct perm_target proposal_target(struct req *r, const struct proposal *p)
{
	return (struct perm_target){ r->tenant_id, p->unit_id, p->proposer_user_id, false };
}

/* A transition that closes the problem (reject, merge, withdraw) is
 * confirmed first and drawn red. */
static bool closes(const struct transition *t)
{
	return (problem_state_info[t->to].flags & PS_CLOSED) != 0;
}

/* Whether the page offers t on p: the table allows it to the reader, and
 * a proposal already returned is not offered for return again. */
static bool offered(struct req *r, const struct proposal *p, const struct transition *t)
{
	struct perm_target tg = proposal_target(r, p);

	return transition_allowed(r->who, t, p->state, &tg) && !(p->returned_at && !strcmp(t->action, "return"));
}

static const char *transitions_path(struct req *r, int64_t id)
{
	return arena_printf(r->a, "/proposals/%lld/transitions", (long long)id);
}

static void transition_button(struct req *r, const struct transition *t, const char *label)
{
	buf *b = &r->out;

	HTML(b, "<button type=\"submit\"");
	if (closes(t))
		HTML(b, " class=\"danger\"");
	HTML(b, ">");
	buf_html(b, label ? label : t->zh);
	HTML(b, "</button>");
}

/* A transition without fields (入选, 发榜): one button. */
static void transition_plain(struct req *r, const struct proposal *p, const struct transition *t)
{
	post_form(r, "inline", transitions_path(r, p->id));
	hidden(&r->out, "action", t->action);
	transition_button(r, t, NULL);
	HTML(&r->out, "</form>");
}

/* Merging into one of the similar open problems with one click (and the
 * confirmation): a button per problem. */
static void merge_choices(struct req *r, const struct proposal *p, const struct similar *sim, int n)
{
	const struct transition *t = transition_find("merge");
	buf *b = &r->out;
	int shown = 0;

	for (int i = 0; i < n; i++) {
		if (state_of(sim[i].state)->flags & PS_CLOSED)
			continue;
		if (!shown++)
			HTML(b, "<p class=\"muted\">或合并到一项相似的难题：</p>\n<ul class=\"plain choices\">\n");
		HTML(b, "<li>");
		post_form(r, "inline", transitions_path(r, p->id));
		hidden(b, "action", "merge");
		hidden(b, "into", id_text(r->a, sim[i].id));
		transition_button(r, t, arena_printf(r->a, "合并到 #%lld", (long long)sim[i].id));
		HTML(b, "</form> ");
		if (sim[i].is_public)
			link_to(b, r, problem_path(r->a, sim[i].id, true), sim[i].title);
		else
			link_to(b, r, problem_path(r->a, sim[i].id, false), sim[i].title);
		HTML(b, " ");
		html_state_badge(b, state_of(sim[i].state)->code);
		HTML(b, "</li>\n");
	}
	if (shown)
		HTML(b, "</ul>\n");
}

/* A transition with fields (a reason, the problem to merge into), in a
 * box of its own with a heading. c: its refused submission, or NULL. */
static void transition_box(struct req *r, const struct proposal *p, const struct transition *t, const struct ctx *c,
			   const struct similar *sim, int nsim)
{
	buf *b = &r->out;

	HTML(b, "<div class=\"action-box\"><h3>");
	buf_html(b, t->zh);
	HTML(b, "</h3>\n");
	post_form(r, "stack", transitions_path(r, p->id));
	hidden(b, "action", t->action);
	if (t->needs & TR_REASON)
		field_textarea(r, c, "reason",
			       arena_printf(r->a, p->from_resident ? "%s的理由" : "%s的理由（出卷人会看到）", t->zh),
			       field_value(r, c, "reason", ""), " required maxlength=\"500\" rows=\"2\"");
	if (t->needs & TR_INTO)
		field_input(r, c, "number", "into", "合并到（难题编号）", field_value(r, c, "into", ""), " required min=\"1\"");
	transition_button(r, t, NULL);
	HTML(b, "</form>\n");
	if (t->needs & TR_INTO)
		merge_choices(r, p, sim, nsim);
	HTML(b, "</div>\n");
}

static void screening_form(struct req *r, const struct proposal *p, const struct label *cats, const struct ctx *c)
{
	buf *b = &r->out;

	HTML(b, "<div class=\"action-box\"><h3>类别和优先级</h3>\n");
	post_form(r, "stack", arena_printf(r->a, "/proposals/%lld/screening", (long long)p->id));
	field_select(r, c, "category", "难题类别", cats, field_value(r, c, "category", p->category), NULL);
	field_select(r, c, "priority", "优先级", priorities,
		     field_value(r, c, "priority", arena_printf(r->a, "%d", p->priority)), NULL);
	HTML(b, "<button type=\"submit\">保存</button>\n</form>\n</div>\n");
}

/* The screeners' actions on p: what the transition table offers the
 * reader in p's state, and category and priority while it is open. */
static void screening_section(struct req *r, const struct proposal *p, const struct refused *x,
			      const struct label *cats, const struct similar *sim, int nsim)
{
	struct perm_target tg = proposal_target(r, p);
	bool open = !(state_of(p->state)->flags & PS_CLOSED);
	bool any = open && perm_check(r->who, "problem.screen", &tg);
	buf *b = &r->out;

	for (int i = 0; i < problem_transitions_count; i++)
		any = any || offered(r, p, &problem_transitions[i]);
	if (!any || !r->csrf)
		return;
	HTML(b, "<section aria-labelledby=\"act-h\">\n<h2 id=\"act-h\">遴选操作</h2>\n<div class=\"actions\">");
	for (int i = 0; i < problem_transitions_count; i++) {
		const struct transition *t = &problem_transitions[i];
		if (!(t->needs & (TR_REASON | TR_INTO)) && offered(r, p, t))
			transition_plain(r, p, t);
	}
	HTML(b, "</div>\n<div class=\"boxes\">\n");
	for (int i = 0; i < problem_transitions_count; i++) {
		const struct transition *t = &problem_transitions[i];
		if ((t->needs & (TR_REASON | TR_INTO)) && offered(r, p, t))
			transition_box(r, p, t, refused_in(x, t->action), sim, nsim);
	}
	if (open && perm_check(r->who, "problem.screen", &tg))
		screening_form(r, p, cats, refused_in(x, "screening"));
	HTML(b, "</div>\n</section>\n");
}

/* The proposer's form for a proposal returned to them. */
static void revise_section(struct req *r, const struct proposal *p, const struct label *cats, const struct ctx *c)
{
	buf *b = &r->out;

	HTML(b, "<section aria-labelledby=\"revise-h\">\n<h2 id=\"revise-h\">修改后重新提交</h2>\n");
	post_form(r, "stack", arena_printf(r->a, "/proposals/%lld/revise", (long long)p->id));
	HTML(b, "\n");
	title_field(r, c, p);
	body_fields(r, c, cats, p);
	outcome_field(r, c, p);
	HTML(b, "<button type=\"submit\">重新提交</button>\n</form>\n</section>\n");
}

static void fact(buf *b, const char *term, const char *text)
{
	HTML(b, "<dt>");
	buf_html(b, term);
	HTML(b, "</dt><dd>");
	buf_html(b, text && *text ? text : "—");
	HTML(b, "</dd>\n");
}

static void proposal_facts(struct req *r, const struct proposal *p)
{
	const char *prio = label_of(priorities, arena_printf(r->a, "%d", p->priority));
	buf *b = &r->out;

	HTML(b, "<dl class=\"facts\">\n");
	fact(b, "编号", arena_printf(r->a, "#%lld", (long long)p->id));
	HTML(b, "<dt>遴选结果</dt><dd>");
	outcome_words(r, p);
	HTML(b, "</dd>\n");
	fact(b, "批次", p->batch);
	fact(b, "类别", p->category);
	if (p->from_resident) {
		fact(b, "出卷人", "群众来件");
		if (*p->contact_name)
			fact(b, "称呼", p->contact_name);
	} else {
		fact(b, "出卷单位", p->unit);
		fact(b, "出卷人", p->proposer_name);
	}
	if (p->contact_phone && *p->contact_phone)
		fact(b, "联系电话", p->contact_phone);
	fact(b, "优先级", prio);
	HTML(b, "<dt>提交时间</dt><dd>");
	fmt_datetime(b, p->created_at);
	HTML(b, "</dd>\n<dt>最近更新</dt><dd>");
	fmt_datetime(b, p->updated_at);
	HTML(b, "</dd>\n");
	if (p->returned_at) {
		HTML(b, "<dt>退回时间</dt><dd>");
		fmt_datetime(b, p->returned_at);
		HTML(b, "</dd>\n");
	}
	HTML(b, "</dl>\n");
}

static void proposal_badges(buf *b, const struct proposal *p)
{
	HTML(b, "<p class=\"badges\">");
	html_state_badge(b, state_of(p->state)->code);
	if (p->state == PROBLEM_PROPOSED && p->returned_at)
		HTML(b, " <span class=\"flag\">已退回补充</span>");
	if (p->residents_concern)
		HTML(b, " <span class=\"flag\">急难愁盼</span>");
	if (p->from_resident)
		HTML(b, " <span class=\"flag\">群众来件</span>");
	HTML(b, "</p>\n");
}

/* The fields each form of the proposal page shows (errors_summary()). */
static const char *form_shown(const char *form)
{
	if (!strcmp(form, "screening"))
		return "category priority";
	if (!strcmp(form, "revise"))
		return CORE_SHOWN " residents_concern";
	return "reason into"; /* a transition's */
}

/* The proposal page. x: a refused submission to show again, or NULL. */
static void proposal_page(struct req *r, const struct proposal *p, const struct refused *x, int status)
{
	struct perm_target tg = proposal_target(r, p);
	const struct transition *merge = transition_find("merge");
	bool screener = perm_check(r->who, "problem.screen", &tg);
	bool reviser = p->state == PROBLEM_PROPOSED && p->returned_at && p->proposer_user_id == r->who->user_id &&
		       r->who->user_id && r->csrf;
	const struct label *cats = NULL;
	struct similar *sim = NULL;
	buf *b = &r->out;
	int nsim = 0;

	if ((screener || reviser) && categories_or_respond(r, &cats) < 0)
		return;
	if (merge && offered(r, p, merge) && proposal_similar(r->db, r->a, r->who, p->title, p->id, &sim, &nsim) < 0) {
		web_store_error(r);
		return;
	}
	page_begin(r, p->title, screener ? NAV_SCREENING : p->proposer_user_id == r->who->user_id ? NAV_PROPOSE : NAV_NONE);
	HTML(b, "<p class=\"crumbs\">");
	if (reads_internal(r))
		link_to(b, r, "/admin/screening", "遴选");
	else
		link_to(b, r, "/me/proposals", "我的出卷");
	HTML(b, " › 出卷</p>\n<h1>");
	buf_html(b, p->title);
	HTML(b, "</h1>\n");
	proposal_badges(b, p);
	done_notice(r);
	errors_summary(r, x ? x->c : NULL, x && x->form ? form_shown(x->form) : "");
	if (p->is_public) {
		HTML(b, "<p class=\"notice\">本题已发榜公开。");
		link_to(b, r, problem_path(r->a, p->id, true), "查看公开页面");
		HTML(b, "</p>\n");
	}
	HTML(b, "<section aria-labelledby=\"desc-h\">\n<h2 id=\"desc-h\">难题描述</h2>\n");
	html_paragraphs(b, p->description);
	if (p->expected_outcome && *p->expected_outcome) {
		HTML(b, "<h3>预期成效</h3>\n");
		html_paragraphs(b, p->expected_outcome);
	}
	proposal_facts(r, p);
	HTML(b, "</section>\n");
	if (reviser)
		revise_section(r, p, cats, refused_in(x, "revise"));
	screening_section(r, p, x, cats, sim, nsim);
	page_finish(r, status);
}

/* The proposal of route parameter 0 as the reader sees it, or answer and
 * return -1. A page (public_redirect) of a proposal the reader may not see
 * but the board shows redirects there: links to a proposal keep working
 * for everyone once it is published. */
static int proposal_or_respond(struct req *r, struct proposal *p, bool public_redirect)
{
	struct problem_detail pub;
	int64_t id;
	int rc;

	if (id_param_or_respond(r, 0, &id) < 0)
		return -1;
	rc = proposal_get(r->db, r->a, r->who, id, p);
	if (rc == 0)
		return 0;
	if (rc > 0 && public_redirect) {
		rc = problem_get(r->db, r->a, r->tenant_id, id, clock_now(), &pub);
		if (rc == 0) {
			reply_redirect(r, problem_path(r->a, id, true));
			return -1;
		}
	}
	if (rc < 0)
		web_store_error(r);
	else
		reply_error(r, 404, "not_found", "没有这项出卷，或您无权查看", NULL);
	return -1;
}

void page_proposal(struct req *r)
{
	struct proposal p;

	if (proposal_or_respond(r, &p, true) == 0)
		proposal_page(r, &p, NULL, 200);
}

/* A form of the proposal page refused: invalid or conflicting, the page
 * again (read anew: someone may have moved it meanwhile) with the errors
 * in the form they came from; any other result as an error page. */
static void proposal_refused(struct req *r, struct ctx *c, int rc, int64_t id, const char *form)
{
	struct refused x = { c, form };
	struct proposal p;
	int got;

	if (rc != JB_EINVALID && rc != JB_ECONFLICT) {
		outcome_error(r, c, rc);
		return;
	}
	got = proposal_get(r->db, r->a, r->who, id, &p);
	if (got < 0)
		web_store_error(r);
	else if (got > 0)
		reply_error(r, 404, "not_found", "没有这项出卷，或您无权查看", NULL);
	else
		proposal_page(r, &p, &x, rc == JB_EINVALID ? 400 : 409);
}

/* The fields the transition table says t needs (transition.h), missing:
 * said beside them before anything is asked or written. */
static int needs_or_invalid(struct ctx *c, const struct transition *t, const struct transition_in *in)
{
	int rc = JB_OK;

	if (t && (t->needs & TR_REASON) && !(in->reason && *in->reason))
		rc = ctx_invalid(c, "reason", "missing_field", arena_printf(c->a, "请填写%s的理由", t->zh));
	if (t && (t->needs & TR_INTO) && !in->into)
		rc = ctx_invalid(c, "into", "missing_field", "请填写要合并到的难题编号");
	return rc;
}

/* This request's path and query, for a form that posts it again. */
static void self_path(buf *b, struct req *r)
{
	html_path(b, r, r->path);
	for (int i = 0; i < r->nquery; i++) {
		buf_puts(b, i ? "&amp;" : "?");
		buf_url(b, r->query[i].key);
		buf_putc(b, '=');
		buf_url(b, r->query[i].val);
	}
}

/* Whether a transition that closes problems may go on: the form carries
 * confirm=1, or this answers with a page asking first whose red button
 * posts the same fields again with confirm=1 (widgets.h's
 * confirmed_or_ask() posts no fields but its own). subject: what t is
 * applied to; back: where 取消 goes. */
static bool transition_confirmed(struct req *r, const struct transition *t, const struct transition_in *in,
				 const char *subject, const char *back)
{
	const char *confirm = req_form(r, "confirm");
	buf *b = &r->out;

	if (confirm && !strcmp(confirm, "1"))
		return true;
	page_begin(r, t->zh, NAV_SCREENING);
	HTML(b, "<section class=\"confirm\">\n<h1>");
	buf_html(b, t->zh);
	HTML(b, "</h1>\n<p class=\"ask\">确定要对 <strong>");
	buf_html(b, subject);
	HTML(b, "</strong> 执行“");
	buf_html(b, t->zh);
	HTML(b, "”吗？</p>\n");
	if (in->reason && *in->reason) {
		HTML(b, "<p>理由：");
		buf_html(b, in->reason);
		HTML(b, "</p>\n");
	}
	if (in->into)
		buf_printf(b, "<p>合并到：#%lld</p>\n", (long long)in->into);
	HTML(b, "<p>这一步不能撤销。</p>\n<form class=\"actions\" method=\"post\" action=\"");
	self_path(b, r);
	HTML(b, "\">");
	html_csrf(r);
	for (int i = 0; i < r->nform; i++)
		if (strcmp(r->form[i].key, "csrf") && strcmp(r->form[i].key, "confirm"))
			hidden(b, r->form[i].key, r->form[i].val);
	HTML(b, "<input type=\"hidden\" name=\"confirm\" value=\"1\"><button type=\"submit\" class=\"danger solid\">");
	buf_html(b, t->zh);
	HTML(b, "</button> <a class=\"cancel\" href=\"");
	html_path(b, r, back);
	HTML(b, "\">取消</a></form>\n</section>\n");
	page_end(r);
	return false;
}

/* "&n=3&round=2" for the page a transition redirects to. */
static const char *done_args(arena *a, const struct transition_in *in, const struct transition_out *out)
{
	return arena_printf(a, "done=%s&n=%d%s", in->action, out->n,
			    out->round ? arena_printf(a, "&round=%lld", (long long)out->round) : "");
}

void act_proposal_transition(struct req *r)
{
	struct proposal p;
	struct transition_in in = { 0 };
	struct transition_out out = { 0 };
	const struct transition *t;
	struct ctx c;
	int rc;

	if (proposal_or_respond(r, &p, false) < 0)
		return;
	web_ctx(r, &c);
	rc = bind_request(r, &c, transition_fields, &in, NULL);
	t = transition_of(in.action);
	if (rc == JB_OK)
		rc = needs_or_invalid(&c, t, &in);
	if (rc == JB_OK && t && closes(t) && offered(r, &p, t) &&
	    !transition_confirmed(r, t, &in, arena_printf(r->a, "#%lld %s", (long long)p.id, p.title),
				  problem_path(r->a, p.id, false)))
		return;
	if (rc == JB_OK)
		rc = screen_apply(&c, p.id, &in, &out);
	if (rc == JB_OK)
		reply_redirect(r, arena_printf(r->a, "/proposals/%lld?%s", (long long)p.id, done_args(r->a, &in, &out)));
	else
		proposal_refused(r, &c, rc, p.id, t ? t->action : "");
}

void act_proposal_screening(struct req *r)
{
	struct proposal p;
	struct screen_update_in in = { 0 };
	struct ctx c;
	int rc;

	if (proposal_or_respond(r, &p, false) < 0)
		return;
	web_ctx(r, &c);
	rc = bind_request(r, &c, screen_update_fields, &in, NULL);
	if (rc == JB_OK)
		rc = screen_update(&c, p.id, &in);
	if (rc == JB_OK)
		reply_redirect(r, arena_printf(r->a, "/proposals/%lld?done=updated", (long long)p.id));
	else
		proposal_refused(r, &c, rc, p.id, "screening");
}

void act_proposal_revise(struct req *r)
{
	struct proposal p;
	struct proposal_in in = { 0 };
	struct ctx c;
	int rc;

	if (proposal_or_respond(r, &p, false) < 0)
		return;
	web_ctx(r, &c);
	rc = bind_request(r, &c, proposal_fields, &in, NULL);
	if (rc == JB_OK)
		rc = proposal_revise(&c, p.id, &in);
	if (rc == JB_OK)
		reply_redirect(r, "/me/proposals?done=revised");
	else
		proposal_refused(r, &c, rc, p.id, "revise");
}

/* ---- the screeners' queue: GET /admin/screening, POST /admin/screening/bulk ---- */

/* A positive integer query parameter up to max; 0 when absent or empty. */
static int query_id_or_respond(struct req *r, const char *name, int64_t max, const char *msg, int64_t *out)
{
	const char *v = req_query(r, name);

	*out = 0;
	if (!v || !*v)
		return 0;
	if (parse_int(v, 1, max, out) < 0) {
		reply_error(r, 400, "bad_parameter", msg, name);
		return -1;
	}
	return 0;
}

/* The queue's filter from the query string; 400 on bad input. */
static int screen_filter_or_respond(struct req *r, struct screen_filter *f)
{
	const char *state = req_query(r, "state"), *q = req_query(r, "q");

	memset(f, 0, sizeof(*f));
	f->state = -1;
	if (query_id_or_respond(r, "batch", INT64_MAX, "批次编号必须是正整数", &f->batch_id) < 0 ||
	    query_id_or_respond(r, "category", INT64_MAX, "类别编号必须是正整数", &f->category_id) < 0 ||
	    query_id_or_respond(r, "page", 1000000, "页码必须是 1 到 1000000 之间的整数", &f->page) < 0)
		return -1;
	if (state && *state && (f->state = problem_state_of(state)) < 0) {
		reply_error(r, 400, "bad_parameter", "没有这个状态", "state");
		return -1;
	}
	f->returned = req_query(r, "returned") != NULL;
	f->residents = req_query(r, "residents") != NULL;
	if (q) {
		q += strspn(q, " ");
		if (utf8_len(q) > PROPOSAL_TITLE_MAX) {
			reply_error(r, 400, "bad_parameter", "搜索词过长，最多 60 个字", "q");
			return -1;
		}
		f->q = *q ? q : NULL;
	}
	f->page = f->page ? f->page : 1;
	f->per_page = SCREEN_PER_PAGE;
	return 0;
}

/* "/admin/screening?page=N&state=..." for f with another state and page;
 * amp: "&amp;" in HTML, "&" in a Location. Not escaped for HTML beyond
 * that (buf_url leaves nothing that needs it). */
static const char *screen_url(struct req *r, const struct screen_filter *f, int state, int64_t page, const char *amp)
{
	buf b = BUF_INIT;
	const char *s;

	buf_printf(&b, "/admin/screening?page=%lld", (long long)page);
	if (state >= 0) {
		buf_puts(&b, amp);
		buf_puts(&b, "state=");
		buf_url(&b, problem_state_info[state].code);
	}
	if (f->batch_id)
		buf_printf(&b, "%sbatch=%lld", amp, (long long)f->batch_id);
	if (f->category_id)
		buf_printf(&b, "%scategory=%lld", amp, (long long)f->category_id);
	if (f->returned)
		buf_printf(&b, "%sreturned=1", amp);
	if (f->residents)
		buf_printf(&b, "%sresidents=1", amp);
	if (f->q) {
		buf_puts(&b, amp);
		buf_puts(&b, "q=");
		buf_url(&b, f->q);
	}
	s = arena_strdup(r->a, b.s);
	buf_release(&b);
	return s;
}

/* A link whose target screen_url() made (already escaped for HTML). */
static void screen_link(struct req *r, const char *url)
{
	buf_html(&r->out, r->base ? r->base : "");
	buf_puts(&r->out, url); /* percent-encoded with &amp; separators */
}

/* A select of named rows by id, "全部" first. */
static void id_select(buf *b, const char *name, const char *label, const struct named *v, int n, int64_t selected)
{
	HTML(b, "<label>");
	buf_html(b, label);
	HTML(b, "<select name=\"");
	buf_html(b, name);
	HTML(b, "\"><option value=\"\">全部</option>");
	for (int i = 0; i < n; i++) {
		buf_printf(b, "<option value=\"%lld\"%s>", (long long)v[i].id, v[i].id == selected ? " selected" : "");
		buf_html(b, v[i].name);
		HTML(b, "</option>");
	}
	HTML(b, "</select></label>\n");
}

/* The GET form of the queue's filters (the state is the tabs'). 0 or -1. */
static int screen_filters(struct req *r, const struct screen_filter *f)
{
	struct named *batches, *cats;
	buf *b = &r->out;
	int nb, nc;

	if (problem_batches(r->db, r->a, r->tenant_id, &batches, &nb) < 0 ||
	    problem_categories(r->db, r->a, r->tenant_id, &cats, &nc) < 0)
		return -1;
	HTML(b, "<form class=\"filters\" method=\"get\" action=\"");
	html_path(b, r, "/admin/screening");
	HTML(b, "\" role=\"search\">\n");
	if (f->state >= 0)
		hidden(b, "state", problem_state_info[f->state].code);
	HTML(b, "<label class=\"grow\">标题<input type=\"search\" name=\"q\" maxlength=\"60\" value=\"");
	buf_html(b, f->q ? f->q : "");
	HTML(b, "\"></label>\n");
	id_select(b, "batch", "批次", batches, nb, f->batch_id);
	id_select(b, "category", "类别", cats, nc, f->category_id);
	HTML(b, "<label class=\"check\"><input type=\"checkbox\" name=\"returned\" value=\"1\"");
	if (f->returned)
		HTML(b, " checked");
	HTML(b, ">仅退回补充</label>\n<label class=\"check\"><input type=\"checkbox\" name=\"residents\" value=\"1\"");
	if (f->residents)
		HTML(b, " checked");
	HTML(b, ">仅群众来件</label>\n<button type=\"submit\">筛选</button> <a href=\"");
	html_path(b, r, "/admin/screening");
	HTML(b, "\">清除</a>\n</form>\n");
	return 0;
}

static void state_tab(struct req *r, const struct screen_filter *f, int state, const char *label, int64_t n)
{
	buf *b = &r->out;

	HTML(b, "<li><a href=\"");
	screen_link(r, screen_url(r, f, state, 1, "&amp;"));
	HTML(b, "\"");
	if (f->state == state)
		HTML(b, " aria-current=\"page\"");
	HTML(b, ">");
	buf_html(b, label);
	buf_printf(b, " <span class=\"count\">%lld</span></a></li>", (long long)n);
}

/* Tabs by state with their counts (in the filter's batch and category):
 * the open ones together, then the intake states, then any later state
 * that has problems. */
static void state_tabs(struct req *r, const struct screen_filter *f, const struct screen_page *pg)
{
	const unsigned intake = STATE_BIT(PROBLEM_PROPOSED) | STATE_BIT(PROBLEM_SELECTED) | STATE_BIT(PROBLEM_REJECTED) |
				STATE_BIT(PROBLEM_MERGED) | STATE_BIT(PROBLEM_PUBLISHED) | STATE_BIT(PROBLEM_WITHDRAWN);

	HTML(&r->out, "<nav aria-label=\"按状态\"><ul class=\"tabs\">");
	state_tab(r, f, -1, "待处理", pg->by_state[PROBLEM_PROPOSED] + pg->by_state[PROBLEM_SELECTED]);
	for (int s = 0; s < PROBLEM_STATE_COUNT; s++)
		if ((intake & STATE_BIT(s)) || pg->by_state[s])
			state_tab(r, f, s, problem_state_info[s].zh, pg->by_state[s]);
	HTML(&r->out, "</ul></nav>\n");
}

/* Whether the refused bulk request c had id checked. */
static bool was_checked(struct req *r, const struct ctx *c, int64_t id)
{
	const char *v[SCREEN_BULK_MAX], *s;
	int n;

	if (!c)
		return false;
	n = req_form_all(r, "ids", v, SCREEN_BULK_MAX);
	s = id_text(r->a, id);
	for (int i = 0; i < n && i < SCREEN_BULK_MAX; i++)
		if (!strcmp(v[i], s))
			return true;
	return false;
}

static void td(buf *b, const char *label)
{
	HTML(b, "<td data-label=\"");
	buf_html(b, label);
	HTML(b, "\">");
}

static void screen_row(struct req *r, const struct screen_row *x, bool bulk, const struct ctx *c)
{
	const char *prio = x->priority ? label_of(priorities, arena_printf(r->a, "%d", x->priority)) : NULL;
	buf *b = &r->out;

	HTML(b, "<tr>");
	if (bulk) {
		td(b, "选择");
		buf_printf(b, "<label class=\"check\"><input type=\"checkbox\" name=\"ids\" value=\"%lld\"%s>"
			      "<span class=\"vh\">选择 #%lld</span></label></td>",
			   (long long)x->id, was_checked(r, c, x->id) ? " checked" : "", (long long)x->id);
	}
	td(b, "编号");
	buf_printf(b, "%lld</td>", (long long)x->id);
	td(b, "标题");
	link_to(b, r, problem_path(r->a, x->id, false), x->title);
	HTML(b, "</td>");
	td(b, "批次");
	buf_html(b, x->batch);
	HTML(b, "</td>");
	td(b, "类别");
	buf_html(b, x->category);
	HTML(b, "</td>");
	td(b, "出卷");
	if (x->unit && *x->unit)
		buf_html(b, x->unit);
	if (!x->unit || strcmp(x->unit, x->proposer_name)) { /* a unit's own proposal names it once */
		if (x->unit && *x->unit)
			HTML(b, "<br>");
		HTML(b, "<span class=\"muted\">");
		buf_html(b, x->proposer_name);
		HTML(b, "</span>");
	}
	HTML(b, "</td>");
	td(b, "状态");
	html_state_badge(b, state_of(x->state)->code);
	if (x->returned)
		HTML(b, " <span class=\"flag\">已退回补充</span>");
	if (x->from_resident)
		HTML(b, " <span class=\"flag\">群众来件</span>");
	if (x->residents_concern)
		HTML(b, " <span class=\"flag\">急难愁盼</span>");
	if (prio) {
		HTML(b, " <span class=\"flag flag-prio\">");
		buf_html(b, prio);
		HTML(b, "</span>");
	}
	HTML(b, "</td>");
	td(b, "提交时间");
	fmt_date(b, x->created_at);
	HTML(b, "</td></tr>\n");
}

/* The actions of the bulk form: 入选, 不予入选, 发榜 (as the transition
 * table names them), a reason, the button. c: its refused submission. */
static void bulk_controls(struct req *r, const struct ctx *c)
{
	static const char *const codes[] = { "select", "reject", "publish" };
	struct label *acts = arena_alloc(r->a, 4 * sizeof(*acts));
	const struct field_error *e = field_error_of(c, "ids");
	buf *b = &r->out;

	for (int i = 0; i < 3; i++)
		acts[i] = (struct label){ codes[i], transition_find(codes[i])->zh };
	HTML(b, "<fieldset class=\"bulk\"><legend>对选中的难题</legend>\n");
	if (e) {
		HTML(b, "<p class=\"field-error\" id=\"f-ids-err\">");
		buf_html(b, e->message);
		HTML(b, "</p>\n");
	}
	HTML(b, "<div class=\"filters\">");
	field_select(r, c, "action", "操作", acts, field_value(r, c, "action", "select"), NULL);
	field_input(r, c, "text", "reason", "理由（不予入选时必填）", field_value(r, c, "reason", ""), " maxlength=\"500\"");
	HTML(b, "<button type=\"submit\">执行</button></div>\n</fieldset>\n");
}

static void screen_table(struct req *r, const struct screen_filter *f, const struct screen_page *pg, bool bulk,
			 const struct ctx *c)
{
	buf *b = &r->out;

	if (bulk) {
		HTML(b, "<form method=\"post\" action=\"");
		html_path(b, r, "/admin/screening/bulk");
		buf_puts(b, strchr(screen_url(r, f, f->state, f->page, "&amp;"), '?'));
		HTML(b, "\">");
		html_csrf(r);
		HTML(b, "\n");
	}
	HTML(b, "<table class=\"cards screening\">\n<thead><tr>");
	if (bulk)
		HTML(b, "<th scope=\"col\"><span class=\"vh\">选择</span></th>");
	HTML(b, "<th scope=\"col\">编号</th><th scope=\"col\">标题</th><th scope=\"col\">批次</th><th scope=\"col\">类别</th>"
		"<th scope=\"col\">出卷</th><th scope=\"col\">状态</th><th scope=\"col\">提交时间</th></tr></thead>\n<tbody>\n");
	for (int i = 0; i < pg->n; i++)
		screen_row(r, &pg->items[i], bulk, c);
	HTML(b, "</tbody>\n</table>\n");
	if (bulk) {
		bulk_controls(r, c);
		HTML(b, "</form>\n");
	}
}

static void screen_pager(struct req *r, const struct screen_filter *f, int64_t total)
{
	int64_t pages = (total + f->per_page - 1) / f->per_page;
	buf *b = &r->out;

	if (pages <= 1)
		return;
	HTML(b, "<nav class=\"pager\" aria-label=\"分页\">");
	if (f->page > 1) {
		HTML(b, "<a rel=\"prev\" href=\"");
		screen_link(r, screen_url(r, f, f->state, f->page - 1, "&amp;"));
		HTML(b, "\">上一页</a>");
	}
	buf_printf(b, "<span>第 %lld / %lld 页</span>", (long long)f->page, (long long)pages);
	if (f->page < pages) {
		HTML(b, "<a rel=\"next\" href=\"");
		screen_link(r, screen_url(r, f, f->state, f->page + 1, "&amp;"));
		HTML(b, "\">下一页</a>");
	}
	HTML(b, "</nav>\n");
}

/* One batch's 发榜: its selected problems waiting, a button publishing
 * them as the next round, and the rounds so far. 0, 1 nothing to show,
 * -1 store error. */
static int publish_batch(struct req *r, const struct screen_filter *f, const struct batch *bt, bool may)
{
	struct screen_filter sf = { .batch_id = bt->id, .state = PROBLEM_SELECTED, .page = 1, .per_page = PUBLISH_AT_ONCE };
	struct screen_page pg;
	struct publication *rounds;
	buf *b = &r->out;
	int nr;

	if (screen_list(r->db, r->a, r->who, &sf, &pg) != 0 ||
	    publication_list(r->db, r->a, r->tenant_id, bt->id, &rounds, &nr) < 0)
		return -1;
	if (!pg.total && !nr)
		return 1;
	HTML(b, "<div class=\"action-box\"><h3>");
	buf_html(b, bt->name);
	buf_printf(b, "</h3>\n<p>已遴选、待发榜：<strong>%lld</strong> 项</p>\n", (long long)pg.total);
	if (may && pg.n) {
		HTML(b, "<form class=\"inline\" method=\"post\" action=\"");
		html_path(b, r, "/admin/screening/bulk");
		buf_puts(b, strchr(screen_url(r, f, f->state, f->page, "&amp;"), '?'));
		HTML(b, "\">");
		html_csrf(r);
		hidden(b, "action", "publish");
		for (int i = 0; i < pg.n; i++)
			hidden(b, "ids", id_text(r->a, pg.items[i].id));
		buf_printf(b, "<button type=\"submit\">发布本轮（第%d轮）<span class=\"vh\"> ", nr + 1);
		buf_html(b, bt->name);
		HTML(b, "</span></button></form>\n");
		if (pg.total > pg.n)
			buf_printf(b, "<p class=\"muted\">一次发布 %d 项；发布后可再发布其余的。</p>\n", pg.n);
	}
	if (nr) {
		HTML(b, "<ol class=\"rounds\">");
		for (int i = 0; i < nr; i++) {
			buf_printf(b, "<li>第%lld轮 · ", (long long)rounds[i].round);
			fmt_date(b, rounds[i].published_at);
			buf_printf(b, " · %lld 项 · ", (long long)rounds[i].n);
			buf_html(b, rounds[i].actor);
			HTML(b, "</li>");
		}
		HTML(b, "</ol>\n");
	}
	HTML(b, "</div>\n");
	return 0;
}

/* 发榜 by batch (the filter's batch, or every batch). 0 or -1. */
static int publish_section(struct req *r, const struct screen_filter *f, bool may)
{
	struct batch *bs;
	buf *b = &r->out;
	int nb, shown = 0;

	if (batch_list(r->db, r->a, r->tenant_id, &bs, &nb) < 0)
		return -1;
	HTML(b, "<section aria-labelledby=\"pub-h\">\n<h2 id=\"pub-h\">发榜</h2>\n");
	for (int i = 0; i < nb; i++) {
		int rc = f->batch_id && f->batch_id != bs[i].id ? 1 : publish_batch(r, f, &bs[i], may);
		if (rc < 0)
			return -1;
		shown += rc == 0;
	}
	if (!shown)
		HTML(b, "<p class=\"empty\">还没有已遴选、待发榜的难题。</p>\n");
	HTML(b, "</section>\n");
	return 0;
}

/* The queue with filter f. c: a refused bulk submission, or NULL. */
static void screening_page(struct req *r, const struct screen_filter *f, const struct ctx *c, int status)
{
	bool may = perm_any(r->who, "problem.screen") && r->csrf;
	struct screen_page pg;
	buf *b = &r->out;
	int rc;

	rc = screen_list(r->db, r->a, r->who, f, &pg);
	if (rc > 0) {
		deny(r, "problem.read_internal", "problem", 0, "permission");
		reply_error(r, 403, "forbidden", "您没有权限查看遴选", NULL);
		return;
	}
	if (rc < 0) {
		web_store_error(r);
		return;
	}
	page_begin(r, "遴选", NAV_SCREENING);
	HTML(b, "<h1>遴选</h1>\n");
	export_links(r, "screening", false);
	done_notice(r);
	errors_summary(r, c, "action reason ids");
	if (screen_filters(r, f) < 0)
		goto store_error;
	state_tabs(r, f, &pg);
	buf_printf(b, "<p class=\"summary\" role=\"status\">共 <strong>%lld</strong> 项</p>\n", (long long)pg.total);
	if (pg.n)
		screen_table(r, f, &pg, may, c);
	else
		HTML(b, "<p class=\"empty\">没有符合条件的出卷。</p>\n");
	screen_pager(r, f, pg.total);
	if (publish_section(r, f, may) < 0)
		goto store_error;
	page_finish(r, status);
	return;
store_error: /* the page so far is dropped for the error page */
	buf_reset(b);
	web_store_error(r);
}

void page_screening(struct req *r)
{
	struct screen_filter f;

	if (screen_filter_or_respond(r, &f) == 0)
		screening_page(r, &f, NULL, 200);
}

void act_screening_bulk(struct req *r)
{
	struct screen_filter f;
	struct transition_in in = { 0 };
	struct transition_out out = { 0 };
	const struct transition *t;
	struct ctx c;
	int rc;

	if (screen_filter_or_respond(r, &f) < 0)
		return;
	web_ctx(r, &c);
	rc = bind_request(r, &c, bulk_transition_fields, &in, NULL);
	t = transition_of(in.action);
	if (rc == JB_OK)
		rc = needs_or_invalid(&c, t, &in);
	/* Nothing chosen is refused by the verb, without a question first. */
	if (rc == JB_OK && t && closes(t) && in.ids.n && perm_any(r->who, t->perm) &&
	    !transition_confirmed(r, t, &in, arena_printf(r->a, "选中的 %d 项难题", in.ids.n),
				  screen_url(r, &f, f.state, f.page, "&")))
		return;
	if (rc == JB_OK)
		rc = screen_apply_many(&c, &in, &out);
	if (rc == JB_OK)
		reply_redirect(r, arena_printf(r->a, "%s&%s", screen_url(r, &f, f.state, f.page, "&"), done_args(r->a, &in, &out)));
	else if (rc == JB_EINVALID || rc == JB_ECONFLICT)
		screening_page(r, &f, &c, rc == JB_EINVALID ? 400 : 409);
	else
		outcome_error(r, &c, rc);
}

/* ---- 我的出卷: GET /me/proposals ---- */

void page_my_proposals(struct req *r)
{
	struct proposal *ps;
	buf *b = &r->out;
	int n;

	if (proposal_mine(r->db, r->a, r->who, &ps, &n) < 0) {
		web_store_error(r);
		return;
	}
	page_begin(r, "我的出卷", NAV_PROPOSE);
	HTML(b, "<h1>我的出卷</h1>\n");
	done_notice(r);
	HTML(b, "<p class=\"summary\">");
	buf_printf(b, "共 <strong>%d</strong> 项。", n);
	if (perm_any(r->who, "problem.propose")) {
		HTML(b, " ");
		link_to(b, r, "/propose", "出卷");
	}
	HTML(b, "</p>\n");
	if (!n) {
		HTML(b, "<p class=\"empty\">您还没有出卷。</p>\n");
		page_end(r);
		return;
	}
	HTML(b, "<table class=\"cards mine\">\n<thead><tr><th scope=\"col\">编号</th><th scope=\"col\">难题</th>"
		"<th scope=\"col\">批次</th><th scope=\"col\">状态</th><th scope=\"col\">结果</th>"
		"<th scope=\"col\">提交时间</th></tr></thead>\n<tbody>\n");
	for (int i = 0; i < n; i++) {
		const struct proposal *p = &ps[i];
		HTML(b, "<tr>");
		td(b, "编号");
		buf_printf(b, "%lld</td>", (long long)p->id);
		td(b, "难题");
		link_to(b, r, problem_path(r->a, p->id, false), p->title);
		HTML(b, "</td>");
		td(b, "批次");
		buf_html(b, p->batch);
		HTML(b, "</td>");
		td(b, "状态");
		html_state_badge(b, state_of(p->state)->code);
		HTML(b, "</td>");
		td(b, "结果");
		outcome_words(r, p);
		HTML(b, "</td>");
		td(b, "提交时间");
		fmt_date(b, p->created_at);
		HTML(b, "</td></tr>\n");
	}
	HTML(b, "</tbody>\n</table>\n");
	page_end(r);
}

/* ---- notifications: GET /me/notifications and marking them read ---- */

/* Where a notification leads: a problem's public page once it is on the
 * board, else its proposal page; NULL for an object without a page. */
static const char *notification_path(struct req *r, const struct notification *n)
{
	struct proposal p;
	int rc;

	if (!n->object_id)
		return NULL;
	if (!strcmp(n->object_type, "claim"))
		return arena_printf(r->a, "/claims/%lld", (long long)n->object_id);
	if (strcmp(n->object_type, "problem"))
		return NULL;
	rc = proposal_get(r->db, r->a, r->who, n->object_id, &p);
	return problem_path(r->a, n->object_id, rc != 0 || p.is_public);
}

static void notification_item(struct req *r, const struct notification *n)
{
	const char *path = notification_path(r, n);
	buf *b = &r->out;

	if (n->read_at)
		HTML(b, "<li><div class=\"n-head\">");
	else
		HTML(b, "<li class=\"unread\"><div class=\"n-head\">");
	if (!n->read_at) {
		/* Opening it marks it read, then goes to its object. */
		post_form(r, "inline", arena_printf(r->a, "/me/notifications/%lld/read", (long long)n->id));
		HTML(b, "<button type=\"submit\" class=\"link\">");
		buf_html(b, n->title);
		HTML(b, "</button></form><span class=\"flag\">未读</span>");
	} else if (path) {
		link_to(b, r, path, n->title);
	} else {
		buf_html(b, n->title);
	}
	HTML(b, " <time class=\"muted\">");
	fmt_datetime(b, n->created_at);
	HTML(b, "</time></div>\n");
	if (*n->body) {
		HTML(b, "<p>");
		buf_html(b, n->body);
		HTML(b, "</p>");
	}
	HTML(b, "</li>\n");
}

void page_notifications(struct req *r)
{
	struct notification *ns;
	int64_t before = query_int(r, "before"), unread = 0;
	buf *b = &r->out;
	bool more;
	int n;

	if (notify_list(r->db, r->a, r->tenant_id, r->who->user_id, before, &ns, &n, &more) < 0 ||
	    notify_unread(r->db, r->tenant_id, r->who->user_id, &unread) < 0) {
		web_store_error(r);
		return;
	}
	page_begin(r, "通知", NAV_NOTIFICATIONS);
	HTML(b, "<h1>通知</h1>\n");
	done_notice(r);
	buf_printf(b, "<p class=\"summary\">未读 <strong>%lld</strong> 条。</p>\n", (long long)unread);
	digest_section(r);
	if (unread && r->csrf) {
		post_form(r, "inline", "/me/notifications/read");
		HTML(b, "<button type=\"submit\" class=\"secondary\">全部标为已读</button></form>\n");
	}
	if (!n)
		HTML(b, "<p class=\"empty\">没有通知。</p>\n");
	else
		HTML(b, "<ul class=\"notices\">\n");
	for (int i = 0; i < n; i++)
		notification_item(r, &ns[i]);
	if (n)
		HTML(b, "</ul>\n");
	if (more || before) {
		HTML(b, "<nav class=\"pager\" aria-label=\"分页\">");
		if (before)
			link_to(b, r, "/me/notifications", "最新的通知");
		if (more)
			link_to(b, r, arena_printf(r->a, "/me/notifications?before=%lld", (long long)ns[n - 1].id), "更早的通知");
		HTML(b, "</nav>\n");
	}
	page_end(r);
}

void act_notifications_read(struct req *r)
{
	struct ctx c;
	int rc;

	web_ctx(r, &c);
	rc = notify_mark_read(&c, 0);
	if (rc == JB_OK)
		reply_redirect(r, "/me/notifications?done=read");
	else
		outcome_error(r, &c, rc);
}

/* Mark one read, then go to its object (or back to the list). */
void act_notification_read(struct req *r)
{
	struct notification *ns;
	const char *path = NULL;
	struct ctx c;
	int64_t id;
	bool more;
	int n = 0, rc;

	if (id_param_or_respond(r, 0, &id) < 0)
		return;
	/* The one notification: the newest of the reader's older than id + 1. */
	if (id < INT64_MAX && notify_list(r->db, r->a, r->tenant_id, r->who->user_id, id + 1, &ns, &n, &more) < 0) {
		web_store_error(r);
		return;
	}
	web_ctx(r, &c);
	rc = notify_mark_read(&c, id);
	if (rc != JB_OK) {
		outcome_error(r, &c, rc);
		return;
	}
	if (n && ns[0].id == id)
		path = notification_path(r, &ns[0]);
	reply_redirect(r, path ? path : "/me/notifications");
}
