/* persons.c - GET /api/v1/persons?q=&unit=: the person search behind the
 * user forms' pickers (domain/person.h), for their script and for API
 * clients; GET /api/v1/people?q=&unit=: the same search in pick mode
 * (person.pick: the claim form's pickers), name, unit and title only. */
#include "domain/person.h"
#include "web/web.h"
#include "web/widgets.h"

static json_t *person_json(const struct person *p, bool pick)
{
	json_t *o = json_pack("{s:I, s:s, s:I, s:s, s:s}", "id", (json_int_t)p->id, "name", p->name,
			      "unit_id", (json_int_t)p->unit_id, "unit", p->unit, "title", p->title);

	if (!pick)
		json_object_set_new(o, "rank", json_string(p->rank));
	return o;
}

static void search_json(struct req *r, bool pick)
{
	struct person_query q;
	struct person_hits h;
	struct ctx c;
	json_t *items;
	int rc;

	if (person_query_or_respond(r, "q", "unit", &q) < 0)
		return;
	q.pick = pick;
	web_ctx(r, &c);
	if ((rc = person_search(&c, &q, &h)) != JB_OK) {
		outcome_error(r, &c, rc);
		return;
	}
	items = json_array();
	for (int i = 0; i < h.n; i++)
		json_array_append_new(items, person_json(&h.items[i], pick));
	reply_json(r, 200, json_pack("{s:o, s:b}", "items", items, "more", h.more));
}

void api_persons(struct req *r)
{
	search_json(r, false);
}

void api_people(struct req *r)
{
	search_json(r, true);
}
