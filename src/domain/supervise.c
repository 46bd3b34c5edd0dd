/* supervise.c - supervision notices, replies, escalation and extension
 * requests (supervise.h). */
#include "domain/robot.h"
#include "domain/supervise.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "domain/asof.h"
#include "domain/claim.h"
#include "domain/notify.h"
#include "domain/perm.h"
#include "util/text.h"

#define TZ_OFFSET (8 * 3600) /* Asia/Shanghai */

const struct label extension_states[] = {
	{ "pending", "待审批" },
	{ "approved", "已同意" },
	{ "refused", "未同意" },
	{ NULL, NULL },
};

const struct bind_field supervision_fields[] = {
	BIND_TEXT(struct supervision_in, reason, "督办事由", BIND_REQUIRED | BIND_MULTILINE, 1, SUPERVISE_TEXT_MAX),
	BIND_DATE(struct supervision_in, reply_by, "答复期限", BIND_REQUIRED),
	BIND_END,
};
const struct bind_field reply_fields[] = {
	BIND_TEXT(struct reply_in, reply, "答复内容", BIND_REQUIRED | BIND_MULTILINE, 1, SUPERVISE_TEXT_MAX),
	BIND_END,
};
const struct bind_field extend_fields[] = {
	BIND_TEXT(struct extend_in, reason, "延期理由", BIND_REQUIRED | BIND_MULTILINE, 1, SUPERVISE_TEXT_MAX),
	BIND_DATE(struct extend_in, new_deadline, "新的完成时限", BIND_REQUIRED),
	BIND_END,
};
const struct bind_field decide_fields[] = {
	BIND_TEXT(struct decide_in, reason, "理由", BIND_MULTILINE, 1, SUPERVISE_TEXT_MAX),
	BIND_END,
};

/* Midnight (Asia/Shanghai) of the day now falls on. */
static int64_t day_start(int64_t now)
{
	int64_t local = now + TZ_OFFSET;
	int64_t day = local >= 0 ? local / SUPERVISE_DAY : (local - SUPERVISE_DAY + 1) / SUPERVISE_DAY;

	return day * SUPERVISE_DAY - TZ_OFFSET;
}

static int year_of(int64_t at)
{
	time_t t = (time_t)(at + TZ_OFFSET);
	struct tm tm;

	gmtime_r(&t, &tm);
	return tm.tm_year + 1900;
}

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

