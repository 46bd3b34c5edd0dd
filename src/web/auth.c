/* auth.c - logging in and out, the account page, changing one's password,
 * API tokens: the pages and the /api/v1 calls that do the same. */
#include "web/web.h"

#include <string.h>
#include <time.h>

#include "domain/bind.h"
#include "domain/device.h"
#include "domain/password.h"
#include "domain/perm.h"
#include "domain/session.h"
#include "domain/user.h"
#include "http/cookie.h"
#include "http/form.h"
#include "util/text.h"
#include "web/app.h"
#include "web/fields.h"
#include "web/widgets.h"

#define NEXT_MAX 512

/* The bytes a local redirect target may hold as sent: RFC 3986 path,
 * query and fragment characters and '%'. No control character, space,
 * backslash, quote or angle bracket: browsers drop TAB/CR/LF and read
 * "\\" as "/", which turns "/\t/host" or "/\\host" into "//host". */
static bool next_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("-._~!$&'()*+,;=:@/?#%", c));
}

/* One path of this site: a single "/" then a path character, never "//"
 * anywhere, only allowed bytes (strict), or at least no control byte,
 * space or backslash (the decoded form, which may hold UTF-8). */
static bool next_shape_ok(const char *s, bool strict)
{
	if (s[0] != '/' || !s[1] || s[1] == '/' || strstr(s, "//"))
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (strict ? !next_char(*p) : (*p <= ' ' || *p == 0x7f || *p == '\\'))
			return false;
	}
	return true;
}

/* A "next" target after logging in, by an allow-list (ASVS 5.1.3): a
 * local path that stays local as sent and once more decoded, not the
 * log-in or log-out page itself; anything else is "/". The caller puts
 * the tenant prefix in front (reply_redirect). */
static const char *safe_next(arena *a, const char *next)
{
	const char *dec;

	if (!next || strlen(next) > NEXT_MAX || !next_shape_ok(next, true))
		return "/";
	dec = form_decode_path(a, next, strlen(next)); /* as a browser might read it, decoded once more */
	if (!dec || !next_shape_ok(dec, false) || !strncmp(dec, "/logout", 7) || !strncmp(dec, "/login", 6))
		return "/";
	return next;
}

static json_t *principal_json(const struct principal *who, const char *csrf)
{
	return json_pack("{s:I, s:s, s:o, s:o, s:o, s:b, s:s, s:s?}", "id", (json_int_t)who->user_id,
			 "login", who->login, "roles", user_roles_json(who->roles),
			 "person_id", who->person_id ? json_integer(who->person_id) : json_null(),
			 "unit_id", who->unit_id ? json_integer(who->unit_id) : json_null(),
			 "must_change", who->must_change,
			 "via", who->via == VIA_TOKEN ? "token" : "cookie", "csrf_token", csrf);
}

/* ---- log in ---- */

static void login_form(struct req *r, const char *login, const char *next, const char *error)
{
	buf *b = &r->out;

	page_begin(r, "登录", NAV_LOGIN);
	HTML(b, "<h1>登录</h1>\n");
	if (error) {
		HTML(b, "<p class=\"notice error-notice\" role=\"alert\">");
		buf_html(b, error);
		HTML(b, "</p>\n");
	}
	if (r->who && r->who->user_id) {
		HTML(b, "<p class=\"notice\">您已登录为 <strong>");
		buf_html(b, r->who->login);
		HTML(b, "</strong>。重新登录将结束当前会话。</p>\n");
	}
	HTML(b, "<form class=\"stack\" method=\"post\" action=\"");
	html_path(b, r, "/login");
	HTML(b, "\">\n<label>登录名<input name=\"login\" autocomplete=\"username\" required maxlength=\"64\" value=\"");
	buf_html(b, login ? login : "");
	HTML(b, "\"></label>\n<label>密码<input type=\"password\" name=\"password\" autocomplete=\"current-password\""
		" required maxlength=\"128\"></label>\n<input type=\"hidden\" name=\"next\" value=\"");
	buf_html(b, safe_next(r->a, next));
	HTML(b, "\">\n<button type=\"submit\">登录</button>\n</form>\n"
		"<p class=\"muted\">忘记密码请联系本单位管理员重置。</p>\n");
}

void page_login(struct req *r)
{
	login_form(r, NULL, req_query(r, "next"), NULL);
	page_end(r);
}

/* What a log-in was sent: the form's fields or the API's members. */
struct login_in {
	const char *login, *password, *next;
};

/* Tabs and line breaks pass: the name is only looked up (a hostile one
 * is a failed log-in, audited escaped), the password only verified, and
 * "next" is safe_next()'s to judge. */
