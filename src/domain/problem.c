/* problem.c - the board query and the problem page's data. */
#include "domain/problem.h"

#include <string.h>

#include "domain/asof.h"
#include "domain/batch.h"
#include "domain/claim.h"
#include "domain/search.h"
#include "domain/state.h"
#include "util/buf.h"

/* The board's filter. $1 tenant, $2 batch, $3 category, $4 state, $5 claiming
 * unit kind, then one LIKE pattern per search term (search_plan(): $6 and
 * the four placeholders l2..l5), and the problems of a light as ",3,17,"
 * (lid: lights are worked out in C, light_ids()); '' or 0 means "no
 * filter". These
 * conditions only filter rows: what drives the scan is the primary key in
 * the order asked for, or, when searching by pairs, the posting list of the
 * rarest pair, checked against up to three more. The placeholders of the
 * other terms and of the pairs follow the statement's other parameters, as
 * PostgreSQL needs every $n up to the last used. */
#define TERM(n) " AND (" n " = '' OR p.search_text LIKE " n " ESCAPE '\\')"
#define BOARD_COND(l2, l3, l4, l5, lid) \
	" p.tenant_id = $1 AND p.is_public = 1 AND p.state IN " STATE_SQL_PUBLIC \
	" AND ($2 = 0 OR p.batch_id = $2)" \
	" AND ($3 = 0 OR p.category_id = $3)" \
	" AND ($4 = '' OR p.state = $4)" \
	" AND ($5 = '' OR EXISTS (SELECT 1 FROM claim kc JOIN unit ku ON ku.tenant_id = kc.tenant_id AND ku.id = kc.unit_id" \
	"   WHERE kc.tenant_id = p.tenant_id AND kc.problem_id = p.id AND kc.state IN " STATE_SQL_COUNTED_CLAIMS " AND ku.kind = $5))" \
	TERM("$6") TERM(l2) TERM(l3) TERM(l4) TERM(l5) \
	" AND (" lid " = '' OR " lid " LIKE '%,' || p.id || ',%')"
_Static_assert(SEARCH_MAX_TERMS == 5 && SEARCH_MAX_PAIRS == 4, "BOARD_COND has 5 terms, PAIRS 4 pairs");

/* The page's statement has $7-$9 (PAGE_ROWS), the count's does not. */
#define ROWS_COND BOARD_COND("$10", "$11", "$12", "$13", "$14")
#define COUNT_COND BOARD_COND("$7", "$8", "$9", "$10", "$11")
static const int rows_like_at[SEARCH_MAX_TERMS] = { 6, 10, 11, 12, 13 };
static const int count_like_at[SEARCH_MAX_TERMS] = { 6, 7, 8, 9, 10 };
enum { ROWS_LIGHT_IDS = 14, COUNT_LIGHT_IDS = 11, ROWS_FIRST_PAIR = 15, COUNT_FIRST_PAIR = 12 };

#define FROM_PLAIN(cond) " FROM problem p WHERE" cond
/* CROSS JOIN keeps SQLite's join order: posting list first. PAIRS<k> are
 * the variants for k distinct pairs, with their placeholders a..d. */
#define PAIRS_FROM(cond, g1) \
	" FROM problem_gram g CROSS JOIN problem p" \
	" WHERE g.tenant_id = $1 AND g.gram = " g1 " AND p.tenant_id = g.tenant_id AND p.id = g.problem_id AND" cond
#define ALSO(g) " AND EXISTS (SELECT 1 FROM problem_gram x WHERE x.tenant_id = $1 AND x.gram = " g " AND x.problem_id = g.problem_id)"
#define PAIRS1(cond, a, b, c, d) PAIRS_FROM(cond, a)
#define PAIRS2(cond, a, b, c, d) PAIRS_FROM(cond, a) ALSO(b)
#define PAIRS3(cond, a, b, c, d) PAIRS_FROM(cond, a) ALSO(b) ALSO(c)
#define PAIRS4(cond, a, b, c, d) PAIRS_FROM(cond, a) ALSO(b) ALSO(c) ALSO(d)
#define ROWS_PAIRS(k) PAIRS##k(ROWS_COND, "$15", "$16", "$17", "$18")
#define COUNT_PAIRS(k) PAIRS##k(COUNT_COND, "$12", "$13", "$14", "$15")

