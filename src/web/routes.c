/* routes.c - the route table (method, pattern, handler, flags) and the
 * request preconditions every handler shares. */
#include "http/router.h"
#include "web/web.h"

#include <string.h>
#include <strings.h>
#include <time.h>

#include "api/api.h"
#include "domain/audit.h"
#include "domain/labels.h"
#include "domain/perm.h"
#include "domain/session.h"
#include "domain/state.h"
#include "domain/tenant.h"
#include "http/cookie.h"
#include "util/log.h"
#include "util/text.h"
#include "web/app.h"

#define LOGIN NEED_LOGIN
#define CHANGE (NEED_LOGIN | NEED_CSRF)
#define FIRST ALLOW_MUST_CHANGE
#define SLOW ROUTE_SLOW /* hashes a password */
/* Open to anonymous senders (no session, so no CSRF token; a browser's
 * cross-site POST is refused by its Origin, as every unsafe request is),
 * while a cookie session must send its token as on any change. */
#define SENDER NEED_CSRF

/* Every route. The state-changing ones name their action; their handlers
 * call perm_check() on the object before changing it. An API route and the
 * page route doing the same thing share one handler. */
const struct route routes[] = {
	{ "GET", "/", page_board, 0, NULL },
	{ "GET", "/problems/:id", page_problem, 0, NULL },
	{ "GET", "/stats", page_stats, 0, NULL },
	{ "GET", "/login", page_login, FIRST, NULL },
	{ "POST", "/login", act_login, FIRST | SLOW, "session.create" },
	{ "POST", "/logout", act_logout, CHANGE | FIRST, "session.delete" },
	{ "GET", "/account", page_account, LOGIN, NULL },
	{ "GET", "/account/password", page_password, LOGIN | FIRST, NULL },
	{ "POST", "/account/password", act_password, CHANGE | FIRST | SLOW, "account.password" },
	{ "POST", "/account/tokens", act_token_create, CHANGE, "token.manage" },
	{ "POST", "/account/tokens/:id/revoke", act_token_revoke, CHANGE, "token.manage" },
	{ "GET", "/admin/batches", page_batches, LOGIN, NULL },
	{ "POST", "/admin/batches", act_batch_create, CHANGE, "batch.manage" },
	{ "GET", "/admin/batches/:id", page_batch, LOGIN, NULL },
	{ "POST", "/admin/batches/:id", act_batch_update, CHANGE, "batch.manage" },
	{ "GET", "/admin/users", page_users, LOGIN, NULL },
	{ "POST", "/admin/users", act_user_create, CHANGE | SLOW, "user.manage" },
	{ "GET", "/admin/users/:id", page_user, LOGIN, NULL },
	{ "POST", "/admin/users/:id/disable", act_user_disable, CHANGE, "user.manage" },
	{ "POST", "/admin/users/:id/enable", act_user_enable, CHANGE, "user.manage" },
	{ "POST", "/admin/users/:id/roles", act_user_roles, CHANGE, "user.manage" },
	{ "POST", "/admin/users/:id/link", act_user_link, CHANGE, "user.manage" },
	{ "POST", "/admin/users/:id/reset-password", act_user_reset, CHANGE | SLOW, "user.manage" },
	{ "GET", "/admin/audit", page_audit, LOGIN, NULL },
	{ "GET", "/propose", page_propose, LOGIN, NULL },
	{ "POST", "/propose", act_propose, CHANGE, "problem.propose" },
	{ "GET", "/public/propose", page_public_propose, 0, NULL },
	{ "POST", "/public/propose", act_public_propose, SENDER, "problem.propose" },
	{ "GET", "/proposals/:id", page_proposal, LOGIN, NULL },
	{ "POST", "/proposals/:id/transitions", act_proposal_transition, CHANGE, "problem.screen" },
	{ "POST", "/proposals/:id/screening", act_proposal_screening, CHANGE, "problem.screen" },
	{ "POST", "/proposals/:id/revise", act_proposal_revise, CHANGE, "problem.propose" },
	{ "GET", "/admin/screening", page_screening, LOGIN, NULL },
	{ "POST", "/admin/screening/bulk", act_screening_bulk, CHANGE, "problem.screen" },
	{ "GET", "/me/proposals", page_my_proposals, LOGIN, NULL },
	{ "GET", "/me/notifications", page_notifications, LOGIN, NULL },
	{ "POST", "/me/notifications/read", act_notifications_read, CHANGE, "notification.read" },
	{ "POST", "/me/notifications/:id/read", act_notification_read, CHANGE, "notification.read" },
	{ "GET", "/feedback", page_feedback, 0, NULL },
	{ "POST", "/feedback", act_feedback_submit, SENDER, "complaint.create" },
	{ "GET", "/feedback/lookup", page_feedback_lookup, 0, NULL },
	{ "GET", "/me/feedback", page_my_feedback, LOGIN, NULL },
	{ "GET", "/admin/feedback", page_feedback_queue, LOGIN, NULL },
	{ "GET", "/admin/feedback/:id", page_feedback_item, LOGIN, NULL },
	{ "POST", "/admin/feedback/:id", act_feedback_answer, CHANGE, "complaint.answer" },
	{ "GET", "/api/v1/problems", api_problems, 0, NULL },
	{ "GET", "/api/v1/problems/similar", api_similar, 0, NULL },
	{ "GET", "/api/v1/problems/:id", api_problem, 0, NULL },
	{ "POST", "/api/v1/problems", api_proposal_create, CHANGE, "problem.propose" },
	{ "POST", "/api/v1/public/problems", api_public_proposal_create, 0, "problem.propose" },
	{ "POST", "/api/v1/problems/transitions", api_transitions, CHANGE, "problem.screen" },
	{ "POST", "/api/v1/problems/carry", api_carry, CHANGE, "batch.manage" },
	{ "POST", "/api/v1/problems/:id/transitions", api_transition, CHANGE, "problem.screen" },
	{ "PATCH", "/api/v1/problems/:id", api_screen_update, CHANGE, "problem.screen" },
	{ "GET", "/api/v1/proposals/:id", api_proposal, LOGIN, NULL },
	{ "POST", "/api/v1/proposals/:id/revise", api_proposal_revise, CHANGE, "problem.revise" },
	{ "GET", "/api/v1/me/proposals", api_my_proposals, LOGIN, NULL },
	{ "GET", "/api/v1/notifications", api_notifications, LOGIN, NULL },
	{ "POST", "/api/v1/notifications/read", api_notifications_read, CHANGE, "notification.read" },
	{ "POST", "/api/v1/notifications/:id/read", api_notification_read, CHANGE, "notification.read" },
	{ "GET", "/api/v1/batches/:id/publications", api_publications, LOGIN, NULL },
	{ "GET", "/api/v1/stats", api_stats, 0, NULL },
	{ "POST", "/api/v1/session", act_login, FIRST | SLOW, "session.create" },
	{ "DELETE", "/api/v1/session", act_logout, CHANGE | FIRST, "session.delete" },
	{ "GET", "/api/v1/me", api_me, LOGIN | FIRST, NULL },
	{ "POST", "/api/v1/me/password", act_password, CHANGE | FIRST | SLOW, "account.password" },
	{ "GET", "/api/v1/tokens", api_tokens, LOGIN, NULL },
	{ "POST", "/api/v1/tokens", act_token_create, CHANGE, "token.manage" },
	{ "DELETE", "/api/v1/tokens/:id", act_token_revoke, CHANGE, "token.manage" },
	{ "GET", "/api/v1/batches", page_batches, LOGIN, NULL },
	{ "POST", "/api/v1/batches", act_batch_create, CHANGE, "batch.manage" },
	{ "GET", "/api/v1/batches/:id", page_batch, LOGIN, NULL },
	{ "PATCH", "/api/v1/batches/:id", act_batch_update, CHANGE, "batch.manage" },
	{ "GET", "/api/v1/users", page_users, LOGIN, NULL },
	{ "POST", "/api/v1/users", act_user_create, CHANGE | SLOW, "user.manage" },
	{ "GET", "/api/v1/users/:id", page_user, LOGIN, NULL },
	{ "POST", "/api/v1/users/:id/disable", act_user_disable, CHANGE, "user.manage" },
	{ "POST", "/api/v1/users/:id/enable", act_user_enable, CHANGE, "user.manage" },
	{ "POST", "/api/v1/users/:id/roles", act_user_roles, CHANGE, "user.manage" },
	{ "POST", "/api/v1/users/:id/link", act_user_link, CHANGE, "user.manage" },
	{ "POST", "/api/v1/users/:id/reset-password", act_user_reset, CHANGE | SLOW, "user.manage" },
	{ "GET", "/api/v1/audit", page_audit, LOGIN, NULL },
	{ "GET", "/api/v1/persons", api_persons, LOGIN, NULL },
	{ "POST", "/api/v1/feedback", act_feedback_submit, SENDER, "complaint.create" },
	{ "GET", "/api/v1/feedback/:ref", page_feedback_lookup, 0, NULL },
	{ "GET", "/api/v1/me/feedback", page_my_feedback, LOGIN, NULL },
	{ "GET", "/api/v1/admin/feedback", page_feedback_queue, LOGIN, NULL },
	{ "GET", "/api/v1/admin/feedback/:id", page_feedback_item, LOGIN, NULL },
	{ "POST", "/api/v1/feedback/:id/answer", act_feedback_answer, CHANGE, "complaint.answer" },
	{ "GET", "/healthz", api_healthz, NO_TENANT, NULL },
};
const size_t routes_count = sizeof(routes) / sizeof(routes[0]);

