/* evaluate_read.c - reading an evaluation (evaluate.h): recusal, a
 * claim's panel, entries and aggregate with the blindness rule, a
 * batch's overview and an evaluator's queue. Reads only. */
#include <string.h>

#include "domain/evaluate_int.h"
#include "domain/state.h"
#include "domain/user.h"

const char *const recusal_reasons[] = { "", "本人是该战队成员", "本人所在单位是揭榜单位", "本人所在单位是配合单位" };
const char *const recusal_codes[] = { "", "team", "unit", "cooperator" };

enum recusal recusal_of(const struct recusal_in *in)
{
	if (in->on_team)
		return RECUSE_TEAM;
	for (int u = 0; u < 2; u++)
		if (in->units[u] && in->units[u] == in->claim_unit)
			return RECUSE_UNIT;
	for (int u = 0; u < 2; u++)
		for (int i = 0; in->units[u] && i < in->ncoops; i++)
			if (in->coops[i] == in->units[u])
				return RECUSE_COOP;
	return RECUSE_NONE;
}

int grade_index(const char *code)
{
	for (int i = 0; code && i < GRADE_COUNT; i++)
		if (!strcmp(grades[i].code, code))
			return i;
	return -1;
}

static const char *const task_states[][2] = {
	{ "pending", "待评分" }, { "submitted", "已提交" }, { "recused", "回避" }, { "closed", "已结束" },
};

const char *eval_task_zh(const char *state)
{
	for (size_t i = 0; i < sizeof(task_states) / sizeof(task_states[0]); i++)
		if (!strcmp(task_states[i][0], state))
			return task_states[i][1];
	return "";
}

static bool may(struct ctx *c, const char *action)
{
	struct perm_target t = { c->who->tenant_id, 0, 0, false };

	return perm_check(c->who, action, &t);
}

/* ---- the claim ---- */

int eval_load_claim(struct ctx *c, int64_t id, struct ek *k)
{
	db_stmt *st = db_query(c->d, "SELECT k.id, k.problem_id, p.batch_id, k.unit_id, coalesce(k.deadline, 0),"
				     " coalesce(k.accepted_at, 0), k.state, p.state, k.eval_round, p.title, u.name FROM claim k"
				     " JOIN problem p ON p.tenant_id = k.tenant_id AND p.id = k.problem_id"
				     " JOIN unit u ON u.tenant_id = k.tenant_id AND u.id = k.unit_id"
				     " WHERE k.tenant_id = $1 AND k.id = $2", "ii", c->who->tenant_id, id);
	int rc;

	memset(k, 0, sizeof(*k));
	if (!st)
		return -1;
	if ((rc = db_step(st)) == DB_ROW) {
		k->id = db_col_int(st, 0);
		k->problem_id = db_col_int(st, 1);
		k->batch_id = db_col_int(st, 2);
		k->unit_id = db_col_int(st, 3);
		k->deadline = db_col_int(st, 4);
		k->accepted_at = db_col_int(st, 5);
		k->state = claim_state_of(db_col_text(st, 6));
		k->problem_state = problem_state_of(db_col_text(st, 7));
		k->round = (int)db_col_int(st, 8);
		k->title = arena_strdup(c->a, db_col_text(st, 9));
		k->unit = arena_strdup(c->a, db_col_text(st, 10));
	}
	db_done(st);
	if (rc == DB_DONE)
		return ctx_fail(c, JB_ENOTFOUND, NULL, "not_found", arena_printf(c->a, "没有编号为 %lld 的揭榜", (long long)id));
	if (rc == DB_ROW && k->state < 0)
		k->state = CLAIM_WITHDRAWN;
	return rc == DB_ROW ? JB_OK : -1;
}

