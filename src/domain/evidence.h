/* evidence.h - evidence files of progress reports and solve declarations
 * (佐证材料; always optional).
 *
 * The HTTP layer streams each uploaded file part to a temporary file under
 * the data directory (never the whole body in memory) and describes it as
 * a struct evidence_file. evidence_check() decides the type by content
 * (libmagic), never by the name sent; evidence_attach(), inside the verb
 * that reports, stores each file under the data directory by its SHA-256
 * and records a row. A refused, truncated or oversize upload leaves no
 * file and no row. Files are served as attachments to those who may see
 * the claim (claim.h: claim_get). */
#ifndef JB_EVIDENCE_H
#define JB_EVIDENCE_H

#include <stdint.h>

#include "domain/action.h"

#define EVIDENCE_FILE_MAX (20 * 1024 * 1024)     /* bytes per file */
#define EVIDENCE_UPDATE_MAX (50 * 1024 * 1024)   /* bytes per report */
#define EVIDENCE_FILES_MAX 10                    /* files per report */
#define EVIDENCE_NAME_MAX 200                    /* characters of a file name kept for display */

struct evidence_file {
	const char *field;        /* the form field it came in ("file") */
	const char *name;         /* the name the client sent: shown, never used as a path */
	const char *path;         /* the temporary file */
	int64_t size;
	char sha256[65];          /* lowercase hex, computed while streaming */
	const char *mime;         /* set by evidence_check() */
};

/* Where files are stored: <data_dir>/files/<first 2 hex>/<sha256>, made
 * here (0750). Set once before serving, before any thread starts (and by
 * tests); the string must live as long as the process. 0, or -1 with the
 * reason logged. */
int evidence_init(const char *data_dir) __attribute__((warn_unused_result));

/* Decide each file's type by its content (libmagic, and the entry names
 * of a zip for docx and xlsx), whatever its name says: PDF, JPEG, PNG,
 * Word (docx) or Excel (xlsx). Sets files[i].mime (on c->a) for those
 * allowed; for any other, and for an empty file, a field error "file"
 * naming the file and what it is. JB_OK or JB_EINVALID. Reads the files
 * only: callers run it before their verb, outside its transaction. */
int evidence_check(struct ctx *c, struct evidence_file *files, int n) __attribute__((warn_unused_result));

/* Inside a verb's transaction: a row of table evidence for each file
 * (for progress_id, or 0 for none) and the file stored by its SHA-256 (a
 * hard link of the temporary file; the same content twice is one file).
 * A file evidence_check() has not typed is checked here. The name kept is
 * the client's without its directory, at most EVIDENCE_NAME_MAX
 * characters ("未命名文件" when empty). JB_OK, or the reason (the verb
 * then fails and its caller calls evidence_discard()). */
int evidence_attach(struct ctx *c, int64_t claim_id, int64_t progress_id, const struct evidence_file *files,
		    int n) __attribute__((warn_unused_result));

/* After a verb that attached files did not succeed (its rows rolled
 * back): remove each stored file that no row refers to, in a write
 * transaction of its own, so that no other verb can attach the same
 * content between the check and the removal (writers run one at a time
 * on both stores). A rolled-back report thus leaves neither row nor file;
 * only a crash between the link and the commit can leave a file no row
 * names (harmless: the same content attached later reuses it). */
void evidence_discard(struct ctx *c, const struct evidence_file *files, int n);

/* At start-up, before serving: remove each stored file no row names (what
 * a crash between a report's link and its commit leaves; only files less
 * than a day old, so that the wrong store never empties a data directory),
 * one write
 * transaction per directory <files>/<xx> so that no verb attaches the same
 * content meanwhile. The number of files removed, or -1 with the reason
 * logged (files already removed stay removed). */
int evidence_sweep(db *d);

/* A stored file as a reader may fetch it. */
struct evidence_blob {
	const char *path;         /* the stored file */
	const char *name, *mime;  /* of its first row the reader may see */
	int64_t size;
};
/* The file sha256 (64 lowercase hex digits) if c->who may see a claim it
 * is attached to, by claim_get()'s rule (claim.h), in one query: the
 * claim counts (approved, signed, solved, accepted), its problem is
 * public (a public state and problem.is_public) and the report holding
 * the file is public; or the reader is on the claim's team or applied
 * for it, or holds claim.approve or problem.read_internal (tenant-wide,
 * or for the claim's unit). Otherwise, as for an unknown hash,
 * JB_ENOTFOUND. Reads only. */
int evidence_get(struct ctx *c, const char *sha256, struct evidence_blob *out) __attribute__((warn_unused_result));

#endif
