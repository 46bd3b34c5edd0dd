/* notice.c - the pages of public notices (公示) and objections (异议): the
 * public list (/notices) and page (/notices/:id, anyone: the items, the
 * period, how many objections were lodged and answered, and the
 * objection form while the notice is open), and the admin's pages
 * (/admin/notices: the list and the batches to notice; /admin/notices/new:
 * the create form; /admin/notices/:id: the objections with their names,
 * contacts and answer forms, and closing). The verbs are in
 * src/api/notice.c. */
#include "web/notice.h"

#include <string.h>

#include "domain/batch.h"
#include "domain/notice.h"
#include "domain/promotion.h"
#include "domain/rubric.h"
#include "util/civil.h"
#include "util/clock.h"
#include "util/text.h"
#include "web/fields.h"
#include "web/web.h"
#include "web/widgets.h"

/* ---- JSON (the API's reads, src/api/notice.c's answers) ---- */

static json_t *str_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static json_t *item_json(const struct notice *n, const struct notice_item *x)
{
	if (strcmp(n->kind, "results"))
		return json_pack("{s:i, s:I, s:s, s:s, s:s, s:s, s:s, s:b}", "position", x->position, "promotion_id",
				 (json_int_t)x->promotion_id, "person", x->person, "unit", x->person_unit, "from_post",
				 x->from_post, "to_post", x->to_post, "kind", x->promotion_kind, "upheld", x->upheld);
	return json_pack("{s:i, s:I, s:I, s:s, s:s, s:s, s:s, s:o, s:o, s:b, s:b}", "position", x->position, "claim_id",
			 (json_int_t)x->claim_id, "problem_id", (json_int_t)x->problem_id, "problem", x->problem_title,
			 "unit", x->unit, "lead", x->lead, "owner", x->owner,
			 "score", json_points(x->score),
			 "grade", str_or_null(x->grade), "final", x->final_at != 0, "upheld", x->upheld);
}

/* The notice as anyone may see it: no objection's name, contact or text. */
static json_t *notice_fields_json(const struct notice *n)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:o, s:I, s:o, s:I, s:I, s:I}", "id",
			 (json_int_t)n->id, "batch_id", (json_int_t)n->batch_id, "batch", n->batch_name, "kind", n->kind,
			 "title", n->title, "body", n->body, "starts_on", n->starts_on, "ends_on", n->ends_on,
			 "working_days", n->working_days, "state", n->state, "outcome", str_or_null(n->outcome),
			 "created_at", (json_int_t)n->created_at, "closed_at",
			 n->closed_at ? json_integer(n->closed_at) : json_null(), "objections", (json_int_t)n->objections,
			 "answered", (json_int_t)n->answered, "upheld", (json_int_t)n->upheld);
}

json_t *notice_json(struct req *r, int64_t id)
{
	struct notice_item *items;
	struct notice n;
	json_t *j, *arr;
	int count;

	if (notice_get(r->db, r->a, r->tenant_id, id, &n) != 0 ||
	    notice_items(r->db, r->a, r->tenant_id, &n, &items, &count) < 0)
		return NULL;
	j = notice_fields_json(&n);
	arr = json_array();
	for (int i = 0; i < count; i++)
		json_array_append_new(arr, item_json(&n, &items[i]));
	json_object_set_new(j, "items", arr);
	return json_pack("{s:o}", "notice", j);
}

static json_t *notices_json(const struct notice *list, int n)
{
	json_t *arr = json_array();

	for (int i = 0; i < n; i++)
		json_array_append_new(arr, notice_fields_json(&list[i]));
	return json_pack("{s:o}", "notices", arr);
}

static void fact(buf *b, const char *term)
{
	HTML(b, "<dt>");
	buf_html(b, term);
	HTML(b, "</dt><dd>");
}

static const char *zh(const struct label *l, const char *code)
{
	const char *s = label_of(l, code);

	return s ? s : code;
}

static int64_t this_year(void)
{
	int64_t y, m, d;

	civil_from_days(civil_local_day(clock_now()), &y, &m, &d);
	return y;
}

static bool tenant_may(struct req *r, const char *action)
{
	struct perm_target t = { r->tenant_id, 0, 0, false };

	return perm_check(r->who, action, &t);
}

