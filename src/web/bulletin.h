/* bulletin.h - the bulletin pages (web/bulletin.c), the year's report
 * pages (web/report.c) and their JSON API (api/bulletin.c). */
#ifndef JB_WEB_BULLETIN_H
#define JB_WEB_BULLETIN_H

#include "domain/bulletin.h"
#include "util/docx.h"
#include "web/web.h"

/* web/bulletin.c: GET /bulletins, /bulletins/new, POST /bulletins,
 * GET /bulletins/:n (the print page, or the .docx for "N.docx"). */
void page_bulletins(struct req *r);
void page_bulletin_new(struct req *r);
void act_bulletin_issue(struct req *r);
void page_bulletin(struct req *r);

/* web/report.c: GET /batches/:id/report (print page), /batches/:id/report.docx
 * and /api/v1/batches/:id/report.docx. */
void page_batch_report(struct req *r);
void page_batch_report_docx(struct req *r);

/* api/bulletin.c: GET /api/v1/bulletins, POST /api/v1/bulletins,
 * GET /api/v1/bulletins/:n (JSON, or the .docx for "N.docx"). */
void api_bulletins(struct req *r);
void api_bulletin_issue(struct req *r);
void api_bulletin(struct req *r);

/* The bulletin of route parameter 0 ("3" or "3.docx"; *docx says which)
 * as the reader may read it; answers 400, 403, 404 or 500 itself and
 * returns -1 when there is none. */
int bulletin_or_respond(struct req *r, struct bulletin *b, bool *as_docx);
/* Answer with bulletin b as a .docx download (简报第N期.docx). */
void bulletin_docx_reply(struct req *r, const struct bulletin *b);
/* Answer with the finished document x (freed here) as a download named
 * name; 500 when it cannot be zipped. */
void web_docx_reply(struct req *r, docx *x, const char *name);

#endif
