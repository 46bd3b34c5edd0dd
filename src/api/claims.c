/* claims.c - the claim API (揭榜 → 军令状 → 攻坚 → 破题): apply, the
 * claim transition table's actions, progress and solve, and reading
 * claims. Each handler binds its body, runs one domain verb (claim.h)
 * and answers the claim as the caller now sees it. */
#include <string.h>

#include "domain/claim.h"
#include "domain/evidence.h"
#include "web/fields.h"
#include "web/web.h"

static const char *claim_code(int s)
{
	return s >= 0 && s < CLAIM_STATE_COUNT ? claim_state_info[s].code : "";
}

static json_t *opt_int(int64_t v)
{
	return v ? json_integer(v) : json_null();
}

static json_t *team_json(const struct claim_detail *k)
{
	json_t *a = json_array();

	for (int i = 0; i < k->nmembers; i++) {
		const struct claim_member *m = &k->members[i];
		json_array_append_new(a, json_pack("{s:I, s:s, s:s, s:I, s:s, s:s, s:s}", "person_id", (json_int_t)m->person_id,
						   "name", m->name, "title", m->title, "unit_id", (json_int_t)m->unit_id,
						   "unit", m->unit, "role", m->role, "role_label",
						   label_of(member_roles, m->role) ? label_of(member_roles, m->role) : m->role));
	}
	return a;
}

static json_t *plan_json(struct req *r, const struct claim_detail *k, json_t **metrics)
{
	json_t *ms = json_array();

	for (int i = 0; i < k->nmilestones; i++) {
		const struct claim_milestone *m = &k->milestones[i];
		json_array_append_new(ms, json_pack("{s:I, s:s, s:I, s:o, s:b}", "id", (json_int_t)m->id, "title", m->title,
						    "due", (json_int_t)m->due_at, "done", opt_int(m->done_at), "overdue",
						    m->overdue));
	}
	*metrics = json_array();
	for (int i = 0; i < k->nmetrics; i++) {
		const struct claim_metric *m = &k->metrics[i];
		json_array_append_new(*metrics, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o}", "id", (json_int_t)m->id,
							  "name", m->name, "kind", m->kind, "uom", m->uom, "baseline",
							  metric_format(r->a, m->kind, m->baseline), "target",
							  metric_format(r->a, m->kind, m->target), "achieved",
							  metric_format(r->a, m->kind, m->achieved), "completion",
							  m->completion >= 0 ? json_integer(m->completion) : json_null()));
	}
	return ms;
}

static const char *metric_kind_of(const struct claim_detail *k, int64_t metric_id)
{
	for (int i = 0; i < k->nmetrics; i++)
		if (k->metrics[i].id == metric_id)
			return k->metrics[i].kind;
	return "count";
}

static json_t *reports_json(struct req *r, const struct claim_detail *k)
{
	json_t *a = json_array();

	for (int i = 0; i < k->nprogress; i++) {
		const struct claim_report *p = &k->progress[i];
		json_t *vals = json_array(), *files = json_array();
		json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)p->id, "at", (json_int_t)p->at, "kind",
				      p->kind, "author", p->author, "text", p->text, "next_steps", p->next_steps);
		for (int j = 0; j < p->nvalues; j++)
			json_array_append_new(vals, json_pack("{s:I, s:s}", "metric_id", (json_int_t)p->values[j].metric_id,
							      "value", metric_format(r->a, metric_kind_of(k, p->values[j].metric_id),
										     p->values[j].value)));
		for (int j = 0; j < p->nfiles; j++)
			json_array_append_new(files, json_pack("{s:s, s:s, s:s, s:I}", "sha256", p->files[j].sha256, "name",
							       p->files[j].name, "mime", p->files[j].mime, "size",
							       (json_int_t)p->files[j].size));
		json_object_set_new(o, "values", vals);
		json_object_set_new(o, "files", files);
		if (p->internal_shown) {
			json_object_set_new(o, "difficulties", json_string(p->difficulties));
			json_object_set_new(o, "help_needed", json_string(p->help_needed));
		}
		json_array_append_new(a, o);
	}
	return a;
}

