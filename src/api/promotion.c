/* promotion.c - the verbs of promotions and fault tolerance for the page
 * forms and /api/v1 alike, and the JSON reads of promotions and of the
 * cadre's record (web/people.h lists the routes). A page form that is
 * refused (invalid: 400, conflict: 409) is shown again with its errors
 * and what was typed. */
#include "web/people.h"

#include <string.h>

#include "domain/claim.h"
#include "domain/promotion.h"
#include "domain/record.h"
#include "domain/state.h"
#include "domain/tolerance.h"
#include "util/clock.h"
#include "web/fields.h"
#include "web/web.h"

static const char *zh(const struct label *table, const char *code)
{
	const char *s = label_of(table, code);

	return s ? s : code;
}

static json_t *promotion_json(const struct promotion *p)
{
	json_t *claims = json_array();

	for (int k = 0; k < p->nclaims; k++)
		json_array_append_new(claims, json_pack("{s:I, s:s}", "id", (json_int_t)p->claims[k].id, "title",
							p->claims[k].title));
	return json_pack("{s:I, s:I, s:s, s:I, s:s, s:o, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:o}", "id",
			 (json_int_t)p->id, "person_id", (json_int_t)p->person_id, "person", p->person, "unit_id",
			 (json_int_t)p->unit_id, "unit", p->unit, "at", json_date(p->at), "kind", p->kind, "kind_zh",
			 zh(promotion_kinds, p->kind), "from_post", p->from_post, "to_post", p->to_post, "doc_no", p->doc_no,
			 "note", p->note, "recorded_by", p->recorded_by, "created_at", (json_int_t)p->created_at, "claims",
			 claims);
}

static json_t *tolerance_json(const struct tolerance *t)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:I, s:s, s:o, s:s, s:s, s:s}", "id", (json_int_t)t->id,
			 "claim_id", (json_int_t)t->claim_id, "title", t->title, "state", t->state, "state_zh",
			 zh(tolerance_states, t->state), "reason", t->reason, "applied_at", (json_int_t)t->applied_at,
			 "applied_by", t->applied_by, "decided_at", json_at(t->decided_at), "decided_by", t->decided_by,
			 "basis", t->basis, "tried", t->tried);
}

/* ---- promotions ---- */

void api_promotions(struct req *r)
{
	struct promotion_filter f;
	struct promotion *v;
	struct ctx c;
	json_t *list;
	int n, rc;

	if (promotion_filter_or_respond(r, &f) < 0)
		return;
	web_ctx(r, &c);
	if ((rc = promotion_list(&c, &f, &v, &n)) != JB_OK) {
		outcome_error(r, &c, rc);
		return;
	}
	list = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(list, promotion_json(&v[i]));
	reply_json(r, 200, json_pack("{s:o, s:i}", "promotions", list, "total", n));
}

static void refused_promotion(struct req *r, const void *outcome, int status)
{
	promotions_page(r, outcome, status);
}

/* The promotion just recorded, as JSON, or NULL. */
static json_t *promotion_read(struct req *r, int64_t person_id, int64_t id)
{
	struct promotion_filter f = { 0, person_id, NULL };
	struct promotion *v;
	int n;

	if (promotion_list_of(r->db, r->a, r->tenant_id, &f, &v, &n) < 0)
		return NULL;
	for (int i = 0; i < n; i++)
		if (v[i].id == id)
			return json_pack("{s:o}", "promotion", promotion_json(&v[i]));
	return NULL;
}

void act_promotion_create(struct req *r)
{
	const char *op = r->is_api ? NULL : req_form(r, "op");
	struct promotion_in in;
	struct ctx c;
	int64_t id = 0;
	json_t *j;
	int rc;

	web_ctx(r, &c);
	/* 查找 (the picker) and 列出揭榜 show the form again with what was typed. */
	if (op && (!strcmp(op, "find") || !strcmp(op, "claims"))) {
		promotions_page(r, &c, 200);
		return;
	}
	memset(&in, 0, sizeof(in));
	rc = bind_request(r, &c, promotion_fields, &in, NULL);
	if (rc == JB_OK)
		rc = promotion_record(&c, &in, &id);
	if (rc != JB_OK) {
		present_outcome_error(r, &c, rc, refused_promotion, &c);
		return;
	}
	if (!r->is_api) {
		reply_redirect(r, arena_printf(r->a, "/promotions?done=1&person=%lld", (long long)in.person_id));
		return;
	}
	if ((j = promotion_read(r, in.person_id, id)))
		reply_json(r, 201, j);
	else
		web_store_error(r);
}

/* ---- the record ---- */

static json_t *record_claim_json(const struct record_claim *k)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:b, s:b}", "claim_id",
			 (json_int_t)k->id, "problem_id", (json_int_t)k->problem_id, "title", k->title, "unit", k->unit,
			 "role", k->role, "state", claim_state_info[k->state].code, "state_zh", claim_state_info[k->state].zh,
			 "light", lights[k->light].code, "light_zh", lights[k->light].zh, "score",
			 json_points(k->score), "grade",
			 k->grade, "failure", failures[k->failure].code, "failed", k->failure != FAILURE_NONE, "tolerated",
			 k->tolerated && k->failure != FAILURE_NONE);
}

