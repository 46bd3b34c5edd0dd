/* test_http.c - query/form parsing, path decoding, the router, search pairs,
 * response headers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "domain/search.h"
#include "http/form.h"
#include "http/router.h"
#include "web/routes.h"

/* Routes here leave out the last member (doc, api/openapi.h). */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

static void form_parsing_decodes_percent_and_plus(void **state)
{
	arena *a = arena_new();
	struct kv *kv;
	const char *why = NULL;
	const char *q = "q=%E7%BC%86%E7%BA%BF+a&page=2&empty=&flag&&x=%zz";
	int n = form_parse(a, q, strlen(q), 64, &kv, &why);

	assert_int_equal(n, 5);
	assert_string_equal(kv[0].key, "q");
	assert_string_equal(kv[0].val, "缆线 a");
	assert_string_equal(kv[1].val, "2");
	assert_string_equal(kv[2].key, "empty");
	assert_string_equal(kv[2].val, "");
	assert_string_equal(kv[3].key, "flag");
	assert_string_equal(kv[4].val, "%zz"); /* a bad escape stays literal */
	arena_free(a);
}

static void form_parsing_rejects_invalid_utf8_and_controls(void **state)
{
	arena *a = arena_new();
	struct kv *kv;
	const char *why = NULL;

	assert_int_equal(form_parse(a, "q=%FF", 5, 64, &kv, &why), -1);
	assert_non_null(why);
	assert_int_equal(form_parse(a, "q=%00", 5, 64, &kv, &why), -1);
	assert_int_equal(form_parse(a, "q=%C0%AF", 8, 64, &kv, &why), -1);
	assert_int_equal(form_parse(a, "a=1&b=2&c=3", 11, 2, &kv, &why), -1);
	assert_string_equal(why, "参数过多");
	arena_free(a);
}

static void path_decoding_refuses_nul(void **state)
{
	arena *a = arena_new();

	assert_string_equal(form_decode_path(a, "/problems/%31", 13), "/problems/1");
	assert_null(form_decode_path(a, "/a%00b", 6));
	assert_null(form_decode_path(a, "/%ff", 4));
	arena_free(a);
}

static void media_types_match_exactly(void **state)
{
	assert_true(form_media_type_is("application/json", "application/json"));
	assert_true(form_media_type_is("Application/JSON", "application/json"));
	assert_true(form_media_type_is("application/json; charset=utf-8", "application/json"));
	assert_true(form_media_type_is(" application/json ;charset=UTF-8", "application/json"));
	assert_true(form_media_type_is("application/x-www-form-urlencoded;charset=utf-8",
				       "application/x-www-form-urlencoded"));
	assert_false(form_media_type_is("application/jsonx", "application/json"));
	assert_false(form_media_type_is("application/json-patch+json", "application/json"));
	assert_false(form_media_type_is("application/json x", "application/json"));
	assert_false(form_media_type_is("application/jso", "application/json"));
	assert_false(form_media_type_is("text/json", "application/json"));
	assert_false(form_media_type_is("application/x-www-form-urlencodedx", "application/x-www-form-urlencoded"));
	assert_false(form_media_type_is("", "application/json"));
	assert_false(form_media_type_is(NULL, "application/json"));
}

static void h_a(struct req *r) { (void)r; }
static void h_b(struct req *r) { (void)r; }

static const struct route table[] = {
	{ "GET", "/", h_a, 0, NULL },
	{ "GET", "/problems/:id", h_b, 0, NULL },
	{ "POST", "/claims/:id/approve", h_a, 0, "claim.approve" },
};

static void router_matches_literals_and_params(void **state)
{
	struct req r = { 0 };
	bool known;
	const struct route *rt;

	r.a = arena_new();
	rt = router_match(table, 3, "GET", "/problems/42", &r, &known);
	assert_non_null(rt);
	assert_ptr_equal(rt->fn, h_b);
	assert_int_equal(r.nparams, 1);
	assert_string_equal(r.params[0], "42");
	assert_null(router_match(table, 3, "GET", "/problems/", &r, &known));
	assert_false(known);
	assert_null(router_match(table, 3, "GET", "/problems/1/x", &r, &known));
	assert_null(router_match(table, 3, "GET", "/claims/1/approve", &r, &known));
	assert_true(known); /* path exists for POST: 405, not 404 */
	assert_non_null(router_match(table, 3, "GET", "/", &r, &known));
	assert_null(router_match(table, 3, "GET", "//", &r, &known));
	arena_free(r.a);
}

static void search_pairs_are_distinct_folded_and_bounded(void **state)
{
	arena *a = arena_new();
	const char *g[4];

	assert_int_equal(search_grams(a, "缆线", g, 4), 1);
	assert_string_equal(g[0], "缆线");
	assert_int_equal(search_grams(a, "缆", g, 4), 0);
	assert_int_equal(search_grams(a, "AB", g, 4), 1);
	assert_string_equal(g[0], "ab");
	assert_int_equal(search_grams(a, "城区空中缆线专项整治", g, 4), 4);
	assert_string_equal(g[0], "城区");
	assert_string_equal(g[3], "整治");
	assert_int_equal(search_grams(a, "a b", g, 4), 0); /* pairs with blanks are skipped */
	arena_free(a);
}

static void response_headers_have_no_fixed_cap(void **state)
{
	struct req r = { 0 };
	char name[16];

	r.a = arena_new();
	for (int i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "X-H%d", i);
		req_header(&r, arena_strdup(r.a, name), "v");
	}
	assert_int_equal(r.nheaders, 40);
	assert_string_equal(r.headers[0].key, "X-H0");
	assert_string_equal(r.headers[12].key, "X-H12");
	assert_string_equal(r.headers[39].key, "X-H39");
	arena_free(r.a);
}

