/* batch.h - batches (批次) of a campaign and their phases: 征集 → 遴选 →
 * 发榜揭榜 → 攻坚 → 考评 → 结束.
 *
 * A batch has a phase set by hand, or (by_dates) one that follows its
 * dated phases: the phase whose dates hold today, else the last one begun.
 * Actions that belong to a phase (proposing belongs to 征集) ask
 * batch_phase_refusal() and are refused with a message naming the phase
 * and its dates. A closed batch's figures are as of the end of its last
 * phase (batch_as_of). */
#ifndef JB_BATCH_H
#define JB_BATCH_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/action.h"
#include "domain/bind.h"
#include "domain/state.h"
#include "store/db.h"
#include "util/arena.h"

#define BATCH_NAME_MAX 64

struct batch_dates {
	int64_t starts, ends;     /* midnight of the first day, last second of the last day; 0: not dated */
};

struct batch {
	int64_t id, year, opens_at, closes_at, updated_at;
	const char *name;
	int phase;                /* enum batch_phase as set by hand */
	bool by_dates;
	struct batch_dates dates[PHASE_COUNT];
	/* the claim half's rules (claim.h) */
	int max_parallel;         /* teams approved in parallel on one problem (赛马), 1-3 */
	int report_day;           /* day of the month progress is reported by, 1-28 */
	int warn_days;            /* a milestone this near turns the light yellow */
	/* the evaluation half's rules (rubric.h) */
	int64_t grade_excellent, grade_good, grade_pass;  /* thresholds, hundredths */
	int excellent_cap;        /* percent of graded claims that may be 优秀; 0: no cap */
	int notice_days;          /* 公示 length in working days, 1-30 */
	int64_t midterm_on;       /* the mid-term review's date (midnight), 0: none */
};

/* 0 found, 1 no such batch, -1 store error. */
int batch_get(db *d, arena *a, int64_t tenant_id, int64_t id, struct batch *out)
	__attribute__((warn_unused_result));
/* Every batch of the tenant, newest year first. 0 or -1. */
int batch_list(db *d, arena *a, int64_t tenant_id, struct batch **out, int *n)
	__attribute__((warn_unused_result));

/* The phase the batch is in at now. */
int batch_phase_now(const struct batch *b, int64_t now);
/* The moment the batch's figures describe: the end of a closed batch (its
 * last dated phase, or closes_at), else now. */
int64_t batch_as_of(const struct batch *b, int64_t now);
/* NULL when b is in phase at now; else why doing what is refused, naming
 * the phase it is in and that phase's dates, on a: "该批次现处于“遴选”阶段
 * （2027-03-01 至 2027-03-31），不能出卷". */
const char *batch_phase_refusal(arena *a, const struct batch *b, int phase, int64_t now, const char *what);
/* The one batch in 征集 at c->now into *out (when none is named): JB_OK,
 * JB_INVALID on batch_id when none or several are collecting, or -1. */
int batch_collecting_now(struct ctx *c, struct batch *out) __attribute__((warn_unused_result));

/* A batch as sent by the form or the API. phases: dated phases. */
struct batch_phase_in {
	const char *phase;
	int64_t starts, ends;     /* dates (midnight); ends is inclusive */
};
struct batch_in {
	const char *name;
	int64_t year;
	const char *phase;
	bool by_dates;
	struct bind_list phases;  /* of struct batch_phase_in */
	int64_t max_parallel, report_day, warn_days;  /* 0: the default (1, 25, 7) */
	/* Thresholds in hundredths (bound from points), 0: the default (90,
	 * 80, 60); the cap in percent, taken as it is (0: no cap; the API's
	 * create sends 30 when it is not given); notice_days 0: 5;
	 * midterm_on 0: none. Checked by grading_check(). */
	int64_t grade_excellent, grade_good, grade_pass, excellent_cap, notice_days, midterm_on;
};
extern const struct bind_field batch_fields[];
/* The grade settings' fields, shared by the API's table and the form's. */
#define BATCH_GRADING_FIELDS \
	BIND_DECIMAL(struct batch_in, grade_excellent, "优秀分数线", 0, 2, 1, 10000), \
	BIND_DECIMAL(struct batch_in, grade_good, "良好分数线", 0, 2, 1, 10000), \
	BIND_DECIMAL(struct batch_in, grade_pass, "合格分数线", 0, 2, 1, 10000), \
	BIND_INT(struct batch_in, excellent_cap, "优秀比例上限", 0, 0, 100), \
	BIND_INT(struct batch_in, notice_days, "公示天数", 0, 1, 30), \
	BIND_DATE(struct batch_in, midterm_on, "中期评估日期", 0)

/* Verbs (batch.manage): check the rules (a name unique in the tenant, each
 * phase dated at most once, every start before its end, the phases in
 * campaign order without overlap, a phase by hand or dates to follow, the
 * grade thresholds in order: grading_check()),
 * write the batch and its phases, audit. *id is the new batch's. */
int batch_create(struct ctx *c, struct batch_in *in, int64_t *id) __attribute__((warn_unused_result));
int batch_update(struct ctx *c, int64_t id, struct batch_in *in) __attribute__((warn_unused_result));

/* "2027-03-01" in the tenant's time zone. */
const char *batch_date(arena *a, int64_t epoch);

#endif
