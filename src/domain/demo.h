/* demo.h - the 滦南县 2022 "百名干部破百题" campaign as demo data.
 *
 * The figures are the report's (shared/seed): 104 problems in 8 categories,
 * 86 claimed (28/9/16/10/10/4/1/8), 33 solved, claims by 62 county
 * departments and 17 towns, task forces with 209 section-level and 43
 * below-section cadres, 6 promotions, and the four named cases with their
 * figures. People's names are synthetic. The content is the same on every
 * run and on both stores: ids are 1..n per table (tenant 1), times are fixed
 * UTC epoch seconds up to 2022-08-31, money is in fen.
 *
 * Conventions the demo follows (other modules read it the same way):
 * progress_value.value is the cumulative figure as of that progress entry,
 * so a metric's achieved equals its latest value; the claim that took a
 * problem is the one in state approved/signed/solved (claimed/in_progress/
 * solved); id_seq holds the last id used, so db_next_id() continues. */
#ifndef JB_DEMO_H
#define JB_DEMO_H

#include <stddef.h>

#include "store/db.h"

/* Creates the 滦南 2022 demo campaign in an empty, migrated store, in one
 * write transaction (it also fills the search index). Returns 0, or -1 with
 * a one-line reason in err and the store unchanged (a store that already
 * has a tenant is refused). */
int demo_create(db *d, char *err, size_t errlen) __attribute__((warn_unused_result));

#endif
