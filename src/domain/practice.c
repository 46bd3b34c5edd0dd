/* practice.c - practices (经验做法) and their verbs (contract in practice.h). */
#include "domain/practice.h"

#include <string.h>

#include "domain/audit.h"
#include "domain/notify.h"
#include "domain/perm.h"
#include "domain/search.h"
#include "domain/state.h"

/* ---- states (pure) ---- */

#define PRACTICE_LABEL(name, code, zh, pub) { code, zh },
const struct label practice_states[] = { PRACTICE_STATES(PRACTICE_LABEL) { NULL, NULL } };
#undef PRACTICE_LABEL
#define PRACTICE_PUB(name, code, zh, pub) pub,
static const bool state_public[] = { PRACTICE_STATES(PRACTICE_PUB) };
#undef PRACTICE_PUB

int practice_state_of(const char *code)
{
	for (int i = 0; code && i < PRACTICE_STATE_COUNT; i++)
		if (!strcmp(practice_states[i].code, code))
			return i;
	return -1;
}

bool practice_state_public(int state)
{
	return state >= 0 && state < PRACTICE_STATE_COUNT && state_public[state];
}

bool practice_claim_solved(int claim_state)
{
	return claim_state == CLAIM_SOLVED || claim_state == CLAIM_ACCEPTED;
}

int practice_move_allowed(int from, int to)
{
	switch (to) {
	case PRACTICE_DRAFT:       /* editing */
	case PRACTICE_RECOMMENDED:
		return from == PRACTICE_DRAFT ? JB_OK : JB_ECONFLICT;
	case PRACTICE_ADOPTED:
		return from == PRACTICE_RECOMMENDED ? JB_OK : JB_ECONFLICT;
	}
	return JB_ECONFLICT;
}

static const char *code_of(int state)
{
	return practice_states[state].code;
}

/* ---- input ---- */

const struct bind_field practice_fields[] = {
	BIND_TEXT(struct practice_in, title, "标题", BIND_REQUIRED, 1, 100),
	BIND_TEXT(struct practice_in, summary, "做法概述", BIND_REQUIRED | BIND_MULTILINE, 1, PRACTICE_TEXT_MAX),
	BIND_TEXT(struct practice_in, steps, "主要步骤", BIND_MULTILINE, 0, PRACTICE_TEXT_MAX),
	BIND_TEXT(struct practice_in, conditions, "推广条件", BIND_MULTILINE, 0, PRACTICE_TEXT_MAX),
	BIND_IDS(struct practice_in, claim_ids, "关联揭榜", BIND_REQUIRED, PRACTICE_MAX_CLAIMS),
	BIND_END,
};

const struct bind_field practice_adopt_fields[] = {
	BIND_TEXT(struct practice_adopt_in, doc_no, "文号", BIND_REQUIRED, 1, 60),
	BIND_TEXT(struct practice_adopt_in, issuer, "发文单位", BIND_REQUIRED, 1, 100),
	BIND_DATE(struct practice_adopt_in, adopted_on, "发文日期", BIND_REQUIRED),
	BIND_END,
};

/* ---- who may ---- */

static struct perm_target tenant_target(const struct principal *who, int64_t owner_user_id, bool member)
{
	struct perm_target t = { who->tenant_id, 0, owner_user_id, member };
	return t;
}

bool practice_sees_drafts(const struct principal *who)
{
	struct perm_target t = tenant_target(who, 0, false);
	return perm_check(who, "practice.recommend", &t);
}

/* Whether who may see p (its state and author). */
static bool sees(const struct principal *who, int state, int64_t author_user_id)
{
	return practice_state_public(state) || (who->user_id && author_user_id == who->user_id) ||
	       practice_sees_drafts(who);
}

/* Whether who owns (is the owner person of) one of claims[0..n). */
static bool owns_one(const struct principal *who, const struct practice_claim *claims, int n)
{
	for (int i = 0; who->person_id && i < n; i++)
		if (claims[i].owner_person_id == who->person_id)
			return true;
	return false;
}

/* practice.write on a practice with these claims: an admin, or who owns
 * one of them and (when author_user_id is not 0: an edit) wrote it. */
static bool may_write(const struct principal *who, int64_t author_user_id, const struct practice_claim *claims, int n)
{
	bool own = owns_one(who, claims, n) && (!author_user_id || author_user_id == who->user_id);
	struct perm_target t = tenant_target(who, 0, own);

	return perm_check(who, "practice.write", &t);
}

