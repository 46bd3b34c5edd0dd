/* router.h - the route table: method + path pattern -> handler.
 *
 * Patterns are literal segments and ":name" segments that match one
 * non-empty segment, e.g. "/api/v1/problems/:id". Captured segments land in
 * r->params in order. The table is data (web/routes.c); the dispatcher in
 * server.c checks each route's flags once, before the handler runs. */
#ifndef JB_ROUTER_H
#define JB_ROUTER_H

#include <stdbool.h>
#include <stddef.h>

#include "http/req.h"

typedef void (*handler_fn)(struct req *r);

/* Preconditions, checked in this order before the handler runs:
 * the tenant is resolved (unless NO_TENANT); unsafe methods must come from
 * this site (Origin/Referer); NEED_LOGIN: a user (401 otherwise); a user
 * whose password must be changed reaches only ALLOW_MUST_CHANGE routes;
 * NEED_CSRF: a cookie session must send its CSRF token (form field "csrf"
 * or header X-CSRF-Token), else 403. Permissions on the object itself are
 * the handler's perm_check(). */
enum route_flag {
	NEED_LOGIN = 1u << 0,
	NEED_CSRF = 1u << 1,
	ALLOW_MUST_CHANGE = 1u << 2,
	NO_TENANT = 1u << 3,
	/* The handler may hash a password (argon2id: ~100 ms, 64 MiB): it
	 * runs on the small pool of http/workers.h, never on a request
	 * thread, after the preconditions have passed on one. Its connection
	 * is suspended meanwhile: it reads the request and answers through
	 * reply() as any handler does. */
	ROUTE_SLOW = 1u << 4,
};

struct route {
	const char *method;
	const char *pattern;
	handler_fn fn;
	unsigned flags;
	const char *action;     /* what it does (a perm action), for the audit of refusals */
};

extern const struct route routes[];
extern const size_t routes_count;

/* The route for method and path, or NULL. *path_known is set when some
 * route matches the path with another method (405 rather than 404). */
const struct route *router_match(const struct route *table, size_t n, const char *method,
				 const char *path, struct req *r, bool *path_known);

#endif
