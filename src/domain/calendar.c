/* calendar.c - the working-day calendar (calendar.h). */
#include "domain/calendar.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/perm.h"
#include "util/buf.h"
#include "util/text.h"

const struct label calendar_kinds[] = {
	{ "off", "放假" },
	{ "work", "上班" },
	{ NULL, NULL },
};

static const struct bind_field day_fields[] = {
	BIND_TEXT(struct cal_day, day, "日期", BIND_REQUIRED, 10, 10),
	BIND_CHOICE(struct cal_day, kind, "类型", BIND_REQUIRED, calendar_kinds),
	BIND_TEXT(struct cal_day, name, "名称", 0, 0, CALENDAR_NAME_MAX),
	BIND_END,
};

const struct bind_field calendar_fields[] = {
	BIND_LIST(struct calendar_in, days, "特殊日期", 0, CALENDAR_DAYS_MAX, day_fields, struct cal_day),
	BIND_TEXT(struct calendar_in, lines, "特殊日期", BIND_MULTILINE, 0, 6000),
	BIND_END,
};

/* ---- the built-in arrangements ----
 *
 * From the State Council's notices, one a year (放假 ranges as announced,
 * weekend days inside them included; 调休上班 days are weekend days):
 *   2022: 国务院办公厅关于2022年部分节假日安排的通知 (2021-10-25)
 *   2023: 国务院办公厅关于2023年部分节假日安排的通知 (国办发明电〔2022〕16号,
 *         2022-12-08); its 元旦 begins on Saturday 2022-12-31, listed under 2022
 *   2024: 国务院办公厅关于2024年部分节假日安排的通知 (2023-10-25)
 *   2025: 国务院办公厅关于2025年部分节假日安排的通知 (2024-11-12)
 *   2026: 国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04)
 * tests/unit/test_calendar.c checks that every make-up day is a Saturday
 * or Sunday and every date exists. */
static const struct {
	const char *from, *to, *kind, *name;
} builtin[] = {
	{ "2022-01-01", "2022-01-03", "off", "元旦" },
	{ "2022-01-29", "2022-01-30", "work", "春节调休" },
	{ "2022-01-31", "2022-02-06", "off", "春节" },
	{ "2022-04-02", "2022-04-02", "work", "清明节调休" },
	{ "2022-04-03", "2022-04-05", "off", "清明节" },
	{ "2022-04-24", "2022-04-24", "work", "劳动节调休" },
	{ "2022-04-30", "2022-05-04", "off", "劳动节" },
	{ "2022-05-07", "2022-05-07", "work", "劳动节调休" },
	{ "2022-06-03", "2022-06-05", "off", "端午节" },
	{ "2022-09-10", "2022-09-12", "off", "中秋节" },
	{ "2022-10-01", "2022-10-07", "off", "国庆节" },
	{ "2022-10-08", "2022-10-09", "work", "国庆节调休" },
	{ "2022-12-31", "2022-12-31", "off", "元旦" },
	{ "2023-01-01", "2023-01-02", "off", "元旦" },
	{ "2023-01-21", "2023-01-27", "off", "春节" },
	{ "2023-01-28", "2023-01-29", "work", "春节调休" },
	{ "2023-04-05", "2023-04-05", "off", "清明节" },
	{ "2023-04-23", "2023-04-23", "work", "劳动节调休" },
	{ "2023-04-29", "2023-05-03", "off", "劳动节" },
	{ "2023-05-06", "2023-05-06", "work", "劳动节调休" },
	{ "2023-06-22", "2023-06-24", "off", "端午节" },
	{ "2023-06-25", "2023-06-25", "work", "端午节调休" },
	{ "2023-09-29", "2023-10-06", "off", "中秋节、国庆节" },
	{ "2023-10-07", "2023-10-08", "work", "国庆节调休" },
	{ "2024-01-01", "2024-01-01", "off", "元旦" },
	{ "2024-02-04", "2024-02-04", "work", "春节调休" },
	{ "2024-02-10", "2024-02-17", "off", "春节" },
	{ "2024-02-18", "2024-02-18", "work", "春节调休" },
	{ "2024-04-04", "2024-04-06", "off", "清明节" },
	{ "2024-04-07", "2024-04-07", "work", "清明节调休" },
	{ "2024-04-28", "2024-04-28", "work", "劳动节调休" },
	{ "2024-05-01", "2024-05-05", "off", "劳动节" },
	{ "2024-05-11", "2024-05-11", "work", "劳动节调休" },
	{ "2024-06-10", "2024-06-10", "off", "端午节" },
	{ "2024-09-14", "2024-09-14", "work", "中秋节调休" },
	{ "2024-09-15", "2024-09-17", "off", "中秋节" },
	{ "2024-09-29", "2024-09-29", "work", "国庆节调休" },
	{ "2024-10-01", "2024-10-07", "off", "国庆节" },
	{ "2024-10-12", "2024-10-12", "work", "国庆节调休" },
	{ "2025-01-01", "2025-01-01", "off", "元旦" },
	{ "2025-01-26", "2025-01-26", "work", "春节调休" },
	{ "2025-01-28", "2025-02-04", "off", "春节" },
	{ "2025-02-08", "2025-02-08", "work", "春节调休" },
	{ "2025-04-04", "2025-04-06", "off", "清明节" },
	{ "2025-04-27", "2025-04-27", "work", "劳动节调休" },
	{ "2025-05-01", "2025-05-05", "off", "劳动节" },
	{ "2025-05-31", "2025-06-02", "off", "端午节" },
	{ "2025-09-28", "2025-09-28", "work", "国庆节调休" },
	{ "2025-10-01", "2025-10-08", "off", "国庆节、中秋节" },
	{ "2025-10-11", "2025-10-11", "work", "国庆节调休" },
	{ "2026-01-01", "2026-01-03", "off", "元旦" },
	{ "2026-01-04", "2026-01-04", "work", "元旦调休" },
	{ "2026-02-14", "2026-02-14", "work", "春节调休" },
	{ "2026-02-15", "2026-02-23", "off", "春节" },
	{ "2026-02-28", "2026-02-28", "work", "春节调休" },
	{ "2026-04-04", "2026-04-06", "off", "清明节" },
	{ "2026-05-01", "2026-05-05", "off", "劳动节" },
	{ "2026-05-09", "2026-05-09", "work", "劳动节调休" },
	{ "2026-06-19", "2026-06-21", "off", "端午节" },
	{ "2026-09-20", "2026-09-20", "work", "国庆节调休" },
	{ "2026-09-25", "2026-09-27", "off", "中秋节" },
	{ "2026-10-01", "2026-10-07", "off", "国庆节" },
	{ "2026-10-10", "2026-10-10", "work", "国庆节调休" },
};
#define BUILTIN_FIRST 2022
#define BUILTIN_LAST 2026