static const char *date_text(arena *a, int64_t at)
{
	time_t t = (time_t)(at + TZ_OFFSET);
	struct tm tm;

	gmtime_r(&t, &tm);
	return arena_printf(a, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* ---- reading ---- */

int claim_brief_get(db *d, arena *a, int64_t tenant_id, int64_t id, int64_t now, struct claim_brief *out)
{
	db_stmt *st = db_query(d, "SELECT c.id, c.problem_id, c.unit_id, c.owner_person_id, c.lead_person_id,"
				  " coalesce(c.deadline, 0), c.state, p.title FROM claim c JOIN problem p ON p.tenant_id = c.tenant_id"
				  " AND p.id = c.problem_id WHERE c.tenant_id = $1 AND c.id = $2",
			       "ii", tenant_id, id);
	enum light light;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!st)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW) {
		out->id = db_col_int(st, 0);
		out->problem_id = db_col_int(st, 1);
		out->unit_id = db_col_int(st, 2);
		out->owner_person_id = db_col_int(st, 3);
		out->lead_person_id = db_col_int(st, 4);
		out->deadline = db_col_int(st, 5);
		out->state = claim_state_of(db_col_text(st, 6));
		out->title = arena_strdup(a, db_col_text(st, 7));
	}
	db_done(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? 1 : -1;
	if (claim_light_of(d, tenant_id, id, now, &light) != 0)
		return -1;
	out->red = light == LIGHT_RED;
	return 0;
}

#define SUP_COLS "SELECT s.id, s.claim_id, s.reason, s.reply_by, s.issued_at, s.issued_by, s.reply," \
		 " coalesce(s.replied_at, 0), s.replied_by, coalesce(s.escalated_at, 0)," \
		 " (SELECT count(*) FROM supervision y WHERE y.tenant_id = s.tenant_id AND y.issued_at >= $2" \
		 " AND y.issued_at < $3 AND y.id <= s.id) FROM supervision s"

/* Year bounds are bound per row: the number counts within the row's own
 * year, so rows are read one year at a time (fill_sup reads one row). */
static void fill_sup(arena *a, db_stmt *st, int64_t now, struct supervision *x)
{
	x->id = db_col_int(st, 0);
	x->claim_id = db_col_int(st, 1);
	x->reason = arena_strdup(a, db_col_text(st, 2));
	x->reply_by = db_col_int(st, 3);
	x->issued_at = db_col_int(st, 4);
	x->issued_by = arena_strdup(a, db_col_text(st, 5));
	x->reply = arena_strdup(a, db_col_text(st, 6));
	x->replied_at = db_col_int(st, 7);
	x->replied_by = arena_strdup(a, db_col_text(st, 8));
	x->escalated_at = db_col_int(st, 9);
	x->number = arena_printf(a, "督〔%d〕%lld号", year_of(x->issued_at), (long long)db_col_int(st, 10));
	x->overdue = !x->replied_at && now >= x->reply_by + SUPERVISE_DAY;
}

/* The bounds of the year (Asia/Shanghai) of at. */
static void year_bounds(int64_t at, int64_t *from, int64_t *to)
{
	char y0[32], y1[32];
	int y = year_of(at);

	snprintf(y0, sizeof(y0), "%04d-01-01", y);
	snprintf(y1, sizeof(y1), "%04d-01-01", y + 1);
	*from = bind_parse_date(y0);
	*to = bind_parse_date(y1);
}

int supervision_get(db *d, arena *a, int64_t tenant_id, int64_t id, int64_t now, struct supervision *out)
{
	int64_t issued, from, to;
	db_stmt *st;
	int rc = db_scalar(d, "SELECT issued_at FROM supervision WHERE tenant_id = $1 AND id = $2", &issued, 2,
			   tenant_id, id);

	memset(out, 0, sizeof(*out));
	if (rc)
		return rc;
	year_bounds(issued, &from, &to);
	st = db_query(d, SUP_COLS " WHERE s.tenant_id = $1 AND s.id = $4", "iiii", tenant_id, from, to, id);
	if (!st)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW)
		fill_sup(a, st, now, out);
	db_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

int supervision_list(db *d, arena *a, int64_t tenant_id, int64_t claim_id, int64_t now, struct supervision **out,
		     int *n)
{
	db_stmt *st = db_query(d, "SELECT id FROM supervision WHERE tenant_id = $1 AND claim_id = $2 ORDER BY id",
			       "ii", tenant_id, claim_id);
	int64_t *ids = NULL;
	int rc, nids = 0, cap = 0, cap2 = 0;

	*out = NULL;
	*n = 0;
	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW)
		*ARENA_PUSH(a, ids, nids, cap) = db_col_int(st, 0);
	db_done(st);
	if (rc == DB_ERROR)
		return -1;
	for (int i = 0; i < nids; i++)
		if (supervision_get(d, a, tenant_id, ids[i], now, ARENA_PUSH(a, *out, *n, cap2)) != 0)
			return -1;
	return 0;
}

#define EXT_COLS "SELECT id, claim_id, state, reason, coalesce(old_deadline, 0), new_deadline, requested_at," \
		 " requested_by, coalesce(decided_at, 0), decided_by, decision_reason FROM extension"

static void fill_ext(arena *a, db_stmt *st, struct extension *x)
{
	x->id = db_col_int(st, 0);
	x->claim_id = db_col_int(st, 1);
	x->state = arena_strdup(a, db_col_text(st, 2));
	x->reason = arena_strdup(a, db_col_text(st, 3));
	x->old_deadline = db_col_int(st, 4);
	x->new_deadline = db_col_int(st, 5);
	x->requested_at = db_col_int(st, 6);
	x->requested_by = arena_strdup(a, db_col_text(st, 7));
	x->decided_at = db_col_int(st, 8);
	x->decided_by = arena_strdup(a, db_col_text(st, 9));
	x->decision_reason = arena_strdup(a, db_col_text(st, 10));
}

int extension_get(db *d, arena *a, int64_t tenant_id, int64_t id, struct extension *out)
{
	db_stmt *st = db_query(d, EXT_COLS " WHERE tenant_id = $1 AND id = $2", "ii", tenant_id, id);
	int rc;

	memset(out, 0, sizeof(*out));
	if (!st)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW)
		fill_ext(a, st, out);
	db_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

