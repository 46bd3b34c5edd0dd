/* tenants.c - a deployment of many counties for benchmarks: a parent
 * tenant "region" (id N + 2) and N copies of the demo county (tenant 1)
 * under it, tenant 1 among them, each copy with the demo's batches,
 * categories, units, people, problems, claims, teams, milestones, metrics,
 * reports, supervisions, promotions and practices (the store's triggers
 * keep the tallies, as for real rows). Usage: tenants STORE-URL N */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "util/buf.h"

/* What a county's figures are made of, in foreign-key order. */
static const char *const tables[] = {
	"id_seq", "batch", "batch_phase", "category", "unit", "person", "problem", "claim", "claim_member",
	"claim_cooperator", "milestone", "metric", "progress", "progress_value", "supervision", "extension",
	"promotion", "promotion_claim", "practice", "practice_claim",
};
#define NTABLES (sizeof(tables) / sizeof(tables[0]))

/* INSERT INTO table SELECT its columns of tenant 1 with tenant_id $1, on
 * out (kept: the store caches statements by the text's address). */
static int copy_sql(db *d, const char *table, buf *out)
{
	db_stmt *st = db_kind(d) == DB_SQLITE
		? db_query(d, "SELECT name FROM pragma_table_info($1) ORDER BY cid", "s", table)
		: db_query(d, "SELECT column_name FROM information_schema.columns WHERE table_name = $1"
			      " AND table_schema = current_schema() ORDER BY ordinal_position", "s", table);
	buf cols = BUF_INIT, vals = BUF_INIT;
	int rc;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *c = db_col_text(st, 0);
		buf_printf(&cols, "%s%s", cols.len ? ", " : "", c);
		buf_printf(&vals, "%s%s", vals.len ? ", " : "", strcmp(c, "tenant_id") ? c : "CAST($1 AS BIGINT)");
	}
	db_done(st);
	if (rc == DB_DONE)
		buf_printf(out, "INSERT INTO %s (%s) SELECT %s FROM %s WHERE tenant_id = 1", table, cols.s, vals.s, table);
	buf_release(&cols);
	buf_release(&vals);
	return rc == DB_DONE ? 0 : -1;
}

int main(int argc, char **argv)
{
	static buf sql[NTABLES];
	char err[256];
	int64_t n, region;
	db *d;

	if (argc != 3 || (n = atoll(argv[2])) < 1) {
		fprintf(stderr, "usage: tenants STORE-URL N\n");
		return 2;
	}
	region = n + 2;
	if (!(d = db_open(argv[1], err, sizeof(err)))) {
		fprintf(stderr, "tenants: %s\n", err);
		return 1;
	}
	if (db_kind(d) == DB_SQLITE && db_exec(d, "PRAGMA cache_size = -524288") < 0)
		return 1;
	for (size_t i = 0; i < NTABLES; i++)
		if (copy_sql(d, tables[i], &sql[i]) < 0)
			goto fail;
	if (db_begin(d, DB_WRITE) < 0 ||
	    db_run(d, "INSERT INTO tenant (id, slug, name, created_at) VALUES ($1, 'region', '示范市', 0)", "i", region) < 0 ||
	    db_run(d, "UPDATE tenant SET parent_id = $1 WHERE id = 1", "i", region) < 0)
		goto fail;
	for (int64_t t = 2; t <= n; t++) {
		char slug[32], name[64];
		snprintf(slug, sizeof(slug), "county%lld", (long long)t);
		snprintf(name, sizeof(name), "示范县%lld", (long long)t);
		if (db_run(d, "INSERT INTO tenant (id, slug, name, created_at, parent_id) VALUES ($1, $2, $3, 0, $4)", "issi", t,
			   slug, name, region) < 0)
			goto fail;
		for (size_t i = 0; i < NTABLES; i++)
			if (db_run(d, sql[i].s, "i", t) < 0)
				goto fail;
		if (t % 100 == 0) {
			if (db_commit(d) < 0 || db_begin(d, DB_WRITE) < 0)
				goto fail;
			fprintf(stderr, "tenants: %lld counties\n", (long long)t);
		}
	}
	if (db_commit(d) < 0)
		goto fail;
	db_close(d);
	return 0;
fail:
	fprintf(stderr, "tenants: %s\n", db_errmsg(d));
	return 1;
}
