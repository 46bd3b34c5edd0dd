/* copy.c - backup, restore and migrate-store: whole-store copies (copy.h).
 *
 * SQLite files are handled with SQLite's own API (the online backup API
 * needs sqlite3 handles, which db.h hides); PostgreSQL with pg_dump and
 * pg_restore; the store-to-store copy goes through db.h only, so it works
 * between any two drivers. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <libpq-fe.h>
#include <spawn.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store/copy.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/xalloc.h"

extern char **environ;

#define COPY_CHUNK 5000      /* rows read from the source per query */
#define COPY_MAX_PARAMS 900  /* placeholders per INSERT (SQLite allows 32766) */
#define COPY_STDERR_MAX 65536

/* Every table of the schema but those below, parents before children
 * (a table only references tables above it, or itself), each with its
 * primary key: rows are read in key order, in chunks by keyset. A table
 * without a primary key (no key here) is read in one query: keep such
 * tables small. A new migration that adds a table adds it here; test_copy
 * fails until it does. */
static const struct copy_table {
	const char *name;
	const char *key[4];
} copy_tables[] = {
	{ "tenant", { "id" } },
	{ "tenant_domain", { "host" } },
	{ "tenant_secret", { "tenant_id", "name" } },
	{ "id_seq", { "tenant_id", "name" } },
	{ "batch", { "tenant_id", "id" } },
	{ "batch_phase", { "tenant_id", "batch_id", "phase" } },
	{ "category", { "tenant_id", "id" } },
	{ "unit", { "tenant_id", "id" } },
	{ "person", { "tenant_id", "id" } },
	{ "app_user", { "tenant_id", "id" } },
	{ "user_role", { "tenant_id", "user_id", "role" } },
	{ "user_session", { "tenant_id", "token_hash" } },
	{ "api_token", { "tenant_id", "id" } },
	{ "login_attempt", { "tenant_id", "id" } },
	{ "login_pending", { "tenant_id", "token_hash" } },
	{ "problem", { "tenant_id", "id" } },
	{ "problem_gram", { "tenant_id", "gram", "problem_id" } },
	{ "claim", { "tenant_id", "id" } },
	{ "claim_member", { "tenant_id", "claim_id", "person_id" } },
	{ "claim_cooperator", { "tenant_id", "claim_id", "unit_id" } },
	{ "milestone", { "tenant_id", "id" } },
	{ "metric", { "tenant_id", "id" } },
	{ "progress", { "tenant_id", "id" } },
	{ "progress_value", { "tenant_id", "progress_id", "metric_id" } },
	{ "evidence", { "tenant_id", "id" } },
	{ "supervision", { "tenant_id", "id" } },
	{ "extension", { "tenant_id", "id" } },
	{ "problem_comment", { "tenant_id", "id" } },
	{ "promotion", { "tenant_id", "id" } },
	{ "promotion_claim", { "tenant_id", "promotion_id", "claim_id" } },
	{ "panel", { "tenant_id", "id" } },
	{ "panel_member", { "tenant_id", "panel_id", "user_id" } },
	{ "panel_claim", { "tenant_id", "claim_id", "stage" } },
	{ "rubric_criterion", { "tenant_id", "id" } },
	{ "rubric_band", { "tenant_id", "criterion_id", "position" } },
	{ "evaluation", { "tenant_id", "id" } },
	{ "evaluation_score", { "tenant_id", "evaluation_id", "criterion_id" } },
	{ "notice", { "tenant_id", "id" } },
	{ "notice_item", { "tenant_id", "notice_id", "position" } },
	{ "objection", { "tenant_id", "id" } },
	{ "calendar_year", { "tenant_id", "year" } },
	{ "calendar_day", { "tenant_id", "day" } },
	{ "practice", { "tenant_id", "id" } },
	{ "practice_claim", { "tenant_id", "practice_id", "claim_id" } },
	{ "practice_gram", { "tenant_id", "gram", "practice_id" } },
	{ "tolerance", { "tenant_id", "id" } },
	{ "bulletin", { "tenant_id", "n" } },
	{ "bulletin_item", { "tenant_id", "bulletin_n", "position" } },
	{ "publication", { "tenant_id", "id" } },
	{ "notification", { "tenant_id", "id" } },
	{ "notification_digest", { "tenant_id", "id" } },
	{ "robot", { "tenant_id", "id" } },
	{ "outbox", { "tenant_id", "id" } },
	{ "complaint", { "tenant_id", "id" } },
	{ "rate_event", { NULL } },
	{ "audit_event", { "tenant_id", "id" } },
	{ "audit_legacy", { "tenant_id" } },
};
#define NTABLES (sizeof(copy_tables) / sizeof(copy_tables[0]))

/* Derived tables, kept by triggers on the tables they summarize: not
 * copied, but rebuilt on the target as the rows arrive, and then checked
 * against the source with check, a static query of one row of integers. */