static int load_panel_of(struct ctx *c, const struct ek *k, const char *stage, struct eval_view *v)
{
	db_stmt *st = db_query(c->d, "SELECT pc.panel_id, pc.assigned_at, pn.name FROM panel_claim pc"
				     " JOIN panel pn ON pn.tenant_id = pc.tenant_id AND pn.id = pc.panel_id"
				     " WHERE pc.tenant_id = $1 AND pc.claim_id = $2 AND pc.stage = $3",
			       "iis", c->who->tenant_id, k->id, stage);
	int rc;

	if (!st)
		return -1;
	if ((rc = db_step(st)) == DB_ROW) {
		v->panel_id = db_col_int(st, 0);
		v->assigned_at = db_col_int(st, 1);
		v->panel = arena_strdup(c->a, db_col_text(st, 2));
	}
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

static int load_coops(struct ctx *c, int64_t claim, int64_t **out, int *n)
{
	db_stmt *st = db_query(c->d, "SELECT unit_id FROM claim_cooperator WHERE tenant_id = $1 AND claim_id = $2", "ii",
			       c->who->tenant_id, claim);
	int cap = 0, rc;

	*out = NULL;
	*n = 0;
	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW)
		*ARENA_PUSH(c->a, *out, *n, cap) = db_col_int(st, 0);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

/* A panel's members; with k (not NULL) each one's recusal from k. */
static int load_members(struct ctx *c, int64_t panel_id, const struct ek *k, struct eval_member **out, int *n)
{
	db_stmt *st = db_query(c->d,
		"SELECT m.user_id, u.login, coalesce(p.name, ''), m.organisation, coalesce(un.name, ''),"
		" coalesce(u.unit_id, 0), coalesce(p.unit_id, 0),"
		" CASE WHEN EXISTS (SELECT 1 FROM claim_member cm WHERE cm.tenant_id = m.tenant_id AND cm.claim_id = $3"
		"   AND cm.person_id = u.person_id) THEN 1 ELSE 0 END, m.name"
		" FROM panel_member m JOIN app_user u ON u.tenant_id = m.tenant_id AND u.id = m.user_id"
		" LEFT JOIN person p ON p.tenant_id = u.tenant_id AND p.id = u.person_id"
		" LEFT JOIN unit un ON un.tenant_id = u.tenant_id AND un.id = coalesce(u.unit_id, p.unit_id)"
		" WHERE m.tenant_id = $1 AND m.panel_id = $2 ORDER BY m.added_at, m.user_id",
		"iii", c->who->tenant_id, panel_id, k ? k->id : (int64_t)0);
	int64_t *coops = NULL;
	int ncoops = 0, cap = 0, rc;

	*out = NULL;
	*n = 0;
	if (k && load_coops(c, k->id, &coops, &ncoops) < 0)
		return -1;
	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct eval_member *m = ARENA_PUSH(c->a, *out, *n, cap);
		const char *name = db_col_text(st, 2), *xname = arena_strdup(c->a, db_col_text(st, 8));
		struct recusal_in ri = { db_col_int(st, 7) != 0, { db_col_int(st, 5), db_col_int(st, 6) },
					 k ? k->unit_id : 0, coops, ncoops };
		memset(m, 0, sizeof(*m));
		m->user_id = db_col_int(st, 0);
		m->login = arena_strdup(c->a, db_col_text(st, 1));
		m->organisation = arena_strdup(c->a, db_col_text(st, 3));
		m->external = *xname != 0;
		m->name = *name ? arena_strdup(c->a, name) : *xname ? xname : m->login;
		m->unit = arena_strdup(c->a, db_col_text(st, 4));
		if (!*m->organisation)
			m->organisation = m->unit;
		m->recused = k ? recusal_of(&ri) : RECUSE_NONE;
	}
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

/* Every evaluation of the claim at stage, by round and member, with scores. */
static int load_entries(struct ctx *c, int64_t claim, const char *stage, struct eval_entry **out, int *n)
{
	db_stmt *st = db_query(c->d,
		"SELECT e.id, e.user_id, e.total, e.submitted_at, coalesce(e.reopened_at, 0), e.round, e.state,"
		" coalesce(p.name, u.login), e.comment, e.reopened_by, e.reopen_reason FROM evaluation e"
		" JOIN app_user u ON u.tenant_id = e.tenant_id AND u.id = e.user_id"
		" LEFT JOIN person p ON p.tenant_id = u.tenant_id AND p.id = u.person_id"
		" WHERE e.tenant_id = $1 AND e.claim_id = $2 AND e.stage = $3 ORDER BY e.round, e.submitted_at, e.id",
		"iis", c->who->tenant_id, claim, stage);
	int cap = 0, rc;

	*out = NULL;
	*n = 0;
	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct eval_entry *e = ARENA_PUSH(c->a, *out, *n, cap);
		memset(e, 0, sizeof(*e));
		e->id = db_col_int(st, 0);
		e->user_id = db_col_int(st, 1);
		e->total = db_col_int(st, 2);
		e->submitted_at = db_col_int(st, 3);
		e->reopened_at = db_col_int(st, 4);
		e->round = (int)db_col_int(st, 5);
		e->state = arena_strdup(c->a, db_col_text(st, 6));
		e->evaluator = arena_strdup(c->a, db_col_text(st, 7));
		e->comment = arena_strdup(c->a, db_col_text(st, 8));
		e->reopened_by = arena_strdup(c->a, db_col_text(st, 9));
		e->reopen_reason = arena_strdup(c->a, db_col_text(st, 10));
	}
	db_done(st);
	if (rc != DB_DONE)
		return -1;
	if (!*n)
		return 0;
	st = db_query(c->d,
		"SELECT s.evaluation_id, r.name, s.score, coalesce(s.band, 0) FROM evaluation_score s"
		" JOIN evaluation e ON e.tenant_id = s.tenant_id AND e.id = s.evaluation_id"
		" JOIN rubric_criterion r ON r.tenant_id = s.tenant_id AND r.id = s.criterion_id"
		" WHERE s.tenant_id = $1 AND e.claim_id = $2 AND e.stage = $3 ORDER BY s.evaluation_id, r.position, r.id",
		"iis", c->who->tenant_id, claim, stage);
	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t id = db_col_int(st, 0);
		for (int i = 0; i < *n; i++) {
			struct eval_entry *e = &(*out)[i];
			int ecap = e->nscores;
			if (e->id != id)
				continue;
			*ARENA_PUSH(c->a, e->scores, e->nscores, ecap) = (struct eval_score){
				arena_strdup(c->a, db_col_text(st, 1)), db_col_int(st, 2), (int)db_col_int(st, 3) - 1 };
			break;
		}
	}
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

