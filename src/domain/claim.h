/* claim.h - claims (揭榜): applications by three routes, competing
 * applications (竞榜) and parallel ones (赛马), the pledge (军令状) signed
 * by the owner and the lead, progress in figures (攻坚), withdrawal
 * (退榜), the solve declaration (破题) and its return; the status light.
 *
 * A claim moves by the claim transition table (claim_flow.c, below) as a
 * compare-and-set on the state the verb read, like a problem (screen.h);
 * its problem moves with it in the same transaction:
 *   first approval (or accepted assignment)  published   -> claimed
 *   both signatures                          claimed     -> in_progress
 *   solve declared                           in_progress -> solved
 *   solve returned                           solved      -> in_progress
 *   the last counted claim withdrawn         claimed / in_progress -> published
 * Every verb is audited (claim.<action>) and tells the people concerned
 * (notify.h; people are reached through the accounts linked to them).
 *
 * Routes: self (自荐: applied, awaiting approval); recommended (单位推荐:
 * awaiting the endorsement of a liaison of the claiming unit, or endorsed
 * at once when a liaison of that unit applies); assigned (组织点将: made by
 * an admin, awaiting the owner's acceptance; accepting approves it).
 *
 * Rules: the problem is published (or claimed, while its batch allows
 * more parallel claims: batch.max_parallel, 1 by default) and its batch is
 * in 发榜揭榜 (an assignment also in 攻坚); the owner and the lead are
 * people of the tenant and different; nobody is on a team twice; every
 * milestone is due after today and not after the deadline, which is after
 * today; targets and baselines >= 0; approvals beyond the batch's width
 * are a conflict (two admins approving two competing applications at the
 * same moment: one wins). Once signed, the deadline, goals, milestones and
 * targets change only by an approved extension (supervise.h). */
#ifndef JB_CLAIM_H
#define JB_CLAIM_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/action.h"
#include "domain/bind.h"
#include "domain/labels.h"
#include "domain/state.h"

#define CLAIM_TEAM_MAX 100        /* people on a task force, owner and lead included */
#define CLAIM_COOP_MAX 20         /* cooperating units of a joint claim */
#define CLAIM_MILESTONES_MAX 40
#define CLAIM_METRICS_MAX 20
#define CLAIM_TEXT_MAX 5000       /* plan, goals, pledge, clause, progress text */
#define CLAIM_REASON_MAX 500
#define CLAIM_VALUE_MAX 100000000000000LL  /* 10^14 in store units */

/* Codes and zh-CN labels. */
extern const struct label claim_routes[];   /* self 自荐, recommended 单位推荐, assigned 组织点将 */
extern const struct label member_roles[];   /* member 成员, liaison 联络员, mentor 帮带导师 (lead, owner: 挂帅领导, 主要负责人) */
extern const struct label metric_kinds[];   /* count 数量, money 金额, percent 百分比 */

/* ---- applying ---- */

struct member_in {
	int64_t person_id, unit_id;   /* unit 0: the person's own */
	const char *role;             /* member_roles: member, liaison, mentor */
};
struct milestone_in {
	const char *title;
	int64_t due;                  /* BF_DATE */
};
/* Metric figures are bound as decimals times 100 ("6.5" is 650) and
 * stored by kind: count in whole units (a fraction is an error), money in
 * fen, percent in hundredths of a percent. */
struct metric_in {
	const char *name, *kind, *uom;
	int64_t baseline, target;     /* times 100 */
};

/* POST /api/v1/problems/:id/claims (claim.apply; route assigned:
 * claim.assign). Lists bound from JSON arrays or "members.N.person_id"
 * form fields. */
struct claim_in {
	int64_t unit_id;                   /* the claiming (lead) unit */
	const char *route;                 /* claim_routes; NULL: self */
	int64_t lead_person_id, owner_person_id;
	struct bind_list members;          /* struct member_in: the rest of the team */
	struct bind_ids cooperating_unit_ids;
	const char *plan, *goals, *pledge, *reward_penalty;
	int64_t deadline;
	struct bind_list milestones;       /* struct milestone_in */
	struct bind_list metrics;          /* struct metric_in */
};
extern const struct bind_field claim_fields[];

int claim_apply(struct ctx *c, int64_t problem_id, struct claim_in *in, int64_t *claim_id)
	__attribute__((warn_unused_result));

/* ---- the transition table ---- */

/* Who, besides holding the row's permission, may act (CR_ANY: the
 * permission alone decides, as for admins). */
enum {
	CR_ANY = 0,
	CR_OWNER = 1u << 0,       /* the owner (主要负责人) */
	CR_LEAD = 1u << 1,        /* the lead (挂帅领导) */
	CR_TEAM = 1u << 2,        /* anyone on the task force */
	CR_APPLICANT = 1u << 3,   /* the account that applied */
};
/* What an action requires of its input. */
enum {
	CT_REASON = 1u << 0,
};

