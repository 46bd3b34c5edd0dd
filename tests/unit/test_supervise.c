/* test_supervise.c - the rules of 督办, 延期 and 意见交流 on both stores, at
 * clocks the tests set (struct ctx.now, notify_digest_run's now): notices
 * only on red claims, numbered per year, answered once by the owner or the
 * lead; escalation and reminders once; extensions before the deadline,
 * one pending, approval moving the deadline; comments editable for 15
 * minutes by their author; one digest per user and day from 08:00. */
#include "testdb.h"

#include "domain/comment.h"
#include "domain/notify.h"
#include "domain/perm.h"
#include "domain/supervise.h"

static struct tenant_fixture sqlite_fx = { .s.kind = DB_SQLITE, .name = "supervise" };
static struct tenant_fixture pg_fx = { .s.kind = DB_POSTGRES, .name = "supervise" };

#define DAY 86400
/* 2027-03-10 00:00 Asia/Shanghai. */
#define T0 ((int64_t)1804636800 - 8 * 3600)

static const struct principal admin = { .tenant_id = 1, .user_id = 1, .login = "admin", .roles = ROLE_ADMIN,
					.person_id = 1, .via = VIA_COOKIE };
static const struct principal owner = { .tenant_id = 1, .user_id = 2, .login = "owner", .roles = ROLE_CADRE,
					.person_id = 2, .unit_id = 1, .via = VIA_COOKIE };
static const struct principal lead = { .tenant_id = 1, .user_id = 3, .login = "lead", .roles = ROLE_CADRE,
				       .person_id = 3, .unit_id = 1, .via = VIA_COOKIE };
static const struct principal stranger = { .tenant_id = 1, .user_id = 4, .login = "other", .roles = ROLE_CADRE,
					   .person_id = 4, .unit_id = 1, .via = VIA_COOKIE };
static const struct principal leader = { .tenant_id = 1, .user_id = 5, .login = "leader", .roles = ROLE_LEADER,
					 .via = VIA_COOKIE };

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

/* Claim 1 (red: milestone due T0 - 2 days) and claim 2 (green), both
 * signed, owner person 2, lead person 3, deadline T0 + 20 days. */
static int setup(void **state)
{
	struct tenant_fixture *f = *state;
	char sql[1024];

	tenant_fixture_setup(state);
	exec_ok(f->d, "INSERT INTO unit (tenant_id, id, name, kind) VALUES (1, 1, '住建局', 'county_dept')");
	exec_ok(f->d, "INSERT INTO person (tenant_id, id, name, unit_id, rank) VALUES (1, 1, '管理', 1, 'section'),"
		      " (1, 2, '张三', 1, 'section'), (1, 3, '李四', 1, 'section'), (1, 4, '王五', 1, 'section')");
	exec_ok(f->d, "INSERT INTO app_user (tenant_id, id, login, password_hash, person_id, unit_id, created_at, password_at)"
		      " VALUES (1, 1, 'admin', 'x', 1, 1, 0, 0), (1, 2, 'owner', 'x', 2, 1, 0, 0), (1, 3, 'lead', 'x', 3, 1, 0, 0),"
		      " (1, 4, 'other', 'x', 4, 1, 0, 0), (1, 5, 'leader', 'x', NULL, NULL, 0, 0)");
	exec_ok(f->d, "INSERT INTO user_role (tenant_id, user_id, role) VALUES (1, 1, 'admin'), (1, 2, 'cadre'),"
		      " (1, 3, 'cadre'), (1, 4, 'cadre'), (1, 5, 'leader')");
	exec_ok(f->d, "INSERT INTO batch (tenant_id, id, name, year, phase, opens_at, closes_at)"
		      " VALUES (1, 1, '2027年第一批', 2027, 'working', 0, 0)");
	exec_ok(f->d, "INSERT INTO category (tenant_id, id, name, position) VALUES (1, 1, '民生发展类', 1)");
	exec_ok(f->d, "INSERT INTO problem (tenant_id, id, batch_id, category_id, title, description, proposer_name,"
		      " state, is_public, created_at, updated_at) VALUES (1, 1, 1, 1, '老旧小区改造', '', '', 'in_progress', 1, 0, 0),"
		      " (1, 2, 1, 1, '停车难', '', '', 'in_progress', 1, 0, 0)");
	snprintf(sql, sizeof(sql),
		 "INSERT INTO claim (tenant_id, id, problem_id, unit_id, lead_person_id, owner_person_id, state, deadline,"
		 " applied_at, approved_at, signed_at) VALUES (1, 1, 1, 1, 3, 2, 'signed', %lld, 0, 0, %lld),"
		 " (1, 2, 2, 1, 3, 2, 'signed', %lld, 0, 0, %lld)",
		 (long long)(T0 + 20 * DAY), (long long)(T0 - 5 * DAY), (long long)(T0 + 20 * DAY), (long long)(T0 - 5 * DAY));
	exec_ok(f->d, sql);
	exec_ok(f->d, "INSERT INTO claim_member (tenant_id, claim_id, person_id, unit_id, role) VALUES"
		      " (1, 1, 2, 1, 'owner'), (1, 1, 3, 1, 'lead'), (1, 2, 2, 1, 'owner'), (1, 2, 3, 1, 'lead')");
	snprintf(sql, sizeof(sql), "INSERT INTO milestone (tenant_id, id, claim_id, title, due_at) VALUES"
		 " (1, 1, 1, '方案', %lld), (1, 2, 2, '施工', %lld)", (long long)(T0 - 2 * DAY), (long long)(T0 + 2 * DAY));
	exec_ok(f->d, sql);
	exec_ok(f->d, "INSERT INTO id_seq (tenant_id, name, next_id) VALUES (1, 'milestone', 2)");
	return 0;
}