void calendar_builtin(arena *a, int year, struct calendar *out)
{
	int cap = 0;

	*out = (struct calendar){ .year = year, .builtin = year >= BUILTIN_FIRST && year <= BUILTIN_LAST, .updated_by = "" };
	for (size_t i = 0; i < sizeof(builtin) / sizeof(builtin[0]); i++) {
		int64_t from, to;
		if (!civil_parse(builtin[i].from, &from) || !civil_parse(builtin[i].to, &to))
			continue; /* cannot happen: the unit test reads every entry */
		for (int64_t z = from; z <= to; z++) {
			int64_t y, m, d;
			char s[CIVIL_DATE_LEN];
			civil_from_days(z, &y, &m, &d);
			if (y != year)
				continue;
			*ARENA_PUSH(a, out->days, out->n, cap) =
				(struct cal_day){ arena_strdup(a, civil_format(z, s)), builtin[i].kind, builtin[i].name };
		}
	}
}

/* ---- reading ---- */

static void year_range(int year, char from[CIVIL_DATE_LEN], char to[CIVIL_DATE_LEN])
{
	civil_format(civil_days(year, 1, 1), from);
	civil_format(civil_days(year, 12, 31), to);
}

int calendar_get(db *d, arena *a, int64_t tenant_id, int year, struct calendar *out)
{
	char from[CIVIL_DATE_LEN], to[CIVIL_DATE_LEN];
	db_stmt *st;
	int rc, cap = 0;
	bool own;

	calendar_builtin(a, year, out);
	st = db_query(d, "SELECT updated_at, updated_by FROM calendar_year WHERE tenant_id = $1 AND year = $2", "ii",
		      tenant_id, (int64_t)year);
	if (!st)
		return -1;
	rc = db_step(st);
	own = rc == DB_ROW;
	if (own) {
		out->own = true;
		out->updated_at = db_col_int(st, 0);
		out->updated_by = arena_strdup(a, db_col_text(st, 1));
	}
	db_done(st);
	if (rc == DB_ERROR)
		return -1;
	if (!own)
		return 0;
	out->days = NULL;
	out->n = 0;
	year_range(year, from, to);
	st = db_query(d, "SELECT day, kind, name FROM calendar_day WHERE tenant_id = $1 AND day >= $2 AND day <= $3"
			 " ORDER BY day", "iss", tenant_id, from, to);
	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW)
		*ARENA_PUSH(a, out->days, out->n, cap) = (struct cal_day){ arena_strdup(a, db_col_text(st, 0)),
			arena_strdup(a, db_col_text(st, 1)), arena_strdup(a, db_col_text(st, 2)) };
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

