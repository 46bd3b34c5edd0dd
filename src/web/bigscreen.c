/* bigscreen.c - the big screen (大屏, GET /bigscreen) for the office's wall
 * display: dark, laid out for 1920×1080, reloading itself every 60 s by
 * <meta http-equiv="refresh"> (no script; ?refresh=off stops it, WCAG 2.2.1). Only public figures: no unit
 * table, no unit of an overdue claim. Open to anyone when the tenant's
 * admin enables it (tenant.bigscreen, settings.h); otherwise a log-in with
 * stats.units (admins, leaders). And the settings page (GET/POST
 * /admin/settings, tenant.settings) that switches it. */
#include "web/web.h"

#include <string.h>

#include "domain/claim.h"
#include "domain/labels.h"
#include "domain/pii.h"
#include "domain/settings.h"
#include "domain/stats.h"
#include "http/assets.h"
#include "util/clock.h"
#include "util/text.h"
#include "web/fields.h"

/* 0 when r may see the big screen; otherwise answered (303 to the log-in,
 * 403) and -1. */
static int bigscreen_or_respond(struct req *r)
{
	struct tenant_settings set;
	struct perm_target t = { 0, 0, 0, false };
	int rc;

	if (tenant_or_respond(r) < 0)
		return -1;
	if ((rc = settings_get(r->db, r->tenant_id, &set)) != 0) {
		web_store_error(r);
		return -1;
	}
	if (set.bigscreen)
		return 0;
	if (!r->who->user_id) {
		buf b = BUF_INIT;
		buf_puts(&b, "/login?next=");
		buf_url(&b, r->path);
		reply_redirect(r, arena_strdup(r->a, b.s));
		buf_release(&b);
		return -1;
	}
	t.tenant_id = r->tenant_id;
	return perm_or_respond(r, "stats.units", "tenant", r->tenant_id, &t) ? 0 : -1;
}

static void big_figure(buf *b, const char *label, int64_t v, const char *cls)
{
	HTML(b, "<div class=\"big-figure");
	if (cls) {
		HTML(b, " ");
		buf_html(b, cls);
	}
	HTML(b, "\"><span class=\"num\">");
	buf_int_grouped(b, v);
	HTML(b, "</span><span class=\"lbl\">");
	buf_html(b, label);
	HTML(b, "</span></div>\n");
}

/* One panel of horizontal bars (label, bar, value as text). */
static void big_bars(buf *b, const char *id, const char *title, const char *const *labels, const int64_t *v, int n)
{
	int64_t max = 1;

	for (int i = 0; i < n; i++)
		if (v[i] > max)
			max = v[i];
	buf_printf(b, "<section class=\"panel\" aria-labelledby=\"%s\">\n<h2 id=\"%s\">", id, id);
	buf_html(b, title);
	buf_printf(b, "</h2>\n<ul class=\"chart\" aria-labelledby=\"%s\">\n", id);
	for (int i = 0; i < n; i++) {
		HTML(b, "<li><span class=\"bar-label\">");
		buf_html(b, labels[i]);
		buf_printf(b, "</span><svg class=\"bar\" viewBox=\"0 0 1000 10\" preserveAspectRatio=\"none\" aria-hidden=\"true\">"
			      "<rect width=\"%lld\" height=\"10\"/></svg><span class=\"bar-value\">",
			   (long long)(v[i] * 1000 / max));
		buf_int_grouped(b, v[i]);
		HTML(b, "</span></li>\n");
	}
	HTML(b, "</ul>\n</section>\n");
}

static void big_lights(buf *b, const struct stats *s)
{
	static const enum light order[] = { LIGHT_RED, LIGHT_UNREPORTED, LIGHT_YELLOW, LIGHT_GREEN, LIGHT_AWAITING };

	HTML(b, "<section class=\"panel\" aria-labelledby=\"bs-light\">\n<h2 id=\"bs-light\">攻坚预警</h2>\n<div class=\"lights\">\n");
	for (int i = 0; i < 5; i++)
		big_figure(b, lights[order[i]].zh, s->lights[order[i]], lights[order[i]].code);
	HTML(b, "</div>\n</section>\n");
}

