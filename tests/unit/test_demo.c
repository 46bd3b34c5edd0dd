/* test_demo.c - the 滦南 2022 demo reproduces every figure of the report,
 * closed as of 2022-08-31, beside this year's batch open for proposals,
 * on SQLite (a temporary file) and, when JIEBANG_TEST_PG holds a base URL
 * such as postgres://postgres@127.0.0.1:55432/ , on PostgreSQL (a fresh
 * database per test, dropped afterwards). With JIEBANG_REQUIRE_PG=1 a
 * missing JIEBANG_TEST_PG is a failure, not a skip. */
#include "testdb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/batch.h"
#include "domain/demo.h"
#include "domain/demo_users.h"
#include "domain/problem.h"
#include "domain/stats.h"
#include "store/db.h"
#include "util/log.h"

struct fixture {
	struct testdb s;
	db *d;
};

static struct fixture sqlite_fx = { .s.kind = DB_SQLITE };
static struct fixture pg_fx = { .s.kind = DB_POSTGRES };

/* ---- stores ----------------------------------------------------------- */

/* A new empty store of f's kind, not migrated. */
static db *store_new(struct fixture *f)
{
	testdb_make(&f->s, f->s.kind, "demo");
	return testdb_open(f->s.url);
}

static void store_drop(struct fixture *f, db *d)
{
	db_close(d);
	testdb_drop(&f->s);
}

static void migrate_ok(db *d)
{
	char err[256];

	if (db_migrate(d, err, sizeof(err)) < 0)
		fail_msg("%s", err);
}

static int demo_setup(void **state)
{
	struct fixture *f = *state;

	f->d = store_new(f);
	migrate_ok(f->d);
	return 0;
}

static int demo_teardown(void **state)
{
	struct fixture *f = *state;

	store_drop(f, f->d);
	f->d = NULL;
	return 0;
}

/* The moment the tests create the demo at (Beijing time 2027-03-15 10:00),
 * so that runs compare equal; the current batch is then 2027's. */
#define DEMO_NOW INT64_C(1805076000)

static void demo_ok(db *d)
{
	char err[256] = "";

	if (demo_create_at(d, DEMO_NOW, err, sizeof(err)) < 0)
		fail_msg("demo_create_at: %s", err);
}

/* ---- queries (sql must be a literal: statements are cached by address) */

static int64_t q(db *d, const char *sql)
{
	int64_t v = -1;

	if (db_scalar(d, sql, &v, 0) != 0)
		fail_msg("%s: %s", sql, db_errmsg(d));
	return v;
}

static int64_t q1(db *d, const char *sql, int64_t a)
{
	int64_t v = -1;

	if (db_scalar(d, sql, &v, 1, a) != 0)
		fail_msg("%s: %s", sql, db_errmsg(d));
	return v;
}

/* sql with text parameters $1 (and $2 when b is not NULL). */
static int64_t qt(db *d, const char *sql, const char *a, const char *b)
{
	db_stmt *st = db_prepare(d, sql);
	int64_t v = -1;

	if (!st)
		fail_msg("%s: %s", sql, db_errmsg(d));
	db_bind_text(st, 1, a);
	if (b)
		db_bind_text(st, 2, b);
	if (db_step(st) != DB_ROW) {
		const char *why = db_errmsg(d);
		db_done(st);
		fail_msg("%s [%s]: no row: %s", sql, a, why);
	}
	v = db_col_int(st, 0);
	db_done(st);
	return v;
}

/* Beijing-time bounds, UTC epoch seconds */
#define DEC_1_2021 "1638288000"
#define JAN_1_2022 "1640937600"
#define SEP_1_2022 "1661961600"
#define JAN_1_2023 "1672502400"
#define JAN_1_2027 "1798732800"
#define AS_OF_2022 INT64_C(1661961599)  /* 2022-08-31 23:59:59 */

#define CLAIMED "('claimed','in_progress','solved','accepted')"
#define COUNTED "('approved','signed','solved','accepted')"

/* The live claim of the problem titled $1. */
#define CASE_CLAIM \
	"(SELECT c.id FROM claim c JOIN problem p ON p.tenant_id = c.tenant_id AND p.id = c.problem_id" \
	" WHERE c.tenant_id = 1 AND p.title = $1 AND c.state IN " COUNTED ")"

/* ---- the figures ------------------------------------------------------ */

static void check_batch(db *d)
{
	static const char *const names[] = { "项目建设类", "城市建设类", "乡村振兴类", "民生发展类",
		"社会治理类", "队伍建设类", "生态环保类", "其他" };

	assert_int_equal(q(d, "SELECT count(*) FROM tenant WHERE id = 1 AND slug = 'luannan' AND name = '滦南县'"), 1);
	assert_int_equal(q(d, "SELECT count(*) FROM tenant"), 1);
	assert_int_equal(q(d, "SELECT count(*) FROM batch WHERE tenant_id = 1 AND id = 1 AND name = '2022年第一批'"
			   " AND year = 2022 AND phase = 'closed' AND by_dates = 0 AND closes_at = " SEP_1_2022 " - 1"), 1);
	assert_int_equal(q(d, "SELECT count(*) FROM batch"), 2);
	/* dated phases from December 2021 to the end of August 2022, the
	 * proposals within 征集 and the first claim after it */
	assert_int_equal(q(d, "SELECT count(*) FROM batch_phase WHERE tenant_id = 1 AND batch_id = 1"), 4);
	assert_int_equal(q(d, "SELECT max(ends_at) FROM batch_phase WHERE batch_id = 1"), AS_OF_2022);
	assert_int_equal(q(d, "SELECT count(*) FROM problem p JOIN batch_phase ph ON ph.tenant_id = p.tenant_id"
			   " AND ph.batch_id = p.batch_id AND ph.phase = 'collecting'"
			   " WHERE p.batch_id = 1 AND p.created_at BETWEEN ph.starts_at AND ph.ends_at"), 104);
	assert_true(q(d, "SELECT min(c.applied_at) FROM claim c") >
		    q(d, "SELECT ends_at FROM batch_phase WHERE batch_id = 1 AND phase = 'screening'"));
	assert_int_equal(q(d, "SELECT count(*) FROM category WHERE tenant_id = 1"), 8);
	for (int i = 0; i < 8; i++)  /* in this order */
		assert_int_equal(qt(d, "SELECT count(*) FROM category WHERE tenant_id = 1 AND position <"
				    " (SELECT position FROM category WHERE tenant_id = 1 AND name = $1)", names[i], NULL), i);
}

