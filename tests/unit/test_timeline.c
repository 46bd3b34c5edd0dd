/* test_timeline.c - a problem's 办理记录 from its audit entries: titles and
 * details in Chinese, oldest first, actors as the reader may see them, a
 * resident's contact never shown; the audit page's words for the other
 * entries; every recorded or refused action has a title (both stores). */
#include "testdb.h"

#include "domain/labels.h"
#include "domain/perm.h"
#include "domain/timeline.h"
#include "domain/transition.h"

static struct tenant_fixture sqlite_fx = { .s.kind = DB_SQLITE, .name = "timeline" };
static struct tenant_fixture pg_fx = { .s.kind = DB_POSTGRES, .name = "timeline" };

static const struct principal admin = { .tenant_id = 1, .user_id = 2, .login = "admin", .roles = ROLE_ADMIN,
					.via = VIA_COOKIE };
static const struct principal cadre = { .tenant_id = 1, .user_id = 1, .login = "zhang", .roles = ROLE_CADRE,
					.via = VIA_COOKIE };

#define PHONE "13912345678"
#define RESIDENT "王五"

static void exec_ok(db *d, const char *sql)
{
	if (db_exec(d, sql) < 0)
		fail_msg("%s: %s", sql, db_errmsg(d));
}

static int setup(void **state)
{
	struct tenant_fixture *f = *state;

	tenant_fixture_setup(state);
	exec_ok(f->d, "INSERT INTO unit (tenant_id, id, name, kind) VALUES (1, 1, '住建局', 'county_dept'),"
		      " (1, 2, '县委组织部', 'county_dept')");
	exec_ok(f->d, "INSERT INTO person (tenant_id, id, name, unit_id, rank) VALUES (1, 1, '张三', 1, 'section'),"
		      " (1, 2, '李四', 2, 'section')");
	exec_ok(f->d, "INSERT INTO app_user (tenant_id, id, login, password_hash, person_id, unit_id, created_at, password_at)"
		      " VALUES (1, 1, 'zhang', 'x', 1, 1, 0, 0), (1, 2, 'admin', 'x', 2, NULL, 0, 0),"
		      " (1, 3, 'nobody', 'x', NULL, NULL, 0, 0)");
	exec_ok(f->d, "INSERT INTO user_role (tenant_id, user_id, role) VALUES (1, 1, 'cadre'), (1, 2, 'admin'),"
		      " (1, 3, 'evaluator'), (1, 3, 'leader')");
	exec_ok(f->d, "INSERT INTO batch (tenant_id, id, name, year, phase, opens_at, closes_at)"
		      " VALUES (1, 1, '2027年第一批', 2027, 'screening', 0, 0)");
	exec_ok(f->d, "INSERT INTO category (tenant_id, id, name, position) VALUES (1, 1, '民生发展类', 1),"
		      " (1, 2, '项目建设类', 2)");
	exec_ok(f->d, "INSERT INTO problem (tenant_id, id, batch_id, category_id, title, description, proposer_name,"
		      " state, is_public, created_at, updated_at) VALUES"
		      " (1, 5, 1, 1, '小区停车难', '', '', 'published', 1, 0, 0),"
		      " (1, 12, 1, 1, '县城停车难', '', '', 'published', 1, 0, 0),"
		      " (1, 13, 1, 1, '内部问题', '', '', 'proposed', 1, 0, 0)");
	return 0;
}

/* One entry, committed. */
static void record(struct tenant_fixture *f, const char *actor, const char *action, const char *type, int64_t id,
		   const char *before, const char *after, const char *outcome)
{
	if (db_begin(f->d, DB_WRITE) < 0 ||
	    audit_record_outcome(f->d, 1, actor, action, type, id, before, after, "10.0.0.1", outcome) < 0 ||
	    db_commit(f->d) < 0)
		fail_msg("record %s: %s", action, db_errmsg(f->d));
}

static void problem_entry(struct tenant_fixture *f, const char *actor, const char *action, int64_t id, const char *before,
			  const char *after)
{
	record(f, actor, action, "problem", id, before, after, AUDIT_OK);
}

static struct timeline_entry *timeline(struct tenant_fixture *f, int64_t id, const struct principal *who, int *n)
{
	struct timeline_entry *e;
	bool more = true;

	assert_int_equal(timeline_problem(f->d, f->a, 1, id, who, &e, n, &more), 0);
	assert_false(more);
	return e;
}

