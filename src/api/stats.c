/* stats.c - GET /api/v1/stats: the same figures as the statistics page. */
#include "api/api.h"
#include "domain/stats.h"
#include "util/text.h"
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
	int64_t batch = 0;
	const char *v = req_query(r, "batch");

	if (tenant_or_respond(r) < 0)
		return;
	if (v && *v && parse_int(v, 1, INT64_MAX, &batch) < 0) {
		reply_error(r, 400, "bad_parameter", "批次编号必须是正整数", "batch");
		return;
	}
	if (stats_get(r->db, r->a, r->tenant_id, batch, &s) < 0) {
		web_store_error(r);
		return;
	}
	reply_json(r, 200, json_pack("{s:I, s:I, s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:{s:I, s:I}, s:{s:I, s:I}}",
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
		"股级以下", total(s.cadres, s.ncadres, "below_section")));
}
