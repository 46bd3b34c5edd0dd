/* intake.c - the API of the campaign's intake half: proposing (出卷),
 * screening (遴选), publishing (发榜), "my proposals" and notifications.
 * Each handler binds its body, runs one domain verb and presents the
 * outcome as JSON; the pages (web/intake.c) call the same verbs. */
#include <stdlib.h>
#include <string.h>

#include "domain/notify.h"
#include "domain/proposal.h"
#include "domain/screen.h"
#include "domain/state.h"
#include "web/fields.h"
#include "web/web.h"

static const char *state_code(int s)
{
	return s >= 0 && s < PROBLEM_STATE_COUNT ? problem_state_info[s].code : "";
}

static const char *state_zh(int s)
{
	return s >= 0 && s < PROBLEM_STATE_COUNT ? problem_state_info[s].zh : "";
}

static json_t *opt_int(int64_t v)
{
	return v ? json_integer(v) : json_null();
}

static json_t *proposal_json(const struct proposal *p)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:I, s:s, s:o, s:s, s:b, s:b, s:i, s:s}",
			      "id", (json_int_t)p->id, "state", state_code(p->state), "state_label", state_zh(p->state),
			      "title", p->title, "description", p->description, "expected_outcome", p->expected_outcome,
			      "category", p->category, "category_id", (json_int_t)p->category_id, "batch", p->batch,
			      "batch_id", (json_int_t)p->batch_id, "unit", p->unit, "unit_id", opt_int(p->unit_id),
			      "proposer", p->proposer_name, "from_resident", p->from_resident, "residents_concern",
			      p->residents_concern, "priority", p->priority, "priority_label", priority_label(p->priority));

	json_object_set_new(o, "returned", json_boolean(p->returned_at != 0));
	json_object_set_new(o, "returned_at", opt_int(p->returned_at));
	json_object_set_new(o, "reason", *p->screen_reason ? json_string(p->screen_reason) : json_null());
	json_object_set_new(o, "merged_into", opt_int(p->merged_into));
	if (p->merged_into)
		json_object_set_new(o, "merged_title", json_string(p->merged_title));
	json_object_set_new(o, "publication_id", opt_int(p->publication_id));
	json_object_set_new(o, "round", opt_int(p->round));
	json_object_set_new(o, "is_public", json_boolean(p->is_public && (problem_state_info[p->state].flags & PS_PUBLIC)));
	if (p->from_resident && p->contact_phone) { /* a screener: the resident's contact */
		json_object_set_new(o, "contact_name", json_string(p->contact_name));
		json_object_set_new(o, "contact_phone", json_string(p->contact_phone));
	}
	json_object_set_new(o, "created_at", json_integer(p->created_at));
	json_object_set_new(o, "updated_at", json_integer(p->updated_at));
	return o;
}

/* Answer {"problem": <proposal id as who sees it>} with status. */
static void reply_proposal(struct req *r, int64_t id, int status)
{
	struct proposal p;
	int rc = proposal_get(r->db, r->a, r->who, id, &p);

	if (rc < 0) {
		web_store_error(r);
		return;
	}
	if (rc > 0) { /* a resident's: they may not read it back */
		reply_json(r, status, json_pack("{s:{s:I, s:s}}", "problem", "id", (json_int_t)id, "state", "proposed"));
		return;
	}
	reply_json(r, status, json_pack("{s:o}", "problem", proposal_json(&p)));
}

/* POST /api/v1/problems, POST /api/v1/public/problems. */
static void create(struct req *r, bool public)
{
	struct proposal_in in = { 0 };
	struct ctx c;
	int64_t id;
	int rc;

	web_ctx(r, &c);
	rc = bind_request(r, &c, public ? public_proposal_fields : proposal_fields, &in, NULL);
	if (rc == JB_OK)
		rc = public ? proposal_create_public(&c, &in, &id) : proposal_create(&c, &in, &id);
	if (rc == JB_OK)
		reply_proposal(r, id, 201);
	else
		outcome_error(r, &c, rc);
}

void api_proposal_create(struct req *r)
{
	create(r, false);
}

void api_public_proposal_create(struct req *r)
{
	create(r, true);
}