static void check_problems(db *d)
{
	static const int64_t by_cat[] = { 28, 9, 16, 10, 10, 4, 1, 8 };

	assert_int_equal(q(d, "SELECT count(*) FROM problem WHERE tenant_id = 1 AND batch_id = 1"), 104);
	assert_int_equal(q(d, "SELECT count(*) FROM problem"), 110);
	assert_int_equal(q(d, "SELECT count(*) FROM problem WHERE batch_id = 1 AND state IN ('proposed','rejected','merged','withdrawn')"), 0);
	assert_int_equal(q(d, "SELECT count(*) FROM problem WHERE state IN " CLAIMED), 86);
	assert_int_equal(q(d, "SELECT count(*) FROM problem WHERE state = 'published'"), 18);
	assert_int_equal(q(d, "SELECT count(*) FROM problem WHERE state = 'solved'"), 33);
	assert_int_equal(q(d, "SELECT count(*) FROM problem WHERE state = 'accepted'"), 0);
	int64_t approved = q(d, "SELECT count(*) FROM problem WHERE state = 'claimed'");
	int64_t working = q(d, "SELECT count(*) FROM problem WHERE state = 'in_progress'");
	assert_int_equal(approved + working, 86 - 33);
	assert_true(approved >= 1 && approved <= 8);  /* a few without a signed pledge yet */
	assert_true(working > approved);
	for (int i = 0; i < 8; i++)
		assert_int_equal(q1(d, "SELECT count(*) FROM problem p JOIN category c"
				    " ON c.tenant_id = p.tenant_id AND c.id = p.category_id"
				    " WHERE c.position = $1 AND p.state IN " CLAIMED, i + 1), by_cat[i]);
	assert_int_equal(q(d, "SELECT count(*) FROM problem WHERE batch_id = 1 AND (proposer_unit_id IS NULL OR proposer_name = '')"), 0);
	assert_int_equal(q(d, "SELECT count(*) FROM problem WHERE batch_id = 1 AND (created_at < " DEC_1_2021
			   " OR created_at >= " JAN_1_2022 " OR updated_at < created_at)"), 0);  /* December 2021 */
}

static void check_claims(db *d)
{
	/* exactly one live claim per claimed problem, in the matching state */
	assert_int_equal(q(d, "SELECT count(*) FROM problem p WHERE p.state IN " CLAIMED
			   " AND (SELECT count(*) FROM claim c WHERE c.tenant_id = p.tenant_id AND c.problem_id = p.id"
			   " AND c.state IN " COUNTED ") <> 1"), 0);
	assert_int_equal(q(d, "SELECT count(*) FROM claim c JOIN problem p ON p.tenant_id = c.tenant_id AND p.id = c.problem_id"
			   " WHERE c.state IN " COUNTED " AND NOT ((p.state = 'claimed' AND c.state = 'approved')"
			   " OR (p.state = 'in_progress' AND c.state = 'signed') OR (p.state = 'solved' AND c.state = 'solved'))"), 0);
	assert_int_equal(q(d, "SELECT count(*) FROM claim WHERE state IN " COUNTED), 86);
	assert_int_equal(q(d, "SELECT count(*) FROM claim WHERE state NOT IN ('approved','signed','solved','rejected')"), 0);
	assert_true(q(d, "SELECT count(*) FROM claim WHERE state = 'rejected'") >= 1);
	/* claiming units: 62 county departments and 17 towns, nothing else */
	assert_int_equal(q(d, "SELECT count(DISTINCT c.unit_id) FROM claim c JOIN unit u ON u.tenant_id = c.tenant_id"
			   " AND u.id = c.unit_id WHERE c.state IN " COUNTED " AND u.kind = 'county_dept'"), 62);
	assert_int_equal(q(d, "SELECT count(DISTINCT c.unit_id) FROM claim c JOIN unit u ON u.tenant_id = c.tenant_id"
			   " AND u.id = c.unit_id WHERE c.state IN " COUNTED " AND u.kind = 'town'"), 17);
	assert_int_equal(q(d, "SELECT count(DISTINCT unit_id) FROM claim WHERE state IN " COUNTED), 79);
	assert_int_equal(q(d, "SELECT count(*) FROM unit WHERE kind = 'town'"), 17);
	assert_true(q(d, "SELECT count(*) FROM unit WHERE kind = 'county_dept'") > 62);
	assert_true(q(d, "SELECT count(*) FROM unit WHERE kind = 'enterprise'") >= 5);
	assert_int_equal(q(d, "SELECT count(*) FROM unit WHERE kind = 'village' AND parent_id IS NULL"), 0);
	/* pledges, deadlines and dates of live claims */
	assert_int_equal(q(d, "SELECT count(*) FROM claim WHERE state IN " COUNTED " AND (pledge = '' OR deadline IS NULL"
			   " OR approved_at IS NULL OR approved_at < applied_at)"), 0);
	assert_int_equal(q(d, "SELECT count(*) FROM claim WHERE state IN ('signed','solved') AND signed_at IS NULL"), 0);
	assert_int_equal(q(d, "SELECT count(*) FROM claim WHERE state = 'approved' AND signed_at IS NOT NULL"), 0);
	assert_int_equal(q(d, "SELECT count(*) FROM claim WHERE state = 'solved' AND solved_at IS NULL"), 0);
}

static void check_people(db *d)
{
	assert_int_equal(q(d, "SELECT count(DISTINCT m.person_id) FROM claim_member m JOIN claim c"
			   " ON c.tenant_id = m.tenant_id AND c.id = m.claim_id JOIN person pe"
			   " ON pe.tenant_id = m.tenant_id AND pe.id = m.person_id"
			   " WHERE c.state IN " COUNTED " AND pe.rank = 'section'"), 209);
	assert_int_equal(q(d, "SELECT count(DISTINCT m.person_id) FROM claim_member m JOIN claim c"
			   " ON c.tenant_id = m.tenant_id AND c.id = m.claim_id JOIN person pe"
			   " ON pe.tenant_id = m.tenant_id AND pe.id = m.person_id"
			   " WHERE c.state IN " COUNTED " AND pe.rank = 'below_section'"), 43);
	/* leads are county leaders; owners are cadres; both are on the team */
	assert_int_equal(q(d, "SELECT count(*) FROM claim_member m JOIN person pe ON pe.tenant_id = m.tenant_id"
			   " AND pe.id = m.person_id WHERE (m.role = 'lead') <> (pe.rank = 'county')"), 0);
	assert_int_equal(q(d, "SELECT count(*) FROM claim c WHERE NOT EXISTS (SELECT 1 FROM claim_member m"
			   " WHERE m.tenant_id = c.tenant_id AND m.claim_id = c.id AND m.person_id = c.lead_person_id"
			   " AND m.role = 'lead')"), 0);
	assert_int_equal(q(d, "SELECT count(*) FROM claim c WHERE NOT EXISTS (SELECT 1 FROM claim_member m"
			   " WHERE m.tenant_id = c.tenant_id AND m.claim_id = c.id AND m.person_id = c.owner_person_id"
			   " AND m.role = 'owner')"), 0);
	assert_int_equal(q(d, "SELECT count(*) FROM claim_member WHERE role IN ('lead','owner')"),
			 2 * q(d, "SELECT count(*) FROM claim"));
	assert_int_equal(q(d, "SELECT count(*) FROM claim c JOIN person pe ON pe.tenant_id = c.tenant_id"
			   " AND pe.id = c.owner_person_id WHERE pe.rank <> 'section' OR pe.unit_id <> c.unit_id"), 0);
	assert_int_equal(q(d, "SELECT count(*) FROM claim_member m JOIN person pe ON pe.tenant_id = m.tenant_id"
			   " AND pe.id = m.person_id WHERE m.unit_id <> pe.unit_id"), 0);
	assert_true(q(d, "SELECT count(*) FROM person WHERE rank = 'village'") >= 1);
	assert_true(q(d, "SELECT count(*) FROM person WHERE rank = 'none'") >= 5);
	/* promotions: 6, both kinds, each for the owner of its claim */
	assert_int_equal(q(d, "SELECT count(*) FROM promotion"), 6);
	assert_int_equal(q(d, "SELECT count(*) FROM promotion pr JOIN claim c ON c.tenant_id = pr.tenant_id"
			   " AND c.id = pr.claim_id WHERE c.owner_person_id = pr.person_id AND c.state IN " COUNTED), 6);
	assert_true(q(d, "SELECT count(*) FROM promotion WHERE kind = 'promoted'") >= 1);
	assert_true(q(d, "SELECT count(*) FROM promotion WHERE kind = 'further_use'") >= 1);
}

