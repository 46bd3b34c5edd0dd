/* stats.c - aggregate queries behind the statistics page and API. */
#include "domain/stats.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "domain/asof.h"
#include "domain/claim.h"
#include "domain/state.h"
#include "util/civil.h"

/* Each query takes $1 tenant, $2 batch (0: all) and yields code, total[,
 * claimed, solved]. */
/* From problem_tally, which the store keeps in step with problem. */
static const char by_category_sql[] =
	"SELECT cat.name, coalesce(sum(t.n), 0),"
	" coalesce(sum(CASE WHEN t.state IN " STATE_SQL_CLAIMED " THEN t.n ELSE 0 END), 0),"
	" coalesce(sum(CASE WHEN t.state IN " STATE_SQL_SOLVED " THEN t.n ELSE 0 END), 0)"
	" FROM category cat"
	" LEFT JOIN problem_tally t ON t.tenant_id = cat.tenant_id AND t.category_id = cat.id"
	"   AND t.is_public = 1 AND t.state IN " STATE_SQL_PUBLIC " AND ($2 = 0 OR t.batch_id = $2)"
	" WHERE cat.tenant_id = $1"
	" GROUP BY cat.id, cat.name, cat.position ORDER BY cat.position, cat.id";

static const char by_state_sql[] =
	"SELECT t.state, sum(t.n) FROM problem_tally t"
	" WHERE t.tenant_id = $1 AND t.is_public = 1 AND t.state IN " STATE_SQL_PUBLIC
	" AND ($2 = 0 OR t.batch_id = $2)"
	" GROUP BY t.state HAVING sum(t.n) > 0 ORDER BY t.state";

static const char units_sql[] =
	"SELECT u.kind, count(DISTINCT c.unit_id) FROM claim c"
	" JOIN unit u ON u.tenant_id = c.tenant_id AND u.id = c.unit_id"
	" JOIN problem p ON p.tenant_id = c.tenant_id AND p.id = c.problem_id"
	" WHERE c.tenant_id = $1 AND c.state IN " STATE_SQL_COUNTED_CLAIMS " AND ($2 = 0 OR p.batch_id = $2)"
	" GROUP BY u.kind ORDER BY u.kind";

static const char cadres_sql[] =
	"SELECT pe.rank, count(DISTINCT m.person_id) FROM claim_member m"
	" JOIN claim c ON c.tenant_id = m.tenant_id AND c.id = m.claim_id"
	" JOIN person pe ON pe.tenant_id = m.tenant_id AND pe.id = m.person_id"
	" JOIN problem p ON p.tenant_id = c.tenant_id AND p.id = c.problem_id"
	" WHERE m.tenant_id = $1 AND c.state IN " STATE_SQL_COUNTED_CLAIMS " AND ($2 = 0 OR p.batch_id = $2)"
	" GROUP BY pe.rank ORDER BY pe.rank";

static const char promotions_sql[] =
	"SELECT count(*) FROM promotion pr"
	" LEFT JOIN claim c ON c.tenant_id = pr.tenant_id AND c.id = pr.claim_id"
	" LEFT JOIN problem p ON p.tenant_id = c.tenant_id AND p.id = c.problem_id"
	" WHERE pr.tenant_id = $1 AND ($2 = 0 OR p.batch_id = $2)";

/* The same figures from the claim tallies (schema.c m11), which the store
 * keeps in step with claim, claim_member and problem. */
static const char units_tally_sql[] =
	"SELECT u.kind, count(DISTINCT t.unit_id) FROM claim_tally t"
	" JOIN unit u ON u.tenant_id = t.tenant_id AND u.id = t.unit_id"
	" WHERE t.tenant_id = $1 AND t.state IN " STATE_SQL_COUNTED_CLAIMS " AND ($2 = 0 OR t.batch_id = $2) AND t.n > 0"
	" GROUP BY u.kind ORDER BY u.kind";