/* ---- preconditions (server_config.preconditions) ---- */

static const char *actor_name(struct req *r)
{
	return r->who && r->who->login ? r->who->login : "anonymous";
}

struct actor req_actor(struct req *r)
{
	return (struct actor){ r->tenant_id, actor_name(r), req_client_addr(r) };
}

/* Anonymous refusals pass the gate (bounded writes per address); a
 * signed-in user's are always written. */
static struct audit_gate *gate_for(struct req *r)
{
	return r->who && r->who->user_id ? NULL : req_app(r)->gate;
}

void deny(struct req *r, const char *action, const char *object_type, int64_t object_id, const char *reason)
{
	audit_denied(r->db, gate_for(r), r->tenant_id, actor_name(r), action ? action : "unknown", object_type,
		     object_id, reason, NULL, req_client_addr(r));
}

void deny_login(struct req *r, const char *login, const char *reason)
{
	audit_denied(r->db, gate_for(r), r->tenant_id, actor_name(r), "session.create", "user", 0, reason, login,
		     req_client_addr(r));
}

void web_ctx(struct req *r, struct ctx *c)
{
	ctx_init(c, r->db, r->a, r->who, req_client_addr(r));
	c->gate = gate_for(r);
}

void outcome_error(struct req *r, struct ctx *c, int rc)
{
	static const int status[] = { [JB_EINVALID] = 400, [JB_EDENIED] = 403, [JB_ENOTFOUND] = 404,
				      [JB_ECONFLICT] = 409, [JB_EBUSY] = 503, [JB_ELIMITED] = 429 };
	const struct field_error *e = c->nerrs ? &c->errs[0] : NULL;

	if (rc == JB_ESTORE || rc <= JB_OK || rc > JB_ELIMITED) {
		web_store_error(r);
		return;
	}
	if (rc == JB_EDENIED)
		ctx_log_denial(c);
	if (rc == JB_EBUSY)
		req_header(r, "Retry-After", "5");
	if (rc == JB_ELIMITED)
		req_header(r, "Retry-After", arena_printf(r->a, "%lld", (long long)(c->retry_after > 0 ? c->retry_after : 60)));
	if (r->is_api && c->nerrs > 1) {
		json_t *fields = json_array();
		for (int i = 0; i < c->nerrs; i++)
			json_array_append_new(fields, json_pack("{s:s?, s:s?, s:s}", "field", c->errs[i].field, "code",
								 c->errs[i].code, "message", c->errs[i].message));
		reply_json(r, status[rc], json_pack("{s:{s:s, s:s, s:s?, s:o, s:s}}", "error", "code",
						     e->code ? e->code : "invalid", "message", ctx_message(c, rc),
						     "field", e->field, "fields", fields, "request_id", r->id));
		return;
	}
	reply_error(r, status[rc], e && e->code ? e->code : rc == JB_EDENIED ? "forbidden" : "error",
		    ctx_message(c, rc), e ? e->field : NULL);
}

