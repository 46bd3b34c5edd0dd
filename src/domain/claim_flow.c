/* claim_flow.c - the claim transition table and the status light
 * (claim.h): pure functions of their input, no store. */
#include "domain/claim.h"

#include <string.h>

#include "domain/transition.h"
#include "util/civil.h"

#define B(s) STATE_BIT(CLAIM_##s)
#define STAYS (-1)   /* to: the state does not change */
#define PENDING (B(ENDORSING) | B(APPLIED) | B(ASSIGNED))
#define WORKING (B(APPROVED) | B(SIGNED))

const struct label claim_routes[] = {
	{ "self", "自荐" },
	{ "recommended", "单位推荐" },
	{ "assigned", "组织点将" },
	{ NULL, NULL },
};

const struct label member_roles[] = {
	{ "member", "成员" },
	{ "liaison", "联络员" },
	{ "mentor", "帮带导师" },
	{ "lead", "挂帅领导" },
	{ "owner", "主要负责人" },
	{ NULL, NULL },
};

const struct label metric_kinds[] = {
	{ "count", "数量" },
	{ "money", "金额（元）" },
	{ "percent", "百分比（%）" },
	{ NULL, NULL },
};

const struct label lights[] = {
	{ "", "" },
	{ "green", "正常" },
	{ "yellow", "滞后" },
	{ "red", "逾期" },
	{ "unreported", "未报送" },
	{ "awaiting", "待验收" },
	{ NULL, NULL },
};

/* Rows of one action are tried in order; the first the reader may use
 * decides. CR_ANY rows are the 组织部's (tenant-wide permissions). */
const struct claim_transition claim_transitions[] = {
	{ "endorse", "单位推荐", B(ENDORSING), CLAIM_APPLIED, "claim.endorse", CR_ANY, 0 },
	{ "approve", "批准揭榜", B(APPLIED), CLAIM_APPROVED, "claim.approve", CR_ANY, 0 },
	{ "reject", "不予批准", B(ENDORSING) | B(APPLIED), CLAIM_REJECTED, "claim.approve", CR_ANY, CT_REASON },
	{ "reject", "不予推荐", B(ENDORSING), CLAIM_REJECTED, "claim.endorse", CR_ANY, CT_REASON },
	{ "accept-assignment", "接受点将", B(ASSIGNED), CLAIM_APPROVED, "claim.respond", CR_OWNER, 0 },
	{ "decline-assignment", "婉拒点将", B(ASSIGNED), CLAIM_DECLINED, "claim.respond", CR_OWNER, CT_REASON },
	{ "sign", "签订军令状", B(APPROVED), CLAIM_SIGNED, "claim.sign", CR_OWNER | CR_LEAD, 0 },
	{ "progress", "报送攻坚进展", B(SIGNED), STAYS, "claim.progress", CR_TEAM, 0 },
	{ "extend", "申请延期", B(SIGNED), STAYS, "claim.extend", CR_OWNER, CT_REASON },
	{ "supervise", "发出督办单", WORKING, STAYS, "claim.supervise", CR_ANY, CT_REASON },
	{ "solve", "申报破题", B(SIGNED), CLAIM_SOLVED, "claim.solve", CR_OWNER, 0 },
	{ "return", "退回破题申报", B(SOLVED), CLAIM_SIGNED, "claim.return", CR_ANY, CT_REASON },
	{ "withdraw", "撤回申请", B(ENDORSING) | B(APPLIED), CLAIM_WITHDRAWN, "claim.withdraw", CR_APPLICANT | CR_OWNER, 0 },
	{ "withdraw", "退榜", WORKING, CLAIM_WITHDRAWN, "claim.withdraw", CR_OWNER, CT_REASON },
	{ "withdraw", "退榜", PENDING | WORKING, CLAIM_WITHDRAWN, "claim.withdraw", CR_ANY, CT_REASON },
};
const int claim_transitions_count = (int)(sizeof(claim_transitions) / sizeof(claim_transitions[0]));

const struct claim_transition *claim_transition_find(const char *action)
{
	for (int i = 0; action && i < claim_transitions_count; i++)
		if (!strcmp(claim_transitions[i].action, action))
			return &claim_transitions[i];
	return NULL;
}

/* Whether who holds t's permission over the claim: "own" grants reach
 * only the relations t names (a CR_ANY row needs a unit or tenant grant). */
bool claim_row_permits(const struct principal *who, const struct claim_transition *t, const struct claim_party *party)
{
	bool rel = t->who == CR_ANY || (party->rel & t->who);
	struct perm_target pt = { party->tenant_id, party->unit_id, 0, t->who != CR_ANY && rel };

	return rel && perm_check(who, t->perm, &pt);
}

bool claim_row_from(const struct claim_transition *t, int state)
{
	return state >= 0 && state < CLAIM_STATE_COUNT && (t->from & STATE_BIT(state));
}

