/* bulletin.c - issuing and reading bulletins (contract in bulletin.h). */
#include "domain/bulletin.h"

#include <string.h>

#include "domain/audit.h"
#include "domain/perm.h"
#include "domain/practice.h"
#include "domain/state.h"
#include "domain/claim.h"
#include "domain/stats.h"
#include "util/civil.h"

#define FIGURE_ROW(key, zh) { #key, zh },
const struct bulletin_figure bulletin_figures[] = { BULLETIN_FIGURES(FIGURE_ROW) { NULL, NULL } };
#undef FIGURE_ROW

static const struct bind_field item_fields[] = {
	BIND_ID(struct bulletin_item_in, claim, "揭榜项目", 0),
	BIND_TEXT(struct bulletin_item_in, text, "工作亮点", 0, 1, BULLETIN_TEXT_MAX),
	BIND_END,
};

const struct bind_field bulletin_fields[] = {
	BIND_DATE(struct bulletin_in, period_from, "统计起始日期", BIND_REQUIRED),
	BIND_DATE(struct bulletin_in, period_to, "统计截止日期", BIND_REQUIRED),
	BIND_DATE(struct bulletin_in, issued_on, "印发日期", 0),
	BIND_TEXT(struct bulletin_in, office, "发文单位", 0, 1, BULLETIN_OFFICE_MAX),
	BIND_ID(struct bulletin_in, batch, "批次", 0),
	BIND_LIST(struct bulletin_in, highlights, "工作亮点", 0, BULLETIN_FORM_ROWS, item_fields, struct bulletin_item_in),
	BIND_END,
};

static void release_json(void *p)
{
	json_decref(p);
}

/* YYYY-MM-DD of the local day of t, onto a. */
static const char *day_text(arena *a, int64_t t)
{
	char out[CIVIL_DATE_LEN];
	return arena_strdup(a, civil_format(civil_local_day(t), out));
}

int64_t bulletin_figure(const json_t *figures, const char *key)
{
	json_t *v = json_object_get(figures, key);
	return json_is_integer(v) ? (int64_t)json_integer_value(v) : 0;
}

const char *bulletin_default_office(db *d, arena *a, int64_t tenant_id)
{
	db_stmt *st = db_query(d, "SELECT name FROM tenant WHERE id = $1", "i", tenant_id);
	const char *name = "";

	if (st && db_step(st) == DB_ROW)
		name = arena_strdup(a, db_col_text(st, 0));
	if (st)
		db_done(st);
	return arena_printf(a, "中共%s委组织部", name);
}

/* ---- the frozen figures ---- */

/* The units with the most overdue claims (more than 0), most first; ties
 * keep the unit table's order (most claims first). */
static json_t *top_units(arena *a, const struct stats *s)
{
	json_t *arr = json_array();
	bool *taken = arena_alloc(a, (size_t)s->nunit_table + 1);

	for (int k = 0; k < BULLETIN_TOP_UNITS; k++) {
		int best = -1;
		for (int i = 0; i < s->nunit_table; i++)
			if (!taken[i] && s->unit_table[i].overdue > 0 &&
			    (best < 0 || s->unit_table[i].overdue > s->unit_table[best].overdue))
				best = i;
		if (best < 0)
			break;
		taken[best] = true;
		const struct stat_unit *u = &s->unit_table[best];
		json_array_append_new(arr, json_pack("{s:s, s:I, s:I}", "name", u->name ? u->name : "", "overdue",
						     (json_int_t)u->overdue, "claimed", (json_int_t)u->claimed));
	}
	return arr;
}

static json_t *by_category(const struct stats *s)
{
	json_t *arr = json_array();

	for (int i = 0; i < s->ncategory; i++) {
		const struct stat_row *r = &s->by_category[i];
		json_array_append_new(arr, json_pack("{s:s, s:I, s:I, s:I}", "name", r->code, "problems", (json_int_t)r->total,
						     "claimed", (json_int_t)r->claimed, "solved", (json_int_t)r->solved));
	}
	return arr;
}

/* Practices created or adopted within [from, until) (until: the day after
 * the period), linked to a claim of the batch when batch_id is not 0. */