/* POST /api/v1/proposals/:id/revise: the proposer's revision after a return. */
void api_proposal_revise(struct req *r)
{
	struct proposal_in in = { 0 };
	struct ctx c;
	int64_t id;
	int rc;

	if (id_param_or_respond(r, 0, &id) < 0)
		return;
	web_ctx(r, &c);
	rc = bind_request(r, &c, proposal_fields, &in, NULL);
	if (rc == JB_OK)
		rc = proposal_revise(&c, id, &in);
	if (rc == JB_OK)
		reply_proposal(r, id, 200);
	else
		outcome_error(r, &c, rc);
}

/* GET /api/v1/proposals/:id */
void api_proposal(struct req *r)
{
	struct proposal p;
	int64_t id;
	int rc;

	if (id_param_or_respond(r, 0, &id) < 0)
		return;
	rc = proposal_get(r->db, r->a, r->who, id, &p);
	if (rc < 0)
		web_store_error(r);
	else if (rc > 0)
		reply_error(r, 404, "not_found", "没有这个难题，或您无权查看", NULL);
	else
		reply_json(r, 200, json_pack("{s:o}", "problem", proposal_json(&p)));
}

/* PATCH /api/v1/problems/:id: category and priority. */
void api_screen_update(struct req *r)
{
	struct screen_update_in in = { 0 };
	struct ctx c;
	int64_t id;
	int rc;

	if (id_param_or_respond(r, 0, &id) < 0)
		return;
	web_ctx(r, &c);
	rc = bind_request(r, &c, screen_update_fields, &in, NULL);
	if (rc == JB_OK)
		rc = screen_update(&c, id, &in);
	if (rc == JB_OK)
		reply_proposal(r, id, 200);
	else
		outcome_error(r, &c, rc);
}

static json_t *outcome_json(const struct transition_out *o)
{
	json_t *v = json_pack("{s:s, s:s, s:i}", "from", state_code(o->from), "to", state_code(o->to), "moved", o->n);

	if (o->publication_id) {
		json_object_set_new(v, "publication_id", json_integer(o->publication_id));
		json_object_set_new(v, "round", json_integer(o->round));
	}
	return v;
}

/* POST /api/v1/problems/:id/transitions {"action", "reason", "into"} */
void api_transition(struct req *r)
{
	struct transition_in in = { 0 };
	struct transition_out out;
	struct proposal p;
	struct ctx c;
	int64_t id;
	int rc;

	if (id_param_or_respond(r, 0, &id) < 0)
		return;
	web_ctx(r, &c);
	rc = bind_request(r, &c, transition_fields, &in, NULL);
	if (rc == JB_OK)
		rc = screen_apply(&c, id, &in, &out);
	if (rc != JB_OK) {
		outcome_error(r, &c, rc);
		return;
	}
	if ((rc = proposal_get(r->db, r->a, r->who, id, &p)) != 0) {
		web_store_error(r);
		return;
	}
	reply_json(r, 200, json_pack("{s:o, s:o}", "problem", proposal_json(&p), "transition", outcome_json(&out)));
}

/* POST /api/v1/problems/transitions {"action", "ids": [...], "reason", "into"}:
 * all or nothing. */
void api_transitions(struct req *r)
{
	struct transition_in in = { 0 };
	struct transition_out out;
	struct ctx c;
	int rc;

	web_ctx(r, &c);
	rc = bind_request(r, &c, bulk_transition_fields, &in, NULL);
	if (rc == JB_OK)
		rc = screen_apply_many(&c, &in, &out);
	if (rc == JB_OK)
		reply_json(r, 200, json_pack("{s:o}", "transition", outcome_json(&out)));
	else
		outcome_error(r, &c, rc);
}

static json_t *screen_row_json(const struct screen_row *x)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:b, s:b, s:b, s:I, s:I}", "id",
			 (json_int_t)x->id, "title", x->title, "state", state_code(x->state), "state_label",
			 state_zh(x->state), "batch", x->batch, "category", x->category, "unit", x->unit, "proposer",
			 x->proposer_name, "priority", x->priority, "residents_concern", x->residents_concern,
			 "from_resident", x->from_resident, "returned", x->returned, "created_at",
			 (json_int_t)x->created_at, "updated_at", (json_int_t)x->updated_at);
}

