/* region.c - a parent tenant's figures of the tenants under it (region.h).
 *
 * Each direct child's figures are read from the tallies of the child and
 * every tenant below it. They change only when one of those tenants
 * changes — its data version goes up in every write's transaction
 * (action.c) and with the operator's edits (tenant_admin.c) — or when a
 * stored light below comes to its end (light_until; claim_lights_keep then
 * works it out again with no version moving). So with a cache, each
 * child's figures are kept with what they depend on, and a read sums the
 * kept rows after one query over the tenants under the parent, reading
 * again only the children that moved: a write in one county costs the
 * next read of a province one county's tallies, not a thousand. */
#include "domain/region.h"

#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "domain/claim.h"
#include "domain/state.h"
#include "domain/stats.h"

/* Every tenant under $1 with the direct child it is under (top). */
#define REGION_SUB \
	"WITH RECURSIVE sub(id, top) AS (SELECT id, id FROM tenant WHERE parent_id = $1" \
	" UNION ALL SELECT t.id, s.top FROM tenant t JOIN sub s ON t.parent_id = s.id) "
/* Tenant $1 and every tenant under it (top: $1). */
#define CHILD_SUB \
	"WITH RECURSIVE sub(id, top) AS (SELECT CAST($1 AS BIGINT), CAST($1 AS BIGINT)" \
	" UNION ALL SELECT t.id, s.top FROM tenant t JOIN sub s ON t.parent_id = s.id) "

/* The direct children of $1, or child $1 alone. */
#define CHILD_COLS \
	"SELECT t.id, t.slug, t.name, coalesce((SELECT min(h.host) FROM tenant_domain h WHERE h.tenant_id = t.id), '')" \
	" FROM tenant t"
static const char children_sql[] = CHILD_COLS " WHERE t.parent_id = $1 ORDER BY t.id";
static const char child_sql[] = CHILD_COLS " WHERE t.id = $1";

/* Per child (top): how many tenants it and those below it are, which (the
 * sum of their ids), their data versions summed, and the first moment a
 * stored light among them comes to its end. */
#define DEPENDS_COLS \
	"SELECT s.top, count(*), sum(s.id), sum(t.data_version)," \
	" coalesce(min((SELECT min(k.light_until) FROM claim k WHERE k.tenant_id = s.id)), 9223372036854775807)" \
	" FROM sub s JOIN tenant t ON t.id = s.id GROUP BY s.top ORDER BY s.top"
static const char depends_sql[] = REGION_SUB DEPENDS_COLS;
static const char child_depends_sql[] = CHILD_SUB DEPENDS_COLS;
/* The same without the lights: what a kept answer is checked against. */
static const char versions_sql[] =
	REGION_SUB "SELECT s.top, count(*), sum(s.id), sum(t.data_version)"
	" FROM sub s JOIN tenant t ON t.id = s.id GROUP BY s.top ORDER BY s.top";

/* Per child (top): tenant_tally's rows of it and every tenant below it
 * summed, by kind, state and x. */
#define FIGURES_COLS \
	"SELECT s.top, t.kind, t.state, t.x, sum(t.n) FROM sub s JOIN tenant_tally t ON t.tenant_id = s.id" \
	" GROUP BY s.top, t.kind, t.state, t.x"
static const char figures_sql[] = REGION_SUB FIGURES_COLS;
static const char child_figures_sql[] = CHILD_SUB FIGURES_COLS;

/* The tenants under $1 whose stored lights do not hold at $2. */
static const char stale_sql[] =
	REGION_SUB "SELECT s.id FROM sub s WHERE EXISTS (SELECT 1 FROM claim k WHERE k.tenant_id = s.id AND k.light_until <= $2)"
	" OR EXISTS (SELECT 1 FROM claim k WHERE k.tenant_id = s.id AND k.light_at > $2)";

/* What a child's figures depend on. */
struct depends {
	int64_t tenants, ids, versions;
};

/* A direct child: its row, what it depends on, and until when its lights
 * hold. */
struct child {
	struct region_row row;
	struct depends dep;
	int64_t until;
};

/* ---- reading ---- */

