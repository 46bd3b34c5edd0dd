/* tolerance.h - fault tolerance (容错纠错): a claim that failed asks that
 * the failure not be held against its people, and an admin decides on the
 * "three distinctions" (三个区分开来) basis.
 *
 * The rule of failure (tolerance_failure, one place): a claim failed when
 *   withdrawn  it was withdrawn (退榜: state withdrawn, closed_at set) after
 *              it had been approved or signed (approved_at or signed_at set:
 *              it was being worked on; a withdrawn application is no
 *              failure);
 *   graded     its result grade is 不合格 (claim.grade 'fail');
 *   overdue    it is still being worked on (approved or signed, not
 *              solved) and its deadline lies before its batch's as-of
 *              moment (asof.h): the deadline passed without a solve.
 * Any other claim has not failed, and may not apply.
 *
 * Applying (POST /api/v1/claims/:id/tolerance, tolerance.apply: the claim's
 * owner ("own"), or an admin): a reason and what was tried, both required;
 * the claim has failed, is not tolerated already, and has no pending
 * request (one at a time: another is a conflict). The tenant's admins are
 * told. Deciding (POST /api/v1/tolerances/:id/decide, tolerance.decide:
 * admins): granted or refused with the basis (required), as a
 * compare-and-set on pending (two admins at once: one conflict). Granted
 * sets claim.tolerated = 1: the record (record.h) marks the failure 已容错
 * and does not count it. The owner and the lead are told. A refused
 * request leaves the claim free to apply again.
 *
 * Both verbs run through action_run and are audited (tolerance.apply,
 * tolerance.decide, on the tolerance row). */
#ifndef JB_TOLERANCE_H
#define JB_TOLERANCE_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/action.h"
#include "domain/bind.h"
#include "domain/labels.h"
#include "domain/supervise.h"

#define TOLERANCE_TEXT_MAX 2000

enum failure { FAILURE_NONE, FAILURE_WITHDRAWN, FAILURE_GRADED, FAILURE_OVERDUE };
/* Indexed by enum failure: none, withdrawn 退榜, graded 验收不合格, overdue 逾期未破题. */
extern const struct label failures[];
/* pending 待认定, granted 予以容错, refused 不予容错. */
extern const struct label tolerance_states[];
/* granted, refused: the decisions. */
extern const struct label tolerance_decisions[];

/* What the rule reads of a claim. */
struct failure_in {
	int state;                 /* enum claim_state */
	int64_t approved_at, signed_at, closed_at, deadline;  /* 0: not (yet) / none */
	int64_t as_of;             /* its batch's as-of moment */
	const char *grade;         /* claim.grade: "" none */
};
enum failure tolerance_failure(const struct failure_in *in);
/* The claim's failure now: 0, 1 when there is no such claim, -1. Also
 * *tolerated (claim.tolerated). */
int tolerance_failure_of(db *d, int64_t tenant_id, int64_t claim_id, int64_t now, enum failure *out,
			 bool *tolerated) __attribute__((warn_unused_result));

struct tolerance {
	int64_t id, claim_id, applied_at, decided_at;   /* decided_at 0: pending */
	const char *state;         /* tolerance_states */
	const char *reason, *tried, *applied_by, *decided_by, *basis;
	const char *title;         /* the claim's problem */
};

/* POST /api/v1/claims/:id/tolerance */
struct tolerance_in {
	const char *reason, *tried;
};
extern const struct bind_field tolerance_fields[];
/* POST /api/v1/tolerances/:id/decide */
struct tolerance_decide_in {
	const char *decision;      /* granted, refused */
	const char *basis;
};
extern const struct bind_field tolerance_decide_fields[];

/* Verbs. JB_ENOTFOUND, JB_EDENIED, JB_EINVALID, JB_ECONFLICT (not failed,
 * tolerated already, a request pending; decided already). */
int tolerance_apply(struct ctx *c, int64_t claim_id, const struct tolerance_in *in, int64_t *id)
	__attribute__((warn_unused_result));
int tolerance_decide(struct ctx *c, int64_t id, const struct tolerance_decide_in *in)
	__attribute__((warn_unused_result));

/* One request (0, 1 none, -1); a claim's requests, oldest first, or those
 * of every claim person_id was on (person_id > 0, claim_id 0). 0 or -1. */
int tolerance_get(db *d, arena *a, int64_t tenant_id, int64_t id, struct tolerance *out)
	__attribute__((warn_unused_result));
int tolerance_list(db *d, arena *a, int64_t tenant_id, int64_t claim_id, int64_t person_id, struct tolerance **out,
		   int *n) __attribute__((warn_unused_result));

/* For showing forms (the verbs check again): who may apply for claim (its
 * owner, an admin), may decide. */
bool tolerance_may_apply(const struct principal *who, const struct claim_brief *claim);
bool tolerance_may_decide(const struct principal *who, const struct claim_brief *claim);

#endif
