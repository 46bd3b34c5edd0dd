/* server.c - libmicrohttpd glue: request lifecycle, limits, dispatch,
 * access log, per-thread store connections and clean shutdown. */
#include "http/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <malloc.h>
#include <jansson.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <systemd/sd-daemon.h>
#include <time.h>
#include <unistd.h>

#include "http/assets.h"
#include "http/form.h"
#include "http/guard.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/ticker.h"
#include "http/upload.h"
#include "http/workers.h"
#include "util/log.h"
#include "util/xalloc.h"

#define MAX_QUERY 4096      /* bytes of raw query string */
#define MAX_PAIRS 64         /* query parameters */
/* Fields of a form body: a claim form with a 100-person team sends ~350;
 * the route's body cap bounds their bytes. */
#define MAX_FORM_PAIRS 1024
/* A multipart body may carry this much besides its files and fields:
 * boundaries and part headers. */
#define MULTIPART_SLACK (64 * 1024)

/* Bytes that requests being read may hold at once, server-wide. */
struct budget {
	atomic_size_t used;
	size_t cap;
};

struct server {
	const struct server_config *cfg;
	struct guard *guard;
	struct workers *slow;  /* runs ROUTE_SLOW handlers */
	struct workers *bulk;  /* runs ROUTE_BULK handlers */
	struct ticker *ticker; /* the background task, or NULL */
	pthread_mutex_t lock;  /* guards conns */
	db **conns;
	size_t nconns, cap;
	atomic_int active;     /* requests between start and completion */
	struct budget mem;     /* cfg->body_budget: bodies held in memory */
	struct budget disk;    /* cfg->upload_budget: multipart bodies streamed to disk */
};

static _Thread_local db *thread_db;

db *server_db(struct server *s)
{
	char err[256];

	if (thread_db)
		return thread_db;
	thread_db = db_open(s->cfg->db_url, err, sizeof(err));
	if (!thread_db) {
		log_error("%s", err);
		return NULL;
	}
	pthread_mutex_lock(&s->lock);
	if (s->nconns == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 8;
		s->conns = xrealloc(s->conns, s->cap * sizeof(*s->conns));
	}
	s->conns[s->nconns++] = thread_db;
	pthread_mutex_unlock(&s->lock);
	return thread_db;
}

/* ---- answering ---- */

const char *req_query(struct req *r, const char *name)
{
	for (int i = 0; i < r->nquery; i++)
		if (!strcmp(r->query[i].key, name))
			return r->query[i].val;
	return NULL;
}

const char *req_form(struct req *r, const char *name)
{
	for (int i = 0; i < r->nform; i++)
		if (!strcmp(r->form[i].key, name))
			return r->form[i].val;
	return NULL;
}

int req_form_all(struct req *r, const char *name, const char **out, int max)
{
	int n = 0;

	for (int i = 0; i < r->nform; i++) {
		if (strcmp(r->form[i].key, name))
			continue;
		if (n < max)
			out[n] = r->form[i].val;
		n++;
	}
	return n;
}

const char *req_header_in(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

bool req_trust_proxy(struct req *r)
{
	return r->srv->cfg->trust_proxy;
}

bool req_secure_cookies(struct req *r)
{
	return r->srv->cfg->secure_cookies;
}

const char *req_cookie_name(struct req *r)
{
	return r->srv->cfg->secure_cookies ? "__Host-jb_session" : "jb_session";
}

const char *req_upload_dir(struct req *r)
{
	return r->srv->cfg->upload_dir;
}

struct app *req_app(struct req *r)
{
	return r->srv->cfg->app;
}

void req_header(struct req *r, const char *name, const char *value)
{
	if (r->nheaders == r->headers_cap) {
		int cap = r->headers_cap ? 2 * r->headers_cap : 8;
		struct kv *grown = arena_alloc(r->a, (size_t)cap * sizeof(*grown));
		if (r->nheaders)
			memcpy(grown, r->headers, (size_t)r->nheaders * sizeof(*grown));
		r->headers = grown;
		r->headers_cap = cap;
	}
	r->headers[r->nheaders++] = (struct kv){ name, value };
}

/* The last entry of X-Forwarded-For when it is an IP address: the one the
 * trusted proxy itself saw. */
static const char *forwarded_addr(struct req *r)
{
	const char *xff = req_header_in(r, "X-Forwarded-For"), *last;
	unsigned char bin[sizeof(struct in6_addr)];
	char *s;

	if (!xff)
		return NULL;
	last = strrchr(xff, ',');
	last = last ? last + 1 : xff;
	while (*last == ' ')
		last++;
	s = arena_strdup(r->a, last);
	for (char *e = s + strlen(s); e > s && e[-1] == ' '; )
		*--e = '\0';
	if (inet_pton(AF_INET, s, bin) == 1 || inet_pton(AF_INET6, s, bin) == 1)
		return s;
	return NULL;
}

void req_metrics(struct req *r)
{
	metrics_render(&r->out, r->srv->cfg->routes, r->srv->cfg->nroutes);
}

const char *req_client_addr(struct req *r)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char *s;
	const char *fwd;

	if (r->srv->cfg->trust_proxy && (fwd = forwarded_addr(r)))
		return fwd;
	s = arena_alloc(r->a, INET6_ADDRSTRLEN);
	if (!ci || !ci->client_addr)
		return "";
	if (ci->client_addr->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, s, INET6_ADDRSTRLEN);
	else if (ci->client_addr->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ci->client_addr)->sin6_addr, s, INET6_ADDRSTRLEN);
	return s;
}