static json_t *record_json(struct req *r, const struct record *x)
{
	json_t *claims = json_array(), *sups = json_array(), *pracs = json_array(), *proms = json_array(),
	       *tols = json_array(), *grades_j = json_object();
	const struct record_summary *s = &x->sum;

	for (int i = 0; i < x->nclaims; i++)
		json_array_append_new(claims, record_claim_json(&x->claims[i]));
	for (int i = 0; i < x->nsupervisions; i++) {
		const struct supervision *v = &x->supervisions[i].s;
		json_array_append_new(sups, json_pack("{s:I, s:I, s:s, s:s, s:s, s:I, s:o, s:b}", "id", (json_int_t)v->id,
						      "claim_id", (json_int_t)v->claim_id, "number", v->number, "title",
						      x->supervisions[i].title, "reason", v->reason, "issued_at",
						      (json_int_t)v->issued_at, "replied_at", json_at(v->replied_at),
						      "overdue", v->overdue));
	}
	for (int i = 0; i < x->npractices; i++)
		json_array_append_new(pracs, json_pack("{s:I, s:s, s:s, s:b}", "id", (json_int_t)x->practices[i].id, "title",
						       x->practices[i].title, "state", x->practices[i].state, "author",
						       x->practices[i].author));
	for (int i = 0; i < x->npromotions; i++)
		json_array_append_new(proms, promotion_json(&x->promotions[i]));
	for (int i = 0; i < x->ntolerances; i++)
		json_array_append_new(tols, tolerance_json(&x->tolerances[i]));
	for (int g = 0; g < GRADE_COUNT; g++)
		json_object_set_new(grades_j, grades[g].code, json_integer(s->by_grade[g]));
	return json_pack("{s:{s:I, s:s, s:I, s:s, s:s, s:s}, s:{s:i, s:i, s:o, s:i, s:i, s:s}, s:o, s:o, s:o, s:o, s:o}",
			 "person", "id", (json_int_t)x->person.id, "name", x->person.name, "unit_id",
			 (json_int_t)x->person.unit_id, "unit", x->person.unit, "rank", x->person.rank, "title",
			 x->person.title, "summary", "claims", s->claims, "accepted", s->accepted, "grades", grades_j,
			 "failed", s->failed, "tolerated", s->tolerated, "text", record_summary_text(r->a, s), "claims",
			 claims, "supervisions", sups, "practices", pracs, "promotions", proms, "tolerances", tols);
}

void api_record(struct req *r)
{
	struct record x;
	struct ctx c;
	int64_t id;
	int rc;

	if (id_param_or_respond(r, 0, &id) < 0)
		return;
	web_ctx(r, &c);
	if ((rc = record_get(&c, id, &x)) != JB_OK) {
		outcome_error(r, &c, rc);
		return;
	}
	reply_json(r, 200, json_pack("{s:o}", "record", record_json(r, &x)));
}

/* ---- fault tolerance ---- */

static json_t *tolerance_read(struct req *r, int64_t id)
{
	struct tolerance t;

	if (tolerance_get(r->db, r->a, r->tenant_id, id, &t) != 0)
		return NULL;
	return json_pack("{s:o}", "tolerance", tolerance_json(&t));
}

/* rc JB_OK: JSON under /api/ (status) or a redirect to the claim's
 * section; a refused page form again on the form page; else the error. */
static void answer(struct req *r, struct ctx *c, int rc, int status, int64_t id, int64_t claim_id)
{
	json_t *j;

	if (rc == JB_OK && r->is_api) {
		if ((j = tolerance_read(r, id)))
			reply_json(r, status, j);
		else
			web_store_error(r);
	} else if (rc == JB_OK) {
		reply_redirect(r, arena_printf(r->a, "/claims/%lld#tol-h", (long long)claim_id));
	} else if (!r->is_api && claim_id && (rc == JB_EINVALID || rc == JB_ECONFLICT)) {
		tolerance_form_page(r, claim_id, c, rc == JB_EINVALID ? 400 : 409);
	} else {
		outcome_error(r, c, rc);
	}
}

void act_tolerance_apply(struct req *r)
{
	struct tolerance_in in;
	int64_t claim, id = 0;
	struct ctx c;
	int rc;

	if (id_param_or_respond(r, 0, &claim) < 0)
		return;
	web_ctx(r, &c);
	rc = bind_request(r, &c, tolerance_fields, &in, NULL);
	if (rc == JB_OK)
		rc = tolerance_apply(&c, claim, &in, &id);
	answer(r, &c, rc, 201, id, claim);
}

void act_tolerance_decide(struct req *r)
{
	struct tolerance_decide_in in;
	struct tolerance t;
	struct ctx c;
	int64_t id;
	int rc;

	if (id_param_or_respond(r, 0, &id) < 0)
		return;
	web_ctx(r, &c);
	rc = bind_request(r, &c, tolerance_decide_fields, &in, NULL);
	if (rc == JB_OK)
		rc = tolerance_decide(&c, id, &in);
	if (tolerance_get(r->db, r->a, r->tenant_id, id, &t) != 0)
		t.claim_id = 0;
	answer(r, &c, rc, 200, id, t.claim_id);
}
