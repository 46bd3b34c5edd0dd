/* notice.c - public notices and objections (notice.h). */
#include "domain/robot.h"
#include "domain/notice.h"

#include <jansson.h>
#include <string.h>

#include "domain/calendar.h"
#include "domain/perm.h"
#include "domain/promotion.h"
#include "domain/ratelimit.h"
#include "domain/rubric.h"
#include "domain/state.h"
#include "util/buf.h"
#include "util/civil.h"
#include "util/log.h"
#include "util/text.h"

const struct label notice_kinds[] = {
	{ "results", "验收结果" },
	{ "promotions", "提拔使用" },
	{ NULL, NULL },
};

const struct label notice_states[] = {
	{ "open", "公示中" },
	{ "closed", "已结束" },
	{ NULL, NULL },
};

const struct label objection_findings[] = {
	{ "upheld", "成立" },
	{ "dismissed", "不成立" },
	{ NULL, NULL },
};

#define OUTCOME_CLEAN "无异议"
#define OUTCOME_ANSWERED "异议已答复"
#define REFUSED "提交未成功，请刷新页面后重新填写"

const struct bind_field notice_fields[] = {
	BIND_CHOICE(struct notice_in, kind, "公示类型", BIND_REQUIRED, notice_kinds),
	BIND_IDS(struct notice_in, claim_ids, "公示的验收结果", 0, NOTICE_ITEMS_MAX),
	BIND_IDS(struct notice_in, promotion_ids, "公示的提拔使用", 0, NOTICE_ITEMS_MAX),
	BIND_TEXT(struct notice_in, title, "公示标题", BIND_REQUIRED, 2, 100),
	BIND_TEXT(struct notice_in, body, "公示说明", BIND_MULTILINE, 0, 5000),
	BIND_TEXT(struct notice_in, starts_on, "公示开始日期", 0, 0, 10),
	BIND_INT(struct notice_in, working_days, "公示期（工作日）", 0, 1, NOTICE_DAYS_MAX),
	BIND_END,
};

const struct bind_field objection_fields[] = {
	BIND_ID(struct objection_in, notice_id, "公示", 0), /* the page's route names it */
	BIND_INT(struct objection_in, position, "异议针对的事项", 0, 0, NOTICE_ITEMS_MAX),
	/* Lengths beyond the required are the verb's, so one answer names every problem. */
	BIND_TEXT(struct objection_in, name, "真实姓名", BIND_REQUIRED, 1, 30),
	BIND_TEXT(struct objection_in, contact, "联系方式", BIND_REQUIRED, 1, 60),
	BIND_TEXT(struct objection_in, body, "异议内容", BIND_REQUIRED | BIND_MULTILINE, 1, OBJECTION_MAX),
	BIND_TEXT(struct objection_in, website, "网站", BIND_MULTILINE, 0, INT32_MAX),
	BIND_END,
};

const struct bind_field objection_answer_fields[] = {
	BIND_TEXT(struct objection_answer_in, answer, "答复内容", BIND_REQUIRED | BIND_MULTILINE, 2, 2000),
	BIND_CHOICE(struct objection_answer_in, kind, "核查结论", BIND_REQUIRED, objection_findings),
	BIND_END,
};

static const struct rate_rule per_addr = { "objection", NOTICE_OBJECTIONS_PER_ADDR, 3600 };

static const char *today(arena *a, int64_t now)
{
	char s[CIVIL_DATE_LEN];

	return arena_strdup(a, civil_format(civil_local_day(now), s));
}

static bool tenant_may(const struct ctx *c, const char *action)
{
	struct perm_target t = { c->who->tenant_id, 0, 0, false };

	return perm_check(c->who, action, &t);
}

/* ---- reading ---- */

#define NOTICE_COLS \
	"SELECT n.id, n.batch_id, b.name, n.kind, n.title, n.body, n.starts_on, n.ends_on, n.state, n.outcome," \
	" n.working_days, n.created_at, coalesce(n.closed_at, 0), n.created_by, n.closed_by," \
	" (SELECT count(*) FROM notice_item i WHERE i.tenant_id = n.tenant_id AND i.notice_id = n.id)," \
	" (SELECT count(*) FROM objection o WHERE o.tenant_id = n.tenant_id AND o.notice_id = n.id)," \
	" (SELECT count(*) FROM objection o WHERE o.tenant_id = n.tenant_id AND o.notice_id = n.id" \
	"  AND o.answered_at IS NOT NULL)," \
	" (SELECT count(*) FROM objection o WHERE o.tenant_id = n.tenant_id AND o.notice_id = n.id" \
	"  AND o.answer_kind = 'upheld')" \
	" FROM notice n JOIN batch b ON b.tenant_id = n.tenant_id AND b.id = n.batch_id"

