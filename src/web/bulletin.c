/* bulletin.c - the bulletin pages: the list (GET /bulletins), the issuing
 * form (GET /bulletins/new, POST /bulletins), one issue ready to print
 * (GET /bulletins/:n: masthead, 第 N 期, office and date, sections; the
 * site's header hidden in print) and the same as a .docx for WPS or Word
 * (GET /bulletins/:n.docx). Every view renders the figures frozen in the
 * bulletin (domain/bulletin.h), never today's. */
#include "web/bulletin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/batch.h"
#include "domain/perm.h"
#include "util/civil.h"
#include "util/log.h"
#include "util/clock.h"
#include "util/text.h"
#include "web/fields.h"
#include "web/widgets.h"

#define MASTHEAD "揭榜挂帅工作简报"
#define DOCX_MIME "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

/* "2022-08-31" as 2022年8月31日 (as given when it is no such date). */
static const char *zh_day(arena *a, const char *ymd)
{
	int y, m, d;

	if (!ymd || sscanf(ymd, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return ymd ? ymd : "";
	return arena_printf(a, "%d年%d月%d日", y, m, d);
}

static const char *scope_text(const struct bulletin *b)
{
	return b->batch_id ? b->batch : "全部批次";
}

/* The change of figure key since the previous issue: "+3", "-1", "持平",
 * or "—" for the first issue. */
static const char *change(arena *a, const struct bulletin *b, const char *key)
{
	int64_t d;

	if (!b->previous)
		return "—";
	d = bulletin_figure(b->figures, key) - bulletin_figure(b->previous, key);
	return d ? arena_printf(a, "%+lld", (long long)d) : "持平";
}

/* The overview sentence of section 一 (plain text, escaped by the caller). */
static const char *overview(arena *a, const struct bulletin *b)
{
	const json_t *f = b->figures;
	return arena_printf(a, "截至%s，%s榜单难题 %lld 个，累计揭榜 %lld 个，攻坚中 %lld 个，累计破题 %lld 个，"
			       "已验收 %lld 个；逾期 %lld 个，未按期报送进展 %lld 个。",
			    zh_day(a, json_string_value(json_object_get(f, "as_of"))), scope_text(b),
			    (long long)bulletin_figure(f, "problems"), (long long)bulletin_figure(f, "claimed"),
			    (long long)bulletin_figure(f, "in_progress"), (long long)bulletin_figure(f, "solved"),
			    (long long)bulletin_figure(f, "accepted"), (long long)bulletin_figure(f, "overdue"),
			    (long long)bulletin_figure(f, "unreported"));
}

static const char *jstr(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

/* ---- the route parameter ---- */

int bulletin_or_respond(struct req *r, struct bulletin *b, bool *as_docx)
{
	const char *p = r->params[0];
	size_t len = strlen(p);
	struct ctx c;
	int64_t n;
	int rc;

	*as_docx = len > 5 && !strcmp(p + len - 5, ".docx");
	if (*as_docx)
		p = arena_strndup(r->a, p, len - 5);
	if (parse_int(p, 1, INT64_MAX, &n) < 0) {
		reply_error(r, 400, "bad_parameter", "期号必须是正整数", "n");
		return -1;
	}
	web_ctx(r, &c);
	if ((rc = bulletin_get(&c, n, b)) != JB_OK) {
		outcome_error(r, &c, rc);
		return -1;
	}
	return 0;
}

/* ---- the list ---- */

void page_bulletins(struct req *r)
{
	static const struct table_col cols[] = { { "期号", COL_TITLE }, { "统计期", 0 }, { "范围", 0 }, { "印发日期", 0 },
						 { "发文单位", 0 }, { "累计揭榜", 0 }, { "累计破题", 0 }, { "逾期", 0 },
						 { "下载", 0 }, { NULL, 0 } };
	struct table t = { .cols = cols, .caption = "各期简报，最新的在前；数字是签发当时的统计" };
	struct bulletin *v;
	struct ctx c;
	buf *b = &r->out;
	int n, rc;

	web_ctx(r, &c);
	if ((rc = bulletin_list(&c, &v, &n)) != JB_OK) {
		outcome_error(r, &c, rc);
		return;
	}
	page_begin(r, "工作简报", NAV_BULLETINS);
	HTML(b, "<h1>工作简报</h1>\n");
	if (perm_any(r->who, "bulletin.manage")) {
		HTML(b, "<p><a class=\"button\" href=\"");
		html_path(b, r, "/bulletins/new");
		HTML(b, "\">签发新一期简报</a></p>\n");
	}
	if (!n) {
		HTML(b, "<p>还没有签发过简报。</p>\n");
		page_end(r);
		return;
	}
	table_open(b, &t);
	for (int i = 0; i < n; i++) {
		table_row(b, &t);
		table_cell(b, &t);
		HTML(b, "<a href=\"");
		html_path(b, r, arena_printf(r->a, "/bulletins/%lld", (long long)v[i].n));
		buf_printf(b, "\">第 %lld 期</a>", (long long)v[i].n);
		table_cell(b, &t);
		buf_html(b, v[i].period_from);
		HTML(b, " 至 ");
		buf_html(b, v[i].period_to);
		table_cell(b, &t);
		buf_html(b, scope_text(&v[i]));
		table_cell(b, &t);
		buf_html(b, v[i].issued_on);
		table_cell(b, &t);
		buf_html(b, v[i].office);
		table_cell(b, &t);
		buf_int(b, bulletin_figure(v[i].figures, "claimed"));
		table_cell(b, &t);
		buf_int(b, bulletin_figure(v[i].figures, "solved"));
		table_cell(b, &t);
		buf_int(b, bulletin_figure(v[i].figures, "overdue"));
		table_cell(b, &t);
		HTML(b, "<a href=\"");
		html_path(b, r, arena_printf(r->a, "/bulletins/%lld.docx", (long long)v[i].n));
		buf_printf(b, "\" download>第 %lld 期 .docx</a>", (long long)v[i].n);
	}
	table_close(b, &t);
	page_end(r);
}

/* ---- the form ---- */

struct form_view {
	struct ctx *c;        /* a refused submission, or NULL */
};

/* The first day of this month and today, in the tenant's zone. */
static void default_period(arena *a, const char **from, const char **to)
{
	char out[CIVIL_DATE_LEN];
	int64_t z = civil_local_day(clock_now()), y, m, d;

	civil_from_days(z, &y, &m, &d);
	*to = arena_strdup(a, civil_format(z, out));
	*from = arena_strdup(a, civil_format(civil_days(y, m, 1), out));
}

static void batch_select(struct req *r, const char *value)
{
	struct batch *v;
	int n = 0;
	buf *b = &r->out;

	if (batch_list(r->db, r->a, r->tenant_id, &v, &n) < 0)
		n = 0;
	HTML(b, "<label>范围<select name=\"batch\"><option value=\"\">全部批次</option>");
	for (int i = 0; i < n; i++) {
		const char *id = arena_printf(r->a, "%lld", (long long)v[i].id);
		HTML(b, "<option value=\"");
		buf_html(b, id);
		HTML(b, "\"");
		if (value && !strcmp(value, id))
			HTML(b, " selected");
		HTML(b, ">");
		buf_html(b, v[i].name);
		HTML(b, "</option>");
	}
	HTML(b, "</select></label>\n");
}

/* Whether the refused submission checked claim id under name. */
static bool was_checked(struct req *r, const char *name, int64_t id)
{
	const char *v = req_form(r, name);
	int64_t got;
	return v && parse_int(v, 1, INT64_MAX, &got) == 0 && got == id;
}

/* The highlight picker: the claims of the period (from the query's or the
 * submission's period), then three lines of text. */
static void highlights_fieldset(struct req *r, const struct ctx *c, const char *from, const char *to, int64_t batch)
{
	struct bulletin_candidate *k = NULL;
	int64_t zf, zt;
	int n = 0, shown;
	buf *b = &r->out;
	const struct field_error *e = field_error_of(c, "highlights");

	HTML(b, "<fieldset><legend>工作亮点</legend>\n");
	if (e) {
		HTML(b, "<p class=\"field-error\" id=\"err-highlights\">");
		buf_html(b, e->message);
		HTML(b, "</p>\n");
	}
	if (civil_parse(from, &zf) && civil_parse(to, &zt) && zf <= zt &&
	    bulletin_candidates(r->db, r->a, r->tenant_id, batch, civil_midnight(zf), civil_midnight(zt), &k, &n) < 0)
		n = 0;
	shown = n < BULLETIN_PICK_MAX ? n : BULLETIN_PICK_MAX;
	if (!shown)
		HTML(b, "<p class=\"hint\">统计期内没有破题、验收或报送进展的揭榜项目；可以在下面直接填写亮点。</p>\n");
	else
		HTML(b, "<p class=\"hint\">统计期内破题、验收或报送了进展的揭榜项目，勾选的写入简报：</p>\n<ul class=\"picks\">\n");
	for (int i = 0; i < shown; i++) {
		const char *name = arena_printf(r->a, "highlights.%d.claim", i);
		HTML(b, "<li><label><input type=\"checkbox\" name=\"");
		buf_html(b, name);
		buf_printf(b, "\" value=\"%lld\"", (long long)k[i].claim_id);
		if (c && was_checked(r, name, k[i].claim_id))
			HTML(b, " checked");
		HTML(b, "> ");
		buf_html(b, k[i].title);
		HTML(b, "（");
		buf_html(b, k[i].unit);
		HTML(b, "，");
		buf_html(b, k[i].why);
		HTML(b, "）</label></li>\n");
	}
	if (shown)
		HTML(b, "</ul>\n");
	for (int j = 0; j < 3; j++) {
		const char *name = arena_printf(r->a, "highlights.%d.text", shown + j);
		field_textarea(r, c, name, arena_printf(r->a, "亮点文字 %d（可不填）", j + 1),
			       field_value(r, c, name, ""), " rows=\"2\" maxlength=\"500\"");
	}
	HTML(b, "</fieldset>\n");
}

static void form_page(struct req *r, const void *outcome, int status)
{
	const struct form_view *v = outcome;
	const struct ctx *c = v->c;
	const char *from, *to, *batch_q = req_query(r, "batch");
	int64_t batch = 0;
	buf *b = &r->out;

	default_period(r->a, &from, &to);
	from = field_value(r, c, "period_from", req_query(r, "period_from") ? req_query(r, "period_from") : from);
	to = field_value(r, c, "period_to", req_query(r, "period_to") ? req_query(r, "period_to") : to);
	batch_q = field_value(r, c, "batch", batch_q ? batch_q : "");
	if (*batch_q && parse_int(batch_q, 1, INT64_MAX, &batch) < 0)
		batch = 0;
	page_begin(r, "签发简报", NAV_BULLETINS);
	HTML(b, "<h1>签发简报</h1>\n<p class=\"crumbs\"><a href=\"");
	html_path(b, r, "/bulletins");
	HTML(b, "\">返回简报列表</a></p>\n");
	form_errors(r, c);
	/* step 1, without a script: the period and scope list their claims */
	HTML(b, "<form class=\"stack\" method=\"get\" action=\"");
	html_path(b, r, "/bulletins/new");
	HTML(b, "\">\n<fieldset><legend>统计期和范围</legend>\n");
	field_input(r, c, "date", "period_from", "统计起始日期", from, " required");
	field_input(r, c, "date", "period_to", "统计截止日期", to, " required");
	batch_select(r, batch_q);
	if (field_error_of(c, "batch")) {
		HTML(b, "<p class=\"field-error\">");
		buf_html(b, field_error_of(c, "batch")->message);
		HTML(b, "</p>\n");
	}
	HTML(b, "<button type=\"submit\" class=\"secondary\">列出统计期内的揭榜项目</button>\n</fieldset>\n</form>\n");
	/* step 2: the issue itself, with the period above */
	form_open(r, "/bulletins");
	HTML(b, "<input type=\"hidden\" name=\"period_from\" value=\"");
	buf_html(b, from);
	HTML(b, "\"><input type=\"hidden\" name=\"period_to\" value=\"");
	buf_html(b, to);
	HTML(b, "\"><input type=\"hidden\" name=\"batch\" value=\"");
	buf_html(b, batch_q);
	HTML(b, "\">\n<fieldset><legend>本期</legend>\n");
	buf_printf(b, "<p>统计期 ");
	buf_html(b, from);
	HTML(b, " 至 ");
	buf_html(b, to);
	HTML(b, "（在上面修改）。数字按签发时的统计冻结：以后数据变化，这一期不变。</p>\n");
	field_input(r, c, "date", "issued_on", "印发日期（不填为今天）", field_value(r, c, "issued_on", ""), "");
	field_input(r, c, "text", "office", "发文单位",
		    field_value(r, c, "office", bulletin_default_office(r->db, r->a, r->tenant_id)),
		    " required maxlength=\"60\"");
	HTML(b, "</fieldset>\n");
	highlights_fieldset(r, c, from, to, batch);
	HTML(b, "<p><button type=\"submit\">签发</button></p>\n</form>\n");
	page_finish(r, status);
}

void page_bulletin_new(struct req *r)
{
	struct form_view v = { NULL };
	struct perm_target t = { r->tenant_id, 0, 0, false };

	if (!perm_or_respond(r, "bulletin.manage", "bulletin", 0, &t))
		return;
	form_page(r, &v, 200);
}

void act_bulletin_issue(struct req *r)
{
	struct form_view v = { NULL };
	struct bulletin_in in;
	struct ctx c;
	int64_t n;
	int rc;

	web_ctx(r, &c);
	rc = bind_request(r, &c, bulletin_fields, &in, NULL);
	if (rc == JB_OK)
		rc = bulletin_issue(&c, &in, &n);
	if (rc == JB_OK) {
		reply_redirect(r, arena_printf(r->a, "/bulletins/%lld", (long long)n));
	} else {
		v.c = &c;
		present_outcome_error(r, &c, rc, form_page, &v);
	}
}

/* ---- one issue, printable ---- */

static void figures_table(struct req *r, const struct bulletin *bl)
{
	static const struct table_col cols[] = { { "项目", COL_TITLE }, { "数量", 0 }, { "比上期", 0 }, { NULL, 0 } };
	struct table t = { .cols = cols, .cls = "doc-figures", .caption = "主要数字（签发时冻结）" };
	buf *b = &r->out;

	table_open(b, &t);
	for (const struct bulletin_figure *f = bulletin_figures; f->key; f++) {
		table_row(b, &t);
		table_row_head(b, &t);
		buf_html(b, f->zh);
		table_cell(b, &t);
		buf_int(b, bulletin_figure(bl->figures, f->key));
		table_cell(b, &t);
		buf_html(b, change(r->a, bl, f->key));
	}
	table_close(b, &t);
}

static void units_section(struct req *r, const struct bulletin *bl)
{
	const json_t *units = json_object_get(bl->figures, "top_units");
	buf *b = &r->out;

	HTML(b, "<h2>二、逾期较多的单位</h2>\n");
	if (!json_array_size(units)) {
		HTML(b, "<p>本期没有逾期的揭榜项目。</p>\n");
		return;
	}
	HTML(b, "<ol>\n");
	for (size_t i = 0; i < json_array_size(units); i++) {
		const json_t *u = json_array_get(units, i);
		HTML(b, "<li>");
		buf_html(b, jstr(u, "name"));
		buf_printf(b, "：逾期 %lld 个（揭榜 %lld 个）</li>\n", (long long)bulletin_figure(u, "overdue"),
			   (long long)bulletin_figure(u, "claimed"));
	}
	HTML(b, "</ol>\n");
}

static void practices_section(struct req *r, const struct bulletin *bl)
{
	const json_t *ps = json_object_get(bl->figures, "practices");
	buf *b = &r->out;

	HTML(b, "<h2>三、经验做法</h2>\n");
	if (!json_array_size(ps)) {
		HTML(b, "<p>统计期内没有新增或转化的经验做法。</p>\n");
		return;
	}
	HTML(b, "<ul>\n");
	for (size_t i = 0; i < json_array_size(ps); i++) {
		const json_t *p = json_array_get(ps, i);
		HTML(b, "<li>");
		buf_html(b, jstr(p, "title"));
		HTML(b, "（");
		buf_html(b, jstr(p, "state_label"));
		if (*jstr(p, "doc_no")) {
			HTML(b, "，");
			buf_html(b, jstr(p, "doc_no"));
		}
		HTML(b, "）</li>\n");
	}
	HTML(b, "</ul>\n");
}

static void highlights_section(struct req *r, const struct bulletin *bl)
{
	buf *b = &r->out;

	HTML(b, "<h2>四、工作亮点</h2>\n");
	if (!bl->nitems) {
		HTML(b, "<p>—</p>\n");
		return;
	}
	HTML(b, "<ol>\n");
	for (int i = 0; i < bl->nitems; i++) {
		HTML(b, "<li>");
		if (bl->items[i].claim_id) {
			HTML(b, "<a href=\"");
			html_path(b, r, arena_printf(r->a, "/claims/%lld", (long long)bl->items[i].claim_id));
			HTML(b, "\">");
			buf_html(b, bl->items[i].text);
			HTML(b, "</a>");
		} else {
			buf_html(b, bl->items[i].text);
		}
		HTML(b, "</li>\n");
	}
	HTML(b, "</ol>\n");
}

void page_bulletin(struct req *r)
{
	struct bulletin bl;
	bool as_docx;
	buf *b = &r->out;

	if (bulletin_or_respond(r, &bl, &as_docx) < 0)
		return;
	if (as_docx) {
		bulletin_docx_reply(r, &bl);
		return;
	}
	page_begin(r, arena_printf(r->a, "工作简报 第 %lld 期", (long long)bl.n), NAV_BULLETINS);
	HTML(b, "<p class=\"crumbs no-print\"><a href=\"");
	html_path(b, r, "/bulletins");
	HTML(b, "\">返回简报列表</a> · <a href=\"");
	html_path(b, r, arena_printf(r->a, "/bulletins/%lld.docx", (long long)bl.n));
	HTML(b, "\" download>下载 .docx（可在 WPS 或 Word 中编辑）</a> · 用浏览器的“打印”可打印或存为 PDF（A4）。</p>\n"
		"<article class=\"bulletin-doc\">\n<h1 class=\"masthead\">" MASTHEAD "</h1>\n");
	buf_printf(b, "<p class=\"issue-no\">第 %lld 期</p>\n<p class=\"issue-line\"><span>", (long long)bl.n);
	buf_html(b, bl.office);
	HTML(b, "</span><span>");
	buf_html(b, zh_day(r->a, bl.issued_on));
	HTML(b, "</span></p>\n<h2>一、总体情况</h2>\n<p>");
	buf_html(b, overview(r->a, &bl));
	HTML(b, "</p>\n");
	figures_table(r, &bl);
	units_section(r, &bl);
	practices_section(r, &bl);
	highlights_section(r, &bl);
	HTML(b, "<p class=\"issue-foot\">统计期：");
	buf_html(b, zh_day(r->a, bl.period_from));
	HTML(b, "至");
	buf_html(b, zh_day(r->a, bl.period_to));
	HTML(b, "；范围：");
	buf_html(b, scope_text(&bl));
	HTML(b, "。</p>\n</article>\n");
	page_end(r);
}

/* ---- the .docx ---- */

void web_docx_reply(struct req *r, docx *x, const char *name)
{
	unsigned char *bytes;
	size_t len;

	if (docx_finish(x, &bytes, &len) < 0) {
		docx_free(x);
		log_error("req=%s cannot zip the document '%s'", r->id, name);
		reply_error(r, 500, "internal", "文档生成失败，请稍后再试", NULL);
		return;
	}
	docx_free(x);
	buf_add(&r->out, bytes, len);
	free(bytes);
	req_header(r, "Content-Disposition", web_disposition(r, name));
	req_header(r, "X-Content-Type-Options", "nosniff");
	reply(r, 200, DOCX_MIME);
}

static void docx_section(docx *x, const char *title)
{
	docx_para(x, DOCX_HEADING1, title);
}

void bulletin_docx_reply(struct req *r, const struct bulletin *bl)
{
	static const struct docx_font red = { .bold = true, .color = "C00000", .east_asia = "宋体", .half_points = 72 };
	static const int widths[] = { 4000, 2422, 2422 };
	const json_t *units = json_object_get(bl->figures, "top_units");
	const json_t *ps = json_object_get(bl->figures, "practices");
	docx *x = docx_new();
	const char *title = arena_printf(r->a, "简报第%lld期", (long long)bl->n);

	docx_set_title(x, arena_printf(r->a, MASTHEAD " 第%lld期", (long long)bl->n));
	docx_p_begin(x, DOCX_TITLE, DOCX_CENTER);
	docx_run(x, MASTHEAD, &red);
	docx_p_end(x);
	docx_p_begin(x, DOCX_PLAIN, DOCX_CENTER);
	docx_run(x, arena_printf(r->a, "第 %lld 期", (long long)bl->n), &(struct docx_font){ .half_points = 32 });
	docx_p_end(x);
	docx_p_begin(x, DOCX_PLAIN, DOCX_BOTH);
	docx_run(x, arena_printf(r->a, "%s\t%s", bl->office, zh_day(r->a, bl->issued_on)), NULL);
	docx_p_end(x);
	docx_p_begin(x, DOCX_PLAIN, DOCX_CENTER);
	docx_run(x, "━━━━━━━━━━━━━━━━━━━━━━━━", &(struct docx_font){ .color = "C00000" });
	docx_p_end(x);

	docx_section(x, "一、总体情况");
	docx_para(x, DOCX_BODY, overview(r->a, bl));
	docx_table_begin(x, 3, widths);
	docx_row(x, true, (const char *[]){ "项目", "数量", "比上期" });
	for (const struct bulletin_figure *f = bulletin_figures; f->key; f++)
		docx_row(x, false, (const char *[]){ f->zh, arena_printf(r->a, "%lld", (long long)bulletin_figure(bl->figures, f->key)),
						     change(r->a, bl, f->key) });
	docx_table_end(x);

	docx_section(x, "二、逾期较多的单位");
	if (!json_array_size(units))
		docx_para(x, DOCX_BODY, "本期没有逾期的揭榜项目。");
	for (size_t i = 0; i < json_array_size(units); i++) {
		const json_t *u = json_array_get(units, i);
		docx_para(x, DOCX_BODY, arena_printf(r->a, "%zu. %s：逾期 %lld 个（揭榜 %lld 个）", i + 1, jstr(u, "name"),
						     (long long)bulletin_figure(u, "overdue"), (long long)bulletin_figure(u, "claimed")));
	}

	docx_section(x, "三、经验做法");
	if (!json_array_size(ps))
		docx_para(x, DOCX_BODY, "统计期内没有新增或转化的经验做法。");
	for (size_t i = 0; i < json_array_size(ps); i++) {
		const json_t *p = json_array_get(ps, i);
		docx_para(x, DOCX_BODY, arena_printf(r->a, "%s（%s%s%s）", jstr(p, "title"), jstr(p, "state_label"),
						     *jstr(p, "doc_no") ? "，" : "", jstr(p, "doc_no")));
	}

	docx_section(x, "四、工作亮点");
	if (!bl->nitems)
		docx_para(x, DOCX_BODY, "—");
	for (int i = 0; i < bl->nitems; i++)
		docx_para(x, DOCX_BODY, arena_printf(r->a, "%d. %s", i + 1, bl->items[i].text));

	docx_p_begin(x, DOCX_PLAIN, DOCX_LEFT);
	docx_run(x, arena_printf(r->a, "统计期：%s至%s；范围：%s。", zh_day(r->a, bl->period_from), zh_day(r->a, bl->period_to),
				 scope_text(bl)), NULL);
	docx_p_end(x);
	web_docx_reply(r, x, arena_printf(r->a, "%s.docx", title));
}
