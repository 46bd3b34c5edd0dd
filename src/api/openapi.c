/* openapi.c - builds the OpenAPI 3.1 document from the route table and the
 * bind tables (api/openapi.h) and serves it. */
#include "api/openapi.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "util/log.h"
#include "web/api_docs.h"
#include "web/routes.h"
#include "web/web.h"

#define DATE_PATTERN "^\\d{4}-\\d{2}-\\d{2}$"

/* ---- the shape notation ---- */

static json_t *nullable(json_t *s)
{
	json_t *t = json_object_get(s, "type"), *e = json_object_get(s, "enum");

	if (e)
		json_array_append_new(e, json_null());
	if (json_is_string(t)) {
		json_object_set_new(s, "type", json_pack("[O, s]", t, "null"));
		return s;
	}
	return json_pack("{s:[o, {s:s}]}", "anyOf", s, "type", "null");
}

static json_t *scalar(const char *text, const char **err)
{
	size_t len = strlen(text);
	bool null = len && text[len - 1] == '?';
	char *s = strndup(text, null ? len - 1 : len);
	json_t *v = NULL;

	if (!strcmp(s, "int"))
		v = json_pack("{s:s}", "type", "integer");
	else if (!strcmp(s, "str"))
		v = json_pack("{s:s}", "type", "string");
	else if (!strcmp(s, "num"))
		v = json_pack("{s:s}", "type", "number");
	else if (!strcmp(s, "bool"))
		v = json_pack("{s:s}", "type", "boolean");
	else if (!strcmp(s, "any"))
		v = json_object();
	else if (!strcmp(s, "date"))
		v = json_pack("{s:s, s:s}", "type", "string", "pattern", DATE_PATTERN);
	else if (!strcmp(s, "at"))
		v = json_pack("{s:s, s:s}", "type", "integer", "description", "epoch seconds");
	else if (s[0] == '#' && s[1])
		v = json_pack("{s:s+}", "$ref", "#/components/schemas/", s + 1);
	else if (strchr(s, '|')) {
		json_t *e = json_array();
		for (char *p = s, *bar; p; p = bar ? bar + 1 : NULL) {
			if ((bar = strchr(p, '|')))
				*bar = '\0';
			json_array_append_new(e, json_string(p));
		}
		v = json_pack("{s:s, s:o}", "type", "string", "enum", e);
	}
	if (!v)
		*err = "unknown shape";
	else if (null)
		v = nullable(v);
	free(s);
	return v;
}

static json_t *shape(const json_t *v, const char **err)
{
	const char *k;
	json_t *sub, *props, *req, *out;

	if (json_is_string(v))
		return scalar(json_string_value(v), err);
	if (json_is_array(v)) {
		if (json_array_size(v) != 1 || !(sub = shape(json_array_get(v, 0), err))) {
			*err = *err ? *err : "an array shape has one element";
			return NULL;
		}
		return json_pack("{s:s, s:o}", "type", "array", "items", sub);
	}
	if (!json_is_object(v)) {
		*err = "a shape is a string, an array or an object";
		return NULL;
	}
	if ((sub = json_object_get(v, "=")))
		return json_deep_copy(sub);
	if ((sub = json_object_get(v, "*")) && json_object_size(v) == 1)
		return (out = shape(sub, err)) ? json_pack("{s:s, s:o}", "type", "object", "additionalProperties", out) : NULL;
	if ((sub = json_object_get(v, "?")) && json_object_size(v) == 1)
		return (out = shape(sub, err)) ? nullable(out) : NULL;
	props = json_object();
	req = json_array();
	json_object_foreach((json_t *)v, k, sub) {
		size_t len = strlen(k);
		bool opt = len && k[len - 1] == '?';
		char *name = strndup(k, opt ? len - 1 : len);
		json_t *s = shape(sub, err);
		if (!s) {
			free(name);
			json_decref(props);
			json_decref(req);
			return NULL;
		}
		json_object_set_new(props, name, s);
		if (!opt)
			json_array_append_new(req, json_string(name));
		free(name);
	}
	out = json_pack("{s:s, s:o}", "type", "object", "properties", props);
	if (json_array_size(req))
		json_object_set_new(out, "required", req);
	else
		json_decref(req);
	return out;
}