/* The child id among n in id order, or NULL. */
static struct child *child_of(struct child *ch, int n, int64_t id)
{
	int lo = 0, hi = n - 1;

	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;
		if (ch[mid].row.tenant_id == id)
			return &ch[mid];
		if (ch[mid].row.tenant_id < id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

/* One row of the figures into r, counted as stats_get counts. */
static void add_figure(struct region_row *r, int kind, const char *state, int64_t x, int64_t n)
{
	int ps, cs;

	switch (kind) {
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

/* The figures (sql: figures_sql of the parent, or child_figures_sql of
 * one child, id) into the children ch[n]: zeroed first. */
static int read_figures(db *d, const char *sql, int64_t id, struct child *ch, int n)
{
	db_stmt *st = db_query(d, sql, "i", id);
	int rc;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct child *k = child_of(ch, n, db_col_int(st, 0));
		if (k)
			add_figure(&k->row, (int)db_col_int(st, 1), db_col_text(st, 2), db_col_int(st, 3), db_col_int(st, 4));
	}
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

/* What the children ch[n] depend on (sql: depends_sql or versions_sql of
 * the parent, child_depends_sql of a child, id): the number of children
 * read that are not among ch, or -1. */
static int read_depends(db *d, const char *sql, int64_t id, struct child *ch, int n)
{
	db_stmt *st = db_query(d, sql, "i", id);
	int rc, unknown = 0;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct child *k = child_of(ch, n, db_col_int(st, 0));
		if (!k) {
			unknown++;
			continue;
		}
		k->dep = (struct depends){ db_col_int(st, 1), db_col_int(st, 2), db_col_int(st, 3) };
		k->row.below = k->dep.tenants - 1;
		if (sql != versions_sql)
			k->until = db_col_int(st, 4);
	}
	db_done(st);
	return rc == DB_DONE ? unknown : -1;
}

/* The children (sql: children_sql of the parent, or child_sql of one,
 * id), their rows zeroed, into *out[*n] (arena a). */
static int read_children(db *d, arena *a, const char *sql, int64_t id, struct child **out, int *n)
{
	db_stmt *st = db_query(d, sql, "i", id);
	int rc, cap = 0;

	*out = NULL;
	*n = 0;
	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW)
		*ARENA_PUSH(a, *out, *n, cap) = (struct child){ .row = {
			.tenant_id = db_col_int(st, 0), .slug = arena_strdup(a, db_col_text(st, 1)),
			.name = arena_strdup(a, db_col_text(st, 2)), .host = arena_strdup(a, db_col_text(st, 3)) } };
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
		if ((rc = claim_lights_keep(d, ids[i], now)) != 0)
			return rc < 0 ? -1 : 0; /* 1: the store cannot write now; the lights read as stored */
	return n == 64 ? keep_lights(d, parent, now) : 0; /* more than 64: again, the done ones are fresh now */
}

/* Every child of parent read afresh into *ch[*n]. */
static int read_all(db *d, arena *a, int64_t parent, int64_t now, struct child **ch, int *n)
{
	if (keep_lights(d, parent, now) < 0 || db_begin(d, DB_READ) < 0)
		return -1;
	if (read_children(d, a, children_sql, parent, ch, n) < 0 || read_depends(d, depends_sql, parent, *ch, *n) < 0 ||
	    read_figures(d, figures_sql, parent, *ch, *n) < 0) {
		db_rollback(d);
		return -1;
	}
	return db_commit(d);
}

/* Child k (of parent) read afresh, its lights first. */
static int read_one(db *d, arena *a, int64_t now, struct child *k)
{
	int64_t id = k->row.tenant_id;
	struct child *got;
	int n;

	if (claim_lights_keep(d, id, now) < 0 || keep_lights(d, id, now) < 0 || db_begin(d, DB_READ) < 0)
		return -1;
	if (read_children(d, a, child_sql, id, &got, &n) < 0 || (n && (read_depends(d, child_depends_sql, id, got, n) < 0 ||
									read_figures(d, child_figures_sql, id, got, n) < 0))) {
		db_rollback(d);
		return -1;
	}
	if (db_commit(d) < 0)
		return -1;
	if (n) /* gone since (n 0): the next read starts afresh (the ids differ) */
		*k = got[0];
	return 0;
}

/* ---- the answers kept ---- */

struct kept {
	int64_t parent, at;  /* at: the last moment a child was read as of */
	struct child *ch;    /* in id order, in a */
	int n;
	arena *a;
};

#define KEPT 8 /* parents kept: the few a deployment's leaders read */

struct region_cache {
	pthread_mutex_t lock;
	struct kept k[KEPT];
	int next;            /* the slot to fill when parent is not kept */
};

struct region_cache *region_cache_new(void)
{
	struct region_cache *c = calloc(1, sizeof(*c));

	if (c)
		pthread_mutex_init(&c->lock, NULL);
	return c;
}

void region_cache_free(struct region_cache *c)
{
	if (!c)
		return;
	for (int i = 0; i < KEPT; i++)
		arena_free(c->k[i].a);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

/* A copy of the children ch[n] in arena a. */
static struct child *copy_children(arena *a, const struct child *ch, int n)
{
	struct child *out = arena_alloc(a, (size_t)n * sizeof(*out) + 1);

	for (int i = 0; i < n; i++) {
		out[i] = ch[i];
		out[i].row.slug = arena_strdup(a, ch[i].row.slug);
		out[i].row.name = arena_strdup(a, ch[i].row.name);
		out[i].row.host = arena_strdup(a, ch[i].row.host);
	}
	return out;
}

/* A copy of parent's kept children in arena a (*n -1: none kept). */
static struct child *kept_get(struct region_cache *c, arena *a, int64_t parent, int64_t now, int *n)
{
	struct child *out = NULL;

	*n = -1;
	pthread_mutex_lock(&c->lock);
	for (int i = 0; i < KEPT && *n < 0; i++)
		if (c->k[i].a && c->k[i].parent == parent && c->k[i].at <= now) {
			out = copy_children(a, c->k[i].ch, c->k[i].n);
			*n = c->k[i].n;
		}
	pthread_mutex_unlock(&c->lock);
	return out;
}

static void kept_put(struct region_cache *c, int64_t parent, int64_t now, const struct child *ch, int n)
{
	struct kept *k = NULL;

	pthread_mutex_lock(&c->lock);
	for (int i = 0; i < KEPT && !k; i++)
		if (c->k[i].a && c->k[i].parent == parent)
			k = &c->k[i];
	if (!k) {
		k = &c->k[c->next];
		c->next = (c->next + 1) % KEPT;
	}
	arena_free(k->a);
	k->a = arena_new();
	k->parent = parent;
	k->at = now;
	k->ch = copy_children(k->a, ch, n);
	k->n = n;
	pthread_mutex_unlock(&c->lock);
}

static bool moved(const struct child *cur, const struct child *kept, int64_t now)
{
	return memcmp(&cur->dep, &kept->dep, sizeof(kept->dep)) || now >= kept->until;
}

/* Parent's kept children brought up to date at now into *ch[*n]: those
 * whose tenants, versions or lights moved are read again, and *fresh says
 * how many. 1 when the kept answer cannot be used (none, other children,
 * too many moved), 0, or -1. */
static int refresh(db *d, arena *a, struct region_cache *c, int64_t parent, int64_t now, struct child **ch, int *n,
		   int *fresh)
{
	struct child *cur;
	int unknown;

	*fresh = 0;
	if (!(*ch = kept_get(c, a, parent, now, n)))
		return 1;
	cur = arena_alloc(a, (size_t)*n * sizeof(*cur) + 1);
	for (int i = 0; i < *n; i++)
		cur[i] = (struct child){ .row.tenant_id = (*ch)[i].row.tenant_id };
	if (db_begin(d, DB_READ) < 0)
		return -1;
	unknown = read_depends(d, versions_sql, parent, cur, *n);
	db_rollback(d);
	if (unknown)
		return unknown < 0 ? -1 : 1;
	for (int i = 0; i < *n; i++) {
		if (!cur[i].dep.tenants) /* no longer under parent */
			return 1;
		*fresh += moved(&cur[i], &(*ch)[i], now);
	}
	if (*fresh > *n / 8 + 8) /* one pass over them all is then cheaper */
		return 1;
	for (int i = 0; i < *n; i++)
		if (moved(&cur[i], &(*ch)[i], now) && read_one(d, a, now, &(*ch)[i]) < 0)
			return -1;
	return 0;
}

int region_get(db *d, arena *a, struct region_cache *c, int64_t parent, int64_t now, struct region *g)
{
	struct child *ch = NULL;
	int n = 0, fresh = 0, rc = 1;

	memset(g, 0, sizeof(*g));
	if (c && (rc = refresh(d, a, c, parent, now, &ch, &n, &fresh)) < 0)
		return -1;
	if (rc > 0 && read_all(d, a, parent, now, &ch, &n) < 0)
		return -1;
	if (c && (rc > 0 || fresh))
		kept_put(c, parent, now, ch, n);
	g->rows = arena_alloc(a, (size_t)n * sizeof(*g->rows) + 1);
	g->nrows = n;
	for (int i = 0; i < n; i++) {
		const struct region_row *r = &ch[i].row;
		struct region_row *t = &g->total;
		g->rows[i] = *r;
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
	return 0;
}
