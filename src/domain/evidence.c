/* evidence.c - evidence files: typed by content, stored by SHA-256 under
 * the data directory, recorded in table evidence, read back for those
 * who may see their claim (evidence.h). */
#include "domain/evidence.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <magic.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "domain/state.h"
#include "util/log.h"
#include "util/text.h"

#define MIME_DOCX "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#define MIME_XLSX "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#define ALLOWED_ZH "只能上传 PDF、JPEG、PNG、Word（docx）或 Excel（xlsx）文件"

/* Set by evidence_init() before threads start, then only read. libmagic
 * handles are not safe to share, and loading one costs a few MB and
 * milliseconds: one handle, opened on first use, used under the lock. */
static const char *files_dir;      /* <data>/files */
static pthread_mutex_t magic_lock = PTHREAD_MUTEX_INITIALIZER;
static magic_t magic_handle;

int evidence_init(const char *data_dir)
{
	char *dir;

	if (asprintf(&dir, "%s/files", data_dir) < 0)
		return -1;
	if (mkdir(dir, 0750) < 0 && errno != EEXIST) {
		log_error("cannot create the files directory '%s': %s", dir, strerror(errno));
		free(dir);
		return -1;
	}
	free((char *)files_dir);
	files_dir = dir;
	return 0;
}

/* ---- the type ---- */

/* What a type is called in messages; NULL for one not named here. */
static const struct { const char *mime, *zh; bool allowed; } types[] = {
	{ "application/pdf", "PDF 文档", true },
	{ "image/jpeg", "JPEG 图片", true },
	{ "image/png", "PNG 图片", true },
	{ MIME_DOCX, "Word 文档（docx）", true },
	{ MIME_XLSX, "Excel 表格（xlsx）", true },
	{ "text/html", "HTML 网页", false },
	{ "text/plain", "纯文本文件", false },
	{ "text/xml", "XML 文件", false },
	{ "image/svg+xml", "SVG 图像", false },
	{ "image/gif", "GIF 图片", false },
	{ "image/webp", "WebP 图片", false },
	{ "application/zip", "ZIP 压缩包", false },
	{ "application/x-rar", "RAR 压缩包", false },
	{ "application/x-7z-compressed", "7z 压缩包", false },
	{ "application/msword", "旧版 Word 文档（doc）", false },
	{ "application/vnd.ms-excel", "旧版 Excel 表格（xls）", false },
	{ "application/vnd.ms-office", "旧版 Office 或 WPS 文档", false },
	{ "application/CDFV2", "旧版 Office 或 WPS 文档", false },
	{ "application/x-dosexec", "Windows 程序", false },
	{ "application/x-executable", "可执行程序", false },
	{ "application/javascript", "脚本文件", false },
	{ "application/octet-stream", "无法识别的二进制文件", false },
};

static int type_of(const char *mime)
{
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcmp(types[i].mime, mime))
			return (int)i;
	return -1;
}

static uint32_t le16(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t le32(const unsigned char *p)
{
	return le16(p) | le16(p + 2) << 16;
}

#define ZIP_EOCD 22             /* bytes of the end of central directory record */
#define ZIP_TAIL (ZIP_EOCD + 65535)
#define ZIP_CD_MAX (4 << 20)    /* a central directory larger than this is not an office file */

/* Whether the central directory cd[0..n) names the entry name. */
static bool zip_has(const unsigned char *cd, size_t n, const char *name)
{
	size_t len = strlen(name);

	for (size_t i = 0; i + 46 <= n && le32(cd + i) == 0x02014b50; ) {
		size_t nlen = le16(cd + i + 28), rest = nlen + le16(cd + i + 30) + le16(cd + i + 32);
		if (nlen == len && i + 46 + nlen <= n && !memcmp(cd + i + 46, name, len))
			return true;
		i += 46 + rest;
	}
	return false;
}

/* The central directory of the zip file fd (its size st_size) on a, or
 * NULL (not a zip, zip64, or too large). */
static unsigned char *zip_directory(arena *a, int fd, off_t st_size, size_t *n)
{
	size_t tail = st_size < ZIP_TAIL ? (size_t)st_size : ZIP_TAIL;
	unsigned char *t = arena_alloc(a, tail ? tail : 1), *cd;
	uint32_t size, off;
	ssize_t i;

	if (tail < ZIP_EOCD || pread(fd, t, tail, st_size - (off_t)tail) != (ssize_t)tail)
		return NULL;
	for (i = (ssize_t)tail - ZIP_EOCD; i >= 0 && le32(t + i) != 0x06054b50; i--)
		;
	if (i < 0)
		return NULL;
	size = le32(t + i + 12);
	off = le32(t + i + 16);
	if (size > ZIP_CD_MAX || (off_t)off + size > st_size)
		return NULL;
	cd = arena_alloc(a, size ? size : 1);
	if (pread(fd, cd, size, off) != (ssize_t)size)
		return NULL;
	*n = size;
	return cd;
}

/* A zip that is an OOXML package (libmagic names such packages only when
 * their first entries come in the usual order): docx or xlsx by the
 * entries it has, else NULL. */
static const char *ooxml_type(arena *a, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	const char *mime = NULL;
	unsigned char *cd;
	struct stat st;
	size_t n = 0;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) == 0 && (cd = zip_directory(a, fd, st.st_size, &n)) &&
	    zip_has(cd, n, "[Content_Types].xml")) {
		if (zip_has(cd, n, "word/document.xml"))
			mime = MIME_DOCX;
		else if (zip_has(cd, n, "xl/workbook.xml"))
			mime = MIME_XLSX;
	}
	close(fd);
	return mime;
}

