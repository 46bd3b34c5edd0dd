/* notice.h - the pages of public notices (公示), objections (异议) and the
 * working-day calendar (web/notice.c, web/calendar.c), and the verbs'
 * handlers (src/api/notice.c) that answer JSON under /api/ and, for the
 * page forms, redirect or show the form again through the *_page()
 * functions here (c: the refused submission's errors, NULL for a fresh
 * page; status: the answer's). */
#ifndef JB_WEB_NOTICE_H
#define JB_WEB_NOTICE_H

#include <jansson.h>
#include <stdint.h>

#include "domain/action.h"
#include "http/req.h"

void notice_public_page(struct req *r, int64_t id, const struct ctx *c, int status);
void notice_admin_page(struct req *r, int64_t id, const struct ctx *c, int status);
void notice_new_page(struct req *r, int64_t batch_id, const char *kind, const struct ctx *c, int status);
void calendar_page(struct req *r, int year, const struct ctx *c, int status);

/* Pages (web/notice.c, web/calendar.c): */
void page_notices(struct req *r);          /* GET /notices, /api/v1/notices */
void page_notice(struct req *r);           /* GET /notices/:id, /api/v1/notices/:id */
void page_admin_notices(struct req *r);    /* GET /admin/notices */
void page_admin_notice(struct req *r);     /* GET /admin/notices/:id */
void page_notice_new(struct req *r);       /* GET /admin/notices/new?batch=&kind= */
void page_calendar(struct req *r);         /* GET /calendar/:year, /api/v1/calendar/:year */
void act_calendar_set(struct req *r);      /* POST /calendar/:year, PUT /api/v1/calendar/:year */
/* Verbs (src/api/notice.c): */
void act_notice_create(struct req *r);     /* POST /admin/batches/:id/notices, /api/v1/batches/:id/notices */
void act_objection_lodge(struct req *r);   /* POST /notices/:id/objections, /api/v1/public/objections */
void act_objection_answer(struct req *r);  /* POST /admin/objections/:id/answer, /api/v1/objections/:id/answer */
void act_notice_close(struct req *r);      /* POST /admin/notices/:id/close, /api/v1/notices/:id/close */
/* JSON reads (src/api/notice.c): */
void api_notice_objections(struct req *r); /* GET /api/v1/notices/:id/objections */
void api_notice_candidates(struct req *r); /* GET /api/v1/batches/:id/notice-candidates?kind= */

/* {"notice": ...} with its items, as anyone may see it (no objection's
 * name, contact or text) (web/notice.c); NULL on a store error or no
 * such notice. */
json_t *notice_json(struct req *r, int64_t id);

#endif
