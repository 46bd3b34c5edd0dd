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

struct route {
	const char *method;
	const char *pattern;
	handler_fn fn;
	unsigned flags;
};

extern const struct route routes[];
extern const size_t routes_count;

/* The route for method and path, or NULL. *path_known is set when some
 * route matches the path with another method (405 rather than 404). */
const struct route *router_match(const struct route *table, size_t n, const char *method,
				 const char *path, struct req *r, bool *path_known);

#endif