int extension_list(db *d, arena *a, int64_t tenant_id, int64_t claim_id, struct extension **out, int *n)
{
	db_stmt *st = db_query(d, EXT_COLS " WHERE tenant_id = $1 AND claim_id = $2 ORDER BY id", "ii", tenant_id,
			       claim_id);
	int rc, cap = 0;

	*out = NULL;
	*n = 0;
	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW)
		fill_ext(a, st, ARENA_PUSH(a, *out, *n, cap));
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

/* ---- who ---- */

static struct perm_target claim_target(const struct principal *who, const struct claim_brief *cl, bool lead_too)
{
	bool own = who->person_id && (who->person_id == cl->owner_person_id ||
				      (lead_too && who->person_id == cl->lead_person_id));

	return (struct perm_target){ who->tenant_id, cl->unit_id, 0, own };
}

bool supervise_may_reply(const struct principal *who, const struct claim_brief *claim)
{
	struct perm_target t = claim_target(who, claim, true);

	return t.member && perm_check(who, "supervision.reply", &t);
}

bool supervise_may_extend(const struct principal *who, const struct claim_brief *claim)
{
	struct perm_target t = claim_target(who, claim, false);

	return perm_check(who, "claim.extend", &t);
}

int supervise_may_read(db *d, const struct principal *who, const struct claim_brief *cl, bool *ok)
{
	struct perm_target t = { who->tenant_id, cl->unit_id, 0, false };
	int64_t n = 0;

	*ok = false;
	if (!who->user_id)
		return 0;
	if (perm_check(who, "problem.read_internal", &t) ||
	    (who->person_id && (who->person_id == cl->owner_person_id || who->person_id == cl->lead_person_id))) {
		*ok = true;
		return 0;
	}
	if (who->person_id && db_scalar(d, "SELECT count(*) FROM claim_member WHERE tenant_id = $1 AND claim_id = $2"
					   " AND person_id = $3", &n, 3, who->tenant_id, cl->id, who->person_id) < 0)
		return -1;
	*ok = n > 0;
	return 0;
}

/* The claim of a verb: 0, or the verb's result (not found, -1). */
static int load_claim(struct ctx *c, int64_t id, struct claim_brief *cl)
{
	int rc = claim_brief_get(c->d, c->a, c->who->tenant_id, id, c->now, cl);

	if (rc < 0)
		return -1;
	return rc ? ctx_fail(c, JB_ENOTFOUND, NULL, "not_found", "没有这个揭榜") : 0;
}

static bool working(const struct claim_brief *cl)
{
	return cl->state >= 0 && (claim_state_info[cl->state].flags & CS_WORKING);
}

/* Tell the owner and the lead (once when they are one person). */
static int tell_team(struct ctx *c, const struct claim_brief *cl, const char *kind, const char *type, int64_t id,
		     const char *title, const char *body)
{
	if (notify_person(c, cl->owner_person_id, kind, type, id, title, body) < 0)
		return -1;
	if (cl->lead_person_id == cl->owner_person_id)
		return 0;
	return notify_person(c, cl->lead_person_id, kind, type, id, title, body);
}

/* ---- issuing and replying ---- */

struct issuing {
	int64_t claim_id;
	const struct supervision_in *in;
	int64_t id;
};