static const char csp[] = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
			  "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/* Send resp (len bytes of body) with the headers every answer has and
 * r's own. */
static void reply_with(struct req *r, struct MHD_Response *resp, size_t len, int status, const char *content_type)
{
	MHD_add_response_header(resp, "Content-Type", content_type);
	MHD_add_response_header(resp, "X-Request-Id", r->id);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Content-Security-Policy", csp);
	if (r->srv->cfg->secure_cookies)
		MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
	bool cache_set = false;
	for (int i = 0; i < r->nheaders && !r->header_lost; i++) {
		bool cc = !strcasecmp(r->headers[i].key, "Cache-Control");
		/* A signed-in user's pages are never stored by any cache (ASVS 8.2.1). */
		if (cc && r->no_store)
			continue;
		if (MHD_add_response_header(resp, r->headers[i].key, r->headers[i].val) != MHD_YES)
			r->header_lost = r->headers[i].key;
		cache_set |= cc;
	}
	if (r->header_lost)
		log_error("req=%s cannot add response header '%s' (CR/LF in it, or too many)", r->id, r->header_lost);
	if (r->header_lost && status != 500) {
		/* Never an answer without a header it needs (a Location, a cookie). */
		MHD_destroy_response(resp);
		r->replied = false;
		r->nheaders = 0;
		reply_error(r, 500, "internal", "服务器内部错误", NULL);
		return;
	}
	if (r->no_store)
		MHD_add_response_header(resp, "Cache-Control", "no-store");
	else if (!cache_set)
		MHD_add_response_header(resp, "Cache-Control", "no-cache");
	if (status == 405 || status == 413 || status == 400)
		MHD_add_response_header(resp, "Connection", "close");
	r->resp = resp; /* queued by on_request(), on the connection's thread */
	r->status = status;
	r->sent = len;
}

void reply(struct req *r, int status, const char *content_type)
{
	size_t len = r->out.len;

	if (r->replied)
		return;
	r->replied = true;
	reply_with(r, MHD_create_response_from_buffer(len, buf_detach(&r->out, NULL), MHD_RESPMEM_MUST_FREE), len,
		   status, content_type);
}

void reply_fd(struct req *r, int status, const char *content_type, int fd, uint64_t size)
{
	struct MHD_Response *resp;

	if (r->replied) {
		close(fd);
		return;
	}
	resp = MHD_create_response_from_fd64(size, fd);
	if (!resp) {
		close(fd);
		log_error("req=%s cannot answer with a file of %llu bytes", r->id, (unsigned long long)size);
		reply_error(r, 500, "internal", "服务器内部错误", NULL);
		return;
	}
	r->replied = true;
	reply_with(r, resp, (size_t)size, status, content_type);
}

/* A stream in flight: the producer's bytes not yet taken by libmicrohttpd. */
struct stream_state {
	struct server *srv;
	struct stream *s;
	buf pending;
	size_t off;             /* bytes of pending already handed out */
	bool ended;             /* next() said the last chunk is in pending */
	char id[17];            /* the request id, for the log */
};

/* libmicrohttpd's content reader: hand out pending bytes, asking the
 * producer for the next chunk when none are left. */
static ssize_t stream_read(void *cls, uint64_t pos, char *out, size_t max)
{
	struct stream_state *st = cls;
	(void)pos;

	while (st->off == st->pending.len) {
		if (st->ended)
			return MHD_CONTENT_READER_END_OF_STREAM;
		buf_reset(&st->pending);
		st->off = 0;
		int rc = st->s->next(st->s, server_db(st->srv), &st->pending);
		if (rc < 0) {
			log_error("req=%s %s: ended with an error after the answer had begun", st->id, st->s->what);
			return MHD_CONTENT_READER_END_WITH_ERROR;
		}
		st->ended = rc > 0;
	}
	size_t n = st->pending.len - st->off;
	if (n > max)
		n = max;
	memcpy(out, st->pending.s + st->off, n);
	st->off += n;
	return (ssize_t)n;
}

static void stream_free(void *cls)
{
	struct stream_state *st = cls;

	st->s->release(st->s);
	buf_release(&st->pending);
	free(st);
}

void reply_stream(struct req *r, int status, const char *content_type, struct stream *s)
{
	struct stream_state *st;
	struct MHD_Response *resp;

	if (r->replied) {
		s->release(s);
		return;
	}
	st = xcalloc(1, sizeof(*st));
	st->srv = r->srv;
	st->s = s;
	buf_init(&st->pending);
	memcpy(st->id, r->id, sizeof(st->id));
	resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024, stream_read, st, stream_free);
	if (!resp) {
		stream_free(st);
		log_error("req=%s cannot start the streamed answer %s", r->id, s->what);
		reply_error(r, 500, "internal", "服务器内部错误", NULL);
		return;
	}
	r->replied = true;
	reply_with(r, resp, 0, status, content_type);
}