bool perm_or_respond(struct req *r, const char *action, const char *object_type, int64_t object_id,
		     const struct perm_target *t)
{
	if (perm_check(r->who, action, t))
		return true;
	deny(r, action, object_type, object_id, "permission");
	reply_error(r, 403, "forbidden", "您没有权限执行此操作", NULL);
	return false;
}

int tenant_or_respond(struct req *r)
{
	int rc;

	if (r->tenant_id)
		return 0;
	rc = tenant_resolve(r->db, r->a, r->host, r->tenant_slug, &r->tenant_id, &r->tenant_name);
	if (rc < 0) {
		web_store_error(r);
		return -1;
	}
	if (rc > 0 && r->tenant_slug) {
		reply_error(r, 404, "not_found", "您访问的页面不存在", NULL);
		return -1;
	}
	if (rc > 0) {
		reply_error(r, 503, "not_initialised", "尚未创建任何单位数据，请先运行 jiebang init 或 jiebang demo", NULL);
		return -1;
	}
	return 0;
}

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
	if ((rt->flags & NEED_CSRF) && r->who->via == VIA_COOKIE) {
		sent = req_header_in(r, "X-CSRF-Token");
		if (!sent)
			sent = req_form(r, "csrf");
		if (!sent || !r->csrf || !secret_equal(sent, r->csrf)) {
			deny(r, rt->action, "route", 0, "csrf");
			reply_error(r, 403, "csrf", "表单已过期或来源无法确认，请刷新页面后重试", NULL);
			return -1;
		}
	}
	return 0;
}

