/* claim.c - the claim verbs (claim.h): apply, the table's actions,
 * progress and solve. */
#include "domain/robot.h"
#include "domain/claim.h"

#include <string.h>

#include "domain/batch.h"
#include "domain/evaluate.h"
#include "domain/evidence.h"
#include "domain/notify.h"
#include "domain/person.h"
#include "domain/search.h"

#define DAY 86400

static const struct bind_field member_fields[] = {
	BIND_ID(struct member_in, person_id, "成员", BIND_REQUIRED),
	BIND_ID(struct member_in, unit_id, "成员所在单位", 0),
	BIND_CHOICE(struct member_in, role, "在团队中的角色", 0, member_roles),
	BIND_END,
};

static const struct bind_field milestone_fields[] = {
	BIND_TEXT(struct milestone_in, title, "节点名称", BIND_REQUIRED, 1, 100),
	BIND_DATE(struct milestone_in, due, "节点时限", BIND_REQUIRED),
	BIND_END,
};

static const struct bind_field metric_fields[] = {
	BIND_TEXT(struct metric_in, name, "指标名称", BIND_REQUIRED, 1, 60),
	BIND_CHOICE(struct metric_in, kind, "指标类型", BIND_REQUIRED, metric_kinds),
	BIND_TEXT(struct metric_in, uom, "计量单位", 0, 0, 20),
	BIND_DECIMAL(struct metric_in, baseline, "基数", 0, 2, 0, CLAIM_VALUE_MAX),
	BIND_DECIMAL(struct metric_in, target, "目标值", BIND_REQUIRED, 2, 0, CLAIM_VALUE_MAX),
	BIND_END,
};

const struct bind_field claim_fields[] = {
	BIND_ID(struct claim_in, unit_id, "揭榜单位", BIND_REQUIRED),
	BIND_CHOICE(struct claim_in, route, "揭榜方式", 0, claim_routes),
	BIND_ID(struct claim_in, lead_person_id, "挂帅领导", BIND_REQUIRED),
	BIND_ID(struct claim_in, owner_person_id, "主要负责人", BIND_REQUIRED),
	BIND_LIST(struct claim_in, members, "团队成员", 0, CLAIM_TEAM_MAX - 2, member_fields, struct member_in),
	BIND_IDS(struct claim_in, cooperating_unit_ids, "配合单位", 0, CLAIM_COOP_MAX),
	BIND_TEXT(struct claim_in, plan, "攻坚方案", BIND_MULTILINE, 0, CLAIM_TEXT_MAX),
	BIND_TEXT(struct claim_in, goals, "目标", BIND_REQUIRED | BIND_MULTILINE, 1, CLAIM_TEXT_MAX),
	BIND_TEXT(struct claim_in, pledge, "军令状承诺", BIND_REQUIRED | BIND_MULTILINE, 1, CLAIM_TEXT_MAX),
	BIND_TEXT(struct claim_in, reward_penalty, "奖惩条款", BIND_REQUIRED | BIND_MULTILINE, 1, CLAIM_TEXT_MAX),
	BIND_DATE(struct claim_in, deadline, "完成时限", BIND_REQUIRED),
	BIND_LIST(struct claim_in, milestones, "节点", 0, CLAIM_MILESTONES_MAX, milestone_fields, struct milestone_in),
	BIND_LIST(struct claim_in, metrics, "量化指标", 0, CLAIM_METRICS_MAX, metric_fields, struct metric_in),
	BIND_END,
};

const struct bind_field claim_act_fields[] = {
	BIND_TEXT(struct claim_act_in, reason, "理由", BIND_MULTILINE, 0, CLAIM_REASON_MAX),
	BIND_CHOICE(struct claim_act_in, from, "原状态", 0, claim_states),
	BIND_TEXT(struct claim_act_in, rectify_plan, "整改要求", BIND_MULTILINE, 0, CLAIM_TEXT_MAX),
	BIND_DATE(struct claim_act_in, rectify_due, "整改期限", 0),
	BIND_END,
};

static const struct bind_field value_fields[] = {
	BIND_ID(struct value_in, metric_id, "指标", BIND_REQUIRED),
	BIND_DECIMAL(struct value_in, value, "当前值", BIND_REQUIRED, 2, 0, CLAIM_VALUE_MAX),
	BIND_END,
};

static const struct bind_field done_fields[] = {
	BIND_ID(struct done_in, milestone_id, "节点", BIND_REQUIRED),
	BIND_DATE(struct done_in, done, "完成日期", BIND_REQUIRED),
	BIND_END,
};

const struct bind_field progress_fields[] = {
	BIND_TEXT(struct progress_in, text, "进展情况", BIND_MULTILINE, 0, CLAIM_TEXT_MAX),
	BIND_TEXT(struct progress_in, difficulties, "遇到的困难", BIND_MULTILINE, 0, CLAIM_TEXT_MAX),
	BIND_TEXT(struct progress_in, help_needed, "需协调事项", BIND_MULTILINE, 0, CLAIM_TEXT_MAX),
	BIND_TEXT(struct progress_in, next_steps, "下步打算", BIND_MULTILINE, 0, CLAIM_TEXT_MAX),
	BIND_LIST(struct progress_in, values, "指标当前值", 0, CLAIM_METRICS_MAX, value_fields, struct value_in),
	BIND_LIST(struct progress_in, milestones_done, "已完成的节点", 0, CLAIM_MILESTONES_MAX, done_fields,
		  struct done_in),
	BIND_END,
};

int64_t metric_store_value(const char *kind, int64_t x100)
{
	if (!kind || x100 < 0)
		return -1;
	if (!strcmp(kind, "count"))
		return x100 % 100 ? -1 : x100 / 100;
	return x100;
}

const char *metric_format(arena *a, const char *kind, int64_t v)
{
	if (kind && !strcmp(kind, "count"))
		return arena_printf(a, "%lld", (long long)v);
	if (kind && !strcmp(kind, "percent") && v % 100 == 0)
		return arena_printf(a, "%lld", (long long)(v / 100));
	return arena_printf(a, "%lld.%02lld", (long long)(v / 100), (long long)(v % 100));
}

/* ---- what a verb reads of its claim ---- */

struct cl {
	int64_t id, problem_id, batch_id, unit_id, lead, owner, applicant, deadline;
	int64_t owner_signed, lead_signed;
	int state, problem_state;
	const char *route, *title, *unit;
	struct claim_party party;
};