const char *req_tmpdir(struct req *r)
{
	return r->srv->cfg->upload_dir;
}

void reply_error(struct req *r, int status, const char *code, const char *message, const char *field)
{
	buf_reset(&r->out);
	r->srv->cfg->render_error(r, status, code, message, field);
}

void reply_redirect(struct req *r, const char *location)
{
	if (location[0] == '/' && r->base && *r->base)
		location = arena_printf(r->a, "%s%s", r->base, location);
	req_header(r, "Location", location);
	buf_reset(&r->out);
	reply(r, 303, "text/plain; charset=utf-8");
}

/* ---- request lifecycle ---- */

/* Under /api/, also behind a "/t/<slug>" tenant prefix: errors answer in
 * JSON and JSON bodies are read. */
static bool api_path(const char *p)
{
	if (!strncmp(p, "/t/", 3)) {
		p = strchr(p + 3, '/');
		if (!p)
			return false;
	}
	return !strncmp(p, "/api/", 5);
}

#define TARGET_CONTROL "请求地址含有控制字符"
#define BUSY "服务器繁忙，请稍后再试" /* with Retry-After: 5 */

static bool has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

/* libmicrohttpd calls this with the request target as sent, before it
 * splits off and decodes the query in place: the request starts here. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct server *s = cls;
	struct req *r = xcalloc(1, sizeof(*r));
	unsigned char rnd[8];
	const char *q = strchr(uri, '?');
	size_t plen = q ? (size_t)(q - uri) : strlen(uri);

	atomic_fetch_add(&s->active, 1);
	r->a = arena_new();
	r->srv = s;
	r->conn = conn;
	buf_init(&r->out);
	buf_init(&r->body);
	clock_gettime(CLOCK_MONOTONIC, &r->start);
	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(r->id, sizeof(r->id), rnd, sizeof(rnd));
	r->raw_uri = uri;
	r->raw_uri_len = strlen(uri);
	r->path = form_decode_path(r->a, uri, plen);
	if (has_control(uri)) {
		r->bad_request = TARGET_CONTROL;
		r->path = "/";
	} else if (!r->path || r->path[0] != '/') {
		r->bad_request = "请求路径不是有效的 UTF-8 文本";
		r->path = "/";
	}
	r->is_api = api_path(r->path);
	if (q && !r->bad_request) {
		const char *why = NULL;
		if (strlen(q + 1) > MAX_QUERY)
			r->bad_request = "查询字符串过长（最多 4096 字节）";
		else if ((r->nquery = form_parse(r->a, q + 1, strlen(q + 1), MAX_PAIRS, &r->query, &why)) < 0)
			r->bad_request = why;
	}
	/* libmicrohttpd goes on to split the query into a list of its own, one
	 * allocation from the connection's pool per pair: a target of a few
	 * thousand "a=1&" pairs exhausts the pool, and 0.9.75 then neither
	 * answers nor closes until the head timeout. The query is read above
	 * (copied onto r->a) and never asked of libmicrohttpd, so end it in
	 * libmicrohttpd's buffer, which it splits in place anyway: it parses
	 * no pairs. */
	if (q)
		((char *)q)[1] = '\0';
	return r;
}

struct hdr_count {
	int content_length, transfer_encoding, host;
	bool te_chunked, cl_bad;
};

static enum MHD_Result count_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct hdr_count *c = cls;

	if (!strcasecmp(key, "Content-Length")) {
		c->content_length++;
		c->cl_bad |= !*value || strspn(value, "0123456789") != strlen(value);
	} else if (!strcasecmp(key, "Transfer-Encoding")) {
		c->transfer_encoding++;
		c->te_chunked = !strcasecmp(value, "chunked");
	} else if (!strcasecmp(key, "Host")) {
		c->host++;
	}
	return MHD_YES;
}

/* Whether the request target as sent holds a NUL. libmicrohttpd hands
 * on_uri() the target as a C string, so a NUL ends it early ("/\0admin"
 * reads as "/"). In 0.9.75 the target and the version lie in one buffer:
 * the space after the target is overwritten by a NUL and the version
 * follows it. A version that does not start right after the C string that
 * on_uri() saw means the target went on past a NUL. */
static bool target_has_nul(const struct req *r, const char *version)
{
	return version != r->raw_uri + r->raw_uri_len + 1;
}

/* The cap of r's route (http/router.h): of its body, or of a multipart
 * body's fields. */
static size_t fields_cap(const struct req *r)
{
	return route_body_cap(r->route, r->srv->cfg->max_body);
}

/* The body cap of r: its route's, and for a multipart body the files'
 * besides. */
static size_t body_cap(const struct req *r)
{
	size_t cap = fields_cap(r);

	return r->multipart ? cap + (size_t)r->srv->cfg->upload_total_max + MULTIPART_SLACK : cap;
}

