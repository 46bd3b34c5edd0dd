/* stats.h - the campaign's figures: one source of truth for the statistics
 * page, the JSON API and (later) exports, so every page agrees. */
#ifndef JB_STATS_H
#define JB_STATS_H

#include <stdint.h>

#include "store/db.h"
#include "util/arena.h"

struct stat_row {
	const char *code;   /* category name, state, unit kind or rank code */
	int64_t total;      /* problems; units or cadres for those lists */
	int64_t claimed;    /* categories only */
	int64_t solved;     /* categories only */
};

/* A unit's line of the unit table: an internal working view for admins
 * and leaders (stats.units), never a public ranking. */
struct stat_unit {
	int64_t unit_id;
	const char *name;
	const char *kind;       /* unit.kind */
	int64_t claimed;        /* counted claims (STATE_SQL_COUNTED_CLAIMS) */
	int64_t solved;         /* of those: solved or accepted */
	int64_t accepted;
	int64_t overdue;        /* of those: red light now */
	int64_t scored;         /* of those: with a final score */
	int64_t score_sum;      /* hundredths; average = score_sum / scored */
};

/* Claims made, solved and accepted in one calendar month (tenant's zone). */
struct stat_month {
	const char *month;      /* "YYYY-MM" */
	int64_t claimed, solved, accepted;
};

/* One red (逾期) claim of the overdue list, most days over first. */
struct stat_overdue {
	int64_t claim_id, problem_id;
	const char *title;      /* the problem's */
	const char *unit;       /* the claiming unit's name */
	int64_t deadline;       /* unix seconds */
	int64_t days_over;      /* whole days past the deadline at as_of */
};

/* Evaluation results of one category: claims with a final score. */
struct stat_grades {
	const char *category;
	int64_t scored, score_sum;  /* hundredths */
	int64_t grade[4];           /* excellent, good, pass, fail (rubric.h grades[]) */
};

struct stats {
	int64_t batch_id;   /* 0: every batch */
	const char *batch;  /* the batch's name; NULL: every batch */
	int64_t as_of;      /* the moment the figures describe (see stats_get) */
	int64_t problems;   /* on the public board (published or later) */
	int64_t claimed;    /* ever claimed: claimed or any later state (累计揭榜) */
	int64_t solved;     /* ever solved: solved or accepted (累计破题) */
	int64_t accepted;
	int64_t promotions;
	struct stat_row *by_category; int ncategory; /* in category order */
	struct stat_row *by_state; int nstate;       /* states present */
	struct stat_row *units; int nunits;          /* distinct claiming units by kind */
	struct stat_row *cadres; int ncadres;        /* distinct people on claims by rank */
	int64_t lights[6];  /* counted claims by enum light (claim.h), each as of its batch */
	/* The dashboard (issue 11); a bulletin freezes the same fields. */
	int64_t in_progress;        /* counted claims not yet solved */
	int64_t practices_adopted;  /* practices in state adopted */
	int64_t scored, score_sum;  /* claims with a final score; hundredths */
	int64_t grade[4];           /* of those, by grade */
	struct stat_row *by_batch; int nbatch;       /* problems by batch name (every batch) */
	struct stat_unit *unit_table; int nunit_table; /* claiming units, most claims first */
	struct stat_month *months; int nmonths;      /* oldest first, months with any */
	struct stat_overdue *overdue; int noverdue;  /* red claims, most days over first, at most STATS_OVERDUE_MAX */
	struct stat_grades *grades; int ngrades;     /* in category order */
};

/* What stats_get() fills beyond the public figures. */
enum {
	STATS_UNITS = 1u << 0,  /* the unit table (stats.units readers only) */
	STATS_FULL = 1u << 1,   /* aggregate the claims themselves, not the tallies (tests, as_of) */
};
#define STATS_OVERDUE_MAX 100   /* overdue claims listed; lights[LIGHT_RED] counts them all */
#define STATS_OVERDUE_MAX_SQL "100"

/* Figures for one batch (batch_id > 0) or all, read at now. They are as
 * of the batch's as-of moment (batch_as_of, asof.h): the end of a closed
 * batch's last dated phase, else now (a batch closed by hand before its
 * dates: now, as nothing changes after closing); for every batch, as of
 * the latest of those. as_of (0: none) moves "now" back to an earlier
 * moment for what is judged by time: the lights, the overdue list and
 * in_progress are judged, and the months counted, as of the batch's as-of
 * moment seen from as_of (so never after the batch closed). Counts by
 * state, scores, promotions and practices are the store's current ones
 * (a closed batch no longer changes). The unit table is filled only with
 * STATS_UNITS. 0, 1 when there is no such batch, or -1 on store error.
 * At now (as_of 0 or not before now) the claims' figures are read from
 * the tallies the store keeps (claim_tally, claim_member_tally,
 * claim_day_tally: schema.c m11), whose size does not grow with the
 * claims; a past as_of, or STATS_FULL, aggregates the claims themselves,
 * with the same answers at now (tests/unit/test_tally.c). */
int stats_get(db *d, arena *a, int64_t tenant_id, int64_t batch_id, int64_t now, int64_t as_of, unsigned flags,
	      struct stats *out);
/* The average of scored scores in hundredths, rounded half up; -1 when
 * none is scored. Every page and the API average through here. */
int64_t stats_average(int64_t score_sum, int64_t scored);
/* The row with this code, or NULL. */
const struct stat_row *stats_find(const struct stat_row *rows, int n, const char *code);

/* n counted claims (claim_tally) in state with stored light into
 * in_progress and lights as stats_get counts them: a working claim by its
 * light, a solved or accepted one by its state's light. */
void stats_count_claims(int state, int64_t light, int64_t n, int64_t *in_progress, int64_t by_light[6]);

#endif
