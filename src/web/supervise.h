/* supervise.h - the pages of 督办, 延期, 意见交流 and 我的工作 (web/supervise.c,
 * web/work.c), and the sections other pages include:
 *   supervise_section(r, claim_id)  the claim's notices (with the reply
 *       form for its owner and lead, 逾期未复 for everyone), its extension
 *       requests (history; approve/refuse forms for admins), and the forms
 *       to issue a notice (admins, red claims) and to ask for an extension
 *       (the owner) - for the claim page;
 *   comment_section(r, problem_id)  the comment thread and its form, for
 *       its readers only (nothing for anyone else) - for the problem page;
 *   digest_section(r)  the reader's daily digests - for /me/notifications.
 * Each writes into r->out; a store failure shows a line saying the part
 * could not be read (the page around it still answers).
 *
 * The verbs' handlers (src/api/supervise.c) answer JSON under /api/ and,
 * for the page forms, redirect to the form's "back" path (a local path)
 * or show the form again with its errors through the *_form_page()
 * functions here. */
#ifndef JB_WEB_SUPERVISE_H
#define JB_WEB_SUPERVISE_H

#include <stdint.h>

#include "domain/action.h"
#include "http/req.h"

void supervise_section(struct req *r, int64_t claim_id);
void comment_section(struct req *r, int64_t problem_id);
void digest_section(struct req *r);

/* A form page again after a refused submission (c: its errors, NULL for
 * a fresh form), with status; id: the claim, notice, request, problem or
 * comment the form acts on. */
void supervise_form_page(struct req *r, int64_t claim_id, const struct ctx *c, int status);
void reply_form_page(struct req *r, int64_t supervision_id, const struct ctx *c, int status);
void extend_form_page(struct req *r, int64_t claim_id, const struct ctx *c, int status);
void decide_form_page(struct req *r, int64_t extension_id, const char *action, const struct ctx *c, int status);
void comment_form_page(struct req *r, int64_t problem_id, const struct ctx *c, int status);
void comment_edit_page(struct req *r, int64_t comment_id, const struct ctx *c, int status);

/* The form's "back" field when it is a local path, else fallback. */
const char *back_path(struct req *r, const char *fallback);

/* Route handlers. Pages (web/supervise.c, web/work.c): */
void page_work(struct req *r);             /* GET /me/work */
void page_supervise_new(struct req *r);    /* GET /claims/:id/supervisions/new */
void page_extend_new(struct req *r);       /* GET /claims/:id/extend */
void page_comment_edit(struct req *r);     /* GET /comments/:id/edit */
void page_refuse_new(struct req *r);       /* GET /extensions/:id/refuse */
/* Verbs, page form and API alike (src/api/supervise.c): */
void act_supervise(struct req *r);         /* POST /claims/:id/supervisions, /api/v1/claims/:id/supervisions */
void act_supervision_reply(struct req *r); /* POST (/api/v1)/supervisions/:id/reply */
void act_extend(struct req *r);            /* POST (/api/v1)/claims/:id/extend */
void act_extension_approve(struct req *r); /* POST (/api/v1)/extensions/:id/approve */
void act_extension_refuse(struct req *r);  /* POST (/api/v1)/extensions/:id/refuse */
void act_comment_write(struct req *r);     /* POST (/api/v1)/problems/:id/comments */
void act_comment_edit(struct req *r);      /* POST /comments/:id/edit, PATCH /api/v1/comments/:id */
void act_comment_remove(struct req *r);    /* POST (/api/v1)/comments/:id/remove */
/* JSON reads (src/api/supervise.c): */
void api_comments(struct req *r);          /* GET /api/v1/problems/:id/comments */
void api_work(struct req *r);              /* GET /api/v1/me/work */
void api_supervisions(struct req *r);      /* GET /api/v1/claims/:id/supervisions */

#endif
