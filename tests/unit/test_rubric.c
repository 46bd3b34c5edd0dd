/* test_rubric.c - the evaluation arithmetic of domain/rubric.h: weights,
 * bands, totals, trimming at 4, 5 and 9 evaluators, thresholds at their
 * exact boundaries, ties, the 优秀 cap, and the checks of a rubric. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/rubric.h"

static void the_default_rubrics_are_well_formed(void **state)
{
	struct rubric r;
	int at;

	assert_true(rubric_default("final", &r));
	assert_int_equal(r.n, 4);
	assert_string_equal(r.c[0].name, "完成情况");
	assert_int_equal(r.c[0].weight, 40);
	assert_int_equal(r.c[1].weight, 30);
	assert_int_equal(r.c[2].weight, 15);
	assert_int_equal(r.c[3].weight, 15);
	assert_int_equal(r.c[0].nbands, 5);
	assert_int_equal(r.c[0].bands[4].score, 0);
	assert_null(rubric_check(&r, &at));
	assert_true(rubric_default("midterm", &r));
	assert_null(rubric_check(&r, &at));
	assert_false(rubric_default("yearly", &r));
}

static void a_total_weighs_each_criterion_by_its_maximum(void **state)
{
	struct rubric r;
	int64_t s[RUBRIC_CRITERIA_MAX];

	assert_true(rubric_default("final", &r));
	/* 40 * 0.9 + 30 * 0.8 + 15 * 0.7 + 15 * 0.6 = 36 + 24 + 10.5 + 9 */
	s[0] = 9000, s[1] = 8000, s[2] = 7000, s[3] = 6000;
	assert_int_equal(rubric_total(&r, s), 7950);
	s[0] = 10000, s[1] = 10000, s[2] = 10000, s[3] = 10000;
	assert_int_equal(rubric_total(&r, s), 10000);
	s[0] = 0, s[1] = 0, s[2] = 0, s[3] = 0;
	assert_int_equal(rubric_total(&r, s), 0);
	/* maxima other than 100: 完成情况 out of 40 points, the rest out of 20 */
	r.c[0].max = 4000, r.c[0].nbands = 0;
	r.c[1].max = 2000, r.c[2].max = 2000, r.c[3].max = 2000;
	s[0] = 3000, s[1] = 1500, s[2] = 2000, s[3] = 1000;
	/* 40 * 0.75 + 30 * 0.75 + 15 * 1 + 15 * 0.5 = 30 + 22.5 + 15 + 7.5 */
	assert_int_equal(rubric_total(&r, s), 7500);
	/* a third of the maximum: 15 * 100 / 300 = 5 points */
	r.n = 2;
	r.c[0].weight = 85, r.c[0].max = 10000;
	r.c[1].weight = 15, r.c[1].max = 300;
	s[0] = 0, s[1] = 100;
	assert_int_equal(rubric_total(&r, s), 500);
	/* half a hundredth rounds up: 50 * 0.0001 = 0.005 points */
	r.c[0].weight = 50, r.c[1].weight = 50, r.c[1].max = 10000;
	s[0] = 1, s[1] = 0;
	assert_int_equal(rubric_total(&r, s), 1);
}

static void bands_fix_the_scores_and_the_lowest_needs_a_comment(void **state)
{
	struct rubric r;
	struct grading g = GRADING_DEFAULT;

	assert_true(rubric_default("final", &r));
	assert_null(rubric_score_check(&r.c[0], 9000));
	assert_non_null(rubric_score_check(&r.c[0], 9500));
	assert_non_null(rubric_score_check(&r.c[0], -1));
	assert_non_null(rubric_score_check(&r.c[1], 10001));
	assert_null(rubric_score_check(&r.c[1], 9550));
	assert_true(rubric_needs_comment(&r.c[0], 0, &g));
	assert_false(rubric_needs_comment(&r.c[0], 4000, &g));
	/* unbanded: below 60% of the maximum */
	assert_true(rubric_needs_comment(&r.c[1], 5999, &g));
	assert_false(rubric_needs_comment(&r.c[1], 6000, &g));
}

static void trimming_starts_at_five_evaluators(void **state)
{
	struct aggregate a;
	const int64_t four[] = { 9000, 8000, 7000, 10000 };
	const int64_t five[] = { 9000, 8000, 7000, 10000, 5000 };
	const int64_t nine[] = { 9100, 8800, 9000, 6000, 9900, 8500, 8700, 9200, 8900 };

	rubric_aggregate(four, 4, &a);
	assert_int_equal(a.n, 4);
	assert_int_equal(a.used, 4);
	assert_false(a.trimmed);
	assert_int_equal(a.score, 8500);
	rubric_aggregate(five, 5, &a);
	assert_true(a.trimmed);
	assert_int_equal(a.used, 3);
	assert_int_equal(a.score, 8000);   /* (9000 + 8000 + 7000) / 3 */
	rubric_aggregate(nine, 9, &a);
	assert_true(a.trimmed);
	assert_int_equal(a.used, 7);
	/* without 9900 and 6000: 62200 / 7 = 8885.71 -> 8886 */
	assert_int_equal(a.score, 8886);
	/* the same highest twice: only one is dropped */
	const int64_t twice[] = { 9000, 9000, 8000, 8000, 7000 };
	rubric_aggregate(twice, 5, &a);
	assert_int_equal(a.score, 8333);   /* (9000 + 8000 + 8000) / 3 = 8333.33 */
	rubric_aggregate(NULL, 0, &a);
	assert_int_equal(a.n, 0);
	assert_int_equal(a.score, 0);
	/* rounding half up: (1 + 2) / 2 = 1.5 hundredths -> 2 */
	const int64_t halves[] = { 1, 2 };
	rubric_aggregate(halves, 2, &a);
	assert_int_equal(a.score, 2);
}