static void state_badge(buf *b, const struct notice *n)
{
	HTML(b, "<span class=\"state");
	if (!strcmp(n->state, "open"))
		HTML(b, " state-published");
	HTML(b, "\">");
	buf_html(b, zh(notice_states, n->state));
	HTML(b, "</span>");
}

/* 2025-09-30 至 2025-10-13（5 个工作日） */
static void period_text(buf *b, const struct notice *n)
{
	buf_html(b, n->starts_on);
	HTML(b, " 至 ");
	buf_html(b, n->ends_on);
	buf_printf(b, "（%d 个工作日）", n->working_days);
}

/* The notice's facts, as anyone may see them. */
static void notice_facts(buf *b, const struct notice *n)
{
	HTML(b, "<dl class=\"facts\">\n");
	fact(b, "公示内容");
	buf_html(b, zh(notice_kinds, n->kind));
	HTML(b, "</dd>\n");
	fact(b, "批次");
	buf_html(b, n->batch_name);
	HTML(b, "</dd>\n");
	fact(b, "公示期");
	period_text(b, n);
	HTML(b, "</dd>\n");
	fact(b, "状态");
	state_badge(b, n);
	if (*n->outcome) {
		HTML(b, " ");
		buf_html(b, n->outcome);
	}
	HTML(b, "</dd>\n");
	fact(b, "异议");
	buf_printf(b, "收到 %lld 条，已答复 %lld 条", (long long)n->objections, (long long)n->answered);
	HTML(b, "</dd>\n</dl>\n");
}

static void item_title(buf *b, const struct notice *n, const struct notice_item *x)
{
	if (!strcmp(n->kind, "results"))
		buf_printf(b, "%d. %s", x->position, x->problem_title);
	else
		buf_printf(b, "%d. %s", x->position, x->person);
}

/* The items as a table (cards at phone width); admin: with finality. */
static void items_table(struct req *r, const struct notice *n, const struct notice_item *items, int count, bool admin)
{
	static const struct table_col results[] = { { "序号", 0 }, { "难题", COL_TITLE }, { "揭榜单位", 0 }, { "挂帅领导", 0 },
						    { "主要负责人", 0 }, { "考评得分", 0 }, { "等次", 0 }, { "结果", 0 }, { NULL, 0 } };
	static const struct table_col promotions[] = { { "序号", 0 }, { "姓名", COL_TITLE }, { "单位", 0 }, { "现任职务", 0 },
						       { "拟任职务", 0 }, { "类别", 0 }, { "状态", 0 }, { NULL, 0 } };
	bool res = !strcmp(n->kind, "results");
	struct table t = { .cols = res ? results : promotions, .cls = "board", .caption = "公示事项" };
	buf *b = &r->out;
	char sc[24];

	table_open(b, &t);
	for (int i = 0; i < count; i++) {
		const struct notice_item *x = &items[i];
		table_row(b, &t);
		table_cell(b, &t);
		buf_printf(b, "%d", x->position);
		table_cell(b, &t);
		if (res) {
			a_href(r, arena_printf(r->a, "/problems/%lld", (long long)x->problem_id), x->problem_title);
			table_cell(b, &t);
			buf_html(b, x->unit);
			table_cell(b, &t);
			buf_html(b, *x->lead ? x->lead : "—");
			table_cell(b, &t);
			buf_html(b, *x->owner ? x->owner : "—");
			table_cell(b, &t);
			buf_html(b, x->score >= 0 ? score_format(x->score, sc, sizeof(sc)) : "—");
			table_cell(b, &t);
			buf_html(b, *x->grade ? zh(grades, x->grade) : "—");
		} else {
			buf_html(b, x->person);
			table_cell(b, &t);
			buf_html(b, *x->person_unit ? x->person_unit : "—");
			table_cell(b, &t);
			buf_html(b, *x->from_post ? x->from_post : "—");
			table_cell(b, &t);
			buf_html(b, *x->to_post ? x->to_post : "—");
			table_cell(b, &t);
			buf_html(b, zh(promotion_kinds, x->promotion_kind));
		}
		table_cell(b, &t);
		if (x->final_at)
			HTML(b, "已确定");
		else if (admin && x->upheld)
			HTML(b, "<strong class=\"outcome-bad\">异议成立，待处理</strong>");
		else if (!strcmp(n->state, "open"))
			HTML(b, "公示中");
		else
			buf_puts(b, res ? "未确定" : "公示结束");
	}
	table_close(b, &t);
}

