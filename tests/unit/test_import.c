/* test_import.c - the table reader (util/table.h): CSV with a BOM, GBK,
 * quoted newlines, lone CRs ending lines, bad lines (NUL, invalid UTF-8,
 * over 64 KiB, unclosed quotes) refused at their line while the others
 * are read; XLSX with shared and inline strings and sparse cells, formula
 * cells, zip bombs (the sheet, the shared strings) and a DTD; and the
 * hash map imports use. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "util/buf.h"
#include "util/strmap.h"
#include "util/table.h"

static char dir[] = "/tmp/jb-test-import-XXXXXX";

/* The rows read, one a line: "N:a|b|c" or "N!reason@cell". */
static int collect(void *ud, const struct table_row *row)
{
	buf *b = ud;

	if (row->bad) {
		buf_printf(b, "%lld!%s@%d\n", (long long)row->line, row->bad, row->bad_cell);
		return 0;
	}
	buf_printf(b, "%lld:", (long long)row->line);
	for (int i = 0; i < row->ncells; i++)
		buf_printf(b, "%s%s", i ? "|" : "", row->cells[i]);
	buf_putc(b, '\n');
	return 0;
}

static const char *write_file(const char *name, const void *bytes, size_t n)
{
	static char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(bytes, 1, n, f), n);
	fclose(f);
	return path;
}

/* Read path: the rows as collect() writes them, the result in *rc and
 * the error (if any) in why. */
static char *read_all(const char *path, int *rc, struct table_info *info, char *why, size_t whylen)
{
	buf b = BUF_INIT;
	int64_t line;

	why[0] = 0;
	*rc = table_read(path, collect, &b, info, why, whylen, &line);
	buf_putc(&b, 0);
	return buf_detach(&b, NULL);
}

static void csv_with_a_bom_keeps_quoted_newlines_and_numbers_lines_as_an_editor_does(void **state)
{
	static const char csv[] = "\xEF\xBB\xBF名称,说明\n甲,\"多\n行\"\n\n乙,\"引号\"\"里\"\r\n";
	struct table_info info;
	char why[256];
	int rc;
	char *out = read_all(write_file("bom.csv", csv, sizeof(csv) - 1), &rc, &info, why, sizeof(why));

	assert_int_equal(rc, 0);
	assert_string_equal(info.encoding, "UTF-8 (BOM)");
	assert_string_equal(out, "1:名称|说明\n2:甲|多\n行\n5:乙|引号\"里\n");
	free(out);
}

static void gbk_is_detected_and_converted(void **state)
{
	char in[] = "姓名,单位\n张三,县委办\n李四,城关镇\n", gbk[256], *ip = in, *op = gbk;
	size_t il = strlen(in), ol = sizeof(gbk);
	iconv_t cd = iconv_open("GBK", "UTF-8");
	struct table_info info;
	char why[256];
	int rc;

	assert_true(cd != (iconv_t)-1);
	assert_int_not_equal(iconv(cd, &ip, &il, &op, &ol), (size_t)-1);
	iconv_close(cd);
	char *out = read_all(write_file("gbk.csv", gbk, sizeof(gbk) - ol), &rc, &info, why, sizeof(why));
	assert_int_equal(rc, 0);
	assert_string_equal(info.encoding, "GBK");
	assert_string_equal(out, "1:姓名|单位\n2:张三|县委办\n3:李四|城关镇\n");
	free(out);
}

static void bad_lines_are_refused_at_their_line_and_the_rest_is_read(void **state)
{
	buf b = BUF_INIT;
	struct table_info info;
	char why[256];
	int rc;

	buf_puts(&b, "a,b\n甲,乙\n");
	buf_add(&b, "x\0y,z\n", 6);                       /* line 3: NUL */
	buf_puts(&b, "bad\xC3\x28,z\n");                   /* line 4: invalid UTF-8 */
	for (int i = 0; i < 70 * 1024; i++)                /* line 5: over 64 KiB */
		buf_putc(&b, 'x');
	buf_puts(&b, ",z\n丙,丁\n");                       /* line 6: read */
	buf_puts(&b, "e\x01,f\n");                         /* line 7: a control */
	buf_puts(&b, "q\"r,s\n");                          /* line 8: a stray quote */
	buf_puts(&b, "戊,\"不闭合\n");                      /* line 9: to the end */
	char *out = read_all(write_file("bad.csv", b.s, b.len), &rc, &info, why, sizeof(why));
	assert_int_equal(rc, 0);
	assert_string_equal(info.encoding, "UTF-8");
	assert_non_null(strstr(out, "2:甲|乙\n"));
	assert_non_null(strstr(out, "3!含有 NUL 字符@-1\n"));
	assert_non_null(strstr(out, "4!编码无效"));
	assert_non_null(strstr(out, "5!该行超过 64 KiB"));
	assert_non_null(strstr(out, "6:丙|丁\n"));
	assert_non_null(strstr(out, "7!含有控制字符"));
	assert_non_null(strstr(out, "8!引号使用有误"));
	assert_non_null(strstr(out, "9!引号未闭合"));
	free(out);
	buf_release(&b);
}