json_t *openapi_shape(const char *text, const char **err)
{
	char *s = strdup(text);
	json_error_t je;
	json_t *v, *out;

	*err = NULL;
	for (char *p = s; *p; p++)
		if (*p == '\'')
			*p = '"';
	v = json_loads(s, JSON_DECODE_ANY, &je);
	free(s);
	if (!v) {
		*err = "not JSON";
		return NULL;
	}
	out = shape(v, err);
	json_decref(v);
	return out;
}

/* ---- bind tables ---- */

static json_t *field_schema(const struct bind_field *f)
{
	bool req = f->flags & BIND_REQUIRED;
	json_t *s, *e;

	switch (f->type) {
	case BF_TEXT:
		s = json_pack("{s:s, s:I}", "type", "string", "maxLength", (json_int_t)f->max);
		if (req && f->min > 0)
			json_object_set_new(s, "minLength", json_integer(f->min > 1 ? f->min : 1));
		else if (f->min > 1) /* "" is absent */
			json_object_set_new(s, "anyOf", json_pack("[{s:i}, {s:I}]", "maxLength", 0, "minLength",
								  (json_int_t)f->min));
		break;
	case BF_INT:
		s = json_pack("{s:s, s:I, s:I}", "type", "integer", "minimum", (json_int_t)f->min, "maximum",
			      (json_int_t)f->max);
		break;
	case BF_ID:
		s = json_pack("{s:s, s:i}", "type", "integer", "minimum", 1);
		break;
	case BF_BOOL:
		s = json_pack("{s:s}", "type", "boolean");
		break;
	case BF_DATE:
		s = json_pack("{s:s, s:s}", "type", "string", "pattern", DATE_PATTERN);
		break;
	case BF_CHOICE:
		e = json_array();
		for (const struct label *l = f->choices; l && l->code; l++)
			json_array_append_new(e, json_string(l->code));
		s = json_pack("{s:s, s:o}", "type", "string", "enum", e);
		break;
	case BF_DECIMAL: {
		double scale = 1;
		for (int i = 0; i < f->scale; i++)
			scale *= 10;
		s = json_pack("{s:[s, s], s:s, s:f, s:f}", "type", "number", "string", "pattern",
			      f->scale ? "^-?\\d+(\\.\\d+)?$" : "^-?\\d+$", "minimum", (double)f->min / scale,
			      "maximum", (double)f->max / scale);
		break;
	}
	case BF_IDS:
		s = json_pack("{s:s, s:{s:s, s:i}, s:I}", "type", "array", "items", "type", "integer", "minimum", 1,
			      "maxItems", (json_int_t)f->max);
		break;
	case BF_LIST:
		s = json_pack("{s:s, s:o, s:I}", "type", "array", "items", openapi_bind_schema(f->sub), "maxItems",
			      (json_int_t)f->max);
		break;
	default:
		s = json_object();
	}
	json_object_set_new(s, "title", json_string(f->label));
	if (!req && json_object_get(s, "enum"))
		json_array_append_new(json_object_get(s, "enum"), json_null());
	if (!req && json_is_string(json_object_get(s, "type")))
		json_object_set_new(s, "type", json_pack("[s, s]", json_string_value(json_object_get(s, "type")), "null"));
	else if (!req && json_is_array(json_object_get(s, "type")))
		json_array_append_new(json_object_get(s, "type"), json_string("null"));
	return s;
}