const struct bind_field login_fields[] = {
	BIND_TEXT(struct login_in, login, "登录名", BIND_REQUIRED | BIND_MULTILINE, 0, LOGIN_MAX),
	BIND_TEXT(struct login_in, password, "密码", BIND_REQUIRED | BIND_MULTILINE, 0, PW_MAX_CHARS),
	BIND_TEXT(struct login_in, next, "登录后前往的地址", BIND_MULTILINE, 0, INT32_MAX),
	BIND_END,
};

/* A refused log-in: the form again with what was typed and why. */
struct login_refusal {
	const char *login, *next, *message;
};

static void login_refused_page(struct req *r, const void *outcome, int status)
{
	const struct login_refusal *o = outcome;

	login_form(r, o->login, o->next, o->message);
	page_finish(r, status);
}

static json_t *login_json(struct req *r, const void *outcome)
{
	const struct login_result *res = outcome;

	return json_pack("{s:o, s:s}", "user", principal_json(&res->who, NULL), "csrf_token", res->csrf);
}

/* The Retry-After header and "<what>，请在 N 分钟后再试" for a refused
 * password check (what: the failures' wording; too many successes have
 * their own). */
static const char *wait_message(struct req *r, int verdict, int64_t wait_s, const char *what)
{
	int64_t minutes = (wait_s + 59) / 60;

	req_header(r, "Retry-After", arena_printf(r->a, "%lld", (long long)wait_s));
	return arena_printf(r->a, "%s，请在 %lld 分钟后再试", verdict == THROTTLE_FREQUENT ? "登录过于频繁" : what,
			    (long long)(minutes ? minutes : 1));
}

static const char *throttle_reason(int verdict)
{
	return verdict == THROTTLE_LOCKED ? "locked" : verdict == THROTTLE_FREQUENT ? "frequent" : "throttled";
}

/* The device cookie's name for login (folded), with the __Host- prefix
 * when cookies are Secure. */
static const char *device_name(struct req *r, const char *login)
{
	char name[DEVICE_NAME_MAX];

	device_cookie_name(login, name);
	return arena_printf(r->a, "%s%s", req_secure_cookies(r) ? "__Host-" : "", name);
}

/* The pending log-in's cookie: the second step's (LOGIN_TOTP). */
static const char *pending_name(struct req *r)
{
	return req_secure_cookies(r) ? "__Host-jb_2fa" : "jb_2fa";
}

/* A log-in done (LOGIN_OK): the session's and the device's cookies, and
 * the next page (the password change first when it must change). */
static void login_done(struct req *r, struct login_result *res, const char *dev_name, const char *next)
{
	req_header(r, "Set-Cookie", cookie_set(r->a, req_cookie_name(r), res->token, req_secure_cookies(r)));
	req_header(r, "Set-Cookie", cookie_set_lasting(r->a, dev_name, res->device, DEVICE_MAX_AGE,
						       req_secure_cookies(r)));
	r->no_store = true;
	r->who = &res->who;
	r->csrf = arena_strdup(r->a, res->csrf);
	present(r, 200, &(struct presentation){ .json = login_json,
		.redirect = res->who.must_change ? "/account/password" :
			    res->who.totp_required ? "/account/totp" : safe_next(r->a, next) }, res);
}

static json_t *pending_json(struct req *r, const void *outcome)
{
	(void)r;
	return json_pack("{s:s, s:s}", "second_factor", "totp", "pending", ((const struct login_result *)outcome)->token);
}

/* The refusals both steps share; false when res is not one of them. */
static bool login_refused(struct req *r, struct login_result *res, const char *login, struct login_refusal *refusal,
			  page_fn page)
{
	switch (res->status) {
	case LOGIN_THROTTLED:
		deny_login(r, user_fold_login(r->a, login), throttle_reason(res->throttle));
		refusal->message = wait_message(r, res->throttle, res->wait_s, "登录失败次数过多");
		present_refusal(r, 429, "throttled", refusal->message, NULL, page, refusal);
		return true;
	case LOGIN_BUSY:
		req_header(r, "Retry-After", "5");
		reply_error(r, 503, "busy", "服务器繁忙，请稍后再试", NULL);
		return true;
	case LOGIN_ERROR:
		web_store_error(r);
		return true;
	default:
		return false;
	}
}