/* Items as the choices of the objection form's "which item" select. */
static const struct label *item_choices(struct req *r, const struct notice *n, const struct notice_item *items,
					int count)
{
	struct label *l = arena_alloc(r->a, sizeof(*l) * (size_t)(count + 1));

	for (int i = 0; i < count; i++) {
		buf b = BUF_INIT;
		item_title(&b, n, &items[i]);
		l[i].code = arena_printf(r->a, "%d", items[i].position);
		l[i].zh = arena_strdup(r->a, b.s);
		buf_release(&b);
	}
	l[count] = (struct label){ NULL, NULL };
	return l;
}

/* The objection section: the rules, the form while lodging is open. */
static void objection_section(struct req *r, const struct notice *n, const struct notice_item *items, int count,
			      const struct ctx *c)
{
	buf *b = &r->out;
	const char *lodged = req_query(r, "lodged");

	HTML(b, "<section aria-labelledby=\"objection\">\n<h2 id=\"objection\">提出异议</h2>\n");
	if (lodged && !c)
		HTML(b, "<p class=\"notice\" role=\"status\">您的异议已提交。县委组织部将核实并通过您留下的联系方式答复。</p>\n");
	HTML(b, "<p>对公示内容有异议的，可以在公示期内实名提出。<strong>异议须署真实姓名并留下联系方式</strong>"
		"（手机号码、固定电话或电子邮箱），写明具体事实和理由；<strong>匿名或内容笼统的异议不予受理</strong>。"
		"异议由县委组织部受理、核实并答复；您的姓名、联系方式和异议内容不公开。干部选拔任用方面的问题也可拨打"
		" 12380 举报电话。</p>\n");
	if (!notice_lodging(n, clock_now())) {
		if (!strcmp(n->state, "open") && strcmp(n->starts_on, batch_date(r->a, clock_now())) > 0)
			buf_printf(b, "<p class=\"empty\">公示自 %s 开始，届时可以提出异议。</p>\n", n->starts_on);
		else
			HTML(b, "<p class=\"empty\">公示期已结束，不再受理异议。</p>\n");
		form_errors(r, c);
		HTML(b, "</section>\n");
		return;
	}
	form_errors(r, c);
	form_open(r, arena_printf(r->a, "/notices/%lld/objections", (long long)n->id));
	field_input(r, c, "text", "name", "真实姓名（必填）", field_value(r, c, "name", ""),
		    " required maxlength=\"30\" autocomplete=\"name\"");
	field_input(r, c, "text", "contact", "联系方式（必填：手机、固定电话或电子邮箱）", field_value(r, c, "contact", ""),
		    " required maxlength=\"60\" autocomplete=\"tel\"");
	field_select(r, c, "position", "针对的事项（选填）", item_choices(r, n, items, count), field_value(r, c, "position", ""),
		     "针对整份公示");
	field_textarea(r, c, "body", "异议内容（10–2000 字，写明事实和理由）", field_value(r, c, "body", ""),
		       " rows=\"6\" required minlength=\"10\" maxlength=\"2000\"");
	pii_notice(r, "您的真实姓名、联系方式和提交时的网络地址", "核实您的异议并答复您", "公示结束后");
	/* The honeypot (domain/notice.h): never shown, so people leave it empty. */
	HTML(b, "<div hidden><label>网站（请勿填写）<input type=\"text\" name=\"website\" value=\"\" tabindex=\"-1\""
		" autocomplete=\"off\"></label></div>\n<button type=\"submit\">提交异议</button>\n</form>\n</section>\n");
}

/* The notice of the route, or an answer (400/404/500) and -1. */
static int notice_or_respond(struct req *r, int64_t id, struct notice *n, struct notice_item **items, int *count)
{
	int rc = notice_get(r->db, r->a, r->tenant_id, id, n);

	if (rc == 0 && notice_items(r->db, r->a, r->tenant_id, n, items, count) == 0)
		return 0;
	if (rc == 1)
		reply_error(r, 404, "not_found", "没有这份公示", NULL);
	else
		web_store_error(r);
	return -1;
}