json_t *openapi_bind_schema(const struct bind_field *fields)
{
	json_t *props = json_object(), *req = json_array(), *s;

	for (const struct bind_field *f = fields; f->name; f++) {
		json_object_set_new(props, f->name, field_schema(f));
		if (f->flags & BIND_REQUIRED)
			json_array_append_new(req, json_string(f->name));
	}
	s = json_pack("{s:s, s:o}", "type", "object", "properties", props);
	if (json_array_size(req))
		json_object_set_new(s, "required", req);
	else
		json_decref(req);
	return s;
}

/* ---- operations ---- */

/* "/api/v1/claims/:id" -> "/api/v1/claims/{id}", with its parameters. */
static char *path_template(const char *pattern, json_t *params)
{
	buf b = BUF_INIT;

	for (const char *p = pattern; *p;) {
		if (*p == ':') {
			size_t n = strcspn(p + 1, "/");
			char *name = strndup(p + 1, n);
			bool num = !strcmp(name, "id") || !strcmp(name, "year");
			buf_printf(&b, "{%s}", name);
			json_array_append_new(params, json_pack("{s:s, s:s, s:b, s:o}", "name", name, "in", "path",
								"required", 1, "schema",
								num ? json_pack("{s:s, s:i}", "type", "integer", "minimum", 1)
								    : json_pack("{s:s}", "type", "string")));
			free(name);
			p += 1 + n;
		} else {
			buf_putc(&b, *p++);
		}
	}
	return buf_detach(&b, NULL);
}

static json_t *security(const struct route *rt)
{
	bool unsafe = strcmp(rt->method, "GET") && strcmp(rt->method, "HEAD");
	json_t *cookie = unsafe && (rt->flags & NEED_CSRF) ? json_pack("{s:[], s:[]}", "session", "csrf")
							  : json_pack("{s:[]}", "session");

	if (rt->flags & NEED_LOGIN)
		return json_pack("[o, {s:[]}]", cookie, "bearer");
	if (rt->flags & NEED_CSRF) /* anonymous senders; a cookie session sends its token */
		return json_pack("[{}, o, {s:[]}]", cookie, "bearer");
	json_decref(cookie);
	return json_pack("[{}]");
}

static json_t *request_body(const struct route *rt, const struct api_doc *doc, const char **err)
{
	unsigned kinds = route_body_kinds(rt);
	json_t *schema, *content;
	bool required = false;

	if (!(kinds & (BODY_JSON | BODY_MULTIPART)))
		return NULL;
	if (doc && doc->body) {
		schema = openapi_bind_schema(doc->body);
		required = json_array_size(json_object_get(schema, "required")) > 0;
	} else if (doc && doc->body_shape) {
		if (!(schema = openapi_shape(doc->body_shape, err)))
			return NULL;
		required = json_array_size(json_object_get(schema, "required")) > 0;
	} else {
		schema = json_pack("{s:s}", "type", "object");
	}
	content = json_object();
	if (kinds & BODY_JSON)
		json_object_set_new(content, "application/json", json_pack("{s:O}", "schema", schema));
	if (kinds & BODY_MULTIPART) {
		/* the same fields as form parts, plus the files */
		json_t *m = json_deep_copy(schema);
		json_t *props = json_object_get(m, "properties");
		if (!props)
			json_object_set_new(m, "properties", props = json_object());
		json_object_set_new(props, "file", json_pack("{s:s, s:{s:s, s:s}}", "type", "array", "items", "type",
							      "string", "contentMediaType", "application/octet-stream"));
		json_object_set_new(content, "multipart/form-data", json_pack("{s:o}", "schema", m));
	}
	json_decref(schema);
	return json_pack("{s:b, s:o}", "required", required, "content", content);
}