void act_login(struct req *r)
{
	struct login_request in = { .tenant_id = r->tenant_id, .addr = req_client_addr(r),
				    .old_token = r->session_token, .ok_per_addr = req_app(r)->logins_per_addr,
				    .user_agent = req_header_in(r, "User-Agent") };
	struct login_refusal refusal;
	struct login_result res;
	struct login_in f;
	const char *dev_name;
	struct ctx c;
	buf b = BUF_INIT;
	int rc;

	web_ctx(r, &c);
	if ((rc = bind_request(r, &c, login_fields, &f, NULL)) != JB_OK) {
		outcome_error(r, &c, rc);
		return;
	}
	in.login = f.login;
	in.password = f.password;
	refusal = (struct login_refusal){ f.login, f.next, NULL };
	dev_name = device_name(r, user_fold_login(r->a, in.login));
	in.device = cookie_get(r->a, req_header_in(r, "Cookie"), dev_name);
	session_login(r->db, r->a, &in, &res);
	switch (res.status) {
	case LOGIN_OK:
		login_done(r, &res, dev_name, f.next);
		return;
	case LOGIN_TOTP:
		req_header(r, "Set-Cookie", cookie_set_lasting(r->a, pending_name(r), res.token, LOGIN_PENDING_MAX,
							       req_secure_cookies(r)));
		r->no_store = true;
		buf_puts(&b, "/login/totp?next=");
		buf_url(&b, safe_next(r->a, f.next));
		present(r, 202, &(struct presentation){ .json = pending_json, .redirect = arena_strdup(r->a, b.s) }, &res);
		buf_release(&b);
		return;
	case LOGIN_BAD:
	case LOGIN_EXPIRED:
		refusal.message = "登录名或密码不正确";
		present_refusal(r, 401, "bad_credentials", refusal.message, NULL, login_refused_page, &refusal);
		return;
	default:
		login_refused(r, &res, in.login, &refusal, login_refused_page);
		return;
	}
}

/* ---- the second step: the code of the authenticator app ---- */

static void totp_login_form(struct req *r, const char *next, const char *error)
{
	buf *b = &r->out;

	page_begin(r, "两步验证", NAV_LOGIN);
	HTML(b, "<h1>两步验证</h1>\n");
	if (error) {
		HTML(b, "<p class=\"notice error-notice\" role=\"alert\">");
		buf_html(b, error);
		HTML(b, "</p>\n");
	}
	HTML(b, "<p>密码正确。请打开手机上的身份验证器（如腾讯身份验证器、Microsoft Authenticator、Google 身份验证器），"
		"输入本账号当前显示的 6 位验证码。</p>\n<form class=\"stack\" method=\"post\" action=\"");
	html_path(b, r, "/login/totp");
	HTML(b, "\">\n<label>验证码或恢复码<input name=\"code\" autocomplete=\"one-time-code\" required maxlength=\"32\""
		" autofocus aria-describedby=\"code-help\"></label>\n"
		"<p id=\"code-help\" class=\"muted\">手机不在身边时，可以输入启用两步验证时保存的恢复码（形如 abcde-fghij），"
		"每个恢复码只能使用一次。</p>\n<input type=\"hidden\" name=\"next\" value=\"");
	buf_html(b, safe_next(r->a, next));
	HTML(b, "\">\n<button type=\"submit\">验证并登录</button>\n</form>\n<p><a href=\"");
	html_path(b, r, "/login");
	HTML(b, "\">重新登录</a></p>\n");
}

void page_login_totp(struct req *r)
{
	const char *pending = cookie_get(r->a, req_header_in(r, "Cookie"), pending_name(r));

	if (!pending || !*pending) {
		reply_redirect(r, "/login");
		return;
	}
	r->no_store = true;
	totp_login_form(r, req_query(r, "next"), NULL);
	page_end(r);
}

struct totp_login_in {
	const char *code, *next, *pending;
};

const struct bind_field totp_login_fields[] = {
	BIND_TEXT(struct totp_login_in, code, "验证码", BIND_REQUIRED | BIND_MULTILINE, 0, 32),
	BIND_TEXT(struct totp_login_in, next, "登录后前往的地址", BIND_MULTILINE, 0, INT32_MAX),
	BIND_TEXT(struct totp_login_in, pending, "待验证的登录", BIND_MULTILINE, 0, 64),
	BIND_END,
};

static void totp_refused_page(struct req *r, const void *outcome, int status)
{
	const struct login_refusal *o = outcome;

	totp_login_form(r, o->next, o->message);
	page_finish(r, status);
}

static void expired_page(struct req *r, const void *outcome, int status)
{
	const struct login_refusal *o = outcome;

	login_form(r, NULL, o->next, o->message);
	page_finish(r, status);
}

