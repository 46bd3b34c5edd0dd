/* audit.c - writing and reading the audit log. */
#include "domain/audit.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/audit_chain.h"
#include "util/log.h"

/* One entry, with its link in the tenant's hash chain (audit_chain.h). */
static int insert_entry(db *d, int64_t at, int64_t tenant_id, const char *actor, const char *action,
			const char *object_type, int64_t object_id, const char *before_json,
			const char *after_json, const char *client_addr, const char *outcome)
{
	struct audit_fields e = { .tenant_id = tenant_id, .at = at, .actor = actor && *actor ? actor : "anonymous",
				  .action = action, .object_type = object_type, .object_id = object_id,
				  .before_json = before_json, .after_json = after_json,
				  .client_addr = client_addr ? client_addr : "", .outcome = outcome };
	char hash[AUDIT_HASH_LEN + 1];
	db_stmt *st;
	int rc;

	if ((e.id = db_next_id(d, tenant_id, "audit_event")) < 0 || audit_chain_next(d, &e, hash) < 0)
		return -1;
	st = db_prepare(d, "INSERT INTO audit_event (tenant_id, id, at, actor, action, object_type, object_id,"
			   " before_json, after_json, client_addr, outcome, hash)"
			   " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)");
	if (!st)
		return -1;
	db_bind_int(st, 1, tenant_id);
	db_bind_int(st, 2, e.id);
	db_bind_int(st, 3, at);
	db_bind_text(st, 4, e.actor);
	db_bind_text(st, 5, action);
	db_bind_text(st, 6, object_type);
	db_bind_id(st, 7, object_id);
	db_bind_text(st, 8, before_json);
	db_bind_text(st, 9, after_json);
	db_bind_text(st, 10, e.client_addr);
	db_bind_text(st, 11, outcome);
	db_bind_text(st, 12, hash);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

int audit_record_outcome(db *d, int64_t tenant_id, const char *actor, const char *action,
			 const char *object_type, int64_t object_id, const char *before_json,
			 const char *after_json, const char *client_addr, const char *outcome)
{
	return insert_entry(d, (int64_t)time(NULL), tenant_id, actor, action, object_type, object_id, before_json,
			    after_json, client_addr, outcome);
}

int audit_record_at(db *d, int64_t at, int64_t tenant_id, const char *actor, const char *action,
		    const char *object_type, int64_t object_id, const char *before_json,
		    const char *after_json, const char *client_addr)
{
	return insert_entry(d, at, tenant_id, actor, action, object_type, object_id, before_json, after_json,
			    client_addr, AUDIT_OK);
}

int audit_record(db *d, int64_t tenant_id, const char *actor, const char *action,
		 const char *object_type, int64_t object_id, const char *before_json,
		 const char *after_json, const char *client_addr)
{
	return audit_record_outcome(d, tenant_id, actor, action, object_type, object_id, before_json,
				    after_json, client_addr, AUDIT_OK);
}

static int write_summary(db *d, const struct audit_summary *s)
{
	json_t *o = json_pack("{s:s, s:I, s:I, s:I}", "addr", s->addr, "count", (json_int_t)s->count,
			      "since", (json_int_t)s->since, "until", (json_int_t)s->until);
	char *detail = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	int rc;

	json_decref(o);
	rc = audit_record_outcome(d, s->tenant_id, "anonymous", "refusal.summary", "address", 0, NULL, detail,
				  s->addr, AUDIT_DENIED);
	free(detail);
	return rc;
}

/* n summaries inside the caller's write transaction. */
static int write_summaries_in(db *d, const struct audit_summary *s, int n)
{
	for (int i = 0; i < n; i++)
		if (write_summary(d, &s[i]) < 0)
			return -1;
	return 0;
}

int audit_write_summaries(db *d, const struct audit_summary *s, int n)
{
	if (!n)
		return 0;
	if (db_begin(d, DB_WRITE) < 0 || write_summaries_in(d, s, n) < 0 || db_commit(d) < 0) {
		db_rollback(d);
		return -1;
	}
	return 0;
}

void audit_denied(db *d, struct audit_gate *gate, int64_t tenant_id, const char *actor, const char *action,
		  const char *object_type, int64_t object_id, const char *reason,
		  const char *login, const char *client_addr)
{
	struct audit_summary due[AUDIT_GATE_BATCH];
	int ndue = 0, rc = 0;
	bool full;
	char *detail;
	json_t *o;

	if (tenant_id <= 0)
		return;
	full = !gate || audit_gate_admit(gate, tenant_id, client_addr, (int64_t)time(NULL), due, &ndue);
	if (!full && !ndue)
		return;
	o = json_pack("{s:s, s:s*}", "reason", reason, "login", login);
	detail = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	if (db_begin(d, DB_WRITE) < 0 || write_summaries_in(d, due, ndue) < 0)
		rc = -1;
	if (rc == 0 && full)
		rc = audit_record_outcome(d, tenant_id, actor, action, object_type, object_id, NULL, detail,
					  client_addr, AUDIT_DENIED);
	if (rc < 0 || db_commit(d) < 0) {
		log_error("audit: cannot record a refused '%s': %s", action, db_errmsg(d));
		db_rollback(d);
	}
	free(detail);
}

#define LIST_SQL(order) \
	"SELECT id, at, actor, action, object_type, coalesce(object_id, 0), coalesce(before_json, '')," \
	" coalesce(after_json, ''), client_addr, outcome FROM audit_event" \
	" WHERE tenant_id = $1" \
	" AND ($2 = '' OR actor = $2)" \
	" AND ($3 = '' OR action = $3 OR (substr($3, length($3), 1) = '.' AND substr(action, 1, length($3)) = $3))" \
	" AND ($4 = '' OR object_type = $4)" \
	" AND (CAST($5 AS BIGINT) = 0 OR object_id = CAST($5 AS BIGINT))" \
	" AND (CAST($6 AS BIGINT) = 0 OR at >= CAST($6 AS BIGINT))" \
	" AND (CAST($7 AS BIGINT) = 0 OR at < CAST($7 AS BIGINT))" \
	" AND (CAST($8 AS BIGINT) = 0 OR id < CAST($8 AS BIGINT))" \
	" AND (CAST($10 AS BIGINT) = 0 OR id > CAST($10 AS BIGINT))" \
	" AND ($11 = '' OR outcome = $11)" \
	" ORDER BY id " order " LIMIT $9"
/* Two texts, not ORDER BY CASE: each order walks an index instead of
 * sorting every matching entry. */
static const char list_sql[] = LIST_SQL("DESC");
static const char list_asc_sql[] = LIST_SQL("ASC");

static const char *dup(arena *a, db_stmt *st, int col)
{
	return arena_strdup(a, db_col_text(st, col));
}

int audit_list(db *d, arena *a, int64_t tenant_id, const struct audit_filter *f,
	       struct audit_entry **out, int *n, bool *more)
{
	int limit = f->limit < 1 ? 50 : f->limit > 200 ? 200 : f->limit;
	db_stmt *st;
	int rc;

	*n = 0;
	*more = false;
	*out = arena_alloc(a, (size_t)limit * sizeof(**out));
	st = db_prepare(d, f->oldest_first ? list_asc_sql : list_sql);
	if (!st)
		return -1;
	db_bind_int(st, 1, tenant_id);
	db_bind_text(st, 2, f->actor ? f->actor : "");
	db_bind_text(st, 3, f->action ? f->action : "");
	db_bind_text(st, 4, f->object_type ? f->object_type : "");
	db_bind_int(st, 5, f->object_id);
	db_bind_int(st, 6, f->from);
	db_bind_int(st, 7, f->to);
	db_bind_int(st, 8, f->before_id);
	db_bind_int(st, 9, limit + 1);
	db_bind_int(st, 10, f->after_id);
	db_bind_text(st, 11, f->outcome ? f->outcome : "");
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == limit) {
			*more = true;
			continue;
		}
		struct audit_entry *e = &(*out)[(*n)++];
		e->id = db_col_int(st, 0);
		e->at = db_col_int(st, 1);
		e->actor = dup(a, st, 2);
		e->action = dup(a, st, 3);
		e->object_type = dup(a, st, 4);
		e->object_id = db_col_int(st, 5);
		e->before_json = dup(a, st, 6);
		e->after_json = dup(a, st, 7);
		e->client_addr = dup(a, st, 8);
		e->outcome = dup(a, st, 9);
	}
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}
