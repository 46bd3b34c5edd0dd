/* log.h - one-line log records to stderr, safe against log injection. */
#ifndef JB_LOG_H
#define JB_LOG_H

void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A defence that acted (a client cut off, a request refused): never quiet. */
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Set to 1 to drop info records (tests, benchmarks). */
void log_quiet(int quiet);

#endif
