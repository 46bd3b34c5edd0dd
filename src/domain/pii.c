/* pii.c - residents' personal data: finding a person's records, exporting
 * and erasing them, and the retention task (pii.h). */
#include "domain/pii.h"

#include <string.h>

#include "domain/complaint.h"
#include "domain/labels.h"
#include "domain/perm.h"
#include "domain/state.h"
#include "util/log.h"

const char *const pii_kind_codes[PII_KINDS] = { "problem", "complaint", "objection" };


/* A contact as compared: without spaces, dashes and "+", lowercased. The
 * SQL spelling and the C one must agree. */
#define NORM(col) "lower(replace(replace(replace(" col ", ' ', ''), '-', ''), '+', ''))"

static char *norm(arena *a, const char *s)
{
	char *out = arena_strdup(a, s), *w = out;

	for (; *s; s++) {
		if (*s == ' ' || *s == '-' || *s == '+')
			continue;
		*w++ = *s >= 'A' && *s <= 'Z' ? (char)(*s - 'A' + 'a') : *s;
	}
	*w = '\0';
	return out;
}

int pii_retention_days(db *d, int64_t tenant_id, int64_t *days)
{
	int rc = db_scalar(d, "SELECT pii_retention_days FROM tenant WHERE id = $1", days, 1, tenant_id);

	if (rc != 0)
		*days = PII_RETENTION_DEFAULT;
	return rc < 0 ? -1 : 0;
}

/* ---- finding ---- */

static const char problem_sql[] =
	"SELECT p.id, p.title, p.description, p.expected_outcome, p.state, p.created_at,"
	" CASE WHEN p.state IN " STATE_SQL_CLOSED " THEN p.updated_at ELSE 0 END, p.contact_name, p.contact_phone"
	" FROM problem p WHERE p.tenant_id = $1 AND p.proposer_user_id IS NULL AND p.contact_erased_at IS NULL"
	" AND ((p.contact_name <> '' AND p.contact_name = $2) OR (p.contact_phone <> '' AND " NORM("p.contact_phone")
	" = $3)) ORDER BY p.id LIMIT 201";
static const char complaint_sql[] =
	"SELECT x.id, x.ref, x.kind, x.subject, x.body, x.answer, x.created_at, coalesce(x.answered_at, 0), x.name,"
	" x.contact FROM complaint x WHERE x.tenant_id = $1 AND x.contact_erased_at IS NULL"
	" AND ((x.name <> '' AND x.name = $2) OR (x.contact <> '' AND " NORM("x.contact") " = $3))"
	" ORDER BY x.id LIMIT 201";
static const char objection_sql[] =
	"SELECT o.id, o.notice_id, n.title, o.body, o.answer, o.answer_kind, o.created_at,"
	" CASE WHEN n.state = 'closed' THEN coalesce(n.closed_at, 0) ELSE 0 END, o.name, o.contact, o.client_addr"
	" FROM objection o JOIN notice n ON n.tenant_id = o.tenant_id AND n.id = o.notice_id"
	" WHERE o.tenant_id = $1 AND o.contact_erased_at IS NULL"
	" AND ((o.name <> '' AND o.name = $2) OR (o.contact <> '' AND " NORM("o.contact") " = $3))"
	" ORDER BY o.id LIMIT 201";

static const char *text(arena *a, db_stmt *st, int i)
{
	return arena_strdup(a, db_col_text(st, i));
}