static const char cadres_tally_sql[] =
	"SELECT pe.rank, count(DISTINCT t.person_id) FROM claim_member_tally t"
	" JOIN person pe ON pe.tenant_id = t.tenant_id AND pe.id = t.person_id"
	" WHERE t.tenant_id = $1 AND ($2 = 0 OR t.batch_id = $2) AND t.n > 0"
	" GROUP BY pe.rank ORDER BY pe.rank";

/* Problems on the board by batch, every batch, newest first ($1 tenant). */
static const char by_batch_sql[] =
	"SELECT b.name, coalesce(sum(t.n), 0),"
	" coalesce(sum(CASE WHEN t.state IN " STATE_SQL_CLAIMED " THEN t.n ELSE 0 END), 0),"
	" coalesce(sum(CASE WHEN t.state IN " STATE_SQL_SOLVED " THEN t.n ELSE 0 END), 0)"
	" FROM batch b"
	" LEFT JOIN problem_tally t ON t.tenant_id = b.tenant_id AND t.batch_id = b.id"
	"   AND t.is_public = 1 AND t.state IN " STATE_SQL_PUBLIC
	" WHERE b.tenant_id = $1 GROUP BY b.id, b.name ORDER BY b.id DESC";

/* Adopted practices ($1 tenant, $2 batch, 0: all): of a batch, those
 * drawn from one of its claims. */
static const char practices_sql[] =
	"SELECT count(*) FROM practice x WHERE x.tenant_id = $1 AND x.state = 'adopted' AND ($2 = 0 OR EXISTS ("
	" SELECT 1 FROM practice_claim pc JOIN claim k ON k.tenant_id = pc.tenant_id AND k.id = pc.claim_id"
	" JOIN problem p ON p.tenant_id = k.tenant_id AND p.id = k.problem_id"
	" WHERE pc.tenant_id = x.tenant_id AND pc.practice_id = x.id AND p.batch_id = $2))";

/* A claim's score counts once its result is final (claim.final_at: after
 * its public notice), as the cadre record shows it. */
#define FINAL_SQL(k) k ".final_at IS NOT NULL AND " k ".score IS NOT NULL AND " k ".state = " STATE_SQL_ACCEPTED_CLAIM
#define GRADE_SUM(g) " sum(CASE WHEN k.grade = '" g "' THEN 1 ELSE 0 END)"

/* Final scores by category ($1 tenant, $2 batch), in category order:
 * name, scored, score sum, then the four grades (rubric.h grades[]). */
static const char grades_sql[] =
	"SELECT cat.name, coalesce(g.n, 0), coalesce(g.s, 0), coalesce(g.e, 0), coalesce(g.o, 0), coalesce(g.p, 0),"
	" coalesce(g.f, 0) FROM category cat LEFT JOIN ("
	" SELECT p.category_id AS cid, count(*) AS n, sum(k.score) AS s," GRADE_SUM("excellent") " AS e,"
	GRADE_SUM("good") " AS o," GRADE_SUM("pass") " AS p," GRADE_SUM("fail") " AS f"
	" FROM claim k JOIN problem p ON p.tenant_id = k.tenant_id AND p.id = k.problem_id"
	" WHERE k.tenant_id = $1 AND ($2 = 0 OR p.batch_id = $2) AND " FINAL_SQL("k")
	" GROUP BY p.category_id) g ON g.cid = cat.id"
	" WHERE cat.tenant_id = $1 ORDER BY cat.position, cat.id";

#define TALLY_GRADE(g) " sum(CASE WHEN t.grade = '" g "' THEN t.n ELSE 0 END)"
static const char grades_tally_sql[] =
	"SELECT cat.name, coalesce(g.n, 0), coalesce(g.s, 0), coalesce(g.e, 0), coalesce(g.o, 0), coalesce(g.p, 0),"
	" coalesce(g.f, 0) FROM category cat LEFT JOIN ("
	" SELECT t.category_id AS cid, sum(t.n) AS n, sum(t.score_sum) AS s," TALLY_GRADE("excellent") " AS e,"
	TALLY_GRADE("good") " AS o," TALLY_GRADE("pass") " AS p," TALLY_GRADE("fail") " AS f"
	" FROM claim_tally t WHERE t.tenant_id = $1 AND ($2 = 0 OR t.batch_id = $2) AND t.final = 1"
	" GROUP BY t.category_id) g ON g.cid = cat.id"
	" WHERE cat.tenant_id = $1 ORDER BY cat.position, cat.id";

