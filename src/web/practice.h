/* practice.h - the practice pages (web/practice.c) and their JSON API
 * (api/practice.c): the public library, one practice, its printable
 * page, the writing form and the verbs; and the claim page's list of a
 * claim's practices. */
#ifndef JB_WEB_PRACTICE_H
#define JB_WEB_PRACTICE_H

#include "domain/claim.h"
#include "domain/practice.h"
#include "web/web.h"

/* web/practice.c */
void page_practices(struct req *r);
void page_practice(struct req *r);
void page_practice_print(struct req *r);
void page_practice_new(struct req *r);
void act_practice_create(struct req *r);
void page_practice_edit(struct req *r);
void act_practice_update(struct req *r);
void act_practice_recommend(struct req *r);
void act_practice_adopt(struct req *r);

/* api/practice.c */
void api_practices(struct req *r);
void api_practice(struct req *r);
void api_practice_create(struct req *r);
void api_practice_update(struct req *r);
void api_practice_recommend(struct req *r);
void api_practice_adopt(struct req *r);

/* The list's filter from the query string (q, state, page, per_page),
 * for the page and the API alike; answers 400 and returns -1 on bad
 * input. */
int practice_filter_or_respond(struct req *r, struct practice_filter *f);

/* The practice of route parameter 0 as the reader may see it; answers
 * 400, 404 or 500 itself and returns -1 when there is none. */
int practice_or_respond(struct req *r, struct practice *p);

/* The practice of route parameter 0 for an edit: 404 when there is
 * none, 403 (audited) when the reader may not write it (its author or an
 * admin), whatever the reader could otherwise see. */
int practice_writable_or_respond(struct req *r, struct practice *p);

/* On the claim page (web/claim.c): the claim's practices the reader sees
 * and, for a claim declared solved, the link 总结经验做法 for those who
 * may write one. Writes nothing when there is neither. */
void practice_claim_section(struct req *r, const struct claim_detail *d);

#endif