static void notice_fill(arena *a, db_stmt *st, struct notice *x)
{
	x->id = db_col_int(st, 0);
	x->batch_id = db_col_int(st, 1);
	x->batch_name = arena_strdup(a, db_col_text(st, 2));
	x->kind = arena_strdup(a, db_col_text(st, 3));
	x->title = arena_strdup(a, db_col_text(st, 4));
	x->body = arena_strdup(a, db_col_text(st, 5));
	x->starts_on = arena_strdup(a, db_col_text(st, 6));
	x->ends_on = arena_strdup(a, db_col_text(st, 7));
	x->state = arena_strdup(a, db_col_text(st, 8));
	x->outcome = arena_strdup(a, db_col_text(st, 9));
	x->working_days = (int)db_col_int(st, 10);
	x->created_at = db_col_int(st, 11);
	x->closed_at = db_col_int(st, 12);
	x->created_by = arena_strdup(a, db_col_text(st, 13));
	x->closed_by = arena_strdup(a, db_col_text(st, 14));
	x->items = db_col_int(st, 15);
	x->objections = db_col_int(st, 16);
	x->answered = db_col_int(st, 17);
	x->upheld = db_col_int(st, 18);
}

int notice_list(db *d, arena *a, int64_t tenant_id, struct notice **out, int *n)
{
	db_stmt *st = db_query(d, NOTICE_COLS " WHERE n.tenant_id = $1 ORDER BY CASE WHEN n.state = 'open' THEN 0 ELSE 1 END,"
				  " n.id DESC LIMIT 500", "i", tenant_id);
	int rc, cap = 0;

	*out = NULL;
	*n = 0;
	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW)
		notice_fill(a, st, ARENA_PUSH(a, *out, *n, cap));
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

int notice_get(db *d, arena *a, int64_t tenant_id, int64_t id, struct notice *out)
{
	db_stmt *st = db_query(d, NOTICE_COLS " WHERE n.tenant_id = $1 AND n.id = $2", "ii", tenant_id, id);
	int rc;

	if (!st)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW)
		notice_fill(a, st, out);
	db_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

bool notice_lodging(const struct notice *n, int64_t now)
{
	char s[CIVIL_DATE_LEN];

	civil_format(civil_local_day(now), s);
	return !strcmp(n->state, "open") && strcmp(s, n->starts_on) >= 0 && strcmp(s, n->ends_on) <= 0;
}

/* Whether an upheld objection holds item position of notice id back. */
#define HELD_SQL \
	" EXISTS (SELECT 1 FROM objection o WHERE o.tenant_id = i.tenant_id AND o.notice_id = i.notice_id" \
	" AND o.answer_kind = 'upheld' AND (o.position IS NULL OR o.position = i.position))"

static const char result_items_sql[] =
	"SELECT i.position, c.id, p.id, p.title, coalesce(u.name, ''), coalesce(pl.name, ''), coalesce(po.name, ''),"
	" c.grade, coalesce(c.score, -1), coalesce(c.final_at, 0), CASE WHEN" HELD_SQL " THEN 1 ELSE 0 END"
	" FROM notice_item i JOIN claim c ON c.tenant_id = i.tenant_id AND c.id = i.claim_id"
	" JOIN problem p ON p.tenant_id = c.tenant_id AND p.id = c.problem_id"
	" LEFT JOIN unit u ON u.tenant_id = c.tenant_id AND u.id = c.unit_id"
	" LEFT JOIN person pl ON pl.tenant_id = c.tenant_id AND pl.id = c.lead_person_id"
	" LEFT JOIN person po ON po.tenant_id = c.tenant_id AND po.id = c.owner_person_id"
	" WHERE i.tenant_id = $1 AND i.notice_id = $2 ORDER BY i.position";

static const char promotion_items_sql[] =
	"SELECT i.position, pr.id, pe.name, coalesce(u.name, ''), pr.from_post, pr.to_post, pr.kind, pr.at,"
	" CASE WHEN" HELD_SQL " THEN 1 ELSE 0 END"
	" FROM notice_item i JOIN promotion pr ON pr.tenant_id = i.tenant_id AND pr.id = i.promotion_id"
	" JOIN person pe ON pe.tenant_id = pr.tenant_id AND pe.id = pr.person_id"
	" LEFT JOIN unit u ON u.tenant_id = pe.tenant_id AND u.id = pe.unit_id"
	" WHERE i.tenant_id = $1 AND i.notice_id = $2 ORDER BY i.position";

static void result_fill(arena *a, db_stmt *st, struct notice_item *x)
{
	x->position = (int)db_col_int(st, 0);
	x->claim_id = db_col_int(st, 1);
	x->problem_id = db_col_int(st, 2);
	x->problem_title = arena_strdup(a, db_col_text(st, 3));
	x->unit = arena_strdup(a, db_col_text(st, 4));
	x->lead = arena_strdup(a, db_col_text(st, 5));
	x->owner = arena_strdup(a, db_col_text(st, 6));
	x->grade = arena_strdup(a, db_col_text(st, 7));
	x->score = db_col_int(st, 8);
	x->final_at = db_col_int(st, 9);
	x->upheld = db_col_int(st, 10) != 0;
}

