/* test_claim.c - the claim state machine and the light.
 *
 * The table: every (action × claim state × principal) cell against the
 * rules written out here in words, independently of claim_flow.c. The
 * verbs: every cell of the actions claim_act() runs, on SQLite and on
 * PostgreSQL, on a fresh claim in that state: an allowed cell moves the
 * claim (and its problem) as the rules say; a refused one answers denied
 * or conflict and writes nothing. The light: its rules on dates. */
#include "testdb.h"

#include <stdio.h>
#include <string.h>

#include "domain/claim.h"
#include "util/log.h"

#define DAY 86400

/* Who acts, and how they relate to the claim (unit 1, owner person 1,
 * lead person 2, member person 3). */
enum who {
	W_ADMIN, W_LIAISON, W_LIAISON_APPLICANT, W_LIAISON_OTHER, W_OWNER, W_LEAD, W_MEMBER, W_OUTSIDER, W_LEADER,
	W_EVALUATOR, W_ANONYMOUS, W_COUNT
};
static const char *const who_names[W_COUNT] = { "admin", "liaison", "liaison who applied", "liaison of another unit",
	"owner", "lead", "member", "outsider cadre", "leader", "evaluator", "anonymous" };

static struct principal principal_of(enum who w)
{
	struct principal p = { .tenant_id = 1, .user_id = 10 + w, .login = who_names[w], .via = VIA_COOKIE };

	switch (w) {
	case W_ADMIN: p.roles = ROLE_ADMIN; p.person_id = 9; p.unit_id = 2; break;
	case W_LIAISON: p.roles = ROLE_UNIT_ADMIN; p.person_id = 5; p.unit_id = 1; break;
	case W_LIAISON_APPLICANT: p.roles = ROLE_UNIT_ADMIN; p.person_id = 6; p.unit_id = 1; break;
	case W_LIAISON_OTHER: p.roles = ROLE_UNIT_ADMIN; p.person_id = 7; p.unit_id = 2; break;
	case W_OWNER: p.roles = ROLE_CADRE; p.person_id = 1; p.unit_id = 1; break;
	case W_LEAD: p.roles = ROLE_CADRE; p.person_id = 2; p.unit_id = 1; break;
	case W_MEMBER: p.roles = ROLE_CADRE; p.person_id = 3; p.unit_id = 2; break;
	case W_OUTSIDER: p.roles = ROLE_CADRE; p.person_id = 4; p.unit_id = 1; break;
	case W_LEADER: p.roles = ROLE_LEADER; p.person_id = 8; p.unit_id = 2; break;
	case W_EVALUATOR: p.roles = ROLE_EVALUATOR; p.person_id = 8; p.unit_id = 2; break;
	case W_ANONYMOUS: p.user_id = 0; p.login = NULL; p.via = VIA_NONE; break;
	case W_COUNT: break;
	}
	return p;
}

static unsigned relation_of(enum who w)
{
	switch (w) {
	case W_OWNER: return CR_OWNER | CR_TEAM;
	case W_LEAD: return CR_LEAD | CR_TEAM;
	case W_MEMBER: return CR_TEAM;
	case W_LIAISON_APPLICANT: return CR_APPLICANT;
	default: return 0;
	}
}

#define S(x) (1u << CLAIM_##x)
#define IN(set, s) (((set) >> (s)) & 1u)