/* The unit table ($1 tenant, $2 batch): counted claims by claiming unit,
 * most first. */
static const char unit_table_sql[] =
	"SELECT u.id, u.name, u.kind, count(*),"
	" sum(CASE WHEN k.state IN " STATE_SQL_SOLVED_CLAIMS " THEN 1 ELSE 0 END),"
	" sum(CASE WHEN k.state = " STATE_SQL_ACCEPTED_CLAIM " THEN 1 ELSE 0 END),"
	" sum(CASE WHEN " FINAL_SQL("k") " THEN 1 ELSE 0 END),"
	" coalesce(sum(CASE WHEN " FINAL_SQL("k") " THEN k.score ELSE 0 END), 0)"
	" FROM claim k JOIN problem p ON p.tenant_id = k.tenant_id AND p.id = k.problem_id"
	" JOIN unit u ON u.tenant_id = k.tenant_id AND u.id = k.unit_id"
	" WHERE k.tenant_id = $1 AND ($2 = 0 OR p.batch_id = $2) AND k.state IN " STATE_SQL_COUNTED_CLAIMS
	" GROUP BY u.id, u.name, u.kind ORDER BY count(*) DESC, u.id";

static const char unit_table_tally_sql[] =
	"SELECT u.id, u.name, u.kind, sum(t.n),"
	" sum(CASE WHEN t.state IN " STATE_SQL_SOLVED_CLAIMS " THEN t.n ELSE 0 END),"
	" sum(CASE WHEN t.state = " STATE_SQL_ACCEPTED_CLAIM " THEN t.n ELSE 0 END),"
	" sum(CASE WHEN t.final = 1 THEN t.n ELSE 0 END), coalesce(sum(t.score_sum), 0)"
	" FROM claim_tally t JOIN unit u ON u.tenant_id = t.tenant_id AND u.id = t.unit_id"
	" WHERE t.tenant_id = $1 AND ($2 = 0 OR t.batch_id = $2) AND t.state IN " STATE_SQL_COUNTED_CLAIMS
	" GROUP BY u.id, u.name, u.kind HAVING sum(t.n) > 0 ORDER BY sum(t.n) DESC, u.id";

/* Claims approved, solved, accepted by local day (civil.h, UTC+8) up to
 * $3 ($1 tenant, $2 batch): kind (0, 1, 2), day number, count. */
#define DAY_SQL(col) "(k." col " + 28800) / 86400"
#define EVENTS_SQL(kind, col, states) EVENTS_FROM_SQL(kind, col, states, "")
#define EVENTS_FROM_SQL(kind, col, states, from) \
	"SELECT " kind ", " DAY_SQL(col) ", count(*) FROM claim k" \
	" JOIN problem p ON p.tenant_id = k.tenant_id AND p.id = k.problem_id" \
	" WHERE k.tenant_id = $1 AND ($2 = 0 OR p.batch_id = $2) AND k.state IN " states \
	" AND k." col " IS NOT NULL AND k." col " <= $3" from " GROUP BY " DAY_SQL(col)
static const char months_sql[] =
	EVENTS_SQL("0", "approved_at", STATE_SQL_COUNTED_CLAIMS)
	" UNION ALL " EVENTS_SQL("1", "solved_at", STATE_SQL_SOLVED_CLAIMS)
	" UNION ALL " EVENTS_SQL("2", "accepted_at", "(" STATE_SQL_ACCEPTED_CLAIM ")")
	" ORDER BY 1, 2";
/* The same from claim_day_tally for the days before $3's, and from the
 * claims of $3's own day up to $3 ($4: the start of that day), which the
 * indexes claim_approved, claim_solved and claim_accepted find. */
