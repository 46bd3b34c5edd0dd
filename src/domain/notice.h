/* notice.h - public notices (公示) of acceptance results or promotions, and
 * the objections (异议) lodged against them.
 *
 * A notice lists items in order (accepted claims, or promotions) for a
 * period of working days counted on the tenant's calendar (calendar.h):
 * it is open from starts_on through ends_on, both local days. Rules the
 * verbs keep (issue 10 §3):
 * - Creating (notice.manage): a results notice takes accepted claims of
 *   its batch that are not final and not in another open notice; without
 *   a list, every accepted claim of the batch that has never been in a
 *   notice. A promotions notice takes promotions not in another open
 *   notice. starts_on is today or later; the length is the batch's
 *   notice_days unless given. Each claim's problem gets a problem.noticed
 *   step (its public timeline shows the notice's period).
 * - Objections (objection.lodge, residents too) only while the notice is
 *   open and today is inside its period; by real name (a name that says
 *   nothing of who, such as 匿名 or 群众, is refused) with a contact (a
 *   mobile or fixed phone number, or an e-mail address), 10-2000
 *   characters of text, optionally naming one item. Residents are limited
 *   to NOTICE_OBJECTIONS_PER_ADDR an hour per address (ratelimit.h);
 *   signed-in users are not. Objections are not public: their name,
 *   contact and text are read only by holders of objection.answer; the
 *   public sees how many were lodged and answered. The audit entry never
 *   holds the name or the contact.
 * - Answering (objection.answer): once, with a text and a finding (upheld
 *   成立 / dismissed 不成立); a second answer is JB_ECONFLICT.
 * - Closing (notice.manage, or the background task): refused while the
 *   period has not ended (today <= ends_on: 公示期未满) and while any
 *   objection is unanswered. The outcome is 无异议 or 异议已答复. Each
 *   result item becomes final (claim.final_at, a problem.finalized step)
 *   unless an upheld objection names it; an upheld objection that names
 *   no item holds back every item. Held items stay accepted and not final
 *   for the admin to handle (return the claim for re-evaluation, or put it
 *   on a new notice once corrected). */
#ifndef JB_NOTICE_H
#define JB_NOTICE_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/action.h"
#include "domain/bind.h"
#include "domain/labels.h"
#include "store/db.h"
#include "util/arena.h"

#define NOTICE_ITEMS_MAX 500
#define NOTICE_DAYS_MAX 60              /* working days of one notice */
#define NOTICE_OBJECTIONS_PER_ADDR 5    /* residents' objections per address per hour */
#define OBJECTION_MIN 10                /* characters of an objection's text */
#define OBJECTION_MAX 2000

/* results 验收结果, promotions 提拔使用 (notice.kind). */
extern const struct label notice_kinds[];
/* open 公示中, closed 已结束 (notice.state). */
extern const struct label notice_states[];
/* upheld 成立, dismissed 不成立 (objection.answer_kind). */
extern const struct label objection_findings[];

struct notice {
	int64_t id, batch_id;
	const char *batch_name;
	const char *kind, *title, *body, *starts_on, *ends_on, *state, *outcome;
	int working_days;
	int64_t created_at, closed_at;
	const char *created_by, *closed_by;
	int64_t items, objections, answered, upheld;  /* counts */
};

struct notice_item {
	int position;
	int64_t claim_id, promotion_id;
	/* results */
	int64_t problem_id;
	const char *problem_title, *unit, *lead, *owner, *grade; /* grade as stored (rubric.h grades code or label) */
	int64_t score;                  /* hundredths; -1 when none */
	int64_t final_at;               /* 0: not final */
	/* promotions */
	const char *person, *person_unit, *from_post, *to_post, *promotion_kind;
	int64_t promoted_at;
	bool upheld;                    /* an upheld objection names it (or names no item) */
};