static void check_work(db *d)
{
	/* every live claim has 2-4 milestones, 1-2 metrics and, once its
	 * pledge is signed, 1-4 progress entries (a team reports only then:
	 * the approved ones have none) */
	assert_int_equal(q(d, "SELECT count(*) FROM claim c WHERE c.state IN " COUNTED " AND ("
			   "(SELECT count(*) FROM milestone x WHERE x.tenant_id = c.tenant_id AND x.claim_id = c.id) NOT BETWEEN 2 AND 4"
			   " OR (SELECT count(*) FROM metric x WHERE x.tenant_id = c.tenant_id AND x.claim_id = c.id) NOT BETWEEN 1 AND 2"
			   " OR (SELECT count(*) FROM progress x WHERE x.tenant_id = c.tenant_id AND x.claim_id = c.id)"
			   " NOT BETWEEN (CASE WHEN c.state = 'approved' THEN 0 ELSE 1 END) AND (CASE WHEN c.state = 'approved' THEN 0 ELSE 4 END))"),
			 0);
	/* milestones fall in 2022; solved claims have all done */
	assert_int_equal(q(d, "SELECT count(*) FROM milestone WHERE due_at < " JAN_1_2022 " OR due_at >= " JAN_1_2023), 0);
	assert_int_equal(q(d, "SELECT count(*) FROM milestone x JOIN claim c ON c.tenant_id = x.tenant_id"
			   " AND c.id = x.claim_id WHERE c.state = 'solved' AND x.done_at IS NULL"), 0);
	/* some signed claims are overdue as of 2022-08-31 */
	assert_true(q(d, "SELECT count(DISTINCT x.claim_id) FROM milestone x JOIN claim c ON c.tenant_id = x.tenant_id"
		      " AND c.id = x.claim_id WHERE c.state = 'signed' AND x.done_at IS NULL"
		      " AND x.due_at < " SEP_1_2022) >= 3);
	/* progress in Jan-Aug 2022; a metric's achieved is its latest reported value */
	assert_int_equal(q(d, "SELECT count(*) FROM progress WHERE at < " JAN_1_2022 " OR at >= " SEP_1_2022 " OR title = ''"), 0);
	assert_int_equal(q(d, "SELECT count(*) FROM metric m WHERE EXISTS (SELECT 1 FROM progress_value v"
			   " WHERE v.tenant_id = m.tenant_id AND v.metric_id = m.id) AND m.achieved <> ("
			   "SELECT v.value FROM progress_value v JOIN progress pr ON pr.tenant_id = v.tenant_id"
			   " AND pr.id = v.progress_id WHERE v.tenant_id = m.tenant_id AND v.metric_id = m.id"
			   " ORDER BY pr.at DESC, pr.id DESC LIMIT 1)"), 0);
	assert_int_equal(q(d, "SELECT count(*) FROM metric m JOIN claim c ON c.tenant_id = m.tenant_id AND c.id = m.claim_id"
			   " WHERE c.state = 'solved' AND m.achieved < m.target"), 0);
	assert_int_equal(q(d, "SELECT count(*) FROM metric m JOIN claim c ON c.tenant_id = m.tenant_id AND c.id = m.claim_id"
			   " WHERE c.state = 'signed' AND m.achieved = 0 AND NOT EXISTS (SELECT 1 FROM progress_value v"
			   " WHERE v.tenant_id = m.tenant_id AND v.metric_id = m.id)"), 0);
	assert_int_equal(q(d, "SELECT count(*) FROM metric WHERE kind NOT IN ('count','money')"
			   " OR (kind = 'money') <> (uom = '元')"), 0);
	assert_true(q(d, "SELECT count(*) FROM audit_event WHERE action = 'demo.create'") >= 1);
}

/* The campaign went through the workflow's verbs, each step at its
 * moment and by the person concerned: what the audit log and the rows
 * the verbs write say about every problem and claim of 2022. */
