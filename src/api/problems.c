/* problems.c - GET /api/v1/problems and /api/v1/problems/:id. */
#include <string.h>

#include "api/api.h"
#include "domain/problem.h"
#include "domain/state.h"
#include "domain/timeline.h"
#include "web/web.h"

static json_t *row_json(const struct problem_row *p)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s?, s:s?, s:s?, s:I, s:b}",
			 "id", (json_int_t)p->id, "title", p->title, "batch", p->batch,
			 "category", p->category, "state", p->state,
			 "claim_unit", *p->claim_unit ? p->claim_unit : NULL,
			 "claim_unit_kind", *p->claim_unit_kind ? p->claim_unit_kind : NULL,
			 "owner", *p->owner ? p->owner : NULL,
			 "updated_at", (json_int_t)p->updated_at, "overdue", p->overdue);
}

void api_problems(struct req *r)
{
	struct problem_filter f;
	struct problem_page pg;
	json_t *items;

	const char *state = req_query(r, "state");

	/* Internal states are the screeners' queue (api/intake.c). */
	if (state && (!strcmp(state, "screening") || (problem_state_of(state) >= 0 && !problem_state_has(state, PS_PUBLIC)))) {
		api_screen_list(r);
		return;
	}
	if (tenant_or_respond(r) < 0 || board_filter_or_respond(r, &f) < 0)
		return;
	if (problem_list(r->db, r->a, r->tenant_id, &f, &pg) < 0) {
		web_store_error(r);
		return;
	}
	items = json_array();
	for (int i = 0; i < pg.n; i++)
		json_array_append_new(items, row_json(&pg.items[i]));
	reply_json(r, 200, json_pack("{s:o, s:I, s:I, s:I}", "items", items, "total", (json_int_t)pg.total,
				     "page", (json_int_t)f.page, "per_page", (json_int_t)f.per_page));
}

static json_t *claim_json(const struct problem_detail *p)
{
	json_t *members = json_array(), *milestones = json_array(), *metrics = json_array(),
	       *progress = json_array();

	for (int i = 0; i < p->nmembers; i++) {
		const struct member *m = &p->members[i];
		json_array_append_new(members, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "name", m->name,
			"title", m->title, "rank", m->rank, "unit", m->unit, "unit_kind", m->unit_kind, "role", m->role));
	}
	for (int i = 0; i < p->nmilestones; i++) {
		const struct milestone *m = &p->milestones[i];
		json_array_append_new(milestones, json_pack("{s:s, s:I, s:o, s:b}", "title", m->title,
			"due_at", (json_int_t)m->due_at, "done_at", m->done_at ? json_integer(m->done_at) : json_null(),
			"overdue", m->overdue));
	}
	for (int i = 0; i < p->nmetrics; i++) {
		const struct metric *m = &p->metrics[i];
		json_array_append_new(metrics, json_pack("{s:I, s:s, s:s, s:s, s:I, s:I}", "id", (json_int_t)m->id,
			"name", m->name, "kind", m->kind, "uom", m->uom, "target", (json_int_t)m->target,
			"achieved", (json_int_t)m->achieved));
	}
	for (int i = 0; i < p->nprogress; i++) {
		const struct progress_entry *e = &p->progress[i];
		json_array_append_new(progress, json_pack("{s:I, s:s, s:s, s:s}", "at", (json_int_t)e->at,
			"title", e->title, "body", e->body, "author", e->author));
	}
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:o, s:o, s:o, s:o, s:i}",
		"id", (json_int_t)p->claim.id, "state", p->claim.state, "unit", p->claim.unit,
		"unit_kind", p->claim.unit_kind, "lead", p->claim.lead, "lead_title", p->claim.lead_title,
		"owner", p->claim.owner, "owner_title", p->claim.owner_title, "pledge", p->claim.pledge, "deadline", (json_int_t)p->claim.deadline,
		"applied_at", (json_int_t)p->claim.applied_at, "members", members, "milestones", milestones,
		"metrics", metrics, "progress", progress, "member_units", p->nmember_units);
}

/* The problem's 办理记录 (domain/timeline.h): from, to and reason are
 * null when the entry is not a transition; login only for readers of the
 * audit log. */
static json_t *timeline_json(const struct timeline_entry *e, int n)
{
	json_t *items = json_array();

	for (int i = 0; i < n; i++) {
		const struct audit_text *t = &e[i].t;
		json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s?, s:s?, s:s?}", "at", (json_int_t)e[i].at,
				      "actor", t->actor, "action", e[i].action, "title", t->title, "detail", t->detail,
				      "from", t->from, "to", t->to, "reason", t->reason);
		if (t->login)
			json_object_set_new(o, "login", json_string(t->login));
		json_array_append_new(items, o);
	}
	return items;
}

void api_problem(struct req *r)
{
	struct problem_detail p;
	struct timeline_entry *tl;
	bool more;
	int n;

	if (problem_or_respond(r, &p) < 0)
		return;
	if (timeline_problem(r->db, r->a, r->tenant_id, p.id, r->who, &tl, &n, &more) < 0) {
		web_store_error(r);
		return;
	}
	reply_json(r, 200, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:b, s:o, s:o, s:b}",
		"id", (json_int_t)p.id, "title", p.title, "description", p.description, "batch", p.batch,
		"category", p.category, "state", p.state, "proposer", p.proposer, "proposer_unit", p.proposer_unit,
		"created_at", (json_int_t)p.created_at, "updated_at", (json_int_t)p.updated_at, "overdue", p.overdue,
		"claim", p.has_claim ? claim_json(&p) : json_null(), "timeline", timeline_json(tl, n),
		"timeline_more", more));
}