/* Refuse r's body as too large (413), naming its route's cap. */
static void body_too_large(struct req *r)
{
	size_t cap = body_cap(r);

	r->bad_status = 413;
	if (r->multipart)
		r->bad_request = arena_printf(r->a, "上传内容过大（文件合计最多 %lld MiB）",
					      (long long)(r->srv->cfg->upload_total_max >> 20));
	else if (!cap)
		r->bad_request = "该地址不接受请求体";
	else if (cap % (1u << 20) == 0)
		r->bad_request = arena_printf(r->a, "提交内容过大（此地址最多 %zu MiB）", cap >> 20);
	else if (cap % 1024 == 0)
		r->bad_request = arena_printf(r->a, "提交内容过大（此地址最多 %zu KiB）", cap >> 10);
	else
		r->bad_request = arena_printf(r->a, "提交内容过大（此地址最多 %zu 字节）", cap);
}

/* Refuse what libmicrohttpd 0.9.75 would let through: control bytes in
 * the target, HTTP/1.1 without exactly one Host (RFC 9112 3.2), several or
 * conflicting framing headers (request smuggling), bodies over the
 * route's cap. */
static void check_head(struct req *r, const char *version)
{
	struct hdr_count c = { 0 };
	const char *cl;

	if (target_has_nul(r, version)) {
		r->bad_request = TARGET_CONTROL;
		return;
	}
	MHD_get_connection_values(r->conn, MHD_HEADER_KIND, count_header, &c);
	if (c.host > 1 || (!c.host && strcmp(version, MHD_HTTP_VERSION_1_0))) {
		r->bad_request = c.host ? "请求头 Host 重复" : "HTTP/1.1 请求缺少 Host 请求头";
		return;
	}
	if (c.content_length > 1 || c.transfer_encoding > 1 || (c.content_length && c.transfer_encoding) ||
	    c.cl_bad || (c.transfer_encoding && !c.te_chunked)) {
		r->bad_request = "请求头 Content-Length / Transfer-Encoding 重复或冲突";
		return;
	}
	cl = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Content-Length");
	if (cl && (strlen(cl) > 12 || (size_t)strtoull(cl, NULL, 10) > body_cap(r)))
		body_too_large(r);
}

/* ---- the body budget ---- */

/* Take n more bytes of budget b for a request that holds *held of it;
 * false, taking nothing, when that would pass it. on_completed() gives
 * them back. */
static bool budget_take(struct budget *b, size_t *held, size_t n)
{
	size_t used = atomic_load(&b->used);

	do {
		if (n > b->cap - used)
			return false;
	} while (!atomic_compare_exchange_weak(&b->used, &used, used + n));
	*held += n;
	return true;
}

static void budget_release(struct budget *b, size_t *held)
{
	atomic_fetch_sub(&b->used, *held);
	*held = 0;
}

static void budget_refused(struct req *r, const struct budget *b, const char *what, size_t n)
{
	log_warn("req=%s %s budget (%zu MiB) in use: %s a %zu-byte body from %s", r->id,
		 b == &r->srv->disk ? "upload" : "body", b->cap >> 20, what, n, req_client_addr(r));
}

/* Refuse r, whose body would pass budget b, with 503 before reading it. */
static void refuse_busy(struct req *r, const struct budget *b, size_t n)
{
	budget_refused(r, b, "refused (503)", n);
	req_header(r, "Retry-After", "5");
	r->bad_request = BUSY;
	r->bad_status = 503;
}

/* A multipart body is streamed to disk (http/upload.h): it takes its
 * declared length from the upload budget, and from the memory budget only
 * what its fields may hold; a chunked one takes the upload budget as it
 * comes. */
static void reserve_multipart(struct req *r, size_t n)
{
	struct server *s = r->srv;
	size_t fields = n && n < fields_cap(r) ? n : fields_cap(r);

	if (!budget_take(&s->mem, &r->body_reserved, fields))
		refuse_busy(r, &s->mem, n);
	else if (n && !budget_take(&s->disk, &r->upload_reserved, n))
		refuse_busy(r, &s->disk, n);
}

/* A body with a declared length takes all of it from the budget when its
 * head arrives, so that a refusal is a 503 before any of it is read. */
static void reserve_declared_body(struct req *r)
{
	const char *cl = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Content-Length");
	size_t n = cl ? (size_t)strtoull(cl, NULL, 10) : 0;

	if (r->multipart) {
		reserve_multipart(r, n);
		return;
	}
	if (!n)
		return;
	if (!budget_take(&r->srv->mem, &r->body_reserved, n)) {
		refuse_busy(r, &r->srv->mem, n);
		return;
	}
	buf_grow(&r->body, n);
}

/* Stream n bytes of r's multipart body to its parser (http/upload.h);
 * false when the connection must be closed (take_upload()). */
