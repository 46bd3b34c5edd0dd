/* export.c - the exportable lists (台账 and the others) and their reading,
 * chunk by chunk, in short read transactions (export.h). */
#include "domain/export.h"

#include <string.h>
#include <time.h>

#include "domain/claim.h"
#include "domain/labels.h"
#include "domain/practice.h"
#include "domain/promotion.h"
#include "domain/proposal.h"
#include "domain/rubric.h"
#include "domain/state.h"
#include "util/text.h"

/* Where a column's value comes from: the query's column of the same
 * position (after the key), as such or as a code to look up; or, from a
 * claim id in that column, the light (the stored one while it holds,
 * claim_light_now()) or a list worked out per row in C (cooperating units,
 * milestones, metrics, in one order on both stores). */
enum export_src { SRC_COL, SRC_LABEL, SRC_LIGHT, SRC_COOPS, SRC_MILESTONES, SRC_METRICS };

struct col_def {
	struct export_col col;
	enum export_src src;
	const struct label *labels; /* SRC_LABEL; an unknown code is written as it is */
	bool admin_only;            /* a resident's contact: admins only */
};

/* A list: its query takes $1 tenant, $2 the last key read, $3 the rows
 * wanted, and answers the key, then one column per col_def. The board's
 * list (sql NULL) reads through problem_list_after() instead. */
struct export_list {
	const char *name, *title;
	const char *perm, *perm_also;
	const char *sql;
	const struct col_def *cols;
	int ncols;
};

#define T(h) { { h, EXPORT_TEXT }, SRC_COL, NULL, false }
#define I(h) { { h, EXPORT_INT }, SRC_COL, NULL, false }
#define D(h) { { h, EXPORT_DATE }, SRC_COL, NULL, false }
#define DT(h) { { h, EXPORT_DATETIME }, SRC_COL, NULL, false }
#define PTS(h) { { h, EXPORT_POINTS }, SRC_COL, NULL, false }
#define L(h, t) { { h, EXPORT_TEXT }, SRC_LABEL, t, false }
#define X(h, s) { { h, EXPORT_TEXT }, s, NULL, false }
#define PHONE(h) { { h, EXPORT_TEXT }, SRC_COL, NULL, true }
#define N(a) (int)(sizeof(a) / sizeof((a)[0]))

static const struct label notice_status[] = {
	{ "open", "公示中" }, { "closed", "公示结束" }, { "none", "未公示" }, { NULL, NULL },
};

#define ON_BOARD " p.tenant_id = $1 AND p.is_public = 1 AND p.state IN " STATE_SQL_PUBLIC
#define PAGE(key) " AND " key " > $2 ORDER BY " key " LIMIT $3"

/* ---- the board (problem_list_after) ---- */

static const struct col_def problems_cols[] = {
	I("编号"), T("难题"), T("批次"), T("类别"), T("状态"), T("揭榜单位"), T("主要负责人"),
	T("灯色"), I("完成进度(%)"), DT("更新时间"), PHONE("联系电话"),
};

/* ---- 台账 ---- */

