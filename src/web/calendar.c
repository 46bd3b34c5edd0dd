/* calendar.c - the working-day calendar page (/calendar/:year, any
 * signed-in user; the edit form for holders of calendar.manage) and its
 * API (GET|PUT /api/v1/calendar/:year). A year shows as twelve month
 * grids; weekends, holidays (放假) and make-up working days (调休上班) are
 * marked with a word in the cell, not only with a colour. */
#include "web/notice.h"

#include <string.h>

#include "domain/calendar.h"
#include "util/civil.h"
#include "util/text.h"
#include "web/fields.h"
#include "web/web.h"

static const char *const weekday_zh[] = { "一", "二", "三", "四", "五", "六", "日" };

/* The year of route parameter 0, or an answer (400) and -1. */
static int year_or_respond(struct req *r, int *year)
{
	int64_t y;

	if (parse_int(r->params[0], CALENDAR_YEAR_MIN, CALENDAR_YEAR_MAX, &y) < 0) {
		reply_error(r, 400, "bad_parameter",
			    arena_printf(r->a, "年份必须是 %d 到 %d 之间的整数", CALENDAR_YEAR_MIN, CALENDAR_YEAR_MAX), "year");
		return -1;
	}
	*year = (int)y;
	return 0;
}

static const struct cal_day *special(const struct calendar *cal, const char *day)
{
	for (int i = 0; i < cal->n; i++)
		if (!strcmp(cal->days[i].day, day))
			return &cal->days[i];
	return NULL;
}

static const char *source_code(const struct calendar *cal)
{
	return cal->own ? "own" : cal->builtin ? "builtin" : "weekends";
}

static json_t *calendar_json(const struct calendar *cal)
{
	json_t *days = json_array();

	for (int i = 0; i < cal->n; i++)
		json_array_append_new(days, json_pack("{s:s, s:s, s:s}", "day", cal->days[i].day, "kind", cal->days[i].kind,
						      "name", cal->days[i].name));
	return json_pack("{s:i, s:s, s:b, s:o, s:s, s:o}", "year", cal->year, "source", source_code(cal), "own", cal->own,
			 "updated_at", cal->own ? json_integer(cal->updated_at) : json_null(), "updated_by",
			 cal->updated_by ? cal->updated_by : "", "days", days);
}

/* One month as a table: Monday first; each day's number and its mark. */
static void month_grid(buf *b, const struct calendar *cal, int year, int month)
{
	int64_t first = civil_days(year, month, 1);
	int lead = (civil_weekday(first) + 6) % 7, ndays = civil_month_days(year, month);

	buf_printf(b, "<table class=\"month\">\n<caption>%d年%d月</caption>\n<thead><tr>", year, month);
	for (int i = 0; i < 7; i++)
		buf_printf(b, "<th scope=\"col\">%s</th>", weekday_zh[i]);
	HTML(b, "</tr></thead>\n<tbody>\n<tr>");
	for (int i = 0; i < lead; i++)
		HTML(b, "<td></td>");
	for (int d = 1; d <= ndays; d++) {
		int64_t z = first + d - 1;
		int wd = civil_weekday(z);
		char s[CIVIL_DATE_LEN];
		const struct cal_day *sp = special(cal, civil_format(z, s));
		const char *cls = sp ? (!strcmp(sp->kind, "work") ? "cal-work" : "cal-off") : (wd == 0 || wd == 6) ? "cal-weekend" : "";
		const char *mark = sp ? (!strcmp(sp->kind, "work") ? "班" : "假") : (wd == 0 || wd == 6) ? "休" : "";
		if ((lead + d - 1) % 7 == 0 && d > 1)
			HTML(b, "</tr>\n<tr>");
		buf_printf(b, "<td class=\"%s\"", cls);
		if (sp && *sp->name) {
			HTML(b, " title=\"");
			buf_html(b, sp->name);
			HTML(b, "\"");
		}
		buf_printf(b, "><span class=\"cal-d\">%d</span>", d);
		if (*mark)
			buf_printf(b, "<span class=\"cal-k\">%s</span>", mark);
		HTML(b, "</td>");
	}
	for (int i = (lead + ndays) % 7; i && i < 7; i++)
		HTML(b, "<td></td>");
	HTML(b, "</tr>\n</tbody>\n</table>\n");
}

/* The special days as ranges: consecutive days of one kind and name are
 * one line ("2025-10-01 至 2025-10-08 放假（国庆节、中秋节）"). */
static void special_list(buf *b, const struct calendar *cal)
{
	if (!cal->n) {
		HTML(b, "<p class=\"empty\">这一年没有设置节假日和调休，只按周末计算。</p>\n");
		return;
	}
	HTML(b, "<ul class=\"cal-days\">\n");
	for (int i = 0, j; i < cal->n; i = j) {
		int64_t z, next;
		for (j = i + 1; j < cal->n; j++)
			if (!civil_parse(cal->days[j - 1].day, &z) || !civil_parse(cal->days[j].day, &next) || next != z + 1 ||
			    strcmp(cal->days[j].kind, cal->days[i].kind) || strcmp(cal->days[j].name, cal->days[i].name))
				break;
		HTML(b, "<li>");
		buf_html(b, cal->days[i].day);
		if (j - 1 > i) {
			HTML(b, " 至 ");
			buf_html(b, cal->days[j - 1].day);
		}
		HTML(b, " ");
		buf_puts(b, strcmp(cal->days[i].kind, "work") ? "放假" : "调休上班");
		if (*cal->days[i].name) {
			HTML(b, "（");
			buf_html(b, cal->days[i].name);
			HTML(b, "）");
		}
		HTML(b, "</li>\n");
	}
	HTML(b, "</ul>\n");
}

