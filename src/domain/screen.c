/* screen.c - screening and publishing (screen.h). */
#include "domain/robot.h"
#include "domain/screen.h"

#include <jansson.h>
#include <string.h>

#include "domain/batch.h"
#include "domain/notify.h"
#include "domain/proposal.h"
#include "domain/search.h"
#include "domain/transition.h"

const struct bind_field transition_fields[] = {
	BIND_TEXT(struct transition_in, action, "操作", BIND_REQUIRED, 1, 20),
	BIND_TEXT(struct transition_in, reason, "理由", BIND_MULTILINE, 0, SCREEN_REASON_MAX),
	BIND_ID(struct transition_in, into, "合并到的难题编号", 0),
	BIND_CHOICE(struct transition_in, from, "原状态", 0, problem_states),
	BIND_END,
};

const struct bind_field bulk_transition_fields[] = {
	BIND_TEXT(struct transition_in, action, "操作", BIND_REQUIRED, 1, 20),
	BIND_TEXT(struct transition_in, reason, "理由", BIND_MULTILINE, 0, SCREEN_REASON_MAX),
	BIND_ID(struct transition_in, into, "合并到的难题编号", 0),
	BIND_CHOICE(struct transition_in, from, "原状态", 0, problem_states),
	BIND_IDS(struct transition_in, ids, "难题", BIND_REQUIRED, SCREEN_BULK_MAX),
	BIND_END,
};

const struct bind_field screen_update_fields[] = {
	BIND_TEXT(struct screen_update_in, category, "难题类别", 0, 1, 30),
	BIND_ID(struct screen_update_in, category_id, "难题类别", 0),
	BIND_CHOICE(struct screen_update_in, priority, "优先级", 0, priorities),
	BIND_END,
};

/* What a transition reads of its problem. */
struct target {
	int64_t id, batch_id, unit_id, proposer_user_id;
	const char *title;
	int state;
	bool returned;
};