void act_login_totp(struct req *r)
{
	struct login_request in = { .tenant_id = r->tenant_id, .addr = req_client_addr(r),
				    .old_token = r->session_token, .ok_per_addr = req_app(r)->logins_per_addr,
				    .user_agent = req_header_in(r, "User-Agent") };
	struct login_refusal refusal;
	struct login_result res;
	struct totp_login_in f;
	struct ctx c;
	int rc;

	web_ctx(r, &c);
	if ((rc = bind_request(r, &c, totp_login_fields, &f, NULL)) != JB_OK) {
		outcome_error(r, &c, rc);
		return;
	}
	in.pending = f.pending && *f.pending ? f.pending : cookie_get(r->a, req_header_in(r, "Cookie"), pending_name(r));
	in.password = f.code;
	refusal = (struct login_refusal){ NULL, f.next, NULL };
	session_login_totp(r->db, r->a, &in, &res);
	if (res.status == LOGIN_OK || res.status == LOGIN_EXPIRED)
		req_header(r, "Set-Cookie", cookie_clear(r->a, pending_name(r), req_secure_cookies(r)));
	switch (res.status) {
	case LOGIN_OK:
		login_done(r, &res, device_name(r, res.who.login), f.next);
		return;
	case LOGIN_BAD:
		refusal.message = "验证码不正确或已使用过，请输入身份验证器上当前的验证码";
		present_refusal(r, 401, "bad_code", refusal.message, "code", totp_refused_page, &refusal);
		return;
	case LOGIN_EXPIRED:
		refusal.message = "两步验证已超时或失败次数过多，请重新登录";
		present_refusal(r, 401, "pending_expired", refusal.message, NULL, expired_page, &refusal);
		return;
	default:
		login_refused(r, &res, res.who.login ? res.who.login : "", &refusal, totp_refused_page);
		return;
	}
}

void act_logout(struct req *r)
{
	struct actor by = req_actor(r);
	struct perm_target t = { r->tenant_id, r->who->unit_id, r->who->user_id, false };

	if (r->who->via != VIA_COOKIE || !r->session_token) {
		reply_error(r, 400, "no_session", "API 令牌没有会话可退出；不再使用的令牌请撤销", NULL);
		return;
	}
	if (!perm_or_respond(r, "session.delete", "user", r->who->user_id, &t))
		return;
	if (session_logout(r->db, &by, r->session_token) < 0) {
		web_store_error(r);
		return;
	}
	req_header(r, "Set-Cookie", cookie_clear(r->a, req_cookie_name(r), req_secure_cookies(r)));
	present(r, 200, &(struct presentation){ .json = json_ok, .redirect = "/" }, NULL);
}

/* ---- the account ---- */

static void token_rows(struct req *r, const struct apitoken *t, int n)
{
	static const struct table_col cols[] = { { "编号", 0 }, { "名称", COL_TITLE }, { "创建", 0 }, { "最近使用", 0 },
						 { "状态", 0 }, { NULL, 0 } };
	struct table tb = { .cols = cols };
	buf *b = &r->out;

	if (!n) {
		HTML(b, "<p class=\"empty\">还没有 API 令牌。</p>\n");
		return;
	}
	table_open(b, &tb);
	for (int i = 0; i < n; i++) {
		table_row(b, &tb);
		table_cell(b, &tb);
		buf_printf(b, "%lld", (long long)t[i].id);
		table_cell(b, &tb);
		buf_html(b, t[i].name);
		table_cell(b, &tb);
		fmt_datetime(b, t[i].created_at);
		table_cell(b, &tb);
		if (t[i].used_at)
			fmt_datetime(b, t[i].used_at);
		else
			HTML(b, "—");
		table_cell(b, &tb);
		if (t[i].revoked_at)
			HTML(b, "已撤销");
		else if (r->csrf)
			html_button_form(r, arena_printf(r->a, "/account/tokens/%lld/revoke", (long long)t[i].id), "撤销", true);
		else
			HTML(b, "有效");
	}
	table_close(b, &tb);
}

