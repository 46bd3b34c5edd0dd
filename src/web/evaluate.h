/* evaluate.h - the pages and routes of 考评验收 (domain/evaluate.h):
 *   /batches/:id/evaluation   the batch's panels, the form to form one,
 *                             assignment, and per claim its panel,
 *                             submissions, recusals, aggregate, accept /
 *                             return / reopen (evaluation.manage, or
 *                             evaluation.read to look);
 *   /me/evaluations           an evaluator's queue (我的考评);
 *   /claims/:id/score         the scoring form, then one's own scores and,
 *                             once the panel has submitted, everyone's;
 *   evaluation_section()      the result on the claim page (score, grade,
 *                             the panel's date, rectification) and, for
 *                             those allowed, the rounds' history.
 * The verbs' handlers (src/api/evaluate.c) answer JSON under /api/; a
 * page form is redirected back, or shown again with its errors beside
 * the fields through the *_page() functions here. */
#ifndef JB_WEB_EVALUATE_H
#define JB_WEB_EVALUATE_H

#include <stdint.h>

#include "domain/action.h"
#include "domain/claim.h"
#include "http/req.h"

/* The claim page's section (nothing before a panel or a result). */
void evaluation_section(struct req *r, const struct claim_detail *d);

/* Pages again after a refused form (c: its errors; form: which form of
 * the batch page it was: "panel", "assign", or NULL). */
void batch_evaluation_page(struct req *r, int64_t batch_id, const struct ctx *c, const char *form, int status);
void score_form_page(struct req *r, int64_t claim_id, const char *stage, const struct ctx *c, int status);

/* Pages (web/evaluate.c). */
void page_batch_evaluation(struct req *r);   /* GET /batches/:id/evaluation */
void page_my_evaluations(struct req *r);     /* GET /me/evaluations */
void page_claim_score(struct req *r);        /* GET /claims/:id/score */
/* Verbs, page form and API alike (src/api/evaluate.c). */
void act_panel_create(struct req *r);        /* POST /batches/:id/panels, /api/v1/batches/:id/panels */
void act_panel_update(struct req *r);        /* POST /panels/:id, PATCH /api/v1/panels/:id */
void act_panel_assign(struct req *r);        /* POST (/api/v1)/panels/:id/assignments */
void act_score_submit(struct req *r);        /* POST /claims/:id/score, /api/v1/claims/:id/scores */
void act_evaluation_reopen(struct req *r);   /* POST (/api/v1)/evaluations/:id/reopen */
void act_claim_accept(struct req *r);        /* POST (/api/v1)/claims/:id/accept */
/* JSON reads (src/api/evaluate.c). */
void api_claim_scores(struct req *r);        /* GET /api/v1/claims/:id/scores[?stage=midterm] */
void api_my_evaluations(struct req *r);      /* GET /api/v1/me/evaluations */

#endif
