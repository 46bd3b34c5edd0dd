/* promotion.c - recording and listing promotions (promotion.h). */
#include "domain/promotion.h"

#include <string.h>

#include "domain/perm.h"

const struct label promotion_kinds[] = {
	{ "promoted", "提拔" },
	{ "further_use", "进一步使用" },
	{ "rank_up", "晋升职级" },
	{ "commended", "表彰" },
	{ NULL, NULL },
};

const struct bind_field promotion_fields[] = {
	BIND_ID(struct promotion_in, person_id, "人员", BIND_REQUIRED),
	BIND_DATE(struct promotion_in, at, "日期", BIND_REQUIRED),
	BIND_CHOICE(struct promotion_in, kind, "类别", BIND_REQUIRED, promotion_kinds),
	BIND_TEXT(struct promotion_in, from_post, "原任职务", 0, 0, PROMOTION_POST_MAX),
	BIND_TEXT(struct promotion_in, to_post, "新任职务", 0, 0, PROMOTION_POST_MAX),
	BIND_TEXT(struct promotion_in, doc_no, "文号", 0, 0, PROMOTION_POST_MAX),
	BIND_TEXT(struct promotion_in, note, "说明", BIND_MULTILINE, 0, PROMOTION_NOTE_MAX),
	BIND_IDS(struct promotion_in, claim_ids, "关联揭榜", 0, PROMOTION_CLAIMS_MAX),
	BIND_END,
};

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

static bool blank(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)or_empty(s); *p; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			continue;
		if (p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x80) {
			p += 2;
			continue;
		}
		return false;
	}
	return true;
}

/* Claim k of the input: on the person's team, else a field error. 0,
 * JB_EINVALID, or -1. */
static int check_claim(struct ctx *c, const struct promotion_in *in, int k, const char *person)
{
	int64_t id = in->claim_ids.v[k];
	db_stmt *st;
	int rc, on = 0;
	const char *title = NULL;

	for (int j = 0; j < k; j++)
		if (in->claim_ids.v[j] == id)
			return ctx_invalid(c, "claim_ids", "duplicate", arena_printf(c->a, "揭榜 %lld 选了两次", (long long)id));
	st = db_query(c->d, "SELECT p.title, (SELECT count(*) FROM claim_member m WHERE m.tenant_id = c.tenant_id"
			    " AND m.claim_id = c.id AND m.person_id = $3) FROM claim c"
			    " JOIN problem p ON p.tenant_id = c.tenant_id AND p.id = c.problem_id"
			    " WHERE c.tenant_id = $1 AND c.id = $2", "iii", c->who->tenant_id, id, in->person_id);
	if (!st)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW) {
		title = arena_strdup(c->a, db_col_text(st, 0));
		on = db_col_int(st, 1) > 0;
	}
	db_done(st);
	if (rc == DB_ERROR)
		return -1;
	if (rc == DB_DONE)
		return ctx_invalid(c, "claim_ids", "not_found", arena_printf(c->a, "没有编号为 %lld 的揭榜", (long long)id));
	if (!on)
		return ctx_invalid(c, "claim_ids", "not_on_team",
				   arena_printf(c->a, "%s不在揭榜 %lld（%s）的团队中，不能关联这个揭榜", person, (long long)id,
						title));
	return 0;
}

struct recording {
	const struct promotion_in *in;
	int64_t id;
};

static int record_verb(struct ctx *c, void *args)
{
	struct recording *x = args;
	const struct promotion_in *in = x->in;
	struct perm_target t = { c->who->tenant_id, 0, 0, false };
	const char *person = NULL;
	json_t *claims;
	db_stmt *st;
	int rc = 0;

	if (!perm_check(c->who, "promotion.manage", &t))
		return ctx_deny(c, "promotion.manage", "promotion", 0);
	if (!(st = db_query(c->d, "SELECT name FROM person WHERE tenant_id = $1 AND id = $2", "ii", c->who->tenant_id,
			    in->person_id)))
		return -1;
	if ((rc = db_step(st)) == DB_ROW)
		person = arena_strdup(c->a, db_col_text(st, 0));
	db_done(st);
	if (rc == DB_ERROR)
		return -1;
	rc = 0;
	if (!person)
		rc = ctx_invalid(c, "person_id", "not_found", "没有这个人员，请从人员中选择");
	if (in->at > c->now)
		rc = ctx_invalid(c, "at", "bad_date", "日期不能晚于今天");
	if (strcmp(in->kind, "commended") && blank(in->to_post))
		rc = ctx_invalid(c, "to_post", "missing_field", "请填写新任职务（表彰可不填）");
	for (int k = 0; person && k < in->claim_ids.n; k++) {
		int r = check_claim(c, in, k, person);
		if (r < 0)
			return -1;
		rc = rc ? rc : r;
	}
	if (rc)
		return rc;
	if ((x->id = db_next_id(c->d, c->who->tenant_id, "promotion")) < 0)
		return -1;
	/* claim_id: the first linked claim, for the statistics' batch scope; promotion_claim is the list. */
	if (db_run(c->d, "INSERT INTO promotion (tenant_id, id, person_id, claim_id, kind, note, at, from_post, to_post,"
			 " doc_no, recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
		   "iiidssissssi", c->who->tenant_id, x->id, in->person_id, in->claim_ids.n ? in->claim_ids.v[0] : 0,
		   in->kind, or_empty(in->note), in->at, or_empty(in->from_post), or_empty(in->to_post),
		   or_empty(in->doc_no), ctx_actor(c).name, c->now) != DB_DONE)
		return -1;
	claims = json_array();
	for (int k = 0; k < in->claim_ids.n; k++) {
		json_array_append_new(claims, json_integer(in->claim_ids.v[k]));
		if (db_run(c->d, "INSERT INTO promotion_claim (tenant_id, promotion_id, claim_id) VALUES ($1, $2, $3)", "iii",
			   c->who->tenant_id, x->id, in->claim_ids.v[k]) != DB_DONE) {
			json_decref(claims);
			return -1;
		}
	}
	return ctx_audit(c, "promotion.create", "promotion", x->id, NULL,
			 json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:o}", "person_id", (json_int_t)in->person_id, "person",
				   person, "kind", in->kind, "from_post", or_empty(in->from_post), "to_post",
				   or_empty(in->to_post), "doc_no", or_empty(in->doc_no), "claim_ids", claims));
}