static void promotion_fill(arena *a, db_stmt *st, struct notice_item *x)
{
	x->position = (int)db_col_int(st, 0);
	x->promotion_id = db_col_int(st, 1);
	x->person = arena_strdup(a, db_col_text(st, 2));
	x->person_unit = arena_strdup(a, db_col_text(st, 3));
	x->from_post = arena_strdup(a, db_col_text(st, 4));
	x->to_post = arena_strdup(a, db_col_text(st, 5));
	x->promotion_kind = arena_strdup(a, db_col_text(st, 6));
	x->promoted_at = db_col_int(st, 7);
	x->upheld = db_col_int(st, 8) != 0;
	x->score = -1;
}

int notice_items(db *d, arena *a, int64_t tenant_id, const struct notice *n, struct notice_item **out, int *count)
{
	bool results = !strcmp(n->kind, "results");
	db_stmt *st = db_query(d, results ? result_items_sql : promotion_items_sql, "ii", tenant_id, n->id);
	int rc, cap = 0;

	*out = NULL;
	*count = 0;
	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct notice_item *x = ARENA_PUSH(a, *out, *count, cap);
		memset(x, 0, sizeof(*x));
		if (results)
			result_fill(a, st, x);
		else
			promotion_fill(a, st, x);
	}
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

int notice_objections(db *d, arena *a, int64_t tenant_id, int64_t id, struct objection **out, int *n)
{
	db_stmt *st = db_query(d, "SELECT id, notice_id, coalesce(user_id, 0), created_at, coalesce(answered_at, 0),"
				  " coalesce(position, 0), CASE WHEN contact_erased_at IS NULL THEN name ELSE '已匿名' END,"
				  " CASE WHEN contact_erased_at IS NULL THEN contact ELSE '已匿名' END, body, answer, answer_kind,"
				  " answered_by"
				  " FROM objection WHERE tenant_id = $1 AND notice_id = $2 ORDER BY id", "ii", tenant_id, id);
	int rc, cap = 0;

	*out = NULL;
	*n = 0;
	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct objection *o = ARENA_PUSH(a, *out, *n, cap);
		o->id = db_col_int(st, 0);
		o->notice_id = db_col_int(st, 1);
		o->user_id = db_col_int(st, 2);
		o->created_at = db_col_int(st, 3);
		o->answered_at = db_col_int(st, 4);
		o->position = (int)db_col_int(st, 5);
		o->name = arena_strdup(a, db_col_text(st, 6));
		o->contact = arena_strdup(a, db_col_text(st, 7));
		o->body = arena_strdup(a, db_col_text(st, 8));
		o->answer = arena_strdup(a, db_col_text(st, 9));
		o->finding = arena_strdup(a, db_col_text(st, 10));
		o->answered_by = arena_strdup(a, db_col_text(st, 11));
	}
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

/* Accepted claims of the batch not final yet (with the notice they were
 * in, if any), or every promotion. */
static const char claim_candidates_sql[] =
	"SELECT c.id, p.title, coalesce(u.name, ''), coalesce(c.score, -1), c.grade,"
	" CASE WHEN EXISTS (SELECT 1 FROM notice_item i WHERE i.tenant_id = c.tenant_id AND i.claim_id = c.id) THEN 1 ELSE 0 END"
	" FROM claim c JOIN problem p ON p.tenant_id = c.tenant_id AND p.id = c.problem_id"
	" LEFT JOIN unit u ON u.tenant_id = c.tenant_id AND u.id = c.unit_id"
	" WHERE c.tenant_id = $1 AND p.batch_id = $2 AND c.state = $3 AND c.final_at IS NULL ORDER BY c.id";
static const char promotion_candidates_sql[] =
	"SELECT pr.id, pe.name, coalesce(u.name, ''), pr.kind, pr.to_post,"
	" CASE WHEN EXISTS (SELECT 1 FROM notice_item i WHERE i.tenant_id = pr.tenant_id AND i.promotion_id = pr.id)"
	" THEN 1 ELSE 0 END"
	" FROM promotion pr JOIN person pe ON pe.tenant_id = pr.tenant_id AND pe.id = pr.person_id"
	" LEFT JOIN unit u ON u.tenant_id = pe.tenant_id AND u.id = pe.unit_id"
	" WHERE pr.tenant_id = $1 AND $2 > 0 ORDER BY pr.id";

static const char *grade_zh(const char *g)
{
	const char *zh = label_of(grades, g);

	return zh ? zh : g;
}

