/* ratelimit.c - per-address limits on anonymous submissions (ratelimit.h). */
#include "domain/ratelimit.h"

#include <time.h>

#define TZ_OFFSET (8 * 3600) /* Asia/Shanghai */

int rate_hit(struct ctx *c, const struct rate_rule *rule)
{
	int64_t tenant = c->who->tenant_id, since = c->now - rule->window, n = 0, oldest = 0;
	db_stmt *st;

	if (!c->addr || !*c->addr)
		return JB_OK;
	if (db_run(c->d, "DELETE FROM rate_event WHERE tenant_id = $1 AND kind = $2 AND subject = $3 AND at <= $4",
		   "issi", tenant, rule->kind, c->addr, since) == DB_ERROR)
		return -1;
	st = db_query(c->d, "SELECT count(*), coalesce(min(at), 0) FROM rate_event"
			    " WHERE tenant_id = $1 AND kind = $2 AND subject = $3", "iss", tenant, rule->kind, c->addr);
	if (!st)
		return -1;
	if (db_step(st) != DB_ROW) {
		db_done(st);
		return -1;
	}
	n = db_col_int(st, 0);
	oldest = db_col_int(st, 1);
	db_done(st);
	if (n >= rule->max) {
		time_t t = (time_t)(oldest + rule->window + 60 + TZ_OFFSET);
		struct tm tm;

		gmtime_r(&t, &tm);
		c->retry_after = oldest + rule->window - c->now;
		return ctx_fail(c, JB_ELIMITED, NULL, "too_frequent",
				arena_printf(c->a, "提交过于频繁，请在 %02d:%02d 后再试", tm.tm_hour, tm.tm_min));
	}
	if (db_run(c->d, "INSERT INTO rate_event (tenant_id, kind, subject, at) VALUES ($1, $2, $3, $4)", "issi",
		   tenant, rule->kind, c->addr, c->now) == DB_ERROR)
		return -1;
	return JB_OK;
}