static int issue_verb(struct ctx *c, void *args)
{
	struct issuing *x = args;
	struct perm_target t = { c->who->tenant_id, 0, 0, false };
	struct supervision s;
	struct claim_brief cl;
	int rc;

	if ((rc = load_claim(c, x->claim_id, &cl)) != 0)
		return rc;
	t.unit_id = cl.unit_id;
	if (!perm_check(c->who, "claim.supervise", &t))
		return ctx_deny(c, "claim.supervise", "claim", x->claim_id);
	if (blank(x->in->reason))
		rc = ctx_invalid(c, "reason", "missing_field", "请填写督办事由");
	if (x->in->reply_by <= day_start(c->now))
		rc = ctx_invalid(c, "reply_by", "bad_date", "答复期限须在今天之后");
	if (rc)
		return rc;
	if (!cl.red)
		return ctx_fail(c, JB_ECONFLICT, NULL, "not_red",
				"只能对亮红灯（逾期）的揭榜发出督办单：这个揭榜目前没有逾期的节点或完成时限");
	if ((x->id = db_next_id(c->d, c->who->tenant_id, "supervision")) < 0)
		return -1;
	if (db_run(c->d, "INSERT INTO supervision (tenant_id, id, claim_id, reason, reply_by, issued_at, issued_by)"
			 " VALUES ($1, $2, $3, $4, $5, $6, $7)", "iiisiis", c->who->tenant_id, x->id, x->claim_id,
		   x->in->reason, x->in->reply_by, c->now, ctx_actor(c).name) != DB_DONE)
		return -1;
	if (supervision_get(c->d, c->a, c->who->tenant_id, x->id, c->now, &s) != 0)
		return -1;
	if (tell_team(c, &cl, "claim.supervise", "claim", cl.id,
		      arena_printf(c->a, "督办单 %s：请于 %s 前答复", s.number, date_text(c->a, x->in->reply_by)),
		      arena_printf(c->a, "“%s”：%s", cl.title, x->in->reason)) < 0)
		return -1;
	if (outbox_event(c, "supervision_issued", arena_printf(c->a, "督办单 %s：%s", s.number, cl.title),
			 arena_printf(c->a, "督办事由：%s\n\n请于 %s 前答复。", x->in->reason, date_text(c->a, x->in->reply_by)),
			 arena_printf(c->a, "/claims/%lld", (long long)cl.id),
			 json_pack("{s:I, s:I, s:s, s:s, s:s, s:s}", "supervision_id", (json_int_t)x->id, "claim_id",
				   (json_int_t)cl.id, "number", s.number, "problem", cl.title, "reason", x->in->reason,
				   "reply_by", date_text(c->a, x->in->reply_by))) < 0)
		return -1;
	return ctx_audit(c, "claim.supervise", "claim", cl.id, NULL,
			 json_pack("{s:I, s:s, s:s, s:s}", "supervision_id", (json_int_t)x->id, "number", s.number,
				   "reason", x->in->reason, "reply_by", date_text(c->a, x->in->reply_by)));
}

int supervision_issue(struct ctx *c, int64_t claim_id, const struct supervision_in *in, int64_t *id)
{
	struct issuing x = { claim_id, in, 0 };
	int rc = action_run(c, issue_verb, &x);

	*id = rc == JB_OK ? x.id : 0;
	return rc;
}

struct replying {
	int64_t id;
	const struct reply_in *in;
};

static int reply_verb(struct ctx *c, void *args)
{
	struct replying *x = args;
	struct supervision s;
	struct claim_brief cl;
	int rc = supervision_get(c->d, c->a, c->who->tenant_id, x->id, c->now, &s);

	if (rc)
		return rc < 0 ? -1 : ctx_fail(c, JB_ENOTFOUND, NULL, "not_found", "没有这份督办单");
	if ((rc = load_claim(c, s.claim_id, &cl)) != 0)
		return rc;
	if (!supervise_may_reply(c->who, &cl))
		return ctx_deny(c, "supervision.reply", "supervision", x->id);
	if (blank(x->in->reply))
		return ctx_invalid(c, "reply", "missing_field", "请填写答复内容");
	if (s.replied_at)
		return ctx_fail(c, JB_ECONFLICT, NULL, "replied",
				arena_printf(c->a, "督办单 %s 已由 %s 答复过，不能重复答复", s.number, s.replied_by));
	rc = db_run(c->d, "UPDATE supervision SET reply = $3, replied_at = $4, replied_by = $5"
			  " WHERE tenant_id = $1 AND id = $2 AND replied_at IS NULL RETURNING id",
		    "iisis", c->who->tenant_id, x->id, x->in->reply, c->now, ctx_actor(c).name);
	if (rc == DB_ERROR)
		return -1;
	if (rc == DB_DONE)
		return ctx_fail(c, JB_ECONFLICT, NULL, "replied", "这份督办单刚刚已被答复");
	return ctx_audit(c, "supervision.reply", "supervision", x->id, NULL,
			 json_pack("{s:I, s:s, s:s, s:b}", "claim_id", (json_int_t)cl.id, "number", s.number, "reply",
				   x->in->reply, "overdue", s.overdue));
}

int supervision_reply(struct ctx *c, int64_t id, const struct reply_in *in)
{
	struct replying x = { id, in };

	return action_run(c, reply_verb, &x);
}

