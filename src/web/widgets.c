/* widgets.c - data tables, one-button forms, the confirmation step and
 * the person picker (widgets.h). */
#include "web/widgets.h"

#include <string.h>

#include "domain/claim.h"
#include "domain/pii.h"
#include "domain/problem.h"
#include "http/assets.h"
#include "util/text.h"

/* ---- data tables ---- */

void table_open(buf *b, struct table *t)
{
	HTML(b, "<table class=\"cards");
	if (t->cls) {
		buf_putc(b, ' ');
		buf_html(b, t->cls);
	}
	HTML(b, "\">\n");
	if (t->caption) {
		HTML(b, "<caption>");
		buf_html(b, t->caption);
		HTML(b, "</caption>\n");
	}
	HTML(b, "<thead><tr>");
	for (const struct table_col *c = t->cols; c->label; c++) {
		HTML(b, "<th scope=\"col\">");
		buf_html(b, c->label);
		HTML(b, "</th>");
	}
	HTML(b, "</tr></thead>\n<tbody>\n");
	t->col = 0;
	t->cell = 0;
	t->row = t->foot = false;
}

static void end_cell(buf *b, struct table *t)
{
	if (t->cell == 'd')
		HTML(b, "</td>");
	else if (t->cell == 'h')
		HTML(b, "</th>");
	t->cell = 0;
}

static void end_row(buf *b, struct table *t)
{
	end_cell(b, t);
	if (t->row)
		HTML(b, "</tr>\n");
	t->row = false;
}

void table_row(buf *b, struct table *t)
{
	end_row(b, t);
	HTML(b, "<tr>");
	t->row = true;
	t->col = 0;
}

/* Open the next column's cell: tag "td", or "th" as a row header. */
static void open_cell(buf *b, struct table *t, bool head, const char *cls)
{
	static const struct table_col extra = { "", 0 }; /* more cells than columns: a bug in the caller */
	const struct table_col *c = t->cols[t->col].label ? &t->cols[t->col++] : &extra;
	const char *sep = "";

	end_cell(b, t);
	if (head)
		HTML(b, "<th scope=\"row\"");
	else
		HTML(b, "<td");
	HTML(b, " data-label=\"");
	buf_html(b, c->label);
	HTML(b, "\"");
	if (cls || c->flags) {
		HTML(b, " class=\"");
		if (c->flags & COL_TITLE) {
			HTML(b, "card-title");
			sep = " ";
		}
		if (c->flags & COL_WIDE) {
			buf_puts(b, sep);
			HTML(b, "card-wide");
			sep = " ";
		}
		if (cls) {
			buf_puts(b, sep);
			buf_html(b, cls);
		}
		HTML(b, "\"");
	}
	HTML(b, ">");
	t->cell = head ? 'h' : 'd';
}

void table_cell(buf *b, struct table *t)
{
	open_cell(b, t, false, NULL);
}

void table_cell_class(buf *b, struct table *t, const char *cls)
{
	open_cell(b, t, false, cls);
}

void table_row_head(buf *b, struct table *t)
{
	open_cell(b, t, true, NULL);
}

void table_foot(buf *b, struct table *t)
{
	end_row(b, t);
	HTML(b, "</tbody>\n<tfoot>\n");
	t->foot = true;
}

void table_close(buf *b, struct table *t)
{
	end_row(b, t);
	if (t->foot)
		HTML(b, "</tfoot>\n</table>\n");
	else
		HTML(b, "</tbody>\n</table>\n");
}

/* ---- forms ---- */

void html_button_form(struct req *r, const char *path, const char *label, bool danger)
{
	buf *b = &r->out;

	HTML(b, "<form class=\"inline\" method=\"post\" action=\"");
	html_path(b, r, path);
	HTML(b, "\">");
	html_csrf(r);
	HTML(b, "<button type=\"submit\"");
	if (danger)
		HTML(b, " class=\"danger\"");
	HTML(b, ">");
	buf_html(b, label);
	HTML(b, "</button></form>");
}