static void check_workflow(db *d)
{
	/* 出卷 in 征集, 遴选 in 遴选, 发榜 in one round on the first day of 发榜揭榜 */
	assert_int_equal(q(d, "SELECT count(*) FROM problem p WHERE p.batch_id = 1 AND p.is_public = 1"
			   " AND (SELECT count(*) FROM audit_event e WHERE e.tenant_id = p.tenant_id AND e.object_type = 'problem'"
			   " AND e.object_id = p.id AND e.action IN ('problem.propose','problem.select','problem.publish')) = 3"
			   " AND (SELECT max(e.at) FROM audit_event e WHERE e.object_id = p.id AND e.action = 'problem.propose')"
			   " < (SELECT min(e.at) FROM audit_event e WHERE e.object_id = p.id AND e.action = 'problem.select')"
			   " AND (SELECT e.at FROM audit_event e WHERE e.object_id = p.id AND e.action = 'problem.select') BETWEEN"
			   " (SELECT starts_at FROM batch_phase WHERE batch_id = 1 AND phase = 'screening') AND"
			   " (SELECT ends_at FROM batch_phase WHERE batch_id = 1 AND phase = 'screening')"), 104);
	assert_int_equal(q(d, "SELECT count(*) FROM publication pu JOIN batch_phase ph ON ph.tenant_id = pu.tenant_id"
			   " AND ph.batch_id = pu.batch_id AND ph.phase = 'claiming' WHERE pu.batch_id = 1 AND pu.round = 1"
			   " AND pu.n = 104 AND pu.actor = 'admin' AND pu.published_at BETWEEN ph.starts_at AND ph.starts_at + 86399"), 1);
	assert_int_equal(q(d, "SELECT count(*) FROM problem WHERE batch_id = 1 AND publication_id IS NULL"), 0);
	/* self-applied in 发榜揭榜 and approved by the 组织部; the claims
	 * without a pledge assigned (组织点将) in 攻坚 and accepted by their owner */
	assert_int_equal(q(d, "SELECT count(*) FROM claim c JOIN batch_phase ph ON ph.tenant_id = c.tenant_id AND ph.batch_id = 1"
			   " AND ph.phase = 'claiming' WHERE c.state <> 'approved' AND c.route = 'self'"
			   " AND c.applied_at BETWEEN ph.starts_at AND ph.ends_at"),
			 q(d, "SELECT count(*) FROM claim WHERE state <> 'approved'"));
	assert_int_equal(q(d, "SELECT count(*) FROM claim c JOIN batch_phase ph ON ph.tenant_id = c.tenant_id AND ph.batch_id = 1"
			   " AND ph.phase = 'working' WHERE c.state = 'approved' AND c.route = 'assigned'"
			   " AND c.applied_at BETWEEN ph.starts_at AND ph.ends_at AND EXISTS (SELECT 1 FROM audit_event e"
			   " WHERE e.object_type = 'claim' AND e.object_id = c.id AND e.action = 'claim.accept_assignment'"
			   " AND e.at = c.approved_at AND e.actor = (SELECT name FROM person WHERE id = c.owner_person_id))"),
			 q(d, "SELECT count(*) FROM claim WHERE state = 'approved'"));
	assert_int_equal(q(d, "SELECT count(*) FROM claim c WHERE c.state IN " COUNTED " AND c.route = 'self'"
			   " AND EXISTS (SELECT 1 FROM audit_event e WHERE e.object_type = 'claim' AND e.object_id = c.id"
			   " AND e.action = 'claim.apply' AND e.at = c.applied_at"
			   " AND e.actor = (SELECT name FROM person WHERE id = c.owner_person_id))"
			   " AND EXISTS (SELECT 1 FROM audit_event e WHERE e.object_type = 'claim' AND e.object_id = c.id"
			   " AND e.action = 'claim.approve' AND e.at = c.approved_at AND e.actor = 'admin')"),
			 q(d, "SELECT count(*) FROM claim WHERE state IN ('signed','solved')"));
	/* the applications not chosen were turned down, with a reason */
	assert_int_equal(q(d, "SELECT count(*) FROM claim c WHERE c.state = 'rejected' AND c.decided_reason <> ''"
			   " AND c.closed_at > c.applied_at AND EXISTS (SELECT 1 FROM audit_event e WHERE e.object_type = 'claim'"
			   " AND e.object_id = c.id AND e.action = 'claim.reject' AND e.at = c.closed_at)"),
			 q(d, "SELECT count(*) FROM claim WHERE state = 'rejected'"));
	/* the pledge signed by the owner, then by the lead (which bound it) */
	assert_int_equal(q(d, "SELECT count(*) FROM claim c WHERE c.state IN ('signed','solved') AND c.owner_signed_at > c.approved_at"
			   " AND c.lead_signed_at > c.owner_signed_at AND c.signed_at = c.lead_signed_at"
			   " AND (SELECT count(*) FROM audit_event e WHERE e.object_type = 'claim' AND e.object_id = c.id"
			   " AND e.action = 'claim.sign' AND ((e.at = c.owner_signed_at AND e.after_json LIKE '%\"as\":\"owner\"%'"
			   " AND e.actor = (SELECT name FROM person WHERE id = c.owner_person_id)) OR (e.at = c.lead_signed_at"
			   " AND e.after_json LIKE '%\"as\":\"lead\"%' AND e.actor = (SELECT name FROM person WHERE id = c.lead_person_id)))) = 2"),
			 q(d, "SELECT count(*) FROM claim WHERE state IN ('signed','solved')"));
	assert_int_equal(q(d, "SELECT count(*) FROM claim WHERE state = 'approved' AND (owner_signed_at IS NOT NULL"
			   " OR lead_signed_at IS NOT NULL)"), 0);
	/* reports by the owner after signing; a solved claim's latest entry is
	 * its one solve declaration, made when it was solved */
	assert_int_equal(q(d, "SELECT count(*) FROM progress pr JOIN claim c ON c.tenant_id = pr.tenant_id AND c.id = pr.claim_id"
			   " WHERE pr.author_person_id <> c.owner_person_id OR pr.at <= c.signed_at"
			   " OR (pr.kind = 'solve') <> (c.state = 'solved' AND pr.at = c.solved_at)"), 0);
	assert_int_equal(q(d, "SELECT count(*) FROM progress WHERE kind = 'solve'"), q(d, "SELECT count(*) FROM claim WHERE state = 'solved'"));
	assert_int_equal(q(d, "SELECT count(*) FROM milestone x JOIN claim c ON c.tenant_id = x.tenant_id AND c.id = x.claim_id"
			   " WHERE x.done_at IS NOT NULL AND (x.done_at <= c.signed_at OR x.done_at > (SELECT max(pr.at) FROM progress pr"
			   " WHERE pr.tenant_id = c.tenant_id AND pr.claim_id = c.id))"), 0);
	/* every step dated in its time, none by the clock the demo ran at;
	 * nobody without an account left a placeholder or was told anything */
	assert_int_equal(q(d, "SELECT count(*) FROM audit_event WHERE at >= " SEP_1_2022 " AND (object_type IN ('claim','publication')"
			   " OR (object_type = 'problem' AND object_id <= 104))"), 0);
	assert_int_equal(q(d, "SELECT count(*) FROM audit_event WHERE outcome <> 'ok'"), 0);
	assert_int_equal(q(d, "SELECT count(*) FROM problem WHERE proposer_user_id < 0"), 0);
	assert_int_equal(q(d, "SELECT count(*) FROM claim WHERE applicant_user_id IS NOT NULL"), 0);
	assert_int_equal(q(d, "SELECT count(*) FROM notification"), 0);
}

#define METRIC(col) \
	"SELECT " col " FROM metric WHERE tenant_id = 1 AND claim_id = " CASE_CLAIM " AND name = $2"