static bool take_multipart(struct req *r, const char *data, size_t n)
{
	struct budget *disk = &r->srv->disk;
	size_t total = r->upload_len + n;

	r->upload_len = total;
	if (total > body_cap(r)) {
		body_too_large(r);
		upload_fail(r, 413, r->bad_request);
		budget_release(disk, &r->upload_reserved);
		return true;
	}
	if (total > r->upload_reserved && !budget_take(disk, &r->upload_reserved, total - r->upload_reserved)) {
		budget_refused(r, disk, "closed the connection of", total);
		upload_fail(r, 503, BUSY);
		budget_release(disk, &r->upload_reserved);
		return false;
	}
	upload_feed(r, data, n);
	return true;
}

/* Buffer n bytes of r's body (a multipart one is streamed instead). Past the cap the rest is dropped and the
 * answer is 413. A chunked body takes from the budget as it comes, and
 * past it the connection is closed (libmicrohttpd cannot queue an answer
 * in mid-body): returns false then. */
static bool take_upload(struct req *r, const char *data, size_t n)
{
	size_t total = r->body.len + n;

	if (r->replied || r->bad_request)
		return true;
	if (r->multipart)
		return take_multipart(r, data, n);
	if (total > body_cap(r)) {
		body_too_large(r);
		buf_release(&r->body);
		budget_release(&r->srv->mem, &r->body_reserved);
		return true;
	}
	if (total > r->body_reserved && !budget_take(&r->srv->mem, &r->body_reserved, total - r->body_reserved)) {
		budget_refused(r, &r->srv->mem, "closed the connection of", total);
		buf_release(&r->body);
		budget_release(&r->srv->mem, &r->body_reserved);
		return false;
	}
	buf_add(&r->body, data, n);
	return true;
}

/* A JSON body: it must be one object (without repeated members), which
 * the route's handler binds (domain/bind.h). */
static void parse_json_body(struct req *r)
{
	json_error_t err;

	r->json = json_loadb(r->body.s, r->body.len, JSON_REJECT_DUPLICATES, &err);
	if (!json_is_object(r->json)) {
		r->bad_request = "请求体必须是一个 JSON 对象";
		json_decref(r->json);
		r->json = NULL;
	}
}

/* Read the body as the route reads bodies (route_body_kinds()); one of
 * another media type is left unread. */
static void parse_body(struct req *r)
{
	const char *ct = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Content-Type");
	unsigned kinds = r->route ? route_body_kinds(r->route) : BODY_NONE;
	const char *why = NULL;

	if (r->multipart) {
		upload_end(r);
		return;
	}
	if (!r->body.len)
		return;
	if ((kinds & BODY_JSON) && form_media_type_is(ct, "application/json")) {
		parse_json_body(r);
		return;
	}
	if (!(kinds & BODY_FORM) || !form_media_type_is(ct, "application/x-www-form-urlencoded"))
		return;
	r->nform = form_parse(r->a, r->body.s, r->body.len, MAX_FORM_PAIRS, &r->form, &why);
	if (r->nform < 0) {
		r->nform = 0;
		r->bad_request = why;
	}
}

/* The Host header without its port, lowercased; "" when absent or not a
 * plain host name or address. */
static const char *request_host(struct req *r)
{
	const char *h = req_header_in(r, "Host");
	size_t n;
	char *s;

	if (!h || !*h)
		return "";
	if (h[0] == '[') {
		const char *e = strchr(h, ']');
		n = e ? (size_t)(e - h) + 1 : 0;
	} else {
		n = strcspn(h, ":");
	}
	if (!n || n > 253)
		return "";
	s = arena_strndup(r->a, h, n);
	for (char *p = s; *p; p++) {
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
		else if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' ||
			   *p == ':' || *p == '[' || *p == ']'))
			return "";
	}
	return s;
}

/* "/t/<slug>/rest" -> tenant slug, base "/t/<slug>", path "/rest".
 * Returns false when the prefix is malformed (no slug). */
static bool strip_tenant_prefix(struct req *r)
{
	const char *slug = r->path + 3, *end;

	r->base = "";
	if (strncmp(r->path, "/t/", 3))
		return true;
	end = strchrnul(slug, '/');
	if (end == slug || end - slug > 64)
		return false;
	r->tenant_slug = arena_strndup(r->a, slug, (size_t)(end - slug));
	r->base = arena_strndup(r->a, r->path, (size_t)(end - r->path));
	r->path = *end ? end : "/";
	r->is_api = !strncmp(r->path, "/api/", 5);
	return true;
}

/* "GET, HEAD, POST" for the methods the table has for path. */
static const char *allowed_methods(struct req *r)
{
	static const char *const order[] = { "GET", "POST", "PUT", "PATCH", "DELETE" };
	buf b = BUF_INIT;
	bool dummy;
	const char *s;

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		if (!router_match(r->srv->cfg->routes, r->srv->cfg->nroutes, order[i], r->path, NULL, &dummy))
			continue;
		if (b.len)
			buf_puts(&b, ", ");
		buf_puts(&b, order[i]);
		if (!strcmp(order[i], "GET"))
			buf_puts(&b, ", HEAD");
	}
	s = arena_strdup(r->a, b.s);
	buf_release(&b);
	return s;
}