struct claim_transition {
	const char *action;       /* "approve", as in POST /api/v1/claims/:id/approve */
	const char *zh;           /* 批准 ... for buttons and the timeline */
	unsigned from;            /* STATE_BIT()s of enum claim_state */
	int to;                   /* enum claim_state; "sign" reaches signed only with both signatures */
	const char *perm;         /* perm.h action */
	unsigned who;             /* CR_* (any of them) */
	unsigned needs;           /* CT_* */
};
extern const struct claim_transition claim_transitions[];
extern const int claim_transitions_count;

/* The relation of c->who to a claim, for the table. */
struct claim_party {
	int64_t tenant_id, unit_id;   /* the claim's */
	unsigned rel;                 /* CR_* bits that hold */
};
/* The rows for action, in table order (an action may have several rows
 * with different permissions), NULL when none; whether who may apply
 * one of them to a claim in state. */
const struct claim_transition *claim_transition_find(const char *action);
bool claim_transition_allowed(const struct principal *who, const char *action, int state,
			      const struct claim_party *party);
/* One row: whether it may start from state; whether who holds its
 * permission over the claim ("own" grants reach only the relations the
 * row names, so a CR_ANY row needs a unit or tenant grant). */
bool claim_row_from(const struct claim_transition *t, int state);
bool claim_row_permits(const struct principal *who, const struct claim_transition *t, const struct claim_party *party);

/* POST /api/v1/claims/:id/{endorse,approve,reject,accept-assignment,
 * decline-assignment,sign,withdraw,return}: the action by the table. */
struct claim_act_in {
	const char *reason;
	const char *from;         /* optional: the state the actor saw; another one now is a conflict */
	/* "return" at evaluation: the rectification (整改) a 不合格 round needs
	 * (evaluate.h: evaluation_on_return) */
	const char *rectify_plan;
	int64_t rectify_due;      /* BF_DATE, 0: none */
};
extern const struct bind_field claim_act_fields[];
struct claim_act_out {
	int from, to;             /* enum claim_state */
	bool problem_moved;
};
int claim_act(struct ctx *c, int64_t id, const char *action, struct claim_act_in *in, struct claim_act_out *out)
	__attribute__((warn_unused_result));

/* ---- progress and solve ---- */

struct value_in {
	int64_t metric_id;
	int64_t value;            /* times 100, as metric_in */
};
struct done_in {
	int64_t milestone_id;
	int64_t done;             /* BF_DATE: not in the future */
};
/* An uploaded file the HTTP layer has streamed to a temporary file
 * (evidence.h checks and stores it). */
struct evidence_file;

/* POST /api/v1/claims/:id/progress (claim.progress, a team member, claim
 * signed) and /solve (claim.solve, the owner: the summary is text). At
 * least one of text, a value or a milestone done. Values are the metric's
 * cumulative figure now; a milestone ticked done keeps its date. */
struct progress_in {
	const char *text, *difficulties, *help_needed, *next_steps;
	struct bind_list values;           /* struct value_in */
	struct bind_list milestones_done;  /* struct done_in */
	const struct evidence_file *files; /* not bound: set by the caller */
	int nfiles;
};
extern const struct bind_field progress_fields[];
int claim_progress(struct ctx *c, int64_t id, struct progress_in *in, int64_t *progress_id)
	__attribute__((warn_unused_result));
int claim_solve(struct ctx *c, int64_t id, struct progress_in *in, int64_t *progress_id)
	__attribute__((warn_unused_result));

/* ---- the light ---- */

enum light { LIGHT_NONE, LIGHT_GREEN, LIGHT_YELLOW, LIGHT_RED, LIGHT_UNREPORTED, LIGHT_AWAITING };
/* Indexed by enum light: code ("green", ...) and zh-CN (正常 滞后 逾期 未报送 待验收). */
extern const struct label lights[];

/* The mid-term review's risk mark on a working claim (claim.risk: "",
 * "yellow", "red"). */
enum risk { RISK_NONE, RISK_YELLOW, RISK_RED };