bool claim_transition_allowed(const struct principal *who, const char *action, int state,
			      const struct claim_party *party)
{
	for (const struct claim_transition *t = claim_transition_find(action);
	     t && t < claim_transitions + claim_transitions_count && !strcmp(t->action, action); t++)
		if (claim_row_from(t, state) && claim_row_permits(who, t, party))
			return true;
	return false;
}

/* ---- the light ---- */

#define DAY 86400
#define TZ_OFFSET (8 * 3600)  /* Asia/Shanghai: UTC+8, no daylight saving */

/* The end (local midnight after it) of report day `day` of month m of y. */
static int64_t report_due(int64_t y, int64_t m, int day)
{
	while (m < 1) {
		m += 12;
		y--;
	}
	return (civil_days(y, m, day) + 1) * DAY - TZ_OFFSET;
}

void claim_report_days(int64_t as_of, int report_day, int64_t *latest, int64_t *previous)
{
	int64_t y, m, d, due;

	if (report_day < 1 || report_day > 28)
		report_day = 25;
	civil_from_days((as_of + TZ_OFFSET) / DAY, &y, &m, &d);
	due = report_due(y, m, report_day);
	if (due > as_of) {
		m--;
		due = report_due(y, m, report_day);
	}
	*latest = due;
	*previous = report_due(y, m - 1, report_day);
}

static bool near(int64_t due, int64_t as_of, int warn_days)
{
	return due && due >= as_of && due - as_of <= (int64_t)warn_days * DAY;
}

/* The light from the dates, the reports and the metrics alone. */
static enum light computed_light(const struct light_in *in)
{
	int64_t latest, previous;

	if (in->state == CLAIM_SOLVED)
		return LIGHT_AWAITING;
	if (in->state < 0 || in->state >= CLAIM_STATE_COUNT || !(claim_state_info[in->state].flags & CS_WORKING))
		return LIGHT_NONE;
	if ((in->deadline && in->deadline < in->as_of) || (in->next_due && in->next_due < in->as_of))
		return LIGHT_RED;
	claim_report_days(in->as_of, in->report_day, &latest, &previous);
	if (in->state == CLAIM_SIGNED && in->since && in->since <= previous && in->last_report <= previous)
		return LIGHT_UNREPORTED;
	if (near(in->next_due, in->as_of, in->warn_days) || near(in->deadline, in->as_of, in->warn_days))
		return LIGHT_YELLOW;
	if (in->completion >= 0 && in->deadline > in->since && in->since && in->as_of > in->since) {
		int64_t elapsed = (in->as_of - in->since) * 100 / (in->deadline - in->since);
		if (elapsed - in->completion > 25)
			return LIGHT_YELLOW;
	}
	return LIGHT_GREEN;
}

enum light claim_light(const struct light_in *in)
{
	enum light l = computed_light(in);

	if (l == LIGHT_NONE || l == LIGHT_AWAITING)
		return l;
	if (in->risk == RISK_RED)
		return LIGHT_RED;
	if (in->risk == RISK_YELLOW && l == LIGHT_GREEN)
		return LIGHT_YELLOW;
	return l;
}

/* The first report day's end after as_of: report days are 28 to 31 days
 * apart, so one of the two latest at as_of + 31 days. */
static int64_t next_report_day(int64_t as_of, int report_day)
{
	int64_t latest, previous;

	claim_report_days(as_of + 31 * DAY, report_day, &latest, &previous);
	return previous > as_of ? previous : latest;
}

static void sooner(int64_t *until, int64_t at, int64_t as_of)
{
	if (at > as_of && at < *until)
		*until = at;
}

int64_t claim_light_until(const struct light_in *in)
{
	int64_t until = INT64_MAX, w = (int64_t)in->warn_days * DAY;

	if (in->state < 0 || in->state >= CLAIM_STATE_COUNT || !(claim_state_info[in->state].flags & CS_WORKING))
		return until;
	if (in->deadline) {
		sooner(&until, in->deadline + 1, in->as_of);
		sooner(&until, in->deadline - w, in->as_of);
	}
	if (in->next_due) {
		sooner(&until, in->next_due + 1, in->as_of);
		sooner(&until, in->next_due - w, in->as_of);
	}
	sooner(&until, next_report_day(in->as_of, in->report_day), in->as_of);
	if (in->completion >= 0 && in->deadline > in->since && in->since) {
		int64_t span = in->deadline - in->since, lag = (int64_t)in->completion + 26;
		sooner(&until, in->since + 1, in->as_of);
		sooner(&until, in->since + (lag * span + 99) / 100, in->as_of);
	}
	return until;
}

int64_t claim_light_missed(const struct light_in *in)
{
	int64_t missed = 0;

	if (in->deadline && in->deadline < in->as_of)
		missed = in->deadline;
	if (in->next_due && in->next_due < in->as_of && (!missed || in->next_due < missed))
		missed = in->next_due;
	return missed;
}
