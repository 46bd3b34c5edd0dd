/* pii.c - a person's data (个人信息查询, domain/pii.h): the admin finds the
 * records holding a resident's name or contact (POST /admin/personal-data:
 * the name or phone travels in the body, never in an address that browser
 * history and Referer keep, ASVS 8.3.1), exports them as JSON (POST /admin/personal-data/export, PIPL §45) and
 * erases the contact details (POST /admin/personal-data/erase, §47). */
#include "web/web.h"

#include <stdlib.h>
#include <string.h>

#include "domain/pii.h"
#include "util/text.h"
#include "web/fields.h"
#include "web/widgets.h"

static const char *const kind_zh[PII_KINDS] = { "群众出卷", "投诉建议", "公示异议" };

/* The form's q as typed, spaces around it dropped (NULL: none). */
static const char *query(struct req *r)
{
	const char *q = req_form(r, "q");
	size_t n;

	if (!q)
		return NULL;
	while (*q == ' ' || *q == '\t')
		q++;
	n = strlen(q);
	while (n && (q[n - 1] == ' ' || q[n - 1] == '\t'))
		n--;
	return arena_printf(r->a, "%.*s", (int)n, q);
}

static void record_link(struct req *r, const struct pii_record *x)
{
	if (x->kind == PII_PROBLEM)
		a_href(r, arena_printf(r->a, "/proposals/%lld", (long long)x->id), arena_printf(r->a, "#%lld", (long long)x->id));
	else if (x->kind == PII_COMPLAINT)
		a_href(r, arena_printf(r->a, "/admin/feedback/%lld", (long long)x->id), x->ref);
	else
		a_href(r, arena_printf(r->a, "/admin/notices/%lld", (long long)x->notice_id),
		       arena_printf(r->a, "公示 #%lld", (long long)x->notice_id));
}

static void results(struct req *r, const char *q, const struct pii_found *f)
{
	static const struct table_col cols[] = {
		{ "来源", 0 }, { "记录", 0 }, { "事项", COL_TITLE }, { "姓名或称呼", 0 }, { "联系方式", 0 },
		{ "状态", 0 }, { "提交时间", 0 }, { "可否删除", COL_WIDE }, { NULL, 0 },
	};
	struct table t = { .cols = cols, .caption = "找到的记录" };
	buf *b = &r->out;
	int free_n = 0;

	if (!f->n) {
		HTML(b, "<p class=\"empty\">没有找到含有这一姓名或联系方式的记录（已匿名化的记录不再能按姓名或联系方式找到）。</p>\n");
		return;
	}
	buf_printf(b, "<p>找到 %d 条记录。</p>\n", f->n);
	if (f->truncated)
		buf_printf(b, "<p class=\"notice\">某一类记录超过 %d 条，只列出了前 %d 条；删除后再次查找可以处理其余的记录。</p>\n",
			   PII_FIND_MAX, PII_FIND_MAX);
	table_open(b, &t);
	for (int i = 0; i < f->n; i++) {
		const struct pii_record *x = &f->items[i];
		table_row(b, &t);
		table_cell(b, &t);
		buf_html(b, kind_zh[x->kind]);
		table_cell(b, &t);
		record_link(r, x);
		table_cell(b, &t);
		buf_html(b, x->title);
		table_cell(b, &t);
		buf_html(b, *x->name ? x->name : "—");
		table_cell(b, &t);
		buf_html(b, *x->contact ? x->contact : "—");
		table_cell(b, &t);
		buf_html(b, x->status);
		table_cell(b, &t);
		fmt_datetime(b, x->created_at);
		table_cell(b, &t);
		if (x->held) {
			HTML(b, "暂不能删除：");
			buf_html(b, x->held);
		} else {
			free_n++;
			HTML(b, "可以删除");
		}
	}
	table_close(b, &t);
	HTML(b, "<div class=\"actions\">\n");
	form_open(r, "/admin/personal-data/export");
	HTML(b, "<input type=\"hidden\" name=\"q\" value=\"");
	buf_html(b, q);
	HTML(b, "\"><button type=\"submit\">导出这些记录（JSON）</button>\n</form>\n");
	if (free_n) {
		form_open(r, "/admin/personal-data/erase");
		HTML(b, "<input type=\"hidden\" name=\"q\" value=\"");
		buf_html(b, q);
		HTML(b, "\"><button type=\"submit\" class=\"danger\">删除其中的个人信息</button>\n</form>\n");
	}
	HTML(b, "</div>\n<p class=\"muted\">删除只清除姓名、称呼、联系方式和网络地址（显示为“" PII_ERASED "”），"
		"难题、投诉建议和异议本身作为工作记录保留。导出和删除都记入审计日志（只记录记录编号，不记录所查内容）。</p>\n");
}

