/* test_notice.c - public notices and objections on both stores, at clocks
 * the tests set: a results notice of the batch's accepted claims ends on
 * the working day the calendar says and writes each problem's
 * problem.noticed step; objections only by real name with a contact and
 * within the period, residents limited per address; an answer once;
 * closing refused before the end and while an objection is open, making
 * each result final except one an upheld objection names; the background
 * task closes what is due.
 *
 * The accept verb (POST /api/v1/claims/:id/accept) belongs to another part
 * of issue 10: until it lands, the fixture writes claims straight into
 * state accepted with a score and a grade, standing in for it. */
#include "testdb.h"

#include "domain/notice.h"
#include "domain/perm.h"
#include "domain/timeline.h"
#include "util/civil.h"

static struct tenant_fixture sqlite_fx = { .s.kind = DB_SQLITE, .name = "notice" };
static struct tenant_fixture pg_fx = { .s.kind = DB_POSTGRES, .name = "notice" };

#define DAY 86400
#define HOUR 3600

static const struct principal admin = { .tenant_id = 1, .user_id = 1, .login = "admin", .roles = ROLE_ADMIN,
					.person_id = 1, .via = VIA_COOKIE };
static const struct principal cadre = { .tenant_id = 1, .user_id = 2, .login = "cadre", .roles = ROLE_CADRE,
					.person_id = 2, .unit_id = 1, .via = VIA_COOKIE };
static const struct principal resident = { .tenant_id = 1, .login = "", .via = VIA_NONE };

/* 10:00 Asia/Shanghai of day s. */
static int64_t at(const char *s, int hour)
{
	int64_t z;

	if (!civil_parse(s, &z))
		fail_msg("not a date: %s", s);
	return civil_midnight(z) + hour * HOUR;
}

static void exec_ok(db *d, const char *sql)
{
	if (db_exec(d, sql) < 0)
		fail_msg("%s: %s", sql, db_errmsg(d));
}

static int64_t scalar(db *d, const char *sql)
{
	int64_t v = -1;

	if (db_scalar(d, sql, &v, 0) != 0)
		fail_msg("%s: %s", sql, db_errmsg(d));
	return v;
}

/* Batch 1 with problems 1-3 and their claims 1-3, accepted (written
 * directly: the stand-in for the accept verb), claim 4 on problem 4 still
 * solved; batch 2 with nothing; promotions 1 and 2. */
static int setup(void **state)
{
	struct tenant_fixture *f = *state;

	tenant_fixture_setup(state);
	exec_ok(f->d, "INSERT INTO unit (tenant_id, id, name, kind) VALUES (1, 1, '住建局', 'county_dept'),"
		      " (1, 2, '交通局', 'county_dept')");
	exec_ok(f->d, "INSERT INTO person (tenant_id, id, name, unit_id, rank) VALUES (1, 1, '管理', 1, 'section'),"
		      " (1, 2, '张三', 1, 'section'), (1, 3, '李四', 2, 'section'), (1, 4, '王五', 2, 'section')");
	exec_ok(f->d, "INSERT INTO app_user (tenant_id, id, login, password_hash, person_id, unit_id, created_at, password_at)"
		      " VALUES (1, 1, 'admin', 'x', 1, 1, 0, 0), (1, 2, 'cadre', 'x', 2, 1, 0, 0)");
	exec_ok(f->d, "INSERT INTO user_role (tenant_id, user_id, role) VALUES (1, 1, 'admin'), (1, 2, 'cadre')");
	exec_ok(f->d, "INSERT INTO batch (tenant_id, id, name, year, phase, opens_at, closes_at)"
		      " VALUES (1, 1, '2025年第一批', 2025, 'evaluating', 0, 0), (1, 2, '2025年第二批', 2025, 'working', 0, 0)");
	exec_ok(f->d, "INSERT INTO category (tenant_id, id, name, position) VALUES (1, 1, '民生发展类', 1)");
	exec_ok(f->d, "INSERT INTO problem (tenant_id, id, batch_id, category_id, title, description, proposer_name,"
		      " state, is_public, created_at, updated_at) VALUES"
		      " (1, 1, 1, 1, '老旧小区改造', '', '', 'accepted', 1, 0, 0), (1, 2, 1, 1, '停车难', '', '', 'accepted', 1, 0, 0),"
		      " (1, 3, 1, 1, '农村公路养护', '', '', 'accepted', 1, 0, 0), (1, 4, 1, 1, '夜市噪音', '', '', 'solved', 1, 0, 0)");
	exec_ok(f->d, "INSERT INTO claim (tenant_id, id, problem_id, unit_id, lead_person_id, owner_person_id, state, deadline,"
		      " applied_at, approved_at, signed_at, score, grade, evaluated_at) VALUES"
		      " (1, 1, 1, 1, 3, 2, 'accepted', 0, 0, 0, 0, 9250, 'excellent', 0),"
		      " (1, 2, 2, 2, 3, 4, 'accepted', 0, 0, 0, 0, 8175, 'good', 0),"
		      " (1, 3, 3, 2, 3, 4, 'accepted', 0, 0, 0, 0, 6000, 'pass', 0),"
		      " (1, 4, 4, 1, 3, 2, 'solved', 0, 0, 0, 0, NULL, '', NULL)");
	exec_ok(f->d, "INSERT INTO promotion (tenant_id, id, person_id, claim_id, kind, note, at, from_post, to_post)"
		      " VALUES (1, 1, 2, 1, 'promoted', '', 0, '住建局副局长', '住建局局长'),"
		      " (1, 2, 4, 2, 'further_use', '', 0, '交通局科长', '')");
	return 0;
}

