/* record.c - the cadre's record (record.h). */
#include "domain/record.h"

#include <string.h>

#include "domain/asof.h"
#include "domain/perm.h"
#include "util/buf.h"

const struct label record_practice_states[] = {
	{ "draft", "草稿" },
	{ "recommended", "已推荐" },
	{ "adopted", "已转化为制度" },
	{ NULL, NULL },
};

bool record_may_read(const struct principal *who, int64_t person_id, int64_t person_unit)
{
	struct perm_target t = { who->tenant_id, person_unit, 0, who->person_id && who->person_id == person_id };

	return who->user_id && perm_check(who, "record.read", &t);
}

static const char claims_sql[] =
	"SELECT c.id, c.problem_id, p.batch_id, coalesce(c.deadline, 0), coalesce(c.approved_at, 0), coalesce(c.score, -1),"
	" c.state, p.title, m.role, c.grade, u.name, coalesce(c.signed_at, 0), coalesce(c.closed_at, 0), c.tolerated, "
	BATCH_AS_OF_SQL("b", "$3") " FROM claim_member m"
	" JOIN claim c ON c.tenant_id = m.tenant_id AND c.id = m.claim_id"
	" JOIN problem p ON p.tenant_id = c.tenant_id AND p.id = c.problem_id"
	" JOIN batch b ON b.tenant_id = p.tenant_id AND b.id = p.batch_id"
	" JOIN unit u ON u.tenant_id = c.tenant_id AND u.id = c.unit_id"
	" WHERE m.tenant_id = $1 AND m.person_id = $2 ORDER BY +c.id";

static int load_claims(struct ctx *c, int64_t person_id, struct record *out)
{
	db_stmt *st = db_query(c->d, claims_sql, "iii", c->who->tenant_id, person_id, c->now);
	int rc, cap = 0;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct record_claim *x = ARENA_PUSH(c->a, out->claims, out->nclaims, cap);
		struct failure_in f;
		memset(x, 0, sizeof(*x));
		x->id = db_col_int(st, 0);
		x->problem_id = db_col_int(st, 1);
		x->batch_id = db_col_int(st, 2);
		x->deadline = db_col_int(st, 3);
		x->approved_at = db_col_int(st, 4);
		x->score = db_col_int(st, 5);
		x->state = claim_state_of(db_col_text(st, 6));
		x->title = arena_strdup(c->a, db_col_text(st, 7));
		x->role = arena_strdup(c->a, db_col_text(st, 8));
		x->grade = arena_strdup(c->a, db_col_text(st, 9));
		x->unit = arena_strdup(c->a, db_col_text(st, 10));
		x->tolerated = db_col_int(st, 13) != 0;
		f = (struct failure_in){ x->state, x->approved_at, db_col_int(st, 11), db_col_int(st, 12), x->deadline,
					 db_col_int(st, 14), x->grade };
		x->failure = tolerance_failure(&f);
	}
	db_done(st);
	if (rc == DB_ERROR)
		return -1;
	for (int i = 0; i < out->nclaims; i++)
		if (claim_light_of(c->d, c->who->tenant_id, out->claims[i].id, c->now, &out->claims[i].light) < 0)
			return -1;
	return 0;
}

static int load_supervisions(struct ctx *c, int64_t person_id, struct record *out)
{
	db_stmt *st = db_query(c->d, "SELECT s.id, p.title FROM supervision s"
				     " JOIN claim c ON c.tenant_id = s.tenant_id AND c.id = s.claim_id"
				     " JOIN problem p ON p.tenant_id = c.tenant_id AND p.id = c.problem_id"
				     " WHERE s.tenant_id = $1 AND (c.owner_person_id = $2 OR c.lead_person_id = $2)"
				     " ORDER BY s.id", "ii", c->who->tenant_id, person_id);
	int rc, cap = 0;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct record_supervision *x = ARENA_PUSH(c->a, out->supervisions, out->nsupervisions, cap);
		x->s.id = db_col_int(st, 0);
		x->title = arena_strdup(c->a, db_col_text(st, 1));
	}
	db_done(st);
	if (rc == DB_ERROR)
		return -1;
	for (int i = 0; i < out->nsupervisions; i++) {
		struct record_supervision *x = &out->supervisions[i];
		if (supervision_get(c->d, c->a, c->who->tenant_id, x->s.id, c->now, &x->s) != 0)
			return -1;
	}
	return 0;
}

