/* text.h - UTF-8 validation and small text helpers. */
#ifndef JB_TEXT_H
#define JB_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True when s[0..n) is well-formed UTF-8 (no overlongs, no surrogates)
 * without NUL or other C0 controls except tab, CR and LF. */
bool utf8_valid(const char *s, size_t n);
/* Decode one code point at *p (valid UTF-8 assumed); advances *p. */
uint32_t utf8_next(const char **p);
/* Number of code points in a valid UTF-8 string. */
size_t utf8_len(const char *s);
/* Parse a decimal integer in [min, max]; 0 on success, -1 otherwise. */
int parse_int(const char *s, int64_t min, int64_t max, int64_t *out);

#endif