static void big_months(struct req *r, const struct stats *s)
{
	const char **labels = arena_alloc(r->a, (size_t)(s->nmonths + 1) * sizeof(*labels));
	int64_t *v = arena_alloc(r->a, (size_t)(s->nmonths + 1) * sizeof(*v));
	int from = s->nmonths > 12 ? s->nmonths - 12 : 0, n = 0;

	for (int i = from; i < s->nmonths; i++, n++) {
		labels[n] = s->months[i].month;
		v[n] = s->months[i].claimed;
	}
	big_bars(&r->out, "bs-month", "近12个月揭榜数", labels, v, n);
}

void page_bigscreen(struct req *r)
{
	struct stats s;
	buf *b = &r->out;

	const char *v = req_query(r, "refresh");
	bool still = v && !strcmp(v, "off");

	if (bigscreen_or_respond(r) < 0 || stats_or_respond(r, &s, NULL) < 0)
		return;
	HTML(b, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
		"<meta name=\"viewport\" content=\"width=1920\">\n");
	/* WCAG 2.2.1: the reload can be turned off (?refresh=off) */
	if (!still)
		HTML(b, "<meta http-equiv=\"refresh\" content=\"60\">\n");
	HTML(b, "<title>大屏 · 揭榜挂帅</title>\n<link rel=\"stylesheet\" href=\"/static/style.css?v=");
	buf_html(b, assets_version("style.css"));
	HTML(b, "\">\n<link rel=\"icon\" type=\"image/svg+xml\" href=\"/static/favicon.svg?v=");
	buf_html(b, assets_version("favicon.svg"));
	HTML(b, "\">\n</head>\n<body class=\"bigscreen\">\n<main>\n<header class=\"bs-head\"><h1>");
	buf_html(b, r->tenant_name ? r->tenant_name : "");
	HTML(b, " 揭榜挂帅·难题破解</h1><p class=\"as-of\"><strong>");
	buf_html(b, s.batch ? s.batch : "全部批次");
	HTML(b, "</strong> · 统计截至 ");
	fmt_date_zh(b, s.as_of);
	HTML(b, " · 更新于 ");
	fmt_datetime(b, clock_now());
	if (still) {
		HTML(b, "（已停止自动刷新，<a href=\"");
		html_path(b, r, "/bigscreen");
		HTML(b, "\">恢复</a>）");
	} else {
		HTML(b, "（每分钟自动刷新，<a href=\"");
		html_path(b, r, "/bigscreen?refresh=off");
		HTML(b, "\">停止刷新</a>）");
	}
	HTML(b, "</p></header>\n<div class=\"bs-figures\">\n");
	big_figure(b, "榜单难题", s.problems, NULL);
	big_figure(b, "累计揭榜", s.claimed, NULL);
	big_figure(b, "攻坚中", s.in_progress, NULL);
	big_figure(b, "累计破题", s.solved, NULL);
	big_figure(b, "已验收", s.accepted, NULL);
	big_figure(b, "提拔使用", s.promotions, NULL);
	big_figure(b, "经验做法转化", s.practices_adopted, NULL);
	HTML(b, "</div>\n<div class=\"bs-grid\">\n");
	big_lights(b, &s);

	const char **cat = arena_alloc(r->a, (size_t)(s.ncategory + 1) * sizeof(*cat));
	int64_t *cv = arena_alloc(r->a, (size_t)(s.ncategory + 1) * sizeof(*cv));
	for (int i = 0; i < s.ncategory; i++) {
		cat[i] = s.by_category[i].code;
		cv[i] = s.by_category[i].claimed;
	}
	big_bars(b, "bs-cat", "各类别累计揭榜", cat, cv, s.ncategory);
	big_months(r, &s);
	HTML(b, "</div>\n</main>\n</body>\n</html>\n");
	reply(r, 200, "text/html; charset=utf-8");
}

/* ---- the settings page ---- */

