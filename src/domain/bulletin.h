/* bulletin.h - the numbered bulletin (工作简报, 第 N 期): issued by an admin
 * for a period, of one batch or of every batch, with the campaign's
 * figures frozen when it is issued, so that 第 N 期 reads the same for
 * ever, whatever happens to the data afterwards.
 *
 * Rules the verb keeps (issue 11 §3):
 * - Issuing needs bulletin.manage (admins); reading bulletin.read (admins,
 *   leaders). Everyone else gets JB_EDENIED, audited.
 * - n is the tenant's next number (1, 2, ...), drawn inside the write
 *   transaction: writers run one at a time on both stores, so two admins
 *   issuing at the same moment get n and n+1; should two ever draw the
 *   same n, the primary key refuses the second (JB_ECONFLICT) and nothing
 *   of it is written.
 * - The period is two dates, period_from <= period_to; the issue date
 *   (issued_on, default today) is not before the period's start; the
 *   office (发文单位) defaults to 中共<tenant name>委组织部 (中共滦南县委组织部).
 * - The figures are stats_get()'s (domain/stats.h: the dashboard's one
 *   source) for the batch (0: every batch) at the moment of issue, as
 *   JSON in bulletin.figures (members: BULLETIN_FIGURES' keys, "as_of",
 *   "batch", "by_category", "top_units" — the units with the most overdue
 *   claims, at most BULLETIN_TOP_UNITS with more than 0 — and "practices",
 *   those created or adopted within the period).
 * - Highlights (at most BULLETIN_MAX_ITEMS): a claim of the tenant (of the
 *   batch, when one is named) and/or a line of text. A claim's line is
 *   frozen as its problem's title, unit and state (the admin's text, when
 *   given, replaces that).
 * - The verb audits bulletin.issue with the number, period and batch. */
#ifndef JB_BULLETIN_H
#define JB_BULLETIN_H

#include <jansson.h>
#include <stdint.h>

#include "domain/action.h"
#include "domain/bind.h"

#define BULLETIN_MAX_ITEMS 30
/* A form lists at most BULLETIN_PICK_MAX claims to pick from and three
 * lines of text, so it may send that many rows (the verb takes at most
 * BULLETIN_MAX_ITEMS of them filled). */
#define BULLETIN_PICK_MAX 150
#define BULLETIN_FORM_ROWS (BULLETIN_PICK_MAX + 3)
#define BULLETIN_TOP_UNITS 5
#define BULLETIN_TEXT_MAX 500
#define BULLETIN_OFFICE_MAX 60

/* X(key, "标签"): the headline figures, in the order every view shows
 * them; the keys are the JSON members of bulletin.figures. */
#define BULLETIN_FIGURES(X) \
	X(problems, "榜单难题") \
	X(claimed, "累计揭榜") \
	X(in_progress, "攻坚中") \
	X(solved, "累计破题") \
	X(accepted, "已验收") \
	X(overdue, "逾期") \
	X(unreported, "未报送") \
	X(promotions, "提拔使用") \
	X(practices_adopted, "经验做法转化")

struct bulletin_figure {
	const char *key, *zh;
};
/* The figures' keys and labels, NULL-terminated. */
extern const struct bulletin_figure bulletin_figures[];

struct bulletin_item_in {
	int64_t claim;      /* 0: none */
	const char *text;   /* NULL: none */
};

struct bulletin_in {
	int64_t period_from, period_to, issued_on;   /* BF_DATE; issued_on 0: today */
	const char *office;                          /* NULL: the default */
	int64_t batch;                               /* 0: every batch */
	struct bind_list highlights;                 /* of struct bulletin_item_in */
};
extern const struct bind_field bulletin_fields[];

/* Verb (bulletin.manage): issue a bulletin; *n its number. JB_EINVALID
 * (fields: period_from, period_to, issued_on, office, batch,
 * highlights.N.claim, highlights), JB_EDENIED, JB_ECONFLICT. */
int bulletin_issue(struct ctx *c, const struct bulletin_in *in, int64_t *n) __attribute__((warn_unused_result));

/* The default office of the tenant: 中共<name>委组织部 (onto a). */
const char *bulletin_default_office(db *d, arena *a, int64_t tenant_id);

struct bulletin_item {
	int position;
	int64_t claim_id;    /* 0: a line of text */
	const char *text;
};

struct bulletin {
	int64_t n, batch_id, created_at;
	const char *batch;           /* the batch's name, "" for every batch */
	const char *period_from, *period_to, *issued_on;  /* YYYY-MM-DD */
	const char *office, *created_by;                  /* created_by: the login */
	json_t *figures;             /* the frozen figures; released with the arena */
	json_t *previous;            /* 第 N-1 期's figures, or NULL (the first) */
	struct bulletin_item *items;
	int nitems;
};

/* A frozen figure by key (0 when absent). */
int64_t bulletin_figure(const json_t *figures, const char *key);

/* The bulletins, newest first, without items or previous (bulletin.read:
 * else JB_EDENIED). */
int bulletin_list(struct ctx *c, struct bulletin **out, int *n) __attribute__((warn_unused_result));
/* Bulletin n with its items and the previous issue's figures
 * (bulletin.read). JB_ENOTFOUND when there is none. */
int bulletin_get(struct ctx *c, int64_t n, struct bulletin *out) __attribute__((warn_unused_result));

/* A claim the admin may pick as a highlight for a period. */
struct bulletin_candidate {
	int64_t claim_id, problem_id;
	const char *title, *unit, *state;   /* state: the claim's zh label */
	const char *why;                    /* 期内破题, 期内验收 or 期内有进展 */
};
/* The claims solved or accepted within [from, to] (midnights, to's day
 * included), then those with progress reported in it, of the batch (0:
 * all), each once. 0 or -1. */
int bulletin_candidates(db *d, arena *a, int64_t tenant_id, int64_t batch_id, int64_t from, int64_t to,
			struct bulletin_candidate **out, int *n) __attribute__((warn_unused_result));

#endif