static const struct col_def ledger_cols[] = {
	I("编号"), T("难题"), T("类别"), T("出卷单位"), T("揭榜单位"), X("配合单位", SRC_COOPS),
	T("挂帅领导"), T("主要负责人"), I("战队人数"), D("完成时限"), X("节点计划", SRC_MILESTONES),
	T("最新进展"), T("困难问题"), X("目标/完成", SRC_METRICS), L("状态", problem_states),
	X("灯色", SRC_LIGHT), PTS("考评得分"), L("等级", grades), L("公示状态", notice_status),
};
static const char ledger_sql[] =
	"SELECT p.id, p.id, p.title, cat.name,"
	" coalesce((SELECT pu.name FROM unit pu WHERE pu.tenant_id = p.tenant_id AND pu.id = p.proposer_unit_id), p.proposer_name),"
	" coalesce(u.name, ''), coalesce(c.id, 0), coalesce(l.name, ''), coalesce(o.name, ''),"
	" CASE WHEN c.id IS NULL THEN NULL ELSE"
	"  (SELECT count(*) FROM claim_member m WHERE m.tenant_id = c.tenant_id AND m.claim_id = c.id) END,"
	" c.deadline, coalesce(c.id, 0),"
	" coalesce((SELECT CASE WHEN pr.body = '' THEN pr.title ELSE pr.title || '：' || pr.body END"
	"  FROM progress pr WHERE pr.tenant_id = c.tenant_id AND pr.claim_id = c.id ORDER BY pr.at DESC, pr.id DESC LIMIT 1), ''),"
	" coalesce((SELECT pr.difficulties FROM progress pr WHERE pr.tenant_id = c.tenant_id AND pr.claim_id = c.id"
	"  AND pr.difficulties <> '' ORDER BY pr.at DESC, pr.id DESC LIMIT 1), ''),"
	" coalesce(c.id, 0), p.state, coalesce(c.id, 0), c.score, coalesce(c.grade, ''),"
	" CASE WHEN c.id IS NULL THEN ''"
	"  WHEN EXISTS (SELECT 1 FROM notice_item ni JOIN notice n ON n.tenant_id = ni.tenant_id AND n.id = ni.notice_id"
	"   WHERE ni.tenant_id = c.tenant_id AND ni.claim_id = c.id AND n.state = 'open') THEN 'open'"
	"  WHEN EXISTS (SELECT 1 FROM notice_item ni JOIN notice n ON n.tenant_id = ni.tenant_id AND n.id = ni.notice_id"
	"   WHERE ni.tenant_id = c.tenant_id AND ni.claim_id = c.id) THEN 'closed' ELSE 'none' END"
	" FROM problem p"
	" JOIN category cat ON cat.tenant_id = p.tenant_id AND cat.id = p.category_id"
	" LEFT JOIN claim c ON c.tenant_id = p.tenant_id AND c.id = " SQL_COUNTED_CLAIM_OF("p")
	" LEFT JOIN unit u ON u.tenant_id = c.tenant_id AND u.id = c.unit_id"
	" LEFT JOIN person l ON l.tenant_id = c.tenant_id AND l.id = c.lead_person_id"
	" LEFT JOIN person o ON o.tenant_id = c.tenant_id AND o.id = c.owner_person_id"
	" WHERE" ON_BOARD PAGE("p.id");

/* ---- the screeners' queue ---- */

static const struct col_def screening_cols[] = {
	I("编号"), T("难题"), T("批次"), T("类别"), L("状态", problem_states), T("提出人"), T("提出单位"),
	PHONE("联系人"), PHONE("联系电话"), L("优先级", priorities), DT("提出时间"),
};
static const char screening_sql[] =
	"SELECT p.id, p.id, p.title, b.name, cat.name, p.state, p.proposer_name, coalesce(u.name, ''),"
	" p.contact_name, p.contact_phone, CAST(p.priority AS TEXT), p.created_at"
	" FROM problem p"
	" JOIN batch b ON b.tenant_id = p.tenant_id AND b.id = p.batch_id"
	" JOIN category cat ON cat.tenant_id = p.tenant_id AND cat.id = p.category_id"
	" LEFT JOIN unit u ON u.tenant_id = p.tenant_id AND u.id = p.proposer_unit_id"
	" WHERE p.tenant_id = $1 AND p.state IN " STATE_SQL_SCREENING PAGE("p.id");

/* ---- claims, progress, supervision, scores ---- */

#define CLAIM_JOINS \
	" JOIN problem p ON p.tenant_id = c.tenant_id AND p.id = c.problem_id" \
	" JOIN unit u ON u.tenant_id = c.tenant_id AND u.id = c.unit_id" \
	" JOIN person l ON l.tenant_id = c.tenant_id AND l.id = c.lead_person_id" \
	" JOIN person o ON o.tenant_id = c.tenant_id AND o.id = c.owner_person_id"

static const struct col_def claims_cols[] = {
	I("揭榜编号"), I("难题编号"), T("难题"), T("揭榜单位"), T("挂帅领导"), T("主要负责人"),
	L("揭榜方式", claim_routes), L("状态", claim_states), DT("申请时间"), D("完成时限"), X("灯色", SRC_LIGHT),
};
static const char claims_sql[] =
	"SELECT c.id, c.id, p.id, p.title, u.name, l.name, o.name, c.route, c.state, c.applied_at, c.deadline, c.id"
	" FROM claim c" CLAIM_JOINS " WHERE c.tenant_id = $1" PAGE("c.id");

