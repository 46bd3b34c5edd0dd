/* claim_light.c - keeping each claim's stored light (claim.h
 * claim_lights_keep): the dashboard counts lights from claim_tally, which
 * the store keeps by claim.light, so the lights must be true when read.
 *
 * A stored light holds from light_at until light_until. The store resets
 * light_until to 0 in the transaction of any change to what the light is
 * computed from (schema.c m11 triggers: the claim's state, deadline, risk
 * and dates, its milestones, metrics and reports, its problem's batch, the
 * batch's settings and phases), so what remains to follow is time: a claim
 * whose light_until has come, found by the index claim_light_until, is
 * worked out again exactly as claim_light_of() judges it. */
#include "domain/claim.h"

#include <stdlib.h>

#include "domain/asof.h"

#define CHUNK 500   /* claims worked out again in one write transaction */

/* Claims whose stored light does not hold at $2 ($1 tenant), at most $3:
 * come to their end (index claim_light_until, no sort), or worked out at
 * a later moment (claim_light_at: a clock set back). */
static const char stale_sql[] =
	"SELECT k.id FROM claim k WHERE k.tenant_id = $1 AND k.light_until <= $2 LIMIT $3";
static const char stale_at_sql[] =
	"SELECT k.id FROM claim k WHERE k.tenant_id = $1 AND k.light_at > $2 LIMIT $3";

/* Every batch's as-of moment at $2 and the first moment after $2 at which
 * it may stop being $2: its 结束 phase starting, or the end of its work
 * passing (asof.h); 0 when neither is to come. */
static const char batches_sql[] =
	"SELECT b.id, " BATCH_AS_OF_SQL("b", "$2") ","
	" coalesce((SELECT min(bpc.starts_at) FROM batch_phase bpc WHERE bpc.tenant_id = b.tenant_id"
	"   AND bpc.batch_id = b.id AND bpc.phase = " PHASE_SQL_CLOSED " AND bpc.starts_at > $2), 0),"
	" CASE WHEN " BATCH_END_SQL("b") " > $2 THEN " BATCH_END_SQL("b") " ELSE 0 END"
	" FROM batch b WHERE b.tenant_id = $1 ORDER BY b.id";

struct batch_time {
	int64_t id, as_of, until;
};

static int batch_times(db *d, arena *a, int64_t tenant_id, int64_t now, struct batch_time **out, int *n)
{
	db_stmt *st = db_query(d, batches_sql, "ii", tenant_id, now);
	int rc, cap = 0;

	*out = NULL;
	*n = 0;
	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct batch_time *b = ARENA_PUSH(a, *out, *n, cap);
		int64_t close = db_col_int(st, 2), end = db_col_int(st, 3);
		b->id = db_col_int(st, 0);
		b->as_of = db_col_int(st, 1);
		b->until = INT64_MAX;
		if (close > now)
			b->until = close;
		if (end > now && end < b->until)
			b->until = end;
	}
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

static const struct batch_time *batch_of(const struct batch_time *b, int n, int64_t id)
{
	for (int i = 0; i < n; i++)
		if (b[i].id == id)
			return &b[i];
	return NULL;
}

/* Work claim_id's light out again at now and store it. */
static int refresh(db *d, int64_t tenant_id, int64_t claim_id, int64_t now, const struct batch_time *bt, int nb)
{
	struct light_in in;
	int64_t batch, until;
	enum light l;
	int rc = claim_light_in(d, tenant_id, claim_id, now, &in, &batch);

	if (rc != 0)
		return rc < 0 ? -1 : 0;
	l = claim_light(&in);
	/* a batch judged before now (closed) no longer moves with time */
	until = INT64_MAX;
	if (in.as_of >= now) {
		const struct batch_time *b = batch_of(bt, nb, batch);
		until = claim_light_until(&in);
		if (!b || b->until < until)
			until = b ? b->until : now + 1;
	}
	return db_run(d, "UPDATE claim SET light = $3, light_at = $4, light_until = $5, light_batch_id = $6,"
			 " overdue_since = $7 WHERE tenant_id = $1 AND id = $2",
		      "iiiiiii", tenant_id, claim_id, (int64_t)l, now, until, batch,
		      l == LIGHT_RED ? claim_light_missed(&in) : (int64_t)0);
}

/* One chunk: 1 when it was full (more may remain), 0 when done, -1. */
static int keep_chunk(db *d, int64_t tenant_id, int64_t now)
{
	arena *a = arena_new();
	struct batch_time *bt;
	int64_t *ids = NULL;
	int nb, n = 0, cap = 0, rc;
	db_stmt *st;

	if (db_begin(d, DB_WRITE) < 0) {
		arena_free(a);
		return -1;
	}
	if (batch_times(d, a, tenant_id, now, &bt, &nb) < 0)
		goto fail;
	for (int q = 0; q < 2 && n < CHUNK; q++) {
		if (!(st = db_query(d, q ? stale_at_sql : stale_sql, "iii", tenant_id, now, (int64_t)(CHUNK - n))))
			goto fail;
		while ((rc = db_step(st)) == DB_ROW)
			*ARENA_PUSH(a, ids, n, cap) = db_col_int(st, 0);
		db_done(st);
		if (rc != DB_DONE)
			goto fail;
	}
	for (int i = 0; i < n; i++)
		if (refresh(d, tenant_id, ids[i], now, bt, nb) < 0)
			goto fail;
	arena_free(a);
	if (db_commit(d) < 0)
		return -1;
	return n == CHUNK;
fail:
	arena_free(a);
	db_rollback(d);
	return -1;
}

int claim_lights_keep(db *d, int64_t tenant_id, int64_t now)
{
	int rc;

	while ((rc = keep_chunk(d, tenant_id, now)) == 1)
		;
	/* a full or read-only store: the readers count from the claims */
	return rc < 0 && db_errclass(d) == DB_ENOSPACE ? 1 : rc;
}

int claim_lights_fresh(db *d, int64_t tenant_id, int64_t now)
{
	for (int q = 0; q < 2; q++) {
		db_stmt *st = db_query(d, q ? stale_at_sql : stale_sql, "iii", tenant_id, now, (int64_t)1);
		int rc;
		if (!st)
			return -1;
		rc = db_step(st);
		db_done(st);
		if (rc != DB_DONE)
			return rc == DB_ERROR ? -1 : 0;
	}
	return 1;
}

int claim_lights_keep_all(db *d, int64_t now)
{
	int64_t ids[256], after = INT64_MIN;
	int n, rc;

	do {
		db_stmt *st = db_query(d, "SELECT id FROM tenant WHERE id > $1 ORDER BY id LIMIT 256", "i", after);
		if (!st)
			return -1;
		n = 0;
		while ((rc = db_step(st)) == DB_ROW)
			ids[n++] = db_col_int(st, 0);
		db_done(st);
		if (rc != DB_DONE)
			return -1;
		if (n)
			after = ids[n - 1];
		for (int i = 0; i < n; i++)
			if (claim_lights_keep(d, ids[i], now) < 0)
				return -1;
	} while (n == 256);
	return 0;
}