static void check_cases(db *d)
{
	const char *cable = "城区空中缆线专项整治工作", *move = "东张士坎南区征收搬迁";
	const char *funds = "破解相关领域资金短缺问题", *bonds = "数智滦南“4+1”项目资金";

	/* 1: cable rectification, a task force of 14 units */
	assert_int_equal(qt(d, "SELECT count(*) FROM problem p JOIN category c ON c.tenant_id = p.tenant_id"
			    " AND c.id = p.category_id WHERE p.title = $1 AND c.name = '城市建设类' AND p.state = 'solved'",
			    cable, NULL), 1);
	assert_int_equal(qt(d, "SELECT count(DISTINCT unit_id) FROM claim_member WHERE tenant_id = 1 AND claim_id = "
			    CASE_CLAIM, cable, NULL), 14);
	assert_int_equal(qt(d, "SELECT count(*) FROM claim c JOIN person pe ON pe.tenant_id = c.tenant_id"
			    " AND pe.id = c.owner_person_id JOIN unit u ON u.tenant_id = c.tenant_id AND u.id = pe.unit_id"
			    " WHERE c.id = " CASE_CLAIM " AND pe.title = '县委宣传部副部长' AND pe.rank = 'section'"
			    " AND u.name = '县委宣传部'", cable, NULL), 1);
	assert_true(qt(d, "SELECT count(*) FROM claim_member m JOIN unit u ON u.tenant_id = m.tenant_id"
		       " AND u.id = m.unit_id WHERE m.claim_id = " CASE_CLAIM " AND u.kind = 'enterprise'",
		       cable, NULL) >= 5);
	assert_int_equal(qt(d, METRIC("target"), cable, "整治问题线缆"), 320000);
	assert_int_equal(qt(d, METRIC("achieved"), cable, "整治问题线缆"), 320000);
	assert_int_equal(qt(d, METRIC("target"), cable, "清除废弃线杆"), 224);
	assert_int_equal(qt(d, METRIC("achieved"), cable, "清除废弃线杆"), 224);
	assert_int_equal(qt(d, "SELECT count(*) FROM metric WHERE claim_id = " CASE_CLAIM
			    " AND kind = 'count' AND uom IN ('米','根')", cable, NULL), 2);
	/* 2: relocation, a team of 15 from 15 units, signing nearly complete */
	assert_int_equal(qt(d, "SELECT count(*) FROM problem p JOIN category c ON c.tenant_id = p.tenant_id"
			    " AND c.id = p.category_id WHERE p.title = $1 AND c.name = '项目建设类' AND p.state = 'in_progress'",
			    move, NULL), 1);
	assert_int_equal(qt(d, "SELECT count(*) FROM claim_member WHERE claim_id = " CASE_CLAIM " AND role <> 'lead'",
			    move, NULL), 15);
	assert_int_equal(qt(d, "SELECT count(DISTINCT unit_id) FROM claim_member WHERE claim_id = " CASE_CLAIM
			    " AND role <> 'lead'", move, NULL), 15);
	assert_int_equal(qt(d, "SELECT count(*) FROM claim_member WHERE claim_id = " CASE_CLAIM, move, NULL), 16);
	assert_int_equal(qt(d, "SELECT count(*) FROM claim c JOIN person pe ON pe.tenant_id = c.tenant_id"
			    " AND pe.id = c.owner_person_id WHERE c.id = " CASE_CLAIM " AND pe.title = '县民政局副局长'",
			    move, NULL), 1);
	int64_t target = qt(d, METRIC("target"), move, "签约户数");
	int64_t done = qt(d, METRIC("achieved"), move, "签约户数");
	assert_true(done < target && done * 100 >= target * 95);
	/* 3: ¥5,000,000 of provincial special funds */
	assert_int_equal(qt(d, "SELECT count(*) FROM claim c JOIN person pe ON pe.tenant_id = c.tenant_id"
			    " AND pe.id = c.owner_person_id JOIN unit u ON u.tenant_id = c.tenant_id AND u.id = c.unit_id"
			    " JOIN problem p ON p.tenant_id = c.tenant_id AND p.id = c.problem_id"
			    " WHERE c.id = " CASE_CLAIM " AND u.name = '县发展和改革局' AND pe.rank = 'section'"
			    " AND c.state = 'solved' AND p.state = 'solved'", funds, NULL), 1);
	assert_int_equal(qt(d, METRIC("target"), funds, "争取省级专项资金"), 500000000);
	assert_int_equal(qt(d, METRIC("achieved"), funds, "争取省级专项资金"), 500000000);
	assert_int_equal(qt(d, "SELECT count(*) FROM metric WHERE claim_id = " CASE_CLAIM " AND kind = 'money'",
			    funds, NULL), 1);
	assert_true(qt(d, "SELECT count(*) FROM progress WHERE claim_id = " CASE_CLAIM
		       " AND body LIKE '%智能超导纳米换热系统%'", funds, NULL) >= 1);
	/* 4: ¥164,000,000 of special bonds */
	assert_int_equal(qt(d, "SELECT count(*) FROM claim c JOIN person pe ON pe.tenant_id = c.tenant_id"
			    " AND pe.id = c.owner_person_id JOIN unit u ON u.tenant_id = c.tenant_id AND u.id = c.unit_id"
			    " WHERE c.id = " CASE_CLAIM " AND u.name = '县财政局' AND c.state = 'solved'"
			    " AND pe.title = '县财政局党组成员、政府债务服务中心主任'", bonds, NULL), 1);
	assert_int_equal(qt(d, METRIC("target"), bonds, "专项债券发行"), 16400000000);
	assert_int_equal(qt(d, METRIC("achieved"), bonds, "专项债券发行"), 16400000000);
}

/* The search index finds the cable case, and only it, for 缆线 and 线缆. */
static void check_search(db *d)
{
	static const char *const words[] = { "缆线", "线缆" };

	for (int i = 0; i < 2; i++) {
		assert_int_equal(qt(d, "SELECT count(DISTINCT problem_id) FROM problem_gram WHERE tenant_id = 1 AND gram = $1",
				    words[i], NULL), 1);
		assert_int_equal(qt(d, "SELECT count(*) FROM problem_gram g JOIN problem p ON p.tenant_id = g.tenant_id"
				    " AND p.id = g.problem_id WHERE g.gram = $1 AND p.title = '城区空中缆线专项整治工作'",
				    words[i], NULL), 1);
	}
	assert_int_equal(q(d, "SELECT count(DISTINCT problem_id) FROM problem_gram"), 110);
	/* the resident's proposal shares its pairs with the 2022 problem on the board */
	assert_int_equal(q(d, "SELECT count(*) FROM problem p WHERE p.title LIKE '%加装电梯%' AND"
			   " (SELECT count(*) FROM problem_gram g WHERE g.tenant_id = p.tenant_id AND g.problem_id = p.id"
			   "  AND g.gram IN ('老旧', '加装', '电梯')) = 3"), 2);
}

/* The 2022 batch is closed: as of the end of August 2022, whenever it is
 * read; what is overdue is what was overdue then. */