static const struct col_def progress_cols[] = {
	I("编号"), I("揭榜编号"), T("难题"), T("报送人"), DT("报送时间"), T("标题"), T("进展情况"),
	T("存在问题"), T("需协调事项"), T("下步打算"),
};
static const char progress_sql[] =
	"SELECT pr.id, pr.id, pr.claim_id, p.title, pe.name, pr.at, pr.title, pr.body, pr.difficulties,"
	" pr.help_needed, pr.next_steps"
	" FROM progress pr"
	" JOIN claim c ON c.tenant_id = pr.tenant_id AND c.id = pr.claim_id"
	" JOIN problem p ON p.tenant_id = c.tenant_id AND p.id = c.problem_id"
	" JOIN person pe ON pe.tenant_id = pr.tenant_id AND pe.id = pr.author_person_id"
	" WHERE pr.tenant_id = $1" PAGE("pr.id");

static const struct col_def supervisions_cols[] = {
	I("编号"), I("揭榜编号"), T("难题"), T("揭榜单位"), T("督办事由"), T("下发人"), DT("下发时间"),
	D("答复期限"), T("答复"), DT("答复时间"), DT("升级时间"),
};
static const char supervisions_sql[] =
	"SELECT s.id, s.id, s.claim_id, p.title, u.name, s.reason, s.issued_by, s.issued_at, s.reply_by, s.reply,"
	" s.replied_at, s.escalated_at"
	" FROM supervision s"
	" JOIN claim c ON c.tenant_id = s.tenant_id AND c.id = s.claim_id"
	" JOIN problem p ON p.tenant_id = c.tenant_id AND p.id = c.problem_id"
	" JOIN unit u ON u.tenant_id = c.tenant_id AND u.id = c.unit_id"
	" WHERE s.tenant_id = $1" PAGE("s.id");

static const struct col_def scores_cols[] = {
	I("揭榜编号"), I("难题编号"), T("难题"), T("揭榜单位"), T("主要负责人"), I("考评轮次"),
	PTS("考评得分"), L("等级", grades), DT("考评时间"),
};
static const char scores_sql[] =
	"SELECT c.id, c.id, p.id, p.title, u.name, o.name, c.eval_round, c.score, c.grade, c.evaluated_at"
	" FROM claim c" CLAIM_JOINS " WHERE c.tenant_id = $1 AND c.score IS NOT NULL" PAGE("c.id");

/* ---- results, people, units, the audit log ---- */

static const struct col_def promotions_cols[] = {
	I("编号"), T("姓名"), T("单位"), L("类别", promotion_kinds), T("原职务"), T("现职务"), T("文号"),
	D("日期"), T("关联难题"), T("记录人"),
};
static const char promotions_sql[] =
	"SELECT pm.id, pm.id, pe.name, u.name, pm.kind, pm.from_post, pm.to_post, pm.doc_no, pm.at,"
	" coalesce(pb.title, ''), pm.recorded_by"
	" FROM promotion pm"
	" JOIN person pe ON pe.tenant_id = pm.tenant_id AND pe.id = pm.person_id"
	" JOIN unit u ON u.tenant_id = pe.tenant_id AND u.id = pe.unit_id"
	" LEFT JOIN claim c ON c.tenant_id = pm.tenant_id AND c.id = pm.claim_id"
	" LEFT JOIN problem pb ON pb.tenant_id = c.tenant_id AND pb.id = c.problem_id"
	" WHERE pm.tenant_id = $1" PAGE("pm.id");

static const struct col_def practices_cols[] = {
	I("编号"), T("名称"), L("状态", practice_states), T("内容摘要"), T("文号"), T("发文单位"),
	D("发文日期"), DT("更新时间"),
};
static const char practices_sql[] =
	"SELECT id, id, title, state, summary, doc_no, issuer, adopted_on, updated_at"
	" FROM practice WHERE tenant_id = $1" PAGE("id");

static const struct col_def people_cols[] = {
	I("编号"), T("姓名"), T("单位"), L("职级", person_ranks), T("职务"),
};
static const char people_sql[] =
	"SELECT pe.id, pe.id, pe.name, u.name, pe.rank, pe.title"
	" FROM person pe JOIN unit u ON u.tenant_id = pe.tenant_id AND u.id = pe.unit_id"
	" WHERE pe.tenant_id = $1" PAGE("pe.id");

static const struct col_def units_cols[] = {
	I("编号"), T("名称"), L("类别", unit_kinds), T("上级单位"),
};
static const char units_sql[] =
	"SELECT u.id, u.id, u.name, u.kind, coalesce(pu.name, '')"
	" FROM unit u LEFT JOIN unit pu ON pu.tenant_id = u.tenant_id AND pu.id = u.parent_id"
	" WHERE u.tenant_id = $1" PAGE("u.id");