static void ctx_at(struct tenant_fixture *f, struct ctx *c, const struct principal *who, int64_t now, const char *addr)
{
	ctx_init(c, f->d, f->a, who, addr);
	c->now = now;
}

static int64_t create(struct tenant_fixture *f, const struct notice_in *in, int64_t now, int expect)
{
	struct ctx c;
	int64_t id;

	ctx_at(f, &c, &admin, now, "10.0.0.1");
	assert_int_equal(notice_create(&c, 1, in, &id), expect);
	return id;
}

static const struct notice_in results = { .kind = "results", .title = "2025年第一批验收结果公示" };

static int lodge(struct tenant_fixture *f, const struct principal *who, int64_t notice, int position, const char *name,
		 const char *contact, int64_t now, const char *addr, struct ctx *c)
{
	struct objection_in in = { notice, position, name, contact, "该项目的验收材料与实际情况不符，请组织部核实。", NULL };
	int64_t id;

	ctx_at(f, c, who, now, addr);
	return objection_lodge(c, &in, &id);
}

/* From Tuesday 2025-09-30, 5 working days: the end is Monday 10-13 (国庆). */
static void a_results_notice_takes_the_accepted_claims_and_counts_working_days(void **state)
{
	struct tenant_fixture *f = *state;
	struct notice_in mine = results, explicit_ = results;
	struct notice_item *items;
	struct notice n;
	int64_t now = at("2025-09-30", 10), id, solved[] = { 4 };
	struct ctx c;
	int count;

	ctx_at(f, &c, &cadre, now, "10.0.0.2");
	assert_int_equal(notice_create(&c, 1, &results, &id), JB_EDENIED);
	mine.starts_on = "2025-09-29";
	create(f, &mine, now, JB_EINVALID);
	id = create(f, &results, now, JB_OK);
	assert_int_equal(notice_get(f->d, f->a, 1, id, &n), 0);
	assert_string_equal(n.starts_on, "2025-09-30");
	assert_string_equal(n.ends_on, "2025-10-13");
	assert_int_equal(n.working_days, 5);
	assert_string_equal(n.state, "open");
	assert_int_equal(notice_items(f->d, f->a, 1, &n, &items, &count), 0);
	assert_int_equal(count, 3);
	assert_int_equal(items[0].claim_id, 1);
	assert_string_equal(items[0].problem_title, "老旧小区改造");
	assert_string_equal(items[0].unit, "住建局");
	assert_string_equal(items[0].lead, "李四");
	assert_string_equal(items[0].owner, "张三");
	assert_int_equal(items[0].score, 9250);
	assert_int_equal(items[2].position, 3);
	assert_int_equal(scalar(f->d, "SELECT count(*) FROM audit_event WHERE action = 'problem.noticed'"
				      " AND object_type = 'problem' AND object_id IN (1, 2, 3)"), 3);
	assert_int_equal(scalar(f->d, "SELECT count(*) FROM audit_event WHERE action = 'notice.create'"), 1);
	/* The problem's public timeline (anyone: no principal) shows the period. */
	{
		struct timeline_entry *tl;
		bool more, seen = false;
		int ntl;
		assert_int_equal(timeline_problem(f->d, f->a, 1, 1, NULL, &tl, &ntl, &more), 0);
		for (int i = 0; i < ntl; i++)
			if (!strcmp(tl[i].action, "problem.noticed")) {
				assert_string_equal(tl[i].t.title, "验收结果公示");
				assert_non_null(strstr(tl[i].t.detail, "公示期：2025-09-30 至 2025-10-13（5 个工作日）"));
				seen = true;
			}
		assert_true(seen);
	}
	/* Every accepted claim of the batch is on a notice now: none left. */
	create(f, &results, now, JB_EINVALID);
	/* A claim that is not accepted, or already on an open notice, cannot be noticed. */
	explicit_.claim_ids = (struct bind_ids){ solved, 1 };
	create(f, &explicit_, now, JB_EINVALID);
	solved[0] = 2;
	create(f, &explicit_, now, JB_EINVALID);
	/* Another batch has no accepted claims; an unknown batch is not found. */
	ctx_at(f, &c, &admin, now, "");
	assert_int_equal(notice_create(&c, 2, &results, &id), JB_EINVALID);
	ctx_at(f, &c, &admin, now, "");
	assert_int_equal(notice_create(&c, 9, &results, &id), JB_ENOTFOUND);
}