/* Once the head is in: the tenant prefix off the path, then the route,
 * whose body limits apply from here on. */
static void route_head(struct req *r)
{
	const char *method = !strcmp(r->method, "HEAD") ? "GET" : r->method;

	r->host = request_host(r);
	if (!strip_tenant_prefix(r)) {
		r->bad_prefix = true;
		return;
	}
	r->route = router_match(r->srv->cfg->routes, r->srv->cfg->nroutes, method, r->path, r, &r->path_known);
	r->multipart = r->route && (route_body_kinds(r->route) & BODY_MULTIPART) && r->srv->cfg->upload_dir &&
		       form_media_type_is(req_header_in(r, "Content-Type"), "multipart/form-data");
}

/* Parse r's multipart body as it comes, within the server's caps and its
 * route's cap for the fields. */
static void start_upload(struct req *r)
{
	const struct server_config *cfg = r->srv->cfg;
	struct upload_limits l = {
		.dir = cfg->upload_dir,
		.file_max = cfg->upload_file_max,
		.total_max = cfg->upload_total_max,
		.files_max = cfg->upload_files_max,
		.fields_max = fields_cap(r),
		.pairs_max = MAX_FORM_PAIRS,
	};

	upload_begin(r, &l);
}

static void run_handler(struct req *r, const struct route *rt)
{
	rt->fn(r);
	if (!r->replied) {
		log_error("req=%s handler for %s %s did not reply", r->id, r->method, r->path);
		reply_error(r, 500, "internal", "服务器内部错误", NULL);
	}
}

/* A slow or bulk route's handler on a worker of pool w (workers.h): the
 * connection is suspended while it runs, so this request thread serves
 * others. A full queue is a 503 at once. */
static void run_on_worker(struct req *r, struct workers *w)
{
	if (workers_reserve(w) < 0) {
		req_header(r, "Retry-After", "5");
		reply_error(r, 503, "busy", BUSY, NULL);
		return;
	}
	r->suspended = true;
	MHD_suspend_connection(r->conn);
	workers_submit(w, r);
}

/* The workers' run function: the handler, with the worker's own store
 * connection; then the connection resumes and on_request() sends the
 * answer. */
static void run_job(void *job, void *cls)
{
	struct req *r = job;

	r->db = server_db(r->srv);
	if (r->db)
		run_handler(r, r->route);
	else
		reply_error(r, 503, "unavailable", "数据库暂时无法访问，请稍后再试", NULL);
	MHD_resume_connection(r->conn);
}

/* The error code of a request refused before routing, by its status. */
static const char *bad_code(int status)
{
	return status == 503 ? "busy" : status == 413 ? "too_large" : "bad_request";
}

static void dispatch(struct req *r)
{
	const char *method = !strcmp(r->method, "HEAD") ? "GET" : r->method;
	const struct route *rt = r->route;

	if (r->bad_prefix) {
		reply_error(r, 404, "not_found", "您访问的页面不存在", NULL);
		return;
	}
	if (r->bad_request) {
		reply_error(r, r->bad_status ? r->bad_status : 400, bad_code(r->bad_status), r->bad_request, NULL);
		return;
	}
	if (!strncmp(r->path, "/static/", 8) && !strcmp(method, "GET")) {
		assets_serve(r, r->path + 8);
		return;
	}
	/* Whatever answers a request that carries credentials is not for a
	 * cache, valid or not (ASVS 8.2.1); assets above are the same for all. */
	if (req_header_in(r, "Authorization") || req_header_in(r, "Cookie"))
		r->no_store = true;
	if (!rt) {
		if (r->path_known) {
			req_header(r, "Allow", allowed_methods(r));
			reply_error(r, 405, "method_not_allowed", "该地址不支持此请求方法", NULL);
		} else {
			reply_error(r, 404, "not_found", "您访问的页面不存在", NULL);
		}
		return;
	}
	r->db = server_db(r->srv);
	if (!r->db) {
		reply_error(r, 503, "unavailable", "数据库暂时无法访问，请稍后再试", NULL);
		return;
	}
	if (r->srv->cfg->preconditions && r->srv->cfg->preconditions(r, rt) < 0) {
		if (!r->replied)
			reply_error(r, 500, "internal", "服务器内部错误", NULL);
		return;
	}
	if (rt->flags & ROUTE_SLOW)
		run_on_worker(r, r->srv->slow);
	else if (rt->flags & ROUTE_BULK)
		run_on_worker(r, r->srv->bulk);
	else
		run_handler(r, rt);
}

/* Queue the answer that reply() prepared. */
static enum MHD_Result send_reply(struct req *r)
{
	enum MHD_Result rc = MHD_queue_response(r->conn, (unsigned)r->status, r->resp);

	if (rc != MHD_YES)
		log_error("req=%s cannot queue the answer: closing the connection", r->id);
	MHD_destroy_response(r->resp);
	r->resp = NULL;
	return rc;
}

/* After the request is read: route and run it, then send the answer
 * unless a worker has it. */