int notice_candidates(db *d, arena *a, int64_t tenant_id, int64_t batch_id, const char *kind,
		      struct notice_candidate **out, int *n)
{
	bool results = !strcmp(kind, "results");
	db_stmt *st = results ? db_query(d, claim_candidates_sql, "iis", tenant_id, batch_id, claim_state_info[CLAIM_ACCEPTED].code)
			      : db_query(d, promotion_candidates_sql, "ii", tenant_id, batch_id);
	int rc, cap = 0;

	*out = NULL;
	*n = 0;
	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct notice_candidate *x = ARENA_PUSH(a, *out, *n, cap);
		x->id = db_col_int(st, 0);
		x->noticed = db_col_int(st, 5) != 0;
		if (results) {
			char sc[24];
			int64_t score = db_col_int(st, 3);
			x->text = arena_printf(a, "#%lld %s · %s%s%s %s", (long long)x->id, db_col_text(st, 1), db_col_text(st, 2),
					       score >= 0 ? " · " : "", score >= 0 ? score_format(score, sc, sizeof(sc)) : "",
					       grade_zh(db_col_text(st, 4)));
		} else {
			const char *k = label_of(promotion_kinds, db_col_text(st, 3));
			x->text = arena_printf(a, "%s（%s）· %s%s%s", db_col_text(st, 1), *db_col_text(st, 2) ? db_col_text(st, 2) : "—",
					       k ? k : db_col_text(st, 3), *db_col_text(st, 4) ? " · " : "", db_col_text(st, 4));
		}
	}
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

/* ---- creating ---- */

struct creating {
	int64_t batch_id;
	const struct notice_in *in;
	int64_t id;
};

/* The claims of a results notice: the ones asked for, each checked, or
 * every accepted claim of the batch never noticed. */
static int pick_claims(struct ctx *c, struct creating *x, struct bind_ids *ids)
{
	const char *accepted = claim_state_info[CLAIM_ACCEPTED].code;
	db_stmt *st;
	int rc, cap = 0;

	if (x->in->claim_ids.n) {
		*ids = x->in->claim_ids;
		for (int i = 0; i < ids->n; i++) {
			int64_t ok = 0;
			st = db_query(c->d, "SELECT CASE WHEN c.state = $4 AND c.final_at IS NULL AND p.batch_id = $3 AND NOT EXISTS"
					    " (SELECT 1 FROM notice_item i JOIN notice n ON n.tenant_id = i.tenant_id AND n.id = i.notice_id"
					    " WHERE i.tenant_id = c.tenant_id AND i.claim_id = c.id AND n.state = 'open') THEN 1 ELSE 2 END"
					    " FROM claim c JOIN problem p ON p.tenant_id = c.tenant_id AND p.id = c.problem_id"
					    " WHERE c.tenant_id = $1 AND c.id = $2",
				      "iiis", c->who->tenant_id, ids->v[i], x->batch_id, accepted);
			if (!st)
				return -1;
			rc = db_step(st);
			ok = rc == DB_ROW ? db_col_int(st, 0) : 0;
			db_done(st);
			if (rc == DB_ERROR)
				return -1;
			for (int j = 0; j < i; j++)
				ok = ids->v[j] == ids->v[i] ? 3 : ok;
			if (ok != 1)
				return ctx_invalid(c, "claim_ids", "not_noticeable",
						   arena_printf(c->a, ok == 3 ? "揭榜 #%lld 重复了" : "揭榜 #%lld 不是本批次已验收、尚未确定且不在其他公示中的结果",
								(long long)ids->v[i]));
		}
		return JB_OK;
	}
	ids->v = NULL;
	ids->n = 0;
	st = db_query(c->d, "SELECT c.id FROM claim c JOIN problem p ON p.tenant_id = c.tenant_id AND p.id = c.problem_id"
			    " WHERE c.tenant_id = $1 AND p.batch_id = $2 AND c.state = $3 AND c.final_at IS NULL AND NOT EXISTS"
			    " (SELECT 1 FROM notice_item i WHERE i.tenant_id = c.tenant_id AND i.claim_id = c.id) ORDER BY c.id",
		      "iis", c->who->tenant_id, x->batch_id, accepted);
	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW && ids->n < NOTICE_ITEMS_MAX)
		*ARENA_PUSH(c->a, ids->v, ids->n, cap) = db_col_int(st, 0);
	db_done(st);
	if (rc == DB_ERROR)
		return -1;
	if (!ids->n)
		return ctx_invalid(c, "claim_ids", "nothing_to_notice", "这个批次没有尚未公示的已验收结果");
	return JB_OK;
}