#define ORDER_ID " ORDER BY p.id"
#define ORDER_UPDATED " ORDER BY p.updated_at DESC, p.id DESC"
#define ORDER_CATEGORY \
	" ORDER BY (SELECT position FROM category pc WHERE pc.tenant_id = p.tenant_id AND pc.id = p.category_id), p.id"

/* One page: the ids are chosen first ($8 limit, $9 offset), so the joins
 * and subqueries below run for the rows shown, not for the rows skipped.
 * $7 is now: a problem is overdue when its earliest open milestone was due
 * before its batch's as-of moment (asof.h: now, or the end of a closed
 * batch), which is worked out once per row. */
#define PAGE_ROWS(from, order) PAGE_ROWS_AT(from, order, " LIMIT $8 OFFSET $9")
#define PAGE_ROWS_AT(from, order, limit) \
	"SELECT p.id, p.title, b.name, cat.name, p.state, coalesce(u.name, ''), coalesce(u.kind, ''),"  \
	" coalesce((SELECT name FROM person o WHERE o.tenant_id = c.tenant_id AND o.id = c.owner_person_id), ''),"  \
	" p.updated_at,"  \
	" CASE WHEN p.state IN " STATE_SQL_WORKING " AND (SELECT min(m.due_at) FROM milestone m"  \
	"   WHERE m.tenant_id = c.tenant_id AND m.claim_id = c.id AND m.done_at IS NULL) < " BATCH_AS_OF_SQL("b", "$7")  \
	"   THEN 1 ELSE 0 END, coalesce(c.id, 0)"  \
	" FROM (SELECT p.id" from order limit ") pg"  \
	" JOIN problem p ON p.tenant_id = $1 AND p.id = pg.id"  \
	" JOIN batch b ON b.tenant_id = p.tenant_id AND b.id = p.batch_id"  \
	" JOIN category cat ON cat.tenant_id = p.tenant_id AND cat.id = p.category_id"  \
	" LEFT JOIN claim c ON c.tenant_id = p.tenant_id AND c.id = " SQL_COUNTED_CLAIM_OF("p")  \
	" LEFT JOIN unit u ON u.tenant_id = c.tenant_id AND u.id = c.unit_id" order

#define ROWS_SORTS(from) { PAGE_ROWS(from, ORDER_ID), PAGE_ROWS(from, ORDER_UPDATED), PAGE_ROWS(from, ORDER_CATEGORY) }

/* [distinct pairs searched by, 0-4][enum problem_sort] */
static const char *const board_rows_sql[5][3] = {
	ROWS_SORTS(FROM_PLAIN(ROWS_COND)), ROWS_SORTS(ROWS_PAIRS(1)), ROWS_SORTS(ROWS_PAIRS(2)),
	ROWS_SORTS(ROWS_PAIRS(3)), ROWS_SORTS(ROWS_PAIRS(4)),
};
/* The export's keyset pages (problem_list_after()): $9 is the last id
 * already read instead of an offset, in id order only. */
#define KEY_COND ROWS_COND " AND p.id > $9"
#define KEY_ROWS(from) PAGE_ROWS_AT(from, ORDER_ID, " LIMIT $8")
static const char *const board_key_sql[5] = {
	KEY_ROWS(FROM_PLAIN(KEY_COND)),
	KEY_ROWS(PAIRS1(KEY_COND, "$15", "$16", "$17", "$18")),
	KEY_ROWS(PAIRS2(KEY_COND, "$15", "$16", "$17", "$18")),
	KEY_ROWS(PAIRS3(KEY_COND, "$15", "$16", "$17", "$18")),
	KEY_ROWS(PAIRS4(KEY_COND, "$15", "$16", "$17", "$18")),
};
/* [distinct pairs]; without a search or a unit kind, the total comes from
 * problem_tally ($1-$4 only). */