static const struct eval_member *member_of(const struct eval_view *v, int64_t user_id)
{
	for (int i = 0; i < v->nmembers; i++)
		if (v->members[i].user_id == user_id)
			return &v->members[i];
	return NULL;
}

/* The aggregate of round's submitted entries by members not recused. */
static void round_of(const struct eval_view *v, const struct eval_entry *e, int n, int round, struct eval_round *out)
{
	int64_t totals[PANEL_MEMBERS_MAX + PANEL_EXTERNALS_MAX * 4] = { 0 };
	int k = 0;

	memset(out, 0, sizeof(*out));
	out->round = round;
	for (int i = 0; i < n && k < (int)(sizeof(totals) / sizeof(totals[0])); i++) {
		const struct eval_member *m = member_of(v, e[i].user_id);
		if (e[i].round == round && !strcmp(e[i].state, "submitted") && (!m || m->recused == RECUSE_NONE))
			totals[k++] = e[i].total;
	}
	out->submitted = k;
	rubric_aggregate(totals, k, &out->agg);
	out->grade = k ? grade_of(&v->grading, out->agg.score) : -1;
	out->complete = v->expected > 0 && k >= v->expected;
}

static void history_of(struct ctx *c, struct eval_view *v)
{
	int cap = 0;

	for (int r = 1; r < v->round; r++) {
		bool any = false;
		for (int i = 0; i < v->nentries && !any; i++)
			any = v->entries[i].round == r;
		if (any)
			round_of(v, v->entries, v->nentries, r, ARENA_PUSH(c->a, v->history, v->nhistory, cap));
	}
}

/* Keep the entries the reader may see (evaluate.h: blindness). */
static void blind(struct ctx *c, struct eval_view *v)
{
	int k = 0;
	bool reader = may(c, "evaluation.read");

	for (int i = 0; i < v->nentries; i++) {
		const struct eval_entry *e = &v->entries[i];
		bool own = e->user_id == c->who->user_id;
		if (own || (v->sees_all && (reader || !strcmp(e->state, "submitted"))))
			v->entries[k++] = *e;
	}
	v->nentries = k;
	if (v->sees_all)
		return;
	memset(&v->now, 0, sizeof(v->now));
	v->now.round = v->round;
	v->now.grade = -1;
	v->nhistory = 0;
}

