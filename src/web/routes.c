/* routes.c - the route table: method, pattern, handler, preconditions
 * (checked by web/preconditions.c), the action audited when a
 * precondition refuses, and the body the route reads with its cap. */
#include "web/routes.h"

#include "web/web.h"

#define LOGIN NEED_LOGIN
#define CHANGE (NEED_LOGIN | NEED_CSRF)
#define FIRST ALLOW_MUST_CHANGE
#define SLOW ROUTE_SLOW /* hashes a password */
#define FORM BODY_FORM
#define JSON BODY_JSON
#define KIB(n) BODY_MAX_KIB(n)

/* Every route, one a line. The state-changing ones name their action;
 * their handlers call perm_check() on the object before changing it. An
 * API route and the page route doing the same thing share one handler.
 * A route without FORM or JSON reads the default body (http/router.h):
 * none for GET and DELETE, else JSON under /api/ and a form elsewhere; one
 * without KIB() takes up to server_config.max_body (1 MiB). A route that
 * never needs that much says what it does need, so that no client makes
 * it buffer more. */
const struct route routes[] = {
	{ "GET", "/", page_board, 0, NULL },
	{ "GET", "/problems/:id", page_problem, 0, NULL },
	{ "GET", "/stats", page_stats, 0, NULL },
	{ "GET", "/login", page_login, FIRST, NULL },
	{ "POST", "/login", act_login, FIRST | SLOW | FORM | KIB(4), "session.create" },
	{ "POST", "/logout", act_logout, CHANGE | FIRST | FORM | KIB(1), "session.delete" },
	{ "GET", "/account", page_account, LOGIN, NULL },
	{ "GET", "/account/password", page_password, LOGIN | FIRST, NULL },
	{ "POST", "/account/password", act_password, CHANGE | FIRST | SLOW | FORM | KIB(8), "account.password" },
	{ "POST", "/account/tokens", act_token_create, CHANGE | FORM | KIB(2), "token.manage" },
	{ "POST", "/account/tokens/:id/revoke", act_token_revoke, CHANGE | FORM | KIB(1), "token.manage" },
	{ "GET", "/admin/batches", page_batches, LOGIN, NULL },
	{ "POST", "/admin/batches", act_batch_create, CHANGE | FORM | KIB(16), "batch.manage" },
	{ "GET", "/admin/batches/:id", page_batch, LOGIN, NULL },
	{ "POST", "/admin/batches/:id", act_batch_update, CHANGE | FORM | KIB(16), "batch.manage" },
	{ "GET", "/admin/users", page_users, LOGIN, NULL },
	{ "POST", "/admin/users", act_user_create, CHANGE | SLOW | FORM | KIB(4), "user.manage" },
	{ "GET", "/admin/users/:id", page_user, LOGIN, NULL },
	{ "POST", "/admin/users/:id/disable", act_user_disable, CHANGE | FORM | KIB(1), "user.manage" },
	{ "POST", "/admin/users/:id/enable", act_user_enable, CHANGE | FORM | KIB(1), "user.manage" },
	{ "POST", "/admin/users/:id/roles", act_user_roles, CHANGE | FORM | KIB(2), "user.manage" },
	{ "POST", "/admin/users/:id/link", act_user_link, CHANGE | FORM | KIB(2), "user.manage" },
	{ "POST", "/admin/users/:id/reset-password", act_user_reset, CHANGE | SLOW | FORM | KIB(1), "user.manage" },
	{ "GET", "/admin/audit", page_audit, LOGIN, NULL },
	{ "GET", "/api/v1/problems", api_problems, 0, NULL },
	{ "GET", "/api/v1/problems/:id", api_problem, 0, NULL },
	{ "GET", "/api/v1/stats", api_stats, 0, NULL },
	{ "POST", "/api/v1/session", act_login, FIRST | SLOW | JSON | KIB(4), "session.create" },
	{ "DELETE", "/api/v1/session", act_logout, CHANGE | FIRST, "session.delete" },
	{ "GET", "/api/v1/me", api_me, LOGIN | FIRST, NULL },
	{ "POST", "/api/v1/me/password", act_password, CHANGE | FIRST | SLOW | JSON | KIB(8), "account.password" },
	{ "GET", "/api/v1/tokens", api_tokens, LOGIN, NULL },
	{ "POST", "/api/v1/tokens", act_token_create, CHANGE | JSON | KIB(2), "token.manage" },
	{ "DELETE", "/api/v1/tokens/:id", act_token_revoke, CHANGE, "token.manage" },
	{ "GET", "/api/v1/batches", page_batches, LOGIN, NULL },
	{ "POST", "/api/v1/batches", act_batch_create, CHANGE | JSON | KIB(16), "batch.manage" },
	{ "GET", "/api/v1/batches/:id", page_batch, LOGIN, NULL },
	{ "PATCH", "/api/v1/batches/:id", act_batch_update, CHANGE | JSON | KIB(16), "batch.manage" },
	{ "GET", "/api/v1/users", page_users, LOGIN, NULL },
	{ "POST", "/api/v1/users", act_user_create, CHANGE | SLOW | JSON | KIB(4), "user.manage" },
	{ "GET", "/api/v1/users/:id", page_user, LOGIN, NULL },
	{ "POST", "/api/v1/users/:id/disable", act_user_disable, CHANGE | JSON | KIB(1), "user.manage" },
	{ "POST", "/api/v1/users/:id/enable", act_user_enable, CHANGE | JSON | KIB(1), "user.manage" },
	{ "POST", "/api/v1/users/:id/roles", act_user_roles, CHANGE | JSON | KIB(2), "user.manage" },
	{ "POST", "/api/v1/users/:id/link", act_user_link, CHANGE | JSON | KIB(2), "user.manage" },
	{ "POST", "/api/v1/users/:id/reset-password", act_user_reset, CHANGE | SLOW | JSON | KIB(1), "user.manage" },
	{ "GET", "/api/v1/audit", page_audit, LOGIN, NULL },
	{ "GET", "/api/v1/persons", api_persons, LOGIN, NULL },
	{ "GET", "/healthz", api_healthz, NO_TENANT, NULL },
};
const size_t routes_count = sizeof(routes) / sizeof(routes[0]);
