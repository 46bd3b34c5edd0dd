/* evaluate.h - 考评验收 and 中期评估: panels (考评组) of evaluator accounts,
 * the claims assigned to a panel for a stage, recusal (回避), each
 * evaluator's scores, the panel's aggregate and acceptance (验收).
 *
 * The arithmetic is rubric.h's; this file stores and reads it. Rules:
 *   panels     belong to a batch; members are enabled accounts with the
 *              evaluator role; an external member (name, organisation,
 *              login, password) gets a new evaluator account in the same
 *              transaction (user_create). A member who has submitted
 *              scores for the panel cannot be removed.
 *   assignment a claim has at most one panel per stage (panel_claim):
 *              final takes solved claims of the panel's batch, midterm
 *              working ones (approved, signed); moving a claim to another
 *              panel is allowed until someone scored it in its round.
 *   recusal    computed, never stored (recusal_of): a member whose
 *              person is on the claim's task force, or whose unit (the
 *              account's, or its person's) is the claim's unit or one of
 *              its cooperating units, does not score it; the reason is
 *              shown. "Expected" evaluators are the members not recused.
 *   scoring    one submission per member, claim, stage and round (the
 *              claim's eval_round), a score per criterion of the batch's
 *              rubric for the stage (rubric_score_check; with bands the
 *              score is a band's), a comment where rubric_needs_comment;
 *              total = rubric_total. A submission is final (a second one
 *              is a conflict) until an admin reopens it (reason recorded);
 *              a reopened one is submitted again in place (the audit
 *              entry keeps the old total). The first submission for a
 *              batch's default rubric writes that rubric's rows, so every
 *              score names its criterion (the rubric is fixed from then).
 *   blindness  a member who has not submitted in the round sees only
 *              their own entry (no count, no totals of others); members
 *              who submitted, and readers with evaluation.read, see every
 *              submitted entry with its scores and comment.
 *   complete   every expected evaluator submitted (at least one); then
 *              the aggregate (rubric_aggregate) and its grade count.
 *   accept     solved -> accepted (claim.accept), only when the final
 *              round is complete and its grade is not 不合格; writes
 *              score, grade code, evaluated_at, accepted_at, closed_at,
 *              moves the problem solved -> accepted (problem.accepted on
 *              its timeline) and tells the team. Over the batch's 优秀 cap
 *              it still accepts and says so (out->over_cap).
 *   return     the claim transition "return" (claim.c) calls
 *              evaluation_on_return(): the next round begins (earlier
 *              rounds stay as history), and a complete round graded
 *              不合格 needs a rectification plan and a due date after
 *              today (整改); the deadline moves to the due date if later.
 * Every verb runs through action_run() and is audited. An external
 * member's name and organisation are panel_member's own columns (the
 * account has no person). */
#ifndef JB_EVALUATE_H
#define JB_EVALUATE_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/action.h"
#include "domain/bind.h"
#include "domain/rubric.h"

#define PANEL_NAME_MAX 60
#define PANEL_MEMBERS_MAX 40
#define PANEL_EXTERNALS_MAX 10
#define EVAL_COMMENT_MAX 2000
#define EVAL_REASON_MAX 500
#define RECTIFY_MAX 5000

/* ---- recusal ---- */

enum recusal { RECUSE_NONE, RECUSE_TEAM, RECUSE_UNIT, RECUSE_COOP };
/* Indexed by enum recusal: "", 本人是该战队成员, 本人所在单位是揭榜单位,
 * 本人所在单位是配合单位. */
extern const char *const recusal_reasons[];
/* Codes for the API: "", "team", "unit", "cooperator". */
extern const char *const recusal_codes[];

struct recusal_in {
	bool on_team;                 /* the account's person is on the task force */
	int64_t units[2];             /* the account's unit, its person's (0: none) */
	int64_t claim_unit;
	const int64_t *coops;         /* the claim's cooperating units */
	int ncoops;
};
/* Why a member may not score the claim, the first reason that holds in
 * the order above; RECUSE_NONE when none. Pure. */