static void link_entries(struct ctx *c, struct eval_view *v)
{
	for (int i = 0; i < v->nentries; i++) {
		struct eval_entry *e = &v->entries[i];
		if (e->round != v->round)
			continue;
		for (int j = 0; j < v->nmembers; j++)
			if (v->members[j].user_id == e->user_id)
				v->members[j].entry = e;
		if (e->user_id == c->who->user_id)
			v->mine = e;
	}
}

int eval_build(struct ctx *c, const struct ek *k, const char *stage, bool all, struct eval_view *v)
{
	const struct eval_member *me;

	memset(v, 0, sizeof(*v));
	v->claim_id = k->id;
	v->batch_id = k->batch_id;
	v->problem_id = k->problem_id;
	v->accepted_at = k->accepted_at;
	v->claim_state = k->state;
	v->round = k->round;
	v->stage = stage;
	v->problem = k->title;
	v->unit = k->unit;
	v->now.grade = -1;
	if (rubric_load(c->d, c->a, c->who->tenant_id, k->batch_id, stage, &v->rubric) < 0 ||
	    grading_load(c->d, c->who->tenant_id, k->batch_id, &v->grading) < 0 || load_panel_of(c, k, stage, v) < 0)
		return -1;
	if (!v->panel_id)
		return JB_OK;
	if (load_members(c, v->panel_id, k, &v->members, &v->nmembers) < 0 ||
	    load_entries(c, k->id, stage, &v->entries, &v->nentries) < 0)
		return -1;
	for (int i = 0; i < v->nmembers; i++)
		v->expected += v->members[i].recused == RECUSE_NONE;
	round_of(v, v->entries, v->nentries, v->round, &v->now);
	history_of(c, v);
	if ((me = member_of(v, c->who->user_id))) {
		v->is_member = true;
		v->my_recusal = me->recused;
	}
	link_entries(c, v);
	v->sees_all = all || may(c, "evaluation.read") || (v->mine && !strcmp(v->mine->state, "submitted"));
	v->may_score = v->is_member && v->my_recusal == RECUSE_NONE && !(v->mine && !strcmp(v->mine->state, "submitted"));
	if (!all) {
		blind(c, v);
		for (int j = 0; j < v->nmembers; j++)
			v->members[j].entry = NULL;
		link_entries(c, v);
	}
	return JB_OK;
}

int evaluation_view(struct ctx *c, int64_t claim_id, const char *stage, struct eval_view *out)
{
	struct ek k;
	int rc;

	if ((rc = db_begin(c->d, DB_READ)) < 0)
		return JB_EBUSY;
	if ((rc = eval_load_claim(c, claim_id, &k)) == JB_OK && (rc = eval_build(c, &k, stage, false, out)) == JB_OK &&
	    !out->is_member && !may(c, "evaluation.read") && !may(c, "evaluation.manage"))
		rc = ctx_fail(c, JB_ENOTFOUND, NULL, "not_found",
			      arena_printf(c->a, "没有编号为 %lld 的揭榜，或您不能查看它的考评", (long long)claim_id));
	db_rollback(c->d);
	return rc < 0 ? ctx_store_error(c) : rc;
}

/* ---- a batch ---- */

static int load_panels(struct ctx *c, struct batch_eval *b, const char *stage)
{
	db_stmt *st = db_query(c->d, "SELECT pn.id, pn.created_at, pn.name, (SELECT count(*) FROM panel_claim pc"
				     " WHERE pc.tenant_id = pn.tenant_id AND pc.panel_id = pn.id AND pc.stage = $3)"
				     " FROM panel pn WHERE pn.tenant_id = $1 AND pn.batch_id = $2 ORDER BY pn.id",
			       "iis", c->who->tenant_id, b->batch_id, stage);
	int cap = 0, rc;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct panel_info *p = ARENA_PUSH(c->a, b->panels, b->npanels, cap);
		memset(p, 0, sizeof(*p));
		p->id = db_col_int(st, 0);
		p->created_at = db_col_int(st, 1);
		p->name = arena_strdup(c->a, db_col_text(st, 2));
		p->nclaims = (int)db_col_int(st, 3);
	}
	db_done(st);
	if (rc != DB_DONE)
		return -1;
	for (int i = 0; i < b->npanels; i++)
		if (load_members(c, b->panels[i].id, NULL, &b->panels[i].members, &b->panels[i].nmembers) < 0)
			return -1;
	return 0;
}