/* 0 found, 1 none, -1 store error. */
static int load_target(struct ctx *c, int64_t id, struct target *t)
{
	db_stmt *st = db_query(c->d, "SELECT id, batch_id, coalesce(proposer_unit_id, 0), coalesce(proposer_user_id, 0),"
				     " title, state, returned_at IS NOT NULL FROM problem WHERE tenant_id = $1 AND id = $2",
			       "ii", c->who->tenant_id, id);
	int rc;

	if (!st)
		return -1;
	if ((rc = db_step(st)) == DB_ROW) {
		t->id = db_col_int(st, 0);
		t->batch_id = db_col_int(st, 1);
		t->unit_id = db_col_int(st, 2);
		t->proposer_user_id = db_col_int(st, 3);
		t->title = arena_strdup(c->a, db_col_text(st, 4));
		t->state = problem_state_of(db_col_text(st, 5));
		t->returned = db_col_int(st, 6) != 0;
	}
	db_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

/* "“#12 标题”现为“已遴选”，不能执行“遴选入选”（只能对“待遴选”的难题执行）". */
static int wrong_state(struct ctx *c, const struct transition *tr, const struct target *t)
{
	const char *from = "";

	for (int s = 0; s < PROBLEM_STATE_COUNT; s++)
		if (transition_from(tr, s))
			from = arena_printf(c->a, "%s%s“%s”", from, *from ? "、" : "", problem_state_info[s].zh);
	return ctx_fail(c, JB_ECONFLICT, NULL, "wrong_state",
			arena_printf(c->a, "“#%lld %s”现为“%s”，不能执行“%s”（只能对%s的难题执行）", (long long)t->id, t->title,
				     t->state >= 0 ? problem_state_info[t->state].zh : "未知", tr->zh, from));
}

/* Screening and publishing end when the batch's work begins. */
static int phase_check(struct ctx *c, const struct transition *tr, const struct target *t)
{
	struct batch b;
	int rc, ph;

	if (!strcmp(tr->action, "withdraw"))
		return JB_OK;
	if ((rc = batch_get(c->d, c->a, c->who->tenant_id, t->batch_id, &b)) != 0)
		return rc < 0 ? -1 : ctx_fail(c, JB_ENOTFOUND, NULL, "not_found", "没有这个批次");
	ph = batch_phase_now(&b, c->now);
	if (ph < PHASE_WORKING)
		return JB_OK;
	return ctx_fail(c, JB_ECONFLICT, NULL, "wrong_phase",
			arena_printf(c->a, "“%s”已进入“%s”阶段，不能再%s", b.name, batch_phase_info[ph].zh, tr->zh));
}

/* The problem a merge goes into: another one of the tenant, not closed. */
static int check_into(struct ctx *c, const struct target *t, int64_t into)
{
	struct target in;
	int rc;

	if (!into)
		return ctx_invalid(c, "into", "missing_field", "请填写要合并到的难题编号");
	if (into == t->id)
		return ctx_invalid(c, "into", "merge_self", "不能把难题合并到它自己");
	if ((rc = load_target(c, into, &in)) != 0)
		return rc < 0 ? -1 : ctx_invalid(c, "into", "unknown_problem", "没有这个难题编号");
	if (in.state < 0 || (problem_state_info[in.state].flags & PS_CLOSED))
		return ctx_invalid(c, "into", "merge_closed",
				   arena_printf(c->a, "“#%lld %s”已%s，不能合并到它", (long long)in.id, in.title,
						problem_state_info[in.state].zh));
	return JB_OK;
}

/* One batch's publication round within this verb (created on first use). */
struct round {
	int64_t batch_id, id, round, n;
};
struct rounds {
	struct round r[SCREEN_BULK_MAX];
	int n;
};

static struct round *round_for(struct ctx *c, struct rounds *rs, int64_t batch_id)
{
	struct round *r;
	int64_t last = 0;

	for (int i = 0; i < rs->n; i++)
		if (rs->r[i].batch_id == batch_id)
			return &rs->r[i];
	if (db_scalar(c->d, "SELECT coalesce(max(round), 0) FROM publication WHERE tenant_id = $1 AND batch_id = $2", &last,
		      2, c->who->tenant_id, batch_id) < 0)
		return NULL;
	r = &rs->r[rs->n];
	*r = (struct round){ batch_id, db_next_id(c->d, c->who->tenant_id, "publication"), last + 1, 0 };
	if (r->id < 0)
		return NULL;
	if (db_run(c->d, "INSERT INTO publication (tenant_id, id, batch_id, round, published_at, actor, n)"
			 " VALUES ($1, $2, $3, $4, $5, $6, 0)", "iiiiis", c->who->tenant_id, r->id, batch_id, r->round,
		   c->now, ctx_actor(c).name) != DB_DONE)
		return NULL;
	rs->n++;
	return r;
}

/* Tell the robots receiving board_published about round r. 0 or -1. */
static int board_event(struct ctx *c, const struct round *r)
{
	db_stmt *st = db_query(c->d, "SELECT name FROM batch WHERE tenant_id = $1 AND id = $2", "ii", c->who->tenant_id,
			       r->batch_id);
	const char *name = "";
	int rc;

	if (!st)
		return -1;
	if ((rc = db_step(st)) == DB_ROW)
		name = arena_strdup(c->a, db_col_text(st, 0));
	db_done(st);
	if (rc == DB_ERROR)
		return -1;
	return outbox_event(c, "board_published", arena_printf(c->a, "榜单发布：%s 第 %lld 轮", name, (long long)r->round),
			    arena_printf(c->a, "本轮发榜 %lld 道难题，欢迎揭榜。", (long long)r->n), "/",
			    json_pack("{s:I, s:s, s:I, s:I}", "batch_id", (json_int_t)r->batch_id, "batch", name, "round",
				      (json_int_t)r->round, "problems", (json_int_t)r->n)) < 0 ? -1 : 0;
}

/* Record the rounds' sizes and audit each. 0 or -1. */
static int close_rounds(struct ctx *c, struct rounds *rs)
{
	for (int i = 0; i < rs->n; i++) {
		struct round *r = &rs->r[i];
		if (db_run(c->d, "UPDATE publication SET n = $3 WHERE tenant_id = $1 AND id = $2", "iii", c->who->tenant_id,
			   r->id, r->n) != DB_DONE)
			return -1;
		if (ctx_audit(c, "publication.create", "publication", r->id, NULL,
			      json_pack("{s:I, s:I, s:I}", "batch_id", (json_int_t)r->batch_id, "round", (json_int_t)r->round,
					"n", (json_int_t)r->n)) < 0)
			return -1;
		if (board_event(c, r) < 0)
			return -1;
	}
	return 0;
}

static const char *notice_title(struct ctx *c, const struct transition *tr, const struct target *t,
				const char *into_title)
{
	const char *a = tr->action;

	if (!strcmp(a, "select"))
		return arena_printf(c->a, "您的出卷“%s”已入选", t->title);
	if (!strcmp(a, "reject"))
		return arena_printf(c->a, "您的出卷“%s”未入选", t->title);
	if (!strcmp(a, "merge"))
		return arena_printf(c->a, "您的出卷“%s”已合并到“%s”", t->title, into_title);
	if (!strcmp(a, "return"))
		return arena_printf(c->a, "您的出卷“%s”被退回补充，请修改后再提交", t->title);
	if (!strcmp(a, "publish"))
		return arena_printf(c->a, "您的出卷“%s”已发榜", t->title);
	return arena_printf(c->a, "您的出卷“%s”已撤榜", t->title);
}

/* Apply tr to problem id inside the verb's transaction. */
static int apply_one(struct ctx *c, const struct transition *tr, int64_t id, const struct transition_in *in,
		     struct rounds *rs, struct transition_out *out)
{
	struct target t;
	struct round *r = NULL;
	struct perm_target pt;
	const char *reason = in->reason ? in->reason : "", *into_title = "";
	bool is_return = !strcmp(tr->action, "return");
	json_t *after;
	int rc;

	if ((rc = load_target(c, id, &t)) != 0)
		return rc < 0 ? -1 : ctx_fail(c, JB_ENOTFOUND, NULL, "not_found", arena_printf(c->a, "没有编号为 %lld 的难题", (long long)id));
	pt = (struct perm_target){ c->who->tenant_id, t.unit_id, 0, false };
	if (!perm_check(c->who, tr->perm, &pt))
		return ctx_deny(c, tr->perm, "problem", id);
	if (!transition_from(tr, t.state) || (in->from && problem_state_of(in->from) != t.state))
		return wrong_state(c, tr, &t);
	if (is_return && t.returned)
		return ctx_fail(c, JB_ECONFLICT, NULL, "already_returned",
				arena_printf(c->a, "“#%lld %s”已退回补充，正等待出卷人修改", (long long)t.id, t.title));
	if ((tr->needs & TR_REASON) && !*reason)
		return ctx_invalid(c, "reason", "missing_field", arena_printf(c->a, "请填写%s的理由", tr->zh));
	if ((tr->needs & TR_INTO) && (rc = check_into(c, &t, in->into)) != JB_OK)
		return rc;
	if ((rc = phase_check(c, tr, &t)) != JB_OK)
		return rc;
	if (tr->needs & TR_INTO) {
		struct target into;
		if (load_target(c, in->into, &into) != 0)
			return -1;
		into_title = into.title;
	}
	/* The compare-and-set: nothing changes unless the state is still t.state. */
	rc = db_run(c->d, "UPDATE problem SET state = $3, screen_reason = $4, merged_into = $5, returned_at = $6,"
			  " updated_at = $7 WHERE tenant_id = $1 AND id = $2 AND state = $8"
			  " AND ($9 = 0 OR returned_at IS NULL) RETURNING id",
		    "iissddisi", c->who->tenant_id, id, problem_state_info[tr->to].code, reason,
		    (tr->needs & TR_INTO) ? in->into : (int64_t)0, is_return ? c->now : (int64_t)0, c->now,
		    problem_state_info[t.state].code, (int64_t)is_return);
	if (rc == DB_ERROR)
		return -1;
	if (rc == DB_DONE)
		return ctx_fail(c, JB_ECONFLICT, NULL, "changed", arena_printf(c->a, "“#%lld %s”刚被他人处理，请刷新后再试",
									       (long long)t.id, t.title));
	if (tr->to == PROBLEM_PUBLISHED) {
		if (!(r = round_for(c, rs, t.batch_id)))
			return -1;
		r->n++;
		if (db_run(c->d, "UPDATE problem SET publication_id = $3, is_public = 1 WHERE tenant_id = $1 AND id = $2",
			   "iii", c->who->tenant_id, id, r->id) != DB_DONE)
			return -1;
		out->publication_id = r->id;
		out->round = r->round;
	}
	after = json_pack("{s:s, s:s}", "from", problem_state_info[t.state].code, "to", problem_state_info[tr->to].code);
	if (*reason)
		json_object_set_new(after, "reason", json_string(reason));
	if (tr->needs & TR_INTO)
		json_object_set_new(after, "into", json_integer(in->into));
	if (r) {
		json_object_set_new(after, "publication_id", json_integer(r->id));
		json_object_set_new(after, "round", json_integer(r->round));
	}
	if (ctx_audit(c, arena_printf(c->a, "problem.%s", tr->action), "problem", id, NULL, after) < 0)
		return -1;
	if (notify(c, t.proposer_user_id, arena_printf(c->a, "problem.%s", tr->action), "problem", id,
		   notice_title(c, tr, &t, into_title), *reason ? arena_printf(c->a, "理由：%s", reason) : "") < 0)
		return -1;
	out->from = t.state;
	out->to = tr->to;
	out->n++;
	return JB_OK;
}

struct apply_args {
	int64_t id;                /* 0: in->ids */
	struct transition_in *in;
	struct transition_out *out;
};

static int apply_verb(struct ctx *c, void *args)
{
	struct apply_args *x = args;
	const struct transition *tr = transition_find(x->in->action);
	struct rounds *rs = arena_alloc(c->a, sizeof(*rs));
	int rc = JB_OK;

	memset(x->out, 0, sizeof(*x->out));
	rs->n = 0;
	if (!tr)
		return ctx_invalid(c, "action", "unknown_action", "没有这种操作（可用：select、reject、merge、return、publish、withdraw）");
	if (x->id)
		rc = apply_one(c, tr, x->id, x->in, rs, x->out);
	for (int i = 0; !x->id && rc == JB_OK && i < x->in->ids.n; i++)
		rc = apply_one(c, tr, x->in->ids.v[i], x->in, rs, x->out);
	if (rc != JB_OK)
		return rc;
	return close_rounds(c, rs);
}

int screen_apply(struct ctx *c, int64_t id, struct transition_in *in, struct transition_out *out)
{
	struct apply_args x = { id, in, out };

	return action_run(c, apply_verb, &x);
}

int screen_apply_many(struct ctx *c, struct transition_in *in, struct transition_out *out)
{
	struct apply_args x = { 0, in, out };

	if (in->ids.n == 0) {
		memset(out, 0, sizeof(*out));
		return ctx_invalid(c, "ids", "missing_field", "请至少选择一个难题");
	}
	/* Each problem once: a repeated id would conflict with itself. */
	for (int i = 0; i < in->ids.n; i++)
		for (int j = 0; j < i; j++)
			if (in->ids.v[i] == in->ids.v[j]) {
				memset(out, 0, sizeof(*out));
				return ctx_invalid(c, "ids", "duplicate", "同一难题选择了两次");
			}
	return action_run(c, apply_verb, &x);
}

/* ---- category and priority ---- */

struct update_args {
	int64_t id;
	struct screen_update_in *in;
};

static int update_verb(struct ctx *c, void *args)
{
	struct update_args *x = args;
	struct proposal p;
	struct perm_target pt;
	int64_t cat;
	int rc, prio;

	struct target t;

	if ((rc = load_target(c, x->id, &t)) != 0)
		return rc < 0 ? -1 : ctx_fail(c, JB_ENOTFOUND, NULL, "not_found", "没有这个难题");
	pt = (struct perm_target){ c->who->tenant_id, t.unit_id, 0, false };
	if (!perm_check(c->who, "problem.screen", &pt))
		return ctx_deny(c, "problem.screen", "problem", x->id);
	if (proposal_get(c->d, c->a, c->who, x->id, &p) != 0)
		return -1;
	if (problem_state_info[p.state].flags & PS_CLOSED)
		return ctx_fail(c, JB_ECONFLICT, NULL, "wrong_state",
				arena_printf(c->a, "该难题已%s，不能再修改类别和优先级", problem_state_info[p.state].zh));
	cat = p.category_id;
	if ((x->in->category_id || (x->in->category && *x->in->category)) &&
	    (rc = proposal_category(c, x->in->category, x->in->category_id, &cat)) != JB_OK)
		return rc;
	prio = x->in->priority ? x->in->priority[0] - '0' : p.priority;
	if (db_run(c->d, "UPDATE problem SET category_id = $3, priority = $4, updated_at = $5 WHERE tenant_id = $1 AND id = $2",
		   "iiiii", c->who->tenant_id, x->id, cat, (int64_t)prio, c->now) != DB_DONE)
		return -1;
	return ctx_audit(c, "problem.screen_update", "problem", x->id,
			 json_pack("{s:s, s:i}", "category", p.category, "priority", p.priority),
			 json_pack("{s:I, s:i}", "category_id", (json_int_t)cat, "priority", prio));
}

int screen_update(struct ctx *c, int64_t id, struct screen_update_in *in)
{
	struct update_args x = { id, in };

	return action_run(c, update_verb, &x);
}

/* ---- carrying into the next batch ---- */

const struct bind_field carry_fields[] = {
	BIND_ID(struct carry_in, batch_id, "转入的批次", BIND_REQUIRED),
	BIND_ID(struct carry_in, from_batch_id, "原批次", 0),
	BIND_IDS(struct carry_in, ids, "难题", BIND_REQUIRED, SCREEN_BULK_MAX),
	BIND_END,
};

struct carry_args {
	struct carry_in *in;
	int *moved;
};

static int carry_one(struct ctx *c, const struct batch *to, int64_t from, int64_t id)
{
	struct target t;
	int rc;

	if ((rc = load_target(c, id, &t)) != 0)
		return rc < 0 ? -1 : ctx_fail(c, JB_ENOTFOUND, NULL, "not_found",
					      arena_printf(c->a, "没有编号为 %lld 的难题", (long long)id));
	if (t.state < 0 || (problem_state_info[t.state].flags & (PS_SOLVED | PS_CLOSED)))
		return ctx_fail(c, JB_ECONFLICT, NULL, "wrong_state",
				arena_printf(c->a, "“#%lld %s”现为“%s”，只有未破题的难题才能转入下一批次", (long long)t.id,
					     t.title, t.state >= 0 ? problem_state_info[t.state].zh : "未知"));
	if (from && t.batch_id != from)
		return ctx_fail(c, JB_ECONFLICT, NULL, "changed",
				arena_printf(c->a, "“#%lld %s”已不在原批次中，请刷新后再试", (long long)t.id, t.title));
	if (t.batch_id == to->id)
		return ctx_invalid(c, "batch_id", "same_batch",
				   arena_printf(c->a, "“#%lld %s”已在“%s”中", (long long)t.id, t.title, to->name));
	rc = db_run(c->d, "UPDATE problem SET batch_id = $3, carried_from_batch = $4, updated_at = $5"
			  " WHERE tenant_id = $1 AND id = $2 AND batch_id = $4 AND state = $6 RETURNING id",
		    "iiiiis", c->who->tenant_id, id, to->id, t.batch_id, c->now, problem_state_info[t.state].code);
	if (rc == DB_ERROR)
		return -1;
	if (rc == DB_DONE)
		return ctx_fail(c, JB_ECONFLICT, NULL, "changed",
				arena_printf(c->a, "“#%lld %s”刚被他人处理，请刷新后再试", (long long)t.id, t.title));
	return ctx_audit(c, "problem.carry", "problem", id, json_pack("{s:I}", "batch_id", (json_int_t)t.batch_id),
			 json_pack("{s:I, s:s}", "batch_id", (json_int_t)to->id, "batch", to->name));
}

static int carry_verb(struct ctx *c, void *args)
{
	struct carry_args *x = args;
	struct perm_target pt = { c->who->tenant_id, 0, 0, false };
	struct batch to;
	int rc;

	*x->moved = 0;
	if (!perm_check(c->who, "batch.manage", &pt))
		return ctx_deny(c, "batch.manage", "batch", x->in->batch_id);
	if ((rc = batch_get(c->d, c->a, c->who->tenant_id, x->in->batch_id, &to)) != 0)
		return rc < 0 ? -1 : ctx_invalid(c, "batch_id", "unknown_batch", "没有这个批次");
	if (batch_phase_now(&to, c->now) == PHASE_CLOSED)
		return ctx_invalid(c, "batch_id", "batch_closed", arena_printf(c->a, "“%s”已结束，不能再转入难题", to.name));
	if (x->in->ids.n == 0)
		return ctx_invalid(c, "ids", "missing_field", "请至少选择一个难题");
	for (int i = 0; i < x->in->ids.n; i++) {
		if ((rc = carry_one(c, &to, x->in->from_batch_id, x->in->ids.v[i])) != JB_OK)
			return rc;
		(*x->moved)++;
	}
	return JB_OK;
}

int screen_carry(struct ctx *c, struct carry_in *in, int *moved)
{
	struct carry_args x = { in, moved };

	return action_run(c, carry_verb, &x);
}

/* ---- the queue ---- */

#define QUEUE_COND \
	" p.tenant_id = $1 AND ($2 = 0 OR p.batch_id = $2) AND ($3 = 0 OR p.category_id = $3)" \
	" AND ($4 = 0 OR p.proposer_unit_id = $4)"
#define QUEUE_FILTER \
	" AND (($5 = '' AND p.state IN " STATE_SQL_SCREENING ") OR p.state = $5)" \
	" AND ($6 = 0 OR p.returned_at IS NOT NULL) AND ($7 = 0 OR p.proposer_user_id IS NULL)" \
	" AND ($8 = '' OR lower(p.title) LIKE $8 ESCAPE '\\')"

static const char queue_rows_sql[] =
	"SELECT p.id, p.created_at, p.updated_at, p.title, b.name, cat.name, coalesce(u.name, ''), p.proposer_name,"
	" p.state, p.priority, p.residents_concern, p.proposer_user_id IS NULL, p.returned_at IS NOT NULL"
	" FROM problem p"
	" JOIN batch b ON b.tenant_id = p.tenant_id AND b.id = p.batch_id"
	" JOIN category cat ON cat.tenant_id = p.tenant_id AND cat.id = p.category_id"
	" LEFT JOIN unit u ON u.tenant_id = p.tenant_id AND u.id = p.proposer_unit_id"
	" WHERE" QUEUE_COND QUEUE_FILTER " ORDER BY p.priority DESC, p.id LIMIT $9 OFFSET $10";
static const char queue_total_sql[] = "SELECT count(*) FROM problem p WHERE" QUEUE_COND QUEUE_FILTER;
static const char queue_states_sql[] = "SELECT p.state, count(*) FROM problem p WHERE" QUEUE_COND " GROUP BY p.state";

/* The queue's statements: $1-$4 the scope (states_sql), $5-$8 the filter
 * (total_sql), $9-$10 the page (rows_sql). */
static db_stmt *queue_query(db *d, arena *a, const char *sql, int64_t tenant, int64_t unit,
			    const struct screen_filter *f, int64_t per, int64_t page)
{
	const char *state = f->state >= 0 && f->state < PROBLEM_STATE_COUNT ? problem_state_info[f->state].code : "";
	const char *like = f->q && *f->q ? search_like(a, f->q) : "";

	if (sql == queue_states_sql)
		return db_query(d, sql, "iiii", tenant, f->batch_id, f->category_id, unit);
	if (sql == queue_total_sql)
		return db_query(d, sql, "iiiisiis", tenant, f->batch_id, f->category_id, unit, state,
				(int64_t)f->returned, (int64_t)f->residents, like);
	return db_query(d, sql, "iiiisiisii", tenant, f->batch_id, f->category_id, unit, state, (int64_t)f->returned,
			(int64_t)f->residents, like, per, (page - 1) * per);
}

int screen_list(db *d, arena *a, const struct principal *who, const struct screen_filter *f, struct screen_page *out)
{
	int64_t unit = 0, per = f->per_page > 0 && f->per_page <= 100 ? f->per_page : 50, page = f->page > 0 ? f->page : 1;
	db_stmt *st;
	int rc, cap = 0;

	memset(out, 0, sizeof(*out));
	if (!perm_unit_scope(who, "problem.read_internal", &unit))
		return 1;
	if (db_begin(d, DB_READ) < 0)
		return -1;
	if (!(st = queue_query(d, a, queue_rows_sql, who->tenant_id, unit, f, per, page)))
		goto fail;
	while ((rc = db_step(st)) == DB_ROW) {
		struct screen_row *x = ARENA_PUSH(a, out->items, out->n, cap);
		x->id = db_col_int(st, 0);
		x->created_at = db_col_int(st, 1);
		x->updated_at = db_col_int(st, 2);
		x->title = arena_strdup(a, db_col_text(st, 3));
		x->batch = arena_strdup(a, db_col_text(st, 4));
		x->category = arena_strdup(a, db_col_text(st, 5));
		x->unit = arena_strdup(a, db_col_text(st, 6));
		x->proposer_name = arena_strdup(a, db_col_text(st, 7));
		x->state = problem_state_of(db_col_text(st, 8));
		x->priority = (int)db_col_int(st, 9);
		x->residents_concern = db_col_int(st, 10) != 0;
		x->from_resident = db_col_int(st, 11) != 0;
		x->returned = db_col_int(st, 12) != 0;
	}
	db_done(st);
	if (rc == DB_ERROR || !(st = queue_query(d, a, queue_total_sql, who->tenant_id, unit, f, per, page)))
		goto fail;
	if ((rc = db_step(st)) == DB_ROW)
		out->total = db_col_int(st, 0);
	db_done(st);
	if (rc != DB_ROW || !(st = queue_query(d, a, queue_states_sql, who->tenant_id, unit, f, per, page)))
		goto fail;
	while ((rc = db_step(st)) == DB_ROW) {
		int s = problem_state_of(db_col_text(st, 0));
		if (s >= 0)
			out->by_state[s] = db_col_int(st, 1);
	}
	db_done(st);
	if (rc == DB_ERROR)
		goto fail;
	return db_commit(d) < 0 ? -1 : 0;
fail:
	db_rollback(d);
	return -1;
}

int publication_list(db *d, arena *a, int64_t tenant_id, int64_t batch_id, struct publication **out, int *n)
{
	db_stmt *st = db_query(d, "SELECT id, batch_id, round, published_at, n, actor FROM publication"
				  " WHERE tenant_id = $1 AND ($2 = 0 OR batch_id = $2) ORDER BY batch_id, round",
			       "ii", tenant_id, batch_id);
	int rc, cap = 0;

	*out = NULL;
	*n = 0;
	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct publication *p = ARENA_PUSH(a, *out, *n, cap);
		p->id = db_col_int(st, 0);
		p->batch_id = db_col_int(st, 1);
		p->round = db_col_int(st, 2);
		p->published_at = db_col_int(st, 3);
		p->n = db_col_int(st, 4);
		p->actor = arena_strdup(a, db_col_text(st, 5));
	}
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}
