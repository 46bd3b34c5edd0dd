/* pii.h - residents' personal data (个人信息保护法, issue 13 §6).
 *
 * What is held: the 称呼 and phone a resident may leave with a proposal
 * (problem.contact_name, contact_phone), the name and contact with a
 * complaint or suggestion sent without an account (complaint.name,
 * contact), and the real name, contact and client address of an
 * objection to a notice (objection.name, contact, client_addr). Every
 * form that asks for them shows the notice of purpose (web: pii_notice).
 *
 * Who reads them: admins only (problem.screen, complaint.answer,
 * objection.answer, pii.manage); exports leave them out for anyone else,
 * and the audit log never holds them (so anonymising a row leaves no copy
 * behind in the store).
 *
 * Retention: the tenant keeps them pii_retention_days (settings.h, default
 * PII_RETENTION_DEFAULT) after the matter closes: a problem closed
 * (rejected, merged, withdrawn, accepted: STATE_SQL_CLOSED) since its last
 * change (updated_at, which is never earlier than the close), a complaint
 * since its last answer, an objection since its notice closed. Then the
 * background task blanks them and sets contact_erased_at; the rows and
 * every figure stay. In batches of at most PII_BATCH rows, each batch one
 * transaction and one audit entry pii.expire on the tenant with the kind,
 * the ids and their count (an entry per row would be thousands of entries
 * on the first run over a store with years behind it, saying less).
 * Idempotent: a row already anonymised is never read again.
 *
 * A person's data (pii.manage): the records whose name is the query or
 * whose contact is it (spaces, dashes and "+" ignored, letters in any
 * case) can be exported as JSON (PIPL §45, audited pii.export) and erased
 * (§47, audited pii.erase) — the contact details only, never the problem,
 * complaint or objection itself. Where the law keeps them for now, the
 * record is held and says why: an objection's name and contact while its
 * notice is open (the objection is still being verified and answered).
 * The audit entries name the records by id, never the query or the data. */
#ifndef JB_PII_H
#define JB_PII_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/action.h"

#define PII_RETENTION_DEFAULT 730
#define PII_RETENTION_MIN 30
#define PII_RETENTION_MAX 3650
#define PII_RETENTION_MIN_TEXT "30"
#define PII_RETENTION_MAX_TEXT "3650"
#define PII_BATCH 200          /* rows per transaction of the background task */
#define PII_BATCHES_PER_RUN 50 /* so one run of the task stays bounded */
#define PII_FIND_MAX 200       /* records of each kind a search returns */
#define PII_QUERY_MAX 240      /* bytes of a query: 60 characters of CJK */
#define PII_ERASED "已匿名"    /* shown where erased details were */

enum pii_kind { PII_PROBLEM, PII_COMPLAINT, PII_OBJECTION, PII_KINDS };
extern const char *const pii_kind_codes[PII_KINDS]; /* problem, complaint, objection */

struct pii_record {
	enum pii_kind kind;
	int64_t id, notice_id;   /* notice_id: objections */
	int64_t created_at, closed_at; /* closed_at 0: still open */
	const char *ref;         /* a complaint's 查询编号, else "" */
	const char *title;       /* the problem's, the complaint's subject, the notice's */
	const char *body;        /* description, complaint or objection text */
	const char *extra;       /* expected outcome, or the answer given */
	const char *status;      /* a Chinese word for where it stands */
	const char *name, *contact, *addr; /* addr: objections */
	const char *held;        /* why it may not be erased now; NULL: it may */
};

struct pii_found {
	struct pii_record *items;
	int n;
	bool truncated;          /* a kind had more than PII_FIND_MAX: the rest not read */
};

/* The tenant's retention in days (the default without a row): 0 or -1. */
int pii_retention_days(db *d, int64_t tenant_id, int64_t *days) __attribute__((warn_unused_result));

/* Records of tenant_id holding the person's details, by query q (trimmed
 * by the caller): 0, or -1 on a store error. No permission check: for
 * callers that checked pii.manage. */
int pii_find(db *d, arena *a, int64_t tenant_id, const char *q, struct pii_found *out)
	__attribute__((warn_unused_result));

/* Verbs (pii.manage). A query that is empty or longer than PII_QUERY_MAX
 * is JB_EINVALID on field "q". pii_export: *out the document (the caller
 * releases it; "complete" false when a kind had more than PII_FIND_MAX:
 * export again after erasing), audited pii.export with the ids; nothing
 * found is JB_ENOTFOUND. pii_erase: blanks the details of every record found that
 * is not held, *erased and *held their numbers, audited pii.erase with the
 * ids; nothing found is JB_ENOTFOUND. */
int pii_export(struct ctx *c, const char *q, json_t **out) __attribute__((warn_unused_result));
int pii_erase(struct ctx *c, const char *q, int *erased, int *held) __attribute__((warn_unused_result));

/* The background task: anonymise what is past its tenant's retention at
 * now. The rows anonymised, or -1 on a store error. */
int pii_expire_due(db *d, int64_t now);

#endif