void page_account(struct req *r)
{
	const struct principal *who = r->who;
	struct apitoken *toks;
	struct user u;
	buf *b = &r->out;
	int n, rc;

	rc = user_get(r->db, r->a, r->tenant_id, who->user_id, &u);
	if (rc == 0)
		rc = apitoken_list(r->db, r->a, r->tenant_id, who->user_id, &toks, &n);
	if (rc != 0) {
		web_store_error(r);
		return;
	}
	page_begin(r, "我的账号", NAV_ACCOUNT);
	HTML(b, "<h1>我的账号</h1>\n");
	if (req_query(r, "changed"))
		HTML(b, "<p class=\"notice\" role=\"status\">密码已修改。其他设备上的登录已全部退出，API 令牌已全部撤销。</p>\n");
	if (req_query(r, "revoked"))
		HTML(b, "<p class=\"notice\" role=\"status\">API 令牌已撤销。</p>\n");
	HTML(b, "<dl class=\"facts\">\n<dt>登录名</dt><dd>");
	buf_html(b, u.login);
	HTML(b, "</dd>\n<dt>角色</dt><dd>");
	html_roles(b, u.roles, "（无角色）");
	HTML(b, "</dd>\n<dt>人员</dt><dd>");
	buf_html(b, *u.person_name ? u.person_name : "—");
	HTML(b, "</dd>\n<dt>单位</dt><dd>");
	buf_html(b, *u.unit_name ? u.unit_name : "—");
	HTML(b, "</dd>\n<dt>密码修改于</dt><dd>");
	fmt_datetime(b, u.password_at);
	HTML(b, "</dd>\n</dl>\n<p><a href=\"");
	html_path(b, r, "/account/password");
	HTML(b, "\">修改密码</a></p>\n<h2>API 令牌</h2>\n"
		"<p class=\"muted\">脚本和系统对接使用 <code>Authorization: Bearer &lt;令牌&gt;</code> 调用 /api/v1，"
		"权限与本账号相同。令牌只在创建时显示一次。</p>\n");
	token_rows(r, toks, n);
	if (r->csrf) {
		HTML(b, "<form class=\"stack\" method=\"post\" action=\"");
		html_path(b, r, "/account/tokens");
		HTML(b, "\">");
		html_csrf(r);
		HTML(b, "<label>新令牌名称<input name=\"name\" required maxlength=\"64\" placeholder=\"如：数据同步脚本\"></label>"
			"<button type=\"submit\">创建令牌</button></form>\n");
	}
	totp_section(r);
	sessions_section(r);
	page_end(r);
}

void api_me(struct req *r)
{
	reply_json(r, 200, principal_json(r->who, r->who->via == VIA_COOKIE ? r->csrf : NULL));
}

void api_tokens(struct req *r)
{
	struct apitoken *t;
	json_t *items;
	int n;

	if (apitoken_list(r->db, r->a, r->tenant_id, r->who->user_id, &t, &n) < 0) {
		web_store_error(r);
		return;
	}
	items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, json_pack("{s:I, s:s, s:I, s:o, s:o}", "id", (json_int_t)t[i].id,
			"name", t[i].name, "created_at", (json_int_t)t[i].created_at,
			"used_at", t[i].used_at ? json_integer(t[i].used_at) : json_null(),
			"revoked_at", t[i].revoked_at ? json_integer(t[i].revoked_at) : json_null()));
	reply_json(r, 200, json_pack("{s:o}", "items", items));
}

/* ---- password ---- */

static void password_form(struct req *r, const char *error)
{
	buf *b = &r->out;

	page_begin(r, "修改密码", NAV_ACCOUNT);
	HTML(b, "<h1>修改密码</h1>\n");
	if (r->who->must_change)
		HTML(b, "<p class=\"notice\" role=\"status\">这是系统生成的初始密码，请先设置您自己的密码再继续使用。</p>\n");
	if (error) {
		HTML(b, "<p class=\"notice error-notice\" role=\"alert\">");
		buf_html(b, error);
		HTML(b, "</p>\n");
	}
	HTML(b, "<form class=\"stack\" method=\"post\" action=\"");
	html_path(b, r, "/account/password");
	HTML(b, "\">");
	html_csrf(r);
	HTML(b, "\n<label>当前密码<input type=\"password\" name=\"current_password\" autocomplete=\"current-password\""
		" required maxlength=\"128\"></label>\n"
		"<label>新密码<input type=\"password\" name=\"new_password\" autocomplete=\"new-password\" required"
		" minlength=\"12\" maxlength=\"128\" aria-describedby=\"pw-help\"></label>\n"
		"<p id=\"pw-help\" class=\"muted\">至少 12 个字符，最多 128 个；可以用一句好记的话，中文、空格和符号都可以。"
		"太常见的密码会被拒绝。</p>\n"
		"<label>再输入一次新密码<input type=\"password\" name=\"new_password2\" autocomplete=\"new-password\""
		" required maxlength=\"128\"></label>\n"
		"<p class=\"muted\">修改后，其他设备上的登录将全部退出，您的 API 令牌也将全部撤销。</p>\n"
		"<button type=\"submit\">修改密码</button>\n</form>\n");
}

void page_password(struct req *r)
{
	password_form(r, NULL);
	page_end(r);
}

/* The form again, with the message outcome says. */
static void password_refused_page(struct req *r, const void *outcome, int status)
{
	password_form(r, outcome);
	page_finish(r, status);
}

