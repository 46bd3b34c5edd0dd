/* upload.c - multipart/form-data bodies streamed to temporary files
 * through libmicrohttpd's post processor (upload.h). */
#include "http/upload.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/log.h"
#include "util/text.h"

/* The post processor's buffer: a part's headers must fit in it. */
#define PP_BUFFER (16 * 1024)
#define MIB (1024 * 1024)

struct part_file {
	struct upload_file f;
	int fd;                        /* -1 once closed */
	crypto_hash_sha256_state sha;
};

struct upload {
	struct upload_limits lim;
	struct MHD_PostProcessor *pp;
	bool failed;
	/* The part being read. */
	bool in_part, is_file;
	const char *key, *filename;    /* filename NULL: a field */
	uint64_t part_bytes;
	buf value;                     /* a field's value so far */
	int cur;                       /* a file part's index in files, -1 before its first byte */
	/* What was read. */
	struct part_file *files;       /* lim->files_max of them */
	int nfiles;
	int64_t file_bytes;
	size_t field_bytes;
	struct kv *pairs;
	int npairs, pairs_cap;
};

int upload_dir_init(const char *dir)
{
	DIR *d;
	struct dirent *e;

	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		log_error("cannot create the upload directory '%s': %s", dir, strerror(errno));
		return -1;
	}
	if (chmod(dir, 0700) < 0 || !(d = opendir(dir))) {
		log_error("cannot use the upload directory '%s': %s", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, "up-", 3) && unlinkat(dirfd(d), e->d_name, 0) < 0)
			log_error("cannot remove the stale upload '%s/%s': %s", dir, e->d_name, strerror(errno));
	closedir(d);
	return 0;
}

/* Close and remove every temporary file of u. */
static void remove_files(struct upload *u)
{
	for (int i = 0; i < u->nfiles; i++) {
		struct part_file *pf = &u->files[i];
		if (pf->fd >= 0)
			close(pf->fd);
		pf->fd = -1;
		if (unlink(pf->f.path) < 0 && errno != ENOENT)
			log_error("cannot remove the upload '%s': %s", pf->f.path, strerror(errno));
	}
	u->nfiles = 0;
	u->cur = -1;
}

void upload_fail(struct req *r, int status, const char *message)
{
	struct upload *u = r->upload;

	if (!r->bad_request) {
		r->bad_request = message;
		r->bad_status = status;
	}
	if (!u)
		return;
	u->failed = true;
	remove_files(u);
}

/* upload_fail(), for the iterator: -1. */
static int fail(struct req *r, int status, const char *message)
{
	upload_fail(r, status, message);
	return -1;
}

/* The upload directory cannot take the file (disk full, read-only, an I/O
 * error): 503, to be tried again later. */
static int cannot_store(struct req *r)
{
	req_header(r, "Retry-After", "60");
	return fail(r, 503, "服务器暂时无法保存上传的文件，请稍后再试");
}

static const char *mib(struct req *r, int64_t n)
{
	return n % MIB ? arena_printf(r->a, "%lld 字节", (long long)n) : arena_printf(r->a, "%lld MiB", (long long)(n / MIB));
}

/* The name without the directory some clients send ("C:\\a\\b.pdf"). */
static const char *name_tail(const char *name)
{
	const char *s = name;

	for (const char *p = name; *p; p++)
		if (*p == '/' || *p == '\\')
			s = p + 1;
	return s;
}

/* The file name to keep, or NULL when it is not UTF-8 text on one line.
 * Browsers send a '"' in it as "%22" (HTML's multipart/form-data encoding
 * algorithm); it is turned back. */
static const char *base_name(struct req *r, const char *name)
{
	const char *s = name_tail(name);
	char *out = arena_alloc(r->a, strlen(s) + 1), *o = out;

	if (!utf8_valid(s, strlen(s)) || strpbrk(s, "\t\r\n"))
		return NULL;
	while (*s)
		if (!strncmp(s, "%22", 3)) {
			*o++ = '"';
			s += 3;
		} else {
			*o++ = *s++;
		}
	return out;
}

