/* complaint.h - the complaint and suggestion channel (投诉建议): anyone,
 * signed in or not, sends a complaint or a suggestion; admins answer it;
 * the sender reads the answer under "my submissions" (signed in) or with
 * the reference number (查询编号) given when it was sent.
 *
 * The reference number is the only key a resident holds, and it shows the
 * answer, so it is unguessable: "TS" + the day sent + "-" + 8 characters
 * drawn by libsodium from a 32-letter alphabet without 0/O or 1/I
 * (2^40 values a day), e.g. TS20270315-7KQ3MZ9P. A lookup by reference
 * (complaint_get) never returns the sender's name, contact or who
 * answered; those are for admins (complaint_by_id, complaint_queue).
 *
 * Rules the verbs keep (decided for issue 8 §3):
 * - Residents (not signed in) may give a name and a contact; signed-in
 *   senders are known by their account, and what they send as name or
 *   contact is ignored.
 * - Residents are limited to COMPLAINT_PER_ADDR submissions per client
 *   address per hour (domain/ratelimit.h, kind "complaint"); signed-in
 *   senders are not limited by address (a county office sits behind one
 *   NAT address, and every submission names its account in the audit log).
 * - The form's hidden "website" field is a honeypot for form-filling
 *   robots: when it is filled the submission is refused (JB_EINVALID) with
 *   a generic message that does not say why, and nothing is stored or
 *   counted. A real browser never fills it.
 * - An answer may be revised: every answer and revision is its own audit
 *   entry (complaint.answer, with the answer before and after) and tells a
 *   signed-in sender (a notification). A revision names the answer it
 *   replaces by its time (answered_at as last read); when the complaint was
 *   answered or revised since, the revision is refused with JB_ECONFLICT,
 *   so of two admins answering at once one succeeds and the other is shown
 *   the answer that won. answered_at strictly increases with every answer
 *   (the later of now and the previous one plus a second), so it is an
 *   exact version even for two answers within one second. */
#ifndef JB_COMPLAINT_H
#define JB_COMPLAINT_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/action.h"
#include "domain/bind.h"
#include "domain/labels.h"
#include "store/db.h"
#include "util/arena.h"

#define COMPLAINT_PAGE 50          /* items per page of a list */
#define COMPLAINT_PER_ADDR 5       /* residents' submissions per address per hour */
#define COMPLAINT_REF_LEN 19       /* "TS20270315-7KQ3MZ9P" */

/* complaint 投诉, suggestion 建议. */
extern const struct label complaint_kinds[];

struct complaint {
	int64_t id, user_id, created_at, answered_at; /* user_id 0: a resident; answered_at 0: open */
	const char *ref, *kind, *subject, *body, *answer; /* answer "" while open */
	const char *name, *contact;    /* a resident's, as given ("" when not, and in complaint_get) */
	const char *sender;            /* the signed-in sender's login ("" for a resident, and in complaint_get) */
	const char *answered_by;       /* the answering admin's login ("" in complaint_get) */
};

/* Which complaints a queue shows. */
enum complaint_state { COMPLAINT_ALL, COMPLAINT_OPEN, COMPLAINT_ANSWERED };

/* One page of a list, and (queue only) the tenant's counts by state. */
struct complaint_page {
	struct complaint *items;
	int n;
	bool more;                     /* a next page exists */
	int64_t open, answered;
};

/* A submission as the form or the API sends it. */
struct complaint_in {
	const char *kind;              /* complaint_kinds code */
	const char *subject;           /* 2-60 characters */
	const char *body;              /* 5-2000 characters, line breaks allowed */
	const char *name, *contact;    /* optional; residents only */
	const char *website;           /* the honeypot: must be empty */
};
extern const struct bind_field complaint_fields[];

/* An answer: the text, and the answer time the sender last saw (0: it saw
 * no answer). */
struct complaint_answer_in {
	const char *answer;            /* 2-2000 characters, line breaks allowed */
	int64_t answered_at;
};
extern const struct bind_field complaint_answer_fields[];

/* Verb (anyone): store the submission, audit complaint.create (kind and
 * subject only: never the contact), count it against a resident's address.
 * *id and *ref (on c->a) are the new complaint's. JB_EINVALID (blank text,
 * the honeypot), JB_ELIMITED (too many from this address). */
int complaint_submit(struct ctx *c, const struct complaint_in *in, int64_t *id, const char **ref)
	__attribute__((warn_unused_result));
/* Verb (complaint.answer): answer or revise the answer of complaint id,
 * audit complaint.answer, notify a signed-in sender. JB_ENOTFOUND,
 * JB_EDENIED, JB_EINVALID (blank), JB_ECONFLICT (answered since
 * in->answered_at). */
int complaint_answer(struct ctx *c, int64_t id, const struct complaint_answer_in *in)
	__attribute__((warn_unused_result));

/* The reference number as typed, normalised (spaces around it dropped,
 * letters upper-cased), on a; NULL when it cannot be one. */
const char *complaint_ref_normal(arena *a, const char *typed);
/* The complaint with reference ref (as typed), as anyone holding the
 * reference may see it: name, contact, sender and answered_by are "".
 * 0 found, 1 no such reference, -1 store error. */
int complaint_get(db *d, arena *a, int64_t tenant_id, const char *ref, struct complaint *out)
	__attribute__((warn_unused_result));
/* The whole complaint id, for admins (the caller has checked
 * complaint.answer). 0, 1 none, -1. */
int complaint_by_id(db *d, arena *a, int64_t tenant_id, int64_t id, struct complaint *out)
	__attribute__((warn_unused_result));
/* The admins' queue (the caller has checked complaint.answer), page from
 * 1: the open ones first, longest waiting first, then the answered ones,
 * latest answer first; with the tenant's counts, in one snapshot. 0 or -1. */
int complaint_queue(db *d, arena *a, int64_t tenant_id, enum complaint_state state, int64_t page,
		    struct complaint_page *out) __attribute__((warn_unused_result));
/* user_id's own submissions, newest first, page from 1 (counts not set).
 * 0 or -1. */
int complaint_mine(db *d, arena *a, int64_t tenant_id, int64_t user_id, int64_t page, struct complaint_page *out)
	__attribute__((warn_unused_result));

#endif