/* The actions of the table the reader may use now. */
static json_t *actions_json(struct req *r, const struct claim_detail *k)
{
	struct claim_party party = { r->who->tenant_id, k->unit_id, k->rel };
	json_t *a = json_array();

	for (int i = 0; i < claim_transitions_count; i++) {
		const char *act = claim_transitions[i].action;
		if (i && !strcmp(claim_transitions[i - 1].action, act))
			continue;
		if (claim_transition_allowed(r->who, act, k->state, &party))
			json_array_append_new(a, json_string(act));
	}
	return a;
}

static json_t *claim_json(struct req *r, const struct claim_detail *k)
{
	json_t *metrics, *coop = json_array();
	json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s}", "id", (json_int_t)k->id,
			      "problem_id", (json_int_t)k->problem_id, "problem_title", k->problem_title, "problem_state",
			      k->problem_state, "state", claim_code(k->state), "state_label",
			      k->state >= 0 ? claim_state_info[k->state].zh : "", "route", k->route, "unit_id",
			      (json_int_t)k->unit_id, "unit", k->unit, "light", lights[k->light].code, "light_label",
			      lights[k->light].zh);

	for (int i = 0; i < k->ncooperators; i++)
		json_array_append_new(coop, json_pack("{s:I, s:s}", "id", (json_int_t)k->cooperators[i].id, "name",
						      k->cooperators[i].name));
	json_object_set_new(o, "lead_person_id", json_integer(k->lead_person_id));
	json_object_set_new(o, "owner_person_id", json_integer(k->owner_person_id));
	json_object_set_new(o, "lead", json_string(k->lead));
	json_object_set_new(o, "owner", json_string(k->owner));
	json_object_set_new(o, "batch", json_string(k->batch));
	json_object_set_new(o, "plan", json_string(k->plan));
	json_object_set_new(o, "goals", json_string(k->goals));
	json_object_set_new(o, "pledge", json_string(k->pledge));
	json_object_set_new(o, "reward_penalty", json_string(k->reward_penalty));
	json_object_set_new(o, "reason", *k->decided_reason ? json_string(k->decided_reason) : json_null());
	json_object_set_new(o, "deadline", opt_int(k->deadline));
	json_object_set_new(o, "applied_at", json_integer(k->applied_at));
	json_object_set_new(o, "endorsed_at", opt_int(k->endorsed_at));
	json_object_set_new(o, "approved_at", opt_int(k->approved_at));
	json_object_set_new(o, "owner_signed_at", opt_int(k->owner_signed_at));
	json_object_set_new(o, "lead_signed_at", opt_int(k->lead_signed_at));
	json_object_set_new(o, "signed_at", opt_int(k->signed_at));
	json_object_set_new(o, "solved_at", opt_int(k->solved_at));
	json_object_set_new(o, "closed_at", opt_int(k->closed_at));
	json_object_set_new(o, "as_of", json_integer(k->as_of));
	json_object_set_new(o, "members", team_json(k));
	json_object_set_new(o, "cooperating_units", coop);
	json_object_set_new(o, "milestones", plan_json(r, k, &metrics));
	json_object_set_new(o, "metrics", metrics);
	json_object_set_new(o, "progress", reports_json(r, k));
	json_object_set_new(o, "actions", actions_json(r, k));
	return o;
}

/* Answer {"claim": ...} as the caller sees claim id now. */
static void reply_claim(struct req *r, int64_t id, int status, json_t *extra)
{
	struct claim_detail k;
	struct ctx c;
	int rc;

	web_ctx(r, &c);
	if ((rc = claim_get(&c, id, &k)) != JB_OK) {
		json_decref(extra);
		outcome_error(r, &c, rc);
		return;
	}
	json_t *v = json_pack("{s:o}", "claim", claim_json(r, &k));
	if (extra)
		json_object_update_new(v, extra);
	reply_json(r, status, v);
}

/* GET /api/v1/claims/:id */
void api_claim(struct req *r)
{
	int64_t id;

	if (id_param_or_respond(r, 0, &id) == 0)
		reply_claim(r, id, 200, NULL);
}

