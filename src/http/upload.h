/* upload.h - multipart/form-data bodies, parsed as they arrive.
 *
 * libmicrohttpd's post processor splits the body into parts. A part with
 * a file name is written to a temporary file of mkstemp's under the
 * upload directory (never a name the client chose) while its SHA-256 is
 * computed; the other parts become the request's form pairs, checked as
 * urlencoded ones are (valid UTF-8, no controls but tab, CR and LF). A
 * file part with an empty name and no bytes (a file input left empty) is
 * dropped.
 *
 * Caps: bytes per file, bytes of files per request, files per request
 * (413), bytes of the other fields' names and values (the route's KIB cap,
 * 413) and their number (400). Past a cap, or on a part that cannot be
 * read, every temporary file is removed at once and the rest of the body
 * is dropped; the request is then answered with that refusal (in Chinese)
 * and its handler never runs. A body that ends before its final boundary
 * is refused (400) and leaves nothing; one whose connection closes early
 * ends in upload_release(), which leaves nothing either.
 *
 * Owned by server.c, which calls these on the connection's thread. */
#ifndef JB_UPLOAD_H
#define JB_UPLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http/req.h"

struct upload_limits {
	const char *dir;        /* where temporary files go */
	int64_t file_max;       /* bytes per file */
	int64_t total_max;      /* bytes of files in all */
	int files_max;
	size_t fields_max;      /* bytes of the other fields, names and values */
	int pairs_max;          /* the other fields */
};

/* Make dir (0700) and remove what a previous run left in it (its files
 * named "up-*"). 0, or -1 with the reason logged. At start-up only. */
int upload_dir_init(const char *dir) __attribute__((warn_unused_result));

/* Start parsing r's body (a multipart/form-data Content-Type) within the
 * limits l (copied). On a Content-Type libmicrohttpd cannot parse (no boundary)
 * the request is refused (r->bad_request). */
void upload_begin(struct req *r, const struct upload_limits *l);
/* The next n bytes of the body. */
void upload_feed(struct req *r, const char *data, size_t n);
/* The body is complete: check that it ended with its final boundary and
 * hand the files to the handler (r->files, r->nfiles) and the fields
 * (r->form, r->nform); or refuse it. */
void upload_end(struct req *r);
/* Refuse r with status and message (Chinese), removing every temporary
 * file now; later bytes are dropped. */
void upload_fail(struct req *r, int status, const char *message);
/* The request is over (answered or aborted): close and remove every
 * temporary file. Safe on a request without an upload. */
void upload_release(struct req *r);

#endif
