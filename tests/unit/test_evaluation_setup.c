/* test_evaluation_setup.c - what the evaluation's setting up adds beside
 * the arithmetic: the form's bands a line each ("名称=分数", rubric_edit.c)
 * and the acceptance certificate's document (web/certificate.c) rendered
 * from a filled claim, escaped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/rubric.h"
#include "web/claim_ui.h"

#define HOSTILE "\"&'<>x</dd><script>"

static void bands_are_read_a_line_each(void **state)
{
	arena *a = arena_new();
	struct band b[RUBRIC_BANDS_MAX];
	int n, line;

	(void)state;
	assert_int_equal(rubric_bands_parse(a, "全面完成=100\n  完成 90% 以上 = 92.5 \r\n\n完成不足＝0\n", b, &n, &line), 0);
	assert_int_equal(n, 3);
	assert_string_equal(b[0].label, "全面完成");
	assert_int_equal(b[0].score, 10000);
	assert_string_equal(b[1].label, "完成 90% 以上");
	assert_int_equal(b[1].score, 9250);
	assert_string_equal(b[2].label, "完成不足");
	assert_int_equal(b[2].score, 0);
	/* a label may hold "=": the last one divides */
	assert_int_equal(rubric_bands_parse(a, "a=b=7.25", b, &n, &line), 0);
	assert_string_equal(b[0].label, "a=b");
	assert_int_equal(b[0].score, 725);
	assert_int_equal(rubric_bands_parse(a, "", b, &n, &line), 0);
	assert_int_equal(n, 0);
	/* the first bad line is named */
	static const char *const bad[] = { "甲=100\n乙 80", "=100", "甲=", "甲=-1", "甲=1.234", "甲=1e3", "甲=100000000000000000000", "甲=1001" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(rubric_bands_parse(a, bad[i], b, &n, &line), -1);
		assert_int_equal(line, i == 0 ? 2 : 1);
	}
	assert_int_equal(rubric_bands_parse(a, "1=9\n2=8\n3=7\n4=6\n5=5\n6=4\n7=3\n8=2\n9=1", b, &n, &line), -2);
	arena_free(a);
}

static void the_certificate_states_the_claim_and_its_result(void **state)
{
	struct claim_member members[] = {
		{ 1, 1, "王强", "副县长", "县政府", "lead" },
		{ 2, 1, "李娜", "局长", "县交通运输局", "owner" },
		{ 3, 2, "张伟", "", "县自然资源局", "member" },
		{ 4, 3, HOSTILE, "", "镇政府", "member" },
	};
	struct named_unit coop[] = { { 2, "县自然资源局" }, { 3, "镇政府" } };
	struct claim_detail d = { .id = 7, .state = CLAIM_ACCEPTED, .problem_title = "农村公路“最后一公里”", .unit = "县交通运输局",
				  .lead = "王强", .lead_title = "副县长", .owner = "李娜", .owner_title = "局长",
				  .members = members, .nmembers = 4, .cooperators = coop, .ncooperators = 2 };
	struct certificate k = { .score = 9250, .grade = "excellent", .evaluated_at = 1671523200 /* 2022-12-20 16:00 */,
				 .year = 2022, .number = 3, .county = "示范县" };
	buf b = BUF_INIT;

	(void)state;
	certificate_html(&b, &d, &k);
	assert_non_null(strstr(b.s, "<h1>验收证书</h1>"));
	assert_non_null(strstr(b.s, "〔2022〕验字第 3 号"));
	assert_non_null(strstr(b.s, "经示范县揭榜挂帅考评组考评"));
	assert_non_null(strstr(b.s, "<dt>难题</dt><dd>农村公路“最后一公里”</dd>"));
	assert_non_null(strstr(b.s, "<dt>揭榜单位</dt><dd>县交通运输局</dd>"));
	assert_non_null(strstr(b.s, "<dt>配合单位</dt><dd>县自然资源局、镇政府</dd>"));
	assert_non_null(strstr(b.s, "<dt>挂帅领导</dt><dd>王强（副县长）</dd>"));
	assert_non_null(strstr(b.s, "<dt>主要负责人</dt><dd>李娜（局长）</dd>"));
	assert_non_null(strstr(b.s, "张伟（县自然资源局）"));
	assert_null(strstr(b.s, "王强（县政府）"));            /* the lead is not listed again in the team */
	assert_non_null(strstr(b.s, "<dt>验收等次</dt><dd>优秀</dd>"));
	assert_non_null(strstr(b.s, "<dt>验收得分</dt><dd>92.50 分</dd>"));
	assert_non_null(strstr(b.s, "2022年12月20日"));
	assert_null(strstr(b.s, "<script>"));
	assert_non_null(strstr(b.s, "&lt;script&gt;"));
	buf_reset(&b);
	k.grade = "";
	k.score = 5999;
	k.evaluated_at = 0;
	d.ncooperators = 0;
	certificate_html(&b, &d, &k);
	assert_non_null(strstr(b.s, "<dt>验收等次</dt><dd>—</dd>"));
	assert_non_null(strstr(b.s, "<dt>验收得分</dt><dd>59.99 分</dd>"));
	assert_non_null(strstr(b.s, "<dt>配合单位</dt><dd>—</dd>"));
	assert_non_null(strstr(b.s, "<dt>验收日期</dt><dd>—</dd>"));
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bands_are_read_a_line_each),
		cmocka_unit_test(the_certificate_states_the_claim_and_its_result),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