static enum MHD_Result handle(struct req *r)
{
	dispatch(r);
	return r->suspended ? MHD_YES : send_reply(r);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **ctx)
{
	struct req *r = *ctx;

	if (!r->started) {
		r->started = true;
		r->method = arena_strdup(r->a, method);
		guard_phase(r->srv->guard, conn, GUARD_BODY);
		route_head(r);
		if (!r->bad_request)
			check_head(r, version);
		if (!r->bad_request)
			reserve_declared_body(r);
		if (!r->bad_request && r->multipart)
			start_upload(r);
		if (r->bad_request) {
			guard_phase(r->srv->guard, conn, GUARD_BUSY);
			return handle(r); /* answer at once; MHD closes after an unread body */
		}
		return MHD_YES;
	}
	if (r->suspended) {
		/* Resumed: a worker ran the handler. */
		r->suspended = false;
		return send_reply(r);
	}
	if (*upload_size) {
		bool go_on = take_upload(r, upload, *upload_size);
		*upload_size = 0;
		return go_on ? MHD_YES : MHD_NO;
	}
	if (r->replied)
		return MHD_YES;
	guard_phase(r->srv->guard, conn, GUARD_BUSY);
	if (!r->bad_request)
		parse_body(r);
	return handle(r);
}

static atomic_int access_mode = ACCESS_TEXT;

void server_access_log(enum access_log mode)
{
	atomic_store(&access_mode, mode);
}

/* The access log's record of r, which took us microseconds. */
static void access_record(struct req *r, long us, bool completed)
{
	int mode = atomic_load(&access_mode);
	const char *method = r->method ? r->method : "-";

	if (mode == ACCESS_TEXT) {
		log_access("req=%s %s %s %d %zu %ldus%s", r->id, method, r->path, r->status, r->sent, us,
			   completed ? "" : " aborted");
	} else if (mode == ACCESS_JSON) {
		struct timespec now;
		clock_gettime(CLOCK_REALTIME, &now);
		json_t *o = json_pack("{s:f, s:s, s:s, s:s, s:s?, s:i, s:I, s:I, s:s, s:b}",
				      "time", (double)now.tv_sec + now.tv_nsec / 1e9, "req", r->id, "method", method,
				      "path", r->path ? r->path : "", "route", r->route ? r->route->pattern : NULL,
				      "status", r->status, "bytes", (json_int_t)r->sent, "us", (json_int_t)us,
				      "addr", req_client_addr(r), "completed", completed);
		char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
		if (text)
			log_line(text);
		free(text);
		json_decref(o);
	}
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **ctx,
			 enum MHD_RequestTerminationCode toe)
{
	struct server *s = cls;
	struct req *r = *ctx;
	struct timespec end;

	if (!r)
		return;
	guard_phase(s->guard, conn, GUARD_HEAD); /* the next request's head, from now */
	clock_gettime(CLOCK_MONOTONIC, &end);
	long us = (end.tv_sec - r->start.tv_sec) * 1000000L + (end.tv_nsec - r->start.tv_nsec) / 1000;
	access_record(r, us, toe == MHD_REQUEST_TERMINATED_COMPLETED_OK);
	metrics_request(r->route ? (int)(r->route - s->cfg->routes) : -1, r->status, us);
	if (r->resp)
		MHD_destroy_response(r->resp);
	buf_release(&r->out);
	buf_release(&r->body);
	upload_release(r); /* its temporary files go, whatever the handler did */
	budget_release(&s->mem, &r->body_reserved);
	budget_release(&s->disk, &r->upload_reserved);
	json_decref(r->json);
	arena_free(r->a);
	free(r);
	*ctx = NULL;
	atomic_fetch_sub(&s->active, 1);
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	buf b = BUF_INIT;
	buf_vprintf(&b, fmt, ap);
	while (b.len && b.s[b.len - 1] == '\n')
		b.s[--b.len] = '\0';
	log_info("http: %s", b.s);
	buf_release(&b);
}

/* A listening socket on cfg->listen:cfg->port, or -1 with the reason
 * logged ("cannot listen on 127.0.0.1:8080: Address already in use").
 * Bound here rather than by libmicrohttpd, which gives no reason. */