/* The rules in words. */
static bool expected(const char *a, int s, enum who w)
{
	bool admin = w == W_ADMIN, liaison = w == W_LIAISON || w == W_LIAISON_APPLICANT;
	bool owner = w == W_OWNER, lead = w == W_LEAD, team = owner || lead || w == W_MEMBER;
	unsigned pending = S(ENDORSING) | S(APPLIED) | S(ASSIGNED), working = S(APPROVED) | S(SIGNED);

	if (!strcmp(a, "endorse"))         /* the unit's liaison vets a recommendation */
		return s == CLAIM_ENDORSING && liaison;
	if (!strcmp(a, "approve"))         /* the 组织部 approves an application */
		return s == CLAIM_APPLIED && admin;
	if (!strcmp(a, "reject"))          /* ... or turns it down; the liaison may refuse to recommend */
		return (s == CLAIM_ENDORSING && (admin || liaison)) || (s == CLAIM_APPLIED && admin);
	if (!strcmp(a, "accept-assignment") || !strcmp(a, "decline-assignment"))
		return s == CLAIM_ASSIGNED && owner;  /* only the person named */
	if (!strcmp(a, "sign"))            /* both parties of the pledge */
		return s == CLAIM_APPROVED && (owner || lead);
	if (!strcmp(a, "progress"))        /* the task force reports */
		return s == CLAIM_SIGNED && team;
	if (!strcmp(a, "extend") || !strcmp(a, "solve"))
		return s == CLAIM_SIGNED && owner;
	if (!strcmp(a, "supervise"))
		return IN(working, s) && admin;
	if (!strcmp(a, "return"))
		return s == CLAIM_SOLVED && admin;
	if (!strcmp(a, "withdraw"))        /* the applicant withdraws an application; the owner or the 组织部 退榜 */
		return (IN(S(ENDORSING) | S(APPLIED), s) && (owner || w == W_LIAISON_APPLICANT)) ||
		       (IN(working, s) && owner) || (IN(pending | working, s) && admin);
	return false;
}

static const char *const actions[] = { "endorse", "approve", "reject", "accept-assignment", "decline-assignment", "sign",
	"progress", "extend", "supervise", "solve", "return", "withdraw" };
#define NACTIONS (int)(sizeof(actions) / sizeof(actions[0]))

static void every_action_state_and_principal(void **state)
{
	int allowed = 0, refused = 0;

	(void)state;
	for (int a = 0; a < NACTIONS; a++)
		for (int s = 0; s < CLAIM_STATE_COUNT; s++)
			for (int w = 0; w < W_COUNT; w++) {
				struct principal p = principal_of(w);
				struct claim_party party = { 1, 1, relation_of(w) };
				bool want = expected(actions[a], s, w);
				if (claim_transition_allowed(&p, actions[a], s, &party) != want)
					fail_msg("%s by %s on %s: expected %s", actions[a], who_names[w], claim_state_info[s].code,
						 want ? "allowed" : "refused");
				want ? allowed++ : refused++;
			}
	printf("# claim transitions: %d (action × state × principal) cells, %d allowed, %d refused\n", allowed + refused,
	       allowed, refused);
	/* another tenant's claim: never */
	struct principal admin = principal_of(W_ADMIN);
	struct claim_party other = { 2, 1, 0 };
	assert_false(claim_transition_allowed(&admin, "approve", CLAIM_APPLIED, &other));
	assert_false(claim_transition_allowed(&admin, "no-such-action", CLAIM_APPLIED, &(struct claim_party){ 1, 1, 0 }));
	/* every table row names a permission some role holds, and starts somewhere */
	for (int i = 0; i < claim_transitions_count; i++) {
		bool held = false;
		assert_true(claim_transitions[i].from != 0);
		for (int j = 0; j < perm_rules_count; j++)
			held |= !strcmp(perm_rules[j].action, claim_transitions[i].perm);
		if (!held)
			fail_msg("no role holds %s", claim_transitions[i].perm);
	}
}

/* ---- the light ---- */

/* 2027-05-20 12:00 Asia/Shanghai. */
#define MAY20 ((int64_t)1810785600)

static struct light_in working(void)
{
	return (struct light_in){ .state = CLAIM_SIGNED, .as_of = MAY20, .deadline = MAY20 + 200 * DAY,
				  .next_due = MAY20 + 30 * DAY, .since = MAY20 - 10 * DAY, .last_report = 0,
				  .report_day = 25, .warn_days = 7, .completion = -1 };
}

