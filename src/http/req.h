/* req.h - one HTTP request as handlers see it, and how they answer.
 *
 * A req lives from the first byte of the request until its response is
 * sent; everything hanging off r->a (the arena) is freed then. Handlers
 * write the body into r->out and finish with exactly one reply call.
 * Query and form values are already percent-decoded and checked to be valid
 * UTF-8 without control characters; a request that fails that check never
 * reaches a handler. */
#ifndef JB_REQ_H
#define JB_REQ_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "store/db.h"
#include "util/arena.h"
#include "util/buf.h"

struct MHD_Connection;
struct MHD_Response;
struct route;
struct server;
struct principal;
struct app;
struct json_t;

struct kv {
	const char *key;
	const char *val;
};

#define REQ_MAX_PARAMS 4

/* A file part of a multipart body (http/upload.h), streamed to a
 * temporary file that is removed when the request ends: a handler that
 * keeps it links it elsewhere. */
struct upload_file {
	const char *field;      /* the form field it came in */
	const char *name;       /* the client's file name without any directory:
				 * valid UTF-8 without controls, maybe ""; shown,
				 * never used as a path */
	const char *path;       /* the temporary file (a name of mkstemp's) */
	int64_t size;
	char sha256[65];        /* lowercase hex, computed while streaming */
};
struct upload;

struct req {
	arena *a;
	struct server *srv;
	struct MHD_Connection *conn;
	db *db;                 /* this worker thread's connection */
	char id[17];            /* request id, in the access log and error pages */
	struct timespec start;

	const char *method;     /* HEAD is served as GET with the body dropped */
	const char *path;       /* decoded, without the query and the tenant prefix */
	bool is_api;            /* path under /api/: errors answer in JSON */
	struct kv *query;
	int nquery;
	struct kv *form;        /* an application/x-www-form-urlencoded body, on a
				 * route that reads forms (BODY_FORM), or the fields
				 * of a multipart one (BODY_MULTIPART) */
	int nform;
	struct upload_file *files; /* file parts of a multipart body, on a route
				 * that reads them (BODY_MULTIPART), once the whole
				 * body has arrived intact and within the caps */
	int nfiles;
	struct json_t *json;    /* an application/json body, always an object, on
				 * a route that reads JSON (BODY_JSON); else NULL.
				 * Owned by r: released when r is. */
	const char *params[REQ_MAX_PARAMS]; /* :name segments of the route, in order */
	int nparams;
	buf body;               /* raw request body (capped) */
	size_t body_reserved;   /* bytes of the server's body budget it holds */
	size_t upload_reserved; /* bytes of the server's upload budget it holds */
	size_t upload_len;      /* bytes of a multipart body received so far */
	bool multipart;         /* a multipart body on a BODY_MULTIPART route */
	struct upload *upload;  /* its parser (http/upload.c) */

	/* The tenant: from the Host header (tenant_domain), else a "/t/<slug>"
	 * path prefix (stripped from path; base keeps it for links), else the
	 * first tenant. Set before the handler runs, except on NO_TENANT routes. */
	const char *host;       /* Host header without port, lowercase; "" if none */
	const char *base;       /* "" or "/t/<slug>": prefix for local links */
	const char *tenant_slug;/* from the path prefix, or NULL */
	int64_t tenant_id;
	const char *tenant_name;

	/* Who asks (domain/perm.h): never NULL once the tenant is known;
	 * anonymous has user_id 0. csrf is the session's CSRF token (NULL when
	 * not a cookie session); session_token the raw cookie value. */
	const struct principal *who;
	const char *csrf;
	const char *session_token;
	bool no_store;          /* answer with Cache-Control: no-store */

	/* The answer. */
	buf out;
	int status;
	size_t sent;
	struct kv *headers;     /* response headers, in the arena; grows */
	int nheaders, headers_cap;
	const char *header_lost; /* a header that could not be added: reply() answers 500 */
	bool replied;
	struct MHD_Response *resp; /* prepared by reply(), sent by server.c */