static int find_kind(db *d, arena *a, int64_t tenant_id, enum pii_kind kind, const char *q, const char *qn,
		     struct pii_found *out, int *cap)
{
	static const char *const sql[PII_KINDS] = { problem_sql, complaint_sql, objection_sql };
	db_stmt *st = db_query(d, sql[kind], "iss", tenant_id, q, qn);
	int rc, got = 0;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		if (++got > PII_FIND_MAX) { /* the queries read one more, to know */
			out->truncated = true;
			continue;
		}
		struct pii_record *x = ARENA_PUSH(a, out->items, out->n, *cap);
		memset(x, 0, sizeof(*x));
		x->kind = kind;
		x->id = db_col_int(st, 0);
		x->ref = "";
		x->addr = "";
		if (kind == PII_PROBLEM) {
			x->title = text(a, st, 1);
			x->body = text(a, st, 2);
			x->extra = text(a, st, 3);
			x->status = label_of(problem_states, db_col_text(st, 4));
			x->created_at = db_col_int(st, 5);
			x->closed_at = db_col_int(st, 6);
			x->name = text(a, st, 7);
			x->contact = text(a, st, 8);
		} else if (kind == PII_COMPLAINT) {
			x->ref = text(a, st, 1);
			x->title = arena_printf(a, "%s：%s", label_of(complaint_kinds, db_col_text(st, 2)),
						db_col_text(st, 3));
			x->body = text(a, st, 4);
			x->extra = text(a, st, 5);
			x->created_at = db_col_int(st, 6);
			x->closed_at = db_col_int(st, 7);
			x->status = x->closed_at ? "已答复" : "待答复";
			x->name = text(a, st, 8);
			x->contact = text(a, st, 9);
		} else {
			x->notice_id = db_col_int(st, 1);
			x->title = text(a, st, 2);
			x->body = text(a, st, 3);
			x->extra = text(a, st, 4);
			x->status = !strcmp(db_col_text(st, 5), "upheld") ? "异议成立"
				    : !strcmp(db_col_text(st, 5), "dismissed") ? "异议不成立" : "待答复";
			x->created_at = db_col_int(st, 6);
			x->closed_at = db_col_int(st, 7);
			x->name = text(a, st, 8);
			x->contact = text(a, st, 9);
			x->addr = text(a, st, 10);
			if (!x->closed_at)
				x->held = "公示尚未结束：异议须核实答复，异议人的姓名和联系方式保留到公示结束";
		}
	}
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

int pii_find(db *d, arena *a, int64_t tenant_id, const char *q, struct pii_found *out)
{
	const char *qn = norm(a, q);
	int cap = 0;

	memset(out, 0, sizeof(*out));
	for (int k = 0; k < PII_KINDS; k++)
		if (find_kind(d, a, tenant_id, (enum pii_kind)k, q, *qn ? qn : "\x01", out, &cap) < 0)
			return -1;
	return 0;
}

/* ---- the verbs ---- */

struct pii_args {
	const char *q;
	json_t *doc;
	int erased, held;
};

/* The permission, the query, the records: JB_OK with *f filled. */
static int find_checked(struct ctx *c, const char *q, struct pii_found *f)
{
	struct perm_target t = { c->who->tenant_id, 0, 0, false };
	size_t len = q ? strlen(q) : 0;

	if (!perm_check(c->who, "pii.manage", &t))
		return ctx_deny(c, "pii.manage", "tenant", c->who->tenant_id);
	if (!len)
		return ctx_invalid(c, "q", "required", "请填写要查找的姓名、称呼或联系方式");
	if (len > PII_QUERY_MAX)
		return ctx_invalid(c, "q", "too_long", "查找内容不能超过 60 个字");
	if (pii_find(c->d, c->a, c->who->tenant_id, q, f) < 0)
		return -1;
	if (!f->n)
		return ctx_fail(c, JB_ENOTFOUND, "q", "not_found", "没有找到含有这一姓名或联系方式的记录");
	return JB_OK;
}

/* The ids of f by kind, for the audit entry ({problem: [..], ...}). */
static json_t *ids_of(const struct pii_found *f, bool only_free)
{
	json_t *o = json_object();

	for (int k = 0; k < PII_KINDS; k++) {
		json_t *ids = json_array();
		for (int i = 0; i < f->n; i++)
			if ((int)f->items[i].kind == k && (!only_free || !f->items[i].held))
				json_array_append_new(ids, json_integer((json_int_t)f->items[i].id));
		if (json_array_size(ids))
			json_object_set_new(o, pii_kind_codes[k], ids);
		else
			json_decref(ids);
	}
	return o;
}

static json_t *record_json(const struct pii_record *x)
{
	json_t *o = json_pack("{s:s, s:I, s:s, s:s, s:s, s:I, s:s, s:s}", "kind", pii_kind_codes[x->kind], "id",
			      (json_int_t)x->id, "title", x->title, "text", x->body, "status", x->status, "created_at",
			      (json_int_t)x->created_at, "name", x->name, "contact", x->contact);

	if (x->closed_at)
		json_object_set_new(o, "closed_at", json_integer((json_int_t)x->closed_at));
	if (x->kind == PII_PROBLEM)
		json_object_set_new(o, "expected_outcome", json_string(x->extra));
	else
		json_object_set_new(o, "answer", json_string(x->extra));
	if (x->kind == PII_COMPLAINT)
		json_object_set_new(o, "ref", json_string(x->ref));
	if (x->kind == PII_OBJECTION) {
		json_object_set_new(o, "notice_id", json_integer((json_int_t)x->notice_id));
		json_object_set_new(o, "client_addr", json_string(x->addr));
	}
	return o;
}