static const struct copy_derived {
	const char *name;
	const char *check;
} copy_derived[] = {
	{ "problem_tally", "SELECT count(*), coalesce(sum(n), 0) FROM problem_tally WHERE n <> 0" },
	{ "claim_tally", "SELECT count(*), coalesce(sum(n), 0), coalesce(sum(score_sum), 0) FROM claim_tally WHERE n <> 0" },
	{ "claim_member_tally", "SELECT count(*), coalesce(sum(n), 0) FROM claim_member_tally WHERE n <> 0" },
	{ "claim_day_tally", "SELECT count(*), coalesce(sum(n), 0), coalesce(sum(n * day), 0) FROM claim_day_tally WHERE n <> 0" },
	{ "tenant_tally", "SELECT count(*), coalesce(sum(n), 0), coalesce(sum(n * kind), 0) FROM tenant_tally WHERE n <> 0" },
};
#define NDERIVED (sizeof(copy_derived) / sizeof(copy_derived[0]))

const char *db_copy_table(size_t i)
{
	return i < NTABLES ? copy_tables[i].name : NULL;
}

bool db_copy_skips(const char *table)
{
	for (size_t i = 0; i < NDERIVED; i++)
		if (!strcmp(table, copy_derived[i].name))
			return true;
	return !strcmp(table, "schema_migrations");
}

__attribute__((format(printf, 3, 4)))
static int copy_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* ---- store URLs and files ---- */

static bool copy_is_pg(const char *url)
{
	return !strncmp(url, "postgres://", 11) || !strncmp(url, "postgresql://", 13);
}

/* The file of a SQLite store URL (as db_open() reads it); NULL for any
 * other URL. */
static const char *copy_sqlite_path(const char *url)
{
	if (strstr(url, "://"))
		return NULL;
	return strncmp(url, "sqlite:", 7) ? url : url + 7;
}

enum copy_kind { COPY_SQLITE, COPY_PGDUMP };

/* What kind of backup file is: 0, or -1 with the reason in err. */
static int copy_file_kind(const char *file, enum copy_kind *kind, char *err, size_t errlen)
{
	static const char sqlite_magic[16] = "SQLite format 3";
	char head[16] = { 0 };
	FILE *f = fopen(file, "rb");
	size_t n;

	if (!f)
		return copy_fail(err, errlen, "cannot open '%s': %s", file, strerror(errno));
	n = fread(head, 1, sizeof(head), f);
	fclose(f);
	if (n == sizeof(head) && !memcmp(head, sqlite_magic, sizeof(head))) {
		*kind = COPY_SQLITE;
		return 0;
	}
	if (n >= 5 && !memcmp(head, "PGDMP", 5)) {
		*kind = COPY_PGDUMP;
		return 0;
	}
	return copy_fail(err, errlen, "'%s' is not a jiebang backup (neither a SQLite database nor a"
			 " pg_dump custom archive)", file);
}

static int copy_fsync_path(const char *path, int flags, char *err, size_t errlen)
{
	int fd = open(path, flags | O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fsync(fd) < 0) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		return copy_fail(err, errlen, "cannot sync '%s': %s", path, strerror(e));
	}
	close(fd);
	return 0;
}

/* Create tmp (empty, 0600) for a backup of file, which must not exist.
 * tmp must not exist either: a leftover from a backup that was killed is
 * for the user to look at and remove, never ours to overwrite. */
static int copy_create_tmp(const char *file, const char *tmp, char *err, size_t errlen)
{
	struct stat sb;
	int fd;

	if (lstat(file, &sb) == 0)
		return copy_fail(err, errlen, "'%s' exists; will not overwrite it", file);
	if (errno != ENOENT)
		return copy_fail(err, errlen, "cannot write '%s': %s", file, strerror(errno));
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return copy_fail(err, errlen, "cannot create '%s': %s", tmp, strerror(errno));
	close(fd);
	return 0;
}

/* Make the finished tmp the backup: sync it, rename it to file (never over
 * an existing file), sync the directory. */
static int copy_publish(const char *tmp, const char *file, char *err, size_t errlen)
{
	char *dir;
	int rc;

	if (copy_fsync_path(tmp, 0, err, errlen) < 0)
		return -1;
	rc = renameat2(AT_FDCWD, tmp, AT_FDCWD, file, RENAME_NOREPLACE);
	if (rc < 0 && (errno == EINVAL || errno == ENOSYS)) /* file system without it */
		rc = access(file, F_OK) == 0 ? (errno = EEXIST, -1) : rename(tmp, file);
	if (rc < 0)
		return copy_fail(err, errlen, "cannot rename '%s' to '%s': %s", tmp, file, strerror(errno));
	dir = xstrdup(file);
	rc = copy_fsync_path(dirname(dir), O_DIRECTORY, err, errlen);
	free(dir);
	return rc;
}

/* ---- SQLite files ---- */

