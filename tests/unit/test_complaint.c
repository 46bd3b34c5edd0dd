/* test_complaint.c - reference numbers of the complaint channel
 * (domain/complaint.h): what a resident types is read back the same way
 * however it is cased or spaced, and anything that cannot be one is no
 * reference (the lookup then answers "not found" without a query). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/complaint.h"
#include "util/arena.h"

static void a_typed_reference_is_normalised(void **state)
{
	arena *a = arena_new();

	assert_string_equal(complaint_ref_normal(a, "TS20270315-7KQ3MZ9P"), "TS20270315-7KQ3MZ9P");
	assert_string_equal(complaint_ref_normal(a, "  ts20270315-7kq3mz9p\t"), "TS20270315-7KQ3MZ9P");
	assert_int_equal(strlen(complaint_ref_normal(a, "TS20270315-23456789")), COMPLAINT_REF_LEN);
	arena_free(a);
}

static void what_cannot_be_a_reference_is_none(void **state)
{
	static const char *const bad[] = {
		NULL, "", "TS20270315-7KQ3MZ9", "TS20270315-7KQ3MZ9PX", "XS20270315-7KQ3MZ9P",
		"TS2027031X-7KQ3MZ9P", "TS20270315_7KQ3MZ9P", "TS20270315-7KQ3MZ0P", /* 0 */
		"TS20270315-7KQ3MZOP", /* O */ "TS20270315-7KQ3MZ1P", /* 1 */ "TS20270315-7KQ3MZIP", /* I */
		"TS20270315-7KQ3 Z9P", "TS20270315-7KQ3MZ9\xe4", "TS20270315 7KQ3MZ9P",
	};
	arena *a = arena_new();

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (complaint_ref_normal(a, bad[i]))
			fail_msg("'%s' read as a reference", bad[i] ? bad[i] : "(null)");
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_typed_reference_is_normalised),
		cmocka_unit_test(what_cannot_be_a_reference_is_none),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