static void ctx_at(struct tenant_fixture *f, struct ctx *c, const struct principal *who, int64_t now)
{
	ctx_init(c, f->d, f->a, who, "10.0.0.1");
	c->now = now;
}

static int64_t issue(struct tenant_fixture *f, int64_t claim, int64_t now, int expect)
{
	struct supervision_in in = { "节点逾期，请说明", now + 3 * DAY };
	struct ctx c;
	int64_t id;

	ctx_at(f, &c, &admin, now);
	assert_int_equal(supervision_issue(&c, claim, &in, &id), expect);
	return id;
}

static void notices_on_red_claims_only_numbered_answered_once(void **state)
{
	struct tenant_fixture *f = *state;
	struct supervision_in bad = { "请答复", T0 }; /* today */
	struct reply_in rep = { "已整改" };
	struct supervision s;
	struct ctx c;
	int64_t id, id2;

	issue(f, 2, T0, JB_ECONFLICT);
	ctx_at(f, &c, &admin, T0);
	assert_int_equal(supervision_issue(&c, 1, &bad, &id), JB_EINVALID);
	assert_string_equal(c.errs[0].field, "reply_by");
	ctx_at(f, &c, &owner, T0);
	assert_int_equal(supervision_issue(&c, 1, &(struct supervision_in){ "x", T0 + 3 * DAY }, &id), JB_EDENIED);
	id = issue(f, 1, T0, JB_OK);
	id2 = issue(f, 1, T0 + DAY, JB_OK);
	assert_int_equal(supervision_get(f->d, f->a, 1, id2, T0, &s), 0);
	assert_string_equal(s.number, "督〔2027〕2号");
	/* The owner and the lead were told, once each per notice. */
	assert_int_equal(scalar(f->d, "SELECT count(*) FROM notification WHERE kind = 'claim.supervise' AND user_id = 2"), 2);
	assert_int_equal(scalar(f->d, "SELECT count(*) FROM notification WHERE kind = 'claim.supervise' AND user_id = 3"), 2);
	ctx_at(f, &c, &stranger, T0);
	assert_int_equal(supervision_reply(&c, id, &rep), JB_EDENIED);
	ctx_at(f, &c, &lead, T0 + 3600);
	assert_int_equal(supervision_reply(&c, id, &rep), JB_OK);
	ctx_at(f, &c, &owner, T0 + 7200);
	assert_int_equal(supervision_reply(&c, id, &rep), JB_ECONFLICT);
	assert_int_equal(supervision_get(f->d, f->a, 1, id, T0, &s), 0);
	assert_string_equal(s.replied_by, "lead");
	assert_false(s.overdue);
}