/* Answer a bad password change: the form again, or a JSON error. */
static void password_error(struct req *r, int status, const char *code, const char *msg, const char *field)
{
	present_refusal(r, status, code, msg, field, password_refused_page, msg);
}

struct password_in {
	const char *current_password, *new_password, *new_password2;
};

/* The new password's length is pw_policy()'s to judge, with its message. */
const struct bind_field password_fields[] = {
	BIND_TEXT(struct password_in, current_password, "当前密码", BIND_REQUIRED | BIND_MULTILINE, 0, PW_MAX_CHARS),
	BIND_TEXT(struct password_in, new_password, "新密码", BIND_REQUIRED | BIND_MULTILINE, 0, 100000),
	BIND_TEXT(struct password_in, new_password2, "再输入一次新密码", BIND_MULTILINE, 0, 100000),
	BIND_END,
};

void act_password(struct req *r)
{
	const struct principal *who = r->who;
	struct perm_target t = { r->tenant_id, who->unit_id, who->user_id, false };
	struct actor by = req_actor(r);
	char hash[PW_HASH_MAX], keep[TOKEN_HASH_HEX + 1];
	const char *cur, *pw, *pw2, *why;
	struct password_in f;
	struct ctx c;
	int64_t wait_s;
	int rc, verdict;

	if (!perm_or_respond(r, "account.password", "user", who->user_id, &t))
		return;
	web_ctx(r, &c);
	if ((rc = bind_request(r, &c, password_fields, &f, NULL)) != JB_OK) {
		outcome_error(r, &c, rc);
		return;
	}
	cur = f.current_password;
	pw = f.new_password;
	pw2 = f.new_password2;
	if ((why = pw_policy(pw, who->login))) {
		password_error(r, 400, "weak_password", why, "new_password");
		return;
	}
	if (pw2 && strcmp(pw, pw2)) {
		password_error(r, 400, "mismatch", "两次输入的新密码不一致", "new_password2");
		return;
	}
	if (!strcmp(pw, cur)) {
		password_error(r, 400, "same_password", "新密码不能与当前密码相同", "new_password");
		return;
	}
	switch (session_reauth(r->db, r->a, &by, who->user_id, cur, "account.password", req_app(r)->logins_per_addr,
			       &verdict, &wait_s)) {
	case LOGIN_OK:
		break;
	case LOGIN_BAD:
		password_error(r, 403, "wrong_password", "当前密码不正确", "current_password");
		return;
	case LOGIN_THROTTLED:
		password_error(r, 429, "throttled", wait_message(r, verdict, wait_s, "密码错误次数过多"), NULL);
		return;
	case LOGIN_BUSY:
		req_header(r, "Retry-After", "5");
		reply_error(r, 503, "busy", "服务器繁忙，请稍后再试", NULL);
		return;
	case LOGIN_ERROR:
	default:
		web_store_error(r);
		return;
	}
	rc = pw_hash(pw, hash);
	if (rc != PW_OK) {
		req_header(r, "Retry-After", "5");
		reply_error(r, 503, "busy", "服务器繁忙，请稍后再试", NULL);
		return;
	}
	if (r->session_token)
		token_hash(r->session_token, keep);
	rc = user_set_password(&c, who->user_id, hash, r->session_token ? keep : NULL);
	if (rc != JB_OK) {
		outcome_error(r, &c, rc);
		return;
	}
	present(r, 200, &(struct presentation){ .json = json_ok, .redirect = "/account?changed=1" }, NULL);
}

/* ---- re-authentication before a sensitive change ("sudo mode") ---- */

/* The page asking for the password again. A GET (an export) goes to
 * /account/reauth and back to itself; a POST is sent again to its own
 * path with every field it had, and the password in reauth_password. */