#define TODAY_SQL(kind, col, states) EVENTS_FROM_SQL(kind, col, states, " AND k." col " >= $4")
static const char months_tally_sql[] =
	"SELECT t.kind, t.day, sum(t.n) FROM claim_day_tally t WHERE t.tenant_id = $1 AND ($2 = 0 OR t.batch_id = $2)"
	" AND t.day < (CAST($3 AS BIGINT) + 28800) / 86400 GROUP BY t.kind, t.day HAVING sum(t.n) <> 0"
	" UNION ALL " TODAY_SQL("0", "approved_at", STATE_SQL_COUNTED_CLAIMS)
	" UNION ALL " TODAY_SQL("1", "solved_at", STATE_SQL_SOLVED_CLAIMS)
	" UNION ALL " TODAY_SQL("2", "accepted_at", "(" STATE_SQL_ACCEPTED_CLAIM ")")
	" ORDER BY 1, 2";

/* The batch's name and as-of moment ($1 tenant, $2 batch, 0: all; $3 now):
 * the same moment the board and the problem page judge overdue at. */
static const char batch_sql[] =
	"SELECT b.name, " BATCH_AS_OF_SQL("b", "$3") " FROM batch b WHERE b.tenant_id = $1 AND ($2 = 0 OR b.id = $2)";

/* Name and as-of moment of the batch (or all batches) into s; 1 when the
 * batch does not exist. */
static int batch_scope(db *d, arena *a, int64_t tenant_id, int64_t batch_id, int64_t now, struct stats *s)
{
	db_stmt *st = db_prepare(d, batch_sql);
	int rc, n = 0;

	if (!st)
		return -1;
	db_bind_int(st, 1, tenant_id);
	db_bind_int(st, 2, batch_id);
	db_bind_int(st, 3, now);
	s->as_of = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t at = db_col_int(st, 1);
		if (batch_id)
			s->batch = arena_strdup(a, db_col_text(st, 0));
		if (at > s->as_of)
			s->as_of = at;
		n++;
	}
	db_done(st);
	if (rc == DB_ERROR)
		return -1;
	if (!n)
		s->as_of = now;
	return batch_id && !n ? 1 : 0;
}

/* Rows of code, total[, claimed, solved]; sql takes $1 tenant and, with
 * nargs 2, $2 batch. */
static int rows(db *d, arena *a, const char *sql, int nargs, int64_t tenant_id, int64_t batch_id,
		struct stat_row **out, int *n)
{
	db_stmt *st = db_prepare(d, sql);
	int cap = 0, rc;

	*out = NULL;
	*n = 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, tenant_id);
	if (nargs > 1)
		db_bind_int(st, 2, batch_id);
	while ((rc = db_step(st)) == DB_ROW) {
		struct stat_row *r = ARENA_PUSH(a, *out, *n, cap);
		r->code = arena_strdup(a, db_col_text(st, 0));
		r->total = db_col_int(st, 1);
		if (db_ncols(st) > 2) {
			r->claimed = db_col_int(st, 2);
			r->solved = db_col_int(st, 3);
		}
	}
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

const struct stat_row *stats_find(const struct stat_row *r, int n, const char *code)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(r[i].code, code))
			return &r[i];
	return NULL;
}

/* The unit table's line of unit_id, or NULL (the table is small: units). */
static struct stat_unit *unit_line(struct stats *s, int64_t unit_id)
{
	for (int i = 0; i < s->nunit_table; i++)
		if (s->unit_table[i].unit_id == unit_id)
			return &s->unit_table[i];
	return NULL;
}

static int unit_table(db *d, arena *a, int64_t tenant_id, int64_t batch_id, bool tally, struct stats *s)
{
	db_stmt *st = db_query(d, tally ? unit_table_tally_sql : unit_table_sql, "ii", tenant_id, batch_id);
	int rc, cap = 0;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct stat_unit *u = ARENA_PUSH(a, s->unit_table, s->nunit_table, cap);
		memset(u, 0, sizeof(*u));
		u->unit_id = db_col_int(st, 0);
		u->name = arena_strdup(a, db_col_text(st, 1));
		u->kind = arena_strdup(a, db_col_text(st, 2));
		u->claimed = db_col_int(st, 3);
		u->solved = db_col_int(st, 4);
		u->accepted = db_col_int(st, 5);
		u->scored = db_col_int(st, 6);
		u->score_sum = db_col_int(st, 7);
	}
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

