/* claim_risk.c - the mid-term review's risk mark on a working claim
 * (claim.h, "the mid-term risk"): marking and clearing it, reading it. */
#include "domain/claim.h"

#include <string.h>

#include "domain/notify.h"
#include "domain/perm.h"

const struct label claim_risks[] = {
	{ "yellow", "黄灯（有风险）" },
	{ "red", "红灯（风险较大）" },
	{ NULL, NULL },
};

const struct bind_field risk_fields[] = {
	BIND_TEXT(struct risk_in, level, "风险等级", 0, 0, 10),
	BIND_TEXT(struct risk_in, note, "风险说明", BIND_MULTILINE, 0, CLAIM_RISK_NOTE_MAX),
	BIND_END,
};

int claim_risk_of(const char *code)
{
	if (code && !strcmp(code, "yellow"))
		return RISK_YELLOW;
	if (code && !strcmp(code, "red"))
		return RISK_RED;
	return RISK_NONE;
}

static const char *risk_code(int risk)
{
	return risk == RISK_NONE ? "" : claim_risks[risk - 1].code;
}

/* What a verb reads of the claim. */
struct risk_claim {
	int64_t id;
	int state, risk;
	const char *title, *note;
};

/* 0 found, 1 none, -1 store error. */
static int load(struct ctx *c, int64_t id, struct risk_claim *k)
{
	db_stmt *st = db_query(c->d, "SELECT k.state, k.risk, k.risk_note, p.title FROM claim k"
				     " JOIN problem p ON p.tenant_id = k.tenant_id AND p.id = k.problem_id"
				     " WHERE k.tenant_id = $1 AND k.id = $2",
			       "ii", c->who->tenant_id, id);
	int rc;

	if (!st)
		return -1;
	if ((rc = db_step(st)) == DB_ROW) {
		k->id = id;
		k->state = claim_state_of(db_col_text(st, 0));
		k->risk = claim_risk_of(db_col_text(st, 1));
		k->note = arena_strdup(c->a, db_col_text(st, 2));
		k->title = arena_strdup(c->a, db_col_text(st, 3));
	}
	db_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

/* The input's level (enum risk) and its errors. */
static int check_input(struct ctx *c, const struct risk_in *in, int *risk)
{
	bool clear = !in->level || !*in->level;

	*risk = claim_risk_of(in->level);
	if (!clear && *risk == RISK_NONE)
		return ctx_invalid(c, "level", "bad_choice", "风险等级只能是黄灯、红灯，或清除风险标记");
	if (!clear && (!in->note || !*in->note))
		return ctx_invalid(c, "note", "missing_field", "请填写风险说明：存在什么风险、需要怎样改进");
	return JB_OK;
}

/* Tell the claim's team (owner, lead, members; not the actor). */
static int tell_team(struct ctx *c, const struct risk_claim *k, int risk, const char *note)
{
	db_stmt *st = db_query(c->d,
		"SELECT u.id FROM app_user u WHERE u.tenant_id = $1 AND u.disabled = 0 AND u.id <> $2 AND u.person_id IN ("
		" SELECT owner_person_id FROM claim WHERE tenant_id = $1 AND id = $3"
		" UNION SELECT lead_person_id FROM claim WHERE tenant_id = $1 AND id = $3"
		" UNION SELECT person_id FROM claim_member WHERE tenant_id = $1 AND claim_id = $3) ORDER BY u.id",
		"iii", c->who->tenant_id, c->who->user_id, k->id);
	const char *title = risk == RISK_NONE
		? arena_printf(c->a, "“%s”的中期评估风险标记已清除", k->title)
		: arena_printf(c->a, "“%s”在中期评估中被标记为%s", k->title, claim_risks[risk - 1].zh);

	return notify_users(c, st, "claim.risk", "claim", k->id, title, risk == RISK_NONE ? "" : note) < 0 ? -1 : 0;
}

struct risk_change {
	int64_t id;
	const struct risk_in *in;
};

static int mark_verb(struct ctx *c, void *args)
{
	const struct risk_change *x = args;
	struct perm_target t = { c->who->tenant_id, 0, 0, false };
	struct risk_claim k;
	const char *note;
	int rc, risk;

	if (!perm_check(c->who, "evaluation.manage", &t))
		return ctx_deny(c, "evaluation.manage", "claim", x->id);
	if ((rc = load(c, x->id, &k)) != 0)
		return rc < 0 ? -1 : ctx_fail(c, JB_ENOTFOUND, NULL, "not_found", "没有这项揭榜");
	if ((rc = check_input(c, x->in, &risk)) != JB_OK)
		return rc;
	if (k.state < 0 || !(claim_state_info[k.state].flags & CS_WORKING))
		return ctx_fail(c, JB_ECONFLICT, NULL, "wrong_state",
				arena_printf(c->a, "这项揭榜现为“%s”，只有攻坚中的揭榜（待立军令状、已立军令状）可以标记风险",
					     k.state >= 0 ? claim_state_info[k.state].zh : "未知"));
	note = risk == RISK_NONE ? "" : x->in->note;
	if (db_run(c->d, "UPDATE claim SET risk = $3, risk_note = $4, risk_at = $5, updated_at = $6"
			 " WHERE tenant_id = $1 AND id = $2",
		   "iissdi", c->who->tenant_id, k.id, risk_code(risk), note, risk == RISK_NONE ? (int64_t)0 : c->now,
		   c->now) < 0 ||
	    tell_team(c, &k, risk, note) < 0)
		return -1;
	return ctx_audit(c, "claim.risk", "claim", k.id, json_pack("{s:s, s:s}", "risk", risk_code(k.risk), "note", k.note),
			 json_pack("{s:s, s:s}", "risk", risk_code(risk), "note", note));
}

int claim_risk_mark(struct ctx *c, int64_t id, const struct risk_in *in)
{
	struct risk_change x = { id, in };

	return action_run(c, mark_verb, &x);
}

int claim_risk_get(struct ctx *c, const struct claim_detail *d, struct claim_risk *out)
{
	db_stmt *st = db_query(c->d, "SELECT k.risk, k.risk_note, coalesce(k.risk_at, 0), coalesce(b.midterm_on, 0)"
				     " FROM claim k JOIN batch b ON b.tenant_id = k.tenant_id AND b.id = $3"
				     " WHERE k.tenant_id = $1 AND k.id = $2",
			       "iii", c->who->tenant_id, d->id, d->batch_id);
	bool working = d->state >= 0 && (claim_state_info[d->state].flags & CS_WORKING);
	int rc;

	memset(out, 0, sizeof(*out));
	out->note = "";
	if (!st)
		return -1;
	if ((rc = db_step(st)) == DB_ROW) {
		out->risk = working ? claim_risk_of(db_col_text(st, 0)) : RISK_NONE;
		if (out->risk != RISK_NONE && claim_reads_internal(c->who, d))
			out->note = arena_strdup(c->a, db_col_text(st, 1));
		out->at = out->risk != RISK_NONE ? db_col_int(st, 2) : 0;
		out->midterm_on = db_col_int(st, 3);
	}
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}