static bool author_or_admin(const struct principal *who, const struct practice *p);

bool practice_may_write(const struct principal *who, const struct practice *p)
{
	return author_or_admin(who, p);
}

bool practice_may_edit(const struct principal *who, const struct practice *p)
{
	return p->state == PRACTICE_DRAFT && author_or_admin(who, p);
}

bool practice_may_recommend(const struct principal *who, const struct practice *p)
{
	struct perm_target t = tenant_target(who, 0, false);
	return p->state == PRACTICE_DRAFT && perm_check(who, "practice.recommend", &t);
}

bool practice_may_adopt(const struct principal *who, const struct practice *p)
{
	struct perm_target t = tenant_target(who, 0, false);
	return p->state == PRACTICE_RECOMMENDED && perm_check(who, "practice.adopt", &t);
}

bool practice_may_write_for(const struct principal *who, int64_t owner_person_id, int claim_state)
{
	struct practice_claim k = { .owner_person_id = owner_person_id };
	return practice_claim_solved(claim_state) && may_write(who, 0, &k, 1);
}

/* ---- reading ---- */

static const char *col(arena *a, db_stmt *st, int i)
{
	return arena_strdup(a, db_col_text(st, i));
}

#define CLAIM_COLS \
	"SELECT c.id, c.problem_id, coalesce(c.owner_person_id, 0), c.state, pr.title, coalesce(u.name, '')," \
	" coalesce(l.name, ''), coalesce(o.name, '')"
#define CLAIM_JOINS \
	" JOIN problem pr ON pr.tenant_id = c.tenant_id AND pr.id = c.problem_id" \
	" LEFT JOIN unit u ON u.tenant_id = c.tenant_id AND u.id = c.unit_id" \
	" LEFT JOIN person l ON l.tenant_id = c.tenant_id AND l.id = c.lead_person_id" \
	" LEFT JOIN person o ON o.tenant_id = c.tenant_id AND o.id = c.owner_person_id"

/* The rows of st (CLAIM_COLS), stepped and done, appended to *out. */
static int read_claims(arena *a, db_stmt *st, struct practice_claim **out, int *n)
{
	int cap = 0, rc;

	*out = NULL;
	*n = 0;
	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct practice_claim *k = ARENA_PUSH(a, *out, *n, cap);
		k->claim_id = db_col_int(st, 0);
		k->problem_id = db_col_int(st, 1);
		k->owner_person_id = db_col_int(st, 2);
		k->state = claim_state_of(db_col_text(st, 3));
		k->problem_title = col(a, st, 4);
		k->unit = col(a, st, 5);
		k->lead = col(a, st, 6);
		k->owner = col(a, st, 7);
	}
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

static int claims_of(db *d, arena *a, int64_t tenant_id, int64_t id, struct practice *p)
{
	return read_claims(a, db_query(d, CLAIM_COLS " FROM practice_claim pc"
					  " JOIN claim c ON c.tenant_id = pc.tenant_id AND c.id = pc.claim_id" CLAIM_JOINS
					  " WHERE pc.tenant_id = $1 AND pc.practice_id = $2 ORDER BY c.id",
				       "ii", tenant_id, id),
			   &p->claims, &p->nclaims);
}

#define PRACTICE_COLS \
	"SELECT p.id, p.title, p.summary, p.steps, p.conditions, p.state, coalesce(p.author_user_id, 0)," \
	" p.created_at, p.updated_at, coalesce(p.recommended_at, 0), p.recommended_by, p.doc_no, p.issuer," \
	" coalesce(p.adopted_on, 0), coalesce((SELECT w.login FROM app_user w WHERE w.tenant_id = p.tenant_id" \
	"   AND w.id = p.author_user_id), ''), coalesce((SELECT n.name FROM app_user w JOIN person n" \
	"   ON n.tenant_id = w.tenant_id AND n.id = w.person_id WHERE w.tenant_id = p.tenant_id AND w.id = p.author_user_id), '')"