void notice_public_page(struct req *r, int64_t id, const struct ctx *c, int status)
{
	struct notice_item *items;
	struct notice n;
	int count;
	buf *b = &r->out;

	if (notice_or_respond(r, id, &n, &items, &count) < 0)
		return;
	page_begin(r, n.title, NAV_NOTICES);
	HTML(b, "<p class=\"crumbs\">");
	a_href(r, "/notices", "公示");
	HTML(b, " › 详情</p>\n<h1>");
	buf_html(b, n.title);
	HTML(b, "</h1>\n");
	notice_facts(b, &n);
	if (*n.body)
		html_paragraphs(b, n.body);
	items_table(r, &n, items, count, false);
	objection_section(r, &n, items, count, c);
	if (tenant_may(r, "objection.answer") || tenant_may(r, "notice.manage")) {
		HTML(b, "<p>");
		a_href(r, arena_printf(r->a, "/admin/notices/%lld", (long long)n.id), "管理这份公示（异议与答复）");
		HTML(b, "</p>\n");
	}
	page_finish(r, status);
}

/* GET /notices/:id and GET /api/v1/notices/:id. */
void page_notice(struct req *r)
{
	int64_t id;
	json_t *j;

	if (id_param_or_respond(r, 0, &id) < 0)
		return;
	if (!r->is_api) {
		notice_public_page(r, id, NULL, 200);
		return;
	}
	if ((j = notice_json(r, id)))
		reply_json(r, 200, j);
	else if (notice_get(r->db, r->a, r->tenant_id, id, &(struct notice){ 0 }) == 1)
		reply_error(r, 404, "not_found", "没有这份公示", NULL);
	else
		web_store_error(r);
}

static void notices_table(struct req *r, const struct notice *list, int n, bool admin)
{
	static const struct table_col cols[] = { { "公示", COL_TITLE }, { "内容", 0 }, { "批次", 0 }, { "公示期", 0 },
						 { "状态", 0 }, { "异议", 0 }, { NULL, 0 } };
	struct table t = { .cols = cols, .cls = "board" };
	buf *b = &r->out;

	table_open(b, &t);
	for (int i = 0; i < n; i++) {
		table_row(b, &t);
		table_cell(b, &t);
		a_href(r, arena_printf(r->a, admin ? "/admin/notices/%lld" : "/notices/%lld", (long long)list[i].id), list[i].title);
		table_cell(b, &t);
		buf_html(b, zh(notice_kinds, list[i].kind));
		buf_printf(b, "（%lld 项）", (long long)list[i].items);
		table_cell(b, &t);
		buf_html(b, list[i].batch_name);
		table_cell(b, &t);
		period_text(b, &list[i]);
		table_cell(b, &t);
		state_badge(b, &list[i]);
		if (*list[i].outcome) {
			HTML(b, " ");
			buf_html(b, list[i].outcome);
		}
		table_cell(b, &t);
		buf_printf(b, "%lld 条（已答复 %lld）", (long long)list[i].objections, (long long)list[i].answered);
		if (admin && list[i].objections > list[i].answered)
			buf_printf(b, " <strong class=\"outcome-bad\">%lld 条待答复</strong>", (long long)(list[i].objections - list[i].answered));
	}
	table_close(b, &t);
}

/* GET /notices and GET /api/v1/notices: the tenant's notices, open ones first. */
void page_notices(struct req *r)
{
	struct notice *list;
	int n;
	buf *b = &r->out;

	if (notice_list(r->db, r->a, r->tenant_id, &list, &n) < 0) {
		web_store_error(r);
		return;
	}
	if (r->is_api) {
		reply_json(r, 200, notices_json(list, n));
		return;
	}
	page_begin(r, "公示", NAV_NOTICES);
	HTML(b, "<h1>公示</h1>\n<p>难题破解的验收结果和结果运用（提拔使用）在这里公示。公示期内，任何人都可以实名提出异议。</p>\n");
	if (n)
		notices_table(r, list, n, false);
	else
		HTML(b, "<p class=\"empty\">暂无公示。</p>\n");
	page_end(r);
}