/* Tell every enabled admin and leader of c's tenant. */
static int tell_leaders(struct ctx *c, const char *kind, const char *type, int64_t id, const char *title,
			const char *body)
{
	db_stmt *st = db_query(c->d, "SELECT DISTINCT u.id FROM app_user u JOIN user_role r ON r.tenant_id = u.tenant_id"
				     " AND r.user_id = u.id WHERE u.tenant_id = $1 AND u.disabled = 0"
				     " AND r.role IN ('admin', 'leader') ORDER BY u.id", "i", c->who->tenant_id);

	return notify_users(c, st, kind, type, id, title, body) < 0 ? -1 : 0;
}

int supervision_escalate_due(struct ctx *c, int *n)
{
	db_stmt *st = db_query(c->d, "SELECT s.id FROM supervision s WHERE s.tenant_id = $1 AND s.escalated_at IS NULL"
				     " AND " SUPERVISE_OVERDUE_SQL("s", "$2") " ORDER BY s.id", "ii", c->who->tenant_id,
			       c->now);
	int64_t *ids = NULL;
	int rc, nids = 0, cap = 0;

	*n = 0;
	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW)
		*ARENA_PUSH(c->a, ids, nids, cap) = db_col_int(st, 0);
	db_done(st);
	if (rc == DB_ERROR)
		return -1;
	for (int i = 0; i < nids; i++) {
		struct supervision s;
		struct claim_brief cl;
		if (supervision_get(c->d, c->a, c->who->tenant_id, ids[i], c->now, &s) != 0 ||
		    claim_brief_get(c->d, c->a, c->who->tenant_id, s.claim_id, c->now, &cl) != 0)
			return -1;
		if (db_run(c->d, "UPDATE supervision SET escalated_at = $3 WHERE tenant_id = $1 AND id = $2", "iii",
			   c->who->tenant_id, s.id, c->now) != DB_DONE ||
		    tell_leaders(c, "supervision.escalate", "claim", cl.id,
				 arena_printf(c->a, "督办单 %s 逾期未复", s.number),
				 arena_printf(c->a, "“%s”的督办单答复期限 %s 已过，尚未答复。", cl.title,
					      date_text(c->a, s.reply_by))) < 0 ||
		    ctx_audit(c, "supervision.escalate", "supervision", s.id, NULL,
			      json_pack("{s:I, s:s, s:s}", "claim_id", (json_int_t)cl.id, "number", s.number,
					"reply_by", date_text(c->a, s.reply_by))) < 0)
			return -1;
		(*n)++;
	}
	return 0;
}

/* ---- extensions ---- */

struct extending {
	int64_t claim_id;
	const struct extend_in *in;
	int64_t id;
};

static int extend_verb(struct ctx *c, void *args)
{
	struct extending *x = args;
	struct claim_brief cl;
	int64_t pending;
	int rc;

	if ((rc = load_claim(c, x->claim_id, &cl)) != 0)
		return rc;
	if (!supervise_may_extend(c->who, &cl))
		return ctx_deny(c, "claim.extend", "claim", x->claim_id);
	if (blank(x->in->reason))
		rc = ctx_invalid(c, "reason", "missing_field", "请填写延期理由");
	if (cl.deadline && x->in->new_deadline <= cl.deadline)
		rc = ctx_invalid(c, "new_deadline", "bad_date",
				 arena_printf(c->a, "新的完成时限须晚于现在的完成时限 %s", date_text(c->a, cl.deadline)));
	if (rc)
		return rc;
	if (!working(&cl) || !cl.deadline)
		return ctx_fail(c, JB_ECONFLICT, NULL, "not_working", "只有已批准、正在攻坚并定有完成时限的揭榜才能申请延期");
	if (c->now > cl.deadline)
		return ctx_fail(c, JB_ECONFLICT, NULL, "deadline_passed",
				arena_printf(c->a, "完成时限 %s 已过，不能再申请延期", date_text(c->a, cl.deadline)));
	if (db_scalar(c->d, "SELECT count(*) FROM extension WHERE tenant_id = $1 AND claim_id = $2 AND state = 'pending'",
		      &pending, 2, c->who->tenant_id, cl.id) < 0)
		return -1;
	if (pending)
		return ctx_fail(c, JB_ECONFLICT, NULL, "pending", "这个揭榜已有一份待审批的延期申请，请等审批后再申请");
	if ((x->id = db_next_id(c->d, c->who->tenant_id, "extension")) < 0)
		return -1;
	if (db_run(c->d, "INSERT INTO extension (tenant_id, id, claim_id, state, reason, old_deadline, new_deadline,"
			 " requested_at, requested_by) VALUES ($1, $2, $3, 'pending', $4, $5, $6, $7, $8)",
		   "iiisiiis", c->who->tenant_id, x->id, cl.id, x->in->reason, cl.deadline, x->in->new_deadline, c->now,
		   ctx_actor(c).name) != DB_DONE)
		return -1;
	return ctx_audit(c, "claim.extend", "claim", cl.id, json_pack("{s:s}", "deadline", date_text(c->a, cl.deadline)),
			 json_pack("{s:I, s:s, s:s}", "extension_id", (json_int_t)x->id, "new_deadline",
				   date_text(c->a, x->in->new_deadline), "reason", x->in->reason));
}