/* Every route whose handler hashes a password (pw_hash, pw_verify: log-in,
 * password change, user creation, password reset, a panel's external
 * members, the page forms of sudo mode's password proof: roles, disabling,
 * the settings (the tenant's, and the operator's of a tenant), a new API
 * token, a TOTP enrolment, /account/reauth and its API) runs off the
 * request threads, and no other does. */
static void hashing_routes_are_slow_routes(void **state)
{
	static const char *const slow[] = {
		"POST /login", "POST /account/password", "POST /admin/users", "POST /admin/users/:id/reset-password",
		"POST /api/v1/session", "POST /api/v1/me/password", "POST /api/v1/users",
		"POST /api/v1/users/:id/reset-password", "POST /batches/:id/panels", "POST /panels/:id",
		"POST /api/v1/batches/:id/panels", "PATCH /api/v1/panels/:id",
		"POST /ops/tenants", "POST /api/v1/tenants", /* the new tenant's first admin */
		"POST /admin/users/:id/disable", "POST /admin/users/:id/roles", "POST /admin/settings",
		"POST /account/tokens", "POST /account/reauth", "POST /api/v1/me/reauth", "POST /ops/tenants/:id",
		"POST /account/totp/enrol", "POST /admin/personal-data/export", "POST /admin/personal-data/erase",
		"POST /account/totp/disable", "POST /account/totp/recovery",
	};
	size_t found = 0;
	char name[128];

	for (size_t i = 0; i < routes_count; i++) {
		bool listed = false;
		snprintf(name, sizeof(name), "%s %s", routes[i].method, routes[i].pattern);
		for (size_t k = 0; k < sizeof(slow) / sizeof(slow[0]); k++)
			listed |= !strcmp(name, slow[k]);
		if (listed != !!(routes[i].flags & ROUTE_SLOW))
			fail_msg("%s: ROUTE_SLOW should be %s", name, listed ? "set" : "unset");
		found += listed;
	}
	assert_int_equal(found, sizeof(slow) / sizeof(slow[0]));
}

/* A route reads the body it declares up to its cap; without them, none for
 * GET/HEAD/DELETE, else JSON under /api/ and a form elsewhere, up to the
 * server's default. No route: the default cap (a 404/405 reads it). */
static void routes_declare_their_bodies_or_take_the_default(void **state)
{
	static const struct route get = { "GET", "/stats", h_a, 0, NULL },
				  del = { "DELETE", "/api/v1/tokens/:id", h_a, 0, NULL },
				  page = { "POST", "/login", h_a, 0, NULL },
				  json = { "POST", "/api/v1/session", h_a, 0, NULL },
				  both = { "POST", "/api/v1/x", h_a, BODY_FORM | BODY_JSON | BODY_MAX_KIB(4), NULL },
				  big = { "PUT", "/import", h_a, BODY_FORM | BODY_MAX_KIB(65535), NULL };
	const size_t dflt = 1u << 20;

	assert_int_equal(route_body_kinds(&get), BODY_NONE);
	assert_int_equal(route_body_kinds(&del), BODY_NONE);
	assert_int_equal(route_body_kinds(&page), BODY_FORM);
	assert_int_equal(route_body_kinds(&json), BODY_JSON);
	assert_int_equal(route_body_kinds(&both), BODY_FORM | BODY_JSON);
	assert_int_equal(route_body_cap(&get, dflt), 0);
	assert_int_equal(route_body_cap(&page, dflt), dflt);
	assert_int_equal(route_body_cap(&both, dflt), 4096);
	assert_int_equal(route_body_cap(&big, dflt), (size_t)65535 << 10);
	assert_int_equal(route_body_cap(NULL, dflt), dflt);
	/* The cap's bits leave the flags alone. */
	assert_int_equal(both.flags & (NEED_LOGIN | NEED_CSRF | ALLOW_MUST_CHANGE | NO_TENANT | ROUTE_SLOW), 0);
}

/* In the real table: every route that reads a body reads one kind (a
 * page's form or the API's JSON; uploads also multipart), the kind its
 * path implies, and no cap exceeds the default. */
static void the_route_table_reads_forms_on_pages_and_json_under_api(void **state)
{
	for (size_t i = 0; i < routes_count; i++) {
		const struct route *rt = &routes[i];
		unsigned k = route_body_kinds(rt);
		bool api = !strncmp(rt->pattern, "/api/", 5);
		if (k == BODY_NONE)
			continue;
		/* A route that takes uploads (BODY_MULTIPART) reads that too. */
		if ((k & ~(unsigned)BODY_MULTIPART) != (api ? BODY_JSON : BODY_FORM))
			fail_msg("%s %s reads %#x", rt->method, rt->pattern, k);
		if (route_body_cap(rt, 1u << 20) > 1u << 20)
			fail_msg("%s %s takes more than the default", rt->method, rt->pattern);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(form_parsing_decodes_percent_and_plus),
		cmocka_unit_test(form_parsing_rejects_invalid_utf8_and_controls),
		cmocka_unit_test(path_decoding_refuses_nul),
		cmocka_unit_test(media_types_match_exactly),
		cmocka_unit_test(router_matches_literals_and_params),
		cmocka_unit_test(search_pairs_are_distinct_folded_and_bounded),
		cmocka_unit_test(response_headers_have_no_fixed_cap),
		cmocka_unit_test(hashing_routes_are_slow_routes),
		cmocka_unit_test(routes_declare_their_bodies_or_take_the_default),
		cmocka_unit_test(the_route_table_reads_forms_on_pages_and_json_under_api),
	};
	return cmocka_run_group_tests_name("http", tests, NULL, NULL);
}
