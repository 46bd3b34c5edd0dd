/* test_export.c - the exports' pure helpers (domain/export.h): CSV quoting
 * (RFC 4180), formula neutralisation of text but not of numbers, cell
 * text by type, the header with its BOM, display widths of Chinese text,
 * and the list table (the ledger's 19 columns, who sees the phone). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/export.h"

/* A cursor over two columns, text and type t, as export_open() builds. */
static struct export_cursor two(enum export_type t)
{
	static struct export_col text = { "文本", EXPORT_TEXT }, other;
	struct export_cursor c = { 0 };

	other = (struct export_col){ "值", t };
	c.ncols = 2;
	c.cols[0] = &text;
	c.cols[1] = &other;
	return c;
}

static const char *line(enum export_type t, const char *s, int64_t i, bool empty)
{
	static buf b = BUF_INIT;
	struct export_cursor c = two(t);
	struct export_cell cells[2] = { { !*s, 0, s }, { empty, i, "" } };

	buf_reset(&b);
	export_csv_row(&b, &c, cells);
	return b.s;
}

static void csv_fields_are_quoted_as_rfc4180_asks(void **state)
{
	assert_string_equal(line(EXPORT_INT, "缆线整治", 5, false), "缆线整治,5\r\n");
	assert_string_equal(line(EXPORT_INT, "a,b", 5, false), "\"a,b\",5\r\n");
	assert_string_equal(line(EXPORT_INT, "说\"好\"", 5, false), "\"说\"\"好\"\"\",5\r\n");
	assert_string_equal(line(EXPORT_INT, "两行\n文字", 5, false), "\"两行\n文字\",5\r\n");
	assert_string_equal(line(EXPORT_INT, "", 0, true), ",\r\n");
}

static void formula_looking_text_is_neutralised_but_numbers_are_not(void **state)
{
	assert_string_equal(line(EXPORT_INT, "=1+1", -5, false), "\"'=1+1\",-5\r\n");
	assert_string_equal(line(EXPORT_INT, "+86 139", 0, false), "\"'+86 139\",0\r\n");
	assert_string_equal(line(EXPORT_INT, "-2", 0, false), "\"'-2\",0\r\n");
	assert_string_equal(line(EXPORT_INT, "@SUM(A1)", 0, false), "\"'@SUM(A1)\",0\r\n");
	assert_string_equal(line(EXPORT_INT, "\tx", 0, false), "\"'\tx\",0\r\n");
	assert_string_equal(line(EXPORT_INT, "\rx", 0, false), "\"'\rx\",0\r\n");
	assert_string_equal(line(EXPORT_POINTS, "a=b", -250, false), "a=b,-2.50\r\n");
	assert_true(export_formula_like("=HYPERLINK(\"x\")"));
	assert_false(export_formula_like("１=1"));
	assert_false(export_formula_like(""));
}

static void cells_are_written_by_type(void **state)
{
	/* 2022-12-31 00:00 in Asia/Shanghai is 2022-12-30 16:00 UTC */
	assert_string_equal(line(EXPORT_DATE, "x", 1672416000, false), "x,2022-12-31\r\n");
	assert_string_equal(line(EXPORT_DATETIME, "x", 1672416000 + 9 * 3600 + 5 * 60, false), "x,2022-12-31 09:05\r\n");
	assert_string_equal(line(EXPORT_POINTS, "x", 9250, false), "x,92.50\r\n");
	assert_string_equal(line(EXPORT_MONEY, "x", 500000000, false), "x,5000000.00\r\n");
	assert_string_equal(line(EXPORT_MONEY, "x", 7, false), "x,0.07\r\n");
	assert_string_equal(line(EXPORT_DATE, "x", 0, true), "x,\r\n");
}

static void the_header_starts_with_a_bom(void **state)
{
	struct export_cursor c = two(EXPORT_INT);
	buf b = BUF_INIT;

	export_csv_header(&b, &c, true);
	assert_string_equal(b.s, "\xef\xbb\xbf文本,值\r\n");
	buf_release(&b);
}

static void widths_count_chinese_characters_twice(void **state)
{
	assert_int_equal(export_width("abc"), 3);
	assert_int_equal(export_width("台账"), 4);
	assert_int_equal(export_width("编号12"), 6);
	assert_int_equal(export_width("长一点的第一行\n短"), 14);
	assert_int_equal(export_width("（全角）"), 8);
	assert_int_equal(export_width(""), 0);
}

static void the_ledger_has_its_19_columns_and_phones_go_to_admins_only(void **state)
{
	const struct export_list *l = export_find("ledger");
	struct principal admin = { .tenant_id = 1, .user_id = 1, .roles = ROLE_ADMIN };
	struct principal leader = { .tenant_id = 1, .user_id = 2, .roles = ROLE_LEADER };
	struct export_cursor c;
	int n = 0;

	assert_non_null(l);
	export_open(&c, l, &leader, 1, 0);
	assert_int_equal(c.ncols, 19);
	assert_string_equal(c.cols[0]->header, "编号");
	assert_string_equal(c.cols[18]->header, "公示状态");
	assert_null(export_find("nothing"));
	for (const struct export_list *x; (x = export_at(n)); n++)
		;
	assert_int_equal(n, 12);
	l = export_find("problems");
	assert_true(export_is_board(l));
	assert_null(export_perm(l));
	export_open(&c, l, &leader, 1, 0);
	for (int i = 0; i < c.ncols; i++)
		assert_string_not_equal(c.cols[i]->header, "联系电话");
	export_open(&c, l, &admin, 1, 0);
	assert_string_equal(c.cols[c.ncols - 1]->header, "联系电话");
	assert_string_equal(export_perm_also(export_find("audit")), "audit.read");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(csv_fields_are_quoted_as_rfc4180_asks),
		cmocka_unit_test(formula_looking_text_is_neutralised_but_numbers_are_not),
		cmocka_unit_test(cells_are_written_by_type),
		cmocka_unit_test(the_header_starts_with_a_bom),
		cmocka_unit_test(widths_count_chinese_characters_twice),
		cmocka_unit_test(the_ledger_has_its_19_columns_and_phones_go_to_admins_only),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
