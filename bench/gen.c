/* gen.c - grows a demo store to N problems for benchmarks: copies the demo's
 * problems as published ones without a claim, under new ids and varied
 * titles, indexing each for search (title and description). Usage: gen
 * STORE-URL N */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "domain/search.h"
#include "store/db.h"
#include "util/buf.h"

static const char *const words[] = { "供水", "管网", "道路", "停车", "养老", "冷链", "园区", "招商",
	"河道", "垃圾", "供暖", "学校", "医疗", "物业", "电梯", "污水", "农田", "电商" };

int main(int argc, char **argv)
{
	char err[256];
	db *d;
	int64_t n, have = 0;

	if (argc != 3 || (n = atoll(argv[2])) <= 0) {
		fprintf(stderr, "usage: gen STORE-URL N\n");
		return 2;
	}
	d = db_open(argv[1], err, sizeof(err));
	if (!d || db_scalar(d, "SELECT count(*) FROM problem WHERE tenant_id = $1", &have, 1, (int64_t)1) != 0) {
		fprintf(stderr, "gen: %s\n", d ? db_errmsg(d) : err);
		return 1;
	}
	/* The index grows by a hundred pairs or so a problem, in key order
	 * across the whole table: with SQLite's default cache the transaction
	 * spills pages to the WAL over and over. */
	if (db_kind(d) == DB_SQLITE && db_exec(d, "PRAGMA cache_size = -524288") < 0)
		return 1;
	if (db_begin(d, DB_WRITE) < 0)
		return 1;
	for (int64_t id = have + 1; id <= n; id++) {
		db_stmt *st = db_prepare(d,
			"INSERT INTO problem (tenant_id, id, batch_id, category_id, title, description, proposer_name,"
			" proposer_unit_id, state, is_public, created_at, updated_at)"
			" SELECT tenant_id, $2, batch_id, category_id, $3, description, proposer_name, proposer_unit_id,"
			" 'published', 1, created_at, updated_at + $2 FROM problem WHERE tenant_id = 1 AND id = $1");
		buf title = BUF_INIT;
		buf_printf(&title, "%s%s问题（第%lld号）", words[id % 18], words[(id / 18) % 18], (long long)id);
		db_bind_int(st, 1, 1 + id % have);
		db_bind_int(st, 2, id);
		db_bind_text(st, 3, title.s);
		if (db_step(st) != DB_DONE) {
			fprintf(stderr, "gen: %s\n", db_errmsg(d));
			return 1;
		}
		db_done(st);
		if (search_reindex_problem(d, 1, id) != 0)
			return 1;
		buf_release(&title);
		if (id % 20000 == 0) {
			if (db_commit(d) < 0 || db_begin(d, DB_WRITE) < 0)
				return 1;
			fprintf(stderr, "gen: %lld problems\n", (long long)id);
		}
	}
	if (db_commit(d) < 0)
		return 1;
	db_close(d);
	return 0;
}