/* GET /api/v1/problems/:id/claims: the applications side by side. */
void api_problem_claims(struct req *r)
{
	struct claim_summary *s;
	struct ctx c;
	int64_t id;
	int n, rc;
	json_t *a;

	if (id_param_or_respond(r, 0, &id) < 0 || !row_or_respond(r, "problem", id, "没有这个难题"))
		return;
	web_ctx(r, &c);
	if ((rc = claim_list_for_problem(&c, id, &s, &n)) != JB_OK) {
		outcome_error(r, &c, rc);
		return;
	}
	a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:o, s:i, s:i, s:i, s:i, s:s}", "id",
						   (json_int_t)s[i].id, "state", claim_code(s[i].state), "route", s[i].route,
						   "unit", s[i].unit, "lead", s[i].lead, "owner", s[i].owner, "applied_at",
						   (json_int_t)s[i].applied_at, "deadline", opt_int(s[i].deadline), "members",
						   s[i].nmembers, "units", s[i].nunits, "milestones", s[i].nmilestones,
						   "metrics", s[i].nmetrics, "light", lights[s[i].light].code));
	reply_json(r, 200, json_pack("{s:o}", "claims", a));
}

/* POST /api/v1/problems/:id/claims */
void api_claim_apply(struct req *r)
{
	struct claim_in in = { 0 };
	struct ctx c;
	int64_t pid, id;
	int rc;

	if (id_param_or_respond(r, 0, &pid) < 0)
		return;
	web_ctx(r, &c);
	rc = bind_request(r, &c, claim_fields, &in, NULL);
	if (rc == JB_OK)
		rc = claim_apply(&c, pid, &in, &id);
	if (rc == JB_OK)
		reply_claim(r, id, 201, NULL);
	else
		outcome_error(r, &c, rc);
}

/* POST /api/v1/claims/:id/<action>: the action is the path's last segment. */
void api_claim_act(struct req *r)
{
	struct claim_act_in in = { 0 };
	struct claim_act_out out;
	const char *action = strrchr(r->path, '/');
	struct ctx c;
	int64_t id;
	int rc;

	if (id_param_or_respond(r, 0, &id) < 0)
		return;
	web_ctx(r, &c);
	rc = bind_request(r, &c, claim_act_fields, &in, NULL);
	if (rc == JB_OK)
		rc = claim_act(&c, id, action + 1, &in, &out);
	if (rc != JB_OK) {
		outcome_error(r, &c, rc);
		return;
	}
	reply_claim(r, id, 200, json_pack("{s:{s:s, s:s, s:b}}", "transition", "from", claim_code(out.from), "to",
					  claim_code(out.to), "problem_moved", out.problem_moved));
}

/* A JSON object, or a multipart form with "file" parts (evidence.h): the
 * fields and the files' types are checked together, before the verb. */
static void report(struct req *r, bool solve)
{
	struct progress_in in = { 0 };
	struct evidence_file *files;
	struct ctx c;
	int64_t id, pid;
	int rc, nfiles;

	if (id_param_or_respond(r, 0, &id) < 0)
		return;
	web_ctx(r, &c);
	files = web_evidence_files(r, &nfiles);
	rc = bind_request(r, &c, progress_fields, &in, NULL);
	if (evidence_check(&c, files, nfiles) != JB_OK)
		rc = JB_EINVALID;
	in.files = files;
	in.nfiles = nfiles;
	if (rc == JB_OK)
		rc = solve ? claim_solve(&c, id, &in, &pid) : claim_progress(&c, id, &in, &pid);
	if (rc == JB_OK)
		reply_claim(r, id, 201, json_pack("{s:I}", "progress_id", (json_int_t)pid));
	else
		outcome_error(r, &c, rc);
}

/* POST /api/v1/claims/:id/progress */
void api_claim_progress(struct req *r)
{
	report(r, false);
}

/* POST /api/v1/claims/:id/solve */
void api_claim_solve(struct req *r)
{
	report(r, true);
}
