/* test_evaluate.c - the pure parts of domain/evaluate.h: recusal (回避) and
 * its order of reasons, and an external member's stored name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/evaluate.h"

static void a_member_of_the_task_force_is_recused_first(void **state)
{
	int64_t coops[] = { 9 };
	struct recusal_in in = { true, { 7, 7 }, 7, coops, 1 };

	assert_int_equal(recusal_of(&in), RECUSE_TEAM);
	assert_string_equal(recusal_reasons[RECUSE_TEAM], "本人是该战队成员");
}

static void the_account_or_its_person_in_the_claiming_unit_is_recused(void **state)
{
	struct recusal_in by_account = { false, { 7, 0 }, 7, NULL, 0 };
	struct recusal_in by_person = { false, { 0, 7 }, 7, NULL, 0 };
	struct recusal_in moved = { false, { 3, 7 }, 7, NULL, 0 };

	assert_int_equal(recusal_of(&by_account), RECUSE_UNIT);
	assert_int_equal(recusal_of(&by_person), RECUSE_UNIT);
	assert_int_equal(recusal_of(&moved), RECUSE_UNIT);
	assert_string_equal(recusal_reasons[RECUSE_UNIT], "本人所在单位是揭榜单位");
}

static void a_cooperating_unit_is_recused_and_others_are_not(void **state)
{
	int64_t coops[] = { 11, 12, 13 };
	struct recusal_in coop = { false, { 0, 13 }, 7, coops, 3 };
	struct recusal_in none = { false, { 14, 15 }, 7, coops, 3 };
	struct recusal_in unlinked = { false, { 0, 0 }, 7, coops, 3 };   /* an external member: no unit */

	assert_int_equal(recusal_of(&coop), RECUSE_COOP);
	assert_string_equal(recusal_reasons[RECUSE_COOP], "本人所在单位是配合单位");
	assert_int_equal(recusal_of(&none), RECUSE_NONE);
	assert_int_equal(recusal_of(&unlinked), RECUSE_NONE);
	assert_string_equal(recusal_codes[RECUSE_NONE], "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_member_of_the_task_force_is_recused_first),
		cmocka_unit_test(the_account_or_its_person_in_the_claiming_unit_is_recused),
		cmocka_unit_test(a_cooperating_unit_is_recused_and_others_are_not),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
