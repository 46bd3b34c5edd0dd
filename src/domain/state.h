/* state.h - the states of problems and claims, in one place: code, zh-CN
 * label and flags.
 *
 * Each list is an X-macro, X(NAME, "code", "标签", flags), which gives the
 * enum, the label table and the flags below. The SQL lists (STATE_SQL_*)
 * are literals so that statements stay compile-time constants; the unit
 * test tests/unit/test_state.c pins each of them, and the schema's CHECK
 * constraints, to these lists. Nothing else may spell a state list. */
#ifndef JB_STATE_H
#define JB_STATE_H

#include <stdbool.h>

#include "domain/labels.h"

/* Problem state flags. */
enum {
	PS_PUBLIC = 1u << 0,   /* on the public board */
	PS_CLAIMED = 1u << 1,  /* a claim was approved (已揭榜, and every later state) */
	PS_WORKING = 1u << 2,  /* being worked on: milestones can fall overdue */
	PS_SOLVED = 1u << 3,   /* declared solved (破题), accepted or not */
	PS_CLOSED = 1u << 4,   /* nothing more happens to it */
	PS_SCREENING = 1u << 5, /* proposed or selected: screeners may still move it before it is public */
};

#define PROBLEM_STATES(X) \
	X(PROPOSED, "proposed", "待遴选", PS_SCREENING) \
	X(SELECTED, "selected", "已遴选", PS_SCREENING) \
	X(REJECTED, "rejected", "未入选", PS_CLOSED) \
	X(MERGED, "merged", "已合并", PS_CLOSED) \
	X(PUBLISHED, "published", "待揭榜", PS_PUBLIC) \
	X(CLAIMED, "claimed", "已揭榜", PS_PUBLIC | PS_CLAIMED | PS_WORKING) \
	X(IN_PROGRESS, "in_progress", "攻坚中", PS_PUBLIC | PS_CLAIMED | PS_WORKING) \
	X(SOLVED, "solved", "已破题", PS_PUBLIC | PS_CLAIMED | PS_SOLVED) \
	X(ACCEPTED, "accepted", "已验收", PS_PUBLIC | PS_CLAIMED | PS_SOLVED | PS_CLOSED) \
	X(WITHDRAWN, "withdrawn", "已撤榜", PS_CLOSED)

/* Claim state flags. */
enum {
	CS_COUNTED = 1u << 0,  /* the problem's claim: approved and every later state */
	CS_CLOSED = 1u << 1,   /* nothing more happens to it */
	CS_PENDING = 1u << 2,  /* an application not yet decided: endorsement, approval or acceptance awaited */
	CS_WORKING = 1u << 3,  /* approved or signed, not yet solved: lights, reports and 督办 apply */
};

/* endorsing: recommended by the unit, its liaison has not endorsed it yet;
 * assigned: named by the 组织部 (组织点将), the owner has not accepted;
 * approved: the pledge is not yet signed by both; declined: the assigned
 * owner declined; returned: sent back at evaluation (issue 10). */
#define CLAIM_STATES(X) \
	X(ENDORSING, "endorsing", "待单位推荐", CS_PENDING) \
	X(APPLIED, "applied", "待审批", CS_PENDING) \
	X(ASSIGNED, "assigned", "待本人接受", CS_PENDING) \
	X(APPROVED, "approved", "待立军令状", CS_COUNTED | CS_WORKING) \
	X(REJECTED, "rejected", "未获批", CS_CLOSED) \
	X(DECLINED, "declined", "已婉拒", CS_CLOSED) \
	X(SIGNED, "signed", "已立军令状", CS_COUNTED | CS_WORKING) \
	X(SOLVED, "solved", "已破题", CS_COUNTED) \
	X(ACCEPTED, "accepted", "已验收", CS_COUNTED | CS_CLOSED) \
	X(RETURNED, "returned", "已退回", 0) \
	X(WITHDRAWN, "withdrawn", "已退榜", CS_CLOSED)

/* A batch's phases, in the order a campaign goes through them. */
#define BATCH_PHASES(X) \
	X(COLLECTING, "collecting", "征集", 0) \
	X(SCREENING, "screening", "遴选", 0) \
	X(CLAIMING, "claiming", "发榜揭榜", 0) \
	X(WORKING, "working", "攻坚", 0) \
	X(EVALUATING, "evaluating", "考评", 0) \
	X(CLOSED, "closed", "结束", 0)

