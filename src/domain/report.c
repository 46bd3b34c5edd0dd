/* report.c - the year's report of a batch (contract in report.h). */
#include "domain/report.h"

#include <string.h>

#include "domain/evaluate.h"
#include "domain/perm.h"
#include "domain/practice.h"
#include "domain/rubric.h"
#include "domain/state.h"
#include "util/buf.h"

const char *report_metric_text(arena *a, const char *kind, const char *uom, int64_t v)
{
	buf b = BUF_INIT;
	const char *s;

	if (kind && !strcmp(kind, "money")) {
		buf_puts(&b, "¥");
		buf_int_grouped(&b, v / 100);
		if (v % 100)
			buf_printf(&b, ".%02lld", (long long)(v % 100));
	} else if (kind && !strcmp(kind, "percent")) {
		buf_printf(&b, "%lld.%02lld%%", (long long)(v / 100), (long long)(v % 100));
	} else {
		buf_int_grouped(&b, v);
		if (uom && *uom) {
			buf_putc(&b, ' ');
			buf_puts(&b, uom);
		}
	}
	s = arena_strdup(a, b.s);
	buf_release(&b);
	return s;
}

static const char *col(arena *a, db_stmt *st, int i)
{
	return arena_strdup(a, db_col_text(st, i));
}

/* 征集/遴选: problems of the batch by state, and the publication rounds. */
static int intake(struct ctx *c, struct report *r)
{
	int64_t t = c->who->tenant_id, selected_only = 0;
	db_stmt *st = db_query(c->d, "SELECT state, count(*) FROM problem WHERE tenant_id = $1 AND batch_id = $2"
				     " GROUP BY state ORDER BY state", "ii", t, r->batch_id);
	int rc, cap = 0;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		int s = problem_state_of(db_col_text(st, 0));
		int64_t n = db_col_int(st, 1);
		r->collected += n;
		if (s == PROBLEM_REJECTED)
			r->rejected += n;
		else if (s == PROBLEM_MERGED)
			r->merged += n;
		else if (s == PROBLEM_SELECTED)
			selected_only += n;
	}
	db_done(st);
	if (rc != DB_DONE)
		return -1;
	st = db_query(c->d, "SELECT round, published_at, n FROM publication WHERE tenant_id = $1 AND batch_id = $2"
			    " ORDER BY round", "ii", t, r->batch_id);
	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct report_round *p = ARENA_PUSH(c->a, r->rounds, r->nrounds, cap);
		p->round = (int)db_col_int(st, 0);
		p->at = db_col_int(st, 1);
		p->n = db_col_int(st, 2);
		r->published += p->n;
	}
	db_done(st);
	r->selected = r->published + selected_only;
	return rc == DB_DONE ? 0 : -1;
}

static int case_metrics(struct ctx *c, struct report_case *k)
{
	db_stmt *st = db_query(c->d, "SELECT name, kind, uom, target, achieved FROM metric"
				     " WHERE tenant_id = $1 AND claim_id = $2 ORDER BY +id", "ii", c->who->tenant_id, k->claim_id);
	int rc, cap = 0;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct report_metric *m = ARENA_PUSH(c->a, k->metrics, k->nmetrics, cap);
		m->name = col(c->a, st, 0);
		m->kind = col(c->a, st, 1);
		m->uom = col(c->a, st, 2);
		m->target = db_col_int(st, 3);
		m->achieved = db_col_int(st, 4);
	}
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

/* The named cases: solved or accepted claims with metrics, the largest
 * task forces (units, then people) first. */
