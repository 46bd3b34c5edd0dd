/* claim_read.c - reading claims (claim.h): one claim with its team,
 * milestones, metrics and reports, the claims of a problem, the light. */
#include "domain/claim.h"

#include <string.h>

#include "domain/asof.h"

/* ---- the light's inputs ---- */

/* The light's inputs of claim k (problem p, batch b), the batch's as-of
 * moment given as the SQL expression as_of. */
#define LIGHT_COLS(as_of) \
	"k.state, coalesce(k.deadline, 0)," \
	" coalesce((SELECT min(m.due_at) FROM milestone m WHERE m.tenant_id = k.tenant_id AND m.claim_id = k.id" \
	"   AND m.done_at IS NULL), 0)," \
	" coalesce(k.signed_at, k.approved_at, 0)," \
	" coalesce((SELECT max(r.at) FROM progress r WHERE r.tenant_id = k.tenant_id AND r.claim_id = k.id), 0)," \
	" b.report_day, b.warn_days, " as_of ", k.risk"

/* $1 tenant, $2 claim, $3 now; then the batch. */
static const char light_sql[] =
	"SELECT " LIGHT_COLS(BATCH_AS_OF_SQL("b", "$3")) ", p.batch_id"
	" FROM claim k JOIN problem p ON p.tenant_id = k.tenant_id AND p.id = k.problem_id"
	" JOIN batch b ON b.tenant_id = p.tenant_id AND b.id = p.batch_id"
	" WHERE k.tenant_id = $1 AND k.id = $2";

/* The light's inputs of the counted claims of batch $2 (0: every batch)
 * of tenant $1, in id order, then their id, problem, unit and batch; the
 * as-of moment (0 here) is the batch's from lights_asof_sql, worked out
 * once a batch rather than once a claim. */
static const char lights_sql[] =
	"SELECT " LIGHT_COLS("0") ", k.id, k.problem_id, k.unit_id, p.batch_id"
	" FROM claim k JOIN problem p ON p.tenant_id = k.tenant_id AND p.id = k.problem_id"
	" JOIN batch b ON b.tenant_id = p.tenant_id AND b.id = p.batch_id"
	" WHERE k.tenant_id = $1 AND ($2 = 0 OR p.batch_id = $2) AND k.state IN " STATE_SQL_COUNTED_CLAIMS
	" ORDER BY k.id";

/* Every batch's as-of moment at $2 ($1 tenant). */
static const char lights_asof_sql[] =
	"SELECT b.id, " BATCH_AS_OF_SQL("b", "$2") " FROM batch b WHERE b.tenant_id = $1 ORDER BY b.id";

/* The metrics of the same claims, in claim order. */
static const char lights_metrics_sql[] =
	"SELECT x.claim_id, x.baseline, x.target, x.achieved FROM metric x"
	" JOIN claim k ON k.tenant_id = x.tenant_id AND k.id = x.claim_id"
	" JOIN problem p ON p.tenant_id = k.tenant_id AND p.id = k.problem_id"
	" WHERE x.tenant_id = $1 AND ($2 = 0 OR p.batch_id = $2) AND k.state IN " STATE_SQL_COUNTED_CLAIMS
	" ORDER BY x.claim_id";

static void light_row(db_stmt *st, struct light_in *in)
{
	in->state = claim_state_of(db_col_text(st, 0));
	in->deadline = db_col_int(st, 1);
	in->next_due = db_col_int(st, 2);
	in->since = db_col_int(st, 3);
	in->last_report = db_col_int(st, 4);
	in->report_day = (int)db_col_int(st, 5);
	in->warn_days = (int)db_col_int(st, 6);
	in->as_of = db_col_int(st, 7);
	in->risk = claim_risk_of(db_col_text(st, 8));
}

static int completion_of(int64_t baseline, int64_t target, int64_t achieved)
{
	int64_t span = target - baseline, got = achieved - baseline, pct;

	if (span == 0)
		return -1;
	if (span < 0) {
		span = -span;
		got = -got;
	}
	pct = got <= 0 ? 0 : got >= span ? 100 : got * 100 / span;
	return (int)pct;
}