static int load_claims(struct ctx *c, struct batch_eval *b, const char *stage)
{
	bool final = !strcmp(stage, "final");
	db_stmt *st = db_query(c->d,
		"SELECT k.id FROM claim k JOIN problem p ON p.tenant_id = k.tenant_id AND p.id = k.problem_id"
		" WHERE k.tenant_id = $1 AND p.batch_id = $2 AND (k.state = $3 OR k.state = $4 OR EXISTS (SELECT 1"
		" FROM panel_claim pc WHERE pc.tenant_id = k.tenant_id AND pc.claim_id = k.id AND pc.stage = $5))"
		" ORDER BY p.id, k.id",
		"iisss", c->who->tenant_id, b->batch_id, claim_state_info[final ? CLAIM_SOLVED : CLAIM_APPROVED].code,
		claim_state_info[final ? CLAIM_ACCEPTED : CLAIM_SIGNED].code, stage);
	int64_t *ids = NULL;
	int n = 0, cap = 0, ccap = 0, rc;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW)
		*ARENA_PUSH(c->a, ids, n, cap) = db_col_int(st, 0);
	db_done(st);
	if (rc != DB_DONE)
		return -1;
	for (int i = 0; i < n; i++) {
		struct ek k;
		if (eval_load_claim(c, ids[i], &k) != JB_OK ||
		    eval_build(c, &k, stage, true, ARENA_PUSH(c->a, b->claims, b->nclaims, ccap)) != JB_OK)
			return -1;
	}
	return 0;
}

static int load_pickables(struct ctx *c, struct batch_eval *b)
{
	db_stmt *st = db_query(c->d,
		"SELECT u.id, u.login, coalesce(p.name, ''), coalesce(un.name, '') FROM app_user u"
		" LEFT JOIN person p ON p.tenant_id = u.tenant_id AND p.id = u.person_id"
		" LEFT JOIN unit un ON un.tenant_id = u.tenant_id AND un.id = coalesce(u.unit_id, p.unit_id)"
		" WHERE u.tenant_id = $1 AND u.disabled = 0 AND EXISTS (SELECT 1 FROM user_role r WHERE"
		" r.tenant_id = u.tenant_id AND r.user_id = u.id AND r.role = 'evaluator') ORDER BY u.id",
		"i", c->who->tenant_id);
	int cap = 0, rc;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct eval_candidate *e = ARENA_PUSH(c->a, b->evaluators, b->nevaluators, cap);
		const char *name = db_col_text(st, 2);
		e->id = db_col_int(st, 0);
		e->name = *name ? arena_printf(c->a, "%s（%s）", name, db_col_text(st, 1))
				: arena_strdup(c->a, db_col_text(st, 1));
		e->unit = arena_strdup(c->a, db_col_text(st, 3));
	}
	db_done(st);
	if (rc != DB_DONE)
		return -1;
	cap = 0;
	if (!(st = db_query(c->d, "SELECT id, name FROM category WHERE tenant_id = $1 ORDER BY position, id", "i",
			    c->who->tenant_id)))
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		ARENA_PUSH(c->a, b->categories, b->ncategories, cap);
		b->categories[b->ncategories - 1].id = db_col_int(st, 0);
		b->categories[b->ncategories - 1].name = arena_strdup(c->a, db_col_text(st, 1));
	}
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

static int batch_read(struct ctx *c, int64_t batch_id, const char *stage, struct batch_eval *b)
{
	db_stmt *st;
	int rc;

	if (!may(c, "evaluation.manage") && !may(c, "evaluation.read"))
		return ctx_deny(c, "evaluation.read", "batch", batch_id);
	if (!(st = db_query(c->d, "SELECT name FROM batch WHERE tenant_id = $1 AND id = $2", "ii", c->who->tenant_id,
			    batch_id)))
		return -1;
	if ((rc = db_step(st)) == DB_ROW)
		b->batch = arena_strdup(c->a, db_col_text(st, 0));
	db_done(st);
	if (rc == DB_DONE)
		return ctx_fail(c, JB_ENOTFOUND, NULL, "not_found", "没有这个批次");
	if (rc != DB_ROW || grading_load(c->d, c->who->tenant_id, batch_id, &b->grading) < 0 ||
	    load_panels(c, b, stage) < 0 || load_claims(c, b, stage) < 0 || load_pickables(c, b) < 0 ||
	    eval_batch_grades(c->d, c->who->tenant_id, batch_id, &b->excellent, &b->graded) < 0)
		return -1;
	b->over_cap = grade_over_cap(&b->grading, b->excellent, b->graded);
	return JB_OK;
}