/* The one value of a one-value field (NULL when absent); a field given
 * twice, or as a JSON array of several, is answered with 400. */
static int single_or_respond(struct req *r, const char *name, const char *what, const char **v)
{
	*v = NULL;
	if (req_form_all(r, name, v, 1) > 1) {
		reply_error(r, 400, "not_single", arena_printf(r->a, "%s只能填写一个值", what), name);
		return -1;
	}
	return 0;
}

int text_field_or_respond(struct req *r, const char *name, size_t max, bool required, const char *what,
			  const char **out)
{
	const char *v;

	*out = NULL;
	if (single_or_respond(r, name, what, &v) < 0)
		return -1;
	*out = v && *v ? v : NULL;
	if (!*out && required) {
		reply_error(r, 400, "missing_field", arena_printf(r->a, "请填写%s", what), name);
		return -1;
	}
	if (*out && utf8_len(*out) > max) {
		reply_error(r, 400, "too_long", arena_printf(r->a, "%s最多 %zu 个字符", what, max), name);
		return -1;
	}
	return 0;
}

int id_field_or_respond(struct req *r, const char *name, const char *what, int64_t *out)
{
	const char *v;

	*out = 0;
	if (single_or_respond(r, name, what, &v) < 0)
		return -1;
	if (!v || !*v)
		return 0;
	if (parse_int(v, 1, INT64_MAX, out) < 0) {
		reply_error(r, 400, "bad_id", arena_printf(r->a, "%s编号必须是正整数", what), name);
		return -1;
	}
	return 0;
}

int id_param_or_respond(struct req *r, int idx, int64_t *id)
{
	if (idx >= r->nparams || parse_int(r->params[idx], 1, INT64_MAX, id) < 0) {
		reply_error(r, 400, "bad_id", "编号必须是正整数", "id");
		return -1;
	}
	return 0;
}