static bool ask(struct req *r, const struct confirm *q, bool carry)
{
	const char *confirm = req_form(r, "confirm");
	buf *b = &r->out;

	if (r->is_api || (confirm && !strcmp(confirm, "1")))
		return true;
	page_begin(r, q->title, q->nav);
	HTML(b, "<section class=\"confirm\">\n<h1>");
	buf_html(b, q->title);
	HTML(b, "</h1>\n<p class=\"ask\">");
	buf_html(b, q->ask);
	HTML(b, " <strong>");
	buf_html(b, q->subject);
	HTML(b, "</strong> ");
	buf_html(b, q->ask_end);
	HTML(b, "</p>\n");
	if (q->detail) {
		HTML(b, "<p>");
		buf_html(b, q->detail);
		HTML(b, "</p>\n");
	}
	HTML(b, "<form class=\"actions\" method=\"post\" action=\"");
	html_path(b, r, r->path);
	HTML(b, "\">");
	html_csrf(r);
	if (carry)
		html_form_carry(r, "confirm");
	HTML(b, "<input type=\"hidden\" name=\"confirm\" value=\"1\"><button type=\"submit\" class=\"danger solid\">");
	buf_html(b, q->button);
	HTML(b, "</button> <a class=\"cancel\" href=\"");
	html_path(b, r, q->back);
	HTML(b, "\">取消</a></form>\n</section>\n");
	page_end(r);
	return false;
}

/* The search of v (name) and u (unit id text), either NULL, into q; the
 * parameters' names for the message. */
static int query_of(struct req *r, const char *v, const char *u, const char *qname, const char *unitname,
		    struct person_query *q)
{
	size_t n;

	*q = (struct person_query){ "", 0, false };
	if (v) {
		v += strspn(v, " ");
		n = strlen(v);
		while (n && v[n - 1] == ' ')
			n--;
		q->q = arena_strndup(r->a, v, n);
	}
	if (utf8_len(q->q) > PERSON_QUERY_MAX) {
		reply_error(r, 400, "bad_parameter", arena_printf(r->a, "姓名最多 %d 个字", PERSON_QUERY_MAX), qname);
		return -1;
	}
	if (u && *u && parse_int(u, 1, INT64_MAX, &q->unit_id) < 0) {
		reply_error(r, 400, "bad_parameter", "单位编号必须是正整数", unitname);
		return -1;
	}
	return 0;
}

bool confirmed_or_ask(struct req *r, const struct confirm *q)
{
	return ask(r, q, false);
}

bool confirmed_or_ask_keeping(struct req *r, const struct confirm *q)
{
	return ask(r, q, true);
}

int person_query_or_respond(struct req *r, const char *qname, const char *unitname, struct person_query *q)
{
	return query_of(r, req_query(r, qname), req_query(r, unitname), qname, unitname, q);
}

/* ---- claims ---- */

void html_light(buf *b, int light)
{
	if (light <= LIGHT_NONE || light > LIGHT_AWAITING)
		return;
	HTML(b, "<span class=\"light light-");
	buf_html(b, lights[light].code);
	HTML(b, "\"><span class=\"dot\" aria-hidden=\"true\"></span>");
	buf_html(b, lights[light].zh);
	HTML(b, "</span>");
}

void html_completion(buf *b, int pct)
{
	if (pct < 0) {
		HTML(b, "—");
		return;
	}
	if (pct > 100)
		pct = 100;
	buf_printf(b, "<span class=\"completion\"><meter min=\"0\" max=\"100\" value=\"%d\" aria-label=\"完成率\">%d%%</meter>"
		      " %d%%</span>", pct, pct, pct);
}

/* ---- the person picker ---- */