static const struct col_def audit_cols[] = {
	I("编号"), DT("时间"), T("操作人"), L("操作", audit_actions), L("对象", audit_objects), I("对象编号"),
	L("结果", audit_outcomes), T("来源地址"),
};
static const char audit_sql[] =
	"SELECT id, id, at, actor, action, object_type, object_id, outcome, client_addr"
	" FROM audit_event WHERE tenant_id = $1" PAGE("id");

#define LIST(name, title, perm, also, sql, cols) { name, title, perm, also, sql, cols, N(cols) }
static const struct export_list lists[] = {
	LIST("problems", "难题榜单", NULL, NULL, NULL, problems_cols),
	LIST("ledger", "台账", "export.read", NULL, ledger_sql, ledger_cols),
	LIST("screening", "遴选队列", "export.read", NULL, screening_sql, screening_cols),
	LIST("claims", "揭榜", "export.read", NULL, claims_sql, claims_cols),
	LIST("progress", "进展报送", "export.read", NULL, progress_sql, progress_cols),
	LIST("supervisions", "督办", "export.read", NULL, supervisions_sql, supervisions_cols),
	LIST("scores", "考评得分", "export.read", NULL, scores_sql, scores_cols),
	LIST("promotions", "提拔使用", "export.read", NULL, promotions_sql, promotions_cols),
	LIST("practices", "经验做法", "export.read", NULL, practices_sql, practices_cols),
	LIST("people", "人员", "export.read", NULL, people_sql, people_cols),
	LIST("units", "单位", "export.read", NULL, units_sql, units_cols),
	LIST("audit", "审计日志", "export.read", "audit.read", audit_sql, audit_cols),
};
_Static_assert(N(ledger_cols) == 19, "the ledger has the 19 columns offices use");

const struct export_list *export_find(const char *name)
{
	for (int i = 0; i < N(lists); i++)
		if (!strcmp(lists[i].name, name))
			return &lists[i];
	return NULL;
}

const struct export_list *export_at(int i)
{
	return i >= 0 && i < N(lists) ? &lists[i] : NULL;
}

const char *export_name(const struct export_list *l) { return l->name; }
const char *export_title(const struct export_list *l) { return l->title; }
bool export_is_board(const struct export_list *l) { return !l->sql; }
const char *export_perm(const struct export_list *l) { return l->perm; }
const char *export_perm_also(const struct export_list *l) { return l->perm_also; }

bool export_personal(const struct export_list *l, const struct principal *who)
{
	struct perm_target t = { .tenant_id = who->tenant_id };

	if (!strcmp(l->name, "people") || !strcmp(l->name, "promotions"))
		return true;
	for (int i = 0; i < l->ncols; i++)
		if (l->cols[i].admin_only && perm_check(who, "problem.screen", &t))
			return true;
	return false;
}

void export_open(struct export_cursor *c, const struct export_list *l, const struct principal *who,
		 int64_t tenant_id, int64_t now)
{
	struct perm_target t = { .tenant_id = tenant_id };

	memset(c, 0, sizeof(*c));
	c->l = l;
	c->tenant_id = tenant_id;
	c->now = now;
	c->f.now = now;
	/* a resident's name and phone go to the screeners only (admins: pii.h) */
	c->phone = perm_check(who, "problem.screen", &t);
	for (int i = 0; i < l->ncols && c->ncols < EXPORT_MAX_COLS; i++) {
		if (l->cols[i].admin_only && !c->phone)
			continue;
		c->src[c->ncols] = i;
		c->cols[c->ncols++] = &l->cols[i].col;
	}
}

/* ---- per-row values worked out in C ---- */

static const char coops_sql[] =
	"SELECT u.name FROM claim_cooperator cc JOIN unit u ON u.tenant_id = cc.tenant_id AND u.id = cc.unit_id"
	" WHERE cc.tenant_id = $1 AND cc.claim_id = $2 ORDER BY cc.unit_id";
static const char milestones_sql[] =
	"SELECT title, due_at, coalesce(done_at, 0) FROM milestone WHERE tenant_id = $1 AND claim_id = $2"
	" ORDER BY due_at, id";
