/* proposal.c - proposing problems and reading proposals (proposal.h). */
#include "domain/proposal.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "domain/audit.h"
#include "domain/batch.h"
#include "domain/ratelimit.h"
#include "domain/search.h"
#include "domain/state.h"
#include "util/text.h"

const struct label priorities[] = {
	{ "0", "一般" },
	{ "1", "重点" },
	{ "2", "紧急" },
	{ NULL, NULL },
};

const char *priority_label(int priority)
{
	return priorities[priority >= 0 && priority <= 2 ? priority : 0].zh;
}

#define PROPOSAL_COMMON(T) \
	BIND_TEXT(T, title, "难题名称", BIND_REQUIRED, 4, PROPOSAL_TITLE_MAX), \
	BIND_TEXT(T, description, "难题描述", BIND_REQUIRED | BIND_MULTILINE, 10, PROPOSAL_TEXT_MAX), \
	BIND_TEXT(T, category, "难题类别", 0, 1, 30), \
	BIND_ID(T, category_id, "难题类别", 0), \
	BIND_ID(T, batch_id, "批次", 0), \
	BIND_BOOL(T, residents_concern, "群众急难愁盼事项")

const struct bind_field proposal_fields[] = {
	PROPOSAL_COMMON(struct proposal_in),
	BIND_TEXT(struct proposal_in, expected_outcome, "预期成效", BIND_MULTILINE, 0, PROPOSAL_TEXT_MAX),
	BIND_ID(struct proposal_in, unit_id, "出卷单位", 0),
	BIND_END,
};

const struct bind_field public_proposal_fields[] = {
	PROPOSAL_COMMON(struct proposal_in),
	BIND_TEXT(struct proposal_in, expected_outcome, "期望解决的效果", BIND_MULTILINE, 0, PROPOSAL_TEXT_MAX),
	BIND_TEXT(struct proposal_in, contact_name, "称呼", 0, 0, 20),
	BIND_TEXT(struct proposal_in, contact_phone, "联系电话", 0, 0, 20),
	BIND_TEXT(struct proposal_in, website, "网站", 0, 0, 200),
	BIND_END,
};

static const struct rate_rule public_rule = { "proposal", PROPOSAL_PUBLIC_PER_HOUR, 3600 };

/* ---- checking the input ---- */

int proposal_category(struct ctx *c, const char *name, int64_t category_id, int64_t *id)
{
	db_stmt *st;
	int rc;

	if (!category_id && !(name && *name))
		return ctx_invalid(c, "category", "missing_field", "请选择难题类别");
	st = db_query(c->d, "SELECT id FROM category WHERE tenant_id = $1 AND (id = $2 OR ($2 = 0 AND name = $3))", "iis",
		      c->who->tenant_id, category_id, name ? name : "");
	if (!st)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_done(st);
	if (rc == DB_ERROR)
		return -1;
	if (rc == DB_DONE)
		return ctx_invalid(c, category_id ? "category_id" : "category", "unknown_category",
				   "没有这个难题类别，请从列表中选择");
	return JB_OK;
}

/* The batch to propose into: the one named, or the only one open for 征集.
 * It must be in 征集 now (batch_phase_refusal). */
static int resolve_batch(struct ctx *c, const struct proposal_in *in, int64_t *id)
{
	struct batch b;
	const char *why;
	int rc;

	if (in->batch_id) {
		if ((rc = batch_get(c->d, c->a, c->who->tenant_id, in->batch_id, &b)) != 0)
			return rc < 0 ? -1 : ctx_invalid(c, "batch_id", "unknown_batch", "没有这个批次");
	} else if ((rc = batch_collecting_now(c, &b)) != JB_OK) {
		return rc;
	}
	if ((why = batch_phase_refusal(c->a, &b, PHASE_COLLECTING, c->now, "出卷")) != NULL)
		return ctx_invalid(c, "batch_id", "wrong_phase", why);
	*id = b.id;
	return JB_OK;
}

