/* evaluate.c - the verbs of 考评验收 for the page forms and /api/v1 alike,
 * and their JSON reads (web/evaluate.h lists the routes). Under /api/ a
 * verb answers JSON; a page form is redirected, or shown again with its
 * errors (invalid: 400, conflict: 409) by web/evaluate.c. */
#include "web/evaluate.h"

#include <string.h>

#include "domain/evaluate.h"
#include "domain/password.h"
#include "util/clock.h"
#include "web/claim_ui.h"
#include "web/fields.h"
#include "web/web.h"


static json_t *rubric_json(const struct rubric *rb)
{
	json_t *a = json_array();

	for (int i = 0; i < rb->n; i++) {
		const struct criterion *k = &rb->c[i];
		json_t *bands = json_array();
		for (int j = 0; j < k->nbands; j++)
			json_array_append_new(bands, json_pack("{s:s, s:o}", "label", k->bands[j].label, "score",
							       json_points(k->bands[j].score)));
		json_array_append_new(a, json_pack("{s:s, s:i, s:o, s:s, s:o}", "name", k->name, "weight", k->weight, "max",
						   json_points(k->max), "description", k->description ? k->description : "",
						   "bands", bands));
	}
	return a;
}

static json_t *entry_json(const struct eval_entry *e)
{
	json_t *scores = json_array();

	for (int i = 0; i < e->nscores; i++)
		json_array_append_new(scores, json_pack("{s:s, s:o, s:o}", "criterion", e->scores[i].criterion, "score",
							json_points(e->scores[i].score), "band",
							e->scores[i].band >= 0 ? json_integer(e->scores[i].band) : json_null()));
	return json_pack("{s:I, s:I, s:s, s:i, s:s, s:o, s:s, s:I, s:o, s:s, s:s}", "id", (json_int_t)e->id, "user_id",
			 (json_int_t)e->user_id, "evaluator", e->evaluator, "round", e->round, "state", e->state, "total",
			 json_points(e->total), "comment", e->comment, "submitted_at", (json_int_t)e->submitted_at, "scores",
			 scores, "reopened_by", e->reopened_by, "reopen_reason", e->reopen_reason);
}

static json_t *round_json(const struct eval_round *w, bool with_score)
{
	bool shown = with_score && w->agg.n > 0 && w->grade >= 0;

	return json_pack("{s:i, s:i, s:b, s:b, s:o, s:o, s:o}", "round", w->round, "submitted", w->submitted, "complete",
			 w->complete, "trimmed", w->agg.trimmed, "score", shown ? json_points(w->agg.score) : json_null(),
			 "grade", shown ? json_string(grades[w->grade].zh) : json_null(), "grade_code",
			 shown ? json_string(grades[w->grade].code) : json_null());
}

static json_t *members_json(const struct eval_view *v)
{
	json_t *a = json_array();

	for (int i = 0; i < v->nmembers; i++) {
		const struct eval_member *m = &v->members[i];
		json_array_append_new(a, json_pack("{s:I, s:s, s:s, s:s, s:b, s:o, s:s, s:b}", "user_id",
						   (json_int_t)m->user_id, "login", m->login, "name", m->name,
						   "organisation", m->organisation, "external", m->external, "recused",
						   m->recused ? json_string(recusal_codes[m->recused]) : json_null(),
						   "reason", recusal_reasons[m->recused], "submitted",
						   m->entry && !strcmp(m->entry->state, "submitted")));
	}
	return a;
}

/* The aggregate as evaluate.h's blindness rule lets the reader see it. */
static json_t *view_json(struct req *r, const void *outcome)
{
	const struct eval_view *v = outcome;
	json_t *j = json_pack("{s:I, s:s, s:i, s:b, s:b, s:o, s:o, s:o, s:o}", "claim_id", (json_int_t)v->claim_id,
			      "stage", v->stage, "round", v->round, "blind", !v->sees_all, "may_score", v->may_score,
			      "panel", v->panel_id ? json_pack("{s:I, s:s}", "id", (json_int_t)v->panel_id, "name", v->panel)
						   : json_null(),
			      "rubric", rubric_json(&v->rubric), "recused",
			      v->my_recusal ? json_string(recusal_reasons[v->my_recusal]) : json_null(), "mine",
			      v->mine ? entry_json(v->mine) : json_null());
	json_t *totals, *evals, *hist;
	bool done = v->now.complete;

	if (!v->sees_all)
		return j;
	totals = json_array();
	evals = json_array();
	hist = json_array();
	for (int i = 0; i < v->nentries; i++) {
		json_array_append_new(evals, entry_json(&v->entries[i]));
		if (v->entries[i].round == v->round && !strcmp(v->entries[i].state, "submitted"))
			json_array_append_new(totals, json_points(v->entries[i].total));
	}
	for (int i = 0; i < v->nhistory; i++)
		json_array_append_new(hist, round_json(&v->history[i], true));
	json_object_update_new(j, json_pack("{s:i, s:i, s:b, s:b, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "evaluators",
					    v->expected, "submitted", v->now.submitted, "complete", done, "trimmed",
					    done && v->now.agg.trimmed, "score", done ? json_points(v->now.agg.score) : json_null(),
					    "grade", done ? json_string(grades[v->now.grade].zh) : json_null(), "grade_code",
					    done ? json_string(grades[v->now.grade].code) : json_null(), "totals", totals,
					    "members", members_json(v), "evaluations", evals, "history", hist));
	return j;
}