int picker_load_or_respond(struct req *r, struct picker *p)
{
	const char *qname = arena_printf(r->a, "%s_q", p->field), *uname = arena_printf(r->a, "%s_unit", p->field);
	struct ctx c;
	int rc;

	const char *v = p->in_form ? req_form(r, qname) : req_query(r, qname);
	const char *u = p->in_form ? req_form(r, uname) : req_query(r, uname);

	p->hits.n = 0;
	p->hits.more = false;
	if (query_of(r, v, u, qname, uname, &p->query) < 0)
		return -1;
	p->query.pick = p->pick;
	p->searched = p->in_form ? (*p->query.q || p->query.unit_id) : (v || u);
	if (!p->searched)
		return 0;
	web_ctx(r, &c);
	if ((rc = person_search(&c, &p->query, &p->hits)) != JB_OK) {
		outcome_error(r, &c, rc);
		return -1;
	}
	return 0;
}

/* One choice: a radio button with the person's name, unit and title. */
static void person_choice(buf *b, const char *field, const struct person *x, bool checked, const char *note)
{
	HTML(b, "<label class=\"check\"><input type=\"radio\" name=\"");
	buf_html(b, field);
	buf_printf(b, "\" value=\"%lld\"%s><span>", (long long)x->id, checked ? " checked" : "");
	buf_html(b, x->name);
	HTML(b, " <span class=\"muted\">· ");
	buf_html(b, x->unit);
	if (*x->title) {
		HTML(b, " · ");
		buf_html(b, x->title);
	}
	buf_html(b, note);
	HTML(b, "</span></span></label>\n");
}

static void picker_status(buf *b, const struct picker *p)
{
	if (!p->searched)
		HTML(b, "输入姓名或选择单位，再点“查找”。");
	else if (!p->hits.n)
		HTML(b, "没有找到符合条件的人员。");
	else if (p->hits.more)
		buf_printf(b, "符合条件的人员超过 %d 人，只列出前 %d 人；请输入更完整的姓名或选择单位。",
			   PERSON_SEARCH_LIMIT, PERSON_SEARCH_LIMIT);
	else
		buf_printf(b, "找到 %d 人。", p->hits.n);
}

/* form="<field>-search" for a search field of a picker outside its form. */
static void search_form_attr(buf *b, const struct picker *p)
{
	if (p->in_form)
		return;
	HTML(b, "\" form=\"");
	buf_html(b, p->field);
	HTML(b, "-search");
}

static void picker_search(struct req *r, const struct picker *p)
{
	buf *b = &r->out;

	HTML(b, "<div class=\"filters\"><label>姓名<input type=\"search\" name=\"");
	buf_html(b, p->field);
	HTML(b, "_q");
	search_form_attr(b, p);
	buf_printf(b, "\" maxlength=\"%d\" autocomplete=\"off\" data-picker-q value=\"", PERSON_QUERY_MAX);
	buf_html(b, p->query.q);
	HTML(b, "\"></label>\n<label>所在单位<select name=\"");
	buf_html(b, p->field);
	HTML(b, "_unit");
	search_form_attr(b, p);
	HTML(b, "\" data-picker-unit>");
	if (p->all_units)
		HTML(b, "<option value=\"\">全部单位</option>");
	for (int i = 0; i < p->nunits; i++) {
		buf_printf(b, "<option value=\"%lld\"%s>", (long long)p->units[i].id,
			   p->units[i].id == p->query.unit_id ? " selected" : "");
		buf_html(b, p->units[i].name);
		HTML(b, "</option>");
	}
	if (p->in_form) {
		HTML(b, "</select></label>\n<button type=\"submit\" class=\"secondary\" name=\"op\" value=\"find\""
			" data-picker-find>查找</button></div>\n");
		return;
	}
	HTML(b, "</select></label>\n<button type=\"submit\" form=\"");
	buf_html(b, p->field);
	HTML(b, "-search\">查找</button></div>\n");
}

void html_picker_script(struct req *r)
{
	HTML(&r->out, "<script src=\"/static/picker.js?v=");
	buf_html(&r->out, assets_version("picker.js"));
	HTML(&r->out, "\" defer></script>\n");
}

