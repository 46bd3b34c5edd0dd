/* region.c - a parent tenant's figures of the tenants under it (region.h). */
#include "domain/region.h"

#include <stddef.h>
#include <string.h>

#include "domain/claim.h"
#include "domain/state.h"
#include "domain/stats.h"

/* Every tenant under $1 with the direct child it is under (top). */
#define REGION_SUB \
	"WITH RECURSIVE sub(id, top) AS (SELECT id, id FROM tenant WHERE parent_id = $1" \
	" UNION ALL SELECT t.id, s.top FROM tenant t JOIN sub s ON t.parent_id = s.id) "

static const char children_sql[] =
	"SELECT t.id, t.slug, t.name, coalesce((SELECT min(h.host) FROM tenant_domain h WHERE h.tenant_id = t.id), '')"
	" FROM tenant t WHERE t.parent_id = $1 ORDER BY t.id";

static const char below_sql[] = REGION_SUB "SELECT top, count(*) - 1 FROM sub GROUP BY top";

/* Problems on the public board as stats_get counts them ($2: the state
 * accepted), from each tenant's few rows of tenant_tally (kind 0). */
static const char problems_sql[] =
	REGION_SUB "SELECT s.top, coalesce(sum(t.n), 0),"
	" coalesce(sum(CASE WHEN t.state IN " STATE_SQL_CLAIMED " THEN t.n ELSE 0 END), 0),"
	" coalesce(sum(CASE WHEN t.state IN " STATE_SQL_SOLVED " THEN t.n ELSE 0 END), 0),"
	" coalesce(sum(CASE WHEN t.state = $2 THEN t.n ELSE 0 END), 0)"
	" FROM sub s JOIN tenant_tally t ON t.tenant_id = s.id AND t.kind = 0 AND t.x = 1 AND t.state IN " STATE_SQL_PUBLIC
	" GROUP BY s.top";

/* Counted claims by state and stored light (tenant_tally kind 1). */
static const char claims_sql[] =
	REGION_SUB "SELECT s.top, t.state, t.x, sum(t.n) FROM sub s JOIN tenant_tally t ON t.tenant_id = s.id AND t.kind = 1"
	" WHERE t.state IN " STATE_SQL_COUNTED_CLAIMS " GROUP BY s.top, t.state, t.x HAVING sum(t.n) <> 0";

static const char promotions_sql[] =
	REGION_SUB "SELECT s.top, count(*) FROM sub s JOIN promotion pr ON pr.tenant_id = s.id GROUP BY s.top";

static const char practices_sql[] =
	REGION_SUB "SELECT s.top, count(*) FROM sub s JOIN practice x ON x.tenant_id = s.id AND x.state = 'adopted'"
	" GROUP BY s.top";

/* The tenants under $1 whose stored lights do not hold at $2. */
static const char stale_sql[] =
	REGION_SUB "SELECT s.id FROM sub s WHERE EXISTS (SELECT 1 FROM claim k WHERE k.tenant_id = s.id AND k.light_until <= $2)"
	" OR EXISTS (SELECT 1 FROM claim k WHERE k.tenant_id = s.id AND k.light_at > $2)";

static struct region_row *row_of(struct region *g, int64_t id)
{
	for (int i = 0; i < g->nrows; i++)
		if (g->rows[i].tenant_id == id)
			return &g->rows[i];
	return NULL;
}

/* Add sql's rows (top, then n integers) to the fields at offsets. */
static int add_rows(db *d, struct region *g, const char *sql, int64_t parent, const size_t *fields, int n)
{
	db_stmt *st;
	int rc;

	st = sql == problems_sql ? db_query(d, sql, "is", parent, problem_state_info[PROBLEM_ACCEPTED].code)
				 : db_query(d, sql, "i", parent);
	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct region_row *r = row_of(g, db_col_int(st, 0));
		for (int i = 0; r && i < n; i++)
			*(int64_t *)((char *)r + fields[i]) += db_col_int(st, i + 1);
	}
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

static int add_claims(db *d, struct region *g, int64_t parent)
{
	db_stmt *st = db_query(d, claims_sql, "i", parent);
	int rc;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct region_row *r = row_of(g, db_col_int(st, 0));
		if (r)
			stats_count_claims(claim_state_of(db_col_text(st, 1)), db_col_int(st, 2), db_col_int(st, 3),
					   &r->in_progress, r->lights);
	}
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

/* Work out the stale lights of the tenants under parent. */
static int keep_lights(db *d, int64_t parent, int64_t now)
{
	int64_t ids[64];
	int n = 0, rc;
	db_stmt *st = db_query(d, stale_sql, "ii", parent, now);

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW && n < 64)
		ids[n++] = db_col_int(st, 0);
	db_done(st);
	if (rc == DB_ERROR)
		return -1;
	for (int i = 0; i < n; i++)
		if (claim_lights_keep(d, ids[i], now) < 0)
			return -1;
	return n == 64 ? keep_lights(d, parent, now) : 0; /* more than 64: again, the done ones are fresh now */
}

static int read_children(db *d, arena *a, int64_t parent, struct region *g)
{
	db_stmt *st = db_query(d, children_sql, "i", parent);
	int rc, cap = 0;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW)
		*ARENA_PUSH(a, g->rows, g->nrows, cap) = (struct region_row){
			.tenant_id = db_col_int(st, 0), .slug = arena_strdup(a, db_col_text(st, 1)),
			.name = arena_strdup(a, db_col_text(st, 2)), .host = arena_strdup(a, db_col_text(st, 3)) };
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

int region_get(db *d, arena *a, int64_t parent, int64_t now, struct region *g)
{
	static const size_t below[] = { offsetof(struct region_row, below) },
			    problems[] = { offsetof(struct region_row, problems), offsetof(struct region_row, claimed),
					   offsetof(struct region_row, solved), offsetof(struct region_row, accepted) },
			    promotions[] = { offsetof(struct region_row, promotions) },
			    practices[] = { offsetof(struct region_row, practices_adopted) };

	memset(g, 0, sizeof(*g));
	if (keep_lights(d, parent, now) < 0 || db_begin(d, DB_READ) < 0)
		return -1;
	if (read_children(d, a, parent, g) < 0 || add_rows(d, g, below_sql, parent, below, 1) < 0 ||
	    add_rows(d, g, problems_sql, parent, problems, 4) < 0 || add_claims(d, g, parent) < 0 ||
	    add_rows(d, g, promotions_sql, parent, promotions, 1) < 0 ||
	    add_rows(d, g, practices_sql, parent, practices, 1) < 0) {
		db_rollback(d);
		return -1;
	}
	for (int i = 0; i < g->nrows; i++) {
		const struct region_row *r = &g->rows[i];
		struct region_row *t = &g->total;
		t->below += 1 + r->below;
		t->problems += r->problems;
		t->claimed += r->claimed;
		t->solved += r->solved;
		t->accepted += r->accepted;
		t->in_progress += r->in_progress;
		t->promotions += r->promotions;
		t->practices_adopted += r->practices_adopted;
		for (int l = 0; l < 6; l++)
			t->lights[l] += r->lights[l];
	}
	return db_commit(d);
}