static void fill(arena *a, db_stmt *st, struct practice *p)
{
	memset(p, 0, sizeof(*p));
	p->id = db_col_int(st, 0);
	p->title = col(a, st, 1);
	p->summary = col(a, st, 2);
	p->steps = col(a, st, 3);
	p->conditions = col(a, st, 4);
	p->state = practice_state_of(db_col_text(st, 5));
	p->author_user_id = db_col_int(st, 6);
	p->created_at = db_col_int(st, 7);
	p->updated_at = db_col_int(st, 8);
	p->recommended_at = db_col_int(st, 9);
	p->recommended_by = col(a, st, 10);
	p->doc_no = col(a, st, 11);
	p->issuer = col(a, st, 12);
	p->adopted_on = db_col_int(st, 13);
	p->author_login = col(a, st, 14);
	p->author = col(a, st, 15);
}

/* Practice id whatever its state: 0, 1 none, -1. */
static int read_practice(db *d, arena *a, int64_t tenant_id, int64_t id, struct practice *out)
{
	db_stmt *st = db_query(d, PRACTICE_COLS " FROM practice p WHERE p.tenant_id = $1 AND p.id = $2", "ii",
			       tenant_id, id);
	int rc;

	if (!st)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW)
		fill(a, st, out);
	db_done(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? 1 : -1;
	return claims_of(d, a, tenant_id, id, out);
}

int practice_read(db *d, arena *a, int64_t tenant_id, int64_t id, struct practice *out)
{
	int rc;

	if (db_begin(d, DB_READ) < 0)
		return -1;
	if ((rc = read_practice(d, a, tenant_id, id, out)) < 0) {
		db_rollback(d);
		return -1;
	}
	return db_commit(d) < 0 ? -1 : rc;
}

int practice_get(db *d, arena *a, const struct principal *who, int64_t id, struct practice *out)
{
	int rc;

	if (db_begin(d, DB_READ) < 0)
		return -1;
	rc = read_practice(d, a, who->tenant_id, id, out);
	if (rc == 0 && !sees(who, out->state, out->author_user_id))
		rc = 1;
	if (rc < 0) {
		db_rollback(d);
		return -1;
	}
	return db_commit(d) < 0 ? -1 : rc;
}

/* ---- the list and its search ---- */

/* $1 tenant, $2 1: drafts too, $3 the reader (their own drafts), $4 a
 * state ('' any); the pairs from $5 (search_plan: the rarest first). */
#define LIST_COND \
	" p.tenant_id = $1 AND (p.state IN " PRACTICE_SQL_PUBLIC " OR $2 = 1 OR p.author_user_id = $3)" \
	" AND ($4 = '' OR p.state = $4) ORDER BY p.id DESC"
#define FROM_PLAIN " FROM practice p WHERE" LIST_COND
/* CROSS JOIN keeps SQLite's join order: posting list first, as the board. */
#define PAIRS_FROM \
	" FROM practice_gram g CROSS JOIN practice p" \
	" WHERE g.tenant_id = $1 AND g.gram = $5 AND p.tenant_id = g.tenant_id AND p.id = g.practice_id"
#define ALSO(g) " AND EXISTS (SELECT 1 FROM practice_gram x WHERE x.tenant_id = $1 AND x.gram = " g \
		" AND x.practice_id = g.practice_id)"
_Static_assert(SEARCH_MAX_PAIRS == 4, "list_sql has variants for 0-4 pairs");
static const char *const list_sql[SEARCH_MAX_PAIRS + 1] = {
	PRACTICE_COLS FROM_PLAIN,
	PRACTICE_COLS PAIRS_FROM " AND" LIST_COND,
	PRACTICE_COLS PAIRS_FROM ALSO("$6") " AND" LIST_COND,
	PRACTICE_COLS PAIRS_FROM ALSO("$6") ALSO("$7") " AND" LIST_COND,
	PRACTICE_COLS PAIRS_FROM ALSO("$6") ALSO("$7") ALSO("$8") " AND" LIST_COND,
};

/* The searchable text of p (the contract in practice.h), folded. */
static const char *practice_text(arena *a, const struct practice *p)
{
	return search_fold(a, arena_printf(a, "%s\n%s\n%s\n%s", p->title, p->summary, p->steps, p->conditions));
}

/* Every practice who sees that the plan and state leave, newest first. */
static int candidates(db *d, arena *a, const struct principal *who, const struct search_plan *sp, const char *state,
		      struct practice **out, int *n)
{
	db_stmt *st = db_prepare(d, list_sql[sp->npairs]);
	int cap = 0, rc;

