/* tolerance.c - fault-tolerance requests and decisions (tolerance.h). */
#include "domain/tolerance.h"

#include <string.h>

#include "domain/asof.h"
#include "domain/notify.h"
#include "domain/perm.h"
#include "domain/rubric.h"
#include "domain/state.h"
#include "util/text.h"

const struct label failures[] = {
	{ "none", "未失败" },
	{ "withdrawn", "退榜" },
	{ "graded", "验收不合格" },
	{ "overdue", "逾期未破题" },
	{ NULL, NULL },
};

const struct label tolerance_states[] = {
	{ "pending", "待认定" },
	{ "granted", "予以容错" },
	{ "refused", "不予容错" },
	{ NULL, NULL },
};

const struct label tolerance_decisions[] = {
	{ "granted", "予以容错" },
	{ "refused", "不予容错" },
	{ NULL, NULL },
};

const struct bind_field tolerance_fields[] = {
	BIND_TEXT(struct tolerance_in, reason, "申请理由", BIND_REQUIRED | BIND_MULTILINE, 1, TOLERANCE_TEXT_MAX),
	BIND_TEXT(struct tolerance_in, tried, "已采取的措施", BIND_REQUIRED | BIND_MULTILINE, 1, TOLERANCE_TEXT_MAX),
	BIND_END,
};

const struct bind_field tolerance_decide_fields[] = {
	BIND_CHOICE(struct tolerance_decide_in, decision, "认定结果", BIND_REQUIRED, tolerance_decisions),
	BIND_TEXT(struct tolerance_decide_in, basis, "认定依据", BIND_REQUIRED | BIND_MULTILINE, 1, TOLERANCE_TEXT_MAX),
	BIND_END,
};

enum failure tolerance_failure(const struct failure_in *in)
{
	unsigned flags = in->state >= 0 && in->state < CLAIM_STATE_COUNT ? claim_state_info[in->state].flags : 0;

	if (in->state == CLAIM_WITHDRAWN && in->closed_at && (in->approved_at || in->signed_at))
		return FAILURE_WITHDRAWN;
	if (in->grade && !strcmp(in->grade, grades[GRADE_FAIL].code))
		return FAILURE_GRADED;
	if ((flags & CS_WORKING) && in->deadline && in->deadline < in->as_of)
		return FAILURE_OVERDUE;
	return FAILURE_NONE;
}

int tolerance_failure_of(db *d, int64_t tenant_id, int64_t claim_id, int64_t now, enum failure *out, bool *tolerated)
{
	db_stmt *st = db_query(d, "SELECT c.state, coalesce(c.approved_at, 0), coalesce(c.signed_at, 0),"
				  " coalesce(c.closed_at, 0), coalesce(c.deadline, 0), c.grade, c.tolerated, "
				  BATCH_AS_OF_SQL("b", "$3") " FROM claim c"
				  " JOIN problem p ON p.tenant_id = c.tenant_id AND p.id = c.problem_id"
				  " JOIN batch b ON b.tenant_id = p.tenant_id AND b.id = p.batch_id"
				  " WHERE c.tenant_id = $1 AND c.id = $2", "iii", tenant_id, claim_id, now);
	struct failure_in in;
	int rc;

	*out = FAILURE_NONE;
	*tolerated = false;
	if (!st)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW) {
		in = (struct failure_in){ claim_state_of(db_col_text(st, 0)), db_col_int(st, 1), db_col_int(st, 2),
					  db_col_int(st, 3), db_col_int(st, 4), db_col_int(st, 7), db_col_text(st, 5) };
		*out = tolerance_failure(&in);
		*tolerated = db_col_int(st, 6) != 0;
	}
	db_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

/* ---- reading ---- */

#define TOL_COLS "SELECT t.id, t.claim_id, t.state, t.reason, t.tried, t.applied_at, t.applied_by," \
		 " coalesce(t.decided_at, 0), t.decided_by, t.basis, p.title FROM tolerance t" \
		 " JOIN claim c ON c.tenant_id = t.tenant_id AND c.id = t.claim_id" \
		 " JOIN problem p ON p.tenant_id = c.tenant_id AND p.id = c.problem_id"

static void fill(arena *a, db_stmt *st, struct tolerance *x)
{
	x->id = db_col_int(st, 0);
	x->claim_id = db_col_int(st, 1);
	x->state = arena_strdup(a, db_col_text(st, 2));
	x->reason = arena_strdup(a, db_col_text(st, 3));
	x->tried = arena_strdup(a, db_col_text(st, 4));
	x->applied_at = db_col_int(st, 5);
	x->applied_by = arena_strdup(a, db_col_text(st, 6));
	x->decided_at = db_col_int(st, 7);
	x->decided_by = arena_strdup(a, db_col_text(st, 8));
	x->basis = arena_strdup(a, db_col_text(st, 9));
	x->title = arena_strdup(a, db_col_text(st, 10));
}

