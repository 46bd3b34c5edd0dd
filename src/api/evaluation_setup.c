/* evaluation_setup.c - the verbs that prepare the evaluation, for the page
 * forms and /api/v1 alike: the mid-term risk mark on a claim (POST
 * /claims/:id/risk, POST /api/v1/claims/:id/risk). The rubric's are in
 * web/rubric.c with its page. Under /api/ a verb answers JSON; a page form
 * is redirected to the claim page, or shown again with its errors (400,
 * 409) by web/claim_risk.c's form page. */
#include "domain/claim.h"
#include "util/clock.h"
#include "web/claim_ui.h"
#include "web/fields.h"
#include "web/web.h"

/* {"claim_id", "risk", "note", "light"} of claim id as saved. */
static json_t *risk_json(struct req *r, const void *outcome)
{
	int64_t id = *(const int64_t *)outcome;
	struct claim_detail d;
	struct claim_risk k;
	struct ctx c;

	web_ctx(r, &c);
	if (claim_get(&c, id, &d) != JB_OK || claim_risk_get(&c, &d, &k) < 0)
		return NULL;
	return json_pack("{s:I, s:s, s:s, s:s}", "claim_id", (json_int_t)id, "risk",
			 k.risk == RISK_NONE ? "" : claim_risks[k.risk - 1].code, "note", k.note, "light",
			 lights[d.light].code);
}

static void refused_page(struct req *r, const void *outcome, int status)
{
	claim_risk_form_page(r, outcome, status);
}

void act_claim_risk(struct req *r)
{
	struct risk_in in;
	struct ctx c;
	int64_t id;
	int rc;

	if (id_param_or_respond(r, 0, &id) < 0)
		return;
	web_ctx(r, &c);
	rc = bind_request(r, &c, risk_fields, &in, NULL);
	if (rc == JB_OK)
		rc = claim_risk_mark(&c, id, &in);
	if (rc != JB_OK) {
		present_outcome_error(r, &c, rc, refused_page, &c);
		return;
	}
	present(r, 200, &(struct presentation){ .json = risk_json,
		.redirect = arena_printf(r->a, "/claims/%lld?done=risk#risk-h", (long long)id) }, &id);
}