/* A positive integer query parameter (0 when absent); -1 after answering 400. */
static int query_id(struct req *r, const char *name, const char *what, int64_t *out)
{
	const char *v = req_query(r, name);
	char *end;
	long long n;

	*out = 0;
	if (!v || !*v)
		return 0;
	n = strtoll(v, &end, 10);
	if (*end || n < 1) {
		reply_error(r, 400, "bad_param", arena_printf(r->a, "%s应为正整数", what), name);
		return -1;
	}
	*out = n;
	return 0;
}

/* GET /api/v1/problems?state=<an internal state>|screening: the screeners'
 * queue. Filters: batch, category, returned=1, residents=1, q, page. */
void api_screen_list(struct req *r)
{
	const char *state = req_query(r, "state"), *v;
	struct screen_filter f = { .state = -1 };
	struct screen_page pg;
	json_t *items, *counts;
	int rc;

	if (state && strcmp(state, "screening") && (f.state = problem_state_of(state)) < 0) {
		reply_error(r, 400, "bad_param", "没有这个难题状态", "state");
		return;
	}
	if (query_id(r, "batch", "批次", &f.batch_id) < 0 || query_id(r, "category", "类别", &f.category_id) < 0 ||
	    query_id(r, "page", "页码", &f.page) < 0 || query_id(r, "per_page", "每页条数", &f.per_page) < 0)
		return;
	f.returned = (v = req_query(r, "returned")) && !strcmp(v, "1");
	f.residents = (v = req_query(r, "residents")) && !strcmp(v, "1");
	f.q = req_query(r, "q");
	rc = screen_list(r->db, r->a, r->who, &f, &pg);
	if (rc < 0) {
		web_store_error(r);
		return;
	}
	if (rc > 0) {
		if (!r->who->user_id) {
			reply_error(r, 401, "unauthenticated", "请先登录", NULL);
			return;
		}
		reply_error(r, 403, "forbidden", "您没有权限查看未发榜的难题", NULL);
		return;
	}
	items = json_array();
	for (int i = 0; i < pg.n; i++)
		json_array_append_new(items, screen_row_json(&pg.items[i]));
	counts = json_object();
	for (int s = 0; s < PROBLEM_STATE_COUNT; s++)
		json_object_set_new(counts, problem_state_info[s].code, json_integer(pg.by_state[s]));
	reply_json(r, 200, json_pack("{s:o, s:I, s:I, s:o}", "items", items, "total", (json_int_t)pg.total, "page",
				     (json_int_t)(f.page ? f.page : 1), "counts", counts));
}

/* GET /api/v1/problems/similar?title=...&exclude=id: 查重. */
void api_similar(struct req *r)
{
	const char *title = req_query(r, "title");
	struct similar *s;
	int64_t exclude;
	json_t *items;
	bool internal;
	int n;

	if (query_id(r, "exclude", "排除的难题", &exclude) < 0)
		return;
	if (title && strlen(title) > 4 * PROPOSAL_TITLE_MAX) {
		reply_error(r, 400, "too_long", "难题名称过长", "title");
		return;
	}
	if (proposal_similar(r->db, r->a, r->who, title, exclude, &s, &n) < 0) {
		web_store_error(r);
		return;
	}
	items = json_array();
	internal = perm_any(r->who, "problem.read_internal") || perm_any(r->who, "problem.screen");
	for (int i = 0; i < n; i++) {
		bool pub = s[i].is_public && (problem_state_info[s[i].state].flags & PS_PUBLIC);
		/* a link only where the reader may follow it */
		json_t *url = pub || internal ? json_string(arena_printf(r->a, "%s/%s/%lld", r->base, pub ? "problems" : "proposals",
									(long long)s[i].id)) : json_null();
		json_array_append_new(items, json_pack("{s:I, s:s, s:s, s:s, s:s, s:o}", "id", (json_int_t)s[i].id,
						       "title", s[i].title, "batch", s[i].batch, "state",
						       state_code(s[i].state), "state_label", state_zh(s[i].state), "url", url));
	}
	reply_json(r, 200, json_pack("{s:o}", "items", items));
}

