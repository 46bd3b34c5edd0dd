/* bulletin.c - the bulletins' JSON API: GET /api/v1/bulletins (every
 * issue with its frozen figures), POST /api/v1/bulletins (issue one:
 * period_from, period_to, issued_on, office, batch, highlights
 * [{claim: id} | {text: "..."}]), GET /api/v1/bulletins/:n (one, or its
 * .docx for "N.docx"). The verb is the pages' (domain/bulletin.h). */
#include "web/bulletin.h"
#include "web/fields.h"

static json_t *items_json(const struct bulletin *b)
{
	json_t *a = json_array();

	for (int i = 0; i < b->nitems; i++)
		json_array_append_new(a, json_pack("{s:i, s:o, s:s}", "position", b->items[i].position, "claim",
						   b->items[i].claim_id ? json_integer(b->items[i].claim_id) : json_null(),
						   "text", b->items[i].text));
	return a;
}

static json_t *bulletin_json(const struct bulletin *b, bool items)
{
	json_t *j = json_pack("{s:I, s:o, s:s, s:s, s:s, s:s, s:s, s:I, s:O}", "n", (json_int_t)b->n, "batch",
			      b->batch_id ? json_pack("{s:I, s:s}", "id", (json_int_t)b->batch_id, "name", b->batch)
					  : json_null(),
			      "period_from", b->period_from, "period_to", b->period_to, "issued_on", b->issued_on,
			      "office", b->office, "created_by", b->created_by, "created_at", (json_int_t)b->created_at,
			      "figures", b->figures);

	if (items)
		json_object_set_new(j, "highlights", items_json(b));
	return j;
}

void api_bulletins(struct req *r)
{
	struct bulletin *v;
	struct ctx c;
	json_t *arr;
	int n, rc;

	web_ctx(r, &c);
	if ((rc = bulletin_list(&c, &v, &n)) != JB_OK) {
		outcome_error(r, &c, rc);
		return;
	}
	arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, bulletin_json(&v[i], false));
	reply_json(r, 200, json_pack("{s:o}", "items", arr));
}

void api_bulletin(struct req *r)
{
	struct bulletin b;
	bool as_docx;

	if (bulletin_or_respond(r, &b, &as_docx) < 0)
		return;
	if (as_docx)
		bulletin_docx_reply(r, &b);
	else
		reply_json(r, 200, json_pack("{s:o}", "bulletin", bulletin_json(&b, true)));
}

void api_bulletin_issue(struct req *r)
{
	struct bulletin_in in;
	struct bulletin b;
	struct ctx c;
	int64_t n;
	int rc;

	web_ctx(r, &c);
	rc = bind_request(r, &c, bulletin_fields, &in, NULL);
	if (rc == JB_OK)
		rc = bulletin_issue(&c, &in, &n);
	if (rc == JB_OK)
		rc = bulletin_get(&c, n, &b);
	if (rc == JB_OK)
		reply_json(r, 201, json_pack("{s:o}", "bulletin", bulletin_json(&b, true)));
	else
		outcome_error(r, &c, rc);
}