/* No text a reader gets holds the resident's contact, a code or JSON. */
static void assert_clean(const struct audit_text *t)
{
	const char *fields[] = { t->title, t->detail, t->actor, t->login, t->object, t->reason };

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		if (!fields[i])
			continue;
		assert_null(strstr(fields[i], PHONE));
		assert_null(strstr(fields[i], RESIDENT));
		assert_null(strchr(fields[i], '{'));
		assert_null(strstr(fields[i], "problem."));
	}
}

static void a_problem_history_reads_in_chinese_oldest_first(void **state)
{
	struct tenant_fixture *f = *state;
	struct timeline_entry *e;
	int n;

	problem_entry(f, "anonymous", "problem.propose_public", 5, NULL,
		      "{\"title\":\"小区停车难\",\"category\":\"民生发展类\",\"batch_id\":1,"
		      "\"contact_name\":\"" RESIDENT "\",\"contact_phone\":\"" PHONE "\",\"phone\":\"" PHONE "\"}");
	problem_entry(f, "admin", "problem.screen_update", 5, "{\"category\":\"民生发展类\",\"priority\":1}",
		      "{\"category\":\"民生发展类\",\"priority\":3}");
	record(f, "zhang", "problem.select", "problem", 5, NULL, "{\"reason\":\"permission\"}", AUDIT_DENIED);
	problem_entry(f, "admin", "problem.select", 5, NULL, "{\"from\":\"proposed\",\"to\":\"selected\"}");
	problem_entry(f, "admin", "problem.select", 12, NULL, "{\"from\":\"proposed\",\"to\":\"selected\"}");
	problem_entry(f, "nobody", "problem.publish", 5, NULL,
		      "{\"from\":\"selected\",\"to\":\"published\",\"publication_id\":4,\"round\":2}");

	/* Anonymous: no priority, no refusal, no other problem; actors by unit or role. */
	e = timeline(f, 5, NULL, &n);
	assert_int_equal(n, 3);
	assert_string_equal(e[0].t.title, "群众提出难题");
	assert_string_equal(e[0].t.detail, "“小区停车难”；类别：民生发展类；批次：2027年第一批");
	assert_string_equal(e[0].t.actor, "群众");
	assert_string_equal(e[0].action, "problem.propose_public");
	assert_null(e[0].t.from);
	assert_string_equal(e[1].t.title, "遴选入选");
	assert_string_equal(e[1].t.detail, "由“待遴选”变为“已遴选”");
	assert_string_equal(e[1].t.actor, "县委组织部"); /* the person's unit: the account has none of its own */
	assert_null(e[1].t.login);
	assert_string_equal(e[1].t.from, "proposed");
	assert_string_equal(e[1].t.to, "selected");
	assert_null(e[1].t.reason);
	assert_string_equal(e[2].t.title, "发榜");
	assert_string_equal(e[2].t.detail, "由“已遴选”变为“待揭榜”；第2轮发榜");
	assert_string_equal(e[2].t.actor, "考评组成员"); /* no unit: the first of its roles */
	assert_true(e[0].at <= e[1].at && e[1].at <= e[2].at);
	for (int i = 0; i < n; i++)
		assert_clean(&e[i].t);

	/* A signed-in cadre reads what the public reads. */
	e = timeline(f, 5, &cadre, &n);
	assert_int_equal(n, 3);
	assert_string_equal(e[1].t.actor, "县委组织部");

	/* A reader of the audit log: the priority, names and logins. */
	e = timeline(f, 5, &admin, &n);
	assert_int_equal(n, 4);
	assert_string_equal(e[1].t.title, "调整类别或优先级");
	assert_string_equal(e[1].t.detail, "优先级：1 → 3");
	assert_string_equal(e[1].t.actor, "李四（县委组织部）");
	assert_string_equal(e[1].t.login, "admin");
	assert_string_equal(e[3].t.actor, "nobody");
	assert_string_equal(e[3].t.login, "nobody");
	assert_string_equal(e[0].t.actor, "群众");
	assert_null(e[0].t.login);
	for (int i = 0; i < n; i++)
		assert_clean(&e[i].t);

	/* A problem with no entries has an empty history. */
	e = timeline(f, 13, NULL, &n);
	assert_int_equal(n, 0);
}