static void objections_need_a_real_name_a_contact_and_the_period(void **state)
{
	struct tenant_fixture *f = *state;
	struct notice_in later = results;
	int64_t now = at("2025-09-30", 10), id, future;
	struct ctx c;

	id = create(f, &results, now, JB_OK);
	assert_int_equal(lodge(f, &resident, id, 0, "匿名", "13812345678", now, "10.1.0.1", &c), JB_EINVALID);
	assert_string_equal(c.errs[0].field, "name");
	assert_string_equal(c.errs[0].code, "anonymous");
	assert_int_equal(lodge(f, &resident, id, 0, "一位群众", "13812345678", now, "10.1.0.1", &c), JB_OK);
	assert_int_equal(lodge(f, &resident, id, 0, "群众", "13812345678", now, "10.1.0.1", &c), JB_EINVALID);
	assert_int_equal(lodge(f, &resident, id, 0, "王小明", "12345", now, "10.1.0.1", &c), JB_EINVALID);
	assert_string_equal(c.errs[0].field, "contact");
	assert_int_equal(lodge(f, &resident, id, 4, "王小明", "0571-87654321", now, "10.1.0.1", &c), JB_EINVALID);
	assert_string_equal(c.errs[0].field, "position");
	assert_int_equal(lodge(f, &resident, id, 2, "王小明", "wang@example.cn", now, "10.1.0.1", &c), JB_OK);
	assert_int_equal(lodge(f, &resident, id, 2, "王小明", "0571-87654321", now, "10.1.0.1", &c), JB_OK);
	/* The last day of the period (to its close) is inside; the next one is not. */
	assert_int_equal(lodge(f, &resident, id, 0, "王小明", "13812345678", at("2025-10-13", 23), "10.1.0.2", &c), JB_OK);
	assert_int_equal(lodge(f, &resident, id, 0, "王小明", "13812345678", at("2025-10-14", 0), "10.1.0.2", &c), JB_ECONFLICT);
	assert_non_null(strstr(c.errs[0].message, "2025-10-13"));
	/* A notice starting later takes no objection yet. */
	exec_ok(f->d, "UPDATE claim SET final_at = NULL");
	later.starts_on = "2025-10-09";
	exec_ok(f->d, "INSERT INTO claim (tenant_id, id, problem_id, unit_id, lead_person_id, owner_person_id, state, deadline,"
		      " applied_at, score, grade) VALUES (1, 5, 4, 1, 3, 2, 'accepted', 0, 0, 7000, 'pass')");
	future = create(f, &later, now, JB_OK);
	assert_int_equal(lodge(f, &resident, future, 0, "王小明", "13812345678", now, "10.1.0.3", &c), JB_ECONFLICT);
	assert_int_equal(scalar(f->d, "SELECT count(*) FROM objection"), 4);
	/* The audit log never holds the name or the contact. */
	assert_int_equal(scalar(f->d, "SELECT count(*) FROM audit_event WHERE action = 'objection.lodge' AND outcome = 'ok'"
				      " AND (after_json LIKE '%王小明%' OR after_json LIKE '%138%')"), 0);
}