int tolerance_get(db *d, arena *a, int64_t tenant_id, int64_t id, struct tolerance *out)
{
	db_stmt *st = db_query(d, TOL_COLS " WHERE t.tenant_id = $1 AND t.id = $2", "ii", tenant_id, id);
	int rc;

	memset(out, 0, sizeof(*out));
	if (!st)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW)
		fill(a, st, out);
	db_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

int tolerance_list(db *d, arena *a, int64_t tenant_id, int64_t claim_id, int64_t person_id, struct tolerance **out,
		   int *n)
{
	db_stmt *st = db_query(d, TOL_COLS " WHERE t.tenant_id = $1 AND (t.claim_id = $2 OR ($3 > 0 AND EXISTS"
				  " (SELECT 1 FROM claim_member m WHERE m.tenant_id = t.tenant_id AND m.claim_id = t.claim_id"
				  " AND m.person_id = $3))) ORDER BY t.id", "iii", tenant_id, claim_id, person_id);
	int rc, cap = 0;

	*out = NULL;
	*n = 0;
	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW)
		fill(a, st, ARENA_PUSH(a, *out, *n, cap));
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

/* ---- who ---- */

bool tolerance_may_apply(const struct principal *who, const struct claim_brief *claim)
{
	struct perm_target t = { who->tenant_id, claim->unit_id, 0,
				 who->person_id && who->person_id == claim->owner_person_id };

	return perm_check(who, "tolerance.apply", &t);
}

bool tolerance_may_decide(const struct principal *who, const struct claim_brief *claim)
{
	struct perm_target t = { who->tenant_id, claim->unit_id, 0, false };

	return perm_check(who, "tolerance.decide", &t);
}

/* ---- the verbs ---- */

static bool blank(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			continue;
		if (p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x80) {
			p += 2;
			continue;
		}
		return false;
	}
	return true;
}

static int load_claim(struct ctx *c, int64_t id, struct claim_brief *cl)
{
	int rc = claim_brief_get(c->d, c->a, c->who->tenant_id, id, c->now, cl);

	if (rc < 0)
		return -1;
	return rc ? ctx_fail(c, JB_ENOTFOUND, NULL, "not_found", "没有这个揭榜") : 0;
}

/* Tell the tenant's enabled admins. */
static int tell_admins(struct ctx *c, int64_t claim_id, const char *title, const char *body)
{
	db_stmt *st = db_query(c->d, "SELECT DISTINCT u.id FROM app_user u JOIN user_role r ON r.tenant_id = u.tenant_id"
				     " AND r.user_id = u.id WHERE u.tenant_id = $1 AND u.disabled = 0 AND r.role = 'admin'"
				     " ORDER BY u.id", "i", c->who->tenant_id);

	return notify_users(c, st, "tolerance.apply", "claim", claim_id, title, body) < 0 ? -1 : 0;
}

struct applying {
	int64_t claim_id;
	const struct tolerance_in *in;
	int64_t id;
};

static int apply_verb(struct ctx *c, void *args)
{
	struct applying *x = args;
	struct claim_brief cl;
	enum failure why;
	bool tolerated;
	int64_t pending;
	int rc;

	if ((rc = load_claim(c, x->claim_id, &cl)) != 0)
		return rc;
	if (!tolerance_may_apply(c->who, &cl))
		return ctx_deny(c, "tolerance.apply", "claim", cl.id);
	if (blank(x->in->reason))
		rc = ctx_invalid(c, "reason", "missing_field", "请填写申请理由");
	if (blank(x->in->tried))
		rc = ctx_invalid(c, "tried", "missing_field", "请填写已采取的措施");
	if (rc)
		return rc;
	if (tolerance_failure_of(c->d, c->who->tenant_id, cl.id, c->now, &why, &tolerated) != 0)
		return -1;
	if (tolerated)
		return ctx_fail(c, JB_ECONFLICT, NULL, "tolerated", "这个揭榜已认定容错，无需再申请");
	if (why == FAILURE_NONE)
		return ctx_fail(c, JB_ECONFLICT, NULL, "not_failed",
				"只有失败的揭榜才能申请容错：已退榜、验收不合格，或完成时限已过仍未破题");
	if (db_scalar(c->d, "SELECT count(*) FROM tolerance WHERE tenant_id = $1 AND claim_id = $2 AND state = 'pending'",
		      &pending, 2, c->who->tenant_id, cl.id) < 0)
		return -1;
	if (pending)
		return ctx_fail(c, JB_ECONFLICT, NULL, "pending", "这个揭榜已有一份待认定的容错申请，请等认定后再申请");
	if ((x->id = db_next_id(c->d, c->who->tenant_id, "tolerance")) < 0)
		return -1;
	if (db_run(c->d, "INSERT INTO tolerance (tenant_id, id, claim_id, state, reason, tried, applied_at, applied_by,"
			 " applicant_user_id) VALUES ($1, $2, $3, 'pending', $4, $5, $6, $7, $8)",
		   "iiissisd", c->who->tenant_id, x->id, cl.id, x->in->reason, x->in->tried, c->now, ctx_actor(c).name,
		   c->who->user_id > 0 ? c->who->user_id : 0) != DB_DONE)
		return -1;
	if (tell_admins(c, cl.id, arena_printf(c->a, "容错申请待认定：%s", failures[why].zh),
			arena_printf(c->a, "“%s”：%s", cl.title, x->in->reason)) < 0)
		return -1;
	return ctx_audit(c, "tolerance.apply", "tolerance", x->id, NULL,
			 json_pack("{s:I, s:s, s:s, s:s}", "claim_id", (json_int_t)cl.id, "failure", failures[why].code,
				   "reason", x->in->reason, "tried", x->in->tried));
}

