/* test_util.c - buffers, escaping, UTF-8 validation, number parsing, arena. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "util/arena.h"
#include "util/buf.h"
#include "util/text.h"

static void buf_grows_and_stays_nul_terminated(void **state)
{
	buf b = BUF_INIT;

	assert_string_equal(b.s, "");
	for (int i = 0; i < 1000; i++)
		buf_puts(&b, "揭榜");
	assert_int_equal(b.len, 6000);
	assert_int_equal(b.s[b.len], '\0');
	buf_printf(&b, "%d-%s", 42, "x");
	assert_string_equal(b.s + 6000, "42-x");
	buf_release(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.s, "");
}

static void buf_printf_handles_long_output(void **state)
{
	buf b = BUF_INIT;
	char big[5000];

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	buf_puts(&b, "x");
	buf_printf(&b, "%s|%s", big, big);
	assert_int_equal(b.len, 1 + 2 * 4999 + 1);
	buf_release(&b);
}

static void html_escaping_covers_every_special_character(void **state)
{
	buf b = BUF_INIT;

	buf_html(&b, "\"&'<>");
	assert_string_equal(b.s, "&quot;&amp;&#39;&lt;&gt;");
	buf_reset(&b);
	buf_html(&b, "<script>alert('缆线')</script>");
	assert_null(strchr(b.s, '<'));
	assert_non_null(strstr(b.s, "缆线"));
	buf_reset(&b);
	buf_html_n(&b, "a<b>c", 3); /* a prefix only */
	assert_string_equal(b.s, "a&lt;b");
	buf_release(&b);
}

static void json_escaping_quotes_controls_and_angle_brackets(void **state)
{
	buf b = BUF_INIT;

	buf_json_str(&b, "a\"b\\c\n\x01</script>");
	assert_string_equal(b.s, "\"a\\\"b\\\\c\\n\\u0001\\u003c/script>\"");
	buf_release(&b);
}

static void url_encoding_keeps_only_unreserved(void **state)
{
	buf b = BUF_INIT;

	buf_url(&b, "缆线 a&b=c");
	assert_string_equal(b.s, "%E7%BC%86%E7%BA%BF%20a%26b%3Dc");
	buf_release(&b);
}

static void grouped_integers(void **state)
{
	buf b = BUF_INIT;

	buf_int_grouped(&b, 164000000);
	assert_string_equal(b.s, "164,000,000");
	buf_reset(&b);
	buf_int_grouped(&b, -1234);
	assert_string_equal(b.s, "-1,234");
	buf_reset(&b);
	buf_int_grouped(&b, 999);
	assert_string_equal(b.s, "999");
	buf_release(&b);
}

static void utf8_validation_rejects_malformed_input(void **state)
{
	assert_true(utf8_valid("揭榜挂帅 abc", strlen("揭榜挂帅 abc")));
	assert_false(utf8_valid("\xff", 1));
	assert_false(utf8_valid("\xc0\xaf", 2));         /* overlong '/' */
	assert_false(utf8_valid("\xed\xa0\x80", 3));     /* surrogate */
	assert_false(utf8_valid("\xe7\xbc", 2));         /* truncated */
	assert_false(utf8_valid("a\0b", 3));             /* NUL */
	assert_false(utf8_valid("a\x1b[31m", 6));        /* escape sequence */
	assert_true(utf8_valid("line\nnext\ttab", 13));
	assert_int_equal(utf8_len("缆线ab"), 4);
}

static void integers_parse_within_bounds_only(void **state)
{
	int64_t v;

	assert_int_equal(parse_int("42", 1, 100, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(parse_int("0", 1, 100, &v), -1);
	assert_int_equal(parse_int("-1", 1, 100, &v), -1);
	assert_int_equal(parse_int("101", 1, 100, &v), -1);
	assert_int_equal(parse_int("4x", 1, 100, &v), -1);
	assert_int_equal(parse_int("", 1, 100, &v), -1);
	assert_int_equal(parse_int(" 4", 1, 100, &v), -1);
	assert_int_equal(parse_int("99999999999999999999999", 1, INT64_MAX, &v), -1);
}

static int cleanup_runs;
static void count_cleanup(void *p)
{
	cleanup_runs += *(int *)p;
}

static void arena_allocates_aligned_zeroed_memory_and_runs_cleanups(void **state)
{
	arena *a = arena_new();
	static int one = 1;

	for (int i = 0; i < 2000; i++) {
		unsigned char *p = arena_alloc(a, (size_t)(i % 97) + 1);
		assert_int_equal((uintptr_t)p % 16, 0);
		for (int k = 0; k < i % 97 + 1; k++)
			assert_int_equal(p[k], 0);
		memset(p, 0xab, (size_t)(i % 97) + 1);
	}
	char *big = arena_alloc(a, 100000);
	big[99999] = 1;
	assert_string_equal(arena_printf(a, "%s-%d", "题", 7), "题-7");
	arena_defer(a, count_cleanup, &one);
	arena_defer(a, count_cleanup, &one);
	cleanup_runs = 0;
	arena_free(a);
	assert_int_equal(cleanup_runs, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(buf_grows_and_stays_nul_terminated),
		cmocka_unit_test(buf_printf_handles_long_output),
		cmocka_unit_test(html_escaping_covers_every_special_character),
		cmocka_unit_test(json_escaping_quotes_controls_and_angle_brackets),
		cmocka_unit_test(url_encoding_keeps_only_unreserved),
		cmocka_unit_test(grouped_integers),
		cmocka_unit_test(utf8_validation_rejects_malformed_input),
		cmocka_unit_test(integers_parse_within_bounds_only),
		cmocka_unit_test(arena_allocates_aligned_zeroed_memory_and_runs_cleanups),
	};
	return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