/* ---- the admin's pages ---- */

static bool manage_or_respond(struct req *r, const char *action, int64_t id)
{
	struct perm_target t = { r->tenant_id, 0, 0, false };

	return perm_or_respond(r, action, "notice", id, &t);
}

/* GET /admin/notices: every notice, and each batch's links to notice its results or promotions. */
void page_admin_notices(struct req *r)
{
	struct notice *list;
	struct batch *bs;
	int n, nb;
	buf *b = &r->out;

	if (!manage_or_respond(r, "notice.manage", 0))
		return;
	if (notice_list(r->db, r->a, r->tenant_id, &list, &n) < 0 || batch_list(r->db, r->a, r->tenant_id, &bs, &nb) < 0) {
		web_store_error(r);
		return;
	}
	page_begin(r, "公示管理", NAV_NOTICES);
	HTML(b, "<h1>公示管理</h1>\n<p class=\"actions\">");
	a_href(r, arena_printf(r->a, "/calendar/%lld", (long long)this_year()), "工作日历");
	HTML(b, "</p>\n<h2>发布公示</h2>\n");
	if (!nb)
		HTML(b, "<p class=\"empty\">还没有批次。</p>\n");
	else
		HTML(b, "<ul>\n");
	for (int i = 0; i < nb; i++) {
		HTML(b, "<li>");
		buf_html(b, bs[i].name);
		HTML(b, "：");
		a_href(r, arena_printf(r->a, "/admin/notices/new?batch=%lld&kind=results", (long long)bs[i].id), "公示验收结果");
		HTML(b, " · ");
		a_href(r, arena_printf(r->a, "/admin/notices/new?batch=%lld&kind=promotions", (long long)bs[i].id), "公示提拔使用");
		HTML(b, "</li>\n");
	}
	if (nb)
		HTML(b, "</ul>\n");
	HTML(b, "<h2>全部公示</h2>\n");
	if (n)
		notices_table(r, list, n, true);
	else
		HTML(b, "<p class=\"empty\">还没有发布过公示。</p>\n");
	page_end(r);
}

static void objection_item(struct req *r, const struct notice *n, const struct notice_item *items, int count,
			   const struct objection *o, const struct ctx *c)
{
	buf *b = &r->out;
	bool mine = c && req_form(r, "notice") && o->answered_at == 0 &&
		    strstr(r->path, arena_printf(r->a, "/objections/%lld/", (long long)o->id));

	buf_printf(b, "<article class=\"action-box\" aria-labelledby=\"objection-%lld\">\n<h3 id=\"objection-%lld\">异议 #%lld",
		   (long long)o->id, (long long)o->id, (long long)o->id);
	buf_puts(b, o->answered_at ? "（已答复）" : "（待答复）");
	HTML(b, "</h3>\n<dl class=\"facts\">\n");
	fact(b, "提出人");
	buf_html(b, o->name);
	buf_puts(b, o->user_id ? "（已登录用户）" : "");
	HTML(b, "</dd>\n");
	fact(b, "联系方式");
	buf_html(b, o->contact);
	HTML(b, "</dd>\n");
	fact(b, "针对");
	if (o->position > 0 && o->position <= count) {
		buf tb = BUF_INIT;
		item_title(&tb, n, &items[o->position - 1]);
		buf_html(b, tb.s);
		buf_release(&tb);
	} else {
		HTML(b, "整份公示");
	}
	HTML(b, "</dd>\n");
	fact(b, "提出时间");
	fmt_datetime(b, o->created_at);
	HTML(b, "</dd>\n</dl>\n");
	html_paragraphs(b, o->body);
	if (o->answered_at) {
		HTML(b, "<p><strong>核查结论：");
		buf_html(b, zh(objection_findings, o->finding));
		HTML(b, "</strong></p>\n");
		html_paragraphs(b, o->answer);
		HTML(b, "<p class=\"muted\">答复时间：");
		fmt_datetime(b, o->answered_at);
		HTML(b, " · 答复人：");
		buf_html(b, o->answered_by);
		HTML(b, "</p>\n");
	} else if (r->csrf && tenant_may(r, "objection.answer")) {
		const struct ctx *mc = mine ? c : NULL;
		form_open(r, arena_printf(r->a, "/admin/objections/%lld/answer", (long long)o->id));
		buf_printf(b, "<input type=\"hidden\" name=\"notice\" value=\"%lld\">\n", (long long)n->id);
		field_select(r, mc, "kind", "核查结论", objection_findings, field_value(r, mc, "kind", ""), "请选择");
		field_textarea(r, mc, "answer", "答复内容（2–2000 字，答复一次，不能修改）", field_value(r, mc, "answer", ""),
			       " rows=\"4\" required maxlength=\"2000\"");
		HTML(b, "<button type=\"submit\">提交答复</button>\n</form>\n");
	}
	HTML(b, "</article>\n");
}

