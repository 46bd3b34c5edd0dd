/* search.h - Chinese substring search over problems.
 *
 * Every pair of adjacent characters (code points, ASCII lowercased) of a
 * problem's searchable text is kept in problem_gram. A query of two or more
 * characters narrows candidates by its pairs through that index, then checks
 * the exact substring; a one-character query scans. Same results on SQLite
 * and PostgreSQL, 2-character queries included. */
#ifndef JB_SEARCH_H
#define JB_SEARCH_H

#include <stdint.h>

#include "store/db.h"
#include "util/arena.h"

/* Replace the index entries of one problem (inside the caller's write
 * transaction). text is its title and description. 0 or -1. */
int search_index_problem(db *d, int64_t tenant_id, int64_t problem_id, const char *title,
			 const char *description);

/* Lowercase ASCII letters; other characters unchanged. Arena-allocated. */
char *search_fold(arena *a, const char *s);

/* A LIKE pattern (with ESCAPE '\') for the substring q, folded, with
 * % _ \ escaped: "%q%"; "" when q is empty. Its tail from the second byte
 * on ("q%") matches q as a prefix. Arena-allocated. */
const char *search_like(arena *a, const char *q);

/* The distinct adjacent pairs of q (folded), at most max of them, chosen
 * spread across the query. Returns the count written to out[]. */
int search_grams(arena *a, const char *q, const char **out, int max);

#endif
