/* supervise.h - 督办 and 延期: supervision notices on claims that fell
 * behind, their replies and escalation, and extension requests.
 *
 * Supervision (督办单): an admin (claim.supervise) issues a notice on a
 * working claim whose light is red, with a reason and a reply-by date
 * after today (red: claim_light_of, claim.h); it is numbered per tenant and year for display
 * ("督〔2027〕3号": the year it was issued, and its place among that year's
 * notices of the tenant). The owner and the lead are told. One of them
 * (supervision.reply, own: the replying user's person is the owner or the
 * lead) replies once; a second reply is a conflict. A notice with no reply
 * when its reply-by day has ended (now >= reply_by + 1 day) is overdue
 * (逾期未复): computed at read time for everyone who reads it, and recorded
 * once by the background task (notify.h: notify_digest_run), which writes
 * supervision.escalate to the audit log, sets escalated_at and tells the
 * tenant's leaders and admins.
 *
 * Extension (延期申请): the owner (claim.extend, own: the owner) of a
 * working claim asks, before its deadline has passed (now <= deadline),
 * for a new deadline later than the current one, with a reason; one
 * pending request per claim at a time (another is a conflict). An admin
 * (extension.decide) approves it, which moves claim.deadline (the row
 * keeps old_deadline), or refuses it with a reason, which keeps the
 * deadline; the owner is told either way. Requests stay as the claim's
 * history (extension_list).
 *
 * Every verb runs through action_run and writes its audit entry:
 * claim.supervise, supervision.reply, claim.extend, extension.approve,
 * extension.refuse (supervision.escalate: the background task). */
#ifndef JB_SUPERVISE_H
#define JB_SUPERVISE_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/action.h"
#include "domain/bind.h"
#include "domain/state.h"
#include "store/db.h"
#include "util/arena.h"

#define SUPERVISE_TEXT_MAX 2000
#define SUPERVISE_DAY 86400

/* Whether supervision row s has no reply and its reply-by day has ended at now. */
#define SUPERVISE_OVERDUE_SQL(s, now) \
	"(" s ".replied_at IS NULL AND " s ".reply_by + 86400 <= " now ")"

/* What the verbs and pages need to know of a claim. */
struct claim_brief {
	int64_t id, problem_id, unit_id, owner_person_id, lead_person_id, deadline;  /* deadline 0: none */
	int state;                 /* enum claim_state */
	const char *title;         /* the problem's */
	bool red;                  /* its light (claim_light_of, claim.h) is red at the time read */
};
/* Claim id of tenant at now: 0, 1 none, -1. */
int claim_brief_get(db *d, arena *a, int64_t tenant_id, int64_t id, int64_t now, struct claim_brief *out)
	__attribute__((warn_unused_result));

struct supervision {
	int64_t id, claim_id, reply_by, issued_at, replied_at, escalated_at;  /* 0: not (yet) */
	const char *number;        /* 督〔2027〕3号 */
	const char *reason, *issued_by, *reply, *replied_by;
	bool overdue;              /* no reply and the reply-by day has ended */
};
struct extension {
	int64_t id, claim_id, old_deadline, new_deadline, requested_at, decided_at;  /* 0: none / not yet */
	const char *state;         /* pending, approved, refused */
	const char *reason, *requested_by, *decided_by, *decision_reason;
};
/* pending 待审批, approved 已同意, refused 未同意. */
extern const struct label extension_states[];

/* POST /api/v1/claims/:id/supervisions */
struct supervision_in {
	const char *reason;        /* 1-2000 characters */
	int64_t reply_by;          /* BF_DATE, after today */
};
extern const struct bind_field supervision_fields[];
/* POST /api/v1/supervisions/:id/reply */
struct reply_in {
	const char *reply;
};
extern const struct bind_field reply_fields[];
/* POST /api/v1/claims/:id/extend */
struct extend_in {
	const char *reason;
	int64_t new_deadline;      /* BF_DATE */
};
extern const struct bind_field extend_fields[];
/* POST /api/v1/extensions/:id/{approve,refuse} */
struct decide_in {
	const char *reason;        /* required to refuse */
};
extern const struct bind_field decide_fields[];

/* Verbs. JB_ENOTFOUND (no such claim / notice / request), JB_EDENIED,
 * JB_EINVALID (field errors), JB_ECONFLICT (not red, not working, replied
 * already, deadline passed, a request pending, decided already). *id: the
 * new row's. */
int supervision_issue(struct ctx *c, int64_t claim_id, const struct supervision_in *in, int64_t *id)
	__attribute__((warn_unused_result));
int supervision_reply(struct ctx *c, int64_t id, const struct reply_in *in) __attribute__((warn_unused_result));
int claim_extend(struct ctx *c, int64_t claim_id, const struct extend_in *in, int64_t *id)
	__attribute__((warn_unused_result));
int extension_decide(struct ctx *c, int64_t id, bool approve, const struct decide_in *in)
	__attribute__((warn_unused_result));

/* Inside the background task's transaction (notify_digest_run): escalate
 * every overdue notice of c's tenant not escalated yet. *n: how many. */
int supervision_escalate_due(struct ctx *c, int *n) __attribute__((warn_unused_result));

/* Inside the background task's transaction: the reminders of c's tenant
 * due at c->now (notify.h, notify_digest_run, step 2). *n: how many
 * notifications it wrote. */
int supervise_remind_due(struct ctx *c, int *n) __attribute__((warn_unused_result));

/* The notices and requests of a claim, oldest first, as of now. 0 or -1. */
int supervision_list(db *d, arena *a, int64_t tenant_id, int64_t claim_id, int64_t now, struct supervision **out,
		     int *n) __attribute__((warn_unused_result));
int extension_list(db *d, arena *a, int64_t tenant_id, int64_t claim_id, struct extension **out, int *n)
	__attribute__((warn_unused_result));
/* One notice / request: 0, 1 none, -1. */
int supervision_get(db *d, arena *a, int64_t tenant_id, int64_t id, int64_t now, struct supervision *out)
	__attribute__((warn_unused_result));
int extension_get(db *d, arena *a, int64_t tenant_id, int64_t id, struct extension *out)
	__attribute__((warn_unused_result));

/* Whether who may reply to notices on claim (the owner or the lead), may
 * ask to extend it (the owner): the permission check the verbs make, for
 * showing forms. */
bool supervise_may_reply(const struct principal *who, const struct claim_brief *claim);
bool supervise_may_extend(const struct principal *who, const struct claim_brief *claim);
/* Whether who may read the notices and requests of claim: admins and
 * leaders (problem.read_internal for its unit), its owner, lead and task
 * force. 0 with *ok, or -1. */
int supervise_may_read(db *d, const struct principal *who, const struct claim_brief *claim, bool *ok)
	__attribute__((warn_unused_result));

#endif
