/* log.c - timestamped single-line records; control characters are escaped so
 * that untrusted text cannot forge a record (ASVS 7.3.1). */
#include "util/log.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/buf.h"

static atomic_int level = LOG_INFO;
/* Records go to standard error: log_open() puts a file behind descriptor 2
 * with dup2(2), atomically, so a record is never written to a descriptor
 * being closed, and what else writes to stderr lands in the same log. A
 * record is one write(2) of a whole line (O_APPEND), so records from
 * threads never interleave. */
static int saved_stderr = -1;

void log_set_level(enum log_level l)
{
	atomic_store(&level, l);
}

void log_quiet(int quiet)
{
	log_set_level(quiet ? LOG_WARN : LOG_INFO);
}

int log_level_of(const char *word)
{
	static const char *const names[] = { "error", "warn", "info", "debug" };

	for (int i = 0; i < 4; i++)
		if (word && !strcmp(word, names[i]))
			return i;
	return -1;
}

int log_open(const char *path)
{
	int fd;

	if (saved_stderr < 0 && (saved_stderr = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3)) < 0)
		return -1;
	if (!path || !*path)
		return dup2(saved_stderr, STDERR_FILENO) < 0 ? -1 : 0;
	if ((fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640)) < 0)
		return -1;
	if (dup2(fd, STDERR_FILENO) < 0) {
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* text with control characters escaped, then a newline, onto line. */
static void put_clean(buf *line, const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c < 0x20 || c == 0x7f)
			buf_printf(line, "\\x%02x", c);
		else
			buf_putc(line, (char)c);
	}
	buf_putc(line, '\n');
}

static void put(buf *line)
{
	ssize_t n = write(STDERR_FILENO, line->s, line->len);
	(void)n; /* nowhere to report a failed log write */
	buf_release(line);
}

/* l: a level, or -1 for an access record (always written). */
static void emit(int l, const char *fmt, va_list ap)
{
	static const char *const names[] = { "error", "warn", "info", "debug" };
	buf raw = BUF_INIT, line = BUF_INIT;
	struct timespec ts;
	struct tm tm;
	char when[32];

	if (l > atomic_load(&level))
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	buf_vprintf(&raw, fmt, ap);
	buf_printf(&line, "%s.%03ldZ %s ", when, ts.tv_nsec / 1000000, l < 0 ? "access" : names[l]);
	put_clean(&line, raw.s ? raw.s : "", raw.len);
	buf_release(&raw);
	put(&line);
}

void log_line(const char *text)
{
	buf line = BUF_INIT;

	put_clean(&line, text, strlen(text));
	put(&line);
}

#define LOG_FN(name, l) \
	void name(const char *fmt, ...) \
	{ \
		va_list ap; \
		va_start(ap, fmt); \
		emit(l, fmt, ap); \
		va_end(ap); \
	}
LOG_FN(log_debug, LOG_DEBUG)
LOG_FN(log_info, LOG_INFO)
LOG_FN(log_warn, LOG_WARN)
LOG_FN(log_error, LOG_ERROR)
LOG_FN(log_access, -1)
