/* test_widgets.c - the person picker's HTML: every piece of a person and of
 * the query is escaped, the choices are what the picker's contract says;
 * the data table's cells carry their labels. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/problem.h"
#include "web/widgets.h"

#define HOSTILE "\"&'<>x</fieldset><script>"

static int count(const char *s, const char *needle)
{
	int n = 0;

	for (const char *p = s; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* Render p on a bare request under a tenant prefix, without a session;
 * the HTML is copied out and the request's memory freed. */
static const char *render(struct picker *p, bool form)
{
	static char out[32768];
	struct req r = { .a = arena_new(), .base = "/t/a&b", .out = BUF_INIT };

	if (form)
		html_picker_form(&r, p);
	else
		html_picker(&r, p);
	assert_true(r.out.len < sizeof(out));
	memcpy(out, r.out.s, r.out.len + 1);
	buf_release(&r.out);
	arena_free(r.a);
	return out;
}

static void a_hostile_person_query_and_unit_are_escaped(void **state)
{
	struct person cur = { 7, 3, HOSTILE, HOSTILE, HOSTILE, "section" };
	struct named units[] = { { 3, HOSTILE } };
	struct picker p = { .field = "person", .legend = HOSTILE, .page = "/admin/users", .current = &cur,
			    .allow_none = true, .units = units, .nunits = 1, .all_units = true,
			    .query = { HOSTILE, 3 }, .searched = true };
	const char *html;

	p.hits.items[0] = (struct person){ 8, 3, HOSTILE, HOSTILE, "", "none" };
	p.hits.items[1] = cur; /* the current one again: shown once */
	p.hits.n = 2;
	html = render(&p, false);
	assert_null(strstr(html, "<script>x"));
	assert_null(strstr(html, "</fieldset><script>"));
	assert_non_null(strstr(html, "&quot;&amp;&#39;&lt;&gt;x&lt;/fieldset&gt;&lt;script&gt;"));
	assert_int_equal(count(html, "<fieldset"), 1);
	assert_int_equal(count(html, "</fieldset>"), 1);
	/* none, the current one (checked, once) and the other hit */
	assert_int_equal(count(html, "type=\"radio\" name=\"person\""), 3);
	assert_non_null(strstr(html, "value=\"\">不关联人员"));
	assert_non_null(strstr(html, "value=\"7\" checked>"));
	assert_non_null(strstr(html, "value=\"8\">"));
	assert_non_null(strstr(html, "<option value=\"3\" selected>"));
	assert_non_null(strstr(html, "data-picker-src=\"/t/a&amp;b/api/v1/persons\""));
	assert_non_null(strstr(html, "找到 2 人。"));
	html = render(&p, true);
	assert_string_equal(html, "<form id=\"person-search\" method=\"get\" action=\"/t/a&amp;b/admin/users#person-picker\"></form>\n");
}

static void before_a_search_none_is_checked_and_the_status_says_how(void **state)
{
	struct picker p = { .field = "lead", .legend = "挂帅领导", .page = "/x", .allow_none = true, .query = { "", 0 } };
	const char *html = render(&p, false);

	assert_non_null(strstr(html, "name=\"lead\" value=\"\" checked>"));
	assert_non_null(strstr(html, "name=\"lead_q\" form=\"lead-search\""));
	assert_non_null(strstr(html, "name=\"lead_unit\" form=\"lead-search\""));
	assert_non_null(strstr(html, "再点“查找”"));
	assert_null(strstr(html, "全部单位"));
	p.searched = true;
	p.hits.more = true;
	p.hits.n = PERSON_SEARCH_LIMIT;
	for (int i = 0; i < p.hits.n; i++)
		p.hits.items[i] = (struct person){ i + 1, 1, "甲", "乙", "丙", "none" };
	html = render(&p, false);
	assert_non_null(strstr(html, "超过 20 人"));
	assert_int_equal(count(html, "type=\"radio\""), PERSON_SEARCH_LIMIT + 1);
}

/* Every cell carries its column's heading (escaped) as data-label, the
 * title and wide columns their classes, the caller's class after them;
 * each cell and row is closed, and a foot row lands in <tfoot>. */
static void a_table_labels_every_cell_with_its_column(void **state)
{
	static const struct table_col cols[] = { { HOSTILE, 0 }, { "名称", COL_TITLE }, { "说明", COL_WIDE }, { NULL, 0 } };
	struct table t = { .cols = cols, .cls = "x&y", .caption = "表<" };
	buf b = BUF_INIT;

	table_open(&b, &t);
	for (int i = 0; i < 2; i++) {
		table_row(&b, &t);
		table_row_head(&b, &t);
		buf_puts(&b, "1");
		table_cell(&b, &t);
		buf_puts(&b, "a");
		table_cell_class(&b, &t, "bad");
		buf_puts(&b, "b");
	}
	table_foot(&b, &t);
	table_row(&b, &t);
	table_row_head(&b, &t);
	buf_puts(&b, "合计");
	table_close(&b, &t);
	assert_null(strstr(b.s, "<script>x"));
	assert_non_null(strstr(b.s, "<table class=\"cards x&amp;y\">\n<caption>表&lt;</caption>\n<thead><tr><th scope=\"col\">&quot;"));
	assert_non_null(strstr(b.s, "<tbody>\n<tr><th scope=\"row\" data-label=\"&quot;&amp;&#39;&lt;&gt;x&lt;/fieldset&gt;&lt;script&gt;\">1</th>"
				    "<td data-label=\"名称\" class=\"card-title\">a</td>"
				    "<td data-label=\"说明\" class=\"card-wide bad\">b</td></tr>\n<tr>"));
	assert_int_equal(count(b.s, "<tr>"), 4);
	assert_int_equal(count(b.s, "</tr>"), 4);
	assert_int_equal(count(b.s, "</td>"), 4);
	assert_non_null(strstr(b.s, "</tbody>\n<tfoot>\n<tr><th scope=\"row\" data-label=\"&quot;"));
	assert_non_null(strstr(b.s, "合计</th></tr>\n</tfoot>\n</table>\n"));
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_hostile_person_query_and_unit_are_escaped),
		cmocka_unit_test(before_a_search_none_is_checked_and_the_status_says_how),
		cmocka_unit_test(a_table_labels_every_cell_with_its_column),
	};
	return cmocka_run_group_tests_name("widgets", tests, NULL, NULL);
}