static int export_verb(struct ctx *c, void *args)
{
	struct pii_args *p = args;
	struct pii_found f;
	int64_t days;
	int rc;

	if ((rc = find_checked(c, p->q, &f)) != JB_OK)
		return rc;
	if (pii_retention_days(c->d, c->who->tenant_id, &days) < 0)
		return -1;
	json_t *items = json_array();
	for (int i = 0; i < f.n; i++)
		json_array_append_new(items, record_json(&f.items[i]));
	p->doc = json_pack("{s:s, s:I, s:I, s:b, s:s, s:o}", "document", "个人信息副本", "exported_at",
			   (json_int_t)c->now, "retention_days", (json_int_t)days, "complete", !f.truncated, "note",
			   "本文件列出本平台保存的、含有所查姓名或联系方式的全部记录。联系方式只有本单位管理员可以查看，"
			   "事项办结后按保存期限自动匿名化。",
			   "records", items);
	if (!p->doc)
		return -1;
	json_t *after = ids_of(&f, false);
	json_object_set_new(after, "count", json_integer(f.n));
	return ctx_audit(c, "pii.export", "tenant", c->who->tenant_id, NULL, after);
}

int pii_export(struct ctx *c, const char *q, json_t **out)
{
	struct pii_args p = { .q = q };
	int rc = action_run(c, export_verb, &p);

	if (rc != JB_OK) {
		json_decref(p.doc);
		p.doc = NULL;
	}
	*out = p.doc;
	return rc;
}

/* Blank one record's details (inside the caller's transaction): 1 when it
 * held some, 0 when it was already anonymised, -1 on a store error. */