static int period_practices(struct ctx *c, int64_t batch_id, int64_t from, int64_t until, json_t *arr)
{
	db_stmt *st = db_query(c->d, "SELECT p.id, p.title, p.state, p.doc_no, p.issuer FROM practice p"
				     " WHERE p.tenant_id = $1 AND ((p.created_at >= $2 AND p.created_at < $3)"
				     "  OR (p.adopted_on >= $2 AND p.adopted_on < $3))"
				     " AND ($4 = 0 OR EXISTS (SELECT 1 FROM practice_claim pc"
				     "  JOIN claim k ON k.tenant_id = pc.tenant_id AND k.id = pc.claim_id"
				     "  JOIN problem pr ON pr.tenant_id = k.tenant_id AND pr.id = k.problem_id"
				     "  WHERE pc.tenant_id = p.tenant_id AND pc.practice_id = p.id AND pr.batch_id = $4))"
				     " ORDER BY p.id",
			       "iiii", c->who->tenant_id, from, until, batch_id);
	int rc;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		int state = practice_state_of(db_col_text(st, 2));
		json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)db_col_int(st, 0),
						     "title", db_col_text(st, 1), "state", db_col_text(st, 2), "state_label",
						     state >= 0 ? practice_states[state].zh : "", "doc_no",
						     db_col_text(st, 3), "issuer", db_col_text(st, 4)));
	}
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

/* The figures of the batch (0: all) at c->now, frozen as JSON into *out.
 * 0, 1 no such batch, -1 store error. */
static int freeze(struct ctx *c, const struct bulletin_in *in, json_t **out)
{
	struct stats s;
	json_t *f, *practices;
	int rc;

	*out = NULL;
	if ((rc = stats_get(c->d, c->a, c->who->tenant_id, in->batch, c->now, 0, STATS_UNITS, &s)) != 0)
		return rc;
	practices = json_array();
	if (period_practices(c, in->batch, in->period_from, in->period_to + 86400, practices) < 0) {
		json_decref(practices);
		return -1;
	}
	f = json_pack("{s:s, s:o, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:o, s:o}",
		      "as_of", day_text(c->a, s.as_of), "batch", s.batch ? json_string(s.batch) : json_null(),
		      "problems", (json_int_t)s.problems, "claimed", (json_int_t)s.claimed,
		      "in_progress", (json_int_t)s.in_progress, "solved", (json_int_t)s.solved,
		      "accepted", (json_int_t)s.accepted, "overdue", (json_int_t)s.lights[LIGHT_RED],
		      "unreported", (json_int_t)s.lights[LIGHT_UNREPORTED], "promotions", (json_int_t)s.promotions,
		      "practices_adopted", (json_int_t)s.practices_adopted, "by_category", by_category(&s),
		      "top_units", top_units(c->a, &s), "practices", practices);
	if (!f)
		return -1;
	*out = f;
	return 0;
}

/* ---- issuing ---- */

/* The frozen line of a highlighted claim: its problem, unit and state;
 * JB_EINVALID when it is not a claim of the tenant (and batch). */
static int claim_line(struct ctx *c, const struct bulletin_in *in, int i, const char **line)
{
	int64_t id = ((const struct bulletin_item_in *)in->highlights.items)[i].claim;
	db_stmt *st = db_query(c->d, "SELECT pr.title, coalesce(u.name, ''), k.state FROM claim k"
				     " JOIN problem pr ON pr.tenant_id = k.tenant_id AND pr.id = k.problem_id"
				     " LEFT JOIN unit u ON u.tenant_id = k.tenant_id AND u.id = k.unit_id"
				     " WHERE k.tenant_id = $1 AND k.id = $2 AND ($3 = 0 OR pr.batch_id = $3)",
			       "iii", c->who->tenant_id, id, in->batch);
	int rc;

	if (!st)
		return ctx_store_error(c);
	if ((rc = db_step(st)) == DB_ROW) {
		int state = claim_state_of(db_col_text(st, 2));
		*line = arena_printf(c->a, "%s（%s）：%s", db_col_text(st, 0), db_col_text(st, 1),
				     state >= 0 ? claim_state_info[state].zh : db_col_text(st, 2));
	}
	db_done(st);
	if (rc == DB_ERROR)
		return ctx_store_error(c);
	if (rc != DB_ROW)
		return ctx_invalid(c, "highlights", "not_found",
				   arena_printf(c->a, in->batch ? "没有编号为 %lld 的揭榜项目，或它不属于所选批次"
								: "没有编号为 %lld 的揭榜项目", (long long)id));
	return JB_OK;
}

