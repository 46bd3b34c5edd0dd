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

/* In one pass over the tenants under $1: each direct child's count of
 * tenants below it (kind -1), and the sums of tenant_tally's rows of the
 * child and every tenant below it, by kind, state and x. */
static const char figures_sql[] =
	REGION_SUB "SELECT top, -1, '', 0, count(*) - 1 FROM sub GROUP BY top"
	" UNION ALL SELECT s.top, t.kind, t.state, t.x, sum(t.n) FROM sub s JOIN tenant_tally t ON t.tenant_id = s.id"
	" GROUP BY s.top, t.kind, t.state, t.x";

/* The tenants under $1 whose stored lights do not hold at $2. */
static const char stale_sql[] =
	REGION_SUB "SELECT s.id FROM sub s WHERE EXISTS (SELECT 1 FROM claim k WHERE k.tenant_id = s.id AND k.light_until <= $2)"
	" OR EXISTS (SELECT 1 FROM claim k WHERE k.tenant_id = s.id AND k.light_at > $2)";

/* The direct child id (g->rows are in id order), or NULL. */
static struct region_row *row_of(struct region *g, int64_t id)
{
	int lo = 0, hi = g->nrows - 1;

	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;
		if (g->rows[mid].tenant_id == id)
			return &g->rows[mid];
		if (g->rows[mid].tenant_id < id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

/* One row of figures_sql into r, counted as stats_get counts. */
static void add_figure(struct region_row *r, int kind, const char *state, int64_t x, int64_t n)
{
	int ps, cs;

	switch (kind) {
	case -1:
		r->below += n;
		break;
	case 0: /* problems on the public board */
		ps = problem_state_of(state);
		if (x != 1 || ps < 0 || !(problem_state_info[ps].flags & PS_PUBLIC))
			break;
		r->problems += n;
		r->claimed += problem_state_info[ps].flags & PS_CLAIMED ? n : 0;
		r->solved += problem_state_info[ps].flags & PS_SOLVED ? n : 0;
		r->accepted += ps == PROBLEM_ACCEPTED ? n : 0;
		break;
	case 1: /* counted claims by stored light */
		cs = claim_state_of(state);
		if (cs >= 0 && (claim_state_info[cs].flags & CS_COUNTED))
			stats_count_claims(cs, x, n, &r->in_progress, r->lights);
		break;
	case 2:
		r->promotions += n;
		break;
	case 3:
		r->practices_adopted += !strcmp(state, "adopted") ? n : 0;
		break;
	}
}

static int add_figures(db *d, struct region *g, int64_t parent)
{
	db_stmt *st = db_query(d, figures_sql, "i", parent);
	int rc;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct region_row *r = row_of(g, db_col_int(st, 0));
		if (r)
			add_figure(r, (int)db_col_int(st, 1), db_col_text(st, 2), db_col_int(st, 3), db_col_int(st, 4));
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
	memset(g, 0, sizeof(*g));
	if (keep_lights(d, parent, now) < 0 || db_begin(d, DB_READ) < 0)
		return -1;
	if (read_children(d, a, parent, g) < 0 || add_figures(d, g, parent) < 0) {
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
