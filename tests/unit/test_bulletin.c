/* test_bulletin.c - the bulletin's verb (numbers per tenant, the dates
 * checked, admins only, figures frozen when issued) on both stores, and
 * the docx writer's escaping and package. */
#include "testdb.h"

#include <string.h>

#include "domain/bulletin.h"
#include "domain/perm.h"
#include "util/buf.h"
#include "util/civil.h"
#include "util/docx.h"

static struct tenant_fixture sqlite_fx = { .s.kind = DB_SQLITE, .name = "bulletin" };
static struct tenant_fixture pg_fx = { .s.kind = DB_POSTGRES, .name = "bulletin" };

/* ---- the docx writer (pure) ---- */

static void the_docx_escaper_escapes_markup_and_drops_what_xml_forbids(void **state)
{
	buf b = BUF_INIT;

	/* controls, a stray byte, an unfinished sequence, U+FFFE and an
	 * encoded surrogate go; markup is escaped; tab, line feed and CJK stay */
	docx_escape(&b, "a&<>\"'\x01\x1f\t\nb\xff\xc3(\xef\xbf\xbe\xed\xa0\x80中");
	assert_string_equal(b.s, "a&amp;&lt;&gt;&quot;&apos;&#9;&#10;b(中");
	buf_release(&b);
}

static void a_document_is_a_zip_with_the_text_escaped_inside(void **state)
{
	docx *x = docx_new();
	unsigned char *bytes;
	size_t len;

	docx_para(x, DOCX_TITLE, "揭榜挂帅工作简报");
	docx_table_begin(x, 2, NULL);
	docx_row(x, true, (const char *[]){ "<项目>", "数量" });
	docx_row(x, false, (const char *[]){ "A&B", NULL });
	docx_table_end(x);
	assert_int_equal(docx_finish(x, &bytes, &len), 0);
	assert_true(len > 200);
	assert_memory_equal(bytes, "PK\x03\x04", 4);
	/* a document is finished once */
	unsigned char *again;
	size_t len2;
	assert_int_equal(docx_finish(x, &again, &len2), -1);
	free(bytes);
	docx_free(x);
}

/* ---- the verb (both stores) ---- */

static void exec_ok(db *d, const char *sql)
{
	if (db_exec(d, sql) < 0)
		fail_msg("%s: %s", sql, db_errmsg(d));
}

static int64_t count(db *d, const char *sql)
{
	int64_t n = -1;
	assert_int_equal(db_scalar(d, sql, &n, 0), 0);
	return n;
}

static int64_t day(int y, int m, int d)
{
	return civil_midnight(civil_days(y, m, d));
}