int claim_completion_of(db *d, int64_t tenant, int64_t claim, int *out)
{
	db_stmt *st = db_query(d, "SELECT baseline, target, achieved FROM metric WHERE tenant_id = $1 AND claim_id = $2",
			       "ii", tenant, claim);
	int rc, n = 0, sum = 0;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		int pct = completion_of(db_col_int(st, 0), db_col_int(st, 1), db_col_int(st, 2));
		if (pct >= 0) {
			sum += pct;
			n++;
		}
	}
	db_done(st);
	*out = n ? sum / n : -1;
	return rc == DB_DONE ? 0 : -1;
}

int claim_light_in(db *d, int64_t tenant_id, int64_t claim_id, int64_t now, struct light_in *in, int64_t *batch_id)
{
	db_stmt *st = db_query(d, light_sql, "iii", tenant_id, claim_id, now);
	int rc;

	memset(in, 0, sizeof(*in));
	*batch_id = 0;
	if (!st)
		return -1;
	if ((rc = db_step(st)) == DB_ROW) {
		light_row(st, in);
		*batch_id = db_col_int(st, 9);
	}
	db_done(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? 1 : -1;
	return claim_completion_of(d, tenant_id, claim_id, &in->completion) < 0 ? -1 : 0;
}

int claim_light_of(db *d, int64_t tenant_id, int64_t claim_id, int64_t now, enum light *out)
{
	struct light_in in;
	int64_t batch;
	int rc = claim_light_in(d, tenant_id, claim_id, now, &in, &batch);

	*out = rc == 0 ? claim_light(&in) : LIGHT_NONE;
	return rc;
}

int claim_light_now(db *d, int64_t tenant_id, int64_t claim_id, int64_t now, enum light *out)
{
	int64_t l = 0;
	int rc = db_scalar(d, "SELECT light FROM claim WHERE tenant_id = $1 AND id = $2 AND light_until > $3"
			   " AND light_at <= $3", &l, 3, tenant_id, claim_id, now);

	if (rc == 0)
		*out = (enum light)l;
	return rc > 0 ? claim_light_of(d, tenant_id, claim_id, now, out) : rc;
}

/* The completion of each claim of lights_metrics_sql into the claims'
 * inputs (both lists in claim order); claims without a metric keep -1. */
static int lights_completion(db *d, int64_t tenant_id, int64_t batch_id, struct claim_lit *k, int n)
{
	db_stmt *st = db_query(d, lights_metrics_sql, "ii", tenant_id, batch_id);
	int rc, i = 0, sum = 0, cnt = 0;
	int64_t at = 0;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t id = db_col_int(st, 0);
		int pct = completion_of(db_col_int(st, 1), db_col_int(st, 2), db_col_int(st, 3));
		if (id != at) {
			while (i < n && k[i].claim_id < id)
				i++;
			at = id;
			sum = cnt = 0;
		}
		if (pct >= 0 && i < n && k[i].claim_id == id) {
			sum += pct;
			cnt++;
			k[i].in.completion = sum / cnt;
		}
	}
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

/* The batches' as-of moments at now, in id order, into *out. */
static int lights_asof(db *d, arena *a, int64_t tenant_id, int64_t now, int64_t (**out)[2], int *n)
{
	db_stmt *st = db_query(d, lights_asof_sql, "ii", tenant_id, now);
	int rc, cap = 0;

	*out = NULL;
	*n = 0;
	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t(*b)[2] = ARENA_PUSH(a, *out, *n, cap);
		(*b)[0] = db_col_int(st, 0);
		(*b)[1] = db_col_int(st, 1);
	}
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

int claim_lights(db *d, arena *a, int64_t tenant_id, int64_t batch_id, int64_t now, struct claim_lit **out, int *n)
{
	int64_t(*asof)[2];
	int rc, cap = 0, nb, at = 0;
	db_stmt *st;

	*out = NULL;
	*n = 0;
	if (lights_asof(d, a, tenant_id, now, &asof, &nb) < 0 ||
	    !(st = db_query(d, lights_sql, "ii", tenant_id, batch_id)))
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct claim_lit *k = ARENA_PUSH(a, *out, *n, cap);
		memset(k, 0, sizeof(*k));
		light_row(st, &k->in);
		k->in.completion = -1;
		k->claim_id = db_col_int(st, 9);
		k->problem_id = db_col_int(st, 10);
		k->unit_id = db_col_int(st, 11);
		int64_t batch = db_col_int(st, 12);
		if (at >= nb || asof[at][0] != batch)
			for (at = 0; at < nb && asof[at][0] != batch; at++)
				;
		k->in.as_of = at < nb ? asof[at][1] : now;
	}
	db_done(st);
	if (rc != DB_DONE || lights_completion(d, tenant_id, batch_id, *out, *n) < 0)
		return -1;
	for (int i = 0; i < *n; i++)
		(*out)[i].light = claim_light(&(*out)[i].in);
	return 0;
}

