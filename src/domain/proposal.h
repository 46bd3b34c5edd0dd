/* proposal.h - proposing problems (出卷) and reading proposals.
 *
 * A proposal is a problem in state proposed: from a signed-in user (any
 * role with problem.propose) or from a resident on the public form (no
 * account: an optional name and phone, limited per client address). It is
 * not public (is_public 0) until a publication round puts it on the board
 * (screen.h). Proposing belongs to a batch's 征集 phase: outside it the
 * verb is refused with a message naming the phase and its dates.
 *
 * Who sees a proposal (proposal_get): screeners and readers of internal
 * problems (problem.read_internal: admins, leaders, a unit admin for its
 * unit's proposals) and the proposer. The resident's name and phone are
 * shown only to screeners (problem.screen, admins: pii.h): proposal_get
 * leaves the name "" and the phone NULL otherwise; a resident's proposer
 * name is always 群众. */
#ifndef JB_PROPOSAL_H
#define JB_PROPOSAL_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/action.h"
#include "domain/bind.h"

#define PROPOSAL_TITLE_MAX 60
#define PROPOSAL_TEXT_MAX 2000
#define PROPOSAL_SIMILAR_MAX 5

/* As sent by the form or the API. A category by its name as on the board
 * (category) or by id (category_id); the batch defaults to the one open
 * for 征集 when there is exactly one. */
struct proposal_in {
	const char *title, *description, *category, *expected_outcome;
	int64_t category_id, batch_id, unit_id;
	bool residents_concern;
	const char *contact_name, *contact_phone;  /* residents only */
	const char *website;                       /* the public form's honeypot: must stay empty */
};
extern const struct bind_field proposal_fields[];        /* signed in */
extern const struct bind_field public_proposal_fields[]; /* residents */

/* Inside a verb: the category named (as on the board) or numbered
 * (category_id wins): JB_OK with *id, a field error ("category" or
 * "category_id"), or -1. */
int proposal_category(struct ctx *c, const char *name, int64_t category_id, int64_t *id)
	__attribute__((warn_unused_result));

/* Verbs. *id is the new problem's. A signed-in proposer's unit defaults to
 * their own (unit_id may name another unit only for screeners). */
int proposal_create(struct ctx *c, struct proposal_in *in, int64_t *id) __attribute__((warn_unused_result));
/* A resident's proposal (anonymous principal): at most PUBLIC_PER_HOUR per
 * client address per hour (JB_ELIMITED; signed-in users are not counted); a filled honeypot is refused as
 * invalid without saying why. */
#define PROPOSAL_PUBLIC_PER_HOUR 5
int proposal_create_public(struct ctx *c, struct proposal_in *in, int64_t *id) __attribute__((warn_unused_result));
/* The proposer revises a proposal returned to them (title, description,
 * category, expected outcome, residents' concern): it stays proposed and
 * is no longer marked returned. Only the proposer, only while proposed. */
int proposal_revise(struct ctx *c, int64_t id, struct proposal_in *in) __attribute__((warn_unused_result));

struct proposal {
	int64_t id, batch_id, category_id, unit_id, proposer_user_id, merged_into, publication_id, round;
	int64_t created_at, updated_at, returned_at;  /* returned_at 0: not returned */
	const char *title, *description, *expected_outcome, *batch, *category, *unit;
	const char *proposer_name;     /* the person or login; a resident's name or "群众" */
	const char *contact_name;      /* residents, screeners only; "" when none or hidden */
	const char *contact_phone;     /* residents, screeners only; NULL when hidden */
	const char *screen_reason;     /* the reason given when rejected, returned or withdrawn */
	const char *merged_title;      /* of merged_into */
	int state;                     /* enum problem_state */
	int priority;                  /* 0 一般, 1 重点, 2 紧急 */
	bool residents_concern, from_resident, is_public;
};
extern const struct label priorities[];   /* "0" 一般, "1" 重点, "2" 紧急 */
/* The label of a priority (一般 for one out of range). */
const char *priority_label(int priority);

/* 0 found, 1 not found or not visible to who, -1 store error. */
int proposal_get(db *d, arena *a, const struct principal *who, int64_t id, struct proposal *out)
	__attribute__((warn_unused_result));
/* Whether who may see proposal p (proposal_get already checked it). */
bool proposal_visible(const struct principal *who, const struct proposal *p);

/* The problems whose titles look like title (sharing its character pairs,
 * ranked by how many), at most PROPOSAL_SIMILAR_MAX, excluding exclude_id:
 * for 查重 while proposing. Anonymous readers are shown public problems
 * only; signed-in users also the titles of open proposals (proposed,
 * selected) so that the same matter is not proposed twice. 0 or -1. */
struct similar {
	int64_t id;
	const char *title, *batch;
	int state;
	bool is_public;
};
int proposal_similar(db *d, arena *a, const struct principal *who, const char *title, int64_t exclude_id,
		     struct similar **out, int *n) __attribute__((warn_unused_result));

/* "我的出卷": who's proposals, newest first, every state. 0 or -1. */
int proposal_mine(db *d, arena *a, const struct principal *who, struct proposal **out, int *n)
	__attribute__((warn_unused_result));

#endif
