/* fuzz_cookie.c - libFuzzer target: the Cookie header parser must never
 * crash or read past the header, and a value it returns is a substring of
 * the header without ';'. Also the password policy and the common-password
 * lookup on arbitrary text (they run on every password change). */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/password.h"
#include "http/cookie.h"
#include "util/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	arena *a = arena_new();
	const char *v;

	memcpy(s, data, size);
	s[size] = '\0';
	v = cookie_get(a, s, "jb_session");
	if (v) {
		assert(!strchr(v, ';'));
		assert(strlen(v) <= strlen(s));
	}
	cookie_get(a, s, "__Host-jb_session");
	if (utf8_valid(s, strlen(s))) {
		pw_is_common(s);
		pw_policy(s, "admin");
	}
	arena_free(a);
	free(s);
	return 0;
}
