/* cookie.h - reading the Cookie request header and writing Set-Cookie
 * values for the session cookie (RFC 6265; ASVS 3.4.1-3.4.4). */
#ifndef JB_COOKIE_H
#define JB_COOKIE_H

#include <stdbool.h>

#include "util/arena.h"

/* The value of the first cookie called name in a Cookie header ("a=1; b=2"),
 * copied to a; NULL when header is NULL or has none. Values may be quoted
 * ("..."); quotes are removed. */
const char *cookie_get(arena *a, const char *header, const char *name);
/* "name=value; Path=/; HttpOnly; SameSite=Lax[; Secure]" on a: a session
 * cookie (no expiry: the server ends sessions). */
const char *cookie_set(arena *a, const char *name, const char *value, bool secure);
/* "name=value; Path=/; Max-Age=max_age; HttpOnly; SameSite=Strict[; Secure]"
 * on a: a lasting cookie that only this site's own requests carry (the
 * device cookie, domain/device.h). */
const char *cookie_set_lasting(arena *a, const char *name, const char *value, long max_age, bool secure);
/* A Set-Cookie value that removes the cookie. */
const char *cookie_clear(arena *a, const char *name, bool secure);

#endif