/* GET /api/v1/me/proposals: 我的出卷. */
void api_my_proposals(struct req *r)
{
	struct proposal *p;
	json_t *items;
	int n;

	if (proposal_mine(r->db, r->a, r->who, &p, &n) < 0) {
		web_store_error(r);
		return;
	}
	items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, proposal_json(&p[i]));
	reply_json(r, 200, json_pack("{s:o}", "items", items));
}

/* GET /api/v1/notifications?before=id */
void api_notifications(struct req *r)
{
	struct notification *x;
	int64_t before, unread;
	json_t *items;
	bool more;
	int n;

	if (query_id(r, "before", "起始编号", &before) < 0)
		return;
	if (notify_list(r->db, r->a, r->tenant_id, r->who->user_id, before, &x, &n, &more) < 0 ||
	    notify_unread(r->db, r->tenant_id, r->who->user_id, &unread) < 0) {
		web_store_error(r);
		return;
	}
	items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, json_pack("{s:I, s:s, s:s, s:o, s:s, s:s, s:I, s:o, s:b}", "id",
						       (json_int_t)x[i].id, "kind", x[i].kind, "object_type",
						       x[i].object_type, "object_id", opt_int(x[i].object_id), "title",
						       x[i].title, "body", x[i].body, "created_at",
						       (json_int_t)x[i].created_at, "read_at", opt_int(x[i].read_at),
						       "read", x[i].read_at != 0));
	reply_json(r, 200, json_pack("{s:o, s:I, s:b}", "items", items, "unread", (json_int_t)unread, "more", more));
}

static void mark(struct req *r, int64_t id)
{
	struct ctx c;
	int64_t unread;
	int rc;

	web_ctx(r, &c);
	rc = notify_mark_read(&c, id);
	if (rc != JB_OK) {
		outcome_error(r, &c, rc);
		return;
	}
	if (notify_unread(r->db, r->tenant_id, r->who->user_id, &unread) < 0) {
		web_store_error(r);
		return;
	}
	reply_json(r, 200, json_pack("{s:I}", "unread", (json_int_t)unread));
}

/* POST /api/v1/notifications/:id/read */
void api_notification_read(struct req *r)
{
	int64_t id;

	if (id_param_or_respond(r, 0, &id) == 0)
		mark(r, id);
}

/* POST /api/v1/notifications/read: all of them. */
void api_notifications_read(struct req *r)
{
	mark(r, 0);
}

/* POST /api/v1/problems/carry {"batch_id", "ids": [...]}: into another batch. */
void api_carry(struct req *r)
{
	struct carry_in in = { 0 };
	struct ctx c;
	int moved = 0, rc;

	web_ctx(r, &c);
	rc = bind_request(r, &c, carry_fields, &in, NULL);
	if (rc == JB_OK)
		rc = screen_carry(&c, &in, &moved);
	if (rc == JB_OK)
		reply_json(r, 200, json_pack("{s:i, s:I}", "moved", moved, "batch_id", (json_int_t)in.batch_id));
	else
		outcome_error(r, &c, rc);
}

/* GET /api/v1/batches/:id/publications */
void api_publications(struct req *r)
{
	struct publication *p;
	json_t *items;
	int64_t id;
	int n;

	if (id_param_or_respond(r, 0, &id) < 0 || !row_or_respond(r, "batch", id, "没有这个批次"))
		return;
	if (publication_list(r->db, r->a, r->tenant_id, id, &p, &n) < 0) {
		web_store_error(r);
		return;
	}
	items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, json_pack("{s:I, s:I, s:I, s:I, s:I, s:s}", "id", (json_int_t)p[i].id,
						       "batch_id", (json_int_t)p[i].batch_id, "round",
						       (json_int_t)p[i].round, "published_at",
						       (json_int_t)p[i].published_at, "n", (json_int_t)p[i].n, "actor",
						       p[i].actor));
	reply_json(r, 200, json_pack("{s:o}", "items", items));
}
