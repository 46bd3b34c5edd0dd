/* test_calendar.c - the working-day calendar: civil dates, the built-in
 * State Council arrangements (every make-up day a weekend day, the counts
 * of each year's notice), counting a notice's working days across 国庆 and
 * its make-up Saturday, plain weekends, and a tenant's own calendar that
 * replaces the built-in one, on both stores. */
#include "testdb.h"

#include "domain/calendar.h"
#include "domain/perm.h"

static struct tenant_fixture sqlite_fx = { .s.kind = DB_SQLITE, .name = "calendar" };
static struct tenant_fixture pg_fx = { .s.kind = DB_POSTGRES, .name = "calendar" };

static const struct principal admin = { .tenant_id = 1, .user_id = 1, .login = "admin", .roles = ROLE_ADMIN,
					.via = VIA_COOKIE };
static const struct principal cadre = { .tenant_id = 1, .user_id = 2, .login = "cadre", .roles = ROLE_CADRE,
					.via = VIA_COOKIE };

static int64_t day(const char *s)
{
	int64_t z;

	if (!civil_parse(s, &z))
		fail_msg("not a date: %s", s);
	return z;
}

static const char *text(int64_t z)
{
	static char s[CIVIL_DATE_LEN];

	return civil_format(z, s);
}

static void civil_dates_are_strict(void **state)
{
	int64_t z;

	assert_true(civil_parse("2024-02-29", &z));
	assert_string_equal(text(z), "2024-02-29");
	assert_int_equal(civil_weekday(z), 4); /* a Thursday */
	assert_false(civil_parse("2025-02-29", &z));
	assert_false(civil_parse("2025-13-01", &z));
	assert_false(civil_parse("2025-1-01", &z));
	assert_false(civil_parse("2025-01-01x", &z));
	assert_false(civil_parse("", &z));
	assert_false(civil_parse("abc", &z));
	assert_false(civil_parse(NULL, &z));
	assert_int_equal(civil_weekday(day("1970-01-01")), 4);
	assert_int_equal(civil_weekday(day("2025-10-11")), 6); /* Saturday */
	/* 2025-10-01 00:00 Asia/Shanghai is 2025-09-30 16:00 UTC. */
	assert_string_equal(text(civil_local_day(1759248000)), "2025-10-01");
	assert_string_equal(text(civil_local_day(1759248000 - 1)), "2025-09-30");
	assert_int_equal(civil_midnight(day("2025-10-01")), 1759248000);
}

/* Make-up days (调休上班) fall on weekends; the counts are the notices'. */
static void builtin_arrangements_match_the_notices(void **state)
{
	static const struct { int year, off, work; } want[] = {
		/* 2022: 元旦 3 + 春节 7 + 清明 3 + 劳动 5 + 端午 3 + 中秋 3 + 国庆 7, and 12-31 of the 2023 元旦;
		 * 上班 1-29 1-30 4-2 4-24 5-7 10-8 10-9 */
		{ 2022, 32, 7 },
		/* 2023: 元旦 1-1 1-2 + 春节 7 + 清明 1 + 劳动 5 + 端午 3 + 中秋国庆 8; 上班 1-28 1-29 4-23 5-6 6-25 10-7 10-8 */
		{ 2023, 26, 7 },
		/* 2024: 元旦 1 + 春节 8 + 清明 3 + 劳动 5 + 端午 1 + 中秋 3 + 国庆 7; 上班 2-4 2-18 4-7 4-28 5-11 9-14 9-29 10-12 */
		{ 2024, 28, 8 },
		/* 2025: 元旦 1 + 春节 8 + 清明 3 + 劳动 5 + 端午 3 + 国庆中秋 8; 上班 1-26 2-8 4-27 9-28 10-11 */
		{ 2025, 28, 5 },
		/* 2026: 元旦 3 + 春节 9 + 清明 3 + 劳动 5 + 端午 3 + 中秋 3 + 国庆 7; 上班 1-4 2-14 2-28 5-9 9-20 10-10 */
		{ 2026, 33, 6 },
	};
	arena *a = arena_new();

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct calendar cal;
		int off = 0, work = 0;
		calendar_builtin(a, want[i].year, &cal);
		assert_true(cal.builtin);
		for (int k = 0; k < cal.n; k++) {
			int64_t z = day(cal.days[k].day), y, m, d;
			civil_from_days(z, &y, &m, &d);
			assert_int_equal(y, want[i].year);
			if (!strcmp(cal.days[k].kind, "work")) {
				int wd = civil_weekday(z);
				if (wd != 0 && wd != 6)
					fail_msg("%s is a make-up day but not a weekend day", cal.days[k].day);
				work++;
			} else {
				assert_string_equal(cal.days[k].kind, "off");
				off++;
			}
			for (int j = 0; j < k; j++)
				assert_string_not_equal(cal.days[j].day, cal.days[k].day);
		}
		assert_int_equal(off, want[i].off);
		assert_int_equal(work, want[i].work);
	}
	{
		struct calendar cal;
		calendar_builtin(a, 2027, &cal);
		assert_false(cal.builtin);
		assert_int_equal(cal.n, 0);
	}
	arena_free(a);
}