static int part_begin(struct req *r, const char *key, const char *filename)
{
	struct upload *u = r->upload;

	u->in_part = true;
	u->part_bytes = 0;
	u->cur = -1;
	buf_reset(&u->value);
	u->key = arena_strdup(r->a, key ? key : "");
	u->is_file = filename != NULL;
	u->filename = NULL;
	if (!utf8_valid(u->key, strlen(u->key)) || strpbrk(u->key, "\t\r\n"))
		return fail(r, 400, "参数名不是有效的 UTF-8 文本");
	if (u->is_file && !(u->filename = base_name(r, filename)))
		return fail(r, 400, "文件名不是有效的 UTF-8 文本");
	u->field_bytes += strlen(u->key);
	if (u->field_bytes > u->lim.fields_max)
		return fail(r, 413, arena_printf(r->a, "表单文字过长（此地址最多 %zu KiB）", u->lim.fields_max >> 10));
	return 0;
}

/* The current file part's temporary file, made on its first byte. */
static int file_open(struct req *r)
{
	struct upload *u = r->upload;
	struct part_file *pf;
	char *path;
	int fd;

	if (u->nfiles == u->lim.files_max)
		return fail(r, 413, arena_printf(r->a, "上传的文件过多（每次最多 %d 个）", u->lim.files_max));
	path = arena_printf(r->a, "%s/up-XXXXXX", u->lim.dir);
	fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0) {
		log_error("req=%s cannot create an upload in '%s': %s", r->id, u->lim.dir, strerror(errno));
		return cannot_store(r);
	}
	pf = &u->files[u->nfiles];
	*pf = (struct part_file){ .f = { .field = u->key, .name = u->filename, .path = path }, .fd = fd };
	crypto_hash_sha256_init(&pf->sha);
	u->cur = u->nfiles++;
	return 0;
}

static int file_data(struct req *r, const char *data, size_t n)
{
	struct upload *u = r->upload;
	struct part_file *pf;

	if (u->cur < 0 && file_open(r) < 0)
		return -1;
	pf = &u->files[u->cur];
	if (pf->f.size + (int64_t)n > u->lim.file_max)
		return fail(r, 413, arena_printf(r->a, "文件“%s”过大（每个文件最多 %s）", pf->f.name,
						 mib(r, u->lim.file_max)));
	if (u->file_bytes + (int64_t)n > u->lim.total_max)
		return fail(r, 413, arena_printf(r->a, "上传的文件合计过大（每次最多 %s）", mib(r, u->lim.total_max)));
	for (size_t done = 0; done < n; ) {
		ssize_t w = write(pf->fd, data + done, n - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			log_error("req=%s cannot write the upload '%s': %s", r->id, pf->f.path, strerror(errno));
			return cannot_store(r);
		}
		done += (size_t)w;
	}
	crypto_hash_sha256_update(&pf->sha, (const unsigned char *)data, n);
	pf->f.size += (int64_t)n;
	u->file_bytes += (int64_t)n;
	return 0;
}

/* A file part is over: its hash, and the file closed. A part with no
 * name and no bytes is a file input left empty: nothing. */
static int file_close(struct req *r)
{
	struct upload *u = r->upload;
	unsigned char h[crypto_hash_sha256_BYTES];
	struct part_file *pf;
	bool bad;

	if (u->cur < 0 && (!*u->filename || file_open(r) < 0))
		return u->failed ? -1 : 0;
	pf = &u->files[u->cur];
	u->cur = -1;
	crypto_hash_sha256_final(&pf->sha, h);
	sodium_bin2hex(pf->f.sha256, sizeof(pf->f.sha256), h, sizeof(h));
	/* on disk before a row may name it: the stored file is a link of this one */
	bad = fsync(pf->fd) < 0;
	bad = close(pf->fd) < 0 || bad;
	if (bad) {
		pf->fd = -1;
		log_error("req=%s cannot write the upload '%s': %s", r->id, pf->f.path, strerror(errno));
		return cannot_store(r);
	}
	pf->fd = -1;
	return 0;
}

static int field_data(struct req *r, const char *data, size_t n)
{
	struct upload *u = r->upload;

	u->field_bytes += n;
	if (u->field_bytes > u->lim.fields_max)
		return fail(r, 413, arena_printf(r->a, "表单文字过长（此地址最多 %zu KiB）", u->lim.fields_max >> 10));
	buf_add(&u->value, data, n);
	return 0;
}