/* ---- one claim ---- */

static const char detail_sql[] =
	"SELECT k.id, k.problem_id, p.batch_id, k.unit_id, k.lead_person_id, k.owner_person_id,"
	" coalesce(k.applicant_user_id, 0), coalesce(k.deadline, 0), k.applied_at, coalesce(k.endorsed_at, 0),"
	" coalesce(k.approved_at, 0), coalesce(k.owner_signed_at, 0), coalesce(k.lead_signed_at, 0),"
	" coalesce(k.signed_at, 0), coalesce(k.solved_at, 0), coalesce(k.closed_at, 0), k.updated_at, k.state,"
	" k.route, p.title, p.state, u.name, l.name, l.title, o.name, o.title, k.plan, k.goals, k.pledge,"
	" k.reward_penalty, k.decided_reason, b.name, p.is_public, " BATCH_AS_OF_SQL("b", "$3")
	" FROM claim k JOIN problem p ON p.tenant_id = k.tenant_id AND p.id = k.problem_id"
	" JOIN batch b ON b.tenant_id = p.tenant_id AND b.id = p.batch_id"
	" JOIN unit u ON u.tenant_id = k.tenant_id AND u.id = k.unit_id"
	" JOIN person l ON l.tenant_id = k.tenant_id AND l.id = k.lead_person_id"
	" JOIN person o ON o.tenant_id = k.tenant_id AND o.id = k.owner_person_id"
	" WHERE k.tenant_id = $1 AND k.id = $2";

#define TXT(i) arena_strdup(a, db_col_text(st, (i)))

static void detail_row(arena *a, db_stmt *st, struct claim_detail *k, bool *public)
{
	k->id = db_col_int(st, 0);
	k->problem_id = db_col_int(st, 1);
	k->batch_id = db_col_int(st, 2);
	k->unit_id = db_col_int(st, 3);
	k->lead_person_id = db_col_int(st, 4);
	k->owner_person_id = db_col_int(st, 5);
	k->applicant_user_id = db_col_int(st, 6);
	k->deadline = db_col_int(st, 7);
	k->applied_at = db_col_int(st, 8);
	k->endorsed_at = db_col_int(st, 9);
	k->approved_at = db_col_int(st, 10);
	k->owner_signed_at = db_col_int(st, 11);
	k->lead_signed_at = db_col_int(st, 12);
	k->signed_at = db_col_int(st, 13);
	k->solved_at = db_col_int(st, 14);
	k->closed_at = db_col_int(st, 15);
	k->updated_at = db_col_int(st, 16);
	k->state = claim_state_of(db_col_text(st, 17));
	k->route = TXT(18);
	k->problem_title = TXT(19);
	k->problem_state = TXT(20);
	k->unit = TXT(21);
	k->lead = TXT(22);
	k->lead_title = TXT(23);
	k->owner = TXT(24);
	k->owner_title = TXT(25);
	k->plan = TXT(26);
	k->goals = TXT(27);
	k->pledge = TXT(28);
	k->reward_penalty = TXT(29);
	k->decided_reason = TXT(30);
	k->batch = TXT(31);
	*public = db_col_int(st, 32) != 0 && problem_state_has(k->problem_state, PS_PUBLIC);
	k->as_of = db_col_int(st, 33);
}

