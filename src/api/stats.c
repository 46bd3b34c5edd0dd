/* stats.c - GET /api/v1/stats?batch=&as_of=: every figure of the
 * statistics page (the dashboard), from the same struct stats; the unit
 * table and the units of overdue claims only for stats.units readers. */
#include "domain/claim.h"
#include "domain/rubric.h"
#include "domain/stats.h"
#include "web/web.h"

static json_t *by_code(const struct stat_row *rows, int n, int which)
{
	json_t *o = json_object();
	for (int i = 0; i < n; i++)
		json_object_set_new(o, rows[i].code, json_integer(which == 0 ? rows[i].total :
								  which == 1 ? rows[i].claimed : rows[i].solved));
	return o;
}

static json_int_t total(const struct stat_row *rows, int n, const char *code)
{
	const struct stat_row *r = stats_find(rows, n, code);
	return r ? r->total : 0;
}

/* {"excellent": n, ...} by rubric.h grades[]. */
static json_t *grade_counts(const int64_t g[4])
{
	json_t *o = json_object();
	for (int i = 0; i < 4; i++)
		json_object_set_new(o, grades[i].code, json_integer(g[i]));
	return o;
}

static json_t *months_json(const struct stats *s)
{
	json_t *a = json_array();
	for (int i = 0; i < s->nmonths; i++)
		json_array_append_new(a, json_pack("{s:s, s:I, s:I, s:I}", "month", s->months[i].month,
						   "claimed", (json_int_t)s->months[i].claimed,
						   "solved", (json_int_t)s->months[i].solved,
						   "accepted", (json_int_t)s->months[i].accepted));
	return a;
}

static json_t *overdue_json(const struct stats *s, bool units)
{
	json_t *a = json_array();
	for (int i = 0; i < s->noverdue; i++) {
		const struct stat_overdue *o = &s->overdue[i];
		json_t *x = json_pack("{s:I, s:I, s:s, s:o, s:I}", "claim_id", (json_int_t)o->claim_id,
				      "problem_id", (json_int_t)o->problem_id, "title", o->title ? o->title : "",
				      "deadline", json_date(o->deadline), "days_over", (json_int_t)o->days_over);
		if (units)
			json_object_set_new(x, "unit", json_string(o->unit ? o->unit : ""));
		json_array_append_new(a, x);
	}
	return a;
}

static json_t *grades_json(const struct stats *s)
{
	json_t *o = json_object();
	for (int i = 0; i < s->ngrades; i++) {
		const struct stat_grades *g = &s->grades[i];
		json_object_set_new(o, g->category, json_pack("{s:I, s:o, s:o}", "scored", (json_int_t)g->scored,
							      "average", json_points(stats_average(g->score_sum, g->scored)),
							      "grades", grade_counts(g->grade)));
	}
	return o;
}

static json_t *unit_table_json(const struct stats *s)
{
	json_t *a = json_array();
	for (int i = 0; i < s->nunit_table; i++) {
		const struct stat_unit *u = &s->unit_table[i];
		json_array_append_new(a, json_pack("{s:I, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:o}",
			"unit_id", (json_int_t)u->unit_id, "name", u->name, "kind", u->kind,
			"claimed", (json_int_t)u->claimed, "solved", (json_int_t)u->solved,
			"accepted", (json_int_t)u->accepted, "overdue", (json_int_t)u->overdue,
			"scored", (json_int_t)u->scored, "average", json_points(stats_average(u->score_sum, u->scored))));
	}
	return a;
}

void api_stats(struct req *r)
{
	struct stats s;
	struct perm_target t = { 0, 0, 0, false };
	buf day = BUF_INIT;
	json_t *batch, *out;
	bool units;

	if (stats_or_respond(r, &s, NULL) < 0)
		return;
	t.tenant_id = r->tenant_id;
	units = perm_check(r->who, "stats.units", &t);
	json_t *lit = json_object();
	for (int i = LIGHT_GREEN; i <= LIGHT_AWAITING; i++)
		json_object_set_new(lit, lights[i].code, json_integer(s.lights[i]));
	fmt_date(&day, s.as_of);
	batch = s.batch ? json_pack("{s:I, s:s}", "id", (json_int_t)s.batch_id, "name", s.batch) : json_null();
	out = json_pack("{s:o, s:s, s:I, s:I, s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:{s:I, s:I}, s:{s:I, s:I}, s:o}",
		"batch", batch, "as_of", day.s,
		"problems", (json_int_t)s.problems, "claimed", (json_int_t)s.claimed,
		"solved", (json_int_t)s.solved, "accepted", (json_int_t)s.accepted,
		"promotions", (json_int_t)s.promotions,
		"problems_by_category", by_code(s.by_category, s.ncategory, 0),
		"claimed_by_category", by_code(s.by_category, s.ncategory, 1),
		"solved_by_category", by_code(s.by_category, s.ncategory, 2),
		"by_state", by_code(s.by_state, s.nstate, 0),
		"claiming_units", "县直单位", total(s.units, s.nunits, "county_dept"),
		"镇街", total(s.units, s.nunits, "town"),
		"claiming_cadres", "科级", total(s.cadres, s.ncadres, "section"),
		"股级以下", total(s.cadres, s.ncadres, "below_section"), "lights", lit);
	json_object_set_new(out, "in_progress", json_integer(s.in_progress));
	json_object_set_new(out, "overdue_total", json_integer(s.lights[LIGHT_RED]));
	json_object_set_new(out, "practices_adopted", json_integer(s.practices_adopted));
	json_object_set_new(out, "scored", json_integer(s.scored));
	json_object_set_new(out, "average_score", json_points(stats_average(s.score_sum, s.scored)));
	json_object_set_new(out, "grades", grade_counts(s.grade));
	json_object_set_new(out, "grades_by_category", grades_json(&s));
	json_object_set_new(out, "problems_by_batch", by_code(s.by_batch, s.nbatch, 0));
	json_object_set_new(out, "months", months_json(&s));
	json_object_set_new(out, "overdue", overdue_json(&s, units));
	if (units)
		json_object_set_new(out, "unit_table", unit_table_json(&s));
	reply_json(r, 200, out);
	buf_release(&day);
}
