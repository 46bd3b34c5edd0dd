/* certificate.c - the acceptance certificate's facts (certificate.h). */
#include "domain/certificate.h"

#include <string.h>
#include <time.h>

#include "domain/bind.h"

static int year_of(int64_t at)
{
	time_t t = (time_t)(at + 8 * 3600);
	struct tm tm;

	gmtime_r(&t, &tm);
	return tm.tm_year + 1900;
}

/* The claim's result, and its place among the year's acceptances. */
static int load_result(struct ctx *c, int64_t id, struct certificate *out)
{
	db_stmt *st = db_query(c->d, "SELECT coalesce(score, 0), grade, coalesce(evaluated_at, 0) FROM claim"
				     " WHERE tenant_id = $1 AND id = $2",
			       "ii", c->who->tenant_id, id);
	int64_t from, to;
	int rc;

	if (!st)
		return -1;
	if ((rc = db_step(st)) == DB_ROW) {
		out->score = db_col_int(st, 0);
		out->grade = arena_strdup(c->a, db_col_text(st, 1));
		out->evaluated_at = db_col_int(st, 2);
	}
	db_done(st);
	if (rc != DB_ROW)
		return -1;
	out->year = year_of(out->evaluated_at);
	from = bind_parse_date(arena_printf(c->a, "%04d-01-01", out->year));
	to = bind_parse_date(arena_printf(c->a, "%04d-01-01", out->year + 1));
	st = db_query(c->d, "SELECT count(*) FROM claim WHERE tenant_id = $1 AND state = $6"
			    " AND evaluated_at >= $2 AND evaluated_at < $3"
			    " AND (evaluated_at < $4 OR (evaluated_at = $4 AND id <= $5))",
		      "iiiiis", c->who->tenant_id, from, to, out->evaluated_at, id, claim_state_info[CLAIM_ACCEPTED].code);
	if (!st)
		return -1;
	if ((rc = db_step(st)) == DB_ROW)
		out->number = db_col_int(st, 0);
	db_done(st);
	return rc == DB_ROW ? 0 : -1;
}

int certificate_get(struct ctx *c, int64_t id, const char *county, struct claim_detail *d, struct certificate *out)
{
	int rc = claim_get(c, id, d);

	memset(out, 0, sizeof(*out));
	out->county = county ? county : "";
	if (rc != JB_OK)
		return rc;
	if (d->state != CLAIM_ACCEPTED)
		return ctx_fail(c, JB_ENOTFOUND, NULL, "not_accepted",
				arena_printf(c->a, "这项揭榜现为“%s”，尚未通过验收，没有验收证书", claim_state_info[d->state].zh));
	if (load_result(c, id, out) < 0)
		return ctx_store_error(c);
	return JB_OK;
}