static void rejections_merges_returns_and_withdrawals_say_why(void **state)
{
	struct tenant_fixture *f = *state;
	struct timeline_entry *e;
	int n;

	problem_entry(f, "admin", "problem.return", 5, NULL,
		      "{\"from\":\"proposed\",\"to\":\"proposed\",\"reason\":\"请补充涉及的小区名单\"}");
	problem_entry(f, "admin", "problem.reject", 5, NULL,
		      "{\"from\":\"proposed\",\"to\":\"rejected\",\"reason\":\"不属于本次征集范围\"}");
	problem_entry(f, "admin", "problem.merge", 5, NULL, "{\"from\":\"selected\",\"to\":\"merged\",\"into\":12}");
	problem_entry(f, "admin", "problem.merge", 5, NULL, "{\"from\":\"proposed\",\"to\":\"merged\",\"into\":13}");
	problem_entry(f, "zhang", "problem.withdraw", 5, NULL,
		      "{\"from\":\"published\",\"to\":\"withdrawn\",\"reason\":\"已由县直单位日常工作解决\"}");
	problem_entry(f, "cli", "problem.revise", 5, "{\"title\":\"旧\",\"description\":\"同\"}",
		      "{\"title\":\"新\",\"description\":\"同\",\"expected_outcome\":\"年内解决\"}");

	e = timeline(f, 5, NULL, &n);
	assert_int_equal(n, 6);
	assert_string_equal(e[0].t.title, "退回补充");
	assert_string_equal(e[0].t.detail, "理由：请补充涉及的小区名单"); /* the state stays */
	assert_string_equal(e[0].t.reason, "请补充涉及的小区名单");
	assert_string_equal(e[1].t.title, "不予入选");
	assert_string_equal(e[1].t.detail, "由“待遴选”变为“未入选”；理由：不属于本次征集范围");
	assert_string_equal(e[2].t.title, "合并到其他难题");
	assert_string_equal(e[2].t.detail, "由“已遴选”变为“已合并”；并入：#12 县城停车难");
	/* The title of a problem that is not public is for readers of the audit log only. */
	assert_string_equal(e[3].t.detail, "由“待遴选”变为“已合并”；并入：#13");
	assert_string_equal(e[4].t.title, "撤榜");
	assert_string_equal(e[4].t.detail, "由“待揭榜”变为“已撤榜”；理由：已由县直单位日常工作解决");
	assert_string_equal(e[4].t.actor, "住建局");
	assert_string_equal(e[5].t.title, "补充修改");
	assert_string_equal(e[5].t.detail, "修改了标题、期望成效");
	assert_string_equal(e[5].t.actor, "系统");
	e = timeline(f, 5, &admin, &n);
	assert_string_equal(e[3].t.detail, "由“待遴选”变为“已合并”；并入：#13 内部问题");
	assert_string_equal(e[4].t.actor, "张三（住建局）");
	assert_string_equal(e[4].t.login, "zhang");
}

static void a_long_history_is_read_page_after_page(void **state)
{
	struct tenant_fixture *f = *state;
	struct timeline_entry *e;
	int n;

	if (db_begin(f->d, DB_WRITE) < 0)
		fail_msg("%s", db_errmsg(f->d));
	for (int i = 0; i < 450; i++)
		if (audit_record(f->d, 1, "admin", i % 2 ? "problem.screen_update" : "problem.select", "problem", 12,
				 NULL, i % 2 ? "{\"priority\":2}" : "{\"from\":\"proposed\",\"to\":\"selected\"}", "") < 0)
			fail_msg("%s", db_errmsg(f->d));
	if (db_commit(f->d) < 0)
		fail_msg("%s", db_errmsg(f->d));
	e = timeline(f, 12, NULL, &n);
	assert_int_equal(n, 225); /* the priorities are left out, across three pages of 200 */
	e = timeline(f, 12, &admin, &n);
	assert_int_equal(n, 450);
	assert_string_equal(e[449].t.title, "调整类别或优先级");
	assert_string_equal(e[449].t.detail, "优先级：2");
}

static const char *detail_of(struct tenant_fixture *f, const char *actor, const char *action, const char *type,
			     int64_t id, const char *before, const char *after, const char *outcome,
			     struct audit_text *t)
{
	struct audit_entry e = { .id = 1, .at = 0, .object_id = id, .actor = actor, .action = action,
				 .object_type = type, .before_json = before ? before : "", .after_json = after ? after : "",
				 .client_addr = "", .outcome = outcome };