static int check_promotions(struct ctx *c, const struct bind_ids *ids)
{
	if (!ids->n)
		return ctx_invalid(c, "promotion_ids", "missing_field", "请选择要公示的提拔使用记录");
	for (int i = 0; i < ids->n; i++) {
		int64_t ok = 0;   /* 0: no such record (no row), 1: free, 2: on an open notice */
		if (db_scalar(c->d, "SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM notice_item i JOIN notice n"
				    " ON n.tenant_id = i.tenant_id AND n.id = i.notice_id WHERE i.tenant_id = pr.tenant_id"
				    " AND i.promotion_id = pr.id AND n.state = 'open') THEN 1 ELSE 2 END"
				    " FROM promotion pr WHERE pr.tenant_id = $1 AND pr.id = $2",
			      &ok, 2, c->who->tenant_id, ids->v[i]) < 0)
			return -1;
		for (int j = 0; j < i; j++)
			ok = ids->v[j] == ids->v[i] ? 3 : ok;
		if (ok != 1)
			return ctx_invalid(c, "promotion_ids", "not_noticeable",
					   arena_printf(c->a, ok == 0 ? "没有提拔使用记录 #%lld" : ok == 3 ? "提拔使用记录 #%lld 重复了"
										   : "提拔使用记录 #%lld 已在另一份公示中",
							(long long)ids->v[i]));
	}
	return JB_OK;
}

/* The period: starts_on (today when absent; not before today) and its end. */
static int period(struct ctx *c, const struct notice_in *in, int64_t batch_days, const char **starts, const char **ends,
		  int *days)
{
	int64_t start, end, now_day = civil_local_day(c->now);
	char s[CIVIL_DATE_LEN];
	struct workcal w;

	*days = (int)(in->working_days ? in->working_days : batch_days);
	if (*days < 1 || *days > NOTICE_DAYS_MAX)
		*days = 5;
	if (in->starts_on && *in->starts_on) {
		if (!civil_parse(in->starts_on, &start))
			return ctx_invalid(c, "starts_on", "bad_date", "公示开始日期要写成 YYYY-MM-DD，如 2025-09-30");
		if (start < now_day)
			return ctx_invalid(c, "starts_on", "in_the_past", "公示开始日期不能早于今天");
	} else {
		start = now_day;
	}
	workcal_init(&w, c->d, c->a, c->who->tenant_id);
	if (workcal_nth(&w, start, *days, &end) < 0)
		return -1;
	*starts = arena_strdup(c->a, civil_format(start, s));
	*ends = arena_strdup(c->a, civil_format(end, s));
	return JB_OK;
}

/* The problem.noticed step of each claim: its problem's timeline shows the period. */
static int noticed_steps(struct ctx *c, int64_t notice_id, const struct bind_ids *ids, const char *starts,
			 const char *ends, int days)
{
	for (int i = 0; i < ids->n; i++) {
		db_stmt *st = db_query(c->d, "SELECT c.problem_id, coalesce(u.name, '') FROM claim c LEFT JOIN unit u"
					     " ON u.tenant_id = c.tenant_id AND u.id = c.unit_id WHERE c.tenant_id = $1 AND c.id = $2",
				       "ii", c->who->tenant_id, ids->v[i]);
		int64_t problem = 0;
		const char *unit = "";
		int rc;
		if (!st)
			return -1;
		if ((rc = db_step(st)) == DB_ROW) {
			problem = db_col_int(st, 0);
			unit = arena_strdup(c->a, db_col_text(st, 1));
		}
		db_done(st);
		if (rc != DB_ROW)
			return -1;
		if (ctx_audit(c, "problem.noticed", "problem", problem, NULL,
			      json_pack("{s:I, s:I, s:s, s:s, s:s, s:i}", "notice_id", (json_int_t)notice_id, "claim_id",
					(json_int_t)ids->v[i], "unit", unit, "starts_on", starts, "ends_on", ends, "working_days",
					days)) < 0)
			return -1;
	}
	return JB_OK;
}

