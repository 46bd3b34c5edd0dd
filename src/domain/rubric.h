/* rubric.h - the evaluation arithmetic (考评): a batch's rubric, one
 * evaluator's total, the panel's aggregate, the grade and the 优秀 cap.
 *
 * Units: every score, total, maximum, band score and threshold is in
 * hundredths of a point (92.5 points is 9250); weights are whole numbers
 * that sum to 100, so a total is on a 100-point scale whatever the
 * criteria's maxima. The rules (README, "Evaluation arithmetic"):
 *   total      = sum of weight_i * score_i / max_i, rounded half up to a
 *                hundredth (exact when max_i divides 10^6 * weight_i *
 *                score_i, as for maxima of 10, 20, 50, 100 points; else
 *                exact to 10^-4 of a hundredth before rounding)
 *   aggregate  = the mean of the evaluators' totals, dropping one highest
 *                and one lowest when there are five or more, rounded half
 *                up to a hundredth; equal aggregates are equal (no tie
 *                is broken)
 *   grade      = 优秀 when aggregate >= excellent, 良好 >= good, 合格 >=
 *                pass, else 不合格 (boundaries inclusive)
 *   cap        = a warning when more than cap percent of a batch's graded
 *                claims are 优秀 (0: no cap); nothing is demoted
 *   comment    = required when a score is in the criterion's lowest band
 *                (its lowest band score; without bands: below the pass
 *                threshold's share of the maximum)
 * The functions here are pure; rubric_load() and grading_load() read a
 * batch's own rubric and thresholds from the store. */
#ifndef JB_RUBRIC_H
#define JB_RUBRIC_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/action.h"
#include "domain/bind.h"
#include "domain/labels.h"
#include "store/db.h"
#include "util/arena.h"

#define RUBRIC_CRITERIA_MAX 12
#define RUBRIC_BANDS_MAX 8
#define RUBRIC_NAME_MAX 40        /* characters of a criterion's name or a band's label */
#define RUBRIC_TEXT_MAX 500       /* characters of a description */
#define RUBRIC_SCORE_MAX 100000   /* a criterion's maximum: 1000 points */

enum grade { GRADE_EXCELLENT, GRADE_GOOD, GRADE_PASS, GRADE_FAIL, GRADE_COUNT };
/* Indexed by enum grade: excellent 优秀, good 良好, pass 合格, fail 不合格. */
extern const struct label grades[];
/* final 考评验收, midterm 中期评估 (evaluation.stage, panel_claim.stage). */
extern const struct label eval_stages[];

struct band {
	const char *label;        /* 全面完成或提前完成 */
	int64_t score;            /* hundredths, 0..max */
};
struct criterion {
	int64_t id;               /* rubric_criterion.id; 0 in a default rubric */
	const char *name, *description;
	int weight;               /* > 0; a rubric's weights sum to 100 */
	int64_t max;              /* hundredths, 1..RUBRIC_SCORE_MAX */
	int nbands;               /* 0: any score 0..max */
	struct band bands[RUBRIC_BANDS_MAX];   /* highest score first */
};
struct rubric {
	int n;
	struct criterion c[RUBRIC_CRITERIA_MAX];
	bool is_default;          /* the batch has no rubric of its own */
};

/* A batch's grade thresholds (hundredths) and 优秀 cap (percent, 0: none). */
struct grading {
	int64_t excellent, good, pass;
	int cap;
};
#define GRADING_DEFAULT ((struct grading){ 9000, 8000, 6000, 30 })

/* The default rubric of a stage ("final": 完成情况 40 with five bands,
 * 工作成效 30, 创新性 15, 可复制推广 15, each out of 100; "midterm": 进度完成
 * 情况 60 with bands, 工作成效 40). False for an unknown stage. */
bool rubric_default(const char *stage, struct rubric *r);

/* NULL when r is well formed; else the zh-CN reason, with *at the index of
 * the criterion at fault (-1: the rubric as a whole). */
const char *rubric_check(const struct rubric *r, int *at);
/* NULL when score (hundredths) is allowed for c: within 0..max and, with
 * bands, one of the band scores; else the zh-CN reason. */
