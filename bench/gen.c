/* gen.c - grows a demo store to N problems for benchmarks: copies the demo's
 * problems under new ids and varied titles, indexing each for search
 * (title and description) unless told not to. Two thirds of the copies
 * keep the state of the problem they copy when it was claimed, with a copy
 * of its counted claim (unit, lead, owner, team, milestones, metrics and
 * progress), so the claim figures of the statistics grow with the store;
 * the rest are published without a claim. Usage: gen STORE-URL N
 * [--no-search] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/search.h"
#include "domain/state.h"
#include "store/db.h"
#include "util/buf.h"

static const char *const words[] = { "供水", "管网", "道路", "停车", "养老", "冷链", "园区", "招商",
	"河道", "垃圾", "供暖", "学校", "医疗", "物业", "电梯", "污水", "农田", "电商" };

/* INSERT INTO table (its columns) SELECT the template row t's columns,
 * with the columns named in repl (pairs: column, SQL expression; NULL
 * ended) replaced, then from: every column the store has, whichever
 * migrations added them. */
static int copy_rows(db *d, const char *table, const char *const *repl, const char *from, int64_t have, int64_t base,
		     int64_t since)
{
	db_stmt *st = db_kind(d) == DB_SQLITE
		? db_query(d, "SELECT name FROM pragma_table_info($1) ORDER BY cid", "s", table)
		: db_query(d, "SELECT column_name FROM information_schema.columns WHERE table_name = $1"
			      " AND table_schema = current_schema() ORDER BY ordinal_position", "s", table);
	buf cols = BUF_INIT, vals = BUF_INIT, sql = BUF_INIT;
	int rc;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *c = db_col_text(st, 0), *expr = NULL;
		for (int i = 0; repl[i]; i += 2)
			if (!strcmp(repl[i], c))
				expr = repl[i + 1];
		buf_printf(&cols, "%s%s", cols.len ? ", " : "", c);
		if (expr)
			buf_printf(&vals, "%s%s", vals.len ? ", " : "", expr);
		else
			buf_printf(&vals, "%st.%s", vals.len ? ", " : "", c);
	}
	db_done(st);
	if (rc != DB_DONE)
		return -1;
	buf_printf(&sql, "INSERT INTO %s (%s) SELECT %s %s", table, cols.s, vals.s, from);
	rc = db_run(d, sql.s, "iii", have, base, since);
	buf_release(&cols);
	buf_release(&vals);
	/* sql stays: the store caches statements by the text's address */
	return rc < 0 ? -1 : 0;
}

/* The claims of the problems copied in this run and their children ($1:
 * the demo's problem count, $2: a new claim's id less its problem's, $3:
 * the last problem before this run). CROSS JOIN keeps SQLite's order: the
 * new rows first, each template found by index. */