/* libmagic's MIME type of the file at path (on a), or NULL. */
static const char *magic_type(arena *a, const char *path)
{
	const char *m = NULL;

	pthread_mutex_lock(&magic_lock);
	if (!magic_handle) {
		magic_handle = magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR);
		if (magic_handle && magic_load(magic_handle, NULL) < 0) {
			log_error("cannot load libmagic's database: %s", magic_error(magic_handle));
			magic_close(magic_handle);
			magic_handle = NULL;
		}
	}
	if (magic_handle && !(m = magic_file(magic_handle, path)))
		log_error("libmagic cannot read '%s': %s", path, magic_error(magic_handle));
	if (m)
		m = arena_strdup(a, m);
	pthread_mutex_unlock(&magic_lock);
	return m;
}

/* The type of the file at path by content: an allowed MIME type, or NULL
 * with *what saying what it is instead. */
static const char *content_type(struct ctx *c, const char *path, const char **what)
{
	const char *m = magic_type(c->a, path), *ox;
	int t;

	*what = "无法识别的文件";
	if (!m)
		return NULL;
	if ((!strcmp(m, "application/zip") || !strcmp(m, "application/octet-stream") ||
	     !strncmp(m, "application/vnd.openxmlformats-officedocument", 46)) && (ox = ooxml_type(c->a, path)))
		m = ox;
	t = type_of(m);
	if (t >= 0 && types[t].allowed)
		return types[t].mime;
	*what = t >= 0 ? types[t].zh : arena_printf(c->a, "“%s”类型的文件", m);
	return NULL;
}

static const char *shown_name(const struct evidence_file *f)
{
	return f->name && *f->name ? f->name : "未命名文件";
}

int evidence_check(struct ctx *c, struct evidence_file *files, int n)
{
	int rc = JB_OK;

	for (int i = 0; i < n; i++) {
		const char *what;
		if (files[i].size <= 0) {
			rc = ctx_invalid(c, "file", "empty_file",
					 arena_printf(c->a, "文件“%s”是空文件，请选择有内容的文件", shown_name(&files[i])));
			continue;
		}
		files[i].mime = content_type(c, files[i].path, &what);
		if (!files[i].mime)
			rc = ctx_invalid(c, "file", "file_type",
					 arena_printf(c->a, "文件“%s”是%s，%s", shown_name(&files[i]), what, ALLOWED_ZH));
	}
	return rc;
}

/* ---- storing ---- */

static bool sha_valid(const char *s)
{
	return s && strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64;
}

/* <files>/<xx>/<sha256>, on a; with dir, its directory only. */
static const char *stored_path(arena *a, const char *sha, bool dir)
{
	return dir ? arena_printf(a, "%s/%.2s", files_dir, sha) : arena_printf(a, "%s/%.2s/%s", files_dir, sha, sha);
}

/* The file f under its hash: a hard link of the temporary file (which its
 * owner removes), made durable; one there already has the same content. */
static int store_file(struct ctx *c, const struct evidence_file *f)
{
	const char *dir = stored_path(c->a, f->sha256, true), *to = stored_path(c->a, f->sha256, false);
	int fd;

	if (mkdir(dir, 0750) < 0 && errno != EEXIST) {
		log_error("cannot create '%s': %s", dir, strerror(errno));
		return -1;
	}
	if (link(f->path, to) < 0 && errno != EEXIST) {
		log_error("cannot store '%s' as '%s': %s", f->path, to, strerror(errno));
		return -1;
	}
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		fsync(fd);
		close(fd);
	}
	return 0;
}