/* Optional positive integer parameter; 0 when absent or empty. */
static int int_arg(struct req *r, const char *name, int64_t max, int64_t *out, const char *msg)
{
	const char *v = req_query(r, name);

	*out = 0;
	if (!v || !*v)
		return 0;
	if (parse_int(v, 1, max, out) < 0) {
		reply_error(r, 400, "bad_parameter", msg, name);
		return -1;
	}
	return 0;
}

/* category=<id> or category=<name>; must name one of the tenant's. */
static int category_arg(struct req *r, int64_t *out)
{
	const char *v = req_query(r, "category");
	struct named *cats;
	int64_t id = 0;
	int n;

	*out = 0;
	if (!v || !*v)
		return 0;
	if (problem_categories(r->db, r->a, r->tenant_id, &cats, &n) < 0) {
		web_store_error(r);
		return -1;
	}
	if (parse_int(v, 1, INT64_MAX, &id) < 0)
		id = 0;
	for (int i = 0; i < n; i++)
		if (cats[i].id == id || !strcmp(cats[i].name, v))
			*out = cats[i].id;
	if (!*out) {
		reply_error(r, 400, "bad_parameter", "没有这个类别", "category");
		return -1;
	}
	return 0;
}

static int code_arg(struct req *r, const char *name, const struct label *table, const char **out,
		    const char *msg)
{
	const char *v = req_query(r, name);

	*out = NULL;
	if (!v || !*v)
		return 0;
	if (!label_of(table, v)) {
		reply_error(r, 400, "bad_parameter", msg, name);
		return -1;
	}
	*out = v;
	return 0;
}

int board_filter_or_respond(struct req *r, struct problem_filter *f)
{
	const char *q = req_query(r, "q"), *sort = req_query(r, "sort");
	int64_t per_page;

	memset(f, 0, sizeof(*f));
	if (int_arg(r, "batch", INT64_MAX, &f->batch_id, "批次编号必须是正整数") < 0 ||
	    category_arg(r, &f->category_id) < 0 ||
	    code_arg(r, "state", problem_states, &f->state, "没有这个状态") < 0 ||
	    code_arg(r, "unit_kind", unit_kinds, &f->unit_kind, "没有这个单位类型") < 0 ||
	    int_arg(r, "page", 1000000, &f->page, "页码必须是 1 到 1000000 之间的整数") < 0 ||
	    int_arg(r, "per_page", PROBLEM_MAX_PER_PAGE, &per_page, "每页条数必须是 1 到 100 之间的整数") < 0)
		return -1;
	if (f->state && !problem_state_has(f->state, PS_PUBLIC)) {
		reply_error(r, 400, "bad_parameter", "该状态的难题不在公开榜单上", "state");
		return -1;
	}
	if (q) {
		while (*q == ' ')
			q++;
		if (utf8_len(q) > PROBLEM_MAX_QUERY) {
			reply_error(r, 400, "bad_parameter", "搜索词过长，最多 64 个字", "q");
			return -1;
		}
		f->q = q;
	}
	f->sort = SORT_ID;
	if (sort && *sort) {
		if (!strcmp(sort, "updated"))
			f->sort = SORT_UPDATED;
		else if (!strcmp(sort, "category"))
			f->sort = SORT_CATEGORY;
		else if (strcmp(sort, "id")) {
			reply_error(r, 400, "bad_parameter", "排序方式只能是 id、updated 或 category", "sort");
			return -1;
		}
	}
	f->page = f->page ? f->page : 1;
	f->per_page = per_page ? per_page : 20;
	f->now = (int64_t)time(NULL);
	return 0;
}

void api_healthz(struct req *r)
{
	if (db_ping(r->db) < 0) {
		reply_error(r, 503, "unavailable", "数据库无法访问", NULL);
		return;
	}
	buf_puts(&r->out, "{\"status\":\"ok\"}\n");
	reply(r, 200, "application/json; charset=utf-8");
}