enum recusal recusal_of(const struct recusal_in *in);

/* ---- panels ---- */

struct external_in {
	const char *name, *organisation, *login, *password;
	const char *hash;             /* not bound: the caller hashes password first */
};
/* POST /api/v1/batches/:id/panels (evaluation.manage). */
struct panel_in {
	const char *name;
	struct bind_ids user_ids;
	struct bind_list externals;   /* struct external_in */
};
extern const struct bind_field panel_fields[];
int panel_create(struct ctx *c, int64_t batch_id, struct panel_in *in, int64_t *panel_id)
	__attribute__((warn_unused_result));

/* PATCH /api/v1/panels/:id (evaluation.manage): a new name (NULL: kept),
 * members added and removed, externals added. */
struct panel_update_in {
	const char *name;
	struct bind_ids add_user_ids, remove_user_ids;
	struct bind_list externals;
};
extern const struct bind_field panel_update_fields[];
int panel_update(struct ctx *c, int64_t panel_id, struct panel_update_in *in) __attribute__((warn_unused_result));

/* POST /api/v1/panels/:id/assignments (evaluation.manage): the claims
 * named, or those of a category, or all that qualify (see above). */
struct assign_in {
	struct bind_ids claim_ids;
	int64_t category_id;
	bool all;
	const char *stage;            /* eval_stages; NULL: final */
};
extern const struct bind_field assign_fields[];
int panel_assign(struct ctx *c, int64_t panel_id, struct assign_in *in, int *assigned)
	__attribute__((warn_unused_result));

/* ---- scoring ---- */

struct score_in {
	const char *criterion;
	int64_t score;                /* hundredths: bound as a decimal times 100 */
};
/* POST /api/v1/claims/:id/scores (evaluation.score). */
struct submit_in {
	struct bind_list scores;      /* struct score_in */
	const char *comment;
	const char *stage;            /* NULL: final */
};
extern const struct bind_field submit_fields[];
int evaluation_submit(struct ctx *c, int64_t claim_id, struct submit_in *in, int64_t *evaluation_id)
	__attribute__((warn_unused_result));

/* POST /api/v1/evaluations/:id/reopen (evaluation.manage), reason required. */
struct reopen_in {
	const char *reason;
};
extern const struct bind_field reopen_fields[];
int evaluation_reopen(struct ctx *c, int64_t evaluation_id, struct reopen_in *in, int64_t *claim_id)
	__attribute__((warn_unused_result));

/* POST /api/v1/claims/:id/accept (claim.accept). */
struct accept_out {
	int64_t score;                /* hundredths */
	int grade;                    /* enum grade */
	bool over_cap;                /* the batch's 优秀 share now exceeds its cap */
	int excellent, graded;        /* the batch's accepted claims, this one counted */
	int cap;
};
int claim_accept(struct ctx *c, int64_t claim_id, struct accept_out *out) __attribute__((warn_unused_result));

/* Inside the claim verb "return" (claim.c), after the claim moved solved
 * -> signed: starts the next round and applies the rectification (see
 * above). plan and due (BF_DATE, 0: none) come from the request. */
int evaluation_on_return(struct ctx *c, int64_t claim_id, const char *plan, int64_t due)
	__attribute__((warn_unused_result));

/* ---- reading ---- */