static void reauth_form(struct req *r, const char *error)
{
	bool get = !strcmp(r->method, "GET");
	buf *b = &r->out;

	page_begin(r, "验证密码", NAV_ACCOUNT);
	HTML(b, "<h1>验证密码</h1>\n");
	if (error) {
		HTML(b, "<p class=\"notice error-notice\" role=\"alert\">");
		buf_html(b, error);
		HTML(b, "</p>\n");
	}
	HTML(b, "<p>这是敏感操作（修改角色、停用账号、重置密码、修改系统设置、导出个人信息等）。"
		"为确认是您本人在操作，请再输入一次登录密码。验证后 5 分钟内的敏感操作不再询问。</p>\n"
		"<form class=\"stack\" method=\"post\" action=\"");
	html_path(b, r, get ? "/account/reauth" : r->path);
	HTML(b, "\">");
	html_csrf(r);
	if (get) {
		buf next = BUF_INIT;

		buf_puts(&next, r->path);
		for (int i = 0; i < r->nquery; i++) {
			buf_putc(&next, i ? '&' : '?');
			buf_url(&next, r->query[i].key);
			buf_putc(&next, '=');
			buf_url(&next, r->query[i].val);
		}
		HTML(b, "<input type=\"hidden\" name=\"next\" value=\"");
		buf_html(b, next.s);
		HTML(b, "\">");
		buf_release(&next);
	}
	if (!get)
		html_form_carry(r, NULL);
	HTML(b, "\n<label>当前密码<input type=\"password\" name=\"");
	buf_puts(b, get ? "password" : "reauth_password");
	HTML(b, "\" autocomplete=\"current-password\" required maxlength=\"128\" autofocus></label>\n"
		"<button type=\"submit\">验证并继续</button>\n</form>\n");
}

static void reauth_refused_page(struct req *r, const void *outcome, int status)
{
	reauth_form(r, outcome);
	page_finish(r, status);
}

/* Check password for the session asking; its auth_at becomes now. True
 * when it was right; otherwise answered. */
static bool reauth_check(struct req *r, const char *password)
{
	struct actor by = req_actor(r);
	int64_t wait_s;
	int verdict;

	switch (session_reauth(r->db, r->a, &by, r->who->user_id, password, "session.reauth",
			       req_app(r)->logins_per_addr, &verdict, &wait_s)) {
	case LOGIN_OK:
		if (session_fresh_auth(r->db, &by, r->who->user_id, r->session_token) < 0) {
			web_store_error(r);
			return false;
		}
		return true;
	case LOGIN_BAD:
		present_refusal(r, 403, "wrong_password", "密码不正确", r->is_api ? "password" : "reauth_password",
				reauth_refused_page, "密码不正确");
		return false;
	case LOGIN_THROTTLED: {
		const char *msg = wait_message(r, verdict, wait_s, "密码错误次数过多");
		present_refusal(r, 429, "throttled", msg, NULL, reauth_refused_page, msg);
		return false;
	}
	case LOGIN_BUSY:
		req_header(r, "Retry-After", "5");
		reply_error(r, 503, "busy", "服务器繁忙，请稍后再试", NULL);
		return false;
	default:
		web_store_error(r);
		return false;
	}
}

bool reauth_or_ask(struct req *r)
{
	const char *pw;

	/* An API token is a credential of its own, made in a fresh session
	 * (token.manage asks too); the CLI is the operator at the machine. */
	if (r->who->via != VIA_COOKIE || !r->session_token)
		return true;
	if ((int64_t)time(NULL) - r->who->auth_at <= REAUTH_FRESH)
		return true;
	pw = r->is_api ? NULL : req_form(r, "reauth_password");
	if (pw && *pw)
		return reauth_check(r, pw);
	if (r->is_api) {
		reply_error(r, 403, "reauth_required", "这项敏感操作需要先验证密码（POST /api/v1/me/reauth），5 分钟内有效",
			    NULL);
		return false;
	}
	r->no_store = true;
	reauth_form(r, NULL);
	page_end(r);
	return false;
}

struct reauth_in {
	const char *password, *next;
};

const struct bind_field reauth_fields[] = {
	BIND_TEXT(struct reauth_in, password, "当前密码", BIND_REQUIRED | BIND_MULTILINE, 0, PW_MAX_CHARS),
	BIND_TEXT(struct reauth_in, next, "验证后前往的地址", BIND_MULTILINE, 0, INT32_MAX),
	BIND_END,
};

static json_t *reauth_json(struct req *r, const void *outcome)
{
	(void)r;
	(void)outcome;
	return json_pack("{s:I}", "fresh_until", (json_int_t)(time(NULL) + REAUTH_FRESH));
}

void act_reauth(struct req *r)
{
	struct perm_target t = { r->tenant_id, r->who->unit_id, r->who->user_id, false };
	struct reauth_in f;
	struct ctx c;
	int rc;

	if (r->who->via != VIA_COOKIE || !r->session_token) {
		reply_error(r, 400, "no_session", "API 令牌不需要验证密码；只有登录会话需要", NULL);
		return;
	}
	if (!perm_or_respond(r, "account.password", "user", r->who->user_id, &t))
		return;
	web_ctx(r, &c);
	if ((rc = bind_request(r, &c, reauth_fields, &f, NULL)) != JB_OK) {
		outcome_error(r, &c, rc);
		return;
	}
	if (!reauth_check(r, f.password))
		return;
	present(r, 200, &(struct presentation){ .json = reauth_json, .redirect = safe_next(r->a, f.next) }, NULL);
}

