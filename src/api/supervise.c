/* supervise.c - the verbs of 督办, 延期 and 意见交流 for the page forms and
 * /api/v1 alike, and their JSON reads (web/supervise.h lists the routes).
 * Under /api/ a verb answers JSON; a page form is redirected to its
 * "back" path, or shown again with its errors (invalid: 400, conflict:
 * 409) by the form pages of web/supervise.c. */
#include "web/supervise.h"

#include <string.h>

#include "domain/comment.h"
#include "domain/supervise.h"
#include "domain/work.h"
#include "util/clock.h"
#include "web/fields.h"
#include "web/web.h"

static json_t *supervision_json(const struct supervision *s)
{
	return json_pack("{s:I, s:s, s:I, s:s, s:o, s:I, s:s, s:s, s:o, s:s, s:o, s:b, s:s}", "id", (json_int_t)s->id,
			 "number", s->number, "claim_id", (json_int_t)s->claim_id, "reason", s->reason, "reply_by",
			 json_date(s->reply_by), "issued_at", (json_int_t)s->issued_at, "issued_by", s->issued_by, "reply",
			 s->reply, "replied_at", json_at(s->replied_at), "replied_by", s->replied_by, "escalated_at",
			 json_at(s->escalated_at), "overdue", s->overdue, "state",
			 s->replied_at ? "replied" : s->overdue ? "overdue" : "open");
}

static json_t *extension_json(const struct extension *e)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:o, s:o, s:I, s:s, s:o, s:s, s:s}", "id", (json_int_t)e->id, "claim_id",
			 (json_int_t)e->claim_id, "state", e->state, "reason", e->reason, "old_deadline",
			 json_date(e->old_deadline), "new_deadline", json_date(e->new_deadline), "requested_at",
			 (json_int_t)e->requested_at, "requested_by", e->requested_by, "decided_at", json_at(e->decided_at),
			 "decided_by", e->decided_by, "decision_reason", e->decision_reason);
}

static json_t *comment_json(const struct comment *k)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:I, s:o, s:o, s:b, s:b}", "id", (json_int_t)k->id, "problem_id",
			 (json_int_t)k->problem_id, "author", k->author, "body", k->body, "created_at",
			 (json_int_t)k->created_at, "edited_at", json_at(k->edited_at), "removed_at", json_at(k->removed_at),
			 "removed", k->removed_at != 0, "editable", k->editable);
}

/* Answer a verb: rc JB_OK with json (stolen; NULL: a store error) under
 * /api/ or a redirect to back; a refused page form shown again by form;
 * anything else as outcome_error. */
static void answer(struct req *r, struct ctx *c, int rc, int status, json_t *json, const char *back,
		   void (*form)(struct req *, int64_t, const struct ctx *, int), int64_t form_id)
{
	if (rc == JB_OK && r->is_api) {
		if (json)
			reply_json(r, status, json);
		else
			web_store_error(r);
	} else if (rc == JB_OK) {
		json_decref(json);
		reply_redirect(r, back);
	} else if (!r->is_api && form && (rc == JB_EINVALID || rc == JB_ECONFLICT)) {
		form(r, form_id, c, rc == JB_EINVALID ? 400 : 409);
	} else {
		outcome_error(r, c, rc);
	}
}

static json_t *supervision_read(struct req *r, int64_t id)
{
	struct supervision s;

	if (supervision_get(r->db, r->a, r->tenant_id, id, clock_now(), &s) != 0)
		return NULL;
	return json_pack("{s:o}", "supervision", supervision_json(&s));
}

static json_t *extension_read(struct req *r, int64_t id)
{
	struct extension e;

	if (extension_get(r->db, r->a, r->tenant_id, id, &e) != 0)
		return NULL;
	return json_pack("{s:o}", "extension", extension_json(&e));
}

static json_t *comment_read(struct req *r, int64_t id)
{
	struct comment k;

	if (comment_get(r->db, r->a, r->who, id, clock_now(), &k) != 0)
		return NULL;
	return json_pack("{s:o}", "comment", comment_json(&k));
}