int tolerance_apply(struct ctx *c, int64_t claim_id, const struct tolerance_in *in, int64_t *id)
{
	struct applying x = { claim_id, in, 0 };
	int rc = action_run(c, apply_verb, &x);

	*id = rc == JB_OK ? x.id : 0;
	return rc;
}

struct deciding {
	int64_t id;
	const struct tolerance_decide_in *in;
};

static int tell_team(struct ctx *c, const struct claim_brief *cl, const char *title, const char *body)
{
	if (notify_person(c, cl->owner_person_id, "tolerance.decide", "claim", cl->id, title, body) < 0)
		return -1;
	if (cl->lead_person_id == cl->owner_person_id)
		return 0;
	return notify_person(c, cl->lead_person_id, "tolerance.decide", "claim", cl->id, title, body) < 0 ? -1 : 0;
}

static int decide_verb(struct ctx *c, void *args)
{
	struct deciding *x = args;
	struct tolerance t;
	struct claim_brief cl;
	bool grant;
	int rc = tolerance_get(c->d, c->a, c->who->tenant_id, x->id, &t);

	if (rc)
		return rc < 0 ? -1 : ctx_fail(c, JB_ENOTFOUND, NULL, "not_found", "没有这份容错申请");
	if ((rc = load_claim(c, t.claim_id, &cl)) != 0)
		return rc;
	if (!tolerance_may_decide(c->who, &cl))
		return ctx_deny(c, "tolerance.decide", "tolerance", x->id);
	if (blank(x->in->basis))
		return ctx_invalid(c, "basis", "missing_field", "请填写认定依据（三个区分开来）");
	if (strcmp(t.state, "pending"))
		return ctx_fail(c, JB_ECONFLICT, NULL, "decided",
				arena_printf(c->a, "这份容错申请已认定（%s），不能再改", label_of(tolerance_states, t.state)));
	grant = !strcmp(x->in->decision, "granted");
	rc = db_run(c->d, "UPDATE tolerance SET state = $3, decided_at = $4, decided_by = $5, basis = $6"
			  " WHERE tenant_id = $1 AND id = $2 AND state = 'pending' RETURNING id",
		    "iisiss", c->who->tenant_id, x->id, x->in->decision, c->now, ctx_actor(c).name, x->in->basis);
	if (rc == DB_ERROR)
		return -1;
	if (rc == DB_DONE)
		return ctx_fail(c, JB_ECONFLICT, NULL, "decided", "这份容错申请刚刚已被认定");
	if (grant && db_run(c->d, "UPDATE claim SET tolerated = 1, updated_at = $3 WHERE tenant_id = $1 AND id = $2",
			    "iii", c->who->tenant_id, cl.id, c->now) != DB_DONE)
		return -1;
	if (tell_team(c, &cl, grant ? "容错申请已认定：予以容错" : "容错申请已认定：不予容错",
		      arena_printf(c->a, "“%s”：%s", cl.title, x->in->basis)) < 0)
		return -1;
	return ctx_audit(c, "tolerance.decide", "tolerance", x->id, json_pack("{s:s}", "state", "pending"),
			 json_pack("{s:I, s:s, s:s}", "claim_id", (json_int_t)cl.id, "state", x->in->decision, "basis",
				   x->in->basis));
}

int tolerance_decide(struct ctx *c, int64_t id, const struct tolerance_decide_in *in)
{
	struct deciding x = { id, in };

	return action_run(c, decide_verb, &x);
}
