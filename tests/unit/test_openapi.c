/* test_openapi.c - the API described: every shape in the docs parses, every
 * /api/ route is in the document, bind tables become the body schemas. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "api/openapi.h"
#include "domain/proposal.h"
#include "web/routes.h"

static void every_shape_in_the_docs_parses(void **state)
{
	const char *err;

	for (const struct api_schema *s = api_schemas; s->name; s++) {
		json_t *v = openapi_shape(s->shape, &err);
		if (!v)
			fail_msg("schema %s: %s", s->name, err);
		json_decref(v);
	}
	for (size_t i = 0; i < routes_count; i++) {
		const struct api_doc *d = routes[i].doc;
		json_t *v = NULL;
		if (!strncmp(routes[i].pattern, "/api/", 5) && !d)
			fail_msg("%s %s has no api_doc", routes[i].method, routes[i].pattern);
		if (!d)
			continue;
		assert_non_null(d->summary);
		if (d->ok && !(v = openapi_shape(d->ok, &err)))
			fail_msg("%s %s: ok: %s", routes[i].method, routes[i].pattern, err);
		else if (d->ok)
			json_decref(v);
		if (d->body_shape && !(v = openapi_shape(d->body_shape, &err)))
			fail_msg("%s %s: body: %s", routes[i].method, routes[i].pattern, err);
		else if (d->body_shape)
			json_decref(v);
	}
}

static void the_shape_notation(void **state)
{
	const char *err;
	json_t *v = openapi_shape("{'id':'int','due':'date?','kind':'a|b','tags?':['str'],'c':'#Claim'}", &err);
	char *s;

	assert_non_null(v);
	s = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(s, "{\"properties\":{\"c\":{\"$ref\":\"#/components/schemas/Claim\"},"
			       "\"due\":{\"pattern\":\"^\\\\d{4}-\\\\d{2}-\\\\d{2}$\",\"type\":[\"string\",\"null\"]},"
			       "\"id\":{\"type\":\"integer\"},\"kind\":{\"enum\":[\"a\",\"b\"],\"type\":\"string\"},"
			       "\"tags\":{\"items\":{\"type\":\"string\"},\"type\":\"array\"}},"
			       "\"required\":[\"id\",\"due\",\"kind\",\"c\"],\"type\":\"object\"}");
	free(s);
	json_decref(v);
	assert_null(openapi_shape("{'id':'integer'}", &err));
	assert_non_null(err);
	assert_null(openapi_shape("{'id':", &err));
	assert_null(openapi_shape("['int','str']", &err));
}

/* A proposal's body: title and description required, the lengths of the
 * bind table, the category an enum-free text, the batch an id >= 1. */
static void a_proposal_body_is_its_bind_table(void **state)
{
	json_t *s = openapi_bind_schema(proposal_fields), *p = json_object_get(s, "properties");
	json_t *req = json_object_get(s, "required");
	size_t nreq = 0;

	for (const struct bind_field *f = proposal_fields; f->name; f++) {
		json_t *x = json_object_get(p, f->name);
		assert_non_null(x);
		if (f->flags & BIND_REQUIRED) {
			bool found = false;
			for (size_t i = 0; i < json_array_size(req); i++)
				found |= !strcmp(json_string_value(json_array_get(req, i)), f->name);
			assert_true(found);
			nreq++;
		}
		if (f->type == BF_TEXT)
			assert_int_equal(json_integer_value(json_object_get(x, "maxLength")), f->max);
		if (f->type == BF_ID)
			assert_int_equal(json_integer_value(json_object_get(x, "minimum")), 1);
		assert_string_equal(json_string_value(json_object_get(x, "title")), f->label);
	}
	assert_int_equal(json_array_size(req), nreq);
	assert_true(nreq >= 1);
	json_decref(s);
}

static void every_api_route_is_an_operation(void **state)
{
	json_t *d = openapi_document(routes, routes_count), *paths;
	size_t n = 0;

	assert_non_null(d);
	assert_string_equal(json_string_value(json_object_get(d, "openapi")), "3.1.0");
	paths = json_object_get(d, "paths");
	for (size_t i = 0; i < routes_count; i++) {
		const struct route *rt = &routes[i];
		char path[256], method[16];
		size_t k = 0;
		json_t *op;
		if (strncmp(rt->pattern, "/api/", 5))
			continue;
		for (const char *p = rt->pattern; *p && k < sizeof(path) - 2;) {
			if (*p == ':') {
				size_t len = strcspn(p + 1, "/");
				k += (size_t)snprintf(path + k, sizeof(path) - k, "{%.*s}", (int)len, p + 1);
				p += 1 + len;
			} else {
				path[k++] = *p++;
			}
		}
		path[k] = '\0';
		for (k = 0; rt->method[k] && k < sizeof(method) - 1; k++)
			method[k] = (char)(rt->method[k] | 0x20);
		method[k] = '\0';
		op = json_object_get(json_object_get(paths, path), method);
		if (!op)
			fail_msg("%s %s is not in the document", rt->method, path);
		assert_non_null(json_object_get(op, "responses"));
		assert_non_null(json_object_get(json_object_get(op, "responses"), "4XX"));
		n++;
	}
	assert_true(n > 100);
	json_decref(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_shape_in_the_docs_parses),
		cmocka_unit_test(the_shape_notation),
		cmocka_unit_test(a_proposal_body_is_its_bind_table),
		cmocka_unit_test(every_api_route_is_an_operation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