/* doc->more: {"422": shape, ...} into out. */
static int more_responses(const char *text, json_t *out, const char **err)
{
	char *s = strdup(text);
	json_error_t je;
	json_t *m, *v;
	const char *status;

	for (char *p = s; *p; p++)
		if (*p == '\'')
			*p = '"';
	m = json_loads(s, 0, &je);
	free(s);
	if (!json_is_object(m)) {
		*err = "more: not a JSON object";
		json_decref(m);
		return -1;
	}
	json_object_foreach(m, status, v) {
		char *one = json_dumps(v, JSON_ENCODE_ANY);
		json_t *sch = openapi_shape(one, err);
		free(one);
		if (!sch) {
			json_decref(m);
			return -1;
		}
		json_object_set_new(out, status, json_pack("{s:s, s:{s:{s:o}}}", "description", "见说明", "content",
							   "application/json", "schema", sch));
	}
	json_decref(m);
	return 0;
}

static json_t *responses(const struct route *rt, const struct api_doc *doc, const char **err)
{
	json_t *ok, *content, *out;

	content = json_object();
	if (doc && doc->media) {
		char *types = strdup(doc->media);
		for (char *save = NULL, *t = strtok_r(types, " ", &save); t; t = strtok_r(NULL, " ", &save))
			json_object_set_new(content, t,
					    strncmp(t, "text/", 5) ? json_object() : json_pack("{s:{s:s}}", "schema", "type", "string"));
		free(types);
	}
	if (!doc || doc->ok || !doc->media) {
		if (!(ok = openapi_shape(doc && doc->ok ? doc->ok : "{'ok':'bool'}", err))) {
			json_decref(content);
			return NULL;
		}
		json_object_set_new(content, "application/json", json_pack("{s:o}", "schema", ok));
	}
	out = json_pack("{s:{s:s, s:o}, s:{s:s}, s:{s:s}}", "2XX", "description", "成功", "content", content, "4XX",
			"$ref", "#/components/responses/Error", "5XX", "$ref", "#/components/responses/Error");
	if (doc && doc->more && more_responses(doc->more, out, err) < 0) {
		json_decref(out);
		return NULL;
	}
	if (rt->fn == api_openapi)
		json_object_set_new(out, "304", json_pack("{s:s}", "description", "未变化（If-None-Match）"));
	return out;
}