void act_supervise(struct req *r)
{
	struct supervision_in in;
	int64_t claim, id = 0;
	struct ctx c;
	int rc;

	if (id_param_or_respond(r, 0, &claim) < 0)
		return;
	web_ctx(r, &c);
	rc = bind_request(r, &c, supervision_fields, &in, NULL);
	if (rc == JB_OK)
		rc = supervision_issue(&c, claim, &in, &id);
	answer(r, &c, rc, 201, rc == JB_OK && r->is_api ? supervision_read(r, id) : NULL, back_path(r, "/me/work?done=1"),
	       supervise_form_page, claim);
}

void act_supervision_reply(struct req *r)
{
	struct reply_in in;
	struct ctx c;
	int64_t id;
	int rc;

	if (id_param_or_respond(r, 0, &id) < 0)
		return;
	web_ctx(r, &c);
	rc = bind_request(r, &c, reply_fields, &in, NULL);
	if (rc == JB_OK)
		rc = supervision_reply(&c, id, &in);
	answer(r, &c, rc, 200, rc == JB_OK && r->is_api ? supervision_read(r, id) : NULL, back_path(r, "/me/work?done=1"),
	       reply_form_page, id);
}

void act_extend(struct req *r)
{
	struct extend_in in;
	int64_t claim, id = 0;
	struct ctx c;
	int rc;

	if (id_param_or_respond(r, 0, &claim) < 0)
		return;
	web_ctx(r, &c);
	rc = bind_request(r, &c, extend_fields, &in, NULL);
	if (rc == JB_OK)
		rc = claim_extend(&c, claim, &in, &id);
	answer(r, &c, rc, 201, rc == JB_OK && r->is_api ? extension_read(r, id) : NULL, back_path(r, "/me/work?done=1"),
	       extend_form_page, claim);
}

static void approve_page(struct req *r, int64_t id, const struct ctx *c, int status)
{
	decide_form_page(r, id, "approve", c, status);
}

static void refuse_page(struct req *r, int64_t id, const struct ctx *c, int status)
{
	decide_form_page(r, id, "refuse", c, status);
}

static void decide(struct req *r, bool approve)
{
	struct decide_in in;
	struct ctx c;
	int64_t id;
	int rc;

	if (id_param_or_respond(r, 0, &id) < 0)
		return;
	web_ctx(r, &c);
	rc = bind_request(r, &c, decide_fields, &in, NULL);
	if (rc == JB_OK)
		rc = extension_decide(&c, id, approve, &in);
	answer(r, &c, rc, 200, rc == JB_OK && r->is_api ? extension_read(r, id) : NULL, back_path(r, "/me/work?done=1"),
	       approve ? approve_page : refuse_page, id);
}

void act_extension_approve(struct req *r)
{
	decide(r, true);
}

void act_extension_refuse(struct req *r)
{
	decide(r, false);
}

void act_comment_write(struct req *r)
{
	struct comment_in in;
	int64_t problem, id = 0;
	struct ctx c;
	int rc;

	if (id_param_or_respond(r, 0, &problem) < 0)
		return;
	web_ctx(r, &c);
	rc = bind_request(r, &c, comment_fields, &in, NULL);
	if (rc == JB_OK)
		rc = comment_write(&c, problem, &in, &id);
	answer(r, &c, rc, 201, rc == JB_OK && r->is_api ? comment_read(r, id) : NULL,
	       back_path(r, arena_printf(r->a, "/problems/%lld#comments", (long long)problem)), comment_form_page, problem);
}

void act_comment_edit(struct req *r)
{
	struct comment_in in;
	struct ctx c;
	int64_t id;
	int rc;

	if (id_param_or_respond(r, 0, &id) < 0)
		return;
	web_ctx(r, &c);
	rc = bind_request(r, &c, comment_fields, &in, NULL);
	if (rc == JB_OK)
		rc = comment_edit(&c, id, &in);
	answer(r, &c, rc, 200, rc == JB_OK && r->is_api ? comment_read(r, id) : NULL, back_path(r, "/me/work"),
	       comment_edit_page, id);
}

