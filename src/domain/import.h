/* import.h - importing units, people and problems from an office's own
 * CSV or XLSX file (issue 11 §4), for the page, the API and the command
 * line alike.
 *
 * The file is read by util/table.h. Its header row (the first row, within
 * the first 10, that names one of the kind's columns; rows above it, such
 * as a title, are skipped) is matched by Chinese names in any order,
 * ignoring blanks (full-width ones too) and a '*' marking required
 * columns; synonyms are accepted (import_columns()), extra columns are
 * ignored, missing required ones are named in one rejection.
 *
 * Every row is checked and every rejected row is listed with its line
 * (the header is line 1, as Excel shows it), the column's name, the
 * reason and the value (at most 50 characters). Then either every row is
 * written or none: one write transaction holding the permission check
 * (import.run), the checks, the writes and one audit entry (action
 * import.<kind>: file name, SHA-256, format, counts; never a row's
 * personal data). A dry run does the same in a transaction that is
 * rolled back, so it sees exactly what the import would.
 *
 * Kinds:
 * - units (单位名称, 上级单位, 单位类型): matched by name; an existing unit
 *   is updated (kind, parent). 上级单位 may name a unit earlier or later
 *   in the file or one in the store; a cycle is refused.
 * - people (姓名, 所在单位, 职级, 职务): the unit must be in the store; the
 *   same name in the same unit is the same person (updated: rank, title).
 * - problems (难题名称, 类别, 出卷单位, 难题描述, 预期成效): proposals
 *   (state proposed, not public) of the batch named, else of the batch
 *   collecting now, from the named unit, indexed for search as proposals
 *   are; the same title twice in the batch is refused.
 * A value the same as the store's is counted unchanged. */
#ifndef JB_IMPORT_H
#define JB_IMPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/action.h"

enum import_kind { IMPORT_UNITS, IMPORT_PEOPLE, IMPORT_PROBLEMS, IMPORT_KIND_COUNT };

#define IMPORT_REJECTS_MAX 1000   /* rejected rows listed (all are counted) */
#define IMPORT_SAMPLES_MAX 50     /* imported rows shown back */

/* "units" -> IMPORT_UNITS; -1 for anything else. */
int import_kind_parse(const char *code);
const char *import_kind_code(enum import_kind k);
const char *import_kind_label(enum import_kind k);  /* 单位, 人员, 难题 */

/* The column headers of kind for a template: the first name of each
 * column, comma-separated (no newline). */
const char *import_template_header(enum import_kind k);
/* One line telling which values a column takes, for the page ("单位类型：
 * 县直单位、镇街 …"), or NULL. */
const char *import_kind_hint(enum import_kind k);

struct import_in {
	enum import_kind kind;
	const char *path;       /* the file to read */
	const char *file_name;  /* as the user named it (audit, messages); may be "" */
	const char *sha256;     /* the file's, lowercase hex; NULL: computed here */
	int64_t batch_id;       /* problems: 0 = the batch collecting now */
	bool dry_run;
};

struct import_reject {
	int64_t line;           /* 0: about the whole file */
	const char *column;     /* the header's name, or "" */
	const char *reason;
	const char *value;      /* "" when none */
};

struct import_sample {
	int64_t line;
	const char *name, *detail;
	bool updated;
};

struct import_result {
	int64_t rows;           /* data rows read */
	int64_t created, updated, unchanged, rejected;
	struct import_reject *rejects;  /* the first IMPORT_REJECTS_MAX */
	int nrejects;
	struct import_sample *samples;  /* the first IMPORT_SAMPLES_MAX imported */
	int nsamples;
	const char *format, *encoding, *sha256;
	int64_t batch_id;       /* problems: the batch written to */
	const char *batch;
	bool dry_run;
};

/* Import (or with in->dry_run check) the file. JB_OK: imported, or for a
 * dry run nothing rejected (out says what would be written); JB_EINVALID:
 * rows were rejected or the file could not be read (out->rejects), or
 * the batch is wrong (a field error "batch_id" in c), nothing written;
 * JB_EDENIED without import.run; JB_EBUSY / JB_ESTORE. out lives on c->a. */
int import_run(struct ctx *c, const struct import_in *in, struct import_result *out)
	__attribute__((warn_unused_result));

#endif