struct eval_score {
	const char *criterion;
	int64_t score;
	int band;                     /* -1: no band */
};
struct eval_entry {
	int64_t id, user_id, total, submitted_at, reopened_at;
	int round;
	const char *state;            /* "submitted", "reopened" */
	const char *evaluator, *comment, *reopened_by, *reopen_reason;
	struct eval_score *scores;
	int nscores;
};
struct eval_member {
	int64_t user_id;
	const char *login, *name, *organisation, *unit;
	enum recusal recused;
	bool external;
	const struct eval_entry *entry;   /* this round's, or NULL */
};
struct eval_round {
	int round, submitted;
	bool complete;                /* earlier rounds: as far as they went */
	struct aggregate agg;
	int grade;                    /* enum grade, when agg.n > 0 */
};
struct eval_view {
	int64_t claim_id, batch_id, problem_id, panel_id, assigned_at, accepted_at;
	int claim_state, round;
	const char *stage, *panel, *problem, *unit;
	struct rubric rubric;
	struct grading grading;
	struct eval_member *members;
	int nmembers;
	int expected;                 /* members not recused */
	struct eval_round now;        /* the current round */
	struct eval_round *history;   /* earlier rounds, oldest first */
	int nhistory;
	struct eval_entry *entries;   /* what the reader may see, every round, by round and member */
	int nentries;
	/* the reader */
	bool sees_all;                /* evaluation.read, or a member who submitted this round */
	bool is_member, may_score;    /* may_score: a member, not recused, this round not submitted */
	enum recusal my_recusal;
	const struct eval_entry *mine;    /* this round's own entry, or NULL */
};
/* The evaluation of claim_id at stage ("final", "midterm") as c->who may
 * see it: JB_OK; JB_ENOTFOUND when there is no such claim or the reader is
 * neither a member of its panel nor holds evaluation.read; a claim without
 * a panel for the stage is JB_OK with panel_id 0. Reads only. */
int evaluation_view(struct ctx *c, int64_t claim_id, const char *stage, struct eval_view *out)
	__attribute__((warn_unused_result));

/* A batch's evaluation for its admins (evaluation.manage or
 * evaluation.read): its panels with their members, and its claims solved,
 * accepted or assigned, each with its view. */
struct panel_info {
	int64_t id, created_at;
	const char *name;
	struct eval_member *members;  /* entry and recused unset */
	int nmembers;
	int nclaims;                  /* assigned for the final stage */
};
struct batch_eval {
	int64_t batch_id;
	const char *batch;
	struct grading grading;
	struct panel_info *panels;
	int npanels;
	struct eval_view *claims;     /* by problem */
	int nclaims;
	int excellent, graded;        /* accepted claims with a grade */
	bool over_cap;
	struct eval_candidate { int64_t id; const char *name; const char *unit; } *evaluators;
	int nevaluators;              /* the enabled evaluator accounts, for the panel form */
	struct { int64_t id; const char *name; } *categories;
	int ncategories;
};
int evaluation_batch(struct ctx *c, int64_t batch_id, const char *stage, struct batch_eval *out)
	__attribute__((warn_unused_result));

/* The reader's queue (我的考评): every claim assigned to a panel they are
 * on, newest assignment first. */
struct eval_task {
	int64_t claim_id, problem_id, batch_id, assigned_at;
	const char *problem, *unit, *stage, *panel;
	enum recusal recused;
	const char *state;            /* "pending" 待评分, "submitted" 已提交, "recused" 回避, "closed" 已结束 */
};
int evaluation_queue(struct ctx *c, struct eval_task **out, int *n) __attribute__((warn_unused_result));
/* zh-CN of an eval_task state. */
const char *eval_task_zh(const char *state);

/* The result stored on a claim, for its page (anyone who may see the
 * claim): score and grade once accepted, the rectification after a
 * 不合格 return, the round. 0, 1 no such claim, -1. */
struct eval_result {
	int64_t score, evaluated_at, rectify_due;
	const char *grade;            /* grades[] code, "" before acceptance */
	const char *rectify_plan;
	int round;
};
int evaluation_result(db *d, arena *a, int64_t tenant_id, int64_t claim_id, struct eval_result *out)
	__attribute__((warn_unused_result));
/* The enum grade of a grades[] code, -1 when none. */
int grade_index(const char *code);

#endif
