/* fuzz_router.c - libFuzzer target: the route table against arbitrary paths,
 * and the search pairs of arbitrary valid text. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "domain/search.h"
#include "http/router.h"
#include "web/routes.h"
#include "util/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct req r = { 0 };
	char *s;
	bool known;
	const char *grams[4];

	if (!utf8_valid((const char *)data, size) || memchr(data, 0, size))
		return 0;
	r.a = arena_new();
	s = arena_strndup(r.a, (const char *)data, size);
	const struct route *rt = router_match(routes, routes_count, "GET", s, &r, &known);
	if (rt)
		assert(r.nparams <= REQ_MAX_PARAMS);
	int n = search_grams(r.a, s, grams, 4);
	assert(n >= 0 && n <= 4);
	for (int i = 0; i < n; i++)
		assert(utf8_len(grams[i]) == 2);
	arena_free(r.a);
	return 0;
}