static const char *const board_count_sql[5] = {
	"SELECT count(*)" FROM_PLAIN(COUNT_COND),
	"SELECT count(*)" COUNT_PAIRS(1),
	"SELECT count(*)" COUNT_PAIRS(2),
	"SELECT count(*)" COUNT_PAIRS(3),
	"SELECT count(*)" COUNT_PAIRS(4),
};
static const char board_tally_sql[] =
	"SELECT coalesce(sum(n), 0) FROM problem_tally t"
	" WHERE t.tenant_id = $1 AND t.is_public = 1 AND t.state IN " STATE_SQL_PUBLIC
	" AND ($2 = 0 OR t.batch_id = $2) AND ($3 = 0 OR t.category_id = $3) AND ($4 = '' OR t.state = $4)";

/* Bind $1-$5, the search's LIKE patterns at like_at[] ('' for a term
 * slot not used), the light's problem ids at light_at, and the search's
 * pairs from first_pair on. */
static void bind_filter(db_stmt *st, int64_t tenant_id, const struct problem_filter *f,
			const struct search_plan *sp, const int *like_at, int light_at, const char *light_ids,
			int first_pair)
{
	db_bind_int(st, 1, tenant_id);
	db_bind_int(st, 2, f->batch_id);
	db_bind_int(st, 3, f->category_id);
	db_bind_text(st, 4, f->state ? f->state : "");
	db_bind_text(st, 5, f->unit_kind ? f->unit_kind : "");
	for (int i = 0; i < SEARCH_MAX_TERMS; i++)
		db_bind_text(st, like_at[i], i < sp->nterms ? sp->like[i] : "");
	db_bind_text(st, light_at, light_ids ? light_ids : "");
	for (int i = 0; i < sp->npairs; i++)
		db_bind_text(st, first_pair + i, sp->pairs[i]);
}

static const char *col(arena *a, db_stmt *st, int i)
{
	return arena_strdup(a, db_col_text(st, i));
}

/* ---- lights ---- */

/* Every public problem's counted claim in batch $2 (0: any). */
static const char counted_sql[] =
	"SELECT c.id, c.problem_id FROM problem p JOIN claim c ON c.tenant_id = p.tenant_id AND c.id = " SQL_COUNTED_CLAIM_OF("p")
	" WHERE p.tenant_id = $1 AND ($2 = 0 OR p.batch_id = $2) AND p.is_public = 1";

/* The light (claim.h claim_light_of()) and completion of claim id; 0 or -1. */
static int claim_light_read(db *d, int64_t tenant_id, int64_t now, int64_t id, int *light, int *completion)
{
	enum light l = LIGHT_NONE;

	*light = LIGHT_NONE;
	*completion = -1;
	if (claim_light_of(d, tenant_id, id, now, &l) < 0 || claim_completion_of(d, tenant_id, id, completion) < 0)
		return -1;
	*light = (int)l;
	return 0;
}

/* The light code's enum light, or -1 when code names none of the lights
 * a claim can show. */
static int light_code(const char *code)
{
	for (int i = LIGHT_GREEN; i <= LIGHT_AWAITING; i++)
		if (!strcmp(lights[i].code, code))
			return i;
	return -1;
}

/* The problems whose counted claim shows light f->light, as ",3,17,"
 * ("," when there are none, so that the filter still filters) into *out. */
static int light_ids(db *d, arena *a, int64_t tenant_id, const struct problem_filter *f, const char **out)
{
	int want = light_code(f->light), n = 0, cap = 0, rc;
	db_stmt *st = db_query(d, counted_sql, "ii", tenant_id, f->batch_id);
	int64_t(*pairs)[2] = NULL;
	buf ids = BUF_INIT;
	enum light l;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		pairs = arena_grow(a, pairs, n, &cap, sizeof(*pairs));
		pairs[n][0] = db_col_int(st, 0);
		pairs[n++][1] = db_col_int(st, 1);
	}
	db_done(st);
	if (rc == DB_ERROR)
		return -1;
	buf_putc(&ids, ',');
	for (int i = 0; i < n && rc != -1; i++) {
		if ((rc = claim_light_of(d, tenant_id, pairs[i][0], f->now, &l)) < 0)
			break;
		if (rc == 0 && (int)l == want)
			buf_printf(&ids, "%lld,", (long long)pairs[i][1]);
	}
	*out = arena_strdup(a, ids.s);
	buf_release(&ids);
	return rc < 0 ? -1 : 0;
}