static void numbers_dates_permission_and_frozen_figures(void **state)
{
	struct tenant_fixture *f = *state;
	struct principal admin = { .tenant_id = 1, .user_id = 1, .login = "admin", .roles = ROLE_ADMIN };
	struct principal leader = { .tenant_id = 1, .user_id = 2, .login = "leader", .roles = ROLE_LEADER };
	struct bulletin_in in = { .period_from = day(2022, 7, 1), .period_to = day(2022, 8, 31), .batch = 1 };
	struct bulletin b;
	struct ctx c;
	int64_t n;

	exec_ok(f->d, "INSERT INTO app_user (tenant_id, id, login, password_hash, created_at, password_at)"
		      " VALUES (1, 1, 'admin', 'x', 0, 0), (1, 2, 'leader', 'x', 0, 0)");
	exec_ok(f->d, "INSERT INTO batch (tenant_id, id, name, year, phase, opens_at, closes_at) VALUES (1, 1, 'b', 2022, 'working', 0, 0)");
	exec_ok(f->d, "INSERT INTO category (tenant_id, id, name, position) VALUES (1, 1, '项目建设类', 1)");
	exec_ok(f->d, "INSERT INTO problem (tenant_id, id, batch_id, category_id, title, description, proposer_name, state,"
		      " is_public, created_at, updated_at) VALUES (1, 1, 1, 1, 't1', 'd', 'p', 'published', 1, 0, 0),"
		      " (1, 2, 1, 1, 't2', 'd', 'p', 'claimed', 1, 0, 0)");

	ctx_init(&c, f->d, f->a, &admin, "");
	assert_int_equal(bulletin_issue(&c, &in, &n), JB_OK);
	assert_int_equal(n, 1);
	ctx_init(&c, f->d, f->a, &admin, "");
	assert_int_equal(bulletin_issue(&c, &in, &n), JB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(count(f->d, "SELECT count(*) FROM audit_event WHERE action = 'bulletin.issue'"), 2);

	/* the default office names the tenant */
	ctx_init(&c, f->d, f->a, &admin, "");
	assert_int_equal(bulletin_get(&c, 1, &b), JB_OK);
	assert_string_equal(b.office, "中共A委组织部");
	assert_string_equal(b.period_from, "2022-07-01");
	assert_int_equal(bulletin_figure(b.figures, "problems"), 2);
	assert_int_equal(bulletin_figure(b.figures, "claimed"), 1);
	assert_null(b.previous);

	/* the end before the start, the issue before the start: nothing written */
	struct bulletin_in bad = in;
	bad.period_to = day(2022, 6, 30);
	bad.issued_on = day(2022, 6, 1);
	ctx_init(&c, f->d, f->a, &admin, "");
	assert_int_equal(bulletin_issue(&c, &bad, &n), JB_EINVALID);
	assert_int_equal(c.nerrs, 2);
	assert_string_equal(c.errs[0].field, "period_to");
	assert_string_equal(c.errs[1].field, "issued_on");
	/* a batch that does not exist */
	bad = in;
	bad.batch = 9;
	ctx_init(&c, f->d, f->a, &admin, "");
	assert_int_equal(bulletin_issue(&c, &bad, &n), JB_EINVALID);
	assert_string_equal(c.errs[0].field, "batch");
	/* leaders read but do not issue */
	ctx_init(&c, f->d, f->a, &leader, "");
	assert_int_equal(bulletin_issue(&c, &in, &n), JB_EDENIED);
	assert_int_equal(count(f->d, "SELECT count(*) FROM bulletin"), 2);
	ctx_init(&c, f->d, f->a, &leader, "");
	assert_int_equal(bulletin_get(&c, 2, &b), JB_OK);
	assert_non_null(b.previous);

	/* later data does not change 第 1 期; 第 3 期 sees it */
	exec_ok(f->d, "INSERT INTO problem (tenant_id, id, batch_id, category_id, title, description, proposer_name, state,"
		      " is_public, created_at, updated_at) VALUES (1, 3, 1, 1, 't3', 'd', 'p', 'claimed', 1, 0, 0)");
	ctx_init(&c, f->d, f->a, &admin, "");
	assert_int_equal(bulletin_issue(&c, &in, &n), JB_OK);
	assert_int_equal(n, 3);
	ctx_init(&c, f->d, f->a, &admin, "");
	assert_int_equal(bulletin_get(&c, 1, &b), JB_OK);
	assert_int_equal(bulletin_figure(b.figures, "problems"), 2);
	assert_int_equal(bulletin_figure(b.figures, "claimed"), 1);
	ctx_init(&c, f->d, f->a, &admin, "");
	assert_int_equal(bulletin_get(&c, 3, &b), JB_OK);
	assert_int_equal(bulletin_figure(b.figures, "problems"), 3);
	assert_int_equal(bulletin_figure(b.figures, "claimed"), 2);
	ctx_init(&c, f->d, f->a, &admin, "");
	assert_int_equal(bulletin_get(&c, 4, &b), JB_ENOTFOUND);
}

#define BOTH(fx) \
	cmocka_unit_test_prestate_setup_teardown(numbers_dates_permission_and_frozen_figures, tenant_fixture_setup, \
						 tenant_fixture_teardown, fx)

int main(void)
{
	const struct CMUnitTest sqlite_tests[] = {
		cmocka_unit_test(the_docx_escaper_escapes_markup_and_drops_what_xml_forbids),
		cmocka_unit_test(a_document_is_a_zip_with_the_text_escaped_inside),
		BOTH(&sqlite_fx),
	};
	const struct CMUnitTest pg_tests[] = { BOTH(&pg_fx) };
	int failed;

	failed = cmocka_run_group_tests_name("bulletins on SQLite", sqlite_tests, NULL, NULL);
	if (testdb_pg_wanted("test_bulletin", &failed))
		failed += cmocka_run_group_tests_name("bulletins on PostgreSQL", pg_tests, NULL, NULL);
	return failed ? 1 : 0;
}