/* CR_* of who on k (the team from k->members). */
static unsigned relation_of(const struct principal *who, const struct claim_detail *k)
{
	unsigned rel = 0;

	if (who->person_id && who->person_id == k->owner_person_id)
		rel |= CR_OWNER;
	if (who->person_id && who->person_id == k->lead_person_id)
		rel |= CR_LEAD;
	if (who->user_id && who->user_id == k->applicant_user_id)
		rel |= CR_APPLICANT;
	for (int i = 0; who->person_id && i < k->nmembers; i++)
		if (k->members[i].person_id == who->person_id)
			rel |= CR_TEAM;
	return rel;
}

bool claim_reads_internal(const struct principal *who, const struct claim_detail *k)
{
	struct perm_target unit = { who->tenant_id, k->unit_id, 0, false };

	return k->rel || perm_check(who, "claim.approve", &unit) || perm_check(who, "problem.read_internal", &unit);
}

static int load_members(db *d, arena *a, int64_t tenant, struct claim_detail *k)
{
	db_stmt *st = db_query(d, "SELECT m.person_id, m.unit_id, p.name, p.title, u.name, m.role FROM claim_member m"
				  " JOIN person p ON p.tenant_id = m.tenant_id AND p.id = m.person_id"
				  " JOIN unit u ON u.tenant_id = m.tenant_id AND u.id = m.unit_id"
				  " WHERE m.tenant_id = $1 AND m.claim_id = $2 ORDER BY CASE m.role WHEN 'lead' THEN 0"
				  " WHEN 'owner' THEN 1 WHEN 'liaison' THEN 2 WHEN 'mentor' THEN 3 ELSE 4 END, m.person_id",
			       "ii", tenant, k->id);
	int rc, cap = 0;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct claim_member *m = ARENA_PUSH(a, k->members, k->nmembers, cap);
		*m = (struct claim_member){ db_col_int(st, 0), db_col_int(st, 1), TXT(2), TXT(3), TXT(4), TXT(5) };
	}
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

static int load_cooperators(db *d, arena *a, int64_t tenant, struct claim_detail *k)
{
	db_stmt *st = db_query(d, "SELECT c.unit_id, u.name FROM claim_cooperator c JOIN unit u ON u.tenant_id = c.tenant_id"
				  " AND u.id = c.unit_id WHERE c.tenant_id = $1 AND c.claim_id = $2 ORDER BY c.unit_id",
			       "ii", tenant, k->id);
	int rc, cap = 0;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct named_unit *u = ARENA_PUSH(a, k->cooperators, k->ncooperators, cap);
		*u = (struct named_unit){ db_col_int(st, 0), TXT(1) };
	}
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

static int load_plan(db *d, arena *a, int64_t tenant, struct claim_detail *k)
{
	db_stmt *st = db_query(d, "SELECT id, title, due_at, coalesce(done_at, 0) FROM milestone"
				  " WHERE tenant_id = $1 AND claim_id = $2 ORDER BY due_at, id", "ii", tenant, k->id);
	bool working = k->state >= 0 && (claim_state_info[k->state].flags & CS_WORKING);
	int rc, cap = 0;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct claim_milestone *m = ARENA_PUSH(a, k->milestones, k->nmilestones, cap);
		*m = (struct claim_milestone){ db_col_int(st, 0), db_col_int(st, 2), db_col_int(st, 3), TXT(1), false };
		m->overdue = working && !m->done_at && m->due_at < k->as_of;
	}
	db_done(st);
	if (rc != DB_DONE)
		return -1;
	cap = 0;
	if (!(st = db_query(d, "SELECT id, baseline, target, achieved, name, kind, uom FROM metric"
			       " WHERE tenant_id = $1 AND claim_id = $2 ORDER BY +id", "ii", tenant, k->id)))
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct claim_metric *m = ARENA_PUSH(a, k->metrics, k->nmetrics, cap);
		*m = (struct claim_metric){ db_col_int(st, 0), db_col_int(st, 1), db_col_int(st, 2), db_col_int(st, 3),
					    TXT(4), TXT(5), TXT(6), 0 };
		m->completion = completion_of(m->baseline, m->target, m->achieved);
	}
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