/* The board's total from problem_tally; DB_ROW on success. */
static int tally_total(db *d, int64_t tenant_id, const struct problem_filter *f, int64_t *total)
{
	db_stmt *st = db_prepare(d, board_tally_sql);
	int rc;

	if (!st)
		return DB_ERROR;
	db_bind_int(st, 1, tenant_id);
	db_bind_int(st, 2, f->batch_id);
	db_bind_int(st, 3, f->category_id);
	db_bind_text(st, 4, f->state ? f->state : "");
	rc = db_step(st);
	*total = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	return rc;
}

static int read_rows(db *d, arena *a, int64_t tenant_id, int64_t now, db_stmt *st, int64_t max,
		     struct problem_page *out);

int problem_list(db *d, arena *a, int64_t tenant_id, const struct problem_filter *f,
		 struct problem_page *out)
{
	const char *light_ids_text = NULL;
	struct search_plan sp;
	db_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	if (db_begin(d, DB_READ) < 0)
		return -1;
	if (search_plan(d, a, tenant_id, f->q, &sp) < 0)
		goto fail;
	if (sp.none)
		return db_commit(d);
	if (f->light && light_ids(d, a, tenant_id, f, &light_ids_text) < 0)
		goto fail;
	if (!sp.nterms && !f->unit_kind && !f->light) {
		rc = tally_total(d, tenant_id, f, &out->total);
	} else {
		st = db_prepare(d, board_count_sql[sp.npairs]);
		if (!st)
			goto fail;
		bind_filter(st, tenant_id, f, &sp, count_like_at, COUNT_LIGHT_IDS, light_ids_text, COUNT_FIRST_PAIR);
		rc = db_step(st);
		out->total = rc == DB_ROW ? db_col_int(st, 0) : 0;
		db_done(st);
	}
	if (rc != DB_ROW)
		goto fail;

	st = db_prepare(d, board_rows_sql[sp.npairs][f->sort]);
	if (!st)
		goto fail;
	bind_filter(st, tenant_id, f, &sp, rows_like_at, ROWS_LIGHT_IDS, light_ids_text, ROWS_FIRST_PAIR);
	db_bind_int(st, 7, f->now);
	db_bind_int(st, 8, f->per_page);
	db_bind_int(st, 9, (f->page - 1) * f->per_page);
	if (read_rows(d, a, tenant_id, f->now, st, f->per_page, out) < 0)
		goto fail;
	return db_commit(d);
fail:
	db_rollback(d);
	return -1;
}

/* Up to max rows of st (a PAGE_ROWS statement, bound) into out, with
 * their lights; st is done after. 0 or -1. */
static int read_rows(db *d, arena *a, int64_t tenant_id, int64_t now, db_stmt *st, int64_t max,
		     struct problem_page *out)
{
	int rc;

	out->items = arena_alloc(a, (size_t)max * sizeof(*out->items));
	while ((rc = db_step(st)) == DB_ROW && out->n < max) {
		struct problem_row *p = &out->items[out->n++];
		p->id = db_col_int(st, 0);
		p->title = col(a, st, 1);
		p->batch = col(a, st, 2);
		p->category = col(a, st, 3);
		p->state = col(a, st, 4);
		p->claim_unit = col(a, st, 5);
		p->claim_unit_kind = col(a, st, 6);
		p->owner = col(a, st, 7);
		p->updated_at = db_col_int(st, 8);
		p->overdue = db_col_int(st, 9) != 0;
		p->claim_id = db_col_int(st, 10);
	}
	db_done(st);
	if (rc == DB_ERROR)
		return -1;
	for (int i = 0; i < out->n; i++) {
		struct problem_row *p = &out->items[i];
		p->light = LIGHT_NONE;
		p->completion = -1;
		if (p->claim_id && claim_light_read(d, tenant_id, now, p->claim_id, &p->light, &p->completion) < 0)
			return -1;
	}
	return 0;
}