const char *rubric_score_check(const struct criterion *c, int64_t score);
/* Whether score for c needs the evaluator's comment (see above). */
bool rubric_needs_comment(const struct criterion *c, int64_t score, const struct grading *g);
/* One evaluator's total, hundredths; scores[i] is for r->c[i]. */
int64_t rubric_total(const struct rubric *r, const int64_t *scores);

struct aggregate {
	int n;                    /* evaluators who submitted */
	int used;                 /* totals averaged: n, or n - 2 when trimmed */
	bool trimmed;
	int64_t score;            /* hundredths; 0 when n is 0 */
};
/* The panel's aggregate of n totals (not modified). */
void rubric_aggregate(const int64_t *totals, int n, struct aggregate *out);
/* enum grade of an aggregate. */
int grade_of(const struct grading *g, int64_t score);
/* Whether excellent of graded claims exceed the cap (never when cap is 0). */
bool grade_over_cap(const struct grading *g, int excellent, int graded);
/* NULL when g is well formed (0 <= pass <= good <= excellent <= 10000,
 * 0 <= cap <= 100); else the zh-CN reason. */
const char *grading_check(const struct grading *g);

/* "92.50": a hundredths value with two decimals, into buf (>= 24 bytes). */
const char *score_format(int64_t hundredths, char *buf, size_t len);

/* The rubric of a batch's stage (its own rows, else the default), strings
 * in a; 0, or -1 on a store error. */
int rubric_load(db *d, arena *a, int64_t tenant_id, int64_t batch_id, const char *stage, struct rubric *r);
/* The batch's thresholds and cap; 0, 1 when there is no such batch, -1 on
 * a store error. */
int grading_load(db *d, int64_t tenant_id, int64_t batch_id, struct grading *g);

/* ---- editing (rubric_edit.c) ---- */

#define RUBRIC_BANDS_TEXT_MAX 1000   /* characters of the form's bands, "名称=分数" a line */

/* A rubric as sent: by the API (bands as a list, highest first) or by the
 * form (bands_text: one band a line, "名称=分数", which wins when not
 * empty). Scores and maxima in hundredths (bound from points, "92.5"). */
struct band_in {
	const char *label;
	int64_t score;
};
struct criterion_in {
	const char *name, *description, *bands_text;
	int64_t weight, max;
	struct bind_list bands;           /* of struct band_in */
};
struct rubric_in {
	const char *stage;                /* "final" (NULL) or "midterm" */
	struct bind_list criteria;        /* of struct criterion_in */
};
extern const struct bind_field rubric_fields[];

/* Parse text's "名称=分数" lines (blank lines skipped; = or ＝; the score
 * in points with at most two decimals) into out (RUBRIC_BANDS_MAX), on a.
 * 0; -1 with *line the first bad line (1-based), -2 when there are too
 * many bands. */
int rubric_bands_parse(arena *a, const char *text, struct band *out, int *n, int *line);
/* in as a rubric checked by rubric_check(): JB_OK, or JB_EINVALID with an
 * error on "criteria.N.bands_text" (a bad band line), "criteria.N" (the
 * criterion at fault, named in the message) or "criteria" (the weights'
 * sum). Strings stay in in's arena. */
int rubric_from_input(struct ctx *c, const struct rubric_in *in, struct rubric *r)
	__attribute__((warn_unused_result));
/* Whether any evaluation of the batch's stage exists (then its rubric is
 * fixed). 0 or -1. */
int rubric_locked(db *d, int64_t tenant_id, int64_t batch_id, const char *stage, bool *locked)
	__attribute__((warn_unused_result));
/* Verb (evaluation.manage): replace the rubric of the batch's stage with
 * in (its criteria and bands, in order), audited as rubric.update on the
 * batch with a summary before and after. JB_ENOTFOUND without the batch;
 * JB_ECONFLICT (已有评分，不能修改评分标准) once the stage has scores. */
int rubric_save(struct ctx *c, int64_t batch_id, const struct rubric_in *in) __attribute__((warn_unused_result));

#endif