/* The name kept: at most EVIDENCE_NAME_MAX characters of the client's. */
static const char *kept_name(arena *a, const char *name)
{
	const char *p = name;

	if (!name || !*name || !utf8_valid(name, strlen(name)) || strpbrk(name, "\t\r\n"))
		return "未命名文件";
	for (int i = 0; i < EVIDENCE_NAME_MAX && *p; i++)
		utf8_next(&p);
	return arena_strndup(a, name, (size_t)(p - name));
}

int evidence_attach(struct ctx *c, int64_t claim_id, int64_t progress_id, const struct evidence_file *files, int n)
{
	for (int i = 0; i < n; i++) {
		struct evidence_file f = files[i];
		int64_t id;
		int rc;

		if (!sha_valid(f.sha256) || !files_dir)
			return ctx_fail(c, JB_ESTORE, "file", "store_failed", "服务器无法保存上传的文件");
		if (!f.mime && (rc = evidence_check(c, &f, 1)) != JB_OK)
			return rc;
		if (store_file(c, &f) < 0)
			/* the files' disk is full or read-only: try again later */
			return ctx_fail(c, JB_EBUSY, "file", "store_failed",
					arena_printf(c->a, "服务器暂时无法保存文件“%s”，请稍后再试", shown_name(&f)));
		if ((id = db_next_id(c->d, c->who->tenant_id, "evidence")) < 0 ||
		    db_run(c->d, "INSERT INTO evidence (tenant_id, id, claim_id, progress_id, sha256, name, mime, size,"
				 " user_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
			   "iiidsssidi", c->who->tenant_id, id, claim_id, progress_id, f.sha256,
			   kept_name(c->a, f.name), f.mime, f.size, c->who->user_id, c->now) != DB_DONE)
			return ctx_store_error(c);
	}
	return JB_OK;
}

void evidence_discard(struct ctx *c, const struct evidence_file *files, int n)
{
	if (!n || !files_dir)
		return;
	if (db_begin(c->d, DB_WRITE) < 0) {
		log_error("cannot check stored files after a refused report: %s", db_errmsg(c->d));
		return;
	}
	for (int i = 0; i < n; i++) {
		const char *to;
		int rc;
		if (!sha_valid(files[i].sha256))
			continue;
		rc = db_run(c->d, "SELECT 1 FROM evidence WHERE sha256 = $1", "s", files[i].sha256);
		if (rc == DB_ERROR) {
			log_error("cannot check stored file %s: %s", files[i].sha256, db_errmsg(c->d));
			break;
		}
		to = stored_path(c->a, files[i].sha256, false);
		if (rc == DB_DONE && unlink(to) < 0 && errno != ENOENT)
			log_error("cannot remove '%s': %s", to, strerror(errno));
	}
	db_rollback(c->d);
}

/* Whether the stored file name was written within SWEEP_MAX_AGE of now:
 * what a crash leaves is minutes old at the restart; an old file no row
 * names means the wrong store or data directory, and is left alone. */
#define SWEEP_MAX_AGE (24 * 3600)
static bool recent(int dirfd, const char *name, time_t now)
{
	struct stat sb;

	return fstatat(dirfd, name, &sb, 0) == 0 && now - sb.st_mtime <= SWEEP_MAX_AGE;
}

/* The recent files of one directory <files>/<xx> no row names, removed
 * under the write lock; the number removed, or -1; *kept counts the old
 * ones left. */