/* Whole days a red claim is past the earliest date it missed at its
 * batch's as-of moment (0: red by a risk mark alone). */
static int64_t days_over(const struct light_in *in)
{
	int64_t missed = 0;

	if (in->deadline && in->deadline < in->as_of)
		missed = in->deadline;
	if (in->next_due && in->next_due < in->as_of && (!missed || in->next_due < missed))
		missed = in->next_due;
	return missed ? (in->as_of - missed) / 86400 : 0;
}

static int by_days_over(const void *x, const void *y)
{
	const struct stat_overdue *a = x, *b = y;

	if (a->days_over != b->days_over)
		return a->days_over > b->days_over ? -1 : 1;
	return a->claim_id < b->claim_id ? -1 : a->claim_id > b->claim_id;
}

/* The title and unit of the listed overdue claims. */
static int overdue_names(db *d, arena *a, int64_t tenant_id, struct stats *s)
{
	for (int i = 0; i < s->noverdue; i++) {
		struct stat_overdue *o = &s->overdue[i];
		db_stmt *st = db_query(d, "SELECT p.title, u.name FROM claim k"
					  " JOIN problem p ON p.tenant_id = k.tenant_id AND p.id = k.problem_id"
					  " JOIN unit u ON u.tenant_id = k.tenant_id AND u.id = k.unit_id"
					  " WHERE k.tenant_id = $1 AND k.id = $2", "ii", tenant_id, o->claim_id);
		int rc;
		if (!st)
			return -1;
		if ((rc = db_step(st)) == DB_ROW) {
			o->title = arena_strdup(a, db_col_text(st, 0));
			o->unit = arena_strdup(a, db_col_text(st, 1));
		}
		db_done(st);
		if (rc == DB_ERROR)
			return -1;
	}
	return 0;
}

/* The lights of the counted claims (of the batch, 0: of every batch) at
 * `at`, with in_progress, the overdue list and the unit table's overdue. */
static int count_lights(db *d, arena *a, int64_t tenant_id, int64_t batch_id, int64_t at, struct stats *s)
{
	struct claim_lit *lit;
	struct stat_overdue *red;
	int n, nred = 0;

	if (claim_lights(d, a, tenant_id, batch_id, at, &lit, &n) < 0)
		return -1;
	red = arena_alloc(a, (size_t)(n ? n : 1) * sizeof(*red));
	for (int i = 0; i < n; i++) {
		const struct claim_lit *k = &lit[i];
		s->lights[k->light]++;
		if (k->in.state >= 0 && (claim_state_info[k->in.state].flags & CS_WORKING))
			s->in_progress++;
		if (k->light != LIGHT_RED)
			continue;
		struct stat_unit *u = unit_line(s, k->unit_id);
		if (u)
			u->overdue++;
		red[nred++] = (struct stat_overdue){ .claim_id = k->claim_id, .problem_id = k->problem_id,
						     .deadline = k->in.deadline, .days_over = days_over(&k->in) };
	}
	qsort(red, (size_t)nred, sizeof(*red), by_days_over);
	s->overdue = red;
	s->noverdue = nred < STATS_OVERDUE_MAX ? nred : STATS_OVERDUE_MAX;
	return overdue_names(d, a, tenant_id, s);
}

/* ---- the lights from claim_tally (claim.light kept by claim_light.c) ---- */

/* Counted claims by state and stored light ($1 tenant, $2 batch, 0: all). */
static const char lights_tally_sql[] =
	"SELECT t.state, t.light, sum(t.n) FROM claim_tally t WHERE t.tenant_id = $1 AND ($2 = 0 OR t.batch_id = $2)"
	" AND t.state IN " STATE_SQL_COUNTED_CLAIMS " GROUP BY t.state, t.light HAVING sum(t.n) <> 0";

