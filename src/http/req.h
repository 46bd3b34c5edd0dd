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
struct server;

struct kv {
	const char *key;
	const char *val;
};

#define REQ_MAX_PARAMS 4
#define REQ_MAX_HEADERS 8

struct req {
	arena *a;
	struct server *srv;
	struct MHD_Connection *conn;
	db *db;                 /* this worker thread's connection */
	char id[17];            /* request id, in the access log and error pages */
	struct timespec start;

	const char *method;     /* HEAD is served as GET with the body dropped */
	const char *path;       /* decoded, without the query */
	bool is_api;            /* path under /api/: errors answer in JSON */
	struct kv *query;
	int nquery;
	struct kv *form;        /* application/x-www-form-urlencoded body */
	int nform;
	const char *params[REQ_MAX_PARAMS]; /* :name segments of the route, in order */
	int nparams;
	buf body;               /* raw request body (capped) */

	int64_t tenant_id;
	const char *tenant_name;

	/* The answer. */
	buf out;
	int status;
	size_t sent;
	struct kv headers[REQ_MAX_HEADERS];
	int nheaders;
	bool replied;

	/* Set while reading the request. */
	const char *bad_request; /* reason the request is refused before routing */
	int bad_status;
	bool started;
};

/* Query value by name (first wins), or NULL. */
const char *req_query(struct req *r, const char *name);
/* Form value by name, or NULL. */
const char *req_form(struct req *r, const char *name);
/* Response header for the next reply (name and value must outlive r). */
void req_header(struct req *r, const char *name, const char *value);
const char *req_client_addr(struct req *r);

/* Send r->out with this status and content type. */
void reply(struct req *r, int status, const char *content_type);
/* Error answer: an HTML page, or {"error": {...}} under /api/. field may be NULL. */
void reply_error(struct req *r, int status, const char *code, const char *message,
		 const char *field);
/* Redirect (303) to a local path. */
void reply_redirect(struct req *r, const char *location);

#endif