/* Open path without creating it. */
static sqlite3 *copy_sq_open(const char *path, int flags, char *err, size_t errlen)
{
	sqlite3 *h = NULL;
	int rc = sqlite3_open_v2(path, &h, flags, NULL);

	if (rc != SQLITE_OK) {
		copy_fail(err, errlen, "cannot open database '%s': %s", path,
			  h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
		sqlite3_close(h);
		return NULL;
	}
	sqlite3_busy_timeout(h, 5000);
	return h;
}

/* The first column of the first row of sql as an integer: 0, 1 (no row),
 * or -1 (error; SQLite's message in err). */
static int copy_sq_scalar(sqlite3 *h, const char *sql, int64_t *out, char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(h, sql, -1, &st, NULL);

	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	else if (rc != SQLITE_DONE)
		copy_fail(err, errlen, "%s", sqlite3_errmsg(h));
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1;
}

/* Copy the whole database src into dst with the online backup API: one
 * pass under one read snapshot of src, so writers to src carry on. */
static int copy_sq_backup(sqlite3 *dst, sqlite3 *src, char *err, size_t errlen)
{
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	int rc, tries = 0;

	if (!b)
		return copy_fail(err, errlen, "cannot start the backup: %s", sqlite3_errmsg(dst));
	do {
		rc = sqlite3_backup_step(b, -1);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(50);
	} while ((rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && ++tries < 200);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE)
		return copy_fail(err, errlen, "backup failed: %s", sqlite3_errstr(rc));
	return 0;
}

static int copy_sq_backup_file(const char *path, const char *file, char *err, size_t errlen)
{
	buf tmp = BUF_INIT;
	sqlite3 *src = NULL, *dst = NULL;
	struct stat sb;
	int rc = -1;

	if (stat(path, &sb) < 0)
		return copy_fail(err, errlen, "cannot open database '%s': %s", path, strerror(errno));
	buf_printf(&tmp, "%s.partial", file);
	if (copy_create_tmp(file, tmp.s, err, errlen) < 0) {
		buf_release(&tmp);
		return -1;
	}
	src = copy_sq_open(path, SQLITE_OPEN_READWRITE, err, errlen);
	dst = src ? copy_sq_open(tmp.s, SQLITE_OPEN_READWRITE, err, errlen) : NULL;
	if (!dst || copy_sq_backup(dst, src, err, errlen) < 0)
		goto out;
	/* The copied header says WAL; make the file stand alone. */
	if (sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK) {
		copy_fail(err, errlen, "cannot finish '%s': %s", tmp.s, sqlite3_errmsg(dst));
		goto out;
	}
	sqlite3_close(dst);
	dst = NULL;
	rc = copy_publish(tmp.s, file, err, errlen);
out:
	sqlite3_close(dst);
	sqlite3_close(src);
	if (rc < 0)
		unlink(tmp.s);
	buf_release(&tmp);
	return rc;
}

/* Check a SQLite backup file before restoring it: intact, a jiebang store,
 * and not newer than this binary. */
static int copy_sq_check_backup(sqlite3 *h, const char *file, char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	int64_t v = 0;
	int rc;

	if (sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK)
		return copy_fail(err, errlen, "'%s' is damaged: %s", file, sqlite3_errmsg(h));
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW || strcmp((const char *)sqlite3_column_text(st, 0), "ok") != 0) {
		copy_fail(err, errlen, "'%s' is damaged: %s", file, rc == SQLITE_ROW ?
			  (const char *)sqlite3_column_text(st, 0) : sqlite3_errmsg(h));
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	if (copy_sq_scalar(h, "SELECT max(version) FROM schema_migrations", &v, err, errlen) < 0)
		return copy_fail(err, errlen, "'%s' is not a jiebang backup (no schema_migrations table)", file);
	if (v > db_latest_version())
		return copy_fail(err, errlen, "'%s' has schema version %lld, newer than this jiebang (%d);"
				 " upgrade jiebang", file, (long long)v, db_latest_version());
	return 0;
}

/* Refuse a target that has a tenant, or that is some other database. */
static int copy_sq_check_target(sqlite3 *h, const char *path, char *err, size_t errlen)
{
	char msg[256];
	int64_t tables = 0, n = 0;

	if (copy_sq_scalar(h, "SELECT count(*) FROM sqlite_master WHERE type = 'table'", &tables, msg, sizeof(msg)) < 0)
		return copy_fail(err, errlen, "cannot read database '%s': %s", path, msg);
	if (tables == 0)
		return 0;
	if (copy_sq_scalar(h, "SELECT count(*) FROM schema_migrations", &n, msg, sizeof(msg)) < 0)
		return copy_fail(err, errlen, "'%s' is not a jiebang store; will not overwrite it", path);
	if (copy_sq_scalar(h, "SELECT count(*) FROM tenant", &n, msg, sizeof(msg)) < 0)
		n = 0; /* no tenant table yet */
	if (n > 0)
		return copy_fail(err, errlen, "the store is not empty (it has %lld tenant%s); restore only"
				 " into a new or empty store", (long long)n, n == 1 ? "" : "s");
	return 0;
}

static int copy_sq_restore_file(const char *path, const char *file, char *err, size_t errlen)
{
	sqlite3 *src, *dst = NULL;
	struct stat sb;
	int rc = -1;

	src = copy_sq_open(file, SQLITE_OPEN_READONLY, err, errlen);
	if (!src)
		return -1;
	if (copy_sq_check_backup(src, file, err, errlen) < 0)
		goto out;
	if (stat(path, &sb) == 0) {
		dst = copy_sq_open(path, SQLITE_OPEN_READWRITE, err, errlen);
		if (!dst || copy_sq_check_target(dst, path, err, errlen) < 0)
			goto out;
	} else {
		dst = copy_sq_open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, err, errlen);
		if (!dst)
			goto out;
	}
	if (sqlite3_exec(dst, "PRAGMA synchronous=FULL", NULL, NULL, NULL) != SQLITE_OK) {
		copy_fail(err, errlen, "cannot open database '%s': %s", path, sqlite3_errmsg(dst));
		goto out;
	}
	if (copy_sq_backup(dst, src, err, errlen) < 0)
		goto out;
	if (sqlite3_exec(dst, "PRAGMA journal_mode=WAL", NULL, NULL, NULL) != SQLITE_OK) {
		copy_fail(err, errlen, "cannot open database '%s': %s", path, sqlite3_errmsg(dst));
		goto out;
	}
	rc = 0;
out:
	sqlite3_close(dst);
	sqlite3_close(src);
	return rc;
}

