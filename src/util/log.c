/* log.c - timestamped single-line records; control characters are escaped so
 * that untrusted text cannot forge a record (ASVS 7.3.1). */
#include "util/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "util/buf.h"

static volatile int quiet;

void log_quiet(int q)
{
	quiet = q;
}

static void emit(const char *level, const char *fmt, va_list ap)
{
	buf raw = BUF_INIT, line = BUF_INIT;
	struct timespec ts;
	struct tm tm;
	char when[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	buf_vprintf(&raw, fmt, ap);
	buf_printf(&line, "%s.%03ldZ %s ", when, ts.tv_nsec / 1000000, level);
	for (size_t i = 0; i < raw.len; i++) {
		unsigned char c = (unsigned char)raw.s[i];
		if (c < 0x20 || c == 0x7f)
			buf_printf(&line, "\\x%02x", c);
		else
			buf_putc(&line, (char)c);
	}
	buf_putc(&line, '\n');
	fwrite(line.s, 1, line.len, stderr);
	buf_release(&raw);
	buf_release(&line);
}

void log_info(const char *fmt, ...)
{
	va_list ap;

	if (quiet)
		return;
	va_start(ap, fmt);
	emit("info", fmt, ap);
	va_end(ap);
}

void log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit("error", fmt, ap);
	va_end(ap);
}

void log_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit("warn", fmt, ap);
	va_end(ap);
}
