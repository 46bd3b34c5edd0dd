/* practice.h - practices (经验做法): what a solved claim taught, written
 * up by its owner or an admin, recommended by the panel and adopted as
 * policy (转化为制度), with a public library searched like the board.
 *
 * Rules the verbs keep (issue 10 §4):
 * - A practice links one or more claims of the tenant (at most
 *   PRACTICE_MAX_CLAIMS), each declared solved: the claim is in a state
 *   with the solved outcome, solved (已破题) or accepted (已验收)
 *   (practice_claim_solved()). Acceptance is being built alongside; a
 *   claim declared solved is enough.
 * - Writing (practice.write): an admin of the tenant, or the owner
 *   (主要负责人) of one of the linked claims: the account linked to that
 *   claim's owner person ("own" scope; cadres and unit admins).
 * - Editing only in draft, by the author or an admin; an author who is no
 *   admin must still own one of the claims after the edit.
 * - draft → recommended (practice.recommend: evaluators, admins) →
 *   adopted (practice.adopt: admins; document number 文号, issuing body
 *   and a date not in the future). Both moves are compare-and-set on the
 *   state read: of two admins adopting at once one succeeds, the other
 *   gets JB_ECONFLICT.
 * - Every verb runs through action_run(), audits practice.<verb> and
 *   tells the author when someone else acted.
 * - Who sees what: recommended and adopted practices are public; drafts
 *   are seen by those who may recommend (admins, evaluators) and by their
 *   author.
 *
 * Search: a practice's searchable text is its title, summary, steps and
 * conditions, one per line, ASCII letters lowercased; its adjacent pairs
 * are kept in practice_gram by every write (search.h: search_practices),
 * and a query is planned and its pairs intersected as the board does.
 * practice has no search_text column, so the substring check of the
 * terms the pairs do not decide runs in C on the candidates the pairs
 * leave (search_plan_matches()); a tenant writes tens of practices a
 * year, not thousands. */
#ifndef JB_PRACTICE_H
#define JB_PRACTICE_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/action.h"
#include "domain/bind.h"
#include "domain/labels.h"

#define PRACTICE_MAX_CLAIMS 20
#define PRACTICE_PER_PAGE 20
#define PRACTICE_MAX_PER_PAGE 100
#define PRACTICE_TEXT_MAX 5000

/* X(NAME, "code", "标签", public) */
#define PRACTICE_STATES(X) \
	X(DRAFT, "draft", "草稿", false) \
	X(RECOMMENDED, "recommended", "已推荐", true) \
	X(ADOPTED, "adopted", "已转化为制度", true)

#define PRACTICE_ENUM(name, code, zh, pub) PRACTICE_##name,
enum practice_state { PRACTICE_STATES(PRACTICE_ENUM) PRACTICE_STATE_COUNT };
#undef PRACTICE_ENUM

/* The public states as SQL; pinned to PRACTICE_STATES and the schema's
 * CHECK by tests/unit/test_practice.c. */
#define PRACTICE_SQL_PUBLIC "('recommended','adopted')"

/* The codes and labels, NULL-terminated (for label_of() and BIND_CHOICE). */
extern const struct label practice_states[];
/* The state of code, or -1. */
int practice_state_of(const char *code);
/* Whether state is public. */
bool practice_state_public(int state);
/* Whether a claim in this enum claim_state may be linked: declared
 * solved (solved or accepted). */
bool practice_claim_solved(int claim_state);
/* The one move of a verb, pure: JB_OK when a practice in state `from` may
 * be recommended (to PRACTICE_RECOMMENDED) or adopted (to
 * PRACTICE_ADOPTED) or edited (to PRACTICE_DRAFT: stays), else
 * JB_ECONFLICT. */
int practice_move_allowed(int from, int to);

/* A claim a practice links, with what the pages show of it. */
struct practice_claim {
	int64_t claim_id, problem_id, owner_person_id;
	int state;                     /* enum claim_state */
	const char *problem_title, *unit, *lead, *owner;
};

struct practice {
	int64_t id, author_user_id, created_at, updated_at, recommended_at, adopted_on;
	int state;                     /* enum practice_state */
	const char *title, *summary, *steps, *conditions;
	const char *author;            /* the author's person name ("" when not linked): public */
	const char *author_login, *recommended_by;  /* logins: for internal readers only (practice_sees_drafts) */
	const char *doc_no, *issuer;   /* "" until adopted */
	struct practice_claim *claims;
	int nclaims;
};