/* ---- PostgreSQL through pg_dump and pg_restore ---- */

/* Split url into a libpq connection string without the password (safe on
 * a command line, where other users can read it) and the password (NULL
 * when the URL has none), both owned by the caller. */
static int copy_pg_conninfo(const char *url, buf *conninfo, char **password, char *err, size_t errlen)
{
	char *perr = NULL;
	PQconninfoOption *opts = PQconninfoParse(url, &perr), *o;

	*password = NULL;
	if (!opts) {
		/* libpq's message may quote the URL: do not repeat it. */
		PQfreemem(perr);
		return copy_fail(err, errlen, "invalid PostgreSQL URL");
	}
	for (o = opts; o->keyword; o++) {
		if (!o->val)
			continue;
		if (!strcmp(o->keyword, "password")) {
			*password = xstrdup(o->val);
			continue;
		}
		buf_printf(conninfo, "%s%s='", conninfo->len ? " " : "", o->keyword);
		for (const char *p = o->val; *p; p++) {
			if (*p == '\'' || *p == '\\')
				buf_putc(conninfo, '\\');
			buf_putc(conninfo, *p);
		}
		buf_putc(conninfo, '\'');
	}
	PQconninfoFree(opts);
	return 0;
}

/* Replace every occurrence of secret in s (in place) with '*'. */
static void copy_redact(char *s, const char *secret)
{
	size_t n = secret ? strlen(secret) : 0;
	char *hit;

	while (n && (hit = strstr(s, secret)))
		memset(hit, '*', n);
}

/* The line of a tool's stderr that says why it failed, without its
 * "pg_dump: error: " prefix. */
static void copy_tool_error(const char *tool, buf *out, const char *password, int status,
			    char *err, size_t errlen)
{
	char *line = NULL, *save = NULL, *first = NULL;
	size_t tl = strlen(tool);

	for (char *p = strtok_r(out->s, "\n", &save); p; p = strtok_r(NULL, "\n", &save)) {
		if (!first && *p)
			first = p;
		if (strstr(p, "error:")) {
			line = p;
			break;
		}
	}
	if (!line)
		line = first;
	if (!line) {
		copy_fail(err, errlen, "%s failed with exit status %d", tool, status);
		return;
	}
	if (!strncmp(line, tool, tl) && line[tl] == ':')
		line += tl + 1;
	while (*line == ' ')
		line++;
	if (!strncmp(line, "error: ", 7))
		line += 7;
	copy_redact(line, password);
	copy_fail(err, errlen, "%s failed: %s", tool, line);
}

/* Run argv[0] (found on PATH, no shell) with PGPASSWORD=password added to
 * the environment when password is not NULL, stderr captured. 0 when it
 * exits 0; otherwise -1 and its first error line in err. */