int problem_list_after(db *d, arena *a, int64_t tenant_id, const struct problem_filter *f, int64_t after,
		       int64_t max, struct problem_page *out)
{
	const char *light_ids_text = NULL;
	struct search_plan sp;
	db_stmt *st;

	memset(out, 0, sizeof(*out));
	if (db_begin(d, DB_READ) < 0)
		return -1;
	if (search_plan(d, a, tenant_id, f->q, &sp) < 0)
		goto fail;
	if (sp.none)
		return db_commit(d);
	if (f->light && light_ids(d, a, tenant_id, f, &light_ids_text) < 0)
		goto fail;
	st = db_prepare(d, board_key_sql[sp.npairs]);
	if (!st)
		goto fail;
	bind_filter(st, tenant_id, f, &sp, rows_like_at, ROWS_LIGHT_IDS, light_ids_text, ROWS_FIRST_PAIR);
	db_bind_int(st, 7, f->now);
	db_bind_int(st, 8, max);
	db_bind_int(st, 9, after);
	if (read_rows(d, a, tenant_id, f->now, st, max, out) < 0)
		goto fail;
	return db_commit(d);
fail:
	db_rollback(d);
	return -1;
}

/* $3 is now, for the batch's as-of moment. */
static const char detail_sql[] =
	"SELECT p.id, p.title, p.description, b.name, cat.name, p.state, p.proposer_name,"
	" coalesce((SELECT name FROM unit pu WHERE pu.tenant_id = p.tenant_id AND pu.id = p.proposer_unit_id), ''),"
	" p.created_at, p.updated_at, " BATCH_AS_OF_SQL("b", "$3") ", b.id, b.max_parallel,"
	" (SELECT count(*) FROM claim k WHERE k.tenant_id = p.tenant_id AND k.problem_id = p.id"
	"   AND k.state IN " STATE_SQL_COUNTED_CLAIMS "),"
	" (SELECT count(*) FROM claim k WHERE k.tenant_id = p.tenant_id AND k.problem_id = p.id)"
	" FROM problem p"
	" JOIN batch b ON b.tenant_id = p.tenant_id AND b.id = p.batch_id"
	" JOIN category cat ON cat.tenant_id = p.tenant_id AND cat.id = p.category_id"
	" WHERE p.tenant_id = $1 AND p.id = $2 AND p.is_public = 1 AND p.state IN " STATE_SQL_PUBLIC;

static const char claim_sql[] =
	"SELECT c.id, c.state, c.pledge, coalesce(c.deadline, 0), c.applied_at, coalesce(c.approved_at, 0),"
	" coalesce(c.signed_at, 0), coalesce(c.solved_at, 0), u.name, u.kind,"
	" l.name, l.title, o.name, o.title"
	" FROM claim c"
	" JOIN unit u ON u.tenant_id = c.tenant_id AND u.id = c.unit_id"
	" JOIN person l ON l.tenant_id = c.tenant_id AND l.id = c.lead_person_id"
	" JOIN person o ON o.tenant_id = c.tenant_id AND o.id = c.owner_person_id"
	" WHERE c.tenant_id = $1 AND c.problem_id = $2 AND c.state IN " STATE_SQL_COUNTED_CLAIMS " ORDER BY +c.id";

static const char members_sql[] =
	"SELECT pe.name, pe.title, pe.rank, u.name, u.kind, m.role"
	" FROM claim_member m"
	" JOIN person pe ON pe.tenant_id = m.tenant_id AND pe.id = m.person_id"
	" JOIN unit u ON u.tenant_id = m.tenant_id AND u.id = m.unit_id"
	" WHERE m.tenant_id = $1 AND m.claim_id = $2"
	" ORDER BY CASE m.role WHEN 'lead' THEN 0 WHEN 'owner' THEN 1 ELSE 2 END, u.id, pe.id";

static const char milestones_sql[] =
	"SELECT title, due_at, coalesce(done_at, 0) FROM milestone"
	" WHERE tenant_id = $1 AND claim_id = $2 ORDER BY due_at, id";

static const char metrics_sql[] =
	"SELECT id, name, kind, uom, target, achieved FROM metric"
	" WHERE tenant_id = $1 AND claim_id = $2 ORDER BY +id";

