/* test_evidence.c - evidence files: the type comes from the content, a
 * refused report leaves neither row nor file, the same content is one
 * file, a file is read only by those who may see its claim, and the
 * start-up sweep removes a file no row names. */
#include "testdb.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "domain/evidence.h"
#include "util/log.h"
#include "util/text.h"

#define FIXTURES "tests/fixtures/evidence/"

static struct tenant_fixture sqlite_fx = { .s.kind = DB_SQLITE, .name = "evidence" };
static struct tenant_fixture pg_fx = { .s.kind = DB_POSTGRES, .name = "evidence" };

/* A temporary copy of fixture (as the HTTP layer leaves an upload) in
 * dir, described as the client named it. */
static struct evidence_file upload(arena *a, const char *dir, const char *fixture, const char *name)
{
	static int seq;
	struct evidence_file f = { .field = "file", .name = name };
	unsigned char h[crypto_hash_sha256_BYTES], chunk[4096];
	crypto_hash_sha256_state st;
	char *path = arena_printf(a, "%s/up-%d", dir, ++seq);
	int in = open(arena_printf(a, FIXTURES "%s", fixture), O_RDONLY), out = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ssize_t n;

	assert_true(in >= 0 && out >= 0);
	crypto_hash_sha256_init(&st);
	while ((n = read(in, chunk, sizeof(chunk))) > 0) {
		assert_int_equal(write(out, chunk, (size_t)n), n);
		crypto_hash_sha256_update(&st, chunk, (size_t)n);
		f.size += n;
	}
	close(in);
	close(out);
	crypto_hash_sha256_final(&st, h);
	sodium_bin2hex(f.sha256, sizeof(f.sha256), h, sizeof(h));
	f.path = path;
	return f;
}

static bool exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static char tmp_dir[64];

static void remove_data_dir(void)
{
	char cmd[96];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp_dir);
	if (tmp_dir[0] && system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", tmp_dir);
	tmp_dir[0] = '\0';
}

/* A new data directory for the files (the previous one removed). */
static void fresh_data_dir(void)
{
	remove_data_dir();
	strcpy(tmp_dir, "/tmp/jb-test-files-XXXXXX");
	assert_non_null(mkdtemp(tmp_dir));
	assert_int_equal(evidence_init(tmp_dir), 0);
}

static const char *data_dir(void)
{
	if (!tmp_dir[0])
		fresh_data_dir();
	return tmp_dir;
}