static void the_light_follows_dates_reports_and_figures(void **state)
{
	struct light_in in = working();
	int64_t latest, previous;

	(void)state;
	assert_int_equal(claim_light(&in), LIGHT_GREEN);
	claim_report_days(MAY20, 25, &latest, &previous);
	/* the latest report day passed is 2027-04-25 (ends at 04-26 00:00 local), the one before 03-25 */
	assert_int_equal(latest, (int64_t)1808668800);
	assert_int_equal(previous, latest - 31 * DAY);
	in.next_due = MAY20 - 1;
	assert_int_equal(claim_light(&in), LIGHT_RED);          /* a milestone passed undone */
	in = working();
	in.deadline = MAY20 - DAY;
	assert_int_equal(claim_light(&in), LIGHT_RED);          /* the deadline passed */
	in = working();
	in.next_due = MAY20 + 6 * DAY;
	assert_int_equal(claim_light(&in), LIGHT_YELLOW);       /* a milestone within 7 days */
	in.warn_days = 5;
	assert_int_equal(claim_light(&in), LIGHT_GREEN);
	in = working();
	in.since = MAY20 - 100 * DAY;
	in.last_report = MAY20 - 5 * DAY;
	in.deadline = MAY20 + 100 * DAY;
	in.completion = 20;                                     /* half the time gone, a fifth done */
	assert_int_equal(claim_light(&in), LIGHT_YELLOW);
	in.completion = 30;
	assert_int_equal(claim_light(&in), LIGHT_GREEN);        /* within 25 points */
	/* 未报送: at work since before the previous report day, nothing since */
	in = working();
	in.since = previous - DAY;
	in.last_report = previous - 2 * DAY;
	assert_int_equal(claim_light(&in), LIGHT_UNREPORTED);
	in.last_report = previous + DAY;
	assert_int_equal(claim_light(&in), LIGHT_GREEN);        /* reported for the month */
	in.last_report = MAY20 - DAY;
	assert_int_equal(claim_light(&in), LIGHT_GREEN);        /* late, but reported */
	in.last_report = 0;
	in.since = previous + DAY;
	assert_int_equal(claim_light(&in), LIGHT_GREEN);        /* began within the period: nothing due yet */
	in.state = CLAIM_APPROVED;
	in.since = previous - DAY;
	assert_int_equal(claim_light(&in), LIGHT_GREEN);        /* no reports before the pledge is signed */
	in.state = CLAIM_SOLVED;
	assert_int_equal(claim_light(&in), LIGHT_AWAITING);
	in.state = CLAIM_APPLIED;
	assert_int_equal(claim_light(&in), LIGHT_NONE);
	in.state = CLAIM_WITHDRAWN;
	assert_int_equal(claim_light(&in), LIGHT_NONE);
	/* the year's turn: in January the previous report day is in the last year */
	claim_report_days((int64_t)1799078400 /* 2027-01-05 00:00 local */, 28, &latest, &previous);
	assert_int_equal(latest, (int64_t)1798473600);          /* 2026-12-29 00:00 local */
	assert_int_equal(previous, latest - 30 * DAY);
}

/* A mid-term risk shows at least its own light on a working claim: red
 * over everything the dates say, yellow over green only; solved and
 * other states are not touched. */
static void a_risk_mark_shows_at_least_its_light(void **state)
{
	struct light_in in = working();
	int64_t latest, previous;

	(void)state;
	claim_report_days(MAY20, 25, &latest, &previous);
	in.risk = RISK_YELLOW;
	assert_int_equal(claim_light(&in), LIGHT_YELLOW);       /* green -> yellow */
	in.risk = RISK_RED;
	assert_int_equal(claim_light(&in), LIGHT_RED);          /* green -> red */
	in = working();
	in.next_due = MAY20 + 6 * DAY;
	in.risk = RISK_YELLOW;
	assert_int_equal(claim_light(&in), LIGHT_YELLOW);       /* yellow stays yellow */
	in.risk = RISK_RED;
	assert_int_equal(claim_light(&in), LIGHT_RED);          /* yellow -> red */
	in = working();
	in.deadline = MAY20 - DAY;
	in.risk = RISK_YELLOW;
	assert_int_equal(claim_light(&in), LIGHT_RED);          /* a yellow mark never lightens red */
	in = working();
	in.since = previous - DAY;
	in.risk = RISK_YELLOW;
	assert_int_equal(claim_light(&in), LIGHT_UNREPORTED);   /* unreported keeps its precedence over yellow */
	in.risk = RISK_RED;
	assert_int_equal(claim_light(&in), LIGHT_RED);          /* red is worse than unreported */
	in = working();
	in.state = CLAIM_APPROVED;
	in.risk = RISK_RED;
	assert_int_equal(claim_light(&in), LIGHT_RED);
	in.state = CLAIM_SOLVED;
	assert_int_equal(claim_light(&in), LIGHT_AWAITING);     /* solved: judged by its evaluation */
	in.state = CLAIM_ACCEPTED;
	assert_int_equal(claim_light(&in), LIGHT_NONE);
	in.state = CLAIM_WITHDRAWN;
	assert_int_equal(claim_light(&in), LIGHT_NONE);
	assert_int_equal(claim_risk_of("red"), RISK_RED);
	assert_int_equal(claim_risk_of("yellow"), RISK_YELLOW);
	assert_int_equal(claim_risk_of(""), RISK_NONE);
	assert_int_equal(claim_risk_of("Red"), RISK_NONE);
	assert_int_equal(claim_risk_of(NULL), RISK_NONE);
}

