/* practice.c - the practices' JSON API: GET /api/v1/practices (the
 * library: public, drafts for those who may see them) and /:id, POST
 * /api/v1/practices, PATCH /:id (a draft: members not sent keep their
 * value), POST /:id/recommend and /:id/adopt. The verbs are the pages'
 * (domain/practice.h). */
#include <string.h>

#include "domain/practice.h"
#include "domain/state.h"
#include "util/buf.h"
#include "web/fields.h"
#include "web/practice.h"

static json_t *claims_json(const struct practice *p)
{
	json_t *a = json_array();

	for (int i = 0; i < p->nclaims; i++) {
		const struct practice_claim *k = &p->claims[i];
		json_array_append_new(a, json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s}", "claim_id", (json_int_t)k->claim_id,
						   "problem_id", (json_int_t)k->problem_id, "problem_title", k->problem_title,
						   "unit", k->unit, "lead", k->lead, "owner", k->owner, "state",
						   k->state >= 0 ? claim_state_info[k->state].code : ""));
	}
	return a;
}

/* p as JSON; the logins of its author and recommender only for internal
 * readers (those who see drafts, and the author). */
static json_t *practice_json(struct req *r, const struct practice *p)
{
	json_t *j = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:o, s:s, s:s, s:o, s:o}",
			 "id", (json_int_t)p->id, "title", p->title, "summary", p->summary, "steps", p->steps,
			 "conditions", p->conditions, "state", practice_states[p->state].code,
			 "state_label", practice_states[p->state].zh, "author", p->author,
			 "created_at", (json_int_t)p->created_at, "updated_at", (json_int_t)p->updated_at,
			 "recommended_at", p->recommended_at ? json_integer(p->recommended_at) : json_null(),
			 "doc_no", p->doc_no, "issuer", p->issuer,
			 "adopted_on", json_date(p->adopted_on), "claims", claims_json(p));

	if (practice_sees_drafts(r->who) || (r->who->user_id && r->who->user_id == p->author_user_id))
		json_object_update_new(j, json_pack("{s:s, s:s}", "author_login", p->author_login, "recommended_by",
						    p->recommended_by));
	return j;
}

/* Answer practice id as the reader now sees it, with status. */
static void reply_practice(struct req *r, int64_t id, int status)
{
	struct practice p;

	if (practice_get(r->db, r->a, r->who, id, &p) != 0) {
		web_store_error(r);
		return;
	}
	reply_json(r, status, json_pack("{s:o}", "practice", practice_json(r, &p)));
}

void api_practices(struct req *r)
{
	struct practice_filter f;
	struct practice_page pg;
	json_t *items;

	if (practice_filter_or_respond(r, &f) < 0)
		return;
	if (practice_list(r->db, r->a, r->who, &f, &pg) < 0) {
		web_store_error(r);
		return;
	}
	items = json_array();
	for (int i = 0; i < pg.n; i++)
		json_array_append_new(items, practice_json(r, &pg.items[i]));
	reply_json(r, 200, json_pack("{s:o, s:I, s:I, s:I}", "items", items, "total", (json_int_t)pg.total, "page",
				     (json_int_t)f.page, "per_page", (json_int_t)f.per_page));
}

void api_practice(struct req *r)
{
	struct practice p;

	if (practice_or_respond(r, &p) == 0)
		reply_json(r, 200, json_pack("{s:o}", "practice", practice_json(r, &p)));
}

void api_practice_create(struct req *r)
{
	struct practice_in in;
	struct ctx c;
	int64_t id;
	int rc;

	web_ctx(r, &c);
	rc = bind_request(r, &c, practice_fields, &in, NULL);
	if (rc == JB_OK)
		rc = practice_create(&c, &in, &id);
	if (rc == JB_OK)
		reply_practice(r, id, 201);
	else
		outcome_error(r, &c, rc);
}

/* p as the body a PATCH starts from: the members it does not send keep
 * these values. */
static json_t *current_json(const struct practice *p)
{
	json_t *ids = json_array();

	for (int i = 0; i < p->nclaims; i++)
		json_array_append_new(ids, json_integer(p->claims[i].claim_id));
	return json_pack("{s:s, s:s, s:s, s:s, s:o}", "title", p->title, "summary", p->summary, "steps", p->steps,
			 "conditions", p->conditions, "claim_ids", ids);
}

void api_practice_update(struct req *r)
{
	struct practice p;
	struct practice_in in;
	struct bind_src src = { NULL, 0, NULL };
	json_t *body;
	struct ctx c;
	int rc;

	if (practice_writable_or_respond(r, &p) < 0)
		return;
	web_ctx(r, &c);
	if (!json_is_object(r->json)) {
		reply_error(r, 400, "bad_body", "请求体必须是一个 JSON 对象", NULL);
		return;
	}
	body = current_json(&p);
	json_object_update(body, r->json);
	src.json = body;
	rc = bind_input(&c, &src, practice_fields, &in);
	if (rc == JB_OK)
		rc = practice_update(&c, p.id, &in);
	json_decref(body);
	if (rc == JB_OK)
		reply_practice(r, p.id, 200);
	else
		outcome_error(r, &c, rc);
}

void api_practice_recommend(struct req *r)
{
	struct ctx c;
	int64_t id;
	int rc;

	if (id_param_or_respond(r, 0, &id) < 0)
		return;
	web_ctx(r, &c);
	if ((rc = practice_recommend(&c, id)) == JB_OK)
		reply_practice(r, id, 200);
	else
		outcome_error(r, &c, rc);
}

void api_practice_adopt(struct req *r)
{
	struct practice_adopt_in in;
	struct ctx c;
	int64_t id;
	int rc;

	if (id_param_or_respond(r, 0, &id) < 0)
		return;
	web_ctx(r, &c);
	rc = bind_request(r, &c, practice_adopt_fields, &in, NULL);
	if (rc == JB_OK)
		rc = practice_adopt(&c, id, &in);
	if (rc == JB_OK)
		reply_practice(r, id, 200);
	else
		outcome_error(r, &c, rc);
}
