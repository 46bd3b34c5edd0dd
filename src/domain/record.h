/* record.h - the cadre's record (干部实绩档案, issue 10 §6): what one
 * person did in the campaign, for the 组织部 weighing them for promotion.
 *
 * Who reads it (record.read): admins and leaders anyone's of the tenant;
 * every other account only the record of the person it is linked to
 * (app_user.person_id); anyone else is refused (JB_EDENIED). A person not
 * of the tenant is JB_ENOTFOUND.
 *
 * What it holds: the person (name, unit, rank, title); every claim they
 * were on (claim_member) with their role, the problem, the state, the
 * light, the score and grade, whether it failed (tolerance.h's rule) and
 * whether the failure was tolerated; the 督办 notices of claims they own
 * or lead; the practices they wrote (practice.author_user_id is an
 * account linked to them) or that are linked to a claim of theirs; their
 * promotions; the fault-tolerance requests of their claims.
 *
 * The summary counts claims that were approved (approved_at set: they took
 * the task on), those accepted with their grades, the failures not
 * tolerated and the tolerated ones. */
#ifndef JB_RECORD_H
#define JB_RECORD_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/action.h"
#include "domain/claim.h"
#include "domain/person.h"
#include "domain/promotion.h"
#include "domain/rubric.h"
#include "domain/supervise.h"
#include "domain/tolerance.h"

struct record_claim {
	int64_t id, problem_id, batch_id, deadline, approved_at;   /* 0: none */
	int64_t score;             /* hundredths; -1: not scored */
	int state;                 /* enum claim_state */
	const char *title, *role, *grade, *unit;   /* role: member_roles code or lead/owner; grade "" none */
	enum light light;
	enum failure failure;
	bool tolerated;
};

struct record_supervision {
	struct supervision s;
	const char *title;         /* the claim's problem */
};

struct record_practice {
	int64_t id;
	const char *title, *state; /* state: draft, recommended, adopted */
	bool author;               /* written by them (else linked to a claim of theirs) */
};
/* draft 草稿, recommended 已推荐, adopted 已转化为制度. */
extern const struct label record_practice_states[];

struct record_summary {
	int claims;                /* approved or later */
	int accepted;
	int by_grade[GRADE_COUNT];
	int failed;                /* failed and not tolerated */
	int tolerated;
};

struct record {
	struct person person;      /* rank: a person_ranks code */
	struct record_claim *claims;        /* by claim id */
	int nclaims;
	struct record_supervision *supervisions;
	int nsupervisions;
	struct record_practice *practices;
	int npractices;
	struct promotion *promotions;       /* newest first */
	int npromotions;
	struct tolerance *tolerances;       /* oldest first */
	int ntolerances;
	struct record_summary sum;
};

/* Person id's record as c->who may read it, as of c->now. Reads only. */
int record_get(struct ctx *c, int64_t person_id, struct record *out) __attribute__((warn_unused_result));

/* "揭榜 3 项，已验收 2 项（优秀 1、良好 1），容错 1 项" on a. */
const char *record_summary_text(arena *a, const struct record_summary *s);

/* Whether who may read person_id's record (for links). */
bool record_may_read(const struct principal *who, int64_t person_id, int64_t person_unit);

#endif
