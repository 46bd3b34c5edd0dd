/* preconditions.c - what the dispatcher checks before any handler runs
 * (server_config.preconditions, from each route's flags): the tenant, the
 * origin of unsafe requests, who asks (a bearer token or the session
 * cookie), NEED_LOGIN, a forced password change and the CSRF token. */
#include "web/web.h"

#include <string.h>
#include <strings.h>
#include <time.h>

#include "domain/session.h"
#include "http/cookie.h"
#include "http/router.h"

/* "http://host:port" (or a Referer URL) names this server's Host. */
static bool origin_matches(struct req *r, const char *origin)
{
	const char *host = NULL, *auth;
	size_t n;

	if (req_trust_proxy(r))
		host = req_header_in(r, "X-Forwarded-Host");
	if (!host)
		host = req_header_in(r, "Host");
	if (!host || !*host)
		return false;
	if (!strncasecmp(origin, "https://", 8))
		auth = origin + 8;
	else if (!strncasecmp(origin, "http://", 7))
		auth = origin + 7;
	else
		return false;
	n = strcspn(auth, "/?#");
	return n == strlen(host) && !strncasecmp(auth, host, n);
}

/* Unsafe methods must come from our own pages (ASVS 4.2.2, with the token). */
static bool same_origin(struct req *r)
{
	const char *origin = req_header_in(r, "Origin"), *referer;

	if (origin)
		return origin_matches(r, origin);
	referer = req_header_in(r, "Referer");
	if (referer)
		return origin_matches(r, referer);
	return true; /* not a browser form: scripts carry a bearer token or the CSRF header */
}

/* Who asks: a bearer token under /api/, else the session cookie. */
static int authenticate(struct req *r)
{
	struct principal *who = arena_alloc(r->a, sizeof(*who));
	const char *auth = r->is_api ? req_header_in(r, "Authorization") : NULL, *token;
	int64_t now = (int64_t)time(NULL);
	int rc;

	who->tenant_id = r->tenant_id;
	r->who = who;
	if (auth) {
		if (strncasecmp(auth, "Bearer ", 7)) {
			req_header(r, "WWW-Authenticate", "Bearer realm=\"jiebang\"");
			reply_error(r, 401, "unauthenticated", "只支持 Authorization: Bearer <API 令牌>", NULL);
			return -1;
		}
		rc = apitoken_lookup(r->db, r->a, r->tenant_id, auth + 7, now, who);
		if (rc < 0) {
			web_store_error(r);
			return -1;
		}
		if (rc > 0) {
			memset(who, 0, sizeof(*who));
			who->tenant_id = r->tenant_id;
			req_header(r, "WWW-Authenticate", "Bearer realm=\"jiebang\", error=\"invalid_token\"");
			reply_error(r, 401, "invalid_token", "API 令牌无效、已撤销或其用户已停用", NULL);
			return -1;
		}
		r->no_store = true;
		return 0;
	}
	token = cookie_get(r->a, req_header_in(r, "Cookie"), req_cookie_name(r));
	if (!token || !*token)
		return 0;
	r->session_token = token;
	rc = session_lookup(r->db, r->a, r->tenant_id, token, now, who, &r->csrf);
	if (rc < 0) {
		web_store_error(r);
		return -1;
	}
	if (rc > 0) {
		/* Expired, ended, forged or another tenant's: anonymous here. */
		memset(who, 0, sizeof(*who));
		who->tenant_id = r->tenant_id;
		r->csrf = NULL;
		r->session_token = NULL;
		req_header(r, "Set-Cookie", cookie_clear(r->a, req_cookie_name(r), req_secure_cookies(r)));
		return 0;
	}
	r->no_store = true;
	return 0;
}

int web_preconditions(struct req *r, const struct route *rt)
{
	bool unsafe = strcmp(r->method, "GET") && strcmp(r->method, "HEAD");
	const char *sent;

	if (rt->flags & NO_TENANT)
		return 0;
	if (tenant_or_respond(r) < 0 || authenticate(r) < 0)
		return -1;
	if (unsafe && !same_origin(r)) {
		deny(r, rt->action, "route", 0, "origin");
		reply_error(r, 403, "bad_origin", "请求来自其他网站，已拒绝", NULL);
		return -1;
	}
	if ((rt->flags & NEED_LOGIN) && !r->who->user_id) {
		if (!r->is_api && !unsafe) {
			buf b = BUF_INIT;
			buf_puts(&b, "/login?next=");
			buf_url(&b, r->path);
			reply_redirect(r, arena_strdup(r->a, b.s));
			buf_release(&b);
			return -1;
		}
		if (unsafe)
			deny(r, rt->action, "route", 0, "login");
		req_header(r, "WWW-Authenticate", "Bearer realm=\"jiebang\"");
		reply_error(r, 401, "unauthenticated", "请先登录", NULL);
		return -1;
	}
	if (r->who->must_change && !(rt->flags & ALLOW_MUST_CHANGE)) {
		if (!r->is_api && !unsafe) {
			reply_redirect(r, "/account/password");
			return -1;
		}
		reply_error(r, 403, "password_change_required", "请先修改初始密码", NULL);
		return -1;
	}
	/* The tenant requires two-factor log-in of admins and unit liaisons:
	 * one without it enrols first (the routes that let it are FIRST). */
	if (r->who->totp_required && !(rt->flags & ALLOW_MUST_CHANGE)) {
		if (!r->is_api && !unsafe) {
			reply_redirect(r, "/account/totp");
			return -1;
		}
		reply_error(r, 403, "totp_required", "本单位要求管理员和联络员启用两步验证，请先在“我的账号”中启用", NULL);
		return -1;
	}
	if ((rt->flags & NEED_CSRF) && r->who->via == VIA_COOKIE) {
		sent = req_header_in(r, "X-CSRF-Token");
		if (!sent)
			sent = req_form(r, "csrf");
		if (!sent)
			sent = json_string_value(json_object_get(r->json, "csrf"));
		if (!sent || !r->csrf || !secret_equal(sent, r->csrf)) {
			deny(r, rt->action, "route", 0, "csrf");
			reply_error(r, 403, "csrf", "表单已过期或来源无法确认，请刷新页面后重试", NULL);
			return -1;
		}
	}
	return 0;
}