static int copy_run(const char *const argv[], const char *password, char *err, size_t errlen)
{
	posix_spawn_file_actions_t fa;
	buf out = BUF_INIT, pw = BUF_INIT;
	size_t nenv = 0, k = 0;
	char **envp, chunk[4096];
	int pfd[2], rc, status = 0;
	ssize_t n;
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC) < 0)
		return copy_fail(err, errlen, "cannot run %s: %s", argv[0], strerror(errno));
	while (environ[nenv])
		nenv++;
	envp = xcalloc(nenv + 2, sizeof(*envp));
	for (size_t i = 0; i < nenv; i++)
		if (!password || strncmp(environ[i], "PGPASSWORD=", 11) != 0)
			envp[k++] = environ[i];
	if (password) {
		buf_printf(&pw, "PGPASSWORD=%s", password);
		envp[k++] = pw.s;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pfd[1], STDERR_FILENO);
	rc = posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	close(pfd[1]);
	memset(pw.s, 0, pw.len);
	buf_release(&pw);
	free(envp);
	if (rc != 0) {
		close(pfd[0]);
		return copy_fail(err, errlen, "cannot run %s: %s", argv[0], strerror(rc));
	}
	while ((n = read(pfd[0], chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		if (out.len < COPY_STDERR_MAX)
			buf_add(&out, chunk, (size_t)n);
	}
	close(pfd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	rc = 0;
	if (WIFSIGNALED(status)) {
		rc = copy_fail(err, errlen, "%s was killed by signal %d", argv[0], WTERMSIG(status));
	} else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		copy_tool_error(argv[0], &out, password, WEXITSTATUS(status), err, errlen);
		rc = -1;
	}
	buf_release(&out);
	return rc;
}

/* Connect once, to fail early with db.h's one-line reasons. */
static int copy_pg_reachable(const char *url, char *err, size_t errlen)
{
	db *d = db_open(url, err, errlen);

	if (!d)
		return -1;
	db_close(d);
	return 0;
}

static int copy_pg_dump(const char *url, const char *file, char *err, size_t errlen)
{
	buf conninfo = BUF_INIT, tmp = BUF_INIT, dbarg = BUF_INIT, filearg = BUF_INIT;
	char *password = NULL;
	int rc = -1;

	if (copy_pg_reachable(url, err, errlen) < 0 ||
	    copy_pg_conninfo(url, &conninfo, &password, err, errlen) < 0)
		goto out;
	buf_printf(&tmp, "%s.partial", file);
	if (copy_create_tmp(file, tmp.s, err, errlen) < 0)
		goto out;
	/* From here on tmp is ours: removed unless it became file. */
	buf_printf(&dbarg, "--dbname=%s", conninfo.s);
	buf_printf(&filearg, "--file=%s", tmp.s);
	const char *const argv[] = { "pg_dump", "--format=custom", filearg.s, dbarg.s, NULL };
	if (copy_run(argv, password, err, errlen) == 0)
		rc = copy_publish(tmp.s, file, err, errlen);
	if (rc < 0)
		unlink(tmp.s);
out:
	if (password) {
		memset(password, 0, strlen(password));
		free(password);
	}
	buf_release(&conninfo);
	buf_release(&tmp);
	buf_release(&dbarg);
	buf_release(&filearg);
	return rc;
}

/* A restore goes into a database without tables: pg_restore recreates the
 * whole schema. */
static int copy_pg_check_target(const char *url, char *err, size_t errlen)
{
	db *d = db_open(url, err, errlen);
	int64_t tables = 0, tenants = 0;
	int rc = 0;

	if (!d)
		return -1;
	if (db_scalar(d, "SELECT count(*) FROM pg_catalog.pg_tables"
		      " WHERE schemaname NOT IN ('pg_catalog', 'information_schema')", &tables, 0) < 0) {
		rc = copy_fail(err, errlen, "cannot read the store: %s", db_errmsg(d));
	} else if (tables > 0) {
		if (db_scalar(d, "SELECT count(*) FROM tenant", &tenants, 0) == 0 && tenants > 0)
			rc = copy_fail(err, errlen, "the store is not empty (it has %lld tenant%s); restore only"
				       " into a new or empty store", (long long)tenants, tenants == 1 ? "" : "s");
		else
			rc = copy_fail(err, errlen, "the database is not empty (it has %lld table%s); restore into"
				       " a new database (createdb)", (long long)tables, tables == 1 ? "" : "s");
	}
	db_close(d);
	return rc;
}

static int copy_pg_restore(const char *url, const char *file, char *err, size_t errlen)
{
	buf conninfo = BUF_INIT, dbarg = BUF_INIT;
	char *password = NULL;
	int rc = -1;

	if (copy_pg_check_target(url, err, errlen) < 0 ||
	    copy_pg_conninfo(url, &conninfo, &password, err, errlen) < 0)
		goto out;
	buf_printf(&dbarg, "--dbname=%s", conninfo.s);
	/* One transaction: a failure leaves the database as empty as it was. */
	const char *const argv[] = { "pg_restore", "--no-owner", "--no-acl", "--single-transaction",
				     "--exit-on-error", dbarg.s, "--", file, NULL };
	rc = copy_run(argv, password, err, errlen);
out:
	if (password) {
		memset(password, 0, strlen(password));
		free(password);
	}
	buf_release(&conninfo);
	buf_release(&dbarg);
	return rc;
}

/* ---- backup and restore ---- */

int db_backup(const char *url, const char *file, char *err, size_t errlen)
{
	const char *path = copy_sqlite_path(url);

	if (copy_is_pg(url))
		return copy_pg_dump(url, file, err, errlen);
	if (!path)
		return copy_pg_reachable(url, err, errlen) < 0 ? -1 : copy_fail(err, errlen, "unsupported store");
	return copy_sq_backup_file(path, file, err, errlen);
}

/* Bring a restored store to this binary's schema. */
static int copy_migrate(const char *url, char *err, size_t errlen)
{
	char msg[512];
	db *d = db_open(url, err, errlen);
	int rc;

	if (!d)
		return -1;
	rc = db_migrate(d, msg, sizeof(msg));
	if (rc < 0)
		copy_fail(err, errlen, "restored, but %s", msg);
	db_close(d);
	return rc;
}

int db_restore(const char *url, const char *file, char *err, size_t errlen)
{
	const char *path = copy_sqlite_path(url);
	enum copy_kind kind = COPY_SQLITE;

	if (!copy_is_pg(url) && !path)
		return copy_pg_reachable(url, err, errlen) < 0 ? -1 : copy_fail(err, errlen, "unsupported store");
	if (copy_file_kind(file, &kind, err, errlen) < 0)
		return -1;
	if (copy_is_pg(url) && kind == COPY_SQLITE)
		return copy_fail(err, errlen, "'%s' is a SQLite backup and the store is PostgreSQL; use"
				 " 'jiebang migrate-store --from sqlite:%s --to URL'", file, file);
	if (!copy_is_pg(url) && kind == COPY_PGDUMP)
		return copy_fail(err, errlen, "'%s' is a PostgreSQL (pg_dump) backup and the store is SQLite;"
				 " restore it into a PostgreSQL store, then use 'jiebang migrate-store'", file);
	if (kind == COPY_PGDUMP ? copy_pg_restore(url, file, err, errlen) < 0 :
	    copy_sq_restore_file(path, file, err, errlen) < 0)
		return -1;
	return copy_migrate(url, err, errlen);
}

/* ---- migrate-store: a generic copy through db.h ---- */

/* Append name as a quoted SQL identifier. */
static void copy_ident(buf *b, const char *name)
{
	buf_putc(b, '"');
	for (const char *p = name; *p; p++) {
		if (*p == '"')
			buf_putc(b, '"');
		buf_putc(b, *p);
	}
	buf_putc(b, '"');
}

/* "SELECT count(*) FROM t" on d. */
static int copy_count(db *d, const char *table, int64_t *n)
{
	buf sql = BUF_INIT;
	db_stmt *st;
	int rc = -1;

	buf_puts(&sql, "SELECT count(*) FROM ");
	copy_ident(&sql, table);
	st = db_prepare_dynamic(d, sql.s);
	if (st && db_step(st) == DB_ROW) {
		*n = db_col_int(st, 0);
		rc = 0;
	}
	db_finalize(st);
	buf_release(&sql);
	return rc;
}

/* The state of one table's copy. vals holds up to batch rows of ncols
 * values each (NULL for SQL NULL), owned; last holds the key of the last
 * row read, to continue after it. */
struct copy_job {
	db *src, *dst;
	const struct copy_table *t;
	int ncols, nkey, batch, nbuf;
	char **names;
	int keycol[4];
	char **vals;
	char *last[4];
	db_stmt *ins;      /* INSERT of batch rows */
	int64_t rows;
	char *err;
	size_t errlen;
};

static db_stmt *copy_insert_stmt(struct copy_job *j, int nrows)
{
	buf sql = BUF_INIT;
	db_stmt *st;
	int p = 0;

	buf_puts(&sql, "INSERT INTO ");
	copy_ident(&sql, j->t->name);
	buf_puts(&sql, " (");
	for (int c = 0; c < j->ncols; c++) {
		if (c)
			buf_puts(&sql, ", ");
		copy_ident(&sql, j->names[c]);
	}
	buf_puts(&sql, ") VALUES ");
	for (int r = 0; r < nrows; r++) {
		buf_puts(&sql, r ? ", (" : "(");
		for (int c = 0; c < j->ncols; c++)
			buf_printf(&sql, "%s$%d", c ? ", " : "", ++p);
		buf_putc(&sql, ')');
	}
	st = db_prepare_dynamic(j->dst, sql.s);
	buf_release(&sql);
	if (!st)
		copy_fail(j->err, j->errlen, "cannot write table '%s': %s", j->t->name, db_errmsg(j->dst));
	return st;
}

/* Insert the buffered rows and free them. */
static int copy_flush(struct copy_job *j)
{
	db_stmt *st = j->ins, *tail = NULL;
	int n = j->nbuf * j->ncols, rc = 0;

	if (j->nbuf == 0)
		return 0;
	if (j->nbuf < j->batch && !(st = tail = copy_insert_stmt(j, j->nbuf)))
		rc = -1;
	if (rc == 0) {
		for (int i = 0; i < n; i++)
			db_bind_text(st, i + 1, j->vals[i]);
		if (db_step(st) != DB_DONE)
			rc = copy_fail(j->err, j->errlen, "cannot copy table '%s': %s", j->t->name,
				       db_errmsg(j->dst));
		db_done(st);
	}
	db_finalize(tail);
	for (int i = 0; i < n; i++) {
		free(j->vals[i]);
		j->vals[i] = NULL;
	}
	j->rows += j->nbuf;
	j->nbuf = 0;
	return rc;
}

/* Learn the columns from the first query and find the key among them. */
static int copy_columns(struct copy_job *j, db_stmt *q)
{
	j->ncols = db_ncols(q);
	j->names = xcalloc((size_t)j->ncols, sizeof(*j->names));
	for (int c = 0; c < j->ncols; c++)
		j->names[c] = xstrdup(db_col_name(q, c));
	for (int k = 0; k < j->nkey; k++) {
		j->keycol[k] = -1;
		for (int c = 0; c < j->ncols; c++)
			if (!strcmp(j->names[c], j->t->key[k]))
				j->keycol[k] = c;
		if (j->keycol[k] < 0)
			return copy_fail(j->err, j->errlen, "table '%s' has no column '%s'", j->t->name, j->t->key[k]);
	}
	j->batch = COPY_MAX_PARAMS / j->ncols > 0 ? COPY_MAX_PARAMS / j->ncols : 1;
	j->vals = xcalloc((size_t)j->batch * (size_t)j->ncols, sizeof(*j->vals));
	j->ins = copy_insert_stmt(j, j->batch);
	return j->ins ? 0 : -1;
}

/* SELECT * FROM t [WHERE (key) > ($1, ...)] ORDER BY key LIMIT chunk, or
 * all of a table without a key. */
static db_stmt *copy_select_stmt(struct copy_job *j, bool after)
{
	buf sql = BUF_INIT, key = BUF_INIT;
	db_stmt *st;

	for (int k = 0; k < j->nkey; k++) {
		if (k)
			buf_puts(&key, ", ");
		copy_ident(&key, j->t->key[k]);
	}
	buf_puts(&sql, "SELECT * FROM ");
	copy_ident(&sql, j->t->name);
	if (after) {
		buf_printf(&sql, " WHERE (%s) > (", key.s);
		for (int k = 0; k < j->nkey; k++)
			buf_printf(&sql, "%s$%d", k ? ", " : "", k + 1);
		buf_putc(&sql, ')');
	}
	if (j->nkey > 0)
		buf_printf(&sql, " ORDER BY %s LIMIT %d", key.s, COPY_CHUNK);
	st = db_prepare_dynamic(j->src, sql.s);
	if (!st)
		copy_fail(j->err, j->errlen, "cannot read table '%s': %s", j->t->name, db_errmsg(j->src));
	buf_release(&sql);
	buf_release(&key);
	return st;
}

/* Copy one table; the rows copied in j->rows. */
static int copy_one_table(struct copy_job *j)
{
	db_stmt *first = copy_select_stmt(j, false), *next = NULL, *q = first;
	int rc = first ? copy_columns(j, first) : -1;

	while (rc == 0) {
		int got = 0, step;

		if (q == next)
			for (int k = 0; k < j->nkey; k++)
				db_bind_text(q, k + 1, j->last[k]);
		while ((step = db_step(q)) == DB_ROW) {
			char **row = j->vals + (size_t)j->nbuf * (size_t)j->ncols;
			for (int c = 0; c < j->ncols; c++)
				row[c] = db_col_null(q, c) ? NULL : xstrdup(db_col_text(q, c));
			for (int k = 0; k < j->nkey; k++) {
				free(j->last[k]);
				j->last[k] = xstrdup(row[j->keycol[k]] ? row[j->keycol[k]] : "");
			}
			got++;
			if (++j->nbuf == j->batch && (rc = copy_flush(j)) < 0)
				break;
		}
		if (rc == 0 && step == DB_ERROR)
			rc = copy_fail(j->err, j->errlen, "cannot read table '%s': %s", j->t->name,
				       db_errmsg(j->src));
		db_done(q);
		if (rc < 0 || got < COPY_CHUNK || j->nkey == 0)
			break;
		if (!next && !(next = copy_select_stmt(j, true)))
			rc = -1;
		q = next;
	}
	if (rc == 0)
		rc = copy_flush(j);
	db_finalize(first);
	db_finalize(next);
	return rc;
}

static void copy_job_release(struct copy_job *j)
{
	for (int i = 0; j->vals && i < j->batch * j->ncols; i++)
		free(j->vals[i]);
	free(j->vals);
	for (int c = 0; j->names && c < j->ncols; c++)
		free(j->names[c]);
	free(j->names);
	for (int k = 0; k < 4; k++)
		free(j->last[k]);
	db_finalize(j->ins);
}

/* Copy table t and check both sides count the same rows. */
static int copy_table(db *src, db *dst, const struct copy_table *t, int64_t *rows, char *err, size_t errlen)
{
	struct copy_job j = { .src = src, .dst = dst, .t = t, .err = err, .errlen = errlen };
	int64_t ns = -1, nd = -1;
	int rc;

	while (j.nkey < 4 && t->key[j.nkey])
		j.nkey++;
	rc = copy_one_table(&j);
	copy_job_release(&j);
	if (rc < 0)
		return -1;
	if (copy_count(src, t->name, &ns) < 0)
		return copy_fail(err, errlen, "cannot count table '%s': %s", t->name, db_errmsg(src));
	if (copy_count(dst, t->name, &nd) < 0)
		return copy_fail(err, errlen, "cannot count table '%s': %s", t->name, db_errmsg(dst));
	if (ns != nd || ns != j.rows)
		return copy_fail(err, errlen, "row counts differ for table '%s': source %lld, target %lld"
				 " (copied %lld)", t->name, (long long)ns, (long long)nd, (long long)j.rows);
	*rows = nd;
	return 0;
}

/* Run a derived table's check on d into "v1 v2 ..."; -1 on error. */
static int copy_check_derived(db *d, const struct copy_derived *t, buf *out)
{
	db_stmt *st = db_prepare(d, t->check);
	int rc = -1;

	if (st && db_step(st) == DB_ROW) {
		for (int c = 0; c < db_ncols(st); c++)
			buf_printf(out, "%s%lld", c ? " " : "", (long long)db_col_int(st, c));
		rc = 0;
	}
	db_done(st);
	return rc;
}

/* The target's triggers rebuilt derived table t as the source has it. */
static int copy_derived_matches(db *src, db *dst, const struct copy_derived *t, char *err, size_t errlen)
{
	buf a = BUF_INIT, b = BUF_INIT;
	int rc = 0;

	if (copy_check_derived(src, t, &a) < 0)
		rc = copy_fail(err, errlen, "cannot check table '%s': %s", t->name, db_errmsg(src));
	else if (copy_check_derived(dst, t, &b) < 0)
		rc = copy_fail(err, errlen, "cannot check table '%s': %s", t->name, db_errmsg(dst));
	else if (strcmp(a.s, b.s) != 0)
		rc = copy_fail(err, errlen, "table '%s' was rebuilt differently: source %s, target %s",
			       t->name, a.s, b.s);
	buf_release(&a);
	buf_release(&b);
	return rc;
}

/* The source must exist (db_open would create a SQLite file) and be at
 * this binary's schema version, so both sides have the same columns. */
static db *copy_open_source(const char *url, char *err, size_t errlen)
{
	const char *path = copy_sqlite_path(url);
	char msg[512];
	struct stat sb;
	int64_t v = 0;
	db *d;

	if (path && stat(path, &sb) < 0) {
		copy_fail(err, errlen, "source store: cannot open database '%s': %s", path, strerror(errno));
		return NULL;
	}
	d = db_open(url, msg, sizeof(msg));
	if (!d) {
		copy_fail(err, errlen, "source store: %s", msg);
		return NULL;
	}
	if (db_scalar(d, "SELECT coalesce(max(version), 0) FROM schema_migrations", &v, 0) < 0)
		copy_fail(err, errlen, "source store: not a jiebang store (no schema_migrations table)");
	else if (v > db_latest_version())
		copy_fail(err, errlen, "source store: database schema version %lld is newer than this jiebang"
			  " (%d); upgrade jiebang", (long long)v, db_latest_version());
	else if (v < db_latest_version())
		copy_fail(err, errlen, "source store: schema version %lld is older than this jiebang's (%d);"
			  " run 'jiebang migrate' on it first", (long long)v, db_latest_version());
	else
		return d;
	db_close(d);
	return NULL;
}

/* Open and migrate the target, refusing one with a tenant before touching
 * its schema. */
static db *copy_open_target(const char *url, char *err, size_t errlen)
{
	char msg[512];
	int64_t n = 0;
	db *d = db_open(url, msg, sizeof(msg));

	if (!d) {
		copy_fail(err, errlen, "target store: %s", msg);
		return NULL;
	}
	if (db_scalar(d, "SELECT count(*) FROM tenant", &n, 0) == 0 && n > 0) {
		copy_fail(err, errlen, "target store is not empty (it has %lld tenant%s); copy only into a new"
			  " or empty store", (long long)n, n == 1 ? "" : "s");
	} else if (db_migrate(d, msg, sizeof(msg)) < 0) {
		copy_fail(err, errlen, "target store: %s", msg);
	} else {
		return d;
	}
	db_close(d);
	return NULL;
}

int db_copy_store(const char *from_url, const char *to_url, FILE *report, char *err, size_t errlen)
{
	int64_t rows[NTABLES], n = 0, total = 0;
	db *src = NULL, *dst = NULL;
	int rc = -1;

	if (!strcmp(from_url, to_url))
		return copy_fail(err, errlen, "the source and the target are the same store");
	src = copy_open_source(from_url, err, errlen);
	dst = src ? copy_open_target(to_url, err, errlen) : NULL;
	if (!dst)
		goto out;
	if (db_begin(src, DB_READ) < 0) {
		copy_fail(err, errlen, "source store: %s", db_errmsg(src));
		goto out;
	}
	if (db_begin(dst, DB_WRITE) < 0) {
		copy_fail(err, errlen, "target store: %s", db_errmsg(dst));
		goto out;
	}
	/* Under the write lock: nobody added a tenant since the check. */
	if (db_scalar(dst, "SELECT count(*) FROM tenant", &n, 0) < 0) {
		copy_fail(err, errlen, "target store: %s", db_errmsg(dst));
		goto out;
	}
	if (n > 0) {
		copy_fail(err, errlen, "target store is not empty (it has %lld tenant%s); copy only into a new"
			  " or empty store", (long long)n, n == 1 ? "" : "s");
		goto out;
	}
	/* SQLite checks foreign keys at commit, so a row may reference a later
	 * row of its own table; PostgreSQL checks each statement, and rows come
	 * in key order (parents first, as the application creates them). */
	if (db_kind(dst) == DB_SQLITE && db_exec(dst, "PRAGMA defer_foreign_keys = ON") < 0) {
		copy_fail(err, errlen, "target store: %s", db_errmsg(dst));
		goto out;
	}
	for (size_t i = 0; i < NTABLES; i++) {
		if (copy_table(src, dst, &copy_tables[i], &rows[i], err, errlen) < 0)
			goto out;
		total += rows[i];
	}
	for (size_t i = 0; i < NDERIVED; i++)
		if (copy_derived_matches(src, dst, &copy_derived[i], err, errlen) < 0)
			goto out;
	if (db_commit(dst) < 0) {
		copy_fail(err, errlen, "target store: cannot commit: %s", db_errmsg(dst));
		goto out;
	}
	rc = 0;
	if (report) {
		for (size_t i = 0; i < NTABLES; i++)
			fprintf(report, "%-16s %lld\n", copy_tables[i].name, (long long)rows[i]);
		for (size_t i = 0; i < NDERIVED; i++)
			fprintf(report, "%-16s rebuilt\n", copy_derived[i].name);
		fprintf(report, "copied %lld rows in %zu tables\n", (long long)total, NTABLES);
	}
out:
	if (dst)
		db_rollback(dst);
	if (src)
		db_rollback(src);
	db_close(dst);
	db_close(src);
	return rc;
}
