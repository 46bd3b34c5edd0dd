/* stats.c - GET /api/v1/stats: the same figures as the statistics page. */
#include "domain/claim.h"
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

void api_stats(struct req *r)
{
	struct stats s;
	buf day = BUF_INIT;
	json_t *batch;

	if (stats_or_respond(r, &s) < 0)
		return;
	json_t *lit = json_object();
	for (int i = LIGHT_GREEN; i <= LIGHT_AWAITING; i++)
		json_object_set_new(lit, lights[i].code, json_integer(s.lights[i]));
	fmt_date(&day, s.as_of);
	batch = s.batch ? json_pack("{s:I, s:s}", "id", (json_int_t)s.batch_id, "name", s.batch) : json_null();
	reply_json(r, 200, json_pack("{s:o, s:s, s:I, s:I, s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:{s:I, s:I}, s:{s:I, s:I}, s:o}",
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
		"股级以下", total(s.cadres, s.ncadres, "below_section"), "lights", lit));
	buf_release(&day);
}