static void each_allowed_kind_is_known_by_its_content(void **state)
{
	static const struct { const char *fixture, *name, *mime; } ok[] = {
		{ "report.pdf", "进展报告.pdf", "application/pdf" },
		{ "photo.jpg", "现场照片.jpg", "image/jpeg" },
		{ "chart.png", "chart.png", "image/png" },
		{ "plan.docx", "方案.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
		{ "sheet.xlsx", "台账.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
		/* libmagic calls this one a zip: its entries make it a docx */
		{ "reordered.docx", "另存.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
		/* the name is irrelevant */
		{ "chart.png", "扫描件.pdf", "image/png" },
		{ "report.pdf", "noextension", "application/pdf" },
	};
	arena *a = arena_new();
	struct principal anon = { .tenant_id = 1 };
	struct ctx c;

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		struct evidence_file f = upload(a, data_dir(), ok[i].fixture, ok[i].name);
		ctx_init(&c, NULL, a, &anon, "");
		assert_int_equal(evidence_check(&c, &f, 1), JB_OK);
		assert_string_equal(f.mime, ok[i].mime);
		unlink(f.path);
	}
	arena_free(a);
}

static void liars_and_empty_files_are_refused_by_name(void **state)
{
	static const struct { const char *fixture, *name, *message; } bad[] = {
		{ "page.html", "总结.pdf", "文件“总结.pdf”是HTML 网页，只能上传 PDF、JPEG、PNG、Word（docx）或 Excel（xlsx）文件" },
		{ "archive.zip", "材料.docx", "文件“材料.docx”是ZIP 压缩包，只能上传 PDF、JPEG、PNG、Word（docx）或 Excel（xlsx）文件" },
		{ "make.py", "脚本.png", "文件“脚本.png”是“text/x-script.python”类型的文件，只能上传 PDF、JPEG、PNG、Word（docx）或 Excel（xlsx）文件" },
	};
	arena *a = arena_new();
	struct principal anon = { .tenant_id = 1 };
	struct evidence_file two[2];
	struct ctx c;

	log_quiet(1);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct evidence_file f = upload(a, data_dir(), bad[i].fixture, bad[i].name);
		ctx_init(&c, NULL, a, &anon, "");
		assert_int_equal(evidence_check(&c, &f, 1), JB_EINVALID);
		assert_null(f.mime);
		assert_int_equal(c.nerrs, 1);
		assert_string_equal(c.errs[0].field, "file");
		assert_string_equal(c.errs[0].message, bad[i].message);
		unlink(f.path);
	}
	/* An empty file, beside a good one: only it is refused. */
	two[0] = upload(a, data_dir(), "chart.png", "图.png");
	two[1] = (struct evidence_file){ .field = "file", .name = "空.pdf", .path = two[0].path, .size = 0 };
	ctx_init(&c, NULL, a, &anon, "");
	assert_int_equal(evidence_check(&c, two, 2), JB_EINVALID);
	assert_int_equal(c.nerrs, 1);
	assert_string_equal(c.errs[0].message, "文件“空.pdf”是空文件，请选择有内容的文件");
	assert_string_equal(two[0].mime, "image/png");
	unlink(two[0].path);
	arena_free(a);
}

/* A claim (1) on problem 1, not public; person 3 is on its team. */
static void claim_rows(db *d)
{
	static const char *const rows[] = {
		"INSERT INTO unit (tenant_id, id, name, kind) VALUES (1, 1, '县住建局', 'county_dept'), (1, 2, '城关镇', 'town')",
		"INSERT INTO person (tenant_id, id, name, unit_id, rank) VALUES (1, 1, '李挂帅', 1, 'section'),"
		" (1, 2, '王负责', 1, 'section'), (1, 3, '赵成员', 1, 'none'), (1, 4, '陈旁人', 2, 'none')",
		"INSERT INTO batch (tenant_id, id, name, year, phase, opens_at, closes_at) VALUES (1, 1, '2027年第一批', 2027, 'working', 0, 0)",
		"INSERT INTO category (tenant_id, id, name, position) VALUES (1, 1, '城市建设', 1)",
		"INSERT INTO problem (tenant_id, id, batch_id, category_id, title, description, proposer_name, state, is_public,"
		" created_at, updated_at) VALUES (1, 1, 1, 1, '老旧小区改造', '', '县住建局', 'in_progress', 0, 0, 0)",
		"INSERT INTO claim (tenant_id, id, problem_id, unit_id, lead_person_id, owner_person_id, state, applied_at)"
		" VALUES (1, 1, 1, 1, 1, 2, 'signed', 0)",
		"INSERT INTO claim_member (tenant_id, claim_id, person_id, unit_id, role) VALUES (1, 1, 3, 1, 'member')",
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if (db_exec(d, rows[i]) < 0)
			fail_msg("%s: %s", rows[i], db_errmsg(d));
}

struct attach_args {
	const struct evidence_file *files;
	int n;
	bool refuse;            /* the verb refuses after attaching */
};

/* A report's verb, reduced to the files: attach, then maybe refuse. */
static int attach_verb(struct ctx *c, void *p)
{
	struct attach_args *a = p;
	int rc = evidence_attach(c, 1, 0, a->files, a->n);

	if (rc != JB_OK)
		return rc;
	return a->refuse ? ctx_invalid(c, "text", "required", "请填写本次进展") : JB_OK;
}

/* Run it as the claim verbs do: on a refusal, evidence_discard(). */
static int report(struct tenant_fixture *f, const struct principal *who, struct evidence_file *files, int n,
		  bool refuse)
{
	struct attach_args args = { files, n, refuse };
	struct ctx c;
	int rc;

	ctx_init(&c, f->d, f->a, who, "");
	if ((rc = evidence_check(&c, files, n)) != JB_OK)
		return rc;
	rc = action_run(&c, attach_verb, &args);
	if (rc != JB_OK)
		evidence_discard(&c, files, n);
	return rc;
}

static int64_t rows(db *d)
{
	int64_t n = -1;

	assert_int_equal(db_scalar(d, "SELECT count(*) FROM evidence", &n, 0), 0);
	return n;
}

static const char *stored(arena *a, const struct evidence_file *f)
{
	return arena_printf(a, "%s/files/%.2s/%s", data_dir(), f->sha256, f->sha256);
}

static void a_refused_report_leaves_neither_row_nor_file(void **state)
{
	struct tenant_fixture *f = *state;
	struct principal member = { .tenant_id = 1, .user_id = 7, .login = "zhao", .roles = ROLE_CADRE, .person_id = 3 };
	struct evidence_file png, pdf;

	fresh_data_dir();
	png = upload(f->a, data_dir(), "chart.png", "图表.png");
	pdf = upload(f->a, data_dir(), "report.pdf", "报告.pdf");
	struct evidence_file both[2] = { png, pdf };

	log_quiet(1);
	claim_rows(f->d);
	assert_int_equal(report(f, &member, both, 2, true), JB_EINVALID);
	assert_int_equal(rows(f->d), 0);
	assert_false(exists(stored(f->a, &png)));
	assert_false(exists(stored(f->a, &pdf)));
	/* Accepted: a row each, the files under their hashes. */
	struct evidence_file first[1] = { png };
	assert_int_equal(report(f, &member, first, 1, false), JB_OK);
	assert_int_equal(rows(f->d), 1);
	assert_true(exists(stored(f->a, &png)));
	/* The same content again is one file with two rows; a refused
	 * report of it keeps the file the first row names. */
	struct evidence_file again[2] = { png, pdf };
	again[0].name = "同一张图.png";
	assert_int_equal(report(f, &member, again, 2, true), JB_EINVALID);
	assert_int_equal(rows(f->d), 1);
	assert_true(exists(stored(f->a, &png)));
	assert_false(exists(stored(f->a, &pdf)));
	assert_int_equal(report(f, &member, again, 2, false), JB_OK);
	assert_int_equal(rows(f->d), 3);
	assert_true(exists(stored(f->a, &pdf)));
	/* A lying file refuses the report before anything is written. */
	struct evidence_file liar[1] = { upload(f->a, data_dir(), "page.html", "伪装.pdf") };
	assert_int_equal(report(f, &member, liar, 1, false), JB_EINVALID);
	assert_int_equal(rows(f->d), 3);
	assert_false(exists(stored(f->a, &liar[0])));
	for (int i = 0; i < 2; i++)
		unlink(both[i].path);
	unlink(liar[0].path);
}

static void a_file_is_read_by_those_who_may_see_its_claim(void **state)
{
	struct tenant_fixture *f = *state;
	struct principal member = { .tenant_id = 1, .user_id = 7, .login = "zhao", .roles = ROLE_CADRE, .person_id = 3 };
	struct principal other = { .tenant_id = 1, .user_id = 8, .login = "chen", .roles = ROLE_CADRE, .person_id = 4 };
	struct principal admin = { .tenant_id = 1, .user_id = 1, .login = "admin", .roles = ROLE_ADMIN };
	struct principal anon = { .tenant_id = 1 };
	struct principal elsewhere = { .tenant_id = 2, .user_id = 9, .login = "x", .roles = ROLE_ADMIN };
	char long_name[3 * (EVIDENCE_NAME_MAX + 10) + 8] = "";
	struct evidence_file pdf;
	struct evidence_blob b;
	struct ctx c;

	fresh_data_dir();
	pdf = upload(f->a, data_dir(), "report.pdf", NULL);
	log_quiet(1);
	claim_rows(f->d);
	for (int i = 0; i < EVIDENCE_NAME_MAX + 10; i++)
		strcat(long_name, "进");
	strcat(long_name, ".pdf");
	pdf.name = long_name;
	struct evidence_file one[1] = { pdf };
	assert_int_equal(report(f, &member, one, 1, false), JB_OK);
	const struct principal *may[] = { &member, &admin }, *may_not[] = { &other, &anon, &elsewhere };
	for (size_t i = 0; i < 2; i++) {
		ctx_init(&c, f->d, f->a, may[i], "");
		assert_int_equal(evidence_get(&c, pdf.sha256, &b), JB_OK);
		assert_string_equal(b.mime, "application/pdf");
		assert_int_equal(b.size, pdf.size);
		assert_int_equal(utf8_len(b.name), EVIDENCE_NAME_MAX); /* cut to 200 characters */
		assert_string_equal(b.path, stored(f->a, &pdf));
	}
	for (size_t i = 0; i < 3; i++) {
		ctx_init(&c, f->d, f->a, may_not[i], "");
		assert_int_equal(evidence_get(&c, pdf.sha256, &b), JB_ENOTFOUND);
	}
	/* Not a hash, or a hash nobody attached: not found either. */
	ctx_init(&c, f->d, f->a, &admin, "");
	assert_int_equal(evidence_get(&c, "../../etc/passwd", &b), JB_ENOTFOUND);
	assert_int_equal(evidence_get(&c, "0000000000000000000000000000000000000000000000000000000000000000", &b),
			 JB_ENOTFOUND);
	/* Once the problem is public, anyone of the tenant reads it. */
	assert_int_equal(db_exec(f->d, "UPDATE problem SET is_public = 1"), 0);
	ctx_init(&c, f->d, f->a, &anon, "");
	assert_int_equal(evidence_get(&c, pdf.sha256, &b), JB_OK);
	ctx_init(&c, f->d, f->a, &elsewhere, "");
	assert_int_equal(evidence_get(&c, pdf.sha256, &b), JB_ENOTFOUND);
	/* An application not yet approved is not public, as in claim_get(). */
	assert_int_equal(db_exec(f->d, "UPDATE claim SET state = 'applied'"), 0);
	ctx_init(&c, f->d, f->a, &anon, "");
	assert_int_equal(evidence_get(&c, pdf.sha256, &b), JB_ENOTFOUND);
	ctx_init(&c, f->d, f->a, &member, "");
	assert_int_equal(evidence_get(&c, pdf.sha256, &b), JB_OK);
	unlink(pdf.path);
}

/* What a crash between a report's link and its commit leaves: a stored file
 * no row names. The start-up sweep removes it and keeps the named ones. */
static void the_sweep_removes_only_files_no_row_names(void **state)
{
	struct tenant_fixture *f = *state;
	struct principal member = { .tenant_id = 1, .user_id = 7, .login = "zhao", .roles = ROLE_CADRE, .person_id = 3 };
	struct evidence_file png, pdf;
	const char *stray;

	fresh_data_dir();
	png = upload(f->a, data_dir(), "chart.png", "图表.png");
	pdf = upload(f->a, data_dir(), "report.pdf", "报告.pdf");
	log_quiet(1);
	claim_rows(f->d);
	struct evidence_file one[1] = { png };
	assert_int_equal(report(f, &member, one, 1, false), JB_OK);
	/* the pdf linked under its hash as evidence_attach() does, no row */
	assert_int_equal(mkdir(arena_printf(f->a, "%s/files/%.2s", data_dir(), pdf.sha256), 0750) < 0 && errno != EEXIST, 0);
	assert_int_equal(link(pdf.path, stored(f->a, &pdf)), 0);
	/* and names the sweep leaves alone: not a hash */
	stray = arena_printf(f->a, "%s/files/%.2s/notes.txt", data_dir(), png.sha256);
	fclose(fopen(stray, "w"));
	assert_int_equal(evidence_sweep(f->d), 1);
	assert_false(exists(stored(f->a, &pdf)));
	assert_true(exists(stored(f->a, &png)));
	assert_true(exists(stray));
	assert_int_equal(evidence_sweep(f->d), 0);
	/* a file no row names that is days old is the wrong store's: kept */
	assert_int_equal(link(pdf.path, stored(f->a, &pdf)), 0);
	struct timespec old[2] = { { time(NULL) - 2 * 86400, 0 }, { time(NULL) - 2 * 86400, 0 } };
	assert_int_equal(utimensat(AT_FDCWD, stored(f->a, &pdf), old, 0), 0);
	assert_int_equal(evidence_sweep(f->d), 0);
	assert_true(exists(stored(f->a, &pdf)));
	unlink(stored(f->a, &pdf));
	unlink(stray);
	unlink(png.path);
	unlink(pdf.path);
}

#define BOTH(fx) \
	cmocka_unit_test_prestate_setup_teardown(a_refused_report_leaves_neither_row_nor_file, tenant_fixture_setup, \
						 tenant_fixture_teardown, fx), \
	cmocka_unit_test_prestate_setup_teardown(a_file_is_read_by_those_who_may_see_its_claim, tenant_fixture_setup, \
						 tenant_fixture_teardown, fx), \
	cmocka_unit_test_prestate_setup_teardown(the_sweep_removes_only_files_no_row_names, tenant_fixture_setup, \
						 tenant_fixture_teardown, fx)

int main(void)
{
	const struct CMUnitTest sqlite_tests[] = {
		cmocka_unit_test(each_allowed_kind_is_known_by_its_content),
		cmocka_unit_test(liars_and_empty_files_are_refused_by_name),
		BOTH(&sqlite_fx),
	};
	const struct CMUnitTest pg_tests[] = { BOTH(&pg_fx) };
	int failed;

	failed = cmocka_run_group_tests_name("evidence on SQLite", sqlite_tests, NULL, NULL);
	if (testdb_pg_wanted("test_evidence", &failed))
		failed += cmocka_run_group_tests_name("evidence on PostgreSQL", pg_tests, NULL, NULL);
	remove_data_dir();
	return failed ? 1 : 0;
}