/* Practices are written by the practices' verbs (issue 10 §4); read here
 * from their table. */
static int load_practices(struct ctx *c, int64_t person_id, struct record *out)
{
	db_stmt *st = db_query(c->d, "SELECT pr.id, pr.title, pr.state, (SELECT count(*) FROM app_user u"
				     " WHERE u.tenant_id = pr.tenant_id AND u.id = pr.author_user_id AND u.person_id = $2)"
				     " FROM practice pr WHERE pr.tenant_id = $1 AND (EXISTS (SELECT 1 FROM app_user u"
				     " WHERE u.tenant_id = pr.tenant_id AND u.id = pr.author_user_id AND u.person_id = $2)"
				     " OR EXISTS (SELECT 1 FROM practice_claim pc JOIN claim_member m ON m.tenant_id = pc.tenant_id"
				     " AND m.claim_id = pc.claim_id WHERE pc.tenant_id = pr.tenant_id AND pc.practice_id = pr.id"
				     " AND m.person_id = $2)) ORDER BY pr.id", "ii", c->who->tenant_id, person_id);
	int rc, cap = 0;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct record_practice *x = ARENA_PUSH(c->a, out->practices, out->npractices, cap);
		x->id = db_col_int(st, 0);
		x->title = arena_strdup(c->a, db_col_text(st, 1));
		x->state = arena_strdup(c->a, db_col_text(st, 2));
		x->author = db_col_int(st, 3) > 0;
	}
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

static void summarize(struct record *out)
{
	struct record_summary *s = &out->sum;

	memset(s, 0, sizeof(*s));
	for (int i = 0; i < out->nclaims; i++) {
		const struct record_claim *x = &out->claims[i];
		if (x->approved_at)
			s->claims++;
		if (x->state == CLAIM_ACCEPTED) {
			s->accepted++;
			for (int g = 0; g < GRADE_COUNT; g++)
				if (!strcmp(x->grade, grades[g].code))
					s->by_grade[g]++;
		}
		if (x->failure != FAILURE_NONE) {
			if (x->tolerated)
				s->tolerated++;
			else
				s->failed++;
		}
	}
}

const char *record_summary_text(arena *a, const struct record_summary *s)
{
	buf b = BUF_INIT;
	const char *text;
	int shown = 0;

	buf_printf(&b, "揭榜 %d 项，已验收 %d 项", s->claims, s->accepted);
	for (int g = 0; g < GRADE_COUNT; g++) {
		if (!s->by_grade[g])
			continue;
		buf_printf(&b, "%s%s %d", shown++ ? "、" : "（", grades[g].zh, s->by_grade[g]);
	}
	if (shown)
		buf_puts(&b, "）");
	if (s->failed)
		buf_printf(&b, "，未达目标 %d 项", s->failed);
	if (s->tolerated)
		buf_printf(&b, "，容错 %d 项", s->tolerated);
	text = arena_strdup(a, b.s);
	buf_release(&b);
	return text;
}

int record_get(struct ctx *c, int64_t person_id, struct record *out)
{
	struct promotion_filter f = { 0, person_id, NULL };
	int rc;

	memset(out, 0, sizeof(*out));
	rc = person_get(c->d, c->a, c->who->tenant_id, person_id, &out->person);
	if (rc < 0)
		return ctx_store_error(c);
	if (rc)
		return ctx_fail(c, JB_ENOTFOUND, NULL, "not_found", "没有这个人员");
	if (!record_may_read(c->who, person_id, out->person.unit_id))
		return ctx_deny(c, "record.read", "person", person_id);
	if (load_claims(c, person_id, out) < 0 || load_supervisions(c, person_id, out) < 0 ||
	    load_practices(c, person_id, out) < 0 ||
	    promotion_list_of(c->d, c->a, c->who->tenant_id, &f, &out->promotions, &out->npromotions) < 0 ||
	    tolerance_list(c->d, c->a, c->who->tenant_id, 0, person_id, &out->tolerances, &out->ntolerances) < 0)
		return ctx_store_error(c);
	summarize(out);
	return JB_OK;
}