/* The page; c: a refused search, export or erasure (errors beside q), or
 * NULL; erased/held >= 0: what an erasure just did. */
static void pii_page(struct req *r, const char *q, const struct ctx *c, int status, int erased, int held)
{
	struct pii_found f = { 0 };
	int64_t days = PII_RETENTION_DEFAULT;
	buf *b = &r->out;

	if (pii_retention_days(r->db, r->tenant_id, &days) < 0 ||
	    (q && *q && !c && pii_find(r->db, r->a, r->tenant_id, q, &f) < 0)) {
		web_store_error(r);
		return;
	}
	page_begin(r, "个人信息查询", NAV_SETTINGS);
	HTML(b, "<h1>个人信息查询</h1>\n");
	if (erased >= 0 && !c) {
		buf_printf(b, "<p class=\"notice\" role=\"status\">已删除 %d 条记录中的个人信息", erased);
		if (held > 0)
			buf_printf(b, "；%d 条暂不能删除，原因见下表", held);
		HTML(b, "。</p>\n");
	}
	HTML(b, "<p>按姓名、称呼或联系方式（电话号码中的空格和横线不计）查找群众出卷、投诉建议和公示异议中留下的个人信息，"
		"可以导出本人的全部记录，或按本人要求删除。");
	buf_printf(b, "事项办结后保存 %lld 天，到期自动匿名化（", (long long)days);
	a_href(r, "/admin/settings", "系统设置");
	HTML(b, "）。</p>\n");
	form_errors(r, c);
	form_open(r, "/admin/personal-data");
	field_input(r, c, "search", "q", "姓名、称呼或联系方式", q ? q : "", " maxlength=\"60\" required");
	HTML(b, "<button type=\"submit\">查找</button>\n</form>\n");
	if (q && *q && !c)
		results(r, q, &f);
	page_finish(r, status);
}

static bool may(struct req *r)
{
	struct perm_target t = { r->tenant_id, 0, 0, false };

	return tenant_or_respond(r) == 0 && perm_or_respond(r, "pii.manage", "tenant", r->tenant_id, &t);
}

void page_personal_data(struct req *r)
{
	if (may(r))
		pii_page(r, NULL, NULL, 200, -1, -1);
}

void act_personal_data_search(struct req *r)
{
	const char *q = query(r);
	struct ctx c;

	if (!may(r))
		return;
	r->no_store = true;
	if (q && strlen(q) > PII_QUERY_MAX) { /* as the verbs refuse it */
		web_ctx(r, &c);
		(void)ctx_invalid(&c, "q", "too_long", "查找内容不能超过 60 个字");
		pii_page(r, q, &c, 400, -1, -1);
		return;
	}
	pii_page(r, q, NULL, 200, -1, -1);
}

static void again(struct req *r, const void *outcome, int status)
{
	pii_page(r, query(r), outcome, status, -1, -1);
}

void act_personal_data_export(struct req *r)
{
	const char *q = query(r);
	json_t *doc = NULL;
	struct ctx c;
	int rc;

	if (!may(r) || !reauth_or_ask(r))
		return;
	web_ctx(r, &c);
	if ((rc = pii_export(&c, q, &doc)) != JB_OK) {
		present_outcome_error(r, &c, rc == JB_ENOTFOUND ? JB_EINVALID : rc, again, &c);
		return;
	}
	req_header(r, "Content-Disposition", web_disposition(r, "个人信息副本.json"));
	req_header(r, "Cache-Control", "no-store");
	char *s = json_dumps(doc, JSON_INDENT(2));
	json_decref(doc);
	if (!s) {
		web_store_error(r);
		return;
	}
	buf_puts(&r->out, s);
	buf_putc(&r->out, '\n');
	free(s);
	reply(r, 200, "application/json; charset=utf-8");
}

void act_personal_data_erase(struct req *r)
{
	const char *q = query(r);
	int erased = 0, held = 0;
	struct ctx c;
	int rc;

	if (!may(r) || !reauth_or_ask(r))
		return;
	if (!confirmed_or_ask_keeping(r, &(struct confirm){ "删除个人信息", "确定要删除含有", q ? q : "",
			"的记录中的姓名和联系方式吗？", "删除后不能恢复；难题、投诉建议和异议本身保留。", "删除个人信息",
			"/admin/personal-data", NAV_SETTINGS }))
		return;
	web_ctx(r, &c);
	if ((rc = pii_erase(&c, q, &erased, &held)) != JB_OK) {
		present_outcome_error(r, &c, rc == JB_ENOTFOUND ? JB_EINVALID : rc, again, &c);
		return;
	}
	/* the page itself, not a redirect: the query stays out of the address */
	r->no_store = true;
	pii_page(r, q, NULL, 200, erased, held);
}