/* What the light of one claim is computed from. */
struct light_in {
	int state;                /* enum claim_state */
	int64_t as_of;            /* its batch's as-of moment (batch_as_of) */
	int64_t deadline;         /* 0: none */
	int64_t next_due;         /* the earliest milestone not done, 0: none */
	int64_t since;            /* when work began: signed_at, else approved_at */
	int64_t last_report;      /* the latest progress entry, 0: none */
	int report_day;           /* the batch's monthly report day (1-28) */
	int warn_days;            /* yellow when a milestone or the deadline is this near */
	int completion;           /* mean completion of the metrics in percent (capped at 100); -1: no metric */
	int risk;                 /* enum risk marked at the mid-term review */
};
/* The light of a claim:
 *   awaiting   solved, waiting for evaluation;
 *   red        working, and the deadline or a milestone passed undone;
 *   unreported working since before the previous report day, and no
 *              report since it, though the latest report day has passed
 *              (report days: report_day of each month, Asia/Shanghai);
 *   yellow     working, and a milestone or the deadline is due within
 *              warn_days, or the metrics lag the time elapsed between
 *              since and the deadline by more than 25 points;
 *   green      working otherwise;
 *   none       any other state.
 * A working claim marked at risk (中期评估) shows at least its risk: a red
 * mark makes it red whatever the dates say (red is worse than unreported,
 * as a passed deadline is), a yellow mark turns green into yellow and
 * leaves unreported, yellow and red as they are. The mark does not touch
 * awaiting or none: a solved claim is judged by its evaluation. */
enum light claim_light(const struct light_in *in);
/* The light of claim_id of tenant_id at now (as of its batch's as-of
 * moment): 0, 1 when there is no such claim, -1 on a store error. */
int claim_light_of(db *d, int64_t tenant_id, int64_t claim_id, int64_t now, enum light *out)
	__attribute__((warn_unused_result));
/* The same, read from the stored light (claim.light) while it holds at
 * now, worked out by claim_light_of() otherwise (never waiting for the
 * tenant's other stale lights): 0, 1, -1 as claim_light_of(). */
int claim_light_now(db *d, int64_t tenant_id, int64_t claim_id, int64_t now, enum light *out)
	__attribute__((warn_unused_result));
/* What claim_id's light is computed from at now, and its batch: 0, 1 when
 * there is no such claim, -1 on a store error. */
int claim_light_in(db *d, int64_t tenant_id, int64_t claim_id, int64_t now, struct light_in *in, int64_t *batch_id)
	__attribute__((warn_unused_result));
/* The first moment after in->as_of at which claim_light() of in may answer
 * otherwise with as_of moved there and nothing else changed (a deadline or
 * milestone passing, one coming within warn_days, a report day, the
 * metrics falling 25 points behind the time); INT64_MAX when never (not
 * working). It may come early: the light is then worked out again. */
int64_t claim_light_until(const struct light_in *in);
/* The earliest date a red claim missed at in->as_of (the deadline or a
 * milestone), 0 when none (red by a risk mark alone). */
int64_t claim_light_missed(const struct light_in *in);
/* Keep the stored lights (claim.light, light_until: schema.c m11) of
 * tenant_id's claims true at now: work out again every claim whose light
 * is not known to hold at now, in write transactions of a few hundred
 * claims. Outside any transaction only. 0; 1 when the store cannot write
 * now (disk full, read-only: the lights stay as they were, readers see
 * claim_lights_fresh() false); -1 on another store error. */
int claim_lights_keep(db *d, int64_t tenant_id, int64_t now) __attribute__((warn_unused_result));
/* claim_lights_keep() for every tenant (the background task). */
int claim_lights_keep_all(db *d, int64_t now) __attribute__((warn_unused_result));
/* Whether every stored light of tenant_id holds at now: 1 yes, 0 no, -1
 * on a store error. */
int claim_lights_fresh(db *d, int64_t tenant_id, int64_t now) __attribute__((warn_unused_result));
/* One counted claim's light, with what it was computed from. */
struct claim_lit {
	int64_t claim_id, problem_id, unit_id;
	struct light_in in;
	enum light light;
};
/* The lights of every counted claim of batch_id (0: every batch) of
 * tenant_id at now, each as of its batch's as-of moment, exactly as
 * claim_light_of() judges each one, but in three queries whatever their
 * number (the statistics): into *out (arena a), in id order; 0 or -1. */
int claim_lights(db *d, arena *a, int64_t tenant_id, int64_t batch_id, int64_t now, struct claim_lit **out, int *n)
	__attribute__((warn_unused_result));
/* The mean completion of claim_id's metrics in percent (each capped at
 * 100; light_in.completion), -1 when none has a target: into *out; 0, or
 * -1 on a store error. */
int claim_completion_of(db *d, int64_t tenant_id, int64_t claim_id, int *out) __attribute__((warn_unused_result));
/* The latest report day's end at or before as_of, and the one a month
 * before it (report_day outside 1-28 counts as 25). */
void claim_report_days(int64_t as_of, int report_day, int64_t *latest, int64_t *previous);

/* ---- reading ---- */

