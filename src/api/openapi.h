/* openapi.h - the API described: an OpenAPI 3.1 document generated from the
 * route table (web/routes.c) and the binder's field tables (domain/bind.h),
 * served at GET /api/v1/openapi.json.
 *
 * Each /api/ route may point at a struct api_doc (the last member of struct
 * route): a summary, the bind table its body goes through, and the schema
 * of its success body. Schemas are written in a compact shape notation
 * (see openapi_shape()) inside C string literals, parsed with jansson once
 * when the document is first built; tests/unit/test_openapi.c parses every
 * one of them. */
#ifndef JB_API_OPENAPI_H
#define JB_API_OPENAPI_H

#include <jansson.h>
#include <stddef.h>

#include "domain/bind.h"
#include "http/router.h"

struct api_doc {
	const char *summary;
	/* The body's fields: the bind table the handler reads it with, or NULL. */
	const struct bind_field *body;
	/* A body read without a bind table: a shape (NULL: none documented). */
	const char *body_shape;
	/* The success body: a shape; NULL with media NULL: {"ok": true}. */
	const char *ok;
	/* Non-JSON success: its media types, space-separated ("text/csv"); with
	 * ok set as well, the route answers JSON or one of these. */
	const char *media;
	/* Query parameters, space-separated names (strings), or NULL. */
	const char *query;
	/* Other answers that are not the error shape: a JSON object (with '
	 * for ") of status -> shape, e.g. "{'422':'#ImportResult'}". */
	const char *more;
};

/* Named schemas for "#Name" references: NULL-terminated (openapi_docs.c). */
struct api_schema {
	const char *name;
	const char *shape;
};
extern const struct api_schema api_schemas[];

/* The shape notation: JSON with ' for " (no ' inside texts), where
 *   "int" "str" "num" "bool" "any"  a value of that type;
 *   "date"      a YYYY-MM-DD string;  "at"  epoch seconds (integer);
 *   "a|b|c"     one of those strings;  "#Name"  components.schemas.Name;
 *   "X?"        X or null;
 *   [X]         an array of X;
 *   {"k": X, "o?": X}  an object: k required, o optional, others allowed;
 *   {"?": X}    X (an object or an array) or null;
 *   {"*": X}    an object whose members (names are data) are all X;
 *   {"=": S}    S as raw JSON Schema.
 * Returns a new JSON Schema, or NULL (with *err set) when text is not
 * valid JSON or a shape is unknown. */
json_t *openapi_shape(const char *text, const char **err);

/* The JSON Schema of a body bound by fields (BF_LIST nested). */
json_t *openapi_bind_schema(const struct bind_field *fields);

/* The whole document for the table, or NULL (logged) on a bad shape. */
json_t *openapi_document(const struct route *table, size_t n);

/* GET /api/v1/openapi.json (declared in web/api_docs.h for the route
 * table): built once, ETag, 304 on If-None-Match. */

/* `jiebang routes` (hidden): METHOD PATTERN doc|- {JSON: flags, body kinds, cap
 * (0: the server default), action, the bind table's fields}, one route a line. */
int openapi_print_routes(void);

#endif