	*out = NULL;
	*n = 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, who->tenant_id);
	db_bind_int(st, 2, practice_sees_drafts(who) ? 1 : 0);
	db_bind_int(st, 3, who->user_id);
	db_bind_text(st, 4, state ? state : "");
	for (int i = 0; i < sp->npairs; i++)
		db_bind_text(st, 5 + i, sp->pairs[i]);
	while ((rc = db_step(st)) == DB_ROW) {
		struct practice p;
		fill(a, st, &p);
		if (search_plan_matches(sp, practice_text(a, &p)))
			*ARENA_PUSH(a, *out, *n, cap) = p;
	}
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

int practice_list(db *d, arena *a, const struct principal *who, const struct practice_filter *f,
		  struct practice_page *out)
{
	struct search_plan sp;
	struct practice *all = NULL;
	int64_t from = (f->page - 1) * f->per_page;
	int n = 0;

	memset(out, 0, sizeof(*out));
	if (db_begin(d, DB_READ) < 0)
		return -1;
	if (search_plan_in(d, a, &search_practices, who->tenant_id, f->q, &sp) < 0)
		goto fail;
	if (!sp.none && candidates(d, a, who, &sp, f->state, &all, &n) < 0)
		goto fail;
	out->total = n;
	out->items = from < n ? all + from : NULL;
	out->n = from < n ? (int)(n - from < f->per_page ? n - from : f->per_page) : 0;
	for (int i = 0; i < out->n; i++)
		if (claims_of(d, a, who->tenant_id, out->items[i].id, &out->items[i]) < 0)
			goto fail;
	return db_commit(d);
fail:
	db_rollback(d);
	return -1;
}

int practice_list_for_claim(db *d, arena *a, const struct principal *who, int64_t claim_id, struct practice **out,
			    int *n)
{
	db_stmt *st = db_query(d, PRACTICE_COLS " FROM practice_claim pc JOIN practice p ON p.tenant_id = pc.tenant_id"
				  " AND p.id = pc.practice_id WHERE pc.tenant_id = $1 AND pc.claim_id = $2 ORDER BY p.id",
			       "ii", who->tenant_id, claim_id);
	int cap = 0, rc;

	*out = NULL;
	*n = 0;
	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct practice p;
		fill(a, st, &p);
		if (sees(who, p.state, p.author_user_id))
			*ARENA_PUSH(a, *out, *n, cap) = p;
	}
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

int practice_linkable_claims(db *d, arena *a, const struct principal *who, struct practice_claim **out, int *n)
{
	struct perm_target t = tenant_target(who, 0, false);
	bool admin = perm_check(who, "practice.write", &t);
	struct practice_claim *all;
	int m, k = 0;

	*out = NULL;
	*n = 0;
	if (!admin && (!who->person_id || !perm_any(who, "practice.write")))
		return 0;
	/* The counted claims, of which the declared-solved ones are kept in C
	 * (state.h has no list of the claims' solved states). */
	if (read_claims(a, db_query(d, CLAIM_COLS " FROM claim c" CLAIM_JOINS
					" WHERE c.tenant_id = $1 AND c.state IN " STATE_SQL_COUNTED_CLAIMS
					" AND ($2 = 0 OR c.owner_person_id = $2) ORDER BY c.id DESC",
				     "ii", who->tenant_id, admin ? (int64_t)0 : who->person_id),
			&all, &m) < 0)
		return -1;
	for (int i = 0; i < m; i++)
		if (practice_claim_solved(all[i].state))
			all[k++] = all[i];
	*out = all;
	*n = k;
	return 0;
}

int practice_history(db *d, arena *a, int64_t tenant_id, int64_t id, struct practice_step **out, int *n)
{
	struct audit_filter f = { .action = "practice.", .object_type = "practice", .object_id = id,
				  .outcome = AUDIT_OK, .oldest_first = true, .limit = 200 };
	struct audit_entry *e;
	bool more;

	*out = NULL;
	*n = 0;
	if (audit_list(d, a, tenant_id, &f, &e, n, &more) < 0)
		return -1;
	*out = arena_alloc(a, (size_t)(*n ? *n : 1) * sizeof(**out));
	for (int i = 0; i < *n; i++)
		(*out)[i] = (struct practice_step){ e[i].at, e[i].action, e[i].actor };
	return 0;
}

/* ---- writing ---- */

/* The claims in->claim_ids names (duplicates dropped), each of the tenant
 * and declared solved; errors on "claim_ids". */