/* Found by fuzz_csv (fuzz/corpus/fuzz_csv/crash-lone-cr): libcsv ends a
 * record at a lone CR, so the records of a line holding one all got that
 * line's number. A lone CR ends a line, as it does in an editor. */
static void a_lone_cr_ends_a_line(void **state)
{
	static const char csv[] = "名称,说明\r甲,乙\r\r丙,\"多\r行\"\r丁,戊\r\n己,庚";
	struct table_info info;
	char why[256];
	int rc;
	char *out = read_all(write_file("cr.csv", csv, sizeof(csv) - 1), &rc, &info, why, sizeof(why));

	assert_int_equal(rc, 0);
	assert_string_equal(out, "1:名称|说明\n2:甲|乙\n4:丙|多\r行\n6:丁|戊\n7:己|庚\n");
	free(out);
}

static void excerpts_are_short_and_show_bytes_that_are_not_text(void **state)
{
	char out[256];

	table_excerpt("ab\0c\xFF", 5, out, sizeof(out));
	assert_string_equal(out, "ab\\0c\\xFF");
	table_excerpt("一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十多", 153, out,
		      sizeof(out));
	assert_non_null(strstr(out, "…"));
}

/* ---- XLSX fixtures built with libzip ---- */

static const char workbook[] = "<?xml version=\"1.0\"?><workbook xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
			       "<sheets><sheet name=\"单位\" sheetId=\"1\" r:id=\"rId7\"/><sheet name=\"b\" r:id=\"rId8\"/></sheets></workbook>";
static const char rels[] = "<Relationships><Relationship Id=\"rId8\" Target=\"worksheets/sheet2.xml\"/>"
			   "<Relationship Id=\"rId7\" Target=\"worksheets/first.xml\"/></Relationships>";

static void add(zip_t *z, const char *name, const void *data, size_t n)
{
	zip_source_t *s = zip_source_buffer(z, data, n, 0);

	assert_non_null(s);
	assert_true(zip_file_add(z, name, s, ZIP_FL_OVERWRITE) >= 0);
}

static const char *xlsx(const char *name, const char *sheet, size_t sheet_len, const char *sst)
{
	static char path[512];
	int err;
	zip_t *z;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unlink(path);
	z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
	assert_non_null(z);
	add(z, "[Content_Types].xml", "<Types/>", 8);
	add(z, "xl/workbook.xml", workbook, sizeof(workbook) - 1);
	add(z, "xl/_rels/workbook.xml.rels", rels, sizeof(rels) - 1);
	if (sst)
		add(z, "xl/sharedStrings.xml", sst, strlen(sst));
	add(z, "xl/worksheets/sheet2.xml", "<worksheet/>", 12);
	add(z, "xl/worksheets/first.xml", sheet, sheet_len);
	assert_int_equal(zip_close(z), 0);
	return path;
}

static void xlsx_first_sheet_with_shared_inline_and_sparse_cells(void **state)
{
	static const char sst[] = "<sst><si><t>名称</t></si><si><r><t>多</t></r><r><t>段</t></r><rPh><t>读音</t></rPh></si>"
				  "<si><t xml:space=\"preserve\"> 空格 </t></si></sst>";
	static const char sheet[] = "<worksheet xmlns=\"x\"><sheetData>"
				    "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"C1\" t=\"inlineStr\"><is><t>类型</t></is></c></row>"
				    "<row r=\"3\"><c r=\"B3\"><v>12.5</v></c><c r=\"C3\" t=\"s\"><v>1</v></c></row>"
				    "<row r=\"4\"><c r=\"A4\" t=\"s\"><v>2</v></c><c r=\"B4\" t=\"b\"><v>1</v></c></row>"
				    "<row r=\"5\"><c r=\"A5\" t=\"s\"><v>9</v></c></row>"
				    "</sheetData></worksheet>";
	struct table_info info;
	char why[256];
	int rc;
	char *out = read_all(xlsx("ok.xlsx", sheet, sizeof(sheet) - 1, sst), &rc, &info, why, sizeof(why));

	assert_int_equal(rc, 0);
	assert_int_equal(info.format, TABLE_XLSX);
	assert_string_equal(out, "1:名称||类型\n3:|12.5|多段\n4: 空格 |TRUE\n5!共享字符串编号无效@0\n");
	free(out);
}