static int create_verb(struct ctx *c, void *args)
{
	struct creating *x = args;
	const struct notice_in *in = x->in;
	bool results = !strcmp(in->kind, "results");
	struct bind_ids ids = results ? (struct bind_ids){ 0 } : in->promotion_ids;
	const char *starts = NULL, *ends = NULL;
	int64_t batch_days = 0;
	int rc, days;

	if (!tenant_may(c, "notice.manage"))
		return ctx_deny(c, "notice.manage", "batch", x->batch_id);
	rc = db_scalar(c->d, "SELECT notice_days FROM batch WHERE tenant_id = $1 AND id = $2", &batch_days, 2,
		       c->who->tenant_id, x->batch_id);
	if (rc)
		return rc < 0 ? -1 : ctx_fail(c, JB_ENOTFOUND, NULL, "not_found", "没有这个批次");
	if ((rc = results ? pick_claims(c, x, &ids) : check_promotions(c, &ids)) != JB_OK)
		return rc;
	if ((rc = period(c, in, batch_days, &starts, &ends, &days)) != JB_OK)
		return rc;
	if ((x->id = db_next_id(c->d, c->who->tenant_id, "notice")) < 0)
		return -1;
	if (db_run(c->d, "INSERT INTO notice (tenant_id, id, batch_id, kind, title, body, starts_on, ends_on, working_days,"
			 " state, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'open', $10, $11)",
		   "iiisssssiis", c->who->tenant_id, x->id, x->batch_id, in->kind, in->title, in->body ? in->body : "", starts,
		   ends, (int64_t)days, c->now, ctx_actor(c).name) == DB_ERROR)
		return -1;
	for (int i = 0; i < ids.n; i++)
		if (db_run(c->d, "INSERT INTO notice_item (tenant_id, notice_id, position, claim_id, promotion_id)"
				 " VALUES ($1, $2, $3, $4, $5)", "iiidd", c->who->tenant_id, x->id, (int64_t)(i + 1),
			   results ? ids.v[i] : 0, results ? 0 : ids.v[i]) == DB_ERROR)
			return -1;
	if (ctx_audit(c, "notice.create", "notice", x->id, NULL,
		      json_pack("{s:I, s:s, s:s, s:s, s:s, s:i, s:i}", "batch_id", (json_int_t)x->batch_id, "kind", in->kind,
				"title", in->title, "starts_on", starts, "ends_on", ends, "working_days", days, "items", ids.n)) < 0)
		return -1;
	if (outbox_event(c, "notice_opened", arena_printf(c->a, "公示开始：%s", in->title),
			 arena_printf(c->a, "公示期 %s 至 %s（%d 个工作日），共 %d 项。如有异议，请实名提出。", starts, ends, days, ids.n),
			 arena_printf(c->a, "/notices/%lld", (long long)x->id),
			 json_pack("{s:I, s:s, s:s, s:s, s:s, s:i}", "notice_id", (json_int_t)x->id, "kind", in->kind, "title",
				   in->title, "starts_on", starts, "ends_on", ends, "items", ids.n)) < 0)
		return -1;
	return results ? noticed_steps(c, x->id, &ids, starts, ends, days) : JB_OK;
}

int notice_create(struct ctx *c, int64_t batch_id, const struct notice_in *in, int64_t *id)
{
	struct creating x = { batch_id, in, 0 };
	int rc = action_run(c, create_verb, &x);

	*id = rc == JB_OK ? x.id : 0;
	return rc;
}

/* ---- objections ---- */

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

/* Names that say nothing of who objects: the rules refuse anonymous objections. */
static bool vague_name(const char *name)
{
	static const char *const vague[] = { "匿名", "无名", "无名氏", "佚名", "群众", "一群众", "网友", "市民", "居民",
					     "村民", "某某", "某人", "不详", "保密", "知情人", "知情者", "路人", "本人",
					     "anonymous", "test" };
	const char *p = name;
	size_t n;

	while (*p == ' ')
		p++;
	n = strlen(p);
	while (n && p[n - 1] == ' ')
		n--;
	for (size_t i = 0; i < sizeof(vague) / sizeof(vague[0]); i++)
		if (n == strlen(vague[i]) && !strncasecmp(p, vague[i], n))
			return true;
	return strstr(name, "匿名") != NULL || strstr(name, "某某") != NULL;
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return n > 0;
}

/* A mobile number (11 digits from 1[3-9]), a fixed line (0 + area code
 * 2-3 digits, an optional '-', 7-8 digits), or an e-mail address. */
static bool contact_ok(const char *s)
{
	size_t n = strlen(s);
	const char *at = strchr(s, '@'), *dash = strchr(s, '-');

	if (n == 11 && all_digits(s, n) && s[0] == '1' && s[1] >= '3')
		return true;
	if (s[0] == '0' && dash && !strchr(dash + 1, '-')) {
		size_t area = (size_t)(dash - s), rest = n - area - 1;
		return area >= 3 && area <= 4 && all_digits(s, area) && rest >= 7 && rest <= 8 && all_digits(dash + 1, rest);
	}
	if (s[0] == '0' && all_digits(s, n))
		return n >= 10 && n <= 12;
	if (at && at > s && !strchr(at + 1, '@') && !strchr(s, ' ')) {
		const char *dot = strrchr(at, '.');
		return dot && dot > at + 1 && dot[1] != '\0';
	}
	return false;
}

struct lodging {
	const struct objection_in *in;
	int64_t id;
};