static int cases(struct ctx *c, struct report *r)
{
	db_stmt *st = db_query(c->d,
		"SELECT k.id, k.problem_id, pr.title, coalesce(cat.name, ''), coalesce(u.name, ''), coalesce(l.name, ''),"
		" coalesce(l.title, ''), coalesce(o.name, ''), coalesce(o.title, ''), k.state,"
		" (SELECT count(*) FROM claim_member m WHERE m.tenant_id = k.tenant_id AND m.claim_id = k.id) AS people,"
		" (SELECT count(DISTINCT m.unit_id) FROM claim_member m WHERE m.tenant_id = k.tenant_id AND m.claim_id = k.id)"
		"  AS units"
		" FROM claim k JOIN problem pr ON pr.tenant_id = k.tenant_id AND pr.id = k.problem_id"
		" LEFT JOIN category cat ON cat.tenant_id = pr.tenant_id AND cat.id = pr.category_id"
		" LEFT JOIN unit u ON u.tenant_id = k.tenant_id AND u.id = k.unit_id"
		" LEFT JOIN person l ON l.tenant_id = k.tenant_id AND l.id = k.lead_person_id"
		" LEFT JOIN person o ON o.tenant_id = k.tenant_id AND o.id = k.owner_person_id"
		" WHERE k.tenant_id = $1 AND pr.batch_id = $2 AND k.state IN ($3, $4)"
		" AND EXISTS (SELECT 1 FROM metric mt WHERE mt.tenant_id = k.tenant_id AND mt.claim_id = k.id)"
		" ORDER BY units DESC, people DESC, k.id LIMIT $5",
		"iissi", c->who->tenant_id, r->batch_id, claim_state_info[CLAIM_SOLVED].code,
		claim_state_info[CLAIM_ACCEPTED].code, (int64_t)REPORT_MAX_CASES);
	int rc, cap = 0;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct report_case *k = ARENA_PUSH(c->a, r->cases, r->ncases, cap);
		int s = claim_state_of(db_col_text(st, 9));
		memset(k, 0, sizeof(*k));
		k->claim_id = db_col_int(st, 0);
		k->problem_id = db_col_int(st, 1);
		k->title = col(c->a, st, 2);
		k->category = col(c->a, st, 3);
		k->unit = col(c->a, st, 4);
		k->lead = col(c->a, st, 5);
		k->lead_title = col(c->a, st, 6);
		k->owner = col(c->a, st, 7);
		k->owner_title = col(c->a, st, 8);
		k->state = s >= 0 ? claim_state_info[s].zh : "";
		k->members = db_col_int(st, 10);
		k->units = db_col_int(st, 11);
		k->score = -1;
		k->grade = "";
	}
	db_done(st);
	if (rc != DB_DONE)
		return -1;
	for (int i = 0; i < r->ncases; i++) {
		struct report_case *k = &r->cases[i];
		struct eval_result er;
		if (case_metrics(c, k) < 0)
			return -1;
		if (evaluation_result(c->d, c->a, c->who->tenant_id, k->claim_id, &er) < 0)
			return -1;
		if (er.grade && *er.grade) {
			int g = grade_index(er.grade);
			k->score = er.score;
			k->grade = g >= 0 ? grades[g].zh : er.grade;
		}
	}
	return 0;
}

static int practices(struct ctx *c, struct report *r)
{
	db_stmt *st = db_query(c->d, "SELECT p.title, p.doc_no, p.issuer, coalesce(p.adopted_on, 0) FROM practice p"
				     " WHERE p.tenant_id = $1 AND p.state = $3 AND EXISTS (SELECT 1 FROM practice_claim pc"
				     "  JOIN claim k ON k.tenant_id = pc.tenant_id AND k.id = pc.claim_id"
				     "  JOIN problem pr ON pr.tenant_id = k.tenant_id AND pr.id = k.problem_id"
				     "  WHERE pc.tenant_id = p.tenant_id AND pc.practice_id = p.id AND pr.batch_id = $2)"
				     " ORDER BY p.adopted_on, p.id",
			       "iis", c->who->tenant_id, r->batch_id, practice_states[PRACTICE_ADOPTED].code);
	int rc, cap = 0;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct report_practice *p = ARENA_PUSH(c->a, r->practices, r->npractices, cap);
		p->title = col(c->a, st, 0);
		p->doc_no = col(c->a, st, 1);
		p->issuer = col(c->a, st, 2);
		p->adopted_on = db_col_int(st, 3);
	}
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

static int read_all(struct ctx *c, struct report *r)
{
	struct promotion_filter f = { .batch_id = r->batch_id };
	db_stmt *st = db_query(c->d, "SELECT name, year FROM batch WHERE tenant_id = $1 AND id = $2", "ii",
			       c->who->tenant_id, r->batch_id);
	int rc;

	if (!st)
		return -1;
	if ((rc = db_step(st)) == DB_ROW) {
		r->batch = col(c->a, st, 0);
		r->year = db_col_int(st, 1);
	}
	db_done(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? 1 : -1;
	if ((rc = stats_get(c->d, c->a, c->who->tenant_id, r->batch_id, c->now, 0, 0, &r->s)) != 0)
		return rc;
	if (intake(c, r) < 0 || cases(c, r) < 0 || practices(c, r) < 0 ||
	    promotion_list_of(c->d, c->a, c->who->tenant_id, &f, &r->promotions, &r->npromotions) < 0)
		return -1;
	return 0;
}

int report_get(struct ctx *c, int64_t batch_id, struct report *out)
{
	struct perm_target t = { c->who->tenant_id, 0, 0, false };
	int rc;

	memset(out, 0, sizeof(*out));
	out->batch_id = batch_id;
	if (!perm_check(c->who, "export.read", &t)) {
		ctx_deny(c, "export.read", "batch", batch_id);
		ctx_log_denial(c);
		return JB_EDENIED;
	}
	if (db_begin(c->d, DB_READ) < 0)
		return ctx_store_error(c);
	rc = read_all(c, out);
	if (rc < 0 || db_commit(c->d) < 0) {
		db_rollback(c->d);
		return ctx_store_error(c);
	}
	if (rc > 0)
		return ctx_fail(c, JB_ENOTFOUND, NULL, "not_found", "没有这个批次");
	return JB_OK;
}