static void residents_are_limited_per_address_signed_in_users_are_not(void **state)
{
	struct tenant_fixture *f = *state;
	int64_t now = at("2025-09-30", 10), id;
	struct ctx c;

	id = create(f, &results, now, JB_OK);
	for (int i = 0; i < NOTICE_OBJECTIONS_PER_ADDR; i++)
		assert_int_equal(lodge(f, &resident, id, 0, "王小明", "13812345678", now + i, "10.2.0.1", &c), JB_OK);
	assert_int_equal(lodge(f, &resident, id, 0, "王小明", "13812345678", now + 10, "10.2.0.1", &c), JB_ELIMITED);
	assert_true(c.retry_after > 0);
	assert_int_equal(lodge(f, &resident, id, 0, "王小明", "13812345678", now + 10, "10.2.0.2", &c), JB_OK);
	for (int i = 0; i < NOTICE_OBJECTIONS_PER_ADDR + 2; i++)
		assert_int_equal(lodge(f, &cadre, id, 0, "张三", "13812345678", now + i, "10.2.0.1", &c), JB_OK);
	assert_int_equal(scalar(f->d, "SELECT count(*) FROM objection WHERE user_id = 2"), NOTICE_OBJECTIONS_PER_ADDR + 2);
}

static int answer(struct tenant_fixture *f, const struct principal *who, int64_t id, const char *kind, int64_t now)
{
	struct objection_answer_in in = { "经核实，验收材料与实际情况一致。", kind };
	struct ctx c;

	ctx_at(f, &c, who, now, "10.0.0.1");
	return objection_answer(&c, id, &in);
}

static int close_at(struct tenant_fixture *f, int64_t id, int64_t now, struct notice_closed *out, struct ctx *c)
{
	ctx_at(f, c, &admin, now, "10.0.0.1");
	return notice_close(c, id, out);
}

/* An objection blocks finality until it is answered. */
static void closing_waits_for_the_period_and_every_answer(void **state)
{
	struct tenant_fixture *f = *state;
	int64_t now = at("2025-09-30", 10), id;
	struct notice_closed out;
	struct notice n;
	struct ctx c;

	id = create(f, &results, now, JB_OK);
	assert_int_equal(lodge(f, &resident, id, 1, "王小明", "13812345678", now, "10.3.0.1", &c), JB_OK);
	assert_int_equal(close_at(f, id, at("2025-10-13", 23), &out, &c), JB_ECONFLICT);
	assert_string_equal(c.errs[0].code, "period_not_over");
	assert_non_null(strstr(c.errs[0].message, "公示期未满"));
	assert_int_equal(close_at(f, id, at("2025-10-14", 9), &out, &c), JB_ECONFLICT);
	assert_string_equal(c.errs[0].message, "还有 1 条异议未答复，答复后才能结束公示");
	assert_int_equal(scalar(f->d, "SELECT count(*) FROM claim WHERE final_at IS NOT NULL"), 0);
	assert_int_equal(answer(f, &cadre, 1, "dismissed", now), JB_EDENIED);
	assert_int_equal(answer(f, &admin, 1, "dismissed", now + HOUR), JB_OK);
	assert_int_equal(answer(f, &admin, 1, "upheld", now + 2 * HOUR), JB_ECONFLICT);
	assert_int_equal(answer(f, &admin, 99, "upheld", now), JB_ENOTFOUND);
	assert_int_equal(close_at(f, id, at("2025-10-14", 9), &out, &c), JB_OK);
	assert_string_equal(out.outcome, "异议已答复");
	assert_int_equal(out.finalized, 3);
	assert_int_equal(out.held, 0);
	assert_int_equal(notice_get(f->d, f->a, 1, id, &n), 0);
	assert_string_equal(n.state, "closed");
	assert_string_equal(n.outcome, "异议已答复");
	assert_int_equal(scalar(f->d, "SELECT count(*) FROM claim WHERE final_at IS NOT NULL"), 3);
	assert_int_equal(scalar(f->d, "SELECT count(*) FROM audit_event WHERE action = 'problem.finalized'"), 3);
	assert_int_equal(close_at(f, id, at("2025-10-14", 10), &out, &c), JB_ECONFLICT);
	/* Final claims are not noticed again. */
	create(f, &results, at("2025-10-14", 10), JB_EINVALID);
}