/* The stage of the query or body ("final" when absent); -1 answered 400. */
static int stage_or_respond(struct req *r, const char *given, const char **stage)
{
	*stage = given && *given ? given : "final";
	if (!label_of(eval_stages, *stage)) {
		reply_error(r, 400, "bad_stage", "考评阶段须为 final（考评验收）或 midterm（中期评估）", "stage");
		return -1;
	}
	return 0;
}

void api_claim_scores(struct req *r)
{
	const char *stage;
	struct eval_view v;
	struct ctx c;
	int64_t id;
	int rc;

	if (id_param_or_respond(r, 0, &id) < 0 || stage_or_respond(r, req_query(r, "stage"), &stage) < 0)
		return;
	web_ctx(r, &c);
	if ((rc = evaluation_view(&c, id, stage, &v)) != JB_OK) {
		outcome_error(r, &c, rc);
		return;
	}
	reply_json(r, 200, view_json(r, &v));
}

void api_my_evaluations(struct req *r)
{
	struct eval_task *t;
	json_t *a;
	struct ctx c;
	int n, rc;

	web_ctx(r, &c);
	if ((rc = evaluation_queue(&c, &t, &n)) != JB_OK) {
		outcome_error(r, &c, rc);
		return;
	}
	a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "claim_id",
						   (json_int_t)t[i].claim_id, "problem_id", (json_int_t)t[i].problem_id,
						   "problem", t[i].problem, "unit", t[i].unit, "stage", t[i].stage, "panel",
						   t[i].panel ? t[i].panel : "", "state", t[i].state, "state_zh",
						   eval_task_zh(t[i].state), "recused", recusal_codes[t[i].recused],
						   "reason", recusal_reasons[t[i].recused]));
	reply_json(r, 200, json_pack("{s:o}", "evaluations", a));
}

/* ---- answering a verb ---- */

/* rc JB_OK: json (stolen; NULL: {"ok": true}) under /api/, else a
 * redirect to back; any other result as outcome_error(). */
static void answer(struct req *r, struct ctx *c, int rc, int status, json_t *json, const char *back)
{
	if (rc == JB_OK && r->is_api) {
		reply_json(r, status, json ? json : json_pack("{s:b}", "ok", 1));
	} else if (rc == JB_OK) {
		json_decref(json);
		reply_redirect(r, back);
	} else {
		json_decref(json);
		outcome_error(r, c, rc);
	}
}

static const char *back_or(struct req *r, const char *fallback)
{
	const char *b = req_form(r, "back");

	return b && b[0] == '/' && b[1] != '/' && !strchr(b, '\\') ? b : fallback;
}

/* Hash the external members' passwords (each checked by pw_policy) into
 * their hash fields; JB_OK or the errors in c. */
static int hash_externals(struct req *r, struct ctx *c, struct bind_list *l)
{
	struct external_in *x = l->items;
	int errs = c->nerrs;

	for (int i = 0; i < l->n; i++) {
		const char *why = pw_policy(x[i].password, x[i].login);
		char *hash = arena_alloc(r->a, PW_HASH_MAX);
		if (why) {
			ctx_invalid(c, arena_printf(c->a, "externals.%d.password", i), "weak_password", why);
			continue;
		}
		if (pw_hash(x[i].password, hash) != PW_OK)
			return ctx_fail(c, JB_EBUSY, NULL, "busy", "服务器繁忙，请稍后再试");
		x[i].hash = hash;
	}
	return c->nerrs > errs ? JB_EINVALID : JB_OK;
}

void act_panel_create(struct req *r)
{
	struct panel_in in;
	int64_t batch, id = 0;
	struct ctx c;
	int rc;

	if (id_param_or_respond(r, 0, &batch) < 0)
		return;
	if (!r->json)
		claim_rows_compact(r, "externals", "");
	web_ctx(r, &c);
	rc = bind_request(r, &c, panel_fields, &in, NULL);
	if (rc == JB_OK)
		rc = hash_externals(r, &c, &in.externals);
	if (rc == JB_OK)
		rc = panel_create(&c, batch, &in, &id);
	if (rc != JB_OK && !r->is_api && (rc == JB_EINVALID || rc == JB_ECONFLICT)) {
		buf_reset(&r->out);
		batch_evaluation_page(r, batch, &c, "panel", rc == JB_EINVALID ? 400 : 409);
		return;
	}
	answer(r, &c, rc, 201, json_pack("{s:{s:I, s:s}}", "panel", "id", (json_int_t)id, "name", in.name ? in.name : ""),
	       arena_printf(r->a, "/batches/%lld/evaluation?done=panel", (long long)batch));
}