static const char progress_sql[] =
	"SELECT pr.at, pr.title, pr.body, pe.name FROM progress pr"
	" JOIN person pe ON pe.tenant_id = pr.tenant_id AND pe.id = pr.author_person_id"
	" WHERE pr.tenant_id = $1 AND pr.claim_id = $2 AND pr.is_public = 1 ORDER BY pr.at DESC, pr.id DESC";

/* Run sql bound with $1 tenant (and $2 id when id > 0) and grow *items one
 * row at a time through fill(). Returns the row count or -1. */
typedef void (*fill_fn)(arena *a, db_stmt *st, void *item);

static int fetch_all(db *d, arena *a, const char *sql, int64_t tenant_id, int64_t id,
		     size_t size, void **items, fill_fn fill)
{
	db_stmt *st = db_prepare(d, sql);
	int n = 0, cap = 0, rc;
	char *arr = NULL;

	if (!st)
		return -1;
	db_bind_int(st, 1, tenant_id);
	if (id > 0)
		db_bind_int(st, 2, id);
	while ((rc = db_step(st)) == DB_ROW) {
		arr = arena_grow(a, arr, n, &cap, size);
		fill(a, st, arr + (size_t)n * size);
		n++;
	}
	db_done(st);
	*items = arr;
	return rc == DB_ERROR ? -1 : n;
}

static void fill_member(arena *a, db_stmt *st, void *item)
{
	struct member *m = item;
	m->name = col(a, st, 0);
	m->title = col(a, st, 1);
	m->rank = col(a, st, 2);
	m->unit = col(a, st, 3);
	m->unit_kind = col(a, st, 4);
	m->role = col(a, st, 5);
}

static void fill_milestone(arena *a, db_stmt *st, void *item)
{
	struct milestone *m = item;
	m->title = col(a, st, 0);
	m->due_at = db_col_int(st, 1);
	m->done_at = db_col_int(st, 2);
}

static void fill_metric(arena *a, db_stmt *st, void *item)
{
	struct metric *m = item;
	m->id = db_col_int(st, 0);
	m->name = col(a, st, 1);
	m->kind = col(a, st, 2);
	m->uom = col(a, st, 3);
	m->target = db_col_int(st, 4);
	m->achieved = db_col_int(st, 5);
}

static void fill_progress(arena *a, db_stmt *st, void *item)
{
	struct progress_entry *p = item;
	p->at = db_col_int(st, 0);
	p->title = col(a, st, 1);
	p->body = col(a, st, 2);
	p->author = col(a, st, 3);
}

