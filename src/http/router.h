/* router.h - the route table: method + path pattern -> handler.
 *
 * Patterns are literal segments and ":name" segments that match one
 * non-empty segment, e.g. "/api/v1/problems/:id". Captured segments land in
 * r->params in order. The table is data that the server is given
 * (server_config.routes; web/routes.c holds it); the dispatcher in
 * server.c checks each route's flags and body limits once, before the
 * handler runs. */
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
	/* The bodies the route reads. A body of a kind it does not read (or
	 * of another media type) is not parsed: the handler sees no fields.
	 * None of them: the default, none for GET, HEAD and DELETE,
	 * otherwise a JSON object under /api/ and a form elsewhere. */
	BODY_NONE = 1u << 5,    /* no body: one with any bytes is a 413 */
	BODY_FORM = 1u << 6,    /* application/x-www-form-urlencoded -> r->form */
	BODY_JSON = 1u << 7,    /* application/json, an object -> r->json */
	/* multipart/form-data, streamed (http/upload.h): file parts to
	 * temporary files -> r->files, the other fields -> r->form. The
	 * route's KIB cap then bounds those fields; the files have the
	 * server's upload caps (server_config.upload_*). */
	BODY_MULTIPART = 1u << 8,
	/* The handler builds a large answer (an XLSX of a whole list, a .docx,
	 * an import): it runs like ROUTE_SLOW, on a pool of its own
	 * (server_config.bulk_workers), so it never holds up a log-in. */
	ROUTE_BULK = 1u << 9,
};

/* The most body bytes the route takes, in KiB (1 to 65535), as flag bits;
 * without it, server_config.max_body. A larger body is refused with 413
 * before any of it is read. */
#define BODY_MAX_KIB(n) ((unsigned)(n) << 16)
#define BODY_KINDS (BODY_NONE | BODY_FORM | BODY_JSON | BODY_MULTIPART)

struct route {
	const char *method;
	const char *pattern;
	handler_fn fn;
	unsigned flags;         /* enum route_flag bits, and BODY_MAX_KIB() */
	const char *action;     /* what it does (a perm action), for the audit of refusals */
	const struct api_doc *doc; /* /api/ routes: the OpenAPI description (api/openapi.h) */
};

/* The kinds of body rt reads: its BODY_ bits, or the default above (the
 * pattern says whether it is under /api/). Never 0. */
unsigned route_body_kinds(const struct route *rt);
/* The most body bytes a request for rt may send: 0 when it reads none,
 * else its BODY_MAX_KIB() or dflt. dflt also when rt is NULL (no route
 * matched: the answer is a 404 or 405, but a body is still read up to it). */
size_t route_body_cap(const struct route *rt, size_t dflt);

/* The route for method and path, or NULL. *path_known is set when some
 * route matches the path with another method (405 rather than 404). */
const struct route *router_match(const struct route *table, size_t n, const char *method,
				 const char *path, struct req *r, bool *path_known);

#endif