static int load_claims(struct ctx *c, const struct practice_in *in, struct practice_claim **out, int *n)
{
	int cap = 0;

	*out = NULL;
	*n = 0;
	for (int i = 0; i < in->claim_ids.n; i++) {
		int64_t id = in->claim_ids.v[i];
		struct practice_claim *k;
		int m, dup = 0;

		for (int j = 0; j < *n && !dup; j++)
			dup = (*out)[j].claim_id == id;
		if (dup)
			continue;
		if (read_claims(c->a, db_query(c->d, CLAIM_COLS " FROM claim c" CLAIM_JOINS
							 " WHERE c.tenant_id = $1 AND c.id = $2",
						      "ii", c->who->tenant_id, id),
				&k, &m) < 0)
			return -1;
		if (!m)
			return ctx_invalid(c, "claim_ids", "no_such_claim",
					   arena_printf(c->a, "没有编号为 %lld 的揭榜", (long long)id));
		if (!practice_claim_solved(k->state))
			return ctx_invalid(c, "claim_ids", "not_solved",
					   arena_printf(c->a, "揭榜 #%lld“%s”还没有破题，只能关联已破题或已验收的揭榜",
							(long long)id, k->problem_title));
		*ARENA_PUSH(c->a, *out, *n, cap) = *k;
	}
	if (!*n)
		return ctx_invalid(c, "claim_ids", "missing_field", "请选择至少一项关联揭榜");
	return JB_OK;
}

/* Blank text is no text: a title or summary of spaces only is refused. */
static int text_check(struct ctx *c, const struct practice_in *in)
{
	int rc = JB_OK;
	const char *s;

	for (s = in->title; *s == ' ' || *s == '\t'; s++)
		;
	if (!*s)
		rc = ctx_invalid(c, "title", "blank", "请填写标题");
	for (s = in->summary; *s && strchr(" \t\r\n", *s); s++)
		;
	if (!*s)
		rc = ctx_invalid(c, "summary", "blank", "请填写做法概述");
	return rc;
}

/* Write id's claims and index entries from in (the practice row is written). */
static int write_links(struct ctx *c, int64_t id, const struct practice_in *in, const struct practice_claim *k, int n)
{
	struct practice p = { .title = in->title, .summary = in->summary, .steps = in->steps, .conditions = in->conditions };
	int64_t t = c->who->tenant_id;

	if (db_run(c->d, "DELETE FROM practice_claim WHERE tenant_id = $1 AND practice_id = $2", "ii", t, id) != DB_DONE)
		return -1;
	for (int i = 0; i < n; i++)
		if (db_run(c->d, "INSERT INTO practice_claim (tenant_id, practice_id, claim_id) VALUES ($1, $2, $3)", "iii", t,
			   id, k[i].claim_id) != DB_DONE)
			return -1;
	return search_index_write(c->d, &search_practices, t, id, practice_text(c->a, &p));
}

static json_t *claim_ids_json(const struct practice_claim *k, int n)
{
	json_t *ids = json_array();

	for (int i = 0; i < n; i++)
		json_array_append_new(ids, json_integer(k[i].claim_id));
	return ids;
}

static void in_defaults(struct practice_in *in)
{
	in->steps = in->steps ? in->steps : "";
	in->conditions = in->conditions ? in->conditions : "";
}

struct create_args {
	struct practice_in in;
	int64_t *id;
};

static int create_verb(struct ctx *c, void *v)
{
	struct create_args *x = v;
	struct practice_claim *k;
	int n, rc;

	if ((rc = text_check(c, &x->in)) != JB_OK || (rc = load_claims(c, &x->in, &k, &n)) != JB_OK)
		return rc;
	if (!may_write(c->who, 0, k, n))
		return ctx_deny(c, "practice.write", "claim", k[0].claim_id);
	if ((*x->id = db_next_id(c->d, c->who->tenant_id, "practice")) < 0 ||
	    db_run(c->d, "INSERT INTO practice (tenant_id, id, title, summary, steps, conditions, state, author_user_id,"
			 " created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
		   "iisssssdi", c->who->tenant_id, *x->id, x->in.title, x->in.summary, x->in.steps, x->in.conditions,
		   code_of(PRACTICE_DRAFT), c->who->user_id, c->now) != DB_DONE ||
	    write_links(c, *x->id, &x->in, k, n) < 0)
		return -1;
	return ctx_audit(c, "practice.create", "practice", *x->id, NULL,
			 json_pack("{s:s, s:o}", "title", x->in.title, "claim_ids", claim_ids_json(k, n))) < 0 ? -1 : JB_OK;
}

