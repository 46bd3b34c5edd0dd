/* files.c - evidence files (domain/evidence.h): served as attachments to
 * the readers who may see their claim, at /files/:sha256 and
 * /api/v1/files/:sha256; and a request's uploaded files handed to verbs. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "domain/evidence.h"
#include "util/log.h"
#include "web/web.h"

struct evidence_file *web_evidence_files(struct req *r, int *n)
{
	struct evidence_file *out = arena_alloc(r->a, (size_t)(r->nfiles ? r->nfiles : 1) * sizeof(*out));

	*n = 0;
	for (int i = 0; i < r->nfiles; i++) {
		const struct upload_file *u = &r->files[i];
		if (strcmp(u->field, "file"))
			continue;
		out[*n] = (struct evidence_file){ .field = u->field, .name = u->name, .path = u->path, .size = u->size };
		memcpy(out[*n].sha256, u->sha256, sizeof(out[*n].sha256));
		(*n)++;
	}
	return out;
}

/* Content-Disposition for a download named name (UTF-8 without
 * controls): an ASCII fallback with '_' for every other character, and
 * the name itself percent-encoded (RFC 6266, RFC 8187). */
const char *web_disposition(struct req *r, const char *name)
{
	buf b = BUF_INIT;
	const char *s;

	buf_puts(&b, "attachment; filename=\"");
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if (*p >= 0x80 && *p < 0xc0)
			continue; /* a continuation byte: its character is one '_' */
		buf_putc(&b, *p < 0x20 || *p >= 0x7f || *p == '"' || *p == '\\' || *p == '%' ? '_' : (char)*p);
	}
	buf_puts(&b, "\"; filename*=UTF-8''");
	buf_url(&b, name);
	s = arena_strdup(r->a, b.s);
	buf_release(&b);
	return s;
}

void page_file(struct req *r)
{
	struct evidence_blob blob;
	struct stat st;
	struct ctx c;
	int rc, fd;

	web_ctx(r, &c);
	if ((rc = evidence_get(&c, r->params[0], &blob)) != JB_OK) {
		outcome_error(r, &c, rc);
		return;
	}
	fd = open(blob.path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		log_error("req=%s evidence %s has a row but no file '%s': %s", r->id, r->params[0], blob.path,
			  strerror(errno));
		if (fd >= 0)
			close(fd);
		reply_error(r, 404, "not_found", "文件不存在", NULL);
		return;
	}
	req_header(r, "Content-Disposition", web_disposition(r, blob.name));
	/* Never kept by a shared cache; a signed-in reader's copy is not kept
	 * at all (the server's no-store rule, spelled with private here). */
	req_header(r, "Cache-Control", r->no_store ? "private, no-store" : "private, max-age=3600");
	r->no_store = false;
	reply_fd(r, 200, blob.mime, fd, (uint64_t)st.st_size);
}