int claim_extend(struct ctx *c, int64_t claim_id, const struct extend_in *in, int64_t *id)
{
	struct extending x = { claim_id, in, 0 };
	int rc = action_run(c, extend_verb, &x);

	*id = rc == JB_OK ? x.id : 0;
	return rc;
}

struct deciding {
	int64_t id;
	bool approve;
	const struct decide_in *in;
};

static int decide_verb(struct ctx *c, void *args)
{
	struct deciding *x = args;
	const char *action = x->approve ? "extension.approve" : "extension.refuse";
	struct perm_target t = { c->who->tenant_id, 0, 0, false };
	struct claim_brief cl;
	struct extension e;
	const char *reason = x->in->reason ? x->in->reason : "";
	int rc = extension_get(c->d, c->a, c->who->tenant_id, x->id, &e);

	if (rc)
		return rc < 0 ? -1 : ctx_fail(c, JB_ENOTFOUND, NULL, "not_found", "没有这份延期申请");
	if ((rc = load_claim(c, e.claim_id, &cl)) != 0)
		return rc;
	t.unit_id = cl.unit_id;
	if (!perm_check(c->who, "extension.decide", &t))
		return ctx_deny(c, "extension.decide", "extension", x->id);
	if (!x->approve && blank(reason))
		return ctx_invalid(c, "reason", "missing_field", "不同意延期时请填写理由");
	if (strcmp(e.state, "pending"))
		return ctx_fail(c, JB_ECONFLICT, NULL, "decided",
				arena_printf(c->a, "这份延期申请已审批（%s），不能再改", label_of(extension_states, e.state)));
	rc = db_run(c->d, "UPDATE extension SET state = $3, decided_at = $4, decided_by = $5, decision_reason = $6,"
			  " old_deadline = $7 WHERE tenant_id = $1 AND id = $2 AND state = 'pending' RETURNING id",
		    "iisissd", c->who->tenant_id, x->id, x->approve ? "approved" : "refused", c->now,
		    ctx_actor(c).name, reason, cl.deadline);
	if (rc == DB_ERROR)
		return -1;
	if (rc == DB_DONE)
		return ctx_fail(c, JB_ECONFLICT, NULL, "decided", "这份延期申请刚刚已被审批");
	if (x->approve && db_run(c->d, "UPDATE claim SET deadline = $3, updated_at = $4 WHERE tenant_id = $1 AND id = $2",
				 "iiii", c->who->tenant_id, cl.id, e.new_deadline, c->now) != DB_DONE)
		return -1;
	if (notify_person(c, cl.owner_person_id, action, "claim", cl.id,
			  x->approve ? arena_printf(c->a, "延期申请已同意：完成时限改为 %s", date_text(c->a, e.new_deadline))
				     : "延期申请未获同意，完成时限不变",
			  arena_printf(c->a, "“%s”%s%s", cl.title, *reason ? "：" : "", reason)) < 0)
		return -1;
	return ctx_audit(c, action, "extension", x->id,
			 json_pack("{s:I, s:s}", "claim_id", (json_int_t)cl.id, "deadline", date_text(c->a, cl.deadline)),
			 json_pack("{s:s, s:s, s:s}", "state", x->approve ? "approved" : "refused", "deadline",
				   date_text(c->a, x->approve ? e.new_deadline : cl.deadline), "reason", reason));
}