static int copy_claims(db *d, int64_t have, int64_t base, int64_t from)
{
	static const char *const claim_repl[] = { "id", "$2 + p.id", "problem_id", "p.id", NULL };
	static const char claim_from[] =
		"FROM problem p CROSS JOIN claim t WHERE t.tenant_id = p.tenant_id AND t.problem_id = (p.id % $1) + 1"
		" AND t.state IN " STATE_SQL_COUNTED_CLAIMS
		" AND p.tenant_id = 1 AND p.id > $3 AND p.state IN " STATE_SQL_CLAIMED;
	/* n: a new claim, k: its template, t: the template's child row */
#define CHILD_FROM(table) \
	"FROM claim n CROSS JOIN claim k CROSS JOIN " table " t" \
	" WHERE k.tenant_id = n.tenant_id AND k.problem_id = (n.problem_id % $1) + 1" \
	" AND k.state IN " STATE_SQL_COUNTED_CLAIMS " AND t.tenant_id = k.tenant_id AND t.claim_id = k.id" \
	" AND n.tenant_id = 1 AND n.id > CAST($2 AS BIGINT) + CAST($3 AS BIGINT)"
	static const char *const member_repl[] = { "claim_id", "n.id", NULL };
	/* a child's id: its template's (below CHILD_IDS) plus the new claim's times CHILD_IDS */
	static const char *const child_repl[] = { "claim_id", "n.id", "id", "t.id + n.id * 1000", NULL };

	return copy_rows(d, "claim", claim_repl, claim_from, have, base, from) < 0 ||
	       copy_rows(d, "claim_member", member_repl, CHILD_FROM("claim_member"), have, base, from) < 0 ||
	       copy_rows(d, "milestone", child_repl, CHILD_FROM("milestone"), have, base, from) < 0 ||
	       copy_rows(d, "metric", child_repl, CHILD_FROM("metric"), have, base, from) < 0 ||
	       copy_rows(d, "progress", child_repl, CHILD_FROM("progress"), have, base, from) < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
	char err[256];
	db *d;
	int64_t n, have = 0, demo = 0, maxclaim = 0;
	int search = !(argc == 4 && !strcmp(argv[3], "--no-search"));

	if ((argc != 3 && search) || (n = atoll(argv[2])) <= 0) {
		fprintf(stderr, "usage: gen STORE-URL N [--no-search]\n");
		return 2;
	}
	d = db_open(argv[1], err, sizeof(err));
	if (!d || db_scalar(d, "SELECT count(*) FROM problem WHERE tenant_id = $1", &have, 1, (int64_t)1) != 0 ||
	    db_scalar(d, "SELECT count(*) FROM problem WHERE tenant_id = $1 AND id <= 200", &demo, 1, (int64_t)1) != 0 ||
	    db_scalar(d, "SELECT coalesce(max(id), 0) FROM claim WHERE tenant_id = $1 AND problem_id <= 200", &maxclaim, 1,
		      (int64_t)1) != 0) {
		fprintf(stderr, "gen: %s\n", d ? db_errmsg(d) : err);
		return 1;
	}
	if (have > demo)
		have = demo; /* grown before: copy the demo's problems still */
	/* The index grows by a hundred pairs or so a problem, in key order
	 * across the whole table: with SQLite's default cache the transaction
	 * spills pages to the WAL over and over. */
	if (db_kind(d) == DB_SQLITE && db_exec(d, "PRAGMA cache_size = -524288") < 0)
		return 1;
	if (db_begin(d, DB_WRITE) < 0)
		return 1;
	int64_t from = 0;
	if (db_scalar(d, "SELECT coalesce(max(id), 0) FROM problem WHERE tenant_id = $1", &from, 1, (int64_t)1) != 0)
		return 1;
	for (int64_t id = from + 1; id <= n; id++) {
		db_stmt *st = db_prepare(d,
			"INSERT INTO problem (tenant_id, id, batch_id, category_id, title, description, proposer_name,"
			" proposer_unit_id, state, is_public, created_at, updated_at)"
			" SELECT tenant_id, $2, batch_id, category_id, $3, description, proposer_name, proposer_unit_id,"
			" CASE WHEN $4 <> 0 AND state IN " STATE_SQL_CLAIMED " THEN state ELSE 'published' END,"
			" 1, created_at, updated_at + $2 FROM problem WHERE tenant_id = 1 AND id = $1");
		buf title = BUF_INIT;
		if (!st) {
			fprintf(stderr, "gen: %s\n", db_errmsg(d));
			return 1;
		}
		buf_printf(&title, "%s%s问题（第%lld号）", words[id % 18], words[(id / 18) % 18], (long long)id);
		db_bind_int(st, 1, 1 + id % have);
		db_bind_int(st, 2, id);
		db_bind_text(st, 3, title.s);
		db_bind_int(st, 4, id % 3); /* a third stay unclaimed */
		if (db_step(st) != DB_DONE) {
			fprintf(stderr, "gen: %s\n", db_errmsg(d));
			return 1;
		}
		db_done(st);
		if (search && search_reindex_problem(d, 1, id) != 0)
			return 1;
		buf_release(&title);
		if (id % 20000 == 0) {
			if (db_commit(d) < 0 || db_begin(d, DB_WRITE) < 0)
				return 1;
			fprintf(stderr, "gen: %lld problems\n", (long long)id);
		}
	}
	/* claims: a copy's id is its problem's plus the demo's largest */
	if (copy_claims(d, have, maxclaim, from) < 0) {
		fprintf(stderr, "gen: %s\n", db_errmsg(d));
		return 1;
	}
	if (db_commit(d) < 0)
		return 1;
	db_close(d);
	return 0;
}