/* Digits, spaces, + and - only, with 7 to 15 digits. */
static bool phone_ok(const char *s)
{
	int digits = 0;

	for (; *s; s++) {
		if (*s >= '0' && *s <= '9')
			digits++;
		else if (*s != ' ' && *s != '-' && *s != '+')
			return false;
	}
	return digits >= 7 && digits <= 15;
}

/* ---- writing ---- */

struct new_problem {
	struct proposal_in *in;
	int64_t id, batch_id, category_id, unit_id, user_id;
	const char *proposer_name;
	bool resident;
};

static int audit_proposal(struct ctx *c, const struct new_problem *p, const char *batch_name)
{
	/* Never the phone: the audit log is read by more people than screeners. */
	return ctx_audit(c, p->resident ? "problem.propose_public" : "problem.propose", "problem", p->id, NULL,
			 json_pack("{s:s, s:s, s:I, s:b, s:s}", "title", p->in->title, "state", "proposed", "batch_id",
				   (json_int_t)p->batch_id, "residents_concern", p->in->residents_concern, "batch",
				   batch_name ? batch_name : ""));
}

static int insert_problem(struct ctx *c, struct new_problem *p)
{
	const struct proposal_in *in = p->in;
	int64_t tenant = c->who->tenant_id;
	struct batch b;
	int rc;

	if ((p->id = db_next_id(c->d, tenant, "problem")) < 0)
		return -1;
	/* Only the residents' form carries contact fields (the signed-in form
	 * does not bind them). */
	rc = db_run(c->d, "INSERT INTO problem (tenant_id, id, batch_id, category_id, title, description, proposer_name,"
			  " proposer_unit_id, state, is_public, created_at, updated_at, proposer_user_id, contact_name,"
			  " contact_phone, expected_outcome, residents_concern)"
			  " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $15, 0, $9, $9, $10, $11, $12, $13, $14)",
		    "iiiisssdidsssis", tenant, p->id, p->batch_id, p->category_id, in->title, in->description,
		    p->proposer_name, p->unit_id, c->now, p->user_id, p->resident && in->contact_name ? in->contact_name : "",
		    p->resident && in->contact_phone ? in->contact_phone : "", in->expected_outcome ? in->expected_outcome : "",
		    (int64_t)in->residents_concern, problem_state_info[PROBLEM_PROPOSED].code);
	if (rc != DB_DONE)
		return -1;
	if (search_reindex_problem(c->d, tenant, p->id) < 0)
		return -1;
	if (batch_get(c->d, c->a, tenant, p->batch_id, &b) < 0)
		return -1;
	return audit_proposal(c, p, b.name);
}

/* The common checks of both kinds of proposal; JB_OK or the first failure. */
static int check_common(struct ctx *c, struct new_problem *p)
{
	int rc = JB_OK, r2;

	if ((r2 = proposal_category(c, p->in->category, p->in->category_id, &p->category_id)) != JB_OK)
		rc = r2;
	if (rc >= 0 && (r2 = resolve_batch(c, p->in, &p->batch_id)) != JB_OK)
		rc = rc == JB_OK ? r2 : rc;
	return r2 < 0 ? -1 : rc;
}