static int listen_socket(const struct server_config *cfg)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t)cfg->port) };
	int fd, one = 1;

	if (inet_pton(AF_INET, cfg->listen, &addr.sin_addr) != 1) {
		log_error("cannot listen on '%s': not an IPv4 address", cfg->listen);
		return -1;
	}
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(fd, SOMAXCONN) < 0) {
		log_error("cannot listen on %s:%d: %s", cfg->listen, cfg->port, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* Let the process open a descriptor per connection: raise the soft limit
 * towards the hard one (Debian's default soft limit is 1024). */
static void raise_fd_limit(unsigned conns)
{
	struct rlimit rl;
	rlim_t want = (rlim_t)conns + 64;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur >= want)
		return;
	rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want ? want : rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur < want)
		log_error("only %llu open files allowed (ulimit -n): fewer than %u connections will be served",
			  (unsigned long long)rl.rlim_cur, conns);
}

static struct guard *start_guard(const struct server_config *cfg)
{
	struct guard_limits l = {
		.max_conns = cfg->max_conns,
		.per_addr = cfg->trust_proxy ? 0 : cfg->per_addr,
		.head_ms = cfg->head_timeout * 1000,
		.request_ms = cfg->request_timeout * 1000,
	};

	return guard_new(&l);
}

static struct MHD_Daemon *start_daemon(struct server *s, int lfd)
{
	const struct server_config *cfg = s->cfg;
	int threads = cfg->threads > 0 ? cfg->threads : (int)sysconf(_SC_NPROCESSORS_ONLN);
	struct MHD_Daemon *d;

	d = MHD_start_daemon(MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_USE_ITC | MHD_ALLOW_SUSPEND_RESUME,
			     0, NULL, NULL, on_request, s,
			     MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
			     MHD_OPTION_LISTEN_SOCKET, lfd,
			     MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(threads < 1 ? 1 : threads),
			     MHD_OPTION_URI_LOG_CALLBACK, on_uri, s,
			     MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
			     MHD_OPTION_NOTIFY_CONNECTION, guard_notify, s->guard,
			     MHD_OPTION_CONNECTION_TIMEOUT, cfg->idle_timeout,
			     MHD_OPTION_CONNECTION_LIMIT, cfg->max_conns,
			     MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)64 * 1024,
			     MHD_OPTION_END);
	if (!d) {
		log_error("cannot start the HTTP server on %s:%d (see the line above)", cfg->listen, cfg->port);
		return NULL;
	}
	printf("jiebang serving on http://%s:%d/\n", cfg->listen, cfg->port);
	fflush(stdout);
	log_info("serving on http://%s:%d/ with %d threads, %u for password hashing", cfg->listen, cfg->port,
		 threads, cfg->slow_workers);
	return d;
}

/* Stop accepting (the listening socket comes back to us), let running
 * requests finish (at most ~10 s), then the workers' jobs, which resume
 * every suspended connection (MHD_stop_daemon() requires it), then stop.
 * Returns the listening socket to close. */
static int shut_down(struct server *s, struct MHD_Daemon *d)
{
	int lfd = MHD_quiesce_daemon(d);

	for (int i = 0; i < 1000 && atomic_load(&s->active) > 0; i++)
		usleep(10000);
	workers_stop(s->slow);
	workers_stop(s->bulk);
	s->slow = s->bulk = NULL;
	MHD_stop_daemon(d);
	return lfd;
}

int server_run(const struct server_config *cfg)
{
	struct server s = { .cfg = cfg, .mem.cap = cfg->body_budget, .disk.cap = cfg->upload_budget };
	struct MHD_Daemon *d = NULL;
	sigset_t set;
	int sig, lfd;

	/* Signals go to the main thread only, which waits for them below: block
	 * them before any thread starts (threads inherit the mask), or a
	 * second SIGTERM during shutdown reaches a worker and kills us. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	pthread_mutex_init(&s.lock, NULL);
	raise_fd_limit(cfg->max_conns);
	metrics_start(cfg->nroutes);
	lfd = cfg->upload_dir && upload_dir_init(cfg->upload_dir) < 0 ? -1 : listen_socket(cfg);
	if (lfd >= 0) {
		s.guard = start_guard(cfg);
		s.slow = workers_start(cfg->slow_workers, cfg->slow_queue, run_job, &s);
		s.bulk = workers_start(cfg->bulk_workers, cfg->bulk_queue, run_job, &s);
	}
	/* SQLite gives each statement's temporary b-trees a page cache of its
	 * own and frees it when the statement ends; glibc then returns that
	 * memory to the kernel at once and faults it back on the next request
	 * (~40 page faults per board request, a quarter of the throughput).
	 * Keep up to 32 MiB of freed memory per arena instead. */
	mallopt(M_TRIM_THRESHOLD, 32 << 20);
	assets_init();
	if (s.guard && s.slow)
		d = start_daemon(&s, lfd);
	if (d && cfg->task && cfg->task_period)
		s.ticker = ticker_start(cfg->db_url, cfg->task_period, cfg->task);
	if (d) {
		sd_notify(0, "READY=1");
		while (sigwait(&set, &sig) == 0 && sig == SIGHUP) {
			sd_notify(0, "RELOADING=1");
			if (cfg->reload)
				cfg->reload();
			sd_notify(0, "READY=1");
		}
		sd_notify(0, "STOPPING=1");
		log_info("received %s: finishing in-flight requests", sig == SIGINT ? "SIGINT" : "SIGTERM");
		lfd = shut_down(&s, d);
	}
	ticker_stop(s.ticker);
	workers_stop(s.slow);
	guard_free(s.guard);
	if (lfd >= 0)
		close(lfd);
	for (size_t i = 0; i < s.nconns; i++)
		db_close(s.conns[i]);
	free(s.conns);
	pthread_mutex_destroy(&s.lock);
	if (!d)
		return 1;
	log_info("stopped");
	return 0;
}