static int lodge_verb(struct ctx *c, void *args)
{
	struct lodging *x = args;
	const struct objection_in *in = x->in;
	bool resident = c->who->user_id == 0;
	struct notice n;
	int rc = JB_OK;

	if (!tenant_may(c, "objection.lodge"))
		return ctx_deny(c, "objection.lodge", "notice", in->notice_id);
	if (in->website && *in->website)
		return ctx_invalid(c, NULL, "refused", REFUSED);
	if ((rc = notice_get(c->d, c->a, c->who->tenant_id, in->notice_id, &n)) != 0)
		return rc < 0 ? -1 : ctx_fail(c, JB_ENOTFOUND, "notice_id", "not_found", "没有这份公示");
	if (strcmp(n.state, "open") || !notice_lodging(&n, c->now)) {
		const char *t = today(c->a, c->now);
		return ctx_fail(c, JB_ECONFLICT, NULL, "not_in_period",
				strcmp(t, n.starts_on) < 0 ? arena_printf(c->a, "公示自 %s 开始，届时才能提出异议", n.starts_on)
							   : arena_printf(c->a, "公示期已于 %s 结束，不再受理异议", n.ends_on));
	}
	rc = JB_OK;
	if (blank(in->name) || utf8_len(in->name) < 2 || vague_name(in->name))
		rc = ctx_invalid(c, "name", "anonymous",
				 "异议须实名提出：请填写您的真实姓名（匿名或不署真实姓名的异议不予受理）");
	if (!contact_ok(in->contact))
		rc = ctx_invalid(c, "contact", "bad_contact",
				 "请填写能联系到您的手机号码、固定电话（如 0571-87654321）或电子邮箱，以便核实和答复");
	if (utf8_len(in->body) < OBJECTION_MIN || blank(in->body))
		rc = ctx_invalid(c, "body", "too_vague",
				 arena_printf(c->a, "请写明异议的具体事实和理由（至少 %d 个字），内容笼统的异议不予受理", OBJECTION_MIN));
	if (in->position && in->position > n.items)
		rc = ctx_invalid(c, "position", "bad_item", "请从公示的事项中选择，或不选（针对整份公示）");
	if (rc != JB_OK)
		return rc;
	if (resident && (rc = rate_hit(c, &per_addr)) != JB_OK)
		return rc;
	if ((x->id = db_next_id(c->d, c->who->tenant_id, "objection")) < 0)
		return -1;
	if (db_run(c->d, "INSERT INTO objection (tenant_id, id, notice_id, position, name, contact, body, user_id,"
			 " client_addr, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
		   "iiidsssdsi", c->who->tenant_id, x->id, n.id, in->position, in->name, in->contact, in->body,
		   c->who->user_id, c->addr ? c->addr : "", c->now) == DB_ERROR)
		return -1;
	return ctx_audit(c, "objection.lodge", "objection", x->id, NULL,
			 json_pack("{s:I, s:I}", "notice_id", (json_int_t)n.id, "position", (json_int_t)in->position)) < 0
		       ? -1
		       : JB_OK;
}

int objection_lodge(struct ctx *c, const struct objection_in *in, int64_t *id)
{
	struct lodging x = { in, 0 };
	int rc = action_run(c, lodge_verb, &x);

	*id = rc == JB_OK ? x.id : 0;
	return rc;
}

struct answering {
	int64_t id;
	const struct objection_answer_in *in;
};

static int answer_verb(struct ctx *c, void *args)
{
	struct answering *x = args;
	int64_t notice_id = 0;
	int rc;

	if (!tenant_may(c, "objection.answer"))
		return ctx_deny(c, "objection.answer", "objection", x->id);
	rc = db_scalar(c->d, "SELECT notice_id FROM objection WHERE tenant_id = $1 AND id = $2", &notice_id, 2,
		       c->who->tenant_id, x->id);
	if (rc)
		return rc < 0 ? -1 : ctx_fail(c, JB_ENOTFOUND, NULL, "not_found", "没有这条异议");
	if (blank(x->in->answer))
		return ctx_invalid(c, "answer", "missing_field", "请填写答复内容");
	rc = db_run(c->d, "UPDATE objection SET answer = $3, answer_kind = $4, answered_at = $5, answered_by = $6"
			  " WHERE tenant_id = $1 AND id = $2 AND answered_at IS NULL RETURNING id",
		    "iissis", c->who->tenant_id, x->id, x->in->answer, x->in->kind, c->now, ctx_actor(c).name);
	if (rc == DB_ERROR)
		return -1;
	if (rc == DB_DONE)
		return ctx_fail(c, JB_ECONFLICT, NULL, "answered", "这条异议已经答复过，答复不能修改");
	return ctx_audit(c, "objection.answer", "objection", x->id, NULL,
			 json_pack("{s:I, s:s}", "notice_id", (json_int_t)notice_id, "kind", x->in->kind)) < 0 ? -1 : JB_OK;
}

int objection_answer(struct ctx *c, int64_t id, const struct objection_answer_in *in)
{
	struct answering x = { id, in };

	return action_run(c, answer_verb, &x);
}

/* ---- closing ---- */

struct closing {
	int64_t id;
	struct notice_closed out;
};