	assert_int_equal(timeline_describe(f->d, f->a, 1, &admin, &e, 1, t), 0);
	assert_clean(t);
	return t->detail;
}

static void the_audit_page_has_words_for_every_entry(void **state)
{
	struct tenant_fixture *f = *state;
	struct audit_text t;

	assert_string_equal(detail_of(f, "admin", "batch.create", "batch", 1, NULL,
				      "{\"by_dates\":true,\"name\":\"2027年第一批\",\"phase\":null,\"phases\":["
				      "{\"phase\":\"collecting\",\"starts\":\"2027-01-01\",\"ends\":\"2027-02-28\"}],\"year\":2027}",
				      AUDIT_OK, &t),
			    "名称“2027年第一批”；年度 2027；按日期切换阶段；征集 2027-01-01 至 2027-02-28");
	assert_string_equal(t.title, "创建批次");
	assert_string_equal(t.object, "批次 #1 2027年第一批");
	assert_string_equal(t.actor, "李四（县委组织部）");
	assert_string_equal(detail_of(f, "admin", "batch.update", "batch", 1,
				      "{\"by_dates\":false,\"name\":\"甲\",\"phase\":\"collecting\",\"phases\":[],\"year\":2027}",
				      "{\"by_dates\":false,\"name\":\"乙\",\"phase\":\"screening\",\"phases\":[],\"year\":2027}",
				      AUDIT_OK, &t),
			    "名称：“甲” → “乙”；当前阶段：征集 → 遴选");
	assert_string_equal(detail_of(f, "admin", "user.roles", "user", 3, "{\"roles\":[\"cadre\"]}",
				      "{\"roles\":[\"cadre\",\"evaluator\"]}", AUDIT_OK, &t),
			    "干部 → 干部、考评组成员");
	assert_string_equal(t.object, "用户 #3 nobody");
	assert_string_equal(detail_of(f, "admin", "user.link", "user", 3, "{\"person_id\":null,\"unit_id\":1}",
				      "{\"person_id\":1,\"unit_id\":1}", AUDIT_OK, &t),
			    "人员：无 → 张三");
	assert_string_equal(detail_of(f, "admin", "user.create", "user", 1, NULL,
				      "{\"disabled\":false,\"login\":\"zhang\",\"must_change\":true,\"person_id\":1,"
				      "\"roles\":[\"cadre\"],\"unit_id\":1}", AUDIT_OK, &t),
			    "登录名 zhang；角色：干部；人员：张三；单位：住建局；首次登录须修改密码");
	assert_string_equal(detail_of(f, "anonymous", "session.create", "user", 1, NULL,
				      "{\"login\":\"zhang\",\"reason\":\"password\"}", AUDIT_FAILED, &t),
			    "原因：密码错误；登录名“zhang”");
	assert_string_equal(t.title, "登录");
	assert_string_equal(t.actor, "未登录访客");
	assert_null(t.login);
	assert_string_equal(detail_of(f, "zhang", "user.manage", "user", 2, NULL, "{\"reason\":\"permission\"}",
				      AUDIT_DENIED, &t),
			    "原因：没有权限");
	assert_string_equal(t.title, "管理用户");
	assert_string_equal(detail_of(f, "admin", "token.create", "api_token", 9, NULL,
				      "{\"name\":\"报表\",\"user_id\":2}", AUDIT_OK, &t),
			    "名称“报表”");
	assert_string_equal(t.object, "API 令牌 #9"); /* no such token any more: the number only */
	assert_string_equal(detail_of(f, "cli", "tenant.domain_add", "tenant", 1, NULL, "{\"host\":\"a.example\"}",
				      AUDIT_OK, &t),
			    "域名 a.example");
	assert_string_equal(t.object, "租户 #1 A");
	assert_string_equal(t.actor, "系统");
	assert_string_equal(detail_of(f, "admin", "publication.create", "publication", 4, NULL,
				      "{\"batch_id\":1,\"round\":2,\"n\":17}", AUDIT_OK, &t),
			    "2027年第一批；第2轮发榜；共 17 个难题");
	assert_string_equal(detail_of(f, "anonymous", "complaint.create", "complaint", 3, NULL,
				      "{\"kind\":\"complaint\",\"ref\":\"TS-2027-0003\",\"contact\":\"" PHONE "\",\"name\":\"" RESIDENT "\"}",
				      AUDIT_OK, &t),
			    "投诉；编号 TS-2027-0003");
	assert_string_equal(t.actor, "群众");
	/* An action nobody has named yet is "其他操作", never its code. */
	assert_string_equal(detail_of(f, "admin", "frobnicate.now", "gizmo", 7, "not json", "[1]", AUDIT_OK, &t), "");
	assert_string_equal(t.title, "其他操作");
	assert_string_equal(t.object, "其他对象 #7");
}