/* Red working claims by unit ($1 tenant, $2 batch, $3 LIGHT_RED). */
static const char red_units_sql[] =
	"SELECT t.unit_id, sum(t.n) FROM claim_tally t WHERE t.tenant_id = $1 AND ($2 = 0 OR t.batch_id = $2)"
	" AND t.light = $3 AND t.state IN " STATE_SQL_WORKING_CLAIMS " GROUP BY t.unit_id";

/* Red working claims of batch $2 ($1 tenant, $3 LIGHT_RED) by the date
 * they missed (index claim_red): the first such date after $4, then the
 * claims that missed it, fewest ids first, at most STATS_OVERDUE_MAX
 * (more of them could not be listed); with $4 = 0 and $5 = 0 those red by
 * a risk mark alone. */
static const char red_next_sql[] =
	"SELECT coalesce(min(k.overdue_since), 0) FROM claim k WHERE k.tenant_id = $1 AND k.light = $3 AND k.light_batch_id = $2"
	" AND k.overdue_since > $4 AND k.state IN " STATE_SQL_WORKING_CLAIMS;
static const char red_sql[] =
	"SELECT k.id, k.problem_id, coalesce(k.deadline, 0), p.title, u.name FROM claim k"
	" JOIN problem p ON p.tenant_id = k.tenant_id AND p.id = k.problem_id"
	" JOIN unit u ON u.tenant_id = k.tenant_id AND u.id = k.unit_id"
	" WHERE k.tenant_id = $1 AND k.light = $3 AND k.light_batch_id = $2 AND k.overdue_since = $4"
	" AND k.state IN " STATE_SQL_WORKING_CLAIMS " ORDER BY k.id LIMIT " STATS_OVERDUE_MAX_SQL;

void stats_count_claims(int state, int64_t light, int64_t n, int64_t *in_progress, int64_t by_light[6])
{
	if (state >= 0 && (claim_state_info[state].flags & CS_WORKING)) {
		*in_progress += n;
		if (light >= 0 && light < 6)
			by_light[light] += n;
	} else {
		struct light_in in = { .state = state };
		by_light[claim_light(&in)] += n;
	}
}

/* The lights, in_progress and the unit table's overdue from the tallies. */
static int tally_lights(db *d, int64_t tenant_id, int64_t batch_id, struct stats *s)
{
	db_stmt *st = db_query(d, lights_tally_sql, "ii", tenant_id, batch_id);
	int rc;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW)
		stats_count_claims(claim_state_of(db_col_text(st, 0)), db_col_int(st, 1), db_col_int(st, 2), &s->in_progress,
				   s->lights);
	db_done(st);
	if (rc != DB_DONE || !s->nunit_table)
		return rc == DB_DONE ? 0 : -1;
	if (!(st = db_query(d, red_units_sql, "iii", tenant_id, batch_id, (int64_t)LIGHT_RED)))
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct stat_unit *u = unit_line(s, db_col_int(st, 0));
		if (u)
			u->overdue += db_col_int(st, 1);
	}
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

/* The red claims of batch that missed `since` (0: red by a risk mark),
 * days_over as of as_of, appended to red; how many. */
static int red_of(db *d, arena *a, int64_t tenant_id, int64_t batch, int64_t since, int64_t as_of,
		  struct stat_overdue **red, int *n, int *cap)
{
	db_stmt *st = db_query(d, red_sql, "iiii", tenant_id, batch, (int64_t)LIGHT_RED, since);
	int64_t days = since ? (as_of - since) / 86400 : 0;
	int got = 0, rc;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct stat_overdue *o = ARENA_PUSH(a, *red, *n, *cap);
		*o = (struct stat_overdue){ .claim_id = db_col_int(st, 0), .problem_id = db_col_int(st, 1),
					    .deadline = db_col_int(st, 2), .days_over = days,
					    .title = arena_strdup(a, db_col_text(st, 3)),
					    .unit = arena_strdup(a, db_col_text(st, 4)) };
		got++;
	}
	db_done(st);
	return rc == DB_DONE ? got : -1;
}