static int sweep_dir(db *d, const char *sub, time_t now, int *kept)
{
	char *path = NULL;
	struct dirent *e;
	int removed = 0;
	DIR *dir;

	if (asprintf(&path, "%s/%s", files_dir, sub) < 0)
		return -1;
	if (db_begin(d, DB_WRITE) < 0) {
		log_error("cannot check stored files: %s", db_errmsg(d));
		free(path);
		return -1;
	}
	if (!(dir = opendir(path))) {
		log_error("cannot read '%s': %s", path, strerror(errno));
		db_rollback(d);
		free(path);
		return -1;
	}
	while ((e = readdir(dir))) {
		int rc;
		if (!sha_valid(e->d_name) || strncmp(e->d_name, sub, 2))
			continue;
		rc = db_run(d, "SELECT 1 FROM evidence WHERE tenant_id IN (SELECT id FROM tenant) AND sha256 = $1", "s",
			    e->d_name);
		if (rc == DB_ERROR) {
			log_error("cannot check stored file %s: %s", e->d_name, db_errmsg(d));
			removed = -1;
			break;
		}
		if (rc == DB_DONE && !recent(dirfd(dir), e->d_name, now)) {
			(*kept)++;
		} else if (rc == DB_DONE) {
			if (unlinkat(dirfd(dir), e->d_name, 0) < 0)
				log_error("cannot remove '%s/%s': %s", path, e->d_name, strerror(errno));
			else
				removed++;
		}
	}
	if (removed > 0)
		fsync(dirfd(dir));
	closedir(dir);
	db_rollback(d);
	free(path);
	return removed;
}

int evidence_sweep(db *d)
{
	struct dirent *e;
	int total = 0, kept = 0;
	time_t now = time(NULL);
	DIR *dir;

	if (!files_dir)
		return 0;
	if (!(dir = opendir(files_dir))) {
		log_error("cannot read '%s': %s", files_dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(dir))) {
		int n;
		if (strlen(e->d_name) != 2 || strspn(e->d_name, "0123456789abcdef") != 2)
			continue;
		if ((n = sweep_dir(d, e->d_name, now, &kept)) < 0) {
			total = -1;
			break;
		}
		total += n;
	}
	closedir(dir);
	if (total > 0)
		log_info("removed %d stored file%s no row names (left by an interrupted report)", total,
			 total == 1 ? "" : "s");
	if (kept > 0)
		log_error("%d stored file%s older than a day no row names, left in place: is this the store of '%s'?",
			  kept, kept == 1 ? "" : "s", files_dir);
	return total;
}

/* ---- reading ---- */

int evidence_get(struct ctx *c, const char *sha256, struct evidence_blob *out)
{
	const struct principal *w = c->who;
	int64_t unit_approve = -1, unit_read = -1, all = 0;
	bool approve, read;
	db_stmt *st;
	int rc;

	if (!sha_valid(sha256) || !files_dir)
		return ctx_fail(c, JB_ENOTFOUND, NULL, "not_found", "文件不存在");
	/* perm_unit_scope(): unit 0 is the whole tenant, else one unit. */
	approve = perm_unit_scope(w, "claim.approve", &unit_approve);
	read = perm_unit_scope(w, "problem.read_internal", &unit_read);
	all = (approve && !unit_approve) || (read && !unit_read);
	st = db_query(c->d,
		"SELECT e.name, e.mime, e.size FROM evidence e"
		" JOIN claim cl ON cl.tenant_id = e.tenant_id AND cl.id = e.claim_id"
		" JOIN problem p ON p.tenant_id = cl.tenant_id AND p.id = cl.problem_id"
		" LEFT JOIN progress r ON r.tenant_id = e.tenant_id AND r.id = e.progress_id"
		" WHERE e.tenant_id = $1 AND e.sha256 = $2"
		"   AND ((p.state IN " STATE_SQL_PUBLIC " AND p.is_public = 1 AND cl.state IN " STATE_SQL_COUNTED_CLAIMS
		"         AND coalesce(r.is_public, 1) <> 0) OR $3 = 1"
		"     OR cl.unit_id IN ($4, $5) OR cl.applicant_user_id = $6"
		"     OR cl.lead_person_id = $7 OR cl.owner_person_id = $7"
		"     OR EXISTS (SELECT 1 FROM claim_member m WHERE m.tenant_id = cl.tenant_id"
		"                AND m.claim_id = cl.id AND m.person_id = $7))"
		" ORDER BY e.id LIMIT 1",
		"isiiiii", w->tenant_id, sha256, all, approve ? unit_approve : (int64_t)0,
		read ? unit_read : (int64_t)0, w->user_id, w->person_id);
	if (!st)
		return ctx_store_error(c);
	rc = db_step(st);
	if (rc == DB_ROW) {
		out->name = arena_strdup(c->a, db_col_text(st, 0));
		out->mime = arena_strdup(c->a, db_col_text(st, 1));
		out->size = db_col_int(st, 2);
		out->path = stored_path(c->a, sha256, false);
	}
	db_done(st);
	if (rc == DB_ERROR)
		return ctx_store_error(c);
	return rc == DB_ROW ? JB_OK : ctx_fail(c, JB_ENOTFOUND, NULL, "not_found", "文件不存在");
}