static void check_as_of(db *d)
{
	arena *a = arena_new();
	struct problem_detail p;
	struct batch b;

	assert_int_equal(batch_get(d, a, 1, 1, &b), 0);
	assert_int_equal(batch_phase_now(&b, DEMO_NOW), PHASE_CLOSED);
	assert_int_equal(batch_as_of(&b, DEMO_NOW), AS_OF_2022);
	assert_int_equal(batch_as_of(&b, DEMO_NOW + 3650 * INT64_C(86400)), AS_OF_2022);
	/* the relocation case: its open nodes fall due in October and December */
	assert_int_equal(problem_get(d, a, 1, qt(d, "SELECT id FROM problem WHERE title = $1", "东张士坎南区征收搬迁", NULL),
				     DEMO_NOW, &p), 0);
	assert_true(p.batch_ended);
	assert_int_equal(p.as_of, AS_OF_2022);
	assert_false(p.overdue);
	int open = 0;
	for (int i = 0; i < p.nmilestones; i++) {
		open += !p.milestones[i].done_at;
		assert_false(p.milestones[i].overdue);
	}
	assert_int_equal(open, 2);
	/* the board flags exactly the problems with a node due and open on that day */
	struct problem_filter f = { .sort = SORT_ID, .page = 1, .per_page = 100, .now = DEMO_NOW };
	struct problem_page pg;
	int flagged = 0;
	assert_int_equal(problem_list(d, a, 1, &f, &pg), 0);
	for (int i = 0; i < pg.n; i++)
		flagged += pg.items[i].overdue;
	f.page = 2;
	assert_int_equal(problem_list(d, a, 1, &f, &pg), 0);
	for (int i = 0; i < pg.n; i++)
		flagged += pg.items[i].overdue;
	assert_int_equal(flagged, q(d, "SELECT count(DISTINCT c.problem_id) FROM milestone x JOIN claim c ON c.tenant_id = x.tenant_id"
				       " AND c.id = x.claim_id JOIN problem p ON p.tenant_id = c.tenant_id AND p.id = c.problem_id"
				       " WHERE c.state IN " COUNTED " AND p.state IN ('claimed','in_progress') AND x.done_at IS NULL"
				       " AND x.due_at < " SEP_1_2022 " - 1"));
	assert_true(flagged >= 3);
	assert_true(flagged < q(d, "SELECT count(*) FROM problem WHERE state IN ('claimed','in_progress')"));
	arena_free(a);
}

/* This year's batch: open for proposals, which are not public and change
 * none of the report's figures. */
static void check_current(db *d)
{
	arena *a = arena_new();
	struct stats all, y2022;
	struct batch b;

	assert_int_equal(q(d, "SELECT count(*) FROM batch WHERE tenant_id = 1 AND id = 2 AND name = '2027年第一批'"
			   " AND year = 2027 AND phase = 'collecting' AND by_dates = 0 AND opens_at = " JAN_1_2027), 1);
	assert_int_equal(q(d, "SELECT count(*) FROM batch_phase WHERE batch_id = 2"), 0);
	assert_int_equal(batch_get(d, a, 1, 2, &b), 0);
	assert_int_equal(batch_phase_now(&b, DEMO_NOW + 3650 * INT64_C(86400)), PHASE_COLLECTING);  /* by hand: stays open */
	/* six proposals waiting for screening, none public, made this year before now */
	assert_int_equal(q(d, "SELECT count(*) FROM problem WHERE batch_id = 2"), 6);
	assert_int_equal(q(d, "SELECT count(*) FROM problem WHERE batch_id = 2 AND state = 'proposed' AND is_public = 0"
			   " AND created_at >= " JAN_1_2027 " AND created_at < 1805076000 AND updated_at = created_at"
			   " AND description <> '' AND expected_outcome <> ''"), 6);
	assert_int_equal(q(d, "SELECT count(DISTINCT category_id) FROM problem WHERE batch_id = 2"), 5);
	/* five from four units, by their logins, each named after the person
	 * of that unit its login will be linked to (proposal_create names the
	 * proposer's person); one from a resident with a phone */
	assert_int_equal(q(d, "SELECT count(DISTINCT proposer_unit_id) FROM problem WHERE batch_id = 2"), 4);
	assert_int_equal(q(d, "SELECT count(*) FROM problem p JOIN unit u ON u.tenant_id = p.tenant_id AND u.id = p.proposer_unit_id"
			   " WHERE p.batch_id = 2 AND p.contact_phone = '' AND p.residents_concern = 0 AND EXISTS (SELECT 1 FROM person pe"
			   " WHERE pe.tenant_id = p.tenant_id AND pe.unit_id = u.id AND pe.name = p.proposer_name)"), 5);
	assert_int_equal(q(d, "SELECT count(*) FROM problem WHERE batch_id = 2 AND proposer_unit_id IS NULL"
			   " AND proposer_user_id IS NULL AND contact_name = '王女士' AND proposer_name = '群众'"
			   " AND contact_phone = '13800138000' AND residents_concern = 1 AND title = '老旧小区加装电梯协调难'"), 1);
	assert_int_equal(q(d, "SELECT count(*) FROM problem WHERE proposer_user_id IS NOT NULL"), 0);  /* no logins yet */
	/* audited as their proposers made them, never with the phone */
	assert_int_equal(q(d, "SELECT count(*) FROM audit_event e JOIN problem p ON p.tenant_id = e.tenant_id AND p.id = e.object_id"
			   " WHERE e.object_type = 'problem' AND p.batch_id = 2 AND e.at = p.created_at AND ((e.action = 'problem.propose'"
			   " AND e.actor IN ('admin','unit','cadre','evaluator','leader') AND p.contact_name = '')"
			   " OR (e.action = 'problem.propose_public' AND e.actor = 'anonymous' AND p.contact_name <> ''))"
			   " AND e.after_json LIKE '%\"title\":\"' || p.title || '\"%'"), 6);
	assert_int_equal(q(d, "SELECT count(DISTINCT e.actor) FROM audit_event e JOIN problem p ON p.tenant_id = e.tenant_id"
			   " AND p.id = e.object_id WHERE e.action = 'problem.propose' AND p.batch_id = 2"), 5);
	/* the 2022 problems were proposed in 征集 by their units, by name */
	assert_int_equal(q(d, "SELECT count(*) FROM audit_event e JOIN problem p ON p.tenant_id = e.tenant_id AND p.id = e.object_id"
			   " JOIN unit u ON u.tenant_id = p.tenant_id AND u.id = p.proposer_unit_id WHERE e.object_type = 'problem'"
			   " AND e.action = 'problem.propose' AND p.batch_id = 1 AND e.actor = u.name AND p.proposer_name = u.name"
			   " AND e.at = p.created_at"), 104);
	assert_int_equal(q(d, "SELECT count(*) FROM audit_event WHERE after_json LIKE '%13800138000%'"
			   " OR after_json LIKE '%phone%' OR after_json LIKE '%王女士%'"), 0);
	/* the figures (all batches, the default) are those of the 2022 batch */
	assert_int_equal(stats_get(d, a, 1, 0, DEMO_NOW, 0, STATS_UNITS, &all), 0);
	assert_int_equal(stats_get(d, a, 1, 1, DEMO_NOW, 0, 0, &y2022), 0);
	assert_int_equal(all.problems, 104);
	assert_int_equal(all.claimed, 86);
	assert_int_equal(all.solved, 33);
	assert_int_equal(all.promotions, 6);
	assert_int_equal(all.ncategory, y2022.ncategory);
	for (int i = 0; i < all.ncategory; i++)
		assert_int_equal(all.by_category[i].claimed, y2022.by_category[i].claimed);
	assert_int_equal(y2022.as_of, AS_OF_2022);
	assert_int_equal(all.as_of, DEMO_NOW);  /* one batch is open */
	/* the board does not list them, in any way it is asked */
	struct problem_filter f = { .sort = SORT_ID, .page = 1, .per_page = 20, .now = DEMO_NOW, .batch_id = 2 };
	struct problem_page pg;
	assert_int_equal(problem_list(d, a, 1, &f, &pg), 0);
	assert_int_equal(pg.total + pg.n, 0);
	f = (struct problem_filter){ .sort = SORT_ID, .page = 1, .per_page = 20, .now = DEMO_NOW, .q = "电梯" };
	assert_int_equal(problem_list(d, a, 1, &f, &pg), 0);
	assert_int_equal(pg.n, 1);
	assert_string_equal(pg.items[0].title, "城区老旧小区加装电梯推进难");
	struct problem_detail p;
	assert_int_equal(problem_get(d, a, 1, 110, DEMO_NOW, &p), 1);
	arena_free(a);
}