static void xlsx_formula_cells_make_their_row_bad(void **state)
{
	static const char sheet[] = "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>职级</t></is></c></row>"
				    "<row r=\"2\"><c r=\"B2\" t=\"str\"><f>CONCAT(\"科\",\"级\")</f><v>科级</v></c></row>"
				    "</sheetData></worksheet>";
	struct table_info info;
	char why[256];
	int rc;
	char *out = read_all(xlsx("f.xlsx", sheet, sizeof(sheet) - 1, NULL), &rc, &info, why, sizeof(why));

	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "2!公式单元格"));
	assert_non_null(strstr(out, "@1\n"));
	free(out);
}

static void xlsx_zip_bomb_stops_at_the_cap(void **state)
{
	size_t n = (size_t)TABLE_XLSX_SHEET_MAX + (1u << 20);
	char *sheet = malloc(n);
	static const char head[] = "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>";
	struct table_info info;
	char why[256];
	int rc;

	memset(sheet, ' ', n);
	memcpy(sheet, head, sizeof(head) - 1);
	const char *path = xlsx("bomb.xlsx", sheet, n, NULL);
	free(sheet);
	char *out = read_all(path, &rc, &info, why, sizeof(why));
	assert_int_equal(rc, -1);
	assert_non_null(strstr(why, "压缩炸弹"));
	free(out);
}

static void xlsx_shared_strings_bomb_stops_at_their_cap(void **state)
{
	size_t n = (size_t)TABLE_XLSX_STRINGS_MAX + (1u << 20);
	char *sst = malloc(n + 1);
	static const char head[] = "<sst><si><t>";
	struct table_info info;
	char why[256];
	int rc;

	memset(sst, 'x', n);
	memcpy(sst, head, sizeof(head) - 1);
	sst[n] = 0;
	const char *path = xlsx("sst-bomb.xlsx", "<worksheet/>", 12, sst);
	free(sst);
	char *out = read_all(path, &rc, &info, why, sizeof(why));
	assert_int_equal(rc, -1);
	assert_non_null(strstr(why, "sharedStrings.xml"));
	assert_non_null(strstr(why, "压缩炸弹"));
	free(out);
}

static void xlsx_with_a_dtd_or_broken_zip_is_refused(void **state)
{
	static const char sheet[] = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaa\">]><worksheet/>";
	struct table_info info;
	char why[256];
	int rc;
	char *out = read_all(xlsx("dtd.xlsx", sheet, sizeof(sheet) - 1, NULL), &rc, &info, why, sizeof(why));

	assert_int_equal(rc, -1);
	assert_non_null(strstr(why, "DTD"));
	free(out);
	out = read_all(write_file("broken.xlsx", "PK\3\4garbage", 11), &rc, &info, why, sizeof(why));
	assert_int_equal(rc, -1);
	assert_non_null(strstr(why, "不是有效的 XLSX"));
	free(out);
}

static void strmap_keeps_every_key_across_growth(void **state)
{
	strmap *m = strmap_new();
	char key[32];
	bool created;

	for (int i = 0; i < 100000; i++) {
		snprintf(key, sizeof(key), "单位%d", i);
		struct strmap_val *v = strmap_put(m, key, strlen(key), &created);
		assert_true(created);
		v->id = i + 1;
	}
	assert_int_equal(strmap_count(m), 100000);
	for (int i = 0; i < 100000; i += 997) {
		snprintf(key, sizeof(key), "单位%d", i);
		assert_int_equal(strmap_get(m, key, strlen(key))->id, i + 1);
	}
	assert_non_null(strmap_put(m, "单位5", strlen("单位5"), &created));
	assert_false(created);
	assert_null(strmap_get(m, "单位", strlen("单位")));
	strmap_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(csv_with_a_bom_keeps_quoted_newlines_and_numbers_lines_as_an_editor_does),
		cmocka_unit_test(gbk_is_detected_and_converted),
		cmocka_unit_test(bad_lines_are_refused_at_their_line_and_the_rest_is_read),
		cmocka_unit_test(a_lone_cr_ends_a_line),
		cmocka_unit_test(excerpts_are_short_and_show_bytes_that_are_not_text),
		cmocka_unit_test(xlsx_first_sheet_with_shared_inline_and_sparse_cells),
		cmocka_unit_test(xlsx_formula_cells_make_their_row_bad),
		cmocka_unit_test(xlsx_zip_bomb_stops_at_the_cap),
		cmocka_unit_test(xlsx_shared_strings_bomb_stops_at_their_cap),
		cmocka_unit_test(xlsx_with_a_dtd_or_broken_zip_is_refused),
		cmocka_unit_test(strmap_keeps_every_key_across_growth),
	};
	int rc;

	if (!mkdtemp(dir))
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		rc = rc ? rc : 1;
	return rc;
}