static const char metrics_sql[] =
	"SELECT name, kind, uom, target, achieved FROM metric WHERE tenant_id = $1 AND claim_id = $2 ORDER BY +id";

static void put_day(buf *b, int64_t epoch)
{
	time_t t = (time_t)(epoch + 8 * 3600);
	struct tm tm;
	char s[16];

	gmtime_r(&t, &tm);
	strftime(s, sizeof(s), "%Y-%m-%d", &tm);
	buf_puts(b, s);
}

static void put_hundredths(buf *b, int64_t v)
{
	if (v < 0) {
		buf_putc(b, '-');
		v = -v;
	}
	buf_printf(b, "%lld.%02lld", (long long)(v / 100), (long long)(v % 100));
}

/* A metric figure by its kind: money in 元 with two decimals, a percent
 * (hundredths) with two decimals, a count as it is. */
static void put_figure(buf *b, const char *kind, const char *uom, int64_t v)
{
	if (!strcmp(kind, "money")) {
		put_hundredths(b, v);
		buf_puts(b, "元");
		return;
	}
	if (!strcmp(kind, "percent"))
		put_hundredths(b, v);
	else
		buf_int(b, v);
	buf_puts(b, uom);
}

/* The text of src for claim id, lines joined by "\n", on a; NULL on a
 * store error. */
static const char *claim_lines(db *d, arena *a, int64_t tenant_id, enum export_src src, int64_t id)
{
	const char *sql = src == SRC_COOPS ? coops_sql : src == SRC_MILESTONES ? milestones_sql : metrics_sql;
	db_stmt *st = db_query(d, sql, "ii", tenant_id, id);
	buf b = BUF_INIT;
	const char *out;
	int rc;

	if (!st)
		return NULL;
	while ((rc = db_step(st)) == DB_ROW) {
		if (b.len)
			buf_puts(&b, src == SRC_COOPS ? "、" : "\n");
		if (src == SRC_COOPS) {
			buf_puts(&b, db_col_text(st, 0));
		} else if (src == SRC_MILESTONES) {
			buf_puts(&b, db_col_text(st, 0));
			buf_putc(&b, ' ');
			put_day(&b, db_col_int(st, 1));
			if (db_col_int(st, 2))
				buf_puts(&b, "（已完成）");
		} else {
			const char *kind = db_col_text(st, 1), *uom = db_col_text(st, 2);
			buf_puts(&b, db_col_text(st, 0));
			buf_putc(&b, ' ');
			put_figure(&b, kind, uom, db_col_int(st, 3));
			buf_putc(&b, '/');
			put_figure(&b, kind, uom, db_col_int(st, 4));
		}
	}
	db_done(st);
	out = rc == DB_ERROR ? NULL : arena_strdup(a, b.s);
	buf_release(&b);
	return out;
}

/* ---- reading a chunk ---- */

static int board_chunk(db *d, arena *a, struct export_cursor *c, int max, export_row_fn row, void *cls)
{
	struct problem_page pg;
	struct export_cell cells[EXPORT_MAX_COLS];
	struct export_cell **rows = arena_alloc(a, (size_t)max * sizeof(*rows));

	if (db_begin(d, DB_READ) < 0)
		return -1;
	if (problem_list_after(d, a, c->tenant_id, &c->f, c->after, max, &pg) < 0)
		goto fail;
	for (int i = 0; i < pg.n; i++) {
		const struct problem_row *p = &pg.items[i];
		struct export_cell all[N(problems_cols)];
		int64_t key = p->id;
		memset(all, 0, sizeof(all));
		all[0].i = p->id;
		all[1].s = p->title;
		all[2].s = p->batch;
		all[3].s = p->category;
		all[4].s = label_of(problem_states, p->state);
		all[5].s = p->claim_unit;
		all[6].s = p->owner;
		all[7].s = p->light != LIGHT_NONE ? lights[p->light].zh : "";
		all[8].i = p->completion;
		all[8].empty = p->completion < 0;
		all[9].i = p->updated_at;
		all[10].s = "";
		if (c->phone) {
			/* problem_row does not carry it: one short read for admins */
			db_stmt *st = db_query(d, "SELECT contact_phone FROM problem WHERE tenant_id = $1 AND id = $2", "ii",
					       c->tenant_id, key);
			if (!st)
				goto fail;
			int rc = db_step(st);
			if (rc == DB_ROW)
				all[10].s = arena_strdup(a, db_col_text(st, 0));
			db_done(st);
			if (rc == DB_ERROR)
				goto fail;
		}
		for (int k = 0; k < c->ncols; k++) {
			cells[k] = all[c->src[k]];
			if (!cells[k].s)
				cells[k].s = "";
			if (c->cols[k]->type == EXPORT_TEXT)
				cells[k].empty = !*cells[k].s;
		}
		rows[i] = arena_alloc(a, sizeof(cells));
		memcpy(rows[i], cells, sizeof(cells));
		(void)key;
	}
	if (db_commit(d) < 0)
		return -1;
	for (int i = 0; i < pg.n; i++) {
		row(cls, rows[i], c->ncols);
		c->after = pg.items[i].id;
	}
	if (pg.n < max)
		c->done = true;
	return pg.n;
fail:
	db_rollback(d);
	return -1;
}