static int load_report_parts(db *d, arena *a, int64_t tenant, struct claim_report *r)
{
	db_stmt *st = db_query(d, "SELECT metric_id, value FROM progress_value WHERE tenant_id = $1 AND progress_id = $2"
				  " ORDER BY metric_id", "ii", tenant, r->id);
	int rc, cap = 0;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW)
		*ARENA_PUSH(a, r->values, r->nvalues, cap) = (struct claim_value){ db_col_int(st, 0), db_col_int(st, 1) };
	db_done(st);
	if (rc != DB_DONE)
		return -1;
	cap = 0;
	if (!(st = db_query(d, "SELECT id, size, sha256, name, mime FROM evidence WHERE tenant_id = $1 AND progress_id = $2"
			       " ORDER BY id", "ii", tenant, r->id)))
		return -1;
	while ((rc = db_step(st)) == DB_ROW)
		*ARENA_PUSH(a, r->files, r->nfiles, cap) =
			(struct claim_evidence){ db_col_int(st, 0), db_col_int(st, 1), TXT(2), TXT(3), TXT(4) };
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

static int load_reports(db *d, arena *a, int64_t tenant, struct claim_detail *k, bool internal)
{
	db_stmt *st = db_query(d, "SELECT r.id, r.at, r.kind, p.name, r.body, r.difficulties, r.help_needed, r.next_steps"
				  " FROM progress r JOIN person p ON p.tenant_id = r.tenant_id AND p.id = r.author_person_id"
				  " WHERE r.tenant_id = $1 AND r.claim_id = $2 AND (r.is_public <> 0 OR $3 <> 0)"
				  " ORDER BY r.at DESC, r.id DESC", "iii", tenant, k->id, (int64_t)internal);
	int rc, cap = 0;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct claim_report *r = ARENA_PUSH(a, k->progress, k->nprogress, cap);
		*r = (struct claim_report){ .id = db_col_int(st, 0), .at = db_col_int(st, 1), .kind = TXT(2),
					    .author = TXT(3), .text = TXT(4), .internal_shown = internal };
		r->difficulties = internal ? TXT(5) : "";
		r->help_needed = internal ? TXT(6) : "";
		r->next_steps = TXT(7);
	}
	db_done(st);
	if (rc != DB_DONE)
		return -1;
	for (int i = 0; i < k->nprogress; i++)
		if (load_report_parts(d, a, tenant, &k->progress[i]) < 0)
			return -1;
	return 0;
}

static int read_fail(struct ctx *c)
{
	return ctx_store_error(c);
}

int claim_get(struct ctx *c, int64_t id, struct claim_detail *out)
{
	int64_t tenant = c->who->tenant_id;
	db_stmt *st = db_query(c->d, detail_sql, "iii", tenant, id, c->now);
	bool public = false, internal;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!st)
		return read_fail(c);
	if ((rc = db_step(st)) == DB_ROW)
		detail_row(c->a, st, out, &public);
	db_done(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? ctx_fail(c, JB_ENOTFOUND, NULL, "not_found", "没有这项揭榜") : read_fail(c);
	if (load_members(c->d, c->a, tenant, out) < 0)
		return read_fail(c);
	out->rel = relation_of(c->who, out);
	internal = claim_reads_internal(c->who, out);
	if (!internal && !(public && out->state >= 0 && (claim_state_info[out->state].flags & CS_COUNTED)))
		return ctx_fail(c, JB_ENOTFOUND, NULL, "not_found", "没有这项揭榜");
	if (load_cooperators(c->d, c->a, tenant, out) < 0 || load_plan(c->d, c->a, tenant, out) < 0 ||
	    load_reports(c->d, c->a, tenant, out, internal) < 0 || claim_light_of(c->d, tenant, id, c->now, &out->light) < 0)
		return read_fail(c);
	return JB_OK;
}