struct objection {
	int64_t id, notice_id, user_id, created_at, answered_at;
	int position;                   /* 0: the notice as a whole */
	const char *name, *contact, *body, *answer, *finding, *answered_by; /* finding "" while open */
};

/* A candidate for a notice (the create form): an accepted claim not yet
 * final, or a promotion. */
struct notice_candidate {
	int64_t id;
	const char *text;               /* "#12 老旧小区改造 · 住建局 · 92.50 优秀", "张三 · 提拔" */
	bool noticed;                   /* already in a notice */
};

/* ---- verbs ---- */

struct notice_in {
	const char *kind;
	struct bind_ids claim_ids, promotion_ids;
	const char *title, *body;
	const char *starts_on;          /* YYYY-MM-DD; NULL: today */
	int64_t working_days;           /* 0: the batch's notice_days */
};
extern const struct bind_field notice_fields[];
/* Verb (notice.manage): *id the new notice. JB_ENOTFOUND (batch),
 * JB_EINVALID (no items, an item that cannot be noticed, a date). */
int notice_create(struct ctx *c, int64_t batch_id, const struct notice_in *in, int64_t *id)
	__attribute__((warn_unused_result));

struct objection_in {
	int64_t notice_id;
	int64_t position;               /* 0: none */
	const char *name, *contact, *body;
	const char *website;            /* the honeypot: must be empty */
};
extern const struct bind_field objection_fields[];
/* Verb (objection.lodge): *id the new objection. JB_ENOTFOUND,
 * JB_ECONFLICT (not within the period, or closed), JB_EINVALID,
 * JB_ELIMITED. */
int objection_lodge(struct ctx *c, const struct objection_in *in, int64_t *id) __attribute__((warn_unused_result));

struct objection_answer_in {
	const char *answer;
	const char *kind;               /* objection_findings code */
};
extern const struct bind_field objection_answer_fields[];
/* Verb (objection.answer). JB_ENOTFOUND, JB_EINVALID, JB_ECONFLICT (answered). */
int objection_answer(struct ctx *c, int64_t id, const struct objection_answer_in *in)
	__attribute__((warn_unused_result));

/* What a close did. */
struct notice_closed {
	const char *outcome;
	int finalized, held;            /* result items made final, and held by upheld objections */
};
/* Verb (notice.manage). JB_ENOTFOUND, JB_ECONFLICT (closed already, the
 * period not over, objections unanswered). */
int notice_close(struct ctx *c, int64_t id, struct notice_closed *out) __attribute__((warn_unused_result));
/* The background task: close every open notice whose period ended before
 * now's local day and that has no unanswered objection, as the system.
 * Returns how many it closed, or -1 (logged). */
int notice_close_due(db *d, int64_t now);

/* ---- reading ---- */

/* Whether lodging is open on now (the notice open and today in its period). */
bool notice_lodging(const struct notice *n, int64_t now);
/* The tenant's notices, open ones first, newest first. 0 or -1. */
int notice_list(db *d, arena *a, int64_t tenant_id, struct notice **out, int *n) __attribute__((warn_unused_result));
/* 0, 1 none, -1. */
int notice_get(db *d, arena *a, int64_t tenant_id, int64_t id, struct notice *out) __attribute__((warn_unused_result));
/* The items of n in order. 0 or -1. */
int notice_items(db *d, arena *a, int64_t tenant_id, const struct notice *n, struct notice_item **out, int *count)
	__attribute__((warn_unused_result));
/* The objections of notice id, oldest first (the caller has checked
 * objection.answer). 0 or -1. */
int notice_objections(db *d, arena *a, int64_t tenant_id, int64_t id, struct objection **out, int *n)
	__attribute__((warn_unused_result));
/* Candidates of kind for a notice of batch_id. 0 or -1. */
int notice_candidates(db *d, arena *a, int64_t tenant_id, int64_t batch_id, const char *kind,
		      struct notice_candidate **out, int *n) __attribute__((warn_unused_result));

#endif