/* The cell of definition col from column at of st. */
static void read_cell(arena *a, const struct col_def *col, db_stmt *st, int at, struct export_cell *cell)
{
	memset(cell, 0, sizeof(*cell));
	cell->s = "";
	switch (col->src) {
	case SRC_COL:
		if (col->col.type == EXPORT_TEXT) {
			cell->s = arena_strdup(a, db_col_text(st, at));
			cell->empty = !*cell->s;
		} else {
			cell->empty = db_col_null(st, at);
			cell->i = cell->empty ? 0 : db_col_int(st, at);
			if ((col->col.type == EXPORT_DATE || col->col.type == EXPORT_DATETIME) && !cell->i)
				cell->empty = true;
		}
		return;
	case SRC_LABEL: {
		const char *code = db_col_text(st, at), *zh = label_of(col->labels, code);
		cell->s = arena_strdup(a, zh ? zh : code);
		cell->empty = !*cell->s;
		return;
	}
	default:
		break;
	}
	/* a claim id: the value is worked out once the statement is done */
	cell->i = db_col_int(st, at);
	cell->empty = !cell->i;
}

/* The per-claim values of a row, read once its statement is done (a
 * cached statement cannot be stepped while another query uses the
 * connection's same text, and PostgreSQL cannot run one inside another). */
static int claim_values(db *d, arena *a, const struct export_cursor *c, const struct col_def *col,
			struct export_cell *cell)
{
	if (col->src == SRC_COL || col->src == SRC_LABEL || cell->empty)
		return 0;
	if (col->src == SRC_LIGHT) {
		enum light l = LIGHT_NONE;
		if (claim_light_now(d, c->tenant_id, cell->i, c->now, &l) < 0)
			return -1;
		cell->s = l != LIGHT_NONE ? lights[l].zh : "";
	} else if (!(cell->s = claim_lines(d, a, c->tenant_id, col->src, cell->i))) {
		return -1;
	}
	cell->empty = !*cell->s;
	cell->i = 0;
	return 0;
}

static int list_chunk(db *d, arena *a, struct export_cursor *c, int max, export_row_fn row, void *cls)
{
	const struct export_list *l = c->l;
	struct export_cell *all = arena_alloc(a, (size_t)max * (size_t)l->ncols * sizeof(*all));
	int64_t *keys = arena_alloc(a, (size_t)max * sizeof(*keys));
	int n = 0, rc = DB_DONE;
	db_stmt *st;

	if (db_begin(d, DB_READ) < 0)
		return -1;
	st = db_query(d, l->sql, "iii", c->tenant_id, c->after, (int64_t)max);
	if (!st)
		goto fail;
	while (n < max && (rc = db_step(st)) == DB_ROW) {
		keys[n] = db_col_int(st, 0);
		for (int k = 0; k < l->ncols; k++)
			read_cell(a, &l->cols[k], st, k + 1, &all[n * l->ncols + k]);
		n++;
	}
	db_done(st);
	if (n < max && rc == DB_ERROR)
		goto fail;
	for (int i = 0; i < n; i++)
		for (int k = 0; k < l->ncols; k++)
			if (claim_values(d, a, c, &l->cols[k], &all[i * l->ncols + k]) < 0)
				goto fail;
	if (db_commit(d) < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		struct export_cell cells[EXPORT_MAX_COLS];
		for (int k = 0; k < c->ncols; k++)
			cells[k] = all[i * l->ncols + c->src[k]];
		row(cls, cells, c->ncols);
		c->after = keys[i];
	}
	if (n < max)
		c->done = true;
	return n;
fail:
	db_rollback(d);
	return -1;
}