void html_picker(struct req *r, const struct picker *p)
{
	const int64_t current = p->current ? p->current->id : 0;
	buf *b = &r->out;

	HTML(b, "<fieldset class=\"picker");
	if (p->error)
		HTML(b, " has-error");
	HTML(b, "\" id=\"");
	buf_html(b, p->field);
	HTML(b, "-picker\" data-picker data-picker-field=\"");
	buf_html(b, p->field);
	if (!p->in_form) {
		HTML(b, "\" data-picker-form=\"");
		buf_html(b, p->field);
		HTML(b, "-search");
	}
	HTML(b, "\" data-picker-src=\"");
	html_path(b, r, p->pick ? "/api/v1/people" : "/api/v1/persons");
	HTML(b, "\"");
	if (p->error) {
		HTML(b, " aria-describedby=\"f-");
		buf_html(b, p->field);
		HTML(b, "-err\"");
	}
	HTML(b, "><legend>");
	buf_html(b, p->legend);
	HTML(b, "</legend>\n");
	if (p->error) {
		HTML(b, "<span class=\"field-error\" id=\"f-");
		buf_html(b, p->field);
		HTML(b, "-err\">");
		buf_html(b, p->error);
		HTML(b, "</span>\n");
	}
	picker_search(r, p);
	HTML(b, "<p class=\"muted\" role=\"status\" data-picker-status>");
	picker_status(b, p);
	HTML(b, "</p>\n<div class=\"choices\">\n");
	if (p->allow_none) {
		HTML(b, "<label class=\"check\"><input type=\"radio\" name=\"");
		buf_html(b, p->field);
		buf_printf(b, "\" value=\"\"%s>%s</label>\n", current ? "" : " checked", p->in_form ? "不选" : "不关联人员");
	}
	if (p->current)
		person_choice(b, p->field, p->current, true, p->in_form ? "（已选）" : "（当前）");
	HTML(b, "<div data-picker-results>\n");
	for (int i = 0; i < p->hits.n; i++)
		if (p->hits.items[i].id != current)
			person_choice(b, p->field, &p->hits.items[i], false, "");
	HTML(b, "</div>\n</div>\n</fieldset>\n");
	if (!p->in_form)
		html_picker_script(r);
}

void html_picker_form(struct req *r, const struct picker *p)
{
	buf *b = &r->out;

	HTML(b, "<form id=\"");
	buf_html(b, p->field);
	HTML(b, "-search\" method=\"get\" action=\"");
	html_path(b, r, p->page);
	HTML(b, "#");
	buf_html(b, p->field);
	HTML(b, "-picker\"></form>\n");
}

/* ---- the notice of purpose ---- */

void pii_notice(struct req *r, const char *what, const char *purpose, const char *after)
{
	int64_t days = PII_RETENTION_DEFAULT;
	buf *b = &r->out;

	if (pii_retention_days(r->db, r->tenant_id, &days) < 0)
		days = PII_RETENTION_DEFAULT; /* the notice still shows; the form's own store error follows */
	HTML(b, "<section class=\"pii-notice\" aria-labelledby=\"pii-h\">\n<h2 id=\"pii-h\">个人信息处理说明</h2>\n<ul>\n"
		"<li><strong>收集的信息：</strong>");
	buf_html(b, what);
	HTML(b, "。</li>\n<li><strong>用途：</strong>");
	buf_html(b, purpose);
	HTML(b, "，不作其他用途。</li>\n<li><strong>谁能看到：</strong>只有组织部门的平台管理员，不公开，"
		"不提供给其他单位和人员，导出的数据中也不含这些信息。</li>\n<li><strong>保存期限：</strong>");
	buf_html(b, after);
	if (days % 365 == 0)
		buf_printf(b, "保存 %lld 年", (long long)(days / 365));
	else
		buf_printf(b, "保存 %lld 天", (long long)days);
	HTML(b, "，到期自动匿名化（删除姓名和联系方式，只保留事项本身）。</li>\n<li><strong>您的权利：</strong>"
		"可以要求查阅、复制或删除您的个人信息，请通过");
	a_href(r, "/feedback", "投诉建议");
	HTML(b, "提出，或直接联系组织部门。</li>\n</ul>\n</section>\n");
}
