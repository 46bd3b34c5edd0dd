/* calendar.h - the working-day calendar (工作日历): which days are working
 * days, counting a notice's working days.
 *
 * Days are 'YYYY-MM-DD' text in the tenant's local time (Asia/Shanghai),
 * as day numbers (util/civil.h) inside. A day is a working day when it is
 * a weekday not marked off (放假), or a weekend day marked work (调休上班).
 * The special days of a year are the tenant's own when it has saved a
 * calendar for that year (calendar_year + calendar_day rows; saving
 * replaces the whole year), else the built-in table of the State Council's
 * arrangements (国务院办公厅关于部分节假日安排的通知, calendar.c) for
 * 2022-2026; other years have weekends only until the tenant saves them.
 *
 * Counting (decided for issue 10 §3): a period of n working days starting
 * on day s ends on the n-th working day counted from s, s itself being
 * the first when it is a working day; the period ends at the close (local
 * midnight after) of that day. A 5-working-day notice from Tuesday
 * 2025-09-30 ends on Monday 2025-10-13 (9-30, 10-9, 10-10, the make-up
 * Saturday 10-11, 10-13). calendar_between counts working days of a
 * closed range, so between(s, nth(s, n)) is n. */
#ifndef JB_CALENDAR_H
#define JB_CALENDAR_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/action.h"
#include "domain/bind.h"
#include "domain/labels.h"
#include "store/db.h"
#include "util/arena.h"
#include "util/civil.h"

#define CALENDAR_YEAR_MIN 2000
#define CALENDAR_YEAR_MAX 2100
#define CALENDAR_DAYS_MAX 120      /* special days of one year */
#define CALENDAR_NAME_MAX 20       /* characters of a day's name */
#define CALENDAR_SPAN_MAX 400      /* working days one count may cover */

/* off 放假, work 上班 (calendar_day.kind). */
extern const struct label calendar_kinds[];

struct cal_day {
	const char *day;           /* YYYY-MM-DD */
	const char *kind;          /* "off" or "work" */
	const char *name;          /* 国庆节, 国庆调休; may be "" */
};

/* The special days that apply to one year, in day order. */
struct calendar {
	int year;
	bool own;                  /* the tenant's own; else built-in */
	bool builtin;              /* the built-in table knows this year */
	int64_t updated_at;        /* own: when and by whom it was saved */
	const char *updated_by;
	struct cal_day *days;
	int n;
};

/* The calendar of year for tenant_id (strings on a). 0 or -1. */
int calendar_get(db *d, arena *a, int64_t tenant_id, int year, struct calendar *out)
	__attribute__((warn_unused_result));
/* The built-in days of year (n 0 for a year the table does not know), on a. */
void calendar_builtin(arena *a, int year, struct calendar *out);

/* Counting over any years, reading each year's calendar once. A failed
 * read is sticky: the functions return -1 and keep returning it. */
struct workcal {
	db *d;
	arena *a;
	int64_t tenant_id;
	struct calendar years[4];
	int next;                  /* the slot the next year loaded takes */
	bool failed;
};
void workcal_init(struct workcal *w, db *d, arena *a, int64_t tenant_id);
/* 1 when day z is a working day, 0 when not, -1 store error. */
int workcal_is_working(struct workcal *w, int64_t z);
/* *end: the n-th working day from start (n 1..CALENDAR_SPAN_MAX). 0 or -1. */
int workcal_nth(struct workcal *w, int64_t start, int n, int64_t *end);
/* *n: the working days of from..to, both included (0 when to < from). 0 or -1. */
int workcal_between(struct workcal *w, int64_t from, int64_t to, int *n);

/* Saving a year: the special days replace the year's (own or built-in). */
struct calendar_in {
	struct bind_list days;     /* struct cal_day */
	const char *lines;         /* the page's form: one "2025-10-11 上班 国庆调休" a line */
};
extern const struct bind_field calendar_fields[];
/* The page's lines into in->days (on c->a): JB_OK, or JB_EINVALID with the
 * line numbers that are wrong (field "lines"). Kinds are 上班/work and
 * 放假/休息/off; the name is the rest of the line. */
int calendar_parse_lines(struct ctx *c, struct calendar_in *in) __attribute__((warn_unused_result));
/* Verb (calendar.manage): store year's special days as the tenant's own,
 * audit calendar.update. JB_EINVALID: a day outside the year, not a real
 * date, twice, a kind or name that is wrong (field "days.N.day" ...). */
int calendar_set(struct ctx *c, int year, const struct calendar_in *in) __attribute__((warn_unused_result));

#endif
