/* form.h - parsing of query strings, form bodies and request paths. */
#ifndef JB_FORM_H
#define JB_FORM_H

#include <stdbool.h>
#include <stddef.h>

#include "http/req.h"

/* Parse "a=1&b=%E7%BC%86" into key/value pairs (arena-allocated, '+' is a
 * space). Returns the pair count, or -1 with *why set when a key or value
 * is not valid UTF-8, holds control characters, or there are more than
 * max_pairs pairs. */
int form_parse(arena *a, const char *s, size_t n, int max_pairs, struct kv **out, const char **why);
/* Percent-decode a path; NULL when it is not valid UTF-8 or holds controls. */
char *form_decode_path(arena *a, const char *s, size_t n);

/* True when the Content-Type header value ct names exactly the media type
 * type ("application/json"): type and subtype compared without case, then
 * only optional whitespace and parameters after a ';' (RFC 9110 8.3.1).
 * "application/jsonx" or "application/json-patch" is not "application/json". */
bool form_media_type_is(const char *ct, const char *type);

#endif
