/* fuzz_form.c - libFuzzer target: query/form parsing, path decoding and
 * media-type matching must never crash, and whatever they return must be
 * valid UTF-8; a type that matches starts with the type asked for. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "http/form.h"
#include "util/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	arena *a = arena_new();
	struct kv *kv;
	const char *why = NULL;
	int n = form_parse(a, (const char *)data, size, 64, &kv, &why);

	assert(n >= -1 && n <= 64);
	for (int i = 0; i < n; i++) {
		assert(utf8_valid(kv[i].key, strlen(kv[i].key)));
		assert(utf8_valid(kv[i].val, strlen(kv[i].val)));
	}
	if (n < 0)
		assert(why);
	char *p = form_decode_path(a, (const char *)data, size);
	if (p)
		assert(utf8_valid(p, strlen(p)));
	char *ct = arena_strndup(a, (const char *)data, size);
	if (form_media_type_is(ct, "application/json"))
		assert(strcasestr(ct, "application/json"));
	arena_free(a);
	return 0;
}