struct claim_member {
	int64_t person_id, unit_id;
	const char *name, *title, *unit, *role;   /* role: lead, owner, member, liaison, mentor */
};
struct claim_milestone {
	int64_t id, due_at, done_at;              /* done_at 0: not done */
	const char *title;
	bool overdue;                             /* not done and due before as_of */
};
struct claim_metric {
	int64_t id, baseline, target, achieved;   /* store units (see metric_in) */
	const char *name, *kind, *uom;
	int completion;                           /* percent of target reached, capped at 100; -1: target 0 */
};
struct claim_value {
	int64_t metric_id, value;
};
struct claim_evidence {
	int64_t id, size;
	const char *sha256, *name, *mime;
};
struct claim_report {
	int64_t id, at;
	const char *kind;                         /* "report", "solve" */
	const char *author, *text, *difficulties, *help_needed, *next_steps;
	struct claim_value *values;
	int nvalues;
	struct claim_evidence *files;
	int nfiles;
	bool internal_shown;                      /* difficulties and help are shown to this reader */
};

struct claim_detail {
	int64_t id, problem_id, batch_id, unit_id, lead_person_id, owner_person_id, applicant_user_id;
	int64_t deadline, applied_at, endorsed_at, approved_at, owner_signed_at, lead_signed_at, signed_at;
	int64_t solved_at, closed_at, updated_at, as_of;
	int state;                                /* enum claim_state */
	const char *route, *problem_title, *problem_state, *unit, *lead, *lead_title, *owner, *owner_title;
	const char *plan, *goals, *pledge, *reward_penalty, *decided_reason, *batch;
	struct claim_member *members;             /* lead and owner first */
	int nmembers;
	struct named_unit { int64_t id; const char *name; } *cooperators;
	int ncooperators;
	struct claim_milestone *milestones;       /* by due date */
	int nmilestones;
	struct claim_metric *metrics;
	int nmetrics;
	struct claim_report *progress;            /* newest first */
	int nprogress;
	enum light light;
	unsigned rel;                             /* CR_* of the reader */
};

/* Claim id as c->who may see it: the problem is public, or the reader is
 * on the team, applied, or may read internal problems (problem.read_internal
 * for the claim's unit, or claim.approve). A claim not visible is
 * JB_ENOTFOUND. Reads only. */
int claim_get(struct ctx *c, int64_t id, struct claim_detail *out) __attribute__((warn_unused_result));

/* The claims of a problem c->who may see, oldest first (the admins'
 * side-by-side comparison of competing applications shows them all). */
struct claim_summary {
	int64_t id, applied_at, deadline;
	int state;
	const char *route, *unit, *lead, *owner;
	int nmembers, nunits, nmilestones, nmetrics;
	enum light light;
};
int claim_list_for_problem(struct ctx *c, int64_t problem_id, struct claim_summary **out, int *n)
	__attribute__((warn_unused_result));

/* Store units from a decimal times 100 by kind (metric_in), or -1 when it
 * is not a whole number of a count or negative. */
int64_t metric_store_value(const char *kind, int64_t x100);
/* A store value for display, without its unit: "12" for a count, "12.50"
 * (元) for money, "37.5" for a percent. On a. */
const char *metric_format(arena *a, const char *kind, int64_t v);

/* Who reads a claim's internals (pending applications, difficulties,
 * files of a non-public problem, the risk note): the team, the applicant,
 * the 组织部, leaders and the liaisons of the claiming unit. k from
 * claim_get() (its rel set). */
bool claim_reads_internal(const struct principal *who, const struct claim_detail *k);

/* ---- the mid-term risk (claim_risk.c) ---- */

#define CLAIM_RISK_NOTE_MAX 500
/* Indexed by enum risk from RISK_YELLOW: yellow 黄灯（有风险）, red 红灯（风险较大）. */
extern const struct label claim_risks[];
/* enum risk of claim.risk's code; RISK_NONE for "" and anything unknown. */
int claim_risk_of(const char *code);

struct risk_in {
	const char *level;        /* "yellow", "red"; "" or NULL clears the mark */
	const char *note;         /* why: required when marking */
};
extern const struct bind_field risk_fields[];
/* Verb (evaluation.manage): mark working claim id at risk or clear its
 * mark: claim.risk, risk_note, risk_at (cleared: "", "", NULL), audited as
 * claim.risk with the mark before and after, the team told (its owner,
 * lead and members' accounts, not the actor). JB_ECONFLICT when the claim
 * is not working (approved or signed), JB_ENOTFOUND without it. */
int claim_risk_mark(struct ctx *c, int64_t id, const struct risk_in *in) __attribute__((warn_unused_result));

struct claim_risk {
	int risk;                 /* enum risk; RISK_NONE when the claim is not working */
	const char *note;         /* "" unless the reader reads internals */
	int64_t at;               /* when marked, 0: never */
	int64_t midterm_on;       /* the batch's mid-term date, 0: none */
};
/* The risk of claim d (as claim_get() read it for c->who) into out. 0 or
 * -1 on a store error. */
int claim_risk_get(struct ctx *c, const struct claim_detail *d, struct claim_risk *out)
	__attribute__((warn_unused_result));

#endif
