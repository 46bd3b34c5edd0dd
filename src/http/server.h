/* server.h - the HTTP server: libmicrohttpd with a thread pool on epoll. */
#ifndef JB_SERVER_H
#define JB_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include "http/req.h"

struct route;
struct app;

struct server_config {
	const char *listen;     /* IPv4 address to bind, e.g. "127.0.0.1" */
	int port;
	const char *db_url;
	int threads;            /* 0: one per core */
	/* The routes (http/router.h), in the order they are matched. */
	const struct route *routes;
	size_t nroutes;
	size_t max_body;        /* bytes: the cap of a route that declares none */
	size_t body_budget;     /* bytes of request bodies held at once, in all */
	/* Slow and greedy clients (http/guard.h); times in seconds. */
	unsigned idle_timeout;  /* libmicrohttpd's: no byte for this long */
	unsigned head_timeout;  /* request head within this of the accept or
				 * of the previous response */
	unsigned request_timeout; /* the whole request, body included */
	unsigned max_conns;     /* connections in all */
	unsigned per_addr;      /* connections per client address; not applied
				 * behind a trusted proxy, which is one address */
	unsigned slow_workers;  /* threads for ROUTE_SLOW handlers (workers.h) */
	unsigned slow_queue;    /* ROUTE_SLOW requests waiting at most; then 503 */
	unsigned bulk_workers;  /* threads for ROUTE_BULK handlers */
	unsigned bulk_queue;    /* ROUTE_BULK requests waiting at most; then 503 */
	/* Multipart bodies (http/upload.h) of BODY_MULTIPART routes. */
	const char *upload_dir; /* their temporary files (<data>/tmp), made 0700 */
	int64_t upload_file_max;  /* bytes per file */
	int64_t upload_total_max; /* bytes of files per request */
	int upload_files_max;     /* files per request */
	size_t upload_budget;   /* bytes of multipart bodies received at once, in
				 * all (disk, not memory: see body_budget) */
	bool secure_cookies;    /* TLS in front: Secure, __Host- cookies, HSTS */
	bool trust_proxy;       /* client address from X-Forwarded-For */
	/* Renders an error answer (web/layout.c). */
	void (*render_error)(struct req *r, int status, const char *code, const char *message,
			     const char *field);
	/* Checks a route's flags (tenant, login, CSRF ...) before its handler
	 * runs (web/preconditions.c); returns 0 to go on, -1 after answering. */
	int (*preconditions)(struct req *r, const struct route *rt);
	/* The background task (http/ticker.h), run every task_period seconds
	 * on a store connection of its own while the server runs; NULL or
	 * period 0: none. */
	int (*task)(db *d, int64_t now);
	unsigned task_period;
	/* SIGHUP: read the settings again (main.c); NULL: ignored. */
	void (*reload)(void);
	/* The handlers' shared state (web/app.h); the server only hands it on. */
	struct app *app;
};

/* The access log: none, a text line per request, or a JSON object per
 * request (default text). Safe to call while the server runs. */
enum access_log { ACCESS_OFF, ACCESS_TEXT, ACCESS_JSON };
void server_access_log(enum access_log mode);

/* Serve until SIGINT or SIGTERM (SIGHUP calls cfg->reload); in-flight requests finish, then every
 * store connection is closed. Prints "jiebang serving on URL" to stdout
 * once it listens, and tells systemd (sd_notify: READY, RELOADING,
 * STOPPING) when it runs under it. Returns 0, or 1 when the server cannot start (the
 * reason is logged first, e.g. the port is in use). */
int server_run(const struct server_config *cfg);

/* The store connection for the calling worker thread, opened on first use;
 * NULL when the store cannot be reached (the reason is logged). */
db *server_db(struct server *s);

#endif