/* Each result item not held becomes final, with its problem.finalized step. */
static int finalize(struct ctx *c, const struct notice *n, struct notice_closed *out)
{
	struct notice_item *items;
	int count;

	if (notice_items(c->d, c->a, c->who->tenant_id, n, &items, &count) < 0)
		return -1;
	for (int i = 0; i < count; i++) {
		if (items[i].upheld) {
			out->held++;
			continue;
		}
		if (db_run(c->d, "UPDATE claim SET final_at = $3 WHERE tenant_id = $1 AND id = $2 AND final_at IS NULL",
			   "iii", c->who->tenant_id, items[i].claim_id, c->now) == DB_ERROR)
			return -1;
		if (ctx_audit(c, "problem.finalized", "problem", items[i].problem_id, NULL,
			      json_pack("{s:I, s:I, s:s, s:s}", "notice_id", (json_int_t)n->id, "claim_id",
					(json_int_t)items[i].claim_id, "unit", items[i].unit, "ends_on", n->ends_on)) < 0)
			return -1;
		out->finalized++;
	}
	return 0;
}

static int close_verb(struct ctx *c, void *args)
{
	struct closing *x = args;
	struct notice n;
	int rc;

	if (!tenant_may(c, "notice.manage"))
		return ctx_deny(c, "notice.manage", "notice", x->id);
	if ((rc = notice_get(c->d, c->a, c->who->tenant_id, x->id, &n)) != 0)
		return rc < 0 ? -1 : ctx_fail(c, JB_ENOTFOUND, NULL, "not_found", "没有这份公示");
	if (strcmp(n.state, "open"))
		return ctx_fail(c, JB_ECONFLICT, NULL, "closed", "这份公示已经结束");
	if (strcmp(today(c->a, c->now), n.ends_on) <= 0)
		return ctx_fail(c, JB_ECONFLICT, NULL, "period_not_over",
				arena_printf(c->a, "公示期未满：公示到 %s 结束，之后才能结束公示", n.ends_on));
	if (n.objections > n.answered)
		return ctx_fail(c, JB_ECONFLICT, NULL, "objections_open",
				arena_printf(c->a, "还有 %lld 条异议未答复，答复后才能结束公示", (long long)(n.objections - n.answered)));
	x->out.outcome = n.objections ? OUTCOME_ANSWERED : OUTCOME_CLEAN;
	if (!strcmp(n.kind, "results") && finalize(c, &n, &x->out) < 0)
		return -1;
	rc = db_run(c->d, "UPDATE notice SET state = 'closed', outcome = $3, closed_at = $4, closed_by = $5"
			  " WHERE tenant_id = $1 AND id = $2 AND state = 'open' RETURNING id",
		    "iisis", c->who->tenant_id, x->id, x->out.outcome, c->now, ctx_actor(c).name);
	if (rc != DB_ROW)
		return rc == DB_ERROR ? -1 : ctx_fail(c, JB_ECONFLICT, NULL, "closed", "这份公示已经结束");
	return ctx_audit(c, "notice.close", "notice", x->id, NULL,
			 json_pack("{s:s, s:s, s:i, s:i, s:I}", "outcome", x->out.outcome, "ends_on", n.ends_on, "finalized",
				   x->out.finalized, "held", x->out.held, "objections", (json_int_t)n.objections)) < 0
		       ? -1
		       : JB_OK;
}

int notice_close(struct ctx *c, int64_t id, struct notice_closed *out)
{
	struct closing x = { id, { NULL, 0, 0 } };
	int rc = action_run(c, close_verb, &x);

	*out = x.out;
	return rc;
}

int notice_close_due(db *d, int64_t now)
{
	char day[CIVIL_DATE_LEN];
	arena *a = arena_new();
	db_stmt *st;
	struct due { int64_t tenant, id; } *due = NULL, *x;
	int n = 0, cap = 0, closed = 0, rc;

	civil_format(civil_local_day(now), day);
	st = db_query(d, "SELECT n.tenant_id, n.id FROM notice n WHERE n.state = 'open' AND n.ends_on < $1 AND NOT EXISTS"
			 " (SELECT 1 FROM objection o WHERE o.tenant_id = n.tenant_id AND o.notice_id = n.id"
			 " AND o.answered_at IS NULL) ORDER BY n.tenant_id, n.id", "s", day);
	if (!st) {
		log_error("notices: cannot list the notices due: %s", db_errmsg(d));
		arena_free(a);
		return -1;
	}
	while ((rc = db_step(st)) == DB_ROW) {
		x = ARENA_PUSH(a, due, n, cap);
		x->tenant = db_col_int(st, 0);
		x->id = db_col_int(st, 1);
	}
	db_done(st);
	for (int i = 0; rc != DB_ERROR && i < n; i++) {
		struct principal sys = perm_cli(due[i].tenant);
		struct notice_closed out;
		struct ctx c;
		ctx_init(&c, d, a, &sys, "");
		c.now = now;
		if (notice_close(&c, due[i].id, &out) == JB_OK)
			closed++;
		else
			log_error("notices: tenant %lld: cannot close notice %lld: %s", (long long)due[i].tenant,
				  (long long)due[i].id, ctx_message(&c, JB_ECONFLICT));
	}
	arena_free(a);
	return rc == DB_ERROR ? -1 : closed;
}
