/* buf.h - growable byte buffer in the style of git's strbuf.
 *
 * A buf is never NULL-data: b->s always points at a NUL-terminated string
 * (a static empty one until the first append). Allocation failure aborts.
 * buf_release() frees and resets; buf_detach() hands ownership to the caller.
 * All appenders that take untrusted text escape by context: buf_html() for
 * element text and attribute values, buf_json_str() for JSON strings,
 * buf_url() for a URL query component. Raw output of HTML is only possible
 * through HTML() which accepts string literals alone. */
#ifndef JB_BUF_H
#define JB_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

typedef struct buf {
	char *s;
	size_t len;
	size_t cap;
} buf;

#define BUF_INIT { (char *)"", 0, 0 }

void buf_init(buf *b);
void buf_release(buf *b);
char *buf_detach(buf *b, size_t *len);
void buf_grow(buf *b, size_t extra);
void buf_reset(buf *b);
void buf_add(buf *b, const void *p, size_t n);
void buf_puts(buf *b, const char *s);
void buf_putc(buf *b, char c);
void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
void buf_int(buf *b, int64_t v);
/* 1234567 -> "1,234,567" */
void buf_int_grouped(buf *b, int64_t v);

/* Escaping appenders: safe for untrusted, valid UTF-8 input. */
void buf_html(buf *b, const char *s);
void buf_html_n(buf *b, const char *s, size_t n);
void buf_json_str(buf *b, const char *s); /* writes the quotes too */
void buf_url(buf *b, const char *s);      /* percent-encodes all but unreserved */

/* Raw HTML: string literals only (the "" concatenation fails otherwise). */
#define HTML(b, lit) buf_add((b), "" lit, sizeof(lit) - 1)

#endif