/* c->who's relation to the claim: CR_* bits. */
static int relation(struct ctx *c, struct cl *k)
{
	int64_t member = 0;

	k->party = (struct claim_party){ c->who->tenant_id, k->unit_id, 0 };
	if (c->who->person_id && c->who->person_id == k->owner)
		k->party.rel |= CR_OWNER;
	if (c->who->person_id && c->who->person_id == k->lead)
		k->party.rel |= CR_LEAD;
	if (c->who->user_id && c->who->user_id == k->applicant)
		k->party.rel |= CR_APPLICANT;
	if (c->who->person_id &&
	    db_scalar(c->d, "SELECT count(*) FROM claim_member WHERE tenant_id = $1 AND claim_id = $2 AND person_id = $3",
		      &member, 3, c->who->tenant_id, k->id, c->who->person_id) < 0)
		return -1;
	if (member)
		k->party.rel |= CR_TEAM;
	return 0;
}

/* 0 found, 1 none, -1 store error. */
static int load_claim(struct ctx *c, int64_t id, struct cl *k)
{
	db_stmt *st = db_query(c->d, "SELECT k.id, k.problem_id, p.batch_id, k.unit_id, k.lead_person_id,"
				     " k.owner_person_id, coalesce(k.applicant_user_id, 0), coalesce(k.deadline, 0),"
				     " coalesce(k.owner_signed_at, 0), coalesce(k.lead_signed_at, 0), k.state, p.state,"
				     " k.route, p.title, u.name FROM claim k"
				     " JOIN problem p ON p.tenant_id = k.tenant_id AND p.id = k.problem_id"
				     " JOIN unit u ON u.tenant_id = k.tenant_id AND u.id = k.unit_id"
				     " WHERE k.tenant_id = $1 AND k.id = $2",
			       "ii", c->who->tenant_id, id);
	int rc;

	if (!st)
		return -1;
	if ((rc = db_step(st)) == DB_ROW) {
		k->id = db_col_int(st, 0);
		k->problem_id = db_col_int(st, 1);
		k->batch_id = db_col_int(st, 2);
		k->unit_id = db_col_int(st, 3);
		k->lead = db_col_int(st, 4);
		k->owner = db_col_int(st, 5);
		k->applicant = db_col_int(st, 6);
		k->deadline = db_col_int(st, 7);
		k->owner_signed = db_col_int(st, 8);
		k->lead_signed = db_col_int(st, 9);
		k->state = claim_state_of(db_col_text(st, 10));
		k->problem_state = problem_state_of(db_col_text(st, 11));
		k->route = arena_strdup(c->a, db_col_text(st, 12));
		k->title = arena_strdup(c->a, db_col_text(st, 13));
		k->unit = arena_strdup(c->a, db_col_text(st, 14));
	}
	db_done(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? 1 : -1;
	return relation(c, k) < 0 ? -1 : 0;
}

static int not_found(struct ctx *c, int64_t id)
{
	return ctx_fail(c, JB_ENOTFOUND, NULL, "not_found", arena_printf(c->a, "没有编号为 %lld 的揭榜", (long long)id));
}

/* ---- notifications ---- */

enum { T_OWNER = 1, T_LEAD = 2, T_TEAM = 4, T_APPLICANT = 8, T_ADMINS = 16, T_LIAISONS = 32 };

/* Tell the accounts in `to` (T_*) about claim k, except the actor. */
static int tell(struct ctx *c, const struct cl *k, unsigned to, const char *kind, const char *title, const char *body)
{
	db_stmt *st = db_query(c->d,
		"SELECT u.id FROM app_user u WHERE u.tenant_id = $1 AND u.disabled = 0 AND u.id <> $2 AND ("
		" ($3 <> 0 AND u.person_id = $4) OR ($5 <> 0 AND u.person_id = $6)"
		" OR ($7 <> 0 AND u.person_id IN (SELECT m.person_id FROM claim_member m WHERE m.tenant_id = $1"
		"   AND m.claim_id = $8))"
		" OR ($9 <> 0 AND u.id = $10)"
		" OR ($11 <> 0 AND EXISTS (SELECT 1 FROM user_role r WHERE r.tenant_id = $1 AND r.user_id = u.id"
		"   AND r.role = 'admin'))"
		" OR ($12 <> 0 AND u.unit_id = $13 AND EXISTS (SELECT 1 FROM user_role r WHERE r.tenant_id = $1"
		"   AND r.user_id = u.id AND r.role = 'unit_admin'))) ORDER BY u.id",
		"iiiiiiiiiiiii", c->who->tenant_id, c->who->user_id, (int64_t)(to & T_OWNER), k->owner,
		(int64_t)(to & T_LEAD), k->lead, (int64_t)(to & T_TEAM), k->id, (int64_t)(to & T_APPLICANT), k->applicant,
		(int64_t)(to & T_ADMINS), (int64_t)(to & T_LIAISONS), k->unit_id);

	return notify_users(c, st, kind, "claim", k->id, title, body) < 0 ? -1 : 0;
}

/* ---- the batch's rules ---- */

struct rules {
	struct batch b;
	int phase, max_parallel;
};

static int load_rules(struct ctx *c, int64_t batch_id, struct rules *r)
{
	int rc;

	if ((rc = batch_get(c->d, c->a, c->who->tenant_id, batch_id, &r->b)) != 0)
		return rc < 0 ? -1 : ctx_fail(c, JB_ENOTFOUND, NULL, "not_found", "没有这个批次");
	r->phase = batch_phase_now(&r->b, c->now);
	r->max_parallel = r->b.max_parallel < 1 ? 1 : r->b.max_parallel;
	return JB_OK;
}

/* The number of counted claims of the problem. -1 on a store error. */
static int64_t counted(struct ctx *c, int64_t problem_id)
{
	int64_t n = 0;

	if (db_scalar(c->d, "SELECT count(*) FROM claim WHERE tenant_id = $1 AND problem_id = $2 AND state IN "
			    STATE_SQL_COUNTED_CLAIMS, &n, 2, c->who->tenant_id, problem_id) < 0)
		return -1;
	return n;
}

/* Whether one more claim of problem (in state) may be counted: the
 * problem is on the board, or claimed and the batch's 赛马 width is not
 * full. JB_OK or JB_ECONFLICT with the reason. */
static int room_for_claim(struct ctx *c, int64_t problem_id, const char *title, int state, const struct rules *r)
{
	int64_t n;

	if (state == PROBLEM_PUBLISHED)
		return JB_OK;
	if (state != PROBLEM_CLAIMED && state != PROBLEM_IN_PROGRESS)
		return ctx_fail(c, JB_ECONFLICT, NULL, "wrong_state",
				arena_printf(c->a, "“#%lld %s”现为“%s”，不能再揭榜", (long long)problem_id, title,
					     state >= 0 ? problem_state_info[state].zh : "未知"));
	if ((n = counted(c, problem_id)) < 0)
		return -1;
	if (n < r->max_parallel)
		return JB_OK;
	return ctx_fail(c, JB_ECONFLICT, NULL, "claimed",
			r->max_parallel > 1
				? arena_printf(c->a, "“#%lld %s”已有 %lld 个揭榜获批，本批次最多允许 %d 个团队并行攻坚（赛马）",
					       (long long)problem_id, title, (long long)n, r->max_parallel)
				: arena_printf(c->a, "“#%lld %s”已有揭榜获批，本批次不允许多个团队并行攻坚", (long long)problem_id,
					       title));
}

/* Move k's problem from state `from` to `to` as a compare-and-set, and
 * write the step into the problem's history (problem.<step>: its
 * timeline shows it with the claiming unit). */
static int move_problem(struct ctx *c, const struct cl *k, int from, int to, const char *step, const char *reason)
{
	int rc = db_run(c->d, "UPDATE problem SET state = $3, updated_at = $4 WHERE tenant_id = $1 AND id = $2"
			      " AND state = $5 RETURNING id",
			"iisis", c->who->tenant_id, k->problem_id, problem_state_info[to].code, c->now,
			problem_state_info[from].code);
	json_t *after;

	if (rc == DB_ERROR)
		return -1;
	if (rc == DB_DONE)
		return ctx_fail(c, JB_ECONFLICT, NULL, "changed",
				arena_printf(c->a, "“#%lld %s”刚被他人处理，请刷新后再试", (long long)k->problem_id, k->title));
	after = json_pack("{s:s, s:s, s:I, s:s}", "from", problem_state_info[from].code, "to", problem_state_info[to].code,
			  "claim_id", (json_int_t)k->id, "unit", k->unit);
	if (reason && *reason)
		json_object_set_new(after, "reason", json_string(reason));
	return ctx_audit(c, arena_printf(c->a, "problem.%s", step), "problem", k->problem_id, NULL, after) < 0 ? -1 : JB_OK;
}

/* ---- applying ---- */

struct team {
	int64_t ids[CLAIM_TEAM_MAX];
	int n;
};

static bool team_has(const struct team *t, int64_t id)
{
	for (int i = 0; i < t->n; i++)
		if (t->ids[i] == id)
			return true;
	return false;
}

static int unit_exists(struct ctx *c, int64_t id, bool *yes)
{
	int64_t n = 0;

	if (db_scalar(c->d, "SELECT count(*) FROM unit WHERE tenant_id = $1 AND id = $2", &n, 2, c->who->tenant_id, id) < 0)
		return -1;
	*yes = n > 0;
	return 0;
}

/* Check one person field: exists in the tenant, not yet on the team. */
static int check_person(struct ctx *c, const char *field, const char *label, int64_t id, struct team *t,
			struct person *p)
{
	int rc = person_get(c->d, c->a, c->who->tenant_id, id, p);

	if (rc < 0)
		return -1;
	if (rc)
		return ctx_invalid(c, field, "unknown_person", arena_printf(c->a, "%s：本县没有这个人员", label));
	if (team_has(t, id))
		return ctx_invalid(c, field, "duplicate_person",
				   arena_printf(c->a, "%s：%s已在团队中，同一人只能出现一次", label, p->name));
	t->ids[t->n++] = id;
	return JB_OK;
}

static int check_team(struct ctx *c, struct claim_in *in, struct team *t)
{
	struct person p;
	bool ok;
	int rc;

	t->n = 0;
	if ((rc = check_person(c, "lead_person_id", "挂帅领导", in->lead_person_id, t, &p)) < 0)
		return -1;
	if (in->owner_person_id == in->lead_person_id)
		ctx_invalid(c, "owner_person_id", "same_person", "主要负责人和挂帅领导不能是同一人");
	else if (check_person(c, "owner_person_id", "主要负责人", in->owner_person_id, t, &p) < 0)
		return -1;
	for (int i = 0; i < in->members.n; i++) {
		struct member_in *m = &((struct member_in *)in->members.items)[i];
		const char *f = arena_printf(c->a, "members.%d.person_id", i);
		if ((rc = check_person(c, f, arena_printf(c->a, "第 %d 名成员", i + 1), m->person_id, t, &p)) < 0)
			return -1;
		if (rc != JB_OK)
			continue;
		if (!m->unit_id)
			m->unit_id = p.unit_id;
		else if (unit_exists(c, m->unit_id, &ok) < 0)
			return -1;
		else if (!ok)
			ctx_invalid(c, arena_printf(c->a, "members.%d.unit_id", i), "unknown_unit",
				    arena_printf(c->a, "第 %d 名成员：没有这个单位", i + 1));
		if (!m->role)
			m->role = "member";
		else if (!strcmp(m->role, "lead") || !strcmp(m->role, "owner"))
			ctx_invalid(c, arena_printf(c->a, "members.%d.role", i), "one_owner",
				    "挂帅领导和主要负责人只能各有一人，请在上方选择");
	}
	return JB_OK;
}

static int check_units(struct ctx *c, const struct claim_in *in)
{
	bool ok;

	if (unit_exists(c, in->unit_id, &ok) < 0)
		return -1;
	if (!ok)
		ctx_invalid(c, "unit_id", "unknown_unit", "揭榜单位：没有这个单位");
	for (int i = 0; i < in->cooperating_unit_ids.n; i++) {
		int64_t u = in->cooperating_unit_ids.v[i];
		if (unit_exists(c, u, &ok) < 0)
			return -1;
		if (!ok)
			ctx_invalid(c, "cooperating_unit_ids", "unknown_unit", "配合单位：有一个单位不存在");
		else if (u == in->unit_id)
			ctx_invalid(c, "cooperating_unit_ids", "lead_unit", "揭榜（牵头）单位不必再列为配合单位");
		for (int j = 0; j < i; j++)
			if (in->cooperating_unit_ids.v[j] == u)
				ctx_invalid(c, "cooperating_unit_ids", "duplicate", "同一配合单位选择了两次");
	}
	return JB_OK;
}

static void check_dates(struct ctx *c, const struct claim_in *in)
{
	if (in->deadline && in->deadline <= c->now)
		ctx_invalid(c, "deadline", "past", "完成时限须晚于今天");
	for (int i = 0; i < in->milestones.n; i++) {
		const struct milestone_in *m = &((const struct milestone_in *)in->milestones.items)[i];
		const char *f = arena_printf(c->a, "milestones.%d.due", i);
		if (m->due <= c->now)
			ctx_invalid(c, f, "past", arena_printf(c->a, "节点“%s”的时限须晚于今天", m->title));
		else if (in->deadline && m->due > in->deadline)
			ctx_invalid(c, f, "after_deadline", arena_printf(c->a, "节点“%s”的时限不能晚于完成时限", m->title));
	}
}

static void check_metrics(struct ctx *c, const struct claim_in *in)
{
	for (int i = 0; i < in->metrics.n; i++) {
		const struct metric_in *m = &((const struct metric_in *)in->metrics.items)[i];
		if (metric_store_value(m->kind, m->target) < 0)
			ctx_invalid(c, arena_printf(c->a, "metrics.%d.target", i), "whole_number", "数量类指标的目标值须为整数");
		if (metric_store_value(m->kind, m->baseline) < 0)
			ctx_invalid(c, arena_printf(c->a, "metrics.%d.baseline", i), "whole_number", "数量类指标的基数须为整数");
		if (m->kind && !strcmp(m->kind, "percent") && (m->target > 10000 * 100 || m->baseline > 10000 * 100))
			ctx_invalid(c, arena_printf(c->a, "metrics.%d.target", i), "too_large", "百分比不能超过 10000%");
	}
}

/* The route's permission and first state. */
static int route_check(struct ctx *c, const struct claim_in *in, const struct team *t, int *state, bool *endorsed)
{
	struct perm_target unit = { c->who->tenant_id, in->unit_id, 0, false };
	struct perm_target mine = { c->who->tenant_id, in->unit_id, 0, team_has(t, c->who->person_id) };

	*endorsed = false;
	if (!strcmp(in->route, "assigned")) {
		if (!perm_check(c->who, "claim.assign", &unit))
			return ctx_deny(c, "claim.assign", "problem", 0);
		*state = CLAIM_ASSIGNED;
		return JB_OK;
	}
	if (!perm_check(c->who, "claim.apply", &unit))
		return ctx_deny(c, "claim.apply", "problem", 0);
	/* A liaison applies for its unit; anyone else for a team it is on. */
	*endorsed = perm_check(c->who, "claim.endorse", &unit);
	if (!*endorsed && !mine.member)
		return ctx_invalid(c, "owner_person_id", "not_on_team",
				   c->who->person_id ? "自荐或申请揭榜时，您本人须是挂帅领导、主要负责人或团队成员"
						     : "您的账号尚未关联人员信息，不能申请揭榜；请联系管理员关联");
	*state = !strcmp(in->route, "recommended") && !*endorsed ? CLAIM_ENDORSING : CLAIM_APPLIED;
	return JB_OK;
}

static int insert_claim(struct ctx *c, int64_t pid, const struct claim_in *in, int state, bool endorsed, int64_t id)
{
	int64_t tenant = c->who->tenant_id;

	if (db_run(c->d, "INSERT INTO claim (tenant_id, id, problem_id, unit_id, lead_person_id, owner_person_id, state,"
			 " pledge, deadline, applied_at, route, applicant_user_id, plan, goals, reward_penalty, endorsed_at,"
			 " updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $10)",
		   "iiiiiissiisdsssd", tenant, id, pid, in->unit_id, in->lead_person_id, in->owner_person_id,
		   claim_state_info[state].code, in->pledge, in->deadline, c->now, in->route, c->who->user_id,
		   in->plan ? in->plan : "", in->goals, in->reward_penalty, endorsed ? c->now : (int64_t)0) != DB_DONE)
		return -1;
	return 0;
}

static int insert_member(struct ctx *c, int64_t claim, int64_t person, int64_t unit, const char *role)
{
	if (!unit && db_scalar(c->d, "SELECT unit_id FROM person WHERE tenant_id = $1 AND id = $2", &unit, 2,
			       c->who->tenant_id, person) < 0)
		return -1;
	return db_run(c->d, "INSERT INTO claim_member (tenant_id, claim_id, person_id, unit_id, role)"
			    " VALUES ($1, $2, $3, $4, $5)", "iiiis", c->who->tenant_id, claim, person, unit, role) == DB_DONE
		       ? 0 : -1;
}

static int insert_parts(struct ctx *c, const struct claim_in *in, int64_t id)
{
	int64_t tenant = c->who->tenant_id;

	if (insert_member(c, id, in->lead_person_id, 0, "lead") < 0 ||
	    insert_member(c, id, in->owner_person_id, 0, "owner") < 0)
		return -1;
	for (int i = 0; i < in->members.n; i++) {
		const struct member_in *m = &((const struct member_in *)in->members.items)[i];
		if (insert_member(c, id, m->person_id, m->unit_id, m->role) < 0)
			return -1;
	}
	for (int i = 0; i < in->cooperating_unit_ids.n; i++)
		if (db_run(c->d, "INSERT INTO claim_cooperator (tenant_id, claim_id, unit_id) VALUES ($1, $2, $3)", "iii",
			   tenant, id, in->cooperating_unit_ids.v[i]) != DB_DONE)
			return -1;
	for (int i = 0; i < in->milestones.n; i++) {
		const struct milestone_in *m = &((const struct milestone_in *)in->milestones.items)[i];
		int64_t mid = db_next_id(c->d, tenant, "milestone");
		if (mid < 0 || db_run(c->d, "INSERT INTO milestone (tenant_id, id, claim_id, title, due_at)"
					    " VALUES ($1, $2, $3, $4, $5)", "iiisi", tenant, mid, id, m->title, m->due) != DB_DONE)
			return -1;
	}
	for (int i = 0; i < in->metrics.n; i++) {
		const struct metric_in *m = &((const struct metric_in *)in->metrics.items)[i];
		int64_t mid = db_next_id(c->d, tenant, "metric");
		int64_t base = metric_store_value(m->kind, m->baseline);
		if (mid < 0 || db_run(c->d, "INSERT INTO metric (tenant_id, id, claim_id, name, kind, uom, target, achieved,"
					    " baseline) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)", "iiisssii", tenant, mid,
				      id, m->name, m->kind, m->uom ? m->uom : "", metric_store_value(m->kind, m->target),
				      base) != DB_DONE)
			return -1;
	}
	return 0;
}

struct apply_args {
	int64_t problem_id;
	struct claim_in *in;
	int64_t *id;
};

static int load_problem(struct ctx *c, int64_t id, int64_t *batch, int *state, const char **title)
{
	db_stmt *st = db_query(c->d, "SELECT batch_id, state, title FROM problem WHERE tenant_id = $1 AND id = $2", "ii",
			       c->who->tenant_id, id);
	int rc;

	if (!st)
		return -1;
	if ((rc = db_step(st)) == DB_ROW) {
		*batch = db_col_int(st, 0);
		*state = problem_state_of(db_col_text(st, 1));
		*title = arena_strdup(c->a, db_col_text(st, 2));
	}
	db_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

/* The phase a claim may be made in: 发榜揭榜; an assignment also in 攻坚. */
static int phase_allows(struct ctx *c, const struct rules *r, bool assigned)
{
	if (r->phase == PHASE_CLAIMING || (assigned && r->phase == PHASE_WORKING))
		return JB_OK;
	return ctx_fail(c, JB_ECONFLICT, NULL, "wrong_phase",
			arena_printf(c->a, "“%s”现处于“%s”阶段，%s", r->b.name, batch_phase_info[r->phase].zh,
				     assigned ? "只有“发榜揭榜”和“攻坚”阶段可以组织点将" : "只有“发榜揭榜”阶段可以申请揭榜"));
}

static int apply_verb(struct ctx *c, void *args)
{
	struct apply_args *x = args;
	struct claim_in *in = x->in;
	struct team *t = arena_alloc(c->a, sizeof(*t));
	struct rules r;
	const char *title;
	int64_t batch, open = 0;
	int rc, pstate, state = CLAIM_APPLIED;
	bool endorsed;
	struct cl k;

	if (!in->route)
		in->route = "self";
	if ((rc = load_problem(c, x->problem_id, &batch, &pstate, &title)) != 0)
		return rc < 0 ? -1 : ctx_fail(c, JB_ENOTFOUND, NULL, "not_found", "没有这个难题");
	if (check_team(c, in, t) < 0 || check_units(c, in) < 0)
		return -1;
	check_dates(c, in);
	check_metrics(c, in);
	if (c->nerrs)
		return JB_EINVALID;
	if ((rc = route_check(c, in, t, &state, &endorsed)) != JB_OK)
		return rc;
	if ((rc = load_rules(c, batch, &r)) != JB_OK || (rc = phase_allows(c, &r, state == CLAIM_ASSIGNED)) != JB_OK ||
	    (rc = room_for_claim(c, x->problem_id, title, pstate, &r)) != JB_OK)
		return rc;
	if (db_scalar(c->d, "SELECT count(*) FROM claim WHERE tenant_id = $1 AND problem_id = $2 AND unit_id = $3"
			    " AND (state IN " STATE_SQL_PENDING_CLAIMS " OR state IN " STATE_SQL_COUNTED_CLAIMS ")",
		      &open, 3, c->who->tenant_id, x->problem_id, in->unit_id) < 0)
		return -1;
	if (open)
		return ctx_fail(c, JB_ECONFLICT, "unit_id", "already_applied", "该单位已有这道难题的揭榜申请，请勿重复申请");
	if ((*x->id = db_next_id(c->d, c->who->tenant_id, "claim")) < 0 ||
	    insert_claim(c, x->problem_id, in, state, endorsed, *x->id) < 0 || insert_parts(c, in, *x->id) < 0)
		return -1;
	if (ctx_audit(c, state == CLAIM_ASSIGNED ? "claim.assign" : "claim.apply", "claim", *x->id, NULL,
		      json_pack("{s:I, s:I, s:s, s:s, s:I, s:I, s:i}", "problem_id", (json_int_t)x->problem_id, "unit_id",
				(json_int_t)in->unit_id, "route", in->route, "state", claim_state_info[state].code,
				"owner_person_id", (json_int_t)in->owner_person_id, "lead_person_id",
				(json_int_t)in->lead_person_id, "team", t->n)) < 0)
		return -1;
	if (load_claim(c, *x->id, &k) != 0)
		return -1;
	if (state == CLAIM_ASSIGNED)
		return tell(c, &k, T_OWNER, "claim.assign", arena_printf(c->a, "组织点将：请您牵头攻坚“%s”", title),
			    "请在“我的工作”中接受或婉拒（婉拒请说明理由）");
	if (state == CLAIM_ENDORSING)
		return tell(c, &k, T_LIAISONS, "claim.apply", arena_printf(c->a, "“%s”有本单位的揭榜申请待推荐", title), "");
	return tell(c, &k, T_ADMINS, "claim.apply", arena_printf(c->a, "“%s”有新的揭榜申请待审批（%s）", title, k.unit), "");
}

int claim_apply(struct ctx *c, int64_t problem_id, struct claim_in *in, int64_t *claim_id)
{
	struct apply_args x = { problem_id, in, claim_id };

	*claim_id = 0;
	return action_run(c, apply_verb, &x);
}

/* ---- the table's actions ---- */

/* The row of action that c->who may use on k, or the reason it may not. */
static int pick_row(struct ctx *c, const char *action, const struct cl *k, const struct claim_act_in *in,
		    const struct claim_transition **out)
{
	const struct claim_transition *first = claim_transition_find(action), *t;
	const char *from = "";
	bool permitted = false;

	if (!first)
		return ctx_invalid(c, "action", "unknown_action", "没有这种揭榜操作");
	for (t = first; t < claim_transitions + claim_transitions_count && !strcmp(t->action, action); t++) {
		if (!claim_row_permits(c->who, t, &k->party))
			continue;
		permitted = true;
		if (claim_row_from(t, k->state) && (!in || !in->from || claim_state_of(in->from) == k->state)) {
			*out = t;
			return JB_OK;
		}
		for (int s = 0; s < CLAIM_STATE_COUNT; s++)
			if (claim_row_from(t, s) && !strstr(from, claim_state_info[s].zh))
				from = arena_printf(c->a, "%s%s“%s”", from, *from ? "、" : "", claim_state_info[s].zh);
	}
	if (!permitted)
		return ctx_deny(c, first->perm, "claim", k->id);
	return ctx_fail(c, JB_ECONFLICT, NULL, "wrong_state",
			arena_printf(c->a, "这项揭榜现为“%s”，不能%s（只能对%s的揭榜执行）",
				     k->state >= 0 ? claim_state_info[k->state].zh : "未知", first->zh, from));
}

/* Compare-and-set of the claim's state, with the columns the action sets. */
static int move_claim(struct ctx *c, const struct cl *k, int to, const char *set)
{
	const char *sql = arena_printf(c->a, "UPDATE claim SET state = $3, updated_at = $4%s%s WHERE tenant_id = $1"
					     " AND id = $2 AND state = $5 RETURNING id", *set ? ", " : "", set);
	db_stmt *st = db_prepare_dynamic(c->d, sql);
	int rc;

	if (!st)
		return -1;
	db_bind_int(st, 1, c->who->tenant_id);
	db_bind_int(st, 2, k->id);
	db_bind_text(st, 3, claim_state_info[to].code);
	db_bind_int(st, 4, c->now);
	db_bind_text(st, 5, claim_state_info[k->state].code);
	rc = db_step(st);
	db_finalize(st);
	if (rc == DB_ERROR)
		return -1;
	if (rc == DB_DONE)
		return ctx_fail(c, JB_ECONFLICT, NULL, "changed", "这项揭榜刚被他人处理，请刷新后再试");
	return JB_OK;
}

static int set_reason(struct ctx *c, const struct cl *k, const char *reason)
{
	return db_run(c->d, "UPDATE claim SET decided_reason = $3 WHERE tenant_id = $1 AND id = $2", "iis",
		      c->who->tenant_id, k->id, reason) == DB_DONE ? 0 : -1;
}

/* When approvals fill the batch's width, the applications still pending
 * on the problem are turned down, with reason, and told. */
static int close_competitors(struct ctx *c, const struct cl *k, const struct rules *r, const char *reason)
{
	db_stmt *st;
	int64_t *ids = NULL, n;
	int cnt = 0, cap = 0, rc;

	if ((n = counted(c, k->problem_id)) < 0)
		return -1;
	if (n < r->max_parallel)
		return JB_OK;
	if (!(st = db_query(c->d, "SELECT id FROM claim WHERE tenant_id = $1 AND problem_id = $2 AND state IN "
				  STATE_SQL_PENDING_CLAIMS " ORDER BY +id", "ii", c->who->tenant_id, k->problem_id)))
		return -1;
	while ((rc = db_step(st)) == DB_ROW)
		*ARENA_PUSH(c->a, ids, cnt, cap) = db_col_int(st, 0);
	db_done(st);
	if (rc != DB_DONE)
		return -1;
	for (int i = 0; i < cnt; i++) {
		struct cl o;
		const char *why = reason && *reason ? reason : "已批准其他单位的揭榜申请";
		if (load_claim(c, ids[i], &o) != 0 || move_claim(c, &o, CLAIM_REJECTED, "closed_at = $4") != JB_OK ||
		    set_reason(c, &o, why) < 0)
			return -1;
		if (ctx_audit(c, "claim.reject", "claim", o.id, NULL,
			      json_pack("{s:s, s:s, s:s, s:I}", "from", claim_state_info[o.state].code, "to", "rejected",
					"reason", why, "approved_claim_id", (json_int_t)k->id)) < 0 ||
		    tell(c, &o, T_APPLICANT | T_OWNER, "claim.reject",
			 arena_printf(c->a, "您对“%s”的揭榜申请未获批准", o.title), arena_printf(c->a, "理由：%s", why)) < 0)
			return -1;
	}
	return JB_OK;
}

/* The problem's side of approving (or accepting an assignment). */
static int count_claim(struct ctx *c, const struct cl *k, const char *reason)
{
	struct rules r;
	int rc;

	if ((rc = load_rules(c, k->batch_id, &r)) != JB_OK ||
	    (rc = room_for_claim(c, k->problem_id, k->title, k->problem_state, &r)) != JB_OK)
		return rc;
	if (k->problem_state == PROBLEM_PUBLISHED &&
	    (rc = move_problem(c, k, PROBLEM_PUBLISHED, PROBLEM_CLAIMED, "claimed", NULL)) != JB_OK)
		return rc;
	if ((rc = move_claim(c, k, CLAIM_APPROVED, "approved_at = $4")) != JB_OK)
		return rc;
	if (search_reindex_problem(c->d, c->who->tenant_id, k->problem_id) < 0)
		return -1;
	return close_competitors(c, k, &r, reason);
}

/* Signing: the signer's date; both dates make the pledge binding. */
static int sign(struct ctx *c, struct cl *k, bool *binding)
{
	bool as_owner = (k->party.rel & CR_OWNER) != 0;
	int64_t mine = as_owner ? k->owner_signed : k->lead_signed, other = as_owner ? k->lead_signed : k->owner_signed;
	int rc;

	if (mine)
		return ctx_fail(c, JB_ECONFLICT, NULL, "already_signed", "您已签署这份军令状");
	*binding = other != 0;
	if (db_run(c->d, as_owner ? "UPDATE claim SET owner_signed_at = $3, updated_at = $3 WHERE tenant_id = $1 AND id = $2"
					  " AND owner_signed_at IS NULL RETURNING id"
				  : "UPDATE claim SET lead_signed_at = $3, updated_at = $3 WHERE tenant_id = $1 AND id = $2"
					  " AND lead_signed_at IS NULL RETURNING id",
		   "iii", c->who->tenant_id, k->id, c->now) != DB_ROW)
		return -1;
	if (!*binding)
		return tell(c, k, as_owner ? T_LEAD : T_OWNER, "claim.sign",
			    arena_printf(c->a, "“%s”的军令状待您签署", k->title), "另一方已签署；双方签署后进入攻坚");
	if ((rc = move_claim(c, k, CLAIM_SIGNED, "signed_at = $4")) != JB_OK)
		return rc;
	if (k->problem_state == PROBLEM_CLAIMED &&
	    (rc = move_problem(c, k, PROBLEM_CLAIMED, PROBLEM_IN_PROGRESS, "pledged", NULL)) != JB_OK)
		return rc;
	return tell(c, k, T_TEAM | T_ADMINS, "claim.sign", arena_printf(c->a, "“%s”的军令状已签订，进入攻坚", k->title), "");
}

/* Withdrawing (退榜): the problem returns to the board when no counted
 * claim is left on it. */
static int withdraw(struct ctx *c, const struct cl *k, const char *reason, bool *moved)
{
	int64_t left;
	int rc;

	if ((rc = move_claim(c, k, CLAIM_WITHDRAWN, "closed_at = $4")) != JB_OK)
		return rc;
	*moved = false;
	if (!(claim_state_info[k->state].flags & CS_COUNTED))
		return JB_OK;
	if ((left = counted(c, k->problem_id)) < 0)
		return -1;
	if (search_reindex_problem(c->d, c->who->tenant_id, k->problem_id) < 0)
		return -1;
	if (left || (k->problem_state != PROBLEM_CLAIMED && k->problem_state != PROBLEM_IN_PROGRESS))
		return JB_OK;
	*moved = true;
	return move_problem(c, k, k->problem_state, PROBLEM_PUBLISHED, "reopened", reason);
}

/* Who hears of action, and what. */
static int announce(struct ctx *c, const struct cl *k, const struct claim_transition *t, const char *reason)
{
	const char *kind = arena_printf(c->a, "claim.%s", t->action), *body = *reason ? arena_printf(c->a, "理由：%s", reason) : "";
	const char *a = t->action;

	if (!strcmp(a, "endorse"))
		return tell(c, k, T_ADMINS, kind, arena_printf(c->a, "“%s”有单位推荐的揭榜申请待审批（%s）", k->title, k->unit), "") < 0 ||
		       tell(c, k, T_APPLICANT, kind, arena_printf(c->a, "您对“%s”的揭榜申请已获单位推荐", k->title), "") < 0 ? -1 : 0;
	if (!strcmp(a, "approve") || !strcmp(a, "accept-assignment"))
		return tell(c, k, T_APPLICANT | T_OWNER | T_LEAD | (strcmp(a, "approve") ? T_ADMINS : 0), kind,
			    arena_printf(c->a, "“%s”的揭榜已确定，请主要负责人和挂帅领导签订军令状", k->title), "") < 0 ||
		       outbox_event(c, "claim_approved", arena_printf(c->a, "揭榜申请通过：%s", k->title),
				    arena_printf(c->a, "揭榜单位：%s", k->unit), arena_printf(c->a, "/claims/%lld", (long long)k->id),
				    json_pack("{s:I, s:I, s:s, s:s}", "claim_id", (json_int_t)k->id, "problem_id",
					      (json_int_t)k->problem_id, "problem", k->title, "unit", k->unit)) < 0 ? -1 : 0;
	if (!strcmp(a, "reject"))
		return tell(c, k, T_APPLICANT | T_OWNER, kind, arena_printf(c->a, "您对“%s”的揭榜申请未获批准", k->title), body);
	if (!strcmp(a, "decline-assignment"))
		return tell(c, k, T_ADMINS, kind, arena_printf(c->a, "“%s”的点将人选已婉拒", k->title), body);
	if (!strcmp(a, "return"))
		return tell(c, k, T_OWNER | T_LEAD, kind, arena_printf(c->a, "“%s”的破题申报被退回，请继续攻坚", k->title), body);
	if (!strcmp(a, "withdraw"))
		return tell(c, k, T_TEAM | T_ADMINS | T_APPLICANT, kind, arena_printf(c->a, "“%s”已%s", k->title, t->zh), body);
	return 0;
}

struct act_args {
	int64_t id;
	const char *action;
	struct claim_act_in *in;
	struct claim_act_out *out;
};

static int act_verb(struct ctx *c, void *args)
{
	struct act_args *x = args;
	const struct claim_transition *t = NULL;
	const char *reason = x->in->reason ? x->in->reason : "";
	bool binding = false, moved = false;
	int to, rc;
	struct cl k;
	json_t *after;

	memset(x->out, 0, sizeof(*x->out));
	if ((rc = load_claim(c, x->id, &k)) != 0)
		return rc < 0 ? -1 : not_found(c, x->id);
	if ((rc = pick_row(c, x->action, &k, x->in, &t)) != JB_OK)
		return rc;
	if (t->to < 0 || !strcmp(t->action, "solve"))
		return ctx_invalid(c, "action", "own_route", arena_printf(c->a, "“%s”请使用它自己的表单", t->zh));
	if ((t->needs & CT_REASON) && !*reason)
		return ctx_invalid(c, "reason", "missing_field", arena_printf(c->a, "请填写%s的理由", t->zh));
	to = t->to;
	if (!strcmp(t->action, "approve") || !strcmp(t->action, "accept-assignment"))
		rc = count_claim(c, &k, reason);
	else if (!strcmp(t->action, "sign"))
		rc = sign(c, &k, &binding), to = binding ? CLAIM_SIGNED : k.state;
	else if (!strcmp(t->action, "withdraw"))
		rc = withdraw(c, &k, reason, &moved);
	else if (!strcmp(t->action, "return")) {
		if ((rc = move_claim(c, &k, CLAIM_SIGNED, "solved_at = NULL")) == JB_OK && k.problem_state == PROBLEM_SOLVED)
			rc = move_problem(c, &k, PROBLEM_SOLVED, PROBLEM_IN_PROGRESS, "resumed", reason), moved = true;
		if (rc == JB_OK)
			rc = evaluation_on_return(c, k.id, x->in->rectify_plan, x->in->rectify_due);
	} else
		rc = move_claim(c, &k, to, !strcmp(t->action, "endorse") ? "endorsed_at = $4" : "closed_at = $4");
	if (rc != JB_OK)
		return rc;
	if (*reason && set_reason(c, &k, reason) < 0)
		return -1;
	after = json_pack("{s:s, s:s}", "from", claim_state_info[k.state].code, "to", claim_state_info[to].code);
	if (*reason)
		json_object_set_new(after, "reason", json_string(reason));
	if (!strcmp(t->action, "return") && x->in->rectify_plan && *x->in->rectify_plan)
		json_object_set_new(after, "rectify_plan", json_string(x->in->rectify_plan));
	if (!strcmp(t->action, "return") && x->in->rectify_due)
		json_object_set_new(after, "rectify_due", json_integer(x->in->rectify_due));
	if (!strcmp(t->action, "sign"))
		json_object_set_new(after, "as", json_string(k.party.rel & CR_OWNER ? "owner" : "lead"));
	if (ctx_audit(c, arena_printf(c->a, "claim.%s", !strcmp(t->action, "accept-assignment") ? "accept_assignment"
						     : !strcmp(t->action, "decline-assignment") ? "decline_assignment"
						     : t->action), "claim", k.id, NULL, after) < 0)
		return -1;
	if (strcmp(t->action, "sign") && announce(c, &k, t, reason) < 0)
		return -1;
	x->out->from = k.state;
	x->out->to = to;
	x->out->problem_moved = moved || (to == CLAIM_APPROVED && k.problem_state == PROBLEM_PUBLISHED) ||
				(to == CLAIM_SIGNED && binding && k.problem_state == PROBLEM_CLAIMED);
	return JB_OK;
}

int claim_act(struct ctx *c, int64_t id, const char *action, struct claim_act_in *in, struct claim_act_out *out)
{
	struct act_args x = { id, action, in, out };

	return action_run(c, act_verb, &x);
}

/* ---- progress and solve ---- */

static int record_values(struct ctx *c, const struct cl *k, int64_t pid, const struct progress_in *in)
{
	for (int i = 0; i < in->values.n; i++) {
		const struct value_in *v = &((const struct value_in *)in->values.items)[i];
		const char *f = arena_printf(c->a, "values.%d.value", i);
		db_stmt *st = db_query(c->d, "SELECT kind FROM metric WHERE tenant_id = $1 AND id = $2 AND claim_id = $3", "iii",
				       c->who->tenant_id, v->metric_id, k->id);
		const char *kind = NULL;
		int64_t value;
		int rc;
		if (!st)
			return -1;
		if ((rc = db_step(st)) == DB_ROW)
			kind = arena_strdup(c->a, db_col_text(st, 0));
		db_done(st);
		if (rc == DB_ERROR)
			return -1;
		if (!kind) {
			ctx_invalid(c, arena_printf(c->a, "values.%d.metric_id", i), "unknown_metric", "这项揭榜没有这个指标");
			continue;
		}
		for (int j = 0; j < i; j++)
			if (((const struct value_in *)in->values.items)[j].metric_id == v->metric_id)
				return ctx_invalid(c, f, "duplicate", "同一指标填写了两次");
		if ((value = metric_store_value(kind, v->value)) < 0) {
			ctx_invalid(c, f, "whole_number", "数量类指标的当前值须为整数");
			continue;
		}
		if (db_run(c->d, "UPDATE metric SET achieved = $4 WHERE tenant_id = $1 AND id = $2 AND claim_id = $3", "iiii",
			   c->who->tenant_id, v->metric_id, k->id, value) != DB_DONE ||
		    db_run(c->d, "INSERT INTO progress_value (tenant_id, progress_id, metric_id, value) VALUES ($1, $2, $3, $4)",
			   "iiii", c->who->tenant_id, pid, v->metric_id, value) != DB_DONE)
			return -1;
	}
	return JB_OK;
}

static int record_done(struct ctx *c, const struct cl *k, const struct progress_in *in)
{
	for (int i = 0; i < in->milestones_done.n; i++) {
		const struct done_in *m = &((const struct done_in *)in->milestones_done.items)[i];
		const char *f = arena_printf(c->a, "milestones_done.%d.done", i);
		int rc;
		if (m->done > c->now) {
			ctx_invalid(c, f, "future", "完成日期不能晚于今天");
			continue;
		}
		rc = db_run(c->d, "UPDATE milestone SET done_at = $4 WHERE tenant_id = $1 AND id = $2 AND claim_id = $3"
				  " AND done_at IS NULL RETURNING id", "iiii", c->who->tenant_id, m->milestone_id, k->id, m->done);
		if (rc == DB_ERROR)
			return -1;
		if (rc == DB_DONE)
			ctx_invalid(c, arena_printf(c->a, "milestones_done.%d.milestone_id", i), "not_open",
				    "这个节点不属于这项揭榜，或已标记完成");
	}
	return JB_OK;
}

struct progress_args {
	int64_t id;
	struct progress_in *in;
	int64_t *progress_id;
	bool solve;
};

static int progress_verb(struct ctx *c, void *args)
{
	struct progress_args *x = args;
	struct progress_in *in = x->in;
	const struct claim_transition *t = NULL;
	const char *text = in->text ? in->text : "";
	struct cl k;
	int rc;

	if ((rc = load_claim(c, x->id, &k)) != 0)
		return rc < 0 ? -1 : not_found(c, x->id);
	if ((rc = pick_row(c, x->solve ? "solve" : "progress", &k, NULL, &t)) != JB_OK)
		return rc;
	if (x->solve && !*text)
		return ctx_invalid(c, "text", "missing_field", "请填写破题总结");
	if (!*text && !in->values.n && !in->milestones_done.n)
		return ctx_invalid(c, "text", "missing_field", "请填写进展情况，或更新指标、标记完成的节点");
	if (!c->who->person_id)
		return ctx_invalid(c, NULL, "no_person", "您的账号尚未关联人员信息，不能报送进展");
	if ((*x->progress_id = db_next_id(c->d, c->who->tenant_id, "progress")) < 0 ||
	    db_run(c->d, "INSERT INTO progress (tenant_id, id, claim_id, author_person_id, at, title, body, difficulties,"
			 " help_needed, next_steps, kind, is_public) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1)",
		   "iiiiissssss", c->who->tenant_id, *x->progress_id, k.id, c->who->person_id, c->now,
		   x->solve ? "破题申报" : "攻坚进展", text, in->difficulties ? in->difficulties : "",
		   in->help_needed ? in->help_needed : "", in->next_steps ? in->next_steps : "",
		   x->solve ? "solve" : "report") != DB_DONE)
		return -1;
	if (record_values(c, &k, *x->progress_id, in) < 0 || record_done(c, &k, in) < 0)
		return -1;
	if ((rc = evidence_attach(c, k.id, *x->progress_id, in->files, in->nfiles)) != JB_OK)
		return rc;
	if (c->nerrs)
		return JB_EINVALID;
	if (x->solve) {
		if ((rc = move_claim(c, &k, CLAIM_SOLVED, "solved_at = $4")) != JB_OK)
			return rc;
		if (k.problem_state == PROBLEM_IN_PROGRESS &&
		    (rc = move_problem(c, &k, PROBLEM_IN_PROGRESS, PROBLEM_SOLVED, "solved", NULL)) != JB_OK)
			return rc;
	} else if (db_run(c->d, "UPDATE claim SET updated_at = $3 WHERE tenant_id = $1 AND id = $2", "iii",
			  c->who->tenant_id, k.id, c->now) != DB_DONE ||
		   db_run(c->d, "UPDATE problem SET updated_at = $3 WHERE tenant_id = $1 AND id = $2", "iii",
			  c->who->tenant_id, k.problem_id, c->now) != DB_DONE) {
		return -1;
	}
	if (ctx_audit(c, x->solve ? "claim.solve" : "claim.progress", "claim", k.id, NULL,
		      json_pack("{s:I, s:i, s:i, s:b}", "progress_id", (json_int_t)*x->progress_id, "values", in->values.n,
				"milestones_done", in->milestones_done.n, "help_needed",
				in->help_needed && *in->help_needed)) < 0)
		return -1;
	if (x->solve)
		return tell(c, &k, T_ADMINS | T_TEAM, "claim.solve", arena_printf(c->a, "“%s”已申报破题，待验收", k.title), "");
	if ((in->help_needed && *in->help_needed) || (in->difficulties && *in->difficulties))
		return tell(c, &k, T_LEAD | T_ADMINS, "claim.progress",
			    arena_printf(c->a, "“%s”报送了困难或需协调事项", k.title), in->help_needed ? in->help_needed : "");
	return JB_OK;
}

/* A report, and on any failure the stored files no row names removed
 * (evidence.h). */
static int run_report(struct ctx *c, struct progress_args *x)
{
	int rc;

	*x->progress_id = 0;
	if ((rc = action_run(c, progress_verb, x)) != JB_OK)
		evidence_discard(c, x->in->files, x->in->nfiles);
	return rc;
}

int claim_progress(struct ctx *c, int64_t id, struct progress_in *in, int64_t *progress_id)
{
	struct progress_args x = { id, in, progress_id, false };

	return run_report(c, &x);
}

int claim_solve(struct ctx *c, int64_t id, struct progress_in *in, int64_t *progress_id)
{
	struct progress_args x = { id, in, progress_id, true };

	return run_report(c, &x);
}
