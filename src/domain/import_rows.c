/* import_rows.c - each kind's rows: what they refer to, read once from
 * the store into hash maps, the checks that need it, and the writes with
 * ids handed out in one go (import.h, import_int.h). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/batch.h"
#include "domain/import_int.h"
#include "domain/labels.h"
#include "domain/search.h"
#include "domain/state.h"
#include "util/xalloc.h"

/* ---- coded values ---- */

struct value_word {
	const char *code;
	const char *words[12];
};

static const struct value_word unit_kind_words[] = {
	{ "county_dept", { "县直单位", "县直", "县直部门", "县直机关", "县级部门", "县直单位部门", "县直机关单位", "county_dept" } },
	{ "town", { "镇街", "镇", "街道", "乡镇", "镇/街道", "乡", "镇街道", "街道办", "乡镇街道", "town" } },
	{ "village", { "村社", "村", "社区", "村(社区)", "村社区", "村/社区", "village" } },
	{ "enterprise", { "企业", "国有企业", "国企", "enterprise" } },
	{ "other", { "其他单位", "其他", "other" } },
	{ NULL, { NULL } },
};

static const struct value_word rank_words[] = {
	{ "county", { "县级干部", "县级", "县处级", "处级", "处级干部", "county" } },
	{ "section", { "科级干部", "科级", "正科", "副科", "正科级", "副科级", "正科级干部", "副科级干部", "section" } },
	{ "below_section", { "股级以下干部", "股级以下", "股级", "股级及以下", "股级干部", "一般干部", "below_section" } },
	{ "village", { "村社党组织书记", "村社书记", "村书记", "社区书记", "村(社区)党组织书记", "村党组织书记", "village" } },
	{ "none", { "其他人员", "其他", "无", "none" } },
	{ NULL, { NULL } },
};

static const char *coded(struct import_state *st, const struct value_word *t, const char *v)
{
	import_fold(&st->key, v);
	for (; t->code; t++)
		for (int i = 0; i < 12 && t->words[i]; i++)
			if (!strcmp(t->words[i], st->key.s))
				return t->code;
	return NULL;
}

/* ---- ids ---- */

/* The last id used of table: id_seq's, or the table's highest if that
 * is higher (rows written with their own ids). */
static int last_id(struct import_state *st, const char *table, const char *max_sql, int64_t *out)
{
	int64_t seq = 0, max = 0;
	db_stmt *q = db_query(st->c->d, "SELECT next_id FROM id_seq WHERE tenant_id = $1 AND name = $2", "is",
			      st->c->who->tenant_id, table);

	if (!q)
		return -1;
	if (db_step(q) == DB_ROW)
		seq = db_col_int(q, 0);
	db_done(q);
	if (db_scalar(st->c->d, max_sql, &max, 1, st->c->who->tenant_id) < 0)
		return -1;
	*out = seq > max ? seq : max;
	return 0;
}

static int save_last_id(struct import_state *st, const char *table)
{
	return db_run(st->c->d,
		      "INSERT INTO id_seq (tenant_id, name, next_id) VALUES ($1, $2, $3)"
		      " ON CONFLICT (tenant_id, name) DO UPDATE SET next_id = $3",
		      "isi", st->c->who->tenant_id, table, st->last_id) == DB_DONE ? 0 : -1;
}

/* ---- what rows refer to ---- */

static int load_units(struct import_state *st)
{
	db_stmt *q = db_query(st->c->d, "SELECT id, name, COALESCE(parent_id, 0) FROM unit WHERE tenant_id = $1", "i",
			      st->c->who->tenant_id);
	int rc;
	bool created;

	if (!q)
		return -1;
	st->units = strmap_new();
	while ((rc = db_step(q)) == DB_ROW) {
		const char *name = db_col_text(q, 1);
		struct strmap_val *v = strmap_put(st->units, name, strlen(name), &created);
		v->id = db_col_int(q, 0);
		v->aux = db_col_int(q, 2);
	}
	db_done(q);
	return rc == DB_ERROR ? -1 : 0;
}

static void person_key(struct import_state *st, const char *name, int64_t unit_id)
{
	buf_reset(&st->key);
	buf_puts(&st->key, name);
	buf_printf(&st->key, "\x1f%lld", (long long)unit_id);
}

