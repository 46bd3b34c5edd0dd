/* work.h - 我的工作: what concerns the signed-in person, on one page.
 *
 * work_of() reads, for who at now: my proposals (problem.proposer_user_id);
 * my claims and task-force memberships with their states and lights; the
 * milestones of those claims due in the next WORK_SOON_DAYS days; and what
 * waits for me: applications to endorse (a unit liaison: claims of its
 * unit in state endorsing), to approve (claim.approve: applied), pledges
 * to sign (the owner or the lead has not signed an approved claim),
 * assignments to accept (the owner of an assigned claim), reports due (a
 * claim I own or lead whose light is unreported, claim.h),
 * supervision notices to answer (on claims I own or lead), extension
 * requests to decide (extension.decide) and, for leaders and admins,
 * notices overdue without a reply (逾期未复). Reads only. */
#ifndef JB_WORK_H
#define JB_WORK_H

#include <stdint.h>

#include "domain/labels.h"
#include "domain/perm.h"
#include "store/db.h"
#include "util/arena.h"

#define WORK_SOON_DAYS 7
#define WORK_MAX 200          /* items per list */

struct work_item {
	const char *kind;         /* work_kinds code */
	int64_t problem_id, claim_id, object_id;   /* claim_id 0: a proposal; object_id: milestone, notice, request */
	int64_t due;              /* 0: none */
	const char *title;        /* the problem's */
	const char *state;        /* the claim's (the problem's for a proposal) state code */
	const char *role;         /* lead, owner, member, liaison, mentor, applicant ("" otherwise) */
	const char *detail;       /* a milestone's title, a notice's number, a request's new date */
	const char *light;        /* a claim's light: lights[] code (claim.h; "" for none and other items) */
};

struct work {
	struct work_item *proposals, *claims, *milestones, *waiting;
	int nproposals, nclaims, nmilestones, nwaiting;
};

/* Codes and zh-CN of the kinds of item (the waiting ones say what to do). */
extern const struct label work_kinds[];

int work_of(db *d, arena *a, const struct principal *who, int64_t now, struct work *out)
	__attribute__((warn_unused_result));

#endif