/* ---- counting ---- */

void workcal_init(struct workcal *w, db *d, arena *a, int64_t tenant_id)
{
	*w = (struct workcal){ .d = d, .a = a, .tenant_id = tenant_id };
}

static const struct calendar *year_of(struct workcal *w, int year)
{
	int slots = (int)(sizeof(w->years) / sizeof(w->years[0]));
	struct calendar *cal;

	for (int i = 0; i < slots; i++)
		if (w->years[i].year == year)
			return &w->years[i];
	cal = &w->years[w->next];
	w->next = (w->next + 1) % slots;
	if (calendar_get(w->d, w->a, w->tenant_id, year, cal) < 0) {
		*cal = (struct calendar){ 0 };
		w->failed = true;
		return NULL;
	}
	return cal;
}

int workcal_is_working(struct workcal *w, int64_t z)
{
	int64_t y, m, d;
	int wd = civil_weekday(z);
	char s[CIVIL_DATE_LEN];
	const struct calendar *cal;

	if (w->failed)
		return -1;
	civil_from_days(z, &y, &m, &d);
	if (!(cal = year_of(w, (int)y)))
		return -1;
	civil_format(z, s);
	for (int i = 0; i < cal->n; i++)
		if (!strcmp(cal->days[i].day, s))
			return !strcmp(cal->days[i].kind, "work");
	return wd != 0 && wd != 6;
}

int workcal_nth(struct workcal *w, int64_t start, int n, int64_t *end)
{
	int seen = 0;

	if (n < 1 || n > CALENDAR_SPAN_MAX)
		return -1;
	/* At most 3 calendar days per working day in any real arrangement (a 9-day 春节); bounded anyway. */
	for (int64_t z = start; z < start + (int64_t)n * 7 + 31; z++) {
		int yes = workcal_is_working(w, z);
		if (yes < 0)
			return -1;
		if (yes && ++seen == n) {
			*end = z;
			return 0;
		}
	}
	return -1;
}

int workcal_between(struct workcal *w, int64_t from, int64_t to, int *n)
{
	*n = 0;
	for (int64_t z = from; z <= to && z < from + 3700; z++) {
		int yes = workcal_is_working(w, z);
		if (yes < 0)
			return -1;
		*n += yes;
	}
	return 0;
}

/* ---- saving ---- */

/* The next token of *p (up to a space or tab), NUL-terminated in place;
 * NULL when none is left. */
static char *token(char **p)
{
	char *s = *p, *start;

	while (*s == ' ' || *s == '\t' || *s == '\r')
		s++;
	if (!*s)
		return NULL;
	start = s;
	while (*s && *s != ' ' && *s != '\t' && *s != '\r')
		s++;
	if (*s)
		*s++ = '\0';
	*p = s;
	return start;
}

/* One line "2025-10-11 上班 国庆调休" (spaces or tabs between), in place. */
static bool parse_line(arena *a, char *line, struct cal_day *out)
{
	char *p = line, *day = token(&p), *kind = day ? token(&p) : NULL;
	size_t n;
	int64_t z;

	if (!day || !kind || !civil_parse(day, &z))
		return false;
	if (!strcmp(kind, "上班") || !strcmp(kind, "work"))
		out->kind = "work";
	else if (!strcmp(kind, "放假") || !strcmp(kind, "休息") || !strcmp(kind, "off"))
		out->kind = "off";
	else
		return false;
	while (*p == ' ' || *p == '\t')
		p++;
	n = strlen(p);
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
		n--;
	out->day = arena_strdup(a, day);
	out->name = arena_strndup(a, p, n);
	return true;
}

int calendar_parse_lines(struct ctx *c, struct calendar_in *in)
{
	char *text = arena_strdup(c->a, in->lines ? in->lines : ""), *save = NULL;
	struct cal_day *days = NULL;
	int n = 0, cap = 0, no = 0;
	buf bad = BUF_INIT;

	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *p = line;
		no++;
		while (*p == ' ' || *p == '\t' || *p == '\r')
			p++;
		if (!*p)
			continue;
		if (n == CALENDAR_DAYS_MAX || !parse_line(c->a, p, ARENA_PUSH(c->a, days, n, cap)))
			buf_printf(&bad, "%s%d", bad.len ? "、" : "", no);
	}
	in->days = (struct bind_list){ days, n };
	if (!bad.len) {
		buf_release(&bad);
		return JB_OK;
	}
	ctx_invalid(c, "lines", "bad_line",
		    arena_printf(c->a, "第 %s 行写得不对：每行写“日期 上班或放假 名称”，如“2025-10-11 上班 国庆调休”", bad.s));
	buf_release(&bad);
	return JB_EINVALID;
}

