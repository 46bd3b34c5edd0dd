/* stats.c - aggregate queries behind the statistics page and API. */
#include "domain/stats.h"

#include <stdlib.h>
#include <string.h>

#include "domain/asof.h"
#include "domain/claim.h"
#include "domain/state.h"

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

static int rows(db *d, arena *a, const char *sql, int64_t tenant_id, int64_t batch_id,
		struct stat_row **out, int *n)
{
	db_stmt *st = db_prepare(d, sql);
	int cap = 0, rc;

	*out = NULL;
	*n = 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, tenant_id);
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

/* The lights of the counted claims (of the batch, 0: of every batch). */
static int count_lights(db *d, int64_t tenant_id, int64_t batch_id, int64_t now, struct stats *s)
{
	db_stmt *st = db_query(d, "SELECT k.id FROM claim k JOIN problem p ON p.tenant_id = k.tenant_id AND p.id = k.problem_id"
				  " WHERE k.tenant_id = $1 AND ($2 = 0 OR p.batch_id = $2) AND k.state IN "
				  STATE_SQL_COUNTED_CLAIMS " ORDER BY k.id", "ii", tenant_id, batch_id);
	int64_t *ids = NULL;
	int n = 0, cap = 0, rc;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		if (n == cap) {
			int64_t *g = realloc(ids, (size_t)(cap = cap ? 2 * cap : 64) * sizeof(*ids));
			if (!g) {
				rc = DB_ERROR;
				break;
			}
			ids = g;
		}
		ids[n++] = db_col_int(st, 0);
	}
	db_done(st);
	for (int i = 0; rc == DB_DONE && i < n; i++) {
		enum light l;
		if (claim_light_of(d, tenant_id, ids[i], now, &l) != 0)
			rc = DB_ERROR;
		else
			s->lights[l]++;
	}
	free(ids);
	return rc == DB_DONE ? 0 : -1;
}

int stats_get(db *d, arena *a, int64_t tenant_id, int64_t batch_id, int64_t now, struct stats *s)
{
	int rc;

	memset(s, 0, sizeof(*s));
	s->batch_id = batch_id;
	if (db_begin(d, DB_READ) < 0)
		return -1;
	if ((rc = batch_scope(d, a, tenant_id, batch_id, now, s)) != 0) {
		db_rollback(d);
		return rc;
	}
	if (rows(d, a, by_category_sql, tenant_id, batch_id, &s->by_category, &s->ncategory) < 0 ||
	    rows(d, a, by_state_sql, tenant_id, batch_id, &s->by_state, &s->nstate) < 0 ||
	    rows(d, a, units_sql, tenant_id, batch_id, &s->units, &s->nunits) < 0 ||
	    rows(d, a, cadres_sql, tenant_id, batch_id, &s->cadres, &s->ncadres) < 0 ||
	    db_scalar(d, promotions_sql, &s->promotions, 2, tenant_id, batch_id) < 0 ||
	    count_lights(d, tenant_id, batch_id, now, s) < 0) {
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