/* The name a signed-in proposer is shown by: the linked person, else the login. */
static int proposer_of(struct ctx *c, const char **name)
{
	db_stmt *st;
	int rc;

	*name = c->who->login ? c->who->login : "";
	if (!c->who->person_id)
		return 0;
	st = db_query(c->d, "SELECT name FROM person WHERE tenant_id = $1 AND id = $2", "ii", c->who->tenant_id,
		      c->who->person_id);
	if (!st)
		return -1;
	if ((rc = db_step(st)) == DB_ROW)
		*name = arena_strdup(c->a, db_col_text(st, 0));
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

static int propose_verb(struct ctx *c, void *args)
{
	struct new_problem *p = args;
	struct perm_target t = { c->who->tenant_id, 0, 0, false };
	int rc;

	if (!c->who->user_id || !perm_check(c->who, "problem.propose", &t))
		return ctx_deny(c, "problem.propose", "problem", 0);
	p->user_id = c->who->user_id;
	p->unit_id = c->who->unit_id;
	if (p->in->unit_id && p->in->unit_id != c->who->unit_id) {
		int64_t found;
		if (!perm_check(c->who, "problem.screen", &t))
			return ctx_invalid(c, "unit_id", "not_your_unit", "只能以本单位名义出卷");
		if ((rc = db_scalar(c->d, "SELECT id FROM unit WHERE tenant_id = $1 AND id = $2", &found, 2,
				    c->who->tenant_id, p->in->unit_id)) != 0)
			return rc < 0 ? -1 : ctx_invalid(c, "unit_id", "unknown_unit", "没有这个单位");
		p->unit_id = p->in->unit_id;
	}
	if ((rc = check_common(c, p)) != JB_OK)
		return rc;
	if (proposer_of(c, &p->proposer_name) < 0)
		return -1;
	return insert_problem(c, p);
}

static int propose_public_verb(struct ctx *c, void *args)
{
	struct new_problem *p = args;
	struct proposal_in *in = p->in;
	struct perm_target t = { c->who->tenant_id, 0, 0, false };
	int rc;

	if (!perm_check(c->who, "problem.propose", &t))
		return ctx_deny(c, "problem.propose", "problem", 0);
	/* A form filler that fills every field: refused, without a hint. */
	if (in->website && *in->website)
		return ctx_invalid(c, NULL, "rejected", "提交未成功，请刷新页面后重新填写");
	if (in->contact_phone && *in->contact_phone && !phone_ok(in->contact_phone))
		return ctx_invalid(c, "contact_phone", "bad_phone", "请填写正确的电话号码（7至15位数字）");
	if ((rc = check_common(c, p)) != JB_OK)
		return rc;
	/* Residents without an account are limited per address; a signed-in
	 * user on this form is accountable by name. */
	if (!c->who->user_id && (rc = rate_hit(c, &public_rule)) != JB_OK)
		return rc;
	p->resident = true;
	/* The 出卷人 anyone may read: never the resident's name (pii.h). */
	p->proposer_name = "群众";
	return insert_problem(c, p);
}

int proposal_create(struct ctx *c, struct proposal_in *in, int64_t *id)
{
	struct new_problem p = { .in = in };
	int rc = action_run(c, propose_verb, &p);

	*id = rc == JB_OK ? p.id : 0;
	return rc;
}

int proposal_create_public(struct ctx *c, struct proposal_in *in, int64_t *id)
{
	struct new_problem p = { .in = in };
	int rc;

	in->expected_outcome = in->expected_outcome ? in->expected_outcome : "";
	rc = action_run(c, propose_public_verb, &p);
	*id = rc == JB_OK ? p.id : 0;
	return rc;
}

struct revision {
	int64_t id;
	struct proposal_in *in;
};

static int revise_verb(struct ctx *c, void *args)
{
	struct revision *x = args;
	struct new_problem p = { .in = x->in };
	int64_t tenant = c->who->tenant_id, owner = 0;
	int rc;

	rc = db_scalar(c->d, "SELECT coalesce(proposer_user_id, 0) FROM problem WHERE tenant_id = $1 AND id = $2", &owner,
		       2, tenant, x->id);
	if (rc != 0)
		return rc < 0 ? -1 : ctx_fail(c, JB_ENOTFOUND, NULL, "not_found", "没有这个难题");
	if (!c->who->user_id || owner != c->who->user_id)
		return ctx_deny(c, "problem.revise", "problem", x->id);
	if ((rc = proposal_category(c, x->in->category, x->in->category_id, &p.category_id)) != JB_OK)
		return rc;
	/* Compare-and-set: only a proposal still waiting to be screened. */
	rc = db_run(c->d, "UPDATE problem SET title = $3, description = $4, category_id = $5, expected_outcome = $6,"
			  " residents_concern = $7, returned_at = NULL, updated_at = $8"
			  " WHERE tenant_id = $1 AND id = $2 AND state = $9 RETURNING id",
		    "iissisiis", tenant, x->id, x->in->title, x->in->description, p.category_id,
		    x->in->expected_outcome ? x->in->expected_outcome : "", (int64_t)x->in->residents_concern, c->now,
		    problem_state_info[PROBLEM_PROPOSED].code);
	if (rc == DB_ERROR)
		return -1;
	if (rc == DB_DONE)
		return ctx_fail(c, JB_ECONFLICT, NULL, "wrong_state", "该难题已进入遴选结果，不能再修改");
	if (search_reindex_problem(c->d, tenant, x->id) < 0)
		return -1;
	return ctx_audit(c, "problem.revise", "problem", x->id, NULL, json_pack("{s:s}", "title", x->in->title));
}

int proposal_revise(struct ctx *c, int64_t id, struct proposal_in *in)
{
	struct revision x = { id, in };

	return action_run(c, revise_verb, &x);
}

/* ---- reading ---- */

#define PROPOSAL_SQL \
	"SELECT p.id, p.batch_id, p.category_id, coalesce(p.proposer_unit_id, 0), coalesce(p.proposer_user_id, 0)," \
	" coalesce(p.merged_into, 0), coalesce(p.publication_id, 0), coalesce(pub.round, 0), p.created_at," \
	" p.updated_at, coalesce(p.returned_at, 0), p.title, p.description, p.expected_outcome, b.name, cat.name," \
	" coalesce(u.name, ''), p.proposer_name," \
	" CASE WHEN p.contact_erased_at IS NULL THEN p.contact_name ELSE '已匿名' END," \
	" CASE WHEN p.contact_erased_at IS NULL THEN p.contact_phone ELSE '已匿名' END, p.screen_reason," \
	" coalesce(m.title, ''), p.state, p.priority, p.residents_concern, p.is_public" \
	" FROM problem p" \
	" JOIN batch b ON b.tenant_id = p.tenant_id AND b.id = p.batch_id" \
	" JOIN category cat ON cat.tenant_id = p.tenant_id AND cat.id = p.category_id" \
	" LEFT JOIN unit u ON u.tenant_id = p.tenant_id AND u.id = p.proposer_unit_id" \
	" LEFT JOIN problem m ON m.tenant_id = p.tenant_id AND m.id = p.merged_into" \
	" LEFT JOIN publication pub ON pub.tenant_id = p.tenant_id AND pub.id = p.publication_id"

static void fill(arena *a, db_stmt *st, struct proposal *p)
{
	memset(p, 0, sizeof(*p));
	p->id = db_col_int(st, 0);
	p->batch_id = db_col_int(st, 1);
	p->category_id = db_col_int(st, 2);
	p->unit_id = db_col_int(st, 3);
	p->proposer_user_id = db_col_int(st, 4);
	p->merged_into = db_col_int(st, 5);
	p->publication_id = db_col_int(st, 6);
	p->round = db_col_int(st, 7);
	p->created_at = db_col_int(st, 8);
	p->updated_at = db_col_int(st, 9);
	p->returned_at = db_col_int(st, 10);
	p->title = arena_strdup(a, db_col_text(st, 11));
	p->description = arena_strdup(a, db_col_text(st, 12));
	p->expected_outcome = arena_strdup(a, db_col_text(st, 13));
	p->batch = arena_strdup(a, db_col_text(st, 14));
	p->category = arena_strdup(a, db_col_text(st, 15));
	p->unit = arena_strdup(a, db_col_text(st, 16));
	p->proposer_name = arena_strdup(a, db_col_text(st, 17));
	p->contact_name = arena_strdup(a, db_col_text(st, 18));
	p->contact_phone = arena_strdup(a, db_col_text(st, 19));
	p->screen_reason = arena_strdup(a, db_col_text(st, 20));
	p->merged_title = arena_strdup(a, db_col_text(st, 21));
	p->state = problem_state_of(db_col_text(st, 22));
	p->priority = (int)db_col_int(st, 23);
	p->residents_concern = db_col_int(st, 24) != 0;
	p->is_public = db_col_int(st, 25) != 0;
	p->from_resident = p->proposer_user_id == 0;
}

bool proposal_visible(const struct principal *who, const struct proposal *p)
{
	struct perm_target t = { who->tenant_id, p->unit_id, p->proposer_user_id, false };

	return (who->user_id && who->user_id == p->proposer_user_id) || perm_check(who, "problem.read_internal", &t) ||
	       perm_check(who, "problem.screen", &t);
}

/* What who may not see of p: the resident's contact unless a screener
 * (an admin: pii.h). */
static void redact(const struct principal *who, struct proposal *p)
{
	struct perm_target t = { who->tenant_id, p->unit_id, 0, false };

	if (!perm_check(who, "problem.screen", &t)) {
		p->contact_phone = NULL;
		p->contact_name = "";
	}
}

int proposal_get(db *d, arena *a, const struct principal *who, int64_t id, struct proposal *out)
{
	db_stmt *st = db_query(d, PROPOSAL_SQL " WHERE p.tenant_id = $1 AND p.id = $2", "ii", who->tenant_id, id);
	int rc;

	if (!st)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW)
		fill(a, st, out);
	db_done(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? 1 : -1;
	if (!proposal_visible(who, out))
		return 1;
	redact(who, out);
	return 0;
}

int proposal_mine(db *d, arena *a, const struct principal *who, struct proposal **out, int *n)
{
	db_stmt *st;
	int rc, cap = 0;

	*out = NULL;
	*n = 0;
	if (!who->user_id)
		return 0;
	st = db_query(d, PROPOSAL_SQL " WHERE p.tenant_id = $1 AND p.proposer_user_id = $2 ORDER BY p.id DESC LIMIT 500",
		      "ii", who->tenant_id, who->user_id);
	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct proposal *p = ARENA_PUSH(a, *out, *n, cap);
		fill(a, st, p);
		redact(who, p);
	}
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

/* ---- 查重 ---- */

/* Candidates sharing the title's character pairs, most shared first: the
 * open intake states for signed-in users, public problems for everyone. */
static const char similar_sql[] =
	"SELECT p.id, p.title, b.name, p.state, p.is_public, count(*) AS shared FROM problem_gram g"
	" JOIN problem p ON p.tenant_id = g.tenant_id AND p.id = g.problem_id"
	" JOIN batch b ON b.tenant_id = p.tenant_id AND b.id = p.batch_id"
	" WHERE g.tenant_id = $1 AND g.gram IN ($2, $3, $4, $5, $6, $7, $8, $9) AND p.id <> $10"
	" AND ((p.is_public = 1 AND p.state IN " STATE_SQL_PUBLIC ") OR ($11 = 1 AND p.state IN " STATE_SQL_SCREENING "))"
	" GROUP BY p.id, p.title, b.name, p.state, p.is_public"
	" HAVING count(*) >= $12 ORDER BY shared DESC, p.id DESC LIMIT $13";

int proposal_similar(db *d, arena *a, const struct principal *who, const char *title, int64_t exclude_id,
		     struct similar **out, int *n)
{
	const char *grams[8];
	int k = search_grams(a, title ? title : "", grams, 8), rc, cap = 0;
	db_stmt *st;

	*out = NULL;
	*n = 0;
	if (k == 0)
		return 0;
	st = db_prepare(d, similar_sql);
	if (!st)
		return -1;
	db_bind_int(st, 1, who->tenant_id);
	for (int i = 0; i < 8; i++)
		db_bind_text(st, 2 + i, grams[i < k ? i : k - 1]);
	db_bind_int(st, 10, exclude_id);
	db_bind_int(st, 11, who->user_id != 0);
	/* Half of the title's pairs (at least two when it has two) must be shared. */
	db_bind_int(st, 12, k >= 4 ? k / 2 : k >= 2 ? 2 : 1);
	db_bind_int(st, 13, PROPOSAL_SIMILAR_MAX);
	while ((rc = db_step(st)) == DB_ROW) {
		struct similar *s = ARENA_PUSH(a, *out, *n, cap);
		s->id = db_col_int(st, 0);
		s->title = arena_strdup(a, db_col_text(st, 1));
		s->batch = arena_strdup(a, db_col_text(st, 2));
		s->state = problem_state_of(db_col_text(st, 3));
		s->is_public = db_col_int(st, 4) != 0;
	}
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}