int export_next(db *d, arena *a, struct export_cursor *c, int max, export_row_fn row, void *cls)
{
	if (c->done)
		return 0;
	return c->l->sql ? list_chunk(d, a, c, max, row, cls) : board_chunk(d, a, c, max, row, cls);
}

/* ---- the writers' helpers ---- */

bool export_formula_like(const char *s)
{
	return *s == '=' || *s == '+' || *s == '-' || *s == '@' || *s == '\t' || *s == '\r';
}

void export_cell_text(buf *b, enum export_type type, const struct export_cell *cell)
{
	if (cell->empty)
		return;
	switch (type) {
	case EXPORT_TEXT:
		buf_puts(b, cell->s);
		break;
	case EXPORT_INT:
		buf_int(b, cell->i);
		break;
	case EXPORT_DATE:
		put_day(b, cell->i);
		break;
	case EXPORT_DATETIME: {
		time_t t = (time_t)(cell->i + 8 * 3600);
		struct tm tm;
		char s[24];
		gmtime_r(&t, &tm);
		strftime(s, sizeof(s), "%Y-%m-%d %H:%M", &tm);
		buf_puts(b, s);
		break;
	}
	case EXPORT_POINTS:
	case EXPORT_MONEY:
		put_hundredths(b, cell->i);
		break;
	}
}

/* One CSV field: quoted when it must be; ' in front of formula-like text. */
static void csv_field(buf *b, const char *s, size_t n, bool neutralise)
{
	bool quote = neutralise || memchr(s, ',', n) || memchr(s, '"', n) || memchr(s, '\r', n) || memchr(s, '\n', n);

	if (!quote) {
		buf_add(b, s, n);
		return;
	}
	buf_putc(b, '"');
	if (neutralise)
		buf_putc(b, '\'');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			buf_putc(b, '"');
		buf_putc(b, s[i]);
	}
	buf_putc(b, '"');
}

void export_csv_row(buf *b, const struct export_cursor *c, const struct export_cell *cells)
{
	buf t = BUF_INIT;

	for (int k = 0; k < c->ncols; k++) {
		if (k)
			buf_putc(b, ',');
		buf_reset(&t);
		export_cell_text(&t, c->cols[k]->type, &cells[k]);
		csv_field(b, t.s, t.len, c->cols[k]->type == EXPORT_TEXT && export_formula_like(t.s));
	}
	buf_add(b, "\r\n", 2);
	buf_release(&t);
}

void export_csv_header(buf *b, const struct export_cursor *c, bool bom)
{
	if (bom)
		buf_add(b, "\xef\xbb\xbf", 3);
	for (int k = 0; k < c->ncols; k++) {
		if (k)
			buf_putc(b, ',');
		csv_field(b, c->cols[k]->header, strlen(c->cols[k]->header), false);
	}
	buf_add(b, "\r\n", 2);
}

/* Whether code point u is East Asian wide (the common ranges). */
static bool wide(uint32_t u)
{
	return (u >= 0x1100 && u <= 0x115f) || (u >= 0x2e80 && u <= 0xa4cf) || (u >= 0xac00 && u <= 0xd7a3) ||
	       (u >= 0xf900 && u <= 0xfaff) || (u >= 0xfe30 && u <= 0xfe4f) || (u >= 0xff00 && u <= 0xff60) ||
	       (u >= 0xffe0 && u <= 0xffe6) || (u >= 0x20000 && u <= 0x3fffd);
}

unsigned export_width(const char *s)
{
	unsigned best = 0, w = 0;
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		uint32_t u;
		int n;
		if (*p < 0x80) {
			u = *p;
			n = 1;
		} else if ((*p & 0xe0) == 0xc0) {
			u = *p & 0x1f;
			n = 2;
		} else if ((*p & 0xf0) == 0xe0) {
			u = *p & 0x0f;
			n = 3;
		} else {
			u = *p & 0x07;
			n = 4;
		}
		for (int i = 1; i < n; i++) {
			if ((p[i] & 0xc0) != 0x80) {
				n = i;
				break;
			}
			u = (u << 6) | (p[i] & 0x3f);
		}
		p += n;
		if (u == '\n') {
			w = 0;
			continue;
		}
		w += wide(u) ? 2 : 1;
		if (w > best)
			best = w;
	}
	return best;
}
