/* region.h - a parent tenant's view of the tenants under it (a city over
 * its counties, a province over its cities): the headline figures of each
 * direct child, its own and all below it summed, and the total. The same
 * figures as each county's dashboard (stats_get at now, every batch) —
 * tests/server/region.test.mjs compares them — read from the tallies the
 * store keeps (tenant_tally: a few rows a tenant, summing problem_tally
 * and claim_tally), never from a child's records,
 * so nothing a child has not published is shown or counted. */
#ifndef JB_REGION_H
#define JB_REGION_H

#include <stdint.h>

#include "store/db.h"
#include "util/arena.h"

struct region_row {
	int64_t tenant_id;         /* 0 for the total */
	const char *slug, *name, *host;  /* host: its first host name, "" none */
	int64_t below;             /* tenants under it (0 for a county) */
	int64_t problems, claimed, solved, accepted, in_progress, promotions, practices_adopted;
	int64_t lights[6];         /* counted claims by enum light (claim.h) */
};

struct region {
	struct region_row *rows;   /* the direct children, by id */
	int nrows;
	struct region_row total;
};

/* The answers last given, one set per store (the server's: web/app.h),
 * shared by its threads. */
struct region_cache;
struct region_cache *region_cache_new(void);
void region_cache_free(struct region_cache *c);

/* The region of tenant parent at now. The lights are brought up to date
 * first (claim_lights_keep, for the tenants whose lights are stale), so
 * call it outside a transaction. With a cache c (or NULL), each child's
 * figures last read are used again while they hold: while no tenant of
 * the child's (it and those below it) has changed — their number, ids and
 * data versions, checked in one short transaction — and no stored light
 * among them has come to its end; the children that moved are read
 * again. So a write anywhere below is seen by the very next request, on
 * every server of the store. 0, or -1 on a store error. */
int region_get(db *d, arena *a, struct region_cache *c, int64_t parent, int64_t now, struct region *out)
	__attribute__((warn_unused_result));

#endif