/* A 64-bit digest of a person's rank and title (FNV-1a), never 0: a row
 * whose digest matches the stored one is unchanged and costs no UPDATE
 * (re-importing a whole roster is the common case). */
static int64_t rank_title_digest(const char *rank, const char *title)
{
	uint64_t h = 1469598103934665603ull;

	for (const char *p = rank; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	h = (h ^ 0x1f) * 1099511628211ull;
	for (const char *p = title; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	return (int64_t)(h | 1);
}

static int load_people(struct import_state *st)
{
	db_stmt *q = db_query(st->c->d, "SELECT id, name, unit_id, rank, title FROM person WHERE tenant_id = $1 ORDER BY id",
			      "i", st->c->who->tenant_id);
	int rc;
	bool created;

	if (!q)
		return -1;
	st->people = strmap_new();
	while ((rc = db_step(q)) == DB_ROW) {
		person_key(st, db_col_text(q, 1), db_col_int(q, 2));
		struct strmap_val *v = strmap_put(st->people, st->key.s, st->key.len, &created);
		if (created) {
			v->id = db_col_int(q, 0);
			v->aux = rank_title_digest(db_col_text(q, 3), db_col_text(q, 4));
		}
	}
	db_done(q);
	return rc == DB_ERROR ? -1 : 0;
}

static int load_categories(struct import_state *st)
{
	db_stmt *q = db_query(st->c->d, "SELECT id, name FROM category WHERE tenant_id = $1 ORDER BY position, id", "i",
			      st->c->who->tenant_id);
	int rc;
	bool created;

	if (!q)
		return -1;
	st->cats = strmap_new();
	st->cat_names = (buf)BUF_INIT;
	while ((rc = db_step(q)) == DB_ROW) {
		const char *name = db_col_text(q, 1);
		strmap_put(st->cats, name, strlen(name), &created)->id = db_col_int(q, 0);
		buf_printf(&st->cat_names, "%s%s", st->cat_names.len ? "、" : "", name);
	}
	db_done(q);
	return rc == DB_ERROR ? -1 : 0;
}

static int load_titles(struct import_state *st)
{
	db_stmt *q = db_query(st->c->d, "SELECT id, title FROM problem WHERE tenant_id = $1 AND batch_id = $2", "ii",
			      st->c->who->tenant_id, st->batch_id);
	int rc;
	bool created;

	if (!q)
		return -1;
	st->titles = strmap_new();
	while ((rc = db_step(q)) == DB_ROW) {
		const char *t = db_col_text(q, 1);
		strmap_put(st->titles, t, strlen(t), &created)->id = db_col_int(q, 0);
	}
	db_done(q);
	return rc == DB_ERROR ? -1 : 0;
}

/* The batch problems go into: the one named (in 征集 or 遴选), else the
 * one collecting now. */
static int import_batch(struct import_state *st)
{
	struct ctx *c = st->c;
	struct batch b, *bs;
	int n, open = 0, rc;

	if (st->in->batch_id) {
		if ((rc = batch_get(c->d, c->a, c->who->tenant_id, st->in->batch_id, &b)) != 0)
			return rc < 0 ? -1 : ctx_invalid(c, "batch_id", "unknown_batch", "没有这个批次");
		if (batch_phase_now(&b, c->now) > PHASE_SCREENING)
			return ctx_invalid(c, "batch_id", "wrong_phase",
					   batch_phase_refusal(c->a, &b, PHASE_COLLECTING, c->now, "导入难题"));
	} else {
		if (batch_list(c->d, c->a, c->who->tenant_id, &bs, &n) < 0)
			return -1;
		for (int i = 0; i < n; i++)
			if (batch_phase_now(&bs[i], c->now) == PHASE_COLLECTING)
				b = bs[open++];
		if (open == 0)
			return ctx_invalid(c, "batch_id", "not_collecting", "目前没有正在征集难题的批次，请选择批次");
		if (open > 1)
			return ctx_invalid(c, "batch_id", "missing_field", "有多个批次正在征集，请选择批次");
	}
	st->batch_id = b.id;
	st->out->batch_id = b.id;
	st->out->batch = b.name;
	return JB_OK;
}

int import_prepare(struct import_state *st)
{
	int rc;

	st->key = (buf)BUF_INIT;
	st->pending = (buf)BUF_INIT;
	if (load_units(st) < 0)
		return -1;
	switch (st->in->kind) {
	case IMPORT_UNITS:
		st->seen = strmap_new();
		return last_id(st, "unit", "SELECT COALESCE(MAX(id), 0) FROM unit WHERE tenant_id = $1", &st->last_id) < 0
			       ? -1 : JB_OK;
	case IMPORT_PEOPLE:
		if (load_people(st) < 0)
			return -1;
		return last_id(st, "person", "SELECT COALESCE(MAX(id), 0) FROM person WHERE tenant_id = $1", &st->last_id) < 0
			       ? -1 : JB_OK;
	case IMPORT_PROBLEMS:
		if ((rc = import_batch(st)) != JB_OK)
			return rc;
		if (load_categories(st) < 0 || load_titles(st) < 0)
			return -1;
		return last_id(st, "problem", "SELECT COALESCE(MAX(id), 0) FROM problem WHERE tenant_id = $1", &st->last_id) < 0
			       ? -1 : JB_OK;
	default:
		return -1;
	}
}

void import_release(struct import_state *st)
{
	strmap_free(st->units);
	strmap_free(st->people);
	strmap_free(st->cats);
	strmap_free(st->titles);
	strmap_free(st->seen);
	buf_release(&st->key);
	buf_release(&st->cat_names);
	buf_release(&st->pending);
	free(st->urows);
	free(st->pp);
}

/* ---- units: gathered, then resolved and written at the end ---- */

struct import_unit_row {
	int64_t line, id, parent_id;
	const char *name, *parent, *kind;
	bool is_new, bad;
};

static int unit_row(struct import_state *st, int64_t line)
{
	const char *name = st->val[0].s, *parent = st->val[1].s, *kind = coded(st, unit_kind_words, st->val[2].s);
	struct strmap_val *seen;
	struct import_unit_row *u;
	bool created;

	if (!kind) {
		import_reject(st, line, "单位类型", "只能是 县直单位、镇街、村社、企业 或 其他单位", st->val[2].s, st->val[2].len);
		return 0;
	}
	seen = strmap_put(st->seen, name, st->val[0].len, &created);
	if (!created) {
		import_reject(st, line, "单位名称", arena_printf(st->c->a, "与第 %lld 行重复", (long long)seen->line), name,
			      st->val[0].len);
		return 0;
	}
	seen->line = line;
	if (st->nurows == st->curows) {
		st->curows = st->curows ? st->curows * 2 : 64;
		st->urows = xrealloc(st->urows, (size_t)st->curows * sizeof(*st->urows));
	}
	u = &st->urows[st->nurows++];
	*u = (struct import_unit_row){ .line = line, .name = arena_strdup(st->c->a, name),
				       .parent = st->val[1].len ? arena_strdup(st->c->a, parent) : NULL, .kind = kind };
	return 0;
}

/* Refuse every file row on a cycle of parents (ids through par[]). */
static void reject_cycles(struct import_state *st, int64_t *par, int64_t maxid)
{
	unsigned char *mark = xcalloc((size_t)maxid + 1, 1);  /* 0 new, 1 on the path, 2 done */
	int64_t *path = xmalloc(((size_t)maxid + 1) * sizeof(*path));
	int64_t *row_of = xcalloc((size_t)maxid + 1, sizeof(*row_of)); /* index + 1 of its file row */

	for (int i = 0; i < st->nurows; i++)
		if (st->urows[i].id <= maxid)
			row_of[st->urows[i].id] = i + 1;
	for (int i = 0; i < st->nurows; i++) {
		int64_t id = st->urows[i].id, n = 0;
		while (id > 0 && id <= maxid && mark[id] == 0) {
			mark[id] = 1;
			path[n++] = id;
			id = par[id];
		}
		if (id > 0 && id <= maxid && mark[id] == 1) {
			/* path from id's position on is the cycle */
			int64_t from = 0;
			buf names = BUF_INIT;
			while (path[from] != id)
				from++;
			for (int64_t k = from; k < n; k++)
				buf_printf(&names, "%s → ", row_of[path[k]] ? st->urows[row_of[path[k]] - 1].name : "（已有单位）");
			buf_puts(&names, row_of[id] ? st->urows[row_of[id] - 1].name : "");
			for (int64_t k = from; k < n; k++)
				if (row_of[path[k]]) {
					struct import_unit_row *u = &st->urows[row_of[path[k]] - 1];
					import_reject(st, u->line, "上级单位",
						      arena_printf(st->c->a, "上级单位形成循环：%s", names.s), u->parent,
						      u->parent ? strlen(u->parent) : 0);
					u->bad = true;
				}
			buf_release(&names);
		}
		for (int64_t k = 0; k < n; k++)
			mark[path[k]] = 2;
	}
	free(mark);
	free(path);
	free(row_of);
}

static int resolve_units(struct import_state *st)
{
	int64_t maxid, *par;
	bool created;

	/* ids first, so that a parent may come later in the file */
	for (int i = 0; i < st->nurows; i++) {
		struct import_unit_row *u = &st->urows[i];
		struct strmap_val *v = strmap_put(st->units, u->name, strlen(u->name), &created);
		if (created) {
			v->id = ++st->last_id;
			u->is_new = true;
		}
		u->id = v->id;
	}
	for (int i = 0; i < st->nurows; i++) {
		struct import_unit_row *u = &st->urows[i];
		struct strmap_val *p;
		if (!u->parent)
			continue;
		if (!strcmp(u->parent, u->name)) {
			import_reject(st, u->line, "上级单位", "上级单位不能是本单位", u->parent, strlen(u->parent));
			u->bad = true;
		} else if (!(p = strmap_get(st->units, u->parent, strlen(u->parent)))) {
			import_reject(st, u->line, "上级单位", "没有这个单位（文件和系统中都没有）", u->parent, strlen(u->parent));
			u->bad = true;
		} else {
			u->parent_id = p->id;
		}
	}
	/* the parents after the import: the store's, replaced by the file's */
	maxid = st->last_id;
	par = xcalloc((size_t)maxid + 1, sizeof(*par));
	{
		db_stmt *q = db_query(st->c->d, "SELECT id, COALESCE(parent_id, 0) FROM unit WHERE tenant_id = $1", "i",
				      st->c->who->tenant_id);
		int rc;
		if (!q) {
			free(par);
			return -1;
		}
		while ((rc = db_step(q)) == DB_ROW) {
			int64_t id = db_col_int(q, 0);
			if (id >= 0 && id <= maxid)
				par[id] = db_col_int(q, 1);
		}
		db_done(q);
		if (rc == DB_ERROR) {
			free(par);
			return -1;
		}
	}
	for (int i = 0; i < st->nurows; i++)
		par[st->urows[i].id] = st->urows[i].parent_id;
	reject_cycles(st, par, maxid);
	free(par);
	return 0;
}

static int write_units(struct import_state *st)
{
	struct ctx *c = st->c;
	int64_t t = c->who->tenant_id;

	for (int i = 0; i < st->nurows; i++) {
		struct import_unit_row *u = &st->urows[i];
		if (u->is_new && db_run(c->d, "INSERT INTO unit (tenant_id, id, name, kind, parent_id) VALUES ($1, $2, $3, $4, NULL)",
					"iiss", t, u->id, u->name, u->kind) != DB_DONE)
			return -1;
	}
	for (int i = 0; i < st->nurows; i++) {
		struct import_unit_row *u = &st->urows[i];
		const char *detail = arena_printf(c->a, "%s%s%s", label_of(unit_kinds, u->kind), u->parent ? " · 上级：" : "",
						  u->parent ? u->parent : "");
		if (u->is_new) {
			if (u->parent_id && db_run(c->d, "UPDATE unit SET parent_id = $3 WHERE tenant_id = $1 AND id = $2", "iii", t,
						   u->id, u->parent_id) != DB_DONE)
				return -1;
			st->out->created++;
			import_sample(st, u->line, u->name, detail, false);
			continue;
		}
		int rc = db_run(c->d,
				"UPDATE unit SET kind = $3, parent_id = $4 WHERE tenant_id = $1 AND id = $2"
				" AND (kind <> $3 OR COALESCE(parent_id, 0) <> $5) RETURNING id",
				"iisdi", t, u->id, u->kind, u->parent_id, u->parent_id);
		if (rc == DB_ERROR)
			return -1;
		if (rc == DB_ROW) {
			st->out->updated++;
			import_sample(st, u->line, u->name, detail, true);
		} else {
			st->out->unchanged++;
		}
	}
	return save_last_id(st, "unit");
}

/* ---- people: checked and written as they are read ---- */

/* New people are inserted PEOPLE_BATCH rows to a statement: one statement
 * a row costs SQLite its cursors and its FK lookups' set-up every time,
 * and PostgreSQL a round trip. The text is built once, and keeps its
 * address (the statement cache's key). */
#define PEOPLE_BATCH 128
#define PEOPLE_COLS 6
static char people_sql[64 + PEOPLE_BATCH * PEOPLE_COLS * 8];
static pthread_once_t people_sql_once = PTHREAD_ONCE_INIT;

static void build_people_sql(void)
{
	size_t o = (size_t)snprintf(people_sql, sizeof(people_sql),
				    "INSERT INTO person (tenant_id, id, name, unit_id, rank, title) VALUES ");
	for (int r = 0; r < PEOPLE_BATCH; r++) {
		int b = r * PEOPLE_COLS;
		o += (size_t)snprintf(people_sql + o, sizeof(people_sql) - o, "%s($%d, $%d, $%d, $%d, $%d, $%d)", r ? ", " : "",
				      b + 1, b + 2, b + 3, b + 4, b + 5, b + 6);
	}
}

struct person_pending {
	int64_t id, unit_id;
	size_t name, rank, title;   /* offsets into st->pending */
};

static int flush_people(struct import_state *st)
{
	struct ctx *c = st->c;
	struct person_pending *pp = st->pp;
	const char *base = st->pending.s;
	int i = 0;

	if (st->npp == PEOPLE_BATCH) {
		db_stmt *q;
		pthread_once(&people_sql_once, build_people_sql);
		if (!(q = db_prepare(c->d, people_sql)))
			return -1;
		for (int r = 0; r < PEOPLE_BATCH; r++) {
			int b = r * PEOPLE_COLS;
			db_bind_int(q, b + 1, c->who->tenant_id);
			db_bind_int(q, b + 2, pp[r].id);
			db_bind_text(q, b + 3, base + pp[r].name);
			db_bind_int(q, b + 4, pp[r].unit_id);
			db_bind_text(q, b + 5, base + pp[r].rank);
			db_bind_text(q, b + 6, base + pp[r].title);
		}
		int rc = db_step(q);
		db_done(q);
		if (rc != DB_DONE)
			return -1;
		i = PEOPLE_BATCH;
	}
	for (; i < st->npp; i++)
		if (db_run(c->d, "INSERT INTO person (tenant_id, id, name, unit_id, rank, title) VALUES ($1, $2, $3, $4, $5, $6)",
			   "iisiss", c->who->tenant_id, pp[i].id, base + pp[i].name, pp[i].unit_id, base + pp[i].rank,
			   base + pp[i].title) != DB_DONE)
			return -1;
	st->npp = 0;
	buf_reset(&st->pending);
	return 0;
}

static size_t pending_str(struct import_state *st, const char *s)
{
	size_t o = st->pending.len;

	buf_puts(&st->pending, s);
	buf_putc(&st->pending, 0);
	return o;
}

static int person_row(struct import_state *st, int64_t line)
{
	struct ctx *c = st->c;
	const char *name = st->val[0].s, *unit = st->val[1].s, *title = st->val[3].s;
	const char *rank = coded(st, rank_words, st->val[2].s);
	struct strmap_val *u = strmap_get(st->units, unit, st->val[1].len), *p;
	bool created, ok = true;
	int rc;

	if (!u) {
		import_reject(st, line, "所在单位", "没有这个单位（请先导入单位）", unit, st->val[1].len);
		ok = false;
	}
	if (!rank) {
		import_reject(st, line, "职级",
			      "只能是 县级干部、科级干部、股级以下干部、村社党组织书记 或 其他人员（也可写 科级、股级 等）",
			      st->val[2].s, st->val[2].len);
		ok = false;
	}
	if (!ok)
		return 0;
	person_key(st, name, u->id);
	p = strmap_put(st->people, st->key.s, st->key.len, &created);
	if (p->line) {
		import_reject(st, line, "姓名",
			      arena_printf(c->a, "与第 %lld 行重复（同一单位的同名人员）", (long long)p->line), name,
			      st->val[0].len);
		return 0;
	}
	p->line = line;
	if (!st->writing)
		return 0;
	if (p->id && p->aux == rank_title_digest(rank, title)) {
		st->out->unchanged++;
		return 0;
	}
	if (p->id) {
		rc = db_run(c->d,
			    "UPDATE person SET rank = $3, title = $4 WHERE tenant_id = $1 AND id = $2"
			    " AND (rank <> $3 OR title <> $4) RETURNING id",
			    "iiss", c->who->tenant_id, p->id, rank, title);
		if (rc == DB_ERROR)
			return -1;
		if (rc == DB_DONE) {
			st->out->unchanged++;
			return 0;
		}
		st->out->updated++;
	} else {
		p->id = ++st->last_id;
		if (!st->pp)
			st->pp = xmalloc(PEOPLE_BATCH * sizeof(*st->pp));
		st->pp[st->npp++] = (struct person_pending){ p->id, u->id, pending_str(st, name), pending_str(st, rank),
							     pending_str(st, title) };
		if (st->npp == PEOPLE_BATCH && flush_people(st) < 0)
			return -1;
		st->out->created++;
	}
	if (st->out->nsamples < IMPORT_SAMPLES_MAX)
		import_sample(st, line, name,
			      arena_printf(c->a, "%s · %s%s%s", unit, label_of(person_ranks, rank), *title ? " · " : "", title),
			      !created);
	return 0;
}

/* ---- problems: proposals of the batch, written as they are read ---- */

static int problem_row(struct import_state *st, int64_t line)
{
	struct ctx *c = st->c;
	const char *title = st->val[0].s, *cat = st->val[1].s, *unit = st->val[2].s;
	struct strmap_val *k = strmap_get(st->cats, cat, st->val[1].len);
	struct strmap_val *u = strmap_get(st->units, unit, st->val[2].len), *p;
	bool created, ok = true;
	int64_t id;

	if (!k) {
		import_reject(st, line, "类别", arena_printf(c->a, "没有这个难题类别（可用：%s）", st->cat_names.s), cat,
			      st->val[1].len);
		ok = false;
	}
	if (!u) {
		import_reject(st, line, "出卷单位", "没有这个单位（请先导入单位）", unit, st->val[2].len);
		ok = false;
	}
	if (!ok)
		return 0;
	p = strmap_put(st->titles, title, st->val[0].len, &created);
	if (!created) {
		import_reject(st, line, "难题名称",
			      p->line ? arena_printf(c->a, "与第 %lld 行重复", (long long)p->line)
				      : arena_printf(c->a, "批次「%s」中已有同名难题", st->out->batch),
			      title, st->val[0].len);
		return 0;
	}
	p->line = line;
	if (!st->writing)
		return 0;
	id = ++st->last_id;
	p->id = id;
	if (db_run(c->d,
		   "INSERT INTO problem (tenant_id, id, batch_id, category_id, title, description, proposer_name,"
		   " proposer_unit_id, state, is_public, created_at, updated_at, proposer_user_id, contact_name,"
		   " contact_phone, expected_outcome, residents_concern)"
		   " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0, $10, $10, NULL, '', '', $11, 0)",
		   "iiiisssisis", c->who->tenant_id, id, st->batch_id, k->id, title, st->val[3].s, unit, u->id,
		   problem_state_info[PROBLEM_PROPOSED].code, c->now, st->val[4].s) != DB_DONE)
		return -1;
	if (search_reindex_problem(c->d, c->who->tenant_id, id) != 0)
		return -1;
	st->out->created++;
	import_sample(st, line, title, arena_printf(c->a, "%s · %s", cat, unit), false);
	return 0;
}

int import_row(struct import_state *st, int64_t line)
{
	switch (st->in->kind) {
	case IMPORT_UNITS: return unit_row(st, line);
	case IMPORT_PEOPLE: return person_row(st, line);
	case IMPORT_PROBLEMS: return problem_row(st, line);
	default: return -1;
	}
}

int import_finish(struct import_state *st)
{
	switch (st->in->kind) {
	case IMPORT_UNITS:
		if (resolve_units(st) < 0)
			return -1;
		return st->out->rejected ? 0 : write_units(st);
	case IMPORT_PEOPLE:
		if (st->out->rejected)
			return 0;
		return flush_people(st) < 0 ? -1 : save_last_id(st, "person");
	case IMPORT_PROBLEMS:
		return st->out->rejected ? 0 : save_last_id(st, "problem");
	default:
		return -1;
	}
}