/* ---- the verbs, on a store ---- */

static struct tenant_fixture sqlite_fx = { .s.kind = DB_SQLITE, .name = "claim" };
static struct tenant_fixture pg_fx = { .s.kind = DB_POSTGRES, .name = "claim" };

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

static void seed(db *d)
{
	exec_ok(d, "INSERT INTO batch (tenant_id, id, name, year, phase, opens_at, closes_at) VALUES (1, 1, 'b', 2027, 'claiming', 0, 0)");
	exec_ok(d, "INSERT INTO category (tenant_id, id, name, position) VALUES (1, 1, 'c', 1)");
	exec_ok(d, "INSERT INTO unit (tenant_id, id, name, kind) VALUES (1, 1, 'u1', 'town'), (1, 2, 'u2', 'town')");
	for (int i = 1; i <= 9; i++) {
		char sql[200];
		snprintf(sql, sizeof(sql), "INSERT INTO person (tenant_id, id, name, unit_id, rank) VALUES (1, %d, 'p%d', %d, 'none')",
			 i, i, i == 3 || i >= 7 ? 2 : 1);
		exec_ok(d, sql);
	}
}

/* The problem state that goes with a claim state. */
static const char *problem_state_for(int s)
{
	switch (s) {
	case CLAIM_APPROVED: return "claimed";
	case CLAIM_SIGNED: return "in_progress";
	case CLAIM_SOLVED: return "solved";
	case CLAIM_ACCEPTED: return "accepted";
	default: return "published";
	}
}

/* A fresh problem and claim (id n) in state s, applied by the liaison
 * who applied; half-signed when approved. */
static void make_claim(db *d, int64_t n, int s)
{
	char sql[900];

	snprintf(sql, sizeof(sql), "INSERT INTO problem (tenant_id, id, batch_id, category_id, title, description, proposer_name,"
		 " state, is_public, created_at, updated_at) VALUES (1, %lld, 1, 1, 't%lld', 'd', 'n', '%s', 1, 0, 0)",
		 (long long)n, (long long)n, problem_state_for(s));
	exec_ok(d, sql);
	snprintf(sql, sizeof(sql), "INSERT INTO claim (tenant_id, id, problem_id, unit_id, lead_person_id, owner_person_id, state,"
		 " applied_at, applicant_user_id, route, deadline, owner_signed_at) VALUES (1, %lld, %lld, 1, 2, 1, '%s', 1, %d,"
		 " 'self', 4102444800, %s)", (long long)n, (long long)n, claim_state_info[s].code, 10 + W_LIAISON_APPLICANT,
		 s == CLAIM_APPROVED ? "5" : "NULL");
	exec_ok(d, sql);
	snprintf(sql, sizeof(sql), "INSERT INTO claim_member (tenant_id, claim_id, person_id, unit_id, role) VALUES"
		 " (1, %lld, 1, 1, 'owner'), (1, %lld, 2, 1, 'lead'), (1, %lld, 3, 2, 'member')",
		 (long long)n, (long long)n, (long long)n);
	exec_ok(d, sql);
}

static int64_t claim_state_now(db *d, int64_t n)
{
	char sql[120];
	db_stmt *st;
	int64_t s = -1;

	snprintf(sql, sizeof(sql), "SELECT state FROM claim WHERE tenant_id = 1 AND id = %lld", (long long)n);
	st = db_prepare_dynamic(d, sql);
	assert_non_null(st);
	if (db_step(st) == DB_ROW)
		s = claim_state_of(db_col_text(st, 0));
	db_finalize(st);
	return s;
}

/* The state an allowed action leads to from s (sign: the second
 * signature, as make_claim signs for the owner first). */