void act_comment_remove(struct req *r)
{
	struct ctx c;
	int64_t id;
	int rc;

	if (id_param_or_respond(r, 0, &id) < 0)
		return;
	web_ctx(r, &c);
	rc = comment_remove(&c, id);
	answer(r, &c, rc, 200, rc == JB_OK && r->is_api ? comment_read(r, id) : NULL, back_path(r, "/me/work"), NULL, id);
}

void api_comments(struct req *r)
{
	struct comment *ks;
	json_t *items;
	int64_t id;
	int n, rc;

	if (id_param_or_respond(r, 0, &id) < 0)
		return;
	rc = comment_list(r->db, r->a, r->who, id, clock_now(), &ks, &n);
	if (rc < 0) {
		web_store_error(r);
		return;
	}
	if (rc == JB_ENOTFOUND || (rc == JB_EDENIED && !r->who->user_id)) {
		reply_error(r, rc == JB_ENOTFOUND ? 404 : 401, rc == JB_ENOTFOUND ? "not_found" : "unauthenticated",
			    rc == JB_ENOTFOUND ? "没有这个难题" : "请先登录", NULL);
		return;
	}
	if (rc == JB_EDENIED) {
		reply_error(r, 403, "forbidden", "只有破题团队、管理员和县领导可以查看意见", NULL);
		return;
	}
	items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, comment_json(&ks[i]));
	r->no_store = true;
	reply_json(r, 200, json_pack("{s:o}", "items", items));
}

void api_supervisions(struct req *r)
{
	int64_t id, now = clock_now();
	struct supervision *ss;
	struct extension *es;
	struct claim_brief cl;
	json_t *sj, *ej;
	int ns, ne, rc;
	bool ok = false;

	if (id_param_or_respond(r, 0, &id) < 0)
		return;
	rc = claim_brief_get(r->db, r->a, r->tenant_id, id, now, &cl);
	if (rc == 0 && supervise_may_read(r->db, r->who, &cl, &ok) < 0)
		rc = -1;
	if (rc == 0 && ok && (supervision_list(r->db, r->a, r->tenant_id, id, now, &ss, &ns) < 0 ||
			      extension_list(r->db, r->a, r->tenant_id, id, &es, &ne) < 0))
		rc = -1;
	if (rc < 0) {
		web_store_error(r);
		return;
	}
	if (rc || !ok) {
		reply_error(r, 404, "not_found", "没有这个揭榜", NULL);
		return;
	}
	sj = json_array();
	ej = json_array();
	for (int i = 0; i < ns; i++)
		json_array_append_new(sj, supervision_json(&ss[i]));
	for (int i = 0; i < ne; i++)
		json_array_append_new(ej, extension_json(&es[i]));
	r->no_store = true;
	reply_json(r, 200, json_pack("{s:o, s:o, s:b, s:o}", "supervisions", sj, "extensions", ej, "red", cl.red,
				     "deadline", json_date(cl.deadline)));
}

static json_t *items_json(struct req *r, const struct work_item *xs, int n)
{
	json_t *a = json_array();

	for (int i = 0; i < n; i++) {
		const struct work_item *x = &xs[i];
		json_array_append_new(a, json_pack("{s:s, s:s, s:I, s:o, s:o, s:o, s:s, s:s, s:s, s:s, s:s}", "kind", x->kind,
						   "kind_zh", label_of(work_kinds, x->kind), "problem_id",
						   (json_int_t)x->problem_id, "claim_id",
						   x->claim_id ? json_integer(x->claim_id) : json_null(), "object_id",
						   x->object_id ? json_integer(x->object_id) : json_null(), "due",
						   json_date(x->due), "title", x->title, "state", x->state, "role", x->role,
						   "detail", x->detail, "light", x->light));
	}
	return a;
}

void api_work(struct req *r)
{
	struct work w;

	if (work_of(r->db, r->a, r->who, clock_now(), &w) < 0) {
		web_store_error(r);
		return;
	}
	r->no_store = true;
	reply_json(r, 200, json_pack("{s:o, s:o, s:o, s:o}", "waiting", items_json(r, w.waiting, w.nwaiting), "milestones",
				     items_json(r, w.milestones, w.nmilestones), "claims",
				     items_json(r, w.claims, w.nclaims), "proposals",
				     items_json(r, w.proposals, w.nproposals)));
}