/* What a writer sends. */
struct practice_in {
	const char *title;             /* 1-100 characters */
	const char *summary;           /* 做法概述, 1-5000, lines allowed */
	const char *steps;             /* 主要步骤, optional, up to 5000 */
	const char *conditions;        /* 推广条件 / 适用范围, optional, up to 5000 */
	struct bind_ids claim_ids;     /* 1-PRACTICE_MAX_CLAIMS */
};
extern const struct bind_field practice_fields[];

/* What adoption records. */
struct practice_adopt_in {
	const char *doc_no;            /* 文号, 1-60 */
	const char *issuer;            /* 发文单位, 1-100 */
	int64_t adopted_on;            /* midnight Asia/Shanghai, not after today */
};
extern const struct bind_field practice_adopt_fields[];

/* Verb (practice.write): a new draft by c->who; *id is its id.
 * JB_EINVALID (fields; a claim not of the tenant or not declared solved,
 * on "claim_ids"), JB_EDENIED. */
int practice_create(struct ctx *c, const struct practice_in *in, int64_t *id) __attribute__((warn_unused_result));
/* Verb: replace draft id's text and claims. JB_ENOTFOUND (or not visible),
 * JB_EDENIED (not the author or an admin), JB_ECONFLICT (no longer a
 * draft), JB_EINVALID. */
int practice_update(struct ctx *c, int64_t id, const struct practice_in *in) __attribute__((warn_unused_result));
/* Verb (practice.recommend): draft → recommended. */
int practice_recommend(struct ctx *c, int64_t id) __attribute__((warn_unused_result));
/* Verb (practice.adopt): recommended → adopted with in's document. */
int practice_adopt(struct ctx *c, int64_t id, const struct practice_adopt_in *in)
	__attribute__((warn_unused_result));

/* Whether who may write p: its author (practice.write, own) or an admin,
 * whatever its state. */
bool practice_may_write(const struct principal *who, const struct practice *p);
/* Whether who sees drafts other than its own (those who recommend). */
bool practice_sees_drafts(const struct principal *who);
/* Whether who may edit p now (draft; its author or an admin), recommend
 * or adopt it: for showing buttons; the verbs decide. */
bool practice_may_edit(const struct principal *who, const struct practice *p);
bool practice_may_recommend(const struct principal *who, const struct practice *p);
bool practice_may_adopt(const struct principal *who, const struct practice *p);
/* Whether who may write a practice about a claim owned by owner_person_id
 * (0: none) in this state: for the claim page's link. */
bool practice_may_write_for(const struct principal *who, int64_t owner_person_id, int claim_state);

/* Practice id with its claims, as who may see it: 0, 1 none (or a draft
 * not visible to who), -1 store error. */
int practice_get(db *d, arena *a, const struct principal *who, int64_t id, struct practice *out)
	__attribute__((warn_unused_result));

/* Practice id with its claims whatever its state and reader, for the
 * handlers of an edit, which refuse those who may not write it
 * (practice_may_write()) before showing anything of it. 0, 1, -1. */
int practice_read(db *d, arena *a, int64_t tenant_id, int64_t id, struct practice *out)
	__attribute__((warn_unused_result));

struct practice_filter {
	const char *q;                 /* search (NULL: none); the caller checks its length and terms */
	const char *state;             /* a practice state code, or NULL */
	int64_t page, per_page;        /* from 1; 1..PRACTICE_MAX_PER_PAGE */
};
struct practice_page {
	struct practice *items;        /* with their claims */
	int n;
	int64_t total;
};
/* The practices who sees that match f, newest first, one page. 0 or -1. */
int practice_list(db *d, arena *a, const struct principal *who, const struct practice_filter *f,
		  struct practice_page *out) __attribute__((warn_unused_result));

/* The practices of claim_id who sees (id, title, state; no claims). */
int practice_list_for_claim(db *d, arena *a, const struct principal *who, int64_t claim_id, struct practice **out,
			    int *n) __attribute__((warn_unused_result));

/* The claims who may link in a form: declared solved, of the tenant; for
 * an admin all of them, else those whose owner is who's person. Newest
 * first. */
int practice_linkable_claims(db *d, arena *a, const struct principal *who, struct practice_claim **out, int *n)
	__attribute__((warn_unused_result));

/* One step of a practice's history, from the audit log. */
struct practice_step {
	int64_t at;
	const char *action, *actor;    /* "practice.create", the login */
};
int practice_history(db *d, arena *a, int64_t tenant_id, int64_t id, struct practice_step **out, int *n)
	__attribute__((warn_unused_result));

#endif