int evaluation_batch(struct ctx *c, int64_t batch_id, const char *stage, struct batch_eval *out)
{
	int rc;

	memset(out, 0, sizeof(*out));
	out->batch_id = batch_id;
	if (db_begin(c->d, DB_READ) < 0)
		return JB_EBUSY;
	rc = batch_read(c, batch_id, stage, out);
	db_rollback(c->d);
	return rc < 0 ? ctx_store_error(c) : rc;
}

/* ---- the queue ---- */

static const char *task_state(const struct eval_view *v)
{
	bool final = !strcmp(v->stage, "final");

	if (v->my_recusal != RECUSE_NONE)
		return "recused";
	if (v->mine && !strcmp(v->mine->state, "submitted"))
		return "submitted";
	if (final ? v->claim_state != CLAIM_SOLVED : !(claim_state_info[v->claim_state].flags & CS_WORKING))
		return "closed";
	return "pending";
}

static int queue_read(struct ctx *c, struct eval_task **out, int *n)
{
	db_stmt *st = db_query(c->d, "SELECT pc.claim_id, pc.stage FROM panel_claim pc JOIN panel_member m"
				     " ON m.tenant_id = pc.tenant_id AND m.panel_id = pc.panel_id AND m.user_id = $2"
				     " WHERE pc.tenant_id = $1 ORDER BY pc.assigned_at DESC, pc.claim_id",
			       "ii", c->who->tenant_id, c->who->user_id);
	struct { int64_t id; const char *stage; } *rows = NULL;
	int nrows = 0, cap = 0, tcap = 0, rc;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		ARENA_PUSH(c->a, rows, nrows, cap);
		rows[nrows - 1].id = db_col_int(st, 0);
		rows[nrows - 1].stage = !strcmp(db_col_text(st, 1), "midterm") ? "midterm" : "final";
	}
	db_done(st);
	if (rc != DB_DONE)
		return -1;
	for (int i = 0; i < nrows; i++) {
		struct eval_view v;
		struct eval_task *t;
		struct ek k;
		if (eval_load_claim(c, rows[i].id, &k) != JB_OK || eval_build(c, &k, rows[i].stage, false, &v) != JB_OK)
			return -1;
		t = ARENA_PUSH(c->a, *out, *n, tcap);
		*t = (struct eval_task){ k.id, k.problem_id, k.batch_id, v.assigned_at, k.title, k.unit, rows[i].stage,
					 v.panel, v.my_recusal, task_state(&v) };
	}
	return 0;
}

int evaluation_queue(struct ctx *c, struct eval_task **out, int *n)
{
	int rc;

	*out = NULL;
	*n = 0;
	if (db_begin(c->d, DB_READ) < 0)
		return JB_EBUSY;
	rc = queue_read(c, out, n);
	db_rollback(c->d);
	return rc < 0 ? ctx_store_error(c) : JB_OK;
}

int evaluation_result(db *d, arena *a, int64_t tenant_id, int64_t claim_id, struct eval_result *out)
{
	db_stmt *st = db_query(d, "SELECT coalesce(score, 0), grade, coalesce(evaluated_at, 0), rectify_plan,"
				  " coalesce(rectify_due, 0), eval_round FROM claim WHERE tenant_id = $1 AND id = $2",
			       "ii", tenant_id, claim_id);
	int rc;

	memset(out, 0, sizeof(*out));
	if (!st)
		return -1;
	if ((rc = db_step(st)) == DB_ROW) {
		out->score = db_col_int(st, 0);
		out->grade = arena_strdup(a, db_col_text(st, 1));
		out->evaluated_at = db_col_int(st, 2);
		out->rectify_plan = arena_strdup(a, db_col_text(st, 3));
		out->rectify_due = db_col_int(st, 4);
		out->round = (int)db_col_int(st, 5);
	}
	db_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}
