/* log.h - one-line log records, safe against log injection, to standard
 * error or to a file (reopened on request, for log rotation). */
#ifndef JB_LOG_H
#define JB_LOG_H

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A defence that acted (a client cut off, a request refused). */
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Records less severe than level are dropped (default LOG_INFO). */
void log_set_level(enum log_level level);
/* "error", "warn", "info" or "debug"; -1 for another word. */
int log_level_of(const char *word);
/* Shorthand of the tests: 1 drops info records, 0 keeps them. */
void log_quiet(int quiet);

/* Append records (and whatever else writes to stderr) to path from now on
 * ("" or NULL: the original standard error); called again with the same
 * path it opens the file anew (after logrotate moved it). 0, or -1 with
 * errno, the records still going where they went. Not thread-safe
 * against itself: one caller (the main thread). */
int log_open(const char *path);

/* An access record: time and "access", then the text; written whatever
 * the level. */
void log_access(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* One line as it is, without time or level (an access record already
 * formatted, such as a JSON object): control characters are escaped. */
void log_line(const char *text);

#endif