static void settings_form(struct req *r, const struct tenant_settings *set, const struct ctx *c, bool saved, int status)
{
	buf *b = &r->out;

	page_begin(r, "系统设置", NAV_SETTINGS);
	HTML(b, "<h1>系统设置</h1>\n");
	if (saved)
		HTML(b, "<p class=\"notice\" role=\"status\">设置已保存。</p>\n");
	form_errors(r, c);
	form_open(r, "/admin/settings");
	HTML(b, "<fieldset><legend>大屏</legend>\n");
	field_check(r, c, "bigscreen", "大屏公开：不登录也可以查看大屏（只显示公开数据，不含单位明细）",
		    c ? field_value(r, c, "bigscreen", "")[0] == '1' : set->bigscreen);
	HTML(b, "<p class=\"muted\">大屏地址：<a href=\"");
	html_path(b, r, "/bigscreen");
	HTML(b, "\">");
	html_path(b, r, "/bigscreen");
	HTML(b, "</a>。关闭时只有管理员和县领导登录后可以查看。</p>\n</fieldset>\n"
		"<fieldset><legend>两步验证</legend>\n");
	field_check(r, c, "require_totp", "管理员和联络员必须启用两步验证",
		    c ? field_value(r, c, "require_totp", "")[0] == '1' : set->require_totp);
	HTML(b, "<p class=\"muted\">开启后，没有启用两步验证的管理员和单位联络员登录后要先在“我的账号”中启用，"
		"启用前不能进行其他操作。</p>\n</fieldset>\n"
		"<fieldset><legend>个人信息</legend>\n");
	field_input(r, c, "number", "pii_retention_days", "群众联系方式保存期限（天，" PII_RETENTION_MIN_TEXT "–"
		    PII_RETENTION_MAX_TEXT "）",
		    field_value(r, c, "pii_retention_days", arena_printf(r->a, "%lld", (long long)set->pii_retention_days)),
		    " min=\"" PII_RETENTION_MIN_TEXT "\" max=\"" PII_RETENTION_MAX_TEXT "\" required");
	HTML(b, "<p class=\"muted\">群众出卷、投诉建议和对公示的异议中留下的姓名和联系方式，在事项办结（难题办结或未被采纳、"
		"投诉建议答复、公示结束）后保存这么多天，到期自动匿名化，默认 730 天（2 年）。查找、导出或删除某个人的信息：");
	a_href(r, "/admin/personal-data", "个人信息查询");
	HTML(b, "。</p>\n</fieldset>\n<button type=\"submit\">保存设置</button>\n</form>\n");
	page_finish(r, status);
}

void page_settings(struct req *r)
{
	struct tenant_settings set;
	struct perm_target t = { 0, 0, 0, false };
	const char *saved = req_query(r, "saved");

	if (tenant_or_respond(r) < 0)
		return;
	t.tenant_id = r->tenant_id;
	if (!perm_or_respond(r, "tenant.settings", "tenant", r->tenant_id, &t))
		return;
	if (settings_get(r->db, r->tenant_id, &set) != 0) {
		web_store_error(r);
		return;
	}
	settings_form(r, &set, NULL, saved && *saved, 200);
}

static void settings_again(struct req *r, const void *outcome, int status)
{
	const struct ctx *c = outcome;
	struct tenant_settings set = { false, false, PII_RETENTION_DEFAULT };

	settings_form(r, &set, c, false, status);
}

void act_settings(struct req *r)
{
	const char *v = req_form(r, "bigscreen"), *totp = req_form(r, "require_totp");
	const char *days = req_form(r, "pii_retention_days");
	struct tenant_settings set = { .bigscreen = v && !strcmp(v, "1"), .require_totp = totp && !strcmp(totp, "1") };
	struct perm_target t = { 0, 0, 0, false };
	struct ctx c;
	int rc;

	if (tenant_or_respond(r) < 0)
		return;
	t.tenant_id = r->tenant_id;
	if (!perm_or_respond(r, "tenant.settings", "tenant", r->tenant_id, &t) || !reauth_or_ask(r))
		return;
	web_ctx(r, &c);
	if (!days) {
		/* a form from before the setting keeps the tenant's retention */
		struct tenant_settings was;
		if (settings_get(r->db, r->tenant_id, &was) < 0) {
			web_store_error(r);
			return;
		}
		set.pii_retention_days = was.pii_retention_days;
	} else if (parse_int(days, 0, 1000000, &set.pii_retention_days) < 0) {
		set.pii_retention_days = -1; /* refused by the verb, beside the field */
	}
	if ((rc = settings_set(&c, &set)) != JB_OK) {
		present_outcome_error(r, &c, rc, settings_again, &c);
		return;
	}
	present(r, 200, &(struct presentation){ .json = json_ok, .redirect = "/admin/settings?saved=1" }, NULL);
}
