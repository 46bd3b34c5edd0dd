/* cookie.c - Cookie header parsing and Set-Cookie values. */
#include "http/cookie.h"

#include <string.h>

const char *cookie_get(arena *a, const char *header, const char *name)
{
	size_t nl = strlen(name);
	const char *p = header;

	if (!p || !nl)
		return NULL;
	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == ';')
			p++;
		const char *end = strchrnul(p, ';'), *eq = memchr(p, '=', (size_t)(end - p));
		if (eq) {
			const char *ke = eq;
			while (ke > p && (ke[-1] == ' ' || ke[-1] == '\t'))
				ke--;
			if ((size_t)(ke - p) == nl && !memcmp(p, name, nl)) {
				const char *v = eq + 1, *ve = end;
				while (v < ve && (*v == ' ' || *v == '\t'))
					v++;
				while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
					ve--;
				if (ve - v >= 2 && *v == '"' && ve[-1] == '"') {
					v++;
					ve--;
				}
				return arena_strndup(a, v, (size_t)(ve - v));
			}
		}
		p = end;
	}
	return NULL;
}

const char *cookie_set(arena *a, const char *name, const char *value, bool secure)
{
	return arena_printf(a, "%s=%s; Path=/; HttpOnly; SameSite=Lax%s", name, value, secure ? "; Secure" : "");
}

const char *cookie_set_lasting(arena *a, const char *name, const char *value, long max_age, bool secure)
{
	return arena_printf(a, "%s=%s; Path=/; Max-Age=%ld; HttpOnly; SameSite=Strict%s", name, value, max_age,
			    secure ? "; Secure" : "");
}

const char *cookie_clear(arena *a, const char *name, bool secure)
{
	return arena_printf(a, "%s=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax%s", name, secure ? "; Secure" : "");
}
