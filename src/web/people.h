/* people.h - the pages of promotions (提拔使用, web/promotion.c), the
 * cadre's record (干部实绩档案, web/record.c) and fault tolerance (容错,
 * the claim page's section, web/record.c), and their verbs' handlers
 * (src/api/promotion.c: JSON under /api/, the page forms otherwise).
 *
 *   GET  /promotions                  the list (promotion.read: admins,
 *        leaders; ?batch= ?kind= ?person=) and, for admins, the form
 *   POST /promotions, /api/v1/promotions   record one (promotion.manage)
 *   GET  /api/v1/promotions           the list as JSON
 *   GET  /people/:id/record, /people/:id/record/print (A4),
 *        /api/v1/people/:id/record    the record (record.read)
 *   GET  /me/record                   303 to the reader's own record
 *   POST (/api/v1)/claims/:id/tolerance   apply (tolerance.apply)
 *   POST (/api/v1)/tolerances/:id/decide  decide (tolerance.decide) */
#ifndef JB_WEB_PEOPLE_H
#define JB_WEB_PEOPLE_H

#include <stdint.h>

#include "domain/action.h"
#include "http/req.h"

/* The claim page's 容错 section: the failure, the requests with their
 * decisions, the request form for the owner (or an admin) of a failed
 * claim, the decision form for admins; nothing for a claim that has not
 * failed and has no requests, or for readers who may not read its 督办
 * (supervise_may_read). c: a refused submission's errors (NULL: none). */
void tolerance_section(struct req *r, int64_t claim_id, const struct ctx *c);
/* The claim's 容错 form again after a refused submission, with status. */
void tolerance_form_page(struct req *r, int64_t claim_id, const struct ctx *c, int status);

/* name (escaped; "—" when empty) as a link to person_id's record when
 * the reader may read it, else as text: for pages that list people. */
void html_record_link(struct req *r, int64_t person_id, const char *name);

/* The promotions page; c: a refused submission's errors (NULL: a fresh
 * form; the posted values are kept), with status. */
void promotions_page(struct req *r, const struct ctx *c, int status);

/* The promotions' filter from the query string (batch=, kind=, person=),
 * for the page and the API: 0, or -1 having answered 400. */
struct promotion_filter;
int promotion_filter_or_respond(struct req *r, struct promotion_filter *f);

void page_promotions(struct req *r);       /* GET /promotions */
void page_record(struct req *r);           /* GET /people/:id/record */
void page_record_print(struct req *r);     /* GET /people/:id/record/print */
void page_my_record(struct req *r);        /* GET /me/record */
void act_promotion_create(struct req *r);  /* POST /promotions, /api/v1/promotions */
void api_promotions(struct req *r);        /* GET /api/v1/promotions */
void api_record(struct req *r);            /* GET /api/v1/people/:id/record */
void act_tolerance_apply(struct req *r);   /* POST (/api/v1)/claims/:id/tolerance */
void act_tolerance_decide(struct req *r);  /* POST (/api/v1)/tolerances/:id/decide */

#endif