static const char *lines_of(arena *a, const struct calendar *cal)
{
	buf b = BUF_INIT;
	const char *s;

	for (int i = 0; i < cal->n; i++)
		buf_printf(&b, "%s %s %s\n", cal->days[i].day, strcmp(cal->days[i].kind, "work") ? "放假" : "上班",
			   cal->days[i].name);
	s = arena_strdup(a, b.len ? b.s : "");
	buf_release(&b);
	return s;
}

static void edit_form(struct req *r, const struct calendar *cal, const struct ctx *c)
{
	buf *b = &r->out;

	HTML(b, "<h2 id=\"edit\">修改本年度日历</h2>\n<p>每行写一个特殊日期：“日期 上班或放假 名称”，如"
		"“2025-10-11 上班 国庆节调休”。保存后这一年使用本单位的日历，代替内置的国务院安排；"
		"没有写到的日子按周一至周五上班、周末休息计算。</p>\n");
	form_errors(r, c);
	form_open(r, arena_printf(r->a, "/calendar/%d", cal->year));
	field_textarea(r, c, "lines", "特殊日期（每行一个）", field_value(r, c, "lines", lines_of(r->a, cal)),
		       " rows=\"14\" maxlength=\"6000\" spellcheck=\"false\"");
	HTML(b, "<button type=\"submit\">保存日历</button>\n</form>\n");
}

void calendar_page(struct req *r, int year, const struct ctx *c, int status)
{
	struct perm_target t = { r->tenant_id, 0, 0, false };
	struct calendar cal;
	buf *b = &r->out;

	if (calendar_get(r->db, r->a, r->tenant_id, year, &cal) < 0) {
		web_store_error(r);
		return;
	}
	page_begin(r, arena_printf(r->a, "%d年工作日历", year), NAV_NONE);
	buf_printf(b, "<h1>%d年工作日历</h1>\n", year);
	if (!c && req_query(r, "saved"))
		HTML(b, "<p class=\"notice\" role=\"status\">日历已保存，之后发布的公示按新的日历计算公示期。</p>\n");
	HTML(b, "<p>");
	if (cal.own) {
		HTML(b, "本单位自定义的日历（");
		buf_html(b, cal.updated_by);
		HTML(b, " 保存于 ");
		fmt_datetime(b, cal.updated_at);
		HTML(b, "）。");
	} else if (cal.builtin) {
		buf_printf(b, "内置日历：《国务院办公厅关于%d年部分节假日安排的通知》。", year);
	} else {
		HTML(b, "内置日历没有这一年的节假日安排，只按周末计算；可以在下面录入。");
	}
	HTML(b, "公示期、答复期按工作日计算。</p>\n<nav class=\"actions\" aria-label=\"年份\">");
	HTML(b, "<a href=\"");
	html_path(b, r, arena_printf(r->a, "/calendar/%d", year - 1));
	buf_printf(b, "\">上一年（%d）</a><a href=\"", year - 1);
	html_path(b, r, arena_printf(r->a, "/calendar/%d", year + 1));
	buf_printf(b, "\">下一年（%d）</a></nav>\n", year + 1);
	HTML(b, "<p class=\"cal-legend\"><span class=\"cal-off\"><span class=\"cal-k\">假</span></span> 法定节假日放假"
		" <span class=\"cal-work\"><span class=\"cal-k\">班</span></span> 调休上班"
		" <span class=\"cal-weekend\"><span class=\"cal-k\">休</span></span> 周末</p>\n<div class=\"months\">\n");
	for (int m = 1; m <= 12; m++)
		month_grid(b, &cal, year, m);
	HTML(b, "</div>\n<h2>节假日和调休</h2>\n");
	special_list(b, &cal);
	if (r->csrf && perm_check(r->who, "calendar.manage", &t))
		edit_form(r, &cal, c);
	page_finish(r, status);
}

/* GET /calendar/:year and GET /api/v1/calendar/:year. */
void page_calendar(struct req *r)
{
	struct calendar cal;
	int year;

	if (year_or_respond(r, &year) < 0)
		return;
	if (!r->is_api) {
		calendar_page(r, year, NULL, 200);
		return;
	}
	if (calendar_get(r->db, r->a, r->tenant_id, year, &cal) < 0) {
		web_store_error(r);
		return;
	}
	reply_json(r, 200, json_pack("{s:o}", "calendar", calendar_json(&cal)));
}

/* POST /calendar/:year (the lines) and PUT /api/v1/calendar/:year ({"days": [...]}). */
void act_calendar_set(struct req *r)
{
	struct calendar_in in;
	struct calendar cal;
	struct ctx c;
	int year, rc;

	if (year_or_respond(r, &year) < 0)
		return;
	web_ctx(r, &c);
	rc = bind_request(r, &c, calendar_fields, &in, NULL);
	if (rc == JB_OK && !r->is_api)
		rc = calendar_parse_lines(&c, &in);
	if (rc == JB_OK)
		rc = calendar_set(&c, year, &in);
	if (rc == JB_OK && !r->is_api) {
		reply_redirect(r, arena_printf(r->a, "/calendar/%d?saved=1", year));
	} else if (rc == JB_OK) {
		if (calendar_get(r->db, r->a, r->tenant_id, year, &cal) < 0)
			web_store_error(r);
		else
			reply_json(r, 200, json_pack("{s:o}", "calendar", calendar_json(&cal)));
	} else if (!r->is_api && rc == JB_EINVALID) {
		calendar_page(r, year, &c, 400);
	} else {
		outcome_error(r, &c, rc);
	}
}
