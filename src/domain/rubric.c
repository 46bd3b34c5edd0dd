/* rubric.c - the evaluation arithmetic and a batch's rubric (rubric.h). */
#include "domain/rubric.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "util/text.h"

const struct label grades[] = {
	{ "excellent", "优秀" },
	{ "good", "良好" },
	{ "pass", "合格" },
	{ "fail", "不合格" },
	{ NULL, NULL },
};

const struct label eval_stages[] = {
	{ "final", "考评验收" },
	{ "midterm", "中期评估" },
	{ NULL, NULL },
};

#define P(x) ((int64_t)(x) * 100)   /* points to hundredths */

static const struct criterion final_default[] = {
	{ 0, "完成情况", "对照军令状目标和节点计划的完成程度", 40, P(100), 5, {
		{ "全面完成或提前完成", P(100) },
		{ "完成 90% 以上", P(90) },
		{ "完成 50%–90%", P(70) },
		{ "完成 20%–50%", P(40) },
		{ "完成不足 20%", 0 },
	} },
	{ 0, "工作成效", "群众和服务对象看得见、感受得到的实际效果，以及持续时间", 30, P(100), 0, { { 0 } } },
	{ 0, "创新性", "破题思路、方法和机制的创新程度，以及攻坚难度和协同单位数量", 15, P(100), 0, { { 0 } } },
	{ 0, "可复制推广", "做法能否总结为经验、在其他地方或领域推广", 15, P(100), 0, { { 0 } } },
};

static const struct criterion midterm_default[] = {
	{ 0, "进度完成情况", "对照节点计划，截至评估日的完成程度", 60, P(100), 4, {
		{ "按计划推进或超前", P(100) },
		{ "略有滞后", P(80) },
		{ "明显滞后", P(50) },
		{ "严重滞后或停滞", 0 },
	} },
	{ 0, "工作成效", "已经取得的阶段性成效", 40, P(100), 0, { { 0 } } },
};

bool rubric_default(const char *stage, struct rubric *r)
{
	const struct criterion *src;
	int n;

	if (stage && !strcmp(stage, "final")) {
		src = final_default;
		n = (int)(sizeof(final_default) / sizeof(final_default[0]));
	} else if (stage && !strcmp(stage, "midterm")) {
		src = midterm_default;
		n = (int)(sizeof(midterm_default) / sizeof(midterm_default[0]));
	} else {
		return false;
	}
	memset(r, 0, sizeof(*r));
	r->n = n;
	memcpy(r->c, src, (size_t)n * sizeof(*src));
	r->is_default = true;
	return true;
}

static const char *criterion_check(const struct criterion *c)
{
	if (!c->name || !*c->name)
		return "请填写评分项名称";
	if (utf8_len(c->name) > RUBRIC_NAME_MAX)
		return "评分项名称不能超过 40 个字";
	if (c->description && utf8_len(c->description) > RUBRIC_TEXT_MAX)
		return "评分说明不能超过 500 个字";
	if (c->weight <= 0 || c->weight > 100)
		return "权重须为 1 到 100 的整数";
	if (c->max <= 0 || c->max > RUBRIC_SCORE_MAX)
		return "满分须大于 0，且不超过 1000 分";
	if (c->nbands < 0 || c->nbands > RUBRIC_BANDS_MAX || c->nbands == 1)
		return "分档须为 2 到 8 档，或不分档";
	for (int j = 0; j < c->nbands; j++) {
		const struct band *b = &c->bands[j];
		if (!b->label || !*b->label || utf8_len(b->label) > RUBRIC_NAME_MAX)
			return "请填写每一档的名称（不超过 40 个字）";
		if (b->score < 0 || b->score > c->max)
			return "每一档的分数须在 0 到满分之间";
		if (j > 0 && b->score >= c->bands[j - 1].score)
			return "分档须从高分到低分排列，分数各不相同";
	}
	return NULL;
}

const char *rubric_check(const struct rubric *r, int *at)
{
	int sum = 0;

	*at = -1;
	if (r->n < 1 || r->n > RUBRIC_CRITERIA_MAX)
		return "评分标准须有 1 到 12 个评分项";
	for (int i = 0; i < r->n; i++) {
		const char *why = criterion_check(&r->c[i]);
		*at = i;
		if (why)
			return why;
		for (int k = 0; k < i; k++)
			if (!strcmp(r->c[k].name, r->c[i].name))
				return "评分项名称重复";
		sum += r->c[i].weight;
	}
	*at = -1;
	if (sum != 100)
		return "各评分项的权重合计须为 100";
	return NULL;
}

const char *rubric_score_check(const struct criterion *c, int64_t score)
{
	if (score < 0 || score > c->max)
		return "分数须在 0 到满分之间";
	if (c->nbands == 0)
		return NULL;
	for (int j = 0; j < c->nbands; j++)
		if (c->bands[j].score == score)
			return NULL;
	return "请选择一档";
}

bool rubric_needs_comment(const struct criterion *c, int64_t score, const struct grading *g)
{
	if (c->nbands > 0)
		return score <= c->bands[c->nbands - 1].score;
	/* below pass/10000 of the maximum: score * 10000 < pass * max */
	return score * 10000 < g->pass * c->max;
}

