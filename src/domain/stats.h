/* stats.h - the campaign's figures: one source of truth for the statistics
 * page, the JSON API and (later) exports, so every page agrees. */
#ifndef JB_STATS_H
#define JB_STATS_H

#include <stdint.h>

#include "store/db.h"
#include "util/arena.h"

struct stat_row {
	const char *code;   /* category name, state, unit kind or rank code */
	int64_t total;      /* problems; units or cadres for those lists */
	int64_t claimed;    /* categories only */
	int64_t solved;     /* categories only */
};

struct stats {
	int64_t batch_id;   /* 0: every batch */
	const char *batch;  /* the batch's name; NULL: every batch */
	int64_t as_of;      /* the moment the figures describe (see stats_get) */
	int64_t problems;   /* on the public board (published or later) */
	int64_t claimed;    /* ever claimed: claimed or any later state (累计揭榜) */
	int64_t solved;     /* ever solved: solved or accepted (累计破题) */
	int64_t accepted;
	int64_t promotions;
	struct stat_row *by_category; int ncategory; /* in category order */
	struct stat_row *by_state; int nstate;       /* states present */
	struct stat_row *units; int nunits;          /* distinct claiming units by kind */
	struct stat_row *cadres; int ncadres;        /* distinct people on claims by rank */
	int64_t lights[6];  /* counted claims by enum light (claim.h), each as of its batch */
};

/* Figures for one batch (batch_id > 0) or all, read at now. They are as
 * of the batch's as-of moment (batch_as_of, asof.h): the end of a closed
 * batch's last dated phase, else now (a batch closed by hand before its
 * dates: now, as nothing changes after closing); for every batch, as of
 * the latest of those. 0, 1 when there is no such batch, or -1 on store
 * error. */
int stats_get(db *d, arena *a, int64_t tenant_id, int64_t batch_id, int64_t now, struct stats *out);
/* The row with this code, or NULL. */
const struct stat_row *stats_find(const struct stat_row *rows, int n, const char *code);

#endif