	/* Set while reading the request. */
	const char *raw_uri;     /* the target in libmicrohttpd's buffer, which it
				  * splits and decodes in place after on_uri():
				  * only the address is used after that */
	size_t raw_uri_len;      /* its length as on_uri() saw it (to a NUL) */
	const char *bad_request; /* reason the request is refused before routing */
	int bad_status;
	bool started;
	const struct route *route; /* matched when the head arrived; NULL: none */
	bool path_known;        /* no route, but the path has one for another method */
	bool bad_prefix;        /* a "/t/" prefix without a tenant slug */
	bool suspended;         /* a worker has it (server.c's thread only) */
};

/* Query value by name (first wins), or NULL. */
const char *req_query(struct req *r, const char *name);
/* Form value by name, or NULL. */
const char *req_form(struct req *r, const char *name);
/* Every form value of name (a repeated field), up to max; returns how
 * many there are (may exceed max). */
int req_form_all(struct req *r, const char *name, const char **out, int max);
/* Request header by name (case-insensitive), or NULL. */
const char *req_header_in(struct req *r, const char *name);
/* Response header for the next reply (name and value must outlive r); any
 * number of them, kept in order. One that cannot be sent (CR/LF in it)
 * turns the reply into a logged 500, never a silent loss. */
void req_header(struct req *r, const char *name, const char *value);
/* The client's address; behind a trusted proxy (server_config.trust_proxy)
 * the last address in X-Forwarded-For. */
/* Append the server's counters (http/metrics.h) to r->out. */
void req_metrics(struct req *r);
const char *req_client_addr(struct req *r);
/* Whether a reverse proxy in front is trusted for X-Forwarded-For/-Host. */
bool req_trust_proxy(struct req *r);
/* Whether session cookies carry Secure and the __Host- prefix. */
bool req_secure_cookies(struct req *r);
/* The session cookie's name: "jb_session", or "__Host-jb_session". */
const char *req_cookie_name(struct req *r);
/* Where uploads are streamed to (server_config.upload_dir: <data>/tmp),
 * or NULL when the server takes none. */
const char *req_upload_dir(struct req *r);
/* The handlers' shared state (server_config.app). */
struct app *req_app(struct req *r);

/* Send r->out with this status and content type. */
void reply(struct req *r, int status, const char *content_type);
/* Send size bytes of the open file fd (from its start) with this status
 * and content type; the response owns fd and closes it. */
void reply_fd(struct req *r, int status, const char *content_type, int fd, uint64_t size);
/* A body produced while it is sent (reply_stream()). next() is called on
 * the connection's thread each time libmicrohttpd wants more bytes, with
 * that thread's store connection (NULL when the store cannot be reached):
 * it appends the next chunk to out and returns 0 to go on, 1 when that was
 * the last chunk, -1 on an error (logged by it; the response then ends
 * with an error, which the client sees as a cut connection). It must not
 * leave a transaction open between calls, and must not touch the req
 * (which ends with the request): what it needs lives in its own
 * allocation, which release() frees once the response is done with it,
 * sent in full or not. */
struct stream {
	int (*next)(struct stream *s, db *d, buf *out);
	void (*release)(struct stream *s);
	const char *what;       /* for log lines, e.g. "export problems.csv" */
};
/* Send s with this status and content type, chunked (no Content-Length);
 * the response owns s from here, whatever happens. */
void reply_stream(struct req *r, int status, const char *content_type, struct stream *s);
/* The server's directory for temporary files (<data>/tmp, 0700). */
const char *req_tmpdir(struct req *r);
/* Error answer: an HTML page, or {"error": {...}} under /api/. field may be NULL. */
void reply_error(struct req *r, int status, const char *code, const char *message,
		 const char *field);
/* Redirect (303) to a local path; r->base is put in front of it. */
void reply_redirect(struct req *r, const char *location);

#endif
