/* promotion.h - promotions (提拔使用): that a person was promoted, given
 * further use, moved up a rank or commended after the campaign, with the
 * claims that earned it and the decision's document number.
 *
 * Recording (POST /api/v1/promotions, promotion.manage: admins): the
 * person (of the tenant), the date (not in the future), the kind, the post
 * before and after (the post after is required but for 表彰), the
 * document number and a note (optional), and the linked claims: zero or
 * more claims of the tenant on whose team (claim_member: lead, owner,
 * member, liaison, mentor) the person was; any other claim is refused
 * with its reason. promotion_claim holds the list; promotion.claim_id
 * keeps the first linked claim (or none), which the statistics' batch
 * scope reads (stats.c). Audited as promotion.create.
 *
 * Reading (promotion.read: admins and leaders) lists them newest first,
 * filtered by batch (a linked claim of the batch), kind and person. */
#ifndef JB_PROMOTION_H
#define JB_PROMOTION_H

#include <stdint.h>

#include "domain/action.h"
#include "domain/bind.h"
#include "domain/labels.h"

#define PROMOTION_POST_MAX 100     /* characters of a post or a document number */
#define PROMOTION_NOTE_MAX 2000
#define PROMOTION_CLAIMS_MAX 20

/* promoted 提拔, further_use 进一步使用, rank_up 晋升职级, commended 表彰. */
extern const struct label promotion_kinds[];

struct promotion_in {
	int64_t person_id;
	int64_t at;                /* BF_DATE */
	const char *kind, *from_post, *to_post, *doc_no, *note;
	struct bind_ids claim_ids;
};
extern const struct bind_field promotion_fields[];

int promotion_record(struct ctx *c, const struct promotion_in *in, int64_t *id) __attribute__((warn_unused_result));

struct promotion_ref {
	int64_t id;
	const char *title;         /* the claim's problem */
};
struct promotion {
	int64_t id, person_id, unit_id, at, created_at;
	const char *person, *unit, *kind, *from_post, *to_post, *doc_no, *note, *recorded_by;
	struct promotion_ref *claims;   /* the linked claims, by id */
	int nclaims;
};

struct promotion_filter {
	int64_t batch_id, person_id;    /* 0: any */
	const char *kind;               /* NULL or "": any */
};

/* The promotions c->who may read (promotion.read; else JB_EDENIED), newest
 * first (by date, then id). Reads only. */
int promotion_list(struct ctx *c, const struct promotion_filter *f, struct promotion **out, int *n)
	__attribute__((warn_unused_result));
/* The same without a permission check, for the record (record.h checks
 * record.read): person_id's promotions. 0 or -1. */
int promotion_list_of(db *d, arena *a, int64_t tenant_id, const struct promotion_filter *f, struct promotion **out,
		      int *n) __attribute__((warn_unused_result));

#endif