static int check_input(struct ctx *c, const struct bulletin_in *in)
{
	const struct bulletin_item_in *it = in->highlights.items;

	if (in->period_to < in->period_from)
		ctx_invalid(c, "period_to", "before_start", "统计截止日期不能早于起始日期");
	if (in->issued_on && in->issued_on < in->period_from)
		ctx_invalid(c, "issued_on", "before_start", "印发日期不能早于统计起始日期");
	if (in->highlights.n > BULLETIN_MAX_ITEMS)
		ctx_invalid(c, "highlights", "too_many", "工作亮点最多 30 项");
	for (int i = 0; i < in->highlights.n; i++)
		if (!it[i].claim && !it[i].text)
			ctx_invalid(c, "highlights", "required", "每一项亮点要选择揭榜项目或填写内容");
	return c->nerrs ? JB_EINVALID : JB_OK;
}

struct issue_args {
	const struct bulletin_in *in;
	int64_t n;
};

static int issue_verb(struct ctx *c, void *p)
{
	struct issue_args *x = p;
	const struct bulletin_in *in = x->in;
	const struct bulletin_item_in *it = in->highlights.items;
	struct perm_target t = { c->who->tenant_id, 0, 0, false };
	const char *office, **lines;
	json_t *figures;
	char *text;
	int64_t n = 0, issued_on = in->issued_on ? in->issued_on : c->now;
	int rc;

	if (!perm_check(c->who, "bulletin.manage", &t))
		return ctx_deny(c, "bulletin.manage", "bulletin", 0);
	if ((rc = check_input(c, in)) != JB_OK)
		return rc;
	lines = arena_alloc(c->a, sizeof(*lines) * (size_t)(in->highlights.n + 1));
	for (int i = 0; i < in->highlights.n; i++) {
		lines[i] = it[i].text;
		if (it[i].claim && (rc = claim_line(c, in, i, &lines[i])) != JB_OK && rc != JB_EINVALID)
			return rc;
		if (it[i].claim && it[i].text)
			lines[i] = it[i].text;
	}
	if (c->nerrs)
		return JB_EINVALID;
	if ((rc = freeze(c, in, &figures)) < 0)
		return ctx_store_error(c);
	if (rc > 0)
		return ctx_invalid(c, "batch", "not_found", "没有这个批次");
	arena_defer(c->a, release_json, figures);
	office = in->office ? in->office : bulletin_default_office(c->d, c->a, c->who->tenant_id);
	if (db_scalar(c->d, "SELECT coalesce(max(n), 0) + 1 FROM bulletin WHERE tenant_id = $1", &n, 1,
		      c->who->tenant_id) != 0)
		return ctx_store_error(c);
	text = json_dumps(figures, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_SORT_KEYS);
	if (!text)
		return ctx_store_error(c);
	arena_defer(c->a, free, text);
	if (db_run(c->d, "INSERT INTO bulletin (tenant_id, n, batch_id, period_from, period_to, issued_on, office,"
			 " figures, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
		   "iidsssssii", c->who->tenant_id, n, in->batch, day_text(c->a, in->period_from),
		   day_text(c->a, in->period_to), day_text(c->a, issued_on), office, text, c->who->user_id,
		   c->now) == DB_ERROR)
		return db_errclass(c->d) == DB_ECONSTRAINT
			       ? ctx_fail(c, JB_ECONFLICT, NULL, "conflict", "同一期号已被占用，请重新提交")
			       : ctx_store_error(c);
	for (int i = 0; i < in->highlights.n; i++)
		if (db_run(c->d, "INSERT INTO bulletin_item (tenant_id, bulletin_n, position, claim_id, text)"
				 " VALUES ($1, $2, $3, $4, $5)",
			   "iiids", c->who->tenant_id, n, (int64_t)(i + 1), it[i].claim, lines[i]) == DB_ERROR)
			return ctx_store_error(c);
	if (ctx_audit(c, "bulletin.issue", "bulletin", n, NULL,
		      json_pack("{s:I, s:s, s:s, s:s, s:o, s:i}", "n", (json_int_t)n, "period_from",
				day_text(c->a, in->period_from), "period_to", day_text(c->a, in->period_to), "office",
				office, "batch", in->batch ? json_integer(in->batch) : json_null(), "highlights",
				in->highlights.n)) < 0)
		return ctx_store_error(c);
	x->n = n;
	return JB_OK;
}

