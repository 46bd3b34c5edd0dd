/* civil.h - civil dates of the proleptic Gregorian calendar as day numbers
 * (days since 1970-01-01), and the tenant's local day (Asia/Shanghai,
 * UTC+8, no daylight saving) of an epoch time. Pure functions. */
#ifndef JB_CIVIL_H
#define JB_CIVIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CIVIL_DAY 86400
#define CIVIL_TZ_OFFSET (8 * 3600) /* Asia/Shanghai */
#define CIVIL_DATE_LEN 11          /* "YYYY-MM-DD" and its NUL */

/* Days since 1970-01-01 of y-m-d (Howard Hinnant's algorithm; any m 1-12, d 1-31). */
int64_t civil_days(int64_t y, int64_t m, int64_t d);
/* The date of day number z. */
void civil_from_days(int64_t z, int64_t *y, int64_t *m, int64_t *d);
/* 0 Sunday ... 6 Saturday. */
int civil_weekday(int64_t z);
/* Days in month m of year y. */
int civil_month_days(int64_t y, int64_t m);
/* The local day number of epoch time t, and the epoch time of a local
 * day's midnight. */
int64_t civil_local_day(int64_t t);
int64_t civil_midnight(int64_t z);
/* Whether s is exactly "YYYY-MM-DD" naming a real date of the years
 * 1000-9999; *z its day number. */
bool civil_parse(const char *s, int64_t *z);
/* "YYYY-MM-DD" of z into out (CIVIL_DATE_LEN bytes); returns out. */
char *civil_format(int64_t z, char out[CIVIL_DATE_LEN]);

#endif
