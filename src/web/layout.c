/* layout.c - the page frame, error pages and formatting helpers. */
#include "web/web.h"

#include <string.h>
#include <time.h>

#include "domain/labels.h"
#include "domain/notify.h"
#include "domain/perm.h"
#include "domain/state.h"
#include "http/assets.h"
#include "http/metrics.h"
#include "util/log.h"

void html_path(buf *b, struct req *r, const char *path)
{
	buf_html(b, r->base ? r->base : "");
	buf_html(b, path);
}

void a_href(struct req *r, const char *path, const char *text)
{
	HTML(&r->out, "<a href=\"");
	html_path(&r->out, r, path);
	HTML(&r->out, "\">");
	buf_html(&r->out, text);
	HTML(&r->out, "</a>");
}

void html_csrf(struct req *r)
{
	if (!r->csrf)
		return;
	HTML(&r->out, "<input type=\"hidden\" name=\"csrf\" value=\"");
	buf_html(&r->out, r->csrf);
	HTML(&r->out, "\">");
}

void html_form_carry(struct req *r, const char *skip)
{
	for (int i = 0; i < r->nform; i++) {
		const char *k = r->form[i].key;
		if (!strcmp(k, "csrf") || !strcmp(k, "reauth_password") || (skip && !strcmp(k, skip)))
			continue;
		HTML(&r->out, "<input type=\"hidden\" name=\"");
		buf_html(&r->out, k);
		HTML(&r->out, "\" value=\"");
		buf_html(&r->out, r->form[i].val);
		HTML(&r->out, "\">");
	}
}

static void nav_link(struct req *r, const char *path, const char *label, bool current)
{
	buf *b = &r->out;

	HTML(b, "<a href=\"");
	html_path(b, r, path);
	HTML(b, "\"");
	if (current)
		HTML(b, " aria-current=\"page\"");
	HTML(b, ">");
	buf_html(b, label);
	HTML(b, "</a>");
}

/* 通知 with the number unread (a store failure only drops the number). */
static void nav_notifications(struct req *r, enum nav active)
{
	buf *b = &r->out;
	int64_t n = 0;

	if (r->db && notify_unread(r->db, r->tenant_id, r->who->user_id, &n) < 0)
		log_warn("req=%s unread notifications: %s", r->id, db_errmsg(r->db));
	HTML(b, "<a class=\"notify\" href=\"");
	html_path(b, r, "/me/notifications");
	HTML(b, "\"");
	if (active == NAV_NOTIFICATIONS)
		HTML(b, " aria-current=\"page\"");
	HTML(b, ">通知");
	if (n > 0)
		buf_printf(b, "<span class=\"badge\" aria-hidden=\"true\">%lld</span><span class=\"vh\">（%lld条未读）</span>",
			   (long long)n, (long long)n);
	HTML(b, "</a>");
}

/* The office's pages, for those who may use any of them, in one 管理 menu
 * (a <details>: it opens without JavaScript) so the header stays one line. */
static const struct office_link {
	const char *path, *label, *action;
	enum nav nav;
} office_links[] = {
	{ "/admin/batches", "批次管理", "batch.manage", NAV_BATCHES },
	{ "/promotions", "提拔使用", "promotion.read", NAV_PROMOTIONS },
	{ "/bulletins", "简报", "bulletin.read", NAV_BULLETINS },
	{ "/exports", "导出台账", "export.read", NAV_EXPORTS },
	{ "/admin/import", "数据导入", "import.run", NAV_IMPORT },
	{ "/bigscreen", "大屏", "stats.units", NAV_NONE },
	{ "/admin/users", "用户管理", "user.read", NAV_USERS },
	{ "/admin/audit", "审计日志", "audit.read", NAV_AUDIT },
	{ "/admin/feedback", "投诉建议处理", "complaint.answer", NAV_FEEDBACK },
	{ "/admin/settings", "系统设置", "tenant.settings", NAV_SETTINGS },
	{ "/admin/robots", "推送机器人", "robot.manage", NAV_ROBOTS },
	{ "/region", "辖区汇总", "region.read", NAV_REGION },
	{ "/ops/tenants", "地区管理", "tenant.manage", NAV_TENANTS },
};

static void nav_office(struct req *r, enum nav active)
{
	buf *b = &r->out;
	size_t n = sizeof(office_links) / sizeof(office_links[0]);
	bool any = false, here = false;

	for (size_t i = 0; i < n; i++)
		if (perm_any(r->who, office_links[i].action)) {
			any = true;
			here |= office_links[i].nav != NAV_NONE && office_links[i].nav == active;
		}
	if (!any)
		return;
	HTML(b, "<details class=\"office\"><summary");
	if (here)
		HTML(b, " class=\"current\"");
	HTML(b, ">管理</summary><div class=\"menu\">");
	for (size_t i = 0; i < n; i++)
		if (perm_any(r->who, office_links[i].action))
			nav_link(r, office_links[i].path, office_links[i].label,
				 office_links[i].nav != NAV_NONE && office_links[i].nav == active);
	HTML(b, "</div></details>");
}