static void grades_at_their_exact_boundaries_and_ties(void **state)
{
	struct grading g = GRADING_DEFAULT;

	assert_int_equal(grade_of(&g, 9000), GRADE_EXCELLENT);
	assert_int_equal(grade_of(&g, 8999), GRADE_GOOD);
	assert_int_equal(grade_of(&g, 8000), GRADE_GOOD);
	assert_int_equal(grade_of(&g, 7999), GRADE_PASS);
	assert_int_equal(grade_of(&g, 6000), GRADE_PASS);
	assert_int_equal(grade_of(&g, 5999), GRADE_FAIL);
	assert_int_equal(grade_of(&g, 0), GRADE_FAIL);
	assert_int_equal(grade_of(&g, 10000), GRADE_EXCELLENT);
	/* ties are ties: equal aggregates get the same grade */
	assert_int_equal(grade_of(&g, 8550), grade_of(&g, 8550));
	g.excellent = 9500, g.good = 8500, g.pass = 7000;
	assert_int_equal(grade_of(&g, 9000), GRADE_GOOD);
	assert_int_equal(grade_of(&g, 6999), GRADE_FAIL);
	assert_string_equal(grades[GRADE_EXCELLENT].zh, "优秀");
	assert_string_equal(grades[GRADE_FAIL].zh, "不合格");
}

static void the_excellent_cap_warns_only_above_its_share(void **state)
{
	struct grading g = GRADING_DEFAULT;   /* 30% */

	assert_false(grade_over_cap(&g, 3, 10));
	assert_true(grade_over_cap(&g, 4, 10));
	assert_false(grade_over_cap(&g, 0, 0));
	assert_true(grade_over_cap(&g, 1, 1));
	g.cap = 0;
	assert_false(grade_over_cap(&g, 10, 10));
	g.cap = 100;
	assert_false(grade_over_cap(&g, 10, 10));
}

static void malformed_rubrics_and_thresholds_are_refused(void **state)
{
	struct rubric r;
	struct grading g = GRADING_DEFAULT;
	int at;

	assert_true(rubric_default("final", &r));
	r.c[3].weight = 10;
	assert_string_equal(rubric_check(&r, &at), "各评分项的权重合计须为 100");
	assert_int_equal(at, -1);
	r.c[3].weight = 15;
	r.c[2].name = "完成情况";
	assert_string_equal(rubric_check(&r, &at), "评分项名称重复");
	assert_int_equal(at, 2);
	r.c[2].name = "";
	assert_non_null(rubric_check(&r, &at));
	r.c[2].name = "创新性";
	r.c[0].bands[1].score = 10000;   /* not below the band above it */
	assert_non_null(rubric_check(&r, &at));
	assert_int_equal(at, 0);
	r.c[0].bands[1].score = 9000;
	r.c[1].max = 0;
	assert_non_null(rubric_check(&r, &at));
	r.c[1].max = 10000;
	assert_null(rubric_check(&r, &at));
	r.n = 0;
	assert_non_null(rubric_check(&r, &at));
	assert_null(grading_check(&g));
	g.good = 9100;
	assert_non_null(grading_check(&g));
	g = GRADING_DEFAULT;
	g.cap = 101;
	assert_non_null(grading_check(&g));
}

static void scores_print_with_two_decimals(void **state)
{
	char b[24];

	assert_string_equal(score_format(8886, b, sizeof(b)), "88.86");
	assert_string_equal(score_format(9000, b, sizeof(b)), "90.00");
	assert_string_equal(score_format(5, b, sizeof(b)), "0.05");
	assert_string_equal(score_format(0, b, sizeof(b)), "0.00");
	assert_string_equal(score_format(-150, b, sizeof(b)), "-1.50");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_default_rubrics_are_well_formed),
		cmocka_unit_test(a_total_weighs_each_criterion_by_its_maximum),
		cmocka_unit_test(bands_fix_the_scores_and_the_lowest_needs_a_comment),
		cmocka_unit_test(trimming_starts_at_five_evaluators),
		cmocka_unit_test(grades_at_their_exact_boundaries_and_ties),
		cmocka_unit_test(the_excellent_cap_warns_only_above_its_share),
		cmocka_unit_test(malformed_rubrics_and_thresholds_are_refused),
		cmocka_unit_test(scores_print_with_two_decimals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