struct setting {
	int year;
	const struct calendar_in *in;
};

/* Every day inside the year, a real date, once; names short enough. */
static int check_days(struct ctx *c, int year, const struct bind_list *list)
{
	const struct cal_day *days = list->items;
	int rc = JB_OK;

	for (int i = 0; i < list->n; i++) {
		const char *field = arena_printf(c->a, "days.%d.day", i);
		int64_t z, y, m, d;
		if (!civil_parse(days[i].day, &z)) {
			rc = ctx_invalid(c, field, "bad_date", arena_printf(c->a, "“%s”不是有效的日期（YYYY-MM-DD）", days[i].day));
			continue;
		}
		civil_from_days(z, &y, &m, &d);
		if (y != year)
			rc = ctx_invalid(c, field, "outside_year", arena_printf(c->a, "%s 不在 %d 年内", days[i].day, year));
		for (int j = 0; j < i; j++)
			if (!strcmp(days[j].day, days[i].day)) {
				rc = ctx_invalid(c, field, "duplicate", arena_printf(c->a, "%s 写了两次", days[i].day));
				break;
			}
		if (utf8_len(days[i].name ? days[i].name : "") > CALENDAR_NAME_MAX)
			rc = ctx_invalid(c, arena_printf(c->a, "days.%d.name", i), "too_long",
					 arena_printf(c->a, "名称最多 %d 个字", CALENDAR_NAME_MAX));
	}
	return rc;
}

static int set_verb(struct ctx *c, void *args)
{
	struct setting *x = args;
	const struct cal_day *days = x->in->days.items;
	struct perm_target t = { c->who->tenant_id, 0, 0, false };
	char from[CIVIL_DATE_LEN], to[CIVIL_DATE_LEN];
	struct calendar before;
	int rc;

	if (!perm_check(c->who, "calendar.manage", &t))
		return ctx_deny(c, "calendar.manage", "calendar", x->year);
	if (x->year < CALENDAR_YEAR_MIN || x->year > CALENDAR_YEAR_MAX)
		return ctx_invalid(c, "year", "bad_year",
				   arena_printf(c->a, "年份必须在 %d 到 %d 之间", CALENDAR_YEAR_MIN, CALENDAR_YEAR_MAX));
	if ((rc = check_days(c, x->year, &x->in->days)) != JB_OK)
		return rc;
	if (calendar_get(c->d, c->a, c->who->tenant_id, x->year, &before) < 0)
		return -1;
	year_range(x->year, from, to);
	if (db_run(c->d, "DELETE FROM calendar_day WHERE tenant_id = $1 AND day >= $2 AND day <= $3", "iss",
		   c->who->tenant_id, from, to) == DB_ERROR ||
	    db_run(c->d, "DELETE FROM calendar_year WHERE tenant_id = $1 AND year = $2", "ii", c->who->tenant_id,
		   (int64_t)x->year) == DB_ERROR ||
	    db_run(c->d, "INSERT INTO calendar_year (tenant_id, year, updated_at, updated_by) VALUES ($1, $2, $3, $4)",
		   "iiis", c->who->tenant_id, (int64_t)x->year, c->now, ctx_actor(c).name) == DB_ERROR)
		return -1;
	for (int i = 0; i < x->in->days.n; i++)
		if (db_run(c->d, "INSERT INTO calendar_day (tenant_id, day, kind, name) VALUES ($1, $2, $3, $4)", "isss",
			   c->who->tenant_id, days[i].day, days[i].kind, days[i].name ? days[i].name : "") == DB_ERROR)
			return -1;
	return ctx_audit(c, "calendar.update", "calendar", x->year,
			 json_pack("{s:i, s:b, s:i}", "year", x->year, "own", before.own, "days", before.n),
			 json_pack("{s:i, s:b, s:i}", "year", x->year, "own", 1, "days", x->in->days.n)) < 0 ? -1 : JB_OK;
}

int calendar_set(struct ctx *c, int year, const struct calendar_in *in)
{
	struct setting x = { year, in };

	return action_run(c, set_verb, &x);
}