static void close_section(struct req *r, const struct notice *n, const struct ctx *c)
{
	buf *b = &r->out;

	if (strcmp(n->state, "open")) {
		HTML(b, "<p>公示已结束：");
		buf_html(b, n->outcome);
		HTML(b, "（");
		fmt_datetime(b, n->closed_at);
		HTML(b, "，");
		buf_html(b, n->closed_by);
		HTML(b, "）。</p>\n");
		return;
	}
	HTML(b, "<h2>结束公示</h2>\n<p>公示期满且每条异议都已答复后，可以结束公示；结束时，没有异议成立的验收结果成为最终结果。"
		"期满后系统也会自动结束没有待答复异议的公示。</p>\n");
	if (r->csrf && tenant_may(r, "notice.manage"))
		html_button_form(r, arena_printf(r->a, "/admin/notices/%lld/close", (long long)n->id), "结束公示", false);
}

void notice_admin_page(struct req *r, int64_t id, const struct ctx *c, int status)
{
	struct notice_item *items;
	struct objection *obj;
	struct notice n;
	int count, nobj;
	buf *b = &r->out;
	const char *held = req_query(r, "held");

	if (!manage_or_respond(r, "objection.answer", id) || notice_or_respond(r, id, &n, &items, &count) < 0)
		return;
	if (notice_objections(r->db, r->a, r->tenant_id, id, &obj, &nobj) < 0) {
		web_store_error(r);
		return;
	}
	page_begin(r, n.title, NAV_NOTICES);
	HTML(b, "<p class=\"crumbs\">");
	a_href(r, "/admin/notices", "公示管理");
	HTML(b, " › 详情</p>\n<h1>");
	buf_html(b, n.title);
	HTML(b, "</h1>\n");
	if (!c && req_query(r, "created"))
		HTML(b, "<p class=\"notice\" role=\"status\">公示已发布，公众可以在公示页面查看并提出异议。</p>\n");
	if (!c && req_query(r, "answered"))
		HTML(b, "<p class=\"notice\" role=\"status\">答复已保存。</p>\n");
	if (!c && req_query(r, "closed")) {
		buf_printf(b, "<p class=\"notice\" role=\"status\">公示已结束，%s 项结果已确定。",
			   req_query(r, "final") ? req_query(r, "final") : "0");
		if (held && strcmp(held, "0")) {
			HTML(b, "<strong>");
			buf_html(b, held);
			HTML(b, " 项因异议成立未确定结果，请核实处理：退回重新考评，或更正后重新公示。</strong>");
		}
		HTML(b, "</p>\n");
	}
	form_errors(r, c); /* a refused answer or close: why, on top */
	HTML(b, "<p>");
	a_href(r, arena_printf(r->a, "/notices/%lld", (long long)n.id), "查看公示页面");
	HTML(b, "</p>\n");
	notice_facts(b, &n);
	items_table(r, &n, items, count, true);
	HTML(b, "<h2>异议（不公开）</h2>\n");
	if (!nobj)
		HTML(b, "<p class=\"empty\">没有收到异议。</p>\n");
	for (int i = 0; i < nobj; i++)
		objection_item(r, &n, items, count, &obj[i], c);
	close_section(r, &n, c);
	page_finish(r, status);
}

/* GET /admin/notices/:id. */
void page_admin_notice(struct req *r)
{
	int64_t id;

	if (id_param_or_respond(r, 0, &id) == 0)
		notice_admin_page(r, id, NULL, 200);
}