static int blank(db *d, int64_t tenant_id, enum pii_kind kind, int64_t id, int64_t now)
{
	static const char *const sql[PII_KINDS] = {
		"UPDATE problem SET contact_name = '', contact_phone = '', contact_erased_at = $3"
		" WHERE tenant_id = $1 AND id = $2 AND contact_erased_at IS NULL RETURNING id",
		"UPDATE complaint SET name = '', contact = '', contact_erased_at = $3"
		" WHERE tenant_id = $1 AND id = $2 AND contact_erased_at IS NULL RETURNING id",
		"UPDATE objection SET name = '', contact = '', client_addr = '', contact_erased_at = $3"
		" WHERE tenant_id = $1 AND id = $2 AND contact_erased_at IS NULL RETURNING id",
	};
	int rc = db_run(d, sql[kind], "iii", tenant_id, id, now);

	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

static int erase_verb(struct ctx *c, void *args)
{
	struct pii_args *p = args;
	struct pii_found f;
	int rc;

	if ((rc = find_checked(c, p->q, &f)) != JB_OK)
		return rc;
	for (int i = 0; i < f.n; i++) {
		if (f.items[i].held) {
			p->held++;
			continue;
		}
		if ((rc = blank(c->d, c->who->tenant_id, f.items[i].kind, f.items[i].id, c->now)) < 0)
			return -1;
		p->erased += rc;
	}
	if (!p->erased)
		return JB_OK; /* all held: nothing changed, nothing to record */
	json_t *after = ids_of(&f, true);
	json_object_set_new(after, "count", json_integer(p->erased));
	if (p->held)
		json_object_set_new(after, "held", json_integer(p->held));
	return ctx_audit(c, "pii.erase", "tenant", c->who->tenant_id, NULL, after);
}

int pii_erase(struct ctx *c, const char *q, int *erased, int *held)
{
	struct pii_args p = { .q = q };
	int rc = action_run(c, erase_verb, &p);

	*erased = rc == JB_OK ? p.erased : 0;
	*held = rc == JB_OK ? p.held : 0;
	return rc;
}

/* ---- retention ---- */

/* The rows past their tenant's retention at $1, oldest tenant and id
 * first, PII_BATCH at most; each query reads its partial index (schema.c
 * migration 18) from the shortest retention on. */
#define PAST(col) col " <= $1 - t.pii_retention_days * 86400 AND " col " <= $1 - " PII_RETENTION_MIN_TEXT " * 86400"
static const char *const due_sql[PII_KINDS] = {
	"SELECT p.tenant_id, p.id FROM problem p JOIN tenant t ON t.id = p.tenant_id"
	" WHERE p.contact_erased_at IS NULL AND p.proposer_user_id IS NULL AND (p.contact_name <> '' OR p.contact_phone <> '')"
	" AND p.state IN " STATE_SQL_CLOSED " AND " PAST("p.updated_at") " ORDER BY p.tenant_id, p.id LIMIT 200",
	"SELECT x.tenant_id, x.id FROM complaint x JOIN tenant t ON t.id = x.tenant_id"
	" WHERE x.contact_erased_at IS NULL AND (x.name <> '' OR x.contact <> '') AND x.answered_at IS NOT NULL"
	" AND " PAST("x.answered_at") " ORDER BY x.tenant_id, x.id LIMIT 200",
	"SELECT o.tenant_id, o.id FROM objection o JOIN tenant t ON t.id = o.tenant_id"
	" JOIN notice n ON n.tenant_id = o.tenant_id AND n.id = o.notice_id"
	" WHERE o.contact_erased_at IS NULL AND o.answered_at IS NOT NULL AND o.answered_at <= $1 AND n.state = 'closed'"
	" AND " PAST("n.closed_at") " ORDER BY o.tenant_id, o.id LIMIT 200",
};

struct expire_args {
	enum pii_kind kind;
	const int64_t *ids;
	int n, done;
};

static int expire_verb(struct ctx *c, void *args)
{
	struct expire_args *e = args;
	json_t *ids = json_array();
	int64_t days;
	int rc;

	for (int i = 0; i < e->n; i++) {
		if ((rc = blank(c->d, c->who->tenant_id, e->kind, e->ids[i], c->now)) < 0) {
			json_decref(ids);
			return -1;
		}
		if (rc)
			json_array_append_new(ids, json_integer((json_int_t)e->ids[i]));
	}
	e->done = (int)json_array_size(ids);
	if (!e->done || pii_retention_days(c->d, c->who->tenant_id, &days) < 0) {
		json_decref(ids);
		return e->done ? -1 : JB_OK;
	}
	return ctx_audit(c, "pii.expire", "tenant", c->who->tenant_id, NULL,
			 json_pack("{s:s, s:o, s:i, s:I}", "kind", pii_kind_codes[e->kind], "ids", ids, "count", e->done,
				   "retention_days", (json_int_t)days));
}

/* One batch of kind: the rows anonymised, or -1; *more when it was full. */
static int expire_batch(db *d, arena *a, enum pii_kind kind, int64_t now, bool *more)
{
	struct row { int64_t tenant, id; } rows[PII_BATCH];
	int64_t ids[PII_BATCH];
	db_stmt *st = db_query(d, due_sql[kind], "i", now);
	int n = 0, total = 0, rc;

	*more = false;
	if (!st)
		return -1;
	while (n < PII_BATCH && (rc = db_step(st)) == DB_ROW) {
		rows[n].tenant = db_col_int(st, 0);
		rows[n++].id = db_col_int(st, 1);
	}
	db_done(st);
	if (n < PII_BATCH && rc == DB_ERROR)
		return -1;
	for (int i = 0; i < n;) {
		int j = i, m = 0;
		while (j < n && rows[j].tenant == rows[i].tenant)
			ids[m++] = rows[j++].id;
		struct principal sys = perm_cli(rows[i].tenant);
		struct expire_args e = { kind, ids, m, 0 };
		struct ctx c;
		ctx_init(&c, d, a, &sys, "");
		c.now = now;
		if ((rc = action_run(&c, expire_verb, &e)) != JB_OK) {
			log_error("personal data: tenant %lld: cannot anonymise %s rows: %s", (long long)rows[i].tenant,
				  pii_kind_codes[kind], ctx_message(&c, rc));
			return -1;
		}
		total += e.done;
		i = j;
	}
	*more = n == PII_BATCH && total > 0;
	return total;
}

int pii_expire_due(db *d, int64_t now)
{
	arena *a = arena_new();
	int total = 0, batches = 0;

	for (int k = 0; k < PII_KINDS; k++) {
		bool more = true;
		while (more && batches++ < PII_BATCHES_PER_RUN) {
			int n = expire_batch(d, a, (enum pii_kind)k, now, &more);
			if (n < 0) {
				arena_free(a);
				return -1;
			}
			total += n;
		}
	}
	arena_free(a);
	return total;
}