int promotion_record(struct ctx *c, const struct promotion_in *in, int64_t *id)
{
	struct recording x = { in, 0 };
	int rc = action_run(c, record_verb, &x);

	*id = rc == JB_OK ? x.id : 0;
	return rc;
}

/* ---- reading ---- */

static int load_claims(db *d, arena *a, int64_t tenant_id, struct promotion *p)
{
	db_stmt *st = db_query(d, "SELECT pc.claim_id, p.title FROM promotion_claim pc"
				  " JOIN claim c ON c.tenant_id = pc.tenant_id AND c.id = pc.claim_id"
				  " JOIN problem p ON p.tenant_id = c.tenant_id AND p.id = c.problem_id"
				  " WHERE pc.tenant_id = $1 AND pc.promotion_id = $2 ORDER BY pc.claim_id",
			       "ii", tenant_id, p->id);
	int rc, cap = 0;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct promotion_ref *x = ARENA_PUSH(a, p->claims, p->nclaims, cap);
		x->id = db_col_int(st, 0);
		x->title = arena_strdup(a, db_col_text(st, 1));
	}
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

int promotion_list_of(db *d, arena *a, int64_t tenant_id, const struct promotion_filter *f, struct promotion **out,
		      int *n)
{
	db_stmt *st = db_query(d, "SELECT pr.id, pr.person_id, pe.unit_id, pr.at, pr.created_at, pe.name, u.name, pr.kind,"
				  " pr.from_post, pr.to_post, pr.doc_no, pr.note, pr.recorded_by FROM promotion pr"
				  " JOIN person pe ON pe.tenant_id = pr.tenant_id AND pe.id = pr.person_id"
				  " JOIN unit u ON u.tenant_id = pe.tenant_id AND u.id = pe.unit_id"
				  " WHERE pr.tenant_id = $1 AND ($2 = 0 OR pr.person_id = $2) AND ($3 = '' OR pr.kind = $3)"
				  " AND ($4 = 0 OR EXISTS (SELECT 1 FROM promotion_claim pc"
				  " JOIN claim c ON c.tenant_id = pc.tenant_id AND c.id = pc.claim_id"
				  " JOIN problem p ON p.tenant_id = c.tenant_id AND p.id = c.problem_id"
				  " WHERE pc.tenant_id = pr.tenant_id AND pc.promotion_id = pr.id AND p.batch_id = $4))"
				  " ORDER BY pr.at DESC, pr.id DESC",
			       "iisi", tenant_id, f->person_id, or_empty(f->kind), f->batch_id);
	int rc, cap = 0;

	*out = NULL;
	*n = 0;
	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct promotion *p = ARENA_PUSH(a, *out, *n, cap);
		memset(p, 0, sizeof(*p));
		p->id = db_col_int(st, 0);
		p->person_id = db_col_int(st, 1);
		p->unit_id = db_col_int(st, 2);
		p->at = db_col_int(st, 3);
		p->created_at = db_col_int(st, 4);
		p->person = arena_strdup(a, db_col_text(st, 5));
		p->unit = arena_strdup(a, db_col_text(st, 6));
		p->kind = arena_strdup(a, db_col_text(st, 7));
		p->from_post = arena_strdup(a, db_col_text(st, 8));
		p->to_post = arena_strdup(a, db_col_text(st, 9));
		p->doc_no = arena_strdup(a, db_col_text(st, 10));
		p->note = arena_strdup(a, db_col_text(st, 11));
		p->recorded_by = arena_strdup(a, db_col_text(st, 12));
	}
	db_done(st);
	if (rc == DB_ERROR)
		return -1;
	for (int i = 0; i < *n; i++)
		if (load_claims(d, a, tenant_id, &(*out)[i]) < 0)
			return -1;
	return 0;
}

int promotion_list(struct ctx *c, const struct promotion_filter *f, struct promotion **out, int *n)
{
	struct perm_target t = { c->who->tenant_id, 0, 0, false };

	*out = NULL;
	*n = 0;
	if (!perm_check(c->who, "promotion.read", &t))
		return ctx_deny(c, "promotion.read", "promotion", 0);
	if (promotion_list_of(c->d, c->a, c->who->tenant_id, f, out, n) < 0)
		return ctx_store_error(c);
	return JB_OK;
}
