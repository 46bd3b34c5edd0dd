/* sessions.c - "my sessions" on the account page and in the API: where one
 * is signed in (browser, address, when last seen), and ending any of those
 * sessions or all but this one (domain/sessions.c; ASVS 3.3.4). */
#include "web/web.h"

#include <jansson.h>
#include <string.h>
#include <time.h>

#include "domain/session.h"
#include "web/widgets.h"

/* A User-Agent told in a few words: the browser and the system. */
static const char *device_of(arena *a, const char *ua)
{
	static const struct { const char *key, *name; } browsers[] = {
		{ "MicroMessenger", "微信" }, { "DingTalk", "钉钉" }, { "wxwork", "企业微信" }, { "Edg/", "Edge" },
		{ "Firefox/", "Firefox" }, { "Chrome/", "Chrome" }, { "Safari/", "Safari" }, { "curl/", "curl" },
	};
	static const struct { const char *key, *name; } systems[] = {
		{ "Android", "Android" }, { "iPhone", "iPhone" }, { "iPad", "iPad" }, { "Windows", "Windows" },
		{ "Mac OS X", "macOS" }, { "Linux", "Linux" },
	};
	const char *b = NULL, *s = NULL;

	for (size_t i = 0; i < sizeof(browsers) / sizeof(browsers[0]) && !b; i++)
		if (strstr(ua, browsers[i].key))
			b = browsers[i].name;
	for (size_t i = 0; i < sizeof(systems) / sizeof(systems[0]) && !s; i++)
		if (strstr(ua, systems[i].key))
			s = systems[i].name;
	if (!b && !s)
		return *ua ? "其他浏览器" : "未知设备";
	return arena_printf(a, "%s%s%s", b ? b : "", b && s ? " · " : "", s ? s : "");
}

static int read_sessions(struct req *r, struct session_row **s, int *n)
{
	return session_list(r->db, r->a, r->tenant_id, r->who->user_id,
			    r->who->via == VIA_COOKIE ? r->session_token : NULL, (int64_t)time(NULL), s, n);
}

void sessions_section(struct req *r)
{
	static const struct table_col cols[] = { { "设备", COL_TITLE }, { "地址", 0 }, { "登录时间", 0 },
						 { "最近活动", 0 }, { "", 0 }, { NULL, 0 } };
	struct table tb = { .cols = cols, .caption = "本账号当前有效的登录会话" };
	struct session_row *s;
	buf *b = &r->out;
	int n;

	HTML(b, "<h2>登录会话</h2>\n");
	if (req_query(r, "ended"))
		HTML(b, "<p class=\"notice\" role=\"status\">所选会话已退出登录。</p>\n");
	if (read_sessions(r, &s, &n) < 0) {
		HTML(b, "<p class=\"error\">会话列表暂时无法读取，请稍后再试。</p>\n");
		return;
	}
	HTML(b, "<p class=\"muted\">不认识的设备或地址，请结束该会话并修改密码。会话闲置 30 分钟或登录满 12 小时自动失效。</p>\n");
	table_open(b, &tb);
	for (int i = 0; i < n; i++) {
		table_row(b, &tb);
		table_cell(b, &tb);
		buf_html(b, device_of(r->a, s[i].user_agent));
		if (*s[i].user_agent) {
			HTML(b, "<br><small class=\"muted\">");
			buf_html(b, s[i].user_agent);
			HTML(b, "</small>");
		}
		table_cell(b, &tb);
		buf_html(b, *s[i].addr ? s[i].addr : "—");
		table_cell(b, &tb);
		fmt_datetime(b, s[i].created_at);
		table_cell(b, &tb);
		fmt_datetime(b, s[i].seen_at);
		table_cell(b, &tb);
		if (s[i].current)
			HTML(b, "<strong>当前会话</strong>");
		else if (r->csrf)
			html_button_form(r, arena_printf(r->a, "/account/sessions/%s/end", s[i].handle), "结束会话", false);
	}
	table_close(b, &tb);
	if (n > 1 && r->csrf)
		html_button_form(r, "/account/sessions/others/end", "结束其他全部会话", false);
}

static json_t *session_json(const struct session_row *s)
{
	return json_pack("{s:s, s:I, s:I, s:s, s:s, s:b}", "id", s->handle, "created_at", (json_int_t)s->created_at,
			 "seen_at", (json_int_t)s->seen_at, "addr", s->addr, "user_agent", s->user_agent, "current",
			 s->current);
}

void api_sessions(struct req *r)
{
	struct session_row *s;
	json_t *items;
	int n;

	if (read_sessions(r, &s, &n) < 0) {
		web_store_error(r);
		return;
	}
	items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, session_json(&s[i]));
	reply_json(r, 200, json_pack("{s:o}", "items", items));
}

static json_t *ended_json(struct req *r, const void *outcome)
{
	(void)r;
	return json_pack("{s:i}", "ended", *(const int *)outcome);
}

/* POST /account/sessions/:id/end, DELETE /api/v1/me/sessions/:id: one of
 * one's own sessions (:id from the list), or every other ("others"). */
void act_session_end(struct req *r)
{
	struct actor by = req_actor(r);
	struct perm_target t = { .tenant_id = r->tenant_id, .owner_user_id = r->who->user_id };
	const char *id = r->nparams ? r->params[0] : "";
	int n;

	if (strcmp(id, "others") && !session_handle_ok(id)) {
		reply_error(r, 400, "bad_id", "会话编号应为 16 位十六进制字符，或 others（其他全部会话）", "id");
		return;
	}
	if (!perm_or_respond(r, "account.session", "user", r->who->user_id, &t))
		return;
	n = session_end(r->db, &by, r->who->user_id, id, r->who->via == VIA_COOKIE ? r->session_token : NULL);
	if (n < 0) {
		web_store_error(r);
		return;
	}
	if (!n) {
		reply_error(r, 404, "not_found", "没有这个有效的会话", "id");
		return;
	}
	present(r, 200, &(struct presentation){ .json = ended_json, .redirect = "/account?ended=1" }, &n);
}