static void overdue_notices_are_escalated_once(void **state)
{
	struct tenant_fixture *f = *state;
	struct supervision s;
	int64_t id = issue(f, 1, T0, JB_OK); /* reply by T0 + 3 days */

	assert_true(notify_digest_run(f->d, T0 + 3 * DAY + 3600) >= 0);
	assert_int_equal(scalar(f->d, "SELECT count(*) FROM notification WHERE kind = 'supervision.escalate'"), 0);
	assert_int_equal(supervision_get(f->d, f->a, 1, id, T0 + 4 * DAY, &s), 0);
	assert_true(s.overdue);
	assert_true(notify_digest_run(f->d, T0 + 4 * DAY) > 0);
	/* The admin and the leader. */
	assert_int_equal(scalar(f->d, "SELECT count(*) FROM notification WHERE kind = 'supervision.escalate'"), 2);
	assert_true(notify_digest_run(f->d, T0 + 5 * DAY) >= 0);
	assert_int_equal(scalar(f->d, "SELECT count(*) FROM notification WHERE kind = 'supervision.escalate'"), 2);
	assert_int_equal(scalar(f->d, "SELECT count(*) FROM audit_event WHERE action = 'supervision.escalate'"), 1);
}

static void extensions_before_the_deadline_one_at_a_time(void **state)
{
	struct tenant_fixture *f = *state;
	struct extend_in early = { "资金未到位", T0 + 10 * DAY }, good = { "资金未到位", T0 + 40 * DAY };
	struct decide_in none = { NULL }, why = { "理由不足" };
	struct ctx c;
	int64_t id, id2;

	ctx_at(f, &c, &lead, T0);
	assert_int_equal(claim_extend(&c, 2, &good, &id), JB_EDENIED);
	ctx_at(f, &c, &owner, T0);
	assert_int_equal(claim_extend(&c, 2, &early, &id), JB_EINVALID);
	ctx_at(f, &c, &owner, T0);
	assert_int_equal(claim_extend(&c, 2, &good, &id), JB_OK);
	ctx_at(f, &c, &owner, T0);
	assert_int_equal(claim_extend(&c, 2, &good, &id2), JB_ECONFLICT);
	ctx_at(f, &c, &admin, T0);
	assert_int_equal(extension_decide(&c, id, false, &none), JB_EINVALID);
	ctx_at(f, &c, &admin, T0);
	assert_int_equal(extension_decide(&c, id, false, &why), JB_OK);
	assert_int_equal(scalar(f->d, "SELECT deadline FROM claim WHERE id = 2"), T0 + 20 * DAY);
	ctx_at(f, &c, &owner, T0 + DAY);
	assert_int_equal(claim_extend(&c, 2, &good, &id2), JB_OK);
	ctx_at(f, &c, &admin, T0 + DAY);
	assert_int_equal(extension_decide(&c, id2, true, &none), JB_OK);
	assert_int_equal(scalar(f->d, "SELECT deadline FROM claim WHERE id = 2"), T0 + 40 * DAY);
	assert_int_equal(scalar(f->d, "SELECT old_deadline FROM extension WHERE id = 2"), T0 + 20 * DAY);
	ctx_at(f, &c, &admin, T0 + DAY);
	assert_int_equal(extension_decide(&c, id2, false, &why), JB_ECONFLICT);
	/* Past the deadline: too late. */
	ctx_at(f, &c, &owner, T0 + 41 * DAY);
	assert_int_equal(claim_extend(&c, 2, &(struct extend_in){ "晚了", T0 + 60 * DAY }, &id), JB_ECONFLICT);
}