void notice_new_page(struct req *r, int64_t batch_id, const char *kind, const struct ctx *c, int status)
{
	bool results = !kind || strcmp(kind, "promotions");
	struct notice_candidate *list;
	struct batch bt;
	int n, rc;
	buf *b = &r->out;
	const char *field = results ? "claim_ids" : "promotion_ids";

	if (!manage_or_respond(r, "notice.manage", 0))
		return;
	rc = batch_get(r->db, r->a, r->tenant_id, batch_id, &bt);
	if (rc == 1) {
		reply_error(r, 404, "not_found", "没有这个批次", "batch");
		return;
	}
	if (rc < 0 || notice_candidates(r->db, r->a, r->tenant_id, batch_id, results ? "results" : "promotions", &list, &n) < 0) {
		web_store_error(r);
		return;
	}
	page_begin(r, "发布公示", NAV_NOTICES);
	HTML(b, "<p class=\"crumbs\">");
	a_href(r, "/admin/notices", "公示管理");
	HTML(b, " › 发布公示</p>\n<h1>发布公示：");
	buf_html(b, bt.name);
	buf_puts(b, results ? " 验收结果" : " 提拔使用");
	HTML(b, "</h1>\n<p>公示期按工作日计算（");
	a_href(r, arena_printf(r->a, "/calendar/%lld", (long long)this_year()), "工作日历");
	HTML(b, "：周末、法定节假日不计，调休上班日计入），开始当天是工作日的算第 1 天。</p>\n");
	form_errors(r, c);
	form_open(r, arena_printf(r->a, "/admin/batches/%lld/notices", (long long)batch_id));
	buf_printf(b, "<input type=\"hidden\" name=\"kind\" value=\"%s\">\n", results ? "results" : "promotions");
	field_input(r, c, "text", "title", "公示标题", field_value(r, c, "title",
		    arena_printf(r->a, "%s%s公示", bt.name, results ? "难题破解验收结果" : "提拔使用情况")),
		    " required maxlength=\"100\"");
	field_textarea(r, c, "body", "公示说明（选填）", field_value(r, c, "body", ""), " rows=\"4\" maxlength=\"5000\"");
	field_input(r, c, "date", "starts_on", "公示开始日期（不填为今天）", field_value(r, c, "starts_on", ""), "");
	field_input(r, c, "number", "working_days", "公示期（工作日）", field_value(r, c, "working_days", "5"),
		    " min=\"1\" max=\"60\" required");
	HTML(b, "<fieldset><legend>");
	buf_puts(b, results ? "公示的验收结果（都不选：本批次尚未公示过的全部已验收结果）" : "公示的提拔使用记录");
	HTML(b, "</legend>\n<div class=\"choices\">\n");
	if (field_error_of(c, field)) {
		HTML(b, "<span class=\"field-error\" role=\"alert\">");
		buf_html(b, field_error_of(c, field)->message);
		HTML(b, "</span>\n");
	}
	if (!n)
		buf_puts(b, results ? "<p class=\"empty\">本批次还没有已验收、尚未确定的结果。</p>\n" : "<p class=\"empty\">还没有提拔使用记录。</p>\n");
	for (int i = 0; i < n; i++) {
		buf_printf(b, "<label class=\"check\"><input type=\"checkbox\" name=\"%s\" value=\"%lld\">", field,
			   (long long)list[i].id);
		buf_html(b, list[i].text);
		if (list[i].noticed)
			HTML(b, "（已公示过）");
		HTML(b, "</label>\n");
	}
	HTML(b, "</div>\n</fieldset>\n<button type=\"submit\">发布公示</button>\n</form>\n");
	page_finish(r, status);
}

/* GET /admin/notices/new?batch=ID&kind=results|promotions. */
void page_notice_new(struct req *r)
{
	const char *v = req_query(r, "batch");
	int64_t batch;

	if (!v || parse_int(v, 1, INT64_MAX, &batch) < 0) {
		reply_error(r, 400, "bad_parameter", "请指定批次（batch=批次编号）", "batch");
		return;
	}
	notice_new_page(r, batch, req_query(r, "kind"), NULL, 200);
}