/* ---- the claims of a problem ---- */

static const char list_sql[] =
	"SELECT k.id, k.applied_at, coalesce(k.deadline, 0), k.state, k.route, u.name, l.name, o.name,"
	" (SELECT count(*) FROM claim_member m WHERE m.tenant_id = k.tenant_id AND m.claim_id = k.id),"
	" (SELECT count(DISTINCT m.unit_id) FROM claim_member m WHERE m.tenant_id = k.tenant_id AND m.claim_id = k.id),"
	" (SELECT count(*) FROM milestone m WHERE m.tenant_id = k.tenant_id AND m.claim_id = k.id),"
	" (SELECT count(*) FROM metric m WHERE m.tenant_id = k.tenant_id AND m.claim_id = k.id),"
	" k.unit_id, coalesce(k.applicant_user_id, 0), k.owner_person_id, k.lead_person_id,"
	" (SELECT count(*) FROM claim_member m WHERE m.tenant_id = k.tenant_id AND m.claim_id = k.id AND m.person_id = $3),"
	" p.is_public, p.state"
	" FROM claim k JOIN problem p ON p.tenant_id = k.tenant_id AND p.id = k.problem_id"
	" JOIN unit u ON u.tenant_id = k.tenant_id AND u.id = k.unit_id"
	" JOIN person l ON l.tenant_id = k.tenant_id AND l.id = k.lead_person_id"
	" JOIN person o ON o.tenant_id = k.tenant_id AND o.id = k.owner_person_id"
	" WHERE k.tenant_id = $1 AND k.problem_id = $2 ORDER BY k.applied_at, k.id";

/* Whether the row st of list_sql is visible to who. */
static bool row_visible(const struct principal *who, db_stmt *st, int state)
{
	struct perm_target unit = { who->tenant_id, db_col_int(st, 12), 0, false };
	bool mine = (who->user_id && db_col_int(st, 13) == who->user_id) || db_col_int(st, 16) > 0;
	bool public = db_col_int(st, 17) != 0 && problem_state_has(db_col_text(st, 18), PS_PUBLIC);

	return mine || perm_check(who, "claim.approve", &unit) || perm_check(who, "problem.read_internal", &unit) ||
	       (public && state >= 0 && (claim_state_info[state].flags & CS_COUNTED));
}

int claim_list_for_problem(struct ctx *c, int64_t problem_id, struct claim_summary **out, int *n)
{
	int64_t tenant = c->who->tenant_id;
	db_stmt *st = db_query(c->d, list_sql, "iii", tenant, problem_id, c->who->person_id);
	arena *a = c->a;
	int rc, cap = 0;

	*out = NULL;
	*n = 0;
	if (!st)
		return read_fail(c);
	while ((rc = db_step(st)) == DB_ROW) {
		int state = claim_state_of(db_col_text(st, 3));
		struct claim_summary *s;
		if (!row_visible(c->who, st, state))
			continue;
		s = ARENA_PUSH(a, *out, *n, cap);
		*s = (struct claim_summary){ db_col_int(st, 0), db_col_int(st, 1), db_col_int(st, 2), state, TXT(4), TXT(5),
					     TXT(6), TXT(7), (int)db_col_int(st, 8), (int)db_col_int(st, 9),
					     (int)db_col_int(st, 10), (int)db_col_int(st, 11), LIGHT_NONE };
	}
	db_done(st);
	if (rc != DB_DONE)
		return read_fail(c);
	for (int i = 0; i < *n; i++)
		if (claim_light_of(c->d, tenant, (*out)[i].id, c->now, &(*out)[i].light) < 0)
			return read_fail(c);
	return JB_OK;
}