void act_panel_update(struct req *r)
{
	struct panel_update_in in;
	struct ctx c;
	int64_t id;
	int rc;

	if (id_param_or_respond(r, 0, &id) < 0)
		return;
	if (!r->json)
		claim_rows_compact(r, "externals", "");
	web_ctx(r, &c);
	rc = bind_request(r, &c, panel_update_fields, &in, NULL);
	if (rc == JB_OK)
		rc = hash_externals(r, &c, &in.externals);
	if (rc == JB_OK)
		rc = panel_update(&c, id, &in);
	answer(r, &c, rc, 200, json_pack("{s:{s:I}}", "panel", "id", (json_int_t)id), back_or(r, "/me/evaluations"));
}

void act_panel_assign(struct req *r)
{
	struct assign_in in;
	struct ctx c;
	int64_t id;
	int rc, n = 0;

	if (id_param_or_respond(r, 0, &id) < 0)
		return;
	web_ctx(r, &c);
	rc = bind_request(r, &c, assign_fields, &in, NULL);
	if (rc == JB_OK)
		rc = panel_assign(&c, id, &in, &n);
	answer(r, &c, rc, 200, json_pack("{s:I, s:i}", "panel_id", (json_int_t)id, "assigned", n),
	       arena_printf(r->a, "%s%sassigned=%d", back_or(r, "/me/evaluations"),
			    strchr(back_or(r, "/me/evaluations"), '?') ? "&" : "?", n));
}

void act_score_submit(struct req *r)
{
	struct submit_in in;
	const char *stage;
	struct ctx c;
	int64_t id, eval = 0;
	int rc;

	if (id_param_or_respond(r, 0, &id) < 0)
		return;
	web_ctx(r, &c);
	rc = bind_request(r, &c, submit_fields, &in, NULL);
	if (stage_or_respond(r, rc == JB_OK ? in.stage : NULL, &stage) < 0)
		return;
	if (rc == JB_OK)
		rc = evaluation_submit(&c, id, &in, &eval);
	if (rc != JB_OK && !r->is_api && (rc == JB_EINVALID || rc == JB_ECONFLICT)) {
		buf_reset(&r->out);
		score_form_page(r, id, stage, &c, rc == JB_EINVALID ? 400 : 409);
		return;
	}
	if (rc == JB_OK && r->is_api) {
		struct eval_view v;
		struct ctx c2;
		web_ctx(r, &c2);
		if (evaluation_view(&c2, id, stage, &v) != JB_OK) {
			web_store_error(r);
			return;
		}
		reply_json(r, 201, view_json(r, &v));
		return;
	}
	answer(r, &c, rc, 201, NULL,
	       claim_path(r, id, arena_printf(r->a, "/score?stage=%s&done=1", stage)));
}

void act_evaluation_reopen(struct req *r)
{
	struct reopen_in in;
	int64_t id, claim = 0;
	struct ctx c;
	int rc;

	if (id_param_or_respond(r, 0, &id) < 0)
		return;
	web_ctx(r, &c);
	rc = bind_request(r, &c, reopen_fields, &in, NULL);
	if (rc == JB_OK)
		rc = evaluation_reopen(&c, id, &in, &claim);
	answer(r, &c, rc, 200, json_pack("{s:{s:I, s:s, s:I}}", "evaluation", "id", (json_int_t)id, "state", "reopened",
					 "claim_id", (json_int_t)claim),
	       back_or(r, claim ? claim_path(r, claim, "") : "/"));
}

void act_claim_accept(struct req *r)
{
	struct accept_out out;
	const char *back, *warning = NULL;
	struct ctx c;
	int64_t id;
	int rc;

	if (id_param_or_respond(r, 0, &id) < 0)
		return;
	web_ctx(r, &c);
	rc = claim_accept(&c, id, &out);
	if (rc == JB_OK && out.over_cap)
		warning = arena_printf(r->a, "本批次优秀等次已超过 %d%% 的比例上限（%d / %d 项为优秀）", out.cap, out.excellent,
				       out.graded);
	back = back_or(r, claim_path(r, id, ""));
	answer(r, &c, rc, 200,
	       rc == JB_OK ? json_pack("{s:I, s:s, s:o, s:s, s:s, s:b, s:o}", "claim_id", (json_int_t)id, "state",
				       "accepted", "score", json_points(out.score), "grade", grades[out.grade].zh, "grade_code",
				       grades[out.grade].code, "over_cap", out.over_cap,
				       "warning", warning ? json_string(warning) : json_null())
			   : NULL,
	       arena_printf(r->a, "%s%saccepted=%lld%s", back, strchr(back, '?') ? "&" : "?", (long long)id,
			    out.over_cap ? "&cap=1" : ""));
}