static char *operation_id(const struct route *rt)
{
	buf b = BUF_INIT;

	for (const char *p = rt->method; *p; p++)
		buf_putc(&b, (char)(*p | 0x20));
	for (const char *p = rt->pattern + 4; *p; p++) /* after "/api" */
		buf_putc(&b, (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ? *p : '_');
	return buf_detach(&b, NULL);
}

static char *tag_of(const char *pattern)
{
	const char *p = pattern + strlen("/api/v1/");
	if (strncmp(pattern, "/api/v1/", 8))
		return strdup("api");
	return strndup(p, strcspn(p, "/."));
}

static json_t *operation(const struct route *rt, json_t *params, const char **err)
{
	const struct api_doc *doc = rt->doc;
	char *id = operation_id(rt), *tag = tag_of(rt->pattern);
	json_t *op, *body, *resp, *all = json_deep_copy(params);

	op = json_pack("{s:s, s:s, s:[s], s:o}", "operationId", id, "summary", doc ? doc->summary : rt->pattern, "tags",
		       tag, "security", security(rt));
	free(id);
	free(tag);
	if (rt->action)
		json_object_set_new(op, "x-jiebang-action", json_string(rt->action));
	if (doc && doc->query) {
		char *names = strdup(doc->query);
		for (char *save = NULL, *q = strtok_r(names, " ", &save); q; q = strtok_r(NULL, " ", &save))
			json_array_append_new(all, json_pack("{s:s, s:s, s:{s:s}}", "name", q, "in", "query", "schema",
							     "type", "string"));
		free(names);
	}
	if (json_array_size(all))
		json_object_set_new(op, "parameters", all);
	else
		json_decref(all);
	if ((body = request_body(rt, doc, err)))
		json_object_set_new(op, "requestBody", body);
	if (*err || !(resp = responses(rt, doc, err))) {
		json_decref(op);
		return NULL;
	}
	json_object_set_new(op, "responses", resp);
	return op;
}

static const char ERROR_SHAPE[] =
	"{'error':{'code':'str','message':'str','field?':'str?','fields?':[{'field':'str?','code':'str?',"
	"'message':'str'}],'request_id':'str'}}";

static json_t *components(const char **err)
{
	json_t *schemas = json_object(), *e;

	for (const struct api_schema *s = api_schemas; s->name; s++) {
		json_t *v = openapi_shape(s->shape, err);
		if (!v) {
			log_error("openapi: schema '%s': %s", s->name, *err);
			json_decref(schemas);
			return NULL;
		}
		json_object_set_new(schemas, s->name, v);
	}
	/* exactly as web_render_error() and outcome_error() send it */
	e = openapi_shape(ERROR_SHAPE, err);
	json_object_set_new(json_object_get(json_object_get(e, "properties"), "error"), "additionalProperties",
			    json_false());
	json_object_set_new(e, "additionalProperties", json_false());
	json_object_set_new(schemas, "Error", e);
	return json_pack("{s:o, s:{s:{s:s, s:{s:{s:{s:s}}}}}, s:{s:{s:s, s:s, s:s, s:s}, s:{s:s, s:s, s:s, s:s}, "
			 "s:{s:s, s:s, s:s}}}",
			 "schemas", schemas, "responses", "Error", "description", "错误（4xx、5xx）", "content",
			 "application/json", "schema", "$ref", "#/components/schemas/Error", "securitySchemes", "session",
			 "type", "apiKey", "in", "cookie", "name", "jb_session", "description",
			 "登录会话（POST /api/v1/session）；在 HTTPS 下名为 __Host-jb_session", "csrf", "type", "apiKey", "in",
			 "header", "name", "X-CSRF-Token", "description", "会话的 CSRF 令牌（登录时返回的 csrf_token）",
			 "bearer", "type", "http", "scheme", "bearer", "description", "API 令牌（POST /api/v1/tokens）");
}

json_t *openapi_document(const struct route *table, size_t n)
{
	const char *err = NULL;
	json_t *paths = json_object(), *comp, *doc;

	for (size_t i = 0; i < n; i++) {
		const struct route *rt = &table[i];
		json_t *params, *item, *op;
		char *path, *method;
		if (strncmp(rt->pattern, "/api/", 5))
			continue;
		params = json_array();
		path = path_template(rt->pattern, params);
		if (!(item = json_object_get(paths, path)))
			json_object_set_new(paths, path, item = json_object());
		op = operation(rt, params, &err);
		json_decref(params);
		if (!op) {
			log_error("openapi: %s %s: %s", rt->method, rt->pattern, err);
			free(path);
			json_decref(paths);
			return NULL;
		}
		method = strdup(rt->method);
		for (char *p = method; *p; p++)
			*p = (char)(*p | 0x20);
		json_object_set_new(item, method, op);
		free(method);
		free(path);
	}
	if (!(comp = components(&err))) {
		json_decref(paths);
		return NULL;
	}
	doc = json_pack("{s:s, s:s, s:{s:s, s:s, s:s}, s:o, s:o}", "openapi", "3.1.0", "jsonSchemaDialect",
			"https://spec.openapis.org/oas/3.1/dialect/base", "info", "title", "jiebang API", "version",
			"1", "description",
			"揭榜挂帅平台的 JSON 接口。由路由表和请求字段声明生成。多单位部署时可在路径前加 /t/<单位简称>。",
			"paths", paths, "components", comp);
	return doc;
}

/* ---- serving ---- */

static pthread_once_t built = PTHREAD_ONCE_INIT;
static char *doc_text;   /* written once under `built` */
static char doc_etag[24];

static void build(void)
{
	json_t *d = openapi_document(routes, routes_count);
	uint64_t h = 1469598103934665603ull; /* FNV-1a */

	if (!d)
		return;
	doc_text = json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(d);
	for (const char *p = doc_text; p && *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	snprintf(doc_etag, sizeof(doc_etag), "\"%016llx\"", (unsigned long long)h);
}

void api_openapi(struct req *r)
{
	const char *inm;

	pthread_once(&built, build);
	if (!doc_text) {
		reply_error(r, 500, "internal", "服务器内部错误", NULL);
		return;
	}
	req_header(r, "ETag", doc_etag);
	req_header(r, "Cache-Control", "public, max-age=300");
	inm = req_header_in(r, "If-None-Match");
	if (inm && !strcmp(inm, doc_etag)) {
		reply(r, 304, "application/json");
		return;
	}
	buf_puts(&r->out, doc_text);
	buf_putc(&r->out, '\n');
	reply(r, 200, "application/json");
}

/* A bind table as JSON for `jiebang routes`: each field's name, type,
 * required, limits, choices' codes and (lists) sub fields. */
static json_t *fields_json(const struct bind_field *f)
{
	static const char *const types[] = { "text", "int", "id", "bool", "date", "choice", "decimal", "ids", "list" };
	json_t *a = json_array();

	for (; f && f->name; f++) {
		json_t *o = json_pack("{s:s, s:s, s:b, s:I, s:I}", "name", f->name, "type", types[f->type], "required",
				      (f->flags & BIND_REQUIRED) != 0, "min", (json_int_t)f->min, "max", (json_int_t)f->max);
		if (f->choices) {
			json_t *c = json_array();
			for (const struct label *l = f->choices; l->code; l++)
				json_array_append_new(c, json_string(l->code));
			json_object_set_new(o, "choices", c);
		}
		if (f->sub)
			json_object_set_new(o, "sub", fields_json(f->sub));
		json_array_append_new(a, o);
	}
	return a;
}

/* The bind table of rt's body: its api_doc's, else that of an /api/ route
 * with the same handler (a page form and its API twin bind one table). */
static const struct bind_field *route_fields(const struct route *rt)
{
	if (rt->doc)
		return rt->doc->body;
	for (size_t i = 0; i < routes_count; i++)
		if (routes[i].fn == rt->fn && routes[i].doc && routes[i].doc->body)
			return routes[i].doc->body;
	return NULL;
}

int openapi_print_routes(void)
{
	static const struct {
		unsigned bit;
		const char *name;
	} flags[] = {
		{ NEED_LOGIN, "login" }, { NEED_CSRF, "csrf" }, { ALLOW_MUST_CHANGE, "must_change" },
		{ NO_TENANT, "no_tenant" }, { ROUTE_SLOW, "slow" }, { ROUTE_BULK, "bulk" },
	};
	static const struct {
		unsigned bit;
		const char *name;
	} kinds[] = { { BODY_NONE, "none" }, { BODY_FORM, "form" }, { BODY_JSON, "json" }, { BODY_MULTIPART, "multipart" } };

	/* METHOD PATTERN doc|- and then, for tests that walk the table
	 * (tests/server/hostile.test.mjs), one JSON object: the flags, the
	 * body kinds and cap, the action and the body's bind table. */
	for (size_t i = 0; i < routes_count; i++) {
		const struct route *rt = &routes[i];
		unsigned k = route_body_kinds(rt);
		json_t *f = json_array(), *b = json_array(), *o;
		char *text;

		for (size_t j = 0; j < sizeof(flags) / sizeof(flags[0]); j++)
			if (rt->flags & flags[j].bit)
				json_array_append_new(f, json_string(flags[j].name));
		for (size_t j = 0; j < sizeof(kinds) / sizeof(kinds[0]); j++)
			if (k & kinds[j].bit)
				json_array_append_new(b, json_string(kinds[j].name));
		o = json_pack("{s:o, s:o, s:I, s:s?, s:o}", "flags", f, "body", b, "cap", (json_int_t)route_body_cap(rt, 0),
			      "action", rt->action, "fields", fields_json(route_fields(rt)));
		text = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
		printf("%s %s %s %s\n", rt->method, rt->pattern, rt->doc ? "doc" : "-", text ? text : "{}");
		free(text);
		json_decref(o);
	}
	return 0;
}