/* ---- API tokens ---- */

/* A token just made, shown this once. */
struct new_token {
	const char *name;
	int64_t id;
	char token[APITOKEN_CHARS + 1];
};

const struct bind_field token_fields[] = {
	BIND_TEXT(struct new_token, name, "令牌名称", BIND_REQUIRED, 0, APITOKEN_NAME_MAX),
	BIND_END,
};

static json_t *new_token_json(struct req *r, const void *outcome)
{
	const struct new_token *t = outcome;

	return json_pack("{s:I, s:s, s:s}", "id", (json_int_t)t->id, "name", t->name, "token", t->token);
}

static void new_token_page(struct req *r, const void *outcome, int status)
{
	const struct new_token *t = outcome;
	buf *b = &r->out;

	page_begin(r, "API 令牌已创建", NAV_ACCOUNT);
	HTML(b, "<h1>API 令牌已创建</h1>\n<p>令牌 “");
	buf_html(b, t->name);
	HTML(b, "” 如下。它只显示这一次，请立即保存到安全的地方：</p>\n<p class=\"secret\"><code>");
	buf_html(b, t->token);
	HTML(b, "</code></p>\n<p><a href=\"");
	html_path(b, r, "/account");
	HTML(b, "\">返回我的账号</a></p>\n");
	page_finish(r, status);
}

void act_token_create(struct req *r)
{
	const struct principal *who = r->who;
	struct perm_target t = { r->tenant_id, who->unit_id, who->user_id, false };
	struct actor by = req_actor(r);
	struct new_token nt;
	struct ctx c;
	int rc;

	if (!perm_or_respond(r, "token.manage", "api_token", 0, &t) || !reauth_or_ask(r))
		return;
	web_ctx(r, &c);
	if ((rc = bind_request(r, &c, token_fields, &nt, NULL)) != JB_OK) {
		outcome_error(r, &c, rc);
		return;
	}
	if (apitoken_create(r->db, &by, who->user_id, nt.name, nt.token, &nt.id) < 0) {
		web_store_error(r);
		return;
	}
	r->no_store = true;
	present(r, 201, &(struct presentation){ .json = new_token_json, .page = new_token_page }, &nt);
}

/* The question before revoking token t (widgets.h); cancelling goes back
 * to the page that listed it. */
static bool token_confirmed_or_ask(struct req *r, const struct apitoken *t)
{
	bool own = t->user_id == r->who->user_id;
	struct confirm q = { "撤销 API 令牌", "确定要撤销 API 令牌", t->name, "吗？",
			     own ? "使用这个令牌的脚本和系统将立即无法访问，撤销后不能恢复。"
				 : arena_printf(r->a, "这是用户 %s 的令牌。使用它的脚本和系统将立即无法访问，撤销后不能恢复。", t->login),
			     "撤销令牌", own ? "/account" : arena_printf(r->a, "/admin/users/%lld", (long long)t->user_id),
			     own ? NAV_ACCOUNT : NAV_USERS };

	return confirmed_or_ask(r, &q);
}

void act_token_revoke(struct req *r)
{
	struct actor by = req_actor(r);
	struct perm_target t = { r->tenant_id, 0, 0, false };
	struct apitoken tok;
	int64_t id;
	int rc;

	if (id_param_or_respond(r, 0, &id) < 0)
		return;
	rc = apitoken_get(r->db, r->a, r->tenant_id, id, &tok);
	if (rc < 0) {
		web_store_error(r);
		return;
	}
	if (rc > 0 || tok.revoked_at) {
		reply_error(r, 404, "not_found", "没有这个有效的 API 令牌", NULL);
		return;
	}
	t.unit_id = tok.unit_id;
	t.owner_user_id = tok.user_id;
	if (!perm_or_respond(r, "token.manage", "api_token", id, &t) || !token_confirmed_or_ask(r, &tok))
		return;
	rc = apitoken_revoke(r->db, r->who, &by, id);
	if (rc < 0) {
		web_store_error(r);
		return;
	}
	if (rc == 2) {
		deny(r, "token.manage", "api_token", id, "permission");
		reply_error(r, 403, "forbidden", "您没有权限执行此操作", NULL);
		return;
	}
	if (rc > 0) {
		reply_error(r, 404, "not_found", "没有这个有效的 API 令牌", NULL);
		return;
	}
	present(r, 200, &(struct presentation){ .json = json_ok, .redirect = tok.user_id == r->who->user_id ? "/account?revoked=1" :
		arena_printf(r->a, "/admin/users/%lld", (long long)tok.user_id) }, NULL);
}
