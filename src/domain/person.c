/* person.c - finding people by name and unit (person.h). */
#include "domain/person.h"

#include "domain/search.h"

#define PERSON_COLS "SELECT p.id, p.unit_id, p.name, u.name, p.title, p.rank FROM person p" \
	" JOIN unit u ON u.tenant_id = p.tenant_id AND u.id = p.unit_id"

/* $1 tenant, $2 unit (0: any), $3 substring pattern ('' : any), $4 prefix
 * pattern; one row more than the limit tells whether there are more. */
static const char search_sql[] = PERSON_COLS
	" WHERE p.tenant_id = $1 AND ($2 = 0 OR p.unit_id = $2)"
	" AND ($3 = '' OR lower(p.name) LIKE $3 ESCAPE '\\')"
	" ORDER BY CASE WHEN $4 <> '' AND lower(p.name) LIKE $4 ESCAPE '\\' THEN 0 ELSE 1 END, p.unit_id, p.id"
	" LIMIT 21";
_Static_assert(PERSON_SEARCH_LIMIT == 20, "search_sql's LIMIT is one more than PERSON_SEARCH_LIMIT");

static void fill(arena *a, db_stmt *st, struct person *p)
{
	p->id = db_col_int(st, 0);
	p->unit_id = db_col_int(st, 1);
	p->name = arena_strdup(a, db_col_text(st, 2));
	p->unit = arena_strdup(a, db_col_text(st, 3));
	p->title = arena_strdup(a, db_col_text(st, 4));
	p->rank = arena_strdup(a, db_col_text(st, 5));
}

/* The unit the search is kept to (0: the tenant), or the refusal. */
static int search_scope(struct ctx *c, const char *action, int64_t asked, int64_t *unit)
{
	struct perm_target t = { c->who->tenant_id, asked, 0, false };

	if (asked) {
		*unit = asked;
		return perm_check(c->who, action, &t) ? JB_OK : ctx_deny(c, action, "person", 0);
	}
	return perm_unit_scope(c->who, action, unit) ? JB_OK : ctx_deny(c, action, "person", 0);
}

int person_search(struct ctx *c, const struct person_query *q, struct person_hits *out)
{
	const char *like = search_like(c->a, q->q ? q->q : "");
	int64_t unit;
	db_stmt *st;
	int rc;

	out->n = 0;
	out->more = false;
	if ((rc = search_scope(c, q->pick ? "person.pick" : "user.read", q->unit_id, &unit)) != JB_OK)
		return rc;
	if (!(st = db_prepare(c->d, search_sql)))
		return ctx_store_error(c);
	db_bind_int(st, 1, c->who->tenant_id);
	db_bind_int(st, 2, unit);
	db_bind_text(st, 3, like);
	db_bind_text(st, 4, *like ? like + 1 : "");
	while ((rc = db_step(st)) == DB_ROW) {
		if (out->n == PERSON_SEARCH_LIMIT) {
			out->more = true;
			continue;
		}
		fill(c->a, st, &out->items[out->n]);
		if (q->pick)
			out->items[out->n].rank = "";
		out->n++;
	}
	db_done(st);
	return rc == DB_ERROR ? ctx_store_error(c) : JB_OK;
}

int person_get(db *d, arena *a, int64_t tenant_id, int64_t id, struct person *out)
{
	db_stmt *st = db_prepare(d, PERSON_COLS " WHERE p.tenant_id = $1 AND p.id = $2");
	int rc;

	if (!st)
		return -1;
	db_bind_int(st, 1, tenant_id);
	db_bind_int(st, 2, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		fill(a, st, out);
	db_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

int person_pick_get(struct ctx *c, int64_t id, struct person *out)
{
	struct perm_target t = { c->who->tenant_id, 0, 0, false };
	int rc;

	if (!perm_check(c->who, "person.pick", &t))
		return ctx_deny(c, "person.pick", "person", id);
	if ((rc = person_get(c->d, c->a, c->who->tenant_id, id, out)) < 0)
		return ctx_store_error(c);
	if (rc > 0)
		return ctx_fail(c, JB_ENOTFOUND, NULL, "not_found", "没有这个人员");
	out->rank = "";
	return JB_OK;
}