/* The red claims of one batch (as of its as-of moment as_of) that may be
 * among the STATS_OVERDUE_MAX most days over, appended to red: date by
 * missed date, earliest first, until that many are found and the next date
 * is fewer days over (its claims could only follow); then, while the days
 * over have not come down to 0, those red by a risk mark alone. */
static int batch_red(db *d, arena *a, int64_t tenant_id, int64_t batch, int64_t as_of, struct stat_overdue **red,
		     int *n, int *cap)
{
	int64_t since = 0, last = -1;
	int got = 0, k;

	for (;;) {
		int64_t next = 0;
		if (db_scalar(d, red_next_sql, &next, 4, tenant_id, batch, (int64_t)LIGHT_RED, since) < 0)
			return -1;
		if (next <= 0)
			break;
		int64_t days = (as_of - next) / 86400;
		if (got >= STATS_OVERDUE_MAX && days < last)
			return 0;
		if ((k = red_of(d, a, tenant_id, batch, next, as_of, red, n, cap)) < 0)
			return -1;
		got += k;
		last = days;
		since = next;
	}
	if (got >= STATS_OVERDUE_MAX && last > 0)
		return 0;
	return red_of(d, a, tenant_id, batch, 0, as_of, red, n, cap) < 0 ? -1 : 0;
}

/* The overdue list from the stored lights: each batch's most days over. */
static int tally_overdue(db *d, arena *a, int64_t tenant_id, int64_t batch_id, int64_t at, struct stats *s)
{
	db_stmt *st = db_query(d, "SELECT b.id, " BATCH_AS_OF_SQL("b", "$3") " FROM batch b"
				  " WHERE b.tenant_id = $1 AND ($2 = 0 OR b.id = $2) ORDER BY b.id",
			       "iii", tenant_id, batch_id, at);
	int64_t(*batches)[2] = NULL;
	struct stat_overdue *red = NULL;
	int rc, nb = 0, bcap = 0, nred = 0, cap = 0;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t(*b)[2] = ARENA_PUSH(a, batches, nb, bcap);
		(*b)[0] = db_col_int(st, 0);
		(*b)[1] = db_col_int(st, 1);
	}
	db_done(st);
	if (rc != DB_DONE)
		return -1;
	for (int i = 0; i < nb; i++)
		if (batch_red(d, a, tenant_id, batches[i][0], batches[i][1], &red, &nred, &cap) < 0)
			return -1;
	if (nred)
		qsort(red, (size_t)nred, sizeof(*red), by_days_over);
	s->overdue = red;
	s->noverdue = nred < STATS_OVERDUE_MAX ? nred : STATS_OVERDUE_MAX;
	return 0;
}

/* The month ("YYYY-MM") of local day z. */
static const char *month_of(arena *a, int64_t z)
{
	int64_t y, m, day;

	civil_from_days(z, &y, &m, &day);
	return arena_printf(a, "%04lld-%02lld", (long long)y, (long long)m);
}

/* Claims approved, solved and accepted by month, up to s->as_of. */
static int months(db *d, arena *a, int64_t tenant_id, int64_t batch_id, bool tally, struct stats *s)
{
	int64_t day_start = (s->as_of + 28800) / 86400 * 86400 - 28800;
	db_stmt *st = tally ? db_query(d, months_tally_sql, "iiii", tenant_id, batch_id, s->as_of, day_start)
			    : db_query(d, months_sql, "iii", tenant_id, batch_id, s->as_of);
	int rc, cap = 0;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		int kind = (int)db_col_int(st, 0);
		const char *month = month_of(a, db_col_int(st, 1));
		struct stat_month *m = NULL;
		/* few months: find it, else insert it in order */
		for (int i = 0; i < s->nmonths; i++)
			if (!strcmp(s->months[i].month, month))
				m = &s->months[i];
		if (!m) {
			int at = s->nmonths;
			ARENA_PUSH(a, s->months, s->nmonths, cap);
			while (at > 0 && strcmp(s->months[at - 1].month, month) > 0) {
				s->months[at] = s->months[at - 1];
				at--;
			}
			m = &s->months[at];
			*m = (struct stat_month){ .month = month };
		}
		int64_t v = db_col_int(st, 2);
		if (kind == 0)
			m->claimed += v;
		else if (kind == 1)
			m->solved += v;
		else
			m->accepted += v;
	}
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