/* id_seq continues after the demo's ids. */
static void check_ids(db *d)
{
	assert_int_equal(db_begin(d, DB_WRITE), 0);
	assert_int_equal(db_next_id(d, 1, "problem"), 111);
	assert_int_equal(db_next_id(d, 1, "batch"), 3);
	assert_int_equal(db_next_id(d, 1, "person"), q(d, "SELECT max(id) FROM person") + 1);
	assert_int_equal(db_next_id(d, 1, "claim"), q(d, "SELECT max(id) FROM claim") + 1);
	assert_int_equal(db_next_id(d, 1, "unit"), q(d, "SELECT max(id) FROM unit") + 1);
	assert_int_equal(db_next_id(d, 1, "progress"), q(d, "SELECT max(id) FROM progress") + 1);
	assert_int_equal(db_next_id(d, 1, "audit_event"), q(d, "SELECT max(id) FROM audit_event") + 1);
	db_rollback(d);
}

/* A digest of the whole content: equal digests mean equal demos. */
static const char *const digest_sql[] = {
	"SELECT count(*) + coalesce(sum(id * length(name) + unit_id * length(title)), 0) FROM person",
	"SELECT coalesce(sum(id * (length(title) + length(description)) + category_id + created_at + updated_at), 0) FROM problem",
	"SELECT coalesce(sum(id * (unit_id + lead_person_id + owner_person_id + length(pledge) + length(state))"
	" + applied_at + coalesce(solved_at, 0)), 0) FROM claim",
	"SELECT coalesce(sum(claim_id * person_id + unit_id + length(role)), 0) FROM claim_member",
	"SELECT coalesce(sum(id * (due_at % 100000) + coalesce(done_at, 0) + length(title)), 0) FROM milestone",
	"SELECT coalesce(sum(id * (target % 1000003) + achieved % 1000003 + length(name)), 0) FROM metric",
	"SELECT coalesce(sum(id * length(body) + at + length(title)), 0) FROM progress",
	"SELECT coalesce(sum(progress_id * metric_id + value % 1000003), 0) FROM progress_value",
	"SELECT coalesce(sum(id * person_id + length(note) + at), 0) FROM promotion",
	"SELECT coalesce(sum(id * length(name) + coalesce(parent_id, 0)), 0) FROM unit",
	"SELECT count(*) FROM problem_gram",
	"SELECT coalesce(sum(next_id * length(name)), 0) FROM id_seq",
	"SELECT coalesce(sum(id * (length(name) + length(phase)) + year + opens_at + closes_at + updated_at), 0) FROM batch",
	"SELECT coalesce(sum(batch_id * length(phase) + starts_at + ends_at), 0) FROM batch_phase",
	"SELECT coalesce(sum(id * (length(actor) + length(action) + length(coalesce(after_json, ''))) + at), 0) FROM audit_event",
	"SELECT coalesce(sum(id * (length(contact_name) + length(contact_phone) + length(expected_outcome))"
	" + residents_concern + is_public), 0) FROM problem",
};
enum { NDIGEST = sizeof(digest_sql) / sizeof(digest_sql[0]) };

static void digest(db *d, int64_t *out)
{
	for (int i = 0; i < NDIGEST; i++)
		out[i] = q(d, digest_sql[i]);
}

/* ---- tests ------------------------------------------------------------ */

static void exec_ok(db *d, const char *sql);

static void test_demo_reproduces_every_figure_of_the_report(void **state)
{
	struct fixture *f = *state;

	demo_ok(f->d);
	check_batch(f->d);
	check_problems(f->d);
	check_claims(f->d);
	check_people(f->d);
	check_work(f->d);
	check_workflow(f->d);
	check_cases(f->d);
	check_search(f->d);
	check_ids(f->d);
	check_as_of(f->d);
	check_current(f->d);
}

/* The demo logins take over the proposals the demo credits to them, each
 * a login of the proposing unit; the resident's stays without one. */
static void test_the_demo_logins_own_the_proposals_of_their_units(void **state)
{
	struct fixture *f = *state;
	char err[256] = "";

	demo_ok(f->d);
	if (demo_users_create(f->d, err, sizeof(err)) < 0)
		fail_msg("demo_users_create: %s", err);
	assert_int_equal(q(f->d, "SELECT count(*) FROM problem p JOIN app_user u ON u.tenant_id = p.tenant_id"
			      " AND u.id = p.proposer_user_id JOIN audit_event e ON e.tenant_id = p.tenant_id"
			      " AND e.object_type = 'problem' AND e.object_id = p.id AND e.action = 'problem.propose'"
			      " WHERE p.batch_id = 2 AND u.login = e.actor AND u.unit_id = p.proposer_unit_id"), 5);
	assert_int_equal(q(f->d, "SELECT count(*) FROM problem p JOIN app_user u ON u.tenant_id = p.tenant_id"
			      " AND u.id = p.proposer_user_id JOIN person pe ON pe.tenant_id = u.tenant_id AND pe.id = u.person_id"
			      " WHERE pe.name = p.proposer_name"), 5);
	assert_int_equal(q(f->d, "SELECT count(DISTINCT proposer_user_id) FROM problem"), 5);
	assert_int_equal(q(f->d, "SELECT count(*) FROM problem WHERE proposer_user_id IS NULL AND contact_name = '王女士'"), 1);
	assert_int_equal(q(f->d, "SELECT count(*) FROM problem WHERE batch_id = 1 AND proposer_user_id IS NOT NULL"), 0);
}

/* demo_create() names the current batch after the year on the clock. */
static void test_the_current_batch_is_this_years(void **state)
{
	struct fixture *f = *state;
	time_t t = time(NULL) + 8 * 3600;
	char err[256] = "", name[32];
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(name, sizeof(name), "%d年第一批", tm.tm_year + 1900);
	if (demo_create(f->d, err, sizeof(err)) < 0)
		fail_msg("demo_create: %s", err);
	assert_int_equal(qt(f->d, "SELECT count(*) FROM batch WHERE id = 2 AND name = $1 AND phase = 'collecting'", name, NULL), 1);
	assert_int_equal(q(f->d, "SELECT count(*) FROM problem p JOIN batch b ON b.tenant_id = p.tenant_id AND b.id = p.batch_id"
			      " WHERE b.id = 2 AND p.created_at >= b.opens_at"), 6);
}