/* Every action that can reach the log has a title: what perm_check() may
 * refuse, the problem transitions (in the transition table's own words),
 * and what the code records. */
static void every_action_has_a_title(void **state)
{
	static const char *const recorded[] = {
		"session.create", "session.delete", "user.create", "user.disable", "user.enable", "user.roles",
		"user.link", "user.password", "user.password_reset", "token.create", "token.revoke", "batch.create",
		"batch.update", "tenant.domain_add", "tenant.domain_remove", "refusal.summary", "demo.create",
		"problem.propose", "problem.propose_public", "problem.screen_update", "problem.revise",
		"publication.create", "complaint.create", "complaint.answer", "claim.apply", "claim.assign",
		"claim.endorse", "claim.approve", "claim.reject", "claim.accept_assignment", "claim.decline_assignment",
		"claim.sign", "claim.progress", "claim.solve", "claim.return", "claim.withdraw", "problem.claimed",
		"problem.pledged", "problem.solved", "problem.resumed", "problem.reopened", "unknown",
	};
	(void)state;
	for (int i = 0; i < perm_rules_count; i++)
		if (!label_of(audit_actions, perm_rules[i].action))
			fail_msg("no title for the permission '%s'", perm_rules[i].action);
	for (int i = 0; i < ROLE_COUNT; i++)
		assert_non_null(label_of(audit_actions, role_grant_action(1u << i)));
	for (int i = 0; i < problem_transitions_count; i++) {
		char code[64];
		snprintf(code, sizeof(code), "problem.%s", problem_transitions[i].action);
		assert_non_null(label_of(audit_actions, code));
		assert_string_equal(label_of(audit_actions, code), problem_transitions[i].zh);
	}
	for (size_t i = 0; i < sizeof(recorded) / sizeof(recorded[0]); i++)
		if (!label_of(audit_actions, recorded[i]))
			fail_msg("no title for '%s'", recorded[i]);
}

int main(void)
{
	const struct CMUnitTest sqlite_tests[] = {
		cmocka_unit_test(every_action_has_a_title),
		cmocka_unit_test_prestate_setup_teardown(a_problem_history_reads_in_chinese_oldest_first, setup, tenant_fixture_teardown, &sqlite_fx),
		cmocka_unit_test_prestate_setup_teardown(rejections_merges_returns_and_withdrawals_say_why, setup, tenant_fixture_teardown, &sqlite_fx),
		cmocka_unit_test_prestate_setup_teardown(a_long_history_is_read_page_after_page, setup, tenant_fixture_teardown, &sqlite_fx),
		cmocka_unit_test_prestate_setup_teardown(the_audit_page_has_words_for_every_entry, setup, tenant_fixture_teardown, &sqlite_fx),
	};
	const struct CMUnitTest pg_tests[] = {
		cmocka_unit_test_prestate_setup_teardown(a_problem_history_reads_in_chinese_oldest_first, setup, tenant_fixture_teardown, &pg_fx),
		cmocka_unit_test_prestate_setup_teardown(rejections_merges_returns_and_withdrawals_say_why, setup, tenant_fixture_teardown, &pg_fx),
		cmocka_unit_test_prestate_setup_teardown(a_long_history_is_read_page_after_page, setup, tenant_fixture_teardown, &pg_fx),
		cmocka_unit_test_prestate_setup_teardown(the_audit_page_has_words_for_every_entry, setup, tenant_fixture_teardown, &pg_fx),
	};
	int failed = cmocka_run_group_tests_name("timeline (sqlite)", sqlite_tests, NULL, NULL);

	if (testdb_pg_wanted("test_timeline", &failed))
		failed += cmocka_run_group_tests_name("timeline (postgres)", pg_tests, NULL, NULL);
	return failed;
}
