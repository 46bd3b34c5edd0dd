/* claim_ui.h - what the claim pages share (claim.c: the claim page, its
 * actions, progress and solve, the comparison and the pledge;
 * claim_form.c: the application form). Not for other pages: the light
 * badge and the completion bar are in widgets.h. */
#ifndef JB_CLAIM_UI_H
#define JB_CLAIM_UI_H

#include "domain/certificate.h"
#include "domain/claim.h"
#include "web/fields.h"
#include "web/web.h"

/* <input type="hidden" name value>, escaped. */
void claim_hidden(buf *b, const char *name, const char *value);

/* A form's repeated rows ("list.N.field") renumbered 0.. in order with the
 * blank rows dropped, in r->form itself, so that what is bound, what the
 * verb's errors name and what is shown again agree. A row is blank when
 * every value under it is empty, the fields in defaults (space-separated,
 * a select's preset such as "role") aside. Returns the rows kept. */
int claim_rows_compact(struct req *r, const char *list, const char *defaults);

/* For a form whose rows are shown by their own numbers (one per metric,
 * say): the request's form as it came, and c's errors about row k of the
 * compacted list renamed to the row it came from, so that the form shown
 * again puts each value and message where it was typed. saved: r->form
 * and r->nform from before claim_rows_compact(); lists: the lists
 * compacted (space-separated). */
struct form_copy {
	struct kv *form;
	int n;
};
struct form_copy claim_form_save(struct req *r);
void claim_form_restore(struct req *r, struct ctx *c, const struct form_copy *saved, const char *lists,
			const char *defaults[]);

/* The posted row count of list (hidden field "<list>_rows"), at least
 * least and at least kept, at most max. */
int claim_rows_shown(struct req *r, const char *list, int least, int kept, int max);

/* The claim of route parameter 0 as the reader may see it (claim_get());
 * -1 having answered (400, 404, 500/503). c is set up for the request. */
int claim_or_respond(struct req *r, struct ctx *c, struct claim_detail *d);

/* "/claims/<id><tail>" on r's arena. */
const char *claim_path(struct req *r, int64_t id, const char *tail);
/* <a href="base+path">text</a>, escaped. */
void claim_link(buf *b, struct req *r, const char *path, const char *text);
/* The row of action (the transition table may hold several) the reader
 * may take on d now, or NULL. */
const struct claim_transition *claim_row_for(struct req *r, const struct claim_detail *d, const char *action);

/* The mid-term review's section of the claim page (web/claim_risk.c): the
 * risk mark, its note and the mid-term date for the claim's internal
 * readers, the admins' form; nothing for anyone else or a claim not
 * working. */
void claim_risk_section(struct req *r, const struct claim_detail *d);
/* The risk form on its own page; refused: the refused mark's context
 * (errors), or NULL. */
void claim_risk_form_page(struct req *r, const struct ctx *refused, int status);
/* For the printable pages (claim_print.c): <dt>role</dt><dd>name（title）</dd>,
 * and <dt>破题战队</dt> with the members other than the lead and owner. */
void claim_party_fact(buf *b, const char *role, const char *name, const char *title);
void claim_team_fact(buf *b, const struct claim_detail *d);
/* The certificate's document (web/certificate.c), without the page. */
void certificate_html(buf *b, const struct claim_detail *d, const struct certificate *k);
/* The link to the printable acceptance certificate of an accepted claim
 * (web/certificate.c); nothing otherwise. */
void claim_certificate_link(struct req *r, const struct claim_detail *d);

#endif