#define STATE_ENUM_P(name, code, zh, flags) PROBLEM_##name,
#define STATE_ENUM_C(name, code, zh, flags) CLAIM_##name,
#define STATE_ENUM_B(name, code, zh, flags) PHASE_##name,
enum problem_state { PROBLEM_STATES(STATE_ENUM_P) PROBLEM_STATE_COUNT };
enum claim_state { CLAIM_STATES(STATE_ENUM_C) CLAIM_STATE_COUNT };
enum batch_phase { BATCH_PHASES(STATE_ENUM_B) PHASE_COUNT };
#undef STATE_ENUM_P
#undef STATE_ENUM_C
#undef STATE_ENUM_B

/* The states whose flags include all of the given ones, as SQL lists. */
#define STATE_SQL_PUBLIC "('published','claimed','in_progress','solved','accepted')"        /* PS_PUBLIC */
#define STATE_SQL_CLAIMED "('claimed','in_progress','solved','accepted')"                   /* PS_CLAIMED */
#define STATE_SQL_WORKING "('claimed','in_progress')"                                       /* PS_WORKING */
#define STATE_SQL_SOLVED "('solved','accepted')"                                            /* PS_SOLVED */
#define STATE_SQL_SCREENING "('proposed','selected')"                                    /* PS_SCREENING */
#define STATE_SQL_CLOSED "('rejected','merged','accepted','withdrawn')"                     /* PS_CLOSED */
#define STATE_SQL_COUNTED_CLAIMS "('approved','signed','solved','accepted')"                /* CS_COUNTED */
#define STATE_SQL_PENDING_CLAIMS "('endorsing','applied','assigned')"                       /* CS_PENDING */
#define STATE_SQL_WORKING_CLAIMS "('approved','signed')"                                    /* CS_WORKING */
/* The id of problem row p's counted claim: the first approved (a batch
 * may let several run at once, 赛马), NULL without one. min(+k.id): the
 * unary plus keeps SQLite from answering min() by walking the primary key
 * in id order — every claim of the tenant, per problem — instead of the
 * (tenant_id, problem_id) index. */
#define SQL_COUNTED_CLAIM_OF(p) \
	"(SELECT min(+k.id) FROM claim k WHERE k.tenant_id = " p ".tenant_id AND k.problem_id = " p ".id" \
	" AND k.state IN " STATE_SQL_COUNTED_CLAIMS ")"
/* The statistics (stats.c): claims solved (accepted since or not), and accepted. */
#define STATE_SQL_SOLVED_CLAIMS "('solved','accepted')"                                     /* CLAIM_SOLVED, CLAIM_ACCEPTED */
#define STATE_SQL_ACCEPTED_CLAIM "'accepted'"                                               /* CLAIM_ACCEPTED */
/* The batch phase after which nothing changes (asof.h: BATCH_AS_OF_SQL). */
#define PHASE_SQL_CLOSED "'closed'"                                                         /* PHASE_CLOSED */

struct state_info {
	const char *code;
	const char *zh;
	unsigned flags;
};

/* Indexed by enum problem_state / enum claim_state. */
extern const struct state_info problem_state_info[PROBLEM_STATE_COUNT];
extern const struct state_info claim_state_info[CLAIM_STATE_COUNT];
extern const struct state_info batch_phase_info[PHASE_COUNT];
/* The same as NULL-terminated label tables, for label_of() and code checks. */
extern const struct label problem_states[];
extern const struct label claim_states[];
extern const struct label batch_phases[];

/* The state of a code, or -1 when there is none. */
int problem_state_of(const char *code);
int claim_state_of(const char *code);
int batch_phase_of(const char *code);
/* Whether code is a problem state with every flag in flags (false when
 * code is no state). */
bool problem_state_has(const char *code, unsigned flags);
/* The codes of the problem states with every flag in flags, in list order,
 * NULL-terminated in out (PROBLEM_STATE_COUNT + 1 entries); their number. */
int problem_states_with(unsigned flags, const char *out[]);

#endif