int64_t rubric_total(const struct rubric *r, const int64_t *scores)
{
	int64_t sum = 0;   /* in 10^-4 hundredths: at most 100 * 10^6 * 10000 / 1 < 2^63 */

	for (int i = 0; i < r->n; i++)
		sum += (int64_t)r->c[i].weight * scores[i] * 1000000 / r->c[i].max;
	return (sum + 5000) / 10000;
}

/* n / d rounded half up, for n >= 0 and d > 0. */
static int64_t div_round(int64_t n, int64_t d)
{
	return (2 * n + d) / (2 * d);
}

void rubric_aggregate(const int64_t *totals, int n, struct aggregate *out)
{
	int64_t sum = 0, hi = 0, lo = 0;

	memset(out, 0, sizeof(*out));
	out->n = n;
	if (n <= 0)
		return;
	hi = lo = totals[0];
	for (int i = 0; i < n; i++) {
		sum += totals[i];
		if (totals[i] > hi)
			hi = totals[i];
		if (totals[i] < lo)
			lo = totals[i];
	}
	out->used = n;
	if (n >= 5) {
		sum -= hi + lo;
		out->used = n - 2;
		out->trimmed = true;
	}
	out->score = div_round(sum, out->used);
}

int grade_of(const struct grading *g, int64_t score)
{
	if (score >= g->excellent)
		return GRADE_EXCELLENT;
	if (score >= g->good)
		return GRADE_GOOD;
	if (score >= g->pass)
		return GRADE_PASS;
	return GRADE_FAIL;
}

bool grade_over_cap(const struct grading *g, int excellent, int graded)
{
	return g->cap > 0 && graded > 0 && (int64_t)excellent * 100 > (int64_t)g->cap * graded;
}

const char *grading_check(const struct grading *g)
{
	if (g->pass < 0 || g->pass > g->good || g->good > g->excellent || g->excellent > 10000)
		return "等次分数线须满足：0 ≤ 合格 ≤ 良好 ≤ 优秀 ≤ 100";
	if (g->cap < 0 || g->cap > 100)
		return "优秀比例上限须在 0 到 100 之间（0 表示不限）";
	return NULL;
}

const char *score_format(int64_t v, char *buf, size_t len)
{
	const char *sign = v < 0 ? "-" : "";
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	snprintf(buf, len, "%s%" PRIu64 ".%02" PRIu64, sign, u / 100, u % 100);
	return buf;
}

/* ---- the store ---- */

static const char criteria_sql[] =
	"SELECT id, name, description, weight, max_score FROM rubric_criterion"
	" WHERE tenant_id = $1 AND batch_id = $2 AND stage = $3 ORDER BY position, id";
static const char bands_sql[] =
	"SELECT label, score FROM rubric_band WHERE tenant_id = $1 AND criterion_id = $2 ORDER BY position";

static int bands_load(db *d, arena *a, int64_t tenant_id, struct criterion *c)
{
	db_stmt *st = db_query(d, bands_sql, "ii", tenant_id, c->id);
	int rc;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW && c->nbands < RUBRIC_BANDS_MAX) {
		c->bands[c->nbands].label = arena_strdup(a, db_col_text(st, 0));
		c->bands[c->nbands++].score = db_col_int(st, 1);
	}
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

int rubric_load(db *d, arena *a, int64_t tenant_id, int64_t batch_id, const char *stage, struct rubric *r)
{
	db_stmt *st = db_query(d, criteria_sql, "iis", tenant_id, batch_id, stage);
	int rc;

	memset(r, 0, sizeof(*r));
	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW && r->n < RUBRIC_CRITERIA_MAX) {
		struct criterion *c = &r->c[r->n++];
		c->id = db_col_int(st, 0);
		c->name = arena_strdup(a, db_col_text(st, 1));
		c->description = arena_strdup(a, db_col_text(st, 2));
		c->weight = (int)db_col_int(st, 3);
		c->max = db_col_int(st, 4);
	}
	db_done(st);
	if (rc == DB_ERROR)
		return -1;
	if (r->n == 0)
		return rubric_default(stage, r) ? 0 : -1;
	for (int i = 0; i < r->n; i++)
		if (bands_load(d, a, tenant_id, &r->c[i]) < 0)
			return -1;
	return 0;
}

static const char grading_sql[] =
	"SELECT grade_excellent, grade_good, grade_pass, excellent_cap FROM batch WHERE tenant_id = $1 AND id = $2";

int grading_load(db *d, int64_t tenant_id, int64_t batch_id, struct grading *g)
{
	db_stmt *st = db_query(d, grading_sql, "ii", tenant_id, batch_id);
	int rc;

	*g = GRADING_DEFAULT;
	if (!st)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW) {
		g->excellent = db_col_int(st, 0);
		g->good = db_col_int(st, 1);
		g->pass = db_col_int(st, 2);
		g->cap = (int)db_col_int(st, 3);
	}
	db_done(st);
	return rc == DB_ERROR ? -1 : rc == DB_ROW ? 0 : 1;
}