int extension_decide(struct ctx *c, int64_t id, bool approve, const struct decide_in *in)
{
	struct deciding x = { id, approve, in };

	return action_run(c, decide_verb, &x);
}

/* ---- reminders ---- */

/* The working claims of open batches, joined as c (claim), p, b. */
#define OPEN_WORK " JOIN claim c ON c.tenant_id = m.tenant_id AND c.id = m.claim_id" \
	" JOIN problem p ON p.tenant_id = c.tenant_id AND p.id = c.problem_id" \
	" JOIN batch b ON b.tenant_id = p.tenant_id AND b.id = p.batch_id" \
	" WHERE m.tenant_id = $1 AND c.state IN " STATE_SQL_WORKING_CLAIMS " AND NOT " BATCH_CLOSED_SQL("b", "$2")

struct reminder {
	int64_t claim_id, object_id, owner, lead, at;
	const char *object_type, *kind, *title, *body;
};

static int remind(struct ctx *c, const struct reminder *x, int *n)
{
	struct claim_brief cl = { .owner_person_id = x->owner, .lead_person_id = x->lead };
	int told = notify_person(c, cl.owner_person_id, x->kind, x->object_type, x->object_id, x->title, x->body);

	if (told < 0)
		return -1;
	*n += told;
	if (cl.lead_person_id == cl.owner_person_id)
		return 0;
	if ((told = notify_person(c, cl.lead_person_id, x->kind, x->object_type, x->object_id, x->title, x->body)) < 0)
		return -1;
	*n += told;
	return 0;
}

/* Milestones: due soon (milestone.due) or passed (claim.overdue), once each. */
static int remind_milestones(struct ctx *c, bool overdue, int *n)
{
	static const char soon_sql[] =
		"SELECT m.id, m.claim_id, m.title, m.due_at, c.owner_person_id, c.lead_person_id, p.title FROM milestone m"
		OPEN_WORK " AND m.done_at IS NULL AND m.due_at >= $2 AND m.due_at <= $3 AND NOT EXISTS (SELECT 1"
		" FROM notification n WHERE n.tenant_id = m.tenant_id AND n.kind = 'milestone.due'"
		" AND n.object_type = 'milestone' AND n.object_id = m.id) ORDER BY m.id";
	static const char late_sql[] =
		"SELECT m.id, m.claim_id, m.title, m.due_at, c.owner_person_id, c.lead_person_id, p.title FROM milestone m"
		OPEN_WORK " AND m.done_at IS NULL AND m.due_at < $2 AND NOT EXISTS (SELECT 1"
		" FROM notification n WHERE n.tenant_id = m.tenant_id AND n.kind = 'claim.overdue'"
		" AND n.object_type = 'milestone' AND n.object_id = m.id) ORDER BY m.id";
	db_stmt *st = db_query(c->d, overdue ? late_sql : soon_sql, overdue ? "ii" : "iii", c->who->tenant_id, c->now,
			       c->now + (int64_t)DIGEST_DUE_DAYS * SUPERVISE_DAY);
	struct reminder *xs = NULL;
	int rc, nx = 0, cap = 0;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct reminder *x = ARENA_PUSH(c->a, xs, nx, cap);
		const char *due = date_text(c->a, db_col_int(st, 3));
		x->object_id = db_col_int(st, 0);
		x->claim_id = db_col_int(st, 1);
		x->owner = db_col_int(st, 4);
		x->lead = db_col_int(st, 5);
		x->object_type = "milestone";
		x->kind = overdue ? "claim.overdue" : "milestone.due";
		x->title = arena_printf(c->a, overdue ? "节点“%s”已逾期（%s）" : "节点“%s”将于 %s 到期", db_col_text(st, 2), due);
		x->body = arena_printf(c->a, "“%s”", db_col_text(st, 6));
	}
	db_done(st);
	if (rc == DB_ERROR)
		return -1;
	for (int i = 0; i < nx; i++)
		if (remind(c, &xs[i], n) < 0)
			return -1;
	return 0;
}