/* A 5-working-day notice from Tuesday 2025-09-30: 9-30 is day 1; 10-1 to
 * 10-8 are 国庆 and 中秋 (off); Thursday 10-9 day 2, Friday 10-10 day 3,
 * the make-up Saturday 10-11 day 4, Sunday 10-12 off, Monday 10-13 day 5. */
static void a_notice_across_the_national_day_ends_on_the_13th(void **state)
{
	struct tenant_fixture *f = *state;
	struct workcal w;
	int64_t end;
	int n;

	workcal_init(&w, f->d, f->a, 1);
	assert_int_equal(workcal_is_working(&w, day("2025-09-30")), 1);
	assert_int_equal(workcal_is_working(&w, day("2025-10-08")), 0);  /* a Wednesday, off */
	assert_int_equal(workcal_is_working(&w, day("2025-10-11")), 1);  /* a Saturday, 调休上班 */
	assert_int_equal(workcal_is_working(&w, day("2025-10-12")), 0);
	assert_int_equal(workcal_is_working(&w, day("2025-09-28")), 1);  /* a Sunday, 调休上班 */
	assert_int_equal(workcal_nth(&w, day("2025-09-30"), 5, &end), 0);
	assert_string_equal(text(end), "2025-10-13");
	assert_int_equal(workcal_between(&w, day("2025-09-30"), day("2025-10-13"), &n), 0);
	assert_int_equal(n, 5);
	/* Starting on a holiday: the first working day after it is day 1. */
	assert_int_equal(workcal_nth(&w, day("2025-10-01"), 1, &end), 0);
	assert_string_equal(text(end), "2025-10-09");
	/* Saturday 9-27 is a weekend day; Sunday 9-28 is a make-up working day. */
	assert_int_equal(workcal_nth(&w, day("2025-09-27"), 1, &end), 0);
	assert_string_equal(text(end), "2025-09-28");
	/* Across the year's end: 2025-12-31 (Wed) 1, 2026-01-01..03 元旦, Sunday 1-4 调休 2, 1-5 3. */
	assert_int_equal(workcal_nth(&w, day("2025-12-31"), 3, &end), 0);
	assert_string_equal(text(end), "2026-01-05");
	assert_int_equal(workcal_between(&w, day("2025-10-13"), day("2025-09-30"), &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(workcal_nth(&w, day("2025-09-30"), 0, &end), -1);
}

/* A year the built-in table does not know: weekends only. */
static void a_year_without_arrangements_counts_weekends(void **state)
{
	struct tenant_fixture *f = *state;
	struct workcal w;
	int64_t end;
	int n;

	workcal_init(&w, f->d, f->a, 1);
	/* Friday 2027-03-05 is day 1, Monday 03-08 day 2. */
	assert_int_equal(workcal_nth(&w, day("2027-03-05"), 2, &end), 0);
	assert_string_equal(text(end), "2027-03-08");
	/* From Saturday 03-06: Monday is day 1, Friday 03-12 day 5. */
	assert_int_equal(workcal_nth(&w, day("2027-03-06"), 5, &end), 0);
	assert_string_equal(text(end), "2027-03-12");
	assert_int_equal(workcal_between(&w, day("2027-03-01"), day("2027-03-31"), &n), 0);
	assert_int_equal(n, 23);
}

static int64_t scalar(db *d, const char *sql)
{
	int64_t v = -1;

	if (db_scalar(d, sql, &v, 0) != 0)
		fail_msg("%s: %s", sql, db_errmsg(d));
	return v;
}

static void ctx_as(struct tenant_fixture *f, struct ctx *c, const struct principal *who)
{
	ctx_init(c, f->d, f->a, who, "10.0.0.1");
	c->now = 1759248000;
}

/* The tenant's own 2025 replaces the built-in one: only its days count. */
static void a_tenant_calendar_replaces_the_builtin_year(void **state)
{
	struct tenant_fixture *f = *state;
	struct cal_day days[] = { { "2025-10-13", "off", "县庆" }, { "2025-10-11", "work", "" } };
	struct calendar_in in = { .days = { days, 2 } };
	struct calendar cal;
	struct workcal w;
	struct ctx c;
	int64_t end;

	ctx_as(f, &c, &cadre);
	assert_int_equal(calendar_set(&c, 2025, &in), JB_EDENIED);
	ctx_as(f, &c, &admin);
	assert_int_equal(calendar_set(&c, 2025, &in), JB_OK);
	assert_int_equal(calendar_get(f->d, f->a, 1, 2025, &cal), 0);
	assert_true(cal.own);
	assert_int_equal(cal.n, 2);
	assert_string_equal(cal.days[0].day, "2025-10-11");
	assert_string_equal(cal.updated_by, "admin");
	assert_int_equal(scalar(f->d, "SELECT count(*) FROM audit_event WHERE action = 'calendar.update'"), 1);
	/* 2026 keeps its built-in days. */
	assert_int_equal(calendar_get(f->d, f->a, 1, 2026, &cal), 0);
	assert_false(cal.own);
	assert_int_equal(cal.n, 39);
	/* 9-30 1, 10-1 2, 10-2 3, 10-3 4, 10-6 5: 国庆 is no longer off. */
	workcal_init(&w, f->d, f->a, 1);
	assert_int_equal(workcal_nth(&w, day("2025-09-30"), 5, &end), 0);
	assert_string_equal(text(end), "2025-10-06");
	/* Saturday 10-11 works, Monday 10-13 is the county's own holiday. */
	assert_int_equal(workcal_nth(&w, day("2025-10-10"), 3, &end), 0);
	assert_string_equal(text(end), "2025-10-14");
	/* Saving again replaces the year; other years' rows are left. */
	in.days.n = 1;
	assert_int_equal(calendar_set(&c, 2025, &in), JB_OK);
	assert_int_equal(scalar(f->d, "SELECT count(*) FROM calendar_day"), 1);
}

static void bad_calendars_change_nothing(void **state)
{
	struct tenant_fixture *f = *state;
	struct cal_day outside[] = { { "2026-01-01", "off", "元旦" } };
	struct cal_day twice[] = { { "2025-05-01", "off", "" }, { "2025-05-01", "work", "" } };
	struct cal_day unreal[] = { { "2025-02-30", "off", "" } };
	struct calendar_in in = { .days = { outside, 1 } };
	struct ctx c;

	ctx_as(f, &c, &admin);
	assert_int_equal(calendar_set(&c, 2025, &in), JB_EINVALID);
	assert_string_equal(c.errs[0].field, "days.0.day");
	assert_string_equal(c.errs[0].code, "outside_year");
	ctx_as(f, &c, &admin);
	in.days = (struct bind_list){ twice, 2 };
	assert_int_equal(calendar_set(&c, 2025, &in), JB_EINVALID);
	assert_string_equal(c.errs[0].field, "days.1.day");
	ctx_as(f, &c, &admin);
	in.days = (struct bind_list){ unreal, 1 };
	assert_int_equal(calendar_set(&c, 2025, &in), JB_EINVALID);
	assert_string_equal(c.errs[0].code, "bad_date");
	ctx_as(f, &c, &admin);
	assert_int_equal(calendar_set(&c, 1999, &in), JB_EINVALID);
	assert_int_equal(scalar(f->d, "SELECT count(*) FROM calendar_year"), 0);
	assert_int_equal(scalar(f->d, "SELECT count(*) FROM calendar_day"), 0);
}

static void the_form_lines_are_parsed_or_refused_by_line(void **state)
{
	struct tenant_fixture *f = *state;
	struct calendar_in in = { .lines = "2025-10-11 上班 国庆节调休\n\n  2025-10-08\t放假  国庆节 中秋节 \r\n2025-10-09 work\n" };
	const struct cal_day *d;
	struct ctx c;

	ctx_as(f, &c, &admin);
	assert_int_equal(calendar_parse_lines(&c, &in), JB_OK);
	assert_int_equal(in.days.n, 3);
	d = in.days.items;
	assert_string_equal(d[0].kind, "work");
	assert_string_equal(d[0].name, "国庆节调休");
	assert_string_equal(d[1].day, "2025-10-08");
	assert_string_equal(d[1].kind, "off");
	assert_string_equal(d[1].name, "国庆节 中秋节");
	assert_string_equal(d[2].name, "");
	in.lines = "2025-10-11 上班\n2025-10-32 放假\n2025-10-12 加班\n2025-10-13";
	ctx_as(f, &c, &admin);
	assert_int_equal(calendar_parse_lines(&c, &in), JB_EINVALID);
	assert_string_equal(c.errs[0].field, "lines");
	assert_non_null(strstr(c.errs[0].message, "第 2、3、4 行"));
}

#define STORE_TESTS(f) \
	cmocka_unit_test_prestate_setup_teardown(a_notice_across_the_national_day_ends_on_the_13th, tenant_fixture_setup, tenant_fixture_teardown, f), \
	cmocka_unit_test_prestate_setup_teardown(a_year_without_arrangements_counts_weekends, tenant_fixture_setup, tenant_fixture_teardown, f), \
	cmocka_unit_test_prestate_setup_teardown(a_tenant_calendar_replaces_the_builtin_year, tenant_fixture_setup, tenant_fixture_teardown, f), \
	cmocka_unit_test_prestate_setup_teardown(bad_calendars_change_nothing, tenant_fixture_setup, tenant_fixture_teardown, f), \
	cmocka_unit_test_prestate_setup_teardown(the_form_lines_are_parsed_or_refused_by_line, tenant_fixture_setup, tenant_fixture_teardown, f)

int main(void)
{
	const struct CMUnitTest pure[] = {
		cmocka_unit_test(civil_dates_are_strict),
		cmocka_unit_test(builtin_arrangements_match_the_notices),
	};
	const struct CMUnitTest lite[] = { STORE_TESTS(&sqlite_fx) };
	const struct CMUnitTest pg[] = { STORE_TESTS(&pg_fx) };
	int failed = cmocka_run_group_tests_name("calendar", pure, NULL, NULL);

	failed += cmocka_run_group_tests_name("calendar (sqlite)", lite, NULL, NULL);
	if (testdb_pg_wanted("test_calendar", &failed))
		failed += cmocka_run_group_tests_name("calendar (postgres)", pg, NULL, NULL);
	return failed;
}
