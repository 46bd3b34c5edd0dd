/* router.c - matches a path against the route table's patterns. */
#include "http/router.h"

#include <string.h>

/* Match path against pattern, capturing :segments into r. */
static bool match(const char *pat, const char *path, struct req *r)
{
	int np = 0;

	while (*pat && *path) {
		if (*pat != '/' || *path != '/')
			return false;
		pat++;
		path++;
		const char *pe = strchrnul(pat, '/'), *se = strchrnul(path, '/');
		if (*pat == ':') {
			if (se == path || np == REQ_MAX_PARAMS)
				return false;
			if (r)
				r->params[np] = arena_strndup(r->a, path, (size_t)(se - path));
			np++;
		} else if (pe - pat != se - path || memcmp(pat, path, (size_t)(pe - pat))) {
			return false;
		}
		pat = pe;
		path = se;
	}
	if (*pat || *path)
		return false;
	if (r)
		r->nparams = np;
	return true;
}

const struct route *router_match(const struct route *table, size_t n, const char *method,
				 const char *path, struct req *r, bool *path_known)
{
	*path_known = false;
	for (size_t i = 0; i < n; i++) {
		if (!match(table[i].pattern, path, NULL))
			continue;
		if (strcmp(table[i].method, method)) {
			*path_known = true;
			continue;
		}
		match(table[i].pattern, path, r);
		return &table[i];
	}
	return NULL;
}

unsigned route_body_kinds(const struct route *rt)
{
	if (rt->flags & BODY_KINDS)
		return rt->flags & BODY_KINDS;
	if (!strcmp(rt->method, "GET") || !strcmp(rt->method, "HEAD") || !strcmp(rt->method, "DELETE"))
		return BODY_NONE;
	return strncmp(rt->pattern, "/api/", 5) ? BODY_FORM : BODY_JSON;
}

size_t route_body_cap(const struct route *rt, size_t dflt)
{
	if (!rt)
		return dflt;
	if (route_body_kinds(rt) == BODY_NONE)
		return 0;
	return rt->flags >> 16 ? (size_t)(rt->flags >> 16) << 10 : dflt;
}
