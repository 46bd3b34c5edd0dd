/* server.h - the HTTP server: libmicrohttpd with a thread pool on epoll. */
#ifndef JB_SERVER_H
#define JB_SERVER_H

#include <stddef.h>

#include "http/req.h"

struct route;

struct server_config {
	const char *listen;     /* IPv4 address to bind, e.g. "127.0.0.1" */
	int port;
	const char *db_url;
	int threads;            /* 0: one per core */
	size_t max_body;        /* bytes */
	unsigned timeout;       /* idle connection timeout, seconds */
	unsigned per_ip;        /* connections per client address */
	bool secure_cookies;    /* TLS in front: Secure, __Host- cookies, HSTS */
	bool trust_proxy;       /* client address from X-Forwarded-For */
	/* Renders an error answer (web/layout.c). */
	void (*render_error)(struct req *r, int status, const char *code, const char *message,
			     const char *field);
	/* Checks a route's flags (tenant, login, CSRF ...) before its handler
	 * runs (web/routes.c); returns 0 to go on, -1 after answering. */
	int (*preconditions)(struct req *r, const struct route *rt);
};

/* Serve until SIGINT or SIGTERM; in-flight requests finish, then every
 * store connection is closed. Prints "jiebang serving on URL" to stdout
 * once it listens. Returns 0, or 1 when the server cannot start (the
 * reason is logged first, e.g. the port is in use). */
int server_run(const struct server_config *cfg);

/* The store connection for the calling worker thread, opened on first use;
 * NULL when the store cannot be reached (the reason is logged). */
db *server_db(struct server *s);

#endif