int practice_create(struct ctx *c, const struct practice_in *in, int64_t *id)
{
	struct create_args x = { *in, id };

	in_defaults(&x.in);
	return action_run(c, create_verb, &x);
}

/* Practice id for a verb: JB_OK with it in *p, or JB_ENOTFOUND. The
 * verb's permission comes next: those who may recommend or adopt see
 * drafts, and an edit is its author's or an admin's. */
static int load(struct ctx *c, int64_t id, struct practice *p)
{
	int rc = read_practice(c->d, c->a, c->who->tenant_id, id, p);

	if (rc < 0)
		return -1;
	return rc ? ctx_fail(c, JB_ENOTFOUND, NULL, "not_found", "没有这条经验做法") : JB_OK;
}

/* practice.write on p as its author (own) or an admin (tenant). */
static bool author_or_admin(const struct principal *who, const struct practice *p)
{
	struct perm_target t = tenant_target(who, p->author_user_id, false);
	return p->author_user_id ? perm_check(who, "practice.write", &t) : may_write(who, -1, NULL, 0);
}

/* JB_ECONFLICT naming the state p is in and the one the move needs. */
static int wrong_state(struct ctx *c, const struct practice *p, const char *doing, int needs)
{
	return ctx_fail(c, JB_ECONFLICT, NULL, "wrong_state",
			arena_printf(c->a, "这条经验做法现为“%s”，只有“%s”的才能%s", practice_states[p->state].zh,
				     practice_states[needs].zh, doing));
}

/* Move p from `from` to `to` as a compare-and-set, with the columns the
 * move sets: JB_OK, or JB_ECONFLICT when it moved meanwhile. */
static int cas(struct ctx *c, const struct practice *p, int from, int to, const struct practice_adopt_in *doc)
{
	int rc;

	if (to == PRACTICE_RECOMMENDED)
		rc = db_run(c->d, "UPDATE practice SET state = $3, recommended_at = $4, recommended_by = $5, updated_at = $4"
				  " WHERE tenant_id = $1 AND id = $2 AND state = $6 RETURNING id",
			    "iisiss", c->who->tenant_id, p->id, code_of(to), c->now, ctx_actor(c).name, code_of(from));
	else
		rc = db_run(c->d, "UPDATE practice SET state = $3, doc_no = $4, issuer = $5, adopted_on = $6, updated_at = $7"
				  " WHERE tenant_id = $1 AND id = $2 AND state = $8 RETURNING id",
			    "iisssiis", c->who->tenant_id, p->id, code_of(to), doc->doc_no, doc->issuer, doc->adopted_on,
			    c->now, code_of(from));
	if (rc == DB_ERROR)
		return -1;
	return rc == DB_ROW ? JB_OK : ctx_fail(c, JB_ECONFLICT, NULL, "changed", "这条经验做法刚被他人处理，请刷新后再试");
}

/* Tell p's author what someone else did. */
static int tell_author(struct ctx *c, const struct practice *p, const char *kind, const char *what)
{
	if (!p->author_user_id || p->author_user_id == c->who->user_id)
		return 0;
	return notify(c, p->author_user_id, kind, "practice", p->id,
		      arena_printf(c->a, "您撰写的经验做法“%s”%s", p->title, what), "");
}

struct update_args {
	int64_t id;
	struct practice_in in;
};

