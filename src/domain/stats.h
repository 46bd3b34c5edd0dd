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
	int64_t problems;   /* on the public board (published or later) */
	int64_t claimed;    /* claimed or later */
	int64_t solved;     /* solved or accepted */
	int64_t accepted;
	int64_t promotions;
	struct stat_row *by_category; int ncategory; /* in category order */
	struct stat_row *by_state; int nstate;       /* states present */
	struct stat_row *units; int nunits;          /* distinct claiming units by kind */
	struct stat_row *cadres; int ncadres;        /* distinct people on claims by rank */
};

/* Figures for one batch (batch_id > 0) or all. 0, or -1 on store error. */
int stats_get(db *d, arena *a, int64_t tenant_id, int64_t batch_id, struct stats *out);
/* The row with this code, or NULL. */
const struct stat_row *stats_find(const struct stat_row *rows, int n, const char *code);

#endif
