/* persons.c - GET /api/v1/persons?q=&unit=: the person search behind the
 * pickers (domain/person.h), for their script and for API clients. */
#include "domain/person.h"
#include "web/web.h"
#include "web/widgets.h"

static json_t *person_json(const struct person *p)
{
	return json_pack("{s:I, s:s, s:I, s:s, s:s, s:s}", "id", (json_int_t)p->id, "name", p->name,
			 "unit_id", (json_int_t)p->unit_id, "unit", p->unit, "title", p->title, "rank", p->rank);
}

void api_persons(struct req *r)
{
	struct person_query q;
	struct person_hits h;
	struct ctx c;
	json_t *items;
	int rc;

	if (person_query_or_respond(r, "q", "unit", &q) < 0)
		return;
	web_ctx(r, &c);
	if ((rc = person_search(&c, &q, &h)) != JB_OK) {
		outcome_error(r, &c, rc);
		return;
	}
	items = json_array();
	for (int i = 0; i < h.n; i++)
		json_array_append_new(items, person_json(&h.items[i]));
	reply_json(r, 200, json_pack("{s:o, s:b}", "items", items, "more", h.more));
}