static int read_claim(db *d, arena *a, int64_t tenant_id, struct problem_detail *p)
{
	db_stmt *st = db_prepare(d, claim_sql);
	int rc;

	if (!st)
		return -1;
	db_bind_int(st, 1, tenant_id);
	db_bind_int(st, 2, p->id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		p->has_claim = true;
		p->claim.id = db_col_int(st, 0);
		p->claim.state = col(a, st, 1);
		p->claim.pledge = col(a, st, 2);
		p->claim.deadline = db_col_int(st, 3);
		p->claim.applied_at = db_col_int(st, 4);
		p->claim.approved_at = db_col_int(st, 5);
		p->claim.signed_at = db_col_int(st, 6);
		p->claim.solved_at = db_col_int(st, 7);
		p->claim.unit = col(a, st, 8);
		p->claim.unit_kind = col(a, st, 9);
		p->claim.lead = col(a, st, 10);
		p->claim.lead_title = col(a, st, 11);
		p->claim.owner = col(a, st, 12);
		p->claim.owner_title = col(a, st, 13);
	}
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

static int read_claim_parts(db *d, arena *a, int64_t tenant_id, struct problem_detail *p)
{
	int64_t cid = p->claim.id;

	p->nmembers = fetch_all(d, a, members_sql, tenant_id, cid, sizeof(struct member),
				(void **)&p->members, fill_member);
	p->nmilestones = fetch_all(d, a, milestones_sql, tenant_id, cid, sizeof(struct milestone),
				   (void **)&p->milestones, fill_milestone);
	p->nmetrics = fetch_all(d, a, metrics_sql, tenant_id, cid, sizeof(struct metric),
				(void **)&p->metrics, fill_metric);
	p->nprogress = fetch_all(d, a, progress_sql, tenant_id, cid, sizeof(struct progress_entry),
				 (void **)&p->progress, fill_progress);
	if (p->nmembers < 0 || p->nmilestones < 0 || p->nmetrics < 0 || p->nprogress < 0)
		return -1;
	/* Distinct units in the task force. */
	for (int i = 0; i < p->nmembers; i++) {
		int seen = 0;
		for (int j = 0; j < i && !seen; j++)
			seen = !strcmp(p->members[i].unit, p->members[j].unit);
		p->nmember_units += !seen;
	}
	/* Overdue as of the batch's as-of moment, as on the board. */
	bool open = problem_state_has(p->state, PS_WORKING);
	for (int i = 0; i < p->nmilestones; i++) {
		struct milestone *m = &p->milestones[i];
		m->overdue = open && !m->done_at && m->due_at < p->as_of;
		p->overdue |= m->overdue;
	}
	return 0;
}

int problem_get(db *d, arena *a, int64_t tenant_id, int64_t id, int64_t now, struct problem_detail *p)
{
	struct batch bt;
	db_stmt *st;
	int rc;

	memset(p, 0, sizeof(*p));
	if (db_begin(d, DB_READ) < 0)
		return -1;
	st = db_prepare(d, detail_sql);
	if (!st)
		goto fail;
	db_bind_int(st, 1, tenant_id);
	db_bind_int(st, 2, id);
	db_bind_int(st, 3, now);
	rc = db_step(st);
	if (rc == DB_ROW) {
		p->id = db_col_int(st, 0);
		p->title = col(a, st, 1);
		p->description = col(a, st, 2);
		p->batch = col(a, st, 3);
		p->category = col(a, st, 4);
		p->state = col(a, st, 5);
		p->proposer = col(a, st, 6);
		p->proposer_unit = col(a, st, 7);
		p->created_at = db_col_int(st, 8);
		p->updated_at = db_col_int(st, 9);
		p->as_of = db_col_int(st, 10);
		p->batch_ended = p->as_of < now;
		p->batch_id = db_col_int(st, 11);
		p->max_parallel = (int)db_col_int(st, 12);
		p->ncounted = (int)db_col_int(st, 13);
		p->napplications = (int)db_col_int(st, 14);
	}
	db_done(st);
	if (rc == DB_ERROR)
		goto fail;
	if (rc == DB_DONE) {
		db_rollback(d);
		return 1;
	}
	p->light = LIGHT_NONE;
	p->completion = -1;
	if (batch_get(d, a, tenant_id, p->batch_id, &bt) != 0)
		goto fail;
	p->batch_phase = batch_phase_now(&bt, now);
	if (read_claim(d, a, tenant_id, p) < 0 ||
	    (p->has_claim && read_claim_parts(d, a, tenant_id, p) < 0) ||
	    (p->has_claim && claim_light_read(d, tenant_id, now, p->claim.id, &p->light, &p->completion) < 0))
		goto fail;
	return db_commit(d);
fail:
	db_rollback(d);
	return -1;
}

static void fill_named(arena *a, db_stmt *st, void *item)
{
	struct named *n = item;
	n->id = db_col_int(st, 0);
	n->name = col(a, st, 1);
}

int problem_batches(db *d, arena *a, int64_t tenant_id, struct named **out, int *n)
{
	*n = fetch_all(d, a, "SELECT id, name FROM batch WHERE tenant_id = $1 ORDER BY year DESC, id",
		       tenant_id, 0, sizeof(**out), (void **)out, fill_named);
	return *n < 0 ? -1 : 0;
}

int problem_categories(db *d, arena *a, int64_t tenant_id, struct named **out, int *n)
{
	*n = fetch_all(d, a, "SELECT id, name FROM category WHERE tenant_id = $1 ORDER BY position, id",
		       tenant_id, 0, sizeof(**out), (void **)out, fill_named);
	return *n < 0 ? -1 : 0;
}