static void test_demo_refuses_a_non_empty_store_and_changes_nothing(void **state)
{
	struct fixture *f = *state;
	int64_t before[NDIGEST], after[NDIGEST];
	char err[256] = "";

	demo_ok(f->d);
	digest(f->d, before);
	assert_int_equal(demo_create(f->d, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not empty"));
	assert_null(strchr(err, '\n'));
	digest(f->d, after);
	assert_memory_equal(before, after, sizeof(before));
	/* the connection is usable afterwards */
	assert_int_equal(db_begin(f->d, DB_WRITE), 0);
	assert_int_equal(db_commit(f->d), 0);
	assert_int_equal(q(f->d, "SELECT count(*) FROM problem"), 110);
}

static void test_demo_refuses_a_store_that_is_not_migrated(void **state)
{
	struct fixture *f = *state;
	db *d = store_new(f);
	char err[256] = "";

	assert_int_equal(demo_create(d, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not migrated"));
	assert_null(strchr(err, '\n'));
	store_drop(f, d);
}

/* A step that fails fails the whole demo, naming the verb, the problem
 * and the actor, with the verb's message; the store is left empty. The
 * store refuses every claim here (a trigger), so the first claim_apply
 * fails after 104 proposals and the screening went through. */
static void test_a_step_that_fails_fails_the_demo_and_leaves_the_store_empty(void **state)
{
	struct fixture *f = *state;
	char err[512] = "";

	exec_ok(f->d, f->s.kind == DB_SQLITE
		? "CREATE TRIGGER no_claims BEFORE INSERT ON claim BEGIN SELECT RAISE(ABORT, 'no claims today'); END"
		: "CREATE FUNCTION no_claims() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'no claims today'; END $$"
		  " LANGUAGE plpgsql; CREATE TRIGGER no_claims BEFORE INSERT ON claim FOR EACH ROW EXECUTE FUNCTION no_claims()");
	assert_int_equal(demo_create_at(f->d, DEMO_NOW, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "claim_apply '东张士坎南区征收搬迁' by '"));
	assert_non_null(strstr(err, "no claims today"));
	assert_null(strchr(err, '\n'));
	assert_false(db_in_txn(f->d));
	assert_int_equal(q(f->d, "SELECT count(*) FROM tenant"), 0);
	assert_int_equal(q(f->d, "SELECT count(*) FROM problem"), 0);
	assert_int_equal(q(f->d, "SELECT count(*) FROM audit_event"), 0);
	assert_int_equal(q(f->d, "SELECT count(*) FROM id_seq"), 0);
}

/* Two runs give the same content; on PostgreSQL, the same as on SQLite. */
static void test_demo_is_the_same_on_every_run_and_store(void **state)
{
	struct fixture *f = *state;
	struct fixture other = { .s.kind = DB_SQLITE };
	int64_t a[NDIGEST], b[NDIGEST];
	db *d2;

	demo_ok(f->d);
	digest(f->d, a);
	d2 = store_new(&other);
	migrate_ok(d2);
	demo_ok(d2);
	digest(d2, b);
	store_drop(&other, d2);
	for (int i = 0; i < NDIGEST; i++)
		if (a[i] != b[i])
			fail_msg("digest %d differs: %lld vs %lld (%s)", i, (long long)a[i], (long long)b[i], digest_sql[i]);
}

#define DEMO_TEST(fn, fx) cmocka_unit_test_prestate_setup_teardown(fn, demo_setup, demo_teardown, fx)
/* problem_tally must equal a recount of problem after any change. */
static void check_tally(db *d)
{
	assert_int_equal(q(d, "SELECT count(*) FROM ("
			      " SELECT tenant_id, batch_id, category_id, state, is_public, count(*) AS n FROM problem"
			      " GROUP BY tenant_id, batch_id, category_id, state, is_public"
			      " EXCEPT SELECT tenant_id, batch_id, category_id, state, is_public, n FROM problem_tally) x"), 0);
	assert_int_equal(q(d, "SELECT count(*) FROM problem_tally t WHERE n <> (SELECT count(*) FROM problem p"
			      " WHERE p.tenant_id = t.tenant_id AND p.batch_id = t.batch_id AND p.category_id = t.category_id"
			      " AND p.state = t.state AND p.is_public = t.is_public)"), 0);
}

static void exec_ok(db *d, const char *sql)
{
	if (db_exec(d, sql) < 0)
		fail_msg("%s: %s", sql, db_errmsg(d));
}

static void test_the_problem_tally_follows_every_change(void **state)
{
	struct fixture *f = *state;

	demo_ok(f->d);
	check_tally(f->d);
	exec_ok(f->d, "UPDATE problem SET state = 'withdrawn' WHERE tenant_id = 1 AND id IN (1, 2, 3)");
	exec_ok(f->d, "UPDATE problem SET category_id = 2, is_public = 0 WHERE tenant_id = 1 AND id = 4");
	exec_ok(f->d, "UPDATE problem SET title = 'x' WHERE tenant_id = 1 AND id = 5");
	exec_ok(f->d, "INSERT INTO problem (tenant_id, id, batch_id, category_id, title, description, proposer_name,"
		      " state, is_public, created_at, updated_at) VALUES (1, 1000, 1, 8, 't', 'd', 'p', 'proposed', 1, 1, 1)");
	exec_ok(f->d, "DELETE FROM problem WHERE tenant_id = 1 AND id = 1000");
	exec_ok(f->d, "INSERT INTO problem (tenant_id, id, batch_id, category_id, title, description, proposer_name,"
		      " state, is_public, created_at, updated_at) VALUES (1, 1001, 1, 7, 't', 'd', 'p', 'published', 1, 1, 1)");
	check_tally(f->d);
	assert_int_equal(q(f->d, "SELECT sum(n) FROM problem_tally WHERE state = 'withdrawn'"), 3);
}

#define BOTH(fx) \
	DEMO_TEST(test_demo_reproduces_every_figure_of_the_report, fx), \
	DEMO_TEST(test_the_demo_logins_own_the_proposals_of_their_units, fx), \
	DEMO_TEST(test_the_current_batch_is_this_years, fx), \
	DEMO_TEST(test_demo_refuses_a_non_empty_store_and_changes_nothing, fx), \
	DEMO_TEST(test_demo_is_the_same_on_every_run_and_store, fx), \
	DEMO_TEST(test_a_step_that_fails_fails_the_demo_and_leaves_the_store_empty, fx), \
	DEMO_TEST(test_the_problem_tally_follows_every_change, fx), \
	cmocka_unit_test_prestate(test_demo_refuses_a_store_that_is_not_migrated, fx)

int main(void)
{
	const struct CMUnitTest sqlite_tests[] = { BOTH(&sqlite_fx) };
	const struct CMUnitTest pg_tests[] = { BOTH(&pg_fx) };
	int failed;

	log_quiet(1);
	failed = cmocka_run_group_tests_name("demo on SQLite", sqlite_tests, NULL, NULL);
	if (testdb_pg_wanted("test_demo", &failed))
		failed += cmocka_run_group_tests_name("demo on PostgreSQL", pg_tests, NULL, NULL);
	return failed ? 1 : 0;
}