int bulletin_issue(struct ctx *c, const struct bulletin_in *in, int64_t *n)
{
	struct issue_args x = { in, 0 };
	int rc = action_run(c, issue_verb, &x);

	*n = rc == JB_OK ? x.n : 0;
	return rc;
}

/* ---- reading ---- */

static bool may_read(struct ctx *c)
{
	struct perm_target t = { c->who->tenant_id, 0, 0, false };
	return perm_check(c->who, "bulletin.read", &t);
}

/* The JSON text s parsed, released with the arena; an empty object when
 * it does not parse (never: the verb wrote it). */
static json_t *parse(arena *a, const char *s)
{
	json_t *j = json_loads(s, 0, NULL);

	if (!j)
		j = json_object();
	arena_defer(a, release_json, j);
	return j;
}

#define BULLETIN_COLS \
	"SELECT b.n, coalesce(b.batch_id, 0), b.created_at, coalesce(bt.name, ''), b.period_from, b.period_to," \
	" b.issued_on, b.office, b.figures, coalesce(u.login, '') FROM bulletin b" \
	" LEFT JOIN batch bt ON bt.tenant_id = b.tenant_id AND bt.id = b.batch_id" \
	" LEFT JOIN app_user u ON u.tenant_id = b.tenant_id AND u.id = b.created_by"

static void fill(arena *a, db_stmt *st, struct bulletin *b)
{
	memset(b, 0, sizeof(*b));
	b->n = db_col_int(st, 0);
	b->batch_id = db_col_int(st, 1);
	b->created_at = db_col_int(st, 2);
	b->batch = arena_strdup(a, db_col_text(st, 3));
	b->period_from = arena_strdup(a, db_col_text(st, 4));
	b->period_to = arena_strdup(a, db_col_text(st, 5));
	b->issued_on = arena_strdup(a, db_col_text(st, 6));
	b->office = arena_strdup(a, db_col_text(st, 7));
	b->figures = parse(a, db_col_text(st, 8));
	b->created_by = arena_strdup(a, db_col_text(st, 9));
}

static int list_rows(struct ctx *c, struct bulletin **out, int *n)
{
	db_stmt *st = db_query(c->d, BULLETIN_COLS " WHERE b.tenant_id = $1 ORDER BY b.n DESC", "i", c->who->tenant_id);
	int rc, cap = 0;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW)
		fill(c->a, st, ARENA_PUSH(c->a, *out, *n, cap));
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

int bulletin_list(struct ctx *c, struct bulletin **out, int *n)
{
	int rc;

	*out = NULL;
	*n = 0;
	if (!may_read(c)) {
		ctx_deny(c, "bulletin.read", "bulletin", 0);
		ctx_log_denial(c);
		return JB_EDENIED;
	}
	if (db_begin(c->d, DB_READ) < 0)
		return ctx_store_error(c);
	rc = list_rows(c, out, n);
	if (rc < 0 || db_commit(c->d) < 0) {
		db_rollback(c->d);
		return ctx_store_error(c);
	}
	return JB_OK;
}