/* Deadlines passed undone: once per deadline (an extension moves it). */
static int remind_deadlines(struct ctx *c, int *n)
{
	db_stmt *st = db_query(c->d, "SELECT c.id, c.deadline, c.owner_person_id, c.lead_person_id, p.title FROM claim c"
				     " JOIN problem p ON p.tenant_id = c.tenant_id AND p.id = c.problem_id"
				     " JOIN batch b ON b.tenant_id = p.tenant_id AND b.id = p.batch_id"
				     " WHERE c.tenant_id = $1 AND c.state IN " STATE_SQL_WORKING_CLAIMS
				     " AND NOT " BATCH_CLOSED_SQL("b", "$2") " AND c.deadline IS NOT NULL AND c.deadline < $2"
				     " AND NOT EXISTS (SELECT 1 FROM notification n WHERE n.tenant_id = c.tenant_id"
				     " AND n.kind = 'claim.overdue' AND n.object_type = 'claim' AND n.object_id = c.id"
				     " AND n.created_at > c.deadline) ORDER BY c.id", "ii", c->who->tenant_id, c->now);
	struct reminder *xs = NULL;
	int rc, nx = 0, cap = 0;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct reminder *x = ARENA_PUSH(c->a, xs, nx, cap);
		x->claim_id = x->object_id = db_col_int(st, 0);
		x->owner = db_col_int(st, 2);
		x->lead = db_col_int(st, 3);
		x->object_type = "claim";
		x->kind = "claim.overdue";
		x->title = arena_printf(c->a, "完成时限 %s 已过，尚未破题", date_text(c->a, db_col_int(st, 1)));
		x->body = arena_printf(c->a, "“%s”", db_col_text(st, 4));
	}
	db_done(st);
	if (rc == DB_ERROR)
		return -1;
	for (int i = 0; i < nx; i++)
		if (remind(c, &xs[i], n) < 0)
			return -1;
	return 0;
}

/* Claims unreported (claim_light_of): once per period, which begins at
 * the end of the latest report day (claim_report_days). */
static int remind_reports(struct ctx *c, int *n)
{
	db_stmt *st = db_query(c->d, "SELECT c.id, b.report_day, c.owner_person_id, c.lead_person_id, p.title"
				     " FROM claim c JOIN problem p ON p.tenant_id = c.tenant_id AND p.id = c.problem_id"
				     " JOIN batch b ON b.tenant_id = p.tenant_id AND b.id = p.batch_id"
				     " WHERE c.tenant_id = $1 AND c.state IN " STATE_SQL_WORKING_CLAIMS
				     " AND NOT " BATCH_CLOSED_SQL("b", "$2") " ORDER BY c.id", "ii", c->who->tenant_id, c->now);
	struct reminder *xs = NULL;
	int rc, nx = 0, cap = 0;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct reminder *x = ARENA_PUSH(c->a, xs, nx, cap);
		int64_t previous;
		x->claim_id = x->object_id = db_col_int(st, 0);
		claim_report_days(c->now, (int)db_col_int(st, 1), &x->at, &previous);
		x->owner = db_col_int(st, 2);
		x->lead = db_col_int(st, 3);
		x->object_type = "claim";
		x->kind = "claim.report_due";
		x->title = arena_printf(c->a, "请报送攻坚进展：每月 %lld 日为报送日", (long long)db_col_int(st, 1));
		x->body = arena_printf(c->a, "“%s”上个报送周期没有报送进展。", db_col_text(st, 4));
	}
	db_done(st);
	if (rc == DB_ERROR)
		return -1;
	for (int i = 0; i < nx; i++) {
		enum light light;
		int64_t sent;
		if (claim_light_of(c->d, c->who->tenant_id, xs[i].claim_id, c->now, &light) != 0)
			return -1;
		if (light != LIGHT_UNREPORTED)
			continue;
		if (db_scalar(c->d, "SELECT count(*) FROM notification WHERE tenant_id = $1 AND kind = 'claim.report_due'"
				    " AND object_type = 'claim' AND object_id = $2 AND created_at >= $3",
			      &sent, 3, c->who->tenant_id, xs[i].claim_id, xs[i].at) < 0)
			return -1;
		if (!sent && remind(c, &xs[i], n) < 0)
			return -1;
	}
	return 0;
}

int supervise_remind_due(struct ctx *c, int *n)
{
	*n = 0;
	if (remind_milestones(c, false, n) < 0 || remind_milestones(c, true, n) < 0 || remind_deadlines(c, n) < 0 ||
	    remind_reports(c, n) < 0)
		return -1;
	return 0;
}
