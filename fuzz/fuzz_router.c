/* fuzz_router.c - libFuzzer target: the route table against arbitrary
 * paths and methods. The first byte picks the method; the rest is the
 * path as server.c hands it over (decoded, valid UTF-8, no NUL). A match
 * has at most REQ_MAX_PARAMS parameters, each a non-empty piece of the
 * path without '/'; a path that matches for one method is "known" for the
 * others. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "http/router.h"
#include "util/text.h"
#include "web/routes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const methods[] = { "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS" };
	struct req r = { 0 };
	const char *method;
	char *s;
	bool known;

	if (size < 1)
		return 0;
	method = methods[data[0] % 7];
	data++;
	size--;
	if (!utf8_valid((const char *)data, size) || memchr(data, 0, size))
		return 0;
	r.a = arena_new();
	s = arena_strndup(r.a, (const char *)data, size);
	const struct route *rt = router_match(routes, routes_count, method, s, &r, &known);
	if (rt) {
		assert(r.nparams >= 0 && r.nparams <= REQ_MAX_PARAMS);
		for (int i = 0; i < r.nparams; i++) {
			assert(r.params[i] && r.params[i][0]);
			assert(!strchr(r.params[i], '/'));
			assert(strstr(s, r.params[i]));
		}
		for (int m = 0; m < 7; m++) {
			struct req r2 = { .a = r.a };
			bool k2;
			if (!router_match(routes, routes_count, methods[m], s, &r2, &k2))
				assert(k2);
		}
	}
	arena_free(r.a);
	return 0;
}
