/* problem.h - reading problems: the board (filtered, searched, paged) and
 * one problem with its claim, task force, milestones, metrics and progress.
 *
 * Results are allocated on the caller's arena. Functions return 0, or -1
 * when the store failed (db_errmsg tells why); lookups that find nothing
 * return 1. Only publicly visible problems are returned (state published or
 * later, is_public set): this is what anonymous readers may see. */
#ifndef JB_PROBLEM_H
#define JB_PROBLEM_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "util/arena.h"

#define PROBLEM_MAX_PER_PAGE 100
#define PROBLEM_MAX_QUERY 64  /* characters of a search query */

enum problem_sort { SORT_ID, SORT_UPDATED, SORT_CATEGORY };

struct problem_filter {
	int64_t batch_id;        /* 0: any */
	int64_t category_id;     /* 0: any */
	const char *state;       /* NULL: any public state */
	const char *unit_kind;   /* kind of the claiming unit; NULL: any */
	const char *q;           /* substring; NULL or "": none */
	const char *light;       /* the light of the problem's claim (claim.h lights[] code but "none"); NULL: any */
	enum problem_sort sort;
	int64_t page;            /* from 1 */
	int64_t per_page;
	int64_t now;             /* for overdue milestones */
};

struct problem_row {
	int64_t id;
	const char *title;
	const char *batch;
	const char *category;
	const char *state;
	const char *claim_unit;       /* "" when unclaimed */
	const char *claim_unit_kind;
	const char *owner;
	int64_t updated_at;
	bool overdue;
	int64_t claim_id;             /* the counted claim (the first one approved), 0: none */
	int light;                    /* its light (enum light), LIGHT_NONE without one */
	int completion;               /* its metrics' mean completion in percent, -1: none */
};

struct problem_page {
	struct problem_row *items;
	int n;
	int64_t total;
};

/* The board page of f. Rows are problems, each with its counted claim
 * (the first approved one, when a batch allows several) and that claim's
 * light and completion, judged as of its batch's as-of moment (claim.h
 * claim_light()). */
int problem_list(db *d, arena *a, int64_t tenant_id, const struct problem_filter *f,
		 struct problem_page *out);

/* The export's pages of f (domain/export.c): up to max rows with ids
 * above after, in id order whatever f->sort says (keyset, so that a
 * million rows cost no more per page than ten); f->page, f->per_page and
 * out->total are not used. One read transaction per call. */
int problem_list_after(db *d, arena *a, int64_t tenant_id, const struct problem_filter *f, int64_t after,
		       int64_t max, struct problem_page *out);

struct member {
	const char *name, *title, *rank, *unit, *unit_kind, *role;
};
struct milestone {
	const char *title;
	int64_t due_at, done_at; /* done_at 0: not done */
	bool overdue;
};
struct metric {
	int64_t id;
	const char *name, *kind, *uom;
	int64_t target, achieved;
};
struct progress_entry {
	int64_t at;
	const char *title, *body, *author;
};

struct problem_detail {
	int64_t id, created_at, updated_at;
	const char *title, *description, *batch, *category, *state, *proposer, *proposer_unit;
	bool has_claim;
	struct {
		int64_t id, deadline, applied_at, approved_at, signed_at, solved_at;
		const char *state, *pledge, *unit, *unit_kind, *lead, *lead_title, *owner, *owner_title;
	} claim;
	struct member *members;
	int nmembers, nmember_units;
	struct milestone *milestones;
	int nmilestones;
	struct metric *metrics;
	int nmetrics;
	struct progress_entry *progress;
	int nprogress;
	bool overdue;            /* a milestone is overdue (judged at as_of) */
	int64_t as_of;           /* its batch's as-of moment (batch_as_of): now while the batch is open */
	bool batch_ended;        /* the batch is closed and as_of, its end, has passed */
	int64_t batch_id;
	int batch_phase;         /* enum batch_phase at now */
	int max_parallel;        /* claims the batch lets one problem hold at once (赛马) */
	int ncounted;            /* claims of it approved or later */
	int napplications;       /* claims of it in any state */
	int light;               /* the counted claim's light (enum light) */
	int completion;          /* its metrics' mean completion in percent, -1: none */
};

int problem_get(db *d, arena *a, int64_t tenant_id, int64_t id, int64_t now, struct problem_detail *out);

/* Reference lists for filters. */
struct named {
	int64_t id;
	const char *name;
};
int problem_batches(db *d, arena *a, int64_t tenant_id, struct named **out, int *n);
int problem_categories(db *d, arena *a, int64_t tenant_id, struct named **out, int *n);

#endif
