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

#endif