static void comments_edited_by_their_author_for_fifteen_minutes(void **state)
{
	struct tenant_fixture *f = *state;
	struct comment_in body = { "<b>意见</b>" }, edit = { "改过的意见" };
	struct comment *ks;
	struct ctx c;
	int64_t id;
	int n;

	ctx_at(f, &c, &stranger, T0);
	assert_int_equal(comment_write(&c, 1, &body, &id), JB_EDENIED);
	ctx_at(f, &c, &owner, T0);
	assert_int_equal(comment_write(&c, 1, &body, &id), JB_OK);
	ctx_at(f, &c, &admin, T0 + 60);
	assert_int_equal(comment_edit(&c, id, &edit), JB_EDENIED);
	ctx_at(f, &c, &owner, T0 + COMMENT_EDIT_SECONDS);
	assert_int_equal(comment_edit(&c, id, &edit), JB_OK);
	ctx_at(f, &c, &owner, T0 + COMMENT_EDIT_SECONDS + 1);
	assert_int_equal(comment_edit(&c, id, &edit), JB_ECONFLICT);
	assert_non_null(strstr(c.errs[0].message, "15 分钟"));
	assert_int_equal(comment_list(f->d, f->a, &leader, 1, T0, &ks, &n), JB_OK);
	assert_int_equal(n, 1);
	assert_string_equal(ks[0].body, "改过的意见");
	assert_int_equal(comment_list(f->d, f->a, &stranger, 1, T0, &ks, &n), JB_EDENIED);
	ctx_at(f, &c, &owner, T0);
	assert_int_equal(comment_remove(&c, id), JB_EDENIED);
	ctx_at(f, &c, &admin, T0 + 100);
	assert_int_equal(comment_remove(&c, id), JB_OK);
	assert_int_equal(comment_list(f->d, f->a, &owner, 1, T0, &ks, &n), JB_OK);
	assert_int_equal(ks[0].removed_at, T0 + 100);
	assert_string_equal(ks[0].body, "");
	assert_false(ks[0].editable);
}

static void one_digest_per_user_and_day_from_eight(void **state)
{
	struct tenant_fixture *f = *state;

	issue(f, 1, T0, JB_OK);
	assert_true(notify_digest_run(f->d, T0 + 7 * 3600) >= 0);
	assert_int_equal(scalar(f->d, "SELECT count(*) FROM notification_digest"), 0);
	/* Milestone 2 is due in two days: reminded once. */
	assert_int_equal(scalar(f->d, "SELECT count(*) FROM notification WHERE kind = 'milestone.due' AND object_id = 2"), 2);
	assert_true(notify_digest_run(f->d, T0 + 8 * 3600) > 0);
	assert_int_equal(scalar(f->d, "SELECT count(*) FROM notification_digest WHERE user_id = 2 AND day = '2027-03-10'"), 1);
	assert_int_equal(scalar(f->d, "SELECT count(*) FROM notification WHERE digest_id IS NULL AND read_at IS NULL"), 0);
	assert_int_equal(notify_digest_run(f->d, T0 + 9 * 3600), 0);
	assert_int_equal(scalar(f->d, "SELECT count(*) FROM notification WHERE kind = 'milestone.due' AND object_id = 2"), 2);
	assert_int_equal(scalar(f->d, "SELECT n FROM notification_digest WHERE user_id = 2"),
			 scalar(f->d, "SELECT count(*) FROM notification WHERE user_id = 2"));
}

#define ALL(f) \
	cmocka_unit_test_prestate_setup_teardown(notices_on_red_claims_only_numbered_answered_once, setup, tenant_fixture_teardown, f), \
	cmocka_unit_test_prestate_setup_teardown(overdue_notices_are_escalated_once, setup, tenant_fixture_teardown, f), \
	cmocka_unit_test_prestate_setup_teardown(extensions_before_the_deadline_one_at_a_time, setup, tenant_fixture_teardown, f), \
	cmocka_unit_test_prestate_setup_teardown(comments_edited_by_their_author_for_fifteen_minutes, setup, tenant_fixture_teardown, f), \
	cmocka_unit_test_prestate_setup_teardown(one_digest_per_user_and_day_from_eight, setup, tenant_fixture_teardown, f)

int main(void)
{
	const struct CMUnitTest lite[] = { ALL(&sqlite_fx) };
	const struct CMUnitTest pg[] = { ALL(&pg_fx) };
	int failed = cmocka_run_group_tests_name("supervise (sqlite)", lite, NULL, NULL);

	if (testdb_pg_wanted("test_supervise", &failed))
		failed += cmocka_run_group_tests_name("supervise (postgres)", pg, NULL, NULL);
	return failed;
}