/* Right side of the header: who is signed in, account links, log-out. */
static void nav_session(struct req *r, enum nav active)
{
	const struct principal *who = r->who;
	buf *b = &r->out;

	HTML(b, "<div class=\"session\">");
	if (!who || !who->user_id) {
		if (who)
			nav_link(r, "/login", "登录", active == NAV_LOGIN);
		HTML(b, "</div>\n");
		return;
	}
	nav_link(r, "/account", who->login, active == NAV_ACCOUNT);
	nav_link(r, "/me/work", "我的工作", active == NAV_WORK);
	if (perm_any(who, "evaluation.score"))
		nav_link(r, "/me/evaluations", "我的考评", active == NAV_EVALUATIONS);
	if (who->person_id)
		nav_link(r, "/me/record", "我的档案", active == NAV_RECORD);
	nav_notifications(r, active);
	if (who->via == VIA_COOKIE && r->csrf) {
		HTML(b, "<form class=\"logout\" method=\"post\" action=\"");
		html_path(b, r, "/logout");
		HTML(b, "\">");
		html_csrf(r);
		HTML(b, "<button type=\"submit\">退出</button></form>");
	}
	HTML(b, "</div>\n");
}

void page_begin(struct req *r, const char *title, enum nav active)
{
	buf *b = &r->out;

	HTML(b, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
	buf_html(b, title);
	HTML(b, " · 揭榜挂帅</title>\n<link rel=\"stylesheet\" href=\"/static/style.css?v=");
	buf_html(b, assets_version("style.css"));
	HTML(b, "\">\n<link rel=\"icon\" type=\"image/svg+xml\" href=\"/static/favicon.svg?v=");
	buf_html(b, assets_version("favicon.svg"));
	HTML(b, "\">\n</head>\n<body>\n<a class=\"skip\" href=\"#main\">跳到正文</a>\n"
		"<header class=\"top\"><div class=\"wrap\">\n<a class=\"brand\" href=\"");
	html_path(b, r, "/");
	HTML(b, "\">揭榜挂帅");
	if (r->tenant_name) {
		HTML(b, " <span>");
		buf_html(b, r->tenant_name);
		HTML(b, "</span>");
	}
	HTML(b, "</a>\n<nav aria-label=\"主导航\">");
	nav_link(r, "/", "榜单", active == NAV_BOARD);
	nav_link(r, "/stats", "统计", active == NAV_STATS);
	nav_link(r, perm_any(r->who, "notice.manage") ? "/admin/notices" : "/notices", "公示", active == NAV_NOTICES);
	nav_link(r, "/practices", "经验做法", active == NAV_PRACTICES);
	if (r->who && r->who->user_id && perm_any(r->who, "problem.propose"))
		nav_link(r, "/propose", "出卷", active == NAV_PROPOSE);
	else if (r->who && !r->who->user_id)
		nav_link(r, "/public/propose", "群众出卷", false);
	if (perm_any(r->who, "problem.screen"))
		nav_link(r, "/admin/screening", "遴选", active == NAV_SCREENING);
	nav_office(r, active);
	HTML(b, "</nav>\n");
	nav_session(r, active);
	HTML(b, "</div></header>\n<main id=\"main\" class=\"wrap\">\n");
}

void page_end(struct req *r)
{
	page_finish(r, 200);
}

void page_finish(struct req *r, int status)
{
	HTML(&r->out, "</main>\n<footer class=\"wrap\"><p>揭榜挂帅 · 难题破解工作平台 · <a href=\"");
	html_path(&r->out, r, "/feedback");
	HTML(&r->out, "\">投诉建议</a></p></footer>\n</body>\n</html>\n");
	reply(r, status, "text/html; charset=utf-8");
}

static const char *status_title(int status)
{
	switch (status) {
	case 400: return "请求有误";
	case 401: return "需要登录";
	case 403: return "没有权限";
	case 404: return "页面不存在";
	case 405: return "请求方法不被支持";
	case 409: return "内容冲突";
	case 413: return "提交内容过大";
	case 429: return "请稍后再试";
	case 503: return "服务暂不可用";
	default: return "服务器错误";
	}
}

void web_render_error(struct req *r, int status, const char *code, const char *message,
		      const char *field)
{
	buf *b = &r->out;

	if (r->is_api) {
		HTML(b, "{\"error\":{\"code\":");
		buf_json_str(b, code);
		HTML(b, ",\"message\":");
		buf_json_str(b, message);
		if (field) {
			HTML(b, ",\"field\":");
			buf_json_str(b, field);
		}
		HTML(b, ",\"request_id\":");
		buf_json_str(b, r->id);
		HTML(b, "}}\n");
		reply(r, status, "application/json; charset=utf-8");
		return;
	}
	page_begin(r, status_title(status), NAV_NONE);
	HTML(b, "<section class=\"error\">\n<h1>");
	buf_html(b, status_title(status));
	HTML(b, "</h1>\n<p>");
	buf_html(b, message);
	HTML(b, "</p>\n");
	if (field) {
		HTML(b, "<p>出错的参数：<code>");
		buf_html(b, field);
		HTML(b, "</code></p>\n");
	}
	HTML(b, "<p class=\"muted\">请求编号：");
	buf_html(b, r->id);
	HTML(b, "</p>\n");
	if (status == 401 && !r->is_api) {
		HTML(b, "<p><a href=\"");
		html_path(b, r, "/login");
		HTML(b, "\">登录</a></p>\n");
	}
	HTML(b, "<p><a href=\"");
	html_path(b, r, "/");
	HTML(b, "\">返回榜单</a></p>\n</section>\n");
	page_finish(r, status);
}

void web_store_error(struct req *r)
{
	enum db_errclass c = r->db ? db_errclass(r->db) : DB_EUNAVAILABLE;

	log_error("req=%s store error: %s", r->id, r->db ? db_errmsg(r->db) : "no connection");
	metrics_store_error(c == DB_EUNAVAILABLE || c == DB_ENOSPACE);
	if (c == DB_EUNAVAILABLE) {
		/* Unreachable, failing over or busy: a retry soon is likely to
		 * find it back (docs/scaling.md). */
		req_header(r, "Retry-After", "5");
		reply_error(r, 503, "unavailable", "数据库暂时无法访问，请稍后再试", NULL);
	} else if (c == DB_ENOSPACE) {
		req_header(r, "Retry-After", "60");
		reply_error(r, 503, "store_full", "服务器存储空间已满或暂时只读，本次提交未保存，请稍后再试；查看不受影响", NULL);
	} else
		reply_error(r, 500, "internal", "服务器内部错误，请稍后再试", NULL);
}

void fmt_date(buf *b, int64_t epoch)
{
	time_t t = (time_t)(epoch + 8 * 3600);
	struct tm tm;
	char s[16];

	gmtime_r(&t, &tm);
	strftime(s, sizeof(s), "%Y-%m-%d", &tm);
	buf_puts(b, s);
}

void fmt_date_zh(buf *b, int64_t epoch)
{
	time_t t = (time_t)(epoch + 8 * 3600);
	struct tm tm;

	gmtime_r(&t, &tm);
	buf_printf(b, "%d年%d月%d日", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

void fmt_datetime(buf *b, int64_t epoch)
{
	time_t t = (time_t)(epoch + 8 * 3600);
	struct tm tm;
	char s[24];

	gmtime_r(&t, &tm);
	strftime(s, sizeof(s), "%Y-%m-%d %H:%M", &tm);
	buf_puts(b, s);
}

void fmt_metric(buf *b, const char *kind, const char *uom, int64_t v)
{
	if (!strcmp(kind, "money")) {
		int64_t yuan = v / 100;
		buf_puts(b, "¥");
		buf_int_grouped(b, yuan);
		if (v % 100)
			buf_printf(b, ".%02lld", (long long)(v % 100));
		return;
	}
	buf_int_grouped(b, v);
	buf_putc(b, ' ');
	buf_html(b, uom);
}

void html_paragraphs(buf *b, const char *text)
{
	for (const char *p = text; *p;) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n && p[n - 1] == '\r')
			n--;
		if (n) {
			HTML(b, "<p>");
			buf_html_n(b, p, n);
			HTML(b, "</p>\n");
		}
		p = e ? e + 1 : p + n;
	}
}

void html_milestone(buf *b, const char *title, int64_t due, int64_t done, bool overdue, const char *open_word)
{
	HTML(b, "<li");
	if (overdue)
		HTML(b, " class=\"is-overdue\"");
	else if (done)
		HTML(b, " class=\"is-done\"");
	HTML(b, "><span class=\"ms-title\">");
	buf_html(b, title);
	HTML(b, "</span> <span class=\"muted\">计划 ");
	fmt_date(b, due);
	HTML(b, "</span> ");
	if (done) {
		HTML(b, "<span class=\"done\">已完成 ");
		fmt_date(b, done);
		HTML(b, "</span>");
	} else if (overdue) {
		HTML(b, "<span class=\"overdue\">逾期未完成</span>");
	} else {
		HTML(b, "<span class=\"muted\">");
		buf_html(b, open_word);
		HTML(b, "</span>");
	}
	HTML(b, "</li>\n");
}

void html_state_badge(buf *b, const char *state)
{
	const char *zh = label_of(problem_states, state);

	HTML(b, "<span class=\"state state-");
	buf_html(b, state);
	HTML(b, "\">");
	buf_html(b, zh ? zh : state);
	HTML(b, "</span>");
}

void html_roles(buf *b, unsigned roles, const char *none)
{
	bool first = true;

	for (int i = 0; i < ROLE_COUNT; i++) {
		if (!(roles & (1u << i)))
			continue;
		if (!first)
			HTML(b, "、");
		buf_html(b, role_names[i]);
		first = false;
	}
	if (first)
		buf_html(b, none);
}