/* An upheld objection on item 2 keeps claim 2 from becoming final. */
static void an_upheld_objection_holds_its_item_back(void **state)
{
	struct tenant_fixture *f = *state;
	int64_t now = at("2025-09-30", 10), id;
	struct notice_closed out;
	struct notice_item *items;
	struct notice n;
	struct ctx c;
	int count;

	id = create(f, &results, now, JB_OK);
	assert_int_equal(lodge(f, &resident, id, 2, "王小明", "13812345678", now, "10.4.0.1", &c), JB_OK);
	assert_int_equal(answer(f, &admin, 1, "upheld", now + HOUR), JB_OK);
	assert_int_equal(close_at(f, id, at("2025-10-14", 9), &out, &c), JB_OK);
	assert_int_equal(out.finalized, 2);
	assert_int_equal(out.held, 1);
	assert_int_equal(scalar(f->d, "SELECT count(*) FROM claim WHERE final_at IS NULL AND id = 2"), 1);
	assert_int_equal(scalar(f->d, "SELECT count(*) FROM claim WHERE final_at IS NOT NULL AND id IN (1, 3)"), 2);
	assert_int_equal(notice_get(f->d, f->a, 1, id, &n), 0);
	assert_int_equal(n.upheld, 1);
	assert_int_equal(notice_items(f->d, f->a, 1, &n, &items, &count), 0);
	assert_true(items[1].upheld);
	assert_false(items[0].upheld);
	/* Once closed, the held claim may go on a new notice. */
	create(f, &results, at("2025-10-14", 10), JB_EINVALID); /* the default takes only never-noticed claims */
	{
		int64_t again[] = { 2 };
		struct notice_in in = results;
		in.claim_ids = (struct bind_ids){ again, 1 };
		create(f, &in, at("2025-10-14", 10), JB_OK);
	}
}

static void the_background_task_closes_notices_that_are_due(void **state)
{
	struct tenant_fixture *f = *state;
	struct notice_in promos = { .kind = "promotions", .title = "提拔使用公示" };
	int64_t now = at("2025-09-30", 10), ids[] = { 1, 2 }, a, b;
	struct notice n;
	struct ctx c;

	a = create(f, &results, now, JB_OK);
	promos.promotion_ids = (struct bind_ids){ ids, 2 };
	b = create(f, &promos, now, JB_OK);
	create(f, &promos, now, JB_EINVALID); /* the promotions are on an open notice */
	assert_int_equal(lodge(f, &resident, b, 1, "王小明", "13812345678", now, "10.5.0.1", &c), JB_OK);
	assert_int_equal(notice_close_due(f->d, at("2025-10-13", 23)), 0);
	assert_int_equal(notice_close_due(f->d, at("2025-10-14", 1)), 1);
	assert_int_equal(notice_get(f->d, f->a, 1, a, &n), 0);
	assert_string_equal(n.state, "closed");
	assert_string_equal(n.outcome, "无异议");
	assert_string_equal(n.closed_by, "cli"); /* the system, as the audit log names the command line */
	assert_int_equal(notice_get(f->d, f->a, 1, b, &n), 0);
	assert_string_equal(n.state, "open");
	assert_int_equal(answer(f, &admin, 1, "dismissed", at("2025-10-14", 9)), JB_OK);
	assert_int_equal(notice_close_due(f->d, at("2025-10-14", 10)), 1);
	assert_int_equal(notice_get(f->d, f->a, 1, b, &n), 0);
	assert_string_equal(n.outcome, "异议已答复");
	assert_int_equal(scalar(f->d, "SELECT count(*) FROM claim WHERE final_at IS NOT NULL"), 3);
	assert_int_equal(notice_close_due(f->d, at("2025-10-15", 10)), 0);
}

#define ALL(f) \
	cmocka_unit_test_prestate_setup_teardown(a_results_notice_takes_the_accepted_claims_and_counts_working_days, setup, tenant_fixture_teardown, f), \
	cmocka_unit_test_prestate_setup_teardown(objections_need_a_real_name_a_contact_and_the_period, setup, tenant_fixture_teardown, f), \
	cmocka_unit_test_prestate_setup_teardown(residents_are_limited_per_address_signed_in_users_are_not, setup, tenant_fixture_teardown, f), \
	cmocka_unit_test_prestate_setup_teardown(closing_waits_for_the_period_and_every_answer, setup, tenant_fixture_teardown, f), \
	cmocka_unit_test_prestate_setup_teardown(an_upheld_objection_holds_its_item_back, setup, tenant_fixture_teardown, f), \
	cmocka_unit_test_prestate_setup_teardown(the_background_task_closes_notices_that_are_due, setup, tenant_fixture_teardown, f)

int main(void)
{
	const struct CMUnitTest lite[] = { ALL(&sqlite_fx) };
	const struct CMUnitTest pg[] = { ALL(&pg_fx) };
	int failed = cmocka_run_group_tests_name("notice (sqlite)", lite, NULL, NULL);

	if (testdb_pg_wanted("test_notice", &failed))
		failed += cmocka_run_group_tests_name("notice (postgres)", pg, NULL, NULL);
	return failed;
}
