/* report.h - the year's report of a batch (年度汇报材料): the structure of
 * the county's own report (shared/seed) filled from the data, for the
 * print page and the .docx (web/report.c).
 *
 * Sections and where they come from:
 * - 征集/遴选: every problem of the batch was a proposal (collected);
 *   selected = the problems published (the publication rounds' counts)
 *   plus those selected and not yet published; rejected and merged by
 *   their state; the rounds of 发榜 with their dates.
 * - The figures (claims by category, units by kind, cadres by rank,
 *   solved, promotions, evaluation grades): stats_get() of the batch, the
 *   dashboard's one source, so the report and the dashboard agree.
 * - Named cases: the batch's claims solved or accepted that have
 *   quantified metrics, the largest task forces first (the report's cases
 *   are the big joint efforts), at most REPORT_MAX_CASES, each with its
 *   lead, owner, team size, metrics (target and achieved) and its score
 *   and grade once accepted.
 * - Promotions: promotion_list_of() for the batch.
 * - Practices turned into policy: practices in state adopted linked to a
 *   claim of the batch, with their 文号.
 * Reading needs export.read (admins, leaders); else JB_EDENIED. */
#ifndef JB_REPORT_H
#define JB_REPORT_H

#include <stdint.h>

#include "domain/action.h"
#include "domain/promotion.h"
#include "domain/stats.h"

#define REPORT_MAX_CASES 10

struct report_metric {
	const char *name, *kind, *uom;
	int64_t target, achieved;
};

struct report_case {
	int64_t claim_id, problem_id;
	const char *title, *category, *unit, *lead, *lead_title, *owner, *owner_title, *state;
	int64_t members, units;          /* task force: people and units */
	struct report_metric *metrics;
	int nmetrics;
	int64_t score;                   /* hundredths; -1 none */
	const char *grade;               /* grades[] label, "" none */
};

struct report_round {
	int round;
	int64_t at, n;
};

struct report_practice {
	const char *title, *doc_no, *issuer;
	int64_t adopted_on;
};

struct report {
	int64_t batch_id;
	const char *batch;               /* its name */
	int64_t year;
	struct stats s;
	int64_t collected, selected, published, rejected, merged;
	struct report_round *rounds;
	int nrounds;
	struct report_case *cases;
	int ncases;
	struct promotion *promotions;
	int npromotions;
	struct report_practice *practices;
	int npractices;
};

/* The report of batch_id as of c->now. JB_OK, JB_EDENIED (export.read),
 * JB_ENOTFOUND, JB_ESTORE/JB_EBUSY. */
int report_get(struct ctx *c, int64_t batch_id, struct report *out) __attribute__((warn_unused_result));

/* A metric value as plain text: money in fen as "¥5,000,000" (yuan,
 * grouped; cents when there are any), a count grouped with its unit
 * ("320,000 米"). Onto a. */
const char *report_metric_text(arena *a, const char *kind, const char *uom, int64_t v);

#endif