static int expected_to(const char *a, int s, enum who w)
{
	if (!strcmp(a, "endorse")) return CLAIM_APPLIED;
	if (!strcmp(a, "approve") || !strcmp(a, "accept-assignment")) return CLAIM_APPROVED;
	if (!strcmp(a, "reject")) return CLAIM_REJECTED;
	if (!strcmp(a, "decline-assignment")) return CLAIM_DECLINED;
	if (!strcmp(a, "sign")) return w == W_LEAD ? CLAIM_SIGNED : s;
	if (!strcmp(a, "return")) return CLAIM_SIGNED;
	if (!strcmp(a, "withdraw")) return CLAIM_WITHDRAWN;
	return s;
}

static void every_cell_through_the_verb(void **state)
{
	struct tenant_fixture *f = *state;
	static const char *const acted[] = { "endorse", "approve", "reject", "accept-assignment", "decline-assignment",
		"sign", "return", "withdraw" };
	int64_t n = 1000;
	int ok = 0, refused = 0;

	seed(f->d);
	for (size_t a = 0; a < sizeof(acted) / sizeof(acted[0]); a++)
		for (int s = 0; s < CLAIM_STATE_COUNT; s++)
			for (int w = 0; w < W_COUNT; w++) {
				struct principal p = principal_of(w);
				struct claim_act_in in = { .reason = "理由" };
				struct claim_act_out out;
				struct ctx c;
				int64_t audits;
				int rc;
				bool want = expected(acted[a], s, w);
				/* the owner already signed: a second signature by the owner is a conflict */
				if (!strcmp(acted[a], "sign") && w == W_OWNER)
					want = false;
				make_claim(f->d, ++n, s);
				audits = scalar(f->d, "SELECT count(*) FROM audit_event WHERE outcome = 'ok' AND object_type = 'claim'");
				ctx_init(&c, f->d, f->a, &p, "");
				rc = claim_act(&c, n, acted[a], &in, &out);
				if (want) {
					if (rc != JB_OK)
						fail_msg("%s by %s on %s: %d %s", acted[a], who_names[w], claim_state_info[s].code, rc,
							 ctx_message(&c, rc));
					assert_int_equal(claim_state_now(f->d, n), expected_to(acted[a], s, w));
					assert_int_equal(scalar(f->d, "SELECT count(*) FROM audit_event WHERE outcome = 'ok' AND object_type = 'claim'"),
							 audits + 1);
					ok++;
				} else {
					if (rc != JB_EDENIED && rc != JB_ECONFLICT)
						fail_msg("%s by %s on %s: %d %s (expected a refusal)", acted[a], who_names[w],
							 claim_state_info[s].code, rc, ctx_message(&c, rc));
					assert_int_equal(claim_state_now(f->d, n), s);
					assert_int_equal(scalar(f->d, "SELECT count(*) FROM audit_event WHERE outcome = 'ok' AND object_type = 'claim'"), audits);
					refused++;
				}
			}
	printf("# claim verbs on %s: %d cells, %d allowed, %d refused\n", db_kind(f->d) == DB_SQLITE ? "SQLite" : "PostgreSQL",
	       ok + refused, ok, refused);
	/* the problems moved with their claims */
	assert_int_equal(scalar(f->d, "SELECT count(*) FROM claim k JOIN problem p ON p.tenant_id = k.tenant_id"
				      " AND p.id = k.problem_id WHERE k.state = 'signed' AND p.state NOT IN ('in_progress')"
				      " AND k.id > 1000"), 0);
}

#define STORE_TEST(fn, fx) cmocka_unit_test_prestate_setup_teardown(fn, tenant_fixture_setup, tenant_fixture_teardown, fx)

int main(void)
{
	const struct CMUnitTest pure[] = {
		cmocka_unit_test(every_action_state_and_principal),
		cmocka_unit_test(the_light_follows_dates_reports_and_figures),
		cmocka_unit_test(a_risk_mark_shows_at_least_its_light),
		STORE_TEST(every_cell_through_the_verb, &sqlite_fx),
	};
	const struct CMUnitTest pg[] = {
		STORE_TEST(every_cell_through_the_verb, &pg_fx),
	};
	int failed;

	log_quiet(1);
	failed = cmocka_run_group_tests_name("claims", pure, NULL, NULL);
	if (testdb_pg_wanted("test_claim", &failed))
		failed += cmocka_run_group_tests_name("claims on PostgreSQL", pg, NULL, NULL);
	return failed ? 1 : 0;
}