static int get_rows(struct ctx *c, int64_t n, struct bulletin *b)
{
	db_stmt *st = db_query(c->d, BULLETIN_COLS " WHERE b.tenant_id = $1 AND b.n = $2", "ii", c->who->tenant_id, n);
	int rc, cap = 0;

	if (!st)
		return -1;
	if ((rc = db_step(st)) == DB_ROW)
		fill(c->a, st, b);
	db_done(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? 1 : -1;
	st = db_query(c->d, "SELECT position, coalesce(claim_id, 0), text FROM bulletin_item"
			    " WHERE tenant_id = $1 AND bulletin_n = $2 ORDER BY position",
		      "ii", c->who->tenant_id, n);
	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct bulletin_item *it = ARENA_PUSH(c->a, b->items, b->nitems, cap);
		it->position = (int)db_col_int(st, 0);
		it->claim_id = db_col_int(st, 1);
		it->text = arena_strdup(c->a, db_col_text(st, 2));
	}
	db_done(st);
	if (rc != DB_DONE)
		return -1;
	/* the previous issue of the same scope (batch or every batch) */
	st = db_query(c->d, "SELECT figures FROM bulletin WHERE tenant_id = $1 AND n < $2"
			    " AND coalesce(batch_id, 0) = $3 ORDER BY n DESC LIMIT 1",
		      "iii", c->who->tenant_id, n, b->batch_id);
	if (!st)
		return -1;
	if ((rc = db_step(st)) == DB_ROW)
		b->previous = parse(c->a, db_col_text(st, 0));
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

int bulletin_get(struct ctx *c, int64_t n, struct bulletin *out)
{
	int rc;

	memset(out, 0, sizeof(*out));
	if (!may_read(c)) {
		ctx_deny(c, "bulletin.read", "bulletin", n);
		ctx_log_denial(c);
		return JB_EDENIED;
	}
	if (db_begin(c->d, DB_READ) < 0)
		return ctx_store_error(c);
	rc = get_rows(c, n, out);
	if (rc < 0 || db_commit(c->d) < 0) {
		db_rollback(c->d);
		return ctx_store_error(c);
	}
	if (rc > 0)
		return ctx_fail(c, JB_ENOTFOUND, NULL, "not_found", "没有这一期简报");
	return JB_OK;
}

int bulletin_candidates(db *d, arena *a, int64_t tenant_id, int64_t batch_id, int64_t from, int64_t to,
			struct bulletin_candidate **out, int *n)
{
	db_stmt *st = db_query(d, "SELECT k.id, k.problem_id, pr.title, coalesce(u.name, ''), k.state,"
				  " CASE WHEN k.accepted_at >= $3 AND k.accepted_at < $4 THEN 2"
				  "  WHEN k.solved_at >= $3 AND k.solved_at < $4 THEN 1 ELSE 0 END AS why"
				  " FROM claim k JOIN problem pr ON pr.tenant_id = k.tenant_id AND pr.id = k.problem_id"
				  " LEFT JOIN unit u ON u.tenant_id = k.tenant_id AND u.id = k.unit_id"
				  " WHERE k.tenant_id = $1 AND ($2 = 0 OR pr.batch_id = $2) AND k.state IN "
				  STATE_SQL_COUNTED_CLAIMS
				  " AND ((k.solved_at >= $3 AND k.solved_at < $4) OR (k.accepted_at >= $3 AND k.accepted_at < $4)"
				  "  OR EXISTS (SELECT 1 FROM progress g WHERE g.tenant_id = k.tenant_id AND g.claim_id = k.id"
				  "  AND g.at >= $3 AND g.at < $4))"
				  " ORDER BY why DESC, k.id",
			       "iiii", tenant_id, batch_id, from, to + 86400);
	static const char *const why[] = { "期内有进展", "期内破题", "期内验收" };
	int rc, cap = 0;

	*out = NULL;
	*n = 0;
	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct bulletin_candidate *k = ARENA_PUSH(a, *out, *n, cap);
		int state = claim_state_of(db_col_text(st, 4));
		int64_t w = db_col_int(st, 5);
		k->claim_id = db_col_int(st, 0);
		k->problem_id = db_col_int(st, 1);
		k->title = arena_strdup(a, db_col_text(st, 2));
		k->unit = arena_strdup(a, db_col_text(st, 3));
		k->state = state >= 0 ? claim_state_info[state].zh : "";
		k->why = why[w >= 0 && w <= 2 ? w : 0];
	}
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}