static int field_push(struct req *r)
{
	struct upload *u = r->upload;

	if (!utf8_valid(u->value.s, u->value.len))
		return fail(r, 400, "参数不是有效的 UTF-8 文本");
	if (u->npairs == u->lim.pairs_max)
		return fail(r, 400, "参数过多");
	*ARENA_PUSH(r->a, u->pairs, u->npairs, u->pairs_cap) =
		(struct kv){ u->key, arena_strndup(r->a, u->value.s, u->value.len) };
	return 0;
}

static int part_end(struct req *r)
{
	struct upload *u = r->upload;

	if (!u->in_part)
		return 0;
	u->in_part = false;
	return u->is_file ? file_close(r) : field_push(r);
}

static bool same(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* Whether a call at offset off starts a new part. libmicrohttpd calls the
 * iterator at least once per part, the first time at offset 0, possibly
 * with no bytes; a later call is at offset 0 again only when no bytes
 * came before it. So a call at 0 continues the current part when that
 * part has no bytes yet and the same name (an empty part followed by one
 * of the same name reads as one part). */
static bool starts_part(const struct upload *u, const char *key, const char *filename, uint64_t off)
{
	if (off)
		return false;
	if (!u->in_part || u->part_bytes || !same(u->key, key ? key : "") || u->is_file != (filename != NULL))
		return true;
	return filename && strcmp(u->filename, name_tail(filename));
}

static enum MHD_Result on_part(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename,
			       const char *content_type, const char *transfer_encoding, const char *data,
			       uint64_t off, size_t size)
{
	struct req *r = cls;
	struct upload *u = r->upload;

	if (u->failed)
		return MHD_NO;
	if (starts_part(u, key, filename, off) && (part_end(r) < 0 || part_begin(r, key, filename) < 0))
		return MHD_NO;
	if (size && (u->is_file ? file_data(r, data, size) : field_data(r, data, size)) < 0)
		return MHD_NO;
	u->part_bytes += size;
	return MHD_YES;
}

void upload_begin(struct req *r, const struct upload_limits *l)
{
	struct upload *u = arena_alloc(r->a, sizeof(*u));

	u->lim = *l;
	u->cur = -1;
	buf_init(&u->value);
	u->files = arena_alloc(r->a, (size_t)(l->files_max > 0 ? l->files_max : 1) * sizeof(*u->files));
	r->upload = u;
	u->pp = MHD_create_post_processor(r->conn, PP_BUFFER, on_part, r);
	if (!u->pp)
		upload_fail(r, 400, "上传内容的格式有误（Content-Type 缺少 boundary）");
}

void upload_feed(struct req *r, const char *data, size_t n)
{
	struct upload *u = r->upload;

	if (!u || u->failed)
		return;
	if (MHD_post_process(u->pp, data, n) != MHD_YES && !u->failed)
		upload_fail(r, 400, "上传内容的格式有误");
}

void upload_end(struct req *r)
{
	struct upload *u = r->upload;
	enum MHD_Result complete;

	if (!u || u->failed)
		return;
	complete = MHD_destroy_post_processor(u->pp);
	u->pp = NULL;
	if (complete != MHD_YES) {
		upload_fail(r, 400, "上传内容不完整（缺少结尾的分隔行），请重新提交");
		return;
	}
	if (part_end(r) < 0)
		return;
	r->files = arena_alloc(r->a, (size_t)(u->nfiles ? u->nfiles : 1) * sizeof(*r->files));
	for (int i = 0; i < u->nfiles; i++)
		r->files[i] = u->files[i].f;
	r->nfiles = u->nfiles;
	r->form = u->pairs;
	r->nform = u->npairs;
}

void upload_release(struct req *r)
{
	struct upload *u = r->upload;

	if (!u)
		return;
	if (u->pp)
		MHD_destroy_post_processor(u->pp);
	u->pp = NULL;
	remove_files(u);
	buf_release(&u->value);
	r->files = NULL;
	r->nfiles = 0;
	r->upload = NULL;
}