static int grades(db *d, arena *a, int64_t tenant_id, int64_t batch_id, bool tally, struct stats *s)
{
	db_stmt *st = db_query(d, tally ? grades_tally_sql : grades_sql, "ii", tenant_id, batch_id);
	int rc, cap = 0;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct stat_grades *g = ARENA_PUSH(a, s->grades, s->ngrades, cap);
		g->category = arena_strdup(a, db_col_text(st, 0));
		g->scored = db_col_int(st, 1);
		g->score_sum = db_col_int(st, 2);
		s->scored += g->scored;
		s->score_sum += g->score_sum;
		for (int i = 0; i < 4; i++) {
			g->grade[i] = db_col_int(st, 3 + i);
			s->grade[i] += g->grade[i];
		}
	}
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

int stats_get(db *d, arena *a, int64_t tenant_id, int64_t batch_id, int64_t now, int64_t as_of, unsigned flags,
	      struct stats *s)
{
	int64_t at = as_of > 0 && as_of < now ? as_of : now;
	bool tally = at == now && !(flags & STATS_FULL);
	int rc, lit = 0;

	memset(s, 0, sizeof(*s));
	s->batch_id = batch_id;
	/* the stored lights are brought up to now first, in their own
	 * transactions; inside a caller's transaction they are used only if
	 * they already hold, else counted from the claims */
	if (tally && !db_in_txn(d) && claim_lights_keep(d, tenant_id, now) < 0)
		return -1;
	if (db_begin(d, DB_READ) < 0)
		return -1;
	if ((rc = batch_scope(d, a, tenant_id, batch_id, at, s)) != 0) {
		db_rollback(d);
		return rc;
	}
	if (rows(d, a, by_category_sql, 2, tenant_id, batch_id, &s->by_category, &s->ncategory) < 0 ||
	    rows(d, a, by_state_sql, 2, tenant_id, batch_id, &s->by_state, &s->nstate) < 0 ||
	    rows(d, a, tally ? units_tally_sql : units_sql, 2, tenant_id, batch_id, &s->units, &s->nunits) < 0 ||
	    rows(d, a, tally ? cadres_tally_sql : cadres_sql, 2, tenant_id, batch_id, &s->cadres, &s->ncadres) < 0 ||
	    rows(d, a, by_batch_sql, 1, tenant_id, 0, &s->by_batch, &s->nbatch) < 0 ||
	    db_scalar(d, promotions_sql, &s->promotions, 2, tenant_id, batch_id) < 0 ||
	    db_scalar(d, practices_sql, &s->practices_adopted, 2, tenant_id, batch_id) < 0 ||
	    ((flags & STATS_UNITS) && unit_table(d, a, tenant_id, batch_id, tally, s) < 0) ||
	    (lit = tally ? claim_lights_fresh(d, tenant_id, now) : 0) < 0 ||
	    (lit ? tally_lights(d, tenant_id, batch_id, s) < 0 || tally_overdue(d, a, tenant_id, batch_id, at, s) < 0
		 : count_lights(d, a, tenant_id, batch_id, at, s) < 0) ||
	    months(d, a, tenant_id, batch_id, tally, s) < 0 ||
	    grades(d, a, tenant_id, batch_id, tally, s) < 0) {
		db_rollback(d);
		return -1;
	}
	for (int i = 0; i < s->ncategory; i++) {
		s->problems += s->by_category[i].total;
		s->claimed += s->by_category[i].claimed;
		s->solved += s->by_category[i].solved;
	}
	const struct stat_row *acc = stats_find(s->by_state, s->nstate, problem_state_info[PROBLEM_ACCEPTED].code);
	s->accepted = acc ? acc->total : 0;
	return db_commit(d);
}

int64_t stats_average(int64_t score_sum, int64_t scored)
{
	return scored > 0 ? (score_sum + scored / 2) / scored : -1;
}