static int update_verb(struct ctx *c, void *v)
{
	struct update_args *x = v;
	struct practice p;
	struct practice_claim *k;
	int n, rc;

	if ((rc = load(c, x->id, &p)) != JB_OK)
		return rc;
	if (!author_or_admin(c->who, &p))
		return ctx_deny(c, "practice.write", "practice", p.id);
	if (practice_move_allowed(p.state, PRACTICE_DRAFT) != JB_OK)
		return wrong_state(c, &p, "修改", PRACTICE_DRAFT);
	if ((rc = text_check(c, &x->in)) != JB_OK || (rc = load_claims(c, &x->in, &k, &n)) != JB_OK)
		return rc;
	if (!may_write(c->who, p.author_user_id ? p.author_user_id : -1, k, n))
		return ctx_fail(c, JB_EINVALID, "claim_ids", "not_owner", "关联揭榜中须至少有一项由您担任主要负责人");
	rc = db_run(c->d, "UPDATE practice SET title = $3, summary = $4, steps = $5, conditions = $6, updated_at = $7"
			  " WHERE tenant_id = $1 AND id = $2 AND state = $8 RETURNING id",
		    "iissssis", c->who->tenant_id, p.id, x->in.title, x->in.summary, x->in.steps, x->in.conditions, c->now,
		    code_of(PRACTICE_DRAFT));
	if (rc == DB_ERROR || (rc == DB_ROW && write_links(c, p.id, &x->in, k, n) < 0))
		return -1;
	if (rc == DB_DONE)
		return wrong_state(c, &p, "修改", PRACTICE_DRAFT);
	if (ctx_audit(c, "practice.update", "practice", p.id,
		      json_pack("{s:s, s:o}", "title", p.title, "claim_ids", claim_ids_json(p.claims, p.nclaims)),
		      json_pack("{s:s, s:o}", "title", x->in.title, "claim_ids", claim_ids_json(k, n))) < 0)
		return -1;
	return tell_author(c, &p, "practice.update", "已被管理员修改") < 0 ? -1 : JB_OK;
}

int practice_update(struct ctx *c, int64_t id, const struct practice_in *in)
{
	struct update_args x = { id, *in };

	in_defaults(&x.in);
	return action_run(c, update_verb, &x);
}

static int recommend_verb(struct ctx *c, void *v)
{
	const int64_t *id = v;
	struct practice p;
	int rc;

	if ((rc = load(c, *id, &p)) != JB_OK)
		return rc;
	if (!practice_sees_drafts(c->who)) /* practice.recommend */
		return ctx_deny(c, "practice.recommend", "practice", p.id);
	if (practice_move_allowed(p.state, PRACTICE_RECOMMENDED) != JB_OK)
		return wrong_state(c, &p, "推荐", PRACTICE_DRAFT);
	if ((rc = cas(c, &p, PRACTICE_DRAFT, PRACTICE_RECOMMENDED, NULL)) != JB_OK)
		return rc;
	if (ctx_audit(c, "practice.recommend", "practice", p.id, json_pack("{s:s}", "state", code_of(p.state)),
		      json_pack("{s:s}", "state", code_of(PRACTICE_RECOMMENDED))) < 0)
		return -1;
	return tell_author(c, &p, "practice.recommend", "已被考评组推荐") < 0 ? -1 : JB_OK;
}

int practice_recommend(struct ctx *c, int64_t id)
{
	return action_run(c, recommend_verb, &id);
}

struct adopt_args {
	int64_t id;
	const struct practice_adopt_in *in;
};

static int adopt_verb(struct ctx *c, void *v)
{
	struct adopt_args *x = v;
	struct perm_target t = tenant_target(c->who, 0, false);
	struct practice p;
	int rc;

	if ((rc = load(c, x->id, &p)) != JB_OK)
		return rc;
	if (!perm_check(c->who, "practice.adopt", &t))
		return ctx_deny(c, "practice.adopt", "practice", p.id);
	if (practice_move_allowed(p.state, PRACTICE_ADOPTED) != JB_OK)
		return wrong_state(c, &p, "转化为制度", PRACTICE_RECOMMENDED);
	if (x->in->adopted_on > c->now)
		return ctx_invalid(c, "adopted_on", "future", "发文日期不能晚于今天");
	if ((rc = cas(c, &p, PRACTICE_RECOMMENDED, PRACTICE_ADOPTED, x->in)) != JB_OK)
		return rc;
	if (ctx_audit(c, "practice.adopt", "practice", p.id, json_pack("{s:s}", "state", code_of(p.state)),
		      json_pack("{s:s, s:s, s:s, s:I}", "state", code_of(PRACTICE_ADOPTED), "doc_no", x->in->doc_no,
				"issuer", x->in->issuer, "adopted_on", (json_int_t)x->in->adopted_on)) < 0)
		return -1;
	return tell_author(c, &p, "practice.adopt", arena_printf(c->a, "已转化为制度（%s）", x->in->doc_no)) < 0 ? -1
													     : JB_OK;
}

int practice_adopt(struct ctx *c, int64_t id, const struct practice_adopt_in *in)
{
	struct adopt_args x = { id, in };

	return action_run(c, adopt_verb, &x);
}
