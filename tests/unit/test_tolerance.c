/* test_tolerance.c - the rule of failure of domain/tolerance.h: which
 * claims may apply for fault tolerance (退榜 after working, 不合格,
 * a deadline passed without a solve) and which may not. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/state.h"
#include "domain/tolerance.h"

#define T0 INT64_C(1700000000)
#define DAY INT64_C(86400)

static struct failure_in claim(int state)
{
	return (struct failure_in){ .state = state, .approved_at = T0 - 60 * DAY, .signed_at = T0 - 50 * DAY,
				    .deadline = T0 + 30 * DAY, .as_of = T0, .grade = "" };
}

static void a_withdrawal_fails_only_after_the_claim_was_approved(void **state)
{
	struct failure_in in = claim(CLAIM_WITHDRAWN);

	in.closed_at = T0 - DAY;
	assert_int_equal(tolerance_failure(&in), FAILURE_WITHDRAWN);
	in.signed_at = 0;
	assert_int_equal(tolerance_failure(&in), FAILURE_WITHDRAWN);
	in.approved_at = 0;
	assert_int_equal(tolerance_failure(&in), FAILURE_NONE);  /* an application withdrawn */
	in = claim(CLAIM_WITHDRAWN);
	assert_int_equal(tolerance_failure(&in), FAILURE_NONE);  /* not closed */
}

static void a_fail_grade_fails_and_other_grades_do_not(void **state)
{
	struct failure_in in = claim(CLAIM_ACCEPTED);

	in.grade = "fail";
	assert_int_equal(tolerance_failure(&in), FAILURE_GRADED);
	in.grade = "pass";
	assert_int_equal(tolerance_failure(&in), FAILURE_NONE);
	in.grade = "";
	assert_int_equal(tolerance_failure(&in), FAILURE_NONE);
}

static void a_working_claim_fails_once_its_deadline_is_before_the_as_of_moment(void **state)
{
	struct failure_in in = claim(CLAIM_SIGNED);

	assert_int_equal(tolerance_failure(&in), FAILURE_NONE);
	in.deadline = T0;
	assert_int_equal(tolerance_failure(&in), FAILURE_NONE);  /* due now: not yet passed */
	in.deadline = T0 - 1;
	assert_int_equal(tolerance_failure(&in), FAILURE_OVERDUE);
	in.state = CLAIM_APPROVED;
	assert_int_equal(tolerance_failure(&in), FAILURE_OVERDUE);
	in.state = CLAIM_SOLVED;   /* solved late: not a failure */
	assert_int_equal(tolerance_failure(&in), FAILURE_NONE);
	in = claim(CLAIM_SIGNED);
	in.deadline = 0;           /* no deadline */
	assert_int_equal(tolerance_failure(&in), FAILURE_NONE);
}

static void pending_and_closed_applications_never_fail(void **state)
{
	int states[] = { CLAIM_ENDORSING, CLAIM_APPLIED, CLAIM_ASSIGNED, CLAIM_REJECTED, CLAIM_DECLINED };

	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
		struct failure_in in = claim(states[i]);
		in.deadline = T0 - DAY;
		assert_int_equal(tolerance_failure(&in), FAILURE_NONE);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_withdrawal_fails_only_after_the_claim_was_approved),
		cmocka_unit_test(a_fail_grade_fails_and_other_grades_do_not),
		cmocka_unit_test(a_working_claim_fails_once_its_deadline_is_before_the_as_of_moment),
		cmocka_unit_test(pending_and_closed_applications_never_fail),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
